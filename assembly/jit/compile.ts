// compile.ts - the baseline JIT's compiler: one prototype's bytecode → one wasm module whose
// function "f" (L, ci, proto) → status runs that prototype's frame from ci.savedpc (vm/tier.ts has the
// protocol), installed in the function table by the host (jit_install).
//
// Shape of the generated function. Registers stay in the Lua stack ("registers in memory"): every
// instruction loads and stores its TValues there, so the interpreter can take over at any
// instruction boundary with nothing to write back. The bytecode is cut into basic blocks (leaders:
// pc 0, jump targets, the instruction after a jump, a conditional pair or a return), laid out as
//     loop $top
//       block $b[n-1] … block $b0  block $disp
//         br_table (st: a pc) → $b of the block starting there, else $disp
//       end  return EXIT (not an entry point: the interpreter goes on at savedpc)
//       end(b0) code of block 0  end(b1) code of block 1 …
//     end
// so falling off a block enters the next one, a forward jump is one `br` to the target block's
// label, and a backward jump (a loop) sets `st` and branches to $top, after polling `trapflag`
// (the interpreter's flag for armed hooks and budgets: exit, so counts stay exact) and the module's
// slice counter (exit every JIT_SLICE back-edges while warming, so a long loop is re-entered and
// runs the code V8 has meanwhile optimised: V8 never switches a running call; and while an async
// call runs, the imported `slicing`, so that its driver can pause it and the host's event loop turns).
//
// Compiled inline (fast paths; where a guard fails, an exit at that instruction, so the interpreter
// executes it with its own slow paths, metamethods and exact messages): MOVE LOADI LOADF LOADK
// LOADFALSE LFALSESKIP LOADTRUE LOADNIL GETUPVAL; ADD SUB MUL (+ K and I forms) on integers
// (wrapping) and floats, DIV, integer MOD and IDIV (a zero divisor exits), UNM, NOT; BAND BOR BXOR
// SHL SHR BNOT (+ K and I forms) on integers (a float or string operand exits: the interpreter
// converts it or raises the error); EQ LT LE on numbers (an integer and a float compared as exact
// floats; an integer past ±2^53 beside a float exits), EQK EQI LTI LEI GTI GEI, TEST TESTSET, JMP;
// integer FORPREP, FORLOOP; TFORPREP (without a to-be-closed value), TFORLOOP, CLOSE (nothing
// open at its level; else luaJ_op: luaF_close); RETURN0 and RETURN1 when the caller is a Lua frame of this loop wanting
// 0 or 1 results (else they exit too).
// Inline with a helper for the rest (a table unit: beginslow/endslow; where the fast path misses,
// jit/helpers.ts luaJ_op runs the whole instruction as the interpreter's case, metamethods and
// errors included, and compiled code goes on): GETFIELD GETTABUP (a short-string key present in the
// table) and SELF, and where the key is absent or nil, inline along the chain of table-valued __index
// metafields (indexchain: methods found through classes; nil at the chain's end), GETI GETTABLE (an
// integer key inside the array part's hint; GETTABLE also a short string in a register:
// strkeyget), SETI SETTABLE (the same keys; strkeyset) and SETFIELD SETTABUP (a present short-string
// key) into a non-empty slot of a table that is not black (else luaC_barrierback is due; SETFIELD of
// an absent key goes into its free main position inline, newkey, and its other misses call
// luaJ_setfield with the operands' addresses instead of luaJ_op), SETUPVAL (a collectable value into a black upvalue: the
// helper, for luaC_barrier).
// LEN (a table without __len whose border is at its length hint; else luaJ_op). GETI and GETTABLE
// also give nil for an empty array slot of a table without __index.
// Through a helper always: CONCAT SETLIST (without EXTRAARG) CLOSURE (luaJ_op), NEWTABLE (+ its EXTRAARG;
// luaJ_newtable, its sizes decoded at compile time), TFORCALL (luaJ_tforcall: next and ipairs as
// the interpreter's luaV_forcallfast, any other iterator called as luaJ_call calls), RETURN
// (luaJ_return; a frame with to-be-closed variables exits), TAILCALL (luaJ_tailcall: a Lua callee
// reuses the frame and is entered compiled when it can be; setmetatable runs without a frame when it
// cannot fail, helpers.ts fastnative, as from luaJ_call); CALL (callop): a compiled callee with an
// entry at pc 0 is entered directly (its frame set up as OP_CALL's fast path does, its code called
// through the table, nesting bounded by vm/tier.ts JIT_MAXDEPTH), anything else goes through
// luaJ_call, which does the interpreter's CALL (natives run to completion; a Lua callee that is not
// entered, or a Lua frame a native started, is left as L.ci: the caller exits and resumes
// interpreted).
// Where to enter (entrymap): see there; regions made mostly of helper calls are not entered.
// An arithmetic instruction and its MMBIN, a comparison and its JMP, are one unit: exits happen only
// at unit starts, where the interpreter could be.
// The module holds no address of its prototype, constants or code (the prototype is its third
// parameter, constants and code are read from it at entry: KBASE, CODE), so a chunk loaded again compiles to the same bytes (host/jit.ts caches
// modules by their bytes).
// Invariant: compiled code itself never allocates and never moves the stack; only the helpers it
// calls (jit/helpers.ts) may, after it has stored ci.savedpc as the interpreter would, and it
// re-reads `base` after each. An exit is "store savedpc; return EXIT"; a helper's status other
// than "done" is returned as it is (the frames it left are the interpreter's to run).

import * as w from "./wasmgen";
import { FuncBody, WBuf } from "./wasmgen";
import {
  p_code, p_k, p_sizecode, p_maxstacksize, p_setjitmap, p_jitmap, JIT_DECLINED, JITHOT_OFFSET,
  CL_UPVALS_OFFSET, UV_V_OFFSET, CL_PROTO_OFFSET, P_NUMPARAMS_OFFSET, P_MAXSTACKSIZE_OFFSET, P_CODE_OFFSET, P_K_OFFSET,
  JITENTRY_OFFSET, JITCALLS_OFFSET, JITMAP_OFFSET,
} from "../object/func";
import {
  TV_TT_OFFSET, TV_VALUE_OFFSET, LUA_VNUMINT, LUA_VNUMFLT, LUA_VFALSE, LUA_VTRUE, LUA_VNIL,
  LUA_VSHRSTR, LUA_VTABLE, LUA_TSTRING, LUA_VLCL, BIT_ISCOLLECTABLE, ttisinteger, ttisfloat, ttisshrstring, ttisnil, ttisboolean, rawtt, ivalue, fltvalue,
  tsvalue,
} from "../object/value";
import {
  CI_FUNC_OFFSET, CI_PREVIOUS_OFFSET, CI_SAVEDPC_OFFSET, CI_NRESULTS_OFFSET, CI_CALLSTATUS_OFFSET,
  L_TOP_OFFSET, L_CI_OFFSET, CIST_FRESH, CIST_FINISHOP, CI_TOP_OFFSET, CI_NEXT_OFFSET, L_STACKLAST_OFFSET,
  CIST_TAIL, CIST_HOOKSTARTED, CIST_HOOKVARARG,
} from "../vm/state";
import {
  OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_sBx, GETARG_sB, GETARG_sC,
  GETARG_sJ, GETARG_Ax, MAXARG_C,
} from "../vm/opcodes";
import { JIT_RETURNED, JIT_EXIT, JITMAP_ENTRY, JITMAP_SMALL, JIT_MAXDEPTH, jitdepthp } from "../vm/tier";
import {
  T_LSIZENODE_OFFSET, T_ARRAY_OFFSET, T_NODE_OFFSET, T_ALIMIT_OFFSET, NODE_NEXT_OFFSET, NODE_KEY_OFFSET,
  T_FLAGS_OFFSET, T_METATABLE_OFFSET, T_ASIZE_OFFSET, dummynode,
} from "../object/table";
import { strhash } from "../object/string";
import { heapcanalloc, chargedebt } from "../mem/alloc";
import { jit_install, lua_monotonic } from "../sys/imports";
import {
  luaJ_call, luaJ_exited, luaJ_op, luaJ_newtable, luaJ_setfield, luaJ_return, luaJ_tailcall, luaJ_strindex, luaJ_tforcall, jitnil as nilconst, HELPER_DONE, HELPER_SLOW,
} from "./helpers";
import { BLACKBIT, GCH_MARKED_OFFSET } from "../object/header";
import { tmname, tmnames } from "../vm/tm";
import { STRESS } from "../luaconf";

// ==== Limits and knobs ====

/** Prototypes longer than this are left to the interpreter (module size, compile time). */
// @ts-ignore: decorator
@inline const MAXCODE: i32 = 4000;
/** Inline units a region needs per helper-only unit for compiled code to be entered there. */
// @ts-ignore: decorator
@inline const HELPER_RATIO: i32 = 3;
/**
 * A function without loops and with fewer inline units than this is not entered from the
 * interpreter's CALL (vm/tier.ts JITMAP_SMALL): the entry costs more than its compiled code saves.
 */
// @ts-ignore: decorator
@inline const SMALLFN: i32 = 6;
/** Back-edges between two warm-phase exits of a compiled loop. */
// @ts-ignore: decorator
@inline const JIT_SLICE: i32 = 1 << 15;
/** Warm-phase exits of a module before its loops run uninterrupted. */
// @ts-ignore: decorator
@inline const JIT_WARMSLICES: i32 = 24;
/**
 * GC debt charged per compiled function. Its module lives outside linear memory (V8 code space, one
 * mapping each, freed when the prototype dies and V8 collects it) while the prototype holding it is
 * a few hundred bytes of Lua heap: without this, a program that loads and runs many short-lived
 * functions fills V8's code space (tens of thousands of modules) long before the collector's pause
 * brings it round to free them.
 */
// @ts-ignore: decorator
@inline const GCCOST: usize = 16 << 10;
/** Heap headroom asked for before compiling (the emitter's structs come from heap.alloc). */
// @ts-ignore: decorator
@inline const HEADROOM: usize = 1 << 16;

/** Stress mode: exit to the interpreter every `stressevery` units (0: off). Tests only. */
let stressevery: i32 = 0;
export function luaJ_setstress(n: i32): void { stressevery = n < 0 ? 0 : n; }

// ==== Compiler state (one compile at a time) ====

let proto: usize = 0;        // the prototype being compiled
let code: usize = 0;         // its instructions
let kst: usize = 0;          // its constants
let ncode: i32 = 0;
let leader: usize = 0;       // u8 per pc: 1 when a block starts there
let blockof: usize = 0;      // i32 per pc: the index of the block a leader starts
let nblocks: i32 = 0;
let curblock: i32 = 0;       // block being emitted
let extra: i32 = 0;          // labels opened inside the current block's code (if/block nesting)
let c: WBuf = changetype<WBuf>(0);   // the function body's code
let THELPER: i32 = 0;         // the module's type index of the helpers' signature
let TENTRY: i32 = 0;          // … and of compiled functions' (L, ci, proto) → status
// locals (after the parameters L = 0, ci = 1)
let BASE: i32 = 0, ST: i32 = 0, T1: i32 = 0, T2: i32 = 0, X: i32 = 0, Y: i32 = 0, FX: i32 = 0, FY: i32 = 0;
let P: i32 = 0, E: i32 = 0, NCI: i32 = 0;   // a direct call's callee prototype, slot and CallInfo
let CUR: i32 = 0;                            // the table an index chain starts at
// the running prototype, its constants and its code, read from ci at entry: the module holds no
// address of the prototype, so two prototypes with the same code and constants (a chunk loaded
// again) get the same bytes, and the host compiles them once (host/jit.ts cache)
let KBASE: i32 = 0, CODE: i32 = 0;
// globals: the imported trapflag and slicing (imports come first), the module's slice counter,
// warm slices left, stress counter
// @ts-ignore: decorator
@inline const GTRAP: i32 = 0;
// @ts-ignore: decorator
@inline const GSLICING: i32 = 1;
// @ts-ignore: decorator
@inline const GSLICE: i32 = 2;
// @ts-ignore: decorator
@inline const GWARM: i32 = 3;
// @ts-ignore: decorator
@inline const GSTRESS: i32 = 4;
// @ts-ignore: decorator
@inline const LOCAL_L: i32 = 0;
// @ts-ignore: decorator
@inline const LOCAL_CI: i32 = 1;
/** The third parameter: the prototype whose code runs (ci.func's, passed by whoever enters). */
// @ts-ignore: decorator
@inline const PROTO: i32 = 2;

// @ts-ignore: decorator
@inline function instr(pc: i32): u32 { return load<u32>(code + (<usize>pc << 2)); }
// @ts-ignore: decorator
@inline function kaddr(i: i32): usize { return kst + (<usize>i << 4); }
/** Pushes the payload of constant K[i] as an i32 (a string's address), read through KBASE at run time. */
function kval(i: i32): void { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I32_LOAD, 2, (<u32>i << 4) + TV_VALUE_OFFSET); }
// @ts-ignore: decorator
@inline function isleader(pc: i32): bool { return pc < ncode && load<u8>(leader + <usize>pc) != 0; }
// @ts-ignore: decorator
@inline function mark(pc: i32): void { if (pc >= 0 && pc < ncode) store<u8>(leader + <usize>pc, 1); }
// @ts-ignore: decorator
@inline function blockidx(pc: i32): i32 { return load<i32>(blockof + (<usize>pc << 2)); }

// ==== Units: which instructions are compiled ====

/** Opcodes that are followed by a JMP they decide (EQ … TESTSET). */
function iscond(op: i32): bool {
  return op == OP.EQ || op == OP.LT || op == OP.LE || op == OP.EQK || op == OP.EQI || op == OP.LTI
    || op == OP.LEI || op == OP.GTI || op == OP.GEI || op == OP.TEST || op == OP.TESTSET;
}

