// encode.ts - JavaScript values → the value encoding (host/wire.ts, docs/ABI.md), the input direction:
// global.set, call arguments, JS function results, thrown values; plus how JS numbers map to Lua's
// integer/float (isLuaInteger, LuaFloat, checkI64), shared with external tables (ext/js.ts).
// Invariants: numbers that are safe integers become Lua integers, every other number a float; a bigint
// is a Lua integer when it fits in 64 bits and a Lua bigint (require "bigint") beyond, as is any
// LuaBigInt; an object seen twice (cycles, shared subtables) is sent once and then as a
// backreference, so Lua receives the same table; unsupported values throw a TypeError naming them.

import { forEachElement } from "./js-array.js";
import { LuaBigInt, Tag, Writer } from "./wire.js";
import { allowed, LuaCopy, refKind, type RefKind } from "./ref-values.js";

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** A JS number as Lua sees it: a safe integer (not -0) is an integer, anything else a float. */
export function isLuaInteger(n: number): boolean {
  return Number.isSafeInteger(n) && !Object.is(n, -0);
}

/** A Lua integer as JS gives it: a number when it is safe (|n| < 2^53), else the bigint. */
export function jsInteger(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** v itself when it fits in a Lua integer (64 bits), else a RangeError. */
export function checkI64(v: bigint): bigint {
  if (v < I64_MIN || v > I64_MAX) throw new RangeError(`bigint ${v} does not fit in a Lua integer (64 bits)`);
  return v;
}

/** Marks a JS value that stands for a Lua float even when its value is integral (e.g. 1.0). */
export class LuaFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

/** A JS function as the host sees it: called with the decoded Lua arguments, its results encoded back. */
export type HostFunction = (...args: unknown[]) => unknown;

/** How the encoder turns functions (and Lua function wrappers) into references. */
export interface EncodeContext {
  /** The registry reference of a Lua function wrapper or LuaTableRef handed out earlier, or undefined. */
  luaRef?(v: object): number | undefined;
  /** The id under which a JS function is callable from Lua (registering it if new). */
  hostFunction?(fn: HostFunction): number;
  /**
   * Objects by reference (host/refs.ts): when present, objects, arrays, Maps, Sets and class
   * instances are sent as references (tag JSREF) unless wrapped in copy(); absent, they are copied.
   */
  refs?: RefSink;
}

/** Where the encoder gets reference ids (host/refs.ts RefTable of the instance that will decode them). */
export interface RefSink {
  refOf(o: object, kind: RefKind): number;
  /** Ids created from here on are new; dropSince(mark) releases them when the encoding fails. */
  mark(): number;
  dropSince(mark: number): void;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

/**
 * Writes v when it is a value of one encoding whatever its context: a boolean, a number (a safe
 * integer as an integer, anything else as a float), a bigint of 64 bits, a string, a LuaFloat or a
 * Uint8Array (a Lua string of those bytes). False for anything else, with nothing written.
 */
export function writeScalar(
  w: Writer,
  v: unknown,
): v is boolean | number | bigint | string | LuaFloat | LuaBigInt | Uint8Array {
  switch (typeof v) {
    case "boolean":
      w.boolean(v);
      return true;
    case "number":
      if (isLuaInteger(v)) w.integer(v);
      else w.float(v);
      return true;
    case "bigint":
      if (v >= I64_MIN && v <= I64_MAX) w.integer(v);
      else w.bigint(v); // beyond 64 bits: a Lua bigint (require "bigint")
      return true;
    case "string":
      w.string(v);
      return true;
  }
  if (v instanceof LuaFloat) w.float(v.value);
  else if (v instanceof LuaBigInt) w.bigint(v.value);
  else if (v instanceof Uint8Array) w.string(v);
  else return false;
  return true;
}

/**
 * Encodes JS values one after another (sharing table ids between them). With ctx.refs, objects are
 * references except inside copy() (whose whole value is copied); a failure releases the references
 * this encoding created (they never reached the module).
 */
export function encodeValues(
  values: readonly unknown[],
  ctx: EncodeContext = {},
  w: Writer = new Writer(),
): Uint8Array {
  encodeInto(values, ctx, w);
  return w.result();
}

/** encodeValues appending to w, without making a view of the result (the calls' hot path). */
export function encodeInto(values: readonly unknown[], ctx: EncodeContext, w: Writer): void {
  const refs = ctx.refs;
  const mark = refs?.mark();
  // most calls across the boundary pass only scalars: they need none of the general path's state
  const start = w.len;
  if (writeScalars(values, w)) return;
  w.len = start;
  if (refs === undefined) return encodeWith(values, ctx, w, undefined);
  try {
    encodeWith(values, ctx, w, refs);
  } catch (e) {
    refs.dropSince(mark!);
    throw e;
  }
}

/** Writes values when every one is nil (null, undefined) or a writeScalar value; false otherwise (partly written). */
function writeScalars(values: readonly unknown[], w: Writer): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || v === null) w.nil();
    else if (!writeScalar(w, v)) return false;
  }
  return true;
}

