// emit.ts - the baseline JIT's emitter state and the code every unit shares (jit/compile.ts drives
// it): the prototype being compiled and its blocks, the function body's locals and labels, and the
// emitters for control (exits, jumps and back-edges, helper calls, the stress mode's exits).
// Other JIT files read this state through named imports and change it through the namespace
// (S.extra++: AssemblyScript's exported globals are live bindings).
// Invariant: one compile at a time; `extra` counts the anonymous labels open inside the current
// block's code, so a branch to a structured label (jit/loops.ts stack) is `extra` deeper.

import * as w from "./wasmgen";
import { WBuf } from "./wasmgen";
import { JITHOT_OFFSET, CL_UPVALS_OFFSET, P_CODE_OFFSET, P_K_OFFSET } from "../object/func";
import { TV_VALUE_OFFSET, LUA_VNUMINT, LUA_VNUMFLT, LUA_VFALSE } from "../object/value";
import { CI_FUNC_OFFSET, CI_SAVEDPC_OFFSET } from "../vm/state";
import { GETARG_sJ } from "../vm/opcodes";
import { JIT_EXIT, JIT_MAXDEPTH, JIT_DEPTHSHIFT, jitdepthp } from "../vm/tier";
import { HELPER_DONE, HELPER_SLOW } from "./helpers";
import { lp_find, lb_depth, LB_BLOCK, LB_LOOP } from "./loops";
import {
  ldtag, ldint, ldflt, ldptr, stint, stflt, settag, settagl, copyfrom, copyreg, rc_on,
  rc_exitflush, rc_afterhelper, rc_anyvalid, rc_aware, rc_framewritten, rc_slowend, rc_edgebegin, rc_edgeend, rc_edge,
} from "./regcache";
import { kt_known } from "./kinds";

/** Back-edges between two warm-phase exits of a compiled loop. */
// @ts-ignore: decorator
@inline export const JIT_SLICE: i32 = 1 << 15;
/**
 * Warm-phase exits of a module before its loops run uninterrupted: enough that V8's optimised code
 * is ready before they end (docs/VM.md, "The baseline JIT": 24 left loop.lua's first run in
 * baseline code).
 */
// @ts-ignore: decorator
@inline export const JIT_WARMSLICES: i32 = 256;

/** Stress mode: exit to the interpreter every `stressevery` units (0: off). Tests only. */
export let stressevery: i32 = 0;
export function luaJ_setstress(n: i32): void { stressevery = n < 0 ? 0 : n; }

// ==== Compiler state (one compile at a time) ====

export let proto: usize = 0;        // the prototype being compiled
export let closure: usize = 0;      // a closure of it that is running (its upvalues: hints only, jit/calls.ts calleehint)
export let code: usize = 0;         // its instructions
export let kst: usize = 0;          // its constants
export let ncode: i32 = 0;
export let leader: usize = 0;       // u8 per pc: 1 when a block starts there
export let blockof: usize = 0;      // i32 per pc: the index of the block a leader starts
export let nblocks: i32 = 0;
export let sl = false;              // the loops are wasm loops (jit/loops.ts lp_find); else back-edges go round $top
export let selfcalls = false;       // the whole function is entered at pc 0: a call of itself is a direct call (callop)
export let elided: usize = 0;       // u8 per block, 0: an exit only (a region, jit/compile.ts regionblocks); null: all are emitted
/** The label kind of $top in the label stack (jit/loops.ts has blocks and loops). */
// @ts-ignore: decorator
@inline export const LB_TOP: i32 = 3;
export let curblock: i32 = 0;       // block being emitted
export let extra: i32 = 0;          // labels opened inside the current block's code (if/block nesting)
export let c: WBuf = changetype<WBuf>(0);   // the function body's code
export let THELPER: i32 = 0;         // the module's type index of the helpers' signature
export let TENTRY: i32 = 0;          // … and of compiled functions' (NPARAMS below) → status
// locals (after the parameters)
export let T1: i32 = 0, T2: i32 = 0, X: i32 = 0, Y: i32 = 0, FX: i32 = 0, FY: i32 = 0;
export let P: i32 = 0, E: i32 = 0, NCI: i32 = 0;   // a direct call's callee prototype, slot and CallInfo
export let CUR: i32 = 0;                            // the table an index chain starts at
export let SL: i32 = 0;                             // back-edges left in the slice (jumpto), when slicelocal
export let DN: i32 = 0;                             // (this frame's nesting depth + 1) << JIT_DEPTHSHIFT (depthprologue)
export let D1: i32 = 0;                             // st's ST_DIRECT1 bit (depthprologue): calls.ts ret01
export let slicelocal = false;                      // the slice is counted in SL, not in the global GSLICE
// globals: the imported trapflag and slicing (imports come first), the module's slice counter,
// warm slices left, stress counter
// @ts-ignore: decorator
@inline export const GTRAP: i32 = 0;
// @ts-ignore: decorator
@inline export const GSLICING: i32 = 1;
// @ts-ignore: decorator
@inline export const GSLICE: i32 = 2;
// @ts-ignore: decorator
@inline export const GWARM: i32 = 3;
// @ts-ignore: decorator
@inline export const GSTRESS: i32 = 4;
// @ts-ignore: decorator
@inline export const LOCAL_L: i32 = 0;
// @ts-ignore: decorator
@inline export const LOCAL_CI: i32 = 1;
/**
 * The third parameter: the prototype whose code runs (ci.func's, passed by whoever enters). The
 * module holds no address of the prototype, its constants or its code (parameters too), so two
 * prototypes with the same code and constants (a chunk loaded again) get the same bytes, and the
 * host compiles them once (host/jit.ts cache).
 */
