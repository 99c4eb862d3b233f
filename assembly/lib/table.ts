// table.ts - the table library: concat, insert, move, pack, remove, sort, unpack (ltablib.c).
// Every element access goes through lua_geti/lua_seti (lib/libapi.ts), so tables with __index,
// __newindex and __len behave as in Lua 5.4, while plain tables take the raw fast path.
// Invariant: each native returns its result count or ERR right after an error was raised, and every
// helper that can fail returns a status that its caller checks before touching the stack again.

import { trapflag, budget_charge } from "../vm/budget";
import { luaL_newlib, luaL_error, luaL_argerror, luaL_checkinteger, luaL_optinteger, luaL_optlstring,
  luaL_checktype, luaL_typeerror, argfail } from "./aux";
import { lua_geti, lua_seti, luaL_len, lenvalue, lua_lessthan, lua_equal, lua_checkstack_limited,
  buf_addchecked } from "./libapi";
import {
  lua_gettop, lua_type, lua_typename, lua_settop, lua_pushvalue, lua_pushnil, lua_pushinteger,
  lua_pushlstring, lua_createtable, lua_insert, lua_rawsetfield, lua_checkstack, lua_isnoneornil,
  lua_toboolean, lua_tolstring, lua_pop, lua_isstring, getmetatableof, index2value, lua_CFunction,
  lua_pushtstring,
} from "../vm/api";
import { LUA_TTABLE, LUA_TFUNCTION, ttisnil, ttisstring, ttistable, ttisnumber, ttisinteger, tsvalue, hvalue, ivalue } from "../object/value";
import { luaH_getstr, luaH_getint, getmetatable, asize, arrayptr } from "../object/table";
import { LTnum } from "../vm/ops";
import { l_strcmp } from "../object/string";
import { luaC_barrierback } from "../gc/barrier";
import { luaS_new, luaS_newlstr, luaS_createlngstrobj, getstr, tsslen, sizelstring } from "../object/string";
import { LUAI_MAXSHORTLEN } from "../luaconf";
import { fits } from "../mem/alloc";
import { MAXSIZE, bytecopy } from "./strutil";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_addstr, buf_addint } from "../mem/buffer";
import { L_top, OK, ERR } from "../vm/state";
import { luaD_callnoyield } from "../vm/call";
import { lua_time, lua_clock } from "../sys/imports";

// ==== Table-like arguments ====

// @ts-ignore: decorator
@inline const TAB_R: i32 = 1;
// @ts-ignore: decorator
@inline const TAB_W: i32 = 2;
// @ts-ignore: decorator
@inline const TAB_L: i32 = 4;
// @ts-ignore: decorator
@inline const TAB_RW: i32 = TAB_R | TAB_W;

/** Whether metatable mt has the raw field `name` (checkfield). */
function hasfield(mt: usize, name: string): bool {
  return !ttisnil(luaH_getstr(mt, luaS_new(name)));
}

/**
 * Checks that arg is a table or behaves like one for the operations in `what` (checktab): a
 * non-table needs a metatable with __index / __newindex / __len. False after raising the error.
 */
function checktab(L: usize, arg: i32, what: i32): bool {
  if (lua_type(L, arg) == LUA_TTABLE) return true;
  const mt = getmetatableof(index2value(L, arg));
  if (mt != 0 && ((what & TAB_R) == 0 || hasfield(mt, "__index")) &&
      ((what & TAB_W) == 0 || hasfield(mt, "__newindex")) &&
      ((what & TAB_L) == 0 || hasfield(mt, "__len"))) return true;
  luaL_typeerror(L, arg, "table");
  return false;
}

/** checktab + luaL_len (aux_getn): OK with the length in `lenvalue`, or ERR. */
function aux_getn(L: usize, arg: i32, what: i32): i32 {
  if (!checktab(L, arg, what | TAB_L)) return ERR;
  return luaL_len(L, arg);
}

// ==== insert, remove, move ====

