// conformance.test.ts - the conformance runner (spec/conformance.mjs): argument parsing, file
// selection, classification of outcomes as all.lua would judge them, the per-file line, the summary
// and JSON report, and end-to-end runs on small temporary directories (a pass, an error, a hang, a
// flood, a missing file) through the built module.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classify,
  cutBlocks,
  DEFAULT_SKIP_LIST,
  firstErrorLine,
  formatLine,
  jitLine,
  jsonReport,
  main,
  parseArgs,
  readHardBlocks,
  readSkipList,
  selectFiles,
  summarize,
  summaryLines,
  TIER_ONE,
  UsageError,
  type FileResult,
} from "../conformance.mjs";

describe("parseArgs", () => {
  it("takes the directory, file names and options", () => {
    const o = parseArgs([
      "lua/testes",
      "strings",
      "math.lua",
      "--json",
      "out.json",
      "--timeout",
      "5",
      "--jobs",
      "3",
      "--tier1",
    ]);
    expect(o).toMatchObject({
      dir: "lua/testes",
      files: ["strings", "math.lua"],
      json: "out.json",
      timeout: 5,
      jobs: 3,
      tier1: true,
    });
    expect(o.skipList).toBe(DEFAULT_SKIP_LIST);
  });

  it("rejects a missing directory, unknown options and bad numbers", () => {
    expect(() => parseArgs([])).toThrow(UsageError);
    expect(() => parseArgs(["dir", "--frobnicate"])).toThrow(/unknown option/);
    expect(() => parseArgs(["dir", "--timeout", "soon"])).toThrow(/positive number/);
    expect(() => parseArgs(["dir", "--json"])).toThrow(/needs a value/);
  });

  it("takes --hard (the suite's non-portable mode)", () => {
    expect(parseArgs(["d"]).hard).toBe(false);
    expect(parseArgs(["d", "--hard"]).hard).toBe(true);
  });

  it("takes --jit (threshold 0) and --jit-stress N (threshold 0, an exit every N instructions)", () => {
    expect(parseArgs(["d"])).toMatchObject({ jit: null, jitStress: 0 });
    expect(parseArgs(["d", "--jit"])).toMatchObject({ jit: 0, jitStress: 0 });
    expect(parseArgs(["d", "--jit-stress", "3"])).toMatchObject({ jit: 0, jitStress: 3 });
    expect(() => parseArgs(["d", "--jit-stress", "0"])).toThrow(/positive number/);
    expect(() => parseArgs(["d", "--jit-stress"])).toThrow(/needs a value/);
  });

  it("turns off the skip list with --no-skip", () => {
    expect(parseArgs(["d", "--no-skip"]).noSkip).toBe(true);
  });
});

describe("file selection and the skip list", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "conf-sel-"));
    for (const f of ["b.lua", "a.lua", "strings.lua", "notes.txt"]) writeFileSync(join(dir, f), "return true\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every .lua file sorted, or the named ones with .lua added", () => {
    expect(selectFiles(dir, [], false)).toEqual(["a.lua", "b.lua", "strings.lua"]);
    expect(selectFiles(dir, ["b", "zz.lua"], false)).toEqual(["b.lua", "zz.lua"]);
  });

  it("keeps the tier-one files with --tier1", () => {
    expect(selectFiles(dir, [], true)).toEqual(TIER_ONE);
    expect(selectFiles(dir, ["strings", "a"], true)).toEqual(["strings.lua"]);
  });

  it("reads the committed skip list, one reason per entry", () => {
    const skips = readSkipList(DEFAULT_SKIP_LIST);
    expect(skips.get("all.lua")).toMatch(/driver/);
    for (const reason of skips.values()) expect(reason.length).toBeGreaterThan(10);
    expect(readSkipList(join(dir, "absent.json")).size).toBe(0);
  });

  it("skips big.lua only outside hard mode (all.lua runs it when _soft is false)", () => {
    expect(readSkipList(DEFAULT_SKIP_LIST).has("big.lua")).toBe(true);
    expect(readSkipList(DEFAULT_SKIP_LIST, true).has("big.lua")).toBe(false);
    expect(readSkipList(DEFAULT_SKIP_LIST, true).has("all.lua")).toBe(true);
  });
});

