// extfn.ts - functions in external tables (docs/ABI.md "Functions in external tables"): storing a Lua
// closure records its prototype (a binary chunk of compiler/dump.ts, not stripped) and one host "cell"
// per upvalue; reading the record back loads the chunk (through undump's verifier) into a fresh
// closure whose upvalues are the state's live cells for those cell ids, so closures that shared an
// upvalue when stored share one again when loaded. Natives are stored by their stable name
// (lib/natives.ts), the globals table in a cell by a marker (reconnected to the loading state's).
//
// Registry tables (looked up by name, so whole-state snapshots carry them like any table):
//   _EXTFN     fid → the closure loaded for record fid (reading a record twice gives the same value
//              while that closure lives); weak values
//   _EXTFNID   closure → fid, for loaded closures and for closures already stored (store it again:
//              the same record); weak keys
//   _EXTUV     uvid → a holder of the live cell of uvid, -uvid → the upvalue index in the holder
//   _EXTUVSRC  uvid → a holder of the cell the record was made from, -uvid → the index
// A holder is a copy of the closure (same prototype, same UpVals) that nothing else refers to: it
// keeps the cell alive without keeping the closure, so a closure Lua dropped leaves _EXTFNID and its
// record becomes garbage. An AS map (UpVal address → uvid) indexes both cell tables; the holders keep
// those UpVals alive, so an address in the map is never reused (rebuilt when the tables change:
// restore). Cells hold what was stored (copy semantics, as for tables); the live cells of loaded
// closures are written back to the host by ext_sync (saveState calls it) so a reload continues from
// their values.
// Collection: the records Lua holds a closure of (_EXTFNID's values, fn_listlive) go to the host with
// the live proxies (ext.ts sendlive); the host drops every record and cell nothing reaches, and the
// cells it dropped leave _EXTUV/_EXTUVSRC and the map before the next store or load (prune). A live
// cell stays in _EXTUV while the host holds its cell, even when no loaded closure shares it any more:
// its value is newer than the host's until ext_sync, and a closure loaded later must see it.
// Invariants: never traps on a hostile record (bounds checked here, bytecode verified by undump); a
// failed store registers nothing (pending registrations are committed only after the host accepted
// the value); loading nested records recurses at most MAXLOAD deep.

import { luaC_barrierback, luaC_barrier, luaC_objbarrier } from "../gc/barrier";
import {
  TVALUE_SIZE, ttisnil, ttistable, ttisLclosure, ttislcf, ttisCclosure, ttisinteger, ttisstring, ivalue,
  hvalue, clvalue, fvalue, tsvalue, setobj, sethvalue, setivalue, setclLvalue, setfvalue, setnilvalue, setsvalue,
} from "../object/value";
import * as ltable from "../object/table";
import { luaS_new, getstr, tsslen } from "../object/string";
import { cl_nupvalues, cl_proto, cl_upval, cl_setupval, uv_v, ccl_f } from "../object/func";
import { Buffer, buf_new, buf_free, buf_reset, buf_addbyte, buf_addbytes, buf_addstr } from "../mem/buffer";
import { L_top, L_settop, savestack, restorestack, registry, globaltable, mainthread } from "../vm/state";
import { lua_checkstack, incr_top } from "../vm/api";
import { luaU_dump } from "../compiler/dump";
import { luaU_load } from "../compiler/undump";
import { nativename, nativebyname } from "../lib/natives";
import { ext_newid, ext_fnrec, ext_setcell, ext_hascell } from "../sys/imports";
import { luaF_newLclosure, sizeLclosure } from "../object/func";
import { fits } from "../mem/alloc";
import {
  inbuf, vc_err, vc_fail, vc_decode, vc_consumed, vc_encvalue, vc_encode, put_u32, put_bytes,
  T_LFUNC, T_FUNC, T_NATIVE, T_GLOBALS, T_STR, MODE_STORE,
} from "./valcodec";

