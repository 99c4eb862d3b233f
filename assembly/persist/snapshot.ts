// snapshot.ts - whole-state snapshots: the object graph reachable from the registry and the type
// metatables, written as bytes that a fresh instance (of this build or a later one with the same
// format version) reads back (Eris's role for PUC Lua). Not a memory image: objects are numbered,
// references are object numbers, natives are recorded by a stable name, stack positions as slot
// indices and saved pcs as instruction offsets.
//
// ╒═══════════════════ Lua section (little endian) ═════════════════════════════════════════╕
// │ "LWSG" | u32 SNAP_VERSION                                                               │
// │ names:  u32 n, n × (u32 len + bytes)          native names used below, by index         │
// │ decls:  u32 nobj, nobj × declaration          creates every object (cycles need no order)│
// │ fills:  nobj × fill, in object order          contents; references are object numbers   │
// │ roots:  u32 registry, 9 × u32 type metatable (0xFFFFFFFF = none)                        │
// └─────────────────────────────────────────────────────────────────────────────────────────┘
// Declarations: K_STR u32 len + bytes | K_TABLE u32 asize, u32 nnodes | K_LCL u8 nup |
//   K_CCL u8 nup, u32 name | K_UPVAL | K_UDATA u8 sub (0 bytes: u32 len, u16 nuv; 1 external
//   table: i32 hostid; 2 closed file) | K_THREAD | K_PROTO u32 len + a binary chunk of
//   compiler/dump.ts (the prototype with its nested ones) | K_PROTOREF u32 parent, u32 index (a
//   nested prototype of another one) | K_PERM u8 code (an object of the fresh state: main thread,
//   standard files, registry tables the module keeps pointers to).
// Fills: table: u32 metatable+1, u32 n, n × (key, value) | Lua closure: u32 proto, nup × u32 upval |
//   native closure: nup × value | upvalue: u8 0 + value (closed) or u8 1 + u32 thread + u32 slot |
//   userdata (bytes): u32 metatable+1, nuv × value, len bytes | thread: see writethread.
// Values: u8 tag: 0 nil, 1 false, 2 true, 3 int i64, 4 float f64, 5 object u32, 6 light native
//   u32 name, 7 light userdata u32.
//
// Invariants: the reader validates every count, index, tag, kind and stack position before using it
// and checks `fits` before every allocation sized by the input (and each declaration books the least
// bytes its fill needs, so what the declarations allocate stays proportional to the input), so
// hostile bytes give an error message ("bad snapshot: ..."), never a trap; the reader runs in a
// fresh state and swaps its roots in only when everything was read; nothing here runs the collector
// (allocation never collects), so half-built objects need no anchoring. Known limits: a table whose
// keys collide in one hash chain (integer keys equal modulo its node count) is filled in quadratic
// time, as it was built (100,000 such keys: ~17 s); table traversal order is rebuilt, not copied
// (a `pairs` loop suspended inside a coroutine continues from its key in the new order); debug hooks,
// collector parameters and the warning switch are not saved; JS functions (typed API) come back as
// natives whose host function id is unknown to the new host until it registers them again.

import { fits } from "../mem/alloc";
import { Buffer, buf_new, buf_free, buf_reset, buf_addbyte, buf_addbytes, buf_prepare, buf_addstr } from "../mem/buffer";
import { EXTRA_STACK, LUAI_MAXSTACK, BASIC_STACK_SIZE } from "../luaconf";
import {
  TVALUE_SIZE, rawtt, ttisnil, ttistable, ttisfunction, ttisLclosure, ttislcf, ttisCclosure, ttisstring,
  ttisthread, ttisfulluserdata, ttisinteger, ttisfloat, ivalue, fltvalue, gcvalue, hvalue, clvalue, fvalue,
  thvalue, uvalue, tsvalue, rawpayload, setnilvalue, setbfvalue, setbtvalue, setivalue, setfltvalue, setgcovalue,
  setfvalue, setpvalue, setobj, setsvalue, sethvalue, tvat, isempty,
  LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT, LUA_VLCF, LUA_VLIGHTUSERDATA, LUA_TNIL,
} from "../object/value";
import { gettt, getnext } from "../object/header";
import * as ltable from "../object/table";
import { luaS_newlstr, getstr, tsslen, sizelstring, luaS_new, luaS_toasstring } from "../object/string";
import {
  luaF_newLclosure, luaF_newCclosure, luaF_newclosedupval, cl_nupvalues, cl_proto, cl_setproto, cl_upval, cl_setupval,
  ccl_f, ccl_upvalue, uv_v, uv_setv, uv_value, upisopen, uv_opennext, uv_setopennext, uv_level, uv_setlevel,
  p_sizep, p_proto, p_sizeupvalues, p_sizecode, p_code, p_maxstacksize,
  VLCL_TT, VCCL_TT, VUPVAL_TT, VPROTO_TT, sizeLclosure, sizeCclosure, UPVAL_SIZE,
} from "../object/func";
import {
  VUSERDATA_TT, luaS_newudata, udata_nuvalue, udata_len, udata_metatable, udata_setmetatable, udata_hostid,
  udata_uv, getudatamem, luaS_newproxy, proxymetatable, jsrefkind, jsrefname, JSREF_FUNCTION,
} from "../object/userdata";
import { VSHRSTR_TT, VLNGSTR_TT } from "../object/string";
import {
  mainthread, registry, globaltable, G_mt, G_setmt, setregistry, setglobaltable, VTHREAD_TT,
  L_status, L_setstatus, L_top, L_settop, L_stack, L_stacksize, L_ci, L_setci, L_baseci, L_openupval,
  L_setopenupval, L_tbclist, L_settbclist, L_nCcalls, L_setnCcalls, L_errfunc, L_seterrfunc,
  ci_func, ci_setfunc, ci_top, ci_settop, ci_previous, ci_next, ci_savedpc, ci_setsavedpc, ci_nextraargs,
  ci_setnextraargs, ci_nresults, ci_setnresults, ci_callstatus, ci_setcallstatus, ci_u1, ci_setu1, ci_u2,
  ci_setu2, CIST_C, CIST_CONT, CIST_YPCALL, CALLINFO_SIZE, LUA_OK, LUA_YIELD, LUA_ERRERR, nextci,
  luaE_newthread, luaD_reallocstack, ERRORSTACKSIZE, STATE_SIZE, tbc_push, tbc_below,
} from "../vm/state";
import { lua_checkstack } from "../vm/api";
import { yieldfn } from "../vm/call";
import { luaC_checkfinalizer, allgc, luaC_barrierback } from "../gc/collect";
import { luaU_dump } from "../compiler/dump";
import { luaU_load } from "../compiler/undump";
import { nativename, nativebyname, checkupvalues } from "../lib/natives";
import { io_newclosedfile, io_stdkind, IO_FILESIZE } from "../lib/io";
import { big_mt, big_validbytes } from "../lib/bigint/big";
import { bigint_addpreload } from "../lib/bigint/lib";

// @ts-ignore: decorator
@inline export const SNAP_VERSION: u32 = 1;

