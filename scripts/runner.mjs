// runner.mjs - running one test runner as a child process, for scripts/test.mjs and spec/fuzz/run.mjs:
// its output passed through and captured, a time limit, and its closing "N passed, N failed" line read.
// Invariant: a runner that crashes, times out or prints no summary counts as at least one failure.

import { spawn } from "node:child_process";

const SUMMARY = /^(\d+) passed, (\d+) failed\s*$/;

/**
 * Runs `cmd args` in `cwd` with stdout/stderr passed through and captured; after `timeoutMs` it is
 * killed. `env` adds variables to the inherited environment. Resolves to { code, out, timedOut }
 * (a signal gives code 1).
 */
export function runTee(label, cmd, args, { cwd, timeoutMs, env }) {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: env ? { ...process.env, ...env } : process.env,
    });
    let out = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      out += `\n${label}: timed out after ${timeoutMs} ms\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      out += d;
    });
    child.stderr.on("data", (d) => {
      process.stderr.write(d);
      out += d;
    });
    child.on("error", (e) => {
      out += String(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 1 : 0), out, timedOut });
    });
  });
}

/** The last "N passed, N failed" line of a runner's output (ANSI colours ignored), or null. */
export function lastSummary(out) {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes (ESC [ ... m)
  const lines = out.split("\n").map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = SUMMARY.exec(lines[i]);
    if (m) return { passed: Number(m[1]), failed: Number(m[2]) };
  }
  return null;
}

/** Counts from a runner that prints its own summary line; a crash or a time-out adds one failure. */
export function countsFrom(label, { code, out, timedOut }) {
  const s = lastSummary(out);
  if (timedOut)
    return { passed: s?.passed ?? 0, failed: (s?.failed ?? 0) + 1, note: `${label}: timed out, counted as 1 failure` };
  if (!s) return { passed: 0, failed: 1, note: `${label}: no summary line (exit ${code}), counted as 1 failure` };
  if (code !== 0 && s.failed === 0)
    return { ...s, failed: 1, note: `${label}: exit ${code} with 0 failures, counted as 1 failure` };
  return s;
}