/** Deepest chain of stored functions loaded through one another's upvalues. */
const MAXLOAD: i32 = 200;

// ==== Registry tables ====

let t_fn: usize = 0;
let t_fnid: usize = 0;
let t_uv: usize = 0;
let t_uvsrc: usize = 0;
let uvmap: Map<usize, i32> = new Map<usize, i32>();
/** Set when the host dropped cells: prune() runs before the cell tables are used again. */
let prunepending = false;
const keyscratch: usize = memory.data(16);
const valscratch: usize = memory.data(16);
/** A key/value pair for luaH_next where no stack may be used (fn_listlive runs inside `fits`). */
const nextscratch: usize = memory.data(32);

/**
 * registry[name], created if absent; `mode` ("k", "v" or "" for strong) is its __mode, given to a
 * table made by an older build (snapshots of v0.1.0 carry strong ones) as to a new one.
 */
function regtable(name: string, mode: string): usize {
  const k = luaS_new(name);
  const v = ltable.luaH_getstr(registry, k);
  let t: usize;
  if (ttistable(v)) t = hvalue(v);
  else {
    t = ltable.luaH_new();
    setsvalue(keyscratch, k);
    sethvalue(valscratch, t);
    ltable.luaH_set(registry, keyscratch, valscratch);
    luaC_barrierback(0, registry);
  }
  if (mode.length != 0 && ltable.getmetatable(t) == 0) {
    const mt = ltable.luaH_new();
    setsvalue(keyscratch, luaS_new("__mode"));
    setsvalue(valscratch, luaS_new(mode));
    ltable.luaH_set(mt, keyscratch, valscratch);
    ltable.setmetatableptr(t, mt);
    luaC_objbarrier(0, t, mt);
  }
  return t;
}

/** Adds the cells of one uvid → holder table to uvmap. */
function indexcells(L: usize, t: usize): void {
  if (!lua_checkstack(L, 2)) return;
  const off = savestack(L, L_top(L));
  setnilvalue(L_top(L));
  L_settop(L, L_top(L) + 2 * TVALUE_SIZE);
  while (ltable.luaH_next(t, restorestack(L, off)) > 0) {
    const k = restorestack(L, off), v = k + TVALUE_SIZE;
    if (!ttisinteger(k) || ivalue(k) <= 0 || !ttisLclosure(v)) continue;
    const ix = ltable.luaH_getint(t, -ivalue(k));
    if (!ttisinteger(ix)) continue;
    const cl = clvalue(v), i = ivalue(ix);
    if (i >= 0 && i < <i64>cl_nupvalues(cl)) uvmap.set(cl_upval(cl, <i32>i), <i32>ivalue(k));
  }
  L_settop(L, restorestack(L, off));
}

/**
 * Finds (or creates) the registry tables; rebuilds uvmap when they are not the ones seen last, and
 * forgets the cells the host dropped since the last call.
 */
function tables(L: usize): void {
  const a = regtable("_EXTFN", "v"), b = regtable("_EXTFNID", "k"), c = regtable("_EXTUV", ""), d = regtable("_EXTUVSRC", "");
  if (a != t_fn || b != t_fnid || c != t_uv || d != t_uvsrc) {
    t_fn = a; t_fnid = b; t_uv = c; t_uvsrc = d;
    uvmap = new Map<usize, i32>();
    indexcells(L, t_uvsrc);
    indexcells(L, t_uv);
  }
  if (prunepending) {
    prunepending = false;
    prune(L, t_uvsrc);
    prune(L, t_uv);
  }
}

/** After a restore: adopts the restored registry tables (if the snapshot had any) before a collection lists them. */
export function fn_attach(L: usize): void {
  if (!ttisnil(ltable.luaH_getstr(registry, luaS_new("_EXTFNID")))) tables(L);
}

