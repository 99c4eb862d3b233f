// valcodec.ts - the value encoding in both directions (docs/ABI.md "Value encoding"): Lua values →
// bytes for the host (call arguments of JS functions, external-table keys and values, results of the
// typed API) and bytes from the host → values pushed on the Lua stack (global.set, call arguments,
// JS function results, external-table reads). Also the registry of host references: Lua functions
// handed to JS (tag 10) and JS functions callable from Lua (tag 12, a native closure over the id).
//
// Invariants: encoding and decoding never trap on bad input: a failure leaves its message in
// `vc_err` and returns false; every object created while decoding is on the Lua stack (or in an
// anchored table) before the next allocation, and no GC step runs inside these functions; stack
// pointers are re-derived from offsets after anything that may grow the stack.

import { luaC_barrierback } from "../gc/barrier";
import {
  TVALUE_SIZE, rawtt, ttisnil, ttistable, ttisstring, ttisfunction, ttisfulluserdata, ttisfloat, ttisCclosure,
  ttisinteger, clvalue, LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT, LUA_TTHREAD, LUA_TUSERDATA, LUA_TFUNCTION,
  ttype, ivalue, fltvalue, tsvalue, hvalue, uvalue, gcvalue, setivalue, setnilvalue, sethvalue, setuvalue,
  setobj, setsvalue, setfltvalue,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_newlstr, getstr, tsslen } from "../object/string";
import { Buffer, buf_new, buf_reset, buf_addbyte, buf_addbytes, buf_prepare, buf_addstr } from "../mem/buffer";
import { L_top, L_settop, savestack, restorestack, registry } from "../vm/state";
import {
  lua_checkstack, lua_pushnil, lua_pushboolean, lua_pushinteger, lua_pushnumber, lua_pushtable,
  lua_pushcclosure, lua_CFunction, lua_topointer, index2value, incr_top,
} from "../vm/api";
import { addpointer } from "../lib/aux";
import { luaT_objtypename } from "../vm/tm";
import { udata_hostid, luaS_newproxy, isexternal, jsrefkind, jsrefid } from "../object/userdata";
import { luaS_new } from "../object/string";
import { ccl_f, ccl_upvalue, cl_nupvalues } from "../object/func";
import { isbig, big_sign, big_n, big_limbs, big_push } from "../lib/bigint/big";
import { fn_encode, fn_decodefunc, fn_decodenative, fn_pendmark, fn_resolve, fn_storebegin } from "./extfn";

// ==== Tags (docs/ABI.md) ====
// @ts-ignore: decorator
@inline export const T_NIL: u8 = 0;
// @ts-ignore: decorator
@inline export const T_FALSE: u8 = 1;
// @ts-ignore: decorator
@inline export const T_TRUE: u8 = 2;
// @ts-ignore: decorator
@inline export const T_INT: u8 = 3;
// @ts-ignore: decorator
@inline export const T_FLT: u8 = 4;
// @ts-ignore: decorator
@inline export const T_STR: u8 = 5;
// @ts-ignore: decorator
@inline export const T_TABLE: u8 = 6;
// @ts-ignore: decorator
@inline export const T_TABLEREF: u8 = 7;
// @ts-ignore: decorator
@inline export const T_FUNCTEXT: u8 = 8;
// @ts-ignore: decorator
@inline export const T_OTHER: u8 = 9;
// @ts-ignore: decorator
@inline export const T_FUNCREF: u8 = 10;
// @ts-ignore: decorator
@inline export const T_EXT: u8 = 11;
// @ts-ignore: decorator
@inline export const T_HOSTFN: u8 = 12;
// @ts-ignore: decorator
@inline export const T_REF: u8 = 13;
// Stored functions (docs/ABI.md "Functions in external tables"; host/extfn.ts):
/** Module → host: a Lua function stored for the first time: u32 fid, chunk, upvalue cells. */
// @ts-ignore: decorator
@inline export const T_LFUNC: u8 = 14;
/** Both ways: a stored function record, u32 fid. */
// @ts-ignore: decorator
@inline export const T_FUNC: u8 = 15;
/** Both ways: a native function by its stable name, u32 len + bytes. */
// @ts-ignore: decorator
@inline export const T_NATIVE: u8 = 16;
/** In an upvalue cell: the globals table of the state that loads the function. */
// @ts-ignore: decorator
@inline export const T_GLOBALS: u8 = 17;
/** Both ways: a bigint (lib/bigint): u8 sign (1 negative), u32 n, n × u32 limbs, least significant first. */
// @ts-ignore: decorator
@inline export const T_BIGINT: u8 = 18;
/**
 * Both ways: a JS object by reference (embed/jsref.ts): u32 reference id, u8 kind (object/userdata.ts
 * JSREF_*), u32 id of the object a function was read from (0: none; only host → module).
 */
