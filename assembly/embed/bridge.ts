// bridge.ts - the exports through which the host runs Lua and exchanges values (docs/ABI.md): eval of
// the pending source, listings, calling a Lua value with encoded arguments, raw global get/set, the
// input buffer for encoded values, function references, the CLI's `arg` table, full collections.
// Invariant: each export that runs Lua or decodes host values does so inside one entry of
// host/entry.ts, so all of them share its guarantees (stack checked, budgets armed, results through
// the one encoder, stack left as found) and none traps on malformed input.

import { luaC_barrierback } from "../gc/barrier";
import {
  TVALUE_SIZE, ttisnil, ttistable, hvalue, setobj, setsvalue, sethvalue, setfvalue, setnilvalue, setthvalue,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_newlstr, luaS_new, getstr, tsslen } from "../object/string";
import { buf_reset, buf_prepare } from "../mem/buffer";
import { mainthread, L_top, L_settop, savestack, restorestack, globaltable, LUA_OK, LUA_ERRRUN, LUA_ERRSYNTAX, LUA_MULTRET, OK } from "../vm/state";
import { luaD_call, luaD_callk } from "../vm/call";
import { luaC_fullgc } from "../gc/collect";
import {
  index2value, lua_pushcfunction, lua_checkstack, lua_gettop, lua_pushnil, lua_pushboolean, lua_pushinteger, lua_pushnumber,
} from "../vm/api";
import { compile_error } from "../compiler/parser";
import { iobuf } from "../sys/iobuf";
import { inbuf, vc_decode, vc_err, vc_unref, vc_pushref, T_NIL, T_FALSE, T_TRUE, T_INT, T_FLT, T_STR } from "./valcodec";
import { loadpending, listpending } from "./chunk";
import {
  result, entry_open, entry_call, entry_values, entry_fail, entry_nomem, entry_overlimit, entry_done, entry_fits,
  entry_setbudget, entry_leave, entry_failtext, entry_nest, entry_unnest, entry_isnested, entry_asyncdone,
  entry_asynchandler,
} from "./entry";

import { snap_capture, snap_restore } from "../persist/snapshot";
import { fn_sync, fn_attach, fn_prune } from "./extfn";
import { ext_emergencygc, ext_collecthost, ext_holdcollect, ext_unregistermt } from "./ext";
import {
  killed, setslicing, budget_suspend, budget_resume, budget_suspendedms, budget_stop, budget_stopbuffer,
} from "../vm/budget";
import { asyncroot, setasyncroot, setslicestart, setsuspendwhy, suspendwhy, isawaiting } from "../vm/call";
import { luaD_resumeasync, resume_nres, running } from "../vm/coro";
import { luaE_newthread, hasstack, luaD_growstack, registry, LUA_YIELD } from "../vm/state";
import { lua_monotonic } from "../sys/imports";
import { setawaitanswer } from "./ext";
import { luaD_interrupt } from "../vm/hook";

/**
 * The thread an entry runs on: the main thread, or inside a nested entry the thread that called the
 * JS function (a coroutine, or an async call's thread), as lua_call runs on the C function's state.
 */
function entrythread(): usize { return entry_isnested() && running != 0 ? running : mainthread; }

/** The result area of the last export (docs/ABI.md "Result area"). */
export function result_ptr(): usize { return result.ptr; }
export function result_len(): i32 { return result.len; }


// ==== Evaluation ====

/**
 * Runs the chunk passed as its first argument with the rest as its varargs and returns all its
 * results. The chunk runs below a native frame, as lua.c's pmain does, so tracebacks end with
 * "[C]: in ?" exactly like lua5.4's.
 */
function hostrunner(L: usize): i32 {
  if (luaD_call(L, index2value(L, 1), LUA_MULTRET) != OK) return -1;
  return lua_gettop(L);
}

/** Compiles and runs the pending source; see docs/ABI.md for the status and the result area. */
export function lua_eval(namelen: i32): i32 {
  return lua_eval_args(namelen, 0);
}

/** Results of lua_eval encode functions as references (tag 10) when on != 0 (the typed API). */
let refmode: bool = false;
export function lua_set_refmode(on: i32): void { refmode = on != 0; }

