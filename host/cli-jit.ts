// cli-jit.ts - the lua-wasm command's switches for the baseline JIT (docs/VM.md "The baseline JIT"),
// read from the environment as LUA_WASM is:
//   LUA_WASM_JIT=0|1          the `jit` option (unset or empty: the library's default, on)
//   LUA_WASM_JIT_THRESHOLD=N  the `jitThreshold` option (calls + loop back-edges before a function is
//                             compiled; 0: at its first call); it does not turn the JIT on by itself
//   LUA_WASM_JIT_STATS=1      on exit (or os.exit), one line on stderr: functions compiled, compile time
// Invariant: a value the CLI cannot use is a JitEnvError naming the variable, raised before any Lua
// state exists, so the command reports it and exits 1 without running anything.

import type { JitOptions, Lua } from "./engine.js";
import type { MemoryStats } from "./runtime.js";

/** A LUA_WASM_JIT* variable with a value the CLI cannot use. */
export class JitEnvError extends Error {}

/** What the environment asks of the JIT: the library's options, and whether to report at exit. */
export interface JitEnv {
  options: JitOptions;
  stats: boolean;
}

/** Reads LUA_WASM_JIT, LUA_WASM_JIT_THRESHOLD and LUA_WASM_JIT_STATS; throws JitEnvError for a bad value. */
export function jitFromEnv(env: Record<string, string | undefined>): JitEnv {
  const options: JitOptions = {};
  const on = env.LUA_WASM_JIT;
  if (on !== undefined && on !== "") {
    if (on !== "0" && on !== "1") throw new JitEnvError(`LUA_WASM_JIT must be 0 or 1, got '${on}'`);
    options.jit = on === "1";
  }
  const th = env.LUA_WASM_JIT_THRESHOLD;
  if (th !== undefined && th !== "") {
    const n = /^\d+$/.test(th) ? Number(th) : NaN;
    if (!(n <= 0x7fffffff))
      throw new JitEnvError(`LUA_WASM_JIT_THRESHOLD must be an integer from 0 to 2147483647, got '${th}'`);
    options.jitThreshold = n;
  }
  const stats = env.LUA_WASM_JIT_STATS;
  return { options, stats: stats !== undefined && stats !== "" && stats !== "0" };
}

/** The LUA_WASM_JIT_STATS line: "[lua-wasm jit] 3 functions compiled in 1.25 ms (0.42 ms each), 2 alive, 2345 bytes". */
export function jitStatsLine(s: MemoryStats): string {
  const each = s.jit_compiles > 0 ? s.jit_compile_ms / s.jit_compiles : 0;
  const fns = s.jit_compiles === 1 ? "function" : "functions";
  return (
    `[lua-wasm jit] ${s.jit_compiles} ${fns} compiled in ${s.jit_compile_ms.toFixed(2)} ms ` +
    `(${each.toFixed(2)} ms each), ${s.jit_functions} alive, ${s.jit_bytes} bytes\n`
  );
}

/**
 * Writes the stats line when the process exits: from the live state (os.exit), else as the state
 * was when it was closed (lua_close frees every compiled function, so "alive" is read before).
 */
export function reportJitAtExit(lua: Lua, write: (line: string) => void): void {
  let last: MemoryStats | null = null;
  const sample = () => {
    try {
      last = lua.memoryStats();
    } catch {
      // closed: keep what close() saw
    }
  };
  const close = lua.close.bind(lua);
  lua.close = () => {
    sample();
    close();
  };
  process.once("exit", () => {
    sample();
    if (last !== null) write(jitStatsLine(last));
  });
}
