// scope.ts - compile-time state of functions and blocks: FuncState, active locals, upvalue search,
// pending gotos and visible labels (the FuncState/Dyndata half of lparser.c).
// Invariant: `dyd.actvar[fs.firstlocal + i]` describes the i-th active local of `fs` for
// i < fs.nactvar; registers below luaY_nvarstack(fs) hold locals, those from there to fs.freereg
// hold temporaries. These are scratch (managed) objects living only while one chunk compiles.

import { LexState, msg_begin, luaX_syntaxerror_msg, haserror } from "./lexer";
import { buf_addstr, buf_addbytes, buf_addint } from "../mem/buffer";
import { getstr, tsslen } from "../object/string";
import { LUA_VNIL } from "../object/value";
import { OP } from "../vm/opcodes";
import { luaK_codeABC, luaK_patchlist, luaK_getlabel } from "./code";

// ==== Kinds of variables (lparser.h) ====
export const VDKREG: i32 = 0;      // regular
export const RDKCONST: i32 = 1;    // read-only
export const RDKTOCLOSE: i32 = 2;  // to-be-closed
export const RDKCTC: i32 = 3;      // compile-time constant

/** A constant value: a K entry or the value of a compile-time constant local. */
export class KValue {
  tt: i32 = LUA_VNIL;   // variant tag (LUA_VNIL, LUA_VFALSE, LUA_VTRUE, LUA_VNUMINT, LUA_VNUMFLT, string tags)
  i: i64 = 0;
  n: f64 = 0;
  s: usize = 0;         // TString
  set(o: KValue): void { this.tt = o.tt; this.i = o.i; this.n = o.n; this.s = o.s; }
}

export class Vardesc {
  kind: i32 = VDKREG;
  ridx: i32 = 0;        // register holding the variable
  pidx: i32 = 0;        // index in the function's locvars
  name: usize = 0;      // TString
  k: KValue = new KValue();
}

export class Labeldesc {
  name: usize = 0;      // TString
  pc: i32 = 0;
  line: i32 = 0;
  nactvar: i32 = 0;
  close: i32 = 0;
}

export class Upvaldesc {
  name: usize = 0;
  instack: i32 = 0;
  idx: i32 = 0;
  kind: i32 = 0;
}

export class LocVarDesc {
  name: usize = 0;
  startpc: i32 = 0;
  endpc: i32 = 0;
}

export class BlockCnt {
  previous: BlockCnt | null = null;
  firstlabel: i32 = 0;
  firstgoto: i32 = 0;
  nactvar: i32 = 0;
  upval: bool = false;
  isloop: bool = false;
  insidetbc: bool = false;
}

/** Dynamic structures shared by all functions of a chunk (Dyndata). */
export class Dyndata {
  actvar: Array<Vardesc> = new Array<Vardesc>();   // entries past nvar stay readable, as PUC's
  nvar: i32 = 0;                                     // number of entries in use (actvar.n)
  gt: Array<Labeldesc> = new Array<Labeldesc>();
  label: Array<Labeldesc> = new Array<Labeldesc>();
  kcache: Map<string, i32> = new Map<string, i32>();   // scanner-table role: constant → last K index
  breakname: usize = 0;                                  // "break"
}

export class FuncState {
  prev: FuncState | null = null;
  ls: LexState;
  dyd: Dyndata;
  bl: BlockCnt | null = null;
  // the prototype under construction
  code: Array<u32> = new Array<u32>();
  lineinfo: Array<i32> = new Array<i32>();
  k: Array<KValue> = new Array<KValue>();
  p: Array<usize> = new Array<usize>();
  upvalues: Array<Upvaldesc> = new Array<Upvaldesc>();
  locvars: Array<LocVarDesc> = new Array<LocVarDesc>();
  numparams: i32 = 0;
  is_vararg: bool = false;
  maxstacksize: i32 = 2;      // registers 0/1 are always valid
  linedefined: i32 = 0;
  lastlinedefined: i32 = 0;
  // generation state
  pc: i32 = 0;
  lasttarget: i32 = 0;
  firstlocal: i32 = 0;
  firstlabel: i32 = 0;
  nactvar: i32 = 0;
  freereg: i32 = 0;
  needclose: bool = false;
  constructor(ls: LexState, dyd: Dyndata) { this.ls = ls; this.dyd = dyd; }
}

// ==== Errors with formatted messages ====

function addts(ls: LexState, ts: usize): void {
  let n = tsslen(ts);
  const p = getstr(ts);
  for (let i = 0; i < n; i++) if (load<u8>(p + <usize>i) == 0) { n = i; break; }   // "%s"
  buf_addbytes(ls.msg, p, n);
}

/** Semantic error: message without "near <token>" (luaK_semerror). */
export function semerror_msg(ls: LexState): void {
  ls.t.token = 0;
  luaX_syntaxerror_msg(ls);
}

