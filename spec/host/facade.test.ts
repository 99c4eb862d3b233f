// facade.test.ts - the one façade (issue #11): Lua has everything LuaPersistent has (persistence,
// autosave, _io, table info) with exceptions instead of null/false, LuaPersistent stays the seed's API
// over it, options are checked before anything is instantiated, a reset after a trap sets the fresh
// state up as the first one (the sandbox is never lost), and host/index.ts exports only the public API.
import { describe, expect, it } from "vitest";
import * as api from "../../host/index.js";
import { CountingStorage } from "./helpers.js";
import {
  CorruptStateError,
  Lua,
  LuaError,
  LuaPersistent,
  MemoryStorage,
  type StorageAdapter,
} from "../../host/index.js";

const quiet = { stdout: () => {}, stderr: () => {} };

/** Makes the module's next eval trap, as an interpreter bug would (as state-safety.test.ts does). */
function injectTrap(target: Lua | LuaPersistent): void {
  const rt = (target as unknown as { runtime: { wasm: { exports: Record<string, unknown> } } }).runtime;
  const w = rt.wasm;
  w.exports = {
    ...w.exports,
    lua_eval_args: () => {
      throw new WebAssembly.RuntimeError("unreachable");
    },
  };
}

describe("Lua has persistence", () => {
  it("saves _home, loads it into a fresh Lua and forgets it", async () => {
    const storage = new MemoryStorage();
    const a = await Lua.create({ ...quiet, storage });
    a.run("_home.player = { name = 'ada', level = 3 } _home.list = {1, 2, 3}");
    await a.saveState();
    a.close();
    const b = await Lua.create({ ...quiet, storage });
    expect(await b.loadState()).toBe(true);
    expect(b.run("return _home.player.name, _home.player.level, #_home.list")).toEqual(["ada", 3, 3]);
    await b.clearPersistedState();
    expect(await b.loadState()).toBe(false); // nothing saved: false, no error
    expect(b.run("return _home.player.name")).toEqual(["ada"]); // the live _home is not touched
    b.close();
  });

  it("throws a LuaError naming the storage failure, the previous save intact", async () => {
    const storage = new CountingStorage();
    const lua = await Lua.create({ ...quiet, storage });
    lua.run("_home.v = 1");
    await lua.saveState();
    lua.run("_home.v = 2");
    storage.failing = true;
    const err = await lua.saveState().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LuaError);
    expect((err as LuaError).message).toBe("cannot save state: disk full");
    expect(((err as LuaError).cause as Error).message).toBe("disk full");
    lua.run("_home.v = 3");
    expect(await lua.loadState()).toBe(true);
    expect(lua.run("return _home.v")).toEqual([1]);
    lua.close();
  });

  it("throws for a corrupt image with the CorruptStateError as its cause, _home unchanged", async () => {
    const storage: StorageAdapter = {
      load: async () => new Uint8Array([1, 2, 3]),
      save: async () => {},
      clear: async () => {},
    };
    const lua = await Lua.create({ ...quiet, storage });
    lua.run("_home.keep = 'yes'");
    const err = (await lua.loadState().then(
      () => null,
      (e: unknown) => e,
    )) as LuaError;
    expect(err).toBeInstanceOf(LuaError);
    expect(err.message).toBe("cannot load state: persisted state is not a Lua WASM Persistent image");
    expect(err.cause).toBeInstanceOf(CorruptStateError);
    expect(lua.run("return _home.keep")).toEqual(["yes"]);
    lua.close();
  });

  it('autosaves after every successful run and call in "eval" mode, not after a failed one', async () => {
    const storage = new CountingStorage();
    const lua = await Lua.create({ ...quiet, storage, autosave: "eval" });
    lua.run("_home.n = 1 function bump() _home.n = _home.n + 1 end");
    lua.call("bump");
    const [bump] = lua.run("return bump");
    (bump as () => void)();
    expect(() => lua.run("error('no')")).toThrow("input:1: no");
    expect(await lua.flush()).toBe(true);
    expect(storage.saves).toBe(4); // run, call, run, the wrapper's call
    const fresh = await Lua.create({ ...quiet, storage });
    await fresh.loadState();
    expect(fresh.run("return _home.n")).toEqual([3]);
    fresh.close();
    lua.close();
  });

  it("reports a failed autosave to onAutosaveError and getLastAutosaveError", async () => {
    const storage = new CountingStorage();
    const seen: Error[] = [];
    const lua = await Lua.create({ ...quiet, storage, autosave: "eval", onAutosaveError: (e) => seen.push(e) });
    storage.failing = true;
    lua.run("_home.x = 1");
    expect(await lua.flush()).toBe(false);
    expect(seen.map((e) => e.message)).toEqual(["autosave failed: disk full"]);
    expect(lua.getLastAutosaveError()?.message).toBe("autosave failed: disk full");
    lua.close();
  });

  it("exchanges values through _io and counts external tables", async () => {
    const lua = await Lua.create(quiet);
    lua.setInput({ items: [1, 2, 3] });
    lua.setMetadata("m");
    lua.run("_io.output = { sum = _io.input.items[1] + _io.input.items[3], meta = _io.meta }");
    expect(lua.getOutput()).toEqual({ sum: 4, meta: "m" });
    expect(lua.tableInfo()).toMatchObject({ io: 3, home: 0 });
    lua.clearIo();
    expect(lua.getOutput()).toBeNull();
    expect(lua.tableInfo().io).toBe(0);
    lua.close();
  });

  it("refuses persistence calls after close with the closed-state error", async () => {
    const lua = await Lua.create(quiet);
    lua.close();
    await expect(lua.saveState()).rejects.toThrow("Lua state is closed");
    await expect(lua.loadState()).rejects.toThrow("Lua state is closed");
    expect(() => lua.setInput(1)).toThrow("Lua state is closed");
  });
});

