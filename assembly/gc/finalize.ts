// finalize.ts - __gc finalizers: the finobj and tobefnz lists, separation of unreachable finalizable
// objects, resurrection and calling finalizers at a safe point (lgc.c finalization).
//
// An object gets a finalizer only if its metatable has a __gc field when setmetatable runs
// (luaC_checkfinalizer): it then moves from allgc to finobj and carries FINALIZEDBIT. When marking
// finds it unreachable it moves to the end of tobefnz and is marked again (resurrected, with all it
// reaches) so its finalizer can see it. After the sweep, finalizers run one by one: the object
// returns to allgc as an ordinary object and its __gc is called as `__gc(o)` through the call hook
// (set by the VM: a protected call such as luaD_pcall), with collection disabled (collect.ts sets
// gcbusy around the calls: steps are skipped and collectgarbage fails); an error becomes a
// warning through the warn hook ("error in __gc (msg)"), or is dropped if there is none.
// The hooks exist because gc/ sits below vm/ and cannot import the call machinery.
// Invariant: every object in finobj or tobefnz has FINALIZEDBIT set, and no other object has it.

import { setobj, setgcovalue, ttisnil } from "../object/value";
import { FINALIZEDBIT, getmarked, setmarked, getnext, setnext, gettt, iswhite } from "../object/header";
import * as ltable from "../object/table";
import { udata_metatable } from "../object/userdata";
import {
  L_top, L_settop, L_ci, ci_callstatus, ci_setcallstatus, CIST_FIN, hasstack, luaD_growstack,
  savestack, restorestack, LUA_OK,
} from "../vm/state";
import {
  ALLGC, FINOBJ, TOBEFNZ, unlinkallgc, gcname, luaC_init, gcstate, GCSswpallgc, GCSswpend, makewhite,
} from "./collect";
import { markobject } from "./mark";

// The lists live in collect.ts's HEADS block (so the sweeper can point at their heads):
//   finobj   objects with a finalizer that are still reachable (or not yet found unreachable)
//   tobefnz  unreachable objects whose finalizer has not run yet, in calling order
// @ts-ignore: decorator
@inline function finobj(): usize { return load<usize>(FINOBJ); }
// @ts-ignore: decorator
@inline function setfinobj(p: usize): void { store<usize>(FINOBJ, p); }
// @ts-ignore: decorator
@inline function tobefnz(): usize { return load<usize>(TOBEFNZ); }
// @ts-ignore: decorator
@inline function settobefnz(p: usize): void { store<usize>(TOBEFNZ, p); }
export function hastobefnz(): bool { return tobefnz() != 0; }

// @ts-ignore: decorator
@inline function issweepphase(): bool { return gcstate >= GCSswpallgc && gcstate <= GCSswpend; }

/** (L, func, nresults) => status: calls func with its arguments above it, protected (luaD_pcall). */
export type FinalizerCall = (L: usize, func: usize, nresults: i32) => i32;
/** (L) => void: emits the warning for the error object at top - 1. */
export type FinalizerWarn = (L: usize) => void;
let callhook: usize = 0;
let warnhook: usize = 0;

/**
 * Installs the call and warn hooks (function references as usize: changetype<usize>(fn)); 0 leaves
 * a hook unset. Without a call hook, finalizable objects are still resurrected and kept correctly
 * but their __gc is not run.
 */
export function luaC_setfinalizerhooks(call: usize, warn: usize): void {
  callhook = call;
  warnhook = warn;
}

/** The metatable of a table or userdata, 0 otherwise. */
function objmetatable(o: usize): usize {
  const tt = gettt(o);
  if (tt == 5) return ltable.getmetatable(o);
  if (tt == 7) return udata_metatable(o);
  return 0;
}

/**
 * The bit of a table's flags that caches "this metatable has no __gc": vm/tm.ts's absence cache
 * (bit TM.GC; gc/ sits below vm/, so the bit is restated here), invalidated by any raw store of a key.
 */
// @ts-ignore: decorator
@inline const TM_GC_ABSENT: u8 = 1 << 2;

/**
 * Registers `o` for finalization if `mt` has a __gc field (luaC_checkfinalizer): called by
 * setmetatable after the metatable is set. Moves `o` from allgc to finobj.
 */
