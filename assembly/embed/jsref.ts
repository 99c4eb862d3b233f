// jsref.ts - JS objects by reference (docs/ABI.md "JS references"; the host's side is host/refs.ts).
//
// A JS object, array, Map/Set or class instance handed to Lua arrives as tag 19 (valcodec.ts) and
// becomes a JS reference: a full userdata holding the host's reference id, with one of four sealed
// metatables (object/userdata.ts) whose handlers are natives calling the one host import js_op:
// __index, __newindex, __len and __pairs go to the live object; __gc tells the host to drop its
// handle; __name ("js.object", "js.array", "js.map") names it in messages and tostring. A JS function
// read from such an object arrives as the same tag with kind "function" and the id of the object it
// was read from: it becomes a native closure (a Lua function: callable, not indexable, so nothing
// reaches its constructor, call, apply or bind) over a handle userdata (kind 3, __gc) and that
// object's reference, so obj:method(x) calls method with this = obj and the arguments x (a first
// argument that is the reference of that very object is the `self` the colon passed, and is dropped).
//
// Invariants: the same host id is the same Lua value for as long as Lua holds it (the weak-valued
// cache of valcodec.ts under the key -id); the host releases an id only when the value standing for
// it has been collected and no newer value for the id took its place in the cache (m_gc); handlers
// check their first argument, since a native can be reached through tracebacks and the debug library.

import { luaC_barrierback } from "../gc/barrier";
import { luaC_fix, luaC_checkfinalizer } from "../gc/collect";
import {
  TVALUE_SIZE, ttisnil, ttisfulluserdata, ttisCclosure, ttisstring, ttisinteger, ttisfalse, ttistrue, ttisfloat,
  uvalue, clvalue, tsvalue, ivalue, fltvalue,
  setuvalue, setobj, setnilvalue, setsvalue,
} from "../object/value";
import { luaS_new, luaS_newlstr, getstr, tsslen } from "../object/string";
import * as ltable from "../object/table";
import {
  JSREF_OBJECT, JSREF_ARRAY, JSREF_MAP, JSREF_FUNCTION, luaS_newjsref, setjsrefmt, jsrefmt, jsrefkind, jsrefid,
  jsrefname,
} from "../object/userdata";
import { ccl_f, ccl_upvalue, cl_nupvalues } from "../object/func";
import { Buffer, buf_new, buf_reset } from "../mem/buffer";
import { L_top, L_settop, savestack } from "../vm/state";
import {
  index2value, lua_gettop, lua_settop, lua_pushnil, lua_pushinteger, lua_pushcfunction, lua_pushvalue, lua_pushcclosure,
  lua_rawsetfield, lua_pushtable, lua_upvalueindex, incr_top, lua_CFunction,
} from "../vm/api";
import { luaV_rawequalobj } from "../vm/ops";
import { luaL_typeerror, luaL_error } from "../lib/aux";
import { regnative, regcheck } from "../lib/natives";
import { js_op, js_get_s, js_get_i, js_set, js_call, js_step } from "../sys/imports";
import { vc_encode, vc_fail, vc_cache, vc_setjsref, MODE_REFS } from "./valcodec";
import { hostresults, codecerror, fastresult, keyhint, outarea, hostfn_k, scalarform, sf_num, sf_ptr, sf_len } from "./ext";
import { budget_check, budget_stopped } from "../vm/budget";
import { luaD_yieldk, setsuspendwhy } from "../vm/call";
import { ERR, OK } from "../vm/state";

// ==== Operations of the js_op import (ORDER host/refs.ts RefOp) ====
// @ts-ignore: decorator
@inline const OP_INDEX: i32 = 0;
// @ts-ignore: decorator
@inline const OP_NEWINDEX: i32 = 1;
// @ts-ignore: decorator
@inline const OP_LEN: i32 = 2;
// @ts-ignore: decorator
@inline const OP_NEXT: i32 = 3;
// @ts-ignore: decorator
@inline const OP_CALL: i32 = 4;                   // sent as its typed form, js_call (js_method)
// @ts-ignore: decorator
@inline const OP_RELEASE: i32 = 5;

/** Encoded arguments of the current operation. */
const argbuf: Buffer = buf_new();

/** host_call's answers this module handles beside hostresults' (assembly/embed/ext.ts R_AWAIT). */
// @ts-ignore: decorator
@inline const R_AWAIT: i32 = -7;
/** A Lua error escaping the user's code (a nested call's): raised unchanged by hostresults. */
// @ts-ignore: decorator
@inline const R_RETHROW: i32 = -6;
/** A typed read's answer for a JS function: its id and its object's (u32 each) in outarea (host/refs.ts FUNC_ANSWER). */
// @ts-ignore: decorator
@inline const R_JSFUNC: i32 = 14;
/** js_call's answer for n values in the input buffer: R_MULTI - n. */
// @ts-ignore: decorator
@inline const R_MULTI: i32 = -100;
/** m_newindex: no typed path applied (never an import's answer: -1 is the error answer). */
// @ts-ignore: decorator
@inline const NOFAST: i32 = -1000;

