// helpers.ts - the functions compiled code calls (jit/compile.ts emits call_indirect to their slots
// in the shared function table): the slow halves of instructions that may allocate, run a native or
// a metamethod, or move the stack. Each does what the interpreter's case does (vm/execute.ts), with
// the same savepoints, and answers compiled code with
//   HELPER_DONE  (-1) the instruction is done: go on with the next one (re-read `base`, the stack
//                may have moved);
//   HELPER_SLOW  (-2) nothing was done: exit before the instruction (the interpreter runs it with
//                its metamethods and exact messages; compiled code counts it as a guard failure);
//   or a status compiled code returns at once (vm/tier.ts): JIT_EXIT with L.ci the frame to go on
//   with, JIT_ERROR, JIT_YIELD.
// Invariant: before a helper runs, compiled code has stored ci.savedpc as the interpreter would (the
// next instruction), so an error, a traceback, a yield or a hook sees the interpreter's state; a
// helper that ran code returns JIT_EXIT when trapflag got set (a hook or budget was armed), so the
// interpreter's trapping instance takes over before the next instruction.

import { clvalue } from "../object/value";
import { cl_proto, p_jitflags, JITF_NOCALL, p_jithot, p_setjithot } from "../object/func";
import { L_top, L_settop, L_ci, ci_top, ci_func, savestack, restorestack } from "../vm/state";
import { luaD_precall, PRECALL_ERR, PRECALL_YIELD } from "../vm/call";
import { luaV_jitenter, luaV_jitexited, JIT_NOTENTERED, JIT_RETURNED, JIT_EXIT, JIT_ERROR, JIT_YIELD } from "../vm/tier";
import { trapflag } from "../vm/budget";
import { luaC_checkGC } from "../gc/collect";
import { luaG_memerror } from "../vm/debug";
import { gcdebt } from "../mem/alloc";
import { STRESS } from "../luaconf";

// @ts-ignore: decorator
@inline export const HELPER_DONE: i32 = -1;
// @ts-ignore: decorator
@inline export const HELPER_SLOW: i32 = -2;

/** The collector step the interpreter runs after allocating ops (execute.ts checkGC); false: error set. */
function checkGC(L: usize, limit: usize): bool {
  if (STRESS || gcdebt > 0) {
    const top = savestack(L, L_top(L));
    L_settop(L, limit);
    const ok = luaC_checkGC(L);
    L_settop(L, restorestack(L, top));
    if (!ok) { luaG_memerror(L); return false; }
  }
  return true;
}

/** Counts a guard failure of the compiled code running frame ci (vm/tier.ts deopt reads it). */
function miss(ci: usize): void {
  const p = cl_proto(clvalue(ci_func(ci)));
  p_setjithot(p, p_jithot(p) + 1);
}

/**
 * OP_CALL from compiled code running frame ci: R[A] at `ra` called with `b` - 1 arguments (b = 0: up
 * to L.top) for `nresults` results, as the interpreter's CALL. A Lua callee is entered in its
 * compiled code when it has an entry at pc 0 (nested on the wasm stack, bounded by vm/tier.ts);
 * otherwise its frame is left as L.ci for the interpreter (JIT_EXIT: the caller resumes
 * interpreted after it returns; counted as a miss of the caller, so a caller whose callees never
 * run compiled stops being entered). A native runs to completion (then the collector step and
 * the poll the interpreter makes after a native).
 */
export function luaJ_call(L: usize, ci: usize, ra: usize, b: i32, nresults: i32): i32 {
  if (b != 0) L_settop(L, ra + (<usize>b << 4));
  const newci = luaD_precall(L, ra, nresults);
  if (newci == PRECALL_YIELD) return JIT_YIELD;
  if (newci == PRECALL_ERR) return JIT_ERROR;
  if (newci == 0) {                                   // a native ran to completion
    if (L_ci(L) != ci) return JIT_EXIT;               // (a protected call completing: the interpreter's)
    const top = L_top(L);
    if (!checkGC(L, top > ci_top(ci) ? top : ci_top(ci))) return JIT_ERROR;
    return trapflag ? JIT_EXIT : HELPER_DONE;
  }
  // a Lua function: newci is L.ci, at its first instruction
  if (trapflag) return JIT_EXIT;
  const p = cl_proto(clvalue(ci_func(newci)));
  if ((p_jitflags(p) & JITF_NOCALL) != 0) { miss(ci); return JIT_EXIT; }
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
