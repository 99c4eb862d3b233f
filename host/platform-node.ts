// platform-node.ts - registers Node's built-ins with platform.ts through static imports, so the host
// finds them in any Node >= 20 (process.getBuiltinModule, the fallback, came with 20.16). Imported
// only by the node entry (node.ts) and lua-wasm-luac (the lua-wasm CLI registers its own in cli.ts,
// with node:fs/promises loaded at its first use): never reachable from index.ts, the browser entry.

import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { registerNodeModules } from "./platform.js";

registerNodeModules({ fs, fsp });