/** Arithmetic opcodes followed by their MMBIN* (the metamethod fallback the fast path skips). */
function isarith(op: i32): bool { return op >= OP.ADDI && op <= OP.SHR; }

/** A number constant usable as an arithmetic operand. */
function knumber(i: i32): bool { const a = kaddr(i); return ttisinteger(a) || ttisfloat(a); }

/** Instructions in the unit starting at pc (2 for a pair). */
function unitlen(pc: i32): i32 {
  const op = GET_OPCODE(instr(pc));
  return iscond(op) || isarith(op) || op == OP.NEWTABLE ? 2 : 1;
}

/** Whether the unit at pc has a compiled form (else the compiled code exits there). */
function supported(pc: i32): bool {
  const i = instr(pc);
  const op = GET_OPCODE(i);
  if (iscond(op) || isarith(op)) {                     // the second half must be there
    if (pc + 1 >= ncode) return false;
    const op2 = GET_OPCODE(instr(pc + 1));
    if (iscond(op) && op2 != OP.JMP) return false;
    if (isarith(op) && op2 != OP.MMBIN && op2 != OP.MMBINI && op2 != OP.MMBINK) return false;
  }
  if (op == OP.NEWTABLE && (pc + 1 >= ncode || GET_OPCODE(instr(pc + 1)) != OP.EXTRAARG)) return false;
  switch (op) {
    case OP.MOVE: case OP.LOADI: case OP.LOADF: case OP.LOADK: case OP.LOADFALSE: case OP.LOADTRUE:
    case OP.LOADNIL: case OP.GETUPVAL: case OP.ADDI: case OP.ADD: case OP.SUB: case OP.MUL:
    case OP.DIV: case OP.MOD: case OP.IDIV: case OP.UNM: case OP.NOT: case OP.EQ: case OP.LT:
    case OP.LE: case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI: case OP.TEST:
    case OP.TESTSET: case OP.JMP: case OP.FORPREP: case OP.FORLOOP: case OP.RETURN0:
    case OP.RETURN1: case OP.LFALSESKIP: case OP.CALL: case OP.RETURN: case OP.TAILCALL:
    case OP.TFORPREP: case OP.TFORCALL: case OP.TFORLOOP: case OP.CLOSE:
      return true;
    case OP.ADDK: case OP.SUBK: case OP.MULK: case OP.DIVK: return knumber(GETARG_C(i));
    case OP.MODK: case OP.IDIVK: case OP.BANDK: case OP.BORK: case OP.BXORK: return ttisinteger(kaddr(GETARG_C(i)));
    case OP.BAND: case OP.BOR: case OP.BXOR: case OP.SHL: case OP.SHR: case OP.SHRI: case OP.SHLI:
    case OP.BNOT:
      return true;
    case OP.GETFIELD: case OP.GETTABUP: case OP.GETI: case OP.GETTABLE: case OP.SETI: case OP.SETTABLE:
    case OP.SETFIELD: case OP.SETTABUP: case OP.SELF: case OP.LEN: case OP.CONCAT: case OP.NEWTABLE:
    case OP.CLOSURE: case OP.SETUPVAL:
      return true;                                     // (jit/helpers.ts luaJ_op has their slow halves)
    case OP.SETLIST: return GETARG_k(i) == 0;          // (with an EXTRAARG: the interpreter's)
    case OP.EQK: {                                     // numbers, short strings, nil and booleans
      const k = kaddr(GETARG_B(i));
      return ttisinteger(k) || ttisfloat(k) || ttisshrstring(k) || ttisnil(k) || ttisboolean(k);
    }
    default: return false;
  }
}

/** Marks a jump target; false when it lies outside the code (only a broken chunk could have one). */
function target(pc: i32): bool {
  if (pc < 0 || pc >= ncode) return false;
  mark(pc);
  return true;
}

/** Marks the leaders; false when the bytecode has a shape this compiler does not handle. */
function findleaders(): bool {
  mark(0);
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    const op = GET_OPCODE(i);
    let ok = true;
    if (iscond(op)) {
      if (pc + 1 < ncode && GET_OPCODE(instr(pc + 1)) == OP.JMP) ok = target(pc + 2 + GETARG_sJ(instr(pc + 1)));
      mark(pc + 2);
    } else if (op == OP.JMP) { ok = target(pc + 1 + GETARG_sJ(i)); mark(pc + 1); }
    else if (op == OP.FORPREP) { ok = target(pc + GETARG_Bx(i) + 2); mark(pc + 1); }
    else if (op == OP.FORLOOP) { ok = target(pc + 1 - GETARG_Bx(i)); mark(pc + 1); }
    else if (op == OP.TFORPREP) { ok = target(pc + 1 + GETARG_Bx(i)); mark(pc + 1); }
    else if (op == OP.TFORLOOP) { ok = target(pc + 1 - GETARG_Bx(i)); mark(pc + 1); }
    else if (op == OP.LFALSESKIP) { ok = target(pc + 2); mark(pc + 1); }
    else if (op == OP.RETURN || op == OP.RETURN0 || op == OP.RETURN1 || op == OP.TAILCALL) mark(pc + 1);
    if (!ok) return false;
  }
  // a jump into the middle of a unit would start a block where the interpreter could never be
  for (let pc = 0; pc < ncode; pc++) {
    const op = GET_OPCODE(instr(pc));
    if ((iscond(op) || isarith(op) || op == OP.NEWTABLE) && isleader(pc + 1)) return false;
  }
  nblocks = 0;
  for (let pc = 0; pc < ncode; pc++) if (isleader(pc)) store<i32>(blockof + (<usize>pc << 2), nblocks++);
  return true;
}

// ==== Emitting registers ====

// @ts-ignore: decorator
@inline function roff(r: i32): u32 { return <u32>r << 4; }

function ldtag(r: i32): void { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(r) + TV_TT_OFFSET); }
function ldint(r: i32): void { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(r) + TV_VALUE_OFFSET); }
function ldflt(r: i32): void { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_F64_LOAD, 3, roff(r) + TV_VALUE_OFFSET); }
/** R[r] := the integer in local `l` (tag and payload, as setivalue). */
function stint(r: i32, l: i32): void {
  w.emit_local_get(c, BASE); w.emit_local_get(c, l); w.emit_store(c, w.OP_I64_STORE, 3, roff(r) + TV_VALUE_OFFSET);
  settag(r, LUA_VNUMINT);
}
/** R[r] := the float in local `l`. */
function stflt(r: i32, l: i32): void {
  w.emit_local_get(c, BASE); w.emit_local_get(c, l); w.emit_store(c, w.OP_F64_STORE, 3, roff(r) + TV_VALUE_OFFSET);
  settag(r, LUA_VNUMFLT);
}
function settag(r: i32, tag: i32): void {
  w.emit_local_get(c, BASE); w.emit_i32_const(c, tag); w.emit_store(c, w.OP_I32_STORE, 2, roff(r) + TV_TT_OFFSET);
}
/** Copies the 16 bytes at the address in local `src` to R[r] (setobj). */
function copyfrom(r: i32, src: i32): void {
  for (let o: u32 = 0; o < 16; o += 8) {
    w.emit_local_get(c, BASE); w.emit_local_get(c, src); w.emit_load(c, w.OP_I64_LOAD, 3, o);
    w.emit_store(c, w.OP_I64_STORE, 3, roff(r) + o);
  }
}
function copyreg(a: i32, b: i32): void {
  for (let o: u32 = 0; o < 16; o += 8) {
    w.emit_local_get(c, BASE); w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(b) + o);
    w.emit_store(c, w.OP_I64_STORE, 3, roff(a) + o);
  }
}
/** Pushes (tag of local `t`) == `tag`. */
function tagis(t: i32, tag: i32): void { w.emit_local_get(c, t); w.emit_i32_const(c, tag); w.emit_op(c, w.OP_I32_EQ); }
/** Pushes whether the tag in local `t` is a number (integer 0x03 or float 0x13). */
function tagisnum(t: i32): void {
  w.emit_local_get(c, t); w.emit_i32_const(c, 0x10); w.emit_op(c, w.OP_I32_OR);
  w.emit_i32_const(c, LUA_VNUMFLT); w.emit_op(c, w.OP_I32_EQ);
}
/** Pushes R[r] as a float, given its tag (a number) in local `t`. */
function tonum(r: i32, t: i32): void {
  tagis(t, LUA_VNUMINT);
  w.emit_if(c, w.WT_F64); ldint(r); w.emit_op(c, w.OP_F64_CONVERT_I64_S);
  w.emit_else(c); ldflt(r);
  w.emit_end(c);
}
/** Pushes whether the tag in local `t` is false or a nil (l_isfalse). */
function falsy(t: i32): void {
  tagis(t, LUA_VFALSE);
  w.emit_local_get(c, t); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_op(c, w.OP_I32_OR);
}

// ==== Control ====

/** Leaves with EXIT at `pc` (the interpreter executes that instruction next). */
function exitat(pc: i32): void {
  savepc(pc);
  w.emit_i32_const(c, JIT_EXIT); w.emit_op(c, w.OP_RETURN);
}

/**
 * A guard failed at `pc` (a type miss, an absent key, a nil value, a zero divisor): counts it in the
 * prototype's jithot (vm/tier.ts stops entering code that misses too often), then exits there.
 */
function missexit(pc: i32): void {
  w.emit_local_get(c, PROTO);
  w.emit_local_get(c, PROTO); w.emit_load(c, w.OP_I32_LOAD, 2, JITHOT_OFFSET);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, JITHOT_OFFSET);
  exitat(pc);
}

/**
 * Continues at `target` from an instruction at `pc` of the current block: a forward jump branches to
 * the target block's label; a backward one polls trapflag and the slice counter (exiting at the
 * target when either says so) and goes round $top's dispatch.
 */
function jumpto(target: i32, pc: i32): void {
  if (target > pc) { w.emit_br(c, blockidx(target) - (curblock + 1) + extra); return; }
  w.emit_global_get(c, GTRAP);
  w.emit_if(c, w.BT_VOID); exitat(target); w.emit_end(c);
  // slice: --slice <= 0 → a new slice; exit while warm slices are left (V8 may have optimised
  // code to re-enter) or while an async call runs (its driver pauses when its time is up:
  // vm/budget.ts "Slicing"), else run on
  w.emit_global_get(c, GSLICE); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, GSLICE);
  w.emit_global_get(c, GSLICE); w.emit_i32_const(c, 0); w.emit_op(c, w.OP_I32_LE_S);
  w.emit_if(c, w.BT_VOID);
  w.emit_i32_const(c, JIT_SLICE); w.emit_global_set(c, GSLICE);
  w.emit_global_get(c, GWARM); w.emit_i32_const(c, 0); w.emit_op(c, w.OP_I32_GT_S);
  w.emit_if(c, w.BT_VOID);
  w.emit_global_get(c, GWARM); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, GWARM);
  exitat(target);
  w.emit_end(c);
  w.emit_global_get(c, GSLICING);
  w.emit_if(c, w.BT_VOID); exitat(target); w.emit_end(c);
  w.emit_end(c);
  w.emit_i32_const(c, target); w.emit_local_set(c, ST);
  w.emit_br(c, nblocks - 1 - curblock + extra);
}

/** With the jump condition (i32) on the stack: takes the conditional pair's jump when it is set. */
function condjump(pc: i32): void {
  w.emit_if(c, w.BT_VOID);
  extra++;
  jumpto(pc + 2 + GETARG_sJ(instr(pc + 1)), pc);
  extra--;
  w.emit_end(c);
}

/** Pushes take = (cond == k) for the cond (i32 0/1) on the stack: the interpreter jumps when c == k. */
function takeif(k: i32): void { if (k == 0) w.emit_op(c, w.OP_I32_EQZ); }

// ==== Instructions ====

/**
 * +, - or * (iop/fop) of R[b] and the second operand: register `rc` (kc < 0) or constant kc.
 * Integers wrap; a float result of two NaNs keeps the NaN the interpreter keeps (arithfast).
 */
function arith(pc: i32, a: i32, b: i32, rc: i32, kc: i32, iop: u8, fop: u8, isadd: bool): void {
  ldtag(b); w.emit_local_set(c, T1);
  const kisint = kc >= 0 && ttisinteger(kaddr(kc));
  if (kc < 0) { ldtag(rc); w.emit_local_set(c, T2); }
  else { w.emit_i32_const(c, kisint ? LUA_VNUMINT : LUA_VNUMFLT); w.emit_local_set(c, T2); }
  // integer case
  if (kc < 0 || kisint) {
    tagis(T1, LUA_VNUMINT); tagis(T2, LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
    w.emit_if(c, w.BT_VOID);
    ldint(b);
    if (kc < 0) ldint(rc); else w.emit_i64_const(c, ivalue(kaddr(kc)));
    w.emit_op(c, iop); w.emit_local_set(c, X);
    stint(a, X);
    w.emit_else(c);
  }
  tagisnum(T1); tagisnum(T2); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.BT_VOID);
  tonum(b, T1); w.emit_local_set(c, FX);
  if (kc < 0) tonum(rc, T2);
  else w.emit_f64_const(c, kisint ? <f64>ivalue(kaddr(kc)) : fltvalue(kaddr(kc)));
  w.emit_local_set(c, FY);
  if (fop == w.OP_F64_DIV) {
    w.emit_local_get(c, FX); w.emit_local_get(c, FY); w.emit_op(c, fop);
  } else {
    // r = x op y; two NaNs: the first one of arithfast's choice (y for +, x for - and *)
    const first = isadd ? FY : FX;
    w.emit_local_get(c, first);
    w.emit_local_get(c, FX); w.emit_local_get(c, FY); w.emit_op(c, fop); w.emit_local_tee(c, FX);
    w.emit_local_get(c, FX); w.emit_local_get(c, FX); w.emit_op(c, w.OP_F64_NE);
    w.emit_local_get(c, first); w.emit_local_get(c, first); w.emit_op(c, w.OP_F64_NE);
    w.emit_op(c, w.OP_I32_AND);
    w.emit_op(c, w.OP_SELECT);
  }
  w.emit_local_set(c, FX);
  stflt(a, FX);
  w.emit_else(c); missexit(pc); w.emit_end(c);
  if (kc < 0 || kisint) w.emit_end(c);
}

