// collect.ts - object creation, the collector's list heads and colour state, and the control of
// collection cycles: the incremental state machine, debt-paced steps, full collections, parameters
// (lgc.c control).
//
// The collector is a non-moving, incremental tri-colour mark & sweep (mark.ts, weak.ts, sweep.ts,
// finalize.ts) with write barriers (barrier.ts). A cycle goes through these states (lgc.h GCS*):
//   pause       between cycles; the next step marks the roots (restart) and enters propagate
//   propagate   each step traverses some gray objects (propagatemark)
//   enteratomic the gray list is empty: the next step runs `atomic` in one go
//   atomic      (inside that step) re-marks roots and threads, re-traverses every object a barrier
//               sent back to gray, resolves ephemerons, clears weak entries, separates and
//               resurrects unreachable finalizable objects, then flips the whites
//   swpallgc, swpfinobj, swptobefnz   each step sweeps at most GCSWEEPMAX objects of a list
//   swpend      shrinks the string table
//   callfin     each step runs up to GCFINMAX pending finalizers; then pause again
//
// Pacing (lgc.c incstep): allocation adds to a debt; a safe point with positive debt runs a step
// that does work proportional to the debt times the step multiplier (in units of 16 bytes: one
// TValue visited or swept) and at least a step size's worth (2^stepsize bytes times stepmul), then
// sets a negative debt (credit) for the work done. After a cycle the next one starts when the heap
// reaches `pause`% of the live bytes found by the last cycle. Unlike PUC, one step does at most
// MAXSTEPS step sizes of work and a larger debt is carried to the next steps only up to MAXCARRY such
// steps, so a big allocation (a string table or array resize, a long string) never turns into one
// step that finishes the whole cycle, nor into a train of steps that stalls the program.
//
// Debt representation: mem/alloc.ts counts net bytes allocated since `resetdebt` in `gcdebt`
// (allocations add, frees subtract, as PUC's GCdebt; a step ends with a reset, so the sweep's own
// frees give no credit, as in PUC where incstep overwrites the debt). PUC's debt D is kept as
// gcdebt - gcthreshold: setdebt(D) resets gcdebt and sets gcthreshold = -D. D is <= 0 after a step
// unless the step was capped (then gcthreshold < 0 and the next safe point after a net allocation
// steps again: the VM's quick `gcdebt > 0` pre-check stays a necessary condition, and carried work
// waits while the program frees more than it allocates).
//
// Colours (header.ts): an object is white (one of two whites), gray (no colour bit: reached, not yet
// traversed, or linked in one of the collector's gray/weak lists) or black (traversed). Objects are
// created with `currentwhite`. At the end of atomic the whites flip, so everything still carrying
// the old white (`otherwhite`) is dead and is freed by the sweep, which repaints the survivors with
// the new current white.
//
// Invariants:
//  - every collectable object is created by `newobj` and sits in exactly one list: allgc (ordinary),
//    fixedgc (never collected), finobj (has a __gc) or tobefnz (unreachable, finalizer pending);
//  - while marking (propagate/atomic) no black object refers to a white one, except through weak
//    references (barrier.ts keeps this), threads are never black outside atomic (they stay gray and
//    are re-traversed in atomic), and open upvalues are black with their slot's value marked;
//  - a collection step only happens at a safe point: luaC_checkGC / luaC_step / luaC_fullgc, called
//    by the VM and natives when every live value is reachable from the roots (mark.ts) or sits below
//    `top` on a thread's stack. Allocation itself never collects. AS code that keeps an object only
//    in a local across a safe point must anchor it with luaC_pushroot/luaC_poproot.
//  - slots of a live thread at or above its `top` are dead: atomic sets them to nil.
//
// Interface: newobj, luaC_fix, luaC_init (interns "__mode"/"__gc"), luaC_fullgc, luaC_step,
// luaC_stepapi (collectgarbage "step"), luaC_checkGC, gcstop/gcrestart/gcrunning,
// setpause/setstepmul/setstepsize (previous value back), luaC_setmode, luaC_count,
// luaC_resetthreshold (after mem/alloc setlimit), luaC_pushroot/luaC_poproot, luaC_checkfinalizer
// (setmetatable), luaC_setfinalizerhooks (the VM's protected call and the warning function),
// luaC_runallfinalizers (lua_close), barriers (barrier.ts).
// Stress builds (luaconf STRESS): LUA_STRESS_GC alone runs a full collection at every safe point;
// with LUA_STRESS_INC as well (target "stressinc") every safe point runs one single step instead, so
// every store happens at some point of a cycle and a missing barrier frees a live object; both
// check the tri-colour invariant over the whole heap at the end of each atomic phase (mark.ts).

