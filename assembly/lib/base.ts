// base.ts - the basic library: print, type, tostring, tonumber, pairs, ipairs, next, select, raw*,
// metatables, assert, error, pcall, xpcall, load, collectgarbage, _G, _VERSION (lbaselib.c).
// pcall and xpcall are registered here but run as protected frames by vm/call.ts (luaD_precall
// recognises them), so Lua code under pcall stays inside the execute loop.

import {
  TVALUE_SIZE, LUA_TNIL, LUA_TTABLE, LUA_TSTRING, LUA_TNUMBER, LUA_TFUNCTION, LUA_TNONE,
  ttisnil, ttistable, ttisstring, ttisnumber, ttisinteger, ttisfunction, ttisLclosure, l_isfalse,
  hvalue, tsvalue, clvalue, setobj, setnilvalue, sethvalue, setsvalue, setivalue, setclLvalue, setbvalue,
  setfltvalue, ttype,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_new, luaS_newlstr, getstr, tsslen } from "../object/string";
import { luaF_newLclosure, luaF_newclosedupval, cl_setupval, cl_upval, uv_v, cl_nupvalues } from "../object/func";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_reset, buf_addstr } from "../mem/buffer";
import { totalbytes } from "../mem/alloc";
import {
  index2value, lua_gettop, lua_settop, lua_type, lua_typename, lua_pushnil, lua_pushinteger,
  lua_pushnumber, lua_pushboolean, lua_pushvalue, lua_pushtvalue, lua_pushtstring, lua_pushliteral,
  lua_pushcfunction, lua_pushtable, lua_pushlstring, lua_tolstring, lua_rawsetfield, lua_createtable,
  lua_CFunction, lua_pushcclosure, lua_upvalueindex, incr_top, lua_rawlen, getmetatableof, lua_insert,
  lua_tointegerx, tonum_ok,
} from "../vm/api";
import { L_top, L_settop, L_ci, ERR, OK, errobj, globaltable, LUA_MULTRET, savestack, restorestack, L_errfunc, L_seterrfunc } from "../vm/state";
import { luaD_call, luaD_pcall, setpcallfns, luaD_callk } from "../vm/call";
import { luaG_errormsg, luaG_runerrorstr } from "../vm/debug";
import { luaV_gettable, luaV_finishset, luaV_rawequalobj, rawsetchecked, setiteratorfns } from "../vm/ops";
import { luaT_gettmbyobj_name, fasttm, TM } from "../vm/tm";
import { l_strton } from "../object/number";
import { luaY_parser, compile_error, luaY_releasescratch } from "../compiler/parser";
import { setskipfirstline } from "../compiler/lexer";
import { luaU_load } from "../compiler/undump";
import {
  luaC_fullgc, luaC_stepapi, gcstop, gcrestart, gcisrunning, setpause, setstepmul, luaC_checkfinalizer,
  setstepsize, luaC_setmode, gcbusy, luaC_objbarrier,
} from "../gc/collect";
import {
  argfail, luaL_error, luaL_errorb, luaL_argerror, luaL_typeerror, luaL_checkany, luaL_checktype,
  luaL_checkinteger, luaL_optinteger, luaL_checklstring, luaL_optlstring, luaL_checkoption,
  luaL_tolstring, msgbuf, luaL_checktable, EXTMT_MSG,
} from "./aux";
import { regnative } from "./natives";
import { luaL_len, lenvalue } from "./libapi";
import { luaG_addwhere } from "../vm/debug";
import { lua_writestring, lua_writeline, flushoutput } from "../sys/iobuf";
import { lua_fs_close } from "../sys/imports";
import { fs_open, fs_readall, addstrerror, cstrlen } from "./fileio";
import { isnone as isnone_ } from "../vm/api";
import { LUA_OK as LOAD_OK, LUA_ERRSYNTAX as LOAD_ERRSYNTAX } from "../vm/state";
import { lua_stderr } from "../sys/imports";

// ==== Output ====

