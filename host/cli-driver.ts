// cli-driver.ts - the CLI's driver (see cli.ts makeDriver): Lua functions doing what lua.c does through
// the C API, as source, and as the binary chunk precompiled from that source by the module the build
// ships with. `npm run build` (scripts/build-cli.mjs) dumps it with build/lua.wasm and embeds it in
// the CLI's bundle, so a start loads 1.5 KB of bytecode instead of compiling the source, dumping it
// stripped and loading that (~1 ms of every start, and the parts of the compiler a script does not
// use need no compiling by V8).
// Invariant: the embedded chunk is exactly driverDump(DRIVER)'s result under the module of the same
// build (spec/host/cli.test.ts checks it against build/lua.wasm); without it (tsx, tsc's output)
// or with another module (LUA_WASM) the CLI compiles the source as before.

/**
 * Compiled once, before any user code runs (and stripped, see driverDump), so it holds the original
 * library functions whatever a script later does to the globals. Each function is called from the host, so its frame is the
 * bottom of any traceback (see driverErrorText). Functions it calls are called through `id(f)(...)`
 * so the callee's frame gets no name from the calling code ("in main chunk", not "in local 'f'"),
 * as when lua.c calls them from C.
 */
export const DRIVER = `
local pack, unpack, select, type, tostring, pcall = table.pack, table.unpack, select, type, tostring, pcall
local load, getmetatable, rawget, warn = load, debug.getmetatable, rawget, warn
local package, G = package, _ENV
local function id(f) return f end
local pending, results
local D = {}
function D.paths() return package.path, package.cpath end
function D.setpaths(p, c) package.path = p package.cpath = c end
function D.warnon() warn("@on") end
-- lua.c pushargs: how many script arguments, #arg now (the script may see a changed 'arg')
function D.nargs()
  local a = G.arg
  if type(a) ~= "table" then return "'arg' is not a table" end
  return #a
end
-- nil when v can be called, else the type name a call error would give (luaT_objtypename)
local function notcallable(v)
  local mt = getmetatable(v)
  if type(v) == "function" or (mt ~= nil and rawget(mt, "__call") ~= nil) then return nil end
  local name = mt ~= nil and rawget(mt, "__name") or nil
  return type(name) == "string" and name or type(v)
end
-- lua.c dolibrary: globname = require(modname), 'require' looked up now, one result
function D.require(globname, modname)
  local req = G.require
  local bad = notcallable(req)
  if bad then return bad end
  local v = id(req)(modname)
  G[globname] = v
end
-- lua.c get_prompt: _PROMPT / _PROMPT2 through tostring, else the defaults
function D.prompt(first)
  local p = G[first and "_PROMPT" or "_PROMPT2"]
  if p == nil then return first and "> " or ">> " end
  return tostring(p)
end
-- compiles a chunk (default: a REPL line, "=stdin"); nil (kept for exec) or the error message
function D.compile(src, name, mode)
  local f, msg = load(src, name or "=stdin", mode)
  if f then pending = f return nil end
  return msg
end
-- runs the compiled chunk, with arg[1..n] as its varargs (a script's); keeps the results for show
function D.exec(n)
  local f = pending
  pending = nil
  if n and n > 0 then results = pack(id(f)(unpack(G.arg, 1, n)))
  else results = pack(id(f)()) end
end
-- lua.c l_print: the results through the global 'print', if any; a failure's text
function D.show()
  local r = results
  results = nil
  if r == nil or r.n == 0 then return nil end
  local ok, e = pcall(G.print, unpack(r, 1, r.n))
  if ok then return nil end
  local t = type(e)
  return "error calling 'print' (" .. ((t == "string" or t == "number") and tostring(e) or "(null)") .. ")"
end
return D
`;

/**
 * Lua code that leaves in its local `chunk` the stripped dump of `source`, the driver: its frames
 * have no current line, so a message positioned at the caller of a library function (require's
 * "module not found", error(msg, 2)) gets no position, as when lua.c's C code is the caller. The
 * CLI loads it as "=?" (makeDriver); the build appends `return chunk`.
 */
export function driverDump(source: string): string {
  return `local f = load([==[${source}]==], "=(lua-wasm driver)") local chunk = string.dump(f, true)`;
}

/** Replaced by scripts/build-cli.mjs (esbuild's define) with the base64 of the precompiled driver. */
declare const __LUA_WASM_DRIVER_CHUNK__: string | undefined;

/** The precompiled driver (a binary chunk) embedded by the build, or null (unbundled: tsx, tsc's output). */
export function driverChunk(): Uint8Array | null {
  return typeof __LUA_WASM_DRIVER_CHUNK__ === "string" ? Buffer.from(__LUA_WASM_DRIVER_CHUNK__, "base64") : null;
}
