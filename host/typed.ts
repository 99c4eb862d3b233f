// typed.ts - the value bridge of the typed API (engine.ts Lua): global get/set, calling Lua values
// with converted arguments, JS functions callable from Lua, and Lua functions handed to JS as JS
// functions (a registry reference in the module, released by a FinalizationRegistry or on close).
// Invariants: every module call goes through LuaRuntime.withWasm (no re-entrancy, traps recovered);
// released references are only sent to the module between calls; a JS function that throws becomes a
// Lua error carrying the exception's message (pcall catches it).

import { decodeN, decodeValues, errorFromResult, LuaOpaque, type DecodeOptions, type LuaValue } from "./codec.js";
import { encodeValues, Writer, WireTag, type EncodeContext } from "./encode.js";
import { ExtRef } from "./ext-tables.js";
import { LuaError, Status } from "./errors.js";
import type { LuaWasm } from "./loader.js";
import { readResult } from "./iobuf.js";
import type { LuaRuntime } from "./runtime.js";

/** Return `new LuaMulti([a, b])` from a JS function to give Lua several results. */
export class LuaMulti {
  constructor(readonly values: unknown[]) {}
}

const LUA_REF = Symbol("lua-wasm-persistent.ref");
/** The module instance a wrapper's reference belongs to (a restore or a reset replaces it). */
const LUA_OWNER = Symbol("lua-wasm-persistent.owner");

/** True for a JS function that stands for a Lua function (returned by run/call/global.get). */
export function isLuaFunction(f: unknown): boolean {
  return typeof f === "function" && LUA_REF in f;
}

/** Puts encoded values in the module's input buffer; false when they would pass the memory limit. */
function sendInput(w: LuaWasm, bytes: Uint8Array): boolean {
  const p = w.exports.val_buffer(bytes.length);
  if (p === 0) return false;
  w.bytes().set(bytes, p);
  return true;
}

/** The result of an export that could not run: its input did not fit in the memory limit. */
const NO_MEMORY = { status: Status.ERRMEM, result: null };

export class ValueBridge {
  private readonly fnIds = new Map<Function, number>();
  private readonly fns = new Map<number, Function>();
  private nextFn = 1;
  private readonly pending: { ref: number; owner: LuaWasm }[] = [];
  private readonly finalizer = new FinalizationRegistry<{ ref: number; owner: LuaWasm }>((held) => { this.pending.push(held); });
  /** Generation of the module instance the refs belong to (refs die with a re-instantiation). */
  private closed = false;
  readonly context: EncodeContext;
  readonly decode: DecodeOptions;

  constructor(private readonly runtime: LuaRuntime, base: DecodeOptions = {}) {
    this.context = {
      // a wrapper of a replaced instance is not a reference here (its id may name another function now)
      luaRef: (f) => (LUA_REF in f && (f as unknown as Record<symbol, unknown>)[LUA_OWNER] === this.runtime.instance
        ? (f as unknown as Record<symbol, number>)[LUA_REF] : undefined),
      hostFunction: (f) => this.register(f),
    };
    this.decode = {
      ...base,
      functionRef: (ref, text) => this.wrap(ref, text),
      extTable: (id) => this.runtime.host.store.toJS(new ExtRef(id)) as LuaValue,
    };
    this.install();
  }

  /** Makes this bridge answer the module's host_call import (again after a re-instantiation). */
  install(): void {
    this.runtime.host.functions = {
      context: this.context,
      call: (id, args, nargs) => {
        const fn = this.fns.get(id);
        if (!fn) throw new Error(`JS function ${id} is not registered`);
        const r = fn(...decodeN(args, nargs, this.decode));
        if (r === undefined) return [];
        if (r instanceof LuaMulti) return r.values;
        if (r instanceof Promise) throw new Error("a JS function called from Lua returned a Promise (async functions are not supported)");
        return [r];
      },
    };
  }

  private register(f: Function): number {
    let id = this.fnIds.get(f);
    if (id === undefined) {
      id = this.nextFn++;
      this.fnIds.set(f, id);
      this.fns.set(id, f);
    }
    return id;
  }

