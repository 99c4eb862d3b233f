// jit-modules.mjs - what the baseline JIT's modules cost V8 to compile: each program runs once in
// process with the JIT on (default threshold), every module the JIT installs is kept, and a child
// process then compiles each the way V8's tiers do, eagerly (--no-wasm-lazy-compilation) with
// Liftoff only and with TurboFan only (--no-liftoff), single-threaded: the medians of 5 compiles.
// A compiled function runs in Liftoff's code until V8's background TurboFan job for it is done (in
// a fresh process, behind the interpreter loop's own), so these times are the warm-up a program's
// first run pays for what the JIT made, on top of the JIT's own compile that `npm run bench --
// --jit` reports. Judge a code-shape change of the JIT by both bytes and TurboFan milliseconds.
//   node bench/jit-modules.mjs [--wasm FILE] [files or dirs ...]   (default: bench/lua/*.lua)
// Needs `npm run build` first.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

// the child: node --no-liftoff|--liftoff-only ... jit-modules.mjs --measure DIR → JSON {file: ms}
if (args[0] === "--measure") {
  const dir = args[1];
  const out = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".wasm"))) {
    const bytes = readFileSync(join(dir, f));
    const ms = [];
    for (let k = 0; k < 5; k++) {
      // a custom section with k makes the bytes new each time: V8 keeps compiled modules by their bytes
      const b = Buffer.concat([bytes, Buffer.from([0, 3, 1, 0x6b, k])]);
      const t = performance.now();
      new WebAssembly.Module(b);
      ms.push(performance.now() - t);
    }
    out[f] = ms.sort((x, y) => x - y)[2];
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

let wasm;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--wasm") wasm = resolve(args[++i]);
  else paths.push(resolve(args[i]));
}
if (paths.length === 0) paths.push(join(ROOT, "bench/lua"));
const files = paths.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith(".lua"))
        .sort()
        .map((f) => join(p, f))
    : [p],
);

// every module compiled from here on that is not ours (the interpreter's is far bigger) is the JIT's
const Module = WebAssembly.Module;
let kept = null;
WebAssembly.Module = function (bytes, ...rest) {
  if (kept !== null && bytes.byteLength < 1 << 20) kept.push(new Uint8Array(bytes).slice());
  return new Module(bytes, ...rest);
};
WebAssembly.Module.prototype = Module.prototype;
for (const k of ["imports", "exports", "customSections"]) WebAssembly.Module[k] = Module[k];

const { Lua } = await import(pathToFileURL(join(ROOT, "dist/host/index.js")).href);
const dir = mkdtempSync(join(tmpdir(), "jit-modules-"));
const rows = [];
for (const file of files) {
  const lua = await Lua.create({ jit: true, stdout: () => {}, ...(wasm ? { wasm } : {}) });
  kept = [];
  lua.run(readFileSync(file, "utf8"), "@" + relative(ROOT, file));
  const name = relative(ROOT, file).replace(/[/\\]/g, "_");
  kept.forEach((b, k) => writeFileSync(join(dir, `${name}.${k}.wasm`), b));
  rows.push({ file: relative(ROOT, file), name, modules: kept.length, bytes: kept.reduce((s, b) => s + b.length, 0) });
  kept = null;
  lua.close();
}

const measure = (flag) => {
  const p = spawnSync(
    process.execPath,
    [flag, "--no-wasm-lazy-compilation", "--single-threaded", fileURLToPath(import.meta.url), "--measure", dir],
    { encoding: "utf8" },
  );
  if (p.status !== 0) throw new Error(`measuring with ${flag} failed: ${p.stderr}`);
  return JSON.parse(p.stdout);
};
const turbofan = measure("--no-liftoff");
const liftoff = measure("--liftoff-only");
rmSync(dir, { recursive: true });

const sum = (times, name) =>
  Object.entries(times)
    .filter(([f]) => f.startsWith(name + "."))
    .reduce((s, [, ms]) => s + ms, 0);
const pad = (s, n) => String(s).padStart(n);
console.log(`JIT modules of each program's first run (${new Date().toISOString()}), compile times single-threaded:`);
console.log(`${"program".padEnd(28)} modules      bytes  Liftoff  TurboFan`);
let tb = 0,
  tl = 0,
  tt = 0,
  tm = 0;
for (const r of rows) {
  const l = sum(liftoff, r.name),
    t = sum(turbofan, r.name);
  tb += r.bytes;
  tl += l;
  tt += t;
  tm += r.modules;
  console.log(
    `${r.file.padEnd(28)} ${pad(r.modules, 7)} ${pad(r.bytes, 10)} ${pad(l.toFixed(1), 6)} ms ${pad(t.toFixed(1), 6)} ms`,
  );
}
console.log(`${"all".padEnd(28)} ${pad(tm, 7)} ${pad(tb, 10)} ${pad(tl.toFixed(1), 6)} ms ${pad(tt.toFixed(1), 6)} ms`);
