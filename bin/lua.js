#!/usr/bin/env node
// lua.js - the `lua-wasm` executable: runs the CLI bundled into one file at build time
// (dist/host/cli.bundle.js, from host/cli.ts by `npm run build`: one module to read and link instead
// of the host's 18: importing it takes 8 ms instead of 16).
// V8 runs with its default tiering: the interpreter loop returns to its driver every 65,536
// instructions during a warm phase (assembly/vm/budget.ts), so a long script moves on to the
// optimised code as soon as V8 has it, without compiling everything with TurboFan at start.
// The tiering budget is raised ~11x (V8's default 1,800,000): with the default, the few thousand
// instructions of any script exhaust the budget of the interpreter loop (a loop back-edge costs
// its whole 13 KB body), V8 starts a 14 ms TurboFan job in the background, and Node's exit then
// waits for it (10-18 ms of a hello world). Raised, a short script exits before any tier-up; a
// long one still tiers up within its first millisecond (bench/: every program as fast or faster).
// It is set here, for this process only, before the module is compiled (the library never
// changes V8 flags of its host).
import { setFlagsFromString } from "node:v8";
setFlagsFromString("--wasm-tiering-budget=20000000");
let cli;
try {
  cli = await import("../dist/host/cli.bundle.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  process.stderr.write(`lua-wasm: ${e.message}\n(the host is not built: run npm run build)\n`);
  process.exit(1);
}
// process.argv[1]: this executable's path as invoked (arg's lowest index, as lua.c's argv[0])
process.exitCode = await cli.main(process.argv.slice(2), process.argv[1]);
