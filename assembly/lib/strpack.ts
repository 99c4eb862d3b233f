// strpack.ts - string.pack, string.unpack and string.packsize (lstrlib.c PACK/UNPACK).
// Sizes and alignment are those of lua5.4 on a 64-bit Linux host (the reference for our outputs):
// int 4, short 2, long 8, size_t 8, lua_Integer 8, lua_Number 8, native little endian, maximum
// alignment 8. Values are (de)serialised byte by byte, so host endianness never matters.
// Invariant: the format is read as a C string (an embedded zero ends it), as in PUC; the parsing
// state is module-global because no option can call back into Lua.

import { getstr, tsslen } from "../object/string";
import { Buffer, buf_addbyte, buf_addbytes, buf_addint, buf_addstr, buf_prepare } from "../mem/buffer";
import { fits } from "../mem/alloc";
import { ERR } from "../vm/state";
import { lua_pushinteger, lua_pushnumber, lua_pushlstring, lua_pushnil } from "../vm/api";
import {
  argfail, luaL_checklstring, luaL_checkinteger, luaL_checknumber, luaL_optinteger, luaL_argerror,
  luaL_error, luaL_errorb, msgbuf,
} from "./aux";
import { posrelatI, isdigit, checkstackmsg, MAXSIZE, acquirebuf, releasebuf } from "./strutil";
import { luaG_memerror } from "../vm/debug";

// @ts-ignore: decorator
@inline const MAXINTSIZE: i32 = 16;      // largest integer option size
// @ts-ignore: decorator
@inline const SZINT: i32 = 8;            // sizeof(lua_Integer)
// @ts-ignore: decorator
@inline const MAXALIGN: i32 = 8;         // offsetof(struct cD, u) on the reference host

/** Option kinds (KOption), plus KERR when reading the option raised an error. */
// @ts-ignore: decorator
@inline const KINT: i32 = 0;
// @ts-ignore: decorator
@inline const KUINT: i32 = 1;
// @ts-ignore: decorator
@inline const KFLOAT: i32 = 2;
// @ts-ignore: decorator
@inline const KNUMBER: i32 = 3;
// @ts-ignore: decorator
@inline const KDOUBLE: i32 = 4;
// @ts-ignore: decorator
@inline const KCHAR: i32 = 5;
// @ts-ignore: decorator
@inline const KSTRING: i32 = 6;
// @ts-ignore: decorator
@inline const KZSTR: i32 = 7;
// @ts-ignore: decorator
@inline const KPADDING: i32 = 8;
// @ts-ignore: decorator
@inline const KPADDALIGN: i32 = 9;
// @ts-ignore: decorator
@inline const KNOP: i32 = 10;
// @ts-ignore: decorator
@inline const KERR: i32 = -1;

// ==== Parsing state (Header + the format cursor) ====
let h_L: usize = 0;
let islittle: bool = true;
let maxalign: i32 = 1;
let fmt: usize = 0;            // next format byte
let optsize: i32 = 0;          // size of the option just read
let ntoalign: i32 = 0;         // padding bytes before it

function initheader(L: usize, f: usize): void { h_L = L; islittle = true; maxalign = 1; fmt = f; }

// @ts-ignore: decorator
@inline function fmtc(): i32 { return <i32>load<u8>(fmt); }

/** A decimal numeral at the cursor, or df when there is none (getnum). */
function getnum(df: i32): i32 {
  if (!isdigit(fmtc())) return df;
  let a = 0;
  do {
    a = a * 10 + (fmtc() - 48);
    fmt++;
  } while (isdigit(fmtc()) && a <= (<i32>MAXSIZE - 9) / 10);
  return a;
}

/** A size in [1, 16], or -1 after raising (getnumlimit). */
function getnumlimit(df: i32): i32 {
  const sz = getnum(df);
  if (sz > MAXINTSIZE || sz <= 0) {
    const b = msgbuf();
    buf_addstr(b, "integral size ("); buf_addint(b, sz); buf_addstr(b, ") out of limits [1,");
    buf_addint(b, MAXINTSIZE); buf_addstr(b, "]");
    luaL_errorb(h_L, b);
    return -1;
  }
  return sz;
}