/** print(...): tostring of every argument, tab-separated, newline-terminated. */
function luaB_print(L: usize): i32 {
  const n = lua_gettop(L);
  for (let i = 1; i <= n; i++) {
    const s = luaL_tolstring(L, i);
    if (s == 0) return ERR;
    if (i > 1) lua_writestring(tabchar, 1);
    lua_writestring(getstr(s), tsslen(s));
    L_settop(L, L_top(L) - TVALUE_SIZE);
  }
  lua_writeline();                                  // flushes when the host asked (lua.c's print does)
  return 0;
}
const tabchar: usize = memory.data<u8>([9]);
const nlchar: usize = memory.data<u8>([10]);

// ==== Types and conversion ====

/** type(v); an external table is a table to Lua (its data lives in the host, see embed/ext.ts). */
function luaB_type(L: usize): i32 {
  const t = lua_type(L, 1);
  if (t == LUA_TNONE) return luaL_argerror(L, 1, "value expected");
  lua_pushliteral(L, isexternal(index2value(L, 1)) ? "table" : lua_typename(t));
  return 1;
}

function luaB_tostring(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  if (luaL_tolstring(L, 1) == 0) return ERR;
  return 1;
}

/** Digit value of an alphanumeric character, or 99. */
function digitval(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 97 + 10;
  if (c >= 65 && c <= 90) return c - 65 + 10;
  return 99;
}
// @ts-ignore: decorator
@inline function isspace(c: i32): bool { return c == 32 || (c >= 9 && c <= 13); }

/** Converts s in the given base (luaB_tonumber's l_str2int); returns false if not a numeral. */
function str2intbase(s: usize, len: i32, base: i64, out: usize): bool {
  let i = 0;
  while (i < len && isspace(load<u8>(s + <usize>i))) i++;
  let neg = false;
  if (i < len && load<u8>(s + <usize>i) == 45) { neg = true; i++; }
  else if (i < len && load<u8>(s + <usize>i) == 43) i++;
  if (i >= len) return false;
  let n: u64 = 0;
  let any = false;
  while (i < len) {
    const c = <i32>load<u8>(s + <usize>i);
    const d = digitval(c);
    if (d >= <i32>base) break;
    n = n * <u64>base + <u64>d;
    any = true;
    i++;
  }
  if (!any) return false;
  while (i < len && isspace(load<u8>(s + <usize>i))) i++;
  if (i != len) return false;
  store<i64>(out, neg ? <i64>(0 - n) : <i64>n);
  return true;
}

function luaB_tonumber(L: usize): i32 {
  if (ttisnil(index2value(L, 2))) {                  // standard conversion
    const o = index2value(L, 1);
    if (ttisnumber(o)) { lua_settop(L, 1); return 1; }
    if (ttisstring(o)) {
      const tmp = memory.data(16);
      if (l_strton(o, tmp)) { lua_pushtvalue(L, tmp); return 1; }
    }
    luaL_checkany(L, 1);
    if (argfail) return ERR;
  } else {
    const base = luaL_checkinteger(L, 2);
    luaL_checktype(L, 1, LUA_TSTRING);
    if (argfail) return ERR;
    const s = tsvalue(index2value(L, 1));
    if (!(2 <= base && base <= 36)) return luaL_argerror(L, 2, "base out of range");
    const out = memory.data(8);
    if (str2intbase(getstr(s), tsslen(s), base, out)) { lua_pushinteger(L, load<i64>(out)); return 1; }
  }
  lua_pushnil(L);
  return 1;
}

import { isexternal, isproxymt } from "../object/userdata";
import { luaJ_setfastnatives } from "../jit/helpers";
import { argint } from "./aux";

// ==== Iteration ====

/**
 * next() of an external table (object/userdata.ts): its data lives in the host store, which only the
 * ext library reads (assembly/embed/ext.ts, above the libraries); it installs its iterator here when it
 * opens. A proxy cannot exist before that, so the default is never reached in practice.
 */
let externalnext: lua_CFunction = notexternal;
function notexternal(L: usize): i32 { return luaL_typeerror(L, 1, "table"); }
export function luaB_setexternalnext(f: lua_CFunction): void { externalnext = f; }

function luaB_next(L: usize): i32 {
  const o = index2value(L, 1);
  let t: usize;
  if (ttistable(o)) t = hvalue(o);                   // the common case: a table (so not a proxy)
  else {
    if (isexternal(o)) return externalnext(L);
    t = luaL_checktable(L, 1);
    if (argfail) return ERR;
  }
  if (lua_gettop(L) != 2) lua_settop(L, 2);          // create a 2nd argument if there isn't one
  const key = L_top(L) - TVALUE_SIZE;
  const r = ltable.luaH_next(t, key);
  if (r < 0) return luaG_runerrorstr(L, "invalid key to 'next'");
  if (r == 0) { lua_pushnil(L); return 1; }
  L_settop(L, L_top(L) + TVALUE_SIZE);
  return 2;
}