// @ts-ignore: decorator
@inline export const PROTO: i32 = 2;
// The other parameters: what whoever enters knows of the frame already (vm/tier.ts
// luaV_jitenter, calls.ts directcall, compile.ts tailcallop), so that compiled code does not read
// it again: R[0]'s address (ci.func + 1 slot), the closure in ci.func, the prototype's code and
// constants, and the pc index to start at. BASE is reassigned after anything that may move the stack.
// @ts-ignore: decorator
@inline export const BASE: i32 = 3;
// @ts-ignore: decorator
@inline export const CL: i32 = 4;
// @ts-ignore: decorator
@inline export const CODE: i32 = 5;
// @ts-ignore: decorator
@inline export const KBASE: i32 = 6;
// @ts-ignore: decorator
@inline export const ST: i32 = 7;
/** Parameters of a compiled function: (L, ci, proto, base, cl, code, k, st) → status. */
// @ts-ignore: decorator
@inline export const NPARAMS: i32 = 8;

// @ts-ignore: decorator
@inline export function instr(pc: i32): u32 { return load<u32>(code + (<usize>pc << 2)); }
// @ts-ignore: decorator
@inline export function kaddr(i: i32): usize { return kst + (<usize>i << 4); }
/** Pushes the payload of constant K[i] as an i32 (a string's address), read through KBASE at run time. */
export function kval(i: i32): void { w.emit_local_get(c, KBASE); w.emit_load(c, w.OP_I32_LOAD, 2, (<u32>i << 4) + TV_VALUE_OFFSET); }
// @ts-ignore: decorator
@inline export function isleader(pc: i32): bool { return pc < ncode && load<u8>(leader + <usize>pc) != 0; }
// @ts-ignore: decorator
@inline export function mark(pc: i32): void { if (pc >= 0 && pc < ncode) store<u8>(leader + <usize>pc, 1); }
// @ts-ignore: decorator
@inline export function blockidx(pc: i32): i32 { return load<i32>(blockof + (<usize>pc << 2)); }

// ==== Emitting registers ====
// R[r] is read and written through jit/regcache.ts (ldtag, ldint, ldflt, ldptr, stint, stflt,
// settag, settagl, copyfrom, copyreg), which keeps registers in wasm locals in functions with loops.

