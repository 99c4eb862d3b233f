// code.ts - code generation: expression descriptors, register allocation, instruction emission,
// jump lists, constants and the K/I opcode variants (lcode.c).
// Invariant: fs.code.length == fs.pc == fs.lineinfo.length; a jump list is threaded through the sJ
// fields of its JMP instructions and ends at an offset of NO_JUMP. Every index into fs.code goes
// through getcode/setcode, which ignore out-of-range positions, so garbage left behind by a syntax
// error can never trap.

import {
  OP, CREATE_ABCk, CREATE_ABx, CREATE_Ax, CREATE_sJ, GET_OPCODE, GETARG_A, GETARG_B,
  GETARG_k, GETARG_sJ, SETARG_A, SETARG_B, SETARG_C, SETARG_k, SETARG_sJ, SET_OPCODE,
  OFFSET_sBx, OFFSET_sJ, OFFSET_sC, MAXARG_Bx, MAXARG_C, MAXARG_B, MAXARG_sJ, MAXARG_Ax, NO_REG,
  testTMode,
} from "../vm/opcodes";
import { luaX_syntaxerror, haserror } from "./lexer";
import { FuncState, KValue, luaY_nvarstack } from "./scope";
import {
  LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT, LUA_VSHRSTR,
} from "../object/value";
import { isshrstr } from "../object/string";
import { constfolding, flttointeger } from "./fold";

export const NO_JUMP: i32 = -1;
export const LUA_MULTRET: i32 = -1;
const MAXREGS: i32 = 255;
const MAXINDEXRK: i32 = MAXARG_B;

// ==== Expression kinds (lparser.h expkind) ====
export const enum VK {
  VOID, NIL, TRUE, FALSE, K, KFLT, KINT, KSTR, NONRELOC, LOCAL, UPVAL, CONST, INDEXED, INDEXUP,
  INDEXI, INDEXSTR, JMP, RELOC, CALL, VARARG,
}

// ==== Operators (ORDER OPR) ====
export const enum OPR {
  ADD, SUB, MUL, MOD, POW, DIV, IDIV, BAND, BOR, BXOR, SHL, SHR, CONCAT,
  EQ, LT, LE, NE, GT, GE, AND, OR, NOBINOPR,
}
export const enum UOPR { MINUS, BNOT, NOT, LEN, NOUNOPR }

// Metamethod events used by MMBIN* (ltm.h ORDER TM)
const TM_ADD: i32 = 6;
const TM_SUB: i32 = 7;
const TM_SHL: i32 = 16;
const TM_SHR: i32 = 17;

/** Expression descriptor (expdesc): the fields of PUC's union are kept side by side. */
export class Expdesc {
  k: i32 = VK.VOID;
  info: i32 = 0;      // generic use: register, pc, K index, upvalue index
  ival: i64 = 0;      // VKINT
  nval: f64 = 0;      // VKFLT
  strval: usize = 0;  // VKSTR
  ind_t: i32 = 0;     // indexed: table register or upvalue
  ind_idx: i32 = 0;   // indexed: key register, K index or integer
  ridx: i32 = 0;      // VLOCAL: register
  vidx: i32 = 0;      // VLOCAL: index among active locals
  t: i32 = NO_JUMP;   // patch list of "exit when true"
  f: i32 = NO_JUMP;   // patch list of "exit when false"
  copy(o: Expdesc): void {
    this.k = o.k; this.info = o.info; this.ival = o.ival; this.nval = o.nval; this.strval = o.strval;
    this.ind_t = o.ind_t; this.ind_idx = o.ind_idx; this.ridx = o.ridx; this.vidx = o.vidx;
    this.t = o.t; this.f = o.f;
  }
}

export function init_exp(e: Expdesc, k: i32, i: i32): void {
  e.f = NO_JUMP; e.t = NO_JUMP; e.k = k; e.info = i;
}

// @ts-ignore: decorator
@inline function hasjumps(e: Expdesc): bool { return e.t != e.f; }
// @ts-ignore: decorator
@inline export function hasmultret(k: i32): bool { return k == VK.CALL || k == VK.VARARG; }
// @ts-ignore: decorator
@inline export function vkisvar(k: i32): bool { return k >= VK.LOCAL && k <= VK.INDEXSTR; }
// @ts-ignore: decorator
@inline export function vkisindexed(k: i32): bool { return k >= VK.INDEXED && k <= VK.INDEXSTR; }

function swapexps(e1: Expdesc, e2: Expdesc): void {
  const tmp = new Expdesc();
  tmp.copy(e1); e1.copy(e2); e2.copy(tmp);
}

// ==== Raw code access ====

export function getcode(fs: FuncState, pc: i32): u32 {
  return pc >= 0 && pc < fs.code.length ? unchecked(fs.code[pc]) : 0xFFFFFFFF;
}
export function setcode(fs: FuncState, pc: i32, i: u32): void {
  if (pc >= 0 && pc < fs.code.length) unchecked(fs.code[pc] = i);
}

export function luaK_code(fs: FuncState, i: u32): i32 {
  fs.code.push(i);
  fs.lineinfo.push(fs.ls.lastline);
  return fs.pc++;
}

