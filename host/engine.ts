// engine.ts - the public API: LuaPersistent (compatible with the seed: load/init/eval/getLastError/
// getMemoryStats) and Lua (factory + run/close, throwing LuaError).
// Invariant: the Lua state persists across calls until close(); a failed call leaves it usable (after
// an internal error it is a fresh state, since the trapped instance is replaced).

import type { DecodeOptions, LuaValue } from "./codec.js";
import { LuaError } from "./errors.js";
import type { LuaWasm, WasmSource } from "./loader.js";
import type { FileSystem } from "./fs.js";
import { LuaRuntime, type MemoryStats, type RuntimeOptions } from "./runtime.js";
import { Status } from "./errors.js";
import { ValueBridge } from "./typed.js";
import { ExtRef, ExtTableStore, IO_ID, type ExtTableInfo } from "./ext-tables.js";
import { MemoryStorage, type StorageAdapter } from "./persist/storage.js";
import { readImage, writeImage } from "./persist/format.js";
import { checkChunkname, checkCode } from "./validate.js";
import { SnapshotError } from "./persist/snapshot.js";

/** Lua run after init when `sandbox` is on: removes what reaches outside the state (files, processes, environment). */
const SANDBOX = `
for _, k in ipairs{"execute", "exit", "getenv", "remove", "rename", "tmpname"} do os[k] = nil end
if io then for _, k in ipairs{"open", "lines", "popen", "input", "output", "tmpfile"} do io[k] = nil end end
dofile, loadfile, require = nil, nil, nil
debug = nil
if package then package.loaded.debug = nil end
`;

/** Options both APIs share: budgets and the sandbox. */
export interface LimitOptions {
  /**
   * Bytes of memory Lua objects may use; exceeding it is the Lua error "not enough memory" (catchable
   * by pcall; the state stays usable). Default DEFAULT_MEMORY_LIMIT (256 MiB); 0 or Infinity: the
   * module's ceiling (1.5 GiB).
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
   * Default false. When true: no file system (unless `fs` is given), and os.execute/exit/getenv/
   * remove/rename/tmpname, io.open/lines/popen/input/output/tmpfile, dofile, loadfile and require
   * are removed after init.
   */
  sandbox?: boolean;
  /**
   * Default false. When true, the same code and inputs give the same outputs and instruction counts
   * on every run and machine: os.time/os.date read `now` and os.clock reads `clock` (both default to
   * a clock stuck at 0), math.random starts from `randomSeed` (default 0), table.sort never draws on
   * the clocks, and addresses (tostring of tables and functions) follow the allocation sequence.
   */
  deterministic?: boolean;
  /** Seeds math.random after init (math.randomseed(randomSeed)); an integer, or a bigint. */
  randomSeed?: number | bigint;
}

/** The clocks the runtime gets: the options', or a clock stuck at 0 in deterministic mode. */
function clockOptions(o: LimitOptions & { now?: () => number; clock?: () => number }): { now?: () => number; clock?: () => number } {
  if (!o.deterministic) return { now: o.now, clock: o.clock };
  return { now: o.now ?? (() => 0), clock: o.clock ?? (() => 0) };
}

/**
 * Applies the budgets, deterministic mode, the random seed and the sandbox to a freshly initialised
 * runtime (the memory limit is the runtime's own option). Budgets and deterministic mode are also
 * re-applied to every instance the runtime makes by itself (after a trap, on restore).
 */
