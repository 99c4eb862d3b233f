// mark.ts - roots, the gray lists and per-type traversal (lgc.c mark + traverse).
//
// Marking turns a white object gray (linked in `gray` through its gclist field) and traversing a
// gray object turns it black after marking everything it references. Strings are leaves and go
// straight to black; upvalues have no gclist field, so they are blackened on the spot after marking
// their value (one level of recursion, as in PUC). Weak tables are traversed by weak.ts.
//
// Incremental marking (collect.ts runs propagatemark one object at a time):
//  - a thread traversed while propagating stays gray in `grayagain`: its stack changes without
//    barriers, so atomic traverses it again (and only atomic clears and shrinks its stack);
//  - the back barrier (barrier.ts) turns a black table/closure/userdata gray again into `grayagain`;
//  - weak tables and ephemerons seen while propagating also wait in `grayagain`, so they are
//    classified (weak.ts lists) once, in atomic.
// An object linked in any list is gray; the barriers ignore gray objects.
//
// gclist field offsets by type:  table 28 | Lua/native closure 8 | userdata 16 | thread 40 | proto 68
//
// Invariant: after propagateall() the gray list is empty; at the end of atomic every object
// reachable from the roots through strong references is black (or gray forever when fixed, or
// gray in a weak list). checkinvariant() verifies this over the whole heap in stress builds.

import { EXTRA_STACK, LUAI_MAXSTACK, LUA_MINSTACK, STRESS } from "../luaconf";
import {
  TVALUE_SIZE, iscollectable, gcvalue, setnilvalue, isempty, LUA_TDEADKEY, settt,
} from "../object/value";
import { WHITEBITS, BLACKBIT, gettt, getmarked, setmarked, iswhite, isblack, getnext } from "../object/header";
import * as ltable from "../object/table";
import {
  cl_nupvalues, cl_proto, cl_upval, ccl_upvalue, uv_v, uv_opennext,
  p_source, p_sizek, p_k, p_sizep, p_p, p_proto, p_sizeupvalues, p_upvalues, upvaldesc, uvd_name,
  p_sizelocvars, p_locvars, locvar, lv_name,
} from "../object/func";
import { udata_nuvalue, udata_metatable, udata_uv } from "../object/userdata";
import {
  mainthread, registry, globaltable, G_mt, errobj, L_stack, L_top, L_stacksize, L_openupval,
  L_ci, ci_top, ci_previous, luaD_reallocstack, freeCIs,
} from "../vm/state";
import { traverseweakvalue, traverseephemeron, linkallweak, getmode, MODE_K, MODE_V } from "./weak";
import { gcstate, GCSpropagate, GCSatomic, ALLGC, FINOBJ, TOBEFNZ } from "./collect";

// ==== Gray lists ====

let gray: usize = 0;
let grayagain: usize = 0;
let savedgrayagain: usize = 0;

export function resetgray(): void { gray = 0; grayagain = 0; savedgrayagain = 0; }
export function hasgray(): bool { return gray != 0; }

/** Offset of the gclist field of a gray-able object, by variant tag. */
function gclistoffset(tt: u8): usize {
  switch (tt) {
    case 5: return 28;                  // table
    case 6: case 38: return 8;          // Lua / native closure
    case 7: return 16;                  // userdata
    case 8: return 40;                  // thread
    case 10: return 68;                 // proto
    default: unreachable(); return 0;   // strings and upvalues are never gray-listed
  }
}

// @ts-ignore: decorator
@inline function getgclist(o: usize): usize { return load<usize>(o + gclistoffset(gettt(o))); }
// @ts-ignore: decorator
@inline function setgclist(o: usize, g: usize): void { store<usize>(o + gclistoffset(gettt(o)), g); }

// ==== Colours ====
// @ts-ignore: decorator
@inline export function white2gray(o: usize): void { setmarked(o, getmarked(o) & ~WHITEBITS); }
// @ts-ignore: decorator
@inline export function set2gray(o: usize): void { setmarked(o, getmarked(o) & ~(WHITEBITS | BLACKBIT)); }
// @ts-ignore: decorator
@inline export function set2black(o: usize): void { setmarked(o, (getmarked(o) & ~WHITEBITS) | BLACKBIT); }

/** Links an object in the gray list and paints it gray. */
// @ts-ignore: decorator
@inline function linkgray(o: usize): void { setgclist(o, gray); gray = o; set2gray(o); }

/** Links an object in grayagain (to be traversed again in atomic) and paints it gray. */
export function linkgrayagain(o: usize): void { setgclist(o, grayagain); grayagain = o; set2gray(o); }

/** Atomic, first thing: takes the grayagain list aside (re-traversed by remarkgrayagain). */
export function takegrayagain(): void { savedgrayagain = grayagain; grayagain = 0; }

