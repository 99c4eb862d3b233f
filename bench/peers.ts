// peers.ts - the engines the benchmark compares, behind one interface: lua-wasm (this interpreter,
// in process, through the public host API), wasmoon (PUC Lua 5.4 compiled to wasm, in process),
// fengari (Lua 5.3 in JavaScript, in process) and native lua5.4 (a process per run); with --process,
// lua-wasm and wasmoon as whole processes too (bin/lua.js, bench/wasmoon-run.mjs). With --jit, also
// lua-wasm+jit: lua-wasm with the baseline JIT on (the `jit` option; the CLI's LUA_WASM_JIT=1),
// whose compiles it counts (jitStats).
// Invariant: `prepare` loads and compiles the program once; every `run` executes it once more in the
// same Lua state and returns exactly what it printed, so outputs can be compared across engines.
// An engine that is missing or cannot load a program reports why; it never throws past `probe`.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

export interface Program {
  /** File name without directory, e.g. "fib.lua". */
  name: string;
  path: string;
  source: Buffer;
}

export interface Prepared {
  /** Runs the program once; returns its stdout. Throws Error with the engine's message on failure. */
  run(): string;
  close(): void;
  /** lua-wasm+jit: functions compiled and the milliseconds compiling took, since prepare (cumulative). */
  jitStats?(): JitStats;
}

/** What the JIT has compiled (getMemoryStats' jit_compiles and jit_compile_ms). */
export interface JitStats {
  compiles: number;
  ms: number;
}

/** The engine name of lua-wasm with the JIT on. */
export const JIT_ENGINE = "lua-wasm+jit";

/** lua-wasm+jit's setting: the threshold (undefined: the library's default). */
export interface JitSetting {
  threshold?: number;
}

function jitText(jit: JitSetting): string {
  return jit.threshold === undefined ? "default threshold" : `threshold ${jit.threshold}`;
}

export interface Engine {
  name: string;
  /** "in-process": timed around run(); "process": a new OS process per run (startup included). */
  mode: "in-process" | "process";
  /** Short description with the version, for reports. */
  describe(): string;
  /** null when the engine can be used, else the reason it cannot (reported as "n/a: reason"). */
  probe(): Promise<string | null>;
  prepare(p: Program): Promise<Prepared>;
}

/** Replaces print with one that sends its line to `out` (used where the engine's print goes elsewhere). */
const CAPTURE_PRINT = `
local out, tostring, select, concat = __bench_out, tostring, select, table.concat
__bench_out = nil
print = function (...)
  local n = select("#", ...)
  local t = {}
  for i = 1, n do t[i] = tostring((select(i, ...))) end
  out(concat(t, "\\t") .. "\\n")
end
`;

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  } catch {
    return "?";
  }
}

// ==== lua-wasm (ours) ====

/**
 * lua-wasm in process (its defaults: the JIT on); with `jit`, the JIT on at that setting: engine
 * "lua-wasm+jit", whose prepared programs report what was compiled; with `interpreter`, the JIT off
 * (the peer lua-wasm+jit is compared with).
 */
