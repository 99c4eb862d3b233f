// persistent-io.test.ts - LuaPersistent's _io exchange (setInput/getOutput/setMetadata/clearIo), _home
// persistence through storage adapters (memory, file with atomic replace), options and bad input.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileStorage, LuaPersistent, MemoryStorage, type StorageAdapter } from "../../host/index.js";
import { evalOk } from "./helpers.js";

async function engine(opts: ConstructorParameters<typeof LuaPersistent>[0] = {}): Promise<LuaPersistent> {
  const lua = new LuaPersistent(opts);
  await lua.load();
  if (!lua.init()) throw new Error(lua.getLastError()!);
  return lua;
}

describe("_io", () => {
  it("passes input and metadata in and output out, converting objects both ways", async () => {
    const lua = await engine();
    lua.setInput({
      items: [3, 4],
      name: "n",
      nested: new Map<unknown, unknown>([
        [1, "one"],
        ["k", true],
      ]),
    });
    lua.setMetadata({ user: "u1" });
    evalOk(
      lua,
      `_io.output = { total = _io.input.items[1] + _io.input.items[2], who = _io.meta.user,
      one = _io.input.nested[1], k = _io.input.nested.k, n = #_io.input.items }`,
    );
    expect(lua.getOutput()).toEqual({ total: 7, who: "u1", one: "one", k: true, n: 2 });
  });

  it("is emptied by clearIo while _home is kept", async () => {
    const lua = await engine();
    lua.setInput(5);
    evalOk(lua, `_home.kept = _io.input _io.output = "x"`);
    lua.clearIo();
    expect(lua.getOutput()).toBeNull();
    expect(evalOk(lua, `return _io.input, _home.kept, ext.size(_io)`).values).toEqual([null, 5, 0]);
  });

  it("keeps cycles of input objects", async () => {
    const lua = await engine();
    const o: Record<string, unknown> = { v: 1 };
    o.self = o;
    lua.setInput(o);
    expect(evalOk(lua, `return _io.input.self == _io.input, _io.input.self.self.v`).values).toEqual([true, 1]);
  });
});

describe("_home persistence", () => {
  it("saves and restores _home through the default memory storage, cycles included", async () => {
    const lua = await engine();
    evalOk(
      lua,
      `_home.user = {name = "ann", tags = {"a", "b"}, score = 1.5, big = math.maxinteger}
      _home.user.me = _home.user _home.bin = "\\0\\255"`,
    );
    expect(await lua.saveState()).toBe(true);
    evalOk(lua, `_home.user = nil _home.other = 1`);
    expect(await lua.loadState()).toBe(true);
    expect(
      evalOk(
        lua,
        `local u = _home.user return u.name, u.tags[2], u.score, u.big == math.maxinteger,
      u.me == u, _home.other, _home.bin == "\\0\\255"`,
      ).values,
    ).toEqual(["ann", "b", 1.5, true, true, null, true]);
  });

  it("restores into a new engine sharing the storage, Memory being an alias of _home", async () => {
    const storage = new MemoryStorage();
    const a = await engine({ storage });
    evalOk(a, `Memory.count = 41`);
    await a.saveState();
    a.close();
    const b = await engine({ storage });
    expect(await b.loadState()).toBe(true);
    expect(evalOk(b, `_home.count = _home.count + 1 return _home.count`).value).toBe(42);
  });

  it("reports that nothing was saved, and forgets a save with clearPersistedState", async () => {
    const lua = await engine();
    expect(await lua.loadState()).toBe(false);
    expect(lua.getLastError()).toBeNull();
    evalOk(lua, `_home.x = 1`);
    await lua.saveState();
    expect(await lua.clearPersistedState()).toBe(true);
    expect(await lua.loadState()).toBe(false);
  });

  it("writes a file atomically with a format version and a checksum", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lwp-"));
    const path = join(dir, "home.bin");
    const lua = await engine({ storage: new FileStorage(path) });
    evalOk(lua, `_home.v = "first"`);
    expect(await lua.saveState()).toBe(true);
    const image = readFileSync(path);
    expect(image.subarray(0, 4).toString("latin1")).toBe("LWPH");
    expect(image.readUInt32LE(4)).toBe(2); // FORMAT_VERSION
    expect(readdirSync(dir)).toEqual(["home.bin"]); // no temporary file left behind
    const b = await engine({ storage: new FileStorage(path) });
    expect(await b.loadState()).toBe(true);
    expect(evalOk(b, `return _home.v`).value).toBe("first");
  });

  it("refuses a corrupt file and leaves _home unchanged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lwp-"));
    const path = join(dir, "home.bin");
    const lua = await engine({ storage: new FileStorage(path) });
    evalOk(lua, `_home.v = "saved"`);
    await lua.saveState();
    const image = readFileSync(path);
    image[image.length - 2] ^= 0xff;
    writeFileSync(path, image);
    evalOk(lua, `_home.v = "live"`);
    expect(await lua.loadState()).toBe(false);
    expect(lua.getLastError()).toBe("cannot load state: persisted state is corrupt (checksum mismatch)");
    expect(evalOk(lua, `return _home.v`).value).toBe("live");
  });

  it("keeps the previous file when the backend fails in the middle of a save", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lwp-"));
    const path = join(dir, "home.bin");
    const fsp = await import("node:fs/promises");
    let failWrite = false;
    const ops = {
      readFile: (p: string) => fsp.readFile(p),
      rename: (a: string, b: string) => fsp.rename(a, b),
      unlink: (p: string) => fsp.unlink(p),
      async open(p: string, flags: string) {
        const h = await fsp.open(p, flags);
        return {
          async write(b: Uint8Array) {
            if (failWrite) {
              await h.write(b.subarray(0, 3));
              throw new Error("ENOSPC: no space left on device");
            }
            return h.write(b);
          },
          sync: () => h.sync(),
          close: () => h.close(),
        };
      },
    };
    const lua = await engine({ storage: new FileStorage(path, ops) });
    evalOk(lua, `_home.v = "old"`);
    expect(await lua.saveState()).toBe(true);
    const before = readFileSync(path);
    failWrite = true;
    evalOk(lua, `_home.v = "new"`);
    expect(await lua.saveState()).toBe(false);
    expect(lua.getLastError()).toBe("cannot save state: ENOSPC: no space left on device");
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(["home.bin"]);
    expect(await lua.loadState()).toBe(true);
    expect(evalOk(lua, `return _home.v`).value).toBe("old");
  });

  it("keeps the previous image when a custom adapter throws", async () => {
    const inner = new MemoryStorage();
    let broken = false;
    const storage: StorageAdapter = {
      load: () => inner.load(),
      save: async (b) => {
        if (broken) throw new Error("quota exceeded");
        await inner.save(b);
      },
      clear: () => inner.clear(),
    };
    const lua = await engine({ storage });
    evalOk(lua, `_home.n = 1`);
    await lua.saveState();
    broken = true;
    evalOk(lua, `_home.n = 2`);
    expect(await lua.saveState()).toBe(false);
    expect(await lua.loadState()).toBe(true);
    expect(evalOk(lua, `return _home.n`).value).toBe(1);
    expect(existsSync("/nonexistent")).toBe(false);
  });
});

