// big.ts - signed arbitrary-precision integers as Lua values: the userdata layout, recognising and
// creating bigints, and the signed operations on top of the magnitude files (nat, mul, div, conv):
// add/sub/mul, floor division and modulo, powers, two's-complement bitwise operations and shifts,
// comparisons, exact float conversions, gcd and integer square root.
//
// ╒══════ bigint userdata bytes (no user values, no host id) ══════╕
// │ sign: i32   −1, 0 or 1 (0 exactly when n == 0)                  │ 0
// │ n: i32      number of limbs                                     │ 4
// │ limbs: u32[n]  magnitude, least significant first, top ≠ 0      │ 8
// └─────────────────────────────────────────────────────────────────┘
// The limbs live in the userdata's own block, so the collector frees them with it and every byte is
// counted. A bigint is immutable: operations build their result in scratch and copy it into a new
// userdata (big_push). `isbig` checks the metatable and the whole layout, so a userdata given the
// bigint metatable by debug.setmetatable (or by a crafted snapshot) is never misread.
//
// Operands: the library converts each argument (a bigint, a Lua integer, an integral float) to an
// Opnd: a sign and a magnitude that points into the userdata or into the operand's own static room.
// Results: an operation leaves its result in rsign / rp / rn (scratch limbs from nat_alloc, owned
// until res_push copies them into a new userdata, or res_free drops them).
// Invariant: nothing here raises a Lua error; callers check `fits` (big*need) and nat_aborted.

import {
  limb, setlimb, limbat, nat_alloc, nat_allocz, nat_free, nat_copy, nat_zero, nat_norm, nat_cmp, nat_bitlen,
  nat_add, nat_sub, nat_addlimb, nat_sublimb, nat_shl, nat_shr, nat_aborted, nat_charge,
} from "./nat";
import { nat_mul } from "./mul";
import { nat_divmod } from "./div";
import { ttisfulluserdata, uvalue, setuvalue } from "../../object/value";
import {
  luaS_newudata, udata_metatable, udata_setmetatable, udata_nuvalue, udata_hostid, udata_len, getudatamem,
} from "../../object/userdata";
import { L_top } from "../../vm/state";
import { incr_top } from "../../vm/api";

// ==== Layout ====

/** The metatable every bigint shares (registry "_BIGINT"), set when the state opens its libraries. */
let bigmt: usize = 0;
export function big_setmt(mt: usize): void { bigmt = mt; }
export function big_mt(): usize { return bigmt; }

// @ts-ignore: decorator
@inline export function big_sign(u: usize): i32 { return load<i32>(getudatamem(u)); }
// @ts-ignore: decorator
@inline export function big_n(u: usize): i32 { return load<i32>(getudatamem(u), 4); }
// @ts-ignore: decorator
@inline export function big_limbs(u: usize): usize { return getudatamem(u) + 8; }

/** Whether the raw bytes at p (len of them) are a well-formed bigint. */
export function big_validbytes(p: usize, len: u32): bool {
  if (len < 8 || ((len - 8) & 3) != 0) return false;
  const s = load<i32>(p), n = load<i32>(p, 4);
  if (n < 0 || <u32>n != (len - 8) >> 2) return false;
  if (n == 0) return s == 0;
  return (s == 1 || s == -1) && load<u32>(p + 8 + (<usize>(n - 1) << 2)) != 0;
}

/** Whether the userdata u has the bigint metatable and layout. */
export function big_isudata(u: usize): bool {
  return bigmt != 0 && udata_metatable(u) == bigmt && udata_nuvalue(u) == 0 && udata_hostid(u) == 0 &&
    big_validbytes(getudatamem(u), udata_len(u));
}

/** Whether the value at o is a bigint. */
export function isbig(o: usize): bool { return ttisfulluserdata(o) && big_isudata(uvalue(o)); }

/** Bytes of a bigint userdata of n limbs (for `fits`). */
export function big_bytes(n: i32): u64 { return 24 + 8 + (<u64>n << 2) + 32; }