/** table.insert(t, [pos,] v) */
function tinsert(L: usize): i32 {
  if (aux_getn(L, 1, TAB_RW) != OK) return ERR;
  const e = lenvalue + 1;                 // first empty element (wraps like luaL_intop)
  let pos: i64;
  const n = lua_gettop(L);
  if (n == 2) pos = e;
  else if (n == 3) {
    pos = luaL_checkinteger(L, 2);
    if (argfail) return ERR;
    if (<u64>pos - 1 >= <u64>e) return luaL_argerror(L, 2, "position out of bounds");
    for (let i = e; i > pos; i--) {      // move up elements: t[i] = t[i - 1]
      if (lua_geti(L, 1, i - 1) != OK || lua_seti(L, 1, i) != OK) return ERR;
    }
  } else return luaL_error(L, "wrong number of arguments to 'insert'");
  if (lua_seti(L, 1, pos) != OK) return ERR;
  return 0;
}

/** table.remove(t [, pos]) */
function tremove(L: usize): i32 {
  if (aux_getn(L, 1, TAB_RW) != OK) return ERR;
  const size = lenvalue;
  let pos = luaL_optinteger(L, 2, size);
  if (argfail) return ERR;
  // lua5.4.4 reports this bad position as argument #1
  if (pos != size && <u64>pos - 1 > <u64>size) return luaL_argerror(L, 1, "position out of bounds");
  if (lua_geti(L, 1, pos) != OK) return ERR;          // result = t[pos]
  for (; pos < size; pos++) {
    if (lua_geti(L, 1, pos + 1) != OK || lua_seti(L, 1, pos) != OK) return ERR;
  }
  lua_pushnil(L);
  if (lua_seti(L, 1, pos) != OK) return ERR;          // remove entry t[pos]
  return 1;
}

/** table.move(a1, f, e, t [, a2]) */
function tmove(L: usize): i32 {
  const f = luaL_checkinteger(L, 2);
  const e = luaL_checkinteger(L, 3);
  const t = luaL_checkinteger(L, 4);
  if (argfail) return ERR;
  const tt = !lua_isnoneornil(L, 5) ? 5 : 1;          // destination table
  if (!checktab(L, 1, TAB_R) || !checktab(L, tt, TAB_W)) return ERR;
  if (e >= f) {
    if (!(f > 0 || e < i64.MAX_VALUE + f)) return luaL_argerror(L, 3, "too many elements to move");
    const n = e - f + 1;
    if (!(t <= i64.MAX_VALUE - n + 1)) return luaL_argerror(L, 4, "destination wrap around");
    let forward = t > e || t <= f;
    if (!forward && tt != 1) {
      const eq = lua_equal(L, 1, tt);
      if (eq == ERR) return ERR;
      forward = eq == 0;
    }
    if (forward) {
      for (let i: i64 = 0; i < n; i++) {
        if (lua_geti(L, 1, f + i) != OK || lua_seti(L, tt, t + i) != OK) return ERR;
      }
    } else {
      for (let i: i64 = n - 1; i >= 0; i--) {
        if (lua_geti(L, 1, f + i) != OK || lua_seti(L, tt, t + i) != OK) return ERR;
      }
    }
  }
  lua_pushvalue(L, tt);
  return 1;
}

// ==== concat ====

/** Appends t[i] to b, which must be a string or a number (addfield). */
function addfield(L: usize, b: Buffer, i: i64): i32 {
  if (lua_geti(L, 1, i) != OK) return ERR;
  if (!lua_isstring(L, -1)) {
    const m = buf_new();
    buf_addstr(m, "invalid value ("); buf_addstr(m, lua_typename(lua_type(L, -1)));
    buf_addstr(m, ") at index "); buf_addint(m, i); buf_addstr(m, " in table for 'concat'");
    const r = luaL_errorbuf(L, m);
    buf_free(m);
    return r;
  }
  const s = lua_tolstring(L, -1);
  if (!buf_addchecked(L, b, getstr(s), tsslen(s))) return ERR;
  lua_pop(L, 1);
  return OK;
}

import { luaL_errorb as luaL_errorbuf } from "./aux";

/** Scratch for a short concat result, which must be interned. */
const CONCATBUF: usize = memory.data(LUAI_MAXSHORTLEN);

/**
 * table.concat of a plain table whose elements i..last are all strings: the result's length is
 * summed first and its bytes written once, straight into the result. -1 (nothing pushed) when an
 * element is not a string or the result would not fit: the general path then converts numbers,
 * raises the errors, and builds exactly what it built before.
 */
