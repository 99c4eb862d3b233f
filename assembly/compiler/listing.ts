// listing.ts - disassembler writing `luac -l -l` style text for a prototype tree (luac.c PrintFunction).
// Invariant: read-only over the Proto: the same header, operand columns, `; comments` and
// constants/locals/upvalues sections as luac5.4, so listings diff against the reference compiler
// (only the 0x... addresses differ).

import { Buffer, buf_addbyte, buf_addbytes, buf_addstr, buf_addint } from "../mem/buffer";
import {
  OP, opnames, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_sBx,
  GETARG_Ax, GETARG_sB, GETARG_sC, GETARG_sJ, MAXARG_C,
} from "../vm/opcodes";
import {
  p_numparams, p_isvararg, p_maxstacksize, p_sizeupvalues, p_sizek, p_sizecode, p_sizep,
  p_sizelocvars, p_linedefined, p_lastlinedefined, p_k, p_code, p_proto, p_lineinfo, p_source,
  upvaldesc, uvd_name, uvd_instack, uvd_idx, locvar, lv_name, lv_startpc, lv_endpc,
} from "../object/func";
import { getstr, tsslen } from "../object/string";
import { luaO_tostringbuff } from "../object/number";
import { MAXNUMBER2STR } from "../luaconf";
import {
  rawtt, ivalue, tsvalue, tvat, LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT,
  LUA_VSHRSTR, LUA_VLNGSTR,
} from "../object/value";

const NUMBUF: usize = memory.data(MAXNUMBER2STR, 8);

const eventnames: string[] = [   // ORDER TM
  "__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__add", "__sub", "__mul", "__mod",
  "__pow", "__div", "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__unm", "__bnot",
  "__lt", "__le", "__concat", "__call", "__close",
];

function addptr(b: Buffer, p: usize): void {
  buf_addstr(b, "0x");
  const hex = "0123456789abcdef";
  let started = false;
  for (let sh = 28; sh >= 0; sh -= 4) {
    const d = <i32>((p >> <usize>sh) & 15);
    if (d != 0 || started || sh == 0) { started = true; buf_addbyte(b, hex.charCodeAt(d)); }
  }
}

/** C-string view of a TString (stops at an embedded zero, as printf "%s"). */
function addcstr(b: Buffer, ts: usize): void {
  let n = tsslen(ts);
  const s = getstr(ts);
  for (let i = 0; i < n; i++) if (load<u8>(s + <usize>i) == 0) { n = i; break; }
  buf_addbytes(b, s, n);
}

function addpad(b: Buffer, s: string, width: i32): void {
  buf_addstr(b, s);
  for (let i = s.length; i < width; i++) buf_addbyte(b, 32);
}

// ==== Constants ====

function printstring(b: Buffer, ts: usize): void {
  const s = getstr(ts), n = tsslen(ts);
  buf_addbyte(b, 34);
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(s + <usize>i);
    switch (c) {
      case 34: buf_addstr(b, "\\\""); break;
      case 92: buf_addstr(b, "\\\\"); break;
      case 7: buf_addstr(b, "\\a"); break;
      case 8: buf_addstr(b, "\\b"); break;
      case 12: buf_addstr(b, "\\f"); break;
      case 10: buf_addstr(b, "\\n"); break;
      case 13: buf_addstr(b, "\\r"); break;
      case 9: buf_addstr(b, "\\t"); break;
      case 11: buf_addstr(b, "\\v"); break;
      default:
        if (c >= 32 && c < 127) buf_addbyte(b, c);
        else {
          buf_addbyte(b, 92);
          buf_addbyte(b, 48 + c / 100); buf_addbyte(b, 48 + (c / 10) % 10); buf_addbyte(b, 48 + c % 10);
        }
    }
  }
  buf_addbyte(b, 34);
}

function printconstant(b: Buffer, f: usize, i: i32): void {
  if (i < 0 || i >= p_sizek(f)) { buf_addstr(b, "?"); return; }
  const o = tvat(p_k(f), i);
  const tt = rawtt(o) & 0x3F | (rawtt(o) & 0x40);
  if (tt == LUA_VNIL) buf_addstr(b, "nil");
  else if (tt == LUA_VFALSE) buf_addstr(b, "false");
  else if (tt == LUA_VTRUE) buf_addstr(b, "true");
  else if (tt == LUA_VNUMFLT) {
    buf_addbytes(b, NUMBUF, luaO_tostringbuff(o, NUMBUF));   // "%.14g", ".0" when it looks integral
  } else if (tt == LUA_VNUMINT) buf_addint(b, ivalue(o));
  else if (tt == LUA_VSHRSTR || tt == LUA_VLNGSTR) printstring(b, tsvalue(o));
  else { buf_addstr(b, "?"); buf_addint(b, tt); }
}