import { luaM_allocobj, zerobytes, gcdebt, resetdebt, totalbytes, heaplimit, collecthost, luaM_flushcache } from "../mem/alloc";
import { STRESS } from "../luaconf";
import {
  WHITE0BIT, WHITE1BIT, WHITEBITS, BLACKBIT, FIXEDBIT, setmarked, getmarked, setnext, getnext,
} from "../object/header";
import { luaS_new, strtcount } from "../object/string";
import {
  markroots, propagateall, propagatemark, resetgray, hasgray, takegrayagain, remarkgrayagain,
  checkinvariant,
} from "./mark";
import { resetweak, convergeephemerons, clearweakvalues, clearweakkeys } from "./weak";
import { sweepstep, sweepsetlist, sweepfinish, sweepdone } from "./sweep";
import {
  separatetobefnz, markbeingfnz, hastobefnz, runafewfinalizers, runallfinalizers, endclose,
} from "./finalize";

export { luaC_pushroot, luaC_poproot } from "./mark";
export { luaC_checkfinalizer, luaC_setfinalizerhooks, FinalizerCall, FinalizerWarn } from "./finalize";
export { luaC_barrier, luaC_barrierback, luaC_objbarrier } from "./barrier";

/** Stress variant: one single step per safe point instead of a full collection. */
// @ts-ignore: decorator
@inline export const STRESS_INC: bool = isDefined(LUA_STRESS_INC);

// ==== Lists and colours ====

/**
 * List heads live in linear memory so that the sweeper can hold the address of the link it will
 * follow next (a head slot or an object's `next` field, which is at offset 0 of every object).
 */
export const HEADS: usize = memory.data(16, 4);
// @ts-ignore: decorator
@inline export const ALLGC: usize = HEADS;
// @ts-ignore: decorator
@inline export const FINOBJ: usize = HEADS + 4;
// @ts-ignore: decorator
@inline export const TOBEFNZ: usize = HEADS + 8;
// @ts-ignore: decorator
@inline export const FIXEDGC: usize = HEADS + 12;

/** Head of the list of all collectable objects (except fixed, finobj and tobefnz ones). */
// @ts-ignore: decorator
@inline export function allgc(): usize { return load<usize>(ALLGC); }
/** Objects that are never collected (reserved words, metamethod names). */
// @ts-ignore: decorator
@inline export function fixedgc(): usize { return load<usize>(FIXEDGC); }
export function setallgc(p: usize): void { store<usize>(ALLGC, p); }

/** The white of newly created objects; flips at the end of atomic. */
export let currentwhite: u8 = WHITE0BIT;
export function flipwhite(): void { currentwhite ^= WHITEBITS; }

// @ts-ignore: decorator
@inline export function otherwhite(): u8 { return currentwhite ^ WHITEBITS; }

/** An object is dead if it is marked with the white of the previous cycle. */
// @ts-ignore: decorator
@inline export function isdead(o: usize): bool { return (getmarked(o) & otherwhite() & WHITEBITS) != 0; }

/** Gives a dead-looking object the current white (used when interning resurrects a string). */
export function changewhite(o: usize): void { setmarked(o, getmarked(o) ^ WHITEBITS); }

