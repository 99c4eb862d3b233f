// leaks.test.ts - no leak on the library's error and message paths (issue #10): every case of
// spec/unit/leaks.lua (runtime errors, bad arguments, string.format, tostring, load errors, io, os,
// require, utf8, table, coroutine and debug messages...) runs ITERATIONS times in a loop, and after a
// full collection these stay flat: collectgarbage("count"), the bytes the allocator holds beyond the
// count (AssemblyScript managed objects, uncounted scratch), and the number of live Buffers.
// Runs on build/unit/lua-leaks.wasm (spec/unit/leaks-entry.ts: the interpreter with asserts plus
// the debug figures buf_live, heapused, t_collect), built here.
// LEAKS_ITERATIONS=10000 npx vitest run spec/unit/leaks.test.ts for the long run (default 1000).
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Lua } from "../../host/index.js";

const ROOT = join(__dirname, "..", "..");
const WASM = join(ROOT, "build", "unit", "lua-leaks.wasm");
const ITERATIONS = Number(process.env.LEAKS_ITERATIONS ?? 1000);
/** Iterations before measuring: caches, the string table and the GC pace reach their steady size. */
const WARMUP = 200;
/**
 * Growth tolerated over ITERATIONS calls, in bytes. The smallest leak possible (one 16-byte block
 * per call) is 16 KB at 1000 iterations; what varies without leaking is the string table's size
 * (it follows the peak of live strings between two collections) and a few interned strings.
 */
const SLACK = 8192;

/** The debug figures of lua-leaks.wasm (not part of the public API, reached through the runtime). */
interface DebugFigures {
  buf_live(): number;
  heapused(): number;
  heapcheck(): number;
  t_collect(): void;
}

let lua: Lua;
let figures: DebugFigures;
let cases: Array<{ name: string; n: number; compiles: boolean }>;

beforeAll(async () => {
  mkdirSync(join(ROOT, "build", "unit"), { recursive: true });
  execFileSync("npx", ["asc", "spec/unit/leaks-entry.ts", "--config", "spec/unit/asconfig.leaks.json"], {
    cwd: ROOT,
    stdio: "pipe",
  });
  lua = await Lua.create({ wasm: WASM, stdout: () => {}, stderr: () => {} });
  figures = (lua as unknown as { runtime: { wasm: { exports: DebugFigures } } }).runtime.wasm.exports;
  lua.run(readFileSync(join(ROOT, "spec", "unit", "leaks.lua"), "utf8"), "@spec/unit/leaks.lua");
  const n = lua.run("return #CASES")[0] as number;
  cases = [];
  for (let i = 1; i <= n; i++) {
    const [name, max, compiles] = lua.run(`local c = CASES[${i}] return c[1], c.n, c.compiles or false`) as [
      string,
      number | undefined,
      boolean,
    ];
    cases.push({ name, n: Math.min(ITERATIONS, max ?? ITERATIONS), compiles });
  }
}, 120_000);

/** The same chunk text every time (its own compile garbage is then the same in every measure). */
const LOOP = "local f = CASES[I][2] for _ = 1, K do f() end";
const COUNT = "collectgarbage() collectgarbage() return collectgarbage('count') * 1024";

interface Growth {
  counted: number;
  uncounted: number;
  collected: number;
  buffers: number;
}

/** Runs case i k times; what grew, after a full Lua collection (and, for `collected`, AS's too). */
function measure(i: number, k: number): Growth {
  lua.run(`I, K = ${i}, ${k}`);
  figures.t_collect();
  const c0 = lua.run(COUNT)[0] as number;
  const h0 = figures.heapused();
  const b0 = figures.buf_live();
  lua.run(LOOP);
  const c1 = lua.run(COUNT)[0] as number;
  const h1 = figures.heapused();
  figures.t_collect();
  const h2 = figures.heapused();
  return {
    counted: c1 - c0,
    uncounted: h1 - h0 - (c1 - c0),
    collected: h2 - h0 - (c1 - c0),
    buffers: figures.buf_live() - b0,
  };
}

describe("the allocator as alloc.ts sees it", () => {
  it("matches AS's TLSF heap: blocks walk to the tail, free blocks are in the bitmaps", () => {
    expect(figures.heapcheck()).toBe(0);
    // a fragmented heap: strings of many sizes, every other one dropped
    lua.run(`local t = {} for i = 1, 400 do t[i] = ("x"):rep(i * 997) end
      for i = 1, 400, 2 do t[i] = nil end keep = t collectgarbage()`);
    expect(figures.heapcheck()).toBe(0);
    lua.run("keep = nil collectgarbage()");
    figures.t_collect();
    expect(figures.heapcheck()).toBe(0);
  });

  it("reuses freed small blocks of every size class without overlap (alloc.ts's small-block cache)", () => {
    // Strings of 41-300 bytes (long strings: one block each, sized by their length) and tables are
    // freed by incremental steps (a full collection would empty the cache) and allocated again
    // while others stay live; a block handed out from the wrong class would overwrite a neighbour.
    const [ok, detail] = lua.run(`
      local function mk(i, r) return string.rep(string.char(65 + (i + r) % 26), 41 + (i * 7 + r) % 260) end
      local live, tabs = {}, {}
      for r = 1, 12 do
        for i = 1, 600 do
          if (i + r) % 3 == 0 then live[i] = nil tabs[i] = nil
          else live[i] = mk(i, r) tabs[i] = { i, r, x = i * r } end
        end
        for _ = 1, 40 do collectgarbage("step", 1) end
        for i = 1, 600 do
          local s = live[i]
          if s and s ~= mk(i, r) then return false, "string " .. i .. " of round " .. r .. " changed" end
          local t = tabs[i]
          if t and (t[1] ~= i or t[2] ~= r or t.x ~= i * r) then return false, "table " .. i .. " changed" end
        end
      end
      return true`) as [boolean, string?];
    expect(detail).toBeUndefined();
    expect(ok).toBe(true);
    expect(figures.heapcheck()).toBe(0);
  });
});

describe("no leak on message and error paths", () => {
  it("loads every case", () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it(`leaves memory and live Buffers flat after ${ITERATIONS} calls of each case`, () => {
    const leaks: string[] = [];
    let maxCounted = 0,
      maxUncounted = 0,
      calls = 0;
    for (let i = 1; i <= cases.length; i++) {
      const c = cases[i - 1];
      measure(i, Math.min(WARMUP, c.n));
      const base = measure(i, 0); // the measuring chunk's own garbage
      const g = measure(i, c.n);
      const counted = g.counted - base.counted;
      const uncounted = c.compiles ? g.collected - base.collected : g.uncounted - base.uncounted;
      maxCounted = Math.max(maxCounted, counted);
      maxUncounted = Math.max(maxUncounted, uncounted);
      calls += c.n;
      if (counted > SLACK || uncounted > SLACK || g.buffers !== 0) {
        leaks.push(
          `${c.name}: ${counted} counted, ${uncounted} uncounted bytes, ${g.buffers} Buffers over ${c.n} calls`,
        );
      }
    }
    console.log(
      `leaks: ${cases.length} cases, ${calls} calls; largest growth ${maxCounted} B counted, ${maxUncounted} B uncounted`,
    );
    expect(leaks).toEqual([]);
  }, 300_000);
});
