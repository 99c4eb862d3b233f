// source-tree.ts - where build/lua.wasm is when the host runs from its TypeScript sources (tsx,
// vitest: host/*.ts, one level below the repository root, where the shipped dist/host/ is two).
// loader.ts imports this only when the shipped location has no module, through an import webpack is
// told to leave alone: webpack replaces every other `import.meta.url` with the file: URL of the module
// on the machine that built the bundle, which would write that path into every webpack bundle.
// Invariant: no `new URL("<literal>", import.meta.url)` here: bundlers would look for an asset that
// the package does not have.

const here = import.meta.url;

/** build/lua.wasm of the source tree (no such file in an installed package). */
export const sourceTreeWasmUrl = new URL("../build/lua.wasm", here);
