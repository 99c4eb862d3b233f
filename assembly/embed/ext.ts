// ext.ts - external tables: Lua-side proxies whose data lives in host Maps (docs/ABI.md "External
// tables"), the `ext` library (ext.table, ext.size), the globals _home (alias Memory) and _io, and the
// trampoline through which Lua calls JS functions.
//
// A proxy is a full userdata with no bytes, its hostid set to the host table id, and a shared
// metatable whose __index/__newindex/__len/__pairs call host imports; `next` handles proxies too
// (lib/base.ts calls ext_lnext, which luaopen_ext installs there). Reading the same external table twice gives the same userdata
// (valcodec.ts caches proxies by id in a weak registry table).
// The shared metatable is sealed: no Lua code can reach it (getmetatable and debug.getmetatable
// answer nil for a proxy, setmetatable and debug.setmetatable refuse one, and it is not in the
// registry; it is kept alive as a fixed object instead), so every write reaches the store.
// Memory: the host counts what external tables hold against the memory limit (ext_bind); a write it
// refuses (-3) is retried once after an emergency collection, then raises "not enough memory".
// Invariant: every host answer is decoded from the input buffer before anything else can call the
// host again; host errors become ordinary Lua errors (catchable by pcall), never traps.

import { luaC_barrierback } from "../gc/barrier";
import { luaC_fix, luaC_fullgc, allgc } from "../gc/collect";
import { gettt, getnext } from "../object/header";
import { udata_hostid, isexternal, proxymetatable, setproxymetatable } from "../object/userdata";
import { hostbytesptr, sethostcollect, hostwantsgc } from "../mem/alloc";
import {
  TVALUE_SIZE, ttisnil, ttisstring, ttisfalse, ttistrue, ttisinteger, ttisfloat, tsvalue, fltvalue, setobj,
  sethvalue, setsvalue, setnilvalue,
} from "../object/value";
import { luaS_new, luaS_newlstr, getstr, tsslen, isshrstr, strhash } from "../object/string";
import * as ltable from "../object/table";
import { Buffer, buf_new, buf_reset, buf_addbytes } from "../mem/buffer";
import { L_top, L_settop, L_ci, ci_func, savestack, errobj, globaltable, registry, mainthread, ERR, OK } from "../vm/state";
import {
  index2value, lua_gettop, lua_settop, lua_pushnil, lua_pushinteger, lua_pushcfunction, lua_pushvalue,
  lua_rawsetfield, lua_pushtable, lua_pushliteral, lua_upvalueindex, lua_pushtvalue, lua_pushnumber,
  lua_pushboolean, incr_top,
} from "../vm/api";
import { luaL_errorb, luaL_typeerror, luaL_newlib, argfail, msgbuf } from "../lib/aux";
import { luaG_errormsg, luaG_runerrorstr, luaG_memerror } from "../vm/debug";
import { ivalue } from "../object/value";
import {
  vc_encode, vc_decode, vc_err, vc_init, vc_pushproxy, vc_sethostfn, exthostid, inbuf,
  MODE_STORE, MODE_REFS, put_u32,
} from "./valcodec";
import {
  ext_new, ext_get, ext_set, ext_next, ext_len, ext_size, host_call, ext_get_s, ext_get_i, ext_set_s, ext_set_i,
  ext_bind, ext_collect,
} from "../sys/imports";
import { fn_storecommit, fn_storeprepare, fn_listlive, fn_notedropped } from "./extfn";
import { luaB_setexternalnext } from "../lib/base";
import { regnative, regcheck } from "../lib/natives";
import { cl_nupvalues, ccl_upvalue } from "../object/func";
import { budget_check, budget_stopped } from "../vm/budget";
import { luaD_yieldk, setsuspendwhy } from "../vm/call";

/** Encoded key and value of the current external-table operation; arguments of a host call. */
const keybuf: Buffer = buf_new();
const valbuf: Buffer = buf_new();
const callbuf: Buffer = buf_new();

/** Fixed ids of the two predefined external tables (the host store creates them first). */
// @ts-ignore: decorator
@inline export const HOME_ID: i32 = 1;
// @ts-ignore: decorator
@inline export const IO_ID: i32 = 2;

// ==== Host answers ====

