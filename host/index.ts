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
export { MemoryFileSystem, NoFileSystem, FsError, ERRNO } from "./fs.js";
export type { FileSystem, FileSystemOption, OpenMode, SeekWhence, StdinSource } from "./fs.js";
export type { WasmSource } from "./loader.js";
export { LuaMulti, isLuaFunction } from "./typed.js";
export type { LimitOptions } from "./engine.js";
export { ExtTableStore, ExtRef, LuaFloat, HOME_ID, IO_ID } from "./ext-tables.js";
export type { ExtTableInfo, Stored } from "./ext-tables.js";
export { MemoryStorage } from "./persist/storage.js";
export type { StorageAdapter } from "./persist/storage.js";
export { FileStorage } from "./persist/file.js";
export { IndexedDBStorage } from "./persist/indexeddb.js";
export type { IndexedDBStorageOptions } from "./persist/indexeddb.js";
export { CorruptStateError, FORMAT_VERSION } from "./persist/format.js";
export { SnapshotError, SNAPSHOT_VERSION } from "./persist/snapshot.js";
export type { LuaFunction } from "./codec.js";
