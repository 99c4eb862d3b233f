// ops.ts - the VM's slow paths: indexing with metamethods, arithmetic/bitwise metamethods,
// comparisons, equality, concatenation, length and the numeric for-loop preparation (rest of lvm.c,
// parts of ltm.c). The execute loop tries the fast path inline and calls here otherwise.
// Invariant: every function that may call a metamethod takes destinations as stack *offsets*
// (savestack) because the call may reallocate the stack; pointers passed in are read before calling.

import { LUAI_MAXSHORTLEN, STRESS } from "../luaconf";
import {
  TVALUE_SIZE, LUA_VNUMINT, LUA_VNUMFLT, LUA_VSHRSTR, LUA_VLNGSTR, LUA_VFALSE, LUA_VTRUE, LUA_VNIL,
  LUA_VLCF, LUA_VLIGHTUSERDATA, LUA_VUSERDATA, LUA_VTABLE,
  rawtt, ttisnil, ttistable, ttisstring, ttisshrstring, ttislcf, fvalue, ttisnumber, ttisinteger, ttisfloat, ttisfulluserdata, ttype,
  ivalue, fltvalue, tsvalue, hvalue, uvalue, rawpayload, l_isfalse,
  setobj, setobj2t, setnilvalue, setivalue, setfltvalue, setbvalue, setsvalue, setclLvalue,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_eqstr, l_strcmp, tsslen, getstr, luaS_newlstr, luaS_createlngstrobj } from "../object/string";
import { udata_metatable } from "../object/userdata";
import { fits, gcdebt } from "../mem/alloc";
import { luaC_checkGC } from "../gc/collect";
import {
  p_sizeupvalues, luaF_newLclosure, upvaldesc, uvd_instack, uvd_idx, cl_setupval, cl_upval,
} from "../object/func";
import {
  L_top, L_settop, L_stack, savestack, restorestack, ERR, OK, errobj,
} from "./state";
import { TM, fasttm, luaT_gettmbyobj } from "./tm";
import { hookactive } from "./hook";
import { luaD_callmm, luaF_findupval } from "./call";
import { L_ci, ci_callstatus, ci_setcallstatus, CIST_LEQ, LUA_YIELD } from "./state";

/** Result of the comparison functions (which return 1/0 for true/false) when a metamethod yielded. */
// @ts-ignore: decorator
@inline export const CMP_YIELD: i32 = -2;
import {
  luaG_typeerror, luaG_runerrorstr, luaG_opinterror, luaG_tointerror, luaG_ordererror,
  luaG_concaterror, luaG_forerror, luaG_memerror,
} from "./debug";
import {
  luaO_tostringbuff, luaV_tointegerns, luaV_tonumber_, F2Ieq, F2Ifloor, F2Iceil, luaO_rawarith,
} from "../object/number";
import { luaC_barrierback } from "../gc/barrier";
import { OP, GET_OPCODE, GETARG_A, GETARG_k } from "./opcodes";
import { ci_func, ci_savedpc, ci_setsavedpc, ci_u2 } from "./state";



/**
 * R[A] (`ra`) := a new closure of prototype `p` (pushclosure): its upvalues are the enclosing
 * closure `encl`'s or the open upvalues of registers of the frame at `base`, as `p` describes them.
 * The interpreter's CLOSURE and the JIT's helper.
 */
// @ts-ignore: decorator
@inline export function luaV_pushclosure(L: usize, p: usize, encl: usize, base: usize, ra: usize): void {
  const nup = p_sizeupvalues(p);
  const ncl = luaF_newLclosure(p, nup);
  setclLvalue(ra, ncl);                           // anchor before creating upvalues
  for (let j = 0; j < nup; j++) {
    const d = upvaldesc(p, j);
    if (uvd_instack(d)) cl_setupval(ncl, j, luaF_findupval(L, base + (<usize>uvd_idx(d) << 4)));
    else cl_setupval(ncl, j, cl_upval(encl, uvd_idx(d)));
  }
}

/**
 * Runs a collector step if debt is due, with the frame visible to the collector up to `limit` (the
 * step after allocating instructions: the interpreter's and the JIT helpers'). The collector may
 * move the stack (it shrinks stacks; the stress build moves them), so callers re-derive `base`
 * afterwards. Returns false after raising "not enough memory" when the heap is still over the
 * memory limit after a full collection.
 */
