// api.ts - the stack interface that native functions use (lapi.c role).
// A native is `(L: usize) => i32`: its arguments are the slots from ci.func+1 to L.top; it pushes its
// results and returns how many, or returns ERR after raising an error (see lib/aux.ts luaL_error).
// Indices: 1..n are arguments, negative counts from the top, upvalueindex(i) addresses the running
// native closure's upvalues, LUA_REGISTRYINDEX the registry.
// Invariant: natives never touch TValue layout directly; they use these functions and value.ts.

import { luaC_barrierback } from "../gc/barrier";
import { LUA_MINSTACK, LUAI_MAXSTACK } from "../luaconf";
import {
  TVALUE_SIZE, LUA_TNONE, LUA_TNIL, LUA_TBOOLEAN, LUA_TLIGHTUSERDATA, LUA_TNUMBER, LUA_TSTRING,
  LUA_TTABLE, LUA_TFUNCTION, LUA_TUSERDATA, LUA_TTHREAD,
  ttype, ttisnil, ttisinteger, ttisfloat, ttisnumber, ttisstring, ttistable, ttisCclosure, ttisfulluserdata,
  l_isfalse, ivalue, fltvalue, tsvalue, hvalue, clvalue, uvalue, gcvalue,
  setnilvalue, setivalue, setfltvalue, setbvalue, setsvalue, sethvalue, setobj, setfvalue,
  setclCvalue, setpvalue, rawpayload, ttislcf, fvalue, ttisLclosure,
} from "../object/value";
import { luaS_newlstr, luaS_new, tsslen, getstr } from "../object/string";
import * as ltable from "../object/table";
import { luaF_newCclosure, ccl_upvalue } from "../object/func";
import {
  L_top, L_settop, L_ci, L_stack, ci_func, ci_top, ci_settop, registry, hasstack, luaD_growstack, G_mt,
} from "./state";
import { l_strton, luaV_tointegerns, luaO_tostringbuff, F2Ieq } from "../object/number";
import { udata_metatable } from "../object/userdata";

export type lua_CFunction = (L: usize) => i32;

// @ts-ignore: decorator
@inline export const LUA_REGISTRYINDEX: i32 = -1001000;
// @ts-ignore: decorator
@inline export function lua_upvalueindex(i: i32): i32 { return LUA_REGISTRYINDEX - i; }

/** A static nil returned for absent arguments (never written). */
const nilobject: usize = memory.data(16);
/** Holder for the registry as a TValue. */
const registryvalue: usize = memory.data(16);

// ==== Index translation ====

/** The value at a stack index (index2value). Absent arguments read as nil (LUA_TNONE for lua_type). */
// @ts-ignore: decorator
@inline export function index2value(L: usize, idx: i32): usize {
  if (idx > 0) {                              // an argument: inline, natives read these most
    const o = ci_func(L_ci(L)) + (<usize>idx << 4);
    return o >= L_top(L) ? nilobject : o;
  }
  return index2value_other(L, idx);
}
function index2value_other(L: usize, idx: i32): usize {
  const ci = L_ci(L);
  if (idx > LUA_REGISTRYINDEX) {
    return L_top(L) + (<usize>(<isize>idx << 4));
  } else if (idx == LUA_REGISTRYINDEX) {
    sethvalue(registryvalue, registry);
    return registryvalue;
  } else {
    const n = LUA_REGISTRYINDEX - idx;        // upvalue index
    const f = ci_func(ci);
    if (ttisCclosure(f)) {
      const cl = clvalue(f);
      if (n <= <i32>load<u8>(cl, 6)) return ccl_upvalue(cl, n - 1);
    }
    return nilobject;
  }
}

/** Whether an index is beyond the arguments (lua_isnone). */
export function isnone(L: usize, idx: i32): bool {
  return idx > 0 && ci_func(L_ci(L)) + (<usize>idx << 4) >= L_top(L);
}

// @ts-ignore: decorator
@inline export function lua_gettop(L: usize): i32 { return <i32>((L_top(L) - ci_func(L_ci(L))) >> 4) - 1; }
export function lua_absindex(L: usize, idx: i32): i32 {
  return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : lua_gettop(L) + 1 + idx;
}