/** Atomic: makes the saved grayagain list the gray list; propagateall then traverses it. */
export function remarkgrayagain(): void {
  let p = savedgrayagain;
  savedgrayagain = 0;
  while (p != 0) { const nx = getgclist(p); setgclist(p, gray); gray = p; p = nx; }
}

// ==== Marking ====

/** Marks a white object (reallymarkobject). */
export function reallymarkobject(o: usize): void {
  const tt = gettt(o);
  switch (tt) {
    case 4: case 20: {                  // strings: leaves
      set2black(o);
      return;
    }
    case 9: {                           // upvalue: no gclist, mark its value now
      set2black(o);                     // (open ones too: closing has a barrier, and their thread
      markvalue(uv_v(o));               //  is re-traversed in atomic if alive)
      return;
    }
    case 7: {                           // userdata without user values: only the metatable
      if (udata_nuvalue(o) == 0) {
        const mt = udata_metatable(o);
        if (mt != 0 && iswhite(mt)) linkgray(mt);     // tables are never leaves
        set2black(o);
        return;
      }
      break;
    }
    default: break;
  }
  linkgray(o);
}

/** Marks an object pointer if it is non-null and white. */
// @ts-ignore: decorator
@inline export function markobject(o: usize): void {
  if (o != 0 && iswhite(o)) reallymarkobject(o);
}

/** Marks the object a value refers to, if collectable and white (dead keys are not collectable). */
// @ts-ignore: decorator
@inline export function markvalue(v: usize): void {
  if (iscollectable(v)) {
    const o = gcvalue(v);
    if (iswhite(o)) reallymarkobject(o);
  }
}

/** Whether a value refers to a white (not yet marked) object. */
// @ts-ignore: decorator
@inline export function valiswhite(v: usize): bool { return iscollectable(v) && iswhite(gcvalue(v)); }

/**
 * Turns the key of an entry whose value is empty into a dead key (clearkey): the object may be
 * freed, so the key must never be dereferenced again; `next` still finds it by pointer.
 */
// @ts-ignore: decorator
@inline export function clearkey(n: usize): void {
  const k = ltable.gkey(n);
  if (iscollectable(k)) settt(k, LUA_TDEADKEY);
}

// ==== Temporary roots (AS code holding pointers across a safe point) ====

let roots: usize = 0;      // usize[rootcap], collector-internal (not counted in totalbytes)
let nroots: i32 = 0;
let rootcap: i32 = 0;

/**
 * Anchors object `o` (0 allowed) until the matching luaC_poproot (roots are marked again in
 * atomic). An anchored object may be black already: stores into it still need their barrier.
 */
export function luaC_pushroot(o: usize): void {
  if (nroots == rootcap) {
    const ncap = rootcap == 0 ? 32 : rootcap * 2;
    const nr = heap.alloc(<usize>ncap << 2);
    if (nroots > 0) memory.copy(nr, roots, <usize>nroots << 2);
    if (roots != 0) heap.free(roots);
    roots = nr;
    rootcap = ncap;
  }
  store<usize>(roots + (<usize>nroots << 2), o);
  nroots++;
}

/** Drops the `n` most recently pushed temporary roots. */
export function luaC_poproot(n: i32): void {
  nroots -= n;
  if (nroots < 0) nroots = 0;   // unbalanced pops are a caller bug; never corrupt memory over it
}

export function luaC_nroots(): i32 { return nroots; }

/** Marks the root set (restartcollection's markroots, again in atomic): threads, registry, globals, metatables. */
export function markroots(L: usize): void {
  markobject(mainthread);
  markobject(L);                         // the running thread, if it is a coroutine
  markobject(registry);
  markobject(globaltable);
  for (let t = 0; t < 9; t++) markobject(G_mt(t));
  markvalue(errobj);
  for (let i = 0; i < nroots; i++) markobject(load<usize>(roots + (<usize>i << 2)));
}

// ==== Traversal ====

/**
 * Marks a value found in a table (markvalue): a white table, the most common object in a table, is
 * linked gray here without a call.
 */
// @ts-ignore: decorator
@inline function marktablevalue(v: usize): void {
  if (iscollectable(v)) {
    const o = gcvalue(v);
    if (iswhite(o)) {
      if (gettt(o) == ltable.VTABLE_TT) { ltable.setgclist(o, gray); gray = o; set2gray(o); }
      else reallymarkobject(o);
    }
  }
}

/** Traverses a table with strong keys and values (traversestrongtable). */
function traversestrongtable(h: usize): void {
  const asz = ltable.asize(h);
  for (let i: u32 = 0; i < asz; i++) marktablevalue(ltable.arrayslot(h, i));
  const n = ltable.allocsizenode(h);
  for (let i = 0; i < n; i++) {
    const nd = ltable.gnode(h, i);
    if (isempty(ltable.gval(nd))) clearkey(nd);
    else {
      markvalue(ltable.gkey(nd));
      marktablevalue(ltable.gval(nd));
    }
  }
}

