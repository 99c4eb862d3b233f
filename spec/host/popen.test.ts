// popen.test.ts - io.popen through the library's process hooks (ProcessHooks.popen / pclose): refused
// by default with liolib's message for a build without popen, and served by any host that grants it,
// the pipe being a handle of the state's file system. The CLI's real pipes are compared with lua5.4
// in cli-parity.test.ts.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FsError, Lua, LuaError, MemoryFileSystem } from "../../host/index.js";
import { NodeFileSystem } from "../../host/fs-node.js";
import { NodePipes } from "../../host/popen-node.js";

describe("io.popen in the library", () => {
  it("is refused without a popen hook: \"'popen' not supported\", after checking its arguments", async () => {
    const lua = await Lua.create({ stdout: () => {} });
    expect(() => lua.run("io.popen('ls')")).toThrowError("'popen' not supported");
    expect(() => lua.run("io.popen('ls', 'w')")).toThrowError("'popen' not supported");
    expect(() => lua.run("io.popen('ls', 'rw')")).toThrowError("bad argument #2 to 'popen' (invalid mode)");
    expect(() => lua.run("io.popen()")).toThrowError(LuaError);
    expect(lua.run("return 1 + 1")).toEqual([2]); // the state is intact
    lua.close();
  });

  it("serves a pipe through the hooks: reads and writes go to the handle, close returns the status", async () => {
    const fs = new MemoryFileSystem({ "/out.txt": "line 1\nline 2\n" });
    const calls: unknown[] = [];
    const statuses = new Map<number, number>();
    const lua = await Lua.create({
      stdout: () => {},
      fs,
      process: {
        popen(command, mode) {
          calls.push(["popen", command, mode]);
          const h = fs.open(mode === "r" ? "/out.txt" : "/in.txt", mode);
          statuses.set(h, mode === "r" ? 0 : 256 + 9);
          return h;
        },
        pclose(h) {
          calls.push(["pclose"]);
          fs.close(h);
          return statuses.get(h) ?? -1;
        },
      },
    });
    expect(lua.run("local f = io.popen('gen') return f:read('l'), f:read('a'), f:close()")).toEqual([
      "line 1",
      "line 2\n",
      true,
      "exit",
      0,
    ]);
    expect(lua.run("local f = io.popen('sink', 'w') f:write('to ', 'stdin') return f:close()")).toEqual([
      null,
      "signal",
      9,
    ]);
    expect(new TextDecoder().decode(fs.readFile("/in.txt"))).toBe("to stdin");
    expect(calls).toEqual([["popen", "gen", "r"], ["pclose"], ["popen", "sink", "w"], ["pclose"]]);
    lua.close();
  });

  it("reports a command that cannot start as fail, '<command>: <reason>', errno", async () => {
    const lua = await Lua.create({
      stdout: () => {},
      process: {
        popen() {
          throw FsError.of("EMFILE");
        },
      },
    });
    expect(lua.run("return io.popen('x y', 'w')")).toEqual([null, "x y: Too many open files", 24]);
    lua.close();
  });

  it("closes a pipe left open when the state closes, through pclose (as lua_close's finalizers do)", async () => {
    const fs = new MemoryFileSystem({ "/o": "x" });
    const closed: number[] = [];
    const lua = await Lua.create({
      stdout: () => {},
      fs,
      process: {
        popen: () => fs.open("/o", "r"),
        pclose(h) {
          closed.push(h);
          fs.close(h);
          return 0;
        },
      },
    });
    lua.run("P = io.popen('a') Q = io.popen('b') Q:close()");
    expect(closed.length).toBe(1);
    lua.close();
    expect(closed.length).toBe(2);
  });
});

describe("NodePipes (the CLI's popen)", () => {
  const openFds = () => readdirSync("/proc/self/fd").length;

  it("reads a command's output through the file system's handle, and pclose gives its status", () => {
    const fs = new NodeFileSystem();
    const pipes = new NodePipes(fs);
    const h = pipes.popen("printf 'out'; exit 7", "r");
    const buf = new Uint8Array(16);
    const n = fs.read(h, buf);
    expect(new TextDecoder().decode(buf.subarray(0, n))).toBe("out");
    expect(pipes.pclose(h)).toBe(7);
    expect(() => pipes.pclose(h)).toThrowError(FsError);
  });

  it("gives up on a helper thread that never answers, leaving no descriptor open", () => {
    const fs = new NodeFileSystem();
    const silent = new NodePipes(fs, { startTimeoutMs: 200, helperSource: "/* never answers */" });
    const before = openFds();
    expect(() => silent.popen("echo never", "r")).toThrowError(/does not answer/);
    expect(() => silent.popen("cat", "w")).toThrowError(/does not answer/);
    expect(openFds()).toBe(before);
  });
});
