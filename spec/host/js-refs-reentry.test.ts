// js-refs-reentry.test.ts - issue #13 follow-ups for JS objects held by reference (host/refs.ts,
// assembly/embed/jsref.ts): the user's code a reference runs (a method, a getter, a setter, a Proxy
// trap, #, pairs) may call back into the same state as a JS function called by Lua may (nested
// entries, host/runtime.ts), with errors, yields and budgets as for those; and a method's promise is
// awaited under runAsync as a JS function's is, staying the clear sync error under run.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lua, LuaError } from "../../host/index.js";
import { caughtLuaError as luaError, rejectedLuaError as asyncError } from "./helpers.js";

let L: Lua;
beforeEach(async () => {
  L = await Lua.create({ stdout: () => {} });
  L.run("keep = 1 function twice(x) return 2 * x end");
});
afterEach(() => L.close());

/** The state is intact: its globals are kept and a follow-up run works. */
function expectIntact(): void {
  expect(L.global.get("keep")).toBe(1);
  expect(L.run("local t = {} for i = 1, 10 do t[i] = i end return #t")).toEqual([10]);
}

describe("the user's code behind a reference calls back into the same state", () => {
  it("a method reads globals, calls Lua functions and runs code, nested in the call", () => {
    class Api {
      base = 100;
      sum(x: number): number {
        const [t] = L.call("twice", x);
        const [r] = L.run("y = (y or 0) + 1 return y");
        return this.base + (L.global.get("keep") as number) + (t as number) + (r as number);
      }
    }
    L.global.set("api", new Api());
    expect(L.run("return api:sum(5), api:sum(5), y")).toEqual([112, 113, 2]);
    expect(L.run("local f = api.sum return f(api, 1)")).toEqual([106]);
    expectIntact();
  });

  it("a getter, a setter, a Proxy's traps, # and pairs do too", () => {
    const o = {
      get g(): unknown {
        return L.global.get("keep");
      },
      set s(v: number) {
        L.global.set("seen", v * 2);
      },
    };
    L.global.set("o", o);
    const arr = new Proxy([1, 2, 3], {
      get: (t, k, r) => (k === "length" ? (L.run("return 2")[0] as number) : Reflect.get(t, k, r)),
    });
    L.global.set("arr", arr);
    const p = new Proxy({} as Record<string, unknown>, {
      get: (_t, k) => (typeof k === "string" ? (L.call("twice", k.length)[0] as number) : undefined),
      ownKeys: () => {
        L.run("walked = (walked or 0) + 1");
        return [];
      },
    });
    L.global.set("p", p);
    expect(L.run("o.s = 21 return o.g, seen, #arr, arr[1], p.abc, p[1234]")).toEqual([1, 42, 2, 1, 6, 8]);
    expect(L.run("for k in pairs(p) do end return walked")).toEqual([1]);
    expectIntact();
  });

  it("an error thrown by a nested call in a method reaches Lua with its message, pcall catches it", () => {
    L.global.set("o", {
      bad(): unknown {
        return L.run("local x = nil\nreturn x.field", "=nested");
      },
      get bad2(): unknown {
        return L.run("error('from getter')", "=inner");
      },
    });
    expect(L.run("return pcall(function() return o:bad() end)")).toEqual([
      false,
      "nested:2: attempt to index a nil value (local 'x')",
    ]);
    expect(L.run("return pcall(function() return o.bad2 end)")).toEqual([false, "inner:1: from getter"]);
    const e = luaError(() => L.run("local a = 1\no:bad()"));
    expect(e.message).toBe("nested:2: attempt to index a nil value (local 'x')"); // unchanged: no second position
    // a JS error thrown after the nested call gets the position of the Lua code that called the method
    L.global.set("o2", {
      m(): never {
        L.run("return 1");
        throw new Error("after");
      },
    });
    expect(luaError(() => L.run("o2:m()")).message).toBe("input:1: after");
    expectIntact();
  });

  it("a yield across a method or getter is 'attempt to yield across a C-call boundary'", () => {
    L.global.set("o", {
      m(): unknown {
        return L.run("coroutine.yield(1)");
      },
      get g(): unknown {
        return L.run("coroutine.yield(2)");
      },
    });
    const boundary = [false, "attempt to yield across a C-call boundary"];
    expect(L.run("return coroutine.resume(coroutine.create(function() o:m() end))")).toEqual(boundary);
    expect(L.run("return coroutine.resume(coroutine.create(function() return o.g end))")).toEqual(boundary);
    expect(L.run("return coroutine.wrap(function(a) local b = coroutine.yield(a) return b end)(7)")).toEqual([7]);
    expectIntact();
  });

  it("a nested call's budget stops the outer call, even if the method catches it", async () => {
    const B = await Lua.create({ stdout: () => {}, instructionLimit: 200_000 });
    try {
      B.run("keep = 1");
      B.global.set("o", {
        spin(): string {
          try {
            B.run("while true do end");
          } catch (e) {
            return `caught: ${(e as Error).message}`;
          }
          return "not stopped";
        },
      });
      const e = luaError(() => B.run("return pcall(function() return o:spin() end)"));
      expect(e.message).toMatch(/instruction limit/);
      expect(B.global.get("keep")).toBe(1);
      expect(B.run("return 1 + 1")).toEqual([2]);
    } finally {
      B.close();
    }
  });

  it("an output hook still cannot call back (the bracket is only around the reference's own code)", async () => {
    let hookError: unknown = null;
    const H = await Lua.create({
      stdout: () => {
        try {
          H.run("return 1");
        } catch (e) {
          hookError = e;
        }
      },
    });
    try {
      H.global.set("o", { m: () => 1 });
      H.run("print(o.m()) io.stdout:flush()");
      expect(String(hookError)).toMatch(/Lua state is busy/);
    } finally {
      H.close();
    }
  });
});

