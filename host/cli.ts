// cli.ts - the `lua-wasm` command: a lua5.4-compatible front end (PUC's lua.c) over the Lua engine.
//   lua-wasm [options] [script [args]]   options: -e stat, -l mod, -l g=mod, -i, -v, -E, -W, --, -
// Invariants: every habit of lua5.4 that needs no host module support is reproduced byte for byte
// (stdout, stderr, exit status; spec/host/cli-parity.test.ts compares with lua5.4 itself): argv[0]
// as the shell gave it (see invokedName), the `arg` table, chunk names ("@" + script path as given,
// "=stdin", "=(command line)", "=LUA_INIT"), LUA_PATH / LUA_CPATH, `-l`, the REPL, and error
// reports "<argv[0]>: <message>\n<traceback>\n" with exit status 1. Output
// is streamed to stdout as the module produces it. Where Debian's lua5.4 (5.4.4) and 5.4.8 differ,
// we follow 5.4.8 (docs/CONFORMANCE.md).

import * as fs from "node:fs";
import { readFileSync, readSync } from "node:fs";
import { registerNodeModules } from "./platform.js";
import { Lua } from "./engine.js";
import { LuaError } from "./errors.js";
import { fileChunkName, skipComment } from "./chunk.js";
import { NodePipes } from "./popen-node.js";
import { PROGNAME, invokedName, versionLine } from "./cli-names.js";
import { jitFromEnv, reportJitAtExit } from "./cli-jit.js";
import { DRIVER, driverChunk, driverDump } from "./cli-driver.js";
import { childProcess, fsPromises, nodeOs, readline } from "./cli-builtins.js";

export { PROGNAME, invokedName, versionLine };

// the host modules' Node built-ins, as platform-node.ts registers them for the library's node entry,
// but node:fs/promises only when used (FileStorage; the bundled module is read with node:fs)
registerNodeModules({
  fs,
  get fsp(): typeof import("node:fs/promises") {
    return fsPromises();
  },
});

/** lua.c's progname: argv[0], in messages and as arg's lowest index (see invokedName). */
let progname = PROGNAME;

/** lua.c's usage text, word for word: scripts and users parse it. */
const usage = () => `usage: ${progname} [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
`;

// ==== Argument parsing (lua.c collectargs) ====

type Action = { kind: "e"; code: string } | { kind: "l"; spec: string } | { kind: "W" };

interface Options {
  /** -e chunks, -l libraries and -W, in command-line order (lua.c runargs). */
  actions: Action[];
  interactive: boolean;
  version: boolean;
  /** -E: ignore LUA_INIT*, LUA_PATH*, LUA_CPATH*. */
  ignoreEnv: boolean;
  /** Index of the script in argv (argv[0] is the interpreter), or 0 when there is none. */
  script: number;
}

/** A bad option: `arg` is the offending argument, as lua.c's print_usage receives it. */
class UsageError extends Error {
  constructor(readonly arg: string) {
    super(arg[1] === "e" || arg[1] === "l" ? `'${arg}' needs argument` : `unrecognized option '${arg}'`);
  }
}

function collectArgs(argv: string[]): Options {
  const o: Options = { actions: [], interactive: false, version: false, ignoreEnv: false, script: 0 };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-") || a === "-") {
      o.script = i; // a script, or "-" for stdin
      return o;
    }
    const flag = a[1];
    if (flag === "-") {
      if (a.length > 2) throw new UsageError(a);
      if (i + 1 < argv.length) o.script = i + 1;
      return o;
    }
    if (flag === "e" || flag === "l") {
      let value = a.slice(2);
      if (value === "") {
        // the argument is the next word, which must not look like an option
        if (i + 1 >= argv.length || argv[i + 1].startsWith("-")) throw new UsageError(a);
        value = argv[++i];
      }
      o.actions.push(flag === "e" ? { kind: "e", code: value } : { kind: "l", spec: value });
      continue;
    }
    if (a.length !== 2 || !"ivEW".includes(flag)) throw new UsageError(a);
    if (flag === "i") {
      o.interactive = true;
      o.version = true; // -i implies -v
    } else if (flag === "v") o.version = true;
    else if (flag === "E") o.ignoreEnv = true;
    else o.actions.push({ kind: "W" });
  }
  return o;
}

