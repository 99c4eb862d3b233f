// state.ts - threads (lua_State), call frames (CallInfo), stack growth and the global state (lstate.c).
//
// ╒═══════════════ lua_State / thread (wasm32) ═══════════════╕
// │ GCHeader: next | tt (VTHREAD) | marked                    │ 0..5
// │ status: u8   LUA_OK / LUA_YIELD / error status            │ 6
// │ top → TValue        first free slot                       │ 8
// │ stack → TValue[stacksize]                                 │ 12
// │ stack_last → TValue  stack + stacksize - EXTRA_STACK      │ 16
// │ stacksize: i32 (slots)                                    │ 20
// │ ci → CallInfo        the running frame                    │ 24
// │ base_ci → CallInfo   the first frame (host's entry)       │ 28
// │ openupval → UpVal    open upvalues, innermost first       │ 32
// │ tbclist → TValue     last to-be-closed variable (or 0)    │ 36
// │ gclist                                                    │ 40
// │ nCcalls: u32  nested native calls (low 16 bits) and       │ 44
// │               non-yieldable calls (high 16 bits)          │
// │ errfunc: i32  stack offset (bytes) of the message handler │ 48
// │ nci: i32      number of CallInfos allocated               │ 52
// └───────────────────────────────────────────────────────────┘  size 56
//
// ╒═══════════════ CallInfo (40 bytes) ═══════════════╕
// │ func → TValue   the function slot; base = func+1  │ 0
// │ top → TValue    top for this frame                │ 4
// │ previous | next → CallInfo                        │ 8, 12
// │ savedpc → u32   next instruction (Lua frames)     │ 16
// │ nextraargs: i32 extra arguments of vararg frames  │ 20
// │ nresults: i32   wanted results (-1 = LUA_MULTRET) │ 24
// │ callstatus: u32 CIST_* bits                       │ 28
// │ u1: i32         old errfunc (xpcall frames)       │ 32
// │ u2: i32         frame-specific extra              │ 36
// └───────────────────────────────────────────────────┘
// Invariant: every stack pointer kept in a CallInfo, an open upvalue, tbclist or top is corrected
// when the stack is reallocated (correctstack); code that holds a stack pointer in a local across a
// call that may grow the stack must re-derive it (e.g. `base = ci.func + 16`).

import { EXTRA_STACK, BASIC_STACK_SIZE, LUAI_MAXSTACK, LUA_MINSTACK, STRESS } from "../luaconf";
import { luaM_alloc, luaM_realloc, luaM_free, luaM_allocz } from "../mem/alloc";
import { newobj } from "../gc/collect";
import { setnilvalue, TVALUE_SIZE, getextra, setextra } from "../object/value";
import { uv_v, uv_setv, uv_opennext } from "../object/func";

// ==== Status codes (lua.h) ====
// @ts-ignore: decorator
@inline export const LUA_OK: i32 = 0;
// @ts-ignore: decorator
@inline export const LUA_YIELD: i32 = 1;
// @ts-ignore: decorator
@inline export const LUA_ERRRUN: i32 = 2;
// @ts-ignore: decorator
@inline export const LUA_ERRSYNTAX: i32 = 3;
// @ts-ignore: decorator
@inline export const LUA_ERRMEM: i32 = 4;
// @ts-ignore: decorator
@inline export const LUA_ERRERR: i32 = 5;
/** Returned by natives and internal functions when a Lua error is pending (see errobj). */
// @ts-ignore: decorator
@inline export const ERR: i32 = -1;
/** Returned by internal functions that succeed (for functions whose result is only a status). */
// @ts-ignore: decorator
@inline export const OK: i32 = 0;
// @ts-ignore: decorator
@inline export const LUA_MULTRET: i32 = -1;

