#!/usr/bin/env node
// luac.js - the `lua-wasm-luac` executable (host/luac.ts, compiled to dist/host/luac.js by npm run
// build): luac's options over our compiler (listing, parse only, precompiled chunks).
let luac;
try {
  luac = await import("../dist/host/luac.js");
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  process.stderr.write(`lua-wasm-luac: ${e.message}\n(the host is not built: run npm run build)\n`);
  process.exit(1);
}
// process.argv[1]: this executable's path as invoked (the program name in messages, as luac's argv[0])
process.exitCode = await luac.main(process.argv.slice(2), process.argv[1]);
