// debug.ts - the debug library: traceback, getinfo, getlocal/setlocal, upvalues, metatables,
// registry, user values and hooks (ldblib.c, with the lua_getinfo/lua_getlocal/upvalue parts of
// ldebug.c and lapi.c that only this library uses).
//
// Functions that take an optional thread first argument (getinfo, getlocal, setlocal, traceback,
// sethook, gethook) read frames of that thread but never push on its stack: results are built on
// the calling thread's stack directly (PUC moves them with lua_xmove).
// Hooks: sethook stores the hook function in registry._HOOKKEY[thread] (a weak-keyed table, as
// ldblib) and the mask/count in vm/hook.ts, whose functions the VM calls to raise the events.

import {
  TVALUE_SIZE, LUA_TNIL, LUA_TTABLE, LUA_TFUNCTION, LUA_TUSERDATA, LUA_TNONE,
  ttisnil, ttistable, ttisfunction, ttisLclosure, ttisCclosure, ttislcf, ttisthread, ttisfulluserdata,
  ttype, clvalue, hvalue, thvalue, uvalue, setobj, setbtvalue, setthvalue, setsvalue,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_new, getstr, tsslen } from "../object/string";
import {
  cl_proto, cl_nupvalues, cl_upval, cl_setupval, ccl_upvalue, uv_v, p_source, p_linedefined,
  p_lastlinedefined, p_numparams, p_isvararg, p_lineinfo, p_sizecode, p_sizeupvalues, upvaldesc,
  uvd_name,
} from "../object/func";
import { udata_nuvalue, udata_uv, udata_metatable, udata_setmetatable } from "../object/userdata";
import { luaO_chunkid } from "../object/chunkid";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_addbyte } from "../mem/buffer";
import {
  index2value, lua_gettop, lua_settop, lua_type, lua_pushnil, lua_pushinteger, lua_pushboolean,
  lua_pushvalue, lua_pushtvalue, lua_pushtstring, lua_pushliteral, lua_pushlstring, lua_pushtable,
  lua_pushlightuserdata, lua_rawsetfield, lua_createtable, lua_tolstring, lua_isnoneornil,
  lua_CFunction, getmetatableof,
} from "../vm/api";
import {
  ERR, LUA_OK, registry, G_setmt, L_errfunc, L_seterrfunc, L_top, L_ci, ci_func, ci_next, ci_callstatus, ci_u2, isLua,
  CIST_TAIL, CIST_TRAN,
} from "../vm/state";
import {
  luaG_getstack, luaG_getlocalname, luaG_funcname, luaG_traceback, getcurrentline, currentpc,
  namewhatstr, NAMEWHAT_NONE,
} from "../vm/debug";
import { luaL_loadbuffer } from "./base";
import { io_stdin_gets } from "./io";
import { luaD_pcall } from "../vm/call";
import { flushoutput } from "../sys/iobuf";
import { lua_sethook, lua_gethookmask, lua_gethookcount, LUA_MASKCALL, LUA_MASKRET, LUA_MASKLINE, LUA_MASKCOUNT } from "../vm/hook";
import { luaV_framewritten } from "../vm/tier";
import { luaC_checkfinalizer, luaC_barrierback, luaC_objbarrier } from "../gc/collect";
import { lua_stderr } from "../sys/imports";
import { isexternal, isproxymt, isjsref } from "../object/userdata";
import {
  argfail, luaL_argerror, luaL_typeerror, luaL_checkany, luaL_checktype, luaL_checkinteger,
  luaL_optinteger, luaL_checklstring, luaL_optlstring, luaL_newlib, luaL_error, EXTMT_MSG, luaL_tolstring,
} from "./aux";

// ==== Helpers ====

/** Set by getthread: the thread the function operates on. */
let L1: usize = 0;

/** An optional thread as first argument (getthread): sets L1 and returns 1 if present, else 0. */
function getthread(L: usize): i32 {
  const o = index2value(L, 1);
  if (ttisthread(o)) { L1 = thvalue(o); return 1; }
  L1 = L;
  return 0;
}

/** Whether the value at idx is a function (lua_isfunction). */
function isfunction(L: usize, idx: i32): bool { return ttisfunction(index2value(L, idx)); }

