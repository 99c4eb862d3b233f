// wasmgen.ts - a WebAssembly binary writer: modules (type, import, function, global, export and code
// sections), function bodies (locals, structured control flow, numeric and memory instructions) and
// the LEB128 encodings. It knows the binary format and nothing of Lua; jit/compile.ts drives it.
// Invariant: every byte goes through an unmanaged WBuf taken from the allocator directly (heap.*),
// not from Lua's counted memory: compiling must not move the collector's debt or the memory figures
// Lua sees (collectgarbage("count"), the memory limit), or the JIT would change when finalizers run.
// A WBuf that cannot grow (heapcanalloc) turns `failed` and drops further bytes; whoever finishes
// a module checks wm_failed and discards it. A WasmModule owns its buffers until wm_free, and
// wm_finish writes one complete module (magic and version first, sections in the order the spec
// requires, each with its exact byte size).
// Interface: valtypes and opcodes (WT_*, OP_*), wm_new/wm_free, wm_type, wm_import_func/_memory/
// _table/_global, wm_global, wm_func/wm_body, wm_export_func, wm_finish; instruction writers on a
// body's Buffer: emit_op, emit_u32/s32/s64/f64, emit_const*, emit_local*, emit_global*, emit_load,
// emit_store, emit_block/loop/if/else/end, emit_br/br_if, emit_br_table, emit_call(_indirect).

import { heapcanalloc } from "../mem/alloc";
import { DEBUG } from "../luaconf";

// ==== Byte buffers outside Lua's counted memory ====

// ╒═══ WBuf (16 bytes) ═══╕
// │ ptr: usize   content │ 0
// │ len: i32     used    │ 4
// │ cap: i32     owned   │ 8
// │ failed: i32  1 when  │ 12   an allocation was refused (content incomplete)
// └──────────────────────┘
// @ts-ignore: decorator
@unmanaged export class WBuf {
  ptr: usize;
  len: i32;
  cap: i32;
  failed: i32;
}
/** The buffer type every writer below takes (named as mem/buffer's, which it mirrors). */
export type Buffer = WBuf;

/** Bytes the JIT's buffers hold now (a debug figure: the lifecycle test checks it returns to 0). */
export let wbufbytes: i32 = 0;

function rawalloc(n: usize): usize {
  if (!heapcanalloc(n)) return 0;
  wbufbytes += <i32>n;
  return heap.alloc(n);
}
function rawfree(p: usize, n: usize): void {
  if (p == 0) return;
  wbufbytes -= <i32>n;
  heap.free(p);
}

export function buf_new(): WBuf {
  const p = rawalloc(offsetof<WBuf>());
  if (p == 0) return changetype<WBuf>(FAILEDBUF);
  const b = changetype<WBuf>(p);
  b.ptr = 0; b.len = 0; b.cap = 0; b.failed = 0;
  return b;
}

/** A shared, permanently failed buffer: what buf_new gives when even the header cannot be had. */
const FAILEDBUF: usize = memory.data(16);
store<i32>(FAILEDBUF, 1, 12);

export function buf_free(b: WBuf): void {
  if (changetype<usize>(b) == FAILEDBUF) return;
  rawfree(b.ptr, <usize>b.cap);
  rawfree(changetype<usize>(b), offsetof<WBuf>());
}

/** Room for `n` more bytes: their address, or 0 (and `failed` set) when memory is refused. */
export function buf_prepare(b: WBuf, n: i32): usize {
  if (b.failed != 0) return 0;
  const need = b.len + n;
  if (need > b.cap) {
    let nc = b.cap < 64 ? 64 : b.cap;
    while (nc < need) nc <<= 1;
    const np = rawalloc(<usize>nc);
    if (np == 0) { b.failed = 1; return 0; }
    if (b.len > 0) memory.copy(np, b.ptr, <usize>b.len);
    rawfree(b.ptr, <usize>b.cap);
    b.ptr = np; b.cap = nc;
  }
  return b.ptr + <usize>b.len;
}

export function buf_addbyte(b: WBuf, c: i32): void {
  const d = b.len < b.cap ? b.ptr + <usize>b.len : buf_prepare(b, 1);
  if (d == 0) return;
  store<u8>(d, <u8>c);
  b.len++;
}

