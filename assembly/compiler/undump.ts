// undump.ts - bytes → Proto: loads the binary chunks written by compiler/dump.ts (lundump.c role).
// Invariant: any byte string, however truncated, corrupted or hostile, yields either a verified
// prototype tree or an error message; never a trap, an out-of-bounds access or an allocation past the
// memory limit. Every count is checked against the bytes left before anything is allocated; every
// prototype passes compiler/verify.ts before the closure exists. Nothing runs the collector while a
// chunk loads, so half-built prototypes need no anchoring: on failure they are simply unreachable
// (each one's sizes always match its arrays, so the sweeper frees them correctly).
// Messages are PUC 5.4.4's: "<name>: bad binary format (truncated chunk)" and friends.

import { fits, luaM_alloc } from "../mem/alloc";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_addstr } from "../mem/buffer";
import {
  luaF_newproto, luaF_newLclosure, luaF_newclosedupval, cl_setupval, cl_upval, uv_v, upvaldesc, p_sizeupvalues,
  p_sizecode, p_linedefined, UPVALDESC_SIZE, LOCVAR_SIZE,
} from "../object/func";
import {
  TVALUE_SIZE, tvat, setnilvalue, setbfvalue, setbtvalue, setivalue, setfltvalue, setsvalue,
  setclLvalue, sethvalue,
} from "../object/value";
import { luaS_newlstr, getstr, tsslen, sizelstring } from "../object/string";
import { LUAI_MAXCCALLS } from "../luaconf";
import { lua_pushnil, lua_pushlstring, lua_pushliteral, incr_top } from "../vm/api";
import { L_top, globaltable } from "../vm/state";
import {
  LUAC_VERSION, LUAC_FORMAT, LUAC_INT, LUAC_NUM, BODY_MAGIC, BODY_VERSION, LUAC_DATA, LUAC_DATA_LEN, KT_NIL, KT_FALSE, KT_TRUE,
  KT_INT, KT_FLT, KT_SHRSTR, KT_LNGSTR,
} from "./dump";
import { luaU_verify, verifyerr, verifynomem } from "./verify";

// ==== Load state ====
let cur: usize = 0;          // next byte
let end: usize = 0;          // one past the last byte
let why: string = "";        // first failure ("" = none): the text inside "bad binary format (...)"
let nomem: bool = false;     // the failure is the memory limit, not the chunk
let depth: i32 = 0;          // nesting of functions being loaded

// @ts-ignore: decorator
@inline function avail(): u64 { return <u64>(end - cur); }
// @ts-ignore: decorator
@inline function failed(): bool { return why.length != 0; }

function error(w: string): void { if (why.length == 0) why = w; }
function truncated(): void { error("truncated chunk"); }
function outofmemory(): void { if (why.length == 0) { why = "not enough memory"; nomem = true; } }

function loadByte(): i32 {
  if (cur >= end) { truncated(); return 0; }
  const b = <i32>load<u8>(cur);
  cur++;
  return b;
}

/** A varint no larger than `limit` (loadUnsigned). */
function loadUnsigned(limit: u64): u64 {
  let x: u64 = 0;
  limit >>= 7;
  let b: i32;
  do {
    b = loadByte();
    if (failed()) return 0;
    if (x >= limit) { error("integer overflow"); return 0; }
    x = (x << 7) | <u64>(b & 0x7F);
  } while ((b & 0x80) == 0);
  return x;
}

function loadInt(): i32 { return <i32>loadUnsigned(0x7FFFFFFF); }

/** A count of items taking at least `minbytes` each: more than the bytes left is a truncation. */
function loadCount(minbytes: u64): i32 {
  const n = loadInt();
  if (!failed() && <u64>n * minbytes > avail()) { truncated(); return 0; }
  return n;
}

function loadBlock(dst: usize, n: i32): void {
  if (<u64>n > avail()) { truncated(); return; }
  memory.copy(dst, cur, <usize>n);
  cur += <usize>n;
}

function loadI64(): i64 {
  if (avail() < 8) { truncated(); return 0; }
  const x = load<i64>(cur);
  cur += 8;
  return x;
}

function loadF64(): f64 {
  if (avail() < 8) { truncated(); return 0; }
  const x = load<f64>(cur);
  cur += 8;
  return x;
}

/** stringN: a new (or interned) Lua string, or 0 for "no string" (also on failure). */
function loadStringN(): usize {
  const size = loadUnsigned(<u64>0x7FFFFFFF);
  if (failed() || size == 0) return 0;
  const n = <i32>(size - 1);
  if (<u64>n > avail()) { truncated(); return 0; }
  if (!fits(<u64>sizelstring(n))) { outofmemory(); return 0; }
  const ts = luaS_newlstr(cur, n);                  // copies: the chunk may live in a temporary buffer
  cur += <usize>n;
  return ts;
}

