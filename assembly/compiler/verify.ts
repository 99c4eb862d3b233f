// verify.ts - bytecode verifier for prototypes read from binary chunks (PUC has none: luai_verifycode).
// Invariant: a prototype that passes `luaU_verify` cannot make vm/execute.ts read or write outside
// its frame, its constants, its upvalues or its code, nor confuse a value's type where the VM trusts
// the compiler (SETLIST's table, FORLOOP's numeric counters, SELF's string key, GETFIELD's short-string
// key), nor corrupt the to-be-closed list or leave open upvalues into a dead frame. Everything our
// compiler emits passes (spec/host/dump-roundtrip checks this over the whole spec corpus).
//
// Two passes over each prototype:
//  1. structure: opcode numbers, register operands against maxstacksize, constant/proto/upvalue
//     indices, constant types, jump targets inside the code, the instruction that must follow (JMP
//     after a test, EXTRAARG after LOADKX/NEWTABLE/SETLIST k, MMBIN after an arithmetic op), vararg
//     consistency, and "open" instructions (B == 0 uses L.top) right after the instruction that set top.
//  2. data flow over the control-flow graph, one state per jump target, with five 256-bit register
//     sets: TABLE / STRING / NUMBER (register surely holds one: must-sets, meet = intersection),
//     ESC (an open upvalue or tbc entry may point at the register: may-set, meet = union) and TBC
//     (to-be-closed, subset of ESC). Any instruction that may run Lua code (metamethods, calls,
//     finalizers at a GC step) forgets the kinds of escaped registers, since a closure could store
//     anything there through its upvalue. States only shrink, so a check that fails on any pass
//     fails at the fixpoint too: checks run while iterating.

import { luaM_alloc, luaM_free, fits } from "../mem/alloc";
import {
  p_numparams, p_isvararg, p_maxstacksize, p_sizeupvalues, p_sizek, p_sizecode, p_sizep, p_k, p_code,
  p_proto, upvaldesc, uvd_instack, uvd_idx, uvd_kind,
} from "../object/func";
import { tvat, ttisshrstring, ttisstring, ttisnumber } from "../object/value";
import {
  OP, NUM_OPCODES, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_Ax, GETARG_sJ,
} from "../vm/opcodes";
import { TM } from "../vm/tm";

// @ts-ignore: decorator
@inline const RDKTOCLOSE: i32 = 2;           // upvalue kind of a to-be-closed variable (scope.ts)
// @ts-ignore: decorator
@inline const SETWORDS: usize = 8;           // 256 registers / 32
// @ts-ignore: decorator
@inline const S_TABLE: usize = 0;            // offsets (bytes) of the sets inside a state
// @ts-ignore: decorator
@inline const S_STRING: usize = 32;
// @ts-ignore: decorator
@inline const S_NUMBER: usize = 64;
// @ts-ignore: decorator
@inline const S_ESC: usize = 96;
// @ts-ignore: decorator
@inline const S_TBC: usize = 128;
// @ts-ignore: decorator
@inline const STATE_SIZE: usize = 160;

/** Why the last verification failed (a fixed phrase for "bad binary format (...)"), or "". */
export let verifyerr: string = "";
/** Set when the verifier itself could not get scratch memory within the limit. */
export let verifynomem: bool = false;

// ==== The prototype being verified ====
let f: usize = 0;
let code: usize = 0;
let ncode: i32 = 0;
let maxs: i32 = 0;
let nk: i32 = 0;
let nup: i32 = 0;
let isvararg: bool = false;

// @ts-ignore: decorator
@inline function instr(pc: i32): u32 { return load<u32>(code + (<usize>pc << 2)); }

function fail(why: string): bool { if (verifyerr.length == 0) verifyerr = why; return false; }

