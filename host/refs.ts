// refs.ts - JS objects by reference (issue #13 point 1; docs/ABI.md "JS references"; the module's side
// is assembly/embed/jsref.ts): the per-instance table of the objects Lua holds (id → object, object →
// id), what each operation Lua performs on a reference does to the live object (read, write, length,
// iteration, calling a method with its `this`), the js_op import with its typed fast paths (js_get_s,
// js_get_i, js_set, js_call, js_step) and the security filter.
//
// Security model: Lua reaches only what the host hands over. A reference exposes the object's own and
// inherited properties and methods, except the names in BLOCKED (constructor, prototype, __proto__
// and the legacy accessors of Object.prototype): reading one gives nil, writing one is an error. A JS
// function reaches Lua as a Lua function (callable, never indexable), so its constructor, call,
// apply and bind cannot be looked up; Function, its async/generator siblings, eval and globalThis
// are never handed to Lua (ref-values.ts allowed(): a read, a method call, a thrown value, or any
// encoding of them is an error).
//
// Invariants: ids are never reused within an instance; an id lives until the module releases it (the
// __gc of the Lua value, assembly/embed/jsref.ts) or the instance is replaced (a restore, a reset:
// the table is per LuaWasm, so it dies with it); no exception from user code crosses into wasm (it
// becomes an error value the module raises as a Lua error); the user's code these imports run may
// call back into the state, as a JS function called by Lua may (counted in host.hostCalls).

import { decodeN, type DecodeHooks } from "./codec.js";
import { Answer, answer as answerInput, answerScalar, failAnswer, NOT_SCALAR, OUT_STR } from "./answer.js";
import { encodeValues, isLuaInteger, writeScalar, type EncodeContext } from "./encode.js";
import { LuaError } from "./errors.js";
import type { LuaWasm } from "./loader.js";
import { AWAIT, isUnwinding } from "./unwind.js";
import { giveWriter, Tag, takeWriter } from "./wire.js";
import { allowed, REF_NAMES, RefKind } from "./ref-values.js";
import { KeyCache } from "./ext/keys.js";

// ==== Operations (ORDER assembly/embed/jsref.ts OP_*) ====

/** The js_op import's operations. */
export enum RefOp {
  INDEX = 0,
  NEWINDEX = 1,
  LEN = 2,
  NEXT = 3,
  /** Never sent to js_op: a call goes through its typed form, js_call. */
  CALL = 4,
  RELEASE = 5,
}

// ==== Security filter ====

