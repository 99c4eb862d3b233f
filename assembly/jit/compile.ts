// compile.ts - the baseline JIT's compiler: one prototype's bytecode → one wasm module whose
// function "f" (L, ci, proto, base, closure, code, k, st) → status runs that prototype's frame from ci.savedpc (vm/tier.ts has the
// protocol), installed in the function table by the host (jit_install). This file drives the
// compile (blocks, units, entry map, the module) and holds the table units; beside it: emit.ts
// (state, exits, jumps, helper calls), arith.ts (arithmetic, comparisons, numeric for), calls.ts
// (CALL, RETURN0/1), regcache.ts (registers, cached in locals in loops), loops.ts (wasm loops,
// labels), lookup.ts (short-string keys in tables), liveness.ts (registers dead at loop headers),
// kinds.ts (what is known of registers' number kinds within a block),
// helpers.ts (what compiled code calls), wasmgen.ts (the module writer).
//
// Shape of the generated function. In a function without loops, registers stay in the Lua stack:
// every instruction loads and stores its TValues there, so the interpreter can take over at any
// instruction boundary with nothing to write back. In a function with loops, jit/regcache.ts keeps
// registers in wasm locals between the points where the stack must be current (helpers, calls,
// exits: it writes them back there). The bytecode is cut into basic blocks (leaders: pc 0, jump
// targets, the instruction after a jump, a conditional pair or a return), laid out as
//     loop $top
//       block $b[n-1] … block $b0  [block $stub …]  block $disp
//         br_table (st: a pc) → $b of the block starting there (or its stub, which loads the
//                               registers the block expects in locals), else $disp
//       end  return EXIT (not an entry point: the interpreter goes on at savedpc)
//       [end(stub k) loads; br $b]
//       end(b0) code of block 0  end(b1) code of block 1 …
//     end
// so falling off a block enters the next one and a forward jump is one `br` to the target block's
// label. A loop (jit/loops.ts) is a wasm `loop` around its blocks, with their labels inside it,
// and its back-edge a `br` to it; when goto makes loops that do not nest, backward jumps set `st`
// and go round $top's dispatch instead. Either way a back-edge first counts down the slice (a
// local, emit.ts jumpto); at a slice's end it polls `trapflag` (the interpreter's flag for armed
// hooks and budgets: exit, so counts stay exact; helpers poll it too) and exits while warming (every
// JIT_SLICE back-edges, so a long loop is re-entered and runs the code V8 has meanwhile optimised:
// V8 never switches a running call) and while an async call runs (the imported `slicing`, so that
// its driver can pause it and the host's event loop turns).
// Only blocks outside every loop's interior (pc 0, outermost loop headers) are entered.
//
// Compiled inline (fast paths; where a guard fails, an exit at that instruction, so the interpreter
// executes it with its own slow paths, metamethods and exact messages): MOVE LOADI LOADF LOADK
// LOADFALSE LFALSESKIP LOADTRUE LOADNIL GETUPVAL; ADD SUB MUL (+ K and I forms) on integers
// (wrapping) and floats, DIV, integer MOD and IDIV (a zero divisor exits), UNM, NOT; BAND BOR BXOR
// SHL SHR BNOT (+ K and I forms) on integers (a float or string operand exits: the interpreter
// converts it or raises the error); EQ LT LE on numbers (an integer and a float compared as exact
// floats; an integer past ±2^53 beside a float exits), EQK EQI LTI LEI GTI GEI, TEST TESTSET, JMP;
// integer FORPREP, FORLOOP; TFORPREP (without a to-be-closed value), TFORLOOP, CLOSE (nothing
// open at its level; else luaJ_op: luaF_close); RETURN0 and RETURN1 when the caller is a Lua frame
// of this loop wanting 0 or 1 results (else they exit too).
// Inline with a helper for the rest (a table unit: beginslow/endslow; where the fast path misses,
// jit/helpers.ts luaJ_op runs the whole instruction as the interpreter's case, metamethods and
// errors included, and compiled code goes on): GETFIELD GETTABUP (a short-string key present in the
// table; where it is absent or nil, the module's $getstr walks the chain of table-valued __index
// metafields: jit/lookup.ts getfield) and SELF (that walk inline: indexchain, methods found through
// classes; nil at the chain's end), GETI
// GETTABLE (an integer key inside the array part's hint; GETTABLE also a short string in a
// register: strkeyget), SETI SETTABLE (the same keys; strkeyset) and SETFIELD SETTABUP (a present
// short-string key) into a non-empty slot of a table that is not black (else luaC_barrierback is
// due; SETFIELD of an absent key goes into its free main position inline, newkey, and its other
// misses call luaJ_setfield with the operands' addresses instead of luaJ_op), SETUPVAL (a collectable value into a black upvalue: the
// helper, for luaC_barrier).
// LEN (a table without __len whose border is at its length hint; else luaJ_op). GETI and GETTABLE
// also give nil for an empty array slot of a table without __index.
// Through a helper always: CONCAT SETLIST (without EXTRAARG) CLOSURE (luaJ_op), NEWTABLE (+ its EXTRAARG;
// luaJ_newtable, its sizes decoded at compile time), TFORCALL (luaJ_tforcall: next and ipairs as
// the interpreter's luaV_forcallfast, any other iterator called as luaJ_call calls), RETURN
// (luaJ_return; a frame with to-be-closed variables exits), TAILCALL (a compiled Lua callee
// straight from compiled code, tailcallop, the frame reused, and the function's own prototype
// round $top from pc 0 without a call, tailloop; else luaJ_tailcall: a Lua callee
// reuses the frame and is entered compiled when it can be; setmetatable and string.byte run
// without a frame when they cannot fail, helpers.ts fastnative, as from luaJ_call); CALL (callop): a compiled callee with an
// entry at pc 0 is entered directly (its frame set up as OP_CALL's fast path does, its code called
// through the table, nesting bounded by vm/tier.ts JIT_MAXDEPTH), anything else goes through
// luaJ_call, which does the interpreter's CALL (natives run to completion; a Lua callee that is not
// entered, or a Lua frame a native started, is left as L.ci: the caller exits and resumes
// interpreted).
// A call of the function's own prototype is a direct wasm call (directcall, self), and one of
// math.sqrt, abs, floor or ceil with one number for one result runs inline (fastcall).
// Where to enter (entrymap): see there; stretches made mostly of helper calls are not entered. A
// region (vm/tier.ts addregion: hot at a loop header in its first call) emits only the blocks of
// the outermost loop around that header (regionblocks); each other block is an exit, which the
// loop's ends branch to. A region whose header is not worth entering is not compiled (JIT_COLD).
// An arithmetic instruction and its MMBIN, a comparison and its JMP, are one unit: exits happen only
// at unit starts, where the interpreter could be.
// The module holds no address of its prototype, constants or code (parameters: PROTO, KBASE,
// CODE), so a chunk loaded again compiles to the same bytes (host/jit.ts caches modules by their
// bytes).
// Invariant: compiled code itself never allocates and never moves the stack; only the helpers it
// calls (jit/helpers.ts) may, after it has stored ci.savedpc as the interpreter would, and it
// re-reads `base` after each. An exit is "write back the registers the cache holds dirty (none
// without it), store savedpc; return EXIT"; a helper's status other
// than "done" is returned as it is (the frames it left are the interpreter's to run).