export function buf_addbytes(b: WBuf, p: usize, n: i32): void {
  if (n <= 0) return;
  const d = buf_prepare(b, n);
  if (d == 0) return;
  memory.copy(d, p, <usize>n);
  b.len += n;
}

/** Empties the buffer, keeping its storage. */
export function buf_reset(b: WBuf): void { if (b.failed == 0) b.len = 0; }

// ==== Value and block types (binary encoding) ====
// @ts-ignore: decorator
@inline export const WT_I32: u8 = 0x7f;
// @ts-ignore: decorator
@inline export const WT_I64: u8 = 0x7e;
// @ts-ignore: decorator
@inline export const WT_F32: u8 = 0x7d;
// @ts-ignore: decorator
@inline export const WT_F64: u8 = 0x7c;
// @ts-ignore: decorator
@inline export const WT_FUNCREF: u8 = 0x70;
/** Block type of a block that takes and leaves nothing. */
// @ts-ignore: decorator
@inline export const BT_VOID: u8 = 0x40;

// ==== Opcodes (the subset the JIT uses; names follow the text format) ====
// @ts-ignore: decorator
@inline export const OP_UNREACHABLE: u8 = 0x00;
// @ts-ignore: decorator
@inline export const OP_NOP: u8 = 0x01;
// @ts-ignore: decorator
@inline export const OP_BLOCK: u8 = 0x02;
// @ts-ignore: decorator
@inline export const OP_LOOP: u8 = 0x03;
// @ts-ignore: decorator
@inline export const OP_IF: u8 = 0x04;
// @ts-ignore: decorator
@inline export const OP_ELSE: u8 = 0x05;
// @ts-ignore: decorator
@inline export const OP_END: u8 = 0x0b;
// @ts-ignore: decorator
@inline export const OP_BR: u8 = 0x0c;
// @ts-ignore: decorator
@inline export const OP_BR_IF: u8 = 0x0d;
// @ts-ignore: decorator
@inline export const OP_BR_TABLE: u8 = 0x0e;
// @ts-ignore: decorator
@inline export const OP_RETURN: u8 = 0x0f;
// @ts-ignore: decorator
@inline export const OP_CALL: u8 = 0x10;
// @ts-ignore: decorator
@inline export const OP_CALL_INDIRECT: u8 = 0x11;
// @ts-ignore: decorator
@inline export const OP_DROP: u8 = 0x1a;
// @ts-ignore: decorator
@inline export const OP_SELECT: u8 = 0x1b;
// @ts-ignore: decorator
@inline export const OP_LOCAL_GET: u8 = 0x20;
// @ts-ignore: decorator
@inline export const OP_LOCAL_SET: u8 = 0x21;
// @ts-ignore: decorator
@inline export const OP_LOCAL_TEE: u8 = 0x22;
// @ts-ignore: decorator
@inline export const OP_GLOBAL_GET: u8 = 0x23;
// @ts-ignore: decorator
@inline export const OP_GLOBAL_SET: u8 = 0x24;
// @ts-ignore: decorator
@inline export const OP_I32_LOAD: u8 = 0x28;
// @ts-ignore: decorator
@inline export const OP_I64_LOAD: u8 = 0x29;
// @ts-ignore: decorator
@inline export const OP_F64_LOAD: u8 = 0x2b;
// @ts-ignore: decorator
@inline export const OP_I32_LOAD8_U: u8 = 0x2d;
// @ts-ignore: decorator
@inline export const OP_I32_STORE: u8 = 0x36;
// @ts-ignore: decorator
@inline export const OP_I32_STORE8: u8 = 0x3a;
// @ts-ignore: decorator
@inline export const OP_I64_STORE: u8 = 0x37;
// @ts-ignore: decorator
@inline export const OP_F64_STORE: u8 = 0x39;
// @ts-ignore: decorator
@inline export const OP_I32_CONST: u8 = 0x41;
// @ts-ignore: decorator
@inline export const OP_I64_CONST: u8 = 0x42;
// @ts-ignore: decorator
@inline export const OP_F64_CONST: u8 = 0x44;
// @ts-ignore: decorator
@inline export const OP_I32_EQZ: u8 = 0x45;
// @ts-ignore: decorator
@inline export const OP_I32_EQ: u8 = 0x46;
// @ts-ignore: decorator
@inline export const OP_I32_NE: u8 = 0x47;
// @ts-ignore: decorator
@inline export const OP_I32_LT_S: u8 = 0x48;
// @ts-ignore: decorator
@inline export const OP_I32_LT_U: u8 = 0x49;
// @ts-ignore: decorator
@inline export const OP_I32_GT_S: u8 = 0x4a;
// @ts-ignore: decorator
@inline export const OP_I32_GT_U: u8 = 0x4b;
// @ts-ignore: decorator
@inline export const OP_I32_LE_S: u8 = 0x4c;
// @ts-ignore: decorator
@inline export const OP_I32_GE_U: u8 = 0x4f;
// @ts-ignore: decorator
@inline export const OP_I32_GE_S: u8 = 0x4e;
// @ts-ignore: decorator
@inline export const OP_I64_EQZ: u8 = 0x50;
// @ts-ignore: decorator
@inline export const OP_I64_EQ: u8 = 0x51;
// @ts-ignore: decorator
@inline export const OP_I64_NE: u8 = 0x52;
// @ts-ignore: decorator
@inline export const OP_I64_LT_S: u8 = 0x53;
// @ts-ignore: decorator
@inline export const OP_I64_LT_U: u8 = 0x54;
// @ts-ignore: decorator
@inline export const OP_I64_GT_S: u8 = 0x55;
// @ts-ignore: decorator
@inline export const OP_I64_GT_U: u8 = 0x56;
// @ts-ignore: decorator
@inline export const OP_I64_LE_S: u8 = 0x57;
// @ts-ignore: decorator
@inline export const OP_I64_GE_S: u8 = 0x59;
// @ts-ignore: decorator
@inline export const OP_F64_EQ: u8 = 0x61;
// @ts-ignore: decorator
@inline export const OP_F64_NE: u8 = 0x62;
// @ts-ignore: decorator
@inline export const OP_F64_LT: u8 = 0x63;
// @ts-ignore: decorator
@inline export const OP_F64_GT: u8 = 0x64;
// @ts-ignore: decorator
@inline export const OP_F64_LE: u8 = 0x65;
// @ts-ignore: decorator
@inline export const OP_F64_GE: u8 = 0x66;
// @ts-ignore: decorator
@inline export const OP_I32_ADD: u8 = 0x6a;
// @ts-ignore: decorator
@inline export const OP_I32_SUB: u8 = 0x6b;
// @ts-ignore: decorator
@inline export const OP_I32_MUL: u8 = 0x6c;
// @ts-ignore: decorator
@inline export const OP_I32_AND: u8 = 0x71;
// @ts-ignore: decorator
@inline export const OP_I32_OR: u8 = 0x72;
// @ts-ignore: decorator
@inline export const OP_I32_XOR: u8 = 0x73;
// @ts-ignore: decorator
@inline export const OP_I32_SHL: u8 = 0x74;
// @ts-ignore: decorator
@inline export const OP_I32_SHR_U: u8 = 0x76;
// @ts-ignore: decorator
@inline export const OP_I64_ADD: u8 = 0x7c;
// @ts-ignore: decorator
@inline export const OP_I64_SUB: u8 = 0x7d;
// @ts-ignore: decorator
@inline export const OP_I64_MUL: u8 = 0x7e;
// @ts-ignore: decorator
@inline export const OP_I64_DIV_S: u8 = 0x7f;
// @ts-ignore: decorator
@inline export const OP_I64_DIV_U: u8 = 0x80;
// @ts-ignore: decorator
@inline export const OP_I64_REM_S: u8 = 0x81;
// @ts-ignore: decorator
@inline export const OP_I64_AND: u8 = 0x83;
// @ts-ignore: decorator
@inline export const OP_I64_OR: u8 = 0x84;
// @ts-ignore: decorator
@inline export const OP_I64_XOR: u8 = 0x85;
// @ts-ignore: decorator
@inline export const OP_I64_SHL: u8 = 0x86;
// @ts-ignore: decorator
@inline export const OP_I64_SHR_U: u8 = 0x88;
// @ts-ignore: decorator
@inline export const OP_F64_NEG: u8 = 0x9a;
// @ts-ignore: decorator
@inline export const OP_F64_ABS: u8 = 0x99;
// @ts-ignore: decorator
@inline export const OP_F64_CEIL: u8 = 0x9b;
// @ts-ignore: decorator
@inline export const OP_F64_FLOOR: u8 = 0x9c;
// @ts-ignore: decorator
@inline export const OP_F64_SQRT: u8 = 0x9f;
// @ts-ignore: decorator
@inline export const OP_F64_ADD: u8 = 0xa0;
// @ts-ignore: decorator
@inline export const OP_F64_SUB: u8 = 0xa1;
// @ts-ignore: decorator
@inline export const OP_F64_MUL: u8 = 0xa2;
// @ts-ignore: decorator
@inline export const OP_F64_DIV: u8 = 0xa3;
// @ts-ignore: decorator
@inline export const OP_I32_WRAP_I64: u8 = 0xa7;
// @ts-ignore: decorator
@inline export const OP_I64_TRUNC_F64_S: u8 = 0xb0;
// @ts-ignore: decorator
@inline export const OP_I64_EXTEND_I32_U: u8 = 0xad;
// @ts-ignore: decorator
@inline export const OP_F64_CONVERT_I64_S: u8 = 0xb9;
// @ts-ignore: decorator
@inline export const OP_I64_REINTERPRET_F64: u8 = 0xbd;
// @ts-ignore: decorator
@inline export const OP_F64_REINTERPRET_I64: u8 = 0xbf;

