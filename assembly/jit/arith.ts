// arith.ts - the baseline JIT's arithmetic, comparison and numeric for-loop units (jit/compile.ts
// calls them): integers wrap, integers and floats mix as lvm.c does, and anything else (a string,
// a metamethod, a zero divisor) exits at the unit, where the interpreter does it with its own
// messages. Registers are read and written through jit/regcache.ts; what jit/kinds.ts knows of
// their kinds leaves out the tests and paths that cannot happen (and the exit where both operands
// are numbers), and each unit notes what it proved and wrote.
// Invariant: a unit's guards come before its writes, so an exit leaves its registers untouched.

import * as w from "./wasmgen";
import {
  LUA_VNUMINT, LUA_VNUMFLT, LUA_VSHRSTR, ttisinteger, ttisfloat, ttisnumber, ttisshrstring, rawtt, ivalue,
  fltvalue,
} from "../object/value";
import { ldtag, ldint, ldflt, ldptr, stint, stflt, rc_droppending } from "./regcache";
import {
  FX, FY, T1, T2, X, Y, c, cmpclose, cmpopen, cmptake, condjump, takeif, exitat, jumpto, kaddr, kval, missexit, tagis, tagis_top, tagisnum,
  tonum,
} from "./emit";
import * as S from "./emit";
import { kt, kt_const, kt_note, KT_INT, KT_FLT, KT_OTHER, KT_NUM } from "./kinds";

// ==== Instructions ====

/**
 * +, -, * or / (fop; iop the integer op, 0 for / which has none) of R[b] and the second operand:
 * register `rc` (kc < 0) or constant kc. Integers wrap; a float result of two NaNs keeps the NaN
 * the interpreter keeps (arithfast). The operands' tags are tested in the order of the cheapest
 * common cases: two integers, then two floats (no conversion), then one of each (converted); both
 * float paths leave the operands in FX and FY and branch to the one float operation. Only the
 * paths the operands' kinds allow are emitted (jit/kinds.ts), and the exit only when one of them
 * may not be a number.
 */
