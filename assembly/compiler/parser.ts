// parser.ts - recursive-descent parser for the whole Lua 5.4 grammar, driving code.ts (lparser.c).
// Invariant: one function per grammar rule, its production in the first comment. Errors never
// unwind: the first one is recorded by the lexer, after which the current token is TK_EOS forever,
// so every rule finishes promptly (TK_EOS ends every list and block) and luaY_parser returns 0.
// Recursion is bounded by enterlevel (LUAI_MAXCCALLS), as PUC's luaE_incCstack.

import {
  LexState, TK, luaX_setinput, luaX_next, luaX_lookahead, luaX_init, luaX_syntaxerror,
  luaX_syntaxerror_msg, msg_begin, token2str, haserror, luaX_fixnames, s_self, s_forstate, s_const,
  s_close, s_break,
} from "./lexer";
import {
  FuncState, BlockCnt, Dyndata, VDKREG, RDKCONST, RDKTOCLOSE, RDKCTC,
  luaY_nvarstack, reglevel, getlocalvardesc, new_localvar, adjustlocalvars, localdebuginfo,
  searchupvalue, allocupvalue, markupval, marktobeclosed, newgotoentry, findlabel, createlabel,
  enterblock, leaveblock, semerror_msg,
} from "./scope";
import {
  Expdesc, VK, OPR, UOPR, NO_JUMP, LUA_MULTRET, init_exp, hasmultret, vkisvar, vkisindexed,
  luaK_code, luaK_codeABC, luaK_codeABx, luaK_fixline, luaK_jump, luaK_jumpto, luaK_patchlist,
  luaK_patchtohere, luaK_getlabel, luaK_concat, luaK_ret, luaK_int, luaK_nil, luaK_checkstack,
  luaK_reserveregs, luaK_exp2nextreg, luaK_exp2anyreg, luaK_exp2anyregup, luaK_exp2val,
  luaK_exp2const, luaK_dischargevars, luaK_setreturns, luaK_setmultret, luaK_setoneret,
  luaK_storevar, luaK_indexed, luaK_self, luaK_goiftrue, luaK_goiffalse, luaK_prefix, luaK_infix,
  luaK_posfix, luaK_settablesize, luaK_setlist, luaK_finish, getcode, setcode,
} from "./code";
import { OP, SETARG_C, SETARG_Bx, SET_OPCODE, MAXARG_Bx, LFIELDS_PER_FLUSH } from "../vm/opcodes";
import { buf_addbyte, buf_addstr, buf_addbytes, buf_addint } from "../mem/buffer";
import { luaS_new, getstr, tsslen } from "../object/string";
import { luaM_alloc } from "../mem/alloc";
import { luaF_newproto, UPVALDESC_SIZE, LOCVAR_SIZE } from "../object/func";
import {
  LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT, TVALUE_SIZE,
  setnilvalue, setbfvalue, setbtvalue, setivalue, setfltvalue, setsvalue, tvat,
} from "../object/value";
import { LUAI_MAXCCALLS } from "../luaconf";

/** Full message (TString) of the last failed luaY_parser call. */
export let compile_error: usize = 0;
/**
 * Nesting depth already used by the caller when luaY_parser starts (PUC counts the C calls below
 * the parser in the same budget of LUAI_MAXCCALLS). 1 matches `lua5.4 file.lua`; a VM calling the
 * compiler from `load` may set its current native depth here.
 */
export let luaY_ccallsbase: i32 = 1;
export function luaY_setccallsbase(n: i32): void { luaY_ccallsbase = n; }

let curfs: FuncState | null = null;
// @ts-ignore: decorator
@inline function FS(): FuncState { return curfs!; }

// ==== Helpers ====

function addts(ls: LexState, ts: usize): void {
  let n = tsslen(ts);
  const p = getstr(ts);
  for (let i = 0; i < n; i++) if (load<u8>(p + <usize>i) == 0) { n = i; break; }
  buf_addbytes(ls.msg, p, n);
}

/** Recursion guard (luaE_incCstack); the message has no position, as lua5.4's. */
function enterlevel(ls: LexState): void {
  ls.nCcalls++;
  if (ls.nCcalls >= LUAI_MAXCCALLS && !haserror(ls)) {
    if (!msg_begin(ls)) return;
    ls.errmsg = luaS_new("C stack overflow");
    ls.t.token = TK.EOS; ls.lookahead.token = TK.EOS;
    ls.current = -1; ls.pos = ls.len + 1;
  }
}
// @ts-ignore: decorator
@inline function leavelevel(ls: LexState): void { ls.nCcalls--; }

function error_expected(ls: LexState, token: i32): void {
  if (!msg_begin(ls)) return;
  token2str(ls.msg, token);
  buf_addstr(ls.msg, " expected");
  luaX_syntaxerror_msg(ls);
}

function testnext(ls: LexState, c: i32): bool {
  if (ls.t.token == c) { luaX_next(ls); return true; }
  return false;
}

function check(ls: LexState, c: i32): void {
  if (ls.t.token != c) error_expected(ls, c);
}

function checknext(ls: LexState, c: i32): void {
  check(ls, c);
  luaX_next(ls);
}

function check_condition(ls: LexState, c: bool, msg: string): void {
  if (!c) luaX_syntaxerror(ls, msg);
}

function check_match(ls: LexState, what: i32, who: i32, where: i32): void {
  if (testnext(ls, what)) return;
  if (where == ls.linenumber) { error_expected(ls, what); return; }
  if (!msg_begin(ls)) return;
  token2str(ls.msg, what);
  buf_addstr(ls.msg, " expected (to close ");
  token2str(ls.msg, who);
  buf_addstr(ls.msg, " at line ");
  buf_addint(ls.msg, where);
  buf_addbyte(ls.msg, 41);
  luaX_syntaxerror_msg(ls);
}

function str_checkname(ls: LexState): usize {
  check(ls, TK.NAME);
  if (ls.t.token != TK.NAME) return ls.envn;   // after an error: any valid name
  const ts = ls.t.ts;
  luaX_next(ls);
  return ts;
}

