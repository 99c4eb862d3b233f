// cli.ts - the `lua-wasm` command: a lua5.4-compatible front end (lua.c) over the Lua engine.
//   lua-wasm [options] [script [args]]   options: -e stat, -l (listing), -i, -v, -W, -E, --, -
// Invariants: output is streamed to stdout as the module produces it; the `arg` table and chunk
// names follow lua.c ("@" + script path as given, "=stdin", "=(command line)"); any error prints
// "lua-wasm: <message>\n<traceback>\n" to stderr and the exit status is 1.

import { spawnSync } from "node:child_process";
import { constants as osConstants } from "node:os";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Lua } from "./engine.js";
import { LuaError } from "./errors.js";
import { fileChunkName, skipComment } from "./chunk.js";
import type { LuaValue } from "./codec.js";

export const PROGNAME = "lua-wasm";
const VERSION = "Lua 5.4 (lua-wasm)  Copyright (C) 1994-2023 Lua.org, PUC-Rio";

const USAGE = `usage: ${PROGNAME} [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l        list the compiled bytecode of 'script' (like luac -l -l) instead of running it
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
`;

// ==== Argument parsing (lua.c collectargs) ====

interface Options {
  /** -e chunks and -W, in command-line order. */
  actions: Array<{ kind: "e"; code: string } | { kind: "W" }>;
  interactive: boolean;
  version: boolean;
  /** -E: ignore LUA_INIT_5_4 / LUA_INIT. */
  ignoreEnv: boolean;
  listing: boolean;
  /** Index of the script in argv (argv[0] is the program name), or 0 when there is none. */
  script: number;
}

class UsageError extends Error {}

function collectArgs(argv: string[]): Options {
  const o: Options = { actions: [], interactive: false, version: false, ignoreEnv: false, listing: false, script: 0 };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-")) {
      o.script = i;
      return o;
    }
    if (a === "-") {
      o.script = i;
      return o;
    }
    if (a === "--") {
      if (i + 1 < argv.length) o.script = i + 1;
      return o;
    }
    const flag = a[1];
    if (flag === "e") {
      let code = a.slice(2);
      if (code === "") {
        i++;
        if (i >= argv.length || argv[i].startsWith("-")) throw new UsageError(`'-e' needs argument`);
        code = argv[i];
      }
      o.actions.push({ kind: "e", code });
      continue;
    }
    if (a.length !== 2 || !"ilvEW".includes(flag)) throw new UsageError(`unrecognized option '${a}'`);
    if (flag === "i") {
      o.interactive = true;
      o.version = true;
    } else if (flag === "v") o.version = true;
    else if (flag === "l") o.listing = true;
    else if (flag === "E") o.ignoreEnv = true;
    else if (flag === "W") o.actions.push({ kind: "W" });
  }
  return o;
}

/** lua.c createargtable: arg[0] is the script (or the program name), options get negative indices. */
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

function write(stream: NodeJS.WriteStream, bytes: Uint8Array | string): void {
  stream.write(typeof bytes === "string" ? bytes : Buffer.from(bytes)); // copy: the view is reused by wasm
}

