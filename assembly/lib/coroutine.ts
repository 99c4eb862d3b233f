// coroutine.ts - the coroutine library: create, resume, yield, status, wrap, isyieldable, running,
// close (lcorolib.c). The mechanics live in vm/coro.ts; yield is recognised by luaD_precall.

import {
  TVALUE_SIZE, LUA_TFUNCTION, ttisthread, ttisstring, thvalue, tsvalue, setobj, setthvalue, setsvalue, ttisfunction,
} from "../object/value";
import { luaS_newlstr, getstr, tsslen } from "../object/string";
import { Buffer, buf_new, buf_free, buf_addbytes, buf_addstr } from "../mem/buffer";
import {
  L_top, L_settop, L_ci, L_baseci, L_status, L_stack, mainthread, luaE_newthread, yieldable,
  ERR, OK, LUA_OK, LUA_YIELD, errobj, hasstack, luaD_growstack,
} from "../vm/state";
import { setyieldfn, luaD_yieldk, isawaiting, asyncroot } from "../vm/call";
import { budget_check } from "../vm/budget";
import { luaD_resume, resume_nres, isresumable, luaE_closethread } from "../vm/coro";
import { luaG_errormsg, luaG_addwhere } from "../vm/debug";
import {
  index2value, lua_gettop, lua_pushboolean, lua_pushliteral, lua_pushtvalue, lua_pushcclosure,
  lua_upvalueindex, lua_CFunction, lua_checkstack, lua_createtable, lua_pushcfunction, lua_rawsetfield,
  incr_top,
} from "../vm/api";
import { argfail, luaL_checktype, luaL_typeerror, luaL_error, luaL_argerror, luaL_errorb, msgbuf } from "./aux";
import { regnative, regcheck } from "./natives";
import { cl_nupvalues, ccl_upvalue } from "../object/func";
import { ttisthread } from "../object/value";

/** The coroutine at argument 1 (getco); 0 after raising an error. */
function getco(L: usize): usize {
  const o = index2value(L, 1);
  if (!ttisthread(o)) { luaL_typeerror(L, 1, "coroutine"); return 0; }
  return thvalue(o);
}

/** Pushes a new thread object for `co` on L. */
function pushthread(L: usize, co: usize): void { setthvalue(L_top(L), co); incr_top(L); }

function luaB_cocreate(L: usize): i32 {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (argfail) return ERR;
  const co = luaE_newthread();
  pushthread(L, co);                                // anchor the new thread before anything else
  setobj(L_top(co), index2value(L, 1));             // the body goes in the coroutine's slot 1
  L_settop(co, L_top(co) + TVALUE_SIZE);
  return 1;
}

/** auxresume's result when co suspended the async call (vm/call.ts "Awaiting"): L must suspend too. */
// @ts-ignore: decorator
@inline const AWAITING: i32 = -2;

/**
 * Resumes co with the top `narg` values of L (auxresume). Returns the number of results pushed on
 * L, -1 with the error value pushed on L (and in errobj), or AWAITING.
 */
function auxresume(L: usize, co: usize, narg: i32): i32 {
  if (!isresumable(co)) {
    const msg = (L_status(co) == <u8>LUA_OK && L_ci(co) != L_baseci(co)) || isawaiting(co)
      ? "cannot resume non-suspended coroutine"
      : (co == L ? "cannot resume non-suspended coroutine" : "cannot resume dead coroutine");
    lua_pushliteral(L, msg);
    return -1;
  }
  if (!lua_checkstackco(co, narg)) { lua_pushliteral(L, "too many arguments to resume"); return -1; }
  // move the arguments from L to co
  const src = L_top(L) - (<usize>narg << 4);
  for (let i = 0; i < narg; i++) setobj(L_top(co) + (<usize>i << 4), src + (<usize>i << 4));
  L_settop(co, L_top(co) + (<usize>narg << 4));
  L_settop(L, src);
  return afterresume(L, co, luaD_resume(L, co, narg));
}