// ==== Nested entries (entry.ts "Nested entries") ====

/** refmode of each outer level, given back by lua_unnest. */
const nestrefmode: usize = memory.data(256);
let nestlevel: i32 = 0;

/**
 * Before a host entry made while a call runs (a JS function called by Lua calling back): sets the
 * outer call's result area, input buffer and refmode aside. 0, or 1 when nesting is too deep (the
 * host reports "C stack overflow").
 */
export function lua_nest(): i32 {
  if (nestlevel >= 256 || !entry_nest()) return 1;
  store<u8>(nestrefmode + <usize>nestlevel, refmode ? 1 : 0);
  nestlevel++;                                // refmode carries on: the host sets it around its own calls
  return 0;
}

/** After the host has read the nested entry's result: the outer call's buffers and refmode are back. */
export function lua_unnest(): void {
  if (nestlevel <= 0) return;
  nestlevel--;
  refmode = load<u8>(nestrefmode + <usize>nestlevel) != 0;
  entry_unnest();
}

/** Like lua_eval, but the chunk receives arg[1..nargs] as its varargs (lua.c's script arguments). */
export function lua_eval_args(namelen: i32, nargs: i32): i32 {
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  if (nargs < 0) nargs = 0;
  if (!lua_checkstack(L, nargs + 2)) return entry_failtext(L, baseoff, "stack overflow", LUA_ERRRUN);
  const funcoff = savestack(L, L_top(L));
  lua_pushcfunction(L, hostrunner);
  if (!loadpending(L, namelen)) return entry_fail(L, baseoff, getstr(compile_error), tsslen(compile_error), LUA_ERRSYNTAX);
  pushscriptargs(L, nargs);
  return entry_call(L, baseoff, funcoff, refmode);
}

/** Pushes arg[1..nargs] (the CLI's script arguments); the stack has room for them. */
function pushscriptargs(L: usize, nargs: i32): void {
  if (nargs <= 0) return;
  const t = ltable.luaH_get(globaltable, argname());
  for (let i = 1; i <= nargs; i++) {
    const v = ttistable(t) ? ltable.luaH_getint(hvalue(t), <i64>i) : t;
    if (ttisnil(v)) setnilvalue(L_top(L)); else setobj(L_top(L), v);
    L_settop(L, L_top(L) + TVALUE_SIZE);
  }
}

/** Compiles the pending source and puts its listing (luac -l style text) in the result area. */
export function lua_listing(namelen: i32): i32 {
  if (listpending(namelen, result)) return LUA_OK;
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  return entry_fail(L, baseoff, getstr(compile_error), tsslen(compile_error), LUA_ERRSYNTAX);
}

// ==== Values in and out ====

/**
 * Ensures the input buffer holds n bytes and returns its address; the host then writes them. 0 when
 * they cannot be allocated at all (entry_fits: the module's ceiling; the host reports "not enough
 * memory"); the memory limit applies at the safe point after decoding.
 */
export function val_buffer(n: i32): usize {
  if (n < 0) n = 0;
  buf_reset(inbuf);
  if (n > inbuf.cap && !entry_fits(n - inbuf.cap)) return 0;   // only growth is new memory
  buf_prepare(inbuf, n);
  inbuf.len = n;
  return inbuf.ptr;
}

/** Releases a function reference (tag 10) the host no longer needs. */
export function lua_unref(ref: i32): void { vc_unref(ref); }

/** Decodes n values from the input buffer onto the stack; false (entry closed, error set) on failure. */
function decodeinput(L: usize, baseoff: i32, n: i32): i32 {
  if (!vc_decode(L, inbuf.ptr, inbuf.len, n)) return entry_fail(L, baseoff, vc_err.ptr, vc_err.len, LUA_ERRRUN);
  if (entry_overlimit(L)) return entry_nomem(L, baseoff);
  return LUA_OK;
}

