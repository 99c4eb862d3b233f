// snapshot-mutation.ts - the snapshot and saved-state boundary under hostile bytes. Rich states
// (globals, closures with shared upvalues, metatables with __gc/__close, suspended coroutines with
// pcall/to-be-closed/pairs frames, coroutine.wrap and gmatch iterators, external tables with nested
// tables and stored closures, _home, strings with zeros, extreme integers and floats) are captured as
// whole-state snapshots (`Lua.snapshot()`, `LuaPersistent.snapshot()`) and as saved _home images
// (`saveState` → bytes), then mutated: bit flips, byte and u32 sets, truncation, extension, splices
// of two artifacts, duplicated and deleted ranges. Four modes: "raw" (the checksum now fails),
// "crc" (the CRC-32 recomputed after mutating the whole file), "section" (only the module's own
// section mutated, the outer framing and CRC rebuilt) and "struct" (one field of the section changed
// meaningfully, see mutateStructured), so mutants reach the module's reader
// (assembly/persist/snapshot.ts, undump.ts, verify.ts) and the host's parsers
// (host/persist/snapshot.ts, format.ts).
//
// Each mutant is restored into a live state that has its own globals. It must give either
//   - a clear error: SnapshotError / `restore()` false / `loadState()` false, with a message from the
//     known list (MESSAGES below; anything else, e.g. a JS TypeError text or a wasm trap text wrapped
//     into "bad snapshot: ...", is a failure to review), and the live state untouched (its globals,
//     a probe eval); or
//   - a successful restore (possible for checksum-fixed mutants), after which the restored state must
//     be usable: a probe that resumes every coroutine and calls every Lua function found in the
//     globals / _home (under an instruction limit), then a full collection, with no internal error;
//     and what was restored must be saved again: its snapshot restores in a fresh instance (or is
//     a clear "cannot snapshot" error), a loaded image saves and loads again.
// Cases run in worker processes; a case that takes longer than the watchdog is a hang (failure).
//
//   npm run fuzz -- --target snapshot-mutation [--iterations N | --minutes N] [--seed S]
//   tsx spec/fuzz/targets/snapshot-mutation.ts --short     (fixed seed, 5000 mutants)
//   tsx spec/fuzz/targets/snapshot-mutation.ts --case N [--seed S]   (replays one case, verbose)
//
// Ends with "N passed, N failed" and the mutants/second rate.
// Invariant: case i of seed S is the same mutant on every run (artifacts are built deterministically).

import { fileURLToPath } from "node:url";
import { Lua, LuaError, LuaPersistent, SnapshotError, type StorageAdapter } from "../../../host/index.js";
import { crc32 } from "../../../host/persist/format.js";
import { printable, rng, runWorker, writeLine } from "../lib.js";

const SELF = fileURLToPath(import.meta.url);

// ==== deterministic randomness ====

const caseRng = (seed: number, i: number): (() => number) =>
  rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));

// ==== the rich states ====

const STATE_GLOBALS = `
  s0 = "bin\\0ary\\255" .. string.rep("x", 40)
  imax, imin, fl, inf, ninf, negz = math.maxinteger, math.mininteger, 3.5, 1/0, -1/0, -0.0
  nan = 0/0
  t = {1, 2.5, "three", [true] = false, [-7] = math.mininteger, nested = {deep = {deeper = "yes"}}}
  t.self = t
  shared = {} t.a, t.b = shared, shared t[shared] = "key is a table"
  v = setmetatable({}, {__index = function(_, k) return "idx:" .. tostring(k) end, __add = function() return 42 end,
    __tostring = function() return "V!" end, __gc = function() end})
  weak = setmetatable({}, {__mode = "k"})
  local count = 0
  function inc(n) count = count + (n or 1) return count end
  function get() return count end
  function mk() local x = 0 return function() x = x + 1 return x end, function() return x end end
  bump, peek = mk()
  bump() inc(5)
  arr = {} for i = 1, 40 do arr[i] = i * 1.5 end
  function varf(...) local a, b = ... return select('#', ...), a, b end
  ud = io.stdout
`;

const STATE_COROS = `
  co = coroutine.create(function(a, b)
    local acc = {}
    local total = a + b
    for i = 1, 5 do
      local ok, v = pcall(function() return coroutine.yield(i, total) end)
      total = total + (v or 0)
      acc[#acc + 1] = i .. ":" .. total
    end
    return table.concat(acc, " "), total
  end)
  coroutine.resume(co, 1, 2) coroutine.resume(co, 3)
  gen = coroutine.wrap(function() for i = 1, 10 do coroutine.yield(i) end end) gen()
  co2 = coroutine.create(function(...)
    local c <close> = setmetatable({}, {__close = function() closed = true end})
    local n = select('#', ...)
    coroutine.yield(n)
    for k, v in pairs({a = 1, b = 2, c = 3}) do coroutine.yield(k) end
    return "end"
  end)
  coroutine.resume(co2, 1, 2, 3) coroutine.resume(co2)
  co3 = coroutine.create(function() local t = setmetatable({}, {__index = function(t, k) return coroutine.yield(k) end}) return t.key .. "!" end)
  coroutine.resume(co3)
  it = string.gmatch("alpha beta gamma", "%a+") it()
  dead = coroutine.create(function() end) coroutine.resume(dead)
  function deep(n) if n == 0 then return coroutine.yield("bottom") end return deep(n - 1) + 1 end
  co4 = coroutine.create(deep) coroutine.resume(co4, 12)
`;

