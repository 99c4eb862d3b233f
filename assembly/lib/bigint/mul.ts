// mul.ts - multiplication of magnitudes: the schoolbook product for short operands, Karatsuba's
// three half-size products past KARATSUBA_THRESHOLD limbs, and slicing of unbalanced operands into
// balanced pieces.
//
// Karatsuba, subtractive form: with a = a1·β^h + a0 and b = b1·β^h + b0,
//   a·b = z2·β^2h + (z0 + z2 − s·|a1−a0|·|b1−b0|)·β^h + z0,  z0 = a0·b0, z2 = a1·b1,
// where s is the sign of (a1−a0)(b1−b0); the middle term is never negative, so no signed arithmetic
// is needed and every intermediate fits in 2(n−h)+1 limbs.
// Invariant: the result never aliases an operand; outputs are exactly an+bn limbs (maybe with a
// leading zero limb); on a budget abort (nat_aborted) the output is garbage and must be dropped.

import {
  limb, setlimb, limbat, nat_alloc, nat_free, nat_zero, nat_cmp, nat_sub, nat_addto, nat_subfrom,
  nat_charge, nat_aborted, nat_copy,
} from "./nat";

/** Below this many limbs (the shorter operand) the schoolbook product is faster. */
// @ts-ignore: decorator
@inline export const KARATSUBA_THRESHOLD: i32 = 40;

/**
 * r[0..an+bn) = a·b, schoolbook (quadratic), two rows of b at a time: each limb of r is loaded and
 * stored once per pair of products, and the two carry chains stay in registers. Every step fits in
 * a u64: (2^32−1)² + 2·(2^32−1) = 2^64−1.
 */
export function mul_basecase(r: usize, a: usize, an: i32, b: usize, bn: i32): void {
  nat_zero(r, an + 1);
  let j = 0;
  for (; j + 1 < bn; j += 2) {
    const m0 = <u64>limb(b, j), m1 = <u64>limb(b, j + 1);
    const rj = limbat(r, j);
    let c0: u64 = 0, c1: u64 = 0;
    let prev: u64 = 0;                                   // a[i−1], multiplied by m1 one limb later
    for (let i = 0; i < an; i++) {
      const ai = <u64>load<u32>(a + (<usize>i << 2));
      const p = rj + (<usize>i << 2);
      c0 = ai * m0 + <u64>load<u32>(p) + (c0 >> 32);
      c1 = prev * m1 + (c0 & 0xFFFFFFFF) + (c1 >> 32);
      store<u32>(p, <u32>c1);
      prev = ai;
    }
    // limb an+j: the top of row j and a[an−1]·m1; limb an+j+1: what is left
    c1 = prev * m1 + (c0 >> 32) + (c1 >> 32);
    setlimb(r, an + j, <u32>c1);
    setlimb(r, an + j + 1, <u32>(c1 >> 32));
  }
  if (j < bn) {                                          // an odd last row
    const m = <u64>limb(b, j);
    const rj = limbat(r, j);
    let c: u64 = 0;
    for (let i = 0; i < an; i++) {
      const p = rj + (<usize>i << 2);
      c = <u64>load<u32>(a + (<usize>i << 2)) * m + <u64>load<u32>(p) + (c >> 32);
      store<u32>(p, <u32>c);
    }
    setlimb(r, an + j, <u32>(c >> 32));
  }
}

/** r[0..2n) = a·b for two n-limb operands (Karatsuba above the threshold). */
function karatsuba(r: usize, a: usize, b: usize, n: i32): void {
  if (n < KARATSUBA_THRESHOLD) {
    if (nat_charge(<i64>n * <i64>n)) mul_basecase(r, a, n, b, n);
    return;
  }
  const h = n >> 1, hi = n - h;
  const a1 = limbat(a, h), b1 = limbat(b, h);
  karatsuba(r, a, b, h);                            // z0 → r[0..2h)
  karatsuba(limbat(r, 2 * h), a1, b1, hi);          // z2 → r[2h..2n)
  if (nat_aborted) return;
  // da = |a1 − a0|, db = |b1 − b0| (hi limbs each; a0, b0 are h <= hi limbs)
  const tmp = nat_alloc(4 * hi + 1);
  const da = tmp, db = limbat(tmp, hi), m = limbat(tmp, 2 * hi);
  const sa = diff(da, a1, hi, a, h);
  const sb = diff(db, b1, hi, b, h);
  karatsuba(m, da, db, hi);                         // m = da·db, 2hi limbs
  if (!nat_aborted) {
    // t = z0 + z2 ∓ m, 2hi+1 limbs; reuse da/db's room (2hi limbs) plus one
    const t = nat_alloc(2 * hi + 1);
    nat_copy(t, limbat(r, 2 * h), 2 * hi);
    setlimb(t, 2 * hi, 0);
    nat_addto(t, 2 * hi + 1, r, 2 * h);
    if (sa == sb) nat_subfrom(t, 2 * hi + 1, m, 2 * hi);
    else nat_addto(t, 2 * hi + 1, m, 2 * hi);
    nat_addto(limbat(r, h), 2 * n - h, t, 2 * hi + 1);
    nat_free(t, 2 * hi + 1);
  }
  nat_free(tmp, 4 * hi + 1);
}

/** d[0..xn) = |x − y| (xn >= yn); returns 1 when x < y, else 0. */
function diff(d: usize, x: usize, xn: i32, y: usize, yn: i32): i32 {
  if (nat_cmp(x, xn, y, yn) >= 0) { nat_sub(d, x, xn, y, yn); return 0; }
  // y − x: y is shorter, so subtract limb by limb with y zero-extended
  let br: i64 = 0;
  for (let i = 0; i < xn; i++) {
    br += (i < yn ? <i64>limb(y, i) : 0) - <i64>limb(x, i);
    setlimb(d, i, <u32>br);
    br >>= 32;
  }
  return 1;
}

/**
 * r[0..an+bn) = a·b for any lengths (r must not alias a or b). Unbalanced operands are cut into
 * pieces of the shorter one's length, each multiplied with Karatsuba and added in place.
 */
export function nat_mul(r: usize, a: usize, an: i32, b: usize, bn: i32): void {
  if (an < bn) { const t = a; a = b; b = t; const tn = an; an = bn; bn = tn; }
  if (bn == 0) { nat_zero(r, an); return; }
  if (bn < KARATSUBA_THRESHOLD) {
    if (nat_charge(<i64>an * <i64>bn)) mul_basecase(r, a, an, b, bn);
    return;
  }
  if (an == bn) { karatsuba(r, a, b, an); return; }
  nat_zero(r, an + bn);
  const tmp = nat_alloc(2 * bn);
  for (let off = 0; off < an && !nat_aborted; off += bn) {
    const cn = an - off < bn ? an - off : bn;
    if (cn == bn) karatsuba(tmp, limbat(a, off), b, bn);
    else nat_mul(tmp, b, bn, limbat(a, off), cn);
    nat_addto(limbat(r, off), an + bn - off, tmp, cn + bn);
  }
  nat_free(tmp, 2 * bn);
}
