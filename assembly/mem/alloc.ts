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
/**
 * Allocation debt: net bytes allocated since the collector last reset it (allocations add, frees
 * subtract, as PUC's GCdebt); drives GC steps. A collector step resets it when it ends, so what the
 * sweep itself frees gives no credit; what the program frees (a table's old array after a resize,
 * a buffer) does, as in PUC. May be negative.
 */
export let gcdebt: isize = 0;
/**
 * Hard ceiling: a single request at or above this is refused whatever the limit. TLSF's largest
 * block is just under 1 GiB, and a request in its top size class (992 MiB up) cannot be rounded up
 * to a class where every block fits (see `tlsfsize`), so it stops there.
 */
// @ts-ignore: decorator
@inline export const MAX_ALLOC: usize = 0x3E000000;
/**
 * Largest memory limit (1.5 GiB of accounted bytes). Linear memory holds the accounted bytes plus
 * the allocator's block overhead and alignment (up to ~50% for the smallest objects), fragmentation
 * and some unaccounted scratch: a heap of 1.5 GiB of small tables fills wasm32's 4 GiB. Beyond it a
 * memory.grow failing inside the allocator would trap instead of raising "not enough memory".
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
 * Adds `n` bytes of debt without counting them as Lua memory: a resource outside linear memory that
 * a Lua object keeps alive (compiled code, jit/compile.ts) makes the collector come round sooner.
 */
export function chargedebt(n: usize): void { gcdebt += <isize>n; }

/**
 * Linear memory the allocator may grow to. The allocator (AS's TLSF, rt/tlsf.ts) grows memory by
 * doubling and fragments, so linear memory can run well ahead of the accounted bytes (a heap that
 * held 1.5 GiB of small tables reaches 4 GiB), and a memory.grow that fails inside it traps. A
 * request that needs memory beyond this line is refused up front instead.
 */
// @ts-ignore: decorator
@inline const LINEAR_CEILING: u64 = 0xF0000000;

// ==== Host bytes ====
// The memory limit bounds the Lua heap plus the bytes the host holds for this state (external tables,
// estimated by the TypeScript host, host/ext/store.ts): Lua heap + host bytes <= limit. The host keeps its count in the
// first f64 here (it learns the address through the ext_bind import and rewrites it after every
// change), so the checks here read it for free; 0 when no host is bound. The second f64 is the
// host's request for a collection of its unreachable tables (non-zero: embed/ext.ts answers it).
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
 * Asks the host to drop the external tables nothing reaches any more (embed/ext.ts sets it when the
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
  return heapcanalloc(<usize>extra);
}

// ==== What the allocator will do (mirrors rt/tlsf.ts of AssemblyScript 0.28) ====
//
// Linear memory never shrinks, so after a bomb it stays at its high-water mark (up to 4 GiB) while
// almost all of it is free. Whether a request is safe therefore depends on the allocator's free
// lists, not on memory.size(): TLSF serves a request from a free block of its size class or above
// (its bitmaps say whether one exists), and only otherwise grows memory by the pages the block
// needs. These constants and the size-class mapping are TLSF's own (AL_BITS 4, SL_BITS 4); the
// root (flMap: usize, then slMap: u32[FL_BITS], heads, tail) sits at __heap_base rounded to 16.
// `heapcheck` below verifies all of that against the live heap; spec/unit/leaks.test.ts runs it, so
// an AS upgrade that changes the layout fails there.