export function luaK_codeABCk(fs: FuncState, o: i32, a: i32, b: i32, c: i32, k: i32): i32 {
  return luaK_code(fs, CREATE_ABCk(o, a & 0xFF, b & 0xFF, c & 0xFF, k));
}
export function luaK_codeABC(fs: FuncState, o: i32, a: i32, b: i32, c: i32): i32 {
  return luaK_codeABCk(fs, o, a, b, c, 0);
}
export function luaK_codeABx(fs: FuncState, o: i32, a: i32, bc: i32): i32 {
  return luaK_code(fs, CREATE_ABx(o, a & 0xFF, bc & MAXARG_Bx));
}
function luaK_codeAsBx(fs: FuncState, o: i32, a: i32, bc: i32): i32 {
  return luaK_code(fs, CREATE_ABx(o, a & 0xFF, (bc + OFFSET_sBx) & MAXARG_Bx));
}
function codesJ(fs: FuncState, o: i32, sj: i32, k: i32): i32 {
  return luaK_code(fs, CREATE_sJ(o, (sj + OFFSET_sJ) & MAXARG_sJ, k));
}
function codeextraarg(fs: FuncState, a: i32): i32 {
  return luaK_code(fs, CREATE_Ax(OP.EXTRAARG, a & MAXARG_Ax));
}

/** Changes the line of the last instruction (luaK_fixline). */
export function luaK_fixline(fs: FuncState, line: i32): void {
  const n = fs.lineinfo.length;
  if (n > 0) unchecked(fs.lineinfo[n - 1] = line);
}

function removelastinstruction(fs: FuncState): void {
  if (fs.pc == 0) return;
  fs.code.pop(); fs.lineinfo.pop(); fs.pc--;
}

/** Index of the previous instruction when it may be changed (not a jump target), else -1. */
function previousinstruction(fs: FuncState): i32 {
  return fs.pc > fs.lasttarget ? fs.pc - 1 : -1;
}

// ==== Registers ====

export function luaK_checkstack(fs: FuncState, n: i32): void {
  const newstack = fs.freereg + n;
  if (newstack > fs.maxstacksize) {
    if (newstack >= MAXREGS) { luaX_syntaxerror(fs.ls, "function or expression needs too many registers"); return; }
    fs.maxstacksize = newstack;
  }
}

export function luaK_reserveregs(fs: FuncState, n: i32): void {
  luaK_checkstack(fs, n);
  fs.freereg += n;
}

function freereg(fs: FuncState, reg: i32): void {
  if (reg >= luaY_nvarstack(fs)) fs.freereg--;
}

function freeregs(fs: FuncState, r1: i32, r2: i32): void {
  if (r1 > r2) { freereg(fs, r1); freereg(fs, r2); }
  else { freereg(fs, r2); freereg(fs, r1); }
}

function freeexp(fs: FuncState, e: Expdesc): void {
  if (e.k == VK.NONRELOC) freereg(fs, e.info);
}

function freeexps(fs: FuncState, e1: Expdesc, e2: Expdesc): void {
  const r1 = e1.k == VK.NONRELOC ? e1.info : -1;
  const r2 = e2.k == VK.NONRELOC ? e2.info : -1;
  freeregs(fs, r1, r2);
}

// ==== Jumps ====

function getjump(fs: FuncState, pc: i32): i32 {
  const offset = GETARG_sJ(getcode(fs, pc));
  if (offset == NO_JUMP) return NO_JUMP;
  const dest = pc + 1 + offset;
  if (dest < 0 || dest >= fs.pc || haserror(fs.ls)) return NO_JUMP;   // corrupt list after an error
  return dest;
}

function fixjump(fs: FuncState, pc: i32, dest: i32): void {
  const offset = dest - (pc + 1);
  if (!(-OFFSET_sJ <= offset && offset <= MAXARG_sJ - OFFSET_sJ)) {
    luaX_syntaxerror(fs.ls, "control structure too long");
    return;
  }
  setcode(fs, pc, SETARG_sJ(getcode(fs, pc), offset));
}

/** Appends jump list l2 to the list *l1 (returns the new head). */
export function luaK_concat(fs: FuncState, l1: i32, l2: i32): i32 {
  if (l2 == NO_JUMP) return l1;
  if (l1 == NO_JUMP) return l2;
  let list = l1;
  let next: i32;
  let guard = fs.pc + 1;
  while ((next = getjump(fs, list)) != NO_JUMP && guard-- > 0) list = next;
  fixjump(fs, list, l2);
  return l1;
}

export function luaK_jump(fs: FuncState): i32 { return codesJ(fs, OP.JMP, NO_JUMP, 0); }

export function luaK_ret(fs: FuncState, first: i32, nret: i32): void {
  const op = nret == 0 ? OP.RETURN0 : (nret == 1 ? OP.RETURN1 : OP.RETURN);
  luaK_codeABC(fs, op, first, nret + 1, 0);
}

function condjump(fs: FuncState, op: i32, a: i32, b: i32, c: i32, k: i32): i32 {
  luaK_codeABCk(fs, op, a, b, c, k);
  return luaK_jump(fs);
}

export function luaK_getlabel(fs: FuncState): i32 {
  fs.lasttarget = fs.pc;
  return fs.pc;
}

/** Position of the instruction controlling jump `pc` (the test before it, if any). */
function getjumpcontrol(fs: FuncState, pc: i32): i32 {
  if (pc >= 1 && testTMode(GET_OPCODE(getcode(fs, pc - 1)))) return pc - 1;
  return pc;
}

function patchtestreg(fs: FuncState, node: i32, reg: i32): bool {
  const ipc = getjumpcontrol(fs, node);
  const i = getcode(fs, ipc);
  if (GET_OPCODE(i) != OP.TESTSET) return false;
  if (reg != NO_REG && reg != GETARG_B(i)) setcode(fs, ipc, SETARG_A(i, reg));
  else setcode(fs, ipc, CREATE_ABCk(OP.TEST, GETARG_B(i), 0, 0, GETARG_k(i)));
  return true;
}

function removevalues(fs: FuncState, list: i32): void {
  let guard = fs.pc + 1;
  for (; list != NO_JUMP && guard-- > 0; list = getjump(fs, list)) patchtestreg(fs, list, NO_REG);
}

