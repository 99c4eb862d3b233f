// state-safety.test.ts - the reproductions of issue #10 ("the Lua state is never lost"), one per
// numbered item the entry path and the host fix: each asserts a clear result within bounded time and
// that what was stored before is still there afterwards.

import { describe, expect, it } from "vitest";
import { copy, Lua, LuaError, LuaPersistent, MemoryFileSystem, type LuaFunction } from "../../host/index.js";
import type { LuaWasm } from "../../host/loader.js";

const DEEP30 = "local t = {} local c = t for i = 1, 30 do c[1] = {} c = c[1] end return t";

async function persistent(options: ConstructorParameters<typeof LuaPersistent>[0] = {}): Promise<LuaPersistent> {
  const lua = new LuaPersistent(options);
  await lua.load();
  lua.init();
  return lua;
}

/** Bytes Lua holds after a full collection (twice: finalizers and weak entries settle). */
function settled(gc: () => void, used: () => number): number {
  gc();
  gc();
  return used();
}

describe("results and arguments of any depth", () => {
  it("returns a table nested 30 levels deep and the next eval still works (1)", async () => {
    const lua = await persistent();
    lua.eval("keep = 1");
    const r = lua.eval(DEEP30);
    expect(r).not.toBeNull();
    let v = r!.value as unknown[];
    for (let i = 0; i < 30; i++) v = v[0] as unknown[];
    expect(v).toEqual({});
    expect(lua.eval("return keep")!.value).toBe(1);
  });

  it("refuses a result nested deeper than the encoder's limit with a clear error, state intact (1)", async () => {
    const lua = await persistent();
    lua.eval("keep = 1");
    expect(lua.eval("local t = {} local c = t for i = 1, 500 do c[1] = {} c = c[1] end deep = t return t")).toBeNull();
    expect(lua.getLastError()).toBe("table nesting too deep to convert");
    expect(lua.eval("local n, c = 0, deep while c do n, c = n + 1, c[1] end return keep, n")!.values).toEqual([1, 501]);
  });

  it("a deep table read back under budgets does not hang the next run (11)", async () => {
    const L = await Lua.create({ timeoutMs: 1000, instructionLimit: 1e7 });
    L.run("local t = {} local c = t for i = 1, 60 do c.c = {} c = c.c end T = t sentinel = 'here'");
    L.run("return T");
    expect(L.run("return sentinel")).toEqual(["here"]);
    L.close();
  });

  it("a 200-level JS object set as a global survives snapshot and restore (11)", async () => {
    const L = await Lua.create();
    let o: Record<string, unknown> = {};
    const root = o;
    for (let i = 0; i < 180; i++) {
      const n = {};
      o.c = n;
      o = n;
    }
    L.global.set("deep", copy(root)); // a copy: a reference (the default) cannot be snapshotted
    L.run("keep = 5");
    const snap = L.snapshot();
    L.restore(snap);
    expect(typeof L.run("return print")[0]).toBe("function");
    expect(L.run("local n, c = 0, deep while c do n, c = n + 1, c.c end return n, keep")).toEqual([181, 5]);
    L.close();
  });

  it("refuses a JS object nested past the limit with an error and keeps the globals", async () => {
    const L = await Lua.create();
    L.run("keep = 1");
    let o: Record<string, unknown> = {};
    const root = o;
    for (let i = 0; i < 400; i++) {
      const n = {};
      o.c = n;
      o = n;
    }
    expect(() => L.global.set("deep", copy(root))).toThrow(/too deep/);
    expect(L.run("return keep, deep")).toEqual([1, null]);
    L.global.set("deep", root); // by reference nothing is converted ahead: every level is reached lazily
    expect(L.run("local n, c = 0, deep while c do n, c = n + 1, c.c end return n")).toEqual([401]);
    L.close();
  });
});

describe("budgets on every entry", () => {
  it("applies instructionLimit to call() as to run() (2)", async () => {
    const L = await Lua.create({ instructionLimit: 1e6 });
    L.run("function f() local s = 0 for i = 1, 3e7 do s = s + i end return s end keep = 1");
    const t0 = Date.now();
    expect(() => L.call("f")).toThrow("instruction limit exceeded");
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(L.run("return keep")).toEqual([1]);
    L.close();
  });

  it("applies timeoutMs to call() of a function value (2)", async () => {
    const L = await Lua.create({ timeoutMs: 100 });
    const [f] = L.run("return function() while true do end end") as [LuaFunction];
    let caught: unknown;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    expect((caught as LuaError).kind).toBe("limit");
    expect((caught as LuaError).message).toBe("timeout");
    expect(L.run("return 1")).toEqual([1]);
    L.close();
  });
});

