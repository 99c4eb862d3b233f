#!/usr/bin/env node
// lua.js - the `lua-wasm` executable: runs the CLI bundled into one CommonJS file at build time
// (dist/host/cli.bundle.cjs, from host/cli.ts by `npm run build`, scripts/build-cli.mjs), with the
// V8 code cache the build made for it. CommonJS (bin/package.json), because starting Node's ES
// module loader costs ~4 ms; the code cache saves compiling the functions a start runs (~5 ms).
// Invariant: whatever the cache holds, the code that runs is the bundle's: a cache made for
// other bytes (it holds a copy of them), another Node or other V8 flags (V8's own check) is not used.
//
// V8 runs with its default tiering: the interpreter loop returns to its driver every 65,536
// instructions during a warm phase (assembly/vm/budget.ts), so a long script moves on to the
// optimised code as soon as V8 has it, without compiling everything with TurboFan at start.
// The tiering budget is raised ~11x (V8's default 1,800,000): with the default, the few thousand
// instructions of any script exhaust the budget of the interpreter loop (a loop back-edge costs
// its whole 13 KB body), V8 starts a 14 ms TurboFan job in the background, and Node's exit then
// waits for it (10-18 ms of a hello world). Raised, a short script exits before any tier-up; a
// long one still tiers up within its first millisecond (bench/: every program as fast or faster).
// Lazy validation: V8 validates each wasm function when it first compiles it, instead of the whole
// module (400 KB, ~2 ms) before instantiating it; the module is ours and valid.
// Both are set here, for this process only, before the module is compiled (the library never
// changes V8 flags of its host).
"use strict";
// LUA_WASM_TRACE_STARTUP=1: the phases of this start in ms, as JSON on stderr at exit (bench/startup.mjs
// cli-phases); "node" is Node's own start, up to this file
const trace = process.env.LUA_WASM_TRACE_STARTUP ? { node: process.uptime() * 1000 } : null;
let traced = trace && process.hrtime();
function mark(phase) {
  if (trace === null) return;
  const [s, ns] = process.hrtime(traced);
  trace[phase] = (trace[phase] ?? 0) + s * 1e3 + ns / 1e6;
  traced = process.hrtime();
}
const { setFlagsFromString } = require("node:v8");
setFlagsFromString("--wasm-tiering-budget=20000000");
setFlagsFromString("--wasm-lazy-validation");
mark("flags");
const { readFileSync, writeFileSync } = require("node:fs");
const { join, dirname } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE = join(__dirname, "../dist/host/cli.bundle.cjs");
const CACHE = BUNDLE.replace(/\.cjs$/, ".cache");
/** Set by scripts/build-cli.mjs: after the run, write the code cache there. */
const WRITE_CACHE = process.env.LUA_WASM_WRITE_CODE_CACHE;

let bytes;
try {
  bytes = readFileSync(BUNDLE);
} catch (e) {
  if (e?.code !== "ENOENT") throw e;
  process.stderr.write(`lua-wasm: cannot find ${BUNDLE}\n(the host is not built: run npm run build)\n`);
  process.exit(1);
}
// The cache file: "lua-wasm code cache <n>\n", the n bytes of the bundle it was made for, then V8's
// code cache. V8 itself checks only the source's length, its own version and its flags; comparing
// the bytes costs less than loading node:crypto to hash them.
let cachedData;
if (!WRITE_CACHE) {
  try {
    const c = readFileSync(CACHE);
    const eol = c.indexOf(10);
    const n = Number(c.toString("latin1", 0, eol).slice("lua-wasm code cache ".length));
    if (n === bytes.length && bytes.equals(c.subarray(eol + 1, eol + 1 + n))) cachedData = c.subarray(eol + 1 + n);
  } catch {
    // no cache: compile as usual
  }
}
mark("read bundle");
// the bundle is ASCII (scripts/build-cli.mjs), so latin1 decodes it exactly, and faster than UTF-8
const wrapper = "(function (exports, require, module, __filename, __dirname) {" + bytes.toString("latin1") + "\n})";
const script = new Script(wrapper, { filename: BUNDLE, cachedData });
mark("compile bundle");
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, require, bundle, BUNDLE, dirname(BUNDLE));
mark("run bundle");

// process.argv[1]: this executable's path as invoked (arg's lowest index, as lua.c's argv[0])
bundle.exports.main(process.argv.slice(2), process.argv[1], trace && mark).then((status) => {
  process.exitCode = status;
  if (trace) process.stderr.write(JSON.stringify(trace) + "\n");
  // main() closed the state (lua_close: finalizers, files flushed); nothing else is left to run, so
  // the process ends here, as lua.c's exit() after main, unless output is still queued
  if (!WRITE_CACHE && !bundle.exports.outputPending()) process.exit(status);
  if (WRITE_CACHE)
    writeFileSync(
      WRITE_CACHE,
      Buffer.concat([Buffer.from(`lua-wasm code cache ${bytes.length}\n`), bytes, script.createCachedData()]),
    );
});
