// io.ts - the io library (liolib.c): the standard streams and files of the host file system.
// Files are full userdata with the "FILE*" metatable (registry["FILE*"]): methods close, flush,
// lines, read, seek, setvbuf, write; __gc and __close (close an open file), __tostring
// ("file (0x...)" / "file (closed)"), __name. io.popen gives files whose handle is a host pipe (the
// lua_popen import) and whose close is pclose. stdout goes through the output sink of sys/iobuf.ts
// (lua_writestring), stderr straight to the host's lua_stderr import; stdin and files go through the
// lua_fs_* imports (lib/fileio.ts), stdin being host handle 0. Both directions are buffered here,
// playing stdio's role: a read buffer inside the userdata, and for files a write buffer (fully
// buffered by default, BUFSIZ bytes; setvbuf "no"/"full"/"line" as C) flushed when full, on flush,
// seek, read, close, __gc, and by io_flushall at the end of every host call (as C's exit flushes
// stdio), so nothing written is lost. Before writing, unread buffered bytes are given back (a seek
// back), so mixed reads and writes on "r+" files see one position. Numbers are written with
// LUA_INTEGER_FMT / LUA_NUMBER_FMT ("%.14g"), as liolib does, not with tostring.
// Invariants: the standard files can never be closed (io_noclose); a closed stream never reaches the
// host again; rpos <= rlen <= RBUFSIZE and wlen <= wcap; only one of the two buffers holds data; every
// open file is in the `streams` list, which io_flushall walks.

import {
  luaL_newlib, luaL_setfuncs, luaL_error, luaL_errorb, luaL_argerror, luaL_checklstring,
  luaL_optlstring, luaL_checkinteger, luaL_optinteger, luaL_checkoption, luaL_checkany, luaL_typeerror,
  addpointer, argfail,
} from "./aux";
import { regnative, regcheck } from "./natives";
import { cl_nupvalues, ccl_upvalue } from "../object/func";
import { lua_newuserdatauv } from "./libapi";
import {
  lua_gettop, lua_type, lua_pushvalue, lua_pushnil, lua_pushinteger, lua_pushboolean,
  lua_pushliteral, lua_pushlstring, lua_pushcfunction, lua_pushcclosure, lua_createtable,
  lua_isnoneornil, lua_rawsetfield, lua_settop, lua_rotate, lua_replace, lua_tolstring, lua_checkstack,
  lua_toboolean, lua_tointegerx, index2value, isnone, lua_pushtvalue, lua_upvalueindex, lua_CFunction,
  LUA_MINSTACK,
} from "../vm/api";
import {
  LUA_TNUMBER, ttisfulluserdata, ttisinteger, ttisnil, uvalue, ivalue, fltvalue, hvalue, ttistable,
  setsvalue, setfltvalue, setnilvalue,
} from "../object/value";
import {
  udata_metatable, udata_setmetatable, getudatamem, udata_nuvalue, udata_len, luaS_newudata,
} from "../object/userdata";
import { luaH_getstr, luaH_set } from "../object/table";
import { luaS_new, getstr, tsslen } from "../object/string";
import { luaO_str2num } from "../object/number";
import {
  Buffer, buf_new, buf_free, buf_reset, buf_addstr, buf_addint, buf_addbytes, buf_addbyte, buf_prepare,
} from "../mem/buffer";
import { fmtfloat_raw, fmtfloat_bound } from "../object/numfmt";
import { registry, ERR, L_top, L_settop } from "../vm/state";
import { luaC_barrierback } from "../gc/barrier";
import { luaC_checkfinalizer } from "../gc/collect";
import { lua_writestring, flushoutput } from "../sys/iobuf";
import { luaM_alloc, luaM_free } from "../mem/alloc";
import {
  lua_stderr, lua_fs_read, lua_fs_write, lua_fs_seek, lua_popen, lua_pclose, POPEN_REFUSED,
} from "../sys/imports";
import {
  fs_open, fs_close, fs_failed, fs_setlocalerror, fs_remove, fs_tmpname, luaL_fileresult, luaL_execresult,
  addstrerror, cstrlen, EBADF, ESPIPE,
} from "./fileio";

