// func.ts - function prototypes, closures and upvalues (lfunc.c/lfunc.h).
//
// ╒══════════════════ Proto layout (wasm32) ══════════════════╕
// │ GCHeader: next | tt | marked                              │ 0..5
// │ numparams: u8 | is_vararg: u8                             │ 6, 7
// │ maxstacksize: u8 (+3 pad)                                 │ 8
// │ sizeupvalues | sizek | sizecode | sizep | sizelocvars     │ 12,16,20,24,28 (i32)
// │ linedefined | lastlinedefined                             │ 32, 36
// │ k → TValue[sizek]          constants                      │ 40
// │ code → u32[sizecode]       instructions                   │ 44
// │ p → Proto*[sizep]          nested functions               │ 48
// │ upvalues → Upvaldesc[sizeupvalues]                        │ 52
// │ lineinfo → i32[sizecode]   absolute line of each instr.   │ 56  (0 when stripped)
// │ locvars → LocVar[sizelocvars]                             │ 60
// │ source → TString | 0                                      │ 64
// │ gclist                                                    │ 68
// │ jitentry: u32  function-table slot of its compiled code:  │ 72
// │   0 none yet, JIT_DECLINED when the JIT refused it         │
// │ jithot: i32    before compiling: calls + loop back-edges   │ 76
// │   counted while the JIT is on; after: guard failures of    │
// │   the compiled code (which increments it itself)           │
// │ jitmap → u8[sizecode]  entry flags per instruction (jit/)  │ 80  (0 while not compiled)
// │ jitcalls: i32  before compiling: calls from the loop and   │ 84
// │   compiled code; after: entries into the compiled code     │
// │ jitflags: u32  JITF_NOCALL / NOLOOP / NODIRECT: the loop  │ 88
// │   need not ask the tiering at a call / a FORLOOP, nor a    │
// │   compiled caller enter at pc 0 (nothing to enter there);  │
// │   JITF_PARTIAL: compiled in regions, loop by loop (tier.ts)│
// │ jitmiss: i32   compiled in regions: calls + back-edges that│ 92
// │   reached it where its code does not go                    │
// │ jitregions → u32[1 + JIT_MAXREGIONS]  compiled in regions: │ 96  (0 otherwise)
// │   the count n, then the table slots of its n regions       │
// └───────────────────────────────────────────────────────────┘   size 100
// The jit* fields are run-time state of this instance only: never dumped nor snapshotted, so a
// restored or undumped prototype starts cold and is compiled again when it gets hot.
// Upvaldesc (8 bytes): name → TString | instack: u8 | idx: u8 | kind: u8   (0, 4, 5, 6)
// LocVar (12 bytes):   varname → TString | startpc: i32 | endpc: i32      (0, 4, 8)
// Unlike PUC's delta-encoded lineinfo we keep one absolute i32 per instruction: simpler, and the
// memory cost (4 bytes per instruction) is small next to the code itself.
//
// ╒═════════ LClosure ══════════╕   ╒═════════ CClosure ═══════════╕
// │ GCHeader | nupvalues: u8 @6 │   │ GCHeader | nupvalues: u8 @6  │
// │ gclist                   8  │   │ gclist                    8  │
// │ p → Proto               12  │   │ f: u32 (wasm table index) 12 │
// │ upvals → UpVal*[n]      16  │   │ upvalue: TValue[n]        16 │
// └─────────────────────────────┘   └──────────────────────────────┘
// ╒════════════════ UpVal (40 bytes) ════════════════╕
// │ GCHeader | tbc: u8 @6 (unused)                   │
// │ v → TValue   stack slot while open, &value closed│ 8
// │ opennext → UpVal   list of open upvalues (by     │ 12   level, innermost first)
// │ level: i32  stack index of the slot while open   │ 16
// │ value: TValue  the value once closed             │ 24
// └──────────────────────────────────────────────────┘
// Invariant: an open upvalue's v points into its thread's stack (fixed up when the stack moves);
// a closed one's v points at its own `value` field.