/** Sets the stack top to index `idx` (filling new slots with nil). */
export function lua_settop(L: usize, idx: i32): void {
  const func = ci_func(L_ci(L));
  if (idx >= 0) {
    const newtop = func + TVALUE_SIZE + (<usize>idx << 4);
    for (let p = L_top(L); p < newtop; p += TVALUE_SIZE) setnilvalue(p);
    L_settop(L, newtop);
  } else {
    L_settop(L, L_top(L) + (<usize>(<isize>(idx + 1) << 4)));
  }
}
// @ts-ignore: decorator
@inline export function lua_pop(L: usize, n: i32): void { L_settop(L, L_top(L) - (<usize>n << 4)); }

/** Ensures room for n more slots (lua_checkstack). False if the stack cannot grow. */
export function lua_checkstack(L: usize, n: i32): bool {
  if (n < 0 || <i64>((L_top(L) - L_stack(L)) >> 4) + <i64>n > <i64>LUAI_MAXSTACK) return false;
  if (!hasstack(L, n)) { if (!luaD_growstack(L, n)) return false; }
  const ci = L_ci(L);
  const need = L_top(L) + (<usize>n << 4);
  if (ci_top(ci) < need) ci_settop(ci, need);
  return true;
}

// ==== Push ====
/** Advances top by one slot (api_incr_top); natives get LUA_MINSTACK free slots on entry. */
// @ts-ignore: decorator
@inline export function incr_top(L: usize): void { L_settop(L, L_top(L) + TVALUE_SIZE); }
export function lua_pushnil(L: usize): void { setnilvalue(L_top(L)); incr_top(L); }
export function lua_pushinteger(L: usize, n: i64): void { setivalue(L_top(L), n); incr_top(L); }
export function lua_pushnumber(L: usize, n: f64): void { setfltvalue(L_top(L), n); incr_top(L); }
export function lua_pushboolean(L: usize, b: bool): void { setbvalue(L_top(L), b); incr_top(L); }
export function lua_pushvalue(L: usize, idx: i32): void { setobj(L_top(L), index2value(L, idx)); incr_top(L); }
/** Pushes a copy of the TValue at address `o`. */
export function lua_pushtvalue(L: usize, o: usize): void { setobj(L_top(L), o); incr_top(L); }
/** Pushes a string object. */
export function lua_pushtstring(L: usize, ts: usize): void { setsvalue(L_top(L), ts); incr_top(L); }
/** Pushes the `len` bytes at `s` as a Lua string; returns the string object. */
export function lua_pushlstring(L: usize, s: usize, len: i32): usize {
  const ts = luaS_newlstr(s, len);
  setsvalue(L_top(L), ts); incr_top(L);
  return ts;
}
/** Pushes a fixed ASCII text (messages, names). Never use for Lua data. */
export function lua_pushliteral(L: usize, s: string): usize {
  const ts = luaS_new(s);
  setsvalue(L_top(L), ts); incr_top(L);
  return ts;
}
export function lua_pushtable(L: usize, t: usize): void { sethvalue(L_top(L), t); incr_top(L); }
export function lua_pushcfunction(L: usize, f: lua_CFunction): void {
  setfvalue(L_top(L), <u32>changetype<usize>(f)); incr_top(L);
}
/** Pushes a native closure with the top `n` values as upvalues (popped). */
export function lua_pushcclosure(L: usize, f: lua_CFunction, n: i32): void {
  if (n == 0) { lua_pushcfunction(L, f); return; }
  const cl = luaF_newCclosure(<u32>changetype<usize>(f), n);
  for (let i = 0; i < n; i++) setobj(ccl_upvalue(cl, i), L_top(L) - (<usize>(n - i) << 4));
  L_settop(L, L_top(L) - (<usize>n << 4));
  setclCvalue(L_top(L), cl); incr_top(L);
}
export function lua_pushlightuserdata(L: usize, p: usize): void { setpvalue(L_top(L), p); incr_top(L); }
/** Creates a table with preallocated parts and pushes it. */
export function lua_createtable(L: usize, narr: i32, nrec: i32): usize {
  const t = ltable.luaH_new();
  sethvalue(L_top(L), t); incr_top(L);
  if (narr > 0 || nrec > 0) ltable.luaH_resize(t, <u32>narr, <u32>nrec);
  return t;
}