function patchlistaux(fs: FuncState, list: i32, vtarget: i32, reg: i32, dtarget: i32): void {
  let guard = fs.pc + 1;
  while (list != NO_JUMP && guard-- > 0) {
    const next = getjump(fs, list);
    if (patchtestreg(fs, list, reg)) fixjump(fs, list, vtarget);
    else fixjump(fs, list, dtarget);
    list = next;
  }
}

export function luaK_patchlist(fs: FuncState, list: i32, target: i32): void {
  patchlistaux(fs, list, target, NO_REG, target);
}

export function luaK_patchtohere(fs: FuncState, list: i32): void {
  const hr = luaK_getlabel(fs);
  luaK_patchlist(fs, list, hr);
}

export function luaK_jumpto(fs: FuncState, t: i32): void { luaK_patchlist(fs, luaK_jump(fs), t); }

// ==== Constants ====

/** Bits of a float as a cache key (distinguishes floats from integers and every float value). */
function fkey(r: f64): string { return "f" + reinterpret<i64>(r).toString(); }

/** Adds v to the constants of fs, reusing an equal one found through the chunk-wide cache (addk). */
function addk(fs: FuncState, key: string, v: KValue): i32 {
  const cache = fs.dyd.kcache;
  if (cache.has(key)) {
    const k = cache.get(key);
    if (k < fs.k.length) {
      const o = unchecked(fs.k[k]);
      if (o.tt == v.tt) {
        if (v.tt == LUA_VNUMINT ? o.i == v.i : v.tt == LUA_VNUMFLT ? o.n == v.n : o.s == v.s) return k;
      }
    }
  }
  const k = fs.k.length;
  cache.set(key, k);
  const c = new KValue();
  c.set(v);
  fs.k.push(c);
  return k;
}

export function stringK(fs: FuncState, s: usize): i32 {
  const v = new KValue();
  v.tt = LUA_VSHRSTR; v.s = s;            // tag refined when the proto is written
  return addk(fs, "s" + s.toString(), v);
}

function luaK_intK(fs: FuncState, n: i64): i32 {
  const v = new KValue();
  v.tt = LUA_VNUMINT; v.i = n;
  return addk(fs, "i" + n.toString(), v);
}

/** Floats with integral values get a key that cannot collide with the integer (luaK_numberK). */
function luaK_numberK(fs: FuncState, r: f64): i32 {
  const v = new KValue();
  v.tt = LUA_VNUMFLT; v.n = r;
  const ik = flttointeger(r);
  if (!ik.ok) return addk(fs, fkey(r), v);
  const q = 2.220446049250313e-16;        // 2^-52
  const kk = ik.v == 0 ? q : r + r * q;
  const ik2 = flttointeger(kk);            // a table normalises integral float keys to integers
  return addk(fs, ik2.ok ? "i" + ik2.v.toString() : fkey(kk), v);
}

function boolF(fs: FuncState): i32 { const v = new KValue(); v.tt = LUA_VFALSE; return addk(fs, "F", v); }
function boolT(fs: FuncState): i32 { const v = new KValue(); v.tt = LUA_VTRUE; return addk(fs, "T", v); }
function nilK(fs: FuncState): i32 { const v = new KValue(); v.tt = LUA_VNIL; return addk(fs, "N", v); }

// @ts-ignore: decorator
@inline function fitsC(i: i64): bool { return <u64>i + <u64>OFFSET_sC <= <u64>MAXARG_C; }
// @ts-ignore: decorator
@inline function fitsBx(i: i64): bool { return -OFFSET_sBx <= i && i <= MAXARG_Bx - OFFSET_sBx; }
// @ts-ignore: decorator
@inline function int2sC(i: i32): i32 { return i + OFFSET_sC; }

function luaK_codek(fs: FuncState, reg: i32, k: i32): i32 {
  if (k <= MAXARG_Bx) return luaK_codeABx(fs, OP.LOADK, reg, k);
  const p = luaK_codeABx(fs, OP.LOADKX, reg, 0);
  codeextraarg(fs, k);
  return p;
}

export function luaK_int(fs: FuncState, reg: i32, i: i64): void {
  if (fitsBx(i)) luaK_codeAsBx(fs, OP.LOADI, reg, <i32>i);
  else luaK_codek(fs, reg, luaK_intK(fs, i));
}

function luaK_float(fs: FuncState, reg: i32, f: f64): void {
  const fi = flttointeger(f);
  if (fi.ok && fitsBx(fi.v)) luaK_codeAsBx(fs, OP.LOADF, reg, <i32>fi.v);
  else luaK_codek(fs, reg, luaK_numberK(fs, f));
}

/** Sets registers from..from+n-1 to nil, merging with a previous LOADNIL when possible (luaK_nil). */
export function luaK_nil(fs: FuncState, from: i32, n: i32): void {
  let l = from + n - 1;
  const ppc = previousinstruction(fs);
  if (ppc >= 0) {
    const prev = getcode(fs, ppc);
    if (GET_OPCODE(prev) == OP.LOADNIL) {
      const pfrom = GETARG_A(prev);
      const pl = pfrom + GETARG_B(prev);
      if ((pfrom <= from && from <= pl + 1) || (from <= pfrom && pfrom <= l + 1)) {
        if (pfrom < from) from = pfrom;
        if (pl > l) l = pl;
        setcode(fs, ppc, SETARG_B(SETARG_A(prev, from & 0xFF), (l - from) & 0xFF));
        return;
      }
    }
  }
  luaK_codeABC(fs, OP.LOADNIL, from, n - 1, 0);
}

// ==== Constant expressions ====

/** Fills v with the numeric value of e when e is a numeral without jumps (tonumeral). */
export function tonumeral(e: Expdesc, v: KValue | null): bool {
  if (hasjumps(e)) return false;
  if (e.k == VK.KINT) { if (v) { v.tt = LUA_VNUMINT; v.i = e.ival; } return true; }
  if (e.k == VK.KFLT) { if (v) { v.tt = LUA_VNUMFLT; v.n = e.nval; } return true; }
  return false;
}