import { newobj } from "../gc/collect";
import { luaC_barrier } from "../gc/barrier";
import { luaM_free } from "../mem/alloc";
import { jit_release } from "../sys/imports";
import { setnilvalue, setobj } from "./value";

// @ts-ignore: decorator
@inline export const VPROTO_TT: u8 = 10;
// @ts-ignore: decorator
@inline export const VLCL_TT: u8 = 6;
// @ts-ignore: decorator
@inline export const VCCL_TT: u8 = 6 | (2 << 4);
// @ts-ignore: decorator
@inline export const VUPVAL_TT: u8 = 9;
// @ts-ignore: decorator
@inline export const PROTO_SIZE: usize = 100;
// @ts-ignore: decorator
@inline export const UPVAL_SIZE: usize = 40;
// @ts-ignore: decorator
@inline export const UPVALDESC_SIZE: usize = 8;
// @ts-ignore: decorator
@inline export const LOCVAR_SIZE: usize = 12;

// ==== Proto fields ====
// @ts-ignore: decorator
@inline export function p_numparams(p: usize): i32 { return load<u8>(p, 6); }
// @ts-ignore: decorator
@inline export function p_isvararg(p: usize): bool { return load<u8>(p, 7) != 0; }
// @ts-ignore: decorator
@inline export function p_maxstacksize(p: usize): i32 { return load<u8>(p, 8); }
// @ts-ignore: decorator
@inline export function p_sizeupvalues(p: usize): i32 { return load<i32>(p, 12); }
// @ts-ignore: decorator
@inline export function p_sizek(p: usize): i32 { return load<i32>(p, 16); }
// @ts-ignore: decorator
@inline export function p_sizecode(p: usize): i32 { return load<i32>(p, 20); }
// @ts-ignore: decorator
@inline export function p_sizep(p: usize): i32 { return load<i32>(p, 24); }
// @ts-ignore: decorator
@inline export function p_sizelocvars(p: usize): i32 { return load<i32>(p, 28); }
// @ts-ignore: decorator
@inline export function p_linedefined(p: usize): i32 { return load<i32>(p, 32); }
// @ts-ignore: decorator
@inline export function p_lastlinedefined(p: usize): i32 { return load<i32>(p, 36); }
// @ts-ignore: decorator
@inline export function p_k(p: usize): usize { return load<usize>(p, 40); }
// @ts-ignore: decorator
@inline export function p_code(p: usize): usize { return load<usize>(p, 44); }
// @ts-ignore: decorator
@inline export function p_p(p: usize): usize { return load<usize>(p, 48); }
// @ts-ignore: decorator
@inline export function p_upvalues(p: usize): usize { return load<usize>(p, 52); }
// @ts-ignore: decorator
@inline export function p_lineinfo(p: usize): usize { return load<usize>(p, 56); }
// @ts-ignore: decorator
@inline export function p_locvars(p: usize): usize { return load<usize>(p, 60); }
// @ts-ignore: decorator
@inline export function p_source(p: usize): usize { return load<usize>(p, 64); }
/** Compiled-code slot (0: none; JIT_DECLINED: refused), hotness counter, entry map (see the layout). */
// @ts-ignore: decorator
@inline export function p_jitentry(p: usize): u32 { return load<u32>(p, 72); }
// @ts-ignore: decorator
@inline export function p_setjitentry(p: usize, e: u32): void { store<u32>(p, e, 72); }
// @ts-ignore: decorator
@inline export function p_jithot(p: usize): i32 { return load<i32>(p, 76); }
// @ts-ignore: decorator
@inline export function p_setjithot(p: usize, n: i32): void { store<i32>(p, n, 76); }
// @ts-ignore: decorator
@inline export function p_jitmap(p: usize): usize { return load<usize>(p, 80); }
// @ts-ignore: decorator
@inline export function p_setjitmap(p: usize, m: usize): void { store<usize>(p, m, 80); }
// @ts-ignore: decorator
@inline export function p_jitcalls(p: usize): i32 { return load<i32>(p, 84); }
// @ts-ignore: decorator
@inline export function p_setjitcalls(p: usize, n: i32): void { store<i32>(p, n, 84); }
// @ts-ignore: decorator
@inline export function p_jitflags(p: usize): u32 { return load<u32>(p, 88); }
// @ts-ignore: decorator
@inline export function p_setjitflags(p: usize, f: u32): void { store<u32>(p, f, 88); }
// @ts-ignore: decorator
@inline export function p_jitmiss(p: usize): i32 { return load<i32>(p, 92); }
// @ts-ignore: decorator
@inline export function p_setjitmiss(p: usize, n: i32): void { store<i32>(p, n, 92); }
/** Compiled in regions: the count, then the regions' table slots (vm/tier.ts addregion). */
// @ts-ignore: decorator
@inline export function p_jitregions(p: usize): usize { return load<usize>(p, 96); }
// @ts-ignore: decorator
@inline export function p_setjitregions(p: usize, r: usize): void { store<usize>(p, r, 96); }
/** jitflags: no entry at pc 0 (declined, compiled without one, or deopted). */
// @ts-ignore: decorator
@inline export const JITF_NOCALL: u32 = 1;
/** jitflags: no entry at any loop header. */
// @ts-ignore: decorator
@inline export const JITF_NOLOOP: u32 = 2;
/**
 * jitflags: compiled callers must not enter at pc 0 either (declined, compiled without an entry
 * there, or deopted): what jitmap[0] says, one load nearer for compiled code's direct calls.
 */