/** Removes from cell table t (and uvmap) every cell the host no longer holds. */
function prune(L: usize, t: usize): void {
  if (!lua_checkstack(L, 2)) { prunepending = true; return; }   // tried again at the next use
  const off = savestack(L, L_top(L));
  setnilvalue(L_top(L));
  L_settop(L, L_top(L) + 2 * TVALUE_SIZE);
  while (ltable.luaH_next(t, restorestack(L, off)) > 0) {
    const k = restorestack(L, off), v = k + TVALUE_SIZE;
    if (!ttisinteger(k) || ivalue(k) <= 0 || ivalue(k) > 0x7FFFFFFF) continue;
    const uvid = <i32>ivalue(k);
    if (ext_hascell(uvid) != 0) continue;
    const ix = ltable.luaH_getint(t, -<i64>uvid);
    if (ttisLclosure(v) && ttisinteger(ix) && ivalue(ix) >= 0 && ivalue(ix) < <i64>cl_nupvalues(clvalue(v))) {
      const uv = cl_upval(clvalue(v), <i32>ivalue(ix));
      if (uvmap.has(uv) && uvmap.get(uv) == uvid) uvmap.delete(uv);
    }
    setnilvalue(valscratch);            // clearing fields during a traversal is allowed (as in Lua)
    ltable.luaH_setint(t, <i64>uvid, valscratch);
    ltable.luaH_setint(t, -<i64>uvid, valscratch);
  }
  L_settop(L, restorestack(L, off));
}

/**
 * Forgets now the cells the host dropped (a full collection from the host API: their holders are then
 * garbage for the next cycle). True when there were some.
 */
export function fn_prune(L: usize): bool {
  if (!prunepending || t_fnid == 0) return false;
  tables(L);
  return true;
}

/** The host dropped records or cells (ext.ts sendlive). */
export function fn_notedropped(): void { prunepending = true; }

/**
 * Appends to b the record id of every closure Lua still holds one for (_EXTFNID's values) and returns
 * how many, or -1 when the list cannot be complete: a store is pending (its new records and cells are
 * not in the tables yet). No allocation, no stack, no collection: called from `fits` (ext.ts sendlive).
 * A closure that died but was not swept yet still counts, which only keeps its record a while longer.
 */
export function fn_listlive(b: Buffer): i32 {
  if (pfncl.length != 0 || puvcl.length != 0) return -1;
  if (t_fnid == 0) return 0;             // nothing was stored or loaded in this state (fn_attach after restore)
  let n = 0;
  setnilvalue(nextscratch);
  while (ltable.luaH_next(t_fnid, nextscratch) > 0) {
    const v = nextscratch + TVALUE_SIZE;
    if (!ttisinteger(v) || ivalue(v) <= 0 || ivalue(v) > 0x7FFFFFFF) continue;
    put_u32(b, <u32>ivalue(v));
    n++;
  }
  return n;
}

/**
 * A holder for the cells of closure cl: a closure of the same prototype sharing its UpVals, which
 * Lua never sees (0 when memory is short). The caller anchors it.
 */
function newholder(cl: usize): usize {
  const nup = cl_nupvalues(cl);
  if (!fits(<u64>sizeLclosure(nup))) return 0;
  const h = luaF_newLclosure(cl_proto(cl), nup);
  for (let i = 0; i < nup; i++) cl_setupval(h, i, cl_upval(cl, i));   // h is new (white): no barrier needed
  return h;
}

function setint(t: usize, k: i64, v: usize): void {
  ltable.luaH_setint(t, k, v);
  luaC_barrierback(0, t);
}

/** Records holder's upvalue i as the cell uvid in table t (_EXTUV or _EXTUVSRC). */
function regcell(t: usize, uvid: i32, holder: usize, i: i32): void {
  const cl = holder;
  setclLvalue(valscratch, cl);
  setint(t, <i64>uvid, valscratch);
  setivalue(valscratch, <i64>i);
  setint(t, -<i64>uvid, valscratch);
  uvmap.set(cl_upval(cl, i), uvid);
}

