// fold.ts - constant folding of numeric operators at compile time (lcode.c constfolding/validop).
// Invariant: folding never changes behaviour: an operation that could raise an error at run time
// (integer division or modulo by zero, bitwise operations on floats without an exact integer
// value) is left to the VM, and results that are NaN or a float zero (which could be -0.0) are
// never folded. The arithmetic itself is luaO_rawarith from object/number.ts, so compile-time and
// run-time results are bit-identical.

import { Expdesc, VK, tonumeral } from "./code";
import { KValue } from "./scope";
import { LUA_VNUMINT, setivalue, setfltvalue, ttisinteger, ivalue, fltvalue } from "../object/value";
import { luaO_rawarith } from "../object/number";

// Operator numbers of luaO_rawarith (lua.h LUA_OP*)
const LUA_OPMOD: i32 = 3;
const LUA_OPDIV: i32 = 5;
const LUA_OPIDIV: i32 = 6;
const LUA_OPBAND: i32 = 7;
const LUA_OPSHR: i32 = 11;
const LUA_OPBNOT: i32 = 13;

/** Result of a float → integer conversion that accepts only exact integral values (F2Ieq). */
export class FltInt { ok: bool = false; v: i64 = 0; }

export function flttointeger(f: f64): FltInt {
  const r = new FltInt();
  if (f != Math.floor(f)) return r;                                   // NaN or fractional
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return r;
  r.ok = true;
  r.v = <i64>f;
  return r;
}

function tointegerns(v: KValue): bool {
  return v.tt == LUA_VNUMINT || flttointeger(v.n).ok;
}

function nvalue(v: KValue): f64 { return v.tt == LUA_VNUMINT ? <f64>v.i : v.n; }

/** Whether folding `op` over v1, v2 is safe (validop). */
function validop(op: i32, v1: KValue, v2: KValue): bool {
  if ((op >= LUA_OPBAND && op <= LUA_OPSHR) || op == LUA_OPBNOT) return tointegerns(v1) && tointegerns(v2);
  if (op == LUA_OPDIV || op == LUA_OPIDIV || op == LUA_OPMOD) return nvalue(v2) != 0;
  return true;
}

const tv1: usize = memory.data(16);
const tv2: usize = memory.data(16);
const tvr: usize = memory.data(16);

function settv(o: usize, v: KValue): void {
  if (v.tt == LUA_VNUMINT) setivalue(o, v.i); else setfltvalue(o, v.n);
}

/** Folds e1 op e2 into e1 when both are numerals and the operation is safe (constfolding). */
export function constfolding(op: i32, e1: Expdesc, e2: Expdesc): bool {
  const v1 = new KValue(), v2 = new KValue();
  if (!tonumeral(e1, v1) || !tonumeral(e2, v2) || !validop(op, v1, v2)) return false;
  settv(tv1, v1); settv(tv2, v2);
  if (!luaO_rawarith(op, tv1, tv2, tvr)) return false;
  if (ttisinteger(tvr)) {
    e1.k = VK.KINT;
    e1.ival = ivalue(tvr);
  } else {
    const n = fltvalue(tvr);
    if (isNaN(n) || n == 0) return false;                           // neither NaN nor ±0.0
    e1.k = VK.KFLT;
    e1.nval = n;
  }
  return true;
}