// ==== CallInfo status bits (lstate.h) ====
// @ts-ignore: decorator
@inline export const CIST_OAH: u32 = 1 << 0;      // original value of 'allowhook'
// @ts-ignore: decorator
@inline export const CIST_C: u32 = 1 << 1;        // call is running a native function
// @ts-ignore: decorator
@inline export const CIST_FRESH: u32 = 1 << 2;    // execute returns when this frame returns
// @ts-ignore: decorator
@inline export const CIST_HOOKED: u32 = 1 << 3;
// @ts-ignore: decorator
@inline export const CIST_YPCALL: u32 = 1 << 4;   // protected frame (pcall/xpcall)
// @ts-ignore: decorator
@inline export const CIST_TAIL: u32 = 1 << 5;     // call was tail called
// @ts-ignore: decorator
@inline export const CIST_HOOKYIELD: u32 = 1 << 6;
// @ts-ignore: decorator
@inline export const CIST_FIN: u32 = 1 << 7;      // running a finalizer
// @ts-ignore: decorator
@inline export const CIST_TRAN: u32 = 1 << 8;
// @ts-ignore: decorator
@inline export const CIST_CLSRET: u32 = 1 << 9;   // closing tbc variables on return
// @ts-ignore: decorator
@inline export const CIST_XPCALL: u32 = 1 << 10;  // protected frame with a message handler
// @ts-ignore: decorator
@inline export const CIST_FINISHOP: u32 = 1 << 11; // a metamethod frame: on return, finish caller's op
// @ts-ignore: decorator
@inline export const CIST_LEQ: u32 = 1 << 12;     // running __lt for a '<=' (5.3 compat): negate result
// @ts-ignore: decorator
@inline export const CIST_CONT: u32 = 1 << 15;    // a native waiting for a call to finish (continuation in u1)
// @ts-ignore: decorator
@inline export const CIST_HOOKSTARTED: u32 = 1 << 13; // the call hook of this frame has run (vm/hook.ts)
// @ts-ignore: decorator
@inline export const CIST_HOOKVARARG: u32 = 1 << 14;  // vararg frame: call hook waits for VARARGPREP
// @ts-ignore: decorator
@inline export const CIST_CLSERR: u32 = 1 << 16;   // protected frame closing tbc variables after an error

// @ts-ignore: decorator
@inline export const VTHREAD_TT: u8 = 8;
// @ts-ignore: decorator
@inline export const STATE_SIZE: usize = 56;
// @ts-ignore: decorator
@inline export const CALLINFO_SIZE: usize = 40;

// ==== lua_State fields ====
// @ts-ignore: decorator
@inline export function L_status(L: usize): u8 { return load<u8>(L, 6); }
// @ts-ignore: decorator
@inline export function L_setstatus(L: usize, s: u8): void { store<u8>(L, s, 6); }
// @ts-ignore: decorator
@inline export function L_top(L: usize): usize { return load<usize>(L, 8); }
// @ts-ignore: decorator
@inline export function L_settop(L: usize, t: usize): void { store<usize>(L, t, 8); }
// @ts-ignore: decorator
@inline export function L_stack(L: usize): usize { return load<usize>(L, 12); }
// @ts-ignore: decorator
@inline export function L_stacklast(L: usize): usize { return load<usize>(L, 16); }
// @ts-ignore: decorator
@inline export function L_stacksize(L: usize): i32 { return load<i32>(L, 20); }
// @ts-ignore: decorator
@inline export function L_ci(L: usize): usize { return load<usize>(L, 24); }
// @ts-ignore: decorator
@inline export function L_setci(L: usize, ci: usize): void { store<usize>(L, ci, 24); }
// @ts-ignore: decorator
@inline export function L_baseci(L: usize): usize { return load<usize>(L, 28); }
// @ts-ignore: decorator
@inline export function L_openupval(L: usize): usize { return load<usize>(L, 32); }
// @ts-ignore: decorator
@inline export function L_setopenupval(L: usize, u: usize): void { store<usize>(L, u, 32); }
// @ts-ignore: decorator
@inline export function L_tbclist(L: usize): usize { return load<usize>(L, 36); }
// @ts-ignore: decorator
@inline export function L_settbclist(L: usize, p: usize): void { store<usize>(L, p, 36); }
// @ts-ignore: decorator
@inline export function L_gclist(L: usize): usize { return load<usize>(L, 40); }
// @ts-ignore: decorator
@inline export function L_setgclist(L: usize, g: usize): void { store<usize>(L, g, 40); }
// @ts-ignore: decorator
@inline export function L_nCcalls(L: usize): u32 { return load<u32>(L, 44); }
// @ts-ignore: decorator
@inline export function L_setnCcalls(L: usize, n: u32): void { store<u32>(L, n, 44); }
// @ts-ignore: decorator
@inline export function L_errfunc(L: usize): i32 { return load<i32>(L, 48); }
// @ts-ignore: decorator
@inline export function L_seterrfunc(L: usize, e: i32): void { store<i32>(L, e, 48); }
/** Number of native-call levels (C stack) in use. */
// @ts-ignore: decorator
@inline export function getCcalls(L: usize): u32 { return load<u32>(L, 44) & 0xFFFF; }
/** Whether the thread can yield (no non-yieldable call in progress). */
// @ts-ignore: decorator
@inline export function yieldable(L: usize): bool { return (load<u32>(L, 44) & 0xFFFF0000) == 0; }
// @ts-ignore: decorator
@inline export function incnny(L: usize): void { store<u32>(L, load<u32>(L, 44) + 0x10000, 44); }
// @ts-ignore: decorator
@inline export function decnny(L: usize): void { store<u32>(L, load<u32>(L, 44) - 0x10000, 44); }

