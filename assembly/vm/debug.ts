// debug.ts - line information, names of variables and functions for messages, raising runtime
// errors and argument errors, and tracebacks (ldebug.c role, plus luaL_where/luaL_error/
// luaL_argerror/luaL_typeerror/luaL_traceback of lauxlib.c, which lib/aux.ts re-exports).
//
// Every runtime error of the VM goes through here: a message is built in a Buffer, prefixed with
// "chunkid:line: " when the running frame is a Lua function, stored in `errobj` as a TString, and
// then the message handler of the nearest xpcall (L.errfunc) is applied to it (luaG_errormsg).
// Functions return ERR so callers can write `return luaG_typeerror(L, o, "index");`.
//
// Names in messages ("(local 'x')", "(global 'print')", "method 'm'") come from *symbolic
// execution* of the bytecode, exactly as ldebug.c of Lua 5.4.8 does it: to name the value in
// register R at instruction pc, find the last instruction before pc that wrote R (findsetreg) and
// look at what it loaded: a local variable's name, an upvalue, a string constant, a table field
// (a "global" when the table is the local or upvalue named _ENV), a method (OP_SELF).
//
// Invariants relied on: ci.savedpc of every Lua frame points at the instruction after the one
// being executed (after OP_MMBIN* for arithmetic fallbacks); Proto.lineinfo is an array of
// absolute lines, one per instruction, or 0 when stripped; L.top is at or above the live
// registers of a native frame when an error is raised (for Lua frames ci.top is used).

import { LUAI_MAXCCALLS } from "../luaconf";
import { Buffer, buf_new, buf_free, buf_addbyte, buf_addbytes, buf_addstr, buf_addint } from "../mem/buffer";
import {
  ttisLclosure, ttisstring, ttisnumber, ttisinteger, ttisfloat, ttistable, ttisfunction, ttislcf,
  clvalue, tsvalue, hvalue, fltvalue, gcvalue, fvalue, rawtt, setobj, setsvalue, ttisnil, ttype,
} from "../object/value";
import { getstr, tsslen, luaS_new, luaS_newlstr } from "../object/string";
import { sizenode, isdummy, gnode, gval, gkey, luaH_getstr } from "../object/table";
import {
  p_code, p_sizecode, p_lineinfo, p_linedefined, p_source, p_k, p_sizeupvalues, p_sizelocvars,
  upvaldesc, uvd_name, locvar, lv_name, lv_startpc, lv_endpc, cl_proto, cl_nupvalues, cl_upval, uv_v,
} from "../object/func";
import { luaO_chunkid } from "../object/chunkid";
import {
  OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_Ax, GETARG_sJ,
  testAMode, testMMMode,
} from "./opcodes";
import {
  ERR, OK, errobj, registry, globaltable, L_top, L_settop, L_ci, L_setci, L_baseci, L_errfunc,
  ci_func, ci_top, ci_previous, ci_savedpc, ci_callstatus, isLua, savestack, restorestack, getCcalls,
  CIST_TAIL, CIST_HOOKED, CIST_FIN,
} from "./state";
import { luaT_objtypename } from "./tm";
import { luaD_callnoyield } from "./call";
import { index2value, getmetatableof, isnone, lua_type, lua_typename } from "./api";

// ==== Kinds of names (the 'namewhat' of lua_Debug) ====
// @ts-ignore: decorator
@inline export const NAMEWHAT_NONE = 0;
// @ts-ignore: decorator
@inline export const NAMEWHAT_GLOBAL = 1;
// @ts-ignore: decorator
@inline export const NAMEWHAT_LOCAL = 2;
// @ts-ignore: decorator
@inline export const NAMEWHAT_METHOD = 3;
// @ts-ignore: decorator
@inline export const NAMEWHAT_FIELD = 4;
// @ts-ignore: decorator
@inline export const NAMEWHAT_UPVALUE = 5;
// @ts-ignore: decorator
@inline export const NAMEWHAT_CONSTANT = 6;
// @ts-ignore: decorator
@inline export const NAMEWHAT_METAMETHOD = 7;
// @ts-ignore: decorator
@inline export const NAMEWHAT_FORITER = 8;
// @ts-ignore: decorator
@inline export const NAMEWHAT_HOOK = 9;

/** The text of a NAMEWHAT_* kind, as lua_Debug.namewhat ("" for NONE). */
export function namewhatstr(w: i32): string {
  switch (w) {
    case NAMEWHAT_GLOBAL: return "global";
    case NAMEWHAT_LOCAL: return "local";
    case NAMEWHAT_METHOD: return "method";
    case NAMEWHAT_FIELD: return "field";
    case NAMEWHAT_UPVALUE: return "upvalue";
    case NAMEWHAT_CONSTANT: return "constant";
    case NAMEWHAT_METAMETHOD: return "metamethod";
    case NAMEWHAT_FORITER: return "for iterator";
    case NAMEWHAT_HOOK: return "hook";
    default: return "";
  }
}