/** The frame at a level given as a Lua integer (out-of-int range levels do not exist). */
function getstack(L: usize, level: i64): usize {
  if (level < 0 || level > 0x7FFFFFFF) return 0;
  return luaG_getstack(L, <i32>level);
}

/** Length of a TString up to its first zero byte (what C sees through a const char *). */
function cstrlen(ts: usize): i32 {
  const s = getstr(ts);
  const n = tsslen(ts);
  for (let i = 0; i < n; i++) if (load<u8>(s + <usize>i) == 0) return i;
  return n;
}

/** Whether the C string of `ts` contains byte `c` (strchr). */
function hasopt(ts: usize, c: i32): bool {
  const s = getstr(ts);
  const n = cstrlen(ts);
  for (let i = 0; i < n; i++) if (load<u8>(s + <usize>i) == <u8>c) return true;
  return false;
}

/** t.name = integer, with t just below the top. */
function setfieldint(L: usize, name: string, v: i64): void { lua_pushinteger(L, v); lua_rawsetfield(L, -2, name); }
function setfieldbool(L: usize, name: string, v: bool): void { lua_pushboolean(L, v); lua_rawsetfield(L, -2, name); }
function setfieldlit(L: usize, name: string, v: string): void { lua_pushliteral(L, v); lua_rawsetfield(L, -2, name); }

// ==== Registry, metatables, user values ====

function db_getregistry(L: usize): i32 {
  lua_pushtable(L, registry);
  return 1;
}

function db_getmetatable(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  const mt = getmetatableof(index2value(L, 1));     // raw: __metatable is not consulted
  if (mt == 0 || isproxymt(mt)) lua_pushnil(L);      // an external table's is sealed (object/userdata.ts)
  else lua_pushtable(L, mt);
  return 1;
}

function db_setmetatable(L: usize): i32 {
  const t = lua_type(L, 2);
  if (t != LUA_TNIL && t != LUA_TTABLE) return luaL_typeerror(L, 2, "nil or table");
  lua_settop(L, 2);
  const o = index2value(L, 1);
  if (isexternal(o)) return luaL_error(L, EXTMT_MSG);
  if (isjsref(o)) return luaL_error(L, "cannot change the metatable of a JS reference");
  const mt: usize = t == LUA_TNIL ? 0 : hvalue(index2value(L, 2));
  if (ttistable(o)) {
    ltable.setmetatableptr(hvalue(o), mt);
    if (mt != 0) { luaC_objbarrier(L, hvalue(o), mt); luaC_checkfinalizer(L, hvalue(o), mt); }
  } else if (ttisfulluserdata(o)) {
    udata_setmetatable(uvalue(o), mt);
    if (mt != 0) { luaC_objbarrier(L, uvalue(o), mt); luaC_checkfinalizer(L, uvalue(o), mt); }
  } else {
    G_setmt(ttype(o), mt);                          // shared by every value of the basic type
  }
  lua_settop(L, 1);
  return 1;
}

function db_getuservalue(L: usize): i32 {
  const n = luaL_optinteger(L, 2, 1);
  if (argfail) return ERR;
  const o = index2value(L, 1);
  if (!ttisfulluserdata(o)) { lua_pushnil(L); return 1; }
  const u = uvalue(o);
  if (n <= 0 || n > <i64>udata_nuvalue(u)) { lua_pushnil(L); return 1; }
  lua_pushtvalue(L, udata_uv(u, <i32>n - 1));
  lua_pushboolean(L, true);
  return 2;
}

function db_setuservalue(L: usize): i32 {
  const n = luaL_optinteger(L, 3, 1);
  luaL_checktype(L, 1, LUA_TUSERDATA);
  luaL_checkany(L, 2);
  if (argfail) return ERR;
  lua_settop(L, 2);
  const o = index2value(L, 1);
  if (!ttisfulluserdata(o)) { lua_pushnil(L); return 1; }   // light userdata has no user values
  const u = uvalue(o);
  if (n <= 0 || n > <i64>udata_nuvalue(u)) { lua_pushnil(L); return 1; }
  setobj(udata_uv(u, <i32>n - 1), index2value(L, 2));
  luaC_barrierback(L, u);
  lua_settop(L, 1);
  return 1;
}

