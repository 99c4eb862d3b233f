// nat.ts - magnitudes (natural numbers) as arrays of 32-bit limbs, least significant first: the
// linear-time primitives (compare, add, subtract, multiply/divide by one limb, shifts) the other
// bigint files build on, scratch memory and the work budget of long operations.
//
// A magnitude is a pointer to u32 limbs and a length n; it is *normalised* when n == 0 (zero) or its
// top limb is non-zero. Functions that take lengths accept unnormalised inputs unless they say so.
// Products of two limbs are computed in u64 (wasm has no 64x64→128 multiply, hence 32-bit limbs).
//
// Scratch memory comes from the counted allocator (mem/alloc.ts luaM_alloc), so every byte is in
// collectgarbage("count"); the Lua library checks `fits` for an operation's whole need before it
// starts, so these allocations never pass the limit. Work is charged to the instruction budget
// (vm/budget.ts) through nat_charge: when a budget runs out, `nat_aborted` is set, the running
// algorithm unwinds early (leaving garbage in its outputs) and the library raises the error.
// Invariant: no function here raises a Lua error or allocates a Lua object.

import { luaM_alloc, luaM_free } from "../../mem/alloc";
import { trapflag, budget_charge } from "../../vm/budget";
import { OK } from "../../vm/state";

// ==== Scratch memory and budget ====

/** Allocates n limbs of scratch (uninitialised); n may be 0. Free with nat_free(p, n). */
export function nat_alloc(n: i32): usize { return luaM_alloc(nbytes(n)); }
/** The bytes of n limbs of scratch (one limb at least: a block is never empty). */
function nbytes(n: i32): usize { return n > 0 ? <usize>n << 2 : 4; }
/** Allocates n zeroed limbs. */
export function nat_allocz(n: i32): usize {
  const p = nat_alloc(n);
  memory.fill(p, 0, nbytes(n));
  return p;
}
export function nat_free(p: usize, n: i32): void { luaM_free(p, nbytes(n)); }

/** Set when a budget ran out during an operation; the library resets it before each one. */
export let nat_aborted: bool = false;
export function nat_resetabort(): void { nat_aborted = false; }

/**
 * Charges `limbops` units of limb work (a limb product or a limb of a linear pass) to the budgets:
 * one budget unit per 64 limb operations, about the time of one VM instruction. Returns false (and
 * sets nat_aborted) when a budget ran out.
 */
export function nat_charge(limbops: i64): bool {
  if (nat_aborted) return false;
  if (!trapflag) return true;
  const units = limbops >> 6;
  if (units <= 0) return true;
  if (budget_charge(units > 0x40000000 ? 0x40000000 : <i32>units) != OK) { nat_aborted = true; return false; }
  return true;
}

// ==== Access ====