describe("LuaPersistent over Lua", () => {
  it("keeps its default MemoryStorage, external tables and autosave queue across a second load()", async () => {
    const lua = new LuaPersistent({ autosave: "eval" });
    await lua.load();
    lua.init();
    lua.eval("_home.v = 'first'");
    expect(await lua.saveState()).toBe(true);
    await lua.load(); // a new instance over the same host side
    lua.init();
    expect(lua.eval("return _home.v")?.value).toBe("first");
    lua.eval("_home.v = 'second'"); // autosaved to the same storage
    expect(await lua.flush()).toBe(true);
    lua.eval("_home.v = 'live'");
    expect(await lua.loadState()).toBe(true);
    expect(lua.eval("return _home.v")?.value).toBe("second");
    lua.close();
  });

  it("answers a persistence call queued past close() with false, never a rejection", async () => {
    const lua = new LuaPersistent({ autosave: { debounceMs: 1000 } });
    await lua.load();
    lua.init();
    lua.eval("_home.x = 1");
    const queued = Promise.resolve().then(() => lua.saveState());
    lua.close(); // takes the debounced save now
    expect(await queued).toBe(false);
    expect(lua.getLastError()).toBe("cannot save state: LuaPersistent: the state is closed");
    expect(await lua.loadState()).toBe(false);
    expect(await lua.flush()).toBe(true); // the debounced save was written
    expect(() => lua.eval("return 1")).toThrow("LuaPersistent: the state is closed");
  });

  it("still answers the deprecated collectGarbage() as gc()", async () => {
    const lua = new LuaPersistent();
    await lua.load();
    lua.init();
    lua.eval("collected = 0 setmetatable({}, { __gc = function() collected = collected + 1 end })");
    lua.collectGarbage();
    lua.gc();
    expect(lua.eval("return collected")?.value).toBe(1);
    lua.close();
  });

  it("is sandboxed even when eval comes before init()", async () => {
    const lua = new LuaPersistent({ sandbox: true });
    await lua.load();
    // `require` stays under the sandbox for the built-in modules (require "bigint"); dofile goes
    expect(lua.eval("return debug, io.open, dofile")?.values).toEqual([null, null, null]);
    lua.close();
  });
});

describe("options are checked before anything is instantiated", () => {
  it("rejects a negative budget or a fractional seed with a RangeError", async () => {
    await expect(Lua.create({ instructionLimit: -1 })).rejects.toThrow(
      "instructionLimit must be a non-negative number, got -1",
    );
    await expect(Lua.create({ timeoutMs: NaN })).rejects.toThrow(RangeError);
    await expect(Lua.create({ randomSeed: 1.5 })).rejects.toThrow("randomSeed must be an integer, got 1.5");
    await expect(new LuaPersistent({ memoryLimit: -5 }).load()).rejects.toThrow(
      "memoryLimit must be a positive number of bytes, got -5",
    );
  });
});

describe("a reset after a trap sets the fresh state up as the first", () => {
  it("keeps the sandbox, the budget and the seed", async () => {
    const L = await Lua.create({ ...quiet, sandbox: true, instructionLimit: 100_000, randomSeed: 42 });
    const first = L.run("return math.random(1, 1000000)");
    injectTrap(L);
    expect(() => L.run("return 1")).toThrow("(the Lua state was reset)");
    expect(L.run("return debug, io.open, os.execute, dofile")).toEqual([null, null, null, null]);
    expect(() => L.run("while true do end")).toThrow("instruction limit exceeded");
    expect(L.run("return math.random(1, 1000000)")).toEqual(first);
    L.close();
  });

  it("keeps the sandbox of a LuaPersistent", async () => {
    const lua = new LuaPersistent({ sandbox: true });
    await lua.load();
    lua.init();
    injectTrap(lua);
    expect(lua.eval("return 1")).toBeNull();
    expect(lua.getLastLuaError()?.stateReset).toBe(true);
    expect(lua.eval("return debug, io.open")?.values).toEqual([null, null]);
    lua.close();
  });
});

describe("host/index.ts", () => {
  it("exports the public API and no internals", () => {
    expect(Object.keys(api).sort()).toEqual([
      "CorruptStateError",
      "DEFAULT_MEMORY_LIMIT",
      "ERRNO",
      "FileStorage",
      "FsError",
      "IndexedDBStorage",
      "Lua",
      "LuaBigInt",
      "LuaCopy",
      "LuaError",
      "LuaFloat",
      "LuaMulti",
      "LuaOpaque",
      "LuaPersistent",
      "LuaTableRef",
      "MemoryFileSystem",
      "MemoryStorage",
      "SnapshotError",
      "Status",
      "compileLua",
      "copy",
      "isLuaFunction",
    ]);
  });

  it("passes an integral float as a Lua float with LuaFloat", async () => {
    const L = await Lua.create(quiet);
    L.global.set("f", new api.LuaFloat(1));
    L.global.set("i", 1);
    expect(L.run("return math.type(f), math.type(i), tostring(f)")).toEqual(["float", "integer", "1.0"]);
    L.close();
  });

  it("compiles the module once for several states with compileLua", async () => {
    const module = await api.compileLua();
    const a = await Lua.create({ ...quiet, wasm: module }),
      b = await Lua.create({ ...quiet, wasm: module });
    a.run("x = 1");
    expect(b.run("return x")).toEqual([null]);
    a.close();
    b.close();
  });
});
