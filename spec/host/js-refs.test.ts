// js-refs.test.ts - issue #13 point 1, JS → Lua: objects, arrays, Maps, Sets, class instances and
// functions handed to Lua by reference (host/refs.ts, assembly/embed/jsref.ts): live reads and
// writes, methods with their `this`, #/pairs/ipairs, identity, release when Lua collects them, the
// security model (no constructor, __proto__, prototype, Function, eval or globalThis), refusal in
// external tables and snapshots, copy(), and bad input (throwing getters, lying and revoked Proxies,
// values that cannot be converted) that leaves the state usable.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copy, Lua, LuaMulti, SnapshotError } from "../../host/index.js";
import type { RefTable } from "../../host/refs.js";
import { caughtLuaError as luaError } from "./helpers.js";

let L: Lua;
beforeEach(async () => {
  L = await Lua.create({ stdout: () => {} });
});
afterEach(() => L.close());

/** The references the current instance holds (white box: the bridge's table for the live instance). */
function liveRefs(lua: Lua = L): number {
  const bridge = lua["bridge"] as unknown as { refTables: WeakMap<object, RefTable> };
  return bridge.refTables.get(lua["runtime"].instance)?.size ?? 0;
}

function fullgc(lua: Lua = L): void {
  lua.run("collectgarbage() collectgarbage()");
}

class Counter {
  n = 0;
  constructor(readonly name: string) {}
  inc(by = 1): number {
    this.n += by;
    return this.n;
  }
  get label(): string {
    return `${this.name}:${this.n}`;
  }
}

