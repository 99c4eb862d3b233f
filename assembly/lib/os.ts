// os.ts - the sandboxed os library: clock, date, difftime, getenv, setlocale, time (loslib.c subset).
// getenv asks the host (lua_getenv): the CLI passes the process environment, the library none
// unless given an `env` option.
// remove, rename and tmpname go through the host file system; exit and execute through host imports
// that only the CLI grants (the library answers with an error). Local time is UTC (the host
// has no timezone import) so "%Z" prints "UTC" and "!%Z" "GMT"; the calendar is the proleptic
// Gregorian one over 64-bit seconds, and strftime is the C locale's (glibc's output, byte for byte).
// Invariant: a broken-down time always has year-1900 within i32, as struct tm requires.

import {
  luaL_newlib, luaL_error, luaL_argerrorb, luaL_checkinteger, luaL_checklstring, luaL_optlstring,
  luaL_checktype, luaL_checkoption, argfail,
} from "./aux";
import { lua_getfield, lua_setfield, lib_memerror } from "./libapi";
import { fits } from "../mem/alloc";
import {
  lua_type, lua_settop, lua_pushnil, lua_pushinteger, lua_pushnumber, lua_pushboolean,
  lua_pushliteral, lua_pushlstring, lua_createtable, lua_isnoneornil, lua_toboolean, lua_tointegerx,
  tonum_ok, lua_pop, lua_rawsetfield, lua_CFunction,
} from "../vm/api";
import { LUA_TNIL, LUA_TTABLE } from "../object/value";
import { getstr, tsslen } from "../object/string";
import {
  Buffer, buf_new, buf_free, buf_addbyte, buf_addbytes, buf_addstr, buf_addint, buf_prepare, buf_addsubstr,
} from "../mem/buffer";
import { OK, ERR } from "../vm/state";
import { lua_time, lua_clock, lua_getenv, lua_exit, lua_execute } from "../sys/imports";
import { index2value } from "../vm/api";
import { ttisboolean, l_isfalse } from "../object/value";
import { luaL_optinteger } from "./aux";
import { io_flushall } from "./io";
import { flushoutput } from "../sys/iobuf";
import { lua_close } from "../vm/call";

// ==== Calendar (struct tm over 64-bit time) ====

