// natives.ts - the stable names of native functions, by which snapshots (persist/snapshot.ts) and
// functions stored in external tables (assembly/embed/extfn.ts) record a native: a function table
// index changes with every build, a name does not.
//
// Two sources fill it, once per instance. A native some library table holds is named by its path:
// the walk goes through _G, the registry ("@...") and the basic types' metatables ("@mt<type>.") in
// sorted key order, and the first path reaching a function names it ("print", "string.format",
// "@FILE*.__index.read"). A native no table holds (an iterator, a continuation, the function inside a
// closure a library makes) is registered by the library that owns it, from its luaopen_* function
// (regnative: "ipairs.iter", "io.lines.iter", "ext.next").
// The walk concerns the tables as lua_init leaves them, but its names are needed only by a snapshot
// or a function stored in an external table, which most states never make. So lua_init only records
// those tables (scannatives: their string and integer keys with the natives and tables they hold, in
// a flat record outside Lua's heap, keys copied), and the walk runs over that record at the first
// nativename/nativebyname (walkrecord): the same names, from the same tables, whatever a script did to
// them meanwhile, for a fraction of lua_init's time (building and sorting its ~300 strings cost ~1 ms
// of every start, most of it V8 compiling the code that does it).
// A native whose code trusts its upvalues (a gmatch iterator's positions, the random state) also
// registers a check (regcheck), which a restore runs on every such closure it rebuilds, so a crafted
// snapshot cannot hand it upvalues it would misread.
// Invariant: the names of a given set of opened libraries never change, so snapshots and stored
// functions saved by earlier builds keep loading (spec/fixtures/formats). Explicit names are applied
// after the walk, so a native both registered and reachable keeps its path name, as it always had.

import { ttisstring, ttisinteger, ttistable, ttislcf, ttisCclosure, tsvalue, ivalue, fvalue, clvalue, hvalue,
  isempty } from "../object/value";
import { getstr, tsslen } from "../object/string";
import * as ltable from "../object/table";
import { ccl_f } from "../object/func";
import { globaltable, registry, G_mt } from "../vm/state";
import { lua_CFunction } from "../vm/api";

/** Function table index → name, and name → index (the first of each pairing wins). */
let idx2name: Map<u32, string> = new Map<u32, string>();
let name2idx: Map<string, u32> = new Map<string, u32>();
/** Names registered by the libraries, applied after the walk (namenatives). */
let pendingfn: u32[] = [];
let pendingname: string[] = [];
/** scannatives recorded the tables; the names were built from the record (named). */
let scanned = false;
let named = false;

function setname(f: u32, name: string): void {
  if (!idx2name.has(f)) idx2name.set(f, name);
  if (!name2idx.has(name)) name2idx.set(name, f);
}

/** Checks a native closure's upvalues: "" when the native may trust them, else the error message. */
export type UpvalueCheck = (cl: usize) => string;
/** Function table index → the index of its UpvalueCheck. */
let checks: Map<u32, usize> = new Map<u32, usize>();

/** Registers the check of native `f`'s upvalues (call from the owning library's luaopen_*). */
export function regcheck(f: lua_CFunction, check: UpvalueCheck): void {
  checks.set(<u32>changetype<usize>(f), changetype<usize>(check));
}

/** Runs the check registered for native closure cl's function: "" when none or when it passes. */
export function checkupvalues(cl: usize): string {
  const f = ccl_f(cl);
  return checks.has(f) ? changetype<UpvalueCheck>(checks.get(f))(cl) : "";
}

/** Names native `f`, which no library table holds (call from the owning library's luaopen_*). */
export function regnative(f: lua_CFunction, name: string): void {
  pendingfn.push(<u32>changetype<usize>(f));
  pendingname.push(name);
}

/** The stable name of native `f` ("" when it has none). */
export function nativename(f: u32): string {
  namenatives();
  return idx2name.has(f) ? idx2name.get(f) : "";
}
/** The native named `name`, or 0. */
export function nativebyname(name: string): u32 {
  namenatives();
  return name2idx.has(name) ? name2idx.get(name) : 0;
}

