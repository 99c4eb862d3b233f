// string.ts - the string library's basic functions (byte, char, len, lower, upper, rep, reverse, sub,
// dump), the string metatable (__index = string, arithmetic coercion metamethods) and luaopen_string
// (lstrlib.c, first part). Pattern matching lives in pattern.ts, string.format in strformat.ts,
// pack/unpack in strpack.ts, and what those files share in strutil.ts (none of them imports this one).
// Invariant: results are built directly in their final TString (long strings) or in a static scratch
// (short strings, which must be interned), so no function here allocates more than its result.

import { LUAI_MAXSHORTLEN } from "../luaconf";
import { fits } from "../mem/alloc";
import {
  LUA_TSTRING, LUA_TFUNCTION, ttisnil, ttisnumber, ttisstring, ttisLclosure, clvalue, setobj, setsvalue,
} from "../object/value";
import { cl_proto } from "../object/func";
import { luaS_createlngstrobj, luaS_new, getstr, tsslen, sizelstring } from "../object/string";
import * as ltable from "../object/table";
import { l_strton, luaO_rawarith, LUA_OPADD, LUA_OPSUB, LUA_OPMUL, LUA_OPMOD, LUA_OPPOW, LUA_OPDIV,
  LUA_OPIDIV, LUA_OPUNM } from "../object/number";
import { ERR, errobj, L_top, G_setmt } from "../vm/state";
import { luaG_errormsg, luaG_memerror } from "../vm/debug";
import { luaD_callnoyield } from "../vm/call";
import {
  index2value, lua_gettop, lua_settop, lua_type, lua_typename,
  lua_pushinteger, lua_pushtstring, lua_pushtvalue, lua_pushvalue, lua_pushliteral, lua_pushlstring,
  lua_createtable, lua_rawsetfield, lua_pop, getmetatableof, lua_toboolean,
} from "../vm/api";
import {
  argfail, luaL_checklstring, luaL_checkinteger, luaL_optinteger, luaL_optlstring, luaL_argerror,
  luaL_checktype, luaL_error, luaL_errorb, luaL_newlib, luaL_setfuncs, msgbuf,
} from "./aux";
import { buf_new, buf_free, buf_addstr, buf_addsubstr } from "../mem/buffer";
import { str_find, str_match, str_gmatch, str_gsub, gmatch_aux, checkgmatch } from "./pattern";
import { regnative, regcheck } from "./natives";
import { luaJ_setfastbyte } from "../jit/helpers";
import { str_format } from "./strformat";
import { str_pack, str_unpack, str_packsize } from "./strpack";
import { luaU_dump } from "../compiler/dump";
import { argstring, argint, argoptint } from "./aux";
import { MAXSIZE, CT_LOWER, CT_UPPER, ctype, posrelatI, checkstackmsg } from "./strutil";

// ==== Positions ====

/** Optional end position at `arg` with default `def`, clipped to [0, len] (getendpos). */
export function getendpos(L: usize, arg: i32, def: i64, len: i32): i64 {
  const pos = argoptint(L, arg, def);
  if (pos > <i64>len) return <i64>len;
  if (pos >= 0) return pos;
  if (pos < -<i64>len) return 0;
  return <i64>len + pos + 1;
}

// ==== Result strings ====

/** Static scratch for results short enough to be interned. */
const SHORTBUF: usize = memory.data(LUAI_MAXSHORTLEN + 8);
let pendingts: usize = 0;

/**
 * Where to write a result of `len` bytes (luaL_buffinitsize): a long string is created directly so
 * its bytes are written once. Push it with pushresult(L, len) before any other allocation-sensitive step.
 */
function prepresult(len: i32): usize {
  if (len <= LUAI_MAXSHORTLEN) { pendingts = 0; return SHORTBUF; }
  pendingts = luaS_createlngstrobj(len);
  return getstr(pendingts);
}
function pushresult(L: usize, len: i32): void {
  if (pendingts == 0) lua_pushlstring(L, SHORTBUF, len);
  else lua_pushtstring(L, pendingts);
  pendingts = 0;
}

// ==== Basic functions ====

function str_len(L: usize): i32 {
  const s = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  lua_pushinteger(L, <i64>tsslen(s));
  return 1;
}

function str_sub(L: usize): i32 {
  const s = argstring(L, 1);
  const l = s != 0 ? tsslen(s) : 0;
  const start = posrelatI(argint(L, 2), l);
  const end = getendpos(L, 3, -1, l);
  if (argfail) return ERR;
  if (start <= end) lua_pushlstring(L, getstr(s) + <usize>(start - 1), <i32>(end - start + 1));
  else lua_pushliteral(L, "");
  return 1;
}

function str_reverse(L: usize): i32 {
  const s = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const l = tsslen(s);
  const src = getstr(s);
  const p = prepresult(l);
  let i = 0;
  for (; i + 8 <= l; i += 8) {                          // 8 bytes at a time, byte-swapped
    store<u64>(p + <usize>i, bswap<u64>(load<u64>(src + <usize>(l - i - 8))));
  }
  for (; i < l; i++) store<u8>(p + <usize>i, load<u8>(src + <usize>(l - i - 1)));
  pushresult(L, l);
  return 1;
}

