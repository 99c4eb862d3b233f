// loader.ts - fetches, compiles and instantiates the Lua wasm module in Node or a browser, builds its
// "env" imports and owns the raw exports.
// Invariant: memory views are only obtained through LuaWasm.bytes()/view(), which re-create them
// whenever memory has grown (a grown memory detaches the old ArrayBuffer), so no caller ever reads
// through a stale view. Raw exports do not leave host/ (engine, iobuf and cli use them).

import { internalError } from "./errors.js";
import { FsError, MemoryFileSystem, type FileSystem, type OpenMode, type SeekWhence } from "./fs.js";
import { extImports, HostSide } from "./ext/imports.js";
import { refImports } from "./refs.js";
import { JitHost } from "./jit.js";
import { requireNodeModules } from "./platform.js";

// ==== The ABI (see docs/ABI.md) ====

/**
 * Exports of build/lua.wasm (docs/ABI.md). The package ships its own module, so every export is
 * required: an instance lacking one is refused when it is loaded. Sizes and pointers are i32/usize.
 */
export interface RawExports {
  memory: WebAssembly.Memory;
  _start(): void;
  lua_init(): number;
  lua_close(): void;
  io_buffer_ptr(): number;
  io_buffer_size(): number;
  /** Pending source: src_append returns 1 when the source would pass the memory limit. */
  src_reset(): void;
  src_append(n: number): number;
  lua_eval(namelen: number): number;
  /** Like lua_eval, but the chunk receives arg[1..nargs] as its varargs (lua.c's pushargs). */
  lua_eval_args(namelen: number, nargs: number): number;
  lua_listing(namelen: number): number;
  /** The result area of the last export that ran Lua or exchanged values. */
  result_ptr(): number;
  result_len(): number;
  arg_reset(): void;
  arg_set(index: number, n: number): void;
  lua_memory_used(): number;
  lua_gc(): void;
  lua_sandbox(): void;
  /** Sets the memory limit in bytes (0: the module's ceiling); call before lua_init. */
  lua_setlimit(bytes: number): void;
  lua_getlimit(): number;
  lua_setbudget(instructions: number, timeoutms: number): void;
  lua_killed(): number;
  lua_setdeterministic(on: number): void;
  lua_setflushmode(mode: number): void;
  // Values in and out (docs/ABI.md "Values in and out")
  /** The input buffer for n bytes of encoded values; 0 when they would pass the memory limit. */
  val_buffer(n: number): number;
  lua_set_refmode(on: number): void;
  lua_unref(ref: number): void;
  lua_set_tablerefs(on: number): void;
  lua_getglobal_v(): number;
  lua_setglobal_v(): number;
  /** Calls the first encoded value (byname 1: the global of that name) with the rest as arguments. */
  lua_call_v(nargs: number, byname: number): number;
  /** The typed call (docs/ABI.md "Typed calls"): reference `ref` with nargs scalar slots in the call area. */
  lua_call_s(ref: number, nargs: number): number;
  lua_call_area(): number;
  lua_call_area_size(): number;
  /** Brackets a host entry made while a call runs (docs/ABI.md "Nested entries"); lua_nest: 0, or 1 when too deep. */
  lua_nest(): number;
  lua_unnest(): void;
  // Async calls (docs/ABI.md "Async calls")
  lua_eval_async(namelen: number, nargs?: number): number;
  lua_call_async(nargs: number, byname: number): number;
  lua_resume_async(answer: number, stop: number): number;
  lua_stop_buffer(n: number): number;
  lua_stop(why: number): void;
  // Snapshots (docs/ABI.md "Snapshots")
  lua_snapshot(): number;
  lua_restore(n: number): number;
  snap_out_ptr(): number;
  snap_out_len(): number;
  snap_ext_ptr(): number;
  snap_ext_len(): number;
  snap_msg_ptr(): number;
  snap_msg_len(): number;
  snap_release(): void;
  snap_inbuf(n: number): number;
  // Functions stored in external tables
  ext_sync(): number;
  ext_sync_msg_ptr(): number;
  ext_sync_msg_len(): number;
  /** Between calls: an emergency collection of the Lua heap, then ext_collect with the live proxies. */
  ext_hostgc(): void;
  /** The baseline JIT (host/jit.ts): on/off, threshold (negative: unchanged), stress period (0: off). */
  lua_setjit(on: number, threshold: number, stress: number): void;
  /** Prototypes whose compiled code is no longer entered (its guards failed too often). */
  lua_jitdeopts(): number;
  /** The poll flag compiled code imports (armed hooks or budgets). */
  trapflag: WebAssembly.Global;
  /** The other flag compiled code imports: an async call runs (its loops exit every slice). */
  slicing: WebAssembly.Global;
}

