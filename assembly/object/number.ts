// number.ts - Lua numbers: string→number (luaO_str2num), number→string (tostringbuff, "%.14g"),
// raw arithmetic for constant folding and lua_arith (luaO_rawarith), and the integer/float helpers
// the VM uses on its hot paths: floor division and modulo, shifts, float→integer conversion
// (lobject.c and the number half of lvm.c).
// Invariant: integers are i64 with wrap-around arithmetic and floats are f64 exactly as in Lua 5.4;
// nothing here may trap (wasm traps on i64 MIN / -1 and x / 0, so those cases are handled first).
// Exact decimal/binary conversion and printf formatting live in numfmt.ts.

import {
  ttisinteger, ttisfloat, ttisstring, ivalue, fltvalue, nvalue, tsvalue,
  setivalue, setfltvalue, setsvalue,
} from "./value";
import { getstr, tsslen, luaS_newlstr } from "./string";
import { str2d, fmtfloat_raw, lisspace, hexvalue } from "./numfmt";
import { MAXNUMBER2STR } from "../luaconf";
import { pow_lut } from "~lib/util/math";

export { lua_fmtfloat, lua_fmtint, fmtint_raw, fmtfloat_raw, fmtfloat_bound, FL_MINUS, FL_PLUS, FL_SPACE, FL_HASH, FL_ZERO } from "./numfmt";

// ==== Arithmetic operators (lua.h, ORDER TM, ORDER OP) ====
// @ts-ignore: decorator
@inline export const LUA_OPADD: i32 = 0;
// @ts-ignore: decorator
@inline export const LUA_OPSUB: i32 = 1;
// @ts-ignore: decorator
@inline export const LUA_OPMUL: i32 = 2;
// @ts-ignore: decorator
@inline export const LUA_OPMOD: i32 = 3;
// @ts-ignore: decorator
@inline export const LUA_OPPOW: i32 = 4;
// @ts-ignore: decorator
@inline export const LUA_OPDIV: i32 = 5;
// @ts-ignore: decorator
@inline export const LUA_OPIDIV: i32 = 6;
// @ts-ignore: decorator
@inline export const LUA_OPBAND: i32 = 7;
// @ts-ignore: decorator
@inline export const LUA_OPBOR: i32 = 8;
// @ts-ignore: decorator
@inline export const LUA_OPBXOR: i32 = 9;
// @ts-ignore: decorator
@inline export const LUA_OPSHL: i32 = 10;
// @ts-ignore: decorator
@inline export const LUA_OPSHR: i32 = 11;
// @ts-ignore: decorator
@inline export const LUA_OPUNM: i32 = 12;
// @ts-ignore: decorator
@inline export const LUA_OPBNOT: i32 = 13;

// ==== Float → integer modes (F2Imod) ====
// @ts-ignore: decorator
@inline export const F2Ieq: i32 = 0;      // no rounding; accepts only integral values
// @ts-ignore: decorator
@inline export const F2Ifloor: i32 = 1;   // takes the floor of the number
// @ts-ignore: decorator
@inline export const F2Iceil: i32 = 2;    // takes the ceiling of the number

// @ts-ignore: decorator
@inline const MININTEGER: i64 = -9223372036854775808;
// @ts-ignore: decorator
@inline const MAXINTEGER: i64 = 9223372036854775807;

// ==== Integer and float primitives (lvm.c) ====

/** Floor division m // n. The caller guarantees n != 0. MIN // -1 wraps to MIN without trapping. */
// @ts-ignore: decorator
@inline export function luaV_idiv(m: i64, n: i64): i64 {
  if (<u64>n + 1 <= 1) return 0 - m;              // n == -1 (or 0): negate, wrapping
  const q = m / n;
  return ((m ^ n) < 0 && m % n != 0) ? q - 1 : q;  // C truncates; floor needs one less when negative
}

/** Floor modulo m % n (result has the sign of n). n != 0; m % -1 == 0 without trapping. */
// @ts-ignore: decorator
@inline export function luaV_mod(m: i64, n: i64): i64 {
  if (<u64>n + 1 <= 1) return 0;
  const r = m % n;
  return (r != 0 && (r ^ n) < 0) ? r + n : r;
}

/** Float modulo (luai_nummod): C fmod, then moved into the sign of the divisor. */
// @ts-ignore: decorator
@inline export function luaV_modf(a: f64, b: f64): f64 {
  let m = l_fmod(a, b);
  if (m > 0 ? b < 0 : (m < 0 && b > 0)) m += b;
  return m;
}