// ==== getinfo ====

/** A copy of the function inspected by getinfo (its slot may be in another thread's stack). */
const infofunc: usize = memory.data(16);

/** Pushes the source name of a function: its chunk name, "=?" if unknown, "=[C]" for natives. */
function pushsource(L: usize, f: usize): usize {
  if (!ttisLclosure(f)) return lua_pushliteral(L, "=[C]");
  const src = p_source(cl_proto(clvalue(f)));
  if (src == 0) return lua_pushliteral(L, "=?");
  lua_pushtstring(L, src);
  return src;
}

/** Fields of option 'S': source, short_src, linedefined, lastlinedefined, what (funcinfo). */
function infoS(L: usize, f: usize): void {
  const src = pushsource(L, f);
  lua_rawsetfield(L, -2, "source");
  const b = buf_new();
  luaO_chunkid(b, src);
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  lua_rawsetfield(L, -2, "short_src");
  if (ttisLclosure(f)) {
    const p = cl_proto(clvalue(f));
    setfieldint(L, "linedefined", p_linedefined(p));
    setfieldint(L, "lastlinedefined", p_lastlinedefined(p));
    setfieldlit(L, "what", p_linedefined(p) == 0 ? "main" : "Lua");
  } else {
    setfieldint(L, "linedefined", -1);
    setfieldint(L, "lastlinedefined", -1);
    setfieldlit(L, "what", "C");
  }
}

/** Fields of option 'u': nups, nparams, isvararg. */
function infou(L: usize, f: usize): void {
  const nups = ttislcf(f) ? 0 : cl_nupvalues(clvalue(f));
  setfieldint(L, "nups", nups);
  if (ttisLclosure(f)) {
    const p = cl_proto(clvalue(f));
    setfieldint(L, "nparams", p_numparams(p));
    setfieldbool(L, "isvararg", p_isvararg(p));
  } else {
    setfieldint(L, "nparams", 0);
    setfieldbool(L, "isvararg", true);
  }
}

/** Fields of option 'n': name (absent when unknown) and namewhat, from how frame ci was called. */
function infon(L: usize, ci: usize): void {
  const b = buf_new();
  const kind = ci == 0 ? NAMEWHAT_NONE : luaG_funcname(L1, ci, b);
  if (kind != NAMEWHAT_NONE) {
    lua_pushlstring(L, b.ptr, b.len);
    lua_rawsetfield(L, -2, "name");
  }
  buf_free(b);
  setfieldlit(L, "namewhat", namewhatstr(kind));
}

/** Pushes the table of lines with code of a Lua function, or nil for a native (collectvalidlines). */
function pushactivelines(L: usize, f: usize): void {
  if (!ttisLclosure(f)) { lua_pushnil(L); return; }
  const p = cl_proto(clvalue(f));
  const t = lua_createtable(L, 0, 0);
  const li = p_lineinfo(p);
  if (li == 0) return;                              // stripped: no lines
  const v = memory.data(16);
  setbtvalue(v);
  // a vararg function's first instruction (OP_VARARGPREP) does not count as a line of code
  for (let i = p_isvararg(p) ? 1 : 0; i < p_sizecode(p); i++) {
    ltable.luaH_setint(t, <i64>load<i32>(li + (<usize>i << 2)), v);
  }
}

