// chunkid.ts - the printable id of a chunk used as the prefix of messages (luaO_chunkid).
// Invariant: the text appended never exceeds LUA_IDSIZE - 1 bytes and stops at the first zero byte of
// the source name, exactly as PUC's C-string formatting does.
//   "=name"  → name, truncated to LUA_IDSIZE - 1 bytes
//   "@file"  → file, or "..." followed by its tail when too long
//   other    → [string "first line..."]

import { LUA_IDSIZE } from "../luaconf";
import { Buffer, buf_addbytes, buf_addstr } from "../mem/buffer";
import { getstr, tsslen } from "./string";

/** Length of the bytes at `p` up to `n` or the first zero byte, whichever comes first. */
function cstrlen(p: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) if (load<u8>(p + <usize>i) == 0) return i;
  return n;
}

/** Appends the chunk id of the source name `source` (a TString) to `b`. */
export function luaO_chunkid(b: Buffer, source: usize): void {
  const s = getstr(source);
  const srclen = tsslen(source);
  const first = srclen > 0 ? <i32>load<u8>(s) : 0;
  let bufflen = LUA_IDSIZE;                         // free space, terminator included
  if (first == 61 /* '=' */) {                      // literal source
    const n = srclen <= bufflen ? srclen - 1 : bufflen - 1;
    buf_addbytes(b, s + 1, cstrlen(s + 1, n));
  } else if (first == 64 /* '@' */) {               // file name
    if (srclen <= bufflen) buf_addbytes(b, s + 1, cstrlen(s + 1, srclen - 1));
    else {                                          // "..." and the tail of the name
      bufflen -= 3;
      const tail = s + 1 + <usize>(srclen - bufflen);
      buf_addstr(b, "...");
      buf_addbytes(b, tail, cstrlen(tail, bufflen - 1));
    }
  } else {                                          // [string "source"]
    const start = b.len;
    let nl = -1;                                    // strchr stops at the first zero byte
    for (let i = 0; i < srclen; i++) {
      const c = load<u8>(s + <usize>i);
      if (c == 0) break;
      if (c == 10) { nl = i; break; }
    }
    buf_addstr(b, "[string \"");
    bufflen -= 9 + 3 + 2 + 1;                       // prefix, "...", suffix and terminator
    if (srclen < bufflen && nl < 0) buf_addbytes(b, s, srclen);
    else {
      let n = nl >= 0 ? nl : srclen;
      if (n > bufflen) n = bufflen;
      buf_addbytes(b, s, n);
      buf_addstr(b, "...");
    }
    buf_addstr(b, "\"]");
    for (let i = start; i < b.len; i++) {           // C formatting stops at an embedded zero
      if (load<u8>(b.ptr + <usize>i) == 0) { b.len = i; break; }
    }
  }
}
