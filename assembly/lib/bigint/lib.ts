// lib.ts - the `bigint` library (require "bigint", a built-in module in package.preload) and the
// metamethods of bigint values: constructors and conversions, arithmetic, bitwise operations and
// comparisons mixing bigints with Lua integers and floats, and the extra functions (divmod, modular
// pow, gcd, sqrt, abs, sign, eq, key, isbigint).
//
// Mixing rules (as Lua's own for integers and floats): bigint op integer → bigint; bigint op float →
// float (/ is always float); ^ with a non-negative integer exponent → bigint, with a float → float;
// < and <= compare exactly across bigints, integers and floats; == between two bigints compares
// values (Lua never calls __eq between a userdata and a number: bigint(5) == 5 is false, use
// bigint.eq); bitwise operators and shifts act on two's complement of unbounded width (>> is an
// arithmetic shift: floor division by 2^n). Strings that are numerals take part as their number,
// as in Lua's arithmetic.
// Division by zero raises lua5.4's messages for integers: "attempt to divide by zero" for // (and
// divmod), "attempt to perform 'n%0'" for % (and a zero modulus of pow).
// Memory and time: every operation checks `fits` for the scratch and result it needs before
// starting ("not enough memory", catchable), and long work is charged to the instruction budget
// (nat.ts), which stops it with the usual uncatchable "instruction limit exceeded" / "timeout".
// Invariant: the bigint metatable (registry "_BIGINT") and library table (registry "_BIGINTLIB",
// also the metatable's __index) exist in every state from lua_newstate on, so the host can pass
// bigints in before any require, and snapshots map them to the fresh state's (persist/snapshot.ts).

import {
  TVALUE_SIZE, ttisinteger, ttisfloat, ttisstring, ttisnil, ivalue, fltvalue, tsvalue, sethvalue, setsvalue,
  setfvalue, uvalue, ttistable, hvalue,
} from "../../object/value";
import { getstr, tsslen, luaS_new } from "../../object/string";
import * as ltable from "../../object/table";
import { l_strton, luai_numpow, luai_numidiv, luaV_modf, LUA_OPADD, LUA_OPSUB, LUA_OPMUL, LUA_OPMOD,
  LUA_OPPOW, LUA_OPDIV, LUA_OPIDIV, LUA_OPBAND, LUA_OPBOR, LUA_OPBXOR, LUA_OPSHL, LUA_OPSHR, LUA_OPUNM,
  LUA_OPBNOT, luaO_tostringbuff } from "../../object/number";
import { fits, luaM_alloc, luaM_free } from "../../mem/alloc";
import { Buffer, buf_new, buf_free, buf_addstr, buf_addbytes } from "../../mem/buffer";
import { luaC_barrierback } from "../../gc/barrier";
import { ERR, L_top, registry } from "../../vm/state";
import {
  index2value, lua_gettop, lua_pushnil, lua_pushinteger, lua_pushnumber, lua_pushboolean, lua_pushlstring,
  lua_pushvalue, lua_pushcfunction, lua_rawsetfield, lua_createtable, lua_pushtable, lua_CFunction,
  lua_settop, incr_top, lua_pushtvalue,
} from "../../vm/api";
import { luaT_objtypename, invalidateTMcache } from "../../vm/tm";
import {
  luaL_error, luaL_errorb, luaL_argerror, luaL_argerrorb, luaL_optinteger, argfail, luaL_setfuncs,
} from "../aux";
import { lib_memerror } from "../libapi";
import { regnative } from "../natives";
import { nat_resetabort, nat_aborted } from "./nat";
import { nat_tostr, nat_fromstr, conv_digitsbound, conv_limbsbound, convscratch, digitvalue } from "./conv";
import {
  Opnd, opnd_at, opnd_big, opnd_int, opnd_flt, isbig, big_setmt, big_bytes, big_push, res_push, res_free,
  big_add, big_sub, big_mul, big_divmod, big_pow, big_powmod, big_bitop, big_bnot, big_shl, big_shr,
  big_cmp, big_cmpflt, big_tonumber, big_toint, big_fits, big_gcd, big_sqrt, mulneed, divneed, powlimbs,
  shllimbs, nat_bitlen,
} from "./big";

