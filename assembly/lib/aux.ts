// aux.ts - helpers for writing natives: argument checks, "bad argument" errors, luaL_error,
// tostring with __tostring, library registration (lauxlib.c role). Message formats live here and in
// vm/debug.ts only.
//
// Error convention: every check* / opt* function that fails raises the error (sets errobj) and sets
// `argfail`; after a failure, further checks are no-ops, so a native may run several checks and then
// test once:   const n = luaL_checkinteger(L, 1); const s = luaL_optinteger(L, 2, 1);
//              if (argfail) return ERR;
// The VM clears `argfail` before calling a native and when an error is caught. The flag and the
// raising of argument errors live in vm/debug.ts (pcall and xpcall, which the VM runs, raise them
// too); this file gives them their lauxlib names.
//
// Natives must not hold AssemblyScript managed objects (arrays, strings, classes) across a call into
// Lua: the compiler's scratch heap is collected after compiles (luaY_releasescratch), which `load`
// can trigger from inside any Lua call, and the minimal runtime does not scan the wasm stack.

import {
  LUA_TNONE, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_TBOOLEAN,
  ttisnil, ttisstring, ttisinteger, ttistable, ttype, tsvalue, ivalue, l_isfalse, setobj,
  ttisnumber, hvalue,
} from "../object/value";
import { luaS_new, getstr, tsslen } from "../object/string";
import * as ltable from "../object/table";
import { Buffer, buf_new, buf_free, buf_reset, buf_addstr, buf_addbytes, buf_addbyte } from "../mem/buffer";
import {
  index2value, lua_gettop, lua_type, lua_typename, lua_tointegerx, lua_tonumberx, tonum_ok,
  lua_tolstring, lua_pushlstring, lua_pushliteral, lua_pushtstring, lua_pushvalue, lua_topointer,
  lua_CFunction, lua_pushcfunction, lua_rawsetfield, lua_createtable, getmetatableof,
  lua_pushtvalue, incr_top,
} from "../vm/api";
import { ERR, L_top, L_settop } from "../vm/state";
import {
  argfail, luaG_errorb, luaG_argerror, luaG_argerrorstr, luaG_argtypeerror,
} from "../vm/debug";
export {
  argfail, luaG_errorb as luaL_errorb, luaG_argerror as luaL_argerrorb, luaG_argerrorstr as luaL_argerror,
  luaG_argtypeerror as luaL_typeerror,
};
import { luaT_objtypename, luaT_gettmbyobj_name } from "../vm/tm";
import { luaD_callnoyield } from "../vm/call";
import { luaO_tostringbuff } from "../object/number";

/** The error of setmetatable and debug.setmetatable on an external table (lib/base.ts, lib/debug.ts). */
export const EXTMT_MSG = "cannot change the metatable of an external table";

/** A shared scratch buffer for building messages (reset on each call). */
let scratch: Buffer = changetype<Buffer>(0);
export function msgbuf(): Buffer {
  if (changetype<usize>(scratch) == 0) scratch = buf_new();
  buf_reset(scratch);
  return scratch;
}

// ==== Raising errors ====

/** Raises a fixed message with position (luaL_error with a literal). */
export function luaL_error(L: usize, msg: string): i32 {
  const b = msgbuf();
  buf_addstr(b, msg);
  return luaG_errorb(L, b);
}


// ==== Checks ====
function tag_error(L: usize, arg: i32, tag: i32): i32 { return luaG_argtypeerror(L, arg, lua_typename(tag)); }

