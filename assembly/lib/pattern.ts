// pattern.ts - Lua pattern matching: string.find, match, gmatch and gsub (lstrlib.c PATTERN MATCHING).
// The matcher is PUC's backtracking design: `do_match` walks the pattern, recursing only for
// captures, quantifiers and '?', with a depth budget (MAXCCALLS) that turns runaway recursion into
// "pattern too complex" instead of exhausting the wasm stack.
//
// State lives in module globals and one static capture array (no allocation, no managed objects):
// the matcher never calls Lua, so only gsub (function/table replacement) can re-enter it, and gsub
// saves and restores the globals around those calls. gmatch keeps its position in upvalues and
// rebuilds the state on every step.
// Errors: a failing check raises the Lua error (luaL_error), then sets `merr`; every loop that would
// otherwise keep backtracking tests `merr`, and the entry points return ERR when it is set. `merr` is
// set after raising so that a message handler running nested matches cannot clear it.
// Invariant: subject and pattern are TString bytes, which are followed by a 0 byte; reading one byte
// past the end (as the C code reads the terminating '\0') is therefore safe and gives 0.

import { trapflag, budget_charge } from "../vm/budget";
import { LUA_TNUMBER, LUA_TSTRING, LUA_TFUNCTION, LUA_TTABLE, ttisstring, ttisnumber, ttisinteger, tsvalue, ivalue,
  setivalue, l_isfalse } from "../object/value";
import { getstr, tsslen, isshrstr, strkeyedentry, strkeyedclaim, STRKEYED_SIZE } from "../object/string";
import { cl_nupvalues, ccl_upvalue } from "../object/func";
import { luaO_tostringbuff } from "../object/number";
import { Buffer, buf_addbyte, buf_addbytes, buf_addint, buf_addstr } from "../mem/buffer";
import { fits } from "../mem/alloc";
import { ERR, OK, L_top, L_stack } from "../vm/state";
import { luaD_callnoyield } from "../vm/call";
import { luaV_gettable } from "../vm/ops";
import {
  index2value, lua_upvalueindex, lua_settop, lua_type, lua_typename, lua_toboolean, lua_pushinteger,
  lua_pushnil, lua_pushlstring, lua_pushvalue, lua_pushcclosure, lua_pop, lua_tolstring,
} from "../vm/api";
import {
  argfail, luaL_checklstring, luaL_optinteger, luaL_error, luaL_errorb, luaL_typeerror, msgbuf,
} from "./aux";
import { argstring, argoptint } from "./aux";
import { posrelatI, ctype, isdigit, checkstackmsg, CT_ALPHA, CT_DIGIT, CT_SPACE, CT_LOWER,
  CT_UPPER, CT_PUNCT, CT_CNTRL, CT_XDIGIT, acquirebuf, releasebuf } from "./strutil";
import { luaG_memerror } from "../vm/debug";

// @ts-ignore: decorator
@inline const LUA_MAXCAPTURES: i32 = 32;
// @ts-ignore: decorator
@inline const MAXCCALLS: i32 = 200;          // recursion budget of do_match
// @ts-ignore: decorator
@inline const CAP_UNFINISHED: i32 = -1;
// @ts-ignore: decorator
@inline const CAP_POSITION: i32 = -2;
// @ts-ignore: decorator
@inline const CAP_ERR: i32 = -3;             // get_onecapture raised an error
// @ts-ignore: decorator
@inline const L_ESC: u8 = 37;                // '%'

// ==== Match state (MatchState) ====

let ms_L: usize = 0;
let src_init: usize = 0;       // start of the subject
let src_end: usize = 0;        // end of the subject (its terminating 0)
let p_end: usize = 0;          // end of the pattern
let matchdepth: i32 = 0;       // remaining recursion budget
let level: i32 = 0;            // number of captures (finished or not)
let merr: bool = false;        // an error was raised: unwind
/** Captures: { init: usize, len: i32 } x LUA_MAXCAPTURES. */
const CAPS: usize = memory.data(LUA_MAXCAPTURES * 8, 8);

