// runners.ts - runs differential-fuzzer programs through lua5.4 (batched: one process per batch, see
// driver.lua) and through our interpreter (in process, one Lua state for many programs), and
// returns for each program its stdout bytes and error message in the same shape.
// Invariant: both sides run a program the same way: chunk name "=prog", globals added by earlier programs removed,
// the error message made from the error object as lua.c does (no traceback).

import { spawn } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Lua, LuaError } from "../../../host/index.js";
import { compileLua } from "../../../host/loader.js";

/**
 * What a program did: its stdout (bytes as a latin1 string) and its error message (null: none) as
 * the host API gives it (UTF-8 decoded).
 */
export interface Outcome {
  out: string;
  err: string | null;
  /** The error was a compile error (not compared: the message is; used by the minimizer). */
  syntax?: boolean;
  /** Ours only: an internal error, a budget exceeded or a host exception: always a failure. */
  internal?: boolean;
  /** lua5.4 only: the program did not finish in time (a generator bug: reported, not compared). */
  timeout?: boolean;
}

export const CHUNKNAME = "=prog";
const SEP = "\0\x01SEP\x01\0";
const DRIVER = join(dirname(fileURLToPath(import.meta.url)), "driver.lua");
// Per program, both sides: stdout past it is not compared (the generator's programs print a few MB
// at most; a rare one of nested loops printed 22 MB, and only our side was cut, which read as a
// difference: seed 8203, program 739)
const OUTPUT_CAP = 16 << 20;
/** stdout as compared: its first OUTPUT_CAP bytes. */
function capped(out: string): string {
  return out.length > OUTPUT_CAP ? out.slice(0, OUTPUT_CAP) : out;
}

/**
 * Runs `programs` through lua5.4 in one process; if that process fails (a crash, or a program that
 * does not end in time: 2 s plus 50 ms a program, where a program takes about 2 ms), runs each half
 * again, so only the culprit is marked (`timeout`).
 */
export async function runOracle(programs: string[], luaBin = process.env.LUA_BIN ?? "lua5.4"): Promise<Outcome[]> {
  try {
    return await runBatch(programs, luaBin, 2000 + 50 * programs.length);
  } catch (e) {
    if (programs.length === 1) return [{ out: "", err: `lua5.4 failed: ${(e as Error).message}`, timeout: true }];
    const half = programs.length >> 1;
    return [...(await runOracle(programs.slice(0, half), luaBin)), ...(await runOracle(programs.slice(half), luaBin))];
  }
}

/** Runs `programs` in one lua5.4 process; rejects if the process fails or exceeds `timeoutMs`. */
async function runBatch(programs: string[], luaBin: string, timeoutMs: number): Promise<Outcome[]> {
  const dir = mkdtempSync(join(tmpdir(), "difffuzz-"));
  try {
    const input = join(dir, "in.txt"),
      output = join(dir, "out.txt");
    writeFileSync(
      input,
      Buffer.concat(
        programs.flatMap((p) => {
          const b = Buffer.from(p, "latin1");
          return [Buffer.from(`${b.length}\n`), b];
        }),
      ),
    );
    const fd = openSync(output, "w");
    const code = await new Promise<number | string>((done) => {
      const child = spawn(luaBin, [DRIVER, input], { stdio: ["ignore", fd, "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d) => {
        stderr += d;
      }); // stdio[2] is "pipe"
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", (e) => {
        clearTimeout(timer);
        done(e.message);
      });
      child.on("close", (c, sig) => {
        clearTimeout(timer);
        done(c === 0 ? 0 : `${luaBin} exited with ${c ?? sig}: ${stderr.slice(0, 500)}`);
      });
    });
    closeSync(fd);
    if (code !== 0) throw new Error(String(code));
    const parts = readFileSync(output).toString("latin1").split(SEP);
    const res: Outcome[] = [];
    for (let i = 0; i + 2 < parts.length; i += 2) {
      const tail = parts[i + 1];
      // the host hands error messages to JS as UTF-8-decoded strings (invalid bytes become U+FFFD),
      // so lua5.4's message bytes are decoded the same way; stdout stays raw bytes
      const err = tail === "" ? null : Buffer.from(tail.slice(1), "latin1").toString("utf8");
      res.push({ out: capped(parts[i]), err, syntax: tail.startsWith("S") });
    }
    if (res.length !== programs.length)
      throw new Error(`${luaBin}: ${res.length} results for ${programs.length} programs`);
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Our interpreter, in process: one state reused for `perState` programs, then a fresh one. */
export class OurRunner {
  private lua: Lua | null = null;
  private module: Promise<WebAssembly.Module> | null = null; // compiled once, not per state
  private used = 0;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly perState = 100,
    private readonly wasm?: string,
  ) {}

  private async state(): Promise<Lua> {
    if (this.lua && this.used < this.perState) return this.lua;
    this.lua?.close();
    this.module ??= compileLua(this.wasm);
    this.lua = await Lua.create({
      wasm: await this.module,
      stdout: (b) => {
        if (this.size < OUTPUT_CAP) {
          this.chunks.push(Buffer.from(b));
          this.size += b.length;
        }
      },
      stderr: () => {},
      instructionLimit: 1_000_000_000, // a generator bug that loops shows as a difference, not a hang
      // (programs with a few stack overflows use ~100M)
      memoryLimit: 256 << 20,
    });
    this.used = 0;
    // removes the globals a program added, as driver.lua does for lua5.4
    this.lua.run(
      `local keep = {__difffuzz_reset = true} for k in pairs(_G) do keep[k] = true end
      function __difffuzz_reset() for k in pairs(_G) do if not keep[k] then _G[k] = nil end end end`,
      "=reset",
    );
    return this.lua;
  }

  async run(src: string): Promise<Outcome> {
    const lua = await this.state();
    this.used++;
    lua.run(`__difffuzz_reset()`, "=reset");
    this.chunks = [];
    this.size = 0;
    let err: string | null = null,
      internal = false,
      syntax = false;
    try {
      lua.run(src, CHUNKNAME); // programs are ASCII: bytes >= 0x80 appear only as escapes
    } catch (e) {
      err = e instanceof Error ? e.message : String(e);
      internal = !(e instanceof LuaError) || e.kind === "internal" || e.kind === "limit";
      syntax = e instanceof LuaError && e.kind === "syntax";
      if (internal) this.used = this.perState; // start the next program on a fresh state
    }
    return { out: capped(Buffer.concat(this.chunks).toString("latin1")), err, internal, syntax };
  }

  close(): void {
    this.lua?.close();
    this.lua = null;
  }
}

/** Whether two outcomes are the same, byte for byte. */
export function same(a: Outcome, b: Outcome): boolean {
  return a.out === b.out && a.err === b.err && !a.internal && !b.internal;
}

/** A short unified description of how two outcomes differ (first differing line). */
export function describe(expected: Outcome, actual: Outcome): string {
  const e = (expected.out + (expected.err !== null ? `\n[error] ${expected.err}` : "")).split("\n");
  const a = (actual.out + (actual.err !== null ? `\n[error] ${actual.err}` : "")).split("\n");
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const show = (s: string | undefined) => (s === undefined ? "<end>" : JSON.stringify(s));
  return `line ${i + 1}:\n  lua5.4: ${show(e[i])}\n  ours:   ${show(a[i])}${actual.internal ? "\n  (ours: internal error or limit)" : ""}`;
}
