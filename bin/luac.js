#!/usr/bin/env node
// luac.js - the `lua-wasm-luac` executable (host/luac.ts, compiled to dist/host/luac.js by npm run
// build): luac's options over our compiler (listing, parse only, precompiled chunks).
// CommonJS, as every file in bin/ (bin/package.json): it imports the ES module.
"use strict";
import("../dist/host/luac.js").then(
  // process.argv[1]: this executable's path as invoked (the program name in messages, as luac's argv[0])
  async (luac) => {
    process.exitCode = await luac.main(process.argv.slice(2), process.argv[1]);
  },
  (e) => {
    if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
    process.stderr.write(`lua-wasm-luac: ${e.message}\n(the host is not built: run npm run build)\n`);
    process.exit(1);
  },
);
