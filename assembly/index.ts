// index.ts - the module's exports (the ABI in docs/ABI.md): state creation, source transfer through
// the IO buffer, evaluation with encoded results, listings, the CLI's `arg` table, memory figures.
// No interpreter logic lives here: it only moves bytes between the IO buffer and the Lua state.

import { luaC_barrierback } from "./gc/barrier";
import { IO_BUF_SIZE } from "./luaconf";
import {
  TVALUE_SIZE, ttisnil, ttisstring, ttistable, ttisinteger, ttisfloat, ttisnumber, ttype, ttisfunction,
  rawtt, LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT, tsvalue, hvalue, ivalue, fltvalue,
  setsvalue, setobj, setivalue, setnilvalue, sethvalue, setfvalue,
} from "./object/value";
import * as ltable from "./object/table";
import { luaS_newlstr, getstr, tsslen } from "./object/string";
import { Buffer, buf_new, buf_reset, buf_addbyte, buf_addbytes, buf_prepare } from "./mem/buffer";
import { totalbytes, setlimit, limit } from "./mem/alloc";
import {
  mainthread, L_top, L_settop, L_ci, L_baseci, ci_func, L_seterrfunc, L_errfunc, savestack, restorestack,
  globaltable, registry, LUA_OK, LUA_ERRRUN, LUA_ERRSYNTAX, LUA_MULTRET, errobj,
} from "./vm/state";
import { luaD_pcall, luaD_call } from "./vm/call";
import { luaG_traceback } from "./vm/debug";
import { luaY_parser, compile_error, luaY_releasescratch } from "./compiler/parser";
import { luaU_listing } from "./compiler/listing";
import { setskipfirstline } from "./compiler/lexer";
import { luaF_newLclosure, luaF_newclosedupval, cl_setupval, uv_v, cl_proto } from "./object/func";
import { setclLvalue, ttisLclosure, clvalue } from "./object/value";
import { luaC_fullgc, luaC_checkGC, luaC_resetthreshold } from "./gc/collect";
import { lua_newstate, luaL_openlibs, lua_closestate } from "./lib/init";
import { iobuf, flushoutput, resetoutput } from "./host/iobuf";
import { io_flushall } from "./lib/io";
import {
  index2value, lua_pushcfunction, lua_checkstack, lua_pushtvalue, lua_gettop, lua_pushtstring, lua_CFunction,
} from "./vm/api";
import { luaL_tolstring, addpointer } from "./lib/aux";
import { luaT_objtypename } from "./vm/tm";
import { OK } from "./vm/state";
import { setbudget, clearbudget, killed } from "./vm/budget";
import { vc_special } from "./host/valcodec";
export {
  val_buffer, val_result_ptr, val_result_len, lua_set_refmode, lua_unref, lua_getglobal_v, lua_setglobal_v,
  lua_call_v,
} from "./host/bridge";

let L: usize = 0;
/** Pending source text (src_append), as a growable buffer. */
let src: Buffer = changetype<Buffer>(0);
/** The result area read by the host after lua_eval/lua_listing. */
let result: Buffer = changetype<Buffer>(0);
/** Traceback captured by the top-level message handler. */
let tracebuf: Buffer = changetype<Buffer>(0);

// ==== State ====

/** Creates the state and opens the libraries. Returns 0. */
export function lua_init(): i32 {
  if (L != 0) return 0;
  src = buf_new();
  result = buf_new();
  tracebuf = buf_new();
  L = lua_newstate();
  luaL_openlibs(L);
  snap_buildnames(L);                               // stable names of natives, for snapshots
  return 0;
}

export function io_buffer_ptr(): usize { return iobuf; }
export function io_buffer_size(): i32 { return IO_BUF_SIZE; }
export function result_ptr(): usize { return result.ptr; }
export function result_len(): i32 { return result.len; }
export function lua_memory_used(): f64 { return <f64>totalbytes; }
export function lua_gc(): void { luaC_fullgc(L); }
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

