// serve.mjs - the playground's dev server (`npm run playground`): builds web/ into build/web/ and
// rebuilds on every change (esbuild watch), then serves that folder on http://127.0.0.1:8080 (PORT to
// change it) with the headers that make the page cross-origin isolated (COOP same-origin, COEP
// require-corp: SharedArrayBuffer and full-precision timers; the page works without them too, and
// "stop" interrupts through the worker's event loop, see web/worker.ts).
// startServer() is also what the browser tests use (spec/playground/run.mjs), with or without those
// headers. Serves files under the root only; anything else is a 404.
//   node web/serve.mjs [--port N] [--no-isolation]

import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { bundleOptions, checkPrerequisites, copyStatic, DEFAULT_OUTDIR } from "./build.mjs";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".json": "application/json",
};

/** The headers that make a page cross-origin isolated (and its workers too). */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
};

/**
 * Serves `root` on 127.0.0.1:`port` (0: any free port). Resolves to { server, url, requests } where
 * requests lists [status, path] of every request (tests check for 404s).
 */
export function startServer({ root = DEFAULT_OUTDIR, port = 0, isolated = true } = {}) {
  const base = resolve(root);
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = resolve(base, "." + (path.endsWith("/") ? path + "index.html" : path));
    const headers = { "cache-control": "no-store", ...(isolated ? ISOLATION_HEADERS : {}) };
    if ((file !== base && !file.startsWith(base + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      requests.push([404, path]);
      res.writeHead(404, { ...headers, "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    requests.push([200, path]);
    res.writeHead(200, { ...headers, "content-type": MIME[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, ko) => {
    server.once("error", ko);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      ok({ server, url: `http://127.0.0.1:${p}/`, requests });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--port");
  const port = Number(i >= 0 ? args[i + 1] : (process.env.PORT ?? 8080));
  const isolated = !args.includes("--no-isolation");
  try {
    checkPrerequisites();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  const outdir = DEFAULT_OUTDIR;
  const options = bundleOptions(outdir, true);
  const ctx = await esbuild.context({
    ...options,
    plugins: [
      ...options.plugins,
      {
        name: "static-files",
        setup(build) {
          build.onEnd((result) => {
            if (result.errors.length > 0) return;
            copyStatic(outdir);
            console.log(`built ${new Date().toLocaleTimeString()}`);
          });
        },
      },
    ],
  });
  await ctx.watch();
  const { url } = await startServer({ root: outdir, port, isolated });
  console.log(`playground: ${url} (${isolated ? "cross-origin isolated" : "not isolated"}; Ctrl+C to stop)`);
  console.log(`  serving ${join(outdir)}; web/ is rebuilt on every change`);
}