function codestring(e: Expdesc, s: usize): void {
  e.f = e.t = NO_JUMP;
  e.k = VK.KSTR;
  e.strval = s;
}

function codename(ls: LexState, e: Expdesc): void { codestring(e, str_checkname(ls)); }

function init_var(fs: FuncState, e: Expdesc, vidx: i32): void {
  e.f = e.t = NO_JUMP;
  e.k = VK.LOCAL;
  e.vidx = vidx;
  e.ridx = getlocalvardesc(fs, vidx).ridx;
}

/** Error if e is a read-only variable (check_readonly). */
function check_readonly(ls: LexState, e: Expdesc): void {
  const fs = FS();
  let varname: usize = 0;
  switch (e.k) {
    case VK.CONST: {
      const a = fs.dyd.actvar;
      if (e.info >= 0 && e.info < a.length) varname = a[e.info].name;
      break;
    }
    case VK.LOCAL: {
      const vd = getlocalvardesc(fs, e.vidx);
      if (vd.kind != VDKREG) varname = vd.name;
      break;
    }
    case VK.UPVAL: {
      if (e.info >= 0 && e.info < fs.upvalues.length) {
        const up = fs.upvalues[e.info];
        if (up.kind != VDKREG) varname = up.name;
      }
      break;
    }
    default: return;
  }
  if (varname != 0) {
    if (!msg_begin(ls)) return;
    buf_addstr(ls.msg, "attempt to assign to const variable '");
    addts(ls, varname);
    buf_addstr(ls.msg, "'");
    semerror_msg(ls);
  }
}

// ==== Variables ====

function newupvalue(fs: FuncState, name: usize, v: Expdesc): i32 {
  const up = allocupvalue(fs);
  const prev = fs.prev!;
  if (v.k == VK.LOCAL) {
    up.instack = 1;
    up.idx = v.ridx;
    up.kind = getlocalvardesc(prev, v.vidx).kind;
  } else {
    up.instack = 0;
    up.idx = v.info;
    up.kind = v.info >= 0 && v.info < prev.upvalues.length ? prev.upvalues[v.info].kind : VDKREG;
  }
  up.name = name;
  return fs.upvalues.length - 1;
}

/** Looks for an active local named n in fs; fills var and returns its kind, or -1. */
function searchvar(fs: FuncState, n: usize, v: Expdesc): i32 {
  for (let i = fs.nactvar - 1; i >= 0; i--) {
    const vd = getlocalvardesc(fs, i);
    if (vd.name == n) {
      if (vd.kind == RDKCTC) init_exp(v, VK.CONST, fs.firstlocal + i);
      else init_var(fs, v, i);
      return v.k;
    }
  }
  return -1;
}

/** Finds variable n in fs or enclosing functions, creating upvalues on the way (singlevaraux). */
function singlevaraux(fs: FuncState | null, n: usize, v: Expdesc, base: bool): void {
  if (fs == null) { init_exp(v, VK.VOID, 0); return; }
  const f = fs;
  const r = searchvar(f, n, v);
  if (r >= 0) {
    if (r == VK.LOCAL && !base) markupval(f, v.vidx);
    return;
  }
  let idx = searchupvalue(f, n);
  if (idx < 0) {
    singlevaraux(f.prev, n, v, false);
    if (v.k == VK.LOCAL || v.k == VK.UPVAL) idx = newupvalue(f, n, v);
    else return;                                    // global or compile-time constant
  }
  init_exp(v, VK.UPVAL, idx);
}

function singlevar(ls: LexState, v: Expdesc): void {
  const varname = str_checkname(ls);
  const fs = FS();
  singlevaraux(fs, varname, v, true);
  if (v.k == VK.VOID) {                             // global: _ENV[varname]
    const key = new Expdesc();
    singlevaraux(fs, ls.envn, v, true);
    luaK_exp2anyregup(fs, v);                       // _ENV may be a compile-time constant
    codestring(key, varname);
    luaK_indexed(fs, v, key);
  }
}

function adjust_assign(ls: LexState, nvars: i32, nexps: i32, e: Expdesc): void {
  const fs = FS();
  const needed = nvars - nexps;
  if (hasmultret(e.k)) {
    let extra = needed + 1;
    if (extra < 0) extra = 0;
    luaK_setreturns(fs, e, extra);
  } else {
    if (e.k != VK.VOID) luaK_exp2nextreg(fs, e);
    if (needed > 0) luaK_nil(fs, fs.freereg, needed);
  }
  if (needed > 0) luaK_reserveregs(fs, needed);
  else fs.freereg += needed;
}

// ==== Functions ====

