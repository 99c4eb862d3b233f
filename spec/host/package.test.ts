// package.test.ts - what `npm pack` ships and how it installs: the built module, the compiled host with
// its types, the node, browser and CommonJS entries, the CLI bundle, the license; no source maps
// (their sources are not shipped), no tests, fixtures or READMEs but the package's own. The tarball
// (of the current build: `npm pack --ignore-scripts`) is installed offline into a temporary folder
// as a user would, and used from there: `lua-wasm -e`, `require`, `import` in Node (also as Node
// before 20.16 sees it, without process.getBuiltinModule), the browser entry's clear error in Node.
// Reports the tarball's size, the install time and the CLI's start-up time. Also checks the `prepare`
// hook's decisions (scripts/prepare.mjs) and which build/lua.wasm the loader picks by default, on fake
// trees, without building anything.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWasmUrl } from "../../host/loader.js";

const ROOT = join(import.meta.dirname, "../..");
const built = existsSync(join(ROOT, "dist/host/index.js")) && existsSync(join(ROOT, "dist/host/index.cjs"));

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

function pack(args: string[]): Packed {
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return JSON.parse(out)[0] as Packed;
}

/** Runs node in the app folder; returns stdout (throws with stderr on a non-zero exit). */
function node(cwd: string, args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!built)("the npm package", () => {
  it("ships the module, the host with types, its entries, the CLI and the license, and no maps or tests", () => {
    const p = pack(["--dry-run"]);
    const files = p.files.map((f) => f.path);
    for (const needed of [
      "LICENSE",
      "README.md",
      "package.json",
      "build/lua.wasm",
      "dist/host/index.js",
      "dist/host/index.d.ts",
      "dist/host/node.js",
      "dist/host/platform-node.js",
      "dist/host/index.cjs",
      "dist/host/cli.bundle.cjs",
      "dist/host/cli.bundle.cache",
      "bin/lua.js",
      "bin/package.json",
    ])
      expect(files).toContain(needed);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    // nor a comment pointing at a map (Vite's dev server and browsers would fail to read it)
    const mapComments = files.filter(
      (f) => f.endsWith("js") && readFileSync(join(ROOT, f), "utf8").includes("sourceMappingURL"),
    );
    expect(mapComments).toEqual([]);
    expect(files.filter((f) => /\.test\.|fixtures|\/fuzz\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith("assembly/") || f.startsWith("host/"))).toEqual([]);
    // the CLI runs from its bundle: tsc's separate cli.js (and the driver it embeds) is dead weight
    expect(files.filter((f) => /^dist\/host\/cli(-driver)?\.(js|d\.ts)$/.test(f))).toEqual([]);
    // npm packs a README* of any folder it ships: the only one must be the package's own
    expect(files.filter((f) => /(^|\/)readme/i.test(f))).toEqual(["README.md"]);
    console.log(
      `npm pack: ${files.length} files, ${(p.size / 1024).toFixed(0)} KiB packed, ${(p.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
    );
    expect(p.size).toBeLessThan(1024 * 1024);
  });

  it("declares export conditions for browsers, Node (import and require) and the rest, and the Node it is tested on", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.exports["."]).toEqual({
      types: "./dist/host/index.d.ts",
      browser: "./dist/host/index.js",
      node: { require: "./dist/host/index.cjs", default: "./dist/host/node.js" },
      default: "./dist/host/index.js",
    });
    expect(pkg.exports["./lua.wasm"]).toBe("./build/lua.wasm");
    expect(pkg.engines).toEqual({ node: ">=20" });
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(20);
    expect(pkg.scripts.prepack).toBeUndefined();
    expect(pkg.scripts.prepare).toBe("node scripts/prepare.mjs");
  });

  describe("installed from its tarball", () => {
    let dir = "";
    let app = "";

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "lua-wasm-package-"));
      app = join(dir, "app");
      mkdirSync(app);
      writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
      const p = pack(["--pack-destination", dir]);
      const t0 = performance.now();
      execFileSync(
        "npm",
        ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", join(dir, p.filename)],
        { cwd: app, stdio: ["ignore", "pipe", "pipe"] },
      );
      const ms = performance.now() - t0;
      console.log(`npm install --offline <tgz>: ${ms.toFixed(0)} ms (${(p.size / 1024).toFixed(0)} KiB)`);
      // no script runs and nothing is fetched or built: npm's own start-up is most of it
      expect(ms).toBeLessThan(10_000);
    }, 60_000);

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("installs nothing else and builds nothing", () => {
      const pkgDir = join(app, "node_modules/lua-wasm-persistent");
      expect(existsSync(join(pkgDir, "node_modules"))).toBe(false);
      expect(existsSync(join(pkgDir, "build/lua.wasm"))).toBe(true);
      expect(existsSync(join(pkgDir, "assembly"))).toBe(false);
    });

    it("node_modules/.bin/lua-wasm starts at once", () => {
      const t0 = performance.now();
      const out = execFileSync(join(app, "node_modules/.bin/lua-wasm"), ["-e", "print(1)"], { encoding: "utf8" });
      const ms = performance.now() - t0;
      console.log(`node_modules/.bin/lua-wasm -e "print(1)": ${ms.toFixed(0)} ms`);
      expect(out).toBe("1\n");
      expect(ms).toBeLessThan(5_000);
    });

    it("require() gets the CommonJS entry, which finds the bundled module", () => {
      const out = node(app, [
        "-e",
        `const lib = require("lua-wasm-persistent");
         const path = require.resolve("lua-wasm-persistent");
         lib.Lua.create({ fs: "node" }).then((L) => {
           const r = L.run("return 6 * 7, _VERSION, io.open('package.json'):read('a'):sub(1, 14)");
           console.log(JSON.stringify([path.split("/").slice(-3), r, typeof lib.LuaPersistent, typeof lib.FileStorage]));
         });`,
      ]);
      expect(JSON.parse(out)).toEqual([
        ["dist", "host", "index.cjs"],
        [42, "Lua 5.4", '{"name":"app",'],
        "function",
        "function",
      ]);
    });

    it("import() in Node gets the node entry, which works without process.getBuiltinModule (Node < 20.16)", () => {
      const out = node(app, [
        "--input-type=module",
        "-e",
        `delete process.getBuiltinModule;
         const { Lua, FileStorage } = await import("lua-wasm-persistent");
         const L = await Lua.create({ fs: "node", storage: new FileStorage("home.img") });
         L.run("_home.n = 5 io.open('out.txt', 'w'):write('written'):close()");
         await L.saveState();
         const M = await Lua.create({ storage: new FileStorage("home.img") });
         await M.loadState();
         console.log(JSON.stringify([import.meta.resolve("lua-wasm-persistent").split("/").slice(-3), M.run("return _home.n")]));`,
      ]);
      expect(JSON.parse(out)).toEqual([["dist", "host", "node.js"], [5]]);
      expect(readFileSync(join(app, "out.txt"), "utf8")).toBe("written");
    });

    it("the browser entry (index.js) imports no node: module; in Node without its built-ins it says what is missing", () => {
      const out = node(app, [
        "--conditions=browser",
        "--input-type=module",
        "-e",
        `delete process.getBuiltinModule;
         const { Lua, FileStorage, compileLua } = await import("lua-wasm-persistent");
         const where = import.meta.resolve("lua-wasm-persistent").split("/").slice(-3);
         const { readFile } = await import("node:fs/promises");
         const wasm = await compileLua(await readFile("node_modules/lua-wasm-persistent/build/lua.wasm"));
         const L = await Lua.create({ wasm });
         const errors = [];
         await Lua.create({ wasm }).catch((e) => errors.push(e.message)); // fine: a module given
         await Lua.create({ fs: "node", wasm }).catch((e) => errors.push(e.message));
         await Lua.create().catch((e) => errors.push(e.message)); // the bundled module: read from a file
         await new FileStorage("x.img").load().catch((e) => errors.push(e.message));
         console.log(JSON.stringify([where, L.run("return 1 + 1"), errors]));`,
      ]);
      const [where, run, errors] = JSON.parse(out);
      expect(where).toEqual(["dist", "host", "index.js"]);
      expect(run).toEqual([2]);
      expect(errors).toHaveLength(3);
      expect(errors[0]).toMatch(/^fs: "node" needs Node's file system: it is not available here/);
      expect(errors[1]).toMatch(/^loading the bundled lua\.wasm needs Node's file system: it is not available here/);
      expect(errors[2]).toMatch(/^FileStorage needs Node's file system: it is not available here/);
    });
  });
});

// ==== The prepare hook: what it builds, on a fake tree (it never builds here) ====

describe("scripts/prepare.mjs", () => {
  let tree = "";
  const script = join(ROOT, "scripts/prepare.mjs");
  // build/lua.wasm is also a source of the host's step (the CLI's bundle embeds its bytecode): older
  const OUTPUTS = [
    "dist/host/index.js",
    "dist/host/node.js",
    "dist/host/index.cjs",
    "dist/host/cli.bundle.cjs",
    "dist/host/cli.bundle.cache",
  ];
  const SOURCES = [
    "assembly/index.ts",
    "asconfig.json",
    "host/index.ts",
    "tsconfig.json",
    "scripts/build-cjs.mjs",
    "scripts/build-cli.mjs",
  ];
  const at = (path: string, seconds: number) => {
    const f = join(tree, path);
    mkdirSync(join(f, ".."), { recursive: true });
    if (!existsSync(f)) writeFileSync(f, "");
    utimesSync(f, seconds, seconds);
  };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [script, "--root", tree, ...args], { encoding: "utf8" });

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), "lua-wasm-prepare-"));
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it("builds nothing when every output is newer than its sources", () => {
    for (const s of SOURCES) at(s, 1_000_000);
    at("build/lua.wasm", 2_000_000);
    for (const o of OUTPUTS) at(o, 2_500_000);
    const r = run();
    expect([r.status, r.stdout, r.stderr.trim()]).toEqual([
      0,
      "",
      "lua-wasm-persistent: build/ and dist/ are up to date (nothing to build)",
    ]);
  });

  it("names exactly the stale steps: a newer source, a missing output, a module the CLI was not built with", () => {
    // a stale module makes the host's step stale too: the CLI's bundle embeds the module's bytecode
    at("assembly/index.ts", 3_000_000);
    expect(run("--check").stderr.trim()).toBe("lua-wasm-persistent: stale: build:wasm, build:host");
    at("assembly/index.ts", 1_000_000);
    at("build/lua.wasm", 3_000_000);
    expect(run("--check").stderr.trim()).toBe("lua-wasm-persistent: stale: build:host");
    at("build/lua.wasm", 2_000_000);
    rmSync(join(tree, "dist/host/cli.bundle.cache"));
    expect(run("--check").stderr.trim()).toBe("lua-wasm-persistent: stale: build:host");
    at("dist/host/cli.bundle.cache", 2_500_000);
    rmSync(join(tree, "dist/host/index.cjs"));
    expect(run("--check").stderr.trim()).toBe("lua-wasm-persistent: stale: build:host");
    at("dist/host/index.cjs", 2_500_000);
    at("scripts/build-cjs.mjs", 3_000_000);
    const r = run("--check");
    expect([r.status, r.stderr.trim()]).toEqual([1, "lua-wasm-persistent: stale: build:host"]);
    at("scripts/build-cjs.mjs", 1_000_000);
  });

  it("a stale build without the build tools is a clear error, not `asc: not found`", () => {
    at("assembly/index.ts", 3_000_000);
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^lua-wasm-persistent: build\/lua\.wasm must be built \(npm run build:wasm\) but asc is not installed: this is an unbuilt checkout without its devDependencies\. Run `npm install`/,
    );
  });
});

// ==== The default module: which build/lua.wasm Lua.create() loads in Node, on a fake tree ====

describe("the default module's location (host/loader.ts defaultWasmUrl)", () => {
  const pkg = new URL("file:///app/node_modules/lua-wasm-persistent/");
  const repo = new URL("file:///tmp/clone/");
  const shipped = (files: string[]) => (u: URL) => files.includes(u.pathname);
  const tree = (u: URL) => () => Promise.resolve(u);

  it("loads the package's own build/lua.wasm, beside dist/host/loader.js", async () => {
    const bundled = new URL("build/lua.wasm", pkg);
    const exists = shipped([bundled.pathname, new URL("dist/host/loader.js", pkg).pathname]);
    expect(await defaultWasmUrl(bundled, tree(new URL("file:///nowhere/lua.wasm")), exists)).toEqual(bundled);
  });

  it("from the sources, loads the repository's module, not a build/lua.wasm beside the repository", async () => {
    // host/loader.ts is one level below the root: its "../../build/lua.wasm" is /tmp/build/lua.wasm
    const stray = new URL("file:///tmp/build/lua.wasm");
    const own = new URL("build/lua.wasm", repo);
    const exists = shipped([stray.pathname, own.pathname, new URL("dist/host/loader.js", repo).pathname]);
    expect(await defaultWasmUrl(stray, tree(own), exists)).toEqual(own);
  });

  it("falls back to the bundled location when there is no source tree, and to null when nothing exists", async () => {
    const bundled = new URL("build/lua.wasm", pkg);
    const missing = new URL("file:///nowhere/lua.wasm");
    expect(await defaultWasmUrl(bundled, tree(missing), shipped([bundled.pathname]))).toEqual(bundled);
    expect(await defaultWasmUrl(bundled, tree(missing), shipped([]))).toBeNull();
  });
});