function const2val(fs: FuncState, e: Expdesc): KValue {
  const a = fs.dyd.actvar;
  if (e.info >= 0 && e.info < a.length) return unchecked(a[e.info]).k;
  return new KValue();
}

/** If e is a constant expression, stores its value in v (luaK_exp2const). */
export function luaK_exp2const(fs: FuncState, e: Expdesc, v: KValue): bool {
  if (hasjumps(e)) return false;
  switch (e.k) {
    case VK.FALSE: v.tt = LUA_VFALSE; return true;
    case VK.TRUE: v.tt = LUA_VTRUE; return true;
    case VK.NIL: v.tt = LUA_VNIL; return true;
    case VK.KSTR: v.tt = LUA_VSHRSTR; v.s = e.strval; return true;
    case VK.CONST: v.set(const2val(fs, e)); return true;
    default: return tonumeral(e, v);
  }
}

function const2exp(v: KValue, e: Expdesc): void {
  switch (v.tt) {
    case LUA_VNUMINT: e.k = VK.KINT; e.ival = v.i; break;
    case LUA_VNUMFLT: e.k = VK.KFLT; e.nval = v.n; break;
    case LUA_VFALSE: e.k = VK.FALSE; break;
    case LUA_VTRUE: e.k = VK.TRUE; break;
    case LUA_VNIL: e.k = VK.NIL; break;
    default: e.k = VK.KSTR; e.strval = v.s;
  }
}

// ==== Discharging expressions ====

export function luaK_setreturns(fs: FuncState, e: Expdesc, nresults: i32): void {
  const i = getcode(fs, e.info);
  if (e.k == VK.CALL) setcode(fs, e.info, SETARG_C(i, (nresults + 1) & 0xFF));
  else {
    setcode(fs, e.info, SETARG_A(SETARG_C(i, (nresults + 1) & 0xFF), fs.freereg & 0xFF));
    luaK_reserveregs(fs, 1);
  }
}

export function luaK_setmultret(fs: FuncState, e: Expdesc): void { luaK_setreturns(fs, e, LUA_MULTRET); }

function str2K(fs: FuncState, e: Expdesc): void {
  e.info = stringK(fs, e.strval);
  e.k = VK.K;
}

export function luaK_setoneret(fs: FuncState, e: Expdesc): void {
  if (e.k == VK.CALL) {
    e.k = VK.NONRELOC;
    e.info = GETARG_A(getcode(fs, e.info));
  } else if (e.k == VK.VARARG) {
    setcode(fs, e.info, SETARG_C(getcode(fs, e.info), 2));
    e.k = VK.RELOC;
  }
}

export function luaK_dischargevars(fs: FuncState, e: Expdesc): void {
  switch (e.k) {
    case VK.CONST: const2exp(const2val(fs, e), e); break;
    case VK.LOCAL: e.info = e.ridx; e.k = VK.NONRELOC; break;
    case VK.UPVAL: e.info = luaK_codeABC(fs, OP.GETUPVAL, 0, e.info, 0); e.k = VK.RELOC; break;
    case VK.INDEXUP: e.info = luaK_codeABC(fs, OP.GETTABUP, 0, e.ind_t, e.ind_idx); e.k = VK.RELOC; break;
    case VK.INDEXI:
      freereg(fs, e.ind_t);
      e.info = luaK_codeABC(fs, OP.GETI, 0, e.ind_t, e.ind_idx); e.k = VK.RELOC; break;
    case VK.INDEXSTR:
      freereg(fs, e.ind_t);
      e.info = luaK_codeABC(fs, OP.GETFIELD, 0, e.ind_t, e.ind_idx); e.k = VK.RELOC; break;
    case VK.INDEXED:
      freeregs(fs, e.ind_t, e.ind_idx);
      e.info = luaK_codeABC(fs, OP.GETTABLE, 0, e.ind_t, e.ind_idx); e.k = VK.RELOC; break;
    case VK.VARARG: case VK.CALL: luaK_setoneret(fs, e); break;
    default: break;
  }
}

function discharge2reg(fs: FuncState, e: Expdesc, reg: i32): void {
  luaK_dischargevars(fs, e);
  switch (e.k) {
    case VK.NIL: luaK_nil(fs, reg, 1); break;
    case VK.FALSE: luaK_codeABC(fs, OP.LOADFALSE, reg, 0, 0); break;
    case VK.TRUE: luaK_codeABC(fs, OP.LOADTRUE, reg, 0, 0); break;
    case VK.KSTR: str2K(fs, e); luaK_codek(fs, reg, e.info); break;
    case VK.K: luaK_codek(fs, reg, e.info); break;
    case VK.KFLT: luaK_float(fs, reg, e.nval); break;
    case VK.KINT: luaK_int(fs, reg, e.ival); break;
    case VK.RELOC: setcode(fs, e.info, SETARG_A(getcode(fs, e.info), reg & 0xFF)); break;
    case VK.NONRELOC: if (reg != e.info) luaK_codeABC(fs, OP.MOVE, reg, e.info, 0); break;
    default: return;                       // VJMP: nothing to do
  }
  e.info = reg;
  e.k = VK.NONRELOC;
}

function discharge2anyreg(fs: FuncState, e: Expdesc): void {
  if (e.k != VK.NONRELOC) {
    luaK_reserveregs(fs, 1);
    discharge2reg(fs, e, fs.freereg - 1);
  }
}

function code_loadbool(fs: FuncState, a: i32, op: i32): i32 {
  luaK_getlabel(fs);
  return luaK_codeABC(fs, op, a, 0, 0);
}

