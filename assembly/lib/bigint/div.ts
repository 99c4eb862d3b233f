// div.ts - division of magnitudes with remainder: Knuth's algorithm D (TAOCP 4.3.1) for short
// divisors and Burnikel & Ziegler's recursive division ("Fast Recursive Division", 1998) past
// BZ_THRESHOLD limbs, which turns a division into Karatsuba products (mul.ts) and so runs in
// O(M(n) log n) instead of O(n²). Conversion to decimal (conv.ts) divides by large powers and relies
// on it.
//
// Burnikel-Ziegler in brief: div2n1n divides a 2n-limb number by an n-limb divisor (top bit set) by
// two div3n2n steps on halves; div3n2n estimates the quotient from the divisor's high half with one
// div2n1n, then corrects it (at most twice) using the low half's product. The top level scales the
// divisor to n = j·2^k limbs (top bit set) and divides block by block.
// Invariant: the divisor is normalised (top limb non-zero) and not longer than the dividend; outputs:
// q has an−bn+1 limbs, r has bn limbs; on a budget abort both are garbage (nat_aborted).

import {
  limb, setlimb, limbat, nat_alloc, nat_allocz, nat_free, nat_zero, nat_copy, nat_cmp, nat_norm, nat_bitlen,
  nat_addto, nat_subfrom, nat_sublimb, nat_add, nat_submul1, nat_divmod1, nat_shl, nat_shr, nat_charge, nat_aborted,
} from "./nat";
import { nat_mul } from "./mul";

/** Divisors of at least this many limbs use Burnikel-Ziegler. */
// @ts-ignore: decorator
@inline export const BZ_THRESHOLD: i32 = 60;
/** ... when the quotient has at least this many limbs too. */
// @ts-ignore: decorator
@inline const BZ_OFFSET: i32 = 40;

/** Knuth's algorithm D: q[0..an−bn+1) = a / b, r[0..bn) = a mod b (bn >= 2, b's top limb non-zero). */
function knuth(q: usize, r: usize, a: usize, an: i32, b: usize, bn: i32): void {
  if (!nat_charge(<i64>(an - bn + 1) * <i64>bn)) return;
  const s = <u32>clz<u32>(limb(b, bn - 1));
  const bs = nat_alloc(bn);
  nat_shl(bs, b, bn, s);
  const as = nat_alloc(an + 1);
  setlimb(as, an, nat_shl(as, a, an, s));
  const btop = <u64>limb(bs, bn - 1), bnext = <u64>limb(bs, bn - 2);
  for (let j = an - bn; j >= 0; j--) {
    const num = (<u64>limb(as, j + bn) << 32) | <u64>limb(as, j + bn - 1);
    let qhat = num / btop;
    let rhat = num - qhat * btop;
    while (qhat > 0xFFFFFFFF || qhat * bnext > ((rhat << 32) | <u64>limb(as, j + bn - 2))) {
      qhat--;
      rhat += btop;
      if (rhat > 0xFFFFFFFF) break;
    }
    const borrow = nat_submul1(limbat(as, j), bs, bn, <u32>qhat);
    const top = <i64>limb(as, j + bn) - <i64>borrow;
    if (top < 0) {                                    // qhat was one too large (rare): add back
      qhat--;
      const c = nat_add(limbat(as, j), limbat(as, j), bn, bs, bn);
      setlimb(as, j + bn, <u32>(top + <i64>c));
    } else setlimb(as, j + bn, <u32>top);
    setlimb(q, j, <u32>qhat);
  }
  nat_shr(r, as, bn, s);
  if (s != 0) setlimb(r, bn - 1, limb(r, bn - 1) | (limb(as, bn) << (32 - s)));
  nat_free(as, an + 1);
  nat_free(bs, bn);
}

// ==== Burnikel-Ziegler ====

/** q[0..n) = a / b, r[0..n) = a mod b for a of 2n limbs, b of n limbs with its top bit set, a < b·β^n. */
function div2n1n(q: usize, r: usize, a: usize, b: usize, n: i32): void {
  if (nat_aborted) return;
  if ((n & 1) != 0 || n < BZ_THRESHOLD) {
    const qq = nat_alloc(n + 1);
    knuth(qq, r, a, 2 * n, b, n);
    nat_copy(q, qq, n);                              // qq[n] is 0 by the precondition
    nat_free(qq, n + 1);
    return;
  }
  const half = n >> 1;
  const r1 = nat_alloc(n);
  div3n2n(limbat(q, half), r1, limbat(a, half), b, half);    // the top three quarters of a
  const t = nat_alloc(n + half);
  nat_copy(t, a, half);
  nat_copy(limbat(t, half), r1, n);
  div3n2n(q, r, t, b, half);
  nat_free(t, n + half);
  nat_free(r1, n);
}