/** Traverses a table according to its weak mode (traversetable); returns the work done. */
function traversetable(h: usize): i64 {
  markobject(ltable.getmetatable(h));
  const mode = getmode(h);
  if (mode == 0) traversestrongtable(h);
  else if (mode == MODE_V) traverseweakvalue(h);
  else if (mode == MODE_K) traverseephemeron(h);
  else linkallweak(h);                   // all weak: nothing to mark, only to clear later
  return 1 + <i64>ltable.asize(h) + 2 * <i64>ltable.allocsizenode(h);
}

function traverseLclosure(cl: usize): i64 {
  markobject(cl_proto(cl));
  const n = cl_nupvalues(cl);
  for (let i = 0; i < n; i++) markobject(cl_upval(cl, i));   // may be 0 while being built
  return 1 + <i64>n;
}

function traverseCclosure(cl: usize): i64 {
  const n = cl_nupvalues(cl);
  for (let i = 0; i < n; i++) markvalue(ccl_upvalue(cl, i));
  return 1 + <i64>n;
}

function traverseudata(u: usize): i64 {
  markobject(udata_metatable(u));
  const n = udata_nuvalue(u);
  for (let i = 0; i < n; i++) markvalue(udata_uv(u, i));
  return 1 + <i64>n;
}

/** Traverses a prototype: source, constants, nested protos, upvalue and local names. */
function traverseproto(p: usize): i64 {
  markobject(p_source(p));
  let work: i64 = 1;
  if (p_k(p) != 0) {
    const nk = p_sizek(p);
    for (let i = 0; i < nk; i++) markvalue(p_k(p) + (<usize>i << 4));
    work += nk;
  }
  if (p_p(p) != 0) {
    const np = p_sizep(p);
    for (let i = 0; i < np; i++) markobject(p_proto(p, i));
    work += np;
  }
  if (p_upvalues(p) != 0) {
    const nu = p_sizeupvalues(p);
    for (let i = 0; i < nu; i++) markobject(uvd_name(upvaldesc(p, i)));
    work += nu;
  }
  if (p_locvars(p) != 0) {
    const nl = p_sizelocvars(p);
    for (let i = 0; i < nl; i++) markobject(lv_name(locvar(p, i)));
    work += nl;
  }
  return work;
}

/**
 * Traverses a thread (traversethread): the live part of its stack (below top) and its open upvalues
 * (so they are never freed while the thread's list links them). While propagating, the thread goes
 * back to grayagain; in atomic the dead part of the stack is cleared, so stale slots neither keep
 * garbage alive nor dangle after the sweep, and an oversized stack shrinks.
 */
function traversethread(th: usize): i64 {
  if (gcstate == GCSpropagate) linkgrayagain(th);
  const stk = L_stack(th);
  if (stk == 0) return 1;                // not fully built yet
  const top = L_top(th);
  for (let p = stk; p < top; p += TVALUE_SIZE) markvalue(p);
  for (let uv = L_openupval(th); uv != 0; uv = uv_opennext(uv)) markobject(uv);
  if (gcstate == GCSatomic) {
    const end = stk + (<usize>(L_stacksize(th) + EXTRA_STACK) << 4);
    for (let p = top; p < end; p += TVALUE_SIZE) setnilvalue(p);
    shrinkstack(th);
  }
  return 1 + <i64>L_stacksize(th);
}

/**
 * Slots of a thread's stack in use: up to the highest of its top and its frames' tops, at least
 * LUA_MINSTACK (stackinuse).
 */
function stackinuse(th: usize): i32 {
  let lim = L_top(th);
  for (let ci = L_ci(th); ci != 0; ci = ci_previous(ci)) if (ci_top(ci) > lim) lim = ci_top(ci);
  const n = <i32>((lim - L_stack(th)) >> 4) + 1;
  return n < LUA_MINSTACK ? LUA_MINSTACK : n;
}

/**
 * Gives back what a deep recursion left behind (luaD_shrinkstack + luaE_shrinkCI): a stack more than
 * three times larger than its use shrinks to twice the use, and the CallInfos past the running one
 * are freed. A thread still handling a stack overflow (use beyond LUAI_MAXSTACK) keeps its stack.
 * This moves the stack, so every safe point must re-derive pointers into it (the VM re-reads `base`
 * after luaC_checkGC). The stress builds move every stack at every atomic phase.
 */