/** True if some jump in the list needs a value (is not a TESTSET). */
function need_value(fs: FuncState, list: i32): bool {
  let guard = fs.pc + 1;
  for (; list != NO_JUMP && guard-- > 0; list = getjump(fs, list)) {
    if (GET_OPCODE(getcode(fs, getjumpcontrol(fs, list))) != OP.TESTSET) return true;
  }
  return false;
}

/** Puts the final value of e (jumps included) into register reg (exp2reg). */
function exp2reg(fs: FuncState, e: Expdesc, reg: i32): void {
  discharge2reg(fs, e, reg);
  if (e.k == VK.JMP) e.t = luaK_concat(fs, e.t, e.info);
  if (hasjumps(e)) {
    let p_f = NO_JUMP, p_t = NO_JUMP;
    if (need_value(fs, e.t) || need_value(fs, e.f)) {
      const fj = e.k == VK.JMP ? NO_JUMP : luaK_jump(fs);
      p_f = code_loadbool(fs, reg, OP.LFALSESKIP);
      p_t = code_loadbool(fs, reg, OP.LOADTRUE);
      luaK_patchtohere(fs, fj);
    }
    const final = luaK_getlabel(fs);
    patchlistaux(fs, e.f, final, reg, p_f);
    patchlistaux(fs, e.t, final, reg, p_t);
  }
  e.f = e.t = NO_JUMP;
  e.info = reg;
  e.k = VK.NONRELOC;
}

export function luaK_exp2nextreg(fs: FuncState, e: Expdesc): void {
  luaK_dischargevars(fs, e);
  freeexp(fs, e);
  luaK_reserveregs(fs, 1);
  exp2reg(fs, e, fs.freereg - 1);
}

export function luaK_exp2anyreg(fs: FuncState, e: Expdesc): i32 {
  luaK_dischargevars(fs, e);
  if (e.k == VK.NONRELOC) {
    if (!hasjumps(e)) return e.info;
    if (e.info >= luaY_nvarstack(fs)) { exp2reg(fs, e, e.info); return e.info; }
  }
  luaK_exp2nextreg(fs, e);
  return e.info;
}

export function luaK_exp2anyregup(fs: FuncState, e: Expdesc): void {
  if (e.k != VK.UPVAL || hasjumps(e)) luaK_exp2anyreg(fs, e);
}

export function luaK_exp2val(fs: FuncState, e: Expdesc): void {
  // a VJMP (comparison) must be materialised too: 5.4.8's fix for `_ENV[1 < 2]` (5.4.4-5.4.7 jumped
  // over the table load)
  if (e.k == VK.JMP || hasjumps(e)) luaK_exp2anyreg(fs, e);
  else luaK_dischargevars(fs, e);
}

/** Turns a constant expression into a K operand when its index fits in an argument (luaK_exp2K). */
function luaK_exp2K(fs: FuncState, e: Expdesc): bool {
  if (!hasjumps(e)) {
    let info: i32;
    switch (e.k) {
      case VK.TRUE: info = boolT(fs); break;
      case VK.FALSE: info = boolF(fs); break;
      case VK.NIL: info = nilK(fs); break;
      case VK.KINT: info = luaK_intK(fs, e.ival); break;
      case VK.KFLT: info = luaK_numberK(fs, e.nval); break;
      case VK.KSTR: info = stringK(fs, e.strval); break;
      case VK.K: info = e.info; break;
      default: return false;
    }
    if (info <= MAXINDEXRK) { e.k = VK.K; e.info = info; return true; }
  }
  return false;
}

export function luaK_exp2RK(fs: FuncState, e: Expdesc): bool {
  if (luaK_exp2K(fs, e)) return true;
  luaK_exp2anyreg(fs, e);
  return false;
}

function codeABRK(fs: FuncState, o: i32, a: i32, b: i32, ec: Expdesc): void {
  const k = luaK_exp2RK(fs, ec);
  luaK_codeABCk(fs, o, a, b, ec.info, k ? 1 : 0);
}

export function luaK_storevar(fs: FuncState, v: Expdesc, ex: Expdesc): void {
  switch (v.k) {
    case VK.LOCAL: freeexp(fs, ex); exp2reg(fs, ex, v.ridx); return;
    case VK.UPVAL: {
      const e = luaK_exp2anyreg(fs, ex);
      luaK_codeABC(fs, OP.SETUPVAL, e, v.info, 0);
      break;
    }
    case VK.INDEXUP: codeABRK(fs, OP.SETTABUP, v.ind_t, v.ind_idx, ex); break;
    case VK.INDEXI: codeABRK(fs, OP.SETI, v.ind_t, v.ind_idx, ex); break;
    case VK.INDEXSTR: codeABRK(fs, OP.SETFIELD, v.ind_t, v.ind_idx, ex); break;
    case VK.INDEXED: codeABRK(fs, OP.SETTABLE, v.ind_t, v.ind_idx, ex); break;
    default: break;
  }
  freeexp(fs, ex);
}

/** e:key(...) → SELF (luaK_self). */
export function luaK_self(fs: FuncState, e: Expdesc, key: Expdesc): void {
  luaK_exp2anyreg(fs, e);
  const ereg = e.info;
  freeexp(fs, e);
  e.info = fs.freereg;
  e.k = VK.NONRELOC;
  luaK_reserveregs(fs, 2);
  codeABRK(fs, OP.SELF, e.info, ereg, key);
  freeexp(fs, key);
}

// ==== Conditionals ====

function negatecondition(fs: FuncState, e: Expdesc): void {
  const pc = getjumpcontrol(fs, e.info);
  const i = getcode(fs, pc);
  setcode(fs, pc, SETARG_k(i, GETARG_k(i) ^ 1));
}