// ==== Operands ====

const A: Opnd = opnd_at(memory.data(16), memory.data(36 * 4));
const B: Opnd = opnd_at(memory.data(16), memory.data(36 * 4));
const C: Opnd = opnd_at(memory.data(16), memory.data(36 * 4));
const T: Opnd = opnd_at(memory.data(16), memory.data(36 * 4));

// @ts-ignore: decorator
@inline const K_NONE: i32 = 0;
// @ts-ignore: decorator
@inline const K_INT: i32 = 1;     // a bigint or an integer (in the Opnd)
// @ts-ignore: decorator
@inline const K_FLT: i32 = 2;     // a float (in fval)

let fval: f64 = 0;
let isbigarg: bool = false;
const numtmp: usize = memory.data(16, 8);

/** Classifies the value at o for arithmetic: a bigint or integer (into op), a float (fval), or neither. */
function classify(o: usize, op: Opnd): i32 {
  isbigarg = false;
  if (isbig(o)) { opnd_big(op, uvalue(o)); isbigarg = true; return K_INT; }
  if (ttisinteger(o)) { opnd_int(op, ivalue(o)); return K_INT; }
  if (ttisfloat(o)) { fval = fltvalue(o); return K_FLT; }
  if (ttisstring(o) && l_strton(o, numtmp)) return classify(numtmp, op);
  return K_NONE;
}

/** Makes a float operand an integer one when it has an exact integer value (bitwise operands). */
function flttoint(op: Opnd): bool {
  if (!(fval == fval) || fval == Infinity || fval == -Infinity || Math.floor(fval) != fval) return false;
  opnd_flt(op, fval);
  return true;
}

/** The float value of an integer-kind operand. */
// @ts-ignore: decorator
@inline function tof(op: Opnd): f64 { return big_tonumber(op); }

// ==== Errors ====

/** "attempt to <what> a <type> value" with the position of the Lua code that ran the operator. */
function typeerr(L: usize, o: usize, what: string): i32 {
  const b = buf_new();
  buf_addstr(b, "attempt to "); buf_addstr(b, what); buf_addstr(b, " a ");
  luaT_objtypename(o, b);
  buf_addstr(b, " value");
  const r = luaL_errorb(L, b);
  buf_free(b);
  return r;
}

/** Raises "not enough memory" unless `bytes` more may be allocated. */
function need(L: usize, bytes: u64): bool {
  if (fits(bytes)) return true;
  lib_memerror(L);
  return false;
}

/** After an operation: the budget error when it was cut short, else pushes the result (1). */
function finish(L: usize): i32 {
  if (nat_aborted) { res_free(); return ERR; }
  res_push(L);
  return 1;
}

/** Checks argument arg is a bigint or an integer (or an integral float) into op. */
function checkint(L: usize, arg: i32, op: Opnd): bool { return checkintas(L, arg, arg, op); }

/** checkint for the value at stack index idx, reported as argument `shown` (bigint(x) via __call). */
function checkintas(L: usize, idx: i32, shown: i32, op: Opnd): bool {
  if (argfail) return false;
  const o = index2value(L, idx);
  const k = classify(o, op);
  if (k == K_INT && !ttisstring(o)) return true;
  if (k == K_FLT && !ttisstring(o)) {
    if (flttoint(op)) return true;
    luaL_argerror(L, shown, "number has no integer representation");
    return false;
  }
  expected(L, idx, shown, "bigint");
  return false;
}

