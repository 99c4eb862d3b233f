// helpers.ts - the functions compiled code calls (jit/compile.ts emits call_indirect to their slots
// in the shared function table): the slow halves of instructions that may allocate, run a native or
// a metamethod, or move the stack. Each does what the interpreter's case does (vm/execute.ts), with
// the same savepoints, and answers compiled code with
//   HELPER_DONE  (-1) the instruction is done: go on with the next one (re-read `base`, the stack
//                may have moved);
//   HELPER_SLOW  (-2) nothing was done: exit before the instruction (the interpreter runs it with
//                its metamethods and exact messages; compiled code counts it as a guard failure):
//                luaJ_return only, whose sites alone test for it (emit.ts callhelper);
//   or a status compiled code returns at once (vm/tier.ts): JIT_EXIT with L.ci the frame to go on
//   with, JIT_ERROR, JIT_YIELD.
// Invariant: before a helper runs, compiled code has stored ci.savedpc as the interpreter would (the
// next instruction), so an error, a traceback, a yield or a hook sees the interpreter's state; a
// helper that ran code returns JIT_EXIT when trapflag got set (a hook or budget was armed), so the
// interpreter's trapping instance takes over before the next instruction.

import {
  TVALUE_SIZE, clvalue, ttistable, ttisnil, ttisinteger, ttisstring, hvalue, tsvalue, ivalue, setobj,
  setobj2t, setivalue, sethvalue, setnilvalue, ttisfunction, ttisLclosure, ttisshrstring, LUA_TSTRING,
  ttislcf, fvalue,
} from "../object/value";
import {
  cl_proto, p_jitflags, JITF_NOCALL, p_jithot, p_setjithot, p_k, p_proto, cl_upval,
  uv_v, p_maxstacksize, p_numparams, p_code,
} from "../object/func";
import * as ltable from "../object/table";
import { getstr, tsslen } from "../object/string";
import {
  L_top, L_settop, L_ci, L_tbclist, ci_previous, ci_top, ci_settop, ci_func, ci_setfunc, ci_savedpc, ci_setsavedpc, ci_setu2,
  ci_nextraargs, ci_callstatus, ci_setcallstatus, savestack, restorestack, hasstack, OK, LUA_MULTRET, CIST_TAIL,
  CIST_FRESH, CIST_FINISHOP,
} from "../vm/state";
import {
  luaD_precall, luaD_poscall, luaD_checkstack, luaF_closeupvals, luaF_close, tryfuncTM, PRECALL_ERR,
  PRECALL_YIELD,
} from "../vm/call";
import { hookactive, luaD_rethook, CIST_HOOKSTARTED, CIST_HOOKVARARG } from "../vm/hook";
import {
  luaV_finishget, luaV_finishset, luaV_gettable, luaV_settable, luaV_objlen, luaV_concat, luaV_checkGC, luaV_pushclosure,
  luaV_forcallfast,
} from "../vm/ops";
import { luaC_barrier, luaC_barrierback } from "../gc/barrier";
import {
  OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_Ax, MAXARG_C,
} from "../vm/opcodes";
import { luaV_jitenter, luaV_jitexited, luaV_jitwarm, JIT_NOTENTERED, JIT_RETURNED, JIT_EXIT, JIT_ERROR, JIT_YIELD } from "../vm/tier";
import { trapflag } from "../vm/budget";
import { luaG_memerror, luaG_runerrorstr } from "../vm/debug";
import { TM, tmname } from "../vm/tm";
import { G_mt } from "../vm/state";

// @ts-ignore: decorator
@inline export const HELPER_DONE: i32 = -1;
// @ts-ignore: decorator
@inline export const HELPER_SLOW: i32 = -2;

/** Calls of luaJ_op, luaJ_call and luaJ_return since the instance started (lua_jitstat: tests and statistics). */
export let slowcalls: i32 = 0;
export let helpercalls: i32 = 0;
export let returncalls: i32 = 0;

/** Counts a guard failure of the compiled code running frame ci (vm/tier.ts deopt reads it). */
function miss(ci: usize): void {
  const p = cl_proto(clvalue(ci_func(ci)));
  p_setjithot(p, p_jithot(p) + 1);
}