function concatplain(L: usize, h: usize, sep: usize, i: i64, last: i64): i32 {
  const seplen = <i64>tsslen(sep);
  let total: i64 = 0;
  for (let k = i; ; k++) {
    const v = luaH_getint(h, k);
    if (!ttisstring(v)) return -1;
    total += <i64>tsslen(tsvalue(v));
    if (k == last) break;
    total += seplen;
    if (total > MAXSIZE) return -1;
  }
  if (total > MAXSIZE || !fits(<u64>sizelstring(<i32>total))) return -1;
  const len = <i32>total;
  const ts: usize = len <= LUAI_MAXSHORTLEN ? 0 : luaS_createlngstrobj(len);
  let p = ts == 0 ? CONCATBUF : getstr(ts);
  for (let k = i; ; k++) {                           // no allocation in here: the table is unchanged
    const e = tsvalue(luaH_getint(h, k));
    const el = <usize>tsslen(e);
    bytecopy(p, getstr(e), el);
    p += el;
    if (k == last) break;
    bytecopy(p, getstr(sep), <usize>seplen);
    p += <usize>seplen;
  }
  if (ts == 0) lua_pushlstring(L, CONCATBUF, len);
  else lua_pushtstring(L, ts);
  return 1;
}

/** table.concat(list [, sep [, i [, j]]]) */
function tconcat(L: usize): i32 {
  if (aux_getn(L, 1, TAB_R) != OK) return ERR;
  let last = lenvalue;
  let sep = luaL_optlstring(L, 2, 0);            // 0: none given, the empty string
  let i = luaL_optinteger(L, 3, 1);
  last = luaL_optinteger(L, 4, last);
  if (argfail) return ERR;
  const t = index2value(L, 1);
  if (i <= last && ttistable(t) && getmetatable(hvalue(t)) == 0) {
    const r = concatplain(L, hvalue(t), sep == 0 ? luaS_newlstr(CONCATBUF, 0) : sep, i, last);
    if (r >= 0) return r;
  }
  if (sep == 0) sep = luaS_newlstr(CONCATBUF, 0);
  const b = buf_new();
  const seplen = tsslen(sep);
  for (; i < last; i++) {
    if (addfield(L, b, i) != OK || !buf_addchecked(L, b, getstr(sep), seplen)) { buf_free(b); return ERR; }
  }
  if (i == last && addfield(L, b, i) != OK) { buf_free(b); return ERR; }
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

// ==== pack, unpack ====

/** table.pack(...) */
function tpack(L: usize): i32 {
  const n = lua_gettop(L);
  lua_createtable(L, n, 1);
  lua_insert(L, 1);                       // the table goes below the elements
  for (let i = n; i >= 1; i--) lua_seti(L, 1, i);   // a fresh table: cannot fail
  lua_pushinteger(L, n);
  lua_rawsetfield(L, 1, "n");
  return 1;
}

/** table.unpack(list [, i [, j]]) */
function tunpack(L: usize): i32 {
  let i = luaL_optinteger(L, 2, 1);
  if (argfail) return ERR;
  let e: i64;
  if (lua_isnoneornil(L, 3)) {
    if (luaL_len(L, 1) != OK) return ERR;
    e = lenvalue;
  } else {
    e = luaL_checkinteger(L, 3);
    if (argfail) return ERR;
  }
  if (i > e) return 0;
  const n = <u64>e - <u64>i;              // number of elements minus 1 (no overflow)
  if (n >= <u64>i32.MAX_VALUE || !lua_checkstack_limited(L, <i32>n + 1))
    return luaL_error(L, "too many results to unpack");
  for (; i < e; i++) {
    if (lua_geti(L, 1, i) != OK) return ERR;
  }
  if (lua_geti(L, 1, e) != OK) return ERR;
  return <i32>n + 1;
}

// ==== sort (quicksort after Sedgewick, as ltablib.c) ====
// The list is argument 1 and the comparator (or nil) argument 2; values in flight live on the stack.

/** Arrays with more elements than this may use a randomized pivot. */
// @ts-ignore: decorator
@inline const RANLIMIT: u32 = 100;

/** A "random" number from the clocks, used only after a badly unbalanced partition. */
function randomizepivot(): u32 {
  if (deterministic) return 0x2545F491;              // deterministic mode: a fixed "random" pivot seed
  return <u32><i64>lua_time() + <u32><i64>(lua_clock() * 1e6);
}
import { deterministic } from "./determ";

/** Whether the value at index a sorts before the one at b: 1, 0, or ERR (sort_comp). */
function sort_comp(L: usize, a: i32, b: i32): i32 {
  if (trapflag && budget_charge(1) != OK) return ERR;   // budgets count comparisons
  if (lua_isnoneornil(L, 2)) return lua_lessthan(L, a, b);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, a - 1);                // -1 compensates the function
  lua_pushvalue(L, b - 2);                // -2 compensates the function and 'a'
  if (luaD_callnoyield(L, L_top(L) - 48, 1) != OK) return ERR;
  const res = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return res ? 1 : 0;
}

