// gc-unit.ts (unit) - test entry for the garbage collector (assembly/gc/*), driven by gc.test.ts.
// Each exported t_* function builds a situation, collects, and returns 0 on success or a small
// positive number naming the first check that failed (the test prints it). Object graphs are built
// directly with the object/ constructors; no VM is involved.

import { totalbytes, setlimit } from "../../assembly/mem/alloc";
import { luaM_alloc, luaM_allocz, luaM_realloc, luaM_free, gcdebt } from "../../assembly/mem/alloc";
import {
  TVALUE_SIZE, setsvalue, sethvalue, setivalue, setclLvalue, setclCvalue, setuvalue, setthvalue,
  setnilvalue, setbtvalue, setobj, setfltvalue, setgcovalue, ttisnil, ttisstring, ttistable, ttisinteger,
  tsvalue, hvalue, ivalue, rawtt, gcvalue, LUA_TDEADKEY,
} from "../../assembly/object/value";
import {
  luaS_init, luaS_new, luaS_newlstr, getstr, tsslen, strtcount, strtsz,
} from "../../assembly/object/string";
import * as ltable from "../../assembly/object/table";
import {
  luaF_newproto, luaF_newLclosure, luaF_newCclosure, luaF_newclosedupval, luaF_newopenupval,
  cl_setupval, cl_upval, uv_v, uv_value, upisopen, ccl_upvalue, UPVALDESC_SIZE, LOCVAR_SIZE,
  luaF_closeupval,
} from "../../assembly/object/func";
import { luaS_newudata, udata_uv, udata_setmetatable, getudatamem } from "../../assembly/object/userdata";
import {
  luaE_newthread, setmainthread, setregistry, setglobaltable, mainthread, L_top, L_settop,
  L_setopenupval, L_stack, G_setmt,
} from "../../assembly/vm/state";
import {
  luaC_fullgc, luaC_pushroot, luaC_poproot, luaC_checkGC, luaC_checkfinalizer, luaC_setfinalizerhooks,
  luaC_init, gccycles, setpause, setstepmul, luaC_count, gcstop, gcrestart, allgc, fixedgc,
  luaC_runallfinalizers, luaC_resetthreshold, FinalizerCall, luaC_runtil, luaC_state, luaC_stepapi,
  luaC_barrierback, luaC_objbarrier,
} from "../../assembly/gc/collect";
import { isdead } from "../../assembly/gc/collect";
import { getnext, getmarked, FIXEDBIT, isblack, iswhite } from "../../assembly/object/header";

const TMPK: usize = memory.data(16, 8);
const TMPV: usize = memory.data(16, 8);
let G: usize = 0;

// ==== helpers ====

function str(s: string): usize { return luaS_new(s); }

/** G[name] = value (TValue) */
function setglobal(name: string, v: usize): void {
  setsvalue(TMPK, str(name));
  ltable.luaH_set(G, TMPK, v);
}
function getglobal(name: string): usize {
  return ltable.luaH_getstr(G, str(name));
}
function setglobalobj(name: string, o: usize): void { setgcovalue(TMPV, o); setglobal(name, TMPV); }
function getglobalobj(name: string): usize { const v = getglobal(name); return ttisnil(v) ? 0 : gcvalue(v); }
function clearglobal(name: string): void { setnilvalue(TMPV); setglobal(name, TMPV); }

/** t[k] = v with a string key */
function tsetstr(t: usize, k: string, v: usize): void { setsvalue(TMPK, str(k)); ltable.luaH_set(t, TMPK, v); }
function tsetobjkey(t: usize, k: usize, v: usize): void { setgcovalue(TMPK, k); ltable.luaH_set(t, TMPK, v); }
function tgetobjkey(t: usize, k: usize): usize { setgcovalue(TMPK, k); return ltable.luaH_get(t, TMPK); }

/** Whether string object `ts` has exactly the bytes of `s`. */
function streq(ts: usize, s: string): bool {
  if (tsslen(ts) != s.length) return false;
  for (let i = 0; i < s.length; i++) if (load<u8>(getstr(ts) + <usize>i) != <u8>s.charCodeAt(i)) return false;
  return true;
}

/** Number of entries with a non-empty value. */
function countentries(t: usize): i32 {
  let c = 0;
  for (let i: u32 = 0; i < ltable.asize(t); i++) if (!ttisnil(ltable.arrayslot(t, i))) c++;
  const n = ltable.allocsizenode(t);
  for (let i = 0; i < n; i++) if (!ttisnil(ltable.gval(ltable.gnode(t, i)))) c++;
  return c;
}

/** Whether object `o` is still linked in allgc (a freed object never is). */
function inallgc(o: usize): bool {
  for (let p = allgc(); p != 0; p = getnext(p)) if (p == o) return true;
  return false;
}

/** A table with `na` array items, `nh` string-keyed items and a metatable with __index. */
function mktable(na: i32, nh: i32): usize {
  const t = ltable.luaH_new();
  luaC_pushroot(t);
  for (let i = 1; i <= na; i++) { setivalue(TMPV, i * 10); ltable.luaH_setint(t, i, TMPV); }
  for (let i = 0; i < nh; i++) {
    const k = "key" + i.toString();
    setsvalue(TMPV, str("value-" + i.toString() + "-long-enough-to-be-a-long-string-object-xyz"));
    tsetstr(t, k, TMPV);
  }
  const mt = ltable.luaH_new();
  sethvalue(TMPV, mt);
  tsetstr(mt, "__index", TMPV);
  ltable.setmetatableptr(t, mt);
  luaC_poproot(1);
  return t;
}

