// strformat.ts - string.format (lstrlib.c STRING FORMAT).
// Each conversion spec is validated exactly as lstrlib.c does (flags allowed per conversion, at
// most two digits of width and precision, no length modifiers) and then rendered by our own code:
// integers here with C printf's rules for flags/width/precision, floats by lua_fmtfloat
// (object/number.ts, glibc-exact), %s through luaL_tolstring (__tostring, __name), %q as lstrlib's
// addliteral. Output goes to a scratch Buffer from acquirebuf (a nested format run by __tostring
// gets its own), and the result is pushed once at the end.
// Invariant: every exit path gives the Buffer back (releasebuf); the spec being rendered lives in
// static FORM, so it is re-read from the format string after anything that may run Lua code.

import { LUA_TSTRING, LUA_TNUMBER, LUA_TNIL, LUA_TBOOLEAN, ttisinteger, ivalue, fltvalue, tsvalue } from "../object/value";
import { getstr, tsslen } from "../object/string";
import { lua_fmtfloat, luaO_int2str } from "../object/number";
import { Buffer, buf_new, buf_free, buf_addbyte, buf_addbytes, buf_addstr, buf_prepare } from "../mem/buffer";
import { fits } from "../mem/alloc";
import { ERR } from "../vm/state";
import {
  index2value, lua_gettop, lua_type, lua_pushlstring, lua_pop, lua_topointer,
} from "../vm/api";
import {
  argfail, luaL_checklstring, luaL_checkinteger, luaL_checknumber, luaL_argerror, luaL_error,
  luaL_errorb, luaL_tolstring, msgbuf, addpointer,
} from "./aux";
import { ctype, isdigit, CT_ALPHA, CT_CNTRL, acquirebuf, releasebuf, bytecopy } from "./strutil";
import { luaG_memerror } from "../vm/debug";

// ==== Flags (bit values shared with lua_fmtfloat) ====
// @ts-ignore: decorator
@inline const F_MINUS: i32 = 1;
// @ts-ignore: decorator
@inline const F_PLUS: i32 = 2;
// @ts-ignore: decorator
@inline const F_SPACE: i32 = 4;
// @ts-ignore: decorator
@inline const F_HASH: i32 = 8;
// @ts-ignore: decorator
@inline const F_ZERO: i32 = 16;

/** Valid flags per conversion group (L_FMTFLAGSF, X, I, U, C). */
// @ts-ignore: decorator
@inline const FLAGSF: i32 = F_MINUS | F_PLUS | F_HASH | F_ZERO | F_SPACE;
// @ts-ignore: decorator
@inline const FLAGSX: i32 = F_MINUS | F_HASH | F_ZERO;
// @ts-ignore: decorator
@inline const FLAGSI: i32 = F_MINUS | F_PLUS | F_ZERO | F_SPACE;
// @ts-ignore: decorator
@inline const FLAGSU: i32 = F_MINUS | F_ZERO;
// @ts-ignore: decorator
@inline const FLAGSC: i32 = F_MINUS;

// @ts-ignore: decorator
@inline const MAX_FORMAT: i32 = 32;
// @ts-ignore: decorator
@inline const L_ESC: u8 = 37;

/** Flag bit of a flag character, 0 if it is not one. */
function flagbit(c: i32): i32 {
  switch (c) {
    case 45: return F_MINUS;
    case 43: return F_PLUS;
    case 32: return F_SPACE;
    case 35: return F_HASH;
    case 48: return F_ZERO;
    default: return 0;
  }
}

// ==== The current conversion spec ====

/** '%' + flags/width/precision + conversion + 0, as lstrlib's `form`. */
const FORM: usize = memory.data(MAX_FORMAT);
let formlen: i32 = 0;          // bytes in FORM before the final 0
let sflags: i32 = 0;           // parsed flags
let swidth: i32 = 0;           // parsed width (0 = none)
let sprec: i32 = -1;           // parsed precision (-1 = none)

// @ts-ignore: decorator
@inline function formc(i: i32): i32 { return <i32>load<u8>(FORM + <usize>i); }

/** Raises "<prefix>'<form>'<suffix>" with the form text up to its first 0, as C's "%s" does. */
function formerror(L: usize, prefix: string, suffix: string): i32 {
  const b = msgbuf();
  buf_addstr(b, prefix);
  buf_addbyte(b, 39);
  let n = 0;
  while (n < formlen && formc(n) != 0) n++;
  buf_addbytes(b, FORM, n);
  buf_addbyte(b, 39);
  buf_addstr(b, suffix);
  return luaL_errorb(L, b);
}

