// alloc.spec.ts - mem/alloc.ts in isolation: totalbytes is exactly the sum of the live blocks it
// handed out (alloc, allocz, realloc, free), debt grows with allocation, `fits` refuses what would
// pass the limit or the ceiling, and the file's picture of TLSF's size classes matches the live heap
// (heapcheck) after a mix of allocations and frees; the cache of freed small blocks reuses blocks by
// size class without overlap.
import {
  totalbytes, gcdebt, resetdebt, setlimit, limit, fits, heapcanalloc, heapcheck, MAX_ALLOC, LIMIT_CEILING,
  luaM_alloc, luaM_allocz, luaM_realloc, luaM_free, luaM_flushcache,
} from "../../assembly/mem/alloc";

describe("byte accounting", () => {
  it("counts every allocated byte and gives them back on free", () => {
    const base = totalbytes;
    const a = luaM_alloc(100);
    expect(totalbytes).toBe(base + 100);
    const b = luaM_allocz(1000);
    expect(totalbytes).toBe(base + 1100);
    luaM_free(a, 100);
    luaM_free(b, 1000);
    expect(totalbytes).toBe(base);
  });

  it("realloc counts the new size and keeps the common prefix", () => {
    const base = totalbytes;
    let p = luaM_alloc(16);
    for (let i = 0; i < 16; i++) store<u8>(p + <usize>i, <u8>i);
    p = luaM_realloc(p, 16, 5000);
    expect(totalbytes).toBe(base + 5000);
    for (let i = 0; i < 16; i++) expect(load<u8>(p + <usize>i)).toBe(<u8>i);
    p = luaM_realloc(p, 5000, 8);
    expect(totalbytes).toBe(base + 8);
    for (let i = 0; i < 8; i++) expect(load<u8>(p + <usize>i)).toBe(<u8>i);
    luaM_free(p, 8);
    expect(totalbytes).toBe(base);
  });

  it("allocz zero-fills a block that held data before", () => {
    const p = luaM_alloc(64);
    memory.fill(p, 0xAB, 64);
    luaM_free(p, 64);
    const q = luaM_allocz(64);
    for (let i = 0; i < 64; i++) expect(load<u8>(q + <usize>i)).toBe(0);
    luaM_free(q, 64);
  });

  it("counts net allocation in the debt (reallocs by their growth, frees as credit), until reset", () => {
    resetdebt();
    const p = luaM_alloc(300);
    expect(gcdebt).toBe(300);
    const q = luaM_realloc(p, 300, 500);
    expect(gcdebt).toBe(500);
    luaM_free(q, 500);
    expect(gcdebt).toBe(0);                                  // a free outside the collector is credit, as PUC's GCdebt
    luaM_free(luaM_alloc(100), 100);
    expect(gcdebt).toBe(0);
    const r = luaM_alloc(200);
    resetdebt();                                             // (a collector step ends so: the sweep's frees give no credit)
    expect(gcdebt).toBe(0);
    luaM_free(r, 200);
    expect(gcdebt).toBe(-200);                               // (it may go negative)
    resetdebt();
  });
});

describe("limits", () => {
  it("fits refuses what would pass the memory limit, and the limit 0 means the ceiling", () => {
    setlimit(<u64>totalbytes + 4096);
    expect(fits(1000)).toBe(true);
    expect(fits(5000)).toBe(false);
    setlimit(0);
    expect(limit).toBe(LIMIT_CEILING);
    expect(fits(5000)).toBe(true);
  });

  it("refuses a single request at or above MAX_ALLOC whatever the limit", () => {
    expect(fits(<u64>MAX_ALLOC)).toBe(false);
    expect(heapcanalloc(MAX_ALLOC)).toBe(false);
    expect(heapcanalloc(1 << 20)).toBe(true);
  });
});

describe("the allocator's heap", () => {
  it("agrees with heapcheck's picture of TLSF after mixed allocations and frees", () => {
    const base = totalbytes;
    const ptrs = new StaticArray<usize>(200);
    const sizes = new StaticArray<usize>(200);
    for (let i = 0; i < 200; i++) {
      sizes[i] = <usize>(((i * 7919) % 3000) + 1);
      ptrs[i] = luaM_alloc(sizes[i]);
    }
    for (let i = 0; i < 200; i += 3) luaM_free(ptrs[i], sizes[i]);   // holes of many size classes
    expect(heapcheck()).toBe(0);
    for (let i = 0; i < 200; i++) if (i % 3 != 0) luaM_free(ptrs[i], sizes[i]);
    expect(heapcheck()).toBe(0);
    expect(totalbytes).toBe(base);
  });
});

describe("the small-block cache", () => {
  it("hands a freed small block out again for a request of the same size class", () => {
    const a = luaM_alloc(20);
    luaM_free(a, 20);
    const b = luaM_alloc(28);                     // 13..28 bytes: one TLSF payload class (28)
    expect(b).toBe(a);
    luaM_free(b, 28);
    const c = luaM_alloc(29);                     // the next class: not that block
    expect(c).not.toBe(a);
    luaM_free(c, 29);
    luaM_flushcache();
    expect(heapcheck()).toBe(0);
  });

  it("keeps the accounting exact through cached frees and reuse", () => {
    const base = totalbytes;
    const ps = new StaticArray<usize>(64);
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < 64; i++) ps[i] = luaM_alloc(<usize>(8 + i * 3));
      expect(totalbytes).toBe(base + <usize>(64 * 8 + 3 * (63 * 64) / 2));
      for (let i = 0; i < 64; i++) luaM_free(ps[i], <usize>(8 + i * 3));
      expect(totalbytes).toBe(base);
    }
  });

  it("never hands out overlapping blocks (each is written whole, then checked)", () => {
    const n = 200;
    const ps = new StaticArray<usize>(n);
    const sz = (i: i32): usize => <usize>(1 + (i * 37) % 252);
    for (let i = 0; i < n; i++) { ps[i] = luaM_alloc(sz(i)); memory.fill(ps[i], <u8>i, sz(i)); }
    for (let i = 0; i < n; i += 2) luaM_free(ps[i], sz(i));
    for (let i = 0; i < n; i += 2) { ps[i] = luaM_alloc(sz(i + 1)); memory.fill(ps[i], <u8>(i + 1), sz(i + 1)); }
    for (let i = 0; i < n; i++) {
      const s = i % 2 == 0 ? sz(i + 1) : sz(i), v = <u8>(i % 2 == 0 ? i + 1 : i);
      for (let j: usize = 0; j < s; j++) expect(load<u8>(ps[i] + j)).toBe(v);
    }
    for (let i = 0; i < n; i++) luaM_free(ps[i], i % 2 == 0 ? sz(i + 1) : sz(i));
    luaM_flushcache();
    expect(heapcheck()).toBe(0);
  });
});
