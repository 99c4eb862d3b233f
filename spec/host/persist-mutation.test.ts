// persist-mutation.test.ts - regressions found by the snapshot and saved-state mutation fuzzer
// (spec/fuzz/targets/snapshot-mutation.ts): each mutant is a clear error that leaves the live state
// as it was, never a raw JS exception text or a trap.
import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent, SnapshotError, type StorageAdapter } from "../../host/index.js";
import { joinSection, parseSection, splitSection } from "../fuzz/targets/snapshot-mutation.js";
import { crc32 } from "../../host/persist/format.js";
import { Tag as WireTag, Writer } from "../../host/wire.js";
import { evalOk } from "./helpers.js";

/** A storage whose image the test sets directly. */
function holder(): StorageAdapter & { image: Uint8Array | null } {
  const h = {
    image: null as Uint8Array | null,
    load: async () => h.image,
    save: async (b: Uint8Array) => {
      h.image = b.slice();
    },
    clear: async () => {
      h.image = null;
    },
  };
  return h;
}

/** Sets the CRC-32 of bytes 12.. at offset 8, as a valid image has it. */
function withCrc(b: Uint8Array): Uint8Array {
  new DataView(b.buffer, b.byteOffset).setUint32(8, crc32(b.subarray(12)), true);
  return b;
}

async function engineWith(storage: StorageAdapter): Promise<LuaPersistent> {
  const lua = new LuaPersistent({ storage });
  await lua.load();
  lua.init();
  return lua;
}

describe("saved _home images with a valid checksum but a broken payload", () => {
  it("an image truncated inside its table count is 'corrupt (truncated value)', _home unchanged", async () => {
    const s = holder();
    const lua = await engineWith(s);
    evalOk(lua, `_home.v = "saved"`);
    expect(await lua.saveState()).toBe(true);
    evalOk(lua, `_home.v = "live"`);
    for (const n of [12, 13, 14, 15]) {
      s.image = withCrc(s.image!.slice(0, n));
      expect(await lua.loadState()).toBe(false);
      expect(lua.getLastError()).toBe("cannot load state: persisted state is corrupt (truncated value)");
      expect(evalOk(lua, `return _home.v`).value).toBe("live");
      evalOk(lua, `_home.v = "saved"`);
      expect(await lua.saveState()).toBe(true);
      evalOk(lua, `_home.v = "live"`);
    }
  });

  it("an image whose key no external table can hold (a native, NaN) is refused before _home is touched", async () => {
    const s = holder();
    const lua = await engineWith(s);
    evalOk(lua, `_home.keep = "live" _home.n = 2`);
    for (const [badKey, why] of [
      [
        (w: Writer) => {
          w.u8(WireTag.NATIVE);
          w.text("print");
        },
        "external table keys must be strings, numbers or booleans (got function)",
      ],
      [(w: Writer) => w.float(NaN), "index is NaN"],
    ] as const) {
      const w = new Writer();
      w.u32(1); // one table: _home (local id 0) with two entries
      w.u32(0);
      w.u32(2);
      w.string("a");
      w.integer(1); // a good entry first: it must not be applied either
      badKey(w);
      w.boolean(true);
      w.u32(0);
      w.u32(0); // no functions, no cells
      const payload = w.result();
      const image = new Uint8Array(12 + payload.length);
      image.set([0x4c, 0x57, 0x50, 0x48]);
      new DataView(image.buffer).setUint32(4, 2, true);
      image.set(payload, 12);
      s.image = withCrc(image);
      expect(await lua.loadState()).toBe(false);
      expect(lua.getLastError()).toBe(`cannot load state: persisted state is corrupt (${why})`);
      expect(evalOk(lua, `return _home.keep, _home.n, _home.a, ext.size(_home)`).values).toEqual(["live", 2, null, 2]);
    }
  });
});