// ==== Object kinds ====
// @ts-ignore: decorator
@inline const K_STR: u8 = 1;
// @ts-ignore: decorator
@inline const K_TABLE: u8 = 2;
// @ts-ignore: decorator
@inline const K_LCL: u8 = 3;
// @ts-ignore: decorator
@inline const K_CCL: u8 = 4;
// @ts-ignore: decorator
@inline const K_UPVAL: u8 = 5;
// @ts-ignore: decorator
@inline const K_UDATA: u8 = 6;
// @ts-ignore: decorator
@inline const K_THREAD: u8 = 7;
// @ts-ignore: decorator
@inline const K_PROTO: u8 = 8;
// @ts-ignore: decorator
@inline const K_PROTOREF: u8 = 9;
// @ts-ignore: decorator
@inline const K_PERM: u8 = 10;

// Value tags
// @ts-ignore: decorator
@inline const V_NIL: u8 = 0;
// @ts-ignore: decorator
@inline const V_FALSE: u8 = 1;
// @ts-ignore: decorator
@inline const V_TRUE: u8 = 2;
// @ts-ignore: decorator
@inline const V_INT: u8 = 3;
// @ts-ignore: decorator
@inline const V_FLT: u8 = 4;
// @ts-ignore: decorator
@inline const V_OBJ: u8 = 5;
// @ts-ignore: decorator
@inline const V_LCF: u8 = 6;
// @ts-ignore: decorator
@inline const V_LUD: u8 = 7;

// Permanent objects: registry tables the module keeps pointers to, then the main thread and the
// standard files. The fresh state's objects stand in for them.
// The bigint metatable and library (lib/bigint/lib.ts) came later: snapshots of older builds lack them,
// and restore gives their registry the fresh state's (FIRST_ADDED_PERM).
const PERM_REGKEYS: string[] = ["_EXTMT", "_EXTCACHE", "_EXTCACHEMT", "_HOSTREFS", "FILE*", "_CHUNKCACHE",
  "_BIGINT", "_BIGINTLIB"];
/** The first permanent key a snapshot of an older build may lack. */
// @ts-ignore: decorator
@inline const FIRST_ADDED_PERM: i32 = 6;
/** Code of the external tables' sealed metatable: not in the registry any more (embed/ext.ts). */
// @ts-ignore: decorator
@inline const PERM_EXTMT: i32 = 0;
// @ts-ignore: decorator
@inline const PERM_MAIN: i32 = 100;
// @ts-ignore: decorator
@inline const PERM_STDIN: i32 = 101;     // + file kind (0 stdin, 1 stdout, 2 stderr)

// ==== Shared state ====

/** Output of lua_snapshot; message of the last failure; external-table ids the snapshot refers to. */
let out: Buffer = changetype<Buffer>(0);
let msg: Buffer = changetype<Buffer>(0);
let extids: Buffer = changetype<Buffer>(0);
/** Input of lua_restore (not counted as Lua memory: it is the host's data). */
let inptr: usize = 0;
let incap: usize = 0;

function setmsg(s: string): void {
  if (changetype<usize>(msg) == 0) msg = buf_new();
  buf_reset(msg);
  buf_addstr(msg, "bad snapshot: ");
  buf_addstr(msg, s);
}

export function snap_out_ptr(): usize { return changetype<usize>(out) == 0 ? 0 : out.ptr; }
export function snap_out_len(): i32 { return changetype<usize>(out) == 0 ? 0 : out.len; }
export function snap_ext_ptr(): usize { return changetype<usize>(extids) == 0 ? 0 : extids.ptr; }
export function snap_ext_len(): i32 { return changetype<usize>(extids) == 0 ? 0 : extids.len; }
export function snap_msg_ptr(): usize { return changetype<usize>(msg) == 0 ? 0 : msg.ptr; }
export function snap_msg_len(): i32 { return changetype<usize>(msg) == 0 ? 0 : msg.len; }

/** Frees the snapshot output and the input buffer (after the host copied them). */
export function snap_release(): void {
  if (changetype<usize>(out) != 0) { buf_free(out); out = changetype<Buffer>(0); }
  if (changetype<usize>(extids) != 0) { buf_free(extids); extids = changetype<Buffer>(0); }
  if (inptr != 0) { heap.free(inptr); inptr = 0; incap = 0; }
}

/** A buffer of n bytes the host fills with a snapshot before lua_restore(n). */
export function snap_inbuf(n: i32): usize {
  if (n < 0) n = 0;
  if (inptr != 0 && incap >= <usize>n) return inptr;
  if (inptr != 0) heap.free(inptr);
  inptr = heap.alloc(<usize>n + 16);
  incap = <usize>n;
  return inptr;
}

// ==== Writer ====

let ids: Map<usize, i32> = new Map<usize, i32>();
let objs: usize[] = [];
let protoparent: Map<usize, i64> = new Map<usize, i64>();   // nested proto → (parent id << 32) | index
let wnames: Map<u32, i32> = new Map<u32, i32>();
let wnamelist: string[] = [];
let extseen: Set<i32> = new Set<i32>();
let werr: string = "";
let filemt: usize = 0;
let permregs: usize[] = [];

function w_u8(b: Buffer, x: i32): void { buf_addbyte(b, x); }
function w_u16(b: Buffer, x: i32): void { const p = buf_prepare(b, 2); store<u16>(p, <u16>x); b.len += 2; }
function w_u32(b: Buffer, x: u32): void { const p = buf_prepare(b, 4); store<u32>(p, x); b.len += 4; }
function w_i64(b: Buffer, x: i64): void { const p = buf_prepare(b, 8); store<i64>(p, x); b.len += 8; }
function w_f64(b: Buffer, x: f64): void { const p = buf_prepare(b, 8); store<f64>(p, x); b.len += 8; }

/** The object number of a collectable object, numbering it (and queueing it) the first time. */
function idof(o: usize): i32 {
  if (ids.has(o)) return ids.get(o);
  const id = objs.length;
  objs.push(o);
  ids.set(o, id);
  return id;
}

/** The name index of native `f`; fails the snapshot for a native without a stable name. */
function nameof(f: u32): i32 {
  if (wnames.has(f)) return wnames.get(f);
  const name = nativename(f);
  if (name.length == 0) {
    if (werr.length == 0) werr = "cannot snapshot a native function without a registered name (table index " + f.toString() + ")";
    return 0;
  }
  const i = wnamelist.length;
  wnamelist.push(name);
  wnames.set(f, i);
  return i;
}

function writevalue(b: Buffer, o: usize): void {
  const tt = rawtt(o);
  switch (tt) {
    case LUA_VFALSE: w_u8(b, V_FALSE); return;
    case LUA_VTRUE: w_u8(b, V_TRUE); return;
    case LUA_VNUMINT: w_u8(b, V_INT); w_i64(b, ivalue(o)); return;
    case LUA_VNUMFLT: w_u8(b, V_FLT); w_f64(b, fltvalue(o)); return;
    case LUA_VLCF: w_u8(b, V_LCF); w_u32(b, <u32>nameof(fvalue(o))); return;
    case LUA_VLIGHTUSERDATA: w_u8(b, V_LUD); w_u32(b, <u32>rawpayload(o)); return;
  }
  if ((tt & 0x0F) == LUA_TNIL || (tt & 0x40) == 0) { w_u8(b, V_NIL); return; }
  w_u8(b, V_OBJ);
  w_u32(b, <u32>idof(gcvalue(o)));
}

/** Object reference or none (0 = none, else id + 1). */
function writeoptref(b: Buffer, o: usize): void { w_u32(b, o == 0 ? 0 : <u32>idof(o) + 1); }

