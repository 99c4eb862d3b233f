// call.ts - calls, returns, protected frames and error unwinding (ldo.c role, without longjmp).
//
// A call is "pre-called" (luaD_precall): a Lua function gets a new CallInfo and the caller's
// execute loop continues inside it; a native runs to completion at once. pcall and xpcall are not
// ordinary natives: they push a protected CallInfo (CIST_YPCALL) and pre-call their function, so a
// Lua function under pcall runs in the same execute loop (no wasm recursion) and an error unwinds to
// the nearest protected frame (luaD_unwind) where execution simply continues.
// Natives that call back into Lua use luaD_call, which runs a nested execute bounded by a CIST_FRESH
// frame; the nesting depth is limited (LUAI_MAXCCALLS, "C stack overflow").
// Invariant: on ERR the error object is in `errobj`; nobody returns ERR without setting it.

import { LUAI_MAXCCALLS, LUAI_MAXSTACK, LUA_MINSTACK, EXTRA_STACK } from "../luaconf";
import {
  TVALUE_SIZE, ttisLclosure, ttislcf, ttisCclosure, ttisnil, clvalue, fvalue, setobj, setnilvalue,
  setbvalue, setbtvalue, setbfvalue, setsvalue, l_isfalse, ttisfunction,
} from "../object/value";
import {
  cl_proto, p_numparams, p_maxstacksize, p_code, p_isvararg, ccl_f, uv_v, uv_opennext, uv_level,
  luaF_newopenupval, luaF_closeupval, uv_setopennext,
} from "../object/func";
import {
  L_top, L_settop, L_ci, L_setci, L_stack, L_openupval, L_setopenupval, L_tbclist, L_settbclist,
  L_errfunc, L_seterrfunc, L_nCcalls, L_setnCcalls, getCcalls, nextci, hasstack, luaD_growstack,
  ci_func, ci_setfunc, ci_top, ci_settop, ci_previous, ci_savedpc, ci_setsavedpc, ci_nresults,
  ci_setnresults, ci_callstatus, ci_setcallstatus, ci_u1, ci_setu1, ci_u2, ci_setu2, ci_nextraargs,
  ci_setnextraargs,
  CIST_C, CIST_FRESH, CIST_YPCALL, CIST_XPCALL, CIST_TAIL, ERR, OK, LUA_MULTRET, errobj, savestack,
  restorestack, incnny, decnny, LUA_OK, LUA_ERRRUN, LUA_ERRMEM, LUA_YIELD, isLua, yieldable, mainthread, L_setstatus,
  CIST_FINISHOP, CIST_CONT, CIST_CLSERR,
  L_baseci, L_stacksize, luaD_reallocstack, tbc_push, tbc_below, L_status,
} from "./state";
import { luaT_gettmbyobj, TM } from "./tm";
import { luaS_new } from "../object/string";
import {
  luaG_callerror, luaG_runerrorstr, luaG_errormsg, luaG_errerr, memerr, clearargfail, luaG_argerrorstr, luaG_argtypeerror,
} from "./debug";
import { luaV_execute } from "./execute";
import { killed } from "./budget";
import { lua_CFunction } from "./api";
import { hookactive, luaD_hookccall, luaD_rethook } from "./hook";
import { luaC_runallfinalizers } from "../gc/collect";
import { lua_monotonic } from "../sys/imports";
import { GET_OPCODE, GETARG_B, testITMode } from "./opcodes";

/** Result of luaD_precall when it raised an error (never a valid CallInfo address). */
// @ts-ignore: decorator
@inline export const PRECALL_ERR: usize = 1;
/** Result of luaD_precall when coroutine.yield suspended the thread (never a valid address). */
// @ts-ignore: decorator
@inline export const PRECALL_YIELD: usize = 2;

// ==== Stack checks ====

/** Ensures n free slots, raising "stack overflow" when impossible. Returns OK/ERR; may move the stack. */
export function luaD_checkstack(L: usize, n: i32): i32 {
  if (hasstack(L, n)) return OK;
  if (L_stacksize(L) > LUAI_MAXSTACK) return luaG_errerr(L);   // already handling a stack overflow
  if (!luaD_growstack(L, n)) return stackoverflow(L);
  return OK;
}

function stackoverflow(L: usize): i32 {
  // leave room for the message handler and error objects
  return luaG_runerrorstr(L, "stack overflow");
}

// ==== __call ====

/**
 * Replaces a non-function at `func` by its __call metamethod, shifting the arguments up one slot
 * (tryfuncTM). Returns the (possibly moved) func slot, or 0 after raising an error.
 */
export function tryfuncTM(L: usize, func: usize): usize {
  const tm = luaT_gettmbyobj(func, TM.CALL);
  if (ttisnil(tm)) { luaG_callerror(L, func); return 0; }
  const off = savestack(L, func);
  if (luaD_checkstack(L, 1) != OK) return 0;
  func = restorestack(L, off);
  for (let p = L_top(L); p > func; p -= TVALUE_SIZE) setobj(p, p - TVALUE_SIZE);
  L_settop(L, L_top(L) + TVALUE_SIZE);
  setobj(func, luaT_gettmbyobj(func + TVALUE_SIZE, TM.CALL));
  return func;
}

// ==== Pre-call / post-call ====

/**
 * Prepares the call of the function at `func` with arguments up to top (luaD_precall).
 * Returns the new CallInfo for a Lua function (the caller continues executing it), 0 when a native
 * ran to completion (its results adjusted at func), or PRECALL_ERR after an error.
 */
