// wire-writer.test.ts - host/wire.ts's Writer and Reader on the hot paths of the boundary: integers
// written and read as two 32-bit halves (no BigInt per value) are the same 64-bit integers, and the pooled
// writer (takeWriter/giveWriter) is never handed to two encodings at once.
import { describe, expect, it } from "vitest";
import { giveWriter, Reader, Tag, takeWriter, Writer } from "../../host/wire.js";

function encodedInt(v: number | bigint): Uint8Array {
  const w = new Writer();
  w.integer(v);
  return w.result().slice();
}

describe("Writer.integer", () => {
  const samples = [
    0,
    1,
    -1,
    42,
    -42,
    0x7fffffff,
    0x80000000,
    -0x80000000,
    -0x80000001,
    0xffffffff,
    0x100000000,
    -0x100000000,
    -0x100000001,
    2 ** 40 + 12345,
    -(2 ** 40) - 12345,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ];
  it("writes a safe integer exactly as its BigInt", () => {
    for (const v of samples) expect(encodedInt(v), String(v)).toEqual(encodedInt(BigInt(v)));
  });
  it("reads back every sample, also as random safe integers", () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = [...samples];
    for (let i = 0; i < 1000; i++) values.push(Math.round((rand() - 0.5) * 2 * Number.MAX_SAFE_INTEGER));
    for (const v of values) {
      const r = new Reader(encodedInt(v));
      expect(r.u8()).toBe(Tag.INT);
      expect(r.i64()).toBe(BigInt(v));
    }
  });
});

describe("Reader.integer", () => {
  it("gives a number exactly for safe integers and a bigint beyond, as jsInteger does", () => {
    const cases: bigint[] = [
      0n,
      1n,
      -1n,
      2n ** 31n,
      -(2n ** 31n),
      2n ** 32n - 1n,
      2n ** 32n,
      -(2n ** 32n),
      -(2n ** 32n) - 1n,
      2n ** 53n - 1n,
      -(2n ** 53n) + 1n,
      2n ** 53n,
      -(2n ** 53n),
      2n ** 53n + 1n,
      -(2n ** 53n) - 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      0x1fffff_ffffffffn,
      -0x1fffff_ffffffffn,
      0x200000_00000000n,
    ];
    for (const v of cases) {
      const r = new Reader(encodedInt(v));
      r.u8();
      const n = Number(v);
      expect(r.integer(), String(v)).toBe(Number.isSafeInteger(n) ? n : v);
      expect(r.done).toBe(true);
    }
  });
});

describe("takeWriter", () => {
  it("hands out an empty writer and reuses it once given back", () => {
    const a = takeWriter();
    a.u32(7);
    giveWriter(a);
    const b = takeWriter();
    expect(b).toBe(a);
    expect(b.len).toBe(0);
    giveWriter(b);
  });
  it("gives a nested encoding its own writer, so the outer result is intact", () => {
    const outer = takeWriter();
    outer.string("outer");
    const inner = takeWriter(); // e.g. a getter calling back into Lua while the outer encodes
    expect(inner).not.toBe(outer);
    inner.string("inner value that is longer");
    giveWriter(inner);
    const r = new Reader(outer.result());
    expect(r.u8()).toBe(Tag.STR);
    expect(new TextDecoder().decode(r.raw())).toBe("outer");
    giveWriter(outer);
  });
});