const STATE_EXT = `
  e = ext.table()
  e.x = 1
  e.nested = {a = {b = {c = "deep"}}, list = {1, 2, 3}}
  e.s = "z\\0z"
  e.big, e.small, e.f = math.maxinteger, math.mininteger, 2^53 + 0.5
  local up = 10
  e.fn = function() up = up + 1 return up end
  e.fn2 = function() return up end
  _home.data = {1, 2, 3, name = "home", i = math.maxinteger, f = -0.0, z = "a\\0b"}
  _home.counter = e.fn
  _home.reader = e.fn2
  _home.p = print
  _home.self = _home.data
  local t = _home.data t.cycle = t
  _io.input = {q = 1}
`;

const PROGRAMS = [STATE_GLOBALS, STATE_COROS, STATE_EXT, STATE_GLOBALS + STATE_COROS + STATE_EXT];

/** The probe run in a state after a successful restore (or load): exercise what is there. */
export const PROBE = `
  local n = 0
  local function touch(v, depth)
    local ty = type(v)
    if ty == "thread" then
      for i = 1, 4 do if not pcall(coroutine.resume, v, i) then break end end
    elseif ty == "function" then
      local ok, info = pcall(debug.getinfo, v, "Su")
      if ok and info and (info.what == "Lua" or info.nups > 0) then pcall(v, 1, 2) end
    elseif ty == "table" and depth < 3 then
      local ok = pcall(function() for k, x in pairs(v) do n = n + 1 touch(x, depth + 1) end end)
      pcall(function() return #v, v[1], v.x end)
    end
  end
  for k, v in pairs(_G) do n = n + 1 if k ~= "_G" and k ~= "package" then touch(v, 1) end end
  pcall(touch, _home, 0)
  collectgarbage()
  return n`;

// ==== artifacts ====

interface Artifacts {
  snaps: Uint8Array[]; // Lua.snapshot() of each program
  images: Uint8Array[]; // saveState images of each program (with _home)
}

const LIMITS = { instructionLimit: 200_000, timeoutMs: 2000 };

export async function buildArtifacts(): Promise<Artifacts> {
  const snaps: Uint8Array[] = [];
  const images: Uint8Array[] = [];
  for (const p of PROGRAMS) {
    const L = await Lua.create({ deterministic: true });
    L.run(p);
    snaps.push(L.snapshot());
    L.close();
    let saved: Uint8Array | null = null;
    const storage: StorageAdapter = {
      load: async () => saved,
      save: async (b) => {
        saved = b.slice();
      },
      clear: async () => {
        saved = null;
      },
    };
    const lua = new LuaPersistent({ storage, deterministic: true });
    await lua.load();
    lua.init();
    if (!lua.eval(p)) throw new Error(`program failed: ${lua.getLastError()}`);
    if (!(await lua.saveState())) throw new Error(`saveState failed: ${lua.getLastError()}`);
    images.push(saved!);
    lua.close();
  }
  return { snaps, images };
}

// ==== mutations ====

const INTERESTING_U32 = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];
const INTERESTING_U8 = [0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17];