// @ts-ignore: decorator
@inline export function luaV_checkGC(L: usize, limit: usize): bool {
  if (STRESS || gcdebt > 0) {
    const top = savestack(L, L_top(L));
    L_settop(L, limit);
    const ok = luaC_checkGC(L);
    L_settop(L, restorestack(L, top));
    if (!ok) { luaG_memerror(L); return false; }
  }
  return true;
}

/** Limit for __index/__newindex chains ("'__index' chain too long; possible loop"). */
// @ts-ignore: decorator
@inline const MAXTAGLOOP: i32 = 2000;

const tmpval: usize = memory.data(16);

// ==== Calling metamethods ====

/**
 * Calls f(p1, p2) with one result stored at stack offset `resoff` (luaT_callTMres). Returns OK, ERR,
 * or LUA_YIELD when the metamethod yielded: then nothing is stored here; when the coroutine is
 * resumed and the metamethod returns, luaV_finishOp completes the interrupted instruction.
 */
export function luaT_callTMres(L: usize, f: usize, p1: usize, p2: usize, resoff: i32): i32 {
  const func = L_top(L);
  setobj(func, f);
  setobj(func + TVALUE_SIZE, p1);
  setobj(func + 2 * TVALUE_SIZE, p2);
  L_settop(L, func + 3 * TVALUE_SIZE);
  const foff = savestack(L, func);
  const st = luaD_callmm(L, func, 1);
  if (st != OK) return st;
  const r = restorestack(L, foff);
  setobj(restorestack(L, resoff), r);
  L_settop(L, r);
  return OK;
}

/** Calls f(p1, p2, p3) with no results (luaT_callTM), used by __newindex. */
export function luaT_callTM(L: usize, f: usize, p1: usize, p2: usize, p3: usize): i32 {
  const func = L_top(L);
  setobj(func, f);
  setobj(func + TVALUE_SIZE, p1);
  setobj(func + 2 * TVALUE_SIZE, p2);
  setobj(func + 3 * TVALUE_SIZE, p3);
  L_settop(L, func + 4 * TVALUE_SIZE);
  return luaD_callmm(L, func, 0);
}

// ==== Indexing ====

/**
 * Finishes t[key] when the fast path failed (luaV_finishget): `slot` is the raw lookup result when
 * t is a table (absent), or 0 when t is not a table. The result goes to stack offset `resoff`.
 */
export function luaV_finishget(L: usize, t: usize, key: usize, resoff: i32, slot: usize): i32 {
  const tv = memory.data(16);       // t may be overwritten as we walk the chain: keep a copy
  const kv = memory.data(16);
  setobj(kv, key);
  let cur = t;
  for (let loop = 0; loop < MAXTAGLOOP; loop++) {
    let tm: usize;
    if (slot == 0) {                // t is not a table
      tm = luaT_gettmbyobj(cur, TM.INDEX);
      if (ttisnil(tm)) return luaG_typeerror(L, cur, "index");
    } else {
      tm = fasttm(ltable.getmetatable(hvalue(cur)), TM.INDEX);
      if (tm == 0) { setnilvalue(restorestack(L, resoff)); return OK; }
    }
    if (ttype(tm) == 6) {           // function metamethod
      const k2 = memory.data(16);
      setobj(k2, kv);
      return luaT_callTMres(L, tm, cur, k2, resoff);
    }
    setobj(tv, tm);
    cur = tv;
    if (ttistable(cur)) {         // (a method name, the usual key here: the inline lookup)
      const h = hvalue(cur);
      slot = ttisshrstring(kv) ? ltable.luaH_getshortstr(h, tsvalue(kv)) : ltable.luaH_get(h, kv);
      if (!ttisnil(slot)) { setobj(restorestack(L, resoff), slot); return OK; }
    } else slot = 0;
  }
  return luaG_runerrorstr(L, "'__index' chain too long; possible loop");
}

/** t[key] with metamethods into stack offset `resoff` (luaV_gettable). */
export function luaV_gettable(L: usize, t: usize, key: usize, resoff: i32): i32 {
  if (ttistable(t)) {
    const slot = ltable.luaH_get(hvalue(t), key);
    if (!ttisnil(slot)) { setobj(restorestack(L, resoff), slot); return OK; }
    return luaV_finishget(L, t, key, resoff, slot);
  }
  return luaV_finishget(L, t, key, resoff, 0);
}