/** "bad argument #shown to 'f' (<what> expected, got <type of the value at idx>)". */
function expected(L: usize, idx: i32, shown: i32, what: string): i32 {
  const b = buf_new();
  buf_addstr(b, what);
  buf_addstr(b, " expected, got ");
  if (idx > lua_gettop(L)) buf_addstr(b, "no value"); else luaT_objtypename(index2value(L, idx), b);
  const r = luaL_argerrorb(L, shown, b);
  buf_free(b);
  return r;
}

// ==== Arithmetic metamethods ====

function floatarith(L: usize, op: i32, x: f64, y: f64): i32 {
  let r: f64 = 0;
  switch (op) {
    case LUA_OPADD: r = x + y; break;
    case LUA_OPSUB: r = x - y; break;
    case LUA_OPMUL: r = x * y; break;
    case LUA_OPDIV: r = x / y; break;
    case LUA_OPPOW: r = luai_numpow(x, y); break;
    case LUA_OPIDIV: r = luai_numidiv(x, y); break;
    case LUA_OPMOD: r = luaV_modf(x, y); break;
    case LUA_OPUNM: r = -x; break;
  }
  lua_pushnumber(L, r);
  return 1;
}

/** The shared body of the arithmetic and bitwise metamethods (operands at 1 and 2). */
function arith(L: usize, op: i32): i32 {
  const o1 = index2value(L, 1), o2 = index2value(L, 2);
  const bitwise = op >= LUA_OPBAND && op != LUA_OPUNM;
  let ka = classify(o1, A);
  const fa = fval;
  let kb = classify(o2, B);
  const fb = fval;
  if (ka == K_NONE || kb == K_NONE) {
    const bad = ka == K_NONE ? o1 : o2;
    return typeerr(L, bad, bitwise ? "perform bitwise operation on" : "perform arithmetic on");
  }
  if (bitwise) {
    fval = fa;
    if (ka == K_FLT && !flttoint(A)) return luaL_error(L, "number has no integer representation");
    fval = fb;
    if (kb == K_FLT && !flttoint(B)) return luaL_error(L, "number has no integer representation");
    return bitarith(L, op);
  }
  if (ka == K_FLT || kb == K_FLT || op == LUA_OPDIV) {
    const x = ka == K_FLT ? fa : tof(A);
    const y = kb == K_FLT ? fb : tof(B);
    return floatarith(L, op, x, y);
  }
  nat_resetabort();
  switch (op) {
    case LUA_OPADD: case LUA_OPSUB: {
      const n = (A.n > B.n ? A.n : B.n) + 1;
      if (!need(L, big_bytes(n) + (<u64>n << 2))) return ERR;
      if (op == LUA_OPADD) big_add(A, B); else big_sub(A, B);
      return finish(L);
    }
    case LUA_OPMUL:
      if (!need(L, big_bytes(A.n + B.n) + mulneed(A.n, B.n))) return ERR;
      big_mul(A, B);
      return finish(L);
    case LUA_OPIDIV: case LUA_OPMOD:
      if (B.n == 0) return luaL_error(L, op == LUA_OPIDIV ? "attempt to divide by zero" : "attempt to perform 'n%0'");
      if (!need(L, big_bytes(A.n + 1) + divneed(A.n, B.n))) return ERR;
      big_divmod(A, B, op == LUA_OPIDIV);
      return finish(L);
    case LUA_OPPOW: return powop(L);
    case LUA_OPUNM:
      if (!need(L, big_bytes(A.n))) return ERR;
      big_push(L, -A.sign, A.p, A.n);
      return 1;
  }
  return 0;
}

