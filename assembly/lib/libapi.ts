// libapi.ts - metamethod-aware stack operations the libraries need beyond vm/api.ts: lua_geti,
// lua_seti, lua_getfield, luaL_len, lua_lessthan and lua_rawequal-or-__eq (lapi.c/lauxlib.c roles).
// Every function takes a fast raw path for a plain table (no metatable) and otherwise goes through
// vm/ops.ts, which may call metamethods (and so run Lua code, grow the stack and collect garbage).
// Status convention: functions return OK or ERR (the error is already raised); results are pushed.
// Invariant: no stack pointer is held across a call into vm/ops.ts; positions are kept as offsets.
// (These belong in vm/api.ts once the VM lands; they live here so the stdlib does not edit api.ts.)

import {
  TVALUE_SIZE, ttistable, ttisnil, ttisinteger, hvalue, ivalue, setobj, setnilvalue, setivalue,
  setsvalue, setuvalue,
} from "../object/value";
import { luaS_newudata, getudatamem } from "../object/userdata";
import { luaH_getint, luaH_setint, luaH_set, luaH_getn, luaH_getstr, getmetatable } from "../object/table";
import { luaS_new } from "../object/string";
import { index2value, incr_top, lua_tointegerx, tonum_ok, lua_checkstack } from "../vm/api";
import { LUAI_MAXSTACK } from "../luaconf";
import { L_top, L_settop, L_stack, savestack, restorestack, OK, ERR } from "../vm/state";
import { luaV_gettable, luaV_settable, luaV_objlen, luaV_lessthan, luaV_equalobj } from "../vm/ops";
import { luaL_error } from "./aux";
import { luaC_barrierback } from "../gc/barrier";
import { Buffer, buf_addbytes } from "../mem/buffer";
import { fits } from "../mem/alloc";
import { errobj } from "../vm/state";
import { luaG_errormsg, luaG_memerror } from "../vm/debug";

/** True when `o` is a table without a metatable, so raw access is exactly Lua's access. */
// @ts-ignore: decorator
@inline function isplaintable(o: usize): bool {
  return ttistable(o) && getmetatable(hvalue(o)) == 0;
}

/** Pushes t[i] for the value t at idx, honouring __index (lua_geti). */
export function lua_geti(L: usize, idx: i32, i: i64): i32 {
  const t = index2value(L, idx);
  if (ttistable(t)) {
    const h = hvalue(t);
    const v = luaH_getint(h, i);
    if (!ttisnil(v) || getmetatable(h) == 0) {
      if (ttisnil(v)) setnilvalue(L_top(L)); else setobj(L_top(L), v);
      incr_top(L);
      return OK;
    }
  }
  const k = L_top(L);
  setivalue(k, i);
  incr_top(L);
  return luaV_gettable(L, t, k, savestack(L, k));   // the result replaces the key slot
}

/** t[i] = v for the value t at idx and v on top (popped), honouring __newindex (lua_seti). */
export function lua_seti(L: usize, idx: i32, i: i64): i32 {
  const t = index2value(L, idx);
  const v = L_top(L) - TVALUE_SIZE;
  if (isplaintable(t)) {
    const r = luaH_setint(hvalue(t), i, v);
    luaC_barrierback(L, hvalue(t));
    L_settop(L, v);
    if (r != 0) return lib_memerror(L);             // SET_NOMEM: growing would pass the limit
    return OK;
  }
  const base = savestack(L, v);
  setivalue(L_top(L), i);
  incr_top(L);
  const r = luaV_settable(L, t, v + TVALUE_SIZE, v);
  if (r != OK) return ERR;
  L_settop(L, restorestack(L, base));
  return OK;
}

/** Pushes t[name] for a fixed ASCII name and the value t at idx, honouring __index (lua_getfield). */
export function lua_getfield(L: usize, idx: i32, name: string): i32 {
  return lua_getfieldts(L, idx, luaS_new(name));
}