// @ts-ignore: decorator
@inline export const T_JSREF: u8 = 19;
/** Module → host: a Lua table by registry reference (u32), a live handle (host/ref-table.ts LuaTableRef). */
// @ts-ignore: decorator
@inline export const T_LUATABLE: u8 = 20;
// @ts-ignore: decorator
@inline export const T_END: u8 = 0xFF;

// ==== Encoding modes ====
/** Values bound for an external table: functions, threads and userdata are errors; keys are checked. */
// @ts-ignore: decorator
@inline export const MODE_STORE: i32 = 1;
/** Functions become registry references (tag 10) the host can call back. */
// @ts-ignore: decorator
@inline export const MODE_REFS: i32 = 2;

/** Maximum table nesting the encoder and decoder accept (deeper is an error, never a trap). */
const MAXDEPTH: i32 = 200;

/** Input buffer: the host writes encoded values here (export val_buffer) before they are decoded. */
export const inbuf: Buffer = buf_new();

/** Message of the last failed encode/decode (raw bytes; the caller raises it). */
export const vc_err: Buffer = buf_new();

function fail(msg: string): bool { buf_reset(vc_err); buf_addstr(vc_err, msg); return false; }
/** Sets vc_err to msg and returns false (for extfn.ts). */
export function vc_fail(msg: string): bool { return fail(msg); }

// ==== Anchored registry tables ====

let reftable: usize = 0;     // ref id → Lua value (functions handed to the host); free ids chain as integers
let nextref: i32 = 1;        // the next id never handed out
let freeref: i32 = 0;        // head of the chain of released ids (0: none), as luaL_ref's free list
let extcache: usize = 0;     // hostid → proxy userdata (weak values)

function regfield(name: string, t: usize): void {
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_new(name));
  sethvalue(v, t);
  ltable.luaH_set(registry, k, v);
  luaC_barrierback(0, registry);
}

/** Creates the registry tables once per state (called by luaopen_ext). */
export function vc_init(): void {
  reftable = ltable.luaH_new();
  regfield("_HOSTREFS", reftable);
  extcache = ltable.luaH_new();
  regfield("_EXTCACHE", extcache);
  const weak = ltable.luaH_new();
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_new("__mode"));
  setsvalue(v, luaS_new("v"));
  ltable.luaH_set(weak, k, v);
  ltable.setmetatableptr(extcache, weak);
  regfield("_EXTCACHEMT", weak);
}

export function exthostid(o: usize): i32 { return udata_hostid(uvalue(o)); }

/**
 * The weak-valued cache of host values: key id > 0 an external table's proxy, key -id the Lua value
 * standing for JS reference id (embed/jsref.ts). Permanent (never saved in snapshots).
 */
export function vc_cache(): usize { return extcache; }

/** Pushes the proxy of external table `id`, the same userdata for as long as one is reachable. */
export function vc_pushproxy(L: usize, id: i32): void {
  const hit = ltable.luaH_getint(extcache, <i64>id);
  // only a proxy of this very table counts: with the debug library a script can write into the cache
  if (isexternal(hit) && exthostid(hit) == id) { setobj(L_top(L), hit); incr_top(L); return; }
  const u = luaS_newproxy(id);
  setuvalue(L_top(L), u);
  incr_top(L);
  ltable.luaH_setint(extcache, <i64>id, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, extcache);
}

/**
 * Releases a function reference handed to the host (lua_unref): its slot joins the free chain, so
 * ids are reused and the table stays as large as the references alive. Releasing an id that is not
 * a live reference (twice, or never handed out) does nothing.
 */
export function vc_unref(ref: i32): void {
  if (reftable == 0 || ref <= 0 || ref >= nextref) return;
  const cur = ltable.luaH_getint(reftable, <i64>ref);
  if (!ttisfunction(cur) && !ttistable(cur)) return;
  const v = memory.data(16);
  setivalue(v, <i64>freeref);
  ltable.luaH_setint(reftable, <i64>ref, v);
  freeref = ref;
}

/**
 * Whether a table among the values of an encoding in MODE_REFS (not nested in another) goes as a
 * reference (tag 20) instead of a copy: the host asks for it around one call (lua_set_tablerefs).
 */