/** Converts a stack pointer to a byte offset from the stack base (stable across reallocation). */
// @ts-ignore: decorator
@inline export function savestack(L: usize, p: usize): i32 { return <i32>(p - L_stack(L)); }
// @ts-ignore: decorator
@inline export function restorestack(L: usize, n: i32): usize { return L_stack(L) + <usize>n; }

// ==== CallInfo fields ====
/** Byte offsets of CallInfo and State fields, for the code generator (jit/compile.ts emits the
 *  loads and stores the accessors below do). */
// @ts-ignore: decorator
@inline export const CI_FUNC_OFFSET: u32 = 0;
// @ts-ignore: decorator
@inline export const CI_PREVIOUS_OFFSET: u32 = 8;
// @ts-ignore: decorator
@inline export const CI_SAVEDPC_OFFSET: u32 = 16;
// @ts-ignore: decorator
@inline export const CI_NRESULTS_OFFSET: u32 = 24;
// @ts-ignore: decorator
@inline export const CI_CALLSTATUS_OFFSET: u32 = 28;
// @ts-ignore: decorator
@inline export const CI_TOP_OFFSET: u32 = 4;
// @ts-ignore: decorator
@inline export const CI_NEXT_OFFSET: u32 = 12;
// @ts-ignore: decorator
@inline export const L_TOP_OFFSET: u32 = 8;
// @ts-ignore: decorator
@inline export const L_STACKLAST_OFFSET: u32 = 16;
// @ts-ignore: decorator
@inline export const L_CI_OFFSET: u32 = 24;
// @ts-ignore: decorator
@inline export function ci_func(ci: usize): usize { return load<usize>(ci); }
// @ts-ignore: decorator
@inline export function ci_setfunc(ci: usize, f: usize): void { store<usize>(ci, f); }
// @ts-ignore: decorator
@inline export function ci_top(ci: usize): usize { return load<usize>(ci, 4); }
// @ts-ignore: decorator
@inline export function ci_settop(ci: usize, t: usize): void { store<usize>(ci, t, 4); }
// @ts-ignore: decorator
@inline export function ci_previous(ci: usize): usize { return load<usize>(ci, 8); }
// @ts-ignore: decorator
@inline export function ci_next(ci: usize): usize { return load<usize>(ci, 12); }
// @ts-ignore: decorator
@inline export function ci_savedpc(ci: usize): usize { return load<usize>(ci, 16); }
// @ts-ignore: decorator
@inline export function ci_setsavedpc(ci: usize, pc: usize): void { store<usize>(ci, pc, 16); }
// @ts-ignore: decorator
@inline export function ci_nextraargs(ci: usize): i32 { return load<i32>(ci, 20); }
// @ts-ignore: decorator
@inline export function ci_setnextraargs(ci: usize, n: i32): void { store<i32>(ci, n, 20); }
// @ts-ignore: decorator
@inline export function ci_nresults(ci: usize): i32 { return load<i32>(ci, 24); }
// @ts-ignore: decorator
@inline export function ci_setnresults(ci: usize, n: i32): void { store<i32>(ci, n, 24); }
// @ts-ignore: decorator
@inline export function ci_callstatus(ci: usize): u32 { return load<u32>(ci, 28); }
// @ts-ignore: decorator
@inline export function ci_setcallstatus(ci: usize, s: u32): void { store<u32>(ci, s, 28); }
// @ts-ignore: decorator
@inline export function ci_u1(ci: usize): i32 { return load<i32>(ci, 32); }
// @ts-ignore: decorator
@inline export function ci_setu1(ci: usize, v: i32): void { store<i32>(ci, v, 32); }
// @ts-ignore: decorator
@inline export function ci_u2(ci: usize): i32 { return load<i32>(ci, 36); }
// @ts-ignore: decorator
@inline export function ci_setu2(ci: usize, v: i32): void { store<i32>(ci, v, 36); }
// @ts-ignore: decorator
@inline export function isLua(ci: usize): bool { return (ci_callstatus(ci) & CIST_C) == 0; }