/** Materialises the prototype of fs in linear memory with exact array sizes. */
function buildproto(ls: LexState, fs: FuncState): usize {
  const p = luaF_newproto();
  const ncode = fs.code.length, nk = fs.k.length, np = fs.p.length;
  const nup = fs.upvalues.length, nloc = fs.locvars.length;
  store<u8>(p, <u8>fs.numparams, 6);
  store<u8>(p, fs.is_vararg ? 1 : 0, 7);
  store<u8>(p, <u8>(fs.maxstacksize > 255 ? 255 : fs.maxstacksize), 8);
  store<i32>(p, nup, 12); store<i32>(p, nk, 16); store<i32>(p, ncode, 20);
  store<i32>(p, np, 24); store<i32>(p, nloc, 28);
  store<i32>(p, fs.linedefined, 32); store<i32>(p, fs.lastlinedefined, 36);
  const k = nk > 0 ? luaM_alloc(<usize>nk * TVALUE_SIZE) : 0;
  for (let i = 0; i < nk; i++) {
    const c = fs.k[i], o = tvat(k, i);
    store<i64>(o, 0); store<i64>(o, 0, 8);
    if (c.tt == LUA_VNIL) setnilvalue(o);
    else if (c.tt == LUA_VFALSE) setbfvalue(o);
    else if (c.tt == LUA_VTRUE) setbtvalue(o);
    else if (c.tt == LUA_VNUMINT) setivalue(o, c.i);
    else if (c.tt == LUA_VNUMFLT) setfltvalue(o, c.n);
    else setsvalue(o, c.s);
  }
  const code = ncode > 0 ? luaM_alloc(<usize>ncode << 2) : 0;
  const li = ncode > 0 ? luaM_alloc(<usize>ncode << 2) : 0;
  for (let i = 0; i < ncode; i++) {
    store<u32>(code + (<usize>i << 2), fs.code[i]);
    store<i32>(li + (<usize>i << 2), fs.lineinfo[i]);
  }
  const pp = np > 0 ? luaM_alloc(<usize>np << 2) : 0;
  for (let i = 0; i < np; i++) store<usize>(pp + (<usize>i << 2), fs.p[i]);
  const up = nup > 0 ? luaM_alloc(<usize>nup * UPVALDESC_SIZE) : 0;
  for (let i = 0; i < nup; i++) {
    const u = fs.upvalues[i], d = up + <usize>i * UPVALDESC_SIZE;
    store<usize>(d, u.name); store<u8>(d, <u8>u.instack, 4); store<u8>(d, <u8>u.idx, 5);
    store<u8>(d, <u8>u.kind, 6); store<u8>(d, 0, 7);
  }
  const lv = nloc > 0 ? luaM_alloc(<usize>nloc * LOCVAR_SIZE) : 0;
  for (let i = 0; i < nloc; i++) {
    const l = fs.locvars[i], d = lv + <usize>i * LOCVAR_SIZE;
    store<usize>(d, l.name); store<i32>(d, l.startpc, 4); store<i32>(d, l.endpc, 8);
  }
  store<usize>(p, k, 40); store<usize>(p, code, 44); store<usize>(p, pp, 48);
  store<usize>(p, up, 52); store<usize>(p, li, 56); store<usize>(p, lv, 60);
  store<usize>(p, ls.source, 64); store<usize>(p, 0, 68);
  return p;
}

function open_func(ls: LexState, fs: FuncState, bl: BlockCnt): void {
  fs.prev = curfs;
  curfs = fs;
  fs.firstlocal = fs.dyd.nvar;
  fs.firstlabel = fs.dyd.label.length;
  fs.maxstacksize = 2;
  enterblock(fs, bl, false);
}

/** Finishes the current function; returns its Proto (0 after an error). */
function close_func(ls: LexState): usize {
  const fs = FS();
  luaK_ret(fs, luaY_nvarstack(fs), 0);
  leaveblock(fs);
  luaK_finish(fs);
  curfs = fs.prev;
  if (haserror(ls)) return 0;
  return buildproto(ls, fs);
}

// ==== Grammar: blocks ====

function block_follow(ls: LexState, withuntil: bool): bool {
  switch (ls.t.token) {
    case TK.ELSE: case TK.ELSEIF: case TK.END: case TK.EOS: return true;
    case TK.UNTIL: return withuntil;
    default: return false;
  }
}

function statlist(ls: LexState): void {
  // statlist -> { stat [';'] }
  while (!block_follow(ls, true)) {
    if (ls.t.token == TK.RETURN) { statement(ls); return; }
    statement(ls);
  }
}

function fieldsel(ls: LexState, v: Expdesc): void {
  // fieldsel -> ['.' | ':'] NAME
  const fs = FS();
  const key = new Expdesc();
  luaK_exp2anyregup(fs, v);
  luaX_next(ls);
  codename(ls, key);
  luaK_indexed(fs, v, key);
}

function yindex(ls: LexState, v: Expdesc): void {
  // index -> '[' expr ']'
  luaX_next(ls);
  expr(ls, v);
  luaK_exp2val(FS(), v);
  checknext(ls, 93);
}

// ==== Grammar: table constructors ====

class ConsControl {
  v: Expdesc = new Expdesc();   // last list item read
  t: Expdesc;                    // table descriptor
  nh: i32 = 0;                   // number of record elements
  na: i32 = 0;                   // number of array elements already stored
  tostore: i32 = 0;              // array elements pending
  constructor(t: Expdesc) { this.t = t; }
}

function recfield(ls: LexState, cc: ConsControl): void {
  // recfield -> (NAME | '['exp']') = exp
  const fs = FS();
  const reg = fs.freereg;
  const tab = new Expdesc(), key = new Expdesc(), val = new Expdesc();
  if (ls.t.token == TK.NAME) codename(ls, key);
  else yindex(ls, key);
  cc.nh++;
  checknext(ls, 61);
  tab.copy(cc.t);
  luaK_indexed(fs, tab, key);
  expr(ls, val);
  luaK_storevar(fs, tab, val);
  fs.freereg = reg;
}

function closelistfield(fs: FuncState, cc: ConsControl): void {
  if (cc.v.k == VK.VOID) return;
  luaK_exp2nextreg(fs, cc.v);
  cc.v.k = VK.VOID;
  if (cc.tostore == LFIELDS_PER_FLUSH) {
    luaK_setlist(fs, cc.t.info, cc.na, cc.tostore);
    cc.na += cc.tostore;
    cc.tostore = 0;
  }
}

function lastlistfield(fs: FuncState, cc: ConsControl): void {
  if (cc.tostore == 0) return;
  if (hasmultret(cc.v.k)) {
    luaK_setmultret(fs, cc.v);
    luaK_setlist(fs, cc.t.info, cc.na, LUA_MULTRET);
    cc.na--;
  } else {
    if (cc.v.k != VK.VOID) luaK_exp2nextreg(fs, cc.v);
    luaK_setlist(fs, cc.t.info, cc.na, cc.tostore);
  }
  cc.na += cc.tostore;
}

function listfield(ls: LexState, cc: ConsControl): void {
  // listfield -> exp
  expr(ls, cc.v);
  cc.tostore++;
}

