// await.test.ts - await from Lua (issue #13 point 3): runAsync / callAsync / evalAsync suspend the
// whole Lua thread when a JS function returns a promise (main chunk, coroutines, pcall, metamethods,
// any depth), resume it with the value or a Lua error for a rejection, pause for the event loop,
// and stop on an AbortSignal, interrupt() or the timeout; one async call at a time, sync calls
// meanwhile, snapshots refused while suspended; the state after each.
import { afterEach, describe, expect, it } from "vitest";
import { Lua, LuaError, LuaMulti, LuaPersistent } from "../../host/index.js";
import { rejectedLuaError as rejected } from "./helpers.js";

const opened: Lua[] = [];
async function create(options: Parameters<typeof Lua.create>[0] = {}): Promise<Lua> {
  const L = await Lua.create({ stdout: () => {}, ...options });
  opened.push(L);
  L.global.set("sleep", (ms: number, v?: unknown) => new Promise((r) => setTimeout(() => r(v), ms)));
  L.global.set("double", (x: number) => new Promise((r) => setTimeout(() => r(x * 2), 1)));
  L.global.set("never", () => new Promise(() => {}));
  L.run("keep = 1");
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

/** The state is intact: its globals are kept and follow-up runs (sync and async) work. */
async function expectIntact(L: Lua): Promise<void> {
  expect(L.global.get("keep")).toBe(1);
  expect(L.run("return 1 + 1")).toEqual([2]);
  expect(await L.runAsync("return double(21)")).toEqual([42]);
}

describe("runAsync: the Lua thread awaits a JS function's promise", () => {
  it("suspends the main chunk and goes on with the value, results as run gives them", async () => {
    const L = await create();
    const [a, b, f] = await L.runAsync(
      "local a = double(20) local t = {double(1), double(2)} return a + 1, t, function() return a end",
    );
    expect(a).toBe(41);
    expect(b).toEqual([2, 4]);
    expect((f as () => number)()).toBe(40); // a Lua function result is callable, as with run
    await expectIntact(L);
  });

  it("awaits anywhere: coroutines, wrap in a for loop, pcall, xpcall, metamethods, deep Lua calls", async () => {
    const L = await create();
    const [r] = await L.runAsync(`
      local out = {}
      local co = coroutine.create(function(a)
        local v = double(a)                     -- inside a coroutine
        local w = coroutine.yield(v)            -- an ordinary yield still works
        return pcall(double, w)                 -- inside pcall inside the coroutine
      end)
      out[1] = {coroutine.resume(co, 5)}
      out[2] = {coroutine.resume(co, 7)}
      out[3] = coroutine.status(co)
      local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(double(i)) end end)
      local s = 0
      for v in gen do s = s + v end             -- wrap as an iterator, awaiting inside
      out[4] = s
      out[5] = {xpcall(function() return double(8) end, debug.traceback)}
      local t = setmetatable({}, {__index = function(_, k) return double(k) end,
                                  __add = function(a, b) return double(b) end,
                                  __lt = function(a, b) return double(1) == 2 end})
      out[6] = {t[21], t + 4, t < t}
      local function deep(n) if n == 0 then return double(50) end return deep(n - 1) + 0 end
      out[7] = deep(150)
      local nested = coroutine.wrap(function()
        return coroutine.wrap(function() return double(3) end)()
      end)
      out[8] = nested()
      return out`);
    expect(r).toEqual([[true, 10], [true, true, 14], "dead", 12, [true, 16], [42, 8, true], 100, 6]);
    await expectIntact(L);
  });

  it("a rejection is a Lua error carrying its message: pcall catches it, else the call fails with a traceback", async () => {
    const L = await create();
    L.global.set("fail", (x: number) => new Promise((_, rej) => setTimeout(() => rej(new Error(`nope ${x}`)), 1)));
    L.global.set("failstr", () => Promise.reject("plain string"));
    L.global.set("failnum", () => Promise.reject(42));
    L.global.set("failobj", () => Promise.reject({ code: 7 }));
    expect(await L.runAsync("return pcall(fail, 3)")).toEqual([false, "nope 3"]);
    expect(await L.runAsync("return pcall(failstr)")).toEqual([false, "plain string"]);
    expect(await L.runAsync("return pcall(failnum)")).toEqual([false, 42]);
    // a rejection value that is an object reaches Lua as any object does: by reference (JS objects by reference)
    expect(await L.runAsync("local ok, e = pcall(failobj) return ok, type(e), e.code")).toEqual([false, "userdata", 7]);
    const e = await rejected(L.runAsync("local x = 1\nlocal y = fail(4)\nreturn y"));
    expect(e.message).toBe("input:2: nope 4"); // the position of the call, as for a thrown error
    expect(e.kind).toBe("runtime");
    expect(e.traceback).toBe("stack traceback:\n\t[C]: in function 'fail'\n\tinput:2: in main chunk\n\t[C]: in ?");
    // a coroutine dies by it and resume reports it
    expect(await L.runAsync("return coroutine.resume(coroutine.create(function() fail(5) end))")).toEqual([
      false,
      "input:1: nope 5",
    ]);
    await expectIntact(L);
  });

  it("an error object is described as lua.c's message handler does (as run does)", async () => {
    const L = await create();
    for (const code of [
      "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
      "error(setmetatable({}, {__tostring = function() return {} end}))",
      "error({code = 1})",
      "error(42)",
      "error()",
    ]) {
      let sync: LuaError | null = null;
      try {
        L.run(code);
      } catch (e) {
        sync = e as LuaError;
      }
      const e = await rejected(L.runAsync(code));
      expect([e.message, e.traceback]).toEqual([sync?.message, sync?.traceback]);
    }
    expect((await rejected(L.runAsync("error({})"))).message).toBe("(error object is a table value)");
    await expectIntact(L);
  });

  it("a callback that throws, values Lua cannot hold, several values and no value", async () => {
    const L = await create();
    L.global.set("boom", () => {
      throw new Error("thrown");
    });
    L.global.set("sym", () => Promise.resolve(Symbol("s")));
    L.global.set("multi", () => Promise.resolve(new LuaMulti([1, "two", null])));
    L.global.set("none", () => Promise.resolve(undefined));
    L.global.set("thenable", () => ({ then: (ok: (v: unknown) => void) => setTimeout(() => ok("from thenable"), 1) }));
    expect(await L.runAsync("return pcall(boom)")).toEqual([false, "thrown"]);
    expect(await L.runAsync("return pcall(sym)")).toEqual([false, expect.stringMatching(/symbol/)]);
    expect(await L.runAsync("return select('#', multi()), multi()")).toEqual([3, 1, "two", null]);
    expect(await L.runAsync("return select('#', none())")).toEqual([0]);
    expect(await L.runAsync("return thenable()")).toEqual(["from thenable"]);
    await expectIntact(L);
  });

  it("inside a native that calls Lua (table.sort's comparator) it is 'attempt to yield across a C-call boundary'", async () => {
    const L = await create();
    const e = await rejected(
      L.runAsync("local t = {3, 1, 2} table.sort(t, function(a, b) return double(a) < double(b) end)"),
    );
    expect(e.message).toBe("attempt to yield across a C-call boundary");
    expect(await L.runAsync("return pcall(table.sort, {2, 1}, function(a, b) return double(a) < b end)")).toEqual([
      false,
      "attempt to yield across a C-call boundary",
    ]);
    // and so inside a nested call made by a JS function (a sync call: the sync message)
    L.global.set("nested", () => L.run("return double(1)"));
    expect(await L.runAsync("return pcall(nested)")).toEqual([
      false,
      expect.stringMatching(/returned a Promise \(async functions are not supported\)/),
    ]);
    await expectIntact(L);
  });

  it("the chunk is a main chunk to Lua: coroutine.yield in it fails as in lua5.4", async () => {
    const L = await create();
    expect(await L.runAsync("return select(2, coroutine.running()), coroutine.isyieldable()")).toEqual([true, false]);
    expect((await rejected(L.runAsync("coroutine.yield(1)"))).message).toBe(
      "attempt to yield from outside a coroutine",
    );
    await expectIntact(L);
  });

  it("sync run/call still reject a promise with the clear message", async () => {
    const L = await create();
    const e = (() => {
      try {
        L.run("return double(1)");
      } catch (err) {
        return err as LuaError;
      }
      throw new Error("no error");
    })();
    expect(e.message).toBe(
      "input:1: a JS function called from Lua returned a Promise (async functions are not supported)",
    );
    await expectIntact(L);
  });
});

describe("callAsync and callAsyncWith", () => {
  it("call a Lua function (by name or as a value) that awaits", async () => {
    const L = await create();
    L.run("function fetchsum(a, b) return double(a) + double(b), 'done' end");
    expect(await L.callAsync("fetchsum", 1, 2)).toEqual([6, "done"]);
    const [f] = L.run("return function(x) return double(x) end");
    expect(await L.callAsync(f, 10)).toEqual([20]);
    // a native body that suspends at once (found by the host-api fuzzer: this used to trap)
    expect(await L.callAsync("pcall", L.global.get("double"), 4)).toEqual([true, 8]);
    expect(await L.callAsync("double", 5)).toEqual([10]);
    const ac = new AbortController();
    ac.abort("cancelled early");
    const e = await rejected(L.callAsyncWith({ signal: ac.signal }, "fetchsum", 1, 2));
    expect([e.message, e.kind]).toEqual(["cancelled early", "limit"]);
    await expectIntact(L);
  });
});

describe("while an async call is suspended", () => {
  it("other JS runs, sync calls work, a second async call is refused, snapshots are refused", async () => {
    const L = await create();
    const first = L.runAsync("local a = sleep(30, 'late') return a, shared");
    await new Promise((r) => setTimeout(r, 5));
    const busy = await L.runAsync("return 1").catch((e: Error) => e);
    expect((busy as Error).message).toMatch(/another async call is pending/);
    expect(L.run("shared = 'set meanwhile' return 1 + 1")).toEqual([2]);
    expect(() => L.snapshot()).toThrow(/cannot take a snapshot while an async call is pending/);
    expect(() => L.restore(new Uint8Array(10))).toThrow(/cannot restore a snapshot while an async call is pending/);
    L.collectGarbage(); // the suspended thread and its locals survive collections
    L.run("collectgarbage() collectgarbage()");
    expect(await first).toEqual(["late", "set meanwhile"]);
    expect(L.snapshot().length).toBeGreaterThan(0); // allowed again
    await expectIntact(L);
  });

  it("interrupt() from a sync call made meanwhile stops that call, not the suspended one", async () => {
    const L = await create();
    const first = L.runAsync("return sleep(20, 'kept going')");
    await new Promise((r) => setTimeout(r, 5));
    L.global.set("stopme", () => L.interrupt());
    expect(() => L.run("stopme() while true do end")).toThrow("interrupted!");
    expect(await first).toEqual(["kept going"]);
  });

  it("its locals survive collections run meanwhile", async () => {
    const L = await create();
    const p = L.runAsync(`
      local t = {} for i = 1, 200 do t[i] = {i, tostring(i)} end
      local s = sleep(20, 'x')
      local n = 0 for i = 1, 200 do n = n + t[i][1] + #t[i][2] end
      return n, s`);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 2));
      L.run("local junk = {} for i = 1, 2000 do junk[i] = {} end collectgarbage()");
    }
    expect(await p).toEqual([20100 + 492, "x"]);
  });

  it("a sync call into a coroutine that is awaiting is refused ('non-suspended')", async () => {
    const L = await create();
    const p = L.runAsync("co = coroutine.create(function() return sleep(20, 'v') end) return coroutine.resume(co)");
    await new Promise((r) => setTimeout(r, 5));
    expect(L.run("return coroutine.status(co), coroutine.resume(co)")).toEqual([
      "normal",
      false,
      "cannot resume non-suspended coroutine",
    ]);
    expect(L.run("return pcall(coroutine.close, co)")).toEqual([false, "cannot close a normal coroutine"]);
    expect(await p).toEqual([true, "v"]);
  });
});

