// boundary-fastpaths.test.ts - the fast paths behind the boundary figures (bench/boundary.ts): the key
// cache of the typed imports (host/ext/keys.ts), the store's layout without an object per entry
// (host/ext/store.ts), and that each gives exactly what the general path gives.
import { describe, expect, it } from "vitest";
import { KeyCache } from "../../host/ext/keys.js";
import { ExtTableStore } from "../../host/ext/store.js";
import { HOME_ID } from "../../host/ext/values.js";
import { evalOk, newEngine } from "./helpers.js";

const enc = new TextEncoder();

/** A memory holding `bytes` at `p`, with garbage around it (so a read past the key would show). */
function memoryWith(bytes: Uint8Array, p: number, size = 256): { mem: Uint8Array; dv: DataView } {
  const mem = new Uint8Array(size).fill(0xab);
  mem.set(bytes, p);
  return { mem, dv: new DataView(mem.buffer) };
}

describe("the key cache", () => {
  it("never gives one key's string for another key of the same hash, whatever the lengths", () => {
    const c = new KeyCache();
    const keys: string[] = [];
    for (let n = 0; n <= 40; n++) keys.push("k".repeat(n), "x".repeat(n), "k".repeat(Math.max(0, n - 1)) + "z");
    for (let round = 0; round < 3; round++)
      for (const k of keys) {
        const { mem, dv } = memoryWith(enc.encode(k), 7);
        expect(c.text(mem, dv, 7, k.length, 42)).toBe(k); // one hash for all: only the bytes decide
      }
  });

  it("ignores the bytes after the key, also near the end of memory", () => {
    const c = new KeyCache();
    for (let n = 0; n <= 20; n++) {
      const k = "abcdefghijklmnopqrstuvwxyz".slice(0, n);
      for (const p of [3, 256 - n]) {
        const { mem, dv } = memoryWith(enc.encode(k), p);
        expect(c.text(mem, dv, p, n, 5)).toBe(k);
        mem.fill(n & 1 ? 0 : 0xff, p + n); // other bytes after it: still the same key
        expect(c.text(mem, dv, p, n, 5)).toBe(k);
      }
    }
  });

  it("gives null for a key that is not UTF-8 and caches nothing for it", () => {
    const c = new KeyCache();
    const { mem, dv } = memoryWith(new Uint8Array([0x61, 0xff, 0x62]), 0);
    expect(c.text(mem, dv, 0, 3, 9)).toBeNull();
    expect(c.text(mem, dv, 0, 3, 9)).toBeNull();
    mem.set([0x61, 0x2d, 0x62], 0);
    expect(c.text(mem, dv, 0, 3, 9)).toBe("a-b");
  });
});

describe("the external-table store", () => {
  it("keeps binary keys as bytes, apart from every text key, through next, entries, undo and clear", () => {
    const s = new ExtTableStore();
    const bin = new Uint8Array([0xff, 0x00, 0x41]);
    s.set(HOME_ID, bin, 1);
    s.set(HOME_ID, "\u00ff\u0000A", 2); // the same code units as text: another key
    s.set(HOME_ID, 1, "int");
    s.set(HOME_ID, "1", "str");
    expect(s.get(HOME_ID, new Uint8Array([0xff, 0x00, 0x41]))).toBe(1);
    expect([...s.entries(HOME_ID)]).toEqual([
      [bin, 1],
      ["\u00ff\u0000A", 2],
      [1, "int"],
      ["1", "str"],
    ]);
    expect(s.next(HOME_ID, null)).toEqual([bin, 1]);
    expect(s.next(HOME_ID, bin)).toEqual(["\u00ff\u0000A", 2]);
    expect(s.recount()).toBe(s.hostBytes);
    const bytes = s.hostBytes;
    expect(() =>
      s.atomic(() => {
        s.set(HOME_ID, bin, null);
        s.set(HOME_ID, new Uint8Array([0x80]), 3);
        throw new Error("undo");
      }),
    ).toThrow("undo");
    expect([...s.entries(HOME_ID)]).toContainEqual([bin, 1]); // back (at the end of the order, as before)
    expect([s.hostBytes, s.recount(), s.size(HOME_ID)]).toEqual([bytes, bytes, 4]);
    s.clear(HOME_ID);
    s.set(HOME_ID, "a", 1);
    expect([[...s.entries(HOME_ID)], s.recount()]).toEqual([[["a", 1]], s.hostBytes]);
  });

  it("charges an entry what it gives back: overwrites and deletes bring the count back exactly", () => {
    const s = new ExtTableStore();
    const start = s.hostBytes;
    s.set(HOME_ID, "k", "é".repeat(10));
    s.set(HOME_ID, "k", "short");
    s.set(HOME_ID, new Uint8Array([0xc3]), "x".repeat(100));
    s.set(HOME_ID, new Uint8Array([0xc3]), 1.5);
    expect(s.recount()).toBe(s.hostBytes);
    s.set(HOME_ID, "k", null);
    s.set(HOME_ID, new Uint8Array([0xc3]), null);
    expect(s.hostBytes).toBe(start);
  });
});

