// cli.ts - `npm run bench`: two reports in one run.
//  1. The seed's tables (PERFORMANCE_GUIDE.md): eval micro-operations, scalability, load/init and
//     memory, timed with benchmark.js through the seed-compatible LuaPersistent API, each printed
//     beside the seed's target and the figure the seed reported.
//  2. The Lua programs of bench/lua on lua-wasm, wasmoon, fengari and native lua5.4: outputs checked
//     equal, median of N runs after warm-up, ratio columns (our time / peer time) and their
//     geometric mean, plus an SVG chart of the ratios. With --jit, lua-wasm+jit (the baseline JIT
//     on) is "ours" and lua-wasm (the interpreter) a peer, and a table shows what the JIT compiled:
//     functions, compile time per function, and the share of run time spent compiling.
//   tsx bench/cli.ts [--runs N] [--warmup N] [--filter a,b] [--engines a,b] [--only seed|programs]
//                    [--json FILE] [--svg FILE | --no-svg] [--budget S] [--max-time S] [--process] [--keep-node-env]
//                    [--scale N|auto]
//                    [--jit [--jit-threshold N]]
// Invariants: an engine that is missing, a program that fails or prints something else, and a row
// that needs a feature we lack (ext.table) are reported in their cell and the run goes on; numbers
// are only comparable within one run on one machine (the report names the machine).

import Benchmark from "benchmark";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import {
  allEngines,
  processEngines,
  setKeepNodeEnv,
  unsetNodeVars,
  JIT_ENGINE,
  type Engine,
  type JitStats,
  type Prepared,
  type Program,
} from "./peers.js";
import { EVAL_ROWS, INIT_TARGETS, MEMORY_SEED, SCALE_ROWS, type SeedRow } from "./seed.js";
import { formatBytes, formatMs, formatRatio, geomean, median, ratio, renderTable } from "./stats.js";
import { ratioChart } from "./svg.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const OURS = "lua-wasm";

// ==== Command line ====

export interface Options {
  runs: number;
  warmup: number;
  filters: string[];
  engines: string[] | null;
  only: "all" | "seed" | "programs";
  json: string | null;
  svg: string | null;
  /** Seconds one engine may spend on one program's timed runs before N is lowered (never below 3). */
  budget: number;
  /** benchmark.js maxTime (seconds) for each seed row. */
  maxTime: number;
  /** Start V8 with --no-liftoff (eager TurboFan), as bin/lua.js did before the warm-phase trampoline. */
  noLiftoff: boolean;
  /** Directory of the Lua programs (default bench/lua; bench/lua/goals holds the issues' goals). */
  dir: string;
  /** Whole processes: lua-wasm's CLI, wasmoon from a Node script and lua5.4, startup included. */
  processes: boolean;
  /** Whole processes: Node engines keep NODE_EXTRA_CA_CERTS (peers.ts NODE_START_VARS). */
  keepNodeEnv: boolean;
  /** Run each program this many times in one run; "auto": as many as make it take >= 0.5 s on lua5.4. */
  scale: number | "auto" | null;
  /** Add lua-wasm+jit (the JIT on) as "ours"; lua-wasm (the interpreter) becomes a peer. */
  jit: boolean;
  /** The JIT's threshold for lua-wasm+jit (null: the library's default). */
  jitThreshold: number | null;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --runs N          timed runs per program and engine, after warm-up (default 5); the median is reported
  --warmup N        untimed runs first (default 1); the first run's output is the one compared
  --filter a,b      only programs and seed rows whose name contains one of these (case-insensitive)
  --engines a,b     only these engines (lua-wasm, wasmoon, fengari, lua5.4; lua-wasm+jit with --jit);
                    default all
  --only seed|programs   only one of the two reports
  --json FILE       write all results as JSON
  --svg FILE        the ratio chart (default bench/results/ratios.svg); --no-svg to skip it
  --budget S        seconds of timed runs per program and engine before N is lowered, min 3 (default 15)
  --max-time S      benchmark.js maxTime per seed row (default 1)
  --no-liftoff      compile wasm eagerly with TurboFan (default: V8's tiering, as bin/lua.js)
  --dir DIR         the programs to run (default bench/lua; bench/lua/goals: the issues' goals)
  --process         whole processes, startup included: lua-wasm's CLI (bin/lua.js), wasmoon from a
                    Node script (bench/wasmoon-run.mjs) and lua5.4; fengari is left out. The Node
                    engines run without NODE_EXTRA_CA_CERTS when it is set (every Node process would
                    parse that certificate bundle at start, ~30 ms on the development machine).
                    In process too, the engines' runs of a program alternate (warm-ups first,
                    then one run of each engine per round, each round starting with the next)
  --keep-node-env   with --process: keep NODE_EXTRA_CA_CERTS for the Node engines
  --scale N|auto    run each program N times per run (the program's chunk in a loop); auto: per
                    program, the N that makes one run take at least 0.5 s on lua5.4
  --jit             add lua-wasm+jit (the baseline JIT on; the CLI's LUA_WASM_JIT=1 with --process) as
                    the engine the ratios are for, lua-wasm (the interpreter) then a peer; and a table of
                    what it compiled: functions, ms per function, share of the run time spent compiling
  --jit-threshold N the JIT's threshold (calls + loop iterations before a function is compiled;
                    default: the library's, 1000)
`;

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 5,
    warmup: 1,
    filters: [],
    engines: null,
    only: "all",
    json: null,
    svg: join(ROOT, "bench/results/ratios.svg"),
    budget: 15,
    maxTime: 1,
    noLiftoff: false,
    help: false,
    dir: join(ROOT, "bench/lua"),
    processes: false,
    keepNodeEnv: false,
    scale: null,
    jit: false,
    jitThreshold: null,
  };
  const value = (i: number, flag: string): string => {
    if (i >= argv.length || argv[i].startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  const num = (s: string, flag: string, min: number): number => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number >= ${min}, got '${s}'`);
    return n;
  };
  const list = (s: string) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") o.runs = Math.floor(num(value(++i, a), a, 1));
    else if (a === "--warmup") o.warmup = Math.floor(num(value(++i, a), a, 0));
    else if (a === "--filter") o.filters.push(...list(value(++i, a)));
    else if (a === "--engines") o.engines = list(value(++i, a));
    else if (a === "--only") {
      const v = value(++i, a);
      if (v !== "seed" && v !== "programs") throw new UsageError(`--only takes seed or programs, got '${v}'`);
      o.only = v;
    } else if (a === "--json") o.json = value(++i, a);
    else if (a === "--svg") o.svg = value(++i, a);
    else if (a === "--no-svg") o.svg = null;
    else if (a === "--budget") o.budget = num(value(++i, a), a, 0);
    else if (a === "--max-time") o.maxTime = num(value(++i, a), a, 0);
    else if (a === "--no-liftoff") o.noLiftoff = true;
    else if (a === "--dir") o.dir = resolve(value(++i, a));
    else if (a === "--process") o.processes = true;
    else if (a === "--keep-node-env") o.keepNodeEnv = true;
    else if (a === "--scale") {
      const v = value(++i, a);
      o.scale = v === "auto" ? "auto" : Math.floor(num(v, a, 1));
    } else if (a === "--jit") o.jit = true;
    else if (a === "--jit-threshold") {
      o.jit = true;
      o.jitThreshold = Math.floor(num(value(++i, a), a, 0));
    } else if (a === "--help" || a === "-h") o.help = true;
    else throw new UsageError(`unknown argument '${a}'`);
  }
  return o;
}