/** The outcome of resuming co (status st) as auxresume returns it. */
function afterresume(L: usize, co: usize, st: i32): i32 {
  if (st == LUA_YIELD && isawaiting(co)) return AWAITING;
  if (st == LUA_OK || st == LUA_YIELD) {
    const nres = resume_nres;
    if (!lua_checkstack(L, nres + 1)) {
      L_settop(co, L_top(co) - (<usize>nres << 4));
      lua_pushliteral(L, "too many results to resume");
      return -1;
    }
    const from = L_top(co) - (<usize>nres << 4);
    for (let i = 0; i < nres; i++) setobj(L_top(L) + (<usize>i << 4), from + (<usize>i << 4));
    L_settop(L, L_top(L) + (<usize>nres << 4));
    L_settop(co, from);
    return nres;
  }
  lua_pushtvalue(L, errobj);                        // error value (also kept on co's stack)
  return -1;
}

/**
 * Continues co after the async call it suspended resumed (the continuation of coroutine.resume and
 * of wrap's function). A call that was stopped meanwhile (budget, interrupt, abort) is stopped here
 * too, whatever co did: the stop is not an error a resume can report.
 */
function resumeawaiting(L: usize, co: usize): i32 {
  if (!isawaiting(co)) { lua_pushliteral(L, "cannot resume dead coroutine"); return -1; }
  const r = afterresume(L, co, luaD_resume(L, co, 0));
  if (r == -1 && budget_check() != OK) return -3;
  return r;
}

function lua_checkstackco(co: usize, n: i32): bool {
  if (hasstack(co, n)) return true;
  return luaD_growstack(co, n);
}

function luaB_coresume(L: usize): i32 {
  const co = getco(L);
  if (argfail) return ERR;
  return coresumed(L, co, auxresume(L, co, lua_gettop(L) - 1));
}

/** coroutine.resume's continuation after an await inside co (vm/call.ts "Awaiting"). */
function coresume_k(L: usize): i32 {
  const co = thvalue(index2value(L, 1));
  return coresumed(L, co, resumeawaiting(L, co));
}

/** coroutine.resume's results for auxresume's r: true + results, or false + error. */
function coresumed(L: usize, co: usize, r: i32): i32 {
  if (r == AWAITING) return luaD_yieldk(L, coresume_k);
  if (r == -3) return ERR;
  if (r < 0) {
    lua_pushboolean(L, false);
    lua_insertbelow(L);
    return 2;
  }
  // true + results: insert true below the results
  const first = L_top(L) - (<usize>r << 4);
  for (let p = L_top(L); p > first; p -= TVALUE_SIZE) setobj(p, p - TVALUE_SIZE);
  L_settop(L, L_top(L) + TVALUE_SIZE);
  setbool(first, true);
  return r + 1;
}
import { setbvalue } from "../object/value";
function setbool(o: usize, b: bool): void { setbvalue(o, b); }
/** Swaps the two top values (puts the just-pushed boolean below the error value). */
function lua_insertbelow(L: usize): void {
  const a = L_top(L) - 2 * TVALUE_SIZE, b = L_top(L) - TVALUE_SIZE;
  const tmp = memory.data(16);
  setobj(tmp, a); setobj(a, b); setobj(b, tmp);
}

/** A restored wrap function must hold its coroutine (lib/natives.ts regcheck). */
function checkwrap(cl: usize): string {
  return cl_nupvalues(cl) == 1 && ttisthread(ccl_upvalue(cl, 0)) ? "" : "bad coroutine.wrap function";
}

/** The function made by coroutine.wrap (auxwrap). */
function auxwrap(L: usize): i32 {
  const co = thvalue(index2value(L, lua_upvalueindex(1)));
  return wrapped(L, co, auxresume(L, co, lua_gettop(L)));
}

/** The continuation of wrap's function after an await inside its coroutine. */
function auxwrap_k(L: usize): i32 {
  const co = thvalue(index2value(L, lua_upvalueindex(1)));
  return wrapped(L, co, resumeawaiting(L, co));
}