let tablerefs = false;
export function lua_set_tablerefs(on: i32): void { tablerefs = on != 0; }

/** Registers `o` (a function or a table) for the host and returns its reference id (luaL_ref). */
function newref(L: usize, o: usize): i32 {
  let ref = freeref;
  if (ref != 0) freeref = <i32>ivalue(ltable.luaH_getint(reftable, <i64>ref));
  else ref = nextref++;
  ltable.luaH_setint(reftable, <i64>ref, o);
  luaC_barrierback(L, reftable);
  return ref;
}

// ==== Host functions (tag 12) ====

let hostfnnative: lua_CFunction = dummynative;
function dummynative(L: usize): i32 { return 0; }
/** Set by ext.ts: the trampoline native that calls the host import with its upvalue id. */
export function vc_sethostfn(f: lua_CFunction): void { hostfnnative = f; }

// ==== JS references (tag 19) ====

/** (L, id, kind, selfid) => ok: pushes the Lua value of a JS reference (embed/jsref.ts sets it). */
export type JsRefPush = (L: usize, id: i32, kind: i32, selfid: i32) => bool;
let jsrefpush: JsRefPush = nojsref;
function nojsref(L: usize, id: i32, kind: i32, selfid: i32): bool { return fail("bad value tag"); }
/** (o) => id: the reference id of the JS function a Lua function stands for (jsref.ts), or 0. */
export type JsMethodId = (o: usize) => i32;
let jsmethodid: JsMethodId = nomethod;
function nomethod(o: usize): i32 { return 0; }
/** Set by jsref.ts when it opens. */
export function vc_setjsref(f: JsRefPush, m: JsMethodId): void { jsrefpush = f; jsmethodid = m; }

/**
 * The id of the JS function behind Lua function `o` as the host knows it: a host function's id (tag
 * 12), or the reference id of a function read from a JS object (tag 19, kind 3) as a negative
 * number; 0 for a Lua function or any other native. So a JS function passed back is itself.
 */
function jsfunctionid(o: usize): i32 {
  if (!ttisCclosure(o)) return 0;
  const cl = clvalue(o);
  if (ccl_f(cl) == <u32>changetype<usize>(hostfnnative) && cl_nupvalues(cl) == 1 && ttisinteger(ccl_upvalue(cl, 0))) {
    const id = ivalue(ccl_upvalue(cl, 0));
    return id > 0 && id <= 0x7fffffff ? <i32>id : 0;
  }
  return -jsmethodid(o);
}

// ==== Encoder ====

/** The tables encoded so far (table → id), made at the first table: a call with scalars makes none. */
let encseen: usize = 0;
/** Stack offset of the slot anchoring encseen (vc_encode reserves it). */
let encanchor: i32 = 0;
let encnext: u32 = 0;

export function put_u32(b: Buffer, v: u32): void { const p = buf_prepare(b, 4); store<u32>(p, v); b.len += 4; }
export function put_bytes(b: Buffer, p: usize, n: i32): void { put_u32(b, <u32>n); buf_addbytes(b, p, n); }

/** Appends "typename: 0x..." (the tostring text of an object without __tostring) as u32 length + bytes. */
function addtext(L: usize, b: Buffer, o: usize): void {
  put_u32(b, 0);                                    // the length, patched once the text is written
  const start = b.len;
  luaT_objtypename(o, b);
  buf_addstr(b, ": ");
  addpointer(b, <usize>load<u32>(o, 8));
  store<u32>(b.ptr + <usize>start - 4, <u32>(b.len - start));
}

function typefail(what: string, o: usize): bool {
  buf_reset(vc_err);
  buf_addstr(vc_err, what);
  luaT_objtypename(o, vc_err);
  return false;
}