/** a ^ e for integer kinds: e must be a non-negative integer; the result is a bigint. */
function powop(L: usize): i32 {
  if (B.sign < 0) return luaL_error(L, "bigint exponent is negative");
  const e = big_toint(B);
  if (!big_fits) {                                   // a huge exponent: only 0, 1 and −1 survive it
    if (A.n == 0 || (A.n == 1 && load<u32>(A.p) == 1)) {
      const odd = (load<u32>(B.p) & 1) != 0;
      opnd_int(T, A.n == 0 ? 0 : (A.sign < 0 && odd ? -1 : 1));
      big_push(L, T.sign, T.p, T.n);
      return 1;
    }
    return lib_memerror(L);
  }
  const limbs = powlimbs(A, <u64>e);
  if (limbs < 0 || !need(L, big_bytes(<i32>limbs) + (<u64>limbs << 3) + mulneed(<i32>limbs, 0))) {
    if (limbs < 0) return lib_memerror(L);
    return ERR;
  }
  big_pow(A, <u64>e);
  return finish(L);
}

/** Bitwise operators and shifts on integer kinds. */
function bitarith(L: usize, op: i32): i32 {
  nat_resetabort();
  switch (op) {
    case LUA_OPBAND: case LUA_OPBOR: case LUA_OPBXOR: {
      const w = (A.n > B.n ? A.n : B.n) + 1;
      if (!need(L, big_bytes(w) + (<u64>w << 3))) return ERR;
      big_bitop(A, B, op == LUA_OPBAND ? 0 : op == LUA_OPBOR ? 1 : 2);
      return finish(L);
    }
    case LUA_OPBNOT:
      if (!need(L, big_bytes(A.n + 1) + (<u64>(A.n + 1) << 2))) return ERR;
      big_bnot(A);
      return finish(L);
    case LUA_OPSHL: case LUA_OPSHR: {
      let left = op == LUA_OPSHL;
      if (B.sign < 0) left = !left;
      const s = big_toint(B);
      const huge = !big_fits || s == i64.MIN_VALUE;
      const amount: u64 = huge ? u64.MAX_VALUE : <u64>(s < 0 ? -s : s);
      if (left && A.n != 0) {
        if (huge || amount > 0x3FFFFFFFF) return lib_memerror(L);
        const n = shllimbs(A, amount);
        if (!need(L, big_bytes(<i32>n) + (<u64>n << 2))) return ERR;
        big_shl(A, amount);
      } else if (left) {
        big_shl(A, 0);
      } else {
        if (!need(L, big_bytes(A.n + 1) + (<u64>(A.n + 1) << 2))) return ERR;
        big_shr(A, amount);
      }
      return finish(L);
    }
  }
  return 0;
}

function m_add(L: usize): i32 { return arith(L, LUA_OPADD); }
function m_sub(L: usize): i32 { return arith(L, LUA_OPSUB); }
function m_mul(L: usize): i32 { return arith(L, LUA_OPMUL); }
function m_div(L: usize): i32 { return arith(L, LUA_OPDIV); }
function m_mod(L: usize): i32 { return arith(L, LUA_OPMOD); }
function m_pow(L: usize): i32 { return arith(L, LUA_OPPOW); }
function m_idiv(L: usize): i32 { return arith(L, LUA_OPIDIV); }
function m_unm(L: usize): i32 { return arith(L, LUA_OPUNM); }
function m_band(L: usize): i32 { return arith(L, LUA_OPBAND); }
function m_bor(L: usize): i32 { return arith(L, LUA_OPBOR); }
function m_bxor(L: usize): i32 { return arith(L, LUA_OPBXOR); }
function m_shl(L: usize): i32 { return arith(L, LUA_OPSHL); }
function m_shr(L: usize): i32 { return arith(L, LUA_OPSHR); }
function m_bnot(L: usize): i32 { return arith(L, LUA_OPBNOT); }

// ==== Comparison ====

