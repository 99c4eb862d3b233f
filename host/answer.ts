// answer.ts - how a host import answers the module (docs/ABI.md "Imports"): encoded values put into
// the module's input buffer, and the error answer an import gives for an exception. Shared by the
// external-table and host-function imports (ext/imports.ts) and the JS-reference imports (refs.ts).
// Invariants: the input buffer is asked for with val_buffer, which may grow memory, so the byte view
// is re-read after it; failAnswer never throws (an exception must not unwind through wasm).

import { encodeValues, isLuaInteger, type EncodeContext } from "./encode.js";
import { HostMemoryError } from "./ext/values.js";
import type { LuaWasm } from "./loader.js";
import { Tag, Writer } from "./wire.js";

/**
 * Answers of the imports beside the value tags (assembly/embed/ext.ts R_*; spec/host/wire.test.ts
 * checks them against it). The typed reads (ext_get_s/ext_get_i, js_get_s/js_get_i) and the calls'
 * single results (host_call, js_call) answer NIL..FLT for scalars in the result area.
 */
export enum Answer {
  /** The answer (or a write) would pass the memory limit: the module raises "not enough memory". */
  NOMEM = -3,
  /** host_call: a LuaError escaped the JS function; its message (input buffer) is raised unchanged. */
  RETHROW = -6,
  /** host_call: the JS function returned a promise an async call awaits (host/async.ts); no values. */
  AWAIT = -7,
  /** host_call, js_call: MULTI - n for n results in the input buffer in the general encoding. */
  MULTI = -100,
  /** The value is in the input buffer in the general encoding. */
  GENERIC = 15,
  /** STR + n: a string of n bytes in the result area after its f64 slot. */
  STR = 16,
}

/** String bytes that fit in the result area after its f64 (assembly/embed/ext.ts OUT_STR). */
export const OUT_STR = 256;

const NOMEM = Answer.NOMEM;

/** answerScalar's answer for a value it does not answer (never an import's answer). */
export const NOT_SCALAR = -1000;

/**
 * Answers v in the typed form when it is a scalar: nil (null or undefined), a boolean, a number (its
 * f64 at `out`: INT for a safe integer, FLT for anything else, as the encoder decides) or an ASCII
 * string of at most OUT_STR characters (its bytes at out + 8: STR + n). NOT_SCALAR, with nothing
 * written, for anything else (the caller's general path).
 */
export function answerScalar(w: LuaWasm, v: unknown, out: number): number {
  switch (typeof v) {
    case "undefined":
      return Tag.NIL;
    case "boolean":
      return v ? Tag.TRUE : Tag.FALSE;
    case "number":
      w.view().setFloat64(out >>> 0, v, true);
      return isLuaInteger(v) ? Tag.INT : Tag.FLT;
    case "string": {
      const n = v.length;
      if (n > OUT_STR) return NOT_SCALAR;
      const mem = w.bytes(),
        base = (out >>> 0) + 8;
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) return NOT_SCALAR; // bytes written past `out` + 8 are nobody's yet
        mem[base + i] = c;
      }
      return Answer.STR + n;
    }
  }
  return v === null ? Tag.NIL : NOT_SCALAR;
}

/**
 * Puts encoded values (bytes, or what a Writer holds) into the module's input buffer; HostMemoryError
 * when they do not fit the limit.
 */
export function answer(w: LuaWasm, input: Uint8Array | Writer): void {
  const n = input instanceof Writer ? input.len : input.length;
  const p = w.exports.val_buffer(n) >>> 0;
  if (p === 0) throw new HostMemoryError();
  if (input instanceof Writer) input.copyTo(w.bytes(), p);
  else w.bytes().set(input, p);
}

/** The text of any thrown value, even one whose conversion to a string throws. */
export function describeError(e: unknown): string {
  try {
    return e instanceof Error ? String(e.message) : String(e);
  } catch {
    return "(an exception that cannot be converted to a string)";
  }
}

/**
 * The error answer for exception `e`: -1 with an Error's message, or any other thrown value as itself
 * (encoded with `ctx`: an object by reference where it allows), as the error value in the input
 * buffer; its text when the value cannot be sent; NOMEM past the memory limit or when not even the
 * text fits. Never throws.
 */
export function failAnswer(w: LuaWasm, e: unknown, ctx: EncodeContext = {}): number {
  if (e instanceof HostMemoryError) return NOMEM;
  try {
    answer(w, encodeValues([e instanceof Error ? e.message : e], ctx));
    return -1;
  } catch {
    /* an error value that cannot be sent: its text, below */
  }
  try {
    answer(w, encodeValues([describeError(e)]));
    return -1;
  } catch {
    return NOMEM;
  }
}
