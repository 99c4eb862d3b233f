#!/usr/bin/env node
// test.mjs - `npm test`: builds, then runs every test runner in turn and prints ONE closing line
// "N passed, N failed" summing them all; exits 1 if anything failed.
//   checks: `npm run typecheck` (tsc over host/, spec/, bench/), ESLint and `prettier --check` (the
//   two halves of `npm run lint`); each counts as 1 passed when clean, else as one failure per error
//   it reports (tsc's "error TS" lines, ESLint's error count, Prettier's unformatted files). They
//   need no build, so they run even when the wasm build fails.
//   runners: vitest (spec/host/*.test.ts), the spec runner (spec/run.ts) on the release build and
//   again on the debug build (asserts on; TEST_DEBUG=0 skips it) and on the stress build (a full GC
//   at every safe point, moving stacks) and on the stress-inc build (one incremental step at every
//   safe point; TEST_STRESS=0 skips both) and with the baseline JIT (release build, threshold 0: every
//   function compiled at its first call or loop, stress 3: compiled code exits to the interpreter every
//   3 instructions; TEST_JIT=0 skips it), then any spec/<dir>/run.mjs or
//   spec/<dir>/run.ts that exists (spec/code, spec/unit, ...), each printing its own
//   "N passed, N failed" line, which is parsed here.
//   node scripts/test.mjs [--no-build]
// Invariants: a runner that crashes, times out or prints no summary counts as one failure (plus its
// parsed failures); if the wasm build fails nothing else can run, and that counts as one failure.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { countsFrom, runTee } from "./runner.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RUNNER_TIMEOUT_MS = Number(process.env.RUNNER_TIMEOUT_MS ?? 30 * 60 * 1000);
const BIN = (name) => join(ROOT, "node_modules", ".bin", name);

/**
 * Runs a command with output passed through (and captured), with `env` added to the environment;
 * resolves to { code, out, timedOut }.
 */
function run(label, cmd, args, env) {
  const vars = Object.entries(env ?? {}).map(([k, v]) => `${k}=${v} `);
  console.log(`\n=== ${label}: ${vars.join("")}${[cmd, ...args].map((a) => a.replace(ROOT + "/", "")).join(" ")}`);
  return runTee(label, cmd, args, { cwd: ROOT, timeoutMs: RUNNER_TIMEOUT_MS, env });
}

// ==== Static checks ====

/** A check's counts: clean is 1 passed; else `errors` failures (at least 1 when it exited non-zero). */
function checkCounts(label, { code }, errors) {
  if (code === 0 && errors === 0) return { passed: 1, failed: 0 };
  const failed = Math.max(errors, 1);
  return {
    passed: 0,
    failed,
    note: `${label}: ${errors > 0 ? `${errors} error(s)` : `exit ${code}`}, counted as ${failed} failure(s)`,
  };
}

async function typecheck() {
  const r = await run("typecheck", "npm", ["run", "--silent", "typecheck", "--", "--pretty", "false"]);
  return checkCounts("typecheck", r, (r.out.match(/error TS\d+/g) ?? []).length);
}

/** ESLint's closing line is "✖ N problems (E errors, W warnings)"; warnings do not fail. */
async function eslint() {
  const r = await run("eslint", "npm", ["run", "--silent", "lint:eslint"]);
  const m = /\((\d+) errors?, \d+ warnings?\)/.exec(r.out);
  return checkCounts("eslint", r, m ? Number(m[1]) : 0);
}

/** prettier --check names each unformatted file on a "[warn] path" line (`npm run format` fixes them). */
async function prettier() {
  const r = await run("prettier --check", "npm", ["run", "--silent", "lint:prettier"]);
  const files = r.out.split("\n").filter((l) => /^\[warn\] \S/.test(l) && !/^\[warn\] Code style issues/.test(l));
  return checkCounts("prettier --check (npm run format fixes it)", r, files.length);
}

// ==== Runners ====