// @ts-ignore: decorator
@inline const AL_BITS: u32 = 4;
// @ts-ignore: decorator
@inline const AL_MASK: usize = 15;
// @ts-ignore: decorator
@inline const SL_BITS: u32 = 4;
// @ts-ignore: decorator
@inline const SB_BITS: u32 = SL_BITS + AL_BITS;
// @ts-ignore: decorator
@inline const SB_SIZE: usize = 1 << SB_BITS;
// @ts-ignore: decorator
@inline const FL_BITS: u32 = 31 - SB_BITS;
// @ts-ignore: decorator
@inline const BLOCK_OVERHEAD: usize = sizeof<usize>();
// @ts-ignore: decorator
@inline const BLOCK_MINSIZE: usize = ((3 * sizeof<usize>() + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
// @ts-ignore: decorator
@inline const BLOCK_MAXSIZE: usize = (1 << 30) - BLOCK_OVERHEAD;

/** The payload size TLSF gives a request of `size` bytes (computeSize). */
function blocksize(size: usize): usize {
  return size <= BLOCK_MINSIZE ? BLOCK_MINSIZE : ((size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
}

/** Rounds a size up to the next size class so any block of that class fits (roundSize). */
function roundsize(size: usize): usize {
  return size < (BLOCK_MAXSIZE >> 1) ? size + (<usize>1 << (31 - SL_BITS - clz<usize>(size))) - 1 : size;
}

/**
 * The size to ask TLSF for so that the block it picks really holds `size` bytes. Below half its
 * largest block, TLSF rounds a request up to the next size class, where every block fits. From
 * 512 MiB up it does not (rounding the last classes would overflow its tables): it searches the
 * request's own class, whose head may be smaller than the request, and then writes past that block
 * (a trap, or a corrupted heap: `a = ("x"):rep(520 MiB) b = ("y"):rep(1) a = nil collectgarbage()
 * c = ("z"):rep(540 MiB)`). So we round such requests up ourselves, to the bottom of the next
 * class: block sizes are 12 mod 16 (a 4-byte header before 16-byte alignment), so every block of
 * the class holding `bottom + 12` is at least that big. At most 1/16 more, not counted. The
 * allocation paths call it only from BIGREQ up, so small objects pay one comparison.
 */
function tlsfsize(size: usize): usize {
  const p = blocksize(size);
  if (p < (BLOCK_MAXSIZE >> 1)) return size;
  const w: usize = <usize>1 << (31 - SL_BITS - clz<usize>(p));   // width of p's class
  const bottom = p & ~(w - 1);
  if (p == bottom + (AL_MASK + 1 - BLOCK_OVERHEAD)) return size;  // the smallest block of its class
  if (bottom + w > BLOCK_MAXSIZE - 64) return size;             // top class: refused by fits (MAX_ALLOC)
  return bottom + w;
}

/** Requests below this are never in the unrounded classes (their block is under 512 MiB). */
// @ts-ignore: decorator
@inline const BIGREQ: usize = 0x1FFFFF00;

/** True when a free block able to hold `payload` bytes exists (searchBlock != null). */
function hasfreeblock(payload: usize): bool {
  const root = (__heap_base + AL_MASK) & ~AL_MASK;
  let fl: usize, sl: u32;
  if (payload < SB_SIZE) {
    fl = 0;
    sl = <u32>(payload >> AL_BITS);
  } else {
    const r = roundsize(payload);
    fl = 31 - clz<usize>(r);
    sl = <u32>((r >> (fl - SL_BITS)) ^ (1 << SL_BITS));
    fl -= SB_BITS - 1;
  }
  if ((load<u32>(root + sizeof<usize>() + (fl << 2)) & (~0 << sl)) != 0) return true;
  return (load<usize>(root) & (~0 << (fl + 1))) != 0;
}

/**
 * True when heap.alloc(size) will succeed without trapping: a free block of its class exists, or
 * memory can grow by what the allocator asks for (growMemory: the rounded block, its header and a
 * new tail) without passing LINEAR_CEILING. A realloc may move, so callers check the new size.
 */
export function heapcanalloc(size: usize): bool {
  if (size >= MAX_ALLOC) return false;
  // far enough below the ceiling that even growing memory by the whole block fits: no need to ask
  // the free lists (this runs for every table constructor and resize)
  if ((<u64>memory.size() << 16) + (<u64>size << 1) + (2 << 16) <= LINEAR_CEILING) return true;
  const payload = blocksize(tlsfsize(size));
  if (hasfreeblock(payload)) return true;
  if (cachedbytes != 0) {                              // cached blocks may coalesce into one that fits
    luaM_flushcache();
    if (hasfreeblock(payload)) return true;
  }
  const grow = (payload >= SB_SIZE ? roundsize(payload) : payload) + (BLOCK_OVERHEAD << 1);
  const pages = (<u64>grow + 0xffff) >> 16;
  return ((<u64>memory.size() + pages) << 16) <= LINEAR_CEILING;
}

// ==== Small-block cache ====
// Lua frees and allocates small objects (tables, closures, upvalues, short strings) in bulk: the
// collector's sweep frees them and the program allocates the same sizes again. TLSF's free and
// alloc search bitmaps, split and coalesce blocks (~6% of an allocation-heavy program's time), so
// freed blocks of up to CACHE_MAXSIZE bytes are kept on a free list per size class (the class of the
// payload TLSF gives the request: a block filed under a class holds at least that many bytes) and
// handed out again first, as glibc's tcache does for PUC Lua. The cache holds at most CACHE_MAX
// bytes; a full collection and the debug figures below give everything back to TLSF (so blocks
// coalesce again), and so does any path that would refuse a request (heapcanalloc). Not in the
// stress build, where every free poisons its block and goes to TLSF, so use-after-free shows.

// @ts-ignore: decorator
@inline const CACHE_CLASSES: usize = 16;
/** Largest request the cache serves: the payload of the top class, 16 * 16 - BLOCK_OVERHEAD. */
// @ts-ignore: decorator
@inline const CACHE_MAXSIZE: usize = (CACHE_CLASSES << AL_BITS) - BLOCK_OVERHEAD;
/** Bytes of blocks the cache may hold (payload sizes). */
// @ts-ignore: decorator
@inline const CACHE_MAX: usize = 1 << 20;
/** Heads of the free lists, one per class (a cached block's first word links to the next). */
const cacheheads: usize = memory.data(<i32>(CACHE_CLASSES * sizeof<usize>()), 16);
let cachedbytes: usize = 0;

/** The cache class of a request of `size` (<= CACHE_MAXSIZE) bytes: its TLSF payload in 16-byte steps. */
// @ts-ignore: decorator
@inline function cacheclass(size: usize): usize {
  return size <= BLOCK_MINSIZE ? 0 : (size + BLOCK_OVERHEAD - 1) >> AL_BITS;
}

/** Gives every cached block back to TLSF. */
export function luaM_flushcache(): void {
  for (let c: usize = 0; c < CACHE_CLASSES; c++) {
    let b = load<usize>(cacheheads + (c << 2));
    while (b != 0) {
      const next = load<usize>(b);
      heap.free(b);
      b = next;
    }
    store<usize>(cacheheads + (c << 2), 0);
  }
  cachedbytes = 0;
}

/** Allocates `size` bytes (uninitialised). */
export function luaM_alloc(size: usize): usize {
  return luaM_allocobj(size);
}

/**
 * luaM_alloc inlined, for newobj (every collectable object is made there): a small block comes
 * from the cache in a few instructions.
 */
// @ts-ignore: decorator
@inline export function luaM_allocobj(size: usize): usize {
  let p: usize = 0;
  if (!STRESS && size <= CACHE_MAXSIZE) {
    const head = cacheheads + (cacheclass(size) << 2);
    p = load<usize>(head);
    if (p != 0) {
      store<usize>(head, load<usize>(p));
      cachedbytes -= blocksize(size);
    }
  }
  if (p == 0) p = allocblock(size);
  totalbytes += size;
  gcdebt += <isize>size;
  return p;
}

/** A block from TLSF (rounded up for the largest requests: see tlsfsize). */
function allocblock(size: usize): usize {
  return heap.alloc(size < BIGREQ ? size : tlsfsize(size));
}

/** Allocates and zero-fills `size` bytes. */
export function luaM_allocz(size: usize): usize {
  const p = luaM_alloc(size);
  zerobytes(p, size);
  return p;
}

/**
 * Zero-fills `size` bytes at p. Up to 128 bytes (every GC object's header and body: newobj clears
 * each new one) with stores in place: V8 compiles memory.fill to a call out of the module, which
 * cost ~1% of an allocation-heavy program.
 */
// @ts-ignore: decorator
@inline export function zerobytes(p: usize, size: usize): void {
  if (size > 128) { memory.fill(p, 0, size); return; }
  let o: usize = 0;
  for (; o + 8 <= size; o += 8) store<u64>(p + o, 0);
  for (; o < size; o++) store<u8>(p + o, 0);
}

/** Resizes a block from `oldsize` to `newsize` bytes, keeping the common prefix. */
export function luaM_realloc(p: usize, oldsize: usize, newsize: usize): usize {
  if (p == 0) return luaM_alloc(newsize);
  if (STRESS) return moverealloc(p, oldsize, newsize);
  const np = heap.realloc(p, newsize < BIGREQ ? newsize : tlsfsize(newsize));
  totalbytes = totalbytes - oldsize + newsize;
  gcdebt += <isize>newsize - <isize>oldsize;
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
  luaM_freeobj(p, size);
}

/**
 * luaM_free of a block known to be non-null, inlined: the sweeper frees every dead object through
 * it, and most go to the small-block cache in a few instructions.
 */
// @ts-ignore: decorator
@inline export function luaM_freeobj(p: usize, size: usize): void {
  totalbytes -= size;
  gcdebt -= <isize>size;
  if (!STRESS && size <= CACHE_MAXSIZE && cachedbytes < CACHE_MAX) {
    const head = cacheheads + (cacheclass(size) << 2);
    store<usize>(p, load<usize>(head));
    store<usize>(head, p);
    cachedbytes += blocksize(size);
  } else freeblock(p, size);
}

/** Gives a block back to TLSF (poisoned first in the stress build: a use after free shows at once). */
function freeblock(p: usize, size: usize): void {
  if (STRESS) memory.fill(p, 0xA5, size);
  heap.free(p);
}

// ==== Debug figure: bytes the allocator has handed out ====

/**
 * Bytes in used blocks of the allocator's heap (headers included), found by walking every block
 * from the first to the tail: counted Lua memory, plus what is not counted (Buffer storage is;
 * the compiler's managed scratch, the GC's root stack and AS runtime objects are not). The leak
 * tests compare it before and after a loop, so memory that is neither counted nor freed shows.
 * Slow (one step per block): for tests only.
 */
export function heapused(): f64 {
  luaM_flushcache();
  const root = (__heap_base + AL_MASK) & ~AL_MASK;
  const hlend = ((sizeof<usize>() + (<usize>FL_BITS << 2) + AL_MASK) & ~AL_MASK) + ((<usize>FL_BITS << SL_BITS) << 2);
  const tail = load<usize>(root + hlend);
  let b = ((root + hlend + sizeof<usize>() + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
  let used: f64 = 0;
  while (b < tail) {
    const info = load<usize>(b);
    const size = info & ~(<usize>3);
    if ((info & 1) == 0) used += <f64>(size + BLOCK_OVERHEAD);       // not FREE
    b += BLOCK_OVERHEAD + size;
  }
  return used;
}

/** The size class (fl, sl) TLSF files a free block of `size` bytes under (insertBlock), as fl << 8 | sl. */
function freeclass(size: usize): u32 {
  if (size < SB_SIZE) return <u32>(size >> AL_BITS);
  const bounded = size < BLOCK_MAXSIZE ? size : BLOCK_MAXSIZE;
  const fl: usize = 31 - clz<usize>(bounded);
  const sl = <u32>((bounded >> (fl - SL_BITS)) ^ (1 << SL_BITS));
  return (<u32>(fl - (SB_BITS - 1)) << 8) | sl;
}

/**
 * Checks this file's picture of TLSF against the live heap (debug, for the tests): walking the
 * blocks from the first must land exactly on the zero-size tail the root points at, and every
 * free block must carry its back pointer and have its size class marked in both bitmaps.
 * Returns 0, or the number of the first check that failed.
 */
export function heapcheck(): i32 {
  luaM_flushcache();
  const root = (__heap_base + AL_MASK) & ~AL_MASK;
  const hlend = ((sizeof<usize>() + (<usize>FL_BITS << 2) + AL_MASK) & ~AL_MASK) + ((<usize>FL_BITS << SL_BITS) << 2);
  const tail = load<usize>(root + hlend);
  let b = ((root + hlend + sizeof<usize>() + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
  let nfree = 0;
  while (b < tail) {
    const info = load<usize>(b);
    const size = info & ~(<usize>3);
    if (size < BLOCK_MINSIZE || ((b + BLOCK_OVERHEAD) & AL_MASK) != 0) return 1;
    if ((info & 1) != 0) {
      nfree++;
      if (load<usize>(b + BLOCK_OVERHEAD + size - sizeof<usize>()) != b) return 2;
      const c = freeclass(size);
      const fl = <usize>(c >> 8), sl = c & 0xFF;
      if ((load<usize>(root) & (<usize>1 << fl)) == 0) return 3;
      if ((load<u32>(root + sizeof<usize>() + (fl << 2)) & (<u32>1 << sl)) == 0) return 4;
    }
    b += BLOCK_OVERHEAD + size;
  }
  if (b != tail || (load<usize>(tail) & ~(<usize>3)) != 0) return 5;
  if (nfree == 0) return 6;                     // a live heap always has some free space
  return 0;
}

