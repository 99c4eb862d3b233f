// wire.ts - the value encoding between the host and the module (docs/ABI.md "Value encoding"): its
// tags, the writer and the reader. Every host file that reads or writes encoded values goes through
// here: codec.ts (results → JS), encode.ts (JS → values), ext/ (external tables and their imports),
// typed.ts (call arguments) and persist/ (the _home image and snapshots reuse the encoding).
// Invariants: the tags are the module's own, name for name and value for value (T_<NAME> in
// assembly/embed/valcodec.ts; spec/host/wire.test.ts checks it); numbers are little endian; a read past
// the end throws Error("truncated value") and never returns garbage.

// ==== Tags (ORDER: assembly/embed/valcodec.ts T_*) ====

/** Value tags, named as the module names them (T_INT there is Tag.INT here). */
export enum Tag {
  NIL = 0,
  FALSE = 1,
  TRUE = 2,
  INT = 3,
  FLT = 4,
  STR = 5,
  /** u32 table id, then key/value pairs, then END. */
  TABLE = 6,
  /** u32 id of a table sent earlier in the same message (cycles, shared subtables). */
  TABLEREF = 7,
  /** Module → host: a function as its tostring text. */
  FUNCTEXT = 8,
  /** Module → host: a thread or userdata as its tostring text. */
  OTHER = 9,
  /** Module → host: a Lua function by registry reference (u32) and its text (typed API). */
  FUNCREF = 10,
  /** Both ways: an external table, u32 id. */
  EXT = 11,
  /** Host → module: a JS function callable from Lua, u32 id. */
  HOSTFN = 12,
  /** Host → module: a Lua function handed to JS earlier, u32 registry reference. */
  REF = 13,
  /** Module → host: a Lua function stored for the first time: u32 fid, chunk, upvalue cells. */
  LFUNC = 14,
  /** Both ways: a stored function record, u32 fid. */
  FUNC = 15,
  /** Both ways: a native function by its stable name (u32 len + bytes). */
  NATIVE = 16,
  /** In an upvalue cell: the globals table of the state that loads the function. */
  GLOBALS = 17,
  /** Both ways: a bigint (require "bigint"): u8 sign (1 negative), u32 n, n × u32 limbs, low first. */
  BIGINT = 18,
  /**
   * Both ways: a JS object by reference (host/refs.ts): u32 reference id, u8 kind (RefKind), u32 id of
   * the object a function was read from (0: none; only host → module).
   */
  JSREF = 19,
  /** Module → host: a Lua table by registry reference (u32), a live handle (LuaTableRef). */
  LUATABLE = 20,
  /** Ends a TABLE's pairs. */
  END = 0xff,
}

const encoder = new TextEncoder();

/**
 * A JS value that stands for a Lua bigint (require "bigint") whatever its size: how external tables
 * hold a stored bigint, and how JS passes a small value as a bigint rather than an integer (a JS
 * bigint beyond 64 bits becomes a Lua bigint by itself).
 */
export class LuaBigInt {
  constructor(readonly value: bigint) {}
  valueOf(): bigint {
    return this.value;
  }
}

// ==== Writer ====

/** A growable little-endian byte writer of encoded values. */
export class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.len, v >>> 0, true);
    this.len += 4;
  }
  i64(v: bigint): void {
    this.room(8);
    this.view.setBigInt64(this.len, v, true);
    this.len += 8;
  }
  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
  }
  /** u32 length + the bytes. */
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  /** u32 length + the UTF-8 bytes of s. */
  text(s: string): void {
    this.bytes(encoder.encode(s));
  }
  /** Copies the bytes written so far to `dst` at `at` (short encodings without making a view). */
  copyTo(dst: Uint8Array, at: number): void {
    const n = this.len,
      b = this.buf;
    if (n > 64) dst.set(b.subarray(0, n), at);
    else for (let i = 0; i < n; i++) dst[at + i] = b[i];
  }
  /** The bytes written so far (a view: copy it to keep it past the next write). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  nil(): void {
    this.u8(Tag.NIL);
  }
  boolean(b: boolean): void {
    this.u8(b ? Tag.TRUE : Tag.FALSE);
  }
  integer(v: bigint | number): void {
    this.u8(Tag.INT);
    if (typeof v === "bigint") {
      this.i64(v);
      return;
    }
    // a safe integer as two 32-bit halves: no BigInt allocated per value (v = hi * 2^32 + lo)
    this.room(8);
    const hi = Math.floor(v / 0x100000000);
    this.view.setUint32(this.len, v - hi * 0x100000000, true);
    this.view.setInt32(this.len + 4, hi, true);
    this.len += 8;
  }
  float(v: number): void {
    this.u8(Tag.FLT);
    this.f64(v);
  }
  string(b: Uint8Array | string): void {
    this.u8(Tag.STR);
    if (typeof b === "string") this.text(b);
    else this.bytes(b);
  }
  /** A Lua bigint of value v: sign, then the magnitude in 32-bit limbs (canonical: no leading zero). */
  bigint(v: bigint): void {
    this.u8(Tag.BIGINT);
    const neg = v < 0n;
    const hex = (neg ? -v : v).toString(16);
    const n = v === 0n ? 0 : Math.ceil(hex.length / 8);
    this.u8(neg ? 1 : 0);
    this.u32(n);
    this.room(4 * n);
    for (let i = 0; i < n; i++) {
      const end = hex.length - 8 * i;
      this.view.setUint32(this.len, parseInt(hex.slice(Math.max(0, end - 8), end), 16), true);
      this.len += 4;
    }
  }
}