/** q[0..m) = a / b, r[0..2m) = a mod b for a of 3m limbs, b of 2m limbs (top bit set), a < b·β^m. */
function div3n2n(q: usize, r: usize, a: usize, b: usize, m: i32): void {
  if (nat_aborted) return;
  const a1 = limbat(a, 2 * m), b1 = limbat(b, m);
  const rh = nat_alloc(2 * m + 1);                   // R1·β^m + A3, one spare limb for the carry
  setlimb(rh, 2 * m, 0);
  if (nat_cmp(a1, m, b1, m) < 0) {
    div2n1n(q, limbat(rh, m), limbat(a, m), b1, m);  // (A1A2) / B1: quotient estimate, R1
  } else {
    // A1 == B1 (A < B·β^m): the estimate is β^m − 1 and R1 = A1A2 − (β^m − 1)·B1 = A2 + B1
    for (let i = 0; i < m; i++) setlimb(q, i, 0xFFFFFFFF);
    setlimb(rh, 2 * m, nat_add(limbat(rh, m), limbat(a, m), m, b1, m));
  }
  nat_copy(rh, a, m);                                // A3
  const d = nat_alloc(2 * m);
  nat_mul(d, q, m, b, m);                            // D = Q̂·B2
  // R̂ = R1·β^m + A3 − D; while negative, Q̂ −= 1 and R̂ += B (at most twice)
  while (!nat_aborted && nat_cmp(rh, 2 * m + 1, d, 2 * m) < 0) {
    nat_addto(rh, 2 * m + 1, b, 2 * m);
    nat_sublimb(q, m, 1);
  }
  nat_subfrom(rh, 2 * m + 1, d, 2 * m);
  nat_copy(r, rh, 2 * m);
  nat_free(d, 2 * m);
  nat_free(rh, 2 * m + 1);
}

/** Shifts a[0..an) left by `bits` into r (r has an + bits/32 + 1 limbs, all written). */
function shlbits(r: usize, a: usize, an: i32, bits: i32): void {
  const w = bits >> 5;
  nat_zero(r, w);
  setlimb(r, an + w, nat_shl(limbat(r, w), a, an, <u32>(bits & 31)));
}

/** Burnikel-Ziegler for any a (an limbs) and b (bn limbs, normalised), an >= bn. */
function bz(q: usize, r: usize, a: usize, an: i32, b: usize, bn: i32): void {
  const mm = 1 << (32 - clz<i32>(bn / BZ_THRESHOLD));  // smallest power of two > bn/BZ_THRESHOLD
  const j = (bn + mm - 1) / mm;
  const n = j * mm;                                       // divisor limbs after scaling
  const sigma = <i32>((<i64>n << 5) - nat_bitlen(b, bn)); // bits to shift so that b's top bit is set
  const bs = nat_alloc(n + 1);
  shlbits(bs, b, bn, sigma);                              // exactly n limbs (bs[n] == 0)
  const asn = an + (sigma >> 5) + 1;
  const as0 = nat_alloc(asn);
  shlbits(as0, a, an, sigma);
  const abits = nat_bitlen(as0, nat_norm(as0, asn));
  let t = <i32>((abits + 1 + (<i64>n << 5) - 1) / (<i64>n << 5));
  if (t < 2) t = 2;
  // the dividend padded to t blocks of n limbs
  const ap = nat_allocz(t * n);
  nat_copy(ap, as0, asn < t * n ? asn : t * n);
  nat_free(as0, asn);
  const qn = (t - 1) * n;
  const qq = nat_alloc(qn);
  const z = nat_alloc(2 * n);
  const ri = nat_alloc(n);
  nat_copy(z, limbat(ap, (t - 2) * n), 2 * n);
  for (let i = t - 2; i >= 0 && !nat_aborted; i--) {
    div2n1n(limbat(qq, i * n), ri, z, bs, n);
    if (i > 0) {
      nat_copy(z, limbat(ap, (i - 1) * n), n);
      nat_copy(limbat(z, n), ri, n);
    }
  }
  // the quotient fits in an−bn+1 limbs; the remainder, shifted back, in bn
  const ql = an - bn + 1;
  nat_copy(q, qq, ql < qn ? ql : qn);
  if (ql > qn) nat_zero(limbat(q, qn), ql - qn);
  const w = sigma >> 5;
  const rs = nat_alloc(n);
  nat_shr(rs, limbat(ri, w), n - w, <u32>(sigma & 31));
  nat_copy(r, rs, bn);
  nat_free(rs, n);
  nat_free(ri, n);
  nat_free(z, 2 * n);
  nat_free(qq, qn);
  nat_free(ap, t * n);
  nat_free(bs, n + 1);
}

/**
 * q[0..an−bn+1) = a / b and r[0..bn) = a mod b (b normalised and non-zero, an >= bn). Either output
 * may be 0 (not wanted). Neither may alias a or b.
 */
export function nat_divmod(q: usize, r: usize, a: usize, an: i32, b: usize, bn: i32): void {
  const ql = an - bn + 1;
  const qq = q != 0 ? q : nat_alloc(ql);
  const rr = r != 0 ? r : nat_alloc(bn);
  if (bn == 1) setlimb(rr, 0, nat_divmod1(qq, a, an, limb(b, 0)));
  else if (bn >= BZ_THRESHOLD && ql >= BZ_OFFSET) bz(qq, rr, a, an, b, bn);
  else knuth(qq, rr, a, an, b, bn);
  if (q == 0) nat_free(qq, ql);
  if (r == 0) nat_free(rr, bn);
}

/** Scratch limbs nat_divmod may hold at once for a dividend of an limbs (a bound, for `fits`). */
export function divscratch(an: i32): i64 { return <i64>an * 24 + 256; }
