// debug-harness.ts - standalone test module for assembly/vm/debug.ts (not part of the interpreter).
// Loads a chunk compiled by luac5.4 (binary dump format of 5.4) into our Proto layout, builds a
// synthetic Lua frame stopped at a chosen instruction, and raises the error that instruction would
// raise when its operand is nil, so the message (position + variable info) can be compared with
// what lua5.4 prints. Driven by spec/unit/debug-harness.mjs.

import { luaS_init, luaS_newlstr, getstr, tsslen, luaS_new } from "../../assembly/object/string";
import { luaT_init } from "../../assembly/vm/tm";
import {
  luaF_newproto, luaF_newLclosure, luaF_newclosedupval, cl_setupval, cl_upval, uv_v, p_code, p_sizecode,
  p_proto, p_sizep, p_maxstacksize,
} from "../../assembly/object/func";
import { luaM_alloc } from "../../assembly/mem/alloc";
import {
  setnilvalue, setbvalue, setivalue, setfltvalue, setsvalue, setclLvalue, tsvalue, ttisstring, setfvalue, sethvalue,
} from "../../assembly/object/value";
import { luaE_newthread, nextci, ci_setfunc, ci_settop, ci_setsavedpc, ci_setcallstatus, L_settop, L_stack, errobj, CIST_TAIL, setglobaltable } from "../../assembly/vm/state";
import {
  luaG_typeerror, luaG_callerror, luaG_opinterror, luaG_concaterror, luaG_traceback, luaG_funcname,
  luaG_globalfuncname,
} from "../../assembly/vm/debug";
import { buf_new, buf_addbyte, Buffer } from "../../assembly/mem/buffer";
import { luaH_new, luaH_set } from "../../assembly/object/table";
import { OP, GET_OPCODE, GETARG_A, GETARG_B, GETARG_k } from "../../assembly/vm/opcodes";

export const inbuf: usize = memory.data(1 << 16);
export const outbuf: usize = memory.data(1 << 16);
let pos: usize = 0;
let inited = false;

function byte(): i32 { return load<u8>(pos++); }
function size(): i32 {                     // MSB-first 7-bit groups, last byte marked with 0x80
  let x = 0;
  for (;;) { const b = byte(); x = (x << 7) | (b & 0x7f); if (b & 0x80) return x; }
  return x;
}
function str(): usize {
  const n = size();
  if (n == 0) return 0;
  const ts = luaS_newlstr(pos, n - 1);
  pos += <usize>(n - 1);
  return ts;
}
function arr(n: i32, elsz: usize): usize { return n == 0 ? 0 : luaM_alloc(<usize>n * elsz); }