// ==== Natives run without their frame ====

/** lib/base.ts setmetatable (its function-table index, or none), and its frameless form. */
let setmtfn: u32 = 0xFFFFFFFF;
let setmtfast: (L: usize, o: usize, m: usize) => bool = nosetmt;
function nosetmt(L: usize, o: usize, m: usize): bool { return false; }

/** The base library hands over setmetatable and its frameless form (luaopen_base). */
export function luaJ_setfastnatives(setmt: u32, fast: (L: usize, o: usize, m: usize) => bool): void {
  setmtfn = setmt;
  setmtfast = fast;
}

/** lib/string.ts string.byte (its function-table index, or none). */
let bytefn: u32 = 0xFFFFFFFF;

/** The string library hands over string.byte (luaopen_string). */
export function luaJ_setfastbyte(f: u32): void { bytefn = f; }

/**
 * string.byte(s [, i]) without its frame: a string and an integer index inside it (1 <= i <= #s;
 * none: 1) give that byte at func (L.top past it); anything else (a negative or outside index, a
 * number to convert, a third argument) answers false and the native runs.
 */
function fastbyte(L: usize, func: usize): bool {
  const n = <i32>((L_top(L) - func) >> 4) - 1;
  const s = func + TVALUE_SIZE;
  if (n < 1 || n > 2 || !ttisstring(s)) return false;
  let i: i64 = 1;
  if (n == 2) {
    const ti = func + 2 * TVALUE_SIZE;
    if (!ttisinteger(ti)) return false;
    i = ivalue(ti);
  }
  const ts = tsvalue(s);
  if (<u64>(i - 1) >= <u64>tsslen(ts)) return false;
  setivalue(func, <i64>load<u8>(getstr(ts) + <usize>(i - 1)));
  L_settop(L, func + TVALUE_SIZE);
  return true;
}

/**
 * A call of the native at `func` with its arguments up to L.top, done here without a CallInfo when
 * the native is setmetatable given at least two arguments that make it succeed (a constructor's
 * `return setmetatable({...}, Class)`), or string.byte of one byte of a string (a scanner's
 * `byte(s, i)`): its one result is left at func and L.top just past it, as
 * luaD_poscall leaves a native's results for LUA_MULTRET; true when done. Only compiled code calls
 * this, which never runs while hooks are armed (no call or return event is skipped), and an error
 * is never raised here (any argument that would raise leaves the call to the native itself).
 */
function fastnative(L: usize, func: usize): bool {
  if (!ttislcf(func)) return false;
  const f = fvalue(func);
  if (f == bytefn) return fastbyte(L, func);
  if (f != setmtfn || L_top(L) - func < 3 * TVALUE_SIZE) return false;
  if (!setmtfast(L, func + TVALUE_SIZE, func + 2 * TVALUE_SIZE)) return false;
  setobj(func, func + TVALUE_SIZE);
  L_settop(L, func + TVALUE_SIZE);
  return true;
}

/**
 * OP_CALL from compiled code running frame ci: R[A] at `ra` called with `b` - 1 arguments (b = 0: up
 * to L.top) for `nresults` results, as the interpreter's CALL. A Lua callee without code yet warms
 * faster (vm/tier.ts luaV_jitwarm: compiled at its fourth such call) and is entered in its compiled
 * code when it has an entry at pc 0 (nested on the wasm stack, bounded by vm/tier.ts);
 * otherwise its frame is left as L.ci for the interpreter (JIT_EXIT: the caller resumes
 * interpreted after it returns; counted as a miss of the caller, so a caller whose callees never
 * run compiled stops being entered). A native runs to completion (then the collector step and
 * the poll the interpreter makes after a native).
 */