/** A prototype with constants, one nested proto, upvalue names and local names. */
function mkproto(depth: i32): usize {
  const p = luaF_newproto();
  store<usize>(p, str("=test"), 64);                                     // source
  store<i32>(p, 3, 16);                                                  // sizek
  const k = luaM_alloc(3 * TVALUE_SIZE);
  setsvalue(k, str("const-a"));
  setfltvalue(k + 16, 1.5);
  setsvalue(k + 32, luaS_newlstr(memory.data<u8>([0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73]), 45));
  store<usize>(p, k, 40);
  store<i32>(p, 4, 20);                                                  // sizecode
  store<usize>(p, luaM_allocz(16), 44);
  store<usize>(p, luaM_allocz(16), 56);                                  // lineinfo
  if (depth > 0) {
    store<i32>(p, 1, 24);                                                // sizep
    const pp = luaM_alloc(4);
    store<usize>(pp, 0);
    store<usize>(p, pp, 48);
    store<usize>(pp, mkproto(depth - 1));
  }
  store<i32>(p, 2, 12);                                                  // sizeupvalues
  const uvd = luaM_allocz(2 * UPVALDESC_SIZE);
  store<usize>(uvd, str("_ENV"));
  store<usize>(uvd + UPVALDESC_SIZE, str("upname" + depth.toString()));
  store<usize>(p, uvd, 52);
  store<i32>(p, 1, 28);                                                  // sizelocvars
  const lv = luaM_allocz(LOCVAR_SIZE);
  store<usize>(lv, str("localname" + depth.toString()));
  store<usize>(p, lv, 60);
  return p;
}

/** A Lua closure over a fresh proto with two closed upvalues holding a string and a table. */
function mkclosure(): usize {
  const p = mkproto(2);
  luaC_pushroot(p);
  const cl = luaF_newLclosure(p, 2);
  luaC_pushroot(cl);
  const u1 = luaF_newclosedupval();
  cl_setupval(cl, 0, u1);
  setsvalue(uv_v(u1), str("upvalue-string"));
  const u2 = luaF_newclosedupval();
  cl_setupval(cl, 1, u2);
  sethvalue(uv_v(u2), mktable(3, 2));
  luaC_poproot(2);
  return cl;
}

// ==== setup ====

/** Creates the main thread, registry and globals (as the state's init will). */
export function setup(): void {
  luaS_init();
  const L = luaE_newthread();
  setmainthread(L);
  const r = ltable.luaH_new();
  setregistry(r);
  G = ltable.luaH_new();
  setglobaltable(G);
  setthvalue(TMPV, L); ltable.luaH_setint(r, 1, TMPV);
  sethvalue(TMPV, G); ltable.luaH_setint(r, 2, TMPV);
  luaC_init();
  luaC_fullgc(L);
}

export function bytes(): f64 { return luaC_count(); }
export function fullgc(): void { luaC_fullgc(mainthread); }
export function cycles(): i32 { return gccycles; }
export function nstrings(): i32 { return strtcount(); }
export function strtsize(): i32 { return strtsz(); }

// ==== garbage ====

/** Creates `n` rounds of every kind of object and drops them all. */
export function t_garbage(n: i32): void {
  const L = mainthread;
  for (let r = 0; r < n; r++) {
    str("short-" + r.toString());
    str("a long string that is certainly longer than forty bytes #" + r.toString());
    const t = mktable(20, 12);
    luaC_pushroot(t);
    sethvalue(TMPV, mktable(2, 2));              // nested table in the hash part
    tsetstr(t, "child", TMPV);
    setclLvalue(TMPV, mkclosure());
    ltable.luaH_setint(t, 100, TMPV);
    const cc = luaF_newCclosure(7, 2);
    setsvalue(ccl_upvalue(cc, 0), str("c-upvalue"));
    sethvalue(ccl_upvalue(cc, 1), t);            // cycle through the native closure
    setclCvalue(TMPV, cc);
    tsetstr(t, "native", TMPV);
    const u = luaS_newudata(33, 2);
    sethvalue(udata_uv(u, 0), t);
    udata_setmetatable(u, ltable.getmetatable(t));
    setuvalue(TMPV, u);
    tsetstr(t, "udata", TMPV);
    // a coroutine with a value on its stack and an open upvalue used by a closure
    const co = luaE_newthread();
    setthvalue(TMPV, co);
    tsetstr(t, "co", TMPV);
    const slot = L_top(co);
    sethvalue(slot, mktable(1, 1));
    L_settop(co, slot + TVALUE_SIZE);
    const ouv = luaF_newopenupval(slot, 1, 0);
    L_setopenupval(co, ouv);
    const cl = luaF_newLclosure(mkproto(0), 1);
    cl_setupval(cl, 0, ouv);
    setclLvalue(TMPV, cl);
    tsetstr(t, "opencl", TMPV);
    luaC_poproot(1);
  }
  void L;
}