function loadfunction(psource: usize): usize {
  const p = luaF_newproto();
  let src = str();
  if (src == 0) src = psource;
  store<usize>(p, src, 64);
  const linedefined = size();
  store<i32>(p, linedefined, 32);
  store<i32>(p, size(), 36);
  store<u8>(p, <u8>byte(), 6); store<u8>(p, <u8>byte(), 7); store<u8>(p, <u8>byte(), 8);
  const ncode = size();
  store<i32>(p, ncode, 20);
  const code = arr(ncode, 4);
  store<usize>(p, code, 44);
  for (let i = 0; i < ncode; i++) { store<u32>(code + (<usize>i << 2), load<u32>(pos)); pos += 4; }
  const nk = size();
  store<i32>(p, nk, 16);
  const k = arr(nk, 16);
  store<usize>(p, k, 40);
  for (let i = 0; i < nk; i++) {
    const o = k + (<usize>i << 4);
    const t = byte();
    if (t == 0) setnilvalue(o);
    else if (t == 1) setbvalue(o, false);
    else if (t == 17) setbvalue(o, true);
    else if (t == 3) { setivalue(o, load<i64>(pos)); pos += 8; }
    else if (t == 19) { setfltvalue(o, load<f64>(pos)); pos += 8; }
    else setsvalue(o, str());
  }
  const nup = size();
  store<i32>(p, nup, 12);
  const ups = arr(nup, 8);
  store<usize>(p, ups, 52);
  for (let i = 0; i < nup; i++) {
    const d = ups + (<usize>i << 3);
    store<usize>(d, 0); store<u8>(d, <u8>byte(), 4); store<u8>(d, <u8>byte(), 5); store<u8>(d, <u8>byte(), 6);
  }
  const np = size();
  store<i32>(p, np, 24);
  const ps = arr(np, 4);
  store<usize>(p, ps, 48);
  for (let i = 0; i < np; i++) store<usize>(ps + (<usize>i << 2), loadfunction(src));
  // debug: relative lineinfo, absolute line info, locvars, upvalue names
  const nli = size();
  const rel = pos; pos += <usize>nli;
  const nabs = size();
  const absp = memory.data(8 * 1024);
  for (let i = 0; i < nabs; i++) { store<i32>(absp + (<usize>i << 3), size()); store<i32>(absp + (<usize>i << 3), size(), 4); }
  if (nli > 0) {
    const li = arr(ncode, 4);
    store<usize>(p, li, 56);
    let line = linedefined;
    let ai = 0;
    for (let i = 0; i < ncode; i++) {
      const d = <i32>load<i8>(rel + <usize>i);
      if (d == -128) { line = load<i32>(absp + (<usize>ai << 3), 4); ai++; }
      else line += d;
      store<i32>(li + (<usize>i << 2), line);
    }
  }
  const nlv = size();
  store<i32>(p, nlv, 28);
  const lv = arr(nlv, 12);
  store<usize>(p, lv, 60);
  for (let i = 0; i < nlv; i++) {
    const v = lv + <usize>i * 12;
    store<usize>(v, str()); store<i32>(v, size(), 4); store<i32>(v, size(), 8);
  }
  const nun = size();
  for (let i = 0; i < nun; i++) store<usize>(ups + (<usize>i << 3), str());
  return p;
}

/** Parses the luac output in inbuf; returns the main prototype. */
export function t_load(len: i32): usize {
  if (!inited) { luaS_init(); luaT_init(); inited = true; }
  pos = inbuf + 4 + 1 + 1 + 6 + 3 + 8 + 8;  // signature, version, format, LUAC_DATA, sizes, LUAC_INT, LUAC_NUM
  byte();                                   // number of upvalues of the main closure
  return loadfunction(0);
}

export function t_sub(p: usize, i: i32): usize { return i < p_sizep(p) ? p_proto(p, i) : 0; }
export function t_sizecode(p: usize): i32 { return p_sizecode(p); }

function outstr(ts: usize): i32 {
  memory.copy(outbuf, getstr(ts), <usize>tsslen(ts));
  return tsslen(ts);
}

/**
 * Builds a thread whose running frame executes `p` stopped at instruction `pc` (all registers
 * and upvalues nil) and raises the error that instruction raises on a nil operand. Returns the
 * message length in outbuf, or -1 if the instruction cannot fail that way.
 */
