#!/usr/bin/env node
// prepare.mjs - npm's `prepare` hook (run by `npm install` in a checkout, by `npm pack`/`publish`,
// and by npm when it installs this package from git): builds what is missing or older than its
// sources, and nothing else, so installing or packing an up-to-date checkout costs no build.
//   build/lua.wasm       from assembly/**, asconfig.json                  (npm run build:wasm)
//   dist/host/*          from host/**, tsconfig.json, build/lua.wasm      (npm run build:host)
// Why `prepare` and not `prepack`: npm installs a git dependency by installing its devDependencies
// and running only `prepare` before packing it (pacote's DirFetcher), so a build in `prepack` alone
// would install from git without dist/. A tarball (the registry's or `npm pack`'s) runs no script.
// A stale build without the build tools (a checkout installed with --omit=dev) is an error that
// says what to do, not a bare `asc: not found`.
//   node scripts/prepare.mjs [--check] [--root DIR]
//     --check: report what is stale on stderr, build nothing, exit 1 if anything is
//     --root: the tree to look at (default: this repository)
// Its notes go to stderr: `npm pack --json` prints this hook's stdout before its JSON.
// Invariant: after a successful run every output is newer than every one of its sources.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const rootAt = process.argv.indexOf("--root"); // another tree (spec/host/package.test.ts's fake one)
const ROOT = rootAt > 0 ? resolve(process.argv[rootAt + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The newest modification time under the given files and folders (0 when none exists). */
function newest(paths) {
  let t = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
    else t = Math.max(t, st.mtimeMs);
  };
  for (const p of paths) visit(join(ROOT, p));
  return t;
}

/** The oldest modification time of the outputs; 0 when one is missing. */
function oldest(paths) {
  let t = Infinity;
  for (const p of paths) {
    const f = join(ROOT, p);
    if (!existsSync(f)) return 0;
    t = Math.min(t, statSync(f).mtimeMs);
  }
  return t;
}

const STEPS = [
  {
    script: "build:wasm",
    tool: "asc",
    outputs: ["build/lua.wasm"],
    sources: ["assembly", "asconfig.json"],
  },
  {
    script: "build:host",
    tool: "tsc",
    // the CLI's bundle embeds bytecode made by build/lua.wasm (scripts/build-cli.mjs)
    outputs: [
      "dist/host/index.js",
      "dist/host/node.js",
      "dist/host/index.cjs",
      "dist/host/cli.bundle.cjs",
      "dist/host/cli.bundle.cache",
    ],
    sources: ["host", "tsconfig.json", "scripts/build-cjs.mjs", "scripts/build-cli.mjs", "build/lua.wasm"],
  },
];

const checkOnly = process.argv.includes("--check");
// stale: older than a source, or made from the output of an earlier stale step (which will be newer)
const stale = [];
for (const s of STEPS)
  if (
    oldest(s.outputs) <= newest(s.sources) ||
    stale.some((earlier) => earlier.outputs.some((o) => s.sources.includes(o)))
  )
    stale.push(s);
if (stale.length === 0) {
  console.error("lua-wasm-persistent: build/ and dist/ are up to date (nothing to build)");
  process.exit(0);
}
if (checkOnly) {
  console.error(`lua-wasm-persistent: stale: ${stale.map((s) => s.script).join(", ")}`);
  process.exit(1);
}
for (const s of stale) {
  if (!existsSync(join(ROOT, "node_modules", ".bin", s.tool))) {
    console.error(
      `lua-wasm-persistent: ${s.outputs[0]} must be built (npm run ${s.script}) but ${s.tool} is not installed: ` +
        "this is an unbuilt checkout without its devDependencies. Run `npm install` (with dev dependencies) in it, " +
        "or install the published package or a tarball made by `npm pack`, which are built.",
    );
    process.exit(1);
  }
  console.error(`lua-wasm-persistent: npm run ${s.script}`);
  const r = spawnSync("npm", ["run", "--silent", s.script], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
