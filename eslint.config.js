// eslint.config.js - ESLint for the TypeScript host (host/), the tests and tools (spec/, bench/,
// scripts/, bin/) and the root configs: ESLint's and typescript-eslint's recommended rules (not the
// type-checked set: `npm run typecheck` runs tsc separately). Formatting belongs to Prettier
// (.prettierrc.json), so no stylistic rule is enabled here. `npm run lint` runs this, then
// `prettier --check`.
// Invariant: the AssemblyScript files under spec/ (test entries compiled by asc, like assembly/) are
// ignored here and in .prettierignore; they use AS decorators and types that neither tool parses.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      "assembly/**",
      "build/**",
      "dist/**",
      "bench/results/**",
      "spec/fixtures/**",
      // AssemblyScript entries compiled by asc (the same list is in .prettierignore)
      "spec/code/harness.ts",
      "spec/unit/debug-harness.ts",
      "spec/unit/gc-unit.ts",
      "spec/unit/leaks-entry.ts",
      "spec/unit/number.ts",
      "spec/aspect/*.spec.ts",
    ],
  },
  {
    files: ["**/*.{ts,mts,js,mjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    // an eslint-disable comment that no longer suppresses anything fails the run
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
    rules: {
      // `_`-prefixed names mark a parameter or binding kept for its position (a callback's signature,
      // a destructured tuple); anything else unused is dead code.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // host/ runs in Node and in browsers (IndexedDB storage, fetch of the wasm); so do the bundler test
    // app and the playground page (web/).
    files: [
      "host/**/*.ts",
      "spec/browser/**/*.mjs",
      "spec/bundlers/**/*.{mjs,js}",
      "web/**/*.ts",
      "spec/playground/**/*.mjs",
    ],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    // the executables are CommonJS (bin/package.json: no ES module loader at start)
    files: ["bin/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
