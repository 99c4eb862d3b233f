// ext-memory.test.ts - external tables count against memoryLimit (issue #10 item 6): the host's
// estimate of what they hold (host/ext/values.ts "Host bytes") plus the Lua heap stays under the
// limit, a write past it is the catchable Lua error "not enough memory" that stores nothing, the JS
// heap stays bounded, deletes and collections give the bytes back, and host-side writes are atomic.
import { describe, expect, it } from "vitest";
import { LuaPersistent, MemoryStorage } from "../../host/index.js";
import {
  BOX_BYTES,
  CELL_BYTES,
  ENTRY_BYTES,
  HOME_ID,
  HostMemoryError,
  IO_ID,
  RECORD_BYTES,
  STRING_BYTES,
  TABLE_BYTES,
} from "../../host/ext/values.js";
import { ExtTableStore } from "../../host/ext/store.js";
import type { HostSide } from "../../host/ext/imports.js";
import { evalOk } from "./helpers.js";

const MiB = 1024 * 1024;

async function engine(memoryLimit?: number): Promise<LuaPersistent> {
  const lua = new LuaPersistent(memoryLimit === undefined ? {} : { memoryLimit });
  await lua.load();
  if (!lua.init()) throw new Error(`init failed: ${lua.getLastError()}`);
  return lua;
}

/** The engine's HostSide (internal: getMemoryStats().host_bytes will report hostBytes). */
function host(lua: LuaPersistent): HostSide {
  return (lua as unknown as { runtime: { host: HostSide } }).runtime.host;
}

const vals = (lua: LuaPersistent, code: string) => evalOk(lua, code).values;

