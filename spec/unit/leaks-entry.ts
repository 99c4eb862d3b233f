// leaks-entry.ts (unit) - the interpreter's exports (assembly/index.ts) plus debug figures for the leak
// tests (spec/unit/leaks.test.ts): buf_live (live Buffers), heapused (bytes in the allocator's used
// blocks, counted or not), heapcheck (alloc.ts's picture of AS's TLSF matches the heap) and t_collect (frees the compiler's managed scratch now, as a compile
// eventually would). Built with spec/unit/asconfig.leaks.json (asserts on, LUA_DEBUG) into
// build/unit/lua-leaks.wasm, which the host loads like build/lua.wasm. Not part of the shipped module.
export * from "../../assembly/index";
export { buf_live } from "../../assembly/mem/buffer";
export { heapused, heapcheck } from "../../assembly/mem/alloc";

/** Collects AssemblyScript's managed heap (no managed object is live between host calls). */
export function t_collect(): void { __collect(); }