export function arith(pc: i32, a: i32, b: i32, rc: i32, kc: i32, iop: u8, fop: u8, isadd: bool): void {
  // a constant is a float operand at no cost (converted here): with a float R[b] the two-float path
  const k1 = kt(b), k2 = kc >= 0 ? kt_const(kaddr(kc)) : kt(rc);
  const ii = iop != 0 && (k1 & KT_INT) != 0 && (k2 & KT_INT) != 0;      // the integer path
  const ff = (k1 & KT_FLT) != 0 && (kc >= 0 || (k2 & KT_FLT) != 0);     // two floats
  const mixed = kc >= 0                                                 // converted (/ of two integers too)
    ? (k1 & KT_INT) != 0 && (k2 == KT_FLT || iop == 0)
    : ((k1 & KT_INT) != 0 && (k2 & KT_FLT) != 0) || ((k1 & KT_FLT) != 0 && (k2 & KT_INT) != 0)
      || (iop == 0 && (k1 & KT_INT) != 0 && (k2 & KT_INT) != 0);
  const other = ((k1 | k2) & KT_OTHER) != 0;
  if (!exact(k1)) { ldtag(b); w.emit_local_set(c, T1); }
  if (kc < 0 && !exact(k2)) { ldtag(rc); w.emit_local_set(c, T2); }
  w.emit_block(c, w.BT_VOID);                          // $done
  w.emit_block(c, w.BT_VOID);                          // $flt: FX and FY hold the operands
  // a path was taken whatever the tags (the rest is dead); the last one possible needs no test when
  // both operands are numbers
  let taken = false;
  if (ii) {
    const cond = !other && !ff && !mixed ? false : needsboth(k1, k2, LUA_VNUMINT);
    if (cond) { w.emit_block(c, w.BT_VOID); unlessboth(k1, T1, k2, T2, LUA_VNUMINT, 0); }
    ldint(b);
    if (kc < 0) ldint(rc); else w.emit_i64_const(c, ivalue(kaddr(kc)));
    w.emit_op(c, iop); w.emit_local_set(c, X);
    stint(a, X);
    w.emit_br(c, cond ? 2 : 1);                        // (the tests' block, $flt, $done)
    if (cond) w.emit_end(c); else taken = true;
  }
  if (ff && !taken) {
    const k2f = kc >= 0 ? KT_FLT : k2;                 // (a constant: converted to a float)
    const cond = !other && !mixed ? false : needsboth(k1, k2f, LUA_VNUMFLT);
    if (cond) { w.emit_block(c, w.BT_VOID); unlessboth(k1, T1, k2f, T2, LUA_VNUMFLT, 0); }
    ldflt(b); w.emit_local_set(c, FX);
    secondflt(rc, kc, k2, false); w.emit_local_set(c, FY);
    w.emit_br(c, cond ? 1 : 0);
    if (cond) w.emit_end(c); else taken = true;
  }
  if (mixed && !taken) {
    const cond = other;                                // (numbers both: no test)
    if (cond) {
      if (kc < 0) { isnum(k1, T1); isnum(k2, T2); w.emit_op(c, w.OP_I32_AND); }
      else isnum(k1, T1);                              // (a number constant)
      w.emit_if(c, w.BT_VOID);
    }
    numflt(b, k1, T1); w.emit_local_set(c, FX);
    secondflt(rc, kc, k2, true); w.emit_local_set(c, FY);
    w.emit_br(c, cond ? 1 : 0);
    if (cond) w.emit_end(c); else taken = true;
  }
  if (!taken) missexit(pc);
  w.emit_end(c);                                       // $flt
  if (ff || mixed) {
    if (fop == w.OP_F64_DIV) {
      w.emit_local_get(c, FX); w.emit_local_get(c, FY); w.emit_op(c, fop);
    } else {
      // r = x op y; a NaN result when both are NaNs: the first one of arithfast's choice (y for +,
      // x for - and *), kept in its local while r goes to the other one (one NaN test on the fast path)
      const first = isadd ? FY : FX, r = isadd ? FX : FY;
      w.emit_local_get(c, FX); w.emit_local_get(c, FY); w.emit_op(c, fop); w.emit_local_set(c, r);
      w.emit_local_get(c, r); w.emit_local_get(c, r); w.emit_op(c, w.OP_F64_NE);
      w.emit_if(c, w.BT_VOID);
      w.emit_local_get(c, first); w.emit_local_get(c, r);
      w.emit_local_get(c, first); w.emit_local_get(c, first); w.emit_op(c, w.OP_F64_NE);
      w.emit_op(c, w.OP_SELECT); w.emit_local_set(c, r);
      w.emit_end(c);
      w.emit_local_get(c, r);
    }
    w.emit_local_set(c, FX);
    stflt(a, FX);
  }
  w.emit_end(c);                                       // $done
  kt_note(b, k1 & KT_NUM);                             // (a non-number exited)
  if (kc < 0) kt_note(rc, k2 & KT_NUM);
  kt_note(a, (ii ? KT_INT : 0) | (ff || mixed ? KT_FLT : 0));
}

/**
 * R[a] := R[b] + imm (ADDI: iop/fop the additions, the immediate as ival and fval) or -R[b] (UNM:
 * iop a subtraction from 0, fop a negation): the integer path, the float one and an exit for
 * anything else, those R[b]'s kind allows.
 */
export function unary(pc: i32, a: i32, b: i32, iop: u8, ival: i64, fop: u8, fval: f64): void {
  const k = kt(b), neg = fop == w.OP_F64_NEG;
  const ip = (k & KT_INT) != 0, fp = (k & KT_FLT) != 0, ex = (k & KT_OTHER) != 0;
  if (!exact(k)) { ldtag(b); w.emit_local_set(c, T1); }
  if (ip) {
    if (fp || ex) { tagis(T1, LUA_VNUMINT); w.emit_if(c, w.BT_VOID); }
    if (neg) { w.emit_i64_const(c, 0); ldint(b); } else { ldint(b); w.emit_i64_const(c, ival); }
    w.emit_op(c, iop); w.emit_local_set(c, X); stint(a, X);
    if (fp || ex) w.emit_else(c);
  }
  if (fp) {
    if (ex) { tagis(T1, LUA_VNUMFLT); w.emit_if(c, w.BT_VOID); }
    ldflt(b);
    if (!neg) w.emit_f64_const(c, fval);
    w.emit_op(c, fop); w.emit_local_set(c, FX); stflt(a, FX);
    if (ex) w.emit_else(c);
  }
  if (ex) missexit(pc);
  if (fp && ex) w.emit_end(c);
  if (ip && (fp || ex)) w.emit_end(c);
  kt_note(b, k & KT_NUM);
  kt_note(a, (ip ? KT_INT : 0) | (fp ? KT_FLT : 0));
}

