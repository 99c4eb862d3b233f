// gc.spec.ts - the collector's colour invariants through a tiny heap (gc/*): after a full cycle the
// survivors are white and nothing is gray or black; at the end of marking everything reachable is
// black and the garbage white; a store into a black table without its barrier breaks the invariant
// (checkinvariant aborts), and luaC_barrierback restores it by turning the table gray again, so the
// new object survives the cycle. Objects are built directly; no VM runs.
import { luaS_init, luaS_new } from "../../assembly/object/string";
import * as ltable from "../../assembly/object/table";
import { setsvalue, sethvalue, setthvalue, setivalue, setnilvalue, hvalue, ivalue } from "../../assembly/object/value";
import { luaE_newthread, setmainthread, setregistry, setglobaltable, mainthread } from "../../assembly/vm/state";
import {
  luaC_init, luaC_fullgc, luaC_runtil, luaC_state, luaC_barrierback, allgc, isdead, GCSpropagate,
  GCSenteratomic, GCSpause,
} from "../../assembly/gc/collect";
import { checkinvariant } from "../../assembly/gc/mark";
import { getnext, isblack, iswhite, isgray } from "../../assembly/object/header";

const K: usize = memory.data(16, 8);
const V: usize = memory.data(16, 8);
let G: usize = 0;
let holder: usize = 0;
let child: usize = 0;

function setglobal(name: string, t: usize): void {
  setsvalue(K, luaS_new(name));
  if (t == 0) setnilvalue(V); else sethvalue(V, t);
  ltable.luaH_set(G, K, V);
}
function inallgc(o: usize): bool {
  for (let p = allgc(); p != 0; p = getnext(p)) if (p == o) return true;
  return false;
}
function countcolours(): StaticArray<i32> {
  const c = new StaticArray<i32>(3);                        // white, gray, black
  for (let p = allgc(); p != 0; p = getnext(p)) {
    if (iswhite(p)) c[0]++; else if (isblack(p)) c[2]++; else if (isgray(p)) c[1]++;
  }
  return c;
}
/** Completes any cycle, starts a new one and marks: every reachable object black, nothing gray. */
function markall(): void {
  luaC_fullgc(mainthread);
  luaC_runtil(mainthread, GCSpropagate);
  luaC_runtil(mainthread, GCSenteratomic);
}

describe("colours through a tiny heap", () => {
  beforeAll(() => {
    luaS_init();
    const L = luaE_newthread();
    setmainthread(L);
    const r = ltable.luaH_new();
    setregistry(r);
    G = ltable.luaH_new();
    setglobaltable(G);
    setthvalue(V, L); ltable.luaH_setint(r, 1, V);
    sethvalue(V, G); ltable.luaH_setint(r, 2, V);
    luaC_init();
    luaC_fullgc(L);
  });

  it("leaves every survivor white, none gray or black, after a full cycle", () => {
    holder = ltable.luaH_new();
    setglobal("holder", holder);
    luaC_fullgc(mainthread);
    expect(luaC_state()).toBe(GCSpause);
    const c = countcolours();
    expect(c[1]).toBe(0);
    expect(c[2]).toBe(0);
    expect(iswhite(holder) && !isdead(holder)).toBe(true);
  });

  it("frees an unreachable table and keeps a reachable one", () => {
    const garbage = ltable.luaH_new();
    luaC_fullgc(mainthread);
    expect(inallgc(garbage)).toBe(false);
    expect(inallgc(holder)).toBe(true);
  });

  it("at the end of marking: reachable objects black, new garbage white, no gray left", () => {
    const garbage = ltable.luaH_new();
    markall();
    expect(isblack(holder)).toBe(true);
    expect(isblack(G)).toBe(true);
    expect(iswhite(garbage)).toBe(true);
    expect(isgray(mainthread)).toBe(true);                 // threads stay gray (grayagain) until atomic
    expect(countcolours()[1]).toBe(1);
    checkinvariant();                                      // aborts if a black object reaches a white one
    luaC_runtil(mainthread, GCSpause);
    expect(inallgc(garbage)).toBe(false);
  });

  it("after a store into a black table, the back barrier turns it gray and the new object survives", () => {
    markall();
    child = ltable.luaH_new();
    setivalue(V, 42); ltable.luaH_setint(child, 1, V);
    sethvalue(V, child); ltable.luaH_setint(holder, 1, V);
    luaC_barrierback(mainthread, holder);
    expect(isblack(holder)).toBe(false);
    expect(() => { checkinvariant(); }).not.toThrow();
    luaC_runtil(mainthread, GCSpause);
    expect(inallgc(child)).toBe(true);
    expect(hvalue(ltable.luaH_getint(holder, 1))).toBe(child);
    expect(ivalue(ltable.luaH_getint(child, 1))).toBe(42);
  });

  it("without the barrier, a black table refers to a white object and checkinvariant says so", () => {
    markall();
    child = ltable.luaH_new();                                // white, stored with no barrier
    sethvalue(V, child); ltable.luaH_setint(holder, 2, V);
    expect(isblack(holder) && iswhite(child)).toBe(true);
    expect(() => { checkinvariant(); }).toThrow();
  });
});
