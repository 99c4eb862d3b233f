// ext-functions.test.ts - functions in external tables: closures stored with their bytecode and upvalue
// cells, shared upvalues kept (within one store and across stores), live upvalues saved by saveState
// and restored by loadState in a fresh instance, recursion, natives by name, _ENV reconnected to the
// loading state's globals, format version 1 images still loading, hostile records as Lua errors.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileStorage, Lua, LuaPersistent, MemoryStorage, type StorageAdapter } from "../../host/index.js";
import { crc32 } from "../../host/persist/format.js";
import { evalOk } from "./helpers.js";

async function engine(
  storage: StorageAdapter = new MemoryStorage(),
  instructionLimit?: number,
): Promise<LuaPersistent> {
  const lua = new LuaPersistent({ storage, instructionLimit });
  await lua.load();
  if (!lua.init()) throw new Error(lua.getLastError()!);
  return lua;
}
const vals = (lua: LuaPersistent, code: string) => evalOk(lua, code).values;
const err = (lua: LuaPersistent, code: string) => {
  expect(lua.eval(code)).toBeNull();
  return lua.getLastError();
};

/** Saves `a`'s _home and loads it into a fresh engine sharing the storage. */
async function reload(a: LuaPersistent, storage: StorageAdapter): Promise<LuaPersistent> {
  expect(await a.saveState()).toBe(true);
  const b = await engine(storage);
  expect(await b.loadState()).toBe(true);
  return b;
}

