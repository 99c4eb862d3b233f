// slots.ts - the argument slots of the typed calls (docs/ABI.md "Typed calls"): a Lua function called
// from JS with scalar arguments (assembly/embed/bridge.ts lua_call_s, whose call area CallArea
// writes) and a JS function called by Lua with scalar arguments (assembly/embed/ext.ts slotargs,
// host_call with al = -1, which readSlots reads). A slot is 16 bytes: tag (i32: Tag.NIL..Tag.STR),
// length (i32, strings), then an f64 or the u32 address of the string's bytes.
// Invariants: only what the general encoding would give the same value crosses as a slot (safe
// integers as INT, every other number as FLT, strings as their UTF-8 bytes); slots are read before
// any code runs that could call back into the module and write them again.

import type { LuaValue } from "./codec.js";
import { isLuaInteger } from "./encode.js";
import { utf8At } from "./ext/keys.js";
import type { LuaWasm } from "./loader.js";
import { Tag } from "./wire.js";

/** Argument slots of the call area, and the string bytes a typed call may carry (the area holds more). */
const CALL_SLOTS = 16;
const CALL_STRBYTES = 512;

/** Whether args can go as a typed call: at most CALL_SLOTS nil, boolean, number or short string values. */
export function typedArgs(args: readonly unknown[]): boolean {
  if (args.length > CALL_SLOTS) return false;
  let room = CALL_STRBYTES;
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    switch (typeof v) {
      case "undefined":
      case "boolean":
      case "number":
        continue;
      case "string":
        room -= 3 * v.length; // UTF-8 bytes at most
        if (room >= 0) continue;
        return false;
    }
    if (v !== null) return false;
  }
  return true;
}

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder();

/** The module's call area (its address asked once per instance) and how arguments are written there. */
export class CallArea {
  private owner: LuaWasm | null = null;
  private at = 0;

  /** Writes args (typedArgs holds) as the slots and string bytes lua_call_s reads. */
  write(w: LuaWasm, args: readonly unknown[]): void {
    if (w !== this.owner) {
      if (w.exports.lua_call_area_size() < 16 * CALL_SLOTS + CALL_STRBYTES)
        throw new Error("the module's call area is too small");
      this.at = w.exports.lua_call_area() >>> 0;
      this.owner = w;
    }
    const dv = w.view(),
      mem = w.bytes();
    let sp = this.at + 16 * CALL_SLOTS;
    for (let i = 0; i < args.length; i++) {
      const v = args[i],
        slot = this.at + 16 * i;
      switch (typeof v) {
        case "boolean":
          dv.setInt32(slot, v ? Tag.TRUE : Tag.FALSE, true);
          continue;
        case "number":
          dv.setInt32(slot, isLuaInteger(v) ? Tag.INT : Tag.FLT, true);
          dv.setFloat64(slot + 8, v, true);
          continue;
        case "string": {
          let n = 0;
          while (n < v.length && v.charCodeAt(n) < 0x80) mem[sp + n] = v.charCodeAt(n++); // ASCII by hand
          if (n < v.length) n = utf8enc.encodeInto(v, mem.subarray(sp, sp + 3 * v.length)).written;
          dv.setInt32(slot, Tag.STR, true);
          dv.setInt32(slot + 4, n, true);
          dv.setUint32(slot + 8, sp, true);
          sp += n;
          continue;
        }
      }
      dv.setInt32(slot, Tag.NIL, true); // null, undefined
    }
  }
}

/**
 * The n values of the slots at `at` (a JS function's arguments), as the general decoder gives them:
 * strings as text (invalid UTF-8 replaced), or as a copy of their bytes with rawStrings.
 */
export function readSlots(w: LuaWasm, at: number, n: number, rawStrings: boolean | undefined): LuaValue[] {
  const dv = w.view(),
    mem = w.bytes();
  const out = new Array<LuaValue>(n);
  for (let i = 0; i < n; i++) {
    const slot = at + 16 * i;
    switch (dv.getInt32(slot, true)) {
      case Tag.NIL:
        out[i] = null;
        continue;
      case Tag.FALSE:
        out[i] = false;
        continue;
      case Tag.TRUE:
        out[i] = true;
        continue;
      case Tag.INT:
      case Tag.FLT:
        out[i] = dv.getFloat64(slot + 8, true);
        continue;
      case Tag.STR: {
        const p = dv.getUint32(slot + 8, true),
          len = dv.getInt32(slot + 4, true);
        if (rawStrings) out[i] = mem.slice(p, p + len);
        else out[i] = utf8At(mem, p, len) ?? utf8dec.decode(mem.subarray(p, p + len));
        continue;
      }
    }
    throw new Error(`bad argument slot ${i}`);
  }
  return out;
}