/** lua.c createargtable: arg[0] is the script (or the interpreter), the interpreter and options below. */
function argTable(argv: string[], script: number): Array<[number, string]> {
  return argv.map((a, i) => [i - script, a]);
}

// ==== Script loading ====

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
};

/** Reads the script as raw bytes; failures become lua.c's "cannot open/read <path>: <reason>". */
function readScript(path: string | null): Uint8Array {
  try {
    return readFileSync(path ?? 0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    const what = code === "EISDIR" ? "read" : "open";
    const name = path ?? "stdin";
    throw new LuaError(`cannot ${what} ${name}: ${ERRNO_TEXT[code] ?? (e as Error).message}`, 2);
  }
}

// ==== Output ====

/** The streams written to (process.stdout, process.stderr), for outputPending. */
const written = new Set<NodeJS.WriteStream>();

function write(stream: NodeJS.WriteStream, bytes: Uint8Array | string): void {
  written.add(stream);
  stream.write(typeof bytes === "string" ? bytes : Buffer.from(bytes)); // copy: the view is reused by wasm
}

/**
 * Whether output the CLI wrote is still queued in a stream (in Node, writes to files, terminals and,
 * on Linux, pipes complete at once; pipes elsewhere are asynchronous). When none is, bin/lua.js ends
 * the process as soon as main() returns, as lua.c's exit() does, instead of letting Node wait for
 * its event loop to empty and tear its heap down (~1.5 ms).
 */
export function outputPending(): boolean {
  for (const s of written) if (s.writableLength > 0) return true;
  return false;
}

/**
 * The text lua.c's msghandler leaves for an error raised inside a driver function (below): the
 * driver's own frame is the bottom of the traceback, where lua.c has its C function pmain, so that
 * last line becomes pmain's "[C]: in ?" (the number of levels, hence any "...(skipping N levels)",
 * is the same as lua.c's).
 */
function driverErrorText(e: LuaError): string {
  let tb = e.traceback;
  if (!tb) return e.message;
  if (tb.endsWith(HOST_FRAME)) tb = tb.slice(0, -HOST_FRAME.length); // below the driver (an async call)
  const cut = tb.lastIndexOf("\n\t");
  return `${e.message}\n${cut < 0 ? tb : tb.slice(0, cut)}${HOST_FRAME}`;
}

/** The last line of the traceback of a call made by the host (lua.c's pmain). */
const HOST_FRAME = "\n\t[C]: in ?";

/** lua.c l_message: "<progname>: <message>\n" on stderr (no progname in the REPL). */
function message(text: string, name: string | null = progname): void {
  write(process.stderr, `${name ? name + ": " : ""}${text}\n`);
}

/** The text of a failure: a LuaError as the message handler left it (message, then traceback). */
function errorText(e: unknown): string {
  if (e instanceof LuaError) return e.traceback ? `${e.message}\n${e.traceback}` : e.message;
  return e instanceof Error ? e.message : String(e);
}

// ==== The driver: what lua.c does through the C API, as Lua functions over the pristine globals (cli-driver.ts) ====

interface Driver {
  paths(): [string, string];
  setpaths(path: string, cpath: string): void;
  warnon(): void;
  nargs(): number | string;
  /** As lua.c's docall: Ctrl-C interrupts it (see docall). */
  require(globname: string, modname: string): Promise<string | null>;
  prompt(first: boolean): string;
  compile(src: Uint8Array, name?: string, mode?: string): string | null;
  /** As lua.c's docall: Ctrl-C interrupts it (see docall). */
  exec(nargs?: number): Promise<void>;
  show(): string | null;
}

/**
 * The driver's functions in `lua`, whose globals are still pristine: from the chunk the build
 * precompiled (`chunk`, see cli-driver.ts), else (no chunk, or one this module cannot load) compiled
 * from the source and loaded the same way.
 */
function makeDriver(lua: Lua, chunk: Uint8Array | null): Driver {
  let main = chunk === null ? null : lua.call("load", chunk, "=?", "b")[0];
  if (typeof main !== "function")
    main = lua.run(`${driverDump(DRIVER)} return load(chunk, "=?", "b")`, "=(lua-wasm driver)")[0];
  const t = lua.call(main)[0] as unknown as Record<string, (...a: unknown[]) => unknown[]>;
  const first =
    (name: string) =>
    (...args: unknown[]) =>
      lua.call(t[name] as never, ...args)[0] ?? null;
  const firstAsync =
    (name: string) =>
    async (...args: unknown[]) =>
      (await docall(lua, () => lua.callAsync(t[name] as never, ...args)))[0] ?? null;
  return {
    paths: () => lua.call(t.paths as never) as [string, string],
    setpaths: first("setpaths") as Driver["setpaths"],
    warnon: first("warnon") as Driver["warnon"],
    nargs: first("nargs") as Driver["nargs"],
    require: firstAsync("require") as Driver["require"],
    prompt: first("prompt") as Driver["prompt"],
    compile: first("compile") as Driver["compile"],
    exec: firstAsync("exec") as unknown as Driver["exec"],
    show: first("show") as Driver["show"],
  };
}

// ==== LUA_PATH (loadlib.c setpath) ====

/**
 * package[field] from LUA_<NAME>_5_4, else LUA_<NAME>; the first ";;" stands for the default path.
 * Unset (or -E): the default. LUA_CPATH only sets package.cpath: no C library is ever loaded.
 */
export function envPath(env: NodeJS.ProcessEnv, name: string, dflt: string): string {
  const path = env[`${name}_5_4`] ?? env[name];
  if (path === undefined) return dflt;
  const mark = path.indexOf(";;");
  if (mark < 0) return path;
  const prefix = mark > 0 ? path.slice(0, mark) + ";" : "";
  const suffix = mark + 2 < path.length ? ";" + path.slice(mark + 2) : "";
  return prefix + dflt + suffix;
}

// ==== -l (lua.c dolibrary) ====

/** `-l g=mod` or `-l mod`; a "-suffix" in mod (no "=") is cut from the global name (5.4.8). */
async function dolibrary(drv: Driver, spec: string): Promise<void> {
  const eq = spec.indexOf("=");
  const globname = eq < 0 ? spec.split("-")[0] : spec.slice(0, eq);
  const modname = eq < 0 ? spec : spec.slice(eq + 1);
  let bad: string | null;
  try {
    bad = await drv.require(globname, modname);
  } catch (e) {
    if (!(e instanceof LuaError)) throw e;
    throw new CliFailure(driverErrorText(e));
  }
  // calling a non-function from C: the message has no position, the traceback only pmain
  if (bad !== null) throw new CliFailure(`attempt to call a ${bad} value\nstack traceback:\n\t[C]: in ?`);
}

/** A failure whose report text is final. */
class CliFailure extends Error {}

// ==== REPL (lua.c doREPL) ====

const enc = new TextEncoder();

/** Reads lines after printing a prompt; null at the end of input. */
interface LineReader {
  read(prompt: string): Promise<Uint8Array | null>;
  /** lua_saveline: keeps a statement (all its lines) in the history. */
  save(line: Uint8Array): void;
  close(): void;
}

/**
 * A terminal: Node's readline edits the line; the history holds what lua.c saves (a multi-line
 * statement as one entry, recalled and run whole), not each line typed. Ctrl-C at the prompt ends the
 * process by SIGINT, as lua5.4 (readline) does; Ctrl-D ends the input.
 */
function terminalReader(): LineReader {
  // historySize 0: readline adds nothing itself; save() fills its history list
  const rl = readline().createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    historySize: 0,
  });
  const history = (rl as unknown as { history: string[] }).history;
  const lines: string[] = [];
  let waiting: ((l: string | null) => void) | null = null;
  let closed = false;
  rl.on("line", (l) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(l);
    } else lines.push(l);
  });
  rl.on("close", () => {
    closed = true;
    if (waiting) waiting(null);
  });
  rl.on("SIGINT", () => {
    rl.close();
    process.kill(process.pid, "SIGINT");
  });
  // between prompts the terminal is back in cooked mode, so a chunk's io.read gets lines as in lua5.4
  const suspend = () => {
    rl.pause();
    process.stdin.setRawMode(false);
  };
  return {
    read(prompt) {
      if (lines.length > 0) return Promise.resolve(enc.encode(lines.shift()!));
      if (closed) return Promise.resolve(null);
      process.stdin.setRawMode(true);
      rl.resume();
      rl.setPrompt(prompt);
      rl.prompt();
      return new Promise((resolve) => {
        waiting = (l) => {
          if (l !== null) suspend();
          resolve(l === null ? null : enc.encode(l));
        };
      });
    },
    save(line) {
      history.unshift(new TextDecoder().decode(line));
      if (history.length > 1000) history.pop();
    },
    close: () => rl.close(),
  };
}

