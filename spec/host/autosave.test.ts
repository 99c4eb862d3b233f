// autosave.test.ts - LuaPersistent's autosave policies ("manual", "eval", debounced), flush(), and a
// failing backend; plus what closing a state does (finalizers run) and the process capabilities
// (os.exit / os.execute refused by default).
import { describe, expect, it } from "vitest";
import { Lua, LuaError, LuaPersistent, MemoryStorage } from "../../host/index.js";

/** A storage adapter that counts saves and can be told to fail. */
class CountingStorage extends MemoryStorage {
  saves = 0;
  failing = false;
  override async save(image: Uint8Array): Promise<void> {
    if (this.failing) throw new Error("disk full");
    this.saves++;
    await super.save(image);
  }
}

async function engine(options: ConstructorParameters<typeof LuaPersistent>[0]): Promise<LuaPersistent> {
  const lua = new LuaPersistent(options);
  await lua.load();
  lua.init();
  return lua;
}

async function reload(storage: MemoryStorage, key: string): Promise<unknown> {
  const fresh = await engine({ storage });
  expect(await fresh.loadState()).toBe(true);
  const v = fresh.eval(`return _home.${key}`)?.value;
  fresh.close();
  return v;
}

describe("autosave", () => {
  it("saves nothing by itself in the default manual mode", async () => {
    const storage = new CountingStorage();
    const lua = await engine({ storage });
    lua.eval("_home.n = 1");
    await lua.flush();
    expect(storage.saves).toBe(0);
    lua.close();
  });

  it("saves after every successful eval in order, with the state as that eval left it", async () => {
    const storage = new CountingStorage();
    const lua = await engine({ storage, autosave: "eval" });
    for (let i = 1; i <= 5; i++) lua.eval(`_home.n = ${i}`);
    expect(lua.eval("error('no save for a failed eval')")).toBeNull();
    await lua.flush();
    expect(storage.saves).toBe(5);
    expect(await reload(storage, "n")).toBe(5);
    lua.close();
  });

  it("saves once after a pause with a debounce, and flush() writes a pending save at once", async () => {
    const storage = new CountingStorage();
    const lua = await engine({ storage, autosave: { debounceMs: 40 } });
    for (let i = 1; i <= 10; i++) lua.eval(`_home.n = ${i}`);
    expect(storage.saves).toBe(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(storage.saves).toBe(1);
    expect(await reload(storage, "n")).toBe(10);
    lua.eval("_home.n = 11");
    expect(await lua.flush()).toBe(true);
    expect(storage.saves).toBe(2);
    lua.close();
  });

  it("reports a failing backend and keeps the previous save", async () => {
    const storage = new CountingStorage();
    const errors: Error[] = [];
    const lua = await engine({ storage, autosave: "eval", onAutosaveError: (e) => errors.push(e) });
    lua.eval("_home.n = 1");
    await lua.flush();
    storage.failing = true;
    lua.eval("_home.n = 2");
    expect(await lua.flush()).toBe(false);
    expect(errors.map((e) => e.message)).toEqual(["autosave failed: disk full"]);
    expect(lua.getLastAutosaveError()?.message).toBe("autosave failed: disk full");
    storage.failing = false;
    expect(await reload(storage, "n")).toBe(1);
    lua.close();
  });
});

describe("closing and the process", () => {
  it("runs pending __gc finalizers when the state is closed, as lua_close does", async () => {
    const out: string[] = [];
    const lua = await Lua.create({ stdout: (b) => out.push(Buffer.from(b).toString()) });
    lua.run(`keep = setmetatable({}, {__gc = function() print("finalized at close") end})`);
    expect(out.join("")).toBe("");
    lua.close();
    expect(out.join("")).toBe("finalized at close\n");
  });

  it("refuses os.exit and os.execute unless the host grants them", async () => {
    const lua = await Lua.create({ stdout: () => {} });
    expect(() => lua.run("os.exit(0)")).toThrowError(LuaError);
    expect(() => lua.run("os.execute('true')")).toThrowError("os.execute is not available in this host");
    expect(lua.run("return os.execute()")).toEqual([false]);
    lua.close();
  });

  it("passes os.exit and os.execute to the host's process hooks", async () => {
    const calls: unknown[] = [];
    const lua = await Lua.create({
      stdout: () => {},
      process: {
        exit: (code) => {
          calls.push(["exit", code]);
        },
        execute: (cmd) => {
          calls.push(["execute", cmd]);
          return 3;
        },
      },
    });
    expect(lua.run("return os.execute('make test')")).toEqual([null, "exit", 3]);
    lua.run("os.exit(false)");
    expect(calls).toEqual([
      ["execute", "make test"],
      ["exit", 1],
    ]);
    lua.close();
  });
});
