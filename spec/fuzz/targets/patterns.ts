// patterns.ts - differential fuzzer of the pattern functions: random patterns (character classes,
// bracket sets, quantifiers, captures, anchors, %b, %f, back-references, malformed items) over random
// subjects, through string.find/match/gmatch/gsub (with a nested gsub in a replacement function),
// compared byte for byte with lua5.4. It guards the scanners' fast paths in lib/pattern.ts (first-item
// sets, one-item find/match, runs of a class) against the matcher's exact semantics.
//
//   tsx spec/fuzz/targets/patterns.ts --short          fixed seed; expected sha1s from
//                                                      spec/fuzz/patterns/short-expected.json (no lua5.4 needed)
//   tsx spec/fuzz/targets/patterns.ts --regen          rewrites that file with lua5.4 (LUA_BIN=...)
//   npm run fuzz -- --target patterns --minutes 5      live comparison with lua5.4
//   ... [--iterations N] [--seed S] [--wasm build/lua-debug.wasm] [--show S:I]
//
// Program I of seed S is always the same text (the generator is Lua code inside it, seeded by S and
// I), so a failure is reproduced by --show S:I. Invariant: ends with one line "N passed, N failed";
// exit status non-zero iff a program failed.

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, OurRunner, runOracle, same, type Outcome } from "../difffuzz/runners.js";
import { targetArgs } from "../lib.js";

const EXPECTED = join(dirname(fileURLToPath(import.meta.url)), "../patterns/short-expected.json");
const SHORT_SEED = 20261207;
const SHORT_COUNT = 24;
const CASES = 250; // patterns per program

/** Program `index` of `seed`: a Lua chunk that generates its cases and prints every result. */
function program(seed: number, index: number): string {
  return `local x = ${(seed % 1000003) * 1000 + index}
local function rnd(n) x = (x * 1103515245 + 12345) % 2147483648 return x % n + 1 end
local atoms = {"a", "%d", "%a", "%s", "%w", "%p", "%D", "%A", "%z", "%Z", "%x", "%U", "%l", "%g", "%C", ".",
  "%.", "%%", "%-", "%]", "[abc]", "[^abc]", "[a-f]", "[^%d]", "[%a_]", "[%]]", "[]]", "[^]]", "[\\0-\\9]",
  "[\\128-\\255]", "[-]", "[a-]", "[z-a]", "[%w%s]", "[^%s%p]", "[%^x]", "[^^]", "[a%-z]", "x", "1", " ", "\\0",
  "]", "^", "$", "(", ")", "()", "%b()", "%b[]", "%f[%a]", "%f[^%d]", "%1", "%2", "[", "%", "[^", "[%"}
local sfx = {"", "", "", "+", "*", "-", "?"}
local chars = "ab1 2,.-_x]^$%()[\\0\\200\\255\\t\\nABCz9"
local function subject()
  local t = {}
  for i = 1, rnd(rnd(3) == 1 and 60 or 12) - 1 do local k = rnd(#chars) t[i] = chars:sub(k, k) end
  return table.concat(t)
end
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = type(t[i]) == "string" and ("%q"):format(t[i]) or tostring(t[i]) end
  return table.concat(t, " ", 1, t.n)
end
local function pat(n)
  local p = {}
  if rnd(6) == 1 then p[#p + 1] = "^" end
  for i = 1, n do p[#p + 1] = atoms[rnd(#atoms)] .. sfx[rnd(#sfx)] end
  return table.concat(p)
end
for case = 1, ${CASES} do
  local p, s, init = pat(rnd(3)), subject(), rnd(16) - 5
  local p2 = pat(2)
  local r = {show(pcall(string.find, s, p, init)), show(pcall(string.match, s, p, init)),
    show(pcall(string.gsub, s, p, "<%0>", rnd(4) == 1 and 2 or nil)),
    show(pcall(string.gsub, s, p, {a = "A", ["1"] = false})),
    show(pcall(function () local o = {} for a, b in string.gmatch(s, p) do o[#o + 1] = show(a, b) end return table.concat(o, ",") end)),
    show(pcall(string.gsub, s, p, function (a) return (string.gsub(tostring(a) .. "ab1[]%", p2, "#")) end))}
  print(case, ("%q"):format(p), ("%q"):format(s), init, ("%q"):format(p2), table.concat(r, " | "))
end
`;
}

