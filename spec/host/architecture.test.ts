// architecture.test.ts - assembly/ keeps the layer order of docs/ARCHITECTURE.md: every import of
// every file is checked against spec/host/layers.ts (no upward import, no cycle outside the core, the
// VM and the compiler), and the checker itself is checked on synthetic import lists, so a new upward
// import is known to fail the first test.

import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  EMBED,
  LAYERS,
  KNOWN_CYCLES,
  layerOf,
  importsOf,
  resolve,
  edgesOf,
  sourceFiles,
  violations,
  cyclesOf,
  type Edge,
} from "./layers.js";

const ASSEMBLY = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "assembly");

describe("the import order of assembly/", () => {
  it("has no import against the layer order and no cycle outside the core, the VM and the compiler", () => {
    const edges = edgesOf(ASSEMBLY);
    expect(edges.length).toBeGreaterThan(400); // the scan really read the tree
    expect(violations(edges)).toEqual([]);
  });

  it("puts every source file in a layer, and every import resolves to a file that exists", () => {
    expect(sourceFiles(ASSEMBLY).filter((f) => layerOf(f) < 0)).toEqual([]);
    const missing = edgesOf(ASSEMBLY).filter((e) => !existsSync(join(ASSEMBLY, e.to)));
    expect(missing).toEqual([]);
  });

  it("lists only known cycles that still exist (a fixed one must leave the list)", () => {
    const cycles = cyclesOf(edgesOf(ASSEMBLY)).map((c) => c.join());
    for (const k of KNOWN_CYCLES) expect(cycles).toContain(k.files.join());
  });
});

describe("the layer checker", () => {
  const edge = (from: string, to: string): Edge => ({ from, to });

  it("places files by their longest prefix: vm/state.ts in the core, other vm/ files in the VM", () => {
    const name = (f: string) => LAYERS[layerOf(f)]?.name;
    expect(name("vm/state.ts")).toBe("core");
    expect(name("vm/call.ts")).toBe("vm");
    expect(name("object/table.ts")).toBe("core");
    expect(name("gc/mark.ts")).toBe("core");
    expect(name("sys/imports.ts")).toBe("mem");
    expect(name("luaconf.ts")).toBe("mem");
    expect(name(`${EMBED}/ext.ts`)).toBe("embed");
    expect(name("index.ts")).toBe("index");
    expect(layerOf("newdir/x.ts")).toBe(-1);
  });

  it("rejects an upward import and names both ends and their layers", () => {
    expect(violations([edge("lib/base.ts", `${EMBED}/ext.ts`)])).toEqual([
      `lib/base.ts (lib) imports ${EMBED}/ext.ts (embed): an upward import`,
    ]);
    expect(violations([edge("vm/call.ts", "lib/aux.ts")])).toHaveLength(1);
    expect(violations([edge("persist/snapshot.ts", `${EMBED}/ext.ts`)])).toHaveLength(1);
    expect(violations([edge("vm/state.ts", "vm/call.ts")])).toHaveLength(1); // core → VM
    expect(violations([edge("gc/collect.ts", "vm/api.ts")])).toHaveLength(1);
    expect(violations([edge("vm/execute.ts", "compiler/parser.ts")])).toHaveLength(1);
    expect(violations([edge("mem/alloc.ts", "object/value.ts")])).toHaveLength(1);
  });

  it("accepts imports of the same or a lower layer", () => {
    expect(
      violations([
        edge("index.ts", `${EMBED}/bridge.ts`),
        edge(`${EMBED}/bridge.ts`, "persist/snapshot.ts"),
        edge("persist/snapshot.ts", "lib/io.ts"),
        edge("lib/base.ts", "compiler/undump.ts"),
        edge("compiler/code.ts", "vm/opcodes.ts"),
        edge("vm/call.ts", "vm/state.ts"),
        edge("gc/mark.ts", "vm/state.ts"),
        edge("object/table.ts", "mem/alloc.ts"),
        edge("lib/string.ts", "lib/strutil.ts"),
        edge("sys/iobuf.ts", "luaconf.ts"),
      ]),
    ).toEqual([]);
  });

  it("allows cycles inside the core, the VM and the compiler only", () => {
    expect(violations([edge("vm/call.ts", "vm/execute.ts"), edge("vm/execute.ts", "vm/call.ts")])).toEqual([]);
    expect(
      violations([edge("compiler/code.ts", "compiler/scope.ts"), edge("compiler/scope.ts", "compiler/code.ts")]),
    ).toEqual([]);
    expect(violations([edge("gc/collect.ts", "vm/state.ts"), edge("vm/state.ts", "gc/collect.ts")])).toEqual([]);
    expect(violations([edge("lib/string.ts", "lib/pattern.ts"), edge("lib/pattern.ts", "lib/string.ts")])).toEqual([
      "import cycle: lib/pattern.ts → lib/string.ts",
    ]);
    expect(
      violations([
        edge("lib/os.ts", "lib/init.ts"),
        edge("lib/init.ts", "lib/table.ts"),
        edge("lib/table.ts", "lib/os.ts"),
      ]),
    ).toEqual(["import cycle: lib/init.ts → lib/os.ts → lib/table.ts"]);
  });

  it("rejects a file or a target in no layer", () => {
    expect(violations([edge("newdir/x.ts", "mem/alloc.ts")])[0]).toMatch(/newdir\/x\.ts: in no layer/);
    expect(violations([edge("lib/x.ts", "newdir/y.ts")])[0]).toMatch(/imports newdir\/y\.ts, which is in no layer/);
  });

  it("reads every form of import and re-export, over several lines, and resolves them", () => {
    const src = [
      "import { a,",
      '  b } from "../vm/api";',
      'import * as ltable from "../object/table";',
      'export { c } from "./aux";',
      'import "./natives";',
      '// import { z } from "../host/ext";   (a comment is not an import)',
      "const s = \"import { y } from '../persist/snapshot'\";",
    ].join("\n");
    expect(importsOf(src)).toEqual(["../vm/api", "../object/table", "./aux", "./natives"]);
    expect(resolve("lib/base.ts", "../vm/api")).toBe("vm/api.ts");
    expect(resolve("lib/base.ts", "./aux")).toBe("lib/aux.ts");
    expect(resolve("index.ts", "./lib/init")).toBe("lib/init.ts");
  });
});
