// runtime.ts - the core under the façade (engine.ts Lua, hence LuaPersistent and the CLI) and the spec
// runner: one module instance, one Lua state, and the call discipline around it (status → LuaError,
// trap → "internal error" + a fresh instance set up as the first).
// Invariants: every export call that can run Lua goes through guard(), so a wasm trap, an abort or an
// exception thrown by an output hook never escapes raw and never leaves a half-dead instance behind;
// calls are re-entrant only from JS functions called by Lua (nested entries, like lua_call from a C
// function); an output hook or another host callback may not call back into the same runtime; only
// the outermost guard ever resets the state.

import { decodeValuesAt, errorFromResult, type DecodeHooks, type LuaValue } from "./codec.js";
import { callbackError, LuaError, stateResetError, Status } from "./errors.js";
import { readResult, writeArg, writeName, writeSource } from "./iobuf.js";
import {
  compileLua,
  instantiateLua,
  instantiateLuaSync,
  type InstanceOptions,
  type LuaWasm,
  type OutputHooks,
  type ProcessHooks,
  type WasmSource,
} from "./loader.js";
import { checkChunkname, checkSource } from "./validate.js";
import { MemoryFileSystem, NoFileSystem, type FileSystem, type FileSystemOption } from "./fs.js";
import { HostSide } from "./ext/imports.js";
import { parseSnapshot, SnapshotError, writeSnapshot } from "./persist/snapshot.js";
import { AWAIT, isUnwinding, markUnwinding } from "./unwind.js";
import {
  abortMessage,
  AsyncCall,
  silence,
  writeAnswer,
  writeStop,
  type AsyncOptions,
  type InterruptOptions,
  type Stop,
  type Suspension,
  type Wakeup,
} from "./async.js";

/**
 * Whether an exception escaped from inside the module: a wasm trap (RuntimeError), a stack overflow
 * inside wasm (V8 throws RangeError for it) or an AssemblyScript abort (the abort import throws an
 * internal LuaError). Only these can leave an export half done.
 */
function isTrap(e: unknown): boolean {
  if (e instanceof WebAssembly.RuntimeError) return true;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return true;
  return e instanceof LuaError && e.kind === "internal";
}

/** The FileSystem an `fs` option names: "memory" (default), "none", "node" (Node only) or an object. */
export async function resolveFileSystem(option: FileSystemOption | undefined): Promise<FileSystem> {
  if (option === undefined || option === "memory") return new MemoryFileSystem();
  if (option === "none") return new NoFileSystem();
  if (option === "node") return new (await import("./fs-node.js")).NodeFileSystem();
  return option;
}

/** Memory statistics, all in bytes except wasm_pages. */
export interface MemoryStats {
  /** Bytes held by Lua objects (what collectgarbage("count") reports, times 1024). */
  lua_memory_used: number;
  /** Size of the static IO buffer (65536). */
  io_buffer_size: number;
  /** Current linear memory size in 64 KiB pages. */
  wasm_pages: number;
  /** Linear memory size: wasm_pages * 65536. */
  total: number;
  /** Same as lua_memory_used. */
  used: number;
  /** total - used. */
  free: number;
  /** The memory limit in effect (see RuntimeOptions.memoryLimit): lua_memory_used + host_bytes stay below it. */
  memory_limit: number;
  /**
   * Bytes the host holds for this state in external tables (_home, _io, ext.table()), by the estimate
   * of host/ext/values.ts "Host bytes"; outside linear memory, so not part of total/used/free.
   */
  host_bytes: number;
  /**
   * Functions compiled by the JIT and alive, and the bytes of their wasm modules (outside linear
   * memory). A function hot at its loops in its first calls (a main chunk) is compiled loop by loop:
   * each region counts as one (docs/VM.md "The baseline JIT").
   */
  jit_functions: number;
  jit_bytes: number;
  /**
   * Functions (or regions) the JIT has compiled since the instance was created (alive or not), and
   * the milliseconds that took (writing each module plus V8's compile and instantiation).
   */
  jit_compiles: number;
  jit_compile_ms: number;
}

