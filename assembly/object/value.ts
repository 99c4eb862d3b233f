// value.ts - the TValue representation: the ONLY file that knows the raw layout of a Lua value.
//
// ╒═════════════════ TValue (16 bytes) ═════════════════╕
// │ tt: i32     type tag with variant bits and the       │ 0
// │             collectable bit (as PUC's tt_)           │
// │ extra: i32  unused by values; Node uses it for next  │ 4
// │ payload: i64 | f64 | usize (object pointer) | bool   │ 8
// │   (pointers are stored zero-extended to 64 bits so    │
// │    raw equality can compare the whole payload)       │
// └──────────────────────────────────────────────────────┘
// Tags follow lobject.h: low 4 bits = basic type, bits 4-5 = variant, bit 6 = collectable.
// Integers and floats are distinct variants, so Lua 5.4's int64 semantics are exact.

// ==== Basic types (lua.h) ====
// @ts-ignore: decorator
@inline export const LUA_TNONE: i32 = -1;
// @ts-ignore: decorator
@inline export const LUA_TNIL: i32 = 0;
// @ts-ignore: decorator
@inline export const LUA_TBOOLEAN: i32 = 1;
// @ts-ignore: decorator
@inline export const LUA_TLIGHTUSERDATA: i32 = 2;
// @ts-ignore: decorator
@inline export const LUA_TNUMBER: i32 = 3;
// @ts-ignore: decorator
@inline export const LUA_TSTRING: i32 = 4;
// @ts-ignore: decorator
@inline export const LUA_TTABLE: i32 = 5;
// @ts-ignore: decorator
@inline export const LUA_TFUNCTION: i32 = 6;
// @ts-ignore: decorator
@inline export const LUA_TUSERDATA: i32 = 7;
// @ts-ignore: decorator
@inline export const LUA_TTHREAD: i32 = 8;
// @ts-ignore: decorator
@inline export const LUA_TUPVAL: i32 = 9;
// @ts-ignore: decorator
@inline export const LUA_TPROTO: i32 = 10;
/** Key of a table node whose object was collected: keeps the pointer for `next`, never dereferenced. */
// @ts-ignore: decorator
@inline export const LUA_TDEADKEY: i32 = 11;

// ==== Variant tags (as stored, collectable bit included) ====
// @ts-ignore: decorator
@inline export const BIT_ISCOLLECTABLE: i32 = 1 << 6;
// @ts-ignore: decorator
@inline export const LUA_VNIL: i32 = 0;
// @ts-ignore: decorator
@inline export const LUA_VEMPTY: i32 = 0 | (1 << 4);     // empty slot in a table
// @ts-ignore: decorator
@inline export const LUA_VABSTKEY: i32 = 0 | (2 << 4);   // result of a missing-key lookup
// @ts-ignore: decorator
@inline export const LUA_VFALSE: i32 = 1;
// @ts-ignore: decorator
@inline export const LUA_VTRUE: i32 = 1 | (1 << 4);
// @ts-ignore: decorator
@inline export const LUA_VLIGHTUSERDATA: i32 = 2;
// @ts-ignore: decorator
@inline export const LUA_VNUMINT: i32 = 3;
// @ts-ignore: decorator
@inline export const LUA_VNUMFLT: i32 = 3 | (1 << 4);
// @ts-ignore: decorator
@inline export const LUA_VSHRSTR: i32 = 4 | BIT_ISCOLLECTABLE;
// @ts-ignore: decorator
@inline export const LUA_VLNGSTR: i32 = 4 | (1 << 4) | BIT_ISCOLLECTABLE;
// @ts-ignore: decorator
@inline export const LUA_VTABLE: i32 = 5 | BIT_ISCOLLECTABLE;
// @ts-ignore: decorator
@inline export const LUA_VLCL: i32 = 6 | BIT_ISCOLLECTABLE;              // Lua closure
// @ts-ignore: decorator
@inline export const LUA_VLCF: i32 = 6 | (1 << 4);                       // light native function
// @ts-ignore: decorator
@inline export const LUA_VCCL: i32 = 6 | (2 << 4) | BIT_ISCOLLECTABLE;  // native closure
// @ts-ignore: decorator
@inline export const LUA_VUSERDATA: i32 = 7 | BIT_ISCOLLECTABLE;
// @ts-ignore: decorator
@inline export const LUA_VTHREAD: i32 = 8 | BIT_ISCOLLECTABLE;
// @ts-ignore: decorator
@inline export const LUA_VUPVAL: i32 = 9 | BIT_ISCOLLECTABLE;
// @ts-ignore: decorator
@inline export const LUA_VPROTO: i32 = 10 | BIT_ISCOLLECTABLE;