// ==== Stack manipulation ====
/** Reverses the slots [from, to] (helper of lua_rotate). */
function reverse(from: usize, to: usize): void {
  const tmp = memory.data(16);
  while (from < to) {
    setobj(tmp, from); setobj(from, to); setobj(to, tmp);
    from += TVALUE_SIZE; to -= TVALUE_SIZE;
  }
}
/** Rotates the slots between idx and top by n positions towards the top (lua_rotate). */
export function lua_rotate(L: usize, idx: i32, n: i32): void {
  const t = L_top(L) - TVALUE_SIZE;
  const p = index2value(L, idx);
  const m = n >= 0 ? t - (<usize>n << 4) : p - (<usize>(n + 1) << 4) - TVALUE_SIZE;
  reverse(p, m);
  reverse(m + TVALUE_SIZE, t);
  reverse(p, t);
}
// @ts-ignore: decorator
@inline export function lua_insert(L: usize, idx: i32): void { lua_rotate(L, idx, 1); }
export function lua_remove(L: usize, idx: i32): void { lua_rotate(L, idx, -1); lua_pop(L, 1); }
export function lua_copy(L: usize, from: i32, to: i32): void { setobj(index2value(L, to), index2value(L, from)); }
export function lua_replace(L: usize, idx: i32): void { lua_copy(L, -1, idx); lua_pop(L, 1); }

// ==== Access ====
export function lua_type(L: usize, idx: i32): i32 {
  const o = index2value(L, idx);
  if (o == nilobject) return LUA_TNONE;           // also every index beyond the arguments (isnone)
  return ttype(o);
}
/** Type names as lua_typename (ORDER LUA_T). */
export function lua_typename(t: i32): string {
  switch (t) {
    case LUA_TNONE: return "no value";
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return "boolean";
    case LUA_TLIGHTUSERDATA: return "userdata";
    case LUA_TNUMBER: return "number";
    case LUA_TSTRING: return "string";
    case LUA_TTABLE: return "table";
    case LUA_TFUNCTION: return "function";
    case LUA_TUSERDATA: return "userdata";
    case LUA_TTHREAD: return "thread";
    default: return "upvalue";
  }
}
export function lua_isnoneornil(L: usize, idx: i32): bool { return ttisnil(index2value(L, idx)); }
export function lua_isinteger(L: usize, idx: i32): bool { return ttisinteger(index2value(L, idx)); }
export function lua_isnumber(L: usize, idx: i32): bool {
  const o = index2value(L, idx);
  if (ttisnumber(o)) return true;
  const tmp = memory.data(16);
  return ttisstring(o) && l_strton(o, tmp);
}
export function lua_isstring(L: usize, idx: i32): bool { const o = index2value(L, idx); return ttisstring(o) || ttisnumber(o); }
export function lua_iscfunction(L: usize, idx: i32): bool { const o = index2value(L, idx); return ttislcf(o) || ttisCclosure(o); }
export function lua_toboolean(L: usize, idx: i32): bool { return !l_isfalse(index2value(L, idx)); }

/** Scratch result flag of the last lua_tointegerx/lua_tonumberx. */
export let tonum_ok: bool = false;

/** Integer value of a number or numeric string convertible exactly (lua_tointegerx); sets tonum_ok. */
export function lua_tointegerx(L: usize, idx: i32): i64 {
  const o = index2value(L, idx);
  if (ttisinteger(o)) { tonum_ok = true; return ivalue(o); }
  const out = memory.data(8);
  tonum_ok = luaV_tointegerns(o, out, F2Ieq);
  return tonum_ok ? load<i64>(out) : 0;
}
/** Float value of a number or numeric string (lua_tonumberx); sets tonum_ok. */
export function lua_tonumberx(L: usize, idx: i32): f64 {
  const o = index2value(L, idx);
  if (ttisfloat(o)) { tonum_ok = true; return fltvalue(o); }
  if (ttisinteger(o)) { tonum_ok = true; return <f64>ivalue(o); }
  const tmp = memory.data(16);
  if (ttisstring(o) && l_strton(o, tmp)) {
    tonum_ok = true;
    return ttisinteger(tmp) ? <f64>ivalue(tmp) : fltvalue(tmp);
  }
  tonum_ok = false;
  return 0;
}

/** Converts a number to a string object (luaO_tostring). */
export function luaO_tostring(o: usize): usize {
  const buf = memory.data(48);
  const n = luaO_tostringbuff(o, buf);
  return luaS_newlstr(buf, n);
}

/**
 * The string at idx, converting a number in place as lua_tolstring does; 0 if neither.
 * Returns the TString object (use getstr/tsslen for bytes).
 */
export function lua_tolstring(L: usize, idx: i32): usize {
  const o = index2value(L, idx);
  if (ttisstring(o)) return tsvalue(o);
  if (ttisnumber(o)) {
    const ts = luaO_tostring(o);
    setsvalue(o, ts);
    return ts;
  }
  return 0;
}