/**
 * C fmod as glibc on x86-64 gives it, NaN signs included: a NaN operand comes back (the first one
 * when both are NaN), an invalid case (inf % y, x % 0) gives the default NaN. The finite case is
 * AS's exact f64 '%'.
 */
export function l_fmod(a: f64, b: f64): f64 {
  if (a != a) return reinterpret<f64>(reinterpret<u64>(a) | QUIET_BIT);   // signalling NaNs come back quiet
  if (b != b) return reinterpret<f64>(reinterpret<u64>(b) | QUIET_BIT);
  if (b == 0 || Math.abs(a) == Infinity) return reinterpret<f64>(DEFAULT_NAN);
  return a % b;
}

/** Float floor division. */
// @ts-ignore: decorator
@inline export function luai_numidiv(a: f64, b: f64): f64 { return Math.floor(a / b); }

/** x86 default NaN (sign bit set): what glibc's invalid operations yield, printed "-nan". */
// @ts-ignore: decorator
@inline const DEFAULT_NAN: u64 = 0xFFF8000000000000;
// @ts-ignore: decorator
@inline const QUIET_BIT: u64 = 0x0008000000000000;

/** Float exponentiation: x^2 is a plain multiplication, as in PUC. */
// @ts-ignore: decorator
@inline export function luai_numpow(a: f64, b: f64): f64 { return b == 2 ? a * a : l_pow(a, b); }

/**
 * C pow as glibc computes it. AS's Math.pow follows JavaScript (pow(1, NaN) is NaN, shortcuts
 * for y = 0.5 and -1), so this goes to the shared ARM-optimized-routines core (pow_lut, the
 * algorithm glibc >= 2.28 uses) with C99's special cases in front.
 */
export function l_pow(x: f64, y: f64): f64 {
  if (x == 1.0) return 1.0;                        // C99: pow(1, y) = 1 for any y, even NaN
  // glibc rounds pow correctly; the shared core is within 0.52 ulp and can miss for y = -1 when 1/x
  // lies just past a midpoint, so that common case is the (correctly rounded) division
  if (y == -1.0 && x == x) return 1.0 / x;   // (a NaN x keeps the core's NaN sign)
  if (y != y) return x + y;                        // NaN propagates
  if (x == -1.0 && Math.abs(y) == Infinity) return 1.0;
  if (x < 0 && x > -Infinity && Math.abs(y) < Infinity && Math.floor(y) != y)
    return reinterpret<f64>(DEFAULT_NAN);          // negative base, non-integer exponent
  return pow_lut(x, y);
}

/** x << y for any y: negative shifts right (logical); |y| >= 64 gives 0. */
// @ts-ignore: decorator
@inline export function luaV_shiftl(x: i64, y: i64): i64 {
  if (y < 0) return y <= -64 ? 0 : <i64>(<u64>x >> <u64>(0 - y));
  return y >= 64 ? 0 : x << y;
}

/** x >> y (logical); negative shifts left. */
// @ts-ignore: decorator
@inline export function luaV_shiftr(x: i64, y: i64): i64 { return luaV_shiftl(x, 0 - y); }

// ==== Conversions between floats and integers ====

/**
 * Float → integer rounding by `mode` (luaV_flttointeger); stores an i64 at out. False when the
 * value is not integral (F2Ieq), is NaN, or is outside the integer range.
 */
export function luaV_flttointns(n: f64, out: usize, mode: i32): bool {
  let f = Math.floor(n);
  if (n != f) {
    if (mode == F2Ieq) return false;
    if (mode == F2Iceil) f += 1;
  }
  if (f >= -9223372036854775808.0 && f < 9223372036854775808.0) {   // lua_numbertointeger
    store<i64>(out, <i64>f);
    return true;
  }
  return false;
}

/** Number TValue (no string coercion) → integer by `mode` (PUC luaV_tointegerns). */
export function tointegerns_nocvt(v: usize, out: usize, mode: i32): bool {
  if (ttisinteger(v)) { store<i64>(out, ivalue(v)); return true; }
  if (ttisfloat(v)) return luaV_flttointns(fltvalue(v), out, mode);
  return false;
}

/** Integer, float, or numeric string (cvt2num) → integer by `mode` (PUC luaV_tointeger). */
export function luaV_tointegerns(v: usize, out: usize, mode: i32): bool {
  if (ttisinteger(v)) { store<i64>(out, ivalue(v)); return true; }
  if (ttisfloat(v)) return luaV_flttointns(fltvalue(v), out, mode);
  const tmp = TMPTV;
  if (l_strton(v, tmp)) return tointegerns_nocvt(tmp, out, mode);
  return false;
}