/** debug.getinfo([thread,] f | level [, what]): a table of information, or nil for a bad level. */
function db_getinfo(L: usize): i32 {
  const arg = getthread(L);
  const opts = luaL_optlstring(L, arg + 2, luaS_new("flnSrtu"));
  if (argfail) return ERR;
  if (cstrlen(opts) > 0 && load<u8>(getstr(opts)) == 62 /* '>' */)
    return luaL_argerror(L, arg + 2, "invalid option '>'");
  let ci: usize = 0;
  if (isfunction(L, arg + 1)) setobj(infofunc, index2value(L, arg + 1));
  else {
    const level = luaL_checkinteger(L, arg + 1);
    if (argfail) return ERR;
    ci = getstack(L1, level);
    if (ci == 0) { lua_pushnil(L); return 1; }      // level out of range
    setobj(infofunc, ci_func(ci));
  }
  const s = getstr(opts);
  for (let i = 0, n = cstrlen(opts); i < n; i++) {
    const c = <i32>load<u8>(s + <usize>i);
    if (c != 83 && c != 108 && c != 117 && c != 110 && c != 114 && c != 116 && c != 76 && c != 102)
      return luaL_argerror(L, arg + 2, "invalid option");   // not one of "SlunrtLf"
  }
  lua_createtable(L, 0, 2);
  const f = infofunc;
  if (hasopt(opts, 83 /* S */)) infoS(L, f);
  if (hasopt(opts, 108 /* l */)) setfieldint(L, "currentline", ci != 0 && isLua(ci) ? getcurrentline(ci) : -1);
  if (hasopt(opts, 117 /* u */)) infou(L, f);
  if (hasopt(opts, 110 /* n */)) infon(L, ci);
  if (hasopt(opts, 114 /* r */)) {
    const tran = ci != 0 && (ci_callstatus(ci) & CIST_TRAN) != 0;
    setfieldint(L, "ftransfer", tran ? ci_u2(ci) & 0xFFFF : 0);
    setfieldint(L, "ntransfer", tran ? (ci_u2(ci) >>> 16) : 0);
  }
  if (hasopt(opts, 116 /* t */)) setfieldbool(L, "istailcall", ci != 0 && (ci_callstatus(ci) & CIST_TAIL) != 0);
  if (hasopt(opts, 76 /* L */)) { pushactivelines(L, f); lua_rawsetfield(L, -2, "activelines"); }
  if (hasopt(opts, 102 /* f */)) { lua_pushtvalue(L, f); lua_rawsetfield(L, -2, "func"); }
  return 1;
}

// ==== Local variables ====

/** Results of findlocal: the slot, and the name as a TString or (when 0) the literal foundlit. */
let foundpos: usize = 0;
let foundname: usize = 0;
let foundlit: string = "";

/**
 * Finds local `n` of frame `ci` of thread L1 (luaG_findlocal): named locals active at the frame's
 * pc, varargs as negative n ("(vararg)"), other live slots as "(temporary)" / "(C temporary)".
 */
function findlocal(ci: usize, n: i32): bool {
  const base = ci_func(ci) + TVALUE_SIZE;
  foundname = 0;
  foundlit = "";
  if (isLua(ci) && ttisLclosure(ci_func(ci))) {
    const p = cl_proto(clvalue(ci_func(ci)));
    if (n < 0) {                                    // access to vararg values?
      if (!p_isvararg(p)) return false;
      const nextra = ci_nextraargs_(ci);
      if (n < -nextra) return false;
      foundpos = ci_func(ci) - (<usize>nextra << 4) - (<usize>(n + 1) << 4);
      foundlit = "(vararg)";
      return true;
    }
    foundname = luaG_getlocalname(p, n, currentpc(ci));
  }
  if (foundname == 0) {
    const limit = ci == L_ci(L1) ? L_top(L1) : ci_func(ci_next(ci));
    if (n > 0 && <isize>(limit - base) >= (<isize>n << 4))
      foundlit = isLua(ci) ? "(temporary)" : "(C temporary)";
    else return false;
  }
  foundpos = base + (<usize>(n - 1) << 4);
  return true;
}
import { ci_nextraargs as ci_nextraargs_ } from "../vm/state";

function pushfoundname(L: usize): void {
  if (foundname != 0) lua_pushtstring(L, foundname); else lua_pushliteral(L, foundlit);
}

/** debug.getlocal([thread,] level | f, n): name and value, or the parameter name of a function. */
function db_getlocal(L: usize): i32 {
  const arg = getthread(L);
  const nvar = luaL_checkinteger(L, arg + 2);
  if (argfail) return ERR;
  const n = <i32>nvar;
  if (isfunction(L, arg + 1)) {                     // parameters of a function (no value)
    const f = index2value(L, arg + 1);
    const name = ttisLclosure(f) ? luaG_getlocalname(cl_proto(clvalue(f)), n, 0) : 0;
    if (name != 0) lua_pushtstring(L, name); else lua_pushnil(L);
    return 1;
  }
  const level = luaL_checkinteger(L, arg + 1);
  if (argfail) return ERR;
  const ci = getstack(L1, level);
  if (ci == 0) return luaL_argerror(L, arg + 1, "level out of range");
  if (!findlocal(ci, n)) { lua_pushnil(L); return 1; }
  pushfoundname(L);
  lua_pushtvalue(L, foundpos);
  return 2;
}

