// ext-tables.ts - external tables: their data in host Maps (ExtTableStore), the conversions between
// stored values, the wire encoding (docs/ABI.md) and plain JS values, the serialised form persistence
// uses, and the ext_* / host_call imports (HostSide) the module calls.
//
// Stored values keep Lua's types: integers are numbers when safe and bigint otherwise, floats are
// numbers (a float with an integral value is wrapped as LuaFloat so 1.0 stays 1.0), strings are JS
// strings when they are valid UTF-8 and Uint8Array otherwise, nested tables are ExtRef(id).
// Functions are ExtFunc(id) (a record: binary chunk + upvalue cell ids, the cells holding stored
// values) or NativeFn(name).
// Memory: the store counts the bytes it holds (the estimate under "Host bytes" below) incrementally,
// O(1) per change; bound to an instance (HostSide.bind), it refuses any change that would take the
// Lua heap plus those bytes past the memory limit (HostMemoryError, "not enough memory"), before
// changing anything, and keeps the count in the module's view so the module's own checks include it.
// An operation that builds several things (a copied Lua table, a converted JS value, a loaded image)
// runs in atomic(): if it fails, everything it created or changed is undone.
// Invariants: a key's identity is its canonical text (Lua's rules: 1 and "1" differ, 1.0 is 1, NaN
// and nil are never keys); a Map never holds a nil value (assigning nil deletes); table ids 1 (_home)
// and 2 (_io) always exist; hostBytes is the sum of the charges of every table, entry, record and
// cell held; no exception from a handler ever crosses into wasm (it becomes an encoded error value
// and the import returns -1, or -3 for memory).

import { decodeN, LuaOpaque, type DecodeOptions, type LuaValue } from "./codec.js";
import { checkI64, encodeValues, isLuaInteger, LuaFloat, Writer, WireTag, type EncodeContext } from "./encode.js";
import { forEachElement } from "./js-array.js";
import type { LuaWasm } from "./loader.js";

export { LuaFloat };

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
export type Stored = boolean | number | bigint | string | Uint8Array | LuaFloat | ExtRef | ExtFunc | NativeFn;

/** The globals table of the state that loads a function, as an upvalue cell's value. */
export const GLOBALS: unique symbol = Symbol("globals");
/** What an upvalue cell holds. */
export type Cell = Stored | null | typeof GLOBALS;

/** A stored Lua function: its binary chunk (assembly/persist/dump.ts, with debug info) and cell ids. */
export interface FuncRecord {
  chunk: Uint8Array;
  ups: number[];
}

export const HOME_ID = 1;
export const IO_ID = 2;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const utf8 = new TextDecoder();

/** Bytes → a JS string when valid UTF-8, else the bytes themselves (copied). */
function bytesToStored(b: Uint8Array): string | Uint8Array {
  try { return strictUtf8.decode(b); } catch { return b.slice(); }
}

function latin1(b: Uint8Array): string {
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
    case "string": case "boolean": case "bigint": return k;
    case "number":
      if (Number.isNaN(k)) throw new TypeError("index is NaN");
      return k;
  }
  if (k instanceof Uint8Array) return BINKEY + latin1(k);
  if (k instanceof LuaFloat) return k.value;   // only non-integral floats reach here as keys
  throw new TypeError(`external table keys must be strings, numbers or booleans (got ${k instanceof ExtRef ? "table" : "function"})`);
}

const BINKEY = "\uD800";

/** Nesting of a JS value fromJS converts (deeper: a RangeError, not a JS stack overflow). */
const MAX_JS_DEPTH = 1000;

/** Normalises a key as Lua does: an integral float is an integer, a small bigint a number. */
function normKey(k: Stored): Stored {
  if (k instanceof LuaFloat) {
    const v = k.value;
    if (Number.isNaN(v)) throw new TypeError("index is NaN");
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return v === 0 ? 0 : v;
    if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) return BigInt(v);
    return v;
  }
  if (typeof k === "bigint") return normInt(k);
  return k;
}