export function luaD_precall(L: usize, func: usize, nresults: i32): usize {
  for (;;) {
    if (ttisLclosure(func)) {
      const p = cl_proto(clvalue(func));
      const fsize = p_maxstacksize(p);
      if (!hasstack(L, fsize)) {
        const off = savestack(L, func);
        if (luaD_checkstack(L, fsize) != OK) return PRECALL_ERR;
        func = restorestack(L, off);
      }
      let narg = <i32>((L_top(L) - func) >> 4) - 1;
      const nfixparams = p_numparams(p);
      const ci = nextci(L);
      ci_setfunc(ci, func);
      ci_setnresults(ci, nresults);
      ci_setcallstatus(ci, 0);
      ci_settop(ci, func + TVALUE_SIZE + (<usize>fsize << 4));
      ci_setsavedpc(ci, p_code(p));
      for (; narg < nfixparams; narg++) { setnilvalue(L_top(L)); L_settop(L, L_top(L) + TVALUE_SIZE); }
      return ci;
    }
    if (ttislcf(func) || ttisCclosure(func)) {
      const f: u32 = ttislcf(func) ? fvalue(func) : ccl_f(clvalue(func));
      if (f == pcallfn) return precallpcall(L, func, nresults, false);
      if (f == xpcallfn) return precallpcall(L, func, nresults, true);
      if (f == yieldfn) return precallyield(L, func, nresults);
      return precallC(L, func, nresults, f);
    }
    func = tryfuncTM(L, func);        // not a function: try __call
    if (func == 0) return PRECALL_ERR;
  }
  return PRECALL_ERR;   // unreachable
}

/**
 * Calls a native to completion and moves its results (precallC). The hot path of every library
 * call, so the next CallInfo (already allocated after the first call at this depth) and the usual
 * one-result return are taken inline; anything else goes through nextci / luaD_poscall.
 */
function precallC(L: usize, func: usize, nresults: i32, f: u32): usize {
  if (!hasstack(L, LUA_MINSTACK)) {
    const off = savestack(L, func);
    if (luaD_checkstack(L, LUA_MINSTACK) != OK) return PRECALL_ERR;
    func = restorestack(L, off);
  }
  let ci = ci_nextci_of(L_ci(L));
  if (ci != 0) L_setci(L, ci);
  else ci = nextci(L);
  ci_setfunc(ci, func);
  ci_setnresults(ci, nresults);
  ci_setcallstatus(ci, CIST_C);
  ci_settop(ci, L_top(L) + (<usize>LUA_MINSTACK << 4));
  if (hookactive && luaD_hookccall(L, ci, <i32>((L_top(L) - ci_func(ci)) >> 4) - 1) != OK) return PRECALL_ERR;
  clearargfail();
  const n = changetype<lua_CFunction>(<usize>f)(L);
  if (n < 0) {
    if (n == NATIVE_CALLK) return docallk(L, ci);
    if (n == NATIVE_YIELD) return nativeyield(L, ci);
    return PRECALL_ERR;
  }
  if (hookactive && luaD_rethook(L, ci, n) != OK) return PRECALL_ERR;
  if (n == nresults) {                           // as many results as wanted (the usual case)
    const res = ci_func(ci);
    const first = L_top(L) - (<usize>n << 4);
    for (let i = 0; i < n; i++) setobj(res + (<usize>i << 4), first + (<usize>i << 4));
    L_settop(L, res + (<usize>n << 4));
    L_setci(L, ci_previous(ci));
  } else luaD_poscall(L, ci, n);
  return 0;
}

// ==== Continuations (lua_callk) ====
// A native that must call Lua code which may yield (pairs' __pairs, dofile's chunk) does not call
// it with luaD_call: it pushes the function and its arguments and returns luaD_callk(L, nargs,
// nresults, k). The call then runs as a frame of the calling loop (so it can yield), with the
// native's frame kept below it (so tracebacks show the native, as in PUC); when it returns, `k` runs
// with the results on the native's stack top and finishes the native (it may itself return ERR or
// another luaD_callk).

/** Returned by a native that asked for a call with continuation (see luaD_callk). */
// @ts-ignore: decorator
@inline export const NATIVE_CALLK: i32 = -3;
let callk_nargs: i32 = 0;
let callk_nresults: i32 = 0;
let callk_k: u32 = 0;

/** For natives: `return luaD_callk(L, nargs, nresults, k)` after pushing a function and its args. */
export function luaD_callk(L: usize, nargs: i32, nresults: i32, k: lua_CFunction): i32 {
  callk_nargs = nargs;
  callk_nresults = nresults;
  callk_k = <u32>changetype<usize>(k);
  return NATIVE_CALLK;
}

/** Starts the call a native requested; completes the native at once if the callee is native too. */
function docallk(L: usize, ci: usize): usize {
  for (;;) {
    ci_setcallstatus(ci, ci_callstatus(ci) | CIST_CONT);
    ci_setu1(ci, <i32>callk_k);
    const func = L_top(L) - (<usize>(callk_nargs + 1) << 4);
    const r = luaD_precall(L, func, callk_nresults);
    if (r != 0) return r;                        // Lua frame (runs in the loop), error or yield
    const n = runcont(L, ci);                    // the callee was native and is done
    if (n >= 0) { luaD_poscall(L, ci, n); return 0; }
    if (n != NATIVE_CALLK) return PRECALL_ERR;
  }
  return PRECALL_ERR;   // unreachable
}

