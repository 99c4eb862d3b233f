// unwind.ts - exceptions that must cross wasm frames: a trap (or wasm stack overflow) inside a nested
// entry (a JS function called by Lua calling back, host/runtime.ts) leaves that instance dead in the
// middle of the outer export too, so it must unwind to the outermost guard, which alone resets the
// state. The imports that run user JS (host_call) rethrow these instead of turning them into Lua errors.
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
