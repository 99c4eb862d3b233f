// regcache.ts - the baseline JIT's registers: how compiled code (jit/compile.ts) reads and writes
// R[r], and, in a function with loops, the register cache that keeps registers in wasm locals.
//
// Without the cache every access is a load or store of the TValue in the Lua stack at BASE. With
// it, R[r] has three locals: its tag (i32), its payload (i64: integers, pointers, booleans' nothing,
// and a float's bits) and its float (f64, meaningful when the tag says float), so arithmetic in a
// loop runs on locals (V8 keeps them in machine registers) and the Lua stack is written only where
// the interpreter, the collector or a helper could look at it. At each point of the compiled code a
// register is, at compile time,
//     invalid             its locals mean nothing; the Lua stack holds the value;
//     valid and clean     locals and stack hold the same value;
//     valid and dirty     the locals hold the value and the stack an older one.
// Units (jit/compile.ts) are "aware" or not. An aware unit (moves, constants, arithmetic,
// comparisons, numeric for loops, and the table loads: no helper on their fast path) loads the
// operands it reads into locals first (rc_use, before any branch, so every path sees them valid),
// reads locals, and writes locals; its writes are pending until the unit ends (rc_unitend), so a
// path of the unit never reads a local another path wrote. Any other unit first stores every dirty
// register (rc_flushall) and runs on the stack as without the cache; after it, what it wrote is
// invalid, and so is everything unless each helper call it makes is followed by rc_afterhelper.
// A table load's slow half (a helper that may allocate, run Lua code or move the stack) is
// bracketed by rc_slowbegin, which stores the dirty registers of the state (the collector and that
// Lua code see the stack only), and rc_slowend, which loads again what rc_afterhelper would and the
// unit's writes, so that both halves reach the unit's end with the same locals meaning the same
// registers (and an exit on debug.setlocal between them, as below). A helper may run Lua code, and
// that code can change a register of this frame in two ways only: through an open upvalue (the
// registers some CLOSURE of this prototype captures: rc_capture; rc_afterhelper reloads those) or
// debug.setlocal (which bumps vm/tier.ts's frame-write count: compiled code that sees the count
// changed across the call exits at the next instruction, the stack being right after the flush).
// An exit stores the dirty registers first (rc_exitflush): the interpreter then finds the stack
// exactly as its own code would have left it.
// Control flow: each block has an entry state, and every edge into it (a fall-through, a jump, a
// loop's back-edge through the dispatch, an entry from the interpreter through its stub) converts
// the state it has into that one (rc_edge): a dirty register the block does not expect valid, or
// expects clean, is stored; a register the block expects valid and the edge lacks is loaded. That
// conversion makes any choice of entry states correct; the states are only chosen to be cheap:
// compile.ts emits the function into a scratch buffer a few times, recording at each edge the state it
// carries, until the entry states stop changing: a block's entry state is what all its incoming
// edges agree on (registers valid on all of them, dirty on any), except that a loop header takes
// the registers valid on its back-edges, which its entry edges then load once per loop, and dirty
// on them: its entry edges store the others once per loop, so a register the loop only reads (set
// before it) is not stored again at each exit and helper call inside it (nbody's advance: 8% less
// code).
// Write-through: a register left dirty is stored at every exit, slow half and call it reaches
// before it is clean again, and in a long loop body of float arithmetic (nbody's advance) those
// stores were half the module's bytes, which V8's optimizing compile then took time over (a
// module's first run waits for it in baseline code). So the analysis passes also count, for each
// unit, the places (flush sites) that store a register its write made dirty (`origin`: the
// unit's pc, carried into a block's entry from the edges that make the register dirty there);
// a unit counted at WT_FLUSHES or more, inside a loop long enough that a store pair per write
// costs little beside its body (compile.ts bigloops: rc_maywritethrough), then stores what it
// writes at once as well (its registers valid and clean after it). nbody's advance: 32.5 to
// 21.2 KB, 3-10% faster; a short loop (loop.lua's, mandel's) keeps its registers dirty.
// Invariant: dirty implies valid; at a unit boundary the stack holds every invalid register's value.

import * as w from "./wasmgen";
import { WBuf, FuncBody } from "./wasmgen";
import { TV_TT_OFFSET, TV_VALUE_OFFSET, LUA_VNUMINT, LUA_VNUMFLT } from "../object/value";
import { jitframewritesp } from "../vm/tier";

// @ts-ignore: decorator
@inline export function roff(r: i32): u32 { return <u32>r << 4; }

