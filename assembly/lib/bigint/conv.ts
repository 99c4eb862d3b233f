// conv.ts - magnitudes ↔ digit strings in bases 2 to 36. Power-of-two bases are a linear bit
// repacking. Other bases work in chunks of k digits (C = base^k, the largest power below 2^32) and,
// past CONV_THRESHOLD limbs, divide and conquer over the powers C^(2^i): printing splits the number
// by the largest power near its square root (a Burnikel-Ziegler division, div.ts) and prints both
// halves, the low one zero-padded; parsing splits the digits in the same way and recombines them
// with one Karatsuba product (mul.ts). Both are O(M(n) log n) instead of quadratic.
// Invariant: digits are lowercase; the caller validated every digit of the input and sized the
// output with conv_digitsbound / conv_limbsbound.

import {
  limb, setlimb, limbat, nat_alloc, nat_free, nat_copy, nat_norm, nat_bitlen, nat_divmod1, nat_mul1,
  nat_addlimb, nat_addto, nat_zero, nat_charge, nat_aborted,
} from "./nat";
import { nat_mul } from "./mul";
import { nat_divmod } from "./div";

/** Above this many limbs, conversion divides and conquers. */
// @ts-ignore: decorator
@inline const CONV_THRESHOLD: i32 = 40;

/** Largest k with base^k < 2^32 (digits per chunk). */
function chunkdigits(base: i32): i32 {
  let k = 0;
  let p: u64 = 1;
  while (p * <u64>base < 0x100000000) { p *= <u64>base; k++; }
  return k;
}
function ipow(base: i32, k: i32): u32 {
  let p: u32 = 1;
  for (let i = 0; i < k; i++) p *= <u32>base;
  return p;
}
/** log2(base) when base is a power of two, else 0. */
function log2base(base: i32): i32 { return (base & (base - 1)) == 0 ? ctz<i32>(base) : 0; }

/** The value of a digit character in base 36 (0..35), or 99. */
export function digitvalue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  if (c >= 97 && c <= 122) return c - 87;
  return 99;
}
// @ts-ignore: decorator
@inline function digitchar(d: u32): u8 { return <u8>(d < 10 ? 48 + d : 87 + d); }

// ==== Powers C^(2^i) ====
// Computed per conversion (a few products, far cheaper than the conversion) and freed after it.

const MAXPOW = 40;
const powp: usize = memory.data(MAXPOW * 4);
const pown: usize = memory.data(MAXPOW * 4);
let npow = 0;

