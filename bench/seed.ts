// seed.ts - the rows of the seed's PERFORMANCE_GUIDE.md tables: the code each row evaluates, how many
// times the seed evaluated it, the seed's target and the value the seed reported as measured.
// Invariant: targets and seed figures are copied verbatim from the guide ("-" where it gives none);
// rows that need ext.table() are marked so the CLI reports "n/a (not implemented)" instead of timing
// something else. Rows labelled "(issue target)" are not from the guide: they time the external-table
// targets of the performance issue (set+get <= 1us, 1000 writes < 1ms) beside the guide's ext rows.

export interface SeedRow {
  id: string;
  label: string;
  /** Lua code evaluated once per timed operation. */
  code: string;
  /** Code evaluated once before timing (globals the row reads). */
  setup?: string;
  /** How many evaluations the seed's figure covers (its "total" column). */
  iterations: number;
  /** The guide's target for this row. */
  target: string;
  /** The guide's "measured" figure for this row. */
  seed: string;
  /** Needs ext.table() (external tables). */
  ext?: boolean;
  /** Run `code` this many times per timed operation (the "100 sequential evals" row). */
  evalsPerOp?: number;
  /** The eval runs a loop of this many operations: the figure reported is per operation. */
  opsPerEval?: number;
}

/** `n` lines of 63 characters plus newline: n * 64 bytes of output. */
function outputCode(bytes: number): string {
  return `local line = string.rep("x", 63) for i = 1, ${Math.round(bytes / 64)} do print(line) end`;
}

function extFill(n: number): string {
  return `local t = ext.table() for i = 1, ${n} do t["key_" .. i] = i end return t["key_1"]`;
}

/** "Baseline Measurements" (Measured Performance) with the matching "Evaluation" targets. */
export const EVAL_ROWS: SeedRow[] = [
  { id: "empty", label: "empty eval", code: "return nil", iterations: 100, target: "-", seed: "1.2ms (0.012ms/iter)" },
  {
    id: "return42",
    label: "simple return 42",
    code: "return 42",
    iterations: 100,
    target: "1-2ms",
    seed: "1.5ms (0.015ms/iter)",
  },
  {
    id: "arith",
    label: "arithmetic (1000 ops)",
    code: "local x = 0 for i = 1, 1000 do x = x + i end return x",
    iterations: 100,
    target: "2-5ms",
    seed: "3.2ms (0.032ms/iter)",
  },
  {
    id: "concat",
    label: "string concat (100x)",
    code: `local s = "" for i = 1, 100 do s = s .. "x" end return #s`,
    iterations: 100,
    target: "3-10ms",
    seed: "4.8ms (0.048ms/iter)",
  },
  {
    id: "tnew",
    label: "table creation",
    code: "local t = { 1, 2, 3, x = 1, y = 2 } return #t",
    iterations: 100,
    target: "-",
    seed: "2.1ms (0.021ms/iter)",
  },
  {
    id: "tinsert",
    label: "table insert (10 items)",
    code: "local t = {} for i = 1, 10 do table.insert(t, i) end return #t",
    iterations: 10,
    target: "1-2ms",
    seed: "2.8ms (0.28ms/iter)",
  },
  {
    id: "tlookup",
    label: "table lookup (10 items)",
    setup: "lookup = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }",
    code: "local s = 0 for i = 1, 10 do s = s + lookup[i] end return s",
    iterations: 10,
    target: "1-2ms",
    seed: "1.4ms (0.14ms/iter)",
  },
  {
    id: "ext",
    label: "external table get/set (10x)",
    code: `local t = ext.table() for i = 1, 10 do t["k" .. i] = i end local s = 0 for i = 1, 10 do s = s + t["k" .. i] end return s`,
    iterations: 10,
    target: "5-10ms",
    seed: "6.5ms (0.65ms/iter)",
    ext: true,
  },
  {
    id: "extpair",
    label: "external table set+get, per pair (issue target)",
    setup: "bench_ext = ext.table()",
    code: "local t = bench_ext for i = 1, 1000 do t.x = i local v = t.x end",
    iterations: 1,
    opsPerEval: 1000,
    target: "<=1us",
    seed: "-",
    ext: true,
  },
  {
    id: "print10",
    label: "print output (10 lines)",
    code: `for i = 1, 10 do print("Line " .. i) end`,
    iterations: 10,
    target: "-",
    seed: "2.3ms (0.23ms/iter)",
  },
  {
    id: "print100",
    label: "print output (100 lines)",
    code: `for i = 1, 100 do print("Line " .. i) end`,
    iterations: 10,
    target: "5-10ms",
    seed: "8.7ms (0.87ms/iter)",
  },
];

/** "Scalability" targets and "Scalability Results" (table size and output size impact). */
export const SCALE_ROWS: SeedRow[] = [
  {
    id: "ext100",
    label: "100 items in ext.table()",
    code: extFill(100),
    iterations: 1,
    target: "-",
    seed: "5ms",
    ext: true,
  },
  {
    id: "ext500",
    label: "500 items in ext.table()",
    code: extFill(500),
    iterations: 1,
    target: "-",
    seed: "15ms",
    ext: true,
  },
  {
    id: "ext1000",
    label: "1000 items in ext.table()",
    code: extFill(1000),
    iterations: 1,
    target: "<100ms",
    seed: "35ms",
    ext: true,
  },
  {
    id: "extwrite1000",
    label: "1000 writes to one ext.table() (issue target)",
    setup: "t = ext.table()",
    code: `for i = 1, 1000 do t["key_" .. i] = i end`,
    iterations: 1,
    target: "<1ms",
    seed: "-",
    ext: true,
  },
  {
    id: "ext5000",
    label: "5000 items in ext.table()",
    code: extFill(5000),
    iterations: 1,
    target: "-",
    seed: "200ms",
    ext: true,
  },
  { id: "out1k", label: "1KB output", code: outputCode(1024), iterations: 1, target: "-", seed: "1ms" },
  { id: "out10k", label: "10KB output", code: outputCode(10 * 1024), iterations: 1, target: "<10ms", seed: "5ms" },
  { id: "out50k", label: "50KB output", code: outputCode(50 * 1024), iterations: 1, target: "-", seed: "20ms" },
  {
    id: "out63k",
    label: "63KB output (full buffer)",
    code: outputCode(63 * 1024),
    iterations: 1,
    target: "-",
    seed: "30ms",
  },
  {
    id: "recurse500",
    label: "500-level recursion",
    code: "local function r (n) if n == 0 then return 0 end return 1 + r(n - 1) end return r(500)",
    iterations: 1,
    target: "<50ms",
    seed: "-",
  },
  {
    id: "evals100",
    label: "100 sequential evals",
    code: "counter = (counter or 0) + 1 local t = {} for j = 1, 100 do t[j] = j end return counter",
    iterations: 1,
    target: "<500ms",
    seed: "-",
    evalsPerOp: 100,
  },
];

/** "Initialization" targets (no measured figures in the guide). */
export const INIT_TARGETS = { load: "<200ms", init: "<100ms", total: "<300ms" };

/** "Memory" targets and the "Memory Usage" figures. */
export const MEMORY_SEED = {
  initial: { target: "-", seed: "~50KB" },
  ext100: { target: "~50-100 bytes/entry", seed: "+~20KB" },
  ext1000: { target: "~50-100 bytes/entry", seed: "+~100KB" },
  output10k: { target: "-", seed: "+~10KB" },
  fullEval: { target: "-", seed: "+~5KB" },
  typical: { target: "Lua heap ~1.5MB", seed: "~200KB" },
  ioBuffer: { target: "64KB", seed: "-" },
};