/** Property names no reference exposes (reads give nil, writes are errors). */
export const BLOCKED: ReadonlySet<string> = new Set([
  "constructor",
  "prototype",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);

// ==== The reference table of one instance ====

type AnyFunction = (...args: unknown[]) => unknown;

interface Entry {
  value: object;
  kind: RefKind;
  /** FUNCTION: the object it was read from (`this` of its calls), undefined for none. */
  self?: object;
  /** The keys of the current pairs() loop and the position after the last key returned. */
  iter?: { keys: unknown[]; pos: number };
}

/** The objects one module instance holds references to. */
export class RefTable {
  private nextId = 1;
  private readonly entries = new Map<number, Entry>();
  private readonly objectIds = new Map<object, number>();
  /** FUNCTION entries by the object they were read from (null: none), then by function. */
  private readonly methodIds = new Map<object | null, Map<object, number>>();

  /**
   * Ids the module released during the current export, dropped when the next encoding starts (mark):
   * a release may come from a finalizer that runs after the export encoded its results, and those
   * results must still decode; an id is never handed out again once released.
   */
  private readonly released = new Set<number>();

  /** The number of live references (for tests and statistics). */
  get size(): number {
    return this.entries.size - this.released.size;
  }

  /** The id of object o (the same id for as long as Lua holds it). */
  refOf(o: object, kind: RefKind): number {
    let id = this.objectIds.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.objectIds.set(o, id);
      this.entries.set(id, { value: o, kind });
    }
    return id;
  }

  /** The id of function f read from `self` (undefined: returned by a call). */
  methodOf(f: object, self: object | undefined): number {
    let bySelf = this.methodIds.get(self ?? null);
    if (bySelf === undefined) this.methodIds.set(self ?? null, (bySelf = new Map()));
    let id = bySelf.get(f);
    if (id === undefined) {
      id = this.nextId++;
      bySelf.set(f, id);
      this.entries.set(id, { value: f, kind: RefKind.FUNCTION, self });
    }
    return id;
  }

  entry(id: number): Entry {
    if (id === this.lastId) return this.lastEntry!; // a loop over one object looks it up once
    const e = this.entries.get(id);
    if (e === undefined) throw new Error(`JS reference ${id} was released`);
    this.lastId = id;
    this.lastEntry = e;
    return e;
  }
  /** The id entry() found last and its entry (id 0: none; never a dropped one). */
  private lastId = 0;
  private lastEntry: Entry | null = null;

  /** The object behind id (decoding a reference Lua passes back). */
  value(id: number): object {
    return this.entry(id).value;
  }

  /** Lua collected the value of id: dropped before the next encoding (see `released`). */
  release(id: number): void {
    if (this.entries.has(id)) this.released.add(id);
  }

  private drop(id: number): void {
    const e = this.entries.get(id);
    if (e === undefined) return;
    this.entries.delete(id);
    if (id === this.lastId) this.lastId = 0;
    if (e.kind !== RefKind.FUNCTION) {
      if (this.objectIds.get(e.value) === id) this.objectIds.delete(e.value);
      return;
    }
    const bySelf = this.methodIds.get(e.self ?? null);
    if (bySelf?.get(e.value) === id) bySelf.delete(e.value);
    if (bySelf?.size === 0) this.methodIds.delete(e.self ?? null);
  }

  /**
   * Starts an encoding: drops the released ids (their objects get new ids if sent again) and returns
   * the next id to be handed out; ids from there on are new (see dropSince).
   */
  mark(): number {
    if (this.released.size > 0) {
      for (const id of this.released) this.drop(id);
      this.released.clear();
    }
    return this.nextId;
  }

  /** Drops every id created since mark(): an encoding that failed never reached the module. */
  dropSince(mark: number): void {
    for (let id = mark; id < this.nextId; id++) this.drop(id);
  }
}

// ==== Operations ====

const utf8 = new TextDecoder();
/** The key of a next() that starts a traversal. */
const FIRST = Symbol("first key");

/** A key as a property name: strings, numbers (integers as their decimal text) and booleans; else undefined. */
function propName(key: unknown): string | undefined {
  switch (typeof key) {
    case "string":
      return key;
    case "number":
    case "bigint":
    case "boolean":
      return String(key);
  }
  return undefined;
}

function readProp(o: object, key: unknown): unknown {
  const name = propName(key);
  if (name === undefined || BLOCKED.has(name)) return undefined;
  return Reflect.get(o, name);
}

/** An array index from a Lua key (1-based), or -1 when the key is not an integer >= 1. */
function arrayIndex(key: unknown): number {
  return typeof key === "number" && Number.isInteger(key) && key >= 1 ? key - 1 : -1;
}

/** t[key] on reference e. */
function index(e: Entry, key: unknown): unknown {
  const o = e.value;
  if (e.kind === RefKind.OBJECT) {
    // the common case first: a property by name
    if (typeof key === "string") return BLOCKED.has(key) ? undefined : (o as Record<string, unknown>)[key];
  } else if (e.kind === RefKind.ARRAY) {
    if (typeof key === "number") {
      const i = arrayIndex(key);
      return i < 0 ? undefined : (o as unknown[])[i];
    }
  } else if (o instanceof Map) {
    if (o.has(key)) return o.get(key);
  } else if (o instanceof Set && o.has(key)) return true;
  return readProp(o, key);
}

