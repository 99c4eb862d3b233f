// calls.ts - the baseline JIT's calls and returns (jit/compile.ts calls them): CALL (a compiled Lua
// callee entered directly, the function's own prototype by a direct wasm call, math natives inline,
// anything else through jit/helpers.ts luaJ_call) and RETURN0/RETURN1 into a caller that takes
// their results.
// Invariant: a callee's frame is set up exactly as OP_CALL's fast path does, so the interpreter,
// the collector, errors and tracebacks see the same CallInfos with or without compiled code.

import * as w from "./wasmgen";
import { JITFLAGS_OFFSET, JITF_NODIRECT } from "../object/func";
import {
  p_maxstacksize, p_numparams, JIT_DECLINED, CL_PROTO_OFFSET, P_NUMPARAMS_OFFSET,
  P_MAXSTACKSIZE_OFFSET, P_CODE_OFFSET, JITENTRY_OFFSET, JITCALLS_OFFSET, cl_upval, cl_nupvalues, cl_proto, uv_v,
} from "../object/func";
import {
  TV_TT_OFFSET, TV_VALUE_OFFSET, LUA_VNUMINT, LUA_VNUMFLT, LUA_VNIL, LUA_VLCL, LUA_VLCF,
  ttislcf, ttisCclosure, ttisLclosure, ttistable, ttisshrstring, hvalue, tsvalue, clvalue, fvalue,
} from "../object/value";
import { luaH_getshortstr } from "../object/table";
import {
  CI_FUNC_OFFSET, CI_PREVIOUS_OFFSET, CI_SAVEDPC_OFFSET, CI_NRESULTS_OFFSET, CI_CALLSTATUS_OFFSET,
  L_TOP_OFFSET, L_CI_OFFSET, CIST_FRESH, CIST_FINISHOP, CI_TOP_OFFSET, CI_NEXT_OFFSET,
  L_STACKLAST_OFFSET, LUA_MULTRET,
} from "../vm/state";
import { OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_C } from "../vm/opcodes";
import { JIT_RETURNED } from "../vm/tier";
import { luaJ_call, luaJ_exited } from "./helpers";
import { STRESS } from "../luaconf";
import {
  roff, ldtag, ldint, ldflt, ldptr, stint, stflt, copytv, rc_slowbegin, fwd_reg,
} from "./regcache";
import {
  BASE, CL, CODE, D1, E, FX, LOCAL_CI, LOCAL_L, NCI, P, PROTO, T1, T2, TENTRY, THELPER, X, c, callhelper,
  callout, code, entryargs, exitat, isleader, kaddr, ldfield, loadbase, proto, savepc, selfcalls, slowreturn, tagis,
  tonum, toodeep,
} from "./emit";
import * as S from "./emit";

/** Exits at pc when frame ci is a loop's entry frame or a resumed metamethod (returns are the interpreter's). */
export function frameguard(pc: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_CALLSTATUS_OFFSET);
  w.emit_i32_const(c, <i32>(CIST_FRESH | CIST_FINISHOP)); w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);
}

/**
 * RETURN0 / RETURN1 when the frame is neither a loop's entry frame (CIST_FRESH) nor a resumed
 * metamethod (CIST_FINISHOP) and its caller wants 0 or 1 results or all of them (LUA_MULTRET), as
 * luaD_poscall places them; anything else exits to the interpreter's return. A frame a compiled
 * caller's direct CALL set up for one result (emit.ts ST_DIRECT1) is known to be such a frame.
 */
