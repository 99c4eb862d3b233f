// persistent.ts - LuaPersistent, the seed's API (new LuaPersistent(); await load(); init(); eval(code)
// → { value, values, output } or null; getLastError(); getMemoryStats(); gc()) as a thin adapter over
// Lua (engine.ts): it turns Lua's exceptions into null/false plus getLastError(), captures the stdout
// of each eval into `output`, and keeps the seed's names.
// Invariants: a method that fails because of Lua, the storage adapter or a snapshot never throws (it
// returns null/false and getLastError() says why; a success clears it); misuse (bad arguments, a
// closed or unloaded state) throws; every call is Lua's call, so the state is never left half-changed.

import type { LuaValue } from "./codec.js";
import { LuaError, Status } from "./errors.js";
import type { WasmSource } from "./loader.js";
import type { FileSystem } from "./fs.js";
import type { LuaRuntime, MemoryStats } from "./runtime.js";
import type { ExtTableInfo } from "./ext/store.js";
import { SnapshotError } from "./persist/snapshot.js";
import { DEFAULT_CHUNKNAME, Lua, type LuaOptions } from "./engine.js";
import { checkChunkname, checkCode } from "./validate.js";
import type { AsyncOptions } from "./async.js";

/** What eval returns: the first result, all results, and the stdout produced by this call. */
export interface EvalResult {
  value: LuaValue;
  values: LuaValue[];
  output: string;
}

export interface LuaPersistentOptions extends Omit<LuaOptions, "wasm" | "stdout" | "rawStrings" | "chunkname"> {
  /** Also receives stdout bytes as they are produced during eval (they are always captured into `output`). */
  stdout?: (bytes: Uint8Array) => void;
  /** Receives stdout as text while eval runs (UTF-8 decoded incrementally). Default: none. */
  onOutput?: (text: string) => void;
  /**
   * Cap on the stdout one eval captures into `output` (and passes to onOutput); beyond it the output
   * ends with "\n[output truncated: more than N bytes]\n". Default: no cap (output is never truncated).
   */
  maxOutputBytes?: number;
}

const utf8 = new TextDecoder();

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** The stdout of one eval: kept up to the cap (then a marker), passed on to the stdout and onOutput options. */
class Capture {
  readonly chunks: Uint8Array[] = [];
  private taken = 0;
  private truncated = false;
  private readonly text: TextDecoder | null;

  constructor(private readonly o: LuaPersistentOptions) {
    this.text = o.onOutput ? new TextDecoder() : null;
  }

  write(b: Uint8Array): void {
    this.o.stdout?.(b);
    if (this.truncated) return;
    const cap = this.o.maxOutputBytes ?? Infinity;
    let part = b;
    if (this.taken + b.length > cap) {
      part = b.subarray(0, Math.max(0, cap - this.taken));
      this.truncated = true;
    }
    this.taken += part.length;
    this.chunks.push(part.slice());
    this.emit(part, true);
    if (this.truncated) {
      const marker = new TextEncoder().encode(`\n[output truncated: more than ${cap} bytes]\n`);
      this.chunks.push(marker);
      this.emit(marker, false);
    }
  }

  private emit(b: Uint8Array, stream: boolean): void {
    if (this.text !== null && this.o.onOutput) this.o.onOutput(this.text.decode(b, { stream }));
  }

  output(): string {
    return utf8.decode(concat(this.chunks));
  }
}

/**
 * let lua = new LuaPersistent(); await lua.load(); lua.init(); lua.eval("return 1 + 1").value === 2
 * eval returns null on error; getLastError() then gives the message exactly as Lua produced it.
 */
export class LuaPersistent {
  private lua: Lua | null = null;
  private lastError: LuaError | null = null;
  private closed = false;
  /** The stdout capture of the eval running now; stdout outside eval (e.g. finalizers in gc) is dropped. */
  private capture: Capture | null = null;

  constructor(private readonly options: LuaPersistentOptions = {}) {}