describe("external tables through the typed imports", () => {
  it("keep traversal order and typed keys when existing fields are assigned during pairs", async () => {
    const lua = await newEngine();
    const r = evalOk(
      lua,
      `local t = ext.table() for i = 1, 50 do t["k" .. i] = i t[i] = -i end t["1"] = "s"
       local seen, n = {}, 0
       for k, v in pairs(t) do n = n + 1 seen[#seen + 1] = tostring(k) t[k] = v end
       return n, seen[1], seen[2], seen[101], t[1], t["1"], #t`,
    ).values;
    expect(r).toEqual([101, "k1", "1", "1", -1, "s", 50]);
  });
});

describe("results of a JS function called by Lua (host_call's typed answer and the general one)", () => {
  it("give Lua each kind of result exactly as the general encoding does", async () => {
    const { Lua, LuaMulti } = await import("../../host/index.js");
    const L = await Lua.create();
    const results: unknown[] = [
      undefined,
      null,
      true,
      false,
      7,
      -0,
      1.5,
      2 ** 53,
      2 ** 53 - 1,
      NaN,
      Infinity,
      "",
      "ascii",
      "é",
      "x".repeat(256),
      "y".repeat(257),
      "é".repeat(300),
      2n ** 62n,
      new LuaMulti([1, "two", null]),
      new LuaMulti([]),
      [1, 2],
    ];
    let i = 0;
    L.global.set("f", () => results[i]);
    const seen = [];
    for (i = 0; i < results.length; i++)
      seen.push(
        L.run(`local r = table.pack(f())
          local d = {} for j = 1, r.n do local v = r[j]
            d[j] = type(v) == "number" and (math.type(v) .. " " .. string.format("%q", v))
              or type(v) == "string" and ("string " .. #v .. " " .. v:sub(1, 4))
              or type(v) == "table" and ("table " .. #v) or type(v) .. " " .. tostring(v) end
          return r.n .. ": " .. table.concat(d, ", ")`)[0],
      );
    expect(seen.pop()).toMatch(/^1: userdata js\.array: /); // an array by reference
    expect(seen).toEqual([
      "0: ",
      "1: nil nil",
      "1: boolean true",
      "1: boolean false",
      "1: integer 7",
      "1: float -0x0p+0",
      "1: float 0x1.8p+0",
      "1: float 0x1p+53",
      "1: integer 9007199254740991",
      "1: float (0/0)",
      "1: float 1e9999",
      "1: string 0 ",
      "1: string 5 asci",
      "1: string 2 é",
      "1: string 256 xxxx",
      "1: string 257 yyyy",
      "1: string 600 éé",
      "1: integer 4611686018427387904",
      "3: integer 1, string 3 two, nil nil",
      "0: ",
    ]);
    L.close();
  });
});