/** Compares the values at 1 and 2: -1, 0, 1, 2 (unordered: a NaN), or ERR - 10 after an error. */
function compare(L: usize): i32 {
  const o1 = index2value(L, 1), o2 = index2value(L, 2);
  const ka = classify(o1, A);
  const fa = fval;
  const kb = classify(o2, B);
  const fb = fval;
  if (ka == K_NONE || kb == K_NONE || ttisstring(o1) || ttisstring(o2)) {
    const b = buf_new();
    buf_addstr(b, "attempt to compare ");
    luaT_objtypename(o1, b);
    buf_addstr(b, " with ");
    luaT_objtypename(o2, b);
    luaL_errorb(L, b);
    buf_free(b);
    return -100;
  }
  if (ka == K_FLT && kb == K_FLT) return fa < fb ? -1 : fa > fb ? 1 : fa == fb ? 0 : 2;
  if (ka == K_FLT) { if (!(fa == fa)) return 2; return -big_cmpflt(B, fa, T); }
  if (kb == K_FLT) { if (!(fb == fb)) return 2; return big_cmpflt(A, fb, T); }
  return big_cmp(A, B);
}

function m_lt(L: usize): i32 {
  const c = compare(L);
  if (c == -100) return ERR;
  lua_pushboolean(L, c == -1);
  return 1;
}
function m_le(L: usize): i32 {
  const c = compare(L);
  if (c == -100) return ERR;
  lua_pushboolean(L, c == -1 || c == 0);
  return 1;
}
function m_eq(L: usize): i32 {
  const o1 = index2value(L, 1), o2 = index2value(L, 2);
  if (!isbig(o1) || !isbig(o2)) { lua_pushboolean(L, false); return 1; }
  opnd_big(A, uvalue(o1));
  opnd_big(B, uvalue(o2));
  lua_pushboolean(L, big_cmp(A, B) == 0);
  return 1;
}

/** bigint.eq(a, b): numeric equality across bigints, integers and floats. */
function b_eq(L: usize): i32 {
  const o1 = index2value(L, 1), o2 = index2value(L, 2);
  const ka = classify(o1, A);
  const fa = fval;
  const kb = classify(o2, B);
  const fb = fval;
  if (ka == K_NONE || kb == K_NONE || ttisstring(o1) || ttisstring(o2)) { lua_pushboolean(L, false); return 1; }
  let eq = false;
  if (ka == K_FLT && kb == K_FLT) eq = fa == fb;
  else if (ka == K_FLT) eq = fa == fa && big_cmpflt(B, fa, T) == 0;
  else if (kb == K_FLT) eq = fb == fb && big_cmpflt(A, fb, T) == 0;
  else eq = big_cmp(A, B) == 0;
  lua_pushboolean(L, eq);
  return 1;
}

// ==== Strings ====

/** Pushes the digits of op in base (with a '-' when negative); false after raising an error. */
function pushdigits(L: usize, op: Opnd, base: i32, prefix: string): bool {
  const bound = conv_digitsbound(nat_bitlen(op.p, op.n), base) + 8;
  if (!need(L, <u64>bound * 2 + <u64>convscratch(op.n) + 64)) return false;
  nat_resetabort();
  const out = luaM_alloc(<usize>bound);
  let pos = 0;
  if (op.sign < 0) { store<u8>(out, 45); pos = 1; }
  for (let i = 0; i < prefix.length; i++) store<u8>(out + <usize>(pos++), <u8>prefix.charCodeAt(i));
  const nd = nat_tostr(out + <usize>pos, op.p, op.n, base);
  if (!nat_aborted) lua_pushlstring(L, out, pos + nd);
  luaM_free(out, <usize>bound);
  return !nat_aborted;
}

function m_tostring(L: usize): i32 {
  if (!checkint(L, 1, A)) return ERR;
  return pushdigits(L, A, 10, "") ? 1 : ERR;
}

/** bigint.tostring(x [, base]): the digits of x in base 2..36 (default 10), lowercase. */
function b_tostring(L: usize): i32 {
  const ok = checkint(L, 1, A);
  const base = luaL_optinteger(L, 2, 10);
  if (!ok || argfail) return ERR;
  if (base < 2 || base > 36) return luaL_argerror(L, 2, "base out of range");
  return pushdigits(L, A, <i32>base, "") ? 1 : ERR;
}