/** Registers a..a+n-1 all exist in the frame (n may be 0). */
function regs(a: i32, n: i32): bool { return a + n <= maxs ? true : fail("register out of range"); }
function reg(a: i32): bool { return regs(a, 1); }
function kidx(i: i32): bool { return i < nk ? true : fail("constant index out of range"); }
function kshrstr(i: i32): bool {
  if (!kidx(i)) return false;
  return ttisshrstring(tvat(p_k(f), i)) ? true : fail("constant is not a short string");
}
function rk(i: u32): bool { return GETARG_k(i) ? kidx(GETARG_C(i)) : reg(GETARG_C(i)); }
function upv(i: i32): bool { return i < nup ? true : fail("upvalue index out of range"); }

// ==== Pass 1: structure ====

let target: usize = 0;                       // u8[ncode]: reached by an edge other than fall-through

function edge(t: i32): bool {
  if (t < 0 || t >= ncode) return fail("jump out of code");
  store<u8>(target + <usize>t, 1);
  return true;
}

/** The instruction at pc must exist and have opcode op. */
function follows(pc: i32, op: i32): bool {
  return pc < ncode && GET_OPCODE(instr(pc)) == op ? true : fail("bad instruction sequence");
}

/** A test instruction: the next one is a JMP; either that jump runs or execution resumes at pc+2. */
function cond(pc: i32): bool { return follows(pc + 1, OP.JMP) && edge(pc + 2); }

/** The RETURN/TAILCALL C operand: numparams+1 for vararg functions (to restore func), else 0. */
function retC(i: u32): bool {
  const want = isvararg ? p_numparams(f) + 1 : 0;
  return GETARG_C(i) == want ? true : fail("bad return");
}

/** Upvalue descriptors of nested prototype `c` refer to registers/upvalues of this function. */
function checkchild(c: usize): bool {
  const n = p_sizeupvalues(c);
  for (let j = 0; j < n; j++) {
    const d = upvaldesc(c, j);
    const idx = uvd_idx(d);
    if (uvd_instack(d)) { if (!reg(idx)) return false; }
    else {
      if (!upv(idx)) return false;
      if (uvd_kind(upvaldesc(f, idx)) == RDKTOCLOSE && uvd_kind(d) != RDKTOCLOSE) return fail("bad upvalue kind");
    }
  }
  return true;
}

