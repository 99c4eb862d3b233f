// budget.ts - per-call budgets (instruction limit, timeout) and the per-instruction trap that
// enforces them (the role PUC's count hook plays for hosts that sandbox Lua).
//
// When `trapflag` is set, the execute loop runs its trapping instance, which calls budget_charge and
// luaG_traceexec before every instruction. A budget that runs out raises an error that pcall cannot
// catch ("instruction limit exceeded" / "timeout"): `killed` makes luaD_unwind skip protected
// frames, so the error travels to the host, which clears it before the next call. Natives that can
// loop for long without running Lua instructions (pattern matching, sort) charge their work with
// budget_charge, so they are stopped too.
// Invariant: trapflag == (instruction budget active || deadline active || hooks active).
// When trapflag is clear the loop runs its fast instance, which tests nothing per instruction: it
// re-checks trapflag after everything that can run code (natives, metamethods, finalizers) and
// leaves for the trapping instance when it got set (docs/VM.md, "Budgets and hooks").
//
// Warm phase: V8 compiles wasm first with its baseline compiler (Liftoff) and tiers hot functions up
// to TurboFan in the background, but a running call keeps the code it started with (no on-stack
// replacement). The interpreter loop is one long call, so during the warm phase it returns to its
// driver (luaV_execute in execute.ts) every WARM_SLICE ticks, and the next entry runs the newest
// code. The two instances of the loop are two functions that V8 tiers up separately, so each has its
// own warm phase: the trapping one ticks before every instruction, the fast one at backward jumps
// and function entries (where it polls `fastpoll`). Slicing is invisible to Lua (every instruction
// is charged and traced exactly once, none is skipped).
// Invariant: fastpoll == (trapflag || the fast instance is warming).

import { setsvalue } from "../object/value";
import { luaS_new, luaS_newlstr } from "../object/string";
import { Buffer, buf_new, buf_reset, buf_prepare } from "../mem/buffer";
import { errobj, ERR, OK, mainthread } from "./state";
import { luaG_traceback } from "./debug";
import { running } from "./coro";
import { lua_monotonic } from "../sys/imports";

/** Set while a budget or a hook needs a check before every instruction (the trapping loop runs). */
export let trapflag: bool = false;
/** What the fast loop polls at backward jumps and function entries: trapflag || it is warming. */
export let fastpoll: bool = true;
/** Instructions (and charged native work units) left before "instruction limit exceeded". */
let budgetleft: i64 = 0;
let budgetactive: bool = false;
/** Host time in ms after which the call is stopped with "timeout" (0 = none). */
let deadline: f64 = 0;
/** Counts instructions between two clock reads when only a deadline is active. */
let tick: i32 = 0;
/**
 * Why the running call was stopped: 0 not stopped, 1 instruction limit, 2 timeout, 3 interrupted
 * (the host's interrupt(), lua.c's SIGINT), 4 aborted (an AbortSignal; its text in `stopmsg`).
 */
export let killed: i32 = 0;
/** What a spent instruction budget means: 1 (the limit), or the stop the host requested (3, 4). */
let stopwhy: i32 = 1;
/** The message of a stop of kind 4 (the abort reason's text). */
const stopmsg: Buffer = buf_new();
/** Set by the debug library while hooks are installed (vm/hook.ts). */
let hooksactive: bool = false;

/** How many instructions run between two reads of the host clock when a deadline is set. */
// @ts-ignore: decorator
@inline const CLOCK_EVERY: i32 = 4096;

function updatetrap(): void {
  trapflag = budgetactive || deadline > 0 || hooksactive;
  fastpoll = trapflag || warmingfast || slicing;
}

// ==== Warm phase ====
// An instance's phase ends when both WARM_SLICES slices have run and WARM_MS have passed since its
// first slice ended. Ticks rather than time alone: V8 tiers a function up after it ran enough (its
// tiering budget), so a host that creates the runtime and stays idle must not end the phase before
// the loop ever got hot, or a long script started later would run its whole call in baseline code
// (3-5x slower). Time as well: TurboFan compiles the loop in the background, which on a loaded
// machine takes longer than a fixed count lasts. The clock is lua_monotonic (process.hrtime in Node,
// performance.now in browsers), never the host's `now`/`clock` options, so deterministic mode and
// user clocks see nothing.
// A returning slice costs a call and a return per WARM_SLICE ticks; while warming, each tick also
// decrements a counter; once the phase is over, the trapping instance tests `warmingtrap` before
// each instruction (a global that stays false) and the fast one finds `fastpoll` clear.

/** Ticks between two returns of the execute loop to its driver while warming. */
// @ts-ignore: decorator
@inline const WARM_SLICE: i32 = 1 << 16;
/** Minimum slices of an instance's warm phase: ~4M ticks. */
// @ts-ignore: decorator
@inline const WARM_SLICES: i32 = 64;
/** Minimum duration of the warm phase in ms, from the end of the instance's first slice. */
// @ts-ignore: decorator
@inline const WARM_MS: f64 = 300;

// the trapping instance (one tick per instruction)
let warmingtrap: bool = true;
/** The trapping instance's warm phase itself (warmingtrap also stays on while slicing). */
let trapphase: bool = true;
let warmlefttrap: i32 = WARM_SLICE;
let warmslicestrap: i32 = 0;
let warmstarttrap: f64 = -1;
// the fast instance (one tick per backward jump or function entry)
let warmingfast: bool = true;
let warmleftfast: i32 = WARM_SLICE;
let warmslicesfast: i32 = 0;
let warmstartfast: f64 = -1;

/**
 * Counts one instruction of the trapping instance's warm phase; true when its slice is spent and
 * the loop must return to its driver (before running the instruction).
 */
