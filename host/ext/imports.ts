// imports.ts - the module's side of external tables and JS functions: HostSide (the per-instance host
// state: the store and the JS functions Lua may call) and the ext_* / host_call imports over it,
// including the typed fast paths (docs/ABI.md "External tables", "Typed fast paths").
// Invariants: no exception from a handler ever crosses into wasm: it becomes an encoded error value
// and the import returns -1 (Answer.NOMEM when even that cannot be buffered, or for a write refused
// past the memory limit); answers are written into the module's input buffer after val_buffer, which
// may grow memory, so views are always re-read; a write is all or nothing (store.atomic).

import { Answer, answer as answerInput, answerScalar, failAnswer, NOT_SCALAR, OUT_STR } from "../answer.js";
import { encodeInto, encodeValues, type EncodeContext } from "../encode.js";
import type { LuaWasm } from "../loader.js";
import { isUnwinding, AWAIT } from "../unwind.js";
import { LuaError } from "../errors.js";
import type { RefHost } from "../refs.js";
import { giveWriter, Reader, Tag, takeWriter, Writer } from "../wire.js";
import { ExtTableStore } from "./store.js";
import { KeyCache, utf8At } from "./keys.js";
import { readCell, readStored, writeRecord, writeStored } from "./wire.js";
import {
  BINKEY,
  ENTRY_BYTES,
  InvalidKeyError,
  keyBytes,
  latin1,
  LuaFloat,
  storedBytes,
  STRING_BYTES,
  type Canon,
  type Stored,
} from "./values.js";

export { Answer, OUT_STR } from "../answer.js";

// ==== HostSide ====

/** What the host does when Lua calls a JS function: the engine registers these. */
export interface HostFunctionTable {
  /**
   * Calls JS function `id` with the nargs arguments in instance w's memory: encoded values in the al
   * bytes at ap, or (al = -1) slots at ap (host/slots.ts). Returns what the function returned.
   */
  call(id: number, w: LuaWasm, ap: number, al: number, nargs: number): unknown;
  /** The list of results a JS function's return value stands for (undefined: none; LuaMulti spreads). */
  results(r: unknown): unknown[];
  /** How to encode the results and thrown values (functions, Lua function wrappers). */
  context: EncodeContext;
  /** JS objects by reference: what the js_op import answers from (host/refs.ts). */
  refs?: RefHost;
}

/**
 * Per-instance host state behind the ext_* and host_call imports: the external-table store and the
 * JS functions Lua may call. It outlives a re-instantiated module (the runtime hands it over), so
 * _home survives an internal error. Once the module has bound it (ext_bind, at lua_init), its store
 * is limited by that instance: hostBytes + the Lua heap <= the memory limit, and the module sees
 * hostBytes. Assigning another store (engine.load, restore) binds that one instead.
 */
export class HostSide {
  private current = new ExtTableStore();
  functions: HostFunctionTable | null = null;
  /**
   * How many JS functions called by Lua are running (host_call): a call back into the state is a
   * nested entry only from inside one of them (host/runtime.ts).
   */
  hostCalls = 0;
  private wasm: LuaWasm | null = null;
  private mirror = 0;

  get store(): ExtTableStore {
    return this.current;
  }
  set store(s: ExtTableStore) {
    if (s === this.current) return;
    this.current.room = () => Infinity; // the old store no longer speaks for this instance
    this.current.onBytes = null;
    this.current.collector = null;
    this.current.onWantCollect = null;
    this.current = s;
    this.attach();
  }

  /** The bytes the store holds by the estimate of "Host bytes" (for getMemoryStats' host_bytes). */
  get hostBytes(): number {
    return this.current.hostBytes;
  }

  /** Binds the store to instance w, whose module keeps the host's byte count (an f64) at ptr. */
  bind(w: LuaWasm, ptr: number): void {
    this.wasm = w;
    this.mirror = ptr >>> 0;
    this.attach();
  }

  private attach(): void {
    const w = this.wasm,
      s = this.current;
    if (w === null) return;
    const ptr = this.mirror;
    s.room = () => w.exports.lua_getlimit() - w.exports.lua_memory_used();
    s.onBytes = (n) => {
      if (ptr !== 0) w.view().setFloat64(ptr, n, true);
    };
    s.onBytes(s.hostBytes);
    s.onWantCollect = (want) => {
      if (ptr !== 0) w.view().setFloat64(ptr + 8, want ? 1 : 0, true);
    };
    s.collector = () => w.exports.ext_hostgc();
  }
}

// ==== The imports (module "env") ====