/** bigint.key(x): a canonical string for x ("0x" hex digits, '-' first when negative). */
function b_key(L: usize): i32 {
  if (!checkint(L, 1, A)) return ERR;
  return pushdigits(L, A, 16, "0x") ? 1 : ERR;
}

/** Appends the text of a concatenation operand; false after raising the error. */
function addconcat(L: usize, b: Buffer, o: usize, other: usize): bool {
  if (ttisstring(o)) { buf_addbytes(b, getstr(tsvalue(o)), tsslen(tsvalue(o))); return true; }
  if (ttisinteger(o) || ttisfloat(o)) {
    const tmp = memory.data(48);
    const n = luaO_tostringbuff(o, tmp);
    buf_addbytes(b, tmp, n);
    return true;
  }
  if (isbig(o)) {
    opnd_big(C, uvalue(o));
    if (!pushdigits(L, C, 10, "")) return false;
    const s = tsvalue(L_top(L) - TVALUE_SIZE);
    buf_addbytes(b, getstr(s), tsslen(s));
    lua_settop(L, -2);
    return true;
  }
  typeerr(L, o, "concatenate");
  return false;
}

function m_concat(L: usize): i32 {
  const b = buf_new();
  let ok = addconcat(L, b, index2value(L, 1), index2value(L, 2));
  if (ok) ok = addconcat(L, b, index2value(L, 2), index2value(L, 1));
  if (ok) {
    if (fits(<u64>b.len + 64)) lua_pushlstring(L, b.ptr, b.len);
    else { lib_memerror(L); ok = false; }
  }
  buf_free(b);
  return ok ? 1 : ERR;
}

// ==== Construction ====

/** Parses the string (argument `arg` in messages; base 2..36, or 0: decimal or "0x" hex), pushes the bigint. */
function fromstring(L: usize, arg: i32, s: usize, len: i32, base: i32): i32 {
  let i = 0, e = len;
  while (i < e && isspace(load<u8>(s + <usize>i))) i++;
  while (e > i && isspace(load<u8>(s + <usize>(e - 1)))) e--;
  let sign = 1;
  if (i < e && (load<u8>(s + <usize>i) == 45 || load<u8>(s + <usize>i) == 43)) {
    if (load<u8>(s + <usize>i) == 45) sign = -1;
    i++;
  }
  if ((base == 0 || base == 16) && e - i > 2 && load<u8>(s + <usize>i) == 48 &&
      (load<u8>(s + <usize>(i + 1)) | 0x20) == 120) { base = 16; i += 2; }
  if (base == 0) base = 10;
  if (i >= e) return luaL_argerror(L, arg, "malformed number");
  for (let j = i; j < e; j++) if (digitvalue(load<u8>(s + <usize>j)) >= base) return luaL_argerror(L, arg, "malformed number");
  const cap = conv_limbsbound(e - i, base);
  if (!need(L, big_bytes(cap) + (<u64>cap << 2) + <u64>convscratch(cap))) return ERR;
  nat_resetabort();
  const r = luaM_alloc(<usize>cap << 2);
  const n = nat_fromstr(r, s + <usize>i, e - i, base);
  if (!nat_aborted) big_push(L, sign, r, n);
  luaM_free(r, <usize>cap << 2);
  return nat_aborted ? ERR : 1;
}
function isspace(c: u8): bool { return c == 32 || (c >= 9 && c <= 13); }