/** Metamethod names without "__", indexed by TMS (ltm.h ORDER TM; OP_MMBIN's C operand). */
function tmname(tm: i32): string {
  switch (tm) {
    case 0: return "index";   case 1: return "newindex"; case 2: return "gc";    case 3: return "mode";
    case 4: return "len";     case 5: return "eq";       case 6: return "add";   case 7: return "sub";
    case 8: return "mul";     case 9: return "mod";      case 10: return "pow";  case 11: return "div";
    case 12: return "idiv";   case 13: return "band";    case 14: return "bor";  case 15: return "bxor";
    case 16: return "shl";    case 17: return "shr";     case 18: return "unm";  case 19: return "bnot";
    case 20: return "lt";     case 21: return "le";      case 22: return "concat"; case 23: return "call";
    case 24: return "close";
    default: return "?";
  }
}
// @ts-ignore: decorator
@inline const TM_INDEX = 0;
// @ts-ignore: decorator
@inline const TM_NEWINDEX = 1;
// @ts-ignore: decorator
@inline const TM_LEN = 4;
// @ts-ignore: decorator
@inline const TM_EQ = 5;
// @ts-ignore: decorator
@inline const TM_UNM = 18;
// @ts-ignore: decorator
@inline const TM_BNOT = 19;
// @ts-ignore: decorator
@inline const TM_LT = 20;
// @ts-ignore: decorator
@inline const TM_LE = 21;
// @ts-ignore: decorator
@inline const TM_CONCAT = 22;
// @ts-ignore: decorator
@inline const TM_CLOSE = 24;

// ==== The name found by the symbolic execution ====
// PUC returns names through `const char **name`; here the last name found lives in these two
// variables: a TString (names of locals, upvalues, constants) or a fixed literal ("?",
// "integer index", "for iterator", metamethod names) when nameTS is 0.
let nameTS: usize = 0;
let nameLit: string = "?";

function setnameTS(ts: usize): void { nameTS = ts; nameLit = "?"; }   // ts == 0 reads as "?"
function setnameLit(s: string): void { nameTS = 0; nameLit = s; }

/** Appends the bytes of a TString up to its first zero byte (what C's "%s" prints). */
function addcstr(b: Buffer, ts: usize): void {
  const s = getstr(ts);
  const n = tsslen(ts);
  let i = 0;
  while (i < n && load<u8>(s + <usize>i) != 0) i++;
  buf_addbytes(b, s, i);
}

function addname(b: Buffer): void {
  if (nameTS != 0) addcstr(b, nameTS); else buf_addstr(b, nameLit);
}

/** Whether a TString is the name "_ENV". */
function isENVname(ts: usize): bool {
  if (ts == 0 || tsslen(ts) != 4) return false;
  const s = getstr(ts);
  return load<u8>(s) == 95 && load<u8>(s, 1) == 69 && load<u8>(s, 2) == 78 && load<u8>(s, 3) == 86;
}

// ==== Line information ====

// @ts-ignore: decorator
@inline function instr(p: usize, pc: i32): u32 { return load<u32>(p_code(p) + (<usize>pc << 2)); }

/** The prototype running in a Lua frame. */
// @ts-ignore: decorator
@inline function ciproto(ci: usize): usize { return cl_proto(clvalue(ci_func(ci))); }

/** Whether `ci` runs a Lua function (and its function slot really holds a Lua closure). */
// @ts-ignore: decorator
@inline function isLuaframe(ci: usize): bool { return isLua(ci) && ttisLclosure(ci_func(ci)); }

/** Index of the instruction being executed by a Lua frame (pcRel). */
export function currentpc(ci: usize): i32 {
  return <i32>((ci_savedpc(ci) - p_code(ciproto(ci))) >> 2) - 1;
}

/** Source line of instruction `pc` of `p`; -1 without line information. */
export function luaG_getfuncline(p: usize, pc: i32): i32 {
  const li = p_lineinfo(p);
  if (li == 0) return -1;
  if (pc < 0) return p_linedefined(p);              // not started yet: PUC's base line
  if (pc >= p_sizecode(p)) pc = p_sizecode(p) - 1;
  return load<i32>(li + (<usize>pc << 2));
}

/** Line of the instruction being executed by a Lua frame. */
export function getcurrentline(ci: usize): i32 {
  return luaG_getfuncline(ciproto(ci), currentpc(ci));
}

/** Appends the short source of a frame's function: chunk id, "[C]", or "?" without source. */
function addshortsrc(b: Buffer, ci: usize): void {
  if (!ttisLclosure(ci_func(ci))) { buf_addstr(b, "[C]"); return; }
  const src = p_source(ciproto(ci));
  if (src == 0) buf_addstr(b, "?"); else luaO_chunkid(b, src);
}

/** The frame at `level` (0 = running function) of thread L, or 0 (lua_getstack). */
export function luaG_getstack(L: usize, level: i32): usize {
  if (level < 0) return 0;
  const base = L_baseci(L);
  let ci = L_ci(L);
  while (level > 0 && ci != base) { level--; ci = ci_previous(ci); }
  return (level == 0 && ci != base) ? ci : 0;
}

