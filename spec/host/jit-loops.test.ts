// jit-loops.test.ts - what the session's JIT work must keep doing, seen through the module's JIT
// counters (lua_jitstat: 2 = luaJ_call helper calls, 3 = entries from the interpreter) rather than
// through timings: math.sqrt/abs/floor/ceil computed inline (jit/calls.ts fastcall, no helper
// call), a function reached by tail calls compiled and entered (vm/execute.ts TAILCALL), a long
// inner loop of a chunk entered at its header (jit/compile.ts ladders), a function hot in its first
// call compiled in regions (each hot outermost loop a module, none for a loop of helper calls, at
// most 16) and compiled whole when called as often as a cold function's compile needs, or by
// compiled code (vm/tier.ts JITF_PARTIAL, seen through getMemoryStats), and results equal to the
// interpreter's in each case. (spec/lua/jit/ has the
// behaviour cases: regcache_loops, self_calls, inner_loop_entry, fastcall_math, tailcall_lua.)

import { afterEach, describe, expect, it } from "vitest";
import { Lua, type LuaOptions } from "../../host/index.js";
import { jitstat } from "./helpers.js";

const opened: Lua[] = [];
afterEach(() => {
  for (const l of opened.splice(0)) l.close();
});

async function make(o: LuaOptions = {}): Promise<Lua> {
  const l = await Lua.create({ stdout: () => {}, deterministic: true, ...o });
  opened.push(l);
  return l;
}

