// helpers.ts - shared setup for host tests: a ready LuaPersistent on the bundled build/lua.wasm, an
// eval that fails the test with Lua's own message instead of returning null, the LuaError a call
// throws (or a promise rejects with), a storage adapter that counts saves and can be told to fail,
// and the instance behind a Lua with its JIT counters.
import { LuaError, LuaPersistent, MemoryStorage, type EvalResult, type Lua } from "../../host/index.js";
import type { LuaWasm } from "../../host/loader.js";

/** A loaded and initialised engine on the default (bundled) module. */
export async function newEngine(): Promise<LuaPersistent> {
  const lua = new LuaPersistent();
  await lua.load();
  if (!lua.init()) throw new Error(`init failed: ${lua.getLastError()}`);
  return lua;
}

/** eval that must succeed: throws with the Lua error message so the test report shows it. */
export function evalOk(lua: LuaPersistent, code: string): EvalResult {
  const r = lua.eval(code);
  if (r === null) throw new Error(`eval failed: ${lua.getLastError()}`);
  return r;
}

/** The LuaError `fn` throws; any other exception passes through, and no exception fails the test. */
export function caughtLuaError(fn: () => unknown): LuaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LuaError) return e;
    throw e;
  }
  throw new Error("expected a LuaError");
}

/** The LuaError `p` rejects with (as caughtLuaError, for promises). */
export async function rejectedLuaError(p: Promise<unknown>): Promise<LuaError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LuaError) return e;
    throw e;
  }
  throw new Error("expected a LuaError");
}

/** A storage adapter that counts saves and can be told to fail ("disk full"). */
export class CountingStorage extends MemoryStorage {
  saves = 0;
  failing = false;
  override async save(image: Uint8Array): Promise<void> {
    if (this.failing) throw new Error("disk full");
    this.saves++;
    await super.save(image);
  }
}

/** The instance behind a Lua (tests only: its exports, and the table and counters of host/jit.ts). */
export function wasmOf(l: Lua): LuaWasm {
  return (l as unknown as { runtime: { wasm: LuaWasm } }).runtime.wasm;
}

/**
 * A JIT counter of the module (assembly/jit/api.ts lua_jitstat): 0 deopts, 1 instructions handed to
 * luaJ_op, 2 luaJ_call calls, 3 entries from the interpreter, 4 the nesting depth of compiled frames,
 * 5 returns through luaJ_return.
 */
export function jitstat(l: Lua, what: number): number {
  return (wasmOf(l).exports as unknown as { lua_jitstat(w: number): number }).lua_jitstat(what);
}