describe("objects by reference", () => {
  it("class instances keep their methods, and `:` calls them with this = the object", () => {
    const c = new Counter("c");
    L.global.set("c", c);
    expect(L.run("return c:inc(), c:inc(5), c.n, c.label")).toEqual([1, 6, 6, "c:6"]);
    expect(c.n).toBe(6); // the live object, not a copy
  });

  it("object-literal methods see `this`, with `:` or `.` and when stored in a local", () => {
    const o = {
      x: 2,
      twice(y: number) {
        return this.x * y;
      },
    };
    L.global.set("o", o);
    expect(L.run("local f = o.twice return o:twice(5), o.twice(5), f(5), f(o, 5)")).toEqual([10, 10, 10, 10]);
  });

  it("a Date is a Date", () => {
    L.global.set("d", new Date(Date.UTC(2020, 1, 3)));
    expect(L.run("return d:getUTCFullYear(), d:toISOString()")).toEqual([2020, "2020-02-03T00:00:00.000Z"]);
  });

  it("reads and writes go to the live object, both ways", () => {
    const o: Record<string, unknown> = { a: 1, nested: { b: 2 } };
    L.global.set("o", o);
    L.run("o.a = o.a + 1 o.s = 'str' o.nested.b = 20 o.gone = true o.gone = nil");
    expect(o).toEqual({ a: 2, s: "str", nested: { b: 20 } });
    o.a = 100;
    expect(L.run("return o.a, o.missing, o[1]")).toEqual([100, null, null]);
  });

  it("a Lua table written into a JS object arrives as a plain copy, a Lua function as a JS function", () => {
    const o: Record<string, unknown> = {};
    L.global.set("o", o);
    L.run("o.t = {1, 2, k = 'v'} o.seq = {10, 20} o.f = function(x) return x + 1 end");
    expect(o.t).toEqual({ 1: 1, 2: 2, k: "v" });
    expect(o.seq).toEqual([10, 20]);
    expect((o.f as (x: number) => number)(41)).toBe(42);
  });

  it("type() is userdata, tostring and messages use the __name", () => {
    L.global.set("o", {});
    L.global.set("a", []);
    L.global.set("m", new Map());
    const [t, s, sa, sm] = L.run("return type(o), tostring(o), tostring(a), tostring(m)") as string[];
    expect(t).toBe("userdata");
    expect(s).toMatch(/^js\.object: 0x[0-9a-f]+$/);
    expect(sa).toMatch(/^js\.array: 0x/);
    expect(sm).toMatch(/^js\.map: 0x/);
    expect(luaError(() => L.run("return o + 1")).message).toBe(
      "input:1: attempt to perform arithmetic on a js.object value (global 'o')",
    );
  });

  it("keeps identity: the same JS object is the same Lua value, and comes back as itself", () => {
    const o = { v: 1 };
    L.global.set("a", o);
    L.global.set("b", o);
    L.global.set("give", () => o);
    L.global.set("same", (x: unknown) => x === o);
    expect(L.run("return a == b, rawequal(a, give()), same(a), a.v")).toEqual([true, true, true, 1]);
    expect(L.run("return a")[0]).toBe(o);
    expect(L.call("tostring", o)).toEqual(L.run("return tostring(a)"));
    expect(L.run("return o == nil, a.v == b.v, give == give")).toEqual([true, true, true]);
  });

  it("a JS function passed back to JS is itself, whether handed over or read from an object", () => {
    const fn = (x: number) => x + 1;
    const o = {
      m() {
        return 1;
      },
    };
    L.global.set("fn", fn);
    L.global.set("o", o);
    L.global.set("isFn", (f: unknown) => f === fn);
    L.global.set("isM", (f: unknown) => f === o.m);
    expect(L.run("return fn")[0]).toBe(fn);
    expect(L.run("return isFn(fn), isM(o.m), o.m ~= fn")).toEqual([true, true, true]);
    expect(L.run("return o.m")[0]).toBe(o.m);
  });

  it("the same method read twice is the same Lua function", () => {
    L.global.set("c", new Counter("x"));
    expect(L.run("return c.inc == c.inc, type(c.inc)")).toEqual([true, "function"]);
  });

  it("passes references as call arguments and in JS function results", () => {
    const o = { n: 1 };
    L.run("function bump(t) t.n = t.n + 1 return t end");
    expect(L.call("bump", o)).toEqual([o]);
    expect(o.n).toBe(2);
    L.global.set("make", () => ({ made: true }));
    L.global.set("both", () => new LuaMulti([{ k: 1 }, [1, 2]]));
    expect(L.run("local a, b = both() return make().made, type(make()), a.k, #b")).toEqual([true, "userdata", 1, 2]);
  });

  it("a method returning an object or a function gives a reference or a callable function", () => {
    const o = {
      child: { x: 1 },
      getChild() {
        return this.child;
      },
      adder(n: number) {
        return (m: number) => n + m;
      },
    };
    L.global.set("o", o);
    expect(L.run("return o:getChild() == o.child, o:adder(2)(3), type(o:adder(1))")).toEqual([true, 5, "function"]);
  });

  it("a method call passes arguments and results of every kind exactly (typed path and general path)", () => {
    const seen: unknown[][] = [];
    const fn = (x: number): number => x + 1;
    const o = {
      echo(...args: unknown[]): LuaMulti {
        seen.push(args);
        return new LuaMulti(args);
      },
      one: (v: unknown) => v,
      none: () => undefined,
      null: () => null,
      fn: () => fn,
      self(): unknown {
        return this;
      },
    };
    L.global.set("o", o);
    const long = "x".repeat(300);
    expect(
      L.run(`return o:echo(nil, true, false, 42, -7, 2^53, 1.5, 'héllo', ${JSON.stringify(long)}, math.maxinteger)`),
    ).toEqual([null, true, false, 42, -7, 2 ** 53, 1.5, "héllo", long, 9223372036854775807n]);
    expect(seen[0]).toEqual([null, true, false, 42, -7, 2 ** 53, 1.5, "héllo", long, 9223372036854775807n]);
    // a table argument takes the general decoding; a Lua function argument arrives callable
    expect(L.run("return o:echo({1, 2}, {k = 'v'})")).toEqual([[1, 2], { k: "v" }]);
    expect(L.run("return o.one(function(a) return a * 2 end)(21)")).toEqual([42]);
    // one result of each kind, none, and nil
    expect(L.run("return o.one(0), o.one(-0.5), o.one('é'), o.one(true), o.one(math.mininteger)")).toEqual([
      0,
      -0.5,
      "é",
      true,
      -9223372036854775808n,
    ]);
    expect(L.run("return select('#', o:none()), select('#', o:null()), o:null()")).toEqual([0, 1, null]);
    expect(L.run("return select('#', o:echo()), select('#', o:echo(1, 2, 3))")).toEqual([0, 3]);
    // a function result is callable and the same Lua value each time; the object comes back as itself
    expect(L.run("return o:fn()(1), o:fn() == o:fn(), o:self() == o, rawequal(o.self(o), o)")).toEqual([
      2,
      true,
      true,
      true,
    ]);
    expect(L.run("return o:echo(o, o.fn)")).toEqual([o, o.fn]);
  });

  it("is released when Lua collects it, and a new reference works after that", () => {
    const o = { v: 7 };
    const before = liveRefs();
    L.global.set("o", o);
    L.run("local t = {} for i = 1, 100 do t[i] = o end");
    expect(liveRefs()).toBe(before + 1);
    L.run("o = nil");
    fullgc();
    expect(liveRefs()).toBe(before);
    L.global.set("o", o);
    expect(L.run("return o.v")).toEqual([7]);
  });

  it("releases method handles and temporary references too, and memory stays flat", () => {
    L.global.set("mk", () => ({ a: [1, 2, 3], f() {} }));
    L.run("function churn(n) for i = 1, n do local x = mk() local g = x.f local y = x.a end end");
    // warm up until the weak cache and the collector's pace are at their steady size
    for (let i = 0; i < 3; i++) L.call("churn", 5000);
    fullgc();
    const used = L.memoryStats().lua_memory_used;
    const refs = liveRefs();
    for (let i = 0; i < 3; i++) L.call("churn", 5000);
    fullgc();
    expect(liveRefs()).toBe(refs);
    expect(L.memoryStats().lua_memory_used - used).toBeLessThan(2048);
  });

  it("call() of a Lua function with a fresh reference each time holds nothing afterwards", () => {
    L.run("function f(...) return ... end");
    // warm up until the weak cache has grown to what the collector's pace leaves alive between cycles
    for (let i = 0; i < 30000; i++) L.call("f", [i]);
    fullgc();
    const used = L.memoryStats().lua_memory_used;
    for (let i = 0; i < 10000; i++) expect(L.call("f", [i])[0]).toEqual([i]);
    fullgc();
    expect(liveRefs()).toBe(0);
    expect(L.memoryStats().lua_memory_used - used).toBeLessThan(2048);
  });
});