function field(ls: LexState, cc: ConsControl): void {
  // field -> listfield | recfield
  if (ls.t.token == TK.NAME) {
    if (luaX_lookahead(ls) != 61) listfield(ls, cc);
    else recfield(ls, cc);
  } else if (ls.t.token == 91) recfield(ls, cc);
  else listfield(ls, cc);
}

function constructor(ls: LexState, t: Expdesc): void {
  // constructor -> '{' [ field { sep field } [sep] ] '}'   sep -> ',' | ';'
  const fs = FS();
  const line = ls.linenumber;
  const pc = luaK_codeABC(fs, OP.NEWTABLE, 0, 0, 0);
  luaK_code(fs, 0);                                   // space for extra arg
  const cc = new ConsControl(t);
  init_exp(t, VK.NONRELOC, fs.freereg);
  luaK_reserveregs(fs, 1);
  init_exp(cc.v, VK.VOID, 0);
  checknext(ls, 123);
  do {
    if (ls.t.token == 125) break;
    closelistfield(fs, cc);
    field(ls, cc);
  } while (testnext(ls, 44) || testnext(ls, 59));
  check_match(ls, 125, 123, line);
  lastlistfield(fs, cc);
  luaK_settablesize(fs, pc, t.info, cc.na, cc.nh);
}

// ==== Grammar: functions ====

function setvararg(fs: FuncState, nparams: i32): void {
  fs.is_vararg = true;
  luaK_codeABC(fs, OP.VARARGPREP, nparams, 0, 0);
}

function parlist(ls: LexState): void {
  // parlist -> [ {NAME ','} (NAME | '...') ]
  const fs = FS();
  let nparams = 0;
  let isvararg = false;
  if (ls.t.token != 41) {
    do {
      if (ls.t.token == TK.NAME) { new_localvar(ls, fs, str_checkname(ls)); nparams++; }
      else if (ls.t.token == TK.DOTS) { luaX_next(ls); isvararg = true; }
      else { luaX_syntaxerror(ls, "<name> or '...' expected"); break; }
    } while (!isvararg && testnext(ls, 44));
  }
  adjustlocalvars(fs, nparams);
  fs.numparams = fs.nactvar;
  if (isvararg) setvararg(fs, fs.numparams);
  luaK_reserveregs(fs, fs.nactvar);
}

function body(ls: LexState, e: Expdesc, ismethod: bool, line: i32): void {
  // body ->  '(' parlist ')' block END
  const parent = FS();
  const nfs = new FuncState(ls, parent.dyd);
  const bl = new BlockCnt();
  const pidx = parent.p.length;
  parent.p.push(0);                                   // addprototype
  nfs.linedefined = line;
  open_func(ls, nfs, bl);
  checknext(ls, 40);
  if (ismethod) {
    new_localvar(ls, nfs, s_self);
    adjustlocalvars(nfs, 1);
  }
  parlist(ls);
  checknext(ls, 41);
  statlist(ls);
  nfs.lastlinedefined = ls.linenumber;
  check_match(ls, TK.END, TK.FUNCTION, line);
  init_exp(e, VK.RELOC, luaK_codeABx(parent, OP.CLOSURE, 0, pidx));   // codeclosure
  luaK_exp2nextreg(parent, e);
  const p = close_func(ls);
  if (pidx < parent.p.length) parent.p[pidx] = p;
}

function explist(ls: LexState, v: Expdesc): i32 {
  // explist -> expr { ',' expr }
  let n = 1;
  expr(ls, v);
  while (testnext(ls, 44)) {
    luaK_exp2nextreg(FS(), v);
    expr(ls, v);
    n++;
  }
  return n;
}

function funcargs(ls: LexState, f: Expdesc): void {
  const fs = FS();
  const line = ls.linenumber;                         // 5.4.8: the call's line is that of its arguments
  const args = new Expdesc();
  switch (ls.t.token) {
    case 40: {                                        // funcargs -> '(' [ explist ] ')'
      luaX_next(ls);
      if (ls.t.token == 41) args.k = VK.VOID;
      else {
        explist(ls, args);
        if (hasmultret(args.k)) luaK_setmultret(fs, args);
      }
      check_match(ls, 41, 40, line);
      break;
    }
    case 123: constructor(ls, args); break;           // funcargs -> constructor
    case TK.STRING: codestring(args, ls.t.ts); luaX_next(ls); break;   // funcargs -> STRING
    default: luaX_syntaxerror(ls, "function arguments expected");
  }
  const base = f.info;
  let nparams: i32;
  if (hasmultret(args.k)) nparams = LUA_MULTRET;
  else {
    if (args.k != VK.VOID) luaK_exp2nextreg(fs, args);
    nparams = fs.freereg - (base + 1);
  }
  init_exp(f, VK.CALL, luaK_codeABC(fs, OP.CALL, base, nparams + 1, 2));
  luaK_fixline(fs, line);
  fs.freereg = base + 1;
}

// ==== Grammar: expressions ====

function primaryexp(ls: LexState, v: Expdesc): void {
  // primaryexp -> NAME | '(' expr ')'
  if (ls.t.token == 40) {
    const line = ls.linenumber;
    luaX_next(ls);
    expr(ls, v);
    check_match(ls, 41, 40, line);
    luaK_dischargevars(FS(), v);
  } else if (ls.t.token == TK.NAME) singlevar(ls, v);
  else { luaX_syntaxerror(ls, "unexpected symbol"); init_exp(v, VK.NIL, 0); }
}

function suffixedexp(ls: LexState, v: Expdesc): void {
  // suffixedexp -> primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }
  const fs = FS();
  primaryexp(ls, v);
  for (;;) {
    switch (ls.t.token) {
      case 46: fieldsel(ls, v); break;
      case 91: {
        const key = new Expdesc();
        luaK_exp2anyregup(fs, v);
        yindex(ls, key);
        luaK_indexed(fs, v, key);
        break;
      }
      case 58: {
        const key = new Expdesc();
        luaX_next(ls);
        codename(ls, key);
        luaK_self(fs, v, key);
        funcargs(ls, v);
        break;
      }
      case 40: case TK.STRING: case 123:
        luaK_exp2nextreg(fs, v);
        funcargs(ls, v);
        break;
      default: return;
    }
  }
}