/** Exits at pc unless R[b] (and R[rc] when rc >= 0) hold integers. */
function intguard(pc: i32, b: i32, rc: i32): void {
  ldtag(b); tagis_top(LUA_VNUMINT);
  if (rc >= 0) { ldtag(rc); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND); }
  w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
}

/** &, | or ~ (iop) of R[b] and R[rc] (kc < 0) or the integer constant kc; integers only. */
function bitwise(pc: i32, a: i32, b: i32, rc: i32, kc: i32, iop: u8): void {
  intguard(pc, b, kc < 0 ? rc : -1);
  ldint(b);
  if (kc < 0) ldint(rc); else w.emit_i64_const(c, ivalue(kaddr(kc)));
  w.emit_op(c, iop); w.emit_local_set(c, X);
  stint(a, X);
}

/**
 * R[a] := luaV_shiftl(X, Y) for the integers in locals X and Y: Y in -63..63 shifts left (Y >= 0)
 * or right logically by -Y; any other Y gives 0 (wasm's shifts would wrap the count instead).
 */
function shiftl(a: i32): void {
  w.emit_local_get(c, Y); w.emit_i64_const(c, 63); w.emit_op(c, w.OP_I64_ADD);
  w.emit_i64_const(c, 127); w.emit_op(c, w.OP_I64_LT_U);
  w.emit_if(c, w.WT_I64);
  w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_SHL);
  w.emit_local_get(c, X); w.emit_i64_const(c, 0); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_SUB);
  w.emit_op(c, w.OP_I64_SHR_U);
  w.emit_local_get(c, Y); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_GE_S);
  w.emit_op(c, w.OP_SELECT);
  w.emit_else(c);
  w.emit_i64_const(c, 0);
  w.emit_end(c);
  w.emit_local_set(c, X);
  stint(a, X);
}

/** Integer % or // (luaV_mod / luaV_idiv); a zero divisor or a float operand exits. */
function modidiv(pc: i32, a: i32, b: i32, rc: i32, kc: i32, ismod: bool): void {
  ldtag(b); tagis_top(LUA_VNUMINT);
  if (kc < 0) { ldtag(rc); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND); }
  w.emit_if(c, w.BT_VOID);
  ldint(b); w.emit_local_set(c, X);
  if (kc < 0) ldint(rc); else w.emit_i64_const(c, ivalue(kaddr(kc)));
  w.emit_local_set(c, Y);
  // y + 1 <= 1 (unsigned): y is 0 (the interpreter raises the error) or -1 (no overflow trap)
  w.emit_local_get(c, Y); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_ADD); w.emit_i64_const(c, 2);
  w.emit_op(c, w.OP_I64_LT_U);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_EQZ);
  w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  // x % -1 = 0; x // -1 = -x (wrapping)
  if (ismod) w.emit_i64_const(c, 0);
  else { w.emit_i64_const(c, 0); w.emit_local_get(c, X); w.emit_op(c, w.OP_I64_SUB); }
  w.emit_local_set(c, X);
  w.emit_else(c);
  if (ismod) {
    // r = x % y; if r != 0 and r ^ y < 0 then r += y
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_REM_S); w.emit_local_set(c, X);
    w.emit_local_get(c, X); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_NE);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_XOR); w.emit_i64_const(c, 0);
    w.emit_op(c, w.OP_I64_LT_S);
    w.emit_op(c, w.OP_I32_AND);
    w.emit_if(c, w.BT_VOID);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_ADD); w.emit_local_set(c, X);
    w.emit_end(c);
  } else {
    // q = x / y - ((x ^ y) < 0 and x % y != 0)
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_DIV_S);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_XOR); w.emit_i64_const(c, 0);
    w.emit_op(c, w.OP_I64_LT_S);
    w.emit_local_get(c, X); w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_REM_S); w.emit_i64_const(c, 0);
    w.emit_op(c, w.OP_I64_NE);
    w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I64_EXTEND_I32_U);
    w.emit_op(c, w.OP_I64_SUB); w.emit_local_set(c, X);
  }
  w.emit_end(c);
  stint(a, X);
  w.emit_else(c); missexit(pc); w.emit_end(c);
}

/** Compares the i32 on the stack with `tag`. */
function tagis_top(tag: i32): void { w.emit_i32_const(c, tag); w.emit_op(c, w.OP_I32_EQ); }

/**
 * Pushes R[r], a number whose tag is in local `t`, as a float, exactly: an integer beyond ±2^53
 * (which a float may not represent) exits at pc. With it, an integer/float comparison is the float
 * comparison, as in lvm.c's LTintfloat/LEintfloat and luaV_equalobj when l_intfitsf holds.
 */
function exactflt(pc: i32, r: i32, t: i32): void {
  tagis(t, LUA_VNUMINT);
  w.emit_if(c, w.WT_F64);
  ldint(r); w.emit_local_tee(c, X);
  w.emit_i64_const(c, 1 << 53); w.emit_op(c, w.OP_I64_ADD); w.emit_i64_const(c, 2 << 53);
  w.emit_op(c, w.OP_I64_GT_U);
  w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  w.emit_local_get(c, X); w.emit_op(c, w.OP_F64_CONVERT_I64_S);
  w.emit_else(c); ldflt(r);
  w.emit_end(c);
}

/**
 * The integer/float mix of a comparison (iop done, the tags in T1/T2 not both integers nor both
 * floats): both numbers → fop of their exact float values; anything else exits at pc.
 */
function mixedcmp(pc: i32, a: i32, b: i32, fop: u8): void {
  tagisnum(T1); tagisnum(T2); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.WT_I32);
  exactflt(pc, a, T1); exactflt(pc, b, T2); w.emit_op(c, fop);
  w.emit_else(c); missexit(pc);
  w.emit_end(c);
}

/**
 * LT/LE of R[a] and R[b]: two integers, two floats, or one of each (as exact floats; an integer
 * past ±2^53 exits); strings and metamethods exit. Leaves the condition (i32) on the stack.
 */
function ordercmp(pc: i32, a: i32, b: i32, lt: bool): void {
  ldtag(a); w.emit_local_set(c, T1); ldtag(b); w.emit_local_set(c, T2);
  tagis(T1, LUA_VNUMINT); tagis(T2, LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.WT_I32);
  ldint(a); ldint(b); w.emit_op(c, lt ? w.OP_I64_LT_S : w.OP_I64_LE_S);
  w.emit_else(c);
  tagis(T1, LUA_VNUMFLT); tagis(T2, LUA_VNUMFLT); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.WT_I32);
  ldflt(a); ldflt(b); w.emit_op(c, lt ? w.OP_F64_LT : w.OP_F64_LE);
  w.emit_else(c); mixedcmp(pc, a, b, lt ? w.OP_F64_LT : w.OP_F64_LE);
  w.emit_end(c);
  w.emit_end(c);
}

/** EQ of R[a] and R[b]: numbers (mixed ones as exact floats, see exactflt); anything else exits (__eq, strings). */
function eqcmp(pc: i32, a: i32, b: i32): void {
  ldtag(a); w.emit_local_set(c, T1); ldtag(b); w.emit_local_set(c, T2);
  tagis(T1, LUA_VNUMINT); tagis(T2, LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.WT_I32);
  ldint(a); ldint(b); w.emit_op(c, w.OP_I64_EQ);
  w.emit_else(c);
  tagis(T1, LUA_VNUMFLT); tagis(T2, LUA_VNUMFLT); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.WT_I32);
  ldflt(a); ldflt(b); w.emit_op(c, w.OP_F64_EQ);
  w.emit_else(c); mixedcmp(pc, a, b, w.OP_F64_EQ);
  w.emit_end(c);
  w.emit_end(c);
}

/**
 * R[a] op sB for LTI/LEI/GTI/GEI (iop/fop the comparison with R[a] first) and EQI (exact, never
 * exits: a non-number is unequal). Leaves the condition on the stack.
 */
function immcmp(pc: i32, a: i32, imm: i32, iop: u8, fop: u8, eq: bool): void {
  ldtag(a); w.emit_local_set(c, T1);
  tagis(T1, LUA_VNUMINT);
  w.emit_if(c, w.WT_I32);
  ldint(a); w.emit_i64_const(c, <i64>imm); w.emit_op(c, iop);
  w.emit_else(c);
  tagis(T1, LUA_VNUMFLT);
  w.emit_if(c, w.WT_I32);
  ldflt(a); w.emit_f64_const(c, <f64>imm); w.emit_op(c, fop);
  w.emit_else(c);
  if (eq) w.emit_i32_const(c, 0); else missexit(pc);
  w.emit_end(c);
  w.emit_end(c);
}

/** R[a] == K[kb] without metamethods (luaV_rawequalobj); an integer/float mix or a long string exits. */
function eqkcmp(pc: i32, a: i32, kb: i32): void {
  const k = kaddr(kb);
  ldtag(a); w.emit_local_set(c, T1);
  if (ttisinteger(k) || ttisfloat(k)) {
    const isint = ttisinteger(k);
    tagis(T1, isint ? LUA_VNUMINT : LUA_VNUMFLT);
    w.emit_if(c, w.WT_I32);
    if (isint) { ldint(a); w.emit_i64_const(c, ivalue(k)); w.emit_op(c, w.OP_I64_EQ); }
    else { ldflt(a); w.emit_f64_const(c, fltvalue(k)); w.emit_op(c, w.OP_F64_EQ); }
    w.emit_else(c);
    tagis(T1, isint ? LUA_VNUMFLT : LUA_VNUMINT);       // the other number variant: exact compare
    w.emit_if(c, w.WT_I32); missexit(pc); w.emit_else(c); w.emit_i32_const(c, 0); w.emit_end(c);
    w.emit_end(c);
  } else if (ttisshrstring(k)) {                       // interned: same string = same object
    tagis(T1, LUA_VSHRSTR);
    w.emit_if(c, w.WT_I32);
    w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET);
    kval(kb); w.emit_op(c, w.OP_I32_EQ);
    w.emit_else(c);
    w.emit_local_get(c, T1); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
    w.emit_i32_const(c, LUA_VSHRSTR & 0x0F); w.emit_op(c, w.OP_I32_EQ);   // a long string: compare bytes
    w.emit_if(c, w.WT_I32); missexit(pc); w.emit_else(c); w.emit_i32_const(c, 0); w.emit_end(c);
    w.emit_end(c);
  } else {                                             // nil, false, true: the tag says it all
    tagis(T1, rawtt(k));
  }
}

/** Integer FORPREP (all three integers, step ≠ 0: luaV_forprep); anything else exits. */
function forprep(pc: i32, a: i32, bx: i32): void {
  ldtag(a); tagis_top(LUA_VNUMINT); ldtag(a + 1); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
  ldtag(a + 2); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
  ldint(a + 2); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_NE); w.emit_op(c, w.OP_I32_AND);
  w.emit_op(c, w.OP_I32_EQZ);
  // a float loop (or an error) is the interpreter's FORPREP, not a miss: the loop's FORLOOP is compiled
  w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);
  ldint(a); w.emit_local_set(c, X);                    // init
  ldint(a + 2); w.emit_local_set(c, Y);                // step
  stint(a + 3, X);                                     // the control variable starts at init
  // skip = step > 0 ? init > limit : init < limit
  w.emit_local_get(c, Y); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_GT_S);
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, X); ldint(a + 1); w.emit_op(c, w.OP_I64_GT_S);
  w.emit_else(c);
  w.emit_local_get(c, X); ldint(a + 1); w.emit_op(c, w.OP_I64_LT_S);
  w.emit_end(c);
  w.emit_if(c, w.BT_VOID); extra++; jumpto(pc + bx + 2, pc); extra--; w.emit_end(c);
  // count = step > 0 ? (limit - init) / step : (init - limit) / (-(step + 1) + 1), unsigned
  w.emit_local_get(c, Y); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_GT_S);
  w.emit_if(c, w.WT_I64);
  ldint(a + 1); w.emit_local_get(c, X); w.emit_op(c, w.OP_I64_SUB);
  w.emit_local_get(c, Y); w.emit_op(c, w.OP_I64_DIV_U);
  w.emit_else(c);
  w.emit_local_get(c, X); ldint(a + 1); w.emit_op(c, w.OP_I64_SUB);
  w.emit_i64_const(c, 0); w.emit_local_get(c, Y); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_ADD);
  w.emit_op(c, w.OP_I64_SUB); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_ADD);
  w.emit_op(c, w.OP_I64_DIV_U);
  w.emit_end(c);
  w.emit_local_set(c, X);
  stint(a + 1, X);
}

