// jitdiff.ts - fuzz target for the baseline JIT: the difffuzz generator's programs (spec/fuzz/difffuzz/
// gen.ts: numbers, NaNs of both signs included, strings, tables, closures, metamethods, errors, loops)
// run with the JIT off and with every function compiled at its first call or loop (threshold 0), in
// turn without and with the stress mode (an exit to the interpreter every 1-5 instructions); stdout
// and the error message must be byte-identical. No lua5.4 needed: the interpreter is the oracle (difffuzz checks it against lua5.4).
//   tsx spec/fuzz/targets/jitdiff.ts --short            fixed seed, 300 programs
//   npm run fuzz -- --target jitdiff [--minutes N | --iterations N] [--seed S]
// Ends with "N passed, N failed"; a failing program is written to /tmp/jitdiff-<seed>-<i>.lua.
// (No instruction limit: budgets keep the JIT out, so a program that never ends hangs the target,
// which the fuzz runner's timeout reports.)

import { writeFileSync } from "node:fs";
import { Lua, LuaError } from "../../../host/index.js";
import { generate } from "../difffuzz/gen.js";
import type { LuaWasm } from "../../../host/loader.js";

const SHORT_SEED = 20261206;
const SHORT_COUNT = 300;

interface Outcome {
  out: string;
  err: string | null;
}

/** Runs `src` on a fresh state: JIT off (stress < 0), or on at threshold 0 with that stress period. */
async function run(src: string, stress: number): Promise<Outcome> {
  const chunks: Buffer[] = [];
  const lua = await Lua.create({
    stdout: (b) => void chunks.push(Buffer.from(b)),
    stderr: () => {},
    deterministic: true,
    jit: stress >= 0,
    jitThreshold: 0,
  });
  if (stress > 0) (lua as unknown as { runtime: { wasm: LuaWasm } }).runtime.wasm.exports.lua_setjit(1, 0, stress);
  let err: string | null = null;
  try {
    lua.run(src, "=difffuzz");
  } catch (e) {
    err = e instanceof LuaError ? `${e.kind}: ${e.message}` : `not a LuaError: ${String(e)}`;
  }
  lua.close();
  return { out: Buffer.concat(chunks).toString("latin1"), err };
}

function parseArgs(argv: string[]): { seed: number; count: number; minutes: number } {
  const a = { seed: Date.now() % 1e9, count: 0, minutes: 0 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--short") {
      a.seed = SHORT_SEED;
      a.count = SHORT_COUNT;
    } else if (argv[i] === "--seed") a.seed = Number(argv[++i]);
    else if (argv[i] === "--iterations") a.count = Number(argv[++i]);
    else if (argv[i] === "--minutes") a.minutes = Number(argv[++i]);
    else throw new Error(`unknown flag ${argv[i]}`);
  }
  if (a.count <= 0 && a.minutes <= 0) a.count = 1000;
  return a;
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  const end = a.minutes > 0 ? Date.now() + a.minutes * 60_000 : Infinity;
  let passed = 0,
    failed = 0;
  const t0 = performance.now();
  for (let i = 0; a.count > 0 ? i < a.count : Date.now() < end; i++) {
    const src = generate(a.seed, i, { nans: true });
    const off = await run(src, -1);
    const stress = (i % 6) - 1; // -1 → plain threshold 0; 0..4 → an exit every 1-5 instructions
    const on = await run(src, stress < 0 ? 0 : stress + 1);
    if (on.out === off.out && on.err === off.err) passed++;
    else {
      failed++;
      const file = `/tmp/jitdiff-${a.seed}-${i}.lua`;
      writeFileSync(file, src, "latin1");
      console.log(`program ${i} differs (stress ${stress < 0 ? "off" : stress + 1}): ${file}`);
      console.log(`  interpreter: ${JSON.stringify((off.out + "|" + off.err).slice(-300))}`);
      console.log(`  jit:         ${JSON.stringify((on.out + "|" + on.err).slice(-300))}`);
    }
    if ((i + 1) % 100 === 0) console.log(`${i + 1} programs, ${failed} failed`);
  }
  console.log(`seed ${a.seed}: ${passed + failed} programs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
