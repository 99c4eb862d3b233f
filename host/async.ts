// async.ts - the host half of async calls (runAsync, callAsync, evalAsync; docs/ABI.md "Async calls"):
// waiting while the Lua thread is suspended (a JS function's promise, or a pause that lets the event
// loop run), the answer sent back when it settles, and the stops that end it early (AbortSignal,
// interrupt(), the timeout while it waits). runtime.ts drives the steps.
// Invariants: one async call per runtime at a time (a second one is refused); a suspended call is
// woken exactly once per suspension (its promise settling, a stop, or the end of a pause); a promise
// the call no longer waits for is never left to reject unhandled.

import { encodeValues, type EncodeContext } from "./encode.js";
import { LuaError } from "./errors.js";
import { Answer } from "./ext/imports.js";
import type { LuaWasm } from "./loader.js";

/** Options of runAsync / callAsyncWith / evalAsync. */
/** Options of interrupt(). */
export interface InterruptOptions {
  /**
   * false (default): the error "interrupted!" that pcall cannot catch, the call ends. true: lua.c's
   * Ctrl-C, an ordinary error raised at the script's next instruction, call or return (pcall catches
   * it; uncaught, it ends the call as any error does).
   */
  catchable?: boolean;
}

export interface AsyncOptions {
  /**
   * Cancels the call, running or suspended: it is stopped where it stands with a Lua error that pcall
   * cannot catch (like the budgets), a LuaError of kind "limit" whose message is the signal's reason
   * (its message for an Error, else its text). The state stays usable.
   */
  signal?: AbortSignal;
}

/** Result area of a step that suspended: why (1 await, 2 pause) and the ms left before its timeout (-1: none). */
export interface Suspension {
  why: number;
  msLeft: number;
}

/** Why the module suspended the call (assembly/vm/call.ts suspendwhy). */
export const AWAITED = 1;

/**
 * A stop request: 3 "interrupted!" (interrupt()), 4 with `message` (an abort, the timeout while
 * waiting), both uncatchable; 5 the catchable "interrupted!" (interrupt({ catchable: true }), lua.c's
 * Ctrl-C), after which the call goes on.
 */
export interface Stop {
  why: 3 | 4 | 5;
  message: string;
}

/** How the call goes on after a suspension. */
export type Wakeup = { stop: Stop } | { values: unknown[] } | { error: unknown } | { pause: true };

/** True for a value `await` would wait for (a promise or any thenable). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/** The message of an abort: the reason's message for an Error (DOMException included), else its text. */
export function abortMessage(reason: unknown): string {
  try {
    if (reason instanceof Error) return String(reason.message);
    if (reason === undefined) return "aborted";
    return String(reason);
  } catch {
    return "aborted";
  }
}

/** Runs `fn` after the event loop had a turn (timers, I/O, signal handlers): a macrotask. */
export function macrotask(fn: () => void): void {
  if (typeof setImmediate === "function") setImmediate(fn);
  else if (typeof MessageChannel === "function") {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      fn();
    };
    ch.port2.postMessage(0);
  } else setTimeout(fn, 0);
}

/** The state of one async call between its steps. */
export class AsyncCall {
  /** The promise the Lua thread awaits, set by the JS function's dispatch (runtime.suspendOn). */
  awaited: { promise: PromiseLike<unknown>; toValues: (v: unknown) => unknown[] } | null = null;
  /** The guard depth of the running step: only host functions called at that depth may be awaited. */
  stepDepth = -1;
  /** A stop requested before the call could be woken with it. */
  stop: Stop | null = null;
  /** Wakes the suspended call; null while a step runs. */
  private wake: ((w: Wakeup) => void) | null = null;

  get suspended(): boolean {
    return this.wake !== null;
  }

  /** Stops the call: at once if it is suspended (true), else at its next suspension. */
  requestStop(stop: Stop): boolean {
    if (this.wake === null) {
      if (this.stop === null || this.stop.why === 5) this.stop = stop; // an uncatchable stop wins
      return false;
    }
    this.wake({ stop }); // (not kept: after a catchable stop the call goes on)
    return true;
  }