// ==== Source transfer ====

export function src_reset(): void { buf_reset(src); }
/** Appends n bytes from the IO buffer's start to the pending source. */
export function src_append(n: i32): void { buf_addbytes(src, iobuf, n); }

// ==== Result encoding ====

function put_u32(v: u32): void { const p = buf_prepare(result, 4); store<u32>(p, v); result.len += 4; }
function put_bytes(p: usize, n: i32): void { put_u32(<u32>n); buf_addbytes(result, p, n); }

/** Table ids for the current encoding (key: the table; value: its id). */
let seen: usize = 0;
let nextid: u32 = 0;

/** Encodes one value (see docs/ABI.md); tables recursively up to a depth bound. */
function encodevalue(o: usize, depth: i32): void {
  switch (rawtt(o)) {
    case LUA_VFALSE: buf_addbyte(result, 1); return;
    case LUA_VTRUE: buf_addbyte(result, 2); return;
    case LUA_VNUMINT: { buf_addbyte(result, 3); const p = buf_prepare(result, 8); store<i64>(p, ivalue(o)); result.len += 8; return; }
    case LUA_VNUMFLT: { buf_addbyte(result, 4); const p = buf_prepare(result, 8); store<f64>(p, fltvalue(o)); result.len += 8; return; }
  }
  if (ttisnil(o)) { buf_addbyte(result, 0); return; }
  if (ttisstring(o)) { buf_addbyte(result, 5); put_bytes(getstr(tsvalue(o)), tsslen(tsvalue(o))); return; }
  if (ttistable(o) && depth < 100) {
    const prev = ltable.luaH_get(seen, o);
    if (!ttisnil(prev)) { buf_addbyte(result, 7); put_u32(<u32>ivalue(prev)); return; }
    const id = nextid++;
    const v = memory.data(16);
    setivalue(v, <i64>id);
    ltable.luaH_set(seen, o, v);
    buf_addbyte(result, 6); put_u32(id);
    // traverse with luaH_next using two scratch slots on the stack
    const h = hvalue(o);
    const slot = L_top(L);
    setnilvalue(slot);
    L_settop(L, slot + 2 * TVALUE_SIZE);
    while (ltable.luaH_next(h, slot) > 0) {
      encodevalue(slot, depth + 1);
      encodevalue(slot + TVALUE_SIZE, depth + 1);
    }
    L_settop(L, slot);
    buf_addbyte(result, 0xFF);
    return;
  }
  if (vc_special(L, result, o)) return;            // external tables (tag 11), function refs (tag 10)
  // functions, userdata, threads (and over-deep tables): their tostring text
  const b = buf_new();
  luaT_objtypename(o, b);
  buf_addbytes(b, memory.data<u8>([58, 32]), 2);   // ": "
  addpointer(b, <usize>load<u32>(o, 8));
  buf_addbyte(result, ttisfunction(o) ? 8 : 9);
  put_bytes(b.ptr, b.len);
}

/** Encodes the values in stack slots [from, to). */
function encoderesults(from: usize, to: usize): void {
  buf_reset(result);
  const n = <i32>((to - from) >> 4);
  put_u32(<u32>n);
  seen = ltable.luaH_new();
  const anchor = L_top(L);
  sethvalue(anchor, seen);                          // keep `seen` reachable while encoding
  L_settop(L, anchor + TVALUE_SIZE);
  nextid = 0;
  for (let i = 0; i < n; i++) encodevalue(from + (<usize>i << 4), 0);
  L_settop(L, anchor);
}

/** Encodes an error: message text and traceback (see docs/ABI.md). */
function encodeerror(msg: usize, len: i32): void {
  buf_reset(result);
  put_bytes(msg, len);
  put_bytes(tracebuf.ptr, tracebuf.len);
}

/**
 * Top-level message handler (lua.c's msghandler): turns a non-string error object into a message
 * and records the traceback at the point of the error; returns the message.
 */
