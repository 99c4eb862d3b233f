// entry.ts - the one protected entry path from the host into the Lua state. Every export that runs
// Lua code or touches the state's objects (eval, call, global get/set, gc, snapshot and restore,
// stored-function sync; host/bridge.ts) opens an entry here, which arms the call's budgets, checks
// the stack and installs the one message handler; calls run protected, results go through the one
// value encoder (valcodec.ts, depth-limited) into the one result area (docs/ABI.md "Result
// area") for the host to read.
//
// Invariants: an entry leaves the Lua stack exactly as it found it (top back at `baseoff`); it never
// traps on bad input or deep data (every push is preceded by a stack check, encoding fails with a
// clear message past valcodec's MAXDEPTH); output pending in the IO buffer is flushed before it
// returns; it allocates nothing that outlives it except Lua objects the collector owns.

import { TVALUE_SIZE, ttisstring, ttisnumber, ttisnil, tsvalue, ttype, setobj, setnilvalue } from "../object/value";
import { getstr, tsslen, luaS_newlstr, luaS_new } from "../object/string";
import { luaL_tolstring } from "../lib/aux";
import { Buffer, buf_new, buf_reset, buf_prepare, buf_addbytes, buf_addstr } from "../mem/buffer";
import { totalbytes, heapcanalloc, LIMIT_CEILING, luaM_free } from "../mem/alloc";
import { LUAI_MAXCCALLS } from "../luaconf";
import {
  L_top, L_settop, L_errfunc, L_seterrfunc, savestack, restorestack, LUA_OK, LUA_ERRRUN, LUA_ERRMEM,
  LUA_MULTRET, OK, errobj,
} from "../vm/state";
import { luaD_pcall, luaD_callnoyield, asyncroot } from "../vm/call";
import { luaG_traceback, memerr } from "../vm/debug";
import { luaC_checkGC } from "../gc/collect";
import { index2value, lua_pushcfunction, lua_pushtstring, lua_pushtvalue, lua_checkstack } from "../vm/api";
import { luaT_objtypename, luaT_gettmbyobj_name, typenames } from "../vm/tm";
import { setbudget, clearbudget, killed, stoptrace } from "../vm/budget";
import { luaD_clearinterrupt } from "../vm/hook";
import { flushoutput, resetoutput } from "../sys/iobuf";
import { io_flushall } from "../lib/io";
import { vc_encode, vc_err, inbuf, MODE_REFS } from "./valcodec";

/** Our own status for a call stopped by its instruction limit or timeout (see docs/ABI.md). */
// @ts-ignore: decorator
@inline export const LUA_ERRLIMIT: i32 = 6;

/** The result area every export leaves: values after OK, message and traceback after an error. */
export const result: Buffer = buf_new();
/** Traceback captured by the message handler at the point of the error. */
const tracebuf: Buffer = buf_new();

// ==== Budgets ====

let cfg_instructions: f64 = 0;
let cfg_timeoutms: f64 = 0;

/** Sets the instruction limit and timeout (ms) applied to EACH following entry; <= 0 disables. */
export function entry_setbudget(instructions: f64, timeoutms: f64): void {
  cfg_instructions = instructions;
  cfg_timeoutms = timeoutms;
}

// ==== Nested entries ====
// A JS function called by Lua may call back into the state (read a global, call a Lua function, run
// code), as a C function calls lua_call: the host brackets such a call with entry_nest and
// entry_unnest (bridge.ts lua_nest/lua_unnest, host/runtime.ts guard). The nested entry runs on top of
// the running thread's stack, under the outer call's budgets (never re-armed or cleared by it), and
// has its own result area, traceback and input buffer: the outer ones are set aside by entry_nest
// and given back by entry_unnest, after the host has read the nested result. Output pending from the
// outer call is flushed first, since the host then writes the nested call's source into the IO buffer.
// Invariant: nestdepth == number of entry_nest not yet matched by entry_unnest; at depth 0 every
// entry arms and clears the budgets itself.

/**
 * Nesting limit of host entries: each level also counts as a C call (LUAI_MAXCCALLS), but it costs
 * far more native stack than a C level (JS frames of the host between wasm frames: ~3 KB in the
 * release build), so it stops earlier, leaving room on small JS stacks (Node's default ~1 MB holds
 * ~200 levels; a 400 KB one ~165): "C stack overflow", never V8's RangeError inside wasm (a trap).
 */