export function luaJ_call(L: usize, ci: usize, ra: usize, b: i32, nresults: i32): i32 {
  helpercalls++;
  if (b != 0) L_settop(L, ra + (<usize>b << 4));
  if (fastnative(L, ra)) {                            // its one result, adjusted as luaD_poscall does
    if (nresults >= 0) {
      for (let j = 1; j < nresults; j++) setnilvalue(ra + (<usize>j << 4));
      L_settop(L, ra + (<usize>nresults << 4));
    }
    const top = L_top(L);
    if (!luaV_checkGC(L, top > ci_top(ci) ? top : ci_top(ci))) return JIT_ERROR;
    return trapflag ? JIT_EXIT : HELPER_DONE;
  }
  const newci = luaD_precall(L, ra, nresults);
  if (newci == PRECALL_YIELD) { miss(ci); return JIT_YIELD; }   // (the frames unwind: a costly exit)
  if (newci == PRECALL_ERR) return JIT_ERROR;
  if (newci == 0) {                                   // a native ran to completion
    if (L_ci(L) != ci) return JIT_EXIT;               // (a protected call completing: the interpreter's)
    const top = L_top(L);
    if (!luaV_checkGC(L, top > ci_top(ci) ? top : ci_top(ci))) return JIT_ERROR;
    return trapflag ? JIT_EXIT : HELPER_DONE;
  }
  // a Lua frame at its first instruction: the callee, or one a native started (pcall's function, a
  // lua_callk continuation's callee) above the native's own frame, which only the interpreter's
  // loop completes when that Lua frame returns
  if (trapflag) return JIT_EXIT;
  if (ci_previous(newci) != ci) { miss(ci); return JIT_EXIT; }
  const p = cl_proto(clvalue(ci_func(newci)));
  luaV_jitwarm(p);
  const st = luaV_jitenter(L, newci, p);             // (entered when its jitmap has an entry at pc 0)
  if (st == JIT_RETURNED) return trapflag ? JIT_EXIT : HELPER_DONE;
  if (st == JIT_NOTENTERED) { miss(ci); return JIT_EXIT; }
  return st;
}

/**
 * OP_TFORCALL from compiled code running frame ci: R[A+4], ..., R[A+3+nresults] := R[A](R[A+1],
 * R[A+2]) with R[A] at `ra`, as the interpreter's case: `next` or ipairs' iterator over a plain
 * table without a call (luaV_forcallfast), else the iterator and its two arguments copied to R[A+4]
 * and called as the interpreter calls them (a native runs to completion, without the collector step
 * the interpreter's TFORCALL does not make either; a Lua iterator is entered compiled as luaJ_call
 * enters a callee, or left as L.ci for the interpreter: JIT_EXIT, a miss of the caller).
 * ci.savedpc is the TFORLOOP after it.
 */
export function luaJ_tforcall(L: usize, ci: usize, ra: usize, nresults: i32, unused: i32): i32 {
  if (luaV_forcallfast(ra, nresults)) return HELPER_DONE;
  helpercalls++;
  const cb = ra + 4 * TVALUE_SIZE;
  setobj(cb + 2 * TVALUE_SIZE, ra + 2 * TVALUE_SIZE);
  setobj(cb + TVALUE_SIZE, ra + TVALUE_SIZE);
  setobj(cb, ra);
  L_settop(L, cb + 3 * TVALUE_SIZE);
  const newci = luaD_precall(L, cb, nresults);
  if (newci == PRECALL_YIELD) { miss(ci); return JIT_YIELD; }
  if (newci == PRECALL_ERR) return JIT_ERROR;
  if (newci == 0) {                                   // a native ran to completion
    if (L_ci(L) != ci) return JIT_EXIT;               // (a protected call completing: the interpreter's)
    return trapflag ? JIT_EXIT : HELPER_DONE;
  }
  if (trapflag) return JIT_EXIT;
  if (ci_previous(newci) != ci) { miss(ci); return JIT_EXIT; }
  const p = cl_proto(clvalue(ci_func(newci)));
  luaV_jitwarm(p);
  const st = luaV_jitenter(L, newci, p);
  if (st == JIT_RETURNED) return trapflag ? JIT_EXIT : HELPER_DONE;
  if (st == JIT_NOTENTERED) { miss(ci); return JIT_EXIT; }
  return st;
}

