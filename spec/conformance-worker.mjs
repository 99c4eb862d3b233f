// conformance-worker.mjs - runs ONE Lua test file for spec/conformance.mjs, in a fresh Node process
// whose cwd is the test directory, through the public host API (dist/host, built by `npm run build`).
//   node spec/conformance-worker.mjs FILE [--wasm PATH] [--global NAME]... [--resumes N] [--hard CUTS_JSON]
//                                    [--jit THRESHOLD STRESS]
// --resumes N: the file runs as all.lua runs big.lua, as a coroutine (coroutine.wrap) resumed N
// times; the values are the first value of each resume.
// The Lua state gets the host's Node file system (fs: "node"), so io, require, dofile and loadfile
// work on the real files. Before the file it runs a prelude that sets _port and _soft (as the
// official all.lua does under `lua -e"_U=true"`) and, only where the library lacks them, defines
// `package`, `require`, `loadfile` and `dofile` over the directory's files that the test mentions
// by name (their bytes are handed in through the `arg` table, so they arrive exactly).
// --hard: the suite's non-portable mode (_port = false, _soft = false) with what the lua-wasm CLI
// grants (os.exit, os.execute, io.popen over the real process) and arg[-1] the CLI (bin/lua.js), which
// the tests start from a shell; CUTS_JSON lists blocks [{from, to, reason}] to cut out of FILE (their
// lines become empty, so line numbers stay), each found verbatim or the file fails.
// --jit: the baseline JIT on at THRESHOLD, compiled code exiting to the interpreter every STRESS
// instructions (0: never); the CLIs hard mode starts get LUA_WASM_JIT=1 and the threshold too.
// Invariant: the test's own stdout/stderr go to this process's stdout/stderr; exactly one IPC
// message {ok, values, globals, error, seconds, jit} reports the outcome (none if the process dies);
// jit is {compiles, ms}: the functions compiled while the file ran and the time that took.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cutBlocks } from "./conformance.mjs";

// V8's default tiering, as bin/lua.js: the interpreter's warm phase moves long calls to optimised code.

/** The prelude: its varargs-free arg table holds name, bytes, name, bytes, ... */
const PRELUDE = String.raw`
_port = PORTABLE
_soft = PORTABLE
local files = {}
for i = 1, #arg, 2 do files[arg[i]] = arg[i + 1] end
arg = nil
if package == nil then
  package = { path = "./?.lua", cpath = "", config = "/\n;\n?\n!\n-\n", preload = {}, loaded = {} }
  for _, n in ipairs({ "_G", "string", "table", "math", "coroutine", "utf8", "os", "io", "debug" }) do
    package.loaded[n] = _G[n]
  end
  package.loaded.package = package
end
if loadfile == nil then
  function loadfile (name, mode, ...)
    local src = files[name]
    if src == nil then return nil, "cannot open " .. tostring(name) end
    if src:byte(1) == 35 then src = src:gsub("^[^\n]*", "", 1) end  -- skip a '#' first line
    return load(src, "@" .. name, mode or "bt", ...)
  end
end
if dofile == nil then
  function dofile (name)
    local f, err = loadfile(name)
    if not f then error(err, 2) end
    return f()
  end
end
if require == nil then
  function require (name)
    local loaded = package.loaded
    if loaded[name] ~= nil then return loaded[name] end
    local loader, extra = package.preload[name], ":preload:"
    if loader == nil then
      extra = "./" .. string.gsub(name, "%.", "/") .. ".lua"
      local err
      loader, err = loadfile(string.sub(extra, 3))
      if loader == nil then
        error("module '" .. name .. "' not found:\n\tno field package.preload['" .. name ..
              "']\n\tno file '" .. extra .. "'", 2)
      end
    end
    local r = loader(name, extra)
    if r ~= nil then loaded[name] = r end
    if loaded[name] == nil then loaded[name] = true end
    return loaded[name], extra
  end
end
`;