describe("arrays (1-based in Lua: t[i] is element i - 1)", () => {
  it("index, #, ipairs and pairs", () => {
    L.global.set("a", ["x", "y", "z"]);
    expect(L.run("return a[1], a[3], a[0], a[4], #a")).toEqual(["x", "z", null, null, 3]);
    expect(
      L.run(`local r = {} for i, v in ipairs(a) do r[#r + 1] = i .. v end
             for k, v in pairs(a) do r[#r + 1] = k .. v end return table.concat(r, ",")`),
    ).toEqual(["1x,2y,3z,1x,2y,3z"]);
  });

  it("writes: set, append, t[#t] = nil shrinks, a hole elsewhere; index 0 is an error", () => {
    const a: unknown[] = [1, 2, 3];
    L.global.set("a", a);
    L.run("a[1] = 'one' a[#a + 1] = 4 a[#a] = nil a[#a] = nil");
    expect(a).toEqual(["one", 2]);
    L.run("a[5] = 5 a[1] = nil");
    expect(a.length).toBe(5);
    expect(a[0]).toBeUndefined();
    expect(L.run("local n = 0 for k in pairs(a) do n = n + 1 end return n")).toEqual([2]);
    expect(luaError(() => L.run("a[0] = 1")).message).toBe("input:1: bad index 0 for a js.array (indices start at 1)");
  });

  it("methods and properties: push, join, length", () => {
    const a = [3, 1, 2];
    L.global.set("a", a);
    expect(L.run("a:push(4) return a:join('-'), a.length, #a")).toEqual(["3-1-2-4", 4, 4]);
    expect(a).toEqual([3, 1, 2, 4]);
  });

  it("a length past 2^31 and indices past 2^53 are exact; pairs on a sparse array costs its elements", () => {
    const a: unknown[] = [];
    a[2 ** 31] = "far";
    a[0] = "near";
    L.global.set("a", a);
    expect(L.run("return #a, a[2^31 + 1], a[1], a[2^53 + 2], a[-1]")).toEqual([2 ** 31 + 1, "far", "near", null, null]);
    expect(L.run("local r = {} for k, v in pairs(a) do r[#r + 1] = k end return table.concat(r, ',')")).toEqual([
      `1,${2 ** 31 + 1}`,
    ]);
    L.run("a[2^31 + 1] = 'changed' a[3] = 3.5");
    expect([a[2 ** 31], a[2]]).toEqual(["changed", 3.5]);
  });

  it("typed arrays other than Uint8Array are arrays; Uint8Array stays a string", () => {
    const f = new Float64Array([0.5, 1.5]);
    L.global.set("f", f);
    L.global.set("b", new Uint8Array([104, 105]));
    L.run("f[2] = 2.5");
    expect(L.run("return #f, f[1], type(b), b")).toEqual([2, 0.5, "string", "hi"]);
    expect(f[1]).toBe(2.5);
  });
});