import * as w from "./wasmgen";
import { FuncBody } from "./wasmgen";
import {
  p_code, p_k, p_sizecode, p_maxstacksize, p_setjitmap, p_jitmap, JIT_DECLINED,
  UV_V_OFFSET, P_CODE_OFFSET, CL_PROTO_OFFSET, JITENTRY_OFFSET, JITCALLS_OFFSET,
  JITFLAGS_OFFSET, JITF_NODIRECT, P_NUMPARAMS_OFFSET, P_MAXSTACKSIZE_OFFSET, p_proto, p_sizeupvalues,
  upvaldesc, uvd_instack, uvd_idx,
} from "../object/func";
import {
  TV_TT_OFFSET, TV_VALUE_OFFSET, LUA_VNUMINT, LUA_VNUMFLT, LUA_VFALSE, LUA_VTRUE, LUA_VNIL,
  LUA_VSHRSTR, LUA_VTABLE, LUA_TSTRING, BIT_ISCOLLECTABLE, ttisinteger, ttisfloat, ttisshrstring,
  ttisnil, ttisboolean, ivalue, fltvalue, tsvalue, LUA_VLCL,
} from "../object/value";
import {
  CI_SAVEDPC_OFFSET, L_TOP_OFFSET, CI_TOP_OFFSET, CI_CALLSTATUS_OFFSET, L_STACKLAST_OFFSET,
  CIST_TAIL, CIST_HOOKSTARTED, CIST_HOOKVARARG,
} from "../vm/state";
import {
  OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k, GETARG_Bx, GETARG_sBx, GETARG_sB,
  GETARG_sC, GETARG_sJ, GETARG_Ax, MAXARG_C,
} from "../vm/opcodes";
import {
  JIT_EXIT, JIT_RETURNED, JIT_COLD, JITMAP_ENTRY, JITMAP_SMALL, JITMAP_PARTIAL, JITMAP_COLD, JITMAP_REGIONSHIFT,
} from "../vm/tier";
import { STRESS } from "../luaconf";
import {
  kt, kt_const, kt_note, kt_set, kt_begin, kt_end, kt_capture, kt_reset, kt_unitbegin, kt_unitend, KT_INT,
  KT_FLT, KT_OTHER, KT_NUM,
} from "./kinds";
import {
  T_LSIZENODE_OFFSET, T_ARRAY_OFFSET, T_NODE_OFFSET, T_ALIMIT_OFFSET,
  NODE_KEY_OFFSET, T_FLAGS_OFFSET, T_METATABLE_OFFSET, T_ASIZE_OFFSET, dummynode,
} from "../object/table";
import { strhash } from "../object/string";
import { heapcanalloc, chargedebt } from "../mem/alloc";
import { jit_install, lua_monotonic } from "../sys/imports";
import {
  luaJ_call, luaJ_op, luaJ_newtable, luaJ_setfield, luaJ_return, luaJ_tailcall, luaJ_exited,
  luaJ_strindex, luaJ_tforcall, jitnil as nilconst, HELPER_DONE,
} from "./helpers";
import { BLACKBIT, GCH_MARKED_OFFSET } from "../object/header";
import {
  lp_find, lp_free, lp_tail, lp_inside, lp_childof, lp_outermost, jumptarget, lb_depth, lb_reset, lb_push, lb_pop, lb_top, lb_overflow, LB_BLOCK,
  LB_LOOP,
} from "./loops";
import {
  roff, ldtag, ldint, ldflt, ldptr, stint, stflt, settag, settagl, copyfrom, copyreg, rc_begin, rc_end,
  fwd_copyfrom, fwd_forget, fwd_any, fwd_reg,
  rc_on, rc_maywritethrough, rc_setcode, rc_pass, rc_settle, rc_blockstart, rc_unitbegin, rc_unitend, rc_droppending,
  rc_use, rc_capture, rc_prologue, copytv, rc_edge, rc_edgebegin, rc_edgeend, rc_needsstub, rc_stub,
  rc_slowbegin, rc_memdest, rc_dead,
} from "./regcache";
import { lv_compute, lv_live, lv_free } from "./liveness";
import { hashwalk, indexchain, getfield, lk_declare, lk_body, lk_globals, lk_freesites, TM_INDEX } from "./lookup";
import {
  BASE, CL, CODE, CUR, E, FX, GSLICE, GSLICING, GSTRESS, GWARM, JIT_SLICE, JIT_WARMSLICES, KBASE,
  LB_TOP, LOCAL_CI, LOCAL_L, NCI, NPARAMS, P, PROTO, ST, T1, T2, THELPER, X, Y, blockidx, blockof, c,
  callhelper, callout, depthprologue, pairjump, toodeep, ldupval, slowreturn, code, condjump, entryargs, exitat, extra, falsy, instr, isleader, jumpto, kaddr, kval, leader, ldfield,
  GTRAP, TENTRY,
  loadbase, mark, missexit, nblocks, ncode, proto, savepc, sl, stresscheck, stressevery, tagis,
  tagis_top, tagisnum, takeif, tonum, slicepoll,
} from "./emit";
import * as S from "./emit";
import {
  arith, bitwise, eqcmp, eqkcmp, forloop, forprep, immcmp, intguard, modidiv, ordercmp, shiftl, unary,
} from "./arith";
import {
  argsshort, calleenative, callop, directcall, fastcall, fastcallable, frameguard, ret01, retn, RETN_MAX,
} from "./calls";

// ==== Limits and knobs ====

/**
 * Prototypes longer than this are left to the interpreter (module size, compile time). Below
 * emit.ts ST_DIRECT1 (< 1 << vm/tier.ts JIT_DEPTHSHIFT): an entry's pc index shares st with that
 * bit and the nesting depth.
 */
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
/** Loops compiled as wasm loops (jit/loops.ts) where their shape allows. */
// @ts-ignore: decorator
@inline const SL_ENABLED: bool = true;
/** The register cache (jit/regcache.ts) in functions with loops. */
// @ts-ignore: decorator
@inline const RC_ENABLED: bool = true;
/**
 * Stores into tables (SETFIELD SETTABUP SETI SETTABLE) as aware units. Measured slower while every
 * CALL flushed (nbody 1.05-1.09x with the loads aware, bench/ab.ts --jit: a store that flushes is
 * where a loop's values become clean, and without it they stayed dirty up to the CALL of
 * math.sqrt); with a fastcall's CALL aware too (calls.ts fastcallable) they measured 0.99x on the
 * geomean of bench/lua (oop 0.96x, nbody 0.99x). Off: every store flushes, as other units that are
 * not aware.
 */
// @ts-ignore: decorator
@inline const RC_AWARESETS: bool = true;
/** Functions with more registers than this keep them in the Lua stack (code size, compile time). */
// @ts-ignore: decorator
@inline const RC_MAXREG: i32 = 96;
/** Analysis passes over a function's blocks at most before its code is written (until entry states settle). */
// @ts-ignore: decorator
@inline const RC_PASSES: i32 = 8;
/** Instructions of a loop inside which units may write through the register cache (bigloops). */
// @ts-ignore: decorator
@inline const WT_LOOPLEN: i32 = 24;
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
  S.nblocks = 0;
  for (let pc = 0; pc < ncode; pc++) if (isleader(pc)) store<i32>(blockof + (<usize>pc << 2), S.nblocks++);
  return true;
}

/**
 * Emits the unit at pc; returns false when the block ends there (an unconditional jump, a return,
 * an exit), so the rest of the block is unreachable in compiled code.
 */
function unit(pc: i32): bool {
  if (!supported(pc)) { exitat(pc); return false; }
  const i = instr(pc);
  const op = GET_OPCODE(i);
  const aware = rc_on() && (regsonly(op) || tableunit(op) || (op == OP.CALL && fastcallable(pc, i)));
  const a0 = GETARG_A(i);
  rc_unitbegin(aware, pc);
  if (aware) useoperands(i, op);
  if (aware && tableunit(op) && forcall(pc, a0)) rc_memdest(a0, unaware_writes(i, op));
  if (fwd_any() && !fwd_keeps(op, a0)) fwd_forget();
  if (stressevery > 0) stresscheck(pc);
  kt_unitbegin();
  const live = unitcode(pc, i, op);
  if (op == OP.CALL || op == OP.TAILCALL) fwd_forget();   // (R[A] is its result now)
  if (aware) rc_unitend(0, 0);
  else rc_unitend(a0, unaware_writes(i, op));
  forgetwrites(i, op, aware);
  return live;
}

/**
 * jit/kinds.ts after the unit of instruction i: what it may have written is forgotten (then what
 * it noted learnt). A unit that may call a helper or Lua code forgets everything where nothing
 * tests for debug.setlocal after those (the test reads the frame-write count the register cache
 * keeps: without the cache, and after a call of the general path); a CALL made as an aware unit
 * (fastcallable: its slow half tests) forgets what it writes from R[A] up.
 */
function forgetwrites(i: u32, op: i32, aware: bool): void {
  const a = GETARG_A(i);
  if (!rc_on() && !regsonly(op)) { kt_unitend(0, -1); return; }
  switch (op) {
    case OP.EQ: case OP.LT: case OP.LE: case OP.EQK: case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI:
    case OP.GEI: case OP.TEST: case OP.JMP: case OP.TFORPREP: case OP.CLOSE:
      kt_unitend(0, 0); break;
    case OP.LOADNIL: kt_unitend(a, GETARG_B(i) + 1); break;
    case OP.FORPREP: case OP.FORLOOP: kt_unitend(a, 4); break;
    case OP.TFORLOOP: kt_unitend(a + 2, 1); break;
    case OP.CALL: kt_unitend(aware ? a : 0, -1); break;
    case OP.TFORCALL: case OP.TAILCALL: case OP.RETURN: case OP.RETURN0: case OP.RETURN1:
      kt_unitend(0, -1); break;
    default: {
      if (regsonly(op)) { kt_unitend(a, 1); break; }  // (one register: R[A])
      const n = unaware_writes(i, op);
      kt_unitend(n < 0 ? 0 : a, n);
    }
  }
}

/**
 * Whether a unit keeps the register GETUPVAL forwarded (jit/regcache.ts "Forwarding") readable
 * from its locals: the CALL or TAILCALL of it, and units that write another register without a
 * helper or a call in between (an exit leaves the function: nothing after it reads the locals).
 */
function fwd_keeps(op: i32, a: i32): bool {
  switch (op) {
    case OP.CALL: case OP.TAILCALL: case OP.GETUPVAL: return true;
    case OP.MOVE: case OP.LOADI: case OP.LOADF: case OP.LOADK: case OP.ADDI: case OP.ADDK: case OP.SUBK:
    case OP.MULK: case OP.ADD: case OP.SUB: case OP.MUL: case OP.UNM:
      return a != fwd_reg();
    default: return false;
  }
}

/**
 * Registers from R[A] on that a unit which is not aware writes, when every helper call it makes
 * keeps the other cached registers right (callhelper with its next instruction: rc_afterhelper,
 * or an exit after debug.setlocal); -1 (all registers invalid after it) for the others: calls and
 * returns, and units with a helper called otherwise.
 */
function unaware_writes(i: u32, op: i32): i32 {
  switch (op) {
    case OP.GETI: case OP.GETTABLE: case OP.LEN: case OP.NEWTABLE: case OP.CLOSURE: return 1;
    case OP.GETFIELD: case OP.GETTABUP: return 1;      // (the index chain is inline: luaJ_op is its one helper)
    case OP.SELF: return 2;                            // (luaJ_strindex runs no Lua code)
    case OP.SETI: case OP.SETTABLE: case OP.SETFIELD: case OP.SETTABUP: case OP.SETUPVAL: return 0;
    case OP.CONCAT: return GETARG_B(i);                // (R[A+1] … are its scratch)
    default: return -1;
  }
}