/** Files of the directory that the source names in a string literal ("x", 'x' or [[x]]: "x" or "x.lua"). */
export function referencedFiles(source, available) {
  const names = new Set();
  const text = source.toString("latin1");
  for (const m of text.matchAll(/["']([A-Za-z0-9_./-]+)["']|\[\[([A-Za-z0-9_./-]+)\]\]/g)) {
    const n = m[1] ?? m[2];
    for (const cand of [n, n + ".lua", n.replace(/\./g, "/") + ".lua"]) if (available.has(cand)) names.add(cand);
  }
  return [...names].sort();
}

/** The CLI the tests start in hard mode (main.lua and files.lua run `arg[-1]` through the shell). */
const CLI = fileURLToPath(new URL("../bin/lua.js", import.meta.url));

/** The CLI's process grants (host/cli.ts createLua): exit, execute and popen over the real process. */
async function cliGrants() {
  const { spawnSync } = await import("node:child_process");
  const { constants } = await import("node:os");
  const { NodeFileSystem } = await import(new URL("../dist/host/fs-node.js", import.meta.url).href);
  const { NodePipes } = await import(new URL("../dist/host/popen-node.js", import.meta.url).href);
  const fs = new NodeFileSystem();
  const pipes = new NodePipes(fs);
  return {
    fs,
    memoryLimit: 0, // as the CLI: lua5.4 has no limit either, and hard mode builds big data
    process: {
      exit: (code) => process.exit(code),
      execute: (command) => {
        const r = spawnSync("/bin/sh", ["-c", command], { stdio: "inherit", argv0: "sh" });
        if (r.signal) return 256 + (constants.signals[r.signal] ?? 0);
        return r.status ?? 1;
      },
      popen: (command, mode) => pipes.popen(command, mode),
      pclose: (handle) => pipes.pclose(handle),
    },
  };
}

/** Runs the chunk as a coroutine resumed n times (all.lua's way with big.lua): each resume's first value. */
function resumed(lua, src, name, n) {
  const [run] = lua.run(
    `return function(src, name, n)
       local co = coroutine.wrap(assert(load(src, name)))
       local r = {}
       for i = 1, n do r[i] = (co()) end
       return table.unpack(r, 1, n)
     end`,
    "=(conformance coroutine)",
  );
  return lua.call(run, src, name, n);
}

/** A JSON-safe description of a returned Lua value: enough to compare with all.lua's checks. */
function describe(v, lua) {
  if (v === null || v === undefined) return { type: "nil" };
  // a Lua function handed to JS by the typed API: its Lua tostring identifies it ("function: 0x...")
  if (typeof v === "function" && lua) return { type: "function", text: String(lua.call("tostring", v)[0]) };
  if (typeof v === "boolean") return { type: "boolean", value: v };
  if (typeof v === "number") return { type: "number", value: v };
  if (typeof v === "bigint") return { type: "number", value: Number(v), text: v.toString() };
  if (typeof v === "string") return { type: "string", value: v.slice(0, 200) };
  if (v instanceof Uint8Array) return { type: "string", value: Buffer.from(v.subarray(0, 200)).toString("latin1") };
  if (typeof v === "object" && "type" in v && "text" in v) return { type: String(v.type), text: String(v.text) };
  return { type: "table" };
}

function parseArgs(argv) {
  const a = { file: null, wasm: undefined, globals: [], hard: false, cuts: [], resumes: 0, jit: null, jitStress: 0 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--wasm") a.wasm = argv[++i];
    else if (argv[i] === "--hard") {
      a.hard = true;
      a.cuts = JSON.parse(argv[++i]);
    } else if (argv[i] === "--global") a.globals.push(argv[++i]);
    else if (argv[i] === "--resumes") a.resumes = Number(argv[++i]);
    else if (argv[i] === "--jit") {
      a.jit = Number(argv[++i]);
      a.jitStress = Number(argv[++i]);
    } else a.file = argv[i];
  }
  return a;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const send = (msg) =>
    new Promise((done) =>
      process.send ? process.send(msg, () => done()) : (console.log(JSON.stringify(msg)), done()),
    );
  const { Lua, LuaError } = await import(new URL("../dist/host/node.js", import.meta.url).href);
  if (args.hard && args.wasm) process.env.LUA_WASM = args.wasm; // the CLIs the tests start use it too
  if (args.jit !== null) {
    process.env.LUA_WASM_JIT = "1"; // and the JIT (host/cli-jit.ts; the CLI has no stress mode)
    process.env.LUA_WASM_JIT_THRESHOLD = String(args.jit);
  }
  const lua = await Lua.create({
    wasm: args.wasm ?? (process.env.LUA_WASM || undefined),
    stdout: (b) => process.stdout.write(Buffer.from(b)),
    stderr: (b) => process.stderr.write(Buffer.from(b)),
    fs: "node", // io, require, dofile and loadfile see the real files (cwd = the test directory)
    env: process.env, // os.getenv sees the environment, as under lua5.4 (files.lua checks PATH)
    ...(args.hard ? await cliGrants() : {}), // the same file system, whose handles the pipes are
    ...(args.jit !== null ? { jit: true, jitThreshold: args.jit } : {}),
  });
  // the stress mode is a test knob of the module (lua_setjit's third argument), not a library option
  if (args.jit !== null && args.jitStress > 0) lua.runtime.wasm.exports.lua_setjit(1, args.jit, args.jitStress);
  const jitStats = () => {
    try {
      const m = lua.memoryStats();
      return { compiles: m.jit_compiles, ms: m.jit_compile_ms };
    } catch {
      return null; // closed by the test (os.exit(.., true) in a finalizer): no figures
    }
  };
  let source = readFileSync(args.file);
  if (args.hard) {
    try {
      source = cutBlocks(source, args.cuts);
    } catch (e) {
      await send({ ok: false, error: { message: e.message }, seconds: 0 });
      lua.close();
      return;
    }
  }
  const available = new Set(readdirSync(".").filter((f) => f.endsWith(".lua")));
  const pairs = [];
  const [shimsNeeded] = lua.run("return require == nil or loadfile == nil or dofile == nil", "=(conformance probe)");
  for (const name of shimsNeeded ? referencedFiles(source, available) : []) {
    if (existsSync(name)) pairs.push(name, readFileSync(name));
  }
  lua.setArgs(pairs.map((v, i) => [i + 1, v]));
  lua.run(PRELUDE.replace(/PORTABLE/g, args.hard ? "false" : "true"), "=(conformance prelude)");
  lua.setArgs([
    [-1, args.hard ? CLI : "lua"],
    [0, args.file],
  ]);
  let src = source;
  if (src[0] === 0x23) {
    const nl = src.indexOf(0x0a);
    src = nl < 0 ? Buffer.alloc(0) : src.subarray(nl);
  }
  const t0 = performance.now();
  try {
    const values =
      args.resumes > 0 ? resumed(lua, src, "@" + args.file, args.resumes) : lua.runScript(src, "@" + args.file, 0);
    const seconds = (performance.now() - t0) / 1000;
    const globals = {};
    for (const g of args.globals) globals[g] = describe(lua.run(`return ${g}`)[0], lua);
    await send({
      ok: true,
      values: values.slice(0, 4).map((v) => describe(v, lua)),
      globals,
      seconds,
      jit: jitStats(),
    });
  } catch (e) {
    const seconds = (performance.now() - t0) / 1000;
    if (!(e instanceof LuaError)) throw e;
    await send({
      ok: false,
      error: { message: e.message, traceback: e.traceback, kind: e.kind },
      seconds,
      jit: jitStats(),
    });
  }
  lua.close();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`conformance-worker: ${e?.stack ?? e}\n`);
      process.exit(3);
    },
  );
}