// ==== Global state (one per wasm instance) ====
/** The main thread. */
export let mainthread: usize = 0;
/** The registry table (registry[1] = main thread, registry[2] = globals, as LUA_RIDX_*). */
export let registry: usize = 0;
/** Metatables of basic types (string metatable, etc.), indexed by basic type 0..8. */
export const mt: usize = memory.data(9 * 4);
/** The pending error object: set when a Lua error is raised, read by whoever handles it. */
export const errobj: usize = memory.data(16);
/** Globals table (_G), cached from the registry. */
export let globaltable: usize = 0;

export function setregistry(r: usize): void { registry = r; }
export function setglobaltable(g: usize): void { globaltable = g; }
export function setmainthread(L: usize): void { mainthread = L; }
// @ts-ignore: decorator
@inline export function G_mt(t: i32): usize { return load<usize>(mt + (<usize>t << 2)); }
// @ts-ignore: decorator
@inline export function G_setmt(t: i32, m: usize): void { store<usize>(mt + (<usize>t << 2), m); }

// ==== CallInfo list ====

/** The next CallInfo after the current one, allocating it if needed (luaE_extendCI). */
export function nextci(L: usize): usize {
  const ci = L_ci(L);
  let n = ci_next(ci);
  if (n == 0) {
    n = luaM_allocz(CALLINFO_SIZE);
    store<usize>(ci, n, 12);
    store<usize>(n, ci, 8);
    store<i32>(L, load<i32>(L, 52) + 1, 52);
  }
  ci_setcallstatus(n, 0);
  L_setci(L, n);
  return n;
}

/** Frees every CallInfo after the current one (luaE_shrinkCI-like; used by the collector). */
export function freeCIs(L: usize): void {
  const ci = L_ci(L);
  let n = ci_next(ci);
  store<usize>(ci, 0, 12);
  while (n != 0) {
    const nx = ci_next(n);
    luaM_free(n, CALLINFO_SIZE);
    store<i32>(L, load<i32>(L, 52) - 1, 52);
    n = nx;
  }
}

// ==== To-be-closed list ====
// L.tbclist is the innermost to-be-closed variable's slot; the extra word of each such slot holds the
// distance in slots to the next one down (0: the last), so the list needs no memory of its own.

/** Pushes the slot `obj`, above every variable already on L's list (luaF_newtbcupval's link). */
export function tbc_push(L: usize, obj: usize): void {
  const prev = L_tbclist(L);
  setextra(obj, prev == 0 ? 0 : <i32>((obj - prev) >> 4));
  L_settbclist(L, obj);
}

/** The to-be-closed variable below the one at `tbc`, or 0. */
// @ts-ignore: decorator
@inline export function tbc_below(tbc: usize): usize {
  const d = getextra(tbc);
  return d == 0 ? 0 : tbc - (<usize>d << 4);
}

// ==== Stack ====

/** Corrects every pointer into the stack after it moved from `oldstack` (correctstack). */
function correctstack(L: usize, oldstack: usize): void {
  const newstack = L_stack(L);
  const delta = <isize>newstack - <isize>oldstack;
  L_settop(L, <usize>(<isize>L_top(L) + delta));
  if (L_tbclist(L) != 0) L_settbclist(L, <usize>(<isize>L_tbclist(L) + delta));
  for (let up = L_openupval(L); up != 0; up = uv_opennext(up)) {
    uv_setv(up, <usize>(<isize>uv_v(up) + delta));
  }
  for (let ci = L_ci(L); ci != 0; ci = ci_previous(ci)) {
    ci_settop(ci, <usize>(<isize>ci_top(ci) + delta));
    ci_setfunc(ci, <usize>(<isize>ci_func(ci) + delta));
  }
}

