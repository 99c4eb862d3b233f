// collect.ts - object creation, the collector's list heads and colour state, and the control of
// collection cycles: full collection, steps, debt threshold, parameters (lgc.c control).
//
// The collector is a non-moving tri-colour mark & sweep (mark.ts, weak.ts, sweep.ts, finalize.ts).
// Today a cycle runs stop-the-world from start to finish inside one call; the state variable, the
// explicit gray list and the barrier entry points (barrier.ts) keep the shape needed to make it
// incremental later without changing callers.
//
// Colours (header.ts): an object is white (one of two whites), gray (no colour bit: reached, not yet
// traversed) or black (traversed). Objects are created with `currentwhite`. At the end of marking
// the whites flip, so everything still carrying the old white (`otherwhite`) is dead and is freed by
// the sweep, which repaints the survivors with the new current white.
//
// Invariants:
//  - every collectable object is created by `newobj` and sits in exactly one list: allgc (ordinary),
//    fixedgc (never collected), finobj (has a __gc) or tobefnz (unreachable, finalizer pending);
//  - a collection only happens at a safe point: luaC_checkGC / luaC_step / luaC_fullgc, called by
//    the VM and natives when every live value is reachable from the roots (mark.ts) or sits below
//    `top` on a thread's stack. Allocation itself never collects. AS code that keeps an object only
//    in a local across a safe point must anchor it with luaC_pushroot/luaC_poproot.
//  - slots of a live thread at or above its `top` are dead: the collector sets them to nil.
//
// Interface: newobj, luaC_fix, luaC_init (interns "__mode"/"__gc"), luaC_fullgc, luaC_step,
// luaC_checkGC, gcstop/gcrestart/gcrunning, setpause/setstepmul/setstepsize (previous value back),
// luaC_count, luaC_resetthreshold (after mem/alloc setlimit), luaC_pushroot/luaC_poproot,
// luaC_checkfinalizer (setmetatable), luaC_setfinalizerhooks (the VM's protected call and the
// warning function), luaC_runallfinalizers (lua_close), barriers (barrier.ts).

import { luaM_allocz, gcdebt, resetdebt, totalbytes, limit } from "../mem/alloc";
import { STRESS } from "../luaconf";
import {
  WHITE0BIT, WHITE1BIT, WHITEBITS, BLACKBIT, FIXEDBIT, setmarked, getmarked, setnext, getnext,
} from "../object/header";
import { luaS_new } from "../object/string";
import { markroots, propagateall, resetgray } from "./mark";
import { resetweak, convergeephemerons, clearweakvalues, clearweakkeys } from "./weak";
import { sweepall } from "./sweep";
import {
  separatetobefnz, markbeingfnz, callallpendingfinalizers, hastobefnz, runallfinalizers,
} from "./finalize";

export { luaC_pushroot, luaC_poproot } from "./mark";
export { luaC_checkfinalizer, luaC_setfinalizerhooks, FinalizerCall, FinalizerWarn } from "./finalize";
export { luaC_barrier, luaC_barrierback, luaC_objbarrier } from "./barrier";

// ==== Lists and colours ====

/** Head of the list of all collectable objects (except fixed, finobj and tobefnz ones). */
export let allgc: usize = 0;
/** Objects that are never collected (reserved words, metamethod names). */
export let fixedgc: usize = 0;
/** The white of newly created objects; flips at the end of marking. */
export let currentwhite: u8 = WHITE0BIT;

export function setallgc(p: usize): void { allgc = p; }
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
  const o = luaM_allocz(size);
  store<u8>(o, tt, 4);
  setmarked(o, currentwhite);
  setnext(o, allgc);
  allgc = o;
  return o;
}

