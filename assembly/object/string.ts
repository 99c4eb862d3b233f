// string.ts - Lua strings: byte arrays in linear memory; short strings interned (lstring.c).
//
// ╒═══════════════ TString layout (wasm32) ═══════════════╕
// │ GCHeader: next | tt (VSHRSTR/VLNGSTR) | marked        │ 0..5
// │ extra: u8   short: reserved-word index + 1 (0 = none) │ 6
// │             long: 1 once `hash` has been computed     │
// │ caches: u8  bits 0-6: 1 + its slot in the literal     │ 7
// │             cache (0: none); bit 7: keys a STRKEYED entry │
// │ hash: u32                                             │ 8
// │ len: i32    byte length (embedded zeros allowed)      │ 12
// │ hnext: usize  next string in the same intern bucket   │ 16
// │ bytes[len] then a 0 byte (not part of the string)     │ 20
// └───────────────────────────────────────────────────────┘
// Invariant: two short strings with the same bytes are the same object, so short-string equality is
// pointer equality. Long strings (len > LUAI_MAXSHORTLEN) are never interned; their hash is computed
// lazily the first time one is used as a table key.

import { LUAI_MAXSHORTLEN } from "../luaconf";
import { luaM_allocz, luaM_free } from "../mem/alloc";
import { newobj, isdead, changewhite } from "../gc/collect";

// @ts-ignore: decorator
@inline export const VSHRSTR_TT: u8 = 4;
// @ts-ignore: decorator
@inline export const VLNGSTR_TT: u8 = 4 | (1 << 4);
// @ts-ignore: decorator
@inline export const TSTRING_HEADER: usize = 20;

// @ts-ignore: decorator
@inline export function getstr(ts: usize): usize { return ts + TSTRING_HEADER; }
// @ts-ignore: decorator
@inline export function tsslen(ts: usize): i32 { return load<i32>(ts, 12); }
// @ts-ignore: decorator
@inline export function strhash(ts: usize): u32 { return load<u32>(ts, 8); }
// @ts-ignore: decorator
@inline export function isshrstr(ts: usize): bool { return load<u8>(ts, 4) == VSHRSTR_TT; }
// @ts-ignore: decorator
@inline export function strextra(ts: usize): u8 { return load<u8>(ts, 6); }
// @ts-ignore: decorator
@inline export function setstrextra(ts: usize, x: u8): void { store<u8>(ts, x, 6); }
// @ts-ignore: decorator
@inline export function hnext(ts: usize): usize { return load<usize>(ts, 16); }
// @ts-ignore: decorator
@inline export function sethnext(ts: usize, n: usize): void { store<usize>(ts, n, 16); }
/** Total allocated size of a string object of `len` bytes (header + bytes + terminating 0). */
// @ts-ignore: decorator
@inline export function sizelstring(len: i32): usize { return TSTRING_HEADER + <usize>len + 1; }

/** Seed of the string hash; fixed so that table iteration order is reproducible (deterministic mode). */
export let hashseed: u32 = 0x2a5b9c31;

// ==== Intern table ====
let strt: usize = 0;        // bucket array of usize
let strtsize: i32 = 0;      // power of 2
let strtnuse: i32 = 0;      // number of interned strings

export function strtcount(): i32 { return strtnuse; }
export function strtsz(): i32 { return strtsize; }
export function strtbucket(i: i32): usize { return load<usize>(strt + (<usize>i << 2)); }
export function setstrtbucket(i: i32, ts: usize): void { store<usize>(strt + (<usize>i << 2), ts); }
/** Called by the sweeper when it frees an interned string. */
export function strtremoved(): void { strtnuse--; }

/** PUC 5.4 luaS_hash: every byte participates. */
export function luaS_hash(str: usize, l: i32, seed: u32): u32 {
  let h: u32 = seed ^ <u32>l;
  for (let i = l; i > 0; i--) {
    h ^= ((h << 5) + (h >> 2) + <u32>load<u8>(str + <usize>(i - 1)));
  }
  return h;
}

