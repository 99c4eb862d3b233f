// answer.ts - how a host import answers the module (docs/ABI.md "Imports"): encoded values put into
// the module's input buffer, and the error answer an import gives for an exception. Shared by the
// external-table and host-function imports (ext/imports.ts) and the JS-reference imports (refs.ts).
// Invariants: the input buffer is asked for with val_buffer, which may grow memory, so the byte view
// is re-read after it; failAnswer never throws (an exception must not unwind through wasm).

import { encodeValues, type EncodeContext } from "./encode.js";
import { HostMemoryError } from "./ext/values.js";
import type { LuaWasm } from "./loader.js";
import { Writer } from "./wire.js";

/** The answer past the memory limit: the module raises "not enough memory" (Answer.NOMEM). */
const NOMEM = -3;

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