/**
 * Not a terminal: raw bytes up to "\n" (a last line without one still counts), read one byte at a
 * time from fd 0 as readline does, so input after the line stays for the chunk's own io.read. Like
 * lua5.4 built with readline (Debian's), each prompt is printed and each line read is echoed after
 * it, so a piped session reads as a transcript.
 */
function pipeReader(): LineReader {
  const byte = new Uint8Array(1);
  const readByte = (): number => {
    for (;;) {
      try {
        return readSync(0, byte, 0, 1, null) === 1 ? byte[0] : -1;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // non-blocking stdin: wait for data
          continue;
        }
        if (code === "EOF") return -1;
        throw e;
      }
    }
  };
  return {
    read(prompt) {
      write(process.stdout, prompt);
      const line: number[] = [];
      let c: number;
      while ((c = readByte()) >= 0 && c !== 0x0a) line.push(c);
      if (c < 0 && line.length === 0) return Promise.resolve(null);
      write(process.stdout, Buffer.from([...line, 0x0a]));
      return Promise.resolve(Uint8Array.from(line));
    },
    save() {},
    close() {},
  };
}

function concat(...parts: Array<Uint8Array | string>): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? enc.encode(p) : p)));
}

/**
 * lua.c loadline: the line as "return <line>;" if that compiles, else as a statement, reading
 * continuation lines while the syntax error is at "<eof>". Resolves to null at the end of input,
 * else to the syntax error message (null when the chunk is ready in the driver).
 */