/**
 * Copies the spec starting at p (just after '%') into FORM (getformat): flags, digits and '.', then
 * the conversion character. Returns the number of bytes consumed, or -1 after raising.
 */
function getformat(L: usize, p: usize): i32 {
  let len = 0;
  while (true) {                                       // strspn(p, "-+#0 123456789.")
    const c = <i32>load<u8>(p + <usize>len);
    if (flagbit(c) != 0 || isdigit(c) || c == 46) len++;
    else break;
  }
  len++;                                               // the conversion specifier
  if (len >= MAX_FORMAT - 10) { luaL_error(L, "invalid format (too long)"); return -1; }
  store<u8>(FORM, L_ESC);
  bytecopy(FORM + 1, p, <usize>len);
  store<u8>(FORM + 1 + <usize>len, 0);
  formlen = len + 1;
  return len;
}

/** Index after at most two digits starting at i (get2digits). */
function get2digits(i: i32): i32 {
  if (isdigit(formc(i))) { i++; if (isdigit(formc(i))) i++; }
  return i;
}

/**
 * Validates FORM against the allowed flags and precision (checkformat), then parses flags, width
 * and precision into sflags/swidth/sprec. False after raising.
 */
function checkformat(L: usize, flags: i32, precision: bool): bool {
  let i = 1;
  while ((flagbit(formc(i)) & flags) != 0) i++;        // skip flags
  if (formc(i) != 48) {                                // a width cannot start with '0'
    i = get2digits(i);
    if (formc(i) == 46 && precision) { i++; i = get2digits(i); }
  }
  if ((ctype(formc(i)) & CT_ALPHA) == 0) {
    formerror(L, "invalid conversion specification: ", "");
    return false;
  }
  sflags = 0; swidth = 0; sprec = -1;                  // parse the now-valid spec
  i = 1;
  while (flagbit(formc(i)) != 0) { sflags |= flagbit(formc(i)); i++; }
  while (isdigit(formc(i))) { swidth = swidth * 10 + formc(i) - 48; i++; }
  if (formc(i) == 46) {
    i++; sprec = 0;
    while (isdigit(formc(i))) { sprec = sprec * 10 + formc(i) - 48; i++; }
  }
  return true;
}

// ==== Rendering ====

/** Appends `n` copies of byte c. */
function addfill(b: Buffer, c: i32, n: i32): void {
  if (n <= 0) return;
  memory.fill(buf_prepare(b, n), <u8>c, <usize>n);
  b.len += n;
}

/** Appends s[0..l) padded to swidth (left-justified with '-'), as printf %s/%c/%p. */
function addpadded(b: Buffer, s: usize, l: i32): void {
  const pad = swidth - l;
  if ((sflags & F_MINUS) == 0) addfill(b, 32, pad);
  buf_addbytes(b, s, l);
  if ((sflags & F_MINUS) != 0) addfill(b, 32, pad);
}

const DIGITS: usize = memory.data(72);

