// conformance.mjs - the conformance runner: runs a directory of Lua test files (the official Lua 5.4
// suite, lua/testes, or our own spec/conformance) the way the suite's all.lua expects, one fresh Node
// process per file (spec/conformance-worker.mjs, cwd = the directory), and prints one line per file:
//   PASS|FAIL|TIMEOUT|SKIP  <file>  <seconds>  <first error line with its position | skip reason>
// then "N skipped, N timed out" and the closing line "N passed, N failed" (timeouts count as failed).
//   lua-wasm-conformance DIR [file...] [--json out.json] [--timeout S] [--jobs N] [--tier1] [--hard]
//                        [--skip-list F | --no-skip] [--wasm PATH] [--max-output BYTES] [--quiet]
//                        [--jit | --jit-stress N]
// --hard is the suite's non-portable hard mode (_port = false, _soft = false) with the lua-wasm
// CLI's process grants and the CLI (bin/lua.js) as the interpreter the tests start; the blocks of
// the skip list's "hard" section (code that cannot run here, e.g. loading a C library) are cut out
// of their file, line numbers kept, and each cut is named on the file's result line.
// --jit runs every file with the baseline JIT on at threshold 0 (each function compiled at its first
// call or loop; the CLIs hard mode starts get LUA_WASM_JIT=1 LUA_WASM_JIT_THRESHOLD=0), --jit-stress N
// also makes compiled code exit to the interpreter every N instructions; the closing lines then say
// how many functions were compiled.
// Invariants: a file that hangs, floods its output, crashes its process or is missing is reported on
// its own line and the run goes on; the exit status is 0 only if nothing failed; a block to cut that
// is not found verbatim fails its file. A file passes when
// it runs to the end without error and its returned value satisfies all.lua's check for it
// (EXPECTED_RETURNS), or, for any other file, is not `false`.

import { fork } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..");
const WORKER = join(HERE, "conformance-worker.mjs");
export const DEFAULT_SKIP_LIST = join(HERE, "conformance-skip.json");

/** The official suite's first tier: the files docs/CONFORMANCE.md tracks one by one. */
export const TIER_ONE = [
  "bitwise.lua",
  "closure.lua",
  "constructs.lua",
  "events.lua",
  "goto.lua",
  "literals.lua",
  "math.lua",
  "nextvar.lua",
  "pm.lua",
  "sort.lua",
  "strings.lua",
  "tpack.lua",
  "utf8.lua",
  "vararg.lua",
];

/**
 * What all.lua checks about the value each file returns (testes/all.lua, 5.4.8):
 *   assert(dofile('calls.lua') == deep and deep), assert(dofile('attrib.lua') == 27),
 *   assert(dofile('locals.lua') == 5), assert(dofile('events.lua') == 12),
 *   assert(dofile('verybig.lua', true) == 10)
 * and, when _soft is false, it runs big.lua in a coroutine: local f = coroutine.wrap(loadfile(
 * 'big.lua')); assert(f() == 'b'); assert(f() == 'a') (`yields`: the values of the resumes).
 */
export const EXPECTED_RETURNS = {
  "attrib.lua": { value: 27 },
  "calls.lua": { global: "deep" },
  "events.lua": { value: 12 },
  "locals.lua": { value: 5 },
  "verybig.lua": { value: 10 },
  "big.lua": { yields: ["b", "a"] },
};

export class UsageError extends Error {}