/** True when no filter is given or the name contains one of them (case-insensitive). */
export function matchesFilter(name: string, filters: string[]): boolean {
  return filters.length === 0 || filters.some((f) => name.toLowerCase().includes(f.toLowerCase()));
}

// ==== Machine ====

export interface Machine {
  nproc: number;
  cpu: string;
  node: string;
  platform: string;
  date: string;
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1].trim();
  } catch {
    /* not Linux */
  }
  return {
    nproc: availableParallelism(),
    cpu,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}

// ==== Progress (stderr, so stdout stays the report) ====

class Progress {
  private shown = false;
  constructor(private readonly tty = Boolean(process.stderr.isTTY)) {}
  /** Transient status (TTY only). */
  status(msg: string): void {
    if (!this.tty) return;
    this.clear();
    process.stderr.write(msg.slice(0, (process.stderr.columns ?? 100) - 1));
    this.shown = true;
  }
  /** A lasting progress line. */
  line(msg: string): void {
    this.clear();
    process.stderr.write(msg + "\n");
  }
  clear(): void {
    if (this.shown) {
      process.stderr.write("\r\x1b[2K");
      this.shown = false;
    }
  }
}

// ==== Part 1: the seed's tables ====

export interface SeedResult {
  id: string;
  label: string;
  target: string;
  seed: string;
  iterations: number;
  /** Median milliseconds per operation (one eval, evalsPerOp evals, or one of an eval's opsPerEval operations). */
  ms?: number;
  /** ms * iterations: comparable with the seed's total. */
  totalMs?: number;
  rme?: number;
  na?: string;
  error?: string;
  meetsTarget?: boolean;
}

/** Whether a total meets a target like "<100ms", "1-2ms" (upper bound), "<=1us" or "64KB"; undefined if no bound. */
export function meetsTarget(totalMs: number | undefined, target: string): boolean | undefined {
  if (totalMs === undefined) return undefined;
  const m = /^<?=?\s*(?:[\d.]+\s*-\s*)?([\d.]+)\s*(ms|us|µs)$/.exec(target.trim());
  return m ? totalMs <= Number(m[1]) / (m[2] === "ms" ? 1 : 1000) : undefined;
}

/** formatMs, but sub-10us figures (per-operation rows) in microseconds. */
function formatOp(ms: number | undefined): string {
  return ms !== undefined && ms < 0.01 ? `${(ms * 1000).toFixed(3)} us` : formatMs(ms);
}