/** FORLOOP: the integer loop (count in R[a+1]) or the float one (floatforloop), as the interpreter. */
function forloop(pc: i32, a: i32, bx: i32): void {
  const back = pc + 1 - bx;
  ldtag(a + 2); tagis_top(LUA_VNUMINT);
  w.emit_if(c, w.BT_VOID);
  extra++;
  ldint(a + 1); w.emit_local_tee(c, X); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_NE);
  w.emit_if(c, w.BT_VOID);
  extra++;
  w.emit_local_get(c, X); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_SUB); w.emit_local_set(c, X);
  stint(a + 1, X);
  ldint(a); ldint(a + 2); w.emit_op(c, w.OP_I64_ADD); w.emit_local_set(c, X);
  stint(a, X); stint(a + 3, X);
  jumpto(back, pc);
  extra--;
  w.emit_end(c);
  extra--;
  w.emit_else(c);
  extra++;
  // idx = R[a] + step; if (0 < step ? idx <= limit : limit <= idx) jump back
  ldflt(a); ldflt(a + 2); w.emit_op(c, w.OP_F64_ADD); w.emit_local_set(c, FX);
  w.emit_f64_const(c, 0); ldflt(a + 2); w.emit_op(c, w.OP_F64_LT);
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, FX); ldflt(a + 1); w.emit_op(c, w.OP_F64_LE);
  w.emit_else(c);
  ldflt(a + 1); w.emit_local_get(c, FX); w.emit_op(c, w.OP_F64_LE);
  w.emit_end(c);
  w.emit_if(c, w.BT_VOID);
  extra++;
  stflt(a, FX); stflt(a + 3, FX);
  jumpto(back, pc);
  extra--;
  w.emit_end(c);
  extra--;
  w.emit_end(c);
}

/**
 * RETURN0 / RETURN1 when the frame is neither a loop's entry frame (CIST_FRESH) nor a resumed
 * metamethod (CIST_FINISHOP) and its caller wants 0 or 1 results or all of them (LUA_MULTRET), as
 * luaD_poscall places them; anything else exits to the interpreter's return.
 */
/** Exits at pc when frame ci is a loop's entry frame or a resumed metamethod (returns are the interpreter's). */
function frameguard(pc: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_CALLSTATUS_OFFSET);
  w.emit_i32_const(c, <i32>(CIST_FRESH | CIST_FINISHOP)); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);
}

function ret01(pc: i32, a: i32, n: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_CALLSTATUS_OFFSET);
  w.emit_i32_const(c, <i32>(CIST_FRESH | CIST_FINISHOP)); w.emit_op(c, w.OP_I32_AND);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_NRESULTS_OFFSET);
  w.emit_local_tee(c, T2);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_i32_const(c, 2); w.emit_op(c, w.OP_I32_GT_U);     // wanted: LUA_MULTRET, 0 or 1 (not 2+)
  w.emit_op(c, w.OP_I32_OR);
  w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_FUNC_OFFSET); w.emit_local_set(c, T1);
  // T2 := the results the caller gets (luaD_poscall): RETURN1 gives 1 unless 0 are wanted, RETURN0
  // gives a nil when 1 is wanted and nothing otherwise (LUA_MULTRET: as many as there are)
  w.emit_local_get(c, T2); w.emit_i32_const(c, n == 1 ? 0 : 1); w.emit_op(c, n == 1 ? w.OP_I32_NE : w.OP_I32_EQ);
  w.emit_local_tee(c, T2);
  w.emit_if(c, w.BT_VOID);                             // one result: R[a], or nil
  if (n == 1) {
    for (let o: u32 = 0; o < 16; o += 8) {
      w.emit_local_get(c, T1); w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(a) + o);
      w.emit_store(c, w.OP_I64_STORE, 3, o);
    }
  } else {
    w.emit_local_get(c, T1); w.emit_i32_const(c, LUA_VNIL); w.emit_store(c, w.OP_I32_STORE, 2, TV_TT_OFFSET);
  }
  w.emit_end(c);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, T1);
  w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, L_TOP_OFFSET);
  w.emit_local_get(c, LOCAL_L);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_PREVIOUS_OFFSET);
  w.emit_store(c, w.OP_I32_STORE, 2, L_CI_OFFSET);
  w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_RETURN);
}

/** BASE := ci.func + 1 slot (R[0]); again after anything that may have moved the stack. */
function loadbase(): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_FUNC_OFFSET);
  w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, BASE);
}

/** ci.savedpc := the instruction at pc (what the interpreter has saved when it calls out). */
function savepc(pc: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, CODE); w.emit_i32_const(c, pc << 2); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, CI_SAVEDPC_OFFSET);
}

/**
 * Calls helper `slot` (jit/helpers.ts, type THELPER: L, ci, then three i32 arguments already pushed
 * after L and ci by the caller of this function) and acts on its answer: HELPER_DONE goes on (with
 * BASE re-read: the stack may have moved), HELPER_SLOW counts a miss and exits at pc, anything else
 * is returned as it is (JIT_EXIT with L.ci set by the helper, JIT_ERROR, JIT_YIELD).
 */
function callhelper(pc: i32, slot: i32): void {
  w.emit_i32_const(c, slot); w.emit_call_indirect(c, THELPER);
  w.emit_local_tee(c, T1); w.emit_i32_const(c, HELPER_DONE); w.emit_op(c, w.OP_I32_NE);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, T1); w.emit_i32_const(c, HELPER_SLOW); w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  w.emit_local_get(c, T1); w.emit_op(c, w.OP_RETURN);
  w.emit_end(c);
  loadbase();
}

/** Pushes the i32 at `off` of the address in local `l`. */
function ldfield(l: i32, off: u32): void { w.emit_local_get(c, l); w.emit_load(c, w.OP_I32_LOAD, 2, off); }

/**
 * CALL: ci.savedpc := pc + 1 and L.top := the arguments' end (as the interpreter's CALL), then
 * - directly, OP_CALL's fast path: a Lua closure whose prototype is compiled with an entry at pc 0,
 *   given all its fixed parameters (B > 0, or B = 0 with L.top past them), with stack room, a CallInfo to reuse and the nesting
 *   bound not reached (vm/tier.ts JIT_MAXDEPTH): its frame is set up here and its code called
 *   through the table; when it returns, compiled code goes on; any other status is returned (after
 *   the deopt check luaV_jitenter would make, luaJ_exited);
 * - else luaJ_call (jit/helpers.ts), which does what the interpreter's CALL does.
 */
function callop(pc: i32, i: u32): void {
  const a = GETARG_A(i), b = GETARG_B(i), nres = GETARG_C(i) - 1;
  savepc(pc + 1);
  if (b != 0) {
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a + b));
    w.emit_op(c, w.OP_I32_ADD); w.emit_store(c, w.OP_I32_STORE, 2, L_TOP_OFFSET);
  }
  w.emit_block(c, w.BT_VOID);                          // $done
  w.emit_block(c, w.BT_VOID);                          // $slow
  if (!STRESS) {                                       // (stress builds move the stack at every call)
    ldtag(a); w.emit_i32_const(c, LUA_VLCL); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, 0);
    // P = the callee's prototype; E = its table slot (neither 0 nor JIT_DECLINED), entry at pc 0
    w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET);
    w.emit_load(c, w.OP_I32_LOAD, 2, CL_PROTO_OFFSET); w.emit_local_set(c, P);
    ldfield(P, JITENTRY_OFFSET); w.emit_local_tee(c, E);
    w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_i32_const(c, <i32>(JIT_DECLINED - 1));
    w.emit_op(c, w.OP_I32_GE_U);
    ldfield(P, JITMAP_OFFSET); w.emit_load(c, w.OP_I32_LOAD8_U, 0, 0);   // jitmap[0]: an entry at pc 0
    w.emit_i32_const(c, JITMAP_ENTRY); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
    w.emit_op(c, w.OP_I32_OR);
    // all fixed parameters given (no nils to add; B = 0: the arguments run up to L.top, where the
    // call or VARARG before left it), and hasstack(L, maxstacksize)
    if (b != 0) {
      w.emit_i32_const(c, b - 1); w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_NUMPARAMS_OFFSET);
    } else {                                           // (in bytes: L.top - R[A+1] < numparams * 16)
      ldfield(LOCAL_L, L_TOP_OFFSET); w.emit_local_get(c, BASE); w.emit_op(c, w.OP_I32_SUB);
      w.emit_i32_const(c, <i32>roff(a + 1)); w.emit_op(c, w.OP_I32_SUB);
      w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_NUMPARAMS_OFFSET);
      w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL);
    }
    w.emit_op(c, w.OP_I32_LT_S); w.emit_op(c, w.OP_I32_OR);
    ldfield(LOCAL_L, L_STACKLAST_OFFSET); ldfield(LOCAL_L, L_TOP_OFFSET); w.emit_op(c, w.OP_I32_SUB);
    w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET);
    w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_LE_S); w.emit_op(c, w.OP_I32_OR);
    // a CallInfo to reuse, and the nesting bound
    ldfield(LOCAL_CI, CI_NEXT_OFFSET); w.emit_local_tee(c, NCI); w.emit_op(c, w.OP_I32_EQZ); w.emit_op(c, w.OP_I32_OR);
    w.emit_i32_const(c, <i32>jitdepthp); w.emit_load(c, w.OP_I32_LOAD, 2, 0); w.emit_local_tee(c, T2);
    w.emit_i32_const(c, JIT_MAXDEPTH); w.emit_op(c, w.OP_I32_GE_S); w.emit_op(c, w.OP_I32_OR);
    w.emit_br_if(c, 0);
    // the callee's frame (as OP_CALL's fast path and luaD_precall set it up)
    w.emit_local_get(c, NCI); w.emit_i32_const(c, 0); w.emit_store(c, w.OP_I32_STORE, 2, CI_CALLSTATUS_OFFSET);
    w.emit_local_get(c, NCI); w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
    w.emit_local_tee(c, T1); w.emit_store(c, w.OP_I32_STORE, 2, CI_FUNC_OFFSET);
    w.emit_local_get(c, NCI); w.emit_i32_const(c, nres); w.emit_store(c, w.OP_I32_STORE, 2, CI_NRESULTS_OFFSET);
    w.emit_local_get(c, NCI);
    w.emit_local_get(c, T1); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_ADD);
    w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET);
    w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
    w.emit_store(c, w.OP_I32_STORE, 2, CI_TOP_OFFSET);
    w.emit_local_get(c, NCI); ldfield(P, P_CODE_OFFSET); w.emit_store(c, w.OP_I32_STORE, 2, CI_SAVEDPC_OFFSET);
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, NCI); w.emit_store(c, w.OP_I32_STORE, 2, L_CI_OFFSET);
    // jitcalls++, depth++, call, depth--
    w.emit_local_get(c, P); ldfield(P, JITCALLS_OFFSET); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
    w.emit_store(c, w.OP_I32_STORE, 2, JITCALLS_OFFSET);
    w.emit_i32_const(c, <i32>jitdepthp); w.emit_local_get(c, T2); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
    w.emit_store(c, w.OP_I32_STORE, 2, 0);
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, NCI); w.emit_local_get(c, P); w.emit_local_get(c, E);
    w.emit_call_indirect(c, TENTRY);
    w.emit_local_set(c, T1);
    w.emit_i32_const(c, <i32>jitdepthp); w.emit_local_get(c, T2); w.emit_store(c, w.OP_I32_STORE, 2, 0);
    w.emit_local_get(c, T1); w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_I32_EQ); w.emit_br_if(c, 1);
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, P); w.emit_local_get(c, T1);
    w.emit_i32_const(c, 0);
    w.emit_i32_const(c, <i32>luaJ_exited.index); w.emit_call_indirect(c, THELPER);
    w.emit_op(c, w.OP_RETURN);
  }
  w.emit_end(c);                                       // $slow: the helper
  extra += 1;
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
  w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
  w.emit_i32_const(c, b); w.emit_i32_const(c, nres);
  callhelper(pc, <i32>luaJ_call.index);
  extra -= 1;
  w.emit_end(c);                                       // $done
  loadbase();
}

/**
 * TAILCALL straight into a compiled Lua callee (before the luaJ_tailcall call it falls through to):
 * when the caller's frame needs no adjustment (not a vararg function: C = 0; no upvalues to close:
 * k = 0), the arguments are counted (B > 0) and the callee is a Lua closure whose prototype is
 * compiled with an entry at pc 0, given all its fixed parameters, with stack room for its frame in
 * place of this one and the nesting bound not reached: the frame ci is reused as luaD_pretailcall
 * reuses it (function and arguments moved down to ci.func, L.top, ci.top, ci.savedpc at the callee's
 * code, CIST_TAIL set and the hook bits cleared), and the callee's code is called through the table;
 * its status is this frame's (JIT_RETURNED: ci returned), after the deopt check callop makes. With
 * trapflag set, ci is left to the interpreter at the callee's first instruction (JIT_EXIT). Stress
 * builds (the stack moved at every call) always take the helper.
 */
