// table.spec.ts - object/table.ts in isolation: where keys live (array part for 1..n, hash part for
// the rest), how a rehash moves integer keys into the array part, key normalisation (1 and 1.0 the
// same key, 1 and "1" different, nil and NaN refused), the border `#t`, and `next` visiting every
// key once. Tables are built directly; no VM and no collector run.
import * as ltable from "../../assembly/object/table";
import {
  setivalue, setsvalue, setfltvalue, setnilvalue, ttisnil, ivalue, ttisinteger, ttisstring, tsvalue,
} from "../../assembly/object/value";
import { luaS_init, luaS_new } from "../../assembly/object/string";

const K: usize = memory.data(16, 8);
const V: usize = memory.data(16, 8);
const NEXT: usize = memory.data(32, 8);   // a key slot and its value slot, as luaH_next wants

function seti(t: usize, k: i64, v: i64): void { setivalue(V, v); ltable.luaH_setint(t, k, V); }
function geti(t: usize, k: i64): i64 { const o = ltable.luaH_getint(t, k); return ttisnil(o) ? -1 : ivalue(o); }
function sets(t: usize, k: string, v: i64): i32 { setsvalue(K, luaS_new(k)); setivalue(V, v); return ltable.luaH_set(t, K, V); }
function gets(t: usize, k: string): i64 { const o = ltable.luaH_getstr(t, luaS_new(k)); return ttisnil(o) ? -1 : ivalue(o); }
/** Number of keys `next` visits. */
function count(t: usize): i32 {
  setnilvalue(NEXT);
  let n = 0;
  while (ltable.luaH_next(t, NEXT) == 1) n++;
  return n;
}

describe("table parts", () => {
  beforeAll(() => { luaS_init(); });

  it("a new table has no array part and the shared dummy hash", () => {
    const t = ltable.luaH_new();
    expect(ltable.asize(t)).toBe(0);
    expect(ltable.isdummy(t)).toBe(true);
    expect(ltable.luaH_getn(t)).toBe(0);
  });

  it("keeps 1..n in the array part as it grows, with every value in place", () => {
    const t = ltable.luaH_new();
    for (let i: i64 = 1; i <= 100; i++) seti(t, i, i * 10);
    expect(ltable.asize(t)).toBeGreaterThanOrEqual(100);
    expect(ltable.asize(t)).toBeLessThanOrEqual(128);      // powers of 2, more than half used
    expect(ltable.allocsizenode(t)).toBe(0);
    for (let i: i64 = 1; i <= 100; i++) expect(geti(t, i)).toBe(i * 10);
    expect(ltable.luaH_getn(t)).toBe(100);
  });

  it("puts string keys and sparse integers in the hash part", () => {
    const t = ltable.luaH_new();
    sets(t, "alpha", 1);
    sets(t, "beta", 2);
    seti(t, 1000000, 3);
    expect(ltable.asize(t)).toBe(0);
    expect(ltable.allocsizenode(t)).toBeGreaterThanOrEqual(3);
    expect(gets(t, "alpha")).toBe(1);
    expect(gets(t, "beta")).toBe(2);
    expect(geti(t, 1000000)).toBe(3);
    expect(gets(t, "gamma")).toBe(-1);
  });

  it("moves integer keys from the hash part to the array part when a rehash finds them dense", () => {
    const t = ltable.luaH_new();
    for (let i: i64 = 8; i >= 1; i--) seti(t, i, i);        // descending: each starts in the hash
    for (let i: i64 = 9; i <= 40; i++) seti(t, i, i);
    expect(ltable.asize(t)).toBeGreaterThanOrEqual(32);
    for (let i: i64 = 1; i <= 40; i++) expect(geti(t, i)).toBe(i);
    expect(count(t)).toBe(40);
  });

  it("luaH_resize to smaller parts keeps every key, moving array entries into the hash", () => {
    const t = ltable.luaH_new();
    for (let i: i64 = 1; i <= 16; i++) seti(t, i, -i);
    sets(t, "k", 99);
    ltable.luaH_resize(t, 4, 32);
    expect(ltable.asize(t)).toBe(4);
    for (let i: i64 = 1; i <= 16; i++) expect(geti(t, i)).toBe(-i);
    expect(gets(t, "k")).toBe(99);
    expect(count(t)).toBe(17);
  });
});

describe("table keys", () => {
  it("treats 1 and 1.0 as one key, and 1 and \"1\" as two", () => {
    const t = ltable.luaH_new();
    setfltvalue(K, 1.0); setivalue(V, 7);
    expect(ltable.luaH_set(t, K, V)).toBe(ltable.SET_OK);
    expect(geti(t, 1)).toBe(7);
    sets(t, "1", 8);
    expect(geti(t, 1)).toBe(7);
    expect(gets(t, "1")).toBe(8);
    expect(count(t)).toBe(2);
  });

  it("refuses nil and NaN keys and changes nothing", () => {
    const t = ltable.luaH_new();
    setivalue(V, 1);
    setnilvalue(K);
    expect(ltable.luaH_set(t, K, V)).toBe(ltable.SET_KEYNIL);
    setfltvalue(K, NaN);
    expect(ltable.luaH_set(t, K, V)).toBe(ltable.SET_KEYNAN);
    expect(count(t)).toBe(0);
  });

  it("keeps a key assigned nil in place, so a traversal can go on past it", () => {
    const t = ltable.luaH_new();
    sets(t, "a", 1); sets(t, "b", 2); sets(t, "c", 3);
    setnilvalue(NEXT);
    expect(ltable.luaH_next(t, NEXT)).toBe(1);
    expect(ttisstring(NEXT)).toBe(true);
    setsvalue(K, tsvalue(NEXT)); setnilvalue(V);
    ltable.luaH_set(t, K, V);                               // delete the key just visited
    let rest = 0;
    while (ltable.luaH_next(t, NEXT) == 1) rest++;
    expect(rest).toBe(2);
  });

  it("reports a key that is not in the table as an invalid key to next", () => {
    const t = ltable.luaH_new();
    seti(t, 1, 1);
    setsvalue(NEXT, luaS_new("absent"));
    expect(ltable.luaH_next(t, NEXT)).toBe(-1);
  });
});

describe("the border #t", () => {
  it("is 0 for an empty table and n for a sequence 1..n", () => {
    const t = ltable.luaH_new();
    expect(ltable.luaH_getn(t)).toBe(0);
    for (let i: i64 = 1; i <= 33; i++) seti(t, i, i);
    expect(ltable.luaH_getn(t)).toBe(33);
  });

  it("is always a border: t[n] non-nil and t[n + 1] nil", () => {
    const t = ltable.luaH_new();
    for (let i: i64 = 1; i <= 64; i++) if (i % 7 != 0) seti(t, i, i);
    const n = ltable.luaH_getn(t);
    expect(n == 0 || geti(t, n) != -1).toBe(true);
    expect(geti(t, n + 1)).toBe(-1);
  });

  it("follows a sequence continued in the hash part", () => {
    const t = ltable.luaH_new();
    ltable.luaH_resize(t, 4, 16);
    for (let i: i64 = 1; i <= 10; i++) seti(t, i, i);      // 5..10 do not fit the array part of 4... until a rehash
    expect(ltable.luaH_getn(t)).toBe(10);
    expect(ttisinteger(ltable.luaH_getint(t, 10))).toBe(true);
  });
});