/** Many short strings (forces the intern table to grow), all dropped. */
export function t_manystrings(n: i32): void {
  for (let i = 0; i < n; i++) str("s" + i.toString());
}

// ==== survival ====

/** Builds a reachable graph of every type under G.keep. */
export function t_buildlive(): void {
  const t = mktable(5, 5);
  setglobalobj("keep", t);
  setclLvalue(TMPV, mkclosure());
  tsetstr(t, "fn", TMPV);
  const u = luaS_newudata(16, 1);
  store<u64>(getudatamem(u), 0x1122334455667788);
  setsvalue(udata_uv(u, 0), str("uservalue"));
  setuvalue(TMPV, u);
  tsetstr(t, "ud", TMPV);
  const co = luaE_newthread();
  const slot = L_top(co);
  sethvalue(slot, mktable(2, 0));
  L_settop(co, slot + TVALUE_SIZE);
  setthvalue(TMPV, co);
  tsetstr(t, "co", TMPV);
  // a string-keyed entry whose key exists only in this table
  setivalue(TMPV, 77);
  tsetstr(t, "only-here-key", TMPV);
}

/** Checks the graph built by t_buildlive after collections. */
export function t_checklive(): i32 {
  const t = getglobalobj("keep");
  if (t == 0) return 1;
  for (let i = 1; i <= 5; i++) {
    const v = ltable.luaH_getint(t, i);
    if (!ttisinteger(v) || ivalue(v) != i * 10) return 2;
  }
  for (let i = 0; i < 5; i++) {
    const v = ltable.luaH_getstr(t, str("key" + i.toString()));
    if (!ttisstring(v) || !streq(tsvalue(v), "value-" + i.toString() + "-long-enough-to-be-a-long-string-object-xyz")) return 3;
  }
  const mt = ltable.getmetatable(t);
  if (mt == 0 || !ttistable(ltable.luaH_getstr(mt, str("__index")))) return 4;
  const fn = ltable.luaH_getstr(t, str("fn"));
  const cl = gcvalue(fn);
  const u1 = cl_upval(cl, 0), u2 = cl_upval(cl, 1);
  if (!ttisstring(uv_v(u1)) || !streq(tsvalue(uv_v(u1)), "upvalue-string")) return 5;
  if (!ttistable(uv_v(u2)) || ivalue(ltable.luaH_getint(hvalue(uv_v(u2)), 3)) != 30) return 6;
  const p = load<usize>(cl, 12);
  const k = load<usize>(p, 40);
  if (!streq(tsvalue(k), "const-a")) return 7;
  if (tsslen(tsvalue(k + 32)) != 45) return 8;
  const np = load<usize>(load<usize>(p, 48));
  if (!streq(load<usize>(load<usize>(np, 52) + UPVALDESC_SIZE), "upname1")) return 9;
  if (!streq(load<usize>(load<usize>(np, 60)), "localname1")) return 10;
  if (!streq(load<usize>(np, 64), "=test")) return 11;
  const u = gcvalue(ltable.luaH_getstr(t, str("ud")));
  if (load<u64>(getudatamem(u)) != 0x1122334455667788) return 12;
  if (!streq(tsvalue(udata_uv(u, 0)), "uservalue")) return 13;
  const co = gcvalue(ltable.luaH_getstr(t, str("co")));
  if (!ttistable(L_stack(co) + TVALUE_SIZE)) return 14;
  if (ivalue(ltable.luaH_getint(hvalue(L_stack(co) + TVALUE_SIZE), 2)) != 20) return 17;
  if (ivalue(ltable.luaH_getstr(t, str("only-here-key"))) != 77) return 15;
  if (isdead(t) || isdead(cl) || isdead(u) || isdead(co)) return 16;
  return 0;
}

export function t_droplive(): void { clearglobal("keep"); }

// ==== stack ====

/** A table above the main thread's top is garbage; one below it survives. */
export function t_stack(): i32 {
  const L = mainthread;
  const top = L_top(L);
  const live = mktable(1, 0);
  sethvalue(top, live);
  const dead = mktable(1, 0);
  sethvalue(top + TVALUE_SIZE, dead);
  L_settop(L, top + TVALUE_SIZE);           // only `live` is below top
  fullgc();
  if (!inallgc(live)) return 1;
  if (inallgc(dead)) return 2;
  if (!ttisnil(top + TVALUE_SIZE)) return 3;  // dead slot cleared
  if (ivalue(ltable.luaH_getint(live, 1)) != 10) return 4;
  L_settop(L, top);
  fullgc();
  if (inallgc(live)) return 5;
  return 0;
}

// ==== temporary roots ====

export function t_roots(): i32 {
  const t = mktable(3, 3);
  luaC_pushroot(t);
  fullgc();
  if (!inallgc(t)) return 1;
  if (ivalue(ltable.luaH_getint(t, 2)) != 20) return 2;
  luaC_poproot(1);
  fullgc();
  if (inallgc(t)) return 3;
  return 0;
}

// ==== weak tables ====

function mkweak(mode: string): usize {
  const w = ltable.luaH_new();
  luaC_pushroot(w);
  const mt = ltable.luaH_new();
  setsvalue(TMPV, str(mode));
  tsetstr(mt, "__mode", TMPV);
  ltable.setmetatableptr(w, mt);
  luaC_poproot(1);
  return w;
}