function tailcallop(i: u32): void {
  const a = GETARG_A(i), b = GETARG_B(i);
  if (STRESS || GETARG_C(i) != 0 || GETARG_k(i) != 0 || b == 0) return;
  w.emit_block(c, w.BT_VOID);                          // $slow: luaJ_tailcall
  ldtag(a); w.emit_i32_const(c, LUA_VLCL); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, 0);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET);
  w.emit_load(c, w.OP_I32_LOAD, 2, CL_PROTO_OFFSET); w.emit_local_set(c, P);
  ldfield(P, JITENTRY_OFFSET); w.emit_local_tee(c, E);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_i32_const(c, <i32>(JIT_DECLINED - 1));
  w.emit_op(c, w.OP_I32_GE_U);
  ldfield(P, JITMAP_OFFSET); w.emit_load(c, w.OP_I32_LOAD8_U, 0, 0);
  w.emit_i32_const(c, JITMAP_ENTRY); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_op(c, w.OP_I32_OR);
  w.emit_i32_const(c, b - 1); w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_NUMPARAMS_OFFSET);
  w.emit_op(c, w.OP_I32_LT_S); w.emit_op(c, w.OP_I32_OR);
  // the callee's frame from R[0] (this frame's base) must end within the stack
  ldfield(LOCAL_L, L_STACKLAST_OFFSET); w.emit_local_get(c, BASE); w.emit_op(c, w.OP_I32_SUB);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET);
  w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_LE_S); w.emit_op(c, w.OP_I32_OR);
  w.emit_i32_const(c, <i32>jitdepthp); w.emit_load(c, w.OP_I32_LOAD, 2, 0); w.emit_local_tee(c, T2);
  w.emit_i32_const(c, JIT_MAXDEPTH); w.emit_op(c, w.OP_I32_GE_S); w.emit_op(c, w.OP_I32_OR);
  w.emit_br_if(c, 0);
  // function and arguments down to ci.func (T1), upwards (the destination is below the source)
  w.emit_local_get(c, BASE); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_SUB); w.emit_local_set(c, T1);
  for (let j = 0; j < b; j++) {
    for (let o: u32 = 0; o < 16; o += 8) {
      w.emit_local_get(c, T1); w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(a + j) + o);
      w.emit_store(c, w.OP_I64_STORE, 3, roff(j) + o);
    }
  }
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, T1); w.emit_i32_const(c, <i32>roff(b)); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, L_TOP_OFFSET);
  w.emit_local_get(c, LOCAL_CI);
  w.emit_local_get(c, BASE);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET);
  w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, CI_TOP_OFFSET);
  w.emit_local_get(c, LOCAL_CI); ldfield(P, P_CODE_OFFSET); w.emit_store(c, w.OP_I32_STORE, 2, CI_SAVEDPC_OFFSET);
  w.emit_local_get(c, LOCAL_CI);
  ldfield(LOCAL_CI, CI_CALLSTATUS_OFFSET); w.emit_i32_const(c, <i32>CIST_TAIL); w.emit_op(c, w.OP_I32_OR);
  w.emit_i32_const(c, ~<i32>(CIST_HOOKSTARTED | CIST_HOOKVARARG)); w.emit_op(c, w.OP_I32_AND);
  w.emit_store(c, w.OP_I32_STORE, 2, CI_CALLSTATUS_OFFSET);
  w.emit_global_get(c, GTRAP);
  w.emit_if(c, w.BT_VOID); w.emit_i32_const(c, JIT_EXIT); w.emit_op(c, w.OP_RETURN); w.emit_end(c);
  // jitcalls++, depth++, call, depth--
  w.emit_local_get(c, P); ldfield(P, JITCALLS_OFFSET); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, JITCALLS_OFFSET);
  w.emit_i32_const(c, <i32>jitdepthp); w.emit_local_get(c, T2); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, 0);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, P); w.emit_local_get(c, E);
  w.emit_call_indirect(c, TENTRY);
  w.emit_local_set(c, T1);
  w.emit_i32_const(c, <i32>jitdepthp); w.emit_local_get(c, T2); w.emit_store(c, w.OP_I32_STORE, 2, 0);
  w.emit_local_get(c, T1); w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID); w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_RETURN); w.emit_end(c);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, P); w.emit_local_get(c, T1);
  w.emit_i32_const(c, 0);
  w.emit_i32_const(c, <i32>luaJ_exited.index); w.emit_call_indirect(c, THELPER);
  w.emit_op(c, w.OP_RETURN);
  w.emit_end(c);                                       // $slow
}

/** Stress mode: before a unit, counts down and exits there every `stressevery` units. */
function stresscheck(pc: i32): void {
  w.emit_global_get(c, GSTRESS); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, GSTRESS);
  w.emit_global_get(c, GSTRESS); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);
  w.emit_i32_const(c, stressevery); w.emit_global_set(c, GSTRESS); exitat(pc);
  w.emit_end(c);
}

/**
 * Emits the unit at pc; returns false when the block ends there (an unconditional jump, a return,
 * an exit), so the rest of the block is unreachable in compiled code.
 */
function unit(pc: i32): bool {
  const i = instr(pc);
  const op = GET_OPCODE(i);
  const a = GETARG_A(i);
  if (!supported(pc)) { exitat(pc); return false; }
  if (stressevery > 0) stresscheck(pc);
  switch (op) {
    case OP.MOVE: copyreg(a, GETARG_B(i)); break;
    case OP.LOADI: w.emit_i64_const(c, <i64>GETARG_sBx(i)); w.emit_local_set(c, X); stint(a, X); break;
    case OP.LOADF: w.emit_f64_const(c, <f64>GETARG_sBx(i)); w.emit_local_set(c, FX); stflt(a, FX); break;
    case OP.LOADK: {
      w.emit_local_get(c, KBASE); w.emit_i32_const(c, GETARG_Bx(i) << 4); w.emit_op(c, w.OP_I32_ADD);
      w.emit_local_set(c, T1); copyfrom(a, T1);
      break;
    }
    case OP.LOADFALSE: settag(a, LUA_VFALSE); break;
    case OP.LFALSESKIP: settag(a, LUA_VFALSE); jumpto(pc + 2, pc); return false;
    case OP.LOADTRUE: settag(a, LUA_VTRUE); break;
    case OP.LOADNIL: for (let r = a; r <= a + GETARG_B(i); r++) settag(r, LUA_VNIL); break;
    case OP.GETUPVAL: {                                // cl = ci.func's closure; R[A] := *cl.upvals[B].v
      w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_FUNC_OFFSET);
      w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET);
      w.emit_load(c, w.OP_I32_LOAD, 2, CL_UPVALS_OFFSET + (<u32>GETARG_B(i) << 2));
      w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET);
      w.emit_local_set(c, T1);
      copyfrom(a, T1);
      break;
    }
    case OP.GETFIELD: {                                // R[A] := R[B][K[C]:shortstring]
      const b = GETARG_B(i);
      beginslow();
      if (ttisshrstring(kaddr(GETARG_C(i)))) {
        ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, CUR);
        indexchain(GETARG_C(i), 0); copyfrom(a, T2);
      }
      endslow(pc, i, 1, ttisshrstring(kaddr(GETARG_C(i))));
      break;
    }
    case OP.GETTABUP: {                                // R[A] := UpValue[B][K[C]:shortstring]
      beginslow();
      if (ttisshrstring(kaddr(GETARG_C(i)))) {
        upvaltable(GETARG_B(i));
        w.emit_local_get(c, T1); w.emit_local_set(c, CUR);
        indexchain(GETARG_C(i), 0); copyfrom(a, T2);
      }
      endslow(pc, i, 1, ttisshrstring(kaddr(GETARG_C(i))));
      break;
    }
    case OP.GETI: {                                    // R[A] := R[B][C], in the array part
      const b = GETARG_B(i);
      beginslow();
      if (GETARG_C(i) >= 1) {
        ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, T1);
        w.emit_i32_const(c, GETARG_C(i) - 1); w.emit_local_set(c, T2);
        arrayget(); copyslot(a);
      }
      endslow(pc, i, 1, GETARG_C(i) >= 1);
      break;
    }
    case OP.GETTABLE: {                                // R[A] := R[B][R[C]], a short-string key or an integer key in the array part
      const b = GETARG_B(i), rc = GETARG_C(i);
      beginslow();
      strkeyget(a, b, rc);
      ldtag(b); tagis_top(LUA_VTABLE); ldtag(rc); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND);
      w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
      intkey(rc);
      w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, T1);
      arrayget(); copyslot(a);
      endslow(pc, i, 1, true);
      break;
    }
    case OP.SETI: case OP.SETTABLE: {                  // R[A][key] := RK(C), an integer key in the array part
      const regkey = op == OP.SETTABLE, b = GETARG_B(i);
      beginslow();
      if (regkey) strkeyset(i);
      if (regkey || b >= 1) {
        ldtag(a); tagis_top(LUA_VTABLE);
        if (regkey) { ldtag(b); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND); }
        w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        if (regkey) intkey(b); else { w.emit_i32_const(c, b - 1); w.emit_local_set(c, T2); }
        w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET); w.emit_local_set(c, T1);
        arrayslot(); storeslot(i);
      }
      endslow(pc, i, 1, regkey || b >= 1);
      break;
    }
    case OP.SETFIELD: {                                // R[A][K[B]:shortstring] := RK(C), key present
      beginslow();
      if (ttisshrstring(kaddr(GETARG_B(i)))) {
        ldtag(a); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET); w.emit_local_set(c, T1);
        w.emit_local_get(c, T1); w.emit_local_set(c, E);           // (hashwalk walks T1 along the chain)
        hashwalk(GETARG_B(i), T1, false); w.emit_local_get(c, E); w.emit_local_set(c, T1);
        w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_EQZ);
        w.emit_if(c, w.BT_VOID);                       // absent: a new key into its free main position
        newkey(i);
        w.emit_end(c);
        storeslot(i);
        w.emit_br(c, 1);
      }
      w.emit_end(c);                                   // $slow: luaJ_setfield (operands' addresses)
      savepc(pc + 1);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
      w.emit_local_get(c, KBASE); w.emit_i32_const(c, GETARG_B(i) << 4); w.emit_op(c, w.OP_I32_ADD);
      w.emit_local_get(c, GETARG_k(i) ? KBASE : BASE); w.emit_i32_const(c, GETARG_C(i) << 4);
      w.emit_op(c, w.OP_I32_ADD);
      extra++;
      callhelper(pc, <i32>luaJ_setfield.index);
      extra--;
      w.emit_end(c);                                   // $done
      break;
    }
    case OP.SETTABUP: {                                // UpValue[A][K[B]:shortstring] := RK(C), key present
      beginslow();
      if (ttisshrstring(kaddr(GETARG_B(i)))) {
        upvaltable(a);
        w.emit_local_get(c, T1); w.emit_local_set(c, E);
        hashslot(GETARG_B(i)); w.emit_local_get(c, E); w.emit_local_set(c, T1);
        storeslot(i);
      }
      endslow(pc, i, 1, ttisshrstring(kaddr(GETARG_B(i))));
      break;
    }
    case OP.SETUPVAL: {                                // UpValue[B] := R[A]; luaC_barrier: the helper
      beginslow();
      w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_FUNC_OFFSET);
      w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET);
      w.emit_load(c, w.OP_I32_LOAD, 2, CL_UPVALS_OFFSET + (<u32>GETARG_B(i) << 2)); w.emit_local_tee(c, T1);
      // a collectable value into a black upvalue may need the barrier: luaJ_op does it all
      w.emit_load(c, w.OP_I32_LOAD8_U, 0, GCH_MARKED_OFFSET); w.emit_i32_const(c, BLACKBIT); w.emit_op(c, w.OP_I32_AND);
      ldtag(a); w.emit_i32_const(c, BIT_ISCOLLECTABLE); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_AND);
      w.emit_br_if(c, 0);
      w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET); w.emit_local_set(c, T2);
      for (let o: u32 = 0; o < 16; o += 8) {           // setobj
        w.emit_local_get(c, T2); w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(a) + o);
        w.emit_store(c, w.OP_I64_STORE, 3, o);
      }
      endslow(pc, i, 1, true);
      break;
    }
    case OP.SELF: {                                    // R[A+1] := R[B]; R[A] := R[B][K[C]:shortstring]
      const b = GETARG_B(i), fast = GETARG_k(i) != 0 && ttisshrstring(kaddr(GETARG_C(i)));
      beginslow();
      if (fast) {                                      // a method: own, or found through __index tables
        ldtag(b); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_i32_const(c, LUA_TSTRING);
        w.emit_op(c, w.OP_I32_EQ);
        w.emit_if(c, w.BT_VOID);                       // a string's method: from the strings' metatable
        copyreg(a + 1, b);
        w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_i32_const(c, 0);
        kval(GETARG_C(i)); w.emit_i32_const(c, 0);
        w.emit_i32_const(c, <i32>luaJ_strindex.index); w.emit_call_indirect(c, THELPER);
        w.emit_local_tee(c, T2); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
        w.emit_else(c);
        ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
        w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, CUR);
        copyreg(a + 1, b);
        indexchain(GETARG_C(i), 1);
        w.emit_end(c);
        copyfrom(a, T2);
      }
      endslow(pc, i, 1, fast);                         // (luaJ_op redoes R[A+1] := R[B]: the same value)
      break;
    }
    case OP.LEN: beginslow(); objlen(a, GETARG_B(i)); endslow(pc, i, 1, true); break;
    case OP.CONCAT: case OP.CLOSURE: case OP.SETLIST:
      beginslow(); endslow(pc, i, 1, false);           // the helper, always
      break;
    case OP.NEWTABLE: {                                // sizes decoded here (EXTRAARG included)
      let hsize = GETARG_B(i), asize = GETARG_C(i);
      if (hsize > 0) hsize = 1 << (hsize - 1);
      if (GETARG_k(i)) asize += GETARG_Ax(instr(pc + 1)) * (MAXARG_C + 1);
      savepc(pc + 2);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
      w.emit_i32_const(c, hsize); w.emit_i32_const(c, asize);
      callhelper(pc, <i32>luaJ_newtable.index);
      break;
    }
    case OP.ADDI: {
      const b = GETARG_B(i), imm = GETARG_sC(i);
      ldtag(b); w.emit_local_set(c, T1);
      tagis(T1, LUA_VNUMINT);
      w.emit_if(c, w.BT_VOID);
      ldint(b); w.emit_i64_const(c, <i64>imm); w.emit_op(c, w.OP_I64_ADD); w.emit_local_set(c, X); stint(a, X);
      w.emit_else(c);
      tagis(T1, LUA_VNUMFLT);
      w.emit_if(c, w.BT_VOID);
      ldflt(b); w.emit_f64_const(c, <f64>imm); w.emit_op(c, w.OP_F64_ADD); w.emit_local_set(c, FX); stflt(a, FX);
      w.emit_else(c); missexit(pc); w.emit_end(c);
      w.emit_end(c);
      break;
    }
    case OP.ADD: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_ADD, w.OP_F64_ADD, true); break;
    case OP.SUB: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_SUB, w.OP_F64_SUB, false); break;
    case OP.MUL: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_MUL, w.OP_F64_MUL, false); break;
    case OP.ADDK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_ADD, w.OP_F64_ADD, true); break;
    case OP.SUBK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_SUB, w.OP_F64_SUB, false); break;
    case OP.MULK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_MUL, w.OP_F64_MUL, false); break;
    case OP.DIV: divide(pc, a, GETARG_B(i), GETARG_C(i), -1); break;
    case OP.DIVK: divide(pc, a, GETARG_B(i), 0, GETARG_C(i)); break;
    case OP.MOD: modidiv(pc, a, GETARG_B(i), GETARG_C(i), -1, true); break;
    case OP.MODK: modidiv(pc, a, GETARG_B(i), 0, GETARG_C(i), true); break;
    case OP.IDIV: modidiv(pc, a, GETARG_B(i), GETARG_C(i), -1, false); break;
    case OP.IDIVK: modidiv(pc, a, GETARG_B(i), 0, GETARG_C(i), false); break;
    case OP.BAND: bitwise(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_AND); break;
    case OP.BOR: bitwise(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_OR); break;
    case OP.BXOR: bitwise(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_XOR); break;
    case OP.BANDK: bitwise(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_AND); break;
    case OP.BORK: bitwise(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_OR); break;
    case OP.BXORK: bitwise(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_XOR); break;
    case OP.BNOT: {                                    // ~R[B] = R[B] xor -1
      const b = GETARG_B(i);
      intguard(pc, b, -1);
      ldint(b); w.emit_i64_const(c, -1); w.emit_op(c, w.OP_I64_XOR); w.emit_local_set(c, X); stint(a, X);
      break;
    }
    case OP.SHL: {                                     // R[B] << R[C]
      const b = GETARG_B(i), rc = GETARG_C(i);
      intguard(pc, b, rc);
      ldint(b); w.emit_local_set(c, X); ldint(rc); w.emit_local_set(c, Y);
      shiftl(a);
      break;
    }
    case OP.SHR: {                                     // R[B] >> R[C] = shiftl(R[B], -R[C]) (wrapping)
      const b = GETARG_B(i), rc = GETARG_C(i);
      intguard(pc, b, rc);
      ldint(b); w.emit_local_set(c, X);
      w.emit_i64_const(c, 0); ldint(rc); w.emit_op(c, w.OP_I64_SUB); w.emit_local_set(c, Y);
      shiftl(a);
      break;
    }
    case OP.SHRI: {                                    // R[B] >> sC = shiftl(R[B], -sC)
      const b = GETARG_B(i);
      intguard(pc, b, -1);
      ldint(b); w.emit_local_set(c, X); w.emit_i64_const(c, -<i64>GETARG_sC(i)); w.emit_local_set(c, Y);
      shiftl(a);
      break;
    }
    case OP.SHLI: {                                    // sC << R[B]
      const b = GETARG_B(i);
      intguard(pc, b, -1);
      w.emit_i64_const(c, <i64>GETARG_sC(i)); w.emit_local_set(c, X); ldint(b); w.emit_local_set(c, Y);
      shiftl(a);
      break;
    }
    case OP.UNM: {
      const b = GETARG_B(i);
      ldtag(b); w.emit_local_set(c, T1);
      tagis(T1, LUA_VNUMINT);
      w.emit_if(c, w.BT_VOID);
      w.emit_i64_const(c, 0); ldint(b); w.emit_op(c, w.OP_I64_SUB); w.emit_local_set(c, X); stint(a, X);
      w.emit_else(c);
      tagis(T1, LUA_VNUMFLT);
      w.emit_if(c, w.BT_VOID);
      ldflt(b); w.emit_op(c, w.OP_F64_NEG); w.emit_local_set(c, FX); stflt(a, FX);
      w.emit_else(c); missexit(pc); w.emit_end(c);
      w.emit_end(c);
      break;
    }
    case OP.NOT: {
      ldtag(GETARG_B(i)); w.emit_local_set(c, T1);
      w.emit_local_get(c, BASE);
      w.emit_i32_const(c, LUA_VTRUE); w.emit_i32_const(c, LUA_VFALSE); falsy(T1); w.emit_op(c, w.OP_SELECT);
      w.emit_store(c, w.OP_I32_STORE, 2, roff(a) + TV_TT_OFFSET);
      break;
    }
    case OP.EQ: eqcmp(pc, a, GETARG_B(i)); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.LT: ordercmp(pc, a, GETARG_B(i), true); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.LE: ordercmp(pc, a, GETARG_B(i), false); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.EQK: eqkcmp(pc, a, GETARG_B(i)); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.EQI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_EQ, w.OP_F64_EQ, true); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.LTI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_LT_S, w.OP_F64_LT, false); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.LEI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_LE_S, w.OP_F64_LE, false); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.GTI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_GT_S, w.OP_F64_GT, false); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.GEI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_GE_S, w.OP_F64_GE, false); takeif(GETARG_k(i)); condjump(pc); break;
    case OP.TEST: {                                    // c = not l_isfalse(R[A]); jump when c == k
      ldtag(a); w.emit_local_set(c, T1); falsy(T1); w.emit_op(c, w.OP_I32_EQZ);
      takeif(GETARG_k(i)); condjump(pc);
      break;
    }
    case OP.TESTSET: {                                 // if l_isfalse(R[B]) ~= k: R[A] := R[B] and jump
      const b = GETARG_B(i);
      ldtag(b); w.emit_local_set(c, T1); falsy(T1);    // take = (l_isfalse(R[B]) ? 1 : 0) != k
      if (GETARG_k(i) != 0) w.emit_op(c, w.OP_I32_EQZ);
      w.emit_if(c, w.BT_VOID);
      extra++;
      copyreg(a, b);
      jumpto(pc + 2 + GETARG_sJ(instr(pc + 1)), pc);
      extra--;
      w.emit_end(c);
      break;
    }
    case OP.JMP: jumpto(pc + 1 + GETARG_sJ(i), pc); return false;
    case OP.FORPREP: forprep(pc, a, GETARG_Bx(i)); break;
    case OP.FORLOOP: forloop(pc, a, GETARG_Bx(i)); break;
    case OP.TFORPREP: {                                // no to-be-closed 4th value: on to the TFORCALL
      ldtag(a + 3); w.emit_local_set(c, T1); falsy(T1); w.emit_op(c, w.OP_I32_EQZ);
      w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);   // (the interpreter creates it)
      jumpto(pc + 1 + GETARG_Bx(i), pc);
      return false;
    }
    case OP.TFORCALL: {                                // R[A+4], ... := R[A](R[A+1], R[A+2]): luaJ_tforcall
      savepc(pc + 1);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
      w.emit_i32_const(c, GETARG_C(i)); w.emit_i32_const(c, 0);
      callhelper(pc, <i32>luaJ_tforcall.index);
      break;
    }
    case OP.TFORLOOP: {                                // if R[A+4] ~= nil then R[A+2] := R[A+4]; jump back
      ldtag(a + 4); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
      w.emit_if(c, w.BT_VOID);
      extra++;
      copyreg(a + 2, a + 4);
      jumpto(pc + 1 - GETARG_Bx(i), pc);
      extra--;
      w.emit_end(c);
      break;
    }
    case OP.CLOSE: {                                   // nothing open at or above R[A]: nothing to do
      const ra = <i32>roff(a);
      beginslow();
      ldfield(LOCAL_L, L_OPENUPVAL_OFFSET); w.emit_local_tee(c, T1);
      w.emit_if(c, w.BT_VOID);                         // the open upvalues, highest level first
      w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET);
      w.emit_local_get(c, BASE); w.emit_i32_const(c, ra); w.emit_op(c, w.OP_I32_ADD);
      w.emit_op(c, w.OP_I32_GE_U); w.emit_br_if(c, 1);
      w.emit_end(c);
      ldfield(LOCAL_L, L_TBCLIST_OFFSET);              // the to-be-closed list, highest first (0: none)
      w.emit_local_get(c, BASE); w.emit_i32_const(c, ra); w.emit_op(c, w.OP_I32_ADD);
      w.emit_op(c, w.OP_I32_GE_U); w.emit_br_if(c, 0);
      endslow(pc, i, 1, true);                         // (luaJ_op: luaF_close, __close included)
      break;
    }
    case OP.CALL: callop(pc, i); break;
    case OP.RETURN: {                                  // (a loop's entry frame or a resumed metamethod: exit)
      frameguard(pc);
      savepc(pc + 1);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_i32_const(c, <i32>i); w.emit_i32_const(c, 0); w.emit_i32_const(c, 0);
      callhelper(pc, <i32>luaJ_return.index);
      w.emit_op(c, w.OP_UNREACHABLE);                  // (luaJ_return never answers HELPER_DONE)
      return false;
    }
    case OP.TAILCALL: {
      savepc(pc + 1);
      tailcallop(i);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_i32_const(c, <i32>i); w.emit_i32_const(c, 0); w.emit_i32_const(c, 0);
      callhelper(pc, <i32>luaJ_tailcall.index);
      break;                                           // a native's results: the RETURN follows
    }
    case OP.RETURN0: ret01(pc, a, 0); return false;
    case OP.RETURN1: ret01(pc, a, 1); return false;
    default: exitat(pc); return false;                 // (supported() said no)
  }
  return true;
}

