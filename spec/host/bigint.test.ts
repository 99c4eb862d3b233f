// bigint.test.ts - require "bigint" through the host: properties against JavaScript's BigInt on random
// operands (0 to 5,000 digits, both signs, fixed seed), values crossing the boundary (a Lua bigint is a
// JS bigint; a JS bigint beyond 64 bits is a Lua bigint; LuaBigInt forces one), persistence (external
// tables, _home images, snapshots), the budgets (instructionLimit, memoryLimit) and the garbage
// collector giving the limbs back. Spec cases with fixed expected outputs: spec/lua/bigint/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lua, LuaBigInt, LuaError, MemoryStorage } from "../../host/index.js";
import { crc32 } from "../../host/persist/format.js";

// ==== Random operands (mulberry32, fixed seed) ====

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random integer of 0..maxDigits decimal digits (0 digits: zero), either sign. */
function randomBig(r: () => number, maxDigits: number): bigint {
  const d = Math.floor(r() * (maxDigits + 1));
  if (d === 0) return 0n;
  let s = String(1 + Math.floor(r() * 9));
  for (let i = 1; i < d; i++) s += String(Math.floor(r() * 10));
  return r() < 0.5 ? -BigInt(s) : BigInt(s);
}

const fdiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};
const fmod = (a: bigint, b: bigint): bigint => {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
};
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
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};

/** Lua side of the property test: every operation on one pair, results in a flat list. */
const OPS = `
bigint = require "bigint"
function ops(x, y, s, base)
  local a, b = bigint(x), bigint(y)
  local r = { a + b, a - b, a * b, -a, a & b, a | b, a ~ b, ~a, a << s, a >> s,
    a < b, a <= b, a == b, bigint.tostring(a, base), bigint.tonumber(a), bigint.tointeger(a) or false,
    bigint.gcd(a, b), bigint.sqrt(bigint.abs(a)), bigint.sign(b), bigint(tostring(a)) == a }
  if b ~= bigint(0) then
    r[#r + 1] = a // b
    r[#r + 1] = a % b
  end
  return r
end`;

describe("bigint against JS BigInt", () => {
  it("agrees on random operands of 0 to 5,000 digits, both signs", async () => {
    const L = await Lua.create({ memoryLimit: 0 });
    L.run(OPS);
    const r = rng(17);
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      const maxd = i < 40 ? 40 : i < 90 ? 600 : 5000;
      const a = randomBig(r, maxd),
        b = randomBig(r, maxd);
      const s = Math.floor(r() * 300);
      const base = 2 + Math.floor(r() * 35);
      // operands cross as decimal strings: bigint(x) parses them (small ones would arrive as integers)
      const [res] = L.call("ops", a.toString(), b.toString(), s, base) as [unknown[]];
      const want: unknown[] = [
        a + b,
        a - b,
        a * b,
        -a,
        a & b,
        a | b,
        a ^ b,
        ~a,
        a << BigInt(s),
        a >> BigInt(s),
        a < b,
        a <= b,
        a === b,
        (a < 0n ? "-" : "") + (a < 0n ? -a : a).toString(base),
        Number(a),
        a >= -(2n ** 63n) && a < 2n ** 63n ? a : false,
        gcd(a, b),
        isqrt(a < 0n ? -a : a),
        b > 0n ? 1 : b < 0n ? -1 : 0,
        true,
      ];
      if (b !== 0n) want.push(fdiv(a, b), fmod(a, b));
      // a Lua integer (tointeger) arrives as a number when it is safe
      const got = res.map((v, k) => (k === 15 && typeof v === "number" ? BigInt(v) : v));
      expect(got, `pair ${i}: ${a} and ${b}`).toEqual(want);
      checked++;
    }
    expect(checked).toBe(120);
    L.close();
  }, 60000);

  it("divides long numbers (Burnikel-Ziegler: long divisor and long quotient) and multiplies unbalanced ones", async () => {
    const L = await Lua.create({ memoryLimit: 0 });
    L.run(`bigint = require "bigint"
      function dm(x, y) local a, b = bigint(x), bigint(y) return a // b, a % b, a * b end`);
    const r = rng(5);
    for (let i = 0; i < 12; i++) {
      const b = randomBig(r, 4000 + i * 500) || 7n;
      const a = b * randomBig(r, 6000) + randomBig(r, 3000);
      const [q, m, p] = L.call("dm", a.toString(), b.toString()) as bigint[];
      expect(q, `quotient ${i}`).toBe(fdiv(a, b));
      expect(m, `remainder ${i}`).toBe(fmod(a, b));
      expect(p, `product ${i}`).toBe(a * b);
    }
    L.close();
  });

  it("parses and prints 20,000-digit numbers in every base", async () => {
    const L = await Lua.create({ memoryLimit: 0 });
    L.run(`bigint = require "bigint"`);
    const r = rng(99);
    for (const base of [2, 3, 7, 10, 16, 32, 36]) {
      const v = randomBig(r, 20000) || 1n;
      const digits = (v < 0n ? "-" : "") + (v < 0n ? -v : v).toString(base);
      const [back, printed] = L.run(
        `local x = bigint(${JSON.stringify(digits)}, ${base}) return x, bigint.tostring(x, ${base})`,
      );
      expect(back).toBe(v);
      expect(printed).toBe(digits);
    }
    L.close();
  });
});

