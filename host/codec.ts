// codec.ts - decodes the result area written by lua_eval into JavaScript values (see docs/ABI.md).
// Invariants: integers are exact (number when Number.isSafeInteger, else bigint); a Lua table seen
// twice (shared or cyclic, tag 7 backreference) decodes to the same JS object; a table whose keys are
// exactly 1..n becomes an array, any other table (including the empty one) a plain object.

import { internalError, LuaError, Status } from "./errors.js";

// ==== Value types ====

/** A Lua function, userdata or thread: only its tostring text crosses the boundary. */
export class LuaOpaque {
  constructor(readonly type: "function" | "userdata" | "thread", readonly text: string) {}
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

/** Tags of the result encoding (docs/ABI.md). */
export const enum Tag {
  NIL = 0, FALSE = 1, TRUE = 2, INTEGER = 3, FLOAT = 4, STRING = 5,
  TABLE = 6, TABLEREF = 7, FUNCTION = 8, OTHER = 9, FUNCREF = 10, EXT = 11, END = 0xff,
}

// ==== Reader: a cursor over the result bytes ====

const utf8 = new TextDecoder("utf-8");

/** 8-byte scratch for i64/f64 reads: a Reader then needs no DataView of its own (eval is hot). */
const scratch8 = new Uint8Array(8);
const scratchView = new DataView(scratch8.buffer);

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Error(`result truncated at byte ${this.pos} (need ${n} more)`);
  }
  u8(): number { this.need(1); return this.bytes[this.pos++]; }
  u32(): number {
    this.need(4);
    const b = this.bytes, p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }
  private load8(): void {
    this.need(8);
    const b = this.bytes, p = this.pos;
    for (let i = 0; i < 8; i++) scratch8[i] = b[p + i];
    this.pos += 8;
  }
  i64(): bigint { this.load8(); return scratchView.getBigInt64(0, true); }
  f64(): number { this.load8(); return scratchView.getFloat64(0, true); }
  raw(): Uint8Array { const n = this.u32(); this.need(n); const b = this.bytes.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  text(): string { return utf8.decode(this.raw()); }
}

// ==== Pass 1: bytes → nodes (tables stay as entry lists, so the shape can be chosen once keys are known) ====

type Node =
  | { k: "scalar"; v: LuaValue; key: string }
  | { k: "table"; id: number; entries: [Node, Node][] }
  | { k: "ref"; id: number };

function integer(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function scalar(v: LuaValue, key: string): Node {
  return { k: "scalar", v, key };
}

function readNode(r: Reader, opts: DecodeHooks): Node {
  const tag = r.u8();
  switch (tag) {
    case Tag.NIL: return scalar(null, "nil");
    case Tag.FALSE: return scalar(false, "false");
    case Tag.TRUE: return scalar(true, "true");
    case Tag.INTEGER: { const v = integer(r.i64()); return scalar(v, String(v)); }
    case Tag.FLOAT: { const v = r.f64(); return scalar(v, String(v)); }
    case Tag.STRING: {
      const b = r.raw();
      const s = utf8.decode(b);
      return scalar(opts.rawStrings ? b.slice() : s, s);
    }
    case Tag.TABLE: {
      const id = r.u32();
      const entries: [Node, Node][] = [];
      while (r.bytes[r.pos] !== Tag.END) {
        r.need(1);
        const key = readNode(r, opts);
        entries.push([key, readNode(r, opts)]);
      }
      r.pos++; // the END tag
      return { k: "table", id, entries };
    }
    case Tag.TABLEREF: return { k: "ref", id: r.u32() };
    case Tag.FUNCTION: { const t = r.text(); return scalar(new LuaOpaque("function", t), t); }
    case Tag.OTHER: {
      const t = r.text();
      return scalar(new LuaOpaque(t.startsWith("thread") ? "thread" : "userdata", t), t);
    }
    case Tag.FUNCREF: {
      const ref = r.u32();
      const t = r.text();
      return scalar(opts.functionRef ? opts.functionRef(ref, t) : new LuaOpaque("function", t), t);
    }
    case Tag.EXT: {
      const id = r.u32();
      return scalar(opts.extTable ? opts.extTable(id) : { ext: id }, `ext.table: ${id}`);
    }
    default: throw new Error(`bad value tag ${tag} at byte ${r.pos - 1}`);
  }
}

// ==== Pass 2: nodes → JS values, one JS object per table id ====

/** True when the keys are exactly the integers 1..n (Lua never sends duplicate keys). */
function isSequence(entries: [Node, Node][]): boolean {
  if (entries.length === 0) return false;
  const n = entries.length;
  return entries.every(([k]) => k.k === "scalar" && typeof k.v === "number" && Number.isInteger(k.v)
    && k.v >= 1 && k.v <= n && k.key === String(k.v));
}

class Builder {
  private readonly tables = new Map<number, LuaTable>();

  value(node: Node): LuaValue {
    switch (node.k) {
      case "scalar": return node.v;
      case "ref": {
        const t = this.tables.get(node.id);
        if (t === undefined) throw new Error(`backreference to unknown table ${node.id}`);
        return t;
      }
      case "table": return this.table(node);
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
  const traceback = r.pos < bytes.length ? r.raw() : new Uint8Array(0);
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
