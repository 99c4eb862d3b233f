// lookup.ts - the baseline JIT's short-string key lookups in tables for jit/compile.ts's table units:
// luaH_getshortstr (hashwalk) and luaV_finishget's walk along table-valued __index metafields
// (indexchain inline, getfield through the module's own function $getstr).
//
// hashwalk compares the key at its main position before any loop: the key found there is the
// common case by far, and that path runs straight; the walk along the collision chain is a wasm
// loop entered only after a miss there.
// GETFIELD and GETTABUP (getfield) look in the table itself inline and call $getstr(t, key, hash)
// → slot for anything else: the whole walk from t (its own slot again, then the __index chain),
// jitnil when it ends without a value, 0 when the interpreter must do it. Code that is cold but
// inline still costs in a hot loop (nbody: 4% with the chain inline, bench/ab.ts --jit); a call
// costs where it runs, since V8 spills the values it holds in registers around it, so SELF, whose
// methods are found through the chain every time (oop, richards: 4-5% slower with the call),
// keeps the walk inline (indexchain). Both are written by one emitter, chain.
// A lookup of a constant key by a table unit first tries the node where that unit found its key the
// last time: each site has a module global holding that node's offset in the node array
// (lk_globals), checked against the table's node count and then compared as the key. Tables built
// alike (one constructor's objects) hold a key at the same offset, so a key down a collision chain
// (nbody's bodies: 7 keys in 8 nodes) is found at once; a miss walks as above and updates the cache.
// The cached offset is a hint only: the node is used when its key is the key, and a table holds a
// live short-string key in one node (a removed one is LUA_TDEADKEY, gc/mark.ts), so the node is the
// one the walk finds.
// The hash of a constant key is known when compiling (the seed is fixed); "__index" is read from
// vm/tm.ts's fixed names at run time (a module holds no address of the state's objects).
// Invariant: a module whose code calls $getstr declares it (lk_declare) right after its entry
// function and adds its body (lk_body) right after the entry function's.

import * as w from "./wasmgen";
import { WasmModule } from "./wasmgen";
import { TV_TT_OFFSET, TV_VALUE_OFFSET, LUA_VSHRSTR, LUA_VTABLE, tsvalue } from "../object/value";
import { T_LSIZENODE_OFFSET, T_NODE_OFFSET, T_METATABLE_OFFSET, T_FLAGS_OFFSET, NODE_NEXT_OFFSET, NODE_KEY_OFFSET } from "../object/table";
import { strhash } from "../object/string";
import { tmname, tmnames } from "../vm/tm";
import { jitnil } from "./helpers";
import { ldptr } from "./regcache";
import { kaddr, kval } from "./emit";
import { OP, GET_OPCODE } from "../vm/opcodes";
import * as S from "./emit";

/** vm/tm.ts TM.INDEX (its bit in a table's absent-metamethod flags). */
// @ts-ignore: decorator
@inline export const TM_INDEX: i32 = 0;
/** object/string.ts: a TString's hash (what its strhash reads). */
// @ts-ignore: decorator
@inline const TS_HASH_OFFSET: u32 = 8;
/** Levels of an index chain walked (the table and its __index tables); a longer one: the interpreter. */
// @ts-ignore: decorator
@inline const MAXCHAIN: i32 = 8;
/** The key for the metafield "__index" (vm/tm.ts tmname(TM.INDEX)) instead of a constant. */
// @ts-ignore: decorator
@inline const KEY_INDEX: i32 = -1;

// ==== The key looked up ====
// The emitters below read the key from here: a constant K[KC] (or "__index": KEY_INDEX), the
// short string in register R[KREG] (KREG >= 0), or the locals KLOC and HLOC ($getstr's parameters:
// KLOC >= 0). They write through emit.ts's c and its scratch locals T1, T2, E, P.

let KREG = -1, KC = 0, KLOC = -1, HLOC = -1;