// @ts-ignore: decorator
@inline export const JITF_NODIRECT: u32 = 4;
/**
 * jitflags: compiled in regions (vm/tier.ts): got hot at a loop header during its first call, and
 * each outermost loop that got hot since is a module of its own, without an entry at pc 0
 * (jitentry JIT_REGIONS, the slots in jitregions); compiled whole when called (or reached at a loop
 * where no region goes) as often as a cold function before its compile (jitmiss), or at once when
 * a compiled caller calls it.
 */
// @ts-ignore: decorator
@inline export const JITF_PARTIAL: u32 = 8;
/** Offsets for compiled code's inline call (jit/compile.ts callop: the steps of OP_CALL's fast path). */
// @ts-ignore: decorator
@inline export const CL_PROTO_OFFSET: u32 = 12;
// @ts-ignore: decorator
@inline export const P_NUMPARAMS_OFFSET: u32 = 6;
// @ts-ignore: decorator
@inline export const P_MAXSTACKSIZE_OFFSET: u32 = 8;
// @ts-ignore: decorator
@inline export const P_CODE_OFFSET: u32 = 44;
// @ts-ignore: decorator
@inline export const P_K_OFFSET: u32 = 40;
// @ts-ignore: decorator
@inline export const JITENTRY_OFFSET: u32 = 72;
// @ts-ignore: decorator
@inline export const JITMAP_OFFSET: u32 = 80;
// @ts-ignore: decorator
@inline export const JITCALLS_OFFSET: u32 = 84;
// @ts-ignore: decorator
@inline export const JITFLAGS_OFFSET: u32 = 88;
/** Offset of jithot, which compiled code increments at each guard failure (jit/compile.ts). */
// @ts-ignore: decorator
@inline export const JITHOT_OFFSET: u32 = 76;
/** jitentry of a prototype the JIT will not compile (no valid table slot is this large). */
// @ts-ignore: decorator
@inline export const JIT_DECLINED: u32 = 0xFFFFFFFF;
/**
 * jitentry of a prototype compiled in regions (JITF_PARTIAL): its slots are in jitregions. Never a
 * slot to call: such a prototype has JITF_NODIRECT, which compiled callers test with jitentry.
 */