describe("external tables under memoryLimit", () => {
  it("stop the issue's 1.5 GB loop quickly with 'not enough memory' and keep the JS heap bounded", async () => {
    const lua = await engine(8 * MiB);
    const t0 = Date.now();
    expect(lua.eval("local t = ext.table() local s = ('x'):rep(1e6) for i = 1, 1500 do t[i] = s .. i end")).toBeNull();
    expect(lua.getLastError()).toBe("not enough memory");
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(process.memoryUsage().heapUsed).toBeLessThan(100 * MiB + 1);
    expect(host(lua).hostBytes).toBeLessThanOrEqual(8 * MiB);
    expect(vals(lua, "return 1 + 1")).toEqual([2]); // the state stays usable
  });

  it("raise an error pcall catches, store nothing for the refused write, and keep the state", async () => {
    const lua = await engine(8 * MiB);
    evalOk(lua, "keep = 'kept' T = ext.table()");
    expect(
      vals(
        lua,
        `local s = ('x'):rep(1e6) local n = 0
      local ok, err = pcall(function() for i = 1, 100 do T[i] = s .. i n = i end end)
      return ok, err, ext.size(T) == n, T[n + 1] == nil, n > 0 and n < 8`,
      ),
    ).toEqual([false, "not enough memory", true, true, true]);
    expect(vals(lua, "return keep, type(_io), #T > 0")).toEqual(["kept", "table", true]);
  });

  it("give the bytes back on delete, so writes succeed again", async () => {
    const lua = await engine(8 * MiB);
    evalOk(lua, "T = ext.table() S = ('y'):rep(5e5)");
    const [ok, err, n] = vals(
      lua,
      `local n = 0
      local ok, err = pcall(function() for i = 1, 100 do T[i] = S .. i n = i end end) return ok, err, n`,
    );
    expect([ok, err]).toEqual([false, "not enough memory"]);
    const full = host(lua).hostBytes;
    const again = "return pcall(function() T.again = S .. 'again' end)";
    expect(vals(lua, again)).toEqual([false, "not enough memory"]); // still full
    evalOk(lua, "for k in pairs(T) do T[k] = nil end");
    expect(host(lua).hostBytes).toBeLessThan(full - (n as number) * 5e5 + 1);
    expect(vals(lua, again)).toEqual([true]);
    expect(vals(lua, "return #T.again, ext.size(T)")).toEqual([5e5 + 5, 1]);
  });

  it("keep the count flat over set/delete loops (keys and values of every kind)", async () => {
    const lua = await engine();
    const before = host(lua).hostBytes;
    for (let r = 0; r < 3; r++) {
      evalOk(
        lua,
        `local t = _io for i = 1, 2000 do
        t[i] = i t["k" .. i] = ("v"):rep(i % 300) t[i + 0.5] = i * 1.5 t[i % 2 == 0] = "b" t[2^60 + i] = 1.0 end
        for i = 1, 2000 do t[i] = nil t["k" .. i] = nil t[i + 0.5] = nil t[true] = nil t[false] = nil t[2^60 + i] = nil end`,
      );
      expect(host(lua).hostBytes).toBe(before);
      expect(host(lua).store.recount()).toBe(before);
    }
    evalOk(lua, "for i = 1, 1000 do _io.x = ('z'):rep(i) end _io.x = nil");
    expect(host(lua).hostBytes).toBe(before);
  });

  it("count an entry as the estimate says: ENTRY_BYTES plus the UTF-8 bytes of its strings", async () => {
    const lua = await engine();
    const h = host(lua);
    const b0 = h.hostBytes;
    evalOk(lua, "_io.key = 'h\u00e9llo'"); // 3 + 6 bytes of UTF-8
    expect(h.hostBytes - b0).toBe(ENTRY_BYTES + STRING_BYTES + 3 + STRING_BYTES + 6);
    evalOk(lua, "_io.key = nil local t = ext.table()");
    expect(h.hostBytes - b0).toBe(TABLE_BYTES);
  });

  it("count the Lua heap and the host bytes together: Lua allocations fail while external tables hold the room", async () => {
    const lua = await engine(8 * MiB);
    lua.setInput("w".repeat(6 * MiB));
    expect(lua.eval("local s = ('x'):rep(3e6) return #s")).toBeNull();
    expect(lua.getLastError()).toBe("not enough memory");
    lua.clearIo();
    expect(vals(lua, "local s = ('x'):rep(3e6) return #s")).toEqual([3e6]);
  });

  it("refuse a Lua table copy past the limit as a whole: no new table is left behind", async () => {
    const lua = await engine(8 * MiB);
    const tables = lua.getTableInfo().tables;
    const bytes = host(lua).hostBytes;
    expect(
      vals(
        lua,
        `local big = {} for i = 1, 10 do big[i] = {data = ('d'):rep(5e5) .. i} end
      return pcall(function() _io.big = big end)`,
      ),
    ).toEqual([false, "not enough memory"]);
    expect(lua.getTableInfo().tables).toBe(tables);
    expect(host(lua).hostBytes).toBe(bytes);
    expect(vals(lua, "return _io.big")).toEqual([null]);
  });

  it("refuse ext.table() past the limit as any table allocation", async () => {
    const lua = await engine(4 * MiB);
    expect(
      vals(
        lua,
        `local keep, n = {}, 0
      local ok, err = pcall(function() for i = 1, 1e6 do keep[i] = ext.table() n = i end end)
      keep = nil collectgarbage()
      return ok, err, n > 1000, n < 1e6`,
      ),
    ).toEqual([false, "not enough memory", true, true]);
    expect(vals(lua, "local t = ext.table() t.x = 1 return t.x")).toEqual([1]); // dropped tables were collected
  });

  it("collect tables nothing refers to any more instead of failing (copies replaced in a loop)", async () => {
    const lua = await engine(8 * MiB);
    expect(vals(lua, "for i = 1, 30000 do _io.t = {i, ('x'):rep(200)} end return _io.t[1]")).toEqual([30000]);
    expect(vals(lua, "for i = 1, 30000 do local t = ext.table() t.v = ('y'):rep(100) end return 1")).toEqual([1]);
    expect(host(lua).hostBytes).toBeLessThanOrEqual(8 * MiB);
  });

  it("collect ext.table()s whose proxies died, however many are made between collections", async () => {
    const lua = await engine(8 * MiB);
    expect(vals(lua, "for i = 1, 1e5 do local t = ext.table() t.x = i end return 1")).toEqual([1]);
    expect(vals(lua, "for i = 1, 1e5 do local t = ext.table() t.x = i end return 2")).toEqual([2]);
  });

  it("never drop the table of a live proxy, even one made while the proxy cache cannot grow", async () => {
    const lua = await engine(2 * MiB);
    lua.eval("T = ext.table() _io.big = ('x'):rep(1.5e6)"); // refused; leaves the heap nearly full
    for (let r = 0; r < 10; r++) {
      const res = lua.eval(
        "for i = 1, 200 do local x = ext.table() x.v = i _io.last = {i, x} end return _io.last[2].v",
      );
      if (res === null)
        expect(lua.getLastError()).toBe("not enough memory"); // refused: fine; gone: not
      else expect(res.values).toEqual([200]);
    }
  });

  it("collect the host's garbage long before the limit: dropped tables do not pile up to memoryLimit", async () => {
    const lua = await engine(); // the 256 MiB default
    for (let r = 0; r < 400; r++) evalOk(lua, "local t = ext.table() for i = 1, 1000 do t[i] = i end");
    // 400 tables of ~100 KB were made (40 MB); the store asks for a collection each time it doubles
    expect(host(lua).hostBytes).toBeLessThan(20 * MiB);
    expect(lua.getTableInfo().tables).toBeLessThan(200);
  });

  it("keep tables a live proxy, _home or a stored function still reaches through a collection", async () => {
    const lua = await engine(8 * MiB);
    evalOk(
      lua,
      `held = ext.table() held.v = 'held' _home.sub = {v = 'home'}
      local up = {v = 'cell'} _home.f = function() return up.v end`,
    );
    evalOk(lua, "for i = 1, 30000 do _io.t = {('x'):rep(200)} end"); // forces collections
    expect(vals(lua, "return held.v, _home.sub.v, _home.f()")).toEqual(["held", "home", "cell"]);
  });

  it("do not walk the host store again for each refusal while nothing changed (a script retrying past the limit)", async () => {
    const lua = await engine(8 * MiB);
    evalOk(lua, "for i = 1, 15000 do _home[i] = {i} end");
    const t0 = performance.now();
    expect(
      vals(lua, "local f = 0 for i = 1, 3000 do if not pcall(string.rep, 'x', 5e6) then f = f + 1 end end return f"),
    ).toEqual([3000]);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(vals(lua, "return _home[15000][1]")).toEqual([15000]);
  });

  it("retry a refused write after collecting the garbage of the Lua heap", async () => {
    const lua = await engine(8 * MiB);
    expect(
      vals(
        lua,
        `collectgarbage('stop') local g = ('g'):rep(4e6) g = nil
      _io.s = ('s'):rep(3e6) collectgarbage('restart') return #_io.s`,
      ),
    ).toEqual([3e6]);
  });

  it("count stored functions: their record (chunk) and upvalue cells", async () => {
    const lua = await engine();
    const b0 = host(lua).hostBytes;
    evalOk(lua, "local n = 0 _io.f = function() n = n + 1 return n end");
    const store = host(lua).store;
    const [rec] = [...store.funcs.values()];
    // the entry "f" → ExtFunc, the record, and the cell of n (an integer)
    expect(host(lua).hostBytes - b0).toBe(
      ENTRY_BYTES + STRING_BYTES + 1 + BOX_BYTES + RECORD_BYTES + rec.chunk.byteLength + CELL_BYTES,
    );
  });
});