/** debug.setlocal([thread,] level, n, value): the local's name, or nil if there is none. */
function db_setlocal(L: usize): i32 {
  const arg = getthread(L);
  const level = luaL_checkinteger(L, arg + 1);
  const nvar = luaL_checkinteger(L, arg + 2);
  if (argfail) return ERR;
  const ci = getstack(L1, level);
  if (ci == 0) return luaL_argerror(L, arg + 1, "level out of range");
  luaL_checkany(L, arg + 3);
  if (argfail) return ERR;
  lua_settop(L, arg + 3);
  if (!findlocal(ci, <i32>nvar)) { lua_pushnil(L); return 1; }
  setobj(foundpos, index2value(L, arg + 3));
  luaV_framewritten();                                 // (compiled code holding that frame's registers in locals re-reads them)
  pushfoundname(L);
  return 1;
}

// ==== Upvalues ====

/** Result of auxupvalue: the upvalue's TValue, name (TString or literal), and owning object. */
let upval: usize = 0;
let upname: usize = 0;
let uplit: string = "";
let upowner: usize = 0;

/** Finds upvalue n of the function value f (aux_upvalue); false if there is none. */
function findupvalue(f: usize, n: i64): bool {
  upname = 0;
  uplit = "";
  if (ttisCclosure(f)) {
    const cl = clvalue(f);
    if (n < 1 || n > <i64>cl_nupvalues(cl)) return false;
    upval = ccl_upvalue(cl, <i32>n - 1);
    upowner = cl;
    return true;
  }
  if (ttisLclosure(f)) {
    const cl = clvalue(f);
    const p = cl_proto(cl);
    if (n < 1 || n > <i64>p_sizeupvalues(p)) return false;
    const uv = cl_upval(cl, <i32>n - 1);
    upval = uv_v(uv);
    upowner = uv;
    upname = uvd_name(upvaldesc(p, <i32>n - 1));
    if (upname == 0) uplit = "(no name)";
    return true;
  }
  return false;
}

function pushupname(L: usize): void {
  if (upname != 0) lua_pushtstring(L, upname); else lua_pushliteral(L, uplit);
}

function db_getupvalue(L: usize): i32 {
  const n = luaL_checkinteger(L, 2);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (argfail) return ERR;
  if (!findupvalue(index2value(L, 1), n)) return 0;
  pushupname(L);
  lua_pushtvalue(L, upval);
  return 2;
}

function db_setupvalue(L: usize): i32 {
  luaL_checkany(L, 3);
  const n = luaL_checkinteger(L, 2);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (argfail) return ERR;
  if (!findupvalue(index2value(L, 1), n)) return 0;
  setobj(upval, L_top(L) - TVALUE_SIZE);            // the value on top (lua_setupvalue)
  luaC_barrierback(L, upowner);
  pushupname(L);
  return 1;
}

/** Identity of upvalue n of the function at argf (lua_upvalueid), 0 if there is none. */
function upvalueid(L: usize, argf: i32, n: i64): usize {
  const f = index2value(L, argf);
  if (ttisLclosure(f)) {
    const cl = clvalue(f);
    if (n < 1 || n > <i64>p_sizeupvalues(cl_proto(cl))) return 0;
    return cl_upval(cl, <i32>n - 1);
  }
  if (ttisCclosure(f)) {
    const cl = clvalue(f);
    if (n < 1 || n > <i64>cl_nupvalues(cl)) return 0;
    return ccl_upvalue(cl, <i32>n - 1);
  }
  return 0;
}

