// difffuzz.ts - grammar-based differential fuzzer: random Lua programs (spec/fuzz/difffuzz/gen.ts)
// run through our interpreter and compared byte for byte (stdout and error message) with lua5.4.
//
//   tsx spec/fuzz/targets/difffuzz.ts --short            fixed seed; expected outputs from
//                                                        spec/fuzz/difffuzz/short-expected.json.gz (gzipped JSON,
//                                                        made by lua5.4; no lua5.4 needed)
//   tsx spec/fuzz/targets/difffuzz.ts --regen            rewrites that file with lua5.4 (LUA_BIN=...)
//   npm run fuzz -- --target difffuzz --minutes 20       live comparison with lua5.4, batched
//   ... [--iterations N] [--seed S] [--start I] [--batch N] [--out DIR] [--wasm build/lua-debug.wasm]
//                                                        (--start I --iterations 1: re-checks program I alone)
//   ... --show S:I                                       prints program I of seed S (and both outcomes)
//
// Program I of seed S is always the same text, so a failure is reproduced by its seed and index. On a
// difference the program, both outcomes and a line-minimized reproduction are saved under --out
// (default /tmp/difffuzz). Differences where lua5.4 (5.4.4) has a bug that 5.4.8 fixed are listed in
// spec/fuzz/difffuzz/allowlist.json with a reason and counted apart, never silently skipped.
// Invariant: ends with one line "N passed, N failed"; exit status non-zero iff a program failed.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { generate, PRELUDE } from "../difffuzz/gen.js";
import { describe, OurRunner, runOracle, same, type Outcome } from "../difffuzz/runners.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "../difffuzz");
const EXPECTED = join(DIR, "short-expected.json.gz");
const ALLOWLIST = join(DIR, "allowlist.json");
const SHORT_SEED = 20261206;
const SHORT_COUNT = 1500;

interface Args {
  short: boolean;
  regen: boolean;
  minutes: number;
  iterations: number;
  seed: number;
  start: number;
  batch: number;
  out: string;
  wasm?: string;
  show?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    short: false,
    regen: false,
    minutes: 0,
    iterations: 0,
    seed: Date.now() % 1e9,
    start: 0,
    batch: 250,
    out: "/tmp/difffuzz",
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i],
      v = argv[i + 1];
    if (f === "--short") a.short = true;
    else if (f === "--regen") a.regen = true;
    else if (f === "--minutes") {
      a.minutes = Number(v);
      i++;
    } else if (f === "--iterations") {
      a.iterations = Number(v);
      i++;
    } else if (f === "--seed") {
      a.seed = Number(v);
      i++;
    } else if (f === "--start") {
      a.start = Number(v);
      i++;
    } else if (f === "--batch") {
      a.batch = Number(v);
      i++;
    } else if (f === "--out") {
      a.out = v;
      i++;
    } else if (f === "--wasm") {
      a.wasm = v;
      i++;
    } else if (f === "--show") {
      a.show = v;
      i++;
    } else throw new Error(`unknown flag ${f}`);
  }
  if (!a.short && !a.regen && !a.show && a.minutes <= 0 && a.iterations <= 0) a.iterations = 1000;
  return a;
}

const hash = (s: string) => createHash("sha1").update(s, "latin1").digest("hex").slice(0, 12);
const sha1 = (s: string) => createHash("sha1").update(s, "latin1").digest("hex");

// ==== allowlist: differences explained by a lua5.4 (5.4.4) bug fixed in 5.4.8 ====

interface Allowed {
  reason: string;
  match: string;
  erase: string;
}
const allowlist: Allowed[] = existsSync(ALLOWLIST)
  ? (JSON.parse(readFileSync(ALLOWLIST, "utf8")).entries as Allowed[])
  : [];
const LUA548 = process.env.LUA548_BIN;

const whole = (o: Outcome) => o.out + "\n[error] " + o.err;

