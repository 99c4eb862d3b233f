// store.ts - ExtTableStore, the data of every external table of a state: tables (Maps keyed by the
// canonical identity of Lua keys), stored-function records and upvalue cells, the count of the bytes
// they hold, all-or-nothing operations (atomic) and the collection of what nothing reaches any more.
// Memory: the store counts the bytes it holds (values.ts "Host bytes") incrementally, O(1) per change;
// bound to an instance (ext/imports.ts HostSide.bind), it refuses any change that would take the Lua
// heap plus those bytes past the memory limit (HostMemoryError, "not enough memory") before changing
// anything. An operation that builds several things (a copied Lua table, a converted JS value, a
// loaded image) runs in atomic(): if it fails, everything it created or changed is undone.
// Layout: a table is one Map from key identity (Canon) to value, with no object per entry (an entry
// tuple per key made Map growth and the collector's promotion of the tuples the cost of a write); the
// key itself is its identity except for a binary key, whose bytes a side Map keeps. An entry's charge
// is not stored: it is a pure function of its key and value (values.ts), recomputed when it goes.
// Invariants: a Map never holds a nil value (assigning nil deletes); table ids 1 (_home) and 2 (_io)
// always exist; ids are never reused; hostBytes is the sum of the charges of every table, entry,
// record and cell held; a table's `raw` holds exactly the keys that differ from their identity.

import {
  cellBytes,
  ENTRY_BYTES,
  ExtFunc,
  ExtRef,
  HOME_ID,
  HostMemoryError,
  InvalidKeyError,
  IO_ID,
  keyBytes,
  keyOf,
  normKey,
  recordBytes,
  storedBytes,
  TABLE_BYTES,
  type Canon,
  type Cell,
  type FuncRecord,
  type Stored,
} from "./values.js";
import { fromJS, toJS } from "./js.js";

/** Growth of the store (bytes) that asks for a collection at the least (see ExtTableStore.collectAt). */
const COLLECT_STEP = 1 << 20;

/** An entry as next() and entries() give it: key, value. */
export type Entry = [key: Stored, value: Stored];

interface ExtTable {
  /** The values by key identity; Map order (insertion) is the traversal order. */
  vals: Map<Canon, Stored>;
  /** The keys that are not their own identity (binary keys: their bytes), by identity; null while none. */
  raw: Map<Canon, Stored> | null;
  /** Border hint for `#` (kept close to the real border so appends stay O(1)). */
  border: number;
  /** The key iterator of the traversal in progress, and the key it returned last. */
  iter: Iterator<Canon> | null;
  iterKey: Canon | null;
  /** The charges of its entries (TABLE_BYTES not included). */
  bytes: number;
}

function newTable(): ExtTable {
  return { vals: new Map(), raw: null, border: 0, iter: null, iterKey: null, bytes: 0 };
}

/** The key of table t whose identity is `canon`. */
function keyAt(t: ExtTable, canon: Canon): Stored {
  if (t.raw === null) return canon;
  return t.raw.get(canon) ?? canon;
}

/** What an entry is charged: ENTRY_BYTES + size(key) + size(value) (values.ts "Host bytes"). */
function entryBytes(k: Stored, v: Stored): number {
  return ENTRY_BYTES + keyBytes(k) + storedBytes(v);
}

/** What atomic() records: what the operation created (deleted on failure) and how to undo its other changes. */
interface Journal {
  tables: Set<number>;
  undo: (() => void)[];
}

/**
 * The store's map of records or cells: set/delete/clear charge and credit the store (and can refuse
 * with HostMemoryError before changing anything), so writers outside this file (host/persist/*, the
 * wire reader) are counted like the imports.
 */
class ChargedMap<V> extends Map<number, V> {
  private readonly charges = new Map<number, number>();
  private owner: ExtTableStore | null = null;
  private cost: ((v: V) => number) | null = null;

  /** Attaches the map to its store (the Map constructor may not be given extra arguments). */
  init(owner: ExtTableStore, cost: (v: V) => number): this {
    this.owner = owner;
    this.cost = cost;
    return this;
  }

  override set(k: number, v: V): this {
    if (this.owner === null) return super.set(k, v);
    const c = this.cost!(v),
      had = super.has(k),
      prev = super.get(k) as V,
      pc = this.charges.get(k) ?? 0;
    this.owner.charge(c - pc);
    this.owner.noteDrop(); // an old value dropped, or a new record whose closure may die unseen
    this.owner.record(() => this.put(k, had, prev, pc));
    super.set(k, v);
    this.charges.set(k, c);
    return this;
  }

  override delete(k: number): boolean {
    if (this.owner === null || !super.has(k)) return super.delete(k);
    const prev = super.get(k) as V,
      pc = this.charges.get(k) ?? 0;
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
    if (had) {
      super.set(k, v);
      this.charges.set(k, c);
    } else {
      super.delete(k);
      this.charges.delete(k);
    }
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
  /** The table table() found last (id 0: none; never a dropped one). */
  private lastId = 0;
  private lastTable: ExtTable | null = null;
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
  noteDrop(): void {
    this.mayHaveGarbage = true;
  }
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
  get hostBytes(): number {
    return this.bytes;
  }

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
      this.collectAt = Infinity; // asked once; collect() sets the next threshold
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
    if (id === this.lastId) this.lastId = 0;
    this.uncharge(-(TABLE_BYTES + t.bytes));
  }

