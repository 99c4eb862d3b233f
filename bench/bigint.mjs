// bigint.mjs - `node bench/bigint.mjs [--ms N]`: the speed goals of require "bigint" (issue #17),
// measured against JS's native BigInt in the same run on the same machine:
//   1. multiplying two 10,000-digit numbers (goal: within 3x of BigInt),
//   2. printing a 100,000-digit number in decimal (goal: within 10x), and parsing it back.
// Each figure is the mean time per operation over a loop of at least --ms milliseconds (default
// 1000), after a warm-up, by the wall clock on both sides: ours runs the loop inside one Lua call
// (the boundary crossing is once per loop, not per operation). Needs the built module (npm run build).

import { Lua } from "../dist/host/index.js";

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MS = arg("--ms", 1000);

/** A pseudo-random decimal numeral of exactly `digits` digits (fixed seed: the same every run). */
function numeral(digits, seed) {
  let x = seed >>> 0;
  let s = "";
  for (let i = 0; i < digits; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const d = x % 10;
    s += i === 0 && d === 0 ? "7" : String(d);
  }
  return s;
}

/** Mean ms per call of fn over at least MS ms (after a warm-up of a tenth of it). */
function timeJs(fn) {
  let t0 = performance.now();
  while (performance.now() - t0 < MS / 10) fn();
  let n = 0;
  t0 = performance.now();
  let t;
  do {
    fn();
    n++;
    t = performance.now() - t0;
  } while (t < MS);
  return t / n;
}

const L = await Lua.create({ memoryLimit: 0 });
L.run(`bigint = require "bigint"`);

/** Mean ms per run of the Lua statement `body` (with the locals set up by `setup`), wall clock. */
function timeLua(setup, body) {
  L.run(`${setup}
    function loop(n) for _ = 1, n do ${body} end end`);
  const run = (n) => {
    const t0 = performance.now();
    L.call("loop", n);
    return performance.now() - t0;
  };
  let n = 1;
  run(1);
  while (run(n) < MS / 10) n *= 2; // warm-up and calibration
  const total = Math.max(1, Math.round((n * MS) / Math.max(run(n), 1e-3)));
  return run(total) / total;
}
const rows = [];
function row(name, goal, ours, js) {
  rows.push({ name, ours, js, ratio: ours / js, goal });
}

// 1. multiplication of two 10,000-digit numbers
{
  const a = numeral(10000, 1),
    b = numeral(10000, 2);
  const ja = BigInt(a),
    jb = BigInt(b);
  let sink;
  const js = timeJs(() => (sink = ja * jb));
  L.global.set("A", a);
  L.global.set("B", b);
  const ours = timeLua("a, b = bigint(A), bigint(B)", "p = a * b");
  const [check] = L.run("return tostring(p)");
  if (check !== (ja * jb).toString()) throw new Error("multiplication result differs from BigInt");
  row("multiply 10,000 × 10,000 digits", 3, ours, js);
  void sink;
}

// 2. printing (and parsing) a 100,000-digit number
{
  const s = numeral(100000, 3);
  const j = BigInt(s);
  let sink;
  const jsPrint = timeJs(() => (sink = j.toString()));
  const jsParse = timeJs(() => (sink = BigInt(s)));
  L.global.set("S", s);
  const print = timeLua("x = bigint(S)", "out = tostring(x)");
  const parse = timeLua("", "y = bigint(S)");
  const [check] = L.run("return out == S and tostring(y) == S and S or 'differs'");
  if (check !== s) throw new Error("printing result differs from the input");
  row("print a 100,000-digit number (decimal)", 10, print, jsPrint);
  row("parse a 100,000-digit number (decimal)", 10, parse, jsParse);
  void sink;
}

const f = (ms) => (ms < 1 ? ms.toFixed(4) : ms.toFixed(2)) + " ms";
console.log(`bigint vs JS BigInt (node ${process.version}, ${MS} ms per figure)`);
console.log(
  "operation".padEnd(42) + "lua-wasm".padStart(14) + "JS BigInt".padStart(14) + "ratio".padStart(8) + "  goal",
);
for (const r of rows)
  console.log(
    r.name.padEnd(42) +
      f(r.ours).padStart(14) +
      f(r.js).padStart(14) +
      (r.ratio.toFixed(2) + "x").padStart(8) +
      `  ≤ ${r.goal}x ${r.ratio <= r.goal ? "ok" : "MISSED"}`,
  );
L.close();