describe("host-side writes under memoryLimit", () => {
  it("setInput past the limit throws HostMemoryError and leaves _io as it was", async () => {
    const lua = await engine(8 * MiB);
    lua.setInput({ a: 1 });
    const tables = lua.getTableInfo().tables;
    expect(() => lua.setInput({ big: "x".repeat(9 * MiB) })).toThrow(HostMemoryError);
    expect(lua.getTableInfo().tables).toBe(tables);
    expect(vals(lua, "return _io.input.a")).toEqual([1]);
  });

  it("store.setJS is all or nothing, nested tables included", () => {
    const s = new ExtTableStore();
    s.room = () => 50_000;
    s.setJS(IO_ID, "ok", { list: [1, 2, 3] });
    const bytes = s.hostBytes,
      tables = s.info().tables;
    const big = { a: { b: Array.from({ length: 1000 }, (_, i) => ({ i })) } };
    expect(() => s.setJS(IO_ID, "ok", big)).toThrow(HostMemoryError);
    expect([s.hostBytes, s.info().tables]).toEqual([bytes, tables]);
    expect(s.toJS(s.get(IO_ID, "ok"))).toEqual({ list: [1, 2, 3] });
  });

  it("store.setJS collects unreachable tables (through the collector) before giving up", () => {
    const s = new ExtTableStore();
    s.room = () => 20_000;
    let calls = 0;
    s.collector = () => {
      calls++;
      s.collect([]);
    };
    for (let i = 0; i < 10; i++) s.setJS(IO_ID, "input", { list: Array.from({ length: 30 }, (_, j) => j + i) });
    expect(calls).toBeGreaterThan(0); // earlier inputs became garbage and were dropped
    expect(s.toJS(s.get(IO_ID, "input"))).toEqual({ list: Array.from({ length: 30 }, (_, j) => j + 9) });
    expect(s.recount()).toBe(s.hostBytes);
    expect(() => s.setJS(IO_ID, "input", { list: Array.from({ length: 300 }, (_, j) => j) })).toThrow(HostMemoryError);
  });

  it("atomic() undoes entries, deletes, clears, records and cells of existing tables", () => {
    const s = new ExtTableStore();
    s.set(HOME_ID, "a", 1);
    s.set(HOME_ID, "b", "two");
    const bytes = s.hostBytes;
    expect(() =>
      s.atomic(() => {
        s.set(HOME_ID, "a", 10);
        s.set(HOME_ID, "b", null);
        s.set(HOME_ID, "c", "new");
        s.clear(HOME_ID);
        s.set(HOME_ID, "d", s.fromJS({ x: [1] }));
        s.funcs.set(s.newId(0), { chunk: new Uint8Array(10), ups: [] });
        s.cells.set(s.newId(1), "cell");
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect([
      s.hostBytes,
      s.size(HOME_ID),
      s.get(HOME_ID, "a"),
      s.get(HOME_ID, "b"),
      s.funcs.size,
      s.cells.size,
    ]).toEqual([bytes, 2, 1, "two", 0, 0]);
  });

  it("loadState of an image past the limit fails and keeps _home intact", async () => {
    const storage = new MemoryStorage();
    const big = new LuaPersistent({ storage });
    await big.load();
    big.init();
    evalOk(big, "for i = 1, 12 do _home[i] = ('p'):rep(1e6) .. i end");
    expect(await big.saveState()).toBe(true);
    const small = new LuaPersistent({ storage, memoryLimit: 8 * MiB });
    await small.load();
    small.init();
    evalOk(small, "_home.mine = {v = 'intact'}");
    expect(await small.loadState()).toBe(false);
    expect(small.getLastError()).toMatch(/not enough memory/);
    expect(vals(small, "return _home.mine.v, _home[1]")).toEqual(["intact", null]);
  });

  it("restore near the limit never drops a table whose proxy is not rebuilt yet", async () => {
    const { Lua } = await import("../../host/index.js");
    const big = await Lua.create();
    big.run(`held = {} for i = 1, 40 do local t = ext.table() t.v = ('x'):rep(50000) .. i held[i] = t end
      big = {} for i = 1, 40 do big[i] = ('y'):rep(100000) .. i end`);
    const snap = big.snapshot();
    for (const mib of [5.5, 5.5625, 5.625, 5.6875, 5.75]) {
      // host collections run during the restore here
      const small = await Lua.create({ memoryLimit: mib * MiB });
      try {
        small.restore(snap);
      } catch {
        continue;
      } // refused as a whole: fine
      expect(
        small.run("local n = 0 for i = 1, 40 do if #held[i].v == 50000 + #tostring(i) then n = n + 1 end end return n"),
      ).toEqual([40]);
    }
  });

  it("restore of a snapshot past the limit fails with the current state untouched", async () => {
    const { Lua } = await import("../../host/index.js");
    const big = await Lua.create();
    big.run("for i = 1, 12 do _home[i] = ('p'):rep(1e6) .. i end");
    const snap = big.snapshot();
    const small = await Lua.create({ memoryLimit: 8 * MiB });
    small.run("x = 'untouched'");
    expect(() => small.restore(snap)).toThrow(/not enough memory/);
    expect(small.run("return x")).toEqual(["untouched"]);
  });
});
