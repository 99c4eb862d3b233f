// lua-table-ref.test.ts - issue #13 point 1, Lua → JS: live handles on Lua tables (host/ref-table.ts
// LuaTableRef, tag 20): global.get(name, { proxy: true }), get/set/length/entries on the live table,
// nested handles, handles passed back to Lua as the same table, release(), and handles of a replaced
// state refusing to work. The plain LuaTable type (a copy) keeps its name.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copy, Lua, LuaError, LuaTableRef, type LuaTable } from "../../host/index.js";

let L: Lua;
beforeEach(async () => {
  L = await Lua.create({ stdout: () => {} });
});
afterEach(() => L.close());

function handle(name: string): LuaTableRef {
  const h = L.global.get(name, { proxy: true });
  expect(h).toBeInstanceOf(LuaTableRef);
  return h as LuaTableRef;
}

/** The number of registry references the module holds for the host (functions and tables). */
function hostRefs(): number {
  return L.run(
    "local n = 0 for k, v in pairs(debug.getregistry()._HOSTREFS) do if type(v) ~= 'number' then n = n + 1 end end return n",
  )[0] as number;
}

describe("LuaTableRef", () => {
  it("reads and writes the live table, both ways", () => {
    L.run("t = {1, 2, x = 'a'}");
    const t = handle("t");
    expect([t.get(1), t.get("x"), t.get("none"), t.length()]).toEqual([1, "a", null, 2]);
    t.set(3, "three");
    t.set("x", null);
    expect(L.run("return t[3], t.x, #t")).toEqual(["three", null, 3]);
    L.run("t.y = 42");
    expect(t.get("y")).toBe(42);
  });

  it("entries() lists every pair of a pairs() loop", () => {
    L.run("t = {10, 20, k = true}");
    const e = handle("t").entries();
    expect(e).toHaveLength(3);
    expect(new Map(e)).toEqual(
      new Map<unknown, unknown>([
        [1, 10],
        [2, 20],
        ["k", true],
      ]),
    );
    L.run("e = {}");
    expect(handle("e").entries()).toEqual([]);
  });

  it("applies metamethods as Lua's own indexing, length and pairs do", () => {
    L.run(`log = {}
      t = setmetatable({}, {
        __index = function(_, k) return 'default ' .. k end,
        __newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end,
        __len = function() return 99 end,
        __pairs = function(t) return function(_, k) if k == nil then return 'only', 1 end end, t, nil end,
      })`);
    const t = handle("t");
    expect(t.get("a")).toBe("default a");
    t.set("b", 1);
    expect([t.get("b"), t.length(), t.entries()]).toEqual([1, 99, [["only", 1]]]);
    expect(L.run("return log[1]")).toEqual(["b"]);
  });

  it("values come back as run() gives them; get(key, { proxy: true }) gives a nested handle", () => {
    L.run("t = {child = {v = 1}, f = function(x) return x * 2 end}");
    const t = handle("t");
    expect(t.get("child")).toEqual({ v: 1 }); // a copy
    const child = t.get("child", { proxy: true }) as LuaTableRef;
    expect(child).toBeInstanceOf(LuaTableRef);
    child.set("v", 2);
    expect(L.run("return t.child.v")).toEqual([2]);
    expect((t.get("f") as (x: number) => number)(21)).toBe(42);
  });

  it("values given to it are converted as global.set converts them", () => {
    L.run("t = {}");
    const t = handle("t");
    const obj = { n: 1 };
    t.set("ref", obj);
    t.set("copied", copy({ n: 2 }));
    expect(L.run("t.ref.n = 10 return type(t.ref), type(t.copied), t.copied.n")).toEqual(["userdata", "table", 2]);
    expect(obj.n).toBe(10);
  });

  it("goes back to Lua as the very same table", () => {
    L.run("t = {} function same(x) return x == t end");
    const t = handle("t");
    L.global.set("u", t);
    expect(L.run("return u == t")).toEqual([true]);
    expect(L.call("same", t)).toEqual([true]);
  });

  it("gives non-table values as they are", () => {
    L.run("n = 5 s = 'x'");
    expect(L.global.get("n", { proxy: true })).toBe(5);
    expect(L.global.get("s", { proxy: true })).toBe("x");
    expect(L.global.get("nothing", { proxy: true })).toBeNull();
    const plain: LuaValueCopy = L.global.get("n") as LuaValueCopy;
    expect(plain).toBe(5);
  });

  it("release() gives the table back to the state; later calls throw", () => {
    L.run("t = {1}");
    const before = hostRefs();
    const t = handle("t");
    t.get(1); // the helper function is made on first use
    const withHandle = hostRefs();
    expect(withHandle).toBeGreaterThan(before);
    t.release();
    expect(t.released).toBe(true);
    expect(hostRefs()).toBe(withHandle - 1);
    expect(() => t.get(1)).toThrow("this LuaTableRef was released");
    t.release(); // twice is harmless
  });

  it("a handle of a state since restored refuses to work instead of reaching another table", () => {
    L.run("a = {v = 'a'}");
    const snap = L.snapshot();
    const a = handle("a");
    L.restore(snap);
    L.run("b = {v = 'b'}");
    handle("b");
    const e = (() => {
      try {
        a.get("v");
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(LuaError);
    expect((e as LuaError).message).toBe("cannot use a Lua table of a state that was since restored or reset");
  });

  it("a Lua error inside a metamethod is a LuaError", () => {
    L.run("t = setmetatable({}, {__index = function() error('no reads') end})");
    expect(() => handle("t").get("x")).toThrow("no reads");
    expect(L.run("return 1")).toEqual([1]);
  });
});

/** The plain copy type keeps its name beside the live handle. */
type LuaValueCopy = LuaTable | number;