describe("JIT loops and calls", () => {
  it("computes math.sqrt, abs, floor and ceil inline in compiled code, without a helper call", async () => {
    const code = `
      local sqrt, abs, floor, ceil = math.sqrt, math.abs, math.floor, math.ceil
      local s = 0
      for i = 1, 2000 do s = s + sqrt(i) + abs(-i) + floor(i / 3) + ceil(i / 7) end
      return s`;
    const on = await make({ jit: true, jitThreshold: 0 });
    const before = jitstat(on, 2);
    const r = on.run(code);
    expect(r).toEqual((await make({ jit: false })).run(code));
    expect(jitstat(on, 2) - before).toBeLessThan(10); // 8,000 calls, none through luaJ_call
  });

  it("still calls a local named like a math function when it is another function", async () => {
    const code = `
      local sqrt = function (x) return -x end
      local s = 0
      for i = 1, 500 do s = s + sqrt(i) end
      return s`;
    const on = await make({ jit: true, jitThreshold: 0 });
    expect(on.run(code)).toEqual([-125250]);
  });

  it("enters a long inner loop of a chunk that runs once at its header, three loops deep", async () => {
    const code = `
      local g = 0
      for x = 1, 2 do
        for y = 1, 2 do
          local z = 0
          while z < 50000 do z = z + 1; g = g + (x + y + z) % 5 end
        end
      end
      return g`;
    const on = await make({ jit: true });
    const entries = jitstat(on, 3);
    expect(on.run(code)).toEqual((await make({ jit: false })).run(code));
    // compiled code ran (entered at the while loop's header through two ladders; that the ladder
    // leads to the right loop is spec/lua/jit/inner_loop_entry's case, which fails when it does not)
    expect(jitstat(on, 3) - entries).toBeGreaterThan(0);
  });

  it("enters a chunk that runs once at a generic for's header, mid-loop (pairs, ipairs)", async () => {
    const data = `T, LIST = {}, {} for i = 1, 3000 do T["k" .. i] = i; LIST[i] = i * 2 end`;
    const code = `
      local s, n = 0, 0
      for k, v in pairs(T) do s = s + v; n = n + #k end
      for i, v in ipairs(LIST) do s = s + i * v end
      return s, n`;
    const on = await make({ jit: true });
    const off = await make({ jit: false });
    on.run(data);
    off.run(data);
    const entries = jitstat(on, 3);
    expect(on.run(code)).toEqual(off.run(code));
    // the chunk's only loops are generic ones: they run past the threshold and compiled code is
    // entered at their headers (a TFORLOOP back-edge); without those entries it stays interpreted
    expect(jitstat(on, 3) - entries).toBeGreaterThan(0);
  });

  it("compiles a function reached only by tail calls, enters it at a tail call to itself, and loops there", async () => {
    // the interpreter's TAILCALL asks the tiering as its CALL does, and enters a small function
    // (JITMAP_SMALL would refuse a CALL's entry) at a tail call to itself; its compiled code then
    // goes round its own code for each further one (jit/compile.ts tailloop), in one wasm frame:
    // entries only where a warm slice exits (every 32,768), not one per JIT_MAXDEPTH nested calls
    const code = `
      local function sum(n, acc) if n == 0 then return acc end return sum(n - 1, acc + n) end
      return sum(100000, 0)`;
    const on = await make({ jit: true });
    const entries = jitstat(on, 3);
    expect(on.run(code)).toEqual((await make({ jit: false })).run(code));
    expect(on.memoryStats().jit_compiles).toBe(1);
    expect(jitstat(on, 3) - entries).toBeGreaterThan(0);
    expect(jitstat(on, 3) - entries).toBeLessThan(50); // nested calls: ~600 entries
  });

  // A function whose first call loops long: a prelude of table work (compiled code worth many
  // bytes) before the loop that gets hot, and a tail after it.
  const PRELUDE = Array.from({ length: 40 }, (_, i) => `t.f${i} = (t.f${i} or ${i}) * 2 + #t`).join("\n");
  const LONG = `
    function F(n)
      local t = {1, 2, 3}
      ${PRELUDE}
      local s = 0
      for i = 1, n do s = s + i % 7 end
      return s + t.f39
    end`;

  it("compiles only what a loop reaches when a function gets hot there in its first call", async () => {
    const partial = await make({ jit: true, jitThreshold: 1000 });
    partial.run(LONG);
    const off = await make({ jit: false });
    off.run(LONG);
    expect(partial.run("local r = F(5000) return r")).toEqual(off.run("local r = F(5000) return r")); // hot at the loop: compiled from there
    const whole = await make({ jit: true, jitThreshold: 0 });
    whole.run(LONG);
    expect(whole.run("local r = F(5000) return r")).toEqual(off.run("local r = F(5000) return r")); // hot at its call: compiled whole
    const p = partial.memoryStats(),
      w = whole.memoryStats();
    expect(p.jit_functions).toBe(1);
    expect(w.jit_functions).toBe(1);
    // the prelude (40 table units, a few hundred bytes each compiled) is left out
    expect(p.jit_bytes * 2).toBeLessThan(w.jit_bytes);
  });

  it("compiles in regions a function hot at its loop over its first few calls, and whole one hot from its calls", async () => {
    // F(400) three times: 1,200 calls + back-edges, 400 back-edges a call (vm/tier.ts REGION_EDGES:
    // from 64) — hot at the loop in its third call, compiled as that loop's region only
    const off = await make({ jit: false });
    off.run(LONG);
    const few = await make({ jit: true, jitThreshold: 1000 });
    few.run(LONG);
    const CALL400 = "local r = F(400) return r";
    for (let k = 0; k < 3; k++) expect(few.run(CALL400)).toEqual(off.run(CALL400));
    // F(10) 150 times: 9 back-edges a call, hot from its calls (at its 101st), compiled whole
    const many = await make({ jit: true, jitThreshold: 1000 });
    many.run(LONG);
    const CALL10 = "local s = 0 for k = 1, 150 do s = s + F(10) end return s";
    expect(many.run(CALL10)).toEqual(off.run(CALL10));
    const f = few.memoryStats(),
      m = many.memoryStats();
    expect(f.jit_compiles).toBe(1);
    expect(m.jit_compiles).toBe(1); // (the caller's loop: 150 back-edges, not hot)
    expect(f.jit_bytes * 2).toBeLessThan(m.jit_bytes); // the prelude left out of the region
  });

  it("enters a partially compiled function at its loop when called again, and compiles it whole after as many calls as a cold function", async () => {
    const off = await make({ jit: false });
    off.run(LONG);
    const lua = await make({ jit: true, jitThreshold: 20 });
    lua.run(LONG);
    expect(lua.run("local r = F(5000) return r")).toEqual(off.run("local r = F(5000) return r"));
    const first = lua.memoryStats();
    expect(first.jit_compiles).toBe(1); // hot at its loop in its first call: partial
    // each call from the interpreter runs the prelude there and enters the partial code at the
    // loop: 20 calls (the threshold) compile nothing
    const CALL30 = "local r = F(30) return r"; // (not a tail call: the interpreter's TAILCALL does not enter compiled code)
    const entries = jitstat(lua, 3);
    for (let i = 0; i < 20; i++) expect(lua.run(CALL30)).toEqual(off.run(CALL30));
    expect(lua.memoryStats().jit_compiles).toBe(1);
    expect(jitstat(lua, 3) - entries).toBeGreaterThanOrEqual(20);
    expect(lua.run(CALL30)).toEqual(off.run(CALL30)); // the 21st: compiled whole
    const s = lua.memoryStats();
    expect(s.jit_compiles).toBe(2);
    expect(s.jit_functions).toBe(1); // the partial code's slot released
    expect(s.jit_bytes).toBeGreaterThan(2 * first.jit_bytes);
    expect(lua.run(CALL30)).toEqual(off.run(CALL30)); // and no further compile
    expect(lua.memoryStats().jit_compiles).toBe(2);
  });

  it("compiles a partially compiled function whole at the first call from compiled code", async () => {
    // the caller's loop is compiled (hot at k = 101) before its first call of F (k = 151): its 50
    // calls, fewer than the threshold, would not compile F whole as an interpreter's would not
    const caller = "local s = 0 for k = 1, 200 do if k > 150 then s = s + F(10) end end return s";
    const off = await make({ jit: false });
    off.run(LONG);
    const lua = await make({ jit: true, jitThreshold: 100 });
    lua.run(LONG);
    expect(lua.run("local r = F(5000) return r")).toEqual(off.run("local r = F(5000) return r"));
    const first = lua.memoryStats();
    expect(first.jit_compiles).toBe(1);
    const calls = jitstat(lua, 2);
    expect(lua.run(caller)).toEqual(off.run(caller));
    expect(lua.memoryStats().jit_compiles).toBe(3); // the caller's loop, then F whole
    // F compiled whole at the first of them is called directly after it: one helper call, not 50
    expect(jitstat(lua, 2) - calls).toBeLessThan(5);
  });

  it("compiles a loop the regions left out as a region of its own when another run of it gets hot there", async () => {
    // a coroutine's body starts without the interpreter's CALL: the second one is not counted as a
    // call, and reaches the first loop, which the region compiled in the first run (the second
    // loop) leaves out
    const code = `
      function body(n)
        local a = 0
        for i = 1, n do a = a + i end
        local b = 0
        for i = 1, 3000 do b = b + i % 3 end
        return a, b
      end
      local r = {}
      for k = 1, 2 do
        local co = coroutine.wrap(body)
        local a, b = co(k == 1 and 10 or 3000)
        r[#r + 1] = a
        r[#r + 1] = b
      end
      return table.unpack(r)`;
    const lua = await make({ jit: true, jitThreshold: 1000 });
    const off = await make({ jit: false });
    expect(lua.run(code)).toEqual(off.run(code));
    let s = lua.memoryStats();
    expect(s.jit_compiles).toBe(2); // body's second loop, then its first: a region each
    expect(s.jit_functions).toBe(2);
    // called as often as a cold function before its compile (from a loop compiled meanwhile, whose
    // calls count more: vm/tier.ts luaV_jitwarm), it is compiled whole and its regions released
    const caller = "local s = 0 for k = 1, 1100 do s = s + body(3) end return s";
    expect(lua.run(caller)).toEqual(off.run(caller));
    s = lua.memoryStats();
    expect(s.jit_compiles).toBe(4); // the caller's loop, body whole
    expect(s.jit_functions).toBe(2);
  });

  it("compiles each loop of a chunk that runs once as a region of its own when it gets hot, and enters them all when it runs again", async () => {
    // four loops one after the other, each past the threshold on its own: four small modules, where
    // one compile from the first loop on would hold all four, and a re-run compiles nothing more
    const loops = [1, 2, 3, 4].map((k) => `for i = 1, 3000 do s${k} = s${k} + (i * ${k}) % 7 end`).join("\n");
    const chunk = `local s1, s2, s3, s4 = 0, 0, 0, 0\n${loops}\nreturn s1, s2, s3, s4`;
    const lua = await make({ jit: true, jitThreshold: 1000 });
    const off = await make({ jit: false });
    lua.setArgs([[1, chunk]]);
    off.setArgs([[1, chunk]]);
    const run = "C = C or load(arg[1]) return C()";
    const want = off.run(run);
    expect(lua.run(run)).toEqual(want);
    const first = lua.memoryStats();
    expect(first.jit_compiles).toBe(4);
    expect(first.jit_functions).toBe(4);
    const entries = jitstat(lua, 3);
    expect(lua.run(run)).toEqual(want);
    expect(lua.memoryStats().jit_compiles).toBe(4); // the regions entered again, none compiled
    expect(jitstat(lua, 3) - entries).toBeGreaterThanOrEqual(4);
    // the chunk compiled whole (threshold 0: at its call) is one module with all four loops: each
    // region is less than half of it
    const whole = await make({ jit: true, jitThreshold: 0 });
    whole.setArgs([[1, chunk]]);
    expect(whole.run("local f = load(arg[1]) local r = {f()} return table.unpack(r)")).toEqual(want);
    expect(whole.memoryStats().jit_functions).toBe(1);
    expect(2 * (first.jit_bytes / 4)).toBeLessThan(whole.memoryStats().jit_bytes);
  });

  it("compiles no region for a loop made of helper calls, and still one for a loop after it", async () => {
    // table constructors only (NEWTABLE, SETLIST: helpers): not worth entering (jit/compile.ts
    // entrymap), so nothing is compiled for it and its back-edges stop counting (JITMAP_COLD)
    const code = `
      local p
      for i = 1, 5000 do p = {{}, {}, {}} end
      local s = 0
      for i = 1, 5000 do s = s + i % 7 end
      return #p, s`;
    const lua = await make({ jit: true, jitThreshold: 1000 });
    expect(lua.run(code)).toEqual((await make({ jit: false })).run(code));
    const s = lua.memoryStats();
    expect(s.jit_compiles).toBe(1); // the second loop only
    expect(s.jit_functions).toBe(1);
  });

  it("stores registers the loop does not write once before it, not at each of the loop's exits", async () => {
    // six locals set before the loop and only read in it: the loop's entry edge stores them (jit/
    // regcache.ts rc_settle: a loop header's dirty registers are its back-edges'), so its exits (a
    // guard per arithmetic op) do not store them again, and the module is as big as one where they
    // come in as parameters (clean). Stored at every exit, they cost ~6 x 12 bytes at each of ~20.
    const loop = `local s = 0
      for i = 1, n do s = s + (a * i + b) * (c - i) + (d * i + e) * (f - i) + (a - b) * (c + d) + (e - f) * i end
      return s`;
    const inside = `function F(n) local a, b, c, d, e, f = 1.5, 2.5, 3.5, 4.5, 5.5, 6.5 ${loop} end`;
    const params = `function F(n, a, b, c, d, e, f) ${loop} end`;
    const bytes = async (def: string, call: string) => {
      const lua = await make({ jit: true, jitThreshold: 0 });
      const off = await make({ jit: false });
      lua.run(def);
      off.run(def);
      expect(lua.run(call)).toEqual(off.run(call));
      expect(lua.memoryStats().jit_functions).toBe(1);
      return lua.memoryStats().jit_bytes;
    };
    const a = await bytes(inside, "local r = F(100) return r");
    const b = await bytes(params, "local r = F(100, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5) return r");
    expect(Math.abs(a - b)).toBeLessThan(400);
  });

  it("keeps registers in the Lua stack in a function whose loops call out more than once", async () => {
    // jit/compile.ts body: the register cache only where loops call out little (fewcalls): each call
    // would store the loop's dirty registers and load them back. A second call (f(i + 1), not the
    // arithmetic (i + 1)) makes the module smaller, not bigger: ~5.3 KB with the cache, ~4.8
    // without. (The loop is shorter than the 24 instructions from which writes may go through,
    // jit/regcache.ts, which make a long loop's cached code smaller than uncached.)
    const body = (second: string) => `function F(n, f) local s, t, u, a, b = 0, 0, 0, 1.5, 2.5
      for i = 1, n do s = s + f(i) * a; t = t + s - ${second} end
      return s + t + u end`;
    const bytes = async (def: string) => {
      const lua = await make({ jit: true, jitThreshold: 0 });
      const off = await make({ jit: false });
      const call = "return F(100, function (x) return x % 7 end)";
      lua.run(def);
      off.run(def);
      expect(lua.run(call)).toEqual(off.run(call));
      expect(lua.memoryStats().jit_functions).toBe(2); // F and its callee
      return lua.memoryStats().jit_bytes;
    };
    const two = await bytes(body("f(i + 1)"));
    const one = await bytes(body("(i + 1)"));
    expect(two).toBeLessThan(one);
  });

  it("stores a long loop body's writes at once where they would be stored at many exits", async () => {
    // jit/regcache.ts write-through: in a loop of 24 instructions or more, a unit whose register
    // would be stored dirty at four or more exits, slow halves or calls stores it at once. Without
    // it every exit stores all the registers dirty there, so the module grows with the square of
    // the body: 17.1, 31.0 and 67.5 KB for 6, 12 and 24 statements (24/12: 2.18x); with it 13.6,
    // 21.2 and 36.6 KB (1.72x).
    const bytes = async (k: number) => {
      const stmts = Array.from(
        { length: k },
        (_, j) => `local a${j} = o.f${j % 4} * s + ${j === 0 ? "i" : `a${j - 1}`}; s = s + a${j} * 0.5`,
      ).join("\n");
      const def = `function F(t, n) local s = 0.0 for i = 1, n do local o = t[i]\n${stmts}\n end return s end
        T = {} for i = 1, 10 do T[i] = { f0 = i, f1 = i * 0.5, f2 = 1.5, f3 = -i } end`;
      const lua = await make({ jit: true, jitThreshold: 0 });
      const off = await make({ jit: false });
      lua.run(def);
      off.run(def);
      const before = lua.memoryStats();
      expect(lua.run("return F(T, 10)")).toEqual(off.run("return F(T, 10)"));
      expect(lua.memoryStats().jit_functions).toBe(before.jit_functions + 1); // F alone
      return lua.memoryStats().jit_bytes - before.jit_bytes;
    };
    const twelve = await bytes(12);
    expect((await bytes(24)) / twelve).toBeLessThan(1.9);
  });

  it("compiles a function whole once it has got hot at more loops than it keeps regions for", async () => {
    // vm/tier.ts keeps JIT_MAXREGIONS (16) regions; a 17th hot loop compiles the function whole
    const loops = Array.from({ length: 17 }, (_, k) => `for i = 1, 200 do s = s + (i * ${k + 1}) % 5 end`).join("\n");
    const code = `local s = 0\n${loops}\nreturn s`;
    const lua = await make({ jit: true, jitThreshold: 100 });
    expect(lua.run(code)).toEqual((await make({ jit: false })).run(code));
    const s = lua.memoryStats();
    expect(s.jit_compiles).toBe(17); // 16 regions, then the chunk whole
    expect(s.jit_functions).toBe(1); // the regions released
  });
});
