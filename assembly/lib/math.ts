// math.ts - the math library and its xoshiro256** generator (lmathlib.c).
// floor, ceil, abs, fmod, modf, max, min keep integers integral; float functions use AssemblyScript's
// Math (musl ports, so results agree with glibc to the last bit in practice and always under "%.14g").
// The generator state lives in a userdata that is the upvalue of random and randomseed, exactly as in
// lmathlib.c, so a saved state restores it; the same math.randomseed(n) gives lua5.4's sequence.
// Also registers the LUA_COMPAT_MATHLIB functions (atan2, cosh, sinh, tanh, pow, frexp, ldexp, log10)
// because the reference lua5.4 (Debian's build) has them.

import {
  luaL_newlib, luaL_error, luaL_argerror, luaL_checkinteger, luaL_optinteger, luaL_checknumber,
  luaL_optnumber, luaL_checkany, argfail,
} from "./aux";
import { lua_lessthan, lua_newuserdatauv } from "./libapi";
import {
  lua_gettop, lua_type, lua_settop, lua_pushvalue, lua_pushnil, lua_pushinteger, lua_pushnumber,
  lua_pushboolean, lua_pushliteral, lua_isinteger, lua_tointegerx, tonum_ok, lua_isnoneornil,
  lua_rawsetfield, lua_pushcclosure, lua_touserdata, lua_upvalueindex, lua_pop, index2value,
  isnone, lua_CFunction,
} from "../vm/api";
import { LUA_TNUMBER, ivalue, ttisfulluserdata, uvalue } from "../object/value";
import { ERR } from "../vm/state";
import { getudatamem, udata_len, udata_hostid } from "../object/userdata";
import { regcheck } from "./natives";
import { cl_nupvalues, ccl_upvalue } from "../object/func";
import { lua_time } from "../sys/imports";

// @ts-ignore: decorator
@inline const PI: f64 = 3.141592653589793238462643383279502884;

/** Pushes d as an integer when it has an exact integer value in range, else as a float (pushnumint). */
function pushnumint(L: usize, d: f64): void {
  if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) lua_pushinteger(L, <i64>d);
  else lua_pushnumber(L, d);
}

// ==== Integer-preserving functions ====

export function math_abs(L: usize): i32 {
  if (lua_isinteger(L, 1)) {
    const n = ivalue(index2value(L, 1));
    lua_pushinteger(L, n < 0 ? 0 - n : n);        // wraps for mininteger, as in C
  } else {
    const x = luaL_checknumber(L, 1);
    if (argfail) return ERR;
    lua_pushnumber(L, Math.abs(x));
  }
  return 1;
}

export function math_floor(L: usize): i32 {
  if (lua_isinteger(L, 1)) { lua_settop(L, 1); return 1; }
  const x = luaL_checknumber(L, 1);
  if (argfail) return ERR;
  pushnumint(L, Math.floor(x));
  return 1;
}

export function math_ceil(L: usize): i32 {
  if (lua_isinteger(L, 1)) { lua_settop(L, 1); return 1; }
  const x = luaL_checknumber(L, 1);
  if (argfail) return ERR;
  pushnumint(L, Math.ceil(x));
  return 1;
}

function math_fmod(L: usize): i32 {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    const d = ivalue(index2value(L, 2));
    if (<u64>d + 1 <= 1) {                        // special cases: -1 or 0
      if (d == 0) return luaL_argerror(L, 2, "zero");
      lua_pushinteger(L, 0);                      // avoids the trap of mininteger % -1
    } else lua_pushinteger(L, ivalue(index2value(L, 1)) % d);   // C remainder (truncating)
  } else {
    // lua5.4 (gcc, x86-64) evaluates the arguments of fmod(check(1), check(2)) right to left, so a
    // bad second argument is the one reported when both are bad
    const b = luaL_checknumber(L, 2);
    if (argfail) return ERR;
    const a = luaL_checknumber(L, 1);
    if (argfail) return ERR;
    lua_pushnumber(L, l_fmod(a, b));
  }
  return 1;
}

function math_modf(L: usize): i32 {
  if (lua_isinteger(L, 1)) {
    lua_settop(L, 1);
    lua_pushnumber(L, 0);
  } else {
    const n = luaL_checknumber(L, 1);
    if (argfail) return ERR;
    const ip = n < 0 ? Math.ceil(n) : Math.floor(n);   // rounds toward zero
    pushnumint(L, ip);
    lua_pushnumber(L, n == ip ? 0.0 : n - ip);      // the test handles inf
  }
  return 2;
}