/** Raw set with the key checks turned into Lua errors (luaH_set clears the TM cache). */
export function rawsetchecked(L: usize, h: usize, key: usize, val: usize): i32 {
  return setstatus(L, h, ltable.luaH_set(h, key, val));
}

/** The end of a raw set into h that returned `r`: the barrier, errors for bad keys. */
function setstatus(L: usize, h: usize, r: i32): i32 {
  luaC_barrierback(L, h);
  if (r == ltable.SET_OK) return OK;
  if (r == ltable.SET_KEYNIL) return luaG_runerrorstr(L, "table index is nil");
  if (r == ltable.SET_KEYNAN) return luaG_runerrorstr(L, "table index is NaN");
  return luaG_memerror(L);
}

/**
 * Finishes t[key] = val when the fast path failed (luaV_finishset): `slot` is the raw lookup result
 * (absent) for a table, 0 otherwise.
 */
export function luaV_finishset(L: usize, t: usize, key: usize, val: usize, slot: usize): i32 {
  const tv = memory.data(16);
  const kv = memory.data(16);
  const vv = memory.data(16);
  setobj(kv, key); setobj(vv, val);
  let cur = t;
  for (let loop = 0; loop < MAXTAGLOOP; loop++) {
    let tm: usize;
    if (slot != 0) {                // a table
      const h = hvalue(cur);
      tm = fasttm(ltable.getmetatable(h), TM.NEWINDEX);
      if (tm == 0) return setstatus(L, h, ltable.luaH_finishset(h, kv, slot, vv));
    } else {
      tm = luaT_gettmbyobj(cur, TM.NEWINDEX);
      if (ttisnil(tm)) return luaG_typeerror(L, cur, "index");
    }
    if (ttype(tm) == 6) {
      const c = memory.data(16);
      setobj(c, cur);
      return luaT_callTM(L, tm, c, kv, vv);
    }
    setobj(tv, tm);
    cur = tv;
    if (ttistable(cur)) {
      const s = ltable.luaH_get(hvalue(cur), kv);
      if (!ttisnil(s)) {
        setobj2t(s, vv);             // existing key: plain assignment (keeps node link)
        luaC_barrierback(L, hvalue(cur));
        return OK;
      }
      slot = s;
    } else slot = 0;
  }
  return luaG_runerrorstr(L, "'__newindex' chain too long; possible loop");
}

/** t[key] = val with metamethods (luaV_settable). */
export function luaV_settable(L: usize, t: usize, key: usize, val: usize): i32 {
  if (ttistable(t)) {
    const slot = ltable.luaH_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj2t(slot, val);
      luaC_barrierback(L, hvalue(t));
      return OK;
    }
    return luaV_finishset(L, t, key, val, slot);
  }
  return luaV_finishset(L, t, key, val, 0);
}

// ==== Arithmetic metamethods ====

/**
 * Tries the binary metamethod `event` for p1 op p2, result at stack offset resoff (luaT_trybinTM).
 * Without a metamethod, raises the proper arithmetic/bitwise/concat error.
 */
export function luaT_trybinTM(L: usize, p1: usize, p2: usize, resoff: i32, event: i32): i32 {
  let tm = luaT_gettmbyobj(p1, event);
  if (ttisnil(tm)) tm = luaT_gettmbyobj(p2, event);
  if (ttisnil(tm)) {
    switch (event) {
      case TM.BAND: case TM.BOR: case TM.BXOR: case TM.SHL: case TM.SHR: case TM.BNOT: {
        if (ttisnumber(p1) && ttisnumber(p2)) return luaG_tointerror(L, p1, p2);
        return luaG_opinterror(L, p1, p2, "perform bitwise operation on");
      }
      default:
        return luaG_opinterror(L, p1, p2, "perform arithmetic on");
    }
  }
  const a = memory.data(16), b = memory.data(16);
  setobj(a, p1); setobj(b, p2);
  return luaT_callTMres(L, tm, a, b, resoff);
}

