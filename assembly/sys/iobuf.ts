// iobuf.ts - the static 64 KiB IO buffer shared with the host (see docs/ABI.md).
// Before a call, the host writes source text (or a chunk name, or an argument) at its start; while
// Lua runs, the buffer collects standard output (print, io.write), which is flushed to the host
// through the lua_output import whenever it fills and at the end of every call, so output is never
// truncated or lost. The host may ask for more (lua_setflushmode): after every print (lua.c's print
// flushes stdout) or at every newline (C's stdout on a terminal), as the CLI does.
// Invariant: outlen bytes at the start of the buffer are pending output not yet given to the host.

import { IO_BUF_SIZE } from "../luaconf";
import { lua_output } from "./imports";

/** The buffer itself (static memory: its address never changes). */
export const iobuf: usize = memory.data(IO_BUF_SIZE, 16);
/** Bytes of output pending at the start of the buffer. */
let outlen: i32 = 0;

/** When output also goes out: FLUSH_CALL (when full and at the end of each call), FLUSH_PRINT, FLUSH_LINE. */
// @ts-ignore: decorator
@inline export const FLUSH_CALL: i32 = 0;
/** ... and after every print (lua_writeline). */
// @ts-ignore: decorator
@inline export const FLUSH_PRINT: i32 = 1;
/** ... and whenever a write to standard output holds a newline (line buffering). */
// @ts-ignore: decorator
@inline export const FLUSH_LINE: i32 = 2;
let flushmode: i32 = FLUSH_CALL;

/** Sets the flush mode (FLUSH_CALL, FLUSH_PRINT or FLUSH_LINE; anything else is FLUSH_CALL). */
export function setflushmode(mode: i32): void {
  flushmode = mode == FLUSH_PRINT || mode == FLUSH_LINE ? mode : FLUSH_CALL;
}

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
  if (flushmode == FLUSH_LINE && hasnewline(p, len)) flushoutput();
}

function hasnewline(p: usize, len: i32): bool {
  for (let i = 0; i < len; i++) if (load<u8>(p + <usize>i) == 10) return true;
  return false;
}

/** Ends a line of print (lua_writeline): a newline, then a flush unless output waits for the call's end. */
export function lua_writeline(): void {
  lua_writestring(nl, 1);
  if (flushmode != FLUSH_CALL) flushoutput();
}
const nl: usize = memory.data<u8>([10]);

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
