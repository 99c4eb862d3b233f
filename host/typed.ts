// typed.ts - the value bridge of the typed API (engine.ts Lua): global get/set, calling Lua values
// with converted arguments, JS functions callable from Lua, Lua functions handed to JS as JS
// functions and Lua tables as live LuaTableRef handles (registry references in the module, released
// by a FinalizationRegistry, release() or on close), and the per-instance tables of JS objects Lua
// holds by reference (host/refs.ts, whose js_* imports this bridge answers). A call with a few scalar
// arguments takes the typed call (host/slots.ts, no encoding either way), any other the general one:
// the same results and errors.
// Invariants: every module call goes through LuaRuntime.withWasm (nested when made from a JS function
// called by Lua, traps recovered);
// released references are only sent to the module between calls; a JS function that throws becomes a
// Lua error carrying the exception's message (pcall catches it).

import {
  decodeN,
  decodeValuesAt,
  type DecodeHooks,
  type DecodeOptions,
  type LuaFunction,
  type LuaValue,
} from "./codec.js";
import { encodeInto, type EncodeContext, type HostFunction } from "./encode.js";
import { CallArea, readSlots, typedArgs } from "./slots.js";
import { giveWriter, Tag, takeWriter, Writer } from "./wire.js";
import { ExtRef } from "./ext/values.js";
import { RefTable } from "./refs.js";
import { LuaTableRef, TABLE_HELPER, type GetOptions, type TableOps } from "./ref-table.js";
import { LuaError, Status } from "./errors.js";
import type { LuaWasm } from "./loader.js";
import type { LuaRuntime, ResultReader } from "./runtime.js";
import { isThenable } from "./async.js";

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

/** What a JS function called from Lua returned, as the list of its results (LuaMulti spreads). */
function resultList(r: unknown): unknown[] {
  if (r === undefined) return [];
  if (r instanceof LuaMulti) return r.values;
  if (r instanceof Promise)
    throw new Error("a JS function called from Lua returned a Promise (async functions are not supported)");
  return [r];
}

/** Puts encoded values in the module's input buffer; false when they would pass the memory limit. */
function sendInput(w: LuaWasm, input: Writer): boolean {
  const p = w.exports.val_buffer(input.len);
  if (p === 0) return false;
  input.copyTo(w.bytes(), p >>> 0);
  return true;
}

/** For exports whose result area holds nothing the caller needs. */
const ignoreResult: ResultReader<void> = () => {};

