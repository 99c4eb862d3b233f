// fs.ts - the file system Lua sees through io.open, io.lines, require, dofile, loadfile, os.remove,
// os.rename and os.tmpname (the lua_fs_* imports of docs/ABI.md). A FileSystem is a small synchronous,
// handle-based API; this file holds the interface, its errors (errno numbers with glibc's strerror
// texts, so messages match lua5.4's) and two implementations that need no Node: MemoryFileSystem
// (the library default: files in a Map, so browsers work) and NoFileSystem (the strict sandbox: every
// access is refused). NodeFileSystem (real files) lives in fs-node.ts so browser bundles never see
// node:fs.
// Invariants: handles are integers ≥ 3 (0 is standard input, read-only; 1 and 2 are never handed out);
// every failure is thrown as an FsError carrying an errno number and its strerror text.

// ==== Errors ====

/** errno numbers (Linux) and glibc's strerror texts for the errors a file system reports. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  ENXIO: 6,
  EBADF: 9,
  EAGAIN: 11,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EMFILE: 24,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  ENAMETOOLONG: 36,
  ENOTEMPTY: 39,
  ELOOP: 40,
} as const;
export type ErrnoCode = keyof typeof ERRNO;

const STRERROR: Record<ErrnoCode, string> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  EACCES: "Permission denied",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  EXDEV: "Invalid cross-device link",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  EMFILE: "Too many open files",
  ENOSPC: "No space left on device",
  ESPIPE: "Illegal seek",
  EROFS: "Read-only file system",
  ENAMETOOLONG: "File name too long",
  ENOTEMPTY: "Directory not empty",
  ELOOP: "Too many levels of symbolic links",
};

/** A failed file operation: `errno` and `message` are what C's errno and strerror would give. */
export class FsError extends Error {
  constructor(
    readonly code: string,
    readonly errno: number,
    message: string,
  ) {
    super(message);
    this.name = "FsError";
  }

  static of(code: ErrnoCode): FsError {
    return new FsError(code, ERRNO[code], STRERROR[code]);
  }

  /** Any thrown value as an FsError: Node's errors by their code, anything else as EIO. */
  static from(e: unknown): FsError {
    if (e instanceof FsError) return e;
    const code = (e as { code?: unknown })?.code;
    if (typeof code === "string" && code in ERRNO) return FsError.of(code as ErrnoCode);
    let text: string;
    try {
      text = e instanceof Error ? e.message : String(e);
    } catch {
      text = "Input/output error";
    } // e.g. a null-prototype object
    return new FsError("EIO", ERRNO.EIO, text);
  }
}

// ==== The interface ====

/** fopen modes without "b": the module strips binary flags and validates the mode before asking. */
export type OpenMode = "r" | "w" | "a" | "r+" | "w+" | "a+";
export type SeekWhence = "set" | "cur" | "end";

/**
 * A synchronous file system. Every method throws FsError on failure. Paths are the Lua strings
 * decoded as UTF-8, exactly as the script wrote them (relative paths are the implementation's to
 * resolve).
 */
export interface FileSystem {
  /** Opens a file as fopen(path, mode) would; returns a handle ≥ 3. */
  open(path: string, mode: OpenMode): number;
  /** Reads up to into.length bytes at the handle's position; returns the count, 0 at end of file.
   *  Handle 0 is standard input. */
  read(handle: number, into: Uint8Array): number;
  /** Writes all of `data` at the handle's position (at the end for "a" modes); returns data.length. */
  write(handle: number, data: Uint8Array): number;
  /** Moves the position (fseek) and returns the new absolute position. */
  seek(handle: number, whence: SeekWhence, offset: number): number;
  close(handle: number): void;
  /** Deletes a file (or an empty directory), as C's remove(). */
  remove(path: string): void;
  rename(from: string, to: string): void;
  /** Creates a new empty file with a unique name and returns the name (mkstemp, os.tmpname). */
  tmpname(): string;
}

