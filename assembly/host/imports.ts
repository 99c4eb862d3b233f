// imports.ts - every function the module imports from its host ("env"), each with its contract.
// Invariant: nothing else in assembly/ declares an @external; the host (host/loader.ts) provides
// exactly these names.

/** Wall-clock time in milliseconds since the Unix epoch (Date.now()); os.time, math.randomseed(). */
// @ts-ignore: decorator
@external("env", "lua_time") export declare function lua_time(): f64;

/** Processor time used by the host process, in seconds (os.clock). */
// @ts-ignore: decorator
@external("env", "lua_clock") export declare function lua_clock(): f64;

/** Writes `len` bytes at `ptr` to standard output; the host copies them before returning. */
// @ts-ignore: decorator
@external("env", "lua_output") export declare function lua_output(ptr: usize, len: i32): void;

/** Writes `len` bytes at `ptr` to standard error (io.stderr); the host copies them before returning. */
// @ts-ignore: decorator
@external("env", "lua_stderr") export declare function lua_stderr(ptr: usize, len: i32): void;