export function luaWasm(
  wasmPath = process.env.LUA_WASM || join(ROOT, "build/lua.wasm"),
  jit?: JitSetting,
  interpreter = false,
): Engine {
  let module: WebAssembly.Module | null = null;
  let api: typeof import("../host/index.js") | null = null;
  return {
    name: jit ? JIT_ENGINE : "lua-wasm",
    mode: "in-process",
    describe: () =>
      `lua-wasm ${wasmPath.replace(ROOT + "/", "")}${jit ? `, JIT on (${jitText(jit)})` : interpreter ? ", JIT off" : ""}`,
    async probe() {
      if (!existsSync(wasmPath)) return `${wasmPath} not found (npm run build)`;
      try {
        api = await import("../host/index.js");
        module = await api.compileLua(wasmPath);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    },
    async prepare(p) {
      const chunks: Buffer[] = [];
      const lua = await api!.Lua.create({
        wasm: module!,
        stdout: (b) => void chunks.push(Buffer.from(b)),
        stderr: () => {},
        ...(jit ? { jit: true, jitThreshold: jit.threshold } : interpreter ? { jit: false } : {}),
      });
      const base = lua.memoryStats(); // the start-up warm-up may have compiled something already
      lua.setArgs([[1, p.source]]);
      lua.run(`__bench_main = assert(load(arg[1], "@${p.name}")) arg = nil`, "=bench");
      return {
        run() {
          chunks.length = 0;
          lua.run("__bench_main()", "=bench");
          return Buffer.concat(chunks).toString("latin1");
        },
        close: () => lua.close(),
        ...(jit
          ? {
              jitStats: () => {
                const m = lua.memoryStats();
                return { compiles: m.jit_compiles - base.jit_compiles, ms: m.jit_compile_ms - base.jit_compile_ms };
              },
            }
          : {}),
      };
    },
  };
}

// ==== wasmoon ====

export function wasmoon(): Engine {
  let factory: import("wasmoon").LuaFactory | null = null;
  return {
    name: "wasmoon",
    mode: "in-process",
    describe: () => `wasmoon ${packageVersion("wasmoon")} (PUC Lua 5.4 in wasm)`,
    async probe() {
      try {
        const { LuaFactory } = await import("wasmoon");
        factory = new LuaFactory();
        return null;
      } catch (e) {
        return `wasmoon not installed (${(e as Error).message.split("\n")[0]})`;
      }
    },
    async prepare(p) {
      if (!factory) throw new Error("wasmoon: probe() was not called");
      const engine = await factory.createEngine();
      let chunks: string[] = [];
      engine.global.set("__bench_out", (s: string) => void chunks.push(s));
      engine.global.set("__bench_src", p.source.toString("latin1"));
      engine.doStringSync(CAPTURE_PRINT);
      engine.doStringSync(`__bench_main = assert(load(__bench_src, "@${p.name}")) __bench_src = nil`);
      return {
        run() {
          chunks = [];
          engine.doStringSync("__bench_main()");
          return chunks.join("");
        },
        close: () => engine.global.close(),
      };
    },
  };
}

// ==== fengari ====

export function fengari(): Engine {
  let f: typeof import("fengari").default | null = null;
  return {
    name: "fengari",
    mode: "in-process",
    describe: () => `fengari ${packageVersion("fengari")} (Lua 5.3 in JavaScript, 32-bit integers)`,
    async probe() {
      try {
        f = (await import("fengari")).default ?? (await import("fengari"));
        return null;
      } catch (e) {
        return `fengari not installed (${(e as Error).message.split("\n")[0]})`;
      }
    },
    async prepare(p) {
      if (!f) throw new Error("fengari: probe() was not called");
      const { lua, lauxlib, lualib, to_luastring } = f;
      const L = lauxlib.luaL_newstate();
      lualib.luaL_openlibs(L);
      let chunks: string[] = [];
      const check = (status: number) => {
        if (status !== lua.LUA_OK) {
          const msg = lua.lua_tojsstring(L, -1);
          lua.lua_pop(L, 1);
          throw new Error(msg);
        }
      };
      lua.lua_pushjsfunction(L, (S) => {
        chunks.push(lua.lua_tojsstring(S, 1));
        return 0;
      });
      lua.lua_setglobal(L, to_luastring("__bench_out"));
      check(lauxlib.luaL_dostring(L, to_luastring(CAPTURE_PRINT)));
      check(lauxlib.luaL_loadbuffer(L, new Uint8Array(p.source), null, to_luastring("@" + p.name)));
      lua.lua_setglobal(L, to_luastring("__bench_main"));
      return {
        run() {
          chunks = [];
          lua.lua_getglobal(L, to_luastring("__bench_main"));
          check(lua.lua_pcall(L, 0, 0, 0));
          return chunks.join("");
        },
        close: () => lua.lua_close(L),
      };
    },
  };
}

// ==== native lua5.4 ====

export function nativeLua(bin = process.env.LUA_BIN || "lua5.4"): Engine {
  let version = "";
  return {
    name: "lua5.4",
    mode: "process",
    describe: () => `${bin} (${version || "native"}), one process per run`,
    async probe() {
      const r = spawnSync(bin, ["-v"], { encoding: "utf8" });
      if (r.error) return `${bin} not found on PATH`;
      version = (r.stdout || r.stderr).trim().split("  ")[0];
      return null;
    },
    async prepare(p) {
      return {
        run() {
          const r = spawnSync(bin, [p.path], { encoding: "latin1", maxBuffer: 64 << 20 });
          if (r.error) throw r.error;
          if (r.status !== 0) throw new Error(r.stderr.split("\n")[0] || `exit ${r.status}`);
          return r.stdout;
        },
        close: () => {},
      };
    },
  };
}

// ==== Whole processes (bench --process) ====

/**
 * Variables of this environment that change what a Node process does at start, unset for the Node
 * engines of a whole-process run unless --keep-node-env: NODE_EXTRA_CA_CERTS makes every Node process
 * read and parse that certificate bundle before running anything (~30 ms on the development
 * machine, whose sandbox sets it; lua5.4 pays nothing alike), which is the environment's cost, not
 * the engines'. The report says when it was unset.
 */
export const NODE_START_VARS = ["NODE_EXTRA_CA_CERTS"];
let keepNodeEnv = false;
/** --keep-node-env: Node engines run with this process's environment as it is. */
export function setKeepNodeEnv(keep: boolean): void {
  keepNodeEnv = keep;
}
/** NODE_START_VARS set here and unset for the Node engines (empty with --keep-node-env). */
export function unsetNodeVars(): string[] {
  return keepNodeEnv ? [] : NODE_START_VARS.filter((v) => process.env[v] !== undefined);
}
function nodeEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const v of unsetNodeVars()) delete env[v];
  return env;
}

