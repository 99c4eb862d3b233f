// sandbox.test.ts - `sandbox: true` proven from inside Lua: a script tries to reach files, the process,
// the environment, the debug library, the host's stderr and other states, and each attempt is refused
// with a clear error or finds nothing; crafted bytecode is refused by load. (External tables' own
// sandbox guarantees are in ext-tables tests.)

import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent, MemoryFileSystem } from "../../host/index.js";

async function sandboxed(stderr?: (b: Uint8Array) => void): Promise<Lua> {
  return Lua.create({ sandbox: true, stdout: () => {}, stderr, env: { SECRET: "x" } });
}

describe("sandbox: true", () => {
  it("removes every way to files, processes and the environment", async () => {
    const L = await sandboxed();
    expect(L.run("return io.open, io.lines, io.popen, io.input, io.output, io.tmpfile")).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(L.run("return os.execute, os.exit, os.getenv, os.remove, os.rename, os.tmpname")).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(L.run("return dofile, loadfile")).toEqual([null, null]);
    L.close();
  });

  it("keeps require for the built-in modules only: bigint loads, a file module is not found", async () => {
    const L = await sandboxed();
    expect(L.run(`local bigint = require "bigint" return tostring(bigint(2) ^ 100)`)).toEqual([
      "1267650600228229401496703205376",
    ]);
    const [ok, msg] = L.run("return pcall(require, 'secret')") as [boolean, string];
    expect(ok).toBe(false);
    expect(msg).toContain("module 'secret' not found:");
    expect(msg).toContain("no field package.preload['secret']");
    L.close();
  });

  it("gives no file system: the package searchers find nothing and standard input is empty", async () => {
    const L = await sandboxed();
    const [ok, msg] = L.run("return pcall(package.searchers[2], 'secret')") as [boolean, string];
    expect(ok).toBe(true);
    expect(msg).toContain("no file './secret.lua'");
    expect(L.run("return package.loadlib('libc.so.6', 'system')")).toEqual([
      null,
      "dynamic libraries not enabled; check your Lua installation",
      "absent",
    ]);
    expect(L.run("return io.read('a')")).toEqual([""]);
    L.close();
  });

  it("keeps the files of an explicit fs but no way to open them by name", async () => {
    const fs = new MemoryFileSystem({ "secret.txt": "top secret" });
    const L = await Lua.create({ sandbox: true, fs, stdout: () => {} });
    expect(L.run("return io.open")).toEqual([null]);
    expect(L.run("return pcall(io.lines, 'secret.txt')")).toEqual([false, "attempt to call a nil value"]);
    L.close();
  });

  it("has no debug library, also not through package.loaded, _G or a coroutine", async () => {
    const L = await sandboxed();
    expect(L.run("return debug, package.loaded.debug, _G.debug, rawget(_G, 'debug')")).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(L.run("return coroutine.wrap(function() return debug end)()")).toEqual([null]);
    expect(
      L.run(
        "for k, v in pairs(package.loaded) do if type(v) == 'table' and v.getregistry then return k end end return 'none'",
      ),
    ).toEqual(["none"]);
    L.close();
  });

  it("refuses crafted bytecode with a clear message", async () => {
    const L = await sandboxed();
    const [f, msg] = L.run(
      "local d = string.dump(function() return 1 end) return load(d:sub(1, 20) .. '\\255\\255\\255\\255' .. d:sub(25))",
    );
    expect(f).toBeNull();
    expect(msg).toMatch(/^binary string: bad binary format/);
    const [g, msg2] = L.run("return load('\\27Lua\\84\\0\\25\\147\\13\\10\\26\\10\\4\\8\\8')");
    expect(g).toBeNull();
    expect(msg2).toBe("binary string: bad binary format (truncated chunk)");
    L.close();
  });

  it("never writes to the host's stderr: warnings and io.stderr go to the stderr hook or nowhere", async () => {
    const got: string[] = [];
    const L = await sandboxed((b) => got.push(Buffer.from(b).toString()));
    L.run("warn('@on') warn('w') io.stderr:write('e\\n')");
    expect(got.join("")).toBe("Lua warning: w\ne\n");
    L.close();
  });

  it("keeps states apart: changing the string metatable in one does not reach another", async () => {
    const a = await sandboxed();
    const b = await sandboxed();
    a.run("getmetatable('').__index = function() return 'hijacked' end");
    expect(a.run("return ('x').upper")).toEqual(["hijacked"]);
    expect(b.run("return ('x'):upper()")).toEqual(["X"]);
    const p = new LuaPersistent({ sandbox: true });
    await p.load();
    p.init();
    expect(p.eval("return ('y'):upper()")!.value).toBe("Y");
    a.close();
    b.close();
  });

  it("stays in force after restoring a snapshot taken without the sandbox", async () => {
    const open = await Lua.create({ stdout: () => {} });
    open.run(`kept_open = io.open  saved = { d = debug }`);
    const snap = open.snapshot();
    const L = await sandboxed();
    L.restore(snap);
    expect(L.run("return debug, io.open, os.execute, os.getenv, dofile, package.loaded.debug")).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(L.run("return pcall(require, 'secret')")[0]).toBe(false); // require finds no files
    // a native kept elsewhere in the snapshot survives, but reaches no files: the file system is "none"
    expect(L.run(`return select(2, kept_open("/etc/passwd"))`)[0]).toMatch(/Permission denied/);
  });

  it("cannot be defeated by a restored state's own rawset, metatables or odd globals", async () => {
    const open = await Lua.create({ stdout: () => {} });
    open.run(`
      rawset = function() end
      setmetatable(os, { __newindex = function() error("no") end })
      io = setmetatable({ open = io.open }, { __metatable = "locked" })
      package = nil`);
    const L = await sandboxed();
    L.restore(open.snapshot());
    expect(L.run("return os.execute, io.open, debug, package")).toEqual([null, null, null, null]);
    const odd = await Lua.create({ stdout: () => {} });
    odd.run(`os = 42  io = ext.table()  debug = nil`);
    const M = await sandboxed();
    M.restore(odd.snapshot());
    expect(M.run("return os, io ~= nil")).toEqual([42, true]);
  });
});
