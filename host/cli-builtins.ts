// cli-builtins.ts - Node's built-in modules the CLI (cli.ts, popen-node.ts) loads only when a feature
// needs them: node:child_process (os.execute, io.popen), node:os, node:readline (the REPL),
// node:worker_threads (io.popen's helper), node:fs/promises (the host's persistence). Loading them
// at start cost 3-5 ms of every hello world (docs/PERFORMANCE.md "Start-up"); node:fs, part of
// Node's own start, is imported as usual.
// Invariant: nothing here runs at import time, and no module (not even node:module, ~0.3 ms with a
// createRequire) is loaded before a feature asks for it.

/**
 * A built-in by name: through the bundle's own `require` (bin/lua.js runs it as CommonJS), else
 * (unbundled, as ES modules: tsx, tsc's output) through process.getBuiltinModule (Node >= 20.16).
 */
function load<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's CommonJS require
  return (typeof require === "function" ? require(id) : process.getBuiltinModule(id)) as T;
}

export const childProcess = (): typeof import("node:child_process") => load("node:child_process");
export const nodeOs = (): typeof import("node:os") => load("node:os");
export const readline = (): typeof import("node:readline") => load("node:readline");
export const workerThreads = (): typeof import("node:worker_threads") => load("node:worker_threads");
export const fsPromises = (): typeof import("node:fs/promises") => load("node:fs/promises");
