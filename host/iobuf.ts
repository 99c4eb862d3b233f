// iobuf.ts - host side of the module's static IO buffer: sends source, chunk names and arguments in,
// reads the result area out.
// Invariant: every write re-reads the memory view after each export call (src_append may grow memory),
// and nothing longer than io_buffer_size bytes is ever copied into the buffer at once.

import type { LuaWasm } from "./loader.js";

const encoder = new TextEncoder();

/** Lua strings are bytes: JS strings are sent as UTF-8, byte arrays as they are. */
export function toBytes(text: string | Uint8Array): Uint8Array {
  return typeof text === "string" ? encoder.encode(text) : text;
}

/** Copies up to io_buffer_size bytes to the buffer start; returns how many were copied. */
function fill(wasm: LuaWasm, bytes: Uint8Array): number {
  const ptr = wasm.exports.io_buffer_ptr();
  const n = Math.min(bytes.length, wasm.exports.io_buffer_size());
  wasm.bytes().set(bytes.subarray(0, n), ptr);
  return n;
}

/**
 * Replaces the pending source with `source`, streamed in buffer-sized chunks (src_reset + src_append).
 * False when the source would pass the memory limit (the module keeps none of it).
 */
export function writeSource(wasm: LuaWasm, source: string | Uint8Array): boolean {
  if (typeof source === "string" && source.length * 3 <= wasm.exports.io_buffer_size()) {
    // fast path (every small eval): UTF-8 straight into the IO buffer, no intermediate array
    const ptr = wasm.exports.io_buffer_ptr();
    const { written } = encoder.encodeInto(source, wasm.bytes().subarray(ptr, ptr + source.length * 3));
    wasm.exports.src_reset();
    return wasm.exports.src_append(written) === 0;
  }
  const bytes = toBytes(source);
  wasm.exports.src_reset();
  for (let off = 0; off < bytes.length;) {
    const n = fill(wasm, bytes.subarray(off));
    if (wasm.exports.src_append(n) !== 0) {
      wasm.exports.src_reset();
      return false;
    }
    off += n;
  }
  return true;
}

/** Encoded chunk names: the same few names ("=input") are sent on every eval. */
const nameCache = new Map<string, Uint8Array>();

/** Puts a chunk name ("=input", "@file.lua") at the buffer start; returns its length for lua_eval. */
export function writeName(wasm: LuaWasm, name: string | Uint8Array): number {
  if (typeof name !== "string") return fill(wasm, name);
  let bytes = nameCache.get(name);
  if (bytes === undefined) {
    bytes = encoder.encode(name);
    if (nameCache.size < 64) nameCache.set(name, bytes);
  }
  return fill(wasm, bytes);
}

/** Sets global arg[index] (the CLI's `arg` table) to `value`. */
export function writeArg(wasm: LuaWasm, index: number, value: string | Uint8Array): void {
  const n = fill(wasm, toBytes(value));
  wasm.exports.arg_set(index, n);
}

/** A copy of the result area left by the last lua_eval/lua_listing. */
export function readResult(wasm: LuaWasm): Uint8Array {
  // an address is an i32 to JS: above 2 GiB (linear memory grows to 4 GiB at the memory ceiling)
  // it reads negative, and slice() would count it from the end of memory
  const ptr = wasm.exports.result_ptr() >>> 0;
  const len = wasm.exports.result_len();
  return wasm.bytes().slice(ptr, ptr + len);
}