/** Times fn with benchmark.js (synchronously); median seconds per call → ms. */
export function benchmarkMs(
  fn: () => void,
  maxTime: number,
  minSamples = 5,
): { ms?: number; rme?: number; error?: string } {
  Benchmark.support.decompilation = false; // call fn itself: it closes over the Lua state
  const b = new Benchmark({ fn, minSamples, maxTime, initCount: 1 });
  b.run({ async: false });
  // benchmark.js sets `error` (the thrown value, typed Error but any value can be thrown) when fn throws
  const err: unknown = b.error;
  if (err) return { error: String((err as Partial<Error>).message ?? err).split("\n")[0] };
  const ms = median(b.stats.sample);
  return { ms: ms === undefined ? undefined : ms * 1000, rme: b.stats.rme };
}

interface SeedReport {
  rows: SeedResult[];
  scale: SeedResult[];
  init: { coldLoadMs: number; coldInitMs: number; loadMs?: number; initMs?: number };
  memory: Array<{ label: string; value: string; target: string; seed: string }>;
  extAvailable: boolean;
}

async function runSeed(o: Options, progress: Progress): Promise<SeedReport> {
  const { LuaPersistent } = await import("../host/index.js");
  const now = () => performance.now();
  // Load and init: the first one (cold: read + compile + instantiate), then the median of 5 more.
  progress.status("seed: load and init");
  let t0 = now();
  const lua = new LuaPersistent();
  await lua.load();
  const coldLoadMs = now() - t0;
  t0 = now();
  lua.init();
  const coldInitMs = now() - t0;
  const loads: number[] = [],
    inits: number[] = [];
  for (let i = 0; i < 5; i++) {
    const l = new LuaPersistent();
    t0 = now();
    await l.load();
    loads.push(now() - t0);
    t0 = now();
    l.init();
    inits.push(now() - t0);
    l.close();
  }
  const init = { coldLoadMs, coldInitMs, loadMs: median(loads), initMs: median(inits) };

  const mem = () => lua.getMemoryStats();
  const initial = mem();
  const extAvailable = lua.eval(`return type(ext) == "table" and type(ext.table) == "function"`)?.value === true;
  const measure = (row: SeedRow): SeedResult => {
    const base = { id: row.id, label: row.label, target: row.target, seed: row.seed, iterations: row.iterations };
    if (row.ext && !extAvailable) return { ...base, na: "n/a (not implemented)" };
    if (row.setup && lua.eval(row.setup) === null) return { ...base, error: lua.getLastError() ?? "setup failed" };
    progress.status(`seed: ${row.label}`);
    const evals = row.evalsPerOp ?? 1;
    const r = benchmarkMs(() => {
      for (let i = 0; i < evals; i++)
        if (lua.eval(row.code) === null) throw new Error(lua.getLastError() ?? "eval failed");
    }, o.maxTime);
    const ms = r.ms === undefined ? undefined : r.ms / (row.opsPerEval ?? 1);
    const totalMs = ms === undefined ? undefined : ms * row.iterations;
    return { ...base, ...r, ms, totalMs, meetsTarget: meetsTarget(totalMs, row.target) };
  };
  const rows = EVAL_ROWS.filter((r) => matchesFilter(r.label, o.filters)).map(measure);
  const scale = SCALE_ROWS.filter((r) => matchesFilter(r.label, o.filters)).map(measure);

  // Memory: a fresh state, then the seed's steps, each as a delta of lua_memory_used.
  progress.status("seed: memory");
  const m = new LuaPersistent();
  await m.load();
  m.init();
  const used = () => m.getMemoryStats().lua_memory_used;
  const start = used();
  // Each step is measured between full collections: what the step leaves behind, not its garbage.
  const step = (code: string) => {
    m.collectGarbage();
    const b = used();
    m.eval(code);
    m.collectGarbage();
    return used() - b;
  };
  const sign = (n: number) => `${n >= 0 ? "+" : "-"}${formatBytes(Math.abs(n))}`;
  const ext100 = extAvailable
    ? step(`keep100 = ext.table() for i = 1, 100 do keep100["key_" .. i] = i end`)
    : undefined;
  const ext1000 = extAvailable
    ? step(`keep1000 = ext.table() for i = 1, 1000 do keep1000["key_" .. i] = i end`)
    : undefined;
  const out10k = step(SCALE_ROWS.find((r) => r.id === "out10k")!.code);
  const fullEval = step(
    readFileSync(join(ROOT, "bench/lua/json.lua"), "latin1").replace(/for round = 1, 20 do/, "for round = 1, 1 do"),
  );
  m.collectGarbage();
  const beforeEvals = used();
  for (let i = 0; i < 100; i++) m.eval(SCALE_ROWS.find((r) => r.id === "evals100")!.code);
  m.collectGarbage();
  const afterEvals = used();
  const st = m.getMemoryStats();
  const na = "n/a (not implemented)";
  const memory = [
    { label: "initial state (after init)", value: formatBytes(start), ...MEMORY_SEED.initial },
    {
      label: "+ 100 ext.table items (Lua heap only)",
      value: ext100 === undefined ? na : sign(ext100),
      ...MEMORY_SEED.ext100,
    },
    {
      label: "+ 1000 ext.table items (Lua heap only)",
      value: ext1000 === undefined ? na : sign(ext1000),
      ...MEMORY_SEED.ext1000,
    },
    { label: "+ 10KB output", value: sign(out10k), ...MEMORY_SEED.output10k },
    { label: "+ full code eval (json.lua, 1 round)", value: sign(fullEval), ...MEMORY_SEED.fullEval },
    {
      label: "100 sequential evals, after full GC",
      value: `${formatBytes(beforeEvals)} -> ${formatBytes(afterEvals)}`,
      target: "no leak",
      seed: "-",
    },
    { label: "total lua_memory_used now", value: formatBytes(st.lua_memory_used), ...MEMORY_SEED.typical },
    { label: "io_buffer_size", value: formatBytes(st.io_buffer_size), ...MEMORY_SEED.ioBuffer },
    { label: "wasm linear memory", value: `${st.wasm_pages} pages = ${formatBytes(st.total)}`, target: "-", seed: "-" },
    { label: "initial state (second instance)", value: formatBytes(initial.lua_memory_used), target: "-", seed: "-" },
  ];
  m.close();
  lua.close();
  return { rows, scale, init, memory, extAvailable };
}

