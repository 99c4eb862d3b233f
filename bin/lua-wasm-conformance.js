#!/usr/bin/env node
// lua-wasm-conformance.js - the `lua-wasm-conformance` executable: runs a directory of Lua test files
// (e.g. the official suite, lua/testes) through the built module; see spec/conformance.mjs.
// CommonJS, as every file in bin/ (bin/package.json): it imports the ES module.
"use strict";
import("../spec/conformance.mjs").then(async ({ main }) => {
  process.exitCode = await main(process.argv.slice(2));
});
