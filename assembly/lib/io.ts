// io.ts - the io library over the host's standard streams (liolib.c subset).
// Files are full userdata with the "FILE*" metatable (registry["FILE*"]): methods close, flush,
// lines, read, seek, setvbuf, write; __gc, __close, __tostring ("file (0x...)"), __name.
// stdout goes through the output sink host/iobuf.ts lua_writestring, stderr straight to the host's
// lua_stderr import; stdin has no data yet (reads see end of file). There is no file system: io.open
// and io.lines/io.input/io.output with a file name fail as for a missing file. Numbers are written
// with LUA_INTEGER_FMT / LUA_NUMBER_FMT ("%.14g"), as liolib does, not with tostring.
// Invariant: the standard files can never be closed (io_noclose), so a handle's stream is always valid.

import {
  luaL_newlib, luaL_setfuncs, luaL_error, luaL_argerror, luaL_checklstring, luaL_optlstring,
  luaL_optinteger, luaL_checkoption, luaL_checkany, luaL_typeerror, addpointer, argfail,
} from "./aux";
import { lua_newuserdatauv } from "./libapi";
import {
  lua_gettop, lua_type, lua_pushvalue, lua_pushnil, lua_pushinteger, lua_pushboolean,
  lua_pushliteral, lua_pushlstring, lua_pushtable, lua_pushcfunction, lua_createtable, lua_isinteger,
  lua_isnoneornil, lua_rawsetfield, lua_settop, index2value, isnone, lua_pushtvalue, lua_CFunction,
} from "../vm/api";
import {
  LUA_TNUMBER, ttisfulluserdata, ttisinteger, ttisnil, uvalue, ivalue, fltvalue, hvalue, ttistable,
  setsvalue, setobj,
} from "../object/value";
import { udata_metatable, udata_setmetatable, getudatamem } from "../object/userdata";
import { luaH_getstr, luaH_set } from "../object/table";
import { luaS_new, getstr, tsslen } from "../object/string";
import { Buffer, buf_new, buf_free, buf_reset, buf_addstr, buf_addint, buf_addbytes } from "../mem/buffer";
import { fmtfloat_raw, fmtfloat_bound } from "../object/numfmt";
import { registry, ERR, L_top } from "../vm/state";
import { luaC_barrierback } from "../gc/barrier";
import { lua_writestring } from "../host/iobuf";
import { lua_stderr } from "../host/imports";

// ╒═══ LStream (raw bytes of a file userdata) ═══╕
// │ kind: i32    STDIN / STDOUT / STDERR          │ 0
// │ closed: i32  1 after close (never, for now)   │ 4
// └───────────────────────────────────────────────┘
// @ts-ignore: decorator
@inline const STDIN: i32 = 0;
// @ts-ignore: decorator
@inline const STDOUT: i32 = 1;
// @ts-ignore: decorator
@inline const STDERR: i32 = 2;

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
  if (load<i32>(p, 4) != 0) { luaL_error(L, "attempt to use a closed file"); return 0; }
  return p;
}

/** Pushes a new handle for a standard stream (createstdfile's newprefile). */
function newstdfile(L: usize, kind: i32): void {
  const p = lua_newuserdatauv(L, 8, 0);
  store<i32>(p, kind);
  store<i32>(p, 0, 4);
  const mt = regget("FILE*");
  udata_setmetatable(uvalue(L_top(L) - 16), hvalue(mt));
}

/** Pushes fail, a message and an errno number (luaL_fileresult for a failure). */
function fileerror(L: usize, msg: string, errno: i32): i32 {
  lua_pushnil(L);
  lua_pushliteral(L, msg);
  lua_pushinteger(L, errno);
  return 3;
}

/** Raises "cannot open file '<name>' (No such file or directory)" (opencheck without files). */
function opencheck(L: usize, name: usize): i32 {
  const b = buf_new();
  buf_addstr(b, "cannot open file '"); buf_addbytes(b, getstr(name), tsslen(name));
  buf_addstr(b, "' (No such file or directory)");
  const r = luaL_errorb(L, b);
  buf_free(b);
  return r;
}
import { luaL_errorb } from "./aux";

// ==== Writing ====

let numbuf: Buffer = changetype<Buffer>(0);

/** Sends bytes to the stream of kind `kind`; false for stdin (not writable). */
function emit(kind: i32, p: usize, n: i32): bool {
  if (kind == STDOUT) lua_writestring(p, n);
  else if (kind == STDERR) { if (n > 0) lua_stderr(p, n); }
  else return false;
  return true;
}

/** Writes arguments arg..top-1 (the handle to return is on top) to `kind` (g_write). */
function g_write(L: usize, kind: i32, arg: i32): i32 {
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
      ok = emit(kind, b.ptr, b.len) && ok;
    } else {
      const s = luaL_checklstring(L, arg);
      if (argfail) return ERR;
      ok = emit(kind, getstr(s), tsslen(s)) && ok;
    }
  }
  if (ok) return 1;
  return fileerror(L, "Bad file descriptor", 9);
}
import { buf_prepare } from "../mem/buffer";

/** The stream kind of the default file `name`, pushing the handle (getiofile); -1 after an error. */
function getiofile(L: usize, name: string, what: string): i32 {
  const o = regget(name);
  if (ttisnil(o)) { luaL_error(L, what); return -1; }
  lua_pushtvalue(L, o);
  const p = getudatamem(uvalue(o));
  if (load<i32>(p, 4) != 0) { luaL_error(L, what); return -1; }
  return load<i32>(p);
}

function io_write(L: usize): i32 {
  const kind = getiofile(L, "_IO_output", "default output file is closed");
  if (kind < 0) return ERR;
  return g_write(L, kind, 1);
}

