// typed.ts - the value bridge of the typed API (engine.ts Lua): global get/set, calling Lua values
// with converted arguments, JS functions callable from Lua, and Lua functions handed to JS as JS
// functions (a registry reference in the module, released by a FinalizationRegistry or on close).
// Invariants: every module call goes through LuaRuntime.withWasm (no re-entrancy, traps recovered);
// released references are only sent to the module between calls; a JS function that throws becomes a
// Lua error carrying the exception's message (pcall catches it).

import { decodeN, decodeValues, type DecodeHooks, type DecodeOptions, type LuaValue } from "./codec.js";
import { encodeValues, type EncodeContext, type HostFunction } from "./encode.js";
import { giveWriter, Tag, takeWriter } from "./wire.js";
import { ExtRef } from "./ext/values.js";
import { LuaError, Status } from "./errors.js";
import type { LuaWasm } from "./loader.js";
import type { LuaRuntime } from "./runtime.js";

/** Return `new LuaMulti([a, b])` from a JS function to give Lua several results. */
export class LuaMulti {
  constructor(readonly values: unknown[]) {}
}

/** A Lua function handed to JS: its registry reference and the module instance that reference belongs to. */
interface Ref {
  ref: number;
  owner: LuaWasm;
}

/** The JS functions standing for Lua functions (the wrappers wrap() made), with their reference. */
const wrappers = new WeakMap<object, Ref>();

/** True for a JS function that stands for a Lua function (returned by run/call/global.get). */
export function isLuaFunction(f: unknown): boolean {
  return typeof f === "function" && wrappers.has(f);
}

/** Puts encoded values in the module's input buffer; false when they would pass the memory limit. */
function sendInput(w: LuaWasm, bytes: Uint8Array): boolean {
  const p = w.exports.val_buffer(bytes.length);
  if (p === 0) return false;
  w.bytes().set(bytes, p);
  return true;
}

export class ValueBridge {
  private readonly fnIds = new Map<HostFunction, number>();
  private readonly fns = new Map<number, HostFunction>();
  private nextFn = 1;
  /** Released references, sent to the module (lua_unref) before its next call. */
  private readonly pending: Ref[] = [];
  private readonly finalizer = new FinalizationRegistry<Ref>((held) => {
    this.pending.push(held);
  });
  private closed = false;
  readonly context: EncodeContext;
  /** How results are decoded: Lua functions as callable wrappers, external tables as plain values. */
  readonly decode: DecodeHooks;
  /** The same without function references (functions as LuaOpaque): LuaPersistent.eval, runScript. */
  readonly plain: DecodeHooks;

  /** `afterCall` runs after every successful call of a Lua function from JS (the façade's autosave). */
  constructor(
    private readonly runtime: LuaRuntime,
    base: DecodeOptions = {},
    private readonly afterCall: () => void = () => {},
  ) {
    this.context = {
      // a wrapper of a replaced instance is not a reference here (its id may name another function now)
      luaRef: (f) => {
        const r = wrappers.get(f);
        return r !== undefined && r.owner === this.runtime.instance ? r.ref : undefined;
      },
      hostFunction: (f) => this.register(f),
    };
    this.plain = {
      rawStrings: base.rawStrings,
      extTable: (id) => this.runtime.host.store.toJS(new ExtRef(id)) as LuaValue,
    };
    this.decode = { ...this.plain, functionRef: (ref, text) => this.wrap(ref, text) };
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
        if (r instanceof Promise)
          throw new Error("a JS function called from Lua returned a Promise (async functions are not supported)");
        return [r];
      },
    };
  }

  private register(f: HostFunction): number {
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
    wrappers.set(f, { ref, owner });
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
    const w = takeWriter();
    let bytes: Uint8Array;
    try {
      w.u8(Tag.REF);
      w.u32(ref);
      bytes = encodeValues(args, this.context, w).slice();
    } finally {
      giveWriter(w);
    }
    return this.callEncoded(bytes, args.length);
  }

  /** Calls `fn` (a Lua function wrapper or any JS value Lua can call) with converted arguments. */
  call(fn: unknown, args: unknown[]): LuaValue[] {
    return this.callEncoded(this.encode([fn, ...args]), args.length);
  }

  /** Calls the global function `name` (raw lookup) with converted arguments. */
  callGlobal(name: string, args: unknown[]): LuaValue[] {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    return this.callEncoded(this.encode([name, ...args]), args.length, true);
  }

  /** The encoding of `values` (a copy: the writer goes back to the pool). */
  private encode(values: unknown[]): Uint8Array {
    const w = takeWriter();
    try {
      return encodeValues(values, this.context, w).slice();
    } finally {
      giveWriter(w);
    }
  }

  private callEncoded(bytes: Uint8Array, nargs: number, byname = false): LuaValue[] {
    const result = this.exchange(bytes, (w) => w.exports.lua_call_v(nargs, byname ? 1 : 0));
    const values = decodeValues(result, this.decode);
    this.afterCall();
    return values;
  }

  /** Sends encoded values and runs one export on them (runtime.invoke); the result area, or throws LuaError. */
  private exchange(bytes: Uint8Array, run: (w: LuaWasm) => number): Uint8Array {
    return this.runtime.invoke((w) => {
      this.ensure(w);
      return sendInput(w, bytes);
    }, run);
  }

  get(name: string): LuaValue {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    const result = this.exchange(encodeValues([name]).slice(), (w) => w.exports.lua_getglobal_v());
    return decodeValues(result, this.decode)[0] ?? null;
  }

  set(name: string, value: unknown): void {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    this.exchange(encodeValues([name, value], this.context).slice(), (w) => w.exports.lua_setglobal_v());
  }

  /** Runs with function references on (results of lua_eval become callable). */
  withRefs<T>(fn: () => T): T {
    this.runtime.withWasm((w) => {
      this.ensure(w);
      w.exports.lua_set_refmode(1);
    });
    try {
      return fn();
    } finally {
      try {
        this.runtime.withWasm((w) => w.exports.lua_set_refmode(0));
      } catch {
        /* closed */
      }
    }
  }

  close(): void {
    this.closed = true;
    this.fns.clear();
    this.fnIds.clear();
    this.pending.length = 0;
  }
}