/** Creates a bigint (sign, n limbs at p, normalised here), pushes it, returns the userdata. */
export function big_push(L: usize, sign: i32, p: usize, n: i32): usize {
  n = nat_norm(p, n);
  if (n == 0) sign = 0;
  const u = luaS_newudata(8 + (<u32>n << 2), 0);
  udata_setmetatable(u, bigmt);
  const m = getudatamem(u);
  store<i32>(m, sign);
  store<i32>(m, n, 4);
  nat_copy(m + 8, p, n);
  setuvalue(L_top(L), u);
  incr_top(L);
  return u;
}

// ==== Operands ====

// @ts-ignore: decorator
@unmanaged export class Opnd {
  sign: i32;
  n: i32;
  p: usize;
  /** Room for a small magnitude: an integer (2 limbs) or an integral float (up to 33 limbs). */
  room: usize;
}

/**
 * An operand over static memory: `mem` holds the Opnd itself (16 bytes), `room` 36 limbs. Give each
 * operand its own memory.data call sites (memory.data is one static block per call site).
 */
export function opnd_at(mem: usize, room: usize): Opnd {
  const o = changetype<Opnd>(mem);
  o.room = room;
  o.sign = 0; o.n = 0; o.p = room;
  return o;
}

/** o = the bigint userdata u (the magnitude is u's own limbs: valid while u is anchored). */
export function opnd_big(o: Opnd, u: usize): void {
  o.sign = big_sign(u); o.n = big_n(u); o.p = big_limbs(u);
}

/** o = the integer v. */
export function opnd_int(o: Opnd, v: i64): void {
  const m: u64 = v < 0 ? <u64>0 - <u64>v : <u64>v;     // |MIN| is 2^63, fine as u64
  store<u32>(o.room, <u32>m);
  store<u32>(o.room, <u32>(m >> 32), 4);
  o.p = o.room;
  o.n = nat_norm(o.room, 2);
  o.sign = v < 0 ? -1 : (v > 0 ? 1 : 0);
}

/** o = the integral float f (finite, f == floor(f)): exact. */
export function opnd_flt(o: Opnd, f: f64): void {
  const bits = reinterpret<u64>(f);
  const e = <i32>((bits >> 52) & 0x7FF);
  let mant = bits & 0xFFFFFFFFFFFFF;
  o.sign = f < 0 ? -1 : (f > 0 ? 1 : 0);
  o.p = o.room;
  if (o.sign == 0) { o.n = 0; return; }
  if (e != 0) mant |= <u64>1 << 52;
  let sh = (e == 0 ? 1 : e) - 1075;                  // f = mant · 2^sh
  if (sh < 0) { mant >>= <u64>(-sh); sh = 0; }       // integral, so only zero bits drop
  const w = sh >> 5, s = sh & 31;
  nat_zero(o.room, w + 3);
  store<u32>(o.room + (<usize>w << 2), <u32>mant);
  store<u32>(o.room + (<usize>w << 2), <u32>(mant >> 32), 4);
  nat_shl(limbat(o.room, w), limbat(o.room, w), 3, <u32>s);
  o.n = nat_norm(o.room, w + 3);
}

// ==== Results ====

/** The result of an operation: sign and n limbs in scratch p (cap limbs allocated). */
export let rsign: i32 = 0;
export let rp: usize = 0;
export let rn: i32 = 0;
let rcap: i32 = 0;

function res_alloc(cap: i32): usize { rcap = cap; rp = nat_allocz(cap); rn = cap; return rp; }
/** Frees the result scratch. */
export function res_free(): void { if (rp != 0) nat_free(rp, rcap); rp = 0; rcap = 0; rn = 0; }
/** Pushes the result as a bigint and frees its scratch. */
export function res_push(L: usize): usize {
  const u = big_push(L, rsign, rp, rn);
  res_free();
  return u;
}

// ==== Addition, subtraction, multiplication ====

