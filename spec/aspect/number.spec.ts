// number.spec.ts - object/number.ts and numfmt.ts in isolation: string→number (decimal, hex,
// exponents, surrounding spaces, what is not a numeral), number→string as lua5.4's "%.14g" and
// LUA_INTEGER_FMT (with ".0" for integral floats, inf/nan), and the integer operations whose
// semantics are Lua's rather than wasm's (floor division and modulo, shifts by 64 or more).
import { luaO_str2num, luaO_tostringbuff, luaV_idiv, luaV_mod, luaV_modf, luaV_shiftl, luaV_shiftr, luaO_ceillog2 } from "../../assembly/object/number";
import { setivalue, setfltvalue, ttisinteger, ttisfloat, ivalue, fltvalue } from "../../assembly/object/value";

const SRC: usize = memory.data(128);
const OUT: usize = memory.data(16, 8);
const V: usize = memory.data(16, 8);
const BUF: usize = memory.data(64);

/** luaO_str2num on an ASCII string: the bytes consumed + 1, or 0 when it is not a numeral. */
function str2num(s: string): i32 {
  for (let i = 0; i < s.length; i++) store<u8>(SRC + <usize>i, <u8>s.charCodeAt(i));
  store<u8>(SRC + <usize>s.length, 0);
  return luaO_str2num(SRC, s.length, OUT);
}
function text(n: i32): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(load<u8>(BUF + <usize>i));
  return s;
}
function fmtf(x: f64): string { setfltvalue(V, x); return text(luaO_tostringbuff(V, BUF)); }
function fmti(x: i64): string { setivalue(V, x); return text(luaO_tostringbuff(V, BUF)); }

describe("string to number", () => {
  it("reads integers, keeping them integers, and wraps hex integers", () => {
    expect(str2num("42")).toBe(3);
    expect(ttisinteger(OUT)).toBe(true);
    expect(ivalue(OUT)).toBe(42);
    expect(str2num("  -17  ")).toBe(8);
    expect(ivalue(OUT)).toBe(-17);
    expect(str2num("0x10")).toBe(5);
    expect(ivalue(OUT)).toBe(16);
    expect(str2num("0xffffffffffffffff")).toBeGreaterThan(0);
    expect(ivalue(OUT)).toBe(-1);                            // hex integers wrap around
  });

  it("turns decimal integers too large for 64 bits into floats", () => {
    expect(str2num("9223372036854775808")).toBeGreaterThan(0);
    expect(ttisfloat(OUT)).toBe(true);
    expect(fltvalue(OUT)).toBe(9223372036854775808.0);
    expect(str2num("9223372036854775807")).toBeGreaterThan(0);
    expect(ivalue(OUT)).toBe(i64.MAX_VALUE);
  });

  it("reads floats: fractions, exponents, hex floats", () => {
    expect(str2num("3.25")).toBeGreaterThan(0);
    expect(fltvalue(OUT)).toBe(3.25);
    expect(str2num(".5e2")).toBeGreaterThan(0);
    expect(fltvalue(OUT)).toBe(50.0);
    expect(str2num("0x1p4")).toBeGreaterThan(0);
    expect(fltvalue(OUT)).toBe(16.0);
    expect(str2num("0xA.8p0")).toBeGreaterThan(0);
    expect(fltvalue(OUT)).toBe(10.5);
    expect(str2num("1e308")).toBeGreaterThan(0);
    expect(fltvalue(OUT)).toBe(1e308);
    expect(str2num("0.1")).toBeGreaterThan(0);
    expect(fltvalue(OUT)).toBe(0.1);                         // correctly rounded
  });

  it("refuses what is not a numeral", () => {
    expect(str2num("")).toBe(0);
    expect(str2num("  ")).toBe(0);
    expect(str2num("1e")).toBe(0);
    expect(str2num("0x")).toBe(0);
    expect(str2num("1 2")).toBe(0);
    expect(str2num("inf")).toBe(0);
    expect(str2num("nan")).toBe(0);
    expect(str2num("--1")).toBe(0);
  });
});

describe("number to string", () => {
  it("prints integers in full", () => {
    expect(fmti(0)).toBe("0");
    expect(fmti(-42)).toBe("-42");
    expect(fmti(i64.MIN_VALUE)).toBe("-9223372036854775808");
  });

  it("prints floats with %.14g, adding .0 when they look like integers", () => {
    expect(fmtf(1.0)).toBe("1.0");
    expect(fmtf(-0.0)).toBe("-0.0");
    expect(fmtf(0.1)).toBe("0.1");
    expect(fmtf(1.0 / 3.0)).toBe("0.33333333333333");
    expect(fmtf(1e15)).toBe("1e+15");
    expect(fmtf(123456789012345.0)).toBe("1.2345678901234e+14");
    expect(fmtf(9223372036854775808.0)).toBe("9.2233720368548e+18");
    expect(fmtf(2.5e-7)).toBe("2.5e-07");
    expect(fmtf(100.0)).toBe("100.0");
  });

  it("prints infinities and NaN as C does", () => {
    expect(fmtf(Infinity)).toBe("inf");
    expect(fmtf(-Infinity)).toBe("-inf");
    const n = fmtf(NaN);
    expect(n == "nan" || n == "-nan").toBe(true);
  });
});

describe("integer operations with Lua's semantics", () => {
  it("floor division and modulo round toward minus infinity", () => {
    expect(luaV_idiv(7, 2)).toBe(3);
    expect(luaV_idiv(-7, 2)).toBe(-4);
    expect(luaV_idiv(7, -2)).toBe(-4);
    expect(luaV_mod(-7, 2)).toBe(1);
    expect(luaV_mod(7, -2)).toBe(-1);
    expect(luaV_idiv(i64.MIN_VALUE, -1)).toBe(i64.MIN_VALUE);   // wraps, no trap
    expect(luaV_mod(i64.MIN_VALUE, -1)).toBe(0);
  });

  it("float modulo takes the divisor's sign", () => {
    expect(luaV_modf(-5.5, 2.0)).toBe(0.5);
    expect(luaV_modf(5.5, -2.0)).toBe(-0.5);
  });

  it("shifts by 64 or more give 0, negative shifts go the other way", () => {
    expect(luaV_shiftl(1, 63)).toBe(i64.MIN_VALUE);
    expect(luaV_shiftl(1, 64)).toBe(0);
    expect(luaV_shiftr(-1, 1)).toBe(i64.MAX_VALUE);            // logical shift
    expect(luaV_shiftl(8, -2)).toBe(2);
    expect(luaV_shiftr(1, -3)).toBe(8);
  });

  it("ceillog2 is the exponent of the next power of 2", () => {
    expect(luaO_ceillog2(1)).toBe(0);
    expect(luaO_ceillog2(2)).toBe(1);
    expect(luaO_ceillog2(3)).toBe(2);
    expect(luaO_ceillog2(1024)).toBe(10);
    expect(luaO_ceillog2(1025)).toBe(11);
  });
});
