// userdata.ts - full userdata: a block of raw bytes with a metatable and user values (lobject.h Udata).
//
// ╒════════════ Udata layout (wasm32) ════════════╕
// │ GCHeader: next | tt (VUSERDATA) | marked      │ 0..5
// │ nuvalue: u16  number of user values           │ 6
// │ len: u32      size of the raw block in bytes  │ 8
// │ metatable → Table | 0                         │ 12
// │ gclist                                        │ 16
// │ hostid: i32   host handle (external tables)   │ 20
// │ uv: TValue[nuvalue]                           │ 24
// │ bytes[len]                                    │ 24 + 16*nuvalue
// └───────────────────────────────────────────────┘
// Invariant: the raw bytes never contain Lua pointers (the collector does not scan them).

import { newobj } from "../gc/collect";
import { luaM_free } from "../mem/alloc";
import { setnilvalue, ttisfulluserdata, uvalue } from "./value";

// @ts-ignore: decorator
@inline export const VUSERDATA_TT: u8 = 7;
// @ts-ignore: decorator
@inline export const UDATA_HEADER: usize = 24;

// @ts-ignore: decorator
@inline export function udata_nuvalue(u: usize): i32 { return load<u16>(u, 6); }
// @ts-ignore: decorator
@inline export function udata_len(u: usize): u32 { return load<u32>(u, 8); }
// @ts-ignore: decorator
@inline export function udata_metatable(u: usize): usize { return load<usize>(u, 12); }
// @ts-ignore: decorator
@inline export function udata_setmetatable(u: usize, mt: usize): void { store<usize>(u, mt, 12); }
// @ts-ignore: decorator
@inline export function udata_gclist(u: usize): usize { return load<usize>(u, 16); }
// @ts-ignore: decorator
@inline export function udata_setgclist(u: usize, g: usize): void { store<usize>(u, g, 16); }
// @ts-ignore: decorator
@inline export function udata_hostid(u: usize): i32 { return load<i32>(u, 20); }
// @ts-ignore: decorator
@inline export function udata_sethostid(u: usize, id: i32): void { store<i32>(u, id, 20); }
/** Address of the i-th user value. */
// @ts-ignore: decorator
@inline export function udata_uv(u: usize, i: i32): usize { return u + UDATA_HEADER + (<usize>i << 4); }
/** Address of the raw memory block. */
// @ts-ignore: decorator
@inline export function getudatamem(u: usize): usize { return u + UDATA_HEADER + (<usize>udata_nuvalue(u) << 4); }
// @ts-ignore: decorator
@inline export function sizeudata(nuv: i32, len: u32): usize { return UDATA_HEADER + (<usize>nuv << 4) + <usize>len; }

/** A new userdata of `len` raw bytes (zeroed) and `nuv` nil user values (luaS_newudata). */
export function luaS_newudata(len: u32, nuv: i32): usize {
  const u = newobj(VUSERDATA_TT, sizeudata(nuv, len));
  store<u16>(u, <u16>nuv, 6);
  store<u32>(u, len, 8);
  for (let i = 0; i < nuv; i++) setnilvalue(udata_uv(u, i));
  return u;
}

export function luaS_freeudata(u: usize): void {
  luaM_free(u, sizeudata(udata_nuvalue(u), udata_len(u)));
}

// ==== External-table proxies ====
// A proxy stands for a table whose data lives in the host (docs/ABI.md "External tables"): a userdata
// with no bytes whose hostid names the table in the host's store. Every proxy has the same sealed
// metatable, built by the ext library (assembly/embed/ext.ts) when it opens; Lua code can neither see
// nor replace it (lib/base.ts, lib/debug.ts), so every access reaches the host.

let proxymt: usize = 0;

/** The proxies' sealed metatable; 0 until the ext library is open. */
export function proxymetatable(): usize { return proxymt; }
/** Installs the sealed metatable (once, by luaopen_ext). */
export function setproxymetatable(mt: usize): void { proxymt = mt; }
/** Whether mt is a sealed metatable: the proxies' one or a JS reference's (below). */
export function isproxymt(mt: usize): bool { return mt != 0 && (mt == proxymt || jsrefkindofmt(mt) >= 0); }
/** Whether the value at `o` is an external-table proxy. */
export function isexternal(o: usize): bool { return ttisfulluserdata(o) && udata_hostid(uvalue(o)) != 0; }