// @ts-ignore: decorator
@inline const MAXNEST: i32 = LUAI_MAXCCALLS * 3 / 5;
/** Bytes of one saved level: three Buffers (ptr, len, cap). */
// @ts-ignore: decorator
@inline const NESTFRAME: i32 = 36;
let nestdepth: i32 = 0;
const nestsave: usize = memory.data(MAXNEST * NESTFRAME, 4);

/** True inside a nested entry (a JS function called by Lua called back into the state). */
export function entry_isnested(): bool { return nestdepth > 0; }

/** Moves b's storage to `at` and leaves b empty (owning nothing). */
function setaside(b: Buffer, at: usize): void {
  store<usize>(at, b.ptr); store<i32>(at, b.len, 4); store<i32>(at, b.cap, 8);
  b.ptr = 0; b.len = 0; b.cap = 0;
}

/** Frees what b holds now and gives it back the storage set aside at `at`. */
function takeback(b: Buffer, at: usize): void {
  if (b.cap > 0) luaM_free(b.ptr, <usize>b.cap);
  b.ptr = load<usize>(at); b.len = load<i32>(at, 4); b.cap = load<i32>(at, 8);
}

/**
 * Opens a nesting level for a host entry made while a call runs: flushes the outer call's output and
 * sets its result area, traceback and input buffer aside. False (nothing changed) past MAXNEST.
 */
export function entry_nest(): bool {
  if (nestdepth >= MAXNEST) return false;
  flushoutput();
  const at = nestsave + <usize>(nestdepth * NESTFRAME);
  setaside(result, at);
  setaside(tracebuf, at + 12);
  setaside(inbuf, at + 24);
  nestdepth++;
  return true;
}

/** Closes the innermost nesting level: the outer call's buffers are back as they were. */
export function entry_unnest(): void {
  if (nestdepth <= 0) return;
  nestdepth--;
  const at = nestsave + <usize>(nestdepth * NESTFRAME);
  takeback(result, at);
  takeback(tracebuf, at + 12);
  takeback(inbuf, at + 24);
}

// ==== Result area ====

function put_u32(v: u32): void { const p = buf_prepare(result, 4); store<u32>(p, v); result.len += 4; }
function put_bytes(p: usize, n: i32): void { put_u32(<u32>n); buf_addbytes(result, p, n); }

/** Error result: message, then the traceback (empty unless the handler captured one). */
function seterror(msg: usize, len: i32, withtrace: bool): void {
  buf_reset(result);
  put_bytes(msg, len);
  if (withtrace) put_bytes(tracebuf.ptr, tracebuf.len); else put_u32(0);
}

/** Error result for the error object `e` left by a protected call. */
function seterrorobj(e: usize): void {
  if (ttisstring(e)) { seterror(getstr(tsvalue(e)), tsslen(tsvalue(e)), true); return; }
  // the handler did not run (memory error, error in error handling, budget): describe the object
  buf_reset(tracebuf);
  luaT_objtypename(e, tracebuf);
  seterror(tracebuf.ptr, tracebuf.len, false);
  buf_reset(tracebuf);
}

/** Encodes the n values at stack offset `fromoff` as an OK result; an encoding failure is an error. */
function setvalues(L: usize, fromoff: i32, n: i32, refs: bool): i32 {
  buf_reset(result);
  put_u32(<u32>n);
  if (vc_encode(L, result, fromoff, n, refs ? MODE_REFS : 0, false)) return LUA_OK;
  seterror(vc_err.ptr, vc_err.len, false);
  return LUA_ERRRUN;
}

// ==== Message handler ====

/**
 * The message handler of every entry (lua.c's msghandler): a string (or number) error gets the
 * traceback at the point of the error; another object is described by its __tostring when that
 * returns a string (then, as in lua.c, without a traceback), else as "(error object is a X value)".
 * A __tostring that raises an error lets that error through, which the handler then sees in turn
 * (luaG_errormsg), exactly as lua5.4 reports the inner error.
 */