describe("bigint at the host boundary", () => {
  it("returns Lua bigints as JS bigints, whatever their size", async () => {
    const L = await Lua.create();
    expect(L.run(`local b = require "bigint" return b(5), b(-2) ^ 100, b(0)`)).toEqual([5n, 2n ** 100n, 0n]);
    L.close();
  });

  it("turns a JS bigint beyond 64 bits into a Lua bigint, and LuaBigInt forces one", async () => {
    const L = await Lua.create();
    L.run(`bigint = require "bigint"`);
    L.global.set("x", 2n ** 64n);
    L.global.set("y", 2n ** 63n - 1n);
    L.global.set("z", new LuaBigInt(7n));
    L.global.set("w", -(10n ** 50n));
    expect(L.run("return bigint.isbigint(x), math.type(y), bigint.isbigint(z), tostring(w), x + 1")).toEqual([
      true,
      "integer",
      true,
      "-" + "1" + "0".repeat(50),
      2n ** 64n + 1n,
    ]);
    L.close();
  });

  it("stores bigints in external tables and reads them back as bigints", async () => {
    const L = await Lua.create();
    L.run(`bigint = require "bigint"
      t = ext.table()
      t.big, t[1], t.neg = bigint(2) ^ 200, bigint(3), -bigint(10) ^ 30`);
    expect(L.run("return bigint.isbigint(t.big), t.big == bigint(2) ^ 200, t[1] + 1, t.neg")).toEqual([
      true,
      true,
      4n,
      -(10n ** 30n),
    ]);
    const [ok, msg] = L.run("return pcall(function() t[bigint(1)] = 1 end)") as [boolean, string];
    expect(ok).toBe(false);
    expect(msg).toContain("external table keys must be strings, numbers or booleans (got bigint)");
    L.setInput({ huge: 3n ** 100n, small: 5n });
    expect(L.run("return bigint.isbigint(_io.input.huge), math.type(_io.input.small)")).toEqual([true, "integer"]);
    L.run("_io.output = { v = bigint(2) ^ 70 }");
    expect(L.getOutput()).toEqual({ v: 2n ** 70n });
    L.close();
  });

  it("keeps bigints in _home across saveState / loadState", async () => {
    const storage = new MemoryStorage();
    const a = await Lua.create({ storage });
    a.run(`local bigint = require "bigint" _home.n = bigint(7) ^ 99 _home.list = { bigint(-1), bigint(0) }`);
    await a.saveState();
    a.close();
    const b = await Lua.create({ storage });
    expect(await b.loadState()).toBe(true);
    expect(
      b.run(`local bigint = require "bigint"
        return bigint.isbigint(_home.n), _home.n, _home.list[1], _home.list[2], _home.n % 1000`),
    ).toEqual([true, 7n ** 99n, -1n, 0n, 7n ** 99n % 1000n]);
    b.close();
  });

  it("survives a snapshot: values, identity of the metatable, arithmetic", async () => {
    const a = await Lua.create();
    a.run(`bigint = require "bigint"
      x = bigint(10) ^ 40 + 1
      t = { x, x }
      e = ext.table() e.v = x`);
    const snap = a.snapshot();
    const b = await Lua.create();
    b.restore(snap);
    expect(
      b.run(`return x, rawequal(t[1], t[2]), getmetatable(x) == getmetatable(bigint(1)), x * 2, e.v == x,
        bigint.isbigint(x), tostring(x - 1)`),
    ).toEqual([10n ** 40n + 1n, true, true, 2n * (10n ** 40n + 1n), true, true, "1" + "0".repeat(40)]);
    a.close();
    b.close();
  });

  it("is available after restoring a snapshot of a build older than the library (v0.1.0)", async () => {
    const L = await Lua.create();
    L.restore(new Uint8Array(readFileSync(join(__dirname, "..", "fixtures", "formats", "snapshot-v0.1.0.bin"))));
    expect(L.run(`local bigint = require "bigint" return bigint(2) ^ 80, bigint.isbigint(bigint(1))`)).toEqual([
      2n ** 80n,
      true,
    ]);
    L.close();
  });

  it("refuses a snapshot whose bigint bytes are not canonical, and keeps the current state", async () => {
    const a = await Lua.create();
    a.run(`x = require "bigint" ("0x1234567887654321abcdef01")`);
    const snap = a.snapshot();
    // the userdata's bytes: sign 1, 3 limbs, then the limbs, least significant first
    const pattern = [1, 0, 0, 0, 3, 0, 0, 0, 0x01, 0xef, 0xcd, 0xab, 0x21, 0x43, 0x65, 0x87, 0x78, 0x56, 0x34, 0x12];
    const at = snap.findIndex((_, i) => pattern.every((b, j) => snap[i + j] === b));
    expect(at).toBeGreaterThan(0);
    const b = await Lua.create();
    b.run("kept = 42");
    for (const [off, byte] of [
      [16, 0], // a leading zero limb
      [0, 5], // a sign that is not -1, 0 or 1
      [4, 4], // a limb count that disagrees with the size
    ]) {
      const bad = snap.slice();
      for (let k = 0; k < 4; k++) bad[at + off + k] = k === 0 ? byte : 0;
      new DataView(bad.buffer).setUint32(8, crc32(bad.subarray(12)), true);
      expect(() => b.restore(bad)).toThrow(/bad snapshot: bad bigint/);
      expect(b.run("return kept")).toEqual([42]);
    }
    b.restore(snap);
    expect(b.run("return x")).toEqual([0x1234567887654321abcdef01n]);
    a.close();
    b.close();
  });

  it("never misreads a userdata given the bigint metatable", async () => {
    const L = await Lua.create();
    const [ok, msg] = L.run(`local bigint = require "bigint"
      local u = io.stdout
      debug.setmetatable(u, getmetatable(bigint(1)))
      return pcall(function() return u + 1 end)`) as [boolean, string];
    expect(ok).toBe(false);
    expect(msg).toMatch(/attempt to perform arithmetic on a bigint value/);
    L.close();
  });
});