/** t[i] = top value and t[j] = the one below it (set2). */
function set2(L: usize, i: u32, j: u32): i32 {
  if (lua_seti(L, 1, <i64>i) != OK) return ERR;
  return lua_seti(L, 1, <i64>j);
}

/** Status of the last partition; its result is the pivot's final index. */
let partstatus: i32 = OK;

/**
 * Partitions a[lo..up] around the pivot P on the stack top, where a[lo] <= P == a[up-1] <= a[up];
 * returns i with a[lo..i-1] <= a[i] == P <= a[i+1..up]. Sets partstatus to ERR on failure.
 */
function partition(L: usize, lo: u32, up: u32): u32 {
  let i = lo;
  let j = up - 1;
  partstatus = ERR;
  for (;;) {
    // repeat ++i while a[i] < P
    for (;;) {
      if (lua_geti(L, 1, <i64>(++i)) != OK) return 0;
      const c = sort_comp(L, -1, -2);
      if (c == ERR) return 0;
      if (c == 0) break;
      if (i == up - 1) { luaL_error(L, "invalid order function for sorting"); return 0; }
      lua_pop(L, 1);
    }
    // repeat --j while P < a[j]
    for (;;) {
      if (lua_geti(L, 1, <i64>(--j)) != OK) return 0;
      const c = sort_comp(L, -3, -1);
      if (c == ERR) return 0;
      if (c == 0) break;
      if (j < i) { luaL_error(L, "invalid order function for sorting"); return 0; }
      lua_pop(L, 1);
    }
    if (j < i) {                          // no elements out of place
      lua_pop(L, 1);
      if (set2(L, up - 1, i) != OK) return 0;   // pivot goes to a[i]
      partstatus = OK;
      return i;
    }
    if (set2(L, i, j) != OK) return 0;
  }
  return 0;   // unreachable
}

/** Chooses a pivot in the middle half of [lo, up], "randomized" by rnd. */
function choosepivot(lo: u32, up: u32, rnd: u32): u32 {
  const r4 = (up - lo) / 4;
  return rnd % (r4 * 2) + (lo + r4);
}

/** Sorts a[lo], a[p], a[up] among themselves (median of three); OK or ERR. */
function order3(L: usize, lo: u32, p: u32, up: u32): i32 {
  if (lua_geti(L, 1, <i64>p) != OK || lua_geti(L, 1, <i64>lo) != OK) return ERR;
  let c = sort_comp(L, -2, -1);           // a[p] < a[lo]?
  if (c == ERR) return ERR;
  if (c != 0) return set2(L, p, lo);
  lua_pop(L, 1);
  if (lua_geti(L, 1, <i64>up) != OK) return ERR;
  c = sort_comp(L, -1, -2);               // a[up] < a[p]?
  if (c == ERR) return ERR;
  if (c != 0) return set2(L, p, up);
  lua_pop(L, 2);
  return OK;
}