export function renderSeed(r: SeedReport): string {
  const verdict = (x: SeedResult) =>
    x.meetsTarget === undefined ? "" : x.meetsTarget ? "meets target" : "over target";
  const evalRows = r.rows.map((x) => [
    x.label,
    x.na ?? (x.error ? "error" : formatOp(x.ms)),
    x.na || x.error ? "-" : `${formatOp(x.totalMs)} x${x.iterations}`,
    x.seed,
    x.target,
    x.error ?? (x.na ? "" : verdict(x)),
  ]);
  const scaleRows = r.scale.map((x) => [
    x.label,
    x.na ?? (x.error ? "error" : formatOp(x.ms)),
    x.seed,
    x.target,
    x.error ?? (x.na ? "" : verdict(x)),
  ]);
  const t = INIT_TARGETS;
  const i = r.init;
  const initRows = [
    ["load (read + compile + instantiate)", formatMs(i.coldLoadMs), formatMs(i.loadMs), t.load, "-"],
    ["init()", formatMs(i.coldInitMs), formatMs(i.initMs), t.init, "-"],
    ["total startup", formatMs(i.coldLoadMs + i.coldInitMs), formatMs((i.loadMs ?? 0) + (i.initMs ?? 0)), t.total, "-"],
  ];
  return [
    'Evaluation (LuaPersistent.eval, benchmark.js median per eval; total = per eval x the seed\'s iteration count; "per pair" rows: per operation of a 1000-operation loop)',
    renderTable(["operation", "lua-wasm/eval", "lua-wasm total", "seed measured", "seed target", "note"], evalRows),
    "",
    "Scalability (one eval each; the last row is 100 evals)",
    renderTable(["scenario", "lua-wasm", "seed measured", "seed target", "note"], scaleRows),
    "",
    "Initialization (cold = first in this process; warm = median of 5 more)",
    renderTable(["step", "cold", "warm", "seed target", "seed measured"], initRows),
    "",
    "Memory (getMemoryStats().lua_memory_used unless noted)",
    renderTable(
      ["measure", "lua-wasm", "seed target", "seed measured"],
      r.memory.map((m) => [m.label, m.value, m.target, m.seed]),
    ),
  ].join("\n");
}

// ==== Part 2: programs on every engine ====

export interface Cell {
  /** Median ms of the timed runs (for a process engine: minus the startup of an empty script). */
  ms?: number;
  rawMs?: number;
  samples?: number[];
  runs?: number;
  error?: string;
  output?: string;
  /** Output equal to the reference engine's (see referenceEngine). */
  outputOk?: boolean;
  /** lua-wasm+jit: what it compiled (see JitCell). */
  jit?: JitCell;
}

/**
 * What the JIT compiled for one program on one engine. In process the state is kept across runs,
 * so functions are compiled in the first (warm-up) run; a process engine compiles again every run.
 */
export interface JitCell {
  /** Functions compiled and the milliseconds compiling took: in the first run, and in all runs. */
  firstCompiles: number;
  firstCompileMs: number;
  compiles: number;
  compileMs: number;
  /** Milliseconds of the first run, and of all runs (warm-up included). */
  firstRunMs: number;
  runMs: number;
}

export interface ProgramRow {
  program: string;
  cells: Record<string, Cell>;
  ratios: Record<string, number | undefined>;
  notes: string[];
}

/** The engine whose output the others must equal: lua5.4, else wasmoon, else ours, else any that ran. */
export function referenceEngine(cells: Record<string, Cell>): string | undefined {
  for (const e of ["lua5.4", "wasmoon", OURS, ...Object.keys(cells)])
    if (cells[e] && cells[e].output !== undefined) return e;
  return undefined;
}

