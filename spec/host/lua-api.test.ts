// lua-api.test.ts - the idiomatic API (Lua.create / run / close) and the loader's module sources.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileLua, Lua, LuaError, LuaPersistent } from "../../host/index.js";

const WASM = fileURLToPath(new URL("../../build/lua.wasm", import.meta.url));

describe("Lua.create", () => {
  it("runs code and returns all results as an array", async () => {
    const lua = await Lua.create({ stdout: () => {} });
    expect(lua.run("return 1, 'a', {2}")).toEqual([1, "a", [2]]);
    lua.close();
  });

  it("sends output to the stdout option as bytes", async () => {
    const chunks: string[] = [];
    const lua = await Lua.create({ stdout: (b) => chunks.push(new TextDecoder().decode(b)) });
    lua.run(`print("to the sink")`);
    expect(chunks.join("")).toBe("to the sink\n");
    lua.close();
  });

  it("throws LuaError with the exact message and the traceback apart", async () => {
    const lua = await Lua.create();
    let caught: unknown;
    try {
      lua.run(`local x = nil; x()`);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LuaError);
    const e = caught as LuaError;
    expect(e.message).toBe("input:1: attempt to call a nil value (local 'x')");
    expect(e.kind).toBe("runtime");
    expect(e.traceback.startsWith("stack traceback:")).toBe(true);
    expect(e.message).not.toContain("stack traceback");
    lua.close();
  });

  it("uses the chunkname option in messages", async () => {
    const lua = await Lua.create({ chunkname: "@app.lua" });
    expect(() => lua.run("error('x')")).toThrow("app.lua:1: x");
    lua.close();
  });

  it("turns an exception thrown by the stdout hook into a runtime error and keeps the state", async () => {
    const lua = await Lua.create({
      stdout: () => {
        throw new Error("sink failed");
      },
    });
    lua.run("x = 1");
    let caught: unknown;
    try {
      lua.run(`print("x") y = 2`);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LuaError);
    expect((caught as LuaError).kind).toBe("runtime");
    expect((caught as LuaError).message).toBe("the stdout hook failed: sink failed");
    expect((caught as LuaError).stateReset).toBe(false);
    expect(lua.run("return x, y")).toEqual([1, 2]); // the chunk ran to its end; nothing was lost
    lua.close();
  });

  it("refuses calls after close", async () => {
    const lua = await Lua.create();
    lua.close();
    expect(() => lua.run("return 1")).toThrow(/closed/);
  });

  it("returns the listing of a chunk", async () => {
    const lua = await Lua.create();
    expect(lua.listing("local a = 1 return a")).toMatch(/main </);
    lua.close();
  });
});

describe("loading the module", () => {
  it("loads from a file path, a file URL, bytes and a compiled module", async () => {
    const bytes = readFileSync(WASM);
    const sources = [WASM, new URL(`file://${WASM}`), bytes, new Uint8Array(bytes).buffer, await compileLua(bytes)];
    for (const src of sources) {
      const lua = new LuaPersistent();
      await lua.load(src);
      expect(lua.init()).toBe(true);
      expect(lua.eval("return 6 * 7")?.value).toBe(42);
      lua.close();
    }
  });

  it("fetches the module from an http URL, as in a browser", async () => {
    const bytes = readFileSync(WASM);
    const server = createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/wasm" });
      res.end(bytes);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const { port } = server.address() as AddressInfo;
      const lua = new LuaPersistent();
      await lua.load(`http://127.0.0.1:${port}/lua.wasm`);
      expect(lua.init()).toBe(true);
      expect(lua.eval("return 'fetched'")?.value).toBe("fetched");
    } finally {
      server.close();
    }
  });

  it("starts over with a fresh state when init() is called again", async () => {
    const lua = new LuaPersistent();
    await lua.load();
    lua.init();
    lua.eval("gone = true");
    expect(lua.init()).toBe(true);
    expect(lua.eval("return gone")?.value).toBeNull();
  });

  it("keeps separate engines independent", async () => {
    const a = new LuaPersistent(),
      b = new LuaPersistent();
    await a.load();
    await b.load();
    a.init();
    b.init();
    a.eval("shared = 'a'");
    expect(b.eval("return shared")?.value).toBeNull();
  });
});
