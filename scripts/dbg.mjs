// dbg.mjs - developer tool: runs a Lua file on the DEBUG build with raw exports, printing wasm stack
// traces on traps (function names survive in the debug build). Usage: node scripts/dbg.mjs file.lua
import { readFileSync } from "node:fs";
const wasm = readFileSync(
  new URL(
    process.env.REL
      ? process.env.REL === "named"
        ? "../build/lua-named.wasm"
        : "../build/lua.wasm"
      : "../build/lua-debug.wasm",
    import.meta.url,
  ),
);
const dec = new TextDecoder();
const imports = {
  env: {
    abort(msg, file, line, col) {
      throw new Error(`abort at ${line}:${col}`);
    },
    lua_output(p, n) {
      process.stdout.write(new Uint8Array(mem.buffer, p, n));
    },
    lua_stderr(p, n) {
      process.stderr.write(new Uint8Array(mem.buffer, p, n));
    },
    lua_clock() {
      return process.cpuUsage().user / 1e6;
    },
    lua_time() {
      return Date.now();
    },
    lua_getenv(np, nl, dst, cap) {
      const v = process.env[dec.decode(new Uint8Array(mem.buffer, np, nl))];
      if (v === undefined) return -1;
      const b = new TextEncoder().encode(v);
      if (b.length <= cap) new Uint8Array(mem.buffer, dst, b.length).set(b);
      return b.length;
    },
  },
};
// imports this script does not know (ext tables, fs...) become stubs that return 0
const mod = await WebAssembly.compile(wasm);
for (const imp of WebAssembly.Module.imports(mod)) {
  if (imp.kind === "function" && !(imp.name in (imports[imp.module] ?? {})))
    (imports[imp.module] ??= {})[imp.name] = () => 0;
  if (imp.kind === "table" && !(imp.name in (imports[imp.module] ?? {})))
    (imports[imp.module] ??= {})[imp.name] = new WebAssembly.Table({ initial: 1024, element: "anyfunc" });
}
const instance = await WebAssembly.instantiate(mod, imports);
const x = instance.exports;
const mem = x.memory;
x._start?.();
x.lua_init();
if (process.env.BUDGET) {
  const [n, t] = process.env.BUDGET.split(",").map(Number);
  x.lua_setbudget(n, t || 0);
}
const src = readFileSync(process.argv[2]);
const io = x.io_buffer_ptr();
x.src_reset();
for (let i = 0; i < src.length; i += 65536) {
  const c = src.subarray(i, i + 65536);
  new Uint8Array(mem.buffer, io, c.length).set(c);
  x.src_append(c.length);
}
const name = new TextEncoder().encode("@" + process.argv[2]);
new Uint8Array(mem.buffer, io, name.length).set(name);
const st = x.lua_eval(name.length);
const r = new Uint8Array(mem.buffer, x.result_ptr(), x.result_len());
if (st !== 0) {
  const dv = new DataView(r.buffer, r.byteOffset);
  const n = dv.getUint32(0, true);
  console.error("error:", dec.decode(r.subarray(4, 4 + n)));
  const tn = dv.getUint32(4 + n, true);
  console.error(dec.decode(r.subarray(8 + n, 8 + n + tn)));
} else console.error(`[ok, result bytes ${r.length}, mem ${x.lua_memory_used()}]`);