/** "too many <what> (limit is N) in <function>" (errorlimit). */
export function errorlimit(fs: FuncState, limit: i32, what: string): void {
  const ls = fs.ls;
  if (!msg_begin(ls)) return;
  buf_addstr(ls.msg, "too many "); buf_addstr(ls.msg, what);
  buf_addstr(ls.msg, " (limit is "); buf_addint(ls.msg, limit); buf_addstr(ls.msg, ") in ");
  if (fs.linedefined == 0) buf_addstr(ls.msg, "main function");
  else { buf_addstr(ls.msg, "function at line "); buf_addint(ls.msg, fs.linedefined); }
  luaX_syntaxerror_msg(ls);
}

export function checklimit(fs: FuncState, v: i32, l: i32, what: string): bool {
  if (v > l) { errorlimit(fs, l, what); return false; }
  return true;
}

// ==== Local variables ====

/** Local variable descriptor of the vidx-th active local of fs (getlocalvardesc). */
export function getlocalvardesc(fs: FuncState, vidx: i32): Vardesc {
  const a = fs.dyd.actvar;
  const i = fs.firstlocal + vidx;
  if (i < 0 || i >= a.length) return new Vardesc();   // only after an error
  return unchecked(a[i]);
}

/** Register level of the first nvar locals: 1 + register of the last one not a compile-time constant. */
export function reglevel(fs: FuncState, nvar: i32): i32 {
  while (nvar-- > 0) {
    const vd = getlocalvardesc(fs, nvar);
    if (vd.kind != RDKCTC) return vd.ridx + 1;
  }
  return 0;
}

/** Number of registers used by active locals (luaY_nvarstack). */
export function luaY_nvarstack(fs: FuncState): i32 { return reglevel(fs, fs.nactvar); }

function registerlocalvar(fs: FuncState, varname: usize): i32 {
  const lv = new LocVarDesc();
  lv.name = varname;
  lv.startpc = fs.pc;
  fs.locvars.push(lv);
  return fs.locvars.length - 1;
}

/** Declares a new local (not yet active); returns its index relative to fs.firstlocal. */
export function new_localvar(ls: LexState, fs: FuncState, name: usize): i32 {
  const dyd = fs.dyd;
  checklimit(fs, dyd.nvar + 1 - fs.firstlocal, 200, "local variables");
  const v = new Vardesc();
  v.name = name;
  if (dyd.nvar < dyd.actvar.length) dyd.actvar[dyd.nvar] = v;
  else dyd.actvar.push(v);
  dyd.nvar++;
  return dyd.nvar - 1 - fs.firstlocal;
}

/** Debug info of an active local, or null for compile-time constants (localdebuginfo). */
export function localdebuginfo(fs: FuncState, vidx: i32): LocVarDesc | null {
  const vd = getlocalvardesc(fs, vidx);
  if (vd.kind == RDKCTC) return null;
  const idx = vd.pidx;
  if (idx < 0 || idx >= fs.locvars.length) return null;
  return unchecked(fs.locvars[idx]);
}

/** Activates the next nvars declared locals (adjustlocalvars). */
export function adjustlocalvars(fs: FuncState, nvars: i32): void {
  let level = luaY_nvarstack(fs);
  for (let i = 0; i < nvars; i++) {
    const vidx = fs.nactvar++;
    const v = getlocalvardesc(fs, vidx);
    v.ridx = level++;
    v.pidx = registerlocalvar(fs, v.name);
  }
}

export function removevars(fs: FuncState, tolevel: i32): void {
  const dyd = fs.dyd;
  dyd.nvar -= fs.nactvar - tolevel;
  if (dyd.nvar < 0) dyd.nvar = 0;
  while (fs.nactvar > tolevel) {
    const lv = localdebuginfo(fs, --fs.nactvar);
    if (lv) lv.endpc = fs.pc;
  }
}

// ==== Upvalues ====

export function searchupvalue(fs: FuncState, name: usize): i32 {
  const u = fs.upvalues;
  for (let i = 0, n = u.length; i < n; i++) if (unchecked(u[i]).name == name) return i;
  return -1;
}

export function allocupvalue(fs: FuncState): Upvaldesc {
  checklimit(fs, fs.upvalues.length + 1, 255, "upvalues");
  const u = new Upvaldesc();
  fs.upvalues.push(u);
  return u;
}

/** Marks the block where local `level` was declared as having an upvalue (markupval). */
export function markupval(fs: FuncState, level: i32): void {
  let bl = fs.bl;
  while (bl && bl.nactvar > level) bl = bl.previous;
  if (bl) bl.upval = true;
  fs.needclose = true;
}

export function marktobeclosed(fs: FuncState): void {
  const bl = fs.bl;
  if (bl) { bl.upval = true; bl.insidetbc = true; }
  fs.needclose = true;
}

// ==== Labels and gotos ====

function newlabelentry(fs: FuncState, l: Array<Labeldesc>, name: usize, line: i32, pc: i32): i32 {
  const d = new Labeldesc();
  d.name = name; d.line = line; d.nactvar = fs.nactvar; d.close = 0; d.pc = pc;
  l.push(d);
  return l.length - 1;
}

