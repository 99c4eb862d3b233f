// utf8.ts - the utf8 library: char, charpattern, codes, codepoint, len, offset (lutf8lib.c).
// Strict functions accept code points up to 0x10FFFF without surrogates; with `lax` they accept the
// original UTF-8 up to 0x7FFFFFFF (six bytes). Overlong forms are always rejected.
// Invariant: decoding never reads past the terminating zero every TString carries after its bytes.

import {
  luaL_newlib, luaL_error, luaL_argerror, luaL_checkinteger, luaL_optinteger, luaL_checklstring,
  argfail,
} from "./aux";
import { regnative } from "./natives";
import {
  lua_gettop, lua_pushinteger, lua_pushnil, lua_pushlstring, lua_pushcfunction, lua_pushvalue,
  lua_toboolean, lua_tointegerx, lua_checkstack, lua_rawsetfield, lua_CFunction,
} from "../vm/api";
import { getstr, tsslen } from "../object/string";
import { lua_checkstack_limited } from "./libapi";
import { Buffer, buf_new, buf_free, buf_addbyte } from "../mem/buffer";
import { ERR } from "../vm/state";

// @ts-ignore: decorator
@inline const MAXUNICODE: u32 = 0x10FFFF;
// @ts-ignore: decorator
@inline const MAXUTF: u32 = 0x7FFFFFFF;

// @ts-ignore: decorator
@inline function iscont(p: usize): bool { return (load<u8>(p) & 0xC0) == 0x80; }

/** Translates a relative string position: negative counts back from the end (u_posrelat). */
function u_posrelat(pos: i64, len: i64): i64 {
  if (pos >= 0) return pos;
  if (<u64>0 - <u64>pos > <u64>len) return 0;
  return len + pos + 1;
}

/** The code point decoded by the last successful utf8_decode. */
let decoded: u32 = 0;

/** Smallest value of each sequence length, to reject overlong forms; [0] rejects lone lead bytes. */
const limits: usize = memory.data<u32>([0xFFFFFFFF, 0x80, 0x800, 0x10000, 0x200000, 0x4000000]);

/** Decodes one sequence at s: returns the address after it (value in `decoded`), or 0 if invalid. */
function utf8_decode(s: usize, strict: bool): usize {
  let c = <u32>load<u8>(s);
  let res: u32 = 0;
  if (c < 0x80) res = c;
  else {
    let count = 0;
    for (; (c & 0x40) != 0; c <<= 1) {           // while it needs continuation bytes
      const cc = <u32>load<u8>(s + <usize>(++count));
      if ((cc & 0xC0) != 0x80) return 0;
      res = (res << 6) | (cc & 0x3F);
    }
    res |= (c & 0x7F) << (<u32>count * 5);       // the lead byte's bits
    if (count > 5 || res > MAXUTF || res < load<u32>(limits + (<usize>count << 2))) return 0;
    s += <usize>count;
  }
  if (strict && (res > MAXUNICODE || (<u32>0xD800 <= res && res <= <u32>0xDFFF))) return 0;
  decoded = res;
  return s + 1;
}

/** utf8.len(s [, i [, j [, lax]]]): characters starting in [i, j], or fail plus the bad position. */
function utflen(L: usize): i32 {
  const ts = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const len = <i64>tsslen(ts);
  let posi = u_posrelat(luaL_optinteger(L, 2, 1), len);
  let posj = u_posrelat(luaL_optinteger(L, 3, -1), len);
  if (argfail) return ERR;
  const lax = lua_toboolean(L, 4);
  if (!(1 <= posi && --posi <= len)) return luaL_argerror(L, 2, "initial position out of bounds");
  if (!(--posj < len)) return luaL_argerror(L, 3, "final position out of bounds");
  const s = getstr(ts);
  let n: i64 = 0;
  while (posi <= posj) {
    const s1 = utf8_decode(s + <usize>posi, !lax);
    if (s1 == 0) {
      lua_pushnil(L);
      lua_pushinteger(L, posi + 1);
      return 2;
    }
    posi = <i64>(s1 - s);
    n++;
  }
  lua_pushinteger(L, n);
  return 1;
}

/** utf8.codepoint(s [, i [, j [, lax]]]): the code points of the characters starting in [i, j]. */
function codepoint(L: usize): i32 {
  const ts = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const len = <i64>tsslen(ts);
  const posi = u_posrelat(luaL_optinteger(L, 2, 1), len);
  const pose = u_posrelat(luaL_optinteger(L, 3, posi), len);
  if (argfail) return ERR;
  const lax = lua_toboolean(L, 4);
  if (posi < 1) return luaL_argerror(L, 2, "out of bounds");
  if (pose > len) return luaL_argerror(L, 3, "out of bounds");
  if (posi > pose) return 0;
  if (pose - posi >= <i64>i32.MAX_VALUE) return luaL_error(L, "string slice too long");
  const n = <i32>(pose - posi) + 1;
  if (!lua_checkstack_limited(L, n)) return luaL_error(L, "stack overflow (string slice too long)");
  let count = 0;
  let s = getstr(ts) + <usize>(posi - 1);
  const se = getstr(ts) + <usize>pose;
  while (s < se) {
    s = utf8_decode(s, !lax);
    if (s == 0) return luaL_error(L, "invalid UTF-8 code");
    lua_pushinteger(L, decoded);
    count++;
  }
  return count;
}