/** Raises the error value the host left in the input buffer (a string gets the caller's position). */
function raisehosterror(L: usize): i32 {
  if (!vc_decode(L, inbuf.ptr, inbuf.len, 1)) return codecerror(L);
  const e = L_top(L) - TVALUE_SIZE;
  if (ttisstring(e)) {
    const b = msgbuf();                               // luaL_errorb copies it before anything can reuse it
    buf_addbytes(b, getstr(tsvalue(e)), tsslen(tsvalue(e)));
    return luaL_errorb(L, b);
  }
  setobj(errobj, e);
  return luaG_errormsg(L);
}

/**
 * Raises the failure of an encode or decode (vc_err): the memory error when the codec ran out of
 * memory (it reports that as the text "not enough memory": a stored function's dump, a buffer), so
 * pcall sees the bare message as for any memory error; otherwise the message with a position.
 */
export function codecerror(L: usize): i32 {
  const m = "not enough memory";
  if (vc_err.len == m.length) {
    let same = true;
    for (let i = 0; i < m.length && same; i++) same = load<u8>(vc_err.ptr + <usize>i) == <u8>m.charCodeAt(i);
    if (same) return luaG_memerror(L);
  }
  return luaL_errorb(L, vc_err);
}

/** Pushes the r values the host wrote into the input buffer; returns r, or raises. */
export function hostresults(L: usize, r: i32): i32 {
  if (r == R_NOMEM) return luaG_memerror(L);     // the answer did not fit in the memory limit
  if (r == R_RETHROW) {                           // a Lua error escaping the JS function: raised unchanged
    if (!vc_decode(L, inbuf.ptr, inbuf.len, 1)) return codecerror(L);
    setobj(errobj, L_top(L) - TVALUE_SIZE);
    return luaG_errormsg(L);
  }
  if (r < 0) return raisehosterror(L);
  if (r == 0) return 0;
  if (!vc_decode(L, inbuf.ptr, inbuf.len, r)) return codecerror(L);
  return r;
}

/** Encodes the argument at stack index idx (present) as a store key/value into b. */
function encodearg(L: usize, b: Buffer, idx: i32, iskey: bool): bool {
  buf_reset(b);
  return vc_encode(L, b, savestack(L, index2value(L, idx)), 1, MODE_STORE, iskey);
}

// ==== Typed fast paths (imports.ts, docs/ABI.md "Typed fast paths") ====
// String keys, integer keys (and integral float keys, which are those integers) and nil, boolean,
// number and string values skip the value encoding: they cross as import arguments, and a read's
// answer comes back as a result code plus the result area below. Everything else (other keys,
// table values, integers beyond 2^53, and host answers such as nested tables) takes the general
// path through ext_get/ext_set, so both paths give the same results.

/** Bytes of a string answer that fit in the result area (the host writes longer ones to inbuf). */
// @ts-ignore: decorator
@inline const OUT_STR: i32 = 256;
/** Result area of ext_get_s/ext_get_i: an f64 number, then up to OUT_STR string bytes. */
export const outarea: usize = memory.data(8 + OUT_STR, 8);
/** Largest magnitude of an integer passed as f64: 2^53 - 1, every such integer is exact. */
// @ts-ignore: decorator
@inline const MAXSAFE: i64 = 9007199254740991;
// @ts-ignore: decorator
@inline const R_GENERIC: i32 = 15;
// @ts-ignore: decorator
@inline const R_STR: i32 = 16;
/** "No fast path applies" (never an import's answer). */
// @ts-ignore: decorator
@inline const NOFAST: i32 = -100;

/** The host's cache hint for a string key: its hash when it is a short string (always computed). */
// @ts-ignore: decorator
@inline export function keyhint(ts: usize): u32 { return isshrstr(ts) ? strhash(ts) : 0; }

/** Pushes the value of a fast-path read answered with code r; returns 1, or raises. */
export function fastresult(L: usize, r: i32): i32 {
  switch (r) {
    case R_NOMEM: return luaG_memerror(L);       // the answer did not fit in the memory limit
    case 0: lua_pushnil(L); return 1;
    case 1: lua_pushboolean(L, false); return 1;
    case 2: lua_pushboolean(L, true); return 1;
    case 3: lua_pushinteger(L, <i64>load<f64>(outarea)); return 1;
    case 4: lua_pushnumber(L, load<f64>(outarea)); return 1;
    case R_GENERIC: return hostresults(L, 1);
  }
  if (r >= R_STR) {
    const n = r - R_STR;
    setsvalue(L_top(L), luaS_newlstr(n <= OUT_STR ? outarea + 8 : inbuf.ptr, n));
    incr_top(L);
    return 1;
  }
  return raisehosterror(L);
}

