// vitest.config.ts - host tests (spec/host/*.test.ts): the engine API, codec and CLI, run against the
// built module (build/lua.wasm) and, for the CLI, the compiled dist/ (both made by `npm run build`);
// tool tests (spec/tools/*.test.ts): the conformance runner and the benchmark CLI; unit tests
// (spec/unit/*.test.ts): number conversion/formatting against lua5.4 and the collector, each built
// from its own AssemblyScript entry.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["spec/host/**/*.test.ts", "spec/tools/**/*.test.ts", "spec/unit/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