// Table access. A table instruction's unit is
//     block $done  block $slow  <fast path>  br $done  end  <luaJ_op: the whole instruction>  end
// (beginslow / endslow): its fast path leaves for $slow by a branch wherever a guard fails (a type
// miss, an absent key, an empty slot, a black table to store into), and jit/helpers.ts luaJ_op then
// runs the instruction as the interpreter does: metamethods, errors, barriers, new keys.

/** Opens a table unit's $done and $slow blocks. */
function beginslow(): void { w.emit_block(c, w.BT_VOID); w.emit_block(c, w.BT_VOID); }

/**
 * Closes a table unit: the fast path (`fast`: one was emitted) branches over the slow half; the slow half stores
 * ci.savedpc (the next instruction: `len` on from pc, past a NEWTABLE's EXTRAARG) and calls luaJ_op.
 */
function endslow(pc: i32, i: u32, len: i32, fast: bool): void {
  if (fast) w.emit_br(c, 1);
  w.emit_end(c);                                       // $slow
  savepc(pc + len);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
  w.emit_i32_const(c, <i32>i); w.emit_i32_const(c, 0); w.emit_i32_const(c, 0);
  extra++;
  callhelper(pc, <i32>luaJ_op.index);
  extra--;
  w.emit_end(c);                                       // $done
}

/** T1 := the table in upvalue B of the running closure, else branch to $slow (depth 0). */
function upvaltable(b: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_FUNC_OFFSET);
  w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET);
  w.emit_load(c, w.OP_I32_LOAD, 2, CL_UPVALS_OFFSET + (<u32>b << 2));
  w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET);
  w.emit_local_tee(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET); w.emit_local_set(c, T1);
}

/** T2 := the integer key in R[r] minus 1 as an array index (below 2^31), else branch to $slow. */
function intkey(r: i32): void {
  ldint(r); w.emit_i64_const(c, 1); w.emit_op(c, w.OP_I64_SUB); w.emit_local_tee(c, X);
  w.emit_i64_const(c, 0x7FFFFFFF); w.emit_op(c, w.OP_I64_GT_U); w.emit_br_if(c, 0);
  w.emit_local_get(c, X); w.emit_op(c, w.OP_I32_WRAP_I64); w.emit_local_set(c, T2);
}

/** hashwalk's key for the metafield "__index" (vm/tm.ts tmname(TM.INDEX)) instead of a constant. */
// @ts-ignore: decorator
@inline const KEY_INDEX: i32 = -1;

/**
 * T2 := the node of short-string constant K[kc] (or of "__index": kc = KEY_INDEX; or of the short
 * string in register R[reg] when reg >= 0, with its hash read from it) in the table whose
 * address is in local `tbl` (luaH_getshortstr: the chain from the key's main position; T1 is
 * clobbered). An absent key branches to $slow (depth 0 where this is emitted) when `toslow`, else
 * leaves T2 = 0. "__index" is read from vm/tm.ts's fixed names at run time (the module holds no
 * address of the state's objects); its hash, like a constant's, is known now (the seed is fixed).
 */
function hashwalk(kc: i32, tbl: i32, toslow: bool, reg: i32 = -1): void {
  // T2 = node + ((hash & (2^lsizenode - 1)) << 5)
  w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET);
  w.emit_i32_const(c, 1);
  w.emit_local_get(c, tbl); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_LSIZENODE_OFFSET);
  w.emit_op(c, w.OP_I32_SHL); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB);
  if (reg >= 0) {                                      // the string's own hash (object/string.ts strhash)
    w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(reg) + TV_VALUE_OFFSET);
    w.emit_load(c, w.OP_I32_LOAD, 2, TS_HASH_OFFSET);
  } else w.emit_i32_const(c, <i32>strhash(kc == KEY_INDEX ? tmname(TM_INDEX) : tsvalue(kaddr(kc))));
  w.emit_op(c, w.OP_I32_AND);
  w.emit_i32_const(c, 5); w.emit_op(c, w.OP_I32_SHL);
  w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, T2);
  w.emit_block(c, w.BT_VOID);                          // $found
  w.emit_loop(c, w.BT_VOID);                           // $chain
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, NODE_KEY_OFFSET + TV_TT_OFFSET);
  tagis_top(LUA_VSHRSTR);
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, NODE_KEY_OFFSET + TV_VALUE_OFFSET);
  if (reg >= 0) {
    w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(reg) + TV_VALUE_OFFSET);
  } else if (kc == KEY_INDEX) {
    w.emit_i32_const(c, <i32>tmnames); w.emit_load(c, w.OP_I32_LOAD, 2, <u32>TM_INDEX << 2);
  } else kval(kc);
  w.emit_op(c, w.OP_I32_EQ);
  w.emit_op(c, w.OP_I32_AND); w.emit_br_if(c, 1);
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, NODE_NEXT_OFFSET); w.emit_local_tee(c, T1);
  w.emit_op(c, w.OP_I32_EQZ);
  if (toslow) w.emit_br_if(c, 2);                      // end of the chain: absent → $slow
  else { w.emit_if(c, w.BT_VOID); w.emit_i32_const(c, 0); w.emit_local_set(c, T2); w.emit_br(c, 2); w.emit_end(c); }
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_i32_const(c, 5); w.emit_op(c, w.OP_I32_SHL);
  w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, T2);
  w.emit_br(c, 0);
  w.emit_end(c);
  w.emit_op(c, w.OP_UNREACHABLE);                      // (the chain loop only leaves by a branch)
  w.emit_end(c);
}