describe("Maps and Sets", () => {
  it("Map entries by key, writes set and delete, # is the size, pairs walks the entries", () => {
    const key = { id: 1 };
    const m = new Map<unknown, unknown>([
      ["a", 1],
      [2, "two"],
      [key, "obj"],
    ]);
    L.global.set("m", m);
    L.global.set("key", key);
    expect(L.run("return m.a, m[2], m[key], m.nothing, #m")).toEqual([1, "two", "obj", null, 3]);
    L.run("m.b = 'B' m.a = nil m[key] = 'changed'");
    expect([...m.entries()]).toEqual([
      [2, "two"],
      [key, "changed"],
      ["b", "B"],
    ]);
    expect(
      L.run(`local n, seen = 0, false for k, v in pairs(m) do n = n + 1 if k == key then seen = v end end
             return n, seen`),
    ).toEqual([3, "changed"]);
    expect(L.run("return m:get('b'), m:has(2), m.size")).toEqual(["B", true, 3]);
  });

  it("pairs gives every kind of key and value exactly, in the host's order (typed and general steps)", () => {
    const fn = (): number => 1;
    const obj = { o: 1 };
    const long = "k".repeat(300);
    const m = new Map<unknown, unknown>([
      ["ascii", "v"],
      ["clé", "é"],
      [long, 1.5],
      [7, true],
      [2 ** 60, false],
      [1.5, obj],
      [true, fn],
      [obj, 2 ** 53],
      [-3, long],
    ]);
    L.global.set("m", m);
    const [n, kinds] = L.run(`
      local n, out = 0, {}
      for k, v in pairs(m) do
        n = n + 1
        out[#out + 1] = math.type(k) or type(k)
        out[#out + 1] = math.type(v) or type(v)
      end
      return n, table.concat(out, ' ')`);
    expect(n).toBe(9);
    expect(kinds).toBe(
      "string string string string string float integer boolean float boolean float userdata boolean function userdata float integer string",
    );
    const got = L.run(
      "local ks, vs = {}, {} for k, v in pairs(m) do ks[#ks + 1] = k vs[#vs + 1] = v end return ks, vs",
    );
    expect(got).toEqual([
      ["ascii", "clé", long, 7, 2 ** 60, 1.5, true, obj, -3],
      ["v", "é", 1.5, true, false, obj, fn, 2 ** 53, long],
    ]);
    // next() called by hand, with the keys pairs gave, and a key that is not there
    expect(
      L.run("local f = pairs(m) local a, b = f(m, 'clé') local c, d = f(m, 7) return a, b, c, d, f(m, -3)"),
    ).toEqual([long, 1.5, 2 ** 60, false, null]);
    expect(L.run("local f = pairs(m) return pcall(f, m, 'nope')")).toEqual([false, "invalid key to 'next'"]);
  });

  it("Set members read as true; assigning nil or false removes one", () => {
    const s = new Set(["a", "b"]);
    L.global.set("s", s);
    expect(L.run("return s.a, s.zzz, #s")).toEqual([true, null, 2]);
    L.run("s.c = true s.a = nil s.b = false");
    expect([...s]).toEqual(["c"]);
    expect(
      L.run("local r = {} for k, v in pairs(s) do r[#r + 1] = k .. tostring(v) end return table.concat(r)"),
    ).toEqual(["ctrue"]);
  });
});

