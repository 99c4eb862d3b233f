// number.ts (unit) - test entry exposing object/number.ts and object/numfmt.ts to the vitest
// differential test (number.test.ts), which compares every result with lua5.4.
// Inputs go in through `inbuf`, text results come out through `outbuf`, number results as raw bits.

import * as lnum from "../../assembly/object/number";
import { Buffer, buf_new, buf_reset } from "../../assembly/mem/buffer";
import { setivalue, setfltvalue, setsvalue, setnilvalue, ttisinteger, ttisstring, tsvalue, rawpayload } from "../../assembly/object/value";
import { luaS_init, luaS_newlstr, getstr, tsslen } from "../../assembly/object/string";

const IN: usize = memory.data(8192, 8);
const OUT: usize = memory.data(8192, 8);
const TV1: usize = memory.data(16, 8);
const TV2: usize = memory.data(16, 8);
const TV3: usize = memory.data(16, 8);
let fb: Buffer | null = null;

export function inbuf(): usize { return IN; }
export function outbuf(): usize { return OUT; }

/** tonumber: 0 = fail, 1 = integer, 2 = float; the 64 payload bits go to OUT. */
export function t_str2num(len: i32): i32 {
  const r = lnum.luaO_str2num(IN, len, TV3);
  if (r == 0) return 0;
  if (r != len + 1) return -1;
  store<i64>(OUT, rawpayload(TV3));
  return ttisinteger(TV3) ? 1 : 2;
}

export function t_tostr_f(x: f64): i32 { setfltvalue(TV1, x); return lnum.luaO_tostringbuff(TV1, OUT); }
export function t_tostr_i(x: i64): i32 { setivalue(TV1, x); return lnum.luaO_tostringbuff(TV1, OUT); }

/** string.format of one float conversion; the text goes to OUT. */
export function t_fmt(x: f64, conv: i32, prec: i32, flags: i32, width: i32): i32 {
  if (fb == null) fb = buf_new();
  const b = changetype<Buffer>(fb);
  buf_reset(b);
  lnum.lua_fmtfloat(b, x, conv, prec, flags, width);
  memory.copy(OUT, b.ptr, <usize>b.len);
  return b.len;
}

/** string.format of one integer conversion; the text goes to OUT. */
export function t_fmtint(v: i64, conv: i32, prec: i32, flags: i32, width: i32): i32 {
  if (fb == null) fb = buf_new();
  const b = changetype<Buffer>(fb);
  buf_reset(b);
  lnum.lua_fmtint(b, v, conv, prec, flags, width);
  memory.copy(OUT, b.ptr, <usize>b.len);
  return b.len;
}

function mk(tv: usize, isflt: i32, bits: i64): void {
  if (isflt) setfltvalue(tv, reinterpret<f64>(bits)); else setivalue(tv, bits);
}

/** luaO_rawarith: 0 = fail, 1 = integer, 2 = float; bits to OUT. */
export function t_arith(op: i32, f1: i32, b1: i64, f2: i32, b2: i64): i32 {
  mk(TV1, f1, b1); mk(TV2, f2, b2);
  if (!lnum.luaO_rawarith(op, TV1, TV2, TV3)) return 0;
  store<i64>(OUT, rawpayload(TV3));
  return ttisinteger(TV3) ? 1 : 2;
}

export function t_idiv(m: i64, n: i64): i64 { return lnum.luaV_idiv(m, n); }
export function t_mod(m: i64, n: i64): i64 { return lnum.luaV_mod(m, n); }
export function t_modf(a: f64, b: f64): f64 { return lnum.luaV_modf(a, b); }
export function t_pow(a: f64, b: f64): f64 { return lnum.luai_numpow(a, b); }
export function t_shiftl(x: i64, y: i64): i64 { return lnum.luaV_shiftl(x, y); }
export function t_ceillog2(x: u32): i32 { return lnum.luaO_ceillog2(x); }

/** luaV_flttointns: 1 on success with the integer in OUT. */
export function t_flttoint(n: f64, mode: i32): i32 { return lnum.luaV_flttointns(n, OUT, mode) ? 1 : 0; }

/**
 * String coercions on a Lua string made from IN[0, len) (len < 0: a nil value):
 * which 0 = l_strton, 1 = luaV_tointegerns (F2Ieq), 2 = luaV_tonumber_. Returns 0 = fail, else
 * as t_str2num (1 integer / 2 float, bits in OUT).
 */
export function t_coerce(len: i32, which: i32): i32 {
  luaS_init();
  if (len < 0) setnilvalue(TV1); else setsvalue(TV1, luaS_newlstr(IN, len));
  if (which == 0) {
    if (!lnum.l_strton(TV1, TV3)) return 0;
    store<i64>(OUT, rawpayload(TV3));
    return ttisinteger(TV3) ? 1 : 2;
  }
  if (which == 1) return lnum.luaV_tointegerns(TV1, OUT, lnum.F2Ieq) ? 1 : 0;
  return lnum.luaV_tonumber_(TV1, OUT) ? 2 : 0;
}

/** luaO_tostring on a float: replaces the value by a string; copies its bytes to OUT. */
export function t_tostring_obj(x: f64): i32 {
  luaS_init();
  setfltvalue(TV1, x);
  lnum.luaO_tostring(TV1);
  if (!ttisstring(TV1)) return -1;
  const ts = tsvalue(TV1);
  memory.copy(OUT, getstr(ts), <usize>tsslen(ts));
  return tsslen(ts);
}

/** Timing helpers: n conversions inside wasm (no boundary cost). */
export function t_bench_tostr(n: i32, x: f64, step: f64): i32 {
  let s = 0;
  for (let i = 0; i < n; i++) { setfltvalue(TV1, x); s += lnum.luaO_tostringbuff(TV1, OUT); x += step; }
  return s;
}
export function t_bench_str2num(n: i32, len: i32): i32 {
  let s = 0;
  for (let i = 0; i < n; i++) s += lnum.luaO_str2num(IN, len, TV3);
  return s;
}