export const USAGE = `usage: lua-wasm-conformance DIR [file...] [options]
  DIR               directory of Lua test files (e.g. lua/testes from the lua/lua repository, tag v5.4.8)
  file...           only these files of DIR (name or name.lua); default: every *.lua in DIR
  --tier1           only the tier-one files (${TIER_ONE.map((f) => f.slice(0, -4)).join(", ")})
  --hard            non-portable hard mode: _port = false, _soft = false, the CLI's process grants
                    (os.execute, io.popen, os.exit), arg[-1] = bin/lua.js; cuts the skip list's
                    "hard" blocks out of their files
  --json FILE       also write the results as JSON
  --timeout S       seconds per file before it is killed (default 120)
  --jobs N          files run in parallel (default: number of CPUs, at most 4)
  --skip-list FILE  JSON {"skip": {"file.lua": "reason"}, "hard": {"file.lua": [{from, to, reason}]}}
                    (default spec/conformance-skip.json)
  --no-skip         run the files of the skip list too
  --wasm PATH       the module to test (default build/lua.wasm)
  --max-output N    bytes of output a file may print before it is stopped (default 4194304)
  --quiet           no progress line, only results
  --jit             the baseline JIT on at threshold 0: every function compiled at its first call or loop
  --jit-stress N    as --jit, and compiled code exits to the interpreter every N instructions
`;

// ==== Command line ====

/**
 * Parses the command line (without node and the script).
 * @param {string[]} argv
 */