/** Default stdout/stderr: the process streams in Node, the console in browsers. */
export function defaultHooks(): OutputHooks {
  if (typeof process !== "undefined" && process.stdout?.write) {
    return {
      stdout: (b) => void process.stdout.write(Uint8Array.prototype.slice.call(b)),
      stderr: (b) => void process.stderr.write(Uint8Array.prototype.slice.call(b)),
    };
  }
  const text = new TextDecoder();
  return {
    stdout: (b) => console.log(text.decode(b).replace(/\n$/, "")),
    stderr: (b) => console.warn(text.decode(b).replace(/\n$/, "")),
  };
}

/**
 * An optional short loop run once after init to start V8's tier-up of the interpreter loop. Off by
 * default: the loop's warm phase (assembly/vm/budget.ts) already returns to its driver every 65,536
 * instructions, so a long first call moves on to the optimised code once V8 has compiled it.
 */
const WARMUP = "local s = 0 for i = 1, 30000 do s = s + i % 7 end return s";

export interface RuntimeOptions {
  /** The module: bytes, path, URL or compiled module. Default: the bundled build/lua.wasm. */
  wasm?: WasmSource;
  /** Receives stdout bytes (print, io.write). The view is only valid during the call. */
  stdout?: (bytes: Uint8Array) => void;
  /** Receives stderr bytes (warn, io.stderr). The view is only valid during the call. */
  stderr?: (bytes: Uint8Array) => void;
  /** Run the tier-up warm-up script after init (default false). */
  warmup?: boolean;
  /**
   * The files Lua sees (io.open, require, dofile, loadfile, os.remove/rename/tmpname): "memory" (the
   * default: an empty MemoryFileSystem, so browsers work), "node" (real files, relative to the
   * process's working directory), "none" (every access fails with "Permission denied") or any
   * FileSystem object, e.g. a MemoryFileSystem prepared with files.
   */
  fs?: FileSystemOption;
  /**
   * Memory limit in bytes of the Lua heap plus what external tables hold in the host (default
   * DEFAULT_MEMORY_LIMIT, 256 MiB). Past it an
   * allocation raises the Lua error "not enough memory": catchable by pcall, a LuaError of kind
   * "memory" at the top level, and the state stays usable. 0 or Infinity: the module's ceiling
   * (1.5 GiB), which keeps linear memory below wasm32's 4 GiB.
   */
  memoryLimit?: number;
  /**
   * The environment variables os.getenv sees, e.g. `process.env` or `{ HOME: "/home/me" }`. Default:
   * none (os.getenv returns nil for every name). The `lua-wasm` CLI passes `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * What os.exit and os.execute may do: `{ exit(code), execute(command) }`. Default: nothing (both
   * raise a Lua error). The `lua-wasm` CLI grants the real process.
   */
  process?: ProcessHooks;
  /** Wall clock for os.time/os.date (milliseconds since the epoch). Default Date.now. */
  now?: () => number;
  /** CPU clock for os.clock (seconds). Default: the process's CPU time (performance.now in browsers). */
  clock?: () => number;
  /**
   * Called when an interpreter bug (a wasm trap) forced the runtime to replace the Lua state with a
   * fresh one: the error is the LuaError of kind "internal" (stateReset true) the call then throws.
   * Globals and closures are gone; external tables and _home are kept. Default: none.
   */
  onReset?: (error: LuaError) => void;
}

/** Default memory limit of the Lua heap: 256 MiB. */
export const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

/** The limit passed to lua_setlimit: 0 means the module's ceiling. RangeError for anything else that is not a positive number. */
function limitBytes(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_MEMORY_LIMIT;
  if (limit === Infinity || limit === 0) return 0;
  if (!(limit > 0) || !Number.isFinite(limit))
    throw new RangeError(`memoryLimit must be a positive number of bytes, got ${limit}`);
  return Math.floor(limit);
}

/**
 * What the owner of a runtime (engine.ts) re-applies to every new state, since the runtime makes some
 * by itself (after a trap, on restore).
 */
export interface StateSetup {
  /** Module settings outside the Lua state (budgets, deterministic mode): after every lua_init and lua_restore. */
  instance(w: LuaWasm): void;
  /** Lua-level setup (random seed, sandbox) of every fresh state: after init and after a reset, not after a restore. */
  state(): void;
  /** Lua-level setup a restored state needs again (the sandbox); a throw undoes the restore. */
  restored?(): void;
}