/** Flush sites (counted in one analysis pass) from which a unit's writes go through. */
// @ts-ignore: decorator
@inline const WT_FLUSHES: i32 = 4;
// A unit's write-through state (`through`): not allowed, allowed (rc_maywritethrough), decided.
// @ts-ignore: decorator
@inline const WT_NO: u8 = 0;
// @ts-ignore: decorator
@inline const WT_MAY: u8 = 1;
// @ts-ignore: decorator
@inline const WT_YES: u8 = 2;
/** An unknown origin (object/func.ts MAXCODE keeps a pc within an i16). */
// @ts-ignore: decorator
@inline const NO_ORIGIN: i16 = -1;

let c: WBuf = changetype<WBuf>(0);   // the code being written
let BASE: i32 = 0;                   // the local holding R[0]'s address
let on = false;                      // the cache is used for this function
let nreg = 0;                        // registers (the prototype's maxstacksize)
let RT = 0, RI = 0, RF = 0;          // first tag, payload and float locals (R[r]'s: + r)
let valid: usize = 0, dirty: usize = 0;   // u8 per register: the state here
let captured: usize = 0;             // u8 per register: an open upvalue may reach it (rc_capture)
let live: usize = 0;                 // u8 per block and register: may be read before written from the block's start (rc_dead)
let FW = 0;                          // the local holding vm/tier.ts's frame-write count at entry
let saved: usize = 0;                // rc_edgebegin's copy of valid and dirty
let slowdirty: usize = 0;            // rc_slowbegin's copy of dirty
let pend: usize = 0, npend = 0;      // registers the current aware unit has written (u8 each)
let aware = false;                   // the current unit is aware
let mfirst = 0, mn = 0;              // … and writes R[mfirst] .. R[mfirst + mn - 1] to the stack (rc_memdest)
let nblock = 0;
let tvalid: usize = 0, tdirty: usize = 0;      // entry states in use (nblock * nreg each)
let fvalid: usize = 0, fdirty: usize = 0;      // recorded this pass: forward edges' meet
let bvalid: usize = 0, bdirty: usize = 0;      // … back-edges' meet
let fknown: usize = 0, bknown: usize = 0;      // u8 per block: some edge recorded
let recording = false;               // an analysis pass: edges are recorded
let ncodes = 0;                      // instructions of the function
let curpc = -1;                      // the unit being written
let origin: usize = 0;               // i16 per register: the pc of the unit whose write made it dirty, or NO_ORIGIN
let torigin: usize = 0;              // i16 per block and register: the origin at its entry
let forigin: usize = 0, borigin: usize = 0;    // recorded this pass: forward edges' and back-edges' (agreeing, else NO_ORIGIN)
let savedorigin: usize = 0;          // rc_edgebegin's copy of origin
let flushes: usize = 0;              // i32 per pc: flush sites that stored a register its unit made dirty (this pass)
let stamp: usize = 0;                // i32 per pc: the flush site that counted it last (a site counts a unit once)
let site = 0;                        // flush sites so far
let through: usize = 0;              // u8 per pc: WT_NO, WT_MAY or WT_YES

/** Whether the cache is on for the function being compiled. */
export function rc_on(): bool { return on; }

/** Whether the unit being written is aware (the cache on). */
export function rc_aware(): bool { return on && aware; }

/**
 * Starts a function: its body `f` (the cache's locals are added to it when `enable`), `nregs`
 * registers, `nblocks` blocks. Entry states start as "nothing valid" (the code without the cache).
 */
export function rc_begin(f: FuncBody, base: i32, nregs: i32, nblocks: i32, ncode: i32, enable: bool): void {
  BASE = base; on = enable; nreg = nregs; nblock = nblocks; aware = false; npend = 0; ncodes = ncode; curpc = -1;
  fwdreg = -1;
  if (!on) { FWT = w.fb_local(f, w.WT_I32); FWV = w.fb_local(f, w.WT_I64); return; }
  RT = w.fb_local(f, w.WT_I32);
  for (let r = 1; r < nreg; r++) w.fb_local(f, w.WT_I32);
  RI = w.fb_local(f, w.WT_I64);
  for (let r = 1; r < nreg; r++) w.fb_local(f, w.WT_I64);
  RF = w.fb_local(f, w.WT_F64);
  for (let r = 1; r < nreg; r++) w.fb_local(f, w.WT_F64);
  const n = <usize>nreg, nb = <usize>nblock * n;
  FW = w.fb_local(f, w.WT_I32);
  valid = zalloc(n); dirty = zalloc(n); saved = zalloc(n << 1); pend = zalloc(n); captured = zalloc(n);
  slowdirty = zalloc(n);
  tvalid = zalloc(nb); tdirty = zalloc(nb); fvalid = zalloc(nb); fdirty = zalloc(nb);
  bvalid = zalloc(nb); bdirty = zalloc(nb); fknown = zalloc(<usize>nblock); bknown = zalloc(<usize>nblock);
  live = heap.alloc(nb > 0 ? nb : 1); memory.fill(live, 1, nb);
  origin = zalloc(n << 1); torigin = zalloc(nb << 1); forigin = zalloc(nb << 1); borigin = zalloc(nb << 1);
  savedorigin = zalloc(n << 1);
  memory.fill(torigin, 0xFF, nb << 1);                 // (NO_ORIGIN)
  flushes = zalloc(<usize>ncode << 2); stamp = zalloc(<usize>ncode << 2);
  through = heap.alloc(ncode > 0 ? <usize>ncode : 1); memory.fill(through, WT_NO, <usize>ncode);
  site = 0;
}