function f_write(L: usize): i32 {
  const p = tofile(L);
  if (p == 0) return ERR;
  lua_pushvalue(L, 1);                            // the handle is the result
  return g_write(L, load<i32>(p), 2);
}

// ==== Reading (no input yet: every stream is at end of file) ====

function io_read(L: usize): i32 {
  if (getiofile(L, "_IO_input", "default input file is closed") < 0) return ERR;
  lua_pushnil(L);
  return 1;
}

function f_read(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  lua_pushnil(L);
  return 1;
}

/** The iterator of lines(): at end of file it returns nothing. */
function io_readline(L: usize): i32 { return 0; }

function f_lines(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  lua_pushcfunction(L, io_readline);
  return 1;
}

function io_lines(L: usize): i32 {
  if (!lua_isnoneornil(L, 1)) {
    const name = luaL_checklstring(L, 1);
    if (argfail) return ERR;
    return opencheck(L, name);
  }
  if (getiofile(L, "_IO_input", "default input file is closed") < 0) return ERR;
  lua_pushcfunction(L, io_readline);
  return 1;
}

// ==== Other file operations ====

/** close of a standard file: it stays open (io_noclose). */
function f_close(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  lua_pushnil(L);
  lua_pushliteral(L, "cannot close standard file");
  return 2;
}

function io_close(L: usize): i32 {
  if (isnone(L, 1)) {
    lua_pushtvalue(L, regget("_IO_output"));
  }
  return f_close(L);
}

function f_gc(L: usize): i32 { return 0; }

function f_tostring(L: usize): i32 {
  const p = tolstream(L);
  if (p == 0) return ERR;
  if (load<i32>(p, 4) != 0) { lua_pushliteral(L, "file (closed)"); return 1; }
  const b = buf_new();
  buf_addstr(b, "file (");
  addpointer(b, p);
  buf_addstr(b, ")");
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

function f_flush(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  lua_pushboolean(L, true);
  return 1;
}

function io_flush(L: usize): i32 {
  if (getiofile(L, "_IO_output", "default output file is closed") < 0) return ERR;
  lua_pushboolean(L, true);
  return 1;
}

function f_seek(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  const modes: string[] = ["set", "cur", "end"];
  luaL_checkoption(L, 2, "cur", modes);
  luaL_optinteger(L, 3, 0);
  if (argfail) return ERR;
  return fileerror(L, "Illegal seek", 29);        // standard streams are not seekable
}

function f_setvbuf(L: usize): i32 {
  if (tofile(L) == 0) return ERR;
  const modes: string[] = ["no", "full", "line"];
  luaL_checkoption(L, 2, null, modes);
  luaL_optinteger(L, 3, 1024);
  if (argfail) return ERR;
  lua_pushboolean(L, true);
  return 1;
}

function io_type(L: usize): i32 {
  luaL_checkany(L, 1);
  if (argfail) return ERR;
  const p = testfile(L, 1);
  if (p == 0) lua_pushnil(L);
  else lua_pushliteral(L, load<i32>(p, 4) != 0 ? "closed file" : "file");
  return 1;
}

/** io.input / io.output: set the default file from a handle, then return the current one. */
function g_iofile(L: usize, name: string): i32 {
  if (!lua_isnoneornil(L, 1)) {
    if (lua_type(L, 1) == 4 || lua_type(L, 1) == LUA_TNUMBER) {    // a file name
      const fname = luaL_checklstring(L, 1);
      if (argfail) return ERR;
      return opencheck(L, fname);
    }
    if (tofile(L) == 0) return ERR;
    lua_pushvalue(L, 1);
    regset(L, name);
  }
  lua_pushtvalue(L, regget(name));
  return 1;
}
function io_input(L: usize): i32 { return g_iofile(L, "_IO_input"); }
function io_output(L: usize): i32 { return g_iofile(L, "_IO_output"); }

/** io.open(name [, mode]): there is no file system, so every file is missing. */
function io_open(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  const mode = luaL_optlstring(L, 2, luaS_new("r"));
  if (argfail) return ERR;
  if (!checkmode(mode)) return luaL_argerror(L, 2, "invalid mode");
  lua_pushnil(L);
  const b = buf_new();
  buf_addbytes(b, getstr(name), tsslen(name));
  buf_addstr(b, ": No such file or directory");
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  lua_pushinteger(L, 2);
  return 3;
}

/** Valid fopen modes: [rwa]%+?b* (l_checkmode). */
function checkmode(m: usize): bool {
  const p = getstr(m), n = tsslen(m);
  if (n == 0) return false;
  const c = load<u8>(p);
  if (c != 114 && c != 119 && c != 97) return false;
  let i = 1;
  if (i < n && load<u8>(p + <usize>i) == 43) i++;
  while (i < n && load<u8>(p + <usize>i) == 98) i++;
  return i == n;
}

// ==== Registration ====

export function luaopen_io(L: usize): i32 {
  const names: string[] = ["close", "flush", "input", "lines", "open", "output", "read", "type", "write"];
  const fns: lua_CFunction[] = [io_close, io_flush, io_input, io_lines, io_open, io_output, io_read,
    io_type, io_write];
  luaL_newlib(L, names, fns);
  // metatable for file handles (createmeta)
  const mt = lua_createtable(L, 0, 5);
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
  lua_rawsetfield(L, -2, "stdin");
  newstdfile(L, STDOUT);
  lua_pushvalue(L, -1); regset(L, "_IO_output");
  lua_rawsetfield(L, -2, "stdout");
  newstdfile(L, STDERR);
  lua_rawsetfield(L, -2, "stderr");
  return 1;
}
