// engine.ts - Lua, the one façade of the library: a persistent Lua state with the typed API (run,
// call, global get/set, JS functions callable from Lua, Lua functions as JS functions), budgets and
// the sandbox, _io, persistence of _home (storage adapter, saveState/loadState, autosave), whole-state
// snapshots, memory and table statistics. LuaPersistent (persistent.ts) is the seed's API over it.
// Invariant: the Lua state persists across calls until close(); a failed call leaves it usable (after
// an internal error it is a fresh state set up as the first was, since the trapped instance is
// replaced); the options are checked before anything is instantiated.

import { decodeValues, type DecodeHooks, type DecodeOptions, type LuaValue } from "./codec.js";
import { encodeValues } from "./encode.js";
import type { AsyncOptions, InterruptOptions } from "./async.js";
import { writeName, writeSource } from "./iobuf.js";
import { checkChunkname, checkSource } from "./validate.js";
import { LuaError, Status } from "./errors.js";
import type { LuaWasm } from "./loader.js";
import type { FileSystem } from "./fs.js";
import { LuaRuntime, type MemoryStats, type RuntimeOptions } from "./runtime.js";
import { ValueBridge } from "./typed.js";
import type { GetOptions } from "./ref-table.js";
import { IO_ID } from "./ext/values.js";
import type { ExtTableInfo, ExtTableStore } from "./ext/store.js";
import { MemoryStorage, type StorageAdapter } from "./persist/storage.js";
import { readImage, writeImage } from "./persist/format.js";
import { Autosave, type AutosaveMode } from "./persist/autosave.js";
import { checkCode } from "./validate.js";

/** Chunk name used for code given as a string, as in the ABI: messages read "input:1: ...". */
export const DEFAULT_CHUNKNAME = "=input";

// ==== Options ====

/** Budgets, deterministic mode and the sandbox (both APIs). */
export interface LimitOptions {
  /**
   * Bytes of memory Lua objects and external tables may use; exceeding it is the Lua error "not
   * enough memory" (catchable by pcall; the state stays usable). Default DEFAULT_MEMORY_LIMIT
   * (256 MiB); 0 or Infinity: the module's ceiling (1.5 GiB).
   */
  memoryLimit?: number;
  /**
   * VM instructions per call into Lua (run, eval, call, a Lua function called from JS, a collection's
   * finalizers) before a "limit" LuaError (not catchable by pcall). Default: no limit.
   */
  instructionLimit?: number;
  /** Milliseconds per call into Lua before a "limit" LuaError (not catchable by pcall). Default: no limit. */
  timeoutMs?: number;
  /**
   * Default false. When true: no file system (unless `fs` is given), no warnings on the process's
   * stderr (unless `stderr` is given), and os.execute/exit/getenv/remove/rename/tmpname,
   * io.open/lines/popen/input/output/tmpfile, dofile, loadfile, require and the debug library are
   * removed from every fresh state.
   */
  sandbox?: boolean;
  /**
   * Default false. When true, the same code and inputs give the same outputs and instruction counts
   * on every run and machine: os.time/os.date read `now` and os.clock reads `clock` (both default to
   * a clock stuck at 0), math.random starts from `randomSeed` (default 0), table.sort never draws on
   * the clocks, and addresses (tostring of tables and functions) follow the allocation sequence.
   */
  deterministic?: boolean;
  /**
   * When standard output (print, io.write) reaches the `stdout` hook: "call" (the default) when 64 KiB
   * are pending and when each call into Lua returns; "print" also after every print, as lua.c's print
   * flushes stdout; "line" also at every newline written, as C's stdout on a terminal. The lua-wasm
   * CLI uses "line" on a terminal and "print" otherwise.
   */
  outputFlush?: "call" | "print" | "line";
  /**
   * Seeds math.random on every fresh state (math.randomseed(randomSeed)); an integer, or a bigint.
   * Default: lua5.4's seed from the clock (seconds) and the state's address; 0 when deterministic.
   */
  randomSeed?: number | bigint;
}

/** Where and when _home is saved (both APIs). */
export interface PersistOptions {
  /** Where saveState()/loadState() keep _home. Default: a MemoryStorage (lives as long as this object). */
  storage?: StorageAdapter;
  /**
   * When _home is saved without an explicit saveState(): "manual" (the default: only saveState),
   * "eval" (after every successful call into Lua: eval, run, call; the image is taken when the call
   * returns and saves are written in order), or { debounceMs } (once calls have paused for that long).
   * `await flush()` waits for pending autosaves; a failed autosave is reported to onAutosaveError
   * (and kept by getLastAutosaveError()); the previous save stays intact.
   */
  autosave?: AutosaveMode;
  /** Called when an autosave fails. Default: none (see getLastAutosaveError()). */
  onAutosaveError?: (error: Error) => void;
}