/** Arithmetic on any two values: numbers (with string coercion done by string metamethods) or TM. */
export function luaO_arith(L: usize, op: i32, p1: usize, p2: usize, resoff: i32): i32 {
  if (luaO_rawarith(op, p1, p2, tmpval)) {
    setobj(restorestack(L, resoff), tmpval);
    return OK;
  }
  if ((op == 3 || op == 6) && ttisinteger(p1) && ttisinteger(p2) && ivalue(p2) == 0) {
    return luaG_runerrorstr(L, op == 3 ? "attempt to perform 'n%0'" : "attempt to divide by zero");
  }
  return luaT_trybinTM(L, p1, p2, resoff, op + TM.ADD);
}

// ==== Comparison ====

/** Float < integer and friends, exact for all values (LTnum/LEnum helpers). */
function LTintfloat(i: i64, f: f64): bool {
  // i < f  <=>  i < ceil(f) when f is in range
  if (f != f) return false;
  if (f >= 9223372036854775808.0) return true;
  if (f > -9223372036854775808.0) {
    const fi = Math.ceil(f);
    return i < <i64>fi;
  }
  return false;
}
function LEintfloat(i: i64, f: f64): bool {
  if (f != f) return false;
  if (f >= 9223372036854775808.0) return true;
  if (f >= -9223372036854775808.0) return i <= <i64>Math.floor(f);
  return false;
}
function LTfloatint(f: f64, i: i64): bool {
  if (f != f) return false;
  if (f >= 9223372036854775808.0) return false;
  if (f >= -9223372036854775808.0) return <i64>Math.floor(f) < i;
  return true;
}
function LEfloatint(f: f64, i: i64): bool {
  if (f != f) return false;
  if (f >= 9223372036854775808.0) return false;
  if (f > -9223372036854775808.0) return <i64>Math.ceil(f) <= i;
  return true;
}

/** l < r for two numbers (LTnum). */
export function LTnum(l: usize, r: usize): bool {
  if (ttisinteger(l)) {
    const li = ivalue(l);
    if (ttisinteger(r)) return li < ivalue(r);
    return LTintfloat(li, fltvalue(r));
  }
  const lf = fltvalue(l);
  if (ttisfloat(r)) return lf < fltvalue(r);
  return LTfloatint(lf, ivalue(r));
}
/** l <= r for two numbers (LEnum). */
export function LEnum(l: usize, r: usize): bool {
  if (ttisinteger(l)) {
    const li = ivalue(l);
    if (ttisinteger(r)) return li <= ivalue(r);
    return LEintfloat(li, fltvalue(r));
  }
  const lf = fltvalue(l);
  if (ttisfloat(r)) return lf <= fltvalue(r);
  return LEfloatint(lf, ivalue(r));
}

/** Calls an order metamethod; result 1/0 or ERR (luaT_callorderTM). */
function callorderTM(L: usize, p1: usize, p2: usize, event: i32): i32 {
  let tm = luaT_gettmbyobj(p1, event);
  if (ttisnil(tm)) tm = luaT_gettmbyobj(p2, event);
  if (ttisnil(tm)) return luaG_ordererror(L, p1, p2);
  const a = memory.data(16), b = memory.data(16);
  setobj(a, p1); setobj(b, p2);
  const top = L_top(L);
  const off = savestack(L, top);
  const st = luaT_callTMres(L, tm, a, b, off);
  if (st != OK) return st == LUA_YIELD ? CMP_YIELD : ERR;
  return l_isfalse(restorestack(L, off)) ? 0 : 1;
}

/** l < r for any values: 1, 0 or ERR (luaV_lessthan). */
export function luaV_lessthan(L: usize, l: usize, r: usize): i32 {
  if (ttisnumber(l) && ttisnumber(r)) return LTnum(l, r) ? 1 : 0;
  if (ttisstring(l) && ttisstring(r)) return l_strcmp(tsvalue(l), tsvalue(r)) < 0 ? 1 : 0;
  return callorderTM(L, l, r, TM.LT);
}
/**
 * l <= r for any values: 1, 0 or ERR (luaV_lessequal). Without __le, tries not (r < l) with __lt:
 * the LUA_COMPAT_LT_LE behaviour of the lua5.4 we compare against (Debian builds with 5.3 compat).
 */