function zalloc(n: usize): usize {
  const p = heap.alloc(n > 0 ? n : 1);
  memory.fill(p, 0, n);
  return p;
}

export function rc_end(): void {
  if (!on) return;
  heap.free(valid); heap.free(dirty); heap.free(saved); heap.free(pend); heap.free(captured);
  heap.free(slowdirty);
  heap.free(tvalid); heap.free(tdirty); heap.free(fvalid); heap.free(fdirty);
  heap.free(bvalid); heap.free(bdirty); heap.free(fknown); heap.free(bknown); heap.free(live);
  heap.free(origin); heap.free(torigin); heap.free(forigin); heap.free(borigin); heap.free(savedorigin);
  heap.free(flushes); heap.free(stamp); heap.free(through);
  on = false;
}

/** The buffer code is written to (the scratch buffer of an analysis pass, or the body). */
export function rc_setcode(code: WBuf): void { c = code; }

/** Starts a pass over the blocks; an analysis pass (`record`) records the edges' states. */
export function rc_pass(record: boolean): void {
  recording = record && on;
  if (!recording) return;
  const nb = <usize>nblock * <usize>nreg;
  memory.fill(fknown, 0, <usize>nblock); memory.fill(bknown, 0, <usize>nblock);
  memory.fill(fvalid, 0, nb); memory.fill(fdirty, 0, nb); memory.fill(bvalid, 0, nb); memory.fill(bdirty, 0, nb);
  memory.fill(flushes, 0, <usize>ncodes << 2);
}

/**
 * After an analysis pass: each block's entry state from the edges recorded, and the units that
 * write through from now on (WT_MAY counted at WT_FLUSHES flush sites); whether any changed.
 * (Each pass carries what the previous one learnt one block further, from "nothing valid" up.) A loop header (a block
 * some back-edge enters) expects the registers valid on all its back-edges that are live there
 * (rc_dead) or captured, and dirty where dirty on any back-edge; any other block those valid on
 * all its edges, dirty where dirty on any of them.
 */
export function rc_settle(): bool {
  if (!on) return false;
  let changed = false;
  for (let j = 0; j < nblock; j++) {
    const o = <usize>j * <usize>nreg;
    const hasback = load<u8>(bknown + <usize>j) != 0, hasfwd = load<u8>(fknown + <usize>j) != 0;
    for (let r = 0; r < nreg; r++) {
      const at = o + <usize>r;
      let v: u8 = 0, d: u8 = 0, from: i16 = NO_ORIGIN;
      if (hasback) {
        v = load<u8>(bvalid + at) & (load<u8>(live + at) | load<u8>(captured + <usize>r));
        d = load<u8>(bdirty + at);                       // (an entry edge stores what it has dirty)
        from = load<i16>(borigin + (at << 1));
      } else if (hasfwd) {
        v = load<u8>(fvalid + at); d = load<u8>(fdirty + at);
        from = load<i16>(forigin + (at << 1));
      }
      if (load<u8>(tvalid + at) != v || load<u8>(tdirty + at) != (v & d)) changed = true;
      store<u8>(tvalid + at, v); store<u8>(tdirty + at, v & d);
      store<i16>(torigin + (at << 1), (v & d) != 0 ? from : NO_ORIGIN);
    }
  }
  for (let pc = 0; pc < ncodes; pc++) {
    if (load<u8>(through + <usize>pc) == WT_MAY && load<i32>(flushes + (<usize>pc << 2)) >= WT_FLUSHES) {
      store<u8>(through + <usize>pc, WT_YES);
      changed = true;
    }
  }
  return changed;
}

