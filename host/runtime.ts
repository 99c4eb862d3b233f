// runtime.ts - the core under the façade (engine.ts Lua, hence LuaPersistent and the CLI) and the spec
// runner: one module instance, one Lua state, and the call discipline around it (status → LuaError,
// trap → "internal error" + a fresh instance set up as the first).
// Invariants: every export call that can run Lua goes through guard(), so a wasm trap, an abort or an
// exception thrown by an output hook never escapes raw and never leaves a half-dead instance behind;
// calls are not re-entrant (an output hook may not call back into the same runtime).

import { decodeValues, errorFromResult, type DecodeHooks, type LuaValue } from "./codec.js";
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
  /** Functions compiled by the JIT and alive, and the bytes of their wasm modules (outside linear memory). */
  jit_functions: number;
  jit_bytes: number;
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

const BUSY = "Lua state is busy: re-entrant call from an output hook or from a JS function called by Lua";

export class LuaRuntime {
  private wasm: LuaWasm | null;
  private busy = false;
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

  /** The live instance, marked busy: the one check against re-entrant calls. */
  private enter(): LuaWasm {
    const w = this.live();
    if (this.busy) throw new Error(BUSY);
    this.busy = true;
    return w;
  }

  /**
   * Runs `fn` against the instance, not re-entrantly. An exception thrown by a host callback during
   * the call (recorded by the imports, which never throw into wasm) becomes a LuaError once the call
   * has returned, with the state intact. A trap (isTrap) left the instance in the middle of an
   * export: it is replaced by a fresh initialised one, and the LuaError of kind "internal" says so
   * (stateReset, onReset). Any other exception comes from host code between export calls, which
   * leaves the module consistent: it propagates as it is.
   */
  private guard<T>(fn: (w: LuaWasm) => T): T {
    const w = this.enter();
    let value: T;
    try {
      value = fn(w);
    } catch (e) {
      w.takeCallbackError();
      this.busy = false;
      if (!isTrap(e)) throw e;
      throw this.reset(w, e);
    } finally {
      this.busy = false;
    }
    const failed = w.takeCallbackError();
    if (failed) throw callbackError(failed.what, failed.error);
    return value;
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
    if (!this.initialised) this.init();
  }

  /**
   * One call that exchanges data with the module: `send` puts its input in (false: the input would
   * pass the memory limit), `run` calls the export and returns its status. The result area on
   * success; a LuaError (message and traceback from the result area, or "not enough memory" when
   * the input did not fit) otherwise.
   */
  invoke(send: (w: LuaWasm) => boolean, run: (w: LuaWasm) => number): Uint8Array {
    this.ensureInit();
    const { status, result } = this.guard((w) => {
      if (!send(w)) return { status: Status.ERRMEM, result: null };
      const status = run(w);
      return { status, result: readResult(w) };
    });
    if (status === Status.OK && result !== null) return result;
    throw errorFromResult(status, result);
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
    const result = this.invoke(
      (w) => writeSource(w, source),
      (w) => w.exports.lua_eval_args(writeName(w, chunkname), nargs),
    );
    return decodeValues(result, opts);
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
    return this.busy;
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
    };
  }

  /**
   * Writes the current upvalues of the stored functions this state loaded back into their cells in
   * the host store (assembly/embed/extfn.ts ext_sync), so a save records where they are. Throws an
   * Error naming the problem (a cell now holding a coroutine, ...). Skipped while a call runs (a JS
   * callback saving mid-call saves the cells as last synced).
   */
  syncStoredFunctions(): void {
    if (!this.initialised || this.busy || this.wasm === null) return;
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
    const parsed = parseSnapshot(bytes);
    const old = this.enter();
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
      this.busy = false;
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
    if (this.wasm && this.initialised && !this.busy) {
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