function mutateBytes(src: Uint8Array, other: Uint8Array, r: () => number): { out: Uint8Array; ops: string[] } {
  let b: Uint8Array = src.slice();
  const ops: string[] = [];
  const nops = 1 + Math.floor(r() * r() * 4);
  const pos = (n: number): number => Math.floor(r() * n);
  for (let k = 0; k < nops; k++) {
    const op = Math.floor(r() * 9);
    if (b.length === 0) {
      b = Uint8Array.of(pos(256));
      ops.push("seed byte");
      continue;
    }
    switch (op) {
      case 0:
      case 1: {
        const p = pos(b.length),
          bit = pos(8);
        b[p] ^= 1 << bit;
        ops.push(`flip ${p}.${bit}`);
        break;
      }
      case 2: {
        const p = pos(b.length),
          v = r() < 0.5 ? INTERESTING_U8[pos(INTERESTING_U8.length)] : pos(256);
        b[p] = v;
        ops.push(`set ${p}=${v}`);
        break;
      }
      case 3: {
        if (b.length < 4) break;
        const p = pos(b.length - 3);
        const v =
          r() < 0.7
            ? INTERESTING_U32[pos(INTERESTING_U32.length)]
            : (new DataView(b.buffer).getUint32(p, true) + pos(9) - 4) >>> 0;
        new DataView(b.buffer).setUint32(p, v, true);
        ops.push(`u32 ${p}=${v}`);
        break;
      }
      case 4: {
        const n = pos(b.length);
        b = b.slice(0, n);
        ops.push(`truncate ${n}`);
        break;
      }
      case 5: {
        const n = 1 + pos(64);
        const ext = new Uint8Array(n);
        for (let i = 0; i < n; i++) ext[i] = pos(256);
        b = concat(b, ext);
        ops.push(`extend ${n}`);
        break;
      }
      case 6: {
        // splice: a prefix of this one, a suffix of the other
        const p = pos(b.length + 1),
          q = pos(other.length + 1);
        b = concat(b.subarray(0, p), other.subarray(q));
        ops.push(`splice ${p}|${q}`);
        break;
      }
      case 7: {
        // duplicate a range in place
        const a = pos(b.length),
          len = 1 + pos(Math.min(64, b.length - a)),
          at = pos(b.length + 1);
        b = concat(b.subarray(0, at), b.subarray(a, a + len), b.subarray(at));
        ops.push(`dup ${a}+${len}@${at}`);
        break;
      }
      case 8: {
        const a = pos(b.length),
          len = 1 + pos(Math.min(32, b.length - a));
        b = concat(b.subarray(0, a), b.subarray(a + len));
        ops.push(`delete ${a}+${len}`);
        break;
      }
    }
  }
  return { out: b, ops };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Recomputes the CRC-32 of a snapshot or _home image (both: CRC of bytes 12.. at offset 8). */
function fixCrc(b: Uint8Array): Uint8Array {
  if (b.length >= 12) new DataView(b.buffer, b.byteOffset).setUint32(8, crc32(b.subarray(12)), true);
  return b;
}

/** A snapshot's module section: header(12) | u32 n | n bytes | rest. */
export function splitSection(s: Uint8Array): { section: Uint8Array; rest: Uint8Array } {
  const n = new DataView(s.buffer, s.byteOffset).getUint32(12, true);
  return { section: s.subarray(16, 16 + n), rest: s.subarray(16 + n) };
}
export function joinSection(head: Uint8Array, section: Uint8Array, rest: Uint8Array): Uint8Array {
  const out = concat(head.subarray(0, 12), new Uint8Array(4), section, rest);
  new DataView(out.buffer).setUint32(12, section.length, true);
  return fixCrc(out);
}

// ==== structure-aware mutation of the module's section ====
// A reader of the section's layout (assembly/persist/snapshot.ts header) that lists its fields, so a
// mutation can change one field meaningfully: a count or slot by a small delta, an object reference
// to another object (of any kind), a value to a value of another type, a frame's pc or call status,
// a byte inside a string or a prototype's binary chunk. Such mutants pass the framing and reach the
// checks deep in the reader, and the restored states resume with odd but plausible contents.

type FieldKind = "u8" | "u16" | "u32" | "objref" | "optref" | "value" | "bytes" | "chunk";
interface Field {
  off: number;
  len: number;
  kind: FieldKind;
  role: string;
}

export function parseSection(b: Uint8Array): { fields: Field[]; nobj: number } | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields: Field[] = [];
  let p = 0;
  const need = (n: number): void => {
    if (p + n > b.length) throw new Error("short");
  };
  const u8 = (role: string, kind: FieldKind = "u8"): number => {
    need(1);
    fields.push({ off: p, len: 1, kind, role });
    return b[p++];
  };
  const u16 = (role: string): number => {
    need(2);
    fields.push({ off: p, len: 2, kind: "u16", role });
    const v = dv.getUint16(p, true);
    p += 2;
    return v;
  };
  const u32 = (role: string, kind: FieldKind = "u32"): number => {
    need(4);
    fields.push({ off: p, len: 4, kind, role });
    const v = dv.getUint32(p, true);
    p += 4;
    return v;
  };
  const bytes = (n: number, role: string, kind: FieldKind = "bytes"): void => {
    need(n);
    if (n > 0) fields.push({ off: p, len: n, kind, role });
    p += n;
  };
  const value = (role: string): void => {
    need(1);
    const t = b[p];
    const len = t === 3 || t === 4 ? 9 : t >= 5 && t <= 7 ? 5 : 1;
    need(len);
    fields.push({ off: p, len, kind: "value", role });
    if (t === 5) fields.push({ off: p + 1, len: 4, kind: "objref", role: role + ".ref" });
    p += len;
  };
  try {
    p = 8; // "LWSG" + version
    const nn = u32("nnames");
    for (let i = 0; i < nn; i++) {
      const l = u32("namelen");
      bytes(l, "name");
    }
    const nobj = u32("nobj");
    const kinds: number[] = [],
      subs: number[] = [],
      nups: number[] = [],
      nuvs: number[] = [],
      ulens: number[] = [];
    for (let i = 0; i < nobj; i++) {
      const k = u8("kind");
      kinds.push(k);
      subs.push(0);
      nups.push(0);
      nuvs.push(0);
      ulens.push(0);
      switch (k) {
        case 1: {
          const l = u32("strlen");
          bytes(l, "str");
          break;
        }
        case 2:
          u32("asize");
          u32("nnodes");
          break;
        case 3:
          nups[i] = u8("nup");
          break;
        case 4:
          nups[i] = u8("nup");
          u32("cname");
          break;
        case 5:
        case 7:
          break;
        case 6: {
          const sub = u8("udsub");
          subs[i] = sub;
          if (sub === 0) {
            ulens[i] = u32("udlen");
            nuvs[i] = u16("nuv");
          } else if (sub === 1) u32("hostid");
          break;
        }
        case 8: {
          const l = u32("protolen");
          bytes(l, "proto", "chunk");
          break;
        }
        case 9:
          u32("parent", "objref");
          u32("pindex");
          break;
        case 10:
          u8("perm");
          break;
        default:
          return null;
      }
    }
    for (let i = 0; i < nobj; i++) {
      switch (kinds[i]) {
        case 2: {
          u32("mt", "optref");
          const n = u32("nentries");
          for (let j = 0; j < n; j++) {
            value("key");
            value("val");
          }
          break;
        }
        case 3: {
          u32("proto", "objref");
          for (let j = 0; j < nups[i]; j++) u32("upval", "objref");
          break;
        }
        case 4:
          for (let j = 0; j < nups[i]; j++) value("cup");
          break;
        case 5: {
          const o = u8("uvopen");
          if (o === 0) value("uv");
          else {
            u32("uvthread", "objref");
            u32("uvslot");
          }
          break;
        }
        case 6:
          if (subs[i] === 0) {
            u32("udmt", "optref");
            for (let j = 0; j < nuvs[i]; j++) value("uduv");
            bytes(ulens[i], "udbytes");
          }
          break;
        case 7: {
          u8("status");
          u32("nccalls");
          u32("errfunc");
          u32("stacksize");
          const ntop = u32("ntop");
          for (let j = 0; j < ntop; j++) value("slot");
          const ntbc = u32("ntbc");
          for (let j = 0; j < ntbc; j++) u32("tbc");
          const nci = u32("nci");
          for (let j = 0; j < nci; j++)
            for (const r of ["cifunc", "citop", "cistatus", "cipc", "cinextra", "cinres", "ciu1", "ciu2"]) u32(r);
          break;
        }
      }
    }
    u32("registry", "objref");
    for (let t = 0; t < 9; t++) u32("typemt");
    return p === b.length ? { fields, nobj } : null;
  } catch {
    return null;
  }
}