export function t_weak(): i32 {
  // weak values: dead table values vanish; strings, numbers and live tables stay
  const wv = mkweak("v");
  setglobalobj("wv", wv);
  const livet = ltable.luaH_new();
  setglobalobj("livet", livet);
  sethvalue(TMPV, ltable.luaH_new()); ltable.luaH_setint(wv, 1, TMPV);     // array part, dead
  sethvalue(TMPV, livet); ltable.luaH_setint(wv, 2, TMPV);                 // array part, live
  sethvalue(TMPV, ltable.luaH_new()); tsetstr(wv, "dead", TMPV);
  sethvalue(TMPV, livet); tsetstr(wv, "live", TMPV);
  setsvalue(TMPV, str("a string value")); tsetstr(wv, "str", TMPV);
  setivalue(TMPV, 5); tsetstr(wv, "num", TMPV);
  // weak keys: an entry whose key dies goes; string keys stay; live keys keep their values alive
  const wk = mkweak("k");
  setglobalobj("wk", wk);
  const deadkey = ltable.luaH_new();
  setbtvalue(TMPV); tsetobjkey(wk, deadkey, TMPV);
  const valtab = ltable.luaH_new();
  sethvalue(TMPV, valtab); tsetobjkey(wk, livet, TMPV);                  // value kept by live key
  setbtvalue(TMPV); tsetstr(wk, "strkey", TMPV);
  // ephemeron cycle: value refers to its own key -> both collectable
  const cyc = ltable.luaH_new();
  sethvalue(TMPV, cyc); tsetstr(cyc, "self", TMPV);
  const holder = ltable.luaH_new();
  sethvalue(TMPV, cyc); tsetstr(holder, "k", TMPV);
  sethvalue(TMPV, holder); tsetobjkey(wk, cyc, TMPV);
  // ephemeron chain: k1 live -> v1 = k2 -> v2 = k3 -> v3 (all kept)
  const k1 = ltable.luaH_new();
  setglobalobj("k1", k1);
  const k2 = ltable.luaH_new(), k3 = ltable.luaH_new(), v3 = ltable.luaH_new();
  sethvalue(TMPV, v3); tsetobjkey(wk, k3, TMPV);     // inserted first: forces several passes
  sethvalue(TMPV, k3); tsetobjkey(wk, k2, TMPV);
  sethvalue(TMPV, k2); tsetobjkey(wk, k1, TMPV);
  // all weak
  const wkv = mkweak("kv");
  setglobalobj("wkv", wkv);
  sethvalue(TMPV, ltable.luaH_new()); tsetobjkey(wkv, livet, TMPV);       // dead value
  sethvalue(TMPV, livet); tsetobjkey(wkv, ltable.luaH_new(), TMPV);       // dead key
  sethvalue(TMPV, livet); tsetobjkey(wkv, k1, TMPV);                      // both live
  setsvalue(TMPV, str("sv")); tsetstr(wkv, "sk", TMPV);                   // strings stay

  fullgc();
  if (!ttisnil(ltable.luaH_getint(wv, 1))) return 1;
  if (hvalue(ltable.luaH_getint(wv, 2)) != livet) return 2;
  if (!ttisnil(ltable.luaH_getstr(wv, str("dead")))) return 3;
  if (hvalue(ltable.luaH_getstr(wv, str("live"))) != livet) return 4;
  if (!ttisstring(ltable.luaH_getstr(wv, str("str")))) return 5;
  if (ivalue(ltable.luaH_getstr(wv, str("num"))) != 5) return 6;
  if (countentries(wv) != 4) return 7;
  if (inallgc(deadkey)) return 8;
  if (hvalue(tgetobjkey(wk, livet)) != valtab || !inallgc(valtab)) return 9;
  if (ttisnil(ltable.luaH_getstr(wk, str("strkey")))) return 10;
  if (inallgc(cyc) || inallgc(holder)) return 11;
  if (hvalue(tgetobjkey(wk, k1)) != k2 || hvalue(tgetobjkey(wk, k2)) != k3 || hvalue(tgetobjkey(wk, k3)) != v3) return 12;
  if (countentries(wk) != 5) return 13;
  if (countentries(wkv) != 2) return 14;
  if (hvalue(tgetobjkey(wkv, k1)) != livet) return 15;
  // dead keys are marked as such (never dereferenced again)
  let deadkeys = 0;
  for (let i = 0; i < ltable.allocsizenode(wk); i++) if (rawtt(ltable.gkey(ltable.gnode(wk, i))) == LUA_TDEADKEY) deadkeys++;
  if (deadkeys != 2) return 16;
  // dropping k1 releases the whole chain
  clearglobal("k1");
  fullgc();
  if (countentries(wk) != 2) return 17;
  if (inallgc(k2) || inallgc(k3) || inallgc(v3)) return 18;
  clearglobal("wv"); clearglobal("wk"); clearglobal("wkv"); clearglobal("livet");
  return 0;
}

// ==== strings ====