export function luaV_lessequal(L: usize, l: usize, r: usize): i32 {
  if (ttisnumber(l) && ttisnumber(r)) return LEnum(l, r) ? 1 : 0;
  if (ttisstring(l) && ttisstring(r)) return l_strcmp(tsvalue(l), tsvalue(r)) <= 0 ? 1 : 0;
  if (ttisnil(luaT_gettmbyobj(l, TM.LE)) && ttisnil(luaT_gettmbyobj(r, TM.LE)) &&
      (!ttisnil(luaT_gettmbyobj(l, TM.LT)) || !ttisnil(luaT_gettmbyobj(r, TM.LT)))) {
    // mark the frame so that a yield inside __lt is finished as 'le' (negated) by luaV_finishOp
    const ci = L_ci(L);
    ci_setcallstatus(ci, ci_callstatus(ci) | CIST_LEQ);
    const c = callorderTM(L, r, l, TM.LT);
    if (c == CMP_YIELD) return c;
    ci_setcallstatus(ci, ci_callstatus(ci) & ~CIST_LEQ);
    return c < 0 ? c : 1 - c;
  }
  return callorderTM(L, l, r, TM.LE);
}

/** Raw equality (no metamethods) of any two values (luaV_rawequalobj). */
export function luaV_rawequalobj(a: usize, b: usize): bool {
  const ta = rawtt(a), tb = rawtt(b);
  if (ta != tb) {
    if (ttype(a) != ttype(b) || ttype(a) != 3) return false;   // only int/float may differ in variant
    if (ta == LUA_VNUMINT) return <f64>ivalue(a) == fltvalue(b) && exactinteq(ivalue(a), fltvalue(b));
    return <f64>ivalue(b) == fltvalue(a) && exactinteq(ivalue(b), fltvalue(a));
  }
  switch (ta) {
    case LUA_VNIL: case LUA_VFALSE: case LUA_VTRUE: return true;
    case LUA_VNUMINT: return ivalue(a) == ivalue(b);
    case LUA_VNUMFLT: return fltvalue(a) == fltvalue(b);
    case LUA_VLNGSTR: return luaS_eqstr(tsvalue(a), tsvalue(b));
    default: return rawpayload(a) == rawpayload(b);
  }
}
/** i == f exactly (the float has an integer value equal to i). */
function exactinteq(i: i64, f: f64): bool {
  const out = memory.data(8);
  const tv = memory.data(16);
  setfltvalue(tv, f);
  if (!luaV_tointegerns(tv, out, F2Ieq)) return false;
  return load<i64>(out) == i;
}

/** a == b with __eq for tables and userdata: 1, 0 or ERR (luaV_equalobj). */
export function luaV_equalobj(L: usize, a: usize, b: usize): i32 {
  const ta = rawtt(a), tb = rawtt(b);
  if (ta == tb && (ta == LUA_VTABLE || ta == LUA_VUSERDATA)) {
    if (rawpayload(a) == rawpayload(b)) return 1;
    let tm: usize = 0;
    if (ta == LUA_VTABLE) {
      tm = fasttm(ltable.getmetatable(hvalue(a)), TM.EQ);
      if (tm == 0) tm = fasttm(ltable.getmetatable(hvalue(b)), TM.EQ);
    } else {
      tm = fasttm(udata_metatable(uvalue(a)), TM.EQ);
      if (tm == 0) tm = fasttm(udata_metatable(uvalue(b)), TM.EQ);
    }
    if (tm == 0) return 0;
    const x = memory.data(16), y = memory.data(16);
    setobj(x, a); setobj(y, b);
    const off = savestack(L, L_top(L));
    const st = luaT_callTMres(L, tm, x, y, off);
    if (st != OK) return st == LUA_YIELD ? CMP_YIELD : ERR;
    return l_isfalse(restorestack(L, off)) ? 0 : 1;
  }
  return luaV_rawequalobj(a, b) ? 1 : 0;
}

// ==== Length ====

/** #o with __len, result at stack offset resoff (luaV_objlen). */
export function luaV_objlen(L: usize, resoff: i32, o: usize): i32 {
  if (ttistable(o)) {
    const h = hvalue(o);
    const tm = fasttm(ltable.getmetatable(h), TM.LEN);
    if (tm == 0) { setivalue(restorestack(L, resoff), ltable.luaH_getn(h)); return OK; }
    return luaT_callTMres(L, tm, o, o, resoff);
  }
  if (ttisstring(o)) { setivalue(restorestack(L, resoff), <i64>tsslen(tsvalue(o))); return OK; }
  const tm = luaT_gettmbyobj(o, TM.LEN);
  if (ttisnil(tm)) return luaG_typeerror(L, o, "get length of");
  const x = memory.data(16);
  setobj(x, o);
  return luaT_callTMres(L, tm, x, x, resoff);
}