  /** A JS function that calls the Lua function behind registry reference `ref`. */
  private wrap(ref: number, text: string): LuaValue {
    const owner = this.runtime.instance;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const f = (...args: unknown[]): any => {
      const r = this.callRef(ref, owner, args);
      return r.length <= 1 ? (r[0] ?? null) : r;
    };
    Object.defineProperty(f, LUA_REF, { value: ref });
    Object.defineProperty(f, LUA_OWNER, { value: owner });
    Object.defineProperty(f, "toString", { value: () => text });
    Object.defineProperty(f, "callMulti", { value: (...args: unknown[]) => this.callRef(ref, owner, args) });
    this.finalizer.register(f, { ref, owner });
    return f;
  }

  private ensure(w: LuaWasm): void {
    if (this.closed) throw new Error("Lua state is closed");
    if (w.host.functions === null) this.install();
    // references of an instance since replaced (restore, reset) died with it: their ids are reused
    for (const { ref, owner } of this.pending.splice(0)) if (owner === w) w.exports.lua_unref(ref);
  }

  private callRef(ref: number, owner: LuaWasm, args: unknown[]): LuaValue[] {
    if (owner !== this.runtime.instance) {
      throw new LuaError("cannot call a Lua function of a state that was since restored or reset", Status.ERRRUN);
    }
    const w = new Writer();
    w.u8(WireTag.REF); w.u32(ref);
    return this.callEncoded(encodeValues(args, this.context, w).slice(), args.length);
  }

  /** Calls `fn` (a Lua function wrapper or any JS value Lua can call) with converted arguments. */
  call(fn: unknown, args: unknown[]): LuaValue[] {
    return this.callEncoded(encodeValues([fn, ...args], this.context).slice(), args.length);
  }

  /** Calls the global function `name` (raw lookup) with converted arguments. */
  callGlobal(name: string, args: unknown[]): LuaValue[] {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    return this.callEncoded(encodeValues([name, ...args], this.context).slice(), args.length, true);
  }

  private callEncoded(bytes: Uint8Array, nargs: number, byname = false): LuaValue[] {
    const { status, result } = this.runtime.withWasm((w) => {
      this.ensure(w);
      if (!sendInput(w, bytes)) return NO_MEMORY;
      const status = w.exports.lua_call_v(nargs, byname ? 1 : 0);
      return { status, result: readResult(w) };
    });
    if (status === Status.OK) return decodeValues(result, this.decode);
    throw errorFromResult(status, result);
  }

  get(name: string): LuaValue {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    const bytes = encodeValues([name]).slice();
    const { status, result } = this.runtime.withWasm((w) => {
      this.ensure(w);
      if (!sendInput(w, bytes)) return NO_MEMORY;
      return { status: w.exports.lua_getglobal_v(), result: readResult(w) };
    });
    if (status !== Status.OK) throw errorFromResult(status, result);
    return decodeValues(result, this.decode)[0] ?? null;
  }

  set(name: string, value: unknown): void {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    const bytes = encodeValues([name, value], this.context).slice();
    const { status, result } = this.runtime.withWasm((w) => {
      this.ensure(w);
      if (!sendInput(w, bytes)) return NO_MEMORY;
      return { status: w.exports.lua_setglobal_v(), result: readResult(w) };
    });
    if (status !== Status.OK) throw errorFromResult(status, result);
  }

  /** Runs with function references on (results of lua_eval become callable). */
  withRefs<T>(fn: () => T): T {
    this.runtime.withWasm((w) => { this.ensure(w); w.exports.lua_set_refmode(1); });
    try {
      return fn();
    } finally {
      try { this.runtime.withWasm((w) => w.exports.lua_set_refmode(0)); } catch { /* closed */ }
    }
  }

  close(): void {
    this.closed = true;
    this.fns.clear();
    this.fnIds.clear();
    this.pending.length = 0;
  }
}


export { LuaOpaque };