export function ret01(pc: i32, a: i32, n: i32): void {
  w.emit_local_get(c, BASE); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_SUB); w.emit_local_set(c, T1); // (ci.func)
  // a frame a compiled caller's direct CALL set up for one result (ST_DIRECT1): nothing to ask
  w.emit_local_get(c, D1);
  w.emit_if(c, w.BT_VOID);
  onevalue(a, n);
  popframe(1, false);
  w.emit_end(c);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_CALLSTATUS_OFFSET);
  w.emit_i32_const(c, <i32>(CIST_FRESH | CIST_FINISHOP)); w.emit_op(c, w.OP_I32_AND);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_NRESULTS_OFFSET);
  w.emit_local_tee(c, T2);
  w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
  w.emit_i32_const(c, 2); w.emit_op(c, w.OP_I32_GT_U);     // wanted: LUA_MULTRET, 0 or 1 (not 2+)
  w.emit_op(c, w.OP_I32_OR);
  w.emit_if(c, w.BT_VOID); exitat(pc); w.emit_end(c);
  // T2 := the results the caller gets (luaD_poscall): RETURN1 gives 1 unless 0 are wanted, RETURN0
  // gives a nil when 1 is wanted and nothing otherwise (LUA_MULTRET: as many as there are)
  w.emit_local_get(c, T2); w.emit_i32_const(c, n == 1 ? 0 : 1); w.emit_op(c, n == 1 ? w.OP_I32_NE : w.OP_I32_EQ);
  w.emit_local_tee(c, T2);
  w.emit_if(c, w.BT_VOID);                             // one result: R[a], or nil
  onevalue(a, n);
  w.emit_end(c);
  popframe(-1);
}

/** The most values a RETURN places inline (retn; more: luaJ_return). */
// @ts-ignore: decorator
@inline export const RETN_MAX: i32 = 4;

/**
 * RETURN of `n` (2 to RETN_MAX) values R[a] ... into a caller that wants exactly n or all of them
 * (LUA_MULTRET), as luaD_poscall places them: a function returning a pair to a compiled caller's
 * `k, i = f(...)`. The frame is neither a loop's entry frame nor a resumed metamethod (frameguard
 * exited before), and no upvalues are closed or varargs dropped (the instruction's k and C are 0).
 * Any other count wanted goes on to luaJ_return after this.
 */
export function retn(a: i32, n: i32): void {
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_NRESULTS_OFFSET); w.emit_local_tee(c, T2);
  w.emit_i32_const(c, n); w.emit_op(c, w.OP_I32_EQ);
  w.emit_local_get(c, T2); w.emit_i32_const(c, LUA_MULTRET); w.emit_op(c, w.OP_I32_EQ);
  w.emit_op(c, w.OP_I32_OR);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, BASE); w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_SUB); w.emit_local_set(c, T1); // (ci.func)
  for (let j = 0; j < n; j++) copytv(T1, roff(j), BASE, roff(a + j));   // (downwards: j below a + j + 1)
  popframe(n);
  w.emit_end(c);
}

/** The one result at the function slot (in T1): R[a] for RETURN1, nil for RETURN0. */
function onevalue(a: i32, n: i32): void {
  if (n == 1) copytv(T1, 0, BASE, roff(a));
  else { w.emit_local_get(c, T1); w.emit_i32_const(c, LUA_VNIL); w.emit_store(c, w.OP_I32_STORE, 2, TV_TT_OFFSET); }
}

/**
 * L.top := past the `results` (-1: as many as T2 says) at the function slot in T1 (unless `settop`
 * is false), L.ci := the caller's; returns. A compiled caller's direct CALL for one result
 * (ST_DIRECT1) reads no L.top after it: a CALL's fixed results leave L.top free, as in the
 * interpreter, where whatever reads it next (a helper, the collector, a call) sets it first.
 */
function popframe(results: i32, settop: bool = true): void {
  if (settop) {
    w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, T1);
    if (results >= 0) w.emit_i32_const(c, results << 4);
    else { w.emit_local_get(c, T2); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); }
    w.emit_op(c, w.OP_I32_ADD);
    w.emit_store(c, w.OP_I32_STORE, 2, L_TOP_OFFSET);
  }
  w.emit_local_get(c, LOCAL_L);
  w.emit_local_get(c, LOCAL_CI); w.emit_load(c, w.OP_I32_LOAD, 2, CI_PREVIOUS_OFFSET);
  w.emit_store(c, w.OP_I32_STORE, 2, L_CI_OFFSET);
  w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_RETURN);
}

/**
 * Pushes whether a call of R[a] with `b` - 1 arguments (b = 0: up to L.top, where the CALL or
 * VARARG before left it) gives its callee fewer than its fixed parameters: the callee prototype in
 * local P, or this function's own (`self`: its count a constant). Direct calls need them all (no
 * nils to add).
 */