/** Where the module's output goes. The bytes are a view into wasm memory: copy them to keep them. */
export interface OutputHooks {
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
}

/** Anything the module can be loaded from. Strings are file paths in Node and URLs in browsers. */
export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

const REQUIRED_EXPORTS: readonly (keyof RawExports)[] = [
  "memory",
  "_start",
  "lua_init",
  "lua_close",
  "io_buffer_ptr",
  "io_buffer_size",
  "src_reset",
  "src_append",
  "lua_eval",
  "lua_eval_args",
  "lua_listing",
  "result_ptr",
  "result_len",
  "arg_reset",
  "arg_set",
  "lua_memory_used",
  "lua_gc",
  "lua_sandbox",
  "lua_setlimit",
  "lua_getlimit",
  "lua_setbudget",
  "lua_killed",
  "lua_setdeterministic",
  "lua_setflushmode",
  "val_buffer",
  "lua_set_refmode",
  "lua_unref",
  "lua_set_tablerefs",
  "lua_getglobal_v",
  "lua_setglobal_v",
  "lua_call_v",
  "lua_call_s",
  "lua_call_area",
  "lua_call_area_size",
  "lua_nest",
  "lua_unnest",
  "lua_eval_async",
  "lua_call_async",
  "lua_resume_async",
  "lua_stop_buffer",
  "lua_stop",
  "lua_snapshot",
  "lua_restore",
  "snap_out_ptr",
  "snap_out_len",
  "snap_ext_ptr",
  "snap_ext_len",
  "snap_msg_ptr",
  "snap_msg_len",
  "snap_release",
  "snap_inbuf",
  "ext_sync",
  "ext_sync_msg_ptr",
  "ext_sync_msg_len",
  "ext_hostgc",
  "lua_setjit",
  "lua_jitdeopts",
  "trapflag",
  "slicing",
];

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

// ==== Process capabilities (os.exit, os.execute, io.popen) ====

/** Host process operations a state may be granted (RuntimeOptions.process). */
export interface ProcessHooks {
  /** Ends the process with `code` (output is flushed first by the module). Should not return. */
  exit?(code: number): void;
  /** Runs `command` through a shell; returns its exit status, or 256 + the signal number. */
  execute?(command: string): number;
  /**
   * io.popen: starts `command` through a shell with its stdout ("r") or stdin ("w") connected to a
   * new handle of the instance's file system, which Lua then reads or writes like a file. Returns
   * the handle; throws (an FsError for a precise errno) when the command cannot be started.
   */
  popen?(command: string, mode: "r" | "w"): number;
  /** Closes a handle from popen and waits for its command; returns the status as execute does. */
  pclose?(handle: number): number;
}

// ==== LuaWasm: one instance and its memory views ====

/**
 * What an instance is given besides its module: where output goes, the files Lua sees, and the host
 * capabilities behind os.getenv, os.exit/os.execute, os.time/os.date and os.clock. A runtime keeps
 * one of these and gives it to every instance it makes (the first, and each one after a reset or a
 * restore), so they all see the same host.
 */
export interface InstanceOptions {
  hooks: OutputHooks;
  /** The file system behind the lua_fs_* imports (io.open, require, dofile, os.remove...). Default: an empty MemoryFileSystem. */
  fs?: FileSystem;
  /**
   * The environment variables os.getenv sees (the lua_getenv import): undefined (the default) means
   * none, so os.getenv returns nil for every name. The CLI sets process.env.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * What os.exit and os.execute may do (the lua_exit / lua_execute imports): null (the default)
   * refuses both, so they raise a Lua error. The CLI grants the real process.
   */
  process?: ProcessHooks | null;
  /** Wall clock (ms since the epoch) for os.time/os.date. Default Date.now. */
  now?: (() => number) | null;
  /** CPU clock (s) for os.clock. Default: the process's CPU time (performance.now in browsers). */
  clock?: (() => number) | null;
}