const sha1 = (s: string) => createHash("sha1").update(s, "latin1").digest("hex");
const digest = (o: Outcome) => sha1(o.out + "\n[error] " + o.err);

interface Args {
  short: boolean;
  regen: boolean;
  minutes: number;
  iterations: number;
  seed: number;
  wasm?: string;
  show?: string;
}

/** The command line (spec/fuzz/lib.ts targetArgs); 100 programs when it asks for no run length. */
function parseArgs(): Args {
  const { flag, has } = targetArgs();
  const a: Args = {
    short: has("--short"),
    regen: has("--regen"),
    minutes: Number(flag("--minutes") ?? 0),
    iterations: Number(flag("--iterations") ?? 0),
    seed: Number(flag("--seed") ?? Date.now() % 1e9),
    wasm: flag("--wasm"),
    show: flag("--show"),
  };
  if (!a.short && !a.regen && !a.show && a.minutes <= 0 && a.iterations <= 0) a.iterations = 100;
  return a;
}

async function main(): Promise<number> {
  const a = parseArgs();
  if (a.show) {
    const [s, i] = a.show.split(":").map(Number);
    const src = program(s, i);
    console.log(src);
    const ours = new OurRunner(1, a.wasm);
    const [exp] = await runOracle([src]);
    const act = await ours.run(src);
    ours.close();
    console.log(same(exp, act) ? "same" : describe(exp, act));
    return 0;
  }
  if (a.regen) {
    const programs = Array.from({ length: SHORT_COUNT }, (_, i) => program(SHORT_SEED, i));
    const outcomes = await runOracle(programs);
    const file = {
      seed: SHORT_SEED,
      count: SHORT_COUNT,
      cases: CASES,
      generated_by: "tsx spec/fuzz/targets/patterns.ts --regen (lua5.4)",
      program_sha1: programs.map(sha1),
      outcome_sha1: outcomes.map(digest),
    };
    writeFileSync(EXPECTED, JSON.stringify(file, null, 1) + "\n");
    console.log(`wrote ${EXPECTED}: ${SHORT_COUNT} programs`);
    return 0;
  }
  const ours = new OurRunner(20, a.wasm);
  let passed = 0,
    failed = 0;
  const t0 = performance.now();
  if (a.short) {
    const file = JSON.parse(readFileSync(EXPECTED, "utf8")) as {
      seed: number;
      count: number;
      program_sha1: string[];
      outcome_sha1: string[];
    };
    for (let i = 0; i < file.count; i++) {
      const src = program(file.seed, i);
      if (sha1(src) !== file.program_sha1[i]) {
        failed++;
        console.log(`program ${file.seed}:${i} is not the one the expected file was made from: run --regen`);
        continue;
      }
      const act = await ours.run(src);
      if (!act.internal && digest(act) === file.outcome_sha1[i]) passed++;
      else {
        failed++;
        console.log(`FAIL program ${file.seed}:${i}: differs from lua5.4 (--show ${file.seed}:${i})`);
      }
    }
  } else {
    const deadline = a.minutes > 0 ? t0 + a.minutes * 60000 : Infinity;
    for (let i = 0; (a.iterations <= 0 || i < a.iterations) && performance.now() < deadline; i += 10) {
      const n = a.iterations > 0 ? Math.min(10, a.iterations - i) : 10;
      const srcs = Array.from({ length: n }, (_, k) => program(a.seed, i + k));
      const exps = await runOracle(srcs);
      for (let k = 0; k < n; k++) {
        const act = await ours.run(srcs[k]);
        if (same(exps[k], act)) passed++;
        else {
          failed++;
          console.log(`FAIL program ${a.seed}:${i + k} (--show ${a.seed}:${i + k}): ${describe(exps[k], act)}`);
        }
      }
      if ((i / 10) % 10 === 0) console.log(`seed ${a.seed}: ${passed + failed} programs`);
    }
  }
  ours.close();
  console.log(`patterns: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${CASES} patterns a program`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

main().then(
  (failed) => process.exit(failed > 0 ? 1 : 0),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
