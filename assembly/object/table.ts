// table.ts - Lua tables: an array part plus a chained scatter hash with Brent's variation (ltable.c).
//
// ╒══════════════════ Table layout (wasm32) ══════════════════╕
// │ GCHeader: next | tt | marked                              │ 0..5
// │ flags: u8     absent-metamethod cache (bit set = absent)  │ 6
// │ lsizenode: u8 log2 of the number of hash nodes            │ 7
// │ asize: u32    length of the array part                    │ 8
// │ array → TValue[asize]                                     │ 12
// │ node → Node[1 << lsizenode]  (dummynode when empty)       │ 16
// │ lastfree → Node  free positions are below it              │ 20
// │ metatable → Table | 0                                     │ 24
// │ gclist       collector's gray-list link                   │ 28
// │ alimit: u32   hint for `#t` (PUC's alimit), <= asize      │ 32
// │ inl: u32      bytes of parts allocated inline after it    │ 36
// └───────────────────────────────────────────────────────────┘
// ╒════════ Node (32 bytes) ════════╕
// │ val: TValue; val.extra = next   │ 0   next = offset in nodes to the next node of the chain
// │ key: TValue                      │ 16
// └──────────────────────────────────┘
// Invariant: a node not in its main position implies the colliding node is in its own main position
// (Brent); keys are normalised (a float with an integer value is stored as that integer) so that 1
// and 1.0 are the same key, while 1 and "1" are different keys.
//
// The length hint. `#t` may return any border, and lua5.4 is our oracle byte for byte, so we choose
// the border PUC Lua 5.4 chooses. PUC keeps one field, 'alimit', that is both the array size and a
// hint where luaH_getn starts looking (a flag says which; the real size is then the next power of 2).
// We keep the real size in `asize`, which every array access uses, and PUC's hint beside it in
// `alimit`, moved exactly where PUC moves it: luaH_getn lowers or raises it to the border it found,
// an integer lookup past it but inside the array raises it to that key (luaH_getint: PUC's fast path
// stops at the hint), and a rehash or resize resets it to the size. Invariant: alimit == asize, or
// asize is a power of 2 and asize/2 < alimit < asize (PUC's "not the real size" state; alimit ==
// asize there is the same state as PUC's real size, since it then derives the same size and border).
// Snapshots do not save the hint: a restored table starts with alimit == asize, as after a resize.
//
// Inline parts. A table made by a constructor of known small size (`{l, r}`, `{x = 1, y = 2}`:
// luaH_newsized) gets its array part and hash part in the same block as the header, right after
// it (array first), `inl` bytes in all: one allocation and one free instead of three, and the parts
// sit next to the header for the collector's traversal. A later resize always allocates the new
// parts on their own and leaves the inline bytes unused (still counted) until the table is freed,
// except that an inline array grows in place into room left after it (one slot of slack for a
// one-item array constructor, whose last item may be a call adding a value: `{x, f()}`).
// Invariant: a part is inline iff its pointer lies inside [t, t + TABLE_SIZE + inl); only the
// resize and free paths care (they must not free an inline part on its own).

import {
  TVALUE_SIZE, LUA_VNUMINT, LUA_VNUMFLT, LUA_VSHRSTR, LUA_VLNGSTR, LUA_VFALSE, LUA_VTRUE,
  LUA_VLCF, LUA_VLIGHTUSERDATA, LUA_VABSTKEY,
  rawtt, ttisnil, ttisinteger, ttisfloat, ttisshrstring, ivalue, fltvalue, gcvalue, tsvalue,
  setobj, setobjkeepextra, setnilvalue, setempty, setivalue, getextra, setextra, rawpayload, isempty,
  iscollectable, LUA_TDEADKEY,
} from "./value";
import { luaM_alloc, luaM_free, luaM_freeobj, fits, zerobytes } from "../mem/alloc";
import { DEBUG } from "../luaconf";
import { newobj, newobjraw } from "../gc/collect";
import { strhash, luaS_hashlongstr, luaS_eqstr, isshrstr } from "./string";

// @ts-ignore: decorator
@inline export const VTABLE_TT: u8 = 5;
// @ts-ignore: decorator
@inline export const TABLE_SIZE: usize = 40;
// @ts-ignore: decorator
@inline export const NODE_SIZE: usize = 32;
/** Byte offsets for the code generator (jit/compile.ts emits the loads luaH_getshortstr and
 *  luaH_getint's array fast path do): the table's fields, a node's key and chain link. */
// @ts-ignore: decorator
@inline export const T_FLAGS_OFFSET: u32 = 6;
// @ts-ignore: decorator
@inline export const T_LSIZENODE_OFFSET: u32 = 7;
// @ts-ignore: decorator
@inline export const T_ASIZE_OFFSET: u32 = 8;
// @ts-ignore: decorator
@inline export const T_ARRAY_OFFSET: u32 = 12;
// @ts-ignore: decorator
@inline export const T_NODE_OFFSET: u32 = 16;
// @ts-ignore: decorator
@inline export const T_METATABLE_OFFSET: u32 = 24;
// @ts-ignore: decorator
@inline export const T_ALIMIT_OFFSET: u32 = 32;
// @ts-ignore: decorator
@inline export const NODE_NEXT_OFFSET: u32 = 4;
// @ts-ignore: decorator
@inline export const NODE_KEY_OFFSET: u32 = 16;
/** Largest array part: 2^MAXABITS slots. */
// @ts-ignore: decorator
@inline const MAXABITS: i32 = 26;
// @ts-ignore: decorator
@inline const MAXASIZE: u32 = 1 << MAXABITS;
/** Largest hash part: 2^MAXHBITS nodes. */
// @ts-ignore: decorator
@inline const MAXHBITS: i32 = 26;