/** t[key] = value on reference e (null: delete). */
function newindex(e: Entry, key: unknown, value: unknown): void {
  const o = e.value;
  if (e.kind === RefKind.ARRAY && typeof key === "number") {
    const i = arrayIndex(key);
    if (i < 0) throw new RangeError(`bad index ${key} for a js.array (indices start at 1)`);
    const a = o as unknown[];
    if (value !== null) set(a, String(i), value);
    else if (i === a.length - 1)
      set(a, "length", i); // t[#t] = nil shrinks it, as in Lua
    else if (i < a.length) set(a, String(i), undefined);
    return;
  }
  if (o instanceof Map) {
    if (value === null) o.delete(key);
    else o.set(key, value);
    return;
  }
  if (o instanceof Set) {
    if (value === null || value === false) o.delete(key);
    else o.add(key);
    return;
  }
  const name = propName(key);
  if (name === undefined) throw new TypeError(`bad key for a ${REF_NAMES[e.kind]} (a ${typeof key})`);
  if (BLOCKED.has(name)) throw new TypeError(`cannot set '${name}' of a ${REF_NAMES[e.kind]}`);
  if (value === null) {
    if (!Reflect.deleteProperty(o, name)) throw new TypeError(`cannot delete '${name}' of a ${REF_NAMES[e.kind]}`);
  } else set(o, name, value);
}

function set(o: object, name: string, value: unknown): void {
  if (BLOCKED.has(name)) throw new TypeError(`cannot set '${name}'`);
  if (!Reflect.set(o, name, value)) throw new TypeError(`cannot set '${name}' (read-only)`);
}