/** The baseline JIT (assembly/jit/, docs/VM.md "JIT"). */
export interface JitOptions {
  /**
   * Default true. When true, hot functions (calls + loop iterations past `jitThreshold`) are compiled
   * to WebAssembly at run time and run there; behaviour, messages, hooks and instruction counts stay
   * those of the interpreter (compiled code hands anything unusual back to it). Where the host cannot
   * compile synchronously (a browser's main thread, for modules over 4 KB), functions stay interpreted.
   */
  jit?: boolean;
  /** Calls + loop back-edges of a function before it is compiled; 0 compiles at the first call. Default 1000. */
  jitThreshold?: number;
}

export interface LuaOptions extends RuntimeOptions, DecodeOptions, LimitOptions, PersistOptions, JitOptions {
  /** Chunk name for run() and listing() (default "=input"). */
  chunkname?: string;
}

/** Throws RangeError for a budget or seed no state could use (before anything is instantiated). */
function checkLimits(o: LimitOptions): void {
  for (const [name, v] of [
    ["instructionLimit", o.instructionLimit],
    ["timeoutMs", o.timeoutMs],
  ] as const) {
    if (v !== undefined && !(v >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
  }
  const th = (o as JitOptions).jitThreshold;
  if (th !== undefined && !(Number.isInteger(th) && th >= 0 && th <= 0x7fffffff))
    throw new RangeError(`jitThreshold must be a non-negative integer, got ${th}`);
  const seed = o.randomSeed;
  if (seed !== undefined && typeof seed !== "bigint" && !Number.isSafeInteger(seed))
    throw new RangeError(`randomSeed must be an integer, got ${seed}`);
}

/**
 * The runtime options a Lua's options give: the file system ("none" under sandbox), the clocks
 * (stuck at 0 in deterministic mode unless given) and the stderr hook (dropped under sandbox unless
 * given: warnings never reach the host's own stderr).
 */
function runtimeOptions(o: LuaOptions): RuntimeOptions {
  return {
    ...o,
    fs: o.fs ?? (o.sandbox ? "none" : undefined),
    now: o.now ?? (o.deterministic ? () => 0 : undefined),
    clock: o.clock ?? (o.deterministic ? () => 0 : undefined),
    stderr: o.stderr ?? (o.sandbox ? () => {} : undefined),
  };
}

/** What every fresh state of `rt` gets from the options: budgets, deterministic mode, output flushing, JIT, seed, sandbox. */
function stateSetup(rt: LuaRuntime, o: LimitOptions & JitOptions): void {
  rt.setup = {
    instance: (w: LuaWasm) => {
      w.exports.lua_setbudget(o.instructionLimit ?? 0, o.timeoutMs ?? 0);
      w.exports.lua_setdeterministic(o.deterministic ? 1 : 0);
      w.exports.lua_setflushmode(o.outputFlush === "line" ? 2 : o.outputFlush === "print" ? 1 : 0);
      // (a module built without an imported function table cannot run compiled code: interpreted)
      w.exports.lua_setjit((o.jit ?? true) && w.jit !== null ? 1 : 0, o.jitThreshold ?? -1, 0);
    },
    state: () => {
      if (o.randomSeed !== undefined || o.deterministic)
        rt.exec(`math.randomseed(${String(o.randomSeed ?? 0)})`, "=randomseed");
      if (o.sandbox) rt.sandbox();
    },
    // a snapshot taken without the sandbox brings its globals back
    restored: () => {
      if (o.sandbox) rt.sandbox();
    },
  };
}

/** A failure of the storage side of persistence as the LuaError both APIs report. */
function persistError(what: string, e: unknown): LuaError {
  return new LuaError(`${what}: ${e instanceof Error ? e.message : String(e)}`, Status.ERRRUN, "", { cause: e });
}

const utf8 = new TextDecoder();

// ==== Lua ====

/**
 * const lua = await Lua.create(); lua.run("x = 40"); lua.run("return x + 2") // [42]
 * Every method throws on failure: LuaError (Lua's exact message, traceback, kind), SnapshotError,
 * TypeError for misuse. stdout goes to options.stdout (default: process.stdout / console).
 */
export class Lua {
  private readonly bridge: ValueBridge;
  private readonly storage: StorageAdapter;
  private autosave: Autosave;

  /**
   * Raw access to globals (no metamethods): values converted both ways as run/call do. `get(name,
   * { proxy: true })` gives a table as a live LuaTableRef instead of a copy.
   */
  readonly global: { get(name: string, options?: GetOptions): LuaValue; set(name: string, value: unknown): void };

  /** `previous`: the Lua whose storage and autosave queue this one takes over (LuaPersistent.load). */
  private constructor(
    private readonly runtime: LuaRuntime,
    private readonly options: LuaOptions,
    previous?: Lua,
  ) {
    this.storage = previous?.storage ?? options.storage ?? new MemoryStorage();
    this.autosave =
      previous?.autosave ?? new Autosave(options.autosave ?? "manual", this.storage, options.onAutosaveError);
    this.autosave.image = () => this.image();
    this.bridge = new ValueBridge(runtime, options, () => this.autosave.afterCall());
    this.global = {
      get: (name, options) => this.bridge.get(name, options),
      set: (name, value) => this.bridge.set(name, value),
    };
  }

  /** Loads the module (options.wasm; default the bundled build/lua.wasm) and creates the Lua state. */
  static async create(options: LuaOptions = {}): Promise<Lua> {
    const lua = await Lua.instantiate(options);
    lua.init();
    return lua;
  }

  /**
   * For LuaPersistent.load (host/persistent.ts) only: the module instantiated, its state not created
   * yet (init() does). `previous` hands over its external tables and autosave queue, then is closed.
   * @internal
   */
  static async instantiate(options: LuaOptions, previous?: Lua): Promise<Lua> {
    checkLimits(options);
    const runtime = await LuaRuntime.create(runtimeOptions(options));
    stateSetup(runtime, options);
    if (previous === undefined) return new Lua(runtime, options);
    runtime.host.store = previous.store; // external tables carry over
    const lua = new Lua(runtime, options, previous);
    previous.autosave = new Autosave("manual", previous.storage, undefined); // the queue is the new one's now
    previous.close();
    return lua;
  }

  /**
   * Creates the Lua state and applies the options (budgets, seed, sandbox); called again, starts over
   * with a fresh state, keeping external tables. For Lua.create and LuaPersistent.init.
   * @internal
   */
  init(): void {
    this.runtime.init();
  }

  // ==== Running code ====

  /**
   * Runs `code` and returns all its results. Throws LuaError with Lua's exact message. Lua functions
   * among the results are JS functions calling back into this state.
   */
  run(code: string | Uint8Array, chunkname: string = this.options.chunkname ?? DEFAULT_CHUNKNAME): LuaValue[] {
    checkCode(code);
    const values = this.bridge.withRefs(() => this.runtime.exec(code, chunkname, this.bridge.decode));
    this.autosave.afterCall();
    return values;
  }

  /**
   * For LuaPersistent.eval: run() with functions, threads and userdata as LuaOpaque (no references).
   * @internal
   */
  evalPlain(code: string | Uint8Array, chunkname: string): LuaValue[] {
    checkCode(code);
    const values = this.runtime.exec(code, chunkname, this.bridge.plain);
    this.autosave.afterCall();
    return values;
  }

  /**
   * Calls a Lua function (a function returned by run/call/global.get, or the name of a global) with
   * converted arguments; returns all its results. JS functions among the arguments are callable
   * from Lua.
   */
  call(fn: string | LuaValue, ...args: unknown[]): LuaValue[] {
    return typeof fn === "string" ? this.bridge.callGlobal(fn, args) : this.bridge.call(fn, args);
  }

  /**
   * Runs a script the way lua.c does: the chunk receives arg[1..nargs] (set with setArgs) as `...`;
   * any bytes are accepted (a script may hold Latin-1 in its string literals). Results as LuaOpaque
   * for functions.
   */
  runScript(code: string | Uint8Array, chunkname: string, nargs: number): LuaValue[] {
    const values = this.runtime.exec(code, chunkname, this.bridge.plain, nargs);
    this.autosave.afterCall();
    return values;
  }

  // ==== Async calls: await from Lua (host/async.ts) ====

  /**
   * runScript() as an async call (see runAsync): the lua-wasm CLI runs scripts this way, so that
   * Ctrl-C reaches them at their pauses. Results as LuaOpaque for functions.
   */
  async runScriptAsync(
    code: string | Uint8Array,
    chunkname: string,
    nargs: number,
    options: AsyncOptions = {},
  ): Promise<LuaValue[]> {
    checkSource(code);
    checkChunkname(chunkname);
    if (!Number.isInteger(nargs) || nargs < 0 || nargs > 1e6)
      throw new TypeError(`nargs must be a non-negative integer, got ${nargs}`);
    const result = await this.runtime.runAsync(
      (w) => (writeSource(w, code) ? w.exports.lua_eval_async(writeName(w, chunkname), nargs) : null),
      { signal: options.signal },
    );
    const values = decodeValues(result, this.bridge.plain);
    this.autosave.afterCall();
    return values;
  }

  /**
   * Runs `code` as run() does, but a JS function called by Lua may return a promise: the Lua thread
   * (the main chunk or a coroutine, at any depth of Lua calls, pcall and metamethods included)
   * suspends until it settles and goes on with its value, or with a Lua error carrying the rejection's
   * message (pcall catches it). Other JS runs meanwhile; long-running Lua also pauses every ~15 ms so
   * timers and handlers run. One async call at a time (a second one is refused while one is pending);
   * run/call/global.get/set work meanwhile. `signal` aborts it, interrupt() stops it.
   */
  async runAsync(code: string | Uint8Array, options: AsyncOptions & { chunkname?: string } = {}): Promise<LuaValue[]> {
    checkCode(code);
    const chunkname = options.chunkname ?? this.options.chunkname ?? DEFAULT_CHUNKNAME;
    const values = await this.evalAsyncWith(code, chunkname, options, this.bridge.decode, (fn) =>
      this.bridge.withRefs(fn),
    );
    this.autosave.afterCall();
    return values;
  }

  /**
   * For LuaPersistent.evalAsync: runAsync() with functions as LuaOpaque; `around` wraps each step.
   * @internal
   */
  async evalPlainAsync(
    code: string | Uint8Array,
    chunkname: string,
    options: AsyncOptions,
    around: <T>(fn: () => T) => T,
  ): Promise<LuaValue[]> {
    checkCode(code);
    const values = await this.evalAsyncWith(code, chunkname, options, this.bridge.plain, around);
    this.autosave.afterCall();
    return values;
  }

  private async evalAsyncWith(
    code: string | Uint8Array,
    chunkname: string,
    options: AsyncOptions,
    decode: DecodeHooks,
    around: <T>(fn: () => T) => T,
  ): Promise<LuaValue[]> {
    checkSource(code);
    checkChunkname(chunkname);
    const result = await this.runtime.runAsync(
      (w) => (writeSource(w, code) ? w.exports.lua_eval_async(writeName(w, chunkname)) : null),
      { signal: options.signal, around },
    );
    return decodeValues(result, decode);
  }

  /** call() as an async call (see runAsync): `await L.callAsync("fetchAll", url)`. */
  callAsync(fn: string | LuaValue, ...args: unknown[]): Promise<LuaValue[]> {
    return this.callAsyncWith({}, fn, ...args);
  }

  /** callAsync() with options: `await L.callAsyncWith({ signal }, fn, ...args)`. */
  async callAsyncWith(options: AsyncOptions, fn: string | LuaValue, ...args: unknown[]): Promise<LuaValue[]> {
    const byname = typeof fn === "string";
    const bytes = encodeValues([fn, ...args], this.bridge.context).slice();
    const result = await this.runtime.runAsync(
      (w) => {
        const p = w.exports.val_buffer(bytes.length);
        if (p === 0) return null;
        w.bytes().set(bytes, p);
        return w.exports.lua_call_async(args.length, byname ? 1 : 0);
      },
      { signal: options.signal, around: (f) => this.bridge.withRefs(f) },
    );
    const values = decodeValues(result, this.bridge.decode);
    this.autosave.afterCall();
    return values;
  }

  /**
   * Stops the running script with the error "interrupted!" (as lua.c on Ctrl-C), which pcall cannot
   * catch; the state stays usable. Works on a suspended or running async call (from a timer, an
   * event handler) and on any call from inside a JS function it called. False when nothing was
   * running (nothing is kept for a later call). `{ catchable: true }` raises it as lua.c does on
   * Ctrl-C instead: an ordinary error at the script's next instruction, call or return, which pcall
   * catches (the lua-wasm CLI's first Ctrl-C).
   */
  interrupt(options: InterruptOptions = {}): boolean {
    return this.runtime.interrupt(options);
  }

  /** Compiles `code` without running it and returns its `luac -l -l` style listing. */
  listing(code: string | Uint8Array, chunkname: string = this.options.chunkname ?? DEFAULT_CHUNKNAME): string {
    return utf8.decode(this.runtime.listing(code, chunkname));
  }

  /** Raw-bytes variant of listing(). */
  listingBytes(code: string | Uint8Array, chunkname: string | Uint8Array): Uint8Array {
    return this.runtime.listing(code, chunkname);
  }

  /** Sets the global `arg` table: pairs of integer index and value, as lua.c does for scripts. */
  setArgs(args: ReadonlyArray<readonly [number, string | Uint8Array]>): void {
    this.runtime.setArgs(args);
  }

  // ==== Memory ====

  /** Real figures: the bytes Lua holds, linear memory, the limit in effect, the host's external-table bytes. */
  memoryStats(): MemoryStats {
    return this.runtime.memoryStats();
  }

  /** Runs a full garbage collection (finalizers under the budget). */
  collectGarbage(): void {
    this.runtime.collectGarbage();
  }

  /** The file system Lua sees (the `fs` option; a MemoryFileSystem by default). */
  get fs(): FileSystem {
    return this.runtime.fs;
  }

  // ==== _io: the ephemeral exchange table ====

  private get store(): ExtTableStore {
    return this.runtime.host.store;
  }

  /**
   * _io.input = value (objects, arrays and Maps become external tables; null/undefined deletes). All
   * or nothing: past the memory limit (after one collection of both sides) it throws a RangeError
   * "not enough memory" and _io is as it was.
   */
  setInput(value: unknown): void {
    this.runtime.withWasm(() => this.store.setJS(IO_ID, "input", value));
  }

  /** _io.meta = value, as setInput. */
  setMetadata(value: unknown): void {
    this.runtime.withWasm(() => this.store.setJS(IO_ID, "meta", value));
  }

  /** The value Lua left in _io.output, as a plain JS value (tables as arrays/objects); null if none. */
  getOutput(): unknown {
    const s = this.store;
    return s.toJS(s.get(IO_ID, "output"));
  }

  /** Empties _io (input, output, meta and anything else in it). */
  clearIo(): void {
    this.store.clear(IO_ID);
  }

  /** Counts of external tables and entries (see ExtTableInfo). */
  tableInfo(): ExtTableInfo {
    return this.store.info();
  }

  // ==== _home: persistence ====

  /** The image of _home (host/persist/format.ts), with loaded closures' upvalues written back to their cells first. */
  private image(): Uint8Array {
    this.runtime.syncStoredFunctions();
    return writeImage(this.store);
  }

  /**
   * Saves everything reachable from _home through the storage adapter. Throws LuaError ("cannot save
   * state: ...") on failure; the previous save is then intact.
   */
  async saveState(): Promise<void> {
    this.runtime.checkOpen();
    let image: Uint8Array;
    try {
      image = this.image();
    } catch (e) {
      throw persistError("cannot save state", e);
    }
    try {
      await this.storage.save(image);
    } catch (e) {
      throw persistError("cannot save state", e);
    }
  }

  /**
   * Replaces _home with the last saved image. False when nothing was saved; throws LuaError ("cannot
   * load state: ...") for a corrupt image or a storage error, _home then unchanged.
   */
  async loadState(): Promise<boolean> {
    this.runtime.checkOpen();
    let image: Uint8Array | null;
    try {
      image = await this.storage.load();
    } catch (e) {
      throw persistError("cannot load state", e);
    }
    if (image === null) return false;
    try {
      readImage(this.store, image);
    } catch (e) {
      throw persistError("cannot load state", e);
    }
    return true;
  }

  /** Forgets the saved image (the live _home is not touched). Throws LuaError on a storage error. */
  async clearPersistedState(): Promise<void> {
    this.runtime.checkOpen();
    try {
      await this.storage.clear();
    } catch (e) {
      throw persistError("cannot clear persisted state", e);
    }
  }

  /** Waits until every pending autosave (a debounced one is started now) has been written; false if the last failed. */
  flush(): Promise<boolean> {
    return this.autosave.flush();
  }

  /** The error of the last failed autosave; null after a successful one. */
  getLastAutosaveError(): Error | null {
    return this.autosave.lastFailure;
  }

  // ==== Whole-state snapshots ====

  /** The whole Lua state as bytes (see LuaRuntime.snapshot); throws SnapshotError. */
  snapshot(): Uint8Array {
    return this.runtime.snapshot();
  }

  /**
   * Replaces the state with a snapshot taken by snapshot() (here or in another instance); throws
   * SnapshotError ("bad snapshot: ...") and leaves the state untouched when it cannot be read.
   * JS functions set with global.set stay callable; Lua functions handed to JS before are released.
   */
  restore(bytes: Uint8Array): void {
    this.runtime.restore(bytes);
  }

  /**
   * Closes the state as lua_close does (pending __gc finalizers run), releases the instance and every
   * function reference; later calls throw "Lua state is closed". A pending debounced autosave is
   * taken now (await flush() before close() to know it was written).
   */
  close(): void {
    this.autosave.takePending();
    this.bridge.close();
    this.runtime.close();
  }
}