/** wrap's function's results for auxresume's r: the results, or the error raised again. */
function wrapped(L: usize, co: usize, r: i32): i32 {
  if (r == AWAITING) return luaD_yieldk(L, auxwrap_k);
  if (r == -3) return ERR;
  if (r >= 0) return r;
  // error: close the dead coroutine's pending variables, then propagate with position info
  const errv = L_top(L) - TVALUE_SIZE;
  if (L_status(co) != <u8>LUA_OK && L_status(co) != <u8>LUA_YIELD) {
    luaE_closethread(L, co);
    setobj(errv, errobj);
  }
  if (ttisstring(errv)) {
    const b = buf_new();
    luaG_addwhere(L, 1, b);
    buf_addbytes(b, getstr(tsvalue(errv)), tsslen(tsvalue(errv)));
    setsvalue(errobj, luaS_newlstr(b.ptr, b.len));
    buf_free(b);
  } else setobj(errobj, errv);
  return luaG_errormsg(L);
}

function luaB_cowrap(L: usize): i32 {
  if (luaB_cocreate(L) == ERR) return ERR;
  lua_pushcclosure(L, auxwrap, 1);
  return 1;
}

/** Never runs: luaD_precall suspends the coroutine instead (vm/call.ts precallyield). */
function luaB_yield(L: usize): i32 { return lua_gettop(L); }

/** Status name of co as seen from L (auxstatus). */
function costatus(L: usize, co: usize): string {
  if (L == co) return "running";
  if (isawaiting(co)) return "normal";              // in the middle of a suspended async call
  const st = L_status(co);
  if (st == <u8>LUA_YIELD) return "suspended";
  if (st != <u8>LUA_OK) return "dead";
  if (L_ci(co) != L_baseci(co)) return "normal";     // it resumed another coroutine
  return L_top(co) > L_stack(co) + TVALUE_SIZE ? "suspended" : "dead";
}

function luaB_costatus(L: usize): i32 {
  const co = getco(L);
  if (argfail) return ERR;
  lua_pushliteral(L, costatus(L, co));
  return 1;
}

function luaB_corunning(L: usize): i32 {
  pushthread(L, L);
  lua_pushboolean(L, L == mainthread || L == asyncroot);   // an async call's body is a main chunk
  return 2;
}

function luaB_yieldable(L: usize): i32 {
  const co = lua_gettop(L) == 0 || ttisnilarg(L) ? L : getco(L);
  if (argfail) return ERR;
  lua_pushboolean(L, co != mainthread && co != asyncroot && yieldable(co));
  return 1;
}
function ttisnilarg(L: usize): bool { return lua_gettop(L) >= 1 && !ttisthread(index2value(L, 1)) && false; }

function luaB_close(L: usize): i32 {
  const co = getco(L);
  if (argfail) return ERR;
  const status = costatus(L, co);
  if (status == "dead" || status == "suspended") {
    if (luaE_closethread(L, co) == OK) { lua_pushboolean(L, true); return 1; }
    lua_pushboolean(L, false);
    lua_pushtvalue(L, errobj);
    return 2;
  }
  const b = msgbuf();                               // no AS string concatenation: it allocates
  buf_addstr(b, "cannot close a "); buf_addstr(b, status); buf_addstr(b, " coroutine");
  return luaL_errorb(L, b);
}

export function luaopen_coroutine(L: usize): i32 {
  lua_createtable(L, 0, 8);
  const names = ["create", "resume", "running", "status", "wrap", "yield", "isyieldable", "close"];
  const fns: lua_CFunction[] = [luaB_cocreate, luaB_coresume, luaB_corunning, luaB_costatus, luaB_cowrap,
    luaB_yield, luaB_yieldable, luaB_close];
  for (let i = 0; i < names.length; i++) {
    lua_pushcfunction(L, fns[i]);
    lua_rawsetfield(L, -2, names[i]);
  }
  setyieldfn(<u32>changetype<usize>(fns[5]));
  regnative(auxwrap, "coroutine.wrap.fn");         // the function inside wrap's closures (lib/natives.ts)
  regcheck(auxwrap, checkwrap);
  return 1;
}

