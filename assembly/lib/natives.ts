// natives.ts - the stable names of native functions, by which snapshots (persist/snapshot.ts) and
// functions stored in external tables (assembly/embed/extfn.ts) record a native: a function table
// index changes with every build, a name does not.
//
// Two sources fill it, once per instance. A native some library table holds is named by its path:
// scannatives walks _G, the registry ("@...") and the basic types' metatables ("@mt<type>.") in
// sorted key order, and the first path reaching a function names it ("print", "string.format",
// "@FILE*.__index.read"). A native no table holds (an iterator, a continuation, the function inside a
// closure a library makes) is registered by the library that owns it, from its luaopen_* function
// (regnative: "ipairs.iter", "io.lines.iter", "ext.next").
// A native whose code trusts its upvalues (a gmatch iterator's positions, the random state) also
// registers a check (regcheck), which a restore runs on every such closure it rebuilds, so a crafted
// snapshot cannot hand it upvalues it would misread.
// Invariant: the names of a given set of opened libraries never change, so snapshots and stored
// functions saved by earlier builds keep loading (spec/fixtures/formats). Explicit names are applied
// after the walk, so a native both registered and reachable keeps its path name, as it always had.

import { ttisstring, ttisinteger, ttistable, ttislcf, ttisCclosure, tsvalue, ivalue, fvalue, clvalue, hvalue,
  isempty } from "../object/value";
import { luaS_toasstring } from "../object/string";
import * as ltable from "../object/table";
import { ccl_f } from "../object/func";
import { globaltable, registry, G_mt } from "../vm/state";
import { lua_CFunction } from "../vm/api";

/** Function table index → name, and name → index (the first of each pairing wins). */
let idx2name: Map<u32, string> = new Map<u32, string>();
let name2idx: Map<string, u32> = new Map<string, u32>();
/** Names registered by the libraries, applied by scannatives after the walk. */
let pendingfn: u32[] = [];
let pendingname: string[] = [];
let scanned = false;

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
export function nativename(f: u32): string { return idx2name.has(f) ? idx2name.get(f) : ""; }
/** The native named `name`, or 0. */
export function nativebyname(name: string): u32 { return name2idx.has(name) ? name2idx.get(name) : 0; }

function walknames(t: usize, prefix: string, depth: i32, visited: Set<usize>): void {
  if (visited.has(t)) return;
  visited.add(t);
  const keys: string[] = [];
  const vals: usize[] = [];
  const asz = ltable.asize(t);
  for (let i: u32 = 0; i < asz; i++) {
    const v = ltable.arrayslot(t, i);
    if (!isempty(v)) { keys.push((<i64>i + 1).toString()); vals.push(v); }
  }
  const nn = ltable.allocsizenode(t);
  for (let i = 0; i < nn; i++) {
    const nd = ltable.gnode(t, i);
    if (isempty(ltable.gval(nd))) continue;
    const k = ltable.gkey(nd);
    if (ttisstring(k)) keys.push(luaS_toasstring(tsvalue(k)));
    else if (ttisinteger(k)) keys.push(ivalue(k).toString());
    else continue;
    vals.push(ltable.gval(nd));
  }
  // sort the entries by key (insertion sort over an index array: tables here are small)
  const order: i32[] = [];
  for (let i = 0; i < keys.length; i++) {
    let j = order.length;
    order.push(i);
    while (j > 0 && keys[order[j - 1]] > keys[i]) { order[j] = order[j - 1]; j--; }
    order[j] = i;
  }
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi];
    const v = vals[i];
    const name = prefix + keys[i];
    if (ttislcf(v)) setname(fvalue(v), name);
    else if (ttisCclosure(v)) setname(ccl_f(clvalue(v)), name);
    else if (ttistable(v) && depth < 3) walknames(hvalue(v), name + ".", depth + 1, visited);
  }
}

/** Names every native of the opened libraries (call once, when all of them are open). */
export function scannatives(): void {
  if (scanned) return;
  scanned = true;
  const visited = new Set<usize>();
  walknames(globaltable, "", 0, visited);
  walknames(registry, "@", 0, visited);
  for (let t = 0; t < 9; t++) if (G_mt(t) != 0) walknames(G_mt(t), "@mt" + t.toString() + ".", 1, visited);
  for (let i = 0; i < pendingfn.length; i++) setname(pendingfn[i], pendingname[i]);
  pendingfn = []; pendingname = [];
}
