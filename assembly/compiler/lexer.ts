// lexer.ts - the scanner: tokens, reserved words, numerals, strings and comments (llex.c).
// Invariant: errors never unwind. The first error is recorded in `ls.errmsg` (a TString with the full
// "chunk:line: msg near 'tok'" text) and from then on every scanner entry returns TK_EOS at once, so
// the parser drains to the end without spinning and without reading outside the source.

import { Buffer, buf_new, buf_free, buf_addbyte, buf_addbytes, buf_addstr, buf_addint } from "../mem/buffer";
import { luaS_new, luaS_newlstr, getstr, tsslen, isshrstr, strextra, setstrextra } from "../object/string";
import { luaC_fix } from "../gc/collect";
import { luaO_chunkid } from "../object/chunkid";
import { ttisinteger, ivalue, fltvalue } from "../object/value";
import { luaO_str2num } from "../object/number";

// ==== Tokens (ORDER RESERVED) ====
export const FIRST_RESERVED: i32 = 257;
export const enum TK {
  AND = 257, BREAK, DO, ELSE, ELSEIF, END, FALSE, FOR, FUNCTION, GOTO, IF, IN, LOCAL, NIL, NOT, OR,
  REPEAT, RETURN, THEN, TRUE, UNTIL, WHILE,
  IDIV, CONCAT, DOTS, EQ, GE, LE, NE, SHL, SHR, DBCOLON, EOS,
  FLT, INT, NAME, STRING,
}
// @ts-ignore: decorator
@inline const NUM_RESERVED: i32 = 22;
const EOZ: i32 = -1;

const tokennames: string[] = [   // ORDER RESERVED
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
  "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::", "<eof>",
  "<number>", "<integer>", "<name>", "<string>",
];

/** Marks the reserved words (TString extra = index + 1) and fixes them; cheap, runs per chunk. */
let reservedinit: bool = false;
export function luaX_init(): void {
  if (reservedinit) return;                // once per state: the strings are fixed (never collected)
  reservedinit = true;
  for (let i = 0; i < NUM_RESERVED; i++) {
    const ts = luaS_new(tokennames[i]);
    luaC_fix(ts);                        // no-op unless it was just created
    setstrextra(ts, <u8>(i + 1));
  }
}

// ==== Character classes (C locale) ====
// @ts-ignore: decorator
@inline function lisdigit(c: i32): bool { return <u32>(c - 48) < 10; }
// @ts-ignore: decorator
@inline function lisxdigit(c: i32): bool { return <u32>(c - 48) < 10 || <u32>((c | 32) - 97) < 6; }
// @ts-ignore: decorator
@inline function lislalpha(c: i32): bool { return <u32>((c | 32) - 97) < 26 || c == 95; }
// @ts-ignore: decorator
@inline function lislalnum(c: i32): bool { return lislalpha(c) || lisdigit(c); }
// @ts-ignore: decorator
@inline function lisspace(c: i32): bool { return c == 32 || (c >= 9 && c <= 13); }
// @ts-ignore: decorator
@inline function lisprint(c: i32): bool { return c >= 32 && c < 127; }
function hexavalue(c: i32): i32 { return lisdigit(c) ? c - 48 : (c | 32) - 97 + 10; }

// ==== Lexer state ====
export class Token {
  token: i32 = 0;
  r: f64 = 0;        // TK_FLT
  i: i64 = 0;        // TK_INT
  ts: usize = 0;     // TK_NAME, TK_STRING
  copy(o: Token): void { this.token = o.token; this.r = o.r; this.i = o.i; this.ts = o.ts; }
}

export class LexState {
  src: usize = 0;            // source bytes
  len: i32 = 0;
  pos: i32 = 0;              // index of the byte after `current`
  current: i32 = EOZ;
  linenumber: i32 = 1;
  lastline: i32 = 1;         // line of the last token consumed
  t: Token = new Token();
  lookahead: Token = new Token();
  source: usize = 0;         // TString chunk name
  envn: usize = 0;           // "_ENV"
  buff: Buffer = buf_new();  // token text
  msg: Buffer = buf_new();   // message under construction
  errmsg: usize = 0;         // first error (TString), 0 while none
  nCcalls: i32 = 0;          // parser recursion depth (luaE_incCstack role)
  longstrs: Array<usize> = new Array<usize>();   // long strings made so far, for sharing equal ones
  dispose(): void { buf_free(this.buff); buf_free(this.msg); }
}