function checkinstr(pc: i32): bool {
  const i = instr(pc);
  const op = GET_OPCODE(i);
  const a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  switch (op) {
    case OP.MOVE: case OP.UNM: case OP.BNOT: case OP.NOT: case OP.LEN:
      return reg(a) && reg(b);
    case OP.LOADI: case OP.LOADF: case OP.LOADFALSE: case OP.LOADTRUE: case OP.CLOSE: case OP.TBC:
      return reg(a);
    case OP.LOADK: return reg(a) && kidx(GETARG_Bx(i));
    case OP.LOADKX: return reg(a) && follows(pc + 1, OP.EXTRAARG) && kidx(GETARG_Ax(instr(pc + 1))) && edge(pc + 2);
    case OP.LFALSESKIP: return reg(a) && edge(pc + 2);
    case OP.LOADNIL: return regs(a, b + 1);
    case OP.GETUPVAL: return reg(a) && upv(b);
    case OP.SETUPVAL:
      if (!reg(a) || !upv(b)) return false;
      return uvd_kind(upvaldesc(f, b)) != RDKTOCLOSE ? true : fail("assignment to to-be-closed upvalue");
    case OP.GETTABUP: return reg(a) && upv(b) && kshrstr(c);
    case OP.GETTABLE: return reg(a) && reg(b) && reg(c);
    case OP.GETI: return reg(a) && reg(b);
    case OP.GETFIELD: return reg(a) && reg(b) && kshrstr(c);
    case OP.SETTABUP: return upv(a) && kshrstr(b) && rk(i);
    case OP.SETTABLE: return reg(a) && reg(b) && rk(i);
    case OP.SETI: return reg(a) && rk(i);
    case OP.SETFIELD: return reg(a) && kshrstr(b) && rk(i);
    case OP.NEWTABLE: return reg(a) && follows(pc + 1, OP.EXTRAARG) && edge(pc + 2);
    case OP.SELF:
      if (!regs(a, 2) || !reg(b)) return false;
      if (GETARG_k(i)) {
        if (!kidx(c)) return false;
        return ttisstring(tvat(p_k(f), c)) ? true : fail("constant is not a string");
      }
      return reg(c) && (c != a + 1 ? true : fail("bad method key"));   // R[A+1] is written first
    case OP.ADDI: case OP.SHRI: case OP.SHLI:
      return reg(a) && reg(b) && edge(pc + 2);      // success skips the MMBIN that follows
    case OP.ADDK: case OP.SUBK: case OP.MULK: case OP.MODK: case OP.POWK: case OP.DIVK: case OP.IDIVK:
    case OP.BANDK: case OP.BORK: case OP.BXORK:
      return reg(a) && reg(b) && kidx(c) && edge(pc + 2);
    case OP.ADD: case OP.SUB: case OP.MUL: case OP.MOD: case OP.POW: case OP.DIV: case OP.IDIV:
    case OP.BAND: case OP.BOR: case OP.BXOR: case OP.SHL: case OP.SHR:
      return reg(a) && reg(b) && reg(c) && edge(pc + 2);
    case OP.MMBIN: case OP.MMBINI: case OP.MMBINK: {
      if (!reg(a)) return false;
      if (op == OP.MMBIN && !reg(b)) return false;
      if (op == OP.MMBINK && !kidx(b)) return false;
      if (c < TM.ADD || c > TM.SHR) return fail("bad metamethod event");
      if (pc == 0) return fail("bad instruction sequence");
      const prev = GET_OPCODE(instr(pc - 1));        // its A receives the result
      return prev >= OP.ADDI && prev <= OP.SHR ? true : fail("bad instruction sequence");
    }
    case OP.CONCAT: return b >= 2 ? regs(a, b) : fail("bad concat");
    case OP.JMP: return edge(pc + 1 + GETARG_sJ(i));
    case OP.EQ: case OP.LT: case OP.LE: return reg(a) && reg(b) && cond(pc);
    case OP.EQK: return reg(a) && kidx(b) && cond(pc);
    case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI: case OP.TEST:
      return reg(a) && cond(pc);
    case OP.TESTSET: return reg(a) && reg(b) && cond(pc);
    case OP.CALL:
      if (!(b != 0 ? regs(a, b) : reg(a))) return false;
      return c >= 2 ? regs(a, c - 1) : true;
    case OP.TAILCALL: return (b != 0 ? regs(a, b) : reg(a)) && retC(i) && (pc + 1 < ncode ? true : fail("bad return"));
    case OP.RETURN:
      if (b != 0 && !regs(a, b - 1)) return false;
      if (b == 0 && !reg(a)) return false;
      return retC(i);
    case OP.RETURN0: return !isvararg && regs(a, 0) ? true : fail("bad return");
    case OP.RETURN1: return !isvararg && reg(a) ? true : fail("bad return");
    case OP.FORLOOP: case OP.TFORLOOP:
      return regs(a, op == OP.FORLOOP ? 4 : 5) && edge(pc + 1 - GETARG_Bx(i));
    case OP.FORPREP: return regs(a, 4) && edge(pc + 2 + GETARG_Bx(i));
    case OP.TFORPREP: return regs(a, 4) && edge(pc + 1 + GETARG_Bx(i));
    case OP.TFORCALL: return regs(a, 7) && regs(a + 4, c);
    case OP.SETLIST:
      if (!(b != 0 ? regs(a, b + 1) : reg(a))) return false;
      return GETARG_k(i) ? follows(pc + 1, OP.EXTRAARG) && edge(pc + 2) : true;
    case OP.CLOSURE: {
      const bx = GETARG_Bx(i);
      if (!reg(a)) return false;
      return bx < p_sizep(f) ? true : fail("function index out of range");
    }
    case OP.VARARG:
      if (!isvararg) return fail("vararg in a non-vararg function");
      return c >= 2 ? regs(a, c - 1) : reg(a);
    case OP.VARARGPREP: return isvararg && pc == 0 ? true : fail("bad vararg preparation");
    case OP.EXTRAARG: return true;
    default: return fail("bad opcode");
  }
}

