#!/usr/bin/env node
// run.mjs - the fuzzers' fixed-seed short runs, part of `npm test` (scripts/test.mjs runs every
// spec/<dir>/run.mjs): each target in spec/fuzz/targets runs with `--short` (its own fixed seed and a
// size chosen to take well under a minute) and its "N passed, N failed" line is summed here.
// Invariant: a target that crashes, hangs (FUZZ_TARGET_TIMEOUT_MS, default 10 min) or prints no
// summary counts as one failure.

import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fuzzTargets, targetCommand } from "../../scripts/fuzz.mjs";
import { countsFrom, runTee } from "../../scripts/runner.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** A short run that takes longer than this is stopped and counted as one failure (a hang). */
const TARGET_TIMEOUT_MS = Number(process.env.FUZZ_TARGET_TIMEOUT_MS ?? 10 * 60 * 1000);

async function runTarget(name) {
  const [cmd, args] = targetCommand(name, ["--short"]);
  return countsFrom(name, await runTee(name, cmd, args, { cwd: ROOT, timeoutMs: TARGET_TIMEOUT_MS }));
}

let passed = 0,
  failed = 0;
for (const name of fuzzTargets()) {
  console.log(`\n--- fuzz target ${name} (short, fixed seed)`);
  const r = await runTarget(name);
  console.log(`--- ${name}: ${r.passed} passed, ${r.failed} failed`);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