function enc(L: usize, b: Buffer, o: usize, mode: i32, iskey: bool, depth: i32): bool {
  switch (rawtt(o)) {
    case LUA_VFALSE: buf_addbyte(b, T_FALSE); return true;
    case LUA_VTRUE: buf_addbyte(b, T_TRUE); return true;
    case LUA_VNUMINT: { buf_addbyte(b, T_INT); const p = buf_prepare(b, 8); store<i64>(p, ivalue(o)); b.len += 8; return true; }
    case LUA_VNUMFLT: {
      const x = fltvalue(o);
      if (iskey) {
        if (x != x) return fail("table index is NaN");   // as for any Lua table (vm/ops.ts)
        // a float key with an integer value is that integer, as in any Lua table
        const f = Math.floor(x);
        if (f == x && f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
          buf_addbyte(b, T_INT); const p = buf_prepare(b, 8); store<i64>(p, <i64>f); b.len += 8; return true;
        }
      }
      buf_addbyte(b, T_FLT); const p = buf_prepare(b, 8); store<f64>(p, x); b.len += 8; return true;
    }
  }
  if (ttisnil(o)) {
    if (iskey) return fail("table index is nil");
    buf_addbyte(b, T_NIL); return true;
  }
  if (ttisstring(o)) { buf_addbyte(b, T_STR); put_bytes(b, getstr(tsvalue(o)), tsslen(tsvalue(o))); return true; }
  if (iskey && (mode & MODE_STORE) != 0) {
    typefail("external table keys must be strings, numbers or booleans (got ", o);
    buf_addstr(vc_err, ")");
    return false;
  }
  if (isexternal(o)) { buf_addbyte(b, T_EXT); put_u32(b, <u32>exthostid(o)); return true; }
  if (ttisfulluserdata(o)) {
    const kind = jsrefkind(uvalue(o));
    if (kind >= 0) {
      // a JS object lives in the host's heap: neither external tables nor snapshots can keep it
      if ((mode & MODE_STORE) != 0) {
        typefail("cannot store a ", o);
        buf_addstr(vc_err, " in an external table (copy it explicitly)");
        return false;
      }
      buf_addbyte(b, T_JSREF); put_u32(b, <u32>jsrefid(uvalue(o))); buf_addbyte(b, <u8>kind); put_u32(b, 0);
      return true;
    }
  }
  if (ttistable(o) && tablerefs && depth == 0 && !iskey && (mode & MODE_REFS) != 0) {
    buf_addbyte(b, T_LUATABLE); put_u32(b, <u32>newref(L, o));
    return true;
  }
  if (isbig(o)) { encbigint(b, uvalue(o)); return true; }
  if (ttistable(o)) {
    if (depth >= MAXDEPTH) return fail("table nesting too deep to convert");
    if (encseen == 0) {                               // the first table: anchored in the reserved slot
      encseen = ltable.luaH_new();
      sethvalue(restorestack(L, encanchor), encseen);
    }
    const prev = ltable.luaH_get(encseen, o);
    if (!ttisnil(prev)) { buf_addbyte(b, T_TABLEREF); put_u32(b, <u32>ivalue(prev)); return true; }
    const id = encnext++;
    const v = memory.data(16);
    setivalue(v, <i64>id);
    ltable.luaH_set(encseen, o, v);
    buf_addbyte(b, T_TABLE); put_u32(b, id);
    const h = hvalue(o);
    if (!lua_checkstack(L, 2)) return fail("stack overflow");
    const slotoff = savestack(L, L_top(L));
    setnilvalue(L_top(L));
    L_settop(L, L_top(L) + 2 * TVALUE_SIZE);
    while (true) {
      const r = ltable.luaH_next(h, restorestack(L, slotoff));
      if (r <= 0) break;
      if (!enc(L, b, restorestack(L, slotoff), mode, true, depth + 1)) return false;
      if (!enc(L, b, restorestack(L, slotoff) + TVALUE_SIZE, mode, false, depth + 1)) return false;
    }
    L_settop(L, restorestack(L, slotoff));
    buf_addbyte(b, T_END);
    return true;
  }
  if ((mode & MODE_STORE) != 0) {
    if (ttype(o) == LUA_TFUNCTION) return fn_encode(L, b, o, depth);
    typefail("cannot store a ", o);
    buf_addstr(vc_err, " in an external table");
    return false;
  }
  if (ttisfunction(o) && (mode & MODE_REFS) != 0) {
    const jid = jsfunctionid(o);
    if (jid > 0) { buf_addbyte(b, T_HOSTFN); put_u32(b, <u32>jid); return true; }
    if (jid < 0) { buf_addbyte(b, T_JSREF); put_u32(b, <u32>-jid); buf_addbyte(b, 3); put_u32(b, 0); return true; }
    const ref = newref(L, o);
    buf_addbyte(b, T_FUNCREF); put_u32(b, <u32>ref);
    addtext(L, b, o);
    return true;
  }
  buf_addbyte(b, ttisfunction(o) ? T_FUNCTEXT : T_OTHER);
  addtext(L, b, o);
  return true;
}

