// cli-parity.test.ts - the lua-wasm command against lua5.4 itself: each case runs both with the same
// arguments, environment, working directory and stdin, and compares stdout, stderr and the exit
// status byte for byte. Ours runs as `lua-wasm` found on PATH (a link to bin/lua.js) and lua5.4 with
// argv[0] "lua-wasm", or ours as `node bin/lua.js` and lua5.4 with argv[0] that path: lua.c prints
// argv[0] in messages and puts it at arg's lowest index. Without lua5.4 the
// comparisons are skipped with a message; the cases that pin 5.4.8 behaviour or our own choices
// (where Debian's 5.4.4 differs) run regardless.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BIN = join(ROOT, "bin/lua.js");
const LUA54 = "lua5.4";
const HAVE_LUA54 = spawnSync(LUA54, ["-v"], { encoding: "utf8" }).status === 0;
if (!HAVE_LUA54) console.warn("cli-parity: lua5.4 not found: the comparisons with lua5.4 are skipped");

const dir = mkdtempSync(join(tmpdir(), "lua-wasm-parity-"));
const binDir = mkdtempSync(join(tmpdir(), "lua-wasm-parity-bin-"));
symlinkSync(BIN, join(binDir, "lua-wasm"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}
file("mymod.lua", "print('loading', ...) return { v = 42 }");
file("sub/inner.lua", "return 'inner from sub'");
file("lev2.lua", "error('raised at level 2', 2)");
file("mod-v2.lua", "return { ver = 2 }");
file("init.lua", "print('init file', arg and #arg)");

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}
interface Opts {
  input?: string;
  env?: Record<string, string>;
  /** "lua-wasm" (default): ours found on PATH; "bin": ours as `node bin/lua.js`. lua5.4 gets that argv[0]. */
  argv0?: "lua-wasm" | "bin";
}

/** Only the variables the cases set, so the caller's LUA_INIT or LUA_PATH cannot leak in. */
function environment(o: Opts): Record<string, string> {
  return {
    PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    LUA_PATH: "./?.lua",
    LUA_CPATH: "./?.so",
    ...o.env,
  };
}