/** #t on reference e: an array's length, a Map's or Set's size, else a numeric `length` or 0. */
function len(e: Entry): number {
  const o = e.value as { length?: unknown; size?: unknown };
  if (o instanceof Map || o instanceof Set) return o.size;
  const n = o.length;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The keys next() walks, in their JS order (arrays: their indices, 1-based, computed live). */
function keysOf(e: Entry): unknown[] {
  const o = e.value;
  if (o instanceof Map) return [...o.keys()];
  if (o instanceof Set) return [...o];
  return Object.keys(o).filter((k) => !BLOCKED.has(k));
}

function sameKey(a: unknown, b: unknown, kind: RefKind): boolean {
  return kind === RefKind.OBJECT ? a === propName(b) : a === b || (a !== a && b !== b);
}

/** next(t, key) on reference e: [key, value], or undefined at the end. Values that are nil are skipped. */
function next(e: Entry, key: unknown): [unknown, unknown] | undefined {
  if (e.kind === RefKind.ARRAY) return arrayNext(e, key);
  let it = e.iter;
  if (key === FIRST) it = e.iter = { keys: keysOf(e), pos: 0 };
  else if (it === undefined || it.pos === 0 || !sameKey(it.keys[it.pos - 1], key, e.kind)) {
    const keys = keysOf(e);
    const at = keys.findIndex((k) => sameKey(k, key, e.kind));
    if (at < 0) throw new Error("invalid key to 'next'");
    it = e.iter = { keys, pos: at + 1 };
  }
  while (it.pos < it.keys.length) {
    const k = it.keys[it.pos++];
    const v = index(e, k);
    if (v !== undefined && v !== null) return [k, v];
  }
  e.iter = undefined;
  return undefined;
}

/** Empty reads next() makes on an array before it looks for the remaining elements through Object.keys. */
const EMPTY_RUN = 1024;

/**
 * next() on an array: the element after `key` (1-based), skipping holes, in time proportional to the
 * elements (as host/js-array.ts): after EMPTY_RUN empty reads the remaining indices come from
 * Object.keys, kept for the rest of the loop, so a sparse array of length 2^31 (or a Proxy claiming
 * a huge length) costs what it holds.
 */
function arrayNext(e: Entry, key: unknown): [unknown, unknown] | undefined {
  const a = e.value as unknown[];
  let i = 0;
  if (key === FIRST) e.iter = undefined;
  else if ((i = arrayIndex(key) + 1) <= 0) throw new Error("invalid key to 'next'");
  const it = e.iter;
  if (it !== undefined && it.pos > 0 && it.keys[it.pos - 1] === i - 1) return sparseNext(a, it);
  const n = Number(a.length);
  for (let run = 0; i < n && run < EMPTY_RUN; i++, run++) {
    const v = a[i];
    if (v !== undefined && v !== null) return [i + 1, v];
  }
  if (!(i < n)) return undefined;
  const rest: number[] = [];
  for (const k of Object.keys(a)) {
    const idx = Number(k);
    if (Number.isInteger(idx) && idx >= i && idx < n && String(idx) === k) rest.push(idx);
  }
  rest.sort((x, y) => x - y);
  return sparseNext(a, (e.iter = { keys: rest, pos: 0 }));
}

function sparseNext(a: unknown[], it: { keys: unknown[]; pos: number }): [unknown, unknown] | undefined {
  while (it.pos < it.keys.length) {
    const idx = it.keys[it.pos++] as number;
    const v = a[idx];
    if (v !== undefined && v !== null) return [idx + 1, v];
  }
  return undefined;
}

// ==== The js_op import ====

/** The len operation answers a length up to LEN_DIRECT itself, a longer one as LEN_BUFFERED + a value. */
const LEN_DIRECT = 0x7ffffffe;
const LEN_BUFFERED = -2;
/** A Lua error escaping the user's code (a nested call's): raised unchanged (host/ext/imports.ts Answer.RETHROW). */
const RETHROW_ANSWER = -6;
/** A method returned a promise an async call awaits (Answer.AWAIT): the Lua thread suspends. */
const AWAIT_ANSWER = -7;
/**
 * A JS function read from (or returned by) a reference, answered without an encoding: its reference
 * id (u32) and that of the object it was read from (u32, 0: none) in the result area (jsref.ts R_JSFUNC).
 */
const FUNC_ANSWER = 14;
/** js_call's answer for n results in the input buffer in the general encoding: MULTI_ANSWER - n. */
const MULTI_ANSWER = Answer.MULTI;
/** Answer codes of the typed reads beside the value tags (assembly/embed/ext.ts R_GENERIC, R_STR). */
const GENERIC_ANSWER = Answer.GENERIC;
const STR_ANSWER = Answer.STR;

/** What the import needs from the façade's value bridge (typed.ts): one table per instance and the codecs. */
export interface RefHost {
  /** The reference table of instance w. */
  table(w: LuaWasm): RefTable;
  /** How values from Lua are decoded (Lua functions as callable wrappers, references as their objects). */
  readonly decode: DecodeHooks;
  /** How values for Lua are encoded (objects as references). */
  readonly context: EncodeContext;
  /**
   * A JS function's return value as the list of its results (LuaMulti, Promise: as for host
   * functions: a promise throws AWAIT inside a step of an async call, the sync API's error elsewhere).
   */
  results(value: unknown): unknown[];
}

/** The js_op import over `target.wasm`, answering from the RefHost its host functions carry. */
export function refImports(target: { readonly wasm: LuaWasm }): Record<string, (...a: number[]) => number> {
  const w = (): LuaWasm => target.wasm;
  const answer = (bytes: Uint8Array): void => answerInput(w(), bytes);
  /** The error answer (host/answer.ts): a thrown object by reference, as host_call gives it. Never throws. */
  const fail = (e: unknown): number => failAnswer(w(), e, w().host.functions?.refs?.context);
  /**
   * Runs `op`, which runs the user's code (a getter, a setter, a Proxy trap, a method), as host_call
   * runs a JS function (host/ext/imports.ts): counted in host.hostCalls, so that code may call back
   * into the state (a nested entry, host/runtime.ts); a trap in such a call unwinds on (unwind.ts);
   * AWAIT (a method's promise under runAsync) is answered as such; a LuaError (a nested call's) is
   * raised unchanged, as host_call's RETHROW; anything else becomes the error answer.
   */
  const user = (op: () => number): number => {
    const side = w().host;
    side.hostCalls++;
    try {
      return op();
    } catch (e) {
      if (isUnwinding(e)) throw e;
      if (e === AWAIT) return AWAIT_ANSWER;
      if (e instanceof LuaError && e.kind !== "internal") {
        try {
          answer(encodeValues([e.message]));
          return RETHROW_ANSWER;
        } catch {
          /* as any other exception, below */
        }
      }
      return fail(e);
    } finally {
      side.hostCalls--;
    }
  };
  /** Encodes values for Lua: functions as references to them (bound to `self` when read from it). */
  const write = (host: RefHost, table: RefTable, values: unknown[], self: Entry | undefined, selfId: number): void => {
    const out = takeWriter();
    const mark = table.mark();
    try {
      for (const v of values) {
        if (v === undefined || v === null) out.nil();
        else if (writeScalar(out, v))
          continue; // numbers, strings, booleans: no encoder state needed
        else if (typeof allowed(v) === "function" && host.context.luaRef?.(v as object) === undefined) {
          out.u8(Tag.JSREF);
          out.u32(table.methodOf(v as object, self?.value));
          out.u8(RefKind.FUNCTION);
          out.u32(self === undefined ? 0 : selfId);
        } else encodeValues([v], host.context, out);
      }
      answer(out.result());
    } catch (e) {
      table.dropSince(mark);
      throw e;
    } finally {
      giveWriter(out);
    }
  };
  const argBytes = (ap: number, al: number): Uint8Array =>
    w()
      .bytes()
      .subarray(ap >>> 0, (ap >>> 0) + (al >>> 0));
  // ---- Typed fast paths of index and call (assembly/embed/jsref.ts m_index, js_method; as ext_get_s) ----
  const keys = new KeyCache();
  /** A string key passed as bytes (kl of them at kp, hash h): its text (a non-UTF-8 key decoded lossily). */
  const keyText = (kp: number, kl: number, h: number): string => {
    const wa = w(),
      mem = wa.bytes();
    kp >>>= 0;
    return keys.text(mem, wa.view(), kp, kl, h) ?? utf8.decode(mem.subarray(kp, kp + kl));
  };
  /**
   * Answers a read with value v read from entry e (id; undefined: v is a call's result): a result
   * code, scalars and method references in the area `out`.
   */
  const answerRead = (
    host: RefHost,
    table: RefTable,
    v: unknown,
    e: Entry | undefined,
    id: number,
    out: number,
  ): number => {
    if (typeof v === "function") {
      // as write() sends it: a reference bound to e, unless it stands for a Lua function
      allowed(v);
      if (host.context.luaRef?.(v) === undefined) {
        table.mark(); // as every encoding starts: released ids are dropped before one is handed out
        const fid = table.methodOf(v, e?.value);
        const dv = w().view();
        dv.setUint32(out >>> 0, fid, true);
        dv.setUint32((out >>> 0) + 4, e === undefined ? 0 : id, true);
        return FUNC_ANSWER;
      }
    }
    const code = answerScalar(w(), v, out);
    if (code !== NOT_SCALAR) return code;
    write(host, table, [v], e, id); // objects, functions, bigints, other strings: the general encoding
    return GENERIC_ANSWER;
  };
  const read = (id: number, key: unknown, out: number): number => {
    const host = w().host.functions?.refs;
    if (host === undefined) return fail(new Error("JS references are not enabled"));
    return user(() => {
      const table = host.table(w());
      const e = table.entry(id);
      return answerRead(host, table, index(e, key), e, id, out);
    });
  };
  return {
    js_get_s(id: number, kp: number, kl: number, h: number, out: number): number {
      return read(id, keyText(kp, kl, h), out);
    },
    js_get_i(id: number, k: number, out: number): number {
      return read(id, k, out);
    },
    /**
     * A pairs() step (jsref.ts js_next): next(t, key) on reference `id` for the first key (kl = -2),
     * an integer key ki (kl = -1) or a string key (kp, kl, hint h). Answers 0 at the end; else the
     * value as a read's answer (never 0: nil values are skipped) and the key in the area `karea`: an
     * i32 code there, 3 for an integer (its f64 at karea + 8), 16 + n for a string of n <= 256 bytes
     * (at karea + 16). A key of another kind is answered with its value as two values in the input
     * buffer (MULTI_ANSWER - 2). Errors as js_op's.
     */
    js_step(id: number, kp: number, kl: number, h: number, ki: number, karea: number, out: number): number {
      const host = w().host.functions?.refs;
      if (host === undefined) return fail(new Error("JS references are not enabled"));
      const key = kl === -2 ? FIRST : kl === -1 ? ki : keyText(kp, kl, h);
      return user(() => {
        const table = host.table(w());
        const e = table.entry(id);
        const r = next(e, key);
        if (r === undefined) return 0;
        const k = r[0];
        let kcode = 0;
        if (typeof k === "number") {
          if (isLuaInteger(k)) kcode = Tag.INT;
        } else if (typeof k === "string" && k.length <= OUT_STR) {
          kcode = STR_ANSWER + k.length;
          for (let i = 0; i < k.length; i++)
            if (k.charCodeAt(i) >= 0x80) {
              kcode = 0; // not ASCII: the general encoding
              break;
            }
        }
        if (kcode === 0) {
          write(host, table, r, e, id);
          return MULTI_ANSWER - 2;
        }
        const code = answerRead(host, table, r[1], e, id, out); // may grow memory: the key is written after
        const at = karea >>> 0;
        const dv = w().view();
        dv.setInt32(at, kcode, true);
        if (kcode === Tag.INT) dv.setFloat64(at + 8, k as number, true);
        else {
          const mem = w().bytes(),
            ks = k as string;
          for (let i = 0; i < ks.length; i++) mem[at + 16 + i] = ks.charCodeAt(i);
        }
        return code;
      });
    },
    /**
     * obj:method(args) (jsref.ts js_method): calls reference `id` (a function read from an object,
     * `this` = that object) with nargs encoded values at ap; one result is answered as a read's (a
     * scalar or a function in the area `out`), any other number n of results as MULTI_ANSWER - n
     * with the values in the input buffer; errors, RETHROW and AWAIT as js_op's.
     */
    js_call(id: number, ap: number, al: number, nargs: number, out: number): number {
      const host = w().host.functions?.refs;
      if (host === undefined) return fail(new Error("JS references are not enabled"));
      return user(() => {
        // decoded in place before any of the user's code runs (which may grow memory)
        const args = decodeN(argBytes(ap, al), nargs, host.decode);
        const table = host.table(w());
        const e = table.entry(id);
        const results = host.results(Reflect.apply(e.value as AnyFunction, e.self, args));
        if (results.length === 1) return answerRead(host, table, results[0], undefined, 0, out);
        write(host, table, results, undefined, 0);
        return MULTI_ANSWER - results.length;
      });
    },
    js_set(
      id: number,
      kp: number,
      kl: number,
      h: number,
      ki: number,
      tag: number,
      num: number,
      vp: number,
      vl: number,
    ) {
      const host = w().host.functions?.refs;
      if (host === undefined) return fail(new Error("JS references are not enabled"));
      return user(() => {
        const mem = w().bytes();
        const key = kl < 0 ? ki : keyText(kp, kl, h);
        let v: unknown = null;
        if (tag === Tag.FALSE || tag === Tag.TRUE) v = tag === Tag.TRUE;
        else if (tag === Tag.INT || tag === Tag.FLT) v = num;
        else if (tag === Tag.STR) {
          const b = mem.subarray(vp >>> 0, (vp >>> 0) + vl);
          v = host.decode.rawStrings ? b.slice() : utf8.decode(b);
        }
        newindex(host.table(w()).entry(id), key, v); // the key and value were decoded before: it may grow memory
        return 0;
      });
    },
    js_op(op: number, id: number, ap: number, al: number, nargs: number): number {
      const host = w().host.functions?.refs;
      if (host === undefined) return op === RefOp.RELEASE ? 0 : fail(new Error("JS references are not enabled"));
      if (op === RefOp.RELEASE) {
        host.table(w()).release(id); // runs none of the user's code (a finalizer may call it anywhere)
        return 0;
      }
      return user(() => {
        const table = host.table(w());
        const e = table.entry(id);
        // decoded in place: decoding runs none of the user's code, the operation itself (which may
        // grow memory) runs after
        const bytes = w()
          .bytes()
          .subarray(ap >>> 0, (ap >>> 0) + (al >>> 0));
        const args = decodeN(bytes, nargs, host.decode);
        const key = args[0] instanceof Uint8Array ? utf8.decode(args[0]) : args[0]; // rawStrings: keys are text
        switch (op) {
          case RefOp.INDEX:
            write(host, table, [index(e, key)], e, id);
            return 1;
          case RefOp.NEWINDEX:
            newindex(e, key, args[1]);
            return 0;
          case RefOp.LEN: {
            const n = len(e); // the length itself when it fits the answer, else in the input buffer
            if (n <= LEN_DIRECT) return n;
            write(host, table, [n], undefined, 0);
            return LEN_BUFFERED;
          }
          case RefOp.NEXT: {
            const r = next(e, nargs === 0 ? FIRST : key);
            if (r === undefined) return 0;
            write(host, table, r, e, id);
            return 2;
          }
        }
        throw new Error(`bad JS reference operation ${op}`);
      });
    },
  };
}
