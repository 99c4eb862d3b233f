// encode.ts - JavaScript values → the value encoding of docs/ABI.md (the input direction: global.set,
// call arguments, JS function results, external-table reads), plus the byte writer it shares with
// ext-tables.ts.
// Invariants: numbers that are safe integers become Lua integers, every other number a float; bigint
// must fit in 64 bits; an object seen twice (cycles, shared subtables) is sent once and then as a
// backreference, so Lua receives the same table; unsupported values throw a TypeError naming them.

import { forEachElement } from "./js-array.js";

const utf8 = new TextEncoder();

/** Tags of the value encoding (docs/ABI.md). */
export const enum WireTag {
  NIL = 0, FALSE = 1, TRUE = 2, INTEGER = 3, FLOAT = 4, STRING = 5, TABLE = 6, TABLEREF = 7,
  FUNCTEXT = 8, OTHER = 9, FUNCREF = 10, EXT = 11, HOSTFN = 12, REF = 13,
  /** Stored functions (host/ext-tables.ts): a new record, a record by id, a native by name, the globals marker. */
  LFUNC = 14, FUNC = 15, NATIVE = 16, GLOBALS = 17, END = 0xff,
}

/** A growable little-endian byte writer. */
export class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }
  u8(v: number): void { this.room(1); this.buf[this.len++] = v; }
  u32(v: number): void { this.room(4); this.view.setUint32(this.len, v >>> 0, true); this.len += 4; }
  i64(v: bigint): void { this.room(8); this.view.setBigInt64(this.len, v, true); this.len += 8; }
  f64(v: number): void { this.room(8); this.view.setFloat64(this.len, v, true); this.len += 8; }
  bytes(b: Uint8Array): void { this.u32(b.length); this.room(b.length); this.buf.set(b, this.len); this.len += b.length; }
  text(s: string): void { this.bytes(utf8.encode(s)); }
  /** The bytes written so far (a view: copy it to keep it past the next write). */
  result(): Uint8Array { return this.buf.subarray(0, this.len); }

  nil(): void { this.u8(WireTag.NIL); }
  boolean(b: boolean): void { this.u8(b ? WireTag.TRUE : WireTag.FALSE); }
  integer(v: bigint | number): void { this.u8(WireTag.INTEGER); this.i64(BigInt(v)); }
  float(v: number): void { this.u8(WireTag.FLOAT); this.f64(v); }
  string(b: Uint8Array | string): void { this.u8(WireTag.STRING); if (typeof b === "string") this.text(b); else this.bytes(b); }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** A JS number as Lua sees it: a safe integer (not -0) is an integer, anything else a float. */
export function isLuaInteger(n: number): boolean {
  return Number.isSafeInteger(n) && !Object.is(n, -0);
}

export function checkI64(v: bigint): bigint {
  if (v < I64_MIN || v > I64_MAX) throw new RangeError(`bigint ${v} does not fit in a Lua integer (64 bits)`);
  return v;
}

/** Marks a JS value that stands for a Lua float even when its value is integral (e.g. 1.0). */
export class LuaFloat {
  constructor(readonly value: number) {}
  valueOf(): number { return this.value; }
}

/** How the encoder turns functions (and Lua function wrappers) into references. */
export interface EncodeContext {
  /** The registry reference of a Lua function wrapper handed out earlier, or undefined. */
  luaRef?(fn: Function): number | undefined;
  /** The id under which a JS function is callable from Lua (registering it if new). */
  hostFunction?(fn: Function): number;
  /** The id of an external-table view, or undefined. */
  extId?(o: object): number | undefined;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

/** Encodes JS values one after another (sharing table ids between them). */
export function encodeValues(values: readonly unknown[], ctx: EncodeContext = {}, w: Writer = new Writer()): Uint8Array {
  const seen = new Map<object, number>();
  const enc = (v: unknown, depth: number): void => {
    switch (typeof v) {
      case "undefined": w.nil(); return;
      case "boolean": w.boolean(v); return;
      case "number": if (isLuaInteger(v)) w.integer(v); else w.float(v); return;
      case "bigint": w.integer(checkI64(v)); return;
      case "string": w.string(v); return;
      case "function": {
        const ref = ctx.luaRef?.(v);
        if (ref !== undefined) { w.u8(WireTag.REF); w.u32(ref); return; }
        if (!ctx.hostFunction) throw new TypeError("cannot pass a JS function here");
        w.u8(WireTag.HOSTFN); w.u32(ctx.hostFunction(v));
        return;
      }
      case "symbol": throw new TypeError("cannot convert a symbol to a Lua value");
    }
    if (v === null) { w.nil(); return; }
    if (v instanceof LuaFloat) { w.float(v.value); return; }
    if (v instanceof Uint8Array) { w.string(v); return; }
    if (v instanceof ArrayBuffer) { w.string(new Uint8Array(v)); return; }
    const o = v as object;
    const ext = ctx.extId?.(o);
    if (ext !== undefined) { w.u8(WireTag.EXT); w.u32(ext); return; }
    const id = seen.get(o);
    if (id !== undefined) { w.u8(WireTag.TABLEREF); w.u32(id); return; }
    if (depth >= 190) throw new RangeError("object nesting too deep to convert to a Lua table");
    if (ArrayBuffer.isView(o)) throw new TypeError(`cannot convert a ${describe(o)} to a Lua value (use Uint8Array)`);
    if (o instanceof Promise) throw new TypeError("cannot convert a Promise to a Lua value");
    const tid = seen.size;
    seen.set(o, tid);
    w.u8(WireTag.TABLE); w.u32(tid);
    if (Array.isArray(o)) {
      forEachElement(o, (i, item) => {                       // costs the elements, not the length
        if (item === null) return;                           // a hole: Lua tables have no nil values
        w.integer(i + 1); enc(item, depth + 1);
      });
    } else if (o instanceof Map) {
      for (const [k, val] of o) {
        if (val === undefined || val === null) continue;
        if (k === null || k === undefined) throw new TypeError("cannot use null/undefined as a Lua table key");
        if (typeof k === "number" && Number.isNaN(k)) throw new TypeError("cannot use NaN as a Lua table key");
        enc(k, depth + 1); enc(val, depth + 1);
      }
    } else if (o instanceof Set) {
      for (const k of o) { enc(k, depth + 1); w.boolean(true); }
    } else {
      for (const k of Object.keys(o)) {
        const val = (o as Record<string, unknown>)[k];
        if (val === undefined || val === null) continue;
        w.string(k); enc(val, depth + 1);
      }
    }
    w.u8(WireTag.END);
  };
  for (const v of values) enc(v, 0);
  return w.result();
}