/** Magnitude |a| + |b| or | |a| − |b| | with the sign of the larger: r = sa·a + sb·b. */
function addsigned(a: Opnd, sb: i32, b: Opnd): void {
  const an = a.n, bn = b.n;
  if (a.sign == 0) { res_alloc(bn); nat_copy(rp, b.p, bn); rsign = sb; return; }
  if (sb == 0) { res_alloc(an); nat_copy(rp, a.p, an); rsign = a.sign; return; }
  if (a.sign == sb) {
    const big = an >= bn ? a : b, sml = an >= bn ? b : a;
    res_alloc(big.n + 1);
    setlimb(rp, big.n, nat_add(rp, big.p, big.n, sml.p, sml.n));
    rsign = a.sign;
    return;
  }
  const c = nat_cmp(a.p, an, b.p, bn);
  if (c == 0) { res_alloc(0); rsign = 0; return; }
  if (c > 0) { res_alloc(an); nat_sub(rp, a.p, an, b.p, bn); rsign = a.sign; }
  else { res_alloc(bn); nat_sub(rp, b.p, bn, a.p, an); rsign = sb; }
}

export function big_add(a: Opnd, b: Opnd): void { addsigned(a, b.sign, b); }
export function big_sub(a: Opnd, b: Opnd): void { addsigned(a, -b.sign, b); }

export function big_mul(a: Opnd, b: Opnd): void {
  res_alloc(a.n + b.n);
  if (a.n != 0 && b.n != 0) nat_mul(rp, a.p, a.n, b.p, b.n);
  rsign = a.sign * b.sign;
}

/** Scratch bytes a product of an·bn limbs may hold (Karatsuba's temporaries included). */
export function mulneed(an: i32, bn: i32): u64 { return (<u64>(an + bn) * 20 + 256) << 2; }

// ==== Division (floor, as Lua's // and %) ====

/** The quotient (wantq) or the remainder of a / b with Lua's floor semantics (b ≠ 0). */
export function big_divmod(a: Opnd, b: Opnd, wantq: bool): void {
  if (a.n < b.n) {                                   // |a| < |b|: q = 0 or −1, r = a or a + b
    const neg = a.sign != 0 && a.sign != b.sign;
    if (wantq) { res_alloc(1); setlimb(rp, 0, neg ? 1 : 0); rsign = neg ? -1 : 0; return; }
    if (neg) { addsigned(a, b.sign, b); return; }
    res_alloc(a.n); nat_copy(rp, a.p, a.n); rsign = a.sign;
    return;
  }
  const qn = a.n - b.n + 1;
  const q = nat_alloc(qn + 1), r = nat_alloc(b.n);
  nat_divmod(q, r, a.p, a.n, b.p, b.n);
  const rz = nat_norm(r, b.n) == 0;
  const neg = a.sign != b.sign;
  if (wantq) {
    setlimb(q, qn, 0);
    if (neg && !rz) nat_addlimb(q, qn + 1, 1);       // floor: one more towards −∞
    rcap = qn + 1; rp = q; rn = qn + 1; rsign = neg ? -1 : 1;
    nat_free(r, b.n);
  } else {
    if (neg && !rz) nat_sub(r, b.p, b.n, r, b.n);    // r = |b| − r, with b's sign
    rcap = b.n; rp = r; rn = b.n; rsign = b.sign;
    nat_free(q, qn + 1);
  }
}

/** Scratch bytes a division of an by bn limbs may hold. */
export function divneed(an: i32, bn: i32): u64 { return (<u64>an * 30 + <u64>bn * 4 + 512) << 2; }

// ==== Powers ====

/** Limbs a^e may need (bitlen(a)·e bits), or -1 when that passes 2^31 limbs. */
export function powlimbs(a: Opnd, e: u64): i64 {
  const bits = nat_bitlen(a.p, a.n);
  if (bits == 0 || e == 0) return 1;
  if (e > 0x7FFFFFFFFFF / <u64>bits) return -1;
  const total = <u64>bits * e;
  if (total > 0xFFFFFFFE0) return -1;
  return <i64>(total >> 5) + 2;
}