/** Appends bigint userdata u as tag 18: sign byte, limb count, limbs. */
function encbigint(b: Buffer, u: usize): void {
  buf_addbyte(b, T_BIGINT);
  buf_addbyte(b, big_sign(u) < 0 ? 1 : 0);
  const n = big_n(u);
  put_u32(b, <u32>n);
  buf_addbytes(b, big_limbs(u), n << 2);
}

/** Encodes one store-mode value (an upvalue's) at nesting `depth`, sharing the current encode's ids. */
export function vc_encvalue(L: usize, b: Buffer, o: usize, depth: i32): bool {
  return enc(L, b, o, MODE_STORE, false, depth);     // tables and functions check their own depth
}

/**
 * Appends the encodings of `n` consecutive stack values starting at stack offset `fromoff`, sharing
 * table ids (so a table passed twice arrives as the same object). False with vc_err on failure.
 */
export function vc_encode(L: usize, b: Buffer, fromoff: i32, n: i32, mode: i32, iskey: bool): bool {
  if (!lua_checkstack(L, 1)) return fail("stack overflow");
  const anchor = L_top(L);
  const aoff = savestack(L, anchor);
  encseen = 0;
  encanchor = aoff;
  setnilvalue(anchor);
  L_settop(L, anchor + TVALUE_SIZE);
  encnext = 0;
  fn_storebegin();
  let ok = true;
  for (let i = 0; i < n && ok; i++) ok = enc(L, b, restorestack(L, fromoff) + (<usize>i << 4), mode, iskey, 0);
  L_settop(L, restorestack(L, aoff));
  return ok;
}

// ==== Decoder ====

let rpos: usize = 0;
let rend: usize = 0;
/** Decoded tables by id, made at the first table: decoding scalars makes none. */
let decids: usize = 0;
/** Stack offset of the slot anchoring decids (vc_decode reserves it). */
let decanchor: i32 = 0;

function need(n: usize): bool { return rpos + n <= rend; }

function dec(L: usize, depth: i32): bool {
  if (!need(1)) return fail("truncated value");
  if (!lua_checkstack(L, 3)) return fail("stack overflow");
  const tag = load<u8>(rpos); rpos++;
  switch (tag) {
    case T_NIL: lua_pushnil(L); return true;
    case T_FALSE: lua_pushboolean(L, false); return true;
    case T_TRUE: lua_pushboolean(L, true); return true;
    case T_INT: if (!need(8)) return fail("truncated value"); lua_pushinteger(L, load<i64>(rpos)); rpos += 8; return true;
    case T_FLT: if (!need(8)) return fail("truncated value"); lua_pushnumber(L, load<f64>(rpos)); rpos += 8; return true;
    case T_STR: {
      if (!need(4)) return fail("truncated value");
      const n = <usize>load<u32>(rpos); rpos += 4;
      if (!need(n)) return fail("truncated value");
      setsvalue(L_top(L), luaS_newlstr(rpos, <i32>n)); incr_top(L);
      rpos += n;
      return true;
    }
    case T_TABLE: {
      if (depth >= MAXDEPTH) return fail("table nesting too deep to convert");
      if (!need(4)) return fail("truncated value");
      const id = load<u32>(rpos); rpos += 4;
      if (decids == 0) {                            // the first table: anchored in the reserved slot
        decids = ltable.luaH_new();
        sethvalue(restorestack(L, decanchor), decids);
      }
      const t = ltable.luaH_new();
      lua_pushtable(L, t);
      ltable.luaH_setint(decids, <i64>id, L_top(L) - TVALUE_SIZE);
      while (true) {
        if (!need(1)) return fail("truncated value");
        if (load<u8>(rpos) == T_END) { rpos++; break; }
        if (!dec(L, depth + 1)) return false;
        if (!dec(L, depth + 1)) return false;
        const k = L_top(L) - 2 * TVALUE_SIZE;
        if (ttisnil(k)) return fail("table index is nil");
        if (ttisfloat(k) && fltvalue(k) != fltvalue(k)) return fail("table index is NaN");
        if (!ttisnil(k + TVALUE_SIZE)) ltable.luaH_set(t, k, k + TVALUE_SIZE);
        L_settop(L, k);
      }
      return true;
    }
    case T_TABLEREF: {
      if (!need(4)) return fail("truncated value");
      if (decids == 0) return fail("reference to an unknown table");
      const v = ltable.luaH_getint(decids, <i64>load<u32>(rpos)); rpos += 4;
      if (!ttistable(v)) return fail("reference to an unknown table");
      setobj(L_top(L), v); incr_top(L);
      return true;
    }
    case T_FUNCREF: case T_REF: {
      if (!need(4)) return fail("truncated value");
      const ref = load<u32>(rpos); rpos += 4;
      if (tag == T_FUNCREF) { if (!need(4)) return fail("truncated value"); const n = <usize>load<u32>(rpos); rpos += 4 + n; }
      return vc_pushref(L, ref);
    }
    case T_EXT: {
      if (!need(4)) return fail("truncated value");
      const id = load<i32>(rpos); rpos += 4;
      if (id <= 0) return fail("bad external table id");
      vc_pushproxy(L, id);
      return true;
    }
    case T_FUNC: {
      if (!need(4)) return fail("truncated value");
      const fid = load<u32>(rpos); rpos += 4;
      if (depth > 0) return fail("bad value tag");      // records arrive only as whole values
      return fn_decodefunc(L, fid);
    }
    case T_NATIVE: {
      if (!need(4)) return fail("truncated value");
      const n = <usize>load<u32>(rpos); rpos += 4;
      if (!need(n)) return fail("truncated value");
      const p = rpos;
      rpos += n;
      return fn_decodenative(L, p, <i32>n);
    }
    case T_JSREF: {
      if (!need(9)) return fail("truncated value");
      const id = load<i32>(rpos), kind = <i32>load<u8>(rpos, 4), selfid = load<i32>(rpos, 5);
      rpos += 9;
      return jsrefpush(L, id, kind, selfid);
    }
    case T_BIGINT: {
      if (!need(5)) return fail("truncated value");
      const neg = load<u8>(rpos);
      const n = load<u32>(rpos, 1); rpos += 5;
      if (neg > 1 || n > 0x0FFFFFFF) return fail("bad bigint");
      if (!need(<usize>n << 2)) return fail("truncated value");
      // canonical form only: no leading zero limb, zero is never negative
      if (n == 0 ? neg != 0 : load<u32>(rpos + ((<usize>n - 1) << 2)) == 0) return fail("bad bigint");
      big_push(L, n == 0 ? 0 : (neg != 0 ? -1 : 1), rpos, <i32>n);
      rpos += <usize>n << 2;
      return true;
    }
    case T_HOSTFN: {
      if (!need(4)) return fail("truncated value");
      lua_pushinteger(L, <i64>load<u32>(rpos)); rpos += 4;
      lua_pushcclosure(L, hostfnnative, 1);
      return true;
    }
    default: return fail("bad value tag");
  }
}

