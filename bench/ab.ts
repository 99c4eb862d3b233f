// ab.ts - A/B comparison of two builds of the module on every program of bench/lua, in one process,
// runs interleaved (A B, then B A, ...) so that load on a shared machine falls on both alike.
// For judging a change to the interpreter loop, whose layout moves hot code ±25% with unrelated
// edits: a change is judged on the geometric mean of all programs, never on one.
//
//   npx tsx bench/ab.ts A.wasm B.wasm [--rounds N] [--filter fib,sort] [--jit]
//
// Prints per program the median time of each build and B/A (< 1: B is faster), and B/A of the
// fastest runs (on a loaded machine the minimum is the steadier estimate), then the geomeans.
// Both builds load each program once and run it once as warm-up (as bench/cli.ts does); outputs of
// A and B must agree, else the program's row says so and is left out of the mean. Both run the
// interpreter alone (`jit: false`), unless --jit: then both run with the JIT on.

import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { luaWasm, type Prepared, type Program } from "./peers.js";
import { formatMs, formatRatio, geomean, median, ratio, renderTable } from "./stats.js";

interface Args {
  a: string;
  b: string;
  rounds: number;
  filter?: string[];
  jit: boolean;
}

function parseArgs(argv: string[]): Args {
  const files: string[] = [];
  let rounds = 7,
    filter: string[] | undefined,
    jit = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds") rounds = Number(argv[++i]);
    else if (argv[i] === "--filter") filter = argv[++i].split(",");
    else if (argv[i] === "--jit") jit = true;
    else files.push(argv[i]);
  }
  if (files.length !== 2 || !(rounds > 0)) {
    throw new Error("usage: npx tsx bench/ab.ts A.wasm B.wasm [--rounds N] [--filter a,b] [--jit]");
  }
  return { a: resolve(files[0]), b: resolve(files[1]), rounds, filter, jit };
}

function programs(filter?: string[]): Program[] {
  const dir = join(import.meta.dirname, "lua");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".lua"))
    .filter((f) => !filter || filter.some((s) => f.includes(s)))
    .sort()
    .map((name) => ({ name, path: join(dir, name), source: readFileSync(join(dir, name)) }));
}

function timed(p: Prepared): { ms: number; out: string } {
  const t0 = performance.now();
  const out = p.run();
  return { ms: performance.now() - t0, out };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const jit = args.jit ? {} : undefined;
  const engines = [luaWasm(args.a, jit, !args.jit), luaWasm(args.b, jit, !args.jit)];
  for (const e of engines) {
    const why = await e.probe();
    if (why) throw new Error(why);
  }
  const rows: string[][] = [];
  const ratios: (number | undefined)[] = [];
  const minratios: (number | undefined)[] = [];
  for (const prog of programs(args.filter)) {
    const [pa, pb] = [await engines[0].prepare(prog), await engines[1].prepare(prog)];
    const outA = pa.run(),
      outB = pb.run(); // warm-up
    const times: number[][] = [[], []];
    for (let r = 0; r < args.rounds; r++) {
      const order = r % 2 ? [1, 0] : [0, 1];
      for (const k of order) times[k].push(timed(k ? pb : pa).ms);
    }
    pa.close();
    pb.close();
    const [ma, mb] = [median(times[0]), median(times[1])];
    const same = outA === outB;
    const r = same ? ratio(mb, ma) : undefined;
    const rmin = same ? ratio(Math.min(...times[1]), Math.min(...times[0])) : undefined;
    ratios.push(r);
    minratios.push(rmin);
    rows.push([prog.name, formatMs(ma), formatMs(mb), same ? formatRatio(r) : "outputs differ", formatRatio(rmin)]);
    process.stderr.write(`${prog.name} `);
  }
  process.stderr.write("\n");
  rows.push(["geomean", "", "", formatRatio(geomean(ratios)), formatRatio(geomean(minratios))]);
  console.log(
    `A: ${basename(args.a)} (${args.a})\nB: ${basename(args.b)} (${args.b})\nrounds: ${args.rounds}${args.jit ? ", JIT on" : ""}\n`,
  );
  console.log(renderTable(["program", "A", "B", "B/A", "min B/A"], rows));
}

await main();