/** The constructor on the arguments from `first`: a bigint, an integer, an integral float or a string. */
function construct(L: usize, first: i32): i32 {
  const o = index2value(L, first);
  const b = index2value(L, first + 1);
  const hasbase = !ttisnil(b);
  if (ttisstring(o)) {
    if (hasbase && !ttisinteger(b)) return expected(L, first + 1, 2, "number");
    const base = hasbase ? ivalue(b) : 0;
    if (hasbase && (base < 2 || base > 36)) return luaL_argerror(L, 2, "base out of range");
    const ts = tsvalue(o);
    return fromstring(L, 1, getstr(ts), <i32>tsslen(ts), <i32>base);
  }
  if (hasbase) return expected(L, first, 1, "string");
  if (isbig(o)) { lua_pushvalue(L, first); return 1; }
  if (!checkintas(L, first, 1, A)) return ERR;
  big_push(L, A.sign, A.p, A.n);
  return 1;
}
/** bigint(x [, base]) through the library's __call (the library table comes first). */
function b_call(L: usize): i32 { return construct(L, 2); }
/** bigint.new(x [, base]). */
function b_new(L: usize): i32 { return construct(L, 1); }

// ==== Conversions and functions ====

function b_tointeger(L: usize): i32 {
  const o = index2value(L, 1);
  if (ttisinteger(o)) { lua_pushvalue(L, 1); return 1; }
  if (!isbig(o)) { if (!checkint(L, 1, A)) return ERR; } else opnd_big(A, uvalue(o));
  const v = big_toint(A);
  if (big_fits) lua_pushinteger(L, v); else lua_pushnil(L);
  return 1;
}

function b_tonumber(L: usize): i32 {
  if (!checkint(L, 1, A)) return ERR;
  lua_pushnumber(L, big_tonumber(A));
  return 1;
}

function b_isbigint(L: usize): i32 { lua_pushboolean(L, isbig(index2value(L, 1))); return 1; }

function b_divmod(L: usize): i32 {
  const ok = checkint(L, 1, A) && checkint(L, 2, B);
  if (!ok) return ERR;
  if (B.n == 0) return luaL_error(L, "attempt to divide by zero");
  if (!need(L, 2 * big_bytes(A.n + 1) + divneed(A.n, B.n))) return ERR;
  nat_resetabort();
  big_divmod(A, B, true);
  if (nat_aborted) { res_free(); return ERR; }
  res_push(L);
  big_divmod(A, B, false);
  if (nat_aborted) { res_free(); return ERR; }
  res_push(L);
  return 2;
}

/** bigint.pow(a, e [, m]): a^e, or (a^e) mod m (with m's sign, as %) computed by modular squaring. */
function b_pow(L: usize): i32 {
  const ok = checkint(L, 1, A) && checkint(L, 2, B);
  if (!ok) return ERR;
  if (ttisnil(index2value(L, 3))) return powop(L);
  if (!checkint(L, 3, C)) return ERR;
  if (B.sign < 0) return luaL_argerror(L, 2, "negative exponent");
  if (C.n == 0) return luaL_error(L, "attempt to perform 'n%0'");
  if (!need(L, big_bytes(C.n) + divneed(2 * C.n, C.n) + mulneed(C.n, C.n) + (<u64>C.n << 4))) return ERR;
  nat_resetabort();
  big_powmod(A, B, C);
  return finish(L);
}

function b_gcd(L: usize): i32 {
  const ok = checkint(L, 1, A) && checkint(L, 2, B);
  if (!ok) return ERR;
  const n = A.n > B.n ? A.n : B.n;
  if (!need(L, big_bytes(n) + divneed(n, n) + (<u64>(n + 1) << 4))) return ERR;
  nat_resetabort();
  big_gcd(A, B);
  return finish(L);
}

function b_sqrt(L: usize): i32 {
  if (!checkint(L, 1, A)) return ERR;
  if (A.sign < 0) return luaL_argerror(L, 1, "negative number");
  if (!need(L, big_bytes(A.n) + divneed(A.n, A.n) + (<u64>(A.n + 2) << 4))) return ERR;
  nat_resetabort();
  big_sqrt(A);
  return finish(L);
}

