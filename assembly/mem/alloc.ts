// alloc.ts - raw allocation over linear memory with exact byte accounting.
// Invariant: totalbytes is the sum of the sizes of every live block handed out by this module; it is
// what collectgarbage("count") and lua_memory_used report, and what GC debt is measured against.
//
// Allocation itself never fails for sizes that pass `fits`: the memory limit is enforced (a) up front
// by natives and the VM before any allocation whose size depends on Lua data (string.rep, concat,
// table resize), through `fits`, and (b) at GC safe points, where a heap still over the limit after a
// full collection raises "not enough memory". Both are ordinary Lua errors; neither traps.

import { STRESS } from "../luaconf";

/** Bytes currently held by Lua objects and Lua-owned buffers. */
export let totalbytes: usize = 0;
/** Allocation debt: bytes allocated since the collector last ran; drives GC steps. */
export let gcdebt: isize = 0;
/** Hard ceiling: a single request above this is refused whatever the limit (wasm32 has 4 GiB). */
// @ts-ignore: decorator
@inline export const MAX_ALLOC: usize = 0x40000000 - 64;
/**
 * Largest memory limit (1.5 GiB of accounted bytes). Linear memory holds the accounted bytes plus
 * the allocator's block overhead and alignment (up to ~50% for the smallest objects) and some
 * unaccounted scratch, so this keeps the heap below wasm32's 4 GiB, where a failing memory.grow
 * inside the allocator would trap instead of raising "not enough memory".
 */
// @ts-ignore: decorator
@inline export const LIMIT_CEILING: usize = 0x60000000;
/** Memory limit in bytes; never 0 and never above LIMIT_CEILING. */
export let limit: usize = LIMIT_CEILING;

/** Sets the memory limit; 0 (or anything above the ceiling) means the ceiling. */
export function setlimit(n: u64): void {
  limit = n == 0 || n > <u64>LIMIT_CEILING ? LIMIT_CEILING : <usize>n;
}
export function resetdebt(): void { gcdebt = 0; }

/**
 * Linear memory beyond which a request is refused even under the limit: the allocator grows memory
 * by doubling and fragments, so linear memory can run well ahead of the accounted bytes, and a
 * memory.grow that fails inside it traps. Refusing large requests near 4 GiB keeps them errors.
 */
// @ts-ignore: decorator
@inline const LINEAR_CEILING: u64 = 0xF0000000;

// ==== Host bytes ====
// The memory limit bounds the Lua heap plus the bytes the host holds for this state (external tables,
// estimated by host/ext-tables.ts): Lua heap + host bytes <= limit. The host keeps its count in the
// first f64 here (it learns the address through the ext_bind import and rewrites it after every
// change), so the checks here read it for free; 0 when no host is bound. The second f64 is the
// host's request for a collection of its unreachable tables (non-zero: host/ext.ts answers it).
const HOSTBYTES: usize = memory.data(16, 8);

/** Address of the host's byte count and collection request (for ext_bind). */
export function hostbytesptr(): usize { return HOSTBYTES; }

/** Whether the host asked for the ids of the live proxies (its store grew since its last collection). */
// @ts-ignore: decorator
@inline export function hostwantsgc(): bool { return load<f64>(HOSTBYTES, 8) != 0; }

/** The room the Lua heap may use: the limit less the host's bytes (0 once the host holds more). */
export function heaplimit(): usize {
  const h = load<f64>(HOSTBYTES);
  if (!(h > 0)) return limit;
  return h >= <f64>limit ? 0 : limit - <usize>h;
}

/**
 * Asks the host to drop the external tables nothing reaches any more (host/ext.ts sets it when the
 * library opens): their bytes may be all that stands between a request and the limit.
 */
let hostcollect: () => void = nohostcollect;
function nohostcollect(): void {}
export function sethostcollect(f: () => void): void { hostcollect = f; }

/** Before refusing for the limit (here and at safe points, gc/collect.ts): the host's garbage goes first. */
export function collecthost(): void {
  if (load<f64>(HOSTBYTES) > 0) hostcollect();
}

/** True when `extra` more bytes may be allocated without passing the limit or the ceiling. */
export function fits(extra: u64): bool {
  if (extra >= <u64>MAX_ALLOC) return false;
  if (<u64>totalbytes + extra > <u64>heaplimit()) {
    collecthost();
    if (<u64>totalbytes + extra > <u64>heaplimit()) return false;
  }
  if ((<u64>memory.size() << 16) + extra > LINEAR_CEILING) return false;
  return true;
}

/** Allocates `size` bytes (uninitialised). */
export function luaM_alloc(size: usize): usize {
  const p = heap.alloc(size);
  totalbytes += size;
  gcdebt += <isize>size;
  return p;
}

/** Allocates and zero-fills `size` bytes. */
export function luaM_allocz(size: usize): usize {
  const p = luaM_alloc(size);
  memory.fill(p, 0, size);
  return p;
}

/** Resizes a block from `oldsize` to `newsize` bytes, keeping the common prefix. */
export function luaM_realloc(p: usize, oldsize: usize, newsize: usize): usize {
  if (p == 0) return luaM_alloc(newsize);
  if (STRESS) return moverealloc(p, oldsize, newsize);
  const np = heap.realloc(p, newsize);
  totalbytes = totalbytes - oldsize + newsize;
  if (newsize > oldsize) gcdebt += <isize>(newsize - oldsize);
  return np;
}

/** Stress build: a reallocated block always moves, so stale pointers into it are found at once. */
function moverealloc(p: usize, oldsize: usize, newsize: usize): usize {
  const np = luaM_alloc(newsize);
  memory.copy(np, p, oldsize < newsize ? oldsize : newsize);
  luaM_free(p, oldsize);
  return np;
}

/** Frees a block of `size` bytes obtained from this module. */
export function luaM_free(p: usize, size: usize): void {
  if (p == 0) return;
  if (STRESS) memory.fill(p, 0xA5, size);            // poison: a use after free shows up at once
  heap.free(p);
  totalbytes -= size;
}