function math_toint(L: usize): i32 {
  const n = lua_tointegerx(L, 1);
  if (tonum_ok) lua_pushinteger(L, n);
  else {
    luaL_checkany(L, 1);
    if (argfail) return ERR;
    lua_pushnil(L);
  }
  return 1;
}

function math_ult(L: usize): i32 {
  const a = luaL_checkinteger(L, 1);
  const b = luaL_checkinteger(L, 2);
  if (argfail) return ERR;
  lua_pushboolean(L, <u64>a < <u64>b);
  return 1;
}

function math_type(L: usize): i32 {
  if (lua_type(L, 1) == LUA_TNUMBER) lua_pushliteral(L, lua_isinteger(L, 1) ? "integer" : "float");
  else {
    luaL_checkany(L, 1);
    if (argfail) return ERR;
    lua_pushnil(L);
  }
  return 1;
}

/** Index of the least (sign < 0) or greatest argument by `<` with metamethods; 0 after an error. */
function minmax(L: usize, wantmax: bool): i32 {
  const n = lua_gettop(L);
  if (n < 1) { luaL_argerror(L, 1, "value expected"); return 0; }
  let best = 1;
  for (let i = 2; i <= n; i++) {
    const c = wantmax ? lua_lessthan(L, best, i) : lua_lessthan(L, i, best);
    if (c == ERR) return 0;
    if (c != 0) best = i;
  }
  return best;
}

function math_min(L: usize): i32 {
  const i = minmax(L, false);
  if (i == 0) return ERR;
  lua_pushvalue(L, i);
  return 1;
}

function math_max(L: usize): i32 {
  const i = minmax(L, true);
  if (i == 0) return ERR;
  lua_pushvalue(L, i);
  return 1;
}

// ==== Float functions ====
// glibc's NaN signs differ between functions (x86's default NaN is negative, but some functions
// return a positive one for domain errors); these helpers reproduce what lua5.4 prints.

/** A domain error's NaN as glibc's asin/acos/log10 return it: positive, unless x itself is NaN. */
// @ts-ignore: decorator
@inline function domainnan(r: f64, x: f64): f64 {
  return (r != r && x == x) ? reinterpret<f64>(0x7FF8000000000000) : r;
}
function l_log10(x: f64): f64 { return domainnan(Math.log10(x), x); }

/** C fmod with x86 glibc's NaN: invalid operands (x infinite or y zero) give a negative NaN. */
function l_fmod(a: f64, b: f64): f64 {
  const r = a % b;
  return (r != r && a == a && b == b) ? reinterpret<f64>(0xFFF8000000000000) : r;
}

/** Pushes f(checknumber(1)); the shape of most float functions. */
// @ts-ignore: decorator
@inline function float1(L: usize, op: i32): i32 {
  const x = luaL_checknumber(L, 1);
  if (argfail) return ERR;
  let r: f64;
  switch (op) {
    case 0: r = Math.sin(x); break;
    case 1: r = Math.cos(x); break;
    case 2: r = Math.tan(x); break;
    case 3: r = domainnan(Math.asin(x), x); break;
    case 4: r = domainnan(Math.acos(x), x); break;
    case 5: r = Math.sqrt(x); break;
    case 6: r = Math.exp(x); break;
    case 7: r = x * (180.0 / PI); break;
    case 8: r = x * (PI / 180.0); break;
    case 9: r = x != x ? x : Math.cosh(x); break;
    case 10: r = x != x ? x : Math.sinh(x); break;
    case 11: r = Math.tanh(x); break;
    default: r = l_log10(x); break;
  }
  lua_pushnumber(L, r);
  return 1;
}
function math_sin(L: usize): i32 { return float1(L, 0); }
function math_cos(L: usize): i32 { return float1(L, 1); }
function math_tan(L: usize): i32 { return float1(L, 2); }
function math_asin(L: usize): i32 { return float1(L, 3); }
function math_acos(L: usize): i32 { return float1(L, 4); }
export function math_sqrt(L: usize): i32 { return float1(L, 5); }
function math_exp(L: usize): i32 { return float1(L, 6); }
function math_deg(L: usize): i32 { return float1(L, 7); }
function math_rad(L: usize): i32 { return float1(L, 8); }
function math_cosh(L: usize): i32 { return float1(L, 9); }
function math_sinh(L: usize): i32 { return float1(L, 10); }
function math_tanh(L: usize): i32 { return float1(L, 11); }
function math_log10(L: usize): i32 { return float1(L, 12); }