// ==== Concatenation ====

/** Converts a number at stack slot o to a string in place (luaO_tostr for concat). */
function tostringinplace(o: usize): void {
  const buf = memory.data(48);
  const n = luaO_tostringbuff(o, buf);
  setsvalue(o, luaS_newlstr(buf, n));
}
// @ts-ignore: decorator
@inline function cvt2str(o: usize): bool { return ttisnumber(o); }
// @ts-ignore: decorator
@inline function tostringok(o: usize): bool { return ttisstring(o) || ttisnumber(o); }

/**
 * Concatenates the `total` values at the top of the stack (luaV_concat), leaving the result in the
 * first of them; top is lowered accordingly. Uses __concat for non-string operands. OK/ERR.
 */
export function luaV_concat(L: usize, total: i32): i32 {
  if (total == 1) return OK;
  do {
    const top = L_top(L);
    const a = top - 2 * TVALUE_SIZE, b = top - TVALUE_SIZE;
    let n = 2;
    if (!tostringok(a) || !tostringok(b)) {
      // metamethod over the last two
      let tm = luaT_gettmbyobj(a, TM.CONCAT);
      if (ttisnil(tm)) tm = luaT_gettmbyobj(b, TM.CONCAT);
      if (ttisnil(tm)) return luaG_concaterror(L, a, b);
      const x = memory.data(16), y = memory.data(16);
      setobj(x, a); setobj(y, b);
      const aoff = savestack(L, a);
      const st = luaT_callTMres(L, tm, x, y, aoff);
      if (st != OK) return st;                       // a yield is finished by luaV_finishOp
      L_settop(L, restorestack(L, aoff) + 2 * TVALUE_SIZE);
    } else if (ttisstring(b) && tsslen(tsvalue(b)) == 0) {
      if (cvt2str(a)) tostringinplace(a);              // result is the first operand
    } else if (ttisstring(a) && tsslen(tsvalue(a)) == 0) {
      if (cvt2str(b)) tostringinplace(b);
      setobj(a, b);
    } else {
      // collect as many string-convertible values as possible
      if (cvt2str(b)) tostringinplace(b);
      let tl: u64 = <u64>tsslen(tsvalue(b));
      for (n = 1; n < total; n++) {
        const o = top - (<usize>(n + 1) << 4);
        if (!tostringok(o)) break;
        if (cvt2str(o)) tostringinplace(o);
        tl += <u64>tsslen(tsvalue(o));
      }
      if (tl >= 0x7FFFFFFF || !fits(tl)) {
        L_settop(L, top - (<usize>n << 4));   // pop strings to keep the stack consistent
        return tl >= 0x7FFFFFFF ? luaG_runerrorstr(L, "string length overflow") : luaG_memerror(L);
      }
      const len = <i32>tl;
      let dst: usize;
      let ts: usize = 0;
      const tmpbuf = len <= LUAI_MAXSHORTLEN ? memory.data(LUAI_MAXSHORTLEN + 1) : 0;
      if (len <= LUAI_MAXSHORTLEN) dst = tmpbuf;
      else { ts = luaS_createlngstrobj(len); dst = getstr(ts); }
      let off = 0;
      for (let j = n; j > 0; j--) {
        const o = top - (<usize>j << 4);
        const s = tsvalue(o);
        const l = tsslen(s);
        memory.copy(dst + <usize>off, getstr(s), <usize>l);
        off += l;
      }
      if (ts == 0) ts = luaS_newlstr(tmpbuf, len);
      setsvalue(top - (<usize>n << 4), ts);
    }
    total -= n - 1;
    L_settop(L, L_top(L) - (<usize>(n - 1) << 4));
  } while (total > 1);
  return OK;
}

// ==== Numeric for ====