/** The permanent code of an object of the running state, or -1. */
function permcode(o: usize): i32 {
  if (o == mainthread) return PERM_MAIN;
  for (let i = 0; i < permregs.length; i++) if (permregs[i] == o) return i;
  if (gettt(o) == VUSERDATA_TT && filemt != 0 && udata_metatable(o) == filemt && udata_hostid(o) == 0) {
    const kind = io_stdkind(o);
    if (kind >= 0) return PERM_STDIN + kind;
  }
  return -1;
}

/** A key TValue holding the string `name` (static scratch). */
function luaS_strvalue(name: string): usize {
  const k = memory.data(16);
  setsvalue(k, luaS_new(name));
  return k;
}

/** The registry table stored under a string key, or 0. */
function regtable(name: string): usize {
  const v = ltable.luaH_getstr(registry, luaS_new(name));
  return ttistable(v) ? hvalue(v) : 0;
}

/** Permanent table `code` (< PERM_REGKEYS.length) of this state, or 0. */
function permtable(code: i32): usize {
  return code == PERM_EXTMT ? proxymetatable() : regtable(PERM_REGKEYS[code]);
}

/** Writes the contents (fill record) of object `o`, numbering what it refers to. */
function writefill(b: Buffer, o: usize): void {
  if (permcode(o) >= 0) return;
  const tt = gettt(o);
  if (tt == VSHRSTR_TT || tt == VLNGSTR_TT) return;
  if (tt == ltable.VTABLE_TT) {
    writeoptref(b, ltable.getmetatable(o));
    const at = b.len;
    w_u32(b, 0);
    let n: u32 = 0;
    const asz = ltable.asize(o);
    const k = memory.data(16);
    for (let i: u32 = 0; i < asz; i++) {
      const v = ltable.arrayslot(o, i);
      if (isempty(v)) continue;
      setivalue(k, <i64>i + 1);
      writevalue(b, k); writevalue(b, v);
      n++;
    }
    const nn = ltable.allocsizenode(o);
    for (let i = 0; i < nn; i++) {
      const nd = ltable.gnode(o, i);
      if (isempty(ltable.gval(nd))) continue;
      writevalue(b, ltable.gkey(nd)); writevalue(b, ltable.gval(nd));
      n++;
    }
    store<u32>(b.ptr + <usize>at, n);
    return;
  }
  if (tt == VLCL_TT) {
    w_u32(b, <u32>idof(cl_proto(o)));
    const n = cl_nupvalues(o);
    for (let i = 0; i < n; i++) w_u32(b, <u32>idof(cl_upval(o, i)));
    return;
  }
  if (tt == VCCL_TT) {
    const n = cl_nupvalues(o);
    for (let i = 0; i < n; i++) writevalue(b, ccl_upvalue(o, i));
    return;
  }
  if (tt == VUPVAL_TT) {
    if (!upisopen(o)) { w_u8(b, 0); writevalue(b, uv_value(o)); return; }
    // open: find its thread (the one whose open list holds it)
    const th = findopenthread(o);
    if (th == 0) { if (werr.length == 0) werr = "open upvalue of an unknown thread"; w_u8(b, 0); w_u8(b, V_NIL); return; }
    w_u8(b, 1); w_u32(b, <u32>idof(th)); w_u32(b, <u32>((uv_v(o) - L_stack(th)) >> 4));
    return;
  }
  if (tt == VUSERDATA_TT) {
    const jk = jsrefkind(o);
    if (jk >= 0) {                                   // a JS object lives in the host's heap (embed/jsref.ts)
      if (werr.length == 0) werr = "cannot snapshot a " + jsrefname(jk) + (jk == JSREF_FUNCTION ? " (a JS function)" : " (copy it explicitly)");
      return;
    }
    if (udata_hostid(o) != 0) return;
    if (filemt != 0 && udata_metatable(o) == filemt) return;       // a closed file: nothing to fill
    writeoptref(b, udata_metatable(o));
    const nuv = udata_nuvalue(o);
    for (let i = 0; i < nuv; i++) writevalue(b, udata_uv(o, i));
    buf_addbytes(b, getudatamem(o), <i32>udata_len(o));
    return;
  }
  if (tt == VTHREAD_TT) { writethread(b, o); return; }
  if (tt == VPROTO_TT) {
    const np = p_sizep(o);
    for (let i = 0; i < np; i++) {
      const c = p_proto(o, i);
      const cid = idof(c);
      if (!protoparent.has(c)) protoparent.set(c, (<i64>ids.get(o) << 32) | <i64>i);
      void cid;
    }
    return;
  }
  if (werr.length == 0) werr = "unknown object type " + (<i32>tt).toString();
}

/** Open upvalue → its thread, indexed over every thread of the heap the first time it is needed
 *  (the thread itself may be reachable only through the upvalue). */
let openowner: Map<usize, usize> = new Map<usize, usize>();
let openindexed = false;
function findopenthread(uv: usize): usize {
  if (!openindexed) {
    openindexed = true;
    for (let o = allgc(); o != 0; o = getnext(o)) {
      if (gettt(o) != VTHREAD_TT || o == mainthread) continue;
      for (let u = L_openupval(o); u != 0; u = uv_opennext(u)) openowner.set(u, o);
    }
  }
  return openowner.has(uv) ? openowner.get(uv) : 0;
}

/**
 * Thread fill: u8 status | u32 nCcalls | i32 errfunc (slot index, -1 none) | u32 stacksize |
 * u32 ntop, ntop values | u32 ntbc, slots (innermost first) | u32 nci, per frame (base first):
 * i32 func slot, i32 top slot, u32 callstatus, i32 pc offset, i32 nextraargs, i32 nresults,
 * i32 u1 (a name index when CIST_CONT), i32 u2.
 */
function writethread(b: Buffer, th: usize): void {
  const stk = L_stack(th);
  w_u8(b, <i32>L_status(th));
  w_u32(b, L_nCcalls(th));
  const ef = L_errfunc(th);
  w_u32(b, <u32>(ef == 0 ? -1 : ef >> 4));
  w_u32(b, <u32>L_stacksize(th));
  const ntop = <i32>((L_top(th) - stk) >> 4);
  w_u32(b, <u32>ntop);
  for (let i = 0; i < ntop; i++) writevalue(b, tvat(stk, i));
  // to-be-closed list
  const at = b.len;
  w_u32(b, 0);
  let ntbc: u32 = 0;
  let tbc = L_tbclist(th);
  while (tbc != 0 && ntbc < 1000000) {
    w_u32(b, <u32>((tbc - stk) >> 4));
    ntbc++;
    tbc = tbc_below(tbc);
  }
  store<u32>(b.ptr + <usize>at, ntbc);
  // frames, base first
  let nci: u32 = 0;
  for (let ci = L_ci(th); ci != 0; ci = ci_previous(ci)) nci++;
  w_u32(b, nci);
  const cis: usize[] = [];
  for (let ci = L_ci(th); ci != 0; ci = ci_previous(ci)) cis.push(ci);
  for (let j = cis.length - 1; j >= 0; j--) {
    const ci = cis[j];
    const st = ci_callstatus(ci);
    w_u32(b, <u32>((ci_func(ci) - stk) >> 4));
    w_u32(b, <u32>((ci_top(ci) - stk) >> 4));
    w_u32(b, st);
    if ((st & CIST_C) == 0) {
      const f = ci_func(ci);
      const p = ttisLclosure(f) ? cl_proto(clvalue(f)) : 0;
      w_u32(b, p == 0 ? 0 : <u32>((ci_savedpc(ci) - p_code(p)) >> 2));
    } else w_u32(b, 0);
    w_u32(b, <u32>ci_nextraargs(ci));
    w_u32(b, <u32>ci_nresults(ci));
    w_u32(b, (st & CIST_CONT) != 0 ? <u32>nameof(<u32>ci_u1(ci)) : <u32>ci_u1(ci));
    w_u32(b, <u32>ci_u2(ci));
  }
}