/**
 * Units that touch registers only, through the primitives, and call no helper: with the register
 * cache they work on locals (jit/regcache.ts "aware").
 */
function regsonly(op: i32): bool {
  switch (op) {
    case OP.MOVE: case OP.LOADI: case OP.LOADF: case OP.LOADK: case OP.LOADFALSE: case OP.LOADTRUE:
    case OP.LOADNIL: case OP.GETUPVAL: case OP.LFALSESKIP:
    case OP.ADDI: case OP.ADD: case OP.SUB: case OP.MUL: case OP.ADDK: case OP.SUBK: case OP.MULK:
    case OP.DIV: case OP.DIVK: case OP.MOD: case OP.MODK: case OP.IDIV: case OP.IDIVK:
    case OP.BAND: case OP.BOR: case OP.BXOR: case OP.BANDK: case OP.BORK: case OP.BXORK:
    case OP.SHL: case OP.SHR: case OP.SHRI: case OP.SHLI: case OP.BNOT: case OP.UNM: case OP.NOT:
    case OP.EQ: case OP.LT: case OP.LE: case OP.EQK: case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI:
    case OP.GEI: case OP.TEST: case OP.TESTSET: case OP.JMP: case OP.FORPREP: case OP.FORLOOP:
    case OP.TFORPREP: case OP.TFORLOOP:
      return true;
    default: return false;
  }
}

/**
 * Table units whose fast path reads and writes registers through the primitives and calls no
 * helper (SELF's luaJ_strindex neither allocates nor runs Lua code): with the register cache they
 * are aware too (no flush before them, their result in locals), their slow half bracketed by
 * rc_slowbegin / rc_slowend (endslow; SETFIELD's own). The stores when RC_AWARESETS (on).
 */
function tableunit(op: i32): bool {
  switch (op) {
    case OP.GETFIELD: case OP.GETTABUP: case OP.GETI: case OP.GETTABLE: case OP.SELF:
      return true;
    case OP.SETFIELD: case OP.SETTABUP: case OP.SETI: case OP.SETTABLE:
      return RC_AWARESETS;
    default: return false;
  }
}

/**
 * Whether the first unit after pc in its block that is not aware is a call whose function or
 * arguments include R[a] (a table load building a call: `obj:m(t.x)`): the call reads them from
 * the stack, so the load writes its results there (rc_memdest) rather than into locals the call
 * then stores.
 */
function forcall(pc: i32, a: i32): bool {
  for (let next = pc + unitlen(pc); next < ncode && !isleader(next); next += unitlen(next)) {
    const i = instr(next);
    const op = GET_OPCODE(i);
    if (regsonly(op) || tableunit(op)) continue;
    return (op == OP.CALL || op == OP.TAILCALL) && GETARG_A(i) <= a;
  }
  return false;
}

/**
 * An aware unit's operands, loaded into their locals before its code branches (rc_use). The table
 * loads read theirs where they are: locals when valid, else the stack (then invalid on every path,
 * which is as consistent; loading a table and its key into three locals each for the units after
 * made closures.lua and oop.lua ~2% slower than main, the loads feeding a call being their users).
 */
function useoperands(i: u32, op: i32): void {
  const a = GETARG_A(i), b = GETARG_B(i);
  const rkc = GETARG_k(i) != 0 ? -1 : GETARG_C(i);   // a store's value register (-1: a constant)
  switch (op) {
    case OP.GETTABLE: {                                // strkeyget's path writes R[A] before the integer
      const rc = GETARG_C(i);                          // path reads R[B] and R[C]: a pending R[A] is read
      if (a == b || a == rc) { rc_use(b); rc_use(rc); }   // from its locals, which must then hold it
      break;
    }
    case OP.SETFIELD: case OP.SETI: rc_use(a); if (rkc >= 0) rc_use(rkc); break;
    case OP.SETTABLE: rc_use(a); rc_use(b); if (rkc >= 0) rc_use(rkc); break;
    case OP.SETTABUP: if (rkc >= 0) rc_use(rkc); break;
    case OP.ADD: case OP.SUB: case OP.MUL: case OP.DIV: case OP.MOD: case OP.IDIV: case OP.BAND:
    case OP.BOR: case OP.BXOR: case OP.SHL: case OP.SHR:
      rc_use(b); rc_use(GETARG_C(i)); break;
    case OP.MOVE: case OP.ADDI: case OP.ADDK: case OP.SUBK: case OP.MULK: case OP.DIVK: case OP.MODK:
    case OP.IDIVK: case OP.BANDK: case OP.BORK: case OP.BXORK: case OP.SHRI: case OP.SHLI: case OP.BNOT:
    case OP.UNM: case OP.NOT: case OP.TESTSET:
      rc_use(b); break;
    case OP.EQ: case OP.LT: case OP.LE: rc_use(a); rc_use(b); break;
    case OP.EQK: case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI: case OP.TEST: rc_use(a); break;
    case OP.FORPREP: case OP.FORLOOP: rc_use(a); rc_use(a + 1); rc_use(a + 2); break;
    case OP.TFORPREP: rc_use(a + 3); break;
    case OP.CALL: rc_use(a); rc_use(a + 1); break;    // (aware: fastcallable; R[A] is pending on the inline path only)
    case OP.TFORLOOP: rc_use(a + 4); break;
    default: break;
  }
}