/** lua_getfield with the key already a string object (TString). */
export function lua_getfieldts(L: usize, idx: i32, key: usize): i32 {
  const t = index2value(L, idx);
  if (isplaintable(t)) {
    const v = luaH_getstr(hvalue(t), key);
    if (ttisnil(v)) setnilvalue(L_top(L)); else setobj(L_top(L), v);
    incr_top(L);
    return OK;
  }
  const k = L_top(L);
  setsvalue(k, key);
  incr_top(L);
  return luaV_gettable(L, t, k, savestack(L, k));
}

/** Result of the last luaL_len when it succeeded. */
export let lenvalue: i64 = 0;

/**
 * Length of the value at idx as an integer, honouring __len (luaL_len). Returns OK with the length
 * in `lenvalue`, or ERR ("object length is not an integer" or the error of __len / the # operator).
 */
export function luaL_len(L: usize, idx: i32): i32 {
  const o = index2value(L, idx);
  if (isplaintable(o)) { lenvalue = luaH_getn(hvalue(o)); return OK; }
  const dst = L_top(L);
  setnilvalue(dst);
  incr_top(L);
  if (luaV_objlen(L, savestack(L, dst), o) != OK) return ERR;
  const r = L_top(L) - TVALUE_SIZE;
  let n: i64 = 0;
  if (ttisinteger(r)) n = ivalue(r);
  else {
    n = lua_tointegerx(L, -1);
    if (!tonum_ok) return luaL_error(L, "object length is not an integer");
  }
  L_settop(L, r);
  lenvalue = n;
  return OK;
}

/** a < b for the values at stack indices a and b (lua_compare LT): 1, 0, or ERR. */
export function lua_lessthan(L: usize, a: i32, b: i32): i32 {
  return luaV_lessthan(L, index2value(L, a), index2value(L, b));
}

/** a == b with __eq for the values at stack indices a and b (lua_compare EQ): 1, 0, or ERR. */
export function lua_equal(L: usize, a: i32, b: i32): i32 {
  return luaV_equalobj(L, index2value(L, a), index2value(L, b));
}

/** Creates a full userdata with `size` raw bytes and `nuv` user values, pushes it, returns its memory. */
export function lua_newuserdatauv(L: usize, size: u32, nuv: i32): usize {
  const u = luaS_newudata(size, nuv);
  setuvalue(L_top(L), u);
  incr_top(L);
  return getudatamem(u);
}

/** t[name] = v for a fixed ASCII name, t at idx and v on top (popped), honouring __newindex. */
export function lua_setfield(L: usize, idx: i32, name: string): i32 {
  return lua_setfieldts(L, idx, luaS_new(name));
}

/** lua_setfield with the key already a string object (TString). */
export function lua_setfieldts(L: usize, idx: i32, key: usize): i32 {
  const t = index2value(L, idx);
  const v = L_top(L) - TVALUE_SIZE;
  const base = savestack(L, v);
  setsvalue(L_top(L), key);
  incr_top(L);
  if (isplaintable(t)) {
    luaH_set(hvalue(t), v + TVALUE_SIZE, v);   // a string key never fails
    luaC_barrierback(L, hvalue(t));
  } else if (luaV_settable(L, t, v + TVALUE_SIZE, v) != OK) return ERR;
  L_settop(L, restorestack(L, base));
  return OK;
}

/**
 * Room for n more slots, never beyond LUAI_MAXSTACK slots in use (lua_checkstack as lapi.c): unlike a
 * bare hasstack test, this also fails while the stack is still enlarged by an earlier overflow.
 */
export function lua_checkstack_limited(L: usize, n: i32): bool {
  const inuse = <i32>((L_top(L) - L_stack(L)) >> 4);
  if (n < 0 || inuse > LUAI_MAXSTACK - n) return false;
  return lua_checkstack(L, n);
}

/** Raises the memory error: the bare message "not enough memory", as lua5.4 reports it. */
export function lib_memerror(L: usize): i32 {
  return luaG_memerror(L);
}

/**
 * Appends n bytes at p to b unless growing b would pass the memory limit (alloc.ts `fits`); then
 * raises "not enough memory" and returns false.
 */
export function buf_addchecked(L: usize, b: Buffer, p: usize, n: i32): bool {
  if (b.len + n > b.cap && !fits((<u64>b.len + <u64>n) * 2 + 64)) { lib_memerror(L); return false; }
  buf_addbytes(b, p, n);
  return true;
}