// @ts-ignore: decorator
@inline export function haserror(ls: LexState): bool { return ls.errmsg != 0; }

function next(ls: LexState): void {
  if (ls.pos < ls.len) { ls.current = <i32>load<u8>(ls.src + <usize>ls.pos); ls.pos++; }
  else { ls.current = EOZ; ls.pos = ls.len + 1; }
}
// @ts-ignore: decorator
@inline function save(ls: LexState, c: i32): void { buf_addbyte(ls.buff, c); }
function save_and_next(ls: LexState): void { save(ls, ls.current); next(ls); }
// @ts-ignore: decorator
@inline function currIsNewline(ls: LexState): bool { return ls.current == 10 || ls.current == 13; }

// ==== Fixed names used by the compiler (interned once, never collected) ====
export let s_ENV: usize = 0;
export let s_break: usize = 0;
export let s_self: usize = 0;
export let s_forstate: usize = 0;
export let s_const: usize = 0;
export let s_close: usize = 0;
/** Interns and fixes the names above on first use (so every compile does not re-intern them). */
export function luaX_fixnames(): void {
  if (s_ENV != 0) return;
  s_ENV = fixedname("_ENV"); s_break = fixedname("break"); s_self = fixedname("self");
  s_forstate = fixedname("(for state)"); s_const = fixedname("const"); s_close = fixedname("close");
}
function fixedname(n: string): usize { const ts = luaS_new(n); luaC_fix(ts); return ts; }

/** Whether a first line starting with '#' is skipped: only for files (as luaL_loadfilex), never for
 *  load() or strings. Set by the caller before luaY_parser. */
export let skipfirstline: bool = false;
export function setskipfirstline(b: bool): void { skipfirstline = b; }

export function luaX_setinput(ls: LexState, src: usize, len: i32, source: usize): void {
  ls.src = src; ls.len = len; ls.pos = 0;
  ls.source = source;
  ls.envn = s_ENV;
  ls.lookahead.token = TK.EOS;
  ls.t.token = 0;
  next(ls);
  if (skipfirstline && ls.current == 35 /* '#' */) {   // first-line comment (luaL_loadfile's skipcomment)
    while (ls.current != EOZ && ls.current != 10) next(ls);
  }
}

// ==== Errors ====

/** Appends the printable form of a token (luaX_token2str) to `b`. */
export function token2str(b: Buffer, token: i32): void {
  if (token < FIRST_RESERVED) {
    if (lisprint(token)) { buf_addbyte(b, 39); buf_addbyte(b, token); buf_addbyte(b, 39); }
    else { buf_addstr(b, "'<\\"); buf_addint(b, token); buf_addstr(b, ">'"); }
  } else {
    const s = tokennames[token - FIRST_RESERVED];
    if (token < TK.EOS) { buf_addbyte(b, 39); buf_addstr(b, s); buf_addbyte(b, 39); }
    else buf_addstr(b, s);
  }
}

/** Token text for messages: the scanned text for names, strings and numerals (txtToken). */
function txtToken(ls: LexState, b: Buffer, token: i32): void {
  if (token == TK.NAME || token == TK.STRING || token == TK.FLT || token == TK.INT) {
    buf_addbyte(b, 39);
    let n = ls.buff.len;
    for (let i = 0; i < n; i++) if (load<u8>(ls.buff.ptr + <usize>i) == 0) { n = i; break; }  // %s stops at '\0'
    buf_addbytes(b, ls.buff.ptr, n);
    buf_addbyte(b, 39);
  } else token2str(b, token);
}

/** Starts a message in ls.msg; returns false when an error is already recorded (keep the first). */
export function msg_begin(ls: LexState): bool {
  if (ls.errmsg != 0) return false;
  ls.msg.len = 0;
  return true;
}

/** Records ls.msg as the error, with position prefix and, when token != 0, "near <token>". */
export function lexerror_msg(ls: LexState, token: i32): void {
  if (ls.errmsg != 0) return;
  const b = buf_new();
  luaO_chunkid(b, ls.source);
  buf_addbyte(b, 58); buf_addint(b, ls.linenumber); buf_addbyte(b, 58); buf_addbyte(b, 32);
  buf_addbytes(b, ls.msg.ptr, ls.msg.len);
  if (token != 0) { buf_addstr(b, " near "); txtToken(ls, b, token); }
  ls.errmsg = luaS_newlstr(b.ptr, b.len);
  buf_free(b);
  ls.current = EOZ; ls.pos = ls.len + 1;   // scanning stops here
  ls.t.token = TK.EOS; ls.lookahead.token = TK.EOS;
}

