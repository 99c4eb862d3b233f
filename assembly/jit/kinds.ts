// kinds.ts - what the baseline JIT knows, while it writes a block, of the kind of value each register
// holds: the kinds it may be, as bits (an integer, a float, anything else). jit/arith.ts reads them
// to leave out the tag tests and paths that cannot happen, and the exit when both operands of an
// arithmetic unit are numbers (an exit stores the registers the cache holds dirty: in a long float
// loop, most of its bytes).
//
// Knowledge starts empty at every block's start (an edge, a loop's back-edge or an entry from the
// interpreter may bring anything) and grows within the block, unit by unit (compile.ts unit: the
// registers a unit writes are forgotten, then what it noted is learnt): what a unit wrote (an
// integer constant, the result of arithmetic on known kinds, a copy) and what its guards proved (an
// operand that got past an arithmetic unit is a number, since anything else exits there). Lua code
// run by a helper in between can change a register of this frame in two ways only: through an open
// upvalue (registers a CLOSURE of this prototype captures are never known) or debug.setlocal, after
// which compiled code exits at the next instruction (emit.ts exitifwritten, emitted after every
// helper that returns into the unit while anything is known). That test reads the frame-write count
// the register cache keeps at entry, so without the cache, and after a call that returns without
// the test (a CALL, TFORCALL or TAILCALL of the general path), a unit that may run Lua code forgets
// everything (compile.ts forgetwrites).
// Invariant: where kind(r) lacks a bit, no path of compiled code reaching that point leaves a value
// of that kind in R[r].

import { ttisinteger, ttisfloat } from "../object/value";

/** Kind bits: R[r] may be an integer, a float, anything else. */
// @ts-ignore: decorator
@inline export const KT_INT: u8 = 1;
// @ts-ignore: decorator
@inline export const KT_FLT: u8 = 2;
// @ts-ignore: decorator
@inline export const KT_OTHER: u8 = 4;
/** A number of either kind; nothing known. */
// @ts-ignore: decorator
@inline export const KT_NUM: u8 = 3;
// @ts-ignore: decorator
@inline export const KT_ANY: u8 = 7;

let nreg = 0;
let kinds: usize = 0;                // u8 per register: its kind bits here
let captured: usize = 0;             // u8 per register: an open upvalue may reach it (never known)
let notes: usize = 0, nnotes = 0;    // (register, kind) pairs the current unit learnt, in order
let known = 0;                       // registers whose kind is not KT_ANY

/** Starts a function of `nregs` registers: nothing known, nothing captured. */
export function kt_begin(nregs: i32): void {
  nreg = nregs;
  const n: usize = nregs > 0 ? <usize>nregs : 1;
  kinds = heap.alloc(n); memory.fill(kinds, KT_ANY, n);
  captured = heap.alloc(n); memory.fill(captured, 0, n);
  notes = heap.alloc(n << 2); nnotes = 0;
  known = 0;
}

export function kt_end(): void {
  heap.free(kinds); heap.free(captured); heap.free(notes);
  kinds = 0; captured = 0; notes = 0; nreg = 0; known = 0;
}

/** R[r] may be reached by an open upvalue (a CLOSURE of this prototype captures it). */
export function kt_capture(r: i32): void { if (r >= 0 && r < nreg) store<u8>(captured + <usize>r, 1); }

/** A block starts: nothing is known. */
export function kt_reset(): void {
  if (known == 0) return;
  memory.fill(kinds, KT_ANY, <usize>nreg);
  known = 0;
}

/** Whether some register's kind is known (helpers must then test for debug.setlocal: see the header). */
export function kt_known(): bool { return known > 0; }

/** The kind bits of R[r] here. */
export function kt(r: i32): u8 { return r >= 0 && r < nreg ? load<u8>(kinds + <usize>r) : KT_ANY; }

/** The kind of constant K at address `k`. */
export function kt_const(k: usize): u8 { return ttisinteger(k) ? KT_INT : ttisfloat(k) ? KT_FLT : KT_OTHER; }

function set(r: i32, k: u8): void {
  if (r < 0 || r >= nreg || load<u8>(captured + <usize>r) != 0) return;
  const was = load<u8>(kinds + <usize>r);
  if (was == k) return;
  if (was == KT_ANY) known++;
  else if (k == KT_ANY) known--;
  store<u8>(kinds + <usize>r, k);
}

/** R[r] is of kind `k` from here (a block's start: compile.ts forbody). */
export function kt_set(r: i32, k: u8): void { set(r, k); }

/** The current unit learnt that R[r] is of kind `k` after it (applied by kt_unitend, in order). */
export function kt_note(r: i32, k: u8): void {
  if (r < 0 || r >= nreg || k == 0 || nnotes >= nreg * 2) return;   // (0: the unit never goes on)
  store<u16>(notes + (<usize>nnotes << 1), <u16>(<u32>r << 3 | <u32>k));
  nnotes++;
}

/** A unit starts: it has learnt nothing yet. */
export function kt_unitbegin(): void { nnotes = 0; }

/**
 * The unit ended: R[first] .. R[first + n - 1], what it may have written (n < 0: any register at or
 * above `first`), are forgotten, then what it noted is learnt.
 */
export function kt_unitend(first: i32, n: i32): void {
  const last = n < 0 ? nreg : first + n;
  for (let r = first < 0 ? 0 : first; r < last && r < nreg; r++) set(r, KT_ANY);
  for (let j = 0; j < nnotes; j++) {
    const e = <u32>load<u16>(notes + (<usize>j << 1));
    set(<i32>(e >> 3), <u8>(e & 7));
  }
  nnotes = 0;
}
