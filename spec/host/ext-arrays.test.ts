// ext-arrays.test.ts - converting JS arrays into external tables costs their elements, not their
// length (issue #10 item 12; host/js-array.ts): sparse arrays with huge lengths are fast, a Proxy
// that lies about its length is refused with a clear error, and conversion counts against the limit.
import { describe, expect, it } from "vitest";
import { LuaPersistent } from "../../host/index.js";
import { ExtTableStore } from "../../host/ext/store.js";
import { HostMemoryError, IO_ID } from "../../host/ext/values.js";
import { forEachElement } from "../../host/js-array.js";
import { evalOk, newEngine } from "./helpers.js";

const vals = (lua: LuaPersistent, code: string) => evalOk(lua, code).values;

function elements(a: unknown[]): [number, unknown][] {
  const out: [number, unknown][] = [];
  forEachElement(a, (i, v) => out.push([i, v]));
  return out;
}

describe("forEachElement", () => {
  it("visits a dense array in order, skipping holes and undefined", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(elements([1, , undefined, null, "x"])).toEqual([
      [0, 1],
      [3, null],
      [4, "x"],
    ]);
  });

  it("visits a sparse array with length 2^32 - 1 in time proportional to its elements, in order", () => {
    const a: unknown[] = [];
    a.length = 2 ** 32 - 1;
    a[2 ** 31] = "c";
    a[7] = "a";
    a[2 ** 20] = "b";
    const t0 = performance.now();
    expect(elements(a)).toEqual([
      [7, "a"],
      [2 ** 20, "b"],
      [2 ** 31, "c"],
    ]);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it("switches to keys only once the reads are mostly empty (a half-empty array still reads by index)", () => {
    const a: unknown[] = [];
    for (let i = 0; i < 10_000; i += 2) a[i] = i;
    expect(elements(a).length).toBe(5_000);
    const b: unknown[] = [];
    b.length = 5000;
    b[4999] = "end";
    b[0] = "start";
    b[3000] = "mid";
    expect(elements(b)).toEqual([
      [0, "start"],
      [3000, "mid"],
      [4999, "end"],
    ]);
  });

  it("ignores named properties of an array, as before", () => {
    const a: unknown[] & { extra?: number } = [1, 2];
    a.extra = 3;
    expect(elements(a)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it("refuses a Proxy whose length is not its own length property", () => {
    const p = new Proxy([], { get: (t, k) => (k === "length" ? 1e9 : 1) });
    const t0 = performance.now();
    expect(() => elements(p)).toThrow(/length \(1000000000\) is not its own length property/);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it("refuses a Proxy listing an element past its length, and lengths that are not array lengths", () => {
    const keys = new Proxy([1, 2], {
      ownKeys: () => ["0", "1", "5", "length"],
      get: (t, k) => (k === "length" ? 2 : Reflect.get(t, k)),
    });
    const sparse = new Proxy(Object.assign([] as unknown[], { length: 5000 }), {
      ownKeys: (t) => [...Reflect.ownKeys(t), "9999"],
      getOwnPropertyDescriptor: (t, k) =>
        k === "9999"
          ? { value: 1, enumerable: true, configurable: true, writable: true }
          : Reflect.getOwnPropertyDescriptor(t, k),
    });
    expect(() => elements(sparse)).toThrow(/element at 9999, past its length 5000/);
    expect(elements(keys)).toEqual([
      [0, 1],
      [1, 2],
    ]); // dense: read by index, never past length
    const fake = { length: -1 } as unknown as unknown[];
    expect(() => elements(fake)).toThrow(/length is -1/);
  });

  it("converts a well-behaved Proxy of an array (e.g. a reactive wrapper) like the array", () => {
    expect(elements(new Proxy([1, 2, 3], {}))).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
});

describe("JS arrays into external tables", () => {
  it("setInput of a sparse array with length 2^31 is fast and keeps the indices", async () => {
    const lua = await newEngine();
    const a: unknown[] = [];
    a.length = 2 ** 31;
    a[5] = "five";
    a[2 ** 30] = "big";
    const t0 = performance.now();
    lua.setInput(a);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(
      vals(lua, "local n = 0 for _ in pairs(_io.input) do n = n + 1 end return n, _io.input[6], _io.input[2^30 + 1]"),
    ).toEqual([2, "five", "big"]);
  });

  it("setInput of a Proxy claiming a huge length is a clear TypeError and changes nothing", async () => {
    const lua = await newEngine();
    lua.setInput([1]);
    const tables = lua.getTableInfo().tables;
    expect(() => lua.setInput(new Proxy([], { get: (t, k) => (k === "length" ? 1e9 : 1) }))).toThrow(TypeError);
    expect(lua.getTableInfo().tables).toBe(tables);
    expect(vals(lua, "return _io.input[1]")).toEqual([1]);
  });

  it("a large dense array counts against the limit and is refused as a whole past it", () => {
    const s = new ExtTableStore();
    s.room = () => 1_000_000;
    expect(() =>
      s.setJS(
        IO_ID,
        "a",
        Array.from({ length: 100_000 }, (_, i) => i),
      ),
    ).toThrow(HostMemoryError);
    expect(s.info().tables).toBe(2);
    s.setJS(
      IO_ID,
      "a",
      Array.from({ length: 1000 }, (_, i) => i),
    );
    expect((s.toJS(s.get(IO_ID, "a")) as number[]).length).toBe(1000);
  });
});