export function lexerror(ls: LexState, msg: string, token: i32): void {
  if (!msg_begin(ls)) return;
  buf_addstr(ls.msg, msg);
  lexerror_msg(ls, token);
}

/** Syntax error near the current token (luaX_syntaxerror). */
export function luaX_syntaxerror(ls: LexState, msg: string): void { lexerror(ls, msg, ls.t.token); }
/** Syntax error with the message already in ls.msg (started with msg_begin). */
export function luaX_syntaxerror_msg(ls: LexState): void { lexerror_msg(ls, ls.t.token); }

// ==== Strings ====

/** A Lua string for scanned bytes; equal long strings of one chunk share one object (luaX_newstring). */
export function luaX_newstring(ls: LexState, p: usize, l: i32): usize {
  const ts = luaS_newlstr(p, l);
  if (isshrstr(ts)) return ts;
  const a = ls.longstrs;
  for (let i = 0, n = a.length; i < n; i++) {
    const o = unchecked(a[i]);
    if (tsslen(o) == l && memory.compare(getstr(o), p, <usize>l) == 0) return o;
  }
  a.push(ts);
  return ts;
}

function inclinenumber(ls: LexState): void {
  const old = ls.current;
  next(ls);                                    // skip '\n' or '\r'
  if (currIsNewline(ls) && ls.current != old) next(ls);   // skip '\n\r' or '\r\n'
  if (++ls.linenumber >= 0x7FFFFFFF) lexerror(ls, "chunk has too many lines", 0);
}

function check_next1(ls: LexState, c: i32): bool {
  if (ls.current == c) { next(ls); return true; }
  return false;
}

/** Saves and skips the current char when it is one of c1/c2. */
function check_next2(ls: LexState, c1: i32, c2: i32): bool {
  if (ls.current == c1 || ls.current == c2) { save_and_next(ls); return true; }
  return false;
}

// ==== Numerals ====

/** read_numeral: collects a numeral like PUC (digits, '.', exponent marks with signs) then converts. */
function read_numeral(ls: LexState, tok: Token): i32 {
  const first = ls.current;
  let e1 = 69, e2 = 101;                       // 'E' 'e'
  save_and_next(ls);
  if (first == 48 && check_next2(ls, 88, 120)) { e1 = 80; e2 = 112; }   // hex: 'P' 'p'
  for (;;) {
    if (check_next2(ls, e1, e2)) check_next2(ls, 45, 43);   // exponent and optional sign
    else if (lisxdigit(ls.current) || ls.current == 46) save_and_next(ls);
    else break;
  }
  if (lislalpha(ls.current)) save_and_next(ls);  // numeral touching a letter: force an error
  const out = memory.data(16);
  let n = ls.buff.len;
  for (let i = 0; i < n; i++) if (load<u8>(ls.buff.ptr + <usize>i) == 0) { n = i; break; }
  if (luaO_str2num(ls.buff.ptr, n, out) == 0) {
    lexerror(ls, "malformed number", TK.FLT);
    return TK.EOS;
  }
  if (ttisinteger(out)) { tok.i = ivalue(out); return TK.INT; }
  tok.r = fltvalue(out);
  return TK.FLT;
}

// ==== Long strings and comments ====

/** Reads '[=*[' or ']=*]' leaving the last bracket: count of '=' + 2, 1 for a lone bracket, 0 if malformed. */
function skip_sep(ls: LexState): i32 {
  let count = 0;
  const s = ls.current;
  save_and_next(ls);
  while (ls.current == 61) { save_and_next(ls); count++; }
  return ls.current == s ? count + 2 : (count == 0 ? 1 : 0);
}