// ==== Awaiting (async calls, docs/VM.md "Async calls") ====
// An async call from the host (embed/bridge.ts lua_eval_async) runs its chunk as the body of a thread
// of its own, `asyncroot`, resumed by the host like a coroutine. When a JS function called by Lua
// returns a promise, its native frame suspends the thread as lua_yieldk does in PUC: it returns
// luaD_yieldk(L, k), the frame stays (CIST_CONT, continuation k) and LUA_YIELD travels up to the
// resume, keeping every CallInfo; when the host resumes the thread, k finishes the native with the
// settled value. A coroutine resumed inside the call passes such a suspension up to its resumer
// (lib/coroutine.ts), so the whole chain down to the root suspends, and resumes again top-down.
// The root also pauses every ~SLICE_MS of running Lua (luaD_pause, from the execute loop's driver), so
// the host can let its event loop run. Only where every frame up to the root can suspend (`asyncok`:
// set for the root, cleared by a resume from a non-yieldable context; and the thread itself
// yieldable: no native like table.sort's comparator in between) may a thread await or pause; an await
// elsewhere is "attempt to yield across a C-call boundary". coroutine.yield in the root's own frames
// is "attempt to yield from outside a coroutine", as in a main chunk.
// Invariant: a thread is awaiting (isawaiting) iff its status is LUA_YIELD and its L.ci is a native
// frame with CIST_CONT (an await) or a Lua frame (a pause); such a thread is only ever resumed by its
// resumer's continuation or, for the root, by the host.

/** Returned by a native that suspends its thread (see luaD_yieldk). */
// @ts-ignore: decorator
@inline export const NATIVE_YIELD: i32 = -4;

/** The thread of the running or suspended async call (0: none). */
export let asyncroot: usize = 0;
export function setasyncroot(co: usize): void { asyncroot = co; }
/** Every frame from the running thread up to the async root can suspend (see above). */
export let asyncok: bool = false;
export function setasyncok(on: bool): void { asyncok = on; }
/** Why the root suspended: 1 a JS function's promise (an await), 2 a pause (a time slice ended). */
export let suspendwhy: i32 = 0;

/** Running Lua between two pauses of an async call, in ms. */
// @ts-ignore: decorator
@inline const SLICE_MS: f64 = 15;
/** Host clock (lua_monotonic) when the async call's current slice began. */
let slicestart: f64 = 0;
export function setslicestart(t: f64): void { slicestart = t; }

/** True when thread L may suspend the async call now (an await or a pause). */
export function luaD_canawait(L: usize): bool { return asyncok && L != mainthread && yieldable(L); }

/** True when thread co is suspended by an await or a pause (see the invariant above). */
export function isawaiting(co: usize): bool {
  if (L_status(co) != <u8>LUA_YIELD) return false;
  const ci = L_ci(co);
  return isLua(ci) || (ci_callstatus(ci) & CIST_CONT) != 0;
}

/** For natives: `return luaD_yieldk(L, k)` suspends the async call; k(L) finishes the native on resume. */
export function luaD_yieldk(L: usize, k: lua_CFunction): i32 {
  callk_k = <u32>changetype<usize>(k);
  return NATIVE_YIELD;
}

/**
 * A native asked to suspend (luaD_yieldk): its frame `ci` stays, waiting for its continuation.
 * PRECALL_YIELD, or PRECALL_ERR where the async call cannot suspend.
 */
function nativeyield(L: usize, ci: usize): usize {
  if (!luaD_canawait(L)) {
    if (L == mainthread) luaG_runerrorstr(L, "attempt to yield from outside a coroutine");
    else luaG_runerrorstr(L, "attempt to yield across a C-call boundary");
    return PRECALL_ERR;
  }
  luaD_markawait(L, ci);
  return PRECALL_YIELD;
}

/** Marks native frame ci of L as suspended until its continuation (callk_k) runs. */
export function luaD_markawait(L: usize, ci: usize): void {
  ci_setcallstatus(ci, ci_callstatus(ci) | CIST_CONT);
  ci_setu1(ci, <i32>callk_k);
  L_setstatus(L, <u8>LUA_YIELD);
}

/** Records why the root suspends (1 await, 2 pause); the host reads it from the result area. */
export function setsuspendwhy(w: i32): void { suspendwhy = w; }

/**
 * Called by the execute loop's driver between two entries of the loop (L.ci's savedpc is before an
 * instruction nothing has charged or traced yet): true when the async call's slice is over and L can
 * pause; L is then suspended at that instruction (LUA_YIELD with a Lua frame as L.ci), to continue
 * exactly there when resumed. As PUC's hook yield does, the frame's top covers its registers unless
 * the instruction reads the top a previous one set (isIT).
 */
export function luaD_pause(L: usize): bool {
  if (!luaD_canawait(L) || lua_monotonic() - slicestart < SLICE_MS) return false;
  const ci = L_ci(L);
  const i = load<u32>(ci_savedpc(ci));
  if (!(testITMode(GET_OPCODE(i)) && GETARG_B(i) == 0)) L_settop(L, ci_top(ci));
  suspendwhy = 2;
  L_setstatus(L, <u8>LUA_YIELD);
  return true;
}

/** Runs the continuation of native frame `ci` (now the running frame again). */
export function runcont(L: usize, ci: usize): i32 {
  L_setci(L, ci);
  ci_setcallstatus(ci, ci_callstatus(ci) & ~CIST_CONT);
  clearargfail();
  return changetype<lua_CFunction>(<usize><u32>ci_u1(ci))(L);
}

