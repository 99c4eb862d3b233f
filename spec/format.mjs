// format.mjs - the .expected file format, shared by spec/run.ts (compare) and spec/regen-expected.mjs
// (generate with lua5.4). See spec/GUIDE.md for the format.
// Invariant: both sides build the text through these functions, so a case passes exactly when our
// stdout bytes and error message equal lua5.4's.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Directories holding cases: spec/lua/<area>/*.lua (stdout + error) and spec/errors/*.lua (message only). */
export const LUA_DIR = "spec/lua";
export const ERRORS_DIR = "spec/errors";

/**
 * Expected text of a spec/lua case: stdout bytes, then, if the script raised an error, a line
 * "error: <message>" (preceded by a newline if stdout did not end with one).
 * @param {Uint8Array} stdout @param {string | null} error @returns {Buffer}
 */
export function luaCaseText(stdout, error) {
  const out = Buffer.from(stdout);
  if (error === null) return out;
  const sep = out.length > 0 && out[out.length - 1] !== 0x0a ? "\n" : "";
  return Buffer.concat([out, Buffer.from(`${sep}error: ${error}\n`)]);
}

/**
 * Expected text of a spec/errors case: the error message and a newline; "(no error)" if none.
 * @param {string | null} error @returns {Buffer}
 */
export function errorCaseText(error) {
  return Buffer.from(error === null ? "(no error)\n" : `${error}\n`);
}

/**
 * The error message in lua.c's stderr: the text after "<progname>: " up to the traceback.
 * Warnings ("Lua warning: ...") printed before it are skipped.
 * @param {string} stderr @param {string} progname @returns {string | null}
 */
export function extractMessage(stderr, progname) {
  const prefix = `${progname}: `;
  let start = stderr.startsWith(prefix) ? 0 : stderr.indexOf(`\n${prefix}`);
  if (start < 0) return null;
  if (start > 0) start += 1;
  let msg = stderr.slice(start + prefix.length);
  const tb = msg.lastIndexOf("\nstack traceback:\n");
  if (tb >= 0) msg = msg.slice(0, tb);
  return msg.replace(/\n$/, "");
}

/**
 * Every case, sorted: { kind: "lua"|"errors", area, name, path, expectedPath } with repo-relative
 * POSIX paths. `filters` (substrings of "area/name") select a subset.
 * @param {string} root @param {string[]} [filters]
 */
export function listCases(root, filters = []) {
  const cases = [];
  const add = (kind, area, dir) => {
    if (!existsSync(join(root, dir))) return;
    for (const f of readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".lua"))
      .sort()) {
      const name = f.slice(0, -4);
      cases.push({ kind, area, name, path: `${dir}/${f}`, expectedPath: `${dir}/${name}.expected` });
    }
  };
  if (existsSync(join(root, LUA_DIR))) {
    const areas = readdirSync(join(root, LUA_DIR), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    for (const area of areas) add("lua", area, `${LUA_DIR}/${area}`);
  }
  add("errors", "errors", ERRORS_DIR);
  if (filters.length === 0) return cases;
  return cases.filter((c) => filters.some((f) => `${c.area}/${c.name}`.includes(f) || c.path.includes(f)));
}