/** Appends the UTF-8 bytes of x (up to six bytes for values up to 0x7FFFFFFF; luaO_utf8esc). */
function addutf8(b: Buffer, x: u32): void {
  if (x < 0x80) { buf_addbyte(b, <i32>x); return; }
  const tmp = memory.data(8);
  let n = 0;
  let mfb: u32 = 0x3F;                            // largest value that fits in the first byte
  do {
    store<u8>(tmp + <usize>(7 - n), <u8>(0x80 | (x & 0x3F)));
    n++;
    x >>= 6;
    mfb >>= 1;
  } while (x > mfb);
  store<u8>(tmp + <usize>(7 - n), <u8>((~mfb << 1) | x));
  for (let i = 7 - n; i < 8; i++) buf_addbyte(b, load<u8>(tmp + <usize>i));
}

/** utf8.char(...): the concatenated UTF-8 encodings of its integer arguments. */
function utfchar(L: usize): i32 {
  const n = lua_gettop(L);
  const b = buf_new();
  for (let i = 1; i <= n; i++) {
    const code = <u64>luaL_checkinteger(L, i);
    if (argfail) { buf_free(b); return ERR; }
    if (code > <u64>MAXUTF) { buf_free(b); return luaL_argerror(L, i, "value out of range"); }
    addutf8(b, <u32>code);
  }
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

/** utf8.offset(s, n [, i]): byte position where the n-th character counting from i starts. */
function byteoffset(L: usize): i32 {
  const ts = luaL_checklstring(L, 1);
  let n = luaL_checkinteger(L, 2);
  if (argfail) return ERR;
  const len = <i64>tsslen(ts);
  let posi = u_posrelat(luaL_optinteger(L, 3, n >= 0 ? 1 : len + 1), len);
  if (argfail) return ERR;
  if (!(1 <= posi && --posi <= len)) return luaL_argerror(L, 3, "position out of bounds");
  const s = getstr(ts);
  if (n == 0) {
    while (posi > 0 && iscont(s + <usize>posi)) posi--;    // start of the current character
  } else {
    if (iscont(s + <usize>posi)) return luaL_error(L, "initial position is a continuation byte");
    if (n < 0) {
      while (n < 0 && posi > 0) {                             // move back
        do { posi--; } while (posi > 0 && iscont(s + <usize>posi));
        n++;
      }
    } else {
      n--;                                                    // the first character is posi itself
      while (n > 0 && posi < len) {
        do { posi++; } while (iscont(s + <usize>posi));       // stops at the final zero
        n--;
      }
    }
  }
  if (n == 0) lua_pushinteger(L, posi + 1);
  else lua_pushnil(L);
  return 1;
}

/** The step of utf8.codes: next (position, code point) after byte position arg 2 (iter_aux). */
function iter_aux(L: usize, strict: bool): i32 {
  const ts = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const len = <u64>tsslen(ts);
  const s = getstr(ts);
  let n = <u64>lua_tointegerx(L, 2);
  if (n < len) {
    while (iscont(s + <usize>n)) n++;             // skip continuation bytes
  }
  if (n >= len) return 0;                         // also catches a negative control value
  const next = utf8_decode(s + <usize>n, strict);
  // 5.4.8: a character followed by a stray continuation byte is invalid too (5.4.4 skipped it)
  if (next == 0 || (next < s + <usize>len && iscont(next))) return luaL_error(L, "invalid UTF-8 code");
  lua_pushinteger(L, <i64>n + 1);
  lua_pushinteger(L, decoded);
  return 2;
}
function iter_auxstrict(L: usize): i32 { return iter_aux(L, true); }
function iter_auxlax(L: usize): i32 { return iter_aux(L, false); }

/** utf8.codes(s [, lax]): the generic-for triple (iterator, s, 0). */
function iter_codes(L: usize): i32 {
  const lax = lua_toboolean(L, 2);
  const ts = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  if (tsslen(ts) > 0 && iscont(getstr(ts))) return luaL_argerror(L, 1, "invalid UTF-8 code");   // 5.4.8
  lua_pushcfunction(L, lax ? iter_auxlax : iter_auxstrict);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

/** Pattern matching exactly one UTF-8 character: "[\0-\x7F\xC2-\xFD][\x80-\xBF]*". */
const UTF8PATT: usize = memory.data<u8>([
  0x5B, 0x00, 0x2D, 0x7F, 0xC2, 0x2D, 0xFD, 0x5D, 0x5B, 0x80, 0x2D, 0xBF, 0x5D, 0x2A,
]);

export function luaopen_utf8(L: usize): i32 {
  const names: string[] = ["offset", "codepoint", "char", "len", "codes"];
  const fns: lua_CFunction[] = [byteoffset, codepoint, utfchar, utflen, iter_codes];
  luaL_newlib(L, names, fns);
  lua_pushlstring(L, UTF8PATT, 14);
  lua_rawsetfield(L, -2, "charpattern");
  regnative(iter_auxstrict, "utf8.codes.iter");    // the iterators utf8.codes returns (lib/natives.ts)
  regnative(iter_auxlax, "utf8.codes.iterlax");
  return 1;
}