/** Appends "chunkid:line: " for the function at `level` if it is Lua code with line info (luaL_where). */
export function luaG_addwhere(L: usize, level: i32, b: Buffer): void {
  const ci = luaG_getstack(L, level);
  if (ci == 0 || !isLuaframe(ci)) return;
  const line = getcurrentline(ci);
  if (line <= 0) return;
  addshortsrc(b, ci);
  buf_addbyte(b, 58 /* ':' */);
  buf_addint(b, line);
  buf_addstr(b, ": ");
}

// ==== Symbolic execution ====

/** Name of the `n`-th (1-based) local variable active at `pc`, or 0 (luaF_getlocalname). */
export function luaG_getlocalname(p: usize, n: i32, pc: i32): usize {
  const nvars = p_sizelocvars(p);
  for (let i = 0; i < nvars; i++) {
    const v = locvar(p, i);
    if (lv_startpc(v) > pc) break;
    if (pc < lv_endpc(v)) {                         // is the variable active?
      n--;
      if (n == 0) return lv_name(v);
    }
  }
  return 0;
}

/** Sets the name to upvalue `uv` of `p` ("?" when stripped). */
function upvalname(p: usize, uv: i32): void {
  setnameTS(uv >= 0 && uv < p_sizeupvalues(p) ? uvd_name(upvaldesc(p, uv)) : 0);
}

/**
 * The last instruction before `lastpc` that wrote register `reg`, or -1 when unknown or when that
 * instruction sits in conditional code (after a forward jump target that lies before lastpc).
 */
function findsetreg(p: usize, lastpc: i32, reg: i32): i32 {
  if (testMMMode(GET_OPCODE(instr(p, lastpc))))
    lastpc--;                                       // the arithmetic op before MMBIN did not finish
  let setreg = -1;
  let jmptarget = 0;                                // code before this address is conditional
  for (let pc = 0; pc < lastpc; pc++) {
    const i = instr(p, pc);
    const op = GET_OPCODE(i);
    const a = GETARG_A(i);
    let change = false;
    switch (op) {
      case OP.LOADNIL: change = a <= reg && reg <= a + GETARG_B(i); break;   // A .. A+B
      case OP.TFORCALL: change = reg >= a + 2; break;                        // all above its base
      case OP.CALL:
      case OP.TAILCALL: change = reg >= a; break;                            // all above the function
      case OP.JMP: {                                                         // moves the jump target
        const dest = pc + 1 + GETARG_sJ(i);
        if (dest <= lastpc && dest > jmptarget) jmptarget = dest;
        break;
      }
      default: change = testAMode(op) && reg == a;
    }
    if (change) setreg = pc < jmptarget ? -1 : pc;
  }
  return setreg;
}

/** Names constant `idx`: a string constant gives "constant"; anything else "?" and NONE. */
function kname(p: usize, idx: i32): i32 {
  const k = p_k(p) + (<usize>idx << 4);
  if (ttisstring(k)) { setnameTS(tsvalue(k)); return NAMEWHAT_CONSTANT; }
  setnameLit("?");
  return NAMEWHAT_NONE;
}

/** basicgetobjname's second result: the instruction that set the register (-1 if none). */
let setpc: i32 = -1;

/**
 * Names register `reg` at `pc` from locals, upvalues (OP_GETUPVAL), string constants (OP_LOADK*)
 * and copies of those (OP_MOVE from a lower register). Leaves in `setpc` the instruction found.
 */
function basicgetobjname(p: usize, pc: i32, reg: i32): i32 {
  setpc = pc;
  const lname = luaG_getlocalname(p, reg + 1, pc);
  if (lname != 0) { setnameTS(lname); return NAMEWHAT_LOCAL; }
  pc = findsetreg(p, pc, reg);
  setpc = pc;
  if (pc != -1) {
    const i = instr(p, pc);
    switch (GET_OPCODE(i)) {
      case OP.MOVE: {
        const b = GETARG_B(i);                      // moved from b to a
        if (b < GETARG_A(i)) return basicgetobjname(p, pc, b);
        break;
      }
      case OP.GETUPVAL: upvalname(p, GETARG_B(i)); return NAMEWHAT_UPVALUE;
      case OP.LOADK: return kname(p, GETARG_Bx(i));
      case OP.LOADKX: return kname(p, GETARG_Ax(instr(p, pc + 1)));
      default: break;
    }
  }
  return NAMEWHAT_NONE;
}

/** Names a key held in register `c`: only a string constant gives a name, else "?" (rname). */
function rname(p: usize, pc: i32, c: i32): void {
  if (basicgetobjname(p, pc, c) != NAMEWHAT_CONSTANT) setnameLit("?");
}

/** Names the C operand of an RK instruction (constant or register). */
function rkname(p: usize, pc: i32, i: u32): void {
  const c = GETARG_C(i);
  if (GETARG_k(i)) kname(p, c); else rname(p, pc, c);
}

/**
 * "global" when the table indexed by instruction `i` (upvalue or register B) is the variable
 * _ENV, "field" otherwise. A register only counts when it holds a local or upvalue named _ENV
 * (not, e.g., a field called "_ENV"). Clobbers the current name.
 */