function report(e: unknown): void {
  if (e instanceof LuaError) {
    write(process.stderr, `${PROGNAME}: ${e.message}\n${e.traceback ? e.traceback + "\n" : ""}`);
  } else {
    write(process.stderr, `${PROGNAME}: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

// ==== REPL (lua.c doREPL, simplified: results printed by Lua's own print) ====

function formatValue(v: LuaValue): string {
  if (v === null) return "nil";
  if (typeof v === "object" && !(v instanceof Uint8Array) && !("type" in v && "text" in v)) return "table";
  return String(v);
}

async function repl(lua: Lua): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
  let pending = "";
  rl.prompt();
  for await (const line of rl) {
    const code = pending ? pending + "\n" + line : line;
    try {
      let values: LuaValue[];
      try {
        values = lua.run(`print(${code.replace(/^=/, "")})`, "=stdin");
        values = [];
      } catch (e) {
        if (!(e instanceof LuaError) || e.kind !== "syntax") throw e;
        values = lua.run(code, "=stdin");
      }
      if (values.length > 0) write(process.stdout, values.map(formatValue).join("\t") + "\n");
      pending = "";
    } catch (e) {
      if (e instanceof LuaError && e.kind === "syntax" && e.message.endsWith("<eof>")) {
        pending = code;
        rl.setPrompt(">> ");
        rl.prompt();
        continue;
      }
      pending = "";
      report(e);
    }
    rl.setPrompt("> ");
    rl.prompt();
  }
  write(process.stdout, "\n");
}

// ==== main ====

/** Runs the CLI with `args` (process.argv without node and the script); resolves to the exit status. */
export async function main(args: string[]): Promise<number> {
  const argv = [PROGNAME, ...args];
  let o: Options;
  try {
    o = collectArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    write(process.stderr, `${PROGNAME}: ${e.message}\n${USAGE}`);
    return 1;
  }
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
  });
  if (o.version) write(process.stdout, VERSION + "\n");
  try {
    const lua = await Lua.create({
      wasm: process.env.LUA_WASM || undefined, // e.g. build/lua-debug.wasm; default: the bundled release build
      stdout: (b) => write(process.stdout, b),
      stderr: (b) => write(process.stderr, b),
      fs: "node", // real files, relative to the working directory, as lua5.4
      env: process.env, // os.getenv sees the process environment, as lua5.4
      memoryLimit: 0, // the module's ceiling (1.5 GiB): lua5.4 has no limit either
      process: {
        // os.exit and os.execute act on the real process
        exit: (code) => {
          process.exitCode = code;
          process.exit(code);
        },
        execute: (command) => {
          const r = spawnSync("/bin/sh", ["-c", command], { stdio: "inherit" });
          if (r.signal) return 256 + (osConstants.signals[r.signal] ?? 0);
          return r.status ?? 1;
        },
      },
    });
    if (o.listing) return listScript(lua, argv, o);
    lua.setArgs(argTable(argv, o.script));
    if (!o.ignoreEnv) runLuaInit(lua);
    for (const act of o.actions) {
      if (act.kind === "e") lua.run(act.code, "=(command line)");
      else lua.run(`warn("@on")`, "=(command line)");
    }
    const stdinIsTTY = Boolean(process.stdin.isTTY);
    if (o.script > 0) runScript(lua, argv[o.script], argv[o.script - 1] === "--", argv.length - o.script - 1);
    if (o.interactive) await repl(lua);
    else if (o.script === 0 && !o.actions.some((a) => a.kind === "e") && !o.version) {
      if (stdinIsTTY) {
        write(process.stdout, VERSION + "\n");
        await repl(lua);
      } else runScript(lua, "-", false, 0);
    }
    lua.close(); // lua_close: finalizers run at exit, as in lua5.4
    return 0;
  } catch (e) {
    report(e);
    return 1;
  }
}

/** lua.c handle_script: "-" (unless after "--") is stdin, chunk name "=stdin"; else "@" + path. */
function runScript(lua: Lua, path: string, afterDashDash: boolean, nargs = 0): void {
  const stdin = path === "-" && !afterDashDash;
  const src = skipComment(readScript(stdin ? null : path));
  lua.runScript(src, fileChunkName(stdin ? null : path), nargs);
}

/** lua.c handle_luainit: LUA_INIT_5_4 (or LUA_INIT) is code, or "@file" to run a file. */
function runLuaInit(lua: Lua): void {
  const name = process.env.LUA_INIT_5_4 !== undefined ? "LUA_INIT_5_4" : "LUA_INIT";
  const init = process.env[name];
  if (init === undefined) return;
  if (init.startsWith("@")) runScript(lua, init.slice(1), true, 0);
  else lua.run(init, "=" + name);
}

/** -l: print the listing of the script (or stdin) instead of running it. */
function listScript(lua: Lua, argv: string[], o: Options): number {
  const path = o.script > 0 ? argv[o.script] : "-";
  const stdin = path === "-";
  const src = skipComment(readScript(stdin ? null : path));
  write(process.stdout, lua.listingBytes(src, fileChunkName(stdin ? null : path)));
  return 0;
}
