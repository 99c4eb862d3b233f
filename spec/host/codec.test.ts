// codec.test.ts - the result decoder on hand-built byte buffers (no wasm needed): value tags,
// the integer policy, table shapes and shared/cyclic tables.
import { describe, expect, it } from "vitest";
import { decodeError, decodeValues, LuaOpaque } from "../../host/codec.js";

/** Builds a result buffer from little-endian pieces. */
class Bytes {
  private parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u32(v: number): this {
    for (let i = 0; i < 4; i++) this.u8(v >>> (8 * i));
    return this;
  }
  i64(v: bigint): this {
    const b = new DataView(new ArrayBuffer(8));
    b.setBigInt64(0, v, true);
    for (let i = 0; i < 8; i++) this.u8(b.getUint8(i));
    return this;
  }
  f64(v: number): this {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.u8(b.getUint8(i));
    return this;
  }
  str(s: string | Uint8Array): this {
    const b = typeof s === "string" ? new TextEncoder().encode(s) : s;
    this.u32(b.length);
    b.forEach((x) => this.u8(x));
    return this;
  }
  int(v: number | bigint): this {
    return this.u8(3).i64(BigInt(v));
  }
  string(s: string): this {
    return this.u8(5).str(s);
  }
  table(id: number): this {
    return this.u8(6).u32(id);
  }
  end(): this {
    return this.u8(0xff);
  }
  done(): Uint8Array {
    return new Uint8Array(this.parts);
  }
}

describe("decodeValues", () => {
  it("decodes nil, booleans, integers, floats and strings in order", () => {
    const b = new Bytes().u32(6).u8(0).u8(1).u8(2).int(42).u8(4).f64(1.5).string("héllo").done();
    expect(decodeValues(b)).toEqual([null, false, true, 42, 1.5, "héllo"]);
  });

  it("returns integers beyond 2^53 as bigint and safe integers as number", () => {
    const b = new Bytes()
      .u32(4)
      .int(2n ** 53n - 1n)
      .int(2n ** 53n + 1n)
      .int(-(2n ** 63n))
      .int(-(2n ** 53n - 1n))
      .done();
    expect(decodeValues(b)).toEqual([2 ** 53 - 1, 2n ** 53n + 1n, -(2n ** 63n), -(2 ** 53 - 1)]);
  });

  it("keeps float specials such as NaN, infinity and negative zero", () => {
    const b = new Bytes().u32(3).u8(4).f64(NaN).u8(4).f64(-Infinity).u8(4).f64(-0).done();
    const [nan, inf, negz] = decodeValues(b) as number[];
    expect(Number.isNaN(nan)).toBe(true);
    expect(inf).toBe(-Infinity);
    expect(Object.is(negz, -0)).toBe(true);
  });

  it("returns raw bytes for strings when asked, including invalid UTF-8", () => {
    const b = new Bytes()
      .u32(1)
      .u8(5)
      .str(new Uint8Array([0xff, 0, 0x41]))
      .done();
    expect(decodeValues(b, { rawStrings: true })).toEqual([new Uint8Array([0xff, 0, 0x41])]);
  });

  it("turns a table with keys exactly 1..n into an array, in key order", () => {
    const b = new Bytes().u32(1).table(1).int(2).string("b").int(1).string("a").int(3).string("c").end().done();
    expect(decodeValues(b)).toEqual([["a", "b", "c"]]);
  });

  it("turns an empty table into an empty object", () => {
    expect(decodeValues(new Bytes().u32(1).table(1).end().done())).toEqual([{}]);
  });

  it("turns a table with holes or string keys into an object keyed by tostring(key)", () => {
    const b = new Bytes()
      .u32(2)
      .table(1)
      .int(1)
      .u8(2)
      .int(3)
      .u8(2)
      .end()
      .table(2)
      .string("x")
      .int(1)
      .int(1)
      .string("one")
      .end()
      .done();
    expect(decodeValues(b)).toEqual([
      { 1: true, 3: true },
      { x: 1, 1: "one" },
    ]);
  });

  it("resolves a cyclic table to the same JS object", () => {
    // t = { self = t, list = { t } }
    const b = new Bytes()
      .u32(1)
      .table(1)
      .string("self")
      .u8(7)
      .u32(1)
      .string("list")
      .table(2)
      .int(1)
      .u8(7)
      .u32(1)
      .end()
      .end()
      .done();
    const [t] = decodeValues(b) as Array<Record<string, unknown>>;
    expect(t.self).toBe(t);
    expect((t.list as unknown[])[0]).toBe(t);
  });

  it("decodes a table shared by two results to one JS object", () => {
    const b = new Bytes().u32(2).table(5).string("k").int(1).end().u8(7).u32(5).done();
    const [a, c] = decodeValues(b);
    expect(c).toBe(a);
  });

  it("decodes functions and other objects as LuaOpaque with their tostring text", () => {
    const b = new Bytes().u32(2).u8(8).str("function: 0x0001a2b0").u8(9).str("thread: 0x00001000").done();
    const [f, co] = decodeValues(b) as LuaOpaque[];
    expect(f).toBeInstanceOf(LuaOpaque);
    expect(f.type).toBe("function");
    expect(String(f)).toBe("function: 0x0001a2b0");
    expect(co.type).toBe("thread");
  });

  it("rejects a truncated result instead of inventing values", () => {
    expect(() => decodeValues(new Bytes().u32(1).u8(3).u32(0).done())).toThrow(/truncated/);
  });
});

describe("decodeError", () => {
  it("splits the message from the traceback", () => {
    const b = new Bytes().str("input:1: boom").str("stack traceback:\n\t[C]: in ?").done();
    expect(decodeError(b)).toEqual({ message: "input:1: boom", traceback: "stack traceback:\n\t[C]: in ?" });
  });
});
