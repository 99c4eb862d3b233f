// wasmgen.ts (unit) - test entry for assembly/jit/wasmgen.ts: builds small modules with the emitter
// (t_build(which) → byte length, bytes at t_out()) that spec/unit/wasmgen.test.ts validates,
// instantiates and runs, so every encoding the JIT relies on is checked by V8's own decoder.

import * as w from "../../assembly/jit/wasmgen";
import { Buffer, buf_new, buf_reset } from "../../assembly/jit/wasmgen";

let out: Buffer | null = null;

export function t_out(): usize {
  return out!.ptr;
}
/** Bytes held by the emitter's buffers (the output buffer stays; module buffers must be freed). */
export function t_wbufbytes(): i32 {
  return w.wbufbytes;
}

/** The i64 constants checked through LEB128 (edges of each byte count, both signs). */
const K64: StaticArray<i64> = [
  0,
  1,
  -1,
  63,
  64,
  -64,
  -65,
  127,
  128,
  8191,
  8192,
  -8192,
  -8193,
  0x7fffffff,
  -0x80000000,
  i64.MAX_VALUE,
  i64.MIN_VALUE,
  -0x123456789abc,
];
const KNAMES: StaticArray<string> = [
  "k0",
  "k1",
  "k2",
  "k3",
  "k4",
  "k5",
  "k6",
  "k7",
  "k8",
  "k9",
  "k10",
  "k11",
  "k12",
  "k13",
  "k14",
  "k15",
  "k16",
  "k17",
];

export function t_kcount(): i32 {
  return K64.length;
}
export function t_k(i: i32): i64 {
  return K64[i];
}

/** Builds module `which`; returns its length (bytes at t_out()). */
export function t_build(which: i32): i32 {
  if (out == null) out = buf_new();
  const o = out!;
  buf_reset(o);
  const m = w.wm_new();
  if (which == 0) buildArith(m);
  else if (which == 1) buildControl(m);
  else if (which == 2) buildMemory(m);
  else buildConsts(m);
  w.wm_finish(m, o);
  const failed = w.wm_failed(m) || o.failed != 0;
  w.wm_free(m);
  return failed ? -1 : o.len;
}

/** add(i32, i32) → i32; fma(f64, f64, f64) → f64; imul(i64, i64) → i64 (wrapping). */
function buildArith(m: w.WasmModule): void {
  const tii = w.wm_type(m, w.sig(w.WT_I32, w.WT_I32), w.sig(w.WT_I32));
  const tfff = w.wm_type(m, w.sig(w.WT_F64, w.WT_F64, w.WT_F64), w.sig(w.WT_F64));
  const tll = w.wm_type(m, w.sig(w.WT_I64, w.WT_I64), w.sig(w.WT_I64));
  const fadd = w.wm_func(m, tii),
    ffma = w.wm_func(m, tfff),
    fmul = w.wm_func(m, tll);
  w.wm_export_func(m, "add", fadd);
  w.wm_export_func(m, "fma", ffma);
  w.wm_export_func(m, "imul", fmul);
  let f = w.fb_new(2);
  w.emit_local_get(f.code, 0);
  w.emit_local_get(f.code, 1);
  w.emit_op(f.code, w.OP_I32_ADD);
  w.wm_body(m, f);
  w.fb_free(f);
  f = w.fb_new(3);
  w.emit_local_get(f.code, 0);
  w.emit_local_get(f.code, 1);
  w.emit_op(f.code, w.OP_F64_MUL);
  w.emit_local_get(f.code, 2);
  w.emit_op(f.code, w.OP_F64_ADD);
  w.wm_body(m, f);
  w.fb_free(f);
  f = w.fb_new(2);
  w.emit_local_get(f.code, 0);
  w.emit_local_get(f.code, 1);
  w.emit_op(f.code, w.OP_I64_MUL);
  w.wm_body(m, f);
  w.fb_free(f);
}