/** Whether kind bits `k` say exactly what a number is (an integer only, or a float only). */
function exact(k: u8): bool { return k == KT_INT || k == KT_FLT; }

/** The kind bit of number tag `tag` (LUA_VNUMINT or LUA_VNUMFLT). */
function kindbit(tag: i32): u8 { return tag == LUA_VNUMINT ? KT_INT : KT_FLT; }

/**
 * Whether telling that both operands have the number tag `tag` takes a test: false when their
 * kinds say so (an operand of kind k2 == its constant's kind, no register, needs none).
 */
function needsboth(k1: u8, k2: u8, tag: i32): bool { return k1 != kindbit(tag) || k2 != kindbit(tag); }

/**
 * Branches to `depth` unless both operands have the number tag `tag` (their tags in t1 and t2,
 * tested where their kinds do not say), one br_if a test. Combined with an i32.and, V8 computed
 * both comparisons as 0/1 values (setcc) and kept loop.lua's loop variable's tag in a stack slot:
 * 1.5x its time.
 */
function unlessboth(k1: u8, t1: i32, k2: u8, t2: i32, tag: i32, depth: i32): void {
  if (k1 != kindbit(tag)) brunless(t1, tag, depth);
  if (k2 != kindbit(tag)) brunless(t2, tag, depth);
}

/** Branches to `depth` unless the tag in local `t` is `tag`. */
function brunless(t: i32, tag: i32, depth: i32): void {
  w.emit_local_get(c, t); w.emit_i32_const(c, tag); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, depth);
}

/** Pushes whether an operand of kind bits `k` (its tag in local `t` unless exact) is a number. */
function isnum(k: u8, t: i32): void {
  if ((k & KT_OTHER) != 0) tagisnum(t); else w.emit_i32_const(c, 1);
}

/** Pushes R[r], a number of kind bits `k` (its tag in local `t` unless exact), as a float. */
function numflt(r: i32, k: u8, t: i32): void {
  if ((k & KT_NUM) == KT_INT) { ldint(r); w.emit_op(c, w.OP_F64_CONVERT_I64_S); }
  else if ((k & KT_NUM) == KT_FLT) ldflt(r);
  else tonum(r, t);
}

/**
 * Pushes arith's second operand as a float: R[rc] (kc < 0; a float, or when `mixed` a number of
 * kind bits k2, its tag in T2 unless exact) or constant kc.
 */
function secondflt(rc: i32, kc: i32, k2: u8, mixed: bool): void {
  if (kc >= 0) {
    const k = kaddr(kc);
    w.emit_f64_const(c, ttisinteger(k) ? <f64>ivalue(k) : fltvalue(k));
  } else if (mixed) numflt(rc, k2, T2);
  else ldflt(rc);
}

/** Exits at pc unless R[b] (and R[rc] when rc >= 0) hold integers (no test where their kinds say so). */
export function intguard(pc: i32, b: i32, rc: i32): void {
  const t1 = kt(b) != KT_INT, t2 = rc >= 0 && kt(rc) != KT_INT;
  if (t1) { ldtag(b); tagis_top(LUA_VNUMINT); }
  if (t2) { ldtag(rc); tagis_top(LUA_VNUMINT); if (t1) w.emit_op(c, w.OP_I32_AND); }
  if (t1 || t2) {
    w.emit_op(c, w.OP_I32_EQZ);
    w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  }
  kt_note(b, KT_INT);
  if (rc >= 0) kt_note(rc, KT_INT);
}

/** &, | or ~ (iop) of R[b] and R[rc] (kc < 0) or the integer constant kc; integers only. */
export function bitwise(pc: i32, a: i32, b: i32, rc: i32, kc: i32, iop: u8): void {
  intguard(pc, b, kc < 0 ? rc : -1);
  ldint(b);
  if (kc < 0) ldint(rc); else w.emit_i64_const(c, ivalue(kaddr(kc)));
  w.emit_op(c, iop); w.emit_local_set(c, X);
  stint(a, X);
  kt_note(a, KT_INT);
}

