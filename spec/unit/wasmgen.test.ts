// wasmgen.test.ts - the JIT's wasm emitter (assembly/jit/wasmgen.ts): builds spec/unit/wasmgen.ts with
// its own asconfig, has it write small modules, and checks that V8 validates and instantiates them and
// that they compute what their construction says (arithmetic, loops, br_table, if/else, memory,
// imports of a function, a table and a global, call_indirect, LEB128 edges of i64 constants).

import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const WASM = join(ROOT, "build", "unit", "wasmgen.wasm");

interface Exports {
  memory: WebAssembly.Memory;
  t_out(): number;
  t_build(which: number): number;
  t_kcount(): number;
  t_k(i: number): bigint;
  t_wbufbytes(): number;
}
let e: Exports;

beforeAll(async () => {
  mkdirSync(join(ROOT, "build", "unit"), { recursive: true });
  execFileSync("npx", ["asc", "spec/unit/wasmgen.ts", "--config", "spec/unit/asconfig.wasmgen.json"], {
    cwd: ROOT,
    stdio: "pipe",
  });
  const { instance } = await WebAssembly.instantiate(readFileSync(WASM), {
    env: {
      abort: () => {
        throw new Error("wasm abort");
      },
    },
  });
  e = instance.exports as unknown as Exports;
}, 120_000);

/** The bytes of module `which`, copied out of the emitter's memory. */
function build(which: number): Uint8Array {
  const n = e.t_build(which);
  return new Uint8Array(e.memory.buffer, e.t_out(), n).slice();
}

function run(which: number, imports: WebAssembly.Imports = {}): Record<string, CallableFunction> {
  const bytes = build(which);
  expect(WebAssembly.validate(bytes)).toBe(true);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as Record<string, CallableFunction>;
}

describe("the wasm emitter", () => {
  it("writes the header and numeric functions that compute with wraparound", () => {
    const bytes = build(0);
    expect([...bytes.subarray(0, 8)]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const x = run(0);
    expect(x.add(40, 2)).toBe(42);
    expect(x.add(0x7fffffff, 1)).toBe(-0x80000000);
    expect(x.fma(1.5, 2, 0.25)).toBe(3.25);
    expect(x.imul(0x7fffffffffffffffn, 2n)).toBe(-2n);
  });

  it("writes loops, br_if, br_table, typed if/else and more than 127 locals", () => {
    const x = run(1);
    expect(x.sum(0)).toBe(0n);
    expect(x.sum(100)).toBe(5050n);
    expect([0, 1, 2, 3, -1, 1000].map((k) => x.pick(k))).toEqual([10, 20, 30, 99, 99, 99]);
    expect([-2.5, 0, 3, -0, NaN].map((v) => x.sign(v))).toEqual([-1, 0, 1, 0, 0]);
  });

  it("imports memory, a table, a function and a mutable global, and loads, stores and calls through them", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const table = new WebAssembly.Table({ initial: 2, element: "anyfunc" });
    const flag = new WebAssembly.Global({ value: "i32", mutable: true }, 5);
    // slot 1: a one-argument function of another module, `pick` (10/20/30/99)
    table.set(1, run(1).pick as never);
    const x = run(2, { env: { memory, table, flag, twice: (v: number) => 2 * v } });
    x.poke(64);
    const dv = new DataView(memory.buffer);
    expect(dv.getBigInt64(72, true)).toBe(42n);
    expect(dv.getInt32(64, true)).toBe(3);
    expect(x.calls(2)).toBe(4 + 30);
    expect(x.calls(7)).toBe(14 + 99);
    expect(x.flagged()).toBe(5 + 101);
    expect(flag.value).toBe(7);
    expect(x.flagged()).toBe(7 + 102);
  });

  it("encodes i64 constants at every LEB128 length edge, and f64 bit patterns", () => {
    const x = run(3);
    for (let i = 0; i < e.t_kcount(); i++) expect(x[`k${i}`]()).toBe(e.t_k(i));
    expect(Object.is(x.kf(), -0)).toBe(true);
  });

  it("frees every buffer of a module once it is written (only the output buffer stays)", () => {
    for (let i = 0; i < 4; i++) build(i); // the output buffer at its largest
    const held = e.t_wbufbytes();
    for (let i = 0; i < 20; i++) build(i % 4);
    expect(e.t_wbufbytes()).toBe(held);
  });
});