/** One instantiated module. Output hooks may be swapped at any time (the warm-up does). */
export class LuaWasm {
  readonly exports: RawExports;
  hooks: OutputHooks;
  readonly fs: FileSystem;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly process: ProcessHooks | null;
  readonly now: (() => number) | null;
  readonly clock: (() => number) | null;
  /** External tables and JS functions behind the ext_* / host_call imports (host/ext/imports.ts). */
  host: HostSide = new HostSide();
  /** Compiled functions of this instance (host/jit.ts), set by the loader. */
  jit: JitHost | null = null;
  /**
   * The first exception a host callback (output hook, process hook, clock, env) threw during the
   * current export call, with what threw it; the runtime raises it as a LuaError once the call has
   * returned (takeCallbackError), so no exception ever unwinds through wasm frames.
   */
  private callbackError: { what: string; error: unknown } | null = null;
  /** Handles this instance opened and has not closed yet (closed by closeFiles). */
  readonly openFiles = new Set<number>();
  private u8: Uint8Array;
  private dv: DataView;

  constructor(exports: RawExports, o: InstanceOptions) {
    this.exports = exports;
    this.hooks = o.hooks;
    this.fs = o.fs ?? new MemoryFileSystem();
    this.env = o.env;
    this.process = o.process ?? null;
    this.now = o.now ?? null;
    this.clock = o.clock ?? null;
    this.u8 = new Uint8Array(exports.memory.buffer);
    this.dv = new DataView(exports.memory.buffer);
  }

  // Growing a (non-shared) wasm memory, from JS or by the module's memory.grow, detaches its
  // ArrayBuffer: views of it then have length 0. Testing that costs less than the `memory.buffer`
  // getter, which the ext-table fast paths would otherwise pay on every access.

  /** A byte view of the whole memory, re-created if memory grew since the last call. */
  bytes(): Uint8Array {
    if (this.u8.length === 0) this.refresh();
    return this.u8;
  }

  /** A DataView of the whole memory, re-created if memory grew since the last call. */
  view(): DataView {
    if (this.u8.length === 0) this.refresh();
    return this.dv;
  }

  private refresh(): void {
    this.u8 = new Uint8Array(this.exports.memory.buffer);
    this.dv = new DataView(this.exports.memory.buffer);
  }

  /** Records an exception thrown by a host callback (the first one of a call wins). */
  noteCallbackError(what: string, error: unknown): void {
    if (this.callbackError === null) this.callbackError = { what, error };
  }

  /** The exception recorded during the last call, cleared; null if none. */
  takeCallbackError(): { what: string; error: unknown } | null {
    const e = this.callbackError;
    this.callbackError = null;
    return e;
  }

  /** Closes every file Lua left open (when the instance is discarded); errors are ignored. */
  closeFiles(): void {
    for (const h of this.openFiles) {
      try {
        this.fs.close(h);
      } catch {
        /* already gone */
      }
    }
    this.openFiles.clear();
  }
}

// ==== Loading ====

/**
 * The bundled build/lua.wasm, seen from the shipped dist/host/loader.js. Written as the literal
 * `new URL("…", import.meta.url)` that Vite, webpack 5 and Rollup's import-meta-assets plugin
 * recognise: a bundle then carries the module as an asset and this URL points at it. (esbuild leaves
 * the expression as it is: pass the module with the `wasm` option, see the README.)
 */
function bundledWasmUrl(): URL {
  return new URL("../../build/lua.wasm", import.meta.url);
}

/**
 * A local file's bytes. Read synchronously: one read of a few hundred KB takes a fraction of a
 * millisecond, less than fs/promises' chunked reads through the thread pool, and needs no
 * node:fs/promises (the CLI loads that only when used).
 */
