// jit-diff.test.ts - differential test of the baseline JIT: every program of bench/lua and every case
// of spec/lua runs three times, with the JIT off, with everything compiled at its first call or loop
// (threshold 0), and with that plus the stress mode (compiled code exits to the interpreter every 3
// instructions), and the outputs and error messages must be byte-identical. Deterministic mode keeps
// clocks, seeds and addresses out of the comparison. (spec/lua runs off and stress only, for time.) (The spec runner compares the threshold-0 and
// stress runs with lua5.4 too: LUA_WASM_JIT_THRESHOLD=0 [LUA_WASM_JIT_STRESS=n] npx tsx spec/run.ts.)

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Lua, LuaError } from "../../host/index.js";
import { fileChunkName, skipComment } from "../../host/chunk.js";
import type { LuaWasm } from "../../host/loader.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Outcome {
  out: string;
  error: string | null;
  compiled: number;
}

/** Runs the file at `path` (relative to the repo root) as the spec runner does, JIT mode `mode`. */
async function runFile(path: string, mode: "off" | "on" | "stress"): Promise<Outcome> {
  const chunks: Buffer[] = [];
  const lua = await Lua.create({
    stdout: (b) => void chunks.push(Buffer.from(b)),
    stderr: () => {},
    fs: "node",
    env: {},
    deterministic: true,
    jit: mode !== "off",
    jitThreshold: 0,
  });
  const w = (lua as unknown as { runtime: { wasm: LuaWasm } }).runtime.wasm;
  if (mode === "stress") w.exports.lua_setjit(1, 0, 3);
  let error: string | null = null;
  try {
    lua.setArgs([
      [-1, "lua5.4"],
      [0, path],
    ]);
    lua.runScript(skipComment(readFileSync(join(ROOT, path))), fileChunkName(path), 0);
  } catch (e) {
    error = e instanceof LuaError ? e.message : `not a LuaError: ${String(e)}`;
  }
  const compiled = w.jit!.compiles;
  lua.close();
  return { out: Buffer.concat(chunks).toString("latin1"), error, compiled };
}

function luaFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? luaFiles(join(dir, e.name))
      : e.name.endsWith(".lua")
        ? [relative(ROOT, join(ROOT, dir, e.name))]
        : [],
  );
}

const bench = luaFiles("bench/lua").filter((f) => !f.includes("/goals/"));
const spec = luaFiles("spec/lua");

describe("JIT on and off give the same outputs", () => {
  it("finds the programs", () => {
    expect(bench.length).toBeGreaterThan(10);
    expect(spec.length).toBeGreaterThan(100);
  });

  for (const f of bench) {
    it(`bench: ${f}`, async () => {
      const off = await runFile(f, "off");
      const on = await runFile(f, "on");
      expect({ out: on.out, error: on.error }).toEqual({ out: off.out, error: off.error });
      const stress = await runFile(f, "stress");
      expect({ out: stress.out, error: stress.error }).toEqual({ out: off.out, error: off.error });
      // (stress mode enters at every supported instruction, so every loop is compiled; at threshold
      // 0 alone a loop made of helper calls is not: micro/newtab.lua compiles nothing)
      expect(stress.compiled).toBeGreaterThan(0);
    }, 120_000);
  }

  // (stress mode compiles at threshold 0 as well; the plain threshold-0 run of these cases is the
  // spec runner's, against lua5.4's expected outputs)
  it("spec/lua: every case, in stress mode", async () => {
    const differ: string[] = [];
    let compiled = 0;
    for (const f of spec) {
      const off = await runFile(f, "off");
      const r = await runFile(f, "stress");
      compiled += r.compiled;
      if (r.out !== off.out || r.error !== off.error) differ.push(f);
    }
    expect(differ).toEqual([]);
    expect(compiled).toBeGreaterThan(spec.length);
  }, 600_000);
});
