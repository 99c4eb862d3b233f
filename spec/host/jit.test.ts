// jit.test.ts - the baseline JIT (assembly/jit/, vm/tier.ts, host/jit.ts) seen from the host:
// tiering (a function is compiled after `jitThreshold` calls, getMemoryStats counts it), lifecycle
// (compiled code dies with its prototype and its table slot is reused; a snapshot carries none of it
// and a restored state compiles again when hot), errors (a type miss exits and the interpreter raises
// the exact message), and exactness under budgets and hooks (compiled code is never entered while
// they are armed, so counts match the interpreter's).
// Whole programs (spec/lua, bench/lua) are compared JIT on/off in spec/host/jit-diff.test.ts.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Lua, LuaError, type LuaOptions } from "../../host/index.js";
import { TABLE_INITIAL } from "../../host/jit.js";
import { jitstat, wasmOf } from "./helpers.js";

const opened: Lua[] = [];
afterEach(() => {
  for (const l of opened.splice(0)) {
    try {
      l.close();
    } catch {
      /* already closed */
    }
  }
});

async function make(o: LuaOptions = {}): Promise<Lua> {
  const l = await Lua.create({ stdout: () => {}, ...o });
  opened.push(l);
  return l;
}

/** The message of the LuaError `f` throws. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof LuaError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

describe("JIT tiering", () => {
  it("compiles a function after jitThreshold calls, and getMemoryStats counts it", async () => {
    const lua = await make({ jit: true, jitThreshold: 5 });
    lua.run("function f(x) return x * 2 + 1 end");
    // (`return f(i)` would be a tail call: calls are counted at OP_CALL)
    for (let i = 1; i <= 5; i++) expect(lua.run(`local r = f(${i}) return r`)).toEqual([2 * i + 1]);
    expect(lua.memoryStats().jit_functions).toBe(0);
    expect(lua.run("local r = f(10) return r")).toEqual([21]); // the 6th call compiles and runs it
    const s = lua.memoryStats();
    expect(s.jit_functions).toBe(1);
    expect(s.jit_bytes).toBeGreaterThan(40);
    expect(s.jit_compiles).toBe(1); // compiles since the instance started, and their time
    expect(s.jit_compile_ms).toBeGreaterThan(0);
    expect(lua.run("return f(2^53), f(-3), f(0.5)")).toEqual([2 ** 54 + 1, -5, 2]);
  });

  it("counts loop back-edges too: a long loop in the main chunk switches to compiled code mid-loop", async () => {
    const lua = await make({ jit: true, jitThreshold: 100 });
    expect(lua.run("local s = 0 for i = 1, 1000 do s = s + i end return s")).toEqual([500500]);
    expect(lua.memoryStats().jit_functions).toBe(1);
  });

  it("compiles a callee of compiled code at its fourth call from there, not at its first", async () => {
    const lua = await make({ jit: true, jitThreshold: 100 });
    const compiles = () => lua.memoryStats().jit_compiles;
    lua.run("function once(s) return s + 1 end function thrice(s) return s + 1 end function four(s) return s + 1 end");
    // each chunk's loop is compiled when it gets hot (a region), and that code makes the n calls at its end
    const calls = (f: string, n: number) =>
      lua.run(`local s = 0 for i = 1, 1000 do s = s + i if i > ${1000 - n} then s = s + ${f}(2) end end return s`);
    // called once after a hot loop (a report at a chunk's end): not compiled for that call alone
    let c0 = compiles();
    expect(calls("once", 1)).toEqual([500503]);
    expect(compiles() - c0).toBe(1); // (the chunk)
    c0 = compiles();
    expect(calls("thrice", 3)).toEqual([500509]);
    expect(compiles() - c0).toBe(1);
    c0 = compiles();
    expect(calls("four", 4)).toEqual([500512]);
    expect(compiles() - c0).toBe(2); // the chunk, and `four` at its fourth call
    // one compiled partially (its loop hot in its first call) is compiled whole the same way
    lua.run("function part(n) local s = 0 for i = 1, n do s = s + i end return s end");
    expect(lua.run("local r = part(1000) return r")).toEqual([500500]);
    c0 = compiles();
    expect(calls("part", 3)).toEqual([500509]);
    expect(compiles() - c0).toBe(1);
    c0 = compiles();
    expect(calls("part", 1)).toEqual([500503]);
    expect(compiles() - c0).toBe(2); // the chunk, and `part` whole at its fourth call from compiled code
  });

  it("is on by default, and compiles nothing when jit is false", async () => {
    const on = await make({ jitThreshold: 0 });
    on.run("local function f(x) return x end local s = 0 for i = 1, 5000 do s = s + f(i) end");
    expect(on.memoryStats().jit_functions).toBe(2);
    const lua = await make({ jit: false, jitThreshold: 0 });
    lua.run("local function f(x) return x end local s = 0 for i = 1, 5000 do s = s + f(i) end");
    expect(lua.memoryStats()).toMatchObject({ jit_functions: 0, jit_bytes: 0 });
    expect(wasmOf(lua).jit!.compiles).toBe(0);
  });

  it("rejects a threshold that is not a non-negative integer", async () => {
    await expect(Lua.create({ jit: true, jitThreshold: -1 })).rejects.toThrow(RangeError);
    await expect(Lua.create({ jit: true, jitThreshold: 1.5 })).rejects.toThrow(RangeError);
  });

  it("gives the module a table big enough for its own functions (the declared minimum)", () => {
    const bytes = readFileSync(fileURLToPath(new URL("../../build/lua.wasm", import.meta.url)));
    expect(declaredTableMin(bytes)).toBeGreaterThan(100);
    expect(declaredTableMin(bytes)).toBeLessThanOrEqual(TABLE_INITIAL);
  });
});

describe("JIT lifecycle", () => {
  it("frees compiled code with its prototype and reuses the table slots", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const churn = `
      local n = 0
      for i = 1, 40 do
        local f = load("local x = ... return x + " .. i)
        n = n + f(i)
      end
      return n`;
    expect(lua.run(churn)).toEqual([(2 * (40 * 41)) / 2]);
    const grown = wasmOf(lua).jit!.table.length;
    // 40 compiled (the collector, charged for their code, may have freed some already)
    expect(lua.memoryStats().jit_compiles).toBeGreaterThanOrEqual(40);
    lua.collectGarbage();
    const after = lua.memoryStats().jit_functions;
    expect(after).toBeLessThan(5); // the 40 loaded prototypes died
    for (let k = 0; k < 3; k++) {
      lua.run(churn);
      lua.collectGarbage();
    }
    expect(wasmOf(lua).jit!.table.length).toBe(grown); // slots were reused, the table did not grow
    expect(lua.memoryStats().jit_functions).toBe(after);
    expect(lua.memoryStats().jit_compiles).toBeGreaterThanOrEqual(4 * 40); // counts the dead ones too
  });

  it("charges compiled code to the collector: short-lived functions are freed long before the heap doubles", async () => {
    // a big live heap puts the next cycle far away (pause 200%); each compiled module costs V8 a
    // code mapping the Lua heap does not see, so the collector must come round because of them
    const lua = await make({ jit: true, jitThreshold: 0 });
    lua.run("big = {} for i = 1, 200000 do big[i] = {} end collectgarbage()");
    expect(lua.run(`local n = 0 for i = 1, 4000 do n = n + load("return " .. i)() end return n`)).toEqual([
      (4000 * 4001) / 2,
    ]);
    const s = lua.memoryStats();
    expect(s.jit_compiles).toBeGreaterThanOrEqual(4000);
    expect(s.jit_functions).toBeLessThan(1500); // without the charge: all 4000 still alive
  });

  it("keeps at most maxLive compiled functions alive; the others run interpreted until some die", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const jit = wasmOf(lua).jit!;
    jit.maxLive = 50; // MAX_LIVE (16384) in production: V8 aborts the process near 65,530 modules
    const keep = `keep = {} local n = 0
      for i = 1, 120 do local f = load("local x = ... for j = 1, 3 do x = x + j end return x + " .. i) keep[i] = f n = n + f(i) end
      return n`;
    expect(lua.run(keep)).toEqual([2 * ((120 * 121) / 2) + 6 * 120]);
    expect(lua.memoryStats().jit_functions).toBe(50);
    const refused = jit.failures;
    expect(refused).toBeGreaterThanOrEqual(70);
    expect(lua.run("local n = 0 for i = 1, 120 do n = n + keep[i](1) end return n")).toEqual([
      120 * 7 + (120 * 121) / 2,
    ]);
    lua.run("keep = nil collectgarbage()");
    expect(lua.memoryStats().jit_functions).toBeLessThan(5);
    lua.run(keep); // room again: new functions compile
    expect(lua.memoryStats().jit_functions).toBe(50);
  });

  it("keeps compiled code out of snapshots and compiles again after a restore", async () => {
    const prog = "function f(a, b) local s = 0 for i = a, b do s = s + i * i end return s end";
    const on = await make({ jit: true, jitThreshold: 0, deterministic: true });
    const off = await make({ deterministic: true });
    on.run(prog);
    off.run(prog);
    expect(on.run("return f(1, 100)")).toEqual(off.run("return f(1, 100)"));
    expect(on.memoryStats().jit_functions).toBeGreaterThan(0);
    const snap = on.snapshot();
    expect(Buffer.from(snap).equals(Buffer.from(off.snapshot()))).toBe(true); // nothing of the JIT in it
    const back = await make({ jit: true, jitThreshold: 0 });
    back.restore(snap);
    expect(back.memoryStats().jit_functions).toBe(0);
    expect(back.run("return f(3, 7)")).toEqual([9 + 16 + 25 + 36 + 49]);
    expect(back.memoryStats().jit_functions).toBe(1);
  });
});

describe("JIT module cache", () => {
  it("compiles the functions of a chunk loaded again once, and shares modules between functions that differ only in constants", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const jit = () => wasmOf(lua).jit!;
    const code = `
      local P = {} P.__index = P
      function P.new(x) return setmetatable({ x = x, tag = "p" }, P) end
      function P:get() return self.x end
      local s = 0
      for i = 1, 50 do s = s + P.new(i):get() end
      local function a() return "first", 1e100 end
      local function b() return "second", -2.5e-7 end
      local a1, a2 = a()
      local b1, b2 = b()
      return s, a1, a2, b1, b2`;
    const first = lua.run(code);
    expect(first).toEqual([1275, "first", 1e100, "second", -2.5e-7]);
    const compiled = jit().compiles;
    const hits = jit().cacheHits;
    expect(hits).toBeGreaterThan(0); // a and b: the same bytes (their constants are read at run time)
    // the same functions again (a new chunk: the host's chunk cache does not hand back the old
    // prototypes), compiled to the same bytes: V8 compiles none of them again
    expect(lua.run(code + "\n-- again")).toEqual(first);
    expect(jit().compiles - compiled).toBeGreaterThan(0);
    expect(jit().cacheHits - hits).toBe(jit().compiles - compiled);
  });
});

describe("JIT exits", () => {
  const cases: [string, string][] = [
    ["local function f(a, b) return a + b end for i = 1, 3 do f(i, i) end return f(1, {})", "arithmetic on a table"],
    ["local function f(a, b) return a < b end for i = 1, 3 do f(i, i) end return f(1, 'x')", "compare number with"],
    ["local function f(a, b) return a // b end for i = 1, 3 do f(i, i) end return f(1, 0)", "divide by zero"],
    ["local function f(a, b) return a % b end for i = 1, 3 do f(i, i) end return f(1, 0)", "'n%%0'"],
    [
      "local function f(t) local s = 0 for i = 1, t do s = s + i end return s end f(3) local r = f('x') return r",
      "'for' limit",
    ],
    ["local function f(a) return -a end for i = 1, 3 do f(i) end return f(nil)", "arithmetic on a nil value"],
  ];
  for (const [code, what] of cases) {
    it(`leaves a type miss to the interpreter, which gives lua5.4's message (${what})`, async () => {
      const on = await make({ jit: true, jitThreshold: 0 });
      const off = await make();
      const m = errorOf(() => on.run(code));
      expect(m).toBe(errorOf(() => off.run(code)));
      expect(m).toContain(what.replace("%%", "%"));
      expect(on.memoryStats().jit_functions).toBeGreaterThan(0);
    });
  }

  it("stops entering code whose guards keep failing, and not code that exits only where it ends", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const deopts = () => wasmOf(lua).exports.lua_jitdeopts();
    // a float loop exits at its FORPREP on every call (the interpreter prepares it): no miss
    lua.run(
      "local function g(n) local s = 0.0 for x = 0.5, n do s = s + x end return s end for k = 1, 2000 do g(10) end",
    );
    expect(deopts()).toBe(0);
    // t.x found through __index: not a miss (jit/helpers.ts luaJ_op runs the lookup, __index
    // included, and compiled code goes on)
    const slow = () => jitstat(lua, 1);
    const before = slow();
    expect(
      lua.run(`
        local o = setmetatable({}, { __index = function() return 1 end })
        local function f(t) local s = 0 for i = 1, 100 do s = s + t.x end return s end
        local r = 0 for k = 1, 2000 do r = r + f(o) end return r`),
    ).toEqual([200000]);
    expect(deopts()).toBe(0);
    // (all but a few: while V8 warms the module up, its loops exit every 32,768 back-edges and the
    // interpreter runs an iteration before entering again)
    expect(slow() - before).toBeGreaterThan(199900);
    // t.x a string: the addition's guard fails at every iteration it is entered (the interpreter
    // converts it)
    const code = `
      local o = { x = "1" }
      local function f(t) local s = 0 for i = 1, 100 do s = s + t.x end return s end
      local r = 0 for k = 1, 2000 do r = r + f(o) end return r`;
    expect(lua.run(code)).toEqual([200000]);
    // f, and then the main chunk's loop: once f is no longer entered, each of the loop's calls to it
    // leaves the loop's compiled code for the interpreter (a miss of the caller) until it stops too
    expect(deopts()).toBe(2);
  });

  it("gives the interpreter's results for coercions and metamethods (exits, then the slow path)", async () => {
    const code = `
      local mt = { __add = function(a, b) return 100 end, __lt = function() return true end }
      local function add(a, b) return a + b end
      local function lt(a, b) if a < b then return 1 end return 0 end
      local v = setmetatable({}, mt)
      return add(1, 2), add(1.5, 2), add("10", 1), add(v, 1), lt(1, 2), lt(v, v), add(math.maxinteger, 1),
        add(0/0, 1) ~= add(0/0, 1), lt(2^53, 2^53 + 1)`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make();
    expect(on.run(code)).toEqual(off.run(code));
  });
});

describe("JIT entry policy", () => {
  it("enters a small function without loops only from compiled callers, directly", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const entries = () => jitstat(lua, 3);
    let e0 = entries();
    // called from the interpreter (a loop with a VARARG, which the JIT leaves to the interpreter, is
    // not compiled): entered once, at its compiling call
    expect(
      lua.run(
        'local function inc(x) return x + 1 end local s = 0 for _ in ("x"):rep(1000):gmatch("x") do s = inc(s) + select("#", ...) end return s',
      ),
    ).toEqual([1000]);
    expect(entries() - e0).toBe(1);
    // called from a compiled loop: the loop is entered once, its calls are direct (no luaJ_call)
    e0 = entries();
    const c0 = jitstat(lua, 2);
    expect(
      lua.run("local function inc(x) return x + 1 end local s = 0 for i = 1, 1000 do s = inc(s) end return s"),
    ).toEqual([1000]);
    expect(entries() - e0).toBe(2); // inc at its compiling call (from the loop's first, interpreted, iteration), the loop
    expect(jitstat(lua, 2) - c0).toBe(0);
    // a while loop is entered at its header (its backward JMP) the same way
    e0 = entries();
    expect(
      lua.run(
        "local function inc(x) return x + 1 end local i, s = 0, 0 while i < 1000 do s = inc(s) i = i + 1 end return s",
      ),
    ).toEqual([1000]);
    expect(entries() - e0).toBe(2);
    expect(jitstat(lua, 2) - c0).toBe(0);
    expect(jitstat(lua, 0)).toBe(0);
  });

  it("enters code made mostly of helper calls (a constructor) only from compiled callers", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const e0 = jitstat(lua, 3);
    lua.run("function mk(i) return { x = i } end");
    expect(lua.run("local s = 0 for i = 1, 300 do s = s + mk(i).x end return s")).toEqual([45150]);
    // mk (NEWTABLE, SETFIELD, RETURN1) is entered at its compiling call and then by the compiled
    // loop's direct calls, which never leave the loop
    expect(lua.memoryStats().jit_functions).toBe(2);
    expect(jitstat(lua, 3) - e0).toBe(2);
    expect(jitstat(lua, 2)).toBe(0);
    // the interpreter's calls (a loop with a VARARG: not compiled) do not enter it
    const e1 = jitstat(lua, 3);
    expect(
      lua.run('local s = 0 for _ in ("x"):rep(300):gmatch("x") do s = s + mk(2).x + select("#", ...) end return s'),
    ).toEqual([600]);
    expect(jitstat(lua, 3) - e1).toBe(0);
    expect(jitstat(lua, 0)).toBe(0);
  });

  it("calls a compiled callee directly when its arguments run up to the top (f(g()))", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    lua.run("function two() return 3, 4 end function one() return 5 end function add2(a, b) return a + (b or 100) end");
    // warm-up: every function compiled (each entered at its compiling call)
    expect(lua.run("local s = 0 for i = 1, 10 do s = s + add2(two()) end return s")).toEqual([70]);
    const c0 = jitstat(lua, 2);
    const n0 = jitstat(lua, 1);
    // two() leaves 2 values on the top: add2 gets all its parameters and is entered directly
    expect(lua.run("local s = 0 for i = 1, 1000 do s = s + add2(two()) end return s")).toEqual([7000]);
    expect(jitstat(lua, 2) - c0).toBe(0);
    // one() leaves 1: add2 needs a nil added, which luaJ_call (the interpreter's CALL) does, at
    // every iteration but the first (the interpreter's, before the loop is entered at its header)
    expect(lua.run("local s = 0 for i = 1, 1000 do s = s + add2(one()) end return s")).toEqual([105000]);
    expect(jitstat(lua, 2) - c0).toBe(999);
    // a constructor's NEWTABLE has its own helper, and its new key goes into its free main
    // position inline (compile.ts newkey): no luaJ_op
    lua.run("function mk(i) return { x = i } end");
    const n1 = jitstat(lua, 1);
    expect(n1 - n0).toBe(0);
    expect(lua.run("local s = 0 for i = 1, 300 do s = s + mk(i).x end return s")).toEqual([45150]);
    expect(jitstat(lua, 1) - n1).toBe(0);
    expect(jitstat(lua, 0)).toBe(0);
  });

  it("hands back to the interpreter a loop whose calls keep leaving it", async () => {
    const lua = await make({ jit: true, jitThreshold: 0 });
    const e0 = jitstat(lua, 3);
    expect(
      lua.run(
        "local function mk(i) local t = { x = i } local _ = i ^ 2 return t end local s = 0 for i = 1, 300 do s = s + mk(i).x end return s",
      ),
    ).toEqual([45150]);
    // mk (a power: no compiled form) is compiled but has no entry; the loop is, and each of its calls to
    // mk leaves it for the interpreter (a miss): after 64 + entries / 4 misses, at its 86th entry,
    // the loop is handed back to the interpreter for good
    expect(lua.memoryStats().jit_functions).toBe(2);
    expect(jitstat(lua, 3) - e0).toBe(86);
    expect(jitstat(lua, 0)).toBe(1);
  });
});

describe("JIT bitwise operators", () => {
  // every operator and its K / I form; shift counts at and past the 64-bit edges in both directions
  const g = `
    local function g(x, y)
      local h = x & y
      h = h * 31 + (x | y)
      h = h * 31 + (x ~ y)
      h = h * 31 + ~x
      h = h * 31 + (x << y)
      h = h * 31 + (x >> y)
      h = h * 31 + (x >> 3) + (x >> 63) + (x >> 64)
      h = h * 31 + (5 << x)
      h = h * 31 + ((x & 0xFF) + (x | 0x100) + (x ~ 0x5555))
      h = h * 31 + (1 << 63)
      h = h * 31 + (x >> 1) + (x << 1) + (x << -1) + (-1 >> x)
      return h
    end`;
  const vals = `{0, 1, -1, 2, 3, 31, 32, 62, 63, 64, 65, -2, -62, -63, -64, -65, 100, -100,
    math.maxinteger, math.mininteger, 0x7FFFFFFF, -0x80000000, 0xFFFFFFFF}`;

  it("computes & | ~ << >> and their K/I forms on integers as the interpreter, shifts past 63 included", async () => {
    const code = `${g}
      local vals, out = ${vals}, {}
      for _, x in ipairs(vals) do for _, y in ipairs(vals) do out[#out + 1] = g(x, y) end end
      return table.concat(out, ",")`;
    const off = await make();
    const want = off.run(code);
    for (const stress of [0, 1, 2, 5]) {
      const on = await make({ jit: true, jitThreshold: 0 });
      wasmOf(on).exports.lua_setjit(1, 0, stress); // stress: exits every n units, at every operator
      expect(on.run(code)).toEqual(want);
      expect(on.memoryStats().jit_compiles).toBeGreaterThanOrEqual(1); // g, entered at its first call
      expect(wasmOf(on).exports.lua_jitdeopts()).toBe(0); // integers only: no guard ever failed
    }
    expect(String(want[0]).split(",")).toHaveLength(23 * 23);
  });

  it("leaves floats, strings and other types to the interpreter: its conversions and messages", async () => {
    const code = `${g}
      local out = {}
      for _, p in ipairs({ {2.0, 3}, {3, 2.0}, {2^53, 1}, {"6", 3}, {1.5, 1}, {{}, 1}, {"x", 1}, {1, nil}, {1, 2} }) do
        local ok, r = pcall(g, p[1], p[2]) out[#out + 1] = tostring(ok) .. " " .. tostring(r)
      end
      return table.concat(out, "\\n")`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make();
    const got = on.run(code);
    expect(got).toEqual(off.run(code));
    expect(String(got[0])).toContain("number (local 'x') has no integer representation");
    expect(String(got[0])).toContain("attempt to perform bitwise operation on a nil value (local 'y')");
    // the float is a guard failure of g's compiled code (so g runs compiled from its first
    // instruction, x & y); failing on every call, g is handed back to the interpreter for good, and
    // so is the loop calling it (each call then leaves the loop's compiled code: a miss of its own)
    expect(wasmOf(on).exports.lua_jitdeopts()).toBe(0);
    expect(on.run(`${g} local s = 0 for i = 1, 200 do s = s + g(2.0, 3) end return s`)).toEqual(
      off.run(`${g} local s = 0 for i = 1, 200 do s = s + g(2.0, 3) end return s`),
    );
    expect(wasmOf(on).exports.lua_jitdeopts()).toBe(2);
  });
});

describe("JIT comparisons of an integer with a float", () => {
  const fns = `
    local function lt(a, b) if a < b then return 1 end return 0 end
    local function le(a, b) if a <= b then return 1 end return 0 end
    local function eq(a, b) if a == b then return 1 end return 0 end`;

  it("compares them as lua5.4 does: exact, NaN unordered, integers beyond 2^53 left to the interpreter", async () => {
    const code = `${fns}
      local vals = {0, -0.0, 1, 1.0, 1.5, -1, -1.5, 2^53, 2^53 + 1, (2^53)|0, ((2^53)|0) + 1, ((2^53)|0) - 1,
        -(2^53), (-(2^53)|0) - 1, math.maxinteger, math.mininteger, math.maxinteger + 0.0, math.mininteger + 0.0,
        1/0, -1/0, 0/0, 3, 3.0, 2^63, -2^63}
      local out = {}
      for _, x in ipairs(vals) do for _, y in ipairs(vals) do
        out[#out + 1] = lt(x, y) * 4 + le(x, y) * 2 + eq(x, y)
      end end
      local ok1, e1 = pcall(lt, 1, "x")
      local ok2, e2 = pcall(le, 2.5, {})
      return table.concat(out), e1, e2, eq(1, "1"), eq("a", "a")`;
    const off = await make();
    const want = off.run(code);
    expect(want[1]).toMatch(/attempt to compare number with string$/);
    for (const stress of [0, 1, 3]) {
      const on = await make({ jit: true, jitThreshold: 0 });
      wasmOf(on).exports.lua_setjit(1, 0, stress);
      expect(on.run(code)).toEqual(want);
    }
  });

  it("runs mixed comparisons in compiled code (no guard failure), and exits for integers past 2^53", async () => {
    const on = await make({ jit: true, jitThreshold: 0 });
    const deopts = () => wasmOf(on).exports.lua_jitdeopts();
    const loop = (x: string, y: string) =>
      on.run(
        `${fns} local n = 0 for i = 1, 300 do n = n + lt(${x}, ${y}) + le(${x}, ${y}) + eq(${x}, ${y}) end return n`,
      );
    expect(loop("i", "i + 0.5")).toEqual([600]);
    expect(loop("i + 0.0", "i")).toEqual([600]);
    expect(deopts()).toBe(0); // every comparison stayed in compiled code
    expect(loop("(2^53|0) + i", "2^53")).toEqual([0]); // beyond 2^53: a guard failure every call
    expect(deopts()).toBeGreaterThanOrEqual(1);
  });
});

describe("JIT array stores (SETI, SETTABLE)", () => {
  it("stores numbers, booleans and nil into array slots (empty ones too); __newindex and new keys go to the helper", async () => {
    const code = `
      local function fill(t, n, v) for i = 1, n do t[i] = v end return t end
      local function seti(t) t[1] = 1.5; t[2] = true; t[3] = nil; t[4] = 7 return t end
      local t = fill({}, 10, 0) fill(t, 10, 3)
      local a = seti({0, 0, 0, 0, 0})
      local mt = setmetatable({0, 0}, {__newindex = function(t, k, v) rawset(t, k, v * 100) end})
      mt[1] = nil fill(mt, 3, 5)
      local strs = fill({1, 2, 3}, 3, "s")
      local tabs = fill({1, 2, 3}, 3, {}) collectgarbage()
      local k = {} for i = 1, 100 do k[i] = i end
      for r = 1, 50 do for i = 1, 100 do k[i] = k[i] + r end end
      local sum = 0 for i = 1, 100 do sum = sum + k[i] end
      local _, e1 = pcall(function() local z = nil; z[1] = 2 end)
      local _, e2 = pcall(function() local z = {1}; z[0/0] = 2 end)
      return table.concat(t, ","), a[1], a[2], a[3], a[4], a[5], #t, mt[1], mt[2], mt[3], table.concat(strs, ","),
        type(tabs[3]), sum, e1, e2`;
    const off = await make();
    const want = off.run(code);
    expect(want.slice(7, 10)).toEqual([500, 5, 500]); // __newindex ran for the empty slots only
    for (const stress of [0, 1, 2]) {
      const on = await make({ jit: true, jitThreshold: 0 });
      wasmOf(on).exports.lua_setjit(1, 0, stress);
      expect(on.run(code)).toEqual(want);
    }
    // evidence that the store is compiled: into a fresh table, the keys past its array part (1, 2,
    // 3 and 5, each growing it) go to luaJ_op (new keys) and the empty slots inside it (4, 6, 7, 8:
    // no __newindex) are stored inline; into present slots nothing goes to luaJ_op
    const on = await make({ jit: true, jitThreshold: 0 });
    const before = jitstat(on, 1);
    on.run("local function fill(t, v) for i = 1, 8 do t[i] = v end end for r = 1, 300 do fill({}, r) end");
    expect(jitstat(on, 1) - before).toBe(4 * 300);
    const mid = jitstat(on, 1);
    on.run(
      "local t = {1, 2, 3, 4, 5, 6, 7, 8} local function fill(t, v) for i = 1, 8 do t[i] = v end end for r = 1, 300 do fill(t, r) end",
    );
    expect(jitstat(on, 1) - mid).toBe(0);
    expect(wasmOf(on).exports.lua_jitdeopts()).toBe(0);
  });

  it("keeps a stored value reachable: numbers over tables in a black table, then a collection", async () => {
    // a table whose array slots held tables gets numbers from compiled code while a cycle runs
    const code = `
      local function put(t, n, v) for i = 1, n do t[i] = v end end
      local keep = {} for i = 1, 200 do keep[i] = {i} end
      collectgarbage("step", 0)
      put(keep, 100, 42)
      collectgarbage()
      local n = 0 for i = 101, 200 do n = n + keep[i][1] end
      for i = 1, 100 do n = n + keep[i] end
      return n`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make();
    expect(on.run(code)).toEqual(off.run(code));
  });
});

describe("JIT control flow", () => {
  it("computes and/or values (TESTSET), not, comparisons and loops as the interpreter (constructs.lua)", async () => {
    const code = `
      local function f(a, b, c, d, e) local x = a >= b or c or (d and e) or nil return x end
      local function g(a, b, c, d, e) if not (a >= b or c or d and e or nil) then return 0 else return 1 end end
      local function h(a, b, c, d, e) while (a >= b or c or (d and e) or nil) do return 1 end return 0 end
      local function k(a, b) local x = a and b return x end
      local function n(a) return not a end
      local out = {}
      local args = { {2, 1}, {1, 2, 'a'}, {1, 2, nil, 1, 'x'}, {1, 2, nil, nil, 'x'}, {1, 2, false, false}, {1.5, 2} }
      for _, t in ipairs(args) do
        for _, fn in ipairs({ f, g, h }) do out[#out + 1] = tostring(fn(table.unpack(t, 1, 5))) end
      end
      for _, v in ipairs({ 1, 0, false, true, "s" }) do
        out[#out + 1] = tostring(k(v, 7)) .. tostring(k(nil, v)) .. tostring(n(v)) .. tostring(n(nil))
      end
      local s = 0
      for i = 10, 1, -3 do s = s * 2 + i end
      for x = 0.5, 2.0, 0.25 do s = s + x end
      for i = math.maxinteger - 2, math.maxinteger do s = s + 1 end
      for i = 3, 1 do s = s + 1000 end
      out[#out + 1] = tostring(s)
      return table.concat(out, " ")`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make();
    expect(on.run(code)).toEqual(off.run(code));
    expect(on.memoryStats().jit_functions).toBeGreaterThanOrEqual(5);
  });
});

describe("JIT table reads", () => {
  it("reads fields, globals and array slots, and leaves misses, __index, borders and external tables to the interpreter", async () => {
    const code = `
      local function field(o) return o.x end
      local function idx(o, i) return o[i] end
      local function first(o) return o[1] end
      local function glob() return G end
      local out = {}
      local plain = { x = 1, 10, 20, 30 }
      local meta = setmetatable({}, { __index = function(_, k) return "mm" .. tostring(k) end })
      local holes = { 1, 2, nil, 4 }
      local e = ext.table() e.x = "ext" e[1] = "e1"
      for round = 1, 3 do
        G = round
        for _, o in ipairs({ plain, meta, holes, e, { x = false }, { y = 1 } }) do
          out[#out + 1] = tostring(field(o)) .. "/" .. tostring(first(o)) .. "/" .. tostring(idx(o, 2))
            .. "/" .. tostring(idx(o, 3)) .. "/" .. tostring(idx(o, 0)) .. "/" .. tostring(idx(o, 2^53))
        end
        out[#out + 1] = tostring(glob())
      end
      -- luaH_getint moves the border hint when it reads past it: #t must see the same hint
      local t = {}
      for i = 1, 8 do t[i] = i end
      t[8] = nil t[7] = nil t[6] = nil
      out[#out + 1] = tostring(#t)
      for i = 1, 8 do out[#out + 1] = tostring(idx(t, i)) end
      out[#out + 1] = tostring(#t)
      local ok, err = pcall(field, nil)
      out[#out + 1] = tostring(ok) .. " " .. err
      return table.concat(out, " ")`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make();
    expect(on.run(code)).toEqual(off.run(code));
    expect(on.memoryStats().jit_functions).toBeGreaterThanOrEqual(4);
  });
});

describe("JIT index chains (SELF, GETFIELD through __index tables)", () => {
  it("treats external tables as a miss: as objects, as an __index target, and at the end of a chain", async () => {
    const code = `
      local function m(o) return o:name() end
      local function f(o) return o.x end
      local e = ext.table() e.x = "ext x" e.name = function() return "ext name" end
      local Cls = { name = function() return "cls" end, x = "cls x" } Cls.__index = Cls
      local viaext = setmetatable({}, { __index = e })
      local mid = setmetatable({}, { __index = viaext })
      local obj = setmetatable({}, Cls)
      local out = {}
      for round = 1, 40 do
        for _, o in ipairs({ e, viaext, mid, obj }) do out[#out + 1] = m(o) .. "/" .. f(o) end
        if round == 20 then Cls.__index = e end
      end
      out[#out + 1] = select(2, pcall(m, setmetatable({}, { __index = setmetatable({}, { __index = ext.table() }) })))
      local function setmt(o, mt) return setmetatable(o, mt) end
      for i = 1, 3 do out[#out + 1] = select(2, pcall(setmt, e, Cls)) end
      return table.concat(out, " ")`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make({ jit: false });
    const got = on.run(code);
    expect(got).toEqual(off.run(code));
    expect(String(got)).toContain("ext name/ext x");
    expect(String(got)).toContain("attempt to call a nil value (method 'name')");
    expect(String(got)).toContain("cannot change the metatable of an external table");
  });
});

describe("JIT generic for and new fields", () => {
  it("runs pairs and ipairs loops in compiled code: a function with them is called directly", async () => {
    const code = `
      local function sum(t) local s = 0 for k, v in pairs(t) do s = s + v end for i, v in ipairs(t) do s = s + v end return s end
      local t = { 1, 2, 3, x = 4 }
      local r = 0
      for i = 1, 2000 do r = r + sum(t) end
      return r`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const calls = jitstat(on, 2),
      slow = jitstat(on, 1),
      deopts = jitstat(on, 0);
    expect(on.run(code)).toEqual([2000 * 16]);
    // luaJ_call: pairs and ipairs from sum's compiled code (interpreted, sum would make none; called
    // through luaJ_call, one more each), never sum itself; nothing deopted, no instruction to luaJ_op
    const made = jitstat(on, 2) - calls;
    expect(made).toBeGreaterThanOrEqual(2 * 2000);
    expect(made).toBeLessThan(2 * 2000 + 50);
    expect(jitstat(on, 0)).toBe(deopts);
    expect(jitstat(on, 1) - slow).toBeLessThan(50);
  });

  it("stores a constructor's fields into their free main positions inline, without the helper for most of them", async () => {
    const code = `
      local function make(x) return { x = x, y = x, z = x, w = x } end
      local s = 0
      for i = 1, 2000 do local p = make(i) s = s + p.x + p.y + p.z + p.w end
      return s`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make({ jit: false });
    const slow = jitstat(on, 1);
    expect(on.run(code)).toEqual(off.run(code));
    expect(jitstat(on, 1) - slow).toBeLessThan(2 * 2000); // (4 per object when every field takes the helper)
  });
});

describe("JIT under budgets and hooks", () => {
  /** Iterations of a hot compiled loop completed under an instruction limit. */
  async function reached(limit: number, o: LuaOptions): Promise<number> {
    const lua = await make({ ...o, instructionLimit: limit });
    lua.run("function work() local n = 0 while true do for i = 1, 10 do n = n + 1 end count = n end end");
    expect(() => lua.call("work")).toThrow(LuaError);
    return lua.run("return count")[0] as number;
  }

  it("stops at the same instruction with the JIT on (compiled code is not entered while a budget is armed)", async () => {
    for (const limit of [1000, 54321]) {
      expect(await reached(limit, { jit: true, jitThreshold: 0 })).toBe(await reached(limit, {}));
    }
  });

  it("counts the same count-hook events and lines with the JIT on, hooks armed mid-run included", async () => {
    const code = `
      local function hot(n) local s = 0 for i = 1, n do s = s + i end return s end
      for i = 1, 50 do hot(100) end
      local events = 0
      debug.sethook(function() events = events + 1 end, "", 7)
      local r = hot(1000)
      debug.sethook()
      local lines = {}
      debug.sethook(function(e, l) lines[#lines + 1] = l end, "l")
      hot(3)
      debug.sethook()
      return r, events, table.concat(lines, ",")`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const off = await make();
    expect(on.run(code)).toEqual(off.run(code));
  });
});