/** The code of the unit at pc (instruction i, opcode op); false when the block ends there. */
function unitcode(pc: i32, i: u32, op: i32): bool {
  const a = GETARG_A(i);
  switch (op) {
    case OP.MOVE: copyreg(a, GETARG_B(i)); kt_note(a, kt(GETARG_B(i))); break;
    case OP.LOADI: w.emit_i64_const(c, <i64>GETARG_sBx(i)); w.emit_local_set(c, X); stint(a, X); kt_note(a, KT_INT); break;
    case OP.LOADF: w.emit_f64_const(c, <f64>GETARG_sBx(i)); w.emit_local_set(c, FX); stflt(a, FX); kt_note(a, KT_FLT); break;
    case OP.LOADK: {
      w.emit_local_get(c, KBASE); w.emit_i32_const(c, GETARG_Bx(i) << 4); w.emit_op(c, w.OP_I32_ADD);
      w.emit_local_set(c, T1); copyfrom(a, T1);
      kt_note(a, kt_const(kaddr(GETARG_Bx(i))));
      break;
    }
    case OP.LOADFALSE: settag(a, LUA_VFALSE); kt_note(a, KT_OTHER); break;
    case OP.LFALSESKIP: settag(a, LUA_VFALSE); jumpto(pc + 2, pc); return false;
    case OP.LOADTRUE: settag(a, LUA_VTRUE); kt_note(a, KT_OTHER); break;
    case OP.LOADNIL: for (let r = a; r <= a + GETARG_B(i); r++) { settag(r, LUA_VNIL); kt_note(r, KT_OTHER); } break;
    case OP.GETUPVAL: {                                // cl = ci.func's closure; R[A] := *cl.upvals[B].v
      ldupval(GETARG_B(i)); w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET);
      w.emit_local_set(c, T1);
      fwd_copyfrom(a, T1);                             // (kept in locals for a call of it: regcache.ts)
      break;
    }
    case OP.GETFIELD: {                                // R[A] := R[B][K[C]:shortstring]
      const b = GETARG_B(i);
      beginslow();
      if (ttisshrstring(kaddr(GETARG_C(i)))) {
        ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        ldptr(b); w.emit_local_set(c, CUR);
        getfield(GETARG_C(i), CUR, 0, pc); copyfrom(a, T2);
      }
      endslow(pc, i, 1, ttisshrstring(kaddr(GETARG_C(i))));
      break;
    }
    case OP.GETTABUP: {                                // R[A] := UpValue[B][K[C]:shortstring]
      beginslow();
      if (ttisshrstring(kaddr(GETARG_C(i)))) {
        upvaltable(GETARG_B(i));
        w.emit_local_get(c, T1); w.emit_local_set(c, CUR);
        getfield(GETARG_C(i), CUR, 0, pc); copyfrom(a, T2);
      }
      endslow(pc, i, 1, ttisshrstring(kaddr(GETARG_C(i))));
      break;
    }
    case OP.GETI: {                                    // R[A] := R[B][C], in the array part
      const b = GETARG_B(i);
      beginslow();
      if (GETARG_C(i) >= 1) {
        ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        ldptr(b); w.emit_local_set(c, T1);
        w.emit_i32_const(c, GETARG_C(i) - 1); w.emit_local_set(c, T2);
        arrayget(); copyslot(a);
      }
      endslow(pc, i, 1, GETARG_C(i) >= 1);
      break;
    }
    case OP.GETTABLE: {                                // R[A] := R[B][R[C]], a short-string key or an integer key in the array part
      const b = GETARG_B(i), rc = GETARG_C(i);
      beginslow();
      if ((kt(rc) & KT_OTHER) != 0) strkeyget(a, b, rc);   // (a key known to be a number: no string path)
      ldtag(b); tagis_top(LUA_VTABLE);
      if (kt(rc) != KT_INT) { ldtag(rc); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND); }
      w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
      intkey(rc);
      ldptr(b); w.emit_local_set(c, T1);
      arrayget(); copyslot(a);
      endslow(pc, i, 1, true);
      break;
    }
    case OP.SETI: case OP.SETTABLE: {                  // R[A][key] := RK(C), an integer key in the array part
      const regkey = op == OP.SETTABLE, b = GETARG_B(i);
      beginslow();
      if (regkey && (kt(b) & KT_OTHER) != 0) strkeyset(i);   // (a key known to be a number: no string path)
      if (regkey || b >= 1) {
        ldtag(a); tagis_top(LUA_VTABLE);
        if (regkey && kt(b) != KT_INT) { ldtag(b); tagis_top(LUA_VNUMINT); w.emit_op(c, w.OP_I32_AND); }
        w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        if (regkey) intkey(b); else { w.emit_i32_const(c, b - 1); w.emit_local_set(c, T2); }
        ldptr(a); w.emit_local_set(c, T1);
        arrayslot(); storeslot(i);
      }
      endslow(pc, i, 1, regkey || b >= 1);
      break;
    }
    case OP.SETFIELD: {                                // R[A][K[B]:shortstring] := RK(C), key present
      beginslow();
      if (ttisshrstring(kaddr(GETARG_B(i)))) {
        ldtag(a); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 0);
        ldptr(a); w.emit_local_set(c, T1);
        hashwalk(GETARG_B(i), T1, false, -1, pc);
        w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_EQZ);
        w.emit_if(c, w.BT_VOID);                       // absent: a new key into its free main position
        newkey(i);
        w.emit_end(c);
        storeslot(i);
        w.emit_br(c, 1);
      }
      w.emit_end(c);                                   // $slow: luaJ_setfield (operands' addresses)
      rc_slowbegin();
      savepc(pc + 1);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
      w.emit_local_get(c, KBASE); w.emit_i32_const(c, GETARG_B(i) << 4); w.emit_op(c, w.OP_I32_ADD);
      w.emit_local_get(c, GETARG_k(i) ? KBASE : BASE); w.emit_i32_const(c, GETARG_C(i) << 4);
      w.emit_op(c, w.OP_I32_ADD);
      S.extra++;
      callhelper(pc, <i32>luaJ_setfield.index, pc + 1);
      slowend(pc + 1, i);
      S.extra--;
      w.emit_end(c);                                   // $done
      break;
    }
    case OP.SETTABUP: {                                // UpValue[A][K[B]:shortstring] := RK(C), key present
      beginslow();
      if (ttisshrstring(kaddr(GETARG_B(i)))) {
        upvaltable(a);
        hashwalk(GETARG_B(i), T1, true, -1, pc);
        storeslot(i);
      }
      endslow(pc, i, 1, ttisshrstring(kaddr(GETARG_B(i))));
      break;
    }
    case OP.SETUPVAL: {                                // UpValue[B] := R[A]; luaC_barrier: the helper
      beginslow();
      ldupval(GETARG_B(i)); w.emit_local_tee(c, T1);
      // a collectable value into a black upvalue may need the barrier: luaJ_op does it all
      w.emit_load(c, w.OP_I32_LOAD8_U, 0, GCH_MARKED_OFFSET); w.emit_i32_const(c, BLACKBIT); w.emit_op(c, w.OP_I32_AND);
      ldtag(a); w.emit_i32_const(c, BIT_ISCOLLECTABLE); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_AND);
      w.emit_br_if(c, 0);
      w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET); w.emit_local_set(c, T2);
      copytv(T2, 0, BASE, roff(a));                    // setobj
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
        w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_i32_const(c, 0);
        kval(GETARG_C(i)); w.emit_i32_const(c, 0);
        callout(<i32>luaJ_strindex.index);
        w.emit_local_tee(c, T2); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
        w.emit_else(c);
        ldtag(b); tagis_top(LUA_VTABLE); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
        ldptr(b); w.emit_local_set(c, CUR);
        indexchain(GETARG_C(i), CUR, 1, pc);
        w.emit_end(c);
        // the writes last, R[A+1] first: every branch to $slow is behind (rc_slowbegin stores the
        // locals as the unit found them), and R[B] may be R[A]
        copyreg(a + 1, b);
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
      callhelper(pc, <i32>luaJ_newtable.index, pc + 2);
      break;
    }
    case OP.ADDI: {
      const b = GETARG_B(i), imm = GETARG_sC(i);
      unary(pc, a, b, w.OP_I64_ADD, <i64>imm, w.OP_F64_ADD, <f64>imm);
      break;
    }
    case OP.ADD: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_ADD, w.OP_F64_ADD, true); break;
    case OP.SUB: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_SUB, w.OP_F64_SUB, false); break;
    case OP.MUL: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, w.OP_I64_MUL, w.OP_F64_MUL, false); break;
    case OP.ADDK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_ADD, w.OP_F64_ADD, true); break;
    case OP.SUBK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_SUB, w.OP_F64_SUB, false); break;
    case OP.MULK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), w.OP_I64_MUL, w.OP_F64_MUL, false); break;
    case OP.DIV: arith(pc, a, GETARG_B(i), GETARG_C(i), -1, 0, w.OP_F64_DIV, false); break;
    case OP.DIVK: arith(pc, a, GETARG_B(i), 0, GETARG_C(i), 0, w.OP_F64_DIV, false); break;
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
      kt_note(a, KT_INT);
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
    case OP.UNM: unary(pc, a, GETARG_B(i), w.OP_I64_SUB, 0, w.OP_F64_NEG, 0); break;
    case OP.NOT: {
      ldtag(GETARG_B(i)); w.emit_local_set(c, T1);
      w.emit_i32_const(c, LUA_VTRUE); w.emit_i32_const(c, LUA_VFALSE); falsy(T1); w.emit_op(c, w.OP_SELECT);
      w.emit_local_set(c, T2); settagl(a, T2);
      kt_note(a, KT_OTHER);
      break;
    }
    case OP.EQ: eqcmp(pc, a, GETARG_B(i), GETARG_k(i)); break;
    case OP.LT: ordercmp(pc, a, GETARG_B(i), true, GETARG_k(i)); break;
    case OP.LE: ordercmp(pc, a, GETARG_B(i), false, GETARG_k(i)); break;
    case OP.EQK: eqkcmp(pc, a, GETARG_B(i), GETARG_k(i)); break;
    case OP.EQI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_EQ, w.OP_F64_EQ, true, GETARG_k(i)); break;
    case OP.LTI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_LT_S, w.OP_F64_LT, false, GETARG_k(i)); break;
    case OP.LEI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_LE_S, w.OP_F64_LE, false, GETARG_k(i)); break;
    case OP.GTI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_GT_S, w.OP_F64_GT, false, GETARG_k(i)); break;
    case OP.GEI: immcmp(pc, a, GETARG_sB(i), w.OP_I64_GE_S, w.OP_F64_GE, false, GETARG_k(i)); break;
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
      copyreg(a, b);
      pairjump(pc);
      rc_droppending();                                // (R[A] is written on the jump only)
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
      callhelper(pc, <i32>luaJ_tforcall.index, -1);
      break;
    }
    case OP.TFORLOOP: {                                // if R[A+4] ~= nil then R[A+2] := R[A+4]; jump back
      ldtag(a + 4); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND);
      w.emit_if(c, w.BT_VOID);
      S.extra++;
      copyreg(a + 2, a + 4);
      jumpto(pc + 1 - GETARG_Bx(i), pc);
      rc_droppending();                                // (R[A+2] is written on the jump only)
      S.extra--;
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
      const nret = GETARG_B(i) - 1;                    // (2-4 values, no upvalues to close, not vararg: calls.ts retn)
      if (nret >= 2 && nret <= RETN_MAX && GETARG_k(i) == 0 && GETARG_C(i) == 0) retn(a, nret);
      savepc(pc + 1);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_i32_const(c, <i32>i); w.emit_i32_const(c, 0); w.emit_i32_const(c, 0);
      callhelper(pc, <i32>luaJ_return.index, -1, true);   // (HELPER_SLOW: to-be-closed variables)
      w.emit_op(c, w.OP_UNREACHABLE);                  // (luaJ_return never answers HELPER_DONE)
      return false;
    }
    case OP.TAILCALL: {
      savepc(pc + 1);
      tailcallop(pc, i);
      w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
      w.emit_i32_const(c, <i32>i); w.emit_i32_const(c, 0); w.emit_i32_const(c, 0);
      callhelper(pc, <i32>luaJ_tailcall.index, -1);
      break;                                           // a native's results: the RETURN follows
    }
    case OP.RETURN0: ret01(pc, a, 0); return false;
    case OP.RETURN1: ret01(pc, a, 1); return false;
    default: exitat(pc); return false;                 // (supported() said no)
  }
  return true;
}

/**
 * TAILCALL straight into a compiled Lua callee (before the luaJ_tailcall call it falls through to):
 * when the caller's frame needs no adjustment (not a vararg function: C = 0; no upvalues to close:
 * k = 0) and the callee is a Lua closure (its arguments counted, B > 0, or up to L.top) whose prototype is
 * compiled with an entry at pc 0, given all its fixed parameters, with stack room for its frame in
 * place of this one and the nesting bound not reached: the frame ci is reused as luaD_pretailcall
 * reuses it (function and arguments moved down to ci.func, L.top, ci.top, ci.savedpc at the callee's
 * code, CIST_TAIL set and the hook bits cleared), and the callee's code is called through the table;
 * its status is this frame's (JIT_RETURNED: ci returned), after the deopt check callop makes. With
 * trapflag set, ci is left to the interpreter at the callee's first instruction (JIT_EXIT). Stress
 * builds (the stack moved at every call) and a callee that was a native when this was compiled
 * (calls.ts calleehint) always take the helper. With tailloop, a callee of this
 * function's own prototype is not called: its closure becomes this frame's (CL) and the code goes
 * round $top from pc 0, a back-edge that counts its slice (so a tail-recursive loop polls
 * trapflag, exits while warm and while an async call runs, as a loop does) and nests nothing.
 */