describe("snapshots with many open upvalues", () => {
  it("link 100,000 open upvalues in linear time, whatever their order in the snapshot", async () => {
    const N = 100_000;
    const L = await Lua.create();
    L.run(`
      function deep(n)
        local x = n
        local f = function() return x end
        if n == 0 then coroutine.yield() return 0 end
        return deep(n - 1) + f()
      end
      co = coroutine.create(deep) coroutine.resume(co, ${N})`);
    const snap = L.snapshot();
    // the same snapshot with the open upvalues' slots reversed among them: the worst order for a
    // sorted insert (the closure of level k now reads the x of level N - k: the sum then misses the
    // x that level 0's unused closure holds, N instead of 0)
    const { section, rest } = splitSection(snap);
    const sec = section.slice();
    const slots = parseSection(sec)!.fields.filter((f) => f.role === "uvslot");
    expect(slots.length).toBe(N + 1);
    const dv = new DataView(sec.buffer);
    const vals = slots.map((f) => dv.getUint32(f.off, true)).sort((a, b) => b - a);
    slots.forEach((f, i) => dv.setUint32(f.off, vals[i], true));
    for (const [bytes, sum] of [
      [snap, (N * (N + 1)) / 2],
      [joinSection(snap, sec, rest), (N * (N + 1)) / 2 - N],
    ] as const) {
      const L2 = await Lua.create();
      const t0 = performance.now();
      L2.restore(bytes);
      expect(performance.now() - t0).toBeLessThan(5000); // quadratic linking took minutes here
      expect(L2.run(`return coroutine.resume(co)`)).toEqual([true, sum]);
      L2.close();
    }
  }, 60_000);
});

describe("snapshots of tables whose allocated size exceeds their entries", () => {
  it("restore a table that grew and was emptied, keeping its size and `#` (found restoring a restored mutant)", async () => {
    const L = await Lua.create();
    L.run(`
      t = {} for i = 1, 100000 do t[i] = i end for i = 1, 100000 do t[i] = nil end
      h = {} for i = 1, 50000 do h["k" .. i] = i end for i = 1, 50000 do h["k" .. i] = nil end
      holes = {} for i = 1, 64 do holes[i] = i end holes[10] = nil holes[40] = nil
      t[7] = "seven"`);
    const before = L.run(`return #holes, t[7], next(h), collectgarbage("count") > 1000`);
    const snap = L.snapshot();
    expect(snap.length).toBeLessThan(20_000); // far fewer bytes than the tables' slots
    const L2 = await Lua.create();
    L2.restore(snap);
    expect(L2.run(`return #holes, t[7], next(h), collectgarbage("count") > 1000`)).toEqual(before);
    L2.run(`for i = 1, 100000 do t[i] = i end`); // the restored table is fully usable
    expect(L2.run(`return #t`)).toEqual([100000]);
  });

  it("restore a table whose hash part fills most of the memory limit (the size estimate is exact)", async () => {
    const limit = 7 * 1024 * 1024; // the old estimate (64 B a node) needed 8 MiB
    const L = await Lua.create({ memoryLimit: limit });
    // 2^17 nodes of 32 bytes (4 MiB) stay allocated after the keys are removed
    L.run(`h = {} for i = 1, 70000 do h[i + 0.5] = true end for i = 1, 70000 do h[i + 0.5] = nil end h.x = 1`);
    const used = L.memoryStats().lua_memory_used;
    expect(used).toBeGreaterThan(4 * 1024 * 1024);
    const L2 = await Lua.create({ memoryLimit: limit });
    L2.restore(L.snapshot());
    expect(L2.run(`return h.x, next(h)`)).toEqual([1, "x", 1]);
    expect(L2.memoryStats().lua_memory_used).toBeLessThan(used + 64 * 1024);
  });
});

describe("crafted snapshots that declare far more objects than their bytes can fill", () => {
  /** A module section: one native name, then `n` copies of one declaration, and nothing else. */
  function section(n: number, decl: number[]): Uint8Array {
    const name = [...new TextEncoder().encode("print")];
    const head = [
      0x4c,
      0x57,
      0x53,
      0x47,
      1,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      name.length,
      0,
      0,
      0,
      ...name,
      n & 255,
      (n >>> 8) & 255,
      (n >>> 16) & 255,
      n >>> 24,
    ];
    const out = new Uint8Array(head.length + n * decl.length);
    out.set(head);
    for (let i = 0; i < n; i++) out.set(decl, head.length + i * decl.length);
    return out;
  }

  it("are refused after the declarations they can fill, without allocating the rest", async () => {
    const L = await Lua.create();
    const base = L.snapshot();
    const { rest } = splitSection(base);
    const L2 = await Lua.create();
    L2.run(`keep = "still here"`);
    // 6 bytes declaring a native closure of 255 upvalues (4 KiB), 1 byte declaring a thread
    for (const decl of [[4, 255, 0, 0, 0, 0], [7], [5], [3, 255]]) {
      const bytes = joinSection(base, section(300_000, decl), rest);
      const t0 = performance.now();
      let err: unknown = null;
      try {
        L2.restore(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SnapshotError);
      expect((err as Error).message).toBe("bad snapshot: truncated declarations");
      expect(performance.now() - t0).toBeLessThan(5000); // 300k closures of 4 KiB: seconds, 700k: minutes
    }
    expect(L2.run(`return keep`)).toEqual(["still here"]);
  }, 60_000);
});