function jumponcond(fs: FuncState, e: Expdesc, cond: i32): i32 {
  if (e.k == VK.RELOC) {
    const ie = getcode(fs, e.info);
    if (GET_OPCODE(ie) == OP.NOT) {
      removelastinstruction(fs);
      return condjump(fs, OP.TEST, GETARG_B(ie), 0, 0, cond ^ 1);
    }
  }
  discharge2anyreg(fs, e);
  freeexp(fs, e);
  return condjump(fs, OP.TESTSET, NO_REG, e.info, 0, cond);
}

export function luaK_goiftrue(fs: FuncState, e: Expdesc): void {
  let pc: i32;
  luaK_dischargevars(fs, e);
  switch (e.k) {
    case VK.JMP: negatecondition(fs, e); pc = e.info; break;
    case VK.K: case VK.KFLT: case VK.KINT: case VK.KSTR: case VK.TRUE: pc = NO_JUMP; break;
    default: pc = jumponcond(fs, e, 0);
  }
  e.f = luaK_concat(fs, e.f, pc);
  luaK_patchtohere(fs, e.t);
  e.t = NO_JUMP;
}

export function luaK_goiffalse(fs: FuncState, e: Expdesc): void {
  let pc: i32;
  luaK_dischargevars(fs, e);
  switch (e.k) {
    case VK.JMP: pc = e.info; break;
    case VK.NIL: case VK.FALSE: pc = NO_JUMP; break;
    default: pc = jumponcond(fs, e, 1);
  }
  e.t = luaK_concat(fs, e.t, pc);
  luaK_patchtohere(fs, e.f);
  e.f = NO_JUMP;
}

function codenot(fs: FuncState, e: Expdesc): void {
  switch (e.k) {
    case VK.NIL: case VK.FALSE: e.k = VK.TRUE; break;
    case VK.K: case VK.KFLT: case VK.KINT: case VK.KSTR: case VK.TRUE: e.k = VK.FALSE; break;
    case VK.JMP: negatecondition(fs, e); break;
    case VK.RELOC: case VK.NONRELOC: {
      discharge2anyreg(fs, e);
      freeexp(fs, e);
      e.info = luaK_codeABC(fs, OP.NOT, 0, e.info, 0);
      e.k = VK.RELOC;
      break;
    }
    default: break;
  }
  const tmp = e.f; e.f = e.t; e.t = tmp;
  removevalues(fs, e.f);
  removevalues(fs, e.t);
}

// ==== Indexing ====

function isKstr(fs: FuncState, e: Expdesc): bool {
  if (e.k != VK.K || hasjumps(e) || e.info > MAXARG_B || e.info >= fs.k.length) return false;
  const c = unchecked(fs.k[e.info]);
  return c.tt == LUA_VSHRSTR && isshrstr(c.s);
}

export function luaK_isKint(e: Expdesc): bool { return e.k == VK.KINT && !hasjumps(e); }
function isCint(e: Expdesc): bool { return luaK_isKint(e) && <u64>e.ival <= <u64>MAXARG_C; }
function isSCint(e: Expdesc): bool { return luaK_isKint(e) && fitsC(e.ival); }

/** Small integer (or integral float) operand for immediate opcodes; sets isfloat. */
class SCnum { ok: bool = false; im: i32 = 0; isfloat: i32 = 0; }
function isSCnumber(e: Expdesc, r: SCnum): bool {
  let i: i64;
  if (e.k == VK.KINT) i = e.ival;
  else if (e.k == VK.KFLT) {
    const fi = flttointeger(e.nval);
    if (!fi.ok) return false;
    i = fi.v; r.isfloat = 1;
  } else return false;
  if (!hasjumps(e) && fitsC(i)) { r.im = int2sC(<i32>i); r.ok = true; return true; }
  return false;
}

/** t[k]: builds an indexed descriptor in t (luaK_indexed). */
export function luaK_indexed(fs: FuncState, t: Expdesc, k: Expdesc): void {
  if (k.k == VK.KSTR) str2K(fs, k);
  if (t.k == VK.UPVAL && !isKstr(fs, k)) luaK_exp2anyreg(fs, t);
  if (t.k == VK.UPVAL) {
    t.ind_t = t.info;
    t.ind_idx = k.info;
    t.k = VK.INDEXUP;
  } else {
    t.ind_t = t.k == VK.LOCAL ? t.ridx : t.info;
    if (isKstr(fs, k)) { t.ind_idx = k.info; t.k = VK.INDEXSTR; }
    else if (isCint(k)) { t.ind_idx = <i32>k.ival; t.k = VK.INDEXI; }
    else { t.ind_idx = luaK_exp2anyreg(fs, k); t.k = VK.INDEXED; }
  }
}

// ==== Operators ====

function codeunexpval(fs: FuncState, op: i32, e: Expdesc, line: i32): void {
  const r = luaK_exp2anyreg(fs, e);
  freeexp(fs, e);
  e.info = luaK_codeABC(fs, op, 0, r, 0);
  e.k = VK.RELOC;
  luaK_fixline(fs, line);
}

function finishbinexpval(fs: FuncState, e1: Expdesc, e2: Expdesc, op: i32, v2: i32, flip: i32,
                         line: i32, mmop: i32, event: i32): void {
  const v1 = luaK_exp2anyreg(fs, e1);
  const pc = luaK_codeABCk(fs, op, 0, v1, v2, 0);
  freeexps(fs, e1, e2);
  e1.info = pc;
  e1.k = VK.RELOC;
  luaK_fixline(fs, line);
  luaK_codeABCk(fs, mmop, v1, v2, event, flip);
  luaK_fixline(fs, line);
}

function codebinexpval(fs: FuncState, op: i32, e1: Expdesc, e2: Expdesc, line: i32): void {
  const v2 = luaK_exp2anyreg(fs, e2);
  finishbinexpval(fs, e1, e2, op, v2, 0, line, OP.MMBIN, (op - OP.ADD) + TM_ADD);
}

