// memory.test.ts - the memory limit (option memoryLimit, Lua error "not enough memory", state usable
// afterwards) and the memory statistics (getMemoryStats / collectgarbage("count") match the bytes
// really held; no growth over many evals), against the built module (build/lua.wasm).
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MEMORY_LIMIT, Lua, LuaError, LuaPersistent } from "../../host/index.js";

const MiB = 1024 * 1024;
const LIMIT = 16 * MiB;

/** Runs code that must fail at the top level; returns the LuaError. */
function failure(lua: Lua, code: string): LuaError {
  try {
    lua.run(code);
  } catch (e) {
    if (e instanceof LuaError) return e;
    throw e;
  }
  throw new Error(`expected an error from: ${code}`);
}

/** Bytes held after a full collection. */
function heldAfterGC(lua: Lua): number {
  lua.collectGarbage();
  return lua.memoryStats().lua_memory_used;
}

describe("memory limit", () => {
  let lua: Lua;
  let baseline: number;
  beforeAll(async () => {
    lua = await Lua.create({ memoryLimit: LIMIT, stdout: () => {} });
    baseline = heldAfterGC(lua);
  });

  /** After any bomb: the state still works and memory is back near where it started. */
  function expectRecovered(): void {
    expect(lua.run("local t = {} for i = 1, 1000 do t[i] = {i} end return #t, t[1000][1]")).toEqual([1000, 1000]);
    expect(heldAfterGC(lua)).toBeLessThan(baseline + 256 * 1024);
  }

  it("reports the limit in effect in the memory statistics", () => {
    expect(lua.memoryStats().memory_limit).toBe(LIMIT);
  });

  const bombs: Array<[string, string, string]> = [
    ["string.rep of 2^40 bytes", `return pcall(string.rep, "x", 2^40)`, "resulting string too large"],
    ["string.rep past the limit", `return pcall(string.rep, "x", 2^30)`, "not enough memory"],
    [
      "an ever-growing array of tables",
      `local t = {} return pcall(function() while true do t[#t+1] = {} end end)`,
      "not enough memory",
    ],
    [
      "table.insert without end",
      `local t = {} return pcall(function() while true do table.insert(t, {}) end end)`,
      "not enough memory",
    ],
    [
      "an ever-growing hash part",
      `local t = {} return pcall(function() local i = 0 while true do i = i + 1 t["k"..i] = i end end)`,
      "not enough memory",
    ],
    [
      "doubling a string",
      `return pcall(function() local s = "x" while true do s = s .. s end end)`,
      "not enough memory",
    ],
    ["a huge table constructor", `return pcall(load("return {" .. ("1,"):rep(2^20) .. "}"))`, "not enough memory"],
    [
      "table.concat of a huge table",
      `local s = ("x"):rep(2^20) local t = {} for i = 1, 64 do t[i] = s end return pcall(table.concat, t)`,
      "not enough memory",
    ],
    [
      "string.format past the limit",
      `local s = ("x"):rep(6 * 2^20) return pcall(string.format, "%s%s", s, s)`,
      "not enough memory",
    ],
    [
      "gsub with a long replacement",
      `return pcall(string.gsub, ("x"):rep(2^20), "x", ("y"):rep(100))`,
      "not enough memory",
    ],
    [
      "an ever-growing list of closures",
      `local t = {} return pcall(function() while true do local n = #t t[n+1] = function() return n end end end)`,
      "not enough memory",
    ],
    [
      "an ever-growing list of coroutines",
      `local t = {} return pcall(function() while true do t[#t+1] = coroutine.create(print) end end)`,
      "not enough memory",
    ],
  ];
  for (const [name, code, message] of bombs) {
    it(`ends ${name} with a catchable "${message}" and stays usable`, () => {
      expect(lua.run(code)).toEqual([false, message]);
      expectRecovered();
    });
  }

  it("ends deep recursion with a catchable stack overflow, and gives the stack back", () => {
    expect(lua.run("local function f() return 1 + f() end return pcall(f)")).toEqual([
      false,
      "input:1: stack overflow",
    ]);
    expectRecovered();
  });

  it("raises an uncaught memory error as a LuaError of kind memory (status 4)", () => {
    const e = failure(lua, "local t = {} while true do t[#t+1] = {} end");
    expect(e.message).toBe("not enough memory");
    expect(e.kind).toBe("memory");
    expect(e.status).toBe(4);
    expectRecovered();
  });

  it("does not run an xpcall message handler for a memory error, as lua5.4", () => {
    expect(lua.run(`return xpcall(string.rep, function(m) return "handled: " .. m end, "x", 2^30)`)).toEqual([
      false,
      "not enough memory",
    ]);
    expect(lua.run(`return xpcall(error, function(m) return "handled: " .. m end, "boom", 0)`)).toEqual([
      false,
      "handled: boom",
    ]);
  });

  it("keeps ordinary errors ordinary after a memory error", () => {
    lua.run(`pcall(string.rep, "x", 2^30)`);
    const e = failure(lua, "error('boom')");
    expect(e.message).toBe("input:1: boom");
    expect(e.kind).toBe("runtime");
  });

  it("keeps globals that were set before the memory error", () => {
    lua.run("keep = {1, 2, 3}");
    failure(lua, "local s = 'x' while true do s = s .. s end");
    expect(lua.run("return #keep, keep[3]")).toEqual([3, 3]);
  });
});

