// cli.test.ts - the lua-wasm command (bin/lua.js → dist/host/cli.bundle.cjs, host/cli.ts bundled)
// behaves like lua5.4: output, the arg table, -e, stdin, error reporting on stderr and exit codes.
// cli-parity.test.ts compares the same habits and more (-l, -i, LUA_PATH) with lua5.4 itself.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { havePty, onPty, plainText } from "./pty.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BIN = join(ROOT, "bin/lua.js");
const BUNDLE = join(ROOT, "dist/host/cli.bundle.cjs");
const dir = mkdtempSync(join(tmpdir(), "lua-wasm-cli-"));
// `lua-wasm` on PATH, as after npm install -g (or under npx): the name lua.c would get as argv[0]
symlinkSync(BIN, join(dir, "lua-wasm"));
const PATH = `${dir}:${process.env.PATH ?? ""}`;

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function lua(args: string[], input?: string) {
  const r = spawnSync("lua-wasm", args, {
    cwd: ROOT,
    input: input ?? "",
    encoding: "utf8",
    env: { ...process.env, PATH },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("lua-wasm CLI", () => {
  it("runs from one bundled CommonJS file that requires only Node built-ins (npm run build:cli)", () => {
    const text = readFileSync(BUNDLE, "utf8");
    const specifiers = [
      ...text.matchAll(/\brequire\(\s*"([^"]+)"\s*\)|\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s.startsWith("node:"))).toEqual([]);
    expect(readFileSync(BIN, "utf8")).toContain('"../dist/host/cli.bundle.cjs"');
    expect(/[\u0080-\uffff]/.test(text)).toBe(false); // bin/lua.js decodes it as latin1
    // bin/lua.js runs it as a vm.Script, which has no import(): every import must be static
    expect(text).not.toMatch(/(^|[^\w$.])import\s*\(/m);
  });

  it("embeds the driver precompiled by the module it ships with (scripts/build-cli.mjs)", async () => {
    const chunks = [...readFileSync(BUNDLE, "utf8").matchAll(/Buffer\.from\("([A-Za-z0-9+/=]+)", "base64"\)/g)];
    expect(chunks.length).toBe(1);
    const embedded = Buffer.from(chunks[0][1], "base64");
    const { DRIVER, driverDump } = await import("../../host/cli-driver.js");
    const { Lua } = await import("../../host/index.js");
    const l = await Lua.create({ rawStrings: true, wasm: join(ROOT, "build/lua.wasm") });
    const [dump] = l.run(`${driverDump(DRIVER)} return chunk`);
    l.close();
    expect(Buffer.from(dump as Uint8Array).equals(embedded)).toBe(true);
  });

  it("without its precompiled driver (another module, or a chunk it cannot load) compiles the driver, same output", () => {
    // what the driver shapes: require's message without position, a traceback ending in "[C]: in ?"
    const args = ["-e", "x = 1", "-l", "nosuchmodule"];
    const want = lua(args);
    expect(want.code).toBe(1);
    expect(want.stderr).toContain("lua-wasm: module 'nosuchmodule' not found:");
    expect(want.stderr.endsWith("[C]: in ?\n")).toBe(true);
    const copy = mkdtempSync(join(tmpdir(), "lua-wasm-driver-"));
    for (const f of ["bin/lua.js", "bin/package.json", "dist/host/cli.bundle.cjs", "build/lua.wasm", "package.json"])
      cpSync(join(ROOT, f), join(copy, f));
    symlinkSync(join(copy, "bin/lua.js"), join(copy, "lua-wasm"));
    const bundle = join(copy, "dist/host/cli.bundle.cjs");
    const text = readFileSync(bundle, "latin1");
    const chunk = /Buffer\.from\("([A-Za-z0-9+/=]+)", "base64"\)/.exec(text)![1];
    // a chunk whose header this module refuses ("bad binary format")
    const bad = Buffer.from(chunk, "base64");
    bad[4] = 0x99;
    writeFileSync(bundle, text.replace(chunk, bad.toString("base64")), "latin1");
    const run = (env: Record<string, string>) =>
      spawnSync("lua-wasm", args, {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PATH: `${copy}:${PATH}`, ...env },
      });
    const fallback = run({});
    expect([fallback.status, fallback.stdout, fallback.stderr]).toEqual([want.code, want.stdout, want.stderr]);
    if (existsSync(join(ROOT, "build/lua-debug.wasm"))) {
      const other = run({ LUA_WASM: join(ROOT, "build/lua-debug.wasm") });
      expect([other.status, other.stdout, other.stderr]).toEqual([want.code, want.stdout, want.stderr]);
    }
  });

  it("reports the phases of its start with LUA_WASM_TRACE_STARTUP (bench/startup.mjs cli-phases)", () => {
    const r = spawnSync(process.execPath, [BIN, "-e", "print(1)"], {
      encoding: "utf8",
      env: { ...process.env, LUA_WASM_TRACE_STARTUP: "1" },
    });
    expect(r.stdout).toBe("1\n");
    const phases = JSON.parse(r.stderr) as Record<string, number>;
    expect(Object.keys(phases)).toEqual([
      "node",
      "flags",
      "read bundle",
      "compile bundle",
      "run bundle",
      "main",
      "create",
      "driver",
      "setup",
      "script",
      "close",
    ]);
    for (const ms of Object.values(phases)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(lua(["-e", "print(1)"]).stderr).toBe(""); // and nothing without it
  });

  it("starts from the code cache the build made, and never from one made for other bytes", () => {
    // a harness that sees whether V8 took the cache bin/lua.js gives it
    const harness = script(
      "cache-probe.cjs",
      `const vm = require("node:vm");
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(source, o) {
    super(source, o);
    process.on("exit", () => process.stderr.write(o.cachedData ? "cache rejected: " + this.cachedDataRejected : "no cache"));
  }
};
process.argv.splice(1, 1);
require(process.argv[1]);`,
    );
    const probe = (bin: string, args: string[]) =>
      spawnSync(process.execPath, [harness, bin, ...args], { encoding: "utf8", env: { ...process.env, LUA_INIT: "" } });
    const ok = probe(BIN, ["-e", "print(1)"]);
    expect([ok.stdout, ok.stderr]).toEqual(["1\n", "cache rejected: false"]);
    // a copy whose bundle differs from the cached one in same-length bytes (V8 compares only the
    // length): the cache is not used, and the new bytes run
    const copy = mkdtempSync(join(tmpdir(), "lua-wasm-cache-"));
    for (const f of [
      "bin/lua.js",
      "bin/package.json",
      "dist/host/cli.bundle.cjs",
      "dist/host/cli.bundle.cache",
      "build/lua.wasm",
      "package.json",
    ])
      cpSync(join(ROOT, f), join(copy, f));
    const bundle = join(copy, "dist/host/cli.bundle.cjs");
    const text = readFileSync(bundle, "latin1");
    expect(text).toContain('"Lua 5.4.8"');
    writeFileSync(bundle, text.replace('"Lua 5.4.8"', '"Lua 5.4.X"'), "latin1");
    const changed = probe(join(copy, "bin/lua.js"), ["-v"]);
    expect([changed.stdout, changed.stderr]).toEqual([expect.stringContaining("(Lua 5.4.X)"), "no cache"]);
  });

  it("runs a script, printing to stdout and exiting 0", () => {
    const r = lua(["examples/hello.lua"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Hello, world! This is Lua 5.4 running in WebAssembly.\nsquares: 1 4 9 16 25\n");
    expect(r.code).toBe(0);
  });

  it("fills the arg table like lua.c: the executable's path and options negative, script at 0, arguments after", () => {
    const s = script("args.lua", "for i = -3, #arg do print(i, arg[i]) end");
    const r = lua(["-e", "x=1", s, "p", "q"]);
    expect(r.stdout).toBe(`-3\tlua-wasm\n-2\t-e\n-1\tx=1\n0\t${s}\n1\tp\n2\tq\n`);
    // run by its path (not found on PATH under that name), the path is argv[0], in arg and messages
    const direct = spawnSync(process.execPath, [BIN, "-e", "print(arg[-1], arg[0]) error('e', 0)"], {
      encoding: "utf8",
    });
    expect(direct.stdout).toBe(`nil\t${BIN}\n`); // no script: arg[0] is the interpreter
    expect(direct.stderr.split("\n")[0]).toBe(`${BIN}: e`);
    expect(r.code).toBe(0);
  });

  it("passes script arguments as the chunk's varargs (...) like lua.c (needs the lua_eval_args export)", () => {
    const s = script("varargs.lua", "print(select('#', ...), ...)");
    expect(lua([s, "a", "b"]).stdout).toBe("2\ta\tb\n");
  });

  it("runs -e chunks in order before the script, in the same state", () => {
    const s = script("uses_x.lua", "print(x + y)");
    const r = lua(["-e", "x = 1", "-e", "y = 2", s]);
    expect(r.stdout).toBe("3\n");
  });

  it("reports a runtime error as 'lua-wasm: <message>' plus the traceback on stderr, exit 1", () => {
    const s = script("boom.lua", "print('before')\nerror('boom')\n");
    const r = lua([s]);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr.startsWith(`lua-wasm: ${s}:2: boom\nstack traceback:\n\t`)).toBe(true);
    expect(r.stderr.endsWith("\n")).toBe(true);
    expect(r.code).toBe(1);
  });

  it("names the chunk after the script path exactly as given", () => {
    const r = lua(["examples/../examples/hello.lua", "x"]);
    expect(r.code).toBe(0);
    const s = script("where.lua", "error('here')");
    expect(lua([s]).stderr.split("\n")[0]).toBe(`lua-wasm: ${s}:1: here`);
  });

  it("reports a syntax error without a traceback", () => {
    const s = script("bad.lua", "x = = 1");
    const r = lua([s]);
    expect(r.stderr).toBe(`lua-wasm: ${s}:1: unexpected symbol near '='\n`);
    expect(r.code).toBe(1);
  });

  it("reports a missing script as lua5.4 does", () => {
    const r = lua(["no/such/file.lua"]);
    expect(r.stderr).toBe("lua-wasm: cannot open no/such/file.lua: No such file or directory\n");
    expect(r.code).toBe(1);
  });

  it("reads the script from stdin for '-' and names it stdin", () => {
    const r = lua(["-"], "print('from stdin')\nerror('e')");
    expect(r.stdout).toBe("from stdin\n");
    expect(r.stderr.split("\n")[0]).toBe("lua-wasm: stdin:2: e");
  });

  it("reads stdin when no script is given and stdin is not a terminal", () => {
    expect(lua([], "print(1 + 1)").stdout).toBe("2\n");
  });

  it("skips a first line starting with # and keeps line numbers", () => {
    const s = script("shebang.lua", "#!/usr/bin/env lua-wasm\nerror('line two')");
    expect(lua([s]).stderr.split("\n")[0]).toBe(`lua-wasm: ${s}:2: line two`);
  });

  it("rejects an unknown option with the usage text and exit 1", () => {
    const r = lua(["-x"]);
    expect(r.stderr.startsWith("lua-wasm: unrecognized option '-x'\nusage: lua-wasm [options] [script [args]]\n")).toBe(
      true,
    );
    expect(r.code).toBe(1);
  });

  it("requires an argument after -e", () => {
    expect(lua(["-e"]).stderr.split("\n")[0]).toBe("lua-wasm: '-e' needs argument");
  });

  it("streams output larger than 64 KiB completely", () => {
    const r = lua(["-e", "for i = 1, 10000 do print(string.rep('x', 20)) end"]);
    expect(r.stdout.length).toBe(10000 * 21);
  });

  it("writes warnings to stderr when -W turns them on", () => {
    const r = lua(["-W", "-e", "warn('careful')"]);
    expect(r.stderr).toBe("Lua warning: careful\n");
  });

  (havePty ? it : it.skip)(
    "on a terminal: readline prompts, history of whole statements, io.read in cooked mode",
    () => {
      const keys = [
        "x = io.read()\r",
        "typed\r",
        "x .. '!'\r",
        "for i = 1, 2 do\r",
        "print(i)\r",
        "end\r",
        "\x1b[A\r",
        "\x04",
      ];
      const out = onPty(BIN, keys, 0.4);
      const text = plainText(out);
      expect(text).toContain("> x = io.read()\ntyped\n");
      expect(text).toContain("typed!\n");
      expect(text).toContain(">> print(i)\n>> end\n1\n2\n");
      // the up arrow recalls the whole for statement (lua.c saves it as one entry), which runs again
      expect(text).toContain("> for i = 1, 2 do\nprint(i)\nend\n1\n2\n");
      expect(text.endsWith("\nSTATUS exit 0\n")).toBe(true); // Ctrl-D ends the REPL
    },
  );

  (havePty ? it : it.skip)(
    "on a terminal: Ctrl-C at the prompt ends the process by SIGINT, as lua5.4 (readline)",
    () => {
      const out = onPty(BIN, ["x = 1\r", "\x03"], 0.4);
      expect(out.endsWith("\nSTATUS signal 2\n")).toBe(true);
    },
  );
});