// ==== Encodings ====

/** Unsigned LEB128 of a 32-bit value. */
export function emit_u32(b: Buffer, v: u32): void {
  do {
    let byte = v & 0x7f;
    v >>= 7;
    if (v != 0) byte |= 0x80;
    buf_addbyte(b, <i32>byte);
  } while (v != 0);
}

/** Signed LEB128 of a 64-bit value (also used for i32 immediates, sign-extended). */
export function emit_s64(b: Buffer, v: i64): void {
  for (;;) {
    const byte = <i32>(v & 0x7f);
    v >>= 7;                                          // arithmetic shift: keeps the sign
    const done = (v == 0 && (byte & 0x40) == 0) || (v == -1 && (byte & 0x40) != 0);
    buf_addbyte(b, done ? byte : byte | 0x80);
    if (done) return;
  }
}

// @ts-ignore: decorator
@inline export function emit_s32(b: Buffer, v: i32): void { emit_s64(b, <i64>v); }

/** An f64 immediate: its 8 bytes, little-endian (the bit pattern, so NaN payloads and -0 survive). */
export function emit_f64(b: Buffer, v: f64): void {
  const d = buf_prepare(b, 8);
  if (d == 0) return;
  store<f64>(d, v);
  b.len += 8;
}

// @ts-ignore: decorator
@inline export function emit_op(b: Buffer, op: u8): void { buf_addbyte(b, op); }

