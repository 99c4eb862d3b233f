// wire.ts - stored values in the value encoding (host/wire.ts, docs/ABI.md): what the ext_* imports
// answer and read, and what the _home image and snapshots (host/persist/) write and read per value.
// Invariants: writeStored sends nested tables by reference (Tag.EXT + id), never their contents;
// readStored copies a Lua table (Tag.TABLE/TABLEREF) into new external tables of the store, keeping
// cycles and shared subtables, and must run inside store.atomic() when it may fail half-way (the
// imports and the image reader do); a key that no Lua table can hold is the TypeError Lua reports.

import { writeScalar } from "../encode.js";
import { Tag, type Reader, type Writer } from "../wire.js";
import type { ExtTableStore } from "./store.js";
import {
  bytesToStored,
  ExtFunc,
  ExtRef,
  GLOBALS,
  LuaBigInt,
  LuaFloat,
  NativeFn,
  type Cell,
  type FuncRecord,
  type Stored,
} from "./values.js";

const utf8 = new TextDecoder();
const FUNCTION_KEY = "external table keys must be strings, numbers or booleans (got function)";

/** Writes a stored value (nested tables by reference: Tag.EXT + id). */
export function writeStored(w: Writer, v: Stored | null): void {
  if (v === null) {
    w.nil();
    return;
  }
  if (writeScalar(w, v)) return;
  if (v instanceof ExtFunc) {
    w.u8(Tag.FUNC);
    w.u32(v.id);
    return;
  }
  if (v instanceof NativeFn) {
    w.u8(Tag.NATIVE);
    w.text(v.name);
    return;
  }
  w.u8(Tag.EXT);
  w.u32(v.id);
}

/**
 * Reads one value into a stored value of `store`. Lua tables (TABLE/TABLEREF) are copied into new
 * external tables (`tables` maps the message's table ids to them); EXT refers to an existing one; a
 * function stored for the first time (LFUNC) becomes a record with its upvalue cells.
 */
export function readStored(
  store: ExtTableStore,
  r: Reader,
  tables: Map<number, number> = new Map(),
  iskey = false,
): Stored | null {
  const tag = r.u8();
  switch (tag) {
    case Tag.NIL:
      return null;
    case Tag.FALSE:
      return false;
    case Tag.TRUE:
      return true;
    case Tag.INT:
      return r.integer();
    case Tag.FLT: {
      const x = r.f64();
      return Number.isInteger(x) ? new LuaFloat(x) : x;
    }
    case Tag.STR:
      return bytesToStored(r.raw());
    case Tag.BIGINT:
      if (iskey) throw new TypeError("external table keys must be strings, numbers or booleans (got bigint)");
      return new LuaBigInt(r.bigint());
    case Tag.EXT: {
      const id = r.u32();
      store.checkTable(id);
      return new ExtRef(id);
    }
    case Tag.TABLEREF: {
      const id = tables.get(r.u32());
      if (id === undefined) throw new Error("reference to an unknown table");
      return new ExtRef(id);
    }
    case Tag.TABLE:
      return readTable(store, r, tables);
    case Tag.FUNC: {
      if (iskey) throw new TypeError(FUNCTION_KEY);
      const fid = r.u32();
      if (!store.funcs.has(fid)) throw new Error("reference to an unknown stored function");
      return new ExtFunc(fid);
    }
    case Tag.NATIVE: {
      if (iskey) throw new TypeError(FUNCTION_KEY);
      return new NativeFn(utf8.decode(r.raw()));
    }
    case Tag.LFUNC: {
      if (iskey) throw new TypeError(FUNCTION_KEY);
      return readNewFunction(store, r, tables);
    }
    default:
      throw new Error(`cannot store a value with tag ${tag}`);
  }
}

/** A Lua table copied into a new external table: u32 id, key/value pairs, END. */
function readTable(store: ExtTableStore, r: Reader, tables: Map<number, number>): ExtRef {
  const wid = r.u32();
  const id = store.create();
  tables.set(wid, id);
  while (r.peek() !== Tag.END) {
    const k = readStored(store, r, tables, true);
    const v = readStored(store, r, tables);
    if (k === null) throw new TypeError("index is nil");
    if (k instanceof ExtRef)
      throw new TypeError("external table keys must be strings, numbers or booleans (got table)");
    store.set(id, k, v);
  }
  r.u8();
  return new ExtRef(id);
}

/**
 * A function stored for the first time: u32 fid (from ext_newid), its chunk, u8 nup, then per upvalue
 * u32 cell id, u8 isnew and (new cells) the cell's value; known cells are shared with an earlier
 * stored function and must exist.
 */
function readNewFunction(store: ExtTableStore, r: Reader, tables: Map<number, number>): ExtFunc {
  const fid = r.u32();
  if (fid === 0 || fid >= store.nextFuncId || store.funcs.has(fid)) throw new Error("bad stored function id");
  const rec: FuncRecord = { chunk: r.raw().slice(), ups: [] };
  store.funcs.set(fid, rec); // before the cells: a recursive function refers to itself
  const nup = r.u8();
  for (let i = 0; i < nup; i++) {
    const id = r.u32();
    const isnew = r.u8();
    if (id === 0 || id >= store.nextCellId) throw new Error("bad upvalue cell id");
    rec.ups.push(id);
    if (isnew) store.cells.set(id, readCell(store, r, tables));
    else if (!store.cells.has(id)) throw new Error("reference to an unknown upvalue cell");
  }
  return new ExtFunc(fid);
}

/** Reads a cell value: the globals marker or a stored value. */
export function readCell(store: ExtTableStore, r: Reader, tables: Map<number, number> = new Map()): Cell {
  if (r.peek() === Tag.GLOBALS) {
    r.u8();
    return GLOBALS;
  }
  return readStored(store, r, tables);
}

/** Writes a cell value: the globals marker or a stored value (an absent cell as nil). */
export function writeCell(w: Writer, c: Cell | undefined): void {
  if (c === GLOBALS) w.u8(Tag.GLOBALS);
  else writeStored(w, c ?? null);
}

/** The record of stored function fid as ext_fnrec answers it: chunk, then each cell's id and value. */
export function writeRecord(store: ExtTableStore, w: Writer, fid: number): void {
  const f = store.funcs.get(fid);
  if (!f) throw new Error("reference to an unknown stored function");
  w.bytes(f.chunk);
  w.u8(f.ups.length);
  for (const id of f.ups) {
    w.u32(id);
    writeCell(w, store.cells.get(id));
  }
}