// ╒═══ LStream (raw bytes of a file userdata) ═══════════════════════════╕
// │ kind: i32    STDIN / STDOUT / STDERR / FILE                           │ 0
// │ closed: i32  1 once closed (or before a file is fully opened)         │ 4
// │ handle: i32  host handle (0 for stdin, -1 for stdout/stderr)           │ 8
// │ rpos: i32    next unread byte of rbuf                                 │ 12
// │ rlen: i32    bytes in rbuf                                            │ 16
// │ err: i32     errno of the last failed read or write (ferror), else 0  │ 20
// │ wmode: i32   write buffering: WNONE / WFULL / WLINE (files)            │ 24
// │ wlen: i32    bytes pending in wbuf                                    │ 28
// │ wcap: i32    size of wbuf (allocated on first use)                    │ 32
// │ wbuf: usize  write buffer, or 0                                       │ 36
// │ next: usize  open-files list (streams)                                │ 40
// │ prev: usize                                                           │ 44
// │ access: i32  CANREAD | CANWRITE, from the open mode (stdio's flags)     │ 48
// │ pipe: i32    1 for a file from io.popen (closed by pclose), else 0     │ 52
// │ rbuf: u8[RBUFSIZE]  read buffer (stdin and files only)                │ 56
// └───────────────────────────────────────────────────────────────────────┘
// @ts-ignore: decorator
@inline const STDIN: i32 = 0;
// @ts-ignore: decorator
@inline const STDOUT: i32 = 1;
// @ts-ignore: decorator
@inline const STDERR: i32 = 2;
// @ts-ignore: decorator
@inline const FILE: i32 = 3;
// @ts-ignore: decorator
@inline const HDR: usize = 56;
// @ts-ignore: decorator
@inline const CANREAD: i32 = 1;
// @ts-ignore: decorator
@inline const CANWRITE: i32 = 2;
// @ts-ignore: decorator
@inline const WNONE: i32 = 0;
// @ts-ignore: decorator
@inline const WFULL: i32 = 1;
// @ts-ignore: decorator
@inline const WLINE: i32 = 2;
/** Default size of a file's write buffer (glibc's BUFSIZ). */
// @ts-ignore: decorator
@inline const BUFSIZ: i32 = 8192;
// @ts-ignore: decorator
@inline const RBUFSIZE: i32 = 4096;
// @ts-ignore: decorator
@inline const EOF: i32 = -1;
/** Maximum number of formats of lines() (liolib's MAXARGLINE). */
// @ts-ignore: decorator
@inline const MAXARGLINE: i32 = 250;
/** Maximum length of a numeral read by "n" (L_MAXLENNUM). */
// @ts-ignore: decorator
@inline const MAXLENNUM: i32 = 200;

// @ts-ignore: decorator
@inline function s_kind(p: usize): i32 { return load<i32>(p); }
// @ts-ignore: decorator
@inline function s_closed(p: usize): bool { return load<i32>(p, 4) != 0; }
// @ts-ignore: decorator
@inline function s_handle(p: usize): i32 { return load<i32>(p, 8); }
// @ts-ignore: decorator
@inline function s_rpos(p: usize): i32 { return load<i32>(p, 12); }
// @ts-ignore: decorator
@inline function s_rlen(p: usize): i32 { return load<i32>(p, 16); }
// @ts-ignore: decorator
@inline function s_setbuf(p: usize, pos: i32, len: i32): void { store<i32>(p, pos, 12); store<i32>(p, len, 16); }
// @ts-ignore: decorator
@inline function s_err(p: usize): i32 { return load<i32>(p, 20); }
// @ts-ignore: decorator
@inline function s_seterr(p: usize, e: i32): void { store<i32>(p, e, 20); }
// @ts-ignore: decorator
@inline function s_wmode(p: usize): i32 { return load<i32>(p, 24); }
// @ts-ignore: decorator
@inline function s_wlen(p: usize): i32 { return load<i32>(p, 28); }
// @ts-ignore: decorator
@inline function s_wcap(p: usize): i32 { return load<i32>(p, 32); }
// @ts-ignore: decorator
@inline function s_wbuf(p: usize): usize { return load<usize>(p, 36); }

// ==== Write buffers and the open-files list ====

/** First open file (linked through next/prev). */
let streams: usize = 0;

function linkstream(p: usize): void {
  store<usize>(p, streams, 40);
  store<usize>(p, 0, 44);
  if (streams != 0) store<usize>(streams, p, 44);
  streams = p;
}

function unlinkstream(p: usize): void {
  const next = load<usize>(p, 40), prev = load<usize>(p, 44);
  if (prev != 0) store<usize>(prev, next, 40); else if (streams == p) streams = next;
  if (next != 0) store<usize>(next, prev, 44);
  store<usize>(p, 0, 40);
  store<usize>(p, 0, 44);
}

/** Writes out pending buffered output (fflush); false after recording a write error. */
function wflush(p: usize): bool {
  const n = s_wlen(p);
  if (n == 0) return true;
  store<i32>(p, 0, 28);
  const r = lua_fs_write(s_handle(p), s_wbuf(p), n);
  if (r < 0) { fs_failed(r); s_seterr(p, -r); return false; }
  return true;
}

/** Releases the write buffer (after a flush). */
function wfree(p: usize): void {
  if (s_wbuf(p) != 0) luaM_free(s_wbuf(p), <usize>s_wcap(p));
  store<usize>(p, 0, 36);
  store<i32>(p, 0, 28);
}

/** Flushes every open file: called by the host interface at the end of each call (C's exit). */
export function io_flushall(): void {
  for (let p = streams; p != 0; p = load<usize>(p, 40)) wflush(p);
}

// ==== Registry slots ====

function regget(name: string): usize { return luaH_getstr(registry, luaS_new(name)); }
/** registry[name] = top value (popped). */
function regset(L: usize, name: string): void {
  const k = memory.data(16);
  setsvalue(k, luaS_new(name));
  luaH_set(registry, k, L_top(L) - 16);
  luaC_barrierback(L, registry);
  lua_settop(L, -2);
}

// ==== Handles ====