function shrinkstack(th: usize): void {
  const inuse = stackinuse(th);
  const max = inuse > LUAI_MAXSTACK / 3 ? LUAI_MAXSTACK : inuse * 3;
  const size = L_stacksize(th);
  if (inuse <= LUAI_MAXSTACK && size > max) {
    luaD_reallocstack(th, inuse > LUAI_MAXSTACK / 2 ? LUAI_MAXSTACK : inuse * 2);
  } else if (STRESS) {
    luaD_reallocstack(th, size);                    // same size, new place (see mem/alloc STRESS)
  }
  freeCIs(th);
}

/** Blackens the first gray object and traverses it (propagatemark); returns the work done. */
export function propagatemark(): i64 {
  const o = gray;
  gray = getgclist(o);
  set2black(o);
  switch (gettt(o)) {
    case 5: return traversetable(o);
    case 6: return traverseLclosure(o);
    case 38: return traverseCclosure(o);
    case 7: return traverseudata(o);
    case 8: return traversethread(o);
    case 10: return traverseproto(o);
    default: unreachable(); return 0;
  }
}

/** Traverses gray objects until none is left; returns the work done. */
export function propagateall(): i64 {
  let work: i64 = 0;
  while (gray != 0) work += propagatemark();
  return work;
}

// ==== Invariant check (stress builds) ====

let badobj: usize = 0;

/** Records a black object `o` referring to white object `x`. */
// @ts-ignore: decorator
@inline function checkref(o: usize, x: usize): void {
  if (x != 0 && iswhite(x) && badobj == 0) badobj = o;
}
// @ts-ignore: decorator
@inline function checkval(o: usize, v: usize): void {
  if (iscollectable(v)) checkref(o, gcvalue(v));
}

/** Checks the references of one black object. */
function checkobject(o: usize): void {
  switch (gettt(o)) {
    case 5: {
      checkref(o, ltable.getmetatable(o));
      const mode = getmode(o);
      if ((mode & MODE_V) == 0) {
        const asz = ltable.asize(o);
        for (let i: u32 = 0; i < asz; i++) checkval(o, ltable.arrayslot(o, i));
      }
      const n = ltable.allocsizenode(o);
      for (let i = 0; i < n; i++) {
        const nd = ltable.gnode(o, i);
        if (isempty(ltable.gval(nd))) continue;
        const k = ltable.gkey(nd);
        if ((mode & MODE_K) == 0) checkval(o, k);
        if ((mode & MODE_V) == 0 && !(iscollectable(k) && iswhite(gcvalue(k)))) checkval(o, ltable.gval(nd));
      }
      break;
    }
    case 6: {
      checkref(o, cl_proto(o));
      const n = cl_nupvalues(o);
      for (let i = 0; i < n; i++) checkref(o, cl_upval(o, i));
      break;
    }
    case 38: {
      const n = cl_nupvalues(o);
      for (let i = 0; i < n; i++) checkval(o, ccl_upvalue(o, i));
      break;
    }
    case 7: {
      checkref(o, udata_metatable(o));
      const n = udata_nuvalue(o);
      for (let i = 0; i < n; i++) checkval(o, udata_uv(o, i));
      break;
    }
    case 8: {
      const stk = L_stack(o);
      if (stk == 0) break;
      for (let p = stk; p < L_top(o); p += TVALUE_SIZE) checkval(o, p);
      for (let uv = L_openupval(o); uv != 0; uv = uv_opennext(uv)) checkref(o, uv);
      break;
    }
    case 9: checkval(o, uv_v(o)); break;
    case 10: {
      checkref(o, p_source(o));
      if (p_k(o) != 0) for (let i = 0; i < p_sizek(o); i++) checkval(o, p_k(o) + (<usize>i << 4));
      if (p_p(o) != 0) for (let i = 0; i < p_sizep(o); i++) checkref(o, p_proto(o, i));
      if (p_upvalues(o) != 0) for (let i = 0; i < p_sizeupvalues(o); i++) checkref(o, uvd_name(upvaldesc(o, i)));
      if (p_locvars(o) != 0) for (let i = 0; i < p_sizelocvars(o); i++) checkref(o, lv_name(locvar(o, i)));
      break;
    }
    default: break;
  }
}

function checklist(p: usize): void {
  for (; p != 0 && badobj == 0; p = getnext(p)) if (isblack(p)) checkobject(p);
}

/**
 * Stress builds, in atomic once marking is complete: no black object may refer to a white one
 * through a strong reference (a missing write barrier would let the sweep free a live object).
 * Aborts naming the type of the offending object.
 */
export function checkinvariant(): void {
  if (gray != 0) abort("GC: gray objects left at the end of marking");
  badobj = 0;
  checklist(load<usize>(ALLGC));
  checklist(load<usize>(FINOBJ));
  checklist(load<usize>(TOBEFNZ));
  if (badobj != 0) {
    abort("GC invariant broken: a black object of type " + gettt(badobj).toString() +
      " refers to a white object (missing write barrier)");
  }
}