// @ts-ignore: decorator
@inline export function limb(p: usize, i: i32): u32 { return load<u32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function setlimb(p: usize, i: i32, v: u32): void { store<u32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline export function limbat(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/** The normalised length of the n limbs at p (leading zero limbs dropped). */
export function nat_norm(p: usize, n: i32): i32 {
  while (n > 0 && limb(p, n - 1) == 0) n--;
  return n;
}

export function nat_copy(dst: usize, src: usize, n: i32): void {
  if (n > 0) memory.copy(dst, src, <usize>n << 2);
}
export function nat_zero(dst: usize, n: i32): void {
  if (n > 0) memory.fill(dst, 0, <usize>n << 2);
}

/** Number of significant bits of a normalised magnitude. */
export function nat_bitlen(p: usize, n: i32): i64 {
  if (n == 0) return 0;
  return (<i64>n << 5) - <i64>clz<u32>(limb(p, n - 1));
}

/** Compares a and b (any lengths, leading zeros allowed): -1, 0 or 1. */
export function nat_cmp(a: usize, an: i32, b: usize, bn: i32): i32 {
  an = nat_norm(a, an);
  bn = nat_norm(b, bn);
  if (an != bn) return an < bn ? -1 : 1;
  for (let i = an - 1; i >= 0; i--) {
    const x = limb(a, i), y = limb(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

// ==== Addition and subtraction ====

/** r[0..an) = a + b (an >= bn); returns the carry out. r may alias a or b. */
export function nat_add(r: usize, a: usize, an: i32, b: usize, bn: i32): u32 {
  let c: u64 = 0;
  let i = 0;
  for (; i < bn; i++) {
    c += <u64>limb(a, i) + <u64>limb(b, i);
    setlimb(r, i, <u32>c);
    c >>= 32;
  }
  for (; i < an; i++) {
    c += <u64>limb(a, i);
    setlimb(r, i, <u32>c);
    c >>= 32;
  }
  return <u32>c;
}

/** r[0..an) = a - b (an >= bn); returns the borrow out (1 when a < b). r may alias a or b. */
export function nat_sub(r: usize, a: usize, an: i32, b: usize, bn: i32): u32 {
  let br: i64 = 0;
  let i = 0;
  for (; i < bn; i++) {
    br += <i64>limb(a, i) - <i64>limb(b, i);
    setlimb(r, i, <u32>br);
    br >>= 32;                      // 0 or -1
  }
  for (; i < an; i++) {
    br += <i64>limb(a, i);
    setlimb(r, i, <u32>br);
    br >>= 32;
  }
  return <u32>(-br);
}

/** r[0..rn) += b[0..bn) (rn >= bn); returns the carry out of r's top limb. */
export function nat_addto(r: usize, rn: i32, b: usize, bn: i32): u32 {
  let c: u64 = 0;
  let i = 0;
  for (; i < bn; i++) {
    c += <u64>limb(r, i) + <u64>limb(b, i);
    setlimb(r, i, <u32>c);
    c >>= 32;
  }
  for (; c != 0 && i < rn; i++) {
    c += <u64>limb(r, i);
    setlimb(r, i, <u32>c);
    c >>= 32;
  }
  return <u32>c;
}

/** r[0..rn) -= b[0..bn) (rn >= bn); returns the borrow out of r's top limb. */
export function nat_subfrom(r: usize, rn: i32, b: usize, bn: i32): u32 {
  let br: i64 = 0;
  let i = 0;
  for (; i < bn; i++) {
    br += <i64>limb(r, i) - <i64>limb(b, i);
    setlimb(r, i, <u32>br);
    br >>= 32;
  }
  for (; br != 0 && i < rn; i++) {
    br += <i64>limb(r, i);
    setlimb(r, i, <u32>br);
    br >>= 32;
  }
  return <u32>(-br);
}

/** r[0..rn) += x (one limb); returns the carry out. */
export function nat_addlimb(r: usize, rn: i32, x: u32): u32 {
  let c = <u64>x;
  for (let i = 0; c != 0 && i < rn; i++) {
    c += <u64>limb(r, i);
    setlimb(r, i, <u32>c);
    c >>= 32;
  }
  return <u32>c;
}

/** r[0..rn) -= x (one limb); returns the borrow out. */
export function nat_sublimb(r: usize, rn: i32, x: u32): u32 {
  let br = -<i64>x;
  for (let i = 0; br != 0 && i < rn; i++) {
    br += <i64>limb(r, i);
    setlimb(r, i, <u32>br);
    br >>= 32;
  }
  return <u32>(-br);
}

// ==== One-limb multiplication and division ====

/** r[0..an) = a * m; returns the high limb. r may alias a. */
export function nat_mul1(r: usize, a: usize, an: i32, m: u32): u32 {
  let c: u64 = 0;
  const mm = <u64>m;
  for (let i = 0; i < an; i++) {
    c += <u64>limb(a, i) * mm;
    setlimb(r, i, <u32>c);
    c >>= 32;
  }
  return <u32>c;
}

/** r[0..an) += a * m; returns the carry limb. */
export function nat_addmul1(r: usize, a: usize, an: i32, m: u32): u32 {
  let c: u64 = 0;
  const mm = <u64>m;
  for (let i = 0; i < an; i++) {
    const ri = r + (<usize>i << 2);
    c += <u64>load<u32>(a + (<usize>i << 2)) * mm + <u64>load<u32>(ri);
    store<u32>(ri, <u32>c);
    c >>= 32;
  }
  return <u32>c;
}

/** r[0..an) -= a * m; returns the borrow limb (what must still be subtracted above r[an-1]). */
export function nat_submul1(r: usize, a: usize, an: i32, m: u32): u32 {
  let c: u64 = 0;                      // product carry
  let br: u32 = 0;                     // borrow
  const mm = <u64>m;
  for (let i = 0; i < an; i++) {
    c += <u64>limb(a, i) * mm;
    const lo = <u32>c;
    c >>= 32;
    const ri = limb(r, i);
    const d = <u64>ri - <u64>lo - <u64>br;
    setlimb(r, i, <u32>d);
    br = (d >> 63) != 0 ? 1 : 0;
  }
  return <u32>(c + <u64>br);
}

/** q[0..an) = a / d (d > 0); returns the remainder. q may alias a. */
export function nat_divmod1(q: usize, a: usize, an: i32, d: u32): u32 {
  let r: u64 = 0;
  const dd = <u64>d;
  for (let i = an - 1; i >= 0; i--) {
    const x = (r << 32) | <u64>limb(a, i);
    const qq = x / dd;
    r = x - qq * dd;
    setlimb(q, i, <u32>qq);
  }
  return <u32>r;
}

/** a mod d without a quotient (d > 0). */
export function nat_mod1(a: usize, an: i32, d: u32): u32 {
  let r: u64 = 0;
  const dd = <u64>d;
  for (let i = an - 1; i >= 0; i--) r = ((r << 32) | <u64>limb(a, i)) % dd;
  return <u32>r;
}

// ==== Shifts by less than a limb ====

/** r[0..an) = a << s (0 <= s < 32); returns the bits shifted out of the top. r may alias a. */
export function nat_shl(r: usize, a: usize, an: i32, s: u32): u32 {
  if (s == 0) { if (r != a) nat_copy(r, a, an); return 0; }
  let out: u32 = 0;
  for (let i = an - 1; i >= 0; i--) {
    const x = limb(a, i);
    if (i == an - 1) out = x >>> (32 - s);
    const lower = i > 0 ? limb(a, i - 1) >>> (32 - s) : 0;
    setlimb(r, i, (x << s) | lower);
  }
  return out;
}

/** r[0..an) = a >> s (0 <= s < 32); returns the bits shifted out of the bottom (in the top of a u32). */
export function nat_shr(r: usize, a: usize, an: i32, s: u32): u32 {
  if (s == 0) { if (r != a) nat_copy(r, a, an); return 0; }
  const out = an > 0 ? limb(a, 0) << (32 - s) : 0;
  for (let i = 0; i < an; i++) {
    const upper = i + 1 < an ? limb(a, i + 1) << (32 - s) : 0;
    setlimb(r, i, (limb(a, i) >>> s) | upper);
  }
  return out;
}
