// fileio.ts - the libraries' side of the host file system (the lua_fs_* imports, docs/ABI.md): C's
// errno/strerror bookkeeping, luaL_fileresult and luaL_execresult, opening a file by a Lua string name, and reading a
// whole file. Used by io (files), os (remove, rename, tmpname), base (loadfile, dofile) and package
// (require's searchers).
// Invariant: after any failed file operation, `lasterrno` and the text in `errtext` describe it, as
// errno and strerror(errno) would in C (the text comes from the host, or from fs_setlocalerror).

import {
  lua_fs_open, lua_fs_read, lua_fs_close, lua_fs_error, lua_fs_remove, lua_fs_rename, lua_fs_tmpname,
} from "../sys/imports";
import { getstr, tsslen } from "../object/string";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_addstr, buf_prepare } from "../mem/buffer";
import { lua_pushnil, lua_pushboolean, lua_pushinteger, lua_pushlstring, lua_pushliteral } from "../vm/api";

// @ts-ignore: decorator
@inline export const EBADF: i32 = 9;
// @ts-ignore: decorator
@inline export const ESPIPE: i32 = 29;

/** errno of the last failed file operation. */
export let lasterrno: i32 = 0;
const ERRTEXT_CAP: i32 = 256;
const errtext: usize = memory.data(ERRTEXT_CAP);
let errtextlen: i32 = 0;

/** Records a failure returned by a lua_fs_* import (a negative errno) and fetches its text. */
export function fs_failed(code: i32): void {
  lasterrno = -code;
  errtextlen = lua_fs_error(errtext, ERRTEXT_CAP);
}

/** Records a failure detected here rather than by the host, with its strerror text. */
export function fs_setlocalerror(errno: i32, text: string): void {
  lasterrno = errno;
  errtextlen = min(text.length, ERRTEXT_CAP);
  for (let i = 0; i < errtextlen; i++) store<u8>(errtext + <usize>i, <u8>text.charCodeAt(i));
}

/** Appends strerror(lasterrno). */
export function addstrerror(b: Buffer): void { buf_addbytes(b, errtext, errtextlen); }

/**
 * luaL_fileresult: `true` on success; otherwise fail, "<fname>: <strerror>" (just the text when
 * fname is 0) and the errno. `fname` is a TString. Returns the number of values pushed.
 */
export function luaL_fileresult(L: usize, ok: bool, fname: usize): i32 {
  if (ok) { lua_pushboolean(L, true); return 1; }
  lua_pushnil(L);
  const b = buf_new();
  if (fname != 0) { buf_addbytes(b, getstr(fname), cstrlen(fname)); buf_addstr(b, ": "); }
  addstrerror(b);
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  lua_pushinteger(L, <i64>lasterrno);
  return 3;
}

/**
 * luaL_execresult for a host wait status (0-255 an exit code, 256 + n killed by signal n, < 0 a
 * failure already recorded): true|fail, "exit"|"signal", code. Returns the number of values pushed.
 */
export function luaL_execresult(L: usize, st: i32): i32 {
  if (st < 0) return luaL_fileresult(L, false, 0);
  if (st == 0) lua_pushboolean(L, true); else lua_pushnil(L);
  lua_pushliteral(L, st >= 256 ? "signal" : "exit");
  lua_pushinteger(L, <i64>(st >= 256 ? st - 256 : st));
  return 3;
}

/** Length of a TString's bytes up to the first zero byte: the name C's fopen would see. */
export function cstrlen(ts: usize): i32 {
  const s = getstr(ts), n = tsslen(ts);
  for (let i = 0; i < n; i++) if (load<u8>(s + <usize>i) == 0) return i;
  return n;
}

const modebuf: usize = memory.data(4);

/**
 * Opens the file named by the TString `name` with an fopen mode: 'r' 'w' or 'a', `plus` for '+'
 * (binary flags are meaningless here). Returns a handle ≥ 0, or a negative errno after recording it.
 */
export function fs_open(name: usize, mode: i32, plus: bool): i32 {
  return fs_openb(getstr(name), cstrlen(name), mode, plus);
}

/** fs_open for the name in bytes [p, p + n). */
export function fs_openb(p: usize, n: i32, mode: i32, plus: bool): i32 {
  store<u8>(modebuf, <u8>mode);
  store<u8>(modebuf, 43, 1);                      // '+'
  const h = lua_fs_open(p, n, modebuf, plus ? 2 : 1);
  if (h < 0) fs_failed(h);
  return h;
}

/** Closes a handle; false after recording the error. */
export function fs_close(h: i32): bool {
  const r = lua_fs_close(h);
  if (r < 0) { fs_failed(r); return false; }
  return true;
}

/** Whether the file named by bytes [p, p + n) can be opened for reading (loadlib.c's readable). */
export function fs_readable(p: usize, n: i32): bool {
  const h = fs_openb(p, n, 114, false);
  if (h < 0) return false;
  lua_fs_close(h);
  return true;
}

/** Reads the rest of handle h into b; false after recording a read error. */
export function fs_readall(h: i32, b: Buffer): bool {
  const CHUNK = 65536;
  let n = 0;
  do {
    const dst = buf_prepare(b, CHUNK);
    n = lua_fs_read(h, dst, CHUNK);
    if (n < 0) { fs_failed(n); return false; }
    b.len += n;
  } while (n > 0);
  return true;
}

/** C remove() on a TString name; false after recording the error. */
export function fs_remove(name: usize): bool {
  const r = lua_fs_remove(getstr(name), cstrlen(name));
  if (r < 0) { fs_failed(r); return false; }
  return true;
}

/** C rename() on TString names; false after recording the error. */
export function fs_rename(from: usize, to: usize): bool {
  const r = lua_fs_rename(getstr(from), cstrlen(from), getstr(to), cstrlen(to));
  if (r < 0) { fs_failed(r); return false; }
  return true;
}

/** Creates a unique temporary file and appends its name to b (mkstemp); false after an error. */
export function fs_tmpname(b: Buffer): bool {
  const CAP = 4096;
  const dst = buf_prepare(b, CAP);
  const n = lua_fs_tmpname(dst, CAP);
  if (n < 0) { fs_failed(n); return false; }
  b.len += n;
  return true;
}