function writedecl(b: Buffer, id: i32): void {
  const o = objs[id];
  const pc = permcode(o);
  if (pc >= 0) { w_u8(b, K_PERM); w_u8(b, pc); return; }
  const tt = gettt(o);
  if (tt == VSHRSTR_TT || tt == VLNGSTR_TT) {
    w_u8(b, K_STR); w_u32(b, <u32>tsslen(o)); buf_addbytes(b, getstr(o), tsslen(o));
  } else if (tt == ltable.VTABLE_TT) {
    w_u8(b, K_TABLE); w_u32(b, ltable.asize(o)); w_u32(b, <u32>ltable.allocsizenode(o));
  } else if (tt == VLCL_TT) {
    w_u8(b, K_LCL); w_u8(b, cl_nupvalues(o));
  } else if (tt == VCCL_TT) {
    w_u8(b, K_CCL); w_u8(b, cl_nupvalues(o)); w_u32(b, <u32>nameof(ccl_f(o)));
  } else if (tt == VUPVAL_TT) {
    w_u8(b, K_UPVAL);
  } else if (tt == VUSERDATA_TT) {
    w_u8(b, K_UDATA);
    if (udata_hostid(o) != 0) {
      w_u8(b, 1); w_u32(b, <u32>udata_hostid(o));
      extseen.add(udata_hostid(o));
    } else if (filemt != 0 && udata_metatable(o) == filemt) {
      w_u8(b, 2);                                    // a file: restored closed
    } else {
      w_u8(b, 0); w_u32(b, udata_len(o)); w_u16(b, udata_nuvalue(o));
    }
  } else if (tt == VTHREAD_TT) {
    w_u8(b, K_THREAD);
  } else if (tt == VPROTO_TT) {
    if (protoparent.has(o)) {
      const pp = protoparent.get(o);
      w_u8(b, K_PROTOREF); w_u32(b, <u32>(pp >> 32)); w_u32(b, <u32>pp);
    } else {
      w_u8(b, K_PROTO);
      const at = b.len;
      w_u32(b, 0);
      if (!luaU_dump(o, false, b) && werr.length == 0) werr = "not enough memory";
      store<u32>(b.ptr + <usize>at, <u32>(b.len - at - 4));
    }
  } else if (werr.length == 0) werr = "unknown object type";
}

/**
 * What a snapshot could not carry about the registry, as a message ("" when nothing): restore
 * finds the main thread and the global table at registry[1] and [2] and the module's own tables
 * under their keys, so a program that changed those through debug.getregistry() gets a clear error
 * here rather than a snapshot that does not restore, or restores with other globals. (A module
 * table that is missing is fine: restore gives the fresh state's, as for one created lazily.)
 */
function tamperedregistry(): string {
  const r1 = ltable.luaH_getint(registry, 1), r2 = ltable.luaH_getint(registry, 2);
  if (!ttisthread(r1) || thvalue(r1) != mainthread) {
    return "the registry's entry 1 is not the main thread any more (changed through debug.getregistry)";
  }
  if (!ttistable(r2) || hvalue(r2) != globaltable) {
    return "the registry's entry 2 is not the global table any more (changed through debug.getregistry)";
  }
  for (let i = 0; i < PERM_REGKEYS.length; i++) {
    if (i == PERM_EXTMT) continue;
    const v = ltable.luaH_getstr(registry, luaS_new(PERM_REGKEYS[i]));
    if (!ttisnil(v) && !ttistable(v)) {
      return "the registry's entry " + PERM_REGKEYS[i] + " is not a table (changed through debug.getregistry)";
    }
  }
  return "";
}

/**
 * Writes the snapshot of the whole state into the output buffer (snap_out_ptr/len) and the ids of
 * the external tables it refers to (u32 each) into snap_ext_ptr/len. Returns 0, or 1 with the
 * message in snap_msg_ptr/len. Must run between calls (nothing running but the idle main thread).
 */
export function snap_capture(): i32 {
  snap_release();
  ids = new Map<usize, i32>(); objs = []; protoparent = new Map<usize, i64>();
  wnames = new Map<u32, i32>(); wnamelist = []; extseen = new Set<i32>(); werr = "";
  openowner = new Map<usize, usize>(); openindexed = false;
  permregs = [];
  for (let i = 0; i < PERM_REGKEYS.length; i++) permregs.push(permtable(i));
  filemt = regtable("FILE*");
  if (L_openupval(mainthread) != 0 || L_ci(mainthread) != L_baseci(mainthread)) {
    setmsg("the state is running (snapshots are taken between calls)");
    return 1;
  }
  const bad = tamperedregistry();
  if (bad.length != 0) { setmsg(bad); return 1; }
  const fills = buf_new();
  idof(registry);
  for (let t = 0; t < 9; t++) if (G_mt(t) != 0) idof(G_mt(t));
  for (let i = 0; i < objs.length; i++) {
    writefill(fills, objs[i]);
    if (werr.length != 0) break;
  }
  const decls = buf_new();
  for (let i = 0; i < objs.length && werr.length == 0; i++) writedecl(decls, i);
  if (werr.length != 0) {
    buf_free(fills); buf_free(decls);
    setmsg(werr);
    return 1;
  }
  out = buf_new();
  buf_addbyte(out, 0x4C); buf_addbyte(out, 0x57); buf_addbyte(out, 0x53); buf_addbyte(out, 0x47);   // "LWSG"
  w_u32(out, SNAP_VERSION);
  w_u32(out, <u32>wnamelist.length);
  for (let i = 0; i < wnamelist.length; i++) {
    const s = wnamelist[i];
    w_u32(out, <u32>s.length);
    for (let j = 0; j < s.length; j++) buf_addbyte(out, s.charCodeAt(j));
  }
  w_u32(out, <u32>objs.length);
  buf_addbytes(out, decls.ptr, decls.len);
  buf_addbytes(out, fills.ptr, fills.len);
  buf_free(decls); buf_free(fills);
  w_u32(out, <u32>ids.get(registry));
  for (let t = 0; t < 9; t++) w_u32(out, G_mt(t) == 0 ? 0xFFFFFFFF : <u32>ids.get(G_mt(t)));
  extids = buf_new();
  const ev = extseen.values();
  for (let i = 0; i < ev.length; i++) w_u32(extids, <u32>ev[i]);
  // drop the managed scratch (freed by the next __collect)
  ids = new Map<usize, i32>(); objs = []; protoparent = new Map<usize, i64>(); openowner = new Map<usize, usize>();
  return 0;
}

// ==== Reader ====

