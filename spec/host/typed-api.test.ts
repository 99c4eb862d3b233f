// typed-api.test.ts - Lua.create: run returning values, LuaError kinds, global.get/set, call, JS
// functions callable from Lua, Lua functions callable from JS, conversions (bigint, objects, arrays,
// Maps, Uint8Array, cycles), re-entrancy and use after close.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copy, Lua, LuaMulti, isLuaFunction } from "../../host/index.js";
import { caughtLuaError as caught } from "./helpers.js";

let lua: Lua;
beforeEach(async () => {
  lua = await Lua.create({ stdout: () => {} });
});
afterEach(() => {
  try {
    lua.close();
  } catch {
    /* closed by the test */
  }
});

describe("Lua (typed API)", () => {
  it("returns every result of run, integers beyond 2^53 as bigint", () => {
    expect(lua.run("return 1, 2.5, 'x', nil, true, math.maxinteger, 2^53")).toEqual([
      1,
      2.5,
      "x",
      null,
      true,
      9223372036854775807n,
      9007199254740992,
    ]);
  });

  it("throws LuaError with message, traceback and kind", () => {
    const r = caught(() => lua.run("error('bad')"));
    expect([r.message, r.kind]).toEqual(["input:1: bad", "runtime"]);
    expect(r.traceback).toMatch(/^stack traceback:/);
    expect(caught(() => lua.run("x = = 1")).kind).toBe("syntax");
  });

  it("gets and sets globals with conversion both ways", () => {
    lua.global.set("cfg", {
      name: "n",
      list: [1, 2, 3],
      map: new Map<unknown, unknown>([
        [1, "a"],
        [true, "b"],
      ]),
      bytes: new Uint8Array([0, 255]),
      big: -(2n ** 62n),
    });
    expect(
      lua.run(
        "return cfg.name, #cfg.list, cfg.map[1], cfg.map[true], #cfg.bytes, cfg.bytes:byte(2), math.type(cfg.big), cfg.big == -(1 << 62)",
      ),
    ).toEqual(["n", 3, "a", "b", 2, 255, "integer", true]);
    lua.run("g = {1, 2, {x = 1}}");
    expect(lua.global.get("g")).toEqual([1, 2, { x: 1 }]);
    expect(lua.global.get("nothing")).toBeNull();
    lua.global.set("g", null);
    expect(lua.run("return g")).toEqual([null]);
  });

  it("converts cycles and shared objects to the same Lua table and back", () => {
    const shared = { v: 1 };
    const o: Record<string, unknown> = { a: shared, b: shared };
    o.self = o;
    lua.global.set("o", o);
    expect(lua.run("return o.a == o.b, o.self == o, o.self.self.a.v")).toEqual([true, true, 1]);
    const back = lua.global.get("o") as Record<string, unknown>;
    expect(back.self).toBe(back);
    expect(back.a).toBe(back.b);
  });

  it("gives a copied table's metamethods to the values it becomes the metatable of", () => {
    // the decoder builds the table with raw stores: the table's cache of absent metamethods
    // (set for every new table) must not survive them
    lua.global.set("mt", copy({ __index: { a: 42 }, __len: () => 7, __gc: () => {} }));
    expect(lua.run("local t = setmetatable({}, mt) return t.a, #t")).toEqual([42, 7]);
  });

  it("calls JS functions from Lua with converted arguments and results", () => {
    lua.global.set("add", (a: number, b: number) => a + b);
    lua.global.set("pair", () => new LuaMulti(["x", 2n ** 60n]));
    lua.global.set("keys", (t: Record<string, unknown>) => Object.keys(t).sort().join(","));
    expect(lua.run("return add(2, 3), select('#', pair()), keys({b = 1, a = 2})")).toEqual([5, 2, "a,b"]);
    expect(lua.run("local s, n = pair() return s, math.type(n)")).toEqual(["x", "integer"]);
  });

  it("turns a JS exception into a Lua error that pcall catches", () => {
    lua.global.set("fail", () => {
      throw new Error("js failure");
    });
    expect(lua.run("return pcall(fail)")).toEqual([false, "js failure"]);
    expect(lua.run("return pcall(function() local x = fail() end)")).toEqual([false, "input:1: js failure"]);
    const e = caught(() => lua.run("fail()"));
    expect(e.message).toBe("input:1: js failure");
  });

  it("returns Lua functions as JS functions that call back into the state", () => {
    const [mk] = lua.run("return function(n) local c = n return function(d) c = c + d return c end end");
    expect(isLuaFunction(mk)).toBe(true);
    const counter = (mk as (n: number) => (d: number) => number)(10);
    expect(counter(1)).toBe(11);
    expect(counter(5)).toBe(16);
    expect(lua.call("tostring", 7)).toEqual(["7"]);
    lua.run("function twice(f, x) return f(f(x)) end");
    expect(lua.call("twice", (x: number) => x * 3, 2)).toEqual([18]);
    lua.global.set("cb", counter); // a Lua function passed back is the same function
    expect(lua.run("return cb(100)")).toEqual([116]);
  });

  it("reports an error raised in a Lua function called from JS", () => {
    const [f] = lua.run("return function() error({code = 1}) end");
    const e = caught(() => (f as () => void)());
    expect(e.message).toBe("(error object is a table value)");
  });

  it("lets a JS callback call back into the state (nested call; spec/host/reentry.test.ts)", () => {
    lua.global.set("reenter", () => lua.run("return 1")[0]);
    expect(lua.run("return pcall(reenter)")).toEqual([true, 1]);
  });

  it("rejects unsupported values and bad code with clear errors", () => {
    expect(() => lua.global.set("s", Symbol("x"))).toThrow("cannot convert a symbol to a Lua value");
    lua.global.set("b", 2n ** 64n); // beyond 64 bits: a Lua bigint (require "bigint"), no longer an error
    expect(lua.run("return b, math.type(b), b - 1")).toEqual([2n ** 64n, null, 2n ** 64n - 1n]);
    expect(() => lua.global.set("d", copy(new Float64Array(2)))).toThrow(/cannot convert a Float64Array/);
    expect(() => lua.run(null as unknown as string)).toThrow(
      "code must be a string (or a Uint8Array of UTF-8), got null",
    );
    expect(() => lua.run(new Uint8Array([0xc3]))).toThrow(/not valid UTF-8/);
  });

  it("throws after close(), also from Lua functions handed out before", () => {
    const [f] = lua.run("return function() return 1 end");
    lua.close();
    expect(() => lua.run("return 1")).toThrow("Lua state is closed");
    expect(() => (f as () => number)()).toThrow("Lua state is closed");
  });

  it("shows external tables as plain values", () => {
    expect(lua.run("_home.q = {1, {a = 2}} return _home.q")).toEqual([[1, { a: 2 }]]);
  });
});
