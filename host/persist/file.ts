// file.ts - FileStorage: the image of _home in one file (Node only). save writes a temporary file
// next to the target, fsyncs it, renames it over the target and fsyncs the directory, so a crash or a
// failing disk at any point leaves either the old or the new image, never a torn one.

import type { StorageAdapter } from "./storage.js";

/** The subset of node:fs/promises FileStorage uses (injectable for tests). */
export interface FileOps {
  readFile(path: string): Promise<Uint8Array>;
  open(path: string, flags: string): Promise<{ write(b: Uint8Array): Promise<unknown>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export class FileStorage implements StorageAdapter {
  constructor(readonly path: string, private readonly ops?: FileOps) {}

  private async fs(): Promise<FileOps> {
    if (this.ops) return this.ops;
    const fsp = await import("node:fs/promises");
    return fsp as unknown as FileOps;
  }

  async load(): Promise<Uint8Array | null> {
    const fs = await this.fs();
    try {
      const b = await fs.readFile(this.path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async save(image: Uint8Array): Promise<void> {
    const fs = await this.fs();
    const tmp = `${this.path}.tmp-${typeof process !== "undefined" ? process.pid : 0}-${Math.random().toString(36).slice(2)}`;
    try {
      const h = await fs.open(tmp, "w");
      try {
        await h.write(image);
        await h.sync();
      } finally {
        await h.close();
      }
      await fs.rename(tmp, this.path);
    } catch (e) {
      await fs.unlink(tmp).catch(() => {});
      throw e;
    }
    await this.syncDir();
  }

  /** fsync of the directory, so the rename itself is durable (best effort: not every platform allows it). */
  private async syncDir(): Promise<void> {
    if (this.ops) return;
    try {
      const path = await import("node:path");
      const fsp = await import("node:fs/promises");
      const d = await fsp.open(path.dirname(this.path), "r");
      try { await d.sync(); } finally { await d.close(); }
    } catch { /* e.g. Windows: directories cannot be opened */ }
  }

  async clear(): Promise<void> {
    const fs = await this.fs();
    try {
      await fs.unlink(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}
