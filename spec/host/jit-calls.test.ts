// jit-calls.test.ts - what compiled code hands to the module's helpers (jit/helpers.ts): calls
// (compile.ts callop, luaJ_call: a compiled callee entered directly on the wasm stack, anything else
// through the helper: natives, __call, callees not compiled) and instructions with a slow half
// (luaJ_op: table reads and writes past their inline fast paths, SELF, LEN, CONCAT, NEWTABLE,
// CLOSURE, SETUPVAL). Every case runs with the JIT off, with everything compiled at its first call
// (threshold 0) and with the stress mode (an exit every 3 units), and results, error messages and
// tracebacks must be the interpreter's: deep recursion past the wasm nesting bound, errors raised in
// callees, natives and metamethods, yields inside callees and metamethods of compiled code, hooks
// armed by a callee or a metamethod, budgets, the memory limit, GC barriers, varargs, missing
// arguments and result counts compiled code does not handle.

import { afterEach, describe, expect, it } from "vitest";
import { Lua, LuaError, type LuaOptions } from "../../host/index.js";
import { jitstat, wasmOf } from "./helpers.js";

const opened: Lua[] = [];
afterEach(() => {
  for (const l of opened.splice(0)) l.close();
});

async function make(o: LuaOptions = {}): Promise<Lua> {
  const l = await Lua.create({ stdout: () => {}, deterministic: true, ...o });
  opened.push(l);
  return l;
}

type Mode = "off" | "on" | "stress";

/** Runs `code` in a fresh state in `mode`: its results, or its error's message and traceback. */
async function outcome(code: string, mode: Mode, o: LuaOptions = {}): Promise<unknown> {
  const lua = await make({ ...o, ...(mode === "off" ? {} : { jit: true, jitThreshold: 0 }) });
  if (mode === "stress") wasmOf(lua).exports.lua_setjit(1, 0, 3);
  try {
    return { ok: lua.run(code) };
  } catch (e) {
    if (!(e instanceof LuaError)) throw e;
    return { message: e.message, traceback: e.traceback };
  }
}

/** The outcome with the JIT off, checked equal with the JIT on and in stress mode. */
async function same(code: string, o: LuaOptions = {}): Promise<unknown> {
  const off = await outcome(code, "off", o);
  expect(await outcome(code, "on", o)).toEqual(off);
  expect(await outcome(code, "stress", o)).toEqual(off);
  return off;
}

/**
 * `work()` of `code` (which counts in the global `count`) stopped by each instruction limit stops at
 * the same count with the JIT off, on at threshold 0, and in stress mode.
 */
async function stopsAtSameCount(code: string, limits: number[]): Promise<void> {
  for (const limit of limits) {
    const at = async (mode: Mode): Promise<unknown> => {
      const lua = await make({ instructionLimit: limit, ...(mode === "off" ? {} : { jit: true, jitThreshold: 0 }) });
      if (mode === "stress") wasmOf(lua).exports.lua_setjit(1, 0, 3);
      lua.run(code);
      expect(() => lua.call("work")).toThrow(LuaError);
      return lua.run("return count")[0];
    };
    const off = await at("off");
    expect(await at("on")).toBe(off);
    expect(await at("stress")).toBe(off);
  }
}