function configure(rt: LuaRuntime, o: LimitOptions): void {
  for (const [name, v] of [["instructionLimit", o.instructionLimit], ["timeoutMs", o.timeoutMs]] as const) {
    if (v !== undefined && !(v >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
  }
  const setup = (w: LuaWasm): void => {
    w.exports.lua_setbudget(o.instructionLimit ?? 0, o.timeoutMs ?? 0);
    w.exports.lua_setdeterministic(o.deterministic ? 1 : 0);
  };
  rt.instanceSetup = setup;
  rt.withWasm(setup);
  if (o.randomSeed !== undefined || o.deterministic) {
    const seed = o.randomSeed ?? 0;
    if (typeof seed !== "bigint" && !Number.isSafeInteger(seed)) throw new RangeError(`randomSeed must be an integer, got ${seed}`);
    rt.exec(`math.randomseed(${String(seed)})`, "=randomseed");
  }
  if (o.sandbox) rt.exec(SANDBOX, "=sandbox");
}

/**
 * The stderr hook of a new runtime: the option's, else nothing under `sandbox` (warnings and
 * io.stderr never reach the host's own stderr), else the runtime's default (process stderr in Node,
 * console.warn in browsers).
 */
function stderrOption(o: { stderr?: (bytes: Uint8Array) => void; sandbox?: boolean }): ((bytes: Uint8Array) => void) | undefined {
  return o.stderr ?? (o.sandbox ? () => {} : undefined);
}

/** Chunk name used for code given as a string, as in the ABI: messages read "input:1: ...". */
export const DEFAULT_CHUNKNAME = "=input";

const utf8 = new TextDecoder();

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}

// ==== LuaPersistent: the seed-compatible API ====

/** What eval returns: the first result, all results, and the stdout produced by this call. */
export interface EvalResult {
  value: LuaValue;
  values: LuaValue[];
  output: string;
}

export interface LuaPersistentOptions extends Omit<RuntimeOptions, "wasm" | "stdout">, LimitOptions {
  /** Also receives stdout bytes as they are produced (they are always captured into `output`). */
  stdout?: (bytes: Uint8Array) => void;
  /** Receives stdout as text while eval runs (UTF-8 decoded incrementally). Default: none. */
  onOutput?: (text: string) => void;
  /**
   * Cap on the stdout one eval captures into `output` (and passes to onOutput); beyond it the output
   * ends with "\n[output truncated: more than N bytes]\n". Default: no cap (output is never truncated).
   */
  maxOutputBytes?: number;
  /** Where saveState()/loadState() keep _home. Default: a MemoryStorage (lives as long as this object). */
  storage?: StorageAdapter;
  /**
   * When _home is saved without an explicit saveState(): "manual" (the default: only saveState),
   * "eval" (after every successful eval; the image is taken when the eval returns and saves are
   * written in order), or { debounceMs } (once evals have paused for that long). `await flush()`
   * waits for pending autosaves; a failed autosave is reported to onAutosaveError (and kept by
   * getLastAutosaveError()); the previous save stays intact.
   */
  autosave?: "manual" | "eval" | { debounceMs: number };
  /** Called when an autosave fails. Default: none (see getLastAutosaveError()). */
  onAutosaveError?: (error: Error) => void;
}

/**
 * let lua = new LuaPersistent(); await lua.load(); lua.init(); lua.eval("return 1 + 1").value === 2
 * eval returns null on error; getLastError() then gives the message exactly as Lua produced it.
 */
export class LuaPersistent {
  private runtime: LuaRuntime | null = null;
  private lastError: LuaError | null = null;
  private closed = false;
  private readonly storage: StorageAdapter;

  constructor(private readonly options: LuaPersistentOptions = {}) {
    this.storage = options.storage ?? new MemoryStorage();
  }

  /** Compiles and instantiates the module (default: the bundled build/lua.wasm). */
  async load(wasm?: WasmSource): Promise<void> {
    if (this.closed) throw new Error("LuaPersistent: the state is closed");
    const old = this.runtime;
    const fs = this.options.fs ?? (this.options.sandbox ? "none" : undefined);
    this.runtime = await LuaRuntime.create({
      ...this.options, ...clockOptions(this.options), fs, wasm, stdout: () => {}, stderr: stderrOption(this.options),
    });
    if (old) { this.runtime.host.store = old.host.store; old.close(); }   // external tables carry over
  }

  private rt(): LuaRuntime {
    if (this.closed) throw new Error("LuaPersistent: the state is closed");
    if (!this.runtime) throw new Error("LuaPersistent: call load() first");
    return this.runtime;
  }

  private store(): ExtTableStore {
    return this.rt().host.store;
  }

  /** Creates the Lua state (a fresh one if called again). Returns false (see getLastError) on failure. */
  init(): boolean {
    try {
      this.rt().init();
      configure(this.rt(), this.options);
      this.lastError = null;
      return true;
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      this.lastError = e;
      return false;
    }
  }

  /** Runs `code` in the persistent state. Returns null on error (see getLastError). */
  eval(code: string | Uint8Array, chunkname: string = DEFAULT_CHUNKNAME): EvalResult | null {
    const rt = this.rt();
    checkCode(code);
    checkChunkname(chunkname);
    const chunks: Uint8Array[] = [];
    const saved = rt.hooks;
    const forward = this.options.stdout;
    const onOutput = this.options.onOutput;
    const text = onOutput ? new TextDecoder() : null;
    const cap = this.options.maxOutputBytes ?? Infinity;
    let taken = 0;
    let truncated = false;
    rt.hooks = {
      stdout: (b) => {
        forward?.(b);
        if (truncated) return;
        let part = b;
        if (taken + b.length > cap) {
          part = b.subarray(0, Math.max(0, cap - taken));
          truncated = true;
        }
        taken += part.length;
        chunks.push(part.slice());
        if (text) onOutput!(text.decode(part, { stream: true }));
        if (truncated) {
          const marker = new TextEncoder().encode(`\n[output truncated: more than ${cap} bytes]\n`);
          chunks.push(marker);
          if (text) onOutput!(text.decode(marker));
        }
      },
      stderr: saved.stderr,
    };
    try {
      const store = rt.host.store;
      const values = rt.exec(code, chunkname, { extTable: (id) => store.toJS(new ExtRef(id)) as LuaValue });
      this.lastError = null;
      this.afterEval();
      return { value: values.length > 0 ? values[0] : null, values, output: utf8.decode(concat(chunks)) };
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      this.lastError = e;
      return null;
    } finally {
      rt.hooks = saved;
    }
  }

  /** The message of the last failed call, exactly as Lua gave it; null after a success. */
  getLastError(): string | null {
    return this.lastError?.message ?? null;
  }

  /** The last error with its kind, status and traceback; null after a success. */
  getLastLuaError(): LuaError | null {
    return this.lastError;
  }

  getMemoryStats(): MemoryStats {
    return this.rt().memoryStats();
  }

  /** The file system Lua sees (the `fs` option; a MemoryFileSystem by default). */
  get fs(): FileSystem {
    return this.rt().fs;
  }

  /** Runs a full garbage collection. */
  collectGarbage(): void {
    this.rt().collectGarbage();
  }

  /** Runs a full garbage collection (the seed's name). */
  gc(): void {
    this.rt().collectGarbage();
  }

  // ==== _io: the ephemeral exchange table ====

  /**
   * _io.input = value (objects, arrays and Maps become external tables; null/undefined deletes). All
   * or nothing: past the memory limit (after one collection of both sides) it throws HostMemoryError
   * and _io is as it was.
   */
  setInput(value: unknown): void {
    this.rt().withWasm(() => this.store().setJS(IO_ID, "input", value));
  }

  /** _io.meta = value, as setInput. */
  setMetadata(value: unknown): void {
    this.rt().withWasm(() => this.store().setJS(IO_ID, "meta", value));
  }

  /** The value Lua left in _io.output, as a plain JS value (tables as arrays/objects); null if none. */
  getOutput(): unknown {
    const s = this.store();
    return s.toJS(s.get(IO_ID, "output"));
  }

  /** Empties _io (input, output, meta and anything else in it). */
  clearIo(): void {
    this.store().clear(IO_ID);
  }

  // ==== _home: persistence ====

  private fail(what: string, e: unknown): false {
    this.lastError = new LuaError(`${what}: ${e instanceof Error ? e.message : String(e)}`, Status.ERRRUN);
    return false;
  }

  // ==== Autosave (options.autosave) ====

  private saving: Promise<void> = Promise.resolve();
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private lastAutosaveError: Error | null = null;

  /** After a successful eval: saves now ("eval") or re-arms the debounce timer. */
  private afterEval(): void {
    const mode = this.options.autosave ?? "manual";
    if (mode === "manual") return;
    if (mode === "eval") { this.autosaveNow(); return; }
    if (this.debounce !== null) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => { this.debounce = null; this.autosaveNow(); }, Math.max(0, mode.debounceMs));
  }

  /** Takes the _home image now and queues its write after earlier ones. */
  private autosaveNow(): void {
    if (this.closed || this.runtime === null) return;
    let image: Uint8Array;
    try {
      this.rt().syncStoredFunctions();
      image = writeImage(this.store());
    } catch (e) { this.autosaveFailed(e); return; }
    this.saving = this.saving.then(() => this.storage.save(image)).then(
      () => { this.lastAutosaveError = null; },
      (e) => this.autosaveFailed(e));
  }

  private autosaveFailed(e: unknown): void {
    const err = new Error(`autosave failed: ${e instanceof Error ? e.message : String(e)}`);
    this.lastAutosaveError = err;
    try { this.options.onAutosaveError?.(err); } catch { /* the callback's own failure is not ours */ }
  }

  /** Waits until every pending autosave (and a debounced one, started now) has been written. */
  async flush(): Promise<boolean> {
    if (this.debounce !== null) { clearTimeout(this.debounce); this.debounce = null; this.autosaveNow(); }
    await this.saving;
    return this.lastAutosaveError === null;
  }

  /** The error of the last failed autosave; null after a successful one. */
  getLastAutosaveError(): Error | null {
    return this.lastAutosaveError;
  }

  /** Saves everything reachable from _home through the storage adapter. False (see getLastError) on failure; the previous save is then intact. */
  async saveState(): Promise<boolean> {
    let image: Uint8Array;
    try {
      this.rt().syncStoredFunctions();      // loaded closures' upvalues → their cells
      image = writeImage(this.store());
    } catch (e) { return this.fail("cannot save state", e); }
    try {
      await this.storage.save(image);
    } catch (e) { return this.fail("cannot save state", e); }
    this.lastError = null;
    return true;
  }

  /**
   * Replaces _home with the last saved image. False when nothing was saved (getLastError() is then
   * null) or on failure (corrupt image, storage error: see getLastError; _home is then unchanged).
   */
  async loadState(): Promise<boolean> {
    let image: Uint8Array | null;
    try { image = await this.storage.load(); } catch (e) { return this.fail("cannot load state", e); }
    if (image === null) { this.lastError = null; return false; }
    try { readImage(this.store(), image); } catch (e) { return this.fail("cannot load state", e); }
    this.lastError = null;
    return true;
  }

  /** Forgets the saved image (the live _home is not touched). */
  async clearPersistedState(): Promise<boolean> {
    try { await this.storage.clear(); } catch (e) { return this.fail("cannot clear persisted state", e); }
    this.lastError = null;
    return true;
  }

  /** Counts of external tables and entries (see ExtTableInfo). */
  getTableInfo(): ExtTableInfo {
    return this.store().info();
  }

  // ==== Whole-state snapshots ====

  /**
   * The whole Lua state as bytes (globals, registry, closures, coroutines, external tables), for
   * restore() in this or a fresh LuaPersistent. Null on failure (see getLastError).
   */
  snapshot(): Uint8Array | null {
    try {
      const bytes = this.rt().snapshot();
      this.lastError = null;
      return bytes;
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      this.lastError = new LuaError(e.message, Status.ERRRUN);
      return null;
    }
  }

  /**
   * Replaces the state with a snapshot. False on failure, with getLastError() = "bad snapshot: ...";
   * the current state is then untouched.
   */
  restore(bytes: Uint8Array): boolean {
    try {
      this.rt().restore(bytes);
      this.lastError = null;
      return true;
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      this.lastError = new LuaError(e.message, Status.ERRRUN);
      return false;
    }
  }

  /**
   * Releases the instance; every later call throws "LuaPersistent: the state is closed". A pending
   * debounced autosave is taken now (await flush() before close() to know it was written).
   */
  close(): void {
    if (this.debounce !== null) { clearTimeout(this.debounce); this.debounce = null; this.autosaveNow(); }
    this.runtime?.close();
    this.runtime = null;
    this.closed = true;
  }
}