function normInt(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
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
// value, an integer beyond 2^53, a table reference, a function) = BOX_BYTES (plus a native's name);
// other numbers and booleans 0 (they live in the entry). The count is an estimate, not a measurement
// of the JS heap, but it is proportional to it, so memoryLimit bounds the heap external tables use.
export const TABLE_BYTES = 200;
export const ENTRY_BYTES = 100;
export const RECORD_BYTES = 100;
export const CELL_BYTES = 100;
export const STRING_BYTES = 24;
export const BOX_BYTES = 24;
/** Growth of the store (bytes) that asks for a collection at the least (see ExtTableStore.collectAt). */
const COLLECT_STEP = 1 << 20;

/** Bytes of a JS string in UTF-8 (lone surrogates as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { n += 1; continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 2; i++; continue; }   // a pair: 4 bytes for 2 units
    }
    n += 2;
  }
  return n;
}

/** size(v) of the estimate above. */
export function storedBytes(v: Stored | null): number {
  switch (typeof v) {
    case "string": return STRING_BYTES + utf8Length(v);
    case "number": case "boolean": return 0;
    case "bigint": return BOX_BYTES;
  }
  if (v === null) return 0;
  if (v instanceof Uint8Array) return STRING_BYTES + v.byteLength;
  if (v instanceof NativeFn) return BOX_BYTES + v.name.length;
  return BOX_BYTES;
}

/** size(key): a binary key is also kept as its Latin-1 text (its canonical identity). */
function keyBytes(k: Stored): number {
  return k instanceof Uint8Array ? 2 * (STRING_BYTES + k.byteLength) : storedBytes(k);
}

/** What a record costs. */
function recordBytes(f: FuncRecord): number { return RECORD_BYTES + f.chunk.byteLength; }
/** What a cell costs. */
function cellBytes(c: Cell): number { return CELL_BYTES + (c === GLOBALS ? 0 : storedBytes(c)); }

/** A write refused because the state would pass its memory limit (nothing was changed). */
export class HostMemoryError extends RangeError {
  constructor() { super("not enough memory"); }
}

/** An entry: key, value, and what it is charged (ENTRY_BYTES + size(key) + size(value)). */
export type Entry = [key: Stored, value: Stored, bytes: number];

interface ExtTable {
  entries: Map<Canon, Entry>;
  /** Border hint for `#` (kept close to the real border so appends stay O(1)). */
  border: number;
  /** The iterator of the traversal in progress, and the key it returned last. */
  iter: Iterator<[Canon, Entry]> | null;
  iterKey: Canon | null;
  /** The charges of its entries (TABLE_BYTES not included). */
  bytes: number;
}

function newTable(): ExtTable {
  return { entries: new Map(), border: 0, iter: null, iterKey: null, bytes: 0 };
}

/** What atomic() records: what the operation created (deleted on failure) and how to undo its other changes. */
interface Journal {
  tables: Set<number>;
  undo: (() => void)[];
}

/**
 * The store's map of records or cells: set/delete/clear charge and credit the store (and can refuse
 * with HostMemoryError before changing anything), so writers outside this file (host/persist/*) are
 * counted like the imports.
 */
class ChargedMap<V> extends Map<number, V> {
  private readonly charges = new Map<number, number>();
  private owner: ExtTableStore | null = null;
  private cost: ((v: V) => number) | null = null;

  /** Attaches the map to its store (the Map constructor may not be given extra arguments). */
  init(owner: ExtTableStore, cost: (v: V) => number): this { this.owner = owner; this.cost = cost; return this; }

  override set(k: number, v: V): this {
    if (this.owner === null) return super.set(k, v);
    const c = this.cost!(v), had = super.has(k), prev = super.get(k) as V, pc = this.charges.get(k) ?? 0;
    this.owner.charge(c - pc);
    this.owner.noteDrop();                     // an old value dropped, or a new record whose closure may die unseen
    this.owner.record(() => this.put(k, had, prev, pc));
    super.set(k, v);
    this.charges.set(k, c);
    return this;
  }

  override delete(k: number): boolean {
    if (this.owner === null || !super.has(k)) return super.delete(k);
    const prev = super.get(k) as V, pc = this.charges.get(k) ?? 0;
    this.owner.charge(-pc);
    this.owner.noteDrop();
    this.owner.record(() => this.put(k, true, prev, pc));
    this.charges.delete(k);
    return super.delete(k);
  }

  override clear(): void {
    for (const k of [...this.keys()]) this.delete(k);
  }

  /** Undo: puts back what key k held (had = false: nothing) and its charge. */
  private put(k: number, had: boolean, v: V, c: number): void {
    this.owner!.uncharge(c - (this.charges.get(k) ?? 0));
    if (had) { super.set(k, v); this.charges.set(k, c); } else { super.delete(k); this.charges.delete(k); }
  }
}

/** Summary returned by getTableInfo(). */
export interface ExtTableInfo {
  /** External tables in the store (including _home and _io). */
  tables: number;
  /** Entries over all tables. */
  entries: number;
  /** Entries directly in _home and _io. */
  home: number;
  io: number;
  /** Tables reachable from _home (what saveState writes). */
  persistedTables: number;
  /** Stored Lua function records in the store. */
  functions: number;
}

/** What collect() dropped. */
export interface Collected {
  tables: number;
  records: number;
  cells: number;
}

/** What reachableAll() finds: table ids, function record ids and upvalue cell ids. */
export interface Reachable {
  tables: Set<number>;
  funcs: Set<number>;
  cells: Set<number>;
}

// ==== The store ====

export class ExtTableStore {
  private readonly tables = new Map<number, ExtTable>();
  private nextId = 1;
  /** Stored Lua functions and their upvalue cells (ids never reused, as table ids). */
  readonly funcs: Map<number, FuncRecord> = new ChargedMap<FuncRecord>().init(this, recordBytes);
  readonly cells: Map<number, Cell> = new ChargedMap<Cell>().init(this, cellBytes);
  nextFuncId = 1;
  nextCellId = 1;
  /** The estimate of the bytes held (see "Host bytes"). */
  private bytes = 0;
  /**
   * Whether a table may have become unreachable since the last collect(): set when a table is
   * created (its only proxy may die unseen), when a reference to a table is deleted or overwritten
   * (an entry, a cell, a cleared table), when an operation is undone and when fromJS hands out a
   * table its caller may never store. While it is clear and every proxy live at the last collect()
   * is still live, nothing new can be garbage and collect() skips its walk.
   */
  private mayHaveGarbage = true;
  private lastLive = new Set<number>();
  private lastLiveFuncs: Set<number> | null = null;
  /**
   * Pacing of collections before the limit is near: once hostBytes passes this, onWantCollect asks
   * the module for its live proxies (it answers at its next write or ext.table()); after a
   * collection it is set to twice what remains (at least COLLECT_STEP more), as PUC's pause of 200%.
   */
  private collectAt = COLLECT_STEP;
  /** Asks the module for a collection (HostSide: the request flag beside the byte count). */
  onWantCollect: ((want: boolean) => void) | null = null;

  /** A reference to a table was dropped (see mayHaveGarbage). @internal */
  noteDrop(): void { this.mayHaveGarbage = true; }
  /**
   * The most the store may hold now (the memory limit less the Lua heap), asked before each charge;
   * Infinity while the store is not bound to an instance (HostSide.bind sets it).
   */
  room: () => number = () => Infinity;
  /** Told the new count after every change (HostSide writes it into the module's view). */
  onBytes: ((bytes: number) => void) | null = null;
  /**
   * Collects garbage on both sides (HostSide: the module's ext_hostgc export, which ends in
   * collect() with the ids Lua holds); null while unbound or when the module lacks the export.
   */
  collector: (() => void) | null = null;
  private journal: Journal | null = null;

  constructor() {
    this.create(); // 1: _home
    this.create(); // 2: _io
  }

  /** The bytes external tables hold by the estimate of "Host bytes" (what counts against memoryLimit). */
  get hostBytes(): number { return this.bytes; }

  /**
   * Adds delta bytes to the count; a positive delta that would pass room() throws HostMemoryError
   * first. Every change of the store calls this before it changes anything.
   * @internal
   */
  charge(delta: number): void {
    if (delta > 0 && this.bytes + delta > this.room()) throw new HostMemoryError();
    this.uncharge(delta);
  }

  /** Adds delta without the limit check (undo, deletes). @internal */
  uncharge(delta: number): void {
    if (delta === 0) return;
    this.bytes += delta;
    this.onBytes?.(this.bytes);
    if (delta > 0 && this.bytes > this.collectAt) {
      this.collectAt = Infinity;                // asked once; collect() sets the next threshold
      this.onWantCollect?.(true);
    }
  }

  /** Records how to undo a change when an atomic() operation is in progress. @internal */
  record(undo: () => void): void {
    if (this.journal !== null) this.journal.undo.push(undo);
  }

  /**
   * Runs fn as one operation: if it throws, every table it created is removed and every other change
   * it made (entries, cleared tables, records, cells) is undone, then the error is rethrown. Nested
   * calls join the outer operation.
   */
  atomic<T>(fn: () => T): T {
    if (this.journal !== null) return fn();
    const j: Journal = { tables: new Set(), undo: [] };
    this.journal = j;
    try {
      return fn();
    } catch (e) {
      this.journal = null;
      this.mayHaveGarbage = true;
      for (let i = j.undo.length - 1; i >= 0; i--) j.undo[i]();
      for (const id of j.tables) this.drop(id);
      throw e;
    } finally {
      this.journal = null;
    }
  }

  /** Removes a table (only one an atomic() operation created and nothing else refers to). */
  private drop(id: number): void {
    const t = this.tables.get(id);
    if (!t) return;
    this.tables.delete(id);
    this.uncharge(-(TABLE_BYTES + t.bytes));
  }

  /** A new empty table's id; HostMemoryError past the limit. */
  create(): number {
    this.charge(TABLE_BYTES);
    const id = this.nextId++;
    this.tables.set(id, newTable());
    this.mayHaveGarbage = true;                 // its proxy (ext.table()) may die before the next walk
    this.journal?.tables.add(id);
    return id;
  }

  /** Creates table `id` if absent, keeping ids stable when a snapshot is restored (host/persist/snapshot.ts). */
  ensure(id: number): void {
    if (!this.tables.has(id)) {
      this.charge(TABLE_BYTES);
      this.tables.set(id, newTable());
      this.journal?.tables.add(id);
    }
    if (id >= this.nextId) this.nextId = id + 1;
  }

  /** The id the next create() returns (snapshots keep it so ids are never reused). */
  get nextTableId(): number { return this.nextId; }
  set nextTableId(n: number) { if (n > this.nextId) this.nextId = n; }

  private table(id: number): ExtTable {
    const t = this.tables.get(id);
    if (!t) throw new Error(`external table ${id} does not exist`);
    return t;
  }

  has(id: number): boolean { return this.tables.has(id); }

  get(id: number, key: Stored): Stored | null {
    const e = this.table(id).entries.get(keyOf(normKey(key)));
    return e ? e[1] : null;
  }

  /** t[key] = value; null deletes. */
  set(id: number, key: Stored, value: Stored | null): void {
    const k = normKey(key);
    this.setCanon(id, keyOf(k), k, value);
  }

  /**
   * t[key] = fromJS(value) as one operation: when it fails nothing changes (HostMemoryError past the
   * limit, after one retry that follows a collection of both sides). For LuaPersistent.setInput/setMetadata.
   */
  setJS(id: number, key: Stored, value: unknown): void {
    this.retrying(() => this.set(id, key, this.fromJS(value)));
  }

  /** atomic(fn), and once more after a collection (collector) when the limit refused it. */
  retrying<T>(fn: () => T): T {
    try {
      return this.atomic(fn);
    } catch (e) {
      if (!(e instanceof HostMemoryError) || this.collector === null || this.journal !== null) throw e;
      this.collector();
      return this.atomic(fn);
    }
  }

  /**
   * Drops every table, stored-function record and upvalue cell that nothing can reach any more: not
   * _home, _io, the tables Lua holds a proxy for (`live`, from the module), the records Lua holds a
   * closure of (`liveFuncs`; null: every record and cell is held, as while a store is in progress),
   * nor anything reachable from them. Their bytes are given back; returns how many of each went.
   */
  collect(live: Iterable<number>, liveFuncs: Iterable<number> | null = null): Collected {
    const none: Collected = { tables: 0, records: 0, cells: 0 };
    if (this.journal !== null) return none;  // an operation in progress may hold references not stored yet
    const liveSet = new Set(live), funcSet = liveFuncs === null ? null : new Set(liveFuncs);
    this.onWantCollect?.(false);
    // no reference dropped and every proxy and closure of the last walk still live: nothing new can
    // be garbage (a script retrying past the limit must not cost a walk of the whole store per attempt)
    const lastFuncs = this.lastLiveFuncs;
    if (!this.mayHaveGarbage && [...this.lastLive].every((id) => liveSet.has(id))
        && (funcSet === null || (lastFuncs !== null && [...lastFuncs].every((id) => funcSet.has(id))))) {
      this.collectAt = Math.max(2 * this.bytes, this.bytes + COLLECT_STEP);
      return none;
    }
    const reach = funcSet === null
      ? this.reachableAll([HOME_ID, IO_ID, ...liveSet], this.funcs.keys(), this.cells.keys())
      : this.reachableAll([HOME_ID, IO_ID, ...liveSet], funcSet);
    const out: Collected = { tables: 0, records: 0, cells: 0 };
    for (const id of [...this.tables.keys()]) if (!reach.tables.has(id)) { this.drop(id); out.tables++; }
    for (const id of [...this.funcs.keys()]) if (!reach.funcs.has(id)) { this.funcs.delete(id); out.records++; }
    for (const id of [...this.cells.keys()]) if (!reach.cells.has(id)) { this.cells.delete(id); out.cells++; }
    this.mayHaveGarbage = false;
    this.lastLive = liveSet;
    this.lastLiveFuncs = funcSet;
    this.collectAt = Math.max(2 * this.bytes, this.bytes + COLLECT_STEP);
    return out;
  }

  /** get() for a key already in canonical form (the imports' fast paths). */
  getCanon(id: number, canon: Canon): Stored | null {
    const e = this.table(id).entries.get(canon);
    return e ? e[1] : null;
  }

  /**
   * set() for a normalised key `k` whose canonical form is `canon`; `bytes` is the new entry's charge
   * when the caller knows it (the imports know the strings' byte lengths), else it is computed.
   */
  setCanon(id: number, canon: Canon, k: Stored, value: Stored | null, bytes?: number): void {
    const t = this.table(id);
    const e = t.entries.get(canon);
    const undoable = this.journal !== null && !this.journal.tables.has(id);
    if (e && (e[1] instanceof ExtRef || e[1] instanceof ExtFunc)) this.mayHaveGarbage = true;   // that table or record may now be unreachable
    if (value === null) {
      if (!e) return;
      this.uncharge(-e[2]);
      t.bytes -= e[2];
      t.entries.delete(canon);
      if (undoable) this.record(() => { t.entries.set(canon, e); t.bytes += e[2]; this.uncharge(e[2]); t.iter = null; });
      return;
    }
    const c = bytes ?? ENTRY_BYTES + keyBytes(k) + storedBytes(value);
    const pc = e ? e[2] : 0;
    this.charge(c - pc);
    t.bytes += c - pc;
    if (e) {
      const pv = e[1];
      e[1] = value; e[2] = c;
      if (undoable) this.record(() => { e[1] = pv; e[2] = pc; t.bytes += pc - c; this.uncharge(pc - c); });
    } else {
      t.entries.set(canon, [k, value, c]);
      if (undoable) this.record(() => { t.entries.delete(canon); t.bytes -= c; this.uncharge(-c); t.iter = null; });
    }
  }

  /** Deletes every entry (clearIo), giving their bytes back. */
  clear(id: number): void {
    const t = this.table(id);
    const old = t.entries, ob = t.bytes, border = t.border;
    t.entries = new Map();
    t.bytes = 0;
    t.border = 0;
    t.iter = null;
    t.iterKey = null;
    this.uncharge(-ob);
    if (ob > 0) this.mayHaveGarbage = true;
    if (this.journal !== null && !this.journal.tables.has(id)) {
      this.record(() => { t.entries = old; t.bytes = ob; t.border = border; t.iter = null; t.iterKey = null; this.uncharge(ob); });
    }
  }

  size(id: number): number { return this.table(id).entries.size; }

  /** A border: n with t[n] ~= nil and t[n+1] == nil, or 0 when t[1] is nil (as `#` on a Lua table). */
  length(id: number): number {
    const t = this.table(id);
    const has = (i: number): boolean => t.entries.has(i);
    let j = t.border;
    if (j > 0 && !has(j)) {
      while (j > 0 && !has(j)) j--;
    } else {
      while (has(j + 1)) j++;
    }
    t.border = j;
    return j;
  }

  /**
   * next(t, key): the entry after `key` (null key: the first one), `undefined` at the end, or
   * throws "invalid key to 'next'". A sequential traversal costs O(1) per step; deleting entries
   * while traversing is allowed, as in Lua.
   */
  next(id: number, key: Stored | null): Entry | undefined {
    const t = this.table(id);
    let it: Iterator<[Canon, Entry]>;
    if (key === null) {
      it = t.entries.entries();
    } else {
      const canon = keyOf(normKey(key));
      if (t.iter !== null && t.iterKey === canon) {
        it = t.iter;
      } else {
        if (!t.entries.has(canon)) throw new InvalidKeyError();
        it = t.entries.entries();
        for (let r = it.next(); !r.done; r = it.next()) if (r.value[0] === canon) break;
      }
    }
    const r = it.next();
    if (r.done) { t.iter = null; t.iterKey = null; return undefined; }
    t.iter = it;
    t.iterKey = r.value[0];
    return r.value[1];
  }

  entries(id: number): IterableIterator<Entry> {
    return this.table(id).entries.values();
  }

  /**
   * The estimate recomputed from scratch (O(everything)): equals hostBytes while the incremental
   * count is right. For tests and fuzzers; -1 when an entry's recorded charge is not its estimate.
   */
  recount(): number {
    let n = 0;
    for (const t of this.tables.values()) {
      let tb = 0;
      for (const [k, v, c] of t.entries.values()) {
        if (c !== ENTRY_BYTES + keyBytes(k) + storedBytes(v)) return -1;
        tb += c;
      }
      if (tb !== t.bytes) return -1;
      n += TABLE_BYTES + tb;
    }
    for (const f of this.funcs.values()) n += recordBytes(f);
    for (const c of this.cells.values()) n += cellBytes(c);
    return n;
  }

  /** Table ids reachable from `root` through ExtRef values and keys and stored functions (root included). */
  reachable(root: number): Set<number> {
    return this.reachableAll([root]).tables;
  }

  /** Tables, function records and cells reachable from the given tables, records and cells. */
  reachableAll(rootTables: Iterable<number>, rootFuncs: Iterable<number> = [], rootCells: Iterable<number> = []): Reachable {
    const out: Reachable = { tables: new Set(), funcs: new Set(), cells: new Set() };
    const tstack: number[] = [], cstack: number[] = [];
    const value = (x: Cell): void => {
      if (x instanceof ExtRef) { if (!out.tables.has(x.id) && this.tables.has(x.id)) { out.tables.add(x.id); tstack.push(x.id); } }
      else if (x instanceof ExtFunc) func(x.id);
    };
    const func = (id: number): void => {
      const f = this.funcs.get(id);
      if (!f || out.funcs.has(id)) return;
      out.funcs.add(id);
      for (const c of f.ups) cell(c);
    };
    const cell = (id: number): void => {
      if (out.cells.has(id) || !this.cells.has(id)) return;
      out.cells.add(id);
      cstack.push(id);
    };
    for (const id of rootTables) value(new ExtRef(id));
    for (const id of rootFuncs) func(id);
    for (const id of rootCells) cell(id);
    while (tstack.length > 0 || cstack.length > 0) {
      if (cstack.length > 0) { value(this.cells.get(cstack.pop()!) ?? null); continue; }
      const t = this.tables.get(tstack.pop()!)!;
      for (const [k, v] of t.entries.values()) { value(k); value(v); }
    }
    return out;
  }

  // ==== Stored functions ====

  /** A new record id (kind 0) or cell id (kind 1), for the module's ext_newid import. */
  newId(kind: number): number {
    return kind === 0 ? this.nextFuncId++ : this.nextCellId++;
  }

  /** Reads a cell value: the globals marker or a stored value (wire encoding). */
  readCell(r: WireReader, tables: Map<number, number> = new Map()): Cell {
    if (r.peek() === WireTag.GLOBALS) { r.u8(); return GLOBALS; }
    return this.readStored(r, tables);
  }

  writeCell(w: Writer, c: Cell | undefined): void {
    if (c === GLOBALS) w.u8(WireTag.GLOBALS); else this.writeStored(w, c ?? null);
  }

  /** The record of stored function fid as ext_fnrec answers it: chunk, then each cell's id and value. */
  writeRecord(w: Writer, fid: number): void {
    const f = this.funcs.get(fid);
    if (!f) throw new Error("reference to an unknown stored function");
    w.bytes(f.chunk);
    w.u8(f.ups.length);
    for (const id of f.ups) { w.u32(id); this.writeCell(w, this.cells.get(id)); }
  }

  info(): ExtTableInfo {
    let entries = 0;
    for (const t of this.tables.values()) entries += t.entries.size;
    return {
      tables: this.tables.size, entries, home: this.size(HOME_ID), io: this.size(IO_ID),
      persistedTables: this.reachable(HOME_ID).size, functions: this.funcs.size,
    };
  }

  // ==== JS values ====

  /**
   * A JS value → a stored value; objects, arrays and Maps become new external tables (cycles kept),
   * counted against the memory limit. One operation: on any error (an unsupported value, the limit)
   * the tables it made are removed. Arrays cost their elements, not their length (js-array.ts).
   */
  fromJS(v: unknown, seen: Map<object, number> = new Map()): Stored | null {
    const r = this.atomic(() => this.convert(v, seen, 0));
    if (r instanceof ExtRef) this.mayHaveGarbage = true;     // the caller may never store it
    return r;
  }

  private convert(v: unknown, seen: Map<object, number>, depth: number): Stored | null {
    switch (typeof v) {
      case "undefined": return null;
      case "boolean": case "string": return v;
      case "number": return isLuaInteger(v) || !Number.isInteger(v) ? v : new LuaFloat(v);
      case "bigint": return normInt(checkI64(v));
      case "function": throw new TypeError("cannot store a function in an external table");
      case "symbol": throw new TypeError("cannot store a symbol in an external table");
    }
    if (v === null) return null;
    if (v instanceof LuaFloat || v instanceof ExtRef || v instanceof ExtFunc || v instanceof NativeFn) return v;
    if (v instanceof Uint8Array) return bytesToStored(v);
    const o = v as object;
    const known = seen.get(o);
    if (known !== undefined) return new ExtRef(known);
    if (ArrayBuffer.isView(o)) throw new TypeError(`cannot store a ${o.constructor.name} in an external table (use Uint8Array)`);
    if (depth >= MAX_JS_DEPTH) throw new RangeError("object nesting too deep to store in an external table");
    const id = this.create();
    seen.set(o, id);
    const put = (k: unknown, val: unknown): void => {
      const sv = this.convert(val, seen, depth + 1);
      if (sv === null) return;
      const sk = this.convert(k, seen, depth + 1);
      if (sk === null) throw new TypeError("cannot use null/undefined as an external table key");
      if (sk instanceof ExtRef) throw new TypeError("external table keys must be strings, numbers or booleans (got table)");
      this.set(id, sk, sv);
    };
    if (Array.isArray(o)) forEachElement(o, (i, val) => put(i + 1, val));
    else if (o instanceof Map) for (const [k, val] of o) put(k, val);
    else for (const k of Object.keys(o)) put(k, (o as Record<string, unknown>)[k]);
    return new ExtRef(id);
  }

  /**
   * A stored value → a plain JS value: tables become arrays when their keys are exactly 1..n, else
   * objects keyed by the key's text; the same table is the same JS object (cycles preserved).
   */
  toJS(v: Stored | null, seen: Map<number, unknown> = new Map()): unknown {
    if (v === null) return null;
    if (v instanceof LuaFloat) return v.value;
    if (v instanceof Uint8Array) return utf8.decode(v);
    if (v instanceof ExtFunc) return new LuaOpaque("function", `function: stored ${v.id}`);
    if (v instanceof NativeFn) return new LuaOpaque("function", `function: builtin: ${v.name}`);
    if (!(v instanceof ExtRef)) return v;
    const hit = seen.get(v.id);
    if (hit !== undefined) return hit;
    const t = this.tables.get(v.id);
    if (!t) return null;
    const n = t.entries.size;
    let seq = n > 0;
    if (seq) for (let i = 1; i <= n; i++) if (!t.entries.has(i)) { seq = false; break; }
    if (seq) {
      const arr: unknown[] = new Array(n);
      seen.set(v.id, arr);
      for (let i = 1; i <= n; i++) arr[i - 1] = this.toJS(t.entries.get(i)![1], seen);
      return arr;
    }
    const obj: Record<string, unknown> = {};
    seen.set(v.id, obj);
    for (const [k, val] of t.entries.values()) {
      const key = k instanceof ExtRef ? `table: ${k.id}` : String(k instanceof Uint8Array ? utf8.decode(k) : k instanceof LuaFloat ? k.value : k);
      Object.defineProperty(obj, key, { value: this.toJS(val, seen), enumerable: true, writable: true, configurable: true });
    }
    return obj;
  }

  // ==== Wire encoding (docs/ABI.md) ====

  /** Writes a stored value in the wire encoding (nested tables by reference: tag 11). */
  writeStored(w: Writer, v: Stored | null): void {
    if (v === null) { w.nil(); return; }
    switch (typeof v) {
      case "boolean": w.boolean(v); return;
      case "number": if (isLuaInteger(v)) w.integer(v); else w.float(v); return;
      case "bigint": w.integer(v); return;
      case "string": w.string(v); return;
    }
    if (v instanceof LuaFloat) { w.float(v.value); return; }
    if (v instanceof Uint8Array) { w.string(v); return; }
    if (v instanceof ExtFunc) { w.u8(WireTag.FUNC); w.u32(v.id); return; }
    if (v instanceof NativeFn) { w.u8(WireTag.NATIVE); w.text(v.name); return; }
    w.u8(WireTag.EXT); w.u32(v.id);
  }

  /**
   * Reads one wire value into a stored value. Lua tables (tags 6/7) are copied into new external
   * tables, keeping cycles and shared subtables; tag 11 refers to an existing external table.
   */
  readStored(r: WireReader, tables: Map<number, number> = new Map(), iskey = false): Stored | null {
    const tag = r.u8();
    switch (tag) {
      case WireTag.NIL: return null;
      case WireTag.FALSE: return false;
      case WireTag.TRUE: return true;
      case WireTag.INTEGER: return normInt(r.i64());
      case WireTag.FLOAT: { const x = r.f64(); return Number.isInteger(x) ? new LuaFloat(x) : x; }
      case WireTag.STRING: return bytesToStored(r.raw());
      case WireTag.EXT: { const id = r.u32(); this.table(id); return new ExtRef(id); }
      case WireTag.TABLEREF: {
        const id = tables.get(r.u32());
        if (id === undefined) throw new Error("reference to an unknown table");
        return new ExtRef(id);
      }
      case WireTag.TABLE: {
        const wid = r.u32();
        const id = this.create();
        tables.set(wid, id);
        while (r.peek() !== WireTag.END) {
          const k = this.readStored(r, tables, true);
          const v = this.readStored(r, tables);
          if (k === null) throw new TypeError("index is nil");
          if (k instanceof ExtRef) throw new TypeError("external table keys must be strings, numbers or booleans (got table)");
          this.set(id, k, v);
        }
        r.u8();
        return new ExtRef(id);
      }
      case WireTag.FUNC: {
        if (iskey) throw new TypeError("external table keys must be strings, numbers or booleans (got function)");
        const fid = r.u32();
        if (!this.funcs.has(fid)) throw new Error("reference to an unknown stored function");
        return new ExtFunc(fid);
      }
      case WireTag.NATIVE: {
        if (iskey) throw new TypeError("external table keys must be strings, numbers or booleans (got function)");
        return new NativeFn(utf8.decode(r.raw()));
      }
      case WireTag.LFUNC: {
        // a function stored for the first time: its ids come from ext_newid; new cells carry a value,
        // known ones are cells this store already holds (shared with an earlier stored function)
        if (iskey) throw new TypeError("external table keys must be strings, numbers or booleans (got function)");
        const fid = r.u32();
        if (fid === 0 || fid >= this.nextFuncId || this.funcs.has(fid)) throw new Error("bad stored function id");
        const rec: FuncRecord = { chunk: r.raw().slice(), ups: [] };
        this.funcs.set(fid, rec);          // before the cells: a recursive function refers to itself
        const nup = r.u8();
        for (let i = 0; i < nup; i++) {
          const id = r.u32();
          const isnew = r.u8();
          if (id === 0 || id >= this.nextCellId) throw new Error("bad upvalue cell id");
          rec.ups.push(id);
          if (isnew) this.cells.set(id, this.readCell(r, tables));
          else if (!this.cells.has(id)) throw new Error("reference to an unknown upvalue cell");
        }
        return new ExtFunc(fid);
      }
      default: throw new Error(`cannot store a value with tag ${tag}`);
    }
  }
}

export class InvalidKeyError extends Error {
  constructor() { super("invalid key to 'next'"); }
}

/** A cursor over wire bytes. */
export class WireReader {
  private readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void { if (this.pos + n > this.bytes.length) throw new Error("truncated value"); }
  peek(): number { this.need(1); return this.bytes[this.pos]; }
  u8(): number { this.need(1); return this.bytes[this.pos++]; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  i64(): bigint { this.need(8); const v = this.view.getBigInt64(this.pos, true); this.pos += 8; return v; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.pos, true); this.pos += 8; return v; }
  raw(): Uint8Array { const n = this.u32(); this.need(n); const b = this.bytes.subarray(this.pos, this.pos + n); this.pos += n; return b; }
}

// ==== The imports (module "env") ====

/** What the host does when Lua calls a JS function: the engine registers these. */
export interface HostFunctionTable {
  call(id: number, args: Uint8Array, nargs: number): unknown[];
  /** How to encode the results and thrown values (functions, Lua function wrappers). */
  context: EncodeContext;
}

/**
 * Per-instance host state behind the ext_* and host_call imports: the external-table store and the
 * JS functions Lua may call. It outlives a re-instantiated module (the runtime hands it over), so
 * _home survives an internal error. Once the module has bound it (ext_bind, at lua_init), its store
 * is limited by that instance: hostBytes + the Lua heap <= the memory limit, and the module sees
 * hostBytes. Assigning another store (engine.load, restore) binds that one instead.
 */
export class HostSide {
  private current = new ExtTableStore();
  functions: HostFunctionTable | null = null;
  private wasm: LuaWasm | null = null;
  private mirror = 0;

  get store(): ExtTableStore { return this.current; }
  set store(s: ExtTableStore) {
    if (s === this.current) return;
    this.current.room = () => Infinity;       // the old store no longer speaks for this instance
    this.current.onBytes = null;
    this.current.collector = null;
    this.current.onWantCollect = null;
    this.current = s;
    this.attach();
  }

  /** The bytes the store holds by the estimate of "Host bytes" (for getMemoryStats' host_bytes). */
  get hostBytes(): number { return this.current.hostBytes; }

  /** Binds the store to instance w, whose module keeps the host's byte count (an f64) at ptr. */
  bind(w: LuaWasm, ptr: number): void {
    this.wasm = w;
    this.mirror = ptr >>> 0;
    this.attach();
  }

  private attach(): void {
    const w = this.wasm, s = this.current;
    if (w === null) return;
    const ptr = this.mirror;
    s.room = () => w.exports.lua_getlimit() - w.exports.lua_memory_used();
    s.onBytes = (n) => { if (ptr !== 0) w.view().setFloat64(ptr, n, true); };
    s.onBytes(s.hostBytes);
    s.onWantCollect = (want) => { if (ptr !== 0) w.view().setFloat64(ptr + 8, want ? 1 : 0, true); };
    s.collector = () => w.exports.ext_hostgc();
  }
}

function errorValue(e: unknown): unknown {
  if (e instanceof Error) return e.message;
  return e;
}

/** The text of any thrown value, even one whose conversion to a string throws. */
function describeError(e: unknown): string {
  try { return e instanceof Error ? String(e.message) : String(e); } catch { return "(an exception that cannot be converted to a string)"; }
}

/** The ext_* and host_call imports, reading `target.wasm.host`. */
export function extImports(target: { wasm?: LuaWasm }): Record<string, (...a: number[]) => number> {
  const w = (): LuaWasm => target.wasm!;
  const copy = (ptr: number, len: number): Uint8Array => w().bytes().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  /** Puts bytes into the module's input buffer (val_buffer may grow memory: views are re-read). */
  const answer = (bytes: Uint8Array): void => {
    const p = w().exports.val_buffer(bytes.length) >>> 0;
    if (p === 0) throw new HostMemoryError();             // the answer does not fit in the memory limit
    w().bytes().set(bytes, p);
  };
  /** The error answer of an import; never throws (an exception must not unwind through wasm). */
  const fail = (e: unknown, ctx: EncodeContext = {}): number => {
    if (e instanceof HostMemoryError) return R_NOMEM;     // the module raises "not enough memory"
    try {
      answer(encodeValues([errorValue(e)], ctx));
      return -1;
    } catch { /* an error value that cannot be sent: its text, below */ }
    try {
      answer(encodeValues([describeError(e)]));
      return -1;
    } catch {
      return R_NOMEM;                                      // not even the text fits
    }
  };
  const store = (): ExtTableStore => w().host.store;

  // ---- Typed fast paths (docs/ABI.md "Typed fast paths"; assembly/host/ext.ts fastget/fastset) ----
  // String keys arrive as bytes and are turned into JS strings through a small cache indexed by the
  // module's string hash (checked byte by byte, so the hint never decides equality); reads answer
  // scalars through the result code and the result area `out` instead of an encoded value.
  /** The stored form of the key strKey() decoded last (the bytes for a non-UTF-8 key). */
  let lastKey: Stored = "";
  const strKey = (p: number, n: number, h: number): Canon => {
    const mem = w().bytes();
    p >>>= 0;
    const slot = h & (KEYCACHE_SIZE - 1);
    const cached = kcBytes[slot];
    if (cached !== null && cached.length === n) {
      let i = 0;
      while (i < n && cached[i] === mem[p + i]) i++;
      if (i === n) return (lastKey = kcText[slot]);
    }
    const k = decodeBytes(mem, p, n);
    lastKey = k;
    if (typeof k !== "string") return BINKEY + latin1(k);
    if (n <= KEYCACHE_MAXLEN) { kcBytes[slot] = mem.slice(p, p + n); kcText[slot] = k; }
    return k;
  };
  const kcBytes: (Uint8Array | null)[] = new Array<Uint8Array | null>(KEYCACHE_SIZE).fill(null);
  const kcText: string[] = new Array<string>(KEYCACHE_SIZE).fill("");
  /** A value passed as (tag, number, bytes) → its stored form (null: nil). */
  const fastValue = (tag: number, num: number, p: number, n: number): Stored | null => {
    switch (tag) {
      case 0: return null;
      case 1: return false;
      case 2: return true;
      case 3: return num;
      case 4: return Number.isInteger(num) ? new LuaFloat(num) : num;
      case 5: return decodeBytes(w().bytes(), p >>> 0, n);
    }
    throw new Error(`bad value tag ${tag}`);
  };
  /** Answers a fast-path read with the stored value v: a result code, scalars in the area at `out`. */
  const answerFast = (v: Stored | null, out: number): number => {
    if (v === null) return 0;
    switch (typeof v) {
      case "boolean": return v ? 2 : 1;
      case "number": w().view().setFloat64(out >>> 0, v, true); return isLuaInteger(v) ? 3 : 4;
      case "string": {
        const n = v.length;
        if (n <= OUT_STR) {       // ASCII written directly; anything else through the encoder
          const mem = w().bytes(), base = (out >>> 0) + 8;
          let i = 0;
          for (; i < n; i++) { const c = v.charCodeAt(i); if (c >= 0x80) break; mem[base + i] = c; }
          if (i === n) return R_STR + n;
        }
        return answerBytes(utf8enc.encode(v), out);
      }
    }
    if (v instanceof LuaFloat) { w().view().setFloat64(out >>> 0, v.value, true); return 4; }
    if (v instanceof Uint8Array) return answerBytes(v, out);
    const wr = new Writer();      // big integers and nested tables: the general encoding
    store().writeStored(wr, v);
    answer(wr.result());
    return R_GENERIC;
  };
  const answerBytes = (b: Uint8Array, out: number): number => {
    if (b.length > MAX_FAST_STR) { const wr = new Writer(); wr.string(b); answer(wr.result()); return R_GENERIC; }
    if (b.length <= OUT_STR) w().bytes().set(b, (out >>> 0) + 8); else answer(b);
    return R_STR + b.length;
  };

  return {
    ext_get_s(id: number, kp: number, kl: number, h: number, out: number): number {
      try { return answerFast(store().getCanon(id, strKey(kp, kl, h)), out); } catch (e) { return fail(e); }
    },
    ext_get_i(id: number, k: number, out: number): number {
      try { return answerFast(store().getCanon(id, k), out); } catch (e) { return fail(e); }
    },
    ext_set_s(id: number, kp: number, kl: number, h: number, tag: number, num: number, vp: number, vl: number): number {
      try {
        const canon = strKey(kp, kl, h);
        const v = fastValue(tag, num, vp, vl);
        const kb = typeof lastKey === "string" ? STRING_BYTES + kl : keyBytes(lastKey);   // byte lengths known: no scan
        store().setCanon(id, canon, lastKey, v, ENTRY_BYTES + kb + fastBytes(v, vl));
        return 0;
      } catch (e) { return fail(e); }
    },
    ext_set_i(id: number, k: number, tag: number, num: number, vp: number, vl: number): number {
      try {
        const v = fastValue(tag, num, vp, vl);
        store().setCanon(id, k, k, v, ENTRY_BYTES + fastBytes(v, vl));
        return 0;
      } catch (e) { return fail(e); }
    },
    ext_new(): number {
      try { return store().create(); } catch { return 0; }    // 0: past the memory limit
    },
    ext_bind(ptr: number): number {
      w().host.bind(w(), ptr);
      return 0;
    },
    ext_collect(p: number, n: number, nf: number): number {
      try {
        const v = new DataView(copy(p, (n + Math.max(nf, 0)) * 4).buffer);
        const live: number[] = [], funcs: number[] = [];
        for (let i = 0; i < n; i++) live.push(v.getUint32(i * 4, true));
        for (let i = 0; i < nf; i++) funcs.push(v.getUint32((n + i) * 4, true));
        const c = store().collect(live, nf < 0 ? null : funcs);
        return c.records + c.cells;
      } catch { return 0; /* nothing collected: the limit check stays as it was */ }
    },
    ext_hascell(uvid: number): number {
      try { return store().cells.has(uvid) ? 1 : 0; } catch { return 1; }
    },
    ext_get(id: number, kp: number, kl: number): number {
      try {
        const s = store();
        const key = s.readStored(new WireReader(copy(kp, kl)), new Map(), true);
        const out = new Writer();
        s.writeStored(out, key === null ? null : s.get(id, key));
        answer(out.result());
        return 1;
      } catch (e) { return fail(e); }
    },
    ext_set(id: number, kp: number, kl: number, vp: number, vl: number): number {
      try {
        const s = store();
        const key = s.readStored(new WireReader(copy(kp, kl)), new Map(), true);
        if (key === null) throw new TypeError("index is nil");
        s.atomic(() => s.set(id, key, s.readStored(new WireReader(copy(vp, vl)))));   // a copied table: all or nothing
        return 0;
      } catch (e) { return fail(e); }
    },
    ext_next(id: number, kp: number, kl: number): number {
      try {
        const s = store();
        const key = kl === 0 ? null : s.readStored(new WireReader(copy(kp, kl)), new Map(), true);
        const e = s.next(id, key);
        if (e === undefined) return 0;
        const out = new Writer();
        s.writeStored(out, e[0]);
        s.writeStored(out, e[1]);
        answer(out.result());
        return 2;
      } catch (e) {
        if (e instanceof InvalidKeyError) return -2;
        return fail(e);
      }
    },
    ext_newid(kind: number): number {
      return store().newId(kind);
    },
    ext_fnrec(fid: number): number {
      try {
        const out = new Writer();
        store().writeRecord(out, fid);
        answer(out.result());
        return 1;
      } catch (e) { return fail(e); }
    },
    ext_setcell(uvid: number, vp: number, vl: number): number {
      try {
        const s = store();
        const r = new WireReader(copy(vp, vl));
        s.atomic(() => s.cells.set(uvid, s.readCell(r)));
        return 0;
      } catch (e) { return fail(e); }
    },
    ext_len(id: number): number {
      try { return store().length(id); } catch { return 0; }
    },
    ext_size(id: number): number {
      try { return store().size(id); } catch { return 0; }
    },
    host_call(fid: number, ap: number, al: number, nargs: number): number {
      const fns = w().host.functions;
      if (!fns) return fail(new Error("no host functions registered"));
      try {
        const results = fns.call(fid, copy(ap, al), nargs);
        answer(encodeValues(results, fns.context));
        return results.length;
      } catch (e) { return fail(e, fns.context); }
    },
  };
}

// ==== Fast-path helpers ====

/** Slots of the string-key cache (a power of two) and the longest key it keeps (short Lua strings). */
const KEYCACHE_SIZE = 1024;
const KEYCACHE_MAXLEN = 40;
/** What a fast-path value costs: a string's byte length is known (vl), so no UTF-8 scan. */
function fastBytes(v: Stored | null, vl: number): number {
  return typeof v === "string" ? STRING_BYTES + vl : storedBytes(v);
}

/** The answer of a write refused past the memory limit (assembly/host/ext.ts R_NOMEM). */
const R_NOMEM = -3;
/** Result codes of ext_get_s/ext_get_i beside the value tags 0-4 (assembly/host/ext.ts). */
const R_GENERIC = 15;
const R_STR = 16;
/** String bytes that fit in the result area after its f64; longest string answered as R_STR + n. */
const OUT_STR = 256;
const MAX_FAST_STR = 0x3fffffff;
const utf8enc = new TextEncoder();

/** Bytes in wasm memory → a JS string when valid UTF-8 (short ASCII decoded by hand), else a copy. */
function decodeBytes(mem: Uint8Array, p: number, n: number): string | Uint8Array {
  if (n <= 32) {
    let s = "";
    for (let i = 0; i < n; i++) {
      const c = mem[p + i];
      if (c >= 0x80) return bytesToStored(mem.subarray(p, p + n));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return bytesToStored(mem.subarray(p, p + n));
}

/** Decodes host-call arguments (a helper for engine.ts). */
export function decodeArgs(bytes: Uint8Array, nargs: number, opts: DecodeOptions): LuaValue[] {
  return decodeN(bytes, nargs, opts);
}
