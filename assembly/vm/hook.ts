// hook.ts - debug hooks: per-thread hook state and the call/return/line/count events that the VM
// raises (ldo.c luaD_hook/luaD_hookcall/rethook and ldebug.c luaG_traceexec roles, plus ldblib.c's
// hookf: the hook is always a Lua value kept in registry._HOOKKEY[thread]).
//
// State: one 24-byte record per thread that ever had a hook (PUC keeps these fields in lua_State):
//   ╒════════════ hook record ════════════╕
//   │ L → thread                          │ 0
//   │ mask: i32   LUA_MASK* bits          │ 4
//   │ basecount: i32  count of sethook    │ 8
//   │ count: i32  instructions left       │ 12
//   │ oldpc: i32  last traced instruction │ 16
//   │ inhook: i32 1 while a hook runs     │ 20   (PUC's allowhook == 0)
//   └─────────────────────────────────────┘
// `hookactive` is true while some record has a nonzero mask (and then budget.ts's `trapflag` is set
// too); the VM tests it before calling in here, so with no hooks the cost is one global test.
// A record can outlive its thread (no free hook from the collector); a new thread at the same
// address then finds a stale mask, but its events find no function in the weak-keyed hook table
// (the dead key was cleared) and the record is reset on the spot, so no foreign hook ever runs.
//
// Entry detection: a Lua frame is "entered" when luaG_traceexec first sees it at its first
// instruction without CIST_HOOKSTARTED; the VM clears that bit in every new or tail-called frame
// (nextci/luaD_precall zero callstatus; OP_TAILCALL must clear it). Vararg functions fire their call
// hook after OP_VARARGPREP (as PUC), so the first traced instruction is their second one.
// Hooks cannot yield (they run through luaD_callnoyield). An error in a hook propagates as usual
// after the hooked frame's top, callstatus and the thread's in-hook flag are restored.

import { LUA_MINSTACK } from "../luaconf";
import { luaM_alloc, luaM_realloc } from "../mem/alloc";
import {
  TVALUE_SIZE, ttistable, ttisfunction, hvalue, clvalue, setobj, setnilvalue, setivalue, setthvalue,
  setsvalue,
} from "../object/value";
import { luaS_new } from "../object/string";
import { luaH_get, luaH_getstr } from "../object/table";
import { cl_proto, p_code, p_isvararg, p_numparams, p_sizecode } from "../object/func";
import { GET_OPCODE, testITMode } from "./opcodes";
import {
  OK, ERR, registry, L_top, L_settop, L_ci, ci_func, ci_setfunc, ci_top, ci_settop, ci_previous,
  ci_savedpc, ci_setsavedpc, ci_callstatus, ci_setcallstatus, ci_u2, ci_setu2, ci_nextraargs, isLua,
  savestack, restorestack, CIST_HOOKED, CIST_TRAN, CIST_TAIL, CIST_HOOKSTARTED, CIST_HOOKVARARG,
} from "./state";
import { luaD_checkstack, luaD_callnoyield } from "./call";
import { luaG_getfuncline, luaG_addwhere, luaG_errormsg } from "./debug";
import { errobj } from "./state";
import { buf_new, buf_free, buf_addstr } from "../mem/buffer";
import { luaS_newlstr } from "../object/string";
import { sethooksactive } from "./budget";

// ==== Masks and events (lua.h) ====
// @ts-ignore: decorator
@inline export const LUA_MASKCALL: i32 = 1;
// @ts-ignore: decorator
@inline export const LUA_MASKRET: i32 = 2;
// @ts-ignore: decorator
@inline export const LUA_MASKLINE: i32 = 4;
// @ts-ignore: decorator
@inline export const LUA_MASKCOUNT: i32 = 8;
// @ts-ignore: decorator
@inline const HOOKCALL = 0;
// @ts-ignore: decorator
@inline const HOOKRET = 1;
// @ts-ignore: decorator
@inline const HOOKLINE = 2;
// @ts-ignore: decorator
@inline const HOOKCOUNT = 3;
// @ts-ignore: decorator
@inline const HOOKTAILCALL = 4;

// CallInfo bits CIST_HOOKSTARTED (the frame's call hook has run; cleared on a tail call) and
// CIST_HOOKVARARG (a vararg frame whose call hook waits for OP_VARARGPREP) live in vm/state.ts.

/** True while some thread has a nonzero hook mask: the VM's only test on its fast paths. */
export let hookactive: bool = false;

// ==== Records ====
// @ts-ignore: decorator
@inline const REC_SIZE: usize = 24;
let recs: usize = 0;          // → record[cap]
let nrecs: i32 = 0;
let caprecs: i32 = 0;

