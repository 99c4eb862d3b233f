// client.ts - the page's side of the Lua worker: starts it, sends requests and matches replies by
// id, passes streamed output on, and stops a run: it interrupts the run (the library's interrupt(),
// through the worker); when the run has not ended STOP_GRACE_MS later (a long builtin that never
// pauses), it terminates the worker and starts a new one, which loads the last autosaved _home.
// Invariant: at most one worker is alive; every request's promise settles: with its reply, or with a
// StoppedError when the worker serving it was terminated.

import type { Interrupt, Reply, Request, Settings, WorkerMessage } from "./protocol.js";

/** How long an interrupted run may take to end before its worker is terminated. */
const STOP_GRACE_MS = 3000;

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
  /** Called when no request is pending any more (stop() waits for the interrupted run this way). */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly hooks: ClientHooks) {}

  /** True while a request is being served. */
  get busy(): boolean {
    return this.pending.size > 0;
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
    const reply = await this.request({ type: "init", settings });
    if (reply.type !== "ready")
      throw new Error(reply.type === "result" ? (reply.error ?? "init failed") : "init failed");
    return reply;
  }

  request(message: Outgoing): Promise<Reply> {
    const worker = this.worker;
    if (worker === null) return Promise.reject(new StoppedError("no Lua worker"));
    const id = this.nextId++;
    return new Promise<Reply>((ok, ko) => {
      this.pending.set(id, { ok, ko });
      worker.postMessage({ ...message, id } as Request);
    });
  }

  /**
   * Stops the running request: interrupts it, so it ends with the error "interrupted!" and the state
   * is kept (resolves to null once it has replied); if it has not ended within STOP_GRACE_MS,
   * terminates the worker and starts a new one from the last saved _home (resolves to its ready reply).
   */
  async stop(settings: Settings): Promise<Ready | null> {
    if (this.worker) {
      this.worker.postMessage({ type: "interrupt" } satisfies Interrupt);
      if (await this.idle(STOP_GRACE_MS)) return null;
    }
    return this.start(settings);
  }

  /** Resolves true once no request is pending, false after `ms` if one still is. */
  private idle(ms: number): Promise<boolean> {
    if (this.pending.size === 0) return Promise.resolve(true);
    return new Promise((ok) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        ok(false);
      }, ms);
      const done = () => {
        clearTimeout(timer);
        ok(true);
      };
      this.idleWaiters.push(done);
    });
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
    if (this.pending.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
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