function isEnv(p: usize, pc: i32, i: u32, isup: bool): i32 {
  const t = GETARG_B(i);
  let name: usize = 0;
  if (isup) {
    if (t < p_sizeupvalues(p)) name = uvd_name(upvaldesc(p, t));
  } else {
    const what = basicgetobjname(p, pc, t);
    if (what == NAMEWHAT_LOCAL || what == NAMEWHAT_UPVALUE) name = nameTS;
  }
  return isENVname(name) ? NAMEWHAT_GLOBAL : NAMEWHAT_FIELD;
}

/** Names register `reg` at instruction `lastpc`: basicgetobjname plus table accesses. */
function getobjname(p: usize, lastpc: i32, reg: i32): i32 {
  if (lastpc < 0 || lastpc >= p_sizecode(p)) return NAMEWHAT_NONE;
  const kind = basicgetobjname(p, lastpc, reg);
  if (kind != NAMEWHAT_NONE) return kind;
  const pc = setpc;
  if (pc == -1) return NAMEWHAT_NONE;
  const i = instr(p, pc);
  switch (GET_OPCODE(i)) {
    case OP.GETTABUP: {                             // UpValue[B][K[C]]
      const w = isEnv(p, pc, i, true);
      kname(p, GETARG_C(i));
      return w;
    }
    case OP.GETTABLE: {                             // R[B][R[C]]
      const w = isEnv(p, pc, i, false);
      rname(p, pc, GETARG_C(i));
      return w;
    }
    case OP.GETI: setnameLit("integer index"); return NAMEWHAT_FIELD;
    case OP.GETFIELD: {                             // R[B][K[C]]
      const w = isEnv(p, pc, i, false);
      kname(p, GETARG_C(i));
      return w;
    }
    case OP.SELF: rkname(p, pc, i); return NAMEWHAT_METHOD;
    default: return NAMEWHAT_NONE;
  }
}

/**
 * Names the function called by instruction `pc` of `p`: the called register for OP_CALL and
 * OP_TAILCALL, "for iterator", or the metamethod event of instructions that call metamethods.
 */
function funcnamefromcode(p: usize, pc: i32): i32 {
  if (pc < 0 || pc >= p_sizecode(p)) return NAMEWHAT_NONE;
  const i = instr(p, pc);
  let tm: i32;
  switch (GET_OPCODE(i)) {
    case OP.CALL:
    case OP.TAILCALL: return getobjname(p, pc, GETARG_A(i));
    case OP.TFORCALL: setnameLit("for iterator"); return NAMEWHAT_FORITER;
    case OP.SELF: case OP.GETTABUP: case OP.GETTABLE: case OP.GETI: case OP.GETFIELD:
      tm = TM_INDEX; break;
    case OP.SETTABUP: case OP.SETTABLE: case OP.SETI: case OP.SETFIELD:
      tm = TM_NEWINDEX; break;
    case OP.MMBIN: case OP.MMBINI: case OP.MMBINK: tm = GETARG_C(i); break;
    case OP.UNM: tm = TM_UNM; break;
    case OP.BNOT: tm = TM_BNOT; break;
    case OP.LEN: tm = TM_LEN; break;
    case OP.CONCAT: tm = TM_CONCAT; break;
    case OP.EQ: tm = TM_EQ; break;                  // EQK and EQI never call metamethods
    case OP.LT: case OP.LTI: case OP.GTI: tm = TM_LT; break;
    case OP.LE: case OP.LEI: case OP.GEI: tm = TM_LE; break;
    case OP.CLOSE: case OP.RETURN: tm = TM_CLOSE; break;
    default: return NAMEWHAT_NONE;
  }
  setnameLit(tmname(tm));
  return NAMEWHAT_METAMETHOD;
}

/** Names the function being called by frame `ci` (the caller) from how it calls. */
function funcnamefromcall(ci: usize): i32 {
  const st = ci_callstatus(ci);
  if (st & CIST_HOOKED) { setnameLit("?"); return NAMEWHAT_HOOK; }
  if (st & CIST_FIN) { setnameLit("__gc"); return NAMEWHAT_METAMETHOD; }
  if (isLuaframe(ci)) return funcnamefromcode(ciproto(ci), currentpc(ci));
  return NAMEWHAT_NONE;
}

/**
 * Name of the function running in `ci`, from its caller's calling instruction (getfuncname):
 * appends the name to `out` and returns its NAMEWHAT_*; NONE (nothing appended) when the caller
 * is a native or the frame was tail called.
 */
export function luaG_funcname(L: usize, ci: usize, out: Buffer): i32 {
  if (ci == 0 || ci == L_baseci(L) || (ci_callstatus(ci) & CIST_TAIL) != 0) return NAMEWHAT_NONE;
  const prev = ci_previous(ci);
  if (prev == 0) return NAMEWHAT_NONE;
  const kind = funcnamefromcall(prev);
  if (kind != NAMEWHAT_NONE) addname(out);
  return kind;
}

// ==== Variable information for type errors ====

