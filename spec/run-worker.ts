// run-worker.ts - child process of spec/run.ts: runs spec cases through the host engine, one fresh
// Lua state per case, and reports stdout bytes and the error message over IPC.
// Invariant: a case sees exactly what `lua5.4 <path>` sees from the repo root: the file's raw bytes
// with a leading '#' line skipped, chunk name "@<path>", arg[0] = path and arg[-1] = "lua5.4".

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fileChunkName, skipComment } from "../host/chunk.js";
import { LuaError } from "../host/errors.js";
import { compileLua } from "../host/loader.js";
import { LuaRuntime } from "../host/runtime.js";

/** Request from the runner. */
export interface CaseRequest {
  id: number;
  path: string;
}
/** Reply: stdout as base64, the error message (null if the script ran to completion). */
export interface CaseReply {
  id: number;
  stdout: string;
  error: string | null;
  internal?: boolean;
  /** With the JIT on (LUA_WASM_JIT_THRESHOLD set): the functions the case compiled. */
  jitCompiles?: number;
}

/**
 * LUA_WASM_JIT_THRESHOLD=n runs every case with the JIT on at that threshold (0: everything compiled
 * at its first call or loop); LUA_WASM_JIT_STRESS=n also makes compiled code exit to the interpreter
 * every n instructions. Unset: the defaults (JIT off).
 */
const JIT_THRESHOLD = process.env.LUA_WASM_JIT_THRESHOLD ? Number(process.env.LUA_WASM_JIT_THRESHOLD) : -1;
const JIT_STRESS = Number(process.env.LUA_WASM_JIT_STRESS ?? 0);

const MAX_OUTPUT = 16 << 20; // a runaway printer fails its case instead of exhausting memory

const wasmPath = process.argv[2] ?? fileURLToPath(new URL("../build/lua.wasm", import.meta.url));
const modulePromise = compileLua(wasmPath);

async function runCase(req: CaseRequest): Promise<CaseReply> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let module: WebAssembly.Module;
  try {
    module = await modulePromise;
  } catch (e) {
    return { id: req.id, stdout: "", error: `cannot load ${wasmPath}: ${(e as Error).message}`, internal: true };
  }
  const rt = await LuaRuntime.create({
    wasm: module,
    warmup: false,
    stdout: (b) => {
      if (size < MAX_OUTPUT) {
        chunks.push(b.slice());
        size += b.length;
      }
    },
    stderr: () => {},
    fs: "node", // files relative to the repo root, as lua5.4 sees them
    env: process.env, // os.getenv sees the environment, as lua5.4 does
  });
  if (JIT_THRESHOLD >= 0)
    rt.setup = { instance: (w) => w.exports.lua_setjit(1, JIT_THRESHOLD, JIT_STRESS), state: () => {} };
  let error: string | null = null;
  let internal = false;
  let jitCompiles: number | undefined;
  try {
    rt.init();
    rt.setArgs([
      [-1, "lua5.4"],
      [0, req.path],
    ]);
    rt.exec(skipComment(readFileSync(req.path)), fileChunkName(req.path));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    internal = !(e instanceof LuaError) || e.kind === "internal";
  } finally {
    if (JIT_THRESHOLD >= 0) jitCompiles = rt.memoryStats().jit_compiles; // (the state is live until close)
    rt.close();
  }
  if (size >= MAX_OUTPUT) chunks.push(Buffer.from("\n[output truncated by the spec runner]\n"));
  return { id: req.id, stdout: Buffer.concat(chunks).toString("base64"), error, internal, jitCompiles };
}

process.on("message", (req: CaseRequest) => {
  runCase(req).then((reply) => process.send!(reply));
});