/**
 * Decodes `n` values from [p, p+len) and pushes them. Returns true, or false with vc_err set and the
 * stack top back where it was. Tables sent twice (tag 7) become the same Lua table.
 */
export function vc_decode(L: usize, p: usize, len: i32, n: i32): bool {
  if (!lua_checkstack(L, n + 2)) return fail("stack overflow");
  const baseoff = savestack(L, L_top(L));
  rpos = p; rend = p + <usize>len;
  decids = 0;
  decanchor = baseoff;
  lua_pushnil(L);                         // the slot that anchors decids; removed below
  const pmark = fn_pendmark();
  let ok = true;
  for (let i = 0; i < n && ok; i++) ok = dec(L, 0);
  lastconsumed = <i32>(rpos - p);
  // stored functions not yet loaded were pushed as placeholders: load them now that the bytes are read
  // (loading asks the host again, which overwrites the input buffer)
  ok = fn_resolve(L, pmark, ok);
  const base = restorestack(L, baseoff);
  if (!ok) { L_settop(L, base); return false; }
  // drop the ids table: shift the n values down by one slot
  for (let i = 0; i < n; i++) setobj(base + (<usize>i << 4), base + (<usize>(i + 1) << 4));
  L_settop(L, base + (<usize>n << 4));
  return true;
}

/**
 * Pushes the Lua value behind registry reference `ref` (tags 10 and 13: a function or table handed to
 * the host); false (vc_err set) when it was released. The stack has room for it.
 */
export function vc_pushref(L: usize, ref: u32): bool {
  const v = ltable.luaH_getint(reftable, <i64>ref);
  if (!ttisfunction(v) && !ttistable(v)) return fail("reference to a released Lua value");
  setobj(L_top(L), v); incr_top(L);
  return true;
}

let lastconsumed: i32 = 0;
/** The number of bytes the decoder consumed in the last vc_decode (which started at p). */
export function vc_consumed(p: usize): i32 { return lastconsumed; }
