// fs-node.ts - NodeFileSystem: the FileSystem of fs.ts over real files with node:fs's synchronous calls
// (used by the CLI and the spec runner; relative paths resolve against process.cwd() as in lua5.4).
// Node has no lseek, so each handle keeps its own position and reads/writes are positional; streams
// that cannot be positioned (pipes, terminals, /dev/stdin) read and write at the current offset and
// refuse to seek with ESPIPE, as fseek does on them.
// node:fs comes from platform.ts, not an import, so a browser bundle may contain this module (as the
// target of runtime.ts's dynamic import) without a `node:` import; there, loading it fails clearly.
// Invariant: a handle is the real file descriptor; only descriptors opened here are accepted.

import { FsError, type FileSystem, type OpenMode, type SeekWhence, tmpCandidate } from "./fs.js";
import { requireNodeModules } from "./platform.js";

const nodefs = requireNodeModules('fs: "node"').fs;

interface NodeHandle {
  pos: number;
  seekable: boolean;
  append: boolean;
}

export class NodeFileSystem implements FileSystem {
  private readonly handles = new Map<number, NodeHandle>();

  private handle(h: number): NodeHandle {
    const m = this.handles.get(h);
    if (!m) throw FsError.of("EBADF");
    return m;
  }

  open(path: string, mode: OpenMode): number {
    let fd: number;
    try {
      fd = nodefs.openSync(path, mode, 0o666);
    } catch (e) {
      throw FsError.from(e);
    }
    let seekable: boolean;
    try {
      const st = nodefs.fstatSync(fd);
      seekable = st.isFile() || st.isBlockDevice();
    } catch {
      seekable = false;
    }
    this.handles.set(fd, { pos: 0, seekable, append: mode[0] === "a" });
    return fd;
  }

  read(h: number, into: Uint8Array): number {
    if (into.length === 0) return 0;
    if (h === 0) return readStdin(into);
    const m = this.handle(h);
    try {
      const n = nodefs.readSync(h, into, 0, into.length, m.seekable ? m.pos : null);
      m.pos += n;
      return n;
    } catch (e) {
      throw FsError.from(e);
    }
  }

  write(h: number, data: Uint8Array): number {
    const m = this.handle(h);
    try {
      if (m.append || !m.seekable) {
        let off = 0;
        while (off < data.length) off += nodefs.writeSync(h, data, off, data.length - off, null);
        if (m.seekable) m.pos = nodefs.fstatSync(h).size;
      } else {
        let off = 0;
        while (off < data.length) off += nodefs.writeSync(h, data, off, data.length - off, m.pos + off);
        m.pos += data.length;
      }
      return data.length;
    } catch (e) {
      throw FsError.from(e);
    }
  }

  seek(h: number, whence: SeekWhence, offset: number): number {
    if (h === 0) throw FsError.of("ESPIPE");
    const m = this.handle(h);
    if (!m.seekable) throw FsError.of("ESPIPE");
    let base = 0;
    try {
      if (whence === "cur") base = m.pos;
      else if (whence === "end") base = nodefs.fstatSync(h).size;
    } catch (e) {
      throw FsError.from(e);
    }
    const pos = base + offset;
    if (pos < 0 || !Number.isFinite(pos)) throw FsError.of("EINVAL");
    m.pos = pos;
    return pos;
  }

  close(h: number): void {
    this.handle(h);
    this.handles.delete(h);
    try {
      nodefs.closeSync(h);
    } catch (e) {
      throw FsError.from(e);
    }
  }

  remove(path: string): void {
    try {
      nodefs.unlinkSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EISDIR" && code !== "EPERM") throw FsError.from(e);
      try {
        nodefs.rmdirSync(path); // C's remove() deletes empty directories too
      } catch (e2) {
        throw FsError.from(e2);
      }
    }
  }

  rename(from: string, to: string): void {
    try {
      nodefs.renameSync(from, to);
    } catch (e) {
      throw FsError.from(e);
    }
  }

  tmpname(): string {
    for (let i = 0; i < 100; i++) {
      const name = tmpCandidate(process.platform === "win32" ? tmpDir() : "/tmp");
      try {
        nodefs.closeSync(nodefs.openSync(name, "wx", 0o600));
        return name;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw FsError.from(e);
      }
    }
    throw FsError.of("EEXIST");
  }
}

function tmpDir(): string {
  return (process.env.TEMP ?? process.env.TMP ?? ".").replace(/\\/g, "/");
}

/** Reads standard input synchronously; a non-blocking stdin that has no data yet is waited for. */
function readStdin(into: Uint8Array): number {
  for (;;) {
    try {
      return nodefs.readSync(0, into, 0, into.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === "EOF") return 0;
      throw FsError.from(e);
    }
  }
}