const ASYNC_BUSY = "Lua state is busy: another async call is pending (await it before starting the next)";
/** What a JS function returning a promise gives outside an async call (the synchronous API). */
const SYNC_PROMISE = "a JS function called from Lua returned a Promise (async functions are not supported)";
/** Status of an async step that suspended (assembly/embed/bridge.ts LUA_SUSPENDED). */
const SUSPENDED = 7;

/** The result area of a suspended step: why (u32) and the ms left before its timeout (f64, -1: none). */
function readSuspension(r: Uint8Array): Suspension {
  const v = new DataView(r.buffer, r.byteOffset, r.byteLength);
  return { why: v.getUint32(0, true), msLeft: v.getFloat64(4, true) };
}

/** Reads an OK result area of `len` bytes at `ptr` in the module's memory `mem` (see LuaRuntime.invoke). */
export type ResultReader<T> = (mem: Uint8Array, ptr: number, len: number) => T;

/** The default ResultReader: a copy of the area. */
const copyResult: ResultReader<Uint8Array> = (mem, ptr, len) => mem.slice(ptr, ptr + len);

/** A call that did not succeed: its status and error area (null: its input did not fit). */
class CallFailure {
  constructor(
    readonly status: number,
    readonly result: Uint8Array | null,
  ) {}
}

const BUSY =
  "Lua state is busy: an output hook or another host callback cannot call back into Lua (JS functions called by Lua can)";

export class LuaRuntime {
  private wasm: LuaWasm | null;
  /** The async call in progress (running or suspended), or null (host/async.ts). */
  private asyncCall: AsyncCall | null = null;
  /** Guards running: 1 during a call, more while JS functions called by Lua call back (nested entries). */
  private depth = 0;
  /** host.hostCalls when each running guard began, innermost last (see nest). */
  private readonly marks: number[] = [];
  private initialised = false;
  /** A reset is re-running the state setup (a trap there must not reset again). */
  private resetting = false;
  /** See StateSetup; set by engine.ts before init. */
  setup: StateSetup | null = null;

  private constructor(
    private readonly module: WebAssembly.Module,
    /** What every instance of this runtime gets (hooks: the first instance's; later ones take the current hooks). */
    private readonly instanceOptions: InstanceOptions,
    wasm: LuaWasm,
    private readonly memoryLimit: number,
    private readonly warmup: boolean,
    /** RuntimeOptions.onReset. */
    private readonly onReset: ((error: LuaError) => void) | undefined,
  ) {
    this.wasm = wasm;
  }

  static async create(options: RuntimeOptions = {}): Promise<LuaRuntime> {
    const memoryLimit = limitBytes(options.memoryLimit);
    const module = await compileLua(options.wasm);
    const defaults = defaultHooks();
    const io: InstanceOptions = {
      hooks: { stdout: options.stdout ?? defaults.stdout, stderr: options.stderr ?? defaults.stderr },
      fs: await resolveFileSystem(options.fs),
      env: options.env,
      process: options.process,
      now: options.now,
      clock: options.clock,
    };
    const wasm = await instantiateLua(module, io);
    return new LuaRuntime(module, io, wasm, memoryLimit, options.warmup ?? false, options.onReset);
  }

  get isInitialised(): boolean {
    return this.initialised;
  }

  /** The current output hooks; callers may swap them around a call to capture output. */
  get hooks(): OutputHooks {
    return this.live().hooks;
  }
  set hooks(h: OutputHooks) {
    this.live().hooks = h;
  }

  private live(): LuaWasm {
    if (this.wasm === null) throw new Error("Lua state is closed");
    return this.wasm;
  }

  /** Throws "Lua state is closed" after close(). */
  checkOpen(): void {
    this.live();
  }

