// chunk.ts - source text from the host and its compilation: the pending source (streamed in through
// the IO buffer in chunks of up to 64 KiB), the cache of compiled small chunks, and listings.
// Invariant: the pending source is only ever read by the compiler; a compiled prototype is immutable,
// so the cache may hand the same one to any number of closures.

import { luaC_barrierback } from "../gc/barrier";
import { TVALUE_SIZE, setsvalue, setobj, sethvalue, ttistable, hvalue, setclLvalue, ttisLclosure, clvalue } from "../object/value";
import * as ltable from "../object/table";
import { luaS_newlstr, luaS_new } from "../object/string";
import { Buffer, buf_new, buf_reset, buf_addbyte, buf_addbytes } from "../mem/buffer";
import { entry_fits } from "./entry";
import { L_top, L_settop, registry, globaltable } from "../vm/state";
import { luaY_parser, luaY_releasescratch } from "../compiler/parser";
import { luaU_listing } from "../compiler/listing";
import { setskipfirstline } from "../compiler/lexer";
import { luaF_newLclosure, luaF_newclosedupval, cl_setupval, uv_v, cl_proto } from "../object/func";
import { iobuf } from "../sys/iobuf";

/** Pending source text (src_append). */
const src: Buffer = buf_new();

/** Empties the pending source. */
export function src_reset(): void { buf_reset(src); }

/**
 * Appends n bytes from the IO buffer's start to the pending source. Returns 0, or 1 when the buffer
 * cannot grow at all (entry_fits: the module's ceiling; nothing is appended and the host reports
 * "not enough memory"). The memory limit applies to what compiling and running the source allocate,
 * at safe points: a check against it here would count garbage no collection has freed yet.
 */
export function src_append(n: i32): i32 {
  if (n <= 0) return 0;
  if (src.len + n > src.cap && !entry_fits(src.len + n - src.cap)) return 1;
  buf_addbytes(src, iobuf, n);
  return 0;
}

/** The TString of the chunk name in the IO buffer's first namelen bytes. */
function chunkname(namelen: i32): usize { return luaS_newlstr(iobuf, namelen); }

/** Compiles the pending source; the main prototype, or 0 with the message in compile_error. */
function compile(namelen: i32): usize {
  setskipfirstline(namelen > 0 && load<u8>(iobuf) == 64);   // '@': a file, as luaL_loadfile
  const p = luaY_parser(src.ptr, src.len, chunkname(namelen));
  luaY_releasescratch(src.len);                   // free the compiler's managed scratch (now and then)
  return p;
}

// ==== Chunk cache ====
// Hosts often evaluate the same small chunk again and again (the seed's benchmarks, request
// handlers). Prototypes are immutable once compiled, so the main prototype of small chunks is kept
// in a table in the registry, keyed by chunk name + "\0" + source; a hit skips the compiler (which
// dominates a tiny eval). Each eval still gets a fresh closure. The table is replaced when full.

/** Only chunks up to this size are cached. */
// @ts-ignore: decorator
@inline const CACHE_MAXSRC: i32 = 2048;
/** Entries before the cache is emptied. */
// @ts-ignore: decorator
@inline const CACHE_MAXENTRIES: i32 = 256;
let cacheentries: i32 = 0;
const cachekeybuf: Buffer = buf_new();

/** The cache table (registry["_CHUNKCACHE"], so the collector keeps the prototypes alive). */
function chunkcache(L: usize, fresh: bool): usize {
  const k = memory.data(16);
  setsvalue(k, luaS_new("_CHUNKCACHE"));
  if (!fresh) {
    const t = ltable.luaH_get(registry, k);
    if (ttistable(t)) return hvalue(t);
  }
  const t = ltable.luaH_new();
  const v = memory.data(16);
  sethvalue(v, t);
  ltable.luaH_set(registry, k, v);
  luaC_barrierback(L, registry);
  cacheentries = 0;
  return t;
}

/** The cache key of the pending source under chunk name `namelen` bytes of the IO buffer. */
function cachekey(namelen: i32): usize {
  buf_reset(cachekeybuf);
  buf_addbytes(cachekeybuf, iobuf, namelen);
  buf_addbyte(cachekeybuf, 0);
  buf_addbytes(cachekeybuf, src.ptr, src.len);
  return luaS_newlstr(cachekeybuf.ptr, cachekeybuf.len);
}

/**
 * Compiles the pending source (or finds it in the cache) and pushes its main closure, with the
 * globals table as its _ENV upvalue. Returns false with the message in compile_error (parser.ts) on
 * a syntax error; the caller has checked that the stack has room for one value.
 */
export function loadpending(L: usize, namelen: i32): bool {
  let key: usize = 0;
  let p: usize = 0;
  if (src.len <= CACHE_MAXSRC) {
    key = cachekey(namelen);
    const kv = memory.data(16);
    setsvalue(kv, key);
    const hit = ltable.luaH_get(chunkcache(L, false), kv);
    if (ttisLclosure(hit)) { p = cl_proto(clvalue(hit)); key = 0; }   // found: nothing to add
  }
  if (p == 0) {
    p = compile(namelen);
    if (p == 0) return false;
  }
  const cl = luaF_newLclosure(p, 1);
  setclLvalue(L_top(L), cl);
  L_settop(L, L_top(L) + TVALUE_SIZE);
  const uv = luaF_newclosedupval();
  cl_setupval(cl, 0, uv);
  sethvalue(uv_v(uv), globaltable);
  if (key != 0) {                                   // remember the new prototype (as its closure)
    const t = chunkcache(L, cacheentries >= CACHE_MAXENTRIES);
    const kv = memory.data(16);
    setsvalue(kv, key);
    ltable.luaH_set(t, kv, L_top(L) - TVALUE_SIZE);
    luaC_barrierback(L, t);
    cacheentries++;
  }
  return true;
}

/** Compiles the pending source and writes its `luac -l -l` style listing to `out`; false on a syntax error. */
export function listpending(namelen: i32, out: Buffer): bool {
  const p = compile(namelen);
  if (p == 0) return false;
  buf_reset(out);
  luaU_listing(out, p, true);
  return true;
}
