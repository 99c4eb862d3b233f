// package.ts - the package library and `require` (loadlib.c, as in Lua 5.4.4): package.loaded
// (registry._LOADED), package.preload (registry._PRELOAD), package.path / cpath / config,
// package.searchers (preload, Lua files, C libraries, C root), package.searchpath, package.loadlib.
// Files are found through the host file system (lib/fileio.ts). This Lua cannot load C libraries: it
// behaves as PUC Lua built without dlopen, so the C searchers still list "no file" lines (keeping
// "module not found" messages identical to lua5.4's) and a C library that exists fails with
// "dynamic libraries not enabled; check your Lua installation".
// Invariant: every search and loader call runs with the package table as upvalue 1 of the native
// (require and the searchers are C closures over it), and TStrings in use stay on the Lua stack while
// Lua code runs.

import { lua_getfieldts, lua_setfieldts } from "./libapi";
import {
  luaL_newlib, luaL_error, luaL_errorb, luaL_checklstring, luaL_optlstring, argfail,
} from "./aux";
import {
  index2value, lua_gettop, lua_settop, lua_pushvalue, lua_pushnil, lua_pushboolean, lua_pushliteral,
  lua_pushlstring, lua_pushtstring, lua_pushtvalue, lua_pushcclosure, lua_pushtable, lua_createtable,
  lua_rawsetfield, lua_rawgeti, lua_rawseti, lua_rotate, lua_copy, lua_insert, lua_tolstring,
  lua_toboolean, lua_upvalueindex, lua_CFunction, incr_top,
} from "../vm/api";
import {
  TVALUE_SIZE, ttistable, ttisnil, ttisstring, ttisnumber, ttisfunction, hvalue, setsvalue, setobj,
  setnilvalue, sethvalue,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_new, luaS_newlstr, getstr, tsslen } from "../object/string";
import { cl_nupvalues, ccl_upvalue } from "../object/func";
import { regcheck } from "./natives";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_addstr, buf_addbyte } from "../mem/buffer";
import { L_top, L_settop, ERR, OK, registry, globaltable, savestack, restorestack, LUA_OK } from "../vm/state";
import { luaD_call } from "../vm/call";
import { luaV_gettable, luaV_settable } from "../vm/ops";
import { luaC_barrierback } from "../gc/barrier";
import { fs_readable } from "./fileio";
import { luaL_loadfilex } from "./base";

const PATH_DEFAULT = "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;" +
  "/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;./?.lua;./?/init.lua";
const CPATH_DEFAULT = "/usr/local/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";
const DLMSG = "dynamic libraries not enabled; check your Lua installation";

// ==== Helpers ====

/** Appends s[0, sl) with every occurrence of p[0, pl) replaced by r[0, rl) (luaL_addgsub). */
function addgsub(b: Buffer, s: usize, sl: i32, p: usize, pl: i32, r: usize, rl: i32): void {
  let i = 0;
  while (i < sl) {
    if (pl > 0 && i + pl <= sl && memory.compare(s + <usize>i, p, <usize>pl) == 0) {
      buf_addbytes(b, r, rl);
      i += pl;
    } else {
      buf_addbyte(b, load<u8>(s + <usize>i));
      i++;
    }
  }
}

/** Bytes of an ASCII literal in a static scratch (for addgsub's fixed patterns). */
function lit(s: string, at: usize): usize {
  for (let i = 0; i < s.length; i++) store<u8>(at + <usize>i, <u8>s.charCodeAt(i));
  return at;
}
const lit1: usize = memory.data(32);
const lit2: usize = memory.data(32);

/** Appends the bytes of TString ts up to its first zero (how C's "%s" sees it). */
function addcstr(b: Buffer, ts: usize): void {
  const s = getstr(ts), n = tsslen(ts);
  let i = 0;
  while (i < n && load<u8>(s + <usize>i) != 0) i++;
  buf_addbytes(b, s, i);
}

// ==== searchpath ====

/**
 * Looks for `name` (TString; `sep` in it replaced by `dirsep`) in the ';'-separated templates of
 * `path`, '?' standing for the name. Pushes the first readable file name and returns it, or pushes
 * the "no file '...'" lines and returns 0 (searchpath).
 */
function searchpath(L: usize, name: usize, path: usize, sep: usize, dirsep: usize): usize {
  const nb = buf_new();
  const sl = tsslen(sep);
  let hassep = false;
  if (sl > 0) {
    const c = load<u8>(getstr(sep));
    for (let i = 0; i < tsslen(name); i++) if (load<u8>(getstr(name) + <usize>i) == c) { hassep = true; break; }
  }
  if (hassep) addgsub(nb, getstr(name), tsslen(name), getstr(sep), sl, getstr(dirsep), tsslen(dirsep));
  else buf_addbytes(nb, getstr(name), tsslen(name));
  const pb = buf_new();
  addgsub(pb, getstr(path), tsslen(path), lit("?", lit1), 1, nb.ptr, nb.len);
  buf_free(nb);
  let start = 0;
  while (start <= pb.len) {
    let end = start;
    while (end < pb.len && load<u8>(pb.ptr + <usize>end) != 59) end++;   // ';'
    if (end == pb.len && start == pb.len && start > 0) break;            // no empty name after a final ';'
    if (fs_readable(pb.ptr + <usize>start, end - start)) {
      const r = lua_pushlstring(L, pb.ptr + <usize>start, end - start);
      buf_free(pb);
      return r;
    }
    start = end + 1;
  }
  const eb = buf_new();
  buf_addstr(eb, "no file '");
  addgsub(eb, pb.ptr, pb.len, lit(";", lit1), 1, lit("'\n\tno file '", lit2), 12);
  buf_addstr(eb, "'");
  lua_pushlstring(L, eb.ptr, eb.len);
  buf_free(eb);
  buf_free(pb);
  return 0;
}

