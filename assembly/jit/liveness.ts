// liveness.ts - which registers of the prototype being compiled are live at each instruction: read
// on some path from there before any write. jit/regcache.ts asks it at loop headers only: a register
// dead there (a temporary of the last iteration, written again before it is read) need not be held
// in wasm locals across the back-edge. Held there, V8 keeps its value live through the whole loop
// (every exit in the body could store it), which costs machine registers and spills in big loops
// (nbody's inner loop has 29 registers); not held, the back-edge stores it once and the loop runs
// without it.
//
// The answer is a hint, never a correctness matter: a register the cache does not hold is read from
// the Lua stack, which then holds its value (regcache.ts's edge conversion stores it). So the
// analysis may say "live" whenever unsure, and it does: an instruction it does not model reads every
// register; a write counts (kills the register) only where the instruction writes it on every path.
// Registers an open upvalue may reach are the cache's business (rc_capture), not this file's.
//
// A backward dataflow over instructions, bit sets of ceil(nreg / 32) words per pc, repeated until
// nothing changes (a pass per nesting level of loops, about):
//     live(pc) = use(pc) ∪ (∪ live(s) for each successor s of pc) − def(pc)
// Invariant: after lv_compute, lv_live(pc, r) is true when R[r] may be read before written from pc.

import { OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C, GETARG_k } from "../vm/opcodes";
import { jumptarget } from "./loops";

let words = 0;               // u32 words per set
let nreg = 0;
let sets: usize = 0;         // ncode sets: live at each pc
let use: usize = 0, def: usize = 0, acc: usize = 0;   // one set each: the instruction's, scratch

// @ts-ignore: decorator
@inline function setat(pc: i32): usize { return sets + (<usize>(pc * words) << 2); }

function clear(s: usize): void { memory.fill(s, 0, <usize>words << 2); }
function add(s: usize, r: i32): void {
  if (r < 0 || r >= nreg) return;
  const at = s + (<usize>(r >> 5) << 2);
  store<u32>(at, load<u32>(at) | (<u32>1 << <u32>(r & 31)));
}
/** Adds R[from] .. R[to - 1] (clipped to the registers). */
function addrange(s: usize, from: i32, to: i32): void {
  if (to > nreg) to = nreg;
  for (let r = from; r < to; r++) add(s, r);
}

/**
 * use and def of the instruction at pc. Ranges that end at the stack top (B or C 0 in CALL,
 * RETURN, SETLIST ...) read every register from A on; unmodelled opcodes read all.
 */
function operands(code: usize, pc: i32): void {
  clear(use); clear(def);
  const i = load<u32>(code + (<usize>pc << 2));
  const op = GET_OPCODE(i), a = GETARG_A(i), b = GETARG_B(i), cc = GETARG_C(i), k = GETARG_k(i) != 0;
  switch (op) {
    case OP.MOVE: case OP.UNM: case OP.BNOT: case OP.NOT: case OP.LEN:
    case OP.GETI: case OP.GETFIELD:
    case OP.ADDI: case OP.ADDK: case OP.SUBK: case OP.MULK: case OP.MODK: case OP.POWK: case OP.DIVK:
    case OP.IDIVK: case OP.BANDK: case OP.BORK: case OP.BXORK: case OP.SHRI: case OP.SHLI:
      add(use, b); add(def, a); break;
    case OP.ADD: case OP.SUB: case OP.MUL: case OP.MOD: case OP.POW: case OP.DIV: case OP.IDIV:
    case OP.BAND: case OP.BOR: case OP.BXOR: case OP.SHL: case OP.SHR: case OP.GETTABLE:
      add(use, b); add(use, cc); add(def, a); break;
    case OP.LOADI: case OP.LOADF: case OP.LOADK: case OP.LOADKX: case OP.LOADFALSE: case OP.LFALSESKIP:
    case OP.LOADTRUE: case OP.GETUPVAL: case OP.GETTABUP: case OP.NEWTABLE: case OP.CLOSURE:
      add(def, a); break;
    case OP.LOADNIL: addrange(def, a, a + b + 1); break;
    case OP.SETUPVAL: case OP.TBC: case OP.TEST: case OP.RETURN1:
    case OP.EQK: case OP.EQI: case OP.LTI: case OP.LEI: case OP.GTI: case OP.GEI:
    case OP.MMBINI: case OP.MMBINK:
      add(use, a); break;
    case OP.EQ: case OP.LT: case OP.LE: case OP.MMBIN: add(use, a); add(use, b); break;
    case OP.TESTSET: add(use, b); break;               // (R[A] written on one path only)
    case OP.SETTABUP: if (!k) add(use, cc); break;
    case OP.SETTABLE: add(use, a); add(use, b); if (!k) add(use, cc); break;
    case OP.SETI: case OP.SETFIELD: add(use, a); if (!k) add(use, cc); break;
    case OP.SELF: add(use, b); if (!k) add(use, cc); add(def, a); add(def, a + 1); break;
    case OP.CONCAT: addrange(use, a, a + b); add(def, a); break;
    case OP.CALL:
      addrange(use, a, b > 0 ? a + b : nreg);
      if (cc > 0) addrange(def, a, a + cc - 1);
      break;
    case OP.TAILCALL: addrange(use, a, b > 0 ? a + b : nreg); break;
    case OP.RETURN: addrange(use, a, b > 0 ? a + b - 1 : nreg); break;
    case OP.SETLIST: addrange(use, a, b > 0 ? a + b + 1 : nreg); break;
    case OP.VARARG: if (cc > 0) addrange(def, a, a + cc - 1); break;
    case OP.FORLOOP: case OP.FORPREP: addrange(use, a, a + 3); break;   // (their writes are conditional)
    case OP.TFORPREP: case OP.TFORLOOP: addrange(use, a, a + 5); break;
    case OP.TFORCALL: addrange(use, a, a + 3); addrange(def, a + 4, a + 4 + cc); break;
    case OP.JMP: case OP.RETURN0: case OP.VARARGPREP: case OP.EXTRAARG: break;
    default: addrange(use, 0, nreg);                   // (CLOSE: closing reads the values it closes)
  }
}