function luaB_pairs(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  const tm = luaT_gettmbyobj_name(index2value(L, 1), "__pairs");
  if (ttisnil(tm)) {
    lua_pushcfunction(L, luaB_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
  }
  lua_pushtvalue(L, tm);
  lua_pushvalue(L, 1);
  return luaD_callk(L, 1, 3, pairscont);            // __pairs may yield (continuation below)
}
/** Continuation of pairs: the three results of __pairs are on the top. */
function pairscont(L: usize): i32 { return 3; }

/** ipairs iterator: (t, i) -> i+1, t[i+1] or nothing at the first nil (respects __index). */
function ipairsaux(L: usize): i32 {
  const i = argint(L, 2);
  if (argfail) return ERR;
  const n = i + 1;
  setivalue(L_top(L), n); incr_top(L);
  const t = index2value(L, 1);
  if (ttistable(t)) {
    const v = ltable.luaH_getint(hvalue(t), n);
    if (!ttisnil(v) || ltable.getmetatable(hvalue(t)) == 0) {
      if (ttisnil(v)) { setnilvalue(L_top(L)); incr_top(L); return 1; }
      setobj(L_top(L), v); incr_top(L);
      return 2;
    }
  }
  const k = memory.data(16);
  setivalue(k, n);
  lua_pushnil(L);
  const resoff = savestack(L, L_top(L) - TVALUE_SIZE);
  if (luaV_gettable(L, index2value(L, 1), k, resoff) != OK) return ERR;
  return ttisnil(restorestack(L, resoff)) ? 1 : 2;
}

function luaB_ipairs(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  lua_pushcfunction(L, ipairsaux);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

function luaB_select(L: usize): i32 {
  const n = lua_gettop(L);
  const a = index2value(L, 1);
  if (ttisstring(a) && tsslen(tsvalue(a)) >= 1 && load<u8>(getstr(tsvalue(a))) == 35) {  // '#'
    lua_pushinteger(L, <i64>(n - 1));
    return 1;
  }
  let i = luaL_checkinteger(L, 1);
  if (argfail) return ERR;
  if (i < 0) i = <i64>n + i;
  else if (i > <i64>n) i = <i64>n;
  if (i < 1) return luaL_argerror(L, 1, "index out of range");
  return n - <i32>i;
}

// ==== Raw access ====

function luaB_rawequal(L: usize): i32 {
  luaL_checkany(L, 1); luaL_checkany(L, 2);
  if (argfail) return ERR;
  lua_pushboolean(L, luaV_rawequalobj(index2value(L, 1), index2value(L, 2)));
  return 1;
}
// An external table has no metatable of its own (setmetatable refuses one): its proxy's handlers
// are its raw access, so rawget/rawset/rawlen on one go through them.
function luaB_rawlen(L: usize): i32 {
  if (isexternal(index2value(L, 1))) {
    lua_settop(L, 1);
    if (luaL_len(L, 1) != OK) return ERR;
    lua_pushinteger(L, lenvalue);
    return 1;
  }
  const t = lua_type(L, 1);
  if (t != LUA_TTABLE && t != LUA_TSTRING) return luaL_typeerror(L, 1, "table or string");
  lua_pushinteger(L, lua_rawlen(L, 1));
  return 1;
}
function luaB_rawget(L: usize): i32 {
  if (isexternal(index2value(L, 1))) {
    luaL_checkany(L, 2);
    if (argfail) return ERR;
    lua_settop(L, 2);
    lua_pushvalue(L, 2);                         // the key's slot receives the value
    const k = L_top(L) - TVALUE_SIZE;
    return luaV_gettable(L, index2value(L, 1), k, savestack(L, k)) == OK ? 1 : ERR;
  }
  const t = luaL_checktable(L, 1);
  luaL_checkany(L, 2);
  if (argfail) return ERR;
  const v = ltable.luaH_get(t, index2value(L, 2));
  if (ttisnil(v)) lua_pushnil(L); else lua_pushtvalue(L, v);
  return 1;
}
function luaB_rawset(L: usize): i32 {
  if (isexternal(index2value(L, 1))) {
    luaL_checkany(L, 2); luaL_checkany(L, 3);
    if (argfail) return ERR;
    lua_settop(L, 3);
    if (luaV_finishset(L, index2value(L, 1), index2value(L, 2), index2value(L, 3), 0) != OK) return ERR;
    lua_settop(L, 1);
    return 1;
  }
  const t = luaL_checktable(L, 1);
  luaL_checkany(L, 2); luaL_checkany(L, 3);
  if (argfail) return ERR;
  if (rawsetchecked(L, t, index2value(L, 2), index2value(L, 3)) != OK) return ERR;
  lua_settop(L, 1);
  return 1;
}

// ==== Metatables ====

function luaB_getmetatable(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  const mt = getmetatableof(index2value(L, 1));
  if (mt == 0 || isproxymt(mt)) { lua_pushnil(L); return 1; }   // an external table shows none (sealed)
  const protected_ = ltable.luaH_getstr(mt, luaS_new("__metatable"));
  if (!ttisnil(protected_)) lua_pushtvalue(L, protected_);
  else lua_pushtable(L, mt);
  return 1;
}

function luaB_setmetatable(L: usize): i32 {
  if (isexternal(index2value(L, 1))) return luaL_error(L, EXTMT_MSG);   // its data lives in the host
  const t = lua_type(L, 2);
  const h = luaL_checktable(L, 1);
  if (argfail) return ERR;
  if (t != LUA_TNIL && t != LUA_TTABLE) return luaL_typeerror(L, 2, "nil or table");
  if (isprotected(h)) return luaL_error(L, "cannot change a protected metatable");
  setmt(L, h, t == LUA_TNIL ? 0 : hvalue(index2value(L, 2)));
  lua_settop(L, 1);
  return 1;
}

/** Whether table h's metatable has a __metatable field (setmetatable refuses to replace it). */
function isprotected(h: usize): bool {
  const old = ltable.getmetatable(h);
  return old != 0 && !ttisnil(ltable.luaH_getstr(old, luaS_new("__metatable")));
}

/** Table h's metatable := mt (0: none), with the barrier and the finalizer check setmetatable makes. */
function setmt(L: usize, h: usize, mt: usize): void {
  ltable.setmetatableptr(h, mt);
  if (mt != 0) {
    luaC_objbarrier(L, h, mt);
    // only a metatable with __gc makes h finalizable: its absence is cached in mt's flags, so the
    // common case costs no lookup (PUC's gfasttm in luaC_checkfinalizer)
    if (fasttm(mt, TM.GC) != 0) luaC_checkfinalizer(L, h, mt);
  }
}

/**
 * setmetatable(o, m) for compiled code's calls of it, without its frame (jit/helpers.ts, registered
 * by luaopen_base): when it cannot fail (o a table, so not an external one; m nil or a table; o's
 * metatable not protected), does what luaB_setmetatable does and answers true; else does nothing
 * and answers false, and the native runs (and raises its error) as usual.
 */
function setmetatablefast(L: usize, o: usize, m: usize): bool {
  if (!ttistable(o) || !(ttistable(m) || ttisnil(m))) return false;
  const h = hvalue(o);
  if (isprotected(h)) return false;
  setmt(L, h, ttisnil(m) ? 0 : hvalue(m));
  return true;
}

// ==== Errors ====

function luaB_error(L: usize): i32 {
  const level = luaL_optinteger(L, 2, 1);
  if (argfail) return ERR;
  lua_settop(L, 1);
  const msg = index2value(L, 1);
  if (ttisstring(msg) && level > 0) {
    const b = buf_new();
    luaG_addwhere(L, <i32>level, b);
    buf_addbytes(b, getstr(tsvalue(msg)), tsslen(tsvalue(msg)));
    setsvalue(errobj, luaS_newlstr(b.ptr, b.len));
    buf_free(b);
  } else setobj(errobj, msg);
  return luaG_errormsg(L);
}

function luaB_assert(L: usize): i32 {
  if (!l_isfalse(index2value(L, 1))) return lua_gettop(L);   // return all arguments
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  // error(message or "assertion failed!", 1), with the message as the only argument
  const hasmsg = lua_gettop(L) >= 2;
  if (hasmsg) setobj(index2value(L, 1), index2value(L, 2));
  else setsvalue(index2value(L, 1), luaS_new("assertion failed!"));
  lua_settop(L, 1);
  return luaB_error(L);
}

/** Never runs: vm/call.ts turns calls of pcall/xpcall into protected frames. */
function luaB_pcall(L: usize): i32 { return 0; }
function luaB_xpcall(L: usize): i32 { return 0; }

// ==== load ====

/** Sets the first upvalue (_ENV) of the function on top to the value at stack slot `env`. */
function setenvupvalue(f: usize, env: usize): void {
  if (ttisLclosure(f) && cl_nupvalues(clvalue(f)) >= 1) setobj(uv_v(cl_upval(clvalue(f), 0)), env);
}

/**
 * Compiles `len` bytes at `s` as a chunk named by the TString `chunkname` and pushes the main
 * closure (with _ENV = globals), or pushes nil and the message. Returns the number pushed.
 */
export function luaL_loadbuffer(L: usize, s: usize, len: i32, chunkname: usize, mode: usize): i32 {
  if (len > 0 && load<u8>(s) == 0x1B) {            // binary chunk
    if (mode != 0 && !modehas(mode, 98)) return loaderr(L, chunkname, "attempt to load a binary chunk (mode is '", mode);
    return luaU_load(L, s, len, chunkname);      // compiler/undump.ts: verified, never traps
  }
  if (mode != 0 && !modehas(mode, 116)) return loaderr(L, chunkname, "attempt to load a text chunk (mode is '", mode);
  setskipfirstline(false);                         // only files skip a '#' first line
  const p = luaY_parser(s, len, chunkname);
  luaY_releasescratch(len);                         // free the compiler's managed scratch (now and then)
  if (p == 0) {
    lua_pushnil(L);
    lua_pushtstring(L, compile_error);
    return 2;
  }
  const cl = luaF_newLclosure(p, 1);
  setclLvalue(L_top(L), cl);
  incr_top(L);
  const uv = luaF_newclosedupval();
  cl_setupval(cl, 0, uv);
  sethvalue(uv_v(uv), globaltable);
  return 1;
}
function modehas(mode: usize, c: i32): bool {
  for (let i = 0; i < tsslen(mode); i++) if (load<u8>(getstr(mode) + <usize>i) == <u8>c) return true;
  return false;
}
function loaderr(L: usize, chunkname: usize, msg: string, mode: usize): i32 {
  const b = buf_new();
  const m = msg;
  for (let i = 0; i < m.length; i++) { const c = memory.data(1); store<u8>(c, <u8>m.charCodeAt(i)); buf_addbytes(b, c, 1); }
  buf_addbytes(b, getstr(mode), tsslen(mode));
  const q = memory.data<u8>([39, 41]);
  buf_addbytes(b, q, 2);
  lua_pushnil(L);
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 2;
}

function luaB_load(L: usize): i32 {
  const a = index2value(L, 1);
  const mode = luaL_optlstring(L, 3, luaS_new("bt"));
  if (argfail) return ERR;
  const hasenv = lua_gettop(L) >= 4;
  let n: i32;
  const sa = lua_tolstring(L, 1);                   // a string (or a number, converted) is source text
  if (sa != 0) {
    const s = sa;
    const name = luaL_optlstring(L, 2, s);
    if (argfail) return ERR;
    n = luaL_loadbuffer(L, getstr(s), tsslen(s), name, mode);
  } else {
    const name = luaL_optlstring(L, 2, luaS_new("=(load)"));
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (argfail) return ERR;
    // the default mode and name go in their argument slots: the reader may collect garbage
    if (!hasenv) lua_settop(L, 4);
    setsvalue(index2value(L, 2), name);
    setsvalue(index2value(L, 3), mode);
    // call the reader until it returns nil or an empty string, collecting the pieces
    const b = buf_new();
    for (;;) {
      lua_pushvalue(L, 1);
      if (luaD_pcall(L, L_top(L) - TVALUE_SIZE, 1) != 0) {   // lua_load is protected: nil, message
        buf_free(b);
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
      }
      const r = L_top(L) - TVALUE_SIZE;
      if (ttisnil(r)) { L_settop(L, r); break; }
      if (ttisnumber(r)) lua_tolstring(L, -1);         // numbers are converted, as lua_isstring allows
      if (!ttisstring(r)) {
        L_settop(L, r);
        buf_free(b);
        lua_pushnil(L);
        lua_pushliteral(L, "reader function must return a string");
        return 2;
      }
      const s = tsvalue(r);
      if (tsslen(s) == 0) { L_settop(L, r); break; }
      buf_addbytes(b, getstr(s), tsslen(s));
      L_settop(L, r);
    }
    n = luaL_loadbuffer(L, b.ptr, b.len, name, mode);
    buf_free(b);
  }
  if (n == 1 && hasenv) setenvupvalue(L_top(L) - TVALUE_SIZE, index2value(L, 4));
  return n;
}

// ==== loadfile, dofile (luaL_loadfilex) ====

/** Pushes "cannot <what> <name>: <strerror>" and returns LUA_ERRFILE (lauxlib's errfile). */
function errfile(L: usize, what: string, fname: usize): i32 {
  const b = buf_new();
  buf_addstr(b, "cannot "); buf_addstr(b, what); buf_addstr(b, " ");
  if (fname != 0) buf_addbytes(b, getstr(fname), cstrlen(fname)); else buf_addstr(b, "stdin");
  buf_addstr(b, ": ");
  addstrerror(b);
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return LUA_ERRFILE;
}
// @ts-ignore: decorator
@inline const LUA_ERRFILE: i32 = 6;

/**
 * Loads the file named by the TString `fname` (standard input when 0) as luaL_loadfilex does: chunk
 * name "@<fname>" ("=stdin"), a UTF-8 BOM and a first line starting with '#' skipped (its newline
 * kept, so line numbers hold), `mode` ("b", "t", "bt" or 0) checked. Pushes the main closure and
 * returns LUA_OK, or pushes the message and returns an error status.
 */
export function luaL_loadfilex(L: usize, fname: usize, mode: usize): i32 {
  let h = 0;
  if (fname != 0) {
    h = fs_open(fname, 114, false);                // 'r'
    if (h < 0) return errfile(L, "open", fname);
  }
  const b = buf_new();
  const ok = fs_readall(h, b);
  if (fname != 0) lua_fs_close(h);
  if (!ok) { buf_free(b); return errfile(L, "read", fname); }
  let skip = 0;
  if (b.len >= 3 && load<u8>(b.ptr) == 0xEF && load<u8>(b.ptr, 1) == 0xBB && load<u8>(b.ptr, 2) == 0xBF) skip = 3;
  if (skip < b.len && load<u8>(b.ptr + <usize>skip) == 35) {      // '#': skip the first line
    while (skip < b.len && load<u8>(b.ptr + <usize>skip) != 10) skip++;
    // a binary chunk after the comment starts right there; source keeps the newline (line numbers)
    if (skip + 1 < b.len && load<u8>(b.ptr + <usize>skip + 1) == 0x1B) skip++;
  }
  const cb = buf_new();
  if (fname != 0) { buf_addstr(cb, "@"); buf_addbytes(cb, getstr(fname), cstrlen(fname)); }
  else buf_addstr(cb, "=stdin");
  const chunkname = luaS_newlstr(cb.ptr, cb.len);
  buf_free(cb);
  const n = luaL_loadbuffer(L, b.ptr + <usize>skip, b.len - skip, chunkname, mode);
  buf_free(b);
  if (n == 1) return LOAD_OK;
  lua_insert(L, -2);                                // nil, msg -> msg, nil
  L_settop(L, L_top(L) - TVALUE_SIZE);
  return LOAD_ERRSYNTAX;
}

/** loadfile([filename [, mode [, env]]]): the chunk, or fail and the message. */
function luaB_loadfile(L: usize): i32 {
  const fname = luaL_optlstring(L, 1, 0);
  const mode = luaL_optlstring(L, 2, 0);
  if (argfail) return ERR;
  const hasenv = !isnone_(L, 3);
  if (luaL_loadfilex(L, fname, mode) != LOAD_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if (hasenv) setenvupvalue(L_top(L) - TVALUE_SIZE, index2value(L, 3));
  return 1;
}

/** dofile([filename]): runs the file (or stdin) and returns all its results; errors propagate. */
function luaB_dofile(L: usize): i32 {
  const fname = luaL_optlstring(L, 1, 0);
  if (argfail) return ERR;
  lua_settop(L, 1);
  if (luaL_loadfilex(L, fname, 0) != LOAD_OK) {
    setobj(errobj, L_top(L) - TVALUE_SIZE);
    return luaG_errormsg(L);
  }
  return luaD_callk(L, 0, LUA_MULTRET, dofilecont);  // the chunk runs as a frame: it may yield
}
/** Continuation of dofile: every result of the chunk (above the file name) is returned. */
function dofilecont(L: usize): i32 { return lua_gettop(L) - 1; }

// ==== collectgarbage ====

/** Options of collectgarbage, made once (a literal array inside the function is a new managed
 *  object per call, uncounted and freed only when the compiler's scratch is collected). */
const GCOPTS: string[] = ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul", "isrunning",
  "generational", "incremental"];

function luaB_collectgarbage(L: usize): i32 {
  const o = luaL_checkoption(L, 1, "collect", GCOPTS);
  if (argfail) return ERR;
  if (gcbusy) { lua_pushnil(L); return 1; }         // inside a finalizer: every option fails (lua_gc -1)
  switch (o) {
    case 0: gcstop(); lua_pushinteger(L, 0); return 1;
    case 1: gcrestart(); lua_pushinteger(L, 0); return 1;
    case 2: luaC_fullgc(L); lua_pushinteger(L, 0); return 1;
    case 3: lua_pushnumber(L, <f64>totalbytes / 1024.0); return 1;
    case 4: {
      const n = luaL_optinteger(L, 2, 0);
      if (argfail) return ERR;
      lua_pushboolean(L, luaC_stepapi(L, <i64><i32>n));
      return 1;
    }
    case 5: { const p = luaL_optinteger(L, 2, 0); if (argfail) return ERR; lua_pushinteger(L, setpause(<i32>p)); return 1; }
    case 6: { const p = luaL_optinteger(L, 2, 0); if (argfail) return ERR; lua_pushinteger(L, setstepmul(<i32>p)); return 1; }
    case 7: lua_pushboolean(L, gcisrunning()); return 1;
    case 8: {                                         // generational: served by the incremental collector
      luaL_optinteger(L, 2, 0); luaL_optinteger(L, 3, 0);
      if (argfail) return ERR;
      lua_pushliteral(L, luaC_setmode(true) ? "generational" : "incremental");
      return 1;
    }
    case 9: {
      const pause = <i32>luaL_optinteger(L, 2, 0);
      const stepmul = <i32>luaL_optinteger(L, 3, 0);
      const stepsize = <i32>luaL_optinteger(L, 4, 0);
      if (argfail) return ERR;
      if (pause != 0) setpause(pause);
      if (stepmul != 0) setstepmul(stepmul);
      if (stepsize != 0) setstepsize(stepsize);
      lua_pushliteral(L, luaC_setmode(false) ? "generational" : "incremental");
      return 1;
    }
  }
  lua_pushinteger(L, 0);
  return 1;
}

// ==== Warnings (luaB_warn and lauxlib's warnf* state machine) ====
// The standalone interpreter starts with warnings off; "@on"/"@off" switch them (lua.c's -W runs
// warn("@on")). A warning goes to stderr as "Lua warning: " + pieces + "\n". As in lauxlib, a
// control message is recognised only in a piece that ends a warning: when warnings are off that is
// the last piece of any warn call, when on only a one-piece call.

let warnon: bool = false;

/** Applies a control message ("@on", "@off", other "@..." ignored); false if `ts` is not one. */
function warncontrol(ts: usize): bool {
  const n = cstrlen(ts);
  const s = getstr(ts);
  if (n == 0 || load<u8>(s) != 64 /* '@' */) return false;
  if (n == 4 && load<u8>(s, 1) == 111 && load<u8>(s, 2) == 102 && load<u8>(s, 3) == 102) warnon = false;
  else if (n == 3 && load<u8>(s, 1) == 111 && load<u8>(s, 2) == 110) warnon = true;
  return true;
}

/** Writes one complete warning held in `b` (without prefix and newline) to stderr. */
function warnemit(b: Buffer): void {
  flushoutput();                                    // keep the order of print and warn on a terminal
  lua_stderr(warnprefix, 13);
  if (b.len > 0) lua_stderr(b.ptr, b.len);
  lua_stderr(nlchar, 1);
}
const warnprefix: usize = memory.data<u8>([76, 117, 97, 32, 119, 97, 114, 110, 105, 110, 103, 58, 32]);  // "Lua warning: "

/** warn(msg1, ...): every argument must be a string (numbers are converted). */
function luaB_warn(L: usize): i32 {
  const n = lua_gettop(L);
  luaL_checklstring(L, 1);
  for (let i = 2; i <= n; i++) luaL_checklstring(L, i);
  if (argfail) return ERR;
  const last = tsvalue(index2value(L, n));
  if (!warnon) { warncontrol(last); return 0; }
  if (n == 1 && warncontrol(last)) return 0;
  const b = buf_new();
  for (let i = 1; i <= n; i++) {
    const ts = tsvalue(index2value(L, i));
    buf_addbytes(b, getstr(ts), cstrlen(ts));
  }
  warnemit(b);
  buf_free(b);
  return 0;
}

/**
 * The collector's call hook: a finalizer runs protected and without the message handler of any
 * enclosing xpcall or host call (GCTM calls luaD_pcall with errfunc 0), so its error object reaches
 * the warning unchanged.
 */
export function luaB_gcpcall(L: usize, func: usize, nresults: i32): i32 {
  const ef = L_errfunc(L);
  L_seterrfunc(L, 0);
  const st = luaD_pcall(L, func, nresults);
  L_seterrfunc(L, ef);
  return st;
}

/**
 * The collector's warn hook (luaE_warnerror(L, "__gc")): the error object of a failed finalizer is at
 * top - 1; warns "error in __gc (msg)", or "(error object is not a string)" for non-strings.
 */
export function luaE_warnerror_gc(L: usize): void {
  if (!warnon) return;
  const o = L_top(L) - TVALUE_SIZE;
  const b = buf_new();
  buf_addstr(b, "error in __gc (");
  if (ttisstring(o)) buf_addbytes(b, getstr(tsvalue(o)), cstrlen(tsvalue(o)));
  else buf_addstr(b, "error object is not a string");
  buf_addstr(b, ")");
  warnemit(b);
  buf_free(b);
}

// ==== Registration ====

/** Opens the base library into the globals table (luaopen_base). */
export function luaopen_base(L: usize): i32 {
  lua_pushtable(L, globaltable);
  const names = ["assert", "collectgarbage", "error", "getmetatable", "ipairs", "load", "next",
    "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
    "tonumber", "tostring", "type", "warn", "xpcall"];
  const fns: lua_CFunction[] = [luaB_assert, luaB_collectgarbage, luaB_error, luaB_getmetatable,
    luaB_ipairs, luaB_load, luaB_next, luaB_pairs, luaB_pcall, luaB_print, luaB_rawequal, luaB_rawget,
    luaB_rawlen, luaB_rawset, luaB_select, luaB_setmetatable, luaB_tonumber, luaB_tostring, luaB_type,
    luaB_warn, luaB_xpcall];
  for (let i = 0; i < names.length; i++) {
    lua_pushcfunction(L, fns[i]);
    lua_rawsetfield(L, -2, names[i]);
  }
  setpcallfns(<u32>changetype<usize>(fns[8]), <u32>changetype<usize>(fns[20]));
  setiteratorfns(<u32>changetype<usize>(luaB_next), <u32>changetype<usize>(ipairsaux));
  luaJ_setfastnatives(<u32>changetype<usize>(luaB_setmetatable), setmetatablefast);
  lua_pushcfunction(L, luaB_loadfile);
  lua_rawsetfield(L, -2, "loadfile");
  lua_pushcfunction(L, luaB_dofile);
  lua_rawsetfield(L, -2, "dofile");
  lua_pushtable(L, globaltable);
  lua_rawsetfield(L, -2, "_G");
  lua_pushliteral(L, "Lua 5.4");
  lua_rawsetfield(L, -2, "_VERSION");
  regnative(ipairsaux, "ipairs.iter");             // natives no table holds (lib/natives.ts)
  regnative(pairscont, "pairs.cont");
  regnative(dofilecont, "dofile.cont");
  return 1;
}