// @ts-ignore: decorator
@inline function rec_at(i: i32): usize { return recs + <usize>i * REC_SIZE; }
// @ts-ignore: decorator
@inline function r_L(r: usize): usize { return load<usize>(r); }
// @ts-ignore: decorator
@inline function r_mask(r: usize): i32 { return load<i32>(r, 4); }
// @ts-ignore: decorator
@inline function r_basecount(r: usize): i32 { return load<i32>(r, 8); }
// @ts-ignore: decorator
@inline function r_count(r: usize): i32 { return load<i32>(r, 12); }
// @ts-ignore: decorator
@inline function r_oldpc(r: usize): i32 { return load<i32>(r, 16); }
// @ts-ignore: decorator
@inline function r_inhook(r: usize): bool { return load<i32>(r, 20) != 0; }

/** The record of thread L, or 0. */
function findrec(L: usize): usize {
  for (let i = 0; i < nrecs; i++) if (r_L(rec_at(i)) == L) return rec_at(i);
  return 0;
}

/** The record of thread L, created (or recycled from an idle one) if needed. */
function getrec(L: usize): usize {
  let r = findrec(L);
  if (r != 0) return r;
  for (let i = 0; i < nrecs; i++) {                 // recycle a record with nothing to keep
    r = rec_at(i);
    if (r_mask(r) == 0 && !r_inhook(r)) { memory.fill(r, 0, REC_SIZE); store<usize>(r, L); return r; }
  }
  if (nrecs == caprecs) {
    const ncap = caprecs == 0 ? 4 : caprecs * 2;
    recs = luaM_realloc(recs, <usize>caprecs * REC_SIZE, <usize>ncap * REC_SIZE);
    caprecs = ncap;
  }
  r = rec_at(nrecs++);
  memory.fill(r, 0, REC_SIZE);
  store<usize>(r, L);
  return r;
}

function updateactive(): void {
  let any = false;
  for (let i = 0; i < nrecs; i++) if (r_mask(rec_at(i)) != 0) any = true;
  hookactive = any;
  sethooksactive(any);                              // the execute loop's per-instruction trap
}

// ==== API (lua_sethook & co.) ====

/** Sets the hook mask and count of thread L (the function itself lives in registry._HOOKKEY). */
export function lua_sethook(L: usize, mask: i32, count: i32): void {
  if (mask == 0) count = 0;
  const r = mask == 0 ? findrec(L) : getrec(L);
  if (r == 0) return;
  store<i32>(r, mask, 4);
  store<i32>(r, count, 8);
  store<i32>(r, count, 12);                         // resethookcount
  updateactive();
}
export function lua_gethookmask(L: usize): i32 { const r = findrec(L); return r == 0 ? 0 : r_mask(r); }
export function lua_gethookcount(L: usize): i32 { const r = findrec(L); return r == 0 ? 0 : r_basecount(r); }

/** Forgets the hook state of a thread being freed (for the collector's thread sweep; optional). */
export function luaD_hookfree(L: usize): void {
  const r = findrec(L);
  if (r == 0) return;
  memory.fill(r, 0, REC_SIZE);
  updateactive();
}

// ==== The interrupt hook (lua.c's lstop) ====
// lua.c answers the first Ctrl-C by replacing the main thread's hook with lstop on every event (call,
// return, line, count 1), which raises the ordinary error "interrupted!" (pcall catches it) at the
// first event and removes itself. The host asks for the same (lua_stop(5)): `interruptL` is the
// thread whose hook is lstop; its record gets the full mask, so the VM reaches luaD_hook at the next
// event of that thread only (a coroutine running meanwhile is not interrupted, as in lua.c).
// Invariant: interruptL != 0 implies interruptL's record has a nonzero mask (hookactive is set).

/** The thread whose hook is lstop (0: none). */
let interruptL: usize = 0;