function tailcallop(pc: i32, i: u32): void {
  const a = GETARG_A(i), b = GETARG_B(i);
  if (STRESS || GETARG_C(i) != 0 || GETARG_k(i) != 0 || calleenative(pc, a)) return;
  w.emit_block(c, w.BT_VOID);                          // $slow: luaJ_tailcall
  ldtag(a); w.emit_i32_const(c, LUA_VLCL); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, 0);
  ldptr(a);
  w.emit_load(c, w.OP_I32_LOAD, 2, CL_PROTO_OFFSET); w.emit_local_set(c, P);
  ldfield(P, JITENTRY_OFFSET); w.emit_local_tee(c, E);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_i32_const(c, <i32>(JIT_DECLINED - 1));
  w.emit_op(c, w.OP_I32_GE_U);
  ldfield(P, JITFLAGS_OFFSET);                         // an entry at pc 0, not deopted (as callop)
  w.emit_i32_const(c, <i32>JITF_NODIRECT); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_OR);
  argsshort(a, b, false); w.emit_op(c, w.OP_I32_OR);
  // the callee's frame from R[0] (this frame's base) must end within the stack
  ldfield(LOCAL_L, L_STACKLAST_OFFSET); w.emit_local_get(c, BASE); w.emit_op(c, w.OP_I32_SUB);
  w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET);
  w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_LE_S); w.emit_op(c, w.OP_I32_OR);
  toodeep(); w.emit_op(c, w.OP_I32_OR);
  w.emit_br_if(c, 0);
  // function and arguments down to ci.func (T1), upwards (the destination is below the source)
  w.emit_local_get(c, BASE); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_SUB); w.emit_local_set(c, T1);
  if (b != 0) {
    for (let j = 0; j < b; j++) copytv(T1, roff(j), BASE, roff(a + j));
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, T1); w.emit_i32_const(c, <i32>roff(b)); w.emit_op(c, w.OP_I32_ADD);
  } else {
    movedown(a);
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, T1); w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_ADD);
  }
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
  // jitcalls++, the call (its depth: entryargs)
  w.emit_local_get(c, P); ldfield(P, JITCALLS_OFFSET); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, JITCALLS_OFFSET);
  if (tailloop) {                                      // its own prototype: round $top from pc 0
    w.emit_local_get(c, P); w.emit_local_get(c, PROTO); w.emit_op(c, w.OP_I32_EQ);
    w.emit_if(c, w.BT_VOID);
    S.extra += 2;                                      // ($slow, this if)
    w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET); w.emit_local_set(c, CL);
    slicepoll(0);                                      // (a back-edge: its slice, trapflag, warm exits)
    w.emit_i32_const(c, 0); w.emit_local_set(c, ST);
    w.emit_br(c, lb_depth(LB_TOP, 0) + S.extra);
    S.extra -= 2;
    w.emit_end(c);
  }
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, P);
  entryargs(T1, P, true);
  w.emit_local_get(c, E); w.emit_call_indirect(c, TENTRY);
  w.emit_local_set(c, T1);
  w.emit_local_get(c, T1); w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_I32_EQ);
  w.emit_if(c, w.BT_VOID); w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_RETURN); w.emit_end(c);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, P); w.emit_local_get(c, T1);
  w.emit_i32_const(c, 0);
  callout(<i32>luaJ_exited.index);
  w.emit_op(c, w.OP_RETURN);
  w.emit_end(c);                                       // $slow
}

/**
 * A tail call's function and arguments from R[a] up to L.top (B = 0: the CALL or VARARG before
 * left them there) down to the function slot in T1, upwards (the destination is below the source);
 * T2 := their size in bytes. Clobbers NCI (the offset copied).
 */
function movedown(a: i32): void {
  ldfield(LOCAL_L, L_TOP_OFFSET); w.emit_local_get(c, BASE); w.emit_op(c, w.OP_I32_SUB);
  w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_SUB); w.emit_local_set(c, T2);
  w.emit_i32_const(c, 0); w.emit_local_set(c, NCI);
  w.emit_block(c, w.BT_VOID);
  w.emit_loop(c, w.BT_VOID);
  w.emit_local_get(c, NCI); w.emit_local_get(c, T2); w.emit_op(c, w.OP_I32_GE_U); w.emit_br_if(c, 1);
  w.emit_local_get(c, T1); w.emit_local_get(c, NCI); w.emit_op(c, w.OP_I32_ADD);
  w.emit_local_get(c, BASE); w.emit_local_get(c, NCI); w.emit_op(c, w.OP_I32_ADD);
  w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_TT_OFFSET); w.emit_store(c, w.OP_I32_STORE, 2, TV_TT_OFFSET);
  w.emit_local_get(c, T1); w.emit_local_get(c, NCI); w.emit_op(c, w.OP_I32_ADD);
  w.emit_local_get(c, BASE); w.emit_local_get(c, NCI); w.emit_op(c, w.OP_I32_ADD);
  w.emit_load(c, w.OP_I64_LOAD, 3, roff(a) + TV_VALUE_OFFSET); w.emit_store(c, w.OP_I64_STORE, 3, TV_VALUE_OFFSET);
  w.emit_local_get(c, NCI); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, NCI);
  w.emit_br(c, 0);
  w.emit_end(c);
  w.emit_end(c);
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
  rc_slowbegin();                                      // (an aware unit: the dirty registers to the stack)
  savepc(pc + len);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
  w.emit_i32_const(c, <i32>i); w.emit_i32_const(c, 0); w.emit_i32_const(c, 0);
  S.extra++;
  callhelper(pc, <i32>luaJ_op.index, pc + len);
  slowend(pc + len, i);                                // (… and what the helper may have changed back)
  S.extra--;
  w.emit_end(c);                                       // $done
}

/**
 * After the helper of an aware table unit's slow half (instruction i; callhelper leaves it to
 * this): when debug.setlocal ran, exits at `next` (the locals may be stale; the stack is right), as
 * callhelper does for the others; then rc_slowend, with the registers the instruction writes
 * (unaware_writes: R[A], and SELF's R[A+1]).
 */
function slowend(next: i32, i: u32): void {
  slowreturn(next, GETARG_A(i), unaware_writes(i, GET_OPCODE(i)));
}

/** T1 := the table in upvalue B of the running closure, else branch to $slow (depth 0). */
function upvaltable(b: i32): void {
  ldupval(b); w.emit_load(c, w.OP_I32_LOAD, 2, UV_V_OFFSET);
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

/** vm/state.ts: lua_State's openupval (the open upvalues, highest level first) and tbclist (L_openupval, L_tbclist). */
// @ts-ignore: decorator
@inline const L_OPENUPVAL_OFFSET: u32 = 32;
// @ts-ignore: decorator
@inline const L_TBCLIST_OFFSET: u32 = 36;
/** vm/tm.ts TM.NEWINDEX (its bit in a table's absent-metamethod flags). */
// @ts-ignore: decorator
@inline const TM_NEWINDEX: i32 = 1;
/** object/string.ts: a TString's byte length, short and long strings alike (what its tsslen reads). */
// @ts-ignore: decorator
@inline const TS_LEN_OFFSET: u32 = 12;
/** vm/tm.ts TM.LEN (its bit in a table's absent-metamethod flags). */
// @ts-ignore: decorator
@inline const TM_LEN: i32 = 4;

/** Pushes the address of array slot T2 (0-based, i32) of the table in local T1. */
function arrayaddr(): void {
  w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ARRAY_OFFSET);
  w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
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
  arrayaddr();
  w.emit_local_set(c, T2);
  w.emit_end(c);
}

/**
 * For a store: T2 := the address of array slot T2 (0-based, i32) of the table in local T1 when it
 * is inside the array part (asize); past the hint (alimit <= T2), the hint moves to T2 + 1 first,
 * as luaH_getint moves it (an append `t[#t + 1] = v`: the interpreter's lookup does the same before
 * its store); a key past the array part branches to $slow.
 */
function arrayslot(): void {
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ALIMIT_OFFSET);
  w.emit_op(c, w.OP_I32_GE_U);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ASIZE_OFFSET);
  w.emit_op(c, w.OP_I32_GE_U); w.emit_br_if(c, 1);
  w.emit_local_get(c, T1); w.emit_local_get(c, T2); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, T_ALIMIT_OFFSET);
  w.emit_end(c);
  arrayaddr();
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
  arrayaddr();
  w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_SUB);
  w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET);
  w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, d + 1);
  w.emit_end(c);
  // (2) limit < asize: the border when array[limit] is empty; (3) limit == asize: when no hash part
  w.emit_local_get(c, T2); w.emit_local_get(c, T1); w.emit_load(c, w.OP_I32_LOAD, 2, T_ASIZE_OFFSET);
  w.emit_op(c, w.OP_I32_LT_U);
  w.emit_if(c, w.WT_I32);
  arrayaddr();
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
  storevalue(isk, v);
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
  ldptr(b); w.emit_local_set(c, CUR);
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
  ldptr(a); w.emit_local_set(c, CUR);
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
  else ldtag(v);
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
  storevalue(isk, v);
  w.emit_local_get(c, T1); w.emit_i32_const(c, 0); w.emit_store(c, w.OP_I32_STORE8, 0, T_FLAGS_OFFSET);
  w.emit_br(c, 2);
}

/**
 * setobj2t into the slot at T2 of RK(v) (a constant when isk, else R[v]): tag and payload; the
 * slot's extra word is a hash node's chain link (object/value.ts), so it stays.
 */
