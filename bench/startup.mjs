// startup.mjs - start-up figures of issue #12: whole-process hello world for lua-wasm (bin/lua.js),
// wasmoon, lua5.4 and a bare `node -e 0`, and the library's first steps in a fresh process
// (module import, `await Lua.create()`, first eval; `new LuaPersistent(); await load(); init()`).
//   node bench/startup.mjs [--runs N]            the report: medians of N fresh processes (default 20)
//   node bench/startup.mjs wasmoon FILE          runs FILE with wasmoon (a hello-world peer for hyperfine)
//   node bench/startup.mjs phases [lua|persistent]   one fresh process's library phases, as JSON
//   node bench/startup.mjs longcall             one long call after the runtime idled for 1 s (ms)
//   node bench/startup.mjs cli-phases [N]       the CLI's phases for hello world (LUA_WASM_TRACE_STARTUP
//                                               of bin/lua.js): min and median of N processes (default 20)
// Plain JS run by node (not tsx), so the figures carry no transpiler start. Invariant: every timed
// run is its own process, started the same way for every engine; the machine and load are printed,
// and numbers are only comparable within one run. For tighter whole-process figures use hyperfine
// on the same commands (docs/PERFORMANCE.md shows them).

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);

/**
 * The library's first steps in this (fresh) process, in ms: the import of dist/host/index.js, then
 * either `await Lua.create()` and a first `run` ("lua"), or `new LuaPersistent(); await load();
 * init()` and a first `eval` ("persistent"). Each API is timed in its own process, so each pays the
 * module's compile.
 */
async function phases(api) {
  const t0 = performance.now();
  const { Lua, LuaPersistent } = await import(pathToFileURL(join(ROOT, "dist/host/index.js")).href);
  const t1 = performance.now();
  if (api === "persistent") {
    const lp = new LuaPersistent();
    await lp.load();
    lp.init();
    const t2 = performance.now();
    const v = lp.eval("return 40 + 2")?.value;
    const t3 = performance.now();
    if (v !== 42) throw new Error(`LuaPersistent eval returned ${v}`);
    lp.close();
    return { import: t1 - t0, "load+init": t2 - t1, "first eval": t3 - t2, "after import": t3 - t1 };
  }
  const lua = await Lua.create({ stdout: () => {} });
  const t2 = performance.now();
  const r = lua.run("return 1 + 1")[0];
  const t3 = performance.now();
  if (r !== 2) throw new Error(`first run returned ${r}`);
  lua.close();
  return { import: t1 - t0, create: t2 - t1, "first run": t3 - t2, "after import": t3 - t1 };
}

/**
 * A library host that creates a runtime, stays idle for a second, then makes one long call (50M loop
 * iterations): prints that call's time in ms. Without the warm phase the call ran wholly in the
 * baseline code it started in.
 */
async function longcall() {
  const { Lua } = await import(pathToFileURL(join(ROOT, "dist/host/index.js")).href);
  const lua = await Lua.create({ stdout: () => {} });
  lua.run("x = 1");
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = performance.now();
  lua.run("local s = 0 for i = 1, 50000000 do s = s + i end return s");
  process.stdout.write(`${(performance.now() - t0).toFixed(0)} ms\n`);
  lua.close();
}

/** Runs a file with wasmoon, print going to stdout. */
async function wasmoonRun(file) {
  const { LuaFactory } = await import("wasmoon");
  const engine = await new LuaFactory().createEngine();
  engine.global.set("print", (...a) => void process.stdout.write(a.map(String).join("\t") + "\n"));
  engine.doStringSync(readFileSync(file, "latin1"));
  engine.global.close();
}

/** Wall time in ms of one process (spawnSync: the same spawn cost for every engine). */
function wall(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  const t = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return { t, out: r.stdout };
}

/**
 * The phases of N starts of the CLI running `hello` (bin/lua.js with LUA_WASM_TRACE_STARTUP: each
 * phase's ms, "node" being Node's own start up to bin/lua.js), printed as min / median.
 */
