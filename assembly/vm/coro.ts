// coro.ts - coroutine resume, yield and close over the stackless VM (the coroutine half of ldo.c).
//
// A coroutine is a thread with its own stack and CallInfo list. resume runs the coroutine's frames
// in one execute loop (a nested wasm call, bounded by LUAI_MAXCCALLS like PUC's C stack); yield is a
// frame pushed by luaD_precall that makes that loop return LUA_YIELD, leaving every Lua frame of the
// coroutine intact in its CallInfos. The next resume returns the resume's arguments as the yield's
// results and re-enters the loop at the coroutine's current frame.
// Invariant: a coroutine's body function sits in stack slot 1 (slot 0 is the base frame's nil), so
// when the body returns, its results start there.
// Yields inside natives that call back into Lua (sort comparators, gsub callbacks, metamethods,
// which all run a nested luaD_call) are refused with "attempt to yield across a C-call boundary".

import { LUAI_MAXCCALLS } from "../luaconf";
import { TVALUE_SIZE, setobj, setsvalue } from "../object/value";
import { luaS_new } from "../object/string";
import {
  L_top, L_settop, L_ci, L_setci, L_stack, L_baseci, L_status, L_setstatus, L_nCcalls, L_setnCcalls,
  L_tbclist, L_seterrfunc, ci_func, ci_next, ci_callstatus, ci_setcallstatus, isLua, hasstack, luaD_growstack,
  LUA_OK, LUA_YIELD, LUA_ERRRUN, LUA_MULTRET, CIST_FRESH, CIST_FINISHOP, CIST_CONT, ERR, OK, errobj, yieldable,
  mainthread,
} from "./state";
import {
  luaD_precall, luaD_poscall, luaD_finishCframes, luaF_close, PRECALL_ERR, PRECALL_YIELD, luaD_unwind,
  FINISH_DONE, FINISH_ERR, FINISH_YIELD, clearerrci, takeerrci, UNWIND_YIELD, runcont, NATIVE_YIELD,
  luaD_markawait, asyncok, setasyncok, isawaiting,
} from "./call";
import { luaV_finishOp } from "./ops";
import { hookactive, luaD_rethook } from "./hook";
import { luaV_execute } from "./execute";

/** Number of results left on the coroutine's stack top by the last luaD_resume. */
export let resume_nres: i32 = 0;

/**
 * The thread whose frames are running: the main thread, or the coroutine the innermost luaD_resume
 * runs. A host entry made from inside a call (a JS function calling back, embed/entry.ts) runs on it,
 * as a C function's lua_call runs on its own lua_State.
 */
export let running: usize = 0;

/** Slot 1 of a thread's stack: where the body function (and then its results) live. */
// @ts-ignore: decorator
@inline function bodyslot(co: usize): usize { return L_stack(co) + TVALUE_SIZE; }

/** True when the coroutine can be resumed: suspended in a yield, or not started with a body. */
export function isresumable(co: usize): bool {
  const st = L_status(co);
  if (st == <u8>LUA_YIELD) return !isawaiting(co);   // an awaiting thread is resumed by its resumer only
  if (st != <u8>LUA_OK) return false;                // dead by error
  return L_ci(co) == L_baseci(co) && L_top(co) > bodyslot(co);
}

/**
 * Resumes `co` with the `nargs` values already pushed on its stack (lua_resume). `from` is the
 * resuming thread (for the nesting count). Returns LUA_OK when the body finished, LUA_YIELD when it
 * yielded (resume_nres values on co's top either way), or ERR with the error in errobj (the
 * coroutine is then dead; its error value is also kept on its top).
 */
export function luaD_resume(from: usize, co: usize, nargs: i32): i32 {
  const prev = running, prevok = asyncok;
  running = co;
  if (!yieldable(from)) setasyncok(false);          // its awaits could not pass through `from`
  const st = resume(from, co, nargs);
  running = prev;
  setasyncok(prevok);
  return st;
}

/**
 * Starts or continues the thread of an async call (vm/call.ts "Awaiting"), from the host: as
 * luaD_resume from the main thread, with awaits and pauses allowed. LUA_YIELD when it suspended.
 */
export function luaD_resumeasync(co: usize, nargs: i32): i32 {
  const prev = running, prevok = asyncok;
  running = co;
  setasyncok(true);
  const st = resume(mainthread, co, nargs);
  running = prev;
  setasyncok(prevok);
  return st;
}

