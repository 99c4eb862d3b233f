// index.ts - public exports of lua-wasm-persistent. No logic lives here.

export { Lua, LuaPersistent, DEFAULT_CHUNKNAME } from "./engine.js";
export type { EvalResult, LuaOptions, LuaPersistentOptions } from "./engine.js";
export type { MemoryStats, RuntimeOptions } from "./runtime.js";
export { DEFAULT_MEMORY_LIMIT } from "./runtime.js";
export { LuaError, Status, STATUS_INTERNAL } from "./errors.js";
export type { LuaErrorKind } from "./errors.js";
export { LuaOpaque, decodeValues } from "./codec.js";
export type { LuaValue, LuaTable, DecodeOptions } from "./codec.js";
export { compileLua } from "./loader.js";
export type { WasmSource } from "./loader.js";