/** A name: its length then its bytes (AS literals: ASCII only, as every name the JIT uses). */
export function emit_name(b: Buffer, s: string): void {
  emit_u32(b, <u32>s.length);
  for (let i = 0; i < s.length; i++) buf_addbyte(b, s.charCodeAt(i) & 0xff);
}

// ==== Instructions ====
// Each writes one instruction with its immediates to a function body's code buffer.

export function emit_i32_const(b: Buffer, v: i32): void { emit_op(b, OP_I32_CONST); emit_s32(b, v); }
export function emit_i64_const(b: Buffer, v: i64): void { emit_op(b, OP_I64_CONST); emit_s64(b, v); }
export function emit_f64_const(b: Buffer, v: f64): void { emit_op(b, OP_F64_CONST); emit_f64(b, v); }
export function emit_local_get(b: Buffer, i: i32): void { emit_op(b, OP_LOCAL_GET); emit_u32(b, <u32>i); }
export function emit_local_set(b: Buffer, i: i32): void { emit_op(b, OP_LOCAL_SET); emit_u32(b, <u32>i); }
export function emit_local_tee(b: Buffer, i: i32): void { emit_op(b, OP_LOCAL_TEE); emit_u32(b, <u32>i); }
export function emit_global_get(b: Buffer, i: i32): void { emit_op(b, OP_GLOBAL_GET); emit_u32(b, <u32>i); }
export function emit_global_set(b: Buffer, i: i32): void { emit_op(b, OP_GLOBAL_SET); emit_u32(b, <u32>i); }
/** A load (`op` one of OP_*_LOAD*) from the address on the stack plus `offset`; `align` is log2 bytes. */
export function emit_load(b: Buffer, op: u8, align: u32, offset: u32): void {
  emit_op(b, op); emit_u32(b, align); emit_u32(b, offset);
}
/** A store (`op` one of OP_*_STORE) of [address, value] to address + `offset`. */
export function emit_store(b: Buffer, op: u8, align: u32, offset: u32): void {
  emit_op(b, op); emit_u32(b, align); emit_u32(b, offset);
}
/** block/loop/if with a block type (BT_VOID or a value type). */
export function emit_block(b: Buffer, bt: u8): void { emit_op(b, OP_BLOCK); buf_addbyte(b, bt); }
export function emit_loop(b: Buffer, bt: u8): void { emit_op(b, OP_LOOP); buf_addbyte(b, bt); }
export function emit_if(b: Buffer, bt: u8): void { emit_op(b, OP_IF); buf_addbyte(b, bt); }
export function emit_else(b: Buffer): void { emit_op(b, OP_ELSE); }
export function emit_end(b: Buffer): void { emit_op(b, OP_END); }
/** br/br_if to the label `depth` levels out (0: the innermost enclosing block). */
export function emit_br(b: Buffer, depth: i32): void { emit_op(b, OP_BR); emit_u32(b, <u32>depth); }
export function emit_br_if(b: Buffer, depth: i32): void { emit_op(b, OP_BR_IF); emit_u32(b, <u32>depth); }
/**
 * br_table over `n` label depths stored as i32 at `targets` (an unmanaged array), then the default.
 * The index is the i32 on the stack.
 */