describe("timeouts use the host's monotonic clock", () => {
  it("timeoutMs still stops a loop when deterministic mode freezes os.time's clock", async () => {
    const L = await Lua.create({ deterministic: true, timeoutMs: 100 });
    const t0 = Date.now();
    expect(() => L.run("local i = 0 while i < 1e10 do i = i + 1 end")).toThrow("timeout");
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(L.run("return os.time()")).toEqual([0]);
    L.close();
  });
});

describe("no leaks at the host boundary (3, 10)", () => {
  it("returning functions from eval leaves lua_memory_used flat (3)", async () => {
    const lua = await persistent();
    for (let i = 0; i < 500; i++) lua.eval("return print, coroutine.create(print), io.stdout");
    const used = () => lua.getMemoryStats().lua_memory_used;
    const before = settled(() => lua.gc(), used);
    for (let i = 0; i < 20000; i++) lua.eval("return print, coroutine.create(print), io.stdout");
    expect(settled(() => lua.gc(), used) - before).toBeLessThan(4096);
  });

  it("throwing JS callbacks, call() by name, errors from call() and run(), non-string error objects leak nothing (10)", async () => {
    const L = await Lua.create();
    L.run("function f(...) return ... end");
    L.global.set("thr", () => {
      throw new Error("js boom");
    });
    const ops = [
      () => L.run("for i = 1, 20 do pcall(thr) end"), // a JS callback that throws, caught in Lua
      () => L.call("f", 1, "two", copy([3])), // references: spec/host/js-refs.test.ts
      () => {
        try {
          L.call("error", "x");
        } catch {
          /* expected */
        }
      },
      () => {
        try {
          L.run("error({})");
        } catch {
          /* expected */
        }
      },
      () => {
        try {
          L.run("error(setmetatable({}, {__tostring = function() return 'obj' end}))");
        } catch {
          /* expected */
        }
      },
    ];
    const used = () => L.memoryStats().lua_memory_used;
    for (const op of ops) {
      for (let i = 0; i < 300; i++) op();
      const before = settled(() => L.collectGarbage(), used);
      for (let i = 0; i < 5000; i++) op();
      expect(settled(() => L.collectGarbage(), used) - before).toBeLessThan(2048);
    }
    L.close();
  });
});

describe("function references never cross into a replaced state", () => {
  it("a Lua function handed out before restore() refuses to run instead of calling another function", async () => {
    const L = await Lua.create();
    L.run("function a() return 'a' end function b() return 'b' end");
    const snap = L.snapshot();
    const [fa] = L.run("return a") as [LuaFunction];
    L.restore(snap);
    const [fb] = L.run("return b") as [LuaFunction]; // may reuse fa's reference id in the new state
    expect(fb()).toBe("b");
    expect(() => fa()).toThrow("cannot call a Lua function of a state that was since restored or reset");
    L.global.set("old", fa); // passed back: a JS function, not a stale id
    expect(L.run("return pcall(old)")[0]).toBe(false);
    expect(fb()).toBe("b");
    L.close();
  });
});

describe("arguments are validated before anything reaches the module (4)", () => {
  it("a non-string chunk name is a TypeError and the globals stay (eval)", async () => {
    const lua = await persistent();
    lua.eval("keep = 1");
    expect(() => lua.eval("return 1", 123 as unknown as string)).toThrow(TypeError);
    expect(() => lua.eval("return 1", 123 as unknown as string)).toThrow("chunk name must be a string, got number");
    expect(lua.eval("return keep")!.value).toBe(1);
  });

  it("a non-string chunk name is a TypeError and the globals stay (run)", async () => {
    const L = await Lua.create();
    L.run("keep = 1");
    expect(() => L.run("return 1", {} as unknown as string)).toThrow(TypeError);
    expect(() => L.listing("return 1", null as unknown as string)).toThrow(TypeError);
    expect(L.run("return keep")).toEqual([1]);
    L.close();
  });

  it("bad script arguments and bad code for runScript are TypeErrors, the state stays", async () => {
    const L = await Lua.create();
    L.run("keep = 1");
    expect(() => L.setArgs([[1, 2 as unknown as string]])).toThrow("arg[1] must be a string, got number");
    expect(() => L.setArgs([[1.5, "x"]])).toThrow(TypeError);
    expect(() => L.setArgs("x" as unknown as [])).toThrow(TypeError);
    expect(() => L.runScript(42 as unknown as string, "=s", 0)).toThrow(TypeError);
    expect(() => L.runScript("return 1", "=s", -1)).toThrow(TypeError);
    expect(L.run("return keep")).toEqual([1]);
    L.close();
  });
});