/** Standard input given to a file system as bytes or text. */
export type StdinSource = Uint8Array | string;

function bytesOf(s: StdinSource | undefined): Uint8Array {
  if (s === undefined) return new Uint8Array(0);
  return typeof s === "string" ? new TextEncoder().encode(s) : s;
}

const TMPCHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A candidate temporary name like mkstemp's "/tmp/lua_XXXXXX". */
export function tmpCandidate(dir = "/tmp"): string {
  let s = "";
  for (let i = 0; i < 6; i++) s += TMPCHARS[Math.floor(Math.random() * TMPCHARS.length)];
  return `${dir}/lua_${s}`;
}

// ==== MemoryFileSystem ====

/** File contents with spare capacity, so appending is amortised O(1). */
interface MemFile {
  data: Uint8Array;
  size: number;
}
interface MemHandle {
  file: MemFile | null;
  pos: number;
  read: boolean;
  write: boolean;
  append: boolean;
}

/**
 * Files held in memory, keyed by normalised absolute path ("x.lua", "./x.lua" and "/x.lua" are the
 * same file: the working directory is "/"). Directories exist implicitly: a path is a directory when
 * some file lies below it. Use writeFile/readFile to exchange files with Lua.
 */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, MemFile>();
  private readonly handles = new Map<number, MemHandle>();
  private nextHandle = 3;
  private stdin: Uint8Array;
  private stdinPos = 0;

  constructor(
    files?: Iterable<[string, StdinSource]> | Record<string, StdinSource>,
    options: { stdin?: StdinSource } = {},
  ) {
    const entries = files === undefined ? [] : Symbol.iterator in files ? files : Object.entries(files);
    for (const [path, content] of entries as Iterable<[string, StdinSource]>) this.writeFile(path, content);
    this.stdin = bytesOf(options.stdin);
  }

  /** "/a/b" for "a/b", "./a//b", "/a/c/../b". */
  static normalize(path: string): string {
    const out: string[] = [];
    for (const part of path.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") out.pop();
      else out.push(part);
    }
    return "/" + out.join("/");
  }

  /** Creates or replaces a file. */
  writeFile(path: string, content: StdinSource): void {
    const data = bytesOf(content).slice();
    this.files.set(MemoryFileSystem.normalize(path), { data, size: data.length });
  }

  /** A copy of a file's contents, or undefined if there is no such file. */
  readFile(path: string): Uint8Array | undefined {
    const f = this.files.get(MemoryFileSystem.normalize(path));
    return f ? f.data.slice(0, f.size) : undefined;
  }

  /** A file's contents decoded as UTF-8, or undefined. */
  readText(path: string): string | undefined {
    const b = this.readFile(path);
    return b === undefined ? undefined : new TextDecoder().decode(b);
  }

  exists(path: string): boolean {
    return this.files.has(MemoryFileSystem.normalize(path));
  }

  /** The normalised paths of all files, sorted. */
  list(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Replaces what Lua reads from standard input (io.read, io.stdin). */
  setStdin(content: StdinSource): void {
    this.stdin = bytesOf(content);
    this.stdinPos = 0;
  }

  private isDir(p: string): boolean {
    if (p === "/") return true;
    const prefix = p + "/";
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  private handle(h: number): MemHandle {
    const m = this.handles.get(h);
    if (!m) throw FsError.of("EBADF");
    return m;
  }

  open(path: string, mode: OpenMode): number {
    const p = MemoryFileSystem.normalize(path);
    const read = mode === "r" || mode.endsWith("+");
    const write = mode !== "r";
    let file = this.files.get(p) ?? null;
    if (file === null && this.isDir(p)) {
      if (write) throw FsError.of("EISDIR");
    } else if (file === null) {
      if (mode === "r" || mode === "r+") throw FsError.of("ENOENT");
      file = { data: new Uint8Array(0), size: 0 };
      this.files.set(p, file);
    } else if (mode[0] === "w") {
      file.size = 0;
    }
    const h = this.nextHandle++;
    this.handles.set(h, { file, pos: 0, read, write, append: mode[0] === "a" });
    return h;
  }

  read(h: number, into: Uint8Array): number {
    if (h === 0) {
      const n = Math.min(into.length, this.stdin.length - this.stdinPos);
      into.set(this.stdin.subarray(this.stdinPos, this.stdinPos + n));
      this.stdinPos += n;
      return n;
    }
    const m = this.handle(h);
    if (m.file === null) throw FsError.of("EISDIR");
    if (!m.read) throw FsError.of("EBADF");
    const n = Math.max(0, Math.min(into.length, m.file.size - m.pos));
    into.set(m.file.data.subarray(m.pos, m.pos + n));
    m.pos += n;
    return n;
  }

  write(h: number, data: Uint8Array): number {
    const m = this.handle(h);
    if (m.file === null || !m.write) throw FsError.of("EBADF");
    const f = m.file;
    if (m.append) m.pos = f.size;
    const end = m.pos + data.length;
    if (end > f.data.length) {
      const grown = new Uint8Array(Math.max(end, f.data.length * 2, 64));
      grown.set(f.data.subarray(0, f.size));
      f.data = grown;
    }
    if (m.pos > f.size) f.data.fill(0, f.size, m.pos); // a write past the end leaves a hole of zeros
    f.data.set(data, m.pos);
    m.pos = end;
    if (end > f.size) f.size = end;
    return data.length;
  }

  seek(h: number, whence: SeekWhence, offset: number): number {
    if (h === 0) throw FsError.of("ESPIPE");
    const m = this.handle(h);
    const base = whence === "set" ? 0 : whence === "cur" ? m.pos : (m.file?.size ?? 0);
    const pos = base + offset;
    if (pos < 0 || !Number.isFinite(pos)) throw FsError.of("EINVAL");
    m.pos = pos;
    return pos;
  }

  close(h: number): void {
    this.handle(h);
    this.handles.delete(h);
  }

  remove(path: string): void {
    const p = MemoryFileSystem.normalize(path);
    if (this.files.delete(p)) return;
    throw FsError.of(this.isDir(p) ? "ENOTEMPTY" : "ENOENT");
  }

  rename(from: string, to: string): void {
    const a = MemoryFileSystem.normalize(from),
      b = MemoryFileSystem.normalize(to);
    const f = this.files.get(a);
    if (!f) throw FsError.of(this.isDir(a) ? "EXDEV" : "ENOENT");
    if (this.isDir(b)) throw FsError.of("EISDIR");
    this.files.delete(a);
    this.files.set(b, f);
  }

  tmpname(): string {
    for (let i = 0; i < 100; i++) {
      const name = tmpCandidate();
      if (!this.files.has(name)) {
        this.files.set(name, { data: new Uint8Array(0), size: 0 });
        return name;
      }
    }
    throw FsError.of("EEXIST");
  }
}

// ==== NoFileSystem ====

/** The strict sandbox: no file can be opened, removed, renamed or created; standard input is empty. */
export class NoFileSystem implements FileSystem {
  open(): number {
    throw FsError.of("EACCES");
  }
  read(h: number): number {
    if (h === 0) return 0;
    throw FsError.of("EBADF");
  }
  write(): number {
    throw FsError.of("EBADF");
  }
  seek(): number {
    throw FsError.of("EBADF");
  }
  close(): void {
    throw FsError.of("EBADF");
  }
  remove(): void {
    throw FsError.of("EACCES");
  }
  rename(): void {
    throw FsError.of("EACCES");
  }
  tmpname(): string {
    throw FsError.of("EACCES");
  }
}

/** How an engine option names a file system: one of the built-in kinds or an implementation. */
export type FileSystemOption = "memory" | "node" | "none" | FileSystem;