/** Repaints an object with the current white (keeps the finalizer and fixed bits). */
// @ts-ignore: decorator
@inline export function makewhite(o: usize): void {
  setmarked(o, (getmarked(o) & ~(BLACKBIT | WHITEBITS)) | currentwhite);
}

/** Allocates a zeroed object of `size` bytes with variant tag `tt` and links it in allgc. */
export function newobj(tt: u8, size: usize): usize {
  const o = luaM_allocobj(size);
  zerobytes(o, size);
  store<u8>(o, tt, 4);
  setmarked(o, currentwhite);
  setnext(o, load<usize>(ALLGC));
  store<usize>(ALLGC, o);
  return o;
}

/**
 * As newobj without zero-filling the body: for a creator that writes every byte past the header
 * itself (a table with inline parts, object/table.ts luaH_newsized).
 */
export function newobjraw(tt: u8, size: usize): usize {
  const o = luaM_allocobj(size);
  store<u8>(o, tt, 4);
  setmarked(o, currentwhite);
  setnext(o, load<usize>(ALLGC));
  store<usize>(ALLGC, o);
  return o;
}

/**
 * The sweeper's position: address of the link (head slot or object `next` field) it follows next,
 * 0 when no sweep is under way. Kept here so that list surgery (unlinkallgc) can correct it.
 */
export let sweepgc: usize = 0;
export function setsweepgc(p: usize): void { sweepgc = p; }

/**
 * Removes `o` from allgc; false if it is not there (fixed, or in the finalizer lists). If the
 * sweeper's next link is o's own `next` field, it moves back to the link that pointed to o.
 */
export function unlinkallgc(o: usize): bool {
  let slot = ALLGC;
  while (true) {
    const p = load<usize>(slot);
    if (p == 0) return false;
    if (p == o) {
      store<usize>(slot, getnext(o));
      if (sweepgc == o) sweepgc = slot;
      return true;
    }
    slot = p;                            // `next` is at offset 0: the object is its link's address
  }
  return false;
}

/**
 * Moves an object from allgc to the fixed list: never collected, never swept (luaC_fix). Fixing an
 * object twice is a no-op. Usually `o` is the newest object (O(1)); otherwise allgc is searched, so a
 * name that was interned before it was fixed is still fixed correctly.
 */
export function luaC_fix(o: usize): void {
  if ((getmarked(o) & FIXEDBIT) != 0) return;
  if (!unlinkallgc(o)) return;
  setmarked(o, (getmarked(o) & ~(WHITEBITS | BLACKBIT)) | FIXEDBIT);   // gray forever: never marked
  setnext(o, load<usize>(FIXEDGC));
  store<usize>(FIXEDGC, o);
}

// ==== Collector state (lgc.h GCS*) ====
// @ts-ignore: decorator
@inline export const GCSpropagate: i32 = 0;
// @ts-ignore: decorator
@inline export const GCSenteratomic: i32 = 1;
// @ts-ignore: decorator
@inline export const GCSatomic: i32 = 2;
// @ts-ignore: decorator
@inline export const GCSswpallgc: i32 = 3;
// @ts-ignore: decorator
@inline export const GCSswpfinobj: i32 = 4;
// @ts-ignore: decorator
@inline export const GCSswptobefnz: i32 = 5;
// @ts-ignore: decorator
@inline export const GCSswpend: i32 = 6;
// @ts-ignore: decorator
@inline export const GCScallfin: i32 = 7;
// @ts-ignore: decorator
@inline export const GCSpause: i32 = 8;

/** Objects swept per single step (GCSWEEPMAX). */
// @ts-ignore: decorator
@inline const GCSWEEPMAX: i32 = 100;
/** Finalizers run per single step (GCFINMAX) and the work units charged for each. */
// @ts-ignore: decorator
@inline const GCFINMAX: i32 = 10;
// @ts-ignore: decorator
@inline const GCFINALIZECOST: i64 = 50;
/**
 * Most work one step does, in step sizes: a big debt (a large allocation, such as a string table
 * or array resize) is paid over several safe points instead of in one long pause. PUC has no cap.
 */