export function t_strings(): i32 {
  const before = strtcount();
  const s = str("an interned string");
  const s2 = str("an interned string");
  if (s != s2) return 1;
  if (strtcount() != before + 1) return 2;
  fullgc();
  if (strtcount() != before) return 3;     // removed from the intern table
  const s3 = str("an interned string");
  if (!streq(s3, "an interned string")) return 4;
  if (strtcount() != before + 1) return 5;
  if (str("an interned string") != s3) return 6;
  // fixed strings survive and keep their identity
  if ((getmarked(str("__mode")) & FIXEDBIT) == 0) return 7;
  let nfixed = 0;
  for (let p = fixedgc(); p != 0; p = getnext(p)) nfixed++;
  if (nfixed < 2) return 8;
  return 0;
}

// ==== open upvalues of a dead thread ====

/** A closure over an open upvalue of a coroutine survives the coroutine: the upvalue gets closed. */
export function t_openupval(): i32 {
  const co = luaE_newthread();
  luaC_pushroot(co);
  const slot = L_top(co);
  const t = mktable(2, 0);
  sethvalue(slot, t);
  L_settop(co, slot + TVALUE_SIZE);
  const uv = luaF_newopenupval(slot, 1, 0);
  L_setopenupval(co, uv);
  const cl = luaF_newLclosure(mkproto(0), 1);
  cl_setupval(cl, 0, uv);
  setclLvalue(TMPV, cl);
  setglobal("cl", TMPV);
  luaC_poproot(1);                          // the coroutine is now garbage
  fullgc();
  if (inallgc(co)) return 1;
  if (upisopen(uv)) return 2;               // closed when its thread was freed
  if (uv_v(uv) != uv_value(uv)) return 3;
  if (!ttistable(uv_v(uv)) || hvalue(uv_v(uv)) != t) return 4;
  if (ivalue(ltable.luaH_getint(t, 2)) != 20) return 5;
  clearglobal("cl");
  fullgc();
  if (inallgc(uv) || inallgc(t)) return 6;
  return 0;
}

// ==== finalizers ====

const finlog: usize = memory.data(64 * 4, 4);
let nfin = 0;

/** Stand-in for luaD_pcall: records the object passed to __gc. */
function fakecall(L: usize, func: usize, nresults: i32): i32 {
  if (nfin < 64) store<usize>(finlog + (<usize>nfin << 2), gcvalue(func + TVALUE_SIZE));
  nfin++;
  // resurrect the second finalized object by storing it in a global
  if (nfin == 2) { setobj(TMPV, func + TVALUE_SIZE); setglobal("resurrected", TMPV); }
  return 0;
}

export function t_finalizers(): i32 {
  luaC_setfinalizerhooks(changetype<usize>(fakecall), 0);
  const mt = ltable.luaH_new();
  setglobalobj("finmt", mt);
  setbtvalue(TMPV); tsetstr(mt, "__gc", TMPV);
  const a = ltable.luaH_new(); ltable.setmetatableptr(a, mt); luaC_checkfinalizer(mainthread, a, mt);
  const b = ltable.luaH_new(); ltable.setmetatableptr(b, mt); luaC_checkfinalizer(mainthread, b, mt);
  const u = luaS_newudata(8, 0); udata_setmetatable(u, mt); luaC_checkfinalizer(mainthread, u, mt);
  // b references a dead child table that must stay alive until b's finalizer ran
  const child = mktable(2, 0);
  sethvalue(TMPV, child); tsetstr(b, "child", TMPV);
  const keep = ltable.luaH_new(); ltable.setmetatableptr(keep, mt); luaC_checkfinalizer(mainthread, keep, mt);
  setglobalobj("keepfin", keep);
  if (inallgc(a) || inallgc(b) || inallgc(u)) return 1;   // moved to finobj
  nfin = 0;
  fullgc();
  if (nfin != 3) return 2;
  // order: reverse of registration (finobj is LIFO), as in PUC
  if (load<usize>(finlog) != u || load<usize>(finlog + 4) != b || load<usize>(finlog + 8) != a) return 3;
  // after finalization they are ordinary objects again; b was resurrected
  if (!inallgc(a) || !inallgc(b) || !inallgc(u)) return 4;
  if (getglobalobj("resurrected") != b) return 5;
  if (ivalue(ltable.luaH_getint(hvalue(ltable.luaH_getstr(b, str("child"))), 2)) != 20) return 6;
  nfin = 0;
  fullgc();
  if (nfin != 0) return 7;                  // a finalizer runs once
  if (inallgc(a) || inallgc(u)) return 8;   // now really collected
  if (!inallgc(b) || !inallgc(child)) return 9;
  clearglobal("resurrected");
  fullgc();
  if (inallgc(b) || inallgc(child)) return 10;
  clearglobal("keepfin");
  fullgc();
  if (nfin != 1 || load<usize>(finlog) != keep) return 11;
  clearglobal("finmt");
  fullgc();
  luaC_setfinalizerhooks(0, 0);
  return 0;
}

// ==== control ====

export function t_params(): i32 {
  if (setpause(150) != 200) return 1;
  if (setpause(200) != 148) return 2;       // quantised as PUC stores it
  if (setstepmul(300) != 100) return 3;
  if (setstepmul(100) != 300) return 4;
  return 0;
}