let rp: usize = 0;
let re: usize = 0;
let rerr: string = "";
let robj: usize[] = [];
let rkind: u8[] = [];
let rnames: u32[] = [];
let rnamestr: string[] = [];
let filled: u8[] = [];

// @ts-ignore: decorator
@inline function rfailed(): bool { return rerr.length != 0; }
function rfail(s: string): void { if (rerr.length == 0) rerr = s; }
function ravail(): usize { return re - rp; }
function r_u8(): i32 { if (rp + 1 > re) { rfail("truncated"); return 0; } const x = <i32>load<u8>(rp); rp += 1; return x; }
function r_u16(): i32 { if (rp + 2 > re) { rfail("truncated"); return 0; } const x = <i32>load<u16>(rp); rp += 2; return x; }
function r_u32(): u32 { if (rp + 4 > re) { rfail("truncated"); return 0; } const x = load<u32>(rp); rp += 4; return x; }
function r_i64(): i64 { if (rp + 8 > re) { rfail("truncated"); return 0; } const x = load<i64>(rp); rp += 8; return x; }
function r_f64(): f64 { if (rp + 8 > re) { rfail("truncated"); return 0; } const x = load<f64>(rp); rp += 8; return x; }

/** Object `id`, which must be of kind `k` (0: any value kind); 0 after a failure. */
function getobj(id: u32, k: u8): usize {
  if (id >= <u32>robj.length) { rfail("object reference out of range"); return 0; }
  const kk = rkind[id];
  if (k != 0 && kk != k) { rfail("object of the wrong kind"); return 0; }
  if (k == 0 && (kk == K_UPVAL || kk == K_PROTO || kk == K_PROTOREF)) { rfail("object of the wrong kind"); return 0; }
  return robj[id];
}

/** Reads a value into the TValue at `o`; false (with the reason recorded) on bad input. */
function readvalue(o: usize): bool {
  const t = <u8>r_u8();
  if (rfailed()) return false;
  switch (t) {
    case V_NIL: setnilvalue(o); return true;
    case V_FALSE: setbfvalue(o); return true;
    case V_TRUE: setbtvalue(o); return true;
    case V_INT: setivalue(o, r_i64()); return !rfailed();
    case V_FLT: setfltvalue(o, r_f64()); return !rfailed();
    case V_OBJ: {
      const g = getobj(r_u32(), 0);
      if (rfailed()) return false;
      setgcovalue(o, g);
      return true;
    }
    case V_LCF: {
      const i = r_u32();
      if (rfailed()) return false;
      if (i >= <u32>rnames.length) { rfail("native name out of range"); return false; }
      setfvalue(o, rnames[i]);
      return true;
    }
    case V_LUD: setpvalue(o, <usize>r_u32()); return !rfailed();
  }
  rfail("bad value tag");
  return false;
}

function readoptref(k: u8): usize {
  const r = r_u32();
  if (rfailed() || r == 0) return 0;
  return getobj(r - 1, k);
}

/** Open upvalues to link once every thread exists: upvalue, thread, slot. */
let openuv: usize[] = [];
let openth: usize[] = [];
let openlvl: i32[] = [];

// Fresh-state objects (before the swap)
let fresh_filemt: usize = 0;
let fresh_extmt: usize = 0;
let fresh_extcache: usize = 0;

function freshperm(code: i32): usize {
  if (code == PERM_MAIN) return mainthread;
  if (code < PERM_REGKEYS.length) return permtable(code);
  if (code >= PERM_STDIN && code <= PERM_STDIN + 2) {
    const loaded = regtable("_LOADED");
    if (loaded == 0) return 0;
    const io = ltable.luaH_getstr(loaded, luaS_new("io"));
    if (!ttistable(io)) return 0;
    const name = code == PERM_STDIN ? "stdin" : code == PERM_STDIN + 1 ? "stdout" : "stderr";
    const f = ltable.luaH_getstr(hvalue(io), luaS_new(name));
    return ttisfulluserdata(f) ? uvalue(f) : 0;
  }
  return 0;
}

/**
 * Bytes the fills of the objects declared so far need at the least (a value takes at least 1 byte);
 * with the 40 bytes of the roots they must still be in the input. Checked after each declaration, so
 * the objects a declaration allocates (a closure of 255 upvalues for 6 bytes, a thread with its
 * stack for 1 byte) stay proportional to the input: a crafted run of declarations cannot allocate
 * gigabytes (which took minutes, then would trap at 4 GiB) before the fills show it is short.
 */
let fillneed: u64 = 0;
// @ts-ignore: decorator
@inline const ROOTS_BYTES: u64 = 40;
// @ts-ignore: decorator
@inline const THREAD_MINFILL: u64 = 1 + 4 + 4 + 4 + 4 + 1 + 4 + 4 + 32;   // header, 1 value, no tbc, 1 frame

/** Books a declaration: its minimum fill and the bytes it allocates now; false (recorded) when either cannot be. */
function declbudget(minfill: u64, bytes: u64): bool {
  fillneed += minfill;
  if (fillneed + ROOTS_BYTES > <u64>ravail()) { rfail("truncated declarations"); return false; }
  if (!fits(bytes)) { rfail("not enough memory"); return false; }
  return true;
}

