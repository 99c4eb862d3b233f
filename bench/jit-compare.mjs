// jit-compare.mjs - in-process timing of Lua programs with the baseline JIT off and on (one run, runs
// interleaved so machine load hits both alike): median wall time of each, the ratio on/off, the
// functions compiled and the milliseconds the host spent compiling them. With --base DIR, compares
// instead this build with the JIT off against another build's host (DIR/dist/host/index.js), also
// off: the interpreter's speed before/after a change.
//   node bench/jit-compare.mjs [--runs N] [--base DIR] [--threshold N] [files or dirs ...]
// Default programs: bench/lua/*.lua and bench/jit/*.lua. Needs `npm run build` first.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
let runs = 5,
  base = null,
  threshold = 1000;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else if (args[i] === "--base") base = resolve(args[++i]);
  else if (args[i] === "--threshold") threshold = Number(args[++i]);
  else paths.push(resolve(args[i]));
}
if (paths.length === 0) paths.push(join(ROOT, "bench/lua"), join(ROOT, "bench/jit"));
const files = paths.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith(".lua"))
        .map((f) => join(p, f))
    : [p],
);

const ours = await import(pathToFileURL(join(ROOT, "dist/host/index.js")).href);
const theirs = base ? await import(pathToFileURL(join(base, "dist/host/index.js")).href) : null;

/** One timed run: wall ms, output, and the JIT's counters. */
async function once(mod, file, jit) {
  let out = "";
  const lua = await mod.Lua.create({
    stdout: (b) => (out += Buffer.from(b).toString("latin1")),
    jit,
    jitThreshold: threshold,
  });
  const code = readFileSync(file);
  const t0 = performance.now();
  lua.runScript(code, "@" + relative(ROOT, file), 0);
  const ms = performance.now() - t0;
  const w = lua.runtime.wasm;
  const stats = { compiles: w.jit?.compiles ?? 0, compileMs: w.jit?.compileMs ?? 0 };
  lua.close();
  return { ms, out, ...stats };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const label = base ? ["base", "this"] : ["off", "on"];
console.log(`program               ${label[0].padStart(9)} ${label[1].padStart(9)}   ratio  compiled  compile ms`);
const ratios = [];
for (const f of files) {
  const a = [],
    b = [];
  let last = null,
    ref = null;
  for (let r = 0; r < runs + 1; r++) {
    const x = base ? await once(theirs, f, false) : await once(ours, f, false);
    const y = base ? await once(ours, f, false) : await once(ours, f, true);
    if (r === 0) {
      ref = x.out;
      if (y.out !== x.out) console.log(`  ${relative(ROOT, f)}: OUTPUTS DIFFER`);
      continue; // warm-up
    }
    a.push(x.ms);
    b.push(y.ms);
    last = y;
  }
  void ref;
  const ratio = median(b) / median(a);
  ratios.push(ratio);
  console.log(
    `${relative(ROOT, f).padEnd(22)} ${median(a).toFixed(1).padStart(9)} ${median(b).toFixed(1).padStart(9)}  ${ratio
      .toFixed(2)
      .padStart(6)}  ${String(last.compiles).padStart(8)}  ${last.compileMs.toFixed(1).padStart(10)}`,
  );
}
const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
console.log(`geomean ratio ${label[1]}/${label[0]}: ${geo.toFixed(3)} (${runs} runs each, median)`);