function msghandler(L: usize): i32 {
  const o = index2value(L, 1);
  buf_reset(tracebuf);
  asyncdescribed = L == asyncroot;                    // (then the error escapes the async call)
  if (ttisstring(o) || ttisnumber(o)) {
    if (ttisnumber(o)) luaL_tolstring(L, 1);          // lua_tostring: a number becomes its text
    else lua_pushtvalue(L, o);
    traceback(L, 1);
    return 1;
  }
  const tm = luaT_gettmbyobj_name(o, "__tostring");
  if (!ttisnil(tm)) {
    if (!lua_checkstack(L, 2)) return -1;
    lua_pushtvalue(L, tm);
    lua_pushtvalue(L, index2value(L, 1));             // the stack may have moved
    if (luaD_callnoyield(L, L_top(L) - 2 * TVALUE_SIZE, 1) != OK) return -1;
    if (ttisstring(L_top(L) - TVALUE_SIZE)) return 1;
  }
  const b = tracebuf;                                 // built here, then replaced by the traceback
  buf_addstr(b, "(error object is a ");
  buf_addstr(b, typenames(ttype(index2value(L, 1)))); // the basic type (luaL_typename), not __name, as lua.c
  buf_addstr(b, " value)");
  lua_pushtstring(L, luaS_newlstr(b.ptr, b.len));
  buf_reset(tracebuf);
  traceback(L, 1);
  return 1;
}

/** Set when msghandler ran for an error of the async call's thread (see entry_asynchandler). */
let asyncdescribed = false;

/**
 * Pushes the message handler on a new async thread `co` and makes it co's errfunc, as lua.c's
 * docall does: an error that escapes co's frames is described where it is raised, with co's frames
 * (a __tostring sees them through debug.getinfo as in lua5.4). co's stack has room for it.
 */
export function entry_asynchandler(co: usize, hostframe: bool): void {
  const h = L_top(co);
  lua_pushcfunction(co, msghandler);
  L_seterrfunc(co, savestack(co, h));
  asyncdescribed = false;
  asynchostframe = hostframe;
}

/**
 * Set when the async call's body is the called function itself (no C frame below it): its
 * tracebacks end with the host's call added by hand ("[C]: in ?", as for a chunk's asyncbody).
 */
let asynchostframe = false;

/** luaG_traceback of L from `level`, with the host's frame when L is such an async thread. */
function traceback(L: usize, level: i32): void {
  luaG_traceback(L, L, 0, level, tracebuf);
  if (L == asyncroot && asynchostframe) buf_addstr(tracebuf, "\n\t[C]: in ?");
}

// ==== Entries ====

/**
 * Opens an entry: output reset, budgets armed, the message handler pushed. Returns the stack offset
 * to pass to the other entry_* functions, or -1 when the stack cannot grow (the result area then
 * holds the error and nothing was pushed).
 */
export function entry_open(L: usize): i32 {
  const nested = nestdepth > 0;
  if (!nested) resetoutput();                         // nested: entry_nest flushed the outer output
  buf_reset(tracebuf);
  if (!lua_checkstack(L, 4)) {
    const s = luaS_new("stack overflow");
    seterror(getstr(s), tsslen(s), false);
    return -1;
  }
  if (!nested) {
    setbudget(cfg_instructions, cfg_timeoutms);       // every outermost entry gets the whole budget
    if (asyncroot == 0) luaD_clearinterrupt();        // and no interrupt meant for an earlier call
                                                      // (an async call keeps its own across pauses)
  }
  const baseoff = savestack(L, L_top(L));
  lua_pushcfunction(L, msghandler);
  return baseoff;
}

/**
 * Calls the function at stack offset `funcoff` (above the handler of entry `baseoff`) with every value
 * above it as arguments, protected; encodes all results (functions as references when `refs`) or the
 * error; closes the entry. Returns the status (LUA_ERRLIMIT when a budget stopped the call).
 */
