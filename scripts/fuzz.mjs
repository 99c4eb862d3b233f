#!/usr/bin/env node
// fuzz.mjs - `npm run fuzz -- --target NAME [--minutes N | --iterations N] [--seed S]`: the long runs
// of the boundary fuzzers. Each target is spec/fuzz/targets/<NAME>.{ts,mjs}, a script that takes the
// same flags and ends with one line "N passed, N failed" (passed = cases that held every invariant).
// Without --target, lists the targets. The fixed-seed short runs in `npm test` are spec/fuzz/run.mjs.
// Invariant: the exit status is non-zero whenever a target reported a failure or crashed.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIR = join(ROOT, "spec/fuzz/targets");

/** The targets: file names without extension. */
export function fuzzTargets() {
  if (!existsSync(DIR)) return [];
  return readdirSync(DIR)
    .filter((f) => /\.(ts|mjs)$/.test(f))
    .map((f) => f.replace(/\.(ts|mjs)$/, ""))
    .sort();
}

/** The command that runs one target with the given flags. */
export function targetCommand(name, flags) {
  const ts = join(DIR, `${name}.ts`);
  if (existsSync(ts)) return [join(ROOT, "node_modules/.bin/tsx"), [ts, ...flags]];
  return [process.execPath, [join(DIR, `${name}.mjs`), ...flags]];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--target");
  const targets = fuzzTargets();
  if (i < 0 || !argv[i + 1]) {
    console.log(
      `usage: npm run fuzz -- --target NAME [--minutes N | --iterations N] [--seed S]\ntargets: ${targets.join(", ")}`,
    );
    process.exit(i < 0 ? 0 : 2);
  }
  const name = argv[i + 1];
  if (!targets.includes(name)) {
    console.error(`unknown target ${name}; targets: ${targets.join(", ")}`);
    process.exit(2);
  }
  const flags = argv.filter((_, j) => j !== i && j !== i + 1);
  const [cmd, args] = targetCommand(name, flags);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit" });
  process.exit(r.status ?? 1);
}