/** Removes `o` from allgc; false if it is not there (fixed, or in the finalizer lists). */
export function unlinkallgc(o: usize): bool {
  if (allgc == o) { allgc = getnext(o); return true; }
  let p = allgc;
  while (p != 0) {
    const nx = getnext(p);
    if (nx == o) { setnext(p, getnext(o)); return true; }
    p = nx;
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
  setnext(o, fixedgc);
  fixedgc = o;
}

// Keep WHITE1BIT referenced for readers of the colour scheme.
// @ts-ignore: decorator
@inline export const WHITE_OF_ODD_CYCLES: u8 = WHITE1BIT;

// ==== Collector state (lgc.h GCS*) ====
// @ts-ignore: decorator
@inline export const GCSpropagate: i32 = 0;
// @ts-ignore: decorator
@inline export const GCSatomic: i32 = 2;
// @ts-ignore: decorator
@inline export const GCSswpallgc: i32 = 3;
// @ts-ignore: decorator
@inline export const GCScallfin: i32 = 7;
// @ts-ignore: decorator
@inline export const GCSpause: i32 = 8;

/** Phase of the current cycle (GCSpause between cycles). */
export let gcstate: i32 = GCSpause;
/** False after collectgarbage("stop"): debt no longer triggers steps (explicit collections still run). */
export let gcrunning: bool = true;
/** True while a cycle or a finalizer runs: nested collections are refused (PUC's GCSTPGC). */
export let gcbusy: bool = false;
/** Number of completed cycles (for tests and statistics). */
export let gccycles: i32 = 0;

/** Parameters, stored as PUC does: pause and stepmul divided by 4 in a byte (lgc.h setgcparam). */
let gcpause: u8 = 200 / 4;        // LUAI_GCPAUSE
let gcstepmul: u8 = 100 / 4;      // LUAI_GCMUL
let gcstepsize: i32 = 13;         // LUAI_GCSTEPSIZE (log2 of bytes)
/** Bytes in use after the last collection. */
let gcestimate: usize = 0;
/** gcdebt (bytes allocated since the last collection) above which the next step runs. */
let gcthreshold: isize = 0;

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

// ==== Cycle ====

/**
 * The atomic part of a cycle (lgc.c atomic): marks everything reachable, resolves ephemerons,
 * clears weak entries, separates unreachable finalizable objects and resurrects them, then flips
 * the whites. Afterwards the only objects carrying `otherwhite` are garbage.
 */
function atomic(L: usize): void {
  gcstate = GCSatomic;
  markroots(L);
  markbeingfnz();                 // objects waiting for their finalizer stay alive
  propagateall();
  convergeephemerons();
  clearweakvalues();              // before resurrection: weak values to finalized objects vanish
  separatetobefnz();
  markbeingfnz();                 // resurrect them (and what they reach) for their finalizers
  propagateall();
  convergeephemerons();
  clearweakkeys();                // after resurrection: resurrected keys stay until finalized
  clearweakvalues();              // tables reached only through resurrected objects
  flipwhite();
}

/** One complete stop-the-world cycle: mark, sweep, set the next threshold. */
function fullcycle(L: usize): void {
  luaC_init();
  resetgray();
  resetweak();
  gcstate = GCSpropagate;
  atomic(L);
  gcstate = GCSswpallgc;
  sweepall();
  gcestimate = totalbytes;
  setthreshold();
  gccycles++;
  gcstate = GCScallfin;
}

/**
 * Sets the debt threshold from the pause: the next cycle starts at pause% of the live bytes, or
 * earlier when the heap would reach the memory limit (so a safe point collects before the limit
 * check there raises "not enough memory").
 */
function setthreshold(): void {
  const pause = <u64>gcpause * 4;
  const threshold = <u64>gcestimate * pause / 100;
  let allowed = threshold > <u64>totalbytes ? threshold - <u64>totalbytes : 0;
  const room = <u64>limit > <u64>totalbytes ? <u64>limit - <u64>totalbytes : 0;
  if (room < allowed) allowed = room;
  gcthreshold = allowed > <u64>0x3FFFFFFF ? <isize>0x3FFFFFFF : <isize>allowed;
  resetdebt();
}

/** Runs the finalizers of objects found unreachable, with collection disabled meanwhile. */
function runfinalizers(L: usize): void {
  if (!hastobefnz() || L == 0) { gcstate = GCSpause; return; }
  gcbusy = true;
  callallpendingfinalizers(L);
  gcbusy = false;
  gcstate = GCSpause;
}

/** Recomputes the threshold from the current heap (call after changing the memory limit). */
export function luaC_resetthreshold(): void {
  gcestimate = totalbytes;
  setthreshold();
}

/** At state close: runs the __gc of every object that has one (lua_close). */
export function luaC_runallfinalizers(L: usize): void {
  if (gcbusy) return;
  gcbusy = true;
  runallfinalizers(L);
  gcbusy = false;
}

/** A full collection (luaC_fullgc); runs even when the collector is stopped. */
export function luaC_fullgc(L: usize): void {
  if (gcbusy) return;             // inside a finalizer: PUC refuses too
  gcbusy = true;
  fullcycle(L);
  gcbusy = false;
  runfinalizers(L);
}

/**
 * Does one unit of collector work (luaC_step); returns true when a cycle completed. A unit is
 * currently a whole cycle, so this always completes one unless a collection is already running.
 */
export function luaC_step(L: usize): bool {
  if (gcbusy) return false;
  luaC_fullgc(L);
  return true;
}

/**
 * Slow path of luaC_checkGC: a step if the collector runs, then the memory limit. A heap still above
 * the limit after a full (emergency) collection is out of memory: returns false, and the caller
 * raises "not enough memory" (luaG_memerror). Collection happens here, at a safe point, never inside
 * an allocation; that is why the limit is enforced here and by `fits`, not by the allocator.
 */
export function luaC_condstep(L: usize): bool {
  let collected = false;
  if (gcrunning && !gcbusy) { luaC_step(L); collected = true; }
  if (totalbytes > limit) {
    if (!collected && !gcbusy) luaC_fullgc(L);      // even when stopped, as PUC's emergency GC
    if (totalbytes > limit) return false;
  }
  return true;
}

/**
 * At a safe point: collects if enough has been allocated since the last cycle (luaC_checkGC).
 * Returns false when the heap is over the memory limit even after a full collection; the caller
 * must then raise "not enough memory". The threshold never lets the heap pass the limit without
 * reaching the slow path (setthreshold caps it at the room left). The stress build collects at
 * every safe point.
 */
// @ts-ignore: decorator
@inline export function luaC_checkGC(L: usize): bool {
  if (STRESS || gcdebt > gcthreshold) return luaC_condstep(L);
  return true;
}

// ==== Parameters and control (lua_gc) ====

export function gcstop(): void { gcrunning = false; }
export function gcrestart(): void { gcrunning = true; }
export function gcisrunning(): bool { return gcrunning; }

/** Sets the pause (percent); returns the previous value, quantised as PUC stores it. */
export function setpause(n: i32): i32 { const old = <i32>gcpause * 4; gcpause = <u8>(n / 4); return old; }
/** Sets the step multiplier (percent); returns the previous value. */
export function setstepmul(n: i32): i32 { const old = <i32>gcstepmul * 4; gcstepmul = <u8>(n / 4); return old; }
/** Sets log2 of the step size in bytes; returns the previous value. */
export function setstepsize(n: i32): i32 { const old = gcstepsize; gcstepsize = n; return old; }
export function getpause(): i32 { return <i32>gcpause * 4; }
export function getstepmul(): i32 { return <i32>gcstepmul * 4; }

/** Bytes in use by Lua (collectgarbage("count") * 1024). */
export function luaC_count(): f64 { return <f64>totalbytes; }
