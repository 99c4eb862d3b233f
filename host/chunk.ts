// chunk.ts - how a Lua source file becomes a chunk, as luaL_loadfile does it: raw bytes, a UTF-8 BOM
// dropped, a first line starting with '#' skipped, chunk name "@" + path. Shared by the CLI and the
// spec runner so both see files exactly as lua5.4 does.
// Invariant: line numbers are unchanged (the newline ending a skipped '#' line is kept).

/** luaL_loadfile's skipcomment: drop a UTF-8 BOM and a first line starting with '#', keeping its newline. */
export function skipComment(src: Uint8Array): Uint8Array {
  let s = src;
  if (s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf) s = s.subarray(3);
  if (s[0] === 0x23 /* # */) {
    const nl = s.indexOf(0x0a);
    s = nl < 0 ? new Uint8Array(0) : s.subarray(nl);
  }
  return s;
}

/** The chunk name lua5.4 gives a file: "@" + the path exactly as given, or "=stdin". */
export function fileChunkName(path: string | null): string {
  return path === null ? "=stdin" : "@" + path;
}
