// bigint.ts - fuzzer of require "bigint" against JavaScript's BigInt: random operations on random
// operands (0 to 5,000 digits, both signs, with the edge values around 2^32, 2^63 and 2^64 mixed in,
// and long runs of 0 or 0xFFFFFFFF limbs that stress carries and the quotient correction steps),
// crossing the host boundary both ways. Each case is one operation; it passes when the result (or
// the error message, for a zero divisor or a negative exponent) is exactly BigInt's.
// Usage: tsx spec/fuzz/targets/bigint.ts [--short | --iterations N | --minutes M] [--seed S]
//        [--wasm build/lua-debug.wasm]
// Ends with "N passed, N failed"; exit status 1 on a failure (each failure prints a replayable line).

import { Lua } from "../../../host/index.js";
import { rng, targetArgs } from "../lib.js";

const { flag, has } = targetArgs();
const short = has("--short");
const seed = Number(flag("--seed") ?? 20261217);
const wasm = flag("--wasm");
const iterations = Number(flag("--iterations") ?? (short ? 1500 : 1e12));
const deadline = Date.now() + (flag("--minutes") ? Number(flag("--minutes")) * 60_000 : short ? 40_000 : 10 * 60_000);

const r = rng(seed);
const int = (n: number): number => Math.floor(r() * n);

/** A random operand: mostly random digits, sometimes an edge value or a limb pattern. */
function operand(): bigint {
  const k = int(10);
  if (k === 0) {
    const e = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 10n ** 9n];
    const v = e[int(e.length)] + BigInt(int(3) - 1);
    return int(2) ? -v : v;
  }
  if (k === 1) {
    // limbs of all ones or zeros: carries through every limb, quotient estimates at their limit
    const n = 1 + int(300);
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 32n) | (int(3) === 0 ? 0n : int(2) ? 0xffffffffn : BigInt(int(2 ** 30)));
    return int(2) ? -v : v;
  }
  const maxd = k < 6 ? 60 : k < 9 ? 800 : 5000;
  const d = int(maxd + 1);
  if (d === 0) return 0n;
  let s = String(1 + int(9));
  for (let i = 1; i < d; i++) s += String(int(10));
  return int(2) ? -BigInt(s) : BigInt(s);
}

const fdiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};
const fmod = (a: bigint, b: bigint): bigint => {
  const rr = a % b;
  return rr !== 0n && rr < 0n !== b < 0n ? rr + b : rr;
};
const abs = (a: bigint): bigint => (a < 0n ? -a : a);
const isqrt = (a: bigint): bigint => {
  if (a < 2n) return a;
  let x = 1n << BigInt((a.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + a / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
};
const gcd = (a: bigint, b: bigint): bigint => {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};
const powmod = (a: bigint, e: bigint, m: bigint): bigint => {
  const am = abs(m);
  let base = fmod(a, am),
    res = 1n % am;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) res = (res * base) % am;
    base = (base * base) % am;
  }
  return m < 0n && res !== 0n ? res + m : res;
};

/** The operations: Lua expression over a, b, n (a small integer), and the BigInt oracle. */
const OPS: [string, string, (a: bigint, b: bigint, n: number) => unknown][] = [
  ["add", "a + b", (a, b) => a + b],
  ["sub", "a - b", (a, b) => a - b],
  ["mul", "a * b", (a, b) => a * b],
  ["idiv", "a // b", (a, b) => (b === 0n ? "attempt to divide by zero" : fdiv(a, b))],
  ["mod", "a % b", (a, b) => (b === 0n ? "attempt to perform 'n%0'" : fmod(a, b))],
  ["unm", "-a", (a) => -a],
  ["band", "a & b", (a, b) => a & b],
  ["bor", "a | b", (a, b) => a | b],
  ["bxor", "a ~ b", (a, b) => a ^ b],
  ["bnot", "~a", (a) => ~a],
  ["shl", "a << n", (a, _b, n) => (n >= 0 ? a << BigInt(n) : a >> BigInt(-n))],
  ["shr", "a >> n", (a, _b, n) => (n >= 0 ? a >> BigInt(n) : a << BigInt(-n))],
  ["pow", "a ^ (n % 7)", (a, _b, n) => a ** BigInt(((n % 7) + 7) % 7)],
  ["lt", "a < b", (a, b) => a < b],
  ["le", "a <= b", (a, b) => a <= b],
  ["eq", "a == b", (a, b) => a === b],
  [
    "tostring",
    "bigint.tostring(a, 2 + (n % 35 + 35) % 35)",
    (a, _b, n) => {
      const base = 2 + (((n % 35) + 35) % 35);
      return (a < 0n ? "-" : "") + abs(a).toString(base);
    },
  ],
  ["parse", "bigint(tostring(a)) == a and bigint(bigint.key(a)) == a", () => true],
  ["tonumber", "bigint.tonumber(a)", (a) => Number(a)],
  ["gcd", "bigint.gcd(a, b)", (a, b) => gcd(a, b)],
  ["sqrt", "bigint.sqrt(bigint.abs(a))", (a) => isqrt(abs(a))],
  [
    "powmod",
    "bigint.pow(a, bigint.abs(b) % 4096, c)",
    (a, b, n) => {
      const m = BigInt(n === 0 ? 1 : n) * 1000003n;
      return powmod(a, abs(b) % 4096n, m);
    },
  ],
  ["mixint", "a + n, n - a, a * n", (a, _b, n) => [a + BigInt(n), BigInt(n) - a, a * BigInt(n)]],
];

const L = await Lua.create({ memoryLimit: 0, ...(wasm ? { wasm } : {}) });
L.run(`bigint = require "bigint"
fns = {}`);
for (const [name, expr] of OPS)
  L.run(`fns.${name} = function(x, y, n)
    local a, b, c = bigint(x), bigint(y), bigint(n == 0 and 1 or n) * 1000003
    return ${expr}
  end`);
L.run(`function op(name, x, y, n)
  local r = table.pack(pcall(fns[name], x, y, n))
  if not r[1] then return "error", (r[2]:gsub("^[^:]*:%d+: ", "")) end
  return "ok", table.unpack(r, 2, r.n)
end`);

let passed = 0,
  failed = 0,
  i = 0;
const t0 = Date.now();
for (; i < iterations && Date.now() < deadline; i++) {
  const [name, , oracle] = OPS[int(OPS.length)];
  const a = operand(),
    b = operand();
  const n = int(400) - 200;
  let want = oracle(a, b, n);
  const got = L.call("op", name, a.toString(), b.toString(), n) as unknown[];
  let ok: boolean;
  if (typeof want === "string" && name !== "tostring") ok = got[0] === "error" && got[1] === want;
  else {
    if (!Array.isArray(want)) want = [want];
    const vals = got.slice(1).map((v) => (typeof v === "number" && name !== "tonumber" ? BigInt(v) : v));
    ok = got[0] === "ok" && JSON.stringify(vals, big) === JSON.stringify(want, big);
  }
  if (ok) passed++;
  else {
    failed++;
    console.log(
      `FAIL seed ${seed} case ${i}: ${name} a=${a} b=${b} n=${n}: want ${JSON.stringify(want, big)}, got ${JSON.stringify(got, big)}`,
    );
  }
  if ((i + 1) % 500 === 0) console.log(`${i + 1} cases, ${failed} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
L.close();
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v;
}