/** The LStream of the file handle at idx, or 0 if it is not one (luaL_testudata). */
function testfile(L: usize, idx: i32): usize {
  const o = index2value(L, idx);
  if (!ttisfulluserdata(o)) return 0;
  const mt = regget("FILE*");
  const u = uvalue(o);
  if (!ttistable(mt) || udata_metatable(u) != hvalue(mt)) return 0;
  // debug.setmetatable can give any userdata this metatable: only blocks made by newstream (at
  // least a stream header, no user values) are streams, so nothing reads past a foreign block
  if (udata_nuvalue(u) != 0 || udata_len(u) < <u32>HDR) return 0;
  if (<usize>udata_len(u) < streamsize(s_kind(getudatamem(u)))) return 0;
  return getudatamem(u);
}

/** The LStream at arg 1, raising "FILE* expected" otherwise (tolstream); 0 after the error. */
function tolstream(L: usize): usize {
  const p = testfile(L, 1);
  if (p == 0) luaL_typeerror(L, 1, "FILE*");
  return p;
}

/** Like tolstream, but the file must be open (tofile); 0 after an error. */
function tofile(L: usize): usize {
  const p = tolstream(L);
  if (p == 0) return 0;
  if (s_closed(p)) { luaL_error(L, "attempt to use a closed file"); return 0; }
  return p;
}

/** Bytes of a stream of `kind`: the standard output streams have no read buffer. */
// @ts-ignore: decorator
@inline function streamsize(kind: i32): usize { return kind == STDOUT || kind == STDERR ? HDR : HDR + <usize>RBUFSIZE; }

/** Initialises the LStream at p as a closed stream of `kind` (not in the open-files list). */
function initstream(p: usize, kind: i32): void {
  store<i32>(p, kind);
  store<i32>(p, 1, 4);
  store<i32>(p, kind == STDIN ? 0 : -1, 8);
  s_setbuf(p, 0, 0);
  s_seterr(p, 0);
  store<i32>(p, kind == FILE ? WFULL : WNONE, 24);
  store<i32>(p, 0, 28);
  store<i32>(p, BUFSIZ, 32);
  store<usize>(p, 0, 36);
  store<usize>(p, 0, 40);
  store<usize>(p, 0, 44);
  store<i32>(p, kind == STDIN ? CANREAD : kind == FILE ? 0 : CANWRITE, 48);
  store<i32>(p, 0, 52);
}

/** Pushes a new stream of `kind`, closed until its handle is set (newprefile). Returns it. */
function newstream(L: usize, kind: i32): usize {
  const p = lua_newuserdatauv(L, <u32>streamsize(kind), 0);
  initstream(p, kind);
  const mt = hvalue(regget("FILE*"));
  const u = uvalue(L_top(L) - 16);
  udata_setmetatable(u, mt);
  if (kind == FILE) luaC_checkfinalizer(L, u, mt);   // __gc closes files nobody closed
  return p;
}

// ==== Files in snapshots (persist/snapshot.ts) ====
// A snapshot keeps the standard files as themselves and every other file as a closed one.

/** Bytes of a file's userdata block (what a restore books before io_newclosedfile). */
// @ts-ignore: decorator
@inline export const IO_FILESIZE: u32 = <u32>(HDR + <usize>RBUFSIZE);

/** A new closed file with metatable mt, not on the stack: what a file becomes in a restored snapshot. */
export function io_newclosedfile(mt: usize): usize {
  const u = luaS_newudata(IO_FILESIZE, 0);
  initstream(getudatamem(u), FILE);
  udata_setmetatable(u, mt);
  return u;
}

/** Which standard stream the file userdata u is (0 stdin, 1 stdout, 2 stderr), or -1. */
export function io_stdkind(u: usize): i32 {
  if (udata_len(u) < <u32>HDR) return -1;
  const kind = s_kind(getudatamem(u));
  return kind >= STDIN && kind <= STDERR ? kind : -1;
}

/** Pushes a handle for a standard stream (createstdfile). */
function newstdfile(L: usize, kind: i32): void {
  const p = newstream(L, kind);
  store<i32>(p, 0, 4);
}

/** The first character of an fopen mode, or 0 if the mode is invalid ([rwa]%+?b*, l_checkmode). */
function checkmode(m: usize): i32 {
  const p = getstr(m), n = cstrlen(m);
  if (n == 0) return 0;
  const c = <i32>load<u8>(p);
  if (c != 114 && c != 119 && c != 97) return 0;
  let i = 1;
  if (i < n && load<u8>(p + <usize>i) == 43) i++;
  while (i < n && load<u8>(p + <usize>i) == 98) i++;
  return i == n ? c : 0;
}
function modeplus(m: usize): bool { return tsslen(m) > 1 && load<u8>(getstr(m), 1) == 43; }

/** Pushes a new file opened on `name` (newfile + fopen); on failure it stays closed. */
function openfile(L: usize, name: usize, mode: i32, plus: bool): usize {
  const p = newstream(L, FILE);
  const h = fs_open(name, mode, plus);
  if (h < 0) return 0;
  store<i32>(p, h, 8);
  store<i32>(p, 0, 4);
  store<i32>(p, plus ? CANREAD | CANWRITE : mode == 114 ? CANREAD : CANWRITE, 48);
  linkstream(p);
  return p;
}