  /**
   * Opens a nested entry (a guard while another runs): allowed only from inside a JS function called
   * by Lua that started since the innermost running guard began (an output hook, a clock or env
   * callback may not call back: BUSY). The module sets the outer call's result area and input
   * buffer aside (lua_nest); too deep is "C stack overflow", as for C functions calling lua_call.
   */
  private nest(w: LuaWasm): void {
    if (w.host.hostCalls <= this.marks[this.marks.length - 1]) throw new Error(BUSY);
    if (w.exports.lua_nest() !== 0) throw new LuaError("C stack overflow", Status.ERRRUN);
  }

  /**
   * Runs `fn` against the instance. Called while another call runs (from a JS function called by
   * Lua), it is a nested entry (see nest): it runs on top of the running Lua stack, under the outer
   * call's budgets, and gives the outer call its buffers back afterwards. An exception thrown by a
   * host callback during the call (recorded by the imports, which never throw into wasm) becomes a
   * LuaError once the call has returned, with the state intact. A trap (isTrap) left the instance
   * in the middle of an export: a nested guard lets it unwind (markUnwinding) through the outer
   * export to the outermost guard, the one place that replaces the instance by a fresh initialised
   * one and throws the LuaError of kind "internal" (stateReset, onReset). Any other exception comes
   * from host code between export calls, which leaves the module consistent: it propagates as it is.
   */
  private guard<T>(fn: (w: LuaWasm) => T): T {
    const w = this.live();
    const nested = this.depth > 0;
    if (nested) this.nest(w);
    const outerFailure = nested ? w.takeCallbackError() : null;
    this.depth++;
    this.marks.push(w.host.hostCalls);
    let value: T | undefined;
    let failed = false;
    let failure: unknown;
    try {
      value = fn(w);
    } catch (e) {
      failed = true;
      failure = e;
    } finally {
      this.depth--;
      this.marks.pop();
    }
    if (failed && (isTrap(failure) || isUnwinding(failure))) {
      w.takeCallbackError();
      if (nested) {
        markUnwinding(failure);
        throw failure;
      }
      throw this.reset(w, failure);
    }
    if (nested) {
      w.exports.lua_unnest();
      const inner = w.takeCallbackError();
      if (outerFailure) w.noteCallbackError(outerFailure.what, outerFailure.error);
      if (failed) throw failure;
      if (inner) throw callbackError(inner.what, inner.error);
      return value as T;
    }
    const cb = w.takeCallbackError();
    if (failed) throw failure;
    if (cb) throw callbackError(cb.what, cb.error);
    return value as T;
  }

  /** Throws when a call is running or an async call is pending (operations that replace or capture the whole state). */
  private notWhileRunning(what: string): void {
    if (this.depth > 0)
      throw new Error(`cannot ${what} while a call is running (from inside a JS function called by Lua)`);
    if (this.asyncCall !== null) throw new Error(`cannot ${what} while an async call is pending (await or abort it)`);
  }

  // ==== Async calls (host/async.ts; docs/ABI.md "Async calls") ====

  /**
   * For a JS function called by Lua that returned a thenable: inside a step of the async call (not in
   * a nested entry made from it), the Lua thread awaits it (AWAIT makes host_call answer so);
   * anywhere else it is the synchronous API's error, as before async calls existed.
   */
  suspendOn(p: PromiseLike<unknown>, toValues: (v: unknown) => unknown[]): never {
    const call = this.asyncCall;
    if (call !== null && call.stepDepth === this.depth) {
      if (call.awaited) silence(call.awaited.promise); // one the module refused (no await possible there)
      call.awaited = { promise: p, toValues };
      throw AWAIT;
    }
    silence(p);
    throw new Error(SYNC_PROMISE);
  }