/**
 * A compiled callee that compiled code entered directly (compile.ts callop) ended with status st
 * other than JIT_RETURNED: the deopt check luaV_jitenter makes after an exit; answers st.
 */
export function luaJ_exited(L: usize, ci: usize, p: usize, st: i32, unused: i32): i32 {
  luaV_jitexited(p, st);
  return st;
}

// ==== Instructions with a slow half (luaJ_op) ====

const tmpkey: usize = memory.data(16);

// @ts-ignore: decorator
@inline function reg(base: usize, r: i32): usize { return base + (<usize>r << 4); }
// @ts-ignore: decorator
@inline function kst(k: usize, r: i32): usize { return k + (<usize>r << 4); }
/** The interpreter's savestate: L.top := ci.top before a slow path (ci.savedpc is already stored). */
// @ts-ignore: decorator
@inline function savetop(L: usize, ci: usize): void { L_settop(L, ci_top(ci)); }

/** What a slow path's answer means for compiled code: its error, or go on (unless trapflag got set). */
// @ts-ignore: decorator
@inline function after(st: i32): i32 {
  if (st != OK) return JIT_ERROR;                    // (a metamethod that yielded too: pendingyield)
  return trapflag ? JIT_EXIT : HELPER_DONE;
}

/**
 * Instruction `i` of the frame ci, whole, as the interpreter's case for it runs it (fast path, then
 * savestate and the slow path with its metamethods, called nested as the interpreter calls them;
 * a store goes straight to luaV_settable, whose own lookup is the fast path compiled code missed,
 * and the collector step after allocating ones): table reads and writes (GETTABUP GETTABLE GETI
 * GETFIELD SETTABUP SETTABLE SETI SETFIELD SELF), LEN, CONCAT, NEWTABLE (savedpc past its
 * EXTRAARG), CLOSURE, CLOSE, SETUPVAL, SETLIST (without an EXTRAARG). Compiled code calls it where its inline fast path (if any) misses;
 * ci.savedpc is the next instruction.
 */
