// ref-table.ts - LuaTableRef, a live handle on a Lua table held by JS (issue #13 point 1, Lua → JS):
// `L.global.get("t", { proxy: true })` gives one instead of a copy. Reads and writes go to the table
// in the state as Lua's own `t[k]` and `t[k] = v` do (metamethods included); length() is `#t` and
// entries() is a pairs() loop. The table is held by a registry reference in the module, released by
// release() or when the handle is garbage-collected (a FinalizationRegistry, as for Lua functions
// handed to JS: host/typed.ts), and at close().
// Invariant: a handle only ever reaches the instance it was made for; after a restore or a reset (a
// new instance), or once released, every method throws instead of touching another table.

import type { LuaValue } from "./codec.js";

/** What a handle asks of the value bridge (host/typed.ts ValueBridge implements it). */
export interface TableOps {
  /** Runs helper operation `op` on the table behind `handle` (1 get, 2 set, 3 length, 4 entries). */
  tableOp(handle: LuaTableRef, op: number, args: unknown[], proxy: boolean): LuaValue[];
  /** Gives the handle's reference back to the module (once). */
  releaseTable(handle: LuaTableRef): void;
}

/** Options of LuaTableRef.get and global.get. */
export interface GetOptions {
  /** A table value comes back as a LuaTableRef (a live handle) instead of a copy. Default false. */
  proxy?: boolean;
}

/**
 * A live Lua table seen from JS. Its values come back converted as run() converts results (tables as
 * copies, unless get(key, { proxy: true })); keys and values given to it are converted as global.set
 * converts them (objects by reference, copy() for a copy).
 */
export class LuaTableRef {
  private isReleased = false;

  /** @internal Made by the value bridge (host/typed.ts) from a registry reference. */
  constructor(private readonly ops: TableOps) {}

  /** t[key], as Lua's indexing (an __index metamethod applies). */
  get(key: unknown, options: GetOptions = {}): LuaValue {
    return this.op(1, [key], options.proxy === true)[0] ?? null;
  }

  /** t[key] = value, as Lua's assignment (an __newindex metamethod applies); null/undefined deletes. */
  set(key: unknown, value: unknown): void {
    this.op(2, [key, value], false);
  }

  /** #t, as Lua's length operator (a __len metamethod applies). */
  length(): number {
    return Number(this.op(3, [], false)[0]);
  }

  /** Every [key, value] of a pairs() loop over the table (a __pairs metamethod applies), in its order. */
  entries(): [LuaValue, LuaValue][] {
    const r = this.op(4, [], false)[0];
    return Array.isArray(r) ? (r as [LuaValue, LuaValue][]) : [];
  }

  /** Gives the table back to the state now (also done when the handle is garbage-collected). */
  release(): void {
    if (this.isReleased) return;
    this.isReleased = true;
    this.ops.releaseTable(this);
  }

  /** Whether release() was called. */
  get released(): boolean {
    return this.isReleased;
  }

  private op(op: number, args: unknown[], proxy: boolean): LuaValue[] {
    if (this.isReleased) throw new Error("this LuaTableRef was released");
    return this.ops.tableOp(this, op, args, proxy);
  }

  toString(): string {
    return "LuaTableRef";
  }
}

/** The Lua side of every handle operation, one function per state (made by the bridge on first use). */
export const TABLE_HELPER = `local pairs = pairs
return function(op, t, k, v)
  if op == 1 then return t[k]
  elseif op == 2 then t[k] = v return
  elseif op == 3 then return #t
  end
  local r, n = {}, 0
  for key, val in pairs(t) do n = n + 1 r[n] = {key, val} end
  return r
end`;
