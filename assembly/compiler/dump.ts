// dump.ts - Proto → bytes: the binary chunk format written by string.dump (lib/string.ts), stored
// functions of external tables and snapshots (ldump.c role).
// Invariant: every chunk this file writes is accepted by compiler/undump.ts (its verifier included);
// the header is PUC 5.4's (so tools and the official suite recognise it) but the body is ours: the
// two bytes after LUAC_NUM name our body format (BODY_MAGIC, BODY_VERSION); both files change
// together (bump BODY_VERSION when the body changes).
//
// ╒══════════════════ binary chunk ═══════════════════════════════════════════════╕
// │ header: "\x1bLua" | LUAC_VERSION 0x54 | LUAC_FORMAT 0 (the official format)  │
// │         LUAC_DATA "\x19\x93\r\n\x1a\n" | 4 | 8 | 8 (Instruction, int, float)   │
// │         LUAC_INT 0x5678 (i64 LE) | LUAC_NUM 370.5 (f64 LE)                     │
// │         BODY_MAGIC 0x57 ('W') | BODY_VERSION (our body format, below)         │
// │         nupvalues of the main function (byte)                                 │
// │ function: source (stringN; null when stripped or equal to the parent's)       │
// │           linedefined, lastlinedefined (varint)                               │
// │           numparams | is_vararg | maxstacksize (bytes)                        │
// │           code:      n (varint), n × u32 LE                                   │
// │           constants: n, each tag byte (0 nil, 1 false, 17 true, 3 int i64,   │
// │                      19 float f64, 4 short string, 20 long string) + payload  │
// │           upvalues:  n, each instack | idx | kind (bytes)                     │
// │           protos:    n, each a function (recursively)                         │
// │           debug:     lineinfo n (0 or sizecode), zigzag deltas of the lines   │
// │                      locvars n, each string | startpc | endpc (varints)       │
// │                      upvalue names n (0 or sizeupvalues), each stringN        │
// └────────────────────────────────────────────────────────────────────────────────┘
// varint: 7-bit groups, most significant first, the last group has bit 7 set (as PUC's dumpSize).
// stringN: varint size+1 (0 = no string), then the bytes.

import { Buffer, buf_addbyte, buf_addbytes, buf_prepare } from "../mem/buffer";
import { fits } from "../mem/alloc";
import {
  p_numparams, p_isvararg, p_maxstacksize, p_sizeupvalues, p_sizek, p_sizecode, p_sizep, p_sizelocvars,
  p_linedefined, p_lastlinedefined, p_k, p_code, p_proto, p_lineinfo, p_source, upvaldesc, uvd_name,
  uvd_instack, uvd_idx, uvd_kind, locvar, lv_name, lv_startpc, lv_endpc,
} from "../object/func";
import {
  tvat, rawtt, ivalue, fltvalue, tsvalue, ttisshrstring,
  LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT,
} from "../object/value";
import { getstr, tsslen } from "../object/string";

// ==== Format constants (shared with undump.ts) ====
// @ts-ignore: decorator
@inline export const LUAC_VERSION: u8 = 0x54;
// @ts-ignore: decorator
@inline export const LUAC_FORMAT: u8 = 0;
/** Our body format (a PUC body after a PUC header is rejected here as "format mismatch"). */
// @ts-ignore: decorator
@inline export const BODY_MAGIC: u8 = 0x57;
// @ts-ignore: decorator
@inline export const BODY_VERSION: u8 = 1;
// @ts-ignore: decorator
@inline export const LUAC_INT: i64 = 0x5678;
// @ts-ignore: decorator
@inline export const LUAC_NUM: f64 = 370.5;
/** "\x19\x93\r\n\x1a\n": catches text-mode conversions of the chunk. */
export const LUAC_DATA: usize = memory.data<u8>([0x19, 0x93, 0x0D, 0x0A, 0x1A, 0x0A]);
// @ts-ignore: decorator
@inline export const LUAC_DATA_LEN: i32 = 6;
/** Constant tags in the chunk (PUC's variant tags, without the collectable bit). */
// @ts-ignore: decorator
@inline export const KT_NIL: u8 = 0;
// @ts-ignore: decorator
@inline export const KT_FALSE: u8 = 1;
// @ts-ignore: decorator
@inline export const KT_TRUE: u8 = 17;
// @ts-ignore: decorator
@inline export const KT_INT: u8 = 3;
// @ts-ignore: decorator
@inline export const KT_FLT: u8 = 19;
// @ts-ignore: decorator
@inline export const KT_SHRSTR: u8 = 4;
// @ts-ignore: decorator
@inline export const KT_LNGSTR: u8 = 20;

// ==== Writer ====

/** Set when a string to be written would pass the memory limit; the dump is then abandoned. */
let nomem = false;

function dumpVarint(b: Buffer, x: u64): void {
  const tmp = memory.data(10);
  let n = 0;
  do {                                              // least significant group first, into tmp
    store<u8>(tmp + <usize>n, <u8>(x & 0x7F));
    x >>= 7;
    n++;
  } while (x != 0);
  store<u8>(tmp, load<u8>(tmp) | 0x80);             // mark the last group (written last)
  for (let i = n - 1; i >= 0; i--) buf_addbyte(b, load<u8>(tmp + <usize>i));
}

function dumpInt(b: Buffer, x: i32): void { dumpVarint(b, <u64><u32>x); }

