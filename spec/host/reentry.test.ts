// reentry.test.ts - re-entrant calls (issue #13 point 2): a JS function called by Lua reads and writes
// globals, calls Lua functions and runs code on the same state, nested like a C function calling
// lua_call: on the running thread's stack, counted as C levels, under the outer call's budgets, with
// the outer call's buffers intact; errors in both directions, yields across the JS frame, output hooks
// (refused), traps (reset once, by the outermost call) and the state after each.
import { afterEach, describe, expect, it } from "vitest";
import { Lua, LuaError, LuaPersistent } from "../../host/index.js";
import type { LuaWasm } from "../../host/loader.js";
import { caughtLuaError as caught } from "./helpers.js";

const opened: Lua[] = [];
async function create(options: Parameters<typeof Lua.create>[0] = {}): Promise<Lua> {
  const L = await Lua.create({ stdout: () => {}, ...options });
  opened.push(L);
  return L;
}
afterEach(() => {
  for (const L of opened.splice(0)) {
    try {
      L.close();
    } catch {
      /* closed by the test */
    }
  }
});

/** Output collected as text. */
function collector(): { out: string[]; stdout: (b: Uint8Array) => void } {
  const out: string[] = [];
  const dec = new TextDecoder();
  return { out, stdout: (b) => out.push(dec.decode(b)) };
}

/** The state is intact: its globals are kept and a follow-up run works. */
function expectIntact(L: Lua, global = "keep", value: unknown = 1): void {
  expect(L.global.get(global)).toBe(value);
  expect(L.run("local t = {} for i = 1, 10 do t[i] = i end return #t")).toEqual([10]);
}