describe("functions in external tables", () => {
  it("keep a closure over a local working after saveState/loadState in a fresh instance, counting on", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    expect(
      vals(
        a,
        `local n = 0
      _home.counter = function() n = n + 1 return n end
      return _home.counter(), _home.counter(), _home.counter(), n`,
      ),
    ).toEqual([1, 2, 3, 0]); // a copy: n stays
    const b = await reload(a, storage);
    expect(vals(b, `return _home.counter(), _home.counter()`)).toEqual([4, 5]);
    const c = await reload(b, storage);
    expect(vals(c, `return _home.counter()`)).toEqual([6]);
  });

  it("keep two closures sharing an upvalue sharing it, stored together or separately, before and after a reload", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lwp-fn-"));
    const storage = new FileStorage(join(dir, "home.bin"));
    const a = await engine(storage);
    expect(
      vals(
        a,
        `local n = 0
      local function inc() n = n + 1 return n end
      local function get() return n end
      _home.inc = inc
      _home.get = get                                   -- a separate store: same upvalue cell
      _home.pair = {inc = inc, get = get}               -- inside a table: the same records
      _home.inc() _home.inc()
      return _home.get(), _home.pair.get(), _home.pair.inc == _home.inc`,
      ),
    ).toEqual([2, 2, true]);
    const b = await reload(a, storage);
    expect(vals(b, `_home.pair.inc() return _home.get(), _home.inc(), _home.pair.get()`)).toEqual([3, 4, 4]);
  });

  it("give the same Lua function when the same stored function is read twice", async () => {
    const a = await engine();
    expect(
      vals(
        a,
        `local f = function() return 1 end
      _home.a = f _home.b = f
      local x = _home.a collectgarbage()
      return _home.a == _home.a, _home.a == _home.b, x == _home.a, _home.a ~= f`,
      ),
    ).toEqual([true, true, true, true]);
  });

  it("store recursive functions and functions inside tables inside _home", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    evalOk(
      a,
      `local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
      local data = {hits = 0}
      _home.lib = {fact = fact, deep = {twice = function(x) return 2 * x end},
        hit = function() data.hits = data.hits + 1 return data.hits end}
      _home.lib.self = _home.lib`,
    );
    const b = await reload(a, storage);
    expect(
      vals(
        b,
        `local l = _home.lib
      return l.fact(10), l.deep.twice(21), l.hit(), l.hit(), l.self == l`,
      ),
    ).toEqual([3628800, 42, 1, 2, true]);
    // the table the closure captured was copied into an external table: its changes persist directly
    const c = await reload(b, storage);
    expect(vals(c, `return _home.lib.hit()`)).toEqual([3]);
  });

  it("store natives by name and restore them", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    evalOk(a, `_home.p = print _home.fmt = {string.format, math.max, io.write}`);
    const b = await reload(a, storage);
    const r = evalOk(
      b,
      `_home.p("hello") return _home.fmt[1]("%03d", 7), _home.fmt[2](1, 9), _home.p == print, _home.fmt[3] == io.write`,
    );
    expect(r.output).toBe("hello\n");
    expect(r.values).toEqual(["007", 9, true, true]);
  });

  it("reject natives without a stable name, natives with upvalues and JS functions, naming the problem", async () => {
    const a = await engine();
    expect(err(a, `_home.w = coroutine.wrap(function() end)`)).toBe(
      "input:1: cannot store native function 'coroutine.wrap.fn' in an external table (it has upvalues)",
    );
    expect(err(a, `_home.r = {require}`)).toBe(
      "input:1: cannot store native function 'require' in an external table (it has upvalues)",
    );
    expect(err(a, `_home.c = coroutine.create(print)`)).toBe("input:1: cannot store a thread in an external table");
    expect(
      err(
        a,
        `local f = function() return 0 end
      for i = 1, 250 do local g = f f = function() return g() + 1 end end _home.chain = f`,
      ),
    ).toBe("input:2: functions nested too deep to store");
    const L = await Lua.create();
    L.global.set("jsf", () => 1);
    expect(() => L.run(`_home.j = jsf`)).toThrow("cannot store a JS function in an external table");
  });

  it("reconnect _ENV to the loading state's globals instead of copying them", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    evalOk(
      a,
      `greeting = "old" _home.greet = function(who) return greeting .. " " .. who, type(print) end
      _home.setg = function(v) greeting = v end`,
    );
    expect(vals(a, `_home.setg("set") return greeting`)).toEqual(["set"]); // the same globals table
    const b = await reload(a, storage);
    expect(vals(b, `greeting = "hi" return _home.greet("ann")`)).toEqual(["hi ann", "function"]);
    expect(vals(b, `_home.setg("new") return greeting`)).toEqual(["new"]);
  });

  it("keep line information in errors raised by a stored function after a reload", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    evalOk(a, `_home.bad = function(x)\n  return x + 1\nend`);
    const b = await reload(a, storage);
    expect(vals(b, `return pcall(_home.bad, {})`)).toEqual([
      false,
      "input:2: attempt to perform arithmetic on a table value (local 'x')",
    ]);
  });

  it("save the upvalue a closure now holds, including a new table, and fail the save for a coroutine", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    evalOk(a, `local v = 1 _home.set = function(x) v = x end _home.get = function() return v end`);
    evalOk(a, `_home.set({list = {1, 2, 3}})`);
    const b = await reload(a, storage);
    expect(vals(b, `return #_home.get().list, _home.get().list[3]`)).toEqual([3, 3]);
    evalOk(b, `_home.set(coroutine.create(print))`);
    expect(await b.saveState()).toBe(false);
    expect(b.getLastError()).toBe("cannot save state: cannot store a thread in an external table");
  });

  it("survive whole-state snapshots with loaded closures and their shared upvalues", async () => {
    const a = await engine();
    evalOk(
      a,
      `local n = 0 _home.inc = function() n = n + 1 return n end _home.get = function() return n end _home.inc()`,
    );
    const snap = a.snapshot();
    expect(snap).not.toBeNull();
    const b = await engine();
    expect(b.restore(snap!)).toBe(true);
    expect(vals(b, `return _home.inc(), _home.get(), _home.inc == _home.inc`)).toEqual([2, 2, true]);
  });

  it("still load format version 1 images", async () => {
    // a version 1 image: _home = { a = 1 } (u32 ntables, u32 id 0, u32 count, key "a", integer 1)
    const payload = new Uint8Array([
      1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 1, 0, 0, 0, 0x61, 3, 1, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const image = new Uint8Array(12 + payload.length);
    image.set([0x4c, 0x57, 0x50, 0x48, 1, 0, 0, 0]);
    new DataView(image.buffer).setUint32(8, crc32(payload), true);
    image.set(payload, 12);
    const storage = new MemoryStorage();
    await storage.save(image);
    const b = await engine(storage);
    expect(await b.loadState()).toBe(true);
    expect(vals(b, `return _home.a`)).toEqual([1]);
  });

  it("turn a corrupted stored function into a clear Lua error, never a trap", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    evalOk(a, `local k = 5 _home.f = function(x) return x + k end`);
    expect(await a.saveState()).toBe(true);
    const good = (await storage.load())!;
    const at = good.findIndex(
      (_, i) => good[i] === 0x1b && good[i + 1] === 0x4c && good[i + 2] === 0x75 && good[i + 3] === 0x61,
    );
    expect(at).toBeGreaterThan(12);
    const len = new DataView(good.buffer, good.byteOffset).getUint32(at - 4, true); // the chunk's u32 length prefix
    const resealed = (img: Uint8Array): Uint8Array => {
      new DataView(img.buffer, img.byteOffset).setUint32(8, crc32(img.subarray(12)), true);
      return img;
    };
    // a version byte from another Lua
    const bad = good.slice();
    bad[at + 4] = 0x53;
    await storage.save(resealed(bad));
    const b = await engine(storage);
    expect(await b.loadState()).toBe(true);
    expect(err(b, `return _home.f(1)`)).toBe("input:1: stored function: bad binary format (version mismatch)");
    expect(vals(b, `return pcall(function() return _home.f end)`)).toEqual([
      false,
      "input:1: stored function: bad binary format (version mismatch)",
    ]);
    // random bytes over the body: each read is an error or a working function, and the engine lives on
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let trial = 0; trial < 40; trial++) {
      const img = good.slice();
      for (let j = 0; j < 3; j++) img[at + 33 + (rnd() % (len - 33))] = rnd() & 0xff; // inside the chunk
      await storage.save(resealed(img));
      const c = await engine(storage, 1e6); // a verified but scrambled body may loop
      expect(await c.loadState()).toBe(true);
      const r = c.eval(`local ok, f = pcall(function() return _home.f end) if ok then pcall(f, 1) end return ok`);
      if (r === null) expect(c.getLastError()).not.toMatch(/internal error/);
      expect(vals(c, `return 1 + 1`)).toEqual([2]);
    }
  });
});