// ==== State ====

// @ts-ignore: decorator
@inline function isvalid(r: i32): bool { return load<u8>(valid + <usize>r) != 0; }
// @ts-ignore: decorator
@inline function isdirty(r: i32): bool { return load<u8>(dirty + <usize>r) != 0; }
function pending(r: i32): bool {
  for (let k = 0; k < npend; k++) if (load<u8>(pend + <usize>k) == <u8>r) return true;
  return false;
}
/** Whether reads of R[r] in the current unit go to its locals. */
function inlocal(r: i32): bool { return on && aware && (isvalid(r) || pending(r)); }
/** Whether writes of R[r] in the current unit go to its locals. */
function writelocal(r: i32): bool { return on && aware && r < nreg && (r < mfirst || r >= mfirst + mn); }
function addpending(r: i32): void {
  if (!pending(r)) { store<u8>(pend + <usize>npend, <u8>r); npend++; }
}

/** Block j starts: the state is its entry state. */
export function rc_blockstart(j: i32): void {
  if (!on) return;
  const o = <usize>j * <usize>nreg;
  memory.copy(valid, tvalid + o, <usize>nreg);
  memory.copy(dirty, tdirty + o, <usize>nreg);
  memory.copy(origin, torigin + (o << 1), <usize>nreg << 1);
}

/** The unit at pc starts: an aware one loads its operands later (rc_use); any other stores every dirty register. */
export function rc_unitbegin(isaware: bool, pc: i32): void {
  curpc = pc;
  npend = 0;
  mn = 0;
  aware = isaware;
  if (on && !isaware) rc_flushall();
}

/**
 * The unit ended and control goes on after it: an aware unit's writes take effect (dirty, or stored
 * and clean when it writes through). Any other unit
 * ran on the stack: registers first .. first + n - 1 (what it writes) become invalid, or all of them
 * when n < 0 (it may have changed others without reloading them: rc_afterhelper).
 */
export function rc_unitend(first: i32, n: i32): void {
  if (!on) return;
  if (aware) {
    takewrites();
    for (let r = mfirst; r < mfirst + mn; r++) { store<u8>(valid + <usize>r, 0); store<u8>(dirty + <usize>r, 0); }
  } else if (n < 0) {
    memory.fill(valid, 0, <usize>nreg); memory.fill(dirty, 0, <usize>nreg);
  } else {
    for (let r = first; r < first + n && r < nreg; r++) { store<u8>(valid + <usize>r, 0); store<u8>(dirty + <usize>r, 0); }
  }
  npend = 0;
  aware = false;
  mn = 0;
}

/**
 * The current unit's pending writes take effect on this path: valid, and dirty since this unit, or
 * stored now and clean when it writes through.
 */
function takewrites(): void {
  const wt = curpc >= 0 && load<u8>(through + <usize>curpc) == WT_YES;
  for (let k = 0; k < npend; k++) {
    const r = <i32>load<u8>(pend + <usize>k);
    if (wt) storereg(r);
    store<u8>(valid + <usize>r, 1); store<u8>(dirty + <usize>r, wt ? 0 : 1);
    store<i16>(origin + (<usize>r << 1), <i16>curpc);
  }
}

/**
 * The unit at pc may write through (compile.ts bigloops: it is inside a long loop); it will when
 * the analysis passes count it at WT_FLUSHES flush sites.
 */
export function rc_maywritethrough(pc: i32): void {
  if (on && pc >= 0 && pc < ncodes) store<u8>(through + <usize>pc, WT_MAY);
}

/**
 * A flush site (each starts with `site++`) stores R[r]: the unit whose write made it dirty is
 * counted (once a site) in an analysis pass.
 */
function flushed(r: i32): void {
  if (!recording) return;
  const o = <usize>load<i16>(origin + (<usize>r << 1));
  if (<isize>o < 0 || load<i32>(stamp + (o << 2)) == site) return;
  store<i32>(stamp + (o << 2), site);
  store<i32>(flushes + (o << 2), load<i32>(flushes + (o << 2)) + 1);
}

/**
 * R[r] may be reached by an open upvalue: a CLOSURE of this prototype captures it (the only way an
 * upvalue comes to point into this frame), so Lua code run by a helper may write it.
 */
export function rc_capture(r: i32): void { if (on && r < nreg) store<u8>(captured + <usize>r, 1); }