/** Register index of `o` in the frame of `ci`, or -1 if `o` is not one of its registers. */
function instack(ci: usize, o: usize): i32 {
  const base = ci_func(ci) + 16;
  if (o < base || o >= ci_top(ci) || ((o - base) & 15) != 0) return -1;
  return <i32>((o - base) >> 4);
}

/** Appends " (kind 'name')", or nothing for NONE (formatvarinfo). */
function formatvarinfo(b: Buffer, kind: i32): void {
  if (kind == NAMEWHAT_NONE) return;
  buf_addstr(b, " (");
  buf_addstr(b, namewhatstr(kind));
  buf_addstr(b, " '");
  addname(b);
  buf_addstr(b, "')");
}

/** Appends a description of where value `o` came from in the running Lua function (varinfo). */
function varinfo(L: usize, o: usize, b: Buffer): void {
  const ci = L_ci(L);
  if (!isLuaframe(ci)) return;
  const cl = clvalue(ci_func(ci));
  const p = cl_proto(cl);
  let kind = NAMEWHAT_NONE;
  const n = cl_nupvalues(cl);
  for (let i = 0; i < n; i++) {                     // an upvalue (OP_GETTABUP/OP_SETTABUP)?
    const uv = cl_upval(cl, i);
    if (uv != 0 && uv_v(uv) == o) { upvalname(p, i); kind = NAMEWHAT_UPVALUE; break; }
  }
  if (kind == NAMEWHAT_NONE) {                      // a register?
    const reg = instack(ci, o);
    if (reg >= 0) kind = getobjname(p, currentpc(ci), reg);
  }
  formatvarinfo(b, kind);
}

// ==== Raising errors ====

/** Nested applications of message handlers in progress (guards a handler that always fails). */
let handlerdepth: i32 = 0;
/** True when the last error became "error in error handling" (status LUA_ERRERR in PUC). */
export let errerr: bool = false;
/** True when the last error raised was a memory error (status LUA_ERRMEM in PUC). */
export let memerr: bool = false;

/**
 * Raises the memory error (luaD_throw(L, LUA_ERRMEM)): the bare message "not enough memory", no
 * position, and no message handler (PUC calls none for memory errors). Returns ERR.
 */
export function luaG_memerror(L: usize): i32 {
  setsvalue(errobj, luaS_new("not enough memory"));
  errerr = false;
  memerr = true;
  return ERR;
}

/**
 * Raises "error in error handling" (luaD_throw(L, LUA_ERRERR)), e.g. when the stack overflows again
 * while a stack overflow is being handled: no position, no message handler. Returns ERR.
 */
export function luaG_errerr(L: usize): i32 {
  setsvalue(errobj, luaS_new("error in error handling"));
  errerr = true;
  memerr = false;
  return ERR;
}

/**
 * Applies the message handler of the current xpcall (L.errfunc, a byte offset from the stack
 * base; 0 = none) to the error object in `errobj`; its single result becomes the new error object.
 * If the handler fails, its own error (already handled by the nested raise) stays in errobj, as
 * in PUC where the inner throw wins. Too many nested failures give "error in error handling".
 * Returns ERR.
 */
export function luaG_errormsg(L: usize): i32 {
  errerr = false;
  memerr = false;
  const ef = L_errfunc(L);
  if (ef == 0) return ERR;
  if (handlerdepth >= LUAI_MAXCCALLS || getCcalls(L) >= <u32>(LUAI_MAXCCALLS / 10 * 11)) {
    setsvalue(errobj, luaS_new("error in error handling"));
    errerr = true;
    return ERR;
  }
  const ci = L_ci(L);
  const oldtop = savestack(L, L_top(L));
  let top = L_top(L);
  if (isLua(ci) && ci_top(ci) > top) top = ci_top(ci);   // keep the frame's registers intact
  const fpos = savestack(L, top);
  setobj(top, restorestack(L, ef));                 // handler
  setobj(top + 16, errobj);                         // its argument (EXTRA_STACK has room for both)
  L_settop(L, top + 32);
  handlerdepth++;
  const st = luaD_callnoyield(L, top, 1);
  handlerdepth--;
  if (st == OK) setobj(errobj, restorestack(L, fpos));
  L_setci(L, ci);
  L_settop(L, restorestack(L, oldtop));
  return ERR;
}

// ==== Argument errors (luaL_error, luaL_argerror, luaL_typeerror of lauxlib.c) ====
// Natives raise them through lib/aux.ts, which re-exports these under their lauxlib names; they live
// here because pcall and xpcall, which the VM runs as frames, raise them too, and the core never
// depends on the libraries (PUC's core never includes lauxlib).

/**
 * Set when a native's argument check has raised an error: further checks are no-ops and the native
 * returns ERR (lib/aux.ts). The VM clears it before calling a native and when an error is caught.
 */
export let argfail: bool = false;
export function clearargfail(): void { argfail = false; }

/** Raises the message in `b` prefixed by the position of the calling Lua code (luaL_error). */
export function luaG_errorb(L: usize, b: Buffer): i32 {
  const w = buf_new();
  luaG_addwhere(L, 1, w);
  buf_addbytes(w, b.ptr, b.len);
  setsvalue(errobj, luaS_newlstr(w.ptr, w.len));
  buf_free(w);
  const r = luaG_errormsg(L);   // may run a message handler (a native call clears argfail)
  argfail = true;
  return r;
}