/** a^e by left-to-right binary powering (e >= 0; a^0 == 1, 0^0 == 1). */
export function big_pow(a: Opnd, e: u64): void {
  if (e == 0) { res_alloc(1); setlimb(rp, 0, 1); rsign = 1; return; }
  if (a.n == 0) { res_alloc(0); rsign = 0; return; }
  const cap = <i32>powlimbs(a, e);
  let x = nat_allocz(cap), y = nat_allocz(cap);
  nat_copy(x, a.p, a.n);
  let xn = a.n;
  for (let bit = 62 - <i32>clz<u64>(e); bit >= 0 && !nat_aborted; bit--) {
    nat_mul(y, x, xn, x, xn);                        // square
    let yn = nat_norm(y, 2 * xn);
    if (((e >> <u64>bit) & 1) != 0) {
      nat_mul(x, y, yn, a.p, a.n);                   // multiply
      xn = nat_norm(x, yn + a.n);
    } else { const t = x; x = y; y = t; xn = yn; }
  }
  nat_free(y, cap);
  rp = x; rcap = cap; rn = xn;
  rsign = a.sign < 0 && (e & 1) != 0 ? -1 : 1;
}

/** (a^e) mod m with Lua's floor sign convention (result has m's sign); e >= 0, m ≠ 0. */
export function big_powmod(a: Opnd, e: Opnd, m: Opnd): void {
  const mn = m.n;
  // base = a mod |m| in [0, |m|)
  const base = nat_allocz(mn);
  reduce(base, a.p, a.n, m.p, mn);
  if (a.sign < 0 && nat_norm(base, mn) != 0) nat_sub(base, m.p, mn, base, mn);
  const x = nat_allocz(mn), prod = nat_alloc(2 * mn);
  setlimb(x, 0, 1);
  if (mn == 1 && limb(m.p, 0) == 1) nat_zero(x, 1);   // anything mod 1 is 0
  const ebits = nat_bitlen(e.p, e.n);
  for (let bit = ebits - 1; bit >= 0 && !nat_aborted; bit--) {
    nat_mul(prod, x, mn, x, mn);
    reduce(x, prod, 2 * mn, m.p, mn);
    if (((limb(e.p, <i32>(bit >> 5)) >>> <u32>(bit & 31)) & 1) != 0) {
      nat_mul(prod, x, mn, base, mn);
      reduce(x, prod, 2 * mn, m.p, mn);
    }
  }
  nat_free(prod, 2 * mn);
  nat_free(base, mn);
  rp = x; rcap = mn; rn = mn; rsign = 1;
  if (m.sign < 0 && nat_norm(x, mn) != 0) { nat_sub(x, m.p, mn, x, mn); rsign = -1; }
}

/** r[0..mn) = a mod m (m normalised, mn limbs). */
function reduce(r: usize, a: usize, an: i32, m: usize, mn: i32): void {
  an = nat_norm(a, an);
  if (an < mn) { nat_zero(r, mn); nat_copy(r, a, an); return; }
  nat_divmod(0, r, a, an, m, mn);
}

// ==== Bitwise operations (two's complement of unbounded width) ====

/** Writes the two's complement of o in w limbs at t (w > o.n). */
function twos(t: usize, o: Opnd, w: i32): void {
  nat_zero(t, w);
  nat_copy(t, o.p, o.n);
  if (o.sign < 0) {                                  // −x = ~(x − 1)
    nat_sublimb(t, w, 1);
    for (let i = 0; i < w; i++) setlimb(t, i, ~limb(t, i));
  }
}

/** a op b for op 0 and, 1 or, 2 xor. */
export function big_bitop(a: Opnd, b: Opnd, op: i32): void {
  const w = (a.n > b.n ? a.n : b.n) + 1;
  const ta = nat_alloc(w);
  res_alloc(w);
  twos(ta, a, w);
  twos(rp, b, w);
  for (let i = 0; i < w; i++) {
    const x = limb(ta, i), y = limb(rp, i);
    setlimb(rp, i, op == 0 ? x & y : op == 1 ? x | y : x ^ y);
  }
  nat_free(ta, w);
  fromtwos(w);
}