/** Moves `nres` results from the top to the frame's function slot, as many as wanted (moveresults). */
export function luaD_poscall(L: usize, ci: usize, nres: i32): void {
  const wanted = ci_nresults(ci);
  const res = ci_func(ci);
  const first = L_top(L) - (<usize>nres << 4);
  if (wanted == 1) {
    if (nres == 0) setnilvalue(res); else setobj(res, first);
    L_settop(L, res + TVALUE_SIZE);
  } else if (wanted == 0) {
    L_settop(L, res);
  } else {
    const n = wanted == LUA_MULTRET ? nres : wanted;
    const ncopy = nres < n ? nres : n;
    for (let i = 0; i < ncopy; i++) setobj(res + (<usize>i << 4), first + (<usize>i << 4));
    for (let i = ncopy; i < n; i++) setnilvalue(res + (<usize>i << 4));
    L_settop(L, res + (<usize>n << 4));
  }
  L_setci(L, ci_previous(ci));
}

// ==== pcall / xpcall as frames ====

/** Function-table indices of pcall, xpcall and coroutine.yield, registered by their libraries. */
export let pcallfn: u32 = 0xFFFFFFFF;
export let xpcallfn: u32 = 0xFFFFFFFF;
export let yieldfn: u32 = 0xFFFFFFFF;
export function setpcallfns(p: u32, xp: u32): void { pcallfn = p; xpcallfn = xp; }
export function setyieldfn(y: u32): void { yieldfn = y; }

/**
 * coroutine.yield(...): pushes the yield's frame and suspends the thread. The execute loop returns
 * LUA_YIELD up to the resume that runs this coroutine; the yielded values are the frame's arguments.
 * On the next resume, the frame returns the resume's arguments as its results (see vm/coro.ts).
 */
function precallyield(L: usize, func: usize, nresults: i32): usize {
  const ci = nextci(L);
  ci_setfunc(ci, func);
  ci_setnresults(ci, nresults);
  ci_setcallstatus(ci, CIST_C);
  ci_settop(ci, L_top(L) + (<usize>LUA_MINSTACK << 4));
  if (hookactive && luaD_hookccall(L, ci, <i32>((L_top(L) - func) >> 4) - 1) != OK) return PRECALL_ERR;
  if (!yieldable(L) || L == asyncroot) {           // an async call's body is a main chunk to Lua
    if (L == mainthread || L == asyncroot) luaG_runerrorstr(L, "attempt to yield from outside a coroutine");
    else luaG_runerrorstr(L, "attempt to yield across a C-call boundary");
    return PRECALL_ERR;
  }
  L_setstatus(L, <u8>LUA_YIELD);
  return PRECALL_YIELD;
}

/**
 * pcall(f, ...) / xpcall(f, msgh, ...): pushes a protected frame, then pre-calls f. For xpcall the
 * handler is swapped below f and its stack offset becomes the thread's errfunc.
 */
function precallpcall(L: usize, func: usize, nresults: i32, isx: bool): usize {
  const nargs = <i32>((L_top(L) - func) >> 4) - 1;
  if (!hasstack(L, LUA_MINSTACK)) {
    const off = savestack(L, func);
    if (luaD_checkstack(L, LUA_MINSTACK) != OK) return PRECALL_ERR;
    func = restorestack(L, off);
  }
  const ci = nextci(L);
  ci_setfunc(ci, func);
  ci_setnresults(ci, nresults);
  ci_setcallstatus(ci, CIST_C);                // not protected yet: argument errors go to the caller
  ci_settop(ci, L_top(L) + (<usize>LUA_MINSTACK << 4));
  ci_setu1(ci, L_errfunc(L));
  clearargfail();
  if (isx) {
    // xpcall(f, msgh, ...): the handler must be a function (luaL_checktype(L, 2, LUA_TFUNCTION))
    if (nargs < 2 || !ttisfunction(func + 2 * TVALUE_SIZE)) { luaG_argtypeerror(L, 2, "function"); return PRECALL_ERR; }
  } else if (nargs < 1) {
    return argerror_value_expected(L, 1);            // "bad argument #1 to 'pcall' (value expected)"
  }
  // a protected call counts as a C level, as lua_pcall does in PUC: ~200 nested pcalls are
  // "C stack overflow" (this also bounds error-message growth in runaway pcall recursion)
  if (getCcalls(L) >= <u32>LUAI_MAXCCALLS) {
    luaG_runerrorstr(L, "C stack overflow");
    return PRECALL_ERR;
  }
  ci_setu2(ci, <i32>L_nCcalls(L));                 // restored when an error is caught here
  L_setnCcalls(L, L_nCcalls(L) + 1);
  ci_setcallstatus(ci, CIST_C | CIST_YPCALL | (isx ? CIST_XPCALL : 0));
  if (hookactive && luaD_hookccall(L, ci, nargs) != OK) return PRECALL_ERR;
  func = ci_func(ci);                          // the hook may have moved the stack
  let f = func + TVALUE_SIZE;
  if (isx) {
    // [xpcall][f][msgh][args] -> [xpcall][msgh][f][args]
    const tmp = memory.data(16);
    setobj(tmp, f); setobj(f, f + TVALUE_SIZE); setobj(f + TVALUE_SIZE, tmp);
    L_seterrfunc(L, savestack(L, f));
    f += TVALUE_SIZE;
  } else {
    L_seterrfunc(L, 0);                        // pcall: errors are not seen by outer handlers
  }
  const fo = savestack(L, f);
  const r = luaD_precall(L, f, LUA_MULTRET);
  if (r == PRECALL_ERR) return PRECALL_ERR;
  if (r != 0) return r;                        // Lua function: runs in the caller's loop
  finishpcall(L, ci, restorestack(L, fo));     // native finished: complete the pcall now
  return 0;
}