describe("classify", () => {
  const ok = (first?: unknown, globals?: Record<string, unknown>) => ({
    kind: "result" as const,
    ok: true,
    values: first === undefined ? [] : [first as never],
    globals: globals as never,
  });

  it("passes a file that ran to the end, unless it returned false", () => {
    expect(classify(ok(), "x.lua").status).toBe("PASS");
    expect(classify(ok({ type: "boolean", value: true }), "x.lua").status).toBe("PASS");
    expect(classify(ok({ type: "boolean", value: false }), "x.lua")).toEqual({
      status: "FAIL",
      error: "returned false",
    });
  });

  it("checks the values all.lua expects from attrib, locals, events and verybig", () => {
    expect(classify(ok({ type: "number", value: 12 }), "events.lua").status).toBe("PASS");
    expect(classify(ok({ type: "number", value: 11 }), "events.lua")).toEqual({
      status: "FAIL",
      error: "returned 11, all.lua expects 12",
    });
    expect(classify(ok(), "attrib.lua").error).toBe("returned nil, all.lua expects 27");
  });

  it("checks big.lua's resumes as all.lua does ('b', then 'a')", () => {
    const run = (...v: string[]) => ({
      kind: "result" as const,
      ok: true,
      values: v.map((x) => ({ type: "string", value: x })),
    });
    expect(classify(run("b", "a"), "big.lua").status).toBe("PASS");
    expect(classify(run("b", "x"), "big.lua")).toEqual({
      status: "FAIL",
      error: 'resume 2 gave "x", all.lua expects "a"',
    });
    expect(classify(run("a"), "big.lua").status).toBe("FAIL");
  });

  it("checks calls.lua against the global deep", () => {
    const deep = { type: "boolean", value: true };
    expect(classify(ok(deep, { deep }), "calls.lua").status).toBe("PASS");
    expect(classify(ok(deep, { deep: { type: "nil" } }), "calls.lua").status).toBe("FAIL");
  });

  it("reports the first error line with its position", () => {
    const r = classify(
      { kind: "result", ok: false, error: { message: "strings.lua:45: assertion failed!\nmore", traceback: "" } },
      "strings.lua",
    );
    expect(r).toEqual({ status: "FAIL", error: "strings.lua:45: assertion failed!" });
  });

  it("takes the position from the traceback when the message has none", () => {
    expect(firstErrorLine("boom", "stack traceback:\n\t[C]: in function 'error'\n\tx.lua:7: in main chunk")).toBe(
      "boom (at x.lua:7)",
    );
    expect(firstErrorLine("x.lua:1: near", "")).toBe("x.lua:1: near");
  });

  it("names the caller when the error is raised inside a helper function", () => {
    const tb =
      "stack traceback:\n\t[C]: in function 'assert'\n\tu.lua:13: in upvalue 'check'\n\tu.lua:116: in local 'f'\n\tu.lua:123: in main chunk\n\t[C]: in ?";
    expect(firstErrorLine("u.lua:13: assertion failed!", tb)).toBe(
      "u.lua:13: assertion failed! (called from u.lua:116)",
    );
    expect(firstErrorLine("u.lua:5: x", "stack traceback:\n\tu.lua:5: in main chunk")).toBe("u.lua:5: x");
  });

  it("classifies timeouts, floods, crashes and missing files", () => {
    expect(classify({ kind: "timeout", seconds: 3 }, "h.lua")).toEqual({
      status: "TIMEOUT",
      error: "no result after 3 s",
    });
    expect(classify({ kind: "flood", bytes: 100 }, "f.lua").error).toMatch(/output flood/);
    expect(classify({ kind: "crash", code: 3, signal: null, stderr: "a\nlast words\n" }, "c.lua").error).toBe(
      "process died (exit 3): last words",
    );
    expect(classify({ kind: "missing" }, "m.lua").error).toBe("cannot open m.lua: no such file");
  });
});