  /** Compiles and instantiates the module (default: the bundled build/lua.wasm). Called again, external tables carry over. */
  async load(wasm?: WasmSource): Promise<void> {
    if (this.closed) throw new Error("LuaPersistent: the state is closed");
    const o: LuaOptions = { ...this.options, wasm, stdout: (b) => this.capture?.write(b) };
    this.lua = await Lua.instantiate(o, this.lua ?? undefined);
  }

  private get api(): Lua {
    if (this.closed) throw new Error("LuaPersistent: the state is closed");
    if (!this.lua) throw new Error("LuaPersistent: call load() first");
    return this.lua;
  }

  /** The runtime under the façade, as Lua has it (white-box tests reach the instance through it). */
  private get runtime(): LuaRuntime {
    return this.api["runtime"];
  }

  /** A success: clears getLastError(). */
  private succeeded<T>(r: T): T {
    this.lastError = null;
    return r;
  }

  /** A LuaError becomes `failed` plus getLastError(); anything else (misuse) is rethrown. */
  private failed<F>(e: unknown, failed: F): F {
    if (!(e instanceof LuaError)) throw e;
    this.lastError = e;
    return failed;
  }

  /** Runs fn; a LuaError becomes false/null plus getLastError(), a success clears it. */
  private attempt<T, F>(fn: () => T, failed: F): T | F {
    try {
      return this.succeeded(fn());
    } catch (e) {
      return this.failed(e, failed);
    }
  }

  /**
   * attempt() for the asynchronous persistence calls, which applications often queue: a closed or
   * unloaded state is a failure too (false, getLastError() = "<what>: LuaPersistent: the state is
   * closed"), never a rejected promise.
   */
  private async attemptAsync<T, F>(what: string, fn: (lua: Lua) => Promise<T>, failed: F): Promise<T | F> {
    let lua: Lua;
    try {
      lua = this.api;
    } catch (e) {
      return this.failed(new LuaError(`${what}: ${(e as Error).message}`, Status.ERRRUN), failed);
    }
    try {
      return this.succeeded(await fn(lua));
    } catch (e) {
      return this.failed(e, failed);
    }
  }

  /** Creates the Lua state (a fresh one if called again). Returns false (see getLastError) on failure. */
  init(): boolean {
    const lua = this.api;
    return this.attempt(() => {
      lua.init();
      return true;
    }, false);
  }

  /** Runs `code` in the persistent state. Returns null on error (see getLastError). */
  eval(code: string | Uint8Array, chunkname: string = DEFAULT_CHUNKNAME): EvalResult | null {
    const lua = this.api;
    checkCode(code);
    checkChunkname(chunkname);
    const capture = new Capture(this.options);
    const outer = this.capture; // a nested eval (from a JS function called by Lua) captures its own output
    this.capture = capture;
    try {
      return this.attempt(() => {
        const values = lua.evalPlain(code, chunkname);
        return { value: values.length > 0 ? values[0] : null, values, output: capture.output() };
      }, null);
    } finally {
      this.capture = outer;
    }
  }

  /**
   * eval() as an async call (Lua.runAsync): a JS function called by Lua may return a promise, which
   * the Lua thread awaits. Resolves to the result, or null on error (see getLastError; an abort or
   * interrupt() is an error of kind "limit"). Misuse (a second async call while one is pending, a
   * closed state) rejects. Other evals may run while it waits; their output is their own.
   */
  async evalAsync(
    code: string | Uint8Array,
    options: AsyncOptions & { chunkname?: string } = {},
  ): Promise<EvalResult | null> {
    const lua = this.api;
    checkCode(code);
    const chunkname = options.chunkname ?? DEFAULT_CHUNKNAME;
    checkChunkname(chunkname);
    const capture = new Capture(this.options);
    const around = <T>(fn: () => T): T => {
      const outer = this.capture;
      this.capture = capture;
      try {
        return fn();
      } finally {
        this.capture = outer;
      }
    };
    try {
      const values = await lua.evalPlainAsync(code, chunkname, { signal: options.signal }, around);
      return this.succeeded({ value: values.length > 0 ? values[0] : null, values, output: capture.output() });
    } catch (e) {
      return this.failed(e, null);
    }
  }

