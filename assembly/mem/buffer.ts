// buffer.ts - growable byte buffer (luaL_Buffer / Mbuffer role) for the lexer, concat, format,
// messages and host results. Memory is accounted through mem/alloc.
// Invariant: `ptr` holds `cap` bytes of which the first `len` are content; a fresh buffer owns nothing.
// Buffers are @unmanaged structs: create with `buf_new`, release with `buf_free`. Both the struct and
// its content are counted bytes, so a Buffer never freed shows in collectgarbage("count"), and
// `buf_live` counts the Buffers alive (the leak tests in spec/unit/leaks.test.ts read both).

import { luaM_alloc, luaM_realloc, luaM_free } from "./alloc";

// ╒═════ Buffer (12 bytes) ═════╕
// │ ptr: usize   content       │ 0
// │ len: i32     bytes used    │ 4
// │ cap: i32     bytes owned   │ 8
// └────────────────────────────┘
// @ts-ignore: decorator
@unmanaged export class Buffer {
  ptr: usize;
  len: i32;
  cap: i32;
}

/** Buffers alive: created by buf_new and not yet freed (module-level ones included). */
let buflive: i32 = 0;

export function buf_new(): Buffer {
  const b = changetype<Buffer>(luaM_alloc(offsetof<Buffer>()));
  b.ptr = 0; b.len = 0; b.cap = 0;
  buflive++;
  return b;
}

export function buf_free(b: Buffer): void {
  if (b.cap > 0) luaM_free(b.ptr, <usize>b.cap);
  luaM_free(changetype<usize>(b), offsetof<Buffer>());
  buflive--;
}

/** Number of live Buffers (a debug figure: the leak tests check it stays flat). */
export function buf_live(): i32 { return buflive; }

/** Empties the buffer, keeping its storage. */
// @ts-ignore: decorator
@inline export function buf_reset(b: Buffer): void { b.len = 0; }

/** Makes room for `n` more bytes; returns the address where they go. */
export function buf_prepare(b: Buffer, n: i32): usize {
  const need = b.len + n;
  if (need > b.cap) {
    let nc = b.cap < 64 ? 64 : b.cap;
    while (nc < need) nc <<= 1;
    b.ptr = b.cap == 0 ? luaM_alloc(<usize>nc) : luaM_realloc(b.ptr, <usize>b.cap, <usize>nc);
    b.cap = nc;
  }
  return b.ptr + <usize>b.len;
}

export function buf_addbyte(b: Buffer, c: i32): void {
  if (b.len >= b.cap) buf_prepare(b, 1);
  store<u8>(b.ptr + <usize>b.len, <u8>c);
  b.len++;
}

export function buf_addbytes(b: Buffer, p: usize, n: i32): void {
  if (n <= 0) return;
  const d = buf_prepare(b, n);
  memory.copy(d, p, <usize>n);
  b.len += n;
}

/** Appends an AS string literal (ASCII/Latin-1 only: messages and fixed text). */
export function buf_addstr(b: Buffer, s: string): void {
  const n = s.length;
  const d = buf_prepare(b, n);
  for (let i = 0; i < n; i++) store<u8>(d + <usize>i, <u8>s.charCodeAt(i));
  b.len += n;
}

/** Appends characters [start, end) of an AS string literal, without making a substring. */
export function buf_addsubstr(b: Buffer, s: string, start: i32, end: i32): void {
  if (end > s.length) end = s.length;
  const n = end - start;
  if (n <= 0) return;
  const d = buf_prepare(b, n);
  for (let i = 0; i < n; i++) store<u8>(d + <usize>i, <u8>s.charCodeAt(start + i));
  b.len += n;
}

/** Appends the decimal text of an integer. */
export function buf_addint(b: Buffer, v: i64): void {
  const tmp = memory.data(24);
  let u: u64 = v < 0 ? <u64>(-v) : <u64>v;   // -MIN wraps to MIN, whose unsigned value is right
  let p = tmp + 24;
  do { p--; store<u8>(p, <u8>(48 + <i32>(u % 10))); u /= 10; } while (u != 0);
  if (v < 0) { p--; store<u8>(p, 45); }
  buf_addbytes(b, p, <i32>(tmp + 24 - p));
}

/** Removes the last `n` bytes. */
// @ts-ignore: decorator
@inline export function buf_shrink(b: Buffer, n: i32): void { b.len -= n; }
