// fengari.d.ts - the little of fengari's untyped API that bench/peers.ts uses, typed as peers.ts
// calls it (fengari ships no types). A lua_State is opaque to the caller.
declare module "fengari" {
  type LuaState = { readonly __fengariState: unique symbol };
  const fengari: {
    lua: {
      LUA_OK: number;
      lua_tojsstring(L: LuaState, idx: number): string;
      lua_pop(L: LuaState, n: number): void;
      lua_pushjsfunction(L: LuaState, fn: (L: LuaState) => number): void;
      lua_setglobal(L: LuaState, name: Uint8Array): void;
      lua_getglobal(L: LuaState, name: Uint8Array): number;
      lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
      lua_close(L: LuaState): void;
    };
    lauxlib: {
      luaL_newstate(): LuaState;
      luaL_dostring(L: LuaState, s: Uint8Array): number;
      luaL_loadbuffer(L: LuaState, buff: Uint8Array, size: number | null, name: Uint8Array): number;
    };
    lualib: { luaL_openlibs(L: LuaState): void };
    to_luastring(s: string): Uint8Array;
  };
  export default fengari;
}
