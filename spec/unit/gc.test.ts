// gc.test.ts - unit tests of the garbage collector (assembly/gc/*) through spec/unit/gc-unit.ts,
// built with its own asconfig: garbage of every type is freed (totalbytes returns to its baseline),
// reachable objects survive intact, weak tables and ephemerons are cleared, interned strings leave
// the string table, finalizers run once in PUC's order, debt-driven collection bounds the heap, and
// the incremental collector's barriers (back, forward, upvalue close, finalizer set while sweeping)
// keep objects stored during a cycle alive.
// Run: npx vitest run --config spec/unit/gc.vitest.config.ts

import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const WASM = join(ROOT, "build", "unit", "gc.wasm");

/** gc-unit.ts's exports: every one takes and returns i32/f64 (numbers) or nothing. */
type Exports = Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };
let e: Exports;

beforeAll(async () => {
  mkdirSync(join(ROOT, "build", "unit"), { recursive: true });
  execFileSync("npx", ["asc", "spec/unit/gc-unit.ts", "--config", "spec/unit/asconfig.gc.json"], {
    cwd: ROOT,
    stdio: "pipe",
  });
  const { instance } = await WebAssembly.instantiate(readFileSync(WASM), {
    env: {
      abort: () => {
        throw new Error("wasm abort");
      },
      jit_release: () => {}, // object/func.ts frees compiled code with a prototype (none here: no JIT)
    },
  });
  e = instance.exports as Exports;
  e.setup();
}, 120_000);

describe("garbage collector", () => {
  it("frees garbage of every type so totalbytes returns to its baseline", () => {
    e.fullgc();
    const base = e.bytes();
    e.t_garbage(50);
    expect(e.bytes()).toBeGreaterThan(base + 50_000);
    e.fullgc();
    expect(e.bytes()).toBe(base);
    // a second round with the same names: re-interning after the strings were freed
    e.t_garbage(50);
    e.fullgc();
    expect(e.bytes()).toBe(base);
  });

  it("tables with inline parts: exact count, growth out of the inline parts, freed to the baseline", () => {
    expect(e.t_inlinetables()).toBe(0);
  });

  it("the debt is net allocation: frees and shrinks outside the collector lower it (PUC's GCdebt)", () => {
    expect(e.t_netdebt()).toBe(0);
  });

  it("does not shrink the string table at each cycle's end to grow it again in the next", () => {
    expect(e.t_strtsteady()).toBe(0);
  });

  it("shrinks the string table back after many dropped strings", () => {
    e.fullgc();
    const base = e.bytes();
    const size = e.strtsize();
    const n = e.nstrings();
    e.t_manystrings(5000);
    expect(e.strtsize()).toBeGreaterThan(size);
    e.fullgc();
    expect(e.nstrings()).toBe(n);
    expect(e.strtsize()).toBe(size);
    expect(e.bytes()).toBe(base);
  });

  it("keeps reachable objects of every type with their contents intact", () => {
    // warm-up: the globals table grows a node for each new global name (kept after the value dies)
    e.t_buildlive();
    e.t_droplive();
    e.fullgc();
    const base = e.bytes();
    e.t_buildlive();
    e.fullgc();
    expect(e.t_checklive()).toBe(0);
    e.fullgc();
    e.fullgc();
    expect(e.t_checklive()).toBe(0);
    e.t_droplive();
    e.fullgc();
    expect(e.bytes()).toBe(base);
  });

  it("marks the stack below top and clears the dead part above it", () => {
    expect(e.t_stack()).toBe(0);
  });

  it("anchors temporary roots until they are popped", () => {
    expect(e.t_roots()).toBe(0);
  });

  it("clears weak values, weak keys and ephemerons, keeping strings and live objects", () => {
    expect(e.t_weak()).toBe(0); // warm-up: globals table growth
    e.fullgc();
    const base = e.bytes();
    expect(e.t_weak()).toBe(0);
    e.fullgc();
    expect(e.bytes()).toBe(base);
  });

  it("removes dead interned strings from the string table and re-interns them", () => {
    expect(e.t_strings()).toBe(0);
  });

  it("closes a live open upvalue when its dead thread is freed", () => {
    e.fullgc();
    const base = e.bytes();
    expect(e.t_openupval()).toBe(0);
    expect(e.bytes()).toBe(base);
  });

  it("runs finalizers once, newest first, resurrecting their objects until then", () => {
    e.fullgc();
    const base = e.bytes();
    expect(e.t_finalizers()).toBe(0);
    e.fullgc();
    expect(e.bytes()).toBe(base);
  });

  it("runs every finalizer at close, reachable or not", () => {
    expect(e.t_closefinalizers()).toBe(0);
  });

  it("collects before the heap passes the memory limit", () => {
    expect(e.t_limit()).toBe(0);
  });

  it("quantises pause and step multiplier as PUC does", () => {
    expect(e.t_params()).toBe(0);
  });

  it("collects from debt at safe points, bounding the heap", () => {
    e.fullgc();
    const base = e.bytes();
    const peak = e.t_checkgc(20_000);
    expect(peak).toBeLessThan(base * 2 + 64 * 1024);
    const c = e.cycles();
    e.t_checkgc(2000);
    expect(e.cycles()).toBeGreaterThan(c);
  });

  it("does not collect from debt while stopped, and does again after restart", () => {
    expect(e.t_stopped(5000)).toBe(0);
  });

  it("back barrier: a new table stored into a black table survives the cycle", () => {
    expect(e.t_barrierback()).toBe(0);
  });

  it("forward barrier: a new metatable of a black table is marked at once", () => {
    expect(e.t_objbarrier()).toBe(0);
  });

  it("closing an upvalue marked while open keeps its value (close barrier)", () => {
    e.fullgc();
    const base = e.bytes();
    expect(e.t_closebarrier()).toBe(0);
    expect(e.bytes()).toBe(base);
  });

  it("an object given a finalizer during the sweep is neither freed nor finalized early", () => {
    expect(e.t_sweepfinalizer()).toBe(0);
  });

  it("debt-driven incremental steps complete cycles, keep live data and free garbage", () => {
    e.t_buildlive();
    e.t_droplive(); // warm-up: globals table growth
    e.fullgc();
    const base = e.bytes();
    expect(e.t_incremental(20_000)).toBe(0);
    e.fullgc();
    expect(e.bytes()).toBe(base);
  });

  it("collectgarbage('step'): basic steps end a cycle eventually, a huge one at once", () => {
    expect(e.t_stepapi()).toBe(0);
  });
});