/** "bad argument #arg to 'fname' (extra)" (luaL_argerror), or "calling 'm' on bad self (extra)". */
export function luaG_argerror(L: usize, arg: i32, extra: Buffer): i32 {
  if (argfail) return ERR;
  const name = buf_new();
  const what = luaG_funcname(L, L_ci(L), name);
  const b = buf_new();
  if (what == NAMEWHAT_METHOD) {
    arg--;
    if (arg == 0) {
      buf_addstr(b, "calling '"); buf_addbytes(b, name.ptr, name.len);
      buf_addstr(b, "' on bad self ("); buf_addbytes(b, extra.ptr, extra.len); buf_addstr(b, ")");
      const r = luaG_errorb(L, b);
      buf_free(b); buf_free(name);
      return r;
    }
  }
  if (name.len == 0) luaG_globalfuncname(ci_func(L_ci(L)), name);   // pushglobalfuncname
  buf_addstr(b, "bad argument #"); buf_addint(b, arg); buf_addstr(b, " to '");
  if (name.len == 0) buf_addstr(b, "?"); else buf_addbytes(b, name.ptr, name.len);
  buf_addstr(b, "' ("); buf_addbytes(b, extra.ptr, extra.len); buf_addstr(b, ")");
  const r = luaG_errorb(L, b);
  buf_free(b); buf_free(name);
  return r;
}

/** luaG_argerror with a fixed message. */
export function luaG_argerrorstr(L: usize, arg: i32, extramsg: string): i32 {
  if (argfail) return ERR;
  const e = buf_new();
  buf_addstr(e, extramsg);
  const r = luaG_argerror(L, arg, e);
  buf_free(e);
  return r;
}

/** Appends the type name of the value at idx, honouring __name (as luaL_typeerror does). */
function addtypename(L: usize, idx: i32, b: Buffer): void {
  const o = index2value(L, idx);
  const mt = getmetatableof(o);
  if (mt != 0) {
    const n = luaH_getstr(mt, luaS_new("__name"));
    if (ttisstring(n)) { buf_addbytes(b, getstr(tsvalue(n)), tsslen(tsvalue(n))); return; }
  }
  if (ttype(o) == 2) { buf_addstr(b, "light userdata"); return; }   // LUA_TLIGHTUSERDATA
  buf_addstr(b, lua_typename(lua_type(L, idx)));
}

/** "<tname> expected, got <type>" as an argument error (luaL_typeerror). */
export function luaG_argtypeerror(L: usize, arg: i32, tname: string): i32 {
  if (argfail) return ERR;
  const e = buf_new();
  buf_addstr(e, tname); buf_addstr(e, " expected, got ");
  if (isnone(L, arg)) buf_addstr(e, "no value"); else addtypename(L, arg, e);
  const r = luaG_argerror(L, arg, e);
  buf_free(e);
  return r;
}

/** Appends "chunkid:line: " for prototype `p` (luaG_addinfo). */
function addinfo(b: Buffer, p: usize, line: i32): void {
  const src = p_source(p);
  if (src == 0) buf_addstr(b, "?"); else luaO_chunkid(b, src);
  buf_addbyte(b, 58 /* ':' */);
  buf_addint(b, line);
  buf_addstr(b, ": ");
}

/** Raises the message in `b`, prefixed by the position when the running frame is Lua code. */
export function luaG_runerror(L: usize, b: Buffer): i32 {
  const ci = L_ci(L);
  const w = buf_new();
  if (isLuaframe(ci)) addinfo(w, ciproto(ci), getcurrentline(ci));
  buf_addbytes(w, b.ptr, b.len);
  setsvalue(errobj, luaS_newlstr(w.ptr, w.len));
  buf_free(w);
  return luaG_errormsg(L);
}

/** luaG_runerror with a fixed message. */
export function luaG_runerrorstr(L: usize, msg: string): i32 {
  const b = buf_new();
  buf_addstr(b, msg);
  const r = luaG_runerror(L, b);
  buf_free(b);
  return r;
}

/** "attempt to <op> a <type> value<extra>" where `extra` is built by the caller. */
function typeerror(L: usize, o: usize, op: string, extra: Buffer): i32 {
  const b = buf_new();
  buf_addstr(b, "attempt to ");
  buf_addstr(b, op);
  buf_addstr(b, " a ");
  luaT_objtypename(o, b);
  buf_addstr(b, " value");
  buf_addbytes(b, extra.ptr, extra.len);
  const r = luaG_runerror(L, b);
  buf_free(b);
  return r;
}

/** Type error with the variable information of `o`: "attempt to index a nil value (global 'x')". */
export function luaG_typeerror(L: usize, o: usize, op: string): i32 {
  const extra = buf_new();
  varinfo(L, o, extra);
  const r = typeerror(L, o, op, extra);
  buf_free(extra);
  return r;
}