/** hashwalk from the table in T1; an absent key branches to $slow. */
function hashslot(kc: i32): void { hashwalk(kc, T1, true); }

/** vm/state.ts: lua_State's openupval (the open upvalues, highest level first) and tbclist (L_openupval, L_tbclist). */
// @ts-ignore: decorator
@inline const L_OPENUPVAL_OFFSET: u32 = 32;
// @ts-ignore: decorator
@inline const L_TBCLIST_OFFSET: u32 = 36;
/** vm/tm.ts TM.NEWINDEX (its bit in a table's absent-metamethod flags). */
// @ts-ignore: decorator
@inline const TM_NEWINDEX: i32 = 1;
/** object/string.ts: a TString's hash (what its strhash reads). */
// @ts-ignore: decorator
@inline const TS_HASH_OFFSET: u32 = 8;
/** object/string.ts: a TString's byte length, short and long strings alike (what its tsslen reads). */
// @ts-ignore: decorator
@inline const TS_LEN_OFFSET: u32 = 12;
/** vm/tm.ts TM.LEN (its bit in a table's absent-metamethod flags). */
// @ts-ignore: decorator
@inline const TM_LEN: i32 = 4;
/** vm/tm.ts TM.INDEX (its bit in a table's absent-metamethod flags). */
// @ts-ignore: decorator
@inline const TM_INDEX: i32 = 0;

/** Levels of an index chain walked inline (the table and its __index tables); a longer one: $slow. */
// @ts-ignore: decorator
@inline const MAXCHAIN: i32 = 8;

/**
 * T2 := the slot holding the value of short-string constant K[kc] in the table in local CUR or along
 * its chain of table-valued __index metafields, or the nil constant when the chain ends without one
 * (luaV_finishget's walk, inline: each level's own slot, then its metatable's absence bit for
 * __index (fasttm) and its "__index" looked up raw; the absence is not cached, which changes nothing
 * but the interpreter's next lookup). An __index that is neither a table nor nil (a function: a
 * call; a string or an external table: their own metatables) and a chain longer than MAXCHAIN
 * branch to $slow (depth `d` where this is emitted), whose luaJ_op redoes the whole instruction.
 * External tables are userdata, never LUA_VTABLE: a miss. Clobbers CUR, P, E, T1.
 */
function indexchain(kc: i32, d: i32): void {
  w.emit_i32_const(c, MAXCHAIN); w.emit_local_set(c, E);
  w.emit_block(c, w.BT_VOID);                          // $got: T2 is the slot
  w.emit_loop(c, w.BT_VOID);                           // $level: CUR is the table to look in
  hashwalk(kc, CUR, false);
  w.emit_local_get(c, T2);                             // present with a value: that slot
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
  w.emit_else(c); w.emit_i32_const(c, 0);
  w.emit_end(c);
  w.emit_br_if(c, 1);
  // absent or nil: nil unless the metatable has an __index (no metatable, or its absence cached)
  w.emit_i32_const(c, <i32>nilconst); w.emit_local_set(c, T2);
  w.emit_local_get(c, CUR); w.emit_load(c, w.OP_I32_LOAD, 2, T_METATABLE_OFFSET); w.emit_local_tee(c, P);
  w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_FLAGS_OFFSET);
  w.emit_i32_const(c, 1 << TM_INDEX); w.emit_op(c, w.OP_I32_AND); w.emit_br_if(c, 1);
  hashwalk(KEY_INDEX, P, false);
  w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);                             // no "__index" key: nil
  w.emit_i32_const(c, <i32>nilconst); w.emit_local_set(c, T2); w.emit_br(c, 2);
  w.emit_end(c);
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET); w.emit_local_tee(c, T1);
  w.emit_i32_const(c, LUA_VTABLE); w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID);                             // a table: the next level, while levels are left
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET); w.emit_local_set(c, CUR);
  w.emit_local_get(c, E); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_local_tee(c, E);
  w.emit_br_if(c, 1);
  w.emit_br(c, d + 3);
  w.emit_end(c);
  w.emit_local_get(c, T1); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);                             // a nil __index: nil
  w.emit_i32_const(c, <i32>nilconst); w.emit_local_set(c, T2); w.emit_br(c, 2);
  w.emit_end(c);
  w.emit_br(c, d + 2);                                 // a function, a string, a userdata: $slow
  w.emit_end(c);
  w.emit_op(c, w.OP_UNREACHABLE);
  w.emit_end(c);
}

/**
 * For a read: T2 := the address of array slot T2 (0-based, i32) of the table in local T1 when
 * T2 < alimit (as arrayslot), or of the nil constant when the key is past the array part and the
 * table has no hash part (absent: copyslot then answers nil or leaves __index to $slow); a key
 * between alimit and the array's end (luaH_getint moves the hint there) or a hash part branches to
 * $slow (depth 0 where this is emitted).
 */
function arrayget(): void {
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ALIMIT_OFFSET);
  w.emit_op(c, w.OP_I32_GE_U);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ASIZE_OFFSET);
  w.emit_op(c, w.OP_I32_LT_U);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET);
  w.emit_i32_const(c, <i32>dummynode); w.emit_op(c, w.OP_I32_NE);
  w.emit_op(c, w.OP_I32_OR); w.emit_br_if(c, 1);
  w.emit_i32_const(c, <i32>nilconst); w.emit_local_set(c, T2);
  w.emit_else(c);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ARRAY_OFFSET);
  w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  w.emit_local_set(c, T2);
  w.emit_end(c);
}

/**
 * T2 := the address of array slot T2 (0-based, i32) of the table in local T1 when T2 < alimit
 * (luaH_getint's fast path, which moves no hint); else branch to $slow.
 */
function arrayslot(): void {
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ALIMIT_OFFSET);
  w.emit_op(c, w.OP_I32_GE_U); w.emit_br_if(c, 0);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ARRAY_OFFSET);
  w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  w.emit_local_set(c, T2);
}

/**
 * R[a] := the TValue at the address in local T2 (a slot of the table in local T1); an empty slot
 * gives nil when the table has no __index (no metatable, or its absence cached in the metatable's
 * flags: luaV_finishget's answer), else branches to $slow (depth `d` where this is emitted).
 */
function copyslot(a: i32, d: i32 = 0): void {
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);
  notm(TM_INDEX, 1 + d);
  settag(a, LUA_VNIL);
  w.emit_else(c);
  copyfrom(a, T2);
  w.emit_end(c);
}

/**
 * Branches to $slow (at `depth`) unless the table in local T1 lacks metamethod `event` for sure: no
 * metatable, or the event's absence cached in the metatable's flags (fasttm without the lookup).
 */
function notm(event: i32, depth: i32): void {
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_METATABLE_OFFSET); w.emit_local_tee(c, P);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_FLAGS_OFFSET);
  w.emit_i32_const(c, 1 << event); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_br_if(c, depth + 1);
  w.emit_end(c);
}

/**
 * R[a] := #R[b] for a table without __len whose border luaH_getn finds at its hint without moving
 * it: alimit when the slot before it is present and the one at it empty (inside the array part), or
 * when the array part ends there and the hash part is empty; anything else branches to $slow.
 */
function tablelen(a: i32, b: i32, d: i32): void {
  ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, d);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, T1);
  notm(TM_LEN, d);
  // T2 = alimit; (1) limit > 0 and array[limit - 1] empty: luaH_getn searches (and moves the hint)
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ALIMIT_OFFSET); w.emit_local_tee(c, T2);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ARRAY_OFFSET);
  w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_SUB);
  w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, d + 1);
  w.emit_end(c);
  // (2) limit < asize: the border when array[limit] is empty; (3) limit == asize: when no hash part
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ASIZE_OFFSET);
  w.emit_op(c, w.OP_I32_LT_U);
  w.emit_if(c, w.WT_I32);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ARRAY_OFFSET);
  w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
  w.emit_else(c);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET);
  w.emit_i32_const(c, <i32>dummynode); w.emit_op(c, w.OP_I32_NE);
  w.emit_end(c);
  w.emit_br_if(c, d);
  w.emit_local_get(c, T2); w.emit_op(c, w.OP_I64_EXTEND_I32_U); w.emit_local_set(c, X);
  stint(a, X);
}

/** R[a] := #R[b]: a string's length (no metamethod, as luaV_objlen), else tablelen's table. */
function objlen(a: i32, b: i32): void {
  ldtag(b); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_i32_const(c, LUA_TSTRING); w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET);
  w.emit_load(c, w.OP_I32_LOAD, 2, TS_LEN_OFFSET); w.emit_op(c, w.OP_I64_EXTEND_I32_U); w.emit_local_set(c, X);
  stint(a, X);
  w.emit_else(c);
  tablelen(a, b, 1);
  w.emit_end(c);
}

/**
 * A store into the slot at the address in local T2 of the table in local T1 (a present key or an
 * array slot): a black table (luaC_barrierback is due) or an empty slot whose table may have a
 * __newindex branches to $slow; else setobj2t(slot, RK(C)).
 */
function storeslot(i: u32, d: i32 = 0): void {
  const v = GETARG_C(i), isk = GETARG_k(i) != 0;
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD8_U, 0, GCH_MARKED_OFFSET);
  w.emit_i32_const(c, BLACKBIT); w.emit_op(c, w.OP_I32_AND); w.emit_br_if(c, d);
  // an empty slot: luaV_finishset's raw set when the table has no __newindex (no metatable, or its
  // absence cached in the metatable's flags; else $slow, whose fasttm caches it), which also clears
  // the table's own flags (rawsetchecked: invalidateTMcache)
  w.emit_local_get(c, T2); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_METATABLE_OFFSET); w.emit_local_tee(c, P);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_FLAGS_OFFSET);
  w.emit_i32_const(c, 1 << TM_NEWINDEX); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_br_if(c, d + 2);
  w.emit_end(c);
  w.emit_local_get(c, T1); w.emit_i32_const(c, 0); w.emit_store(c, w.OP_I32_STORE8, 0, T_FLAGS_OFFSET);
  w.emit_end(c);
  // setobj2t: tag and payload; the slot's extra word is a hash node's chain link (object/value.ts)
  w.emit_local_get(c, T2);
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I32_LOAD, 2, (<u32>v << 4) + TV_TT_OFFSET); }
  else { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(v) + TV_TT_OFFSET); }
  w.emit_store(c, w.OP_I32_STORE, 2, TV_TT_OFFSET);
  w.emit_local_get(c, T2);
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I64_LOAD, 3, (<u32>v << 4) + TV_VALUE_OFFSET); }
  else { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(v) + TV_VALUE_OFFSET); }
  w.emit_store(c, w.OP_I64_STORE, 3, TV_VALUE_OFFSET);
}

/**
 * GETTABLE's short-string key (inside the table unit, before its integer path): when R[rc] holds a
 * short string and R[b] a table, R[a] := the key's slot (hashwalk with the key's own hash), or nil
 * when absent or nil and the table has no __index (copyslot); the unit is then done. A table with an
 * __index and no value, or R[b] not a table, branches to $slow; any other key type falls through to
 * the integer path.
 */
function strkeyget(a: i32, b: i32, rc: i32): void {
  ldtag(rc); tagis_top(LUA_VSHRSTR);
  w.emit_if(c, w.BT_VOID);                             // ($slow at depth 1, $done at 2)
  ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, CUR);
  hashwalk(0, CUR, false, rc);
  w.emit_local_get(c, CUR); w.emit_local_set(c, T1);
  w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID); w.emit_i32_const(c, <i32>nilconst); w.emit_local_set(c, T2); w.emit_end(c);
  copyslot(a, 1);
  w.emit_br(c, 2);
  w.emit_end(c);
}

/**
 * SETTABLE's short-string key (as strkeyget): when R[b] holds a short string and R[a] a table in
 * which it is present, storeslot stores RK(C) there and the unit is done; an absent key or R[a]
 * not a table branches to $slow; any other key type falls through to the integer path.
 */
function strkeyset(i: u32): void {
  const a = GETARG_A(i), b = GETARG_B(i);
  ldtag(b); tagis_top(LUA_VSHRSTR);
  w.emit_if(c, w.BT_VOID);                             // ($slow at depth 1, $done at 2)
  ldtag(a); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET); w.emit_local_set(c, CUR);
  hashwalk(0, CUR, false, b);
  w.emit_local_get(c, CUR); w.emit_local_set(c, T1);
  w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  storeslot(i, 1);
  w.emit_br(c, 2);
  w.emit_end(c);
}

/**
 * SETFIELD of an absent short-string key K[B] into the table in local T1 (inside an `if` in the
 * table unit: $slow at depth 1, $done at 2): luaV_finishset's raw insertion (luaH_finishset →
 * luaH_setnew) when it needs neither a call nor a barrier nor a node moved: a non-nil value, a table
 * that is not black and has no __newindex (no metatable, or its absence cached), a hash part (not
 * the dummy node) whose node at the key's main position is empty. Then the key and the value go
 * into that node (its chain link kept, as luaH_setnew's free-main-position case), the table's
 * absent-metamethod flags are cleared (as luaH_finishset) and the unit is done; anything else
 * branches to $slow (luaJ_setfield: collisions, rehash, metamethods, barriers). A constructor's
 * `{ x = x, y = y }` stores every field this way.
 */
