// Compile check / unit-test entry for assembly/vm/debug.ts (not part of the module).
import {
  namewhatstr, currentpc, getcurrentline, luaG_addwhere, luaG_funcname, luaG_errormsg, luaG_runerror,
  luaG_runerrorstr, luaG_typeerror, luaG_callerror, luaG_forerror, luaG_concaterror, luaG_opinterror,
  luaG_tointerror, luaG_ordererror, luaG_traceback, luaG_getfuncline, luaG_globalfuncname,
} from "../../assembly/vm/debug";
import { Buffer } from "../../assembly/mem/buffer";
export function t_all(L: usize, o: usize, p: usize, b: usize): i32 {
  const B = changetype<Buffer>(b);
  let r = namewhatstr(1).length + currentpc(o) + getcurrentline(o) + luaG_getfuncline(p, 0);
  luaG_addwhere(L, 1, B);
  r += luaG_funcname(L, o, B) + luaG_errormsg(L) + luaG_runerror(L, B) + luaG_runerrorstr(L, "x");
  r += luaG_typeerror(L, o, "index") + luaG_callerror(L, o) + luaG_forerror(L, o, "limit");
  r += luaG_concaterror(L, o, p) + luaG_opinterror(L, o, p, "x") + luaG_tointerror(L, o, p) + luaG_ordererror(L, o, p);
  luaG_traceback(L, L, 0, 1, B);
  if (luaG_globalfuncname(o, B)) r++;
  return r;
}