// ==== The record of the libraries' tables (scannatives) ====
// Words (u64) in `rec`: per recorded table, in order, a header of three words: its identity (the
// table's address when it was recorded: compared with other such addresses, never read through),
// its entry count, and the smallest depth the walk could reach it at; then per entry three words:
// the key (the byte offset of its copy in `keys`, or the integer), its kind and length (KEY_INT, or
// the string's length), and the value (a native's function table index, or a recorded table's
// identity with VAL_TABLE set). Entries keep the order the walk has always collected keys in (array
// part, then hash nodes), which its stable sort keeps among equal keys (integer 1 and string "1");
// entries whose value is neither a native nor a table are left out, as they name nothing.

// @ts-ignore: decorator
@inline const KEY_INT: u64 = 0xffffffff;
// @ts-ignore: decorator
@inline const VAL_TABLE: u64 = 1 << 63;
/** Depth below which the walk enters subtables (walknames: depth < MAXDEPTH). */
// @ts-ignore: decorator
@inline const MAXDEPTH: i32 = 3;

let rec: usize = 0;
let reclen: i32 = 0;    // words
let reccap: i32 = 0;
let keys: usize = 0;
let keyslen: i32 = 0;   // bytes
let keyscap: i32 = 0;
/** The roots' identities: _G, the registry, the 9 basic types' metatables (0: none). */
const roots = memory.data(8 * 11);

function recword(w: u64): void {
  if (reclen == reccap) {
    reccap = reccap == 0 ? 512 : reccap * 2;
    rec = rec == 0 ? heap.alloc(<usize>reccap << 3) : heap.realloc(rec, <usize>reccap << 3);
  }
  store<u64>(rec + (<usize>reclen << 3), w);
  reclen++;
}

function reckey(p: usize, n: i32): u64 {
  if (keyslen + n > keyscap) {
    while (keyslen + n > keyscap) keyscap = keyscap == 0 ? 4096 : keyscap * 2;
    keys = keys == 0 ? heap.alloc(<usize>keyscap) : heap.realloc(keys, <usize>keyscap);
  }
  memory.copy(keys + <usize>keyslen, p, <usize>n);
  const off = keyslen;
  keyslen += n;
  return <u64>off;
}

/** The word index of table `id`'s record, or -1. */
function recfind(id: usize): i32 {
  let i = 0;
  while (i < reclen) {
    if (load<u64>(rec + (<usize>i << 3)) == <u64>id) return i;
    i += 3 + 3 * <i32>load<u64>(rec + (<usize>i << 3), 8);
  }
  return -1;
}

/** Appends one entry (key word, kind word) whose value v is a native or a table; skips the rest. */
function recentry(k0: u64, k1: u64, v: usize): i32 {
  let w: u64;
  if (ttislcf(v)) w = <u64>fvalue(v);
  else if (ttisCclosure(v)) w = <u64>ccl_f(clvalue(v));
  else if (ttistable(v)) w = VAL_TABLE | <u64>hvalue(v);
  else return 0;
  recword(k0); recword(k1); recword(w);
  return 1;
}

/**
 * Records table t (once) and, while depth < MAXDEPTH, the tables it holds: every table the walk
 * could enter by any path, since which path comes first is only known once keys are sorted. A table
 * reached again by a shorter path has its subtables recorded again from the new depth.
 */