/** Pushes (tag of local `t`) == `tag`. */
export function tagis(t: i32, tag: i32): void { w.emit_local_get(c, t); w.emit_i32_const(c, tag); w.emit_op(c, w.OP_I32_EQ); }
/** Pushes whether the tag in local `t` is a number (integer 0x03 or float 0x13). */
export function tagisnum(t: i32): void {
  w.emit_local_get(c, t); w.emit_i32_const(c, 0x10); w.emit_op(c, w.OP_I32_OR);
  w.emit_i32_const(c, LUA_VNUMFLT); w.emit_op(c, w.OP_I32_EQ);
}
/** Pushes R[r] as a float, given its tag (a number) in local `t`. */
export function tonum(r: i32, t: i32): void {
  tagis(t, LUA_VNUMINT);
  w.emit_if(c, w.WT_F64); ldint(r); w.emit_op(c, w.OP_F64_CONVERT_I64_S);
  w.emit_else(c); ldflt(r);
  w.emit_end(c);
}
/** Pushes whether the tag in local `t` is false or a nil (l_isfalse). */
export function falsy(t: i32): void {
  tagis(t, LUA_VFALSE);
  w.emit_local_get(c, t); w.emit_i32_const(c, 0x0F); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_op(c, w.OP_I32_OR);
}

// ==== Control ====

/** Leaves with EXIT at `pc` (the interpreter executes that instruction next). */
export function exitat(pc: i32): void {
  rc_exitflush();                                      // (the cache's dirty registers: the interpreter reads the stack)
  savepc(pc);
  w.emit_i32_const(c, JIT_EXIT); w.emit_op(c, w.OP_RETURN);
}

/**
 * A guard failed at `pc` (a type miss, an absent key, a nil value, a zero divisor): counts it in the
 * prototype's jithot (vm/tier.ts stops entering code that misses too often), then exits there.
 */
export function missexit(pc: i32): void {
  w.emit_local_get(c, PROTO);
  w.emit_local_get(c, PROTO); w.emit_load(c, w.OP_I32_LOAD, 2, JITHOT_OFFSET);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, JITHOT_OFFSET);
  exitat(pc);
}

/**
 * Continues at `target` from an instruction at `pc` of the current block: a forward jump branches to
 * the target block's label; a backward one counts the slice down (at its end: trapflag, the warm
 * phase and async slicing, exiting at the target when one says so) and branches to its loop's start
 * (structured loops, jit/loops.ts) or goes round $top's dispatch.
 */
export function jumpto(target: i32, pc: i32): void {
  rc_edgebegin();                                      // (this path's register state: the unit's writes so far)
  const tb = blockidx(target);
  if (target > pc) {
    const d = lb_depth(LB_BLOCK, tb);
    rc_edge(tb, false);
    if (d >= 0) w.emit_br(c, d + extra); else exitat(target);   // (never: lp_find checked the edges)
    rc_edgeend();
    return;
  }
  // slice: --SL > 0 runs on; at 0 a new slice, and exit when trapflag is set, while warm slices are
  // left (V8 may have optimised code to re-enter) or while an async call runs (its driver pauses
  // when its time is up: vm/budget.ts "Slicing"). One exit for the three reasons (its code stores
  // the dirty registers: one copy keeps loops small for V8). In a function that calls out little
  // (compile.ts fewcalls) the count is a local, so a back-edge touches no memory (the global's
  // decrement is a loop-carried store and load: loop.lua ran 1.2x longer); it starts from the
  // module's GSLICE, which a slice's end resets, so short activations of one function do not each
  // start a full slice. trapflag is polled here, not at every back-edge: only Lua code or a native
  // can set it (debug.sethook; budgets are armed by the host between calls), and those run in
  // helpers, which return JIT_EXIT when it got set.
  slicepoll(target);
  rc_edge(tb, true);
  if (sl) {                                            // a wasm loop: branch to its start
    const d = lb_depth(LB_LOOP, tb);
    if (d >= 0) w.emit_br(c, d + extra); else exitat(target);   // (never: lp_find checked the edges)
  } else {
    // round $top's dispatch (with the register cache, st = target + ncode: the dispatch's entry
    // for a back-edge, which goes to the block itself; an entry from the interpreter goes through
    // the block's stub)
    w.emit_i32_const(c, rc_on() ? target + ncode : target); w.emit_local_set(c, ST);
    w.emit_br(c, lb_depth(LB_TOP, 0) + extra);
  }
  rc_edgeend();
}

