// helpers.ts - shared setup for host tests: a ready LuaPersistent on the bundled build/lua.wasm, and
// an eval that fails the test with Lua's own message instead of returning null.
import { LuaPersistent, type EvalResult } from "../../host/index.js";

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