/** The ext_* and host_call imports, reading `target.wasm.host`. */
export function extImports(target: { readonly wasm: LuaWasm }): Record<string, (...a: number[]) => number> {
  const w = (): LuaWasm => target.wasm;
  const copy = (ptr: number, len: number): Uint8Array =>
    w()
      .bytes()
      .slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  /** Puts bytes into the module's input buffer (val_buffer may grow memory: views are re-read). */
  const answer = (input: Uint8Array | Writer): void => answerInput(w(), input);
  /** The error answer of an import (host/answer.ts); never throws. */
  const fail = (e: unknown, ctx: EncodeContext = {}): number => failAnswer(w(), e, ctx);
  const store = (): ExtTableStore => w().host.store;
  /** A key passed in the general encoding (a function or table there is the key error Lua reports). */
  const readKey = (s: ExtTableStore, p: number, n: number): Stored | null =>
    readStored(s, new Reader(copy(p, n)), new Map(), true);

  // ---- Typed fast paths (docs/ABI.md "Typed fast paths"; assembly/embed/ext.ts fastget/fastset) ----
  // String keys arrive as bytes and are turned into JS strings through the key cache (keys.ts); reads
  // answer scalars through the result code and the result area `out` instead of an encoded value.
  /** The stored form of the key strKey() decoded last (the bytes for a non-UTF-8 key). */
  let lastKey: Stored = "";
  const keys = new KeyCache();
  const strKey = (p: number, n: number, h: number): Canon => {
    const wa = w();
    p >>>= 0;
    const s = keys.text(wa.bytes(), wa.view(), p, n, h);
    if (s !== null) return (lastKey = s);
    const b = wa.bytes().slice(p, p + n);
    lastKey = b;
    return BINKEY + latin1(b);
  };
  /** A value passed as (tag, number, bytes) → its stored form (null: nil). */
  const fastValue = (tag: number, num: number, p: number, n: number): Stored | null => {
    switch (tag) {
      case Tag.NIL:
        return null;
      case Tag.FALSE:
        return false;
      case Tag.TRUE:
        return true;
      case Tag.INT:
        return num;
      case Tag.FLT:
        return Number.isInteger(num) ? new LuaFloat(num) : num;
      case Tag.STR:
        return decodeBytes(w().bytes(), p >>> 0, n);
    }
    throw new Error(`bad value tag ${tag}`);
  };
  /** Answers a fast-path read with the stored value v: a result code, scalars in the area at `out`. */
  const answerFast = (v: Stored | null, out: number): number => {
    const code = answerScalar(w(), v, out);
    if (code !== NOT_SCALAR) return code;
    if (typeof v === "string") return answerBytes(encoder.encode(v), out); // not ASCII, or long
    if (v instanceof LuaFloat) {
      w()
        .view()
        .setFloat64(out >>> 0, v.value, true);
      return Tag.FLT;
    }
    if (v instanceof Uint8Array) return answerBytes(v, out);
    const wr = new Writer(); // big integers and nested tables: the general encoding
    writeStored(wr, v);
    answer(wr.result());
    return Answer.GENERIC;
  };
  const answerBytes = (b: Uint8Array, out: number): number => {
    if (b.length > MAX_FAST_STR) {
      const wr = new Writer();
      wr.string(b);
      answer(wr.result());
      return Answer.GENERIC;
    }
    if (b.length <= OUT_STR)
      w()
        .bytes()
        .set(b, (out >>> 0) + 8);
    else answer(b);
    return Answer.STR + b.length;
  };

  return {
    ext_get_s(id: number, kp: number, kl: number, h: number, out: number): number {
      try {
        return answerFast(store().getCanon(id, strKey(kp, kl, h)), out);
      } catch (e) {
        return fail(e);
      }
    },
    ext_get_i(id: number, k: number, out: number): number {
      try {
        return answerFast(store().getCanon(id, k), out);
      } catch (e) {
        return fail(e);
      }
    },
    ext_set_s(id: number, kp: number, kl: number, h: number, tag: number, num: number, vp: number, vl: number): number {
      try {
        const canon = strKey(kp, kl, h);
        const v = fastValue(tag, num, vp, vl);
        const kb = typeof lastKey === "string" ? STRING_BYTES + kl : keyBytes(lastKey); // byte lengths known: no scan
        store().setCanon(id, canon, lastKey, v, ENTRY_BYTES + kb + fastBytes(v, vl));
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    ext_set_i(id: number, k: number, tag: number, num: number, vp: number, vl: number): number {
      try {
        const v = fastValue(tag, num, vp, vl);
        store().setCanon(id, k, k, v, ENTRY_BYTES + fastBytes(v, vl));
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    ext_new(): number {
      try {
        return store().create();
      } catch {
        return 0;
      } // 0: past the memory limit
    },
    ext_bind(ptr: number): number {
      w().host.bind(w(), ptr);
      return 0;
    },
    ext_collect(p: number, n: number, nf: number): number {
      try {
        const v = new DataView(copy(p, (n + Math.max(nf, 0)) * 4).buffer);
        const live: number[] = [],
          funcs: number[] = [];
        for (let i = 0; i < n; i++) live.push(v.getUint32(i * 4, true));
        for (let i = 0; i < nf; i++) funcs.push(v.getUint32((n + i) * 4, true));
        const c = store().collect(live, nf < 0 ? null : funcs);
        return c.records + c.cells;
      } catch {
        return 0; /* nothing collected: the limit check stays as it was */
      }
    },
    ext_hascell(uvid: number): number {
      try {
        return store().cells.has(uvid) ? 1 : 0;
      } catch {
        return 1;
      }
    },
    ext_get(id: number, kp: number, kl: number): number {
      try {
        const s = store();
        const key = readKey(s, kp, kl);
        const out = new Writer();
        writeStored(out, key === null ? null : s.get(id, key));
        answer(out.result());
        return 1;
      } catch (e) {
        return fail(e);
      }
    },
    ext_set(id: number, kp: number, kl: number, vp: number, vl: number): number {
      try {
        const s = store();
        const key = readKey(s, kp, kl);
        if (key === null) throw new TypeError("index is nil");
        s.atomic(() => s.set(id, key, readStored(s, new Reader(copy(vp, vl))))); // a copied table: all or nothing
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    ext_next(id: number, kp: number, kl: number): number {
      try {
        const s = store();
        const key = kl === 0 ? null : readKey(s, kp, kl);
        const e = s.next(id, key);
        if (e === undefined) return 0;
        const out = new Writer();
        writeStored(out, e[0]);
        writeStored(out, e[1]);
        answer(out.result());
        return 2;
      } catch (e) {
        if (e instanceof InvalidKeyError) return -2;
        return fail(e);
      }
    },
    ext_newid(kind: number): number {
      return store().newId(kind);
    },
    ext_fnrec(fid: number): number {
      try {
        const out = new Writer();
        writeRecord(store(), out, fid);
        answer(out.result());
        return 1;
      } catch (e) {
        return fail(e);
      }
    },
    ext_setcell(uvid: number, vp: number, vl: number): number {
      try {
        const s = store();
        const r = new Reader(copy(vp, vl));
        s.atomic(() => s.cells.set(uvid, readCell(s, r)));
        return 0;
      } catch (e) {
        return fail(e);
      }
    },
    ext_len(id: number): number {
      try {
        return store().length(id);
      } catch {
        return 0;
      }
    },
    ext_size(id: number): number {
      try {
        return store().size(id);
      } catch {
        return 0;
      }
    },
    host_call(fid: number, ap: number, al: number, nargs: number, out: number): number {
      const host = w().host;
      const fns = host.functions;
      if (!fns) return fail(new Error("no host functions registered"));
      host.hostCalls++;
      try {
        const r = fns.call(fid, w(), ap >>> 0, al, nargs);
        if (r === undefined) return Answer.MULTI; // no results
        // one scalar result: a typed read's answer, no encoding (as every encoding starts: released ids dropped)
        fns.context.refs?.mark();
        const code = answerScalar(w(), r, out);
        if (code !== NOT_SCALAR) return code;
        const results = fns.results(r);
        const wr = takeWriter();
        try {
          encodeInto(results, fns.context, wr);
          answer(wr);
        } finally {
          giveWriter(wr);
        }
        return Answer.MULTI - results.length;
      } catch (e) {
        if (isUnwinding(e)) throw e; // a trap in a nested call: the outermost guard resets the state
        if (e === AWAIT) return Answer.AWAIT;
        if (e instanceof LuaError && e.kind !== "internal") {
          // a nested call's error (or one the function raised as a LuaError) goes on unchanged
          try {
            answer(encodeValues([e.message]));
            return Answer.RETHROW;
          } catch {
            /* as any other exception, below */
          }
        }
        return fail(e, fns.context);
      } finally {
        host.hostCalls--;
      }
    },
  };
}

// ==== Fast-path helpers ====

/** What a fast-path value costs: a string's byte length is known (vl), so no UTF-8 scan. */
function fastBytes(v: Stored | null, vl: number): number {
  return typeof v === "string" ? STRING_BYTES + vl : storedBytes(v);
}

/** Longest string answered as Answer.STR + n (the answer is an i32). */
const MAX_FAST_STR = 0x3fffffff;
const encoder = new TextEncoder();

/** Bytes in wasm memory → a JS string when valid UTF-8, else a copy of them. */
function decodeBytes(mem: Uint8Array, p: number, n: number): string | Uint8Array {
  return utf8At(mem, p, n) ?? mem.slice(p, p + n);
}