describe("security: only what the host handed over", () => {
  beforeEach(() => {
    L.global.set("o", { x: 1, m() {} });
    L.global.set("a", [1, 2]);
    L.global.set("map", new Map([["k", 1]]));
    L.global.set("c", new Counter("c"));
    L.global.set("fn", () => ({ inner: {} }));
  });

  it("never exposes constructor, __proto__ or prototype, on any kind", () => {
    const attempt = (v: string) =>
      L.run(`return select(2, pcall(function() return ${v}.constructor end)),
        (pcall(function() return ${v}.constructor.constructor("return process")() end))`);
    for (const v of ["o", "a", "map", "c", "fn()", "fn().inner", "c.name"]) {
      expect(attempt(v), v).toEqual([null, false]); // nil on every reference (and on a Lua string)
    }
    for (const v of ["c.inc", "o.m", "fn"]) {
      expect(attempt(v)[0], v).toMatch(/attempt to index a function value/);
      expect(attempt(v)[1], v).toBe(false);
    }
    expect(
      L.run("return o.__proto__, a.__proto__, c.__proto__, map.__proto__, o.prototype, c.__lookupGetter__"),
    ).toEqual([null, null, null, null, null, null]);
  });

  it("blocks obj.constructor.constructor('return process')() with a clear error", () => {
    const e = luaError(() => L.run("return o.constructor.constructor('return process')()"));
    expect(e.message).toBe("input:1: attempt to index a nil value (field 'constructor')");
  });

  it("a method is a Lua function: nothing can be looked up on it (constructor, call, apply, bind)", () => {
    for (const k of ["constructor", "call", "apply", "bind", "prototype"]) {
      expect(luaError(() => L.run(`return o.m.${k}`)).message).toBe(
        `input:1: attempt to index a function value (field 'm')`,
      );
    }
    expect(luaError(() => L.run("return c.inc.constructor")).message).toMatch(/attempt to index a function value/);
    expect(luaError(() => L.run("return fn.constructor")).message).toMatch(/attempt to index a function value/);
  });

  it("no metatable to reach: getmetatable, debug.getmetatable and debug.setmetatable", () => {
    expect(L.run("return getmetatable(o), debug.getmetatable(o), getmetatable(a), debug.getmetatable(map)")).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(luaError(() => L.run("debug.setmetatable(o, {})")).message).toBe(
      "input:1: cannot change the metatable of a JS reference",
    );
    expect(luaError(() => L.run("setmetatable(o, {})")).message).toBe(
      "input:1: bad argument #1 to 'setmetatable' (table expected, got js.object)",
    );
  });

  it("rawget, rawset and rawlen refuse references (they are not tables)", () => {
    expect(luaError(() => L.run("return rawget(o, 'x')")).message).toBe(
      "input:1: bad argument #1 to 'rawget' (table expected, got js.object)",
    );
    expect(luaError(() => L.run("rawset(a, 1, 2)")).message).toMatch(/table expected, got js\.array/);
    expect(luaError(() => L.run("return rawlen(map)")).message).toMatch(/table or string expected/);
  });

  it("refuses to write constructor, __proto__ or prototype", () => {
    expect(luaError(() => L.run("o.__proto__ = {}")).message).toBe("input:1: cannot set '__proto__' of a js.object");
    expect(luaError(() => L.run("c.constructor = 1")).message).toBe("input:1: cannot set 'constructor' of a js.object");
    expect(luaError(() => L.run("a.prototype = 1")).message).toMatch(/cannot set 'prototype'/);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype); // nothing was polluted
  });

  it("refuses Function, eval and globalThis however they are reached", () => {
    L.global.set("evil", {
      get f() {
        return Function;
      },
      g: globalThis,
      e: eval,
      getF() {
        return Function;
      },
      asyncCtor: Object.getPrototypeOf(async () => {}).constructor,
    });
    for (const [expr, name] of [
      ["evil.f", "Function"],
      ["evil.g", "globalThis"],
      ["evil.e", "eval"],
      ["evil:getF()", "Function"],
      ["evil.asyncCtor", "AsyncFunction"],
    ]) {
      expect(luaError(() => L.run(`return ${expr}`)).message).toBe(`input:1: access to ${name} from Lua is blocked`);
    }
    expect(luaError(() => L.run("for k, v in pairs(evil) do end")).message).toMatch(
      /access to \w+ from Lua is blocked/,
    );
  });

  it("never hands Function, eval or globalThis over, not even when the host or a thrown value tries", () => {
    expect(() => L.global.set("F", Function)).toThrow("access to Function from Lua is blocked");
    expect(() => L.global.set("E", eval)).toThrow("access to eval from Lua is blocked");
    expect(() => L.global.set("G", globalThis)).toThrow("access to globalThis from Lua is blocked");
    expect(() => L.global.set("C", copy({ f: Function }))).toThrow("access to Function from Lua is blocked");
    L.global.set("thrower", {
      g() {
        throw globalThis;
      },
      f() {
        throw Function;
      },
    });
    L.global.set("hostThrows", () => {
      throw globalThis;
    });
    expect(
      L.run(
        "local _, a = pcall(thrower.g) local _, b = pcall(thrower.f) local _, c = pcall(hostThrows) return type(a), type(b), type(c)",
      ),
    ).toEqual(["string", "string", "string"]);
    expect(L.run("return F, E, G, C")).toEqual([null, null, null, null]);
  });

  it("pairs never lists constructor or __proto__, even as own properties", () => {
    const own = JSON.parse('{"__proto__": 1, "constructor": 2, "ok": 3}') as object;
    L.global.set("own", own);
    expect(L.run("local r = {} for k in pairs(own) do r[#r + 1] = k end return table.concat(r, ',')")).toEqual(["ok"]);
  });

  it("debug.getupvalue on a method gives its inert handle and the object itself", () => {
    const [name1, h, name2, self, idx] = L.run(
      "local n1, h = debug.getupvalue(o.m, 1) local n2, s = debug.getupvalue(o.m, 2) return n1, tostring(h), n2, s == o, pcall(function() return h.constructor end)",
    ) as unknown[];
    expect([name1, name2, self, idx]).toEqual(["", "", true, false]);
    expect(h).toMatch(/^js\.function: 0x/);
    expect(luaError(() => L.run("local f = o.m debug.setupvalue(f, 1, o) f()")).message).toMatch(
      /bad JS function handle/,
    );
    expect(L.run("return pcall(o.m)")).toEqual([true]); // a fresh method replaces the spoiled one
  });
});