export function emit_br_table(b: Buffer, targets: usize, n: i32, dflt: i32): void {
  emit_op(b, OP_BR_TABLE);
  emit_u32(b, <u32>n);
  for (let i = 0; i < n; i++) emit_u32(b, load<u32>(targets + (<usize>i << 2)));
  emit_u32(b, <u32>dflt);
}
export function emit_call(b: Buffer, func: i32): void { emit_op(b, OP_CALL); emit_u32(b, <u32>func); }
/** call_indirect through table 0 with signature `type`; the table index is the i32 on the stack. */
export function emit_call_indirect(b: Buffer, type: i32): void {
  emit_op(b, OP_CALL_INDIRECT); emit_u32(b, <u32>type); buf_addbyte(b, 0);
}

// ==== Modules ====

/** Packs up to 8 value types (first in the low byte) into a signature list for wm_type. */
export function sig(t0: u8 = 0, t1: u8 = 0, t2: u8 = 0, t3: u8 = 0, t4: u8 = 0, t5: u8 = 0, t6: u8 = 0, t7: u8 = 0): u64 {
  return <u64>t0 | (<u64>t1 << 8) | (<u64>t2 << 16) | (<u64>t3 << 24) | (<u64>t4 << 32) | (<u64>t5 << 40)
    | (<u64>t6 << 48) | (<u64>t7 << 56);
}

function emit_sig(b: Buffer, types: u64): void {
  let n: u32 = 0;
  for (let t = types; (t & 0xff) != 0; t >>= 8) n++;
  emit_u32(b, n);
  for (let t = types; (t & 0xff) != 0; t >>= 8) buf_addbyte(b, <i32>(t & 0xff));
}