describe("JIT calls", () => {
  it("runs recursion compiled, and recursion past the wasm nesting bound without a trap", async () => {
    expect(
      await same("local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end return fib(20)"),
    ).toEqual({ ok: [6765] });
    expect(
      await same("local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end return d(180000)"),
    ).toEqual({ ok: [180000] });
    const overflow = (await same("local function d(n) return 1 + d(n + 1) end return d(1)")) as { message: string };
    expect(overflow.message).toContain("stack overflow");
  });

  it("knows how deeply compiled frames are nested at every way compiled code calls out", async () => {
    // Compiled frames pass their nesting depth to the callees they enter directly, and store it for
    // vm/tier.ts (jitdepthp, the count behind the wasm nesting bound) before they call a helper that
    // may run Lua code or host functions. A host function used as each kind of callee reads it
    // (lua_jitstat 4): at the bottom of n direct calls it must be n more than at the top (the same
    // after n tail calls of a function to itself, which reuse its wasm frame), for every kind (a
    // store missing on one path leaves the depth of whichever frame stored last), and past the
    // bound (JIT_MAXDEPTH, 160) it never exceeds it.
    const lua = await make({ jit: true, jitThreshold: 0 });
    let seen = -1;
    const probe = (): unknown => {
      seen = jitstat(lua, 4);
      return probe;
    };
    lua.global.set("probe", probe);
    lua.run(`
      local probe = probe
      local o = setmetatable({}, { __index = probe, __newindex = probe, __len = probe,
        __concat = probe, __call = probe })
      getmetatable("").__index = probe
      local function f(n, what)
        if n > 0 then local r = f(n - 1, what) return r end
        if what == 1 then return probe()
        elseif what == 2 then return o.missing
        elseif what == 3 then o.missing = 1 return 0
        elseif what == 4 then return o[1]
        elseif what == 5 then return #o
        elseif what == 6 then return o .. "x"
        elseif what == 7 then return o()
        elseif what == 8 then return ("s"):method()
        elseif what == 9 then return pcall(probe)
        elseif what == 10 then for _ in probe, nil, nil do break end return 0
        end
      end
      local function tail(n, what)
        if n > 0 then return tail(n - 1, what) end
        return f(0, what)
      end
      -- (entered from the interpreter: a function with a loop; it enters f and tail directly)
      function F(n, what) for _ = 1, 1 do f(n, what) end end
      function TAIL(n, what) for _ = 1, 1 do tail(n, what) end end`);
    const depth = (top: string, n: number, what: number): number => {
      seen = -1;
      lua.run(`${top}(${n}, ${what})`);
      return seen;
    };
    // (__add, __unm and __lt are left out: compiled code exits to the interpreter for them, with no
    // compiled frame left on the wasm stack)
    for (let what = 1; what <= 10; what++) {
      for (const top of ["F", "TAIL"]) {
        const base = depth(top, 0, what);
        expect(base, `${top} kind ${what}`).toBeGreaterThan(0);
        // (tail's tail calls to itself go round its own code in one wasm frame: jit/compile.ts tailloop)
        const nested = (n: number): number => (top === "TAIL" ? 0 : n);
        for (const n of [1, 7, 60]) expect(depth(top, n, what), `${top}(${n}) kind ${what}`).toBe(base + nested(n));
        expect(depth(top, 400, what), `${top}(400) kind ${what}`).toBeLessThanOrEqual(160);
      }
    }
  });

  it("compiles the caller's loop and the callee, and calls natives from compiled code", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const code = `
      local function sq(x) return x * x end
      local s, t = 0, {}
      for i = 1, 300 do s = s + sq(i) t[#t + 1] = math.max(i, 7) end
      return s, #t, t[3]`;
    expect(lua.run(code)).toEqual((await make()).run(code));
    expect(lua.memoryStats().jit_functions).toBeGreaterThanOrEqual(2);
    expect(wasmOf(lua).exports.lua_jitdeopts()).toBe(0);
  });

  it("shapes a call by what its callee held at compile time, and still calls a callee that changed since", async () => {
    // each call's callee (an upvalue, a field of one, a global, a recursive local) is a native, a
    // Lua function or the function itself when the caller is compiled, and something else after
    expect(
      await same(`
      local len, lib = string.len, { rep = string.rep }
      local function twice(x) return x * 2 end
      local rec
      local function c1(s) return len(s) end
      local function c2(x) return twice(x) end
      local function c3(s) return lib.rep(s, 2) end
      local function c4(x) return tostring(x) end
      local function c5(s) return len(s) end
      function rec(n) if n == 0 then return 0 end return rec(n - 1) + 1 end
      local function round() return c1("abc") .. c2(4) .. c3("xy") .. c4(5) .. rec(3) .. c5("q") end
      local before = round()
      for i = 1, 30 do round() end
      len = function(s) return "L" .. s end
      twice = string.upper
      lib.rep = function(s) return s .. "!" end
      tostring = function(x) return "T" .. x end
      local r0 = rec
      rec = function(n) return 40 + n end
      local after = round() .. r0(3)
      for i = 1, 30 do round() end
      return before, after, round()`),
    ).toEqual({ ok: ["38xyxy531", "Labc4xy!T543Lq43", "Labc4xy!T543Lq"] });
    // a call (or tail call) of a native gets none of the direct calls' code (~300 bytes): the
    // caller's module is smaller than the same caller's compiled when the callee is a Lua function
    const callerBytes = async (callee: string, caller: string): Promise<number> => {
      const lua = await make({ jit: true, jitThreshold: 0 });
      lua.run(`f = ${callee} f("a")`); // (f compiled first when it is Lua: its bytes are not counted)
      lua.run(`local f = f function h(s) ${caller} end`);
      const before = lua.memoryStats().jit_bytes;
      expect(lua.run(`return h("abc")`)).toEqual([3]);
      return lua.memoryStats().jit_bytes - before;
    };
    for (const caller of ["local n = f(s) return n", "return f(s)"]) {
      const native = await callerBytes("string.len", caller);
      const lua = await callerBytes("function(s) return #s end", caller);
      expect(native).toBeGreaterThan(0);
      expect(native).toBeLessThan(lua - 150);
    }
    // f(x) wanting one value gets the inline math natives' tests (calls.ts fastcall, ~250 bytes)
    // only when its callee may be one of them: not when it held another native (or a Lua function)
    const oneArgBytes = async (callee: string): Promise<number> => {
      const lua = await make({ jit: true, jitThreshold: 0 });
      lua.run(`local f = ${callee} function h(x) local n = f(x) return n + 1 end`);
      expect(lua.run(`return h(-3)`)).toEqual([callee === "math.abs" ? 4 : -2]);
      return lua.memoryStats().jit_bytes;
    };
    expect(await oneArgBytes("math.floor")).toBeLessThan((await oneArgBytes("math.abs")) + 50);
    expect(await oneArgBytes("tonumber")).toBeLessThan((await oneArgBytes("math.abs")) - 150);
  });

  it("gives the interpreter's messages and tracebacks for errors in callees and natives", async () => {
    const r = (await same(`
      local function inner(x) return x + nil end
      local function mid(x) local y = inner(x) return y end
      local s = 0
      for i = 1, 10 do s = s + mid(i) end`)) as { message: string; traceback: string };
    expect(r.message).toContain("attempt to perform arithmetic on a nil value");
    expect(r.traceback).toContain("in upvalue 'inner'");
    const n = (await same(`
      local function f(i) return string.rep(nil, i) end
      for i = 1, 10 do f(i) end`)) as { message: string };
    expect(n.message).toContain("bad argument #1 to 'rep'");
    await same(`
      local function f(i) if i == 7 then error({ code = i }) end return i end
      local ok, e = pcall(function() local s = 0 for i = 1, 10 do s = s + f(i) end return s end)
      return ok, e.code`);
  });

  it("yields inside callees of compiled code and resumes them", async () => {
    expect(
      await same(`
        local function produce(i) coroutine.yield(i * 2) return i end
        local function loop(n) local s = 0 for i = 1, n do s = s + produce(i) end return s end
        local co = coroutine.wrap(function() return "done", loop(50) end)
        local got = {}
        for i = 1, 51 do got[#got + 1] = tostring(co()) end
        return table.concat(got, ",")`),
    ).toEqual({
      ok: [Array.from({ length: 50 }, (_, i) => String((i + 1) * 2)).join(",") + ",done"],
    });
    await same(`
      local function f() return coroutine.yield() end
      for i = 1, 5 do f() end`);
  });

  it("hands over to the interpreter when a callee arms a hook, and counts as it does", async () => {
    await same(`
      local lines = 0
      local function arm(i) if i == 40 then debug.sethook(function() lines = lines + 1 end, "l") end return i end
      local function work(n) local s = 0 for i = 1, n do s = s + arm(i) end return s end
      local r = work(100)
      debug.sethook()
      return r, lines`);
    await same(`
      local calls = 0
      local function leaf(x) return x + 1 end
      local function arm(i) if i == 5 then debug.sethook(function(e) calls = calls + 1 end, "cr") end return leaf(i) end
      local s = 0
      for i = 1, 30 do s = s + arm(i) end
      debug.sethook()
      return s, calls`);
  });

  it("stops at the same instruction under an instruction budget", async () => {
    const code = `
      count = 0
      local function step(n) return n + 1 end
      function work() while true do for i = 1, 10 do count = step(count) end end end`;
    await stopsAtSameCount(code, [997, 20011]);
  });

  it("leaves varargs, missing arguments, __call and multiple results to the interpreter's paths", async () => {
    await same(`
      local function va(...) return select('#', ...) end
      local function miss(a, b, c) return c == nil and a or b end
      local function two(x) return x, x + 1 end
      local callable = setmetatable({}, { __call = function(self, x) return x * 3 end })
      local s = 0
      for i = 1, 40 do
        local p, q = two(i)
        s = s + va(i, i, nil) + miss(i) + callable(i) + p + q + (two(i))
      end
      local function none() end
      local function one() return 5 end
      for i = 1, 10 do none() one() local a = none() s = s + (a or 0) + one() end
      return s, select('#', none()), one()`);
  });

  it("leaves a Lua function started by pcall to the interpreter, which completes the pcall", async () => {
    // (found by the jitdiff fuzzer, seed 12: compiled code ran pcall's function and went on with
    // pcall's frame still open)
    expect(
      await same(`
        local t = {}
        local function P(...) t[#t + 1] = select('#', ...) .. ":" .. table.concat({...}, " ", 2) end
        for g = 1, 2 do if g % 3 == 0 then goto skip end ; t[#t + 1] = g ::skip:: end
        P(pcall(function() return 8, 9, 10 end))       -- (compiled code runs on past the loop)
        local s = 0
        for i = 1, 100 do local ok2, v = pcall(function(x) return x * 2 end, i) if ok2 then s = s + v end end
        return table.concat(t, ","), s`),
    ).toEqual({ ok: ["1,2,4:8 9 10", 10100] });
  });

  it("calls through pcall and method calls from compiled loops", async () => {
    await same(`
      local obj = { n = 0 }
      function obj:add(k) self.n = self.n + k return self end
      local function bad(i) if i % 3 == 0 then error("e" .. i) end return i end
      local ok, s = 0, 0
      for i = 1, 30 do
        obj:add(i)
        local good, v = pcall(bad, i)
        if good then s = s + v else ok = ok + 1 end
      end
      return obj.n, ok, s`);
  });
});

