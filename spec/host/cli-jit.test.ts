// cli-jit.test.ts - the lua-wasm command's JIT switches (host/cli-jit.ts): LUA_WASM_JIT=0|1 and
// LUA_WASM_JIT_THRESHOLD=N choose the `jit` and `jitThreshold` options, LUA_WASM_JIT_STATS=1 reports
// on stderr at exit what was compiled (the evidence that code really ran compiled), results and
// messages stay those of the interpreter, and a bad value is refused before anything runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BIN = join(ROOT, "bin/lua.js");
const dir = mkdtempSync(join(tmpdir(), "lua-wasm-cli-jit-"));

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the CLI with these JIT variables (the test's own LUA_WASM_JIT* are removed first). */
function lua(args: string[], vars: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("LUA_WASM_JIT")) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...env, ...vars } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The numbers of the LUA_WASM_JIT_STATS line on stderr (null when there is none). */
function stats(stderr: string): { compiles: number; alive: number; bytes: number; ms: number } | null {
  const m =
    /^\[lua-wasm jit\] (\d+) functions? compiled in ([\d.]+) ms \([\d.]+ ms each\), (\d+) alive, (\d+) bytes$/m.exec(
      stderr,
    );
  return m ? { compiles: Number(m[1]), ms: Number(m[2]), alive: Number(m[3]), bytes: Number(m[4]) } : null;
}

// Integer wraparound, float results, floor division and modulo of negative numbers, a numeric for
// loop with a float step: the kinds of arithmetic compiled code does itself.
const NUMERIC = script(
  "numeric.lua",
  `local function f(n)
  local s = 0
  for i = 1, n do s = s + i * 2 - (i // 3) + (-i) % 7 end
  return s
end
local t = 0.5
for i = 1, 300 do t = t + f(i) / 7 end
local w = math.maxinteger
for i = 1, 10 do w = w + i end
local x = 0
for v = 1.0, 2.0, 0.25 do x = x + v end
print(f(100000), t, w, x, 7 // 0.0, -7 % 3)
`,
);
const EXPECTED = "8333750005\t1103843.9285714\t-9223372036854775754\t7.5\tinf\t2\n";

describe("lua-wasm CLI with the JIT", () => {
  it("prints the same numbers with LUA_WASM_JIT=1 as without, and LUA_WASM_JIT_STATS shows what was compiled", () => {
    const off = lua([NUMERIC], { LUA_WASM_JIT: "0" });
    expect(off).toEqual({ code: 0, stdout: EXPECTED, stderr: "" }); // no stats line unless asked
    for (const threshold of ["0", "50"]) {
      const on = lua([NUMERIC], { LUA_WASM_JIT: "1", LUA_WASM_JIT_THRESHOLD: threshold, LUA_WASM_JIT_STATS: "1" });
      expect(on.stdout).toBe(EXPECTED);
      expect(on.code).toBe(0);
      const s = stats(on.stderr);
      expect(s).not.toBeNull();
      expect(s!.compiles).toBeGreaterThanOrEqual(2); // f and the main chunk (its loops are hot)
      expect(s!.alive).toBe(s!.compiles); // read before lua_close freed them
      expect(s!.bytes).toBeGreaterThan(100);
      expect(s!.ms).toBeGreaterThan(0);
    }
  });

  it("compiles by default (a threshold alone applies), and nothing with LUA_WASM_JIT=0", () => {
    for (const vars of [{}, { LUA_WASM_JIT_THRESHOLD: "0" }] as Record<string, string>[]) {
      const r = lua([NUMERIC], { ...vars, LUA_WASM_JIT_STATS: "1" });
      expect(r.stdout).toBe(EXPECTED);
      expect(stats(r.stderr)!.compiles).toBeGreaterThanOrEqual(1); // f (hot under any threshold)
    }
    const envs: Record<string, string>[] = [{ LUA_WASM_JIT: "0", LUA_WASM_JIT_THRESHOLD: "0" }, { LUA_WASM_JIT: "0" }];
    for (const vars of envs) {
      const r = lua([NUMERIC], { ...vars, LUA_WASM_JIT_STATS: "1" });
      expect(r.stdout).toBe(EXPECTED);
      expect(stats(r.stderr)).toEqual({ compiles: 0, alive: 0, bytes: 0, ms: 0 });
    }
  });

  it("keeps the interpreter's error message and traceback when compiled code meets a type it does not handle", () => {
    const s = script(
      "typeerr.lua",
      "local function g(a, b) return a + b end\nfor i = 1, 100 do g(i, i) end\nprint(g(1, 2.5))\nprint(g(1, {}))\n",
    );
    const off = lua([s], { LUA_WASM_JIT: "0" });
    const on = lua([s], { LUA_WASM_JIT: "1", LUA_WASM_JIT_THRESHOLD: "0" });
    expect(off.stdout).toBe("3.5\n");
    expect(off.stderr).toContain(`${s}:1: attempt to perform arithmetic on a table value (local 'b')`);
    expect(on).toEqual(off);
  });

  it("reports the stats when the script ends with os.exit", () => {
    const r = lua(["-e", "local s = 0 for i = 1, 1000 do s = s + i end print(s) os.exit(3)"], {
      LUA_WASM_JIT: "1",
      LUA_WASM_JIT_THRESHOLD: "10",
      LUA_WASM_JIT_STATS: "1",
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("500500\n");
    expect(stats(r.stderr)!.compiles).toBe(1);
  });

  it("refuses a bad LUA_WASM_JIT or LUA_WASM_JIT_THRESHOLD before running anything", () => {
    const cases: [Record<string, string>, string][] = [
      [{ LUA_WASM_JIT: "yes" }, "LUA_WASM_JIT must be 0 or 1, got 'yes'"],
      [
        { LUA_WASM_JIT: "1", LUA_WASM_JIT_THRESHOLD: "-1" },
        "LUA_WASM_JIT_THRESHOLD must be an integer from 0 to 2147483647, got '-1'",
      ],
      [{ LUA_WASM_JIT_THRESHOLD: "1e3" }, "got '1e3'"],
      [{ LUA_WASM_JIT_THRESHOLD: "4294967296" }, "got '4294967296'"],
    ];
    for (const [vars, msg] of cases) {
      const r = lua(["-e", "print('ran')"], vars);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(msg);
      expect(r.stderr.startsWith(`${BIN}: LUA_WASM_JIT`)).toBe(true);
    }
  });
});