function simpleexp(ls: LexState, v: Expdesc): void {
  // simpleexp -> FLT | INT | STRING | NIL | TRUE | FALSE | ... | constructor | FUNCTION body | suffixedexp
  switch (ls.t.token) {
    case TK.FLT: init_exp(v, VK.KFLT, 0); v.nval = ls.t.r; break;
    case TK.INT: init_exp(v, VK.KINT, 0); v.ival = ls.t.i; break;
    case TK.STRING: codestring(v, ls.t.ts); break;
    case TK.NIL: init_exp(v, VK.NIL, 0); break;
    case TK.TRUE: init_exp(v, VK.TRUE, 0); break;
    case TK.FALSE: init_exp(v, VK.FALSE, 0); break;
    case TK.DOTS: {
      const fs = FS();
      check_condition(ls, fs.is_vararg, "cannot use '...' outside a vararg function");
      init_exp(v, VK.VARARG, luaK_codeABC(fs, OP.VARARG, 0, 0, 1));
      break;
    }
    case 123: constructor(ls, v); return;
    case TK.FUNCTION: luaX_next(ls); body(ls, v, false, ls.linenumber); return;
    default: suffixedexp(ls, v); return;
  }
  luaX_next(ls);
}

function getunopr(op: i32): i32 {
  switch (op) {
    case TK.NOT: return UOPR.NOT;
    case 45: return UOPR.MINUS;
    case 126: return UOPR.BNOT;
    case 35: return UOPR.LEN;
    default: return UOPR.NOUNOPR;
  }
}

function getbinopr(op: i32): i32 {
  switch (op) {
    case 43: return OPR.ADD;
    case 45: return OPR.SUB;
    case 42: return OPR.MUL;
    case 37: return OPR.MOD;
    case 94: return OPR.POW;
    case 47: return OPR.DIV;
    case TK.IDIV: return OPR.IDIV;
    case 38: return OPR.BAND;
    case 124: return OPR.BOR;
    case 126: return OPR.BXOR;
    case TK.SHL: return OPR.SHL;
    case TK.SHR: return OPR.SHR;
    case TK.CONCAT: return OPR.CONCAT;
    case TK.NE: return OPR.NE;
    case TK.EQ: return OPR.EQ;
    case 60: return OPR.LT;
    case TK.LE: return OPR.LE;
    case 62: return OPR.GT;
    case TK.GE: return OPR.GE;
    case TK.AND: return OPR.AND;
    case TK.OR: return OPR.OR;
    default: return OPR.NOBINOPR;
  }
}

// Left and right priority of each binary operator (ORDER OPR)
const leftprio: StaticArray<i32> = [10, 10, 11, 11, 14, 11, 11, 6, 4, 5, 7, 7, 9, 3, 3, 3, 3, 3, 3, 2, 1];
const rightprio: StaticArray<i32> = [10, 10, 11, 11, 13, 11, 11, 6, 4, 5, 7, 7, 8, 3, 3, 3, 3, 3, 3, 2, 1];
const UNARY_PRIORITY: i32 = 12;

function subexpr(ls: LexState, v: Expdesc, limit: i32): i32 {
  // subexpr -> (simpleexp | unop subexpr) { binop subexpr }
  enterlevel(ls);
  const uop = getunopr(ls.t.token);
  if (uop != UOPR.NOUNOPR) {
    const line = ls.linenumber;
    luaX_next(ls);
    subexpr(ls, v, UNARY_PRIORITY);
    luaK_prefix(FS(), uop, v, line);
  } else simpleexp(ls, v);
  let op = getbinopr(ls.t.token);
  while (op != OPR.NOBINOPR && leftprio[op] > limit) {
    const v2 = new Expdesc();
    const line = ls.linenumber;
    luaX_next(ls);
    luaK_infix(FS(), op, v);
    const nextop = subexpr(ls, v2, rightprio[op]);
    luaK_posfix(FS(), op, v, v2, line);
    op = nextop;
  }
  leavelevel(ls);
  return op;
}

function expr(ls: LexState, v: Expdesc): void {
  // expr -> subexpr
  subexpr(ls, v, 0);
}

// ==== Grammar: statements ====

function block(ls: LexState): void {
  // block -> statlist
  const fs = FS();
  const bl = new BlockCnt();
  enterblock(fs, bl, false);
  statlist(ls);
  leaveblock(fs);
}

class LHS_assign {
  prev: LHS_assign | null = null;
  v: Expdesc = new Expdesc();
}

/** Protects earlier table/index registers of a multiple assignment that v overwrites (check_conflict). */
function check_conflict(ls: LexState, first: LHS_assign, v: Expdesc): void {
  const fs = FS();
  const extra = fs.freereg;
  let conflict = false;
  let lh: LHS_assign | null = first;
  while (lh != null) {
    const lv = lh.v;
    lh = lh.prev;
    if (vkisindexed(lv.k)) {
      if (lv.k == VK.INDEXUP) {
        if (v.k == VK.UPVAL && lv.ind_t == v.info) {
          conflict = true;
          lv.k = VK.INDEXSTR;
          lv.ind_t = extra;
        }
      } else {
        if (v.k == VK.LOCAL && lv.ind_t == v.ridx) { conflict = true; lv.ind_t = extra; }
        if (lv.k == VK.INDEXED && v.k == VK.LOCAL && lv.ind_idx == v.ridx) { conflict = true; lv.ind_idx = extra; }
      }
    }
  }
  if (conflict) {
    if (v.k == VK.LOCAL) luaK_codeABC(fs, OP.MOVE, extra, v.ridx, 0);
    else luaK_codeABC(fs, OP.GETUPVAL, extra, v.info, 0);
    luaK_reserveregs(fs, 1);
  }
}