export function luaL_checkany(L: usize, arg: i32): void {
  if (argfail) return;
  if (lua_type(L, arg) == LUA_TNONE) luaG_argerrorstr(L, arg, "value expected");
}
export function luaL_checktype(L: usize, arg: i32, t: i32): void {
  if (argfail) return;
  if (lua_type(L, arg) != t) tag_error(L, arg, t);
}
export function luaL_checkinteger(L: usize, arg: i32): i64 {
  if (argfail) return 0;
  const o = index2value(L, arg);
  if (ttisinteger(o)) return ivalue(o);                // the common case, without lua_tointegerx
  return checkinteger_slow(L, arg);
}
function checkinteger_slow(L: usize, arg: i32): i64 {
  const v = lua_tointegerx(L, arg);
  if (!tonum_ok) {
    if (lua_type(L, arg) == LUA_TNUMBER || (lua_type(L, arg) == LUA_TSTRING && lua_isnumeric(L, arg)))
      luaG_argerrorstr(L, arg, "number has no integer representation");
    else tag_error(L, arg, LUA_TNUMBER);
    return 0;
  }
  return v;
}
function lua_isnumeric(L: usize, arg: i32): bool { lua_tonumberx(L, arg); return tonum_ok; }
export function luaL_optinteger(L: usize, arg: i32, def: i64): i64 {
  if (argfail) return def;
  const o = index2value(L, arg);
  if (ttisinteger(o)) return ivalue(o);
  return ttisnil(o) ? def : checkinteger_slow(L, arg);
}
export function luaL_checknumber(L: usize, arg: i32): f64 {
  if (argfail) return 0;
  const v = lua_tonumberx(L, arg);
  if (!tonum_ok) { tag_error(L, arg, LUA_TNUMBER); return 0; }
  return v;
}
export function luaL_optnumber(L: usize, arg: i32, def: f64): f64 {
  if (argfail) return def;
  return ttisnil(index2value(L, arg)) ? def : luaL_checknumber(L, arg);
}
/** The string at arg (numbers converted in place); 0 after raising an error. Returns a TString. */
export function luaL_checklstring(L: usize, arg: i32): usize {
  if (argfail) return 0;
  const o = index2value(L, arg);
  if (ttisstring(o)) return tsvalue(o);                // the common case, without lua_tolstring
  const s = lua_tolstring(L, arg);
  if (s == 0) { tag_error(L, arg, LUA_TSTRING); return 0; }
  return s;
}
/** Like checklstring; nil/none gives `def` (a TString, or 0 for "no default"). */
export function luaL_optlstring(L: usize, arg: i32, def: usize): usize {
  if (argfail) return def;
  return ttisnil(index2value(L, arg)) ? def : luaL_checklstring(L, arg);
}
/** Index of the option name at arg in `opts` (luaL_checkoption); -1 after an error. */
export function luaL_checkoption(L: usize, arg: i32, def: string | null, opts: string[]): i32 {
  if (argfail) return -1;
  let s: usize;
  if (def != null && ttisnil(index2value(L, arg))) s = luaS_new(def);
  else s = luaL_checklstring(L, arg);
  if (s == 0) return -1;
  for (let i = 0; i < opts.length; i++) {
    const o = luaS_new(opts[i]);
    if (o == s) return i;    // short strings are interned: pointer equality
  }
  const e = buf_new();
  buf_addstr(e, "invalid option '"); buf_addbytes(e, getstr(s), tsslen(s)); buf_addstr(e, "'");
  const r = luaG_argerror(L, arg, e);
  buf_free(e);
  return r;
}
export function luaL_checktable(L: usize, arg: i32): usize {
  if (argfail) return 0;
  const o = index2value(L, arg);
  if (!ttistable(o)) { tag_error(L, arg, LUA_TTABLE); return 0; }
  return hvalue(o);
}

// ==== Checks with the common case inline ====
// luaL_checklstring / luaL_checkinteger / luaL_optinteger with their common case inline, for the
// library functions called most (find, sub, byte, ipairs' iterator: the out-of-line checks were a good
// part of a short call). Only there: inlining every check would grow the module. Same results,
// errors and argfail convention: the slow path is the lauxlib function itself.