/**
 * R[r] is dead at block j's start (jit/liveness.ts: written before it is read on every path from
 * there). A loop header then does not hold it in locals: the back-edge stores it if dirty, and V8
 * need not keep its value through the loop.
 */
export function rc_dead(j: i32, r: i32): void {
  if (on && r < nreg) store<u8>(live + <usize>j * <usize>nreg + <usize>r, 0);
}

/** At entry: FW := the frame-write count (vm/tier.ts jitframewritesp: debug.setlocal bumps it). */
export function rc_prologue(): void {
  if (!on) return;
  w.emit_i32_const(c, <i32>jitframewritesp); w.emit_load(c, w.OP_I32_LOAD, 2, 0); w.emit_local_set(c, FW);
}

/**
 * Whether the current unit is aware (`inaware`) or not, as asked, and some register is valid in
 * locals: after a helper, whether debug.setlocal could have made anything stale (then compiled code
 * tests rc_framewritten and exits) and whether rc_afterhelper or rc_slowend have work.
 */
export function rc_anyvalid(inaware: bool): bool {
  if (!on || aware != inaware) return false;
  for (let r = 0; r < nreg; r++) if (isvalid(r)) return true;
  return false;
}

/** Pushes whether debug.setlocal ran since entry (the locals may then be stale: compiled code exits). */
export function rc_framewritten(): void {
  w.emit_i32_const(c, <i32>jitframewritesp); w.emit_load(c, w.OP_I32_LOAD, 2, 0);
  w.emit_local_get(c, FW); w.emit_op(c, w.OP_I32_NE);
}

/**
 * A helper returned into a unit that is not aware (its state is clean: rc_flushall) and debug.setlocal
 * did not run (rc_framewritten, tested by the caller): the valid registers an open upvalue may
 * reach are loaded again, since Lua code the helper ran (a metamethod, a finalizer) may have
 * written them; the others still hold what the stack holds.
 */
export function rc_afterhelper(): void {
  if (!on || aware) return;
  for (let r = 0; r < nreg; r++) if (isvalid(r) && load<u8>(captured + <usize>r) != 0) loadreg(r);
}

/**
 * An aware unit's slow half starts (before ci.savedpc and the helper call): stores every register
 * dirty in the state, which is the state before the unit (the fast path branches to the slow half
 * before it writes anything, so the locals of those registers still hold their values), and marks
 * them clean until rc_slowend: the helper may collect (the collector sees the stack only) or run
 * Lua code that reads this frame, and an exit on its answer (HELPER_SLOW, rc_exitflush) then
 * stores nothing over what that code may have changed.
 */
export function rc_slowbegin(): void {
  if (!on || !aware) return;
  memory.copy(slowdirty, dirty, <usize>nreg);
  site++;
  for (let r = 0; r < nreg; r++) {
    if (isdirty(r)) { flushed(r); storereg(r); store<u8>(dirty + <usize>r, 0); }
  }
}

/**
 * The helper of an aware unit's slow half returned (BASE re-read, debug.setlocal did not run):
 * loads again the valid registers an open upvalue may reach (Lua code it ran, a metamethod, may
 * have written them; the others hold what rc_slowbegin left on the stack) and the registers the
 * helper wrote, R[first] .. R[first + n - 1] (the unit's pending writes, or, without a fast path,
 * registers valid before it), and restores the dirty set, so that this path and the fast one reach
 * the unit's end (rc_unitend: the writes valid and dirty) alike; a register dirty in the state but
 * clean on this path is stored once more where it is stored, which is harmless.
 */
export function rc_slowend(first: i32, n: i32): void {
  if (!on || !aware) return;
  for (let r = 0; r < nreg; r++) {
    const written = r >= first && r < first + n;
    if ((isvalid(r) && (written || load<u8>(captured + <usize>r) != 0)) || pending(r)) loadreg(r);
  }
  memory.copy(dirty, slowdirty, <usize>nreg);
}

/**
 * The current aware unit writes R[first] .. R[first + n - 1] to the stack, not to their locals (a
 * table load whose results a call reads from the stack: its function, self or arguments); they are
 * invalid after it. Call before the unit's code.
 */
export function rc_memdest(first: i32, n: i32): void {
  if (on && aware) { mfirst = first; mn = first + n <= nreg ? n : 0; }
}

/** An aware unit's writes so far do not continue past it (they were for a jump it took: TESTSET, FORLOOP). */
export function rc_droppending(): void { npend = 0; }

/** An aware unit reads R[r]: loads it into its locals unless they hold it (call before any branch). */
export function rc_use(r: i32): void {
  if (!on || !aware || r >= nreg || isvalid(r) || pending(r)) return;
  loadreg(r);
  store<u8>(valid + <usize>r, 1);
}