/** printf of an integer: conv d i u o x X with the parsed flags, width and precision. */
function addint(b: Buffer, n: i64, conv: i32): void {
  const signed = conv == 100 || conv == 105;           // d i
  const neg = signed && n < 0;
  let u: u64 = neg ? <u64>(0 - n) : <u64>n;
  const base: u64 = conv == 111 ? 8 : (conv == 120 || conv == 88 ? 16 : 10);
  const hexa = conv == 88 ? 55 : 87;                   // 'A'-10 or 'a'-10
  const top = DIGITS + 72;
  let p = top;
  const zero = u == 0;
  if (!(zero && sprec == 0)) {                         // precision 0 prints no digits for 0
    if (base == 10) {                                  // a constant divisor: no division instruction
      do {
        const q = u / 10;
        p--; store<u8>(p, <u8>(48 + <i32>(u - q * 10)));
        u = q;
      } while (u != 0);
    } else {
      do {
        const d = <i32>(u % base);
        p--; store<u8>(p, <u8>(d < 10 ? 48 + d : hexa + d));
        u /= base;
      } while (u != 0);
    }
  }
  const nd = <i32>(top - p);
  let zeros = sprec > nd ? sprec - nd : 0;
  if (conv == 111 && (sflags & F_HASH) != 0 && zeros == 0 && (nd == 0 || load<u8>(p) != 48)) zeros = 1;
  let pfx = 0;                                         // sign or "0x" length
  let sign = 0;
  if (neg) sign = 45;
  else if (signed && (sflags & F_PLUS) != 0) sign = 43;
  else if (signed && (sflags & F_SPACE) != 0) sign = 32;
  if (sign != 0) pfx = 1;
  const hexpfx = (conv == 120 || conv == 88) && (sflags & F_HASH) != 0 && !zero;
  if (hexpfx) pfx = 2;
  const total = pfx + zeros + nd;
  const pad = swidth > total ? swidth - total : 0;
  const zeropad = (sflags & F_ZERO) != 0 && (sflags & F_MINUS) == 0 && sprec < 0;
  if ((sflags & F_MINUS) == 0 && !zeropad) addfill(b, 32, pad);
  if (sign != 0) buf_addbyte(b, sign);
  if (hexpfx) { buf_addbyte(b, 48); buf_addbyte(b, conv); }
  if (zeropad) addfill(b, 48, pad);
  addfill(b, 48, zeros);
  buf_addbytes(b, p, nd);
  if ((sflags & F_MINUS) != 0) addfill(b, 32, pad);
}

/** A string as a Lua literal in double quotes (addquoted). */
function addquoted(b: Buffer, s: usize, len: i32): void {
  buf_addbyte(b, 34);
  for (let i = 0; i < len; i++) {
    const c = <i32>load<u8>(s + <usize>i);
    if (c == 34 || c == 92 || c == 10) {               // '"' '\\' newline
      buf_addbyte(b, 92); buf_addbyte(b, c);
    } else if ((ctype(c) & CT_CNTRL) != 0) {
      buf_addbyte(b, 92);
      const next = <i32>load<u8>(s + <usize>(i + 1)); // the terminating 0 after the last byte
      if (!isdigit(next)) {                            // "\%d"
        if (c >= 100) buf_addbyte(b, 48 + c / 100);
        if (c >= 10) buf_addbyte(b, 48 + (c / 10) % 10);
        buf_addbyte(b, 48 + c % 10);
      } else {                                         // "\%03d"
        buf_addbyte(b, 48 + c / 100); buf_addbyte(b, 48 + (c / 10) % 10); buf_addbyte(b, 48 + c % 10);
      }
    } else buf_addbyte(b, c);
  }
  buf_addbyte(b, 34);
}

/** %q: the value at arg as a Lua literal (addliteral). False after raising. */
function addliteral(L: usize, b: Buffer, arg: i32): bool {
  switch (lua_type(L, arg)) {
    case LUA_TSTRING: {
      const ts = tsvalue(index2value(L, arg));
      if (!fits(<u64>tsslen(ts) * 4 + <u64>b.cap)) { luaG_memerror(L); return false; }
      addquoted(b, getstr(ts), tsslen(ts));
      return true;
    }
    case LUA_TNUMBER: {
      const o = index2value(L, arg);
      if (!ttisinteger(o)) {
        const x = fltvalue(o);
        if (x == Infinity) buf_addstr(b, "1e9999");
        else if (x == -Infinity) buf_addstr(b, "-1e9999");
        else if (x != x) buf_addstr(b, "(0/0)");
        else lua_fmtfloat(b, x, 97, -1, 0, 0);         // hexadecimal keeps every bit
      } else {
        const n = ivalue(o);
        if (n == i64.MIN_VALUE) buf_addstr(b, "0x8000000000000000");
        else { const d = buf_prepare(b, 24); b.len += luaO_int2str(n, d); }
      }
      return true;
    }
    case LUA_TNIL: case LUA_TBOOLEAN: {
      const ts = luaL_tolstring(L, arg);
      buf_addbytes(b, getstr(ts), tsslen(ts));
      lua_pop(L, 1);
      return true;
    }
    default:
      luaL_argerror(L, arg, "value has no literal form");
      return false;
  }
}

/** %s with modifiers: precision truncates, width pads (the value is pushed on the stack). */
function addstring(L: usize, b: Buffer, arg: i32, ts: usize): bool {
  const s = getstr(ts), l = tsslen(ts);
  for (let i = 0; i < l; i++) {
    if (load<u8>(s + <usize>i) == 0) { luaL_argerror(L, arg, "string contains zeros"); return false; }
  }
  if (!checkformat(L, FLAGSC, true)) return false;
  if (sprec < 0 && l >= 100) buf_addbytes(b, s, l);    // no precision and too long: keep it whole
  else addpadded(b, s, sprec >= 0 && sprec < l ? sprec : l);
  lua_pop(L, 1);
  return true;
}