/**
 * R[a] := luaV_shiftl(X, Y) for the integers in locals X and Y: Y in -63..63 shifts left (Y >= 0)
 * or right logically by -Y; any other Y gives 0 (wasm's shifts would wrap the count instead).
 */
export function shiftl(a: i32): void {
  w.emit_local_get(c, Y); w.emit_i64_const(c, 63); w.emit_op(c, w.OP_I64_ADD);
  w.emit_i64_const(c, 127); w.emit_op(c, w.OP_I64_LT_U);
  w.emit_if(c, w.WT_I64);
  w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_SHL);
  w.emit_local_get(c, X); w.emit_i64_const(c, 0); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_SUB);
  w.emit_op(c, w.OP_I64_SHR_U);
  w.emit_local_get(c, Y); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_GE_S);
  w.emit_op(c, w.OP_SELECT);
  w.emit_else(c);
  w.emit_i64_const(c, 0);
  w.emit_end(c);
  w.emit_local_set(c, X);
  stint(a, X);
  kt_note(a, KT_INT);
}

/** Integer % or // (luaV_mod / luaV_idiv); a zero divisor or a float operand exits. */
export function modidiv(pc: i32, a: i32, b: i32, rc: i32, kc: i32, ismod: bool): void {
  const t1 = kt(b) != KT_INT, t2 = kc < 0 && kt(rc) != KT_INT;
  if (t1) { ldtag(b); tagis_top(LUA_VNUMINT); }
  if (t2) { ldtag(rc); tagis_top(LUA_VNUMINT); if (t1) w.emit_op(c, w.OP_I32_AND); }
  if (!t1 && !t2) w.emit_i32_const(c, 1);              // (known integers: V8 folds the test)
  w.emit_if(c, w.BT_VOID);
  ldint(b); w.emit_local_set(c, X);
  if (kc < 0) ldint(rc); else w.emit_i64_const(c, ivalue(kaddr(kc)));
  w.emit_local_set(c, Y);
  // y + 1 <= 1 (unsigned): y is 0 (the interpreter raises the error) or -1 (no overflow trap)
  w.emit_local_get(c, Y); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_ADD); w.emit_i64_const(c, 2);
  w.emit_op(c, w.OP_I64_LT_U);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_EQZ);
  w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  // x % -1 = 0; x // -1 = -x (wrapping)
  if (ismod) w.emit_i64_const(c, 0);
  else { w.emit_i64_const(c, 0); w.emit_local_get(c, X); w.emit_op(c, w.OP_I64_SUB); }
  w.emit_local_set(c, X);
  w.emit_else(c);
  if (ismod) {
    // r = x % y; if r != 0 and r ^ y < 0 then r += y
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_REM_S); w.emit_local_set(c, X);
    w.emit_local_get(c, X); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_NE);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_XOR); w.emit_i64_const(c, 0);
    w.emit_op(c, w.OP_I64_LT_S);
    w.emit_op(c, w.OP_I32_AND);
    w.emit_if(c, w.BT_VOID);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_ADD); w.emit_local_set(c, X);
    w.emit_end(c);
  } else {
    // q = x / y - ((x ^ y) < 0 and x % y != 0)
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_DIV_S);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_XOR); w.emit_i64_const(c, 0);
    w.emit_op(c, w.OP_I64_LT_S);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_REM_S); w.emit_i64_const(c, 0);
    w.emit_op(c, w.OP_I64_NE);
    w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I64_EXTEND_I32_U);
    w.emit_op(c, w.OP_I64_SUB); w.emit_local_set(c, X);
  }
  w.emit_end(c);
  stint(a, X);
  w.emit_else(c); missexit(pc); w.emit_end(c);
  kt_note(b, KT_INT);
  if (kc < 0) kt_note(rc, KT_INT);
  kt_note(a, KT_INT);
}

/**
 * Pushes R[r], a number whose tag is in local `t`, as a float, exactly: an integer beyond ±2^53
 * (which a float may not represent) exits at pc. With it, an integer/float comparison is the float
 * comparison, as in lvm.c's LTintfloat/LEintfloat and luaV_equalobj when l_intfitsf holds.
 */