export function luaJ_op(L: usize, ci: usize, i: u32, unused1: i32, unused2: i32): i32 {
  slowcalls++;
  const cl = clvalue(ci_func(ci));
  const k = p_k(cl_proto(cl));
  const base = ci_func(ci) + TVALUE_SIZE;
  const ra = reg(base, GETARG_A(i));
  switch (GET_OPCODE(i)) {
    case OP.GETTABUP: {
      const upv = uv_v(cl_upval(cl, GETARG_B(i)));
      const key = kst(k, GETARG_C(i));
      let slot: usize = 0;
      if (ttistable(upv)) {
        slot = ltable.luaH_getshortstr(hvalue(upv), tsvalue(key));
        if (!ttisnil(slot)) { setobj(ra, slot); return HELPER_DONE; }
      }
      savetop(L, ci);
      return after(luaV_finishget(L, upv, key, savestack(L, ra), slot));
    }
    case OP.GETTABLE: {
      const rb = reg(base, GETARG_B(i)), rc = reg(base, GETARG_C(i));
      let slot: usize = 0;
      if (ttistable(rb)) {
        slot = ttisinteger(rc) ? ltable.luaH_getint(hvalue(rb), ivalue(rc)) : ltable.luaH_get(hvalue(rb), rc);
        if (!ttisnil(slot)) { setobj(ra, slot); return HELPER_DONE; }
      }
      savetop(L, ci);
      return after(luaV_finishget(L, rb, rc, savestack(L, ra), slot));
    }
    case OP.GETI: {
      const rb = reg(base, GETARG_B(i));
      const c = GETARG_C(i);
      if (ttistable(rb)) {
        const slot = ltable.luaH_getint(hvalue(rb), <i64>c);
        if (!ttisnil(slot)) { setobj(ra, slot); return HELPER_DONE; }
      }
      setivalue(tmpkey, <i64>c);
      savetop(L, ci);
      return after(luaV_gettable(L, rb, tmpkey, savestack(L, ra)));
    }
    case OP.GETFIELD: {
      const rb = reg(base, GETARG_B(i)), key = kst(k, GETARG_C(i));
      let slot: usize = 0;
      if (ttistable(rb)) {
        slot = ltable.luaH_getshortstr(hvalue(rb), tsvalue(key));
        if (!ttisnil(slot)) { setobj(ra, slot); return HELPER_DONE; }
      }
      savetop(L, ci);
      return after(luaV_finishget(L, rb, key, savestack(L, ra), slot));
    }
    case OP.SETTABUP: {
      const upv = uv_v(cl_upval(cl, GETARG_A(i)));
      const key = kst(k, GETARG_B(i));
      const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
      savetop(L, ci);
      return after(finishsetfield(L, upv, key, rc));
    }
    case OP.SETTABLE: {
      const rb = reg(base, GETARG_B(i));
      const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
      savetop(L, ci);
      return after(luaV_settable(L, ra, rb, rc));
    }
    case OP.SETI: {
      const b = GETARG_B(i);
      const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
      setivalue(tmpkey, <i64>b);
      savetop(L, ci);
      return after(luaV_settable(L, ra, tmpkey, rc));
    }
    case OP.SETFIELD: {
      const key = kst(k, GETARG_B(i));
      const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
      savetop(L, ci);
      return after(finishsetfield(L, ra, key, rc));
    }
    case OP.SELF: {
      const rb = reg(base, GETARG_B(i));
      const key = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
      setobj(ra + TVALUE_SIZE, rb);
      if (ttistable(rb) && ttisstring(key)) {
        const slot = ltable.luaH_getstr(hvalue(rb), tsvalue(key));
        if (!ttisnil(slot)) { setobj(ra, slot); return HELPER_DONE; }
      }
      savetop(L, ci);
      return after(luaV_gettable(L, rb, key, savestack(L, ra)));
    }
    case OP.LEN: {
      savetop(L, ci);
      return after(luaV_objlen(L, savestack(L, ra), reg(base, GETARG_B(i))));
    }
    case OP.CONCAT: {
      L_settop(L, ra + (<usize>GETARG_B(i) << 4));
      if (luaV_concat(L, GETARG_B(i)) != OK) return JIT_ERROR;
      return luaV_checkGC(L, L_top(L)) ? (trapflag ? JIT_EXIT : HELPER_DONE) : JIT_ERROR;
    }
    case OP.NEWTABLE: {                               // (ci.savedpc is past the EXTRAARG)
      let b = GETARG_B(i);
      let c = GETARG_C(i);
      if (b > 0) b = 1 << (b - 1);
      if (GETARG_k(i)) c += GETARG_Ax(load<u32>(ci_savedpc(ci) - 4)) * (MAXARG_C + 1);
      if ((b != 0 || c != 0) && !ltable.canresize(<u64>c, <u64>b)) {
        sethvalue(ra, ltable.luaH_new());
        savetop(L, ci); luaG_memerror(L); return JIT_ERROR;
      }
      sethvalue(ra, ltable.luaH_newsized(<u32>c, <u32>b));   // (small parts inline)
      savetop(L, ci);
      return luaV_checkGC(L, ra + TVALUE_SIZE) ? (trapflag ? JIT_EXIT : HELPER_DONE) : JIT_ERROR;
    }
    case OP.CLOSURE: {
      luaV_pushclosure(L, p_proto(cl_proto(cl), GETARG_Bx(i)), cl, base, ra);
      savetop(L, ci);
      return luaV_checkGC(L, ra + TVALUE_SIZE) ? (trapflag ? JIT_EXIT : HELPER_DONE) : JIT_ERROR;
    }
    case OP.SETLIST: {                                // R[A][C+i] := R[A+i], 1 <= i <= B (no EXTRAARG)
      if (!ttistable(ra)) {                           // (only debug.setlocal can break this)
        savetop(L, ci);
        luaG_runerrorstr(L, "table constructor target is not a table");
        return JIT_ERROR;
      }
      let n = GETARG_B(i);
      let last = <u32>GETARG_C(i);
      const h = hvalue(ra);
      if (n == 0) n = <i32>((L_top(L) - ra) >> 4) - 1;
      else savetop(L, ci);                            // correct top in case of emergency GC
      last += <u32>n;
      if (last > ltable.asize(h)) {
        if (!ltable.canresize(<u64>last, 0)) { luaG_memerror(L); return JIT_ERROR; }
        ltable.luaH_resize(h, last, <u32>ltable.allocsizenode(h));
      }
      for (; n > 0; n--) {
        setobj2t(ltable.arrayslot(h, last - 1), ra + (<usize>n << 4));
        last--;
      }
      luaC_barrierback(L, h);
      return HELPER_DONE;
    }
    case OP.CLOSE: {                                  // upvalues or to-be-closed variables at or above R[A]
      savetop(L, ci);
      if (luaF_close(L, ra, false, true) != OK) return JIT_ERROR;   // (a yield in __close: as the interpreter)
      return trapflag ? JIT_EXIT : HELPER_DONE;
    }
    case OP.SETUPVAL: {
      const uv = cl_upval(cl, GETARG_B(i));
      setobj(uv_v(uv), ra);
      luaC_barrier(L, uv, ra);
      return HELPER_DONE;
    }
    default:                                          // (never: compile.ts calls it for these only;
      ci_setsavedpc(ci, ci_savedpc(ci) - 4);          // the interpreter would run it: its sites take
      return JIT_EXIT;                                // no HELPER_SLOW, emit.ts callhelper)
  }
}

