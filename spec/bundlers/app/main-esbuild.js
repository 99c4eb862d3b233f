// main-esbuild.js - the entry of the esbuild app: esbuild does not copy assets named by
// new URL(..., import.meta.url), so the module is imported with the `file` loader (loader: { ".wasm":
// "file" }), which copies it to the output and gives its path relative to the bundle.
import { IndexedDBStorage, LuaPersistent } from "lua-wasm-persistent";
import wasmPath from "lua-wasm-persistent/lua.wasm";
import { report, visit } from "./app.js";

report(visit({ LuaPersistent, IndexedDBStorage }, new URL(wasmPath, import.meta.url)));