function regfnid(cl: usize, fid: i32): void {
  setclLvalue(keyscratch, cl);
  setivalue(valscratch, <i64>fid);
  ltable.luaH_set(t_fnid, keyscratch, valscratch);
  luaC_barrierback(0, t_fnid);
}

// ==== Storing ====
// Pending registrations of the store in progress: committed by fn_storecommit once the host accepted
// the value, dropped by the next fn_storebegin otherwise.

let pfn: Map<usize, i32> = new Map<usize, i32>();
let pfncl: usize[] = [];
let pfnid: i32[] = [];
let puv: Map<usize, i32> = new Map<usize, i32>();
let puvcl: usize[] = [];
let puvix: i32[] = [];
let puvid: i32[] = [];
/** The holder of each pending cell (fn_storeprepare), anchored on the storing native's stack. */
let puvholder: usize[] = [];

export function fn_storebegin(): void {
  if (pfncl.length == 0 && puvcl.length == 0) return;
  pfn = new Map<usize, i32>(); pfncl = []; pfnid = [];
  puv = new Map<usize, i32>(); puvcl = []; puvix = []; puvid = []; puvholder = [];
}

/**
 * Makes the holders of the pending cells (one per closure) and pushes them on L's stack, where they
 * stay until fn_storecommit; called after encoding, before the host is asked to store. False when
 * memory is short (nothing was stored yet).
 */
export function fn_storeprepare(L: usize): bool {
  puvholder = [];
  const made = new Map<usize, usize>();   // closure → its holder
  for (let i = 0; i < puvcl.length; i++) {
    const cl = puvcl[i];
    if (made.has(cl)) { puvholder.push(made.get(cl)); continue; }
    if (!lua_checkstack(L, 1)) return false;
    const h = newholder(cl);
    if (h == 0) return false;
    setclLvalue(L_top(L), h);
    incr_top(L);
    made.set(cl, h);
    puvholder.push(h);
  }
  return true;
}

/** Commits the registrations of the store the host just accepted (its holders made by fn_storeprepare). */
export function fn_storecommit(L: usize): void {
  if (pfncl.length == 0 && puvcl.length == 0) return;
  tables(L);
  for (let i = 0; i < pfncl.length; i++) regfnid(pfncl[i], pfnid[i]);
  if (puvholder.length == puvcl.length) {
    for (let i = 0; i < puvcl.length; i++) regcell(t_uvsrc, puvid[i], puvholder[i], puvix[i]);
  }
  fn_storebegin();
}

function addname(b: Buffer, name: string): void {
  put_u32(b, <u32>name.length);
  buf_addstr(b, name);
}

