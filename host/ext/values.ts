// values.ts - what an external table holds: the stored values (Lua's types kept: integers as numbers or
// bigint, integral floats as LuaFloat, strings as JS strings when valid UTF-8 and Uint8Array otherwise,
// tables as ExtRef, functions as ExtFunc records or NativeFn names, bigints of require "bigint" as
// LuaBigInt), their identity as keys, and what
// each costs against memoryLimit (the estimate "Host bytes" below).
// Invariants: a key's identity (Canon) follows Lua's rules (1 and "1" differ, 1.0 is 1, NaN and nil
// are never keys; a binary string differs from every UTF-8 one); storedBytes is a pure function of
// the value, so a charge given back equals the charge taken.

import { jsInteger, LuaFloat } from "../encode.js";
import { LuaBigInt } from "../wire.js";

export { LuaFloat, LuaBigInt };

// ==== Stored values ====

/** A reference to another external table, as stored inside one. */
export class ExtRef {
  constructor(readonly id: number) {}
}

/** A stored Lua function: record `id` of the store (its chunk and upvalue cells). */
export class ExtFunc {
  constructor(readonly id: number) {}
}

/** A stored native function, by its stable name ("print", "string.format"). */
export class NativeFn {
  constructor(readonly name: string) {}
}

/** A value held in an external table. */
export type Stored =
  boolean | number | bigint | string | Uint8Array | LuaFloat | LuaBigInt | ExtRef | ExtFunc | NativeFn;

/** The globals table of the state that loads a function, as an upvalue cell's value. */
export const GLOBALS: unique symbol = Symbol("globals");
/** What an upvalue cell holds. */
export type Cell = Stored | null | typeof GLOBALS;

/** A stored Lua function: its binary chunk (assembly/compiler/dump.ts, with debug info) and cell ids. */
export interface FuncRecord {
  chunk: Uint8Array;
  ups: number[];
}

export const HOME_ID = 1;
export const IO_ID = 2;

// ==== Keys ====

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes → a JS string when valid UTF-8, else the bytes themselves (copied). */
export function bytesToStored(b: Uint8Array): string | Uint8Array {
  try {
    return strictUtf8.decode(b);
  } catch {
    return b.slice();
  }
}

/** Bytes as Latin-1 text (one char per byte): the identity of a binary key, behind BINKEY. */
export function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

/**
 * The identity of a key in an ExtTable's Map (Map keys compare by SameValueZero): a string key is the
 * JS string itself, an integer a number (bigint beyond 2^53), a float a number (never an integer's:
 * integral floats are normalised to integers first), a boolean itself, and a non-UTF-8 byte string
 * its Latin-1 text behind a lone surrogate, which no decoded UTF-8 string can contain.
 */
export type Canon = string | number | bigint | boolean;

/** The canonical identity of a normalised key (throws for keys no Lua table can hold). */
export function keyOf(k: Stored): Canon {
  switch (typeof k) {
    case "string":
    case "boolean":
    case "bigint":
      return k;
    case "number":
      if (Number.isNaN(k)) throw new TypeError("index is NaN");
      return k;
  }
  if (k instanceof Uint8Array) return BINKEY + latin1(k);
  if (k instanceof LuaFloat) return k.value; // only non-integral floats reach here as keys
  const what = k instanceof ExtRef ? "table" : k instanceof LuaBigInt ? "bigint" : "function";
  throw new TypeError(`external table keys must be strings, numbers or booleans (got ${what})`);
}

/** Prefix of a binary key's identity: a lone surrogate, which no decoded UTF-8 string contains. */
export const BINKEY = "\uD800";

/** Normalises a key as Lua does: an integral float is an integer, a small bigint a number. */
export function normKey(k: Stored): Stored {
  if (k instanceof LuaFloat) {
    const v = k.value;
    if (Number.isNaN(v)) throw new TypeError("index is NaN");
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return v === 0 ? 0 : v;
    if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) return BigInt(v);
    return v;
  }
  if (typeof k === "bigint") return jsInteger(k);
  return k;
}

// ==== Host bytes ====
// What external tables cost against memoryLimit: an estimate of the JS heap they hold (measured on
// V8, 64-bit: an entry of a Map with its [key, value] array is ~100 bytes, an empty table ~190, a
// string's header ~24), counted when a thing is stored and given back when it is deleted:
//   a table                    TABLE_BYTES
//   an entry                   ENTRY_BYTES + size(key) + size(value)
//   a stored function record   RECORD_BYTES + its binary chunk's bytes
//   an upvalue cell            CELL_BYTES + size(value)
// size(string) = STRING_BYTES + its length in bytes as Lua sees it (UTF-8; a binary string's bytes;
// a binary key twice, as it is also kept as text); size of a boxed value (a float with an integral
// value, an integer beyond 2^53, a table reference, a function) = BOX_BYTES (plus a native's name,
// plus a bigint's magnitude: 4 bytes per 32-bit limb);
// other numbers and booleans 0 (they live in the entry). The count is an estimate, not a measurement
// of the JS heap, but it is proportional to it, so memoryLimit bounds the heap external tables use.
export const TABLE_BYTES = 200;
export const ENTRY_BYTES = 100;
export const RECORD_BYTES = 100;
export const CELL_BYTES = 100;
export const STRING_BYTES = 24;
export const BOX_BYTES = 24;

/** Bytes of a JS string in UTF-8 (lone surrogates as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      n += 1;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2;
        i++;
        continue;
      } // a pair: 4 bytes for 2 units
    }
    n += 2;
  }
  return n;
}

/** size(v) of the estimate above. */
export function storedBytes(v: Stored | null): number {
  switch (typeof v) {
    case "string":
      return STRING_BYTES + utf8Length(v);
    case "number":
    case "boolean":
      return 0;
    case "bigint":
      return BOX_BYTES;
  }
  if (v === null) return 0;
  if (v instanceof Uint8Array) return STRING_BYTES + v.byteLength;
  if (v instanceof NativeFn) return BOX_BYTES + v.name.length;
  if (v instanceof LuaBigInt) return BOX_BYTES + bigintBytes(v.value);
  return BOX_BYTES;
}

/** The bytes of a bigint's magnitude (its limbs), for the estimate: a bigint box costs them too. */
function bigintBytes(v: bigint): number {
  return 4 * Math.ceil((v < 0n ? -v : v).toString(16).length / 8);
}

/** size(key): a binary key is also kept as its Latin-1 text (its canonical identity). */
export function keyBytes(k: Stored): number {
  return k instanceof Uint8Array ? 2 * (STRING_BYTES + k.byteLength) : storedBytes(k);
}

/** What a record costs. */
export function recordBytes(f: FuncRecord): number {
  return RECORD_BYTES + f.chunk.byteLength;
}
/** What a cell costs. */
export function cellBytes(c: Cell): number {
  return CELL_BYTES + (c === GLOBALS ? 0 : storedBytes(c));
}

/** A write refused because the state would pass its memory limit (nothing was changed). */
export class HostMemoryError extends RangeError {
  constructor() {
    super("not enough memory");
  }
}

/** next() was given a key the table does not hold (the module raises "invalid key to 'next'"). */
export class InvalidKeyError extends Error {
  constructor() {
    super("invalid key to 'next'");
  }
}
