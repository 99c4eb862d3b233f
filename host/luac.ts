// luac.ts - the `lua-wasm-luac` command: PUC's luac.c over our compiler.
//   lua-wasm-luac [options] [filename]   options: -l (-l -l: full listing), -o name, -p, -s, -v, --, -
// It compiles a Lua file (or stdin for "-"), lists its bytecode in luac's layout (`-l`: each function's
// header and instructions; `-l -l`: also its constants, locals and upvalues) and writes the
// precompiled chunk to luac.out (or `-o name`, `-o -` for stdout; `-p` parses only; `-s` strips debug
// information). The precompiled chunk is string.dump's format, which is ours, not PUC's: `lua-wasm`
// runs it, lua5.4 does not. Messages, usage text and exit statuses are luac.c's, with argv[0] as the
// program name.
// Invariants: nothing is written before every input has compiled. Left out: several input files
// (luac combines them into one main function) and listing a precompiled input.

import { readFileSync, writeFileSync } from "node:fs";
import "./platform-node.js"; // Node's built-ins for the host modules, in any Node >= 20
import { Lua } from "./engine.js";
import { LuaError } from "./errors.js";
import { fileChunkName, skipComment } from "./chunk.js";
import { invokedName, versionLine } from "./cli-names.js";

/** luac.c's default output file. */
const OUTPUT = "luac.out";

let progname = "lua-wasm-luac";

const usageText = () => `usage: ${progname} [options] [filenames]
Available options are:
  -l       list (use -l -l for full listing)
  -o name  output to file 'name' (default is "${OUTPUT}")
  -p       parse only
  -s       strip debug information
  -v       show version information
  --       stop handling options
  -        stop handling options and process stdin
`;

interface Options {
  listing: number;
  /** The output file; null for stdout ("-o -"). */
  output: string | null;
  dumping: boolean;
  stripping: boolean;
  version: number;
  files: string[];
}

/** luac.c usage(): a message (an option that is not one is quoted), the usage text, status 1. */
class UsageError extends Error {}

/** luac.c doargs. */
function doargs(argv: string[]): Options {
  const o: Options = { listing: 0, output: OUTPUT, dumping: true, stripping: false, version: 0, files: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("-"); i++) {
    const a = argv[i];
    if (a === "--") {
      ++i;
      if (o.version) ++o.version;
      break;
    } else if (a === "-") break;
    else if (a === "-l") ++o.listing;
    else if (a === "-o") {
      const out = argv[++i];
      if (out === undefined || out === "" || (out[0] === "-" && out.length > 1))
        throw new UsageError("'-o' needs argument");
      o.output = out === "-" ? null : out;
    } else if (a === "-p") o.dumping = false;
    else if (a === "-s") o.stripping = true;
    else if (a === "-v") ++o.version;
    else throw new UsageError(`unrecognized option '${a}'`);
  }
  o.files = argv.slice(i);
  if (o.files.length === 0 && (o.listing > 0 || !o.dumping)) {
    o.dumping = false; // list or check luac.out itself
    o.files = [OUTPUT];
  }
  return o;
}

/** luac.c fatal: "<progname>: <message>", status 1. */
class Fatal extends Error {}

/** strerror for the errors opening a file gives most often (Node's messages say more). */
function strerror(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text: Record<string, string> = {
    ENOENT: "No such file or directory",
    EACCES: "Permission denied",
    EISDIR: "Is a directory",
    ENOTDIR: "Not a directory",
  };
  return text[err.code ?? ""] ?? err.message;
}

function readSource(path: string): Uint8Array {
  try {
    return readFileSync(path === "-" ? 0 : path);
  } catch (e) {
    const what = (e as NodeJS.ErrnoException).code === "EISDIR" ? "read" : "open";
    throw new Fatal(`cannot ${what} ${path === "-" ? "stdin" : path}: ${strerror(e)}`);
  }
}

/** `luac -l` keeps each function's header and code: the constants, locals and upvalues go. */
function shortListing(full: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of full.split("\n")) {
    if (/^(constants|locals|upvalues) \(\d+\) for /.test(line)) skipping = true;
    else if (skipping && !line.startsWith("\t")) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join("\n");
}

/** Compiles (and dumps) in Lua: load's own messages, string.dump's own format. */
const COMPILE = `return function(src, name, dumping, strip)
  local f, err = load(src, name)
  if not f then return nil, err end
  return dumping and string.dump(f, strip) or ""
end`;

/** Runs `lua-wasm-luac` with `args`; resolves to the exit status. */
export async function main(args: string[], progpath?: string): Promise<number> {
  progname = progpath === undefined ? "lua-wasm-luac" : invokedName(progpath);
  let lua: Lua | undefined;
  try {
    const o = doargs(args);
    if (o.version) {
      process.stdout.write(versionLine() + "\n");
      if (o.version === args.length) return 0;
    }
    if (o.files.length === 0) throw new UsageError("no input files given");
    if (o.files.length > 1) throw new Fatal("one input file only (lua-wasm-luac does not combine files)");
    lua = await Lua.create({ rawStrings: true, memoryLimit: 0 });
    const path = o.files[0];
    const name = fileChunkName(path === "-" ? null : path);
    const src = skipComment(readSource(path));
    const [fn] = lua.run(COMPILE, "=luac");
    const [chunk, err] = lua.call(fn, src, name, o.dumping, o.stripping);
    if (chunk === null) throw new Fatal(new TextDecoder().decode(err as Uint8Array));
    if (o.listing > 0 && src[0] === 0x1b) throw new Fatal(`${path}: cannot list a precompiled chunk`);
    if (o.listing > 0) {
      const full = new TextDecoder().decode(lua.listingBytes(src, name));
      process.stdout.write(o.listing > 1 ? full : shortListing(full));
    }
    if (o.dumping) {
      try {
        if (o.output === null) process.stdout.write(chunk as Uint8Array);
        else writeFileSync(o.output, chunk as Uint8Array);
      } catch (e) {
        throw new Fatal(`cannot open ${o.output}: ${strerror(e)}`);
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${progname}: ${e.message}\n${usageText()}`);
      return 1;
    }
    if (e instanceof Fatal || e instanceof LuaError) {
      process.stderr.write(`${progname}: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    lua?.close();
  }
}
