// bridge.ts - exports of the typed host API (docs/ABI.md "Values in and out"): the input buffer for
// encoded values, global get/set, calling a Lua value with encoded arguments, releasing function
// references, and the reference mode of lua_eval's result encoding.
// Invariant: like lua_eval, every export that runs Lua runs it protected, leaves the stack as it found
// it and reports a status plus a result area (values, or message and traceback); none of them traps on
// malformed input.

import { luaC_barrierback } from "../gc/barrier";
import { TVALUE_SIZE, ttisstring, ttisnumber, ttisnil, tsvalue, setobj } from "../object/value";
import * as ltable from "../object/table";
import { luaS_newlstr, getstr, tsslen } from "../object/string";
import { Buffer, buf_new, buf_reset, buf_prepare, buf_addbytes, buf_addstr } from "../mem/buffer";
import {
  mainthread, L_top, L_settop, L_errfunc, L_seterrfunc, savestack, restorestack, globaltable,
  LUA_OK, LUA_ERRRUN, LUA_MULTRET,
} from "../vm/state";
import { luaD_pcall } from "../vm/call";
import { luaG_traceback } from "../vm/debug";
import { luaC_checkGC } from "../gc/collect";
import { index2value, lua_pushcfunction, lua_pushtstring } from "../vm/api";
import { luaL_tolstring } from "../lib/aux";
import { luaT_objtypename, luaT_gettmbyobj_name } from "../vm/tm";
import { flushoutput, resetoutput } from "./iobuf";
import { io_flushall } from "../lib/io";
import { inbuf, vc_decode, vc_encode, vc_err, vc_unref, vc_setrefmode, MODE_REFS } from "./valcodec";

/** The result area of the exports below. */
const vres: Buffer = buf_new();
/** Traceback captured by the message handler of lua_call_v. */
const tracebuf: Buffer = buf_new();

function put_u32(v: u32): void { const p = buf_prepare(vres, 4); store<u32>(p, v); vres.len += 4; }
function put_bytes(p: usize, n: i32): void { put_u32(<u32>n); buf_addbytes(vres, p, n); }

/** Error result: message, then the traceback (empty unless a handler captured one). */
function seterror(msg: usize, len: i32, tb: Buffer | null): i32 {
  buf_reset(vres);
  put_bytes(msg, len);
  if (tb === null) put_u32(0); else put_bytes(tb.ptr, tb.len);
  return LUA_ERRRUN;
}

function decodeerror(): i32 { return seterror(vc_err.ptr, vc_err.len, null); }

/** Ensures the input buffer holds n bytes and returns its address; the host then writes them. */
export function val_buffer(n: i32): usize {
  if (n < 0) n = 0;
  buf_reset(inbuf);
  buf_prepare(inbuf, n);
  inbuf.len = n;
  return inbuf.ptr;
}

export function val_result_ptr(): usize { return vres.ptr; }
export function val_result_len(): i32 { return vres.len; }

/** Results of lua_eval encode functions as references (tag 10) when on != 0. */
export function lua_set_refmode(on: i32): void { vc_setrefmode(on != 0); }

/** Releases a function reference (tag 10) the host no longer needs. */
export function lua_unref(ref: i32): void { vc_unref(ref); }

/** Encodes the n values from stack offset off as an OK result (count, values). */
function setvalues(off: i32, n: i32): i32 {
  buf_reset(vres);
  put_u32(<u32>n);
  if (!vc_encode(mainthread, vres, off, n, MODE_REFS, false)) return decodeerror();
  return LUA_OK;
}

/** Raw global get: the input buffer holds one encoded value (the name); the result is that global. */
export function lua_getglobal_v(): i32 {
  const L = mainthread;
  const base = L_top(L);
  const baseoff = savestack(L, base);
  if (!vc_decode(L, inbuf.ptr, inbuf.len, 1)) return decodeerror();
  const k = restorestack(L, baseoff);
  const v = ltable.luaH_get(globaltable, k);
  if (!ttisnil(v)) setobj(k, v);
  const st = ttisnil(v) ? setnil() : setvalues(baseoff, 1);
  L_settop(L, restorestack(L, baseoff));
  return st;
}

function setnil(): i32 {
  buf_reset(vres);
  put_u32(1);
  const p = buf_prepare(vres, 1); store<u8>(p, 0); vres.len += 1;
  return LUA_OK;
}

/** Raw global set: the input buffer holds two encoded values, the name and the value (nil deletes). */
export function lua_setglobal_v(): i32 {
  const L = mainthread;
  const baseoff = savestack(L, L_top(L));
  if (!vc_decode(L, inbuf.ptr, inbuf.len, 2)) return decodeerror();
  const k = restorestack(L, baseoff);
  if (ttisnil(k)) { L_settop(L, k); buf_reset(vc_err); buf_addstr(vc_err, "global name is nil"); return decodeerror(); }
  ltable.luaH_set(globaltable, k, k + TVALUE_SIZE);
  luaC_barrierback(L, globaltable);
  L_settop(L, k);
  buf_reset(vres);
  put_u32(0);
  return LUA_OK;
}

/** Message handler of lua_call_v (lua.c's msghandler): message text plus traceback. */
function callmsghandler(Lx: usize): i32 {
  const o = index2value(Lx, 1);
  let msg: usize = 0;
  if (ttisstring(o)) msg = tsvalue(o);
  else if (ttisnumber(o)) msg = luaL_tolstring(Lx, 1);
  else {
    if (!ttisnil(luaT_gettmbyobj_name(o, "__tostring"))) msg = luaL_tolstring(Lx, 1);
    if (msg == 0) {
      const b = buf_new();
      buf_addstr(b, "(error object is a ");
      luaT_objtypename(o, b);
      buf_addstr(b, " value)");
      msg = luaS_newlstr(b.ptr, b.len);
    }
  }
  buf_reset(tracebuf);
  luaG_traceback(Lx, Lx, 0, 1, tracebuf);
  lua_pushtstring(Lx, msg);
  return 1;
}

/**
 * Calls a value: the input buffer holds nargs+1 encoded values, the function then its arguments.
 * The result area is lua_eval's: all results (functions as references), or message and traceback.
 */
export function lua_call_v(nargs: i32): i32 {
  const L = mainthread;
  resetoutput();
  if (nargs < 0) nargs = 0;
  const base = L_top(L);
  const baseoff = savestack(L, base);
  lua_pushcfunction(L, callmsghandler);
  if (!vc_decode(L, inbuf.ptr, inbuf.len, nargs + 1)) { L_settop(L, restorestack(L, baseoff)); return decodeerror(); }
  const foff = baseoff + <i32>TVALUE_SIZE;
  const olderr = L_errfunc(L);
  L_seterrfunc(L, baseoff);
  buf_reset(tracebuf);
  const st = luaD_pcall(L, restorestack(L, foff), LUA_MULTRET);
  L_seterrfunc(L, olderr);
  flushoutput();
  io_flushall();                                    // files' buffered output (lib/io.ts)
  let r = st;
  if (st == LUA_OK) {
    const n = <i32>((L_top(L) - restorestack(L, foff)) >> 4);
    r = setvalues(foff, n);
  } else {
    const e = restorestack(L, foff);
    if (ttisstring(e)) seterror(getstr(tsvalue(e)), tsslen(tsvalue(e)), tracebuf);
    else {
      const b = buf_new();
      luaT_objtypename(e, b);
      seterror(b.ptr, b.len, tracebuf);
    }
  }
  L_settop(L, restorestack(L, baseoff));
  luaC_checkGC(L);
  return r;
}