async function readNodeFile(path: string | URL): Promise<Uint8Array<ArrayBuffer>> {
  const { fs } = requireNodeModules(`reading ${String(path)}`);
  const b = fs.readFileSync(path);
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) throw new Error(`cannot fetch ${response.url}: HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("application/wasm") && typeof WebAssembly.compileStreaming === "function") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compileUrl(url: URL): Promise<WebAssembly.Module> {
  if (isNode && url.protocol === "file:") return WebAssembly.compile(await readNodeFile(url));
  return compileResponse(await fetch(url));
}

/**
 * Which module to load by default in Node: `bundled` (bundledWasmUrl) when it is this package's own
 * (build/lua.wasm beside dist/host/loader.js, the shipped layout), else the source tree's (`tree()`,
 * when the host runs from its TypeScript sources), else `bundled` if it exists at all; null when
 * there is none. Run from the sources (host/loader.ts, one level below the repository's root),
 * `bundled` leads out of the repository, where another project's build/lua.wasm may sit: a clone in
 * /tmp once loaded /tmp/build/lua.wasm, a link to another checkout's build, instead of its own.
 */
export async function defaultWasmUrl(
  bundled: URL,
  tree: () => Promise<URL>,
  exists: (u: URL) => boolean,
): Promise<URL | null> {
  if (exists(bundled) && exists(new URL("../dist/host/loader.js", bundled))) return bundled;
  const t = await tree();
  if (exists(t)) return t;
  return exists(bundled) ? bundled : null;
}

/** build/lua.wasm of the source tree (see source-tree.ts for why this import is hidden from webpack). */
async function sourceTreeWasm(): Promise<URL> {
  return (await import(/* webpackIgnore: true */ "./source-tree.js")).sourceTreeWasmUrl;
}

async function compileDefault(): Promise<WebAssembly.Module> {
  const bundled = bundledWasmUrl();
  if (!isNode || bundled.protocol !== "file:") return compileUrl(bundled);
  const { fs } = requireNodeModules("loading the bundled lua.wasm");
  const found = await defaultWasmUrl(bundled, sourceTreeWasm, (u) => fs.existsSync(u));
  if (!found) {
    const tree = await sourceTreeWasm();
    throw new Error(`lua.wasm not found (looked at ${bundled.pathname}, ${tree.pathname}); run npm run build`);
  }
  return compileUrl(found);
}

const URL_LIKE = /^[a-z][a-z0-9+.-]+:/i; // a scheme of two letters or more, so "C:\x" stays a path

/**
 * Compiles the module from bytes, a path (Node) or URL, or returns an already compiled module.
 * With no argument, loads the bundled build/lua.wasm next to this package.
 */
export async function compileLua(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source === undefined) return compileDefault();
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof URL) return compileUrl(source);
  if (typeof source === "string") {
    if (URL_LIKE.test(source)) return compileUrl(new URL(source));
    if (isNode) return WebAssembly.compile(await readNodeFile(source));
    return compileUrl(new URL(source, globalThis.location?.href));
  }
  if (ArrayBuffer.isView(source)) {
    const view = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return WebAssembly.compile(view.slice()); // a copy: the source may view a SharedArrayBuffer
  }
  return WebAssembly.compile(source);
}

// ==== Imports ====

/** Reads an AssemblyScript string (UTF-16LE; byte length stored at ptr - 4) for abort messages. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const view = new DataView(memory.buffer);
  if (ptr < 4 || ptr > memory.buffer.byteLength) return `<string at ${ptr}>`;
  const len = view.getUint32(ptr - 4, true);
  if (ptr + len > memory.buffer.byteLength) return `<string at ${ptr}>`;
  return new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, ptr, len));
}

/**
 * A monotonic clock in ms (lua_monotonic: the warm phase's and async calls' slices, the JIT's
 * timings). In Node, process.hrtime: Node's global `performance` loads node:perf_hooks at its first
 * use, ~0.6 ms of every CLI start.
 */
const monotonic: () => number =
  isNode && typeof process.hrtime === "function"
    ? () => {
        const [s, ns] = process.hrtime();
        return s * 1e3 + ns / 1e6;
      }
    : () => performance.now();

function cpuSeconds(): number {
  if (isNode && typeof process.cpuUsage === "function") {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  return performance.now() / 1000;
}

/**
 * What the imports reach. The import object must exist before the instance does, so the imports
 * read the instance through here; it is set (wrap) before the module runs any code, even _start.
 */
class ImportTarget {
  private instance: LuaWasm | null = null;
  private mem: WebAssembly.Memory | null = null;
  /** The function table and JIT imports of this instance. */
  readonly jit = new JitHost(() => {
    const w = this.wasm;
    return {
      memory: w.exports.memory,
      trapflag: w.exports.trapflag,
      slicing: w.exports.slicing,
      bytes: () => w.bytes(),
    };
  });

  /** The instance the imports serve (never called before wrap: the module cannot run earlier). */
  get wasm(): LuaWasm {
    if (this.instance === null)
      throw internalError(new Error("an import was called before the module was instantiated"));
    return this.instance;
  }

  /** The memory, for abort (which may come from _start, before wrap returns). */
  get memory(): WebAssembly.Memory | null {
    return this.mem;
  }

  /**
   * Checks the exports, wraps the instance as the LuaWasm the imports reach, runs its start function.
   * `jitCapable`: the module imports its function table (asc --importTable), so compiled code
   * installed there is what its call_indirect reaches; a module built without it runs interpreted.
   */
  wrap(instance: WebAssembly.Instance, o: InstanceOptions, jitCapable: boolean): LuaWasm {
    const exports = checkExports(instance.exports);
    this.mem = exports.memory;
    this.instance = new LuaWasm(exports, o);
    this.instance.jit = jitCapable ? this.jit : null;
    exports._start();
    return this.instance;
  }
}

/** Builds the "env" import object over `target` (filled in once the instance exists). */
function buildImports(target: ImportTarget): WebAssembly.Imports {
  const slice = (ptr: number, len: number): Uint8Array =>
    target.wasm.bytes().subarray(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  return {
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        const m = target.memory;
        const text = m ? `${readAsString(m, msg)} (${readAsString(m, file)}:${line}:${col})` : "abort";
        throw internalError(new Error(`abort: ${text}`));
      },
      // Imports that call user code (output hooks, process hooks, clocks, env) never throw into wasm:
      // an exception is kept as the instance's callbackError (the runtime raises it once the export
      // returns, with the state intact) and the module gets a neutral answer.
      lua_output(ptr: number, len: number): void {
        const w = target.wasm;
        try {
          w.hooks.stdout(slice(ptr, len));
        } catch (e) {
          w.noteCallbackError("the stdout hook", e);
        }
      },
      lua_stderr(ptr: number, len: number): void {
        const w = target.wasm;
        try {
          w.hooks.stderr(slice(ptr, len));
        } catch (e) {
          w.noteCallbackError("the stderr hook", e);
        }
      },
      lua_exit(code: number): number {
        const w = target.wasm;
        const exit = w.process?.exit;
        if (!exit) return 0;
        try {
          exit(code);
        } catch (e) {
          w.noteCallbackError("process.exit", e);
          return 0;
        }
        return 1;
      },
      lua_execute(cmdptr: number, cmdlen: number): number {
        const w = target.wasm;
        const execute = w.process?.execute;
        if (!execute) return -1;
        if (cmdlen === 0 && cmdptr === 0) return 1; // os.execute(): a shell is available
        try {
          return execute(utf8.decode(slice(cmdptr, cmdlen)));
        } catch (e) {
          w.noteCallbackError("process.execute", e);
          return -1;
        }
      },
      lua_monotonic: monotonic,
      lua_clock(): number {
        const w = target.wasm;
        if (!w.clock) return cpuSeconds();
        try {
          return +w.clock();
        } catch (e) {
          w.noteCallbackError("the clock option", e);
          return 0;
        }
      },
      lua_time(): number {
        const w = target.wasm;
        if (!w.now) return Date.now();
        try {
          return +w.now();
        } catch (e) {
          w.noteCallbackError("the now option", e);
          return 0;
        }
      },
      lua_getenv(nameptr: number, namelen: number, dst: number, cap: number): number {
        const w = target.wasm;
        const env = w.env;
        if (!env) return -1;
        let value: unknown;
        try {
          const name = utf8.decode(slice(nameptr, namelen));
          value = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
        } catch (e) {
          w.noteCallbackError("the env option", e);
          return -1;
        }
        if (typeof value !== "string") return -1;
        const b = utf8enc.encode(value);
        if (b.length <= cap) slice(dst, b.length).set(b);
        return b.length;
      },
      ...fsImports(target, slice),
      ...extImports(target),
      ...refImports(target),
      ...target.jit.imports(),
    },
  };
}

// ==== File system imports (lua_fs_*, see docs/ABI.md) ====

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();
const WHENCE: readonly SeekWhence[] = ["set", "cur", "end"];
/** lua_popen's answer when the instance has no popen hook (assembly/sys/imports.ts POPEN_REFUSED). */
const POPEN_REFUSED = -65536;

/**
 * The lua_fs_* imports over target.wasm.fs. Failures return -errno and keep the strerror text for
 * lua_fs_error; no exception ever crosses into wasm.
 */
function fsImports(
  target: ImportTarget,
  slice: (ptr: number, len: number) => Uint8Array,
): Record<string, (...a: number[]) => number> {
  let lastError = "";
  const fail = (e: unknown): number => {
    const err = FsError.from(e);
    lastError = err.message;
    return -Math.max(1, err.errno);
  };
  const text = (ptr: number, len: number): string => utf8.decode(slice(ptr, len));
  return {
    lua_fs_open(pathptr: number, pathlen: number, modeptr: number, modelen: number): number {
      try {
        const w = target.wasm;
        const h = w.fs.open(text(pathptr, pathlen), text(modeptr, modelen) as OpenMode);
        w.openFiles.add(h);
        return h;
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_read(h: number, dst: number, n: number): number {
      try {
        return target.wasm.fs.read(h, slice(dst, n));
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_write(h: number, src: number, n: number): number {
      try {
        return target.wasm.fs.write(h, slice(src, n));
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_seek(h: number, whence: number, offset: number): number {
      try {
        if (whence < 0 || whence > 2) throw FsError.of("EINVAL");
        return target.wasm.fs.seek(h, WHENCE[whence], offset);
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_close(h: number): number {
      try {
        const w = target.wasm;
        w.openFiles.delete(h);
        w.fs.close(h);
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    // io.popen's pipes are handles of the same file system, so reads and writes go through it
    lua_popen(cmdptr: number, cmdlen: number, mode: number): number {
      const w = target.wasm;
      const popen = w.process?.popen;
      if (!popen) return POPEN_REFUSED;
      try {
        const h = popen.call(w.process, text(cmdptr, cmdlen), mode === 0x77 ? "w" : "r");
        w.openFiles.add(h);
        return h;
      } catch (e) {
        return fail(e);
      }
    },
    lua_pclose(h: number): number {
      const w = target.wasm;
      w.openFiles.delete(h);
      try {
        const pclose = w.process?.pclose;
        if (pclose) return pclose.call(w.process, h);
        w.fs.close(h);
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_remove(pathptr: number, pathlen: number): number {
      try {
        target.wasm.fs.remove(text(pathptr, pathlen));
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_rename(fromptr: number, fromlen: number, toptr: number, tolen: number): number {
      try {
        target.wasm.fs.rename(text(fromptr, fromlen), text(toptr, tolen));
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_tmpname(dst: number, cap: number): number {
      try {
        const name = utf8enc.encode(target.wasm.fs.tmpname());
        if (name.length > cap) throw FsError.of("ENAMETOOLONG");
        slice(dst, cap).set(name);
        return name.length;
      } catch (e) {
        return fail(e);
      }
    },
    lua_fs_error(dst: number, cap: number): number {
      const b = utf8enc.encode(lastError);
      const n = Math.min(b.length, cap);
      slice(dst, n).set(b.subarray(0, n));
      return n;
    },
  };
}

function checkExports(exports: WebAssembly.Exports): RawExports {
  const missing = REQUIRED_EXPORTS.filter((name) => !(name in exports));
  if (missing.length > 0) throw new Error(`lua.wasm lacks exports: ${missing.join(", ")}`);
  return exports as unknown as RawExports;
}

/** Instantiates a compiled module and runs its start function once. */
export async function instantiateLua(module: WebAssembly.Module, o: InstanceOptions): Promise<LuaWasm> {
  const target = new ImportTarget();
  return target.wrap(await WebAssembly.instantiate(module, buildImports(target)), o, importsTable(module));
}

/** Synchronous variant, for re-instantiating after a trap inside a synchronous call. */
export function instantiateLuaSync(module: WebAssembly.Module, o: InstanceOptions): LuaWasm {
  const target = new ImportTarget();
  return target.wrap(new WebAssembly.Instance(module, buildImports(target)), o, importsTable(module));
}

/** Whether the module imports env.table, the function table the JIT installs compiled code into. */
function importsTable(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.module === "env" && i.name === "table" && i.kind === "table");
}