describe("reporting", () => {
  const results: FileResult[] = [
    { file: "b.lua", status: "PASS", seconds: 1.234, error: null },
    { file: "a.lua", status: "FAIL", seconds: 0.5, error: "a.lua:1: boom" },
    { file: "h.lua", status: "TIMEOUT", seconds: 3, error: "no result after 3 s" },
    { file: "all.lua", status: "SKIP", seconds: 0, reason: "driver" },
  ];

  it("prints one line per file: status, name, seconds, error or reason", () => {
    expect(formatLine(results[0], 8)).toBe("PASS    b.lua       1.23s");
    expect(formatLine(results[1], 8)).toBe("FAIL    a.lua       0.50s  a.lua:1: boom");
    expect(formatLine(results[3], 8)).toBe("SKIP    all.lua         -  driver");
  });

  it("counts timeouts as failures and ends with 'N passed, N failed'", () => {
    const s = summarize(results);
    expect(s).toEqual({ total: 4, passed: 1, failed: 2, timedOut: 1, skipped: 1 });
    const lines = summaryLines(s);
    expect(lines[lines.length - 1]).toBe("1 passed, 2 failed");
    expect(lines[lines.length - 1]).toMatch(/^(\d+) passed, (\d+) failed$/);
  });

  it("says under --jit what was compiled, before the closing line", () => {
    const jit = { threshold: 0, stress: 3, compiles: 1234, ms: 2100.4, files: 28 };
    const lines = summaryLines({ ...summarize(results), jit });
    expect(lines[lines.length - 2]).toBe(jitLine(jit));
    expect(jitLine(jit)).toBe("jit: threshold 0, stress 3: 1234 functions compiled (2100 ms compiling) in 28 files");
    expect(jitLine({ ...jit, stress: 0 })).toMatch(/^jit: threshold 0: 1234 functions/);
    expect(lines[lines.length - 1]).toBe("1 passed, 2 failed");
  });

  it("writes a JSON report sorted by file with the summary", () => {
    const j = jsonReport({ date: "d", dir: "x", wasm: "w", timeout: 3 }, results);
    expect(j.files.map((f) => f.file)).toEqual(["a.lua", "all.lua", "b.lua", "h.lua"]);
    expect(j.summary.failed).toBe(2);
    expect(j.files[0]).toMatchObject({ status: "FAIL", error: "a.lua:1: boom", seconds: 0.5 });
  });
});

