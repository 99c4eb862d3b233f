// gc.vitest.config.ts - runs the collector unit test alone (the root config only includes spec/host):
// npx vitest run --config spec/unit/gc.vitest.config.ts
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["spec/unit/gc.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