function read_long_string(ls: LexState, tok: Token | null, sep: i32): void {
  const line = ls.linenumber;
  save_and_next(ls);                           // skip 2nd '['
  if (currIsNewline(ls)) inclinenumber(ls);    // a first newline is skipped
  while (!haserror(ls)) {
    const c = ls.current;
    if (c == EOZ) {
      if (!msg_begin(ls)) return;
      buf_addstr(ls.msg, tok ? "unfinished long string (starting at line " : "unfinished long comment (starting at line ");
      buf_addint(ls.msg, line); buf_addbyte(ls.msg, 41);
      lexerror_msg(ls, TK.EOS);
      return;
    } else if (c == 93) {                      // ']'
      if (skip_sep(ls) == sep) { save_and_next(ls); break; }
    } else if (c == 10 || c == 13) {
      save(ls, 10);
      inclinenumber(ls);
      if (!tok) ls.buff.len = 0;
    } else {
      if (tok) save_and_next(ls); else next(ls);
    }
  }
  if (tok && !haserror(ls)) tok.ts = luaX_newstring(ls, ls.buff.ptr + <usize>sep, ls.buff.len - 2 * sep);
}

// ==== Short strings and escapes ====

/** Escape error: keeps the offending char in the text for the message (esccheck). */
function escerror(ls: LexState, msg: string): void {
  if (ls.current != EOZ) save_and_next(ls);
  lexerror(ls, msg, TK.STRING);
}

function gethexa(ls: LexState): i32 {
  save_and_next(ls);
  if (!lisxdigit(ls.current)) { escerror(ls, "hexadecimal digit expected"); return 0; }
  return hexavalue(ls.current);
}

function readhexaesc(ls: LexState): i32 {
  let r = gethexa(ls);
  if (haserror(ls)) return 0;
  r = (r << 4) + gethexa(ls);
  if (haserror(ls)) return 0;
  ls.buff.len -= 2;                            // remove saved chars
  return r;
}

function readutf8esc(ls: LexState): u32 {
  let i = 4;                                   // chars to remove: '\', 'u', '{' and first digit
  save_and_next(ls);                           // skip 'u'
  if (ls.current != 123) { escerror(ls, "missing '{'"); return 0; }
  let r = <u32>gethexa(ls);
  if (haserror(ls)) return 0;
  for (;;) {
    save_and_next(ls);
    if (!lisxdigit(ls.current)) break;
    i++;
    if (r > (0x7FFFFFFF >> 4)) { escerror(ls, "UTF-8 value too large"); return 0; }
    r = (r << 4) + <u32>hexavalue(ls.current);
  }
  if (ls.current != 125) { escerror(ls, "missing '}'"); return 0; }
  next(ls);                                    // skip '}'
  ls.buff.len -= i;
  return r;
}

/** Appends the UTF-8 (up to 6 bytes, as 5.4) encoding of x to the token text (luaO_utf8esc). */
function utf8esc(ls: LexState): void {
  let x = readutf8esc(ls);
  if (haserror(ls)) return;
  if (x < 0x80) { save(ls, <i32>x); return; }
  const tmp = memory.data(8);
  let n = 1;
  let mfb: u32 = 0x3f;
  do {
    store<u8>(tmp + 8 - <usize>n, <u8>(0x80 | (x & 0x3f)));
    n++;
    x >>= 6;
    mfb >>= 1;
  } while (x > mfb);
  store<u8>(tmp + 8 - <usize>n, <u8>((~mfb << 1) | x));
  buf_addbytes(ls.buff, tmp + 8 - <usize>n, n);
}

function readdecesc(ls: LexState): i32 {
  let r = 0, i = 0;
  for (; i < 3 && lisdigit(ls.current); i++) { r = 10 * r + ls.current - 48; save_and_next(ls); }
  if (r > 255) { escerror(ls, "decimal escape too large"); return 0; }
  ls.buff.len -= i;
  return r;
}