function storevalue(isk: bool, v: i32): void {
  w.emit_local_get(c, T2);
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I32_LOAD, 2, (<u32>v << 4) + TV_TT_OFFSET); }
  else ldtag(v);
  w.emit_store(c, w.OP_I32_STORE, 2, TV_TT_OFFSET);
  w.emit_local_get(c, T2);
  if (isk) { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I64_LOAD, 3, (<u32>v << 4) + TV_VALUE_OFFSET); }
  else ldint(v);
  w.emit_store(c, w.OP_I64_STORE, 3, TV_VALUE_OFFSET);
}

// ==== The module ====

/** This compile's $top is a loop that a tail call of the function itself goes round (body, tailcallop). */
let tailloop = false;

/**
 * Emits the function body: prologue, dispatch, entry stubs, every block. `map` is the entry map
 * (entrymap). With the register cache, the blocks are first emitted RC_PASSES times into a scratch
 * buffer so that their entry states settle (jit/regcache.ts), and the dispatch (a br_table on st)
 * has two halves: st = pc, an entry from the interpreter at an entry leader, goes to the block's
 * stub, which loads the registers the block expects in locals (non-entry leaders exit: nothing
 * enters there); st = pc + ncode, a back-edge, goes to the block itself.
 */
function body(f: FuncBody, map: usize): void {
  S.c = f.code;
  S.T1 = w.fb_local(f, w.WT_I32); S.T2 = w.fb_local(f, w.WT_I32);
  S.X = w.fb_local(f, w.WT_I64); S.Y = w.fb_local(f, w.WT_I64);
  S.FX = w.fb_local(f, w.WT_F64); S.FY = w.fb_local(f, w.WT_F64);
  S.P = w.fb_local(f, w.WT_I32); S.E = w.fb_local(f, w.WT_I32); S.NCI = w.fb_local(f, w.WT_I32);
  S.CUR = w.fb_local(f, w.WT_I32);
  S.SL = w.fb_local(f, w.WT_I32);
  S.DN = w.fb_local(f, w.WT_I32); S.D1 = w.fb_local(f, w.WT_I32);
  const nreg = p_maxstacksize(proto);
  // the register cache where loops call out little (fewcalls): where they call more, each call
  // stores the dirty registers and loads them back after, so locals gain little, and the phis they
  // add at every merge cost V8's optimizing compile (json.lua's encode: 50 ms of TurboFan with the
  // cache, 25 without, running its baseline code meanwhile; the same speed once optimized)
  const few = hasloop() && fewcalls();                // (also the slice counter's place, below)
  const cache = RC_ENABLED && few && nreg <= RC_MAXREG;
  rc_begin(f, BASE, nreg, nblocks, ncode, cache);
  kt_begin(nreg);
  forvars();
  tailloop = !cache && !STRESS && selftailable();
  captures();
  if (cache) { deadregs(nreg); bigloops(); }
  if (cache) {
    const scratch = w.buf_new();
    for (let k = 0; k < RC_PASSES; k++) {
      scratch.len = 0;
      S.c = scratch; rc_setcode(scratch); rc_pass(true);
      blocks();
      if (!rc_settle()) break;
    }
    w.buf_free(scratch);
    S.c = f.code;
  }
  rc_setcode(c); rc_pass(false);
  rc_prologue();                                       // (base, closure, code, constants, st: parameters)
  depthprologue();
  S.slicelocal = few;
  if (S.slicelocal) { w.emit_global_get(c, GSLICE); w.emit_local_set(c, S.SL); }   // (emit.ts jumpto)
  // $top: a loop when back-edges go round the dispatch (no structured loops) or a tail call to the
  // function itself may (tailloop), else a block (V8 puts a stack check at every loop header)
  const roundtop = !sl && hasloop();
  if (roundtop || tailloop) w.emit_loop(c, w.BT_VOID); else w.emit_block(c, w.BT_VOID);
  for (let j = 0; j < nblocks; j++) w.emit_block(c, w.BT_VOID);
  // stubs (register cache): one per entry leader whose block expects registers in locals
  const stubof = heap.alloc(<usize>nblocks << 2);
  let nstubs = 0;
  for (let j = 0; j < nblocks; j++) store<i32>(stubof + (<usize>j << 2), -1);
  for (let pc = 0; pc < ncode; pc++) {             // (-2: an entry goes to block j)
    if (isentry(pc)) store<i32>(stubof + (<usize>entryblock(pc) << 2), -2);
  }
  for (let j = 0; j < nblocks; j++) {
    const at = stubof + (<usize>j << 2);
    store<i32>(at, load<i32>(at) == -2 && cache && rc_needsstub(j) ? nstubs++ : -1);
  }
  for (let k = 0; k < nstubs; k++) w.emit_block(c, w.BT_VOID);
  w.emit_block(c, w.BT_VOID);
  w.emit_local_get(c, ST);
  // br_table targets (depths from $disp: $disp 0, stub k 1 + k, block j 1 + nstubs + j)
  const ntargets = cache && !sl ? ncode << 1 : ncode;
  const targets = heap.alloc(<usize>ntargets << 2);
  for (let t = 0; t < ntargets; t++) {
    const pc = t < ncode ? t : t - ncode;
    let depth = 0;                                     // $disp: not an entry
    if (isleader(pc)) {
      const j = blockidx(pc);
      if (t >= ncode || (!cache && !sl)) depth = 1 + nstubs + j;        // (a back-edge through the dispatch)
      else if (isentry(pc)) {
        const tb = entryblock(pc), stub = load<i32>(stubof + (<usize>tb << 2));
        depth = stub >= 0 ? 1 + stub : 1 + nstubs + tb;
      }
    }
    store<i32>(targets + (<usize>t << 2), depth);
  }
  let only0 = !roundtop;                               // pc 0 the only entry: a test, not a jump table
  for (let t = 1; t < ntargets && only0; t++) if (load<i32>(targets + (<usize>t << 2)) != 0) only0 = false;
  if (only0) {                                         // (st != 0: not an entry, $disp; else block 0 or its stub)
    w.emit_br_if(c, 0);
    w.emit_br(c, load<i32>(targets));
  } else w.emit_br_table(c, targets, ntargets, 0);
  heap.free(targets);
  w.emit_end(c);
  w.emit_i32_const(c, JIT_EXIT); w.emit_op(c, w.OP_RETURN);  // not an entry: savedpc unchanged
  for (let k = 0, j = 0; k < nstubs; j++) {
    if (load<i32>(stubof + (<usize>j << 2)) != k) continue;
    w.emit_end(c);                                     // $s_k
    rc_stub(j);
    w.emit_br(c, nstubs - 1 - k + j);
    k++;
  }
  heap.free(stubof);
  blocks();
  w.emit_end(c);                                       // $top
  w.emit_op(c, w.OP_UNREACHABLE);                      // every block ends in a jump, return or exit
  rc_end();
  kt_end();
  heap.free(forvar); forvar = 0;
}

/** The registers an open upvalue may reach: those the prototype's CLOSUREs capture (jit/regcache.ts rc_capture, jit/kinds.ts). */
function captures(): void {
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    if (GET_OPCODE(i) != OP.CLOSURE) continue;
    const child = p_proto(proto, GETARG_Bx(i));
    for (let k = 0; k < p_sizeupvalues(child); k++) {
      const d = upvaldesc(child, k);
      if (uvd_instack(d)) { rc_capture(uvd_idx(d)); kt_capture(uvd_idx(d)); }
    }
  }
}

/**
 * The units whose innermost loop has at least WT_LOOPLEN instructions may write through
 * (jit/regcache.ts): a store pair per write there costs little beside the loop's body.
 */
function bigloops(): void {
  const inner = heap.alloc(<usize>ncode << 2);         // i32 per pc: its innermost loop's length
  for (let pc = 0; pc < ncode; pc++) store<i32>(inner + (<usize>pc << 2), 0x7fffffff);
  for (let e = 0; e < ncode; e++) {                    // each back-edge e, from its loop's header to it
    const head = jumptarget(code, e);
    if (head < 0 || head > e) continue;
    const len = e - head + 1;
    for (let pc = head; pc <= e; pc++) {
      const at = inner + (<usize>pc << 2);
      if (len < load<i32>(at)) store<i32>(at, len);
    }
  }
  for (let pc = 0; pc < ncode; pc++) {
    const len = load<i32>(inner + (<usize>pc << 2));
    if (len >= WT_LOOPLEN && len != 0x7fffffff) rc_maywritethrough(pc);
  }
  heap.free(inner);
}

/** The registers dead at each loop header (jit/liveness.ts; regcache.ts rc_dead). */
function deadregs(nreg: i32): void {
  lv_compute(code, ncode, nreg);
  for (let pc = 0; pc < ncode; pc++) {
    if (!isleader(pc)) continue;
    for (let r = 0; r < nreg; r++) if (!lv_live(pc, r)) rc_dead(blockidx(pc), r);
  }
  lv_free();
}

/**
 * Every block's code, closing each block's label before it; with structured loops (sl), a loop
 * header's block opens its loop and the labels of the loop's blocks inside it (jit/loops.ts), and
 * a loop's tail block closes it. The label stack starts as the body's: $top, then the blocks'.
 */
