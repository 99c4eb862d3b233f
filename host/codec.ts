// codec.ts - decodes the result area written by lua_eval into JavaScript values (see docs/ABI.md).
// Invariants: integers are exact (number when Number.isSafeInteger, else bigint); a Lua table seen
// twice (shared or cyclic, tag 7 backreference) decodes to the same JS object; a table whose keys are
// exactly 1..n becomes an array, any other table (including the empty one) a plain object.

import { internalError, LuaError, Status } from "./errors.js";
import { jsInteger } from "./encode.js";
import { Reader, Tag } from "./wire.js";

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

/** A Lua function handed to JS by the typed API: calling it calls the Lua function (see engine.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LuaFunction = (...args: any[]) => any;

/** Every value a Lua result can decode to. nil is null; strings are Uint8Array with rawStrings. */
export type LuaValue = null | boolean | number | bigint | string | Uint8Array | LuaOpaque | LuaTable | LuaFunction;

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
      const v = jsInteger(r.i64());
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

/** Decodes an OK result area: u32 count, then count values. */
export function decodeValues(bytes: Uint8Array, opts: DecodeHooks = {}): LuaValue[] {
  const r = new Reader(bytes);
  const count = r.u32();
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) nodes.push(readNode(r, opts));
  const b = new Builder();
  return nodes.map((n) => b.value(n));
}

/** Decodes `n` values with no count in front (arguments of a host function call). */
export function decodeN(bytes: Uint8Array, n: number, opts: DecodeHooks = {}): LuaValue[] {
  const r = new Reader(bytes);
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) nodes.push(readNode(r, opts));
  const b = new Builder();
  return nodes.map((x) => b.value(x));
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
