// bench.test.ts - the benchmark CLI's parts that do not need a quiet machine: argument parsing,
// filters, median/geomean/ratio arithmetic, output comparison across engines, the run-count budget,
// target verdicts, table rendering and the SVG chart; with --jit, lua-wasm+jit as "ours" and the
// table of what the JIT compiled.
import { describe, expect, it } from "vitest";
import {
  compareRow,
  firstDifference,
  geomeans,
  jitRun,
  matchesFilter,
  meetsTarget,
  parseArgs,
  referenceEngine,
  renderJit,
  renderPrograms,
  scaledProgram,
  timeRuns,
  timeRunsInterleaved,
  UsageError,
  type Cell,
} from "../../bench/cli.js";
import {
  allEngines,
  JIT_ENGINE,
  luaWasm,
  parseJitStats,
  processEngines,
  setKeepNodeEnv,
  unsetNodeVars,
} from "../../bench/peers.js";
import { formatMs, formatRatio, geomean, median, ratio, renderTable } from "../../bench/stats.js";
import { ratioChart } from "../../bench/svg.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Lua } from "../../host/index.js";

describe("whole processes and scaled programs", () => {
  it("reads --process and --scale N|auto, and refuses a scale below 1", () => {
    expect(parseArgs([])).toMatchObject({ processes: false, scale: null });
    expect(parseArgs(["--process", "--scale", "auto"])).toMatchObject({ processes: true, scale: "auto" });
    expect(parseArgs(["--scale", "3"]).scale).toBe(3);
    expect(() => parseArgs(["--scale", "0"])).toThrow(UsageError);
  });

  it("unsets NODE_EXTRA_CA_CERTS for Node engines of whole-process runs unless --keep-node-env", () => {
    expect(parseArgs([]).keepNodeEnv).toBe(false);
    expect(parseArgs(["--process", "--keep-node-env"]).keepNodeEnv).toBe(true);
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    try {
      process.env.NODE_EXTRA_CA_CERTS = "/tmp/some-bundle.crt";
      setKeepNodeEnv(false);
      expect(unsetNodeVars()).toEqual(["NODE_EXTRA_CA_CERTS"]);
      setKeepNodeEnv(true);
      expect(unsetNodeVars()).toEqual([]);
      delete process.env.NODE_EXTRA_CA_CERTS;
      setKeepNodeEnv(false);
      expect(unsetNodeVars()).toEqual([]);
    } finally {
      setKeepNodeEnv(false);
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
    }
  });

  it("says in a whole-process report which Node variables were unset, and nothing else about startup", () => {
    const base = {
      engines: [{ name: "lua-wasm", description: "cli", available: true }],
      rows: [],
      geomean: {},
      runs: 1,
      mode: "whole process",
      nativeStartupMs: 2,
    };
    const cleaned = renderPrograms({ ...base, unsetNodeVars: ["NODE_EXTRA_CA_CERTS"] });
    expect(cleaned).toContain("whole processes, startup included");
    expect(cleaned).toContain("the engines' runs alternate");
    expect(cleaned).toContain("Node engines run without NODE_EXTRA_CA_CERTS");
    expect(cleaned).not.toContain("minus the startup");
    const kept = renderPrograms({ ...base, unsetNodeVars: [] });
    expect(kept).not.toContain("Node engines run without");
    expect(kept).not.toContain("minus the startup");
  });

  it("runs a scaled program's chunk N times, with fresh locals and its line numbers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const source = Buffer.from('local n = 0\nn = n + 1\nprint(n, select("#", ...))\nerror("line 4")\n');
      const p = scaledProgram({ name: "x.lua", path: "", source }, 3, dir);
      expect(readFileSync(p.path).equals(p.source)).toBe(true);
      const out: string[] = [];
      const lua = await Lua.create({ stdout: (b) => void out.push(Buffer.from(b).toString()) });
      const twice = p.source.toString().replace('error("line 4")', "");
      lua.run(twice, "@x.lua");
      expect(out.join("")).toBe("1\t0\n1\t0\n1\t0\n");
      expect(() => lua.run(p.source, "@x.lua")).toThrow(/^x\.lua:4: line 4$/);
      lua.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("parseArgs", () => {
  it("has defaults: 5 runs, 1 warm-up, every engine, both reports, an SVG", () => {
    const o = parseArgs([]);
    expect(o).toMatchObject({ runs: 5, warmup: 1, filters: [], engines: null, only: "all", json: null });
    expect(o.svg).toMatch(/bench\/results\/ratios\.svg$/);
  });

  it("reads --runs, --filter lists, --engines, --only, --json and --no-svg", () => {
    const o = parseArgs([
      "--runs",
      "3",
      "--filter",
      "fib,sort",
      "--filter",
      "json",
      "--engines",
      "lua-wasm,lua5.4",
      "--only",
      "programs",
      "--json",
      "o.json",
      "--no-svg",
    ]);
    expect(o).toMatchObject({
      runs: 3,
      filters: ["fib", "sort", "json"],
      engines: ["lua-wasm", "lua5.4"],
      only: "programs",
      json: "o.json",
      svg: null,
    });
  });

  it("rejects bad values and unknown arguments", () => {
    expect(() => parseArgs(["--runs", "0"])).toThrow(UsageError);
    expect(() => parseArgs(["--only", "everything"])).toThrow(/seed or programs/);
    expect(() => parseArgs(["--fast"])).toThrow(/unknown argument/);
    expect(() => parseArgs(["--json"])).toThrow(/needs a value/);
  });

  it("filters names by case-insensitive substring", () => {
    expect(matchesFilter("fib.lua", [])).toBe(true);
    expect(matchesFilter("Fib.lua", ["fib"])).toBe(true);
    expect(matchesFilter("sort.lua", ["fib", "json"])).toBe(false);
  });
});

describe("statistics", () => {
  it("takes the median of odd and even counts without reordering the input", () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it("computes the geometric mean of positive values only", () => {
    expect(geomean([2, 8])).toBeCloseTo(4);
    expect(geomean([0.5, 2, undefined])).toBeCloseTo(1);
    expect(geomean([undefined, 0, -1, NaN])).toBeUndefined();
  });

  it("divides our time by the peer's, never producing NaN or Infinity", () => {
    expect(ratio(300, 100)).toBe(3);
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(undefined, 100)).toBeUndefined();
    expect(ratio(100, 0)).toBeUndefined();
  });

  it("formats times and ratios", () => {
    expect(formatMs(0.01234)).toBe("0.0123 ms");
    expect(formatMs(1.5)).toBe("1.50 ms");
    expect(formatMs(1234.4)).toBe("1234 ms");
    expect(formatMs(undefined)).toBe("-");
    expect(formatRatio(2.345)).toBe("2.35x");
    expect(formatRatio(12.34)).toBe("12.3x");
    expect(formatRatio(0.00441)).toBe("0.0044x");
    expect(formatRatio(undefined)).toBe("-");
  });

  it("judges seed targets on the upper bound", () => {
    expect(meetsTarget(1.5, "1-2ms")).toBe(true);
    expect(meetsTarget(2.5, "1-2ms")).toBe(false);
    expect(meetsTarget(99, "<100ms")).toBe(true);
    expect(meetsTarget(5, "-")).toBeUndefined();
    expect(meetsTarget(0.0009, "<=1us")).toBe(true);
    expect(meetsTarget(0.0011, "<=1us")).toBe(false);
  });

  it("renders aligned tables with an unpadded last column", () => {
    const t = renderTable(
      ["name", "ms", "note"],
      [
        ["a", "1.0", ""],
        ["long", "10.0", "x"],
      ],
    );
    expect(t.split("\n")).toEqual(["name    ms  note", "----  ----  ----", "a      1.0", "long  10.0  x"]);
  });
});

describe("comparing engines", () => {
  const cell = (ms: number, output: string): Cell => ({ ms, output });

  it("uses lua5.4 as the reference output, then wasmoon, then ours", () => {
    expect(referenceEngine({ "lua-wasm": cell(1, "a"), "lua5.4": cell(1, "a") })).toBe("lua5.4");
    expect(referenceEngine({ "lua-wasm": cell(1, "a"), "lua5.4": { error: "n/a" } })).toBe("lua-wasm");
  });

  it("gives each peer a ratio when outputs agree and none when they differ", () => {
    const row = compareRow(
      "p.lua",
      {
        "lua-wasm": cell(200, "1\n"),
        wasmoon: cell(100, "1\n"),
        fengari: cell(4000, "2\n"),
        "lua5.4": cell(50, "1\n"),
      },
      ["wasmoon", "fengari", "lua5.4"],
    );
    expect(row.ratios).toEqual({ wasmoon: 2, fengari: undefined, "lua5.4": 4 });
    expect(row.cells.fengari.outputOk).toBe(false);
    expect(row.notes.join()).toMatch(/fengari: output differs from lua5\.4 \(line 1: expected "1", got "2"\)/);
  });

  it("reports a failing engine in the row and still compares the others", () => {
    const row = compareRow(
      "co.lua",
      { "lua-wasm": { error: "attempt to call a nil value" }, "lua5.4": cell(10, "x") },
      ["lua5.4"],
    );
    expect(row.ratios["lua5.4"]).toBeUndefined();
    expect(row.notes).toEqual(["lua-wasm: attempt to call a nil value"]);
  });

  it("takes the geometric mean of each peer's ratios", () => {
    const rows = [
      compareRow("a", { "lua-wasm": cell(2, ""), "lua5.4": cell(1, "") }, ["lua5.4"]),
      compareRow("b", { "lua-wasm": cell(8, ""), "lua5.4": cell(1, "") }, ["lua5.4"]),
      compareRow("c", { "lua-wasm": { error: "x" }, "lua5.4": cell(1, "") }, ["lua5.4"]),
    ];
    expect(geomeans(rows, ["lua5.4"])["lua5.4"]).toBeCloseTo(4);
  });

  it("finds the first differing line", () => {
    expect(firstDifference("a\nb\n", "a\nc\n")).toBe('line 2: expected "b", got "c"');
    expect(firstDifference("a", "a\nmore")).toBe('line 2: expected "<end>", got "more"');
  });
});

describe("timeRuns", () => {
  it("warms up, keeps the first output and takes the median of N runs", () => {
    let n = 0;
    const c = timeRuns(() => `run ${++n}`, { runs: 4, warmup: 2, budget: 100 });
    expect(n).toBe(6);
    expect(c.output).toBe("run 1");
    expect(c.runs).toBe(4);
    expect(c.samples).toHaveLength(4);
    expect(c.ms).toBeGreaterThanOrEqual(0);
  });

  it("lowers N (not below 3) when the runs would exceed the budget", () => {
    const spin = () => {
      const t = performance.now();
      while (performance.now() - t < 20);
      return "";
    };
    expect(timeRuns(spin, { runs: 10, warmup: 1, budget: 0.05 }).runs).toBe(3);
  });
});

describe("timeRunsInterleaved", () => {
  it("warms every engine up, then alternates their timed runs round by round, each round starting with the next", () => {
    const calls: string[] = [];
    const engine = (name: string) => ({ run: () => (calls.push(name), `${name} ${calls.length}`) });
    const cells = timeRunsInterleaved([engine("a"), engine("b"), engine("c")], { runs: 3, warmup: 1, budget: 100 });
    expect(calls).toEqual(["a", "b", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b"]);
    expect(cells.map((c) => c.output)).toEqual(["a 1", "b 2", "c 3"]); // the first (warm-up) output
    for (const c of cells) {
      expect(c.runs).toBe(3);
      expect(c.samples).toHaveLength(3);
      expect(c.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it("lowers N per engine by the budget, and keeps the others running", () => {
    const calls: string[] = [];
    const slow = {
      run: () => {
        calls.push("slow");
        const t = performance.now();
        while (performance.now() - t < 20);
        return "";
      },
    };
    const fast = { run: () => (calls.push("fast"), "") };
    const [s, f] = timeRunsInterleaved([slow, fast], { runs: 6, warmup: 1, budget: 0.05 });
    expect(s.runs).toBe(3);
    expect(f.runs).toBe(6);
    expect(calls.filter((c) => c === "slow")).toHaveLength(1 + 3);
    expect(calls.slice(-3)).toEqual(["fast", "fast", "fast"]); // the slow engine's rounds are over
  });

  it("ends an engine's runs at an error and times the others", () => {
    let n = 0;
    const failing = {
      run: () => {
        if (++n === 3) throw new Error("exit status 1\nmore");
        return "x";
      },
    };
    const ok = { run: () => "y" };
    const onRun: number[] = [];
    const [bad, good] = timeRunsInterleaved([failing, { ...ok, onRun: (ms: number) => onRun.push(ms) }], {
      runs: 4,
      warmup: 1,
      budget: 100,
    });
    expect(bad).toEqual({ error: "exit status 1" });
    expect(good.runs).toBe(4);
    expect(onRun).toHaveLength(5); // warm-up included, as timeRuns
  });
});

describe("the JIT (--jit)", () => {
  it("reads --jit and --jit-threshold N (which implies --jit)", () => {
    expect(parseArgs([])).toMatchObject({ jit: false, jitThreshold: null });
    expect(parseArgs(["--jit"])).toMatchObject({ jit: true, jitThreshold: null });
    expect(parseArgs(["--jit-threshold", "0"])).toMatchObject({ jit: true, jitThreshold: 0 });
    expect(() => parseArgs(["--jit-threshold", "-1"])).toThrow(UsageError);
  });

  it("puts lua-wasm+jit first, so it is ours and lua-wasm a peer", () => {
    expect(allEngines({}).map((e) => e.name)).toEqual([JIT_ENGINE, "lua-wasm", "wasmoon", "fengari", "lua5.4"]);
    expect(allEngines().map((e) => e.name)).toEqual(["lua-wasm", "wasmoon", "fengari", "lua5.4"]);
    expect(processEngines({ threshold: 5 }).map((e) => e.name)).toEqual([JIT_ENGINE, "lua-wasm", "wasmoon", "lua5.4"]);
    const row = compareRow(
      "p.lua",
      { [JIT_ENGINE]: { ms: 50, output: "" }, "lua-wasm": { ms: 100, output: "" }, "lua5.4": { ms: 25, output: "" } },
      ["lua-wasm", "lua5.4"],
      JIT_ENGINE,
    );
    expect(row.ratios).toEqual({ "lua-wasm": 0.5, "lua5.4": 2 });
  });

  it("counts compiles in process: in the first run, then none for the same program", async () => {
    const e = luaWasm(undefined, { threshold: 0 });
    expect(await e.probe()).toBeNull();
    const source = Buffer.from(
      "local function f(n) local s = 0 for i = 1, n do s = s + i end return s end print(f(10))\n",
    );
    const prep = await e.prepare({ name: "p.lua", path: "", source });
    let jit: ReturnType<typeof jitRun> | undefined;
    const cell = timeRuns(
      () => prep.run(),
      { runs: 3, warmup: 1, budget: 100 },
      (ms) => {
        jit = jitRun(jit, ms, prep.jitStats!());
      },
    );
    prep.close();
    expect(cell.output).toBe("55\n");
    expect(jit!.firstCompiles).toBeGreaterThanOrEqual(2); // the chunk's function and f
    expect(jit!.compiles).toBe(jit!.firstCompiles);
    expect(jit!.firstCompileMs).toBeGreaterThan(0);
    expect(jit!.runMs).toBeGreaterThan(jit!.firstRunMs);
  });

  it("reads the CLI's stats line (--process), and renders the JIT table with shares of run time", () => {
    expect(
      parseJitStats("x\n[lua-wasm jit] 3 functions compiled in 1.50 ms (0.50 ms each), 2 alive, 99 bytes\n"),
    ).toEqual({
      compiles: 3,
      ms: 1.5,
    });
    expect(parseJitStats("[lua-wasm jit] 1 function compiled in 0.25 ms (0.25 ms each), 1 alive, 9 bytes")).toEqual({
      compiles: 1,
      ms: 0.25,
    });
    expect(parseJitStats("")).toBeNull();
    let j = jitRun(undefined, 100, { compiles: 4, ms: 2 });
    j = jitRun(j, 50, { compiles: 4, ms: 2 });
    expect(j).toEqual({ firstCompiles: 4, firstCompileMs: 2, compiles: 4, compileMs: 2, firstRunMs: 100, runMs: 150 });
    const report = {
      engines: [
        { name: JIT_ENGINE, description: "jit", available: true },
        { name: "lua-wasm", description: "interp", available: true },
      ],
      rows: [
        compareRow(
          "a.lua",
          { [JIT_ENGINE]: { ms: 50, output: "", jit: j }, "lua-wasm": { ms: 100, output: "" } },
          ["lua-wasm"],
          JIT_ENGINE,
        ),
      ],
      geomean: { "lua-wasm": 0.5 },
      runs: 1,
      ours: JIT_ENGINE,
    };
    const table = renderJit(report).split("\n");
    expect(table[3]).toMatch(/^a\.lua +4 +2\.00 ms +0\.500 ms +2\.0% +1\.3%$/);
    expect(table[4]).toMatch(/^all +4 /);
    const text = renderPrograms(report);
    expect(text).toContain("ratio = lua-wasm+jit time / peer time");
    expect(text).toContain(table[3]);
  });
});

describe("ratioChart", () => {
  it("draws one bar per peer and program, n/a for gaps, and escapes text", () => {
    const svg = ratioChart(
      [{ program: "a<b", ratios: { wasmoon: 2, "lua5.4": undefined } }],
      ["wasmoon", "lua5.4"],
      "t & t",
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("a&lt;b");
    expect(svg).toContain("t &amp; t");
    expect(svg).toContain("2.00x");
    expect(svg).toContain("n/a");
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  });
});