export function exactflt(pc: i32, r: i32, t: i32): void {
  tagis(t, LUA_VNUMINT);
  w.emit_if(c, w.WT_F64);
  ldint(r); w.emit_local_tee(c, X);
  w.emit_i64_const(c, 1 << 53); w.emit_op(c, w.OP_I64_ADD); w.emit_i64_const(c, 2 << 53);
  w.emit_op(c, w.OP_I64_GT_U);
  w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  w.emit_local_get(c, X); w.emit_op(c, w.OP_F64_CONVERT_I64_S);
  w.emit_else(c); ldflt(r);
  w.emit_end(c);
}

// ==== Comparison jumps ====
// EQ LT LE EQK EQI LTI LEI GTI GEI and the JMP after them (`k` is the instruction's k: the jump is
// taken when the condition equals it). A comparison the kinds reduce to one test is that test and
// condjump. One with several paths (two integers, two floats, a mix, a string...) is emitted inside
// the blocks jit/emit.ts cmpopen opens, $take (depth 0 from the comparison's own code) and $skip
// (1), each path ending in its own cmptake: branches on that path's result, not on one i32 merged
// from the paths, which V8 computed as 0/1 values (setcc) for the merge before testing it (an
// insertion sort and an escape-time loop whose operands' kinds are not known: 0.83x its time;
// bench/jit/mandel.lua, whose `k < maxiter` has three paths, read 1.01-1.04x). One path alone has
// nothing to merge and stays an `if` on its value (condjump).

/**
 * The integer/float mix of a comparison (the tags in T1/T2 not both integers nor both floats), `d`
 * labels inside $take: both numbers → fop of their exact float values; anything else exits at pc (no
 * test when their kinds say both are numbers: `nums`).
 */
function mixedcmp(pc: i32, a: i32, b: i32, fop: u8, nums: bool, k: i32, d: i32): void {
  if (nums) { exactflt(pc, a, T1); exactflt(pc, b, T2); w.emit_op(c, fop); cmptake(k, d); return; }
  w.emit_block(c, w.BT_VOID);                          // $miss
  for (let j = 0; j < 2; j++) {                        // (a tag | 0x10 is LUA_VNUMFLT for numbers only)
    w.emit_local_get(c, j == 0 ? T1 : T2); w.emit_i32_const(c, 0x10); w.emit_op(c, w.OP_I32_OR);
    w.emit_i32_const(c, LUA_VNUMFLT); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, 0);
  }
  exactflt(pc, a, T1); exactflt(pc, b, T2); w.emit_op(c, fop);
  cmptake(k, d + 1);
  w.emit_end(c);                                       // $miss
  missexit(pc);
}

/**
 * The comparison jump of R[a] and R[b] of kind bits k1 and k2: iop of two integers, fop of two
 * floats, a mix as exact floats (mixedcmp); anything else (strings, metamethods) exits.
 */
function numcmp(pc: i32, a: i32, b: i32, iop: u8, fop: u8, k: i32): void {
  const k1 = kt(a), k2 = kt(b);
  kt_note(a, k1 & KT_NUM); kt_note(b, k2 & KT_NUM);   // (anything else exits)
  if (k1 == KT_INT && k2 == KT_INT) { ldint(a); ldint(b); w.emit_op(c, iop); takeif(k); condjump(pc); return; }
  if (k1 == KT_FLT && k2 == KT_FLT) { ldflt(a); ldflt(b); w.emit_op(c, fop); takeif(k); condjump(pc); return; }
  ldtag(a); w.emit_local_set(c, T1); ldtag(b); w.emit_local_set(c, T2);
  cmpopen();
  w.emit_block(c, w.BT_VOID);                          // $notint
  unlessboth(k1, T1, k2, T2, LUA_VNUMINT, 0);
  ldint(a); ldint(b); w.emit_op(c, iop); cmptake(k, 1);
  w.emit_end(c);                                       // $notint
  w.emit_block(c, w.BT_VOID);                          // $notflt
  unlessboth(k1, T1, k2, T2, LUA_VNUMFLT, 0);
  ldflt(a); ldflt(b); w.emit_op(c, fop); cmptake(k, 1);
  w.emit_end(c);                                       // $notflt
  mixedcmp(pc, a, b, fop, ((k1 | k2) & KT_OTHER) == 0, k, 0);
  cmpclose(pc);
}

/**
 * The jump of LT/LE of R[a] and R[b]: two integers, two floats, or one of each (as exact floats; an
 * integer past ±2^53 exits); strings and metamethods exit.
 */