  /**
   * Runs an async call: `start` sends its input and calls lua_eval_async or lua_call_async (null: the
   * input would pass the memory limit). Between suspensions other calls may run on the state; a
   * second async call while one is pending is refused (ASYNC_BUSY). `around` wraps every step (the
   * seed API's output capture). Resolves to the result area, rejects with LuaError.
   */
  async runAsync(
    start: (w: LuaWasm) => number | null,
    options: AsyncOptions & { around?: <T>(fn: () => T) => T } = {},
  ): Promise<Uint8Array> {
    this.ensureInit();
    if (this.depth > 0)
      throw new Error("an async call cannot start inside a running call (call the function directly instead)");
    if (this.asyncCall !== null) throw new Error(ASYNC_BUSY);
    const { signal } = options;
    if (signal?.aborted) throw new LuaError(abortMessage(signal.reason), Status.ERRLIMIT);
    const call = new AsyncCall();
    this.asyncCall = call;
    const onAbort = (): void => void this.stopCall(call, { why: 4, message: abortMessage(signal?.reason) });
    signal?.addEventListener("abort", onAbort);
    const around = options.around ?? (<T>(fn: () => T): T => fn());
    try {
      let step = around(() => this.asyncStep(call, start));
      while (step.status === SUSPENDED && step.result !== null) {
        const wake = await call.waitFor(readSuspension(step.result));
        step = around(() => this.asyncStep(call, (w) => this.resumeWith(w, wake)));
      }
      if (step.status === Status.OK && step.result !== null) return step.result;
      throw errorFromResult(step.status, step.result);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (call.awaited) silence(call.awaited.promise);
      if (this.asyncCall === call) this.asyncCall = null;
    }
  }

  /** One step of the async call, as one guarded export call: its status and result area. */
  private asyncStep(call: AsyncCall, fn: (w: LuaWasm) => number | null): { status: number; result: Uint8Array | null } {
    return this.guard((w) => {
      call.stepDepth = this.depth;
      try {
        const status = fn(w);
        if (status === null) return { status: Status.ERRMEM, result: null };
        return { status, result: readResult(w) };
      } finally {
        call.stepDepth = -1;
      }
    });
  }

  /** Resumes the suspended call with how it goes on (lua_resume_async). */
  private resumeWith(w: LuaWasm, wake: Wakeup): number {
    if ("stop" in wake) {
      writeStop(w, wake.stop);
      return w.exports.lua_resume_async(0, wake.stop.why);
    }
    if ("pause" in wake) return w.exports.lua_resume_async(0, 0);
    return w.exports.lua_resume_async(writeAnswer(w, wake, w.host.functions?.context ?? {}), 0);
  }

  /** Stops `call`: woken with the stop if suspended, else (running, from a callback) at its next check. */
  private stopCall(call: AsyncCall, stop: Stop): boolean {
    if (call.requestStop(stop)) return true;
    const w = this.wasm;
    if (this.depth === 0 || w === null) return false;
    writeStop(w, stop);
    w.exports.lua_stop(stop.why);
    return true;
  }

  /**
   * Stops the running script with the error "interrupted!" (lua.c's reaction to Ctrl-C), which pcall
   * cannot catch: the call running now (from a callback it made: a JS function called by Lua, an
   * AbortSignal listener) at its next instruction, else the suspended async call at once (from a
   * timer). False when nothing runs (nothing is remembered for a later call). With `catchable`, it is
   * lua.c's Ctrl-C instead: an ordinary error at the next event (instruction, call or return) of the
   * script's thread, which pcall catches and after which the script goes on.
   */
  interrupt(options: InterruptOptions = {}): boolean {
    const why = options.catchable === true ? 5 : 3;
    const w = this.wasm;
    if (this.depth > 0 && w !== null) {
      w.exports.lua_stop(why); // the call running now (an async call's step, or any call)
      return true;
    }
    const call = this.asyncCall;
    if (call === null) return false;
    call.requestStop({ why, message: "interrupted!" }); // woken now, or (about to resume) at its next suspension
    return true;
  }

  /** Whether an async call is pending (running or suspended). */
  get asyncPending(): boolean {
    return this.asyncCall !== null;
  }

  /**
   * After a trap: a fresh instance with a fresh state (external tables kept), set up as init() sets
   * one up, so a sandbox or a seed is never lost silently. Returns the error the call throws.
   */
  private reset(old: LuaWasm, cause: unknown): LuaError {
    old.closeFiles();
    try {
      this.wasm = this.freshInstance(old);
      this.wasm.host = old.host; // external tables outlive the instance
      if (this.initialised && this.startState(this.wasm) !== Status.OK) this.initialised = false;
    } catch {
      this.initialised = false; // the next call will report the failure again
    }
    if (this.initialised && this.setup !== null) {
      if (this.resetting)
        this.initialised = false; // the setup itself trapped: init() again next call
      else {
        this.resetting = true;
        try {
          this.setup.state();
        } catch {
          this.initialised = false;
        } finally {
          this.resetting = false;
        }
      }
    }
    const err = stateResetError(cause);
    try {
      this.onReset?.(err);
    } catch {
      /* the application's handler failing is not ours to report */
    }
    return err;
  }

