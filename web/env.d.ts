// env.d.ts - module declarations for what esbuild loads besides TypeScript (web/build.mjs): Lua
// sources as text, the stylesheet for its side effect.

declare module "*.lua" {
  const source: string;
  export default source;
}

declare module "*.css";
