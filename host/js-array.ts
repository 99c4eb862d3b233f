// js-array.ts - visiting the elements of a JS array in time proportional to the elements it has, not
// to its `length`: the one place where host code walks arrays that come from users (ext/js.ts for
// external tables, encode.ts for the typed API).
//
// A dense array is read index by index (the fast path). When the indices read so far are mostly
// empty (holes or undefined), the rest is found through Object.keys, which costs what the array
// holds: a sparse array with length 2^31 and three elements costs three visits. A Proxy cannot make
// the walk run long either: its `length` must agree with its own "length" property (what its target
// really has), the index loop stops after a bounded run of empty reads, and the keys come from its
// own ownKeys answer, each of which must be an index below `length`.
// Invariant: visit(i, v) is called once per index i < length whose value is not undefined, in
// increasing order of i; the walk reads `length`, its descriptor, elements and (for sparse arrays)
// Object.keys, and its cost is O(elements + EMPTY_RUN) plus what a Proxy's own traps cost.

/** Empty reads tolerated before the index loop switches to Object.keys (once they are also the majority). */
const EMPTY_RUN = 1024;
/** Largest array length (2^32 - 1). */
const MAX_LENGTH = 4294967295;

/** The array index a property key denotes (a canonical numeric string below 2^32 - 1), else -1. */
function indexOf(key: string): number {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < MAX_LENGTH && String(n) === key ? n : -1;
}

/**
 * Calls visit(index, value) for every element of `a` whose value is not undefined. Throws a
 * TypeError for an array-like whose `length` is not a valid array length, or a Proxy whose `length`
 * does not match its own "length" property or whose own keys include an index at or past `length`.
 */
export function forEachElement(a: readonly unknown[], visit: (index: number, value: unknown) => void): void {
  const n: unknown = a.length;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_LENGTH) {
    throw new TypeError(`cannot convert an array whose length is ${String(n)}`);
  }
  const own = Object.getOwnPropertyDescriptor(a, "length");
  if (own === undefined || own.value !== n) {
    throw new TypeError(`cannot convert an array whose length (${n}) is not its own length property (a Proxy?)`);
  }
  let i = 0,
    empty = 0;
  for (; i < n; i++) {
    const v = a[i];
    if (v !== undefined) {
      visit(i, v);
      continue;
    }
    empty++;
    if (empty >= EMPTY_RUN && empty * 2 > i + 1) break; // mostly holes: the keys are cheaper
  }
  if (i >= n) return;
  // the elements after index i, found through the keys the array has
  const rest: number[] = [];
  for (const k of Object.keys(a)) {
    const idx = indexOf(k);
    if (idx < 0) continue; // a named property: not an element
    if (idx >= n)
      throw new TypeError(`cannot convert an array with an element at ${idx}, past its length ${n} (a Proxy?)`);
    if (idx > i) rest.push(idx);
  }
  if (!isSorted(rest)) rest.sort((x, y) => x - y); // ordinary arrays list indices in order already
  for (const idx of rest) {
    const v = a[idx];
    if (v !== undefined) visit(idx, v);
  }
}

function isSorted(xs: number[]): boolean {
  for (let j = 1; j < xs.length; j++) if (xs[j - 1] >= xs[j]) return false;
  return true;
}