/**
 * A back-edge to `target` counts down the slice and, at a slice's end, exits at `target` when
 * trapflag is set, while warm slices are left or while an async call runs (see jumpto).
 */
export function slicepoll(target: i32): void {
  w.emit_block(c, w.BT_VOID);                          // $on
  w.emit_block(c, w.BT_VOID);                          // $exit
  if (slicelocal) {
    w.emit_local_get(c, SL); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_local_tee(c, SL);
  } else {
    w.emit_global_get(c, GSLICE); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, GSLICE);
    w.emit_global_get(c, GSLICE);
  }
  w.emit_i32_const(c, 0); w.emit_op(c, w.OP_I32_GT_S); w.emit_br_if(c, 1);
  w.emit_i32_const(c, JIT_SLICE);
  if (slicelocal) w.emit_local_tee(c, SL);
  w.emit_global_set(c, GSLICE);
  w.emit_global_get(c, GTRAP); w.emit_br_if(c, 0);
  w.emit_global_get(c, GWARM); w.emit_i32_const(c, 0); w.emit_op(c, w.OP_I32_GT_S);
  w.emit_if(c, w.BT_VOID);
  w.emit_global_get(c, GWARM); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, GWARM);
  w.emit_br(c, 1);
  w.emit_end(c);
  w.emit_global_get(c, GSLICING); w.emit_op(c, w.OP_I32_EQZ); w.emit_br_if(c, 1);
  w.emit_end(c);                                       // $exit
  exitat(target);
  w.emit_end(c);                                       // $on
}

/** With the jump condition (i32) on the stack: takes the conditional pair's jump when it is set. */
export function condjump(pc: i32): void {
  w.emit_if(c, w.BT_VOID);
  pairjump(pc);
  w.emit_end(c);
}

/**
 * The jump of the conditional pair at pc (the test at pc, its JMP at pc + 1), emitted inside one
 * label the caller opened (the if of condjump, cmpclose's $skip, TESTSET's if).
 */
export function pairjump(pc: i32): void {
  extra++;
  jumpto(pc + 2 + GETARG_sJ(instr(pc + 1)), pc);
  extra--;
}

/**
 * A comparison's jump (jit/arith.ts "Comparison jumps"): cmpopen opens $skip and $take, the
 * comparison branches inside them (cmptake), and cmpclose puts the jump to the JMP's target (at pc
 * + 1) after $take; a path not taken leaves $skip.
 */
export function cmpopen(): void { w.emit_block(c, w.BT_VOID); w.emit_block(c, w.BT_VOID); }
export function cmpclose(pc: i32): void {
  w.emit_end(c);                                       // $take
  pairjump(pc);
  w.emit_end(c);                                       // $skip
}

/**
 * Ends a path of a comparison jump with its condition (i32 0/1) on the stack, `d` labels inside
 * $take: to $take when cond == k (the interpreter jumps then), else to $skip.
 */
export function cmptake(k: i32, d: i32): void {
  if (k == 0) w.emit_op(c, w.OP_I32_EQZ);
  w.emit_br_if(c, d); w.emit_br(c, d + 1);
}

/** Pushes take = (cond == k) for the cond (i32 0/1) on the stack: the interpreter jumps when c == k. */
export function takeif(k: i32): void { if (k == 0) w.emit_op(c, w.OP_I32_EQZ); }

/** Compares the i32 on the stack with `tag`. */
export function tagis_top(tag: i32): void { w.emit_i32_const(c, tag); w.emit_op(c, w.OP_I32_EQ); }

/**
 * Pushes the arguments of an entry into compiled code after (L, ci, proto): for the frame whose
 * function slot's address is in local `func`, of prototype `p` (a local): its base, closure, code,
 * constants and st (pc 0, and the callee's nesting depth: DN). `other`: p is another prototype (else
 * this one: its code and constants are this function's own). `closure`: a local holding the
 * closure in the function slot (else it is loaded from there). `direct1`: the frame is a direct
 * CALL's wanting one result (ST_DIRECT1).
 */