describe("references cannot be persisted", () => {
  it("storing one in _home, _io or an external table is an error naming its type", () => {
    L.global.set("o", {});
    L.global.set("a", []);
    L.global.set("c", new Counter("c"));
    expect(luaError(() => L.run("_home.o = o")).message).toBe(
      "input:1: cannot store a js.object in an external table (copy it explicitly)",
    );
    expect(luaError(() => L.run("_io.a = a")).message).toBe(
      "input:1: cannot store a js.array in an external table (copy it explicitly)",
    );
    expect(luaError(() => L.run("local t = ext.table() t.x = {inner = o}")).message).toMatch(
      /cannot store a js\.object/,
    );
    expect(luaError(() => L.run("_home.f = c.inc")).message).toBe(
      "input:1: cannot store a JS function in an external table",
    );
    expect(L.run("return _home.o, _io.a")).toEqual([null, null]);
  });

  it("a snapshot holding one fails with a clear error; without it the snapshot works", () => {
    L.global.set("o", { v: 1 });
    L.run("keep = {o}");
    expect(() => L.snapshot()).toThrow(SnapshotError);
    expect(() => L.snapshot()).toThrow("cannot snapshot a js.object (copy it explicitly)");
    L.run("keep = nil meth = nil o = nil");
    fullgc();
    const snap = L.snapshot();
    L.restore(snap);
    expect(L.run("return o")).toEqual([null]);
  });

  it("copy() copies instead, and setInput/_io keep copying", () => {
    const cfg = { list: [1, 2], name: "n" };
    L.global.set("cfg", copy(cfg));
    expect(L.run("cfg.name = 'changed' return type(cfg), #cfg.list")).toEqual(["table", 2]);
    expect(cfg.name).toBe("n");
    L.global.set("mk", () => copy({ a: 1 }));
    expect(L.run("return type(mk()), mk().a")).toEqual(["table", 1]);
    L.setInput({ x: [1, 2] });
    expect(L.run("_home.saved = _io.input return type(_io.input), _io.input.x[2], _home.saved.x[1]")).toEqual([
      "table",
      2,
      1,
    ]);
  });
});

describe("copy() where a copy is made anyway", () => {
  it("setInput(copy(x)) and setMetadata(copy(x)) store x itself, not the marker", () => {
    L.setInput(copy({ x: [1, 2] }));
    expect(L.run("return type(_io.input), _io.input.x[2], _io.input.value")).toEqual(["table", 2, null]);
    L.setMetadata(copy({ m: 1 }));
    expect(L.run("return _io.meta.m, _io.meta.value")).toEqual([1, null]);
  });

  it("a copy nested in a copied value, a copy of a copy, and one stored into _home", () => {
    const shared = { s: 1 };
    L.setInput({ a: copy({ b: 1 }), list: [copy(shared), shared] });
    expect(L.run("local i = _io.input return i.a.b, i.a.value, i.list[1].s, i.list[1] == i.list[2]")).toEqual([
      1,
      null,
      1,
      true,
    ]);
    L.global.set("c", copy(copy({ b: 2 })));
    expect(L.run("return type(c), c.b")).toEqual(["table", 2]);
    L.run("function put(v) _home.v = v end");
    L.call("put", copy({ z: [3] }));
    expect(L.run("return _home.v.z[1]")).toEqual([3]);
  });

  it("a cyclic structure inside copy() keeps its cycle, in setInput and in global.set", () => {
    const cyc: Record<string, unknown> = { name: "c" };
    cyc.self = cyc;
    L.setInput(copy(cyc));
    expect(L.run("return _io.input.self == _io.input, _io.input.self.self.name")).toEqual([true, "c"]);
    L.global.set("g", copy(cyc));
    expect(L.run("return type(g), g.self == g, g.self.name")).toEqual(["table", true, "c"]);
  });
});