/** The first line where two outputs differ, for a note. */
export function firstDifference(want: string, got: string): string {
  const a = want.split("\n"),
    b = got.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}: expected ${JSON.stringify((a[i] ?? "<end>").slice(0, 60))}, got ${JSON.stringify((b[i] ?? "<end>").slice(0, 60))}`;
  }
  return "";
}

/**
 * Marks outputs against the reference and computes ours/peer ratios; a peer whose output differs
 * (or ours) gets no ratio, and a note says why.
 */
export function compareRow(program: string, cells: Record<string, Cell>, peers: string[], ours = OURS): ProgramRow {
  const notes: string[] = [];
  const ref = referenceEngine(cells);
  for (const [name, c] of Object.entries(cells)) {
    if (c.error !== undefined) {
      notes.push(`${name}: ${c.error}`);
      continue;
    }
    if (ref === undefined || c.output === undefined) continue;
    c.outputOk = c.output === cells[ref].output;
    if (!c.outputOk)
      notes.push(`${name}: output differs from ${ref} (${firstDifference(cells[ref].output!, c.output)})`);
  }
  const us = cells[ours];
  const ratios: Record<string, number | undefined> = {};
  for (const p of peers) {
    const c = cells[p];
    ratios[p] = us?.outputOk !== false && c?.outputOk !== false ? ratio(us?.ms, c?.ms) : undefined;
  }
  return { program, cells, ratios, notes };
}

/** Geometric mean of each peer's ratios over the programs where it has one. */
export function geomeans(rows: ProgramRow[], peers: string[]): Record<string, number | undefined> {
  return Object.fromEntries(peers.map((p) => [p, geomean(rows.map((r) => r.ratios[p]))]));
}

/**
 * Warm-up runs (the first one's output is kept), then the timed runs; N drops (not below 3) when
 * N runs would take longer than `budget` seconds, judging by the warm-up. `onRun` gets the time of
 * every run, warm-ups included. One engine of timeRunsInterleaved; a run that throws throws here.
 */
export function timeRuns(
  run: () => string,
  o: Pick<Options, "runs" | "warmup" | "budget">,
  onRun?: (ms: number) => void,
): Cell {
  const [cell] = timeRunsInterleaved([{ run, onRun }], o);
  if (cell.error !== undefined) throw new Error(cell.error);
  return cell;
}

/**
 * timeRuns for several engines at once, their runs interleaved: every engine's warm-ups, then
 * rounds in which each engine that still has timed runs to make runs once (each its own N, lowered
 * by the budget as timeRuns says), round r starting with engine r (mod their number), so that no
 * engine always runs right after the same other one. Times on a shared machine drift over seconds:
 * interleaved, a slow spell falls on every engine alike instead of on the one whose runs it met
 * (in process, one engine's runs after another's read the JIT 0.89-1.50x the interpreter on six
 * library-bound programs in two runs a few minutes apart; interleaved, 0.95-1.03x). A run that
 * throws ends that engine's runs: its result is the error.
 */
export function timeRunsInterleaved(
  engines: Array<{ run: () => string; onRun?: (ms: number) => void }>,
  o: Pick<Options, "runs" | "warmup" | "budget">,
): Array<Cell> {
  const state = engines.map(() => ({
    output: undefined as string | undefined,
    n: o.runs,
    samples: [] as number[],
    error: undefined as string | undefined,
  }));
  const timed = (k: number): number | undefined => {
    const t = performance.now();
    try {
      const out = engines[k].run();
      const ms = performance.now() - t;
      state[k].output ??= out;
      engines[k].onRun?.(ms);
      return ms;
    } catch (err) {
      state[k].error = errorText(err);
      return undefined;
    }
  };
  engines.forEach((_, k) => {
    let warmMs = 0;
    for (let i = 0; i < Math.max(1, o.warmup) && state[k].error === undefined; i++) warmMs = timed(k) ?? 0;
    if (o.warmup > 0 && warmMs * o.runs > o.budget * 1000)
      state[k].n = Math.min(o.runs, Math.max(3, Math.floor((o.budget * 1000) / warmMs)));
  });
  for (let round = 0; round < o.runs; round++) {
    for (let j = 0; j < engines.length; j++) {
      const k = (round + j) % engines.length;
      const st = state[k];
      if (st.error !== undefined || round >= st.n) continue;
      const ms = timed(k);
      if (ms !== undefined) st.samples.push(ms);
    }
  }
  return state.map((st) =>
    st.error !== undefined
      ? { error: st.error }
      : { ms: median(st.samples), rawMs: median(st.samples), samples: st.samples, runs: st.n, output: st.output },
  );
}

function listPrograms(dir: string, filters: string[]): Program[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".lua"))
    .sort()
    .filter((f) => matchesFilter(f, filters))
    .map((f) => ({ name: f, path: join(dir, f), source: readFileSync(join(dir, f)) }));
}

interface ProgramReport {
  engines: Array<{ name: string; description: string; available: boolean; reason?: string }>;
  rows: ProgramRow[];
  geomean: Record<string, number | undefined>;
  nativeStartupMs?: number;
  /** Whole processes: variables of this environment unset for the Node engines (peers.ts NODE_START_VARS). */
  unsetNodeVars?: string[];
  runs: number;
  /** The programs' directory. */
  dir?: string;
  /** "in process" (lua5.4's startup taken off) or "whole process" (--process: startup included). */
  mode?: string;
  /** The engine the ratios are for: lua-wasm, or lua-wasm+jit with --jit. */
  ours?: string;
}

/** The best of two runs of `p` on `engine` (ms, whole run), for --scale auto. */
async function oneRunMs(engine: Engine, p: Program): Promise<number> {
  const prep = await engine.prepare(p);
  try {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      prep.run();
      best = Math.min(best, performance.now() - t);
    }
    return Math.max(0.001, best);
  } finally {
    prep.close();
  }
}

/** What one run lasts at least on lua5.4 with --scale auto. */
const SCALE_TARGET_MS = 500;

/**
 * --scale auto: the N that makes `p` run N times take at least SCALE_TARGET_MS on lua5.4. Sized
 * from one run, then checked on the scaled program itself and raised until it holds: a run slowed
 * by a busy moment during sizing would otherwise leave N too small for every later run.
 */
async function autoScale(reference: Engine, p: Program, dir: string): Promise<number> {
  let n = Math.min(1000, Math.max(1, Math.ceil(SCALE_TARGET_MS / (await oneRunMs(reference, p)))));
  for (let tries = 0; tries < 4 && n < 1000; tries++) {
    const ms = await oneRunMs(reference, n === 1 ? p : scaledProgram(p, n, dir));
    if (ms >= SCALE_TARGET_MS) break;
    n = Math.min(1000, Math.max(n + 1, Math.ceil((n * SCALE_TARGET_MS) / ms)));
  }
  return n;
}

/**
 * `p` run `n` times: its chunk as a function called in a loop (on the chunk's first line, so line
 * numbers in messages stay), written to `dir`. Each call starts with fresh locals, as a new run would.
 */
export function scaledProgram(p: Program, n: number, dir: string): Program {
  const source = Buffer.concat([
    Buffer.from(`for __rep = 1, ${n} do (function (...) `),
    p.source,
    Buffer.from(`\nend)() end\n`),
  ]);
  const path = join(dir, p.name);
  writeFileSync(path, source);
  return { name: p.name, path, source };
}

/**
 * `p` timed on the engines of `group`, their runs interleaved (timeRunsInterleaved; one engine:
 * timeRuns), each prepared first and closed after. In-process reports compare execution, so a
 * process engine's startup (lua5.4's empty script) is taken off its runs there.
 */
async function measure(
  group: Engine[],
  p: Program,
  o: Options,
  nativeStartupMs: number | undefined,
): Promise<Array<[Engine, Cell]>> {
  const cells: Array<[Engine, Cell]> = [];
  const preps: Array<{ e: Engine; prep: Prepared; jit?: JitCell }> = [];
  try {
    for (const e of group) {
      try {
        preps.push({ e, prep: await e.prepare(p) });
      } catch (err) {
        cells.push([e, { error: errorText(err) }]);
      }
    }
    const timed = timeRunsInterleaved(
      preps.map((x) => {
        const stats = x.prep.jitStats?.bind(x.prep);
        return { run: () => x.prep.run(), onRun: stats && ((ms: number) => (x.jit = jitRun(x.jit, ms, stats()))) };
      }),
      o,
    );
    preps.forEach((x, k) => {
      const cell = timed[k];
      if (x.jit && !cell.error) cell.jit = x.jit;
      if (!o.processes && x.e.mode === "process" && nativeStartupMs !== undefined && cell.ms !== undefined)
        cell.ms = Math.max(0.001, cell.ms - nativeStartupMs);
      cells.push([x.e, cell]);
    });
  } finally {
    for (const x of preps) x.prep.close();
  }
  return cells;
}

/** The first line of an error's message, at most 200 characters (a cell's error). */
function errorText(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split("\n")[0]
    .slice(0, 200);
}

async function runPrograms(o: Options, progress: Progress): Promise<ProgramReport> {
  setKeepNodeEnv(o.keepNodeEnv);
  const jit = o.jit ? { threshold: o.jitThreshold ?? undefined } : undefined;
  const engines = (o.processes ? processEngines(jit) : allEngines(jit)).filter(
    (e) => o.engines === null || o.engines.includes(e.name),
  );
  const ours = o.jit ? JIT_ENGINE : OURS;
  const available: Engine[] = [];
  const info: ProgramReport["engines"] = [];
  for (const e of engines) {
    progress.status(`programs: probing ${e.name}`);
    const reason = await e.probe();
    info.push({ name: e.name, description: e.describe(), available: reason === null, ...(reason ? { reason } : {}) });
    if (reason === null) available.push(e);
    else progress.line(`bench: ${e.name} is not available: ${reason}`);
  }
  // Startup of a process engine: the median time of an empty script, subtracted from its runs.
  let nativeStartupMs: number | undefined;
  const native = available.find((e) => e.name === "lua5.4");
  if (native) {
    const dir = mkdtempSync(join(tmpdir(), "lua-bench-"));
    try {
      const empty = join(dir, "empty.lua");
      writeFileSync(empty, "");
      const prep = await native.prepare({ name: "empty.lua", path: empty, source: Buffer.alloc(0) });
      nativeStartupMs = timeRuns(() => prep.run(), { runs: Math.max(5, o.runs), warmup: 1, budget: 60 }).ms;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  let programs = listPrograms(o.dir, o.filters);
  const scales = new Map<string, number>();
  const scaledDir = o.scale === null ? null : mkdtempSync(join(tmpdir(), "lua-bench-scaled-"));
  if (o.scale !== null) {
    const reference = available.find((e) => e.name === "lua5.4");
    if (o.scale === "auto" && !reference) progress.line("bench: --scale auto needs lua5.4; running each program once");
    const scaled: Program[] = [];
    for (const p of programs) {
      let n = typeof o.scale === "number" ? o.scale : 1;
      if (o.scale === "auto" && reference) {
        progress.status(`programs: sizing ${p.name} on lua5.4`);
        n = await autoScale(reference, p, scaledDir!);
      }
      scales.set(p.name, n);
      scaled.push(n === 1 ? p : scaledProgram(p, n, scaledDir!));
    }
    programs = scaled;
  }
  const peers = engines.map((e) => e.name).filter((n) => n !== ours);
  const rows: ProgramRow[] = [];
  let step = 0;
  const steps = programs.length * available.length;
  for (const p of programs) {
    const cells: Record<string, Cell> = {};
    for (const e of engines) {
      if (!available.includes(e))
        cells[e.name] = { error: "n/a: " + (info.find((i) => i.name === e.name)?.reason ?? "missing") };
    }
    const report = (e: Engine, cell: Cell): void => {
      cells[e.name] = cell;
      progress.line(
        `bench: [${++step}/${steps}] ${p.name} on ${e.name}: ${cell.error ? "error: " + cell.error : `${formatMs(cell.ms)} (median of ${cell.runs})`}`,
      );
    };
    // the engines' runs alternate, in process as in whole processes (timeRunsInterleaved)
    progress.status(`[${step + 1}/${steps}] ${p.name} on ${available.map((e) => e.name).join(", ")}...`);
    for (const [e, cell] of await measure(available, p, o, nativeStartupMs)) report(e, cell);
    const row = compareRow(p.name, cells, peers, ours);
    if ((scales.get(p.name) ?? 1) > 1) row.notes.unshift(`run ${scales.get(p.name)} times`);
    rows.push(row);
  }
  if (scaledDir) rmSync(scaledDir, { recursive: true, force: true });
  return {
    engines: info,
    rows,
    geomean: geomeans(rows, peers),
    nativeStartupMs,
    ...(o.processes ? { unsetNodeVars: unsetNodeVars() } : {}),
    runs: o.runs,
    dir: o.dir,
    mode: o.processes ? "whole process" : "in process",
    ours,
  };
}

/** The JIT figures after one more run of `ms` milliseconds, given the cumulative stats after it. */
export function jitRun(prev: JitCell | undefined, ms: number, s: JitStats): JitCell {
  if (!prev)
    return {
      firstCompiles: s.compiles,
      firstCompileMs: s.ms,
      compiles: s.compiles,
      compileMs: s.ms,
      firstRunMs: ms,
      runMs: ms,
    };
  return { ...prev, compiles: s.compiles, compileMs: s.ms, runMs: prev.runMs + ms };
}

/**
 * The JIT table: per program, the functions compiled in the first run, the compile time per
 * function, and the share of run time spent compiling in the first run and over all runs.
 */
export function renderJit(r: ProgramReport): string {
  const name = r.ours ?? JIT_ENGINE;
  const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : "-");
  const each = (ms: number, n: number) => (n > 0 ? `${(ms / n).toFixed(3)} ms` : "-");
  const cells = r.rows.map((row) => [row.program, row.cells[name]?.jit] as const);
  const rows = cells.map(([program, j]) =>
    j === undefined
      ? [program, "-", "-", "-", "-", "-"]
      : [
          program,
          String(j.firstCompiles),
          formatMs(j.firstCompileMs),
          each(j.compileMs, j.compiles),
          pct(j.firstCompileMs, j.firstRunMs),
          pct(j.compileMs, j.runMs),
        ],
  );
  const all = cells.flatMap(([, j]) => (j ? [j] : []));
  const sum = (f: (j: JitCell) => number) => all.reduce((a, j) => a + f(j), 0);
  rows.push([
    "all",
    String(sum((j) => j.firstCompiles)),
    formatMs(sum((j) => j.firstCompileMs)),
    each(
      sum((j) => j.compileMs),
      sum((j) => j.compiles),
    ),
    pct(
      sum((j) => j.firstCompileMs),
      sum((j) => j.firstRunMs),
    ),
    pct(
      sum((j) => j.compileMs),
      sum((j) => j.runMs),
    ),
  ]);
  const where =
    r.mode === "whole process"
      ? "every run is a new process and compiles again"
      : "the state is kept across runs, so functions are compiled in the first (warm-up) run";
  return [
    `JIT (${name}): functions compiled and time compiling (writing the module + V8's compile and instantiation); ${where}`,
    renderTable(["program", "compiled", "compile time", "per function", "share of 1st run", "share of all runs"], rows),
  ].join("\n");
}

