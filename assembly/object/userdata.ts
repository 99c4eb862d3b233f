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
import { setnilvalue } from "./value";

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
