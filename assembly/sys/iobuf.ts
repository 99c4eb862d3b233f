// iobuf.ts - the static 64 KiB IO buffer shared with the host (see docs/ABI.md).
// Before a call, the host writes source text (or a chunk name, or an argument) at its start; while
// Lua runs, the buffer collects standard output (print, io.write), which is flushed to the host
// through the lua_output import whenever it fills and at the end of every call, so output is never
// truncated or lost.
// Invariant: outlen bytes at the start of the buffer are pending output not yet given to the host.

import { IO_BUF_SIZE } from "../luaconf";
import { lua_output } from "./imports";

/** The buffer itself (static memory: its address never changes). */
export const iobuf: usize = memory.data(IO_BUF_SIZE, 16);
/** Bytes of output pending at the start of the buffer. */
let outlen: i32 = 0;

/** Gives pending output to the host. */
export function flushoutput(): void {
  if (outlen > 0) {
    lua_output(iobuf, outlen);
    outlen = 0;
  }
}

/** Appends `len` bytes at `p` to standard output (lua_writestring). */
export function lua_writestring(p: usize, len: i32): void {
  if (len <= 0) return;
  if (outlen + len > IO_BUF_SIZE) {
    flushoutput();
    if (len > IO_BUF_SIZE) { lua_output(p, len); return; }   // large writes go straight through
  }
  memory.copy(iobuf + <usize>outlen, p, <usize>len);
  outlen += len;
}

/** Appends a fixed ASCII text to standard output. */
export function lua_writeliteral(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = memory.data(1);
    store<u8>(c, <u8>s.charCodeAt(i));
    lua_writestring(c, 1);
  }
}

/** Discards pending output (used when the host resets the buffer). */
export function resetoutput(): void { outlen = 0; }
