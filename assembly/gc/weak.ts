// weak.ts - weak tables and ephemerons: their traversal, the ephemeron fixpoint and the clearing of
// entries whose weak part died (lgc.c weak tables).
//
// A table's mode comes from the string in its metatable's __mode field ('k' and/or 'v', read up to
// the first zero byte as PUC's strchr does). Lists, linked through the tables' gclist field:
//   weak       weak values only: values are cleared after marking
//   ephemeron  weak keys with some white key -> white value entry: re-traversed until no change
//   allweak    weak keys and values (or weak keys with white keys only): cleared by keys and values
// Ephemeron rule: the value of an entry is marked only once its key is marked (by something else).
// Strings are values, not objects, for weakness: they are never removed from weak tables (iscleared
// marks them instead). Numbers and booleans are not collectable and never cleared.
// While propagating (incremental marking), weak-value and ephemeron tables only mark what they must
// and go to mark.ts's grayagain list: atomic traverses them again and only then puts them in these
// lists. All-weak tables go to `allweak` at once (nothing to mark).
// Invariant: a table sits in at most one of these lists (or grayagain), only after it has been
// traversed, and is gray while listed (so the barriers leave it alone).

import { ttisstring, ttisnil, tsvalue, iscollectable, gcvalue, setempty, isempty } from "../object/value";
import { gettt, iswhite } from "../object/header";
import * as ltable from "../object/table";
import { getstr, tsslen } from "../object/string";
import { modename } from "./collect";
import { markvalue, markobject, valiswhite, clearkey, set2black, set2gray, propagateall, linkgrayagain } from "./mark";
import { gcstate, GCSatomic, GCSpropagate } from "./collect";

// @ts-ignore: decorator
@inline export const MODE_K: i32 = 1;
// @ts-ignore: decorator
@inline export const MODE_V: i32 = 2;

/** Bit of "__mode" (TM_MODE, event 3 in ORDER TM) in a table's absent-metamethod cache. */
// @ts-ignore: decorator
@inline const MODEABSENT: u8 = 1 << 3;

let weak: usize = 0;
let ephemeron: usize = 0;
let allweak: usize = 0;

export function resetweak(): void { weak = 0; ephemeron = 0; allweak = 0; }

// @ts-ignore: decorator
@inline function linkweak(h: usize): void { ltable.setgclist(h, weak); weak = h; set2gray(h); }
// @ts-ignore: decorator
@inline function linkephemeron(h: usize): void { ltable.setgclist(h, ephemeron); ephemeron = h; set2gray(h); }
// @ts-ignore: decorator
@inline export function linkallweak(h: usize): void { ltable.setgclist(h, allweak); allweak = h; set2gray(h); }

/** MODE_K | MODE_V bits from the metatable's __mode string, 0 for a strong table. */
export function getmode(h: usize): i32 {
  const mt = ltable.getmetatable(h);
  if (mt == 0 || modename() == 0) return 0;
  // the metatable's absent-metamethod cache (vm/tm.ts: bit TM_MODE set = no "__mode"), as PUC's
  // gfasttm: most metatables are classes, traversed with every object of the class
  if ((ltable.getflags(mt) & MODEABSENT) != 0) return 0;
  const m = ltable.luaH_getshortstr(mt, modename());
  if (!ttisstring(m)) {
    if (ttisnil(m)) ltable.setflags(mt, ltable.getflags(mt) | MODEABSENT);
    return 0;
  }
  const ts = tsvalue(m);
  const s = getstr(ts), n = tsslen(ts);
  let mode = 0;
  for (let i = 0; i < n; i++) {
    const c = load<u8>(s + <usize>i);
    if (c == 0) break;                   // C-string semantics, as strchr
    if (c == 0x6B) mode |= MODE_K;       // 'k'
    else if (c == 0x76) mode |= MODE_V;  // 'v'
  }
  return mode;
}

/**
 * Whether object `o` (0 = not collectable) may be removed from a weak table (iscleared): true for an
 * unmarked object. Strings are never weak: they are marked here and kept.
 */
export function iscleared(o: usize): bool {
  if (o == 0) return false;
  if ((gettt(o) & 0x0F) == 4) { markobject(o); return false; }
  return iswhite(o);
}