function codebini(fs: FuncState, op: i32, e1: Expdesc, e2: Expdesc, flip: i32, line: i32, event: i32): void {
  const v2 = int2sC(<i32>e2.ival);
  finishbinexpval(fs, e1, e2, op, v2, flip, line, OP.MMBINI, event);
}

function finishbinexpneg(fs: FuncState, e1: Expdesc, e2: Expdesc, op: i32, line: i32, event: i32): bool {
  if (!luaK_isKint(e2)) return false;
  const i2 = e2.ival;
  if (!(fitsC(i2) && fitsC(-i2))) return false;
  const v2 = <i32>i2;
  finishbinexpval(fs, e1, e2, op, int2sC(-v2), 0, line, OP.MMBINI, event);
  setcode(fs, fs.pc - 1, SETARG_B(getcode(fs, fs.pc - 1), int2sC(v2)));   // correct metamethod argument
  return true;
}

function codearith(fs: FuncState, opr: i32, e1: Expdesc, e2: Expdesc, flip: i32, line: i32): void {
  const event = opr + TM_ADD;
  if (tonumeral(e2, null) && luaK_exp2K(fs, e2)) {
    finishbinexpval(fs, e1, e2, opr + OP.ADDK, e2.info, flip, line, OP.MMBINK, event);
  } else {
    if (flip) swapexps(e1, e2);
    codebinexpval(fs, opr + OP.ADD, e1, e2, line);
  }
}

function codecommutative(fs: FuncState, op: i32, e1: Expdesc, e2: Expdesc, line: i32): void {
  let flip = 0;
  if (tonumeral(e1, null)) { swapexps(e1, e2); flip = 1; }
  if (op == OPR.ADD && isSCint(e2)) codebini(fs, OP.ADDI, e1, e2, flip, line, TM_ADD);
  else codearith(fs, op, e1, e2, flip, line);
}

function codebitwise(fs: FuncState, opr: i32, e1: Expdesc, e2: Expdesc, line: i32): void {
  let flip = 0;
  // exp2K, not exp2RK: a constant that does not fit a K operand must not be put in a register here
  // (5.4.5's fix "wrong code generation in bitwise operations")
  if (e1.k == VK.KINT && luaK_exp2K(fs, e1)) { swapexps(e1, e2); flip = 1; }
  else if (!(e2.k == VK.KINT && luaK_exp2K(fs, e2))) {
    codebinexpval(fs, opr + OP.ADD, e1, e2, line);
    return;
  }
  finishbinexpval(fs, e1, e2, opr + OP.ADDK, e2.info, flip, line, OP.MMBINK, opr + TM_ADD);
}

function codeorder(fs: FuncState, op: i32, e1: Expdesc, e2: Expdesc): void {
  let r1: i32, r2: i32;
  const sc = new SCnum();
  if (isSCnumber(e2, sc)) {
    r1 = luaK_exp2anyreg(fs, e1);
    r2 = sc.im;
    op = (op - OP.LT) + OP.LTI;
  } else if (isSCnumber(e1, sc)) {
    r1 = luaK_exp2anyreg(fs, e2);
    r2 = sc.im;
    op = op == OP.LT ? OP.GTI : OP.GEI;
  } else {
    r1 = luaK_exp2anyreg(fs, e1);
    r2 = luaK_exp2anyreg(fs, e2);
  }
  freeexps(fs, e1, e2);
  e1.info = condjump(fs, op, r1, r2, sc.isfloat, 1);
  e1.k = VK.JMP;
}

function codeeq(fs: FuncState, opr: i32, e1: Expdesc, e2: Expdesc): void {
  let r1: i32, r2: i32, op: i32;
  const sc = new SCnum();
  if (e1.k != VK.NONRELOC) swapexps(e1, e2);
  r1 = luaK_exp2anyreg(fs, e1);
  if (isSCnumber(e2, sc)) { op = OP.EQI; r2 = sc.im; }
  else if (luaK_exp2RK(fs, e2)) { op = OP.EQK; r2 = e2.info; }
  else { op = OP.EQ; r2 = luaK_exp2anyreg(fs, e2); }
  freeexps(fs, e1, e2);
  e1.info = condjump(fs, op, r1, r2, sc.isfloat, opr == OPR.EQ ? 1 : 0);
  e1.k = VK.JMP;
}

export function luaK_prefix(fs: FuncState, op: i32, e: Expdesc, line: i32): void {
  luaK_dischargevars(fs, e);
  switch (op) {
    case UOPR.MINUS: case UOPR.BNOT: {
      const ef = new Expdesc();
      init_exp(ef, VK.KINT, 0); ef.ival = 0;
      if (constfolding(op + 12 /* LUA_OPUNM */, e, ef)) break;
      codeunexpval(fs, op + OP.UNM, e, line);
      break;
    }
    case UOPR.LEN: codeunexpval(fs, op + OP.UNM, e, line); break;
    case UOPR.NOT: codenot(fs, e); break;
    default: break;
  }
}

export function luaK_infix(fs: FuncState, op: i32, v: Expdesc): void {
  luaK_dischargevars(fs, v);
  switch (op) {
    case OPR.AND: luaK_goiftrue(fs, v); break;
    case OPR.OR: luaK_goiffalse(fs, v); break;
    case OPR.CONCAT: luaK_exp2nextreg(fs, v); break;
    case OPR.ADD: case OPR.SUB: case OPR.MUL: case OPR.DIV: case OPR.IDIV: case OPR.MOD: case OPR.POW:
    case OPR.BAND: case OPR.BOR: case OPR.BXOR: case OPR.SHL: case OPR.SHR:
      if (!tonumeral(v, null)) luaK_exp2anyreg(fs, v);
      break;
    case OPR.EQ: case OPR.NE:
      if (!tonumeral(v, null)) luaK_exp2RK(fs, v);
      break;
    case OPR.LT: case OPR.LE: case OPR.GT: case OPR.GE: {
      const sc = new SCnum();
      if (!isSCnumber(v, sc)) luaK_exp2anyreg(fs, v);
      break;
    }
    default: break;
  }
}