/**
 * OP_SETFIELD from compiled code whose inline fast path missed (a new key, a metatable's
 * __newindex, a black table, not a table): R[A] at `t`, the key constant K[B] at `key`, RK(C) at
 * `val`, addresses compiled code computed, so that nothing is decoded here (constructors run it for
 * every field of every object). Counted with luaJ_op's calls (lua_jitstat 1).
 */
export function luaJ_setfield(L: usize, ci: usize, t: usize, key: usize, val: usize): i32 {
  slowcalls++;
  savetop(L, ci);
  return after(finishsetfield(L, t, key, val));
}

/**
 * t[key] = val for SETFIELD and SETTABUP whose inline fast path missed (mostly a new key, as in a
 * constructor's `{ x = x }`): the interpreter's case from its lookup on, the short-string lookup
 * (its slot, present or absent, handed to luaV_finishset, which stores a new key into a table
 * without __newindex through luaH_finishset with no second lookup) instead of luaV_settable's
 * generic one. A key that is not a short string (a long-string constant) takes luaV_settable.
 */
function finishsetfield(L: usize, t: usize, key: usize, val: usize): i32 {
  if (!ttisshrstring(key)) return luaV_settable(L, t, key, val);
  let slot: usize = 0;
  if (ttistable(t)) {
    const h = hvalue(t);
    slot = ltable.luaH_getshortstr(h, tsvalue(key));
    if (!ttisnil(slot)) { setobj2t(slot, val); luaC_barrierback(L, h); return OK; }
  }
  return luaV_finishset(L, t, key, val, slot);
}

/**
 * OP_NEWTABLE from compiled code: R[A] (at `ra`) := a new table with `asize` array slots and
 * `hsize` hash slots (the sizes the instruction and its EXTRAARG encode, decoded at compile time),
 * then the collector step, as the interpreter's case; ci.savedpc is past the EXTRAARG. Its own
 * helper, not luaJ_op: constructors run it at every object made.
 */
export function luaJ_newtable(L: usize, ci: usize, ra: usize, hsize: i32, asize: i32): i32 {
  if ((hsize != 0 || asize != 0) && !ltable.canresize(<u64>asize, <u64>hsize)) {
    sethvalue(ra, ltable.luaH_new());
    savetop(L, ci); luaG_memerror(L); return JIT_ERROR;
  }
  sethvalue(ra, ltable.luaH_newsized(<u32>asize, <u32>hsize));   // (small parts inline)
  savetop(L, ci);
  return luaV_checkGC(L, ra + TVALUE_SIZE) ? (trapflag ? JIT_EXIT : HELPER_DONE) : JIT_ERROR;
}

