// file.ts - FileStorage: the image of _home in one file (Node only). save writes a temporary file
// next to the target (`<path>.tmp-<pid>-<random>`, created exclusively), checks that every byte
// reached it (the sum of the writes and the file's size after fsync), fsyncs it, renames it over the
// target and fsyncs the directory, so a crash, a kill or a failing disk at any point leaves either
// the old or the new image, never a torn one.
//
// Stale temporary files: a writer killed between creating its temporary file and the rename leaves
// that file behind. load, save and clear remove the temporary files *of this path* that no live
// writer can still be using, by this rule:
//   - pid == this process: removed unless this process has a save of that file in flight (a set of
//     in-flight names shared by every FileStorage of the process; a dead process's pid reused by
//     this one is thus handled);
//   - another pid: removed when no process with that pid exists (`process.kill(pid, 0)` fails with
//     ESRCH), or when the file has not been modified for STALE_AGE_MS (a pid reused by an unrelated
//     live process; no save takes that long);
//   - anything else in the directory (other names, other paths' temporary files) is never touched.
// Limit: writers sharing the directory must share a pid namespace (one host or container); a writer
// in another namespace could have its temporary file removed, and its save then fails cleanly (the
// rename finds no file) without harming the saved image.
// Invariant: the target path only ever holds a complete image that was fully written and synced.

import type { StorageAdapter } from "./storage.js";
import { requireNodeModules } from "../platform.js";

/** A file handle as FileStorage uses it (node:fs/promises FileHandle satisfies it). */
export interface FileOpsHandle {
  /** Writes (a prefix of) b at the current position; resolves to how many bytes were written. */
  write(b: Uint8Array): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
  /** Optional: the size written so far is checked against it after sync. */
  stat?(): Promise<{ size: number }>;
}

/** The subset of node:fs/promises FileStorage uses (injectable for tests). */
export interface FileOps {
  readFile(path: string): Promise<Uint8Array>;
  open(path: string, flags: string): Promise<FileOpsHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Optional (without it stale temporary files are not looked for): the names in a directory. */
  readdir?(dir: string): Promise<string[]>;
  /** Optional: a file's modification time (for the age rule). */
  stat?(path: string): Promise<{ mtimeMs: number }>;
}

/** A temporary file untouched for this long is abandoned whatever its pid says. */
export const STALE_AGE_MS = 60 * 60 * 1000;

/** Temporary files this process is writing now, by full path (shared by every copy of this module). */
const inflight: Set<string> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("lua-wasm-persistent.FileStorage.inflight")
] ??= new Set<string>()) as Set<string>;

function myPid(): number {
  return typeof process !== "undefined" && typeof process.pid === "number" ? process.pid : 0;
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
function pidAlive(pid: number): boolean {
  if (typeof process === "undefined" || typeof process.kill !== "function" || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Splits a path into directory and base name ('/' and '\' both separate). */
function splitPath(path: string): [string, string] {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (i < 0) return [".", path];
  return [i === 0 ? path.slice(0, 1) : path.slice(0, i), path.slice(i + 1)];
}

export class FileStorage implements StorageAdapter {
  constructor(
    readonly path: string,
    private readonly ops?: FileOps,
  ) {}

  private async fs(): Promise<FileOps> {
    if (this.ops) return this.ops;
    return requireNodeModules("FileStorage").fsp as unknown as FileOps;
  }

  async load(): Promise<Uint8Array | null> {
    const fs = await this.fs();
    await this.removeStale(fs);
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
    await this.removeStale(fs);
    const tmp = `${this.path}.tmp-${myPid()}-${Math.random().toString(36).slice(2) || "0"}`;
    inflight.add(tmp);
    try {
      try {
        const h = await fs.open(tmp, "wx"); // exclusive: never share a file with another writer
        try {
          await writeAll(h, image);
          await h.sync();
          if (h.stat) {
            const st = await h.stat();
            if (st.size !== image.length)
              throw new Error(`short write: the file has ${st.size} of ${image.length} bytes`);
          }
        } finally {
          await h.close();
        }
        await fs.rename(tmp, this.path);
      } catch (e) {
        await fs.unlink(tmp).catch(() => {});
        throw e;
      }
    } finally {
      inflight.delete(tmp);
    }
    await this.syncDir();
  }

  /** fsync of the directory, so the rename itself is durable (best effort: not every platform allows it). */
  private async syncDir(): Promise<void> {
    if (this.ops) return;
    try {
      const { fsp } = requireNodeModules("FileStorage");
      const d = await fsp.open(splitPath(this.path)[0], "r");
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      /* e.g. Windows: directories cannot be opened */
    }
  }

  async clear(): Promise<void> {
    const fs = await this.fs();
    await this.removeStale(fs);
    try {
      await fs.unlink(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }

  /**
   * Removes this path's temporary files left by writers that died (the rule in the header). Best
   * effort: a directory that cannot be listed, or a file that vanished meanwhile, is no error.
   */
  private async removeStale(fs: FileOps): Promise<void> {
    if (!fs.readdir) return;
    const [dir, base] = splitPath(this.path);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    const prefix = `${base}.tmp-`;
    const me = myPid();
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const m = /^(\d+)-[a-z0-9]+$/.exec(name.slice(prefix.length));
      if (!m) continue;
      const full = this.path.slice(0, this.path.length - base.length) + name; // as save() names it
      const pid = Number(m[1]);
      let stale: boolean;
      if (pid === me) stale = !inflight.has(full);
      else stale = !pidAlive(pid) || (await olderThan(fs, full, STALE_AGE_MS));
      if (stale) await fs.unlink(full).catch(() => {});
    }
  }
}

/** Writes all of b, looping over short writes; a write that makes no progress is an error. */
async function writeAll(h: FileOpsHandle, b: Uint8Array): Promise<void> {
  let off = 0;
  while (off < b.length) {
    const r = await h.write(off === 0 ? b : b.subarray(off));
    const n = r && typeof r.bytesWritten === "number" ? r.bytesWritten : -1;
    if (n <= 0 || n > b.length - off) throw new Error(`short write: ${off} of ${b.length} bytes written`);
    off += n;
  }
}

async function olderThan(fs: FileOps, path: string, ms: number): Promise<boolean> {
  if (!fs.stat) return false;
  try {
    const st = await fs.stat(path);
    return Date.now() - st.mtimeMs > ms;
  } catch {
    return false;
  }
}