/** luaL_checklstring(L, arg). */
// @ts-ignore: decorator
@inline export function argstring(L: usize, arg: i32): usize {
  const o = index2value(L, arg);
  return ttisstring(o) && !argfail ? tsvalue(o) : luaL_checklstring(L, arg);
}
/** luaL_optinteger(L, arg, def). */
// @ts-ignore: decorator
@inline export function argoptint(L: usize, arg: i32, def: i64): i64 {
  const o = index2value(L, arg);
  return ttisinteger(o) && !argfail ? ivalue(o) : luaL_optinteger(L, arg, def);
}
/** luaL_checkinteger(L, arg). */
// @ts-ignore: decorator
@inline export function argint(L: usize, arg: i32): i64 {
  const o = index2value(L, arg);
  return ttisinteger(o) && !argfail ? ivalue(o) : luaL_checkinteger(L, arg);
}

// ==== Conversions with metamethods ====

/**
 * Pushes the string form of the value at idx as `tostring` does (luaL_tolstring): __tostring,
 * __name, numbers via %.14g, "table: 0x...". Returns the TString, or 0 after an error.
 */
export function luaL_tolstring(L: usize, idx: i32): usize {
  const o = index2value(L, idx);
  const tm = luaT_gettmbyobj_name(o, "__tostring");
  if (!ttisnil(tm)) {
    lua_pushtvalue(L, tm);
    lua_pushvalue(L, idx < 0 && idx > -1000000 ? idx - 1 : idx);
    if (luaD_callnoyield(L, L_top(L) - 32, 1) != 0) return 0;
    const r = L_top(L) - 16;
    if (!ttisstring(r)) {
      if (ttisnumber(r)) return lua_tolstring(L, -1);
      luaL_error(L, "'__tostring' must return a string");
      return 0;
    }
    return tsvalue(r);
  }
  switch (ttype(o)) {
    case LUA_TNUMBER: {
      const buf = memory.data(48);
      const n = luaO_tostringbuff(o, buf);
      return lua_pushlstring(L, buf, n);
    }
    case LUA_TSTRING: lua_pushvalue(L, idx); return tsvalue(o);
    case LUA_TBOOLEAN: return lua_pushliteral(L, l_isfalse(o) ? "false" : "true");
    case LUA_TNIL: return lua_pushliteral(L, "nil");
    default: {
      const b = buf_new();
      const mt = getmetatableof(o);
      let named = false;
      if (mt != 0) {
        const n = ltable.luaH_getstr(mt, luaS_new("__name"));
        if (ttisstring(n)) { buf_addbytes(b, getstr(tsvalue(n)), tsslen(tsvalue(n))); named = true; }
      }
      if (!named) buf_addstr(b, lua_typename(ttype(o)));
      buf_addstr(b, ": ");
      addpointer(b, lua_topointer(L, idx));
      const ts = lua_pushlstring(L, b.ptr, b.len);
      buf_free(b);
      return ts;
    }
  }
}

/** Appends a pointer as glibc's "%p" prints it: 0x followed by lowercase hex (14 digits for 64-bit addresses look). */
export function addpointer(b: Buffer, p: usize): void {
  buf_addstr(b, "0x");
  // Print as an 8-byte-looking address so outputs resemble lua5.4's on 64-bit Linux.
  const v: u64 = 0x55550000000 + <u64>p;
  let started = false;
  for (let sh = 44; sh >= 0; sh -= 4) {
    const d = <i32>((v >> <u64>sh) & 15);
    if (d != 0 || started || sh == 0) { started = true; buf_addbyte(b, d < 10 ? 48 + d : 87 + d); }
  }
}

// ==== Registration ====

/** Creates a table with the given functions and pushes it (luaL_newlib). */
export function luaL_newlib(L: usize, names: string[], fns: lua_CFunction[]): void {
  lua_createtable(L, 0, names.length);
  luaL_setfuncs(L, names, fns);
}
/** Sets the functions as fields of the table on top (luaL_setfuncs without upvalues). */
export function luaL_setfuncs(L: usize, names: string[], fns: lua_CFunction[]): void {
  for (let i = 0; i < names.length; i++) {
    lua_pushcfunction(L, fns[i]);
    lua_rawsetfield(L, -2, names[i]);
  }
}

export {
  LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, LUA_TBOOLEAN, LUA_TNONE, lua_gettop, ttisinteger, ivalue,
  setobj, incr_top, L_settop, lua_pushtstring,
};