/** Producer of L.top for the "open" instruction at pc, or -1: CALL/VARARG with C == 0, TAILCALL. */
function openproducer(pc: i32): i32 {
  if (pc == 0 || load<u8>(target + <usize>pc) != 0) return -1;   // must be reached only from pc-1
  const p = instr(pc - 1);
  const op = GET_OPCODE(p);
  if ((op == OP.CALL || op == OP.VARARG) && GETARG_C(p) == 0) return GETARG_A(p);
  if (op == OP.TAILCALL) return GETARG_A(p);
  return -1;
}

/** Instructions using L.top (B == 0) follow a producer whose results start above their operands. */
function checkopen(pc: i32): bool {
  const i = instr(pc);
  const op = GET_OPCODE(i);
  if (GETARG_B(i) != 0) return true;
  if (op != OP.CALL && op != OP.TAILCALL && op != OP.RETURN && op != OP.SETLIST) return true;
  const ap = openproducer(pc);
  if (ap < 0) return fail("bad instruction sequence");
  const a = GETARG_A(i);
  return (op == OP.RETURN ? a <= ap : a < ap) ? true : fail("bad instruction sequence");
}

function structure(): bool {
  if (ncode == 0) return fail("empty function");
  for (let j = 0; j < p_sizep(f); j++) if (!checkchild(p_proto(f, j))) return false;
  for (let pc = 0; pc < ncode; pc++) if (!checkinstr(pc)) return false;
  const last = GET_OPCODE(instr(ncode - 1));
  if (last != OP.RETURN && last != OP.RETURN0 && last != OP.RETURN1) return fail("missing final return");
  if (isvararg) {
    if (GET_OPCODE(instr(0)) != OP.VARARGPREP) return fail("bad vararg preparation");
    if (load<u8>(target) != 0) return fail("jump to vararg preparation");
  }
  for (let pc = 0; pc < ncode; pc++) if (!checkopen(pc)) return false;
  return true;
}

// ==== Pass 2: data flow ====

let slot: usize = 0;                         // i32[ncode]: state index of a jump target (pc 0 too)
let states: usize = 0;                       // STATE_SIZE × nslots
let seen: usize = 0;                         // u8[nslots]: the state holds something
let queued: usize = 0;                       // u8[nslots]
let work: usize = 0;                         // i32[nslots]: pcs waiting
let nwork: i32 = 0;
const cur: usize = memory.data(<i32>STATE_SIZE);
const alt: usize = memory.data(<i32>STATE_SIZE);   // the FORPREP skip edge's state

// @ts-ignore: decorator
@inline function bit(s: usize, set: usize, r: i32): bool {
  return (load<u32>(s + set + (<usize>(r >> 5) << 2)) & (<u32>1 << <u32>(r & 31))) != 0;
}
// @ts-ignore: decorator
@inline function setbit(s: usize, set: usize, r: i32): void {
  const w = s + set + (<usize>(r >> 5) << 2);
  store<u32>(w, load<u32>(w) | (<u32>1 << <u32>(r & 31)));
}
// @ts-ignore: decorator
@inline function clrbit(s: usize, set: usize, r: i32): void {
  const w = s + set + (<usize>(r >> 5) << 2);
  store<u32>(w, load<u32>(w) & ~(<u32>1 << <u32>(r & 31)));
}

/** Registers lo..hi (inclusive, clipped to 255) get unknown contents; none may be to-be-closed. */
function kill(s: usize, lo: i32, hi: i32): bool {
  if (hi > 255) hi = 255;
  for (let r = lo; r <= hi; r++) {
    if (bit(s, S_TBC, r)) return fail("assignment to to-be-closed variable");
    clrbit(s, S_TABLE, r); clrbit(s, S_STRING, r); clrbit(s, S_NUMBER, r);
  }
  return true;
}