export function renderPrograms(r: ProgramReport): string {
  const names = r.engines.map((e) => e.name);
  const ours = r.ours ?? OURS;
  const peers = names.filter((n) => n !== ours);
  const cellText = (c: Cell | undefined) =>
    c === undefined
      ? "-"
      : c.error !== undefined
        ? c.error.startsWith("n/a")
          ? "n/a"
          : "error"
        : formatMs(c.ms) + (c.outputOk === false ? "*" : "");
  const rows = r.rows.map((row) => [
    row.program,
    ...names.map((n) => cellText(row.cells[n])),
    ...peers.map((p) => formatRatio(row.ratios[p])),
    row.notes.join("; "),
  ]);
  rows.push([
    "geomean",
    ...names.map(() => ""),
    ...peers.map((p) => formatRatio(r.geomean[p])),
    "of the programs with a ratio",
  ]);
  const header = ["program", ...names, ...peers.map((p) => `/${p}`), "note"];
  const lines = [
    `Programs (${relative(ROOT, r.dir ?? join(ROOT, "bench/lua"))}): median of ${r.runs} runs after warm-up; ratio = ${ours} time / peer time (< 1: ${ours} faster); * = output differs`,
    ...r.engines.map((e) => `  ${e.name}: ${e.description}${e.available ? "" : ` -- not available: ${e.reason}`}`),
  ];
  if (r.mode === "whole process")
    lines.push(
      `  whole processes, startup included (an empty lua5.4 script takes ${formatMs(r.nativeStartupMs)}); the engines' runs alternate`,
    );
  else {
    if (r.nativeStartupMs !== undefined)
      lines.push(
        `  lua5.4 times are per process minus the startup of an empty script (${formatMs(r.nativeStartupMs)})`,
      );
    lines.push("  the engines' runs alternate");
  }
  if (r.unsetNodeVars?.length)
    lines.push(
      `  Node engines run without ${r.unsetNodeVars.join(", ")} (set here: each Node process would read that certificate bundle at start; --keep-node-env keeps it)`,
    );
  lines.push(renderTable(header, rows));
  if (r.rows.some((row) => row.cells[ours]?.jit)) lines.push("", renderJit(r));
  return lines.join("\n");
}