/** Hash of a long string, computed on first use (luaS_hashlongstr). */
export function luaS_hashlongstr(ts: usize): u32 {
  if (strextra(ts) == 0) {
    store<u32>(ts, luaS_hash(getstr(ts), tsslen(ts), hashseed), 8);
    setstrextra(ts, 1);
  }
  return strhash(ts);
}

/** Grows (or shrinks) the intern table to `newsize` buckets, rehashing every string. */
export function luaS_resize(newsize: i32): void {
  const nt = luaM_allocz(<usize>newsize << 2);
  for (let i = 0; i < strtsize; i++) {
    let p = load<usize>(strt + (<usize>i << 2));
    while (p != 0) {
      const nx = hnext(p);
      const b = nt + (<usize>(strhash(p) & <u32>(newsize - 1)) << 2);
      sethnext(p, load<usize>(b));
      store<usize>(b, p);
      p = nx;
    }
  }
  if (strt != 0) luaM_free(strt, <usize>strtsize << 2);
  strt = nt;
  strtsize = newsize;
}

export function luaS_init(): void {
  if (strt == 0) luaS_resize(128);
}

/** Allocates a string object of `len` bytes with tag `tt`; bytes uninitialised but terminated. */
function createstrobj(len: i32, tt: u8, h: u32): usize {
  const ts = newobj(tt, sizelstring(len));
  store<u32>(ts, h, 8);
  store<i32>(ts, len, 12);
  store<u16>(ts, 0, 6);                                // extra and litslot
  sethnext(ts, 0);
  store<u8>(getstr(ts) + <usize>len, 0);
  return ts;
}

/** A new long string of `len` bytes for the caller to fill (luaS_createlngstrobj). */
export function luaS_createlngstrobj(len: i32): usize {
  return createstrobj(len, VLNGSTR_TT, hashseed);
}