// ╒══════════════ WasmModule (a module under construction) ══════════════╕
// │ types, imports, funcs, globals, exports, code: Buffer   section      │
// │   contents without their element count                             │
// │ ntypes, nimports, nfuncimports, nfuncs, nglobalimports, nglobals,   │
// │   nexports, nbodies: i32   counts (function indices start after the  │
// │   imported functions; global indices after the imported globals)    │
// └─────────────────────────────────────────────────────────────────────┘
// @ts-ignore: decorator
@unmanaged export class WasmModule {
  types: Buffer;
  imports: Buffer;
  funcs: Buffer;
  globals: Buffer;
  exports: Buffer;
  code: Buffer;
  ntypes: i32;
  nimports: i32;
  nfuncimports: i32;
  nfuncs: i32;
  nglobalimports: i32;
  nglobals: i32;
  nexports: i32;
  nbodies: i32;
}

/** A new empty module. Its two small structs come from heap.alloc: callers check headroom first. */
export function wm_new(): WasmModule {
  const m = changetype<WasmModule>(heap.alloc(offsetof<WasmModule>()));
  m.types = buf_new(); m.imports = buf_new(); m.funcs = buf_new();
  m.globals = buf_new(); m.exports = buf_new(); m.code = buf_new();
  m.ntypes = 0; m.nimports = 0; m.nfuncimports = 0; m.nfuncs = 0;
  m.nglobalimports = 0; m.nglobals = 0; m.nexports = 0; m.nbodies = 0;
  return m;
}

export function wm_free(m: WasmModule): void {
  buf_free(m.types); buf_free(m.imports); buf_free(m.funcs);
  buf_free(m.globals); buf_free(m.exports); buf_free(m.code);
  heap.free(changetype<usize>(m));
}

/** Adds a function type (params, results as sig() lists); returns its type index. */
export function wm_type(m: WasmModule, params: u64, results: u64): i32 {
  buf_addbyte(m.types, 0x60);
  emit_sig(m.types, params);
  emit_sig(m.types, results);
  return m.ntypes++;
}

/** Imports a function of type `type`; returns its function index. Imports come before wm_func. */
export function wm_import_func(m: WasmModule, mod: string, name: string, type: i32): i32 {
  if (DEBUG) assert(m.nfuncs == 0); // function indices: imports first
  emit_name(m.imports, mod); emit_name(m.imports, name);
  buf_addbyte(m.imports, 0x00); emit_u32(m.imports, <u32>type);
  m.nimports++;
  return m.nfuncimports++;
}

/** Imports a memory of at least `minpages` pages, no maximum. */
export function wm_import_memory(m: WasmModule, mod: string, name: string, minpages: u32): void {
  emit_name(m.imports, mod); emit_name(m.imports, name);
  buf_addbyte(m.imports, 0x02); buf_addbyte(m.imports, 0x00); emit_u32(m.imports, minpages);
  m.nimports++;
}

/** Imports a funcref table of at least `min` elements, no maximum (it is table 0). */
export function wm_import_table(m: WasmModule, mod: string, name: string, min: u32): void {
  emit_name(m.imports, mod); emit_name(m.imports, name);
  buf_addbyte(m.imports, 0x01); buf_addbyte(m.imports, WT_FUNCREF);
  buf_addbyte(m.imports, 0x00); emit_u32(m.imports, min);
  m.nimports++;
}

/** Imports a global of type `t`; returns its global index. Imports come before wm_global. */
export function wm_import_global(m: WasmModule, mod: string, name: string, t: u8, mutable: bool): i32 {
  if (DEBUG) assert(m.nglobals == 0); // global indices: imports first
  emit_name(m.imports, mod); emit_name(m.imports, name);
  buf_addbyte(m.imports, 0x03); buf_addbyte(m.imports, t); buf_addbyte(m.imports, mutable ? 1 : 0);
  m.nimports++;
  return m.nglobalimports++;
}

/** A module-level mutable i32 global with initial value `init`; returns its global index. */
export function wm_global_i32(m: WasmModule, init: i32): i32 {
  buf_addbyte(m.globals, WT_I32); buf_addbyte(m.globals, 1);
  emit_i32_const(m.globals, init); emit_end(m.globals);
  return m.nglobalimports + m.nglobals++;
}

/** Declares a function of type `type` (its body follows with wm_body); returns its function index. */
export function wm_func(m: WasmModule, type: i32): i32 {
  emit_u32(m.funcs, <u32>type);
  return m.nfuncimports + m.nfuncs++;
}

