// snapshot.ts - the file format of whole-state snapshots (LuaRuntime.snapshot/restore): the Lua object
// graph the module writes (assembly/persist/snapshot.ts) plus the external tables it refers to, which
// live here in the host.
//
// ╒════════════════════ snapshot (little endian) ════════════════════════════════════╕
// │ magic "LWPS" | u32 SNAPSHOT_VERSION | u32 CRC-32 of everything after this header  │ 12 bytes
// │ u32 n, n bytes: the module's section ("LWSG" + version + object graph)            │
// │ u32 nextId (next external-table id) | u32 ntables | ntables × u32 id               │
// │ version 2: u32 next function id | u32 next cell id | u32 nfuncs, per stored        │
// │   function: u32 id, u32 len + chunk, u8 nup, nup × u32 cell id | u32 ncells, per    │
// │   cell: u32 id, value (as below, or tag 17 for the globals table)                  │
// │ per table (same order): u32 nentries, entries as key/value pairs in the wire       │
// │   encoding of docs/ABI.md (tags 0-5; tag 11 + id for a nested external table,      │
// │   tag 15 + id for a stored function, tag 16 + name for a native, 18 a bigint)      │
// ╘═══════════════════════════════════════════════════════════════════════════════════╛
// Table, function and cell ids are kept as they are (the Lua graph refers to them); every stored
// function and cell of the store is written (the graph's registry tables may refer to any of them).
// Invariant: parseSnapshot either returns a complete, consistent snapshot or throws SnapshotError
// ("bad snapshot: ..."); it never touches a live state.

import { Reader, Tag, Writer } from "../wire.js";
import { ExtTableStore } from "../ext/store.js";
import { readStored, writeCell, writeStored } from "../ext/wire.js";
import { ExtRef, GLOBALS, HOME_ID, IO_ID, type Cell, type Stored } from "../ext/values.js";
import { crc32 } from "./format.js";

export const SNAPSHOT_VERSION = 2;
const MAGIC = [0x4c, 0x57, 0x50, 0x53]; // "LWPS"

/** A snapshot could not be taken or restored; the message starts with "bad snapshot: " for bad input. */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
}

/** Builds the snapshot file from the module's section and the external tables reachable from it. */
export function writeSnapshot(luaSection: Uint8Array, store: ExtTableStore, extIds: Iterable<number>): Uint8Array {
  const roots = [HOME_ID, IO_ID, ...extIds].filter((id) => store.has(id));
  const ids = store.reachableAll(roots, store.funcs.keys(), store.cells.keys()).tables;
  const list = [...ids].sort((a, b) => a - b);
  const w = new Writer();
  w.bytes(luaSection); // u32 length + bytes
  w.u32(store.nextTableId);
  w.u32(list.length);
  for (const id of list) w.u32(id);
  w.u32(store.nextFuncId);
  w.u32(store.nextCellId);
  w.u32(store.funcs.size);
  for (const [id, f] of store.funcs) {
    w.u32(id);
    w.bytes(f.chunk);
    w.u8(f.ups.length);
    for (const c of f.ups) w.u32(c);
  }
  w.u32(store.cells.size);
  for (const [id, c] of store.cells) {
    w.u32(id);
    writeCell(w, c);
  }
  for (const id of list) {
    w.u32(store.size(id));
    for (const [k, v] of store.entries(id)) {
      writeStored(w, k);
      writeStored(w, v);
    }
  }
  const payload = w.result();
  const out = new Uint8Array(12 + payload.length);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, SNAPSHOT_VERSION, true);
  dv.setUint32(8, crc32(payload), true);
  out.set(payload, 12);
  return out;
}

/** A parsed snapshot: the module's section and a new store holding the external tables. */
export interface ParsedSnapshot {
  lua: Uint8Array;
  store: ExtTableStore;
}

const bad = (why: string): SnapshotError => new SnapshotError(`bad snapshot: ${why}`);

/** Validates the header, checksum and host section; throws SnapshotError. */
export function parseSnapshot(bytes: Uint8Array): ParsedSnapshot {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("restore() expects the Uint8Array snapshot() returned");
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad("not a Lua WASM Persistent snapshot");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== 1 && version !== SNAPSHOT_VERSION)
    throw bad(`format version ${version}, this build reads version ${SNAPSHOT_VERSION}`);
  const payload = bytes.subarray(12);
  if (crc32(payload) !== dv.getUint32(8, true)) throw bad("checksum mismatch (the snapshot is corrupted or truncated)");
  const r = new Reader(payload);
  try {
    const n = r.u32();
    if (n > payload.length - r.pos) throw new Error("truncated");
    const lua = payload.slice(r.pos, r.pos + n);
    r.pos += n;
    const store = new ExtTableStore();
    const nextId = r.u32();
    const ntables = r.u32();
    if (ntables > payload.length - r.pos) throw new Error("truncated");
    const ids: number[] = [];
    for (let i = 0; i < ntables; i++) {
      const id = r.u32();
      if (id === 0 || id >= nextId) throw new Error("bad external table id");
      store.ensure(id);
      ids.push(id);
    }
    store.nextTableId = nextId;
    const readOne = (iskey: boolean): Stored | null => {
      const tag = r.peek();
      if (tag > Tag.STR && tag !== Tag.EXT && tag !== Tag.FUNC && tag !== Tag.NATIVE && tag !== Tag.BIGINT)
        throw new Error(`bad value tag ${tag}`);
      if (tag === Tag.EXT) {
        r.u8();
        const id = r.u32();
        if (!store.has(id) || id === 0) throw new Error("dangling external table reference");
        if (iskey) throw new Error("table key");
        return new ExtRef(id);
      }
      return readStored(store, r, new Map(), iskey);
    };
    if (version >= 2) {
      const nextFn = r.u32(),
        nextCell = r.u32();
      const nf = r.u32();
      if (nf > payload.length - r.pos) throw new Error("truncated");
      for (let i = 0; i < nf; i++) {
        const id = r.u32();
        if (id === 0 || id >= nextFn || store.funcs.has(id)) throw new Error("bad stored function id");
        const chunk = r.raw().slice();
        const nup = r.u8();
        const ups: number[] = [];
        for (let j = 0; j < nup; j++) {
          const c = r.u32();
          if (c === 0 || c >= nextCell) throw new Error("bad upvalue cell id");
          ups.push(c);
        }
        store.funcs.set(id, { chunk, ups });
      }
      const nc = r.u32();
      if (nc > payload.length - r.pos) throw new Error("truncated");
      for (let i = 0; i < nc; i++) {
        const id = r.u32();
        if (id === 0 || id >= nextCell || store.cells.has(id)) throw new Error("bad upvalue cell id");
        let c: Cell;
        if (r.peek() === Tag.GLOBALS) {
          r.u8();
          c = GLOBALS;
        } else c = readOne(false);
        store.cells.set(id, c);
      }
      for (const f of store.funcs.values())
        for (const c of f.ups) if (!store.cells.has(c)) throw new Error("dangling upvalue cell");
      store.nextFuncId = nextFn;
      store.nextCellId = nextCell;
    }
    for (const id of ids) {
      const count = r.u32();
      if (count > payload.length - r.pos) throw new Error("truncated");
      for (let j = 0; j < count; j++) {
        const k = readOne(true);
        const v = readOne(false);
        if (k === null || v === null) throw new Error("nil key or value");
        store.set(id, k, v);
      }
    }
    if (r.pos !== payload.length) throw new Error("trailing bytes");
    return { lua, store };
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw bad(`external tables: ${(e as Error).message}`);
  }
}