// @ts-ignore: decorator
@inline export const TVALUE_SIZE: usize = 16;
/** Byte offsets of the tag and the payload, for the code generator (jit/compile.ts emits the loads
 *  and stores this file's accessors do). An object pointer is the payload's low 32 bits. */
// @ts-ignore: decorator
@inline export const TV_TT_OFFSET: u32 = 0;
// @ts-ignore: decorator
@inline export const TV_VALUE_OFFSET: u32 = 8;

// ==== Raw access ====
// @ts-ignore: decorator
@inline export function rawtt(o: usize): i32 { return load<i32>(o); }
// @ts-ignore: decorator
@inline export function settt(o: usize, t: i32): void { store<i32>(o, t); }
// @ts-ignore: decorator
@inline export function ttype(o: usize): i32 { return load<i32>(o) & 0x0F; }       // basic type
// @ts-ignore: decorator
@inline export function ttypetag(o: usize): i32 { return load<i32>(o) & 0x3F; }    // type + variant
// @ts-ignore: decorator
@inline export function iscollectable(o: usize): bool { return (load<i32>(o) & BIT_ISCOLLECTABLE) != 0; }
// @ts-ignore: decorator
@inline export function getextra(o: usize): i32 { return load<i32>(o, 4); }
// @ts-ignore: decorator
@inline export function setextra(o: usize, x: i32): void { store<i32>(o, x, 4); }
/** Address of the i-th TValue of a contiguous array starting at `base`. */
// @ts-ignore: decorator
@inline export function tvat(base: usize, i: i32): usize { return base + (<usize>i << 4); }