async function loadline(drv: Driver, input: LineReader): Promise<{ error: string | null } | null> {
  let line = await input.read(drv.prompt(true));
  if (line === null) return null;
  if (line[0] === 0x3d) line = concat("return ", line.subarray(1)); // "=expr", the 5.2 habit lua.c keeps
  if (drv.compile(concat("return ", line, ";")) === null) {
    if (line.length > 0) input.save(line);
    return { error: null };
  }
  for (;;) {
    const error = drv.compile(line);
    const more = error !== null && error.endsWith("<eof>") ? await input.read(drv.prompt(false)) : null;
    if (more === null) {
      input.save(line);
      return { error };
    }
    line = concat(line, "\n", more);
  }
}

/** lua.c doREPL: errors are reported without the program name; a newline on stdout at the end. */
async function doREPL(drv: Driver): Promise<void> {
  const input = process.stdin.isTTY ? terminalReader() : pipeReader();
  try {
    for (;;) {
      const loaded = await loadline(drv, input);
      if (loaded === null) break;
      if (loaded.error !== null) {
        message(loaded.error, null);
        continue;
      }
      try {
        await drv.exec();
      } catch (e) {
        if (!(e instanceof LuaError)) throw e;
        message(driverErrorText(e), null);
        continue;
      }
      const failure = drv.show();
      if (failure !== null) message(failure, null);
    }
  } finally {
    input.close();
  }
  write(process.stdout, "\n");
}

// ==== main (lua.c main and pmain) ====