function ours(args: string[], o: Opts = {}): Run {
  const [cmd, argv] = o.argv0 === "bin" ? [process.execPath, [BIN, ...args]] : ["lua-wasm", args];
  const r = spawnSync(cmd, argv, {
    cwd: dir,
    input: o.input ?? "",
    env: environment(o),
    encoding: "utf8",
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function theirs(args: string[], o: Opts = {}): Run {
  const r = spawnSync(LUA54, args, {
    cwd: dir,
    input: o.input ?? "",
    env: environment(o),
    encoding: "utf8",
    argv0: o.argv0 === "bin" ? BIN : "lua-wasm",
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The version line differs by design (see "prints lua5.4's version line..."): drop it from both. */
function withoutVersion(r: Run): Run {
  return { ...r, stdout: r.stdout.replace(/^.*Copyright \(C\) 1994-\d{4} Lua\.org, PUC-Rio\n/, "") };
}

/** Runs both and expects the same stdout, stderr and status; returns ours for further checks. */
function same(args: string[], o: Opts = {}): Run {
  const a = withoutVersion(ours(args, o));
  if (HAVE_LUA54) expect(a).toEqual(withoutVersion(theirs(args, o)));
  return a;
}

const parity = HAVE_LUA54 ? it : it.skip;

describe("lua-wasm CLI parity with lua5.4: options", () => {
  parity("-l mod requires mod into the global mod, before later -e chunks", () => {
    const r = same(["-l", "mymod", "-e", "print(mymod.v, package.loaded.mymod == mymod)"]);
    expect(r.stdout).toBe("loading\tmymod\t./mymod.lua\n42\ttrue\n");
  });

  parity("-lmod (joined), -l g=mod (another global name), in command-line order with -e", () => {
    same(["-lmymod", "-e", "print(mymod.v)"]);
    const r = same(["-e", "x = 1", "-l", "g=mymod", "-e", "print(x, g.v, mymod)"]);
    expect(r.stdout).toBe("loading\tmymod\t./mymod.lua\n1\t42\tnil\n");
    same(["-l", "sub.inner", "-e", "print(_G['sub.inner'])"]);
  });

  parity("-l of a missing module: require's message, traceback from require, exit 1; later options not run", () => {
    const r = same(["-l", "nosuch", "-e", "print('not reached')"]);
    expect(r.stderr).toMatch(/^lua-wasm: module 'nosuch' not found:\n/);
    expect(r.stderr).toMatch(/stack traceback:\n\t\[C\]: in function 'require'\n\t\[C\]: in \?\n$/);
    expect(r.status).toBe(1);
  });

  parity("-l errors carry no position from the caller (lua.c calls require from C)", () => {
    same(["-l", "lev2"]);
    same(["-e", "require = nil", "-l", "mymod"]);
    same(["-e", "require = setmetatable({}, {__name = 'Req'})", "-l", "mymod"]);
    same(["-e", "require = function(m) error('no ' .. m, 2) end", "-l", "mymod"]);
  });

  parity("bad options print lua.c's usage text on stderr with exit 1", () => {
    for (const args of [
      ["-l"],
      ["-e"],
      ["-x"],
      ["--x"],
      ["-vx"],
      ["-Ex"],
      ["-e", "-v"],
      ["-l", "-e", "x=1"],
      ["-i", "-l"],
    ]) {
      const r = same(args);
      expect(r.status).toBe(1);
    }
  });

  parity("the arg table: the executable's path, the options, the script at 0, the arguments after", () => {
    file(
      "args.lua",
      "local i = -1 while arg[i] do i = i - 1 end for j = i + 1, #arg do print(j, arg[j]) end print(...)",
    );
    const o: Opts = { argv0: "bin" };
    const r = same(["-E", "-W", "-e", "x=1", "args.lua", "a", "b"], o);
    expect(r.stdout.split("\n")[0]).toBe(`-5\t${BIN}`);
    same(["args.lua"], o);
    same(["--", "args.lua", "-x"], o);
    same(["-e", "for i = -1, 3 do print(i, arg[i]) end", "--"], o);
    same(["-"], { ...o, input: "print(arg[-1] == arg[-2], arg[0], #arg)" });
    expect(same(["args.lua", "x"]).stdout.split("\n")[0]).toBe("-1\tlua-wasm"); // as typed: found on PATH
  });

  parity("messages begin with argv[0]: the name found on PATH, else the executable's path", () => {
    expect(same(["-e", "error('x', 0)"]).stderr.split("\n")[0]).toBe("lua-wasm: x");
    expect(same(["-e", "error('x', 0)"], { argv0: "bin" }).stderr.split("\n")[0]).toBe(`${BIN}: x`);
    expect(same(["-x"], { argv0: "bin" }).stderr).toContain(`usage: ${BIN} [options]`);
  });

  parity("the script's varargs are arg[1..#arg] as the table is when it starts; 'arg' must be a table", () => {
    same(["-e", "arg[1] = 100", "-"], { input: "print(...)" });
    same(["-e", "arg[2] = 'two'", "-", "one"], { input: "print(...)" });
    same(["-e", "arg = 1", "-"], { input: "print(...)" });
    same(["-e", "arg = nil", "mymod.lua"]);
  });

  parity("a precompiled script: a truncated one is reported as lua5.4 does (the formats differ otherwise)", () => {
    writeFileSync(join(dir, "esc.luac"), "\x1b");
    same(["esc.luac"]);
    writeFileSync(join(dir, "esc2.luac"), "#!/usr/bin/env lua\n\x1bLu");
    same(["esc2.luac"]);
  });

  parity("the arg table is there in LUA_INIT and -e, before the script runs", () => {
    same(["-e", "print(#arg, arg[0])", "args.lua", "z"], { argv0: "bin", env: { LUA_INIT: "print('init', arg[1])" } });
  });

  parity("- reads the script from stdin, -- ends the options, and a missing script is reported", () => {
    same(["-"], { input: "print('from stdin', ...)\nerror('e')" });
    same(["-", "p", "q"], { input: "print(...)" });
    same(["--", "mymod.lua"]);
    same(["no/such/file.lua"]);
    same([dir]); // a directory: cannot read
  });

  parity("LUA_INIT, LUA_INIT_5_4 (preferred), @file, and -E ignoring them", () => {
    same(["-e", "print('after')"], { env: { LUA_INIT: "print('LUA_INIT')" } });
    same(["-e", "print('after')"], { env: { LUA_INIT: "print('LUA_INIT')", LUA_INIT_5_4: "print('5_4')" } });
    same(["-e", "print('after')"], { env: { LUA_INIT: "@init.lua" } });
    same(["-e", "print('after')"], { env: { LUA_INIT: "error('in init')" } });
    same(["-E", "-e", "print('after')"], { env: { LUA_INIT: "print('LUA_INIT')" } });
  });

  parity("--list is an unknown option, as in lua5.4 (the listing is lua-wasm-luac -l)", () => {
    expect(same(["--list", "mymod.lua"]).stderr).toMatch(/^lua-wasm: unrecognized option '--list'\n/);
  });

  parity("-W turns warnings on, in order with -e", () => {
    same(["-e", "warn('off yet')", "-W", "-e", "warn('now ', 'on')"]);
  });
});

describe("lua-wasm CLI parity with lua5.4: LUA_PATH and LUA_CPATH", () => {
  const show = ["-e", "print(package.path) print(package.cpath)"];

  parity("set package.path and package.cpath; the _5_4 names win; -E ignores them", () => {
    same(show, { env: { LUA_PATH: "a/?.lua", LUA_CPATH: "c/?.so" } });
    same(show, { env: { LUA_PATH: "a/?.lua", LUA_PATH_5_4: "b/?.lua", LUA_CPATH_5_4: "d/?.so" } });
    same(show, { env: { LUA_PATH: "" } });
    const r = same(["-l", "inner", "-e", "print(inner)"], { env: { LUA_PATH: "./sub/?.lua" } });
    expect(r.stdout).toBe("inner from sub\n");
    same(["-l", "inner"], { env: { LUA_PATH: "./nowhere/?.lua;./also/?.lua" } });
  });

  parity("';;' stands for the default path (only the first one); -E gives the defaults", () => {
    // the defaults differ (Debian patches its own), so compare how each interpreter applies its own
    const defaults = (run: typeof ours) => run(show, { env: { LUA_PATH: ";;", LUA_CPATH: ";;" } }).stdout.split("\n");
    for (const run of HAVE_LUA54 ? [ours, theirs] : [ours]) {
      const [path, cpath] = defaults(run);
      expect(path).toContain("./?.lua");
      for (const [spec, want] of [
        ["x/?.lua;;", `x/?.lua;${path}`],
        [";;y/?.lua", `${path};y/?.lua`],
        ["x/?.lua;;y/?.lua;;z", `x/?.lua;${path};y/?.lua;;z`],
      ]) {
        expect(run(show, { env: { LUA_PATH: spec, LUA_CPATH: ";;" } }).stdout).toBe(`${want}\n${cpath}\n`);
      }
      expect(run(["-E", ...show], { env: { LUA_PATH: "x/?.lua", LUA_CPATH: "y/?.so" } }).stdout).toBe(
        `${path}\n${cpath}\n`,
      );
    }
  });
});

describe("lua-wasm CLI parity with lua5.4: error objects", () => {
  const cases: Record<string, string> = {
    "__tostring object": "error(setmetatable({}, {__tostring = function() return 'custom message' end}))",
    "__tostring object from a function":
      "local function f() error(setmetatable({}, {__tostring = function() return 'deep' end})) end f()",
    "__tostring object in a coroutine":
      "coroutine.wrap(function() error(setmetatable({}, {__tostring = function() return 'co' end})) end)()",
    table: "error({})",
    "table with __name": "error(setmetatable({}, {__name = 'MyType'}))",
    nil: "error()",
    boolean: "error(false)",
    number: "error(42)",
    float: "error(1.5)",
    "string at level 0": "error('plain', 0)",
    "__tostring not returning a string": "error(setmetatable({}, {__tostring = function() return 12 end}))",
    "__tostring raising": "error(setmetatable({}, {__tostring = function() error('inner') end}))",
  };
  for (const [name, code] of Object.entries(cases)) {
    parity(`an error ${name} is reported as lua5.4 does, in -e and in a script`, () => {
      const r = same(["-e", code]);
      expect(r.status).toBe(1);
      file("err.lua", code + "\n");
      same(["err.lua"]);
    });
  }
  parity("an error object with __tostring prints its message only, no traceback", () => {
    const r = same(["-e", cases["__tostring object"]]);
    expect(r.stderr).toBe("lua-wasm: custom message\n");
  });
});

describe("lua-wasm CLI parity with lua5.4: the REPL (stdin piped)", () => {
  // each line's echo after the prompt is what readline (Debian's lua5.4) prints when stdin is a pipe
  const session = (input: string, args: string[] = ["-i"], env?: Record<string, string>) => same(args, { input, env });

  parity("expressions print their values, statements print nothing, =expr", () => {
    const r = session("x = 1\nx\n=x + 1\nreturn 1, nil, 'a'\nreturn\nprint('p')\n\nx, x\n");
    expect(r.stdout).toBe(
      "> x = 1\n> x\n1\n> =x + 1\n2\n> return 1, nil, 'a'\n1\tnil\ta\n> return\n> print('p')\np\n> \n> x, x\n1\t1\n> \n",
    );
    expect(r.status).toBe(0);
  });

  parity("values print through tostring and the global print: floats, __tostring, __name, a new print", () => {
    session("1.0, 2^63, math.huge, -0.0, 1e100\n3 // 2, 7 // 2.0\n");
    session("setmetatable({}, {__tostring = function() return 'T!' end})\n");
    session("print = function(...) io.write('[', select('#', ...), ']\\n') end\n1, 2, 3\nnil\n");
  });

  parity("incomplete statements continue with '>> ' until complete", () => {
    const r = session(
      "for i = 1, 2 do\nprint(i)\nend\nlocal t = {\n1,\n2}\nprint(#t)\nfunction f(a,\nb) return a + b end\nf(1,\n2)\n",
    );
    expect(r.stdout).toContain(">> ");
  });

  parity("syntax and runtime errors: no program name, tracebacks as lua.c's message handler builds them", () => {
    const r = session(
      "x y\nprint(\nx y\nerror('boom')\nlocal function f() error('in f') end f()\nerror({})\nerror(setmetatable({}, {__tostring = function() return 'obj' end}))\nnil + 1\n",
    );
    expect(r.stderr).not.toContain("lua-wasm:");
    expect(r.stderr).toContain(
      "stdin:1: boom\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n\t[C]: in ?\n",
    );
    session("return error('tail')\nlocal function g() return error('x') end return g()\n");
    // (lines under 80 columns: Debian's lua5.4 echoes longer ones through readline's horizontal scrolling)
    session("function f(n) if n == 0 then error('deep') end return 1 + f(n - 1) end\nf(40)\n");
  });

  parity("a failing print is reported as \"error calling 'print'\"", () => {
    session("print = nil\n1\n");
    session("print = function() error('no') end\n1\n");
    session("print = function() error({}) end\n1\n");
    session("print = function() error(7) end\n1\n");
  });

  parity("_PROMPT and _PROMPT2 through tostring", () => {
    session(
      "_PROMPT = 'lua% ' _PROMPT2 = 42\nfor i = 1, 1 do\nend\n_PROMPT = setmetatable({}, {__tostring = function() return '$ ' end})\n1\n",
    );
  });

  parity("-i after -e and a script, in the same state; stdin shared with io.read", () => {
    file("setx.lua", "x = 'from script'");
    session("x\ny\n", ["-e", "y = 'from -e'", "-i", "setx.lua"]);
    session("print(io.read('l'))\nsecond line\n=io.read('n')\n12.5\n");
  });

  parity("the end of input: a last line without newline runs, and a final newline is written", () => {
    session("print(1)\nprint(2)");
    session("");
  });

  parity("lua with no arguments and stdin not a terminal runs stdin as a script, not the REPL", () => {
    same([], { input: "print(1 + 1)\nx = 3\nprint(x)" });
  });
});

describe("lua-wasm CLI parity with lua5.4: io.popen and os.execute", () => {
  parity("reading a command's output with every read format, lines, and close's status triple", () => {
    const r = same([
      "-e",
      `local f = assert(io.popen("printf 'one\\ntwo\\n 12 0x1F 2.5e1 rest\\nlast'"))
       print(f:read("l"), f:read("L"), (f:read("n", "n", "n")), f:read(3), f:read(0), f:read("a"), f:read("a"), f:read("l"))
       print(f:close())
       for a, b in io.popen("printf '1 2\\n3 4\\n'"):lines("n", "n") do print(a + b) end
       print(io.type(f), f, pcall(f.read, f))`,
    ]);
    expect(r.stdout).toBe(
      "one\ttwo\n\t12\t re\t\tst\nlast\t\tnil\ntrue\texit\t0\n3\n7\nclosed file\tfile (closed)\tfalse\tattempt to use a closed file\n",
    );
  });

  parity("writing to a command's input: buffered, flushed, delivered at close", () => {
    const r = same([
      "-e",
      `io.write("first ") local f = io.popen("tr a-z A-Z", "w")
       f:write("shout ", 42, " ", 1.5, "\\n") f:flush() f:write("more\\n") print(f:close()) print("after")`,
    ]);
    expect(r.stdout).toBe("first SHOUT 42 1.5\nMORE\ntrue\texit\t0\nafter\n");
  });

  parity("close gives the command's status as os.execute does: exits, signals, a missing command", () => {
    const cmds = ["true", "exit 3", "exit 129", "kill -s HUP $$", "kill -s KILL $$", "sh -c 'kill -s HUP $$'"];
    cmds.push("not-to-be-found-command");
    const code = cmds
      .map(
        (c) =>
          `print(${JSON.stringify(c)}, io.popen(${JSON.stringify(c)}):close()) print(os.execute(${JSON.stringify(c)}))`,
      )
      .join("\n");
    const r = same(["-e", code]);
    expect(r.stdout).toContain("kill -s HUP $$\tnil\tsignal\t1\nnil\tsignal\t1\n");
  });

  parity("the command inherits stdin, and stdout for 'w'; pending output is flushed before it starts", () => {
    same(["-e", "io.write('ours, ') print(io.popen('cat'):read('a'))"], { input: "from stdin\n" });
    same(["-e", "io.write('a ') io.popen('echo b', 'w'):close() print('c')"]);
  });

  parity("bad modes, misuse of a pipe's direction, seek on a pipe", () => {
    same([
      "-e",
      `for _, m in ipairs{"", "r+", "rw", "rb", "x"} do print(pcall(io.popen, "cat", m)) end
       print(pcall(io.popen)) print(pcall(io.popen, {}))
       local f = io.popen("echo x") print(f:write("y")) print(f:seek("set", 0)) print(f:read("a"), f:close())
       local g = io.popen("cat >/dev/null", "w") print(g:read("l")) print(g:close())`,
    ]);
  });

  parity("reading part of an endless command, then closing it (it ends by SIGPIPE)", () => {
    const r = same(["-e", "local f = io.popen('yes') print(f:read('l'), f:read(3)) print(f:close())"]);
    expect(r.stdout).toBe("y\ty\ny\nnil\texit\t141\n");
  });

  parity("a background job holding the pipe delays only reads to end of file, not reading a line or close", () => {
    const t0 = Date.now();
    same(["-e", "local f = io.popen('sleep 2 2>/dev/null & echo first') print(f:read('l')) print(f:close())"]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  parity("a file from io.popen left open is closed (and waited for) by the collector or at exit", () => {
    same(["-e", "io.popen('echo x; exit 4', 'r') collectgarbage() print('after gc')"]);
    same(["-e", "P = io.popen('sleep 0.2; echo late', 'w') print('end')"]);
  });
});

describe("lua-wasm CLI parity with lua5.4: debug.debug", () => {
  parity("reads commands from stdin until 'cont', each a chunk; errors as ldblib prints them", () => {
    const r = same(["-e", "require'debug'.debug()"], { input: "io.stderr:write(1000)\ncont\n" });
    expect(r.stderr).toBe("lua_debug> 1000lua_debug> "); // main.lua's check
    same(["-e", "x = 5 debug.debug() print('after', x, io.read('a'))"], {
      input:
        "x = x + 1\nprint(x)\nerror('e')\nerror(12)\nerror(setmetatable({}, {__tostring = function() return 'T' end}))\n" +
        "for\nreturn 1, 2\ncont\nthe rest\nof stdin\n",
    });
  });

  parity("ends at the end of input; a line longer than 249 bytes is read as several commands", () => {
    same(["-e", "debug.debug() print('done')"], { input: "print(1)\nprint(2)" });
    same(["-e", "debug.debug()"], { input: `print("${"x".repeat(300)}")\n` });
  });

  parity("commands run without the caller's message handler; an error in __tostring propagates", () => {
    same(["-e", "print(xpcall(debug.debug, function(m) return 'handled: ' .. tostring(m) end))"], {
      input: "error('plain')\nerror(setmetatable({}, {__tostring = function() error('bad tostring') end}))\n",
    });
  });
});

describe("lua-wasm CLI parity with lua5.4: os.exit(code, true) inside a finalizer", () => {
  parity("during lua_close: the other finalizers run, objects made then are not finalized (main.lua)", () => {
    file(
      "finclose.lua",
      `print("creating 1")
       setmetatable({}, {__gc = function () print(1) end})
       print("creating 2")
       setmetatable({}, {__gc = function ()
         print("2") print("creating 3")
         setmetatable({}, {__gc = function () print(3) end})
         print(collectgarbage())
         os.exit(0, true)
       end})`,
    );
    const r = same(["-W", "finclose.lua"]);
    expect(r.stdout).toBe("creating 1\ncreating 2\n2\ncreating 3\nnil\n1\n");
  });

  parity("during a collection: the state closes, running the pending finalizers, with the exit status", () => {
    const r = same([
      "-e",
      "for i = 1, 3 do setmetatable({}, {__gc = function () print('fin', i) if i == 2 then os.exit(3, true) end end}) end collectgarbage() print('not reached')",
    ]);
    expect(r.status).toBe(3);
  });
});

describe("lua-wasm CLI parity with lua5.4: output reaches a pipe as lua.c writes it", () => {
  /** Runs `cmd` with the script; when `first` arrives on stdout, creates `flag`; resolves to stdout. */
  function whenPrinted(cmd: string, args: string[], flag: string, argv0?: string): Promise<string> {
    return new Promise((done) => {
      const child = spawn(cmd, args, { cwd: dir, argv0, env: environment({}) });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("first\n")) writeFileSync(join(dir, flag), "");
      });
      child.on("close", () => done(out));
    });
  }
  const script = (flag: string) =>
    `print('first') io.write('partial ') local t = os.time() + 10
     while not io.open('${flag}') and os.time() < t do end
     print(io.open('${flag}') and 'saw the flag' or 'timed out')`;

  parity("print writes its line out at once (lua.c's print flushes stdout); io.write waits", async () => {
    const r = await whenPrinted("lua-wasm", ["-e", script("flag1")], "flag1");
    expect(r).toBe("first\npartial saw the flag\n");
    expect(await whenPrinted(LUA54, ["-e", script("flag2")], "flag2", "lua-wasm")).toBe(r);
  });
});

describe("lua-wasm CLI: where we follow lua 5.4.8 or choose on purpose", () => {
  it("prints lua5.4's version line layout with our name, our version and the Lua release we implement", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const line = `lua-wasm ${version} (Lua 5.4.8)  Copyright (C) 1994-2025 Lua.org, PUC-Rio\n`;
    const r = ours(["-v"]);
    expect(r).toEqual({ stdout: line, stderr: "", status: 0 });
    expect(ours(["-i"], { input: "" }).stdout).toBe(line + "> \n");
    expect(ours(["-v", "-e", "print(1)"]).stdout).toBe(line + "1\n");
    if (HAVE_LUA54)
      expect(theirs(["-v"]).stdout).toMatch(/^Lua 5\.4\.\d+ {2}Copyright \(C\) 1994-\d{4} Lua\.org, PUC-Rio\n$/);
  });

  it("-l mod-v2 requires mod-v2 into the global mod (5.4.8 cuts the '-suffix'; 5.4.4 does not)", () => {
    const r = ours(["-l", "mod-v2", "-e", "print(mod.ver, _G['mod-v2'])"]);
    expect(r).toEqual({ stdout: "2\tnil\n", stderr: "", status: 0 });
    expect(ours(["-l", "m=mod-v2", "-e", "print(m.ver)"]).stdout).toBe("2\n"); // an explicit name is kept
  });

  it("the REPL reports an incomplete statement at the end of input (5.4.8; 5.4.4 prints '(null)')", () => {
    const r = ours(["-i"], { input: "for i = 1, 2 do\n" });
    expect(r.stderr).toBe("stdin:1: 'end' expected near <eof>\n");
    expect(r.stdout.split("\n").slice(1).join("\n")).toBe("> for i = 1, 2 do\n>> > \n");
    expect(r.status).toBe(0);
  });

  it("runs a precompiled script (string.dump's format is ours), after a '#' line too, with its arguments", () => {
    file(
      "mk.lua",
      "local f = io.open(..., 'wb') f:write(select(2, ...), string.dump(load(\"print(...) error('x')\", '@e.lua')))",
    );
    expect(ours(["mk.lua", "d1.luac", ""]).status).toBe(0);
    expect(ours(["mk.lua", "d2.luac", "#!/usr/bin/env lua-wasm\n"]).status).toBe(0);
    for (const f of ["d1.luac", "d2.luac"]) {
      expect(ours([f, "p", "q"])).toEqual({
        stdout: "p\tq\n",
        stderr:
          "lua-wasm: e.lua:1: x\nstack traceback:\n\t[C]: in function 'error'\n\te.lua:1: in main chunk\n\t[C]: in ?\n",
        status: 1,
      });
    }
  });
});