  /** A new instance with the same hooks, files, host capabilities and memory limit as `old`. */
  private freshInstance(old: LuaWasm): LuaWasm {
    const w = instantiateLuaSync(this.module, { ...this.instanceOptions, hooks: old.hooks });
    w.exports.lua_setlimit(this.memoryLimit);
    return w;
  }

  /** lua_init on a new instance, then its setup; the status of lua_init. */
  private startState(w: LuaWasm): number {
    w.exports.lua_setlimit(this.memoryLimit);
    const status = w.exports.lua_init();
    if (status === Status.OK) this.setup?.instance(w);
    return status;
  }

  /**
   * Creates the Lua state and opens the libraries, then applies the setup. Throws LuaError if the
   * module reports a failure. Called again, it starts over with a fresh instance (lua_init is only
   * ever called once per instance); external tables are kept.
   */
  init(): void {
    this.notWhileRunning("re-initialise the state");
    if (this.initialised) {
      const old = this.live();
      old.closeFiles();
      this.wasm = this.freshInstance(old);
      this.wasm.host = old.host; // external tables (_home) survive a re-init
      this.initialised = false;
    }
    const status = this.guard((w) => this.startState(w));
    if (status !== Status.OK) throw new LuaError("cannot create state: not enough memory", Status.ERRMEM);
    this.initialised = true;
    this.setup?.state();
    if (this.warmup) this.runWarmup();
  }

  private runWarmup(): void {
    const hooks = this.hooks;
    this.hooks = { stdout: () => {}, stderr: () => {} };
    try {
      this.exec(WARMUP, "=warmup");
    } catch {
      // an interpreter that cannot run the warm-up will report the same problem on the user's code
    } finally {
      if (this.wasm) this.hooks = hooks;
    }
  }

  private ensureInit(): void {
    if (!this.initialised) {
      this.live(); // closed: say so (not "cannot re-initialise")
      this.init();
    }
  }

  /**
   * One call that exchanges data with the module: `send` puts its input in (false: the input would
   * pass the memory limit), `run` calls the export and returns its status. On success, what `read`
   * makes of the result area (by default a copy of it), read in place inside the call (before a
   * nested entry gives the outer call its buffers back), so `read` must run no Lua; a LuaError
   * (message and traceback from the result area, or "not enough memory" when the input did not fit)
   * otherwise.
   */
  invoke<T = Uint8Array>(
    send: (w: LuaWasm) => boolean,
    run: (w: LuaWasm) => number,
    read: ResultReader<T> = copyResult as ResultReader<T>,
  ): T {
    this.ensureInit();
    const r = this.guard((w): T | CallFailure => {
      if (!send(w)) return new CallFailure(Status.ERRMEM, null);
      const status = run(w);
      const ptr = w.exports.result_ptr() >>> 0; // an address above 2 GiB reads negative as an i32
      const len = w.exports.result_len();
      if (status !== Status.OK) return new CallFailure(status, w.bytes().slice(ptr, ptr + len));
      return read(w.bytes(), ptr, len);
    });
    if (r instanceof CallFailure) throw errorFromResult(r.status, r.result);
    return r;
  }

  /**
   * Compiles and runs `source`; returns all results or throws LuaError. With `nargs` > 0 the chunk
   * receives arg[1..nargs] as its varargs (see docs/ABI.md lua_eval_args).
   */
  exec(source: string | Uint8Array, chunkname: string | Uint8Array, opts: DecodeHooks = {}, nargs = 0): LuaValue[] {
    checkSource(source);
    checkChunkname(chunkname);
    if (!Number.isInteger(nargs) || nargs < 0 || nargs > 1e6)
      throw new TypeError(`nargs must be a non-negative integer, got ${nargs}`);
    return this.invoke(
      (w) => writeSource(w, source),
      (w) => w.exports.lua_eval_args(writeName(w, chunkname), nargs),
      (mem, ptr, len) => decodeValuesAt(mem, ptr, len, opts),
    );
  }

