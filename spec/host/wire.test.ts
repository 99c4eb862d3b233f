// wire.test.ts - the host's value tags and import answers are the module's own (issue #11): every
// T_<NAME> constant of the module's value codec (assembly/**/valcodec.ts) is Tag.<NAME> of host/wire.ts
// with the same value, and the other way round; likewise the ext imports' R_<NAME> answers and
// OUT_STR (assembly/**/ext.ts) and Answer/OUT_STR of host/ext/imports.ts.
//
// Why the module's source and not its binary: these constants are AssemblyScript `@inline const`s, so
// they exist only at compile time; no export of build/lua.wasm carries them, and compiling an entry
// just to read them back pulls in the whole interpreter (half a minute per run). The parse is strict:
// it takes every `const T_<NAME>: <int type> = <literal>` declaration of the file (decimal or hex,
// negative allowed) and fails on a constant it cannot read, so a tag added, renamed or renumbered on
// either side fails here. The files are found by name anywhere under assembly/, so moving the module's
// host layer (assembly/embed → assembly/embed) needs no change here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Tag } from "../../host/wire.js";
import { Answer, OUT_STR } from "../../host/ext/imports.js";

const ASSEMBLY = join(__dirname, "..", "..", "assembly");

/** The one file named `name` under assembly/ (fails when there is none or more than one). */
function moduleFile(name: string): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry === name) found.push(p);
    }
  };
  walk(ASSEMBLY);
  expect(found, `exactly one assembly/**/${name}`).toHaveLength(1);
  return found[0];
}

/**
 * The `const <PREFIX><NAME>: <type> = <literal>;` declarations of an AssemblyScript file, by NAME. A
 * declaration with that prefix whose value is not an integer literal fails the test (it could not be
 * checked).
 */
function moduleConstants(file: string, prefix: string): Map<string, number> {
  const text = readFileSync(file, "utf8");
  const out = new Map<string, number>();
  const decl = new RegExp(`\\bconst\\s+${prefix}([A-Z0-9_]+)\\s*:\\s*[iu](?:8|16|32|64)\\s*=\\s*([^;]+);`, "g");
  for (const m of text.matchAll(decl)) {
    const literal = m[2].trim();
    expect(literal, `${prefix}${m[1]} in ${file} is an integer literal`).toMatch(/^-?(0x[0-9a-fA-F]+|\d+)$/);
    const negative = literal.startsWith("-");
    const magnitude = Number(negative ? literal.slice(1) : literal);
    expect(out.has(m[1]), `${prefix}${m[1]} declared once`).toBe(false);
    out.set(m[1], negative ? -magnitude : magnitude);
  }
  return out;
}

/** The members of a (numeric) TS enum, by name. */
function enumMembers(e: Record<string, string | number>): Map<string, number> {
  return new Map(Object.entries(e).filter((kv): kv is [string, number] => typeof kv[1] === "number"));
}

describe("the wire tags are the module's", () => {
  it("has every T_<NAME> of valcodec.ts as Tag.<NAME> with its value, and nothing else", () => {
    const module = moduleConstants(moduleFile("valcodec.ts"), "T_");
    expect(module.size).toBeGreaterThanOrEqual(19); // NIL..GLOBALS and END: the parse found them
    expect(Object.fromEntries(enumMembers(Tag))).toEqual(Object.fromEntries(module));
  });

  it("has the ext imports' answers R_<NAME> and OUT_STR of ext.ts", () => {
    const file = moduleFile("ext.ts");
    const module = moduleConstants(file, "R_");
    expect(module.size).toBeGreaterThanOrEqual(3);
    expect(Object.fromEntries(enumMembers(Answer))).toEqual(Object.fromEntries(module));
    expect(moduleConstants(file, "OUT_").get("STR")).toBe(OUT_STR);
  });
});
