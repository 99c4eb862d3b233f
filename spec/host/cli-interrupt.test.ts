// cli-interrupt.test.ts - Ctrl-C in the lua-wasm command, against lua5.4 itself: a script gets SIGINT
// once it printed a marker line, and stdout, stderr and the exit status (or the killing signal) are
// compared byte for byte (lua.c: the first SIGINT raises the catchable error "interrupted!" at the next
// instruction, a second one kills the process). The cases run ours as `lua-wasm` found on PATH and
// lua5.4 with argv[0] "lua-wasm" (cli-parity.test.ts's pattern); without lua5.4 only our expectations
// written here are checked. The REPL case runs on a pseudo-terminal (python3's pty module).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { havePty, onPty, plainText } from "./pty.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BIN = join(ROOT, "bin/lua.js");
const LUA54 = "lua5.4";
const HAVE_LUA54 = spawnSync(LUA54, ["-v"], { encoding: "utf8" }).status === 0;

const dir = mkdtempSync(join(tmpdir(), "lua-wasm-ctrlc-"));
const binDir = mkdtempSync(join(tmpdir(), "lua-wasm-ctrlc-bin-"));
symlinkSync(BIN, join(binDir, "lua-wasm"));
const env = { PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}` };

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: string | null;
}

/**
 * Runs `cmd args` and sends one SIGINT each time stdout has grown to end with the next of `marks`
 * (`delayMs` later, so that the process is inside what follows the mark); resolves at its exit.
 */
function interrupted(cmd: string, args: string[], marks: string[], delayMs = 150, argv0 = "lua-wasm"): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: dir, env, argv0, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let next = 0;
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      // a mark repeated stands for one more SIGINT, delayMs after the previous one
      for (let k = 1; next < marks.length && stdout.endsWith(marks[next]); k++) {
        next++;
        setTimeout(() => child.kill("SIGINT"), delayMs * k);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", fail);
    child.on("close", (status, signal) => {
      clearTimeout(watchdog);
      done({ stdout, stderr, status, signal });
    });
  });
}

/** Ours and lua5.4 on the same script and marks; expects the same run and returns ours. */
async function same(args: string[], marks: string[], delayMs?: number): Promise<Run> {
  const [a, b] = await Promise.all([
    interrupted("lua-wasm", args, marks, delayMs),
    HAVE_LUA54 ? interrupted(LUA54, args, marks, delayMs) : Promise.resolve(null),
  ]);
  if (b !== null) expect(a).toEqual(b);
  return a;
}

describe("lua-wasm CLI: Ctrl-C (SIGINT) as lua5.4", () => {
  it("stops a running loop with 'interrupted!' at the caller's line, the traceback and status 1", async () => {
    const s = file("loop.lua", "local function f()\n  while true do end\nend\nprint('go')\nf()\n");
    const r = await same([s], ["go\n"]);
    expect(r.stderr).toBe(
      "lua-wasm: loop.lua:5: interrupted!\nstack traceback:\n\tloop.lua:2: in local 'f'\n\tloop.lua:5: in main chunk\n\t[C]: in ?\n",
    );
    expect(r.status).toBe(1);
  });

  it("in a -e chunk the error has no position (the caller is C) and the script goes no further", async () => {
    const r = await same(["-e", "print('go') while true do end", "-e", "print('not reached')"], ["go\n"]);
    expect(r).toEqual({
      stdout: "go\n",
      stderr: "lua-wasm: interrupted!\nstack traceback:\n\t(command line):1: in main chunk\n\t[C]: in ?\n",
      status: 1,
      signal: null,
    });
  });

  it("is an ordinary error: pcall catches it and the script goes on (main.lua's first Ctrl-C case)", async () => {
    const s = file("caught.lua", "print(pcall(function () print(12); while true do end end)); print(42)\n");
    const r = await same([s], ["12\n"]);
    expect(r).toEqual({ stdout: "12\nfalse\tinterrupted!\n42\n", stderr: "", status: 0, signal: null });
  });

  it("a second SIGINT kills the process, even while a long string.find runs", async () => {
    // the first is caught; then the search runs for minutes without a Lua instruction
    const s = file(
      "twice.lua",
      "print(pcall(function () print(1); while true do end end))\nprint(2)\nstring.find(string.rep('a', 100000), '.*b')\nprint('not reached')\n",
    );
    const r = await same([s], ["1\n", "2\n"], 300);
    expect(r).toEqual({ stdout: "1\nfalse\tinterrupted!\n2\n", stderr: "", status: null, signal: "SIGINT" });
  });

  it("leaves a coroutine's own loop running: the interrupt waits for the script's thread, so a second SIGINT kills", async () => {
    const s = file("co.lua", "print('go')\ncoroutine.wrap(function() while true do end end)()\n");
    const r = await same([s], ["go\n", "go\n"], 300);
    expect(r).toEqual({ stdout: "go\n", stderr: "", status: null, signal: "SIGINT" });
  });

  // scripts and -e chunks run as async calls (so that SIGINT gets a turn): they must look to Lua as
  // lua.c's chunks do
  function plain(args: string[]): Run {
    const run = (cmd: string): Run => {
      const r = spawnSync(cmd, args, { cwd: dir, env, argv0: "lua-wasm", encoding: "utf8" });
      return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
    };
    const a = run("lua-wasm");
    if (HAVE_LUA54) expect(a).toEqual(run(LUA54));
    return a;
  }

  it("a script sees lua.c's C caller below its main chunk (debug.traceback, debug.getinfo) and its arguments", () => {
    const s = file(
      "stack.lua",
      "print(debug.traceback('here'))\nprint(debug.getinfo(2, 'S').what, select('#', ...), ...)\n",
    );
    expect(plain([s, "a", "b"]).stdout).toBe(
      "here\nstack traceback:\n\tstack.lua:1: in main chunk\n\t[C]: in ?\nC\t2\ta\tb\n",
    );
    expect(plain(["-e", "print(debug.traceback('e'))"]).stdout).toBe(
      "e\nstack traceback:\n\t(command line):1: in main chunk\n\t[C]: in ?\n",
    );
  });

  it("os.exit(code, true) closes the main chunk's to-be-closed variables", () => {
    const s = file(
      "tbc.lua",
      "local x <close> = setmetatable({}, {__close = function () print('Ok') end})\n" +
        "local y <close> = setmetatable({}, {__close = function () print(120) end})\nos.exit(3, true)\n",
    );
    expect(plain([s])).toEqual({ stdout: "120\nOk\n", stderr: "", status: 3, signal: null });
  });

  (havePty ? it : it.skip)("in the REPL, Ctrl-C interrupts the running statement and the REPL goes on", () => {
    const out = onPty(BIN, ["while true do end\r", "\x03", "print('still' .. ' here')\r", "\x04"], 0.6);
    const text = plainText(out);
    // lua.c's REPL: the message without the program name, the traceback, then the next prompt
    expect(text).toContain("interrupted!\nstack traceback:\n\tstdin:1: in main chunk\n\t[C]: in ?\n> ");
    expect(text).toContain("still here\n");
    expect(text.endsWith("\nSTATUS exit 0\n")).toBe(true);
  });
});
