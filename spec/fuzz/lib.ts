// lib.ts - what the fuzz targets share: a seeded generator (so a seed and a case number replay a
// failure), a line writer for workers whose stdout is a pipe the parent may be slow to drain, and a
// watched worker process (a case that hangs is killed and reported, never blocks the run).

/** A target's command line: `flag("--seed")` is the word after the flag, `has("--short")` a bare flag. */
export function targetArgs(argv: readonly string[] = process.argv.slice(2)): {
  flag(name: string): string | undefined;
  has(name: string): boolean;
} {
  return {
    flag(name) {
      const i = argv.indexOf(name);
      return i >= 0 ? argv[i + 1] : undefined;
    },
    has: (name) => argv.includes(name),
  };
}

/** A seeded generator in [0, 1); `state` may be read and set to replay a run from a point. */
export interface Rng {
  (): number;
  state: number;
}

/** mulberry32: a small seeded PRNG with a single 32-bit state. */
export function rng(seed: number): Rng {
  const next = (() => {
    next.state = (next.state + 0x6d2b79f5) >>> 0;
    let t = next.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rng;
  next.state = seed >>> 0;
  return next;
}

/** Writes a line to stdout synchronously, retrying while the pipe is full (EAGAIN under load). */
export function writeLine(s: string): void {
  const b = Buffer.from(s + "\n");
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(1, b, off, b.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); // the parent is draining it
    }
  }
}

/**
 * A message as a log line: control bytes as \xNN escapes, so mutated names in error messages never
 * make a log "binary" for grep (CI reads its summary line with grep).
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control bytes is the point
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** What a watched worker did: the last case it started, whether the watchdog killed it, its exit. */
export interface WorkerRun {
  last: number;
  hung: boolean;
  code: number | null;
  stderr: string;
}

/**
 * Runs cases [from, to) of `script --worker seed from to` in a child process under a watchdog. The
 * worker prints "> i" before case i (which re-arms the watchdog for `watchdogMs`) and any other line
 * for onLine; the first case gets `startupMs` more (building the worker's inputs). A worker silent
 * past its deadline is killed and reported as hung at case `last`.
 */
export function runWorker(
  script: string,
  seed: number,
  from: number,
  to: number,
  watchdogMs: number,
  startupMs: number,
  onLine: (l: string) => void,
): Promise<WorkerRun> {
  return new Promise((done) => {
    const c = spawn(
      process.execPath,
      [...process.execArgv, script, "--worker", String(seed), String(from), String(to)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let buf = "",
      stderr = "",
      last = from - 1,
      hung = false;
    let timer = setTimeout(() => {
      hung = true;
      c.kill("SIGKILL");
    }, watchdogMs + startupMs);
    c.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let j: number;
      while ((j = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, j);
        buf = buf.slice(j + 1);
        if (line.startsWith("> ")) {
          last = Number(line.slice(2));
          clearTimeout(timer);
          timer = setTimeout(() => {
            hung = true;
            c.kill("SIGKILL");
          }, watchdogMs);
        } else onLine(line);
      }
    });
    c.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    c.on("close", (code) => {
      clearTimeout(timer);
      done({ last, hung, code, stderr });
    });
  });
}

import { spawn } from "node:child_process";
import { writeSync } from "node:fs";