export function argsshort(a: i32, b: i32, self: bool): void {
  if (b != 0) {
    w.emit_i32_const(c, b - 1);
    if (self) w.emit_i32_const(c, <i32>p_numparams(proto));
    else { w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_NUMPARAMS_OFFSET); }
  } else {                                             // (in bytes: L.top - R[A+1] < numparams * 16)
    ldfield(LOCAL_L, L_TOP_OFFSET); w.emit_local_get(c, BASE); w.emit_op(c, w.OP_I32_SUB);
    w.emit_i32_const(c, <i32>roff(a + 1)); w.emit_op(c, w.OP_I32_SUB);
    if (self) w.emit_i32_const(c, <i32>p_numparams(proto) << 4);
    else { w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_NUMPARAMS_OFFSET); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); }
  }
  w.emit_op(c, w.OP_I32_LT_S);
}

/**
 * The direct call of callop (inside its $done and $slow blocks, $slow at depth `slow`): the
 * guards (else br $slow), the callee's frame, the call, and on JIT_RETURNED br $done; any other
 * status is returned after luaJ_exited. `self`: the callee is this prototype (P = PROTO, compiled
 * with an entry at pc 0, its sizes constants here), called directly as function 0 of the module.
 */
export function directcall(a: i32, b: i32, nres: i32, self: bool, slow: i32): void {
  const done = slow + 1;
  const ms = <i32>p_maxstacksize(proto) << 4;
  if (!self) {
    // E = the callee's table slot (neither 0 nor JIT_DECLINED)
    ldfield(P, JITENTRY_OFFSET); w.emit_local_tee(c, E);
    w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_SUB); w.emit_i32_const(c, <i32>(JIT_DECLINED - 1));
    w.emit_op(c, w.OP_I32_GE_U);
  }
  if (!self) {                                         // an entry at pc 0, not deopted (jitmap[0])
    ldfield(P, JITFLAGS_OFFSET);
    w.emit_i32_const(c, <i32>JITF_NODIRECT); w.emit_op(c, w.OP_I32_AND); w.emit_op(c, w.OP_I32_OR);
  } else {                                             // (this code runs: recursion goes on in it,
    w.emit_i32_const(c, 0);                            // deopted or not; deopt is for entries)
  }
  // all fixed parameters given (no nils to add; B = 0: the arguments run up to L.top, where the
  // call or VARARG before left it), and hasstack(L, maxstacksize) past the arguments' end
  if (!self || b == 0) { argsshort(a, b, self); w.emit_op(c, w.OP_I32_OR); }
  ldfield(LOCAL_L, L_STACKLAST_OFFSET);
  if (b != 0) { w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a + b)); w.emit_op(c, w.OP_I32_ADD); }
  else ldfield(LOCAL_L, L_TOP_OFFSET);
  w.emit_op(c, w.OP_I32_SUB);
  if (self) w.emit_i32_const(c, ms);
  else { w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET); w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); }
  w.emit_op(c, w.OP_I32_LE_S); w.emit_op(c, w.OP_I32_OR);
  // a CallInfo to reuse, and the nesting bound
  ldfield(LOCAL_CI, CI_NEXT_OFFSET); w.emit_local_tee(c, NCI); w.emit_op(c, w.OP_I32_EQZ); w.emit_op(c, w.OP_I32_OR);
  toodeep(); w.emit_op(c, w.OP_I32_OR);
  w.emit_br_if(c, slow);
  // L.top stays where it was: the interpreter's CALL sets it to the arguments' end for
  // luaD_precall, where only a vararg callee reads it (VARARGPREP counts its extra arguments), and
  // a vararg function is never entered here (VARARGPREP is not compiled, so it has no entry at pc
  // 0: compile.ts entrymap). Nothing else reads it before setting it, as after a CALL's fixed
  // results: the helpers and the interpreter set L.top before a call, a collection or an error.

  // the callee's frame (as OP_CALL's fast path and luaD_precall set it up): nresults and
  // callstatus 0 are neighbours, stored as one i64
  if (CI_CALLSTATUS_OFFSET != CI_NRESULTS_OFFSET + 4) ERROR("directcall: callstatus must follow nresults");
  w.emit_local_get(c, NCI); w.emit_i64_const(c, <i64><u32>nres);
  w.emit_store(c, w.OP_I64_STORE, 2, CI_NRESULTS_OFFSET);
  w.emit_local_get(c, NCI); w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
  w.emit_local_tee(c, T1); w.emit_store(c, w.OP_I32_STORE, 2, CI_FUNC_OFFSET);
  w.emit_local_get(c, NCI);
  w.emit_local_get(c, T1);
  if (self) { w.emit_i32_const(c, 16 + ms); w.emit_op(c, w.OP_I32_ADD); }
  else {
    w.emit_i32_const(c, 16); w.emit_op(c, w.OP_I32_ADD);
    w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD8_U, 0, P_MAXSTACKSIZE_OFFSET);
    w.emit_i32_const(c, 4); w.emit_op(c, w.OP_I32_SHL); w.emit_op(c, w.OP_I32_ADD);
  }
  w.emit_store(c, w.OP_I32_STORE, 2, CI_TOP_OFFSET);
  w.emit_local_get(c, NCI);
  if (self) w.emit_local_get(c, CODE); else ldfield(P, P_CODE_OFFSET);
  w.emit_store(c, w.OP_I32_STORE, 2, CI_SAVEDPC_OFFSET);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, NCI); w.emit_store(c, w.OP_I32_STORE, 2, L_CI_OFFSET);
  // jitcalls++ (entries, against which vm/tier.ts weighs misses; recursion's are its outer call's),
  // the call (its depth: entryargs)
  if (!self) {
    w.emit_local_get(c, P); ldfield(P, JITCALLS_OFFSET); w.emit_i32_const(c, 1); w.emit_op(c, w.OP_I32_ADD);
    w.emit_store(c, w.OP_I32_STORE, 2, JITCALLS_OFFSET);
  }
  const callee = self ? PROTO : P;
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, NCI); w.emit_local_get(c, callee);
  entryargs(T1, P, !self, self ? P : -1, nres == 1);   // (a call of itself: P is still the closure)
  if (self) w.emit_call(c, 0);
  else { w.emit_local_get(c, E); w.emit_call_indirect(c, TENTRY); }
  w.emit_local_set(c, T1);
  w.emit_local_get(c, T1); w.emit_i32_const(c, JIT_RETURNED); w.emit_op(c, w.OP_I32_EQ); w.emit_br_if(c, done);
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI); w.emit_local_get(c, callee); w.emit_local_get(c, T1);
  w.emit_i32_const(c, 0);
  callout(<i32>luaJ_exited.index);
  w.emit_op(c, w.OP_RETURN);
}