/**
 * An engine that runs each program as a new OS process, startup included: what a command-line user
 * sees. `argv` are the command's arguments before the program's path; `node`: the command is Node
 * (its start-up variables are unset: NODE_START_VARS).
 */
function processEngine(
  name: string,
  describe: string,
  bin: string,
  argv: string[],
  needs: string,
  env?: Record<string, string>,
  node = true,
): Engine {
  const jit = env?.LUA_WASM_JIT_STATS === "1";
  return {
    name,
    mode: "process",
    describe: () => `${describe}, one process per run (startup included)`,
    async probe() {
      if (!existsSync(needs)) return `${needs} not found (npm run build / npm install)`;
      return null;
    },
    async prepare(p) {
      const total: JitStats = { compiles: 0, ms: 0 };
      return {
        run() {
          const r = spawnSync(bin, [...argv, p.path], {
            encoding: "latin1",
            maxBuffer: 64 << 20,
            ...(node ? { env: nodeEnv(env) } : env ? { env: { ...process.env, ...env } } : {}),
          });
          if (r.error) throw r.error;
          if (r.status !== 0) throw new Error(r.stderr.split("\n")[0] || `exit ${r.status}`);
          if (jit) {
            const s = parseJitStats(r.stderr);
            if (s === null) throw new Error("no LUA_WASM_JIT_STATS line on stderr");
            total.compiles += s.compiles;
            total.ms += s.ms;
          }
          return r.stdout;
        },
        close: () => {},
        ...(jit ? { jitStats: () => ({ ...total }) } : {}),
      };
    },
  };
}

/** The CLI's LUA_WASM_JIT_STATS line (host/cli-jit.ts jitStatsLine) → its figures, or null. */
export function parseJitStats(stderr: string): JitStats | null {
  const m = /^\[lua-wasm jit\] (\d+) functions? compiled in ([\d.]+) ms/m.exec(stderr);
  return m ? { compiles: Number(m[1]), ms: Number(m[2]) } : null;
}

/**
 * lua-wasm's CLI (bin/lua.js) as a whole process; with `jit`, "lua-wasm+jit" (LUA_WASM_JIT=1); with
 * `interpreter`, the JIT off (LUA_WASM_JIT=0).
 */
export function luaWasmProcess(jit?: JitSetting, interpreter = false): Engine {
  const cli = join(ROOT, "bin/lua.js");
  const env: Record<string, string> = { LUA_WASM_JIT: "1", LUA_WASM_JIT_STATS: "1" };
  if (jit?.threshold !== undefined) env.LUA_WASM_JIT_THRESHOLD = String(jit.threshold);
  return processEngine(
    jit ? JIT_ENGINE : "lua-wasm",
    jit
      ? `lua-wasm bin/lua.js, JIT on (${jitText(jit)})`
      : interpreter
        ? "lua-wasm bin/lua.js, JIT off (LUA_WASM_JIT=0)"
        : "lua-wasm bin/lua.js",
    process.execPath,
    [cli],
    join(ROOT, "dist/host/cli.bundle.cjs"),
    jit ? env : interpreter ? { LUA_WASM_JIT: "0" } : undefined,
  );
}

/** wasmoon from Node as a whole process (bench/wasmoon-run.mjs). */
export function wasmoonProcess(): Engine {
  const runner = join(ROOT, "bench/wasmoon-run.mjs");
  let needs = join(ROOT, "node_modules/wasmoon/package.json");
  try {
    needs = require.resolve("wasmoon/package.json");
  } catch {
    /* probe reports it missing */
  }
  return processEngine(
    "wasmoon",
    `wasmoon ${packageVersion("wasmoon")} (node bench/wasmoon-run.mjs)`,
    process.execPath,
    [runner],
    needs,
  );
}

/**
 * All engines, ours first (the ratio columns divide our time by each peer's); with `jit`,
 * lua-wasm+jit first: it is then "ours" and lua-wasm with the JIT off (the interpreter) one of the peers.
 */
export function allEngines(jit?: JitSetting): Engine[] {
  return [
    ...(jit ? [luaWasm(undefined, jit)] : []),
    luaWasm(undefined, undefined, !!jit),
    wasmoon(),
    fengari(),
    nativeLua(),
  ];
}

/** The engines of a whole-process run (fengari has no command-line runner here). */
export function processEngines(jit?: JitSetting): Engine[] {
  return [...(jit ? [luaWasmProcess(jit)] : []), luaWasmProcess(undefined, !!jit), wasmoonProcess(), nativeLua()];
}