// @ts-ignore: decorator
@inline function pw(i: i32): usize { return load<usize>(powp + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function pwn(i: i32): i32 { return load<i32>(pown + (<usize>i << 2)); }

/** Builds C^(2^i) for i = 0, 1, ... while the last one has at most maxlimbs/2 limbs. */
function buildpowers(c: u32, maxlimbs: i32): void {
  npow = 1;
  const p0 = nat_alloc(1);
  setlimb(p0, 0, c);
  store<usize>(powp, p0);
  store<i32>(pown, 1);
  while (npow < MAXPOW && pwlen(npow - 1) * 2 <= maxlimbs && !nat_aborted) {
    const prev = pw(npow - 1), pn = pwn(npow - 1);
    const sq = nat_alloc(2 * pn);
    nat_mul(sq, prev, pn, prev, pn);
    store<usize>(powp + (<usize>npow << 2), sq);
    store<i32>(pown + (<usize>npow << 2), 2 * pn);    // the allocated size (for freeing); see pwlen
    npow++;
  }
}
function freepowers(): void {
  for (let i = 0; i < npow; i++) nat_free(pw(i), pwn(i));
  npow = 0;
}
/** Normalised length of power i (stored lengths are allocation sizes). */
// @ts-ignore: decorator
@inline function pwlen(i: i32): i32 { return nat_norm(pw(i), pwn(i)); }

// ==== Printing ====

/** Upper bound on the digits of an n-limb magnitude in `base` (no sign). */
export function conv_digitsbound(bits: i64, base: i32): i64 {
  return <i64>(<f64>bits / Math.log2(<f64>base)) + 2;
}

/** Writes exactly `width` digits of x (x < base^width), quadratic, x copied. */
function strbase(out: usize, width: i32, x: usize, xn: i32, base: i32, k: i32, c: u32): void {
  let pos = width;
  if (xn > 0) {
    if (!nat_charge(<i64>xn * <i64>xn)) return;
    const tn = xn;
    const t = nat_alloc(tn);
    nat_copy(t, x, xn);
    while (xn > 0) {
      let rem = nat_divmod1(t, t, xn, c);
      xn = nat_norm(t, xn);
      for (let d = 0; d < k && pos > 0; d++) {
        if (xn == 0 && rem == 0) break;              // leading zeros of the top chunk: padded below
        store<u8>(out + <usize>(--pos), digitchar(rem % <u32>base));
        rem /= <u32>base;
      }
    }
    nat_free(t, tn);
  }
  if (pos > 0) memory.fill(out, 48, <usize>pos);
}

/** Writes exactly `width` digits of x (x < base^width), dividing and conquering. */
function strrec(out: usize, width: i32, x: usize, xn: i32, base: i32, k: i32, c: u32): void {
  if (nat_aborted) return;
  xn = nat_norm(x, xn);
  if (xn <= CONV_THRESHOLD) { strbase(out, width, x, xn, base, k, c); return; }
  let i = npow - 1;
  while (i > 0 && 2 * pwlen(i) > xn + 1) i--;
  const pn = pwlen(i);
  const dw = k << i;                                 // digits of power i
  const qn = xn - pn + 1;
  const q = nat_alloc(qn), r = nat_alloc(pn);
  nat_divmod(q, r, x, xn, pw(i), pn);
  strrec(out, width - dw, q, qn, base, k, c);
  strrec(out + <usize>(width - dw), dw, r, pn, base, k, c);
  nat_free(r, pn);
  nat_free(q, qn);
}

/**
 * Writes the digits of the normalised magnitude a in `base` at out (which has room for
 * conv_digitsbound bytes) and returns their number ("0" for zero).
 */
export function nat_tostr(out: usize, a: usize, an: i32, base: i32): i32 {
  if (an == 0) { store<u8>(out, 48); return 1; }
  const bits = nat_bitlen(a, an);
  const lb = log2base(base);
  if (lb != 0) {                                     // bit repacking, most significant digit first
    const nd = <i32>((bits + <i64>lb - 1) / <i64>lb);
    for (let d = 0; d < nd; d++) {
      const bit = <i64>(nd - 1 - d) * <i64>lb;
      const w = <i32>(bit >> 5), s = <u32>(bit & 31);
      let v = limb(a, w) >>> s;
      if (s + <u32>lb > 32 && w + 1 < an) v |= limb(a, w + 1) << (32 - s);
      store<u8>(out + <usize>d, digitchar(v & <u32>(base - 1)));
    }
    return nd;
  }
  const k = chunkdigits(base), c = ipow(base, k);
  const width = <i32>conv_digitsbound(bits, base);
  if (an > CONV_THRESHOLD) buildpowers(c, an);
  strrec(out, width, a, an, base, k, c);
  freepowers();
  let lead = 0;
  while (lead < width - 1 && load<u8>(out + <usize>lead) == 48) lead++;
  if (lead > 0) memory.copy(out, out + <usize>lead, <usize>(width - lead));
  return width - lead;
}

// ==== Parsing ====

/** Upper bound on the limbs of a number of `ndigits` digits in `base`. */
export function conv_limbsbound(ndigits: i32, base: i32): i32 {
  return <i32>(<f64>ndigits * Math.log2(<f64>base) / 32.0) + 2;
}

/** Parses len digits at s into r (rcap limbs, zero-filled above the value); returns its length. */
function parsebase(r: usize, rcap: i32, s: usize, len: i32, base: i32, k: i32, c: u32): i32 {
  nat_zero(r, rcap);
  let n = 0;
  let pos = 0;
  let first = len % k;
  if (first == 0) first = k;
  if (!nat_charge(<i64>(len / k + 1) * <i64>(len / k + 1) / 2)) return 0;
  while (pos < len) {
    const end = pos == 0 ? first : pos + k;
    let v: u32 = 0;
    let mul: u32 = 1;
    for (; pos < end; pos++) { v = v * <u32>base + <u32>digitvalue(load<u8>(s + <usize>pos)); mul *= <u32>base; }
    const hi = nat_mul1(r, r, n, mul);
    if (hi != 0) { setlimb(r, n, hi); n++; }
    const cy = nat_addlimb(r, n, v);
    if (cy != 0) { setlimb(r, n, cy); n++; }
    if (n == 0 && v != 0) { setlimb(r, 0, v); n = 1; }
  }
  return nat_norm(r, n);
}

/** Parses len digits at s into r (rcap limbs) by divide and conquer; returns the length. */
function parserec(r: usize, rcap: i32, s: usize, len: i32, base: i32, k: i32, c: u32): i32 {
  if (nat_aborted) return 0;
  if (len <= k * CONV_THRESHOLD || npow == 0) return parsebase(r, rcap, s, len, base, k, c);
  let i = npow - 1;
  while (i > 0 && (k << i) >= len) i--;
  const dw = k << i;
  const pn = pwlen(i);
  const hcap = conv_limbsbound(len - dw, base), lcap = conv_limbsbound(dw, base);
  const hi = nat_alloc(hcap), lo = nat_alloc(lcap);
  const hn = parserec(hi, hcap, s, len - dw, base, k, c);
  const ln = parserec(lo, lcap, s + <usize>(len - dw), dw, base, k, c);
  nat_zero(r, rcap);
  if (hn > 0 && !nat_aborted) nat_mul(r, hi, hn, pw(i), pn);   // hn + pn <= rcap by the bounds
  nat_addto(r, rcap, lo, ln);
  nat_free(lo, lcap);
  nat_free(hi, hcap);
  return nat_norm(r, rcap);
}

/**
 * Parses the len digit characters at s (all valid in `base`) into r, which has room for
 * conv_limbsbound(len, base) limbs; returns the normalised length.
 */
export function nat_fromstr(r: usize, s: usize, len: i32, base: i32): i32 {
  const rcap = conv_limbsbound(len, base);
  const lb = log2base(base);
  if (lb != 0) {
    nat_zero(r, rcap);
    let bit: i64 = 0;
    for (let d = len - 1; d >= 0; d--) {
      const v = <u32>digitvalue(load<u8>(s + <usize>d));
      const w = <i32>(bit >> 5), sh = <u32>(bit & 31);
      setlimb(r, w, limb(r, w) | (v << sh));
      if (sh + <u32>lb > 32) setlimb(r, w + 1, limb(r, w + 1) | (v >>> (32 - sh)));
      bit += <i64>lb;
    }
    return nat_norm(r, rcap);
  }
  const k = chunkdigits(base), c = ipow(base, k);
  if (len > k * CONV_THRESHOLD) buildpowers(c, rcap);
  const n = parserec(r, rcap, s, len, base, k, c);
  freepowers();
  return n;
}

/** Scratch bytes a conversion of an n-limb magnitude may hold at once (a bound, for `fits`). */
export function convscratch(n: i32): i64 { return (<i64>n * 40 + 1024) * 4; }