/**
 * CALL: ci.savedpc := pc + 1 and L.top := the arguments' end (as the interpreter's CALL), then
 * - directly, OP_CALL's fast path: a Lua closure whose prototype is compiled with an entry at pc 0,
 *   given all its fixed parameters (B > 0, or B = 0 with L.top past them), with stack room, a CallInfo to reuse and the nesting
 *   bound not reached (vm/tier.ts JIT_MAXDEPTH): its frame is set up here and its code called
 *   through the table; when it returns, compiled code goes on; any other status is returned (after
 *   the deopt check luaV_jitenter would make, luaJ_exited);
 * - else luaJ_call (jit/helpers.ts), which does what the interpreter's CALL does.
 */
export function callop(pc: i32, i: u32): void {
  const a = GETARG_A(i), b = GETARG_B(i), nres = GETARG_C(i) - 1;
  const fast = fastcallable(pc, i);                    // f(x) giving one value: maybe a fastcall
  if (fast) {
    w.emit_block(c, w.BT_VOID);                        // $after
    w.emit_block(c, w.BT_VOID);                        // $call
    S.extra += 2;
    fastcall(a);
    w.emit_end(c);
    S.extra--;
    rc_slowbegin();                                    // (an aware unit: the call's path stores the dirty registers)
  }
  savepc(pc + 1);                                      // (L.top: directcall, luaJ_call)
  w.emit_block(c, w.BT_VOID);                          // $done
  w.emit_block(c, w.BT_VOID);                          // $slow
  // (stress builds move the stack at every call; a native callee is called by the helper)
  const hint = calleehint(pc, a);
  if (!STRESS && hint != HINT_NATIVE) {
    ldtag(a); w.emit_i32_const(c, LUA_VLCL); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, 0);
    if (fwd_reg() == a) ldptr(a);                      // (from GETUPVAL's locals: regcache.ts "Forwarding")
    else { w.emit_local_get(c, BASE); w.emit_load(c, w.OP_I32_LOAD, 2, roff(a) + TV_VALUE_OFFSET); }
    w.emit_local_set(c, P);                            // (the closure, then its prototype)
    // a call of this prototype (recursion) when its whole code is compiled: what the general path
    // reads of the callee is known here, and the call is a direct one. The running closure itself
    // (recursion through an upvalue or a global) is known without loading its prototype.
    const selfok = selfcalls && (b == 0 || b - 1 >= p_numparams(proto)) && hint != HINT_OTHER;
    if (selfok) {
      w.emit_local_get(c, P); w.emit_local_get(c, CL); w.emit_op(c, w.OP_I32_EQ);
      w.emit_if(c, w.WT_I32);
      w.emit_i32_const(c, 1);
      w.emit_else(c);
      w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD, 2, CL_PROTO_OFFSET); w.emit_local_get(c, PROTO);
      w.emit_op(c, w.OP_I32_EQ);
      w.emit_end(c);
      w.emit_if(c, w.BT_VOID);
      S.extra++;
      directcall(a, b, nres, true, 1);
      S.extra--;
      w.emit_end(c);
    }
    if (!selfok || hint != HINT_SELF) {
      w.emit_local_get(c, P); w.emit_load(c, w.OP_I32_LOAD, 2, CL_PROTO_OFFSET); w.emit_local_set(c, P);
      directcall(a, b, nres, false, 0);
    }
  }
  w.emit_end(c);                                       // $slow: the helper
  S.extra += 1;
  w.emit_local_get(c, LOCAL_L); w.emit_local_get(c, LOCAL_CI);
  w.emit_local_get(c, BASE); w.emit_i32_const(c, <i32>roff(a)); w.emit_op(c, w.OP_I32_ADD);
  w.emit_i32_const(c, b); w.emit_i32_const(c, nres);
  callhelper(pc, <i32>luaJ_call.index, -1);
  S.extra -= 1;
  w.emit_end(c);                                       // $done
  loadbase();
  if (fast) {
    // (an aware unit: what the callee's Lua code may have changed, and R[A], loaded again; registers
    // above R[A] were the callee's frame and are dead, whatever their locals hold)
    slowreturn(pc + 1, a, 1);
    w.emit_end(c); S.extra--;                          // $after
  }
}

