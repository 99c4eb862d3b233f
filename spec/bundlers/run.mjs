// run.mjs - the package as bundler users get it: `npm pack`, the tarball installed into a temporary app
// (offline), the tiny app of spec/bundlers/app/ built with esbuild, Vite, webpack and Rollup (the
// pinned devDependencies, through their Node APIs, one after another), served by Vite's dev server
// (vite-dev, and vite-dev-exclude with optimizeDeps.exclude), plus a CDN-style folder (dist/host/ and build/lua.wasm copied as they are, imported by
// a plain <script type="module">). Each app runs in one headless Chromium (playwright-core): eval
// with its print output captured, _home saved to IndexedDB and loaded again after a page reload.
// Checks per app: the build (or the dev server) reports no warning; no bundled file imports a `node:`
// module (the package's "browser" export condition keeps them out) and none holds a file: URL of the
// build machine; the page fetches exactly one
// module, the app's own copy; no request fails; the first visit, then a reload that finds the saved
// state. Prints each app's output size, then "N passed, N failed"; exit 1 on any failure.
//   node spec/bundlers/run.mjs [esbuild|vite|vite-dev|vite-dev-exclude|webpack|rollup|cdn ...]    (after npm run build)
//   env: CHROMIUM=/path/to/chromium, VERBOSE=1 (browser console), KEEP=1 (keep the temporary folder)
// Invariant: nothing here needs the network: the tarball has no dependencies and every bundler is a
// devDependency of this repository, resolved from its node_modules.

import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../../scripts/chromium.mjs";
import { check, eq, report, summary, test } from "../../scripts/tally.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const APP_SRC = join(ROOT, "spec/bundlers/app");
const PAGE_TIMEOUT_MS = 30_000;
const VERBOSE = process.env.VERBOSE === "1";
const ALL = ["esbuild", "vite", "vite-dev", "vite-dev-exclude", "webpack", "rollup", "cdn"];
const only = process.argv.slice(2);
const APPS = only.length > 0 ? ALL.filter((a) => only.includes(a)) : ALL;

const work = mkdtempSync(join(tmpdir(), "lua-wasm-bundlers-"));
const appDir = join(work, "app");
const outDir = join(work, "out");
let context = null;
let server = null;

async function finish() {
  try {
    await context?.close();
  } catch {
    /* already gone */
  }
  server?.close();
  if (process.env.KEEP === "1") console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(summary());
}

process.on("SIGTERM", () => void finish());

// ==== The package, packed and installed as a user would ====

for (const f of ["dist/host/index.js", "dist/host/node.js", "build/lua.wasm"]) {
  if (!existsSync(join(ROOT, f))) {
    report("setup", `${f} is missing: run npm run build first`);
    await finish();
  }
}

const installed = await test("npm pack, then the tarball installs offline into an app", () => {
  const t0 = performance.now();
  // npm pack runs `prepare` (scripts/prepare.mjs), which builds nothing when build/ and dist/ are current
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" }),
  )[0];
  const t1 = performance.now();
  mkdirSync(join(appDir, "src"), { recursive: true });
  writeFileSync(join(appDir, "package.json"), JSON.stringify({ name: "bundler-app", private: true, type: "module" }));
  execFileSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", join(work, packed.filename)],
    { cwd: appDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const t2 = performance.now();
  for (const f of ["app.js", "main.js", "main-esbuild.js"]) cpSync(join(APP_SRC, f), join(appDir, "src", f));
  cpSync(join(APP_SRC, "index.html"), join(appDir, "index.html"));
  check(
    existsSync(join(appDir, "node_modules/lua-wasm-persistent/build/lua.wasm")),
    "the installed package has no lua.wasm",
  );
  console.log(
    `     npm pack ${(t1 - t0).toFixed(0)} ms (${(packed.size / 1024).toFixed(0)} KiB), ` +
      `npm install --offline ${(t2 - t1).toFixed(0)} ms`,
  );
});
if (!installed) await finish();