/** Allocation with checkGC at "safe points" keeps the heap bounded. */
export function t_checkgc(rounds: i32): f64 {
  let peak: f64 = 0;
  for (let i = 0; i < rounds; i++) {
    mktable(10, 10);
    luaC_checkGC(mainthread);
    const b = luaC_count();
    if (b > peak) peak = b;
  }
  return peak;
}

export function t_stopped(rounds: i32): i32 {
  gcstop();
  const c0 = gccycles;
  for (let i = 0; i < rounds; i++) { mktable(10, 10); luaC_checkGC(mainthread); }
  const c1 = gccycles;
  gcrestart();
  for (let i = 0; i < rounds; i++) { mktable(10, 10); luaC_checkGC(mainthread); }
  const c2 = gccycles;
  if (c1 != c0) return 1;
  if (c2 == c1) return 2;
  return 0;
}

/** At close every object with a finalizer gets it called, reachable or not, newest first. */
export function t_closefinalizers(): i32 {
  const fc: FinalizerCall = fakecall;
  luaC_setfinalizerhooks(changetype<usize>(fc), 0);
  const mt = ltable.luaH_new();
  setglobalobj("finmt", mt);
  setbtvalue(TMPV); tsetstr(mt, "__gc", TMPV);
  const a = ltable.luaH_new(); ltable.setmetatableptr(a, mt); luaC_checkfinalizer(mainthread, a, mt);
  setglobalobj("reachable", a);
  const b = ltable.luaH_new(); ltable.setmetatableptr(b, mt); luaC_checkfinalizer(mainthread, b, mt);
  nfin = 10;                                 // past the resurrecting call of fakecall
  luaC_runallfinalizers(mainthread);
  if (nfin != 12) return 1;
  if (load<usize>(finlog + 40) != b || load<usize>(finlog + 44) != a) return 2;
  clearglobal("reachable"); clearglobal("finmt");
  nfin = 0;
  fullgc();
  if (nfin != 0) return 3;                   // already finalized
  if (inallgc(a) || inallgc(b)) return 4;
  luaC_setfinalizerhooks(0, 0);
  return 0;
}

/** With a memory limit, debt-driven collection starts before the heap reaches it. */
export function t_limit(): i32 {
  setglobalobj("bigheap", mktable(4000, 0));   // ~64 KB live: pause alone would allow ~600 KB more
  const oldpause = setpause(1000);
  fullgc();
  const lim = totalbytes + 20000;
  setlimit(lim);
  luaC_resetthreshold();
  let over = 0;
  for (let i = 0; i < 2000; i++) {
    mktable(4, 4);
    luaC_checkGC(mainthread);
    if (totalbytes > lim) over++;
  }
  setlimit(0);
  setpause(oldpause);
  clearglobal("bigheap");
  luaC_resetthreshold();
  return over;
}

// ==== incremental collection ====

const S_PROPAGATE = 0, S_ENTERATOMIC = 1, S_SWPALLGC = 3, S_PAUSE = 8;

/** Finishes any cycle in progress and starts a new one, then marks everything reachable. */
function markall(): void {
  fullgc();
  luaC_runtil(mainthread, S_PROPAGATE);
  luaC_runtil(mainthread, S_ENTERATOMIC);     // gray list empty: every reachable object is black
}

/** Back barrier: a new (white) table stored into a black table survives the cycle. */
export function t_barrierback(): i32 {
  const t = mktable(2, 0);
  setglobalobj("bt", t);
  markall();
  if (!isblack(t)) return 1;
  const child = mktable(3, 1);              // white: created after t was traversed
  sethvalue(TMPV, child);
  tsetstr(t, "child", TMPV);
  luaC_barrierback(mainthread, t);
  if (isblack(t)) return 2;                 // gray again
  luaC_runtil(mainthread, S_PAUSE);
  if (!inallgc(child)) return 3;
  if (hvalue(ltable.luaH_getstr(t, str("child"))) != child) return 4;
  if (ivalue(ltable.luaH_getint(child, 3)) != 30) return 5;
  clearglobal("bt");
  fullgc();
  if (inallgc(t) || inallgc(child)) return 6;
  return 0;
}

/** Forward barrier: a new metatable set on a black table is marked at once. */
export function t_objbarrier(): i32 {
  const t = mktable(1, 0);
  setglobalobj("ot", t);
  markall();
  const mt = ltable.luaH_new();
  ltable.setmetatableptr(t, mt);
  luaC_objbarrier(mainthread, t, mt);
  if (iswhite(mt)) return 1;
  luaC_runtil(mainthread, S_PAUSE);
  if (!inallgc(mt) || ltable.getmetatable(t) != mt) return 2;
  clearglobal("ot");
  return 0;
}

/**
 * An open upvalue marked (black) during the mark is closed afterwards: its value now lives only in
 * the upvalue, and the close barrier keeps it.
 */