describe("a Lua function called from JS with scalar arguments (the typed call, lua_call_s)", () => {
  const describeArgs = `return function(...)
    local d = {select("#", ...)}
    for i = 1, select("#", ...) do local v = select(i, ...)
      d[#d + 1] = type(v) == "number" and (math.type(v) .. " " .. string.format("%q", v))
        or type(v) == "string" and ("string " .. #v .. " " .. v:sub(1, 9)) or type(v) .. " " .. tostring(v) end
    return table.concat(d, ", ") end`;

  it("passes every kind of argument as the general encoding does, and falls back to it beyond", async () => {
    const { Lua } = await import("../../host/index.js");
    const L = await Lua.create();
    const f = L.run(describeArgs)[0] as (...a: unknown[]) => unknown;
    expect(f()).toBe("0");
    expect(f(null, undefined, true, false)).toBe("4, nil nil, nil nil, boolean true, boolean false");
    expect(f(7, -0, 1.5, 2 ** 53, 2 ** 53 - 1, -(2 ** 53) + 1, NaN, -Infinity)).toBe(
      "8, integer 7, float -0x0p+0, float 0x1.8p+0, float 0x1p+53, integer 9007199254740991, " +
        "integer -9007199254740991, float (0/0), float -1e9999",
    );
    expect(f("", "ascii", "é€😀", "\ud800")).toBe("4, string 0 , string 5 ascii, string 9 é€😀, string 3 \ufffd");
    // past the typed call's limits (17 arguments, long strings, tables, bigints): the general path
    expect(f(...Array.from({ length: 17 }, (_, i) => i))).toMatch(/^17, integer 0, .*integer 16$/);
    expect(f("x".repeat(171), "y".repeat(1000))).toBe("2, string 171 xxxxxxxxx, string 1000 yyyyyyyyy");
    expect(f(1n, 2n ** 70n)).toMatch(/^2, integer 1, userdata /);
    expect(f([1], "a")).toMatch(/^2, userdata js\.array.*, string 1 a$/);
    L.close();
  });

  it("keeps errors, tracebacks, budgets and nested calls (the area reused while the outer call runs)", async () => {
    const { Lua, LuaError } = await import("../../host/index.js");
    const L = await Lua.create({ instructionLimit: 100_000 });
    const fail = L.run("return function(a, b) error('bad ' .. a .. b) end")[0] as (...a: unknown[]) => unknown;
    let err: unknown = null;
    try {
      fail("x", 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LuaError);
    expect((err as InstanceType<typeof LuaError>).message).toMatch(/:1: bad x1$/);
    expect((err as InstanceType<typeof LuaError>).traceback).toContain("stack traceback:");
    const spin = L.run("return function(n) while n > 0 do end end")[0] as (n: number) => unknown;
    expect(() => spin(1)).toThrow(/instruction limit/);
    const inner = L.run("return function(s, n) return s .. n end")[0] as (s: string, n: number) => unknown;
    L.global.set("js", (s: string, n: number) => inner(s + "!", n + 1)); // a typed call inside one
    const outer = L.run("return function(s, n) return js(s, n) .. '|' .. s .. n end")[0] as (
      ...a: unknown[]
    ) => unknown;
    expect(outer("ab", 1)).toBe("ab!2|ab1");
    expect(outer("c", 5)).toBe("c!6|c5");
    L.close();
  });
});

describe("arguments of a JS function called by Lua (slots for scalars, the general encoding beyond)", () => {
  const show = (v: unknown): string =>
    v instanceof Uint8Array
      ? `bytes ${[...v].join(" ")}`
      : typeof v === "number"
        ? `${Object.is(v, -0) ? "-0" : v}`
        : typeof v === "object" && v !== null
          ? "object"
          : `${typeof v} ${String(v)}`;

  it("gives the function what the general decoder gives, strings as text or raw bytes", async () => {
    const { Lua } = await import("../../host/index.js");
    for (const rawStrings of [false, true]) {
      const L = await Lua.create({ rawStrings });
      let got: string[] = [];
      L.global.set("f", (...a: unknown[]) => {
        got = a.map(show);
      });
      const call = (args: string) => {
        L.run(`f(${args})`);
        return got;
      };
      expect(call("")).toEqual([]);
      expect(call("nil, true, false, 7, -0.0, 1.5, 1/0, math.maxinteger, 2^53")).toEqual([
        "object null",
        "boolean true",
        "boolean false",
        "7",
        "-0",
        "1.5",
        "Infinity",
        "bigint 9223372036854775807", // beyond 2^53: the general encoding
        "9007199254740992",
      ]);
      const text = (s: string) => (rawStrings ? show(new TextEncoder().encode(s)) : show(s));
      expect(call(`"", "ascii", "é", "a\\0b"`)).toEqual([text(""), text("ascii"), text("é"), text("a\0b")]);
      expect(call(`"\\255x"`)).toEqual([rawStrings ? "bytes 255 120" : show("\ufffdx")]);
      const many = call(Array.from({ length: 17 }, (_, i) => String(i)).join(", ")); // past 16: the general path
      expect(many).toEqual(Array.from({ length: 17 }, (_, i) => String(i)));
      expect(call(`{1}, "s"`)).toEqual(["object", text("s")]);
      L.close();
    }
  });
});