function read_string(ls: LexState, del: i32, tok: Token): void {
  save_and_next(ls);                           // keep delimiter (for error messages)
  while (ls.current != del && !haserror(ls)) {
    const c0 = ls.current;
    if (c0 == EOZ) { lexerror(ls, "unfinished string", TK.EOS); return; }
    if (c0 == 10 || c0 == 13) { lexerror(ls, "unfinished string", TK.STRING); return; }
    if (c0 != 92) { save_and_next(ls); continue; }
    save_and_next(ls);                         // keep '\\' for error messages
    let c = -1;                                // char to save after removing the '\\'
    let skip = true;                           // consume the escape letter
    switch (ls.current) {
      case 97: c = 7; break;                   // \a
      case 98: c = 8; break;                   // \b
      case 102: c = 12; break;                 // \f
      case 110: c = 10; break;                 // \n
      case 114: c = 13; break;                 // \r
      case 116: c = 9; break;                  // \t
      case 118: c = 11; break;                 // \v
      case 120: c = readhexaesc(ls); break;    // \xXX
      case 117: utf8esc(ls); continue;         // \u{XXX}
      case 10: case 13: inclinenumber(ls); c = 10; skip = false; break;
      case 92: case 34: case 39: c = ls.current; break;
      case EOZ: continue;                      // error raised by the loop
      case 122: {                              // \z: skip following spaces
        ls.buff.len -= 1;
        next(ls);
        while (lisspace(ls.current)) {
          if (currIsNewline(ls)) inclinenumber(ls); else next(ls);
        }
        continue;
      }
      default: {
        if (!lisdigit(ls.current)) { escerror(ls, "invalid escape sequence"); return; }
        c = readdecesc(ls);
        skip = false;
      }
    }
    if (haserror(ls)) return;
    if (skip) next(ls);
    ls.buff.len -= 1;                          // remove '\\'
    save(ls, c);
  }
  if (haserror(ls)) return;
  save_and_next(ls);                           // skip delimiter
  tok.ts = luaX_newstring(ls, ls.buff.ptr + 1, ls.buff.len - 2);
}

// ==== Main scanner ====

function llex(ls: LexState, tok: Token): i32 {
  ls.buff.len = 0;
  for (;;) {
    if (haserror(ls)) return TK.EOS;
    const c = ls.current;
    switch (c) {
      case 10: case 13: inclinenumber(ls); break;
      case 32: case 12: case 9: case 11: next(ls); break;
      case 45: {                               // '-' or '--' comment
        next(ls);
        if (ls.current != 45) return 45;
        next(ls);
        if (ls.current == 91) {                // long comment?
          const sep = skip_sep(ls);
          ls.buff.len = 0;
          if (sep >= 2) { read_long_string(ls, null, sep); ls.buff.len = 0; break; }
        }
        while (!currIsNewline(ls) && ls.current != EOZ) next(ls);
        break;
      }
      case 91: {                               // '[' or long string
        const sep = skip_sep(ls);
        if (sep >= 2) { read_long_string(ls, tok, sep); return haserror(ls) ? TK.EOS : TK.STRING; }
        if (sep == 0) { lexerror(ls, "invalid long string delimiter", TK.STRING); return TK.EOS; }
        return 91;
      }
      case 61: next(ls); return check_next1(ls, 61) ? TK.EQ : 61;
      case 60: next(ls); return check_next1(ls, 61) ? TK.LE : (check_next1(ls, 60) ? TK.SHL : 60);
      case 62: next(ls); return check_next1(ls, 61) ? TK.GE : (check_next1(ls, 62) ? TK.SHR : 62);
      case 47: next(ls); return check_next1(ls, 47) ? TK.IDIV : 47;
      case 126: next(ls); return check_next1(ls, 61) ? TK.NE : 126;
      case 58: next(ls); return check_next1(ls, 58) ? TK.DBCOLON : 58;
      case 34: case 39: read_string(ls, c, tok); return haserror(ls) ? TK.EOS : TK.STRING;
      case 46: {                               // '.', '..', '...' or number
        save_and_next(ls);
        if (check_next1(ls, 46)) return check_next1(ls, 46) ? TK.DOTS : TK.CONCAT;
        if (!lisdigit(ls.current)) return 46;
        return read_numeral(ls, tok);
      }
      case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55: case 56: case 57:
        return read_numeral(ls, tok);
      case EOZ: return TK.EOS;
      default: {
        if (lislalpha(c)) {                    // name or reserved word
          do save_and_next(ls); while (lislalnum(ls.current));
          const ts = luaX_newstring(ls, ls.buff.ptr, ls.buff.len);
          tok.ts = ts;
          const x = <i32>strextra(ts);
          if (x > 0 && isshrstr(ts)) return x - 1 + FIRST_RESERVED;
          return TK.NAME;
        }
        next(ls);                              // single-char token
        return c;
      }
    }
  }
  return TK.EOS;
}

export function luaX_next(ls: LexState): void {
  ls.lastline = ls.linenumber;
  if (ls.lookahead.token != TK.EOS) {
    ls.t.copy(ls.lookahead);
    ls.lookahead.token = TK.EOS;
  } else ls.t.token = llex(ls, ls.t);
}

export function luaX_lookahead(ls: LexState): i32 {
  ls.lookahead.token = llex(ls, ls.lookahead);
  return ls.lookahead.token;
}