function cliPhases(runs, hello) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    // stdout to /dev/null, as hyperfine's: on a pipe, creating process.stdout (net) adds ~2 ms to "main"
    const r = spawnSync(process.execPath, [join(ROOT, "bin/lua.js"), hello], {
      encoding: "utf8",
      env: { ...process.env, LUA_WASM_TRACE_STARTUP: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    if (r.status !== 0) throw new Error(`bin/lua.js: exit ${r.status}\n${r.stderr}`);
    all.push(JSON.parse(r.stderr.trim().split("\n").pop()));
  }
  const min = (xs) => Math.min(...xs);
  console.log(`lua-wasm hello world by phase (bin/lua.js, LUA_WASM_TRACE_STARTUP), min / median of ${runs}:`);
  const total = (p) => Object.entries(p).reduce((a, [k, v]) => a + (k === "node" ? 0 : v), 0);
  for (const k of [...Object.keys(all[0]), "total after node"]) {
    const xs = all.map((p) => (k === "total after node" ? total(p) : p[k]));
    console.log(`  ${k.padEnd(16)} ${min(xs).toFixed(1).padStart(7)} / ${median(xs).toFixed(1).padStart(5)} ms`);
  }
}

function helloFile() {
  const dir = mkdtempSync(join(tmpdir(), "lua-wasm-startup-"));
  const hello = join(dir, "hello.lua");
  writeFileSync(hello, 'print("hello world")\n');
  return hello;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(runs) {
  const hello = helloFile();
  const node = process.execPath;
  const rows = [
    ["node -e 0", node, ["-e", "0"], ""],
    ["lua-wasm hello", node, [join(ROOT, "bin/lua.js"), hello], "hello world\n"],
    ["wasmoon hello", node, [SELF, "wasmoon", hello], "hello world\n"],
    ["lua5.4 hello", "lua5.4", [hello], "hello world\n"],
  ];
  console.log(
    `startup - ${new Date().toISOString()}, ${cpus()[0]?.model}, nproc ${cpus().length}, node ${process.version}, load ${loadavg()[0].toFixed(2)}`,
  );
  console.log(`whole process, median of ${runs} (spawnSync wall time):`);
  const times = rows.map(() => []);
  for (let i = 0; i < runs; i++) {
    rows.forEach(([, cmd, args, want], j) => {
      // interleaved, so load drifts hit all alike
      const { t, out } = wall(cmd, args);
      if (out !== want) throw new Error(`${rows[j][0]} printed ${JSON.stringify(out)}`);
      times[j].push(t);
    });
  }
  rows.forEach(([name], j) => console.log(`  ${name.padEnd(16)} ${median(times[j]).toFixed(1).padStart(7)} ms`));
  cliPhases(runs, hello);
  for (const api of ["lua", "persistent"]) {
    const ph = [];
    for (let i = 0; i < runs; i++) ph.push(JSON.parse(wall(node, [SELF, "phases", api]).out));
    const title = api === "lua" ? "Lua.create() + first run" : "LuaPersistent load/init + first eval";
    console.log(`${title} in a fresh process, median of ${runs}:`);
    for (const k of Object.keys(ph[0]))
      console.log(
        `  ${k.padEnd(16)} ${median(ph.map((p) => p[k]))
          .toFixed(1)
          .padStart(7)} ms`,
      );
  }
}

const [mode, arg] = process.argv.slice(2);
if (mode === "phases") process.stdout.write(JSON.stringify(await phases(arg)) + "\n");
else if (mode === "wasmoon") await wasmoonRun(arg);
else if (mode === "longcall") await longcall();
else if (mode === "cli-phases") cliPhases(arg === undefined ? 20 : Number(arg), helloFile());
else if (mode === undefined || mode === "--runs") report(mode === "--runs" ? Number(arg) : 20);
else {
  process.stderr.write(
    "usage: node bench/startup.mjs [--runs N] | wasmoon FILE | phases [lua|persistent] | longcall | cli-phases [N]\n",
  );
  process.exitCode = 2;
}