function newkey(i: u32): void {
  const kb = GETARG_B(i), v = GETARG_C(i), isk = GETARG_k(i) != 0;
  const key = tsvalue(kaddr(kb));
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I32_LOAD, 2, (<u32>v << 4) + TV_TT_OFFSET); }
  else { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(v) + TV_TT_OFFSET); }
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD8_U, 0, GCH_MARKED_OFFSET);
  w.emit_i32_const(c, BLACKBIT); w.emit_op(c, w.OP_I32_AND); w.emit_br_if(c, 1);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_METATABLE_OFFSET); w.emit_local_tee(c, P);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_FLAGS_OFFSET);
  w.emit_i32_const(c, 1 << TM_NEWINDEX); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_br_if(c, 2);
  w.emit_end(c);
  // T2 = the main position (not in the dummy node, whose value is empty too)
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_NODE_OFFSET); w.emit_local_tee(c, T2);
  w.emit_i32_const(c, <i32>dummynode); w.emit_op(c, w.OP_I32_EQ); w.emit_br_if(c, 1);
  w.emit_local_get(c, T2);
  w.emit_i32_const(c, 1);
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD8_U, 0, T_LSIZENODE_OFFSET);
  w.emit_op(c, w.OP_I32_SHL); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB);
  w.emit_i32_const(c, <i32>strhash(key)); w.emit_op(c, w.OP_I32_AND);
  w.emit_i32_const(c, 5); w.emit_op(c, w.OP_I32_SHL);
  w.emit_op(c, w.OP_I32_ADD); w.emit_local_tee(c, T2);
  w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_br_if(c, 1);
  // the key (setobj of the constant: all 16 bytes), the value (tag and payload; the link stays)
  for (let o: u32 = 0; o < 16; o += 8) {
    w.emit_local_get(c, T2); w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I64_LOAD, 3, (<u32>kb << 4) + o);
    w.emit_store(c, w.OP_I64_STORE, 3, NODE_KEY_OFFSET + o);
  }
  w.emit_local_get(c, T2);
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I32_LOAD, 2, (<u32>v << 4) + TV_TT_OFFSET); }
  else { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(v) + TV_TT_OFFSET); }
  w.emit_store(c, w.OP_I32_STORE, 2, TV_TT_OFFSET);
  w.emit_local_get(c, T2);
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I64_LOAD, 3, (<u32>v << 4) + TV_VALUE_OFFSET); }
  else { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(v) + TV_VALUE_OFFSET); }
  w.emit_store(c, w.OP_I64_STORE, 3, TV_VALUE_OFFSET);
  w.emit_local_get(c, T1); w.emit_i32_const(c, 0); w.emit_store(c, w.OP_I32_STORE8, 0, T_FLAGS_OFFSET);
  w.emit_br(c, 2);
}

/** Float division (R[b] / second operand) of two numbers; anything else exits. */
function divide(pc: i32, a: i32, b: i32, rc: i32, kc: i32): void {
  ldtag(b); w.emit_local_set(c, T1);
  if (kc < 0) { ldtag(rc); w.emit_local_set(c, T2); }
  else { w.emit_i32_const(c, ttisinteger(kaddr(kc)) ? LUA_VNUMINT : LUA_VNUMFLT); w.emit_local_set(c, T2); }
  tagisnum(T1); tagisnum(T2); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.BT_VOID);
  tonum(b, T1);
  if (kc < 0) tonum(rc, T2);
  else w.emit_f64_const(c, ttisinteger(kaddr(kc)) ? <f64>ivalue(kaddr(kc)) : fltvalue(kaddr(kc)));
  w.emit_op(c, w.OP_F64_DIV); w.emit_local_set(c, FX);
  stflt(a, FX);
  w.emit_else(c); missexit(pc); w.emit_end(c);
}

// ==== The module ====

/** Emits the function body: prologue, dispatch, every block. */
function body(f: FuncBody): void {
  c = f.code;
  BASE = w.fb_local(f, w.WT_I32); ST = w.fb_local(f, w.WT_I32);
  T1 = w.fb_local(f, w.WT_I32); T2 = w.fb_local(f, w.WT_I32);
  X = w.fb_local(f, w.WT_I64); Y = w.fb_local(f, w.WT_I64);
  FX = w.fb_local(f, w.WT_F64); FY = w.fb_local(f, w.WT_F64);
  P = w.fb_local(f, w.WT_I32); E = w.fb_local(f, w.WT_I32); NCI = w.fb_local(f, w.WT_I32);
  CUR = w.fb_local(f, w.WT_I32);
  KBASE = w.fb_local(f, w.WT_I32); CODE = w.fb_local(f, w.WT_I32);
  // base = ci.func + 1 slot; the prototype's constants (when used) and code; st = the pc index of ci.savedpc
  loadbase();
  if (usesk()) { w.emit_local_get(c, PROTO); w.emit_load(c, w.OP_I32_LOAD, 2, P_K_OFFSET); w.emit_local_set(c, KBASE); }
  w.emit_local_get(c, PROTO); w.emit_load(c, w.OP_I32_LOAD, 2, P_CODE_OFFSET); w.emit_local_set(c, CODE);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_SAVEDPC_OFFSET);
  w.emit_local_get(c, CODE); w.emit_op(c, w.OP_I32_SUB);
  w.emit_i32_const(c, 2); w.emit_op(c, w.OP_I32_SHR_U); w.emit_local_set(c, ST);
  w.emit_loop(c, w.BT_VOID);
  for (let j = 0; j < nblocks; j++) w.emit_block(c, w.BT_VOID);
  w.emit_block(c, w.BT_VOID);
  w.emit_local_get(c, ST);
  // br_table targets by pc: a leader's block label (depth blockidx + 1), else $disp (0)
  const targets = heap.alloc(<usize>ncode << 2);
  for (let pc = 0; pc < ncode; pc++) store<i32>(targets + (<usize>pc << 2), isleader(pc) ? blockidx(pc) + 1 : 0);
  w.emit_br_table(c, targets, ncode, 0);
  heap.free(targets);
  w.emit_end(c);
  w.emit_i32_const(c, JIT_EXIT); w.emit_op(c, w.OP_RETURN);  // not an entry: savedpc unchanged
  let pc = 0;
  for (let j = 0; j < nblocks; j++) {
    w.emit_end(c);                                     // $b_j: block j's code follows
    curblock = j;
    extra = 0;
    while (!isleader(pc)) pc++;
    let live = true;
    do {
      if (live) live = unit(pc);
      pc += unitlen(pc);
    } while (pc < ncode && !isleader(pc));
    if (live && pc >= ncode) exitat(ncode - 1);       // (never: a function ends with a return)
  }
  w.emit_end(c);                                       // $top
  w.emit_op(c, w.OP_UNREACHABLE);                      // every block ends in a jump, return or exit
}

/**
 * Units compiled as a call to a helper every time (no inline fast path): each costs compiled code a
 * call where the interpreter's case runs inline, so a region made mostly of them runs slower
 * compiled than interpreted.
 */
function helperonly(op: i32): bool {
  return op == OP.CONCAT || op == OP.SETLIST || op == OP.NEWTABLE || op == OP.CLOSURE
    || op == OP.TAILCALL || op == OP.RETURN;
}

/**
 * Whether entering at `from` pays for the region through `to`: every unit has a compiled form, and
 * at least HELPER_RATIO units run inline per helper-only unit (calls, jumps and returns count as neither).
 */
function allsupported(from: i32, to: i32): bool {
  let inline = 0, helper = 0;
  inlineunits = 0;
  everysupported = false;
  for (let pc = from; pc <= to && pc < ncode; pc += unitlen(pc)) {
    if (!supported(pc)) return false;
    const op = GET_OPCODE(instr(pc));
    if (helperonly(op)) helper++;
    else if (op != OP.CALL && op != OP.JMP && op != OP.FORLOOP && op != OP.FORPREP && op != OP.RETURN0
      && op != OP.RETURN1 && op != OP.TFORPREP && op != OP.TFORCALL && op != OP.TFORLOOP && op != OP.CLOSE) inline++;
  }
  inlineunits = inline;
  everysupported = true;
  return inline >= helper * HELPER_RATIO;
}

/** Inline units of the region allsupported last looked at, and whether all its units are compiled. */
let inlineunits = 0;
let everysupported = false;

/** Whether the compiled code reads the constants array (KBASE): any K operand but arithmetic's (immediates). */
function usesk(): bool {
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    const op = GET_OPCODE(i);
    if (op == OP.LOADK || op == OP.EQK || op == OP.GETFIELD || op == OP.GETTABUP || op == OP.SELF
      || op == OP.SETFIELD || op == OP.SETTABUP) return true;
    if ((op == OP.SETI || op == OP.SETTABLE) && GETARG_k(i) != 0) return true;
  }
  return false;
}

/** Whether the prototype has a loop (a FORLOOP, TFORLOOP or a backward jump). */
function hasloop(): bool {
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    const op = GET_OPCODE(i);
    if (op == OP.FORLOOP || op == OP.TFORLOOP || (op == OP.JMP && GETARG_sJ(i) < 0)) return true;
  }
  return false;
}

/**
 * The entry flags (JITMAP_ENTRY) of the compiled prototype: where entering pays. Entering costs a
 * call and the dispatch, and an early exit hands back to the interpreter, so the interpreter enters
 * only where compiled code runs on: at pc 0 (a call) when the whole function is compiled, and at a
 * loop header (after a FORLOOP or backward JMP) when the whole loop is, up to that back-edge; compiled
 * callers (direct calls, luaJ_call, luaJ_tailcall) enter at pc 0 whenever the whole function is
 * compiled, since an exit there would cost them more. In stress mode
 * every supported block start is an entry, so exits are exercised everywhere.
 */
function entrymap(): usize {
  const map = heap.alloc(<usize>ncode);
  memory.fill(map, 0, <usize>ncode);
  if (stressevery > 0) {
    for (let pc = 0; pc < ncode; pc++) if (isleader(pc) && supported(pc)) store<u8>(map + <usize>pc, JITMAP_ENTRY);
    return map;
  }
  // the whole function compiled: compiled callers enter it (for them the alternative is an exit,
  // dearer than any helper); the interpreter's CALL only when the compiled body pays for the entry
  const pays = allsupported(0, ncode - 1);
  if (everysupported) {
    const small = !pays || (inlineunits < SMALLFN && !hasloop());
    store<u8>(map, small ? JITMAP_ENTRY | JITMAP_SMALL : JITMAP_ENTRY);
  }
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    let head = -1;
    if (GET_OPCODE(i) == OP.FORLOOP) head = pc + 1 - GETARG_Bx(i);
    else if (GET_OPCODE(i) == OP.JMP && GETARG_sJ(i) < 0) head = pc + 1 + GETARG_sJ(i);   // a while loop
    if (head >= 0 && isleader(head) && allsupported(head, pc)) store<u8>(map + <usize>head, JITMAP_ENTRY);
  }
  return map;
}

/**
 * Compiles prototype `p` and installs it: the table slot, or JIT_DECLINED (too long, an unhandled
 * shape, out of memory, or the host refused the module). Sets the prototype's jitmap.
 */
export function luaJ_compile(p: usize): u32 {
  ncode = p_sizecode(p);
  if (ncode <= 0 || ncode > MAXCODE) return JIT_DECLINED;
  if (!heapcanalloc(HEADROOM + (<usize>ncode << 6))) return JIT_DECLINED;
  proto = p;
  code = p_code(p);
  kst = p_k(p);
  if (p_maxstacksize(p) > 250) return JIT_DECLINED;   // register offsets stay small immediates
  leader = heap.alloc(<usize>ncode);
  memory.fill(leader, 0, <usize>ncode);
  blockof = heap.alloc(<usize>ncode << 2);
  let slot: u32 = JIT_DECLINED;
  const t0 = lua_monotonic();
  if (findleaders()) {
    const m = w.wm_new();
    const tf = w.wm_type(m, w.sig(w.WT_I32, w.WT_I32, w.WT_I32), w.sig(w.WT_I32));
    TENTRY = tf;
    THELPER = w.wm_type(m, w.sig(w.WT_I32, w.WT_I32, w.WT_I32, w.WT_I32, w.WT_I32), w.sig(w.WT_I32));
    w.wm_import_memory(m, "env", "memory", 1);
    w.wm_import_table(m, "env", "table", 1);
    w.wm_import_global(m, "env", "trapflag", w.WT_I32, true);
    w.wm_import_global(m, "env", "slicing", w.WT_I32, true);   // GSLICING
    w.wm_global_i32(m, JIT_SLICE);                     // GSLICE
    w.wm_global_i32(m, JIT_WARMSLICES);                // GWARM
    w.wm_global_i32(m, stressevery);                   // GSTRESS
    const fi = w.wm_func(m, tf);
    w.wm_export_func(m, "f", fi);
    const f = w.fb_new(3);
    body(f);
    w.wm_body(m, f);
    w.fb_free(f);
    const out = w.buf_new();
    w.wm_finish(m, out);
    if (!w.wm_failed(m) && out.failed == 0) {
      const s = jit_install(out.ptr, out.len, lua_monotonic() - t0);
      if (s > 0) { slot = <u32>s; chargedebt(GCCOST); }
    }
    w.buf_free(out);
    w.wm_free(m);
  }
  if (slot != JIT_DECLINED) {
    if (p_jitmap(p) != 0) heap.free(p_jitmap(p));
    p_setjitmap(p, entrymap());
  }
  heap.free(leader);
  heap.free(blockof);
  return slot;
}