function hostmsghandler(Lx: usize): i32 {
  const o = index2value(Lx, 1);
  let msg: usize = 0;
  if (ttisstring(o)) msg = tsvalue(o);
  else if (ttisnumber(o)) msg = luaL_tolstring(Lx, 1);
  else {
    // __tostring gives the message; otherwise "(error object is a X value)"
    if (lookup_tostring(o)) msg = luaL_tolstring(Lx, 1);
    if (msg == 0) {
      const b = buf_new();
      buf_addbytes(b, memory.data<u8>([40, 101, 114, 114, 111, 114, 32, 111, 98, 106, 101, 99, 116, 32, 105, 115, 32, 97, 32]), 19); // "(error object is a "
      luaT_objtypename(o, b);
      buf_addbytes(b, memory.data<u8>([32, 118, 97, 108, 117, 101, 41]), 7);  // " value)"
      msg = luaS_newlstr(b.ptr, b.len);
    }
  }
  buf_reset(tracebuf);
  luaG_traceback(Lx, Lx, 0, 1, tracebuf);
  lua_pushtstring(Lx, msg);
  return 1;
}
import { luaT_gettmbyobj_name } from "./vm/tm";
function lookup_tostring(o: usize): bool { return !ttisnil(luaT_gettmbyobj_name(o, "__tostring")); }

// ==== Evaluation ====

/**
 * Runs the chunk passed as its only argument and returns all its results. The chunk runs below a
 * native frame, as lua.c's pmain does, so tracebacks end with "[C]: in ?" exactly like lua5.4's.
 */
function hostrunner(Lx: usize): i32 {
  const func = index2value(Lx, 1);
  if (luaD_call(Lx, func, LUA_MULTRET) != OK) return -1;
  return lua_gettop(Lx);
}

/** Pushes arg[1..nargs] (the CLI's script arguments) as extra arguments of the chunk. */
function pushscriptargs(nargs: i32): void {
  if (nargs <= 0) return;
  const k = memory.data(16);
  setsvalue(k, luaS_newlstr(memory.data<u8>([97, 114, 103]), 3));   // "arg"
  const t = ltable.luaH_get(globaltable, k);
  if (!ttistable(t)) return;
  if (!lua_checkstack(L, nargs + 1)) return;
  for (let i = 1; i <= nargs; i++) {
    const v = ltable.luaH_getint(hvalue(t), <i64>i);
    if (ttisnil(v)) setnilvalue(L_top(L)); else setobj(L_top(L), v);
    L_settop(L, L_top(L) + TVALUE_SIZE);
  }
}

/** The TString of the chunk name in the IO buffer's first namelen bytes. */
function chunkname(namelen: i32): usize { return luaS_newlstr(iobuf, namelen); }

// ==== Chunk cache ====
// Hosts often evaluate the same small chunk again and again (the seed's benchmarks, request
// handlers). Prototypes are immutable once compiled, so the main prototype of small chunks is kept
// in a table in the registry, keyed by chunk name + "\0" + source; a hit skips the compiler (which
// dominates a tiny eval). Each eval still gets a fresh closure. The table is replaced when full.

/** Only chunks up to this size are cached. */
// @ts-ignore: decorator
@inline const CACHE_MAXSRC: i32 = 2048;
/** Entries before the cache is emptied. */
// @ts-ignore: decorator
@inline const CACHE_MAXENTRIES: i32 = 256;
let cacheentries: i32 = 0;
let cachekeybuf: Buffer = changetype<Buffer>(0);

/** The cache table (registry["_CHUNKCACHE"], so the collector keeps the prototypes alive). */
function chunkcache(fresh: bool): usize {
  const k = memory.data(16);
  setsvalue(k, luaS_newlstr(memory.data<u8>([95, 67, 72, 85, 78, 75, 67, 65, 67, 72, 69]), 11));  // "_CHUNKCACHE"
  if (!fresh) {
    const t = ltable.luaH_get(registry, k);
    if (ttistable(t)) return hvalue(t);
  }
  const t = ltable.luaH_new();
  const v = memory.data(16);
  sethvalue(v, t);
  ltable.luaH_set(registry, k, v);
  luaC_barrierback(L, registry);
  cacheentries = 0;
  return t;
}

