// sweep.ts - sweeping the object lists and freeing dead objects by type (lgc.c sweep + freeobj).
//
// After the whites flip, an object carrying `otherwhite` is dead: it is unlinked and freed with the
// free function of its type; every survivor is repainted with the current white for the next cycle.
// The sweep is incremental: collect.ts sweeps allgc, finobj and tobefnz in steps of a few objects
// while the program runs. Objects created meanwhile carry the current white and are kept; objects
// moved between lists meanwhile (luaC_checkfinalizer, finalizers) are repainted by the mover.
//
// Open upvalues: a dead open upvalue belongs to a dead thread (a live thread marks all of its open
// upvalues), and that thread's openupval list still links it. Freeing it at once would leave the
// thread's list dangling until the thread itself is swept, so dead open upvalues are only queued
// (`deadupvals`) and freed after the whole sweep. When a dead thread is freed, its live open upvalues
// (still used by a reachable closure) are closed first, exactly as luaE_freethread does in PUC.
// Invariant: after the sweep phase no list holds an object with the other white and deadupvals is
// empty.

import { luaM_freeobj } from "../mem/alloc";
import { BLACKBIT, WHITEBITS, gettt, getmarked, setmarked, getnext, setnext } from "../object/header";
import { luaS_free, luaS_remove, strtcount, strtsz, luaS_resize } from "../object/string";
import { luaH_free } from "../object/table";
import {
  luaF_freeproto, cl_nupvalues, sizeLclosure, sizeCclosure, UPVAL_SIZE, upisopen, uv_opennext,
  luaF_closeupval,
} from "../object/func";
import { luaS_freeudata } from "../object/userdata";
import { luaE_freethread, L_openupval, L_setopenupval } from "../vm/state";
import { currentwhite, otherwhite, isdead, sweepgc, setsweepgc } from "./collect";

/** Work units charged for freeing an object (a live one costs 1). */
// @ts-ignore: decorator
@inline const FREECOST: i32 = 4;

/** Smallest intern table kept when shrinking (string.ts starts at 128 buckets). */
// @ts-ignore: decorator
@inline const MINSTRTABSIZE: i32 = 128;

let deadupvals: usize = 0;   // dead open upvalues, linked through `next`, freed after the sweep

/** Closes the live open upvalues of a dead thread and forgets its list. */
function closethreadupvals(th: usize): void {
  for (let uv = L_openupval(th); uv != 0; uv = uv_opennext(uv)) {
    if (!isdead(uv)) luaF_closeupval(uv);    // a reachable closure still uses it
  }
  L_setopenupval(th, 0);
}

/** Frees one dead object according to its type (freeobj); inlined into the sweep loop, its only caller. */
// @ts-ignore: decorator
@inline function freeobj(o: usize): void {
  switch (gettt(o)) {
    case 4: luaS_remove(o); luaS_free(o); break;                 // interned short string
    case 20: luaS_free(o); break;                                // long string
    case 5: luaH_free(o); break;
    case 6: luaM_freeobj(o, sizeLclosure(cl_nupvalues(o))); break;
    case 38: luaM_freeobj(o, sizeCclosure(cl_nupvalues(o))); break;
    case 7: luaS_freeudata(o); break;
    case 8: closethreadupvals(o); luaE_freethread(o); break;
    case 9: {
      if (upisopen(o)) { setnext(o, deadupvals); deadupvals = o; }   // its thread may still link it
      else luaM_freeobj(o, UPVAL_SIZE);
      break;
    }
    case 10: luaF_freeproto(o); break;
    default: unreachable();
  }
}

/**
 * Sweeps from the sweeper's position (sweepgc in collect.ts: the address of the link to follow, a
 * list head or an object's `next` field), freeing dead ones and repainting the others with the
 * current white (sweeplist), until `max` units of work: a live object costs 1, a freed one
 * FREECOST (freeing touches the allocator's neighbours and, for strings, the intern table).
 * Returns the work done; the position becomes 0 at the end of the list.
 */
export function sweepstep(max: i32): i32 {
  let p = sweepgc;
  if (p == 0) return 0;
  const ow = otherwhite() & WHITEBITS;
  const cw = currentwhite;
  let i = 0;
  while (i < max) {
    const cur = load<usize>(p);
    if (cur == 0) break;
    const m = getmarked(cur);
    if ((m & ow) != 0) {                   // dead
      store<usize>(p, getnext(cur));
      freeobj(cur);
      i += FREECOST;
    } else {
      i++;
      setmarked(cur, (m & ~(BLACKBIT | WHITEBITS)) | cw);
      p = cur;                             // `next` is at offset 0: the object is its link's address
    }
  }
  setsweepgc(load<usize>(p) == 0 ? 0 : p);
  return i;
}

/** Starts sweeping the list whose head slot is at `head` (0: no more lists). */
export function sweepsetlist(head: usize): void { setsweepgc(head); }

/** Whether the current list has been swept to its end. */
export function sweepdone(): bool { return sweepgc == 0; }

/**
 * After the last list: frees the queued dead open upvalues and shrinks the intern table. `peak` is
 * the number of interned strings at the cycle's atomic phase (0 for a full collection).
 */
export function sweepfinish(peak: i32): void {
  while (deadupvals != 0) {
    const uv = deadupvals;
    deadupvals = getnext(uv);
    luaM_freeobj(uv, UPVAL_SIZE);
  }
  checksizes(peak);
}

/**
 * Shrinks the intern table when it is mostly empty (checkSizes). PUC halves it when less than 1/4
 * full; here it shrinks only when less than 1/8 full, to the smallest size still at least 1/8 full,
 * so a program whose strings die and are re-created every cycle does not rehash the whole table
 * twice per cycle (shrink here, grow again in string.ts: each rehash of millions of strings is a
 * pause of tens of milliseconds). Nor does it shrink in an incremental cycle while the count at its
 * atomic phase (`peak`: the strings that died in this cycle were still counted then) is a quarter
 * of the size or more: a program whose short strings die several times over per cycle (a 100 MB
 * heap of tables with a string mutator: bench/gc-pause.mjs) would otherwise shrink at every sweep's
 * end (a 40 ms rehash) and grow again in the middle of the next cycle (90 ms). A full collection
 * (`peak` 0) shrinks to fit, as before.
 */
function checksizes(peak: i32): void {
  const size = strtsz();
  let ns = size;
  while (ns > MINSTRTABSIZE && strtcount() < ns / 8 && peak < ns / 4) ns >>= 1;
  if (ns != size) luaS_resize(ns);
}