function math_atan(L: usize): i32 {
  const y = luaL_checknumber(L, 1);
  const x = luaL_optnumber(L, 2, 1);
  if (argfail) return ERR;
  lua_pushnumber(L, Math.atan2(y, x));
  return 1;
}

function math_log(L: usize): i32 {
  const x = luaL_checknumber(L, 1);
  if (argfail) return ERR;
  let res: f64;
  if (lua_isnoneornil(L, 2)) res = Math.log(x);
  else {
    const base = luaL_checknumber(L, 2);
    if (argfail) return ERR;
    if (base == 2.0) res = Math.log2(x);
    else if (base == 10.0) res = l_log10(x);
    else res = Math.log(x) / Math.log(base);
  }
  lua_pushnumber(L, res);
  return 1;
}

function math_pow(L: usize): i32 {
  const x = luaL_checknumber(L, 1);
  const y = luaL_checknumber(L, 2);
  if (argfail) return ERR;
  lua_pushnumber(L, Math.pow(x, y));
  return 1;
}

/** frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x for 0, inf and NaN, with e = 0). */
function math_frexp(L: usize): i32 {
  let x = luaL_checknumber(L, 1);
  if (argfail) return ERR;
  let e: i32 = 0;
  if (x != 0 && x == x && Math.abs(x) != Infinity) {
    let bits = reinterpret<u64>(x);
    let ex = <i32>((bits >> 52) & 0x7FF);
    if (ex == 0) {                                // subnormal: normalise first
      x *= 18446744073709551616.0;                // 2^64
      bits = reinterpret<u64>(x);
      ex = <i32>((bits >> 52) & 0x7FF) - 64;
    }
    e = ex - 1022;
    x = reinterpret<f64>((reinterpret<u64>(x) & 0x800FFFFFFFFFFFFF) | (<u64>1022 << 52));
  }
  lua_pushnumber(L, x);
  lua_pushinteger(L, e);
  return 2;
}

function math_ldexp(L: usize): i32 {
  const x = luaL_checknumber(L, 1);
  const ep = luaL_checkinteger(L, 2);
  if (argfail) return ERR;
  lua_pushnumber(L, NativeMath.scalbn(x, <i32>ep));   // (int) cast as lmathlib
  return 1;
}

// ==== Pseudo-random generator: xoshiro256** ====
// State: four u64 words in the raw bytes of the userdata upvalue.

function rotl(x: u64, n: u64): u64 { return (x << n) | (x >> (64 - n)); }

/** Advances the state at s and returns the next 64 random bits (nextrand). */
function nextrand(s: usize): u64 {
  const s0 = load<u64>(s), s1 = load<u64>(s, 8);
  const s2 = load<u64>(s, 16) ^ s0;
  const s3 = load<u64>(s, 24) ^ s1;
  const res = rotl(s1 * 5, 7) * 9;
  store<u64>(s, s0 ^ s3);
  store<u64>(s, s1 ^ s2, 8);
  store<u64>(s, s2 ^ (s1 << 17), 16);
  store<u64>(s, rotl(s3, 45), 24);
  return res;
}

/** The top 53 bits as a float in [0, 1) (I2d). */
// @ts-ignore: decorator
@inline function I2d(x: u64): f64 { return <f64>(x >> 11) * 1.1102230246251565e-16; }   // 2^-53

/** Projects ran into [0, n] without bias, drawing again when outside (project). */
function project(ran: u64, n: u64, s: usize): u64 {
  if ((n & (n + 1)) == 0) return ran & n;        // n + 1 is a power of 2
  let lim = n;
  lim |= lim >> 1; lim |= lim >> 2; lim |= lim >> 4;
  lim |= lim >> 8; lim |= lim >> 16; lim |= lim >> 32;
  while ((ran &= lim) > n) ran = nextrand(s);
  return ran;
}