/** Makes lstop the hook of thread L (lua.c laction): "interrupted!" at its next event. */
export function luaD_interrupt(L: usize): void {
  interruptL = L;
  lua_sethook(L, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

/** Forgets a pending interrupt that never fired (a new outermost call starts). */
export function luaD_clearinterrupt(): void {
  if (interruptL == 0) return;
  lua_sethook(interruptL, 0, 0);
  interruptL = 0;
}

/**
 * lua.c lstop: removes the hook and raises "interrupted!" with luaL_error's position (the caller of
 * the running function: level 0 is the frame the event belongs to, as a C hook has no frame).
 */
function lstop(L: usize): i32 {
  interruptL = 0;
  lua_sethook(L, 0, 0);
  const b = buf_new();
  luaG_addwhere(L, 1, b);
  buf_addstr(b, "interrupted!");
  setsvalue(errobj, luaS_newlstr(b.ptr, b.len));
  buf_free(b);
  return luaG_errormsg(L);
}

// ==== Calling the hook ====

const thkey: usize = memory.data(16);

/** Event names as ldblib's hookf passes them (ORDER event). */
function eventname(e: i32): string {
  switch (e) {
    case HOOKCALL: return "call";
    case HOOKRET: return "return";
    case HOOKLINE: return "line";
    case HOOKCOUNT: return "count";
    default: return "tail call";
  }
}

/**
 * Calls registry._HOOKKEY[L](event, line) (ldblib's hookf); `line` < 0 passes nil. A thread
 * without a hook function gets its stale mask cleared. Returns OK/ERR.
 */
function callhookfn(L: usize, event: i32, line: i32): i32 {
  let f: usize = 0;
  if (registry != 0) {
    const ht = luaH_getstr(registry, luaS_new("_HOOKKEY"));
    if (ttistable(ht)) {
      setthvalue(thkey, L);
      f = luaH_get(hvalue(ht), thkey);
    }
  }
  if (f == 0 || !ttisfunction(f)) { lua_sethook(L, 0, 0); return OK; }
  if (luaD_checkstack(L, 3) != OK) return ERR;
  const top = L_top(L);
  setobj(top, f);
  setsvalue(top + TVALUE_SIZE, luaS_new(eventname(event)));
  if (line >= 0) setivalue(top + 2 * TVALUE_SIZE, <i64>line); else setnilvalue(top + 2 * TVALUE_SIZE);
  L_settop(L, top + 3 * TVALUE_SIZE);
  return luaD_callnoyield(L, top, 0);
}

/**
 * Runs the hook for `event` on the running frame (luaD_hook): keeps the frame's registers and top
 * intact, marks the frame CIST_HOOKED (and CIST_TRAN with the transfer info packed in ci.u2 as
 * ftransfer | ntransfer << 16, read by getinfo's 'r'), and disables hooks while it runs.
 */
export function luaD_hook(L: usize, event: i32, line: i32, ftransfer: i32, ntransfer: i32): i32 {
  let r = findrec(L);
  if (r == 0 || r_mask(r) == 0 || r_inhook(r)) return OK;
  if (L == interruptL) return lstop(L);
  const ci = L_ci(L);
  const topoff = savestack(L, L_top(L));
  const citopoff = savestack(L, ci_top(ci));
  const oldu2 = ci_u2(ci);
  let mask = CIST_HOOKED;
  if (ntransfer != 0) {
    mask |= CIST_TRAN;
    ci_setu2(ci, (ftransfer & 0xFFFF) | (ntransfer << 16));
  }
  if (isLua(ci) && L_top(L) < ci_top(ci)) L_settop(L, ci_top(ci));   // protect the whole frame
  if (luaD_checkstack(L, LUA_MINSTACK) != OK) return ERR;
  if (ci_top(ci) < L_top(L) + (<usize>LUA_MINSTACK << 4)) ci_settop(ci, L_top(L) + (<usize>LUA_MINSTACK << 4));
  store<i32>(r, 1, 20);
  ci_setcallstatus(ci, ci_callstatus(ci) | mask);
  const st = callhookfn(L, event, line);
  r = findrec(L);                                   // the hook may have changed the records
  if (r != 0) store<i32>(r, 0, 20);
  ci_settop(ci, restorestack(L, citopoff));
  L_settop(L, restorestack(L, topoff));
  ci_setcallstatus(ci, ci_callstatus(ci) & ~mask);
  ci_setu2(ci, oldu2);
  return st;
}

// ==== Events raised by the VM ====

/**
 * Call hook of the Lua frame `ci` (= L.ci) entering its function (luaD_hookcall): "call", or
 * "tail call" for a frame reused by OP_TAILCALL. Resets the line tracking of the thread.
 */
export function luaD_hookcall(L: usize, ci: usize): i32 {
  const r = findrec(L);
  if (r == 0) return OK;
  store<i32>(r, 0, 16);                             // oldpc = 0 for the new function
  if ((r_mask(r) & LUA_MASKCALL) == 0) return OK;
  const event = (ci_callstatus(ci) & CIST_TAIL) != 0 ? HOOKTAILCALL : HOOKCALL;
  const p = cl_proto(clvalue(ci_func(ci)));
  return luaD_hook(L, event, -1, 1, p_numparams(p));
}

/**
 * Call hook of a native frame `ci` (= L.ci) about to run with `narg` arguments (precallC).
 * Call it when hookactive, after the CallInfo is set up and before the native runs.
 */
export function luaD_hookccall(L: usize, ci: usize, narg: i32): i32 {
  const r = findrec(L);
  if (r == 0 || (r_mask(r) & LUA_MASKCALL) == 0) return OK;
  return luaD_hook(L, HOOKCALL, -1, 1, narg);
}

/**
 * Return hook of frame `ci` (= L.ci) whose `nres` results are the top slots (rethook). Call it when
 * hookactive, before the results move (luaD_poscall), after tbc variables are closed. For a vararg
 * Lua frame whose func was already moved back by OP_RETURN, the hook sees the frame as it ran.
 * Also sets the caller's line-tracking pc, as PUC does even without a return hook. May move the stack.
 */
export function luaD_rethook(L: usize, ci: usize, nres: i32): i32 {
  const r = findrec(L);
  if (r == 0) return OK;
  let st = OK;
  if ((r_mask(r) & LUA_MASKRET) != 0) {
    let delta: usize = 0;                           // vararg: back to the frame's own func
    if (isLua(ci)) {
      const p = cl_proto(clvalue(ci_func(ci)));
      if (p_isvararg(p)) delta = <usize>(ci_nextraargs(ci) + p_numparams(p) + 1) << 4;
    }
    ci_setfunc(ci, ci_func(ci) + delta);
    const ftransfer = <i32>((L_top(L) - (<usize>nres << 4) - ci_func(ci)) >> 4);
    st = luaD_hook(L, HOOKRET, -1, ftransfer, nres);
    ci_setfunc(ci, ci_func(ci) - delta);
  }
  const prev = ci_previous(ci);
  const r2 = findrec(L);
  if (r2 != 0 && prev != 0 && isLua(prev) && ttisfunction(ci_func(prev))) {
    const p = cl_proto(clvalue(ci_func(prev)));
    store<i32>(r2, <i32>((ci_savedpc(prev) - p_code(p)) >> 2) - 1, 16);
  }
  return st;
}

/**
 * Traces the Lua frame `ci` (= L.ci) before it executes the instruction at address `pc`
 * (luaG_traceexec + the entry half of luaD_hookcall): the call hook when the frame is entered, the
 * count hook every `count` instructions, and the line hook on a new line or a backward jump.
 * Sets ci.savedpc to pc + 4 (the hook sees the instruction being executed as current). May run
 * Lua code and move the stack: the VM re-derives `base` afterwards. Returns OK/ERR.
 */
export function luaG_traceexec(L: usize, ci: usize, pc: usize): i32 {
  let r = findrec(L);
  if (r == 0 || r_mask(r) == 0) return OK;          // (code run by a hook is traced too: it uses
  const p = cl_proto(clvalue(ci_func(ci)));         //  up the count, but luaD_hook calls nothing)
  const code = p_code(p);
  const cs = ci_callstatus(ci);
  ci_setsavedpc(ci, pc + 4);
  if ((cs & CIST_HOOKSTARTED) == 0) {               // first instruction of a new frame?
    ci_setcallstatus(ci, cs | CIST_HOOKSTARTED);
    if (pc == code) {
      if (p_isvararg(p)) {                          // hooks start after OP_VARARGPREP
        ci_setcallstatus(ci, ci_callstatus(ci) | CIST_HOOKVARARG);
        return OK;
      }
      if (luaD_hookcall(L, ci) != OK) return ERR;
    }
  } else if ((cs & CIST_HOOKVARARG) != 0) {         // just after OP_VARARGPREP
    ci_setcallstatus(ci, cs & ~CIST_HOOKVARARG);
    if (luaD_hookcall(L, ci) != OK) return ERR;
    r = findrec(L);
    if (r != 0) store<i32>(r, 1, 16);               // the next line is a "new" one
  }
  r = findrec(L);
  if (r == 0) return OK;
  const mask = r_mask(r);
  if ((mask & (LUA_MASKLINE | LUA_MASKCOUNT)) == 0) return OK;
  const cnt = r_count(r) - 1;
  store<i32>(r, cnt, 12);
  const counthook = cnt == 0 && (mask & LUA_MASKCOUNT) != 0;
  if (counthook) store<i32>(r, r_basecount(r), 12);  // resethookcount
  else if ((mask & LUA_MASKLINE) == 0) return OK;
  if (!testITMode(GET_OPCODE(load<u32>(pc)))) L_settop(L, ci_top(ci));   // top not in use: protect registers
  if (counthook && luaD_hook(L, HOOKCOUNT, -1, 0, 0) != OK) return ERR;
  if ((mask & LUA_MASKLINE) != 0) {
    r = findrec(L);
    if (r == 0) return OK;
    let oldpc = r_oldpc(r);
    if (oldpc >= p_sizecode(p) || oldpc < 0) oldpc = 0;   // may be stale: use a valid one
    const npci = <i32>((pc - code) >> 2);
    const newline = luaG_getfuncline(p, npci);
    if (npci <= oldpc || luaG_getfuncline(p, oldpc) != newline) {
      if (luaD_hook(L, HOOKLINE, newline, 0, 0) != OK) return ERR;
    }
    r = findrec(L);
    if (r != 0) store<i32>(r, npci, 16);
  }
  return OK;
}

export { CIST_HOOKSTARTED, CIST_HOOKVARARG };