describe("a trap inside a nested call made by a getter", () => {
  it("resets the state once, from the outermost call, never caught by pcall; the next run works", async () => {
    const resets: LuaError[] = [];
    const R = await Lua.create({ stdout: () => {}, onReset: (e) => resets.push(e) });
    try {
      R.run("keep = 1");
      R.global.set("o", {
        get g(): unknown {
          // as an interpreter bug in the nested export would
          const rt = (R as unknown as { runtime: { wasm: { exports: Record<string, unknown> } } }).runtime;
          const w = rt.wasm;
          w.exports = {
            ...w.exports,
            lua_getglobal_v: () => {
              throw new WebAssembly.RuntimeError("unreachable");
            },
          };
          return R.global.get("keep");
        },
      });
      const e = luaError(() => R.run("return pcall(function() return o.g end)"));
      expect(e.kind).toBe("internal");
      expect(e.stateReset).toBe(true);
      expect(resets.length).toBe(1);
      expect(R.run("return keep, 1 + 1")).toEqual([null, 2]); // a fresh state, usable
    } finally {
      R.close();
    }
  });
});

describe("a method's promise under runAsync", () => {
  class Service {
    constructor(private readonly factor: number) {}
    async scaled(x: number): Promise<number> {
      await new Promise((r) => setTimeout(r, 1));
      return x * this.factor;
    }
    later(v: unknown): Promise<unknown> {
      return Promise.resolve(v);
    }
    async fails(): Promise<never> {
      await Promise.resolve();
      throw new Error("rejected");
    }
  }

  it("suspends the Lua thread and goes on with the value, `this` kept, in coroutines and pcall too", async () => {
    L.global.set("svc", new Service(3));
    expect(await L.runAsync("local a = svc:scaled(2) local b = svc.scaled(svc, 5) return a + b, keep")).toEqual([
      21, 1,
    ]);
    expect(
      await L.runAsync(`
        local co = coroutine.wrap(function() return svc:scaled(10) end)
        local ok, v = pcall(svc.scaled, svc, 4)
        return co(), ok, v`),
    ).toEqual([30, true, 12]);
    // objects come back by reference, functions callable
    const obj = { n: 1 };
    L.global.set("obj", obj);
    expect(await L.runAsync("local o = svc:later(obj) o.n = 2 return o, o == obj")).toEqual([obj, true]);
    expect(obj.n).toBe(2);
    expectIntact();
  });

  it("a rejection is a Lua error with its message: pcall catches it, else the call fails", async () => {
    L.global.set("svc", new Service(1));
    expect(await L.runAsync("return pcall(svc.fails, svc)")).toEqual([false, "rejected"]);
    const e = await asyncError(L.runAsync("svc:fails()"));
    expect(e.message).toMatch(/rejected/);
    expectIntact();
  });

  it("inside table.sort's comparator it is 'attempt to yield across a C-call boundary'", async () => {
    L.global.set("svc", new Service(1));
    const e = await asyncError(
      L.runAsync("local t = {3, 1, 2} table.sort(t, function(a, b) return svc:scaled(a) < b end)"),
    );
    expect(e.message).toMatch(/attempt to yield across a C-call boundary/);
    expectIntact();
  });

  it("stays the clear sync error under run, and in a nested call made during an async call", async () => {
    L.global.set("svc", new Service(1));
    expect(luaError(() => L.run("return svc:scaled(1)")).message).toMatch(/returned a Promise/);
    expect(L.run("return pcall(svc.scaled, svc, 1)")[0]).toBe(false);
    L.global.set("nest", { m: () => L.run("return svc:scaled(1)") });
    const e = await asyncError(L.runAsync("return nest:m()"));
    expect(e.message).toMatch(/returned a Promise/);
    expectIntact();
  });

  it("a property holding a promise is not awaited: reading it is a clear error", async () => {
    L.global.set("o", { p: Promise.resolve(1) });
    expect(await L.runAsync("return pcall(function() return o.p end)")).toEqual([
      false,
      "input:1: cannot convert a Promise to a Lua value",
    ]);
    expectIntact();
  });

  it("a promise that never settles is stopped by the timeout, state usable", async () => {
    const T = await Lua.create({ stdout: () => {}, timeoutMs: 100 });
    try {
      T.run("keep = 1");
      T.global.set("svc", { never: () => new Promise(() => {}) });
      const e = await asyncError(T.runAsync("return svc:never()"));
      expect([e.message, e.kind]).toEqual(["timeout", "limit"]);
      expect(T.run("return keep")).toEqual([1]);
    } finally {
      T.close();
    }
  });
});