/** Encodes a random value (for replacing a value field): any tag, an object of any kind. */
function randomValue(r: () => number, nobj: number): Uint8Array {
  const t = Math.floor(r() * 8);
  if (t === 3 || t === 4) {
    const out = new Uint8Array(9);
    out[0] = t;
    const dv = new DataView(out.buffer);
    const pick = r();
    if (t === 3)
      dv.setBigInt64(
        1,
        pick < 0.3 ? -(2n ** 63n) : pick < 0.6 ? 2n ** 63n - 1n : BigInt(Math.floor(r() * 200) - 100),
        true,
      );
    else dv.setFloat64(1, pick < 0.25 ? NaN : pick < 0.5 ? -0 : pick < 0.75 ? Infinity : r() * 1e6, true);
    return out;
  }
  if (t >= 5) {
    const out = new Uint8Array(5);
    out[0] = t;
    new DataView(out.buffer).setUint32(1, t === 5 ? Math.floor(r() * (nobj + 2)) : Math.floor(r() * 40), true);
    return out;
  }
  return Uint8Array.of(t);
}

/** One to three structured mutations of a section; null when it does not parse (never: ours). */
function mutateStructured(section: Uint8Array, r: () => number): { out: Uint8Array; ops: string[] } | null {
  let b: Uint8Array = section.slice();
  const ops: string[] = [];
  const n = 1 + Math.floor(r() * r() * 3);
  for (let k = 0; k < n; k++) {
    const parsed = parseSection(b);
    if (!parsed) break; // an earlier mutation changed the layout
    const { fields, nobj } = parsed;
    // favour the fields that matter most: frames, slots, references
    let f = fields[Math.floor(r() * fields.length)];
    if (r() < 0.5) {
      const hot = fields.filter((x) =>
        /^ci|^slot|^tbc|^uv|^ntop|^stacksize|^status|^errfunc|^nci|ref$|^proto$|^upval$|^cup$|^nup$/.test(x.role),
      );
      if (hot.length) f = hot[Math.floor(r() * hot.length)];
    }
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (f.kind) {
      case "u8":
      case "u16":
      case "u32":
      case "objref":
      case "optref": {
        const old = f.len === 4 ? dv.getUint32(f.off, true) : f.len === 2 ? dv.getUint16(f.off, true) : b[f.off];
        const x = r();
        let v: number;
        if ((f.kind === "objref" || f.kind === "optref") && x < 0.6)
          v = Math.floor(r() * (nobj + 1)); // optref: 0 = none, else id + 1
        else if (x < 0.85) v = old + (Math.floor(r() * 9) - 4);
        else v = INTERESTING_U32[Math.floor(r() * INTERESTING_U32.length)];
        if (f.role === "cistatus" && x >= 0.5) v = old ^ (1 << Math.floor(r() * 16));
        v = f.len === 4 ? v >>> 0 : f.len === 2 ? v & 0xffff : v & 0xff;
        if (f.len === 4) dv.setUint32(f.off, v, true);
        else if (f.len === 2) dv.setUint16(f.off, v, true);
        else b[f.off] = v;
        ops.push(`${f.role}@${f.off} ${old}→${v}`);
        break;
      }
      case "value": {
        const nv = randomValue(r, nobj);
        b = concat(b.subarray(0, f.off), nv, b.subarray(f.off + f.len));
        ops.push(`${f.role}@${f.off} value→[${[...nv].join(" ")}]`);
        break;
      }
      case "bytes":
      case "chunk": {
        const at = f.off + Math.floor(r() * f.len);
        if (f.kind === "chunk" && r() < 0.5) {
          const v = INTERESTING_U8[Math.floor(r() * INTERESTING_U8.length)];
          b[at] = v;
          ops.push(`${f.role}@${at}=${v}`);
        } else {
          const bit = Math.floor(r() * 8);
          b[at] ^= 1 << bit;
          ops.push(`${f.role}@${at}.${bit}`);
        }
        break;
      }
    }
  }
  return ops.length ? { out: b, ops } : null;
}