function rectable(t: usize, depth: i32): void {
  let at = recfind(t);
  if (at >= 0) {
    if (<i32>load<u64>(rec + (<usize>(at + 2) << 3)) <= depth) return;
    store<u64>(rec + (<usize>(at + 2) << 3), <u64>depth);
  } else {
    at = reclen;
    recword(<u64>t);
    recword(0);
    recword(<u64>depth);
    let n = 0;
    const asz = ltable.asize(t);
    for (let i: u32 = 0; i < asz; i++) {
      const v = ltable.arrayslot(t, i);
      if (!isempty(v)) n += recentry(<u64>(<i64>i + 1), KEY_INT, v);
    }
    const nn = ltable.allocsizenode(t);
    for (let i = 0; i < nn; i++) {
      const nd = ltable.gnode(t, i);
      if (isempty(ltable.gval(nd))) continue;
      const k = ltable.gkey(nd);
      if (ttisstring(k)) {
        const ts = tsvalue(k);
        n += recentry(reckey(getstr(ts), tsslen(ts)), <u64>tsslen(ts), ltable.gval(nd));
      } else if (ttisinteger(k)) n += recentry(<u64>ivalue(k), KEY_INT, ltable.gval(nd));
    }
    store<u64>(rec + (<usize>(at + 1) << 3), <u64>n);
  }
  if (depth >= MAXDEPTH) return;
  const n = <i32>load<u64>(rec + (<usize>(at + 1) << 3));
  for (let e = 0; e < n; e++) {
    // `rec` may move as subtables are appended: read through it afresh each time
    const w = load<u64>(rec + (<usize>(at + 5 + 3 * e) << 3));
    if (w & VAL_TABLE) rectable(<usize>(w & ~VAL_TABLE), depth + 1);
  }
}

/** Records the tables whose natives get names (call once, when all the libraries are open). */
export function scannatives(): void {
  if (scanned) return;
  scanned = true;
  store<u64>(roots, <u64>globaltable);
  rectable(globaltable, 0);
  store<u64>(roots, <u64>registry, 8);
  rectable(registry, 0);
  for (let t = 0; t < 9; t++) {
    const mt = G_mt(t);
    store<u64>(roots + (<usize>(t + 2) << 3), <u64>mt);
    if (mt != 0) rectable(mt, 1);
  }
}

/** The key of entry word index e as the walk names it (decimal for an integer). */
function keyname(e: i32): string {
  const k0 = load<u64>(rec + (<usize>e << 3));
  const k1 = load<u64>(rec + (<usize>(e + 1) << 3));
  if (k1 == KEY_INT) return (<i64>k0).toString();
  let s = "";
  const p = keys + <usize>k0;
  for (let i = 0; i < <i32>k1; i++) s += String.fromCharCode(<i32>load<u8>(p + <usize>i));
  return s;
}

/**
 * Names the natives of recorded table `id` and, below MAXDEPTH, of the tables it holds: entries in
 * sorted key order, the first path to a native names it; a table is entered once.
 */
function walkrecord(id: usize, prefix: string, depth: i32, visited: Set<usize>): void {
  if (visited.has(id)) return;
  visited.add(id);
  const at = recfind(id);
  if (at < 0) return; // never: the record holds every table the walk can enter
  const n = <i32>load<u64>(rec + (<usize>(at + 1) << 3));
  const names: string[] = [];
  for (let e = 0; e < n; e++) names.push(keyname(at + 3 + 3 * e));
  // sort the entries by key (insertion sort over an index array: tables here are small)
  const order: i32[] = [];
  for (let i = 0; i < n; i++) {
    let j = order.length;
    order.push(i);
    while (j > 0 && names[order[j - 1]] > names[i]) { order[j] = order[j - 1]; j--; }
    order[j] = i;
  }
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi];
    const w = load<u64>(rec + (<usize>(at + 5 + 3 * i) << 3));
    const name = prefix + names[i];
    if (!(w & VAL_TABLE)) setname(<u32>w, name);
    else if (depth < MAXDEPTH) walkrecord(<usize>(w & ~VAL_TABLE), name + ".", depth + 1, visited);
  }
}

/** Builds the names from the record, once: the walk, then the names the libraries registered. */
function namenatives(): void {
  if (named || !scanned) return;
  named = true;
  const visited = new Set<usize>();
  walkrecord(<usize>load<u64>(roots), "", 0, visited);
  walkrecord(<usize>load<u64>(roots, 8), "@", 0, visited);
  for (let t = 0; t < 9; t++) {
    const mt = <usize>load<u64>(roots + (<usize>(t + 2) << 3));
    if (mt != 0) walkrecord(mt, "@mt" + t.toString() + ".", 1, visited);
  }
  for (let i = 0; i < pendingfn.length; i++) setname(pendingfn[i], pendingname[i]);
  pendingfn = []; pendingname = [];
  heap.free(rec); heap.free(keys);
  rec = 0; reclen = 0; reccap = 0; keys = 0; keyslen = 0; keyscap = 0;
}