/** One conversion: conv is the specifier, spec the text after '%'; false after raising. */
function addformat(L: usize, b: Buffer, arg: i32, conv: i32, spec: usize): bool {
  switch (conv) {
    case 99: {                                         // c
      if (!checkformat(L, FLAGSC, false)) return false;
      const n = luaL_checkinteger(L, arg);
      if (argfail) return false;
      const tmp = memory.data(1);
      store<u8>(tmp, <u8>n);
      addpadded(b, tmp, 1);
      return true;
    }
    case 100: case 105: case 117: case 111: case 120: case 88: {   // d i u o x X
      const n = luaL_checkinteger(L, arg);
      if (argfail) return false;
      const flags = conv == 117 ? FLAGSU : (conv == 100 || conv == 105 ? FLAGSI : FLAGSX);
      if (!checkformat(L, flags, true)) return false;
      addint(b, n, conv);
      return true;
    }
    case 97: case 65: {                                // a A
      if (!checkformat(L, FLAGSF, true)) return false;
      const x = luaL_checknumber(L, arg);
      if (argfail) return false;
      lua_fmtfloat(b, x, conv, sprec, sflags, swidth);
      return true;
    }
    case 102: case 101: case 69: case 103: case 71: {               // f e E g G (no F in Lua)
      const x = luaL_checknumber(L, arg);
      if (argfail) return false;
      if (!checkformat(L, FLAGSF, true)) return false;
      lua_fmtfloat(b, x, conv, sprec, sflags, swidth);
      return true;
    }
    case 112: {                                        // p
      const ptr = lua_topointer(L, arg);
      if (!checkformat(L, FLAGSC, false)) return false;
      if (ptr == 0) {
        const nul = memory.data<u8>([40, 110, 117, 108, 108, 41]);   // "(null)"
        addpadded(b, nul, 6);
      } else {
        const tmp = buf_new();
        addpointer(tmp, ptr);
        addpadded(b, tmp.ptr, tmp.len);
        buf_free(tmp);
      }
      return true;
    }
    case 113: {                                        // q
      if (formlen > 2) { luaL_error(L, "specifier '%q' cannot have modifiers"); return false; }
      return addliteral(L, b, arg);
    }
    case 115: {                                        // s
      const ts = luaL_tolstring(L, arg);
      if (ts == 0) return false;
      getformat(L, spec);                              // __tostring may have run a nested format
      if (formlen == 2) {                              // no modifiers: the whole string
        if (!fits(<u64>tsslen(ts) + <u64>b.cap * 2)) { luaG_memerror(L); return false; }
        buf_addbytes(b, getstr(ts), tsslen(ts));
        lua_pop(L, 1);
        return true;
      }
      return addstring(L, b, arg, ts);
    }
    default:                                           // also 'n', 'L', 'l', 'h' ...
      formerror(L, "invalid conversion ", " to 'format'");
      return false;
  }
}

export function str_format(L: usize): i32 {
  const top = lua_gettop(L);
  let arg = 1;
  const fts = luaL_checklstring(L, arg);
  if (argfail) return ERR;
  let p = getstr(fts);
  const pend = p + <usize>tsslen(fts);
  const b = acquirebuf();
  while (p < pend) {
    const c = load<u8>(p);
    if (c != L_ESC) {                                  // copy a run of plain text
      let q = p + 1;
      while (q < pend && load<u8>(q) != L_ESC) q++;
      buf_addbytes(b, p, <i32>(q - p));
      p = q;
      continue;
    }
    p++;
    if (load<u8>(p) == L_ESC) { buf_addbyte(b, L_ESC); p++; continue; }   // %%
    if (++arg > top) { releasebuf(b); return luaL_argerror(L, arg, "no value"); }
    const n = getformat(L, p);
    if (n < 0) { releasebuf(b); return ERR; }
    if (!addformat(L, b, arg, formc(n), p)) { releasebuf(b); return ERR; }
    p += <usize>n;
  }
  lua_pushlstring(L, b.ptr, b.len);
  releasebuf(b);
  return 1;
}