// @ts-ignore: decorator
@inline export const JIT_REGIONS: u32 = 0xFFFFFFFE;
/** Regions a prototype is compiled in at most (the jitmap's high nibble numbers them); then whole. */
// @ts-ignore: decorator
@inline export const JIT_MAXREGIONS: i32 = 16;
/** The i-th nested prototype. */
// @ts-ignore: decorator
@inline export function p_proto(p: usize, i: i32): usize { return load<usize>(p_p(p) + (<usize>i << 2)); }
/** Upvalue descriptor fields. */
// @ts-ignore: decorator
@inline export function upvaldesc(p: usize, i: i32): usize { return p_upvalues(p) + <usize>i * UPVALDESC_SIZE; }
// @ts-ignore: decorator
@inline export function uvd_name(d: usize): usize { return load<usize>(d); }
// @ts-ignore: decorator
@inline export function uvd_instack(d: usize): bool { return load<u8>(d, 4) != 0; }
// @ts-ignore: decorator
@inline export function uvd_idx(d: usize): i32 { return load<u8>(d, 5); }
// @ts-ignore: decorator
@inline export function uvd_kind(d: usize): i32 { return load<u8>(d, 6); }
/** Local variable descriptor fields. */
// @ts-ignore: decorator
@inline export function locvar(p: usize, i: i32): usize { return p_locvars(p) + <usize>i * LOCVAR_SIZE; }
// @ts-ignore: decorator
@inline export function lv_name(v: usize): usize { return load<usize>(v); }
// @ts-ignore: decorator
@inline export function lv_startpc(v: usize): i32 { return load<i32>(v, 4); }
// @ts-ignore: decorator
@inline export function lv_endpc(v: usize): i32 { return load<i32>(v, 8); }

/** A new empty prototype; the compiler fills its fields and arrays (allocated with luaM_*). */
export function luaF_newproto(): usize {
  return newobj(VPROTO_TT, PROTO_SIZE);
}

/** Bytes held by a prototype and its arrays. */
export function protosize(p: usize): usize {
  return PROTO_SIZE + (<usize>p_sizek(p) << 4) + (<usize>p_sizecode(p) << 2) + (<usize>p_sizep(p) << 2)
    + <usize>p_sizeupvalues(p) * UPVALDESC_SIZE + (p_lineinfo(p) != 0 ? <usize>p_sizecode(p) << 2 : 0)
    + <usize>p_sizelocvars(p) * LOCVAR_SIZE;
}

/** Releases the table slots of a prototype compiled in regions and its jitregions (vm/tier.ts). */
export function luaF_freejitregions(p: usize): void {
  const r = p_jitregions(p);
  if (r == 0) return;
  for (let k = 1; k <= load<i32>(r); k++) jit_release(load<i32>(r + (<usize>k << 2)));
  heap.free(r);
  p_setjitregions(p, 0);
}

export function luaF_freeproto(p: usize): void {
  const e = p_jitentry(p);
  if (e != 0 && e != JIT_DECLINED && e != JIT_REGIONS) jit_release(<i32>e);   // the compiled code dies with its prototype
  luaF_freejitregions(p);                                 // (… each of its regions' too)
  if (p_jitmap(p) != 0) heap.free(p_jitmap(p));           // (uncounted: jit/compile.ts allocates it)
  luaM_free(p_k(p), <usize>p_sizek(p) << 4);
  luaM_free(p_code(p), <usize>p_sizecode(p) << 2);
  luaM_free(p_p(p), <usize>p_sizep(p) << 2);
  luaM_free(p_upvalues(p), <usize>p_sizeupvalues(p) * UPVALDESC_SIZE);
  if (p_lineinfo(p) != 0) luaM_free(p_lineinfo(p), <usize>p_sizecode(p) << 2);
  luaM_free(p_locvars(p), <usize>p_sizelocvars(p) * LOCVAR_SIZE);
  luaM_free(p, PROTO_SIZE);
}