/** Exports function `func` under `name`. */
export function wm_export_func(m: WasmModule, name: string, func: i32): void {
  emit_name(m.exports, name);
  buf_addbyte(m.exports, 0x00); emit_u32(m.exports, <u32>func);
  m.nexports++;
}

// ╒════════════ FuncBody (a function body under construction) ════════════╕
// │ code: Buffer      instructions, without the final `end`               │
// │ localtypes: Buffer  one byte per declared local (after the params)    │
// │ nparams: i32      so local indices continue after the parameters      │
// └───────────────────────────────────────────────────────────────────────┘
// @ts-ignore: decorator
@unmanaged export class FuncBody {
  code: Buffer;
  localtypes: Buffer;
  nparams: i32;
}

/** A new body for a function with `nparams` parameters. */
export function fb_new(nparams: i32): FuncBody {
  const f = changetype<FuncBody>(heap.alloc(offsetof<FuncBody>()));
  f.code = buf_new(); f.localtypes = buf_new(); f.nparams = nparams;
  return f;
}

export function fb_free(f: FuncBody): void {
  buf_free(f.code); buf_free(f.localtypes);
  heap.free(changetype<usize>(f));
}

/** Declares a local of type `t`; returns its index. */
export function fb_local(f: FuncBody, t: u8): i32 {
  buf_addbyte(f.localtypes, t);
  return f.nparams + f.localtypes.len - 1;
}

/**
 * Appends the finished body `f` (locals grouped by runs of one type, its code and the final `end`)
 * to the code section; bodies must be added in the order of wm_func.
 */
export function wm_body(m: WasmModule, f: FuncBody): void {
  const head = buf_new();
  const lt = f.localtypes;
  let groups: u32 = 0;
  for (let i = 0; i < lt.len; i++) if (i == 0 || load<u8>(lt.ptr + <usize>i) != load<u8>(lt.ptr + <usize>i - 1)) groups++;
  emit_u32(head, groups);
  let i = 0;
  while (i < lt.len) {
    const t = load<u8>(lt.ptr + <usize>i);
    let j = i;
    while (j < lt.len && load<u8>(lt.ptr + <usize>j) == t) j++;
    emit_u32(head, <u32>(j - i));
    buf_addbyte(head, t);
    i = j;
  }
  emit_u32(m.code, <u32>(head.len + f.code.len + 1));
  buf_addbytes(m.code, head.ptr, head.len);
  buf_addbytes(m.code, f.code.ptr, f.code.len);
  emit_end(m.code);
  buf_free(head);
  m.nbodies++;
}

/** Writes section `id` holding `count` elements whose encodings are in `body`. Empty: skipped. */
function section(out: Buffer, id: u8, count: i32, body: Buffer): void {
  if (count == 0) return;
  const n = buf_new();
  emit_u32(n, <u32>count);
  buf_addbyte(out, id);
  emit_u32(out, <u32>(n.len + body.len));
  buf_addbytes(out, n.ptr, n.len);
  buf_addbytes(out, body.ptr, body.len);
  buf_free(n);
}

/** True when a buffer of `m` ran out of memory: the module is incomplete and must be discarded. */
export function wm_failed(m: WasmModule): bool {
  return (m.types.failed | m.imports.failed | m.funcs.failed | m.globals.failed | m.exports.failed
    | m.code.failed) != 0;
}

/** Writes the whole module to `out` (appended); check out.failed afterwards. */
export function wm_finish(m: WasmModule, out: Buffer): void {
  if (DEBUG) assert(m.nbodies == m.nfuncs); // every declared function has its body
  buf_addbyte(out, 0x00); buf_addbyte(out, 0x61); buf_addbyte(out, 0x73); buf_addbyte(out, 0x6d);  // \0asm
  buf_addbyte(out, 0x01); buf_addbyte(out, 0x00); buf_addbyte(out, 0x00); buf_addbyte(out, 0x00);  // version 1
  section(out, 1, m.ntypes, m.types);
  section(out, 2, m.nimports, m.imports);
  section(out, 3, m.nfuncs, m.funcs);
  section(out, 6, m.nglobals, m.globals);
  section(out, 7, m.nexports, m.exports);
  section(out, 10, m.nbodies, m.code);
}