/** Reads one option, setting optsize (getoption). */
function getoption(): i32 {
  const opt = fmtc();
  fmt++;
  optsize = 0;
  switch (opt) {
    case 98: optsize = 1; return KINT;                 // b
    case 66: optsize = 1; return KUINT;                // B
    case 104: optsize = 2; return KINT;                // h
    case 72: optsize = 2; return KUINT;                // H
    case 108: optsize = 8; return KINT;                // l
    case 76: optsize = 8; return KUINT;                // L
    case 106: optsize = 8; return KINT;                // j
    case 74: optsize = 8; return KUINT;                // J
    case 84: optsize = 8; return KUINT;                // T
    case 102: optsize = 4; return KFLOAT;              // f
    case 110: optsize = 8; return KNUMBER;             // n
    case 100: optsize = 8; return KDOUBLE;             // d
    case 105: optsize = getnumlimit(4); return optsize < 0 ? KERR : KINT;     // i[n]
    case 73: optsize = getnumlimit(4); return optsize < 0 ? KERR : KUINT;     // I[n]
    case 115: optsize = getnumlimit(8); return optsize < 0 ? KERR : KSTRING;  // s[n]
    case 99: {                                         // c<n>
      optsize = getnum(-1);
      if (optsize == -1) { luaL_error(h_L, "missing size for format option 'c'"); return KERR; }
      return KCHAR;
    }
    case 122: return KZSTR;                            // z
    case 120: optsize = 1; return KPADDING;            // x
    case 88: return KPADDALIGN;                        // X
    case 32: break;                                    // ' '
    case 60: islittle = true; break;                   // <
    case 62: islittle = false; break;                  // >
    case 61: islittle = true; break;                   // = (native: little endian)
    case 33: {                                         // ![n]
      const a = getnumlimit(MAXALIGN);
      if (a < 0) return KERR;
      maxalign = a;
      break;
    }
    default: {
      const b = msgbuf();
      buf_addstr(b, "invalid format option '"); buf_addbyte(b, opt); buf_addstr(b, "'");
      luaL_errorb(h_L, b);
      return KERR;
    }
  }
  return KNOP;
}

/** Reads an option and its alignment padding at offset totalsize (getdetails). */
function getdetails(totalsize: i64): i32 {
  const opt = getoption();
  if (opt == KERR) return KERR;
  const size = optsize;
  let align = size;                                    // usually alignment follows size
  if (opt == KPADDALIGN) {                             // 'X' aligns like the next option (consumed)
    let bad = fmtc() == 0;
    if (!bad) {
      const o2 = getoption();
      if (o2 == KERR) return KERR;
      align = optsize;
      bad = o2 == KCHAR || align == 0;
    }
    optsize = size;
    if (bad) { luaL_argerror(h_L, 1, "invalid next option for option 'X'"); return KERR; }
  }
  if (align <= 1 || opt == KCHAR) ntoalign = 0;
  else {
    if (align > maxalign) align = maxalign;
    if ((align & (align - 1)) != 0) { luaL_argerror(h_L, 1, "format asks for alignment not power of 2"); return KERR; }
    ntoalign = (align - <i32>(totalsize & <i64>(align - 1))) & (align - 1);
  }
  return opt;
}

// ==== Byte order ====

/** Appends n as `size` bytes (sign-extending beyond 8 bytes when neg) in the current order (packint). */
function packint(b: Buffer, n: u64, size: i32, neg: bool): void {
  const d = buf_prepare(b, size);
  for (let i = 0; i < size; i++) {
    const byte = i < SZINT ? <u8>(n >> (<u64>i << 3)) : (neg ? <u8>0xFF : <u8>0);
    store<u8>(d + <usize>(islittle ? i : size - 1 - i), byte);
  }
  b.len += size;
}

let unpackerr: bool = false;