describe("stopping an async call", () => {
  it("a promise that never settles is stopped by the timeout", async () => {
    const L = await create({ timeoutMs: 100 });
    const t0 = Date.now();
    const e = await rejected(L.runAsync("local ok = pcall(never) return 'swallowed'"));
    expect([e.message, e.kind]).toEqual(["timeout", "limit"]);
    expect(Date.now() - t0).toBeLessThan(3000);
    await expectIntact(L);
  });

  it("the timeout and the instruction limit count the whole call across its awaits", async () => {
    const L = await create({ instructionLimit: 100_000 });
    expect(await L.runAsync("local s = 0 for i = 1, 3 do s = s + double(i) end return s")).toEqual([12]);
    const e = await rejected(L.runAsync("for i = 1, 40 do double(i) for j = 1, 5000 do end end"));
    expect(e.message).toBe("instruction limit exceeded");
    const T = await create({ timeoutMs: 120 });
    const e2 = await rejected(T.runAsync("for i = 1, 100 do sleep(10) end"));
    expect(e2.message).toBe("timeout");
    await expectIntact(T);
  });

  it("an AbortSignal stops a suspended call, uncatchably, with the reason's text", async () => {
    const L = await create();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user cancelled")), 20);
    const e = await rejected(L.runAsync("local ok, e = pcall(never) return 'swallowed', e", { signal: ac.signal }));
    expect([e.message, e.kind]).toEqual(["user cancelled", "limit"]);
    expect(e.traceback).toContain("[C]: in function 'never'");
    await expectIntact(L);
  });

  it("an AbortSignal stops a running call (a long loop under pcall) at once", async () => {
    const L = await create();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await rejected(
      L.runAsync("local function spin() while true do end end pcall(spin) return 'no'", { signal: ac.signal }),
    );
    expect([e.message, e.kind]).toEqual(["This operation was aborted", "limit"]);
    // aborted from inside the call (a JS function aborting its own call)
    const ac2 = new AbortController();
    L.global.set("cancel", () => ac2.abort("self"));
    const e2 = await rejected(L.runAsync("pcall(cancel) return 'no'", { signal: ac2.signal }));
    expect(e2.message).toBe("self");
    await expectIntact(L);
  });

  it("interrupt() from setTimeout stops a long loop with lua.c's 'interrupted!' and a traceback", async () => {
    const L = await create();
    let ticks = 0;
    const iv = setInterval(() => ticks++, 5);
    setTimeout(() => L.interrupt(), 100);
    const e = await rejected(L.runAsync("local n = 0\nwhile true do n = n + 1 end", { chunkname: "=loop" }));
    clearInterval(iv);
    expect([e.message, e.kind]).toEqual(["interrupted!", "limit"]);
    expect(e.traceback).toBe("stack traceback:\n\tloop:2: in main chunk\n\t[C]: in ?");
    expect(ticks).toBeGreaterThan(0); // timers ran while Lua ran
    await expectIntact(L);
  });

  it("interrupt() reaches a loop inside a coroutine, a metamethod and pcall", async () => {
    const L = await create();
    setTimeout(() => L.interrupt(), 60);
    const e = await rejected(
      L.runAsync(`
        local t = setmetatable({}, {__index = function() while true do end end})
        local co = coroutine.wrap(function() return pcall(function() return t.x end) end)
        return co()`),
    );
    // raised in the coroutine, it ends the call through the wrap function, message unchanged
    expect(e.message).toBe("interrupted!");
    expect(e.traceback).toBe("stack traceback:\n\t[C]: in local 'co'\n\tinput:4: in main chunk\n\t[C]: in ?");
    await expectIntact(L);
  });

  it("interrupt() stops a suspended call, and a sync call from inside a JS function; false when idle", async () => {
    const L = await create();
    setTimeout(() => L.interrupt(), 20);
    expect((await rejected(L.runAsync("pcall(never)"))).message).toBe("interrupted!");
    L.global.set("stopme", () => L.interrupt());
    let e: LuaError | null = null;
    try {
      L.run("local ok = pcall(stopme) while true do end");
    } catch (err) {
      e = err as LuaError;
    }
    expect([e?.message, e?.kind]).toEqual(["interrupted!", "limit"]);
    // with a traceback of where the script was (lua.c's message handler's), unlike a spent budget
    expect(e?.traceback).toBe(
      "stack traceback:\n\t[C]: in function 'stopme'\n\t[C]: in function 'pcall'\n\tinput:1: in main chunk\n\t[C]: in ?",
    );
    expect(L.interrupt()).toBe(false);
    expect(L.run("return 'next run is not interrupted'")).toEqual(["next run is not interrupted"]);
    await expectIntact(L);
  });

  it("close() while suspended ends the call with 'Lua state is closed'", async () => {
    const L = await create();
    const p = L.runAsync("return never()");
    await new Promise((r) => setTimeout(r, 5));
    L.close();
    await expect(p).rejects.toThrow("Lua state is closed");
  });
});

