// numfmt.ts - exact conversions between text and binary doubles: strtod for decimal and hex
// numerals (correctly rounded, ties to even) and printf's %e %f %g %a as glibc prints them.
// Invariant: every result is derived from the exact value with integer arithmetic (a small bignum in
// static scratch memory); no host formatting and no floating-point approximation ever decides a digit.
//
// A finite double is m * 2^e with m < 2^53. Printing generates its exact decimal expansion (integer
// part by repeated division by 10^9, fraction part by repeated multiplication by 10^9), then rounds the
// digit string half-to-even on the exact value. Parsing computes D * 10^e exactly (D = up to MAXSIGDIG
// significant digits plus a sticky digit) and takes its top 64 bits plus a sticky bit, then rounds once.
// Scratch memory is static, so nothing here allocates and nothing here is re-entrant (wasm is single
// threaded and none of these functions calls back into Lua).

import { Buffer, buf_prepare } from "../mem/buffer";

// ==== Scratch memory ====
// @ts-ignore: decorator
@inline const BIGCAP: i32 = 176;                 // limbs: 10^1126 needs 117, plus shifts
const BIG_A: usize = memory.data(BIGCAP * 4, 8);
const BIG_B: usize = memory.data(BIGCAP * 4, 8);
const CHUNKS: usize = memory.data(64 * 4, 8);    // base-10^9 chunks of an integer part (<= 35 used)
// @ts-ignore: decorator
@inline const DIGCAP: i32 = 1400;
/** Decimal digits (values 0..9) of the number being printed, or ASCII digits of one being parsed. */
const DIG: usize = memory.data(DIGCAP, 8);
// @ts-ignore: decorator
@inline const MAXSIGDIG: i32 = 800;              // > 767, the most digits a halfway point can need

/** Exact powers of ten representable as doubles (10^0 .. 10^22). */
const P10: usize = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);
/** Powers of ten as u32 (10^0 .. 10^9). */
const P10I: usize = memory.data<u32>([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000]);