export function entry_call(L: usize, baseoff: i32, funcoff: i32, refs: bool): i32 {
  const olderr = L_errfunc(L);
  L_seterrfunc(L, baseoff);
  let st = luaD_pcall(L, restorestack(L, funcoff), LUA_MULTRET);
  L_seterrfunc(L, olderr);
  asyncdescribed = false;                             // a nested call's error on the async thread is its own
  const stopped = killed != 0;
  flushoutput();
  io_flushall();                                      // files' buffered output, as C's exit flushes stdio
  if (st == LUA_OK) st = setvalues(L, funcoff, <i32>((L_top(L) - restorestack(L, funcoff)) >> 4), refs);
  else {
    if (killed >= 3) {                                // the host's stop: where the script was
      buf_reset(tracebuf);
      buf_addbytes(tracebuf, stoptrace.ptr, stoptrace.len);
    }
    seterrorobj(restorestack(L, funcoff));
  }
  entry_close(L, baseoff, !stopped);
  return stopped ? LUA_ERRLIMIT : st;
}

// ==== Async calls (bridge.ts "Async calls", vm/call.ts "Awaiting") ====

/**
 * Closes entry `baseoff` after the step of an async call's thread `co` that ended it: `ok` with its n
 * results on co's top, or with the error in errobj (co is dead, its frames kept where the error was
 * raised). The error's message and traceback are the message handler's, which ran where it was
 * raised (co's errfunc, entry_asynchandler); an error that ran no handler (a budget, a stop, a memory
 * error) is described here from co's frames after the fact. Returns the status.
 */
export function entry_asyncdone(L: usize, baseoff: i32, co: usize, ok: bool, n: i32, refs: bool): i32 {
  const stopped = killed != 0;
  const nomem = !ok && memerr;
  flushoutput();
  io_flushall();
  let st = LUA_OK;
  if (ok) st = setvalues(co, savestack(co, L_top(co) - (<usize>n << 4)), n, refs);
  else {
    asyncerror(L, baseoff, co);
    st = nomem ? LUA_ERRMEM : LUA_ERRRUN;
  }
  entry_close(L, baseoff, !stopped);
  return stopped ? LUA_ERRLIMIT : st;
}

/** The error result of a dead async thread co (errobj), described on L as msghandler does. */
function asyncerror(L: usize, baseoff: i32, co: usize): void {
  if (asyncdescribed && ttisstring(errobj)) {         // msghandler ran where it was raised
    asyncdescribed = false;
    seterror(getstr(tsvalue(errobj)), tsslen(tsvalue(errobj)), true);
    return;
  }
  asyncdescribed = false;
  buf_reset(tracebuf);
  let e = L_top(L);                                   // anchored on L while described (entry_open left room)
  setobj(e, errobj);
  L_settop(L, e + TVALUE_SIZE);
  const eoff = savestack(L, e);                       // calls below may move the stack
  if (ttisstring(e) || ttisnumber(e)) {
    const ts = ttisstring(e) ? tsvalue(e) : luaL_tolstring(L, -1);   // a number becomes its text
    if (ts == 0) { seterror(0, 0, false); return; }
    asynctraceback(L, co);
    seterror(getstr(ts), tsslen(ts), true);
    return;
  }
  const tm = luaT_gettmbyobj_name(e, "__tostring");
  if (!ttisnil(tm) && lua_checkstack(L, 2)) {
    lua_pushtvalue(L, tm);
    lua_pushtvalue(L, restorestack(L, eoff));
    // under the entry's message handler: a __tostring that raises an error reports that error where
    // it was raised, as lua.c's handler does when it calls __tostring (see msghandler)
    const foff = savestack(L, L_top(L) - 2 * TVALUE_SIZE);
    const olderr = L_errfunc(L);
    L_seterrfunc(L, baseoff);
    const st = luaD_pcall(L, restorestack(L, foff), 1);
    L_seterrfunc(L, olderr);
    const r = restorestack(L, foff);
    if (st != OK && ttisstring(r) && !memerr) {
      const ts = tsvalue(r);
      buf_addstr(tracebuf, "\n\t[C]: in ?");        // lua.c's handler, then where the first error was
      const t = msgbuf_async;
      buf_reset(t);
      luaG_traceback(L, co, 0, 0, t);
      const skip = 16;                                // "stack traceback:"
      if (t.len > skip) buf_addbytes(tracebuf, t.ptr + skip, t.len - skip);
      buf_addstr(tracebuf, "\n\t[C]: in ?");
      seterror(getstr(ts), tsslen(ts), true);
      return;
    }
    if (st == OK && ttisstring(r)) {
      const ts = tsvalue(r);
      seterror(getstr(ts), tsslen(ts), false);
      return;
    }
    buf_reset(tracebuf);
    e = restorestack(L, eoff);
    L_settop(L, e + TVALUE_SIZE);
  }
  const b = msgbuf_async;
  buf_reset(b);
  buf_addstr(b, "(error object is a ");
  buf_addstr(b, typenames(ttype(e)));
  buf_addstr(b, " value)");
  asynctraceback(L, co);
  seterror(b.ptr, b.len, true);
}

