// determ.ts - the deterministic-mode switch (host option `deterministic`): when on, library code that
// would otherwise draw on run-specific state uses fixed values instead (table.sort's pivot
// randomization). Time, clock and math.random's seed come from the host in that mode.

/** Set by the host (export lua_setdeterministic) before running code. */
export let deterministic: bool = false;
export function setdeterministic(on: bool): void { deterministic = on; }