/** Raw global get: the input buffer holds one encoded value (the name); the result is that global. */
export function lua_getglobal_v(): i32 {
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  const koff = savestack(L, L_top(L));
  const st = decodeinput(L, baseoff, 1);
  if (st != LUA_OK) return st;
  const k = restorestack(L, koff);
  const v = ltable.luaH_get(globaltable, k);
  if (ttisnil(v)) setnilvalue(k); else setobj(k, v);
  return entry_values(L, baseoff, koff, 1, true);
}

/** Raw global set: the input buffer holds two encoded values, the name and the value (nil deletes). */
export function lua_setglobal_v(): i32 {
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  const koff = savestack(L, L_top(L));
  const st = decodeinput(L, baseoff, 2);
  if (st != LUA_OK) return st;
  const k = restorestack(L, koff);
  if (ttisnil(k)) return entry_failtext(L, baseoff, "global name is nil", LUA_ERRRUN);
  ltable.luaH_set(globaltable, k, k + TVALUE_SIZE);
  luaC_barrierback(L, globaltable);
  return entry_done(L, baseoff);
}

/** The slot at funcoff holds a global's name: replaces it by that global's value (nil when unset). */
function globalbyname(L: usize, funcoff: i32): void {
  const f = restorestack(L, funcoff);
  const v = ltable.luaH_get(globaltable, f);
  if (ttisnil(v)) setnilvalue(f); else setobj(f, v);
}

/**
 * Calls a value: the input buffer holds nargs+1 encoded values, the function then its arguments;
 * with `byname` != 0 the first value is the name of the global to call (looked up raw, so calling a
 * global by name hands no reference to the host). The result area is lua_eval's: all results
 * (functions as references), or message and traceback.
 */
export function lua_call_v(nargs: i32, byname: i32): i32 {
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  if (nargs < 0) nargs = 0;
  const funcoff = savestack(L, L_top(L));
  const st = decodeinput(L, baseoff, nargs + 1);
  if (st != LUA_OK) return st;
  if (byname != 0) globalbyname(L, funcoff);
  return entry_call(L, baseoff, funcoff, true);
}

// ==== Typed calls (docs/ABI.md "Typed calls") ====
// The common call from the host, a Lua function handed to it called with a few scalar arguments,
// skips the value encoding: the host writes the arguments as slots into a static area and calls
// lua_call_s, which pushes them and goes on as lua_call_v (entry_call: same results, same errors).
//
//   slot i (16 bytes) at callarea + 16 * i:  tag (i32: T_NIL..T_STR) | len (i32) | f64 number, or
//                                            u32 address of the string's len bytes (in the area)
// Invariant: the area is read only before the call runs any Lua, so a nested call may reuse it.

/** Argument slots of a typed call, then the bytes of its string arguments. */
// @ts-ignore: decorator
@inline const CALLAREA: i32 = 1024;
// @ts-ignore: decorator
@inline const MAXSARGS: i32 = 16;
const callarea: usize = memory.data(CALLAREA, 8);
/** The area's address and size (the host asks once). */
export function lua_call_area(): usize { return callarea; }
export function lua_call_area_size(): i32 { return CALLAREA; }

/** Calls the Lua value behind reference `ref` with the nargs scalar arguments in the call area; as lua_call_v. */
export function lua_call_s(ref: i32, nargs: i32): i32 {
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  if (nargs < 0 || nargs > MAXSARGS) return entry_failtext(L, baseoff, "bad typed call", LUA_ERRRUN);
  if (!lua_checkstack(L, nargs + 1)) return entry_failtext(L, baseoff, "stack overflow", LUA_ERRRUN);
  const funcoff = savestack(L, L_top(L));
  if (!vc_pushref(L, <u32>ref)) return entry_fail(L, baseoff, vc_err.ptr, vc_err.len, LUA_ERRRUN);
  for (let i = 0; i < nargs; i++) {
    const slot = callarea + (<usize>i << 4);
    if (!pushslot(L, load<i32>(slot), load<i32>(slot, 4), slot + 8)) return entry_failtext(L, baseoff, "bad typed call", LUA_ERRRUN);
  }
  if (entry_overlimit(L)) return entry_nomem(L, baseoff);   // the strings' memory, as decodeinput checks
  return entry_call(L, baseoff, funcoff, true);
}

