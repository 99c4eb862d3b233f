// api.ts - the JIT's exports (docs/ABI.md "JIT"): the switch, the threshold and the stress mode.
// Turning the JIT on hands the compiler to the VM's tiering (vm/tier.ts), which compiles a prototype
// when its calls + loop back-edges pass the threshold. Invariant: with the JIT off nothing is
// compiled or entered, and code already compiled stays in its prototypes until they die.

import { luaV_setjit, luaV_setjitcompiler, jitdeopts, jitentries, jitdepthp } from "../vm/tier";
import { luaJ_compile } from "./compile";
import { luaJ_setstress } from "./emit";
import { slowcalls, helpercalls, returncalls } from "./helpers";

/**
 * JIT on (1) or off (0); `threshold` calls + back-edges before a prototype is compiled (0: at its
 * first call or loop; negative: unchanged); `stress` > 0 makes compiled code exit to the interpreter
 * every `stress` instructions (tests), 0 turns it off. Applies to code compiled afterwards.
 */
export function lua_setjit(on: i32, threshold: i32, stress: i32): void {
  luaV_setjitcompiler(luaJ_compile);
  luaJ_setstress(stress);
  luaV_setjit(on != 0, threshold);
}

/** Prototypes whose compiled code is no longer entered because its guards failed too often. */
export function lua_jitdeopts(): i32 { return jitdeopts; }

/**
 * A JIT counter since the instance started (tests, statistics): 0 prototypes deopted (as
 * lua_jitdeopts), 1 instructions compiled code handed to luaJ_op or luaJ_setfield (a fast
 * path's miss, or an instruction with no inline fast path), 2 calls it made through luaJ_call (not a direct
 * compiled-to-compiled call), 3 entries through vm/tier.ts luaV_jitenter (from the interpreter
 * and the helpers, not compiled code's direct calls), 4 the nesting depth of compiled frames
 * vm/tier.ts holds (jitdepthp; read from a host function that compiled code called: that caller's),
 * 5 returns it made through luaJ_return (not placed inline: calls.ts ret01, retn).
 */
export function lua_jitstat(what: i32): i32 {
  return what == 0 ? jitdeopts : what == 1 ? slowcalls : what == 2 ? helpercalls : what == 3 ? jitentries
    : what == 4 ? load<i32>(jitdepthp) : what == 5 ? returncalls : 0;
}