/** Lua code may run: registers an upvalue may reach lose what we knew of them. */
function impure(s: usize): void {
  for (let w: usize = 0; w < SETWORDS; w++) {
    const esc = load<u32>(s + S_ESC + (w << 2));
    store<u32>(s + S_TABLE + (w << 2), load<u32>(s + S_TABLE + (w << 2)) & ~esc);
    store<u32>(s + S_STRING + (w << 2), load<u32>(s + S_STRING + (w << 2)) & ~esc);
    store<u32>(s + S_NUMBER + (w << 2), load<u32>(s + S_NUMBER + (w << 2)) & ~esc);
  }
}

/** CLOSE at level a: upvalues and tbc variables from a up are closed. */
function closefrom(s: usize, a: i32): void {
  for (let r = a; r < 256; r++) { clrbit(s, S_ESC, r); clrbit(s, S_TBC, r); }
}

function anyset(s: usize, set: usize): bool {
  for (let w: usize = 0; w < SETWORDS; w++) if (load<u32>(s + set + (w << 2)) != 0) return true;
  return false;
}

/** Marks register a to-be-closed; entries must be pushed in increasing register order. */
function addtbc(s: usize, a: i32): bool {
  for (let r = a; r < 256; r++) if (bit(s, S_TBC, r)) return fail("bad to-be-closed variable");
  setbit(s, S_TBC, a); setbit(s, S_ESC, a);
  return true;
}

/** Leaving the frame: nothing may still point into it unless the instruction closes (k). */
function leaving(s: usize, closes: bool, tail: bool): bool {
  if (tail && anyset(s, S_TBC)) return fail("tail call with to-be-closed variables");
  if (!closes && anyset(s, S_ESC)) return fail("return without closing upvalues");
  return true;
}

/** Merges state s into the state of jump target t; queues t when it changed. */
function flowto(s: usize, t: i32): void {
  const k = load<i32>(slot + (<usize>t << 2));
  const d = states + <usize>k * STATE_SIZE;
  let changed = false;
  if (load<u8>(seen + <usize>k) == 0) {
    memory.copy(d, s, STATE_SIZE);
    store<u8>(seen + <usize>k, 1);
    changed = true;
  } else {
    for (let w: usize = 0; w < S_ESC; w += 4) {     // must-sets: intersection
      const o = load<u32>(d + w), n = o & load<u32>(s + w);
      if (n != o) { store<u32>(d + w, n); changed = true; }
    }
    for (let w: usize = S_ESC; w < STATE_SIZE; w += 4) {   // may-sets: union
      const o = load<u32>(d + w), n = o | load<u32>(s + w);
      if (n != o) { store<u32>(d + w, n); changed = true; }
    }
  }
  if (changed && load<u8>(queued + <usize>k) == 0) {
    store<u8>(queued + <usize>k, 1);
    store<i32>(work + (<usize>nwork << 2), t);
    nwork++;
  }
}

/**
 * Applies instruction pc to the state in `cur`, checking its preconditions, and sends the state
 * along edges other than fall-through. Returns 1 to fall through, 0 to stop, -1 on failure.
 */