/** Pushes one slot's value (its payload at p); false for a malformed slot. */
function pushslot(L: usize, tag: i32, len: i32, p: usize): bool {
  switch (tag) {
    case T_NIL: lua_pushnil(L); return true;
    case T_FALSE: lua_pushboolean(L, false); return true;
    case T_TRUE: lua_pushboolean(L, true); return true;
    case T_INT: {
      const x = load<f64>(p);
      if (!(Math.abs(x) <= 9007199254740991.0) || Math.floor(x) != x) return false;   // exact integers only
      lua_pushinteger(L, <i64>x);
      return true;
    }
    case T_FLT: lua_pushnumber(L, load<f64>(p)); return true;
    case T_STR: {
      const sp = <usize>load<u32>(p);
      if (len < 0 || sp < callarea + (<usize>MAXSARGS << 4) || sp + <usize>len > callarea + <usize>CALLAREA) return false;
      setsvalue(L_top(L), luaS_newlstr(sp, len));
      L_settop(L, L_top(L) + TVALUE_SIZE);
      return true;
    }
  }
  return false;
}

// ==== Async calls (docs/ABI.md "Async calls"; vm/call.ts "Awaiting") ====
// lua_eval_async / lua_call_async start a call whose chunk or function runs as the body of a thread
// of its own (the async root). A step ends when the call finishes (its status and result area, as
// lua_eval's) or suspends: LUA_SUSPENDED, the result area holding why (u32: 1 a JS function's
// promise, 2 a pause to let the host's event loop run) and the ms left before its timeout (f64, -1:
// none). The host then resumes it with lua_resume_async: the answer to the await (host_call's codes,
// values or error in the input buffer), or a stop (3 "interrupted!", 4 the message given to
// lua_stop_buffer) raised where it stands, which pcall cannot catch. While it is suspended, other
// entries may run on the main thread; its budgets are set aside meanwhile (the deadline runs on).
// Invariant: asyncroot != 0 exactly while an async call is running or suspended, and then it is
// anchored in the registry (_ASYNC), so the collector keeps its frames.

/** Status of a step that suspended the async call (not a PUC status). */
// @ts-ignore: decorator
@inline const LUA_SUSPENDED: i32 = 7;

/** registry._ASYNC = the async call's thread, or nil. */
function anchorasync(co: usize): void {
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_new("_ASYNC"));
  if (co == 0) setnilvalue(v); else setthvalue(v, co);
  ltable.luaH_set(registry, k, v);
  luaC_barrierback(mainthread, registry);
}

/**
 * Compiles the pending source and starts running it as an async call (see above); with `nargs` > 0
 * the chunk receives arg[1..nargs] as its varargs, as lua_eval_args (JS callers may omit it: 0).
 */
export function lua_eval_async(namelen: i32, nargs: i32): i32 {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  if (asyncroot != 0) return entry_failtext(L, baseoff, "an async call is already pending", LUA_ERRRUN);
  if (nargs < 0) nargs = 0;
  if (!lua_checkstack(L, nargs + 3)) return entry_failtext(L, baseoff, "stack overflow", LUA_ERRRUN);
  const funcoff = savestack(L, L_top(L));
  if (!loadpending(L, namelen)) return entry_fail(L, baseoff, getstr(compile_error), tsslen(compile_error), LUA_ERRSYNTAX);
  pushscriptargs(L, nargs);
  return asyncstart(L, baseoff, funcoff, nargs, true);
}

/** lua_call_v as an async call: the input buffer holds the function (or its global name) and nargs arguments. */
export function lua_call_async(nargs: i32, byname: i32): i32 {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  if (asyncroot != 0) return entry_failtext(L, baseoff, "an async call is already pending", LUA_ERRRUN);
  if (nargs < 0) nargs = 0;
  const funcoff = savestack(L, L_top(L));
  const st = decodeinput(L, baseoff, nargs + 1);
  if (st != LUA_OK) return st;
  if (byname != 0) globalbyname(L, funcoff);
  if (!lua_checkstack(L, 1)) return entry_failtext(L, baseoff, "stack overflow", LUA_ERRRUN);
  return asyncstart(L, baseoff, funcoff, nargs, false);
}