// ==== Callee hints ====

// What R[a], the callee of a CALL, held when this compile started (calleehint):
// @ts-ignore: decorator
@inline const HINT_UNKNOWN: i32 = 0;
// @ts-ignore: decorator
@inline const HINT_NATIVE: i32 = 1;   // a C function
// @ts-ignore: decorator
@inline const HINT_SELF: i32 = 2;     // a closure of the prototype being compiled
// @ts-ignore: decorator
@inline const HINT_OTHER: i32 = 3;    // a closure of another prototype

/**
 * What R[a], the callee of the CALL (or TAILCALL) at pc, held when this compile started, when it
 * was loaded in pc's block by GETUPVAL, or by GETTABUP or GETFIELD from a table so loaded or moved
 * (`sub(s, i, i)`, `string.format(...)`, a recursive `decode(s, i)`), as the running closure
 * (emit.ts closure) sees it now, without metamethods. callop emits only the paths such a callee takes: none of the
 * direct calls for a native (luaJ_call calls it), only the call of itself or only the general one
 * for a Lua function; each path skipped is ~150 bytes of wasm a site that V8 compiles for nothing.
 * A hint shapes the code only: a callee that turns out otherwise is still called, by the helper.
 */
function calleehint(pc: i32, a: i32): i32 {
  const v = peek(pc, a, 3);
  if (v == 0) return HINT_UNKNOWN;
  if (ttislcf(v) || ttisCclosure(v)) return HINT_NATIVE;
  if (!ttisLclosure(v)) return HINT_UNKNOWN;
  return cl_proto(clvalue(v)) == proto ? HINT_SELF : HINT_OTHER;
}