// ==== Predicates ====
// @ts-ignore: decorator
@inline export function ttisnil(o: usize): bool { return (load<i32>(o) & 0x0F) == LUA_TNIL; }   // nil, empty, absent
// @ts-ignore: decorator
@inline export function ttisstrictnil(o: usize): bool { return load<i32>(o) == LUA_VNIL; }
// @ts-ignore: decorator
@inline export function isabstkey(o: usize): bool { return load<i32>(o) == LUA_VABSTKEY; }
// @ts-ignore: decorator
@inline export function isempty(o: usize): bool { return ttisnil(o); }
// @ts-ignore: decorator
@inline export function ttisboolean(o: usize): bool { return (load<i32>(o) & 0x0F) == LUA_TBOOLEAN; }
// @ts-ignore: decorator
@inline export function ttisfalse(o: usize): bool { return load<i32>(o) == LUA_VFALSE; }
// @ts-ignore: decorator
@inline export function ttistrue(o: usize): bool { return load<i32>(o) == LUA_VTRUE; }
/** Lua falsiness: nil (any nil variant) or false. */
// @ts-ignore: decorator
@inline export function l_isfalse(o: usize): bool { const t = load<i32>(o); return t == LUA_VFALSE || (t & 0x0F) == LUA_TNIL; }
// @ts-ignore: decorator
@inline export function ttisnumber(o: usize): bool { return (load<i32>(o) & 0x0F) == LUA_TNUMBER; }
// @ts-ignore: decorator
@inline export function ttisinteger(o: usize): bool { return load<i32>(o) == LUA_VNUMINT; }
// @ts-ignore: decorator
@inline export function ttisfloat(o: usize): bool { return load<i32>(o) == LUA_VNUMFLT; }
/** Both integers, as one test: a pair of `==` joined by `&&` compiles to two materialised booleans. */
// @ts-ignore: decorator
@inline export function ttisintegers(o1: usize, o2: usize): bool {
  return ((load<i32>(o1) ^ LUA_VNUMINT) | (load<i32>(o2) ^ LUA_VNUMINT)) == 0;
}
/** Both numbers (integer or float), as one test (see ttisintegers). */
// @ts-ignore: decorator
@inline export function ttisnumbers(o1: usize, o2: usize): bool {
  return (((load<i32>(o1) ^ LUA_TNUMBER) | (load<i32>(o2) ^ LUA_TNUMBER)) & 0x0F) == 0;
}
// @ts-ignore: decorator
@inline export function ttisstring(o: usize): bool { return (load<i32>(o) & 0x0F) == LUA_TSTRING; }
// @ts-ignore: decorator
@inline export function ttisshrstring(o: usize): bool { return load<i32>(o) == LUA_VSHRSTR; }
// @ts-ignore: decorator
@inline export function ttislngstring(o: usize): bool { return load<i32>(o) == LUA_VLNGSTR; }
// @ts-ignore: decorator
@inline export function ttistable(o: usize): bool { return load<i32>(o) == LUA_VTABLE; }
// @ts-ignore: decorator
@inline export function ttisfunction(o: usize): bool { return (load<i32>(o) & 0x0F) == LUA_TFUNCTION; }
// @ts-ignore: decorator
@inline export function ttisLclosure(o: usize): bool { return load<i32>(o) == LUA_VLCL; }
// @ts-ignore: decorator
@inline export function ttislcf(o: usize): bool { return load<i32>(o) == LUA_VLCF; }
// @ts-ignore: decorator
@inline export function ttisCclosure(o: usize): bool { return load<i32>(o) == LUA_VCCL; }
// @ts-ignore: decorator
@inline export function ttisfulluserdata(o: usize): bool { return load<i32>(o) == LUA_VUSERDATA; }
// @ts-ignore: decorator
@inline export function ttislightuserdata(o: usize): bool { return load<i32>(o) == LUA_VLIGHTUSERDATA; }
// @ts-ignore: decorator
@inline export function ttisthread(o: usize): bool { return load<i32>(o) == LUA_VTHREAD; }

// ==== Getters ====
// @ts-ignore: decorator
@inline export function ivalue(o: usize): i64 { return load<i64>(o, 8); }
// @ts-ignore: decorator
@inline export function fltvalue(o: usize): f64 { return load<f64>(o, 8); }
/** Numeric value as float (integer or float). */
// @ts-ignore: decorator
@inline export function nvalue(o: usize): f64 { return ttisinteger(o) ? <f64>load<i64>(o, 8) : load<f64>(o, 8); }
/** Any collectable object pointer (string, table, closure, userdata, thread). */
// @ts-ignore: decorator
@inline export function gcvalue(o: usize): usize { return load<usize>(o, 8); }
// @ts-ignore: decorator
@inline export function tsvalue(o: usize): usize { return load<usize>(o, 8); }
// @ts-ignore: decorator
@inline export function hvalue(o: usize): usize { return load<usize>(o, 8); }
// @ts-ignore: decorator
@inline export function clvalue(o: usize): usize { return load<usize>(o, 8); }
// @ts-ignore: decorator
@inline export function uvalue(o: usize): usize { return load<usize>(o, 8); }
// @ts-ignore: decorator
@inline export function thvalue(o: usize): usize { return load<usize>(o, 8); }
// @ts-ignore: decorator
@inline export function pvalue(o: usize): usize { return load<usize>(o, 8); }
/** Light native function: index into the wasm function table. */
// @ts-ignore: decorator
@inline export function fvalue(o: usize): u32 { return load<u32>(o, 8); }
// @ts-ignore: decorator
@inline export function bvalue(o: usize): bool { return load<i32>(o) == LUA_VTRUE; }
/** Raw 64-bit payload (for hashing and raw equality of non-float values). */
// @ts-ignore: decorator
@inline export function rawpayload(o: usize): i64 { return load<i64>(o, 8); }