function readdecl(L: usize, id: i32): void {
  const k = <u8>r_u8();
  if (rfailed()) return;
  let o: usize = 0;
  switch (k) {
    case K_STR: {
      const n = r_u32();
      if (rfailed()) return;
      if (<usize>n > ravail()) { rfail("truncated string"); return; }
      if (n > 0x7FFFFFF0 || !fits(<u64>sizelstring(<i32>n))) { rfail("not enough memory"); return; }
      o = luaS_newlstr(rp, <i32>n);
      rp += <usize>n;
      break;
    }
    case K_TABLE: {
      const asz = r_u32(), nn = r_u32();
      if (rfailed()) return;
      if (!declbudget(8, 0)) return;                  // metatable + entry count
      // The sizes are the allocated ones, not the entry count: a table that grew and was emptied
      // keeps its size (and `#` depends on the array part), so they are not bounded by the bytes
      // left, only by the caps and the memory limit (which the saved state met too).
      if (asz > (1 << 26) || nn > (1 << 26)) { rfail("bad table size"); return; }
      // exactly what luaH_resize allocates (the node part rounded up to a power of 2), so a state that
      // fit under the memory limit when it was saved fits again
      const nodes: u64 = nn == 0 ? 0 : nn == 1 ? 1 : <u64>1 << <u64>(32 - clz<u32>(nn - 1));
      if (!fits((<u64>asz << 4) + nodes * <u64>ltable.NODE_SIZE + <u64>ltable.TABLE_SIZE)) { rfail("not enough memory"); return; }
      o = ltable.luaH_new();
      if (asz > 0 || nn > 0) ltable.luaH_resize(o, asz, nn);
      break;
    }
    case K_LCL: {
      const n = r_u8();
      if (rfailed()) return;
      if (!declbudget(4 + (<u64>n << 2), sizeLclosure(n))) return;   // proto + upvalue refs
      o = luaF_newLclosure(0, n);
      for (let i = 0; i < n; i++) cl_setupval(o, i, 0);
      break;
    }
    case K_CCL: {
      const n = r_u8(), ni = r_u32();
      if (rfailed()) return;
      if (ni >= <u32>rnames.length) { rfail("native name out of range"); return; }
      if (!declbudget(<u64>n, sizeCclosure(n))) return;               // one value per upvalue
      o = luaF_newCclosure(rnames[ni], n);
      break;
    }
    case K_UPVAL:
      if (!declbudget(2, UPVAL_SIZE)) return;                         // kind + value
      o = luaF_newclosedupval();
      break;
    case K_UDATA: {
      const sub = r_u8();
      if (rfailed()) return;
      if (sub == 0) {
        const len = r_u32(), nuv = r_u16();
        if (rfailed()) return;
        if (<u64>len + <u64>nuv > <u64>ravail()) { rfail("bad userdata size"); return; }
        if (!declbudget(4 + <u64>nuv + <u64>len, <u64>len + (<u64>nuv << 4) + 32)) return;  // metatable, values, bytes
        o = luaS_newudata(len, nuv);
      } else if (sub == 1) {
        const hid = <i32>r_u32();
        if (rfailed()) return;
        if (hid <= 0 || fresh_extmt == 0 || fresh_extcache == 0) { rfail("bad external table"); return; }
        if (!declbudget(0, 32 + 64)) return;                          // the proxy and its cache slot
        o = luaS_newproxy(hid);
        const v = memory.data(16);
        setgcovalue(v, o);
        ltable.luaH_setint(fresh_extcache, <i64>hid, v);
        luaC_barrierback(0, fresh_extcache);
      } else if (sub == 2) {
        if (fresh_filemt == 0) { rfail("no file metatable"); return; }
        if (!declbudget(0, <u64>IO_FILESIZE + 32)) return;
        o = io_newclosedfile(fresh_filemt);
      } else { rfail("bad userdata kind"); return; }
      break;
    }
    case K_THREAD:
      if (!declbudget(THREAD_MINFILL, STATE_SIZE + (<u64>(BASIC_STACK_SIZE + EXTRA_STACK) << 4) + CALLINFO_SIZE)) return;
      o = luaE_newthread();
      break;
    case K_PROTO: {
      const n = r_u32();
      if (rfailed()) return;
      if (<usize>n > ravail() || n < 1) { rfail("truncated function"); return; }
      if (load<u8>(rp) != 0x1B) { rfail("bad function"); return; }
      if (!lua_checkstack(L, 3)) { rfail("stack overflow"); return; }
      const top = L_top(L);
      const r = luaU_load(L, rp, <i32>n, luaS_new("=snapshot"));
      if (r != 1) {
        const m = L_top(L) - TVALUE_SIZE;
        rfail(ttisstring(m) ? "function: " + luaS_toasstring(tsvalue(m)) : "bad function");
        L_settop(L, top);
        return;
      }
      o = cl_proto(clvalue(L_top(L) - TVALUE_SIZE));
      L_settop(L, top);
      rp += <usize>n;
      break;
    }
    case K_PROTOREF: {
      const parent = r_u32(), idx = r_u32();
      if (rfailed()) return;
      // resolved after every declaration (resolveprotorefs)
      openuv.push(<usize>id); openth.push(<usize>parent); openlvl.push(<i32>idx);
      robj.push(0); rkind.push(K_PROTOREF);
      return;
    }
    case K_PERM: {
      const c = r_u8();
      if (rfailed()) return;
      o = freshperm(c);
      if (o == 0) { rfail("unknown permanent object"); return; }
      robj.push(o); rkind.push(c == PERM_MAIN ? K_THREAD : c >= PERM_STDIN ? K_UDATA : K_TABLE);
      return;
    }
    default: rfail("bad object kind"); return;
  }
  robj.push(o);
  rkind.push(k);
}

/** Resolves K_PROTOREF declarations (recorded in openuv/openth/openlvl during the declarations). */
function resolveprotorefs(): void {
  const n = openuv.length;
  let progress = true;
  let left = n;
  while (left > 0 && progress) {
    progress = false;
    for (let i = 0; i < n; i++) {
      const id = <i32>openuv[i];
      if (robj[id] != 0) continue;
      const parent = <u32>openth[i];
      if (parent >= <u32>robj.length) { rfail("bad function reference"); return; }
      const pk = rkind[parent];
      if (pk != K_PROTO && pk != K_PROTOREF) { rfail("bad function reference"); return; }
      const pp = robj[parent];
      if (pp == 0) continue;                         // parent not resolved yet
      const idx = openlvl[i];
      if (idx < 0 || idx >= p_sizep(pp)) { rfail("bad function reference"); return; }
      robj[id] = p_proto(pp, idx);
      left--;
      progress = true;
    }
  }
  if (left > 0) rfail("cyclic function reference");
  for (let i = 0; i < robj.length; i++) if (rkind[i] == K_PROTOREF) rkind[i] = K_PROTO;
}

function readtable(t: usize): void {
  const mt = readoptref(K_TABLE);
  if (rfailed()) return;
  ltable.setmetatableptr(t, mt);
  const n = r_u32();
  if (rfailed()) return;
  if (<u64>n * 2 > <u64>ravail()) { rfail("truncated table"); return; }
  const k = memory.data(16), v = memory.data(16);
  for (let i: u32 = 0; i < n; i++) {
    if (!readvalue(k) || !readvalue(v)) return;
    if (ttisnil(v)) continue;
    const r = ltable.luaH_set(t, k, v);
    if (r != ltable.SET_OK) { rfail(r == ltable.SET_NOMEM ? "not enough memory" : "bad table key"); return; }
  }
  ltable.setflags(t, 0);
}

/** Lua frames of restored threads and their pc offsets, checked after the fills (checkluaframes). */
let luaframes: usize[] = [];
let luapcs: i32[] = [];

function checkluaframes(): void {
  for (let i = 0; i < luaframes.length; i++) {
    const ci = luaframes[i];
    const pc = luapcs[i];
    const fo = ci_func(ci);
    const p = cl_proto(clvalue(fo));
    const fsz = <i32>((ci_top(ci) - fo) >> 4);
    if (p == 0 || pc < 0 || pc > p_sizecode(p) || fsz != 1 + p_maxstacksize(p)) {
      rfail("bad Lua frame (pc " + pc.toString() + ", frame size " + fsz.toString() + ")");
      return;
    }
    ci_setsavedpc(ci, p_code(p) + (<usize>pc << 2));
  }
}