function argerror_value_expected(L: usize, arg: i32): usize {
  luaG_argerrorstr(L, arg, "value expected");
  return PRECALL_ERR;
}

/** Completes a pcall/xpcall frame whose function returned normally: results become true, .... */
function finishpcall(L: usize, ci: usize, fslot: usize): void {
  const func = ci_func(ci);
  const resstart = fslot - TVALUE_SIZE;        // slot just below f's results: holds `true`
  setbtvalue(resstart);
  const n = <i32>((L_top(L) - resstart) >> 4);
  L_seterrfunc(L, ci_u1(ci));
  L_setnCcalls(L, <u32>ci_u2(ci));
  if (resstart != func) {
    // xpcall: shift results down over the handler slot
    for (let i = 0; i < n; i++) setobj(func + TVALUE_SIZE + (<usize>i << 4) - TVALUE_SIZE, resstart + (<usize>i << 4));
    L_settop(L, func + (<usize>n << 4));
  }
  if (hookactive) luaD_rethook(L, ci, n);          // (an error in this hook is not propagated here)
  luaD_poscall(L, ci, n);
}

/**
 * Called by the execute loop when control returns to a native frame (only protected frames can be
 * returned to inside a loop). Completes such frames one after another; returns true if a completed
 * frame was the loop's entry frame (the loop must return), false when L.ci is a Lua frame again.
 */
export function luaD_finishCframes(L: usize): i32 {
  for (;;) {
    const ci = L_ci(L);
    if (isLua(ci)) return FINISH_CONTINUE;
    const st = ci_callstatus(ci);
    if ((st & CIST_CONT) != 0) {                 // a native waiting for its call: run its continuation
      let n = runcont(L, ci);
      if (n == NATIVE_YIELD) {                   // it suspends the async call again
        if (nativeyield(L, ci) == PRECALL_ERR) return FINISH_ERR;
        return FINISH_YIELD;
      }
      if (n == NATIVE_CALLK) {
        const r = docallk(L, ci);
        if (r == PRECALL_ERR) return FINISH_ERR;
        if (r == PRECALL_YIELD) return FINISH_YIELD;
        if (r != 0) return FINISH_CONTINUE;     // a new Lua frame to run
        n = -100;                                // docallk completed the native already
      } else if (n < 0) return FINISH_ERR;
      else luaD_poscall(L, ci, n);
    } else if ((st & CIST_CLSERR) != 0) {        // a pcall closing variables after an error (a __close yielded)
      const e = L_top(L) - TVALUE_SIZE;          // the pending error, left below the __close's slot
      setobj(errobj, e);
      L_settop(L, e);
      if (closepcallerr(L, ci) == LUA_YIELD) return FINISH_YIELD;
    } else {
      // results of the protected function start right after the function slot (pcall) or handler (xpcall)
      const fslot = ci_func(ci) + ((st & CIST_XPCALL) != 0 ? 2 * TVALUE_SIZE : TVALUE_SIZE);
      finishpcall(L, ci, fslot);
    }
    if ((st & CIST_FRESH) != 0) return FINISH_DONE;
  }
  return FINISH_CONTINUE;   // unreachable
}
/** Results of luaD_finishCframes. */
// @ts-ignore: decorator
@inline export const FINISH_CONTINUE: i32 = 0;   // L.ci is a Lua frame to run
// @ts-ignore: decorator
@inline export const FINISH_DONE: i32 = 1;       // the loop's entry frame completed
// @ts-ignore: decorator
@inline export const FINISH_ERR: i32 = 2;        // a continuation raised an error
// @ts-ignore: decorator
@inline export const FINISH_YIELD: i32 = 3;      // a continuation's call yielded

// ==== Unwinding ====

/**
 * The frame (of thread errL) where the error now escaping its execute invocation(s) was raised:
 * set by the first luaD_unwind that finds no protected frame, cleared when one catches an error and
 * when a native starts a call. A coroutine that dies by the error keeps it as its L.ci, so
 * debug.traceback(co) shows where it died (PUC keeps the dead coroutine's frames).
 */
let errci: usize = 0;
let errL: usize = 0;

/** Forgets the recorded error frame (see errci). */
export function clearerrci(): void { errci = 0; }

/** The recorded error frame if it belongs to thread L, else 0; forgets it either way. */
export function takeerrci(L: usize): usize {
  const ci = errL == L ? errci : 0;
  errci = 0;
  return ci;
}

/** Result of luaD_unwind when a __close run by the caught error yielded (never a valid address). */
// @ts-ignore: decorator
@inline export const UNWIND_YIELD: usize = 2;

/**
 * Unwinds after an error, down to the nearest protected frame at or above `entryci` (inclusive).
 * If one is found, closes upvalues/tbc variables above it, makes it return false, errobj, and
 * returns that frame (now popped: L.ci is its caller). Returns 0 if there is none in range; then
 * L.ci is set to entryci's caller so the native that started this loop sees a consistent state.
 * Returns UNWIND_YIELD when a __close yielded (the frame stays, marked CIST_CLSERR, and
 * luaD_finishCframes goes on closing when the __close returns).
 */