/** Encodes a function value for an external table (valcodec's enc in store mode). */
export function fn_encode(L: usize, b: Buffer, o: usize, depth: i32): bool {
  if (ttislcf(o) || (ttisCclosure(o) && cl_nupvalues(clvalue(o)) == 0)) {
    const name = nativename(ttislcf(o) ? fvalue(o) : ccl_f(clvalue(o)));
    if (name.length == 0) return vc_fail("cannot store a native function without a registered name in an external table");
    buf_addbyte(b, T_NATIVE);
    addname(b, name);
    return true;
  }
  if (!ttisLclosure(o)) {
    const name = nativename(ccl_f(clvalue(o)));
    if (name == "ext.hostfn" || name == "js.method") return vc_fail("cannot store a JS function in an external table");
    return vc_fail(name.length != 0
      ? "cannot store native function '" + name + "' in an external table (it has upvalues)"
      : "cannot store a native function with upvalues in an external table");
  }
  const cl = clvalue(o);
  tables(L);
  let fid: i32 = 0;
  const known = ltable.luaH_get(t_fnid, o);
  if (ttisinteger(known)) fid = <i32>ivalue(known);
  else if (pfn.has(cl)) fid = pfn.get(cl);
  if (fid > 0) { buf_addbyte(b, T_FUNC); put_u32(b, <u32>fid); return true; }
  if (depth >= MAXLOAD) return vc_fail("functions nested too deep to store");
  fid = ext_newid(0);
  if (fid <= 0) return vc_fail("cannot allocate a stored function");
  pfn.set(cl, fid); pfncl.push(cl); pfnid.push(fid);
  buf_addbyte(b, T_LFUNC);
  put_u32(b, <u32>fid);
  const chunk = buf_new();
  const ok = luaU_dump(cl_proto(cl), false, chunk);
  if (ok) put_bytes(b, chunk.ptr, chunk.len);
  buf_free(chunk);
  if (!ok) return vc_fail("not enough memory");
  const nup = cl_nupvalues(cl);
  buf_addbyte(b, nup);
  for (let i = 0; i < nup; i++) {
    const uv = cl_upval(cl, i);
    let uvid: i32 = 0;
    if (uvmap.has(uv)) uvid = uvmap.get(uv);
    else if (puv.has(uv)) uvid = puv.get(uv);
    if (uvid > 0) { put_u32(b, <u32>uvid); buf_addbyte(b, 0); continue; }
    uvid = ext_newid(1);
    if (uvid <= 0) return vc_fail("cannot allocate a stored upvalue");
    puv.set(uv, uvid); puvcl.push(cl); puvix.push(i); puvid.push(uvid);
    put_u32(b, <u32>uvid);
    buf_addbyte(b, 1);
    const v = uv_v(uv);
    if (ttistable(v) && hvalue(v) == globaltable) buf_addbyte(b, T_GLOBALS);
    else if (!vc_encvalue(L, b, v, depth + 1)) return false;
  }
  return true;
}

// ==== Loading ====
// A record read as a value (T_FUNC) is pushed at once when this state already loaded it; otherwise a
// placeholder is pushed and vc_decode loads it after reading all its bytes (fn_resolve), because
// loading asks the host for the record, which overwrites the input buffer being decoded.

let pendoff: i32[] = [];
let pendfid: i32[] = [];
let loaddepth: i32 = 0;

export function fn_pendmark(): i32 { return pendoff.length; }

/** Pushes stored function fid (or a placeholder resolved by fn_resolve). */
export function fn_decodefunc(L: usize, fid: u32): bool {
  tables(L);
  const c = ltable.luaH_getint(t_fn, <i64>fid);
  if (ttisLclosure(c)) { setobj(L_top(L), c); incr_top(L); return true; }
  setnilvalue(L_top(L));
  pendoff.push(savestack(L, L_top(L)));
  pendfid.push(<i32>fid);
  incr_top(L);
  return true;
}

/** Pushes the native named by the n bytes at p. */
export function fn_decodenative(L: usize, p: usize, n: i32): bool {
  let name = "";
  for (let i = 0; i < n; i++) name += String.fromCharCode(<i32>load<u8>(p + <usize>i));
  const f = nativebyname(name);
  if (f == 0) return vc_fail("unknown native function '" + name + "' in an external table");
  setfvalue(L_top(L), f);
  incr_top(L);
  return true;
}

/** Loads the placeholders pushed since mark into their slots; false (vc_err set) on failure. */
export function fn_resolve(L: usize, mark: i32, ok: bool): bool {
  const e = pendoff.length;
  for (let j = mark; j < e && ok; j++) {
    ok = fn_load(L, pendfid[j]);
    if (ok) {
      setobj(restorestack(L, pendoff[j]), L_top(L) - TVALUE_SIZE);
      L_settop(L, L_top(L) - TVALUE_SIZE);
    }
  }
  pendoff.length = mark;
  pendfid.length = mark;
  return ok;
}

/** Copies the host's error value (a string) from the input buffer into vc_err. */
function hosterror(): bool {
  buf_reset(vc_err);
  const p = inbuf.ptr, n = inbuf.len;
  if (n >= 5 && load<u8>(p) == T_STR && <u64>load<u32>(p, 1) <= <u64>(n - 5)) buf_addbytes(vc_err, p + 5, <i32>load<u32>(p, 1));
  else buf_addstr(vc_err, "bad stored function");
  return false;
}

