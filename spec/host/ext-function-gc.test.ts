// ext-function-gc.test.ts - stored functions are collected like tables: a record and its upvalue cells
// go once neither an external table nor a closure Lua holds reaches them, on both sides (the host's
// records and cells, the module's registry entries and cell holders), while every cell a reachable
// record refers to keeps its newest value (a live cell outlives the loaded closure that changed it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LuaPersistent, MemoryStorage } from "../../host/index.js";
import { evalOk } from "./helpers.js";

async function engine(storage = new MemoryStorage()): Promise<LuaPersistent> {
  const lua = new LuaPersistent({ storage });
  await lua.load();
  if (!lua.init()) throw new Error(lua.getLastError()!);
  return lua;
}
const vals = (lua: LuaPersistent, code: string) => evalOk(lua, code).values;

/** Lua heap bytes, host store bytes and stored-function records after a full collection of both sides. */
function settled(lua: LuaPersistent): { heap: number; host: number; records: number } {
  lua.gc();
  const m = lua.getMemoryStats();
  return { heap: m.lua_memory_used, host: m.host_bytes, records: lua.getTableInfo().functions };
}

describe("collection of stored functions", () => {
  it("keeps memory flat when a new closure is stored over the old one again and again", async () => {
    const lua = await engine();
    const loop = `for i = 1, 5000 do
      local c = i
      _home.f = function() return c end            -- a new record and a new cell each time
      _home.g = function() return i * 2 end        -- shares _ENV's cell with every earlier one
    end
    return _home.f(), _home.g()`;
    for (let round = 0; round < 2; round++) expect(vals(lua, loop)).toEqual([5000, 10000]); // tables reach their size
    const warm = settled(lua);
    for (let round = 0; round < 5; round++) {
      expect(vals(lua, loop)).toEqual([5000, 10000]);
      const now = settled(lua);
      expect(now.records).toBe(2);
      expect(now.host).toBeLessThanOrEqual(warm.host);
      // each round stores 10,000 closures (~0.5 MB if kept); the registry tables' node parts may
      // still differ by one doubling between rounds (at most 64 KiB here)
      expect(now.heap - warm.heap).toBeLessThan(100 * 1024);
    }
  });

  it("gives a closure loaded later the newest value of a cell whose loaded closure was collected", async () => {
    const lua = await engine();
    vals(
      lua,
      `local n = 0
      _home.inc = function() n = n + 1 return n end
      _home.get = function() return n end`,
    );
    // load inc, move its cell to 2, drop it: the cell lives on in the module, not in the host yet
    vals(lua, `local inc = _home.inc; inc(); inc()`);
    vals(lua, `for i = 1, 3000 do _home.tmp = function() return i end end`); // garbage to collect
    settled(lua);
    expect(vals(lua, `return _home.get(), _home.inc(), _home.get()`)).toEqual([2, 3, 3]);
  });

  it("saves the newest value of a cell whose loaded closures were all collected", async () => {
    const storage = new MemoryStorage();
    const a = await engine(storage);
    vals(
      a,
      `local n = 10
      _home.inc = function() n = n + 1 return n end`,
    );
    vals(a, `local f = _home.inc; f(); f()`);
    settled(a);
    expect(await a.saveState()).toBe(true);
    const b = await engine(storage);
    expect(await b.loadState()).toBe(true);
    expect(vals(b, `return _home.inc()`)).toEqual([13]);
  });

  it("keeps the record of a closure Lua still holds after _home lets go of it, so it can be stored again", async () => {
    const lua = await engine();
    vals(
      lua,
      `local n = 5
      _home.f = function() n = n + 1 return n end
      keep = _home.f
      _home.f = nil`,
    );
    settled(lua);
    expect(lua.getTableInfo().functions).toBe(1);
    expect(vals(lua, `_home.g = keep; return keep(), _home.g(), _home.g == keep`)).toEqual([6, 7, true]);
  });

  it("drops the record once the last closure holding it is gone", async () => {
    const lua = await engine();
    vals(lua, `_home.f = function() return 1 end; keep = _home.f; _home.f = nil`);
    expect(settled(lua).records).toBe(1);
    vals(lua, `keep = nil`);
    expect(settled(lua).records).toBe(0);
  });

  it("after a snapshot is restored, still holds the records of closures the restored state holds", async () => {
    const a = await engine();
    vals(
      a,
      `local n = 0
      _home.inc = function() n = n + 1 return n end
      keep = _home.inc
      _home.inc = nil
      keep()`,
    );
    const snap = a.snapshot()!;
    const b = await engine();
    expect(b.restore(snap)).toBe(true);
    expect(settled(b).records).toBe(1);
    expect(vals(b, `_home.again = keep; return keep(), _home.again()`)).toEqual([2, 3]);
  });

  it("collects through the strong registry tables of a v0.1.0 snapshot once restored", async () => {
    const lua = await engine();
    const fixture = new URL("../fixtures/formats/snapshot-v0.1.0.bin", import.meta.url);
    expect(lua.restore(new Uint8Array(readFileSync(fixture)))).toBe(true);
    const loop = `for i = 1, 3000 do local c = i; _home.t = function() return c end end return _home.t()`;
    for (let round = 0; round < 2; round++) expect(vals(lua, loop)).toEqual([3000]); // tables reach their size
    const warm = settled(lua);
    for (let round = 0; round < 4; round++) {
      expect(vals(lua, loop)).toEqual([3000]);
      const now = settled(lua);
      expect(now.records).toBe(warm.records);
      expect(now.heap - warm.heap).toBeLessThan(100 * 1024);
    }
    expect(vals(lua, `return _home.counter(), _home.peek()`)).toEqual([1, 1]); // the fixture's own functions
  });
});