// @ts-ignore: decorator
@inline const MAXSTEPS: i64 = 1;
/**
 * Debt left after a capped step is kept up to this many capped steps; the rest is forgiven (it
 * comes from a few large blocks, which are few objects to mark and sweep).
 */
// @ts-ignore: decorator
@inline const MAXCARRY: i64 = 2;
/** Bytes per unit of work (WORK2MEM = sizeof(TValue)). */
// @ts-ignore: decorator
@inline const WORK2MEM: i64 = 16;

/** Phase of the current cycle (GCSpause between cycles). */
export let gcstate: i32 = GCSpause;
/** False after collectgarbage("stop"): debt no longer triggers steps (explicit collections still run). */
export let gcrunning: bool = true;
/**
 * True while a finalizer runs (PUC's GCSTPGC): steps are skipped, collectgarbage fails, and a full
 * collection is refused, so the collector is never re-entered from Lua code it called.
 */
export let gcbusy: bool = false;
/** Number of completed cycles (for tests and statistics). */
export let gccycles: i32 = 0;
/** True during an emergency collection (memory limit): finalizers are not run by it. */
let gcemergency: bool = false;
/** True during a full collection (luaC_fullgc). */
let gcfull: bool = false;
/** Interned strings at the last atomic phase, 0 in a full collection (sweep.ts checksizes). */
let strtatomic: i32 = 0;

/** Whether marking is under way: black objects exist and the barriers must keep the invariant. */
// @ts-ignore: decorator
@inline export function keepinvariant(): bool { return gcstate <= GCSatomic; }

/** Parameters, stored as PUC does: pause and stepmul divided by 4 in a byte (lgc.h setgcparam). */
let gcpause: u8 = 200 / 4;        // LUAI_GCPAUSE
let gcstepmul: u8 = 100 / 4;      // LUAI_GCMUL
let gcstepsize: i32 = 13;         // LUAI_GCSTEPSIZE (log2 of bytes)
/** Bytes in use after the last atomic phase, corrected by what the sweep freed (GCestimate). */
let gcestimate: usize = 0;
/** gcdebt above which the next step runs (minus PUC's debt; see the header). */
let gcthreshold: isize = 0;
/** "generational" or "incremental": the mode last set (both are served by the incremental collector). */
let gcgenmode: bool = false;

/** Fixed names the collector needs: "__mode" and "__gc". */
let s_mode: usize = 0;
let s_gc: usize = 0;
// @ts-ignore: decorator
@inline export function modename(): usize { return s_mode; }
// @ts-ignore: decorator
@inline export function gcname(): usize { return s_gc; }

/** Interns and fixes the names the collector looks up (idempotent; also run before every cycle). */
export function luaC_init(): void {
  if (s_mode == 0) { s_mode = luaS_new("__mode"); luaC_fix(s_mode); }
  if (s_gc == 0) { s_gc = luaS_new("__gc"); luaC_fix(s_gc); }
}

// ==== Debt ====

/**
 * Sets PUC's debt to `debt` bytes (<= 0: credit before the next step), never beyond the room left
 * under the memory limit, so a safe point collects before the heap passes the limit.
 */
function setdebt(debt: i64): void {
  let allowed: i64 = debt < 0 ? -debt : 0;
  const limit = heaplimit();                    // the limit less the host's bytes (mem/alloc.ts)
  const room: i64 = <i64>limit > <i64>totalbytes ? <i64>limit - <i64>totalbytes : 0;
  if (room < allowed) allowed = room;
  if (allowed > 0x3FFFFFFF) allowed = 0x3FFFFFFF;
  gcthreshold = <isize>allowed;
  resetdebt();
}