// @ts-ignore: decorator
@inline function cap_init(i: i32): usize { return load<usize>(CAPS + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function cap_len(i: i32): i32 { return load<i32>(CAPS + (<usize>i << 3), 4); }
// @ts-ignore: decorator
@inline function set_cap(i: i32, init: usize, len: i32): void {
  store<usize>(CAPS + (<usize>i << 3), init); store<i32>(CAPS + (<usize>i << 3), len, 4);
}
// @ts-ignore: decorator
@inline function set_caplen(i: i32, len: i32): void { store<i32>(CAPS + (<usize>i << 3), len, 4); }

function prepstate(L: usize, s: usize, ls: i32, p: usize, lp: i32): void {
  if (!classesready) initclasses();
  runset_p = 0;
  ms_L = L;
  matchdepth = MAXCCALLS;
  src_init = s;
  src_end = s + <usize>ls;
  p_end = p + <usize>lp;
  merr = false;
}
// @ts-ignore: decorator
@inline function reprepstate(): void { level = 0; matchdepth = MAXCCALLS; }

// ==== Errors ====

/** Raises msg, marks the state as failed, returns NULL for the caller to propagate. */
function materror(msg: string): usize {
  luaL_error(ms_L, msg);
  merr = true;
  return 0;
}
function errcapindex(n: i32): void {
  const b = msgbuf();
  buf_addstr(b, "invalid capture index %"); buf_addint(b, n);
  luaL_errorb(ms_L, b);
  merr = true;
}

// ==== The matcher ====

/** Index of back-reference '%l' (l a digit char), or -1 after raising (check_capture). */
function check_capture(l: i32): i32 {
  l -= 49;                                             // '1'
  if (l < 0 || l >= level || cap_len(l) == CAP_UNFINISHED) { errcapindex(l + 1); return -1; }
  return l;
}

/** Innermost unfinished capture, or -1 after raising (capture_to_close). */
function capture_to_close(): i32 {
  for (let l = level - 1; l >= 0; l--) if (cap_len(l) == CAP_UNFINISHED) return l;
  materror("invalid pattern capture");
  return -1;
}

/** End of the single-character class starting at p, or 0 after raising (classend). */
function classend(p: usize): usize {
  const c = load<u8>(p);
  p++;
  if (c == L_ESC) {
    if (p == p_end) return materror("malformed pattern (ends with '%')");
    return p + 1;
  }
  if (c == 91) {                                       // '['
    if (load<u8>(p) == 94) p++;                        // '^'
    do {                                               // look for a ']'
      if (p == p_end) return materror("malformed pattern (missing ']')");
      const cc = load<u8>(p);
      p++;
      if (cc == L_ESC && p < p_end) p++;               // skip escapes (e.g. '%]')
    } while (load<u8>(p) != 93);
    return p + 1;
  }
  return p;
}

/**
 * Class letters (match_class): for each pattern byte, the ctype bits its class tests, with
 * CL_NEG for an upper-case (complemented) letter; 0 for a byte that is no class (it matches itself).
 * 'z'/'Z' (deprecated: the zero byte) use CL_ZERO.
 */
// @ts-ignore: decorator
@inline const CL_NEG: u16 = 0x100;
// @ts-ignore: decorator
@inline const CL_ZERO: u16 = 0x200;
const CLASSES: usize = memory.data(256 * 2, 2);
let classesready = false;
function initclasses(): void {
  const letters = "acdglpsuwxz";
  const bits: u16[] = [CT_ALPHA, CT_CNTRL, CT_DIGIT, CT_ALPHA | CT_DIGIT | CT_PUNCT, CT_LOWER, CT_PUNCT,
    CT_SPACE, CT_UPPER, CT_ALPHA | CT_DIGIT, CT_XDIGIT, CL_ZERO];
  for (let i = 0; i < letters.length; i++) {
    const lc = letters.charCodeAt(i);
    store<u16>(CLASSES + (<usize>lc << 1), bits[i]);
    store<u16>(CLASSES + (<usize>(lc - 32) << 1), bits[i] | CL_NEG);
  }
  classesready = true;
}

/** Whether byte c belongs to class %cl (upper-case class letters complement). CLASSES must be ready. */
// @ts-ignore: decorator
@inline function match_class(c: i32, cl: i32): bool {
  const e = <u32>load<u16>(CLASSES + (<usize>cl << 1));
  if (e == 0) return cl == c;
  const res = (e & CL_ZERO) != 0 ? c == 0 : (<u32>ctype(c) & e & 0xFF) != 0;
  return (e & CL_NEG) != 0 ? !res : res;
}

/** Whether c is in the set [p .. ec] (p at '[', ec at the closing ']'). */
function matchbracketclass(c: i32, p: usize, ec: usize): bool {
  let sig = true;
  if (load<u8>(p + 1) == 94) { sig = false; p++; }     // '^'
  while (++p < ec) {
    const pc = <i32>load<u8>(p);
    if (pc == L_ESC) {
      p++;
      if (match_class(c, <i32>load<u8>(p))) return sig;
    } else if (load<u8>(p + 1) == 45 && p + 2 < ec) {  // range a-z
      p += 2;
      if (pc <= c && c <= <i32>load<u8>(p)) return sig;
    } else if (pc == c) return sig;
  }
  return !sig;
}

/** Whether the subject byte at s matches the single-char class p..ep. */
// @ts-ignore: decorator
@inline function singlematch(s: usize, p: usize, ep: usize): bool {
  if (s >= src_end) return false;
  const c = <i32>load<u8>(s);
  const pc = <i32>load<u8>(p);
  if (pc == 46) return true;                           // '.'
  if (pc == L_ESC) return match_class(c, <i32>load<u8>(p + 1));
  if (pc == 91) return matchbracketclass(c, p, ep - 1);
  return pc == c;
}

/** %bxy: end of the balanced run starting at s, or 0. */
function matchbalance(s: usize, p: usize): usize {
  if (p >= p_end - 1) return materror("malformed pattern (missing arguments to '%b')");
  const b = load<u8>(p);
  if (load<u8>(s) != b) return 0;
  const e = load<u8>(p + 1);
  let cont = 1;
  while (++s < src_end) {
    const c = load<u8>(s);
    if (c == e) { if (--cont == 0) return s + 1; }
    else if (c == b) cont++;
  }
  return 0;                                            // string ends out of balance
}

/** The bracket class whose set RUNSET holds (its '['), 0 for none; reset by prepstate and after callbacks. */
let runset_p: usize = 0;
const RUNSET: usize = memory.data(32, 8);

/**
 * How many bytes from s match the single-char class p..ep in a row (max_expand's first loop), with
 * the item decoded once: a class letter tests its ctype bits, a bracket class its set (built once
 * per pattern item and entry point, in RUNSET), a plain byte compares.
 */
function maxrun(s: usize, p: usize, ep: usize): usize {
  const end = src_end;
  let q = s;
  const pc = <i32>load<u8>(p);
  if (pc == 46) return s < end ? end - s : 0;         // '.'
  if (pc == L_ESC) {
    const cl = <i32>load<u8>(p + 1);
    const e = <u32>load<u16>(CLASSES + (<usize>cl << 1));
    if (e == 0) {
      while (q < end && <i32>load<u8>(q) == cl) q++;
    } else if ((e & CL_ZERO) != 0) {
      while (q < end && match_class(<i32>load<u8>(q), cl)) q++;
    } else {
      const mask = e & 0xFF;
      const want: u32 = (e & CL_NEG) != 0 ? 0 : 1;
      while (q < end && (<u32>((<u32>ctype(<i32>load<u8>(q)) & mask) != 0) == want)) q++;
    }
    return q - s;
  }
  if (pc == 91) {                                      // '['
    if (runset_p != p) { cachedbracketset(RUNSET, p, ep - 1); runset_p = p; }
    while (q < end && inset(RUNSET, <i32>load<u8>(q))) q++;
    return q - s;
  }
  while (q < end && <i32>load<u8>(q) == pc) q++;
  return q - s;
}

/** Greedy repetition: longest run first, then backs off one at a time. */
function max_expand(s: usize, p: usize, ep: usize): usize {
  let i: usize = maxrun(s, p, ep);
  const next = ep + 1;
  if (next == p_end && matchdepth > 0) return s + i;  // nothing follows: the longest run wins
  while (true) {
    const res = do_match(s + i, next);
    if (res != 0) return res;
    if (merr || i == 0) return 0;
    i--;
  }
  return 0;
}

/** Lazy repetition: shortest run first. */
function min_expand(s: usize, p: usize, ep: usize): usize {
  while (true) {
    const res = do_match(s, ep + 1);
    if (res != 0) return res;
    if (merr) return 0;
    if (singlematch(s, p, ep)) s++;
    else return 0;
  }
  return 0;
}

function start_capture(s: usize, p: usize, what: i32): usize {
  if (level >= LUA_MAXCAPTURES) return materror("too many captures");
  set_cap(level, s, what);
  level++;
  const res = do_match(s, p);
  if (res == 0) level--;                               // undo capture
  return res;
}

function end_capture(s: usize, p: usize): usize {
  const l = capture_to_close();
  if (l < 0) return 0;
  set_caplen(l, <i32>(s - cap_init(l)));
  const res = do_match(s, p);
  if (res == 0) set_caplen(l, CAP_UNFINISHED);         // undo capture
  return res;
}

/** Back-reference %1-%9: the captured text again at s. */
function match_capture(s: usize, l: i32): usize {
  const i = check_capture(l);
  if (i < 0) return 0;
  const len = cap_len(i);
  if (len < 0) return 0;                               // a position capture never matches (size_t cast in C)
  if (<usize>(src_end - s) >= <usize>len && memory.compare(cap_init(i), s, <usize>len) == 0) return s + <usize>len;
  return 0;
}

/** Matches pattern p against the subject at s; returns the end of the match or 0 (match). */
function do_match(s: usize, p: usize): usize {
  if (matchdepth-- == 0) return materror("pattern too complex");
  if (trapflag && budget_charge(1) != OK) { merr = true; return 0; }   // budgets count matcher steps
  while (p != p_end) {
    const pc = load<u8>(p);
    if (pc == 40) {                                    // '(' start capture
      if (load<u8>(p + 1) == 41) s = start_capture(s, p + 2, CAP_POSITION);
      else s = start_capture(s, p + 1, CAP_UNFINISHED);
      break;
    }
    if (pc == 41) { s = end_capture(s, p + 1); break; }        // ')'
    if (pc == 36 && p + 1 == p_end) {                  // final '$': end of subject
      if (s != src_end) s = 0;
      break;
    }
    if (pc == L_ESC) {
      const nc = load<u8>(p + 1);
      if (nc == 98) {                                  // %b balanced
        s = matchbalance(s, p + 2);
        if (s != 0) { p += 4; continue; }
        break;
      }
      if (nc == 102) {                                 // %f frontier
        p += 2;
        if (load<u8>(p) != 91) { s = materror("missing '[' after '%f' in pattern"); break; }
        const ep = classend(p);
        if (ep == 0) { s = 0; break; }
        const prev = s == src_init ? 0 : <i32>load<u8>(s - 1);
        if (!matchbracketclass(prev, p, ep - 1) && matchbracketclass(<i32>load<u8>(s), p, ep - 1)) {
          p = ep; continue;
        }
        s = 0; break;
      }
      if (isdigit(nc)) {                               // %0-%9 back-reference
        s = match_capture(s, nc);
        if (s != 0) { p += 2; continue; }
        break;
      }
    }
    // default: a single-char class with an optional suffix (classend inline for %x and plain bytes)
    let ep: usize;
    if (pc == L_ESC) ep = p + 1 < p_end ? p + 2 : classend(p);
    else if (pc != 91) ep = p + 1;
    else ep = classend(p);
    if (ep == 0) { s = 0; break; }
    const epc = load<u8>(ep);
    if (!singlematch(s, p, ep)) {
      if (epc == 42 || epc == 63 || epc == 45) { p = ep + 1; continue; }   // '*' '?' '-' accept empty
      s = 0; break;
    }
    if (epc == 63) {                                   // '?'
      const res = do_match(s + 1, ep + 1);
      if (res != 0) { s = res; break; }
      if (merr) { s = 0; break; }
      p = ep + 1; continue;
    }
    if (epc == 43) { s = max_expand(s + 1, p, ep); break; }    // '+'
    if (epc == 42) { s = max_expand(s, p, ep); break; }        // '*'
    if (epc == 45) { s = min_expand(s, p, ep); break; }        // '-'
    s++; p = ep;                                       // no suffix: next item
  }
  matchdepth++;
  return s;
}

// ==== Captures ====

let gcap: usize = 0;    // address of the capture found by get_onecapture

/**
 * Capture i (or the whole match s..e when there are none and i == 0): sets gcap and returns its
 * length, CAP_POSITION for a position capture, or CAP_ERR after raising.
 */
function get_onecapture(i: i32, s: usize, e: usize): i32 {
  if (i >= level) {
    if (i != 0) { errcapindex(i + 1); return CAP_ERR; }
    gcap = s;
    return <i32>(e - s);
  }
  const capl = cap_len(i);
  gcap = cap_init(i);
  if (capl == CAP_UNFINISHED) { materror("unfinished capture"); return CAP_ERR; }
  return capl;
}

function push_onecapture(L: usize, i: i32, s: usize, e: usize): bool {
  const l = get_onecapture(i, s, e);
  if (l == CAP_ERR) return false;
  if (l == CAP_POSITION) lua_pushinteger(L, <i64>(gcap - src_init) + 1);
  else lua_pushlstring(L, gcap, l);
  return true;
}

/** Pushes all captures (or the whole match when s != 0 and there are none); -1 after an error. */
function push_captures(L: usize, s: usize, e: usize): i32 {
  const n = (level == 0 && s != 0) ? 1 : level;
  // a native starts with LUA_MINSTACK (20) free slots and the callers push at most 2 before these
  if (n > 2 && !checkstackmsg(L, n, "too many captures")) return -1;
  for (let i = 0; i < n; i++) if (!push_onecapture(L, i, s, e)) return -1;
  return n;
}

// ==== Helpers for the entry points ====

/** Whether the pattern has no special characters "^$*+?.([%-" (nospecials). */
function nospecials(p: usize, lp: i32): bool {
  for (let i = 0; i < lp; i++) {
    switch (load<u8>(p + <usize>i)) {
      case 94: case 36: case 42: case 43: case 63: case 46: case 40: case 91: case 37: case 45: return false;
    }
  }
  return true;
}

/**
 * The literal byte the pattern must start with (a plain char not followed by '*', '?' or '-'),
 * or -1. Positions holding another byte cannot start a match, so the scanners skip them.
 */
function firstlit(p: usize, lp: i32): i32 {
  if (lp == 0) return -1;
  const c = <i32>load<u8>(p);
  switch (c) {
    case 94: case 36: case 42: case 43: case 63: case 46: case 40: case 41: case 91: case 37: case 45: return -1;
  }
  const n = load<u8>(p + 1);
  if (n == 42 || n == 63 || n == 45) return -1;
  return c;
}

/**
 * First byte c in [p, end), or end (memchr). Scans 8 bytes at a time: (x - 0x01..) & ~x & 0x80..
 * is nonzero iff x has a zero byte, and its lowest set bit marks the first one (little endian).
 */
function findbyte(p: usize, end: usize, c: i32): usize {
  const pat: u64 = <u64>(c & 0xFF) * 0x0101010101010101;
  while (p + 8 <= end) {
    const x = load<u64>(p) ^ pat;
    const t = (x - 0x0101010101010101) & ~x & 0x8080808080808080;
    if (t != 0) return p + <usize>(ctz(t) >> 3);
    p += 8;
  }
  while (p < end && <i32>load<u8>(p) != c) p++;
  return p;
}

/** First occurrence of s2[0..l2) in s1[0..l1), or 0 (lmemfind). */
function lmemfind(s1: usize, l1: i32, s2: usize, l2: i32): usize {
  if (l2 == 0) return s1;
  if (l2 > l1) return 0;
  const first = <i32>load<u8>(s2);
  const end = s1 + <usize>(l1 - l2) + 1;               // a match must start before this
  const rest = <usize>(l2 - 1);
  let q = s1;
  while (true) {
    q = findbyte(q, end, first);
    if (q >= end) return 0;
    if (rest == 0 || memory.compare(q + 1, s2 + 1, rest) == 0) return q;
    q++;
  }
  return 0;
}

// ==== First-item sets ====
// Most patterns begin with a single-character class that must match once (`[^ \t\n]`, `%d+`,
// `(%a+)=`): positions whose byte is not in that class cannot start a match, so the scanners skip
// them with a bitmap test instead of running the matcher there. The bitmap is built from the
// pattern text by the same rules as singlematch (match_class, matchbracketclass), and only for
// well-formed items: a malformed pattern goes to the matcher, which raises its error.

/** The first item's set: 256 bits. */
const FSET: usize = memory.data(32, 8);
/** Sets of the class letters (%a, %D, ...) by letter, built at first use. */
const CLSETS: usize = memory.data(256 * 32, 8);
const CLREADY: usize = memory.data(256);

// @ts-ignore: decorator
@inline function inset(set: usize, c: i32): bool {
  return (<i32>load<u8>(set + (<usize>c >> 3)) & (1 << (c & 7))) != 0;
}
// @ts-ignore: decorator
@inline function addbit(set: usize, c: i32): void {
  const a = set + (<usize>c >> 3);
  store<u8>(a, load<u8>(a) | <u8>(1 << <u8>(c & 7)));
}
function clearset(set: usize): void {
  store<u64>(set, 0); store<u64>(set, 0, 8); store<u64>(set, 0, 16); store<u64>(set, 0, 24);
}
/** set |= the bytes %cl matches (match_class). */
function addclass(set: usize, cl: i32): void {
  if (!classesready) initclasses();
  if (load<u16>(CLASSES + (<usize>cl << 1)) == 0) { addbit(set, cl); return; }
  const cs = CLSETS + (<usize>cl << 5);
  if (load<u8>(CLREADY + <usize>cl) == 0) {
    for (let c = 0; c < 256; c++) if (match_class(c, cl)) addbit(cs, c);
    store<u8>(CLREADY + <usize>cl, 1);
  }
  for (let i: usize = 0; i < 32; i += 8) store<u64>(set + i, load<u64>(set + i) | load<u64>(cs + i));
}
/** set = the bytes the bracket class [p .. ec] matches (p at '[', ec at its ']'), as matchbracketclass. */
function bracketset(set: usize, p: usize, ec: usize): void {
  clearset(set);
  let sig = true;
  if (load<u8>(p + 1) == 94) { sig = false; p++; }     // '^'
  while (++p < ec) {
    const pc = <i32>load<u8>(p);
    if (pc == L_ESC) {
      p++;
      addclass(set, <i32>load<u8>(p));
    } else if (load<u8>(p + 1) == 45 && p + 2 < ec) {  // range a-z
      p += 2;
      const hi = <i32>load<u8>(p);
      for (let c = pc; c <= hi; c++) addbit(set, c);
    } else addbit(set, pc);
  }
  if (!sig) for (let i: usize = 0; i < 32; i += 8) store<u64>(set + i, ~load<u64>(set + i));
}

// Building a bracket class's set costs more than one walk of the class, and the same few patterns
// are used over and over (`find(s, "[^ \t\n]", i)` in a loop): sets of bracket classes of up to 16
// bytes are kept in a small direct-mapped cache keyed by the class's bytes (never by address, so a
// freed pattern cannot leave a wrong entry behind).

// @ts-ignore: decorator
@inline const SETCACHE_N: usize = 32;
/** Entries of 64 bytes: key words w0, w1 (the class bytes, zero-padded), key length (0: empty), set. */
const SETCACHE: usize = memory.data(<i32>SETCACHE_N * 64, 8);

/** dst = the set of the bracket class [q .. r] (q at '[', r at its ']'), from the cache when it is there. */
function cachedbracketset(dst: usize, q: usize, r: usize): void {
  const len = <i32>(r + 1 - q);
  if (len > 16) { bracketset(dst, q, r); return; }
  let w0: u64 = 0, w1: u64 = 0;
  if (q + 16 <= (<usize>memory.size() << 16)) {         // two word loads, the bytes past the class masked off
    w0 = load<u64>(q);
    if (len < 8) w0 &= (<u64>1 << (<u64>len << 3)) - 1;
    else if (len > 8) {
      w1 = load<u64>(q, 8);
      if (len < 16) w1 &= (<u64>1 << (<u64>(len - 8) << 3)) - 1;
    }
  } else {
    for (let i = 0; i < len; i++) {
      const b = <u64>load<u8>(q + <usize>i) << (<u64>(i & 7) << 3);
      if (i < 8) w0 |= b; else w1 |= b;
    }
  }
  const h = ((w0 ^ (w1 * 0x9E3779B97F4A7C15) ^ <u64>len) * 0x9E3779B97F4A7C15) >> 59;   // 5 bits
  const e = SETCACHE + (<usize>h << 6);
  if (load<i32>(e, 16) == len && load<u64>(e) == w0 && load<u64>(e, 8) == w1) {
    for (let i: usize = 0; i < 32; i += 8) store<u64>(dst + i, load<u64>(e + 24 + i));
    return;
  }
  bracketset(dst, q, r);
  store<u64>(e, w0); store<u64>(e, w1, 8); store<i32>(e, len, 16);
  for (let i: usize = 0; i < 32; i += 8) store<u64>(e + 24 + i, load<u64>(dst + i));
}

/** Start of the first item after any leading captures '(' / '()' of the pattern p..pe. */
function firstitem(p: usize, pe: usize): usize {
  while (p < pe && load<u8>(p) == 40) {                // '('
    p++;
    if (p < pe && load<u8>(p) == 41) p++;              // '()' position capture
  }
  return p;
}

/**
 * Fills FSET with the first item's set and returns the end of that item (its suffix, if any, is at
 * the returned address), or 0 when the pattern p..pe begins otherwise: with '.', an item that may
 * match nothing ('*', '?', '-'), %b, %f, a back-reference, an anchor or a malformed item.
 */
function firstset(p: usize, pe: usize): usize {
  const q = firstitem(p, pe);
  if (q >= pe) return 0;
  const c = <i32>load<u8>(q);
  let ep: usize;
  clearset(FSET);
  if (c == L_ESC) {
    if (q + 1 >= pe) return 0;
    const n = <i32>load<u8>(q + 1);
    if (n == 98 || n == 102 || isdigit(n)) return 0;   // %b, %f, %0-%9
    addclass(FSET, n);
    ep = q + 2;
  } else if (c == 91) {                                // '[': find its ']' as classend does
    let r = q + 1;
    if (r < pe && load<u8>(r) == 94) r++;
    do {
      if (r >= pe) return 0;                           // missing ']': the matcher raises it
      const cc = load<u8>(r);
      r++;
      if (cc == L_ESC) { if (r >= pe) return 0; r++; }
    } while (r >= pe || load<u8>(r) != 93);
    cachedbracketset(FSET, q, r);
    ep = r + 1;
  } else {
    switch (c) {
      case 94: case 36: case 42: case 43: case 63: case 46: case 41: case 45: return 0;
    }
    addbit(FSET, c);
    ep = q + 1;
  }
  if (ep < pe) {
    const sfx = load<u8>(ep);
    if (sfx == 42 || sfx == 63 || sfx == 45) return 0;  // '*' '?' '-' may match the empty string
  }
  return ep;
}

/** First position in [s, end) whose byte is in FSET, or end. */
function skiptoset(s: usize, end: usize): usize {
  while (s < end && !inset(FSET, <i32>load<u8>(s))) s++;
  return s;
}

// ==== What a pattern's text tells (cached per pattern string) ====
// find(s, "[^ \t\n]", i) in a loop would otherwise scan the pattern for specials, parse its first
// item and look its set up on every call. A short pattern's facts are kept in its STRKEYED entry
// (object/string.ts: freed with the string); a long pattern's are computed into PATSCRATCH.
// Entry: 0 the string, 4 flags, 8 firstlit of the unanchored pattern, 12 end of the first item
// from the pattern's start (after '^'), 16..48 the first item's set.

// @ts-ignore: decorator
@inline const PI_NOSPEC: u8 = 1;      // no special characters: a plain find
// @ts-ignore: decorator
@inline const PI_ANCHOR: u8 = 2;      // begins with '^'
// @ts-ignore: decorator
@inline const PI_SET: u8 = 4;         // the first item (after '^') has a set (firstset)
// @ts-ignore: decorator
@inline const PI_ONE: u8 = 8;         // ... and is the whole pattern (after '^'), maybe with '+'
// @ts-ignore: decorator
@inline const PI_PLUS: u8 = 16;       // ... with '+'
const PATSCRATCH: usize = memory.data(<i32>STRKEYED_SIZE, 8);

/** The facts of pattern pt (a TString), cached when pt is a short string. */
function patinfo(pt: usize): usize {
  let e = strkeyedentry(pt);
  if (load<usize>(e) == pt) return e;
  e = isshrstr(pt) ? strkeyedclaim(pt) : PATSCRATCH;
  let p = getstr(pt), lp = tsslen(pt);
  let fl: u8 = nospecials(p, lp) ? PI_NOSPEC : 0;
  const anchor = lp > 0 && load<u8>(p) == 94;
  if (anchor) { fl |= PI_ANCHOR; p++; lp--; }
  const pe = p + <usize>lp;
  store<i32>(e, firstlit(p, lp), 8);
  const fe = firstset(p, pe);
  if (fe != 0) {
    fl |= PI_SET;
    store<i32>(e, <i32>(fe - p), 12);
    for (let i: usize = 0; i < 32; i += 8) store<u64>(e + 16 + i, load<u64>(FSET + i));
    if (load<u8>(p) != 40) {                           // no capture before the item
      const plus = fe < pe && load<u8>(fe) == 43;      // '+'
      if (fe + (plus ? 1 : 0) == pe) fl |= PI_ONE | (plus ? PI_PLUS : 0);
    }
  }
  store<u8>(e, fl, 4);
  return e;
}
/** FSET = the set of entry e. */
// @ts-ignore: decorator
@inline function loadfset(e: usize): void {
  for (let i: usize = 0; i < 32; i += 8) store<u64>(FSET + i, load<u64>(e + 16 + i));
}

// ==== find / match ====

/**
 * find/match of a pattern that is one single-character item, maybe with '+', and nothing else (its
 * set in FSET): the first byte in the set from s1 (only s1 when anchored), then for '+' the longest
 * run, as do_match would find it. No budget is armed (the matcher charges its steps).
 */
function findoneitem(L: usize, find: bool, sp: usize, se: usize, s1: usize, anchor: bool, plus: bool): i32 {
  if (!anchor) s1 = skiptoset(s1, se);
  if (s1 >= se || !inset(FSET, <i32>load<u8>(s1))) { lua_pushnil(L); return 1; }
  let e = s1 + 1;
  if (plus) while (e < se && inset(FSET, <i32>load<u8>(e))) e++;
  if (find) {
    lua_pushinteger(L, <i64>(s1 - sp) + 1);
    lua_pushinteger(L, <i64>(e - sp));
    return 2;
  }
  lua_pushlstring(L, s1, <i32>(e - s1));
  return 1;
}

function str_find_aux(L: usize, find: bool): i32 {
  const s = argstring(L, 1);
  const pt = argstring(L, 2);
  const ls = s != 0 ? tsslen(s) : 0;
  const init = posrelatI(argoptint(L, 3, 1), ls) - 1;
  if (argfail) return ERR;
  if (init > <i64>ls) { lua_pushnil(L); return 1; }   // start after the end: cannot find anything
  const sp = getstr(s);
  let p = getstr(pt), lp = tsslen(pt);
  const pi = patinfo(pt);
  const fl = load<u8>(pi, 4);
  if (find && ((fl & PI_NOSPEC) != 0 || !l_isfalse(index2value(L, 4)))) {   // plain search
    const s2 = lmemfind(sp + <usize>init, ls - <i32>init, p, lp);
    if (s2 != 0) {
      lua_pushinteger(L, <i64>(s2 - sp) + 1);
      lua_pushinteger(L, <i64>(s2 - sp) + <i64>lp);
      return 2;
    }
  } else {
    let s1 = sp + <usize>init;
    const anchor = (fl & PI_ANCHOR) != 0;
    if (anchor) { p++; lp--; }
    if ((fl & PI_SET) != 0) loadfset(pi);
    if ((fl & PI_ONE) != 0 && !trapflag)
      return findoneitem(L, find, sp, sp + <usize>ls, s1, anchor, (fl & PI_PLUS) != 0);
    const lit = anchor ? -1 : load<i32>(pi, 8);
    const useset = !anchor && lit < 0 && (fl & PI_SET) != 0;
    prepstate(L, sp, ls, p, lp);
    do {
      if (lit >= 0) {
        s1 = findbyte(s1, src_end, lit);
        if (s1 >= src_end) break;
      } else if (useset) {
        s1 = skiptoset(s1, src_end);
        if (s1 >= src_end) break;
      }
      reprepstate();
      const res = do_match(s1, p);
      if (res != 0) {
        if (find) {
          lua_pushinteger(L, <i64>(s1 - sp) + 1);
          lua_pushinteger(L, <i64>(res - sp));
          const n = push_captures(L, 0, 0);
          return n < 0 ? ERR : n + 2;
        }
        const n = push_captures(L, s1, res);
        return n < 0 ? ERR : n;
      }
      if (merr) return ERR;
    } while (s1++ < src_end && !anchor);
  }
  lua_pushnil(L);
  return 1;
}

export function str_find(L: usize): i32 { return str_find_aux(L, true); }
export function str_match(L: usize): i32 { return str_find_aux(L, false); }

// ==== gmatch ====
// Upvalues: 1 subject, 2 pattern, 3 next start offset, 4 end offset of the last match (-1: none).

export function gmatch_aux(L: usize): i32 {
  const s = tsvalue(index2value(L, lua_upvalueindex(1)));
  const pt = tsvalue(index2value(L, lua_upvalueindex(2)));
  const upsrc = index2value(L, lua_upvalueindex(3));
  const uplast = index2value(L, lua_upvalueindex(4));
  const sp = getstr(s), p = getstr(pt);
  prepstate(L, sp, tsslen(s), p, tsslen(pt));
  const pi = patinfo(pt);                              // gmatch has no anchor: '^' is a plain byte,
  const fl = load<u8>(pi, 4);                          // which neither a literal nor a set stands for
  const lit = (fl & PI_ANCHOR) != 0 ? -1 : load<i32>(pi, 8);
  const useset = (fl & PI_ANCHOR) == 0 && lit < 0 && (fl & PI_SET) != 0;
  if (useset) loadfset(pi);
  const lastmatch: usize = ivalue(uplast) < 0 ? 0 : sp + <usize>ivalue(uplast);
  for (let src = sp + <usize>ivalue(upsrc); src <= src_end; src++) {
    if (lit >= 0) {
      src = findbyte(src, src_end, lit);
      if (src >= src_end) break;
    } else if (useset) {
      src = skiptoset(src, src_end);
      if (src >= src_end) break;
    }
    reprepstate();
    const e = do_match(src, p);
    if (e != 0 && e != lastmatch) {
      setivalue(upsrc, <i64>(e - sp));
      setivalue(uplast, <i64>(e - sp));
      const n = push_captures(L, src, e);
      return n < 0 ? ERR : n;
    }
    if (merr) return ERR;
  }
  setivalue(upsrc, <i64>(src_end - sp) + 1);          // exhausted: later calls return at once
  return 0;
}

/** A restored gmatch iterator: subject, pattern and two positions within the subject (lib/natives.ts regcheck). */
export function checkgmatch(cl: usize): string {
  const bad = "bad gmatch iterator";
  if (cl_nupvalues(cl) != 4 || !ttisstring(ccl_upvalue(cl, 0)) || !ttisstring(ccl_upvalue(cl, 1))
      || !ttisinteger(ccl_upvalue(cl, 2)) || !ttisinteger(ccl_upvalue(cl, 3))) return bad;
  const len = <i64>tsslen(tsvalue(ccl_upvalue(cl, 0)));
  const a = ivalue(ccl_upvalue(cl, 2)), b = ivalue(ccl_upvalue(cl, 3));
  return a < 0 || a > len + 1 || b < -1 || b > len ? bad : "";
}

export function str_gmatch(L: usize): i32 {
  const s = luaL_checklstring(L, 1);
  luaL_checklstring(L, 2);
  const ls = s != 0 ? tsslen(s) : 0;
  let init = posrelatI(luaL_optinteger(L, 3, 1), ls) - 1;
  if (argfail) return ERR;
  if (init > <i64>ls) init = <i64>ls + 1;              // start after the end: no matches
  lua_settop(L, 2);                                    // keep the strings as upvalues
  lua_pushinteger(L, init);
  lua_pushinteger(L, -1);
  lua_pushcclosure(L, gmatch_aux, 4);
  return 1;
}

// ==== gsub ====

/** Room for n more bytes in b within the memory limit. */
function bufroom(b: Buffer, n: i32): bool {
  const need = <i64>b.len + <i64>n;
  if (need <= <i64>b.cap) return true;
  return need < 0x7FFFFFFF && fits(<u64>need * 2);
}

/** Appends the replacement string (arg 3) with %0-%9 and %% expanded (add_s). False after an error. */
function add_s(L: usize, b: Buffer, s: usize, e: usize): bool {
  const news = lua_tolstring(L, 3);
  const np = getstr(news);
  const l = tsslen(news);
  if (!bufroom(b, l)) { luaG_memerror(L); return false; }  // the literal part alone may pass the limit
  let start = 0, i = 0;
  while (i < l) {
    if (load<u8>(np + <usize>i) != L_ESC) { i++; continue; }
    buf_addbytes(b, np + <usize>start, i - start);
    i++;                                               // skip ESC
    const d = <i32>load<u8>(np + <usize>i);            // the terminating 0 when '%' ends the string
    if (d == L_ESC) buf_addbyte(b, d);
    else if (d == 48) {                                // %0: whole match
      if (!bufroom(b, <i32>(e - s))) { luaG_memerror(L); return false; }
      buf_addbytes(b, s, <i32>(e - s));
    } else if (isdigit(d)) {
      const resl = get_onecapture(d - 49, s, e);
      if (resl == CAP_ERR) return false;
      if (resl == CAP_POSITION) buf_addint(b, <i64>(gcap - src_init) + 1);
      else {
        if (!bufroom(b, resl)) { luaG_memerror(L); return false; }
        buf_addbytes(b, gcap, resl);
      }
    } else {
      luaL_error(L, "invalid use of '%' in replacement string");
      return false;
    }
    i++;
    start = i;
  }
  buf_addbytes(b, np + <usize>start, l - start);
  return true;
}

/**
 * Adds the replacement for the match s..e (add_value): 1 if the subject changed, 0 if the function
 * or table gave nil/false (original text kept), -1 after an error.
 */
function add_value(L: usize, b: Buffer, s: usize, e: usize, tr: i32): i32 {
  if (tr == LUA_TFUNCTION || tr == LUA_TTABLE) {
    const si = src_init, se = src_end, pe = p_end;     // a nested match may run in the call
    const f0 = load<u64>(FSET), f1 = load<u64>(FSET, 8), f2 = load<u64>(FSET, 16), f3 = load<u64>(FSET, 24);
    let st: i32;
    if (tr == LUA_TFUNCTION) {
      lua_pushvalue(L, 3);
      const n = push_captures(L, s, e);
      if (n < 0) return -1;
      st = luaD_callnoyield(L, L_top(L) - (<usize>(n + 1) << 4), 1);
    } else {
      if (!push_onecapture(L, 0, s, e)) return -1;
      const key = L_top(L) - 16;
      st = luaV_gettable(L, index2value(L, 3), key, <i32>(key - L_stack(L)));
    }
    if (st != OK) return -1;
    ms_L = L; src_init = si; src_end = se; p_end = pe; merr = false;
    store<u64>(FSET, f0); store<u64>(FSET, f1, 8); store<u64>(FSET, f2, 16); store<u64>(FSET, f3, 24);
    runset_p = 0;                                      // RUNSET may hold another pattern's class now
    const v = L_top(L) - 16;
    if (l_isfalse(v)) {                                // nil or false: keep the original text
      lua_pop(L, 1);
      buf_addbytes(b, s, <i32>(e - s));
      return 0;
    }
    if (ttisstring(v)) {
      const ts = tsvalue(v);
      if (!bufroom(b, tsslen(ts))) { luaG_memerror(L); return -1; }
      buf_addbytes(b, getstr(ts), tsslen(ts));
    } else if (ttisnumber(v)) {
      const tmp = memory.data(48);
      buf_addbytes(b, tmp, luaO_tostringbuff(v, tmp));
    } else {
      const mb = msgbuf();
      buf_addstr(mb, "invalid replacement value (a "); buf_addstr(mb, lua_typename(lua_type(L, -1)));
      buf_addstr(mb, ")");
      luaL_errorb(L, mb);
      return -1;
    }
    lua_pop(L, 1);
    return 1;
  }
  return add_s(L, b, s, e) ? 1 : -1;                  // string or number
}

export function str_gsub(L: usize): i32 {
  const src0 = luaL_checklstring(L, 1);
  const pt = luaL_checklstring(L, 2);
  const srcl = src0 != 0 ? tsslen(src0) : 0;
  const tr = lua_type(L, 3);
  const max_s = luaL_optinteger(L, 4, <i64>srcl + 1);
  if (argfail) return ERR;
  if (!(tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE))
    return luaL_typeerror(L, 3, "string/function/table");
  let p = getstr(pt), lp = tsslen(pt);
  const pi = patinfo(pt);
  const fl = load<u8>(pi, 4);
  const anchor = (fl & PI_ANCHOR) != 0;
  if (anchor) { p++; lp--; }
  const lit = anchor ? -1 : load<i32>(pi, 8);
  const useset = !anchor && lit < 0 && (fl & PI_SET) != 0;
  const one = !anchor && (fl & PI_ONE) != 0;           // one item, maybe '+': see below
  const plus = (fl & PI_PLUS) != 0;
  if (useset || one) loadfset(pi);
  const sp = getstr(src0);
  let src = sp;
  let lastmatch: usize = 0;
  let n: i64 = 0;
  let changed = false;
  const b = acquirebuf();
  prepstate(L, sp, srcl, p, lp);
  while (n < max_s) {
    if (one && !trapflag) {
      // The pattern is one single-character item (maybe with '+') and no budget counts matcher
      // steps: the next match starts at the next byte in its set and is one byte or the longest
      // run, exactly what do_match would find there; the bytes before it are copied.
      const q = skiptoset(src, src_end);
      buf_addbytes(b, src, <i32>(q - src));
      src = q;
      if (q >= src_end) break;                         // no match can start at the end
      let e = q + 1;
      if (plus) while (e < src_end && inset(FSET, <i32>load<u8>(e))) e++;
      n++;
      level = 0;                                       // no captures: %0/%1 and the callback get the match
      const r = add_value(L, b, q, e, tr);
      if (r < 0) { releasebuf(b); return ERR; }
      if (r > 0) changed = true;
      src = lastmatch = e;
      continue;
    }
    reprepstate();
    const e = do_match(src, p);
    if (e != 0 && e != lastmatch) {                    // match
      n++;
      const r = add_value(L, b, src, e, tr);
      if (r < 0) { releasebuf(b); return ERR; }
      if (r > 0) changed = true;
      src = lastmatch = e;
    } else if (merr) {
      releasebuf(b); return ERR;
    } else if (src < src_end) {                        // no match here: copy one char (or a run)
      if (lit >= 0) {
        const q = findbyte(src + 1, src_end, lit);
        buf_addbytes(b, src, <i32>(q - src));
        src = q;
      } else if (useset) {
        const q = skiptoset(src + 1, src_end);
        buf_addbytes(b, src, <i32>(q - src));
        src = q;
      } else {
        buf_addbyte(b, load<u8>(src));
        src++;
      }
    } else break;                                      // end of subject
    if (anchor) break;
  }
  if (!changed) lua_pushvalue(L, 1);                   // no changes: the original string
  else {
    if (!bufroom(b, <i32>(src_end - src))) { releasebuf(b); return luaG_memerror(L); }
    buf_addbytes(b, src, <i32>(src_end - src));
    lua_pushlstring(L, b.ptr, b.len);
  }
  releasebuf(b);
  lua_pushinteger(L, n);
  return 2;
}