/**
 * After an import that ran the user's code (a getter, a setter, a method: it may call back into the
 * state, host/refs.ts): when a call it made was stopped by a budget or interrupted, or the host asked
 * to stop, so is this operation, whatever the import answered (as hostfn_tramp).
 */
// @ts-ignore: decorator
@inline function stopped(): bool { return budget_stopped() && budget_check() != OK; }

/** The reference id of the object reference (kinds 0-2) at stack index idx, or 0. */
function objref(L: usize, idx: i32): i32 {
  const o = index2value(L, idx);
  if (!ttisfulluserdata(o)) return 0;
  const k = jsrefkind(uvalue(o));
  return k >= 0 && k != JSREF_FUNCTION ? jsrefid(uvalue(o)) : 0;
}

/**
 * Runs operation `op` on reference `id` with the n stack values from index `from` (encoded as call
 * arguments are: tables copied, functions as references, JS references as themselves) and pushes
 * the host's answer; returns the number of values pushed, or raises.
 */
function callop(L: usize, op: i32, id: i32, from: i32, n: i32): i32 {
  buf_reset(argbuf);
  if (n > 0 && !vc_encode(L, argbuf, savestack(L, index2value(L, from)), n, MODE_REFS, false)) return codecerror(L);
  const r = js_op(op, id, argbuf.ptr, argbuf.len, n);
  return stopped() ? ERR : hostresults(L, r);
}

// ==== Metamethods of the object kinds ====

/** Largest magnitude of an integer key passed as f64 (every such integer is exact). */
// @ts-ignore: decorator
@inline const MAXSAFE: i64 = 9007199254740991;

/** t[k]: string and integer keys through the typed imports (scalars need no encoding), others through js_op. */
function m_index(L: usize): i32 {
  const id = objref(L, 1);
  if (id == 0) return luaL_typeerror(L, 1, "js.object");
  lua_settop(L, 2);
  const k = index2value(L, 2);
  if (ttisstring(k)) {
    const ts = tsvalue(k);
    return readresult(L, js_get_s(id, getstr(ts), tsslen(ts), keyhint(ts), outarea));
  }
  if (ttisinteger(k)) {
    const i = ivalue(k);
    if (i >= -MAXSAFE && i <= MAXSAFE) return readresult(L, js_get_i(id, <f64>i, outarea));
  }
  return callop(L, OP_INDEX, id, 2, 1);
}

/** Pushes the answer r of a typed read (a getter may have called back into the state: see stopped). */
function readresult(L: usize, r: i32): i32 {
  if (stopped()) return ERR;
  return pushanswer(L, r);
}

/** Pushes the value of a typed answer r (a read's, or js_call's single result); returns 1, or raises. */
function pushanswer(L: usize, r: i32): i32 {
  if (r == R_JSFUNC) {
    if (!pushref(L, <i32>load<u32>(outarea), JSREF_FUNCTION, <i32>load<u32>(outarea, 4))) return codecerror(L);
    return 1;
  }
  return r == R_RETHROW ? hostresults(L, r) : fastresult(L, r);
}

/** t[k] = v: a string or integer key with a scalar value through js_set, anything else through js_op. */
function m_newindex(L: usize): i32 {
  const id = objref(L, 1);
  if (id == 0) return luaL_typeerror(L, 1, "js.object");
  lua_settop(L, 3);
  const k = index2value(L, 2), v = index2value(L, 3);
  const tag = scalarform(v);
  if (tag >= 0) {
    const num = sf_num, vp = sf_ptr, vl = sf_len;
    let r = NOFAST;                                 // NOFAST: no typed path applies
    if (ttisstring(k)) {
      const ts = tsvalue(k);
      r = js_set(id, getstr(ts), tsslen(ts), keyhint(ts), 0, tag, num, vp, vl);
    } else if (ttisinteger(k) && ivalue(k) >= -MAXSAFE && ivalue(k) <= MAXSAFE)
      r = js_set(id, 0, -1, 0, <f64>ivalue(k), tag, num, vp, vl);
    if (r != NOFAST) return stopped() ? ERR : hostresults(L, r);
  }
  return callop(L, OP_NEWINDEX, id, 2, 2);
}

/** #t: the host answers the length itself (r >= 0), or -2 with a longer one in the input buffer. */
function m_len(L: usize): i32 {
  const id = objref(L, 1);
  if (id == 0) return luaL_typeerror(L, 1, "js.object");
  const r = js_op(OP_LEN, id, 0, 0, 0);
  if (stopped()) return ERR;
  if (r >= 0) { lua_pushinteger(L, <i64>r); return 1; }
  return hostresults(L, r == -2 ? 1 : r);
}