// @ts-ignore: decorator
@inline function limb(p: usize, i: i32): u32 { return load<u32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setlimb(p: usize, i: i32, v: u32): void { store<u32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function p10f(i: i32): f64 { return load<f64>(P10 + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function p10i(i: i32): u32 { return load<u32>(P10I + (<usize>i << 2)); }

// ==== Bignum: little-endian u32 limbs at a fixed address, length kept by the caller ====

/** p = p * m + a; returns the new length. */
function big_muladd(p: usize, n: i32, m: u32, a: u32): i32 {
  let carry: u64 = <u64>a;
  for (let i = 0; i < n; i++) {
    const t = <u64>limb(p, i) * <u64>m + carry;
    setlimb(p, i, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0) { setlimb(p, n, <u32>carry); n++; }
  return n;
}

/** p = p << s; returns the new length. */
function big_shl(p: usize, n: i32, s: i32): i32 {
  if (n == 0 || s == 0) return n;
  const w = s >> 5, b = s & 31;
  let nn = n + w;
  if (b == 0) {
    for (let i = n - 1; i >= 0; i--) setlimb(p, i + w, limb(p, i));
  } else {
    const hi = limb(p, n - 1) >>> (32 - b);
    if (hi != 0) { setlimb(p, n + w, hi); nn++; }
    for (let i = n - 1; i > 0; i--) setlimb(p, i + w, (limb(p, i) << b) | (limb(p, i - 1) >>> (32 - b)));
    setlimb(p, w, limb(p, 0) << b);
  }
  for (let i = 0; i < w; i++) setlimb(p, i, 0);
  return nn;
}

function big_bitlen(p: usize, n: i32): i32 {
  return n == 0 ? 0 : (n - 1) * 32 + 32 - <i32>clz(limb(p, n - 1));
}

function big_cmp(a: usize, na: i32, b: usize, nb: i32): i32 {
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = na - 1; i >= 0; i--) {
    const x = limb(a, i), y = limb(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a = a - b, requires a >= b; returns the new (normalised) length of a. */
function big_sub(a: usize, na: i32, b: usize, nb: i32): i32 {
  let borrow: i64 = 0;
  for (let i = 0; i < na; i++) {
    const t = <i64>limb(a, i) - (i < nb ? <i64>limb(b, i) : 0) - borrow;
    setlimb(a, i, <u32>t);
    borrow = t < 0 ? 1 : 0;
  }
  while (na > 0 && limb(a, na - 1) == 0) na--;
  return na;
}

/** p = p / d; returns the remainder. The new length is left in `divlen`. */
let divlen: i32 = 0;
function big_divsmall(p: usize, n: i32, d: u32): u32 {
  let r: u64 = 0;
  for (let i = n - 1; i >= 0; i--) {
    const t = (r << 32) | <u64>limb(p, i);
    setlimb(p, i, <u32>(t / <u64>d));
    r = t % <u64>d;
  }
  while (n > 0 && limb(p, n - 1) == 0) n--;
  divlen = n;
  return <u32>r;
}

/** Loads a u64 into a bignum; returns its length. */
function big_set64(p: usize, v: u64): i32 {
  setlimb(p, 0, <u32>v);
  setlimb(p, 1, <u32>(v >> 32));
  return v == 0 ? 0 : (v >> 32 != 0 ? 2 : 1);
}

// ==== Binary rounding ====

/**
 * The double nearest to (q + f) * 2^e2, where 0 <= f < 1 is known only as `sticky` (f != 0), ties to
 * even, with gradual underflow and overflow to infinity (as glibc strtod in round-to-nearest).
 */
export function roundbits(q: u64, e2: i32, sticky: bool, neg: bool): f64 {
  const sign: u64 = neg ? 0x8000000000000000 : 0;
  if (q == 0) return reinterpret<f64>(sign);
  const lz = <i32>clz(q);
  q <<= <u64>lz; e2 -= lz;
  const E = e2 + 63;                                 // value in [2^E, 2^(E+1))
  if (E > 1023) return reinterpret<f64>(sign | 0x7FF0000000000000);
  let drop = 11;
  if (E < -1022) drop += -1022 - E;                  // subnormal: fewer bits kept
  if (drop > 64) return reinterpret<f64>(sign);      // below half the least subnormal
  let mant: u64, rest: u64, half: u64;
  if (drop == 64) { mant = 0; rest = q; half = 0x8000000000000000; }
  else { mant = q >> <u64>drop; rest = q & ((<u64>1 << <u64>drop) - 1); half = <u64>1 << <u64>(drop - 1); }
  if (rest > half || (rest == half && (sticky || (mant & 1) != 0))) mant++;
  if (E < -1022) return reinterpret<f64>(sign | mant);   // mant == 2^52 is the least normal: still right
  return reinterpret<f64>(sign | ((<u64>(E + 1022) << 52) + mant));  // a carry into bit 53 bumps the exponent
}

// ==== Decimal → double ====

/** Top 64 bits of a bignum of bit length L > 64; `topsticky` gets whether any lower bit is set. */
let topsticky: bool = false;
function big_top64(p: usize, n: i32, L: i32): u64 {
  const sh = L - 64, w = sh >> 5, b = sh & 31;
  const lo = limb(p, w), mid = limb(p, w + 1), hi = w + 2 < n ? limb(p, w + 2) : 0;
  let q = ((<u64>mid << 32) | <u64>lo) >> <u64>b;
  if (b != 0) q |= <u64>hi << <u64>(64 - b);
  let st = b != 0 && (lo & ((<u32>1 << <u32>b) - 1)) != 0;
  for (let i = 0; i < w && !st; i++) if (limb(p, i) != 0) st = true;
  topsticky = st;
  return q;
}

/**
 * Correctly rounded value of D * 10^e10, D given as `nd` ASCII digits at `digs` (no leading zeros;
 * nd <= MAXSIGDIG + 1).
 */
export function decimal2double(digs: usize, nd: i32, e10: i32, neg: bool): f64 {
  while (nd > 0 && load<u8>(digs + <usize>(nd - 1)) == 48) { nd--; e10++; }   // trailing zeros
  if (nd == 0) return neg ? -0.0 : 0.0;
  const mag = nd + e10;                              // value in [10^(mag-1), 10^mag)
  if (mag > 310) return neg ? -Infinity : Infinity;
  if (mag <= -324) return neg ? -0.0 : 0.0;          // below 10^-324, less than half the least subnormal
  if (nd <= 19) {                                    // Clinger's fast path: one exact operand, one rounding
    let d: u64 = 0;
    for (let i = 0; i < nd; i++) d = d * 10 + <u64>(load<u8>(digs + <usize>i) - 48);
    if (d <= (<u64>1 << 53)) {
      let r: f64 = -1;
      const fd = <f64>d;
      if (e10 >= 0 && e10 <= 22) r = fd * p10f(e10);
      else if (e10 < 0 && e10 >= -22) r = fd / p10f(-e10);
      else if (e10 > 22 && e10 <= 22 + 15) {
        const t = fd * p10f(e10 - 22);               // exact while below 2^53
        if (t < 9007199254740992.0) r = t * 1e22;
      }
      if (r >= 0) return neg ? -r : r;
    }
  }
  // slow path: exact big-integer arithmetic
  let na = 0;
  for (let i = 0; i < nd; ) {
    const k = nd - i < 9 ? nd - i : 9;
    let c: u32 = 0;
    for (let j = 0; j < k; j++) c = c * 10 + <u32>(load<u8>(digs + <usize>(i + j)) - 48);
    na = big_muladd(BIG_A, na, p10i(k), c);
    i += k;
  }
  let q: u64, e2: i32, sticky: bool;
  if (e10 >= 0) {
    let e = e10;
    while (e >= 9) { na = big_muladd(BIG_A, na, 1000000000, 0); e -= 9; }
    if (e > 0) na = big_muladd(BIG_A, na, p10i(e), 0);
    const L = big_bitlen(BIG_A, na);
    if (L <= 64) { q = (<u64>limb(BIG_A, 1) << 32) | <u64>limb(BIG_A, 0); if (na < 2) q &= 0xFFFFFFFF; e2 = 0; sticky = false; }
    else { q = big_top64(BIG_A, na, L); sticky = topsticky; e2 = L - 64; }
  } else {
    let nb = 1; setlimb(BIG_B, 0, 1);
    let e = -e10;
    while (e >= 9) { nb = big_muladd(BIG_B, nb, 1000000000, 0); e -= 9; }
    if (e > 0) nb = big_muladd(BIG_B, nb, p10i(e), 0);
    let s = big_bitlen(BIG_B, nb) - big_bitlen(BIG_A, na);   // D*2^s / 10^-e10 in (1/2, 2)
    if (s > 0) na = big_shl(BIG_A, na, s);
    else if (s < 0) nb = big_shl(BIG_B, nb, -s);
    if (big_cmp(BIG_A, na, BIG_B, nb) < 0) { na = big_shl(BIG_A, na, 1); s++; }   // now in [1, 2)
    q = 0;
    for (let i = 0; i < 64; i++) {                   // restoring division, one quotient bit per step
      q <<= 1;
      if (big_cmp(BIG_A, na, BIG_B, nb) >= 0) { na = big_sub(BIG_A, na, BIG_B, nb); q |= 1; }
      na = big_shl(BIG_A, na, 1);
    }
    sticky = na != 0;
    e2 = -63 - s;
  }
  return roundbits(q, e2, sticky, neg);
}

// ==== Text → double (strtod syntax, C locale, no inf/nan) ====

let str2d_result: f64 = 0;

// @ts-ignore: decorator
@inline export function lisspace(c: i32): bool { return c == 32 || (c >= 9 && c <= 13); }
// @ts-ignore: decorator
@inline function isdigit(c: i32): bool { return <u32>(c - 48) < 10; }
// @ts-ignore: decorator
@inline export function hexvalue(c: i32): i32 {    // -1 if not a hex digit
  if (<u32>(c - 48) < 10) return c - 48;
  const l = c | 32;
  return <u32>(l - 97) < 6 ? l - 87 : -1;
}


/** Reads a decimal exponent "[+-]digits" at s; returns the index after it, or -1 if no digit. Value in `expval`. */
let expval: i32 = 0;
function readexp(s: usize, i: i32, len: i32): i32 {
  let neg = false;
  if (i < len) {
    const c = <i32>load<u8>(s + <usize>i);
    if (c == 45) { neg = true; i++; } else if (c == 43) i++;
  }
  if (i >= len || !isdigit(<i32>load<u8>(s + <usize>i))) return -1;
  let v = 0;
  while (i < len) {
    const c = <i32>load<u8>(s + <usize>i);
    if (!isdigit(c)) break;
    if (v < 100000000) v = v * 10 + (c - 48);        // clamp: far beyond any finite result
    i++;
  }
  expval = neg ? -v : v;
  return i;
}

/**
 * Converts the whole of s[0, len) (surrounding whitespace allowed) as C strtod would, rejecting
 * inf/nan as Lua's l_str2d does. True on success, with the value stored at out (f64*).
 */
export function str2d(s: usize, len: i32, out: usize): bool {
  let i = 0;
  while (i < len && lisspace(<i32>load<u8>(s + <usize>i))) i++;
  let neg = false;
  if (i < len) {
    const c = <i32>load<u8>(s + <usize>i);
    if (c == 45) { neg = true; i++; } else if (c == 43) i++;
  }
  let end: i32;
  if (i + 1 < len && load<u8>(s + <usize>i) == 48 && (load<u8>(s + <usize>(i + 1)) | 32) == 120) end = hexnum(s, i + 2, len, neg);
  else end = decnum(s, i, len, neg);
  if (end < 0) return false;
  store<f64>(out, str2d_result);
  while (end < len && lisspace(<i32>load<u8>(s + <usize>end))) end++;
  return end == len;
}

/** Decimal significand and optional exponent from s[i]; returns the end index or -1. */
function decnum(s: usize, i: i32, len: i32, neg: bool): i32 {
  let nd = 0, dexp = 0, anydig = false, dot = false, trunc = false;
  for (; i < len; i++) {
    const c = <i32>load<u8>(s + <usize>i);
    if (c == 46) { if (dot) break; dot = true; continue; }
    if (!isdigit(c)) break;
    anydig = true;
    if (nd == 0 && c == 48) { if (dot) dexp--; continue; }   // leading zero
    if (nd < MAXSIGDIG) { store<u8>(DIG + <usize>nd, <u8>c); nd++; if (dot) dexp--; }
    else { if (c != 48) trunc = true; if (!dot) dexp++; }
  }
  if (!anydig) return -1;
  if (i < len && (load<u8>(s + <usize>i) | 32) == 101) {
    const j = readexp(s, i + 1, len);
    if (j >= 0) { i = j; dexp += expval; }         // a bad exponent is not consumed
  }
  if (trunc) { store<u8>(DIG + <usize>nd, 49); nd++; dexp--; }   // sticky digit below the kept ones
  str2d_result = decimal2double(DIG, nd, dexp, neg);
  return i;
}

/** Hex significand (after "0x") and optional binary exponent; returns the end index or -1. */
function hexnum(s: usize, i: i32, len: i32, neg: bool): i32 {
  let m: u64 = 0, e2 = 0, anydig = false, dot = false, sticky = false;
  for (; i < len; i++) {
    const c = <i32>load<u8>(s + <usize>i);
    if (c == 46) { if (dot) break; dot = true; continue; }
    const d = hexvalue(c);
    if (d < 0) break;
    anydig = true;
    if (m < (<u64>1 << 60)) { m = (m << 4) | <u64>d; if (dot) e2 -= 4; }
    else { if (d != 0) sticky = true; if (!dot) e2 += 4; }
  }
  if (!anydig) return -1;                           // "0x" alone: strtod stops after the "0"
  if (i < len && (load<u8>(s + <usize>i) | 32) == 112) {
    const j = readexp(s, i + 1, len);
    if (j >= 0) { i = j; e2 += expval; }
  }
  str2d_result = roundbits(m, e2, sticky, neg);
  return i;
}

// ==== Double → decimal digits ====
// DIG[0] is a 0 kept for a carry out of the top digit; integer digits follow (at least one), then
// fraction digits. `ip` is the index just after the integer digits; digit i weighs 10^(ip-1-i).

let ndig: i32 = 0;
let ip: i32 = 0;
let fracsticky: bool = false;   // digits beyond ndig are not all zero
let fn: i32 = 0;                // limbs of the remaining fraction in BIG_A
let fk: i32 = 0;                // fraction bits: the fraction is BIG_A / 2^fk

// @ts-ignore: decorator
@inline function dig(i: i32): i32 { return <i32>load<u8>(DIG + <usize>i); }
// @ts-ignore: decorator
@inline function setdig(i: i32, d: i32): void { store<u8>(DIG + <usize>i, <u8>d); }

/** Appends the decimal digits of u (no leading zeros; "0" for 0). */
function adddigits64(u: u64): void {
  let n = 0, t = u;
  do { n++; t /= 10; } while (t != 0);
  for (let i = n - 1; i >= 0; i--) { setdig(ndig + i, <i32>(u % 10)); u /= 10; }
  ndig += n;
}

/** Appends exactly 9 digits of c (< 10^9). */
function add9(c: u32): void {
  for (let i = 8; i >= 0; i--) { setdig(ndig + i, <i32>(c % 10)); c /= 10; }
  ndig += 9;
}

/** Splits positive finite x into integer digits (in DIG) and the exact fraction (in BIG_A). */
function startdigits(x: f64): void {
  const bits = reinterpret<u64>(x);
  const be = <i32>(bits >> 52) & 0x7FF;
  let m = bits & 0xFFFFFFFFFFFFF;
  let e2: i32;
  if (be == 0) e2 = -1074; else { m |= <u64>1 << 52; e2 = be - 1075; }
  setdig(0, 0); ndig = 1;
  fn = 0; fk = 0;
  if (e2 >= 0) {                                   // integer: m << e2 to decimal through base 10^9
    let n = big_shl(BIG_A, big_set64(BIG_A, m), e2);
    let nc = 0;
    while (n > 0) { setlimb(CHUNKS, nc++, big_divsmall(BIG_A, n, 1000000000)); n = divlen; }
    adddigits64(<u64>limb(CHUNKS, nc - 1));
    for (let i = nc - 2; i >= 0; i--) add9(limb(CHUNKS, i));
  } else {
    const k = -e2;
    if (k < 64) {
      adddigits64(m >> <u64>k);
      fn = big_set64(BIG_A, m & ((<u64>1 << <u64>k) - 1));
    } else {
      adddigits64(0);
      fn = big_set64(BIG_A, m);
    }
    fk = k;
  }
  ip = ndig;
}

/** Appends 9 more fraction digits. */
function nextfrac9(): void {
  fn = big_muladd(BIG_A, fn, 1000000000, 0);
  const w = fk >> 5, b = fk & 31;
  const lo = w < fn ? limb(BIG_A, w) : 0, hi = w + 1 < fn ? limb(BIG_A, w + 1) : 0;
  const c = <u32>((((<u64>hi << 32) | <u64>lo) >> <u64>b) & 0x3FFFFFFF);
  if (w < fn) {                                    // keep only the bits below 2^fk
    setlimb(BIG_A, w, b == 0 ? 0 : lo & ((<u32>1 << <u32>b) - 1));
    fn = w + 1;
    while (fn > 0 && limb(BIG_A, fn - 1) == 0) fn--;
  }
  add9(c);
}

/** Generates fraction digits until digit index `upto` exists or the expansion ends. */
function fracupto(upto: i32): void {
  while (ndig <= upto && fn != 0 && ndig + 9 <= DIGCAP) nextfrac9();
  fracsticky = fn != 0;
}

/** Index of the first nonzero digit, generating fraction digits as needed; -1 for zero. */
function firstnonzero(): i32 {
  let i = 1;
  while (true) {
    while (i < ndig) { if (dig(i) != 0) return i; i++; }
    if (fn == 0 || ndig + 9 > DIGCAP) break;
    nextfrac9();
  }
  return -1;
}

/** Rounds to the digits [0, pos), half to even on the exact value; ndig becomes pos. */
function roundat(pos: i32): void {
  if (pos >= ndig) {                               // all kept digits exist: pad with zeros
    for (let i = ndig; i < pos; i++) setdig(i, 0);
    ndig = pos;
    return;
  }
  const d = dig(pos);
  let up = d > 5;
  if (d == 5) {
    up = fracsticky || (dig(pos - 1) & 1) != 0;
    for (let i = pos + 1; i < ndig && !up; i++) if (dig(i) != 0) up = true;
  }
  ndig = pos;
  if (up) {
    let i = pos - 1;
    while (dig(i) == 9) { setdig(i, 0); i--; }    // DIG[0] == 0 stops the carry
    setdig(i, dig(i) + 1);
  }
}

// ==== printf core ====

// @ts-ignore: decorator
@inline export const FL_MINUS: i32 = 1;
// @ts-ignore: decorator
@inline export const FL_PLUS: i32 = 2;
// @ts-ignore: decorator
@inline export const FL_SPACE: i32 = 4;
// @ts-ignore: decorator
@inline export const FL_HASH: i32 = 8;
// @ts-ignore: decorator
@inline export const FL_ZERO: i32 = 16;

const BODY: usize = memory.data(DIGCAP + 64, 8);   // the text after sign and "0x"
let blen: i32 = 0;

// @ts-ignore: decorator
@inline function bput(c: i32): void { store<u8>(BODY + <usize>blen, <u8>c); blen++; }

/** Digits [from, to) of DIG as ASCII (positions past ndig are zeros). */
function bdigits(from: i32, to: i32): void {
  for (let i = from; i < to; i++) bput(i < ndig ? 48 + dig(i) : 48);
}

/** Exponent part "e+XX" (at least two digits). */
function bexp(c: i32, x: i32): void {
  bput(c);
  if (x < 0) { bput(45); x = -x; } else bput(43);
  if (x >= 100) { bput(48 + x / 100); x %= 100; bput(48 + x / 10); bput(48 + x % 10); }
  else { bput(48 + x / 10); bput(48 + x % 10); }
}

/** %f body with `prec` fraction digits of the already-rounded DIG. */
function bfixed(prec: i32, hash: bool): void {
  let f = 1;
  while (f < ip - 1 && dig(f) == 0) f++;           // skip leading zeros of the integer part
  if (dig(0) != 0) f = 0;                          // a carry reached the sentinel
  bdigits(f, ip);
  if (prec > 0 || hash) bput(46);
  bdigits(ip, ip + prec);
}

/** %e body: P+1 significant digits starting at f (already rounded), exponent X. */
function bexpo(f: i32, prec: i32, X: i32, hash: bool, upper: bool): void {
  bput(48 + (f < ndig ? dig(f) : 0));
  if (prec > 0 || hash) bput(46);
  bdigits(f + 1, f + 1 + prec);
  bexp(upper ? 69 : 101, X);
}

/** Rounds x (positive, finite) to `sig` significant digits; returns the first digit's index. */
function roundsig(sig: i32): i32 {
  let f = firstnonzero();
  if (f < 0) { ndig = ip; return ip - 1; }         // zero: the single integer digit
  fracupto(f + sig);
  roundat(f + sig);
  sigcarry = f > 0 && dig(f - 1) != 0;
  if (sigcarry) f--;                               // carry created a new leading digit
  return f;
}
let sigcarry: bool = false;

function body_e(x: f64, prec: i32, hash: bool, upper: bool): void {
  startdigits(x);
  const f = roundsig(prec + 1);
  bexpo(f, prec, ip - 1 - f, hash, upper);
}

function body_f(x: f64, prec: i32, hash: bool): void {
  startdigits(x);
  fracupto(ip + prec);
  roundat(ip + prec);
  bfixed(prec, hash);
}

function body_g(x: f64, prec: i32, hash: bool, upper: bool): void {
  const P = prec == 0 ? 1 : prec;
  startdigits(x);
  const f = roundsig(P);
  const X = x == 0 ? 0 : ip - 1 - f;
  const start = blen;
  if (X < P && X >= -4) bfixed(P - 1 - X, hash);
  else if (hash && sigcarry && X == P) bexpo(f, 0, X, hash, upper);   // glibc: %f style rounded up to
  else bexpo(f, P - 1, X, hash, upper);                                // 10^P keeps its 0 decimals: "1.e+06"
  if (!hash) {                                     // remove trailing zeros of the fraction
    let dotp = -1;
    for (let i = start; i < blen; i++) { const c = load<u8>(BODY + <usize>i); if (c == 46) dotp = i; if ((c | 32) == 101) break; }
    if (dotp >= 0) {
      let epos = dotp;
      while (epos < blen && (load<u8>(BODY + <usize>epos) | 32) != 101) epos++;
      let z = epos;
      while (z > dotp + 1 && load<u8>(BODY + <usize>(z - 1)) == 48) z--;
      if (z == dotp + 1) z = dotp;                 // no fraction left: drop the point
      if (z < epos) { memory.copy(BODY + <usize>z, BODY + <usize>epos, <usize>(blen - epos)); blen -= epos - z; }
    }
  }
}

/** %a body after "0x" (glibc style: leading 1, or 0 for subnormals and zero). */
function body_a(x: f64, prec: i32, hash: bool, upper: bool): i32 {
  const bits = reinterpret<u64>(x);
  const be = <i32>(bits >> 52) & 0x7FF;
  let frac = bits & 0xFFFFFFFFFFFFF;
  let lead = be == 0 ? 0 : 1;
  let ex = be == 0 ? (frac == 0 ? 0 : -1022) : be - 1023;
  let nd = 13;
  while (nd > 0 && ((frac >> <u64>(4 * (13 - nd))) & 15) == 0) nd--;   // trailing zero digits
  if (prec >= 0 && prec < nd) {                    // round half to even on the dropped digits
    const sh = 4 * (13 - prec);                    // bits dropped
    const next = <i32>((frac >> <u64>(sh - 4)) & 15);
    const more = (next & 7) != 0 || (frac & ((<u64>1 << <u64>(sh - 4)) - 1)) != 0;
    let kept = sh == 52 ? 0 : frac >> <u64>sh;
    const lastodd = prec > 0 ? (kept & 1) != 0 : (lead & 1) != 0;
    if (next >= 8 && (more || lastodd)) {
      kept++;
      if (prec == 0 || kept >> <u64>(4 * prec) != 0) { lead++; kept = 0; }
    }
    frac = sh == 52 ? 0 : kept << <u64>sh;
    nd = prec;
  }
  if (prec < 0) prec = nd;
  const hexa = upper ? 55 : 87;
  bput(48 + lead);
  if (prec > 0 || hash) bput(46);
  for (let i = 0; i < prec; i++) {
    const d = i < 13 ? <i32>((frac >> <u64>(48 - 4 * i)) & 15) : 0;
    bput(d < 10 ? 48 + d : hexa + d);
  }
  bput(upper ? 80 : 112);
  if (ex < 0) { bput(45); ex = -ex; } else bput(43);
  if (ex >= 1000) bput(48 + ex / 1000);
  if (ex >= 100) bput(48 + (ex / 100) % 10);
  if (ex >= 10) bput(48 + (ex / 10) % 10);
  bput(48 + ex % 10);
  return 0;
}

// @ts-ignore: decorator
@inline const MAXPREC: i32 = 400;

/** Upper bound of the bytes `fmtfloat` writes. */
export function fmtfloat_bound(precision: i32, width: i32): i32 {
  return 340 + (precision > 0 ? (precision < MAXPREC ? precision : MAXPREC) : 0) + (width > 0 ? width : 0) + 16;
}

/**
 * Formats x as C printf("%<flags><width>.<precision><conv>") does under glibc, into dst (which
 * has room for fmtfloat_bound bytes); returns the length. precision < 0 means the default.
 */
export function fmtfloat_raw(dst: usize, x: f64, conv: i32, precision: i32, flags: i32, width: i32): i32 {
  if (precision > MAXPREC) precision = MAXPREC;    // C prints more digits; Lua never asks beyond 99
  const upper = conv < 97;
  const lc = conv | 32;
  const hash = (flags & FL_HASH) != 0;
  const neg = (reinterpret<u64>(x) >> 63) != 0;
  const ax = Math.abs(x);
  blen = 0;
  let finite = true;
  if (ax != ax || ax == Infinity) {
    finite = false;
    const t = ax != ax ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    for (let i = 0; i < 3; i++) bput(t.charCodeAt(i));
  } else if (lc == 97) {
    body_a(ax, precision, hash, upper);
  } else {
    const prec = precision < 0 ? 6 : precision;
    if (lc == 101) body_e(ax, prec, hash, upper);
    else if (lc == 102) body_f(ax, prec, hash);
    else body_g(ax, prec, hash, upper);
  }
  // assemble: [pad] sign [0x] [zeros] body [pad]
  let sign = 0;
  if (neg) sign = 45; else if (flags & FL_PLUS) sign = 43; else if (flags & FL_SPACE) sign = 32;
  const pfx = finite && lc == 97 ? 2 : 0;
  const core = (sign != 0 ? 1 : 0) + pfx + blen;
  const pad = width > core ? width - core : 0;
  const zeropad = finite && (flags & FL_ZERO) != 0 && (flags & FL_MINUS) == 0;
  let p = dst;
  if (pad > 0 && !zeropad && (flags & FL_MINUS) == 0) { memory.fill(p, 32, <usize>pad); p += <usize>pad; }
  if (sign != 0) { store<u8>(p, <u8>sign); p++; }
  if (pfx != 0) { store<u8>(p, 48); store<u8>(p, upper ? 88 : 120, 1); p += 2; }
  if (pad > 0 && zeropad) { memory.fill(p, 48, <usize>pad); p += <usize>pad; }
  memory.copy(p, BODY, <usize>blen); p += <usize>blen;
  if (pad > 0 && (flags & FL_MINUS) != 0) { memory.fill(p, 32, <usize>pad); p += <usize>pad; }
  return <i32>(p - dst);
}

/**
 * string.format's float conversions: appends x formatted as C printf would (glibc, byte for byte).
 * conv is the conversion letter ('e','E','f','F','g','G','a','A'); precision -1 = default;
 * flags: bit0 '-', bit1 '+', bit2 ' ', bit3 '#', bit4 '0'.
 */
export function lua_fmtfloat(b: Buffer, x: f64, conv: i32, precision: i32, flags: i32, width: i32): void {
  const d = buf_prepare(b, fmtfloat_bound(precision, width));
  b.len += fmtfloat_raw(d, x, conv, precision, flags, width);
}

// ==== printf integer conversions ====

/**
 * string.format's integer conversions: appends v formatted as C printf("%<flags><width>.<prec>ll<conv>")
 * with conv 'd','i' (signed) or 'u','o','x','X' (the 64 bits as unsigned). precision -1 = none;
 * flags as for lua_fmtfloat. C rules: a precision is the minimum digit count and turns off '0';
 * precision 0 prints nothing for 0; '#' gives "0x"/"0X" for nonzero hex and a leading 0 for octal.
 */
export function lua_fmtint(b: Buffer, v: i64, conv: i32, precision: i32, flags: i32, width: i32): void {
  if (precision > MAXPREC) precision = MAXPREC;
  const d = buf_prepare(b, fmtfloat_bound(precision, width));
  b.len += fmtint_raw(d, v, conv, precision, flags, width);
}

/** lua_fmtint into raw memory with room for fmtfloat_bound(precision, width) bytes; returns the length. */
export function fmtint_raw(dst: usize, v: i64, conv: i32, precision: i32, flags: i32, width: i32): i32 {
  const signed = conv == 100 || conv == 105;
  const base: u64 = conv == 111 ? 8 : ((conv | 32) == 120 ? 16 : 10);
  const hexa = conv == 88 ? 55 : 87;
  let u: u64 = signed && v < 0 ? <u64>(0 - v) : <u64>v;
  blen = 0;
  // digits, least significant first, into BODY; reversed below
  if (!(u == 0 && precision == 0)) {
    do { const dg = <i32>(u % base); bput(dg < 10 ? 48 + dg : hexa + dg); u /= base; } while (u != 0);
  }
  while (blen < precision) bput(48);
  if (base == 8 && (flags & FL_HASH) != 0 && (blen == 0 || load<u8>(BODY + <usize>(blen - 1)) != 48)) bput(48);
  for (let i = 0, j = blen - 1; i < j; i++, j--) {   // reverse in place
    const t = load<u8>(BODY + <usize>i);
    store<u8>(BODY + <usize>i, load<u8>(BODY + <usize>j));
    store<u8>(BODY + <usize>j, t);
  }
  let sign = 0;
  if (signed) { if (v < 0) sign = 45; else if (flags & FL_PLUS) sign = 43; else if (flags & FL_SPACE) sign = 32; }
  const pfx = base == 16 && (flags & FL_HASH) != 0 && v != 0 ? 2 : 0;
  const core = (sign != 0 ? 1 : 0) + pfx + blen;
  const pad = width > core ? width - core : 0;
  const zeropad = (flags & FL_ZERO) != 0 && (flags & FL_MINUS) == 0 && precision < 0;
  let p = dst;
  if (pad > 0 && !zeropad && (flags & FL_MINUS) == 0) { memory.fill(p, 32, <usize>pad); p += <usize>pad; }
  if (sign != 0) { store<u8>(p, <u8>sign); p++; }
  if (pfx != 0) { store<u8>(p, 48); store<u8>(p, <u8>conv, 1); p += 2; }
  if (pad > 0 && zeropad) { memory.fill(p, 48, <usize>pad); p += <usize>pad; }
  memory.copy(p, BODY, <usize>blen); p += <usize>blen;
  if (pad > 0 && (flags & FL_MINUS) != 0) { memory.fill(p, 32, <usize>pad); p += <usize>pad; }
  return <i32>(p - dst);
}
