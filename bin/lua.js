#!/usr/bin/env node
// lua.js - the `lua-wasm` executable: runs the compiled CLI (dist/host/cli.js, built by `npm run build`).

let cli;
try {
  cli = await import("../dist/host/cli.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  process.stderr.write(`lua-wasm: ${e.message}\n(the host is not built: run npm run build)\n`);
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
