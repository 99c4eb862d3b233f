// init.ts - creates the global state and opens the standard libraries in order (lstate.c lua_newstate
// + linit.c luaL_openlibs). An embedding opens its own libraries after them with luaL_requiref (the
// module's lua_init opens `ext`, assembly/embed/ext.ts).
// Invariant: after lua_newstate the registry holds the main thread at [1] and the globals at [2]
// (LUA_RIDX_MAINTHREAD, LUA_RIDX_GLOBALS) and "_LOADED" maps library names to their tables.

import { luaC_barrierback } from "../gc/barrier";
import { TVALUE_SIZE, sethvalue, setthvalue, setsvalue, hvalue } from "../object/value";
import * as ltable from "../object/table";
import { luaS_init, luaS_new } from "../object/string";
import {
  luaE_newthread, setmainthread, incnny, setregistry, setglobaltable, registry, globaltable, L_top, L_settop,
} from "../vm/state";
import { luaT_init } from "../vm/tm";
import { luaC_init, luaC_setfinalizerhooks, FinalizerCall, FinalizerWarn } from "../gc/collect";
import { lua_pushtable, lua_rawsetfield, lua_CFunction, lua_createtable } from "../vm/api";
import { luaopen_base, luaE_warnerror_gc, luaB_gcpcall } from "./base";
import { luaopen_debug } from "./debug";
import { luaopen_string } from "./string";
import { luaopen_table } from "./table";
import { luaopen_math } from "./math";
import { luaopen_utf8 } from "./utf8";
import { luaopen_os } from "./os";
import { luaopen_io } from "./io";
import { luaopen_package } from "./package";
import { luaopen_coroutine } from "./coroutine";
import { luaopen_bigintmod } from "./bigint/lib";

/** Creates the main thread, registry and globals (lua_newstate). Returns the main thread. */
export function lua_newstate(): usize {
  luaS_init();
  luaC_init();
  // __gc metamethods run as protected calls; their errors become warnings ("error in __gc (msg)")
  const fc: FinalizerCall = luaB_gcpcall;
  const fw: FinalizerWarn = luaE_warnerror_gc;
  luaC_setfinalizerhooks(changetype<usize>(fc), changetype<usize>(fw));
  luaT_init();
  const L = luaE_newthread();
  setmainthread(L);
  incnny(L);                                        // the main thread can never yield
  const reg = ltable.luaH_new();
  setregistry(reg);
  const g = ltable.luaH_new();
  setglobaltable(g);
  const v = memory.data(16);
  setthvalue(v, L);
  ltable.luaH_setint(reg, 1, v);
  sethvalue(v, g);
  ltable.luaH_setint(reg, 2, v);
  return L;
}

/** t[name] = value at slot v (raw), for library setup. */
function setloaded(t: usize, name: string, v: usize): void {
  const k = memory.data(16);
  setsvalue(k, luaS_new(name));
  ltable.luaH_set(t, k, v);
  luaC_barrierback(0, t);
}

/** Opens one library: calls its opener and records its table in _LOADED[name] and, except for the
 *  base library, in the global `name` (luaL_requiref). */
function requiref(L: usize, name: string, open: lua_CFunction, loaded: usize): void {
  const top = L_top(L);
  open(L);
  const lib = L_top(L) - TVALUE_SIZE;
  setloaded(loaded, name, lib);
  if (name != "_G") setloaded(globaltable, name, lib);
  L_settop(L, top);
}

/** Opens a library after luaL_openlibs, as requiref does for the standard ones (luaL_requiref). */
export function luaL_requiref(L: usize, name: string, open: lua_CFunction): void {
  requiref(L, name, open, hvalue(ltable.luaH_getstr(registry, luaS_new("_LOADED"))));
}

/** Opens every standard library (luaL_openlibs). */
export function luaL_openlibs(L: usize): void {
  const loaded = lua_createtable(L, 0, 8);
  setloaded(registry, "_LOADED", L_top(L) - TVALUE_SIZE);
  L_settop(L, L_top(L) - TVALUE_SIZE);
  requiref(L, "_G", luaopen_base, loaded);
  requiref(L, "package", luaopen_package, loaded);
  requiref(L, "coroutine", luaopen_coroutine, loaded);
  requiref(L, "string", luaopen_string, loaded);
  requiref(L, "table", luaopen_table, loaded);
  requiref(L, "math", luaopen_math, loaded);
  requiref(L, "utf8", luaopen_utf8, loaded);
  requiref(L, "os", luaopen_os, loaded);
  requiref(L, "io", luaopen_io, loaded);
  requiref(L, "debug", luaopen_debug, loaded);
  luaopen_bigintmod(L);                             // package.preload.bigint (require "bigint")
}
