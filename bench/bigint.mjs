// bigint.mjs - `node bench/bigint.mjs [--ms N] [--rounds R]`: the speed goals of require "bigint" (issue #17),
// measured against JS's native BigInt in the same run on the same machine:
//   1. multiplying two 10,000-digit numbers (goal: within 3x of BigInt),
//   2. printing a 100,000-digit number in decimal (goal: within 10x), and parsing it back.
// Each side runs about --ms milliseconds (default 2000) per figure, after a warm-up, in --rounds
// (default 7) alternating slices, and the median slice's mean time per operation is reported (the
// machine's load then weighs on both sides alike). Wall clock on both sides; ours runs each slice
// as one Lua call (one boundary crossing per slice, not per operation). Needs npm run build.

import { Lua } from "../dist/host/index.js";

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MS = arg("--ms", 2000);
const ROUNDS = arg("--rounds", 7);

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

const L = await Lua.create({ memoryLimit: 0 });
L.run(`bigint = require "bigint"`);

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/**
 * Mean ms per operation of ours (the Lua statement `body`, after `setup`, looped inside one Lua call)
 * and of JS (`jsFn`), by the wall clock: after a warm-up, ROUNDS alternating slices of MS/ROUNDS ms
 * each side, and the median slice of each, so that load from other processes hits both alike.
 */
function compare(jsFn, setup, body) {
  L.run(`${setup}
    function loop(n) for _ = 1, n do ${body} end end`);
  const runLua = (n) => {
    const t0 = performance.now();
    L.call("loop", n);
    return performance.now() - t0;
  };
  const runJs = (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) jsFn();
    return performance.now() - t0;
  };
  const slice = MS / ROUNDS;
  const calibrate = (run) => {
    let n = 1;
    run(1);
    while (run(n) < slice / 4) n *= 2;
    return Math.max(1, Math.round((n * slice) / Math.max(run(n), 1e-3)));
  };
  const nl = calibrate(runLua),
    nj = calibrate(runJs);
  const ours = [],
    js = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(runLua(nl) / nl);
    js.push(runJs(nj) / nj);
  }
  return [median(ours), median(js)];
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
  L.global.set("A", a);
  L.global.set("B", b);
  const [ours, js] = compare(() => (sink = ja * jb), "a, b = bigint(A), bigint(B)", "p = a * b");
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
  L.global.set("S", s);
  const [print, jsPrint] = compare(() => (sink = j.toString()), "x = bigint(S)", "out = tostring(x)");
  const [parse, jsParse] = compare(() => (sink = BigInt(s)), "", "y = bigint(S)");
  const [check] = L.run("return out == S and tostring(y) == S and S or 'differs'");
  if (check !== s) throw new Error("printing result differs from the input");
  row("print a 100,000-digit number (decimal)", 10, print, jsPrint);
  row("parse a 100,000-digit number (decimal)", 10, parse, jsParse);
  void sink;
}

const f = (ms) => (ms < 1 ? ms.toFixed(4) : ms.toFixed(2)) + " ms";
console.log(`bigint vs JS BigInt (node ${process.version}, ${MS} ms per side and figure, median of ${ROUNDS} slices)`);
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