/** The cache key of the pending source under chunk name `namelen` bytes of the IO buffer. */
function cachekey(namelen: i32): usize {
  if (changetype<usize>(cachekeybuf) == 0) cachekeybuf = buf_new();
  buf_reset(cachekeybuf);
  buf_addbytes(cachekeybuf, iobuf, namelen);
  buf_addbyte(cachekeybuf, 0);
  buf_addbytes(cachekeybuf, src.ptr, src.len);
  return luaS_newlstr(cachekeybuf.ptr, cachekeybuf.len);
}

/** Compiles the pending source; pushes the main closure and returns OK, or encodes the error. */
function loadpending(namelen: i32): i32 {
  let key: usize = 0;
  let p: usize = 0;
  if (src.len <= CACHE_MAXSRC) {
    key = cachekey(namelen);
    const kv = memory.data(16);
    setsvalue(kv, key);
    const hit = ltable.luaH_get(chunkcache(false), kv);
    if (ttisLclosure(hit)) p = cl_proto(clvalue(hit));
  }
  if (p == 0) {
    const name = chunkname(namelen);
    setskipfirstline(namelen > 0 && load<u8>(iobuf) == 64);   // '@': a file, as luaL_loadfile
    p = luaY_parser(src.ptr, src.len, name);
    luaY_releasescratch(src.len);                   // free the compiler's managed scratch (now and then)
    if (p == 0) {
      buf_reset(tracebuf);
      encodeerror(getstr(compile_error), tsslen(compile_error));
      return LUA_ERRSYNTAX;
    }
  } else key = 0;                                   // found: nothing to add
  const cl = luaF_newLclosure(p, 1);
  setclLvalue(L_top(L), cl);
  L_settop(L, L_top(L) + TVALUE_SIZE);
  const uv = luaF_newclosedupval();
  cl_setupval(cl, 0, uv);
  sethvalue(uv_v(uv), globaltable);
  if (key != 0) {                                   // remember the new prototype (as its closure)
    const t = cacheentries >= CACHE_MAXENTRIES ? chunkcache(true) : chunkcache(false);
    const kv = memory.data(16);
    setsvalue(kv, key);
    ltable.luaH_set(t, kv, L_top(L) - TVALUE_SIZE);
    luaC_barrierback(L, t);
    cacheentries++;
  }
  return LUA_OK;
}

/** Compiles and runs the pending source; see docs/ABI.md for the status and the result area. */
export function lua_eval(namelen: i32): i32 {
  return lua_eval_args(namelen, 0);
}

/** Like lua_eval, but the chunk receives arg[1..nargs] as its varargs (lua.c's script arguments). */
export function lua_eval_args(namelen: i32, nargs: i32): i32 {
  resetoutput();
  setbudget(cfg_instructions, cfg_timeoutms);         // every call gets the whole budget
  const base = L_top(L);
  const baseoff = savestack(L, base);
  lua_pushcfunction(L, hostmsghandler);
  if (loadpending(namelen) != LUA_OK) { L_settop(L, restorestack(L, baseoff)); return LUA_ERRSYNTAX; }
  const olderr = L_errfunc(L);
  L_seterrfunc(L, baseoff);
  // [handler][chunk] -> [handler][runner][chunk]
  const chunk = L_top(L) - TVALUE_SIZE;
  setobj(chunk + TVALUE_SIZE, chunk);
  setfvalue(chunk, <u32>changetype<usize>(hostrunner));
  L_settop(L, chunk + 2 * TVALUE_SIZE);
  pushscriptargs(nargs);
  const func = chunk;
  const foff = savestack(L, func);
  buf_reset(tracebuf);
  const st = luaD_pcall(L, func, LUA_MULTRET);
  L_seterrfunc(L, olderr);
  const stopped = killed != 0;
  clearbudget();
  flushoutput();
  io_flushall();                                    // files' buffered output, as C's exit flushes stdio
  if (st == LUA_OK) {
    encoderesults(restorestack(L, foff), L_top(L));
  } else {
    const e = restorestack(L, foff);
    if (ttisstring(e)) encodeerror(getstr(tsvalue(e)), tsslen(tsvalue(e)));
    else {
      // the handler did not run (e.g. error in error handling): describe the object
      const b = buf_new();
      luaT_objtypename(e, b);
      encodeerror(b.ptr, b.len);
    }
  }
  L_settop(L, restorestack(L, baseoff));
  luaC_checkGC(L);
  return stopped ? LUA_ERRLIMIT : st;
}

