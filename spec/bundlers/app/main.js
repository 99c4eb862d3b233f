// main.js - the entry of the Vite, webpack and Rollup apps: the package by name, its module found by
// the package itself (new URL("../../build/lua.wasm", import.meta.url), which these bundlers copy).
import { IndexedDBStorage, LuaPersistent } from "lua-wasm-persistent";
import { report, visit } from "./app.js";

report(visit({ LuaPersistent, IndexedDBStorage }));