/** A new proxy of the host table `hostid` (> 0): no bytes, no user values, the sealed metatable. */
export function luaS_newproxy(hostid: i32): usize {
  const u = luaS_newudata(0, 0);
  udata_setmetatable(u, proxymt);
  udata_sethostid(u, hostid);
  return u;
}

// ==== JS references (assembly/embed/jsref.ts, host/refs.ts) ====
// A JS object handed to Lua by reference is a full userdata of 4 bytes, the host's reference id (an
// i32 > 0), whose metatable is one of four sealed ones, one per kind. Like the proxies' metatable
// they are fixed objects no Lua code can see (getmetatable answers nil: isproxymt) or replace.

// @ts-ignore: decorator
@inline export const JSREF_OBJECT: i32 = 0;
// @ts-ignore: decorator
@inline export const JSREF_ARRAY: i32 = 1;
// @ts-ignore: decorator
@inline export const JSREF_MAP: i32 = 2;
/** The handle inside the native closure that stands for a JS function read from a JS object. */
// @ts-ignore: decorator
@inline export const JSREF_FUNCTION: i32 = 3;
// @ts-ignore: decorator
@inline export const JSREF_BYTES: u32 = 4;

let jsmt0: usize = 0;
let jsmt1: usize = 0;
let jsmt2: usize = 0;
let jsmt3: usize = 0;

/** Installs the sealed metatable of kind `kind` (once per kind, by embed/jsref.ts). */
export function setjsrefmt(kind: i32, mt: usize): void {
  if (kind == JSREF_OBJECT) jsmt0 = mt;
  else if (kind == JSREF_ARRAY) jsmt1 = mt;
  else if (kind == JSREF_MAP) jsmt2 = mt;
  else if (kind == JSREF_FUNCTION) jsmt3 = mt;
}
/** The sealed metatable of kind `kind`; 0 until installed. */
export function jsrefmt(kind: i32): usize {
  return kind == JSREF_OBJECT ? jsmt0 : kind == JSREF_ARRAY ? jsmt1 : kind == JSREF_MAP ? jsmt2 : kind == JSREF_FUNCTION ? jsmt3 : 0;
}
/** The kind whose sealed metatable mt is, or -1. */
export function jsrefkindofmt(mt: usize): i32 {
  if (mt == 0) return -1;
  if (mt == jsmt0) return JSREF_OBJECT;
  if (mt == jsmt1) return JSREF_ARRAY;
  if (mt == jsmt2) return JSREF_MAP;
  if (mt == jsmt3) return JSREF_FUNCTION;
  return -1;
}
/** The kind of the JS reference userdata u, or -1 when u is not one. */
export function jsrefkind(u: usize): i32 {
  return udata_len(u) == JSREF_BYTES && udata_nuvalue(u) == 0 ? jsrefkindofmt(udata_metatable(u)) : -1;
}
/** Whether the value at `o` is a JS reference (of any kind). */
export function isjsref(o: usize): bool { return ttisfulluserdata(o) && jsrefkind(uvalue(o)) >= 0; }
/** The host's reference id of JS reference u. */
export function jsrefid(u: usize): i32 { return load<i32>(getudatamem(u)); }
/** The type name of kind `kind`, as its metatable's __name says. */
export function jsrefname(kind: i32): string {
  return kind == JSREF_ARRAY ? "js.array" : kind == JSREF_MAP ? "js.map" : kind == JSREF_FUNCTION ? "js.function" : "js.object";
}

/** A new JS reference of kind `kind` to host reference `id`: 4 bytes, the sealed metatable (not yet finalizable). */
export function luaS_newjsref(id: i32, kind: i32): usize {
  const u = luaS_newudata(JSREF_BYTES, 0);
  store<i32>(getudatamem(u), id);
  udata_setmetatable(u, jsrefmt(kind));
  return u;
}