function restassign(ls: LexState, lh: LHS_assign, nvars: i32): void {
  // restassign -> ',' suffixedexp restassign | '=' explist
  const e = new Expdesc();
  check_condition(ls, vkisvar(lh.v.k), "syntax error");
  check_readonly(ls, lh.v);
  if (testnext(ls, 44)) {
    const nv = new LHS_assign();
    nv.prev = lh;
    suffixedexp(ls, nv.v);
    if (!vkisindexed(nv.v.k)) check_conflict(ls, lh, nv.v);
    enterlevel(ls);
    restassign(ls, nv, nvars + 1);
    leavelevel(ls);
  } else {
    checknext(ls, 61);
    const nexps = explist(ls, e);
    if (nexps != nvars) adjust_assign(ls, nvars, nexps, e);
    else {
      luaK_setoneret(FS(), e);
      luaK_storevar(FS(), lh.v, e);
      return;
    }
  }
  init_exp(e, VK.NONRELOC, FS().freereg - 1);
  luaK_storevar(FS(), lh.v, e);
}

function cond(ls: LexState): i32 {
  // cond -> exp
  const v = new Expdesc();
  expr(ls, v);
  if (v.k == VK.NIL) v.k = VK.FALSE;
  luaK_goiftrue(FS(), v);
  return v.f;
}

function gotostat(ls: LexState): void {
  // stat -> 'goto' NAME
  const fs = FS();
  const line = ls.linenumber;
  const name = str_checkname(ls);
  const lb = findlabel(fs, name);
  if (lb == null) newgotoentry(fs, name, line, luaK_jump(fs));   // forward jump
  else {                                                          // backward jump
    const lblevel = reglevel(fs, lb.nactvar);
    if (luaY_nvarstack(fs) > lblevel) luaK_codeABC(fs, OP.CLOSE, lblevel, 0, 0);
    luaK_patchlist(fs, luaK_jump(fs), lb.pc);
  }
}

function breakstat(ls: LexState): void {
  // stat -> BREAK
  const line = ls.linenumber;
  luaX_next(ls);
  newgotoentry(FS(), FS().dyd.breakname, line, luaK_jump(FS()));
}

function checkrepeated(ls: LexState, name: usize): void {
  const lb = findlabel(FS(), name);
  if (lb != null) {
    if (!msg_begin(ls)) return;
    buf_addstr(ls.msg, "label '"); addts(ls, name);
    buf_addstr(ls.msg, "' already defined on line "); buf_addint(ls.msg, lb.line);
    semerror_msg(ls);
  }
}

function labelstat(ls: LexState, name: usize, line: i32): void {
  // label -> '::' NAME '::'
  checknext(ls, TK.DBCOLON);
  while (ls.t.token == 59 || ls.t.token == TK.DBCOLON) statement(ls);   // skip other no-op statements
  checkrepeated(ls, name);
  createlabel(FS(), name, line, block_follow(ls, false));
}

function whilestat(ls: LexState, line: i32): void {
  // whilestat -> WHILE cond DO block END
  const fs = FS();
  const bl = new BlockCnt();
  luaX_next(ls);
  const whileinit = luaK_getlabel(fs);
  const condexit = cond(ls);
  enterblock(fs, bl, true);
  checknext(ls, TK.DO);
  block(ls);
  luaK_jumpto(fs, whileinit);
  check_match(ls, TK.END, TK.WHILE, line);
  leaveblock(fs);
  luaK_patchtohere(fs, condexit);
}

function repeatstat(ls: LexState, line: i32): void {
  // repeatstat -> REPEAT block UNTIL cond
  const fs = FS();
  const repeat_init = luaK_getlabel(fs);
  const bl1 = new BlockCnt(), bl2 = new BlockCnt();
  enterblock(fs, bl1, true);
  enterblock(fs, bl2, false);
  luaX_next(ls);
  statlist(ls);
  check_match(ls, TK.UNTIL, TK.REPEAT, line);
  let condexit = cond(ls);                            // read condition inside the scope block
  leaveblock(fs);
  if (bl2.upval) {                                    // upvalues: repetition must close them
    const exit = luaK_jump(fs);
    luaK_patchtohere(fs, condexit);
    luaK_codeABC(fs, OP.CLOSE, reglevel(fs, bl2.nactvar), 0, 0);
    condexit = luaK_jump(fs);
    luaK_patchtohere(fs, exit);
  }
  luaK_patchlist(fs, condexit, repeat_init);
  leaveblock(fs);
}

function exp1(ls: LexState): void {
  const e = new Expdesc();
  expr(ls, e);
  luaK_exp2nextreg(FS(), e);
}

function fixforjump(fs: FuncState, pc: i32, dest: i32, back: bool): void {
  let offset = dest - (pc + 1);
  if (back) offset = -offset;
  if (offset > MAXARG_Bx) { luaX_syntaxerror(fs.ls, "control structure too long"); return; }
  setcode(fs, pc, SETARG_Bx(getcode(fs, pc), offset));
}

function forbody(ls: LexState, base: i32, line: i32, nvars: i32, isgen: bool): void {
  // forbody -> DO block
  const fs = FS();
  const bl = new BlockCnt();
  checknext(ls, TK.DO);
  const prep = luaK_codeABx(fs, isgen ? OP.TFORPREP : OP.FORPREP, base, 0);
  enterblock(fs, bl, false);
  adjustlocalvars(fs, nvars);
  luaK_reserveregs(fs, nvars);
  block(ls);
  leaveblock(fs);
  fixforjump(fs, prep, luaK_getlabel(fs), false);
  if (isgen) {
    luaK_codeABC(fs, OP.TFORCALL, base, 0, nvars);
    luaK_fixline(fs, line);
  }
  const endfor = luaK_codeABx(fs, isgen ? OP.TFORLOOP : OP.FORLOOP, base, 0);
  fixforjump(fs, endfor, prep + 1, true);
  luaK_fixline(fs, line);
}

