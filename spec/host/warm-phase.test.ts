// warm-phase.test.ts - the execute loop's warm-phase slices (assembly/vm/budget.ts, vm/execute.ts)
// are invisible to instruction budgets: in a fresh runtime (which is warming: the loop returns to
// its driver every 65,536 instructions), the point where a limit stops a loop follows the same
// exact per-instruction arithmetic for small limits (no slice boundary crossed) and for limits that
// cross several boundaries at varying offsets. A skipped or doubly charged instruction at a boundary
// shifts the count. Everything here stays under the phase's minimum of 64 slices.
// Also: the release build keeps both instances of luaV_run out of line (build/lua.wat), which the
// re-entry needs, and only the trapping one tests budgets and hooks per instruction.
// (Hooks, errors and coroutines across slices: spec/lua/debug/hooks_across_slices.lua.)
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Lua, LuaError } from "../../host/index.js";

let lua: Lua | null = null;
afterEach(() => {
  try {
    lua?.close();
  } catch {
    /* already closed */
  }
  lua = null;
});

/** How many iterations `n = n + 1` completed under an instruction limit of `limit`. */
async function reached(limit: number): Promise<number> {
  lua?.close();
  lua = await Lua.create({ instructionLimit: limit, stdout: () => {} });
  try {
    lua.run("n = 0 while true do n = n + 1 end");
    throw new Error("the loop ended");
  } catch (e) {
    if (!(e instanceof LuaError) || e.kind !== "limit") throw e;
  }
  return lua.run("return n")[0] as number;
}

describe("warm phase", () => {
  it("keeps each instance of luaV_run a function of its own in the release build (else the loop never leaves its first code)", () => {
    const wat = fileURLToPath(new URL("../../build/lua.wat", import.meta.url)); // written by npm run build:wasm
    expect(existsSync(wat)).toBe(true);
    const text = readFileSync(wat, "utf8");
    const func = (name: string): string => {
      const start = text.indexOf(`(func $assembly/vm/execute/${name} `);
      expect(start, name).toBeGreaterThan(0);
      return text.slice(start, text.indexOf("\n (func ", start + 1));
    };
    const driver = func("luaV_execute");
    // the two instances of the loop (execute.ts: Trapping = i32, Fast = f64), each called twice
    for (const inst of ["luaV_run<i32>", "luaV_run<f64>"]) {
      const calls = driver.split(`call $assembly/vm/execute/${inst}\n`).length - 1;
      expect(calls, inst).toBe(2);
    }
    // each dispatches through one br_table over the opcodes, and only the trapping one charges
    // budgets and traces hooks (the fast one has no per-instruction test)
    const trapping = func("luaV_run<i32>"),
      fast = func("luaV_run<f64>");
    const opcodeTables = (body: string) => body.split("\n").filter((l) => /br_table( \S+){80}/.test(l)).length;
    expect(opcodeTables(trapping)).toBe(1);
    expect(opcodeTables(fast)).toBe(1);
    expect(trapping).toContain("call $assembly/vm/budget/budget_charge");
    expect(trapping).toContain("call $assembly/vm/hook/luaG_traceexec");
    expect(fast).not.toContain("call $assembly/vm/budget/budget_charge");
    expect(fast).not.toContain("call $assembly/vm/hook/luaG_traceexec");
  });

  it("keeps instruction limits exact across slice boundaries", async () => {
    // instructions per iteration, from two small limits
    const a = await reached(1000),
      b = await reached(13000);
    const per = 12000 / (b - a);
    expect(Number.isInteger(per)).toBe(true);
    const small: number[] = [];
    for (let j = 0; j < per; j++) small.push(await reached(1000 + j));
    for (const iters of [16_411, 40_000, 70_001]) {
      // 1 to 4 boundaries, at different offsets
      for (let j = 0; j < per; j++) expect(await reached(iters * per + 1000 + j)).toBe(small[j] + iters);
    }
  });

  it("keeps instruction limits exact when earlier calls moved the boundaries", async () => {
    const limits = [200_000, 200_001, 200_002, 200_003, 200_004];
    const shifted: number[] = [];
    for (const limit of limits) {
      lua?.close();
      lua = await Lua.create({ instructionLimit: limit, stdout: () => {} });
      lua.run("for i = 1, 777 do local x = i * 2 end"); // the slice is partly spent before the loop
      try {
        lua.run("n = 0 while true do n = n + 1 end");
      } catch (e) {
        if (!(e instanceof LuaError)) throw e;
      }
      shifted.push(lua.run("return n")[0] as number);
    }
    const fresh: number[] = [];
    for (const limit of limits) fresh.push(await reached(limit));
    expect(shifted).toEqual(fresh);
  });
});