/** live(pc) := use ∪ (live of its successors − def); whether it changed. */
function step(code: usize, ncode: i32, pc: i32): bool {
  operands(code, pc);
  clear(acc);
  const op = GET_OPCODE(load<u32>(code + (<usize>pc << 2)));
  // successors: the jump target (jit/loops.ts), and the next instruction unless control never
  // falls through (a conditional instruction's skip is pc + 2; pc + 1 is its JMP)
  let jump = jumptarget(code, pc), next = pc + 1;
  switch (op) {
    case OP.JMP: case OP.TFORPREP: case OP.LFALSESKIP:
    case OP.RETURN: case OP.RETURN0: case OP.RETURN1: case OP.TAILCALL: next = -1; break;
    case OP.EQ: case OP.LT: case OP.LE: case OP.EQK: case OP.EQI: case OP.LTI: case OP.LEI:
    case OP.GTI: case OP.GEI: case OP.TEST: case OP.TESTSET: jump = pc + 2; break;
  }
  for (let k = 0; k < words; k++) {
    const o = <usize>k << 2;
    let out: u32 = 0;
    if (next >= 0 && next < ncode) out |= load<u32>(setat(next) + o);
    if (jump >= 0 && jump < ncode) out |= load<u32>(setat(jump) + o);
    store<u32>(acc + o, load<u32>(use + o) | (out & ~load<u32>(def + o)));
  }
  const at = setat(pc);
  if (memory.compare(at, acc, <usize>words << 2) == 0) return false;
  memory.copy(at, acc, <usize>words << 2);
  return true;
}

/** Computes the live registers at every pc of `ncode` instructions at `code` with `nregs` registers. */
export function lv_compute(code: usize, ncode: i32, nregs: i32): void {
  lv_free();
  nreg = nregs; words = (nregs + 31) >> 5;
  if (words == 0) words = 1;
  const bytes = <usize>words << 2;
  sets = heap.alloc(<usize>ncode * bytes); memory.fill(sets, 0, <usize>ncode * bytes);
  use = heap.alloc(bytes); def = heap.alloc(bytes); acc = heap.alloc(bytes);
  for (let changed = true; changed;) {
    changed = false;
    for (let pc = ncode - 1; pc >= 0; pc--) if (step(code, ncode, pc)) changed = true;
  }
}

/** Whether R[r] may be read before it is written, from the instruction at pc on. */
export function lv_live(pc: i32, r: i32): bool {
  return (load<u32>(setat(pc) + (<usize>(r >> 5) << 2)) >> <u32>(r & 31) & 1) != 0;
}

export function lv_free(): void {
  if (sets == 0) return;
  heap.free(sets); heap.free(use); heap.free(def); heap.free(acc);
  sets = 0;
}
