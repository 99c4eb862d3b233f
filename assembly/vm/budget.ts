// budget.ts - per-call budgets (instruction limit, timeout) and the per-instruction trap that
// enforces them (the role PUC's count hook plays for hosts that sandbox Lua).
//
// When `trapflag` is set, the execute loop calls luaG_traceexec before every instruction. A budget
// that runs out raises an error that pcall cannot catch ("instruction limit exceeded" / "timeout"):
// `killed` makes luaD_unwind skip protected frames, so the error travels to the host, which clears it
// before the next call. Natives that can loop for long without running Lua instructions (pattern
// matching, sort) charge their work with budget_charge, so they are stopped too.
// Invariant: trapflag == (instruction budget active || deadline active || hooks active).
//
// The same per-instruction test also serves the warm phase (`vmtrap` == trapflag || warming): V8
// compiles wasm first with its baseline compiler (Liftoff) and tiers hot functions up to TurboFan in
// the background, but a running call keeps the code it started with (no on-stack replacement). The
// interpreter loop is one long call, so during the warm phase it returns to its driver every
// WARM_SLICE instructions (luaV_execute in execute.ts), and the next entry runs the newest code.
// Invariant: vmtrap == (trapflag || warming); slicing is invisible to Lua (every instruction is
// charged and traced exactly once, none is skipped).

import { setsvalue } from "../object/value";
import { luaS_new } from "../object/string";
import { errobj, ERR, OK } from "./state";
import { lua_monotonic } from "../sys/imports";

/** Set while a budget or a hook needs a check before every instruction. */
export let trapflag: bool = false;
/** What the execute loop tests on every instruction: trapflag || warming. */
export let vmtrap: bool = true;
/** Instructions (and charged native work units) left before "instruction limit exceeded". */
let budgetleft: i64 = 0;
let budgetactive: bool = false;
/** Host time in ms after which the call is stopped with "timeout" (0 = none). */
let deadline: f64 = 0;
/** Counts instructions between two clock reads when only a deadline is active. */
let tick: i32 = 0;
/** Why the running call was stopped: 0 not stopped, 1 instruction limit, 2 timeout. */
export let killed: i32 = 0;
/** Set by the debug library while hooks are installed (vm/hook.ts). */
let hooksactive: bool = false;

/** How many instructions run between two reads of the host clock when a deadline is set. */
// @ts-ignore: decorator
@inline const CLOCK_EVERY: i32 = 4096;

function updatetrap(): void {
  trapflag = budgetactive || deadline > 0 || hooksactive;
  vmtrap = trapflag || warming;
}

// ==== Warm phase ====
// It ends when both WARM_SLICES slices have run and WARM_MS have passed since the first slice ended.
// Instructions rather than time alone: V8 tiers a function up after it ran enough (its tiering
// budget), so a host that creates the runtime and stays idle must not end the phase before the loop
// ever got hot, or a long script started later would run its whole call in baseline code (3-5x
// slower). Time as well: TurboFan compiles the loop in the background, which on a loaded machine
// takes longer than a fixed instruction count lasts. The clock is lua_monotonic (performance.now),
// never the host's `now`/`clock` options, so deterministic mode and user clocks see nothing.
// A returning slice costs a call and a return per 65,536 instructions; while warming, each
// instruction also decrements warmleft; once the phase is over, vmtrap is trapflag again.

/** Instructions between two returns of the execute loop to its driver while warming. */
// @ts-ignore: decorator
@inline const WARM_SLICE: i32 = 1 << 16;
/** Minimum slices (instructions / WARM_SLICE) of the warm phase: ~4M instructions. */
// @ts-ignore: decorator
@inline const WARM_SLICES: i32 = 64;
/** Minimum duration of the warm phase in ms, from the end of the first slice. */
// @ts-ignore: decorator
@inline const WARM_MS: f64 = 300;

/** True during the warm phase (see above). */
let warming: bool = true;
/** Instructions left in the running slice. */
let warmleft: i32 = WARM_SLICE;
let warmslices: i32 = 0;
let warmstart: f64 = -1;

/**
 * Counts one instruction of the warm phase (the execute loop calls it when vmtrap is set); true
 * when the slice is spent and the loop must return to its driver (before running the instruction).
 */
// @ts-ignore: decorator
@inline export function warmtick(): bool { return warming && --warmleft <= 0; }

/** A slice ended: starts the next one, or ends the warm phase. */
export function warmslice(): void {
  warmleft = WARM_SLICE;
  warmslices++;
  const now = lua_monotonic();
  if (warmstart < 0) warmstart = now;
  else if (warmslices >= WARM_SLICES && now - warmstart >= WARM_MS) { warming = false; updatetrap(); }
}

/** Sets the budgets of the next call: instructions (<= 0: none) and timeout in ms (<= 0: none). */
export function setbudget(instructions: f64, timeoutms: f64): void {
  killed = 0;
  budgetactive = instructions > 0;
  budgetleft = budgetactive ? <i64>instructions : 0;
  deadline = timeoutms > 0 ? lua_monotonic() + timeoutms : 0;
  tick = 0;
  updatetrap();
}

/** Removes the budgets (after a call). */
export function clearbudget(): void {
  budgetactive = false;
  deadline = 0;
  updatetrap();
}

/** Hooks on or off (called by the debug library). */
export function sethooksactive(on: bool): void { hooksactive = on; updatetrap(); }

/** Raises the uncatchable budget error. */
function kill(why: i32): i32 {
  killed = why;
  setsvalue(errobj, luaS_new(why == 1 ? "instruction limit exceeded" : "timeout"));
  return ERR;
}

/**
 * Charges `n` units of work against the budgets; ERR (uncatchable error raised) when one is spent.
 * The execute loop charges 1 per instruction; natives charge their inner loops.
 */
export function budget_charge(n: i32): i32 {
  if (killed != 0) return ERR;
  if (budgetactive) {
    budgetleft -= <i64>n;
    if (budgetleft < 0) return kill(1);
  }
  if (deadline > 0) {
    tick += n;
    if (tick >= CLOCK_EVERY) {
      tick = 0;
      if (lua_monotonic() > deadline) return kill(2);
    }
  }
  return OK;
}