function printtype(b: Buffer, f: usize, i: i32): void {
  const tt = rawtt(tvat(p_k(f), i));
  if (tt == LUA_VNIL) buf_addstr(b, "N");
  else if (tt == LUA_VFALSE || tt == LUA_VTRUE) buf_addstr(b, "B");
  else if (tt == LUA_VNUMFLT) buf_addstr(b, "F");
  else if (tt == LUA_VNUMINT) buf_addstr(b, "I");
  else if (tt == LUA_VSHRSTR || tt == LUA_VLNGSTR) buf_addstr(b, "S");
  else { buf_addstr(b, "?"); buf_addint(b, tt); }
  buf_addbyte(b, 9);
}

function upvalname(b: Buffer, f: usize, i: i32): void {
  if (i < 0 || i >= p_sizeupvalues(f)) { buf_addstr(b, "-"); return; }
  const n = uvd_name(upvaldesc(f, i));
  if (n == 0) buf_addstr(b, "-"); else addcstr(b, n);
}

// ==== Code ====

function ints(b: Buffer, a: i32, x: i32): void { buf_addint(b, a); buf_addbyte(b, 32); buf_addint(b, x); }
function ints3(b: Buffer, a: i32, x: i32, y: i32): void { ints(b, a, x); buf_addbyte(b, 32); buf_addint(b, y); }
function isk(b: Buffer, k: i32): void { if (k) buf_addbyte(b, 107); }
function comment(b: Buffer): void { buf_addstr(b, "\t; "); }