/** Whether the `l` bytes at `a` and `b` are equal: 8 at a time (short strings; memory.compare goes byte by byte). */
// @ts-ignore: decorator
@inline function samebytes(a: usize, b: usize, l: i32): bool {
  let i = 0;
  for (; i + 8 <= l; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < l; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

/** Copies the `l` (<= LUAI_MAXSHORTLEN) bytes at `src` to `dst`: for a few bytes, V8's memory.copy is a call out of wasm. */
// @ts-ignore: decorator
@inline function copyshort(dst: usize, src: usize, l: i32): void {
  let i = 0;
  for (; i + 8 <= l; i += 8) store<u64>(dst + <usize>i, load<u64>(src + <usize>i));
  for (; i < l; i++) store<u8>(dst + <usize>i, load<u8>(src + <usize>i));
}

/** Interns a short string (luaS_internshrstr): the full hash is compared before the bytes. */
function internshrstr(str: usize, l: i32): usize {
  const h = luaS_hash(str, l, hashseed);
  let p = load<usize>(strt + (<usize>(h & <u32>(strtsize - 1)) << 2));
  while (p != 0) {
    if (strhash(p) == h && tsslen(p) == l && samebytes(getstr(p), str, l)) {
      if (isdead(p)) changewhite(p);   // resurrect a string the sweeper has not reached yet
      return p;
    }
    p = hnext(p);
  }
  if (strtnuse >= strtsize) luaS_resize(strtsize << 1);
  const ts = createstrobj(l, VSHRSTR_TT, h);
  copyshort(getstr(ts), str, l);
  const b = strt + (<usize>(h & <u32>(strtsize - 1)) << 2);
  sethnext(ts, load<usize>(b));
  store<usize>(b, ts);
  strtnuse++;
  return ts;
}

// ==== Strings of 0 and 1 bytes ====
// `sub(s, i, i)`, `byte`-then-`char` loops and pattern captures make one-byte strings all the time;
// hashing and looking them up in the intern table is most of their cost. CHARCACHE holds the
// interned string of each byte (slot 256: the empty string), 0 when there is none. It holds no
// reference the collector must know of: luaS_remove clears the slot when the sweeper frees the
// string, and a string the sweeper is about to free is resurrected exactly as internshrstr does.

const CHARCACHE: usize = memory.data(257 << 2, 4);

// @ts-ignore: decorator
@inline function charslot(str: usize, l: i32): usize {
  return CHARCACHE + (l == 0 ? 256 << 2 : <usize>load<u8>(str) << 2);
}

/** A string of 0 or 1 bytes: from CHARCACHE, else interned and cached. */
function newcharstr(str: usize, l: i32): usize {
  const slot = charslot(str, l);
  let ts = load<usize>(slot);
  if (ts != 0) {
    if (isdead(ts)) changewhite(ts);
    return ts;
  }
  ts = internshrstr(str, l);
  store<usize>(slot, ts);
  return ts;
}

/** A Lua string with the `l` bytes at `str` (luaS_newlstr). */
export function luaS_newlstr(str: usize, l: i32): usize {
  if (l <= 1) return newcharstr(str, l);
  if (l <= LUAI_MAXSHORTLEN) return internshrstr(str, l);
  const ts = luaS_createlngstrobj(l);
  memory.copy(getstr(ts), str, <usize>l);
  return ts;
}

// ==== Strings of AS literals (luaS_new's cache, as PUC's strcache) ====
// Names and messages in AssemblyScript (`"__tostring"`, type names, ...) are made into Lua strings on
// every use. A literal's text never changes and it lives at a fixed address in the module's static
// data (below __heap_base), so its Lua string can be cached by that address. The string records its
// slot in its header (litslot), and luaS_remove clears the slot when the sweeper frees it, so the
// cache holds no reference the collector must know of (a dying string is resurrected as the intern
// table does). AS strings built at run time (above __heap_base) are not cached.

// @ts-ignore: decorator
@inline const LITCACHE_N: usize = 64;                  // slot + 1 fits bits 0-6 of header byte 7
const LITCACHE: usize = memory.data(<i32>LITCACHE_N * 8, 8);   // { AS string address, TString }

/** A Lua string from an AS literal (ASCII/Latin-1 only: messages and fixed names, never Lua data). */
export function luaS_new(s: string): usize {
  const a = changetype<usize>(s);
  if (a >= __heap_base || s.length > LUAI_MAXSHORTLEN) return newfromas(s);   // long strings are never interned
  const slot = (a >> 2) & (LITCACHE_N - 1);
  const e = LITCACHE + (slot << 3);
  let ts = load<usize>(e, 4);
  if (load<usize>(e) == a && ts != 0) {
    if (isdead(ts)) changewhite(ts);
    return ts;
  }
  ts = newfromas(s);
  const old = load<usize>(e, 4);
  if (old != 0) store<u8>(old, load<u8>(old, 7) & KEYEDBIT, 7);   // evicted
  const other = <usize>(load<u8>(ts, 7) & LITMASK);
  if (other != 0) store<usize>(LITCACHE + ((other - 1) << 3), 0, 4);   // one slot per string
  store<usize>(e, a);
  store<usize>(e, ts, 4);
  store<u8>(ts, <u8>(slot + 1) | (load<u8>(ts, 7) & KEYEDBIT), 7);
  return ts;
}

// @ts-ignore: decorator
@inline const LITMASK: u8 = 0x7F;
// @ts-ignore: decorator
@inline const KEYEDBIT: u8 = 0x80;

// ==== A cache keyed by short strings (for lib/pattern.ts) ====
// What the pattern functions learn from a pattern (its first item's set, whether it has specials)
// depends only on its bytes, and a short string's identity is its bytes while it lives. STRKEYED
// holds entries of STRKEYED_SIZE bytes whose first word is the short string they describe (0: free);
// the string's KEYEDBIT says it keys one, and luaS_remove frees the entry with the string, so no
// entry outlives its key. The rest of an entry belongs to its user.

// @ts-ignore: decorator
@inline export const STRKEYED_N: usize = 8;
// @ts-ignore: decorator
@inline export const STRKEYED_SIZE: usize = 64;
const STRKEYED: usize = memory.data(<i32>(STRKEYED_N * STRKEYED_SIZE), 8);

/** The entry short string ts would use (whether or not it holds ts). */
// @ts-ignore: decorator
@inline export function strkeyedentry(ts: usize): usize {
  return STRKEYED + (((ts >> 3) ^ (ts >> 9)) & (STRKEYED_N - 1)) * STRKEYED_SIZE;
}
/** Makes ts the key of its entry (evicting the previous key); the caller fills the rest. */
export function strkeyedclaim(ts: usize): usize {
  const e = strkeyedentry(ts);
  const old = load<usize>(e);
  if (old != 0) store<u8>(old, load<u8>(old, 7) & ~KEYEDBIT, 7);
  store<usize>(e, ts);
  store<u8>(ts, load<u8>(ts, 7) | KEYEDBIT, 7);
  return e;
}

/** luaS_new without the cache. */
function newfromas(s: string): usize {
  const n = s.length;
  const short = n <= LUAI_MAXSHORTLEN;                 // names and most messages: no heap round trip
  const tmp = short ? NEWSCRATCH : heap.alloc(<usize>n + 1);
  for (let i = 0; i < n; i++) store<u8>(tmp + <usize>i, <u8>s.charCodeAt(i));
  const ts = luaS_newlstr(tmp, n);
  if (!short) heap.free(tmp);
  return ts;
}
/** luaS_new's scratch for short texts (luaS_newlstr never re-enters luaS_new). */
const NEWSCRATCH: usize = memory.data(LUAI_MAXSHORTLEN + 1);

/** An AS string from the bytes of a Lua string, one char code per byte: for names and messages made
 *  in AssemblyScript (native names, snapshot errors), never for Lua data. */
export function luaS_toasstring(ts: usize): string {
  const n = tsslen(ts), p = getstr(ts);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(<i32>load<u8>(p + <usize>i));
  return s;
}

/** Equality of two strings of any kind (luaS_eqstr). */
export function luaS_eqstr(a: usize, b: usize): bool {
  if (a == b) return true;
  if (isshrstr(a) && isshrstr(b)) return false;   // distinct interned strings differ
  const la = tsslen(a);
  return la == tsslen(b) && memory.compare(getstr(a), getstr(b), <usize>la) == 0;
}

/** Byte-wise comparison as strcoll in the C locale (l_strcmp): <0, 0, >0. */
export function l_strcmp(a: usize, b: usize): i32 {
  const la = tsslen(a), lb = tsslen(b);
  const n = la < lb ? la : lb;
  const pa = getstr(a), pb = getstr(b);
  let i = 0;
  for (; i + 8 <= n; i += 8) {                         // 8 bytes at a time; the first differing
    const x = load<u64>(pa + <usize>i), y = load<u64>(pb + <usize>i);   // byte decides, so compare
    if (x != y) return bswap<u64>(x) < bswap<u64>(y) ? -1 : 1;         // the words big-endian
  }
  for (; i < n; i++) {
    const c = <i32>load<u8>(pa + <usize>i) - <i32>load<u8>(pb + <usize>i);
    if (c != 0) return c;
  }
  return la < lb ? -1 : (la > lb ? 1 : 0);
}

/** Frees a string object (called by the sweeper; interned ones must be unlinked first). */
export function luaS_free(ts: usize): void {
  luaM_free(ts, sizelstring(tsslen(ts)));
}

/** Unlinks an interned short string from its bucket (before the sweeper frees it). */
export function luaS_remove(ts: usize): void {
  const cb = load<u8>(ts, 7);
  if (cb != 0) {
    const lit = <usize>(cb & LITMASK);
    if (lit != 0) store<usize>(LITCACHE + ((lit - 1) << 3), 0, 4);
    if ((cb & KEYEDBIT) != 0) store<usize>(strkeyedentry(ts), 0);
  }
  const l = tsslen(ts);
  if (l <= 1) {
    const slot = charslot(getstr(ts), l);
    if (load<usize>(slot) == ts) store<usize>(slot, 0);
  }
  const b = strt + (<usize>(strhash(ts) & <u32>(strtsize - 1)) << 2);
  let p = load<usize>(b);
  if (p == ts) { store<usize>(b, hnext(ts)); strtnuse--; return; }
  while (p != 0) {
    const nx = hnext(p);
    if (nx == ts) { sethnext(p, hnext(ts)); strtnuse--; return; }
    p = nx;
  }
}
