// fs.test.ts - the host file systems behind io.open, require, dofile and os.remove/rename/tmpname:
// MemoryFileSystem (the library default), NoFileSystem (the "none" sandbox), the `fs` option, and
// MemoryFileSystem's own semantics (paths, modes, seek, directories) without Lua.
import { describe, expect, it } from "vitest";
import { ERRNO, FsError, Lua, LuaError, LuaPersistent, MemoryFileSystem } from "../../host/index.js";
import { NoFileSystem } from "../../host/fs.js";

const quiet = { stdout: () => {}, stderr: () => {} };

describe("the default file system", () => {
  it("is an empty MemoryFileSystem: files written by Lua can be read back from JS", async () => {
    const lua = await Lua.create(quiet);
    expect(lua.fs).toBeInstanceOf(MemoryFileSystem);
    expect(lua.run(`return io.open("missing.txt")`)).toEqual([null, "missing.txt: No such file or directory", 2]);
    lua.run(`local f = assert(io.open("out/data.txt", "w")) f:write("line 1\\n", 2, "\\n") f:close()`);
    expect((lua.fs as MemoryFileSystem).readText("/out/data.txt")).toBe("line 1\n2\n");
    expect(lua.run(`local t = {} for l in io.lines("./out/data.txt") do t[#t + 1] = l end return t`)).toEqual([
      ["line 1", "2"],
    ]);
    lua.close();
  });

  it("keeps files across evals of a LuaPersistent", async () => {
    const lua = new LuaPersistent();
    await lua.load();
    lua.init();
    expect(lua.eval(`io.output("log.txt") io.write("kept ")`)).not.toBeNull();
    expect(lua.eval(`io.write("open") io.close() return io.open("log.txt"):read("a")`)?.value).toBe("kept open");
    lua.close();
  });
});

describe("a prepared MemoryFileSystem", () => {
  const modules = () =>
    new MemoryFileSystem(
      {
        "mylib.lua": `local name, path = ... return { name = name, path = path, twice = function(x) return 2 * x end }`,
        "pkg/init.lua": `return { sub = require("pkg.sub") }`,
        "pkg/sub.lua": `return "sub of " .. ...`,
        "script.lua": "#!/usr/bin/env lua\nreturn select('#', ...), ...",
        "bad.lua": "return = 1",
      },
      { stdin: "first\nsecond\n" },
    );

  it("serves require through package.path (./?.lua, ./?/init.lua)", async () => {
    const lua = await Lua.create({ ...quiet, fs: modules() });
    expect(lua.run(`local m, where = require("mylib") return m.name, where, m.twice(21)`)).toEqual([
      "mylib",
      "./mylib.lua",
      42,
    ]);
    expect(lua.run(`return require("pkg").sub`)).toEqual(["sub of pkg.sub"]);
    expect(() => lua.run(`require("bad")`)).toThrow(
      "error loading module 'bad' from file './bad.lua':\n\t./bad.lua:1: unexpected symbol near '='",
    );
    lua.close();
  });

  it("reports the searched paths of a missing module as lua5.4 does", async () => {
    const lua = await Lua.create({ ...quiet, fs: modules() });
    let caught: unknown;
    try {
      lua.run(`require("nope")`);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LuaError);
    expect((caught as LuaError).message).toBe(
      [
        "input:1: module 'nope' not found:",
        "\tno field package.preload['nope']",
        "\tno file '/usr/local/share/lua/5.4/nope.lua'",
        "\tno file '/usr/local/share/lua/5.4/nope/init.lua'",
        "\tno file '/usr/local/lib/lua/5.4/nope.lua'",
        "\tno file '/usr/local/lib/lua/5.4/nope/init.lua'",
        "\tno file './nope.lua'",
        "\tno file './nope/init.lua'",
        "\tno file '/usr/local/lib/lua/5.4/nope.so'",
        "\tno file '/usr/local/lib/lua/5.4/loadall.so'",
        "\tno file './nope.so'",
      ].join("\n"),
    );
    lua.close();
  });

  it("runs dofile and loadfile with '#' first lines skipped", async () => {
    const lua = await Lua.create({ ...quiet, fs: modules() });
    expect(lua.run(`return dofile("script.lua")`)).toEqual([0]);
    expect(lua.run(`return loadfile("script.lua")("a", "b")`)).toEqual([2, "a", "b"]);
    expect(lua.run(`return loadfile("none.lua")`)).toEqual([null, "cannot open none.lua: No such file or directory"]);
    lua.close();
  });

  it("gives Lua its stdin bytes", async () => {
    const lua = await Lua.create({ ...quiet, fs: modules() });
    expect(lua.run(`return io.read(), io.read("L"), io.read()`)).toEqual(["first", "second\n", null]);
    lua.close();
  });

  it("supports os.remove, os.rename and os.tmpname", async () => {
    const fs = modules();
    const lua = await Lua.create({ ...quiet, fs });
    const [name] = lua.run(`return os.tmpname()`) as [string];
    expect(name).toMatch(/^\/tmp\/lua_[A-Za-z0-9]{6}$/);
    expect(fs.exists(name)).toBe(true);
    expect(lua.run(`return os.rename("mylib.lua", "renamed.lua")`)).toEqual([true]);
    expect(fs.exists("renamed.lua") && !fs.exists("mylib.lua")).toBe(true);
    expect(lua.run(`return os.remove("renamed.lua")`)).toEqual([true]);
    expect(lua.run(`return os.remove("renamed.lua")`)).toEqual([null, "renamed.lua: No such file or directory", 2]);
    lua.close();
  });
});