function m_pairs(L: usize): i32 {
  if (objref(L, 1) == 0) return luaL_typeerror(L, 1, "js.object");
  lua_pushcfunction(L, js_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/** Where js_step answers the key of a pairs step: an i32 code, an f64 at 8, string bytes at 16. */
const keyarea: usize = memory.data(16 + 256, 8);

/**
 * The iterator pairs returns: next(ref, key) over the object's keys in the host's order; the first
 * key, integer and string keys through js_step (key and scalar value answered in the result areas),
 * other keys through js_op.
 */
function js_next(L: usize): i32 {
  const id = objref(L, 1);
  if (id == 0) return luaL_typeerror(L, 1, "js.object");
  lua_settop(L, 2);
  const k = index2value(L, 2);
  let r = NOFAST;
  if (ttisnil(k)) r = js_step(id, 0, -2, 0, 0, keyarea, outarea);
  else if (ttisstring(k)) {
    const ts = tsvalue(k);
    r = js_step(id, getstr(ts), tsslen(ts), keyhint(ts), 0, keyarea, outarea);
  } else if (ttisinteger(k) && ivalue(k) >= -MAXSAFE && ivalue(k) <= MAXSAFE)
    r = js_step(id, 0, -1, 0, <f64>ivalue(k), keyarea, outarea);
  else {
    r = callop(L, OP_NEXT, id, 2, 1);
    if (r == 0) { lua_pushnil(L); return 1; }
    return r;
  }
  if (stopped()) return ERR;
  if (r == 0) { lua_pushnil(L); return 1; }
  if (r <= R_MULTI) return hostresults(L, R_MULTI - r);
  if (r < 0) return pushanswer(L, r);               // an error
  const kc = load<i32>(keyarea);
  if (kc == 3) lua_pushinteger(L, <i64>load<f64>(keyarea, 8));
  else { setsvalue(L_top(L), luaS_newlstr(keyarea + 16, kc - 16)); incr_top(L); }
  return pushanswer(L, r) == ERR ? ERR : 2;
}

/**
 * __gc of every kind: tells the host to drop reference id, unless the cache now holds a newer value
 * for the same id (the host sent the object again after this value died: that value releases it).
 * Weak values are cleared before finalizers run, so the cache never holds the dying value itself,
 * except while the state closes (when every value is finalized anyway).
 */
function m_gc(L: usize): i32 {
  const o = index2value(L, 1);
  if (!ttisfulluserdata(o) || jsrefkind(uvalue(o)) < 0) return 0;
  const u = uvalue(o);
  const id = jsrefid(u);
  const hit = ltable.luaH_getint(vc_cache(), -<i64>id);
  if (!ttisnil(hit) && !(ttisfulluserdata(hit) && uvalue(hit) == u) && handleof(hit) != u) return 0;
  js_op(OP_RELEASE, id, 0, 0, 0);                 // answers nothing; never fails
  return 0;
}

// ==== JS functions read from JS objects ====

/** The handle userdata of a method closure (upvalue 1 of js_method), or 0 for any other value. */
function handleof(o: usize): usize {
  if (!ttisCclosure(o)) return 0;
  const cl = clvalue(o);
  if (ccl_f(cl) != <u32>changetype<usize>(js_method) || cl_nupvalues(cl) != 2) return 0;
  const h = ccl_upvalue(cl, 0);
  return ttisfulluserdata(h) && jsrefkind(uvalue(h)) == JSREF_FUNCTION ? uvalue(h) : 0;
}

/** The reference id of the JS function a method closure stands for, or 0 (valcodec.ts encodes it back as itself). */
function methodid(o: usize): i32 {
  const h = handleof(o);
  return h == 0 ? 0 : jsrefid(h);
}

/**
 * A JS function read from a JS object: upvalue 1 its handle, upvalue 2 the reference of that object
 * (nil when there is none). A first argument equal to upvalue 2 is the colon's self and is dropped:
 * the host calls the function with this = that object either way.
 */
function js_method(L: usize): i32 {
  const h = index2value(L, lua_upvalueindex(1));
  if (!ttisfulluserdata(h) || jsrefkind(uvalue(h)) != JSREF_FUNCTION) return luaL_error(L, "bad JS function handle");
  const id = jsrefid(uvalue(h));
  let n = lua_gettop(L), from = 1;
  if (n >= 1) {
    const self = index2value(L, lua_upvalueindex(2));
    if (!ttisnil(self) && luaV_rawequalobj(index2value(L, 1), self)) { from = 2; n--; }
  }
  buf_reset(argbuf);
  if (n > 0 && !vc_encode(L, argbuf, savestack(L, index2value(L, from)), n, MODE_REFS, false)) return codecerror(L);
  const r = js_call(id, argbuf.ptr, argbuf.len, n, outarea);
  if (stopped()) return ERR;
  if (r == R_AWAIT) {                               // a promise an async call awaits: suspend the thread
    setsuspendwhy(1);
    return luaD_yieldk(L, hostfn_k);                // resumed as a JS function's await is (ext.ts)
  }
  if (r <= R_MULTI) return hostresults(L, R_MULTI - r);
  return pushanswer(L, r);
}

/** A restored js_method closure must hold a handle (lib/natives.ts regcheck); none survives a snapshot. */
function checkmethod(cl: usize): string {
  const h = ccl_upvalue(cl, 0);
  return cl_nupvalues(cl) == 2 && ttisfulluserdata(h) && jsrefkind(uvalue(h)) == JSREF_FUNCTION ? "" : "bad JS function";
}

// ==== Decoding (valcodec.ts tag 19) ====

/** Pushes v and records it in the cache as the value of reference id. */
function cacheset(L: usize, id: i32): void {
  const cache = vc_cache();
  ltable.luaH_setint(cache, -<i64>id, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, cache);
}

/** Pushes the Lua value of reference `id` of `kind` (read from reference `selfid`, 0: none). */
function pushref(L: usize, id: i32, kind: i32, selfid: i32): bool {
  if (id <= 0 || kind < JSREF_OBJECT || kind > JSREF_FUNCTION || selfid < 0) return vc_fail("bad JS reference");
  const cache = vc_cache();
  const hit = ltable.luaH_getint(cache, -<i64>id);
  if (kind == JSREF_FUNCTION) {
    const hu = handleof(hit);
    if (hu != 0 && jsrefid(hu) == id) { setobj(L_top(L), hit); incr_top(L); return true; }
    const u = luaS_newjsref(id, kind);
    setuvalue(L_top(L), u); incr_top(L);
    luaC_checkfinalizer(L, u, jsrefmt(kind));
    setnilvalue(L_top(L));                        // the object it was read from, when Lua still holds it
    if (selfid > 0) {
      const self = ltable.luaH_getint(cache, -<i64>selfid);
      if (ttisfulluserdata(self) && jsrefkind(uvalue(self)) >= 0 && jsrefid(uvalue(self)) == selfid) setobj(L_top(L), self);
    }
    incr_top(L);
    lua_pushcclosure(L, js_method, 2);
    cacheset(L, id);
    return true;
  }
  if (ttisfulluserdata(hit) && jsrefkind(uvalue(hit)) == kind && jsrefid(uvalue(hit)) == id) {
    setobj(L_top(L), hit); incr_top(L);
    return true;
  }
  const u = luaS_newjsref(id, kind);
  setuvalue(L_top(L), u); incr_top(L);
  luaC_checkfinalizer(L, u, jsrefmt(kind));
  cacheset(L, id);
  return true;
}

// ==== The sealed metatables ====

/** Interns s and fixes it: the sealed metatables are fixed objects, never traversed by the collector. */
function fixedstr(s: string): usize {
  const ts = luaS_new(s);
  luaC_fix(ts);
  return ts;
}

/** Builds the fixed metatable of `kind`: light C functions and fixed strings only. */
function newmt(L: usize, kind: i32): usize {
  const mt = ltable.luaH_new();
  lua_pushtable(L, mt);
  if (kind != JSREF_FUNCTION) {
    lua_pushcfunction(L, m_index); lua_rawsetfield(L, -2, "__index");
    lua_pushcfunction(L, m_newindex); lua_rawsetfield(L, -2, "__newindex");
    lua_pushcfunction(L, m_len); lua_rawsetfield(L, -2, "__len");
    fixedstr("__pairs");
    lua_pushcfunction(L, m_pairs); lua_rawsetfield(L, -2, "__pairs");
  }
  lua_pushcfunction(L, m_gc); lua_rawsetfield(L, -2, "__gc");
  setsvalue(L_top(L), fixedstr(jsrefname(kind))); incr_top(L); lua_rawsetfield(L, -2, "__name");
  ltable.setflags(mt, 0);
  L_settop(L, L_top(L) - TVALUE_SIZE);
  luaC_fix(mt);
  return mt;
}

/** Installs the four sealed metatables and the decoder of tag 19 (after luaopen_ext: index.ts). */
export function luaopen_jsref(L: usize): void {
  fixedstr("__gc");
  for (let k = JSREF_OBJECT; k <= JSREF_FUNCTION; k++) setjsrefmt(k, newmt(L, k));
  vc_setjsref(pushref, methodid);
  regnative(js_next, "js.next");
  regnative(js_method, "js.method");
  regcheck(js_method, checkmethod);
}

