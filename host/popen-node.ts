// popen-node.ts - io.popen for the CLI (Node only): popen(3) and pclose(3) over a named pipe and a
// helper thread. Lua reads and writes synchronously, and Node has no pipe(2) nor a synchronous wait
// for a child started asynchronously, so:
//   - the pipe is a FIFO, created with mkfifo(1), opened here (the reading end is a handle of the
//     CLI's NodeFileSystem, read with blocking reads) and unlinked at once;
//   - the command (/bin/sh -c, argv[0] "sh", as popen) is started by a worker thread, which gives the child the
//     other end of the FIFO as its stdout ("r") or stdin ("w"); popen waits until the child holds it
//     (popen(3) too returns once the child exists) and closes that end here; the worker's event loop
//     sees the child's exit and stores the status in a shared word;
//   - pclose closes our end, then waits (Atomics.wait) for that word, as pclose waits for the child.
// So reads stream as with popen: "l" returns as soon as a line arrives, a command that never ends can
// be read in part and closed (it gets SIGPIPE), and a background job that keeps the pipe open delays
// only reads to end of file, never pclose.
// Invariant: every handle in `running` is a pipe end registered in `fs`, whose command has started
// and whose status will be stored in its words (or already was); no other descriptor of a pipe
// outlives popen.

import * as nodefs from "node:fs";
import type { Worker } from "node:worker_threads";
import { FsError } from "./fs.js";
import type { NodeFileSystem } from "./fs-node.js";
import { childProcess, nodeOs, workerThreads } from "./cli-builtins.js";

// The shared words of one command (Int32Array): STARTED is 0 while the request waits, CLAIMED while
// the thread starts the child, 1 once the child holds its end of the pipe (or could not start), or
// CANCELLED when popen gave up waiting first (the thread then leaves the request alone); STATUS is
// 1 + the wait status once the command has ended.
const STARTED = 0;
const STATUS = 1;
const CLAIMED = 2;
const CANCELLED = -1;
/** How long popen waits for the helper thread to start a command before giving up. */
const START_TIMEOUT_MS = 30_000;

/** The helper thread (CommonJS source): starts commands and reports their statuses. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const { constants } = require("node:os");
const set = (w, i, v) => { Atomics.store(w, i, v); Atomics.notify(w, i); };
parentPort.on("message", ({ command, mode, fd, words }) => {
  const w = new Int32Array(words);
  if (Atomics.compareExchange(w, ${STARTED}, 0, ${CLAIMED}) !== 0) return; // popen gave up
  let child = null;
  try {
    const stdio = mode === "r" ? ["inherit", fd, "inherit"] : [fd, "inherit", "inherit"];
    child = spawn("/bin/sh", ["-c", command], { stdio, argv0: "sh" });
  } catch {}
  if (child) {
    child.on("error", () => set(w, ${STATUS}, 1 + 127));
    child.on("exit", (code, signal) =>
      set(w, ${STATUS}, 1 + (signal ? 256 + (constants.signals[signal] || 0) : code === null ? 127 : code)));
  } else set(w, ${STATUS}, 1 + 127);
  set(w, ${STARTED}, 1);
});
`;

export class NodePipes {
  private readonly fs: NodeFileSystem;
  private worker: Worker | null = null;
  /** Shared words of the commands whose pipes are open, by handle. */
  private readonly running = new Map<number, Int32Array>();
  private serial = 0;

  private readonly startTimeoutMs: number;
  private readonly helperSource: string;

  /** `o` is for tests: how long to wait for the helper thread, and its source. */
  constructor(fs: NodeFileSystem, o: { startTimeoutMs?: number; helperSource?: string } = {}) {
    this.fs = fs;
    this.startTimeoutMs = o.startTimeoutMs ?? START_TIMEOUT_MS;
    this.helperSource = o.helperSource ?? WORKER_SOURCE;
  }

  /** popen(command, mode): a handle of `fs` connected to the command's stdout ("r") or stdin ("w"). */
  popen(command: string, mode: "r" | "w"): number {
    const helper = this.helper(); // first: if the thread cannot be made, nothing is left open
    const fifo = this.mkfifo();
    let ours = -1;
    let theirs = -1;
    try {
      // A FIFO's blocking open waits for the other side: a non-blocking reader first lets both
      // blocking ends open at once, then goes.
      const probe = nodefs.openSync(fifo, nodefs.constants.O_RDONLY | nodefs.constants.O_NONBLOCK);
      try {
        if (mode === "r") {
          theirs = nodefs.openSync(fifo, nodefs.constants.O_WRONLY);
          ours = this.fs.open(fifo, "r");
        } else {
          ours = this.fs.open(fifo, "w");
          theirs = nodefs.openSync(fifo, nodefs.constants.O_RDONLY);
        }
      } finally {
        nodefs.closeSync(probe);
      }
    } catch (e) {
      if (ours >= 0) this.fs.close(ours);
      if (theirs >= 0) nodefs.closeSync(theirs);
      throw FsError.from(e);
    } finally {
      nodefs.rmSync(fifo, { force: true });
    }
    const words = new Int32Array(new SharedArrayBuffer(8));
    helper.postMessage({ command, mode, fd: theirs, words: words.buffer });
    // the thread answers within milliseconds (its first start takes tens): one that never does is dead
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      const state = Atomics.load(words, STARTED);
      if (state === 1) break;
      if (state === 0 && Date.now() >= deadline && Atomics.compareExchange(words, STARTED, 0, CANCELLED) === 0) break;
      Atomics.wait(words, STARTED, state, 100);
    }
    nodefs.closeSync(theirs); // the child holds the pipe now: its end of file is the child's
    if (Atomics.load(words, STARTED) === CANCELLED) {
      this.fs.close(ours);
      throw new FsError("EIO", 5, "the helper thread that starts commands does not answer");
    }
    this.running.set(ours, words);
    return ours;
  }

  /** pclose: closes the pipe and waits for its command; the status as os.execute's hook gives it. */
  pclose(handle: number): number {
    const words = this.running.get(handle);
    if (!words) throw FsError.of("EBADF");
    this.running.delete(handle);
    try {
      this.fs.close(handle); // a writer still running now gets SIGPIPE, as with pclose
    } finally {
      while (Atomics.load(words, STATUS) === 0) Atomics.wait(words, STATUS, 0);
    }
    return Atomics.load(words, STATUS) - 1;
  }

  /** A new FIFO in the temporary directory (mkfifo -m 600). */
  private mkfifo(): string {
    for (;;) {
      const path = `${nodeOs().tmpdir()}/lua-wasm-popen-${process.pid}-${this.serial++}`;
      try {
        childProcess().execFileSync("mkfifo", ["-m", "600", path], { stdio: "ignore" });
        return path;
      } catch (e) {
        if (!nodefs.existsSync(path)) throw new FsError("EIO", 5, `mkfifo: ${(e as Error).message}`);
      }
    }
  }

  /** The helper thread, started on the first popen; it never keeps the process alive. */
  private helper(): Worker {
    if (!this.worker) {
      this.worker = new (workerThreads().Worker)(this.helperSource, { eval: true });
      this.worker.unref();
    }
    return this.worker;
  }
}