function codeconcat(fs: FuncState, e1: Expdesc, e2: Expdesc, line: i32): void {
  const ppc = previousinstruction(fs);
  const ie2 = getcode(fs, ppc);
  if (ppc >= 0 && GET_OPCODE(ie2) == OP.CONCAT) {
    const n = GETARG_B(ie2);
    freeexp(fs, e2);
    setcode(fs, ppc, SETARG_B(SETARG_A(ie2, e1.info & 0xFF), (n + 1) & 0xFF));
  } else {
    luaK_codeABC(fs, OP.CONCAT, e1.info, 2, 0);
    freeexp(fs, e2);
    luaK_fixline(fs, line);
  }
}

export function luaK_posfix(fs: FuncState, opr: i32, e1: Expdesc, e2: Expdesc, line: i32): void {
  luaK_dischargevars(fs, e2);
  if (opr <= OPR.SHR && constfolding(opr, e1, e2)) return;
  switch (opr) {
    case OPR.AND: e2.f = luaK_concat(fs, e2.f, e1.f); e1.copy(e2); break;
    case OPR.OR: e2.t = luaK_concat(fs, e2.t, e1.t); e1.copy(e2); break;
    case OPR.CONCAT: luaK_exp2nextreg(fs, e2); codeconcat(fs, e1, e2, line); break;
    case OPR.ADD: case OPR.MUL: codecommutative(fs, opr, e1, e2, line); break;
    case OPR.SUB:
      if (finishbinexpneg(fs, e1, e2, OP.ADDI, line, TM_SUB)) break;
      codearith(fs, opr, e1, e2, 0, line);
      break;
    case OPR.DIV: case OPR.IDIV: case OPR.MOD: case OPR.POW: codearith(fs, opr, e1, e2, 0, line); break;
    case OPR.BAND: case OPR.BOR: case OPR.BXOR: codebitwise(fs, opr, e1, e2, line); break;
    case OPR.SHL:
      if (isSCint(e1)) { swapexps(e1, e2); codebini(fs, OP.SHLI, e1, e2, 1, line, TM_SHL); }
      else if (finishbinexpneg(fs, e1, e2, OP.SHRI, line, TM_SHL)) { /* coded as r1 >> -I */ }
      else codebinexpval(fs, OP.SHL, e1, e2, line);
      break;
    case OPR.SHR:
      if (isSCint(e2)) codebini(fs, OP.SHRI, e1, e2, 0, line, TM_SHR);
      else codebinexpval(fs, OP.SHR, e1, e2, line);
      break;
    case OPR.EQ: case OPR.NE: codeeq(fs, opr, e1, e2); break;
    case OPR.LT: case OPR.LE: codeorder(fs, (opr - OPR.EQ) + OP.EQ, e1, e2); break;
    case OPR.GT: case OPR.GE: swapexps(e1, e2); codeorder(fs, (opr - OPR.NE) + OP.EQ, e1, e2); break;
    default: break;
  }
}

// ==== Tables ====

function ceillog2(x: u32): i32 {
  let l = 0;
  x--;
  while (x >= 1) { l++; x >>= 1; }
  return l;
}

export function luaK_settablesize(fs: FuncState, pc: i32, ra: i32, asize: i32, hsize: i32): void {
  const rb = hsize != 0 ? ceillog2(<u32>hsize) + 1 : 0;
  const extra = asize / (MAXARG_C + 1);
  const rc = asize % (MAXARG_C + 1);
  setcode(fs, pc, CREATE_ABCk(OP.NEWTABLE, ra & 0xFF, rb & 0xFF, rc, extra > 0 ? 1 : 0));
  setcode(fs, pc + 1, CREATE_Ax(OP.EXTRAARG, extra & MAXARG_Ax));
}

export function luaK_setlist(fs: FuncState, base: i32, nelems: i32, tostore: i32): void {
  if (tostore == LUA_MULTRET) tostore = 0;
  if (nelems <= MAXARG_C) luaK_codeABC(fs, OP.SETLIST, base, tostore, nelems);
  else {
    const extra = nelems / (MAXARG_C + 1);
    luaK_codeABCk(fs, OP.SETLIST, base, tostore, nelems % (MAXARG_C + 1), 1);
    codeextraarg(fs, extra);
  }
  fs.freereg = base + 1;
}

// ==== Final pass ====

function finaltarget(fs: FuncState, i: i32): i32 {
  for (let count = 0; count < 100; count++) {
    const pc = getcode(fs, i);
    if (GET_OPCODE(pc) != OP.JMP) break;
    i += GETARG_sJ(pc) + 1;
  }
  return i;
}

/** Final adjustments: RETURN variants, vararg/close flags, jumps to jumps (luaK_finish). */
export function luaK_finish(fs: FuncState): void {
  for (let i = 0; i < fs.pc; i++) {
    let ins = getcode(fs, i);
    const op = GET_OPCODE(ins);
    if (op == OP.RETURN0 || op == OP.RETURN1 || op == OP.RETURN || op == OP.TAILCALL) {
      if (op == OP.RETURN0 || op == OP.RETURN1) {
        if (!(fs.needclose || fs.is_vararg)) continue;
        ins = SET_OPCODE(ins, OP.RETURN);
      }
      if (fs.needclose) ins = SETARG_k(ins, 1);
      if (fs.is_vararg) ins = SETARG_C(ins, (fs.numparams + 1) & 0xFF);
      setcode(fs, i, ins);
    } else if (op == OP.JMP) {
      fixjump(fs, i, finaltarget(fs, i));
    }
  }
}
