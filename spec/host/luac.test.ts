// luac.test.ts - the lua-wasm-luac command (bin/luac.js → dist/host/luac.js) against luac5.4: the
// listings (-l, -l -l) equal luac5.4's once addresses are masked (they are memory addresses in both),
// and messages, usage text and exit statuses are luac.c's, with argv[0] as the program name. The
// precompiled chunks are string.dump's format (ours): lua-wasm runs them. Without luac5.4 the
// comparisons are skipped with a message; the checks of our own output run regardless.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const LUAC = join(ROOT, "bin/luac.js");
const LUA = join(ROOT, "bin/lua.js");
const LUAC54 = "luac5.4";
const HAVE_LUAC54 = spawnSync(LUAC54, ["-v"], { encoding: "utf8" }).status === 0;
if (!HAVE_LUAC54) console.warn("luac: luac5.4 not found: the comparisons with luac5.4 are skipped");
const parity = HAVE_LUAC54 ? it : it.skip;

const dir = mkdtempSync(join(tmpdir(), "lua-wasm-luac-"));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}
file(
  "prog.lua",
  "#!/usr/bin/env lua\nlocal t = {1, 2.5, 'three'}\nlocal function f(a, ...)\n  local s, extra = 0, ...\n  for i = 1, #t do s = s + (tonumber(t[i]) or 0) end\n  return function() return a + s, extra end\nend\nprint(f(1, 'x')())\nerror('at the end')\n",
);
file("bad.lua", "local x = = 1\n");

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}
/** Memory addresses differ between any two runs: mask them. */
const mask = (r: Run): Run => ({ ...r, stdout: r.stdout.replace(/0x[0-9a-f]+/g, "0x?") });

function ours(args: string[], input = ""): Run {
  const r = spawnSync(process.execPath, [LUAC, ...args], { cwd: dir, input, encoding: "utf8" });
  return mask({ stdout: r.stdout, stderr: r.stderr, status: r.status });
}
function theirs(args: string[], input = ""): Run {
  const r = spawnSync(LUAC54, args, { cwd: dir, input, encoding: "utf8", argv0: LUAC });
  return mask({ stdout: r.stdout, stderr: r.stderr, status: r.status });
}
function same(args: string[], input = ""): Run {
  const a = ours(args, input);
  if (HAVE_LUAC54) expect(a).toEqual(theirs(args, input));
  return a;
}

describe("lua-wasm-luac against luac5.4", () => {
  parity("-l lists each function's header and code; -l -l adds constants, locals and upvalues", () => {
    const short = same(["-l", "-p", "prog.lua"]);
    expect(short.stdout).toMatch(/^\nmain <prog\.lua:0,0> \(\d+ instructions at 0x\?\)\n/);
    expect(short.stdout).not.toContain("constants (");
    const full = same(["-l", "-l", "-p", "prog.lua"]);
    expect(full.stdout).toContain("constants (");
    expect(full.stdout).toContain("function <prog.lua:3,7>");
    same(["-l", "-p", "-"], "return 1\n");
  });

  parity("parse errors, missing files and bad options are reported as luac.c does", () => {
    expect(same(["-p", "bad.lua"]).stderr).toBe(`${LUAC}: bad.lua:1: unexpected symbol near '='\n`);
    expect(same(["-p", "no/such.lua"]).status).toBe(1);
    for (const args of [["-x"], ["-o"], ["-o", "-x", "prog.lua"], ["-o", ""], []]) {
      const r = same(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`usage: ${LUAC} [options] [filenames]`);
    }
  });

  parity("with -l or -p and no file, luac.out itself is read (here: there is none yet)", () => {
    expect(same(["-p"]).stderr).toBe(`${LUAC}: cannot open luac.out: No such file or directory\n`);
    same(["-l"]);
  });
});

describe("lua-wasm-luac: precompiled chunks (string.dump's format)", () => {
  const run = (path: string) =>
    spawnSync(process.execPath, [LUA, path], { cwd: dir, encoding: "utf8" }) as unknown as Run;

  it("writes luac.out (or -o name) that lua-wasm runs; -s strips the debug information", () => {
    expect(ours(["prog.lua"])).toEqual({ stdout: "", stderr: "", status: 0 });
    const full = run("luac.out");
    expect(full.stdout).toBe("4.5\tx\n");
    expect(full.stderr).toMatch(/^.*: prog\.lua:9: at the end\n/);
    expect(ours(["-s", "-o", "stripped.out", "prog.lua"]).status).toBe(0);
    const stripped = run("stripped.out");
    expect(stripped.stdout).toBe("4.5\tx\n");
    expect(stripped.stderr).toMatch(/^.*: at the end\n(.*\n)*\t\?: in main chunk\n/); // no line information
    expect(readFileSync(join(dir, "stripped.out")).length).toBeLessThan(readFileSync(join(dir, "luac.out")).length);
  });

  it("checks luac.out when given no file; a precompiled input is not listed", () => {
    expect(ours(["-p"])).toEqual({ stdout: "", stderr: "", status: 0 });
    expect(ours(["-l"])).toEqual({
      stdout: "",
      stderr: `${LUAC}: luac.out: cannot list a precompiled chunk\n`,
      status: 1,
    });
  });

  it("-o - writes the chunk to stdout; -p writes nothing; -v prints our version line", () => {
    const r = spawnSync(process.execPath, [LUAC, "-o", "-", "prog.lua"], { cwd: dir });
    expect(r.stdout.equals(readFileSync(join(dir, "luac.out")))).toBe(true);
    expect(ours(["-p", "-o", "never.out", "prog.lua"]).status).toBe(0);
    expect(existsSync(join(dir, "never.out"))).toBe(false);
    expect(ours(["-v"]).stdout).toMatch(
      /^lua-wasm \S+ \(Lua 5\.4\.8\) {2}Copyright \(C\) 1994-2025 Lua\.org, PUC-Rio\n$/,
    );
  });

  it("refuses several input files (luac combines them; we do not) and writes nothing", () => {
    expect(ours(["-o", "two.out", "prog.lua", "prog.lua"])).toEqual({
      stdout: "",
      stderr: `${LUAC}: one input file only (lua-wasm-luac does not combine files)\n`,
      status: 1,
    });
    expect(existsSync(join(dir, "two.out"))).toBe(false);
  });

  it("reports an unwritable output file", () => {
    expect(ours(["-o", "no/such/dir/x.out", "prog.lua"])).toEqual({
      stdout: "",
      stderr: `${LUAC}: cannot open no/such/dir/x.out: No such file or directory\n`,
      status: 1,
    });
  });
});