  /** Compiles `source` and returns its `luac -l -l` style listing (raw text bytes), or throws LuaError. */
  listing(source: string | Uint8Array, chunkname: string | Uint8Array): Uint8Array {
    checkSource(source);
    checkChunkname(chunkname);
    return this.invoke(
      (w) => writeSource(w, source),
      (w) => w.exports.lua_listing(writeName(w, chunkname)),
    ); // raw text
  }

  /** Replaces the global `arg` table with the given index → value pairs (lua.c's createargtable). */
  setArgs(args: ReadonlyArray<readonly [number, string | Uint8Array]>): void {
    if (!Array.isArray(args)) throw new TypeError("setArgs expects an array of [index, value] pairs");
    for (const pair of args) {
      const [index, value] = Array.isArray(pair) ? pair : [undefined, undefined];
      if (!Number.isInteger(index) || Math.abs(index as number) > 2 ** 31 - 1)
        throw new TypeError(`arg index must be an integer, got ${String(index)}`);
      if (typeof value !== "string" && !(value instanceof Uint8Array))
        throw new TypeError(`arg[${index}] must be a string, got ${value === null ? "null" : typeof value}`);
    }
    this.ensureInit();
    this.guard((w) => {
      w.exports.arg_reset();
      for (const [index, value] of args) writeArg(w, index, value);
    });
  }

  /**
   * Runs `fn` against the live instance under the same discipline as exec (state initialised, no
   * re-entrancy, a trap becomes "internal error" and a fresh instance). For engine.ts's typed API.
   */
  withWasm<T>(fn: (w: LuaWasm) => T): T {
    this.ensureInit();
    return this.guard(fn);
  }

  /** The current module instance (replaced by restore and after a trap); for identity checks only. */
  get instance(): LuaWasm {
    return this.live();
  }

  /** The instance's host side (external tables, JS functions), without running anything. */
  get host(): LuaWasm["host"] {
    return this.live().host;
  }

  /** Whether a call is running (a JS callback is then inside it). */
  get isBusy(): boolean {
    return this.depth > 0;
  }

  /** Runs a full garbage collection. */
  collectGarbage(): void {
    this.withWasm((w) => w.exports.lua_gc());
  }

  /** Removes from the state what reaches outside it (the `sandbox` option; assembly/embed/sandbox.ts). */
  sandbox(): void {
    this.withWasm((w) => w.exports.lua_sandbox());
  }

  memoryStats(): MemoryStats {
    const w = this.live();
    const used = this.initialised ? w.exports.lua_memory_used() : 0;
    const pages = w.exports.memory.buffer.byteLength / 65536;
    const total = pages * 65536;
    return {
      lua_memory_used: used,
      io_buffer_size: w.exports.io_buffer_size(),
      wasm_pages: pages,
      total,
      used,
      free: total - used,
      memory_limit: w.exports.lua_getlimit(),
      host_bytes: w.host.hostBytes,
      jit_functions: w.jit?.functions ?? 0,
      jit_bytes: w.jit?.bytes ?? 0,
      jit_compiles: w.jit?.compiles ?? 0,
      jit_compile_ms: w.jit?.compileMs ?? 0,
    };
  }

  /**
   * Writes the current upvalues of the stored functions this state loaded back into their cells in
   * the host store (assembly/embed/extfn.ts ext_sync), so a save records where they are. Throws an
   * Error naming the problem (a cell now holding a coroutine, ...). Skipped while a call runs (a JS
   * callback saving mid-call saves the cells as last synced).
   */
  syncStoredFunctions(): void {
    if (!this.initialised || this.depth > 0 || this.wasm === null) return;
    const msg = this.guard((w) => {
      const e = w.exports;
      if (e.ext_sync() === 0) return null;
      return utf8.decode(w.bytes().subarray(e.ext_sync_msg_ptr(), e.ext_sync_msg_ptr() + e.ext_sync_msg_len()));
    });
    if (msg !== null) throw new Error(msg);
  }

