// tier.ts - tiering between the interpreter and compiled code: the JIT switch and threshold, the
// hotness count of each prototype, and the entry into a prototype's compiled code (call_indirect).
//
// The fast instance of the loop (vm/execute.ts) calls luaV_jitenter at a Lua call it has just set
// up (entry at pc 0) and after a FORLOOP or a JMP jumped back (entry at the loop header, so a
// long-running main chunk or while loop switches mid-loop). Only the fast instance does: it runs only while no hook or budget
// is armed (trapflag clear), so compiled code never has to charge instructions or run hooks and
// instruction counts stay exact. Compiled code (assembly/jit/compile.ts) is a wasm function
// (L, ci, proto, base, closure, code, k, st) → status (the frame's R[0] address, its closure, the
// prototype's code and constants, st the pc index of ci.savedpc: what compiled code would otherwise
// read again at entry, jit/emit.ts) that starts at ci.savedpc and returns
//   JIT_RETURNED  the frame returned (results stored, L.top set, L.ci = ci.previous), or
//   JIT_EXIT      L.ci's savedpc is an instruction the interpreter must execute next (a type miss,
//                 an unsupported instruction, trapflag set at a back-edge or after a call, a
//                 warm-phase slice). L.ci is ci, or a frame above it: compiled code calls (through
//                 jit/helpers.ts) and a callee that exits, or a Lua callee not entered, leaves its
//                 own frame as L.ci with every compiled caller below it resuming at its savedpc.
//   JIT_ERROR     a call made by compiled code raised an error (the error is set, L.ci is where it
//                 was raised, as after the interpreter's RAISED);
//   JIT_YIELD     a call made by compiled code yielded (as the interpreter's YIELDED).
// Registers live in the Lua stack in both tiers (compiled loops hold some in wasm locals and write
// them back before any exit: jit/regcache.ts), so an exit needs no other state transfer. Compiled code
// calls compiled code through the wasm stack: luaV_jitenter bounds that nesting (JIT_MAXDEPTH) and
// beyond it the callee runs in the interpreter, so deep recursion never exhausts the wasm stack.
// The compiler is above the VM (layer jit), so it registers itself here (luaV_setjitcompiler) when
// the host turns the JIT on; until then nothing is ever compiled.
// Invariant: a prototype's jitentry is 0 (no code yet), JIT_DECLINED, JIT_REGIONS (compiled in
// regions: jitregions holds live table slots), or a live table slot whose function was compiled
// from that prototype's code; jitmap flags the pcs where entry is worth it.

import {
  p_jitentry, p_setjitentry, p_jithot, p_setjithot, p_jitmap, p_code, p_k, p_sizecode, p_jitcalls, p_setjitcalls,
  p_setjitflags, p_jitflags, p_jitmiss, p_setjitmiss, JIT_DECLINED, JITF_NOCALL, JITF_NOLOOP, JITF_NODIRECT, JITF_PARTIAL,
  p_jitregions, p_setjitregions, JIT_REGIONS, JIT_MAXREGIONS, luaF_freejitregions,
} from "../object/func";
import { ci_savedpc, ci_func } from "./state";

// @ts-ignore: decorator
@inline export const JIT_RETURNED: i32 = 0;
// @ts-ignore: decorator
@inline export const JIT_EXIT: i32 = 1;
// @ts-ignore: decorator
@inline export const JIT_ERROR: i32 = 2;
// @ts-ignore: decorator
@inline export const JIT_YIELD: i32 = 3;
/** luaV_jitenter did not enter compiled code (none, or not worth entering at this pc). */
// @ts-ignore: decorator
@inline export const JIT_NOTENTERED: i32 = -1;

/** jitmap flag: entering compiled code at this pc runs at least one compiled instruction. */
// @ts-ignore: decorator
@inline export const JITMAP_ENTRY: u8 = 1;
/**
 * jitmap flag at pc 0: a function whose entry from the interpreter's CALL costs more than it saves
 * (small and without loops, or made mostly of helper calls: JITF_NOCALL); compiled callers still
 * enter it (their direct calls are cheap, and not entering would make them exit).
 */