/**
 * The allowlist entries explaining a difference: while the outputs differ, an entry whose `match`
 * matches lua5.4's first differing line has its `erase` removed from both; allowed when they end
 * up equal. Null when some difference is explained by no entry.
 */
function allowed(expected: Outcome, actual: Outcome): Allowed[] | null {
  if (actual.internal || expected.timeout) return null;
  let e = whole(expected),
    a = whole(actual);
  const used: Allowed[] = [];
  while (e !== a) {
    const el = e.split("\n"),
      al = a.split("\n");
    let i = 0;
    while (i < el.length && el[i] === al[i]) i++;
    const x = allowlist.find((x) => !used.includes(x) && new RegExp(x.match).test(el[i] ?? ""));
    if (!x) return null;
    used.push(x);
    e = e.replace(new RegExp(x.erase, "g"), "");
    a = a.replace(new RegExp(x.erase, "g"), "");
  }
  return used;
}

/**
 * Whether Lua 5.4.8 confirms an allowed difference: on every line where lua5.4 and we differ, 5.4.8
 * prints what we print (elsewhere 5.4.8 may differ from both: where 5.4.8 changed something the
 * 5.4.8 suite does not test, we follow lua5.4, e.g. table.remove's argument number).
 */
function confirmedBy548(expected: Outcome, actual: Outcome, v548: Outcome): boolean {
  const e = whole(expected).split("\n"),
    a = whole(actual).split("\n"),
    v = whole(v548).split("\n");
  if (e.length !== a.length || a.length !== v.length) return same(v548, actual);
  return a.every((line, i) => line === e[i] || line === v[i]);
}

/** Lua 5.4.8's outcome when LUA548_BIN is set (to confirm allowed differences and triage others). */
async function lua548(src: string): Promise<Outcome | null> {
  return LUA548 ? (await runOracle([src], LUA548))[0] : null;
}

// ==== failures: save and minimize ====

/** Deletes runs of lines (halving the run length down to one line) while the difference persists. */
async function minimize(src: string, orig: { exp: Outcome; act: Outcome }, ours: OurRunner): Promise<string> {
  let lines = src.split("\n");
  const keep = PRELUDE.split("\n").length; // the prelude stays: without P the outputs say little
  const differs = async (cand: string) => {
    const [exp] = await runOracle([cand]);
    const act = await ours.run(cand);
    // the same kind of failure: ours still internal if it was, and lua5.4 still compiles it
    return (
      !same(exp, act) &&
      !exp.timeout &&
      !!act.internal === !!orig.act.internal &&
      (!exp.syntax || !!orig.exp.syntax) &&
      !allowed(exp, act)
    );
  };
  for (let run = Math.max(1, lines.length >> 1); run >= 1; run = run === 1 ? 0 : Math.max(1, run >> 1)) {
    for (let i = lines.length - run; i >= keep; i -= run) {
      const cand = [...lines.slice(0, i), ...lines.slice(i + run)];
      if (await differs(cand.join("\n"))) lines = cand;
    }
  }
  return lines.join("\n");
}

async function saveFailure(
  out: string,
  seed: number,
  index: number,
  src: string,
  exp: Outcome,
  act: Outcome,
  ours: OurRunner,
  doMin: boolean,
): Promise<void> {
  mkdirSync(out, { recursive: true });
  const base = join(out, `diff-${seed}-${index}`);
  writeFileSync(`${base}.lua`, Buffer.from(src, "latin1"));
  writeFileSync(
    `${base}.txt`,
    `seed ${seed} index ${index}\n${describe(exp, act)}\n\n--- lua5.4 stdout\n${exp.out}\n--- lua5.4 error\n${exp.err}\n--- ours stdout\n${act.out}\n--- ours error\n${act.err}\n`,
    "latin1",
  );
  if (doMin) {
    const m = await minimize(src, { exp, act }, ours);
    writeFileSync(`${base}.min.lua`, Buffer.from(m, "latin1"));
    console.log(`  minimized (${m.split("\n").length} lines): ${base}.min.lua`);
  }
  console.log(`  saved: ${base}.lua, ${base}.txt`);
}

