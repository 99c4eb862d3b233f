// layers.ts - the import order of assembly/ (docs/ARCHITECTURE.md "Layers") as data, and the checker
// that spec/host/architecture.test.ts runs over every import of the tree.
// A file belongs to the layer of its longest matching path prefix; it may import its own layer and
// the layers below it, never one above. Cycles are allowed only inside the layers that are mutually
// recursive by nature (the object/collector core, the VM, the compiler), as in PUC Lua; anywhere else
// a cycle fails (KNOWN_CYCLES lists the one exception, with its reason).

import ts from "typescript";
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";

/** The folder of the embedding layer under assembly/ (the one line to change when it is renamed). */
export const EMBED = "embed";

export interface Layer {
  name: string;
  /** Path prefixes relative to assembly/: a folder ends in "/", a file is named in full. */
  paths: string[];
  /** Whether files of this layer may import each other in a cycle. */
  cycles: boolean;
}

/** Bottom up: each layer may import only itself and the layers before it. */
export const LAYERS: Layer[] = [
  { name: "mem", paths: ["luaconf.ts", "mem/", "sys/"], cycles: false },
  { name: "core", paths: ["object/", "gc/", "vm/state.ts"], cycles: true },
  { name: "vm", paths: ["vm/"], cycles: true },
  { name: "jit", paths: ["jit/"], cycles: false },
  { name: "compiler", paths: ["compiler/"], cycles: true },
  { name: "lib", paths: ["lib/"], cycles: false },
  { name: "persist", paths: ["persist/"], cycles: false },
  { name: "embed", paths: [EMBED + "/"], cycles: false },
  { name: "index", paths: ["index.ts"], cycles: false },
];

/** Cycles allowed outside the cyclic layers: the files of each, sorted, with why. */
export const KNOWN_CYCLES: { files: string[]; why: string }[] = [
  {
    files: [`${EMBED}/extfn.ts`, `${EMBED}/valcodec.ts`],
    why: "mutual recursion: a stored function's upvalues are values, and a value may be a function",
  },
];

/** One import: `from` imports `to`, both paths relative to assembly/ with their .ts extension. */
export interface Edge {
  from: string;
  to: string;
}

/** The layer index of a file (longest prefix wins, so vm/state.ts is core, not vm), or -1. */
export function layerOf(file: string, layers: Layer[] = LAYERS): number {
  let best = -1,
    bestlen = -1;
  layers.forEach((l, i) => {
    for (const p of l.paths) {
      const hit = p.endsWith("/") ? file.startsWith(p) : file === p;
      if (hit && p.length > bestlen) {
        best = i;
        bestlen = p.length;
      }
    }
  });
  return best;
}

/** The relative module specifiers a source imports or re-exports (TypeScript's own scanner). */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Resolves a specifier of `from` to a path relative to assembly/ ("../vm/api" → "vm/api.ts"). */
export function resolve(from: string, spec: string): string {
  const p = posix.normalize(posix.join(posix.dirname(from), spec));
  return p.endsWith(".ts") ? p : p + ".ts";
}

/** Every .ts file under dir, relative to it, with "/" separators. */
export function sourceFiles(dir: string, sub = ""): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) return sourceFiles(dir, rel);
    return e.name.endsWith(".ts") ? [rel] : [];
  });
}

/** The imports of every file of the tree at dir (assembly/). */
export function edgesOf(dir: string): Edge[] {
  return sourceFiles(dir).flatMap((from) =>
    importsOf(readFileSync(join(dir, from), "utf8"))
      .filter((s) => s.startsWith("."))
      .map((s) => ({ from, to: resolve(from, s) })),
  );
}

/** Strongly connected components of more than one file (Tarjan). */
export function cyclesOf(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>(),
    low = new Map<string, number>();
  const stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = [];
  let n = 0;
  const visit = (v: string): void => {
    index.set(v, n);
    low.set(v, n);
    n++;
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/**
 * Every breach of the order, as readable lines: a file or import target in no layer, an import of a
 * higher layer, a cycle across layers or inside a layer that allows none (unless known).
 */
export function violations(edges: Edge[], layers: Layer[] = LAYERS, known = KNOWN_CYCLES): string[] {
  const out: string[] = [];
  const name = (i: number) => layers[i].name;
  for (const e of edges) {
    const a = layerOf(e.from, layers),
      b = layerOf(e.to, layers);
    if (a < 0) out.push(`${e.from}: in no layer (add its folder to LAYERS in spec/host/layers.ts)`);
    else if (b < 0) out.push(`${e.from} imports ${e.to}, which is in no layer`);
    else if (b > a) out.push(`${e.from} (${name(a)}) imports ${e.to} (${name(b)}): an upward import`);
  }
  for (const c of cyclesOf(edges)) {
    const ls = new Set(c.map((f) => layerOf(f, layers)));
    const oneCyclic = ls.size === 1 && [...ls][0] >= 0 && layers[[...ls][0]].cycles;
    const isKnown = known.some((k) => k.files.join() === c.join());
    if (!oneCyclic && !isKnown) out.push(`import cycle: ${c.join(" → ")}`);
  }
  return [...new Set(out)];
}