// ==== Setters ====
// @ts-ignore: decorator
@inline export function setnilvalue(o: usize): void { store<i32>(o, LUA_VNIL); }
// @ts-ignore: decorator
@inline export function setempty(o: usize): void { store<i32>(o, LUA_VEMPTY); }
// @ts-ignore: decorator
@inline export function setabstkey(o: usize): void { store<i32>(o, LUA_VABSTKEY); }
// @ts-ignore: decorator
@inline export function setbfvalue(o: usize): void { store<i32>(o, LUA_VFALSE); }
// @ts-ignore: decorator
@inline export function setbtvalue(o: usize): void { store<i32>(o, LUA_VTRUE); }
// @ts-ignore: decorator
@inline export function setbvalue(o: usize, b: bool): void { store<i32>(o, b ? LUA_VTRUE : LUA_VFALSE); }
// @ts-ignore: decorator
@inline export function setivalue(o: usize, x: i64): void { store<i32>(o, LUA_VNUMINT); store<i64>(o, x, 8); }
// @ts-ignore: decorator
@inline export function chgivalue(o: usize, x: i64): void { store<i64>(o, x, 8); }
// @ts-ignore: decorator
@inline export function setfltvalue(o: usize, x: f64): void { store<i32>(o, LUA_VNUMFLT); store<f64>(o, x, 8); }
// @ts-ignore: decorator
@inline export function chgfltvalue(o: usize, x: f64): void { store<f64>(o, x, 8); }
/** Stores a string object (short or long variant read from the TString header). */
// @ts-ignore: decorator
@inline export function setsvalue(o: usize, ts: usize): void { store<i32>(o, <i32>load<u8>(ts, 4) | BIT_ISCOLLECTABLE); store<u64>(o, <u64>ts, 8); }
// @ts-ignore: decorator
@inline export function sethvalue(o: usize, t: usize): void { store<i32>(o, LUA_VTABLE); store<u64>(o, <u64>t, 8); }
// @ts-ignore: decorator
@inline export function setclLvalue(o: usize, cl: usize): void { store<i32>(o, LUA_VLCL); store<u64>(o, <u64>cl, 8); }
// @ts-ignore: decorator
@inline export function setclCvalue(o: usize, cl: usize): void { store<i32>(o, LUA_VCCL); store<u64>(o, <u64>cl, 8); }
// @ts-ignore: decorator
@inline export function setfvalue(o: usize, f: u32): void { store<i32>(o, LUA_VLCF); store<i64>(o, <i64>f, 8); }
// @ts-ignore: decorator
@inline export function setuvalue(o: usize, u: usize): void { store<i32>(o, LUA_VUSERDATA); store<u64>(o, <u64>u, 8); }
// @ts-ignore: decorator
@inline export function setpvalue(o: usize, p: usize): void { store<i32>(o, LUA_VLIGHTUSERDATA); store<i64>(o, <i64>p, 8); }
// @ts-ignore: decorator
@inline export function setthvalue(o: usize, th: usize): void { store<i32>(o, LUA_VTHREAD); store<u64>(o, <u64>th, 8); }
/** Stores a collectable object whose variant tag (with collectable bit) is in its GC header byte. */
// @ts-ignore: decorator
@inline export function setgcovalue(o: usize, gc: usize): void { store<i32>(o, <i32>load<u8>(gc, 4) | BIT_ISCOLLECTABLE); store<u64>(o, <u64>gc, 8); }
/** Copies a whole value (16 bytes). */
// @ts-ignore: decorator
@inline export function setobj(dst: usize, src: usize): void {
  store<i64>(dst, load<i64>(src));        // tt + extra
  store<i64>(dst, load<i64>(src, 8), 8);  // payload
}
/** Stores into a table slot: copies tag and payload, preserving the slot's extra word (node chain link). */
// @ts-ignore: decorator
@inline export function setobj2t(dst: usize, src: usize): void {
  store<i32>(dst, load<i32>(src));
  store<i64>(dst, load<i64>(src, 8), 8);
}
/** Copies tag and payload, preserving the destination's extra word (used for table nodes). */
// @ts-ignore: decorator
@inline export function setobjkeepextra(dst: usize, src: usize): void {
  store<i32>(dst, load<i32>(src));
  store<i64>(dst, load<i64>(src, 8), 8);
}