function pushkey(): void {
  if (KLOC >= 0) w.emit_local_get(S.c, KLOC);
  else if (KREG >= 0) ldptr(KREG);
  else if (KC == KEY_INDEX) { w.emit_i32_const(S.c, <i32>tmnames); w.emit_load(S.c, w.OP_I32_LOAD, 2, <u32>TM_INDEX << 2); }
  else kval(KC);
}
function pushhash(): void {
  if (KLOC >= 0) w.emit_local_get(S.c, HLOC);
  else if (KREG >= 0) { ldptr(KREG); w.emit_load(S.c, w.OP_I32_LOAD, 2, TS_HASH_OFFSET); }
  else w.emit_i32_const(S.c, <i32>strhash(KC == KEY_INDEX ? tmname(TM_INDEX) : tsvalue(kaddr(KC))));
}
function setkey(kc: i32, reg: i32): void { KC = kc; KREG = reg; KLOC = -1; HLOC = -1; }

/** Pushes the main position of the key in the table in local `tbl`. */
function mainpos(tbl: i32): void {
  const c = S.c;
  pushhash();
  w.emit_i32_const(c, 1);
  w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_LSIZENODE_OFFSET);
  w.emit_op(c, w.OP_I32_SHL); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB);
  w.emit_op(c, w.OP_I32_AND);
  w.emit_i32_const(c, 5); w.emit_op(c, w.OP_I32_SHL);
  w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET);
  w.emit_op(c, w.OP_I32_ADD);
}

/**
 * Branches to `depth` when the key of the node in T2 is the key (a short string: same string, same
 * object): the payload first (rarely equal otherwise), then the tag, each tested by its own branch
 * (an i32.and of the two made V8 compute both as 0/1 values: nbody's `advance` had 133 of them).
 */
function brifkey(depth: i32): void {
  const c = S.c;
  w.emit_local_get(c, S.T2); w.emit_load(c, w.OP_I32_LOAD, 2, NODE_KEY_OFFSET + TV_VALUE_OFFSET);
  pushkey();
  w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, S.T2); w.emit_load(c, w.OP_I32_LOAD, 2, NODE_KEY_OFFSET + TV_TT_OFFSET);
  w.emit_i32_const(c, LUA_VSHRSTR); w.emit_op(c, w.OP_I32_EQ); w.emit_br_if(c, depth + 1);
  w.emit_end(c);
}

/** Pushes whether T2 is a node (not 0) whose value is not empty. */
function hasvalue(): void {
  const c = S.c;
  w.emit_local_get(c, S.T2);
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, S.T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
  w.emit_else(c); w.emit_i32_const(c, 0);
  w.emit_end(c);
}

// ==== Lookups ====

/**
 * T2 := the node of short-string constant K[kc] (or of the short string in register R[reg] when
 * reg >= 0, its hash read from it) in the table whose address is in local `tbl`; an absent key
 * branches to $slow (depth 0 where this is emitted) when `toslow`, else leaves T2 = 0. A constant
 * key of the unit at `pc` tries its site's cached node first. Clobbers E.
 */
export function hashwalk(kc: i32, tbl: i32, toslow: bool, reg: i32 = -1, pc: i32 = -1): void {
  setkey(kc, reg);
  walk(tbl, toslow, reg < 0 && pc >= 0 ? siteglobal(pc) : -1);
}

/**
 * hashwalk with the key as set: the node cached in global `site` (>= 0), its main position, else
 * along the chain (a loop entered only then); where the walk finds it, the site caches it.
 */