function dumpI64(b: Buffer, x: i64): void {
  const d = buf_prepare(b, 8);
  store<i64>(d, x);
  b.len += 8;
}

function dumpF64(b: Buffer, x: f64): void {
  const d = buf_prepare(b, 8);
  store<f64>(d, x);
  b.len += 8;
}

/** stringN: 0 for no string, else size+1 and the bytes. */
function dumpString(b: Buffer, ts: usize): void {
  if (ts == 0) { dumpVarint(b, 0); return; }
  const n = tsslen(ts);
  if (!fits(<u64>b.cap + <u64>n + <u64>n)) { nomem = true; return; }   // the buffer may double
  dumpVarint(b, <u64>n + 1);
  buf_addbytes(b, getstr(ts), n);
}

function dumpCode(b: Buffer, f: usize): void {
  const n = p_sizecode(f);
  dumpInt(b, n);
  if (n > 0) buf_addbytes(b, p_code(f), n << 2);   // wasm is little-endian: the u32s as they are
}

function dumpConstants(b: Buffer, f: usize): void {
  const n = p_sizek(f);
  dumpInt(b, n);
  for (let i = 0; i < n; i++) {
    const o = tvat(p_k(f), i);
    const tt = rawtt(o);
    if (tt == LUA_VNIL) buf_addbyte(b, KT_NIL);
    else if (tt == LUA_VFALSE) buf_addbyte(b, KT_FALSE);
    else if (tt == LUA_VTRUE) buf_addbyte(b, KT_TRUE);
    else if (tt == LUA_VNUMINT) { buf_addbyte(b, KT_INT); dumpI64(b, ivalue(o)); }
    else if (tt == LUA_VNUMFLT) { buf_addbyte(b, KT_FLT); dumpF64(b, fltvalue(o)); }
    else { buf_addbyte(b, ttisshrstring(o) ? KT_SHRSTR : KT_LNGSTR); dumpString(b, tsvalue(o)); }
  }
}

function dumpUpvalues(b: Buffer, f: usize): void {
  const n = p_sizeupvalues(f);
  dumpInt(b, n);
  for (let i = 0; i < n; i++) {
    const d = upvaldesc(f, i);
    buf_addbyte(b, uvd_instack(d) ? 1 : 0);
    buf_addbyte(b, uvd_idx(d));
    buf_addbyte(b, uvd_kind(d));
  }
}

function dumpDebug(b: Buffer, f: usize, strip: bool): void {
  const li = p_lineinfo(f);
  const nli = strip || li == 0 ? 0 : p_sizecode(f);
  dumpInt(b, nli);
  let prev: i32 = p_linedefined(f);
  for (let i = 0; i < nli; i++) {                   // zigzag deltas: lines mostly grow by small steps
    const line = load<i32>(li + (<usize>i << 2));
    const d = line - prev;
    dumpVarint(b, <u64><u32>((d << 1) ^ (d >> 31)));
    prev = line;
  }
  const nloc = strip ? 0 : p_sizelocvars(f);
  dumpInt(b, nloc);
  for (let i = 0; i < nloc; i++) {
    const v = locvar(f, i);
    dumpString(b, lv_name(v));
    dumpInt(b, lv_startpc(v));
    dumpInt(b, lv_endpc(v));
  }
  const nup = strip ? 0 : p_sizeupvalues(f);
  dumpInt(b, nup);
  for (let i = 0; i < nup; i++) dumpString(b, uvd_name(upvaldesc(f, i)));
}

function dumpFunction(b: Buffer, f: usize, psource: usize, strip: bool): void {
  dumpString(b, strip || p_source(f) == psource ? 0 : p_source(f));
  dumpInt(b, p_linedefined(f));
  dumpInt(b, p_lastlinedefined(f));
  buf_addbyte(b, p_numparams(f));
  buf_addbyte(b, p_isvararg(f) ? 1 : 0);
  buf_addbyte(b, p_maxstacksize(f));
  dumpCode(b, f);
  dumpConstants(b, f);
  dumpUpvalues(b, f);
  const np = p_sizep(f);
  dumpInt(b, np);
  for (let i = 0; i < np; i++) dumpFunction(b, p_proto(f, i), p_source(f), strip);
  dumpDebug(b, f, strip);
}

function dumpHeader(b: Buffer, nupvalues: i32): void {
  buf_addbyte(b, 0x1B); buf_addbyte(b, 0x4C); buf_addbyte(b, 0x75); buf_addbyte(b, 0x61);   // "\x1bLua"
  buf_addbyte(b, LUAC_VERSION);
  buf_addbyte(b, LUAC_FORMAT);
  buf_addbytes(b, LUAC_DATA, LUAC_DATA_LEN);
  buf_addbyte(b, 4); buf_addbyte(b, 8); buf_addbyte(b, 8);
  dumpI64(b, LUAC_INT);
  dumpF64(b, LUAC_NUM);
  buf_addbyte(b, BODY_MAGIC);
  buf_addbyte(b, BODY_VERSION);
  buf_addbyte(b, nupvalues);
}

/** Appends the binary chunk of prototype `f` to `b` (luaU_dump). False when memory ran out. */
export function luaU_dump(f: usize, strip: bool, b: Buffer): bool {
  nomem = false;
  dumpHeader(b, p_sizeupvalues(f));
  dumpFunction(b, f, 0, strip);
  return !nomem;
}