function printcode(b: Buffer, f: usize): void {
  const code = p_code(f), n = p_sizecode(f), li = p_lineinfo(f);
  for (let pc = 0; pc < n; pc++) {
    const i = load<u32>(code + (<usize>pc << 2));
    const o = GET_OPCODE(i);
    const a = GETARG_A(i), bb = GETARG_B(i), c = GETARG_C(i), k = GETARG_k(i);
    const bx = GETARG_Bx(i), sbx = GETARG_sBx(i), sb = GETARG_sB(i), sc = GETARG_sC(i);
    const line = li != 0 ? load<i32>(li + (<usize>pc << 2)) : 0;
    buf_addbyte(b, 9); buf_addint(b, pc + 1); buf_addbyte(b, 9);
    if (line > 0) { buf_addbyte(b, 91); buf_addint(b, line); buf_addstr(b, "]\t"); }
    else buf_addstr(b, "[-]\t");
    if (o < 83) addpad(b, opnames[o], 9); else addpad(b, "?", 9);
    buf_addbyte(b, 9);
    const extra = pc + 1 < n ? GETARG_Ax(load<u32>(code + (<usize>(pc + 1) << 2))) : 0;
    switch (o) {
      case OP.MOVE: ints(b, a, bb); break;
      case OP.LOADI: case OP.LOADF: ints(b, a, sbx); break;
      case OP.LOADK: ints(b, a, bx); comment(b); printconstant(b, f, bx); break;
      case OP.LOADKX: buf_addint(b, a); comment(b); printconstant(b, f, extra); break;
      case OP.LOADFALSE: case OP.LFALSESKIP: case OP.LOADTRUE: buf_addint(b, a); break;
      case OP.LOADNIL: ints(b, a, bb); comment(b); buf_addint(b, bb + 1); buf_addstr(b, " out"); break;
      case OP.GETUPVAL: case OP.SETUPVAL: ints(b, a, bb); comment(b); upvalname(b, f, bb); break;
      case OP.GETTABUP:
        ints3(b, a, bb, c); comment(b); upvalname(b, f, bb); buf_addbyte(b, 32); printconstant(b, f, c); break;
      case OP.GETTABLE: case OP.GETI: ints3(b, a, bb, c); break;
      case OP.GETFIELD: ints3(b, a, bb, c); comment(b); printconstant(b, f, c); break;
      case OP.SETTABUP:
        ints3(b, a, bb, c); isk(b, k); comment(b); upvalname(b, f, a); buf_addbyte(b, 32);
        printconstant(b, f, bb);
        if (k) { buf_addbyte(b, 32); printconstant(b, f, c); }
        break;
      case OP.SETTABLE: case OP.SETI: case OP.SELF:
        ints3(b, a, bb, c); isk(b, k);
        if (k) { comment(b); printconstant(b, f, c); }
        break;
      case OP.SETFIELD:
        ints3(b, a, bb, c); isk(b, k); comment(b); printconstant(b, f, bb);
        if (k) { buf_addbyte(b, 32); printconstant(b, f, c); }
        break;
      case OP.NEWTABLE: ints3(b, a, bb, c); comment(b); buf_addint(b, c + extra * (MAXARG_C + 1)); break;
      case OP.ADDI: case OP.SHRI: case OP.SHLI: ints3(b, a, bb, sc); break;
      case OP.ADDK: case OP.SUBK: case OP.MULK: case OP.MODK: case OP.POWK: case OP.DIVK: case OP.IDIVK:
      case OP.BANDK: case OP.BORK: case OP.BXORK:
        ints3(b, a, bb, c); comment(b); printconstant(b, f, c); break;
      case OP.ADD: case OP.SUB: case OP.MUL: case OP.MOD: case OP.POW: case OP.DIV: case OP.IDIV:
      case OP.BAND: case OP.BOR: case OP.BXOR: case OP.SHL: case OP.SHR:
        ints3(b, a, bb, c); break;
      case OP.MMBIN: ints3(b, a, bb, c); comment(b); buf_addstr(b, c < 25 ? eventnames[c] : "?"); break;
      case OP.MMBINI:
        ints3(b, a, sb, c); buf_addbyte(b, 32); buf_addint(b, k); comment(b);
        buf_addstr(b, c < 25 ? eventnames[c] : "?");
        if (k) buf_addstr(b, " flip");
        break;
      case OP.MMBINK:
        ints3(b, a, bb, c); buf_addbyte(b, 32); buf_addint(b, k); comment(b);
        buf_addstr(b, c < 25 ? eventnames[c] : "?"); buf_addbyte(b, 32); printconstant(b, f, bb);
        if (k) buf_addstr(b, " flip");
        break;
      case OP.UNM: case OP.BNOT: case OP.NOT: case OP.LEN: case OP.CONCAT: ints(b, a, bb); break;
      case OP.CLOSE: case OP.TBC: case OP.RETURN1: case OP.VARARGPREP: buf_addint(b, a); break;
      case OP.JMP: {
        const sj = GETARG_sJ(i);
        buf_addint(b, sj); comment(b); buf_addstr(b, "to "); buf_addint(b, sj + pc + 2);
        break;
      }
      case OP.EQ: case OP.LT: case OP.LE: ints3(b, a, bb, k); break;
      case OP.EQK: ints3(b, a, bb, k); comment(b); printconstant(b, f, bb); break;
      case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI: ints3(b, a, sb, k); break;
      case OP.TEST: ints(b, a, k); break;
      case OP.TESTSET: ints3(b, a, bb, k); break;
      case OP.CALL:
        ints3(b, a, bb, c); comment(b);
        if (bb == 0) buf_addstr(b, "all in "); else { buf_addint(b, bb - 1); buf_addstr(b, " in "); }
        if (c == 0) buf_addstr(b, "all out"); else { buf_addint(b, c - 1); buf_addstr(b, " out"); }
        break;
      case OP.TAILCALL:
        ints3(b, a, bb, c); isk(b, k); comment(b); buf_addint(b, bb - 1); buf_addstr(b, " in"); break;
      case OP.RETURN:
        ints3(b, a, bb, c); isk(b, k); comment(b);
        if (bb == 0) buf_addstr(b, "all out"); else { buf_addint(b, bb - 1); buf_addstr(b, " out"); }
        break;
      case OP.RETURN0: break;
      case OP.FORLOOP: case OP.TFORLOOP:
        ints(b, a, bx); comment(b); buf_addstr(b, "to "); buf_addint(b, pc - bx + 2); break;
      case OP.FORPREP: ints(b, a, bx); comment(b); buf_addstr(b, "exit to "); buf_addint(b, pc + bx + 3); break;
      case OP.TFORPREP: ints(b, a, bx); comment(b); buf_addstr(b, "to "); buf_addint(b, pc + bx + 2); break;
      case OP.TFORCALL: ints(b, a, c); break;
      case OP.SETLIST:
        ints3(b, a, bb, c);
        if (k) { comment(b); buf_addint(b, c + extra * (MAXARG_C + 1)); }
        break;
      case OP.CLOSURE:
        ints(b, a, bx); comment(b);
        addptr(b, bx < p_sizep(f) ? p_proto(f, bx) : 0);
        break;
      case OP.VARARG:
        ints(b, a, c); comment(b);
        if (c == 0) buf_addstr(b, "all out"); else { buf_addint(b, c - 1); buf_addstr(b, " out"); }
        break;
      case OP.EXTRAARG: buf_addint(b, GETARG_Ax(i)); break;
      default: break;
    }
    buf_addbyte(b, 10);
  }
}