export function entryargs(func: i32, p: i32, other: bool, closure: i32 = -1, direct1: bool = false): void {
  w.emit_local_get(c, func); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_ADD);
  if (closure >= 0) w.emit_local_get(c, closure);
  else { w.emit_local_get(c, func); w.emit_load(c, w.OP_I32_LOAD, 2, TV_VALUE_OFFSET); }
  if (other) { ldfield(p, P_CODE_OFFSET); ldfield(p, P_K_OFFSET); }
  else { w.emit_local_get(c, CODE); w.emit_local_get(c, KBASE); }
  w.emit_local_get(c, DN);
  if (direct1) { w.emit_i32_const(c, ST_DIRECT1); w.emit_op(c, w.OP_I32_OR); }
}

// ==== Nesting depth ====
// Compiled frames nested on the wasm stack are bounded (vm/tier.ts JIT_MAXDEPTH). A frame's depth
// comes in st's high bits (JIT_DEPTHSHIFT: whoever enters passes its own depth + 1; the pc index
// fits below them, since functions have at most MAXCODE instructions) and stays in a local, so a
// direct call passes it on without touching memory. The module's count (jitdepthp), which
// luaV_jitenter reads when Lua code run by a helper enters compiled code, is written only where
// something could read it: before every helper call (callout).

/**
 * A bit of st below the depth, above any pc index (functions have at most MAXCODE instructions):
 * set by a compiled caller's direct CALL wanting one result (calls.ts directcall), which set up the
 * frame with callstatus 0 and nresults 1, so its RETURN0/RETURN1 need not read them (ret01).
 */
// @ts-ignore: decorator
@inline export const ST_DIRECT1: i32 = 1 << (JIT_DEPTHSHIFT - 1);

/**
 * Prologue: DN := (depth + 1) << JIT_DEPTHSHIFT, what a callee entered directly gets; D1 := the
 * ST_DIRECT1 bit; st := the pc index alone.
 */
export function depthprologue(): void {
  w.emit_local_get(c, ST); w.emit_i32_const(c, ~((1 << JIT_DEPTHSHIFT) - 1)); w.emit_op(c, w.OP_I32_AND);
  w.emit_i32_const(c, 1 << JIT_DEPTHSHIFT); w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, DN);
  w.emit_local_get(c, ST); w.emit_i32_const(c, ST_DIRECT1); w.emit_op(c, w.OP_I32_AND); w.emit_local_set(c, D1);
  w.emit_local_get(c, ST); w.emit_i32_const(c, ST_DIRECT1 - 1); w.emit_op(c, w.OP_I32_AND);
  w.emit_local_set(c, ST);
}

/** Pushes whether this frame is as deep as compiled frames may nest (a callee then is not entered directly). */
export function toodeep(): void {
  w.emit_local_get(c, DN); w.emit_i32_const(c, (JIT_MAXDEPTH + 1) << JIT_DEPTHSHIFT); w.emit_op(c, w.OP_I32_GE_S);
}

/**
 * Calls helper `slot` (its arguments pushed: L, ci and three i32s), with this frame's depth stored
 * for vm/tier.ts first: the helper may run Lua code that enters compiled code. Every call from
 * compiled code to a helper goes through here.
 */
export function callout(slot: i32): void {
  w.emit_i32_const(c, <i32>jitdepthp);
  w.emit_local_get(c, DN); w.emit_i32_const(c, JIT_DEPTHSHIFT); w.emit_op(c, w.OP_I32_SHR_U);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB);
  w.emit_store(c, w.OP_I32_STORE, 2, 0);
  w.emit_i32_const(c, slot); w.emit_call_indirect(c, THELPER);
}

/** BASE := ci.func + 1 slot (R[0]); again after anything that may have moved the stack. */
export function loadbase(): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_FUNC_OFFSET);
  w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_ADD); w.emit_local_set(c, BASE);
}

/** ci.savedpc := the instruction at pc (what the interpreter has saved when it calls out). */
export function savepc(pc: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, CODE); w.emit_i32_const(c, pc << 2); w.emit_op(c, w.OP_I32_ADD);
  w.emit_store(c, w.OP_I32_STORE, 2, CI_SAVEDPC_OFFSET);
}

