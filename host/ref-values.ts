// ref-values.ts - the JS-side vocabulary of references (host/refs.ts): the kinds a referenced object
// is seen as, which kind an object gets, and the copy() marker that asks for a copy instead of a
// reference. Kept apart from refs.ts so the encoder (encode.ts) can use it without an import cycle.
// Invariant: RefKind's values are the module's JSREF_* (assembly/object/userdata.ts), name for name.

// ==== Kinds (ORDER assembly/object/userdata.ts JSREF_*) ====

/** What Lua sees a referenced object as: its metatable's __name and how keys map. */
export enum RefKind {
  /** "js.object": string keys are property names (integer keys too, as their decimal text). */
  OBJECT = 0,
  /** "js.array" (arrays and typed arrays): integer key i is element i - 1; string keys are properties. */
  ARRAY = 1,
  /** "js.map" (Map and Set): keys are entries (a Set's members map to true), other string keys properties. */
  MAP = 2,
  /** A JS function read from a referenced object (a Lua function in Lua). */
  FUNCTION = 3,
}

/** The Lua type name of each kind (the metatable's __name). */
export const REF_NAMES: readonly string[] = ["js.object", "js.array", "js.map", "js.function"];

// ==== copy(): the explicit copy ====

/** Marks a value to be copied into Lua tables instead of handed over by reference (see copy()). */
export class LuaCopy {
  constructor(readonly value: unknown) {}
}

/**
 * `L.global.set("cfg", copy(cfg))`: Lua receives a table copied from `value` (arrays as sequences,
 * Maps by their keys, objects by their own enumerable string keys; cycles and shared objects kept),
 * as every value was before references, instead of a live reference. Works wherever JS values go to
 * Lua: global.set, call arguments, results of JS functions.
 */
export function copy(value: unknown): LuaCopy {
  return new LuaCopy(value);
}

/** The kind a referenced object gets. May throw (a revoked Proxy): the caller reports it. */
export function refKind(o: object): RefKind {
  if (Array.isArray(o)) return RefKind.ARRAY;
  if (ArrayBuffer.isView(o) && !(o instanceof DataView)) return RefKind.ARRAY;
  if (o instanceof Map || o instanceof Set) return RefKind.MAP;
  return RefKind.OBJECT;
}

// ==== Values never handed to Lua ====

/**
 * Values never handed to Lua, by reference or as a function, with the name the error gives: the
 * code-evaluating constructors, eval and the global object (the security model, host/refs.ts).
 */
const FORBIDDEN = new Map<unknown, string>([
  [Function, "Function"],
  [Object.getPrototypeOf(async () => {}).constructor, "AsyncFunction"],
  [Object.getPrototypeOf(function* () {}).constructor, "GeneratorFunction"],
  [Object.getPrototypeOf(async function* () {}).constructor, "AsyncGeneratorFunction"],
  [eval, "eval"],
  [globalThis, "globalThis"],
]);

/** v itself, or a TypeError when it is one of the FORBIDDEN values. */
export function allowed<T>(v: T): T {
  const name = FORBIDDEN.get(v);
  if (name !== undefined) throw new TypeError(`access to ${name} from Lua is blocked`);
  return v;
}
