// execute.ts - the interpreter loop: one case per opcode and nothing else (luaV_execute).
//
// One invocation runs Lua frames until its entry frame (marked CIST_FRESH by luaD_call) returns.
// Lua→Lua calls, returns, pcall/xpcall frames and error recovery switch frames inside the loop, so
// Lua recursion never recurses in wasm. Every case: fast path inline, slow path in ops.ts/call.ts.
// Locals: ci (running frame), cl/k (closure, constants), base (R[0]), pc (next instruction).
// After anything that may call Lua or grow the stack, `base` is re-derived from ci (the stack moves).
// Errors: a slow path returning ERR makes `dispatch` return RAISED; luaV_run, the one recovery
// point, unwinds to a protected frame inside this invocation (and dispatches again there) or
// returns ERR to the native that started it.
// Two instances of the loop, compiled from this one source (`dispatch<T>`, T a marker type folded at
// compile time): the trapping one charges budgets and runs hooks before every instruction; the fast
// one tests nothing per instruction and runs while no hook or budget is armed (trapflag clear). The
// fast one re-checks trapflag after everything that can run code and, when it got set, leaves with
// REENTER before the next instruction; the trapping one leaves so when trapflag is cleared.
// luaV_execute, a thin driver, enters the instance trapflag selects, again after each REENTER.
// Warm phase (vm/budget.ts): each instance also returns REENTER every WARM_SLICE ticks while V8 may
// still be tiering it up, so that the next entry runs the optimised code (a running wasm call never
// switches code).
// JIT (vm/tier.ts): with the JIT on, the fast instance enters a prototype's compiled code at a Lua
// call it set up and at a FORLOOP's jump back; the code returns (the frame returned) or exits at
// savedpc, and the loop goes on there after the same poll as after any code.

import {
  TVALUE_SIZE, ttisinteger, ttisfloat, ttisnumber, ttistable, ttisnil, ttisstring, ttisLclosure,
  ttisshrstring, l_isfalse, ivalue, fltvalue, hvalue, clvalue, tsvalue, setobj, setobj2t, setnilvalue,
  setivalue, chgivalue, setfltvalue, setbvalue, setbfvalue, setbtvalue, sethvalue, isabstkey, ttisintegers, ttisnumbers,
} from "../object/value";
import { ttisfunction } from "../object/value";
import * as ltable from "../object/table";
import {
  cl_proto, cl_upval, p_k, p_code, p_proto, uv_v, p_numparams, p_maxstacksize, p_sizelocvars, locvar, lv_name,
  lv_startpc, lv_endpc, p_jitflags, JITF_NOCALL, JITF_NOLOOP, JITF_NODIRECT,
} from "../object/func";
import { getstr, tsslen } from "../object/string";
import { OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_sBx, GETARG_sB,
  GETARG_sC, GETARG_Ax, GETARG_sJ, MAXARG_C } from "./opcodes";
import {
  L_top, L_settop, L_ci, L_setci, ci_func, ci_next, nextci, ci_setnresults, ci_setfunc, ci_top, ci_settop, ci_savedpc, ci_setsavedpc,
  ci_setu2, ci_nextraargs, ci_callstatus, ci_setcallstatus, ci_previous, ci_nresults, isLua, savestack,
  restorestack, CIST_FRESH, CIST_TAIL, CIST_FINISHOP, OK, ERR, LUA_MULTRET, LUA_YIELD, hasstack,
} from "./state";
import {
  luaD_precall, luaD_poscall, luaD_unwind, luaD_finishCframes, luaD_checkstack, PRECALL_ERR, PRECALL_YIELD,
  luaF_close, luaF_closeupvals, tryfuncTM, luaF_newtbcupval, luaT_adjustvarargs, luaT_getvarargs,
  pendingyield, clearpendingyield, FINISH_DONE, FINISH_ERR, FINISH_YIELD, UNWIND_YIELD, luaD_pause,
} from "./call";
import {
  luaV_finishget, luaV_finishset, luaV_gettable, luaV_forcallfast, luaT_trybinTM, luaV_lessthan,
  luaV_lessequal, luaV_equalobj, luaV_rawequalobj, luaV_objlen, luaV_concat, luaV_forprep,
  floatforloop, LTnum, LEnum, rawsetchecked, luaV_finishOp, CMP_YIELD, luaV_checkGC, luaV_pushclosure,
} from "./ops";
import { TM } from "./tm";
import { hookactive, luaG_traceexec, luaD_rethook, CIST_HOOKSTARTED, CIST_HOOKVARARG } from "./hook";
import {
  luaV_idiv, luaV_mod, luaV_modf, luai_numidiv, luai_numpow, luaV_shiftl, tointegerns_nocvt, F2Ieq,
} from "../object/number";
import { luaG_runerrorstr, luaG_runerror, luaG_memerror } from "./debug";
import { luaC_barrier, luaC_barrierback } from "../gc/barrier";
import { trapflag, fastpoll, budget_charge, warmtick, fastwarmtick, warmslice, slicing } from "./budget";
import { jiton, luaV_jitenter, JIT_NOTENTERED, JIT_EXIT, JIT_ERROR, JIT_YIELD } from "./tier";
import { Buffer, buf_new, buf_free, buf_addstr, buf_addbytes } from "../mem/buffer";

const tmpA: usize = memory.data(16);
const tmpB: usize = memory.data(16);
const tmpi: usize = memory.data(8);

// ==== Frame helpers ====
// @ts-ignore: decorator
@inline function frameK(ci: usize): usize { return p_k(cl_proto(clvalue(ci_func(ci)))); }
// @ts-ignore: decorator
@inline function reg(base: usize, r: i32): usize { return base + (<usize>r << 4); }
// @ts-ignore: decorator
@inline function kst(k: usize, r: i32): usize { return k + (<usize>r << 4); }

// ==== Leaving the dispatch loop ====
// PUC's Protect leaves a failing slow path by longjmp to the protected call. Here a failing slow
// path returns RAISED from `dispatch`, and luaV_execute, the one error-recovery point, unwinds to
// the protected frame and enters `dispatch` again on the frame that continues. The same statuses
// say why a frame switch (afterreturn) cannot simply go on with the next Lua frame.

/** Why `dispatch` stopped, or what afterreturn/recover found (values private to this file). */
// @ts-ignore: decorator
@inline const CONTINUE: i32 = 0;   // L.ci is a Lua frame to run (dispatch never stops so)
// @ts-ignore: decorator
@inline const RETURNED: i32 = 1;   // the entry frame returned: luaV_execute returns OK
// @ts-ignore: decorator
@inline const YIELDED: i32 = 2;    // the coroutine yielded: luaV_execute returns LUA_YIELD
// @ts-ignore: decorator
@inline const RAISED: i32 = 3;     // a slow path failed (error object set, or a metamethod yielded)
// @ts-ignore: decorator
@inline const ESCAPED: i32 = 4;    // recover found no protected frame: luaV_execute returns ERR
// @ts-ignore: decorator
@inline const REENTER: i32 = 5;    // stopped before the instruction at L.ci's savedpc: the driver enters
                                   // the instance trapflag selects (it changed, or code ran that may have)
// @ts-ignore: decorator
@inline const SLICED: i32 = 6;     // as REENTER, because the instance's warm slice ran out

// ==== The two instances of the loop ====
// Marker types, never instantiated: the type argument of luaV_run/dispatch selects the instance, and
// `isfast<T>()` is a compile-time constant, so each `if (isfast<T>() ...)` disappears from the other.