/** Turns the w-limb two's complement in rp into sign and magnitude. */
function fromtwos(w: i32): void {
  if ((limb(rp, w - 1) & 0x80000000) != 0) {
    for (let i = 0; i < w; i++) setlimb(rp, i, ~limb(rp, i));
    nat_addlimb(rp, w, 1);
    rsign = -1;
  } else rsign = 1;
}

/** ~a == −(a + 1): |a| + 1 negated for a >= 0, |a| − 1 for a < 0. */
export function big_bnot(a: Opnd): void {
  res_alloc(a.n + 1);
  nat_copy(rp, a.p, a.n);
  if (a.sign >= 0) { nat_addlimb(rp, a.n + 1, 1); rsign = -1; }
  else { nat_sublimb(rp, a.n, 1); rsign = 1; }
}

/** Limbs a << s needs (s > 0). */
export function shllimbs(a: Opnd, s: u64): i64 { return <i64>a.n + <i64>(s >> 5) + 1; }

/** a << s (s >= 0: a·2^s). */
export function big_shl(a: Opnd, s: u64): void {
  const w = <i32>(s >> 5), b = <u32>(s & 31);
  res_alloc(a.n + w + 1);
  setlimb(rp, a.n + w, nat_shl(limbat(rp, w), a.p, a.n, b));
  rsign = a.sign;
}

/** a >> s, arithmetic (floor(a / 2^s)), s >= 0. */
export function big_shr(a: Opnd, s: u64): void {
  if (s >= (<u64>a.n << 5)) {                        // every bit shifted out
    res_alloc(1);
    if (a.sign < 0) { setlimb(rp, 0, 1); rsign = -1; } else rsign = 0;
    return;
  }
  const w = <i32>(s >> 5), b = <u32>(s & 31);
  const n = a.n - w;
  res_alloc(n + 1);
  // bits shifted out: any non-zero makes a negative result one more towards −∞
  let lost = nat_shr(rp, limbat(a.p, w), n, b) != 0;
  for (let i = 0; i < w && !lost; i++) if (limb(a.p, i) != 0) lost = true;
  rsign = a.sign;
  if (a.sign < 0 && lost) nat_addlimb(rp, n + 1, 1);
}

// ==== Comparison and floats ====

/** Compares a and b: -1, 0 or 1. */
export function big_cmp(a: Opnd, b: Opnd): i32 {
  if (a.sign != b.sign) return a.sign < b.sign ? -1 : 1;
  const c = nat_cmp(a.p, a.n, b.p, b.n);
  return a.sign < 0 ? -c : c;
}

/** Compares a with the float f (not NaN): -1, 0 or 1, exactly. */
export function big_cmpflt(a: Opnd, f: f64, tmp: Opnd): i32 {
  if (f == Infinity) return -1;
  if (f == -Infinity) return 1;
  const fl = Math.floor(f);
  opnd_flt(tmp, fl);
  const c = big_cmp(a, tmp);
  if (c == 0 && fl != f) return -1;                  // a == floor(f) < f
  return c;
}

/** The float nearest to a (ties to even), ±inf beyond the float range. */
export function big_tonumber(a: Opnd): f64 {
  const bits = nat_bitlen(a.p, a.n);
  if (bits == 0) return 0;
  let v: f64;
  if (bits <= 64) {
    const m = <u64>limb(a.p, 0) | (a.n > 1 ? <u64>limb(a.p, 1) << 32 : 0);
    v = <f64>m;                                      // f64.convert_i64_u rounds to nearest even
  } else if (bits > 1100) v = Infinity;
  else {
    // the top 64 bits, with a sticky bit for everything below (correct rounding in one conversion)
    const sh = bits - 64;
    const w = <i32>(sh >> 5), s = <u32>(sh & 31);
    let m = <u64>limb(a.p, w) >> s;
    m |= <u64>limb(a.p, w + 1) << (32 - s);
    if (w + 2 < a.n) m |= s == 0 ? 0 : <u64>limb(a.p, w + 2) << (64 - s);
    let sticky = s != 0 && (limb(a.p, w) << (32 - s)) != 0;
    for (let i = 0; i < w && !sticky; i++) if (limb(a.p, i) != 0) sticky = true;
    if (sticky) m |= 1;
    v = <f64>m;
    const e = <i32>sh;                               // v · 2^e, e <= 1036: split to avoid inf early
    v *= reinterpret<f64>(<u64>(1023 + (e >> 1)) << 52);
    v *= reinterpret<f64>(<u64>(1023 + e - (e >> 1)) << 52);
  }
  return a.sign < 0 ? -v : v;
}