/** Opens `name` or raises "cannot open file '<name>' (<reason>)" (opencheck); 0 after the error. */
function opencheck(L: usize, name: usize, mode: i32): usize {
  const p = openfile(L, name, mode, false);
  if (p != 0) return p;
  const b = buf_new();
  buf_addstr(b, "cannot open file '"); buf_addbytes(b, getstr(name), cstrlen(name));
  buf_addstr(b, "' ("); addstrerror(b); buf_addstr(b, ")");
  luaL_errorb(L, b);
  buf_free(b);
  return 0;
}

/**
 * Closes the stream at arg 1 and pushes its results (aux_close): files give true or fail + message;
 * standard files stay open and give fail, "cannot close standard file" (io_noclose).
 */
function aux_close(L: usize, p: usize): i32 {
  if (s_kind(p) != FILE) {
    lua_pushnil(L);
    lua_pushliteral(L, "cannot close standard file");
    return 2;
  }
  store<i32>(p, 1, 4);
  s_setbuf(p, 0, 0);
  unlinkstream(p);
  const flushed = wflush(p);
  wfree(p);
  // a pipe's result is its command's status (io_pclose), whatever the last flush gave
  if (load<i32>(p, 52) != 0) return luaL_execresult(L, pclose(s_handle(p)));
  const closed = fs_close(s_handle(p));          // the handle is released even after a failed flush
  return luaL_fileresult(L, flushed && closed, 0);
}

// ==== Low-level reading (the buffer plays stdio's role) ====

/** Refills the read buffer; false at end of file or after an error (recorded in the stream). */
function refill(p: usize): bool {
  s_setbuf(p, 0, 0);
  const kind = s_kind(p);
  if ((load<i32>(p, 48) & CANREAD) == 0) {
    fs_setlocalerror(EBADF, "Bad file descriptor");
    s_seterr(p, EBADF);
    return false;
  }
  if (kind == FILE && !wflush(p)) return false;   // pending output first, as stdio does
  const n = lua_fs_read(s_handle(p), p + HDR, RBUFSIZE);
  if (n < 0) { fs_failed(n); s_seterr(p, -n); return false; }
  s_setbuf(p, 0, n);
  return n > 0;
}

/** The next byte, or EOF (l_getc). */
function getc(p: usize): i32 {
  let pos = s_rpos(p);
  if (pos >= s_rlen(p)) {
    if (!refill(p)) return EOF;
    pos = 0;
  }
  store<i32>(p, pos + 1, 12);
  return <i32>load<u8>(p + HDR + <usize>pos);
}

/** Gives back the byte just read by getc (ungetc); EOF is not given back. */
function ungetc(p: usize, c: i32): void {
  if (c != EOF) store<i32>(p, s_rpos(p) - 1, 12);
}

/** Hands unread buffered bytes back to the host (a relative seek), so the host position is ours. */
function syncpos(p: usize): void {
  const unread = s_rlen(p) - s_rpos(p);
  s_setbuf(p, 0, 0);
  if (unread > 0 && s_kind(p) == FILE) lua_fs_seek(s_handle(p), 1, -<f64>unread);
}

// ==== Read formats ====

/** Scratch of read_number (RN's buff). */
const numbuf_rn: usize = memory.data(MAXLENNUM + 1);
let rn_n: i32 = 0;
let rn_c: i32 = 0;

/** Adds the current char to the numeral and reads the next one; false on overflow (nextc). */
function nextc(p: usize): bool {
  if (rn_n >= MAXLENNUM) { rn_n = -1; return false; }   // invalidate the result
  store<u8>(numbuf_rn + <usize>rn_n, <u8>rn_c);
  rn_n++;
  rn_c = getc(p);
  return true;
}
/** Accepts the current char if it is a or b (test2). */
function test2(p: usize, a: i32, b: i32): bool {
  if (rn_c == a || rn_c == b) return nextc(p);
  return false;
}
function isdigitc(c: i32): bool { return c >= 48 && c <= 57; }
function isxdigitc(c: i32): bool { return isdigitc(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70); }
function readdigits(p: usize, hex: bool): i32 {
  let count = 0;
  while ((hex ? isxdigitc(rn_c) : isdigitc(rn_c)) && nextc(p)) count++;
  return count;
}

/** Reads a numeral prefix and pushes its value, or pushes nil and returns false (read_number). */
function read_number(L: usize, p: usize): bool {
  let count = 0;
  let hex = false;
  rn_n = 0;
  do { rn_c = getc(p); } while (rn_c == 32 || (rn_c >= 9 && rn_c <= 13));
  test2(p, 45, 43);                                 // optional sign
  if (test2(p, 48, 48)) {
    if (test2(p, 120, 88)) hex = true;              // 0x
    else count = 1;
  }
  count += readdigits(p, hex);
  if (test2(p, 46, 46)) count += readdigits(p, hex);    // decimal point
  if (count > 0 && (hex ? test2(p, 112, 80) : test2(p, 101, 69))) {   // exponent
    test2(p, 45, 43);
    readdigits(p, false);
  }
  ungetc(p, rn_c);
  const v = L_top(L);
  if (rn_n > 0 && luaO_str2num(numbuf_rn, rn_n, v) != 0) {
    L_settop(L, v + 16);
    return true;
  }
  lua_pushnil(L);
  return false;
}