describe("a JS function called by Lua calls back into the same state", () => {
  it("reads and writes globals, calls Lua functions and runs code, nested in the call", async () => {
    const { out, stdout } = collector();
    const L = await create({ stdout });
    L.run("keep = 1 function twice(x) return 2 * x end");
    L.global.set("js", (x: number) => {
      L.global.set("y", x + (L.global.get("keep") as number));
      const [t] = L.call("twice", x);
      const [r] = L.run("print('nested', y) return y + 100");
      return (t as number) + (r as number);
    });
    expect(L.run("print('before') local r = js(20) print('after', r, y) return r, y")).toEqual([161, 21]);
    // output in program order: the outer call's pending output is flushed before the nested call's
    expect(out.join("")).toBe("before\nnested\t21\nafter\t161\t21\n");
    expectIntact(L);
  });

  it("keeps the outer call's arguments, results and function references intact", async () => {
    const L = await create();
    L.run("keep = 1");
    const big = Array.from({ length: 2000 }, (_, i) => `s${i}`);
    L.global.set("js", () => {
      // a nested call with large input and output uses the module's buffers meanwhile
      L.global.set("blob", big);
      const [n] = L.run("local n = 0 for _, v in ipairs(blob) do n = n + #v end return n, blob");
      return n;
    });
    const [f] = L.run("return function(...) local n = js() return n, select('#', ...), ... end");
    const r = (f as { callMulti(...a: unknown[]): unknown[] }).callMulti("a", big.slice(0, 50), { k: "v" });
    expect(r[0]).toBe(big.reduce((s, v) => s + v.length, 0));
    expect(r.slice(1)).toEqual([3, "a", big.slice(0, 50), { k: "v" }]);
    // a Lua function handed out by a nested call stays callable after it
    L.global.set("getf", () => L.run("return function(a) return a * 3 end")[0]);
    const [g] = L.run("local h = getf() return h");
    expect((g as (a: number) => number)(5)).toBe(15);
    expectIntact(L);
  });

  it("runs on the thread that called the JS function (a coroutine here), not yieldable across it", async () => {
    const L = await create();
    L.run("keep = 1");
    L.global.set("where", () => L.run("local _, main = coroutine.running() return main, coroutine.isyieldable()"));
    expect(L.run("return where()")).toEqual([[true, false]]);
    expect(L.run("return coroutine.wrap(function() return where() end)()")).toEqual([[false, false]]);
    L.global.set("yy", () => L.run("coroutine.yield(1)"));
    expect(L.run("return coroutine.resume(coroutine.create(function() yy() end))")).toEqual([
      false,
      "attempt to yield across a C-call boundary",
    ]);
    expect(L.run("return pcall(yy)")).toEqual([false, "attempt to yield from outside a coroutine"]);
    expect(
      L.run(
        "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return co(1), co(5)",
      ),
    ).toEqual([2, 10]);
    expectIntact(L);
  });

  it("lets pcall in the outer call catch an error escaping the JS function, message unchanged", async () => {
    const L = await create();
    L.run("keep = 1");
    L.global.set("bad", () => L.run("local x = nil\nreturn x.field", "=nested"));
    const e = caught(() => L.run("local a = 1\nbad()"));
    expect(e.message).toBe("nested:2: attempt to index a nil value (local 'x')");
    expect(e.traceback).toContain("[C]: in function 'bad'");
    expect(e.traceback).toContain("input:2: in main chunk");
    expect(L.run("return pcall(bad)")).toEqual([false, "nested:2: attempt to index a nil value (local 'x')"]);
    // an error object other than a string keeps its message as the outer error
    L.global.set("badt", () => L.run("error(setmetatable({}, {__tostring = function() return 'custom' end}))"));
    expect(caught(() => L.run("badt()")).message).toBe("custom");
    expectIntact(L);
  });

  it("throws the nested call's error in JS as a LuaError with the nested traceback", async () => {
    const L = await create();
    L.run("keep = 1");
    let inner: LuaError | null = null;
    L.global.set("js", () => {
      try {
        L.run("local function f() error('inner failure') end\nf()", "=nested");
      } catch (e) {
        inner = e as LuaError;
      }
      return "recovered";
    });
    expect(L.run("return js()")).toEqual(["recovered"]);
    const e = inner as unknown as LuaError;
    expect(e).toBeInstanceOf(LuaError);
    expect(e.message).toBe("nested:1: inner failure");
    expect(e.kind).toBe("runtime");
    // the nested frames on top of the outer call's (it runs on the same stack, as lua_call does)
    expect(e.traceback).toMatch(
      /nested:1: in (local|upvalue) 'f'[\s\S]*nested:2: in main chunk[\s\S]*in function 'js'[\s\S]*input:1: in main chunk/,
    );
    expectIntact(L);
  });

  it("counts nested calls as C levels: 'C stack overflow', never a JS RangeError or a trap", async () => {
    let resets = 0;
    const L = await create({ onReset: () => resets++ });
    L.run("keep = 1 function f(n) return down(n) + 1 end");
    L.global.set("down", (n: number) => (n <= 0 ? 0 : L.call("f", n - 1)[0]));
    expect(L.call("f", 100)).toEqual([101]);
    const e = caught(() => L.call("f", 10000));
    expect(e.message).toMatch(/C stack overflow/);
    expect(e.kind).toBe("runtime");
    // caught by pcall at some level, the error does not break the levels below
    expect(L.run("return pcall(f, 10000)")).toEqual([false, expect.stringMatching(/C stack overflow/)]);
    expect(resets).toBe(0);
    expectIntact(L);
  });

  it("refuses to snapshot, restore or re-initialise from inside a call, state intact", async () => {
    const L = await create();
    L.run("keep = 1");
    const snap = L.snapshot();
    L.global.set("snap", () => L.snapshot());
    L.global.set("rest", () => L.restore(snap));
    expect(L.run("return pcall(snap)")).toEqual([
      false,
      expect.stringMatching(/cannot take a snapshot while a call is running/),
    ]);
    expect(L.run("return pcall(rest)")).toEqual([
      false,
      expect.stringMatching(/cannot restore a snapshot while a call is running/),
    ]);
    expectIntact(L);
  });

  it("a nested LuaPersistent.eval inside a typed run keeps both result shapes", async () => {
    const lua = new LuaPersistent();
    await lua.load();
    expect(lua.init()).toBe(true);
    lua.eval("keep = 1");
    const inner = lua as unknown as { lua: Lua };
    const L = inner.lua;
    L.global.set("js", () => JSON.stringify(lua.eval("return keep + 1, function() end")));
    const [s, f] = L.run("return js(), function() return 7 end");
    expect(JSON.parse(s as string).values[0]).toBe(2);
    expect((f as () => number)()).toBe(7);
    lua.close();
  });
});

