// engine.ts - the public API: LuaPersistent (compatible with the seed: load/init/eval/getLastError/
// getMemoryStats) and Lua (factory + run/close, throwing LuaError).
// Invariant: the Lua state persists across calls until close(); a failed call leaves it usable (after
// an internal error it is a fresh state, since the trapped instance is replaced).

import type { DecodeOptions, LuaValue } from "./codec.js";
import { LuaError } from "./errors.js";
import type { WasmSource } from "./loader.js";
import { LuaRuntime, type MemoryStats, type RuntimeOptions } from "./runtime.js";

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

export interface LuaPersistentOptions extends Omit<RuntimeOptions, "wasm" | "stdout"> {
  /** Also receives stdout bytes as they are produced (they are always captured into `output`). */
  stdout?: (bytes: Uint8Array) => void;
}

/**
 * let lua = new LuaPersistent(); await lua.load(); lua.init(); lua.eval("return 1 + 1").value === 2
 * eval returns null on error; getLastError() then gives the message exactly as Lua produced it.
 */
export class LuaPersistent {
  private runtime: LuaRuntime | null = null;
  private lastError: LuaError | null = null;

  constructor(private readonly options: LuaPersistentOptions = {}) {}

  /** Compiles and instantiates the module (default: the bundled build/lua.wasm). */
  async load(wasm?: WasmSource): Promise<void> {
    this.runtime?.close();
    this.runtime = await LuaRuntime.create({ ...this.options, wasm, stdout: () => {} });
  }

  private rt(): LuaRuntime {
    if (!this.runtime) throw new Error("LuaPersistent: call load() first");
    return this.runtime;
  }

  /** Creates the Lua state (a fresh one if called again). Returns false (see getLastError) on failure. */
  init(): boolean {
    try {
      this.rt().init();
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
    const chunks: Uint8Array[] = [];
    const saved = rt.hooks;
    const forward = this.options.stdout;
    rt.hooks = {
      stdout: (b) => { chunks.push(b.slice()); forward?.(b); },
      stderr: saved.stderr,
    };
    try {
      const values = rt.exec(code, chunkname);
      this.lastError = null;
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

  /** Runs a full garbage collection. */
  collectGarbage(): void {
    this.rt().collectGarbage();
  }

  close(): void {
    this.runtime?.close();
    this.runtime = null;
  }
}

// ==== Lua: the idiomatic API ====

export interface LuaOptions extends RuntimeOptions, DecodeOptions {
  /** Chunk name for run() (default "=input"). */
  chunkname?: string;
}

/**
 * const lua = await Lua.create(); lua.run("x = 40"); lua.run("return x + 2") // [42]
 * run() throws LuaError; stdout goes to options.stdout (default: process.stdout / console).
 */
export class Lua {
  private constructor(private readonly runtime: LuaRuntime, private readonly options: LuaOptions) {}

  static async create(options: LuaOptions = {}): Promise<Lua> {
    const runtime = await LuaRuntime.create(options);
    runtime.init();
    return new Lua(runtime, options);
  }

  /** Runs `code` and returns all its results. Throws LuaError with Lua's exact message. */
  run(code: string | Uint8Array, chunkname: string = this.options.chunkname ?? DEFAULT_CHUNKNAME): LuaValue[] {
    return this.runtime.exec(code, chunkname, this.options);
  }

  /**
   * Runs a script the way lua.c does: the chunk receives arg[1..nargs] (set with setArgs) as `...`.
   * Needs the optional lua_eval_args export; without it the script runs with no varargs.
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

  collectGarbage(): void {
    this.runtime.collectGarbage();
  }

  /** Releases the instance; later calls throw. */
  close(): void {
    this.runtime.close();
  }
}