function b_abs(L: usize): i32 {
  if (!checkint(L, 1, A)) return ERR;
  if (!need(L, big_bytes(A.n))) return ERR;
  big_push(L, A.sign < 0 ? 1 : A.sign, A.p, A.n);
  return 1;
}

function b_sign(L: usize): i32 {
  if (!checkint(L, 1, A)) return ERR;
  lua_pushinteger(L, <i64>A.sign);
  return 1;
}

// ==== Opening ====

const libnames: string[] = ["new", "tostring", "tointeger", "tonumber", "divmod", "pow", "gcd", "sqrt", "abs",
  "sign", "eq", "key", "isbigint"];
const metanames: string[] = ["__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__idiv", "__band",
  "__bor", "__bxor", "__shl", "__shr", "__bnot", "__lt", "__le", "__eq", "__concat", "__tostring"];

/** The preload loader: returns the library table (the same one every time, from the registry). */
function luaopen_bigint(L: usize): i32 {
  lua_pushtvalue(L, ltable.luaH_getstr(registry, luaS_new("_BIGINTLIB")));
  return 1;
}

/**
 * Creates the bigint metatable and library table (registry "_BIGINT", "_BIGINTLIB") and registers
 * the loader as package.preload.bigint. Called by luaL_openlibs once the package library is open.
 */
export function luaopen_bigintmod(L: usize): void {
  const libfns: lua_CFunction[] = [b_new, b_tostring, b_tointeger, b_tonumber, b_divmod, b_pow, b_gcd, b_sqrt,
    b_abs, b_sign, b_eq, b_key, b_isbigint];
  const metafns: lua_CFunction[] = [m_add, m_sub, m_mul, m_div, m_mod, m_pow, m_unm, m_idiv, m_band, m_bor,
    m_bxor, m_shl, m_shr, m_bnot, m_lt, m_le, m_eq, m_concat, m_tostring];
  const lib = lua_createtable(L, 0, libnames.length);
  luaL_setfuncs(L, libnames, libfns);
  // bigint(x) calls the library table
  const lmt = lua_createtable(L, 0, 1);
  lua_pushcfunction(L, b_call);
  lua_rawsetfield(L, -2, "__call");
  ltable.setmetatableptr(lib, lmt);
  lua_settop(L, -2);
  regnative(b_call, "bigint.__call");
  const mt = lua_createtable(L, 0, metanames.length + 2);
  luaL_setfuncs(L, metanames, metafns);
  lua_pushtable(L, lib);
  lua_rawsetfield(L, -2, "__index");
  const nm = L_top(L);
  setsvalue(nm, luaS_new("bigint"));
  incr_top(L);
  lua_rawsetfield(L, -2, "__name");
  invalidateTMcache(mt);                            // a new table caches "no __eq": it has one now
  invalidateTMcache(lmt);
  big_setmt(mt);
  regset("_BIGINT", mt);
  regset("_BIGINTLIB", lib);
  lua_settop(L, -3);
  bigint_addpreload(registry);
}

/**
 * package.preload.bigint = the loader, in the _PRELOAD table of registry `reg` when it has none (also
 * for a snapshot of a build older than this library, persist/snapshot.ts).
 */
export function bigint_addpreload(reg: usize): void {
  const pre = ltable.luaH_getstr(reg, luaS_new("_PRELOAD"));
  if (!ttistable(pre)) return;
  const name = luaS_new("bigint");
  if (!ttisnil(ltable.luaH_getstr(hvalue(pre), name))) return;
  const k = memory.data(16), f = memory.data(16);
  setsvalue(k, name);
  const loader: lua_CFunction = luaopen_bigint;
  setfvalue(f, <u32>changetype<usize>(loader));
  ltable.luaH_set(hvalue(pre), k, f);
  luaC_barrierback(0, hvalue(pre));
}

function regset(name: string, t: usize): void {
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_new(name));
  sethvalue(v, t);
  ltable.luaH_set(registry, k, v);
  luaC_barrierback(0, registry);
}