/** n == 0: pushes "" and tells whether the stream is not at its end (test_eof). */
function test_eof(L: usize, p: usize): bool {
  const c = getc(p);
  ungetc(p, c);
  lua_pushliteral(L, "");
  return c != EOF;
}

/** Pushes the next line, with its newline unless `chop`; false if nothing was read (read_line). */
function read_line(L: usize, p: usize, chop: bool): bool {
  const b = buf_new();
  let gotnl = false;
  for (;;) {
    let pos = s_rpos(p), len = s_rlen(p);
    if (pos >= len) {
      if (!refill(p)) break;
      pos = 0; len = s_rlen(p);
    }
    const base = p + HDR;
    let i = pos;
    while (i < len && load<u8>(base + <usize>i) != 10) i++;
    buf_addbytes(b, base + <usize>pos, i - pos);
    if (i < len) { store<i32>(p, i + 1, 12); gotnl = true; break; }
    store<i32>(p, len, 12);
  }
  if (gotnl && !chop) buf_addbyte(b, 10);
  lua_pushlstring(L, b.ptr, b.len);
  const ok = gotnl || b.len > 0;
  buf_free(b);
  return ok;
}

/** Pushes up to n bytes (n > 0, or everything with n < 0); false if nothing was read (read_chars). */
function read_chars(L: usize, p: usize, n: i64): bool {
  const b = buf_new();
  let want = n;
  while (want != 0) {
    let pos = s_rpos(p), len = s_rlen(p);
    if (pos >= len) {
      if (!refill(p)) break;
      pos = 0; len = s_rlen(p);
    }
    let k = len - pos;
    if (want > 0 && <i64>k > want) k = <i32>want;
    buf_addbytes(b, p + HDR + <usize>pos, k);
    store<i32>(p, pos + k, 12);
    if (want > 0) want -= k;
  }
  lua_pushlstring(L, b.ptr, b.len);
  const ok = b.len > 0;
  buf_free(b);
  return ok;
}

/**
 * Reads with the formats at first..top-1 (none: one line) and pushes the results; a failing format
 * gives nil and stops; a read error gives fail, message, errno instead (g_read). Returns the count.
 */
function g_read(L: usize, p: usize, first: i32): i32 {
  let nargs = lua_gettop(L) - 1;
  s_seterr(p, 0);                                   // clearerr
  let n: i32;
  let success: bool;
  if (nargs == 0) {
    success = read_line(L, p, true);
    n = first + 1;
  } else {
    if (!lua_checkstack(L, nargs + LUA_MINSTACK)) return luaL_error(L, "stack overflow (too many arguments)");
    success = true;
    for (n = first; nargs-- > 0 && success; n++) {
      if (lua_type(L, n) == LUA_TNUMBER) {
        const l = luaL_checkinteger(L, n);
        if (argfail) return ERR;
        success = l == 0 ? test_eof(L, p) : read_chars(L, p, l < 0 ? -1 : l);
      } else {
        const s = luaL_checklstring(L, n);
        if (argfail) return ERR;
        let q = getstr(s);
        const end = q + <usize>tsslen(s);
        if (q < end && load<u8>(q) == 42) q++;     // skip an optional '*' (5.2 compatibility)
        const c = q < end ? <i32>load<u8>(q) : 0;
        if (c == 110) success = read_number(L, p);              // "n"
        else if (c == 108) success = read_line(L, p, true);     // "l"
        else if (c == 76) success = read_line(L, p, false);     // "L"
        else if (c == 97) { read_chars(L, p, -1); success = true; }   // "a"
        else return luaL_argerror(L, n, "invalid format");
      }
    }
  }
  if (s_err(p) != 0) return luaL_fileresult(L, false, 0);
  if (!success) {
    L_settop(L, L_top(L) - 16);
    lua_pushnil(L);
  }
  return n - first;
}

function io_read(L: usize): i32 {
  const p = getiofile(L, "_IO_input", "default input file is closed");
  if (p == 0) return ERR;
  return g_read(L, p, 1);
}

function f_read(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  return g_read(L, p, 2);
}

// ==== lines ====

/** A restored lines() iterator: a file, the count of the formats that follow (lib/natives.ts regcheck). */
function checkreadline(cl: usize): string {
  const n = cl_nupvalues(cl);
  const f = ccl_upvalue(cl, 0), cnt = ccl_upvalue(cl, 1);
  const mt = regget("FILE*");
  const ok = n >= 3 && ttisfulluserdata(f) && ttisinteger(cnt) && ivalue(cnt) == <i64>(n - 3)
    && ttistable(mt) && udata_metatable(uvalue(f)) == hvalue(mt);
  return ok ? "" : "bad io.lines iterator";
}