describe("JIT returns and tail calls (luaJ_return, luaJ_tailcall)", () => {
  it("returns several results, varargs and closed upvalues as the interpreter does", async () => {
    await same(`
      local function multi(i) return i, i * 2, i * 3 end
      local function va(...) local n = select('#', ...) return n, ... end
      local function mk(i) local x = i return function() return x end, x end
      local function tbc(i) local c <close> = setmetatable({}, { __close = function() i = i + 1 end }) return i end
      local s, fs = 0, {}
      for i = 1, 40 do
        local a, b, c = multi(i)
        local n, p, q = va(i, i + 1)
        local f, x = mk(i) fs[#fs + 1] = f
        s = s + a + b + c + n + p + q + x + tbc(i) + select('#', multi(i))
      end
      local t = 0 for i = 1, #fs do t = t + fs[i]() end
      -- counts wanted: as many, more, fewer, all; five values (more than are placed inline)
      local function pair(i) return i, -i end
      local function five(i) return i, i, i, i, i + 1 end
      for i = 1, 30 do
        local a, b = pair(i)
        local c, d, e = pair(i)
        local f = pair(i)
        local g = { pair(i) }
        local v1, v2, v3, v4, v5 = five(i)
        s = s + a + b + c + d + (e or 1000) + f + #g + g[2] + select('#', pair(i)) + v1 + v5 + #{ five(i) }
      end
      return s, t, multi(2)`);
    // a pair returned to `a, b = pair(i)` is placed by compiled code, not by luaJ_return (calls.ts retn)
    const lua = await make({ jit: true, jitThreshold: 0 });
    lua.run(
      "local function pair(i) return i, -i end function loop(n) local s = 0 for i = 1, n do local a, b = pair(i) s = s + a * b end return s end",
    );
    expect(lua.run("return loop(10)")).toEqual([-385]);
    const returns = jitstat(lua, 5);
    expect(lua.run("return loop(1000)")).toEqual([-333833500]);
    expect(jitstat(lua, 5) - returns).toBeLessThan(10);
  });

  it("runs tail calls (Lua, native, __call) without growing any stack, with tail-call tracebacks", async () => {
    expect(
      await same(`
        local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
        local function even(n) if n == 0 then return true end return odd(n - 1) end
        function odd(n) if n == 0 then return false end return even(n - 1) end
        local C = setmetatable({}, { __call = function(self, x) return x + 1 end })
        local function tn(x) return tostring(x) end
        local function tc(x) return C(x) end
        local s = 0 for i = 1, 50 do s = s + #tn(i) + tc(i) end
        return loop(300000, 0), even(100001), s`),
    ).toEqual({ ok: [300000, false, 1416] });
    const r = (await same(`
      local function bad(x) return x.y end
      local function mid(x) return bad(x) end
      for i = 1, 5 do mid({ y = i }) end
      return mid(nil)`)) as { traceback: string };
    expect(r.traceback).toContain("(...tail calls...)");
  });

  it("makes a tail call whose arguments run up to the top (return f(g(x))) straight into compiled code", async () => {
    const code = `
      local function compose(f, g) return function(x) return f(g(x)) end end
      local function add(a, b) return (a or 0) + (b or 100) end
      local function two(x) return x, x * 10 end
      local function none(x) end
      local function count(...) return select("#", ...) end
      local h1, h2, h3 = compose(add, two), compose(add, none), compose(count, two)
      local function fwd(...) return add(...) end
      local s = 0
      for i = 1, 2000 do s = s + h1(i) + h2(i) + h3(i) + fwd(i) + fwd(i, 1, 2) end
      return s, h1(5), h2(5), h3(5)`;
    expect(await same(code)).toEqual({ ok: [26419000, 55, 100, 2] });
    // compiled, h's tail call enters add's code directly, not through the helper (which enters it
    // as the interpreter does: an entry each time)
    const lua = await make({ jit: true, jitThreshold: 0 });
    lua.run(
      "local function add(a, b) return a + b end local function two(x) return x, 1 end function h(x) return add(two(x)) end",
    );
    lua.run("local s = 0 for i = 1, 10 do s = s + h(i) end return s"); // (compiles h, add, two and the loop)
    const entries = jitstat(lua, 3);
    expect(lua.run("local s = 0 for i = 1, 1000 do s = s + h(i) end return s")).toEqual([501500]);
    expect(jitstat(lua, 3) - entries).toBeLessThan(10);
  });

  it("counts the same return and call hook events", async () => {
    await same(`
      local ev = {}
      local function leaf(x) return x end
      local function tail(x) return leaf(x) end
      local function two(x) return x, x end
      for i = 1, 20 do tail(i) two(i) end
      debug.sethook(function(e) ev[#ev + 1] = e end, "cr")
      for i = 1, 3 do tail(i) two(i) end
      debug.sethook()
      return table.concat(ev, ",")`);
  });
});