type Kind = "lua" | "persistent" | "image";
type Mode = "raw" | "crc" | "section" | "struct";
interface Case {
  kind: Kind;
  mode: Mode;
  base: number;
  bytes: Uint8Array;
  ops: string[];
}

export function makeCase(a: Artifacts, seed: number, i: number): Case {
  const r = caseRng(seed, i);
  const x = r();
  const kind: Kind = x < 0.7 ? "lua" : x < 0.78 ? "persistent" : "image";
  const y = r();
  const mode: Mode =
    y < 0.1 ? "raw" : kind !== "image" && y < 0.5 ? "struct" : kind !== "image" && y < 0.75 ? "section" : "crc";
  const pool = kind === "image" ? a.images : a.snaps;
  const base = Math.floor(r() * pool.length);
  const other = pool[Math.floor(r() * pool.length)];
  if (mode === "struct") {
    const s = splitSection(pool[base]);
    const m = mutateStructured(s.section, r);
    if (m) return { kind, mode, base, bytes: joinSection(pool[base], m.out, s.rest), ops: m.ops };
  }
  if (mode === "section" || mode === "struct") {
    const s = splitSection(pool[base]);
    const m = mutateBytes(s.section, splitSection(other).section, r);
    return { kind, mode, base, bytes: joinSection(pool[base], m.out, s.rest), ops: m.ops };
  }
  const m = mutateBytes(pool[base], other, r);
  return { kind, mode, base, bytes: mode === "crc" ? fixCrc(m.out) : m.out, ops: m.ops };
}

// ==== expected messages ====