/**
 * Calling a non-callable value: the name comes first from the calling instruction of the running
 * frame (which may be a metamethod event, e.g. "(metamethod 'add')"), else from varinfo.
 */
export function luaG_callerror(L: usize, o: usize): i32 {
  const extra = buf_new();
  const ci = L_ci(L);
  const kind = ci != L_baseci(L) ? funcnamefromcall(ci) : NAMEWHAT_NONE;
  if (kind != NAMEWHAT_NONE) formatvarinfo(extra, kind); else varinfo(L, o, extra);
  const r = typeerror(L, o, "call", extra);
  buf_free(extra);
  return r;
}

/** "bad 'for' <what> (number expected, got <type>)"; what: "initial value", "limit", "step". */
export function luaG_forerror(L: usize, o: usize, what: string): i32 {
  const b = buf_new();
  buf_addstr(b, "bad 'for' ");
  buf_addstr(b, what);
  buf_addstr(b, " (number expected, got ");
  luaT_objtypename(o, b);
  buf_addstr(b, ")");
  const r = luaG_runerror(L, b);
  buf_free(b);
  return r;
}

/** Concatenation error: blames the first operand that is neither a string nor a number. */
export function luaG_concaterror(L: usize, p1: usize, p2: usize): i32 {
  if (ttisstring(p1) || ttisnumber(p1)) p1 = p2;
  return luaG_typeerror(L, p1, "concatenate");
}

/** Arithmetic/bitwise error: blames p1 unless it is a number, then p2. */
export function luaG_opinterror(L: usize, p1: usize, p2: usize, msg: string): i32 {
  if (!ttisnumber(p1)) p2 = p1;
  return luaG_typeerror(L, p2, msg);
}

/** Whether a number value has an exact integer representation (luaV_tointegerns, F2Ieq). */
function hasintrep(o: usize): bool {
  if (ttisinteger(o)) return true;
  if (!ttisfloat(o)) return false;
  const f = fltvalue(o);
  return Math.floor(f) == f && f >= -9223372036854775808.0 && f < 9223372036854775808.0;
}

/** Bitwise operation on floats without integer value: "number (local 'x') has no integer representation". */
export function luaG_tointerror(L: usize, p1: usize, p2: usize): i32 {
  if (!hasintrep(p1)) p2 = p1;
  const b = buf_new();
  buf_addstr(b, "number");
  varinfo(L, p2, b);
  buf_addstr(b, " has no integer representation");
  const r = luaG_runerror(L, b);
  buf_free(b);
  return r;
}

/** "attempt to compare two X values" or "attempt to compare X with Y". */
export function luaG_ordererror(L: usize, p1: usize, p2: usize): i32 {
  const t1 = buf_new();
  const t2 = buf_new();
  luaT_objtypename(p1, t1);
  luaT_objtypename(p2, t2);
  const b = buf_new();
  buf_addstr(b, "attempt to compare ");
  if (t1.len == t2.len && memory.compare(t1.ptr, t2.ptr, <usize>t1.len) == 0) {
    buf_addstr(b, "two ");
    buf_addbytes(b, t1.ptr, t1.len);
    buf_addstr(b, " values");
  } else {
    buf_addbytes(b, t1.ptr, t1.len);
    buf_addstr(b, " with ");
    buf_addbytes(b, t2.ptr, t2.len);
  }
  buf_free(t1); buf_free(t2);
  const r = luaG_runerror(L, b);
  buf_free(b);
  return r;
}

// ==== Global names of functions (pushglobalfuncname) ====

/** Raw equality of two function values (lua_rawequal restricted to what findfield compares). */
function samefunc(a: usize, b: usize): bool {
  if (rawtt(a) != rawtt(b)) return false;
  return ttislcf(a) ? fvalue(a) == fvalue(b) : gcvalue(a) == gcvalue(b);
}

/**
 * Searches table `t` for function `f` among string keys, recursing `level - 1` more levels into
 * table values; on success appends "key" or "key.subkey" to `b` (findfield of lauxlib.c).
 */
function findfield(t: usize, f: usize, level: i32, b: Buffer): bool {
  if (level == 0 || isdummy(t)) return false;
  const n = sizenode(t);
  for (let i = 0; i < n; i++) {
    const node = gnode(t, i);
    const v = gval(node);
    const k = gkey(node);
    if (!ttisstring(k) || ttisnil(v)) continue;      // non-string key or empty slot
    if (samefunc(v, f)) { addcstr(b, tsvalue(k)); return true; }
    if (level > 1 && ttistable(v)) {
      const mark = b.len;
      addcstr(b, tsvalue(k));
      buf_addbyte(b, 46 /* '.' */);
      if (findfield(hvalue(v), f, level - 1, b)) return true;
      b.len = mark;
    }
  }
  return false;
}

/** Standard library tables searched when the registry has no _LOADED table yet. */
function stdlibname(i: i32): string {
  switch (i) {
    case 0: return "string"; case 1: return "table"; case 2: return "math"; case 3: return "io";
    case 4: return "os"; case 5: return "coroutine"; case 6: return "utf8"; case 7: return "debug";
    case 8: return "package";
    default: return "";
  }
}