  /** Stops the running or suspended script with "interrupted!" (see Lua.interrupt); false when nothing runs. */
  interrupt(): boolean {
    return this.lua !== null && !this.closed ? this.lua.interrupt() : false;
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
    return this.api.memoryStats();
  }

  /** The file system Lua sees (the `fs` option; a MemoryFileSystem by default). */
  get fs(): FileSystem {
    return this.api.fs;
  }

  /** Runs a full garbage collection (the seed's name). */
  gc(): void {
    this.api.collectGarbage();
  }

  /**
   * Runs a full garbage collection.
   * @deprecated Use gc() (the seed's name; `Lua` calls it collectGarbage()). Removed in the next release.
   */
  collectGarbage(): void {
    this.gc();
  }

  // ==== _io ====

  /** _io.input = value; all or nothing (see Lua.setInput): past the memory limit it throws "not enough memory". */
  setInput(value: unknown): void {
    this.api.setInput(value);
  }

  /** _io.meta = value, as setInput. */
  setMetadata(value: unknown): void {
    this.api.setMetadata(value);
  }

  /** The value Lua left in _io.output, as a plain JS value (tables as arrays/objects); null if none. */
  getOutput(): unknown {
    return this.api.getOutput();
  }

  /** Empties _io (input, output, meta and anything else in it). */
  clearIo(): void {
    this.api.clearIo();
  }

  /** Counts of external tables and entries (see ExtTableInfo). */
  getTableInfo(): ExtTableInfo {
    return this.api.tableInfo();
  }

  // ==== _home: persistence ====

  /** Saves everything reachable from _home through the storage adapter. False (see getLastError) on failure; the previous save is then intact. */
  saveState(): Promise<boolean> {
    return this.attemptAsync(
      "cannot save state",
      async (lua) => {
        await lua.saveState();
        return true;
      },
      false,
    );
  }

  /**
   * Replaces _home with the last saved image. False when nothing was saved (getLastError() is then
   * null) or on failure (corrupt image, storage error: see getLastError; _home is then unchanged).
   */
  loadState(): Promise<boolean> {
    return this.attemptAsync("cannot load state", (lua) => lua.loadState(), false);
  }

  /** Forgets the saved image (the live _home is not touched). */
  clearPersistedState(): Promise<boolean> {
    return this.attemptAsync(
      "cannot clear persisted state",
      async (lua) => {
        await lua.clearPersistedState();
        return true;
      },
      false,
    );
  }

  /** Waits until every pending autosave (and a debounced one, started now) has been written; also after close(). */
  async flush(): Promise<boolean> {
    return this.lua === null ? true : this.lua.flush();
  }

  /** The error of the last failed autosave; null after a successful one (also after close()). */
  getLastAutosaveError(): Error | null {
    return this.lua === null ? null : this.lua.getLastAutosaveError();
  }

  // ==== Whole-state snapshots ====

  /**
   * The whole Lua state as bytes (globals, registry, closures, coroutines, external tables), for
   * restore() in this or a fresh LuaPersistent. Null on failure (see getLastError).
   */
  snapshot(): Uint8Array | null {
    const lua = this.api;
    return this.attempt(() => snapshotCall(() => lua.snapshot()), null);
  }

  /**
   * Replaces the state with a snapshot. False on failure, with getLastError() = "bad snapshot: ...";
   * the current state is then untouched.
   */
  restore(bytes: Uint8Array): boolean {
    const lua = this.api;
    return this.attempt(
      () =>
        snapshotCall(() => {
          lua.restore(bytes);
          return true;
        }),
      false,
    );
  }

  /**
   * Releases the instance; every later call throws "LuaPersistent: the state is closed". A pending
   * debounced autosave is taken now (await flush() before close() to know it was written).
   */
  close(): void {
    this.lua?.close(); // kept: flush() and getLastAutosaveError() still answer
    this.closed = true;
  }
}

/** A SnapshotError as the LuaError getLastError() reports. */
function snapshotCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SnapshotError) throw new LuaError(e.message, Status.ERRRUN);
    throw e;
  }
}