// ==== Index chains (GETFIELD, GETTABUP, SELF) ====

/** A nil TValue (never written): the value of a key an index chain ends without (compile.ts reads it). */
export const jitnil: usize = memory.data(16);

/**
 * Levels of table-valued __index luaJ_index follows before leaving the rest to luaJ_op (as the
 * inline walk of lookup.ts indexchain, which tables take; luaJ_index serves strings' methods).
 */
// @ts-ignore: decorator
@inline const MAXCHAIN: i32 = 8;

/**
 * The slot of short string `key` in table `t` or along its chain of table-valued __index metafields
 * (luaV_finishget's walk, with fasttm's absence bit read and "__index" looked up raw): the slot with
 * the value, jitnil when the chain ends without one (no metatable, no __index), or 0 when it needs
 * luaJ_op (a function __index: a call; more than MAXCHAIN levels). Reads only: no cache is written
 * (the interpreter caches an absent __index at its own next lookup), so a 0 changes nothing.
 */
export function luaJ_index(L: usize, ci: usize, t: usize, key: usize, unused: i32): usize {
  let cur = t;
  for (let n = 0; n < MAXCHAIN; n++) {
    const slot = ltable.luaH_getshortstr(cur, key);
    if (!ttisnil(slot)) return slot;
    const mt = ltable.getmetatable(cur);
    if (mt == 0 || (ltable.getflags(mt) & (<u8>1 << <u8>TM.INDEX)) != 0) return jitnil;
    const tm = ltable.luaH_getshortstr(mt, tmname(TM.INDEX));
    if (ttisnil(tm)) return jitnil;
    if (!ttistable(tm)) return 0;
    cur = hvalue(tm);
  }
  return 0;
}

/**
 * luaJ_index for a string (`s:method()`): the chain starts at the __index of the strings'
 * metatable (string methods); 0 (luaJ_op) when that is not a table.
 */
export function luaJ_strindex(L: usize, ci: usize, unused: usize, key: usize, unused2: i32): usize {
  const mt = G_mt(LUA_TSTRING);
  if (mt == 0) return 0;
  const tm = ltable.luaH_getshortstr(mt, tmname(TM.INDEX));
  if (!ttistable(tm)) return 0;
  return luaJ_index(L, ci, hvalue(tm), key, 0);
}

// ==== Leaving a frame (RETURN, TAILCALL) ====

/**
 * OP_RETURN from compiled code (a frame that is neither a loop's entry frame nor a resumed
 * metamethod: compiled code checks CIST_FRESH | CIST_FINISHOP first), as the interpreter's case:
 * upvalues closed (to-be-closed variables pending: HELPER_SLOW, nothing done, the interpreter runs
 * their __close), a vararg frame's function slot restored, results moved (luaD_poscall). Answers
 * JIT_RETURNED (L.ci is the caller), or JIT_ERROR from a return hook.
 */
export function luaJ_return(L: usize, ci: usize, i: u32, unused1: i32, unused2: i32): i32 {
  returncalls++;
  const base = ci_func(ci) + TVALUE_SIZE;
  const ra = reg(base, GETARG_A(i));
  const nparams1 = GETARG_C(i);
  let n = GETARG_B(i) - 1;
  if (n < 0) n = <i32>((L_top(L) - ra) >> 4);
  if (GETARG_k(i)) {
    if (L_tbclist(L) != 0 && L_tbclist(L) >= base) return HELPER_SLOW;
    ci_setu2(ci, n);
    if (L_top(L) < ci_top(ci)) L_settop(L, ci_top(ci));
    luaF_closeupvals(L, base);
  }
  if (nparams1 != 0) ci_setfunc(ci, ci_func(ci) - (<usize>(ci_nextraargs(ci) + nparams1) << 4));
  L_settop(L, ra + (<usize>n << 4));
  if (hookactive && luaD_rethook(L, ci, n) != OK) return JIT_ERROR;
  luaD_poscall(L, ci, n);
  return JIT_RETURNED;
}