export function t_error(p: usize, pc: i32): i32 {
  const L = luaE_newthread();
  const func = L_stack(L) + 16;
  const cl = luaF_newLclosure(p, load<i32>(p, 12));
  for (let i = 0; i < load<i32>(p, 12); i++) cl_setupval(cl, i, luaF_newclosedupval());
  setclLvalue(func, cl);
  const ci = nextci(L);
  ci_setfunc(ci, func);
  const top = func + 16 + (<usize>p_maxstacksize(p) << 4);
  for (let o = func + 16; o < top + 64; o += 16) setnilvalue(o);
  ci_settop(ci, top);
  L_settop(L, top);
  ci_setcallstatus(ci, 0);
  ci_setsavedpc(ci, p_code(p) + (<usize>(pc + 1) << 2));
  const i = load<u32>(p_code(p) + (<usize>pc << 2));
  const a = GETARG_A(i), b = GETARG_B(i);
  const base = func + 16;
  switch (GET_OPCODE(i)) {
    case OP.GETTABUP: luaG_typeerror(L, uv_v(cl_upval(cl, b)), "index"); break;
    case OP.SETTABUP: luaG_typeerror(L, uv_v(cl_upval(cl, a)), "index"); break;
    case OP.GETTABLE: case OP.GETI: case OP.GETFIELD: case OP.SELF:
      luaG_typeerror(L, base + (<usize>b << 4), "index"); break;
    case OP.SETTABLE: case OP.SETI: case OP.SETFIELD:
      luaG_typeerror(L, base + (<usize>a << 4), "index"); break;
    case OP.CALL: case OP.TAILCALL: luaG_callerror(L, base + (<usize>a << 4)); break;
    case OP.MMBIN: luaG_opinterror(L, base + (<usize>a << 4), base + (<usize>b << 4), "perform arithmetic on"); break;
    case OP.MMBINI: case OP.MMBINK: {
      const kv = memory.data(16); setivalue(kv, 1);
      const r = base + (<usize>a << 4);
      if (GETARG_k(i)) luaG_opinterror(L, kv, r, "perform arithmetic on");
      else luaG_opinterror(L, r, kv, "perform arithmetic on");
      break;
    }
    case OP.UNM: luaG_typeerror(L, base + (<usize>b << 4), "perform arithmetic on"); break;
    case OP.LEN: luaG_typeerror(L, base + (<usize>b << 4), "get length of"); break;
    case OP.CONCAT: {
      const n = b;                                  // R[A] .. R[A+n-1]; the last pair fails first
      const p1 = base + (<usize>(a + n - 2) << 4);
      luaG_concaterror(L, p1, p1 + 16); break;
    }
    default: return -1;
  }
  return outstr(tsvalue(errobj));
}

/**
 * Builds frames: p0 (pc0) calls p1 (pc1) which calls ... (a chain of `n` protos in `ps`), and
 * returns the traceback from level 0, or the funcname of the top frame when `fname` is set.
 */
export function t_trace(ps: usize, pcs: usize, n: i32, fname: bool, tails: i32): i32 {
  const L = luaE_newthread();
  let func = L_stack(L) + 16;
  let ci: usize = 0;
  for (let k = 0; k < n; k++) {
    const p = load<usize>(ps + (<usize>k << 2));
    const cl = luaF_newLclosure(p, load<i32>(p, 12));
    for (let i = 0; i < load<i32>(p, 12); i++) cl_setupval(cl, i, luaF_newclosedupval());
    setclLvalue(func, cl);
    ci = nextci(L);
    ci_setfunc(ci, func);
    const top = func + 16 + (<usize>p_maxstacksize(p) << 4);
    ci_settop(ci, top);
    ci_setcallstatus(ci, (tails >> k) & 1 ? CIST_TAIL : 0);
    ci_setsavedpc(ci, p_code(p) + (<usize>(load<i32>(pcs + (<usize>k << 2)) + 1) << 2));
    func = top;
  }
  L_settop(L, func);
  const b = buf_new();
  if (fname) luaG_funcname(L, ci, b);
  else luaG_traceback(L, L, 0, 0, b);
  memory.copy(outbuf, b.ptr, <usize>b.len);
  return b.len;
}

/** Global names: _G.print, string.format, an unknown function; returns "print|string.format|" in outbuf. */
export function t_globalnames(): i32 {
  if (!inited) { luaS_init(); luaT_init(); inited = true; }
  const G = luaH_new();
  const S = luaH_new();
  const k = memory.data(16), v = memory.data(16);
  setsvalue(k, luaS_new("print")); setfvalue(v, 7); luaH_set(G, k, v);
  setsvalue(k, luaS_new("x")); setivalue(v, 1); luaH_set(G, k, v);
  setsvalue(k, luaS_new("string")); sethvalue(v, S); luaH_set(G, k, v);
  setsvalue(k, luaS_new("format")); setfvalue(v, 9); luaH_set(S, k, v);
  setglobaltable(G);
  const b = buf_new();
  setfvalue(v, 7); luaG_globalfuncname(v, b); buf_addbyte(b, 124);
  setfvalue(v, 9); luaG_globalfuncname(v, b); buf_addbyte(b, 124);
  setfvalue(v, 11); luaG_globalfuncname(v, b);
  memory.copy(outbuf, b.ptr, <usize>b.len);
  return b.len;
}