/** t[k] through a typed import when the key allows it (string or integer); NOFAST otherwise. */
function fastget(L: usize, id: i32, k: usize): i32 {
  if (ttisstring(k)) {
    const ts = tsvalue(k);
    return fastresult(L, ext_get_s(id, getstr(ts), tsslen(ts), keyhint(ts), outarea));
  }
  if (ttisinteger(k)) {
    const i = ivalue(k);
    if (i >= -MAXSAFE && i <= MAXSAFE) return fastresult(L, ext_get_i(id, <f64>i, outarea));
  } else if (ttisfloat(k)) {
    const x = fltvalue(k);      // an integral float is that integer (via i64, so -0.0 is 0)
    if (Math.floor(x) == x && Math.abs(x) <= <f64>MAXSAFE) return fastresult(L, ext_get_i(id, <f64><i64>x, outarea));
  }
  return NOFAST;
}

/** A value's typed-path form (set by scalarform): its number, or its string's bytes. */
export let sf_num: f64 = 0;
export let sf_ptr: usize = 0;
export let sf_len: i32 = 0;

/**
 * The form a typed write import takes value v in (docs/ABI.md "Typed fast paths"): the tag 0-5
 * (nil, false, true, integer within 2^53, float, string) with sf_num / sf_ptr+sf_len set, or -1
 * when only the general encoding can carry it. Shared by external tables and JS references.
 */
export function scalarform(v: usize): i32 {
  sf_num = 0; sf_ptr = 0; sf_len = 0;
  if (ttisnil(v)) return 0;
  if (ttisfalse(v)) return 1;
  if (ttistrue(v)) return 2;
  if (ttisinteger(v)) {
    const i = ivalue(v);
    if (i < -MAXSAFE || i > MAXSAFE) return -1;
    sf_num = <f64>i;
    return 3;
  }
  if (ttisfloat(v)) { sf_num = fltvalue(v); return 4; }
  if (ttisstring(v)) { sf_ptr = getstr(tsvalue(v)); sf_len = tsslen(tsvalue(v)); return 5; }
  return -1;
}

/** t[k] = v through a typed import when key and value allow it: the import's answer, or NOFAST. */
function fastset(id: i32, k: usize, v: usize): i32 {
  const tag = scalarform(v);
  if (tag < 0) return NOFAST;
  const num = sf_num, vp = sf_ptr, vl = sf_len;
  if (ttisstring(k)) {
    const ts = tsvalue(k);
    return ext_set_s(id, getstr(ts), tsslen(ts), keyhint(ts), tag, num, vp, vl);
  }
  if (ttisinteger(k)) {
    const i = ivalue(k);
    if (i >= -MAXSAFE && i <= MAXSAFE) return ext_set_i(id, <f64>i, tag, num, vp, vl);
  } else if (ttisfloat(k)) {
    const x = fltvalue(k);
    if (Math.floor(x) == x && Math.abs(x) <= <f64>MAXSAFE) return ext_set_i(id, <f64><i64>x, tag, num, vp, vl);
  }
  return NOFAST;
}

// ==== Memory ====

/** An import's answer: the host refused the write, the state would pass its memory limit. */
// @ts-ignore: decorator
@inline const R_NOMEM: i32 = -3;
/**
 * host_call's answer for a LuaError the JS function let escape (a nested call that failed): its
 * message is in the input buffer and is raised as it is, without a position (as lua_error rethrows).
 */
// @ts-ignore: decorator
@inline const R_RETHROW: i32 = -6;
/** host_call's answer for a promise returned to an async call: the thread suspends until it settles. */
// @ts-ignore: decorator
@inline const R_AWAIT: i32 = -7;
/** host_call's answer for n values in the input buffer: R_MULTI - n (as js_call's, jsref.ts). */
// @ts-ignore: decorator
@inline const R_MULTI: i32 = -100;

/** The ids of the external tables Lua still holds a proxy for (u32 each), sent by sendlive. */
const idsbuf: Buffer = buf_new();
/** The header type of a full userdata (object/header.ts tt; a proxy is one). */
// @ts-ignore: decorator
@inline const TT_USERDATA: u8 = 7;

