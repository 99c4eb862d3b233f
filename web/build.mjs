// build.mjs - the playground's static build (`npm run build:web`): bundles web/main.ts (the page) and
// web/worker.ts (the Lua worker) with esbuild into build/web/, next to index.html, the stylesheet and
// the library's build/lua.wasm; web/peer-worker.ts and wasmoon's glue.wasm too (loaded by the page
// only for "Compare with wasmoon"). The output is plain files that any static server can host.
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
 * wasmoon's Emscripten glue imports Node's built-ins in its Node branch only, but a bundler still
 * sees those imports: in the browser bundles every Node built-in is an empty module, as a package's
 * `"browser": { "fs": false }` would make it (CommonJS, so that named imports of it are undefined
 * properties rather than build warnings). The library's browser entry imports none.
 */
const nodeBuiltinsEmpty = {
  name: "node-builtins-empty",
  setup(build) {
    // wasmoon names some without the node: prefix
    build.onResolve({ filter: /^(node:.*|url|module|fs|path)$/ }, (args) => ({
      path: args.path,
      namespace: "node-empty",
    }));
    build.onLoad({ filter: /.*/, namespace: "node-empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

/** esbuild options shared by the one-off build and the dev server's rebuilds. */
export function bundleOptions(outdir, dev = false) {
  return {
    absWorkingDir: ROOT,
    // peer-worker: wasmoon, for the "Compare with wasmoon" button (loaded only when pressed)
    entryPoints: { main: "web/main.ts", worker: "web/worker.ts", "peer-worker": "web/peer-worker.ts" },
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
  copyFileSync(join(ROOT, "node_modules/wasmoon/dist/glue.wasm"), join(outdir, "glue.wasm"));
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

/** Files the page loads only for "Compare with wasmoon". */
export const LAZY_FILES = ["peer-worker.js", "glue.wasm"];

/** Sums of the sizes: what the page loads at start, and what only the wasmoon comparison loads. */
export function totals(files) {
  const sum = (names) =>
    names.reduce((a, n) => ({ bytes: a.bytes + files[n].bytes, gzip: a.gzip + files[n].gzip }), { bytes: 0, gzip: 0 });
  const names = Object.keys(files);
  return {
    start: sum(names.filter((n) => !LAZY_FILES.includes(n))),
    lazy: sum(names.filter((n) => LAZY_FILES.includes(n))),
  };
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
    const line = (name, s) =>
      console.log(`${name.padEnd(26)} ${String(s.bytes).padStart(9)} bytes  ${String(s.gzip).padStart(8)} gzip`);
    for (const [name, s] of Object.entries(files)) line(name, s);
    const { start, lazy } = totals(files);
    line("loaded by the page", start);
    line("loaded for wasmoon only", lazy);
    console.log(`-> ${outdir}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