/**
 * Calls helper `slot` (jit/helpers.ts, type THELPER: L, ci, then three i32 arguments already pushed
 * after L and ci by the caller of this function) and acts on its answer: HELPER_DONE goes on (with
 * BASE re-read: the stack may have moved), HELPER_SLOW (from a helper that may give it: `mayslow`,
 * luaJ_return only) counts a miss and exits at pc, anything else is returned as it is (JIT_EXIT
 * with L.ci set by the helper, JIT_ERROR, JIT_YIELD): ~35 bytes less at each of the other helpers'
 * sites, a module's most common tail. `next`: the
 * instruction after the unit, when registers cached before the call stay valid after it (the unit
 * is not a call or return: those leave every register invalid, -1): if debug.setlocal ran, the
 * interpreter goes on there (the stack is right: the unit stored every dirty register before the
 * call); else the registers an upvalue may have changed are reloaded (jit/regcache.ts).
 */
export function callhelper(pc: i32, slot: i32, next: i32, mayslow: bool = false): void {
  callout(slot);
  w.emit_local_tee(c, T1); w.emit_i32_const(c, HELPER_DONE); w.emit_op(c, w.OP_I32_NE);
  w.emit_if(c, w.BT_VOID);
  if (mayslow) {
    w.emit_local_get(c, T1); w.emit_i32_const(c, HELPER_SLOW); w.emit_op(c, w.OP_I32_EQ);
    w.emit_if(c, w.BT_VOID); missexit(pc); w.emit_end(c);
  }
  w.emit_local_get(c, T1); w.emit_op(c, w.OP_RETURN);
  w.emit_end(c);
  loadbase();
  // (registers in locals, or kinds known, jit/kinds.ts; an aware unit's slow half tests in slowreturn)
  if (next >= 0 && (rc_anyvalid(false) || (rc_on() && !rc_aware() && kt_known()))) {
    exitifwritten(next);
    rc_afterhelper();
  }
}

/**
 * After Lua code may have run (a helper, a call) with every dirty register stored before it: exits
 * at `next` when debug.setlocal ran meanwhile (the locals may be stale; the stack is right).
 */
function exitifwritten(next: i32): void {
  rc_framewritten();
  w.emit_if(c, w.BT_VOID); savepc(next); w.emit_i32_const(c, JIT_EXIT); w.emit_op(c, w.OP_RETURN); w.emit_end(c);
}

/**
 * Pushes the address of the running closure's upvalue `b` (an UpVal; its `v` points at the value).
 * The closure is a parameter (CL: whoever enters read it from ci.func, whose value does not change
 * while the frame runs), saving two dependent loads on every upvalue access.
 */
export function ldupval(b: i32): void {
  w.emit_local_get(c, CL); w.emit_load(c, w.OP_I32_LOAD, 2, CL_UPVALS_OFFSET + (<u32>b << 2));
}

/**
 * After the helper or call of an aware unit's slow half (jit/regcache.ts rc_slowbegin stored the
 * dirty registers before it): when debug.setlocal ran, exits at `next` (the locals may be stale;
 * the stack is right); then rc_slowend loads again what that code may have changed and R[first]
 * .. R[first + n - 1], the registers the instruction writes.
 */
export function slowreturn(next: i32, first: i32, n: i32): void {
  if (rc_anyvalid(true) || (rc_on() && kt_known())) exitifwritten(next);
  rc_slowend(first, n);
}

/** Pushes the i32 at `off` of the address in local `l`. */
export function ldfield(l: i32, off: u32): void { w.emit_local_get(c, l); w.emit_load(c, w.OP_I32_LOAD, 2, off); }

/** Stress mode: before a unit, counts down and exits there every `stressevery` units. */
export function stresscheck(pc: i32): void {
  w.emit_global_get(c, GSTRESS); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_global_set(c, GSTRESS);
  w.emit_global_get(c, GSTRESS); w.emit_op(c, w.OP_I32_EQZ);
  w.emit_if(c, w.BT_VOID);
  w.emit_i32_const(c, stressevery); w.emit_global_set(c, GSTRESS); exitat(pc);
  w.emit_end(c);
}
