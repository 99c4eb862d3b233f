// fengari.d.ts - the little of fengari's untyped API that bench/peers.ts and bench/boundary.ts use,
// typed as they call it (fengari ships no types). A lua_State is opaque to the caller.
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
      LUA_REGISTRYINDEX: number;
      lua_settop(L: LuaState, idx: number): void;
      lua_pushinteger(L: LuaState, n: number): void;
      lua_tointeger(L: LuaState, idx: number): number;
      lua_tonumber(L: LuaState, idx: number): number;
      lua_rawgeti(L: LuaState, idx: number, n: number): number;
    };
    lauxlib: {
      luaL_newstate(): LuaState;
      luaL_dostring(L: LuaState, s: Uint8Array): number;
      luaL_loadbuffer(L: LuaState, buff: Uint8Array, size: number | null, name: Uint8Array): number;
      luaL_loadstring(L: LuaState, s: Uint8Array): number;
      luaL_ref(L: LuaState, t: number): number;
    };
    lualib: { luaL_openlibs(L: LuaState): void };
    to_luastring(s: string): Uint8Array;
  };
  export default fengari;
}