/** PUC's current debt in bytes (positive: a step is due). */
// @ts-ignore: decorator
@inline function getdebt(): i64 { return <i64>gcdebt - <i64>gcthreshold; }

/** After a cycle: the next one starts at pause% of the estimate of live bytes (lgc.c setpause). */
function setpausedebt(): void {
  const pause = <i64>gcpause * 4;
  const threshold = <i64>(gcestimate / 100) * pause;
  const debt = <i64>totalbytes - threshold;
  setdebt(debt > 0 ? 0 : debt);
}

// ==== Cycle ====

/** Marks the roots and anything left for finalization: a new cycle begins (restartcollection). */
function restartcollection(L: usize): void {
  luaC_init();
  resetgray();
  resetweak();
  markroots(L);
  markbeingfnz();
}

/**
 * The atomic part of a cycle (lgc.c atomic): re-marks the roots, re-traverses threads and everything
 * the barriers sent back to gray, resolves ephemerons, clears weak entries, separates unreachable
 * finalizable objects and resurrects them, then flips the whites. Afterwards the only objects
 * carrying `otherwhite` are garbage. Returns the work done.
 */
function atomic(L: usize): i64 {
  gcstate = GCSatomic;
  let work: i64 = 0;
  takegrayagain();
  markroots(L);
  work += propagateall();
  remarkgrayagain();               // threads, touched tables, weak tables seen while propagating
  work += propagateall();
  convergeephemerons();
  if (STRESS) checkinvariant();    // every strongly reachable object is now black
  clearweakvalues();               // before resurrection: weak values to finalized objects vanish
  separatetobefnz();
  markbeingfnz();                  // resurrect them (and what they reach) for their finalizers
  work += propagateall();
  convergeephemerons();
  clearweakkeys();                 // after resurrection: resurrected keys stay until finalized
  clearweakvalues();               // tables reached only through resurrected objects
  flipwhite();
  return work;
}

/** Enters the sweep phase at the head of allgc (entersweep). */
function entersweep(): void {
  gcstate = GCSswpallgc;
  sweepsetlist(ALLGC);
}

/** Runs one step of the state machine; returns the work done in units of 16 bytes (singlestep). */
function singlestep(L: usize): i64 {
  switch (gcstate) {
    case GCSpause: {
      restartcollection(L);
      gcstate = GCSpropagate;
      return 1;
    }
    case GCSpropagate: {
      if (!hasgray()) { gcstate = GCSenteratomic; return 0; }
      return propagatemark();
    }
    case GCSenteratomic: {
      const work = atomic(L);
      strtatomic = gcfull ? 0 : strtcount();
      entersweep();
      gcestimate = totalbytes;
      return work;
    }
    case GCSswpallgc: {
      const before = totalbytes;
      const n = sweepstep(GCSWEEPMAX);
      gcestimate -= before - totalbytes;
      if (sweepdone()) { gcstate = GCSswpfinobj; sweepsetlist(FINOBJ); }
      return n;
    }
    case GCSswpfinobj: {
      const n = sweepstep(GCSWEEPMAX);
      if (sweepdone()) { gcstate = GCSswptobefnz; sweepsetlist(TOBEFNZ); }
      return n;
    }
    case GCSswptobefnz: {
      const n = sweepstep(GCSWEEPMAX);
      if (sweepdone()) { gcstate = GCSswpend; sweepsetlist(0); }
      return n;
    }
    case GCSswpend: {
      sweepfinish(strtatomic);
      gccycles++;
      gcstate = GCScallfin;
      return 0;
    }
    case GCScallfin: {
      if (hastobefnz() && !gcemergency && L != 0) {
        gcbusy = true;
        const n = runafewfinalizers(L, GCFINMAX);
        gcbusy = false;
        return <i64>n * GCFINALIZECOST;
      }
      gcstate = GCSpause;
      return 0;
    }
    default: unreachable(); return 0;
  }
}

/** Runs single steps until the state is `state` (luaC_runtilstate for one state). */
function runtilstate(L: usize, state: i32): void {
  while (gcstate != state) singlestep(L);
}

