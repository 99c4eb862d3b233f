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
    case Status.ERRSYNTAX:
      return "syntax";
    case Status.ERRRUN:
      return "runtime";
    case Status.ERRERR:
      return "runtime"; // error while running the message handler
    case Status.ERRMEM:
      return "memory";
    case Status.ERRLIMIT:
      return "limit";
    default:
      return "internal";
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
  /**
   * True only on an "internal" error after which the Lua state was replaced by a fresh one (globals
   * and closures gone; external tables and _home are kept by the host). The application may reload
   * from storage or a snapshot; the onReset option reports the same event.
   */
  readonly stateReset: boolean;

  constructor(message: string, status: number, traceback = "", options?: { cause?: unknown; stateReset?: boolean }) {
    super(message, options);
    this.status = status;
    this.kind = kindOfStatus(status);
    this.traceback = traceback;
    this.stateReset = options?.stateReset ?? false;
  }
}

/** The text of an exception of any kind. */
function detailOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  try {
    return String(cause);
  } catch {
    return "(an exception that cannot be converted to a string)";
  }
}

/**
 * Wraps a wasm trap, an AssemblyScript abort or an unreadable result as "internal error: ...". Where
 * the instance survives (nothing ran), the state is intact; see stateResetError otherwise.
 */
export function internalError(cause: unknown): LuaError {
  if (cause instanceof LuaError && cause.kind === "internal") return cause;
  return new LuaError(`internal error: ${detailOf(cause)}`, STATUS_INTERNAL, "", { cause });
}

/**
 * The error of a call that trapped: an interpreter bug, after which the runtime replaced the instance.
 * It says so in the message and in `stateReset`, so no application continues on an empty state unaware.
 */
export function stateResetError(cause: unknown): LuaError {
  const inner =
    cause instanceof LuaError && cause.kind === "internal"
      ? cause.message.replace(/^internal error: /, "")
      : detailOf(cause);
  return new LuaError(`internal error: ${inner} (the Lua state was reset)`, STATUS_INTERNAL, "", {
    cause,
    stateReset: true,
  });
}

/**
 * An exception thrown by a host callback (an output hook, a process hook, a clock) while Lua ran: the
 * call fails with it as a runtime error once the module has returned; the state is intact.
 */
export function callbackError(what: string, cause: unknown): LuaError {
  return new LuaError(`${what} failed: ${detailOf(cause)}`, Status.ERRRUN, "", { cause });
}