export function ordercmp(pc: i32, a: i32, b: i32, lt: bool, k: i32): void {
  numcmp(pc, a, b, lt ? w.OP_I64_LT_S : w.OP_I64_LE_S, lt ? w.OP_F64_LT : w.OP_F64_LE, k);
}

/** The jump of EQ of R[a] and R[b]: numbers (mixed ones as exact floats, see exactflt); anything else exits (__eq, strings). */
export function eqcmp(pc: i32, a: i32, b: i32, k: i32): void {
  numcmp(pc, a, b, w.OP_I64_EQ, w.OP_F64_EQ, k);
}

/**
 * The jump of R[a] op sB for LTI/LEI/GTI/GEI (iop/fop the comparison with R[a] first) and EQI
 * (exact, never exits: a non-number is unequal).
 */
export function immcmp(pc: i32, a: i32, imm: i32, iop: u8, fop: u8, eq: bool, k: i32): void {
  const kk = kt(a);
  if (!eq) kt_note(a, kk & KT_NUM);                    // (anything else exits; EQI is false for it)
  if (kk == KT_INT) { ldint(a); w.emit_i64_const(c, <i64>imm); w.emit_op(c, iop); takeif(k); condjump(pc); return; }
  if (kk == KT_FLT) { ldflt(a); w.emit_f64_const(c, <f64>imm); w.emit_op(c, fop); takeif(k); condjump(pc); return; }
  ldtag(a); w.emit_local_set(c, T1);
  cmpopen();
  w.emit_block(c, w.BT_VOID);                          // $notint
  brunless(T1, LUA_VNUMINT, 0);
  ldint(a); w.emit_i64_const(c, <i64>imm); w.emit_op(c, iop); cmptake(k, 1);
  w.emit_end(c);                                       // $notint
  if ((kk & KT_OTHER) == 0) {                          // a number: a float here
    ldflt(a); w.emit_f64_const(c, <f64>imm); w.emit_op(c, fop); cmptake(k, 0);
    cmpclose(pc);
    return;
  }
  w.emit_block(c, w.BT_VOID);                          // $notflt
  brunless(T1, LUA_VNUMFLT, 0);
  ldflt(a); w.emit_f64_const(c, <f64>imm); w.emit_op(c, fop); cmptake(k, 1);
  w.emit_end(c);                                       // $notflt
  if (eq) { w.emit_i32_const(c, 0); cmptake(k, 0); } else missexit(pc);
  cmpclose(pc);
}

/**
 * The jump of R[a] == K[kb] without metamethods (luaV_rawequalobj); an integer/float mix or a long
 * string exits.
 */
export function eqkcmp(pc: i32, a: i32, kb: i32, k: i32): void {
  const kv = kaddr(kb);
  ldtag(a); w.emit_local_set(c, T1);
  if (!ttisnumber(kv) && !ttisshrstring(kv)) {        // nil, false, true: the tag says it all
    tagis(T1, rawtt(kv)); takeif(k); condjump(pc);
    return;
  }
  cmpopen();
  if (ttisinteger(kv) || ttisfloat(kv)) {
    const isint = ttisinteger(kv);
    w.emit_block(c, w.BT_VOID);                        // $other
    brunless(T1, isint ? LUA_VNUMINT : LUA_VNUMFLT, 0);
    if (isint) { ldint(a); w.emit_i64_const(c, ivalue(kv)); w.emit_op(c, w.OP_I64_EQ); }
    else { ldflt(a); w.emit_f64_const(c, fltvalue(kv)); w.emit_op(c, w.OP_F64_EQ); }
    cmptake(k, 1);
    w.emit_end(c);                                     // $other
    tagis(T1, isint ? LUA_VNUMFLT : LUA_VNUMINT);       // the other number variant: exact compare
    w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
    w.emit_i32_const(c, 0); cmptake(k, 0);
  } else {                                             // a short string: interned, same string = same object
    w.emit_block(c, w.BT_VOID);                        // $other
    brunless(T1, LUA_VSHRSTR, 0);
    ldptr(a); kval(kb); w.emit_op(c, w.OP_I32_EQ); cmptake(k, 1);
    w.emit_end(c);                                     // $other
    w.emit_local_get(c, T1); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
    w.emit_i32_const(c, LUA_VSHRSTR & 0x0F); w.emit_op(c, w.OP_I32_EQ);   // a long string: compare bytes
    w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
    w.emit_i32_const(c, 0); cmptake(k, 0);
  }
  cmpclose(pc);
}