export function luaC_checkfinalizer(L: usize, o: usize, mt: usize): void {
  if ((getmarked(o) & FINALIZEDBIT) != 0 || mt == 0 || closing) return;
  if ((ltable.getflags(mt) & TM_GC_ABSENT) != 0) return;
  luaC_init();
  if (ttisnil(ltable.luaH_getshortstr(mt, gcname()))) {
    ltable.setflags(mt, ltable.getflags(mt) | TM_GC_ABSENT);
    return;
  }
  if (!unlinkallgc(o)) return;           // (moves the sweeper back if it was about to follow o)
  if (issweepphase()) makewhite(o);      // "swept": finobj may have been swept already
  setnext(o, finobj());
  setfinobj(o);
  setmarked(o, getmarked(o) | FINALIZEDBIT);
}

/**
 * Moves every unmarked object of finobj (every object if `all`, at close) to the end of tobefnz,
 * keeping their order (separatetobefnz). Called after marking, before the whites flip.
 */
export function separatetobefnz(all: bool = false): void {
  let last: usize = 0;
  for (let p = tobefnz(); p != 0; p = getnext(p)) last = p;
  let prev: usize = 0;
  let cur = finobj();
  while (cur != 0) {
    const nx = getnext(cur);
    if (all || iswhite(cur)) {
      if (prev == 0) setfinobj(nx); else setnext(prev, nx);
      setnext(cur, 0);
      if (last == 0) settobefnz(cur); else setnext(last, cur);
      last = cur;
    } else prev = cur;
    cur = nx;
  }
}

/** Marks every object waiting for its finalizer (markbeingfnz). */
export function markbeingfnz(): void {
  for (let o = tobefnz(); o != 0; o = getnext(o)) markobject(o);
}

/** Takes the first object of tobefnz back into allgc as an ordinary object (udata2finalize). */
function udata2finalize(): usize {
  const o = tobefnz();
  settobefnz(getnext(o));
  setnext(o, load<usize>(ALLGC));
  store<usize>(ALLGC, o);
  setmarked(o, getmarked(o) & ~FINALIZEDBIT);
  if (issweepphase()) makewhite(o);      // "swept" (allgc's head may be behind the sweeper)
  return o;
}

/** Runs the finalizer of the first object of tobefnz (GCTM). */
function GCTM(L: usize): void {
  const o = udata2finalize();
  const mt = objmetatable(o);
  if (mt == 0 || callhook == 0) return;
  const tm = ltable.luaH_getshortstr(mt, gcname());
  if (ttisnil(tm)) return;
  if (!hasstack(L, 2) && !luaD_growstack(L, 2)) return;   // no room: skip, as an error would
  const func = L_top(L);
  const off = savestack(L, func);
  setobj(func, tm);
  setgcovalue(func + 16, o);
  L_settop(L, func + 32);
  const ci = L_ci(L);
  ci_setcallstatus(ci, ci_callstatus(ci) | CIST_FIN);
  const status = changetype<FinalizerCall>(callhook)(L, func, 0);
  ci_setcallstatus(ci, ci_callstatus(ci) & ~CIST_FIN);
  if (status != LUA_OK && warnhook != 0) changetype<FinalizerWarn>(warnhook)(L);
  L_settop(L, restorestack(L, off));
}

/** Calls up to `n` pending finalizers (runafewfinalizers); returns how many ran. */
export function runafewfinalizers(L: usize, n: i32): i32 {
  let i = 0;
  for (; i < n && tobefnz() != 0; i++) GCTM(L);
  return i;
}

/** Calls every pending finalizer (callallpendingfinalizers). */
export function callallpendingfinalizers(L: usize): void {
  while (tobefnz() != 0) GCTM(L);
}

/**
 * Set while the state closes (PUC's GCSTPCLS): an object given a __gc metatable then is not marked
 * for finalization. Cleared when the close's finalizers are done (endclose), for hosts and tests
 * that keep using the instance.
 */
let closing = false;

/** The close's finalizers are done: finalizers may be registered again. */
export function endclose(): void { closing = false; }

/**
 * At state close (lua_close's luaC_freeallobjects, finalizer part): calls the finalizer of every
 * object that has one, reachable or not, newest first. Objects are not freed. Called again from a
 * finalizer (os.exit(code, true) inside __gc), it runs the rest, as a nested lua_close does in PUC.
 */
export function runallfinalizers(L: usize): void {
  closing = true;
  separatetobefnz(true);
  callallpendingfinalizers(L);
}