// ==== modes ====

/** A case's expected outcome: stdout with its long lines compacted (see compact), and the error. */
interface ExpectedCase {
  hash: string;
  out: string;
  err: string | null;
}
interface ExpectedFile {
  seed: number;
  count: number;
  generated_by: string;
  cases: ExpectedCase[];
}

/**
 * Stdout with the big strings some programs print replaced by their length and sha1: a line longer
 * than 256 bytes, and a run of lines of 64 bytes or more totalling over 4 KiB. Keeps the committed
 * file small, while the ordinary lines stay verbatim so allowlist entries still apply to them.
 */
function compact(out: string): string {
  const res: string[] = [];
  const lines = out.split("\n");
  for (let i = 0; i < lines.length;) {
    let j = i,
      size = 0;
    while (j < lines.length && lines[j].length >= 64) size += lines[j++].length + 1;
    if (size > 4096) {
      const run = lines.slice(i, j).join("\n");
      res.push(`[${j - i} lines, ${run.length} bytes, sha1 ${sha1(run)}]`);
      i = j;
      continue;
    }
    const l = lines[i++];
    res.push(l.length > 256 ? `${l.slice(0, 64)}[... ${l.length} bytes, sha1 ${sha1(l)}]` : l);
  }
  return res.join("\n");
}

async function regen(): Promise<void> {
  const programs = Array.from({ length: SHORT_COUNT }, (_, i) => generate(SHORT_SEED, i));
  const outcomes = await runOracle(programs);
  const file: ExpectedFile = {
    seed: SHORT_SEED,
    count: SHORT_COUNT,
    generated_by: "tsx spec/fuzz/targets/difffuzz.ts --regen (lua5.4)",
    cases: programs.map((p, i) => ({ hash: hash(p), out: compact(outcomes[i].out), err: outcomes[i].err })),
  };
  writeFileSync(EXPECTED, gzipSync(JSON.stringify(file, null, 0).replace(/\},\{/g, "},\n{") + "\n", { level: 9 }));
  const errs = outcomes.filter((o) => o.err !== null).length;
  console.log(`wrote ${EXPECTED}: ${SHORT_COUNT} programs (${errs} end in an error)`);
}

