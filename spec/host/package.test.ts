// package.test.ts - what `npm pack` ships: the built module, the compiled host with its types, the CLI
// bundle, the license; no source maps (their sources are not shipped), no tests or fixtures. Reports the
// tarball's size. Runs `npm pack --dry-run --ignore-scripts` against the current build (dist/, build/).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

interface Packed {
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

function pack(): Packed {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return JSON.parse(out)[0] as Packed;
}

describe("the npm package", () => {
  it.skipIf(!existsSync(join(ROOT, "dist/host/index.js")))(
    "ships the module, the host with types, the CLI and the license, and no maps or tests",
    () => {
      const p = pack();
      const files = p.files.map((f) => f.path);
      for (const needed of [
        "LICENSE",
        "README.md",
        "package.json",
        "build/lua.wasm",
        "dist/host/index.js",
        "dist/host/index.d.ts",
        "dist/host/cli.bundle.js",
        "bin/lua.js",
      ])
        expect(files).toContain(needed);
      expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
      expect(files.filter((f) => /\.test\.|fixtures|\/fuzz\//.test(f))).toEqual([]);
      expect(files.filter((f) => f.startsWith("assembly/") || f.startsWith("host/"))).toEqual([]);
      console.log(
        `npm pack: ${files.length} files, ${(p.size / 1024).toFixed(0)} KiB packed, ${(p.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
      );
      expect(p.size).toBeLessThan(1024 * 1024);
    },
  );
});
