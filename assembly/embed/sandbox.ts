// sandbox.ts - the host option `sandbox`: removes from the state what reaches outside it (files,
// processes, the environment) and the debug library; `require` stays for the built-in modules. Done here with raw table operations rather than
// as Lua code, because it runs again after a restore (a snapshot taken without the sandbox brings those
// globals back) and a restored state's globals, metamethods and library tables are the snapshot's:
// nothing of theirs runs and no replaced `rawset` can defeat it.
// Invariant: never raises and never traps; a field that is absent or not in a plain table is skipped.

import { ttisnil, ttistable, hvalue, setsvalue, setnilvalue } from "../object/value";
import * as ltable from "../object/table";
import { luaS_new } from "../object/string";
import { mainthread, globaltable } from "../vm/state";
import { entry_open, entry_leave } from "./entry";

const keyslot: usize = memory.data(16);
const nilslot: usize = memory.data(16);

/** t[name] = nil, raw, when t holds the key (no new slot is ever made: nothing allocates but the name). */
function rawclear(t: usize, name: string): void {
  const k = luaS_new(name);
  if (ttisnil(ltable.luaH_getstr(t, k))) return;      // absent or already nil
  setsvalue(keyslot, k);
  setnilvalue(nilslot);
  ltable.luaH_set(t, keyslot, nilslot);
}

/** t[name] when it is a plain table (not a proxy, not another type), else 0. */
function rawtable(t: usize, name: string): usize {
  const v = ltable.luaH_getstr(t, luaS_new(name));
  return ttistable(v) ? hvalue(v) : 0;
}

function clearall(t: usize, names: string[]): void {
  if (t == 0) return;
  for (let i = 0; i < names.length; i++) rawclear(t, names[i]);
}

/** Applies the sandbox to the globals table (as an entry: between calls, after init or a restore). */
export function lua_sandbox(): void {
  const L = mainthread;
  const baseoff = entry_open(L);
  if (baseoff < 0) return;
  const G = globaltable;
  clearall(rawtable(G, "os"), ["execute", "exit", "getenv", "remove", "rename", "tmpname"]);
  clearall(rawtable(G, "io"), ["open", "lines", "popen", "input", "output", "tmpfile"]);
  // `require` stays: the sandbox's file system is "none" (host/engine.ts), so it finds only the
  // built-in modules of package.preload (require "bigint") and what package.loaded already holds
  clearall(G, ["dofile", "loadfile", "debug"]);
  const pkg = rawtable(G, "package");
  if (pkg != 0) clearall(rawtable(pkg, "loaded"), ["debug"]);
  entry_leave(L, baseoff);
}
