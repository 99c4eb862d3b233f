// collect.ts - object creation and the collector's list heads and colour state (lgc.c control).
// Invariant: every collectable object is created by `newobj`, which links it at the head of `allgc`
// with the current white; an object is dead when it carries the *other* white during a sweep.

import { luaM_allocz } from "../mem/alloc";
import { WHITE0BIT, WHITE1BIT, WHITEBITS, setmarked, getmarked, setnext } from "../object/header";

/** Head of the list of all collectable objects (except fixed ones, which live in `fixedgc`). */
export let allgc: usize = 0;
/** Objects that are never collected (reserved words, metamethod names). */
export let fixedgc: usize = 0;
/** The white of newly created objects; flips at the start of every sweep. */
export let currentwhite: u8 = WHITE0BIT;

export function setallgc(p: usize): void { allgc = p; }
export function flipwhite(): void { currentwhite ^= WHITEBITS; }

// @ts-ignore: decorator
@inline export function otherwhite(): u8 { return currentwhite ^ WHITEBITS; }

/** An object is dead if it is marked with the white of the previous cycle. */
// @ts-ignore: decorator
@inline export function isdead(o: usize): bool { return (getmarked(o) & otherwhite() & WHITEBITS) != 0; }

/** Gives a dead-looking object the current white (used when interning resurrects a string). */
export function changewhite(o: usize): void { setmarked(o, getmarked(o) ^ WHITEBITS); }

/** Allocates a zeroed object of `size` bytes with variant tag `tt` and links it in allgc. */
export function newobj(tt: u8, size: usize): usize {
  const o = luaM_allocz(size);
  store<u8>(o, tt, 4);
  setmarked(o, currentwhite);
  setnext(o, allgc);
  allgc = o;
  return o;
}

/** Moves the most recently created object (head of allgc) to the fixed list: never collected. */
export function luaC_fix(o: usize): void {
  if (allgc == o) allgc = load<usize>(o);
  else return;   // only the newest object can be fixed (as in PUC)
  setmarked(o, getmarked(o) & ~WHITEBITS);   // gray forever: never swept
  setnext(o, fixedgc);
  fixedgc = o;
}

// Keep WHITE1BIT referenced for readers of the colour scheme.
// @ts-ignore: decorator
@inline export const WHITE_OF_ODD_CYCLES: u8 = WHITE1BIT;
