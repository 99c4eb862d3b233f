#!/usr/bin/env node
// lua.js - the `lua-wasm` executable: runs the compiled CLI (dist/host/cli.js, built by `npm run build`).
// V8 has no on-stack replacement for wasm, so a script's single long call would otherwise run the
// interpreter loop in baseline (Liftoff) code: compiling eagerly with TurboFan costs ~20 ms at start
// and made bench/lua/loop.lua ~2x faster. LUA_WASM_LIFTOFF=1 keeps V8's default tiering.
import v8 from "node:v8";

if (process.env.LUA_WASM_LIFTOFF !== "1") v8.setFlagsFromString("--no-liftoff");

let cli;
try {
  cli = await import("../dist/host/cli.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  process.stderr.write(`lua-wasm: ${e.message}\n(the host is not built: run npm run build)\n`);
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