  /**
   * Waits until the suspended call can go on: its promise settles (await) or the event loop had a
   * turn (pause); a stop requested meanwhile (or before) wins, and so does the timeout (msLeft).
   */
  waitFor(s: Suspension): Promise<Wakeup> {
    return new Promise<Wakeup>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // only this suspension's own wake: after a catchable stop woke it, the call goes on and may be
      // suspended again before the pause's macrotask or the promise of this one comes in
      const finish = (w: Wakeup): void => {
        if (this.wake !== finish) return;
        this.wake = null;
        if (timer !== undefined) clearTimeout(timer);
        resolve(w);
      };
      this.wake = finish;
      const awaited = s.why === AWAITED ? this.awaited : null;
      this.awaited = null;
      if (this.stop !== null) {
        const stop = this.stop;
        this.stop = null;
        if (awaited) silence(awaited.promise);
        finish({ stop });
        return;
      }
      if (s.msLeft >= 0) timer = setTimeout(() => finish({ stop: { why: 4, message: "timeout" } }), s.msLeft + 1);
      if (awaited === null) {
        macrotask(() => finish({ pause: true }));
        return;
      }
      try {
        awaited.promise.then(
          (v) => {
            try {
              finish({ values: awaited.toValues(v) });
            } catch (e) {
              finish({ error: e });
            }
          },
          (e) => finish({ error: e }),
        );
      } catch (e) {
        finish({ error: e }); // a thenable whose then() throws
      }
    });
  }
}

/** Keeps a promise nobody waits for any more from rejecting unhandled. */
export function silence(p: PromiseLike<unknown>): void {
  try {
    if (p instanceof Promise) p.catch(() => {});
  } catch {
    /* not ours to report */
  }
}

/** Puts encoded values in the module's input buffer; false when they would pass the memory limit. */
function send(w: LuaWasm, bytes: Uint8Array): boolean {
  const p = w.exports.val_buffer(bytes.length);
  if (p === 0) return false;
  w.bytes().set(bytes, p);
  return true;
}

/**
 * Writes the answer to an await into the module (as host_call answers a JS function's results or
 * exception) and returns its code for lua_resume_async: the number of values, -1 for an error value
 * (an Error's message gets the caller's position, as a thrown one does), Answer.RETHROW for a
 * LuaError (its message unchanged), Answer.NOMEM when the answer does not fit the memory limit.
 */
export function writeAnswer(w: LuaWasm, wake: { values: unknown[] } | { error: unknown }, ctx: EncodeContext): number {
  if ("values" in wake) {
    try {
      return send(w, encodeValues(wake.values, ctx).slice()) ? wake.values.length : Answer.NOMEM;
    } catch (e) {
      return writeAnswer(w, { error: e }, ctx); // a value Lua cannot hold: an error, as for a returned one
    }
  }
  const e = wake.error;
  if (e instanceof LuaError && e.kind !== "internal")
    return send(w, encodeValues([e.message]).slice()) ? Answer.RETHROW : Answer.NOMEM;
  for (const v of [e instanceof Error ? e.message : e, describe(e)]) {
    try {
      return send(w, encodeValues([v], ctx).slice()) ? -1 : Answer.NOMEM;
    } catch {
      /* not encodable: its text, next */
    }
  }
  return Answer.NOMEM;
}

/** The text of any rejection reason, even one whose conversion to a string throws. */
function describe(e: unknown): string {
  try {
    return e instanceof Error ? String(e.message) : String(e);
  } catch {
    return "(a rejection reason that cannot be converted to a string)";
  }
}

/** Writes a stop's message into the module (lua_stop_buffer). */
export function writeStop(w: LuaWasm, stop: Stop): void {
  const bytes = new TextEncoder().encode(stop.message);
  const p = w.exports.lua_stop_buffer(bytes.length);
  w.bytes().set(bytes, p >>> 0);
}