describe("JIT instructions through luaJ_op", () => {
  it("reads and writes fields: present keys inline, new keys, __index and __newindex through the helper", async () => {
    await same(`
      local log = {}
      local proxy = setmetatable({}, {
        __index = function(t, k) return k .. "!" end,
        __newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v) rawset(t, k, v) end })
      local class = { get = function(self) return self.v end }
      class.__index = class
      local base = setmetatable({ deep = 1 }, { __index = { deeper = 2 } })
      local s = 0
      for i = 1, 60 do
        local o = setmetatable({ v = i }, class)
        s = s + o:get() + base.deep + base.deeper
        local t = { a = i }
        t.a = t.a + 1 t.b = i t["c" .. i % 3] = i
        s = s + t.a + t.b + #t + (t.c0 or 0)
        if i % 10 == 0 then proxy["k" .. i] = i end
        s = s + #proxy.zz
      end
      return s, table.concat(log, ",")`);
  });

  it("keeps every field of a hash node chain when storing into it (a node's link shares its value slot)", async () => {
    expect(
      await same(`
        local t = { x = 1, y = 2, z = 3, vx = 4, vy = 5, vz = 6, mass = 7 }
        local function move(b, dt)
          for i = 1, 10 do b.x, b.y, b.z = b.x + dt * b.vx, b.y + dt * b.vy, b.z + dt * b.vz b.vx = b.vx * 1.0 end
          -- values read from other nodes (a register copy of a node value carries its link word)
          for i = 1, 7 do b.x, b.y, b.z, b.vx, b.vy, b.vz, b.mass = b.mass, b.x, b.y, b.z, b.vx, b.vy, b.vz end
        end
        move(t, 0.5)
        local keys = {}
        for k, v in pairs(t) do keys[#keys + 1] = k .. "=" .. v end
        table.sort(keys)
        return table.concat(keys, " ")`),
    ).toEqual({ ok: ["mass=7 vx=4.0 vy=5 vz=6 x=21.0 y=27.0 z=33.0"] });
  });

  it("gives the interpreter's messages for indexing, length and concatenation errors", async () => {
    for (const code of [
      "local function f(x) return x.y end for i = 1, 5 do f({ y = i }) end return f(3)",
      "local function f(x) x.y = 1 end for i = 1, 5 do f({}) end f(nil)",
      "local function f(x) return #x end for i = 1, 5 do f('ab') end return f(3)",
      "local function f(a, b) return a .. b end for i = 1, 5 do f('a', i) end return f('a', {})",
      "local function f(o) return o:m() end for i = 1, 5 do pcall(f, 1) end return f(nil)",
      "local function f() return undefinedglobal.x end for i = 1, 5 do pcall(f) end return f()",
    ]) {
      const r = (await same(code)) as { message?: string };
      expect(r.message).toMatch(/attempt to (index|get length|concatenate|call)/);
    }
  });

  it("runs __len, __concat, __eq-free metamethods and yields inside them", async () => {
    await same(`
      local V = setmetatable({}, { __len = function() return 42 end, __concat = function(a, b) return "cat" end })
      local s, t = 0, {}
      for i = 1, 30 do s = s + #V t[#t + 1] = V .. i end
      return s, t[30]`);
    await same(`
      local Y = setmetatable({}, { __index = function(t, k) return coroutine.yield(k) end,
                                   __concat = function(a, b) return coroutine.yield("cc") end })
      local co = coroutine.wrap(function()
        local acc = {}
        for i = 1, 20 do acc[#acc + 1] = Y.key .. (Y .. i) end
        return table.concat(acc, ",")
      end)
      local out, v = {}, co()
      for i = 1, 41 do out[#out + 1] = tostring(v) v = co(i) end
      return table.concat(out, " "), v`);
  });

  it("creates closures with fresh and shared upvalues, and stores into upvalues", async () => {
    await same(`
      local fs = {}
      local shared = 0
      for i = 1, 50 do
        local own = i
        fs[#fs + 1] = function(d) own = own + d shared = shared + d return own end
      end
      local s = 0
      for r = 1, 3 do for i = 1, #fs do s = s + fs[i](r) end end
      return s, shared`);
  });

  it("keeps values stored by compiled code reachable across incremental collections (barriers)", async () => {
    await same(`
      local holder = { slot = false }
      local keep = {}
      local up
      local function put(i) holder.slot = { i } keep[i % 7 + 1] = { i } up = { i } return i end
      local n = 0
      for i = 1, 3000 do
        n = n + put(i)
        if i % 100 == 0 then collectgarbage("step", 0) end
      end
      collectgarbage()
      local c = 0 for i = 1, 7 do c = c + keep[i][1] end
      return n, holder.slot[1], up[1], c`);
  });

  it("hands over to the interpreter when a metamethod arms a hook, and under budgets and the memory limit", async () => {
    await same(`
      local lines = 0
      local T = setmetatable({}, { __index = function(t, k)
        if k == 40 then debug.sethook(function() lines = lines + 1 end, "l") end return k end })
      local s = 0
      for i = 1, 100 do s = s + T[i] end
      debug.sethook()
      return s, lines`);
    const code = `
      count = 0
      function work() while true do local t = { n = count } t.n = t.n .. "" count = count + #t.n end end`;
    await stopsAtSameCount(code, [1013, 30011]);
    const mem = (await same(
      `local ok, e = pcall(function() local t = {} for i = 1, 1e8 do t[i] = { x = i } end end) return ok, e`,
      { memoryLimit: 8 << 20 },
    )) as { ok: unknown[] };
    expect(mem.ok).toEqual([false, "not enough memory"]);
  });
});