export function newgotoentry(fs: FuncState, name: usize, line: i32, pc: i32): i32 {
  return newlabelentry(fs, fs.dyd.gt, name, line, pc);
}

/** The label `name` visible in the current function, or null (findlabel). */
export function findlabel(fs: FuncState, name: usize): Labeldesc | null {
  const a = fs.dyd.label;
  for (let i = fs.firstlabel; i < a.length; i++) if (unchecked(a[i]).name == name) return unchecked(a[i]);
  return null;
}

function jumpscopeerror(fs: FuncState, gt: Labeldesc): void {
  const ls = fs.ls;
  if (!msg_begin(ls)) return;
  buf_addstr(ls.msg, "<goto "); addts(ls, gt.name); buf_addstr(ls.msg, "> at line ");
  buf_addint(ls.msg, gt.line); buf_addstr(ls.msg, " jumps into the scope of local '");
  addts(ls, getlocalvardesc(fs, gt.nactvar).name); buf_addstr(ls.msg, "'");
  semerror_msg(ls);
}

/** Resolves pending goto g to `label` and removes it from the list (solvegoto). */
function solvegoto(fs: FuncState, g: i32, label: Labeldesc): void {
  const gl = fs.dyd.gt;
  const gt = gl[g];
  if (gt.nactvar < label.nactvar) { jumpscopeerror(fs, gt); }
  luaK_patchlist(fs, gt.pc, label.pc);
  gl.splice(g, 1);
}

/** Solves the pending gotos of the current block to label `lb`; true if some needs a close. */
function solvegotos(fs: FuncState, lb: Labeldesc): bool {
  const gl = fs.dyd.gt;
  let i = fs.bl ? fs.bl!.firstgoto : 0;
  let needsclose = false;
  while (i < gl.length && !haserror(fs.ls)) {
    if (unchecked(gl[i]).name == lb.name) {
      needsclose = needsclose || unchecked(gl[i]).close != 0;
      solvegoto(fs, i, lb);
    } else i++;
  }
  return needsclose;
}

/** Creates a label at the current pc; `last` when it is the last statement of its block. */
export function createlabel(fs: FuncState, name: usize, line: i32, last: bool): bool {
  const ll = fs.dyd.label;
  const l = newlabelentry(fs, ll, name, line, luaK_getlabel(fs));
  if (last && fs.bl) ll[l].nactvar = fs.bl!.nactvar;   // locals are already out of scope
  if (solvegotos(fs, ll[l])) {
    luaK_codeABC(fs, OP.CLOSE, luaY_nvarstack(fs), 0, 0);
    return true;
  }
  return false;
}

/** Moves the pending gotos of a closing block out to the enclosing one (movegotosout). */
function movegotosout(fs: FuncState, bl: BlockCnt): void {
  const gl = fs.dyd.gt;
  for (let i = bl.firstgoto; i < gl.length; i++) {
    const gt = unchecked(gl[i]);
    if (reglevel(fs, gt.nactvar) > reglevel(fs, bl.nactvar)) gt.close |= bl.upval ? 1 : 0;
    gt.nactvar = bl.nactvar;
  }
}

function undefgoto(fs: FuncState, gt: Labeldesc): void {
  const ls = fs.ls;
  if (!msg_begin(ls)) return;
  if (gt.name == fs.dyd.breakname) {
    buf_addstr(ls.msg, "break outside loop at line "); buf_addint(ls.msg, gt.line);
  } else {
    buf_addstr(ls.msg, "no visible label '"); addts(ls, gt.name);
    buf_addstr(ls.msg, "' for <goto> at line "); buf_addint(ls.msg, gt.line);
  }
  semerror_msg(ls);
}

// ==== Blocks ====

export function enterblock(fs: FuncState, bl: BlockCnt, isloop: bool): void {
  bl.isloop = isloop;
  bl.nactvar = fs.nactvar;
  bl.firstlabel = fs.dyd.label.length;
  bl.firstgoto = fs.dyd.gt.length;
  bl.upval = false;
  bl.insidetbc = fs.bl != null && fs.bl!.insidetbc;
  bl.previous = fs.bl;
  fs.bl = bl;
}

export function leaveblock(fs: FuncState): void {
  const bl = fs.bl;
  if (!bl) return;
  const dyd = fs.dyd;
  let hasclose = false;
  const stklevel = reglevel(fs, bl.nactvar);      // level outside the block
  removevars(fs, bl.nactvar);                     // first (5.4.8): a break's CLOSE is at the outer level
  if (bl.isloop) hasclose = createlabel(fs, dyd.breakname, 0, false);   // fix pending breaks
  if (!hasclose && bl.previous && bl.upval) luaK_codeABC(fs, OP.CLOSE, stklevel, 0, 0);
  fs.bl = bl.previous;
  fs.freereg = stklevel;
  if (bl.firstlabel <= dyd.label.length) dyd.label.length = bl.firstlabel;   // drop local labels
  if (bl.previous) movegotosout(fs, bl);
  else if (bl.firstgoto < dyd.gt.length) undefgoto(fs, dyd.gt[bl.firstgoto]);
}