describe("end to end on the built module", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "conf-e2e-"));
    writeFileSync(
      join(dir, "good.lua"),
      "assert(_port and _soft)\nlocal m = require 'mod'\nassert(m.x == 1)\nreturn true\n",
    );
    writeFileSync(join(dir, "mod.lua"), "return { x = 1 }\n");
    writeFileSync(join(dir, "bad.lua"), "local t = nil\nprint(t.x)\n");
    writeFileSync(join(dir, "hang.lua"), "while true do end\n");
    writeFileSync(join(dir, "flood.lua"), "while true do print(string.rep('x', 1000)) end\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports each file on its line and goes on after a hang, a flood and a missing file", async () => {
    const lines: string[] = [];
    const json = join(dir, "out", "r.json");
    const code = await main(
      [
        dir,
        "good",
        "bad",
        "hang",
        "flood",
        "absent",
        "--timeout",
        "4",
        "--max-output",
        "20000",
        "--json",
        json,
        "--quiet",
      ],
      (l) => lines.push(l),
    );
    expect(code).toBe(1);
    const line = (f: string) => lines.find((l) => l.includes(` ${f}.lua `)) ?? "";
    expect(line("good")).toMatch(/^PASS/);
    expect(line("bad")).toMatch(/^FAIL .* bad\.lua:2: attempt to index a nil value \(local 't'\)$/);
    expect(line("hang")).toMatch(/^TIMEOUT .* no result after 4 s$/);
    expect(line("flood")).toMatch(/^FAIL .* output flood/);
    expect(line("absent")).toMatch(/^FAIL .* cannot open absent\.lua/);
    expect(lines[lines.length - 1]).toBe("1 passed, 4 failed");
    const j = JSON.parse(readFileSync(json, "utf8"));
    expect(j.files.find((f: { file: string }) => f.file === "hang.lua").status).toBe("TIMEOUT");
  }, 60_000);

  it("--hard: _port and _soft false, the CLI's processes, arg[-1] the CLI; cuts blocks, naming them", async () => {
    writeFileSync(
      join(dir, "hardmode.lua"),
      [
        "assert(_port == false and _soft == false)",
        "local lowest = 0 while arg[lowest - 1] do lowest = lowest - 1 end",
        "local f = assert(io.popen('\"' .. arg[lowest] .. '\" -e \"print(_VERSION)\"'))",
        "assert(f:read('a') == 'Lua 5.4\\n' and f:close())",
        "-- BEGIN native",
        "error('this block is cut')",
        "-- END native",
        "error('on line 8')",
      ].join("\n"),
    );
    const skip = join(dir, "skip.json");
    const cut = { from: "-- BEGIN native", to: "-- END native", reason: "it loads native code" };
    writeFileSync(skip, JSON.stringify({ skip: {}, hard: { "hardmode.lua": [cut] } }));
    expect(readHardBlocks(skip)).toEqual(new Map([["hardmode.lua", [cut]]]));
    const lines: string[] = [];
    expect(await main([dir, "hardmode", "--hard", "--skip-list", skip, "--quiet"], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(
      /^FAIL +hardmode\.lua .* hardmode\.lua:8: on line 8 \(cut in hard mode: it loads native code\)$/,
    );
    // without --hard the file is portable-mode and fails at once
    lines.length = 0;
    await main([dir, "hardmode", "--skip-list", skip, "--quiet"], (l) => lines.push(l));
    expect(lines[0]).toMatch(/hardmode\.lua:1: assertion failed!/);
  }, 60_000);

  it("--jit / --jit-stress: every function compiled, the same results and messages, the CLIs started get the JIT", async () => {
    writeFileSync(
      join(dir, "numeric.lua"),
      [
        "local function f(n) local s = 0 for i = 1, n do s = s + i * 2 - i // 3 end return s end",
        "local t = 0 for i = 1, 50 do t = t + f(i) end",
        "assert(t == 37264, t)",
        "assert(os.getenv('LUA_WASM_JIT') == JIT and os.getenv('LUA_WASM_JIT_THRESHOLD') == (JIT and '0'))",
        "return true",
      ].join("\n"),
    );
    for (const mode of [["--jit"], ["--jit-stress", "1"], []]) {
      const src = readFileSync(join(dir, "numeric.lua"), "utf8").replace(/^JIT = .*\n/, "");
      writeFileSync(join(dir, "numeric.lua"), `JIT = ${mode.length ? "'1'" : "nil"}\n` + src);
      const lines: string[] = [];
      const code = await main([dir, "numeric", "bad", "--quiet", ...mode], (l) => lines.push(l));
      expect(code).toBe(1);
      expect(lines.find((l) => l.includes(" numeric.lua "))).toMatch(/^PASS/);
      expect(lines.find((l) => l.includes(" bad.lua "))).toMatch(
        /bad\.lua:2: attempt to index a nil value \(local 't'\)$/,
      );
      const jit = lines.find((l) => l.startsWith("jit: "));
      if (mode.length === 0) expect(jit).toBeUndefined();
      else {
        const stress = mode[0] === "--jit" ? "" : ", stress 1";
        const m = new RegExp(
          `^jit: threshold 0${stress}: (\\d+) functions compiled \\(\\d+ ms compiling\\) in 1 file$`, // bad.lua compiles nothing
        ).exec(jit ?? "");
        expect(Number(m?.[1])).toBeGreaterThanOrEqual(2); // numeric.lua's main chunk (its loop) and f at least
      }
      expect(lines[lines.length - 1]).toBe("1 passed, 1 failed");
    }
  }, 60_000);

  it("cutBlocks keeps line numbers, and a block not found verbatim is an error", () => {
    const src = Buffer.from("a\nb -- from\nc\nd -- to here\ne\n");
    expect(cutBlocks(src, [{ from: "-- from", to: "-- to", reason: "r" }]).toString()).toBe("a\n\n\n here\ne\n");
    expect(() => cutBlocks(src, [{ from: "-- nowhere", to: "e", reason: "gone" }])).toThrow(/block to cut \(gone\)/);
  });

  it("reports a directory without Lua files as one failure", async () => {
    const empty = mkdtempSync(join(tmpdir(), "conf-empty-"));
    const lines: string[] = [];
    expect(await main([empty, "--quiet"], (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/no \.lua files/);
    expect(lines[lines.length - 1]).toBe("0 passed, 1 failed");
    rmSync(empty, { recursive: true, force: true });
  });
});