/** checkupval: the upvalue index at argnup of the function at argf; raises for a bad index if `must`. */
function checkupval(L: usize, argf: i32, argnup: i32, must: bool): usize {
  const nup = luaL_checkinteger(L, argnup);
  luaL_checktype(L, argf, LUA_TFUNCTION);
  if (argfail) return 0;
  const id = upvalueid(L, argf, nup);
  if (must && id == 0) { luaL_argerror(L, argnup, "invalid upvalue index"); return 0; }
  return id;
}

function db_upvalueid(L: usize): i32 {
  const id = checkupval(L, 1, 2, false);
  if (argfail) return ERR;
  if (id != 0) lua_pushlightuserdata(L, id); else lua_pushnil(L);
  return 1;
}

function db_upvaluejoin(L: usize): i32 {
  checkupval(L, 1, 2, true);
  if (argfail) return ERR;
  checkupval(L, 3, 4, true);
  if (argfail) return ERR;
  if (!ttisLclosure(index2value(L, 1))) return luaL_argerror(L, 1, "Lua function expected");
  if (!ttisLclosure(index2value(L, 3))) return luaL_argerror(L, 3, "Lua function expected");
  const f1 = clvalue(index2value(L, 1));
  const f2 = clvalue(index2value(L, 3));
  const n1 = <i32>luaL_checkinteger(L, 2);
  const n2 = <i32>luaL_checkinteger(L, 4);
  const uv = cl_upval(f2, n2 - 1);
  cl_setupval(f1, n1 - 1, uv);
  luaC_objbarrier(L, f1, uv);
  return 0;
}

// ==== Hooks ====

const hookkeyname = "_HOOKKEY";

/** The hook table registry._HOOKKEY, created weak-keyed (its own metatable, __mode "k") if absent. */
function hooktable(L: usize): usize {
  const o = ltable.luaH_getstr(registry, luaS_new(hookkeyname));
  if (ttistable(o)) return hvalue(o);
  const t = lua_createtable(L, 0, 2);
  lua_pushliteral(L, "k");
  lua_rawsetfield(L, -2, "__mode");
  ltable.setmetatableptr(t, t);
  const k = memory.data(16);
  setsvalue(k, luaS_new(hookkeyname));
  ltable.luaH_set(registry, k, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, registry);
  lua_settop(L, -2);
  return t;
}

/** debug.sethook([thread,] hook, mask [, count]) or debug.sethook([thread]) to turn hooks off. */
function db_sethook(L: usize): i32 {
  const arg = getthread(L);
  let mask = 0, count = 0;
  if (lua_isnoneornil(L, arg + 1)) lua_settop(L, arg + 1);   // no hook: turn off
  else {
    const smask = luaL_checklstring(L, arg + 2);
    luaL_checktype(L, arg + 1, LUA_TFUNCTION);
    const c = luaL_optinteger(L, arg + 3, 0);
    if (argfail) return ERR;
    count = <i32>c;
    if (hasopt(smask, 99 /* c */)) mask |= LUA_MASKCALL;
    if (hasopt(smask, 114 /* r */)) mask |= LUA_MASKRET;
    if (hasopt(smask, 108 /* l */)) mask |= LUA_MASKLINE;
    if (count > 0) mask |= LUA_MASKCOUNT;
  }
  const t = hooktable(L);
  const k = memory.data(16);
  setthvalue(k, L1);
  const v = index2value(L, arg + 1);
  if (ttisnil(v)) {                                 // remove the entry (luaH_set with nil)
    const slot = ltable.luaH_get(t, k);
    if (!ttisnil(slot)) ltable.luaH_set(t, k, v);
  } else ltable.luaH_set(t, k, v);
  luaC_barrierback(L, t);
  lua_sethook(L1, mask, count);
  return 0;
}

/** debug.gethook([thread]): hook function, mask string and count, or nil without a hook. */
function db_gethook(L: usize): i32 {
  getthread(L);
  const mask = lua_gethookmask(L1);
  if (mask == 0) { lua_pushnil(L); return 1; }
  const t = hooktable(L);
  const k = memory.data(16);
  setthvalue(k, L1);
  const f = ltable.luaH_get(t, k);
  if (ttisnil(f)) lua_pushnil(L); else lua_pushtvalue(L, f);
  const b = buf_new();
  if (mask & LUA_MASKCALL) buf_addbyte(b, 99);
  if (mask & LUA_MASKRET) buf_addbyte(b, 114);
  if (mask & LUA_MASKLINE) buf_addbyte(b, 108);
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  lua_pushinteger(L, lua_gethookcount(L1));
  return 3;
}

