// index.ts - the public API of lua-wasm-persistent: what an application needs, nothing it does not.
// No logic lives here. Internals (the runtime, codec, wire format, external-table store, loader) are
// imported from their own modules by the CLI, tests and tools, never re-exported here.

// The façade and the seed's API over it
export { Lua } from "./engine.js";
export type { LuaOptions, LimitOptions, PersistOptions, JitOptions } from "./engine.js";
export { LuaPersistent } from "./persistent.js";
export type { EvalResult, LuaPersistentOptions } from "./persistent.js";
export type { AsyncOptions, InterruptOptions } from "./async.js";
export type { AutosaveMode } from "./persist/autosave.js";
export type { MemoryStats, RuntimeOptions } from "./runtime.js";
export { DEFAULT_MEMORY_LIMIT } from "./runtime.js";
export type { ExtTableInfo } from "./ext/store.js";
export type { ProcessHooks, WasmSource } from "./loader.js";
export { compileLua } from "./loader.js";

// Values crossing the boundary
export { LuaOpaque } from "./codec.js";
export type { LuaValue, LuaTable, LuaFunction, DecodeOptions } from "./codec.js";
export { LuaMulti, isLuaFunction } from "./typed.js";
export { LuaFloat } from "./encode.js";
export { copy, LuaCopy } from "./ref-values.js";
export { LuaTableRef } from "./ref-table.js";
export type { GetOptions } from "./ref-table.js";
export { LuaBigInt } from "./wire.js";

// Errors
export { LuaError, Status } from "./errors.js";
export type { LuaErrorKind } from "./errors.js";
export { SnapshotError } from "./persist/snapshot.js";
export { CorruptStateError } from "./persist/format.js";

// Files Lua sees
export { MemoryFileSystem, FsError, ERRNO } from "./fs.js";
export type { FileSystem, FileSystemOption, OpenMode, SeekWhence, StdinSource } from "./fs.js";

// Where _home is saved
export { MemoryStorage } from "./persist/storage.js";
export type { StorageAdapter } from "./persist/storage.js";
export { FileStorage } from "./persist/file.js";
export { IndexedDBStorage } from "./persist/indexeddb.js";
export type { IndexedDBStorageOptions } from "./persist/indexeddb.js";
