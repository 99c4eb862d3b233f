// bytecode-mutation.ts - binary chunks through `load`: string.dump output mutated (bit flips, random
// bytes and words, truncation, insertion, deletion, duplicated slices; spec/host/dump-fuzz.lua makes
// the mutants) must load as a function or fail with "bad binary format (...)"; each mutant that loads
// is then called three times (in a small sandbox environment) and must return or raise a Lua error.
// Every mutant is its own `run` under an instruction limit, so a mutant that loops forever is legal
// Lua and ends with the "limit" error; a wasm trap (kind "internal"), a message outside the rule, a
// state that stops answering, or a case that outlives the watchdog (the worker process is killed) is
// a failure. spec/host/dump-fuzz.test.ts runs the same mutants in vitest; this target is its long mode.
//
//   npm run fuzz -- --target bytecode-mutation [--iterations N | --minutes N] [--seed S]
//   tsx spec/fuzz/targets/bytecode-mutation.ts --short     (seed 21, 20000 mutants)
//   seed 0: the systematic mutants of dump-fuzz.lua (every single-instruction change)
//
// Ends with "N passed, N failed".
// Invariant: mutant i of seed S is the same on every run (dump-fuzz.lua seeds math.random with S, i).

import { readFileSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Lua, LuaError } from "../../../host/index.js";
import { runWorker, writeLine } from "../lib.js";

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(SELF, "../../../..");

async function worker(seed: number, from: number, to: number): Promise<void> {
  const say = writeLine;
  let out = "";
  const make = async (): Promise<Lua> => {
    const L = await Lua.create({
      instructionLimit: 2_000_000,
      stdout: (b) => {
        out += Buffer.from(b).toString("latin1");
      },
    });
    L.run("arg = nil\n" + readFileSync(join(ROOT, "spec/host/dump-fuzz.lua"), "utf8"));
    L.run("sentinel = 42");
    return L;
  };
  let L = await make();
  const counts = { loaded: 0, rejected: 0, limited: 0 };
  for (let i = from; i < to; i++) {
    say(`> ${i}`);
    out = "";
    let why: string | null = null;
    try {
      const [loaded, rejected, bad] = L.run(`return fuzz(${seed}, ${i}, 1, true)`) as number[];
      if (bad !== 0 || out.includes("BAD")) why = `rule broken: ${out.slice(0, 300)}`;
      counts.loaded += loaded;
      counts.rejected += rejected;
    } catch (e) {
      if (!(e instanceof LuaError)) why = `run threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
      else if (e.kind === "internal") why = `internal error: ${e.message}`;
      else if (e.kind === "limit") {
        counts.limited++;
        counts.loaded++;
      } else why = `unexpected ${e.kind} error: ${e.message}`; // fuzz() itself catches the mutants' errors
    }
    if (why === null) {
      try {
        if (L.run("return sentinel")[0] !== 42) why = "state lost its globals";
      } catch (e) {
        why = `state unusable: ${(e as Error).message}`;
      }
    }
    if (why !== null) {
      say(`FAIL ${i}: ${why}`);
      L = await make();
    }
  }
  say(`counts ${JSON.stringify(counts)}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === "--worker") {
    await worker(Number(argv[1]), Number(argv[2]), Number(argv[3]));
    return;
  }
  const short = argv.includes("--short");
  const seed = Number(opt("--seed") ?? 21);
  const minutes = opt("--minutes") !== undefined ? Number(opt("--minutes")) : null;
  const total = Number(opt("--iterations") ?? (short ? 20000 : minutes !== null ? 1e12 : 100_000));
  const watchdogMs = Number(opt("--watchdog-ms") ?? 15_000);
  const deadline = minutes !== null ? Date.now() + minutes * 60_000 : Infinity;
  const first = Number(opt("--first") ?? 1);
  console.log(
    `bytecode-mutation: seed ${seed}, ${total < 1e12 ? total : "∞"} mutants${minutes !== null ? `, ${minutes} min` : ""}`,
  );
  const t0 = Date.now();
  const failures: string[] = [];
  const counts = { loaded: 0, rejected: 0, limited: 0 };
  const onLine = (l: string): void => {
    if (l.startsWith("FAIL ")) {
      failures.push(l);
      console.log(l);
    } else if (l.startsWith("counts "))
      for (const [k, v] of Object.entries(JSON.parse(l.slice(7)) as Record<string, number>))
        counts[k as keyof typeof counts] += v;
  };
  let next = first;
  const end = first + total;
  while (next < end && Date.now() < deadline) {
    const to = Math.min(end, next + 5000);
    let start = next;
    while (start < to) {
      const r = await runWorker(SELF, seed, start, to, watchdogMs, 30_000, onLine);
      if (r.code === 0 && !r.hung) break;
      const l = `FAIL ${r.last} [worker]: ${r.hung ? `hang (no progress for ${watchdogMs} ms)` : `worker died (code ${r.code}): ${r.stderr.slice(-1500)}`}`;
      failures.push(l);
      console.log(l);
      start = Math.max(r.last, start) + 1;
    }
    next = to;
    const secs = (Date.now() - t0) / 1000;
    console.log(
      `  ${next - first} mutants, ${secs.toFixed(1)} s, ${((next - first) / secs).toFixed(0)} mutants/s, loaded ${counts.loaded} (hit the limit ${counts.limited}), rejected ${counts.rejected}, ${failures.length} failures`,
    );
  }
  const ran = next - first;
  console.log(`bytecode-mutation: ${ran} mutants in ${((Date.now() - t0) / 1000).toFixed(1)} s, seed ${seed}`);
  console.log(`${ran - failures.length} passed, ${failures.length} failed`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && SELF === realpathSync(process.argv[1])) await main();