// ==== traceback and the rest ====

/** debug.traceback([thread,] [msg [, level]]): msg plus a traceback; a non-string msg is returned as is. */
function db_traceback(L: usize): i32 {
  const arg = getthread(L);
  const msg = lua_tolstring(L, arg + 1);            // numbers become strings, as lua_tostring
  if (msg == 0 && !lua_isnoneornil(L, arg + 1)) {
    lua_pushvalue(L, arg + 1);
    return 1;
  }
  const level = luaL_optinteger(L, arg + 2, L == L1 ? 1 : 0);
  if (argfail) return ERR;
  const b = buf_new();
  luaG_traceback(L, L1, msg, <i32>level, b);
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

/** debug.debug(): the interactive prompt; stdin always reads end of file here, so it returns at once. */
function db_debug(L: usize): i32 {
  const prompt = memory.data<u8>([108, 117, 97, 95, 100, 101, 98, 117, 103, 62, 32]);   // "lua_debug> "
  const b = buf_new();
  for (;;) {
    flushoutput();                                  // what was printed before shows before the prompt
    lua_stderr(prompt, 11);
    b.len = 0;
    if (!io_stdin_gets(b, DEBUG_LINE - 1) || iscont(b)) break;
    if (luaL_loadbuffer(L, b.ptr, b.len, luaS_new("=(debug command)"), 0) != 1 || !docommand(L)) {
      const msg = luaL_tolstring(L, -1);            // as ldblib: an error here propagates
      if (msg == 0) { buf_free(b); return ERR; }
      lua_stderr(getstr(msg), tsslen(msg));
      lua_stderr(memory.data<u8>([10]), 1);
    }
    lua_settop(L, 0);                               // remove eventual returns
  }
  buf_free(b);
  return 0;
}

/** Runs the command loaded on top as lua_pcall(L, 0, 0, 0): no message handler, even inside xpcall. */
function docommand(L: usize): bool {
  const ef = L_errfunc(L);
  L_seterrfunc(L, 0);
  const st = luaD_pcall(L, L_top(L) - TVALUE_SIZE, 0);
  L_seterrfunc(L, ef);
  return st == LUA_OK;
}

/** ldblib's line buffer: fgets reads at most DEBUG_LINE - 1 bytes, so a longer line is several commands. */
// @ts-ignore: decorator
@inline const DEBUG_LINE: i32 = 250;

/** Whether the line read is exactly "cont\n". */
function iscont(b: Buffer): bool {
  return b.len == 5 && load<u8>(b.ptr) == 99 && load<u8>(b.ptr, 1) == 111 && load<u8>(b.ptr, 2) == 110 &&
    load<u8>(b.ptr, 3) == 116 && load<u8>(b.ptr, 4) == 10;
}

/** debug.setcstacklimit(n): deprecated in 5.4; always reports the fixed limit (as 5.4.4: 200). */
function db_setcstacklimit(L: usize): i32 {
  luaL_checkinteger(L, 1);
  if (argfail) return ERR;
  lua_pushinteger(L, 200);
  return 1;
}

/** Opens the debug library (luaopen_debug). */
export function luaopen_debug(L: usize): i32 {
  const names: string[] = ["debug", "getuservalue", "gethook", "getinfo", "getlocal", "getregistry",
    "getmetatable", "getupvalue", "upvaluejoin", "upvalueid", "setuservalue", "sethook", "setlocal",
    "setmetatable", "setupvalue", "traceback", "setcstacklimit"];
  const fns: lua_CFunction[] = [db_debug, db_getuservalue, db_gethook, db_getinfo, db_getlocal,
    db_getregistry, db_getmetatable, db_getupvalue, db_upvaluejoin, db_upvalueid, db_setuservalue,
    db_sethook, db_setlocal, db_setmetatable, db_setupvalue, db_traceback, db_setcstacklimit];
  luaL_newlib(L, names, fns);
  return 1;
}
