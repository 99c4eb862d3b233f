// build.mjs - the playground's static build (`npm run build:web`): bundles web/main.ts (the page) and
// web/worker.ts (the Lua worker) with esbuild into build/web/, next to index.html, the stylesheet and
// the library's build/lua.wasm. The output is plain files that any static server can host (the stop
// button interrupts a run only where the server sends COOP/COEP headers, as web/serve.mjs does).
// The library is imported as a user imports it, by its package name; the alias below points that
// name at the compiled public entry (dist/host/index.js), so `npm run build` must have run first.
//   node web/build.mjs [--outdir DIR] [--dev]     (--dev: no minification, inline source maps)
// Invariant: the output directory holds exactly this build (it is emptied first).

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_OUTDIR = join(ROOT, "build/web");

/**
 * The library reaches node:fs only under Node (behind runtime checks, or for fs: "node", which the
 * playground never asks for), but a bundler still sees those imports: in the browser bundle every
 * `node:` module is an empty one, as a package's `"browser": { "fs": false }` would make it (CommonJS,
 * so that named imports of it are plain undefined properties rather than build warnings).
 */
const nodeBuiltinsEmpty = {
  name: "node-builtins-empty",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-empty" }));
    build.onLoad({ filter: /.*/, namespace: "node-empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

/** esbuild options shared by the one-off build and the dev server's rebuilds. */
export function bundleOptions(outdir, dev = false) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { main: "web/main.ts", worker: "web/worker.ts" },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: !dev,
    sourcemap: dev ? "inline" : false,
    // the package's public entry, compiled by `npm run build` (tsc)
    alias: { "lua-wasm-persistent": "./dist/host/index.js" },
    plugins: [nodeBuiltinsEmpty],
    loader: { ".lua": "text" },
    logLevel: "warning",
    legalComments: "none",
  };
}

/** The files besides the bundles: copied as they are. */
export function copyStatic(outdir) {
  copyFileSync(join(ROOT, "web/index.html"), join(outdir, "index.html"));
  copyFileSync(join(ROOT, "build/lua.wasm"), join(outdir, "lua.wasm"));
}

export function checkPrerequisites() {
  for (const f of ["dist/host/index.js", "build/lua.wasm"]) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
}

/** Builds the playground into outdir; returns the size of each file (bytes and gzip bytes). */
export async function buildWeb({ outdir = DEFAULT_OUTDIR, dev = false } = {}) {
  checkPrerequisites();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await esbuild.build(bundleOptions(outdir, dev));
  copyStatic(outdir);
  return sizes(outdir);
}

export function sizes(outdir) {
  const files = {};
  for (const name of readdirSync(outdir).sort()) {
    const p = join(outdir, name);
    if (!statSync(p).isFile()) continue;
    files[name] = { bytes: statSync(p).size, gzip: gzipSync(readFileSync(p), { level: 9 }).length };
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--outdir");
  const outdir = i >= 0 ? resolve(args[i + 1]) : DEFAULT_OUTDIR;
  try {
    const files = await buildWeb({ outdir, dev: args.includes("--dev") });
    let bytes = 0;
    let gzip = 0;
    for (const [name, s] of Object.entries(files)) {
      console.log(`${name.padEnd(12)} ${String(s.bytes).padStart(9)} bytes  ${String(s.gzip).padStart(8)} gzip`);
      bytes += s.bytes;
      gzip += s.gzip;
    }
    console.log(
      `${"total".padEnd(12)} ${String(bytes).padStart(9)} bytes  ${String(gzip).padStart(8)} gzip  -> ${outdir}`,
    );
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