function loadreg(r: i32): void {
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(r) + TV_TT_OFFSET); w.emit_local_set(c, RT + r);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(r) + TV_VALUE_OFFSET); w.emit_local_set(c, RI + r);
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_F64_LOAD, 3, roff(r) + TV_VALUE_OFFSET); w.emit_local_set(c, RF + r);
}

function storereg(r: i32): void {
  w.emit_local_get(c, BASE); w.emit_local_get(c, RT + r); w.emit_store(c, w.OP_I32_STORE, 2, roff(r) + TV_TT_OFFSET);
  w.emit_local_get(c, BASE); w.emit_local_get(c, RI + r); w.emit_store(c, w.OP_I64_STORE, 3, roff(r) + TV_VALUE_OFFSET);
}

/** Stores every dirty register; they stay valid, now clean. */
export function rc_flushall(): void {
  if (!on) return;
  site++;
  for (let r = 0; r < nreg; r++) {
    if (isdirty(r)) { flushed(r); storereg(r); store<u8>(dirty + <usize>r, 0); }
  }
}

/** On a path that leaves compiled code: stores every dirty register (the state is unchanged for the other paths). */
export function rc_exitflush(): void {
  if (!on) return;
  site++;
  for (let r = 0; r < nreg; r++) if (isdirty(r)) { flushed(r); storereg(r); }
}

/**
 * A jump leaves the unit (its writes so far included) on this path: from here to rc_edgeend the
 * state is the edge's, and rc_edgeend restores the state of the path that stays.
 */
export function rc_edgebegin(): void {
  if (!on) return;
  memory.copy(saved, valid, <usize>nreg); memory.copy(saved + <usize>nreg, dirty, <usize>nreg);
  memory.copy(savedorigin, origin, <usize>nreg << 1);
  takewrites();
}

export function rc_edgeend(): void {
  if (!on) return;
  memory.copy(valid, saved, <usize>nreg); memory.copy(dirty, saved + <usize>nreg, <usize>nreg);
  memory.copy(origin, savedorigin, <usize>nreg << 1);
}

/**
 * The edge into block j (`back`: a back-edge) is taken here: records the state it carries (in an
 * analysis pass) and converts it into j's entry state (see the header).
 */
export function rc_edge(j: i32, back: bool): void {
  if (!on) return;
  const o = <usize>j * <usize>nreg;
  if (recording) {
    const known = back ? bknown : fknown, mv = back ? bvalid : fvalid, md = back ? bdirty : fdirty;
    const mo = back ? borigin : forigin;
    const first = load<u8>(known + <usize>j) == 0;
    store<u8>(known + <usize>j, 1);
    for (let r = 0; r < nreg; r++) {
      const at = o + <usize>r;
      const v = load<u8>(valid + <usize>r), d = load<u8>(dirty + <usize>r);
      store<u8>(mv + at, first ? v : load<u8>(mv + at) & v);
      // the origin of a register dirty on the edges: theirs where they agree (a clean edge agrees)
      const eo = d != 0 ? load<i16>(origin + (<usize>r << 1)) : NO_ORIGIN, mat = mo + (at << 1);
      const was = load<i16>(mat), wasdirty = !first && load<u8>(md + at) != 0;
      store<i16>(mat, d == 0 ? (wasdirty ? was : NO_ORIGIN) : (!wasdirty || was == eo ? eo : NO_ORIGIN));
      store<u8>(md + at, first ? d : load<u8>(md + at) | d);
    }
  }
  site++;                                              // (the stores below: a flush site)
  for (let r = 0; r < nreg; r++) {
    const at = o + <usize>r;
    const tv = load<u8>(tvalid + at) != 0, td = load<u8>(tdirty + at) != 0;
    if (isvalid(r)) {
      if (isdirty(r) && (!tv || !td)) { flushed(r); storereg(r); }
    } else if (tv) {
      loadreg(r);
    }
  }
}

/** Whether block j's entry state has valid registers (an entry from the interpreter needs a stub that loads them). */
export function rc_needsstub(j: i32): bool {
  if (!on) return false;
  const o = <usize>j * <usize>nreg;
  for (let r = 0; r < nreg; r++) if (load<u8>(tvalid + o + <usize>r) != 0) return true;
  return false;
}