  // ==== Snapshots (host/persist/snapshot.ts, assembly/persist/snapshot.ts) ====

  /**
   * The whole state as bytes: everything reachable from the globals and the registry, plus the
   * external tables it refers to (and _home, _io). Throws SnapshotError when the state holds
   * something that cannot be saved.
   */
  snapshot(): Uint8Array {
    this.notWhileRunning("take a snapshot");
    const r = this.withWasm((w) => {
      const e = w.exports;
      const st = e.lua_snapshot();
      const u8 = w.bytes();
      if (st !== 0) {
        const error = snapMessage(w);
        e.snap_release();
        return { error, lua: new Uint8Array(0), ext: [] as number[] };
      }
      const lua = u8.slice(e.snap_out_ptr(), e.snap_out_ptr() + e.snap_out_len());
      const ev = new DataView(u8.buffer, e.snap_ext_ptr(), e.snap_ext_len());
      const ext: number[] = [];
      for (let i = 0; i + 4 <= ev.byteLength; i += 4) ext.push(ev.getUint32(i, true));
      e.snap_release();
      return { error: null, lua, ext };
    });
    if (r.error !== null) throw new SnapshotError(r.error.replace(/^bad snapshot: /, "cannot snapshot: "));
    return writeSnapshot(r.lua, this.live().host.store, r.ext);
  }

  /**
   * Replaces the state with a snapshot: restores it into a new instance and swaps that in only when
   * everything was read, so a corrupted, truncated or foreign snapshot throws SnapshotError ("bad
   * snapshot: ...") and leaves the current state as it was. JS functions registered with this
   * runtime stay callable; function references handed out before are released.
   */
  restore(bytes: Uint8Array): void {
    this.notWhileRunning("restore a snapshot");
    const parsed = parseSnapshot(bytes);
    const old = this.live();
    this.depth++;
    let w: LuaWasm | null = null;
    try {
      w = this.freshInstance(old);
      w.host = new HostSide();
      w.host.store = parsed.store;
      w.host.functions = old.host.functions;
      if (w.exports.lua_init() !== Status.OK) throw new SnapshotError("cannot restore: not enough memory");
      const e = w.exports;
      const p = e.snap_inbuf(parsed.lua.length); // may grow memory: the view is taken after it
      w.bytes().set(parsed.lua, p);
      if (e.lua_restore(parsed.lua.length) !== 0) throw new SnapshotError(snapMessage(w));
      e.snap_release();
      this.setup?.instance(w);
    } catch (err) {
      w?.closeFiles();
      if (err instanceof SnapshotError) throw err;
      throw new SnapshotError(`bad snapshot: ${(err as Error).message ?? String(err)}`);
    } finally {
      this.depth--;
    }
    this.wasm = w;
    this.initialised = true;
    try {
      this.setup?.restored?.();
    } catch (err) {
      this.wasm = old; // the state from before the restore, untouched
      w.closeFiles();
      throw new SnapshotError(`cannot restore: ${(err as Error).message ?? String(err)}`);
    }
    old.closeFiles();
  }

  /**
   * Closes the state as lua_close does (pending to-be-closed variables and every __gc finalizer
   * run, output flushed), then drops the instance; every later call throws "Lua state is closed".
   */
  close(): void {
    this.asyncCall?.requestStop({ why: 4, message: "Lua state is closed" }); // its next step finds it closed
    if (this.wasm && this.initialised && this.depth === 0) {
      try {
        this.wasm.exports.lua_close();
      } catch {
        /* a trap while finalizing: drop the instance anyway */
      }
    }
    this.wasm?.closeFiles();
    this.wasm = null;
    this.initialised = false;
  }

  /** The file system Lua sees (see RuntimeOptions.fs). */
  get fs(): FileSystem {
    return this.live().fs;
  }
}

/** The message the module left for a failed snapshot or restore. */
function snapMessage(w: LuaWasm): string {
  const e = w.exports;
  return utf8.decode(w.bytes().subarray(e.snap_msg_ptr(), e.snap_msg_ptr() + e.snap_msg_len()));
}

const utf8 = new TextDecoder();
