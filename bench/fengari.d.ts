// fengari.d.ts - the little of fengari's untyped API that bench/peers.ts uses.
declare module "fengari" {
  const fengari: {
    lua: Record<string, any>;
    lauxlib: Record<string, any>;
    lualib: Record<string, any>;
    to_luastring(s: string): Uint8Array;
  };
  export default fengari;
}