/**
 * A basic incremental step (lgc.c incstep): work proportional to the debt times the step
 * multiplier, at least a step size's worth, then credit for the work done (or the pause after a
 * finished cycle).
 */
function incstep(L: usize, capped: bool = true): void {
  const stepmul: i64 = <i64>(gcstepmul * 4) | 1;
  let debt: i64 = (getdebt() / WORK2MEM) * stepmul;
  const stepsize: i64 = gcstepsize <= 40 ? ((<i64>1 << gcstepsize) / WORK2MEM) * stepmul : <i64>0x3FFFFFFFFFFFFFFF;
  const maxwork: i64 = capped && stepsize < (<i64>1 << 60) ? stepsize * MAXSTEPS : <i64>0x3FFFFFFFFFFFFFFF;
  let work: i64 = 0;
  do {
    const w = singlestep(L);
    debt -= w;
    work += w;
  } while (debt > -stepsize && gcstate != GCSpause && work < maxwork);
  if (gcstate == GCSpause) setpausedebt();
  else if (debt > 0) {                    // capped: a little more is paid at the next safe points
    if (debt > maxwork * MAXCARRY) debt = maxwork * MAXCARRY;
    resetdebt();
    const d = (debt / stepmul) * WORK2MEM;
    gcthreshold = -<isize>(d > 0x3FFFFFFF ? 0x3FFFFFFF : d);
  } else setdebt((debt / stepmul) * WORK2MEM);
}

/**
 * Does one incremental step if the collector runs (luaC_step); when stopped, only postpones the
 * next check. Returns true if the step finished a cycle (the collector is back in pause).
 */
export function luaC_step(L: usize): bool {
  if (gcbusy) return false;
  if (!gcrunning) { setdebt(-2000); return false; }
  incstep(L);
  return gcstate == GCSpause;
}

/**
 * collectgarbage("step", n) (lua_gc LUA_GCSTEP): with n == 0 one basic step, else n KB are added
 * to the debt and a step runs if that makes it positive. Runs even when the collector is stopped.
 * True when a cycle finished.
 */
export function luaC_stepapi(L: usize, kb: i64): bool {
  if (gcbusy) return false;
  let debt: i64 = 1;
  if (kb == 0) {
    setdebt(0);
    incstep(L, false);
  } else {
    debt = kb * 1024 + getdebt();
    if (debt > 0) {                                    // incstep reads the debt: make it `debt`
      resetdebt();
      gcthreshold = -<isize>(debt > 0x3FFFFFFF ? 0x3FFFFFFF : debt);
      incstep(L, false);                               // as asked: no cap (a big n ends the cycle)
    } else setdebt(debt);
  }
  return debt > 0 && gcstate == GCSpause;
}

/**
 * A full collection (luaC_fullgc, incremental mode's fullinc); runs even when the collector is
 * stopped, refused inside a finalizer. Black objects of an unfinished mark are first swept back to
 * white, then a whole cycle runs, finalizers included (not in an emergency).
 */
export function luaC_fullgc(L: usize, emergency: bool = false): void {
  if (gcbusy) return;
  gcemergency = emergency;
  gcfull = true;
  if (keepinvariant()) entersweep();          // nothing is collected: whites did not flip
  runtilstate(L, GCSpause);
  runtilstate(L, GCSpropagate);               // restart
  gcstate = GCSenteratomic;                   // straight to atomic: everything gray now is traversed
  runtilstate(L, GCScallfin);
  runtilstate(L, GCSpause);                   // finalizers (skipped in an emergency)
  gcemergency = false;
  gcfull = false;
  setpausedebt();
  luaM_flushcache();                          // freed small blocks back to TLSF, to coalesce
}