function blocks(): void {
  lb_reset();
  lb_push(LB_TOP, 0);
  for (let j = nblocks - 1; j >= 0; j--) lb_push(LB_BLOCK, j);
  let pc = 0;
  for (let j = 0; j < nblocks; j++) {
    lb_pop(); w.emit_end(c);                           // block j's label: its code follows
    const tail = sl ? lp_tail(j) : -1;
    if (tail >= 0) {                                   // a loop header
      for (let k = j + 1; k <= tail; k++) { lb_pop(); w.emit_end(c); }   // (the level's labels of the loop's blocks)
      w.emit_loop(c, w.BT_VOID); lb_push(LB_LOOP, j);
      for (let k = tail; k > j; k--) { w.emit_block(c, w.BT_VOID); lb_push(LB_BLOCK, k); }
    }
    S.curblock = j;
    S.extra = 0;
    rc_blockstart(j);
    kt_reset();                                        // (nothing is known at a block's start)
    fwd_forget();                                      // (other edges come in here)
    if (tail >= 0) ladder(j);
    while (!isleader(pc)) pc++;
    const fv = load<i32>(forvar + (<usize>pc << 2));
    if (fv >= 0) kt_set(fv, KT_NUM);                   // (forvars)
    let live = true;
    if (S.elided != 0 && load<u8>(S.elided + <usize>j) == 0) { exitat(pc); live = false; }   // (outside the region)
    do {
      if (live) live = unit(pc);
      pc += unitlen(pc);
    } while (pc < ncode && !isleader(pc));
    if (live && pc >= ncode) exitat(ncode - 1);       // (never: a function ends with a return)
    else if (live) rc_edge(j + 1, false);              // (falls into the next block)
    for (;;) {                                         // loops ending here (innermost first)
      const h = lb_top(LB_LOOP);
      if (h < 0 || lp_tail(h) != j) break;
      lb_pop(); w.emit_end(c);
    }
  }
}

/** i32 per pc: the control variable known to be a number at a block starting there (forvars), or -1. */
let forvar: usize = 0;

/**
 * At the start of a numeric for loop's body (the block FORLOOP jumps back to, which nothing else
 * jumps to: a goto to a label there could bring a control variable the body assigned), the control
 * variable R[A+3] is a number: FORPREP or FORLOOP set it, compiled or interpreted (an entry from
 * the interpreter comes after its FORLOOP jumped back), an integer or a float (jit/kinds.ts).
 * Fills forvar (freed by body).
 */
function forvars(): void {
  forvar = heap.alloc(<usize>ncode << 2);
  for (let pc = 0; pc < ncode; pc++) store<i32>(forvar + (<usize>pc << 2), -1);
  for (let pc = 0; pc < ncode; pc++) {                 // the bodies' starts
    const i = instr(pc);
    if (GET_OPCODE(i) != OP.FORLOOP) continue;
    const t = pc + 1 - GETARG_Bx(i);
    if (t >= 0 && t < ncode) store<i32>(forvar + (<usize>t << 2), GETARG_A(i) + 3);
  }
  for (let pc = 0; pc < ncode; pc++) {                 // … that no other jump reaches
    const t = GET_OPCODE(instr(pc)) == OP.FORLOOP ? -1 : jumptarget(code, pc);
    if (t >= 0 && t < ncode) store<i32>(forvar + (<usize>t << 2), -1);
  }
}

/**
 * The ladder at the top of loop h (in its first block, before its code): an entry into a loop
 * header inside h (st = its pc, from the dispatch, which entered the outermost loop) goes on to
 * the child loop of h on its way there, with the register state that loop's header expects; at
 * the header itself st becomes -1, as it does at once for any other st. Each pass round the loop
 * costs a test of st. Nothing is emitted when no loop header inside h is an entry.
 */