function walk(tbl: i32, toslow: bool, site: i32 = -1): void {
  const c = S.c, T2 = S.T2, E = S.E;
  const cached = site >= 0, x = cached ? 1 : 0;      // (x: the labels $walked and $probe add)
  w.emit_block(c, w.BT_VOID);                          // $found
  if (cached) {
    w.emit_block(c, w.BT_VOID);                        // $walked: T2 found by the walk
    w.emit_block(c, w.BT_VOID);                        // $probe: the cached node is not it
    // offset < node count << 5 (offset >> (lsizenode + 5) == 0): a node of this table
    w.emit_global_get(c, site); w.emit_local_tee(c, T2);
    w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_LSIZENODE_OFFSET);
    w.emit_i32_const(c, 5); w.emit_op(c, w.OP_I32_ADD); w.emit_op(c, w.OP_I32_SHR_U);
    w.emit_br_if(c, 0);
    w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET);
    w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, T2);
    brifkey(2);                                        // → $found
    w.emit_end(c);                                     // $probe
  }
  mainpos(tbl); w.emit_local_set(c, T2);
  brifkey(0);
  w.emit_loop(c, w.BT_VOID);                           // $chain
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, NODE_NEXT_OFFSET); w.emit_local_tee(c, E);
  w.emit_op(c, w.OP_I32_EQZ);
  if (toslow) w.emit_br_if(c, 2 + x);                  // end of the chain: absent → $slow
  else {
    w.emit_if(c, w.BT_VOID); w.emit_i32_const(c, 0); w.emit_local_set(c, T2); w.emit_br(c, 2 + x); w.emit_end(c);
  }
  w.emit_local_get(c, T2); w.emit_local_get(c, E); w.emit_i32_const(c, 5); w.emit_op(c, w.OP_I32_SHL);
  w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, T2);
  brifkey(1);
  w.emit_br(c, 0);
  w.emit_end(c);
  w.emit_op(c, w.OP_UNREACHABLE);                      // (the chain loop only leaves by a branch)
  if (cached) {
    w.emit_end(c);                                     // $walked: the site caches T2's offset
    w.emit_local_get(c, T2); w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET);
    w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, site);
  }
  w.emit_end(c);                                       // $found
}

/**
 * T2 := the slot holding the value of short-string constant K[kc] in the table in local `tbl` or
 * along its chain of table-valued __index metafields, or jitnil when the chain ends without one,
 * inline (chain, the site at `pc` caching the key's node and the "__index" node where found);
 * what the interpreter must do branches to $slow (depth `d` where this is emitted). Clobbers
 * tbl, P, E, T1.
 */
export function indexchain(kc: i32, tbl: i32, d: i32, pc: i32): void {
  setkey(kc, -1);
  const site = siteglobal(pc);
  chain(tbl, d, site, site >= 0 ? site + 1 : -1);
}

/**
 * As indexchain, with the table's own slot inline (the site at `pc` cached) and the rest of the
 * walk a call of $getstr (see the header). Clobbers E.
 */
export function getfield(kc: i32, tbl: i32, d: i32, pc: i32): void {
  const c = S.c, T2 = S.T2;
  setkey(kc, -1);
  w.emit_block(c, w.BT_VOID);                          // $got
  walk(tbl, false, siteglobal(pc));
  hasvalue(); w.emit_br_if(c, 0);
  w.emit_local_get(c, tbl); pushkey(); pushhash(); w.emit_call(c, FN_GETSTR); w.emit_local_tee(c, T2);
  w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, d + 1);
  w.emit_end(c);
}

/**
 * luaV_finishget's walk for the key as set: each level's own slot, then its metatable's absence
 * bit for __index (fasttm) and its "__index" looked up raw (the absence is not cached, which
 * changes nothing but the interpreter's next lookup). T2 := the slot, or jitnil when the chain ends
 * without a value. An __index that is neither a table nor nil (a function: a call; a string or an
 * external table: their own metatables) and a chain longer than MAXCHAIN branch to $slow (depth
 * `d` where this is emitted). External tables are userdata, never LUA_VTABLE: a miss before this.
 */