/** An entry stub for block j: loads the registers its entry state expects valid (the stack holds them all). */
export function rc_stub(j: i32): void {
  const o = <usize>j * <usize>nreg;
  for (let r = 0; r < nreg; r++) if (load<u8>(tvalid + o + <usize>r) != 0) loadreg(r);
}

// ==== Reading and writing registers (the primitives compile.ts emits with) ====

/** Pushes R[r]'s tag. */
export function ldtag(r: i32): void {
  if (inlocal(r)) { w.emit_local_get(c, RT + r); return; }
  if (r == fwdreg) { w.emit_local_get(c, FWT); return; }
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(r) + TV_TT_OFFSET);
}
/** Pushes R[r]'s payload as an integer. */
export function ldint(r: i32): void {
  if (inlocal(r)) { w.emit_local_get(c, RI + r); return; }
  if (r == fwdreg) { w.emit_local_get(c, FWV); return; }
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(r) + TV_VALUE_OFFSET);
}
/** Pushes R[r]'s payload as a float. */
export function ldflt(r: i32): void {
  if (inlocal(r)) { w.emit_local_get(c, RF + r); return; }
  if (r == fwdreg) { w.emit_local_get(c, FWV); w.emit_op(c, w.OP_F64_REINTERPRET_I64); return; }
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_F64_LOAD, 3, roff(r) + TV_VALUE_OFFSET);
}
/** Pushes R[r]'s payload as an i32 (an object's address). */
export function ldptr(r: i32): void {
  if (inlocal(r)) { w.emit_local_get(c, RI + r); w.emit_op(c, w.OP_I32_WRAP_I64); return; }
  if (r == fwdreg) { w.emit_local_get(c, FWV); w.emit_op(c, w.OP_I32_WRAP_I64); return; }
  w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(r) + TV_VALUE_OFFSET);
}
/** R[r] := the integer in local `l` (tag and payload, as setivalue). */
export function stint(r: i32, l: i32): void {
  if (writelocal(r)) {
    w.emit_local_get(c, l); w.emit_local_set(c, RI + r);
    w.emit_i32_const(c, LUA_VNUMINT); w.emit_local_set(c, RT + r);
    addpending(r);
    return;
  }
  w.emit_local_get(c, BASE); w.emit_local_get(c, l); w.emit_store(c, w.OP_I64_STORE, 3, roff(r) + TV_VALUE_OFFSET);
  settag(r, LUA_VNUMINT);
}
/** R[r] := the float in local `l`. */
export function stflt(r: i32, l: i32): void {
  if (writelocal(r)) {
    w.emit_local_get(c, l); w.emit_local_set(c, RF + r);
    w.emit_local_get(c, l); w.emit_op(c, w.OP_I64_REINTERPRET_F64); w.emit_local_set(c, RI + r);
    w.emit_i32_const(c, LUA_VNUMFLT); w.emit_local_set(c, RT + r);
    addpending(r);
    return;
  }
  w.emit_local_get(c, BASE); w.emit_local_get(c, l); w.emit_store(c, w.OP_F64_STORE, 3, roff(r) + TV_VALUE_OFFSET);
  settag(r, LUA_VNUMFLT);
}
/** R[r]'s tag := tag (nil, false, true: the tag is the whole value). */
export function settag(r: i32, tag: i32): void {
  if (writelocal(r)) { w.emit_i32_const(c, tag); w.emit_local_set(c, RT + r); addpending(r); return; }
  w.emit_local_get(c, BASE); w.emit_i32_const(c, tag); w.emit_store(c, w.OP_I32_STORE, 2, roff(r) + TV_TT_OFFSET);
}
/** R[r]'s tag := the tag in local `l` (a value whose tag is the whole value). */
export function settagl(r: i32, l: i32): void {
  if (writelocal(r)) { w.emit_local_get(c, l); w.emit_local_set(c, RT + r); addpending(r); return; }
  w.emit_local_get(c, BASE); w.emit_local_get(c, l); w.emit_store(c, w.OP_I32_STORE, 2, roff(r) + TV_TT_OFFSET);
}
/**
 * Copies the TValue at local `src` + `soff` to local `dst` + `doff`: its tag (an i32) and its
 * payload (an i64), not the extra word between them (unused by values, a TBC slot's link, a hash
 * node's chain). The tag is read as an i32 because it was most likely just written as one: an
 * 8-byte read of tag and extra would miss the processor's store forwarding and stall.
 */