// Every error a mutant may give, after "bad snapshot: " (snapshots) or "cannot load state: " (images).
// A message outside this list is reported, so a JS exception or a trap text wrapped by a catch-all
// shows up instead of passing as "a clear error".
const MESSAGES: RegExp[] = [
  // host/persist/snapshot.ts, format.ts
  /^not a Lua WASM Persistent snapshot$/,
  /^format version \d+, this build reads version \d+$/,
  /^checksum mismatch \(the snapshot is corrupted or truncated\)$/,
  /^external tables: (truncated|truncated value|bad bigint|bad external table id|bad value tag \d+|dangling external table reference|table key|bad stored function id|bad upvalue cell id|dangling upvalue cell|nil key or value|trailing bytes|reference to an unknown table|reference to an unknown stored function|reference to an unknown upvalue cell|cannot store a value with tag \d+|index is nil|external table keys must be strings, numbers or booleans \(got \w+\))$/,
  /^persisted state is not a Lua WASM Persistent image$/,
  /^persisted state has format version \d+, expected \d+$/,
  /^persisted state is corrupt \((checksum mismatch|truncated value|bad bigint|nil key or value|bad table key|bad value tag \d+|duplicate function|duplicate upvalue cell|trailing bytes|no _home table|dangling table reference|dangling function reference|dangling upvalue reference|reference to an unknown table|reference to an unknown stored function|reference to an unknown upvalue cell|cannot store a value with tag \d+|index is nil|index is NaN|external table keys must be strings, numbers or booleans \(got \w+\)|bad stored function id|bad upvalue cell id)\)$/,
  // assembly/persist/snapshot.ts (rfail)
  /^not a Lua state snapshot$/,
  /^unsupported snapshot version \d+$/,
  /^truncated( names| declarations| string| table| thread| userdata| function)?$/,
  /^bad native name$/,
  /^unknown native function '.*'$/s,
  /^not enough memory$/,
  /^bad table size$/,
  /^native name out of range$/,
  /^bad userdata (size|kind)$/,
  /^bad external table$/,
  /^no file metatable$/,
  /^bad function( reference)?$/,
  /^stack overflow$/,
  /^unknown permanent object$/,
  /^bad object kind$/,
  /^cyclic function reference$/,
  /^bad table key$/,
  /^bad value tag$/,
  /^object reference out of range$/,
  /^object of the wrong kind$/,
  /^closure and function disagree on upvalues$/,
  /^open upvalue of the main thread$/,
  /^bad upvalue$/,
  /^userdata with a library metatable$/,
  /^bad Lua frame( \(pc -?\d+, frame size -?\d+\))?$/,
  /^bad (coroutine\.wrap function|random state|gmatch iterator|io\.lines iterator|host function|package function)$/,
  /^bad thread( status)?$/,
  /^bad error handler$/,
  /^bad to-be-closed list$/,
  /^bad (base |native |protected )?frames?$/,
  /^suspended thread not in a yield$/,
  /^bad open upvalue$/,
  /^two open upvalues for one slot$/,
  /^trailing bytes$/,
  /^bad registry$/,
  /^registry lacks \S+$/,
  /^no input$/,
  // assembly/compiler/undump.ts + verify.ts, through "function: <message>"
  /^function: (snapshot: bad binary format \(.+\)|not enough memory)$/s,
];

function knownMessage(m: string, prefix: string): boolean {
  if (!m.startsWith(prefix)) return false;
  const rest = m.slice(prefix.length);
  return MESSAGES.some((re) => re.test(rest));
}

// ==== one case ====

interface Live {
  L: Lua;
  lua: LuaPersistent;
  baseline: Uint8Array;
  homeImage: Uint8Array;
}

async function newLive(): Promise<Live> {
  const L = await Lua.create({ ...LIMITS, stdout: () => {} });
  L.run(`sentinel = {id = 4242, s = "live\\0state"} function probe(x) return x * 2 + sentinel.id end`);
  const baseline = L.snapshot();
  const lua = new LuaPersistent({ ...LIMITS, storage: holder, stdout: () => {} });
  await lua.load();
  lua.init();
  if (!lua.eval(`sentinel = 77 _home.keep = "home sentinel"`)) throw new Error(`live state: ${lua.getLastError()}`);
  if (!(await lua.saveState())) throw new Error(`live state: ${lua.getLastError()}`);
  return { L, lua, baseline, homeImage: held! };
}

let held: Uint8Array | null = null;
const holder: StorageAdapter = {
  load: async () => held,
  save: async (b) => {
    held = b.slice();
  },
  clear: async () => {
    held = null;
  },
};

const isInternal = (e: unknown): boolean => e instanceof LuaError && e.kind === "internal";
const describeErr = (e: unknown): string => (e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));