/** a as an i64 when it fits (`big_fits` set), else 0. */
export let big_fits: bool = false;
export function big_toint(a: Opnd): i64 {
  big_fits = false;
  if (a.n > 2) return 0;
  const m = a.n == 0 ? <u64>0 : <u64>limb(a.p, 0) | (a.n > 1 ? <u64>limb(a.p, 1) << 32 : 0);
  if (a.sign >= 0) { if (m > <u64>i64.MAX_VALUE) return 0; big_fits = true; return <i64>m; }
  if (m > <u64>0x8000000000000000) return 0;
  big_fits = true;
  return <i64>(<u64>0 - m);
}

// ==== gcd and square root ====

/** gcd(|a|, |b|) by Euclid's algorithm (each step a division, so O(n²) overall). */
export function big_gcd(a: Opnd, b: Opnd): void {
  let xn = a.n, yn = b.n;
  const cap = (xn > yn ? xn : yn) + 1;
  let x = nat_allocz(cap), y = nat_allocz(cap), t = nat_alloc(cap);
  nat_copy(x, a.p, xn); nat_copy(y, b.p, yn);
  if (nat_cmp(x, xn, y, yn) < 0) { const s = x; x = y; y = s; const sn = xn; xn = yn; yn = sn; }
  while (yn > 0 && !nat_aborted) {                   // (x, y) = (y, x mod y)
    nat_zero(t, cap);
    if (yn == 1) setlimb(t, 0, mod1(x, xn, limb(y, 0)));
    else nat_divmod(0, t, x, xn, y, yn);
    const s = x; x = y; y = t; t = s;
    xn = yn; yn = nat_norm(y, yn);
  }
  nat_free(y, cap); nat_free(t, cap);
  rp = x; rcap = cap; rn = xn; rsign = xn == 0 ? 0 : 1;
}
function mod1(a: usize, an: i32, d: u32): u32 {
  let r: u64 = 0;
  for (let i = an - 1; i >= 0; i--) r = ((r << 32) | <u64>limb(a, i)) % <u64>d;
  return <u32>r;
}

/** floor(sqrt(a)) for a >= 0 by Newton's iteration from above. */
export function big_sqrt(a: Opnd): void {
  if (a.n == 0) { res_alloc(0); rsign = 0; return; }
  const bits = nat_bitlen(a.p, a.n);
  const cap = a.n + 2;
  let x = nat_allocz(cap), y = nat_allocz(cap);
  const q = nat_alloc(cap);
  const hb = (bits + 1) >> 1;                         // 2^hb >= sqrt(a)
  setlimb(x, <i32>(hb >> 5), 1 << <u32>(hb & 31));
  let xn = <i32>(hb >> 5) + 1;
  while (!nat_aborted) {
    // y = (x + a / x) / 2
    nat_zero(q, cap);
    if (a.n >= xn) nat_divmod(q, 0, a.p, a.n, x, xn);
    const qn = a.n >= xn ? nat_norm(q, a.n - xn + 1) : 0;
    nat_zero(y, cap);
    if (xn >= qn) setlimb(y, xn, nat_add(y, x, xn, q, qn));
    else setlimb(y, qn, nat_add(y, q, qn, x, xn));
    nat_shr(y, y, cap, 1);
    const yn = nat_norm(y, cap);
    if (nat_cmp(y, yn, x, xn) >= 0) break;
    const t = x; x = y; y = t; xn = yn;
  }
  nat_free(q, cap); nat_free(y, cap);
  rp = x; rcap = cap; rn = xn; rsign = 1;
}

export { nat_bitlen };
