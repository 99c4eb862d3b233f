// format.ts - the persisted form of _home: a versioned, checksummed byte image of every external table
// reachable from _home, written by saveState and read back by loadState.
//
// ╒════════════════════ image ══════════════════════════╕
// │ magic "LWPH" | u32 FORMAT_VERSION | u32 crc32        │ 12 bytes, little endian
// │ payload: u32 ntables, then per table:                │
// │   u32 local id (0 = _home) | u32 nentries |          │
// │   nentries × (key, value) in the wire encoding of    │
// │   docs/ABI.md; nested tables are tag 11 + local id   │
// ╘══════════════════════════════════════════════════════╛
// Invariant: readImage either returns a complete image or throws; it never half-applies one.

import { Writer, WireTag } from "../encode.js";
import { ExtRef, ExtTableStore, HOME_ID, WireReader, type Stored } from "../ext-tables.js";

export const FORMAT_VERSION = 1;
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
  const ids = [...store.reachable(HOME_ID)];
  const local = new Map<number, number>(ids.map((id, i) => [id, i])); // _home is first: local id 0
  const w = new Writer();
  w.u32(ids.length);
  const put = (v: Stored): void => {
    if (v instanceof ExtRef) { w.u8(WireTag.EXT); w.u32(local.get(v.id)!); } else store.writeStored(w, v);
  };
  for (const id of ids) {
    w.u32(local.get(id)!);
    w.u32(store.size(id));
    for (const [k, v] of store.entries(id)) { put(k); put(v); }
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
 * nothing.
 */
export function readImage(store: ExtTableStore, image: Uint8Array): void {
  if (image.length < 12 || MAGIC.some((b, i) => image[i] !== b)) throw new CorruptStateError("persisted state is not a Lua WASM Persistent image");
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new CorruptStateError(`persisted state has format version ${version}, expected ${FORMAT_VERSION}`);
  const payload = image.subarray(12);
  if (crc32(payload) !== dv.getUint32(8, true)) throw new CorruptStateError("persisted state is corrupt (checksum mismatch)");
  // parse everything before touching the store
  const r = new WireReader(payload);
  const scratch = new ExtTableStore();
  const n = r.u32();
  const tables: { local: number; entries: [Stored, Stored][] }[] = [];
  const refs = new Set<number>();
  try {
    for (let i = 0; i < n; i++) {
      const local = r.u32();
      const count = r.u32();
      const entries: [Stored, Stored][] = [];
      for (let j = 0; j < count; j++) {
        const k = readOne(r, scratch, refs);
        const v = readOne(r, scratch, refs);
        if (k === null || v === null) throw new Error("nil key or value");
        entries.push([k, v]);
      }
      tables.push({ local, entries });
    }
  } catch (e) {
    throw new CorruptStateError(`persisted state is corrupt (${(e as Error).message})`);
  }
  const locals = new Set(tables.map((t) => t.local));
  if (!locals.has(0)) throw new CorruptStateError("persisted state is corrupt (no _home table)");
  for (const id of refs) if (!locals.has(id)) throw new CorruptStateError("persisted state is corrupt (dangling table reference)");
  // apply: _home keeps its id, every other table gets a fresh one
  const idOf = new Map<number, number>([[0, HOME_ID]]);
  for (const t of tables) if (t.local !== 0) idOf.set(t.local, store.create());
  const map = (v: Stored): Stored => (v instanceof ExtRef ? new ExtRef(idOf.get(v.id)!) : v);
  store.clear(HOME_ID);
  for (const t of tables) for (const [k, v] of t.entries) store.set(idOf.get(t.local)!, map(k), map(v));
}

function readOne(r: WireReader, scratch: ExtTableStore, refs: Set<number>): Stored | null {
  if (r.peek() === WireTag.EXT) { r.u8(); const id = r.u32(); refs.add(id); return new ExtRef(id); }
  return scratch.readStored(r, new Map(), false);
}