function step(pc: i32): i32 {
  const s = cur;
  const i = instr(pc);
  const op = GET_OPCODE(i);
  const a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  switch (op) {
    case OP.LOADI: case OP.LOADF:
      if (!kill(s, a, a)) return -1;
      setbit(s, S_NUMBER, a);
      return 1;
    case OP.LOADK: case OP.LOADKX: {
      if (!kill(s, a, a)) return -1;
      const kv = tvat(p_k(f), op == OP.LOADK ? GETARG_Bx(i) : GETARG_Ax(instr(pc + 1)));
      if (ttisstring(kv)) setbit(s, S_STRING, a);
      else if (ttisnumber(kv)) setbit(s, S_NUMBER, a);
      if (op == OP.LOADKX) { flowto(s, pc + 2); return 0; }
      return 1;
    }
    case OP.MOVE: case OP.LOADFALSE: case OP.LOADTRUE: case OP.GETUPVAL: case OP.NOT:
      return kill(s, a, a) ? 1 : -1;
    case OP.LFALSESKIP:
      if (!kill(s, a, a)) return -1;
      flowto(s, pc + 2);
      return 0;
    case OP.LOADNIL: return kill(s, a, a + b) ? 1 : -1;
    case OP.SETUPVAL: case OP.EXTRAARG: case OP.JMP: case OP.EQK: case OP.EQI: case OP.TEST:
    case OP.VARARGPREP:
      if (op == OP.JMP) { flowto(s, pc + 1 + GETARG_sJ(i)); return 0; }
      if (op == OP.EQK || op == OP.EQI || op == OP.TEST) flowto(s, pc + 2);
      return 1;
    case OP.TESTSET:
      if (!kill(s, a, a)) return -1;
      flowto(s, pc + 2);
      return 1;
    case OP.EQ: case OP.LT: case OP.LE: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI:
      impure(s);                                    // comparison metamethods
      flowto(s, pc + 2);
      return 1;
    case OP.GETTABUP: case OP.GETTABLE: case OP.GETI: case OP.GETFIELD: case OP.UNM: case OP.BNOT:
    case OP.LEN:
      impure(s);
      return kill(s, a, a) ? 1 : -1;
    case OP.SETTABUP: case OP.SETTABLE: case OP.SETI: case OP.SETFIELD:
      impure(s);
      return 1;
    case OP.SELF:
      if (!GETARG_k(i) && !bit(s, S_STRING, c)) return fail("method key is not a string") ? 1 : -1;
      impure(s);
      return kill(s, a, a + 1) ? 1 : -1;
    case OP.NEWTABLE:
      if (!kill(s, a, a)) return -1;
      setbit(s, S_TABLE, a);
      impure(s);                                    // GC step: finalizers
      flowto(s, pc + 2);
      return 0;
    case OP.MMBIN: case OP.MMBINI: case OP.MMBINK:
      impure(s);
      return kill(s, GETARG_A(instr(pc - 1)), GETARG_A(instr(pc - 1))) ? 1 : -1;
    case OP.CONCAT:
      impure(s);
      return kill(s, a, a + b - 1) ? 1 : -1;
    case OP.CLOSE:
      impure(s);                                    // __close handlers
      closefrom(s, a);
      return 1;
    case OP.TBC: return addtbc(s, a) ? 1 : -1;
    case OP.CALL:
      impure(s);
      return kill(s, a, 255) ? 1 : -1;
    case OP.TAILCALL:
      if (!leaving(s, GETARG_k(i) != 0, true)) return -1;
      impure(s);
      return kill(s, a, 255) ? 1 : -1;
    case OP.RETURN: return leaving(s, GETARG_k(i) != 0, false) ? 0 : -1;
    case OP.RETURN0: case OP.RETURN1: return leaving(s, false, false) ? 0 : -1;
    case OP.FORLOOP:
      if (!bit(s, S_NUMBER, a) || !bit(s, S_NUMBER, a + 1)) return fail("bad for loop") ? 1 : -1;
      if (!kill(s, a + 3, a + 3)) return -1;
      setbit(s, S_NUMBER, a + 3);
      flowto(s, pc + 1 - GETARG_Bx(i));
      return 1;
    case OP.FORPREP: {
      if (!kill(s, a, a + 3)) return -1;
      flowto(s, pc + 2 + GETARG_Bx(i));             // loop not run: counters unknown
      for (let r = a; r <= a + 3; r++) setbit(s, S_NUMBER, r);
      return 1;
    }
    case OP.TFORPREP:
      if (!addtbc(s, a + 3)) return -1;
      flowto(s, pc + 1 + GETARG_Bx(i));
      return 0;
    case OP.TFORCALL:
      impure(s);
      return kill(s, a + 4, 255) ? 1 : -1;
    case OP.TFORLOOP:
      if (!kill(s, a + 2, a + 2)) return -1;
      flowto(s, pc + 1 - GETARG_Bx(i));
      return 1;
    case OP.SETLIST:
      if (!bit(s, S_TABLE, a)) return fail("SETLIST on a non-table") ? 1 : -1;
      if (GETARG_k(i)) { flowto(s, pc + 2); return 0; }
      return 1;
    case OP.CLOSURE: {
      const cp = p_proto(f, GETARG_Bx(i));
      const n = p_sizeupvalues(cp);
      for (let j = 0; j < n; j++) {
        const d = upvaldesc(cp, j);
        if (!uvd_instack(d)) continue;
        const r = uvd_idx(d);
        if (bit(s, S_TBC, r) && uvd_kind(d) != RDKTOCLOSE) return fail("bad upvalue kind") ? 1 : -1;
        setbit(s, S_ESC, r);
      }
      if (!kill(s, a, a)) return -1;
      impure(s);                                    // GC step
      return 1;
    }
    case OP.VARARG: return kill(s, a, c == 0 ? 255 : a + c - 2) ? 1 : -1;
    default:                                        // arithmetic: result in A, then maybe MMBIN
      if (!kill(s, a, a)) return -1;
      flowto(s, pc + 2);
      return 1;
  }
}

