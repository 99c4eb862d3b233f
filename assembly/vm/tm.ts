// tm.ts - metamethod names, the absent-metamethod cache and metamethod lookup (ltm.c).
// Invariant: tmname[e] holds the interned, fixed "__xxx" string of event e (ORDER TM); a table's
// `flags` byte has bit e set only if the table is known to lack metamethod e (e < TM_EQ+1), and any
// raw store of a key that could be "__…" clears its flags: object/table.ts luaH_set and luaH_finishset
// do it themselves, so natives, the host's decoder and snapshots that build metatables keep the cache
// true (a fast-path store only ever overwrites a non-nil value, whose absence was never cached).

import { luaS_new, getstr, tsslen } from "../object/string";
import { luaC_fix } from "../gc/collect";
import * as ltable from "../object/table";
import {
  ttype, ttistable, ttisfulluserdata, ttisstring, ttisnil, hvalue, uvalue, tsvalue, LUA_TTABLE,
  LUA_TUSERDATA,
} from "../object/value";
import { udata_metatable } from "../object/userdata";
import { G_mt } from "./state";
import { Buffer, buf_addbytes, buf_addstr } from "../mem/buffer";

// ==== Events (ORDER TM) ====
export const enum TM {
  INDEX, NEWINDEX, GC, MODE, LEN, EQ,   // fast-access events (cached in table flags; gc/finalize.ts restates GC's bit, gc/weak.ts MODE's)
  ADD, SUB, MUL, MOD, POW, DIV, IDIV, BAND, BOR, BXOR, SHL, SHR, UNM, BNOT, LT, LE, CONCAT, CALL,
  CLOSE, N,
}

/** Interned names of the events, then of the basic types (for luaT_objtypename); jit/compile.ts reads "__index" here. */
export const tmnames: usize = memory.data(4 * 26);
// @ts-ignore: decorator
@inline export function tmname(e: i32): usize { return load<usize>(tmnames + (<usize>e << 2)); }
let s_name: usize = 0;     // "__name"

/** Interns the event names and fixes them (luaT_init). Call once at state creation. */
export function luaT_init(): void {
  const names = ["__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__add", "__sub", "__mul",
    "__mod", "__pow", "__div", "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__unm", "__bnot",
    "__lt", "__le", "__concat", "__call", "__close"];
  for (let i = 0; i < names.length; i++) {
    const s = luaS_new(names[i]);
    luaC_fix(s);
    store<usize>(tmnames + (<usize>i << 2), s);
  }
  s_name = luaS_new("__name");
  luaC_fix(s_name);
}

/** Metamethod `ename` of table mt, using and updating the absence cache (luaT_gettm). */
export function luaT_gettm(mt: usize, e: i32, ename: usize): usize {
  const tm = ltable.luaH_getshortstr(mt, ename);
  if (ttisnil(tm)) {
    ltable.setflags(mt, ltable.getflags(mt) | (<u8>1 << <u8>e));   // cache the absence
    return 0;
  }
  return tm;
}

/** fasttm: metamethod e (< TM_EQ+1) of metatable mt or 0, checking the cache first. */
// @ts-ignore: decorator
@inline export function fasttm(mt: usize, e: i32): usize {
  if (mt == 0) return 0;
  if ((ltable.getflags(mt) & (<u8>1 << <u8>e)) != 0) return 0;
  return luaT_gettm(mt, e, tmname(e));
}

/** Clears a table's absence cache (after any raw store of a key). */
// @ts-ignore: decorator
@inline export function invalidateTMcache(t: usize): void { ltable.setflags(t, 0); }

/** The metatable of any value, 0 if none. */
export function luaT_getmt(o: usize): usize {
  switch (ttype(o)) {
    case LUA_TTABLE: return ltable.getmetatable(hvalue(o));
    case LUA_TUSERDATA: return udata_metatable(uvalue(o));
    default: return G_mt(ttype(o));
  }
}

/** Metamethod of event e for value o: a TValue pointer (nil-tagged `absentkey` when absent). */
export function luaT_gettmbyobj(o: usize, e: i32): usize {
  const mt = luaT_getmt(o);
  if (mt == 0) return ltable.absentkey;
  return ltable.luaH_getshortstr(mt, tmname(e));
}

/** Metafield by fixed name (used by natives: __tostring, __name, __pairs, __metatable). */
export function luaT_gettmbyobj_name(o: usize, name: string): usize {
  const mt = luaT_getmt(o);
  if (mt == 0) return ltable.absentkey;
  return ltable.luaH_getstr(mt, luaS_new(name));
}

/** Appends the type name of o for messages, honouring a string __name (luaT_objtypename). */
export function luaT_objtypename(o: usize, b: Buffer): void {
  let mt: usize = 0;
  if (ttistable(o)) mt = ltable.getmetatable(hvalue(o));
  else if (ttisfulluserdata(o)) mt = udata_metatable(uvalue(o));
  if (mt != 0) {
    const n = ltable.luaH_getshortstr(mt, s_name);
    if (ttisstring(n)) { buf_addbytes(b, getstr(tsvalue(n)), tsslen(tsvalue(n))); return; }
  }
  buf_addstr(b, typenames(ttype(o)));
}

/** Basic type names (luaT_typenames_). */
export function typenames(t: i32): string {
  switch (t) {
    case 0: return "nil"; case 1: return "boolean"; case 2: return "userdata"; case 3: return "number";
    case 4: return "string"; case 5: return "table"; case 6: return "function"; case 7: return "userdata";
    case 8: return "thread"; default: return "no value";
  }
}
