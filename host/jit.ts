// jit.ts - the host side of the baseline JIT (assembly/jit/): the growable function table the module
// imports (env.table), and the two imports through which compiled code enters and leaves it:
// jit_install (bytes → module → instance → a table slot) and jit_release (a prototype died).
// Invariant: a slot handed out holds the function "f" of one live compiled module until jit_release
// frees it (then it holds null and may be handed out again); jit_install never throws into wasm: any
// failure (a browser main thread refusing a synchronous compile over 4 KB, a table that cannot grow,
// a module V8 rejects, MAX_LIVE functions alive) is -1, and the module runs that prototype in the
// interpreter. Modules are cached by their bytes (moduleFor): the same bytes are compiled once.

/**
 * Initial size of the module's function table: at least what build/lua.wasm declares for its own
 * functions (its elements start at 1; spec/host/jit.test.ts checks the declared minimum against
 * this); compiled functions get the slots grown beyond it.
 */
export const TABLE_INITIAL = 1024;

/**
 * Compiled functions alive at once, at most. V8 maps each module's code on its own, and past Linux's
 * 65,530 mappings per process (vm.max_map_count) it aborts the process ("Commit wasm code space
 * Allocation failed"); beyond this many, functions stay interpreted until some die. The slack covers
 * modules freed by Lua that V8 has not collected yet.
 */
export const MAX_LIVE = 16384;

/**
 * Compiled modules kept for reuse by their bytes, at most (each holds its machine code, one V8
 * mapping, while cached): past it the cache starts again empty.
 */
export const MODULE_CACHE = 512;

/**
 * The cache, shared by every instance of the process: a module imports its memory, table and
 * flags at instantiation, and its bytes name nothing else of an instance (the static addresses they
 * hold are the build's, the same in every instance of that build), so a module compiled for one
 * state serves another (each Lua.create of a CLI run, a test suite's states).
 */
const modules = new Map<number, { code: Uint8Array<ArrayBuffer>; module: WebAssembly.Module }[]>();
let cachedModules = 0;

/** FNV-1a hash of a module's bytes (the cache's key; equal bytes are then compared whole). */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What compiled code needs of the instance: its memory and the poll flags it exports. */
export interface JitTarget {
  memory: WebAssembly.Memory;
  trapflag: WebAssembly.Global;
  /** Set while an async call runs: compiled loops then exit every slice (vm/budget.ts "Slicing"). */
  slicing: WebAssembly.Global;
  /** Bytes of memory (re-created after growth). */
  bytes(): Uint8Array;
}

/** Compiled functions of one instance: the table, free slots, counts for getMemoryStats. */
export class JitHost {
  readonly table = new WebAssembly.Table({ initial: TABLE_INITIAL, element: "anyfunc" });
  private readonly free: number[] = [];
  private readonly sizes = new Map<number, number>();
  /** Compiled functions alive and the bytes of their modules. */
  functions = 0;
  bytes = 0;
  /**
   * Modules installed since the instance was created, the milliseconds compiling took (writing the
   * module inside wasm plus V8's compile and instantiation, refused attempts included), and refusals.
   */
  compiles = 0;
  compileMs = 0;
  failures = 0;
  /** Compiled functions allowed alive at once (MAX_LIVE; tests lower it). */
  maxLive = MAX_LIVE;
  /** Installs that reused a module compiled before from the same bytes (moduleFor). */
  cacheHits = 0;

  /** `target` is read at the first install (the instance does not exist yet when this is made). */
  constructor(private readonly target: () => JitTarget) {}

  /** jit_install(ptr, len, emitms): the slot of the new function, or -1. */
  install(ptr: number, len: number, emitms = 0): number {
    this.compileMs += Number.isFinite(emitms) && emitms > 0 ? emitms : 0;
    if (this.functions >= this.maxLive) {
      this.failures++;
      return -1;
    }
    const t0 = performance.now();
    try {
      const t = this.target();
      const code = t.bytes().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
      const module = this.moduleFor(code);
      const instance = new WebAssembly.Instance(module, {
        env: { memory: t.memory, trapflag: t.trapflag, slicing: t.slicing, table: this.table },
      });
      const slot = this.free.length > 0 ? this.free.pop()! : this.table.grow(1);
      this.table.set(slot, instance.exports.f as never);
      this.compileMs += performance.now() - t0;
      this.compiles++;
      this.sizes.set(slot, code.length);
      this.functions++;
      this.bytes += code.length;
      return slot;
    } catch {
      this.compileMs += performance.now() - t0;
      this.failures++;
      return -1;
    }
  }

  /**
   * The compiled module of `code`: the one compiled before from the same bytes, else a new one. The
   * compiler writes no address of a prototype into a module (assembly/jit/compile.ts receives the prototype
   * as its third parameter), so a chunk loaded again (a script re-run in a persistent state, or in
   * another state) yields the same bytes and V8's compile (and its later optimisation, shared by
   * the instances) happens once.
   */
  private moduleFor(code: Uint8Array<ArrayBuffer>): WebAssembly.Module {
    const h = fnv1a(code);
    const hit = modules.get(h)?.find((e) => sameBytes(e.code, code));
    if (hit) {
      this.cacheHits++;
      return hit.module;
    }
    const module = new WebAssembly.Module(code);
    if (cachedModules >= MODULE_CACHE) {
      modules.clear(); // (bounded: whole, since entries are cheap to rebuild)
      cachedModules = 0;
    }
    const list = modules.get(h) ?? [];
    list.push({ code, module });
    modules.set(h, list);
    cachedModules++;
    return module;
  }

  /** jit_release(slot): the function dies; its slot is reused. */
  release(slot: number): void {
    const n = this.sizes.get(slot);
    if (n === undefined) return; // not one of ours: nothing to free
    this.sizes.delete(slot);
    this.functions--;
    this.bytes -= n;
    this.table.set(slot, null);
    this.free.push(slot);
  }

  /** The "env" imports of the JIT. */
  imports(): {
    table: WebAssembly.Table;
    jit_install(ptr: number, len: number, emitms: number): number;
    jit_release(s: number): void;
  } {
    return {
      table: this.table,
      jit_install: (ptr, len, emitms) => this.install(ptr, len, emitms),
      jit_release: (slot) => this.release(slot),
    };
  }
}