/** The trapping instance: budgets, hooks and its warm-phase tick before every instruction. */
type Trapping = i32;
/** The fast instance: nothing per instruction; polls `fastpoll` at backward jumps and function entries. */
type Fast = f64;
// @ts-ignore: decorator
@inline function isfast<T>(): bool { return isFloat<T>(); }

/**
 * The fast instance's poll, when `fastpoll` is set: REENTER when trapflag got set (the driver then
 * enters the trapping instance), SLICED when its warm slice is spent, else CONTINUE. Each poll site
 * reads `if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ... } }`.
 */
// @ts-ignore: decorator
@inline function fastpolled(): i32 { return trapflag ? REENTER : fastwarmtick() ? SLICED : CONTINUE; }

/**
 * Whether t[k] = v may store straight into `slot`, the raw lookup of an integer key k in table h: a
 * present value, or an empty slot (an array slot past the border, a cleared entry) of a table with no
 * metatable, so no __newindex to consult (PUC takes luaV_finishset for the empty ones; appending
 * t[#t + 1] = v is the usual case). Integer keys are never metamethod names, so the table's
 * absent-metamethod cache stays true.
 */
// @ts-ignore: decorator
@inline function intslotset(h: usize, slot: usize): bool {
  return !ttisnil(slot) || (slot != ltable.absentkey && ltable.getmetatable(h) == 0);
}

/**
 * After a frame returned to L.ci: completes protected native frames, and finishes the caller's
 * instruction if the returning frame was a resumed metamethod (CIST_FINISHOP). Returns CONTINUE
 * when L.ci is a Lua frame to run, else RETURNED, YIELDED or RAISED, or REENTER when L.ci is a Lua
 * frame to run but the code run here (continuations, __concat) left trapflag set: the fast
 * instance must not go on, and for the trapping one the re-entry is harmless.
 * RETURN0/RETURN1 call it only when there is something to do (not a plain return to a Lua caller),
 * so the common return runs no out-of-line call.
 */
function afterreturn(L: usize, finishop: bool): i32 {
  if (!isLua(L_ci(L))) {
    const f = luaD_finishCframes(L);
    if (f == FINISH_DONE) return RETURNED;
    if (f == FINISH_YIELD) return YIELDED;
    if (f == FINISH_ERR) return RAISED;
    if (trapflag) return REENTER;
  } else if (finishop) {
    if (luaV_finishOp(L, L_ci(L)) != OK) return RAISED;
    if (trapflag) return REENTER;
  }
  return CONTINUE;
}

/**
 * After compiled code entered at frame `ci` ran (status st, vm/tier.ts): RAISED or YIELDED for an
 * error or a yield in a call it made; else L.ci is the frame to go on with at its savedpc (ci, a
 * callee of compiled code that exited, or ci's caller when it returned), and a native frame there
 * (a protected call completing) is finished as after a return. CONTINUE when the loop goes on;
 * REENTER after an exit during an async call (the frame to go on with is at its savedpc).
 */
function afterjit(L: usize, ci: usize, st: i32): i32 {
  if (st == JIT_ERROR) return RAISED;
  if (st == JIT_YIELD) return YIELDED;
  const why = L_ci(L) != ci ? afterreturn(L, false) : CONTINUE;
  // an async call: its driver checks the time at every exit (compiled loops exit every slice while
  // it runs, jit/compile.ts), so that it pauses and the host's event loop turns
  return why == CONTINUE && st == JIT_EXIT && slicing ? REENTER : why;
}

/** Name of the local in register `reg` active at `pc` (luaF_getlocalname), for TBC errors. */
function localname(p: usize, regn: i32, pc: i32, b: Buffer): void {
  let n = regn + 1;
  for (let i = 0; i < p_sizelocvars(p) && lv_startpc(locvar(p, i)) <= pc; i++) {
    if (pc < lv_endpc(locvar(p, i))) {
      n--;
      if (n == 0) {
        const s = lv_name(locvar(p, i));
        buf_addbytes(b, getstr(s), tsslen(s));
        return;
      }
    }
  }
  buf_addstr(b, "?");
}

/** "variable 'x' got a non-closable value". */
function tbcerror(L: usize, ci: usize, regn: i32, pc: usize): i32 {
  const p = cl_proto(clvalue(ci_func(ci)));
  const b = buf_new();
  buf_addstr(b, "variable '");
  localname(p, regn, <i32>((pc - p_code(p)) >> 2) - 1, b);
  buf_addstr(b, "' got a non-closable value");
  const r = luaG_runerror(L, b);
  buf_free(b);
  return r;
}

/** Before a slow path: saves pc (for messages) and sets top to the frame's top (Protect/savestate),
 *  so metamethod calls push above every live register. */
// @ts-ignore: decorator
@inline function savestate(L: usize, ci: usize, pc: usize): void {
  ci_setsavedpc(ci, pc);
  L_settop(L, ci_top(ci));
}

/**
 * Fast path of +, - and * (op is a literal at every call site, so the selection folds away):
 * integers wrap, mixed operands go to float. Returns false when an operand is not a number (the
 * following MMBIN then tries metamethods).
 */
// @ts-ignore: decorator
@inline function arithfast(op: i32, ra: usize, v1: usize, v2: usize): bool {
  if (ttisintegers(v1, v2)) {
    const a = ivalue(v1), b = ivalue(v2);
    setivalue(ra, op == OP.ADD ? a + b : op == OP.SUB ? a - b : a * b);
    return true;
  }
  if (ttisnumbers(v1, v2)) {
    const a = ttisfloat(v1) ? fltvalue(v1) : <f64>ivalue(v1);
    const b = ttisfloat(v2) ? fltvalue(v2) : <f64>ivalue(v2);
    const r = op == OP.ADD ? a + b : op == OP.SUB ? a - b : a * b;
    if (r == r) setfltvalue(ra, r);
    else arithnan(ra, r, op == OP.ADD ? b : a);   // (a branch: binaryen made a select of the test)
    return true;
  }
  return false;
}

/**
 * Stores a NaN result of + - *: for NaN op NaN, lua5.4 (gcc, x86-64) keeps the NaN of b for + and
 * of a for - and * (`first`), whose sign shows in tostring ("nan"/"-nan"); V8 may swap the operands
 * of f64.add and f64.mul.
 */
function arithnan(ra: usize, r: f64, first: f64): void {
  setfltvalue(ra, first != first ? first : r);
}

/** Integer/float helper for comparisons against an immediate (LTI etc.) via metamethods. */
function orderimm(L: usize, ra: usize, imm: i32, flip: bool, isf: bool, event: i32): i32 {
  if (isf) setfltvalue(tmpB, <f64>imm); else setivalue(tmpB, <i64>imm);
  setobj(tmpA, ra);
  if (event == TM.LT) return flip ? luaV_lessthan(L, tmpB, tmpA) : luaV_lessthan(L, tmpA, tmpB);
  return flip ? luaV_lessequal(L, tmpB, tmpA) : luaV_lessequal(L, tmpA, tmpB);
}

/**
 * Runs the Lua frame `entry` (and everything it calls) to completion. Returns OK, ERR, or LUA_YIELD
 * when a coroutine yielded (only possible in the loop that resume runs for that coroutine).
 * The thin driver of the warm phase: luaV_run returns SLICED after a slice of instructions, and is
 * called again on the frame it left (L.ci), now possibly running code V8 optimised meanwhile.
 * luaV_run has two call sites here so that binaryen does not inline it (a function with one caller
 * is inlined, and then the loop would never leave its first code).
 */