function readthread(th: usize): void {
  const status = r_u8();
  const nccalls = r_u32();
  const ef = <i32>r_u32();
  const ssize = <i32>r_u32();
  const ntop = <i32>r_u32();
  if (rfailed()) return;
  if (status > LUA_ERRERR || ssize < 1 || ssize > ERRORSTACKSIZE || ntop < 1 || ntop > ssize) { rfail("bad thread"); return; }
  if (<u64>ntop > <u64>ravail()) { rfail("truncated thread"); return; }
  if (!fits((<u64>ssize + <u64>EXTRA_STACK) << 4)) { rfail("not enough memory"); return; }
  if (ssize != L_stacksize(th)) luaD_reallocstack(th, ssize);
  const stk = L_stack(th);
  for (let i = 0; i < ntop; i++) if (!readvalue(tvat(stk, i))) return;
  L_settop(th, tvat(stk, ntop));
  L_setstatus(th, <u8>status);
  L_setnCcalls(th, nccalls);
  if (ef != -1 && (ef < 1 || ef >= ntop)) { rfail("bad error handler"); return; }
  L_seterrfunc(th, ef == -1 ? 0 : ef << 4);
  // to-be-closed variables, innermost first: strictly decreasing slots
  const ntbc = r_u32();
  if (rfailed()) return;
  if (<u64>ntbc * 4 > <u64>ravail()) { rfail("truncated thread"); return; }
  let prev: i32 = ntop;
  const slots: usize[] = [];
  for (let i: u32 = 0; i < ntbc; i++) {
    const s = <i32>r_u32();
    if (rfailed()) return;
    if (s < 1 || s >= prev) { rfail("bad to-be-closed list"); return; }
    slots.push(tvat(stk, s));
    prev = s;
  }
  L_settbclist(th, 0);
  for (let i = slots.length - 1; i >= 0; i--) tbc_push(th, slots[i]);   // outermost first
  // frames
  const nci = r_u32();
  if (rfailed()) return;
  if (nci < 1 || <u64>nci * 32 > <u64>ravail()) { rfail("bad frames"); return; }
  let ci = L_baseci(th);
  let prevfunc: i32 = -1;
  for (let j: u32 = 0; j < nci; j++) {
    const func = <i32>r_u32(), top = <i32>r_u32(), st = r_u32(), pc = <i32>r_u32();
    const nextra = <i32>r_u32(), nres = <i32>r_u32(), u1 = <i32>r_u32(), u2 = <i32>r_u32();
    if (rfailed()) return;
    if (j > 0) ci = nextci(th);                  // linked after the current frame, which it becomes
    if (func <= prevfunc || func < 0 || func >= ntop || top <= func || top > ssize || (st & ~0xFFFF) != 0) { rfail("bad frame"); return; }
    if (j == 0 && (func != 0 || (st & CIST_C) == 0)) { rfail("bad base frame"); return; }
    if (nres < -1 || nres > 250 || nextra < 0 || nextra >= func + 1) { rfail("bad frame"); return; }
    prevfunc = func;
    const fo = tvat(stk, func);
    ci_setfunc(ci, fo);
    ci_settop(ci, tvat(stk, top));
    ci_setcallstatus(ci, st);
    ci_setnresults(ci, nres);
    ci_setnextraargs(ci, nextra);
    ci_setu2(ci, u2);
    if ((st & CIST_C) == 0) {
      if (!ttisLclosure(fo)) { rfail("bad Lua frame"); return; }
      ci_setsavedpc(ci, 0);
      ci_setu1(ci, u1);
      luaframes.push(ci); luapcs.push(pc);       // checked once every closure has its prototype
    } else {
      if (j > 0 && !ttisfunction(fo)) { rfail("bad native frame"); return; }
      ci_setsavedpc(ci, 0);
      if ((st & CIST_CONT) != 0) {
        if (<u32>u1 >= <u32>rnames.length) { rfail("native name out of range"); return; }
        ci_setu1(ci, <i32>rnames[u1]);
      } else {
        if ((st & CIST_YPCALL) != 0 && (u1 < 0 || (u1 & 15) != 0 || (u1 >> 4) >= ntop)) { rfail("bad protected frame"); return; }
        ci_setu1(ci, u1);
      }
    }
  }
  L_setci(th, ci);
  if (status == LUA_YIELD) {
    const f = ci_func(ci);
    if (nci < 2 || !ttislcf(f) || fvalue(f) != yieldfn) { rfail("suspended thread not in a yield"); return; }
  } else if (status == LUA_OK && nci != 1) { rfail("bad thread status"); return; }
}

/**
 * Restores the snapshot of n bytes the host put at snap_inbuf(n) into this state, which must be
 * fresh (just initialised). Returns 0, or 1 with "bad snapshot: ..." in snap_msg_ptr/len; on failure
 * the state must be discarded (the host restores into a new instance and swaps it in on success).
 */
export function snap_restore(n: i32): i32 {
  const L = mainthread;
  if (inptr == 0 || n < 0 || <usize>n > incap) { setmsg("no input"); return 1; }
  rp = inptr; re = inptr + <usize>n; rerr = ""; fillneed = 0;
  robj = []; rkind = []; rnames = []; rnamestr = []; openuv = []; openth = []; openlvl = [];
  // registry tables created lazily (the chunk cache) may not exist yet in the fresh state
  for (let i = 0; i < PERM_REGKEYS.length; i++) {
    if (i == PERM_EXTMT || regtable(PERM_REGKEYS[i]) != 0) continue;
    const v = memory.data(16);
    sethvalue(v, ltable.luaH_new());
    ltable.luaH_set(registry, luaS_strvalue(PERM_REGKEYS[i]), v);
  }
  fresh_filemt = regtable("FILE*");
  fresh_extmt = proxymetatable();
  fresh_extcache = regtable("_EXTCACHE");
  buildpermset();
  const st = restore(L);
  permset = new Set<usize>();
  luaframes = []; luapcs = [];
  robj = []; rkind = []; rnames = []; rnamestr = []; openuv = []; openth = []; openlvl = [];
  if (st != 0) { setmsg(rerr); return 1; }
  return 0;
}