/** Integer limit of a for loop (forlimit); returns 1 to skip the loop, 0 to run, ERR. */
function forlimit(L: usize, init: i64, lim: usize, p: usize, step: i64): i32 {
  if (!luaV_tointegerns(lim, p, step < 0 ? F2Iceil : F2Ifloor)) {
    const fp = memory.data(8);
    if (!luaV_tonumber_(lim, fp)) return luaG_forerror(L, lim, "limit");
    const flim = load<f64>(fp);
    if (0 < flim) {
      if (step < 0) return 1;
      store<i64>(p, 0x7FFFFFFFFFFFFFFF);
    } else {
      if (step > 0) return 1;
      store<i64>(p, <i64>0x8000000000000000);
    }
  }
  const l = load<i64>(p);
  return (step > 0 ? init > l : init < l) ? 1 : 0;
}

/** Prepares a numeric for loop at ra (forprep): 1 to skip the loop, 0 to enter, ERR. */
export function luaV_forprep(L: usize, ra: usize): i32 {
  const pinit = ra, plimit = ra + TVALUE_SIZE, pstep = ra + 2 * TVALUE_SIZE;
  if (ttisinteger(pinit) && ttisinteger(pstep)) {
    const init = ivalue(pinit);
    const step = ivalue(pstep);
    if (step == 0) return luaG_runerrorstr(L, "'for' step is zero");
    setivalue(ra + 3 * TVALUE_SIZE, init);
    const lp = memory.data(8);
    const r = forlimit(L, init, plimit, lp, step);
    if (r != 0) return r;
    const limit = load<i64>(lp);
    let count: u64;
    if (step > 0) {
      count = <u64>limit - <u64>init;
      if (step != 1) count /= <u64>step;
    } else {
      count = <u64>init - <u64>limit;
      count /= <u64>(-(step + 1)) + 1;
    }
    setivalue(plimit, <i64>count);
    return 0;
  }
  const fp = memory.data(8);
  if (!luaV_tonumber_(plimit, fp)) return luaG_forerror(L, plimit, "limit");
  const limit = load<f64>(fp);
  if (!luaV_tonumber_(pstep, fp)) return luaG_forerror(L, pstep, "step");
  const step = load<f64>(fp);
  if (!luaV_tonumber_(pinit, fp)) return luaG_forerror(L, pinit, "initial value");
  const init = load<f64>(fp);
  if (step == 0) return luaG_runerrorstr(L, "'for' step is zero");
  if (0 < step ? limit < init : init < limit) return 1;
  setfltvalue(plimit, limit);
  setfltvalue(pstep, step);
  setfltvalue(ra, init);
  setfltvalue(ra + 3 * TVALUE_SIZE, init);
  return 0;
}

/** One step of a float loop (floatforloop): true to jump back. */
export function floatforloop(ra: usize): bool {
  const step = fltvalue(ra + 2 * TVALUE_SIZE);
  const limit = fltvalue(ra + TVALUE_SIZE);
  const idx = fltvalue(ra) + step;
  if (0 < step ? idx <= limit : limit <= idx) {
    setfltvalue(ra, idx);
    setfltvalue(ra + 3 * TVALUE_SIZE, idx);
    return true;
  }
  return false;
}

export { LUA_VLCF, LUA_VLIGHTUSERDATA, LUA_VSHRSTR, ttisfulluserdata, setbvalue, L_stack, errobj };

// ==== Generic for over next and ipairs (OP_TFORCALL without a call) ====
// `for k, v in pairs(t)` and `for i, v in ipairs(t)` call a native per iteration; with no hook
// armed (a call hook would see it) and a plain table, the iterator's step is done in place: same
// results, no CallInfo, no argument shuffling. Anything else (an external table, a metamethod ipairs
// must consult, a key next rejects, a control variable debug.setlocal changed) makes the real call,
// which raises the native's own errors.

/** The base library's `next` and ipairs' iterator (lib/base.ts registers them at open). */
let nextfn: u32 = 0xFFFFFFFF;
let ipairsauxfn: u32 = 0xFFFFFFFF;
export function setiteratorfns(next: u32, ipairsaux: u32): void { nextfn = next; ipairsauxfn = ipairsaux; }

/**
 * R[A+4], …, R[A+3+nres] := R[A](R[A+1], R[A+2]) when R[A] is next or ipairs' iterator over a
 * plain table and no hook is armed; false (nothing written) when the caller must make the call.
 */