function plural(b: Buffer, n: i32, word: string): void {
  buf_addint(b, n); buf_addbyte(b, 32); buf_addstr(b, word);
  if (n != 1) buf_addbyte(b, 115);
}

function printheader(b: Buffer, f: usize): void {
  const src = p_source(f);
  buf_addbyte(b, 10);
  buf_addstr(b, p_linedefined(f) == 0 ? "main" : "function");
  buf_addstr(b, " <");
  if (src == 0) buf_addstr(b, "?");
  else {
    const s = getstr(src), c0 = tsslen(src) > 0 ? load<u8>(s) : 0;
    if (c0 == 64 || c0 == 61) {
      let n = tsslen(src) - 1;
      for (let i = 0; i < n; i++) if (load<u8>(s + 1 + <usize>i) == 0) { n = i; break; }
      buf_addbytes(b, s + 1, n);
    } else if (c0 == 27) buf_addstr(b, "(bstring)");
    else buf_addstr(b, "(string)");
  }
  buf_addbyte(b, 58); buf_addint(b, p_linedefined(f)); buf_addbyte(b, 44);
  buf_addint(b, p_lastlinedefined(f)); buf_addstr(b, "> (");
  plural(b, p_sizecode(f), "instruction");
  buf_addstr(b, " at "); addptr(b, f); buf_addstr(b, ")\n");
  const np = p_numparams(f);
  buf_addint(b, np); if (p_isvararg(f)) buf_addbyte(b, 43);
  buf_addstr(b, " param"); if (np != 1) buf_addbyte(b, 115);
  buf_addstr(b, ", "); plural(b, p_maxstacksize(f), "slot");
  buf_addstr(b, ", "); plural(b, p_sizeupvalues(f), "upvalue");
  buf_addstr(b, ", "); plural(b, p_sizelocvars(f), "local");
  buf_addstr(b, ", "); plural(b, p_sizek(f), "constant");
  buf_addstr(b, ", "); plural(b, p_sizep(f), "function");
  buf_addbyte(b, 10);
}

function printdebug(b: Buffer, f: usize): void {
  let n = p_sizek(f);
  buf_addstr(b, "constants ("); buf_addint(b, n); buf_addstr(b, ") for "); addptr(b, f); buf_addstr(b, ":\n");
  for (let i = 0; i < n; i++) {
    buf_addbyte(b, 9); buf_addint(b, i); buf_addbyte(b, 9);
    printtype(b, f, i); printconstant(b, f, i); buf_addbyte(b, 10);
  }
  n = p_sizelocvars(f);
  buf_addstr(b, "locals ("); buf_addint(b, n); buf_addstr(b, ") for "); addptr(b, f); buf_addstr(b, ":\n");
  for (let i = 0; i < n; i++) {
    const v = locvar(f, i);
    buf_addbyte(b, 9); buf_addint(b, i); buf_addbyte(b, 9);
    addcstr(b, lv_name(v)); buf_addbyte(b, 9);
    buf_addint(b, lv_startpc(v) + 1); buf_addbyte(b, 9); buf_addint(b, lv_endpc(v) + 1); buf_addbyte(b, 10);
  }
  n = p_sizeupvalues(f);
  buf_addstr(b, "upvalues ("); buf_addint(b, n); buf_addstr(b, ") for "); addptr(b, f); buf_addstr(b, ":\n");
  for (let i = 0; i < n; i++) {
    const u = upvaldesc(f, i);
    buf_addbyte(b, 9); buf_addint(b, i); buf_addbyte(b, 9);
    upvalname(b, f, i); buf_addbyte(b, 9);
    buf_addint(b, uvd_instack(u) ? 1 : 0); buf_addbyte(b, 9); buf_addint(b, uvd_idx(u)); buf_addbyte(b, 10);
  }
}

/** Appends the listing of f and its nested functions (luac -l; with `full`, -l -l). */
export function luaU_listing(b: Buffer, f: usize, full: bool): void {
  printheader(b, f);
  printcode(b, f);
  if (full) printdebug(b, f);
  for (let i = 0, n = p_sizep(f); i < n; i++) luaU_listing(b, p_proto(f, i), full);
}