/** Forgets a record whose loading failed, so a later read tries again (and fails the same way). */
function unregister(fid: i32, cl: usize): void {
  setnilvalue(valscratch);
  ltable.luaH_setint(t_fn, <i64>fid, valscratch);
  setclLvalue(keyscratch, cl);
  ltable.luaH_set(t_fnid, keyscratch, valscratch);
}

/** Pushes the closure of stored function fid, loading it from the host if needed. */
function fn_load(L: usize, fid: i32): bool {
  tables(L);
  const c = ltable.luaH_getint(t_fn, <i64>fid);
  if (ttisLclosure(c)) { setobj(L_top(L), c); incr_top(L); return true; }
  if (loaddepth >= MAXLOAD) return vc_fail("stored functions nested too deep");
  if (!lua_checkstack(L, 4)) return vc_fail("stack overflow");
  if (ext_fnrec(fid) < 0) return hosterror();
  const rb = buf_new();                 // the record, copied: loading upvalue values asks the host again
  buf_addbytes(rb, inbuf.ptr, inbuf.len);
  loaddepth++;
  const ok = loadrecord(L, fid, rb);
  loaddepth--;
  buf_free(rb);
  return ok;
}

/** Record: u32 len + chunk, u8 nup, nup × (u32 uvid, cell value or T_GLOBALS). Pushes the closure. */
function loadrecord(L: usize, fid: i32, rb: Buffer): bool {
  let p = rb.ptr;
  const e = rb.ptr + <usize>rb.len;
  if (e - p < 4) return vc_fail("bad stored function (truncated)");
  const clen = <usize>load<u32>(p); p += 4;
  if (clen == 0 || clen > e - p) return vc_fail("bad stored function (truncated)");
  if (load<u8>(p) != 0x1B) return vc_fail("bad stored function (not a binary chunk)");
  const topoff = savestack(L, L_top(L));
  if (luaU_load(L, p, <i32>clen, luaS_new("=stored function")) != 1) {
    const m = L_top(L) - TVALUE_SIZE;
    buf_reset(vc_err);
    if (ttisstring(m)) buf_addbytes(vc_err, getstr(tsvalue(m)), tsslen(tsvalue(m)));
    else buf_addstr(vc_err, "bad stored function");
    L_settop(L, restorestack(L, topoff));
    return false;
  }
  p += clen;
  const cl = clvalue(restorestack(L, topoff));
  if (p >= e || <i32>load<u8>(p) != cl_nupvalues(cl)) {
    L_settop(L, restorestack(L, topoff));
    return vc_fail("bad stored function (upvalue count)");
  }
  p++;
  // the holder of this closure's new cells, anchored above it until the record is loaded
  const holder = newholder(cl);
  if (holder == 0) { L_settop(L, restorestack(L, topoff)); return vc_fail("not enough memory"); }
  setclLvalue(L_top(L), holder);
  incr_top(L);
  setclLvalue(valscratch, cl);
  setint(t_fn, <i64>fid, valscratch);
  regfnid(cl, fid);
  const nup = cl_nupvalues(cl);
  for (let i = 0; i < nup; i++) {
    if (e - p < 5) { unregister(fid, cl); L_settop(L, restorestack(L, topoff)); return vc_fail("bad stored function (truncated)"); }
    const uvid = load<u32>(p); p += 4;
    if (uvid == 0 || uvid > 0x7FFFFFFF) { unregister(fid, cl); L_settop(L, restorestack(L, topoff)); return vc_fail("bad stored function (upvalue id)"); }
    // the live cell of uvid if another loaded closure has it, else this closure's fresh one becomes it
    let shared = false;
    const h = ltable.luaH_getint(t_uv, <i64>uvid);
    const hx = ltable.luaH_getint(t_uv, -<i64>uvid);
    if (ttisLclosure(h) && ttisinteger(hx) && ivalue(hx) >= 0 && ivalue(hx) < <i64>cl_nupvalues(clvalue(h))) {
      const uv = cl_upval(clvalue(h), <i32>ivalue(hx));
      cl_setupval(cl, i, uv);
      luaC_objbarrier(L, cl, uv);
      cl_setupval(holder, i, uv);         // the holder mirrors cl (it may be called through the registry)
      luaC_objbarrier(L, holder, uv);
      shared = true;
    } else {
      regcell(t_uv, <i32>uvid, holder, i);
    }
    const uv = cl_upval(cl, i);
    if (load<u8>(p) == T_GLOBALS) {
      p++;
      if (!shared) { sethvalue(uv_v(uv), globaltable); luaC_objbarrier(L, uv, globaltable); }
      continue;
    }
    if (!vc_decode(L, p, <i32>(e - p), 1)) { unregister(fid, cl); L_settop(L, restorestack(L, topoff)); return false; }
    p += <usize>vc_consumed(p);
    const v = L_top(L) - TVALUE_SIZE;
    if (!shared) { setobj(uv_v(uv), v); luaC_barrier(L, uv, v); }
    L_settop(L, v);
  }
  if (p != e) { unregister(fid, cl); L_settop(L, restorestack(L, topoff)); return vc_fail("bad stored function (trailing bytes)"); }
  L_settop(L, restorestack(L, topoff) + TVALUE_SIZE);   // the closure stays pushed; the holder is registered
  return true;
}