/** The iterator of lines(): upvalues file, format count, toclose, formats (io_readline). */
function io_readline(L: usize): i32 {
  const fo = index2value(L, lua_upvalueindex(1));
  const p = getudatamem(uvalue(fo));
  let n = <i32>lua_tointegerx(L, lua_upvalueindex(2));
  if (s_closed(p)) return luaL_error(L, "file is already closed");
  lua_settop(L, 1);
  if (!lua_checkstack(L, n)) return luaL_error(L, "stack overflow (too many arguments)");
  for (let i = 1; i <= n; i++) lua_pushvalue(L, lua_upvalueindex(3 + i));
  n = g_read(L, p, 2);
  if (n < 0) return ERR;
  if (lua_toboolean(L, -n)) return n;
  if (n > 1) {                                      // an error: raise its message
    const m = lua_tolstring(L, -n + 1);
    const b = buf_new();
    if (m != 0) buf_addbytes(b, getstr(m), tsslen(m));
    const r = luaL_errorb(L, b);
    buf_free(b);
    return r;
  }
  if (lua_toboolean(L, lua_upvalueindex(3))) {      // lines(filename) opened it: close it
    lua_settop(L, 0);
    lua_pushvalue(L, lua_upvalueindex(1));
    aux_close(L, p);
  }
  return 0;
}

/** Replaces the arguments by the lines() iterator over the file at 1 (aux_lines). */
function aux_lines(L: usize, toclose: bool): i32 {
  const n = lua_gettop(L) - 1;
  if (n > MAXARGLINE) return luaL_argerror(L, MAXARGLINE + 2, "too many arguments");
  lua_pushvalue(L, 1);
  lua_pushinteger(L, <i64>n);
  lua_pushboolean(L, toclose);
  lua_rotate(L, 2, 3);
  lua_pushcclosure(L, io_readline, 3 + n);
  return 0;
}

function f_lines(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  if (aux_lines(L, false) != 0) return ERR;
  return 1;
}

function io_lines(L: usize): i32 {
  if (isnone(L, 1)) lua_pushnil(L);
  let toclose = false;
  if (ttisnil(index2value(L, 1))) {                 // the default input
    lua_pushtvalue(L, regget("_IO_input"));
    lua_replace(L, 1);
    if (tofile(L) == 0) return ERR;
  } else {
    const name = luaL_checklstring(L, 1);
    if (argfail) return ERR;
    if (opencheck(L, name, 114) == 0) return ERR;
    lua_replace(L, 1);
    toclose = true;
  }
  if (aux_lines(L, toclose) != 0) return ERR;
  if (!toclose) return 1;
  lua_pushnil(L);                                   // state
  lua_pushnil(L);                                   // control
  lua_pushvalue(L, 1);                              // the file, as the loop's to-be-closed value
  return 4;
}

// ==== Writing ====

let numbuf: Buffer = changetype<Buffer>(0);

/** Writes n bytes to the stream; false after an error (recorded in errno). */
function emit(p: usize, s: usize, n: i32): bool {
  const kind = s_kind(p);
  if (kind == STDOUT) { lua_writestring(s, n); return true; }
  if (kind == STDERR) { if (n > 0) lua_stderr(s, n); return true; }
  if ((load<i32>(p, 48) & CANWRITE) == 0) {
    fs_setlocalerror(EBADF, "Bad file descriptor");
    s_seterr(p, EBADF);
    return false;
  }
  syncpos(p);
  if (n == 0) return true;
  const mode = s_wmode(p);
  const cap = s_wcap(p);
  if (mode != WNONE && n < cap) {                 // buffer it
    if (s_wlen(p) + n > cap && !wflush(p)) return false;
    if (s_wbuf(p) == 0) store<usize>(p, luaM_alloc(<usize>cap), 36);
    memory.copy(s_wbuf(p) + <usize>s_wlen(p), s, <usize>n);
    store<i32>(p, s_wlen(p) + n, 28);
    if (mode == WLINE && hasnewline(s, n)) return wflush(p);
    return true;
  }
  if (!wflush(p)) return false;
  const r = lua_fs_write(s_handle(p), s, n);
  if (r < 0) { fs_failed(r); s_seterr(p, -r); return false; }
  return r == n;
}
function hasnewline(s: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<u8>(s + <usize>i) == 10) return true;
  return false;
}

/** Writes arguments arg..top-1 (the handle to return is on top) to the stream (g_write). */
function g_write(L: usize, p: usize, arg: i32): i32 {
  let nargs = lua_gettop(L) - arg;
  let ok = true;
  if (changetype<usize>(numbuf) == 0) numbuf = buf_new();
  for (; nargs-- > 0; arg++) {
    if (lua_type(L, arg) == LUA_TNUMBER) {
      const o = index2value(L, arg);
      const b = numbuf;
      buf_reset(b);
      if (ttisinteger(o)) buf_addint(b, ivalue(o));
      else {
        const d = buf_prepare(b, fmtfloat_bound(14, 0));
        b.len += fmtfloat_raw(d, fltvalue(o), 103, 14, 0, 0);    // "%.14g"
      }
      ok = ok && emit(p, b.ptr, b.len);
    } else {
      const s = luaL_checklstring(L, arg);
      if (argfail) return ERR;
      ok = ok && emit(p, getstr(s), tsslen(s));
    }
  }
  if (ok) return 1;
  return luaL_fileresult(L, false, 0);
}

