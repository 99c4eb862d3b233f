// format.ts - the persisted form of _home: a versioned, checksummed byte image of every external table
// reachable from _home, written by saveState and read back by loadState.
//
// ╒════════════════════ image ══════════════════════════╕
// │ magic "LWPH" | u32 FORMAT_VERSION | u32 crc32        │ 12 bytes, little endian
// │ payload: u32 ntables, then per table:                │
// │   u32 local id (0 = _home) | u32 nentries |          │
// │   nentries × (key, value) in the wire encoding of    │
// │   docs/ABI.md; nested tables are tag 11 + local id,  │
// │   stored functions tag 15 + local function id,       │
// │   natives tag 16 + name, bigints tag 18              │
// │ version 2 adds: u32 nfuncs, per function:            │
// │   u32 local id | u32 len + binary chunk | u8 nup |   │
// │   nup × u32 local cell id                            │
// │ then u32 ncells, per cell: u32 local id | value      │
// │   (as above, or tag 17: the loading state's globals) │
// ╘══════════════════════════════════════════════════════╛
// Version 1 images (no functions) still load. The chunks are not checked here: the module verifies
// each one when the function is first read (a bad one is then a Lua error, never a trap).
// Invariant: readImage either returns a complete image or throws; it never half-applies one.

import { Reader, Tag, Writer } from "../wire.js";
import { ExtTableStore } from "../ext/store.js";
import { readStored, writeStored } from "../ext/wire.js";
import { ExtFunc, ExtRef, GLOBALS, HOME_ID, type Cell, type FuncRecord, type Stored } from "../ext/values.js";

export const FORMAT_VERSION = 2;
const MAGIC = [0x4c, 0x57, 0x50, 0x48]; // "LWPH"

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3), as zlib computes it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The image of everything reachable from _home. */
export function writeImage(store: ExtTableStore): Uint8Array {
  const reach = store.reachableAll([HOME_ID]);
  const ids = [...reach.tables];
  const local = new Map<number, number>(ids.map((id, i) => [id, i])); // _home is first: local id 0
  const flocal = new Map<number, number>([...reach.funcs].map((id, i) => [id, i]));
  const clocal = new Map<number, number>([...reach.cells].map((id, i) => [id, i]));
  const w = new Writer();
  w.u32(ids.length);
  const put = (v: Cell): void => {
    if (v instanceof ExtRef) {
      w.u8(Tag.EXT);
      w.u32(local.get(v.id)!);
    } else if (v instanceof ExtFunc) {
      w.u8(Tag.FUNC);
      w.u32(flocal.get(v.id)!);
    } else if (v === GLOBALS) w.u8(Tag.GLOBALS);
    else writeStored(w, v);
  };
  for (const id of ids) {
    w.u32(local.get(id)!);
    w.u32(store.size(id));
    for (const [k, v] of store.entries(id)) {
      put(k);
      put(v);
    }
  }
  w.u32(flocal.size);
  for (const [id, l] of flocal) {
    const f = store.funcs.get(id)!;
    w.u32(l);
    w.bytes(f.chunk);
    w.u8(f.ups.length);
    for (const c of f.ups) w.u32(clocal.get(c)!);
  }
  w.u32(clocal.size);
  for (const [id, l] of clocal) {
    w.u32(l);
    put(store.cells.get(id) ?? null);
  }
  const payload = w.result();
  const out = new Uint8Array(12 + payload.length);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint32(4, FORMAT_VERSION, true);
  dv.setUint32(8, crc32(payload), true);
  out.set(payload, 12);
  return out;
}

export class CorruptStateError extends Error {
  override readonly name = "CorruptStateError";
}

/**
 * Replaces _home's contents with the image (new tables for every nested one). Validates the whole
 * image (magic, version, checksum, structure) into a scratch store first, so a bad image changes
 * nothing; an image that would pass the memory limit (HostMemoryError) changes nothing either.
 */