/** Raw length: string bytes, table border, userdata size (lua_rawlen). */
export function lua_rawlen(L: usize, idx: i32): i64 {
  const o = index2value(L, idx);
  if (ttisstring(o)) return <i64>tsslen(tsvalue(o));
  if (ttistable(o)) return ltable.luaH_getn(hvalue(o));
  return 0;
}
export function lua_touserdata(L: usize, idx: i32): usize {
  const o = index2value(L, idx);
  if (ttisfulluserdata(o)) return uvalue(o);
  return ttype(o) == LUA_TLIGHTUSERDATA ? <usize>rawpayload(o) : 0;
}
/** Pointer identity of an object for "%p" (lua_topointer); 0 for non-objects. */
export function lua_topointer(L: usize, idx: i32): usize {
  const o = index2value(L, idx);
  switch (ttype(o)) {
    case LUA_TTABLE: case LUA_TTHREAD: case LUA_TUSERDATA: case LUA_TSTRING: return gcvalue(o);
    case LUA_TLIGHTUSERDATA: return <usize>rawpayload(o);
    case LUA_TFUNCTION: return ttislcf(o) ? <usize>fvalue(o) : gcvalue(o);
    default: return 0;
  }
}

// ==== Raw table access (no metamethods) ====
/** Pushes t[k] where t is at idx and k on top (replaced) — lua_rawget. Returns the value's type. */
export function lua_rawget(L: usize, idx: i32): i32 {
  const t = hvalue(index2value(L, idx));
  const k = L_top(L) - TVALUE_SIZE;
  const v = ltable.luaH_get(t, k);
  if (ttisnil(v)) setnilvalue(k); else setobj(k, v);
  return ttype(k);
}
export function lua_rawgeti(L: usize, idx: i32, n: i64): i32 {
  const t = hvalue(index2value(L, idx));
  const v = ltable.luaH_getint(t, n);
  if (ttisnil(v)) setnilvalue(L_top(L)); else setobj(L_top(L), v);
  incr_top(L);
  return ttype(L_top(L) - TVALUE_SIZE);
}
/** Pushes t[name] (raw) for a fixed ASCII field name. */
export function lua_rawgetfield(L: usize, idx: i32, name: string): i32 {
  const t = hvalue(index2value(L, idx));
  const v = ltable.luaH_getstr(t, luaS_new(name));
  if (ttisnil(v)) setnilvalue(L_top(L)); else setobj(L_top(L), v);
  incr_top(L);
  return ttype(L_top(L) - TVALUE_SIZE);
}
/** t[k] = v with t at idx, k and v on top (both popped) — lua_rawset. Returns ltable SET_* code. */
export function lua_rawset(L: usize, idx: i32): i32 {
  const t = hvalue(index2value(L, idx));
  const r = ltable.luaH_set(t, L_top(L) - 2 * TVALUE_SIZE, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, t);
  L_settop(L, L_top(L) - 2 * TVALUE_SIZE);
  return r;
}
/** t[n] = v with t at idx and v on top (popped). */
export function lua_rawseti(L: usize, idx: i32, n: i64): void {
  const t = hvalue(index2value(L, idx));
  ltable.luaH_setint(t, n, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, t);
  L_settop(L, L_top(L) - TVALUE_SIZE);
}
/** t[name] = v (raw) with t at idx and v on top (popped), for fixed ASCII names (library setup). */
export function lua_rawsetfield(L: usize, idx: i32, name: string): void {
  const t = hvalue(index2value(L, idx));
  const k = memory.data(16);
  setsvalue(k, luaS_new(name));
  ltable.luaH_set(t, k, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, t);
  L_settop(L, L_top(L) - TVALUE_SIZE);
}

// ==== Metatables ====
/** The metatable of any value (luaT_getmetatable role), 0 if none. */
export function getmetatableof(o: usize): usize {
  switch (ttype(o)) {
    case LUA_TTABLE: return ltable.getmetatable(hvalue(o));
    case LUA_TUSERDATA: return udata_metatable(uvalue(o));
    default: return G_mt(ttype(o));
  }
}
/** Pushes the metatable of the value at idx and returns true, or pushes nothing and returns false. */
export function lua_getmetatable(L: usize, idx: i32): bool {
  const m = getmetatableof(index2value(L, idx));
  if (m == 0) return false;
  lua_pushtable(L, m);
  return true;
}

export { LUA_MINSTACK };