// @ts-ignore: decorator
@inline export const JITMAP_SMALL: u8 = 2;
/**
 * jitmap flag at pc 0: compiled in regions (its first call got hot at a loop header: each hot
 * outermost loop a module, without an entry at pc 0); called often, it is compiled whole.
 */
// @ts-ignore: decorator
@inline export const JITMAP_PARTIAL: u8 = 4;
/**
 * jitmap flag at a loop header of a prototype compiled in regions: the loop got hot but is not
 * worth entering (mostly helper calls: jit/compile.ts entrymap), so no region was compiled for it
 * and its back-edges no longer count.
 */
// @ts-ignore: decorator
@inline export const JITMAP_COLD: u8 = 8;
/** jitmap, compiled in regions: an entry's high nibble is the number of its region (jitregions). */
// @ts-ignore: decorator
@inline export const JITMAP_REGIONSHIFT: u8 = 4;

/**
 * Compiled frames nested on the wasm stack at most (a compiled caller's call_indirect into a compiled
 * callee, natives' nested loops included): beyond it, callees run in the interpreter.
 */
// @ts-ignore: decorator
@inline export const JIT_MAXDEPTH: i32 = 160;
/**
 * A compiled frame's nesting depth travels in the high bits of its st parameter (jit/emit.ts
 * "Nesting depth"), its pc index in the low ones (jit/compile.ts compiles at most 4,000 instructions).
 */
// @ts-ignore: decorator
@inline export const JIT_DEPTHSHIFT: i32 = 16;
/**
 * The nesting depth of the compiled frame that last called out, an i32 in linear memory: compiled
 * code stores its depth here before every helper call (jit/emit.ts callout), so Lua code the
 * helper runs enters compiled code one level deeper (luaV_jitenter); a frame entered directly
 * gets its depth from its caller, without this count.
 */
export const jitdepthp: usize = memory.data(4);
// @ts-ignore: decorator
@inline function jitdepth(): i32 { return load<i32>(jitdepthp); }
/**
 * Writes into a frame's registers by another frame's code, counted (an i32 in linear memory): a
 * compiled function keeps registers in wasm locals across a helper call and reloads after it only
 * those an open upvalue can reach (jit/regcache.ts); debug.setlocal is the other way in, so it
 * bumps this count, and compiled code that sees it changed across a helper call exits to the
 * interpreter instead of trusting its locals.
 */
export const jitframewritesp: usize = memory.data(4);
/** debug.setlocal wrote a register of some frame (see jitframewritesp). */
export function luaV_framewritten(): void { store<i32>(jitframewritesp, load<i32>(jitframewritesp) + 1); }


/** Whether the JIT is on (the fast loop tests only this when it is off). */
export let jiton: bool = false;
/** Calls + back-edges after which a prototype is compiled (0: at its first call or loop). */
let jitthreshold: i32 = 1000;

/**
 * The compiler (jit/compile.ts luaJ_compile): prototype, `from` (0: the whole function; else a loop
 * header: its region), the region's number (for its jitmap entries), the closure running it (whose
 * upvalues the compiler may read as hints) → table slot, JIT_DECLINED, or for a region JIT_COLD
 * (not worth entering: the compiler flagged `from` JITMAP_COLD in the prototype's jitmap instead).
 * It sets the prototype's jitmap: a whole function's replaces it, a region's entries join it.
 */
let compiler: (p: usize, from: i32, region: i32, cl: usize) => u32 = nocompiler;
function nocompiler(p: usize, from: i32, region: i32, cl: usize): u32 { return JIT_DECLINED; }

/** What the compiler answers for a region whose loop is not worth entering (see compiler). */
// @ts-ignore: decorator
@inline export const JIT_COLD: u32 = 0xFFFFFFFD;