// ==== Closures ====
// @ts-ignore: decorator
@inline export function cl_nupvalues(cl: usize): i32 { return load<u8>(cl, 6); }
// @ts-ignore: decorator
@inline export function cl_proto(cl: usize): usize { return load<usize>(cl, 12); }
/** Sets the prototype of a Lua closure made with none (a snapshot restores it after every prototype exists). */
// @ts-ignore: decorator
@inline export function cl_setproto(cl: usize, p: usize): void { store<usize>(cl, p, 12); }
// @ts-ignore: decorator
@inline export function cl_upval(cl: usize, i: i32): usize { return load<usize>(cl + 16 + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function cl_setupval(cl: usize, i: i32, uv: usize): void { store<usize>(cl + 16 + (<usize>i << 2), uv); }
// @ts-ignore: decorator
@inline export function ccl_f(cl: usize): u32 { return load<u32>(cl, 12); }
/** Address of the i-th upvalue TValue of a native closure. */
// @ts-ignore: decorator
@inline export function ccl_upvalue(cl: usize, i: i32): usize { return cl + 16 + (<usize>i << 4); }
// @ts-ignore: decorator
@inline export function sizeLclosure(n: i32): usize { return 16 + (<usize>n << 2); }
// @ts-ignore: decorator
@inline export function sizeCclosure(n: i32): usize { return 16 + (<usize>n << 4); }

/** A Lua closure of prototype `p` with `n` (still null) upvalue slots. */
export function luaF_newLclosure(p: usize, n: i32): usize {
  const cl = newobj(VLCL_TT, sizeLclosure(n));
  store<u8>(cl, <u8>n, 6);
  cl_setproto(cl, p);
  return cl;
}

/** A native closure of wasm table index `f` with `n` nil upvalues. */
export function luaF_newCclosure(f: u32, n: i32): usize {
  const cl = newobj(VCCL_TT, sizeCclosure(n));
  store<u8>(cl, <u8>n, 6);
  store<u32>(cl, f, 12);
  for (let i = 0; i < n; i++) setnilvalue(ccl_upvalue(cl, i));
  return cl;
}

/** Byte offsets for the code generator (jit/compile.ts): a Lua closure's upvalue pointers, an
 *  upvalue's value pointer. */
// @ts-ignore: decorator
@inline export const CL_UPVALS_OFFSET: u32 = 16;
// @ts-ignore: decorator
@inline export const UV_V_OFFSET: u32 = 8;

// ==== Upvalues ====
// @ts-ignore: decorator
@inline export function uv_v(uv: usize): usize { return load<usize>(uv, 8); }
// @ts-ignore: decorator
@inline export function uv_setv(uv: usize, v: usize): void { store<usize>(uv, v, 8); }
// @ts-ignore: decorator
@inline export function uv_opennext(uv: usize): usize { return load<usize>(uv, 12); }
// @ts-ignore: decorator
@inline export function uv_setopennext(uv: usize, n: usize): void { store<usize>(uv, n, 12); }
// @ts-ignore: decorator
@inline export function uv_level(uv: usize): i32 { return load<i32>(uv, 16); }
// @ts-ignore: decorator
@inline export function uv_setlevel(uv: usize, l: i32): void { store<i32>(uv, l, 16); }
// @ts-ignore: decorator
@inline export function uv_value(uv: usize): usize { return uv + 24; }
// @ts-ignore: decorator
@inline export function upisopen(uv: usize): bool { return uv_v(uv) != uv + 24; }

/** A new closed upvalue holding nil (used for closures made outside a running frame). */
export function luaF_newclosedupval(): usize {
  const uv = newobj(VUPVAL_TT, UPVAL_SIZE);
  uv_setv(uv, uv + 24);
  setnilvalue(uv + 24);
  return uv;
}

/** A new open upvalue for stack slot `slot` at stack index `level`, linked before `next`. */
export function luaF_newopenupval(slot: usize, level: i32, next: usize): usize {
  const uv = newobj(VUPVAL_TT, UPVAL_SIZE);
  uv_setv(uv, slot);
  uv_setlevel(uv, level);
  uv_setopennext(uv, next);
  return uv;
}

/**
 * Closes an open upvalue: copies the slot's value into the upvalue itself. An upvalue marked while
 * open is black, and the value may now live only here: barrier.
 */
export function luaF_closeupval(uv: usize): void {
  setobj(uv + 24, uv_v(uv));
  uv_setv(uv, uv + 24);
  luaC_barrier(0, uv, uv + 24);
}