/**
 * sum(n: i32) → i64: 1 + ... + n with a loop and br_if (and 200 unused i64 locals, so the local
 * count needs two LEB bytes); pick(k: i32) → i32: br_table to 10, 20, 30, default 99; sign(x: f64) →
 * i32: if/else nested (-1, 0, 1).
 */
function buildControl(m: w.WasmModule): void {
  const ti = w.wm_type(m, w.sig(w.WT_I32), w.sig(w.WT_I64));
  const tii = w.wm_type(m, w.sig(w.WT_I32), w.sig(w.WT_I32));
  const tfi = w.wm_type(m, w.sig(w.WT_F64), w.sig(w.WT_I32));
  const fsum = w.wm_func(m, ti),
    fpick = w.wm_func(m, tii),
    fsign = w.wm_func(m, tfi);
  w.wm_export_func(m, "sum", fsum);
  w.wm_export_func(m, "pick", fpick);
  w.wm_export_func(m, "sign", fsign);
  // sum
  let f = w.fb_new(1);
  const c = f.code;
  for (let i = 0; i < 200; i++) w.fb_local(f, w.WT_I64);
  const acc = w.fb_local(f, w.WT_I64);
  w.emit_block(c, w.BT_VOID);
  w.emit_local_get(c, 0);
  w.emit_op(c, w.OP_I32_EQZ);
  w.emit_br_if(c, 0);
  w.emit_loop(c, w.BT_VOID);
  w.emit_local_get(c, acc);
  w.emit_local_get(c, 0);
  w.emit_op(c, w.OP_I64_EXTEND_I32_U);
  w.emit_op(c, w.OP_I64_ADD);
  w.emit_local_set(c, acc);
  w.emit_local_get(c, 0);
  w.emit_i32_const(c, 1);
  w.emit_op(c, w.OP_I32_SUB);
  w.emit_local_tee(c, 0);
  w.emit_br_if(c, 0);
  w.emit_end(c);
  w.emit_end(c);
  w.emit_local_get(c, acc);
  w.wm_body(m, f);
  w.fb_free(f);
  // pick: block $d { block $c { block $b { block $a { br_table $a $b $c $d (k) } ret 10 } ret 20 } ret 30 } ret 99
  f = w.fb_new(1);
  const p = f.code;
  for (let i = 0; i < 4; i++) w.emit_block(p, w.BT_VOID);
  w.emit_local_get(p, 0);
  const targets = memory.data(12);
  store<i32>(targets, 0);
  store<i32>(targets, 1, 4);
  store<i32>(targets, 2, 8);
  w.emit_br_table(p, targets, 3, 3);
  w.emit_end(p);
  w.emit_i32_const(p, 10);
  w.emit_op(p, w.OP_RETURN);
  w.emit_end(p);
  w.emit_i32_const(p, 20);
  w.emit_op(p, w.OP_RETURN);
  w.emit_end(p);
  w.emit_i32_const(p, 30);
  w.emit_op(p, w.OP_RETURN);
  w.emit_end(p);
  w.emit_i32_const(p, 99);
  w.wm_body(m, f);
  w.fb_free(f);
  // sign: x < 0 ? -1 : (x > 0 ? 1 : 0), with typed if blocks
  f = w.fb_new(1);
  const s = f.code;
  w.emit_local_get(s, 0);
  w.emit_f64_const(s, 0);
  w.emit_op(s, w.OP_F64_LT);
  w.emit_if(s, w.WT_I32);
  w.emit_i32_const(s, -1);
  w.emit_else(s);
  w.emit_local_get(s, 0);
  w.emit_f64_const(s, 0);
  w.emit_op(s, w.OP_F64_GT);
  w.emit_if(s, w.WT_I32);
  w.emit_i32_const(s, 1);
  w.emit_else(s);
  w.emit_i32_const(s, 0);
  w.emit_end(s);
  w.emit_end(s);
  w.wm_body(m, f);
  w.fb_free(f);
}

