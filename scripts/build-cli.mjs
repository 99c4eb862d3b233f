#!/usr/bin/env node
// build-cli.mjs - the lua-wasm CLI's bundle (npm run build:cli, after tsc and with build/lua.wasm
// built): what bin/lua.js loads, made so that a start does as little as possible.
//   1. the driver (host/cli-driver.ts) precompiled by build/lua.wasm: string.dump of its source,
//      stripped, embedded in the bundle (esbuild's define), so the CLI loads it instead of compiling;
//   2. host/cli.ts and all it imports bundled by esbuild into one CommonJS file,
//      dist/host/cli.bundle.cjs (bin/lua.js is CommonJS: no ES module loader at start);
//      import.meta.url is replaced by the bundle's own file: URL (as in build-cjs.mjs);
//   3. V8's code cache of that bundle after a run of a hello world, dist/host/cli.bundle.cache,
//      written by bin/lua.js itself (LUA_WASM_WRITE_CODE_CACHE), so it was made with the very flags
//      and wrapper it is used with; it holds a copy of the bundle it was made for (bin/lua.js compares).
// Invariant: the three come from one build: the chunk is bytecode of build/lua.wasm as it is now
// (spec/host/cli.test.ts checks it), the cache is the current bundle's. Every step rewrites its
// output; a failure leaves no cache behind.

import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist/host/cli.bundle.cjs");
const CACHE = join(ROOT, "dist/host/cli.bundle.cache");

rmSync(CACHE, { force: true });
rmSync(join(ROOT, "dist/host/cli.bundle.js"), { force: true }); // the ES module bundle of earlier builds

// 1. the driver's chunk, dumped by the module this build ships (dist/host is tsc's output)
const { DRIVER, driverDump } = await import(pathToFileURL(join(ROOT, "dist/host/cli-driver.js")).href);
const { Lua } = await import(pathToFileURL(join(ROOT, "dist/host/index.js")).href);
const lua = await Lua.create({ rawStrings: true, wasm: join(ROOT, "build/lua.wasm") });
const [chunk] = lua.run(`${driverDump(DRIVER)} return chunk`, "=(lua-wasm driver)");
lua.close();
if (!(chunk instanceof Uint8Array) || chunk[0] !== 0x1b) throw new Error("build-cli: the driver did not dump");

// 2. the bundle
await build({
  entryPoints: [join(ROOT, "host/cli.ts")],
  outfile: OUT,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  charset: "ascii", // bin/lua.js decodes it as latin1
  define: {
    "import.meta.url": "__luaWasmModuleUrl",
    __LUA_WASM_DRIVER_CHUNK__: JSON.stringify(Buffer.from(chunk).toString("base64")),
  },
  banner: { js: '"use strict";\nconst __luaWasmModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
// esbuild escapes every non-ASCII character of code and strings but keeps the comments it copies:
// those become ASCII too, so bin/lua.js may decode the file as latin1 (faster than UTF-8)
const text = readFileSync(OUT, "utf8");
writeFileSync(
  OUT,
  text.replace(/[\u0080-\uffff]/g, (c) => (c === "\u2192" ? "->" : `\\u{${c.codePointAt(0).toString(16)}}`)),
);

// 3. the code cache, from a run of a hello world through bin/lua.js
const dir = mkdtempSync(join(tmpdir(), "lua-wasm-build-cli-"));
try {
  const hello = join(dir, "hello.lua");
  writeFileSync(hello, 'print("hello world")\n');
  const env = { ...process.env, LUA_WASM_WRITE_CODE_CACHE: CACHE };
  for (const v of ["LUA_WASM", "LUA_INIT", "LUA_INIT_5_4", "LUA_WASM_JIT", "LUA_WASM_JIT_STATS"]) delete env[v];
  const r = spawnSync(process.execPath, [join(ROOT, "bin/lua.js"), hello], {
    env,
    encoding: "utf8",
  });
  if (r.status !== 0 || r.stdout !== "hello world\n")
    throw new Error(`build-cli: the bundle's trial run failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
} catch (e) {
  rmSync(CACHE, { force: true });
  throw e;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