/** Allocates an array of `bytes` for a prototype, zero-filled; 0 when empty or over the limit. */
function newarray(bytes: u64): usize {
  if (bytes == 0) return 0;
  if (!fits(bytes)) { outofmemory(); return 0; }
  const p = luaM_alloc(<usize>bytes);
  memory.fill(p, 0, <usize>bytes);
  return p;
}

// ==== Prototype parts ====
// Field offsets follow the Proto diagram in object/func.ts (the compiler's buildproto writes them the
// same way). Each array is stored together with its size, so the proto is consistent at every step.

function loadCode(f: usize): void {
  const n = loadCount(4);
  if (failed()) return;
  const code = newarray(<u64>n << 2);
  if (failed()) return;
  loadBlock(code, n << 2);
  store<usize>(f, code, 44); store<i32>(f, n, 20);
}

function loadConstants(f: usize): void {
  const n = loadCount(1);
  if (failed()) return;
  const k = newarray(<u64>n * TVALUE_SIZE);        // zero tags are nil
  if (failed()) return;
  store<usize>(f, k, 40); store<i32>(f, n, 16);
  for (let i = 0; i < n; i++) {
    const o = tvat(k, i);
    const t = <u8>loadByte();
    if (failed()) return;
    if (t == KT_NIL) setnilvalue(o);
    else if (t == KT_FALSE) setbfvalue(o);
    else if (t == KT_TRUE) setbtvalue(o);
    else if (t == KT_INT) setivalue(o, loadI64());
    else if (t == KT_FLT) setfltvalue(o, loadF64());
    else if (t == KT_SHRSTR || t == KT_LNGSTR) {
      const ts = loadStringN();
      if (failed()) return;
      if (ts == 0) { error("bad constant"); return; }
      setsvalue(o, ts);
    } else { error("bad constant"); return; }
    if (failed()) { setnilvalue(o); return; }
  }
}

function loadUpvalues(f: usize): void {
  const n = loadCount(3);
  if (failed()) return;
  if (n > 255) { error("too many upvalues"); return; }
  const up = newarray(<u64>n * UPVALDESC_SIZE);
  if (failed()) return;
  store<usize>(f, up, 52); store<i32>(f, n, 12);
  for (let i = 0; i < n; i++) {
    const d = up + <usize>i * UPVALDESC_SIZE;
    const instack = loadByte(), idx = loadByte(), kind = loadByte();
    if (failed()) return;
    if (instack > 1 || kind > 3) { error("bad upvalue"); return; }
    store<u8>(d, <u8>instack, 4); store<u8>(d, <u8>idx, 5); store<u8>(d, <u8>kind, 6);
  }
}

function loadProtos(f: usize, source: usize): void {
  const n = loadCount(12);                          // the smallest function takes more bytes than that
  if (failed()) return;
  const pp = newarray(<u64>n << 2);
  if (failed()) return;
  store<usize>(f, pp, 48); store<i32>(f, n, 24);
  for (let i = 0; i < n; i++) {
    const c = luaF_newproto();
    store<usize>(pp + (<usize>i << 2), c);
    loadFunction(c, source);
    if (failed()) return;
  }
}

function loadDebug(f: usize): void {
  const nli = loadCount(1);
  if (failed()) return;
  if (nli != 0 && nli != p_sizecode(f)) { error("bad line information"); return; }
  const li = newarray(<u64>nli << 2);
  if (failed()) return;
  store<usize>(f, li, 56);                          // lineinfo shares sizecode
  let line = p_linedefined(f);
  for (let i = 0; i < nli; i++) {
    const z = <u32>loadUnsigned(<u64>0xFFFFFFFF);
    if (failed()) return;
    line += <i32>((z >>> 1) ^ (0 - (z & 1)));       // zigzag delta
    store<i32>(li + (<usize>i << 2), line);
  }
  const nloc = loadCount(3);
  if (failed()) return;
  const lv = newarray(<u64>nloc * LOCVAR_SIZE);
  if (failed()) return;
  store<usize>(f, lv, 60); store<i32>(f, nloc, 28);
  for (let i = 0; i < nloc; i++) {
    const v = lv + <usize>i * LOCVAR_SIZE;
    const name = loadStringN();
    if (failed()) return;
    if (name == 0) { error("bad local variable"); return; }
    store<usize>(v, name);
    store<i32>(v, loadInt(), 4);
    store<i32>(v, loadInt(), 8);
    if (failed()) return;
  }
  const nupn = loadCount(1);
  if (failed()) return;
  if (nupn != 0 && nupn != p_sizeupvalues(f)) { error("bad upvalue names"); return; }
  for (let i = 0; i < nupn; i++) {
    const name = loadStringN();
    if (failed()) return;
    store<usize>(upvaldesc(f, i), name);
  }
}