/**
 * OP_TAILCALL from compiled code, as the interpreter's case: a native (or a __call chain ending in
 * one) is called and its results left on the top for the RETURN that follows (HELPER_DONE), or
 * that RETURN is done here too when it can be (JIT_RETURNED: one helper call fewer); a Lua
 * function reuses the frame ci and is entered in its compiled code when it has an entry at pc 0
 * (its status is then the frame's: JIT_RETURNED when it returned), else ci is left to the
 * interpreter at the callee's first instruction (JIT_EXIT, a miss of the caller).
 */
export function luaJ_tailcall(L: usize, ci: usize, i: u32, unused1: i32, unused2: i32): i32 {
  const caller = cl_proto(clvalue(ci_func(ci)));
  let base = ci_func(ci) + TVALUE_SIZE;
  let fra = reg(base, GETARG_A(i));
  const b = GETARG_B(i);
  const nparams1 = GETARG_C(i);
  const delta = nparams1 != 0 ? ci_nextraargs(ci) + nparams1 : 0;
  if (b != 0) L_settop(L, fra + (<usize>b << 4));
  if (GETARG_k(i)) luaF_closeupvals(L, base);
  while (!ttisfunction(fra)) {                        // __call chains first (as pretailcall)
    const raoff = savestack(L, fra);
    if (tryfuncTM(L, fra) == 0) return JIT_ERROR;
    fra = restorestack(L, raoff);
  }
  if (!ttisLclosure(fra)) {                           // a native: the RETURN after returns its results
    const newci: usize = fastnative(L, fra) ? 0 : luaD_precall(L, fra, LUA_MULTRET);
    if (newci == PRECALL_YIELD) { p_setjithot(caller, p_jithot(caller) + 1); return JIT_YIELD; }
    if (newci == PRECALL_ERR) return JIT_ERROR;
    if (newci == 0) {
      if (L_ci(L) != ci || trapflag) return JIT_EXIT;
      // the RETURN A 0 0 after it (`return f(...)`), done here when compiled code would only call
      // luaJ_return for it: a frame its RETURN may leave (frameguard), no upvalues to close (k)
      const ret = load<u32>(ci_savedpc(ci));
      if (GET_OPCODE(ret) == OP.RETURN && !GETARG_k(ret) && (ci_callstatus(ci) & (CIST_FRESH | CIST_FINISHOP)) == 0) {
        ci_setsavedpc(ci, ci_savedpc(ci) + 4);        // (as compiled code stores it before luaJ_return)
        return luaJ_return(L, ci, ret, 0, 0);         // (never HELPER_SLOW without k)
      }
      return HELPER_DONE;
    }
    return JIT_EXIT;                                  // (a Lua frame a native started: pcall's callee)
  }
  // a Lua function: reuse this frame (luaD_pretailcall)
  const p = cl_proto(clvalue(fra));
  const fsize = p_maxstacksize(p);
  let narg1 = <i32>((L_top(L) - fra) >> 4);          // function + arguments
  if (!hasstack(L, fsize)) {
    const off = savestack(L, fra);
    if (luaD_checkstack(L, fsize) != OK) return JIT_ERROR;
    fra = restorestack(L, off);
  }
  ci_setfunc(ci, ci_func(ci) - (<usize>delta << 4));
  const func = ci_func(ci);
  for (let j = 0; j < narg1; j++) setobj(func + (<usize>j << 4), fra + (<usize>j << 4));
  for (; narg1 <= p_numparams(p); narg1++) setnilvalue(func + (<usize>narg1 << 4));
  L_settop(L, func + (<usize>narg1 << 4));
  ci_settop(ci, func + TVALUE_SIZE + (<usize>fsize << 4));
  ci_setsavedpc(ci, p_code(p));
  ci_setcallstatus(ci, (ci_callstatus(ci) | CIST_TAIL) & ~(CIST_HOOKSTARTED | CIST_HOOKVARARG));
  if (trapflag) return JIT_EXIT;
  luaV_jitwarm(p);
  const st = luaV_jitenter(L, ci, p);
  if (st != JIT_NOTENTERED) return st;
  p_setjithot(caller, p_jithot(caller) + 1);
  return JIT_EXIT;
}