/** Runs one case; returns null when every invariant held, else the reason. Counts outcomes. */
async function runCase(live: Live, c: Case, stats: Record<string, number>): Promise<string | null> {
  if (c.kind === "lua") {
    let restored = false;
    try {
      live.L.restore(c.bytes);
      restored = true;
    } catch (e) {
      if (!(e instanceof SnapshotError)) return `restore threw ${describeErr(e)}`;
      if (!knownMessage(e.message, "bad snapshot: ")) return `unexpected message: ${e.message}`;
      stats[e.message.replace(/\d+/g, "N").slice(0, 70)] =
        (stats[e.message.replace(/\d+/g, "N").slice(0, 70)] ?? 0) + 1;
    }
    if (!restored) {
      try {
        const r = live.L.run(`return sentinel.id, sentinel.s, probe(4)`);
        if (r[0] !== 4242 || r[1] !== "live\0state" || r[2] !== 4250) return `live state changed: ${JSON.stringify(r)}`;
      } catch (e) {
        return `live state broken after a refused restore: ${describeErr(e)}`;
      }
      return null;
    }
    stats["(restored)"] = (stats["(restored)"] ?? 0) + 1;
    const why = await probeTyped(live.L);
    try {
      live.L.restore(live.baseline);
    } catch (e) {
      return `${why ?? ""} cannot go back to the baseline: ${describeErr(e)}`;
    }
    return why;
  }
  if (c.kind === "persistent") {
    let ok: boolean;
    try {
      ok = live.lua.restore(c.bytes);
    } catch (e) {
      return `LuaPersistent.restore threw ${describeErr(e)}`;
    }
    if (!ok) {
      const m = live.lua.getLastError() ?? "";
      if (!knownMessage(m, "bad snapshot: ")) return `unexpected message: ${m}`;
      const r = live.lua.eval(`return sentinel, _home.keep`);
      if (!r || r.values[0] !== 77 || r.values[1] !== "home sentinel")
        return `live state changed: ${JSON.stringify(r?.values)} ${live.lua.getLastError()}`;
      return null;
    }
    stats["(restored persistent)"] = (stats["(restored persistent)"] ?? 0) + 1;
    const r = live.lua.eval(PROBE);
    if (!r && /internal/.test(live.lua.getLastError() ?? "")) return `probe after restore: ${live.lua.getLastError()}`;
    live.lua.close();
    const fresh = await newLive();
    live.L.close();
    Object.assign(live, fresh);
    return null;
  }
  // a _home image through loadState
  held = c.bytes;
  let ok: boolean;
  try {
    ok = await live.lua.loadState();
  } catch (e) {
    return `loadState threw ${describeErr(e)}`;
  }
  if (!ok) {
    const m = live.lua.getLastError() ?? "";
    stats[m.replace(/\d+/g, "N").slice(0, 70)] = (stats[m.replace(/\d+/g, "N").slice(0, 70)] ?? 0) + 1;
    const r = live.lua.eval(`return sentinel, _home.keep, ext.size(_home)`);
    const changed =
      !r || r.values[0] !== 77 || r.values[1] !== "home sentinel" || r.values[2] !== 1
        ? `live state changed: ${JSON.stringify(r?.values)} ${live.lua.getLastError()}`
        : null;
    if (!knownMessage(m, "cannot load state: ")) return `unexpected message: ${m}${changed ? `; ${changed}` : ""}`;
    return changed;
  }
  stats["(image loaded)"] = (stats["(image loaded)"] ?? 0) + 1;
  let why: string | null = null;
  try {
    const r = live.lua.eval(PROBE);
    if (!r && /internal/.test(live.lua.getLastError() ?? "")) why = `probe after loadState: ${live.lua.getLastError()}`;
    live.lua.gc();
    const g = live.lua.eval(`return sentinel`);
    if (!g || g.values[0] !== 77) why ??= `globals lost after loadState: ${live.lua.getLastError()}`;
    // what loaded must save again, and that image load again
    if (why === null) {
      if (!(await live.lua.saveState())) why = `saveState after loading a mutant: ${live.lua.getLastError()}`;
      else if (!(await live.lua.loadState())) why = `the re-saved image does not load: ${live.lua.getLastError()}`;
    }
  } catch (e) {
    why = `probe threw ${describeErr(e)}`;
  }
  // back to a known _home (a mutant's _home may hold entries that raise errors when read, as a
  // corrupted stored function does by design, so it is replaced by loading a good image)
  held = live.homeImage;
  if (!(await live.lua.loadState()) || live.lua.eval(`return _home.keep`)?.value !== "home sentinel")
    why ??= `cannot reset _home: ${live.lua.getLastError()}`;
  return why;
}

/**
 * The restored typed state must work: the probe (Lua errors and limits are fine), a collection, and
 * a snapshot of it that restores again (or a clear "cannot snapshot" error).
 */
async function probeTyped(L: Lua): Promise<string | null> {
  try {
    L.run(PROBE);
  } catch (e) {
    if (!(e instanceof LuaError)) return `probe threw ${describeErr(e)}`;
    if (isInternal(e)) return `probe after restore: internal error: ${e.message}`;
  }
  try {
    L.collectGarbage(); // not collectgarbage(): a mutant may have renamed that global
    const r = L.run(`return 1 + 1`);
    if (r[0] !== 2) return `state unusable after restore: ${JSON.stringify(r)}`;
  } catch (e) {
    return `state unusable after restore: ${describeErr(e)}`;
  }
  let again: Uint8Array;
  try {
    again = L.snapshot();
  } catch (e) {
    if (e instanceof SnapshotError && e.message.startsWith("cannot snapshot: ")) return null;
    return `snapshot of the restored state: ${describeErr(e)}`;
  }
  const L2 = await Lua.create({ ...LIMITS, stdout: () => {} });
  try {
    L2.restore(again);
    if (L2.run(`return 1 + 1`)[0] !== 2) return "re-restored state unusable";
  } catch (e) {
    return `restoring the snapshot of a restored state: ${describeErr(e)}`;
  } finally {
    L2.close();
  }
  return null;
}

