// barrier.ts - write barriers (lgc.h luaC_barrier / luaC_barrierback / luaC_objbarrier).
//
// While the collector marks incrementally (collect.ts keepinvariant: propagate and atomic), no black
// object may refer to a white one, or the white one could be freed while still reachable. Every
// store of a collectable value into an object that may be black must be followed by a barrier:
//   luaC_barrierback(L, t)   after storing any value into table t: a black t turns gray again and is
//                            traversed again in atomic (cheap for tables that take many stores).
//                            Also accepted for closures and userdata; an upvalue gets the forward
//                            barrier on its value.
//   luaC_barrier(L, o, v)    after storing value v (a TValue pointer) into object o (upvalue, userdata
//                            user value, native closure upvalue): a white v stored into a black o is
//                            marked at once (forward barrier)
//   luaC_objbarrier(L, o, x) same, when the stored thing is an object pointer x (metatables,
//                            upvalues joined into a closure)
// During the sweep phase black objects not swept yet may still exist; a barrier there just makes the
// object white (it is live, and the next cycle will traverse it again). Stores need no barrier into
// objects created since the last safe point (white), into thread stacks (threads are never black
// outside atomic) and into the root slots (registry and globals pointers, basic-type metatables,
// errobj, luaC_pushroot: all re-marked in atomic). The registry and globals tables themselves are
// ordinary tables: stores into them need barriers.
// `L` is unused: the collector has a single global state.

import { iscollectable, gcvalue } from "../object/value";
import { gettt, iswhite, isblack } from "../object/header";
import { uv_v } from "../object/func";
import { keepinvariant, makewhite } from "./collect";
import { reallymarkobject, linkgrayagain } from "./mark";

/** Slow path of the forward barrier: `o` is black and `x` white (luaC_barrier_). */
function barrier_(o: usize, x: usize): void {
  if (keepinvariant()) reallymarkobject(x);     // restore the invariant: x is reachable now
  else makewhite(o);                            // sweep phase: avoid further barriers on o
}

/** Slow path of the back barrier: `o` is black (luaC_barrierback_). */
function barrierback_(o: usize): void {
  if (gettt(o) == 9) {                          // an upvalue has no gray list: forward barrier
    const v = uv_v(o);
    if (iscollectable(v) && iswhite(gcvalue(v))) barrier_(o, gcvalue(v));
    return;
  }
  linkgrayagain(o);                             // gray again: traversed again in atomic
}

/** After a store of any value into table `t` (or closure/userdata/upvalue). */
// @ts-ignore: decorator
@inline export function luaC_barrierback(L: usize, t: usize): void {
  if (isblack(t)) barrierback_(t);
}

/** After a store of value `v` (TValue pointer) into object `o`. */
// @ts-ignore: decorator
@inline export function luaC_barrier(L: usize, o: usize, v: usize): void {
  if (iscollectable(v) && isblack(o) && iswhite(gcvalue(v))) barrier_(o, gcvalue(v));
}

/** After a store of object `x` (0 allowed) into object `o`. */
// @ts-ignore: decorator
@inline export function luaC_objbarrier(L: usize, o: usize, x: usize): void {
  if (x != 0 && isblack(o) && iswhite(x)) barrier_(o, x);
}