function encodeWith(values: readonly unknown[], ctx: EncodeContext, w: Writer, refs: RefSink | undefined): void {
  const seen = new Map<object, number>();
  /** `byref`: objects become references (outside copy()). */
  const enc = (v: unknown, depth: number, byref: boolean = refs !== undefined): void => {
    if (v === undefined || v === null) {
      w.nil();
      return;
    }
    if (writeScalar(w, v)) return;
    switch (typeof v) {
      case "function": {
        const f = allowed(v) as HostFunction; // any callable but Function and eval: Lua calls it with its arguments
        const ref = ctx.luaRef?.(f);
        if (ref !== undefined) {
          w.u8(Tag.REF);
          w.u32(ref);
          return;
        }
        if (!ctx.hostFunction) throw new TypeError("cannot pass a JS function here");
        w.u8(Tag.HOSTFN);
        w.u32(ctx.hostFunction(f));
        return;
      }
      case "symbol":
        throw new TypeError("cannot convert a symbol to a Lua value");
    }
    if (v instanceof ArrayBuffer) {
      w.string(new Uint8Array(v));
      return;
    }
    const lref = ctx.luaRef?.(v as object); // a live Lua table handed out earlier goes back as itself
    if (lref !== undefined) {
      w.u8(Tag.REF);
      w.u32(lref);
      return;
    }
    if (v instanceof LuaCopy) {
      enc(v.value, depth, false);
      return;
    }
    if (v instanceof Promise) throw new TypeError("cannot convert a Promise to a Lua value");
    if (byref && refs !== undefined) {
      const o = allowed(v) as object;
      const kind = refKind(o);
      w.u8(Tag.JSREF);
      w.u32(refs.refOf(o, kind));
      w.u8(kind);
      w.u32(0);
      return;
    }
    const o = v as object;
    const id = seen.get(o);
    if (id !== undefined) {
      w.u8(Tag.TABLEREF);
      w.u32(id);
      return;
    }
    if (depth >= 190) throw new RangeError("object nesting too deep to convert to a Lua table");
    if (ArrayBuffer.isView(o)) throw new TypeError(`cannot convert a ${describe(o)} to a Lua value (use Uint8Array)`);
    const tid = seen.size;
    seen.set(o, tid);
    w.u8(Tag.TABLE);
    w.u32(tid);
    if (Array.isArray(o)) {
      forEachElement(o, (i, item) => {
        // costs the elements, not the length
        if (item === null) return; // a hole: Lua tables have no nil values
        w.integer(i + 1);
        enc(item, depth + 1, false);
      });
    } else if (o instanceof Map) {
      for (const [k, val] of o) {
        if (val === undefined || val === null) continue;
        if (k === null || k === undefined) throw new TypeError("cannot use null/undefined as a Lua table key");
        if (typeof k === "number" && Number.isNaN(k)) throw new TypeError("cannot use NaN as a Lua table key");
        enc(k, depth + 1, false);
        enc(val, depth + 1, false);
      }
    } else if (o instanceof Set) {
      for (const k of o) {
        enc(k, depth + 1, false);
        w.boolean(true);
      }
    } else {
      for (const k of Object.keys(o)) {
        const val = (o as Record<string, unknown>)[k];
        if (val === undefined || val === null) continue;
        w.string(k);
        enc(val, depth + 1, false);
      }
    }
    w.u8(Tag.END);
  };
  for (const v of values) enc(v, 0);
}