/**
 * Slow path of luaC_checkGC: a step if the collector runs, then the memory limit. A heap still above
 * the limit after a full (emergency) collection is out of memory: returns false, and the caller
 * raises "not enough memory" (luaG_memerror). Collection happens here, at a safe point, never inside
 * an allocation; that is why the limit is enforced here and by `fits`, not by the allocator.
 */
export function luaC_condstep(L: usize): bool {
  if (STRESS && !gcbusy && gcrunning) {
    if (STRESS_INC) {
      singlestep(L);
      if (gcdebt > gcthreshold) luaC_step(L);
    } else {
      luaC_fullgc(L);
    }
  } else if (!gcbusy) luaC_step(L);
  if (totalbytes > heaplimit()) {              // heap + host bytes over the limit
    if (!gcbusy) luaC_fullgc(L, true);        // even when stopped, as PUC's emergency GC
    if (totalbytes > heaplimit()) collecthost();   // then the host's unreachable external tables
    if (totalbytes > heaplimit()) return false;
  }
  return true;
}

/**
 * At a safe point: a step if enough has been allocated since the last one (luaC_checkGC).
 * Returns false when the heap is over the memory limit even after a full collection; the caller
 * must then raise "not enough memory". The threshold never lets the heap pass the limit without
 * reaching the slow path (setdebt caps it at the room left). The stress builds collect at every
 * safe point.
 */
// @ts-ignore: decorator
@inline export function luaC_checkGC(L: usize): bool {
  if (STRESS || gcdebt > gcthreshold) return luaC_condstep(L);
  return true;
}

// ==== Parameters and control (lua_gc) ====

export function gcstop(): void { gcrunning = false; }
export function gcrestart(): void { setdebt(0); gcrunning = true; }
export function gcisrunning(): bool { return gcrunning; }

/** Sets the pause (percent); returns the previous value, quantised as PUC stores it. */
export function setpause(n: i32): i32 { const old = <i32>gcpause * 4; gcpause = <u8>(n / 4); return old; }
/** Sets the step multiplier (percent); returns the previous value. */
export function setstepmul(n: i32): i32 { const old = <i32>gcstepmul * 4; gcstepmul = <u8>(n / 4); return old; }
/** Sets log2 of the step size in bytes; returns the previous value. */
export function setstepsize(n: i32): i32 { const old = gcstepsize; gcstepsize = n; return old; }
export function getpause(): i32 { return <i32>gcpause * 4; }
export function getstepmul(): i32 { return <i32>gcstepmul * 4; }

/**
 * collectgarbage("incremental"/"generational", ...): records the mode and returns whether the
 * previous one was generational. Generational mode is served by the incremental collector.
 */
export function luaC_setmode(generational: bool): bool {
  const old = gcgenmode;
  gcgenmode = generational;
  return old;
}

/** Bytes in use by Lua (collectgarbage("count") * 1024). */
export function luaC_count(): f64 { return <f64>totalbytes; }

/** Recomputes the threshold from the current heap (call after changing the memory limit). */
export function luaC_resetthreshold(): void {
  if (gcstate == GCSpause) { gcestimate = totalbytes; setpausedebt(); }
  else setdebt(getdebt() > 0 ? 0 : getdebt());
}

/** At state close: runs the __gc of every object that has one (lua_close). */
export function luaC_runallfinalizers(L: usize): void {
  if (gcbusy) {                                   // lua_close inside a finalizer: the others run now
    runallfinalizers(L);
    return;
  }
  while (gcstate >= GCSswpallgc && gcstate <= GCSswpend) singlestep(L);   // the sweeper leaves the lists
  gcbusy = true;
  runallfinalizers(L);
  gcbusy = false;
  endclose();
}

/** The collector's phase (for tests). */
export function luaC_state(): i32 { return gcstate; }

/** Runs single steps until the collector reaches `state` (luaC_runtilstate; for tests). */
export function luaC_runtil(L: usize, state: i32): void {
  if (gcbusy || state < GCSpropagate || state > GCSpause || state == GCSatomic) return;
  runtilstate(L, state);
}
