// strutil.ts - what the string library's files share (string.ts, pattern.ts, strformat.ts,
// strpack.ts): C-locale character classes, relative positions, the size limit, the kept scratch
// buffer for building results, and luaL_checkstack with its message. Each of those files imports
// this one and none imports another, so the library's parts depend on each other only through
// luaopen_string (string.ts), which assembles them.

import { Buffer, buf_new, buf_free, buf_reset, buf_addstr } from "../mem/buffer";
import { lua_checkstack } from "../vm/api";
import { luaL_errorb, msgbuf } from "./aux";

/** Largest string size the library produces (MAXSIZE in lstrlib.c: INT_MAX on 64-bit hosts). */
// @ts-ignore: decorator
@inline export const MAXSIZE: i64 = 0x7FFFFFFF;

// ==== Character classes (C locale <ctype.h>) ====

// @ts-ignore: decorator
@inline export const CT_ALPHA: u8 = 1;
// @ts-ignore: decorator
@inline export const CT_DIGIT: u8 = 2;
// @ts-ignore: decorator
@inline export const CT_SPACE: u8 = 4;
// @ts-ignore: decorator
@inline export const CT_LOWER: u8 = 8;
// @ts-ignore: decorator
@inline export const CT_UPPER: u8 = 16;
// @ts-ignore: decorator
@inline export const CT_PUNCT: u8 = 32;
// @ts-ignore: decorator
@inline export const CT_CNTRL: u8 = 64;
// @ts-ignore: decorator
@inline export const CT_XDIGIT: u8 = 128;

/** Class bits of every byte in the C locale (bytes >= 128 belong to no class). */
export const CTYPE: usize = memory.data<u8>([
  64, 64, 64, 64, 64, 64, 64, 64, 64, 68, 68, 68, 68, 68, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
  4, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 130, 130, 130, 130, 130, 130, 130, 130, 130, 130, 32, 32, 32, 32, 32, 32,
  32, 145, 145, 145, 145, 145, 145, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 32, 32, 32, 32, 32,
  32, 137, 137, 137, 137, 137, 137, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 32, 32, 32, 32, 64,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** Class bits of byte c. */
// @ts-ignore: decorator
@inline export function ctype(c: i32): u8 { return load<u8>(CTYPE + <usize>c); }
// @ts-ignore: decorator
@inline export function isdigit(c: i32): bool { return <u32>(c - 48) < 10; }

// ==== Copying ====

/** memory.copy for results built piece by piece: V8 runs memory.copy as a call out of wasm, which
 *  costs more than a few word moves for the short pieces that are the rule (never overlapping). */
// @ts-ignore: decorator
@inline export function bytecopy(dst: usize, src: usize, n: usize): void {
  if (n > 32) { memory.copy(dst, src, n); return; }
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(src + i));
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

// ==== Positions ====

/**
 * Translates a relative initial position (negative counts from the end) to 1-based, clipped to
 * [1, inf) (posrelatI). The inverted comparison avoids overflow computing -pos.
 */
export function posrelatI(pos: i64, len: i32): i64 {
  if (pos > 0) return pos;
  if (pos == 0) return 1;
  if (pos < -<i64>len) return 1;
  return <i64>len + pos + 1;
}

// ==== Scratch buffers for format, gsub and pack ====
// One buffer is kept between calls so that small calls allocate nothing; a call made while it is in
// use (gsub's callback or __tostring running another format) gets a fresh one. A buffer that grew
// past KEEPCAP is released instead of kept, so a single big result does not pin its memory.

// @ts-ignore: decorator
@inline const KEEPCAP: i32 = 1 << 16;
let spare: usize = 0;          // the kept Buffer, or 0
let sparebusy: bool = false;

/** A buffer for building one result; give it back with releasebuf on every exit path. */
export function acquirebuf(): Buffer {
  if (!sparebusy) {
    if (spare == 0) spare = changetype<usize>(buf_new());
    sparebusy = true;
    const b = changetype<Buffer>(spare);
    buf_reset(b);
    return b;
  }
  return buf_new();
}
export function releasebuf(b: Buffer): void {
  if (changetype<usize>(b) == spare) {
    sparebusy = false;
    if (b.cap > KEEPCAP) { buf_free(b); spare = 0; }
  } else buf_free(b);
}

/** luaL_checkstack: room for n more slots or "stack overflow (msg)". Returns false after raising. */
export function checkstackmsg(L: usize, n: i32, msg: string): bool {
  if (n >= 0 && lua_checkstack(L, n)) return true;
  const b = msgbuf();
  buf_addstr(b, "stack overflow ("); buf_addstr(b, msg); buf_addstr(b, ")");
  luaL_errorb(L, b);
  return false;
}