/** Reallocates the stack to `newsize` slots (+EXTRA_STACK), fixing every pointer into it. */
export function luaD_reallocstack(L: usize, newsize: i32): void {
  const oldsize = L_stacksize(L);
  const oldstack = L_stack(L);
  const ns = luaM_realloc(oldstack, <usize>(oldsize + EXTRA_STACK) << 4, <usize>(newsize + EXTRA_STACK) << 4);
  for (let i = oldsize + EXTRA_STACK; i < newsize + EXTRA_STACK; i++) setnilvalue(ns + (<usize>i << 4));
  store<usize>(L, ns, 12);
  store<i32>(L, newsize, 20);
  store<usize>(L, ns + (<usize>newsize << 4), 16);
  if (ns != oldstack) correctstack(L, oldstack);
}

/**
 * Ensures `n` free slots above top (luaD_growstack). Returns false when the stack would pass
 * LUAI_MAXSTACK; the caller raises "stack overflow". May move the stack.
 */
export function luaD_growstack(L: usize, n: i32): bool {
  const size = L_stacksize(L);
  const needed = <i32>((L_top(L) - L_stack(L)) >> 4) + n;
  if (needed > LUAI_MAXSTACK) {
    // overflow: give the error machinery (message handler, traceback) some room, once
    if (size < ERRORSTACKSIZE) luaD_reallocstack(L, ERRORSTACKSIZE);
    return false;
  }
  if (STRESS && needed <= size) { luaD_reallocstack(L, size); return true; }   // stress: move only
  let newsize = size * 2;
  if (newsize > LUAI_MAXSTACK) newsize = LUAI_MAXSTACK;
  if (newsize < needed) newsize = needed;
  luaD_reallocstack(L, newsize);
  return true;
}

/** Stack size used while handling a stack overflow (room for handlers), as PUC's ERRORSTACKSIZE. */
// @ts-ignore: decorator
@inline export const ERRORSTACKSIZE: i32 = LUAI_MAXSTACK + 200;

/** Stress build: stacks up to this many slots move at every check (bigger ones would make deep
 *  recursion quadratic). */
// @ts-ignore: decorator
@inline const STRESS_STACKMOVE: i32 = 20000;

/** True if there is room for `n` slots above top without growing. */
// @ts-ignore: decorator
@inline export function hasstack(L: usize, n: i32): bool {
  if (STRESS && L_stacksize(L) <= STRESS_STACKMOVE) return false;   // stress: each check moves the stack
  return <isize>(L_stacklast(L) - L_top(L)) > (<isize>n << 4);
}

// ==== Thread creation ====

/** Allocates and initialises a thread with its own stack and base CallInfo (preinit + stack_init). */
export function luaE_newthread(): usize {
  const L = newobj(VTHREAD_TT, STATE_SIZE);
  const stk = luaM_alloc(<usize>(BASIC_STACK_SIZE + EXTRA_STACK) << 4);
  for (let i = 0; i < BASIC_STACK_SIZE + EXTRA_STACK; i++) setnilvalue(stk + (<usize>i << 4));
  store<usize>(L, stk, 12);
  store<i32>(L, BASIC_STACK_SIZE, 20);
  store<usize>(L, stk + (<usize>BASIC_STACK_SIZE << 4), 16);
  const ci = luaM_allocz(CALLINFO_SIZE);
  store<i32>(L, 1, 52);
  store<usize>(L, ci, 28);
  L_setci(L, ci);
  ci_setfunc(ci, stk);                       // slot 0 holds a nil "function" for the base frame
  setnilvalue(stk);
  L_settop(L, stk + TVALUE_SIZE);
  ci_settop(ci, stk + TVALUE_SIZE + (<usize>LUA_MINSTACK << 4));
  ci_setcallstatus(ci, CIST_C);
  ci_setnresults(ci, 0);
  return L;
}

/** Frees a thread's stack and CallInfos and the thread itself (called by the sweeper). */
export function luaE_freethread(L: usize): void {
  L_setci(L, L_baseci(L));
  freeCIs(L);
  luaM_free(L_baseci(L), CALLINFO_SIZE);
  luaM_free(L_stack(L), <usize>(L_stacksize(L) + EXTRA_STACK) << 4);
  luaM_free(L, STATE_SIZE);
}