/** Same as luaV_tointegerns (PUC's name for the coercing version). */
export function luaV_tointeger(v: usize, out: usize, mode: i32): bool { return luaV_tointegerns(v, out, mode); }

/** Integer, float or numeric string → float, stored at out (f64*). */
export function luaV_tonumber_(v: usize, out: usize): bool {
  if (ttisfloat(v)) { store<f64>(out, fltvalue(v)); return true; }
  if (ttisinteger(v)) { store<f64>(out, <f64>ivalue(v)); return true; }
  const tmp = TMPTV;
  if (l_strton(v, tmp)) { store<f64>(out, nvalue(tmp)); return true; }
  return false;
}

const TMPTV: usize = memory.data(16, 8);          // scratch TValue for string coercions

/** A string value that is a whole numeral → number TValue at out (unchanged otherwise). */
export function l_strton(v: usize, out: usize): bool {
  if (!ttisstring(v)) return false;                // cvt2num
  const ts = tsvalue(v);
  const len = tsslen(ts);
  return luaO_str2num(getstr(ts), len, out) == len + 1;
}

// ==== String → number (lobject.c) ====

/** Value of a hex digit (the caller knows c is one). */
export function luaO_hexavalue(c: i32): i32 { return hexvalue(c); }

// @ts-ignore: decorator
@inline const MAXBY10: u64 = <u64>(MAXINTEGER / 10);
// @ts-ignore: decorator
@inline const MAXLASTD: i32 = <i32>(MAXINTEGER % 10);

/** Whole string as an integer numeral (decimal that fits, or hex wrapping mod 2^64): l_str2int. */
function l_str2int(s: usize, len: i32, out: usize): bool {
  let i = 0, a: u64 = 0, empty = true, neg = 0;
  while (i < len && lisspace(<i32>load<u8>(s + <usize>i))) i++;
  if (i < len) {
    const c = load<u8>(s + <usize>i);
    if (c == 45) { neg = 1; i++; } else if (c == 43) i++;
  }
  if (i + 1 < len && load<u8>(s + <usize>i) == 48 && (load<u8>(s + <usize>(i + 1)) | 32) == 120) {
    for (i += 2; i < len; i++) {
      const d = hexvalue(<i32>load<u8>(s + <usize>i));
      if (d < 0) break;
      a = a * 16 + <u64>d;
      empty = false;
    }
  } else {
    for (; i < len; i++) {
      const d = <i32>load<u8>(s + <usize>i) - 48;
      if (<u32>d >= 10) break;
      if (a >= MAXBY10 && (a > MAXBY10 || d > MAXLASTD + neg)) return false;   // overflow: a float
      a = a * 10 + <u64>d;
      empty = false;
    }
  }
  while (i < len && lisspace(<i32>load<u8>(s + <usize>i))) i++;
  if (empty || i != len) return false;
  setivalue(out, neg ? <i64>(0 - a) : <i64>a);
  return true;
}

const TMPF: usize = memory.data(8, 8);

/**
 * Converts the numeral s[0, len) to a number TValue at out, as luaO_str2num: integer if it is an
 * integer numeral that fits, else float. Returns len + 1 on success, 0 on failure (also for any
 * embedded zero byte, which ends a C string).
 */
export function luaO_str2num(s: usize, len: i32, out: usize): i32 {
  if (len <= 0) return 0;
  for (let i = 0; i < len; i++) if (load<u8>(s + <usize>i) == 0) return 0;
  if (l_str2int(s, len, out)) return len + 1;
  if (str2d(s, len, TMPF)) { setfltvalue(out, load<f64>(TMPF)); return len + 1; }
  return 0;
}

// ==== Number → string ====

/** Decimal text of an integer ("%lld"); returns the length (at most 20). */
export function luaO_int2str(v: i64, buf: usize): i32 {
  let u: u64 = v < 0 ? <u64>(0 - v) : <u64>v;      // -MIN wraps to MIN, whose unsigned value is right
  let n = 0;
  let t = u;
  do { n++; t /= 10; } while (t != 0);
  let off = 0;
  if (v < 0) { store<u8>(buf, 45); off = 1; }
  for (let i = n - 1; i >= 0; i--) { store<u8>(buf + <usize>(off + i), <u8>(48 + <i32>(u % 10))); u /= 10; }
  return n + off;
}