/** Our own status for a call stopped by its instruction limit or timeout (see docs/ABI.md). */
// @ts-ignore: decorator
@inline const LUA_ERRLIMIT: i32 = 6;

/** Compiles the pending source and writes its listing (luac -l style) to the result area. */
export function lua_listing(namelen: i32): i32 {
  const name = chunkname(namelen);
  setskipfirstline(namelen > 0 && load<u8>(iobuf) == 64);
  const p = luaY_parser(src.ptr, src.len, name);
  luaY_releasescratch(src.len);
  if (p == 0) {
    buf_reset(tracebuf);
    encodeerror(getstr(compile_error), tsslen(compile_error));
    return LUA_ERRSYNTAX;
  }
  buf_reset(result);
  luaU_listing(result, p, true);
  return LUA_OK;
}

// ==== CLI arguments ====

/** Clears the global `arg` table (creates it). */
export function arg_reset(): void {
  const t = ltable.luaH_new();
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_newlstr(memory.data<u8>([97, 114, 103]), 3));   // "arg"
  sethvalue(v, t);
  ltable.luaH_set(globaltable, k, v);
  luaC_barrierback(L, globaltable);
}
/** arg[index] = the n bytes at the IO buffer start. */
export function arg_set(index: i32, n: i32): void {
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_newlstr(memory.data<u8>([97, 114, 103]), 3));
  const t = ltable.luaH_get(globaltable, k);
  if (!ttistable(t)) return;
  setsvalue(v, luaS_newlstr(iobuf, n));
  ltable.luaH_setint(hvalue(t), <i64>index, v);
  luaC_barrierback(L, hvalue(t));
}

// ==== Budgets ====

let cfg_instructions: f64 = 0;
let cfg_timeoutms: f64 = 0;
/** Sets the instruction limit and timeout (ms) applied to EACH following lua_eval; <= 0 disables. */
export function lua_setbudget(instructions: f64, timeoutms: f64): void {
  cfg_instructions = instructions;
  cfg_timeoutms = timeoutms;
}
/** Why the last call was stopped: 0 not stopped, 1 instruction limit, 2 timeout. */
export function lua_killed(): i32 { return killed; }

// ==== Snapshots and deterministic mode (persist/snapshot.ts) ====
import { snap_buildnames, setdeterministic } from "./persist/snapshot";
export {
  lua_snapshot, lua_restore, snap_out_ptr, snap_out_len, snap_ext_ptr, snap_ext_len, snap_msg_ptr, snap_msg_len,
  snap_release, snap_inbuf,
} from "./persist/snapshot";
/** Deterministic mode on (1) or off (0): fixed seeds where the libraries would use the clock. */
export function lua_setdeterministic(on: i32): void { setdeterministic(on != 0); }
// ==== Functions in external tables (host/extfn.ts) ====
export { ext_sync, ext_sync_msg_ptr, ext_sync_msg_len } from "./host/extfn";

// ==== Closing ====

/** Closes the state (lua_close): pending to-be-closed variables, every __gc finalizer, output flushed. */
export function lua_close(): void {
  if (L == 0) return;
  lua_closestate(L);
}
