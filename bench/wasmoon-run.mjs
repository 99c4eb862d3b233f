// wasmoon-run.mjs - runs one Lua file on wasmoon as a whole process (bench --process): what a user of
// wasmoon from Node pays for one script, startup included. Prints what the script prints.
//   node bench/wasmoon-run.mjs file.lua
import { readFileSync } from "node:fs";
import { LuaFactory } from "wasmoon";

const file = process.argv[2];
const engine = await new LuaFactory().createEngine();
try {
  engine.global.set("__bench_src", readFileSync(file, "latin1"));
  engine.doStringSync(`assert(load(__bench_src, "@${file.replace(/.*\//, "")}"))()`);
} finally {
  engine.global.close();
}