/** The writer takeWriter() hands out when no encoding is using it. */
let spare: Writer | null = new Writer();

/**
 * A writer for an encoding whose result the caller consumes at once (copies it or sends it into the
 * module) and then gives back with giveWriter(): the hot paths (calls across the boundary) then
 * allocate no buffer per call. An encoding that starts while another holds the spare (a getter or a
 * callback calling back into Lua) gets a new writer, so nothing is ever overwritten in use.
 */
export function takeWriter(): Writer {
  const w = spare ?? new Writer();
  spare = null;
  w.len = 0;
  return w;
}

/** Gives back a writer from takeWriter() once its result has been consumed. */
export function giveWriter(w: Writer): void {
  spare = w;
}

// ==== Reader ====

/** 8-byte scratch for i64/f64 reads: a Reader then needs no DataView of its own (every eval makes one). */
const scratch8 = new Uint8Array(8);
const scratchView = new DataView(scratch8.buffer);

/** A cursor over encoded bytes: those of `bytes` from `pos` to `end` (default: all of them). */
export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.end) throw new Error("truncated value");
  }
  /** The next byte (a tag), not consumed. */
  peek(): number {
    this.need(1);
    return this.bytes[this.pos];
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  u32(): number {
    this.need(4);
    const b = this.bytes,
      p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }
  private load8(): void {
    this.need(8);
    const b = this.bytes,
      p = this.pos;
    for (let i = 0; i < 8; i++) scratch8[i] = b[p + i];
    this.pos += 8;
  }
  i64(): bigint {
    this.load8();
    return scratchView.getBigInt64(0, true);
  }
  f64(): number {
    this.load8();
    return scratchView.getFloat64(0, true);
  }
  /**
   * An i64 as a JS integer: a number when safe (|v| <= 2^53 - 1), else a bigint; a safe value is read
   * as two 32-bit halves, with no BigInt made (the hot paths decode many small integers).
   */
  integer(): number | bigint {
    this.need(8);
    const b = this.bytes,
      p = this.pos;
    const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    const hi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24); // signed
    if (hi >= -0x200000 && hi < 0x200000) {
      const v = hi * 0x100000000 + lo; // exact: |v| < 2^53 + 2^32 needs no more than 54 bits here
      if (v !== -0x20000000000000) {
        this.pos += 8;
        return v;
      }
    }
    const v = this.i64();
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  /** u32 length + that many bytes (a view into the input). */
  raw(): Uint8Array {
    const n = this.u32();
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** The payload of a Tag.BIGINT (after the tag): its value. */
  bigint(): bigint {
    const neg = this.u8();
    const n = this.u32();
    if (neg > 1) throw new Error("bad bigint");
    this.need(4 * n);
    if (n === 0) return 0n;
    let hex = "";
    for (let i = n - 1; i >= 0; i--) {
      const p = this.pos + 4 * i;
      const b = this.bytes;
      const limb = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
      hex += i === n - 1 ? limb.toString(16) : limb.toString(16).padStart(8, "0");
    }
    this.pos += 4 * n;
    const v = BigInt("0x" + hex);
    return neg ? -v : v;
  }
  /** Whether every byte has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }
}
