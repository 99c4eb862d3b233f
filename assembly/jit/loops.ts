// loops.ts - the baseline JIT's loops: which blocks of a prototype form loops that compiled code
// runs as wasm `loop`s (a back-edge is then one `br`, and V8 keeps a loop's values in machine
// registers), and the stack of labels jit/compile.ts branches to.
//
// A loop is a header block h (the target of some backward jump) and the blocks up to its tail
// (the last block with a backward jump to h). compile.ts emits it as
//     loop $h  block $T … block $h+1   code of h  end code of h+1 … end code of T  end
// inside the labels of the level around it, whose labels for blocks h+1 … T it closes before the
// `loop` (empty: they would lead to the loop's start, and nothing branches to them). That shape
// holds when the loops nest (two loops are disjoint or one contains the other) and every edge into
// a loop comes through its header (a forward edge into a loop's interior comes from inside it):
// Lua's own loops always; a `goto` can make others, and then lp_find fails and compile.ts keeps
// its dispatch for backward jumps. A block strictly inside a loop cannot be reached by the
// dispatch (its labels are the outermost level's): the entry points are the blocks outside every
// loop and the loop headers, an inner one through a ladder (jit/compile.ts) at the top of each loop
// around it, which the entry passes once.
// Invariant: after lp_find succeeded, tail(h) >= h for every header h, -1 for other blocks; the label
// stack mirrors the wasm labels open at the point being emitted (structured ones: blocks and loops).

import { OP, GET_OPCODE, GETARG_sJ, GETARG_Bx } from "../vm/opcodes";

let nblk = 0;
let tails: usize = 0;        // i32 per block: the tail block of the loop headed there, or -1
let inside: usize = 0;       // u8 per block: strictly inside some loop (entered only through a ladder)
let parent: usize = 0;       // i32 per block: the header of the innermost loop it is strictly inside, or -1

// @ts-ignore: decorator
@inline function blk(blockof: usize, pc: i32): i32 { return load<i32>(blockof + (<usize>pc << 2)); }
// @ts-ignore: decorator
@inline function tailof(j: i32): i32 { return load<i32>(tails + (<usize>j << 2)); }

/**
 * The jump target of the instruction at pc, or -1. (A conditional instruction's jump is the JMP
 * after it, met at pc + 1.) jit/liveness.ts reads the successors from it too.
 */
export function jumptarget(code: usize, pc: i32): i32 {
  const i = load<u32>(code + (<usize>pc << 2));
  const op = GET_OPCODE(i);
  if (op == OP.JMP) return pc + 1 + GETARG_sJ(i);
  if (op == OP.FORPREP) return pc + GETARG_Bx(i) + 2;
  if (op == OP.FORLOOP || op == OP.TFORLOOP) return pc + 1 - GETARG_Bx(i);
  if (op == OP.TFORPREP) return pc + GETARG_Bx(i) + 1;
  if (op == OP.LFALSESKIP) return pc + 2;
  return -1;
}

/**
 * Finds the loops of `ncode` instructions at `code` whose leaders (u8 per pc) and block indexes
 * (i32 per leader) compile.ts found; false when they do not have the shape above.
 */
export function lp_find(code: usize, ncode: i32, leader: usize, blockof: usize, nblocks: i32): bool {
  lp_free();
  nblk = nblocks;
  tails = heap.alloc(<usize>nblocks << 2);
  inside = heap.alloc(<usize>nblocks);
  memory.fill(inside, 0, <usize>nblocks);
  parent = heap.alloc(<usize>nblocks << 2);
  for (let j = 0; j < nblocks; j++) { store<i32>(tails + (<usize>j << 2), -1); store<i32>(parent + (<usize>j << 2), -1); }
  let cur = 0;                                         // the block of pc
  // pass 1: back-edges give the loops
  for (let pc = 0; pc < ncode; pc++) {
    if (load<u8>(leader + <usize>pc) != 0) cur = blk(blockof, pc);
    const t = jumptarget(code, pc);
    if (t < 0 || t >= ncode || load<u8>(leader + <usize>t) == 0) continue;
    const tb = blk(blockof, t);
    if (tb <= cur && tailof(tb) < cur) store<i32>(tails + (<usize>tb << 2), cur);
  }
  // nesting: two loops are disjoint or nested
  for (let h = 0; h < nblocks; h++) {
    const t = tailof(h);
    if (t < 0) continue;
    for (let k = h + 1; k <= t; k++) {
      store<u8>(inside + <usize>k, 1);
      store<i32>(parent + (<usize>k << 2), h);          // (inner loops come later and overwrite: innermost)
      const t2 = tailof(k);
      if (t2 >= 0 && t2 > t) return false;             // overlapping, not nested
    }
  }
  // pass 2: every forward edge into a loop's interior comes from inside that loop
  cur = 0;
  for (let pc = 0; pc < ncode; pc++) {
    if (load<u8>(leader + <usize>pc) != 0) cur = blk(blockof, pc);
    const t = jumptarget(code, pc);
    if (t < 0 || t >= ncode || load<u8>(leader + <usize>t) == 0) continue;
    const tb = blk(blockof, t);
    if (tb <= cur) continue;
    for (let h = 0; h < tb; h++) {
      const tl = tailof(h);
      if (tl >= tb && cur < h) return false;           // enters loop h past its header
    }
  }
  return true;
}