/** Whether R[a], the callee of the CALL or TAILCALL at pc, held a native (calleehint): the helper calls it. */
export function calleenative(pc: i32, a: i32): bool { return calleehint(pc, a) == HINT_NATIVE; }

/**
 * The address of the value R[r] holds before pc as calleehint reads it (0: unknown): the last
 * instruction of pc's block before pc that writes R[r] (one that may write a range from below r
 * ends the search), followed through at most `depth` loads.
 */
function peek(pc: i32, r: i32, depth: i32): usize {
  const cl = S.closure;
  if (cl == 0 || depth == 0) return 0;
  for (let j = pc - 1; j >= 0 && !isleader(j + 1); j--) {
    const i = load<u32>(code + (<usize>j << 2));
    const op = GET_OPCODE(i), a = GETARG_A(i);
    switch (op) {
      case OP.CALL: case OP.TAILCALL: case OP.VARARG: case OP.TFORCALL: case OP.TFORPREP: case OP.TFORLOOP:
      case OP.FORPREP: case OP.FORLOOP: case OP.LOADNIL: case OP.SELF: case OP.CONCAT:
        if (a <= r) return 0;                          // (R[A] and registers above it)
        continue;
    }
    if (a != r) continue;
    switch (op) {
      case OP.GETUPVAL: return upvalue(cl, GETARG_B(i));
      case OP.MOVE: return peek(j, GETARG_B(i), depth - 1);
      case OP.GETTABUP: return field(upvalue(cl, GETARG_B(i)), GETARG_C(i));
      case OP.GETFIELD: return field(peek(j, GETARG_B(i), depth - 1), GETARG_C(i));
    }
    return 0;                                          // (written by anything else, or read only)
  }
  return 0;
}

/** The address of closure cl's upvalue b's value, or 0 when it has no such upvalue. */
function upvalue(cl: usize, b: i32): usize { return b < cl_nupvalues(cl) ? uv_v(cl_upval(cl, b)) : 0; }

/** t[K[k]] without metamethods when t (an address, 0: unknown) is a table and K[k] a short string; else 0. */
function field(t: usize, k: i32): usize {
  const key = kaddr(k);
  if (t == 0 || !ttistable(t) || !ttisshrstring(key)) return 0;
  return luaH_getshortstr(hvalue(t), tsvalue(key));
}

/**
 * Whether CALL i at pc is f(x) wanting one value, which fastcall may compute inline: such a unit is
 * aware of the register cache (jit/compile.ts unit): its inline path works on locals, and only the
 * path that really calls stores the dirty registers first and reloads after (regcache.ts
 * rc_slowbegin). A callee known (calleehint's peek) to be a Lua function or another native gets
 * none of fastcall's ~250 bytes of tests: json.lua's decode makes 26 calls, `type(v)`, `sub(s, i, i)`
 * and `skip(s, i)` among them, none a math native.
 */
export function fastcallable(pc: i32, i: u32): bool {
  if (GETARG_B(i) != 2 || GETARG_C(i) != 2 || sqrtfn == 0) return false;
  const v = peek(pc, GETARG_A(i), 3);
  if (v == 0 || !(ttislcf(v) || ttisCclosure(v) || ttisLclosure(v))) return true;   // (unknown)
  if (!ttislcf(v)) return false;
  const f = fvalue(v);
  return f == sqrtfn || f == absfn || f == floorfn || f == ceilfn;
}

/**
 * Light natives run inline at a call R[a](R[a+1]) wanting one result (in block $call, inside
 * $after): math.sqrt, math.abs, math.floor and math.ceil of a number, computed as lib/math.ts does
 * and stored in R[a], then on after the call ($after). Anything else (another callee, a non-number
 * argument: the native's own conversion or error) branches to $call. Nothing of the frame is
 * observable: a native that cannot fail, with no hook armed in compiled code, leaves only its result.
 */
