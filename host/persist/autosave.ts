// autosave.ts - when _home is saved without an explicit saveState(): the `autosave` option of Lua and
// LuaPersistent ("manual", "eval", or { debounceMs }), the queue of writes and the last failure.
// Invariants: images are taken when the call into Lua returns (or when the debounce fires) and are
// written in the order they were taken, one at a time; a failed write leaves the previous save to the
// storage adapter's own guarantee and is reported, never thrown at the application.

import type { StorageAdapter } from "./storage.js";

/** See LuaOptions.autosave. */
export type AutosaveMode = "manual" | "eval" | { debounceMs: number };

export class Autosave {
  private saving: Promise<void> = Promise.resolve();
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private lastError: Error | null = null;
  /** Takes the image to save (the façade that owns this queue sets it; LuaPersistent.load hands the queue over). */
  image: () => Uint8Array = () => {
    throw new Error("no state to save");
  };

  constructor(
    private readonly mode: AutosaveMode,
    private readonly storage: StorageAdapter,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {}

  /** After a successful call into Lua: saves now ("eval") or re-arms the debounce timer. */
  afterCall(): void {
    const mode = this.mode;
    if (mode === "manual") return;
    if (mode === "eval") {
      this.saveNow();
      return;
    }
    if (this.debounce !== null) clearTimeout(this.debounce);
    this.debounce = setTimeout(
      () => {
        this.debounce = null;
        this.saveNow();
      },
      Math.max(0, mode.debounceMs),
    );
  }

  /** Takes the image now and queues its write after earlier ones. */
  private saveNow(): void {
    let image: Uint8Array;
    try {
      image = this.image();
    } catch (e) {
      this.failed(e);
      return;
    }
    this.saving = this.saving
      .then(() => this.storage.save(image))
      .then(
        () => {
          this.lastError = null;
        },
        (e) => this.failed(e),
      );
  }

  private failed(e: unknown): void {
    const err = new Error(`autosave failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    this.lastError = err;
    try {
      this.onError?.(err);
    } catch {
      /* the callback's own failure is not ours */
    }
  }

  /** Takes a pending debounced save now (flush, close). */
  takePending(): void {
    if (this.debounce === null) return;
    clearTimeout(this.debounce);
    this.debounce = null;
    this.saveNow();
  }

  /** Waits until every pending autosave (and a debounced one, started now) has been written; false if the last one failed. */
  async flush(): Promise<boolean> {
    this.takePending();
    await this.saving;
    return this.lastError === null;
  }

  /** The error of the last failed autosave; null after a successful one. */
  get lastFailure(): Error | null {
    return this.lastError;
  }
}