/** Reads a `size`-byte integer at str (unpackint); sets unpackerr after raising. */
function unpackint(L: usize, str: usize, size: i32, issigned: bool): i64 {
  let res: u64 = 0;
  const limit = size <= SZINT ? size : SZINT;
  for (let i = limit - 1; i >= 0; i--) {
    res = (res << 8) | <u64>load<u8>(str + <usize>(islittle ? i : size - 1 - i));
  }
  if (size < SZINT) {
    if (issigned) {                                    // sign extension
      const mask: u64 = <u64>1 << <u64>(size * 8 - 1);
      res = (res ^ mask) - mask;
    }
  } else if (size > SZINT) {                           // the extra bytes must be pure sign
    const mask: u8 = (!issigned || <i64>res >= 0) ? 0 : 0xFF;
    for (let i = limit; i < size; i++) {
      if (load<u8>(str + <usize>(islittle ? i : size - 1 - i)) != mask) {
        const b = msgbuf();
        buf_addint(b, size); buf_addstr(b, "-byte integer does not fit into Lua Integer");
        luaL_errorb(L, b);
        unpackerr = true;
        return 0;
      }
    }
  }
  return <i64>res;
}

/** Appends the `size` low bytes of bits in the current order. */
function packbits(b: Buffer, bits: u64, size: i32): void { packint(b, bits, size, false); }
/** Reads `size` bytes at p in the current order as an unsigned value. */
function readbits(p: usize, size: i32): u64 {
  let r: u64 = 0;
  for (let i = size - 1; i >= 0; i--) r = (r << 8) | <u64>load<u8>(p + <usize>(islittle ? i : size - 1 - i));
  return r;
}

// ==== pack ====

let extralen: i64 = 0;         // bytes a variable-length item added beyond its size

/** One packed item; false after raising. */
function packitem(L: usize, b: Buffer, opt: i32, size: i32, arg: i32): bool {
  switch (opt) {
    case KINT: {
      const n = luaL_checkinteger(L, arg);
      if (argfail) return false;
      if (size < SZINT) {
        const lim: i64 = <i64>1 << <i64>(size * 8 - 1);
        if (!(-lim <= n && n < lim)) { luaL_argerror(L, arg, "integer overflow"); return false; }
      }
      packint(b, <u64>n, size, n < 0);
      return true;
    }
    case KUINT: {
      const n = luaL_checkinteger(L, arg);
      if (argfail) return false;
      if (size < SZINT && !(<u64>n < (<u64>1 << <u64>(size * 8)))) {
        luaL_argerror(L, arg, "unsigned overflow"); return false;
      }
      packint(b, <u64>n, size, false);
      return true;
    }
    case KFLOAT: {
      const x = luaL_checknumber(L, arg);
      if (argfail) return false;
      packbits(b, <u64>reinterpret<u32>(<f32>x), 4);
      return true;
    }
    case KNUMBER: case KDOUBLE: {
      const x = luaL_checknumber(L, arg);
      if (argfail) return false;
      packbits(b, reinterpret<u64>(x), 8);
      return true;
    }
    case KCHAR: {
      const s = luaL_checklstring(L, arg);
      if (argfail) return false;
      const len = tsslen(s);
      if (len > size) { luaL_argerror(L, arg, "string longer than given size"); return false; }
      if (!fits(<u64>b.len + <u64>size)) { luaG_memerror(L); return false; }
      buf_addbytes(b, getstr(s), len);
      const pad = size - len;
      if (pad > 0) { memory.fill(buf_prepare(b, pad), 0, <usize>pad); b.len += pad; }
      return true;
    }
    case KSTRING: {
      const s = luaL_checklstring(L, arg);
      if (argfail) return false;
      const len = tsslen(s);
      if (!(size >= 8 || <u64>len < (<u64>1 << <u64>(size * 8)))) {
        luaL_argerror(L, arg, "string length does not fit in given size"); return false;
      }
      if (!fits(<u64>b.len + <u64>len * 2)) { luaG_memerror(L); return false; }
      packint(b, <u64>len, size, false);
      buf_addbytes(b, getstr(s), len);
      extralen = <i64>len;
      return true;
    }
    case KZSTR: {
      const s = luaL_checklstring(L, arg);
      if (argfail) return false;
      const len = tsslen(s), p = getstr(s);
      for (let i = 0; i < len; i++) {
        if (load<u8>(p + <usize>i) == 0) { luaL_argerror(L, arg, "string contains zeros"); return false; }
      }
      if (!fits(<u64>b.len + <u64>len * 2)) { luaG_memerror(L); return false; }
      buf_addbytes(b, p, len);
      buf_addbyte(b, 0);
      extralen = <i64>len + 1;
      return true;
    }
    default: return true;
  }
}