// ==== Lua: the idiomatic API ====

export interface LuaOptions extends RuntimeOptions, DecodeOptions, LimitOptions {
  /** Chunk name for run() (default "=input"). */
  chunkname?: string;
}

/**
 * const lua = await Lua.create(); lua.run("x = 40"); lua.run("return x + 2") // [42]
 * run() throws LuaError; stdout goes to options.stdout (default: process.stdout / console).
 */
export class Lua {
  private readonly bridge: ValueBridge;

  /** Raw access to globals (no metamethods): values converted both ways as run/call do. */
  readonly global: { get(name: string): LuaValue; set(name: string, value: unknown): void };

  private constructor(private readonly runtime: LuaRuntime, private readonly options: LuaOptions) {
    this.bridge = new ValueBridge(runtime, options);
    this.global = {
      get: (name) => this.bridge.get(name),
      set: (name, value) => this.bridge.set(name, value),
    };
  }

  static async create(options: LuaOptions = {}): Promise<Lua> {
    const fs = options.fs ?? (options.sandbox ? "none" : undefined);
    const runtime = await LuaRuntime.create({ ...options, ...clockOptions(options), fs, stderr: stderrOption(options) });
    runtime.init();
    configure(runtime, options);
    return new Lua(runtime, options);
  }

  /**
   * Runs `code` and returns all its results. Throws LuaError with Lua's exact message. Lua functions
   * among the results are JS functions calling back into this state.
   */
  run(code: string | Uint8Array, chunkname: string = this.options.chunkname ?? DEFAULT_CHUNKNAME): LuaValue[] {
    checkCode(code);
    return this.bridge.withRefs(() => this.runtime.exec(code, chunkname, this.bridge.decode));
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
   * Runs a script the way lua.c does: the chunk receives arg[1..nargs] (set with setArgs) as `...`.
   */
  runScript(code: string | Uint8Array, chunkname: string, nargs: number): LuaValue[] {
    return this.runtime.exec(code, chunkname, this.options, nargs);
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

  memoryStats(): MemoryStats {
    return this.runtime.memoryStats();
  }

  /** The file system Lua sees (the `fs` option; a MemoryFileSystem by default). */
  get fs(): FileSystem {
    return this.runtime.fs;
  }

  collectGarbage(): void {
    this.runtime.collectGarbage();
  }

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

  /** Releases the instance and every function reference; later calls throw "Lua state is closed". */
  close(): void {
    this.bridge.close();
    this.runtime.close();
  }
}
