// client.ts - the page's side of the Lua worker: starts it, sends requests and matches replies by
// id, passes streamed output on, and stops a run. Stopping interrupts through the shared flag when
// the worker said it can (a cross-origin isolated page and a library with interrupt()); otherwise it
// terminates the worker and starts a new one, which loads the last autosaved _home from IndexedDB.
// Invariant: at most one worker is alive; every request's promise settles: with its reply, or with a
// StoppedError when the worker serving it was terminated.

import type { Reply, Request, Settings, WorkerMessage } from "./protocol.js";

/** The request's worker was terminated by stop() (or it crashed) before it replied. */
export class StoppedError extends Error {
  override readonly name = "StoppedError";
}

type Ready = Extract<Reply, { type: "ready" }>;
/** A request as the page writes it: the client assigns the id. */
type Outgoing = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

export interface ClientHooks {
  output(stream: "stdout" | "stderr", text: string): void;
  /** The worker failed outside any request (e.g. the bundle did not load). */
  failed(message: string): void;
}

export class LuaClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { ok(r: Reply): void; ko(e: Error): void }>();
  /** The shared interrupt flag (an Int32Array's first element), when the page is cross-origin isolated. */
  private readonly interruptFlag: Int32Array | null;
  private interruptible = false;

  constructor(private readonly hooks: ClientHooks) {
    this.interruptFlag = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  /** True while a request is being served. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** How "stop" works now, for the page to say. */
  get stopMode(): "interrupt" | "restart" {
    return this.interruptible ? "interrupt" : "restart";
  }

  /** Starts a worker (terminating any other) and creates its Lua state. */
  async start(settings: Settings): Promise<Ready> {
    this.terminate();
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "lua" });
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.hooks.failed(`the Lua worker failed: ${e.message || "could not load"}`);
      this.fail(new StoppedError("the Lua worker failed"));
    };
    const reply = await this.request({
      type: "init",
      settings,
      interrupt: this.interruptFlag ? (this.interruptFlag.buffer as SharedArrayBuffer) : null,
    });
    if (reply.type !== "ready")
      throw new Error(reply.type === "result" ? (reply.error ?? "init failed") : "init failed");
    this.interruptible = reply.interruptible && this.interruptFlag !== null;
    return reply;
  }

  request(message: Outgoing): Promise<Reply> {
    const worker = this.worker;
    if (worker === null) return Promise.reject(new StoppedError("no Lua worker"));
    const id = this.nextId++;
    if (this.interruptFlag && message.type === "run") Atomics.store(this.interruptFlag, 0, 0);
    return new Promise<Reply>((ok, ko) => {
      this.pending.set(id, { ok, ko });
      worker.postMessage({ ...message, id } as Request);
    });
  }

  /**
   * Stops the running request. With interrupt: raises the shared flag, the run ends with an error
   * and the state is kept (resolves to null). Otherwise: terminates the worker and starts a new one
   * from the last saved _home (resolves to its ready reply).
   */
  async stop(settings: Settings): Promise<Ready | null> {
    if (this.interruptible && this.interruptFlag) {
      Atomics.store(this.interruptFlag, 0, 1);
      return null;
    }
    return this.start(settings);
  }

  private receive(m: WorkerMessage): void {
    if (m.type === "out") {
      this.hooks.output(m.stream, m.text);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    p.ok(m);
  }

  private fail(e: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.ko(e);
  }

  private terminate(): void {
    if (this.worker === null) return;
    this.worker.terminate();
    this.worker = null;
    this.fail(new StoppedError("the Lua worker was stopped"));
  }
}
