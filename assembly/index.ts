// index.ts - the module's exports (the ABI in docs/ABI.md), and nothing else: state creation and
// closing, the IO buffer, memory figures and limits. Everything that runs Lua or exchanges values is
// in embed/bridge.ts, on the one protected entry path of embed/entry.ts.

import { IO_BUF_SIZE } from "./luaconf";
import { totalbytes, setlimit, limit } from "./mem/alloc";
import { luaC_resetthreshold } from "./gc/collect";
import { mainthread } from "./vm/state";
import { lua_newstate, luaL_openlibs, luaL_requiref } from "./lib/init";
import { lua_close as closestate } from "./vm/call";
import { io_flushall } from "./lib/io";
import { iobuf, flushoutput, setflushmode } from "./sys/iobuf";
import { scannatives } from "./lib/natives";
import { setdeterministic } from "./lib/determ";
import { luaopen_ext } from "./embed/ext";
import { luaopen_jsref } from "./embed/jsref";

export {
  lua_eval, lua_eval_args, lua_listing, lua_set_refmode, result_ptr, result_len, val_buffer, lua_unref,
  lua_getglobal_v, lua_setglobal_v, lua_call_v, lua_setbudget, lua_killed, lua_gc, arg_reset, arg_set,
  lua_snapshot, lua_restore, ext_sync, ext_hostgc, lua_nest, lua_unnest,
  lua_eval_async, lua_call_async, lua_resume_async, lua_stop_buffer, lua_stop,
  lua_call_s, lua_call_area, lua_call_area_size,
} from "./embed/bridge";
export { src_reset, src_append } from "./embed/chunk";
export {
  snap_out_ptr, snap_out_len, snap_ext_ptr, snap_ext_len, snap_msg_ptr, snap_msg_len, snap_release, snap_inbuf,
} from "./persist/snapshot";
export { ext_sync_msg_ptr, ext_sync_msg_len } from "./embed/extfn";
export { lua_sandbox } from "./embed/sandbox";
export { lua_set_tablerefs } from "./embed/valcodec";
export { lua_setjit, lua_jitdeopts, lua_jitstat } from "./jit/api";
export { trapflag, slicing } from "./vm/budget";            // imported by compiled code (jit/compile.ts): its poll

let started = false;

/** Creates the state and opens the libraries. Returns 0. */
export function lua_init(): i32 {
  if (started) return 0;
  started = true;
  const L = lua_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "ext", luaopen_ext);             // external tables, _home, _io (assembly/embed/ext.ts)
  luaopen_jsref(L);                                 // JS objects by reference (assembly/embed/jsref.ts)
  scannatives();                                    // stable names of natives, for snapshots
  return 0;
}

export function io_buffer_ptr(): usize { return iobuf; }
export function io_buffer_size(): i32 { return IO_BUF_SIZE; }
export function lua_memory_used(): f64 { return <f64>totalbytes; }

/**
 * Sets the memory limit in bytes (0 or anything above the 1.5 GiB ceiling: the ceiling). Beyond it
 * allocations raise "not enough memory" (status LUA_ERRMEM at the top level). May be called before
 * lua_init.
 */
export function lua_setlimit(bytes: f64): void {
  setlimit(bytes >= 1.8e19 || !(bytes > 0) ? 0 : <u64>bytes);
  luaC_resetthreshold();
}
/** The memory limit in effect, in bytes. */
export function lua_getlimit(): f64 { return <f64>limit; }

/** Deterministic mode on (1) or off (0): fixed seeds where the libraries would use the clock. */
export function lua_setdeterministic(on: i32): void { setdeterministic(on != 0); }

/** When standard output goes to the host besides full buffer and call end: 1 after each print, 2 at each newline. */
export function lua_setflushmode(mode: i32): void { setflushmode(mode); }

/** Closes the state (lua_close): pending to-be-closed variables, every __gc finalizer, output flushed. */
export function lua_close(): void {
  if (!started) return;
  closestate(mainthread);
  io_flushall();                                  // files' buffered output, then standard output
  flushoutput();
}