function dataflow(): bool {
  let nslots = 0;
  for (let pc = 0; pc < ncode; pc++) {
    const t = pc == 0 || load<u8>(target + <usize>pc) != 0;
    store<i32>(slot + (<usize>pc << 2), t ? nslots++ : -1);
  }
  const need = <u64>nslots * (STATE_SIZE + 6);
  if (!fits(need)) { verifynomem = true; return fail("not enough memory"); }
  states = luaM_alloc(<usize>nslots * STATE_SIZE);
  seen = luaM_alloc(<usize>nslots);
  queued = luaM_alloc(<usize>nslots);
  work = luaM_alloc(<usize>nslots << 2);
  memory.fill(seen, 0, <usize>nslots);
  memory.fill(queued, 0, <usize>nslots);
  nwork = 0;
  memory.fill(cur, 0, STATE_SIZE);
  flowto(cur, 0);                                   // entry: nothing known, nothing escaped
  let ok = true;
  while (ok && nwork > 0) {
    nwork--;
    let pc = load<i32>(work + (<usize>nwork << 2));
    const k = load<i32>(slot + (<usize>pc << 2));
    store<u8>(queued + <usize>k, 0);
    memory.copy(cur, states + <usize>k * STATE_SIZE, STATE_SIZE);
    for (;;) {
      const r = step(pc);
      if (r < 0 || verifyerr.length != 0) { ok = false; break; }
      if (r == 0) break;
      pc++;                                         // structure() guarantees pc < ncode here
      if (load<i32>(slot + (<usize>pc << 2)) >= 0) { flowto(cur, pc); break; }
    }
  }
  luaM_free(states, <usize>nslots * STATE_SIZE);
  luaM_free(seen, <usize>nslots);
  luaM_free(queued, <usize>nslots);
  luaM_free(work, <usize>nslots << 2);
  return ok;
}

/** Verifies prototype p (its nested prototypes are verified on their own). True when safe to run. */
export function luaU_verify(p: usize): bool {
  verifyerr = "";
  verifynomem = false;
  f = p; code = p_code(p); ncode = p_sizecode(p); maxs = p_maxstacksize(p);
  nk = p_sizek(p); nup = p_sizeupvalues(p); isvararg = p_isvararg(p);
  if (p_numparams(p) > maxs) return fail("too many parameters");
  if (ncode == 0) return fail("empty function");
  const scratch = <u64>ncode * 5;
  if (!fits(scratch)) { verifynomem = true; return fail("not enough memory"); }
  target = luaM_alloc(<usize>ncode);
  memory.fill(target, 0, <usize>ncode);
  slot = luaM_alloc(<usize>ncode << 2);
  const ok = structure() && dataflow();
  luaM_free(target, <usize>ncode);
  luaM_free(slot, <usize>ncode << 2);
  return ok;
}