export function fastcall(a: i32): void {
  ldtag(a); w.emit_i32_const(c, LUA_VLCF); w.emit_op(c, w.OP_I32_NE); w.emit_br_if(c, 0);
  ldtag(a + 1); w.emit_local_tee(c, T2);
  w.emit_i32_const(c, 0x10); w.emit_op(c, w.OP_I32_OR); w.emit_i32_const(c, LUA_VNUMFLT); w.emit_op(c, w.OP_I32_NE);
  w.emit_br_if(c, 0);
  ldptr(a); w.emit_local_set(c, T1);
  // sqrt: of the number as a float
  isnative(sqrtfn);
  w.emit_if(c, w.BT_VOID);
  tonum(a + 1, T2); w.emit_op(c, w.OP_F64_SQRT); w.emit_local_set(c, FX); stflt(a, FX);
  w.emit_br(c, 2);
  w.emit_end(c);
  // abs: an integer's wraps (mininteger stays), a float's clears the sign
  isnative(absfn);
  w.emit_if(c, w.BT_VOID);
  tagis(T2, LUA_VNUMINT);
  w.emit_if(c, w.BT_VOID);
  w.emit_i64_const(c, 0); ldint(a + 1); w.emit_op(c, w.OP_I64_SUB);
  ldint(a + 1);
  ldint(a + 1); w.emit_i64_const(c, 0); w.emit_op(c, w.OP_I64_LT_S);
  w.emit_op(c, w.OP_SELECT); w.emit_local_set(c, X); stint(a, X);
  w.emit_else(c);
  ldflt(a + 1); w.emit_op(c, w.OP_F64_ABS); w.emit_local_set(c, FX); stflt(a, FX);
  w.emit_end(c);
  w.emit_br(c, 2);
  w.emit_end(c);
  roundcall(a, floorfn, w.OP_F64_FLOOR);
  roundcall(a, ceilfn, w.OP_F64_CEIL);
}

/**
 * The natives fastcall computes inline, as lua_pushcfunction stores them (their AS function
 * references): handed over by lib/math.ts when it opens (0 until then: no fastcall).
 */
let sqrtfn: u32 = 0, absfn: u32 = 0, floorfn: u32 = 0, ceilfn: u32 = 0;
export function luaJ_setfastmath(sqrt: u32, abs: u32, floor: u32, ceil: u32): void {
  sqrtfn = sqrt; absfn = abs; floorfn = floor; ceilfn = ceil;
}

/** Pushes whether the light native in local T1 is `fn` (a native's value: its AS function reference, as lua_pushcfunction stores it). */
export function isnative(fn: u32): void {
  w.emit_local_get(c, T1); w.emit_i32_const(c, <i32>fn); w.emit_op(c, w.OP_I32_EQ);
}

/**
 * math.floor / math.ceil (fastcall): an integer is its own result; a float rounded (fop) is an
 * integer when it is in range (pushnumint; a NaN fails both comparisons), else that float.
 */
export function roundcall(a: i32, fn: u32, fop: u8): void {
  isnative(fn);
  w.emit_if(c, w.BT_VOID);
  tagis(T2, LUA_VNUMINT);
  w.emit_if(c, w.BT_VOID);
  ldint(a + 1); w.emit_local_set(c, X); stint(a, X);
  w.emit_else(c);
  ldflt(a + 1); w.emit_op(c, fop); w.emit_local_tee(c, FX);
  w.emit_f64_const(c, -9223372036854775808.0); w.emit_op(c, w.OP_F64_GE);
  w.emit_local_get(c, FX); w.emit_f64_const(c, 9223372036854775808.0); w.emit_op(c, w.OP_F64_LT);
  w.emit_op(c, w.OP_I32_AND);
  w.emit_if(c, w.BT_VOID);
  w.emit_local_get(c, FX); w.emit_op(c, w.OP_I64_TRUNC_F64_S); w.emit_local_set(c, X); stint(a, X);
  w.emit_else(c);
  stflt(a, FX);
  w.emit_end(c);
  w.emit_end(c);
  w.emit_br(c, 2);
  w.emit_end(c);
}
