#!/usr/bin/env node
// build-cjs.mjs - dist/host/index.cjs, the package's CommonJS entry (`require("lua-wasm-persistent")`,
// the "require" condition under "node" in package.json's exports): host/node.ts bundled by esbuild
// into one CommonJS file. import.meta.url does not exist in CommonJS; it is replaced by this file's
// own file: URL, so the bundled module is found at the same ../../build/lua.wasm as from dist/host/.
// The CommonJS entry is a second copy of the classes: a program that both requires and imports the
// package gets two `LuaError` classes (npm's "dual package hazard"); each works on its own.

import { build } from "esbuild";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

await build({
  entryPoints: [join(ROOT, "host/node.ts")],
  outfile: join(ROOT, "dist/host/index.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  define: { "import.meta.url": "__luaWasmModuleUrl" },
  banner: { js: '"use strict";\nconst __luaWasmModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