/** Set while no list of live proxies can be complete (a snapshot restore, a proxy being made). */
let collecthold = false;

/** Holds (true) or allows (false) host collections (bridge.ts, around a snapshot's restore). */
export function ext_holdcollect(on: bool): void { collecthold = on; }

/**
 * Sends the host the ids of every proxy in the heap (ext_collect), so it can drop every external
 * table that neither they, _home, _io nor a stored function's cell can reach. It walks the list of
 * all collectable objects rather than the proxy cache: near the limit the cache may fail to grow,
 * leaving a live proxy out of it. A dead proxy not yet swept still counts, which only keeps its
 * table a while longer. No allocation but idsbuf, no stack, no collection: callable from `fits`
 * and from safe points. Proxies never have a __gc, so none sits on the finalizer lists.
 */
function sendlive(): void {
  if (collecthold || proxymetatable() == 0) return;
  buf_reset(idsbuf);
  for (let o = allgc(); o != 0; o = getnext(o)) {
    if (gettt(o) == TT_USERDATA && udata_hostid(o) > 0) put_u32(idsbuf, <u32>udata_hostid(o));
  }
  const n = idsbuf.len >> 2;
  const nf = fn_listlive(idsbuf);           // the records Lua holds a closure of (extfn.ts)
  if (ext_collect(idsbuf.ptr, n, nf) > 0) fn_notedropped();
}

/**
 * Collects garbage on both sides before a refused write is retried: a full emergency collection of
 * the Lua heap (no finalizers), which frees the dead proxies (and clears them from the weak proxy
 * cache), then the host's unreachable tables (sendlive). The arguments of the write are on the stack and the encoded
 * buffers are not Lua objects, so nothing here needs anchoring.
 */
function emergencygc(L: usize): void {
  luaC_fullgc(L, true);
  sendlive();
}

/** The host's side of a full collection (bridge.ts lua_gc, after the Lua heap's). */
export function ext_collecthost(): void { sendlive(); }

/** The same collection between calls (for an export: the host calls it when a host-side write is refused). */
export function ext_emergencygc(): void { emergencygc(mainthread); }

// ==== Metamethods ====
// Each checks its first argument: the handlers are unreachable from Lua, but a native can show up in
// a traceback or a hook, and a non-proxy argument would make exthostid read arbitrary memory.

function m_index(L: usize): i32 {
  if (!isexternal(index2value(L, 1))) return luaL_typeerror(L, 1, "ext.table");
  const id = exthostid(index2value(L, 1));
  lua_settop(L, 2);
  const r = fastget(L, id, index2value(L, 2));
  if (r != NOFAST) return r;
  // a key no external table can hold (nil, NaN, a table...) reads as nil, as in any Lua table
  if (!encodearg(L, keybuf, 2, true)) { lua_pushnil(L); return 1; }
  return hostresults(L, ext_get(id, keybuf.ptr, keybuf.len));
}

/** t[k] = v: the typed fast path, else the general one; past the memory limit, one retry after a collection. */
function m_newindex(L: usize): i32 {
  if (!isexternal(index2value(L, 1))) return luaL_typeerror(L, 1, "ext.table");
  if (hostwantsgc()) sendlive();               // the store grew: let the host drop what nothing reaches
  const id = exthostid(index2value(L, 1));
  lua_settop(L, 3);
  let general = false;
  let r = fastset(id, index2value(L, 2), index2value(L, 3));
  if (r == NOFAST) {
    if (!encodearg(L, keybuf, 2, true)) return codecerror(L);
    if (!encodearg(L, valbuf, 3, false)) return codecerror(L);
    if (!fn_storeprepare(L)) return luaG_memerror(L);   // the cells' holders, made before the host accepts
    general = true;
    r = ext_set(id, keybuf.ptr, keybuf.len, valbuf.ptr, valbuf.len);
  }
  if (r == R_NOMEM) {
    emergencygc(L);
    r = general ? ext_set(id, keybuf.ptr, keybuf.len, valbuf.ptr, valbuf.len)
                : fastset(id, index2value(L, 2), index2value(L, 3));   // strings did not move: non-moving GC
  }
  if (r == R_NOMEM) return luaG_memerror(L);   // nothing was stored (the host rolled back)
  if (r < 0) return raisehosterror(L);
  if (general) fn_storecommit(L);              // functions in the value are now records the host holds
  return 0;
}