export function luaV_forcallfast(ra: usize, nres: i32): bool {
  if (!ttislcf(ra) || hookactive) return false;
  const t = ra + TVALUE_SIZE;
  if (!ttistable(t)) return false;
  const ctl = ra + 2 * TVALUE_SIZE;
  const out = memory.data(32);                        // the iterator's results: 1 or 2 values
  let n = 2;
  const f = fvalue(ra);
  if (f == nextfn) {
    setobj(out, ctl);
    const r = ltable.luaH_next(hvalue(t), out);       // key and value in place of the key
    if (r < 0) return false;                          // "invalid key to 'next'": the call raises it
    if (r == 0) { setnilvalue(out); n = 1; }
  } else if (f == ipairsauxfn) {
    if (!ttisinteger(ctl)) return false;
    const i = ivalue(ctl) + 1;                        // (wraps, as luaL_intop)
    const h = hvalue(t);
    const v = ltable.luaH_getint(h, i);
    if (ttisnil(v)) {
      if (ltable.getmetatable(h) != 0) return false;   // __index may still give a value
      setnilvalue(out); n = 1;
    } else { setivalue(out, i); setobj(out + TVALUE_SIZE, v); }
  } else return false;
  const res = ra + 4 * TVALUE_SIZE;
  for (let j = 0; j < nres; j++) {
    const dst = res + (<usize>j << 4);
    if (j < n) setobj(dst, out + (<usize>j << 4)); else setnilvalue(dst);
  }
  return true;
}

// ==== Finishing an instruction interrupted by a yield (luaV_finishOp) ====

/**
 * Completes the instruction of Lua frame `ci` whose metamethod yielded and has now returned its
 * result on the stack top: stores it in the instruction's register, or decides a comparison's jump,
 * or continues a concatenation. Returns OK, ERR or LUA_YIELD (a concat metamethod may yield again).
 */
export function luaV_finishOp(L: usize, ci: usize): i32 {
  const base = ci_func(ci) + TVALUE_SIZE;
  const pc = ci_savedpc(ci);
  const inst = load<u32>(pc - 4);
  const op = GET_OPCODE(inst);
  switch (op) {
    case OP.MMBIN: case OP.MMBINI: case OP.MMBINK: {
      L_settop(L, L_top(L) - TVALUE_SIZE);
      setobj(base + (<usize>GETARG_A(load<u32>(pc - 8)) << 4), L_top(L));
      break;
    }
    case OP.UNM: case OP.BNOT: case OP.LEN: case OP.GETTABUP: case OP.GETTABLE: case OP.GETI:
    case OP.GETFIELD: case OP.SELF: {
      L_settop(L, L_top(L) - TVALUE_SIZE);
      setobj(base + (<usize>GETARG_A(inst) << 4), L_top(L));
      break;
    }
    case OP.LT: case OP.LE: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI: case OP.EQ: {
      let res = !l_isfalse(L_top(L) - TVALUE_SIZE);
      L_settop(L, L_top(L) - TVALUE_SIZE);
      if ((ci_callstatus(ci) & CIST_LEQ) != 0) {     // '<=' done with __lt: negate
        ci_setcallstatus(ci, ci_callstatus(ci) & ~CIST_LEQ);
        res = !res;
      }
      if ((res ? 1 : 0) != GETARG_k(inst)) ci_setsavedpc(ci, pc + 4);   // condition failed: skip jump
      break;
    }
    case OP.CONCAT: {
      const top = L_top(L) - TVALUE_SIZE;            // the metamethod's result
      const ra = base + (<usize>GETARG_A(inst) << 4);
      setobj(top - 2 * TVALUE_SIZE, top);            // into the first of the two operands
      L_settop(L, top - TVALUE_SIZE);
      const total = <i32>((top - TVALUE_SIZE - ra) >> 4);
      if (total > 1) {
        const st = luaV_concat(L, total);
        if (st != OK) return st;
      }
      break;
    }
    case OP.CLOSE: {                                 // a __close yielded: repeat to close the others
      ci_setsavedpc(ci, pc - 4);
      break;
    }
    case OP.RETURN: {                                // likewise; top marks the results again
      L_settop(L, base + (<usize>GETARG_A(inst) << 4) + (<usize>ci_u2(ci) << 4));
      ci_setsavedpc(ci, pc - 4);
      break;
    }
    default: break;                                  // SETTABUP/SETTABLE/SETI/SETFIELD: nothing left
  }
  return OK;
}
