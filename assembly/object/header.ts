// header.ts - the common header of every collectable object and its colour bits (lgc.h role).
//
// ╒════════════ GCObject header (8 bytes) ═════════════╕
// │ next: usize   link in allgc / finobj / tobefnz     │ 0
// │ tt: u8        variant tag without collectable bit │ 4
// │ marked: u8    colour and age bits                 │ 5
// │ (2 bytes free for the object's own use)           │ 6
// └────────────────────────────────────────────────────┘
// Invariant: every object reachable by Lua is linked in exactly one of the collector's lists.

// @ts-ignore: decorator
@unmanaged export class GCObject {
  next: usize;
  tt: u8;
  marked: u8;
}

// @ts-ignore: decorator
@inline export const GCHEADER_SIZE: usize = 8;

// ==== Colour bits (lgc.h) ====
// @ts-ignore: decorator
@inline export const WHITE0BIT: u8 = 1 << 3;
// @ts-ignore: decorator
@inline export const WHITE1BIT: u8 = 1 << 4;
// @ts-ignore: decorator
@inline export const BLACKBIT: u8 = 1 << 5;
// @ts-ignore: decorator
@inline export const FINALIZEDBIT: u8 = 1 << 6;   // object has been marked for finalization
// @ts-ignore: decorator
@inline export const FIXEDBIT: u8 = 1 << 7;       // never collected (fixed names)
// @ts-ignore: decorator
@inline export const WHITEBITS: u8 = WHITE0BIT | WHITE1BIT;

// @ts-ignore: decorator
@inline export function gettt(o: usize): u8 { return load<u8>(o, 4); }
// @ts-ignore: decorator
@inline export function getmarked(o: usize): u8 { return load<u8>(o, 5); }
/** Offset of `marked`, for the code generator (jit/compile.ts tests BLACKBIT before a store). */
// @ts-ignore: decorator
@inline export const GCH_MARKED_OFFSET: u32 = 5;
// @ts-ignore: decorator
@inline export function setmarked(o: usize, m: u8): void { store<u8>(o, m, 5); }
// @ts-ignore: decorator
@inline export function getnext(o: usize): usize { return load<usize>(o); }
// @ts-ignore: decorator
@inline export function setnext(o: usize, n: usize): void { store<usize>(o, n); }
// @ts-ignore: decorator
@inline export function iswhite(o: usize): bool { return (load<u8>(o, 5) & WHITEBITS) != 0; }
// @ts-ignore: decorator
@inline export function isblack(o: usize): bool { return (load<u8>(o, 5) & BLACKBIT) != 0; }
// @ts-ignore: decorator
@inline export function isgray(o: usize): bool { return (load<u8>(o, 5) & (BLACKBIT | WHITEBITS)) == 0; }