function m_len(L: usize): i32 {
  if (!isexternal(index2value(L, 1))) return luaL_typeerror(L, 1, "ext.table");
  lua_pushinteger(L, <i64>ext_len(exthostid(index2value(L, 1))));
  return 1;
}

function m_pairs(L: usize): i32 {
  if (!isexternal(index2value(L, 1))) return luaL_typeerror(L, 1, "ext.table");
  lua_pushcfunction(L, ext_lnext);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/** next(t, k) for a proxy at index 1 (also used by the base library's `next`). */
export function ext_lnext(L: usize): i32 {
  const t = index2value(L, 1);
  if (!isexternal(t)) return luaL_typeerror(L, 1, "table");
  const id = exthostid(t);
  lua_settop(L, 2);
  buf_reset(keybuf);
  if (!ttisnil(index2value(L, 2)) && !encodearg(L, keybuf, 2, true)) return luaG_runerrorstr(L, "invalid key to 'next'");
  const r = ext_next(id, keybuf.ptr, keybuf.len);
  if (r == -2) return luaG_runerrorstr(L, "invalid key to 'next'");
  if (r == 0) { lua_pushnil(L); return 1; }
  return hostresults(L, r);
}

// ==== JS functions called from Lua ====

/** The native closure behind every JS function: upvalue 1 is the host function id. */
export function hostfn_tramp(L: usize): i32 {
  const id = <i32>ivalue(index2value(L, lua_upvalueindex(1)));
  const n = lua_gettop(L);
  let r: i32;
  if (slotargs(L, n)) r = host_call(id, slotarea, -1, n, outarea);   // scalars: no encoding
  else {
    buf_reset(callbuf);
    if (!vc_encode(L, callbuf, savestack(L, ci_func(L_ci(L)) + TVALUE_SIZE), n, MODE_REFS, false)) return codecerror(L);
    r = host_call(id, callbuf.ptr, callbuf.len, n, outarea);
  }
  // a call back into the state that the JS function made was stopped by a budget or interrupted,
  // or the host asked to stop: so is this call, whatever the function answered
  if (budget_stopped() && budget_check() != OK) return ERR;
  if (r == R_AWAIT) {                               // a promise an async call awaits: suspend the thread
    setsuspendwhy(1);
    return luaD_yieldk(L, hostfn_k);
  }
  // one result as a typed read (scalars need no encoding), n results as R_MULTI - n in the input buffer
  if (r <= R_MULTI) return hostresults(L, R_MULTI - r);
  return r == R_RETHROW ? hostresults(L, r) : fastresult(L, r);
}

/**
 * Arguments of a JS function call as slots (docs/ABI.md "Typed calls": the layout of lua_call_s's,
 * a string's address pointing at the Lua string's own bytes), for calls whose arguments are all
 * scalars; read by the host before the function runs.
 */
// @ts-ignore: decorator
@inline const MAXSLOTS: i32 = 16;
const slotarea: usize = memory.data(MAXSLOTS * 16, 8);

/** Writes the n arguments (stack 1..n) as slots when they are at most MAXSLOTS scalars (scalarform); false otherwise. */
function slotargs(L: usize, n: i32): bool {
  if (n > MAXSLOTS) return false;
  for (let i = 1; i <= n; i++) {
    const tag = scalarform(index2value(L, i));
    if (tag < 0) return false;
    const slot = slotarea + (<usize>(i - 1) << 4);
    store<i32>(slot, tag);
    store<i32>(slot, sf_len, 4);
    if (tag == 5) store<u32>(slot, <u32>sf_ptr, 8); else store<f64>(slot, sf_num, 8);
  }
  return true;
}

/** The host's answer to an await (host_call's codes), set before the async call resumes. */
let awaitanswer: i32 = 0;
export function setawaitanswer(r: i32): void { awaitanswer = r; }

/** The continuation of a JS function whose promise settled: its value(s) or its rejection, as host_call's. */
export function hostfn_k(L: usize): i32 {
  if (budget_check() != OK) return ERR;             // stopped while it waited (abort, interrupt, timeout)
  return hostresults(L, awaitanswer);
}

/** A restored JS function must hold its host function id (lib/natives.ts regcheck). */
function checkhostfn(cl: usize): string {
  return cl_nupvalues(cl) == 1 && ttisinteger(ccl_upvalue(cl, 0)) ? "" : "bad host function";
}

// ==== The ext library ====

function checkext(L: usize, arg: i32): i32 {
  const o = index2value(L, arg);
  if (!isexternal(o)) { luaL_typeerror(L, arg, "ext.table"); return 0; }
  return exthostid(o);
}

/** ext.table(): a new empty external table ("not enough memory" past the limit, as for a Lua table). */
function l_table(L: usize): i32 {
  if (hostwantsgc()) sendlive();
  let id = ext_new();
  if (id <= 0) { emergencygc(L); id = ext_new(); }
  if (id <= 0) return luaG_memerror(L);
  // until its proxy exists nothing refers to the new table: a host collection run by an allocation
  // in vc_pushproxy would drop it
  collecthold = true;
  vc_pushproxy(L, id);
  collecthold = false;
  return 1;
}

/** ext.size(t): the number of entries (every key, not only the sequence). */
function l_size(L: usize): i32 {
  const id = checkext(L, 1);
  if (argfail) return ERR;
  lua_pushinteger(L, <i64>ext_size(id));
  return 1;
}

/** global name = proxy of external table id. */
function setglobalproxy(L: usize, name: string, id: i32): void {
  vc_pushproxy(L, id);
  const k = memory.data(16);
  setsvalue(k, luaS_new(name));
  ltable.luaH_set(globaltable, k, L_top(L) - TVALUE_SIZE);
  luaC_barrierback(L, globaltable);
  L_settop(L, L_top(L) - TVALUE_SIZE);
}

// ==== The sealed metatable ====
// The metatable of every proxy (object/userdata.ts proxymetatable): a fixed object, referenced by no
// Lua-visible table.

/** Interns s and fixes it (never collected): the sealed metatable is never traversed by the collector. */
function fixedstr(s: string): usize {
  const ts = luaS_new(s);
  luaC_fix(ts);
  return ts;
}

/**
 * Builds the sealed metatable. It is fixed (luaC_fix: never collected, never traversed), so all it
 * holds must be fixed too: the event names are (vm/tm.ts), "__pairs" and the "ext.table" name are
 * fixed here, and the handlers are light C functions. The registry entry valcodec's vc_init makes
 * for it is removed, so debug.getregistry cannot reach it either.
 */
function newproxymt(L: usize): usize {
  const mt = ltable.luaH_new();
  lua_pushtable(L, mt);
  lua_pushcfunction(L, m_index); lua_rawsetfield(L, -2, "__index");
  lua_pushcfunction(L, m_newindex); lua_rawsetfield(L, -2, "__newindex");
  lua_pushcfunction(L, m_len); lua_rawsetfield(L, -2, "__len");
  fixedstr("__pairs");
  lua_pushcfunction(L, m_pairs); lua_rawsetfield(L, -2, "__pairs");
  setsvalue(L_top(L), fixedstr("ext.table")); incr_top(L); lua_rawsetfield(L, -2, "__name");
  ltable.setflags(mt, 0);
  L_settop(L, L_top(L) - TVALUE_SIZE);
  luaC_fix(mt);
  return mt;
}

/** Drops registry._EXTMT (set by older builds, and kept in their snapshots). */
export function ext_unregistermt(): void {
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_new("_EXTMT"));
  if (ttisnil(ltable.luaH_getstr(registry, tsvalue(k)))) return;
  setnilvalue(v);
  ltable.luaH_set(registry, k, v);
}

/** Opens the library: the sealed metatable, the registry tables, _home/Memory/_io, and `ext`. */
export function luaopen_ext(L: usize): i32 {
  ext_bind(hostbytesptr());     // from now on the host keeps its byte count in the module's view
  setproxymetatable(newproxymt(L));
  vc_init();
  ext_unregistermt();
  luaB_setexternalnext(ext_lnext);
  regnative(ext_lnext, "ext.next");               // natives no table holds (lib/natives.ts)
  regnative(hostfn_tramp, "ext.hostfn");
  regcheck(hostfn_tramp, checkhostfn);
  sethostcollect(sendlive);
  vc_sethostfn(hostfn_tramp);
  setglobalproxy(L, "_home", HOME_ID);
  setglobalproxy(L, "Memory", HOME_ID);
  setglobalproxy(L, "_io", IO_ID);
  luaL_newlib(L, ["table", "size"], [l_table, l_size]);
  return 1;
}