function chain(tbl: i32, d: i32, keysite: i32 = -1, indexsite: i32 = -1): void {
  const c = S.c, T1 = S.T1, T2 = S.T2, P = S.P;
  w.emit_i32_const(c, MAXCHAIN); w.emit_local_set(c, T1);
  w.emit_block(c, w.BT_VOID);                          // $got: T2 is the slot
  w.emit_loop(c, w.BT_VOID);                           // $level: tbl is the table to look in
  walk(tbl, false, keysite);
  hasvalue(); w.emit_br_if(c, 1);
  // absent or nil: nil unless the metatable has an __index (no metatable, or its absence cached)
  w.emit_i32_const(c, <i32>jitnil); w.emit_local_set(c, T2);
  w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD, 2, T_METATABLE_OFFSET); w.emit_local_tee(c, P);
  w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_FLAGS_OFFSET);
  w.emit_i32_const(c, 1 << TM_INDEX); w.emit_op(c, w.OP_I32_AND); w.emit_br_if(c, 1);
  const kreg = KREG, kc = KC, kloc = KLOC, hloc = HLOC;
  setkey(KEY_INDEX, -1);
  walk(P, false, indexsite);
  KREG = kreg; KC = kc; KLOC = kloc; HLOC = hloc;
  w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);                             // no "__index" key: nil
  w.emit_i32_const(c, <i32>jitnil); w.emit_local_set(c, T2); w.emit_br(c, 2);
  w.emit_end(c);
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET); w.emit_local_set(c, P);
  w.emit_local_get(c, P); w.emit_i32_const(c, LUA_VTABLE); w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID);                             // a table: the next level, while levels are left
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET); w.emit_local_set(c, tbl);
  w.emit_local_get(c, T1); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_local_tee(c, T1);
  w.emit_br_if(c, 1);
  w.emit_br(c, d + 3);
  w.emit_end(c);
  w.emit_local_get(c, P); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);                             // a nil __index: nil
  w.emit_i32_const(c, <i32>jitnil); w.emit_local_set(c, T2); w.emit_br(c, 2);
  w.emit_end(c);
  w.emit_br(c, d + 2);                                 // a function, a string, a userdata: $slow
  w.emit_end(c);
  w.emit_op(c, w.OP_UNREACHABLE);
  w.emit_end(c);
}

// ==== $getstr ====

let FN_GETSTR = 0;

/** Declares $getstr(t, key, hash) → slot in module m (right after its entry function). */
export function lk_declare(m: WasmModule): void {
  FN_GETSTR = w.wm_func(m, w.wm_type(m, w.sig(w.WT_I32, w.WT_I32, w.WT_I32), w.sig(w.WT_I32)));
}

/**
 * Adds $getstr's body to m: chain with the key in its parameters, written with emit.ts's code
 * buffer and scratch locals pointed at the new function's for the while.
 */
export function lk_body(m: WasmModule): void {
  const f = w.fb_new(3);                               // (t, key, hash)
  const c = S.c, T1 = S.T1, T2 = S.T2, E = S.E, P = S.P;
  S.c = f.code;
  S.T1 = w.fb_local(f, w.WT_I32); S.T2 = w.fb_local(f, w.WT_I32);
  S.E = w.fb_local(f, w.WT_I32); S.P = w.fb_local(f, w.WT_I32);
  KLOC = 1; HLOC = 2; KREG = -1;
  w.emit_block(f.code, w.BT_VOID);                     // $slow
  chain(0, 0);
  w.emit_local_get(f.code, S.T2); w.emit_op(f.code, w.OP_RETURN);
  w.emit_end(f.code);
  w.emit_i32_const(f.code, 0);
  S.c = c; S.T1 = T1; S.T2 = T2; S.E = E; S.P = P;
  KLOC = -1; HLOC = -1;
  w.wm_body(m, f); w.fb_free(f);
}

// ==== Site caches ====

let sites: usize = 0;        // i32 per pc: the global index of the site's cache, or -1
let nsitecode = 0;

/**
 * Declares a cache global (initially offset 0) for each constant-key lookup site of the code in
 * module m, and for a SELF a second one, for the "__index" lookups of its walk.
 */
export function lk_globals(m: WasmModule, code: usize, ncode: i32): void {
  lk_freesites();
  sites = heap.alloc(<usize>ncode << 2); nsitecode = ncode;
  for (let pc = 0; pc < ncode; pc++) {
    const op = GET_OPCODE(load<u32>(code + (<usize>pc << 2)));
    const cacheable = op == OP.GETFIELD || op == OP.GETTABUP || op == OP.SETFIELD || op == OP.SETTABUP;
    let g = -1;
    if (cacheable || op == OP.SELF) g = w.wm_global_i32(m, 0);
    if (op == OP.SELF) w.wm_global_i32(m, 0);          // (g + 1: its "__index" lookups')
    store<i32>(sites + (<usize>pc << 2), g);
  }
}

export function lk_freesites(): void {
  if (sites != 0) heap.free(sites);
  sites = 0; nsitecode = 0;
}

function siteglobal(pc: i32): i32 {
  if (sites == 0 || pc < 0 || pc >= nsitecode) return -1;
  return load<i32>(sites + (<usize>pc << 2));
}
