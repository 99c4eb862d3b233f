#!/usr/bin/env node
// run-core.mjs - times each bench/lua/*.lua with native lua5.4 and with our CLI (release build,
// bin/lua.js), median of N runs (wall clock, process start included), and prints a ratio table.
//   node bench/run-core.mjs [name...]     RUNS=3 LUA_BIN=lua5.4
// Invariant: both interpreters must print the same stdout, otherwise the row is marked as a mismatch;
// numbers are only comparable on the same machine in the same session.

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.RUNS ?? 3);
const LUA_BIN = process.env.LUA_BIN ?? "lua5.4";
const ENGINES = [
  { name: "lua5.4", cmd: LUA_BIN, args: [] },
  { name: "lua-wasm", cmd: process.execPath, args: [join(ROOT, "bin/lua.js")] },
];

const filters = process.argv.slice(2);
const programs = readdirSync(join(ROOT, "bench/lua"))
  .filter((f) => f.endsWith(".lua"))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

/** One timed run: { ms, stdout } or { error }. */
function once(engine, file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(engine.cmd, [...engine.args, file], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error || r.status !== 0) return { error: (r.error?.message ?? r.stderr.split("\n")[0]) || `exit ${r.status}` };
  return { ms, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const rows = [];
for (const prog of programs) {
  const file = `bench/lua/${prog}`;
  const results = ENGINES.map((engine) => {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = once(engine, file);
      if ("error" in r) return { error: r.error };
      runs.push(r);
    }
    return { ms: median(runs.map((r) => r.ms)), stdout: runs[0].stdout };
  });
  const [native, ours] = results;
  const note = native.error
    ? `lua5.4: ${native.error}`
    : ours.error
      ? `lua-wasm: ${ours.error}`
      : native.stdout !== ours.stdout
        ? "OUTPUT MISMATCH"
        : "";
  rows.push({
    prog,
    native: native.ms,
    ours: ours.ms,
    ratio: native.ms && ours.ms ? ours.ms / native.ms : undefined,
    note,
  });
}

const fmt = (ms) => (ms === undefined ? "-" : `${ms.toFixed(0)} ms`);
console.log(
  `median of ${RUNS} runs, wall clock including process start (${process.platform} ${process.arch}, node ${process.version})`,
);
console.log(`${"program".padEnd(16)}${"lua5.4".padStart(12)}${"lua-wasm".padStart(12)}${"ratio".padStart(9)}  note`);
for (const r of rows) {
  console.log(
    `${r.prog.padEnd(16)}${fmt(r.native).padStart(12)}${fmt(r.ours).padStart(12)}${(r.ratio === undefined ? "-" : r.ratio.toFixed(2) + "x").padStart(9)}  ${r.note}`,
  );
}