/** package.searchpath(name, path [, sep [, rep]]): the file name, or fail and the "no file" lines. */
function ll_searchpath(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  const path = luaL_checklstring(L, 2);
  const sep = luaL_optlstring(L, 3, luaS_new("."));
  const rep = luaL_optlstring(L, 4, luaS_new("/"));
  if (argfail) return ERR;
  if (searchpath(L, name, path, sep, rep) != 0) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

/** searchpath over package[pname] (a string, else an error); 0 with the message pushed if absent. */
function findfile(L: usize, name: usize, pname: string): usize {
  if (lua_getfieldts(L, lua_upvalueindex(1), luaS_new(pname)) != OK) return 0;
  const path = lua_tolstring(L, -1);
  if (path == 0) {
    const b = buf_new();
    buf_addstr(b, "'package."); buf_addstr(b, pname); buf_addstr(b, "' must be a string");
    luaL_errorb(L, b);
    buf_free(b);
    return 0;
  }
  return searchpath(L, name, path, luaS_new("."), luaS_new("/"));
}

/**
 * Returns the loader and the file name (2) if `ok`, else raises "error loading module '<name>' from
 * file '<filename>':\n\t<message on top>" (checkload).
 */
function checkload(L: usize, ok: bool, filename: usize): i32 {
  if (ok) { lua_pushtstring(L, filename); return 2; }
  const b = buf_new();
  const name = lua_tolstring(L, 1);
  const msg = lua_tolstring(L, -1);
  buf_addstr(b, "error loading module '"); if (name != 0) addcstr(b, name);
  buf_addstr(b, "' from file '"); addcstr(b, filename);
  buf_addstr(b, "':\n\t"); if (msg != 0) addcstr(b, msg);
  const r = luaL_errorb(L, b);
  buf_free(b);
  return r;
}

// ==== Searchers ====

function searcher_preload(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  if (lua_getfieldts(L, -1001000, luaS_new("_PRELOAD")) != OK) return ERR;   // LUA_REGISTRYINDEX
  if (lua_getfieldts(L, -1, name) != OK) return ERR;
  if (ttisnil(L_top(L) - TVALUE_SIZE)) {
    const b = buf_new();
    buf_addstr(b, "no field package.preload['"); addcstr(b, name); buf_addstr(b, "']");
    lua_pushlstring(L, b.ptr, b.len);
    buf_free(b);
    return 1;
  }
  lua_pushliteral(L, ":preload:");
  return 2;
}

function searcher_Lua(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const filename = findfile(L, name, "path");
  if (filename == 0) return argfail ? ERR : 1;
  return checkload(L, luaL_loadfilex(L, filename, 0) == LUA_OK, filename);
}

/** Loading a C library always fails here: pushes the reason (lsys_load without dlopen). */
function loadfunc(L: usize): void { lua_pushliteral(L, DLMSG); }

function searcher_C(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const filename = findfile(L, name, "cpath");
  if (filename == 0) return argfail ? ERR : 1;
  loadfunc(L);
  return checkload(L, false, filename);
}

function searcher_Croot(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const s = getstr(name);
  let dot = -1;
  for (let i = 0; i < tsslen(name); i++) if (load<u8>(s + <usize>i) == 46) { dot = i; break; }
  if (dot < 0) return 0;                            // a root name: nothing to do here
  const root = lua_pushlstring(L, s, dot);
  const filename = findfile(L, root, "cpath");
  if (filename == 0) return argfail ? ERR : 1;
  loadfunc(L);
  return checkload(L, false, filename);
}

/** package.loadlib(path, funcname): fail, the reason, "absent" (no dynamic libraries here). */
function ll_loadlib(L: usize): i32 {
  luaL_checklstring(L, 1);
  luaL_checklstring(L, 2);
  if (argfail) return ERR;
  lua_pushnil(L);
  lua_pushliteral(L, DLMSG);
  lua_pushliteral(L, "absent");
  return 3;
}

// ==== require ====

/**
 * Calls the searchers in turn with the module name (at 1) until one returns a loader; leaves the
 * loader and its extra value on top, or raises "module '<name>' not found:" followed by the
 * searchers' messages (findloader). OK or ERR.
 */
function findloader(L: usize, name: usize): i32 {
  if (lua_getfieldts(L, lua_upvalueindex(1), luaS_new("searchers")) != OK) return ERR;
  if (!ttistable(index2value(L, 3))) return luaL_error(L, "'package.searchers' must be a table");
  const msg = buf_new();
  for (let i = 1; ; i++) {
    buf_addstr(msg, "\n\t");
    lua_rawgeti(L, 3, <i64>i);
    if (ttisnil(L_top(L) - TVALUE_SIZE)) {          // no more searchers
      lua_settop(L, -2);
      msg.len -= 2;
      const b = buf_new();
      buf_addstr(b, "module '"); addcstr(b, name); buf_addstr(b, "' not found:");
      buf_addbytes(b, msg.ptr, msg.len);
      buf_free(msg);
      const r = luaL_errorb(L, b);
      buf_free(b);
      return r;
    }
    lua_pushtstring(L, name);
    if (luaD_call(L, L_top(L) - 2 * TVALUE_SIZE, 2) != OK) { buf_free(msg); return ERR; }
    const r1 = L_top(L) - 2 * TVALUE_SIZE;
    if (ttisfunction(r1)) { buf_free(msg); return OK; }
    if (ttisstring(r1) || ttisnumber(r1)) {
      lua_settop(L, -2);
      const s = lua_tolstring(L, -1);
      buf_addbytes(msg, getstr(s), tsslen(s));
      lua_settop(L, -2);
    } else {
      lua_settop(L, -3);
      msg.len -= 2;
    }
  }
  buf_free(msg);
  return ERR;
}

function ll_require(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  lua_settop(L, 1);
  if (lua_getfieldts(L, -1001000, luaS_new("_LOADED")) != OK) return ERR;     // LOADED at 2
  if (lua_getfieldts(L, 2, name) != OK) return ERR;
  if (lua_toboolean(L, -1)) return 1;               // already loaded
  lua_settop(L, -2);
  if (findloader(L, name) != OK) return ERR;
  lua_rotate(L, -2, 1);                             // function <-> loader data
  lua_pushvalue(L, 1);                              // the name is the loader's 1st argument
  lua_pushvalue(L, -3);                             // the loader data its 2nd
  if (luaD_call(L, L_top(L) - 3 * TVALUE_SIZE, 1) != OK) return ERR;
  if (!ttisnil(L_top(L) - TVALUE_SIZE)) {
    if (lua_setfieldts(L, 2, name) != OK) return ERR;    // LOADED[name] = result
  } else lua_settop(L, -2);
  if (lua_getfieldts(L, 2, name) != OK) return ERR;
  if (ttisnil(L_top(L) - TVALUE_SIZE)) {           // the module set no value: use true
    lua_pushboolean(L, true);
    lua_copy(L, -1, -2);
    if (lua_setfieldts(L, 2, name) != OK) return ERR;
  }
  lua_rotate(L, -2, 1);                             // loader data <-> module result
  return 2;
}

// ==== Registration ====

/** registry[name], created as an empty table if absent (luaL_getsubtable), pushed. */
function getsubtable(L: usize, name: string): void {
  const key = luaS_new(name);
  const v = ltable.luaH_getstr(registry, key);
  if (ttistable(v)) { lua_pushtvalue(L, v); return; }
  const t = lua_createtable(L, 0, 0);
  const k = memory.data(16), tv = memory.data(16);
  setsvalue(k, key);
  sethvalue(tv, t);
  ltable.luaH_set(registry, k, tv);
  luaC_barrierback(L, registry);
}

/** require and the searchers are closures over the package table (lib/natives.ts regcheck). */
function checkpackage(cl: usize): string {
  return cl_nupvalues(cl) == 1 && ttistable(ccl_upvalue(cl, 0)) ? "" : "bad package function";
}

export function luaopen_package(L: usize): i32 {
  const names: string[] = ["loadlib", "searchpath"];
  const fns: lua_CFunction[] = [ll_loadlib, ll_searchpath];
  luaL_newlib(L, names, fns);
  // searchers, each a closure over the package table
  const searchers: lua_CFunction[] = [searcher_preload, searcher_Lua, searcher_C, searcher_Croot];
  lua_createtable(L, searchers.length, 0);
  for (let i = 0; i < searchers.length; i++) {
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, searchers[i], 1);
    lua_rawseti(L, -2, <i64>(i + 1));
  }
  lua_rawsetfield(L, -2, "searchers");
  lua_pushliteral(L, PATH_DEFAULT);
  lua_rawsetfield(L, -2, "path");
  lua_pushliteral(L, CPATH_DEFAULT);
  lua_rawsetfield(L, -2, "cpath");
  lua_pushliteral(L, "/\n;\n?\n!\n-\n");
  lua_rawsetfield(L, -2, "config");
  getsubtable(L, "_LOADED");
  lua_rawsetfield(L, -2, "loaded");
  getsubtable(L, "_PRELOAD");
  lua_rawsetfield(L, -2, "preload");
  // require, over the package table, in the globals
  lua_pushtable(L, globaltable);
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, ll_require, 1);
  lua_rawsetfield(L, -2, "require");
  lua_settop(L, -2);                                // pop the globals
  regcheck(ll_require, checkpackage);
  for (let i = 0; i < searchers.length; i++) regcheck(searchers[i], checkpackage);
  return 1;
}