// ==== main ====

export async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (o.noLiftoff) v8.setFlagsFromString("--no-liftoff"); // before any module is compiled
  const progress = new Progress();
  const m = machine();
  console.log(`lua-wasm benchmarks - ${m.date}`);
  console.log(
    `machine: ${m.cpu}, nproc ${m.nproc}, node ${m.node}, ${m.platform}${o.noLiftoff ? ", V8 --no-liftoff" : ""}`,
  );
  const report: Record<string, unknown> = { machine: m, options: { ...o, svg: o.svg && basename(o.svg) } };
  if (o.only !== "programs") {
    const seed = await runSeed(o, progress);
    progress.clear();
    console.log("\n" + renderSeed(seed));
    report.seed = seed;
  }
  if (o.only !== "seed") {
    const programs = await runPrograms(o, progress);
    progress.clear();
    console.log("\n" + renderPrograms(programs));
    report.programs = {
      ...programs,
      rows: programs.rows.map((r) => ({
        ...r,
        cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, { ...c, output: undefined }])),
      })),
    };
    if (o.svg && programs.rows.length > 0) {
      const ours = programs.ours ?? OURS;
      const peers = programs.engines.map((e) => e.name).filter((n) => n !== ours);
      const chart = [
        ...programs.rows.map((r) => ({ program: r.program.replace(/\.lua$/, ""), ratios: r.ratios })),
        { program: "geomean", ratios: programs.geomean },
      ];
      mkdirSync(dirname(resolve(o.svg)), { recursive: true });
      writeFileSync(
        o.svg,
        ratioChart(chart, peers, `${ours} vs peers - ${m.cpu}, ${m.nproc} cores, node ${m.node}`, ours),
      );
      console.log(`\nchart: ${resolve(o.svg).replace(ROOT + "/", "")}`);
    }
  }
  if (o.json) {
    mkdirSync(dirname(resolve(o.json)), { recursive: true });
    writeFileSync(o.json, JSON.stringify(report, (_k, v) => (v === undefined ? null : v), 2) + "\n");
    console.log(`json: ${o.json}`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