export function luaD_unwind(L: usize, entryci: usize): usize {
  let ci = L_ci(L);
  for (;;) {
    const st = ci_callstatus(ci);
    if ((st & CIST_YPCALL) != 0 && killed == 0) break;   // a spent budget is not catchable
    // the first fresh frame bounds this execute invocation (entryci, or a coroutine's body frame)
    if ((st & CIST_FRESH) != 0 || ci == L_baseci(L)) {
      if (errci == 0) { errci = L_ci(L); errL = L; }   // innermost frame of the escaping error
      L_setci(L, ci_previous(ci));
      return 0;
    }
    ci = ci_previous(ci);
  }
  errci = 0;
  clearargfail();
  L_setci(L, ci);
  L_setnCcalls(L, <u32>ci_u2(ci));
  ci_setcallstatus(ci, ci_callstatus(ci) | CIST_CLSERR);
  if (closepcallerr(L, ci) == LUA_YIELD) return UNWIND_YIELD;
  if (L_stacksize(L) > LUAI_MAXSTACK) shrinkoverflow(L);
  return ci;
}

/**
 * After a caught stack overflow: gives back the error zone (ERRORSTACKSIZE) as luaD_pcall's
 * luaD_shrinkstack does, so the next overflow again has room for its message handler instead of
 * becoming "error in error handling". May move the stack.
 */
function shrinkoverflow(L: usize): void {
  let lim = L_top(L);
  for (let ci = L_ci(L); ci != 0; ci = ci_previous(ci)) if (ci_top(ci) > lim) lim = ci_top(ci);
  const inuse = <i32>((lim - L_stack(L)) >> 4) + 1;
  if (inuse <= LUAI_MAXSTACK) luaD_reallocstack(L, inuse > LUAI_MAXSTACK / 2 ? LUAI_MAXSTACK : inuse * 2);
}

/**
 * Closes the upvalues and tbc variables of protected frame `ci` (the running frame) with the error
 * in errobj (a __close may yield: finishpcallk's role), then makes it return false, errobj.
 * Returns OK, or LUA_YIELD when a __close yielded (the error stays on the stack top).
 */
function closepcallerr(L: usize, ci: usize): i32 {
  const foff = savestack(L, ci_func(ci));
  // errors in __close still see this frame's handler (xpcall's, none for pcall), as in PUC
  L_seterrfunc(L, (ci_callstatus(ci) & CIST_XPCALL) != 0 ? savestack(L, ci_func(ci) + TVALUE_SIZE) : 0);
  if (luaF_close(L, ci_func(ci) + TVALUE_SIZE, true, true) == LUA_YIELD) { pendingyield = false; return LUA_YIELD; }
  L_seterrfunc(L, ci_u1(ci));
  ci_setcallstatus(ci, ci_callstatus(ci) & ~CIST_CLSERR);
  const f2 = restorestack(L, foff);
  setbfvalue(f2);
  setobj(f2 + TVALUE_SIZE, errobj);
  setnilvalue(errobj);                             // delivered: errobj no longer keeps it alive
  L_settop(L, f2 + 2 * TVALUE_SIZE);
  if (hookactive) luaD_rethook(L, ci, 2);          // pcall returning (false, msg): its return hook
  luaD_poscall(L, ci, 2);
  return OK;
}

// ==== Calls from natives ====

/**
 * Counts one more C level (`inc` also carries the non-yieldable count) and checks the limit as PUC's
 * luaE_checkcstack does: exactly LUAI_MAXCCALLS levels is "C stack overflow"; the next few are
 * allowed, so the message handler of that error can still run; from 220 on it is "error in error
 * handling". On error the level is given back and ERR returned.
 */
function enterCcall(L: usize, inc: u32): i32 {
  L_setnCcalls(L, L_nCcalls(L) + inc);
  const c = getCcalls(L);
  if (c < <u32>LUAI_MAXCCALLS) return OK;
  let st = OK;
  if (c == <u32>LUAI_MAXCCALLS) st = luaG_runerrorstr(L, "C stack overflow");
  else if (c >= <u32>(LUAI_MAXCCALLS / 10 * 11)) st = luaG_errerr(L);
  if (st != OK) L_setnCcalls(L, L_nCcalls(L) - inc);
  return st;
}

/** Calls the function at `func` (args above it) from native code; results at func (luaD_call). */
export function luaD_call(L: usize, func: usize, nresults: i32): i32 {
  errci = 0;
  // nested executes can never yield (only a coroutine's own loop, run by resume, can)
  if (enterCcall(L, 1 + 0x10000) != OK) return ERR;
  const old = L_ci(L);
  const r = luaD_precall(L, func, nresults);
  let status = OK;
  if (r == PRECALL_ERR) status = ERR;
  else if (r != 0) {
    const entry = ci_nextci_of(old);
    ci_setcallstatus(entry, ci_callstatus(entry) | CIST_FRESH);
    status = luaV_execute(L, entry);
  }
  L_setnCcalls(L, L_nCcalls(L) - 1 - 0x10000);
  return status;
}
// @ts-ignore: decorator
@inline function ci_nextci_of(ci: usize): usize { return load<usize>(ci, 12); }

/** Set when luaD_callmm returned LUA_YIELD, so the execute loop's error path can tell a yield. */
export let pendingyield: bool = false;
export function clearpendingyield(): void { pendingyield = false; }