/** The JIT layer hands its compiler over (from the export that turns the JIT on). */
export function luaV_setjitcompiler(f: (p: usize, from: i32, region: i32, cl: usize) => u32): void { compiler = f; }

/** Turns the JIT on or off, with its threshold (negative: the default stays). */
export function luaV_setjit(on: bool, threshold: i32): void {
  jiton = on;
  if (threshold >= 0) jitthreshold = threshold;
}

/**
 * Enters the compiled code of prototype `p` for the Lua frame `ci`, which is L.ci and whose savedpc
 * is the next instruction; counts the prototype's heat and compiles it when it is hot. Returns
 * JIT_NOTENTERED (nothing ran), JIT_RETURNED, JIT_EXIT, JIT_ERROR or JIT_YIELD.
 */
export function luaV_jitenter(L: usize, ci: usize, p: usize): i32 {
  let e = p_jitentry(p);
  const pcidx = (ci_savedpc(ci) - p_code(p)) >> 2;
  if (e == 0) {
    const hot = p_jithot(p) + 1;
    p_setjithot(p, hot);
    if (pcidx == 0) p_setjitcalls(p, p_jitcalls(p) + 1);
    if (hot <= jitthreshold) return JIT_NOTENTERED;
    const cl = load<usize>(ci_func(ci), 8);
    if (pcidx == 0 || (p_jitcalls(p) > 1 && p_jitcalls(p) * REGION_EDGES >= hot)) compile(p, cl);
    else addregion(p, <i32>pcidx, cl);                // (hot at its loops: in its first call, or a few calls)
  } else if ((p_jitflags(p) & JITF_PARTIAL) != 0 && (load<u8>(p_jitmap(p) + pcidx) & (JITMAP_ENTRY | JITMAP_COLD)) == 0) {
    const missed = p_jitmiss(p) + 1;               // (counted as a cold function's heat)
    p_setjitmiss(p, missed);
    if (missed <= jitthreshold) return JIT_NOTENTERED;
    const cl = load<usize>(ci_func(ci), 8);
    if (pcidx > 0 && load<i32>(p_jitregions(p)) < JIT_MAXREGIONS) addregion(p, <i32>pcidx, cl);
    else recompile(p, cl);
  }
  e = p_jitentry(p);
  if (e == JIT_DECLINED) return JIT_NOTENTERED;
  const m = load<u8>(p_jitmap(p) + pcidx);
  if ((m & JITMAP_ENTRY) == 0) return JIT_NOTENTERED;
  if (e == JIT_REGIONS) e = load<u32>(p_jitregions(p) + (<usize>(1 + (m >> JITMAP_REGIONSHIFT)) << 2));
  const depth = jitdepth();
  if (depth >= JIT_MAXDEPTH) return JIT_NOTENTERED;
  p_setjitcalls(p, p_jitcalls(p) + 1);
  jitentries++;
  const func = ci_func(ci);                       // (compiled code's parameters: jit/emit.ts)
  const st = call_indirect<i32>(e, L, ci, p, func + 16, load<u32>(func, 8), p_code(p), p_k(p),
    pcidx | ((depth + 1) << JIT_DEPTHSHIFT));
  store<i32>(jitdepthp, depth);                   // (the callee's frames stored theirs)
  luaV_jitexited(p, st);
  return st;
}

/**
 * Back-edges per call from which a prototype hot at a loop header is compiled in regions rather than
 * whole: its heat comes from its loops (a main chunk run again a few times: json.lua's, whole 17 KB
 * of wasm for loops that hold its work), and the part of each later call that runs interpreted until
 * a back-edge enters the region (the loop's first iteration, the code around it) is small. A
 * function whose heat comes from its calls (nbody's advance: 15 back-edges a call) is compiled whole.
 */
// @ts-ignore: decorator
@inline const REGION_EDGES: i32 = 64;