describe("bigint under the budgets", () => {
  it("stops a huge power at instructionLimit, and the state stays usable", async () => {
    const L = await Lua.create({ instructionLimit: 1_000_000, memoryLimit: 0 });
    L.run(`bigint = require "bigint"`);
    expect(() => L.run("local x = bigint(3) ^ 30000000 return 1")).toThrow(/instruction limit exceeded/);
    expect(() => L.run("return pcall(function() return bigint(7) ^ 20000000 end)")).toThrow(
      /instruction limit exceeded/,
    );
    expect(L.run("return bigint(2) ^ 10")).toEqual([1024n]);
    L.close();
  });

  it("stops long conversions and powers at timeoutMs", async () => {
    const L = await Lua.create({ timeoutMs: 150, memoryLimit: 0 });
    L.run(`bigint = require "bigint"`);
    const t0 = performance.now();
    expect(() => L.run("return #tostring(bigint(3) ^ 40000000)")).toThrow(/timeout/);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(L.run("return bigint.tostring(bigint(255), 2)")).toEqual(["11111111"]);
    L.close();
  });

  it("raises a catchable 'not enough memory' past memoryLimit", async () => {
    const L = await Lua.create({ memoryLimit: 8 << 20 });
    L.run(`bigint = require "bigint"`);
    expect(L.run("return pcall(function() return bigint(3) ^ 100000000 end)")).toEqual([false, "not enough memory"]);
    expect(L.run("return pcall(function() return bigint(1) << 1e12 end)")).toEqual([false, "not enough memory"]);
    expect(L.run("return pcall(function() return bigint(2) ^ bigint(2) ^ 100 end)")).toEqual([
      false,
      "not enough memory",
    ]);
    try {
      L.run("return bigint(3) ^ 100000000");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(LuaError);
      expect((e as LuaError).kind).toBe("memory");
    }
    expect(L.run("return tostring(bigint(2) ^ 64)")).toEqual(["18446744073709551616"]);
    L.close();
  });

  it("gives the memory of dead bigints back to the collector", async () => {
    const L = await Lua.create();
    const [before, after] = L.run(`local bigint = require "bigint"
      collectgarbage() collectgarbage()
      local before = collectgarbage("count")
      for i = 1, 200 do local x = bigint(i) ^ 500 local s = tostring(x * x) end
      collectgarbage() collectgarbage()
      return before, collectgarbage("count")`) as [number, number];
    expect(after - before).toBeLessThan(8);
    L.close();
  });
});