function fornum(ls: LexState, varname: usize, line: i32): void {
  // fornum -> NAME = exp,exp[,exp] forbody
  const fs = FS();
  const base = fs.freereg;
  const st = s_forstate;
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, varname);
  checknext(ls, 61);
  exp1(ls);
  checknext(ls, 44);
  exp1(ls);
  if (testnext(ls, 44)) exp1(ls);
  else {
    luaK_int(fs, fs.freereg, 1);
    luaK_reserveregs(fs, 1);
  }
  adjustlocalvars(fs, 3);
  forbody(ls, base, line, 1, false);
}

function forlist(ls: LexState, indexname: usize): void {
  // forlist -> NAME {,NAME} IN explist forbody
  const fs = FS();
  const e = new Expdesc();
  let nvars = 5;                                      // gen, state, control, toclose, indexname
  const base = fs.freereg;
  const st = s_forstate;
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, st);
  new_localvar(ls, fs, indexname);
  while (testnext(ls, 44)) {
    new_localvar(ls, fs, str_checkname(ls));
    nvars++;
  }
  checknext(ls, TK.IN);
  const line = ls.linenumber;
  adjust_assign(ls, 4, explist(ls, e), e);
  adjustlocalvars(fs, 4);
  marktobeclosed(fs);
  luaK_checkstack(fs, 3);
  forbody(ls, base, line, nvars - 4, true);
}

function forstat(ls: LexState, line: i32): void {
  // forstat -> FOR (fornum | forlist) END
  const fs = FS();
  const bl = new BlockCnt();
  enterblock(fs, bl, true);
  luaX_next(ls);
  const varname = str_checkname(ls);
  switch (ls.t.token) {
    case 61: fornum(ls, varname, line); break;
    case 44: case TK.IN: forlist(ls, varname); break;
    default: luaX_syntaxerror(ls, "'=' or 'in' expected");
  }
  check_match(ls, TK.END, TK.FOR, line);
  leaveblock(fs);
}

/** test_then_block -> [IF | ELSEIF] cond THEN block; returns the updated escape list. */
function test_then_block(ls: LexState, escapelist: i32): i32 {
  const fs = FS();
  const bl = new BlockCnt();
  const v = new Expdesc();
  let jf: i32;
  luaX_next(ls);
  expr(ls, v);
  checknext(ls, TK.THEN);
  if (ls.t.token == TK.BREAK) {                       // 'if x then break'
    const line = ls.linenumber;
    luaK_goiffalse(fs, v);
    luaX_next(ls);
    enterblock(fs, bl, false);
    newgotoentry(fs, fs.dyd.breakname, line, v.t);
    while (testnext(ls, 59)) {}
    if (block_follow(ls, false)) { leaveblock(fs); return escapelist; }
    jf = luaK_jump(fs);
  } else {
    luaK_goiftrue(fs, v);
    enterblock(fs, bl, false);
    jf = v.f;
  }
  statlist(ls);
  leaveblock(fs);
  if (ls.t.token == TK.ELSE || ls.t.token == TK.ELSEIF) escapelist = luaK_concat(fs, escapelist, luaK_jump(fs));
  luaK_patchtohere(fs, jf);
  return escapelist;
}

function ifstat(ls: LexState, line: i32): void {
  // ifstat -> IF cond THEN block {ELSEIF cond THEN block} [ELSE block] END
  const fs = FS();
  let escapelist = test_then_block(ls, NO_JUMP);
  while (ls.t.token == TK.ELSEIF) escapelist = test_then_block(ls, escapelist);
  if (testnext(ls, TK.ELSE)) block(ls);
  check_match(ls, TK.END, TK.IF, line);
  luaK_patchtohere(fs, escapelist);
}

function localfunc(ls: LexState): void {
  // stat -> LOCAL FUNCTION NAME body
  const b = new Expdesc();
  const fs = FS();
  const fvar = fs.nactvar;
  new_localvar(ls, fs, str_checkname(ls));
  adjustlocalvars(fs, 1);
  body(ls, b, false, ls.linenumber);
  const lv = localdebuginfo(fs, fvar);                // debug info sees the variable only now
  if (lv) lv.startpc = fs.pc;
}

function getlocalattribute(ls: LexState): i32 {
  // ATTRIB -> ['<' Name '>']
  if (testnext(ls, 60)) {
    const attr = str_checkname(ls);
    checknext(ls, 62);
    if (attr == s_const) return RDKCONST;
    if (attr == s_close) return RDKTOCLOSE;
    if (!msg_begin(ls)) return VDKREG;
    buf_addstr(ls.msg, "unknown attribute '"); addts(ls, attr); buf_addstr(ls.msg, "'");
    semerror_msg(ls);
  }
  return VDKREG;
}

function checktoclose(fs: FuncState, level: i32): void {
  if (level != -1) {
    marktobeclosed(fs);
    luaK_codeABC(fs, OP.TBC, reglevel(fs, level), 0, 0);
  }
}

function localstat(ls: LexState): void {
  // stat -> LOCAL NAME ATTRIB { ',' NAME ATTRIB } ['=' explist]
  const fs = FS();
  let toclose = -1;
  let vidx = 0;
  let nvars = 0;
  let nexps: i32;
  const e = new Expdesc();
  do {
    vidx = new_localvar(ls, fs, str_checkname(ls));
    const kind = getlocalattribute(ls);
    getlocalvardesc(fs, vidx).kind = kind;
    if (kind == RDKTOCLOSE) {
      if (toclose != -1) {
        fs.ls.t.token = 0;
        luaX_syntaxerror(ls, "multiple to-be-closed variables in local list");
      }
      toclose = fs.nactvar + nvars;
    }
    nvars++;
  } while (testnext(ls, 44));
  if (testnext(ls, 61)) nexps = explist(ls, e);
  else { e.k = VK.VOID; nexps = 0; }
  const v = getlocalvardesc(fs, vidx);
  if (nvars == nexps && v.kind == RDKCONST && luaK_exp2const(fs, e, v.k)) {
    v.kind = RDKCTC;                                  // compile-time constant
    adjustlocalvars(fs, nvars - 1);
    fs.nactvar++;
  } else {
    adjust_assign(ls, nvars, nexps, e);
    adjustlocalvars(fs, nvars);
  }
  checktoclose(fs, toclose);
}