export function lp_free(): void {
  if (tails != 0) { heap.free(tails); tails = 0; }
  if (inside != 0) { heap.free(inside); inside = 0; }
  if (parent != 0) { heap.free(parent); parent = 0; }
  nblk = 0;
}

/** The tail block of the loop whose header is block j, or -1 (not a header). */
export function lp_tail(j: i32): i32 { return tails == 0 ? -1 : tailof(j); }

/** Whether block j lies strictly inside a loop (past its header): no dispatch label reaches it. */
export function lp_inside(j: i32): bool { return inside != 0 && load<u8>(inside + <usize>j) != 0; }

/** The header of the innermost loop block j lies strictly inside, or -1. */
export function lp_parent(j: i32): i32 { return parent == 0 ? -1 : load<i32>(parent + (<usize>j << 2)); }

/** The loop header among block j's ancestors (or j itself) whose parent is h: the child of loop h on the way to j; -1 when j is not inside h. */
export function lp_childof(h: i32, j: i32): i32 {
  let k = j;
  while (k >= 0 && lp_parent(k) != h) k = lp_parent(k);
  return k;
}

/** The outermost loop header containing block j, or j when no loop contains it. */
export function lp_outermost(j: i32): i32 {
  let k = j;
  while (lp_parent(k) >= 0) k = lp_parent(k);
  return k;
}

// ==== The label stack ====

// @ts-ignore: decorator
@inline export const LB_BLOCK: i32 = 1;
// @ts-ignore: decorator
@inline export const LB_LOOP: i32 = 2;
// @ts-ignore: decorator
@inline const LB_MAX: i32 = 1 << 14;

const labels: usize = memory.data(LB_MAX << 2);
let nlabels = 0;
/** More labels than the stack holds were pushed: the compile is abandoned (lb_overflow). */
let overflow = false;

export function lb_reset(): void { nlabels = 0; overflow = false; }
export function lb_overflow(): bool { return overflow; }

/** A structured label opens: a block ending where block `id` starts, or the loop headed by block `id`. */
export function lb_push(kind: i32, id: i32): void {
  if (nlabels >= LB_MAX) { overflow = true; return; }
  store<i32>(labels + (<usize>nlabels << 2), (kind << 24) | id);
  nlabels++;
}

/** The innermost label closes; returns it as pushed ((kind << 24) | id), or -1. */
export function lb_pop(): i32 {
  if (nlabels == 0) return -1;
  nlabels--;
  return load<i32>(labels + (<usize>nlabels << 2));
}

/** The innermost label's id when it is of `kind`, else -1. */
export function lb_top(kind: i32): i32 {
  if (nlabels == 0) return -1;
  const e = load<i32>(labels + (<usize>(nlabels - 1) << 2));
  return (e >> 24) == kind ? e & 0xFFFFFF : -1;
}

/** Structured labels between the innermost and the label (kind, id), or -1 when it is not open. */
export function lb_depth(kind: i32, id: i32): i32 {
  const want = (kind << 24) | id;
  for (let k = nlabels - 1; k >= 0; k--) {
    if (load<i32>(labels + (<usize>k << 2)) == want) return nlabels - 1 - k;
  }
  return -1;
}