function ladder(h: i32): void {
  // the child loops of h that lead to an entry (in pc order), and the br_table index of each pc
  const kids = heap.alloc(<usize>nblocks << 2);
  let nkids = 0;
  for (let pc = 0; pc < ncode; pc++) {
    if (!isentry(pc) || lp_tail(blockidx(pc)) < 0 || blockidx(pc) == h) continue;
    const kid = lp_childof(h, blockidx(pc));
    if (kid < 0) continue;
    let known = false;
    for (let k = 0; k < nkids; k++) if (load<i32>(kids + (<usize>k << 2)) == kid) known = true;
    if (!known) { store<i32>(kids + (<usize>nkids << 2), kid); nkids++; }
  }
  if (nkids == 0) { heap.free(kids); return; }
  w.emit_local_get(c, ST); w.emit_i32_const(c, 0); w.emit_op(c, w.OP_I32_GE_S);
  w.emit_if(c, w.BT_VOID); S.extra++;
  w.emit_block(c, w.BT_VOID); S.extra++;               // $other
  for (let k = 0; k < nkids; k++) { w.emit_block(c, w.BT_VOID); S.extra++; }   // $kid[nkids-1] … $kid[0]
  const targets = heap.alloc(<usize>ncode << 2);
  for (let pc = 0; pc < ncode; pc++) {
    let depth = nkids;                                 // $other
    if (isentry(pc) && lp_tail(blockidx(pc)) >= 0 && blockidx(pc) != h) {
      const kid = lp_childof(h, blockidx(pc));
      for (let k = 0; k < nkids; k++) if (load<i32>(kids + (<usize>k << 2)) == kid) depth = k;
    }
    store<i32>(targets + (<usize>pc << 2), depth);
  }
  w.emit_local_get(c, ST);
  w.emit_br_table(c, targets, ncode, nkids);
  heap.free(targets);
  for (let k = 0; k < nkids; k++) {
    w.emit_end(c); S.extra--;                          // $kid[k]: on into that loop
    const kid = load<i32>(kids + (<usize>k << 2));
    let kidpc = 0;
    while (!(isleader(kidpc) && blockidx(kidpc) == kid)) kidpc++;
    // st := -1 when the entry is that loop's own header, else its ladder leads on
    w.emit_i32_const(c, -1); w.emit_local_get(c, ST);
    w.emit_local_get(c, ST); w.emit_i32_const(c, kidpc); w.emit_op(c, w.OP_I32_EQ);
    w.emit_op(c, w.OP_SELECT); w.emit_local_set(c, ST);
    rc_edgebegin();
    rc_edge(kid, false);
    w.emit_br(c, lb_depth(LB_BLOCK, kid) + extra);
    rc_edgeend();
  }
  heap.free(kids);
  w.emit_end(c); S.extra--;                            // $other
  w.emit_i32_const(c, -1); w.emit_local_set(c, ST);
  w.emit_end(c); S.extra--;                            // if
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

/** Whether a GETFIELD or GETTABUP may call the module's $getstr (jit/lookup.ts getfield). */
function usesgetfield(): bool {
  for (let pc = 0; pc < ncode; pc++) {
    const op = GET_OPCODE(instr(pc));
    if (op == OP.GETFIELD || op == OP.GETTABUP) return true;
  }
  return false;
}

/**
 * Whether the function's loops call out little: at most one CALL in them, which can be a fastcall
 * (math.sqrt and the like: calls.ts fastcallable), and no TFORCALL, CONCAT, NEWTABLE or CLOSURE
 * (with goto-made loops, in the whole function). Its registers then live in wasm locals (the
 * register cache: body) and its loops count their slices in a local (emit.ts jumpto): a loop that
 * calls out has V8 spill and reload that local around each call, which cost more than the
 * global's decrement (oop.lua 1.04x, bench/ab.ts --jit), while a loop without calls keeps it in a
 * register (loop.lua 0.82x).
 */
function fewcalls(): bool {
  let calls = 0, j = -1;
  for (let pc = 0; pc < ncode; pc++) {
    if (isleader(pc)) j = blockidx(pc);
    if (sl && !lp_inside(j) && lp_tail(j) < 0) continue;   // (outside every loop)
    const i = instr(pc), op = GET_OPCODE(i);
    if (op == OP.CALL) { if (!fastcallable(pc, i) || ++calls > 1) return false; }
    else if (op == OP.TFORCALL || op == OP.CONCAT || op == OP.NEWTABLE || op == OP.CLOSURE) return false;
  }
  return true;
}

/**
 * Whether the function has a TAILCALL that tailcallop makes directly: its callee may be the function
 * itself, which then goes round $top from pc 0 in the same wasm frame (tailloop).
 */
function selftailable(): bool {
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    if (GET_OPCODE(i) == OP.TAILCALL && GETARG_C(i) == 0 && GETARG_k(i) == 0 && GETARG_B(i) != 0) return true;
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
 * loop header (after a FORLOOP, TFORLOOP or backward JMP) when the whole loop is, up to that back-edge; compiled
 * callers (direct calls, luaJ_call, luaJ_tailcall) enter at pc 0 whenever the whole function is
 * compiled, since an exit there would cost them more. A region (`from` a loop header, vm/tier.ts:
 * hot there in its first call) has no entry at pc 0 (JITMAP_PARTIAL there instead), and
 * luaJ_compile then keeps only the entries inside it (joinregion numbers them). A vararg function
 * has no entry at pc 0 (VARARGPREP is not supported): calls.ts directcall leaves L.top unset for its
 * callees, which only VARARGPREP would read. In stress mode every
 * supported block start is an entry, so exits are exercised everywhere.
 */
function entrymap(from: i32): usize {
  const map = heap.alloc(<usize>ncode);
  memory.fill(map, 0, <usize>ncode);
  if (from > 0) store<u8>(map, JITMAP_PARTIAL);
  if (stressevery > 0) {
    for (let pc = from > 0 ? 1 : 0; pc < ncode; pc++) if (enterable(pc) && supported(pc)) store<u8>(map + <usize>pc, JITMAP_ENTRY);
    return map;
  }
  // the whole function compiled: compiled callers enter it (for them the alternative is an exit,
  // dearer than any helper); the interpreter's CALL only when the compiled body pays for the entry
  const pays = allsupported(0, ncode - 1);
  if (from == 0 && everysupported) {
    const small = !pays || (inlineunits < SMALLFN && !hasloop());
    store<u8>(map, small ? JITMAP_ENTRY | JITMAP_SMALL : JITMAP_ENTRY);
  }
  // loop headers; one inside other loops only when nothing enters at pc 0 (a main chunk, a function
  // not compiled whole): its ladders cost the loops around it a test per iteration, and they cost
  // more (mandel.lua ran 2x slower with them, V8's code for the loops inside being worse) than the
  // one pass of the outer loop interpreted that a function entered at pc 0 would save
  const inner = (load<u8>(map) & JITMAP_ENTRY) == 0;
  for (let pc = 0; pc < ncode; pc++) {
    const i = instr(pc);
    let head = -1;
    if (GET_OPCODE(i) == OP.FORLOOP || GET_OPCODE(i) == OP.TFORLOOP) head = pc + 1 - GETARG_Bx(i);
    else if (GET_OPCODE(i) == OP.JMP && GETARG_sJ(i) < 0) head = pc + 1 + GETARG_sJ(i);   // a while loop
    if (head < 0 || !enterable(head) || (!inner && sl && lp_inside(blockidx(head)))) continue;
    if (allsupported(head, pc)) store<u8>(map + <usize>head, JITMAP_ENTRY);
  }
  return map;
}

/**
 * The blocks of a region (u8 per block): the outermost loop around loop header `from`, the blocks
 * from a back-edge's target to its source that overlap the others (a loop's blocks are consecutive,
 * also for a generic for, whose TFORPREP enters at its TFORCALL and which keeps a dispatch: lp_find).
 * Its exits (the loop's end, a break, a return inside) branch to blocks left out, each an exit to
 * the interpreter there.
 */
function regionblocks(from: i32): usize {
  let lo = blockidx(from), hi = lo;
  for (let grew = true; grew;) {
    grew = false;
    let cur = 0;                                       // (the block of pc)
    for (let pc = 0; pc < ncode; pc++) {
      if (isleader(pc)) cur = blockidx(pc);
      const t = jumptarget(code, pc);
      if (t < 0 || t > pc || cur < lo || blockidx(t) > hi) continue;   // (not a back-edge overlapping lo..hi)
      if (blockidx(t) < lo) { lo = blockidx(t); grew = true; }
      if (cur > hi) { hi = cur; grew = true; }
    }
  }
  const blocks = heap.alloc(<usize>nblocks);
  memory.fill(blocks, 0, <usize>nblocks);
  for (let j = lo; j <= hi; j++) store<u8>(blocks + <usize>j, 1);
  return blocks;
}

/**
 * A region's entry map joins its prototype's (the first region's becomes it, with JITMAP_PARTIAL at
 * pc 0): its entries are numbered `region` (vm/tier.ts jitregions). A region not worth entering
 * (map 0) flags its loop header JITMAP_COLD instead.
 */
function joinregion(p: usize, from: i32, map: usize, region: i32): void {
  let pm = p_jitmap(p);
  if (pm == 0) {
    pm = heap.alloc(<usize>ncode);
    memory.fill(pm, 0, <usize>ncode);
    store<u8>(pm, JITMAP_PARTIAL);
    p_setjitmap(p, pm);
  }
  if (map == 0) {
    store<u8>(pm + <usize>from, load<u8>(pm + <usize>from) | JITMAP_COLD);
    return;
  }
  for (let pc = 1; pc < ncode; pc++) {
    if ((load<u8>(map + <usize>pc) & JITMAP_ENTRY) != 0) store<u8>(pm + <usize>pc, JITMAP_ENTRY | <u8>(region << JITMAP_REGIONSHIFT));
  }
  heap.free(map);
}

/** Whether compiled code can be entered at pc: a leader outside every structured loop's interior (jit/loops.ts). */
function enterable(pc: i32): bool {
  if (!isleader(pc)) return false;
  const b = blockidx(pc);
  return !(sl && lp_inside(b)) || lp_tail(b) >= 0;   // (a loop header inside loops: through the ladders)
}

/** Whether the entry map says compiled code is entered at pc. */
function isentry(pc: i32): bool { return emap != 0 && (load<u8>(emap + <usize>pc) & JITMAP_ENTRY) != 0; }

/** The block the dispatch enters for an entry at pc: its own, or the outermost loop around it (ladders lead on). */
function entryblock(pc: i32): i32 {
  const b = blockidx(pc);
  return sl && lp_inside(b) ? lp_outermost(b) : b;
}

/** The entry map of the function being compiled (entrymap), for the dispatch and the ladders. */
let emap: usize = 0;

/**
 * Compiles prototype `p` (`cl`: a closure of it that is running) and installs it: the table slot, or
 * JIT_DECLINED (too long, an unhandled shape, out of memory, or the host refused the module). `from`
 * 0: the whole function, whose entry map becomes the prototype's jitmap; else the region around
 * loop header `from`, number `region` (vm/tier.ts addregion), whose entries join the jitmap, or
 * JIT_COLD when that header is not worth entering (flagged so in the jitmap).
 */
export function luaJ_compile(p: usize, from: i32, region: i32, cl: usize): u32 {
  S.ncode = p_sizecode(p);
  if (ncode <= 0 || ncode > MAXCODE) return JIT_DECLINED;
  // the emitter's memory (heap.alloc, outside Lua's accounting: running out would trap): the body
  // and its scratch copy (up to ~512 bytes an instruction with the register cache's write-backs),
  // 16 bytes an instruction of per-pc tables (forvars, the cache's write-through counts) and the
  // cache's entry states (13 bytes a register a block: valid, dirty, live and the origins; blocks
  // <= instructions)
  const perpc: usize = (<usize>1 << 9) + 16 + 13 * <usize>RC_MAXREG;
  if (!heapcanalloc(HEADROOM + <usize>ncode * perpc)) return JIT_DECLINED;
  S.proto = p;
  S.code = p_code(p);
  S.kst = p_k(p);
  if (p_maxstacksize(p) > 250) return JIT_DECLINED;   // register offsets stay small immediates
  S.closure = cl;
  S.leader = heap.alloc(<usize>ncode);
  memory.fill(leader, 0, <usize>ncode);
  S.blockof = heap.alloc(<usize>ncode << 2);
  let slot: u32 = JIT_DECLINED;
  const t0 = lua_monotonic();
  let map: usize = 0;
  if (findleaders()) {
    S.sl = SL_ENABLED && lp_find(code, ncode, leader, blockof, nblocks);
    map = entrymap(from);                              // (before the body: its dispatch and stubs follow it)
    if (from > 0 && (load<u8>(map + <usize>from) & JITMAP_ENTRY) == 0) {   // (a region not worth entering)
      heap.free(map);
      map = 0;
      slot = JIT_COLD;
    } else if (from > 0) {                             // a region: the outermost loop around `from`
      S.elided = regionblocks(from);
      for (let pc = 1; pc < ncode; pc++) {
        if (isleader(pc) && load<u8>(S.elided + <usize>blockidx(pc)) == 0) store<u8>(map + <usize>pc, 0);
      }
    }
  }
  if (map != 0) {
    emap = map;
    S.selfcalls = (load<u8>(map) & JITMAP_ENTRY) != 0;
    const m = w.wm_new();
    const i32t = w.WT_I32;
    const tf = w.wm_type(m, w.sig(i32t, i32t, i32t, i32t, i32t, i32t, i32t, i32t), w.sig(i32t));
    S.TENTRY = tf;
    S.THELPER = w.wm_type(m, w.sig(w.WT_I32, w.WT_I32, w.WT_I32, w.WT_I32, w.WT_I32), w.sig(w.WT_I32));
    w.wm_import_memory(m, "env", "memory", 1);
    w.wm_import_table(m, "env", "table", 1);
    w.wm_import_global(m, "env", "trapflag", w.WT_I32, true);
    w.wm_import_global(m, "env", "slicing", w.WT_I32, true);   // GSLICING
    w.wm_global_i32(m, JIT_SLICE);                     // GSLICE
    w.wm_global_i32(m, JIT_WARMSLICES);                // GWARM
    w.wm_global_i32(m, stressevery);                   // GSTRESS
    lk_globals(m, code, ncode);                        // (the lookup sites' caches)
    const fi = w.wm_func(m, tf);
    w.wm_export_func(m, "f", fi);
    const gf = usesgetfield();
    if (gf) lk_declare(m);
    const f = w.fb_new(NPARAMS);
    body(f, map);
    w.wm_body(m, f);
    w.fb_free(f);
    if (gf) lk_body(m);
    const out = w.buf_new();
    w.wm_finish(m, out);
    if (!w.wm_failed(m) && out.failed == 0 && !lb_overflow()) {
      const s = jit_install(out.ptr, out.len, lua_monotonic() - t0);
      if (s > 0) { slot = <u32>s; chargedebt(GCCOST); }
    }
    w.buf_free(out);
    w.wm_free(m);
    lk_freesites();
  }
  if (from > 0 && slot != JIT_DECLINED) joinregion(p, from, map, region);
  else if (slot != JIT_DECLINED) {
    if (p_jitmap(p) != 0) heap.free(p_jitmap(p));
    p_setjitmap(p, map);
  } else if (map != 0) heap.free(map);
  heap.free(leader);
  heap.free(blockof);
  lp_free();
  if (S.elided != 0) heap.free(S.elided);
  S.elided = 0;
  emap = 0;
  S.sl = false;
  S.closure = 0;
  return slot;
}