// @ts-ignore: decorator
@inline export function warmtick(): bool { return warmingtrap && --warmlefttrap <= 0; }

/**
 * Counts one tick of the fast instance's warm phase (it polls only while `fastpoll` is set, and
 * calls this when trapflag is clear, so while it is warming); true when its slice is spent.
 */
// @ts-ignore: decorator
@inline export function fastwarmtick(): bool { return --warmleftfast <= 0; }

/** A slice of the fast (`fast`) or trapping instance ended: starts its next one, or ends its phase. */
export function warmslice(fast: bool): void {
  const now = lua_monotonic();
  if (fast) {
    warmleftfast = WARM_SLICE;
    warmslicesfast++;
    if (warmstartfast < 0) warmstartfast = now;
    else if (warmslicesfast >= WARM_SLICES && now - warmstartfast >= WARM_MS) { warmingfast = false; updatetrap(); }
  } else {
    warmlefttrap = WARM_SLICE;
    warmslicestrap++;
    if (warmstarttrap < 0) warmstarttrap = now;
    else if (warmslicestrap >= WARM_SLICES && now - warmstarttrap >= WARM_MS) { trapphase = false; warmingtrap = slicing; }
  }
}

// ==== Slicing (async calls) ====
// While an async call runs (vm/call.ts "Awaiting"), both instances keep returning to their driver
// every WARM_SLICE ticks, as in their warm phase, so that the driver can pause the call when its
// slice of time is over (luaD_pause). Nothing of this is visible to Lua either.

/** Set while an async call runs: the loop returns to its driver every WARM_SLICE ticks. */
export let slicing: bool = false;

/** Slicing on (an async call's step starts) or off (it ends or suspends). */
export function setslicing(on: bool): void {
  slicing = on;
  warmingtrap = trapphase || on;
  updatetrap();
}

/** The budgets of a suspended async call, set aside while other calls run (budget_suspend). */
let savedactive: bool = false;
let savedleft: i64 = 0;
let saveddeadline: f64 = 0;

/** The async call suspends: its budgets are set aside (the deadline keeps running) and cleared. */
export function budget_suspend(): void {
  savedactive = budgetactive;
  savedleft = budgetleft;
  saveddeadline = deadline;
  clearbudget();
}

/** The async call resumes under the budgets it had when it suspended. */
export function budget_resume(): void {
  killed = 0;
  stopwhy = 1;
  budgetactive = savedactive;
  budgetleft = savedleft;
  deadline = saveddeadline;
  tick = 0;
  updatetrap();
}

/** Milliseconds left before the deadline of a suspended async call: -1 when it has none. */
export function budget_suspendedms(): f64 {
  return saveddeadline > 0 ? Math.max(0, saveddeadline - lua_monotonic()) : -1;
}

/** Sets the budgets of the next call: instructions (<= 0: none) and timeout in ms (<= 0: none). */
export function setbudget(instructions: f64, timeoutms: f64): void {
  killed = 0;
  stopwhy = 1;
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

/**
 * The traceback at the point where the host's stop (3 or 4) was raised: the entry reports it, as
 * lua.c's message handler reports where an interrupted script was (spent budgets report none).
 */
export const stoptrace: Buffer = buf_new();

/** Raises the uncatchable budget error. */
function kill(why: i32): i32 {
  if (why >= 3 && killed == 0) {
    buf_reset(stoptrace);
    luaG_traceback(mainthread, running != 0 ? running : mainthread, 0, 0, stoptrace);
  }
  killed = why;
  if (why == 4) setsvalue(errobj, luaS_newlstr(stopmsg.ptr, stopmsg.len));
  else setsvalue(errobj, luaS_new(why == 1 ? "instruction limit exceeded" : why == 2 ? "timeout" : "interrupted!"));
  return ERR;
}

/** Makes room for the n-byte message of a stop of kind 4 (the host writes it there): its address. */
export function budget_stopbuffer(n: i32): usize {
  buf_reset(stopmsg);
  if (n < 0) n = 0;
  const p = buf_prepare(stopmsg, n);
  stopmsg.len = n;
  return p;
}

/**
 * Stops the running call at its next check, as a spent budget does (uncatchable): `why` 3
 * ("interrupted!") or 4 (the message budget_stopbuffer received). The instruction budget is what the
 * trapping loop checks before every instruction, so the request is made a spent budget; the fast
 * loop leaves for the trapping one at its next poll (trapflag). Cleared by the next outermost entry
 * (setbudget).
 */
export function budget_stop(why: i32): void {
  stopwhy = why == 4 ? 4 : 3;
  budgetactive = true;
  budgetleft = -1;
  updatetrap();
}

/** The fast test of budget_check: a stop is pending (inlined after every JS function call). */
// @ts-ignore: decorator
@inline export function budget_stopped(): bool { return killed != 0 || (budgetactive && budgetleft < 0); }

/**
 * After a host call: when a call the host made inside it (a nested entry) was stopped, or the host
 * asked to stop, the caller is stopped too, with the same message (ERR); else OK.
 */
export function budget_check(): i32 {
  if (killed != 0) return kill(killed);
  if (budgetactive && budgetleft < 0) return kill(stopwhy);
  return OK;
}

/**
 * Charges `n` units of work against the budgets; ERR (uncatchable error raised) when one is spent.
 * The execute loop charges 1 per instruction; natives charge their inner loops.
 */
export function budget_charge(n: i32): i32 {
  if (killed != 0) return ERR;
  if (budgetactive) {
    budgetleft -= <i64>n;
    if (budgetleft < 0) return kill(stopwhy);
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
