// budget.ts - per-call budgets (instruction limit, timeout) and the per-instruction trap that
// enforces them (the role PUC's count hook plays for hosts that sandbox Lua).
//
// When `trapflag` is set, the execute loop calls luaG_traceexec before every instruction. A budget
// that runs out raises an error that pcall cannot catch ("instruction limit exceeded" / "timeout"):
// `killed` makes luaD_unwind skip protected frames, so the error travels to the host, which clears it
// before the next call. Natives that can loop for long without running Lua instructions (pattern
// matching, sort) charge their work with budget_charge, so they are stopped too.
// Invariant: trapflag == (instruction budget active || deadline active || hooks active).

import { setsvalue } from "../object/value";
import { luaS_new } from "../object/string";
import { errobj, ERR, OK } from "./state";
import { lua_monotonic } from "../sys/imports";

/** Set while any per-instruction check is needed (read by the execute loop on every instruction). */
export let trapflag: bool = false;
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

function updatetrap(): void { trapflag = budgetactive || deadline > 0 || hooksactive; }

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