describe('the "none" sandbox', () => {
  it("refuses every file access with Permission denied", async () => {
    const lua = await Lua.create({ ...quiet, fs: "none" });
    expect(lua.fs).toBeInstanceOf(NoFileSystem);
    expect(lua.run(`return io.open("x.txt")`)).toEqual([null, "x.txt: Permission denied", 13]);
    expect(lua.run(`return io.open("x.txt", "w")`)).toEqual([null, "x.txt: Permission denied", 13]);
    expect(lua.run(`return loadfile("x.lua")`)).toEqual([null, "cannot open x.lua: Permission denied"]);
    expect(lua.run(`return os.remove("x")`)).toEqual([null, "x: Permission denied", 13]);
    expect(lua.run(`return os.rename("x", "y")`)).toEqual([null, "Permission denied", 13]);
    expect(() => lua.run(`os.tmpname()`)).toThrow("unable to generate a unique filename");
    expect(() => lua.run(`dofile("x.lua")`)).toThrow("cannot open x.lua: Permission denied");
    expect(() => lua.run(`io.lines("x")`)).toThrow("cannot open file 'x' (Permission denied)");
    lua.close();
  });

  it("still has preload modules, the standard files and an empty stdin", async () => {
    const lua = await Lua.create({ ...quiet, fs: "none" });
    expect(lua.run(`package.preload.m = function() return "pre" end return require("m")`)).toEqual([
      "pre",
      ":preload:",
    ]);
    expect(lua.run(`return io.read(), io.write("x") == io.stdout`)).toEqual([null, true]);
    lua.close();
  });
});

describe("MemoryFileSystem", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const text = (b: Uint8Array) => new TextDecoder().decode(b);

  it("normalises paths against the root directory", () => {
    expect(MemoryFileSystem.normalize("a/./b//c/../d.lua")).toBe("/a/b/d.lua");
    expect(MemoryFileSystem.normalize("./x")).toBe("/x");
    const fs = new MemoryFileSystem({ "dir/f.txt": "hi" });
    expect(fs.list()).toEqual(["/dir/f.txt"]);
    expect(fs.readText("/dir/../dir/f.txt")).toBe("hi");
  });

  it("implements the fopen modes", () => {
    const fs = new MemoryFileSystem({ f: "abc" });
    expect(() => fs.open("missing", "r")).toThrow(FsError);
    const w = fs.open("f", "w");
    expect(fs.readFile("f")?.length).toBe(0); // "w" truncates
    fs.write(w, bytes("12345"));
    expect(() => fs.read(w, new Uint8Array(4))).toThrow("Bad file descriptor");
    fs.close(w);
    const a = fs.open("f", "a+");
    fs.seek(a, "set", 0);
    fs.write(a, bytes("X")); // appends whatever the position
    const buf = new Uint8Array(10);
    fs.seek(a, "set", 0);
    expect(text(buf.subarray(0, fs.read(a, buf)))).toBe("12345X");
    fs.close(a);
    const r = fs.open("f", "r+");
    fs.seek(r, "set", 8);
    fs.write(r, bytes("Z")); // past the end: a hole of zeros
    expect(Array.from(fs.readFile("f")!)).toEqual([...bytes("12345X"), 0, 0, ...bytes("Z")]);
    expect(() => fs.seek(r, "set", -1)).toThrow("Invalid argument");
    fs.close(r);
    expect(() => fs.close(r)).toThrow("Bad file descriptor");
  });

  it("treats directories as implicit and reports errors with errno numbers", () => {
    const fs = new MemoryFileSystem({ "d/f": "" });
    const h = fs.open("d", "r");
    try {
      fs.read(h, new Uint8Array(1));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FsError);
      expect((e as FsError).errno).toBe(ERRNO.EISDIR);
      expect((e as FsError).message).toBe("Is a directory");
    }
    expect(() => fs.open("d", "w")).toThrow("Is a directory");
    expect(() => fs.remove("d")).toThrow("Directory not empty");
  });
});
