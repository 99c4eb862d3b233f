// keys.ts - KeyCache: the JS string of each short Lua string key that crosses a typed fast path (the
// ext_*_s imports of external tables, the js_* imports of JS references), so a key seen before costs
// a few integer compares instead of a UTF-8 decode.
// Invariants: the module's hash of a key only chooses the slots; a hit is decided by the key's length
// and all its bytes (the first 16 as four little-endian words, the rest byte by byte), so two keys
// sharing a hash never share a string; only keys that are valid UTF-8 are cached (a hit is that
// string); nothing is read outside [p, p + n) except whole words that stay inside the memory.

/** Slots (a power of two), the longest key kept, and the bytes held as words per slot. */
const BITS = 12;
const SIZE = 1 << BITS;
const MAXLEN = 40;
const WORDS = 4;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Each key has two candidate slots (from the hash's low bits and from a multiplicative mix of it), so
 * two keys that share one slot, used in turn, do not evict each other on every access.
 */
export class KeyCache {
  /** Key length per slot (-1: empty). */
  private readonly lens = new Int32Array(SIZE).fill(-1);
  /** The first 16 bytes of each slot's key as little-endian words, zero past its end. */
  private readonly words = new Int32Array(SIZE * WORDS);
  /** The bytes after the first 16 (null for shorter keys). */
  private readonly tails: (Uint8Array | null)[] = new Array<Uint8Array | null>(SIZE).fill(null);
  private readonly texts: string[] = new Array<string>(SIZE).fill("");

  /**
   * The key of n bytes at p in the module's memory (`mem`, and `dv` over the same memory) with hash
   * h: its JS string, or null when it is not valid UTF-8 (the caller decides what such a key is).
   */
  text(mem: Uint8Array, dv: DataView, p: number, n: number, h: number): string | null {
    if (n > MAXLEN) return utf8At(mem, p, n);
    // the key's words: whole words while they stay inside memory, zero past the key's end
    let w0 = 0,
      w1 = 0,
      w2 = 0,
      w3 = 0;
    if (p + 16 <= mem.length) {
      w0 = dv.getInt32(p, true);
      w1 = dv.getInt32(p + 4, true);
      w2 = dv.getInt32(p + 8, true);
      w3 = dv.getInt32(p + 12, true);
      if (n < 16) {
        // clear the bytes past the key: the word holding its end keeps its low (n & 3) bytes
        const keep = n & 3 ? -1 >>> (32 - 8 * (n & 3)) : 0;
        const last = n >> 2;
        w3 = last === 3 ? w3 & keep : 0;
        w2 = last === 2 ? w2 & keep : last < 2 ? 0 : w2;
        w1 = last === 1 ? w1 & keep : last < 1 ? 0 : w1;
        if (last === 0) w0 &= keep;
      }
    } else {
      for (let i = 0; i < n && i < 16; i++) {
        const b = mem[p + i] << (8 * (i & 3));
        if (i < 4) w0 |= b;
        else if (i < 8) w1 |= b;
        else if (i < 12) w2 |= b;
        else w3 |= b;
      }
    }
    const s1 = h & (SIZE - 1);
    if (this.holds(s1, mem, p, n, w0, w1, w2, w3)) return this.texts[s1];
    const s2 = Math.imul(h, 0x9e3779b1) >>> (32 - BITS);
    if (this.holds(s2, mem, p, n, w0, w1, w2, w3)) return this.texts[s2];
    const s = utf8At(mem, p, n);
    if (s === null) return null;
    const slot = this.lens[s1] < 0 || this.lens[s2] >= 0 ? s1 : s2;
    this.lens[slot] = n;
    const at = slot * WORDS;
    this.words[at] = w0;
    this.words[at + 1] = w1;
    this.words[at + 2] = w2;
    this.words[at + 3] = w3;
    this.tails[slot] = n > 16 ? mem.slice(p + 16, p + n) : null;
    this.texts[slot] = s;
    return s;
  }

  /** Whether slot holds the key of n bytes at p whose first words are w0..w3. */
  private holds(
    slot: number,
    mem: Uint8Array,
    p: number,
    n: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
  ): boolean {
    if (this.lens[slot] !== n) return false;
    const at = slot * WORDS,
      ws = this.words;
    if (ws[at] !== w0 || ws[at + 1] !== w1 || ws[at + 2] !== w2 || ws[at + 3] !== w3) return false;
    if (n <= 16) return true;
    const tail = this.tails[slot]!;
    for (let i = 16; i < n; i++) if (tail[i - 16] !== mem[p + i]) return false;
    return true;
  }
}

/** n bytes at p as a JS string when valid UTF-8 (short ASCII decoded by hand), else null. */
export function utf8At(mem: Uint8Array, p: number, n: number): string | null {
  if (n <= 32) {
    let s = "";
    let i = 0;
    for (; i < n; i++) {
      const c = mem[p + i];
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === n) return s;
  }
  try {
    return strictUtf8.decode(mem.subarray(p, p + n));
  } catch {
    return null;
  }
}
