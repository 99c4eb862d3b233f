#!/usr/bin/env node
// lua-wasm-conformance.js - the `lua-wasm-conformance` executable: runs a directory of Lua test files
// (e.g. the official suite, lua/testes) through the built module; see spec/conformance.mjs.
const { main } = await import("../spec/conformance.mjs");
process.exitCode = await main(process.argv.slice(2));