describe("pauses for the event loop are invisible to Lua", () => {
  it("a long async run gives the same results and count-hook counts as run", async () => {
    const L = await create();
    const code = `
      local count = 0
      debug.sethook(function() count = count + 1 end, "", 1000)
      local s = 0
      for i = 1, 3000000 do s = s + i % 7 end
      debug.sethook()
      return s, count`;
    const sync = L.run(code);
    let turns = 0;
    const iv = setInterval(() => turns++, 1);
    const t0 = Date.now();
    const asy = await L.runAsync(code);
    clearInterval(iv);
    expect(asy).toEqual(sync);
    if (Date.now() - t0 > 100) expect(turns).toBeGreaterThan(0);
  });
});

describe("LuaPersistent.evalAsync", () => {
  it("returns the result with its own output, null plus getLastError on failure", async () => {
    const lua = new LuaPersistent();
    await lua.load();
    expect(lua.init()).toBe(true);
    const api = (lua as unknown as { api: Lua }).api;
    api.global.set("later", (v: unknown) => new Promise((r) => setTimeout(() => r(v), 10)));
    const p = lua.evalAsync("print('before') local v = later(5) print('after', v) return v * 2");
    await new Promise((r) => setTimeout(r, 2));
    const other = lua.eval("print('other eval') return 1"); // runs while the first is suspended
    expect(other?.output).toBe("other eval\n");
    const r = await p;
    expect(r?.values).toEqual([10]);
    expect(r?.output).toBe("before\nafter\t5\n");
    expect(await lua.evalAsync("return later(nil) + 1")).toBeNull();
    expect(lua.getLastError()).toBe("input:1: attempt to perform arithmetic on a nil value");
    const ac = new AbortController();
    setTimeout(() => ac.abort("stop"), 5);
    expect(await lua.evalAsync("later(1000)", { signal: ac.signal })).toBeNull();
    expect(lua.getLastError()).toBe("stop");
    expect((await lua.evalAsync("return 3"))?.value).toBe(3);
    lua.close();
  });
});