describe("converting JS arrays costs their elements, not their length (12)", () => {
  it("a sparse array with length 2**31 converts at once", async () => {
    const L = await Lua.create();
    const a: unknown[] = [];
    a[2 ** 31] = "last";
    a[0] = "first";
    const t0 = Date.now();
    L.global.set("a", a);
    expect(L.run("local n = 0 for k in pairs(a) do n = n + 1 end return n, a[1], a[2^31 + 1]")).toEqual([
      2,
      "first",
      "last",
    ]);
    expect(L.call("select", "#", a)).toEqual([1]);
    L.global.set("c", copy(a)); // the copy costs its elements too
    expect(L.run("local n = 0 for k in pairs(c) do n = n + 1 end return n, c[1], c[2^31 + 1], type(c)")).toEqual([
      2,
      "first",
      "last",
      "table",
    ]);
    expect(Date.now() - t0).toBeLessThan(1000);
    L.close();
  });

  it("a Proxy claiming length 1e9 does not hang call(): a clear TypeError at once", async () => {
    const L = await Lua.create();
    L.run("keep = 1");
    const p = new Proxy([1, 2], { get: (t, k) => (k === "length" ? 1e9 : Reflect.get(t, k)) });
    const t0 = Date.now();
    expect(() => L.call("rawlen", copy(p))).toThrow(TypeError);
    expect(() => L.global.set("p", copy(p))).toThrow(/not its own length property/);
    expect(L.run("return keep, p")).toEqual([1, null]);
    // by reference: # answers the claimed length, pairs and ipairs visit what the target holds
    L.global.set("p", p);
    expect(
      L.run(
        "local n = 0 for k in pairs(p) do n = n + 1 end local m = 0 for i in ipairs(p) do m = i end return #p, n, m",
      ),
    ).toEqual([1e9, 2, 2]);
    expect(Date.now() - t0).toBeLessThan(1000);
    L.close();
  });
});

describe("host callbacks that throw never break the state (5)", () => {
  it("an onOutput hook that throws fails the eval, and every global is still there", async () => {
    const lua = await persistent({
      onOutput: () => {
        throw new Error("hook boom");
      },
    });
    lua.eval("g = 5");
    expect(lua.eval("print('x') h = 6")).toBeNull();
    expect(lua.getLastError()).toBe("the stdout hook failed: hook boom");
    expect(lua.getLastLuaError()!.kind).toBe("runtime");
    expect(lua.eval("return g, h")!.values).toEqual([5, 6]);
  });

  it("a stderr hook, a clock and an env that throw are reported and the state stays", async () => {
    const L = await Lua.create({
      stderr: () => {
        throw new Error("no stderr");
      },
      clock: () => {
        throw new Error("no clock");
      },
      env: new Proxy(
        {},
        {
          getOwnPropertyDescriptor() {
            throw new Error("no env");
          },
        },
      ),
    });
    L.run("keep = 1");
    expect(() => L.run("io.stderr:write('x')")).toThrow("the stderr hook failed: no stderr");
    expect(() => L.run("return os.clock()")).toThrow("the clock option failed: no clock");
    expect(() => L.run("return os.getenv('HOME')")).toThrow("the env option failed: no env");
    expect(L.run("return keep")).toEqual([1]);
    L.close();
  });

  it("a file system whose open and stdin read throw anything gives Lua's I/O errors", async () => {
    class Hostile extends MemoryFileSystem {
      override open(): number {
        throw Object.create(null);
      } // not even convertible to a string
      override read(h: number, into: Uint8Array): number {
        if (h === 0) throw new Error("stdin broke");
        return super.read(h, into);
      }
    }
    const L = await Lua.create({ fs: new Hostile() });
    L.run("keep = 1");
    expect(L.run("return io.open('x.txt')")).toEqual([null, "x.txt: Input/output error", 5]);
    expect(L.run("return io.read('l')")).toEqual([null, "stdin broke", 5]);
    expect(L.run("return keep")).toEqual([1]);
    L.close();
  });

  it("a process.exit hook that throws is reported and the state stays", async () => {
    const L = await Lua.create({
      process: {
        exit: () => {
          throw new Error("not now");
        },
      },
    });
    L.run("keep = 1");
    expect(() => L.run("os.exit(3)")).toThrow(/process.exit failed: not now/);
    expect(L.run("return keep")).toEqual([1]);
    L.close();
  });
});