/** Quicksort of a[lo..up], recursing on the smaller half and looping on the larger. */
function auxsort(L: usize, lo: u32, up: u32, rnd: u32): i32 {
  while (lo < up) {
    if (lua_geti(L, 1, <i64>lo) != OK || lua_geti(L, 1, <i64>up) != OK) return ERR;
    const c = sort_comp(L, -1, -2);       // a[up] < a[lo]?
    if (c == ERR) return ERR;
    if (c != 0) { if (set2(L, lo, up) != OK) return ERR; } else lua_pop(L, 2);
    if (up - lo == 1) return OK;
    let p: u32 = (up - lo < RANLIMIT || rnd == 0) ? (lo + up) / 2 : choosepivot(lo, up, rnd);
    if (order3(L, lo, p, up) != OK) return ERR;
    if (up - lo == 2) return OK;
    if (lua_geti(L, 1, <i64>p) != OK) return ERR;   // the pivot
    lua_pushvalue(L, -1);
    if (lua_geti(L, 1, <i64>(up - 1)) != OK) return ERR;
    if (set2(L, p, up - 1) != OK) return ERR;        // swap pivot a[p] with a[up - 1]
    p = partition(L, lo, up);
    if (partstatus != OK) return ERR;
    let n: u32;
    if (p - lo < up - p) {
      if (auxsort(L, lo, p - 1, rnd) != OK) return ERR;
      n = p - lo;
      lo = p + 1;
    } else {
      if (auxsort(L, p + 1, up, rnd) != OK) return ERR;
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n) rnd = randomizepivot();   // partition too unbalanced
  }
  return OK;
}

// ==== sort in place (no comparator, a plain table of numbers or of strings) ====
// When the order is `<` on numbers only or on strings only, no Lua code can run during the sort (no
// metamethod, no comparator), so nothing can see or change the table meanwhile: the same algorithm
// then runs on the array part directly, making exactly the same comparisons, writes, budget charges
// and errors as the path above, without the stack traffic of lua_geti/lua_seti. Each write keeps the
// slot's extra word, as luaH_setint does.

/** Slot of element i (1-based) of the array part being sorted. */
let rawbase: usize = 0;
// @ts-ignore: decorator
@inline function rawslot(i: u32): usize { return rawbase + (<usize>i << 4); }
/** The pivot, copied out of the array (partition's stack slot in the general path). */
const RAWPIVOT: usize = memory.data(16, 8);

/** Copies tag and payload of src into slot dst (setobjkeepextra). */
// @ts-ignore: decorator
@inline function rawset(dst: usize, src: usize): void {
  store<i32>(dst, load<i32>(src));
  store<i64>(dst, load<i64>(src, 8), 8);
}
/** Swaps elements i and j (set2 of the two values read). */
function rawswap(i: u32, j: u32): void {
  const a = rawslot(i), b = rawslot(j);
  const ta = load<i32>(a), pa = load<i64>(a, 8);
  rawset(a, b);
  store<i32>(b, ta); store<i64>(b, pa, 8);
}
/** What the array being sorted holds: RAW_INT integers only, RAW_NUM numbers, RAW_STR strings. */
// @ts-ignore: decorator
@inline const RAW_INT: i32 = 0;
// @ts-ignore: decorator
@inline const RAW_NUM: i32 = 1;
// @ts-ignore: decorator
@inline const RAW_STR: i32 = 2;
let rawkind: i32 = RAW_INT;

/** l < r for two numbers or two strings: 1, 0, or ERR when the budget ran out (sort_comp). */
// @ts-ignore: decorator
@inline function rawlt(l: usize, r: usize): i32 {
  if (trapflag && budget_charge(1) != OK) return ERR;
  if (rawkind == RAW_INT) return ivalue(l) < ivalue(r) ? 1 : 0;
  if (rawkind == RAW_NUM) return LTnum(l, r) ? 1 : 0;
  return l_strcmp(tsvalue(l), tsvalue(r)) < 0 ? 1 : 0;
}

/** Whether t's elements 1..n are all numbers or all strings in its array part (reading them as lua_geti would). */
function rawsortable(t: usize, n: u32): bool {
  if (getmetatable(t) != 0 || n > asize(t)) return false;
  const strs = ttisstring(luaH_getint(t, 1));
  let ints = true;
  for (let i: u32 = 1; i <= n; i++) {
    const v = luaH_getint(t, <i64>i);                // also moves the size hint as the general path's reads do
    if (strs ? !ttisstring(v) : !ttisnumber(v)) return false;
    if (!ttisinteger(v)) ints = false;
  }
  rawkind = strs ? RAW_STR : (ints ? RAW_INT : RAW_NUM);
  return true;
}