  /** A new empty table's id; HostMemoryError past the limit. */
  create(): number {
    this.charge(TABLE_BYTES);
    const id = this.nextId++;
    this.tables.set(id, newTable());
    this.mayHaveGarbage = true; // its proxy (ext.table()) may die before the next walk
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
  get nextTableId(): number {
    return this.nextId;
  }
  set nextTableId(n: number) {
    if (n > this.nextId) this.nextId = n;
  }

  private table(id: number): ExtTable {
    if (id === this.lastId) return this.lastTable!; // a loop over one table looks it up once
    const t = this.tables.get(id);
    if (!t) throw new Error(`external table ${id} does not exist`);
    this.lastId = id;
    this.lastTable = t;
    return t;
  }

  has(id: number): boolean {
    return this.tables.has(id);
  }

  /** Throws unless table id exists (a reference read from the module or an image). */
  checkTable(id: number): void {
    this.table(id);
  }

  get(id: number, key: Stored): Stored | null {
    return this.table(id).vals.get(keyOf(normKey(key))) ?? null;
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
    this.retrying(() => this.set(id, key, fromJS(this, value)));
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
    if (this.journal !== null) return none; // an operation in progress may hold references not stored yet
    const liveSet = new Set(live),
      funcSet = liveFuncs === null ? null : new Set(liveFuncs);
    this.onWantCollect?.(false);
    // no reference dropped and every proxy and closure of the last walk still live: nothing new can
    // be garbage (a script retrying past the limit must not cost a walk of the whole store per attempt)
    const lastFuncs = this.lastLiveFuncs;
    if (
      !this.mayHaveGarbage &&
      [...this.lastLive].every((id) => liveSet.has(id)) &&
      (funcSet === null || (lastFuncs !== null && [...lastFuncs].every((id) => funcSet.has(id))))
    ) {
      this.collectAt = Math.max(2 * this.bytes, this.bytes + COLLECT_STEP);
      return none;
    }
    const reach =
      funcSet === null
        ? this.reachableAll([HOME_ID, IO_ID, ...liveSet], this.funcs.keys(), this.cells.keys())
        : this.reachableAll([HOME_ID, IO_ID, ...liveSet], funcSet);
    const out: Collected = { tables: 0, records: 0, cells: 0 };
    for (const id of [...this.tables.keys()])
      if (!reach.tables.has(id)) {
        this.drop(id);
        out.tables++;
      }
    for (const id of [...this.funcs.keys()])
      if (!reach.funcs.has(id)) {
        this.funcs.delete(id);
        out.records++;
      }
    for (const id of [...this.cells.keys()])
      if (!reach.cells.has(id)) {
        this.cells.delete(id);
        out.cells++;
      }
    this.mayHaveGarbage = false;
    this.lastLive = liveSet;
    this.lastLiveFuncs = funcSet;
    this.collectAt = Math.max(2 * this.bytes, this.bytes + COLLECT_STEP);
    return out;
  }

  /** get() for a key already in canonical form (the imports' fast paths). */
  getCanon(id: number, canon: Canon): Stored | null {
    return this.table(id).vals.get(canon) ?? null;
  }

  /**
   * set() for a normalised key `k` whose canonical form is `canon`; `bytes` is the new entry's charge
   * when the caller knows it (the imports know the strings' byte lengths), else it is computed.
   */
  setCanon(id: number, canon: Canon, k: Stored, value: Stored | null, bytes?: number): void {
    const t = this.table(id);
    const pv = t.vals.get(canon);
    const undoable = this.journal !== null && !this.journal.tables.has(id);
    if (pv instanceof ExtRef || pv instanceof ExtFunc) this.mayHaveGarbage = true; // that table or record may now be unreachable
    if (value === null) {
      if (pv === undefined) return;
      const pk = keyAt(t, canon),
        pc = entryBytes(pk, pv);
      this.uncharge(-pc);
      t.bytes -= pc;
      t.vals.delete(canon);
      if (pk !== canon) t.raw!.delete(canon);
      if (undoable)
        this.record(() => {
          this.put(t, canon, pk, pv);
          t.bytes += pc;
          this.uncharge(pc);
          t.iter = null;
        });
      return;
    }
    const c = bytes ?? entryBytes(k, value);
    const pc = pv === undefined ? 0 : entryBytes(keyAt(t, canon), pv);
    this.charge(c - pc);
    t.bytes += c - pc;
    if (pv !== undefined) {
      t.vals.set(canon, value); // an existing key: its place in the traversal order stays
      if (undoable)
        this.record(() => {
          t.vals.set(canon, pv);
          t.bytes += pc - c;
          this.uncharge(pc - c);
        });
    } else {
      this.put(t, canon, k, value);
      if (undoable)
        this.record(() => {
          t.vals.delete(canon);
          if (k !== canon) t.raw!.delete(canon);
          t.bytes -= c;
          this.uncharge(-c);
          t.iter = null;
        });
    }
  }

  /** Adds a new entry (key k, identity canon) to t, keeping the key when it is not its identity. */
  private put(t: ExtTable, canon: Canon, k: Stored, v: Stored): void {
    t.vals.set(canon, v);
    if (k !== canon) (t.raw ??= new Map()).set(canon, k);
  }

  /** Deletes every entry (clearIo), giving their bytes back. */
  clear(id: number): void {
    const t = this.table(id);
    const old = t.vals,
      oldRaw = t.raw,
      ob = t.bytes,
      border = t.border;
    t.vals = new Map();
    t.raw = null;
    t.bytes = 0;
    t.border = 0;
    t.iter = null;
    t.iterKey = null;
    this.uncharge(-ob);
    if (ob > 0) this.mayHaveGarbage = true;
    if (this.journal !== null && !this.journal.tables.has(id)) {
      this.record(() => {
        t.vals = old;
        t.raw = oldRaw;
        t.bytes = ob;
        t.border = border;
        t.iter = null;
        t.iterKey = null;
        this.uncharge(ob);
      });
    }
  }

  size(id: number): number {
    return this.table(id).vals.size;
  }

  /** A border: n with t[n] ~= nil and t[n+1] == nil, or 0 when t[1] is nil (as `#` on a Lua table). */
  length(id: number): number {
    const t = this.table(id);
    const has = (i: number): boolean => t.vals.has(i);
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
    let it: Iterator<Canon>;
    if (key === null) {
      it = t.vals.keys();
    } else {
      const canon = keyOf(normKey(key));
      if (t.iter !== null && t.iterKey === canon) {
        it = t.iter;
      } else {
        if (!t.vals.has(canon)) throw new InvalidKeyError();
        it = t.vals.keys();
        for (let r = it.next(); !r.done; r = it.next()) if (r.value === canon) break;
      }
    }
    const r = it.next();
    if (r.done) {
      t.iter = null;
      t.iterKey = null;
      return undefined;
    }
    const canon = r.value;
    t.iter = it;
    t.iterKey = canon;
    return [keyAt(t, canon), t.vals.get(canon)!];
  }

  /** The entries of table id as [key, value], in traversal order. */
  *entries(id: number): IterableIterator<Entry> {
    const t = this.table(id);
    for (const [canon, v] of t.vals) yield [keyAt(t, canon), v];
  }

  /**
   * The estimate recomputed from scratch (O(everything)): equals hostBytes while the incremental
   * count is right. For tests and fuzzers; -1 when a table's recorded charge is not the sum of its
   * entries' estimates, or its side map of keys does not hold exactly its keys that differ from their identity.
   */
  recount(): number {
    let n = 0;
    for (const t of this.tables.values()) {
      let tb = 0,
        raws = 0;
      for (const [canon, v] of t.vals) {
        const k = keyAt(t, canon);
        if (k !== canon) raws++;
        tb += entryBytes(k, v);
      }
      if (tb !== t.bytes || raws !== (t.raw?.size ?? 0)) return -1;
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
  reachableAll(
    rootTables: Iterable<number>,
    rootFuncs: Iterable<number> = [],
    rootCells: Iterable<number> = [],
  ): Reachable {
    const out: Reachable = { tables: new Set(), funcs: new Set(), cells: new Set() };
    const tstack: number[] = [],
      cstack: number[] = [];
    const value = (x: Cell): void => {
      if (x instanceof ExtRef) {
        if (!out.tables.has(x.id) && this.tables.has(x.id)) {
          out.tables.add(x.id);
          tstack.push(x.id);
        }
      } else if (x instanceof ExtFunc) func(x.id);
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
      if (cstack.length > 0) {
        value(this.cells.get(cstack.pop()!) ?? null);
        continue;
      }
      const t = this.tables.get(tstack.pop()!)!;
      for (const v of t.vals.values()) value(v); // keys are never tables or functions (keyOf)
    }
    return out;
  }

  // ==== Stored functions ====

  /** A new record id (kind 0) or cell id (kind 1), for the module's ext_newid import. */
  newId(kind: number): number {
    return kind === 0 ? this.nextFuncId++ : this.nextCellId++;
  }

  info(): ExtTableInfo {
    let entries = 0;
    for (const t of this.tables.values()) entries += t.vals.size;
    return {
      tables: this.tables.size,
      entries,
      home: this.size(HOME_ID),
      io: this.size(IO_ID),
      persistedTables: this.reachable(HOME_ID).size,
      functions: this.funcs.size,
    };
  }

  // ==== JS values (ext/js.ts) ====

  /** A JS value → a stored value (objects, arrays and Maps become new tables; see ext/js.ts fromJS). */
  fromJS(v: unknown): Stored | null {
    return fromJS(this, v);
  }

  /** A stored value → a plain JS value (see ext/js.ts toJS). */
  toJS(v: Stored | null): unknown {
    return toJS(this, v);
  }
}