describe("memory limit option", () => {
  it("defaults to DEFAULT_MEMORY_LIMIT (256 MiB)", async () => {
    const lua = await Lua.create({ stdout: () => {} });
    expect(DEFAULT_MEMORY_LIMIT).toBe(256 * MiB);
    expect(lua.memoryStats().memory_limit).toBe(DEFAULT_MEMORY_LIMIT);
    lua.close();
  });

  it("treats 0 and Infinity as the module's ceiling", async () => {
    for (const memoryLimit of [0, Infinity]) {
      const lua = await Lua.create({ memoryLimit, stdout: () => {} });
      expect(lua.memoryStats().memory_limit).toBe(1.5 * 1024 * MiB);
      lua.close();
    }
  });

  it("rejects a negative or NaN limit", async () => {
    await expect(Lua.create({ memoryLimit: -1 })).rejects.toThrow(RangeError);
    await expect(Lua.create({ memoryLimit: NaN })).rejects.toThrow(RangeError);
  });

  it("applies to LuaPersistent: eval returns null and the error has kind memory", async () => {
    const lua = new LuaPersistent({ memoryLimit: 8 * MiB });
    await lua.load();
    expect(lua.init()).toBe(true);
    expect(lua.eval("local s = ('x'):rep(2^20) local t = {} for i = 1, 16 do t[i] = s .. i end")).toBeNull();
    expect(lua.getLastError()).toBe("not enough memory");
    expect(lua.getLastLuaError()?.kind).toBe("memory");
    expect(lua.eval("return 1 + 1")?.value).toBe(2);
    expect(lua.getMemoryStats().memory_limit).toBe(8 * MiB);
    lua.close();
  });

  it("survives re-initialisation with the same limit", async () => {
    const lua = new LuaPersistent({ memoryLimit: 8 * MiB });
    await lua.load();
    lua.init();
    lua.init();
    expect(lua.getMemoryStats().memory_limit).toBe(8 * MiB);
    expect(lua.eval("return pcall(string.rep, 'x', 2^24)")?.values).toEqual([false, "not enough memory"]);
    lua.close();
  });
});

describe("memory statistics", () => {
  let lua: Lua;
  beforeAll(async () => {
    lua = await Lua.create({ stdout: () => {} });
  });

  it("agree with collectgarbage('count') to the byte at the same moment", () => {
    lua.collectGarbage();
    const [count] = lua.run(`return collectgarbage("count") * 1024`) as number[];
    const used = lua.memoryStats().lua_memory_used;
    expect(Math.abs(used - count)).toBeLessThan(4096); // only this eval's own chunk in between
  });

  it("count a 1 MB string as 1 MB", () => {
    const before = heldAfterGC(lua);
    lua.run(`big = string.rep("x", 1000000)`);
    const held = heldAfterGC(lua) - before;
    expect(held).toBeGreaterThanOrEqual(1000000);
    expect(held).toBeLessThan(1000000 + 1024);
    lua.run("big = nil");
    expect(heldAfterGC(lua)).toBeLessThan(before + 1024);
  });

  it("count a table with 100000 array slots as its array part", () => {
    // build it through a call, so no new chunk (the engine caches small compiled chunks) is counted
    lua.run(`function mkarr(n) arr = {} for i = 1, n do arr[i] = true end end`);
    const before = heldAfterGC(lua);
    lua.call("mkarr", 100000);
    const held = heldAfterGC(lua) - before;
    const array = 131072 * 16; // the array part grows by doubling to 2^17 slots
    expect(held).toBeGreaterThanOrEqual(array);
    expect(held).toBeLessThan(array + 1024);
    const [count] = lua.run(`return collectgarbage("count")`) as number[];
    expect(Math.abs(count * 1024 - lua.memoryStats().lua_memory_used)).toBeLessThan(4096);
    lua.global.set("arr", null);
    expect(heldAfterGC(lua)).toBeLessThan(before + 1024);
  });

  it("stay flat over 100000 evals that build and drop tables", () => {
    lua.run("acc = 0");
    const before = heldAfterGC(lua);
    const pagesBefore = lua.memoryStats().wasm_pages;
    for (let i = 0; i < 100000; i++) lua.run("local t = {} for i = 1, 8 do t[i] = {i} end acc = acc + #t");
    expect(lua.run("return acc")).toEqual([800000]);
    const after = heldAfterGC(lua);
    expect(Math.abs(after - before)).toBeLessThan(4096);
    expect(lua.memoryStats().wasm_pages).toBeLessThanOrEqual(pagesBefore + 16);
  }, 30_000);
});