/** Loads one function into the empty prototype f; nested ones inherit `psource`. */
function loadFunction(f: usize, psource: usize): void {
  if (++depth > LUAI_MAXCCALLS) { error("functions nested too deep"); return; }
  let source = loadStringN();
  if (failed()) return;
  if (source == 0) source = psource;
  store<usize>(f, source, 64);
  store<i32>(f, loadInt(), 32);                     // linedefined
  store<i32>(f, loadInt(), 36);                     // lastlinedefined
  const numparams = loadByte(), isvararg = loadByte(), maxstack = loadByte();
  if (failed()) return;
  if (isvararg > 1) { error("bad function"); return; }
  store<u8>(f, <u8>numparams, 6); store<u8>(f, <u8>isvararg, 7); store<u8>(f, <u8>maxstack, 8);
  loadCode(f);
  if (!failed()) loadConstants(f);
  if (!failed()) loadUpvalues(f);
  if (!failed()) loadProtos(f, source);
  if (!failed()) loadDebug(f);
  if (failed()) return;
  if (!luaU_verify(f)) {
    if (verifynomem) outofmemory(); else error(verifyerr);
  }
  depth--;
}

// ==== Header ====

function checkliteral(s: usize, n: i32, msg: string): void {
  if (<u64>n > avail()) { truncated(); return; }
  if (memory.compare(cur, s, <usize>n) != 0) { error(msg); return; }
  cur += <usize>n;
}

const SIGNATURE: usize = memory.data<u8>([0x1B, 0x4C, 0x75, 0x61]);

function checkHeader(): void {
  cur++;                                            // the 0x1B the caller has seen
  checkliteral(SIGNATURE + 1, 3, "not a binary chunk");
  if (failed()) return;
  if (loadByte() != LUAC_VERSION) { if (!failed()) error("version mismatch"); return; }
  if (loadByte() != LUAC_FORMAT) { if (!failed()) error("format mismatch"); return; }
  checkliteral(LUAC_DATA, LUAC_DATA_LEN, "corrupted chunk");
  if (failed()) return;
  if (loadByte() != 4) { if (!failed()) error("Instruction size mismatch"); return; }
  if (loadByte() != 8) { if (!failed()) error("lua_Integer size mismatch"); return; }
  if (loadByte() != 8) { if (!failed()) error("lua_Number size mismatch"); return; }
  if (loadI64() != LUAC_INT) { if (!failed()) error("integer format mismatch"); return; }
  if (loadF64() != LUAC_NUM) { if (!failed()) error("float format mismatch"); return; }
  // our body format (dump.ts): a chunk from PUC Lua or another version of this format stops here
  const magic = loadByte(), version = loadByte();
  if (failed()) return;
  if (magic != BODY_MAGIC || version != BODY_VERSION) error("format mismatch");
}

/** The name used in messages: chunkname without '@'/'=', "binary string" for a chunk used as its own name. */
function addname(b: Buffer, chunkname: usize): void {
  const s = getstr(chunkname), n = tsslen(chunkname);
  const c0 = n > 0 ? load<u8>(s) : 0;
  if (c0 == 64 || c0 == 61) buf_addbytes(b, s + 1, n - 1);          // '@' or '='
  else if (c0 == 0x1B) buf_addstr(b, "binary string");
  else buf_addbytes(b, s, n);
}

/**
 * Loads the binary chunk of `len` bytes at `s` (which starts with 0x1B) and pushes its main closure
 * (first upvalue = globals, the others fresh nil upvalues), or pushes nil and the message. Returns
 * the number of values pushed (luaU_undump + the closure part of lua_load).
 */
export function luaU_load(L: usize, s: usize, len: i32, chunkname: usize): i32 {
  cur = s; end = s + <usize>len; why = ""; nomem = false; depth = 0;
  checkHeader();
  const nup = failed() ? 0 : loadByte();
  let p: usize = 0;
  if (!failed()) {
    p = luaF_newproto();
    loadFunction(p, 0);
    if (!failed() && nup != p_sizeupvalues(p)) error("bad upvalue count");
  }
  if (failed()) {
    lua_pushnil(L);
    if (nomem) { lua_pushliteral(L, "not enough memory"); return 2; }
    const b = buf_new();
    addname(b, chunkname);
    buf_addstr(b, ": bad binary format (");
    buf_addstr(b, why);
    buf_addstr(b, ")");
    lua_pushlstring(L, b.ptr, b.len);
    buf_free(b);
    return 2;
  }
  const cl = luaF_newLclosure(p, nup);
  setclLvalue(L_top(L), cl);
  incr_top(L);
  for (let i = 0; i < nup; i++) cl_setupval(cl, i, luaF_newclosedupval());
  if (nup > 0) sethvalue(uv_v(cl_upval(cl, 0)), globaltable);
  return 1;
}