function funcname(ls: LexState, v: Expdesc): bool {
  // funcname -> NAME {fieldsel} [':' NAME]
  let ismethod = false;
  singlevar(ls, v);
  while (ls.t.token == 46) fieldsel(ls, v);
  if (ls.t.token == 58) { ismethod = true; fieldsel(ls, v); }
  return ismethod;
}

function funcstat(ls: LexState, line: i32): void {
  // funcstat -> FUNCTION funcname body
  const v = new Expdesc(), b = new Expdesc();
  luaX_next(ls);
  const ismethod = funcname(ls, v);
  body(ls, b, ismethod, line);
  check_readonly(ls, v);
  luaK_storevar(FS(), v, b);
  luaK_fixline(FS(), line);                           // definition "happens" in the first line
}

function exprstat(ls: LexState): void {
  // stat -> func | assignment
  const fs = FS();
  const v = new LHS_assign();
  suffixedexp(ls, v.v);
  if (ls.t.token == 61 || ls.t.token == 44) {
    v.prev = null;
    restassign(ls, v, 1);
  } else {
    check_condition(ls, v.v.k == VK.CALL, "syntax error");
    if (v.v.k == VK.CALL) setcode(fs, v.v.info, SETARG_C(getcode(fs, v.v.info), 1));
  }
}

function retstat(ls: LexState): void {
  // stat -> RETURN [explist] [';']
  const fs = FS();
  const e = new Expdesc();
  let nret: i32;
  let first = luaY_nvarstack(fs);
  if (block_follow(ls, true) || ls.t.token == 59) nret = 0;
  else {
    nret = explist(ls, e);
    if (hasmultret(e.k)) {
      luaK_setmultret(fs, e);
      if (e.k == VK.CALL && nret == 1 && !(fs.bl != null && fs.bl!.insidetbc)) {   // tail call
        setcode(fs, e.info, SET_OPCODE(getcode(fs, e.info), OP.TAILCALL));
      }
      nret = LUA_MULTRET;
    } else if (nret == 1) first = luaK_exp2anyreg(fs, e);
    else luaK_exp2nextreg(fs, e);
  }
  luaK_ret(fs, first, nret);
  testnext(ls, 59);
}

function statement(ls: LexState): void {
  const line = ls.linenumber;
  enterlevel(ls);
  switch (ls.t.token) {
    case 59: luaX_next(ls); break;                    // stat -> ';'
    case TK.IF: ifstat(ls, line); break;
    case TK.WHILE: whilestat(ls, line); break;
    case TK.DO:                                       // stat -> DO block END
      luaX_next(ls);
      block(ls);
      check_match(ls, TK.END, TK.DO, line);
      break;
    case TK.FOR: forstat(ls, line); break;
    case TK.REPEAT: repeatstat(ls, line); break;
    case TK.FUNCTION: funcstat(ls, line); break;
    case TK.LOCAL:
      luaX_next(ls);
      if (testnext(ls, TK.FUNCTION)) localfunc(ls);
      else localstat(ls);
      break;
    case TK.DBCOLON:
      luaX_next(ls);
      labelstat(ls, str_checkname(ls), line);
      break;
    case TK.RETURN: luaX_next(ls); retstat(ls); break;
    case TK.BREAK: breakstat(ls); break;
    case TK.GOTO: luaX_next(ls); gotostat(ls); break;
    default: exprstat(ls); break;
  }
  const fs = FS();
  fs.freereg = luaY_nvarstack(fs);
  leavelevel(ls);
}

// ==== Entry point ====

function mainfunc(ls: LexState, fs: FuncState): usize {
  const bl = new BlockCnt();
  open_func(ls, fs, bl);
  setvararg(fs, 0);                                   // main function is always vararg
  const env = allocupvalue(fs);
  env.instack = 1; env.idx = 0; env.kind = VDKREG; env.name = ls.envn;
  luaX_next(ls);
  statlist(ls);
  check(ls, TK.EOS);
  return close_func(ls);
}

/**
 * Compiles the chunk of `len` bytes at `src`; `chunkname` is a TString ("=input", "@file.lua" or the
 * source text). Returns the main Proto, or 0 with the message in `compile_error`.
 */
export function luaY_parser(src: usize, len: i32, chunkname: usize): usize {
  luaX_init();
  luaX_fixnames();
  const ls = new LexState();
  const dyd = new Dyndata();
  dyd.breakname = s_break;
  ls.nCcalls = luaY_ccallsbase;                       // the caller's own levels
  luaX_setinput(ls, src, len, chunkname);
  const fs = new FuncState(ls, dyd);
  curfs = null;
  const p = mainfunc(ls, fs);
  curfs = null;
  const err = ls.errmsg;
  ls.dispose();
  if (err != 0) { compile_error = err; return 0; }
  compile_error = 0;
  return p;
}

// ==== Compiler scratch memory ====

/** Source bytes compiled since the managed scratch heap was last collected. */
let scratchbytes: i32 = 0;
let scratchcompiles: i32 = 0;

/**
 * Called after each compile: frees the compiler's managed scratch objects (AssemblyScript's own
 * collector, `--runtime minimal`) once enough has accumulated, instead of after every compile
 * (a full __collect costs a few microseconds, which dominated `eval("return 42")`). Must only be
 * called where no managed object is live on the wasm stack (the compiler has returned).
 */
export function luaY_releasescratch(srclen: i32): void {
  scratchbytes += srclen;
  if (++scratchcompiles >= 64 || scratchbytes >= 256 * 1024) {
    __collect();
    scratchbytes = 0;
    scratchcompiles = 0;
  }
}
