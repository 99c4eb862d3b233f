// lua-functions.test.ts - issue #13 point 4: the result shapes of Lua functions seen from JS (first
// result by default, all of them with multi(), the 0.1 shape through the deprecated legacyCall), of
// L.call (always all results), and the public types (no `any`: the @ts-expect-error lines below fail
// the typecheck if LuaFunction or LuaValue ever widen to any again).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lua, type LuaFunction, type LuaValue } from "../../host/index.js";

let L: Lua;
beforeEach(async () => {
  L = await Lua.create();
});
afterEach(() => L.close());

function fn(code: string): LuaFunction {
  return L.run(code)[0] as LuaFunction;
}

describe("a Lua function called from JS", () => {
  it("returns its first result, as wasmoon does", () => {
    expect(fn("return function() return 1, 2 end")()).toBe(1);
    expect(fn("return function() return {1, 2} end")()).toEqual([1, 2]);
    expect(fn("return function(a, b) return a + b end")(2, 3)).toBe(5);
  });

  it("returns null for no result and for nil", () => {
    expect(fn("return function() end")()).toBeNull();
    expect(fn("return function() return nil end")()).toBeNull();
  });

  it("multi() returns every result as an array, telling nothing from nil", () => {
    const f = fn("return function(...) return ... end");
    expect(f.multi(1, "a", true)).toEqual([1, "a", true]);
    expect(f.multi()).toEqual([]);
    expect(fn("return function() return nil end").multi()).toEqual([null]);
    expect(fn("return function() return 1, 2 end").multi()).toEqual([1, 2]);
    expect(fn("return function() return {1, 2} end").multi()).toEqual([[1, 2]]);
  });

  it("keeps the 0.1 shape reachable through the deprecated legacyCall and callMulti", () => {
    const pair = fn("return function() return 1, 2 end");
    const one = fn("return function() return {1, 2} end");
    expect(pair.legacyCall()).toEqual([1, 2]);
    expect(one.legacyCall()).toEqual([1, 2]);
    expect(fn("return function() return 7 end").legacyCall()).toBe(7);
    expect(fn("return function() end").legacyCall()).toBeNull();
    expect(pair.callMulti()).toEqual([1, 2]);
  });

  it("multi() and the call share one reference: passing either back gives the same Lua function", () => {
    const f = fn("function id(...) return ... end return id");
    L.global.set("g", f);
    expect(L.run("return g == id")).toEqual([true]);
    const back = f.multi(f)[0] as LuaFunction;
    expect(back(5)).toBe(5);
  });

  it("errors inside multi() are LuaErrors with Lua's message", () => {
    const f = fn("return function() error('boom') end");
    expect(() => f.multi()).toThrow("input:1: boom");
    expect(() => f()).toThrow("input:1: boom");
  });
});

describe("L.call", () => {
  it("returns all results as an array, whatever their number", () => {
    L.run("function none() end function onenil() return nil end function two() return 1, 2 end");
    expect(L.call("none")).toEqual([]);
    expect(L.call("onenil")).toEqual([null]);
    expect(L.call("two")).toEqual([1, 2]);
    expect(L.call(fn("return function() return 3, 4, 5 end"))).toEqual([3, 4, 5]);
  });
});

describe("public types", () => {
  it("type a Lua function's results as LuaValue, not any", () => {
    const f = fn("return function(x) return x end");
    const first: LuaValue = f(1);
    const all: LuaValue[] = f.multi(1);
    // @ts-expect-error a LuaValue is not a number until narrowed (fails if the result type is any)
    const n: number = f(1);
    // @ts-expect-error multi() gives an array of LuaValue, not a string (fails if it is any)
    const s: string = f.multi(1);
    expect([first, all, n, s]).toEqual([1, [1], 1, [1]]);
  });
});
