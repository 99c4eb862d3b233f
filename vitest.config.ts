// vitest.config.ts - host tests (spec/host/*.test.ts): the engine API, codec and CLI, run against the
// built module (build/lua.wasm) and, for the CLI, the compiled dist/ (both made by `npm run build`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["spec/host/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