/**
 * Moves the function at funcoff and its nargs arguments to a new thread and runs its first step.
 * The thread is laid out as lua.c's docall runs a chunk: the entry's message handler (its errfunc,
 * run where an error is raised), then for a chunk (`chunk`) asyncbody, the host's C frame below it;
 * a function called by the host (lua_call_async) runs as the body itself, as lua_call_v runs it.
 */
function asyncstart(L: usize, baseoff: i32, funcoff: i32, nargs: i32, chunk: bool): i32 {
  const co = luaE_newthread();
  setthvalue(L_top(L), co);                          // anchored on L until the registry holds it
  L_settop(L, L_top(L) + TVALUE_SIZE);
  anchorasync(co);
  if (!hasstack(co, nargs + 3) && !luaD_growstack(co, nargs + 3)) {
    anchorasync(0);
    return entry_failtext(L, baseoff, "stack overflow", LUA_ERRRUN);
  }
  entry_asynchandler(co, !chunk);
  if (chunk) lua_pushcfunction(co, asyncbody);
  const f = restorestack(L, funcoff);
  for (let i = 0; i <= nargs; i++) setobj(L_top(co) + (<usize>i << 4), f + (<usize>i << 4));
  L_settop(co, L_top(co) + (<usize>(nargs + 1) << 4));
  L_settop(L, f);
  setasyncroot(co);
  return asyncstep(L, baseoff, co, chunk ? nargs + 1 : nargs);
}

/**
 * The body of an async call's thread: calls the function above it with the arguments after it as a
 * frame of the loop (luaD_callk, so it can pause and await). Its own frame is the host's call in
 * tracebacks and debug.getinfo ("[C]: in ?", lua.c's pmain), as hostrunner's is for lua_eval.
 */
function asyncbody(L: usize): i32 { return luaD_callk(L, lua_gettop(L) - 1, LUA_MULTRET, asyncbodydone); }
function asyncbodydone(L: usize): i32 { return lua_gettop(L); }

/** Runs the async call's thread until it finishes or suspends; closes entry `baseoff` either way. */
function asyncstep(L: usize, baseoff: i32, co: usize, nargs: i32): i32 {
  setslicestart(lua_monotonic());
  setsuspendwhy(0);
  setslicing(true);
  const st = luaD_resumeasync(co, nargs);
  setslicing(false);
  if (st == LUA_YIELD) {
    budget_suspend();
    entry_leave(L, baseoff);
    buf_reset(result);
    const p = buf_prepare(result, 12);
    store<u32>(p, <u32>suspendwhy);
    store<f64>(p, budget_suspendedms(), 4);
    result.len = 12;
    return LUA_SUSPENDED;
  }
  setasyncroot(0);
  // the thread stays anchored (on L, popped when the entry closes) while its results or error are
  // described: that may run __tostring, hence the collector
  if (lua_checkstack(L, 1)) {
    setthvalue(L_top(L), co);
    L_settop(L, L_top(L) + TVALUE_SIZE);
    anchorasync(0);
  }
  // done: the results counted from the thread's first slot, which holds the message handler
  const r = entry_asyncdone(L, baseoff, co, st == LUA_OK, st == LUA_OK ? resume_nres - 1 : resume_nres, refmode);
  anchorasync(0);                                    // (when the stack had no room, only now)
  return r;
}

/**
 * Resumes the suspended async call: with `stop` 0, `answer` is the await's answer (host_call's
 * codes: n values or an error in the input buffer; ignored after a pause); with `stop` 3 or 4 the
 * call is stopped where it stands ("interrupted!", or lua_stop_buffer's message), uncatchable; with
 * `stop` 5 it goes on and gets the catchable "interrupted!" at its next event (lua_stop).
 */
export function lua_resume_async(answer: i32, stop: i32): i32 {
  const L = mainthread;
  const co = asyncroot;
  const baseoff = entry_open(L);
  if (baseoff < 0) return LUA_ERRRUN;
  if (co == 0 || !isawaiting(co)) return entry_failtext(L, baseoff, "no async call is suspended", LUA_ERRRUN);
  budget_resume();                                   // its own budgets, not a fresh set
  if (stop == 5) luaD_interrupt(co);                 // catchable: lua.c's lstop hook on the call's thread
  else if (stop != 0) budget_stop(stop);
  setawaitanswer(answer);
  return asyncstep(L, baseoff, co, 0);
}