// ==== worker: runs cases [from, to) and reports each ====

async function worker(seed: number, from: number, to: number): Promise<void> {
  const say = writeLine;
  const a = await buildArtifacts();
  let live = await newLive();
  const stats: Record<string, number> = {};
  for (let i = from; i < to; i++) {
    say(`> ${i}`);
    const c = makeCase(a, seed, i);
    let why: string | null;
    try {
      why = await runCase(live, c, stats);
    } catch (e) {
      why = `harness exception ${describeErr(e)}`;
    }
    if (why !== null) {
      say(`FAIL ${i} [${c.kind} ${c.mode} base ${c.base} ${c.ops.join(", ")}]: ${why.slice(0, 400)}`);
      live = await newLive(); // start over from a clean live state
    }
  }
  say(`stats ${JSON.stringify(stats)}`);
  say(`done`);
}

// ==== parent: workers with a watchdog ====

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === "--worker") {
    await worker(Number(argv[1]), Number(argv[2]), Number(argv[3]));
    return;
  }
  const short = argv.includes("--short");
  const seed = Number(opt("--seed") ?? 7);
  if (opt("--case") !== undefined) {
    const i = Number(opt("--case"));
    const a = await buildArtifacts();
    const c = makeCase(a, seed, i);
    console.log(`case ${i}: ${c.kind} ${c.mode} base ${c.base} ${c.ops.join(", ")} (${c.bytes.length} bytes)`);
    const stats: Record<string, number> = {};
    const why = await runCase(await newLive(), c, stats);
    console.log(why ?? `ok ${JSON.stringify(stats)}`);
    console.log(`${why ? 0 : 1} passed, ${why ? 1 : 0} failed`);
    process.exitCode = why ? 1 : 0;
    return;
  }
  const minutes = opt("--minutes") !== undefined ? Number(opt("--minutes")) : null;
  const total = Number(opt("--iterations") ?? (short ? 5000 : minutes !== null ? 1e12 : 100_000));
  const watchdogMs = Number(opt("--watchdog-ms") ?? 10_000);
  const jobs = Number(opt("--jobs") ?? 1);
  const deadline = minutes !== null ? Date.now() + minutes * 60_000 : Infinity;
  const chunk = Math.min(short ? total : 5000, total);
  console.log(
    `snapshot-mutation: seed ${seed}, ${Number.isFinite(total) && total < 1e12 ? total : "∞"} mutants${minutes !== null ? `, ${minutes} min` : ""}, ${jobs} worker(s)`,
  );
  const t0 = Date.now();
  let next = 0;
  const stats: Record<string, number> = {};
  const failures: string[] = [];
  const onLine = (l: string): void => {
    if (l.startsWith("FAIL ")) {
      failures.push(l);
      console.log(printable(l));
    } else if (l.startsWith("stats "))
      for (const [k, v] of Object.entries(JSON.parse(l.slice(6)) as Record<string, number>))
        stats[k] = (stats[k] ?? 0) + v;
  };
  const lane = async (): Promise<void> => {
    while (next < total && Date.now() < deadline) {
      const from = next;
      const to = Math.min(total, from + chunk);
      next = to;
      let start = from;
      while (start < to) {
        const r = await runWorker(SELF, seed, start, to, watchdogMs, 60_000, onLine);
        if (r.code === 0 && !r.hung) break;
        // a hang or crash at case r.last: report it and continue after it
        const why = r.hung
          ? `hang (no progress for ${watchdogMs} ms)`
          : `worker died (code ${r.code}): ${r.stderr.slice(-1500)}`;
        const l = `FAIL ${r.last} [worker]: ${why}`;
        failures.push(l);
        console.log(printable(l));
        start = Math.max(r.last, start) + 1;
      }
      const done = next;
      const secs = (Date.now() - t0) / 1000;
      console.log(
        `  ${Math.min(done, total)} mutants, ${secs.toFixed(1)} s, ${(Math.min(done, total) / secs).toFixed(0)} mutants/s, ${failures.length} failures`,
      );
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  const ran = Math.min(next, total);
  const failed = failures.length;
  const passed = ran - failures.length;
  const secs = (Date.now() - t0) / 1000;
  const top = Object.entries(stats)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 60);
  console.log("outcomes:");
  for (const [k, v] of top) console.log(`  ${String(v).padStart(7)}  ${printable(k)}`);
  console.log(
    `snapshot-mutation: ${ran} mutants in ${secs.toFixed(1)} s (${(ran / secs).toFixed(0)} mutants/s), seed ${seed}`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

// run only as a script (the helpers above can be imported by tests)
if (
  process.argv[1] !== undefined &&
  fileURLToPath(import.meta.url) === (await import("node:fs")).realpathSync(process.argv[1])
)
  await main();