async function short(a: Args): Promise<number> {
  const file = JSON.parse(gunzipSync(readFileSync(EXPECTED)).toString("utf8")) as ExpectedFile;
  const ours = new OurRunner(100, a.wasm);
  let passed = 0,
    failed = 0,
    allowedCount = 0;
  const t0 = performance.now();
  for (let i = 0; i < file.count; i++) {
    const src = generate(file.seed, i);
    const exp: Outcome = { out: file.cases[i].out, err: file.cases[i].err };
    if (hash(src) !== file.cases[i].hash) {
      failed++;
      console.log(
        `program ${file.seed}:${i} is not the one the expected file was made from: the generator changed; run tsx spec/fuzz/targets/difffuzz.ts --regen`,
      );
      continue;
    }
    const ran = await ours.run(src);
    const act = { ...ran, out: compact(ran.out) };
    if (same(exp, act)) {
      passed++;
      continue;
    }
    const al = allowed(exp, act);
    if (al) {
      passed++;
      allowedCount++;
      continue;
    }
    failed++;
    console.log(`FAIL program ${file.seed}:${i} (--show ${file.seed}:${i}): ${describe(exp, act)}`);
    mkdirSync(a.out, { recursive: true });
    writeFileSync(join(a.out, `short-${file.seed}-${i}.lua`), Buffer.from(src, "latin1"));
  }
  ours.close();
  console.log(
    `short: ${file.count} programs in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${allowedCount} differences allowed by allowlist.json`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function long(a: Args): Promise<number> {
  const ours = new OurRunner(100, a.wasm);
  const deadline = a.minutes > 0 ? Date.now() + a.minutes * 60_000 : Infinity;
  const limit = a.iterations > 0 ? a.start + a.iterations : Infinity;
  let passed = 0,
    failed = 0,
    allowedCount = 0,
    errors = 0,
    index = a.start,
    minimized = 0,
    timeouts = 0;
  const t0 = performance.now();
  console.log(
    `difffuzz: seed ${a.seed}, batches of ${a.batch}, ${a.minutes > 0 ? a.minutes + " min" : limit + " programs"}`,
  );
  // the next batch's lua5.4 run overlaps with our run of the current batch
  const makeBatch = (start: number) => {
    const n = Math.min(a.batch, limit - start);
    const programs = Array.from({ length: n }, (_, i) => generate(a.seed, start + i));
    return { start, programs, oracle: runOracle(programs) };
  };
  let next = makeBatch(a.start);
  while (index < limit && Date.now() < deadline) {
    const cur = next;
    index = cur.start + cur.programs.length;
    if (index < limit) next = makeBatch(index);
    const expected = await cur.oracle;
    for (let i = 0; i < cur.programs.length; i++) {
      const src = cur.programs[i],
        exp = expected[i];
      if (exp.timeout) {
        timeouts++;
        failed++;
        console.log(
          `FAIL lua5.4 did not finish program ${a.seed}:${cur.start + i} (a generator bug: programs must end): ${exp.err}`,
        );
        continue;
      }
      const act = await ours.run(src);
      if (exp.err !== null) errors++;
      if (same(exp, act)) {
        passed++;
        continue;
      }
      const al = allowed(exp, act);
      const v548 = LUA548 ? await lua548(src) : null;
      if (al && (v548 === null || confirmedBy548(exp, act, v548))) {
        passed++;
        allowedCount++;
        continue;
      }
      failed++;
      const id = cur.start + i;
      const note =
        v548 === null
          ? ""
          : same(v548, act)
            ? " (ours equals Lua 5.4.8's output: a candidate for the allowlist)"
            : al
              ? " (allowed by the allowlist, but ours differs from Lua 5.4.8)"
              : " (Lua 5.4.8 differs too)";
      console.log(`FAIL program ${a.seed}:${id}${note}: ${describe(exp, act)}`);
      await saveFailure(a.out, a.seed, id, src, exp, act, ours, minimized++ < 10);
    }
    const secs = (performance.now() - t0) / 1000;
    if (Math.floor(index / a.batch) % 20 === 0 || index >= limit) {
      console.log(
        `  ${index - a.start} programs, ${failed} failed, ${((index - a.start) / secs).toFixed(0)} programs/s`,
      );
    }
  }
  if (index < limit) await next.oracle.catch(() => {});
  ours.close();
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `difffuzz: ${passed + failed} programs (from ${a.start}) in ${secs.toFixed(0)} s (${((passed + failed) / secs).toFixed(0)} programs/s), seed ${a.seed}; ${errors} ended in a Lua error (as in lua5.4); ${allowedCount} allowed differences; ${timeouts} not finished by lua5.4; ${failed} differences`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function show(spec: string, a: Args): Promise<void> {
  const [seed, index] = spec.split(":").map(Number);
  const src = generate(seed, index);
  process.stdout.write(src);
  const [exp] = await runOracle([src]);
  const ours = new OurRunner(1, a.wasm);
  const act = await ours.run(src);
  ours.close();
  console.log(`--- ${same(exp, act) ? "same" : "DIFFERENT: " + describe(exp, act)}`);
}

const args = parseArgs(process.argv.slice(2));
let failures = 0;
if (args.show) await show(args.show, args);
else if (args.regen) await regen();
else if (args.short) failures = await short(args);
else failures = await long(args);
process.exitCode = failures > 0 ? 1 : 0;
