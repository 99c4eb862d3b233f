// dump-fuzz.test.ts - binary chunks from string.dump, mutated thousands of times (spec/host/dump-fuzz.lua):
// loading never traps and only ever yields a function or a "bad binary format" error; running the
// mutants that load (through the CLI, so a mutant that loops forever costs a timeout, not the run)
// never traps either, and the state stays usable afterwards.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { LuaPersistent } from "../../host/index.js";
import { evalOk, newEngine } from "./helpers.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const SCRIPT = "spec/host/dump-fuzz.lua";
const BIN = join(ROOT, "bin/lua.js");

let lua: LuaPersistent;
beforeAll(async () => {
  lua = await newEngine();
  evalOk(lua, "arg = nil\n" + readFileSync(join(ROOT, SCRIPT), "utf8"));
});

describe("loading mutated binary chunks", () => {
  for (const seed of [1, 2, 3]) {
    it(`gives a function or a bad-binary-format error for 10000 mutants (seed ${seed})`, () => {
      const r = evalOk(lua, `return fuzz(${seed}, 1, 10000, false)`);
      const [loaded, rejected, bad] = r.values as number[];
      expect(r.output).not.toContain("BAD");
      expect(bad).toBe(0);
      expect(loaded + rejected).toBe(10000);
      expect(rejected).toBeGreaterThan(loaded); // most mutants are caught
      expect(evalOk(lua, "return 6 * 7").value).toBe(42); // same state, still usable
    });
  }

  it("accepts or rejects, without trapping, every single-instruction change of the main functions (seed 0)", () => {
    const r = evalOk(lua, "return fuzz(0, 0, 40000, false)");
    const [loaded, rejected, bad] = r.values as number[];
    expect(bad).toBe(0);
    expect(loaded).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(evalOk(lua, "return 6 * 7").value).toBe(42);
  });

  it("leaves memory to the collector: repeated fuzzing does not grow the heap", () => {
    evalOk(lua, "collectgarbage() collectgarbage()");
    const before = evalOk(lua, "return collectgarbage('count')").value as number;
    evalOk(lua, "fuzz(9, 1, 3000, false) collectgarbage() collectgarbage()");
    const after = evalOk(lua, "return collectgarbage('count')").value as number;
    expect(after).toBeLessThan(before + 64);
  });
});

describe("running mutated binary chunks", () => {
  it("stops at the instruction limit a generic for's TFORLOOP changed to jump to itself", async () => {
    // (bytecode-mutation, seed 93, mutant 1017169: the trapping loop never charged a TFORLOOP, as
    // PUC enters it by goto from its TFORCALL, so a TFORLOOP looping on itself ran past any budget)
    const { Lua, LuaError } = await import("../../host/index.js");
    const lua = await Lua.create({ instructionLimit: 100_000 });
    try {
      lua.run(`
        local function f() local s = 0 for _, v in pairs({1, 2, 3}) do s = s + v end return s end
        local d = string.dump(f)
        local patched
        for pos = 1, #d - 3 do                          -- the TFORLOOP word: opcode 77 (ORDER OP)
          local w = string.unpack("<I4", d, pos)
          if w & 0x7F == 77 and (w >> 15) > 0 and (w >> 15) < 16 then
            patched = d:sub(1, pos - 1) .. string.pack("<I4", (w & 0x7FFF) | (1 << 15)) .. d:sub(pos + 4)
            break
          end
        end
        P = assert(load(assert(patched), "=p", "b"))`);
      let err: unknown = null;
      try {
        lua.run("return P()");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LuaError);
      expect((err as InstanceType<typeof LuaError>).kind).toBe("limit");
      expect(lua.run("return 1 + 1")).toEqual([2]); // the state goes on
    } finally {
      lua.close();
    }
  }, 30_000);

  it("returns or raises a Lua error for every mutant that loads (3000 mutants per seed)", () => {
    for (const seed of [11, 12]) {
      let first = 1;
      const last = 3000;
      let restarts = 0;
      while (first <= last) {
        const r = spawnSync(
          process.execPath,
          [BIN, SCRIPT, String(seed), String(first), String(last - first + 1), "run"],
          { cwd: ROOT, encoding: "utf8", timeout: 15_000 },
        );
        expect(r.stdout).not.toContain("BAD");
        expect(r.stderr).not.toMatch(/internal error|RuntimeError|unreachable|out of bounds/i);
        if (r.error === undefined && r.status === 0) {
          expect(r.stdout).toMatch(/loaded=\d+ rejected=\d+ bad=0\n$/);
          break;
        }
        // a mutant looped forever (legal Lua behaviour): resume after it
        const ran = [...r.stdout.matchAll(/^ran (\d+)$/gm)];
        expect(ran.length, `seed ${seed}: stopped without a running mutant (${r.stderr})`).toBeGreaterThan(0);
        first = Number(ran[ran.length - 1][1]) + 1;
        expect(++restarts).toBeLessThan(20);
      }
    }
  }, 600_000);
});