describe("budgets count nested work", () => {
  it("a nested call does not get a fresh instruction budget", async () => {
    const L = await create({ instructionLimit: 200_000 });
    L.run("keep = 1");
    L.global.set("spin", () => L.run("local s = 0 for i = 1, 60000 do s = s + i end return s")[0]);
    // each nested loop alone fits; together with the outer loop they do not
    expect(L.run("return spin()")).toEqual([1800030000]);
    const e = caught(() => L.run("local n = 0 for i = 1, 10 do spin() n = n + 1 end return n"));
    expect(e.message).toBe("instruction limit exceeded");
    expect(e.kind).toBe("limit");
    expectIntact(L);
  });

  it("a budget spent in a nested call stops the outer call, even if JS and pcall catch it", async () => {
    const L = await create({ instructionLimit: 100_000 });
    L.run("keep = 1");
    let seen: LuaError | null = null;
    L.global.set("spin", () => {
      try {
        L.run("while true do end");
      } catch (e) {
        seen = e as LuaError;
      }
      return "swallowed";
    });
    const e = caught(() => L.run("local ok = pcall(spin) return 'continued', ok"));
    expect(e.message).toBe("instruction limit exceeded");
    expect(e.kind).toBe("limit");
    expect((seen as unknown as LuaError).kind).toBe("limit");
    expectIntact(L);
  });

  it("the timeout covers nested work", async () => {
    const L = await create({ timeoutMs: 150 });
    L.run("keep = 1");
    L.global.set("spin", () => L.run("while true do end"));
    const t0 = Date.now();
    const e = caught(() => L.run("pcall(spin) while true do end"));
    expect(e.message).toBe("timeout");
    expect(Date.now() - t0).toBeLessThan(5000);
    expectIntact(L);
  });
});

describe("callbacks that are not JS functions called by Lua cannot call back", () => {
  it("an output hook calling back gets a clear error (reported after the call), state intact", async () => {
    let inHook: unknown = null;
    const L: Lua = await create({
      stdout: () => {
        try {
          L.run("return 1");
        } catch (e) {
          inHook = e;
        }
      },
    });
    L.run("keep = 1");
    L.run("print('x')");
    expect(String((inHook as Error).message)).toMatch(
      /Lua state is busy: an output hook or another host callback cannot call back/,
    );
    // inside a nested call too (its output flushes through the hook)
    inHook = null;
    L.global.set("js", () => L.run("print('y') return 2")[0]);
    expect(L.run("return js()")).toEqual([2]);
    expect(String((inHook as Error).message)).toMatch(/Lua state is busy/);
    expectIntact(L);
  });
});

describe("a trap inside a nested call", () => {
  it("resets the state once, from the outermost call, and the next run works", async () => {
    const resets: LuaError[] = [];
    const L = await create({ onReset: (e) => resets.push(e) });
    L.run("keep = 1");
    L.global.set("js", () => {
      // as an interpreter bug in the nested export would
      const rt = (L as unknown as { runtime: { wasm: LuaWasm } }).runtime;
      const w = rt.wasm as unknown as { exports: Record<string, unknown> };
      w.exports = {
        ...w.exports,
        lua_getglobal_v: () => {
          throw new WebAssembly.RuntimeError("unreachable");
        },
      };
      return L.global.get("keep");
    });
    const e = caught(() => L.run("return pcall(js)"));
    expect(e.kind).toBe("internal");
    expect(e.stateReset).toBe(true);
    expect(resets.length).toBe(1);
    expect(L.run("return keep, 1 + 1")).toEqual([null, 2]); // a fresh state, usable
  });
});
