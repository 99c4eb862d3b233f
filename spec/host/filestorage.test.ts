// filestorage.test.ts - FileStorage's crash safety (host/persist/file.ts): full-byte-count checks on
// save, and the removal of temporary files left by dead writers (and only those). The kill-during-save
// fuzzer is spec/fuzz/targets/filestorage-kill.ts.

import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStorage, type FileOps } from "../../host/persist/file.js";

const dir = (): string => mkdtempSync(join(tmpdir(), "lwp-fs-"));

/** A pid that no process has now: a child that already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  expect(r.status).toBe(0);
  return r.pid!;
}

/** node:fs/promises with the handle's write replaced. */
function opsWith(
  write: (h: fsp.FileHandle, b: Uint8Array) => Promise<{ bytesWritten: number }>,
  stat?: (h: fsp.FileHandle) => Promise<{ size: number }>,
): FileOps {
  return {
    readFile: (p) => fsp.readFile(p),
    rename: (a, b) => fsp.rename(a, b),
    unlink: (p) => fsp.unlink(p),
    readdir: (d) => fsp.readdir(d),
    stat: (p) => fsp.stat(p),
    async open(p, flags) {
      const h = await fsp.open(p, flags);
      return {
        write: (b: Uint8Array) => write(h, b),
        sync: () => h.sync(),
        close: () => h.close(),
        stat: () => (stat ? stat(h) : h.stat()),
      };
    },
  };
}

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe("FileStorage", () => {
  it("saves, loads and clears without leaving a temporary file", async () => {
    const d = dir();
    const s = new FileStorage(join(d, "state.bin"));
    expect(await s.load()).toBeNull();
    const img = bytes(100_000, 1);
    await s.save(img);
    expect(Buffer.from((await s.load())!).equals(Buffer.from(img))).toBe(true);
    expect(readdirSync(d)).toEqual(["state.bin"]);
    await s.clear();
    expect(readdirSync(d)).toEqual([]);
    expect(await s.load()).toBeNull();
  });

  it("loops over short writes until every byte is written", async () => {
    const d = dir();
    let calls = 0;
    const s = new FileStorage(
      join(d, "state.bin"),
      opsWith(async (h, b) => {
        calls++;
        return h.write(b.subarray(0, Math.min(b.length, 1000)));
      }),
    );
    const img = bytes(10_500, 2);
    await s.save(img);
    expect(calls).toBe(11);
    expect(readFileSync(join(d, "state.bin")).equals(Buffer.from(img))).toBe(true);
    expect(readdirSync(d)).toEqual(["state.bin"]);
  });

  it("fails a save whose write makes no progress and keeps the previous image", async () => {
    const d = dir();
    const path = join(d, "state.bin");
    await new FileStorage(path).save(bytes(50, 3));
    const s = new FileStorage(
      path,
      opsWith(async (h, b) => (b.length > 10 ? h.write(b.subarray(0, 10)) : { bytesWritten: 0 })),
    );
    await expect(s.save(bytes(5000, 4))).rejects.toThrow("short write: 4990 of 5000 bytes written");
    expect(readFileSync(path).equals(Buffer.from(bytes(50, 3)))).toBe(true);
    expect(readdirSync(d)).toEqual(["state.bin"]);
  });

  it("fails a save when the synced file is not the image's size", async () => {
    const d = dir();
    const path = join(d, "state.bin");
    await new FileStorage(path).save(bytes(50, 3));
    const s = new FileStorage(
      path,
      opsWith(
        (h, b) => h.write(b),
        async (h) => ({ size: (await h.stat()).size - 1 }),
      ),
    );
    await expect(s.save(bytes(5000, 4))).rejects.toThrow("short write: the file has 4999 of 5000 bytes");
    expect(readFileSync(path).equals(Buffer.from(bytes(50, 3)))).toBe(true);
    expect(readdirSync(d)).toEqual(["state.bin"]);
  });

  it("removes the temporary files of dead writers on load, save and clear, and nothing else", async () => {
    for (const op of ["load", "save", "clear"] as const) {
      const d = dir();
      const path = join(d, "state.bin");
      const dead = deadPid();
      const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
      try {
        const live = sleeper.pid!;
        const keep = [
          `state.bin.tmp-${live}-abc123`, // a live writer's file
          `other.bin.tmp-${dead}-abc123`, // another path's file
          `state.bin.tmp-x-abc123`, // not our naming
          `state.bin.bak`,
        ];
        const gone = [
          `state.bin.tmp-${dead}-k2j3h4`, // dead writer
          `state.bin.tmp-${process.pid}-zz9`, // this pid, not in flight: a previous incarnation
          `state.bin.tmp-${live}-old1`, // live pid but abandoned long ago (pid reused)
        ];
        for (const n of [...keep, ...gone]) writeFileSync(join(d, n), "partial");
        const old = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
        utimesSync(join(d, `state.bin.tmp-${live}-old1`), old, old);
        const s = new FileStorage(path);
        if (op === "load") expect(await s.load()).toBeNull();
        else if (op === "save") await s.save(bytes(10, 5));
        else await s.clear();
        const expected = [...keep, ...(op === "save" ? ["state.bin"] : [])].sort();
        expect(readdirSync(d).sort()).toEqual(expected);
      } finally {
        sleeper.kill("SIGKILL");
      }
    }
  });

  it("works with a relative path", async () => {
    const d = dir();
    const cwd = process.cwd();
    process.chdir(d);
    try {
      const dead = deadPid();
      writeFileSync(`rel.bin.tmp-${dead}-abc`, "partial");
      const s = new FileStorage("rel.bin");
      await s.save(bytes(20, 6));
      expect(readdirSync(".").sort()).toEqual(["rel.bin"]);
      expect(Buffer.from((await s.load())!).equals(Buffer.from(bytes(20, 6)))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it("never removes the temporary file of a save in flight in the same process", async () => {
    const d = dir();
    const path = join(d, "state.bin");
    // storage a pauses in the middle of its save (temp file written, not yet renamed) ...
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let paused!: () => void;
    const atGate = new Promise<void>((r) => {
      paused = r;
    });
    const ops = opsWith((h, b) => h.write(b));
    const open = ops.open;
    ops.open = async (p, flags) => {
      const h = await open(p, flags);
      return {
        ...h,
        sync: async () => {
          paused();
          await gate;
          await h.sync();
        },
      };
    };
    const a = new FileStorage(path, ops),
      b = new FileStorage(path);
    const img = bytes(200_000, 7);
    const saving = a.save(img);
    await atGate;
    expect(readdirSync(d).length).toBe(1); // a's temporary file
    // ... while storage b of the same path runs its cleanup in load, save and clear
    await b.load();
    await b.save(bytes(10, 8));
    await b.clear();
    release();
    await saving;
    expect(readFileSync(path).equals(Buffer.from(img))).toBe(true);
    expect(readdirSync(d)).toEqual(["state.bin"]);
  });
});