/**
 * Text of a number value as tostring gives it (tostringbuff): "%d" for integers, "%.14g" for floats
 * with ".0" added when the result looks like an integer. buf has MAXNUMBER2STR bytes; returns the length.
 */
export function luaO_tostringbuff(v: usize, buf: usize): i32 {
  if (ttisinteger(v)) return luaO_int2str(ivalue(v), buf);
  const x = fltvalue(v);
  if (Math.abs(x) < 1e14 && Math.floor(x) == x && x != 0) {   // fast path: %.14g prints it whole
    const n = luaO_int2str(<i64>x, buf);
    store<u8>(buf + <usize>n, 46);
    store<u8>(buf + <usize>(n + 1), 48);
    return n + 2;
  }
  const len = fmtfloat_raw(buf, x, 103, 14, 0, 0);
  for (let i = 0; i < len; i++) {                  // looks like an int? only '-' and digits
    const c = load<u8>(buf + <usize>i);
    if (c != 45 && <u32>(c - 48) >= 10) return len;
  }
  store<u8>(buf + <usize>len, 46);
  store<u8>(buf + <usize>(len + 1), 48);
  return len + 2;
}

const NUMBUF: usize = memory.data(MAXNUMBER2STR, 8);

/** Replaces the number at obj by its string form (luaO_tostring). */
export function luaO_tostring(obj: usize): void {
  const len = luaO_tostringbuff(obj, NUMBUF);
  setsvalue(obj, luaS_newlstr(NUMBUF, len));
}

// ==== Raw arithmetic (lobject.c) ====

function intarith(op: i32, a: i64, b: i64): i64 {
  switch (op) {
    case LUA_OPADD: return a + b;
    case LUA_OPSUB: return a - b;
    case LUA_OPMUL: return a * b;
    case LUA_OPMOD: return luaV_mod(a, b);
    case LUA_OPIDIV: return luaV_idiv(a, b);
    case LUA_OPBAND: return a & b;
    case LUA_OPBOR: return a | b;
    case LUA_OPBXOR: return a ^ b;
    case LUA_OPSHL: return luaV_shiftl(a, b);
    case LUA_OPSHR: return luaV_shiftr(a, b);
    case LUA_OPUNM: return 0 - a;
    case LUA_OPBNOT: return ~a;
    default: return 0;
  }
}

function numarith(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case LUA_OPADD: return b + a;                  // operand order as gcc emits it: NaN + NaN keeps b's sign
    case LUA_OPSUB: return a - b;
    case LUA_OPMUL: return a * b;
    case LUA_OPDIV: return a / b;
    case LUA_OPPOW: return luai_numpow(a, b);
    case LUA_OPIDIV: return luai_numidiv(a, b);
    case LUA_OPUNM: return -a;
    case LUA_OPMOD: return luaV_modf(a, b);
    default: return 0;
  }
}

const RAWI: usize = memory.data(16, 8);

/**
 * res = p1 op p2 on number values only (no strings, no metamethods). False when an operand is not
 * a number, a bitwise operand has no exact integer value, or an integer // or % has a zero divisor
 * (the caller raises the error or tries a metamethod). Unary ops (UNM, BNOT) ignore p2.
 */
export function luaO_rawarith(op: i32, p1: usize, p2: usize, res: usize): bool {
  if (op == LUA_OPUNM || op == LUA_OPBNOT) p2 = p1;
  if (op >= LUA_OPBAND && op <= LUA_OPBNOT && op != LUA_OPUNM) {   // integers only
    if (!tointegerns_nocvt(p1, RAWI, F2Ieq)) return false;
    const a = load<i64>(RAWI);
    if (!tointegerns_nocvt(p2, RAWI, F2Ieq)) return false;
    setivalue(res, intarith(op, a, load<i64>(RAWI)));
    return true;
  }
  if (ttisinteger(p1) && ttisinteger(p2) && op != LUA_OPDIV && op != LUA_OPPOW) {
    const b = ivalue(p2);
    if (b == 0 && (op == LUA_OPMOD || op == LUA_OPIDIV)) return false;
    setivalue(res, intarith(op, ivalue(p1), b));
    return true;
  }
  if (!(ttisinteger(p1) || ttisfloat(p1)) || !(ttisinteger(p2) || ttisfloat(p2))) return false;
  setfltvalue(res, numarith(op, nvalue(p1), nvalue(p2)));
  return true;
}

// ==== Misc ====

/** ceil(log2(x)) for x >= 1 (luaO_ceillog2). */
// @ts-ignore: decorator
@inline export function luaO_ceillog2(x: u32): i32 { return 32 - <i32>clz(x - 1); }