/** Integer FORPREP (all three integers, step ≠ 0: luaV_forprep); anything else exits. */
export function forprep(pc: i32, a: i32, bx: i32): void {
  ldtag(a); tagis_top(LUA_VNUMINT); ldtag(a + 1); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
  ldtag(a + 2); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
  ldint(a + 2); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_NE); w.emit_op(c, w.OP_I32_AND);
  w.emit_op(c, w.OP_I32_EQZ);
  // a float loop (or an error) is the interpreter's FORPREP, not a miss: the loop's FORLOOP is compiled
  w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);
  ldint(a); w.emit_local_set(c, X);                    // init
  ldint(a + 2); w.emit_local_set(c, Y);                // step
  stint(a + 3, X);                                     // the control variable starts at init
  // skip = step > 0 ? init > limit : init < limit
  w.emit_local_get(c, Y); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_GT_S);
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, X); ldint(a + 1); w.emit_op(c, w.OP_I64_GT_S);
  w.emit_else(c);
  w.emit_local_get(c, X); ldint(a + 1); w.emit_op(c, w.OP_I64_LT_S);
  w.emit_end(c);
  w.emit_if(c, w.BT_VOID); S.extra++; jumpto(pc + bx + 2, pc); S.extra--; w.emit_end(c);
  // count = step > 0 ? (limit - init) / step : (init - limit) / (-(step + 1) + 1), unsigned
  w.emit_local_get(c, Y); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_GT_S);
  w.emit_if(c, w.WT_I64);
  ldint(a + 1); w.emit_local_get(c, X); w.emit_op(c, w.OP_I64_SUB);
  w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_DIV_U);
  w.emit_else(c);
  w.emit_local_get(c, X); ldint(a + 1); w.emit_op(c, w.OP_I64_SUB);
  w.emit_i64_const(c, 0); w.emit_local_get(c, Y); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_ADD);
  w.emit_op(c, w.OP_I64_SUB); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_ADD);
  w.emit_op(c, w.OP_I64_DIV_U);
  w.emit_end(c);
  w.emit_local_set(c, X);
  stint(a + 1, X);
}

/** FORLOOP: the integer loop (count in R[a+1]) or the float one (floatforloop), as the interpreter. */
export function forloop(pc: i32, a: i32, bx: i32): void {
  const back = pc + 1 - bx;
  ldtag(a + 2); tagis_top(LUA_VNUMINT);
  w.emit_if(c, w.BT_VOID);
  S.extra++;
  ldint(a + 1); w.emit_local_tee(c, X); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_NE);
  w.emit_if(c, w.BT_VOID);
  S.extra++;
  w.emit_local_get(c, X); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_SUB); w.emit_local_set(c, X);
  stint(a + 1, X);
  ldint(a); ldint(a + 2); w.emit_op(c, w.OP_I64_ADD); w.emit_local_set(c, X);
  stint(a, X); stint(a + 3, X);
  jumpto(back, pc);
  rc_droppending();                                    // (the writes were for the back-edge only)
  S.extra--;
  w.emit_end(c);
  S.extra--;
  w.emit_else(c);
  S.extra++;
  // idx = R[a] + step; if (0 < step ? idx <= limit : limit <= idx) jump back
  ldflt(a); ldflt(a + 2); w.emit_op(c, w.OP_F64_ADD); w.emit_local_set(c, FX);
  w.emit_f64_const(c, 0); ldflt(a + 2); w.emit_op(c, w.OP_F64_LT);
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, FX); ldflt(a + 1); w.emit_op(c, w.OP_F64_LE);
  w.emit_else(c);
  ldflt(a + 1); w.emit_local_get(c, FX); w.emit_op(c, w.OP_F64_LE);
  w.emit_end(c);
  w.emit_if(c, w.BT_VOID);
  S.extra++;
  stflt(a, FX); stflt(a + 3, FX);
  jumpto(back, pc);
  rc_droppending();                                    // (the writes were for the back-edge only)
  S.extra--;
  w.emit_end(c);
  S.extra--;
  w.emit_end(c);
}