/**
 * Calls a metamethod from a VM slow path (luaT_callTMres): like luaD_call but yieldable. If the
 * coroutine yields inside, the metamethod's frame is marked CIST_FINISHOP (and is no longer a
 * loop boundary) and LUA_YIELD is returned all the way to resume; the wasm frames in between are
 * abandoned. When the resumed metamethod returns, luaV_finishOp completes the caller's instruction.
 */
export function luaD_callmm(L: usize, func: usize, nresults: i32): i32 {
  // only calls made by the VM itself (a Lua frame is running) may yield; a native that reaches a
  // metamethod through ops.ts (table.insert on a proxy, say) cannot be suspended
  return callyieldable(L, func, nresults, isLua(L_ci(L)));
}

/** luaD_callmm's body; `yy` false makes the call non-yieldable (as luaD_call). */
function callyieldable(L: usize, func: usize, nresults: i32, yy: bool): i32 {
  const inc: u32 = yy ? 1 : 1 + 0x10000;
  if (enterCcall(L, inc) != OK) return ERR;
  const old = L_ci(L);
  const r = luaD_precall(L, func, nresults);
  let status = OK;
  if (r == PRECALL_ERR) status = ERR;
  else if (r == PRECALL_YIELD) {                     // the metamethod is coroutine.yield itself
    ci_setcallstatus(L_ci(L), ci_callstatus(L_ci(L)) | CIST_FINISHOP);
    status = LUA_YIELD;
  } else if (r != 0) {
    const entry = ci_nextci_of(old);
    ci_setcallstatus(entry, ci_callstatus(entry) | CIST_FRESH);
    status = luaV_execute(L, entry);
    if (status == LUA_YIELD) ci_setcallstatus(entry, (ci_callstatus(entry) & ~CIST_FRESH) | CIST_FINISHOP);
  }
  L_setnCcalls(L, L_nCcalls(L) - inc);
  if (status == LUA_YIELD) pendingyield = true;
  return status;
}

/** luaD_call in a non-yieldable context (natives that call back into Lua); same as luaD_call. */
export function luaD_callnoyield(L: usize, func: usize, nresults: i32): i32 {
  return luaD_call(L, func, nresults);
}

/**
 * Protected call from the host or a library (luaD_pcall): on error restores the frame list, closes
 * upvalues above func, leaves the error object at func (top = func + 1) and returns LUA_ERRRUN, or
 * LUA_ERRMEM for a memory error.
 */
export function luaD_pcall(L: usize, func: usize, nresults: i32): i32 {
  const oldci = L_ci(L);
  const oldn = L_nCcalls(L);
  const olderr = L_errfunc(L);
  const foff = savestack(L, func);
  const st = luaD_call(L, func, nresults);
  if (st == OK) return LUA_OK;
  const status = memerr ? LUA_ERRMEM : LUA_ERRRUN;  // a memory error keeps its own status
  errci = 0;                                         // caught here: its frame (freed soon) no longer escapes
  L_setci(L, oldci);
  L_setnCcalls(L, oldn);
  L_seterrfunc(L, olderr);
  luaF_close(L, restorestack(L, foff), true);
  const f = restorestack(L, foff);
  setobj(f, errobj);
  setnilvalue(errobj);                             // delivered (callers read it at f)
  L_settop(L, f + TVALUE_SIZE);
  clearargfail();
  if (L_stacksize(L) > LUAI_MAXSTACK) shrinkoverflow(L);
  return status;
}

// ==== Upvalues and to-be-closed variables (lfunc.c parts that need the thread) ====

/** The open upvalue for stack slot `level`, creating it in order if needed (luaF_findupval). */
export function luaF_findupval(L: usize, level: usize): usize {
  let prev: usize = 0;
  let p = L_openupval(L);
  while (p != 0 && uv_v(p) >= level) {
    if (uv_v(p) == level) return p;
    prev = p;
    p = uv_opennext(p);
  }
  const uv = luaF_newopenupval(level, savestack(L, level), p);
  if (prev == 0) L_setopenupval(L, uv); else uv_setopennext(prev, uv);
  return uv;
}

/** Closes every open upvalue at or above `level` (luaF_closeupval). */
export function luaF_closeupvals(L: usize, level: usize): void {
  let uv = L_openupval(L);
  while (uv != 0 && uv_v(uv) >= level) {
    const nx = uv_opennext(uv);
    luaF_closeupval(uv);
    uv = nx;
  }
  L_setopenupval(L, uv);
}

/**
 * Marks slot `obj` as a to-be-closed variable (luaF_newtbcupval). Values false/nil are ignored;
 * a value without __close is the error "variable 'x' got a non-closable value" (name from the caller).
 * The list is linked through the slots (vm/state.ts tbc_push).
 */
export function luaF_newtbcupval(L: usize, obj: usize): bool {
  if (l_isfalse(obj)) return true;
  if (ttisnil(luaT_gettmbyobj(obj, TM.CLOSE))) return false;
  tbc_push(L, obj);
  return true;
}

/**
 * Closes upvalues and calls __close of tbc variables at or above `level` (luaF_close), in reverse
 * order. With `iserr` the error object (errobj) is passed as the second argument, an error in a
 * __close replaces it and the remaining variables are still closed (result OK, or ERR if one was
 * replaced). Without it, the first error in a __close stops and returns ERR (the unwinding then
 * closes the rest with that error, as PUC's throw does).
 * The pending error is kept in a stack slot meanwhile (as PUC keeps it at level + 1): a __close may
 * run pcalls of its own, which overwrite errobj.
 * With `yy` the __close calls may yield: then LUA_YIELD is returned with the error slot at the top
 * below the suspended __close, and the caller's continuation calls luaF_close again when it returns
 * (luaV_finishOp repeats OP_CLOSE/OP_RETURN; luaD_finishCframes resumes a pcall's error closing).
 */
