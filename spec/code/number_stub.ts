// number_stub.ts - TEMPORARY stand-in for assembly/object/number.ts used only by the compiler
// harness (run.mjs copies it into its private build tree when the real file is absent).
// Exports the same two functions the lexer and folder need.

import { setivalue, setfltvalue, ttisinteger, ivalue, fltvalue } from "./value";
import { Buffer, buf_new, buf_free, buf_addbyte, buf_addstr, buf_addint } from "../mem/buffer";

function isspace(c: i32): bool { return c == 32 || (c >= 9 && c <= 13); }
function hexval(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

export function luaO_str2num(s: usize, len: i32, out: usize): i32 {
  let i = 0, e = len;
  while (i < e && isspace(load<u8>(s + <usize>i))) i++;
  while (e > i && isspace(load<u8>(s + <usize>(e - 1)))) e--;
  if (i >= e) return 0;
  let neg = false;
  let j = i;
  const c0 = load<u8>(s + <usize>j);
  if (c0 == 45) { neg = true; j++; } else if (c0 == 43) j++;
  if (j + 1 < e && load<u8>(s + <usize>j) == 48 && (load<u8>(s + <usize>(j + 1)) | 32) == 120) {
    j += 2;
    let m: u64 = 0; let f: f64 = 0; let any = false; let exp = 0; let dot = false; let isflt = false;
    while (j < e) {
      const c = load<u8>(s + <usize>j);
      const h = hexval(c);
      if (h >= 0) { m = (m << 4) + <u64>h; f = f * 16 + h; any = true; if (dot) exp -= 4; j++; }
      else if (c == 46 && !dot) { dot = true; isflt = true; j++; }
      else break;
    }
    if (!any) return 0;
    if (j < e && (load<u8>(s + <usize>j) | 32) == 112) {
      isflt = true; j++;
      let eneg = false;
      if (j < e && (load<u8>(s + <usize>j) == 45 || load<u8>(s + <usize>j) == 43)) { eneg = load<u8>(s + <usize>j) == 45; j++; }
      if (j >= e || hexval(load<u8>(s + <usize>j)) < 0 || load<u8>(s + <usize>j) > 57) return 0;
      let ev = 0;
      while (j < e && load<u8>(s + <usize>j) >= 48 && load<u8>(s + <usize>j) <= 57) { ev = ev * 10 + load<u8>(s + <usize>j) - 48; if (ev > 100000) ev = 100000; j++; }
      exp += eneg ? -ev : ev;
    }
    if (j != e) return 0;
    if (!isflt) { setivalue(out, neg ? -<i64>m : <i64>m); return len + 1; }
    let r = f * Math.pow(2, exp);
    setfltvalue(out, neg ? -r : r);
    return len + 1;
  }
  // decimal
  let k = j; let digits = 0; let dot = false; let isflt = false;
  while (k < e) {
    const c = load<u8>(s + <usize>k);
    if (c >= 48 && c <= 57) { digits++; k++; }
    else if (c == 46 && !dot) { dot = true; isflt = true; k++; }
    else break;
  }
  if (digits == 0) return 0;
  if (k < e && (load<u8>(s + <usize>k) | 32) == 101) {
    isflt = true; k++;
    if (k < e && (load<u8>(s + <usize>k) == 45 || load<u8>(s + <usize>k) == 43)) k++;
    let ed = 0;
    while (k < e && load<u8>(s + <usize>k) >= 48 && load<u8>(s + <usize>k) <= 57) { k++; ed++; }
    if (ed == 0) return 0;
  }
  if (k != e) return 0;
  if (!isflt) {
    let v: u64 = 0; let ovf = false;
    for (let q = j; q < e; q++) {
      const d = <u64>(load<u8>(s + <usize>q) - 48);
      if (v > (0x7FFFFFFFFFFFFFFF - d) / 10) { ovf = true; break; }
      v = v * 10 + d;
    }
    if (!ovf) { setivalue(out, neg ? -<i64>v : <i64>v); return len + 1; }
  }
  let str = "";
  for (let q = i; q < e; q++) str += String.fromCharCode(load<u8>(s + <usize>q));
  setfltvalue(out, parseFloat(str));
  return len + 1;
}

function tointeger(o: usize, ok: StaticArray<i32>): i64 {
  if (ttisinteger(o)) { ok[0] = 1; return ivalue(o); }
  const f = fltvalue(o);
  if (f == Math.floor(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0) { ok[0] = 1; return <i64>f; }
  ok[0] = 0; return 0;
}
function tonum(o: usize): f64 { return ttisinteger(o) ? <f64>ivalue(o) : fltvalue(o); }
function shiftl(x: i64, y: i64): i64 {
  if (y <= -64 || y >= 64) return 0;
  if (y >= 0) return <i64>(<u64>x << <u64>y);
  return <i64>(<u64>x >> <u64>(-y));
}

export function luaO_rawarith(op: i32, p1: usize, p2: usize, res: usize): bool {
  if (op >= 7 && op <= 11 || op == 13) {
    const ok = new StaticArray<i32>(1);
    const a = tointeger(p1, ok); if (!ok[0]) return false;
    const b = tointeger(p2, ok); if (!ok[0]) return false;
    let r: i64 = 0;
    switch (op) {
      case 7: r = a & b; break;
      case 8: r = a | b; break;
      case 9: r = a ^ b; break;
      case 10: r = shiftl(a, b); break;
      case 11: r = shiftl(a, -b); break;
      case 13: r = ~a; break;
    }
    setivalue(res, r);
    return true;
  }
  if (op != 4 && op != 5 && ttisinteger(p1) && ttisinteger(p2)) {
    const a = ivalue(p1), b = ivalue(p2);
    let r: i64 = 0;
    switch (op) {
      case 0: r = a + b; break;
      case 1: r = a - b; break;
      case 2: r = a * b; break;
      case 3: {
        if (b == 0) return false;
        if (b == -1) { r = 0; break; }
        r = a % b; if (r != 0 && (r ^ b) < 0) r += b; break;
      }
      case 6: {
        if (b == 0) return false;
        if (b == -1) { r = -a; break; }
        r = a / b; if ((a % b != 0) && ((a ^ b) < 0)) r -= 1; break;
      }
      case 12: r = -a; break;
    }
    setivalue(res, r);
    return true;
  }
  const a = tonum(p1), b = tonum(p2);
  let r: f64 = 0;
  switch (op) {
    case 0: r = a + b; break;
    case 1: r = a - b; break;
    case 2: r = a * b; break;
    case 3: { r = a % b; if (r != 0 && (r > 0) != (b > 0)) r += b; break; }
    case 4: r = b == 2 ? a * a : Math.pow(a, b); break;
    case 5: r = a / b; break;
    case 6: r = Math.floor(a / b); break;
    case 12: r = -a; break;
  }
  setfltvalue(res, r);
  return true;
}

// ==== Number → string (approximate %.14g; the real number.ts is exact) ====

/** Appends x formatted like C's "%.14g" (LUAI_NUMFFORMAT). */
function addfmt14g(b: Buffer, x: f64): void {
  if (isNaN(x)) { buf_addstr(b, (reinterpret<i64>(x) < 0) ? "-nan" : "nan"); return; }
  if (x < 0 || (x == 0 && 1 / x < 0)) { buf_addbyte(b, 45); x = -x; }
  if (!isFinite(x)) { buf_addstr(b, "inf"); return; }
  if (x == 0) { buf_addbyte(b, 48); return; }
  // 14 significant digits: d = round(x / 10^(e-13)), 10^13 <= d < 10^14
  let e = <i32>Math.floor(Math.log10(x));
  let d = scaledround(x, 13 - e);
  if (d >= 1e14) { e++; d = scaledround(x, 13 - e); }
  else if (d < 1e13) { e--; d = scaledround(x, 13 - e); }
  let digits = (<u64>d).toString();                // 14 digits
  if (e < -4 || e >= 14) {                          // exponential form
    let m = digits;
    while (m.length > 1 && m.charCodeAt(m.length - 1) == 48) m = m.substring(0, m.length - 1);
    buf_addbyte(b, m.charCodeAt(0));
    if (m.length > 1) { buf_addbyte(b, 46); buf_addstr(b, m.substring(1)); }
    buf_addbyte(b, 101);
    buf_addbyte(b, e < 0 ? 45 : 43);
    const ae = e < 0 ? -e : e;
    if (ae < 10) buf_addbyte(b, 48);
    buf_addint(b, ae);
    return;
  }
  // fixed form: digits with the point after e+1 digits, trailing zeros removed
  let s: string;
  if (e >= 0) s = digits.substring(0, e + 1) + "." + digits.substring(e + 1);
  else { s = "0."; for (let i = 0; i < -e - 1; i++) s += "0"; s += digits; }
  while (s.charCodeAt(s.length - 1) == 48) s = s.substring(0, s.length - 1);
  if (s.charCodeAt(s.length - 1) == 46) s = s.substring(0, s.length - 1);
  buf_addstr(b, s);
}

function scaledround(x: f64, p: i32): f64 {
  return p >= 0 ? Math.round(x * Math.pow(10, p)) : Math.round(x / Math.pow(10, -p));
}


/** Text of a number as tostring gives it; buf has MAXNUMBER2STR bytes; returns the length. */
export function luaO_tostringbuff(v: usize, buf: usize): i32 {
  const b = buf_new();
  if (ttisinteger(v)) buf_addint(b, ivalue(v));
  else {
    addfmt14g(b, fltvalue(v));
    let allnum = true;
    for (let j = 0; j < b.len; j++) {
      const c = load<u8>(b.ptr + <usize>j);
      if (!(c == 45 || (c >= 48 && c <= 57))) { allnum = false; break; }
    }
    if (allnum) buf_addstr(b, ".0");
  }
  const n = b.len;
  memory.copy(buf, b.ptr, <usize>n);
  buf_free(b);
  return n;
}
