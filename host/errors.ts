// errors.ts - LuaError, the one error type the host throws, and the ABI status codes it is built from.
// Invariant: LuaError.message is the Lua error message byte-for-byte as Lua produced it (decoded as
// UTF-8); the traceback lives in .traceback and is never appended to the message.

// ==== Status codes (lua.h order) ====

/** Status codes returned by `lua_eval` / `lua_listing`, as in lua.h. */
export const Status = {
  OK: 0,
  YIELD: 1,
  ERRRUN: 2,
  ERRSYNTAX: 3,
  ERRMEM: 4,
  ERRERR: 5,
  /** Our own: the call's instructionLimit or timeoutMs ran out (not catchable by pcall). */
  ERRLIMIT: 6,
} as const;

/** Host-side status for a wasm trap or abort: never produced by the module itself. */
export const STATUS_INTERNAL = -1;

/**
 * What went wrong: a syntax error while compiling, a runtime error (including errors in the message
 * handler), running out of memory, or an internal bug in the interpreter (a wasm trap or abort).
 */
export type LuaErrorKind = "syntax" | "runtime" | "memory" | "limit" | "internal";

/** Maps a non-zero ABI status to its kind. Unknown statuses are treated as internal errors. */
export function kindOfStatus(status: number): LuaErrorKind {
  switch (status) {
    case Status.ERRSYNTAX: return "syntax";
    case Status.ERRRUN: return "runtime";
    case Status.ERRERR: return "runtime"; // error while running the message handler
    case Status.ERRMEM: return "memory";
    case Status.ERRLIMIT: return "limit";
    default: return "internal";
  }
}

// ==== LuaError ====

/** A Lua error surfaced to JavaScript: message exactly as Lua gives it, plus the Lua traceback. */
export class LuaError extends Error {
  override readonly name = "LuaError";
  /** ABI status (2 runtime, 3 syntax, 4 memory, 5 error in handler, -1 internal). */
  readonly status: number;
  readonly kind: LuaErrorKind;
  /** "stack traceback:\n\t..." as lua5.4 prints it; empty when Lua gave none (e.g. syntax errors). */
  readonly traceback: string;

  constructor(message: string, status: number, traceback = "", options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.kind = kindOfStatus(status);
    this.traceback = traceback;
  }
}

/**
 * Wraps a wasm trap, an AssemblyScript abort or any exception that escaped through the module as
 * "internal error: ...". The engine re-instantiates the module after one of these.
 */
export function internalError(cause: unknown): LuaError {
  if (cause instanceof LuaError && cause.kind === "internal") return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new LuaError(`internal error: ${detail}`, STATUS_INTERNAL, "", { cause });
}