export function luaV_execute(L: usize, entry: usize): i32 {
  let r = trapflag ? luaV_run<Trapping>(L, entry, entry) : luaV_run<Fast>(L, entry, entry);
  while (r == REENTER) {
    if (slicing && luaD_pause(L)) return LUA_YIELD;   // an async call's slice is over (vm/call.ts "Awaiting")
    r = trapflag ? luaV_run<Trapping>(L, entry, L_ci(L)) : luaV_run<Fast>(L, entry, L_ci(L));
  }
  return r;
}

/**
 * Runs Lua frames from `ci` until the frame `entry` returns (OK), the coroutine yields (LUA_YIELD),
 * an error leaves this invocation (ERR), or the driver must enter an instance of the loop again
 * (REENTER: trapflag may select the other instance, or this one's warm slice ran out, counted here).
 * This is the one error-recovery point of the interpreter: every failing slow path leaves
 * `dispatch` with RAISED, and `recover` unwinds to the nearest protected frame (pcall/xpcall) of
 * this invocation; dispatching then goes on in the frame that continues. (`dispatch` has exactly
 * one call site: it is inlined.)
 */
function luaV_run<T>(L: usize, entry: usize, ci: usize): i32 {
  for (;;) {
    let why = dispatch<T>(L, ci);
    while (why == RAISED) why = recover(L, entry);
    if (why == RETURNED) return OK;
    if (why == YIELDED) return LUA_YIELD;
    if (why == ESCAPED) return ERR;
    if (why == REENTER) return REENTER;
    if (why == SLICED) { warmslice(isfast<T>()); return REENTER; }
    // CONTINUE: a Lua frame caught the error; the unwinding may have run __close handlers, and the
    // message handler ran: re-check trapflag as after any code (the trapping instance does so itself)
    if (isfast<T>() && trapflag) return REENTER;
    ci = L_ci(L);
  }
  return ERR;   // unreachable: the loop is left only by return
}

/**
 * After RAISED: a metamethod that yielded is no error (YIELDED); otherwise unwinds to the nearest
 * protected frame of this invocation, which returns (false, msg) to its caller (CONTINUE, or what
 * afterreturn finds), or the error leaves this invocation (ESCAPED).
 */
function recover(L: usize, entry: usize): i32 {
  if (pendingyield) { clearpendingyield(); return YIELDED; }
  const caught = luaD_unwind(L, entry);
  if (caught == 0) return ESCAPED;                    // no protected frame here: the caller's problem
  if (caught == UNWIND_YIELD) return YIELDED;         // a __close run by the unwinding yielded
  if ((ci_callstatus(caught) & CIST_FRESH) != 0) return RETURNED;
  return afterreturn(L, false);
}

/**
 * The dispatch loop: runs Lua frames from `ci` on (calls and returns switch frames inside the loop)
 * until the entry frame returns (RETURNED), the coroutine yields (YIELDED) or a slow path fails
 * (RAISED), or it must leave for its driver (REENTER). Inlined into luaV_run, so each `return` is
 * the labelled loop exit AS lacks.
 * The fast instance (isfast<T>()) runs only while trapflag is clear, which only code run from the
 * loop can change: every place that may have run a native, a metamethod, a finalizer or a hook
 * polls `fastpoll` before the next instruction (see docs/VM.md for the list), and so do backward
 * jumps and function entries (the warm phase's ticks; a safety net too), and afterreturn and
 * recover check trapflag after running code.
 */
