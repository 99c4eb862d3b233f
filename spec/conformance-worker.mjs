// conformance-worker.mjs - runs ONE Lua test file for spec/conformance.mjs, in a fresh Node process
// whose cwd is the test directory, through the public host API (dist/host, built by `npm run build`).
//   node spec/conformance-worker.mjs FILE [--wasm PATH] [--global NAME]...
// The Lua state gets the host's Node file system (fs: "node"), so io, require, dofile and loadfile
// work on the real files. Before the file it runs a prelude that sets _port and _soft (as the
// official all.lua does under `lua -e"_U=true"`) and, only where the library lacks them, defines
// `package`, `require`, `loadfile` and `dofile` over the directory's files that the test mentions
// by name (their bytes are handed in through the `arg` table, so they arrive exactly).
// Invariant: the test's own stdout/stderr go to this process's stdout/stderr; exactly one IPC
// message {ok, values, globals, error, seconds} reports the outcome (none if the process dies).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";

// As bin/lua.js: one long call never leaves baseline wasm code otherwise (no on-stack replacement).
if (process.env.LUA_WASM_LIFTOFF !== "1") v8.setFlagsFromString("--no-liftoff");

/** The prelude: its varargs-free arg table holds name, bytes, name, bytes, ... */
const PRELUDE = String.raw`
_port = true
_soft = true
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
  const a = { file: null, wasm: undefined, globals: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--wasm") a.wasm = argv[++i];
    else if (argv[i] === "--global") a.globals.push(argv[++i]);
    else a.file = argv[i];
  }
  return a;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const send = (msg) =>
    new Promise((done) =>
      process.send ? process.send(msg, () => done()) : (console.log(JSON.stringify(msg)), done()),
    );
  const { Lua, LuaError } = await import(new URL("../dist/host/index.js", import.meta.url).href);
  const lua = await Lua.create({
    wasm: args.wasm ?? (process.env.LUA_WASM || undefined),
    stdout: (b) => process.stdout.write(Buffer.from(b)),
    stderr: (b) => process.stderr.write(Buffer.from(b)),
    fs: "node", // io, require, dofile and loadfile see the real files (cwd = the test directory)
    env: process.env, // os.getenv sees the environment, as under lua5.4 (files.lua checks PATH)
  });
  const source = readFileSync(args.file);
  const available = new Set(readdirSync(".").filter((f) => f.endsWith(".lua")));
  const pairs = [];
  const [shimsNeeded] = lua.run("return require == nil or loadfile == nil or dofile == nil", "=(conformance probe)");
  for (const name of shimsNeeded ? referencedFiles(source, available) : []) {
    if (existsSync(name)) pairs.push(name, readFileSync(name));
  }
  lua.setArgs(pairs.map((v, i) => [i + 1, v]));
  lua.run(PRELUDE, "=(conformance prelude)");
  lua.setArgs([
    [-1, "lua"],
    [0, args.file],
  ]);
  let src = source;
  if (src[0] === 0x23) {
    const nl = src.indexOf(0x0a);
    src = nl < 0 ? Buffer.alloc(0) : src.subarray(nl);
  }
  const t0 = performance.now();
  try {
    const values = lua.runScript(src, "@" + args.file, 0);
    const seconds = (performance.now() - t0) / 1000;
    const globals = {};
    for (const g of args.globals) globals[g] = describe(lua.run(`return ${g}`)[0], lua);
    await send({ ok: true, values: values.slice(0, 4).map((v) => describe(v, lua)), globals, seconds });
  } catch (e) {
    const seconds = (performance.now() - t0) / 1000;
    if (!(e instanceof LuaError)) throw e;
    await send({ ok: false, error: { message: e.message, traceback: e.traceback, kind: e.kind }, seconds });
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
