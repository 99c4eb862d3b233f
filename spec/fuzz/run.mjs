#!/usr/bin/env node
// run.mjs - the fuzzers' fixed-seed short runs, part of `npm test` (scripts/test.mjs runs every
// spec/<dir>/run.mjs): each target in spec/fuzz/targets runs with `--short` (its own fixed seed and a
// size chosen to take well under a minute) and its "N passed, N failed" line is summed here.
// Invariant: a target that crashes, hangs (FUZZ_TARGET_TIMEOUT_MS, default 10 min) or prints no
// summary counts as one failure.

import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fuzzTargets, targetCommand } from "../../scripts/fuzz.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SUMMARY = /^(\d+) passed, (\d+) failed\s*$/;
/** A short run that takes longer than this is stopped and counted as one failure (a hang). */
const TARGET_TIMEOUT_MS = Number(process.env.FUZZ_TARGET_TIMEOUT_MS ?? 10 * 60 * 1000);

function runTarget(name) {
  const [cmd, args] = targetCommand(name, ["--short"]);
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => {
      out += `\n${name}: timed out after ${TARGET_TIMEOUT_MS} ms\n`;
      child.kill("SIGKILL");
    }, TARGET_TIMEOUT_MS);
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      out += d;
    });
    child.stderr.on("data", (d) => {
      process.stderr.write(d);
      out += d;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (out.includes(`${name}: timed out after`)) return done({ passed: 0, failed: 1 });
      const lines = out
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => SUMMARY.test(l));
      const m = lines.length ? SUMMARY.exec(lines[lines.length - 1]) : null;
      if (!m) return done({ passed: 0, failed: 1 });
      const r = { passed: Number(m[1]), failed: Number(m[2]) };
      if (code !== 0 && r.failed === 0) r.failed = 1;
      done(r);
    });
  });
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
