#!/usr/bin/env node
// lua.js - the `lua-wasm` executable: runs the CLI bundled into one file at build time
// (dist/host/cli.bundle.js, from host/cli.ts by `npm run build`: one module to read and link instead
// of the host's 18: importing it takes 8 ms instead of 16).
// V8 runs with its default tiering: the interpreter loop returns to its driver every 65,536
// instructions during a warm phase (assembly/vm/budget.ts), so a long script moves on to the
// optimised code as soon as V8 has it, without compiling everything with TurboFan at start.
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
