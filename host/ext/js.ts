// js.ts - external tables ↔ plain JS values: fromJS (setInput/setMetadata: objects, arrays and Maps
// become new external tables; a copy() marker is unwrapped, since this always copies) and toJS
// (getOutput, eval results: tables become arrays or objects).
// Invariants: fromJS is one operation (on any error the tables it made are removed) and costs what
// the value holds, not an array's length (js-array.ts); both keep cycles and shared parts (the same
// object is the same table, the same table the same JS object); nesting deeper than MAX_JS_DEPTH is a
// RangeError, never a JS stack overflow.

import { LuaOpaque } from "../codec.js";
import { isLuaInteger, jsInteger } from "../encode.js";
import { forEachElement } from "../js-array.js";
import { LuaCopy } from "../ref-values.js";
import type { ExtTableStore } from "./store.js";
import { bytesToStored, ExtFunc, ExtRef, LuaBigInt, LuaFloat, NativeFn, type Stored } from "./values.js";

/** Nesting of a JS value fromJS converts (deeper: a RangeError, not a JS stack overflow). */
const MAX_JS_DEPTH = 1000;

const utf8 = new TextDecoder();

/**
 * A JS value → a stored value; objects, arrays and Maps become new external tables of `store` (cycles
 * kept), counted against the memory limit. One operation: on any error (an unsupported value, the
 * limit) the tables it made are removed. Arrays cost their elements, not their length (js-array.ts).
 */
export function fromJS(store: ExtTableStore, v: unknown): Stored | null {
  const r = store.atomic(() => convert(store, v, new Map(), 0));
  if (r instanceof ExtRef) store.noteDrop(); // the caller may never store it
  return r;
}

function convert(store: ExtTableStore, v: unknown, seen: Map<object, number>, depth: number): Stored | null {
  switch (typeof v) {
    case "undefined":
      return null;
    case "boolean":
    case "string":
      return v;
    case "number":
      return isLuaInteger(v) || !Number.isInteger(v) ? v : new LuaFloat(v);
    case "bigint": // beyond 64 bits: a Lua bigint (require "bigint")
      return v >= -(2n ** 63n) && v < 2n ** 63n ? jsInteger(v) : new LuaBigInt(v);
    case "function":
      throw new TypeError("cannot store a function in an external table");
    case "symbol":
      throw new TypeError("cannot store a symbol in an external table");
  }
  if (v === null) return null;
  // copy(x) where a copy is made anyway (setInput, setMetadata, inside a copied value): x itself
  if (v instanceof LuaCopy) return convert(store, v.value, seen, depth + 1);
  if (
    v instanceof LuaFloat ||
    v instanceof LuaBigInt ||
    v instanceof ExtRef ||
    v instanceof ExtFunc ||
    v instanceof NativeFn
  )
    return v;
  if (v instanceof Uint8Array) return bytesToStored(v);
  const o = v as object;
  const known = seen.get(o);
  if (known !== undefined) return new ExtRef(known);
  if (ArrayBuffer.isView(o))
    throw new TypeError(`cannot store a ${o.constructor.name} in an external table (use Uint8Array)`);
  if (depth >= MAX_JS_DEPTH) throw new RangeError("object nesting too deep to store in an external table");
  const id = store.create();
  seen.set(o, id);
  const put = (k: unknown, val: unknown): void => {
    const sv = convert(store, val, seen, depth + 1);
    if (sv === null) return;
    const sk = convert(store, k, seen, depth + 1);
    if (sk === null) throw new TypeError("cannot use null/undefined as an external table key");
    if (sk instanceof ExtRef)
      throw new TypeError("external table keys must be strings, numbers or booleans (got table)");
    store.set(id, sk, sv);
  };
  if (Array.isArray(o)) forEachElement(o, (i, val) => put(i + 1, val));
  else if (o instanceof Map) for (const [k, val] of o) put(k, val);
  else for (const k of Object.keys(o)) put(k, (o as Record<string, unknown>)[k]);
  return new ExtRef(id);
}

/**
 * A stored value → a plain JS value: tables become arrays when their keys are exactly 1..n, else
 * objects keyed by the key's text; the same table is the same JS object (cycles preserved); a table
 * the store no longer has is null; functions are LuaOpaque.
 */
export function toJS(store: ExtTableStore, v: Stored | null, seen: Map<number, unknown> = new Map()): unknown {
  if (v === null) return null;
  if (v instanceof LuaFloat) return v.value;
  if (v instanceof LuaBigInt) return v.value;
  if (v instanceof Uint8Array) return utf8.decode(v);
  if (v instanceof ExtFunc) return new LuaOpaque("function", `function: stored ${v.id}`);
  if (v instanceof NativeFn) return new LuaOpaque("function", `function: builtin: ${v.name}`);
  if (!(v instanceof ExtRef)) return v;
  const hit = seen.get(v.id);
  if (hit !== undefined) return hit;
  if (!store.has(v.id)) return null;
  const n = store.size(v.id);
  let seq = n > 0;
  if (seq)
    for (let i = 1; i <= n; i++)
      if (store.getCanon(v.id, i) === null) {
        seq = false;
        break;
      }
  if (seq) {
    const arr: unknown[] = new Array(n);
    seen.set(v.id, arr);
    for (let i = 1; i <= n; i++) arr[i - 1] = toJS(store, store.getCanon(v.id, i), seen);
    return arr;
  }
  const obj: Record<string, unknown> = {};
  seen.set(v.id, obj);
  for (const [k, val] of store.entries(v.id)) {
    const key =
      k instanceof ExtRef
        ? `table: ${k.id}`
        : String(k instanceof Uint8Array ? utf8.decode(k) : k instanceof LuaFloat ? k.value : k);
    Object.defineProperty(obj, key, {
      value: toJS(store, val, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return obj;
}