export function readImage(store: ExtTableStore, image: Uint8Array): void {
  if (image.length < 12 || MAGIC.some((b, i) => image[i] !== b))
    throw new CorruptStateError("persisted state is not a Lua WASM Persistent image");
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== 1 && version !== FORMAT_VERSION)
    throw new CorruptStateError(`persisted state has format version ${version}, expected ${FORMAT_VERSION}`);
  const payload = image.subarray(12);
  if (crc32(payload) !== dv.getUint32(8, true))
    throw new CorruptStateError("persisted state is corrupt (checksum mismatch)");
  // parse everything before touching the store
  const r = new Reader(payload);
  const scratch = new ExtTableStore();
  const tables: { local: number; entries: [Stored, Stored][] }[] = [];
  const refs = new Set<number>();
  const frefs = new Set<number>();
  const funcs = new Map<number, FuncRecord>();
  const cells = new Map<number, Cell>();
  // every key passes the store's own key check here, so applying the image below cannot fail half-way
  const probe = scratch.create();
  const checkKey = (k: Stored): void => {
    scratch.set(probe, k, true);
    scratch.set(probe, k, null);
  };
  try {
    const n = r.u32(); // inside the try: a payload of < 4 bytes is "truncated value" too
    for (let i = 0; i < n; i++) {
      const local = r.u32();
      const count = r.u32();
      const entries: [Stored, Stored][] = [];
      for (let j = 0; j < count; j++) {
        const k = readOne(r, scratch, refs, frefs);
        const v = readOne(r, scratch, refs, frefs);
        if (k === null || v === null) throw new Error("nil key or value");
        if (k instanceof ExtRef || k instanceof ExtFunc) throw new Error("bad table key");
        checkKey(k);
        entries.push([k, v]);
      }
      tables.push({ local, entries });
    }
    if (version >= 2) {
      const nf = r.u32();
      if (nf > payload.length) throw new Error("truncated value");
      for (let i = 0; i < nf; i++) {
        const id = r.u32();
        if (funcs.has(id)) throw new Error("duplicate function");
        const chunk = r.raw().slice();
        const nup = r.u8();
        const ups: number[] = [];
        for (let j = 0; j < nup; j++) ups.push(r.u32());
        funcs.set(id, { chunk, ups });
      }
      const nc = r.u32();
      if (nc > payload.length) throw new Error("truncated value");
      for (let i = 0; i < nc; i++) {
        const id = r.u32();
        if (cells.has(id)) throw new Error("duplicate upvalue cell");
        if (r.peek() === Tag.GLOBALS) {
          r.u8();
          cells.set(id, GLOBALS);
        } else cells.set(id, readOne(r, scratch, refs, frefs));
      }
    }
    if (r.pos !== payload.length) throw new Error("trailing bytes");
  } catch (e) {
    throw new CorruptStateError(`persisted state is corrupt (${(e as Error).message})`);
  }
  const locals = new Set(tables.map((t) => t.local));
  if (!locals.has(0)) throw new CorruptStateError("persisted state is corrupt (no _home table)");
  for (const id of refs)
    if (!locals.has(id)) throw new CorruptStateError("persisted state is corrupt (dangling table reference)");
  for (const id of frefs)
    if (!funcs.has(id)) throw new CorruptStateError("persisted state is corrupt (dangling function reference)");
  for (const f of funcs.values())
    for (const c of f.ups)
      if (!cells.has(c)) throw new CorruptStateError("persisted state is corrupt (dangling upvalue reference)");
  // apply as one operation: past the memory limit (HostMemoryError) everything is undone, _home included
  store.atomic(() => apply(store, tables, funcs, cells));
}

function apply(
  store: ExtTableStore,
  tables: { local: number; entries: [Stored, Stored][] }[],
  funcs: Map<number, FuncRecord>,
  cells: Map<number, Cell>,
): void {
  // _home keeps its id, every other table gets a fresh one
  const idOf = new Map<number, number>([[0, HOME_ID]]);
  for (const t of tables) if (t.local !== 0) idOf.set(t.local, store.create());
  // functions and cells get fresh ids too, so closures this state loaded before stay separate
  const fidOf = new Map<number, number>();
  for (const id of funcs.keys()) fidOf.set(id, store.newId(0));
  const cidOf = new Map<number, number>();
  for (const id of cells.keys()) cidOf.set(id, store.newId(1));
  const map = <T extends Cell>(v: T): T =>
    (v instanceof ExtRef ? new ExtRef(idOf.get(v.id)!) : v instanceof ExtFunc ? new ExtFunc(fidOf.get(v.id)!) : v) as T;
  for (const [id, f] of funcs)
    store.funcs.set(fidOf.get(id)!, { chunk: f.chunk, ups: f.ups.map((c) => cidOf.get(c)!) });
  for (const [id, c] of cells) store.cells.set(cidOf.get(id)!, map(c));
  store.clear(HOME_ID);
  for (const t of tables) for (const [k, v] of t.entries) store.set(idOf.get(t.local)!, map(k), map(v));
}

function readOne(r: Reader, scratch: ExtTableStore, refs: Set<number>, frefs: Set<number>): Stored | null {
  const tag = r.peek();
  if (tag === Tag.EXT) {
    r.u8();
    const id = r.u32();
    refs.add(id);
    return new ExtRef(id);
  }
  if (tag === Tag.FUNC) {
    r.u8();
    const id = r.u32();
    frefs.add(id);
    return new ExtFunc(id);
  }
  if (tag === Tag.LFUNC) throw new Error(`bad value tag ${tag}`);
  return readStored(scratch, r, new Map(), false);
}