// ==== The HTTP server for the built apps: <out>/<app>/... at /<app>/... ====

server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  let file = resolve(outDir, "." + decodeURIComponent(url.pathname));
  if (url.pathname.endsWith("/")) file = join(file, "index.html");
  if (!file.startsWith(outDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  res.writeHead(200, {
    "content-type": MIME[extname(file)] ?? "application/octet-stream",
    "cache-control": "no-store",
  });
  res.end(readFileSync(file));
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

// ==== The builds ====

/** Builds that report warnings fail: each message is kept for the report. */
const BUILDS = {
  async esbuild(dir) {
    const esbuild = await import("esbuild");
    const r = await esbuild.build({
      absWorkingDir: appDir,
      entryPoints: ["src/main-esbuild.js"],
      entryNames: "main",
      outdir: dir,
      bundle: true,
      format: "esm",
      platform: "browser",
      minify: true,
      loader: { ".wasm": "file" },
      logLevel: "silent",
    });
    writeFileSync(join(dir, "index.html"), page(`<script type="module" src="./main.js"></script>`));
    return r.warnings.map((w) => w.text);
  },

  async vite(dir) {
    const { build, createLogger } = await import("vite");
    const warnings = [];
    const logger = createLogger("warn", { allowClearScreen: false });
    logger.warn = (msg) => warnings.push(msg);
    logger.warnOnce = (msg) => warnings.push(msg);
    await build({
      root: appDir,
      configFile: false,
      base: "./",
      logLevel: "warn",
      customLogger: logger,
      build: { outDir: dir, emptyOutDir: true },
    });
    return warnings;
  },

  async webpack(dir) {
    const { default: webpack } = await import("webpack");
    const compiler = webpack({
      mode: "production",
      context: appDir,
      entry: "./src/main.js",
      output: { path: dir, filename: "main.js", clean: true },
      target: "web",
      devtool: false,
      // the module (~400 KB) is above webpack's 244 KiB advice for one asset: the README's setting
      performance: { maxAssetSize: 600_000 },
    });
    const stats = await new Promise((done, fail) =>
      compiler.run((err, s) => (err ? fail(err) : compiler.close(() => done(s)))),
    );
    const j = stats.toJson({ all: false, errors: true, warnings: true });
    if (j.errors.length > 0) throw new Error(j.errors.map((e) => e.message).join("\n"));
    writeFileSync(join(dir, "index.html"), page(`<script src="./main.js"></script>`));
    return j.warnings.map((w) => w.message);
  },

  async rollup(dir) {
    const { rollup } = await import("rollup");
    const { nodeResolve } = await import("@rollup/plugin-node-resolve");
    const { importMetaAssets } = await import("@web/rollup-plugin-import-meta-assets");
    const warnings = [];
    const bundle = await rollup({
      input: join(appDir, "src/main.js"),
      plugins: [nodeResolve({ browser: true }), importMetaAssets()],
      onwarn: (w) => warnings.push(w.message),
    });
    await bundle.write({ dir, format: "es", entryFileNames: "main.js" });
    await bundle.close();
    writeFileSync(join(dir, "index.html"), page(`<script type="module" src="./main.js"></script>`));
    return warnings;
  },

  async cdn(dir) {
    const pkg = join(appDir, "node_modules/lua-wasm-persistent");
    mkdirSync(dir, { recursive: true });
    cpSync(join(pkg, "dist/host"), join(dir, "lua-wasm-persistent/dist/host"), { recursive: true });
    cpSync(join(pkg, "build/lua.wasm"), join(dir, "lua-wasm-persistent/build/lua.wasm"));
    cpSync(join(APP_SRC, "app.js"), join(dir, "app.js"));
    cpSync(join(APP_SRC, "cdn.html"), join(dir, "index.html"));
    return [];
  },
};

function page(script) {
  return `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<title>lua-wasm-persistent bundler test</title>\n${script}\n`;
}

function filesUnder(dir) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) visit(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  visit(dir);
  return out;
}

/** An import or require of a `node:` module (comments that merely mention node:fs do not count). */
const NODE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*(?:\/\*.*?\*\/\s*)*|\brequire\s*\(\s*|\bimport\s+)["'`]node:/;

/**
 * The scripts a page of this app may load: every JavaScript file a bundler wrote; for the CDN folder,
 * the modules dist/host/index.js reaches by static or dynamic relative imports (the folder also holds
 * the node entry and the CLI, which no page loads).
 */
function shippedScripts(name, dir) {
  if (name !== "cdn") return filesUnder(dir).filter((f) => /\.(m?js|cjs)$/.test(f));
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(
      /(?:\bfrom\s*|\bimport\s*\(\s*(?:\/\*.*?\*\/\s*)*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g,
    ))
      walk(resolve(dirname(file), m[1]));
  };
  walk(join(dir, "app.js"));
  walk(join(dir, "lua-wasm-persistent/dist/host/index.js"));
  check(seen.size > 10, `only ${seen.size} modules reached from dist/host/index.js`);
  return [...seen];
}

/** Bytes of JavaScript (and gzipped) and of wasm in an app's output. */
function sizes(name, dir) {
  const scripts = shippedScripts(name, dir);
  let js = 0;
  let gz = 0;
  let wasm = 0;
  for (const f of filesUnder(dir)) {
    if (f.endsWith(".wasm")) wasm += statSync(f).size;
    else if (/\.(m?js|cjs)$/.test(f) && scripts.includes(f)) {
      const b = readFileSync(f);
      js += b.length;
      gz += gzipSync(b).length;
    }
  }
  return { js, gz, wasm };
}

/** Apps ready to run: { name, url, wasm (the module's path the page must fetch), after (checks once it ran) }. */
const built = [];
const sizeLines = [];
const viteDevs = [];
for (const name of APPS) {
  const dir = join(outDir, name);
  if (name.startsWith("vite-dev")) {
    await test(`${name}: the dev server starts`, async () => {
      const dev = await startViteDev(name);
      viteDevs.push(dev);
      built.push({ name, url: dev.url, wasm: /\/node_modules\/lua-wasm-persistent\/build\/lua\.wasm$/ });
    });
    continue;
  }
  await test(`${name}: builds the app without warnings, and no bundled file imports a node: module`, async () => {
    const t0 = performance.now();
    const warnings = await BUILDS[name](dir);
    const ms = performance.now() - t0;
    check(warnings.length === 0, `${warnings.length} warning(s):\n${warnings.join("\n")}`);
    const nodeImports = shippedScripts(name, dir)
      .filter((f) => NODE_IMPORT.test(readFileSync(f, "utf8")))
      .map((f) => relative(dir, f));
    eq(nodeImports, [], "files importing a node: module");
    // webpack writes the build machine's file: URL of a module wherever it uses import.meta.url
    const buildPaths = shippedScripts(name, dir)
      .filter((f) => readFileSync(f, "utf8").includes("file://"))
      .map((f) => relative(dir, f));
    eq(buildPaths, [], "files holding a file: URL of the build machine");
    const wasms = filesUnder(dir).filter((f) => f.endsWith(".wasm"));
    eq(wasms.length, 1, `.wasm files in the output (${wasms.map((f) => relative(dir, f)).join(", ")})`);
    const s = sizes(name, dir);
    sizeLines.push(
      `${name.padEnd(8)} JS ${(s.js / 1024).toFixed(1).padStart(6)} KiB (gzip ${(s.gz / 1024).toFixed(1).padStart(5)} KiB), ` +
        `wasm ${(s.wasm / 1024).toFixed(1)} KiB, built in ${(ms / 1000).toFixed(1)} s`,
    );
    const wasm = "/" + name + "/" + relative(dir, wasms[0]).split(sep).join("/");
    built.push({
      name,
      url: `${ORIGIN}/${name}/`,
      wasm: new RegExp(`^${wasm.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
    });
  });
}

/**
 * `vite` (the dev server) on the same app: dependencies are pre-bundled into node_modules/.vite and
 * files are served from the installed package; vite-dev-exclude serves the package unbundled, as
 * with `optimizeDeps.exclude` (each of its files is then read, with any source map it names). Its
 * warnings and errors (a source map it cannot read, a module it cannot resolve) are collected while
 * the pages load and checked afterwards.
 */
async function startViteDev(name) {
  const { createServer: createViteServer, createLogger } = await import("vite");
  const problems = [];
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (msg) => problems.push(msg);
  logger.warnOnce = (msg) => problems.push(msg);
  logger.error = (msg) => problems.push(msg);
  const server = await createViteServer({
    root: appDir,
    configFile: false,
    base: `/${name}/`,
    optimizeDeps: name === "vite-dev-exclude" ? { exclude: ["lua-wasm-persistent"] } : {},
    logLevel: "warn",
    customLogger: logger,
    cacheDir: join(work, `${name}-cache`),
    server: { host: "127.0.0.1", port: 0, hmr: false, watch: null },
  });
  await server.listen();
  return { name, server, problems, url: `http://127.0.0.1:${server.httpServer.address().port}/${name}/` };
}

// ==== Serving the outputs and running them in Chromium ====

const MIME = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".html": "text/html; charset=utf-8",
};

if (built.length > 0) {
  const profile = join(work, "profile");
  try {
    context = await launchChromium(profile);
  } catch (e) {
    report("launching Chromium", e);
    await finish();
  }
}

/**
 * Loads (or reloads) the app's page and returns window.result with the paths of the .wasm files it
 * fetched; fails on a page error or a response of 400 or more.
 */
async function visit(page, url, reload) {
  const errors = [];
  const wasm = [];
  const bad = [];
  const onError = (e) => errors.push(e.message);
  const onResponse = (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith(".wasm")) wasm.push(path);
    if (r.status() >= 400) bad.push(`${r.status()} ${path}`);
  };
  page.on("pageerror", onError);
  page.on("response", onResponse);
  try {
    if (reload) await page.reload({ waitUntil: "load" });
    else await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => window.result !== undefined || window.resultError !== undefined, null, {
      timeout: PAGE_TIMEOUT_MS,
    });
  } finally {
    page.off("pageerror", onError);
    page.off("response", onResponse);
  }
  const r = await page.evaluate(() => ({ result: window.result, error: window.resultError }));
  check(r.error === undefined, `the app failed: ${r.error}`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  eq(bad, [], "failed requests");
  return { ...r.result, wasm };
}

for (const { name, url, wasm } of built) {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (VERBOSE || m.type() === "error") console.log(`     [browser ${m.type()}] ${m.text()}`);
  });
  const fine =
    await test(`${name}: the app runs in Chromium: eval, print output, the module from the app's output`, async () => {
      const r = await visit(page, url, false);
      eq(r.values, [1, 42, " 3.14"], "eval's values");
      eq(r.output, "hello from Lua 5.4\t1\n", "captured print output");
      eq(r.loaded, false, "loadState() on the first visit");
      check(
        r.wasm.length === 1 && wasm.test(r.wasm[0]),
        `wasm fetched: ${JSON.stringify(r.wasm)}, expected one matching ${wasm}`,
      );
    });
  if (fine)
    await test(`${name}: after a reload, _home comes back from IndexedDB`, async () => {
      const r = await visit(page, url, true);
      eq(r.loaded, true, "loadState() after the reload");
      eq(r.values, [2, 42, " 3.14"], "eval's values");
      eq(r.output, "hello from Lua 5.4\t2\n", "captured print output");
    });
  await page.close();
}

for (const dev of viteDevs) {
  await test(`${dev.name}: no warning or error from the dev server while it served the app`, () => {
    check(dev.problems.length === 0, `${dev.problems.length} message(s):\n${dev.problems.join("\n")}`);
  });
  await dev.server.close();
}

console.log("\noutput sizes (the app's JavaScript, minified except Rollup's, and the module):");
for (const l of sizeLines) console.log(`  ${l}`);
await finish();