/**
 * Appends the global name of function value `f` ("print", "string.format") and returns true, as
 * 5.4's pushglobalfuncname: searched in package.loaded (registry._LOADED) two levels deep with a
 * leading "_G." removed. Without _LOADED, searches the standard library tables, then _G.
 */
export function luaG_globalfuncname(f: usize, b: Buffer): bool {
  if (!ttisfunction(f)) return false;
  const start = b.len;
  if (registry != 0) {
    const loaded = luaH_getstr(registry, luaS_new("_LOADED"));
    if (ttistable(loaded)) {
      if (!findfield(hvalue(loaded), f, 2, b)) return false;
      if (b.len - start > 3 && load<u8>(b.ptr + <usize>start) == 95 /* '_' */ &&
          load<u8>(b.ptr + <usize>start + 1) == 71 /* 'G' */ && load<u8>(b.ptr + <usize>start + 2) == 46) {
        memory.copy(b.ptr + <usize>start, b.ptr + <usize>start + 3, <usize>(b.len - start - 3));
        b.len -= 3;
      }
      return true;
    }
  }
  if (globaltable == 0) return false;
  for (let i = 0; i < 9; i++) {
    const lib = luaH_getstr(globaltable, luaS_new(stdlibname(i)));
    if (!ttistable(lib)) continue;
    buf_addstr(b, stdlibname(i));
    buf_addbyte(b, 46 /* '.' */);
    if (findfield(hvalue(lib), f, 1, b)) return true;
    b.len = start;
  }
  return findfield(globaltable, f, 1, b);
}

// ==== Traceback (luaL_traceback) ====

// @ts-ignore: decorator
@inline const LEVELS1 = 10;    // frames shown before the "skipping" line
// @ts-ignore: decorator
@inline const LEVELS2 = 11;    // frames shown after it

/** Index of the last existing level of L (lastlevel; 0 when there is none). */
function lastlevel(L: usize): i32 {
  const base = L_baseci(L);
  let n = 0;
  for (let ci = L_ci(L); ci != base && ci != 0; ci = ci_previous(ci)) n++;
  return n > 0 ? n - 1 : 0;
}

/** Appends the description of the function of frame `ci` (pushfuncname). */
function addfuncname(L: usize, ci: usize, b: Buffer): void {
  const f = ci_func(ci);
  const mark = b.len;
  buf_addstr(b, "function '");
  if (luaG_globalfuncname(f, b)) { buf_addbyte(b, 39 /* '\'' */); return; }
  b.len = mark;
  const name = buf_new();
  const kind = luaG_funcname(L, ci, name);
  if (kind != NAMEWHAT_NONE) {
    buf_addstr(b, namewhatstr(kind));
    buf_addstr(b, " '");
    buf_addbytes(b, name.ptr, name.len);
    buf_addbyte(b, 39);
  } else if (ttisLclosure(f)) {
    const p = ciproto(ci);
    if (p_linedefined(p) == 0) buf_addstr(b, "main chunk");
    else {
      buf_addstr(b, "function <");
      addshortsrc(b, ci);
      buf_addbyte(b, 58 /* ':' */);
      buf_addint(b, p_linedefined(p));
      buf_addbyte(b, 62 /* '>' */);
    }
  } else buf_addstr(b, "?");
  buf_free(name);
}

/**
 * Appends a traceback of thread L1 from `level` in luaL_traceback's format: `msg` (a TString or
 * 0) and a newline, "stack traceback:", then one "\n\t<where>: in <function>" line per frame, with
 * "\n\t(...tail calls...)" after tail-called frames; with more than LEVELS1 + LEVELS2 levels, the
 * middle ones are replaced by "\n\t...\t(skipping N levels)".
 */
export function luaG_traceback(L: usize, L1: usize, msg: usize, level: i32, b: Buffer): void {
  const last = lastlevel(L1);
  let limit2show = last - level > LEVELS1 + LEVELS2 ? LEVELS1 : -1;
  if (msg != 0) {
    addcstr(b, msg);                                // luaL_addstring: stops at a zero byte
    buf_addbyte(b, 10);
  }
  buf_addstr(b, "stack traceback:");
  let lv = level;
  while (true) {
    const ci = luaG_getstack(L1, lv);
    lv++;
    if (ci == 0) break;
    if (limit2show-- == 0) {                        // too many levels: skip to the last ones
      const n = last - lv - LEVELS2 + 1;
      buf_addstr(b, "\n\t...\t(skipping ");
      buf_addint(b, n);
      buf_addstr(b, " levels)");
      lv += n;
      continue;
    }
    buf_addstr(b, "\n\t");
    addshortsrc(b, ci);
    const line = isLuaframe(ci) ? getcurrentline(ci) : -1;
    if (line > 0) { buf_addbyte(b, 58); buf_addint(b, line); }
    buf_addstr(b, ": in ");
    addfuncname(L, ci, b);
    if (ci_callstatus(ci) & CIST_TAIL) buf_addstr(b, "\n\t(...tail calls...)");
  }
}