/**
 * lower (up = false) or upper (up = true): flips bit 5 of ASCII letters only. Words of 8 ASCII
 * bytes are done at once: adding 0x80-first and 0x80-last-1 to each byte sets its bit 7 when the
 * byte is >= first resp. > last, with no carry between bytes since every byte is < 0x80.
 */
function changecase(L: usize, up: bool): i32 {
  const s = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const l = tsslen(s);
  const src = getstr(s);
  const p = prepresult(l);
  const cls = up ? CT_LOWER : CT_UPPER;
  const lo: u64 = up ? 0x1F1F1F1F1F1F1F1F : 0x3F3F3F3F3F3F3F3F;   // 0x80 - 'a' or 0x80 - 'A'
  const hi: u64 = up ? 0x0505050505050505 : 0x2525252525252525;   // 0x80 - 'z' - 1 or 0x80 - 'Z' - 1
  let i = 0;
  for (; i + 8 <= l; i += 8) {
    const x = load<u64>(src + <usize>i);
    if ((x & 0x8080808080808080) == 0) {
      const m = ((x + lo) & ~(x + hi)) & 0x8080808080808080;
      store<u64>(p + <usize>i, x ^ (m >> 2));
    } else {
      for (let j = i; j < i + 8; j++) {
        const c = <i32>load<u8>(src + <usize>j);
        store<u8>(p + <usize>j, <u8>((ctype(c) & cls) != 0 ? c ^ 32 : c));
      }
    }
  }
  for (; i < l; i++) {
    const c = <i32>load<u8>(src + <usize>i);
    store<u8>(p + <usize>i, <u8>((ctype(c) & cls) != 0 ? c ^ 32 : c));
  }
  pushresult(L, l);
  return 1;
}
function str_lower(L: usize): i32 { return changecase(L, false); }
function str_upper(L: usize): i32 { return changecase(L, true); }

function str_rep(L: usize): i32 {
  const s = luaL_checklstring(L, 1);
  let n = luaL_checkinteger(L, 2);
  const sep = luaL_optlstring(L, 3, 0);
  if (argfail) return ERR;
  if (n <= 0) { lua_pushliteral(L, ""); return 1; }
  const l = <i64>tsslen(s), lsep = sep != 0 ? <i64>tsslen(sep) : 0;
  if (l + lsep > MAXSIZE / n) return luaL_error(L, "resulting string too large");
  const total = n * l + (n - 1) * lsep;
  if (!fits(<u64>sizelstring(<i32>total))) return luaG_memerror(L);   // allowed size, but over the limit
  const p0 = prepresult(<i32>total);
  let p = p0;
  const sp = getstr(s), sepp = sep != 0 ? getstr(sep) : 0;
  if (l == 1 && lsep == 0) {
    memory.fill(p, load<u8>(sp), <usize>total);
  } else {
    while (n-- > 1) {                                  // first n-1 copies, each followed by sep
      memory.copy(p, sp, <usize>l); p += <usize>l;
      if (lsep > 0) { memory.copy(p, sepp, <usize>lsep); p += <usize>lsep; }
    }
    memory.copy(p, sp, <usize>l);                      // last copy, no separator
  }
  pushresult(L, <i32>total);
  return 1;
}

function str_byte(L: usize): i32 {
  const s = argstring(L, 1);
  const l = s != 0 ? tsslen(s) : 0;
  const pi = argoptint(L, 2, 1);
  const posi = posrelatI(pi, l);
  const pose = getendpos(L, 3, pi, l);
  if (argfail) return ERR;
  if (posi > pose) return 0;                           // empty interval: no values
  if (pose - posi >= 0x7FFFFFFF) return luaL_error(L, "string slice too long");
  const n = <i32>(pose - posi) + 1;
  if (n > 2 && !checkstackmsg(L, n, "string slice too long")) return ERR;   // natives start with 20 free slots
  const p = getstr(s) + <usize>(posi - 1);
  for (let i = 0; i < n; i++) lua_pushinteger(L, <i64>load<u8>(p + <usize>i));
  return n;
}

function str_char(L: usize): i32 {
  const n = lua_gettop(L);
  if (!fits(<u64>sizelstring(n))) return luaG_memerror(L);
  const p = prepresult(n);
  for (let i = 1; i <= n; i++) {
    const c = luaL_checkinteger(L, i);
    if (argfail) { pendingts = 0; return ERR; }
    if (<u64>c > 255) { pendingts = 0; return luaL_argerror(L, i, "value out of range"); }
    store<u8>(p + <usize>(i - 1), <u8>c);
  }
  pushresult(L, n);
  return 1;
}

// ==== String metamethods (coercion of numeric strings in arithmetic) ====