/**
 * Runs the CLI with `args` (the arguments after the executable); resolves to the exit status.
 * `progpath` is the executable's path as Node got it (bin/lua.js passes process.argv[1]); without
 * it the program is called "lua-wasm".
 */
export async function main(
  args: string[],
  progpath?: string,
  /** Called at the end of each phase of the start (bin/lua.js's LUA_WASM_TRACE_STARTUP). */
  mark?: ((phase: string) => void) | null,
): Promise<number> {
  progname = progpath === undefined ? PROGNAME : invokedName(progpath);
  const argv = [progname, ...args];
  let o: Options;
  try {
    o = collectArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    write(process.stderr, `${progname}: ${e.message}\n${usage()}`);
    return 1;
  }
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
  });
  if (o.version) write(process.stdout, versionLine() + "\n");
  let lua: Lua | undefined;
  let status = 0;
  try {
    mark?.("main");
    lua = await createLua();
    mark?.("create");
    // the embedded chunk is bytecode of the module this bundle was built with (LUA_WASM: maybe another)
    const drv = makeDriver(lua, process.env.LUA_WASM ? null : driverChunk());
    mark?.("driver");
    if (!o.ignoreEnv) {
      const [path, cpath] = drv.paths();
      drv.setpaths(envPath(process.env, "LUA_PATH", path), envPath(process.env, "LUA_CPATH", cpath));
    }
    lua.setArgs(argTable(argv, o.script));
    if (!o.ignoreEnv) await runLuaInit(lua, drv);
    for (const act of o.actions) {
      if (act.kind === "e") await dostring(lua, act.code, "=(command line)");
      else if (act.kind === "l") await dolibrary(drv, act.spec);
      else drv.warnon();
    }
    mark?.("setup");
    if (o.script > 0) await runScript(lua, drv, argv[o.script], argv[o.script - 1] === "--", true);
    mark?.("script");
    if (o.interactive) await doREPL(drv);
    else if (o.script === 0 && !o.actions.some((a) => a.kind === "e") && !o.version) {
      if (process.stdin.isTTY) {
        write(process.stdout, versionLine() + "\n");
        await doREPL(drv);
      } else await runScript(lua, drv, "-", false, false);
    }
  } catch (e) {
    message(errorText(e));
    status = 1;
  }
  try {
    lua?.close(); // lua_close: finalizers run at exit, after any report, as in lua5.4
    mark?.("close");
  } catch (e) {
    message(errorText(e));
    status = 1;
  }
  return status;
}

async function createLua(): Promise<Lua> {
  const jit = jitFromEnv(process.env); // LUA_WASM_JIT, LUA_WASM_JIT_THRESHOLD, LUA_WASM_JIT_STATS
  const fs = new (await import("./fs-node.js")).NodeFileSystem();
  const pipes = new NodePipes(fs); // io.popen's pipes are handles of that file system
  const lua = await Lua.create({
    wasm: process.env.LUA_WASM || undefined, // e.g. build/lua-debug.wasm; default: the bundled release build
    ...jit.options,
    stdout: (b) => write(process.stdout, b),
    stderr: (b) => write(process.stderr, b),
    fs, // real files, relative to the working directory, as lua5.4
    env: process.env, // os.getenv sees the process environment, as lua5.4
    memoryLimit: 0, // the module's ceiling (1.5 GiB): lua5.4 has no limit either
    // lua.c's print flushes stdout; C's stdout on a terminal is line-buffered
    outputFlush: process.stdout.isTTY ? "line" : "print",
    process: {
      // os.exit, os.execute and io.popen act on the real process
      exit: (code) => {
        process.exitCode = code;
        process.exit(code);
      },
      execute: (command) => {
        const r = childProcess().spawnSync("/bin/sh", ["-c", command], { stdio: "inherit", argv0: "sh" }); // as system()
        if (r.signal) return 256 + (nodeOs().constants.signals[r.signal] ?? 0);
        return r.status ?? 1;
      },
      popen: (command, mode) => pipes.popen(command, mode),
      pclose: (handle) => pipes.pclose(handle),
    },
  });
  if (jit.stats) reportJitAtExit(lua, (line) => write(process.stderr, line));
  return lua;
}