// @ts-ignore: decorator
@inline function isclearedvalue(v: usize): bool { return iscollectable(v) && iscleared(gcvalue(v)); }

// ==== Traversal ====

/**
 * Weak values (traverseweakvalue): marks keys only. The table goes to `weak` when a value may have
 * to be cleared (any array part counts, as in PUC).
 */
export function traverseweakvalue(h: usize): void {
  let hasclears = ltable.asize(h) > 0;
  const n = ltable.allocsizenode(h);
  for (let i = 0; i < n; i++) {
    const nd = ltable.gnode(h, i);
    if (isempty(ltable.gval(nd))) clearkey(nd);
    else {
      markvalue(ltable.gkey(nd));
      if (!hasclears && isclearedvalue(ltable.gval(nd))) hasclears = true;
    }
  }
  if (gcstate == GCSatomic && hasclears) linkweak(h);
  else linkgrayagain(h);               // while propagating: traverse again in atomic
}

/**
 * Weak keys (traverseephemeron): the array part is strong; a hash entry's value is marked only if
 * its key is already marked. Returns true if it marked anything (the fixpoint must go on).
 */
export function traverseephemeron(h: usize): bool {
  let marked = false, hasclears = false, hasww = false;
  const asz = ltable.asize(h);
  for (let i: u32 = 0; i < asz; i++) {
    const v = ltable.arrayslot(h, i);
    if (valiswhite(v)) { marked = true; markvalue(v); }
  }
  const n = ltable.allocsizenode(h);
  for (let i = 0; i < n; i++) {
    const nd = ltable.gnode(h, i);
    const v = ltable.gval(nd);
    if (isempty(v)) clearkey(nd);
    else if (isclearedvalue(ltable.gkey(nd))) {   // key not marked (yet)
      hasclears = true;
      if (valiswhite(v)) hasww = true;            // white key -> white value: decide later
    } else if (valiswhite(v)) {
      marked = true;
      markvalue(v);
    }
  }
  if (gcstate == GCSpropagate) linkgrayagain(h);   // traverse again in atomic
  else if (hasww) linkephemeron(h);
  else if (hasclears) linkallweak(h);
  return marked;
}

/**
 * Re-traverses ephemeron tables until no value gets marked (convergeephemerons): marking a value
 * may mark a key of another (or the same) ephemeron table.
 */
export function convergeephemerons(): void {
  let changed: bool;
  do {
    let next = ephemeron;
    ephemeron = 0;
    changed = false;
    while (next != 0) {
      const w = next;
      next = ltable.gclist(w);
      set2black(w);
      if (traverseephemeron(w)) {
        propagateall();
        changed = true;
      }
    }
  } while (changed);
}

// ==== Clearing ====

/** Removes entries with unmarked keys from every table of list `l` (clearbykeys). */
function clearbykeys(l: usize): void {
  for (let h = l; h != 0; h = ltable.gclist(h)) {
    const n = ltable.allocsizenode(h);
    for (let i = 0; i < n; i++) {
      const nd = ltable.gnode(h, i);
      if (isclearedvalue(ltable.gkey(nd))) setempty(ltable.gval(nd));
      if (isempty(ltable.gval(nd))) clearkey(nd);
    }
  }
}

/** Removes entries with unmarked values from every table of list `l` (clearbyvalues). */
function clearbyvalues(l: usize): void {
  for (let h = l; h != 0; h = ltable.gclist(h)) {
    const asz = ltable.asize(h);
    for (let i: u32 = 0; i < asz; i++) {
      const v = ltable.arrayslot(h, i);
      if (isclearedvalue(v)) setempty(v);
    }
    const n = ltable.allocsizenode(h);
    for (let i = 0; i < n; i++) {
      const nd = ltable.gnode(h, i);
      if (isclearedvalue(ltable.gval(nd))) setempty(ltable.gval(nd));
      if (isempty(ltable.gval(nd))) clearkey(nd);
    }
  }
}

/** Clears weak values of tables in `weak` and `allweak` (idempotent). */
export function clearweakvalues(): void {
  clearbyvalues(weak);
  clearbyvalues(allweak);
}

/** Clears weak keys of tables in `ephemeron` and `allweak`. */
export function clearweakkeys(): void {
  clearbykeys(ephemeron);
  clearbykeys(allweak);
}