describe("a trap never silently resets the state (8)", () => {
  /** Makes the module's next eval trap, as an interpreter bug would. */
  function injectTrap(target: Lua | LuaPersistent): void {
    const rt = (target as unknown as { runtime: { wasm: LuaWasm } }).runtime;
    const w = rt.wasm as unknown as { exports: Record<string, unknown> };
    const exports = { ...w.exports };
    exports.lua_eval_args = () => {
      throw new WebAssembly.RuntimeError("unreachable");
    };
    w.exports = exports;
  }

  it("says the state was reset, sets stateReset and calls onReset", async () => {
    const resets: LuaError[] = [];
    const L = await Lua.create({ onReset: (e) => resets.push(e) });
    L.run("keep = 1");
    injectTrap(L);
    let caught: unknown;
    try {
      L.run("return 1");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LuaError);
    const err = caught as LuaError;
    expect(err.kind).toBe("internal");
    expect(err.stateReset).toBe(true);
    expect(err.message).toBe("internal error: unreachable (the Lua state was reset)");
    expect(resets).toEqual([err]);
    expect(L.run("return keep, 2")).toEqual([null, 2]); // a fresh state, and the application knows
    L.close();
  });

  it("keeps _home across the reset in LuaPersistent", async () => {
    const lua = await persistent();
    lua.eval("_home.saved = 'yes'");
    injectTrap(lua);
    expect(lua.eval("return 1")).toBeNull();
    expect(lua.getLastLuaError()!.stateReset).toBe(true);
    expect(lua.eval("return _home.saved")!.value).toBe("yes");
  });
});

describe("warnings (14)", () => {
  it("go to the stderr hook when one is given", async () => {
    const err: string[] = [];
    const out: string[] = [];
    const L = await Lua.create({
      stdout: (b) => out.push(Buffer.from(b).toString()),
      stderr: (b) => err.push(Buffer.from(b).toString()),
    });
    L.run("warn('@on') warn('hi')");
    expect(err.join("")).toBe("Lua warning: hi\n");
    expect(out.join("")).toBe("");
    L.close();
  });

  it("are dropped under sandbox without a stderr hook, never reaching the process's stderr", async () => {
    const write = process.stderr.write;
    const seen: string[] = [];
    process.stderr.write = ((chunk: string | Uint8Array) => {
      seen.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const L = await Lua.create({ sandbox: true, stdout: () => {} });
      L.run("warn('@on') warn('hi')");
      L.close();
      const lua = await persistent({ sandbox: true });
      lua.eval("warn('@on') warn('hi')");
    } finally {
      process.stderr.write = write;
    }
    expect(seen.join("")).not.toContain("Lua warning");
  });
});

describe("messages as lua5.4 gives them (15)", () => {
  it("an error object whose __tostring raises reports the inner error with its traceback", async () => {
    const L = await Lua.create();
    let caught: LuaError | null = null;
    try {
      L.run("error(setmetatable({}, {__tostring = function() error('inner') end}))");
    } catch (e) {
      caught = e as LuaError;
    }
    expect(caught!.message).toBe("input:1: inner");
    expect(caught!.traceback).toBe(
      "stack traceback:\n\t[C]: in function 'error'\n\tinput:1: in function <input:1>\n\t[C]: in ?\n\t[C]: in function 'error'\n\tinput:1: in main chunk\n\t[C]: in ?",
    );
    L.close();
  });

  it("an error object with __tostring gives its text without a traceback; a number becomes its text", async () => {
    const L = await Lua.create();
    let caught: LuaError | null = null;
    try {
      L.run("error(setmetatable({}, {__tostring = function() return 'obj' end}))");
    } catch (e) {
      caught = e as LuaError;
    }
    expect(caught!.message).toBe("obj");
    expect(caught!.traceback).toBe("");
    try {
      L.run("error(setmetatable({}, {__tostring = function() return 42 end}))");
    } catch (e) {
      caught = e as LuaError;
    }
    expect(caught!.message).toBe("(error object is a table value)");
    try {
      L.run("error(4.5)");
    } catch (e) {
      caught = e as LuaError;
    }
    expect(caught!.message).toBe("4.5");
    L.close();
  });
});