// @ts-ignore: decorator
@inline function dispatch<T>(L: usize, ci: usize): i32 {
  let cl = clvalue(ci_func(ci));
  let k = p_k(cl_proto(cl));
  let base = ci_func(ci) + TVALUE_SIZE;
  let pc = ci_savedpc(ci);
  // PUC enters the TFORCALL after a TFORPREP, and every TFORLOOP, by `goto` rather than by fetching
  // them (lvm.c l_tforcall/l_tforloop): those are neither charged nor traced, so counts and line
  // events match lua5.4's (the trapping instance only; the fast one charges nothing)
  let gotoentry = false;
  // a TFORLOOP that jumped to a TFORLOOP (only broken binary chunks have one: a valid one jumps to
  // its loop's body): that one is charged, else such a cycle would run forever past any budget
  let tforcycle = false;
  for (;;) {
    if (!isfast<T>()) {                               // the trapping instance: leave before this
      if (!trapflag) { ci_setsavedpc(ci, pc); return REENTER; }   // instruction when disarmed (for the
      if (gotoentry || (GET_OPCODE(load<u32>(pc)) == OP.TFORLOOP && !tforcycle)) gotoentry = false;
      else {
        tforcycle = false;
        if (warmtick()) { ci_setsavedpc(ci, pc); return SLICED; } // fast one) or the slice is spent;
                                                      // the next entry charges and traces it
        ci_setsavedpc(ci, pc + 4);                    // budgets or hooks: charge this instruction
        if (budget_charge(1) != OK || (hookactive && luaG_traceexec(L, ci, pc) != OK)) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;             // a hook may have moved the stack
      }
    }
    const i = load<u32>(pc);
    pc += 4;
    const ra = reg(base, GETARG_A(i));
    switch (GET_OPCODE(i)) {
      case OP.MOVE: {                                   // R[A] := R[B]
        setobj(ra, reg(base, GETARG_B(i)));
        break;
      }
      case OP.LOADI: {                                  // R[A] := sBx
        setivalue(ra, <i64>GETARG_sBx(i));
        break;
      }
      case OP.LOADF: {                                  // R[A] := (float)sBx
        setfltvalue(ra, <f64>GETARG_sBx(i));
        break;
      }
      case OP.LOADK: {                                  // R[A] := K[Bx]
        setobj(ra, kst(k, GETARG_Bx(i)));
        break;
      }
      case OP.LOADKX: {                                 // R[A] := K[extra arg]
        setobj(ra, kst(k, GETARG_Ax(load<u32>(pc))));
        pc += 4;
        break;
      }
      case OP.LOADFALSE: { setbfvalue(ra); break; }    // R[A] := false
      case OP.LFALSESKIP: { setbfvalue(ra); pc += 4; break; }   // R[A] := false; pc++
      case OP.LOADTRUE: { setbtvalue(ra); break; }     // R[A] := true
      case OP.LOADNIL: {                                // R[A..A+B] := nil
        let b = GETARG_B(i);
        let p = ra;
        do { setnilvalue(p); p += TVALUE_SIZE; } while (b-- > 0);
        break;
      }
      case OP.GETUPVAL: {                               // R[A] := UpValue[B]
        setobj(ra, uv_v(cl_upval(cl, GETARG_B(i))));
        break;
      }
      case OP.SETUPVAL: {                               // UpValue[B] := R[A]
        const uv = cl_upval(cl, GETARG_B(i));
        setobj(uv_v(uv), ra);
        luaC_barrier(L, uv, ra);
        break;
      }
      case OP.GETTABUP: {                               // R[A] := UpValue[B][K[C]:shortstring]
        const upv = uv_v(cl_upval(cl, GETARG_B(i)));
        const key = kst(k, GETARG_C(i));
        if (ttistable(upv)) {                           // fast path: plain table, key present
          const slot = ltable.luaH_getshortstr(hvalue(upv), tsvalue(key));
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          savestate(L, ci, pc);                        // slow path: __index
          if (luaV_finishget(L, upv, key, savestack(L, ra), slot) != OK) return RAISED;
        } else {
          savestate(L, ci, pc);
          if (luaV_finishget(L, upv, key, savestack(L, ra), 0) != OK) return RAISED;
        }
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.GETTABLE: {                               // R[A] := R[B][R[C]]
        const rb = reg(base, GETARG_B(i)), rc = reg(base, GETARG_C(i));
        if (ttistable(rb)) {
          const slot = ttisinteger(rc) ? ltable.luaH_getint(hvalue(rb), ivalue(rc)) : ltable.luaH_get(hvalue(rb), rc);
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          savestate(L, ci, pc);
          if (luaV_finishget(L, rb, rc, savestack(L, ra), slot) != OK) return RAISED;
        } else {
          savestate(L, ci, pc);
          if (luaV_finishget(L, rb, rc, savestack(L, ra), 0) != OK) return RAISED;
        }
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.GETI: {                                   // R[A] := R[B][C]
        const rb = reg(base, GETARG_B(i));
        const c = GETARG_C(i);
        if (ttistable(rb)) {
          const slot = ltable.luaH_getint(hvalue(rb), <i64>c);
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
        }
        setivalue(tmpA, <i64>c);
        savestate(L, ci, pc);
        if (luaV_gettable(L, rb, tmpA, savestack(L, ra)) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.GETFIELD: {                               // R[A] := R[B][K[C]:shortstring]
        const rb = reg(base, GETARG_B(i)), key = kst(k, GETARG_C(i));
        if (ttistable(rb)) {
          const slot = ltable.luaH_getshortstr(hvalue(rb), tsvalue(key));
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          savestate(L, ci, pc);
          if (luaV_finishget(L, rb, key, savestack(L, ra), slot) != OK) return RAISED;
        } else {
          savestate(L, ci, pc);
          if (luaV_finishget(L, rb, key, savestack(L, ra), 0) != OK) return RAISED;
        }
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.SETTABUP: {                               // UpValue[A][K[B]:shortstring] := RK(C)
        const upv = uv_v(cl_upval(cl, GETARG_A(i)));
        const key = kst(k, GETARG_B(i));
        const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        let slot: usize = 0;                            // (0: not a table, for luaV_finishset)
        if (ttistable(upv)) {
          slot = ltable.luaH_getshortstr(hvalue(upv), tsvalue(key));
          if (!ttisnil(slot)) { setobj2t(slot, rc); luaC_barrierback(L, hvalue(upv)); break; }
        }
        savestate(L, ci, pc);
        if (luaV_finishset(L, upv, key, rc, slot) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.SETTABLE: {                               // R[A][R[B]] := RK(C)
        const rb = reg(base, GETARG_B(i));
        const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        let slot: usize = 0;
        if (ttistable(ra)) {
          const h = hvalue(ra);
          if (ttisinteger(rb)) {
            slot = ltable.luaH_getint(h, ivalue(rb));
            if (intslotset(h, slot)) { setobj2t(slot, rc); luaC_barrierback(L, h); break; }
          } else {
            slot = ltable.luaH_get(h, rb);
            if (!ttisnil(slot)) { setobj2t(slot, rc); luaC_barrierback(L, h); break; }
          }
        }
        savestate(L, ci, pc);
        if (luaV_finishset(L, ra, rb, rc, slot) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.SETI: {                                   // R[A][B] := RK(C)
        const b = GETARG_B(i);
        const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        let slot: usize = 0;
        if (ttistable(ra)) {
          slot = ltable.luaH_getint(hvalue(ra), <i64>b);
          if (intslotset(hvalue(ra), slot)) { setobj2t(slot, rc); luaC_barrierback(L, hvalue(ra)); break; }
        }
        setivalue(tmpA, <i64>b);
        savestate(L, ci, pc);
        if (luaV_finishset(L, ra, tmpA, rc, slot) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.SETFIELD: {                               // R[A][K[B]:shortstring] := RK(C)
        const key = kst(k, GETARG_B(i));
        const rc = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        let slot: usize = 0;
        if (ttistable(ra)) {
          slot = ltable.luaH_getshortstr(hvalue(ra), tsvalue(key));
          if (!ttisnil(slot)) { setobj2t(slot, rc); luaC_barrierback(L, hvalue(ra)); break; }
        }
        savestate(L, ci, pc);
        if (luaV_finishset(L, ra, key, rc, slot) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.NEWTABLE: {                               // R[A] := {}
        let b = GETARG_B(i);
        let c = GETARG_C(i);
        if (b > 0) b = 1 << (b - 1);                   // hash size is 2^(b-1)
        if (GETARG_k(i)) c += GETARG_Ax(load<u32>(pc)) * (MAXARG_C + 1);
        pc += 4;                                        // skip extra argument
        if ((b != 0 || c != 0) && !ltable.canresize(<u64>c, <u64>b)) {
          sethvalue(ra, ltable.luaH_new());
          savestate(L, ci, pc);
          luaG_memerror(L);
          return RAISED;
        }
        sethvalue(ra, ltable.luaH_newsized(<u32>c, <u32>b));   // (small parts inline)
        savestate(L, ci, pc);
        if (!luaV_checkGC(L, ra + TVALUE_SIZE)) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.SELF: {                                   // R[A+1] := R[B]; R[A] := R[B][RK(C):string]
        const rb = reg(base, GETARG_B(i));
        const key = GETARG_k(i) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        setobj(ra + TVALUE_SIZE, rb);
        if (ttistable(rb) && ttisshrstring(key)) {     // (a method name; a register key is a string unless debug.setlocal changed it)
          const slot = ltable.luaH_getshortstr(hvalue(rb), tsvalue(key));
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
        }
        savestate(L, ci, pc);
        if (luaV_gettable(L, rb, key, savestack(L, ra)) != OK) {   // rb in place: names it in errors
          return RAISED;
        }
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.ADDI: {                                   // R[A] := R[B] + sC
        const rb = reg(base, GETARG_B(i));
        const imm = GETARG_sC(i);
        if (ttisinteger(rb)) { setivalue(ra, ivalue(rb) + <i64>imm); pc += 4; }
        else if (ttisfloat(rb)) { setfltvalue(ra, fltvalue(rb) + <f64>imm); pc += 4; }
        break;
      }
      case OP.ADDK: { if (arithfast(OP.ADD, ra, reg(base, GETARG_B(i)), kst(k, GETARG_C(i)))) pc += 4; break; }  // R[A] := R[B] + K[C]
      case OP.SUBK: { if (arithfast(OP.SUB, ra, reg(base, GETARG_B(i)), kst(k, GETARG_C(i)))) pc += 4; break; }  // R[A] := R[B] - K[C]
      case OP.MULK: { if (arithfast(OP.MUL, ra, reg(base, GETARG_B(i)), kst(k, GETARG_C(i)))) pc += 4; break; }  // R[A] := R[B] * K[C]
      case OP.ADD: { if (arithfast(OP.ADD, ra, reg(base, GETARG_B(i)), reg(base, GETARG_C(i)))) pc += 4; break; }  // R[A] := R[B] + R[C]
      case OP.SUB: { if (arithfast(OP.SUB, ra, reg(base, GETARG_B(i)), reg(base, GETARG_C(i)))) pc += 4; break; }  // R[A] := R[B] - R[C]
      case OP.MUL: { if (arithfast(OP.MUL, ra, reg(base, GETARG_B(i)), reg(base, GETARG_C(i)))) pc += 4; break; }  // R[A] := R[B] * R[C]
      case OP.MODK: case OP.MOD: case OP.IDIVK: case OP.IDIV: {  // R[A] := R[B] % or // (K[C] | R[C])
        const op = GET_OPCODE(i);
        const v1 = reg(base, GETARG_B(i));
        const v2 = (op == OP.MODK || op == OP.IDIVK) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        const ismod = op == OP.MODK || op == OP.MOD;
        if (ttisintegers(v1, v2)) {
          const b = ivalue(v2);
          if (b == 0) {
            savestate(L, ci, pc);
            luaG_runerrorstr(L, ismod ? "attempt to perform 'n%0'" : "attempt to divide by zero");
            return RAISED;
          }
          setivalue(ra, ismod ? luaV_mod(ivalue(v1), b) : luaV_idiv(ivalue(v1), b));
          pc += 4;
        } else if (ttisnumbers(v1, v2)) {
          const a = ttisinteger(v1) ? <f64>ivalue(v1) : fltvalue(v1);
          const b = ttisinteger(v2) ? <f64>ivalue(v2) : fltvalue(v2);
          setfltvalue(ra, ismod ? luaV_modf(a, b) : luai_numidiv(a, b));
          pc += 4;
        }
        break;
      }
      case OP.POWK: case OP.POW: case OP.DIVK: case OP.DIV: {  // R[A] := R[B] ^ or / (K[C] | R[C]) (float)
        const op = GET_OPCODE(i);
        const v1 = reg(base, GETARG_B(i));
        const v2 = (op == OP.POWK || op == OP.DIVK) ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        if (ttisnumbers(v1, v2)) {
          const a = ttisinteger(v1) ? <f64>ivalue(v1) : fltvalue(v1);
          const b = ttisinteger(v2) ? <f64>ivalue(v2) : fltvalue(v2);
          setfltvalue(ra, (op == OP.POWK || op == OP.POW) ? luai_numpow(a, b) : a / b);
          pc += 4;
        }
        break;
      }
      case OP.BANDK: case OP.BORK: case OP.BXORK: case OP.BAND: case OP.BOR: case OP.BXOR:
      case OP.SHL: case OP.SHR: {                       // R[A] := R[B] bitop (K[C] | R[C])
        const op = GET_OPCODE(i);
        const v1 = reg(base, GETARG_B(i));
        const v2 = op <= OP.BXORK ? kst(k, GETARG_C(i)) : reg(base, GETARG_C(i));
        let a: i64 = 0, b: i64 = 0;
        if (ttisinteger(v1)) a = ivalue(v1);
        else if (tointegerns_nocvt(v1, tmpi, F2Ieq)) a = load<i64>(tmpi);
        else break;                                     // MMBIN follows
        if (ttisinteger(v2)) b = ivalue(v2);
        else if (tointegerns_nocvt(v2, tmpi, F2Ieq)) b = load<i64>(tmpi);
        else break;
        let r: i64;
        switch (op) {
          case OP.BANDK: case OP.BAND: r = a & b; break;
          case OP.BORK: case OP.BOR: r = a | b; break;
          case OP.BXORK: case OP.BXOR: r = a ^ b; break;
          case OP.SHL: r = luaV_shiftl(a, b); break;
          default: r = luaV_shiftl(a, -b); break;      // SHR
        }
        setivalue(ra, r);
        pc += 4;
        break;
      }
      case OP.SHRI: case OP.SHLI: {                     // R[A] := R[B] >> sC  |  sC << R[B]
        const rb = reg(base, GETARG_B(i));
        const ic = <i64>GETARG_sC(i);
        let ib: i64 = 0;
        if (ttisinteger(rb)) ib = ivalue(rb);
        else if (tointegerns_nocvt(rb, tmpi, F2Ieq)) ib = load<i64>(tmpi);
        else break;
        setivalue(ra, GET_OPCODE(i) == OP.SHRI ? luaV_shiftl(ib, -ic) : luaV_shiftl(ic, ib));
        pc += 4;
        break;
      }
      case OP.MMBIN: case OP.MMBINI: case OP.MMBINK: { // call C metamethod over R[A] and R[B]/sB/K[B]
        const pi = load<u32>(pc - 8);                   // the arithmetic instruction
        const op = GET_OPCODE(i);
        const tm = GETARG_C(i);
        let p2: usize;
        if (op == OP.MMBIN) p2 = reg(base, GETARG_B(i));
        else if (op == OP.MMBINI) { setivalue(tmpB, <i64>GETARG_sB(i)); p2 = tmpB; }
        else { setobj(tmpB, kst(k, GETARG_B(i))); p2 = tmpB; }
        const flip = op != OP.MMBIN && GETARG_k(i) != 0;
        savestate(L, ci, pc);
        const resoff = savestack(L, reg(base, GETARG_A(pi)));
        // operands are passed in place (not copied) so error messages can name the variables
        const st = flip ? luaT_trybinTM(L, p2, ra, resoff, tm) : luaT_trybinTM(L, ra, p2, resoff, tm);
        if (st != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.UNM: {                                    // R[A] := -R[B]
        const rb = reg(base, GETARG_B(i));
        if (ttisinteger(rb)) { setivalue(ra, 0 - ivalue(rb)); break; }
        if (ttisfloat(rb)) { setfltvalue(ra, -fltvalue(rb)); break; }
        savestate(L, ci, pc);
        if (luaT_trybinTM(L, rb, rb, savestack(L, ra), TM.UNM) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.BNOT: {                                   // R[A] := ~R[B]
        const rb = reg(base, GETARG_B(i));
        if (ttisinteger(rb)) { setivalue(ra, ~ivalue(rb)); break; }
        if (tointegerns_nocvt(rb, tmpi, F2Ieq)) { setivalue(ra, ~load<i64>(tmpi)); break; }
        savestate(L, ci, pc);
        if (luaT_trybinTM(L, rb, rb, savestack(L, ra), TM.BNOT) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.NOT: {                                    // R[A] := not R[B]
        setbvalue(ra, l_isfalse(reg(base, GETARG_B(i))));
        break;
      }
      case OP.LEN: {                                    // R[A] := #R[B]
        const rb = reg(base, GETARG_B(i));
        if (ttistable(rb) && ltable.getmetatable(hvalue(rb)) == 0) {   // fast path: no __len possible
          setivalue(ra, ltable.luaH_getn(hvalue(rb)));
          break;
        }
        savestate(L, ci, pc);
        if (luaV_objlen(L, savestack(L, ra), rb) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.CONCAT: {                                 // R[A] := R[A].. ... ..R[A + B - 1]
        const n = GETARG_B(i);
        L_settop(L, ra + (<usize>n << 4));
        ci_setsavedpc(ci, pc);
        if (luaV_concat(L, n) != OK) return RAISED;
        if (!luaV_checkGC(L, L_top(L))) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.CLOSE: {                                  // close all upvalues >= R[A]
        savestate(L, ci, pc);
        if (luaF_close(L, ra, false, true) != OK) {   // (a yield in __close: luaV_finishOp repeats)
          return RAISED;
        }
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.TBC: {                                    // mark variable A "to be closed"
        savestate(L, ci, pc);
        if (!luaF_newtbcupval(L, ra)) {
          tbcerror(L, ci, GETARG_A(i), pc);
          return RAISED;
        }
        break;
      }
      case OP.JMP: {                                    // pc += sJ
        const sj = GETARG_sJ(i);
        pc += <usize>(<isize>sj << 2);
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        if (isfast<T>() && sj < 0 && jiton && (p_jitflags(cl_proto(cl)) & JITF_NOLOOP) == 0) {   // a while loop's
          ci_setsavedpc(ci, pc);                        // header: compiled code takes over mid-loop
          const st = luaV_jitenter(L, ci, cl_proto(cl));
          if (st != JIT_NOTENTERED) {
            const why = afterjit(L, ci, st); if (why != CONTINUE) return why;
            ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci);
            base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
            if (fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          }
        }
        break;
      }
      case OP.EQ: {                                     // if ((R[A] == R[B]) ~= k) then pc++
        const rb = reg(base, GETARG_B(i));
        savestate(L, ci, pc);
        const c = luaV_equalobj(L, ra, rb);
        if (c < 0) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (c != GETARG_k(i)) pc += 4;
        else pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2);
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.LT: case OP.LE: {                         // if ((R[A] < / <= R[B]) ~= k) then pc++
        const rb = reg(base, GETARG_B(i));
        let c: i32;
        const lt = GET_OPCODE(i) == OP.LT;
        if (ttisintegers(ra, rb)) c = (lt ? ivalue(ra) < ivalue(rb) : ivalue(ra) <= ivalue(rb)) ? 1 : 0;
        else if (ttisnumbers(ra, rb)) c = (lt ? LTnum(ra, rb) : LEnum(ra, rb)) ? 1 : 0;
        else {
          savestate(L, ci, pc);
          c = lt ? luaV_lessthan(L, ra, rb) : luaV_lessequal(L, ra, rb);
          if (c < 0) return RAISED;
          base = ci_func(ci) + TVALUE_SIZE;
          if (c != GETARG_k(i)) pc += 4;
          else pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2);
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          break;
        }
        if (c != GETARG_k(i)) pc += 4;
        else { pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2); if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } } }
        break;
      }
      case OP.EQK: {                                    // if ((R[A] == K[B]) ~= k) then pc++
        const c = luaV_rawequalobj(ra, kst(k, GETARG_B(i))) ? 1 : 0;
        if (c != GETARG_k(i)) pc += 4;
        else { pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2); if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } } }
        break;
      }
      case OP.EQI: {                                    // if ((R[A] == sB) ~= k) then pc++
        const im = GETARG_sB(i);
        let c = 0;
        if (ttisinteger(ra)) c = ivalue(ra) == <i64>im ? 1 : 0;
        else if (ttisfloat(ra)) c = fltvalue(ra) == <f64>im ? 1 : 0;
        if (c != GETARG_k(i)) pc += 4;
        else { pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2); if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } } }
        break;
      }
      case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI: {   // if ((R[A] op sB) ~= k) then pc++
        const op = GET_OPCODE(i);
        const im = GETARG_sB(i);
        let c: i32;
        if (ttisinteger(ra)) {
          const a = ivalue(ra), b = <i64>im;
          c = (op == OP.LTI ? a < b : op == OP.LEI ? a <= b : op == OP.GTI ? a > b : a >= b) ? 1 : 0;
        } else if (ttisfloat(ra)) {
          const a = fltvalue(ra), b = <f64>im;
          c = (op == OP.LTI ? a < b : op == OP.LEI ? a <= b : op == OP.GTI ? a > b : a >= b) ? 1 : 0;
        } else {
          const isf = GETARG_C(i) != 0;
          savestate(L, ci, pc);
          if (op == OP.LTI) c = orderimm(L, ra, im, false, isf, TM.LT);
          else if (op == OP.LEI) c = orderimm(L, ra, im, false, isf, TM.LE);
          else if (op == OP.GTI) c = orderimm(L, ra, im, true, isf, TM.LT);
          else c = orderimm(L, ra, im, true, isf, TM.LE);
          if (c < 0) return RAISED;
          base = ci_func(ci) + TVALUE_SIZE;
          if (c != GETARG_k(i)) pc += 4;
          else pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2);
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          break;
        }
        if (c != GETARG_k(i)) pc += 4;
        else { pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2); if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } } }
        break;
      }
      case OP.TEST: {                                   // if (not R[A] == k) then pc++
        const c = l_isfalse(ra) ? 0 : 1;
        if (c != GETARG_k(i)) pc += 4;
        else { pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2); if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } } }
        break;
      }
      case OP.TESTSET: {                                // if (not R[B] == k) then pc++ else R[A] := R[B]
        const rb = reg(base, GETARG_B(i));
        if ((l_isfalse(rb) ? 1 : 0) == GETARG_k(i)) pc += 4;
        else {
          setobj(ra, rb);
          pc += <usize>(<isize>(GETARG_sJ(load<u32>(pc)) + 1) << 2);
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        }
        break;
      }
      case OP.CALL: {                                   // R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1])
        const b = GETARG_B(i);
        const nresults = GETARG_C(i) - 1;
        if (b != 0) L_settop(L, ra + (<usize>b << 4));
        ci_setsavedpc(ci, pc);
        if (ttisLclosure(ra)) {                         // fast path: Lua function with stack room
          const ncl = clvalue(ra);
          const p = cl_proto(ncl);
          const fsize = p_maxstacksize(p);
          if (hasstack(L, fsize)) {
            let top = L_top(L);
            let narg = <i32>((top - ra) >> 4) - 1;
            const np = p_numparams(p);
            let nci = ci_next(ci);
            if (nci == 0) nci = nextci(L);
            else { ci_setcallstatus(nci, 0); L_setci(L, nci); }
            ci_setfunc(nci, ra);
            ci_setnresults(nci, nresults);
            ci_settop(nci, ra + TVALUE_SIZE + (<usize>fsize << 4));
            for (; narg < np; narg++) { setnilvalue(top); top += TVALUE_SIZE; }
            L_settop(L, top);
            ci = nci; cl = ncl; k = p_k(p); base = ra + TVALUE_SIZE; pc = p_code(p);
            if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }   // function entry
            if (isfast<T>() && jiton && (p_jitflags(p) & JITF_NOCALL) == 0) {   // compiled code (vm/tier.ts)
              ci_setsavedpc(ci, pc);
              const st = luaV_jitenter(L, ci, p);
              if (st != JIT_NOTENTERED) {
                const why = afterjit(L, ci, st); if (why != CONTINUE) return why;
                ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci);
                base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);   // returned, or exited at savedpc
                if (fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
              }
            }
            break;
          }
        }
        const newci = luaD_precall(L, ra, nresults);
        if (newci == PRECALL_YIELD) return YIELDED;   // coroutine suspended: resume continues it
        if (newci == PRECALL_ERR) return RAISED;
        if (newci == 0) {                               // a native ran to completion
          if (L_ci(L) != ci) {                          // it was pcall completing into a frame switch
            const why = afterreturn(L, false); if (why != CONTINUE) return why;
            ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
          }
          if (!luaV_checkGC(L, L_top(L) > ci_top(ci) ? L_top(L) : ci_top(ci))) return RAISED;
          base = ci_func(ci) + TVALUE_SIZE;
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          break;
        }
        ci = newci;                                     // a Lua function: run it here
        cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }   // function entry
        break;
      }
      case OP.TAILCALL: {                               // return R[A](R[A+1], ... ,R[A+B-1])
        let fra = ra;                                   // may move: __call shifts the function
        const b = GETARG_B(i);
        const nparams1 = GETARG_C(i);
        const delta = nparams1 != 0 ? ci_nextraargs(ci) + nparams1 : 0;
        if (b != 0) L_settop(L, fra + (<usize>b << 4));
        ci_setsavedpc(ci, pc);
        if (GETARG_k(i)) luaF_closeupvals(L, base);     // close upvalues of the current frame
        // resolve __call chains first, so a callable object still reuses this frame (as pretailcall)
        while (!ttisfunction(fra)) {
          const raoff = savestack(L, fra);
          if (tryfuncTM(L, fra) == 0) return RAISED;
          fra = restorestack(L, raoff);
          base = ci_func(ci) + TVALUE_SIZE;
        }
        if (!ttisLclosure(fra)) {
          // a native (or __call object): call normally; the RETURN that follows returns its results
          const newci = luaD_precall(L, fra, LUA_MULTRET);
          if (newci == PRECALL_YIELD) return YIELDED;
          if (newci == PRECALL_ERR) return RAISED;
          if (newci == 0) {
            if (L_ci(L) != ci) {                        // it was pcall completing into a frame switch
              const why = afterreturn(L, false); if (why != CONTINUE) return why;
              ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
            }
            base = ci_func(ci) + TVALUE_SIZE;
            if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
            break;
          }
          ci = newci;
          cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }   // function entry
          break;
        }
        // Lua function: reuse this frame (luaD_pretailcall)
        const p = cl_proto(clvalue(fra));
        const selftail = p == cl_proto(cl);             // (a tail-recursive loop: see below)
        const fsize = p_maxstacksize(p);
        let narg1 = <i32>((L_top(L) - fra) >> 4);        // function + arguments
        if (!hasstack(L, fsize)) {
          const off = savestack(L, fra);
          if (luaD_checkstack(L, fsize) != OK) return RAISED;
          const nra = restorestack(L, off);
          ci_setfunc(ci, ci_func(ci) - (<usize>delta << 4));
          const func0 = ci_func(ci);
          for (let j = 0; j < narg1; j++) setobj(func0 + (<usize>j << 4), nra + (<usize>j << 4));
        } else {
          ci_setfunc(ci, ci_func(ci) - (<usize>delta << 4));
          const func0 = ci_func(ci);
          for (let j = 0; j < narg1; j++) setobj(func0 + (<usize>j << 4), fra + (<usize>j << 4));
        }
        const func = ci_func(ci);
        for (; narg1 <= p_numparams(p); narg1++) setnilvalue(func + (<usize>narg1 << 4));
        L_settop(L, func + (<usize>narg1 << 4));
        ci_settop(ci, func + TVALUE_SIZE + (<usize>fsize << 4));
        ci_setsavedpc(ci, p_code(p));
        ci_setcallstatus(ci, (ci_callstatus(ci) | CIST_TAIL) & ~(CIST_HOOKSTARTED | CIST_HOOKVARARG));
        cl = clvalue(func); k = p_k(p); base = func + TVALUE_SIZE; pc = p_code(p);
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }   // function entry
        // compiled code, as at a CALL, so that a function reached only by tail calls gets hot too; a
        // small one (JITMAP_SMALL: not worth an entry from a CALL) is entered when it tail-calls
        // itself, since its compiled code then goes on with the calls that follow
        if (isfast<T>() && jiton && (p_jitflags(p) & (selftail ? JITF_NODIRECT : JITF_NOCALL)) == 0) {
          const st = luaV_jitenter(L, ci, p);
          if (st != JIT_NOTENTERED) {
            const why = afterjit(L, ci, st); if (why != CONTINUE) return why;
            ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci);
            base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);   // returned, or exited at savedpc
            if (fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          }
        }
        break;
      }
      case OP.RETURN: {                                 // return R[A], ... ,R[A+B-2]
        let n = GETARG_B(i) - 1;
        const nparams1 = GETARG_C(i);
        if (n < 0) n = <i32>((L_top(L) - ra) >> 4);
        ci_setsavedpc(ci, pc);
        if (GETARG_k(i)) {                              // close upvalues and tbc variables
          const raoff = savestack(L, ra);
          ci_setu2(ci, n);                              // for luaV_finishOp if a __close yields
          if (L_top(L) < ci_top(ci)) L_settop(L, ci_top(ci));
          if (luaF_close(L, base, false, true) != OK) return RAISED;
          const nra = restorestack(L, raoff);
          if (nparams1 != 0) ci_setfunc(ci, ci_func(ci) - (<usize>(ci_nextraargs(ci) + nparams1) << 4));
          L_settop(L, nra + (<usize>n << 4));
        } else {
          if (nparams1 != 0) ci_setfunc(ci, ci_func(ci) - (<usize>(ci_nextraargs(ci) + nparams1) << 4));
          L_settop(L, ra + (<usize>n << 4));
        }
        // (the fast instance tests hooks only after __close, which may have armed one)
        if ((!isfast<T>() || GETARG_k(i)) && hookactive && luaD_rethook(L, ci, n) != OK) return RAISED;
        const fresh = (ci_callstatus(ci) & CIST_FRESH) != 0;
        const fop = (ci_callstatus(ci) & CIST_FINISHOP) != 0;
        if (ci_nresults(ci) == 1) {                     // one result wanted (a vararg function's return a)
          const res = ci_func(ci);
          if (n == 0) setnilvalue(res); else setobj(res, L_top(L) - (<usize>n << 4));
          L_settop(L, res + TVALUE_SIZE);
          L_setci(L, ci_previous(ci));
        } else luaD_poscall(L, ci, n);
        if (fresh) return RETURNED;
        if (fop || !isLua(L_ci(L))) { const why = afterreturn(L, fop); if (why != CONTINUE) return why; }
        ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
        break;
      }
      case OP.RETURN0: {                                // return
        const fresh = (ci_callstatus(ci) & CIST_FRESH) != 0;
        const fop = (ci_callstatus(ci) & CIST_FINISHOP) != 0;
        L_settop(L, ra);
        if (!isfast<T>() && hookactive && luaD_rethook(L, ci, 0) != OK) return RAISED;
        if (ci_nresults(ci) <= 0) {                     // no result wanted, or all of none (MULTRET)
          L_settop(L, ci_func(ci));
          L_setci(L, ci_previous(ci));
        } else luaD_poscall(L, ci, 0);                  // nils for the results wanted
        if (fresh) return RETURNED;
        if (fop || !isLua(L_ci(L))) { const why = afterreturn(L, fop); if (why != CONTINUE) return why; }
        ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
        break;
      }
      case OP.RETURN1: {                                // return R[A]
        const fresh = (ci_callstatus(ci) & CIST_FRESH) != 0;
        const fop = (ci_callstatus(ci) & CIST_FINISHOP) != 0;
        const wanted = ci_nresults(ci);
        const res = ci_func(ci);
        if (wanted == 1 && (isfast<T>() || !hookactive)) {   // (hooks armed: trapping instance)               // fast path: exactly one result wanted
          setobj(res, ra);
          L_settop(L, res + TVALUE_SIZE);
          L_setci(L, ci_previous(ci));
        } else {
          L_settop(L, ra + TVALUE_SIZE);
          if (!isfast<T>() && hookactive && luaD_rethook(L, ci, 1) != OK) return RAISED;
          luaD_poscall(L, ci, 1);
        }
        if (fresh) return RETURNED;
        if (fop || !isLua(L_ci(L))) { const why = afterreturn(L, fop); if (why != CONTINUE) return why; }
        ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
        break;
      }
      case OP.FORLOOP: {                                // update counters; if loop continues then pc-=Bx
        if (ttisinteger(ra + 2 * TVALUE_SIZE)) {
          const count = <u64>ivalue(ra + TVALUE_SIZE);
          if (count > 0) {
            const idx = ivalue(ra) + ivalue(ra + 2 * TVALUE_SIZE);
            // full stores (tag too): debug.setlocal may have put anything in these hidden slots
            setivalue(ra + TVALUE_SIZE, <i64>(count - 1));
            setivalue(ra, idx);
            setivalue(ra + 3 * TVALUE_SIZE, idx);
            pc -= <usize>GETARG_Bx(i) << 2;
            if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          } else break;
        } else if (floatforloop(ra)) {
          pc -= <usize>GETARG_Bx(i) << 2;
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        } else break;
        if (isfast<T>() && jiton && (p_jitflags(cl_proto(cl)) & JITF_NOLOOP) == 0) {   // a loop header:
          ci_setsavedpc(ci, pc);                        // compiled code takes over mid-loop
          const st = luaV_jitenter(L, ci, cl_proto(cl));
          if (st != JIT_NOTENTERED) {
            const why = afterjit(L, ci, st); if (why != CONTINUE) return why;
            ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci);
            base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
            if (fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          }
        }
        break;
      }
      case OP.FORPREP: {                                // check values and prepare counters
        savestate(L, ci, pc);
        const r = luaV_forprep(L, ra);
        if (r < 0) return RAISED;
        if (r == 1) pc += <usize>(GETARG_Bx(i) + 1) << 2;
        break;
      }
      case OP.TFORPREP: {                               // create tbc for R[A+3]; pc += Bx
        savestate(L, ci, pc);
        if (!luaF_newtbcupval(L, ra + 3 * TVALUE_SIZE)) {
          tbcerror(L, ci, GETARG_A(i) + 3, pc);
          return RAISED;
        }
        pc += <usize>GETARG_Bx(i) << 2;
        if (!isfast<T>()) gotoentry = true;           // the TFORCALL jumped to (see gotoentry)
        break;
      }
      case OP.TFORCALL: {                               // R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2])
        if (luaV_forcallfast(ra, GETARG_C(i))) break;   // next or ipairs over a plain table
        const cb = ra + 4 * TVALUE_SIZE;
        setobj(cb + 2 * TVALUE_SIZE, ra + 2 * TVALUE_SIZE);
        setobj(cb + TVALUE_SIZE, ra + TVALUE_SIZE);
        setobj(cb, ra);
        L_settop(L, cb + 3 * TVALUE_SIZE);
        ci_setsavedpc(ci, pc);
        const newci = luaD_precall(L, cb, GETARG_C(i));
        if (newci == PRECALL_YIELD) return YIELDED;
        if (newci == PRECALL_ERR) return RAISED;
        if (newci == 0) {
          if (L_ci(L) != ci) {                          // it was pcall completing into a frame switch
            const why = afterreturn(L, false); if (why != CONTINUE) return why;
            ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
          }
          base = ci_func(ci) + TVALUE_SIZE;
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          break;
        }
        ci = newci;
        cl = clvalue(ci_func(ci)); k = frameK(ci); base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }   // function entry
        break;
      }
      case OP.TFORLOOP: {                               // if R[A+4] ~= nil then { R[A+2]=R[A+4]; pc -= Bx }
        if (!ttisnil(ra + 4 * TVALUE_SIZE)) {
          setobj(ra + 2 * TVALUE_SIZE, ra + 4 * TVALUE_SIZE);
          pc -= <usize>GETARG_Bx(i) << 2;
          if (!isfast<T>() && GET_OPCODE(load<u32>(pc)) == OP.TFORLOOP) tforcycle = true;   // (see tforcycle)
          if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
          if (isfast<T>() && jiton && (p_jitflags(cl_proto(cl)) & JITF_NOLOOP) == 0) {   // a generic for's
            ci_setsavedpc(ci, pc);                      // header: compiled code takes over mid-loop
            const st = luaV_jitenter(L, ci, cl_proto(cl));
            if (st != JIT_NOTENTERED) {
              const why = afterjit(L, ci, st); if (why != CONTINUE) return why;
              ci = L_ci(L); cl = clvalue(ci_func(ci)); k = frameK(ci);
              base = ci_func(ci) + TVALUE_SIZE; pc = ci_savedpc(ci);
              if (fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
            }
          }
        }
        break;
      }
      case OP.SETLIST: {                                // R[A][C+i] := R[A+i], 1 <= i <= B
        if (!ttistable(ra)) {                           // only debug.setlocal can break this invariant
          savestate(L, ci, pc);
          luaG_runerrorstr(L, "table constructor target is not a table");
          return RAISED;
        }
        let n = GETARG_B(i);
        let last = <u32>GETARG_C(i);
        const h = hvalue(ra);
        if (n == 0) n = <i32>((L_top(L) - ra) >> 4) - 1;
        else L_settop(L, ci_top(ci));                   // correct top in case of emergency GC
        last += <u32>n;
        if (GETARG_k(i)) { last += <u32>GETARG_Ax(load<u32>(pc)) * <u32>(MAXARG_C + 1); pc += 4; }
        if (last > ltable.asize(h)) {
          if (!ltable.canresize(<u64>last, 0)) {
            ci_setsavedpc(ci, pc);
            luaG_memerror(L);
            return RAISED;
          }
          ltable.luaH_resize(h, last, <u32>ltable.allocsizenode(h));
        }
        for (; n > 0; n--) {
          setobj2t(ltable.arrayslot(h, last - 1), ra + (<usize>n << 4));
          last--;
        }
        luaC_barrierback(L, h);
        break;
      }
      case OP.CLOSURE: {                                // R[A] := closure(KPROTO[Bx])
        luaV_pushclosure(L, p_proto(cl_proto(cl), GETARG_Bx(i)), cl, base, ra);
        savestate(L, ci, pc);
        if (!luaV_checkGC(L, ra + TVALUE_SIZE)) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        if (isfast<T>() && fastpoll) { const why = fastpolled(); if (why != CONTINUE) { ci_setsavedpc(ci, pc); return why; } }
        break;
      }
      case OP.VARARG: {                                 // R[A], R[A+1], ..., R[A+C-2] = vararg
        const n = GETARG_C(i) - 1;
        ci_setsavedpc(ci, pc);
        if (luaT_getvarargs(L, ci, savestack(L, ra), n) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        break;
      }
      case OP.VARARGPREP: {                             // (adjust vararg parameters)
        ci_setsavedpc(ci, pc);
        if (luaT_adjustvarargs(L, ci, cl_proto(cl)) != OK) return RAISED;
        base = ci_func(ci) + TVALUE_SIZE;
        break;
      }
      case OP.EXTRAARG: {                               // never executed directly
        break;
      }
      default: break;
    }
  }
  return RAISED;   // unreachable: the loop is left only by return
}