/** Compiles `p` whole (its first compile) and sets its jit fields: the slot, or JIT_DECLINED. */
function compile(p: usize, cl: usize): void {
  let e = compiler(p, 0, -1, cl);
  if (e == 0) e = JIT_DECLINED;                     // (never: slot 0 is the table's null function)
  installed(p, e);
}

/**
 * `p` got hot at loop header `from` during its first call (a main chunk, a function that loops
 * long) or its first few (REGION_EDGES), or it is compiled in regions and `from` is a loop none of
 * them goes to: the outermost loop
 * around `from` is compiled as a region of its own (JITF_PARTIAL), a module entered only at that
 * loop's headers, which exits where the loop ends. The code around it has run, or will run once:
 * a main chunk's loops run one after the other, and a module for each, compiled when it gets hot,
 * is small (V8 optimises it sooner, and its optimising compile delays the interpreter's own less)
 * where one for all the code the first loop reaches was 22-25 KB (sort.lua, tables.lua) of which
 * one loop ran at a time. A loop not worth entering gets no module and no longer counts
 * (JITMAP_COLD). The regions stay while the prototype lives, so a main chunk run again (a script
 * re-run in a persistent state, a benchmark's repetitions) enters each loop's region at once.
 */
function addregion(p: usize, from: i32, cl: usize): void {
  let regions = p_jitregions(p);
  if (regions == 0) {
    regions = heap.alloc(<usize>(1 + JIT_MAXREGIONS) << 2);
    store<i32>(regions, 0);
    p_setjitregions(p, regions);
  }
  const n = load<i32>(regions);
  const e = compiler(p, from, n, cl);
  if (e != 0 && e != JIT_DECLINED && e != JIT_COLD) {
    store<u32>(regions + (<usize>(1 + n) << 2), e);
    store<i32>(regions, n + 1);
  } else if (e != JIT_COLD) {                         // declined (too long, out of memory, …)
    if (p_jitentry(p) == 0) {                         // (its first: as a whole function declined)
      heap.free(regions);
      p_setjitregions(p, 0);
      installed(p, JIT_DECLINED);
      return;
    }
    store<u8>(p_jitmap(p) + <usize>from, load<u8>(p_jitmap(p) + <usize>from) | JITMAP_COLD);
  }
  if (p_jitentry(p) == 0) {                           // its first region: the jit fields start over
    p_setjitentry(p, JIT_REGIONS);
    p_setjithot(p, 0);
    p_setjitcalls(p, 0);
  }
  p_setjitmiss(p, 0);
  p_setjitflags(p, entryflags(p));
}

/**
 * A prototype compiled in regions (JITF_PARTIAL) keeps being called, or reached at loops no region
 * goes to once it has JIT_MAXREGIONS of them. Those calls and back-edges count as a cold
 * function's do (jitmiss against the threshold); calls from compiled code count for more
 * (luaV_jitwarm). It is compiled whole, and its regions' slots released (a frame still running
 * such code keeps it: the table slot is only how new entries find it). If the compiler declines,
 * the regions stay.
 */
function recompile(p: usize, cl: usize): void {
  const e = compiler(p, 0, -1, cl);
  if (e == 0 || e == JIT_DECLINED) {
    p_setjitflags(p, (p_jitflags(p) & ~JITF_PARTIAL) | JITF_NOCALL);
    return;
  }
  luaF_freejitregions(p);
  installed(p, e);
}

/** `p` got its code (table slot e) or was declined (e = JIT_DECLINED): its jit fields start over. */
function installed(p: usize, e: u32): void {
  p_setjitentry(p, e);
  p_setjithot(p, 0);                                // from now on: guard failures
  p_setjitcalls(p, 0);                              // … and entries
  p_setjitflags(p, e == JIT_DECLINED ? JITF_NOCALL | JITF_NOLOOP | JITF_NODIRECT : entryflags(p));
}

