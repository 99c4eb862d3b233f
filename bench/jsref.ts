// jsref.ts - the cost of using a JS object from Lua by reference (issue #13 points 1 and 6): a field
// read, an array element read, a field write, a method call with `:`, `#` and a pairs() step, on
// lua-wasm and wasmoon side by side in one run.
//
//   npx tsx bench/jsref.ts [--iterations N] [--runs R]
//
// Each case is a Lua loop of N operations timed inside Lua with os.clock (process CPU time, so a
// loaded machine inflates the figures less than wall time does); the figure is the median of R runs
// per operation, the empty loop's cost subtracted. bench/boundary.ts times the field read too, per
// 1000 reads with wall time through benchmark.js and the cost of run() included.

import { cpus } from "node:os";
import { median, renderTable } from "./stats.js";

interface Engine {
  name: string;
  /** Runs `code` and returns its first result (a number). */
  run(code: string): number;
  close(): void;
}

function makeObjects(): Record<string, unknown> {
  return {
    obj: {
      x: 1,
      f(a: number) {
        return a;
      },
    },
    arr: [1, 2, 3],
    wide: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
  };
}

/** The operations, as a loop body over locals o (object), a (array), w (a 100-key object). */
const CASES: [string, string][] = [
  ["field read o.x", "local v = o.x"],
  ["array read a[2]", "local v = a[2]"],
  ["field write o.x = i", "o.x = i"],
  ["method call o:f(i)", "local v = o:f(i)"],
  ["length #a", "local v = #a"],
];

function loop(body: string, n: number): string {
  return `local o, a, w = obj, arr, wide local c0 = os.clock() for i = 1, ${n} do ${body} end return os.clock() - c0`;
}

/** pairs over a 100-key object, per step. */
function pairsLoop(n: number): string {
  const rounds = Math.max(1, Math.floor(n / 100));
  return `local w = wide local c0 = os.clock() for r = 1, ${rounds} do for k, v in pairs(w) do end end return (os.clock() - c0) * ${n / (rounds * 100)}`;
}

async function luaWasm(): Promise<Engine> {
  const { Lua } = await import("../host/index.js");
  const L = await Lua.create();
  for (const [k, v] of Object.entries(makeObjects())) L.global.set(k, v);
  return { name: "lua-wasm", run: (c) => Number(L.run(c)[0]), close: () => L.close() };
}

async function wasmoon(): Promise<Engine> {
  const { LuaFactory } = await import("wasmoon");
  const engine = await new LuaFactory().createEngine();
  for (const [k, v] of Object.entries(makeObjects())) engine.global.set(k, v);
  return {
    name: "wasmoon",
    run: (c) => Number(engine.doStringSync(c)),
    close: () => engine.global.close(),
  };
}

async function main(argv: string[]): Promise<void> {
  let n = 200_000,
    runs = 7;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--iterations") n = Number(argv[++i]);
    else if (argv[i] === "--runs") runs = Number(argv[++i]);
    else throw new Error("usage: npx tsx bench/jsref.ts [--iterations N] [--runs R]");
  }
  const engines: Engine[] = [];
  for (const make of [luaWasm, wasmoon]) {
    try {
      engines.push(await make());
    } catch (e) {
      console.log(`${make.name}: not available (${(e as Error).message.split("\n")[0]})`);
    }
  }
  const perOp = (e: Engine, code: string): number => {
    e.run(code); // warm up (and tier up the code paths)
    return (median(Array.from({ length: runs }, () => e.run(code))) ?? NaN) / n;
  };
  /** The figure of one case, or "error" (the message is printed below the table). */
  const notes: string[] = [];
  const figure = (e: Engine, label: string, code: string, base: number): string => {
    try {
      return fmt((perOp(e, code) - base) * 1e6);
    } catch (err) {
      notes.push(`${e.name}, ${label}: ${(err as Error).message.split("\n")[0]}`);
      return "error";
    }
  };
  const rows: string[][] = [];
  const empty = new Map(engines.map((e) => [e.name, perOp(e, loop("", n))]));
  for (const [label, body] of CASES) {
    rows.push([label, ...engines.map((e) => figure(e, label, loop(body, n), empty.get(e.name)!))]);
  }
  const label = "pairs step over 100 keys";
  rows.push([label, ...engines.map((e) => figure(e, label, pairsLoop(n), 0))]);
  for (const e of engines) e.close();
  console.log(
    `JS references from Lua, µs per operation (CPU time, median of ${runs} runs of ${n}), ${new Date().toISOString()}`,
  );
  console.log(`machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, node ${process.version}`);
  console.log(renderTable(["operation", ...engines.map((e) => e.name)], rows, [0]));
  for (const note of notes) console.log(`  ${note}`);
}

function fmt(us: number): string {
  return us < 1 ? us.toFixed(3) : us.toFixed(2);
}

await main(process.argv.slice(2));