export function luaF_close(L: usize, level: usize, iserr: bool, yy: bool = false): i32 {
  const loff = savestack(L, level);
  luaF_closeupvals(L, level);
  if (L_tbclist(L) == 0 || L_tbclist(L) < level) return OK;
  if (luaD_checkstack(L, 4) != OK) return ERR;
  const eoff = savestack(L, L_top(L));
  if (iserr) setobj(L_top(L), errobj); else setnilvalue(L_top(L));
  L_settop(L, L_top(L) + TVALUE_SIZE);
  let status = OK;
  while (L_tbclist(L) != 0 && L_tbclist(L) >= restorestack(L, loff)) {
    if (luaD_checkstack(L, 3) != OK) {
      if (!iserr) return ERR;
      status = ERR; setobj(restorestack(L, eoff), errobj); break;
    }
    const tbc = L_tbclist(L);
    L_settbclist(L, tbc_below(tbc));
    // call tm(obj, err)
    const top = L_top(L);
    const tm = luaT_gettmbyobj(tbc, TM.CLOSE);
    setobj(top, tm);
    setobj(top + TVALUE_SIZE, tbc);
    setobj(top + 2 * TVALUE_SIZE, restorestack(L, eoff));
    L_settop(L, top + 3 * TVALUE_SIZE);
    const r = yy ? callyieldable(L, top, 0, true) : luaD_callnoyield(L, top, 0);
    if (r == LUA_YIELD) return LUA_YIELD;
    if (r != OK) {
      if (!iserr) return ERR;
      status = ERR;
      setobj(restorestack(L, eoff), errobj);
    }
  }
  const e = restorestack(L, eoff);
  if (iserr) setobj(errobj, e);
  L_settop(L, e);
  return status;
}

// ==== Varargs ====

/**
 * Adjusts a vararg frame on entry (luaT_adjustvarargs): copies the function and fixed parameters
 * above the actual arguments, so varargs stay below the new frame. Returns OK/ERR.
 */
export function luaT_adjustvarargs(L: usize, ci: usize, p: usize): i32 {
  const nfixparams = p_numparams(p);
  const actual = <i32>((L_top(L) - ci_func(ci)) >> 4) - 1;
  const nextra = actual - nfixparams;
  ci_setnextraargs(ci, nextra);
  const need = p_maxstacksize(p) + 1;
  if (!hasstack(L, need)) {
    if (luaD_checkstack(L, need) != OK) return ERR;
  }
  const func = ci_func(ci);
  let top = L_top(L);
  setobj(top, func);                      // copy function to the top
  top += TVALUE_SIZE;
  for (let i = 1; i <= nfixparams; i++) {
    setobj(top, func + (<usize>i << 4));
    setnilvalue(func + (<usize>i << 4));  // erase original parameter (for the collector)
    top += TVALUE_SIZE;
  }
  const newfunc = func + (<usize>(actual + 1) << 4);
  ci_setfunc(ci, newfunc);
  ci_settop(ci, ci_top(ci) + (<usize>(actual + 1) << 4));
  L_settop(L, top);
  return OK;
}

/** Copies `wanted` varargs (-1 = all) to `where` (luaT_getvarargs). Returns OK/ERR; may move the stack. */
export function luaT_getvarargs(L: usize, ci: usize, whereoff: i32, wanted: i32): i32 {
  const nextra = ci_nextraargs(ci);
  if (wanted < 0) {
    wanted = nextra;
    if (!hasstack(L, nextra)) {
      if (luaD_checkstack(L, nextra) != OK) return ERR;
    }
    L_settop(L, restorestack(L, whereoff) + (<usize>nextra << 4));
  }
  const where = restorestack(L, whereoff);
  const src = ci_func(ci) - (<usize>nextra << 4);
  let i = 0;
  for (; i < wanted && i < nextra; i++) setobj(where + (<usize>i << 4), src + (<usize>i << 4));
  for (; i < wanted; i++) setnilvalue(where + (<usize>i << 4));
  return OK;
}

// ==== Closing the state ====

/**
 * Closes the state (lua_close): the main thread's pending to-be-closed variables and open upvalues
 * are closed, then every pending __gc finalizer runs (for all objects with one); the state is usable
 * for nothing but freeing afterwards. PUC has it in lstate.c; here it sits beside the call machinery
 * it needs, since vm/state.ts belongs to the core below the VM. The io library's buffers and the
 * output buffer are flushed by the callers (os.exit, the module's lua_close export), as C's exit()
 * flushes stdio after lua_close.
 */
export function lua_close(L: usize): void {
  const Lm = mainthread;                          // only the main thread can be closed
  // an async call's thread first: its frames are a chunk the host runs from the main thread (as
  // lua.c's main chunk, whose to-be-closed variables os.exit(code, true) closes)
  if (asyncroot != 0) luaF_close(asyncroot, L_stack(asyncroot) + TVALUE_SIZE, false);
  luaF_close(Lm, L_stack(Lm) + TVALUE_SIZE, false);
  luaC_runallfinalizers(Lm);
  void L;
}