// ==== Writing live cells back (saveState) ====

const syncbuf: Buffer = buf_new();

/**
 * Sends the current value of every live cell to the host (ext_setcell), so a save records where the
 * loaded closures are. 0, or 1 with the message in ext_sync_msg_ptr/len.
 */
export function fn_sync(): i32 {
  const L = mainthread;
  tables(L);
  if (!lua_checkstack(L, 3)) { vc_fail("stack overflow"); return 1; }
  const off = savestack(L, L_top(L));
  setnilvalue(L_top(L));
  L_settop(L, L_top(L) + 2 * TVALUE_SIZE);
  let st = 0;
  while (ltable.luaH_next(t_uv, restorestack(L, off)) > 0) {
    const k = restorestack(L, off), h = k + TVALUE_SIZE;
    if (!ttisinteger(k) || ivalue(k) <= 0 || !ttisLclosure(h)) continue;
    const ix = ltable.luaH_getint(t_uv, -ivalue(k));
    const cl = clvalue(h);
    if (!ttisinteger(ix) || ivalue(ix) < 0 || ivalue(ix) >= <i64>cl_nupvalues(cl)) continue;
    const uvid = <i32>ivalue(k);
    const v = uv_v(cl_upval(cl, <i32>ivalue(ix)));
    buf_reset(syncbuf);
    if (ttistable(v) && hvalue(v) == globaltable) buf_addbyte(syncbuf, T_GLOBALS);
    else {
      setobj(L_top(L), v);                // on the stack: vc_encode reads from there
      incr_top(L);
      const ok = vc_encode(L, syncbuf, savestack(L, L_top(L) - TVALUE_SIZE), 1, MODE_STORE, false);
      L_settop(L, L_top(L) - TVALUE_SIZE);
      if (!ok) { st = 1; break; }
    }
    const mark = savestack(L, L_top(L));
    if (!fn_storeprepare(L)) { vc_fail("not enough memory"); st = 1; break; }
    const r = ext_setcell(uvid, syncbuf.ptr, syncbuf.len);
    if (r == -3) { vc_fail("not enough memory"); st = 1; break; }   // the host refused: past the memory limit
    if (r < 0) { hosterror(); st = 1; break; }
    fn_storecommit(L);
    L_settop(L, restorestack(L, mark));  // the holders are registered
  }
  L_settop(L, restorestack(L, off));
  return st;
}

export function ext_sync_msg_ptr(): usize { return vc_err.ptr; }
export function ext_sync_msg_len(): i32 { return vc_err.len; }