/** Room for the n-byte message of a stop of kind 4 (an AbortSignal's reason); the host writes it there. */
export function lua_stop_buffer(n: i32): usize { return budget_stopbuffer(n); }

/**
 * Stops the running call from a host callback (interrupt(), an AbortSignal aborted while Lua runs):
 * 3 "interrupted!", 4 lua_stop_buffer's message; raised at its next check, uncatchable. 5 is lua.c's
 * Ctrl-C: the ordinary error "interrupted!" (pcall catches it) at the next event of the call's thread.
 */
export function lua_stop(why: i32): void {
  if (why == 5) luaD_interrupt(asyncroot != 0 ? asyncroot : mainthread);   // the script's thread, as lua.c's globalL
  else budget_stop(why);
}

// ==== Budgets and collection ====

/** Sets the instruction limit and timeout (ms) applied to EACH following entry; <= 0 disables. */
export function lua_setbudget(instructions: f64, timeoutms: f64): void { entry_setbudget(instructions, timeoutms); }

/** Why the last call was stopped: 0 not stopped, 1 instruction limit, 2 timeout. */
export function lua_killed(): i32 { return killed; }

/** Full garbage collection, inside an entry so finalizers run under the budget and their output is flushed. */
export function lua_gc(): void {
  const L = entrythread();
  const baseoff = entry_open(L);
  if (baseoff < 0) return;
  luaC_fullgc(L);
  ext_collecthost();                          // then the external tables and stored functions nothing reaches
  if (fn_prune(L)) luaC_fullgc(L);            // the holders of the cells the host dropped
  entry_done(L, baseoff);
}

// ==== Exports with results of their own, on the same entry path ====

/** Writes the whole state as a snapshot (persist/snapshot.ts snap_capture); 0, or 1 with its message. */
export function lua_snapshot(): i32 {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return 1;
  const r = snap_capture();
  entry_leave(L, baseoff);
  return r;
}

/** Restores the n snapshot bytes of snap_inbuf into this fresh state (snap_restore); 0, or 1 with its message. */
export function lua_restore(n: i32): i32 {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return 1;
  ext_holdcollect(true);                     // proxies are rebuilt one by one: no live-id list is complete
  const r = snap_restore(n);
  ext_holdcollect(false);
  if (r == 0) ext_unregistermt();            // an older build's snapshot has registry._EXTMT
  if (r == 0) fn_attach(L);                   // the restored registry's stored-function tables, before any collection
  entry_leave(L, baseoff);
  return r;
}

/** Sends the live cells of loaded stored functions to the host (extfn.ts fn_sync); 0, or 1 with its message. */
export function ext_sync(): i32 {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return 1;
  const r = fn_sync();
  entry_leave(L, baseoff);
  return r;
}

/** Between calls: an emergency collection, then the live proxies to the host (ext.ts). */
export function ext_hostgc(): void {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return;
  ext_emergencygc();
  entry_leave(L, baseoff);
}

// ==== CLI arguments ====

function argname(): usize {
  const k = memory.data(16);
  setsvalue(k, luaS_new("arg"));
  return k;
}

/** Makes the global `arg` a new empty table. */
export function arg_reset(): void {
  const v = memory.data(16);
  sethvalue(v, ltable.luaH_new());
  ltable.luaH_set(globaltable, argname(), v);
  luaC_barrierback(mainthread, globaltable);
}

/** arg[index] = the n bytes at the IO buffer start. */
export function arg_set(index: i32, n: i32): void {
  const t = ltable.luaH_get(globaltable, argname());
  if (!ttistable(t) || n < 0) return;
  const v = memory.data(16);
  setsvalue(v, luaS_newlstr(iobuf, n));
  ltable.luaH_setint(hvalue(t), <i64>index, v);
  luaC_barrierback(mainthread, hvalue(t));
}