/** co's frames, down to the host's call ("[C]: in ?", as lua.c's pmain: asyncbody's frame or added). */
function asynctraceback(L: usize, co: usize): void {
  luaG_traceback(L, co, 0, 0, tracebuf);
  if (asynchostframe) buf_addstr(tracebuf, "\n\t[C]: in ?");
}
const msgbuf_async: Buffer = buf_new();

/** Closes entry `baseoff` with an OK result holding the n values at `fromoff`. Returns the status. */
export function entry_values(L: usize, baseoff: i32, fromoff: i32, n: i32, refs: bool): i32 {
  const st = setvalues(L, fromoff, n, refs);
  entry_close(L, baseoff, true);
  return st;
}

/** Closes entry `baseoff` with an error result: message [msg, msg+len), no traceback. Returns `status`. */
export function entry_fail(L: usize, baseoff: i32, msg: usize, len: i32, status: i32): i32 {
  seterror(msg, len, false);
  entry_close(L, baseoff, true);
  return status;
}

/** Closes entry `baseoff` with the error `msg`, a fixed text. Returns `status`. */
export function entry_failtext(L: usize, baseoff: i32, msg: string, status: i32): i32 {
  const s = luaS_new(msg);
  return entry_fail(L, baseoff, getstr(s), tsslen(s), status);
}

/** Closes entry `baseoff` with the error "not enough memory" (status 4), as PUC reports LUA_ERRMEM. */
export function entry_nomem(L: usize, baseoff: i32): i32 {
  return entry_failtext(L, baseoff, "not enough memory", LUA_ERRMEM);
}

/**
 * True when the values decoded for an entry took the heap past the memory limit (after a collection
 * at this safe point): the caller must not keep them and reports entry_nomem.
 */
export function entry_overlimit(L: usize): bool { return !luaC_checkGC(L); }

/**
 * Closes entry `baseoff` of an export that leaves its own result (snapshots, stored-function sync,
 * collections): the stack back as found, output flushed, budgets cleared; no collector step (the
 * export may hold objects only it knows about until it returns).
 */
export function entry_leave(L: usize, baseoff: i32): void {
  L_settop(L, restorestack(L, baseoff));
  flushoutput();
  if (nestdepth == 0) clearbudget();                  // a nested entry runs under the outer call's budget
}

/** Closes entry `baseoff` with an OK result of no values. */
export function entry_done(L: usize, baseoff: i32): i32 {
  buf_reset(result);
  put_u32(0);
  entry_close(L, baseoff, true);
  return LUA_OK;
}

/**
 * Pops everything the entry pushed and runs a collector step while the budget still applies (so a
 * looping finalizer is stopped too); a call already stopped by its budget skips the step (the next
 * entry takes it). Then the budget is cleared.
 */
function entry_close(L: usize, baseoff: i32, step: bool): void {
  L_settop(L, restorestack(L, baseoff));
  // the last error object is delivered (result area, pcall's results): the errobj root must not keep
  // it alive past the call (a JS object raised by a method would stay referenced until the next error)
  if (nestdepth == 0) setnilvalue(errobj);
  if (step) luaC_checkGC(L);                          // over the limit: the next safe point raises it
  flushoutput();                                      // finalizers may print
  if (nestdepth == 0) clearbudget();                  // a nested entry runs under the outer call's budget
}

/**
 * True when `n` more bytes of host input can be buffered without trapping: within the module's
 * ceiling and servable by the allocator. The memory limit itself is enforced at the safe point after
 * decoding (entry_overlimit, or the next luaC_checkGC in Lua code for answers to imports), as for
 * any allocation: an answer may pass it transiently, e.g. the value `next` reads from an external
 * table whose entry the loop then deletes.
 */
export function entry_fits(n: i32): bool {
  return n >= 0 && <u64>totalbytes + <u64>n <= <u64>LIMIT_CEILING && heapcanalloc(<usize>n);
}
