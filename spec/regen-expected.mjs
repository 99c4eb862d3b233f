#!/usr/bin/env node
// regen-expected.mjs - regenerates every spec .expected file by running the case with native lua5.4
// from the repo root (`lua5.4 spec/lua/<area>/<name>.lua`), in the format of spec/format.mjs. An area
// with a generate.mjs of its own (spec/lua/bigint) is kept: that script writes its cases and files.
//   node spec/regen-expected.mjs [--check] [filter...]     LUA_BIN=/path/to/lua5.4 to choose the interpreter
//   --check writes nothing and exits 1 if any .expected file is missing or stale.
// Invariant: the interpreter is invoked exactly as the spec runner emulates it (same cwd, same
// relative path, no arguments, stdin empty), so chunk names and arg[0] agree.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { errorCaseText, extractMessage, listCases, luaCaseText } from "./format.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LUA_BIN = process.env.LUA_BIN ?? "lua5.4";
/** Cases whose oracle is Lua 5.4.8 (see spec/oracle-5.4.8.json for why); run with LUA548_BIN. */
const ORACLE548 = JSON.parse(
  readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), "oracle-5.4.8.json"), "utf8"),
);
const LUA548_BIN = process.env.LUA548_BIN;
const TIMEOUT_MS = Number(process.env.SPEC_TIMEOUT_MS ?? 60000);

const argv = process.argv.slice(2);
const CHECK = argv.includes("--check");
const cases = listCases(
  ROOT,
  argv.filter((a) => a !== "--check"),
);
let written = 0,
  unchanged = 0,
  problems = 0;
for (const c of cases) {
  const key = `${c.area}/${c.name}`;
  // an area with its own generator (spec/lua/bigint: lua5.4 has no such library) is its own oracle
  if (c.kind === "lua" && existsSync(resolve(ROOT, "spec/lua", c.area, "generate.mjs"))) {
    console.log(`${c.area}: ${c.name} ... kept (its oracle is spec/lua/${c.area}/generate.mjs)`);
    unchanged++;
    continue;
  }
  const bin = key in ORACLE548 ? LUA548_BIN : LUA_BIN;
  if (!bin) {
    console.log(`${c.area}: ${c.name} ... kept (its oracle is Lua 5.4.8: set LUA548_BIN)`);
    unchanged++;
    continue;
  }
  const r = spawnSync(bin, [c.path], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: TIMEOUT_MS,
    maxBuffer: 256 << 20,
  });
  if (r.error) {
    console.error(`${c.area}: ${c.name} ... cannot run ${LUA_BIN}: ${r.error.message}`);
    problems++;
    continue;
  }
  const stderr = r.stderr.toString("utf8");
  const error = r.status === 0 ? null : extractMessage(stderr, bin);
  if (r.status !== 0 && error === null) {
    console.error(`${c.area}: ${c.name} ... exit ${r.status ?? r.signal} without a message:\n${stderr}`);
    problems++;
    continue;
  }
  if (c.kind === "errors" && error === null)
    console.error(`${c.area}: ${c.name} ... warning: the script raised no error`);
  const text = c.kind === "errors" ? errorCaseText(error) : luaCaseText(r.stdout, error);
  const target = resolve(ROOT, c.expectedPath);
  if (existsSync(target) && readFileSync(target).equals(text)) {
    unchanged++;
    continue;
  }
  if (!CHECK) writeFileSync(target, text);
  console.log(`${c.area}: ${c.name} ... ${CHECK ? "stale" : "written"}`);
  written++;
}
console.log(
  `${written} ${CHECK ? "stale" : "written"}, ${unchanged} unchanged, ${problems} problems (${cases.length} cases, ${LUA_BIN})`,
);
process.exitCode = problems > 0 || (CHECK && written > 0) ? 1 : 0;