describe("JIT in async calls", () => {
  const LOOP = "local n = 0 for i = 1, 1e8 do n = n + i % 7 end return n";
  // a loop with calls counts its slices in the module's global, not in a local (compile.ts fewcalls)
  const CALLS = "local n = 0 for i = 1, 4e6 do n = n + select('#', i, i) + #tostring(i % 7) end return n";

  /** Runs `code` compiled in an async call with a 2 ms timer beside it: the timer must tick meanwhile. */
  async function expectTicksWhile(code: string): Promise<void> {
    const lua = await make({ jit: true });
    let ticks = 0;
    const iv = setInterval(() => ticks++, 2);
    const r = await lua.runAsync(code);
    clearInterval(iv);
    expect(lua.memoryStats().jit_functions).toBeGreaterThan(0);
    expect(r).toEqual((await make()).run(code));
    expect(ticks).toBeGreaterThan(3);
  }

  it("lets the host's event loop turn while a compiled loop runs (it exits every slice)", async () => {
    await expectTicksWhile(LOOP);
  });

  it("lets the event loop turn while a compiled loop that calls out runs (its slice counted in the module)", async () => {
    await expectTicksWhile(CALLS);
  });

  it("is stopped by interrupt() from a timer while a compiled loop runs, and the state goes on", async () => {
    const lua = await make({ jit: true });
    setTimeout(() => lua.interrupt(), 30);
    const e = await lua
      // bounded (~1 s compiled), so that a JIT that never lets the timer run fails instead of hanging
      .runAsync("for j = 1, 300 do local n = 0 for i = 1, 1e6 do n = n + i end end")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LuaError);
    expect((e as LuaError).message).toMatch(/interrupted/);
    expect(lua.run("return 1 + 1")).toEqual([2]);
  });

  it("raises a catchable interrupt at the script thread's next event, a coroutine's compiled loop first running to its end", async () => {
    const lua = await make({ jit: true });
    let printed = "";
    lua.global.set("note", (s: string) => void (printed += s));
    setTimeout(() => lua.interrupt({ catchable: true }), 30);
    const e = await lua
      .runAsync(
        "local co = coroutine.wrap(function () for i = 1, 1e8 do end note('co done') end)\n" +
          "co()\nnote('not reached')",
        { chunkname: "@co.lua" },
      )
      .catch((x: unknown) => x);
    expect(printed).toBe("co done");
    expect((e as LuaError).message).toBe("co.lua:2: interrupted!");
  });
});

/** The declared minimum of the table a wasm module imports (env.table), read from its import section. */
function declaredTableMin(b: Uint8Array): number {
  let p = 8;
  const u32 = (): number => {
    let r = 0,
      shift = 0,
      byte: number;
    do {
      byte = b[p++];
      r |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return r >>> 0;
  };
  const name = (): string => {
    const n = u32();
    const s = Buffer.from(b.subarray(p, p + n)).toString("latin1");
    p += n;
    return s;
  };
  while (p < b.length) {
    const id = b[p++];
    const size = u32();
    const end = p + size;
    if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        const mod = name(),
          field = name(),
          kind = b[p++];
        if (kind === 0) u32();
        else if (kind === 1) {
          p++; // reftype
          const flags = b[p++];
          const min = u32();
          if (flags & 1) u32();
          if (mod === "env" && field === "table") return min;
        } else if (kind === 2) {
          const flags = b[p++];
          u32();
          if (flags & 1) u32();
        } else if (kind === 3) p += 2;
      }
    }
    p = end;
  }
  return -1;
}