const NUM1: usize = memory.data(16, 8);
const NUM2: usize = memory.data(16, 8);
const RES: usize = memory.data(16, 8);

/** The argument as a number value in `out`: numbers as is, numeric strings converted (tonum). */
function tonum(L: usize, arg: i32, out: usize): bool {
  const o = index2value(L, arg);
  if (ttisnumber(o)) { setobj(out, o); return true; }
  return ttisstring(o) && l_strton(o, out);
}

/**
 * No numeric coercion: try the second operand's metamethod, else raise
 * "attempt to <op> a '<t1>' with a '<t2>'" (trymt).
 */
function trymt(L: usize, mtname: string): i32 {
  lua_settop(L, 2);
  if (lua_type(L, 2) != LUA_TSTRING) {
    const mt = getmetatableof(index2value(L, 2));
    if (mt != 0) {
      const tm = ltable.luaH_getstr(mt, luaS_new(mtname));
      if (!ttisnil(tm)) {
        lua_pushtvalue(L, tm);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        if (luaD_callnoyield(L, L_top(L) - 48, 1) != 0) return ERR;
        return 1;
      }
    }
  }
  const b = msgbuf();
  buf_addstr(b, "attempt to "); buf_addsubstr(b, mtname, 2, mtname.length); buf_addstr(b, " a '");
  buf_addstr(b, lua_typename(lua_type(L, 1))); buf_addstr(b, "' with a '");
  buf_addstr(b, lua_typename(lua_type(L, 2))); buf_addstr(b, "'");
  return luaL_errorb(L, b);
}

function arith(L: usize, op: i32, mtname: string): i32 {
  if (tonum(L, 1, NUM1) && tonum(L, op == LUA_OPUNM && lua_gettop(L) < 2 ? 1 : 2, NUM2)) {
    if (luaO_rawarith(op, NUM1, NUM2, RES)) { lua_pushtvalue(L, RES); return 1; }
    // only an integer // or % by zero fails here; raised without position, as luaG_runerror from C
    setsvalue(errobj, luaS_new(op == LUA_OPMOD ? "attempt to perform 'n%0'" : "attempt to divide by zero"));
    return luaG_errormsg(L);
  }
  return trymt(L, mtname);
}

function arith_add(L: usize): i32 { return arith(L, LUA_OPADD, "__add"); }
function arith_sub(L: usize): i32 { return arith(L, LUA_OPSUB, "__sub"); }
function arith_mul(L: usize): i32 { return arith(L, LUA_OPMUL, "__mul"); }
function arith_mod(L: usize): i32 { return arith(L, LUA_OPMOD, "__mod"); }
function arith_pow(L: usize): i32 { return arith(L, LUA_OPPOW, "__pow"); }
function arith_div(L: usize): i32 { return arith(L, LUA_OPDIV, "__div"); }
function arith_idiv(L: usize): i32 { return arith(L, LUA_OPIDIV, "__idiv"); }
function arith_unm(L: usize): i32 { return arith(L, LUA_OPUNM, "__unm"); }

// ==== string.dump ====

/** string.dump(f [, strip]): the binary chunk of Lua function f (compiler/dump.ts); its upvalues are not saved. */
function str_dump(L: usize): i32 {
  const strip = lua_toboolean(L, 2);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (argfail) return ERR;
  const fo = index2value(L, 1);
  if (!ttisLclosure(fo)) return luaL_error(L, "unable to dump given function");
  const b = buf_new();
  const ok = luaU_dump(cl_proto(clvalue(fo)), strip, b);
  if (!ok || !fits(<u64>b.len + 32)) {
    buf_free(b);
    return luaG_memerror(L);
  }
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

// ==== Opening the library ====

/** Pushes the string table and installs the string metatable (luaopen_string + createmetatable). */
export function luaopen_string(L: usize): i32 {
  luaL_newlib(L,
    ["byte", "char", "dump", "find", "format", "gmatch", "gsub", "len", "lower", "match", "rep", "reverse",
      "sub", "upper", "pack", "packsize", "unpack"],
    [str_byte, str_char, str_dump, str_find, str_format, str_gmatch, str_gsub, str_len, str_lower, str_match,
      str_rep, str_reverse, str_sub, str_upper, str_pack, str_packsize, str_unpack]);
  const mt = lua_createtable(L, 0, 9);
  luaL_setfuncs(L,
    ["__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__unm"],
    [arith_add, arith_sub, arith_mul, arith_mod, arith_pow, arith_div, arith_idiv, arith_unm]);
  lua_pushvalue(L, -2);
  lua_rawsetfield(L, -2, "__index");                   // metatable.__index = string
  G_setmt(LUA_TSTRING, mt);
  lua_pop(L, 1);
  regnative(gmatch_aux, "string.gmatch.iter");     // the function inside gmatch's closures (lib/natives.ts)
  luaJ_setfastbyte(<u32>changetype<usize>(str_byte));   // compiled code's s:byte(i) (jit/helpers.ts fastnative)
  regcheck(gmatch_aux, checkgmatch);
  return 1;
}