/**
 * lua.c handle_script: "-" (unless after "--") is stdin, chunk name "=stdin"; else "@" + path. With
 * `withArgs`, the chunk gets arg[1..#arg] as its varargs, as the `arg` table is when it starts.
 */
async function runScript(
  lua: Lua,
  drv: Driver,
  path: string,
  afterDashDash: boolean,
  withArgs: boolean,
): Promise<void> {
  const stdin = path === "-" && !afterDashDash;
  const raw = readScript(stdin ? null : path);
  let src = skipComment(raw);
  const name = fileChunkName(stdin ? null : path);
  // a precompiled chunk (luaL_loadfilex: ESC after the optional '#' line, whose newline goes too)
  if (src[0] === 0x0a && src[1] === 0x1b && src.length < raw.length) src = src.subarray(1);
  const binary = src[0] === 0x1b;
  if (binary) {
    const error = drv.compile(src, name, "b");
    if (error !== null) throw new CliFailure(error);
  }
  const nargs = withArgs ? drv.nargs() : 0;
  if (typeof nargs === "string") throw new CliFailure(nargs);
  if (!Number.isInteger(nargs)) throw new CliFailure("object length is not an integer");
  if (!binary) return void (await docall(lua, () => lua.runScriptAsync(src, name, nargs)));
  try {
    await drv.exec(nargs); // the driver's frame stands for lua.c's C caller, as for the REPL
  } catch (e) {
    if (!(e instanceof LuaError)) throw e;
    throw new CliFailure(driverErrorText(e));
  }
}

/** lua.c dostring: a chunk of code (-e, LUA_INIT), run as lua.c's docall runs it. */
async function dostring(lua: Lua, code: string, chunkname: string): Promise<void> {
  await docall(lua, () => lua.runAsync(code, { chunkname }));
}

/** lua.c handle_luainit: LUA_INIT_5_4 (or LUA_INIT) is code, or "@file" to run a file. */
async function runLuaInit(lua: Lua, drv: Driver): Promise<void> {
  const name = process.env.LUA_INIT_5_4 !== undefined ? "LUA_INIT_5_4" : "LUA_INIT";
  const init = process.env[name];
  if (init === undefined) return;
  if (init.startsWith("@")) await runScript(lua, drv, init.slice(1), true, false);
  else await dostring(lua, init, "=" + name);
}

// ==== Ctrl-C (lua.c docall, laction, lstop) ====

/**
 * lua.c docall: runs `call`, an async call of the engine, with SIGINT caught. Node runs a signal
 * handler only between two turns of its event loop, and an async call gives the loop a turn every
 * ~15 ms of running Lua (a pause), so the handler runs at the script's next pause. Like lua.c's
 * laction, the first SIGINT makes the script raise the ordinary error "interrupted!" at its next
 * instruction, call or return (Lua.interrupt({ catchable: true }): pcall catches it), and gives
 * SIGINT back its default action at once, so that a second one ends the process even while a long
 * library function runs (the listener removed, Node restores SIG_DFL). Every docall catches SIGINT
 * again, as lua.c's does; between calls (the REPL's prompt, lua_close) it keeps its default.
 * Unlike lua.c, a SIGINT that comes while Lua cannot pause (inside a library function such as a long
 * string.find, or a Lua function called by one, e.g. table.sort's comparator) is seen only at the
 * first pause after that function returns (not at all if the call ends first), and further ones
 * that came meanwhile are lost with the listener (libuv drops a closed handle's pending signals).
 * Only a thread of its own for the interpreter would see them at once; it costs every start ~15 ms.
 */
async function docall<T>(lua: Lua, call: () => Promise<T>): Promise<T> {
  const onSigint = (): void => {
    process.removeListener("SIGINT", onSigint);
    lua.interrupt({ catchable: true });
  };
  process.on("SIGINT", onSigint);
  try {
    return await call();
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