async function build() {
  const wasm = await run("build:wasm", "npm", ["run", "--silent", "build:wasm"]);
  if (wasm.code !== 0) return { fatal: true, passed: 0, failed: 1, note: "wasm build failed: nothing else can run" };
  const host = await run("build:host", "npm", ["run", "--silent", "build:host"]);
  if (host.code !== 0) return { passed: 0, failed: 1, note: "host build (tsc) failed" };
  // the debug build too: host tests use it (a snapshot taken by another build must restore)
  const debug = await run("build:debug", "npm", ["run", "--silent", "build:debug"]);
  if (debug.code !== 0) return { passed: 0, failed: 1, note: "debug build failed" };
  return { passed: 0, failed: 0 }; // a successful build is a precondition, not a test
}

/** vitest with a JSON report: passed/failed tests; suites that fail to load count as failures. */
async function vitest() {
  const dir = mkdtempSync(join(tmpdir(), "lua-wasm-vitest-"));
  const report = join(dir, "report.json");
  const r = await run("vitest", BIN("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  try {
    if (!existsSync(report))
      return { passed: 0, failed: 1, note: `vitest: no report (exit ${r.code}), counted as 1 failure` };
    const j = JSON.parse(readFileSync(report, "utf8"));
    const passed = j.numPassedTests ?? 0;
    let failed = j.numFailedTests ?? 0;
    const brokenSuites = (j.testResults ?? []).filter(
      (t) => t.status === "failed" && (t.assertionResults ?? []).length === 0,
    ).length;
    failed += brokenSuites;
    if (r.code !== 0 && failed === 0) failed = 1;
    console.log(`vitest: ${passed} passed, ${failed} failed`);
    return { passed, failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The spec cases again on build/lua-debug.wasm, where AS assertions are compiled in. */
async function debugSpec(spec) {
  if (!existsSync(join(ROOT, "build/lua-debug.wasm"))) {
    // built with the others unless --no-build
    const b = await run("build:debug", "npm", ["run", "--silent", "build:debug"]);
    if (b.code !== 0) return { passed: 0, failed: 1, note: "debug build failed" };
  }
  const label = "spec/run.ts (debug build)";
  return countsFrom(label, await run(label, BIN("tsx"), [spec, "--wasm", join(ROOT, "build/lua-debug.wasm")]));
}

/**
 * Spec cases left out of the stress runs, with the reason: allocation bombs fill the heap up to the
 * memory limit, and a full collection at every safe point makes that quadratic (minutes); under one
 * incremental step per safe point (stress-inc) hash_growth alone takes ~23 s of the runner's 30 s.
 */
const STRESS_SKIP = {
  "memory/table_growth": "allocation bomb: quadratic under a collection per safe point",
  "memory/hash_growth": "allocation bomb: quadratic under a collection per safe point",
};

/**
 * The spec cases on build/lua-stress.wasm (asserts on, a full collection at every GC safe point,
 * stacks and reallocated blocks moved at every check, freed memory poisoned): finds stale pointers
 * and missing GC anchors. STRESS_SKIP lists the cases left out; TEST_STRESS=0 skips the runner.
 */
async function stressSpec(spec) {
  const b = await run("build:stress", "npm", ["run", "--silent", "build:stress"]);
  if (b.code !== 0) return { passed: 0, failed: 1, note: "stress build failed" };
  const { listCases } = await import(join(ROOT, "spec/format.mjs"));
  const names = listCases(ROOT)
    .map((c) => `${c.area}/${c.name}`)
    .filter((n) => !(n in STRESS_SKIP));
  for (const [n, why] of Object.entries(STRESS_SKIP)) console.log(`stress: skipping ${n} (${why})`);
  const label = "spec/run.ts (stress build)";
  return countsFrom(
    label,
    await run(label, BIN("tsx"), [spec, "--quiet", "--wasm", join(ROOT, "build/lua-stress.wasm"), ...names]),
  );
}

/**
 * The spec cases on build/lua-stressinc.wasm (asserts on, ONE incremental collector step at every
 * GC safe point, so stores happen at every point of a cycle; the tri-colour invariant is checked
 * over the whole heap at the end of each mark): finds missing write barriers. TEST_STRESS=0 skips it.
 */
async function stressIncSpec(spec) {
  const b = await run("build:stress-inc", "npm", ["run", "--silent", "build:stress-inc"]);
  if (b.code !== 0) return { passed: 0, failed: 1, note: "stress-inc build failed" };
  const { listCases } = await import(join(ROOT, "spec/format.mjs"));
  const names = listCases(ROOT)
    .map((c) => `${c.area}/${c.name}`)
    .filter((n) => !(n in STRESS_SKIP));
  for (const [n, why] of Object.entries(STRESS_SKIP)) console.log(`stress-inc: skipping ${n} (${why})`);
  const label = "spec/run.ts (stress-inc build)";
  return countsFrom(
    label,
    await run(label, BIN("tsx"), [spec, "--quiet", "--wasm", join(ROOT, "build/lua-stressinc.wasm"), ...names]),
  );
}

/**
 * The spec cases on the release build with the baseline JIT on at threshold 0 (every function
 * compiled at its first call or loop) and its stress mode (compiled code exits to the interpreter
 * every 3 instructions, so the exits at every kind of instruction are taken): outputs and messages
 * must stay those of the interpreter. spec/run-worker.ts reads the two variables. TEST_JIT=0 skips it.
 */
async function jitSpec(spec) {
  const label = "spec/run.ts (JIT, threshold 0, stress 3)";
  const env = { LUA_WASM_JIT_THRESHOLD: "0", LUA_WASM_JIT_STRESS: "3" };
  return countsFrom(label, await run(label, BIN("tsx"), [spec, "--quiet"], env));
}

/** Every spec/<dir>/run.{mjs,ts} that exists. */
function extraRunners() {
  const specDir = join(ROOT, "spec");
  if (!existsSync(specDir)) return [];
  const found = [];
  for (const d of readdirSync(specDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const f of ["run.mjs", "run.ts"]) if (existsSync(join(specDir, d, f))) found.push(`spec/${d}/${f}`);
  }
  return found;
}

function command(file) {
  return file.endsWith(".ts") ? [BIN("tsx"), [file]] : [process.execPath, [file]];
}

// ==== main ====

const totals = { passed: 0, failed: 0 };
const notes = [];
const add = (label, c) => {
  totals.passed += c.passed;
  totals.failed += c.failed;
  if (c.note) notes.push(c.note);
  console.log(`--- ${label}: ${c.passed} passed, ${c.failed} failed`);
};

// --no-build reuses build/ and dist/ as they are (for quick local reruns).
const b = process.argv.includes("--no-build") ? { passed: 0, failed: 0 } : await build();
add("build", b);
add("typecheck", await typecheck());
add("eslint", await eslint());
add("prettier --check", await prettier());
if (!b.fatal) {
  add("vitest", await vitest());
  const spec = join(ROOT, "spec/run.ts");
  if (existsSync(spec)) add("spec/run.ts", countsFrom("spec/run.ts", await run("spec/run.ts", BIN("tsx"), [spec])));
  if (existsSync(spec) && process.env.TEST_DEBUG !== "0") add("spec/run.ts (debug build)", await debugSpec(spec));
  if (existsSync(spec) && process.env.TEST_STRESS !== "0") add("spec/run.ts (stress build)", await stressSpec(spec));
  if (existsSync(spec) && process.env.TEST_STRESS !== "0")
    add("spec/run.ts (stress-inc build)", await stressIncSpec(spec));
  if (existsSync(spec) && process.env.TEST_JIT !== "0") add("spec/run.ts (JIT)", await jitSpec(spec));
  for (const file of extraRunners()) {
    const [cmd, args] = command(file);
    add(file, countsFrom(file, await run(file, cmd, args)));
  }
}
console.log("");
for (const n of notes) console.log(`note: ${n}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 ? 1 : 0;
