// luaconf.ts - limits and build switches shared by every subsystem (luaconf.h/llimits.h role).
// Invariant: nothing here allocates or imports another module; every other file may import it.

/** Debug build: assertions and internal consistency checks (asconfig target "debug"). */
// @ts-ignore: decorator
@inline export const DEBUG: bool = isDefined(LUA_DEBUG);
/**
 * Stress build (asconfig target "stress"): a full collection at every GC safe point, and every
 * thread's stack moved at every collection and every stack check, so stale pointers into the heap
 * or the stack show up at once (llimits.h HARDMEMTESTS / HARDSTACKTESTS).
 */
// @ts-ignore: decorator
@inline export const STRESS: bool = isDefined(LUA_STRESS_GC);

/** Maximum number of value slots in one Lua stack ("stack overflow" beyond it). */
// @ts-ignore: decorator
@inline export const LUAI_MAXSTACK: i32 = 1000000;
/** Extra slots kept above every frame's top for metamethod calls and natives. */
// @ts-ignore: decorator
@inline export const EXTRA_STACK: i32 = 5;
/** Slots a native function may use without calling checkstack. */
// @ts-ignore: decorator
@inline export const LUA_MINSTACK: i32 = 20;
/** Initial stack size of a thread, in slots. */
// @ts-ignore: decorator
@inline export const BASIC_STACK_SIZE: i32 = 2 * LUA_MINSTACK;
/** Maximum nesting of native calls and parser recursion ("C stack overflow"). */
// @ts-ignore: decorator
@inline export const LUAI_MAXCCALLS: i32 = 200;
/** Strings up to this length are interned (short strings). */
// @ts-ignore: decorator
@inline export const LUAI_MAXSHORTLEN: i32 = 40;
/** Size of the static host IO buffer in bytes. */
// @ts-ignore: decorator
@inline export const IO_BUF_SIZE: i32 = 65536;
/** Maximum number of upvalues of one function, and of registers. */
// @ts-ignore: decorator
@inline export const MAXUPVAL: i32 = 255;
// @ts-ignore: decorator
@inline export const MAXREGS: i32 = 255;
/** Maximum number of variables in one multiple assignment / local function. */
// @ts-ignore: decorator
@inline export const LUAI_MAXVARS: i32 = 200;
/** Size of the buffer used for number → string conversion. */
// @ts-ignore: decorator
@inline export const MAXNUMBER2STR: i32 = 44;
/** Max length of a chunk id in messages ("[string \"...\"]"), as LUA_IDSIZE. */
// @ts-ignore: decorator
@inline export const LUA_IDSIZE: i32 = 60;