function restore(L: usize): i32 {
  if (ravail() < 8 || load<u32>(rp) != 0x4753574C) { rfail("not a Lua state snapshot"); return 1; }
  rp += 4;
  const ver = r_u32();
  if (ver != SNAP_VERSION) { rfail("unsupported snapshot version " + ver.toString()); return 1; }
  // names
  const nn = r_u32();
  if (rfailed()) return 1;
  if (<u64>nn * 4 > <u64>ravail()) { rfail("truncated names"); return 1; }
  for (let i: u32 = 0; i < nn; i++) {
    const len = r_u32();
    if (rfailed()) return 1;
    if (<usize>len > ravail() || len > 256) { rfail("bad native name"); return 1; }
    let s = "";
    for (let j: u32 = 0; j < len; j++) s += String.fromCharCode(<i32>load<u8>(rp + <usize>j));
    rp += <usize>len;
    const f = nativebyname(s);
    if (f == 0) { rfail("unknown native function '" + s + "'"); return 1; }
    rnames.push(f);
    rnamestr.push(s);
  }
  // declarations
  const nobj = r_u32();
  if (rfailed()) return 1;
  if (<u64>nobj > <u64>ravail()) { rfail("truncated declarations"); return 1; }
  for (let i: u32 = 0; i < nobj; i++) {
    readdecl(L, <i32>i);
    if (rfailed()) return 1;
  }
  resolveprotorefs();
  if (rfailed()) return 1;
  openuv = []; openth = []; openlvl = [];
  // fills
  for (let i: u32 = 0; i < nobj; i++) {
    const o = robj[i];
    const k = rkind[i];
    if (k == K_PERM || k == K_STR || k == K_PROTO) continue;
    if (k == K_TABLE) {
      if (isperm(o)) continue;
      readtable(o);
    } else if (k == K_LCL) {
      const p = getobj(r_u32(), K_PROTO);
      if (rfailed()) return 1;
      const nup = cl_nupvalues(o);
      if (nup != p_sizeupvalues(p)) { rfail("closure and function disagree on upvalues"); return 1; }
      cl_setproto(o, p);
      for (let j = 0; j < nup; j++) {
        const uv = getobj(r_u32(), K_UPVAL);
        if (rfailed()) return 1;
        cl_setupval(o, j, uv);
      }
    } else if (k == K_CCL) {
      const nup = cl_nupvalues(o);
      for (let j = 0; j < nup; j++) if (!readvalue(ccl_upvalue(o, j))) return 1;
    } else if (k == K_UPVAL) {
      const kind = r_u8();
      if (rfailed()) return 1;
      if (kind == 0) { if (!readvalue(uv_value(o))) return 1; }
      else if (kind == 1) {
        const th = getobj(r_u32(), K_THREAD);
        const lvl = <i32>r_u32();
        if (rfailed()) return 1;
        if (th == mainthread) { rfail("open upvalue of the main thread"); return 1; }
        openuv.push(o); openth.push(th); openlvl.push(lvl);
      } else { rfail("bad upvalue"); return 1; }
    } else if (k == K_UDATA) {
      if (isperm(o) || udata_hostid(o) != 0 || (fresh_filemt != 0 && udata_metatable(o) == fresh_filemt)) continue;
      const mt = readoptref(K_TABLE);
      if (rfailed()) return 1;
      if (mt != 0 && (mt == fresh_filemt || mt == fresh_extmt)) { rfail("userdata with a library metatable"); return 1; }
      udata_setmetatable(o, mt);
      const nuv = udata_nuvalue(o);
      for (let j = 0; j < nuv; j++) if (!readvalue(udata_uv(o, j))) return 1;
      const len = udata_len(o);
      if (<usize>len > ravail()) { rfail("truncated userdata"); return 1; }
      // a bigint's bytes are read by the library: only a well-formed one may have its metatable
      if (mt != 0 && mt == big_mt() && (nuv != 0 || !big_validbytes(rp, len))) { rfail("bad bigint"); return 1; }
      memory.copy(getudatamem(o), rp, <usize>len);
      rp += <usize>len;
    } else if (k == K_THREAD) {
      if (o == mainthread) continue;
      readthread(o);
    }
    if (rfailed()) return 1;
  }
  checkluaframes();
  if (rfailed()) return 1;
  // natives that trust their upvalues (the check their library registered, lib/natives.ts)
  for (let i = 0; i < robj.length; i++) {
    if (rkind[i] != K_CCL) continue;
    const m = checkupvalues(robj[i]);
    if (m.length != 0) { rfail(m); return 1; }
  }
  // open upvalues: per thread, sorted by slot (innermost first), one per slot, below the top
  linkopenupvals();
  if (rfailed()) return 1;
  // roots
  const reg = getobj(r_u32(), K_TABLE);
  if (rfailed()) return 1;
  const mts = memory.data(9 * 4);
  for (let t = 0; t < 9; t++) {
    const id = r_u32();
    if (rfailed()) return 1;
    store<usize>(mts + (<usize>t << 2), id == 0xFFFFFFFF ? 0 : getobj(id, K_TABLE));
    if (rfailed()) return 1;
  }
  if (rp != re) { rfail("trailing bytes"); return 1; }
  const r1 = ltable.luaH_getint(reg, 1), r2 = ltable.luaH_getint(reg, 2);
  if (!ttisthread(r1) || thvalue(r1) != mainthread || !ttistable(r2)) { rfail("bad registry"); return 1; }
  for (let i = 0; i < PERM_REGKEYS.length; i++) {
    if (i == PERM_EXTMT) continue;                // sealed: snapshots of older builds still list it
    const v = ltable.luaH_getstr(reg, luaS_new(PERM_REGKEYS[i]));
    const f = regtable(PERM_REGKEYS[i]);
    // missing: an older build's snapshot (from FIRST_ADDED_PERM on), a table the state had not
    // created yet (the chunk cache is made at the first compile) or one a program removed through
    // debug.getregistry(): the fresh state's stands in
    if (ttisnil(v) && f != 0) {
      const tv = memory.data(16);
      sethvalue(tv, f);
      ltable.luaH_set(reg, luaS_strvalue(PERM_REGKEYS[i]), tv);
      luaC_barrierback(0, reg);
      if (i == FIRST_ADDED_PERM) bigint_addpreload(reg);   // and require "bigint" works in it
      continue;
    }
    if (f != 0 && !(ttistable(v) && hvalue(v) == f)) { rfail("registry lacks " + PERM_REGKEYS[i]); return 1; }
  }
  // finalizers: objects whose metatable has __gc are finalized again by the new state
  for (let i = 0; i < robj.length; i++) {
    const o = robj[i];
    if (isperm(o)) continue;
    if (rkind[i] == K_TABLE && ltable.getmetatable(o) != 0) luaC_checkfinalizer(L, o, ltable.getmetatable(o));
    else if (rkind[i] == K_UDATA && udata_metatable(o) != 0 && udata_hostid(o) == 0) luaC_checkfinalizer(L, o, udata_metatable(o));
  }
  // swap the roots in
  setregistry(reg);
  setglobaltable(hvalue(r2));
  for (let t = 0; t < 9; t++) G_setmt(t, load<usize>(mts + (<usize>t << 2)));
  return 0;
}

/** Orders open upvalues by thread, then by decreasing slot (uvorder's comparator reads the globals). */
function uvorder(a: i32, b: i32): i32 {
  const ta = openth[a], tb = openth[b];
  if (ta != tb) return ta < tb ? -1 : 1;
  return openlvl[b] - openlvl[a];
}

/**
 * Links the open upvalues recorded during the fills into their threads' lists (sorted by decreasing
 * slot, as luaF_findupval keeps them). Sorting first keeps this O(n log n): inserting each one into
 * a sorted list would be quadratic, and a crafted snapshot with a million open upvalues in the worst
 * order would then take minutes. The threads are fresh (their lists start empty).
 */
function linkopenupvals(): void {
  const n = openuv.length;
  const order = new Array<i32>(n);
  for (let i = 0; i < n; i++) {
    const th = openth[i];
    const lvl = openlvl[i];
    const ntop = <i32>((L_top(th) - L_stack(th)) >> 4);
    if (lvl < 1 || lvl >= ntop) { rfail("bad open upvalue"); return; }
    if (L_openupval(th) != 0) { rfail("bad open upvalue"); return; }
    order[i] = i;
  }
  order.sort(uvorder);
  let prev: usize = 0;
  let prevth: usize = 0;
  let prevlvl: i32 = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j];
    const th = openth[i], lvl = openlvl[i], uv = openuv[i];
    uv_setv(uv, tvat(L_stack(th), lvl));
    uv_setlevel(uv, lvl << 4);                      // a byte offset, as luaF_findupval's savestack
    uv_setopennext(uv, 0);
    if (th != prevth) L_setopenupval(th, uv);       // the first (highest slot) of a new thread
    else if (lvl == prevlvl) { rfail("two open upvalues for one slot"); return; }
    else uv_setopennext(prev, uv);
    prev = uv; prevth = th; prevlvl = lvl;
  }
}

/** Objects of the fresh state that stand for permanent ones (never filled). */
let permset: Set<usize> = new Set<usize>();
function isperm(o: usize): bool { return permset.has(o); }
function buildpermset(): void {
  permset = new Set<usize>();
  permset.add(mainthread);
  for (let i = 0; i < PERM_REGKEYS.length; i++) { const t = permtable(i); if (t != 0) permset.add(t); }
  for (let c = 0; c < 3; c++) { const f = freshperm(PERM_STDIN + c); if (f != 0) permset.add(f); }
}

