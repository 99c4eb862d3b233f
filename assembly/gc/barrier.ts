// barrier.ts - write barriers (lgc.h luaC_barrier / luaC_barrierback / luaC_objbarrier).
//
// A barrier keeps the tri-colour invariant (no black object points to a white one) when a reference
// is stored while a cycle is in progress. Today every cycle runs stop-the-world inside one call
// (collect.ts), so no store can happen between marking and sweeping and the barriers are empty; the
// VM and libraries already call them at the right places so that making the collector incremental
// only needs their bodies:
//   luaC_barrierback(L, t)   after storing any value into table t (t goes back to gray)
//   luaC_barrier(L, o, v)    after storing value v (a TValue pointer) into object o (upvalue, userdata
//                            user value, native closure upvalue, metatable slot)
//   luaC_objbarrier(L, o, x) same, when the stored thing is an object pointer x

/** After a store of any value into table `t`. */
// @ts-ignore: decorator
@inline export function luaC_barrierback(L: usize, t: usize): void { }

/** After a store of value `v` (TValue pointer) into object `o`. */
// @ts-ignore: decorator
@inline export function luaC_barrier(L: usize, o: usize, v: usize): void { }

/** After a store of object `x` into object `o`. */
// @ts-ignore: decorator
@inline export function luaC_objbarrier(L: usize, o: usize, x: usize): void { }
