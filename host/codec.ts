// codec.ts - decodes the result area written by lua_eval into JavaScript values (see docs/ABI.md).
// Invariants: integers are exact (number when Number.isSafeInteger, else bigint); a Lua table seen
// twice (shared or cyclic, tag 7 backreference) decodes to the same JS object; a table whose keys are
// exactly 1..n becomes an array, any other table (including the empty one) a plain object.

import { internalError, LuaError, Status } from "./errors.js";
import { Reader, Tag } from "./wire.js";
import { REF_NAMES } from "./ref-values.js";
import type { LuaTableRef } from "./ref-table.js";

// ==== Value types ====

/** A Lua function, userdata or thread: only its tostring text crosses the boundary. */
export class LuaOpaque {
  constructor(
    readonly type: "function" | "userdata" | "thread",
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

/** A Lua table decoded for JS: an array for sequences 1..n, else an object keyed by tostring(key). */
export type LuaTable = LuaValue[] | { [key: string]: LuaValue };

/**
 * A Lua function handed to JS by the typed API (a registry reference in the module, released when the
 * JS function is garbage-collected or at close()). Calling it calls the Lua function with converted
 * arguments and returns its FIRST result (null when it returns nothing), as wasmoon does;
 * `multi(...)` returns all its results as an array.
 */
export interface LuaFunction {
  (...args: unknown[]): LuaValue;
  /** Calls the Lua function and returns all its results (`return 1, 2` gives [1, 2], `return` gives []). */
  multi(...args: unknown[]): LuaValue[];
  /** @deprecated Use multi(); kept for one release (it was the undocumented name of the same call). */
  callMulti(...args: unknown[]): LuaValue[];
  /**
   * @deprecated The shape of 0.1 calls, kept for one release: one result bare (null for none),
   * several as an array. Use the call itself (first result) or multi() (all results).
   */
  legacyCall(...args: unknown[]): LuaValue | LuaValue[];
}

/**
 * Every value a Lua result can decode to. nil is null; strings are Uint8Array with rawStrings; a JS
 * object Lua held by reference comes back as itself (`object`); a table asked for as a live handle
 * is a LuaTableRef.
 */
export type LuaValue =
  null | boolean | number | bigint | string | Uint8Array | LuaOpaque | LuaTable | LuaFunction | LuaTableRef | object;

/** How Lua values are given to JS (an option of Lua.create). */
export interface DecodeOptions {
  /** Return Lua strings as raw bytes (Uint8Array) instead of UTF-8-decoded JS strings. Keys stay strings. Default false. */
  rawStrings?: boolean;
}

/** DecodeOptions plus what the façade decides itself: the JS values standing for references. */
export interface DecodeHooks extends DecodeOptions {
  /** Tag 10 (a function reference, typed API): what JS value stands for it. Default: LuaOpaque. */
  functionRef?: (ref: number, text: string) => LuaValue;
  /** Tag 11 (an external table): what JS value stands for it. Default: `{ ext: id }`. */
  extTable?: (id: number) => LuaValue;
  /** Tag 19 (a JS object Lua holds by reference): the object itself. Default: a LuaOpaque "userdata". */
  jsRef?: (id: number) => object;
  /** Tag 12 (a JS function Lua was given, passed back): the function itself. Default: a LuaOpaque. */
  hostFunction?: (id: number) => LuaValue;
  /** Tag 20 (a Lua table by registry reference): the live handle. Default: a LuaOpaque "table". */
  tableRef?: (ref: number) => LuaValue;
}

const utf8 = new TextDecoder("utf-8");

// ==== Pass 1: bytes → nodes (tables stay as entry lists, so the shape can be chosen once keys are known) ====

type Node =
  | { k: "scalar"; v: LuaValue; key: string }
  | { k: "table"; id: number; entries: [Node, Node][] }
  | { k: "ref"; id: number };

function scalar(v: LuaValue, key: string): Node {
  return { k: "scalar", v, key };
}

/** A length-prefixed string as text. */
function text(r: Reader): string {
  return utf8.decode(r.raw());
}

function readNode(r: Reader, opts: DecodeHooks): Node {
  const tag = r.u8();
  switch (tag) {
    case Tag.NIL:
      return scalar(null, "nil");
    case Tag.FALSE:
      return scalar(false, "false");
    case Tag.TRUE:
      return scalar(true, "true");
    case Tag.INT: {
      const v = r.integer();
      return scalar(v, String(v));
    }
    case Tag.FLT: {
      const v = r.f64();
      return scalar(v, String(v));
    }
    case Tag.BIGINT: {
      const v = r.bigint(); // a Lua bigint is always a JS bigint, whatever its size
      return scalar(v, String(v));
    }
    case Tag.STR: {
      const b = r.raw();
      const s = utf8.decode(b);
      return scalar(opts.rawStrings ? b.slice() : s, s);
    }
    case Tag.TABLE: {
      const id = r.u32();
      const entries: [Node, Node][] = [];
      while (r.peek() !== Tag.END) {
        const key = readNode(r, opts);
        entries.push([key, readNode(r, opts)]);
      }
      r.pos++; // the END tag
      return { k: "table", id, entries };
    }
    case Tag.TABLEREF:
      return { k: "ref", id: r.u32() };
    case Tag.FUNCTEXT: {
      const t = text(r);
      return scalar(new LuaOpaque("function", t), t);
    }
    case Tag.OTHER: {
      const t = text(r);
      return scalar(new LuaOpaque(t.startsWith("thread") ? "thread" : "userdata", t), t);
    }
    case Tag.FUNCREF: {
      const ref = r.u32();
      const t = text(r);
      return scalar(opts.functionRef ? opts.functionRef(ref, t) : new LuaOpaque("function", t), t);
    }
    case Tag.JSREF: {
      const id = r.u32();
      const kind = r.u8();
      r.u32(); // the object a function was read from: only meaningful to the module
      const name = REF_NAMES[kind] ?? "js.object";
      return scalar(opts.jsRef ? opts.jsRef(id) : new LuaOpaque("userdata", `${name}: ${id}`), `${name}: ${id}`);
    }
    case Tag.HOSTFN: {
      const id = r.u32();
      const t = `function: js ${id}`;
      return scalar(opts.hostFunction ? opts.hostFunction(id) : new LuaOpaque("function", t), t);
    }
    case Tag.LUATABLE: {
      const ref = r.u32();
      return scalar(opts.tableRef ? opts.tableRef(ref) : new LuaOpaque("userdata", `table: ${ref}`), `table: ${ref}`);
    }
    case Tag.EXT: {
      const id = r.u32();
      return scalar(opts.extTable ? opts.extTable(id) : { ext: id }, `ext.table: ${id}`);
    }
    default:
      throw new Error(`bad value tag ${tag} at byte ${r.pos - 1}`);
  }
}

// ==== Pass 2: nodes → JS values, one JS object per table id ====

/** True when the keys are exactly the integers 1..n (Lua never sends duplicate keys). */
function isSequence(entries: [Node, Node][]): boolean {
  if (entries.length === 0) return false;
  const n = entries.length;
  return entries.every(
    ([k]) =>
      k.k === "scalar" &&
      typeof k.v === "number" &&
      Number.isInteger(k.v) &&
      k.v >= 1 &&
      k.v <= n &&
      k.key === String(k.v),
  );
}

class Builder {
  private readonly tables = new Map<number, LuaTable>();

  value(node: Node): LuaValue {
    switch (node.k) {
      case "scalar":
        return node.v;
      case "ref": {
        const t = this.tables.get(node.id);
        if (t === undefined) throw new Error(`backreference to unknown table ${node.id}`);
        return t;
      }
      case "table":
        return this.table(node);
    }
  }

  /** The object key for a table key: strings as they are, numbers and booleans as text, others by tostring. */
  private key(node: Node): string {
    if (node.k === "scalar") return node.key;
    this.value(node); // decode a table key anyway, so later backreferences to it resolve
    return `table: ${node.id}`;
  }

  private table(node: { id: number; entries: [Node, Node][] }): LuaTable {
    if (isSequence(node.entries)) {
      const arr: LuaValue[] = new Array(node.entries.length);
      this.tables.set(node.id, arr);
      for (const [k, v] of node.entries) arr[(k as { v: number }).v - 1] = this.value(v);
      return arr;
    }
    const obj: { [key: string]: LuaValue } = {};
    this.tables.set(node.id, obj);
    for (const [k, v] of node.entries) {
      const key = this.key(k);
      Object.defineProperty(obj, key, { value: this.value(v), enumerable: true, writable: true, configurable: true });
    }
    return obj;
  }
}

// ==== Public decoders ====

/**
 * Decodes `n` values. Scalars (most arguments and results crossing the boundary) are read directly;
 * the two passes and their Builder, which tables need (a table's shape, ids shared between the
 * values), are used only from the first value that is not a scalar.
 */
function readValues(r: Reader, n: number, opts: DecodeHooks): LuaValue[] {
  const out: LuaValue[] = new Array<LuaValue>(n);
  for (let i = 0; i < n; i++) {
    switch (r.peek()) {
      case Tag.NIL:
        r.pos++;
        out[i] = null;
        continue;
      case Tag.FALSE:
        r.pos++;
        out[i] = false;
        continue;
      case Tag.TRUE:
        r.pos++;
        out[i] = true;
        continue;
      case Tag.INT:
        r.pos++;
        out[i] = r.integer();
        continue;
      case Tag.FLT:
        r.pos++;
        out[i] = r.f64();
        continue;
      case Tag.STR: {
        r.pos++;
        const b = r.raw();
        out[i] = opts.rawStrings ? b.slice() : utf8.decode(b);
        continue;
      }
    }
    const nodes: Node[] = [];
    for (let j = i; j < n; j++) nodes.push(readNode(r, opts));
    const b = new Builder();
    for (let j = i; j < n; j++) out[j] = b.value(nodes[j - i]);
    break;
  }
  return out;
}

/** Decodes an OK result area: u32 count, then count values. */
export function decodeValues(bytes: Uint8Array, opts: DecodeHooks = {}): LuaValue[] {
  return decodeValuesAt(bytes, 0, bytes.length, opts);
}

/**
 * decodeValues of the `len` bytes at `pos` in `mem` (the module's memory: the result area read in
 * place, no copy; no view into `mem` survives in the values).
 */
export function decodeValuesAt(mem: Uint8Array, pos: number, len: number, opts: DecodeHooks = {}): LuaValue[] {
  const r = new Reader(mem, pos, pos + len);
  return readValues(r, r.u32(), opts);
}

/**
 * Decodes `n` values with no count in front (arguments of a host function call): the bytes of `bytes`
 * from `pos` to `end` (default: all of them).
 */
export function decodeN(bytes: Uint8Array, n: number, opts: DecodeHooks = {}, pos = 0, end = bytes.length): LuaValue[] {
  return readValues(new Reader(bytes, pos, end), n, opts);
}

/** Decodes an error result area: u32 msglen, message, u32 tblen, traceback (raw bytes of each). */
export function decodeErrorBytes(bytes: Uint8Array): { message: Uint8Array; traceback: Uint8Array } {
  const r = new Reader(bytes);
  const message = r.raw();
  const traceback = r.done ? new Uint8Array(0) : r.raw();
  return { message, traceback };
}

/** Decodes an error result area into text. */
export function decodeError(bytes: Uint8Array): { message: string; traceback: string } {
  const e = decodeErrorBytes(bytes);
  return { message: utf8.decode(e.message), traceback: utf8.decode(e.traceback) };
}

/**
 * The LuaError of a failed export: message and traceback from the result area, or "not enough
 * memory" when the call could not even start (its input did not fit: result null). An unreadable
 * result is an internal error (the state is intact: the module returned normally).
 */
export function errorFromResult(status: number, result: Uint8Array | null): LuaError {
  if (result === null) return new LuaError("not enough memory", Status.ERRMEM);
  try {
    const { message, traceback } = decodeError(result);
    return new LuaError(message, status, traceback);
  } catch (e) {
    return internalError(new Error(`unreadable error result (status ${status}): ${(e as Error).message}`));
  }
}