export function t_closebarrier(): i32 {
  const co = luaE_newthread();
  setglobalobj("uco", co);
  const slot = L_top(co);
  setnilvalue(slot);
  L_settop(co, slot + TVALUE_SIZE);
  const uv = luaF_newopenupval(slot, 1, 0);
  L_setopenupval(co, uv);
  const cl = luaF_newLclosure(mkproto(0), 1);
  cl_setupval(cl, 0, uv);
  setclLvalue(TMPV, cl);
  setglobal("ucl", TMPV);
  markall();
  if (!isblack(uv)) return 1;
  const t = mktable(2, 0);                  // white, stored in the thread's slot (no barrier needed)
  sethvalue(slot, t);
  luaF_closeupval(uv);                      // the value moves into the (black) upvalue
  L_setopenupval(co, 0);
  setnilvalue(slot);
  luaC_runtil(mainthread, S_PAUSE);
  if (!inallgc(t)) return 2;
  if (hvalue(uv_v(uv)) != t || ivalue(ltable.luaH_getint(t, 2)) != 20) return 3;
  clearglobal("uco"); clearglobal("ucl");
  fullgc();
  if (inallgc(t) || inallgc(uv)) return 4;
  return 0;
}

/** A finalizable object registered during the sweep phase is kept and finalized later. */
export function t_sweepfinalizer(): i32 {
  luaC_setfinalizerhooks(changetype<usize>(fakecall), 0);
  const mt = ltable.luaH_new();
  setglobalobj("sfmt", mt);
  setbtvalue(TMPV); tsetstr(mt, "__gc", TMPV);
  fullgc();
  luaC_runtil(mainthread, S_PROPAGATE);
  luaC_runtil(mainthread, S_SWPALLGC);      // atomic done, whites flipped
  const o = ltable.luaH_new();              // new: current white
  setglobalobj("sfo", o);
  ltable.setmetatableptr(o, mt);
  luaC_checkfinalizer(mainthread, o, mt);
  luaC_runtil(mainthread, S_PAUSE);
  if (inallgc(o)) return 1;                 // in finobj, not freed, not finalized yet
  nfin = 0;
  fullgc();
  if (nfin != 0) return 2;
  clearglobal("sfo");
  fullgc();
  if (nfin != 1 || load<usize>(finlog) != o) return 3;
  clearglobal("sfmt");
  fullgc();
  luaC_setfinalizerhooks(0, 0);
  return 0;
}

/** Debt-driven incremental steps: cycles complete, garbage is freed, live data survives. */
export function t_incremental(rounds: i32): i32 {
  t_buildlive();
  fullgc();
  const c0 = gccycles;
  for (let i = 0; i < rounds; i++) {
    mktable(10, 10);
    const keep = getglobalobj("keep");
    sethvalue(TMPV, mktable(1, 1));          // a store into a (maybe black) live table
    tsetstr(keep, "fresh", TMPV);
    luaC_barrierback(mainthread, keep);
    luaC_checkGC(mainthread);
  }
  if (gccycles < c0 + 2) return 1;
  if (t_checklive() != 0) return 10 + t_checklive();
  const fresh = ltable.luaH_getstr(getglobalobj("keep"), str("fresh"));
  if (!ttistable(fresh) || ivalue(ltable.luaH_getint(hvalue(fresh), 1)) != 10) return 2;
  t_droplive();
  return 0;
}

/** collectgarbage("step"): n = 0 is one basic step; a huge n finishes the cycle at once. */
export function t_stepapi(): i32 {
  fullgc();
  let n = 0;
  while (!luaC_stepapi(mainthread, 0) && n < 100000) n++;
  if (n >= 100000) return 1;
  if (luaC_state() != S_PAUSE) return 2;
  luaC_runtil(mainthread, S_PROPAGATE);
  if (!luaC_stepapi(mainthread, 1000000)) return 3;
  if (!luaC_stepapi(mainthread, 1000000)) return 4;
  return 0;
}

// ==== tables with inline parts (object/table.ts luaH_newsized) ====

/**
 * Constructor-sized tables keep small parts in the header's block: the count grows by exactly the
 * header plus the parts; filling, growing past the inline parts (the array and the hash part move
 * to blocks of their own) and shrinking keep every entry; a table that survives a collection keeps
 * its contents; and once dropped, everything returns to the baseline (no inline part freed twice or
 * leaked). Returns 0 or the number of the failed check.
 */
