// run.ts - the spec runner: runs every spec/lua/<area>/*.lua and spec/errors/*.lua through the built
// module (host engine, in a pool of child processes) and compares with the .expected files that
// spec/regen-expected.mjs produced from lua5.4. Prints "area: name ... ok|FAIL" per case and a final
// "N passed, N failed"; exits 1 if anything failed.
//   tsx spec/run.ts [filter...] [--wasm build/lua-debug.wasm] [--quiet] [--jobs N]
// Invariant: the comparison is byte-exact on the text built by spec/format.mjs; a case that hangs
// (SPEC_TIMEOUT_MS, default 30000) or crashes its worker fails without stopping the run.

import { fork, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { errorCaseText, listCases, luaCaseText, type SpecCase } from "./format.mjs";
import type { CaseReply } from "./run-worker.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WORKER = fileURLToPath(new URL("./run-worker.ts", import.meta.url));
const TIMEOUT_MS = Number(process.env.SPEC_TIMEOUT_MS ?? 30000);

// ==== Command line ====

interface Args {
  filters: string[];
  wasm: string;
  quiet: boolean;
  jobs: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    filters: [],
    wasm: resolve(ROOT, "build/lua.wasm"),
    quiet: process.env.SPEC_QUIET === "1",
    jobs: Number(process.env.SPEC_JOBS ?? Math.min(8, availableParallelism())),
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--wasm") a.wasm = resolve(argv[++i]);
    else if (argv[i] === "--quiet" || argv[i] === "-q") a.quiet = true;
    else if (argv[i] === "--jobs" || argv[i] === "-j") a.jobs = Number(argv[++i]);
    else a.filters.push(argv[i]);
  }
  return a;
}

// ==== Worker pool ====

type Outcome = { stdout: Buffer; error: string | null; internal: boolean; jitCompiles?: number } | { crash: string };

/** A child process running run-worker.ts; one case at a time, replaced after a timeout or crash. */
class Worker {
  private child!: ChildProcess;
  private pending: { id: number; done: (o: Outcome) => void; timer: NodeJS.Timeout } | null = null;

  constructor(private readonly wasm: string) {
    this.spawn();
  }

  private spawn(): void {
    // The debug build's unoptimised frames are several times larger than the release build's, so
    // ~200 nested native calls (what lua5.4 allows) need a bigger stack than V8's default ~1 MB.
    this.child = fork(WORKER, [this.wasm], {
      cwd: ROOT,
      execArgv: ["--import", "tsx", "--stack-size=4000"],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    this.child.stderr!.on("data", (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    this.child.on("message", (r: CaseReply) => {
      if (!this.pending || r.id !== this.pending.id) return;
      this.finish({
        stdout: Buffer.from(r.stdout, "base64"),
        error: r.error,
        internal: r.internal ?? false,
        jitCompiles: r.jitCompiles,
      });
    });
    this.child.on("exit", (code, signal) => {
      this.finish({
        crash: `worker exited (${signal ?? code})${stderr ? ": " + stderr.trim().split("\n").pop() : ""}`,
      });
    });
  }

  private finish(o: Outcome): void {
    const p = this.pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.pending = null;
    p.done(o);
  }

  run(id: number, path: string): Promise<Outcome> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.finish({ crash: `timed out after ${TIMEOUT_MS} ms` });
        this.restart();
      }, TIMEOUT_MS);
      this.pending = { id, done, timer };
      if (this.child.exitCode !== null || this.child.signalCode !== null) this.spawn();
      this.child.send({ id, path });
    });
  }

  private restart(): void {
    this.child.removeAllListeners("exit");
    this.child.kill("SIGKILL");
    this.spawn();
  }

  close(): void {
    this.child.removeAllListeners("exit");
    this.child.kill();
  }
}

// ==== Comparison and reporting ====

interface Verdict {
  ok: boolean;
  reason?: string;
  detail?: string;
}

function judge(c: SpecCase, o: Outcome): Verdict {
  if ("crash" in o) return { ok: false, reason: o.crash };
  const expectedPath = resolve(ROOT, c.expectedPath);
  if (!existsSync(expectedPath)) return { ok: false, reason: `missing ${c.expectedPath} (npm run spec:expected)` };
  const expected = readFileSync(expectedPath);
  const actual = c.kind === "errors" ? errorCaseText(o.error) : luaCaseText(o.stdout, o.error);
  if (expected.equals(actual)) return { ok: true };
  const reason = o.internal && o.error ? o.error.split("\n")[0] : "output differs";
  return { ok: false, reason, detail: firstDifference(expected.toString("utf8"), actual.toString("utf8")) };
}

/** The first differing line, with its number, as "expected/actual" lines. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n"),
    a = actual.split("\n");
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      const show = (s: string | undefined) => (s === undefined ? "<end of output>" : JSON.stringify(s).slice(0, 300));
      return `    line ${i + 1}\n    expected: ${show(e[i])}\n    actual:   ${show(a[i])}`;
    }
  }
  return "    (difference in line endings)";
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const cases = listCases(ROOT, args.filters);
  if (!existsSync(args.wasm)) console.log(`spec: ${args.wasm} not found; run npm run build (every case fails)`);
  const verdicts: (Verdict | undefined)[] = new Array(cases.length);
  let printed = 0;
  const flush = () => {
    while (printed < cases.length && verdicts[printed]) {
      const c = cases[printed],
        v = verdicts[printed]!;
      console.log(`${c.area}: ${c.name} ... ${v.ok ? "ok" : `FAIL (${v.reason})`}`);
      if (!v.ok && v.detail && !args.quiet) console.log(v.detail);
      printed++;
    }
  };
  const pool = Array.from({ length: Math.max(1, Math.min(args.jobs, cases.length)) }, () => new Worker(args.wasm));
  let next = 0;
  const jit = { compiles: 0, cases: 0, on: false };
  await Promise.all(
    pool.map(async (w) => {
      while (next < cases.length) {
        const i = next++;
        const o = await w.run(i, cases[i].path);
        if ("jitCompiles" in o && o.jitCompiles !== undefined) {
          jit.on = true;
          jit.compiles += o.jitCompiles;
          if (o.jitCompiles > 0) jit.cases++;
        }
        verdicts[i] = judge(cases[i], o);
        flush();
      }
    }),
  );
  pool.forEach((w) => w.close());
  const passed = verdicts.filter((v) => v?.ok).length;
  const failed = cases.length - passed;
  // with LUA_WASM_JIT_THRESHOLD: evidence that the cases ran compiled code
  if (jit.on) console.log(`jit: ${jit.compiles} functions compiled in ${jit.cases} of ${cases.length} cases`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
