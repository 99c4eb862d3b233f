// cli-names.ts - what the two commands (lua-wasm, host/cli.ts, and lua-wasm-luac, host/luac.ts) say
// about themselves: our name, the version line (lua.c's layout with our name and version first), and
// argv[0] as the shell gave it. Node only.
// Invariant: nothing here depends on the engine, so lua-wasm-luac runs without the CLI's module (the
// package ships the CLI only as its bundle).

import { accessSync, constants as fsConstants, readFileSync } from "node:fs";
import { basename, join, resolve as resolvePath } from "node:path";

/** Our name: in the version line, and the program name when main() is not told how it was invoked. */
export const PROGNAME = "lua-wasm";
/** The Lua release whose behaviour we implement (and whose copyright line -v shows, after our name). */
const LUA_RELEASE = "Lua 5.4.8";
const LUA_COPYRIGHT = "Copyright (C) 1994-2025 Lua.org, PUC-Rio";

/** The package version, read from package.json next to dist/ (bundled: dist/host; tsx: host/). */
function packageVersion(): string {
  for (const rel of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "lua-wasm-persistent" && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return "unknown";
}

/** lua.c print_version's layout ("<release>  <copyright>") with our name and version first. */
export function versionLine(): string {
  return `${PROGNAME} ${packageVersion()} (${LUA_RELEASE})  ${LUA_COPYRIGHT}`;
}

/**
 * What the shell passed as argv[0], which a script's interpreter line loses (the kernel runs
 * `node <path of the executable>`): the bare name when a PATH search for it finds this very file
 * (the user typed `lua-wasm`, or npx ran it), else the path Node was given. Either starts us again
 * from a shell, as lua.c's argv[0] does (the official main.lua runs `progname` and expects its
 * messages to begin with it).
 */
export function invokedName(path: string, searchPath: string = process.env.PATH ?? ""): string {
  const name = basename(path);
  for (const dir of searchPath.split(":")) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
    } catch {
      continue;
    }
    return resolvePath(candidate) === resolvePath(path) ? name : path; // the shell takes the first one
  }
  return path;
}