describe("LuaPersistent options and misuse", () => {
  it("caps captured output with a visible marker and streams it to onOutput", async () => {
    const seen: string[] = [];
    const lua = await engine({ maxOutputBytes: 10, onOutput: (t) => seen.push(t) });
    const r = evalOk(lua, `print("0123456789abcdef")`);
    expect(r.output).toBe("0123456789\n[output truncated: more than 10 bytes]\n");
    expect(seen.join("")).toBe(r.output);
  });

  it("removes file and process access in sandbox mode", async () => {
    const lua = await engine({ sandbox: true });
    expect(evalOk(lua, `return os.execute, io.open, dofile, type(print), type(io.write)`).values).toEqual([
      null,
      null,
      null,
      "function",
      "function",
    ]);
    // require stays for the built-in modules; with no file system it finds no file module
    expect(evalOk(lua, `return (pcall(require, "os")), (pcall(require, "somefile"))`).values).toEqual([true, false]);
  });

  it("gives getTableInfo counts and gc() collects", async () => {
    const lua = await engine();
    evalOk(lua, `_home.a = {1, 2} local t = ext.table() t.x = 1`);
    const info = lua.getTableInfo();
    expect(info.home).toBe(1);
    expect(info.persistedTables).toBe(2);
    expect(info.tables).toBeGreaterThanOrEqual(4);
    lua.gc();
  });

  it("rejects code that is not a string, code with invalid UTF-8, and unsupported input values", async () => {
    const lua = await engine();
    expect(() => lua.eval(42 as unknown as string)).toThrow(
      "code must be a string (or a Uint8Array of UTF-8), got number",
    );
    expect(() => lua.eval(new Uint8Array([0x72, 0xff, 0xfe]))).toThrow(/code is not valid UTF-8/);
    expect(() => lua.eval("return '\uD800'")).toThrow(/lone surrogate/);
    expect(() => lua.setInput(() => 1)).toThrow("cannot store a function in an external table");
    expect(() => lua.setInput(Symbol("s"))).toThrow("cannot store a symbol in an external table");
    lua.setInput(2n ** 70n); // beyond 64 bits: a Lua bigint (require "bigint"), no longer an error
    expect(evalOk(lua, `return tostring(_io.input), math.type(_io.input)`).values).toEqual([String(2n ** 70n), null]);
    expect(evalOk(lua, `return 1`).value).toBe(1);
  });

  it("throws a clear error for eval after close()", async () => {
    const lua = await engine();
    lua.close();
    expect(() => lua.eval("return 1")).toThrow("LuaPersistent: the state is closed");
    expect(() => lua.getMemoryStats()).toThrow("LuaPersistent: the state is closed");
  });
});