export function copytv(dst: i32, doff: u32, src: i32, soff: u32): void {
  w.emit_local_get(c, dst); w.emit_local_get(c, src); w.emit_load(c, w.OP_I32_LOAD, 2, soff + TV_TT_OFFSET);
  w.emit_store(c, w.OP_I32_STORE, 2, doff + TV_TT_OFFSET);
  w.emit_local_get(c, dst); w.emit_local_get(c, src); w.emit_load(c, w.OP_I64_LOAD, 3, soff + TV_VALUE_OFFSET);
  w.emit_store(c, w.OP_I64_STORE, 3, doff + TV_VALUE_OFFSET);
}

/** Copies the TValue at the address in local `src` to R[r] (setobj). */
export function copyfrom(r: i32, src: i32): void {
  if (writelocal(r)) {
    w.emit_local_get(c, src); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET); w.emit_local_set(c, RT + r);
    w.emit_local_get(c, src); w.emit_load(c, w.OP_I64_LOAD, 3, TV_VALUE_OFFSET); w.emit_local_set(c, RI + r);
    w.emit_local_get(c, src); w.emit_load(c, w.OP_F64_LOAD, 3, TV_VALUE_OFFSET); w.emit_local_set(c, RF + r);
    addpending(r);
    return;
  }
  copytv(BASE, roff(r), src, 0);
}
/** R[a] := R[b]. */
export function copyreg(a: i32, b: i32): void {
  if (writelocal(a)) {
    if (inlocal(b)) {
      w.emit_local_get(c, RT + b); w.emit_local_set(c, RT + a);
      w.emit_local_get(c, RI + b); w.emit_local_set(c, RI + a);
      w.emit_local_get(c, RF + b); w.emit_local_set(c, RF + a);
    } else {
      w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(b) + TV_TT_OFFSET); w.emit_local_set(c, RT + a);
      w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I64_LOAD, 3, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, RI + a);
      w.emit_local_get(c, BASE); w.emit_load(c, w.OP_F64_LOAD, 3, roff(b) + TV_VALUE_OFFSET); w.emit_local_set(c, RF + a);
    }
    addpending(a);
    return;
  }
  if (inlocal(b)) {                                    // (an aware unit writing R[a] to the stack: rc_memdest)
    w.emit_local_get(c, BASE); w.emit_local_get(c, RT + b); w.emit_store(c, w.OP_I32_STORE, 2, roff(a) + TV_TT_OFFSET);
    w.emit_local_get(c, BASE); w.emit_local_get(c, RI + b); w.emit_store(c, w.OP_I64_STORE, 3, roff(a) + TV_VALUE_OFFSET);
    return;
  }
  copytv(BASE, roff(a), BASE, roff(b));
}

// ==== Forwarding (functions without the cache) ====
// Without the cache, a register a unit has just stored is read back from the stack by the next
// units that use it: a store and a load in a row, the load waiting for the store. GETUPVAL (fib's
// `fib`, a method table held in an upvalue) keeps what it stored in two locals too (FWT: the tag,
// FWV: the payload) and R[fwdreg] is read from them by the units compile.ts lets run in between
// (fwd_keeps: units that write other registers without a helper or a call) and by the CALL or
// TAILCALL that calls it; anything else, a block's start, and the end of that call forget it. The
// stack still holds the value: only reads change.

let fwdreg = -1;                     // the register FWT and FWV hold, or -1
let FWT = 0, FWV = 0;

/** R[r] := the TValue at the address in local `src`, which then stays in the forwarding locals (no cache only). */
export function fwd_copyfrom(r: i32, src: i32): void {
  if (on) { copyfrom(r, src); return; }
  w.emit_local_get(c, src); w.emit_load(c, w.OP_I32_LOAD, 2, TV_TT_OFFSET); w.emit_local_set(c, FWT);
  w.emit_local_get(c, src); w.emit_load(c, w.OP_I64_LOAD, 3, TV_VALUE_OFFSET); w.emit_local_set(c, FWV);
  w.emit_local_get(c, BASE); w.emit_local_get(c, FWT); w.emit_store(c, w.OP_I32_STORE, 2, roff(r) + TV_TT_OFFSET);
  w.emit_local_get(c, BASE); w.emit_local_get(c, FWV); w.emit_store(c, w.OP_I64_STORE, 3, roff(r) + TV_VALUE_OFFSET);
  fwdreg = r;
}

/** The forwarded register is read from the stack again from here on. */
export function fwd_forget(): void { fwdreg = -1; }

/** Whether a register is forwarded (the unit about to be written may keep it: fwd_keeps in compile.ts). */
export function fwd_any(): bool { return fwdreg >= 0; }

/** The forwarded register, or -1. */
export function fwd_reg(): i32 { return fwdreg; }
