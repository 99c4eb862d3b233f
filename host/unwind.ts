// unwind.ts - what a JS function's dispatch throws that host_call must not turn into a Lua error:
// a trap (or wasm stack overflow) inside a nested entry (a JS function called by Lua calling back,
// host/runtime.ts) leaves that instance dead in the middle of the outer export too, so it must unwind
// to the outermost guard, which alone resets the state; and AWAIT, the signal that an async call
// awaits the promise the function returned (host/async.ts), which host_call answers as such.
// Invariant: only runtime.ts marks exceptions; a marked exception always reaches the outermost guard.

const marked = new WeakSet<object>();

/** Marks `e` (a trap caught by a nested guard) to be rethrown through every wasm frame. */
export function markUnwinding(e: unknown): void {
  if (typeof e === "object" && e !== null) marked.add(e);
}

/** True for an exception that must not become a Lua error (see markUnwinding). */
export function isUnwinding(e: unknown): boolean {
  return typeof e === "object" && e !== null && marked.has(e);
}

/**
 * Thrown by a JS function's dispatch when it returned a promise an async call awaits (host/async.ts):
 * host_call answers the module with Answer.AWAIT, and the Lua thread suspends until it settles.
 */
export const AWAIT: unique symbol = Symbol("lua-wasm await");