/** The default file `name`, pushed (getiofile); 0 after raising `what` if it is closed. */
function getiofile(L: usize, name: string, what: string): usize {
  const o = regget(name);
  if (!ttisfulluserdata(o)) { luaL_error(L, what); return 0; }
  lua_pushtvalue(L, o);
  const p = getudatamem(uvalue(o));
  if (s_closed(p)) { luaL_error(L, what); return 0; }
  return p;
}

function io_write(L: usize): i32 {
  const p = getiofile(L, "_IO_output", "default output file is closed");
  if (p == 0) return ERR;
  return g_write(L, p, 1);
}

function f_write(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  lua_pushvalue(L, 1);                            // the handle is the result
  return g_write(L, p, 2);
}

// ==== Other file operations ====

function f_close(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  return aux_close(L, p);
}

function io_close(L: usize): i32 {
  if (isnone(L, 1)) lua_pushtvalue(L, regget("_IO_output"));
  return f_close(L);
}

/** __gc and __close: closes a file still open (f_gc). */
function f_gc(L: usize): i32 {
  const p = tolstream(L);
  if (p == 0) return ERR;
  if (!s_closed(p) && s_kind(p) == FILE) aux_close(L, p);
  return 0;
}

function f_tostring(L: usize): i32 {
  const p = tolstream(L);
  if (p == 0) return ERR;
  if (s_closed(p)) { lua_pushliteral(L, "file (closed)"); return 1; }
  const b = buf_new();
  buf_addstr(b, "file (");
  addpointer(b, p);
  buf_addstr(b, ")");
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

/** fflush: pending standard output or file output goes to the host; false after a write error. */
function flushstream(p: usize): bool {
  if (s_kind(p) == STDOUT) flushoutput();
  return s_kind(p) != FILE || wflush(p);
}

function f_flush(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  return luaL_fileresult(L, flushstream(p), 0);
}

function io_flush(L: usize): i32 {
  const p = getiofile(L, "_IO_output", "default output file is closed");
  if (p == 0) return ERR;
  return luaL_fileresult(L, flushstream(p), 0);
}

/** Options of seek and setvbuf, made once (a literal array is a new managed object per call). */
const SEEKMODES: string[] = ["set", "cur", "end"];
const VBUFMODES: string[] = ["no", "full", "line"];

function f_seek(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  const op = luaL_checkoption(L, 2, "cur", SEEKMODES);
  let offset = luaL_optinteger(L, 3, 0);
  if (argfail) return ERR;
  if (s_kind(p) != FILE) {                        // standard streams are not seekable
    fs_setlocalerror(ESPIPE, "Illegal seek");
    return luaL_fileresult(L, false, 0);
  }
  if (!wflush(p)) return luaL_fileresult(L, false, 0);
  const unread = s_rlen(p) - s_rpos(p);
  if (op == 1) offset -= <i64>unread;             // the host is ahead by the buffered bytes
  const r = lua_fs_seek(s_handle(p), op, <f64>offset);
  if (r < 0) { fs_failed(<i32>r); return luaL_fileresult(L, false, 0); }
  s_setbuf(p, 0, 0);
  lua_pushinteger(L, <i64>r);
  return 1;
}

/** setvbuf(mode [, size]): files change their write buffering; standard streams accept and ignore it. */
function f_setvbuf(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  const op = luaL_checkoption(L, 2, null, VBUFMODES);
  const size = luaL_optinteger(L, 3, 1024);      // LUAL_BUFFERSIZE
  if (argfail) return ERR;
  if (s_kind(p) == FILE) {
    if (!wflush(p)) return luaL_fileresult(L, false, 0);
    wfree(p);
    store<i32>(p, op == 0 ? WNONE : op == 1 ? WFULL : WLINE, 24);
    store<i32>(p, size < 1 ? 1 : size > 1 << 24 ? 1 << 24 : <i32>size, 32);
  }
  return luaL_fileresult(L, true, 0);
}

function io_type(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  const p = testfile(L, 1);
  if (p == 0) lua_pushnil(L);
  else lua_pushliteral(L, s_closed(p) ? "closed file" : "file");
  return 1;
}

/** io.input / io.output: set the default file from a name or a handle, then return it (g_iofile). */
function g_iofile(L: usize, name: string, mode: i32): i32 {
  if (!lua_isnoneornil(L, 1)) {
    const t = lua_type(L, 1);
    if (t == 4 || t == LUA_TNUMBER) {               // a file name
      const fname = lua_tolstring(L, 1);
      if (opencheck(L, fname, mode) == 0) return ERR;
    } else {
      if (tofile(L) == 0) return ERR;
      lua_pushvalue(L, 1);
    }
    regset(L, name);
  }
  lua_pushtvalue(L, regget(name));
  return 1;
}
function io_input(L: usize): i32 { return g_iofile(L, "_IO_input", 114); }
function io_output(L: usize): i32 { return g_iofile(L, "_IO_output", 119); }

/** io.open(name [, mode]): a file, or fail, "<name>: <reason>", errno. */
function io_open(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  const mode = luaL_optlstring(L, 2, luaS_new("r"));
  if (argfail) return ERR;
  const c = checkmode(mode);
  if (c == 0) return luaL_argerror(L, 2, "invalid mode");
  if (openfile(L, name, c, modeplus(mode)) == 0) return luaL_fileresult(L, false, name);
  return 1;
}

/**
 * io.popen(prog [, mode]): a file reading the command's output ("r") or writing its input ("w"),
 * when the host grants processes (the CLI does); otherwise "'popen' not supported", as liolib built
 * without popen. Pending output is flushed first, as l_popen's fflush(NULL).
 */
function io_popen(L: usize): i32 {
  const prog = luaL_checklstring(L, 1);
  const mode = luaL_optlstring(L, 2, luaS_new("r"));
  if (argfail) return ERR;
  const p = newstream(L, FILE);
  const m = getstr(mode);
  const c = <i32>load<u8>(m);
  if (cstrlen(mode) != 1 || (c != 114 && c != 119)) return luaL_argerror(L, 2, "invalid mode");
  io_flushall(); flushoutput();
  const h = lua_popen(getstr(prog), cstrlen(prog), c);
  if (h == POPEN_REFUSED) return luaL_error(L, "'popen' not supported");
  if (h < 0) { fs_failed(h); return luaL_fileresult(L, false, prog); }
  store<i32>(p, h, 8);
  store<i32>(p, 0, 4);
  store<i32>(p, c == 114 ? CANREAD : CANWRITE, 48);
  store<i32>(p, 1, 52);
  linkstream(p);
  return 1;
}

/** Closes a pipe's handle and waits for its command: the wait status, or -1 after recording an error. */
function pclose(h: i32): i32 {
  const st = lua_pclose(h);
  if (st < 0) { fs_failed(st); return -1; }
  return st;
}

/** io.tmpfile: a new "w+" file that is removed at once (it lives until closed). */
function io_tmpfile(L: usize): i32 {
  const b = buf_new();
  const ok = fs_tmpname(b);
  const name = ok ? lua_pushlstring(L, b.ptr, b.len) : 0;
  buf_free(b);
  if (!ok) return luaL_fileresult(L, false, 0);
  if (openfile(L, name, 119, true) == 0) return luaL_fileresult(L, false, 0);
  fs_remove(name);
  return 1;
}

/**
 * fgets on C's stdin for debug.debug: appends to b the bytes of standard input up to and including
 * a newline, at most `max`; false at end of input with nothing read. It reads through io.stdin's
 * buffer, so io.read and debug.debug share one stream, as they share stdin in C.
 */
export function io_stdin_gets(b: Buffer, max: i32): bool {
  const o = regget("_IO_stdin");
  if (!ttisfulluserdata(o) || udata_len(uvalue(o)) < <u32>(HDR + <usize>RBUFSIZE)) return false;
  const p = getudatamem(uvalue(o));
  if (s_kind(p) != STDIN) return false;
  let n = 0;
  while (n < max) {
    const c = getc(p);
    if (c == EOF) break;
    buf_addbyte(b, <u8>c);
    n++;
    if (c == 10) break;
  }
  return n > 0;
}

// ==== Registration ====

export function luaopen_io(L: usize): i32 {
  regnative(io_readline, "io.lines.iter");         // the function inside io.lines's closures (lib/natives.ts)
  regcheck(io_readline, checkreadline);
  const names: string[] = ["close", "flush", "input", "lines", "open", "output", "popen", "read",
    "tmpfile", "type", "write"];
  const fns: lua_CFunction[] = [io_close, io_flush, io_input, io_lines, io_open, io_output, io_popen,
    io_read, io_tmpfile, io_type, io_write];
  luaL_newlib(L, names, fns);
  // metatable for file handles (createmeta)
  lua_createtable(L, 0, 5);
  const mnames: string[] = ["__gc", "__close", "__tostring"];
  const mfns: lua_CFunction[] = [f_gc, f_gc, f_tostring];
  luaL_setfuncs(L, mnames, mfns);
  lua_pushliteral(L, "FILE*");
  lua_rawsetfield(L, -2, "__name");
  const meth: string[] = ["read", "write", "lines", "flush", "seek", "close", "setvbuf"];
  const mfn: lua_CFunction[] = [f_read, f_write, f_lines, f_flush, f_seek, f_close, f_setvbuf];
  luaL_newlib(L, meth, mfn);
  lua_rawsetfield(L, -2, "__index");
  regset(L, "FILE*");                             // pops the metatable
  // the standard files
  newstdfile(L, STDIN);
  lua_pushvalue(L, -1); regset(L, "_IO_input");
  lua_pushvalue(L, -1); regset(L, "_IO_stdin");   // C's stdin, whatever io.input and io.stdin become
  lua_rawsetfield(L, -2, "stdin");
  newstdfile(L, STDOUT);
  lua_pushvalue(L, -1); regset(L, "_IO_output");
  lua_rawsetfield(L, -2, "stdout");
  newstdfile(L, STDERR);
  lua_rawsetfield(L, -2, "stderr");
  return 1;
}
