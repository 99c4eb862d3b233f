// validate.ts - argument checks shared by both public APIs, so misuse gives a clear TypeError
// instead of a confusing Lua error or a silent replacement character.

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Throws TypeError unless `code` is a well-formed string or a Uint8Array of valid UTF-8. */
export function checkCode(code: unknown, what = "code"): asserts code is string | Uint8Array {
  if (typeof code === "string") {
    const wellFormed = (code as { isWellFormed?: () => boolean }).isWellFormed;
    const ok = wellFormed
      ? wellFormed.call(code)
      : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(code);
    if (!ok)
      throw new TypeError(`${what} is not valid Unicode: it contains a lone surrogate, which has no UTF-8 encoding`);
    return;
  }
  if (code instanceof Uint8Array) {
    try {
      strictUtf8.decode(code);
    } catch {
      throw new TypeError(
        `${what} is not valid UTF-8 (pass Lua source text; binary data belongs in string escapes like "\\xff")`,
      );
    }
    return;
  }
  const got = code === null ? "null" : Array.isArray(code) ? "array" : typeof code;
  throw new TypeError(`${what} must be a string (or a Uint8Array of UTF-8), got ${got}`);
}

/**
 * Throws TypeError unless `source` is a string or a Uint8Array: the runtime's own check, which lets
 * any bytes through (a script file may hold Latin-1 in its string literals, as lua5.4 allows).
 */
export function checkSource(source: unknown): asserts source is string | Uint8Array {
  if (typeof source === "string" || source instanceof Uint8Array) return;
  const got = source === null ? "null" : Array.isArray(source) ? "array" : typeof source;
  throw new TypeError(`code must be a string (or a Uint8Array of UTF-8), got ${got}`);
}

/** Throws TypeError unless `name` is a chunk name: a string or a Uint8Array ("=input", "@file.lua"). */
export function checkChunkname(name: unknown): asserts name is string | Uint8Array {
  if (typeof name === "string" || name instanceof Uint8Array) return;
  const got = name === null ? "null" : Array.isArray(name) ? "array" : typeof name;
  throw new TypeError(`chunk name must be a string, got ${got}`);
}