export function str_pack(L: usize): i32 {
  const fts = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  initheader(L, getstr(fts));
  lua_pushnil(L);                                      // mark after the arguments: a missing one reads as nil
  let arg = 1;
  let totalsize: i64 = 0;
  const b = acquirebuf();
  while (fmtc() != 0) {
    const opt = getdetails(totalsize);
    if (opt == KERR) { releasebuf(b); return ERR; }
    const size = optsize;
    totalsize += <i64>ntoalign + <i64>size;
    for (let i = 0; i < ntoalign; i++) buf_addbyte(b, 0);     // alignment padding
    arg++;
    if (opt == KPADDING) { buf_addbyte(b, 0); arg--; continue; }
    if (opt == KPADDALIGN || opt == KNOP) { arg--; continue; }
    extralen = 0;
    if (!packitem(L, b, opt, size, arg)) { releasebuf(b); return ERR; }
    totalsize += extralen;                             // variable-length strings
  }
  lua_pushlstring(L, b.ptr, b.len);
  releasebuf(b);
  return 1;
}

export function str_packsize(L: usize): i32 {
  const fts = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  initheader(L, getstr(fts));
  let totalsize: i64 = 0;
  while (fmtc() != 0) {
    const opt = getdetails(totalsize);
    if (opt == KERR) return ERR;
    if (opt == KSTRING || opt == KZSTR) return luaL_argerror(L, 1, "variable-length format");
    const size = optsize + ntoalign;
    if (!(totalsize <= MAXSIZE - <i64>size)) return luaL_argerror(L, 1, "format result too large");
    totalsize += <i64>size;
  }
  lua_pushinteger(L, totalsize);
  return 1;
}

// ==== unpack ====

export function str_unpack(L: usize): i32 {
  const fts = luaL_checklstring(L, 1);
  const data = luaL_checklstring(L, 2);
  const ld: i64 = data != 0 ? <i64>tsslen(data) : 0;
  let pos = posrelatI(luaL_optinteger(L, 3, 1), <i32>ld) - 1;
  if (argfail) return ERR;
  if (!(pos <= ld)) return luaL_argerror(L, 3, "initial position out of string");
  const dp = getstr(data);
  initheader(L, getstr(fts));
  let n = 0;
  while (fmtc() != 0) {
    const opt = getdetails(pos);
    if (opt == KERR) return ERR;
    const size = optsize;
    if (<i64>ntoalign + <i64>size > ld - pos) return luaL_argerror(L, 2, "data string too short");
    pos += <i64>ntoalign;
    if (!checkstackmsg(L, 2, "too many results")) return ERR;
    n++;
    const p = dp + <usize>pos;
    switch (opt) {
      case KINT: case KUINT: {
        unpackerr = false;
        const v = unpackint(L, p, size, opt == KINT);
        if (unpackerr) return ERR;
        lua_pushinteger(L, v);
        break;
      }
      case KFLOAT: lua_pushnumber(L, <f64>reinterpret<f32>(<u32>readbits(p, 4))); break;
      case KNUMBER: case KDOUBLE: lua_pushnumber(L, reinterpret<f64>(readbits(p, 8))); break;
      case KCHAR: lua_pushlstring(L, p, size); break;
      case KSTRING: {
        unpackerr = false;
        const len = <u64>unpackint(L, p, size, false);
        if (unpackerr) return ERR;
        if (!(len <= <u64>(ld - pos - <i64>size))) return luaL_argerror(L, 2, "data string too short");
        lua_pushlstring(L, p + <usize>size, <i32>len);
        pos += <i64>len;
        break;
      }
      case KZSTR: {
        let len: i64 = 0;
        while (load<u8>(p + <usize>len) != 0) len++;   // strlen: data ends with a 0 byte
        if (!(pos + len < ld)) return luaL_argerror(L, 2, "unfinished string for format 'z'");
        lua_pushlstring(L, p, <i32>len);
        pos += len + 1;
        break;
      }
      default: n--; break;                             // padding, alignment, no-op
    }
    pos += <i64>size;
  }
  lua_pushinteger(L, pos + 1);
  return n + 1;
}