describe("bad input leaves the state usable", () => {
  beforeEach(() => {
    L.run("keep = 42");
  });
  afterEach(() => {
    expect(L.run("return keep")).toEqual([42]);
    expect(L.run("local t = {} for i = 1, 10 do t[i] = i end return #t")).toEqual([10]); // a follow-up run works
  });

  it("a getter that throws is a Lua error with its message (pcall catches it)", () => {
    L.global.set("o", {
      get bad() {
        throw new Error("getter failed");
      },
    });
    expect(L.run("return pcall(function() return o.bad end)")).toEqual([false, "input:1: getter failed"]);
    expect(luaError(() => L.run("return o.bad")).message).toBe("input:1: getter failed");
  });

  it("a setter or method that throws too", () => {
    L.global.set("o", {
      set s(_v: unknown) {
        throw new TypeError("no");
      },
      m() {
        throw new RangeError("method failed");
      },
    });
    expect(L.run("return pcall(function() o.s = 1 end)")).toEqual([false, "input:1: no"]);
    expect(L.run("return pcall(o.m, o)")).toEqual([false, "method failed"]);
    const thrown = { code: 7 };
    L.global.set("t", {
      m() {
        throw thrown;
      },
    });
    expect(L.run("local ok, e = pcall(t.m) return ok, type(e), e.code, e")).toEqual([false, "userdata", 7, thrown]);
  });

  it("a frozen object refuses writes with a clear error", () => {
    L.global.set("f", Object.freeze({ x: 1 }));
    expect(luaError(() => L.run("f.x = 2")).message).toBe("input:1: cannot set 'x' (read-only)");
  });

  it("a Proxy that lies in ownKeys fails pairs with a clear error", () => {
    const target = Object.preventExtensions({ a: 1 });
    const liar = new Proxy(target, { ownKeys: () => ["a", "b"] });
    L.global.set("p", liar);
    const e = luaError(() => L.run("for k in pairs(p) do end"));
    expect(e.message).toMatch(/^input:1: .*ownKeys/);
    expect(L.run("return p.a")).toEqual([1]);
    const dup = new Proxy({}, { ownKeys: () => ["x", "x"] });
    L.global.set("d", dup);
    expect(luaError(() => L.run("for k in pairs(d) do end")).message).toMatch(/duplicate/);
  });

  it("a Proxy whose get lies about a read-only property: the engine's invariant error, as a Lua error", () => {
    L.global.set("p", new Proxy(Object.freeze({ x: 1 }), { get: () => 2 }));
    const [ok, msg] = L.run("return pcall(function() return p.x end)");
    expect(ok).toBe(false);
    expect(msg).toMatch(/^input:1: 'get' on proxy: property 'x' is a read-only and non-configurable/);
  });

  it("a Proxy whose has, get, ownKeys and descriptors disagree: reads give nil, pairs lists no ghost", () => {
    L.global.set(
      "p",
      new Proxy({} as Record<string, unknown>, {
        has: () => true,
        get: () => undefined,
        ownKeys: () => ["ghost", "g2"],
        getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }),
      }),
    );
    expect(L.run("local n = 0 for k, v in pairs(p) do n = n + 1 end return p.ghost, n")).toEqual([null, 0]);
  });

  it("a Proxy whose keys change between pairs steps: the loop ends, over the keys of its first step", () => {
    let calls = 0;
    L.global.set("p", new Proxy({ a: 1, b: 2, c: 3 }, { ownKeys: () => (calls++ % 2 ? ["c", "a"] : ["a", "b", "c"]) }));
    expect(L.run("local ks = {} for k in pairs(p) do ks[#ks + 1] = k end return table.concat(ks, ',')")).toEqual([
      "a,b,c",
    ]);
  });

  it("a Proxy whose traps throw (ownKeys, getPrototypeOf): a Lua error, or a JS error when handed over", () => {
    L.global.set(
      "ks",
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error("keys trap");
          },
        },
      ),
    );
    expect(L.run("return pcall(function() for k in pairs(ks) do end end)")).toEqual([false, "input:1: keys trap"]);
    const protoTrap = (): object =>
      new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error("proto trap");
          },
        },
      );
    L.global.set("o", { mk: protoTrap });
    expect(L.run("return pcall(o.mk)")).toEqual([false, "proto trap"]);
    expect(() => L.global.set("x", protoTrap())).toThrow("proto trap");
    expect(L.run("return x")).toEqual([null]);
  });

  it("a Proxy of a Map (no traps): Map's methods refuse the receiver, a clear Lua error", () => {
    L.global.set("pm", new Proxy(new Map([["a", 1]]), {}));
    const [ok, msg] = L.run("return pcall(function() return pm.a end)");
    expect([ok, msg]).toEqual([false, "input:1: Method Map.prototype.has called on incompatible receiver #<Map>"]);
    expect(L.run("return pcall(function() for k in pairs(pm) do end end)")[0]).toBe(false);
  });

  it("a field or a pairs value Lua cannot hold (a symbol), and a thrown string", () => {
    L.global.set("sy", {
      s: Symbol("x"),
      get g(): never {
        throw "plain string";
      },
    });
    const symbol = [false, "input:1: cannot convert a symbol to a Lua value"];
    expect(L.run("return pcall(function() return sy.s end)")).toEqual(symbol);
    expect(L.run("return pcall(function() for k, v in pairs(sy) do end end)")).toEqual(symbol);
    expect(L.run("return pcall(function() return sy.g end)")).toEqual([false, "input:1: plain string"]);
  });

  it("copy() of a structure nested too deep is a clear error; a cyclic one keeps its cycle", () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    expect(() => L.global.set("dc", copy(deep))).toThrow("object nesting too deep to convert to a Lua table");
    L.global.set("mkdeep", () => copy(deep));
    expect(L.run("return pcall(mkdeep)")).toEqual([false, "object nesting too deep to convert to a Lua table"]);
    const cyc: Record<string, unknown> = { n: 1 };
    cyc.me = cyc;
    L.global.set("mkcyc", () => copy(cyc));
    expect(L.run("local c = mkcyc() return type(c), c.me == c, c.me.me.n")).toEqual(["table", true, 1]);
  });

  it("a revoked Proxy: refused when handed over, a Lua error when revoked later", () => {
    const r1 = Proxy.revocable({}, {});
    r1.revoke();
    expect(() => L.global.set("p", r1.proxy)).toThrow(TypeError);
    const r2 = Proxy.revocable({ a: 1 }, {});
    L.global.set("p", r2.proxy);
    expect(L.run("return p.a")).toEqual([1]);
    r2.revoke();
    expect(luaError(() => L.run("return p.a")).message).toMatch(/revoked/);
    expect(luaError(() => L.run("p.a = 2")).message).toMatch(/revoked/);
    expect(L.run("return pcall(pairs(p), p)")[0]).toBe(false);
  });

  it("a method returning what Lua cannot hold is a clear error and leaks no reference", () => {
    const obj = { v: 1 };
    L.global.set("o", {
      sym: () => Symbol("s"),
      multi: () => new LuaMulti([obj, Symbol("later")]),
      promise: async () => 1,
    });
    const refs = liveRefs();
    expect(luaError(() => L.run("return o.sym()")).message).toBe("input:1: cannot convert a symbol to a Lua value");
    expect(luaError(() => L.run("return o.multi()")).message).toBe("input:1: cannot convert a symbol to a Lua value");
    expect(luaError(() => L.run("return o.promise()")).message).toMatch(/returned a Promise/);
    fullgc();
    expect(liveRefs()).toBe(refs); // obj's id was dropped with the failed answer
    L.global.set("sym", () => Symbol("s"));
    expect(L.run("return pcall(sym)")).toEqual([false, "cannot convert a symbol to a Lua value"]);
  });

  it("a bad key is an error for writes and nil for reads", () => {
    L.global.set("o", {});
    expect(L.run("return o[{}], o[print]")).toEqual([null, null]);
    expect(luaError(() => L.run("o[{}] = 1")).message).toBe("input:1: bad key for a js.object (a object)");
    expect(luaError(() => L.run("local f = pairs(o) f(o, 'nope')")).message).toMatch(/invalid key to 'next'/);
  });
});

describe("other options", () => {
  it("rawStrings: keys are still text, values arrive as bytes", async () => {
    const R = await Lua.create({ rawStrings: true, stdout: () => {} });
    const o: Record<string, unknown> = { a: 1 };
    R.global.set("o", o);
    R.run("o.s = 'bytes'");
    expect(R.run("return o.a")).toEqual([1]);
    expect(o.s).toEqual(new TextEncoder().encode("bytes"));
    let arg: unknown = null;
    R.global.set("m", { take: (v: unknown) => (arg = v) });
    expect(R.run("return m:take('arg')")).toEqual([new TextEncoder().encode("arg")]);
    expect(arg).toEqual(new TextEncoder().encode("arg"));
    R.close();
  });
});