export function parseArgs(argv) {
  const o = {
    dir: /** @type {string | null} */ (null),
    files: /** @type {string[]} */ ([]),
    json: /** @type {string | null} */ (null),
    timeout: 120,
    jobs: Math.max(1, Math.min(4, availableParallelism())),
    skipList: DEFAULT_SKIP_LIST,
    noSkip: false,
    tier1: false,
    hard: false,
    wasm: /** @type {string | null} */ (null),
    maxOutput: 4 << 20,
    quiet: false,
    help: false,
    /** JIT threshold (0 with --jit), or null: the JIT off (the library's default). */
    jit: /** @type {number | null} */ (null),
    /** Exit to the interpreter every N instructions of compiled code (0: no stress). */
    jitStress: 0,
  };
  const value = (i, flag) => {
    if (i >= argv.length || argv[i].startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  const positive = (s, flag) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number, got '${s}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") o.json = value(++i, a);
    else if (a === "--timeout") o.timeout = positive(value(++i, a), a);
    else if (a === "--jobs" || a === "-j") o.jobs = Math.floor(positive(value(++i, a), a));
    else if (a === "--skip-list") o.skipList = value(++i, a);
    else if (a === "--no-skip") o.noSkip = true;
    else if (a === "--tier1") o.tier1 = true;
    else if (a === "--hard") o.hard = true;
    else if (a === "--wasm") o.wasm = value(++i, a);
    else if (a === "--max-output") o.maxOutput = Math.floor(positive(value(++i, a), a));
    else if (a === "--quiet" || a === "-q") o.quiet = true;
    else if (a === "--jit") o.jit = 0;
    else if (a === "--jit-stress") {
      o.jit = 0;
      o.jitStress = Math.floor(positive(value(++i, a), a));
    } else if (a === "--help" || a === "-h") o.help = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option '${a}'`);
    else if (o.dir === null) o.dir = a;
    else o.files.push(a);
  }
  if (o.dir === null && !o.help) throw new UsageError("missing DIR");
  return o;
}

/**
 * Reads a skip list: {"skip": {"file.lua": "reason"}, "skipPortable": {...}} → Map; a missing file
 * is an empty list. The skipPortable files are skipped only outside hard mode.
 */
export function readSkipList(path, hard = false) {
  if (!path || !existsSync(path)) return new Map();
  const j = JSON.parse(readFileSync(path, "utf8"));
  const entries = Object.entries({ ...j.skip, ...(hard ? {} : j.skipPortable) });
  return new Map(entries.map(([k, v]) => [k, String(v)]));
}

/**
 * The hard-mode cuts of a skip list: {"hard": {"file.lua": [{"from", "to", "reason"}]}} → Map of
 * file → blocks (from the first line of `from` to the end of `to`, both verbatim in the file).
 */
export function readHardBlocks(path) {
  if (!path || !existsSync(path)) return new Map();
  const j = JSON.parse(readFileSync(path, "utf8"));
  return new Map(
    Object.entries(j.hard ?? {}).map(([k, v]) => [
      k,
      v.map((b) => ({ from: String(b.from), to: String(b.to), reason: String(b.reason) })),
    ]),
  );
}

/**
 * Cuts each block (from the line where `from` starts to the end of `to`) out of the source, keeping
 * its newlines so later lines keep their numbers. Throws if a block is not there verbatim.
 */
export function cutBlocks(source, cuts) {
  let text = source.toString("latin1");
  for (const c of cuts) {
    const at = text.indexOf(c.from);
    const end = at < 0 ? -1 : text.indexOf(c.to, at);
    if (end < 0) throw new Error(`hard mode: the block to cut (${c.reason}) is not in the file`);
    const start = text.lastIndexOf("\n", at) + 1;
    const stop = end + c.to.length;
    text = text.slice(0, start) + text.slice(start, stop).replace(/[^\n]/g, "") + text.slice(stop);
  }
  return Buffer.from(text, "latin1");
}

/**
 * The files to run: named ones (with ".lua" added when missing, kept even if absent so they are
 * reported) or every *.lua of dir, sorted; --tier1 keeps the tier-one files.
 */
export function selectFiles(dir, names, tier1) {
  const all = readdirSync(dir)
    .filter((f) => f.endsWith(".lua") && statSync(join(dir, f)).isFile())
    .sort();
  let files = names.length > 0 ? names.map((n) => (n.endsWith(".lua") ? n : n + ".lua")) : all;
  if (tier1) files = names.length > 0 ? files.filter((f) => TIER_ONE.includes(f)) : TIER_ONE.slice();
  return [...new Set(files)];
}

// ==== Classification ====

/** "file.lua:12: msg" style position at the start of a message. */
const POSITION = /^[^\s:][^:\n]*:\d+:/;

/**
 * The first line of an error message; when it carries no "file:line:" position, the first Lua
 * position of the traceback is appended as "(at file:line)"; when it was raised inside a function
 * other than the main chunk, the caller's position is appended as "(called from file:line)".
 */
export function firstErrorLine(message, traceback = "") {
  const first = String(message ?? "").split("\n")[0];
  const frames = []; // Lua positions of the traceback, innermost first
  for (const line of String(traceback).split("\n")) {
    const m = /^\s*([^\s[][^:]*:\d+): in (.*)$/.exec(line);
    if (m) frames.push({ pos: m[1], main: m[2] === "main chunk" });
  }
  const at = POSITION.exec(first)?.[0].slice(0, -1);
  if (at === undefined) return frames.length ? `${first} (at ${frames[0].pos})` : first;
  // An assertion inside a helper: name the caller too, e.g. "utf8.lua:13: ... (called from utf8.lua:116)".
  if (frames.length > 1 && frames[0].pos === at && !frames[0].main) return `${first} (called from ${frames[1].pos})`;
  return first;
}

/** How a returned value reads in a message. */
function show(d) {
  if (!d || d.type === "nil") return "nil";
  if (d.type === "string") return JSON.stringify(d.value);
  if ("value" in d) return String(d.text ?? d.value);
  return d.text ?? d.type;
}

function sameValue(d, expected) {
  return d !== undefined && d.type !== "nil" && d.value === expected;
}

/**
 * Turns what happened to one file into PASS/FAIL/TIMEOUT and its first error line.
 * outcome: {kind:"result", ok, values, globals, error} | {kind:"timeout", seconds}
 *        | {kind:"flood", bytes} | {kind:"crash", code, signal, stderr} | {kind:"missing"}
 * @returns {{status: "PASS"|"FAIL"|"TIMEOUT", error: string | null}}
 */
export function classify(outcome, file) {
  switch (outcome.kind) {
    case "timeout":
      return { status: "TIMEOUT", error: `no result after ${outcome.seconds} s` };
    case "flood":
      return { status: "FAIL", error: `output flood: more than ${outcome.bytes} bytes, stopped` };
    case "missing":
      return { status: "FAIL", error: `cannot open ${file}: no such file` };
    case "crash": {
      const last = String(outcome.stderr ?? "")
        .trim()
        .split("\n")
        .filter(Boolean);
      const why = outcome.signal ? `signal ${outcome.signal}` : `exit ${outcome.code}`;
      return {
        status: "FAIL",
        error: `process died (${why})${last.length ? ": " + last[last.length - 1].slice(0, 300) : ""}`,
      };
    }
    case "result": {
      if (!outcome.ok)
        return { status: "FAIL", error: firstErrorLine(outcome.error?.message, outcome.error?.traceback) };
      const first = outcome.values?.[0];
      const want = EXPECTED_RETURNS[basename(file)];
      if (want && "value" in want && !sameValue(first, want.value)) {
        return { status: "FAIL", error: `returned ${show(first)}, all.lua expects ${want.value}` };
      }
      if (want && "global" in want) {
        const g = outcome.globals?.[want.global];
        const truthy = g && g.type !== "nil" && !(g.type === "boolean" && g.value === false);
        if (!truthy || !first || first.type !== g.type || (first.value ?? first.text) !== (g.value ?? g.text)) {
          return {
            status: "FAIL",
            error: `returned ${show(first)}, all.lua expects the value of global '${want.global}' (${show(g)})`,
          };
        }
      }
      if (want && "yields" in want) {
        for (let i = 0; i < want.yields.length; i++) {
          const got = outcome.values?.[i];
          if (!sameValue(got, want.yields[i]))
            return { status: "FAIL", error: `resume ${i + 1} gave ${show(got)}, all.lua expects "${want.yields[i]}"` };
        }
      }
      if (!want && first && first.type === "boolean" && first.value === false)
        return { status: "FAIL", error: "returned false" };
      return { status: "PASS", error: null };
    }
    default:
      return { status: "FAIL", error: `unknown outcome ${JSON.stringify(outcome)}` };
  }
}

// ==== Reporting ====

/** One result line: status, file, seconds, then the error or skip reason. */
export function formatLine(r, width = 16) {
  const secs = r.status === "SKIP" ? "-" : `${r.seconds.toFixed(2)}s`;
  const detail = r.status === "SKIP" ? r.reason : [r.error, r.note].filter(Boolean).join(" ");
  return `${r.status.padEnd(7)} ${r.file.padEnd(width)} ${secs.padStart(8)}${detail ? "  " + detail : ""}`.trimEnd();
}

/** Counts: failed includes timeouts (they are failures), skipped files count in neither. */
export function summarize(results) {
  const s = { total: results.length, passed: 0, failed: 0, timedOut: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === "PASS") s.passed++;
    else if (r.status === "SKIP") s.skipped++;
    else {
      s.failed++;
      if (r.status === "TIMEOUT") s.timedOut++;
    }
  }
  return s;
}

/** The closing lines; the last one is exactly "N passed, N failed" (scripts/test.mjs parses it). */
export function summaryLines(s) {
  return [
    `${s.skipped} skipped, ${s.timedOut} timed out (of ${s.total} files)`,
    ...(s.jit ? [jitLine(s.jit)] : []),
    `${s.passed} passed, ${s.failed} failed`,
  ];
}

/** Under --jit: "jit: threshold 0, stress 3: 1234 functions compiled (2100 ms compiling) in 28 files". */
export function jitLine(j) {
  const stress = j.stress > 0 ? `, stress ${j.stress}` : "";
  const plural = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  return `jit: threshold ${j.threshold}${stress}: ${plural(j.compiles, "function")} compiled (${j.ms.toFixed(0)} ms compiling) in ${plural(j.files, "file")}`;
}

/** The JSON report: machine, options and one entry per file, sorted by file name. */
export function jsonReport(run, results) {
  return {
    tool: "lua-wasm-conformance",
    date: run.date,
    dir: run.dir,
    wasm: run.wasm,
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    nproc: availableParallelism(),
    timeoutSeconds: run.timeout,
    summary: summarize(results),
    files: [...results]
      .sort((a, b) => a.file.localeCompare(b.file))
      .map((r) => ({
        file: r.file,
        status: r.status,
        seconds: Number(r.seconds.toFixed(3)),
        ...(r.error ? { error: r.error } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.note ? { note: r.note } : {}),
        ...(r.outputTail ? { outputTail: r.outputTail } : {}),
      })),
  };
}

// ==== Running one file ====

/**
 * Runs dir/file in a worker process; resolves to {outcome, seconds, outputTail}. Never rejects.
 * opts: {timeout (s), maxOutput (bytes), wasm, hard (bool), cuts ([{from, to, reason}] for hard mode),
 * jit (threshold, or null: off), jitStress (N, 0: off)}
 */
export function runFile(dir, file, opts) {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  if (!existsSync(join(dir, file)))
    return Promise.resolve({ outcome: { kind: "missing" }, seconds: 0, outputTail: "" });
  const args = [file];
  if (opts.wasm) args.push("--wasm", resolve(opts.wasm));
  const want = EXPECTED_RETURNS[basename(file)];
  if (want && "global" in want) args.push("--global", want.global);
  if (want && "yields" in want) args.push("--resumes", String(want.yields.length));
  if (opts.hard) args.push("--hard", JSON.stringify(opts.cuts ?? []));
  if (opts.jit !== null && opts.jit !== undefined) args.push("--jit", String(opts.jit), String(opts.jitStress ?? 0));
  return new Promise((done) => {
    // hard mode starts commands, some in the background: the worker leads its own process group, so
    // they go with it at the end and cannot keep its pipes open
    const child = fork(WORKER, args, {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      execArgv: [],
      detached: Boolean(opts.hard),
    });
    let tail = "",
      stderr = "",
      bytes = 0,
      message = null,
      settled = false;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (opts.hard) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // the group is gone already
        }
      } else if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      done({ outcome, seconds: message?.seconds ?? elapsed(), outputTail: tail.slice(-2000) });
    };
    const count = (d) => {
      bytes += d.length;
      tail = (tail + d.toString("latin1")).slice(-4000);
      if (bytes > opts.maxOutput) finish({ kind: "flood", bytes: opts.maxOutput });
    };
    const timer = setTimeout(() => finish({ kind: "timeout", seconds: opts.timeout }), opts.timeout * 1000);
    child.stdout.on("data", count);
    child.stderr.on("data", (d) => {
      count(d);
      stderr = (stderr + d).slice(-4000);
    });
    child.on("message", (m) => {
      message = m;
    });
    child.on("error", (e) => finish({ kind: "crash", code: null, signal: null, stderr: String(e) }));
    child.on("close", (code, signal) => {
      if (message) finish({ kind: "result", ...message });
      else finish({ kind: "crash", code, signal, stderr });
    });
    // a background command may hold the pipes after the worker is gone: give them a second
    child.on("exit", (code, signal) =>
      setTimeout(
        () => finish(message ? { kind: "result", ...message } : { kind: "crash", code, signal, stderr }),
        1000,
      ),
    );
  });
}

// ==== Progress ====

/** A one-line status on a TTY ("[3/30] 2 running: a.lua, b.lua"), erased before each result line. */
class Progress {
  constructor(total, enabled) {
    this.total = total;
    this.done = 0;
    this.running = new Set();
    this.enabled = enabled;
    this.shown = false;
  }
  start(f) {
    this.running.add(f);
    this.draw();
  }
  end(f) {
    this.running.delete(f);
    this.done++;
  }
  clear() {
    if (this.shown) {
      process.stderr.write("\r\x1b[2K");
      this.shown = false;
    }
  }
  draw() {
    if (!this.enabled) return;
    this.clear();
    process.stderr.write(
      `[${this.done}/${this.total}] running: ${[...this.running].join(", ")}`.slice(
        0,
        (process.stderr.columns ?? 100) - 1,
      ),
    );
    this.shown = true;
  }
}

// ==== main ====

/**
 * Runs the command line; resolves to the exit status (0 all passed, 1 something failed, 2 usage).
 * `log` receives each output line (default console.log).
 */
export async function main(argv, log = (s) => console.log(s)) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`lua-wasm-conformance: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    log(USAGE.trimEnd());
    return 0;
  }
  const dir = resolve(o.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    log(`FAIL    ${o.dir}  not a directory`);
    for (const l of summaryLines({ total: 0, passed: 0, failed: 1, timedOut: 0, skipped: 0 })) log(l);
    return 1;
  }
  const files = selectFiles(dir, o.files, o.tier1);
  const skips = o.noSkip ? new Map() : readSkipList(o.skipList, o.hard);
  const hardBlocks = o.hard && !o.noSkip ? readHardBlocks(o.skipList) : new Map();
  const wasm = o.wasm ?? (process.env.LUA_WASM || join(ROOT, "build/lua.wasm"));
  /** Under --jit: what the files compiled, for the closing lines. */
  const jit = o.jit === null ? null : { threshold: o.jit, stress: o.jitStress, compiles: 0, ms: 0, files: 0 };
  if (files.length === 0) {
    log(`FAIL    ${o.dir}  no .lua files to run`);
    for (const l of summaryLines({ total: 0, passed: 0, failed: 1, timedOut: 0, skipped: 0 })) log(l);
    return 1;
  }
  if (!existsSync(join(ROOT, "dist/host/index.js")))
    log("warning: dist/host/index.js is missing: run npm run build first");
  const width = Math.max(16, ...files.map((f) => f.length));
  const progress = new Progress(files.length, !o.quiet && Boolean(process.stderr.isTTY));
  if (!o.quiet)
    log(
      `conformance: ${files.length} files from ${o.dir}${o.hard ? " in hard mode" : ""}, ${o.jobs} at a time, ${o.timeout} s each, module ${wasm.replace(ROOT + "/", "")}${jit ? `, JIT at threshold ${jit.threshold}${jit.stress ? ` with stress ${jit.stress}` : ""}` : ""}`,
    );
  const results = [];
  const emit = (r) => {
    progress.clear();
    results.push(r);
    log(formatLine(r, width));
    progress.draw();
  };
  const queue = [];
  for (const file of files) {
    if (skips.has(file)) emit({ file, status: "SKIP", seconds: 0, reason: skips.get(file), error: null });
    else queue.push(file);
  }
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      progress.start(file);
      const cuts = hardBlocks.get(file) ?? [];
      const { outcome, seconds, outputTail } = await runFile(dir, file, {
        timeout: o.timeout,
        maxOutput: o.maxOutput,
        wasm,
        hard: o.hard,
        cuts,
        jit: o.jit,
        jitStress: o.jitStress,
      });
      if (jit && outcome.kind === "result" && outcome.jit) {
        jit.compiles += outcome.jit.compiles;
        jit.ms += outcome.jit.ms;
        if (outcome.jit.compiles > 0) jit.files++;
      }
      progress.end(file);
      const { status, error } = classify(outcome, file);
      const note = cuts.length ? cuts.map((c) => `(cut in hard mode: ${c.reason})`).join(" ") : undefined;
      emit({
        file,
        status,
        seconds,
        error,
        ...(note ? { note } : {}),
        ...(status !== "PASS" && outputTail ? { outputTail } : {}),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.jobs, Math.max(1, queue.length)) }, worker));
  progress.clear();
  const s = { ...summarize(results), ...(jit ? { jit } : {}) };
  if (o.json) {
    mkdirSync(dirname(resolve(o.json)), { recursive: true });
    writeFileSync(
      o.json,
      JSON.stringify(
        { ...jsonReport({ date: new Date().toISOString(), dir: o.dir, wasm, timeout: o.timeout }, results), jit },
        null,
        2,
      ) + "\n",
    );
  }
  for (const l of summaryLines(s)) log(l);
  return s.failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