// ╒════ tm (static scratch, 9 x i32) ════╕
// │ sec min hour mday mon year wday yday isdst │  year = years since 1900, mon 0..11, yday 0..365
// └───────────────────────────────────────────┘
const TM: usize = memory.data(9 * 4);
// @ts-ignore: decorator
@inline function tmget(i: i32): i32 { return load<i32>(TM + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function tmset(i: i32, v: i32): void { store<i32>(TM + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline const T_SEC: i32 = 0;
// @ts-ignore: decorator
@inline const T_MIN: i32 = 1;
// @ts-ignore: decorator
@inline const T_HOUR: i32 = 2;
// @ts-ignore: decorator
@inline const T_MDAY: i32 = 3;
// @ts-ignore: decorator
@inline const T_MON: i32 = 4;
// @ts-ignore: decorator
@inline const T_YEAR: i32 = 5;
// @ts-ignore: decorator
@inline const T_WDAY: i32 = 6;
// @ts-ignore: decorator
@inline const T_YDAY: i32 = 7;
// @ts-ignore: decorator
@inline const T_ISDST: i32 = 8;

function floordiv(a: i64, b: i64): i64 { const q = a / b; return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q; }
function isleap(y: i64): bool { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/** Days from 1970-01-01 to the civil date y-m-d, m in 1..12 (Howard Hinnant's days_from_civil). */
function daysfromcivil(y: i64, m: i64, d: i64): i64 {
  if (m <= 2) y -= 1;
  const era = floordiv(y, 400);
  const yoe = y - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = (153 * mp + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** Fills TM with the UTC broken-down time of t (gmtime); false when the year does not fit. */
function gmtime(t: i64): bool {
  const days = floordiv(t, 86400);
  const secs = t - days * 86400;
  if (days > 800000000000 || days < -800000000000) return false;   // far beyond i32 years
  const z = days + 719468;
  const era = floordiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y - 1900 > <i64>i32.MAX_VALUE || y - 1900 < <i64>i32.MIN_VALUE) return false;
  tmset(T_SEC, <i32>(secs % 60));
  tmset(T_MIN, <i32>((secs / 60) % 60));
  tmset(T_HOUR, <i32>(secs / 3600));
  tmset(T_MDAY, <i32>d);
  tmset(T_MON, <i32>m - 1);
  tmset(T_YEAR, <i32>(y - 1900));
  tmset(T_WDAY, <i32>(floordiv(days + 4, 7) * -7 + days + 4));   // 1970-01-01 was a Thursday
  tmset(T_YDAY, <i32>(days - daysfromcivil(y, 1, 1)));
  tmset(T_ISDST, 0);
  return true;
}

/** Seconds since the epoch for the (possibly denormalised) fields in TM, local = UTC (mktime). */
function mktime(): i64 {
  const mon = <i64>tmget(T_MON);
  const y = <i64>tmget(T_YEAR) + 1900 + floordiv(mon, 12);
  const m = mon - floordiv(mon, 12) * 12 + 1;
  const days = daysfromcivil(y, m, 1) + <i64>tmget(T_MDAY) - 1;
  let t = days * 86400 + <i64>tmget(T_HOUR) * 3600 + <i64>tmget(T_MIN) * 60 + <i64>tmget(T_SEC);
  if (tmget(T_ISDST) > 0) t -= 3600;             // glibc's mktime in UTC: daylight time is +1h
  return t;
}

/** Current time in whole seconds from the host clock. */
function now(): i64 { return <i64>Math.floor(lua_time() / 1000); }

// ==== os.time, os.date fields ====

/** Stores TM into the table on top, as os.date("*t") and os.time(t) do (setallfields). */
function setallfields(L: usize): i32 {
  // read TM first: a __newindex run by a store below may call os.date/os.time, which reuse TM
  const year = <i64>tmget(T_YEAR) + 1900, month = <i64>tmget(T_MON) + 1, day = tmget(T_MDAY);
  const hour = tmget(T_HOUR), min = tmget(T_MIN), sec = tmget(T_SEC);
  const yday = <i64>tmget(T_YDAY) + 1, wday = <i64>tmget(T_WDAY) + 1, isdst = tmget(T_ISDST);
  if (!setfield(L, "year", year) || !setfield(L, "month", month) || !setfield(L, "day", day) ||
      !setfield(L, "hour", hour) || !setfield(L, "min", min) || !setfield(L, "sec", sec) ||
      !setfield(L, "yday", yday) || !setfield(L, "wday", wday)) return ERR;
  if (isdst >= 0) {
    lua_pushboolean(L, isdst != 0);
    if (lua_setfield(L, -2, "isdst") != OK) return ERR;
  }
  return OK;
}

/** t.key = v for the table on top (no literal arrays here: each would be a managed object per call). */
function setfield(L: usize, key: string, v: i64): bool {
  lua_pushinteger(L, v);
  return lua_setfield(L, -2, key) == OK;
}

/** Raises "field '<key>' <what>". */
function fielderror(L: usize, key: string, what: string): i32 {
  const b = buf_new();
  buf_addstr(b, "field '"); buf_addstr(b, key); buf_addstr(b, "' "); buf_addstr(b, what);
  const r = luaL_errorbuf(L, b);
  buf_free(b);
  return r;
}
import { luaL_errorb as luaL_errorbuf } from "./aux";

/** Reads integer field `key` of the table on top minus delta into TM[slot]; d < 0: required. */
function getfield(L: usize, key: string, d: i32, delta: i32, slot: i32): i32 {
  if (lua_getfield(L, -1, key) != OK) return ERR;
  const t = lua_type(L, -1);
  let res = lua_tointegerx(L, -1);
  if (!tonum_ok) {
    if (t != LUA_TNIL) return fielderror(L, key, "is not an integer");
    if (d < 0) return fielderror(L, key, "missing in date table");
    res = d;
  } else {
    if (!(res >= 0 ? <u64>res <= <u64>i32.MAX_VALUE + <u64>delta : <i64>i32.MIN_VALUE + delta <= res))
      return fielderror(L, key, "is out-of-bound");
    res -= delta;
  }
  lua_pop(L, 1);
  tmset(slot, <i32>res);
  return OK;
}

/** os.time([t]) */
function os_time(L: usize): i32 {
  let t: i64;
  if (lua_isnoneornil(L, 1)) t = now();
  else {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (argfail) return ERR;
    lua_settop(L, 1);
    if (getfield(L, "year", -1, 1900, T_YEAR) != OK || getfield(L, "month", -1, 1, T_MON) != OK ||
        getfield(L, "day", -1, 0, T_MDAY) != OK || getfield(L, "hour", 12, 0, T_HOUR) != OK ||
        getfield(L, "min", 0, 0, T_MIN) != OK || getfield(L, "sec", 0, 0, T_SEC) != OK) return ERR;
    if (lua_getfield(L, -1, "isdst") != OK) return ERR;
    tmset(T_ISDST, lua_type(L, -1) == LUA_TNIL ? -1 : (lua_toboolean(L, -1) ? 1 : 0));
    lua_pop(L, 1);
    t = mktime();
    if (t == -1 || !gmtime(t))
      return luaL_error(L, "time result cannot be represented in this installation");
    if (setallfields(L) != OK) return ERR;     // the normalised fields
  }
  lua_pushinteger(L, t);
  return 1;
}

/** os.difftime(t2, t1) */
function os_difftime(L: usize): i32 {
  const t1 = luaL_checkinteger(L, 1);
  const t2 = luaL_checkinteger(L, 2);
  if (argfail) return ERR;
  lua_pushnumber(L, <f64>t1 - <f64>t2);
  return 1;
}

function os_clock(L: usize): i32 { lua_pushnumber(L, lua_clock()); return 1; }

// ==== strftime in the C locale ====

const DAYS: string[] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: string[] = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

/** Appends v in decimal, zero-padded (pad '0') or space-padded (pad ' ') to `width` digits. */
function addnum(b: Buffer, v: i64, width: i32, pad: i32): void {
  let digits = 1;
  for (let x = v < 0 ? -v : v; x >= 10; x /= 10) digits++;
  if (v < 0) buf_addbyte(b, 45);
  for (let i = digits; i < width; i++) buf_addbyte(b, pad);
  buf_addint(b, v < 0 ? -v : v);
}

/** Days of the ISO week relative to yday (glibc's iso_week_days). */
function isoweekdays(yday: i32, wday: i32): i32 {
  const big = (366 / 7 + 2) * 7;
  return yday - (yday - wday + 4 + big) % 7 + 4 - 1;
}

/** ISO 8601 week-based year (result) and week number (isoweek) of TM. */
let isoweek: i32 = 0;
function isoyear(): i64 {
  let year = <i64>tmget(T_YEAR) + 1900;
  const yday = tmget(T_YDAY), wday = tmget(T_WDAY);
  let days = isoweekdays(yday, wday);
  if (days < 0) {
    year--;
    days = isoweekdays(yday + (isleap(year) ? 366 : 365), wday);
  } else {
    const d = isoweekdays(yday - (isleap(year) ? 366 : 365), wday);
    if (d >= 0) { year++; days = d; }
  }
  isoweek = days / 7 + 1;
  return year;
}

function addname(b: Buffer, s: string, full: bool): void { buf_addsubstr(b, s, 0, full ? s.length : 3); }

/** Appends the conversion `c` of TM (E and O modifiers print as the plain conversion). */
function strftime1(b: Buffer, c: i32, utc: bool): void {
  const year = <i64>tmget(T_YEAR) + 1900;
  const hour = tmget(T_HOUR);
  switch (c) {
    case 97: addname(b, DAYS[tmget(T_WDAY)], false); break;                  // a
    case 65: addname(b, DAYS[tmget(T_WDAY)], true); break;                   // A
    case 98: case 104: addname(b, MONTHS[tmget(T_MON)], false); break;       // b h
    case 66: addname(b, MONTHS[tmget(T_MON)], true); break;                  // B
    case 99:                                                                 // c
      strftime1(b, 97, utc); buf_addbyte(b, 32); strftime1(b, 98, utc); buf_addbyte(b, 32);
      strftime1(b, 101, utc); buf_addbyte(b, 32); strftime1(b, 84, utc); buf_addbyte(b, 32);
      strftime1(b, 89, utc);
      break;
    case 67: addnum(b, floordiv(year, 100), 1, 48); break;                   // C
    case 100: addnum(b, tmget(T_MDAY), 2, 48); break;                        // d
    case 68: case 120:                                                       // D x
      strftime1(b, 109, utc); buf_addbyte(b, 47); strftime1(b, 100, utc); buf_addbyte(b, 47);
      strftime1(b, 121, utc);
      break;
    case 101: addnum(b, tmget(T_MDAY), 2, 32); break;                        // e
    case 70:                                                                 // F
      strftime1(b, 89, utc); buf_addbyte(b, 45); strftime1(b, 109, utc); buf_addbyte(b, 45);
      strftime1(b, 100, utc);
      break;
    case 103: { const y = isoyear(); addnum(b, y - floordiv(y, 100) * 100, 2, 48); break; }   // g
    case 71: addnum(b, isoyear(), 1, 48); break;                             // G
    case 72: addnum(b, hour, 2, 48); break;                                  // H
    case 73: addnum(b, hour % 12 == 0 ? 12 : hour % 12, 2, 48); break;       // I
    case 106: addnum(b, <i64>tmget(T_YDAY) + 1, 3, 48); break;               // j
    case 109: addnum(b, <i64>tmget(T_MON) + 1, 2, 48); break;                // m
    case 77: addnum(b, tmget(T_MIN), 2, 48); break;                          // M
    case 110: buf_addbyte(b, 10); break;                                     // n
    case 112: buf_addstr(b, hour < 12 ? "AM" : "PM"); break;                 // p
    case 114:                                                                // r
      strftime1(b, 73, utc); buf_addbyte(b, 58); strftime1(b, 77, utc); buf_addbyte(b, 58);
      strftime1(b, 83, utc); buf_addbyte(b, 32); strftime1(b, 112, utc);
      break;
    case 82: strftime1(b, 72, utc); buf_addbyte(b, 58); strftime1(b, 77, utc); break;   // R
    case 83: addnum(b, tmget(T_SEC), 2, 48); break;                          // S
    case 116: buf_addbyte(b, 9); break;                                      // t
    case 84: case 88:                                                        // T X
      strftime1(b, 72, utc); buf_addbyte(b, 58); strftime1(b, 77, utc); buf_addbyte(b, 58);
      strftime1(b, 83, utc);
      break;
    case 117: addnum(b, tmget(T_WDAY) == 0 ? 7 : tmget(T_WDAY), 1, 48); break;   // u
    case 85: addnum(b, (tmget(T_YDAY) + 7 - tmget(T_WDAY)) / 7, 2, 48); break;  // U
    case 86: isoyear(); addnum(b, isoweek, 2, 48); break;                    // V
    case 119: addnum(b, tmget(T_WDAY), 1, 48); break;                        // w
    case 87: addnum(b, (tmget(T_YDAY) + 7 - (tmget(T_WDAY) + 6) % 7) / 7, 2, 48); break;  // W
    case 121: addnum(b, year - floordiv(year, 100) * 100, 2, 48); break;     // y
    case 89: addnum(b, year, 1, 48); break;                                  // Y
    case 122: buf_addstr(b, "+0000"); break;                                 // z
    case 90: buf_addstr(b, utc ? "GMT" : "UTC"); break;                      // Z
    default: buf_addbyte(b, 37); break;                                      // %
  }
}

/** Conversions lua5.4 accepts (C99): one-letter ones, then two-letter E and O forms. */
const OPTS1 = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
const OPTS2 = "EcECExEXEyEYOdOeOHOIOmOMOSOuOUOVOwOWOy";

/**
 * Length of the valid conversion at p (after '%') with `left` bytes left: 1 or 2, or 0 if invalid
 * (checkoption).
 */
function checkoption(p: usize, left: i32): i32 {
  if (left >= 1) {
    const c = <i32>load<u8>(p);
    for (let i = 0; i < OPTS1.length; i++) if (OPTS1.charCodeAt(i) == c) return 1;
  }
  if (left >= 2) {
    const c0 = <i32>load<u8>(p), c1 = <i32>load<u8>(p, 1);
    for (let i = 0; i < OPTS2.length; i += 2)
      if (OPTS2.charCodeAt(i) == c0 && OPTS2.charCodeAt(i + 1) == c1) return 2;
  }
  return 0;
}

/** os.date([format [, time]]) */
function os_date(L: usize): i32 {
  const fmt = luaL_optlstring(L, 1, 0);
  let t: i64 = 0;
  if (lua_isnoneornil(L, 2)) t = now();
  else t = luaL_checkinteger(L, 2);
  if (argfail) return ERR;
  const dflt = fmt == 0;                          // the default format "%c"
  let s: usize = dflt ? 0 : getstr(fmt);
  const se: usize = dflt ? 0 : s + <usize>tsslen(fmt);
  let utc = false;
  if (!dflt && s < se && load<u8>(s) == 33) { utc = true; s++; }   // '!'
  if (!gmtime(t)) return luaL_error(L, "date result cannot be represented in this installation");
  if (!dflt && se - s == 2 && load<u8>(s) == 42 && load<u8>(s, 1) == 116) {   // "*t"
    lua_createtable(L, 0, 9);
    setallfields(L);                              // a fresh table: cannot fail
    return 1;
  }
  const b = buf_new();
  if (dflt) strftime1(b, 99, false);
  else {
    while (s < se) {
      if (b.len + 64 > b.cap && !fits(<u64>b.cap * 2 + 128)) { buf_free(b); return lib_memerror(L); }
      const c = <i32>load<u8>(s);
      if (c != 37) { buf_addbyte(b, c); s++; continue; }
      s++;
      const n = checkoption(s, <i32>(se - s));
      if (n == 0) {
        const m = buf_new();
        buf_addstr(m, "invalid conversion specifier '%");
        let e = s;                                // the rest of the format, up to a zero byte
        while (e < se && load<u8>(e) != 0) e++;
        buf_addbytes(m, s, <i32>(e - s));
        buf_addstr(m, "'");
        buf_free(b);
        const r = luaL_argerrorb(L, 1, m);
        buf_free(m);
        return r;
      }
      strftime1(b, <i32>load<u8>(s + <usize>(n - 1)), utc);
      s += <usize>n;
    }
  }
  lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  return 1;
}

// ==== getenv, setlocale ====

/** os.getenv(name): the host's environment (lua_getenv; the library host has none by default). */
function os_getenv(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  const b = buf_new();
  let cap = 256;
  let n = lua_getenv(getstr(name), tsslen(name), buf_prepare(b, cap), cap);
  if (n > cap) {                                    // too long for the first try: ask again with room
    if (!fits(<u64>n)) { buf_free(b); return lib_memerror(L); }
    cap = n;
    n = lua_getenv(getstr(name), tsslen(name), buf_prepare(b, cap), cap);
  }
  if (n < 0 || n > cap) lua_pushnil(L);             // unset (or changed under us)
  else lua_pushlstring(L, b.ptr, n);
  buf_free(b);
  return 1;
}

// ==== Process (only where the host allows it: the CLI; the library refuses) ====

/** os.exit([code [, close]]): true → 0, false → 1, a number → itself; close runs finalizers first. */
function os_exit(L: usize): i32 {
  let code: i64 = 0;
  const a = index2value(L, 1);
  if (ttisboolean(a)) code = l_isfalse(a) ? 1 : 0;
  else code = luaL_optinteger(L, 1, 0);
  if (argfail) return ERR;
  if (lua_toboolean(L, 2)) lua_close(L);        // os.exit(code, true): close the state first
  io_flushall(); flushoutput();                  // as C's exit() flushes stdio
  if (lua_exit(<i32>code) == 0) return luaL_error(L, "os.exit is not available in this host");
  return 0;
}

/** os.execute([command]): as lua5.4 (true/fail, "exit"/"signal", code), through the host's shell. */
function os_execute(L: usize): i32 {
  const cmd = luaL_optlstring(L, 1, 0);
  if (argfail) return ERR;
  io_flushall(); flushoutput();
  if (cmd == 0) {                                   // is a shell available?
    lua_pushboolean(L, lua_execute(0, 0) > 0);
    return 1;
  }
  const st = lua_execute(getstr(cmd), tsslen(cmd));
  if (st < 0) return luaL_error(L, "os.execute is not available in this host");
  return luaL_execresult(L, st);
}

/** Categories of setlocale, made once (a literal array is a new managed object per call). */
const LOCALECATS: string[] = ["all", "collate", "ctype", "monetary", "numeric", "time"];

/** os.setlocale([locale [, category]]): only the C locale exists. */
function os_setlocale(L: usize): i32 {
  const l = luaL_optlstring(L, 1, 0);
  const op = luaL_checkoption(L, 2, "all", LOCALECATS);
  if (argfail || op < 0) return ERR;
  let ok = l == 0;
  if (!ok) {
    const p = getstr(l), n = tsslen(l);
    ok = n == 0 || (n == 1 && load<u8>(p) == 67) ||
      (n == 5 && load<u8>(p) == 80 && load<u8>(p, 1) == 79 && load<u8>(p, 2) == 83 &&
       load<u8>(p, 3) == 73 && load<u8>(p, 4) == 88);      // "", "C", "POSIX"
  }
  if (ok) lua_pushliteral(L, "C"); else lua_pushnil(L);
  return 1;
}

// ==== Files (through the host file system, lib/fileio.ts) ====

/** os.remove(filename): true, or fail, "<filename>: <reason>", errno. */
function os_remove(L: usize): i32 {
  const name = luaL_checklstring(L, 1);
  if (argfail) return ERR;
  return luaL_fileresult(L, fs_remove(name), name);
}

/** os.rename(from, to): true, or fail, "<reason>", errno (5.4.4 gives no file name here). */
function os_rename(L: usize): i32 {
  const from = luaL_checklstring(L, 1);
  const to = luaL_checklstring(L, 2);
  if (argfail) return ERR;
  return luaL_fileresult(L, fs_rename(from, to), 0);
}

/** os.tmpname(): the name of a new empty file (mkstemp). */
function os_tmpname(L: usize): i32 {
  const b = buf_new();
  const ok = fs_tmpname(b);
  if (ok) lua_pushlstring(L, b.ptr, b.len);
  buf_free(b);
  if (!ok) return luaL_error(L, "unable to generate a unique filename");
  return 1;
}

export function luaopen_os(L: usize): i32 {
  const names: string[] = ["clock", "date", "difftime", "execute", "exit", "getenv", "remove", "rename",
    "setlocale", "time", "tmpname"];
  const fns: lua_CFunction[] = [os_clock, os_date, os_difftime, os_execute, os_exit, os_getenv, os_remove,
    os_rename, os_setlocale, os_time, os_tmpname];
  luaL_newlib(L, names, fns);
  return 1;
}
import { luaL_fileresult, luaL_execresult, fs_remove, fs_rename, fs_tmpname } from "./fileio";