/** partition() on the array; the pivot is in RAWPIVOT. Sets partstatus. */
function rawpartition(L: usize, lo: u32, up: u32): u32 {
  let i = lo;
  let j = up - 1;
  partstatus = ERR;
  for (;;) {
    for (;;) {                                         // repeat ++i while a[i] < P
      const c = rawlt(rawslot(++i), RAWPIVOT);
      if (c == ERR) return 0;
      if (c == 0) break;
      if (i == up - 1) { luaL_error(L, "invalid order function for sorting"); return 0; }
    }
    for (;;) {                                         // repeat --j while P < a[j]
      const c = rawlt(RAWPIVOT, rawslot(--j));
      if (c == ERR) return 0;
      if (c == 0) break;
      if (j < i) { luaL_error(L, "invalid order function for sorting"); return 0; }
    }
    if (j < i) {                                       // a[up - 1] = a[i], a[i] = P
      rawset(rawslot(up - 1), rawslot(i));
      rawset(rawslot(i), RAWPIVOT);
      partstatus = OK;
      return i;
    }
    rawswap(i, j);
  }
  return 0;   // unreachable
}

/** auxsort() on the array. */
function rawauxsort(L: usize, lo: u32, up: u32, rnd: u32): i32 {
  while (lo < up) {
    let c = rawlt(rawslot(up), rawslot(lo));           // a[up] < a[lo]?
    if (c == ERR) return ERR;
    if (c != 0) rawswap(lo, up);
    if (up - lo == 1) return OK;
    let p: u32 = (up - lo < RANLIMIT || rnd == 0) ? (lo + up) / 2 : choosepivot(lo, up, rnd);
    c = rawlt(rawslot(p), rawslot(lo));                // order3: a[p] < a[lo]?
    if (c == ERR) return ERR;
    if (c != 0) rawswap(p, lo);
    else {
      c = rawlt(rawslot(up), rawslot(p));              // a[up] < a[p]?
      if (c == ERR) return ERR;
      if (c != 0) rawswap(p, up);
    }
    if (up - lo == 2) return OK;
    rawset(RAWPIVOT, rawslot(p));                      // the pivot, then swap a[p] with a[up - 1]
    rawswap(p, up - 1);
    p = rawpartition(L, lo, up);
    if (partstatus != OK) return ERR;
    let n: u32;
    if (p - lo < up - p) {
      if (rawauxsort(L, lo, p - 1, rnd) != OK) return ERR;
      n = p - lo;
      lo = p + 1;
    } else {
      if (rawauxsort(L, p + 1, up, rnd) != OK) return ERR;
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n) rnd = randomizepivot();   // partition too unbalanced
  }
  return OK;
}

/** table.sort(list [, comp]) */
function sort(L: usize): i32 {
  if (aux_getn(L, 1, TAB_RW) != OK) return ERR;
  const n = lenvalue;
  if (n > 1) {
    if (n >= <i64>i32.MAX_VALUE) return luaL_argerror(L, 1, "array too big");
    if (!lua_isnoneornil(L, 2)) { luaL_checktype(L, 2, LUA_TFUNCTION); if (argfail) return ERR; }
    lua_settop(L, 2);
    const t = index2value(L, 1);
    if (lua_isnoneornil(L, 2) && ttistable(t) && rawsortable(hvalue(t), <u32>n)) {
      const h = hvalue(t);
      rawbase = arrayptr(h) - 16;
      const st = rawauxsort(L, 1, <u32>n, 0);         // no allocation, no Lua code: the array stays put
      luaC_barrierback(L, h);                          // values moved within a table that may be black
      return st != OK ? ERR : 0;
    }
    if (auxsort(L, 1, <u32>n, 0) != OK) return ERR;
  }
  return 0;
}

// ==== Registration ====

export function luaopen_table(L: usize): i32 {
  const names: string[] = ["concat", "insert", "pack", "unpack", "remove", "move", "sort"];
  const fns: lua_CFunction[] = [tconcat, tinsert, tpack, tunpack, tremove, tmove, sort];
  luaL_newlib(L, names, fns);
  return 1;
}
