// budgets.test.ts - instructionLimit and timeoutMs: runaway code stops with a "limit" LuaError that
// pcall inside the script cannot swallow, library work (patterns, sort) counts, and the state stays
// usable with the full budget for the next call.
import { afterEach, describe, expect, it } from "vitest";
import { Lua, LuaPersistent } from "../../host/index.js";
import { caughtLuaError as caught } from "./helpers.js";

let lua: Lua | null = null;
afterEach(() => {
  try {
    lua?.close();
  } catch {
    /* already closed */
  }
  lua = null;
});

describe("budgets", () => {
  it("stops an infinite loop with the instruction limit, even under pcall", async () => {
    lua = await Lua.create({ instructionLimit: 1_000_000, stdout: () => {} });
    const e = caught(() => lua!.run("local ok = pcall(function() while true do end end) return ok"));
    expect([e.message, e.kind]).toEqual(["instruction limit exceeded", "limit"]);
  });

  it("gives every call the whole budget and keeps the state usable", async () => {
    lua = await Lua.create({ instructionLimit: 200_000, stdout: () => {} });
    lua.run("counter = 0");
    for (let i = 0; i < 5; i++)
      expect(lua.run("for i = 1, 10000 do counter = counter + 1 end return counter")).toEqual([(i + 1) * 10000]);
    expect(caught(() => lua!.run("while true do counter = counter + 1 end")).kind).toBe("limit");
    expect(lua.run("return type(counter)")).toEqual(["number"]);
  });

  it("stops a pathological pattern and a huge sort inside the library", async () => {
    lua = await Lua.create({ instructionLimit: 5_000_000, stdout: () => {} });
    expect(caught(() => lua!.run('return string.find(("a"):rep(1e4), ".-.-.-.-b$")')).message).toBe(
      "instruction limit exceeded",
    );
    expect(
      caught(() => lua!.run("local t = {} for i = 1, 1e6 do t[i] = (i * 7919) % 1000003 end table.sort(t)")).kind,
    ).toBe("limit");
  });

  it("stops long-running code with timeoutMs", async () => {
    lua = await Lua.create({ timeoutMs: 100, stdout: () => {} });
    const t0 = Date.now();
    const e = caught(() => lua!.run("local n = 0 while true do n = n + 1 end"));
    expect([e.message, e.kind]).toEqual(["timeout", "limit"]);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(lua.run("return 1 + 1")).toEqual([2]);
  });

  it("reports the limit through LuaPersistent.getLastError and keeps evaluating", async () => {
    const lp = new LuaPersistent({ instructionLimit: 100_000 });
    await lp.load();
    lp.init();
    expect(lp.eval("while true do end")).toBeNull();
    expect(lp.getLastError()).toContain("instruction limit exceeded");
    expect(lp.eval("return 42")?.value).toBe(42);
    lp.close();
  });
});