function resume(from: usize, co: usize, nargs: i32): i32 {
  const ncalls = (L_nCcalls(from) & 0xFFFF) + 1;
  if (ncalls >= <u32>LUAI_MAXCCALLS) {
    setsvalue(errobj, luaS_new("C stack overflow"));
    return ERR;
  }
  L_setnCcalls(co, ncalls);                          // yieldable: no non-yieldable calls inside
  clearerrci();
  let st: i32;
  if (L_status(co) == <u8>LUA_OK) {                 // start the body
    const func = L_top(co) - (<usize>(nargs + 1) << 4);
    const r = luaD_precall(co, func, LUA_MULTRET);
    if (r == PRECALL_ERR) st = ERR;
    else if (r == PRECALL_YIELD) {
      // a native body suspended at once (coroutine.create(pcall) resumed with coroutine.yield, an
      // async call of a JS function): its frame is the boundary the finishing frames stop at
      if (L_ci(co) != L_baseci(co)) {
        const body = ci_next(L_baseci(co));
        ci_setcallstatus(body, ci_callstatus(body) | CIST_FRESH);
      }
      st = LUA_YIELD;
    }
    else if (r == 0) st = OK;                        // a native body ran to completion
    else {
      // the loop's boundary is the body's frame (which may be a protected native frame below r,
      // e.g. coroutine.create(pcall)), i.e. the frame right above the base frame
      const body = ci_next(L_baseci(co));
      ci_setcallstatus(body, ci_callstatus(body) | CIST_FRESH);
      st = luaV_execute(co, r);
    }
  } else {                                           // continue after a yield
    L_setstatus(co, <u8>LUA_OK);
    const yci = L_ci(co);
    const fop = (ci_callstatus(yci) & CIST_FINISHOP) != 0;   // yield was itself a metamethod
    if (isLua(yci)) {
      st = luaV_execute(co, yci);                    // a paused async call: on at the instruction it stopped before
    } else if ((ci_callstatus(yci) & CIST_CONT) != 0) {
      // an await (luaD_yieldk): the continuation finishes the native (the host's answer, or the
      // coroutine it resumed), or suspends again
      const n = runcont(co, yci);
      if (n == NATIVE_YIELD) {
        luaD_markawait(co, yci);
        st = LUA_YIELD;
      } else if (n < 0) st = unwindin(co);
      else {
        if (hookactive && luaD_rethook(co, yci, n) != OK) return finish(co, ERR);
        luaD_poscall(co, yci, n);
        st = continueafter(co, fop);
      }
    } else {
      if (hookactive && luaD_rethook(co, yci, nargs) != OK) return finish(co, ERR);
      luaD_poscall(co, yci, nargs);                  // the yield returns the resume's arguments
      st = continueafter(co, fop);
    }
  }
  return finish(co, st);
}

/** After the yield frame returned: completes protected frames, then runs the Lua frames. */
function continueafter(co: usize, finishop: bool): i32 {
  const ci = L_ci(co);
  if (ci == L_baseci(co)) return OK;                  // the body was the yield itself
  if (!isLua(ci)) {
    const f = luaD_finishCframes(co);                // protected frames and continuations
    if (f == FINISH_DONE) return OK;                 // the body frame completed
    if (f == FINISH_YIELD) return LUA_YIELD;
    if (f == FINISH_ERR) return unwindin(co);
  } else if (finishop) {
    const st = luaV_finishOp(co, ci);                 // complete the instruction that yielded
    if (st != OK) return st == LUA_YIELD ? st : unwindin(co);
  }
  return luaV_execute(co, L_ci(co));
}

/** An error raised while finishing an instruction: unwind inside the coroutine, as execute would. */
function unwindin(co: usize): i32 {
  const r = luaD_unwind(co, 0);
  if (r == 0) return ERR;
  if (r == UNWIND_YIELD) return LUA_YIELD;           // a __close run by the error yielded
  if ((ci_callstatus(r) & CIST_FRESH) != 0) return OK;
  return continueafter(co, false);
}

/** Records the outcome of a resume step: status, result count, kept error value. */
function finish(co: usize, st: i32): i32 {
  if (st == LUA_YIELD) {
    L_setstatus(co, <u8>LUA_YIELD);
    resume_nres = <i32>((L_top(co) - (ci_func(L_ci(co)) + TVALUE_SIZE)) >> 4);
    return LUA_YIELD;
  }
  if (st == OK) {
    L_setci(co, L_baseci(co));
    resume_nres = <i32>((L_top(co) - bodyslot(co)) >> 4);
    return LUA_OK;
  }
  // error: the coroutine is dead; keep the error value on its stack (above any pending tbc slots)
  // and its frames from where the error was raised (for debug.traceback(co))
  L_setstatus(co, <u8>LUA_ERRRUN);
  const eci = takeerrci(co);
  if (eci != 0) L_setci(co, eci);
  if (!hasstack(co, 1)) luaD_growstack(co, 1);
  setobj(L_top(co), errobj);
  L_settop(co, L_top(co) + TVALUE_SIZE);
  resume_nres = 1;
  return ERR;
}

/**
 * Closes a suspended or dead coroutine (lua_closethread): closes pending to-be-closed variables and
 * upvalues, then resets it to an empty dead thread. Returns OK, or ERR with the error in errobj (the
 * coroutine's own error if it died by one, or an error raised by a __close).
 */
export function luaE_closethread(L: usize, co: usize): i32 {
  const dead = L_status(co) != <u8>LUA_OK && L_status(co) != <u8>LUA_YIELD;
  if (dead) setobj(errobj, L_top(co) - TVALUE_SIZE);
  L_setstatus(co, <u8>LUA_OK);
  L_setci(co, L_baseci(co));
  L_seterrfunc(co, 0);                               // an xpcall left suspended is gone
  L_setnCcalls(co, (L_nCcalls(L) & 0xFFFF) + 1);
  let st = luaF_close(co, bodyslot(co), dead);
  if (st != OK && !dead) luaF_close(co, bodyslot(co), true);   // a __close failed: close the rest with its error
  if (dead) st = ERR;
  L_settop(co, bodyslot(co));
  return st;
}