export function t_inlinetables(): i32 {
  const L = mainthread;
  const names = ["ia", "ih", "im", "ib"];
  for (let i = 0; i < names.length; i++) { setbtvalue(TMPV); setglobal(names[i], TMPV); }   // G's keys exist before the baseline
  luaC_fullgc(L);
  const base = luaC_count();
  // {l, f()}: one array slot inline and one of room, into which OP_SETLIST grows it in place
  const a = ltable.luaH_newsized(1, 0);
  if (luaC_count() - base != <f64>(ltable.TABLE_SIZE + 32)) return 1;
  if (ltable.asize(a) != 1 || ltable.arrayptr(a) != a + ltable.TABLE_SIZE) return 2;
  setivalue(TMPV, 7); ltable.luaH_setint(a, 1, TMPV);
  ltable.luaH_resize(a, 2, 0);
  if (ltable.asize(a) != 2 || ltable.arrayptr(a) != a + ltable.TABLE_SIZE) return 10;
  if (luaC_count() - base != <f64>(ltable.TABLE_SIZE + 32)) return 11;
  if (ivalue(ltable.luaH_getint(a, 1)) != 7 || !ttisnil(ltable.luaH_getint(a, 2))) return 12;
  setglobalobj("ia", a);
  // {x=, y=}: two nodes inline; {1, 2, 3, x=}: both parts inline
  const h = ltable.luaH_newsized(0, 2);
  setglobalobj("ih", h);
  const m = ltable.luaH_newsized(3, 1);
  setglobalobj("im", m);
  // a big constructor: parts on their own
  const big = ltable.luaH_newsized(100, 40);
  setglobalobj("ib", big);
  if (ltable.arrayptr(big) - big < ltable.TABLE_SIZE + 256) return 3;
  for (let i = 1; i <= 2; i++) { setivalue(TMPV, i * 7); ltable.luaH_setint(a, i, TMPV); }
  setivalue(TMPV, 1); tsetstr(h, "x", TMPV);
  setivalue(TMPV, 2); tsetstr(h, "y", TMPV);
  for (let i = 1; i <= 3; i++) { setivalue(TMPV, i); ltable.luaH_setint(m, i, TMPV); }
  setivalue(TMPV, 4); tsetstr(m, "x", TMPV);
  if (!ttisinteger(ltable.luaH_getstr(h, str("y"))) || ivalue(ltable.luaH_getstr(h, str("y"))) != 2) return 4;
  luaC_fullgc(L);                                  // all four survive with their contents
  // grow past the inline parts: the array and the hash part move out
  for (let i = 3; i <= 40; i++) { setivalue(TMPV, i * 7); ltable.luaH_setint(a, i, TMPV); }
  for (let i = 0; i < 20; i++) { setivalue(TMPV, i); tsetstr(h, "k" + i.toString(), TMPV); }
  for (let i = 0; i < 10; i++) { setivalue(TMPV, i); tsetstr(m, "m" + i.toString(), TMPV); }
  if (ltable.arrayptr(a) == a + ltable.TABLE_SIZE) return 5;
  luaC_fullgc(L);
  for (let i = 1; i <= 40; i++) {
    const v = ltable.luaH_getint(a, i);
    if (!ttisinteger(v) || ivalue(v) != i * 7) return 6;
  }
  if (ivalue(ltable.luaH_getstr(h, str("x"))) != 1 || ivalue(ltable.luaH_getstr(h, str("k19"))) != 19) return 7;
  if (ivalue(ltable.luaH_getint(m, 3)) != 3 || ivalue(ltable.luaH_getstr(m, str("x"))) != 4) return 8;
  // shrink: resize to nothing (parts freed, inline bytes kept until the table goes)
  ltable.luaH_resize(m, 0, 0);
  ltable.luaH_resize(h, 0, 0);
  luaC_fullgc(L);
  // an inline table that becomes garbage right away, many times
  for (let r = 0; r < 200; r++) {
    const t = ltable.luaH_newsized(<u32>(r % 5), <u32>(r % 3));
    if ((r & 1) == 0) { setivalue(TMPV, r); ltable.luaH_setint(t, 50, TMPV); }   // hash grows
  }
  for (let i = 0; i < names.length; i++) { setbtvalue(TMPV); setglobal(names[i], TMPV); }
  luaC_fullgc(L);
  if (luaC_count() != base) return 9;
  return 0;
}

/**
 * The debt is net allocation, as PUC's GCdebt: a block freed or shrunk outside the collector gives
 * its bytes back (a table's old array after a resize), so growing a table does not count both
 * arrays. Returns 0 or the number of the failed check.
 */
export function t_netdebt(): i32 {
  gcstop();                                   // no step resets the debt meanwhile
  const d0 = gcdebt;
  const p = luaM_alloc(1000);
  if (gcdebt - d0 != 1000) return 1;
  const q = luaM_realloc(p, 1000, 3000);
  if (gcdebt - d0 != 3000) return 2;
  const r = luaM_realloc(q, 3000, 500);
  if (gcdebt - d0 != 500) return 3;
  luaM_free(r, 500);
  if (gcdebt != d0) return 4;
  gcrestart();
  return 0;
}

/**
 * The intern table does not shrink at the end of an incremental cycle only to grow again in the
 * next: a live heap of tables with few strings, and a mutator whose short strings die many times
 * over per cycle (bench/gc-pause.mjs's shape). Counts the table's resizes over cycles 3 to 8 of
 * debt-driven collection (each one a rehash of every string, a long pause); returns that count.
 */
export function t_strtsteady(): i32 {
  const L = mainthread;
  luaC_fullgc(L);
  const big = ltable.luaH_newsized(0, 0);
  setglobalobj("steadylive", big);
  ltable.luaH_resize(big, 60000, 0);                 // ~1 MB of live array, no strings
  for (let i = 1; i <= 60000; i++) { setivalue(TMPV, i); ltable.luaH_setint(big, i, TMPV); }
  luaC_fullgc(L);
  const c0 = gccycles;
  let resizes = 0, size = strtsz(), i = 0;
  while (gccycles < c0 + 8 && i < 5000000) {
    str("garbage-string-" + i.toString());
    i++;
    luaC_checkGC(L);
    if (strtsz() != size) { size = strtsz(); if (gccycles >= c0 + 2) resizes++; }
  }
  clearglobal("steadylive");
  luaC_fullgc(L);
  return gccycles >= c0 + 8 ? resizes : -1;
}