/**
 * Compiled code calls `p` (jit/helpers.ts luaJ_call, luaJ_tailcall): a callee of hot code is warm,
 * so each such call counts as 1/WARM_CALLS of the threshold (it is compiled at the WARM_CALLS-th)
 * instead of one call: waiting for the whole threshold would make the compiled caller exit at each
 * call (and count a miss: waiting would deopt the caller before its callees warm up). One compiled
 * in regions, which such a call cannot enter at pc 0, is compiled whole the same way (its jitmiss).
 * Not at the first call: a function called once after a hot loop (a chunk's report at its end) was
 * compiled for nothing (nbody's `energy`: 21 KB of wasm, whose optimising compile took ~45 ms of the
 * spare core while `advance` ran); the caller's misses stay well inside MISS_GRACE.
 */
export function luaV_jitwarm(p: usize): void {
  if (p_jitentry(p) == 0) p_setjithot(p, warmer(p_jithot(p)));
  else if ((p_jitflags(p) & JITF_PARTIAL) != 0) p_setjitmiss(p, warmer(p_jitmiss(p))); // (then whole: recompile)
}

/** A count of heat after one more call from compiled code (at most the threshold, without overflow). */
function warmer(heat: i32): i32 {
  const share = jitthreshold / WARM_CALLS + 1;
  return heat >= jitthreshold - share ? jitthreshold : heat + share;
}

/** Calls from compiled code that compile a callee (luaV_jitwarm). */
// @ts-ignore: decorator
@inline const WARM_CALLS: i32 = 4;

/**
 * After compiled code of `p` ended with status st: an exit or a yield (the wasm frames unwind, and
 * the resumed frame goes on in the interpreter) may hand it back to the interpreter.
 */
export function luaV_jitexited(p: usize, st: i32): void {
  if ((st == JIT_EXIT || st == JIT_YIELD) && p_jithot(p) > MISS_GRACE + (p_jitcalls(p) >> MISS_SHIFT)) deopt(p);
}

/** Guard failures a prototype may have before the ratio below applies. */
// @ts-ignore: decorator
@inline const MISS_GRACE: i32 = 64;
/** More than one guard failure per 2^MISS_SHIFT entries (beyond the grace) and it is not entered again. */
// @ts-ignore: decorator
@inline const MISS_SHIFT: i32 = 2;

/** Entries into compiled code through luaV_jitenter (not compiled code's direct calls; a debug figure). */
export let jitentries: i32 = 0;

/** Prototypes whose compiled code missed too often and is no longer entered (a debug figure). */
export let jitdeopts: i32 = 0;

/**
 * Compiled code of `p` keeps failing its guards (a metamethod or a string where it expects numbers,
 * an absent key found by __index): every entry costs a call and an exit for little compiled work, so
 * the prototype goes back to the interpreter for good (its entry flags are cleared; the code stays
 * until the prototype dies).
 */
function deopt(p: usize): void {
  memory.fill(p_jitmap(p), 0, <usize>p_sizecode(p));
  p_setjitflags(p, JITF_NOCALL | JITF_NOLOOP | JITF_NODIRECT);
  jitdeopts++;
}

/**
 * The jitflags of a freshly compiled prototype, from its entry map: where the loop need not ask. One
 * compiled in regions (JITMAP_PARTIAL at pc 0) is asked at its calls, which compile it whole, and
 * at every loop, which may get a region.
 */
function entryflags(p: usize): u32 {
  const map = p_jitmap(p);
  let f: u32 = (load<u8>(map) & (JITMAP_ENTRY | JITMAP_SMALL)) == JITMAP_ENTRY ? 0 : JITF_NOCALL;
  if ((load<u8>(map) & JITMAP_ENTRY) == 0) f |= JITF_NODIRECT;
  if ((load<u8>(map) & JITMAP_PARTIAL) != 0) return (f & ~JITF_NOCALL) | JITF_PARTIAL;   // (asked at every loop)
  let loop = false;
  for (let i = 1; i < p_sizecode(p); i++) if ((load<u8>(map + <usize>i) & JITMAP_ENTRY) != 0) loop = true;
  return loop ? f : f | JITF_NOLOOP;
}