/** Results of luaH_set/newkey that the caller turns into Lua errors. */
// @ts-ignore: decorator
@inline export const SET_OK: i32 = 0;
// @ts-ignore: decorator
@inline export const SET_KEYNIL: i32 = 1;       // "index is nil"
// @ts-ignore: decorator
@inline export const SET_KEYNAN: i32 = 2;       // "index is NaN"
// @ts-ignore: decorator
@inline export const SET_NOMEM: i32 = 3;        // "not enough memory"

// ==== Static sentinels ====
/** The value returned by lookups of missing keys (tag VABSTKEY). */
export const absentkey: usize = memory.data<u8>([<u8>LUA_VABSTKEY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The single shared node of tables without a hash part (never written). */
export const dummynode: usize = memory.data<u8>([
  16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    // val: VEMPTY, next 0
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);   // key: nil

// ==== Field access ====
// @ts-ignore: decorator
@inline export function getflags(t: usize): u8 { return load<u8>(t, 6); }
// @ts-ignore: decorator
@inline export function setflags(t: usize, f: u8): void { store<u8>(t, f, 6); }
// @ts-ignore: decorator
@inline export function lsizenode(t: usize): u8 { return load<u8>(t, 7); }
// @ts-ignore: decorator
@inline export function asize(t: usize): u32 { return load<u32>(t, 8); }
// @ts-ignore: decorator
@inline export function arrayptr(t: usize): usize { return load<usize>(t, 12); }
// @ts-ignore: decorator
@inline export function nodeptr(t: usize): usize { return load<usize>(t, 16); }
// @ts-ignore: decorator
@inline function lastfree(t: usize): usize { return load<usize>(t, 20); }
// @ts-ignore: decorator
@inline function setlastfree(t: usize, n: usize): void { store<usize>(t, n, 20); }
// @ts-ignore: decorator
@inline export function getmetatable(t: usize): usize { return load<usize>(t, 24); }
// @ts-ignore: decorator
@inline export function setmetatableptr(t: usize, mt: usize): void { store<usize>(t, mt, 24); }
// @ts-ignore: decorator
@inline export function gclist(t: usize): usize { return load<usize>(t, 28); }
// @ts-ignore: decorator
@inline export function setgclist(t: usize, g: usize): void { store<usize>(t, g, 28); }
/** The length hint (PUC's alimit): where luaH_getn starts; see the header. */
// @ts-ignore: decorator
@inline export function alimit(t: usize): u32 { return load<u32>(t, 32); }
// @ts-ignore: decorator
@inline function setalimit(t: usize, n: u32): void { store<u32>(t, n, 32); }
// @ts-ignore: decorator
@inline export function sizenode(t: usize): i32 { return 1 << <i32>lsizenode(t); }
// @ts-ignore: decorator
@inline export function isdummy(t: usize): bool { return nodeptr(t) == dummynode; }
/** Number of hash nodes actually allocated (0 for the dummy). */
// @ts-ignore: decorator
@inline export function allocsizenode(t: usize): i32 { return isdummy(t) ? 0 : sizenode(t); }

// ==== Node access ====
// @ts-ignore: decorator
@inline export function gnode(t: usize, i: i32): usize { return nodeptr(t) + (<usize>i << 5); }
// @ts-ignore: decorator
@inline export function gval(n: usize): usize { return n; }
// @ts-ignore: decorator
@inline export function gkey(n: usize): usize { return n + 16; }
// @ts-ignore: decorator
@inline function gnext(n: usize): i32 { return getextra(n); }
// @ts-ignore: decorator
@inline function setgnext(n: usize, x: i32): void { setextra(n, x); }
/** Slot of array index i (0-based). */
// @ts-ignore: decorator
@inline export function arrayslot(t: usize, i: u32): usize { return arrayptr(t) + (<usize>i << 4); }

/** Bytes of parts allocated inline with the header (see the header comment). */
// @ts-ignore: decorator
@inline function inlbytes(t: usize): usize { return load<u32>(t, 36); }
/** Whether part pointer p lies in t's own block (an inline part, never freed on its own). */
// @ts-ignore: decorator
@inline function isinline(t: usize, p: usize): bool { return p - t < TABLE_SIZE + inlbytes(t); }

/** Total bytes held by a table (object + parts), for the collector's accounting. */
export function tablesize(t: usize): usize {
  let n = TABLE_SIZE + inlbytes(t);
  if (asize(t) > 0 && !isinline(t, arrayptr(t))) n += <usize>asize(t) << 4;
  if (!isdummy(t) && !isinline(t, nodeptr(t))) n += <usize>sizenode(t) << 5;
  return n;
}

// ==== Creation and destruction ====

/** A new empty table (luaH_new). */
export function luaH_new(): usize {
  const t = newobj(VTABLE_TT, TABLE_SIZE);
  setflags(t, 0xFF);          // no metatable: every metamethod absent
  store<u32>(t, 0, 8);
  setalimit(t, 0);
  store<usize>(t, 0, 12);
  store<u8>(t, 0, 7);
  store<usize>(t, dummynode, 16);
  setlastfree(t, 0);
  return t;
}

/** Largest inline parts (bytes): 16 array slots, or 8 nodes, or a mix. */
// @ts-ignore: decorator
@inline const MAXINLINE: u32 = 256;

/**
 * A new table with room for `na` array slots and `nh` hash entries (OP_NEWTABLE: luaH_new followed
 * by luaH_resize). Small parts are allocated inline with the header (see the header comment). The
 * caller checks the memory limit first (canresize), as for luaH_resize.
 */
export function luaH_newsized(na: u32, nh: u32): usize {
  if (na == 0 && nh == 0) return luaH_new();
  if (na > MAXINLINE >> 4 || nh > MAXINLINE >> 5) {       // (tested first: no overflow below)
    const t = luaH_new();
    luaH_resize(t, na, nh);
    return t;
  }
  const lsize = nh == 0 ? 0 : ceillog2(nh);
  const hbytes: u32 = nh == 0 ? 0 : (<u32>1 << <u32>lsize) << 5;
  if ((na << 4) + hbytes > MAXINLINE) {
    const t = luaH_new();
    luaH_resize(t, na, nh);
    return t;
  }
  // a one-item array constructor gets one slot of room: `{x, f()}` counts only x, and OP_SETLIST
  // then grows the array in place (luaH_resize) when f returns one value (binary trees, pairs).
  // Longer ones get none: in `{1, 2, 3}` the slot would be 16 bytes counted for nothing.
  const slack: u32 = nh == 0 && na == 1 ? 16 : 0;
  const inl = (na << 4) + hbytes + slack;
  const t = newobjraw(VTABLE_TT, TABLE_SIZE + <usize>inl);
  setflags(t, 0xFF);          // no metatable: every metamethod absent
  store<u32>(t, na, 8);
  setalimit(t, na);
  store<u32>(t, inl, 36);
  store<usize>(t, 0, 24);     // metatable
  store<usize>(t, 0, 28);     // gclist
  const arr = t + TABLE_SIZE;
  store<usize>(t, na == 0 ? 0 : arr, 12);
  for (let i: u32 = 0; i < na; i++) setempty(arr + (<usize>i << 4));
  if (nh == 0) {
    store<u8>(t, 0, 7);
    store<usize>(t, dummynode, 16);
    setlastfree(t, 0);
  } else {
    const p = arr + (<usize>na << 4);
    const n = 1 << lsize;
    for (let i = 0; i < n; i++) {
      const nd = p + (<usize>i << 5);
      setempty(nd); setgnext(nd, 0);
      setnilvalue(nd + 16);
    }
    store<u8>(t, <u8>lsize, 7);
    store<usize>(t, p, 16);
    setlastfree(t, p + (<usize>n << 5));   // all positions are free
  }
  return t;
}

/** Frees a table and its parts (called by the sweeper, inlined there). */
// @ts-ignore: decorator
@inline export function luaH_free(t: usize): void {
  if (asize(t) > 0 && !isinline(t, arrayptr(t))) luaM_free(arrayptr(t), <usize>asize(t) << 4);
  if (!isdummy(t) && !isinline(t, nodeptr(t))) luaM_free(nodeptr(t), <usize>sizenode(t) << 5);
  luaM_freeobj(t, TABLE_SIZE + inlbytes(t));
}

// ==== Hashing ====

/** Integer keys: modulo an odd number so that all bits matter (hashint). */
// @ts-ignore: decorator
@inline function hashint(t: usize, i: i64): usize {
  const ui = <u64>i;
  const m = <u64>((sizenode(t) - 1) | 1);
  return gnode(t, <i32>(ui % m));
}

/** Float keys (l_hashfloat): mix the mantissa and exponent into an integer. */
function hashfloat(n: f64): u32 {
  if (!isFinite(n)) return 0;
  // frexp: n = m * 2^e with 0.5 <= |m| < 1
  const bits = reinterpret<u64>(n);
  let e = <i32>((bits >> 52) & 0x7FF);
  let m: f64;
  if (e == 0) {
    if (n == 0) return 0;
    const nn = n * 18014398509481984.0;   // 2^54 to normalise subnormals
    const b2 = reinterpret<u64>(nn);
    e = <i32>((b2 >> 52) & 0x7FF) - 54;
    m = reinterpret<f64>((b2 & 0x800FFFFFFFFFFFFF) | 0x3FE0000000000000);
  } else {
    m = reinterpret<f64>((bits & 0x800FFFFFFFFFFFFF) | 0x3FE0000000000000);
  }
  e = e - 1022;
  const mi = -(m * -2147483648.0);   // m * -(INT_MIN) as in PUC
  const ni = <i64>mi;
  const u = <u32>e + <u32>ni;
  return u <= <u32>0x7FFFFFFF ? u : ~u;
}

// @ts-ignore: decorator
@inline function hashpow2(t: usize, h: u32): usize { return gnode(t, <i32>(h & <u32>(sizenode(t) - 1))); }
// @ts-ignore: decorator
@inline function hashmod(t: usize, h: u32): usize { return gnode(t, <i32>(h % <u32>((sizenode(t) - 1) | 1))); }

/** The main position of a key (mainpositionTV): where it goes if there is no collision. */
function mainposition(t: usize, key: usize): usize {
  const tt = rawtt(key);
  switch (tt) {
    case LUA_VNUMINT: return hashint(t, ivalue(key));
    case LUA_VNUMFLT: return hashmod(t, hashfloat(fltvalue(key)));
    case LUA_VSHRSTR: return hashpow2(t, strhash(tsvalue(key)));
    case LUA_VLNGSTR: return hashpow2(t, luaS_hashlongstr(tsvalue(key)));
    case LUA_VFALSE: return hashpow2(t, 0);
    case LUA_VTRUE: return hashpow2(t, 1);
    default: {
      // light userdata, light natives and every collectable object hash by their pointer/index
      const p = <u32>rawpayload(key);
      return hashmod(t, p);
    }
  }
}

/** Raw equality of two keys as stored in nodes (equalkey); `deadok` compares dead keys by pointer. */
function equalkey(k1: usize, n2key: usize): bool {
  const t1 = rawtt(k1), t2 = rawtt(n2key);
  if (t1 != t2) return false;   // dead keys never equal a live key here
  switch (t1) {
    case LUA_VNUMINT: return ivalue(k1) == ivalue(n2key);
    case LUA_VNUMFLT: return fltvalue(k1) == fltvalue(n2key);
    case LUA_VLNGSTR: return luaS_eqstr(tsvalue(k1), tsvalue(n2key));
    case LUA_VFALSE: case LUA_VTRUE: return true;
    default: return rawpayload(k1) == rawpayload(n2key);
  }
}

/** Like equalkey, but a dead key (collected object) matches its old pointer: used by `next`. */
function equalkeydeadok(k1: usize, n2key: usize): bool {
  if (rawtt(n2key) == LUA_TDEADKEY) return iscollectable(k1) && rawpayload(k1) == rawpayload(n2key);
  return equalkey(k1, n2key);
}

// ==== Lookup ====

/**
 * t[key] for an integer key (luaH_getint). The array test is split at the length hint as in PUC,
 * whose VM fast path covers keys up to its hint only and sends the others here: a key past the hint
 * but inside the array moves the hint to it ("#t is probably here now"). Every integer-key access
 * (the VM's GETI/GETTABLE/SETI/SETTABLE, lua_geti/lua_seti, rawget/rawset, ipairs) comes through
 * here, so ours moves it on the same accesses. With no hint below the size (the usual case) the
 * first test is the whole array test, as before. Inlined: the VM's integer-key fast paths call it,
 * and binaryen stops inlining it by itself once it holds the hint test.
 */
// @ts-ignore: decorator
@inline export function luaH_getint(t: usize, key: i64): usize {
  const k1 = <u64>(key - 1);
  if (k1 < <u64>alimit(t)) return arrayslot(t, <u32>k1);
  if (k1 < <u64>asize(t)) {                       // inside the array, past the hint
    setalimit(t, <u32>key);
    return arrayslot(t, <u32>k1);
  }
  let n = hashint(t, key);
  for (;;) {
    const k = gkey(n);
    if (rawtt(k) == LUA_VNUMINT && ivalue(k) == key) return gval(n);
    const nx = gnext(n);
    if (nx == 0) return absentkey;
    n += <usize>(<isize>nx << 5);
  }
  return absentkey;   // unreachable
}

/** Whether node key `k` is the short string `key` (pointer equality suffices): one test, no `&&`. */
// @ts-ignore: decorator
@inline function isshrkey(k: usize, key: usize): bool {
  return ((rawtt(k) ^ LUA_VSHRSTR) | <i32>(tsvalue(k) ^ key)) == 0;
}

/**
 * t[key] for a short string key (luaH_getshortstr). The key's main position is tested inline (the
 * usual hit); its collision chain is walked out of line, so the VM's field accesses hold no loop
 * (V8 puts a stack check on every wasm loop).
 */
// @ts-ignore: decorator
@inline export function luaH_getshortstr(t: usize, key: usize): usize {
  const n = hashpow2(t, strhash(key));
  if (isshrkey(gkey(n), key)) return gval(n);
  return getshortstrchain(n, key);
}

/** luaH_getshortstr past the main position: the rest of the chain from node `n`. */
function getshortstrchain(n: usize, key: usize): usize {
  for (;;) {
    const nx = gnext(n);
    if (nx == 0) return absentkey;
    n += <usize>(<isize>nx << 5);
    if (isshrkey(gkey(n), key)) return gval(n);
  }
  return absentkey;   // unreachable
}

/** Generic lookup for keys that are not integers or short strings (getgeneric). */
function getgeneric(t: usize, key: usize): usize {
  let n = mainposition(t, key);
  for (;;) {
    if (equalkey(key, gkey(n))) return gval(n);
    const nx = gnext(n);
    if (nx == 0) return absentkey;
    n += <usize>(<isize>nx << 5);
  }
  return absentkey;   // unreachable
}

/** t[key] for a string key of either kind (luaH_getstr). */
export function luaH_getstr(t: usize, key: usize): usize {
  if (isshrstr(key)) return luaH_getshortstr(t, key);
  const tmp = memory.data(16);
  store<i32>(tmp, LUA_VLNGSTR);
  store<usize>(tmp, key, 8);
  return getgeneric(t, tmp);
}

/** If a float has an exact integer value, that integer; used to normalise keys. */
// @ts-ignore: decorator
@inline function floatisint(f: f64, out: usize): bool {
  if (f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
    const i = <i64>f;
    if (<f64>i == f) { store<i64>(out, i); return true; }
  }
  return false;
}

/** t[key] for any key (luaH_get). Returns a value slot or `absentkey`. */
export function luaH_get(t: usize, key: usize): usize {
  switch (rawtt(key)) {
    case LUA_VSHRSTR: return luaH_getshortstr(t, tsvalue(key));
    case LUA_VNUMINT: return luaH_getint(t, ivalue(key));
    case LUA_VNUMFLT: {
      const tmp = memory.data(8);
      if (floatisint(fltvalue(key), tmp)) return luaH_getint(t, load<i64>(tmp));
      return getgeneric(t, key);
    }
    default:
      if (ttisnil(key)) return absentkey;
      return getgeneric(t, key);
  }
}

// ==== Resizing (rehash) ====

/** Counts integer keys in the array part by slices of powers of 2 (numusearray). */
function numusearray(t: usize, nums: usize): u32 {
  let ause: u32 = 0;
  let i: u32 = 1;
  const asz = asize(t);
  let ttlg: u32 = 1;
  for (let lg = 0; lg <= MAXABITS; lg++, ttlg <<= 1) {
    let lc: u32 = 0;
    let lim = ttlg;
    if (lim > asz) {
      lim = asz;
      if (i > lim) break;
    }
    for (; i <= lim; i++) {
      if (!isempty(arrayslot(t, i - 1))) lc++;
    }
    store<u32>(nums + (<usize>lg << 2), load<u32>(nums + (<usize>lg << 2)) + lc);
    ause += lc;
  }
  return ause;
}

/** ceil(log2(x)) for x >= 1. */
// @ts-ignore: decorator
@inline function ceillog2(x: u64): i32 { return x <= 1 ? 0 : 64 - <i32>clz<u64>(x - 1); }

/** Adds an integer key to the slice counters if it is a candidate for the array part (countint). */
function countint(key: i64, nums: usize): i32 {
  if (key > 0 && <u64>key <= <u64>MAXASIZE) {
    const lg = ceillog2(<u64>key);
    store<u32>(nums + (<usize>lg << 2), load<u32>(nums + (<usize>lg << 2)) + 1);
    return 1;
  }
  return 0;
}

/** Counts keys in the hash part (numusehash); returns total, adds array candidates to *na. */
function numusehash(t: usize, nums: usize, pna: usize): i32 {
  let totaluse = 0, ause = 0;
  let i = sizenode(t);
  while (i-- > 0) {
    const n = gnode(t, i);
    if (!isempty(gval(n))) {
      if (rawtt(gkey(n)) == LUA_VNUMINT) ause += countint(ivalue(gkey(n)), nums);
      totaluse++;
    }
  }
  store<i32>(pna, load<i32>(pna) + ause);
  return totaluse;
}

/** Optimal array size: largest n such that more than half of 1..n are in use (computesizes). */
function computesizes(nums: usize, pna: usize): u32 {
  let a: u32 = 0, na: u32 = 0, optimal: u32 = 0;
  const total = <u32>load<i32>(pna);
  let twotoi: u32 = 1;
  for (let i = 0; twotoi > 0 && total > twotoi / 2; i++, twotoi <<= 1) {
    a += load<u32>(nums + (<usize>i << 2));
    if (a > twotoi / 2) { optimal = twotoi; na = a; }
  }
  store<i32>(pna, <i32>na);
  return optimal;
}

/** Allocates a fresh hash part of at least `size` nodes (setnodevector). */
function setnodevector(t: usize, size: u32): void {
  if (size == 0) {
    store<usize>(t, dummynode, 16);
    store<u8>(t, 0, 7);
    setlastfree(t, 0);
  } else {
    const lsize = ceillog2(size);
    const n = 1 << lsize;
    const p = luaM_alloc(<usize>n << 5);
    for (let i = 0; i < n; i++) {
      const nd = p + (<usize>i << 5);
      setempty(nd); setgnext(nd, 0);
      setnilvalue(nd + 16);
    }
    store<usize>(t, p, 16);
    store<u8>(t, <u8>lsize, 7);
    setlastfree(t, p + (<usize>n << 5));   // all positions are free
  }
}

/** Resizes both parts and reinserts every entry (luaH_resize). */
export function luaH_resize(t: usize, newasize: u32, nhsize: u32): void {
  const oldasize = asize(t);
  const oldnode = nodeptr(t);
  const oldhsize = allocsizenode(t);
  const oldarray = arrayptr(t);
  // an inline array grows in place while its block has room after it: the slack luaH_newsized
  // leaves, or the room of an inline hash part that moved out before (not this one: the old nodes
  // are read below), as OP_SETLIST needs for `{x, f()}`
  const inplace = oldasize > 0 && newasize >= oldasize && isinline(t, oldarray) &&
    <usize>newasize << 4 <= (isinline(t, oldnode) ? oldnode : t + TABLE_SIZE + inlbytes(t)) - oldarray;
  if (inplace && nhsize == 0 && oldhsize == 0) {  // OP_SETLIST's common case: only the array grows
    for (let i = oldasize; i < newasize; i++) setempty(oldarray + (<usize>i << 4));
    store<u32>(t, newasize, 8);
    setalimit(t, newasize);
    return;
  }
  setnodevector(t, nhsize);
  // new array part
  let newarray: usize = 0;
  if (inplace) {
    newarray = oldarray;
    for (let i = oldasize; i < newasize; i++) setempty(newarray + (<usize>i << 4));
  } else if (newasize > 0) {
    newarray = luaM_alloc(<usize>newasize << 4);
    const keep = newasize < oldasize ? newasize : oldasize;
    if (keep > 0) memory.copy(newarray, oldarray, <usize>keep << 4);
    for (let i = keep; i < newasize; i++) setempty(newarray + (<usize>i << 4));
  }
  store<usize>(t, newarray, 12);
  store<u32>(t, newasize, 8);
  setalimit(t, newasize);                         // a resized table has no hint below its size
  // vanishing slice of the old array goes to the hash part
  for (let i = newasize; i < oldasize; i++) {
    const v = oldarray + (<usize>i << 4);
    if (!isempty(v)) {
      const k = memory.data(16);
      setivalue(k, <i64>i + 1);
      luaH_setnew(t, k, v);
    }
  }
  if (oldasize > 0 && !inplace && !isinline(t, oldarray)) luaM_free(oldarray, <usize>oldasize << 4);
  // reinsert old hash entries
  for (let j = 0; j < oldhsize; j++) {
    const old = oldnode + (<usize>j << 5);
    if (!isempty(gval(old))) reinsert(t, gkey(old), gval(old));
  }
  if (oldhsize > 0 && !isinline(t, oldnode)) luaM_free(oldnode, <usize>oldhsize << 5);
}

/** Puts an entry of the old hash part into the resized table: array part if its key fits there. */
function reinsert(t: usize, key: usize, val: usize): void {
  if (rawtt(key) == LUA_VNUMINT && <u64>(ivalue(key) - 1) < <u64>asize(t)) {
    setobjkeepextra(arrayslot(t, <u32>(ivalue(key) - 1)), val);
  } else luaH_setnew(t, key, val);
}

/**
 * Rehash because `ek` does not fit: counts keys and picks new sizes (rehash). Returns false, leaving
 * the table as it was, when the new parts would pass the memory limit (the caller reports SET_NOMEM:
 * the allocation happens outside a safe point, so it cannot collect first).
 */
function rehash(t: usize, ek: usize): bool {
  setalimit(t, asize(t));   // PUC forgets the hint before counting, even when the resize then fails
  const nums = memory.data(4 * (MAXABITS + 1));
  zerobytes(nums, 4 * (MAXABITS + 1));
  const pna = memory.data(4);
  let na = numusearray(t, nums);
  let totaluse = <i32>na;
  store<i32>(pna, <i32>na);
  totaluse += numusehash(t, nums, pna);
  if (rawtt(ek) == LUA_VNUMINT) store<i32>(pna, load<i32>(pna) + countint(ivalue(ek), nums));
  totaluse++;
  const asz = computesizes(nums, pna);
  const nh = <u32>(totaluse - load<i32>(pna));
  const nhbytes: u64 = nh == 0 ? 0 : (<u64>1 << <u64>ceillog2(nh)) << 5;
  if (!fits((<u64>asz << 4) + nhbytes)) return false;
  luaH_resize(t, asz, nh);
  return true;
}

/** Requested sizes for a table constructor (luaH_resize from OP_NEWTABLE). */
export function luaH_presize(t: usize, nasize: u32, nhsize: u32): void {
  luaH_resize(t, nasize, nhsize);
}

// ==== Insertion ====

/** A free node, searching down from lastfree (getfreepos); 0 if none. */
function getfreepos(t: usize): usize {
  if (!isdummy(t)) {
    let lf = lastfree(t);
    const base = nodeptr(t);
    while (lf > base) {
      lf -= NODE_SIZE;
      if (ttisnil(gkey(lf))) { setlastfree(t, lf); return lf; }
    }
    setlastfree(t, lf);
  }
  return 0;
}

/**
 * Inserts a key known to be absent, with value `val`, into the hash part (luaH_newkey without the
 * key checks). May rehash, in which case the insertion is redone through the normal path.
 */
function luaH_setnew(t: usize, key: usize, val: usize): bool {
  let mp = mainposition(t, key);
  if (!isempty(gval(mp)) || isdummy(t)) {
    const f = getfreepos(t);
    if (f == 0) {
      if (!rehash(t, key)) return false;            // no memory: nothing inserted
      return luaH_setnormkey(t, key, val);
    }
    const othern0 = mainposition(t, gkey(mp));
    let othern = othern0;
    if (othern != mp) {
      // colliding node is out of its main position: move it to the free slot
      while (othern + (<usize>(<isize>gnext(othern) << 5)) != mp) othern += <usize>(<isize>gnext(othern) << 5);
      setgnext(othern, <i32>((<isize>f - <isize>othern) >> 5));
      setobj(f, mp);                 // copies val (with its next) and key
      setobj(f + 16, mp + 16);
      if (gnext(mp) != 0) {
        setgnext(f, gnext(f) + <i32>((<isize>mp - <isize>f) >> 5));
        setgnext(mp, 0);
      }
      setempty(gval(mp));
    } else {
      // colliding node is in its own main position: new key goes to the free position
      if (gnext(mp) != 0) setgnext(f, <i32>((<isize>(mp + (<usize>(<isize>gnext(mp) << 5))) - <isize>f) >> 5));
      else setgnext(f, 0);
      setgnext(mp, <i32>((<isize>f - <isize>mp) >> 5));
      mp = f;
    }
  }
  setobj(gkey(mp), key);
  setobjkeepextra(gval(mp), val);
  return true;
}

/** Sets t[key] = val for a normalised, non-nil, non-NaN key; false when out of memory. */
function luaH_setnormkey(t: usize, key: usize, val: usize): bool {
  const slot = rawtt(key) == LUA_VNUMINT ? luaH_getint(t, ivalue(key)) : getgeneric(t, key);
  if (slot != absentkey) { setobjkeepextra(slot, val); return true; }
  if (ttisnil(val)) return true;     // assigning nil to an absent key changes nothing
  return luaH_setnew(t, key, val);
}

/**
 * t[key] = val (raw). Normalises float keys with integer values; rejects nil and NaN keys.
 * Assigning nil to an existing key leaves the key in place (so `next` keeps working).
 */
export function luaH_set(t: usize, key: usize, val: usize): i32 {
  setflags(t, 0);                    // a "__" key may be stored: forget cached absent metamethods
  const tt = rawtt(key);
  if (tt == LUA_VSHRSTR) {
    const slot = luaH_getshortstr(t, tsvalue(key));
    if (slot != absentkey) { setobjkeepextra(slot, val); return SET_OK; }
    if (ttisnil(val)) return SET_OK;
    return luaH_setnew(t, key, val) ? SET_OK : SET_NOMEM;
  }
  if (tt == LUA_VNUMFLT) {
    const f = fltvalue(key);
    const tmp = memory.data(8);
    if (floatisint(f, tmp)) {
      const k = memory.data(16);
      setivalue(k, load<i64>(tmp));
      return luaH_setnormkey(t, k, val) ? SET_OK : SET_NOMEM;
    }
    if (f != f) return SET_KEYNAN;
  } else if (ttisnil(key)) return SET_KEYNIL;
  return luaH_setnormkey(t, key, val) ? SET_OK : SET_NOMEM;
}

/**
 * Finishes t[key] = val after a raw lookup of key gave `slot` (luaH_finishset): a present slot is
 * assigned; an absent short-string or integer key is inserted directly; any other absent key goes through
 * luaH_set, which normalises float keys and rejects nil and NaN. Spares the metamethod paths
 * (vm/ops.ts luaV_finishset) a second lookup of a key they have just missed.
 */
export function luaH_finishset(t: usize, key: usize, slot: usize, val: usize): i32 {
  setflags(t, 0);                    // (as luaH_set)
  if (slot != absentkey) { setobjkeepextra(slot, val); return SET_OK; }
  const tt = rawtt(key);
  if (tt != LUA_VSHRSTR && tt != LUA_VNUMINT) return luaH_set(t, key, val);
  if (ttisnil(val)) return SET_OK;
  return luaH_setnew(t, key, val) ? SET_OK : SET_NOMEM;
}

/** t[key] = val for an integer key (luaH_setint); SET_OK, or SET_NOMEM when growing would pass the limit. */
export function luaH_setint(t: usize, key: i64, val: usize): i32 {
  const slot = luaH_getint(t, key);
  if (slot != absentkey) { setobjkeepextra(slot, val); return SET_OK; }
  if (ttisnil(val)) return SET_OK;
  const k = memory.data(16);
  setivalue(k, key);
  return luaH_setnew(t, k, val) ? SET_OK : SET_NOMEM;
}

/**
 * Whether growing to the given total slot count would pass the memory limit (for constructors).
 * Parts small enough to be inline (luaH_newsized) are not asked about: like any small object they
 * are bounded by the check at the safe point that follows every OP_NEWTABLE.
 */
// @ts-ignore: decorator
@inline export function canresize(nasize: u64, nhsize: u64): bool {
  return (nasize | nhsize) < 8 || fits((nasize << 4) + (nhsize << 5) * 2);
}

// ==== Length (border) ====

/** Unbound search for a border in the hash part when the array part is full (hash_search). */
function hash_search(t: usize, j: u64): i64 {
  let i: u64;
  if (j == 0) j = 1;
  do {
    i = j;
    if (j <= 0x3FFFFFFFFFFFFFFF) j *= 2;
    else {
      j = 0x7FFFFFFFFFFFFFFF;
      if (isempty(luaH_getint(t, <i64>j))) break;
      else return <i64>j;
    }
  } while (!isempty(luaH_getint(t, <i64>j)));
  while (j - i > 1) {
    const m = (i + j) / 2;
    if (isempty(luaH_getint(t, <i64>m))) j = m; else i = m;
  }
  return <i64>i;
}

/** A border in the array part between i (0 or t[i] present) and j (t[j] absent) (binsearch). */
function binsearch(t: usize, i: u32, j: u32): u32 {
  while (j - i > 1) {
    const m = (i + j) >> 1;
    if (isempty(arrayslot(t, m - 1))) j = m; else i = m;
  }
  return i;
}

// @ts-ignore: decorator
@inline function ispow2(x: u32): bool { return (x & (x - 1)) == 0; }

/**
 * A border of t: t[n] non-nil and t[n+1] nil, or 0 if t[1] is nil (luaH_getn). Which border, when
 * there are several, is PUC's choice, driven by the hint (see the header):
 *  (1) t[hint] absent: a border lies below it. Try hint-1 first (the common `t[#t] = nil`), else
 *      binary search [0, hint]. The border becomes the new hint only where PUC could still derive
 *      the array size from it: the size is a power of 2 and hint-1 is not one; the size is a power
 *      of 2 and the searched border is above half of it.
 *  (2) t[hint] present, hint below the size: hint is the border if t[hint+1] is absent; else, if
 *      the last slot is absent, binary search between them, and that border is the new hint.
 *  (3) the hint is the size (0, or the last slot is present): the border is the size unless the
 *      hash part continues the sequence, and then it is found there (hash_search).
 */
export function luaH_getn(t: usize): i64 {
  const limit = alimit(t);
  const size = asize(t);
  if (DEBUG) assert(limit == size || (ispow2(size) && limit > size / 2 && limit < size)); // hint invariant
  if (limit > 0 && isempty(arrayslot(t, limit - 1))) {                      // (1)
    if (limit >= 2 && !isempty(arrayslot(t, limit - 2))) {
      if (ispow2(size) && !ispow2(limit - 1)) setalimit(t, limit - 1);
      return <i64>(limit - 1);
    }
    const border = binsearch(t, 0, limit);
    if (ispow2(size) && border > size / 2) setalimit(t, border);
    return <i64>border;
  }
  if (limit < size) {                                                       // (2)
    if (isempty(arrayslot(t, limit))) return <i64>limit;
    if (isempty(arrayslot(t, size - 1))) {
      const border = binsearch(t, limit, size);
      setalimit(t, border);
      return <i64>border;
    }
    // the last slot is present: go on as (3) from the size, keeping the hint where it is
  }
  if (isdummy(t) || isempty(luaH_getint(t, <i64>size + 1))) return <i64>size;  // (3)
  return hash_search(t, <u64>size);
}

// ==== Traversal ====

/** Index where a traversal resumes after `key` (findindex); -1 for an invalid key. */
function findindex(t: usize, key: usize): i64 {
  if (ttisnil(key)) return 0;
  const asz = asize(t);
  if (ttisinteger(key)) {
    const k = ivalue(key);
    if (<u64>(k - 1) < <u64>asz) return k;
  }
  let tk = key;
  if (ttisfloat(key)) {
    const tmp = memory.data(8);
    if (floatisint(fltvalue(key), tmp)) {
      const k = load<i64>(tmp);
      if (<u64>(k - 1) < <u64>asz) return k;
      tk = memory.data(16);
      setivalue(tk, k);
    }
  }
  if (isdummy(t)) return -1;
  // search the node holding the key, dead keys included (the value may have been set to nil)
  let n = mainposition(t, tk);
  for (;;) {
    if (equalkeydeadok(tk, gkey(n))) return <i64>asz + 1 + <i64>((n - nodeptr(t)) >> 5);
    const nx = gnext(n);
    if (nx == 0) return -1;
    n += <usize>(<isize>nx << 5);
  }
  return -1;   // unreachable
}

/**
 * Table traversal (luaH_next): `key` is a stack slot holding the previous key; on success writes the
 * next key there and its value in the following slot and returns 1; returns 0 at the end and -1 if
 * the previous key is not in the table ("invalid key to 'next'").
 */
export function luaH_next(t: usize, key: usize): i32 {
  const fi = findindex(t, key);
  if (fi < 0) return -1;
  const asz = <i64>asize(t);
  let i = fi;
  for (; i < asz; i++) {
    const v = arrayslot(t, <u32>i);
    if (!isempty(v)) {
      setivalue(key, i + 1);
      setobj(key + TVALUE_SIZE, v);
      return 1;
    }
  }
  const sz = <i64>allocsizenode(t);
  for (i -= asz; i < sz; i++) {
    const n = gnode(t, <i32>i);
    if (!isempty(gval(n))) {
      setobj(key, gkey(n));
      setobj(key + TVALUE_SIZE, gval(n));
      setextra(key, 0); setextra(key + TVALUE_SIZE, 0);
      return 1;
    }
  }
  return 0;
}