export class ValueBridge implements TableOps {
  private readonly fnIds = new Map<HostFunction, number>();
  /** The helper function behind LuaTableRef operations, one per instance. */
  private readonly helpers = new WeakMap<LuaWasm, LuaFunction>();
  /** The JS objects each module instance holds references to (host/refs.ts); dies with the instance. */
  private readonly refTables = new WeakMap<LuaWasm, RefTable>();
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
      refs: {
        refOf: (o, kind) => this.refTable().refOf(o, kind),
        mark: () => this.refTable().mark(),
        dropSince: (mark) => this.refTable().dropSince(mark),
      },
    };
    this.plain = {
      rawStrings: base.rawStrings,
      extTable: (id) => this.runtime.host.store.toJS(new ExtRef(id)) as LuaValue,
      jsRef: (id) => this.refTable().value(id),
      hostFunction: (id) => (this.fns.get(id) as LuaValue | undefined) ?? null,
    };
    this.decode = {
      ...this.plain,
      functionRef: (ref, text) => this.wrap(ref, text),
      tableRef: (ref) => this.tableHandle(ref),
    };
    this.install();
  }

  /** The JS objects the current instance holds references to (a new instance starts with none). */
  private refTable(w: LuaWasm = this.runtime.instance): RefTable {
    if (w === this.lastRefOwner) return this.lastRefTable!; // every encoding asks (refs.mark)
    let t = this.refTables.get(w);
    if (t === undefined) this.refTables.set(w, (t = new RefTable()));
    this.lastRefOwner = w;
    this.lastRefTable = t;
    return t;
  }
  /** The JS function host_call found last (id 0: none). */
  private lastFnId = 0;
  private lastFn: HostFunction | null = null;
  /** The instance refTable() answered for last and its table (a strong reference: the current instance's). */
  private lastRefOwner: LuaWasm | null = null;
  private lastRefTable: RefTable | null = null;

  /** Makes this bridge answer the module's host_call and js_op imports (again after a re-instantiation). */
  install(): void {
    this.runtime.host.functions = {
      context: this.context,
      call: (id, w, ap, al, nargs) => {
        // a loop calling one function looks it up once (ids are never reused; close() forgets)
        const fn = id === this.lastFnId ? this.lastFn! : this.fns.get(id);
        if (!fn) throw new Error(`JS function ${id} is not registered`);
        this.lastFnId = id;
        this.lastFn = fn;
        // decoded in place from the module's memory before the function runs (which may grow it)
        const args =
          al < 0
            ? readSlots(w, ap, nargs, this.decode.rawStrings)
            : decodeN(w.bytes(), nargs, this.decode, ap, ap + al);
        const r = fn(...args);
        // awaited by an async call (the Lua thread suspends), else the sync API's error (runtime.ts)
        if (isThenable(r)) this.runtime.suspendOn(r, resultList);
        return r;
      },
      results: resultList,
      refs: {
        table: (w) => this.refTable(w),
        decode: this.decode,
        context: this.context,
        // a method's promise as a JS function's (host/refs.ts)
        results: (r) => {
          if (isThenable(r)) this.runtime.suspendOn(r, resultList);
          return resultList(r);
        },
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

  /**
   * A JS function that calls the Lua function behind registry reference `ref` and returns its first
   * result; `multi` returns all of them (see LuaFunction for the deprecated aliases).
   */
  private wrap(ref: number, text: string): LuaFunction {
    const owner = this.runtime.instance;
    const multi = (...args: unknown[]): LuaValue[] => this.callRef(ref, owner, args);
    const f = (...args: unknown[]): LuaValue => this.callRef(ref, owner, args)[0] ?? null;
    const legacyCall = (...args: unknown[]): LuaValue | LuaValue[] => {
      const r = multi(...args);
      return r.length <= 1 ? (r[0] ?? null) : r;
    };
    Object.defineProperties(f, {
      multi: { value: multi },
      callMulti: { value: multi },
      legacyCall: { value: legacyCall },
      toString: { value: () => text },
    });
    wrappers.set(f, { ref, owner });
    this.finalizer.register(f, { ref, owner });
    return f as LuaFunction;
  }

  private ensure(w: LuaWasm): void {
    if (this.closed) throw new Error("Lua state is closed");
    if (w.host.functions === null) this.install();
    // references of an instance since replaced (restore, reset) died with it: their ids are reused
    if (this.pending.length > 0)
      for (const { ref, owner } of this.pending.splice(0)) if (owner === w) w.exports.lua_unref(ref);
  }

  private callRef(ref: number, owner: LuaWasm, args: unknown[], tablerefs = false): LuaValue[] {
    if (owner !== this.runtime.instance) {
      throw new LuaError("cannot call a Lua function of a state that was since restored or reset", Status.ERRRUN);
    }
    // the pooled writer is held until the call returns (its bytes are sent at the start of it): no
    // copy per call; JS functions the call runs encode with writers of their own (takeWriter)
    // a few scalar arguments: the typed call, no encoding (the general path below for anything else)
    if (!tablerefs && typedArgs(args)) {
      const values = this.exchange(args, this.runTyped, false, this.readValues, ref, args.length);
      this.afterCall();
      return values;
    }
    const w = takeWriter();
    try {
      w.u8(Tag.REF);
      w.u32(ref);
      encodeInto(args, this.context, w);
      return this.callEncoded(w, args.length, false, tablerefs);
    } finally {
      giveWriter(w);
    }
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

  /** The encoding of `values`, in a writer of its own (a call's input). */
  private encode(values: unknown[]): Writer {
    const w = new Writer();
    encodeInto(values, this.context, w);
    return w;
  }

  private callEncoded(input: Writer, nargs: number, byname = false, tablerefs = false): LuaValue[] {
    const values = this.exchange(input, this.runCall, tablerefs, this.readValues, nargs, byname ? 1 : 0);
    this.afterCall();
    return values;
  }

  // The pending exchange (set by exchange() around its call, so the hot path makes no closure per
  // call): its input (encoded values, or a typed call's arguments), sent by sendPending, and the
  // export's two arguments (lua_call_v: nargs, byname; lua_call_s: ref, nargs), read by runCall or
  // runTyped; all read when the call starts and before any Lua runs, so nested calls made while it
  // runs may set their own.
  private input: Writer | unknown[] | null = null;
  private callA = 0;
  private callB = 0;
  private readonly runCall = (w: LuaWasm): number => w.exports.lua_call_v(this.callA, this.callB);
  private readonly runTyped = (w: LuaWasm): number => w.exports.lua_call_s(this.callA, this.callB);
  private readonly sendPending = (w: LuaWasm): boolean => {
    const input = this.input!;
    this.input = null;
    this.ensure(w);
    if (input instanceof Writer) return sendInput(w, input);
    this.refTable(w).mark(); // as every encoding starts: released ids are dropped
    this.callArea.write(w, input);
    return true;
  };
  private readonly callArea = new CallArea();
  private readonly readValues = (mem: Uint8Array, ptr: number, len: number): LuaValue[] =>
    decodeValuesAt(mem, ptr, len, this.decode);

  /**
   * Sends encoded values and runs one export on them (runtime.invoke); what `read` makes of the
   * result area, or throws LuaError. With `tablerefs`, a table among the results comes as a live
   * handle (tag 20).
   */
  private exchange<T>(
    input: Writer | unknown[],
    run: (w: LuaWasm) => number,
    tablerefs: boolean,
    read: ResultReader<T>,
    a = 0,
    b = 0,
  ): T {
    // an exchange the runtime makes before this one starts (setting up a state) restores this one's
    const { input: pi, callA: pa, callB: pb } = this;
    this.input = input;
    this.callA = a;
    this.callB = b;
    try {
      return this.runtime.invoke(
        this.sendPending,
        tablerefs
          ? (w) => {
              w.exports.lua_set_tablerefs(1);
              try {
                return run(w);
              } finally {
                w.exports.lua_set_tablerefs(0);
              }
            }
          : run,
        read,
      );
    } finally {
      this.input = pi;
      this.callA = pa;
      this.callB = pb;
    }
  }

  get(name: string, options: GetOptions = {}): LuaValue {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    const values = this.exchange(
      this.encode([name]),
      (w) => w.exports.lua_getglobal_v(),
      options.proxy === true,
      this.readValues,
    );
    return values[0] ?? null;
  }

  // ==== Live Lua tables (host/ref-table.ts) ====

  /** A live handle on the table behind registry reference `ref`. */
  private tableHandle(ref: number): LuaTableRef {
    const owner = this.runtime.instance;
    const h = new LuaTableRef(this);
    wrappers.set(h, { ref, owner });
    this.finalizer.register(h, { ref, owner }, h);
    return h;
  }

  /** LuaTableRef's operations: the state's helper function called on the table (see TABLE_HELPER). */
  tableOp(handle: LuaTableRef, op: number, args: unknown[], proxy: boolean): LuaValue[] {
    const r = wrappers.get(handle);
    if (r === undefined) throw new Error("this LuaTableRef was released");
    if (r.owner !== this.runtime.instance)
      throw new LuaError("cannot use a Lua table of a state that was since restored or reset", Status.ERRRUN);
    const helper = this.tableHelper(r.owner);
    const h = wrappers.get(helper) as Ref;
    return this.callRef(h.ref, h.owner, [op, handle, ...args], proxy);
  }

  releaseTable(handle: LuaTableRef): void {
    const r = wrappers.get(handle);
    if (r === undefined) return;
    wrappers.delete(handle);
    this.finalizer.unregister(handle);
    this.pending.push(r);
  }

  /** The helper function of instance w, made on first use. */
  private tableHelper(w: LuaWasm): LuaFunction {
    let f = this.helpers.get(w);
    if (f === undefined) {
      f = this.withRefs(() => this.runtime.exec(TABLE_HELPER, "=(LuaTableRef)", this.decode))[0] as LuaFunction;
      this.helpers.set(w, f);
    }
    return f;
  }

  set(name: string, value: unknown): void {
    if (typeof name !== "string") throw new TypeError(`global name must be a string, got ${typeof name}`);
    this.exchange(this.encode([name, value]), (w) => w.exports.lua_setglobal_v(), false, ignoreResult);
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
    this.lastFnId = 0;
    this.lastFn = null;
    this.lastRefOwner = null;
    this.lastRefTable = null;
    this.fns.clear();
    this.fnIds.clear();
    this.pending.length = 0;
  }
}