function math_random(L: usize): i32 {
  const s = getudatamem(lua_touserdata(L, lua_upvalueindex(1)));
  const rv = nextrand(s);
  let low: i64, up: i64;
  switch (lua_gettop(L)) {
    case 0: lua_pushnumber(L, I2d(rv)); return 1;
    case 1: {
      low = 1;
      up = luaL_checkinteger(L, 1);
      if (argfail) return ERR;
      if (up == 0) { lua_pushinteger(L, <i64>rv); return 1; }   // the full 64 bits
      break;
    }
    case 2: {
      low = luaL_checkinteger(L, 1);
      up = luaL_checkinteger(L, 2);
      if (argfail) return ERR;
      break;
    }
    default: return luaL_error(L, "wrong number of arguments");
  }
  if (low > up) return luaL_argerror(L, 1, "interval is empty");
  const p = project(rv, <u64>up - <u64>low, s);
  lua_pushinteger(L, <i64>(p + <u64>low));
  return 1;
}

/** Seeds the state with n1, n2 and discards 16 values; pushes both seeds (setseed). */
function setseed(L: usize, s: usize, n1: u64, n2: u64): void {
  store<u64>(s, n1);
  store<u64>(s, 0xff, 8);                         // avoids a zero state
  store<u64>(s, n2, 16);
  store<u64>(s, 0, 24);
  for (let i = 0; i < 16; i++) nextrand(s);
  lua_pushinteger(L, <i64>n1);
  lua_pushinteger(L, <i64>n2);
}

/** A seed from the host clock and the state's address (randseed). */
function randseed(L: usize, s: usize): void {
  setseed(L, s, <u64>Math.floor(lua_time() / 1000), <u64>L);
}

function math_randomseed(L: usize): i32 {
  const s = getudatamem(lua_touserdata(L, lua_upvalueindex(1)));
  if (isnone(L, 1)) randseed(L, s);
  else {
    const n1 = luaL_checkinteger(L, 1);
    const n2 = luaL_optinteger(L, 2, 0);
    if (argfail) return ERR;
    setseed(L, s, <u64>n1, <u64>n2);
  }
  return 2;
}

/** Bytes of the generator state (xoshiro256**: four u64). */
// @ts-ignore: decorator
@inline const RANDSTATE_SIZE: u32 = 32;

/** A restored random/randomseed must hold a generator state (lib/natives.ts regcheck). */
function checkrandom(cl: usize): string {
  const u = ccl_upvalue(cl, 0);
  const ok = cl_nupvalues(cl) == 1 && ttisfulluserdata(u) && udata_len(uvalue(u)) >= RANDSTATE_SIZE
    && udata_hostid(uvalue(u)) == 0;
  return ok ? "" : "bad random state";
}

// ==== Registration ====

export function luaopen_math(L: usize): i32 {
  const names: string[] = [
    "abs", "ceil", "floor", "fmod", "modf", "tointeger", "ult", "type", "min", "max",
    "sin", "cos", "tan", "asin", "acos", "atan", "sqrt", "exp", "log", "deg", "rad",
    "atan2", "cosh", "sinh", "tanh", "pow", "frexp", "ldexp", "log10",
  ];
  const fns: lua_CFunction[] = [
    math_abs, math_ceil, math_floor, math_fmod, math_modf, math_toint, math_ult, math_type, math_min,
    math_max, math_sin, math_cos, math_tan, math_asin, math_acos, math_atan, math_sqrt, math_exp,
    math_log, math_deg, math_rad,
    math_atan, math_cosh, math_sinh, math_tanh, math_pow, math_frexp, math_ldexp, math_log10,
  ];
  luaL_newlib(L, names, fns);
  lua_pushnumber(L, PI); lua_rawsetfield(L, -2, "pi");
  lua_pushnumber(L, Infinity); lua_rawsetfield(L, -2, "huge");
  lua_pushinteger(L, i64.MAX_VALUE); lua_rawsetfield(L, -2, "maxinteger");
  lua_pushinteger(L, i64.MIN_VALUE); lua_rawsetfield(L, -2, "mininteger");
  // random and randomseed share the generator state as their upvalue (setrandfunc)
  const s = lua_newuserdatauv(L, RANDSTATE_SIZE, 0);
  randseed(L, s);
  lua_pop(L, 2);                                  // the seeds
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, math_random, 1);
  lua_rawsetfield(L, -3, "random");
  lua_pushcclosure(L, math_randomseed, 1);
  lua_rawsetfield(L, -2, "randomseed");
  regcheck(math_random, checkrandom);
  regcheck(math_randomseed, checkrandom);
  return 1;
}