/**
 * Imports env.memory, env.table, env.twice (i32 → i32) and env.flag (mutable i32 global).
 * poke(addr): stores i64 41 at addr+8, reloads it, adds 1, stores it back and the i32 tag 3 at addr;
 * calls(x): twice(x) + call_indirect slot 1 of the table with x; flagged(): flag + a module global
 * bumped on every call, and sets flag to 7.
 */
function buildMemory(m: w.WasmModule): void {
  const tii = w.wm_type(m, w.sig(w.WT_I32), w.sig(w.WT_I32));
  const tv = w.wm_type(m, 0, w.sig(w.WT_I32));
  const tvoid = w.wm_type(m, w.sig(w.WT_I32), 0);
  w.wm_import_memory(m, "env", "memory", 1);
  w.wm_import_table(m, "env", "table", 2);
  const ftwice = w.wm_import_func(m, "env", "twice", tii);
  const gflag = w.wm_import_global(m, "env", "flag", w.WT_I32, true);
  const gcount = w.wm_global_i32(m, 100);
  const fpoke = w.wm_func(m, tvoid),
    fcalls = w.wm_func(m, tii),
    fflag = w.wm_func(m, tv);
  w.wm_export_func(m, "poke", fpoke);
  w.wm_export_func(m, "calls", fcalls);
  w.wm_export_func(m, "flagged", fflag);
  let f = w.fb_new(1);
  let c = f.code;
  w.emit_local_get(c, 0);
  w.emit_i64_const(c, 41);
  w.emit_store(c, w.OP_I64_STORE, 3, 8);
  w.emit_local_get(c, 0);
  w.emit_local_get(c, 0);
  w.emit_load(c, w.OP_I64_LOAD, 3, 8);
  w.emit_i64_const(c, 1);
  w.emit_op(c, w.OP_I64_ADD);
  w.emit_store(c, w.OP_I64_STORE, 3, 8);
  w.emit_local_get(c, 0);
  w.emit_i32_const(c, 3);
  w.emit_store(c, w.OP_I32_STORE, 2, 0);
  w.wm_body(m, f);
  w.fb_free(f);
  f = w.fb_new(1);
  c = f.code;
  w.emit_local_get(c, 0);
  w.emit_call(c, ftwice);
  w.emit_local_get(c, 0);
  w.emit_i32_const(c, 1);
  w.emit_call_indirect(c, tii);
  w.emit_op(c, w.OP_I32_ADD);
  w.wm_body(m, f);
  w.fb_free(f);
  f = w.fb_new(0);
  c = f.code;
  w.emit_global_get(c, gcount);
  w.emit_i32_const(c, 1);
  w.emit_op(c, w.OP_I32_ADD);
  w.emit_global_set(c, gcount);
  w.emit_global_get(c, gflag);
  w.emit_global_get(c, gcount);
  w.emit_op(c, w.OP_I32_ADD);
  w.emit_i32_const(c, 7);
  w.emit_global_set(c, gflag);
  w.wm_body(m, f);
  w.fb_free(f);
}

/** k0..k17 () → i64: the constants of K64, and kf () → f64: -0.0 (bit pattern kept). */
function buildConsts(m: w.WasmModule): void {
  const tl = w.wm_type(m, 0, w.sig(w.WT_I64));
  const tf = w.wm_type(m, 0, w.sig(w.WT_F64));
  for (let i = 0; i < K64.length; i++) w.wm_export_func(m, KNAMES[i], w.wm_func(m, tl));
  w.wm_export_func(m, "kf", w.wm_func(m, tf));
  for (let i = 0; i < K64.length; i++) {
    const f = w.fb_new(0);
    w.emit_i64_const(f.code, K64[i]);
    w.wm_body(m, f);
    w.fb_free(f);
  }
  const f = w.fb_new(0);
  w.emit_f64_const(f.code, -0.0);
  w.wm_body(m, f);
  w.fb_free(f);
}
