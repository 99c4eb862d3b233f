#!/usr/bin/env node
// run.mjs - runs the conformance runner (spec/conformance.mjs) over this directory's self-checking Lua
// files, so `npm test` (scripts/test.mjs picks up every spec/<dir>/run.mjs) exercises the runner
// itself. Each file asserts and returns true; every one of them passes under `lua5.4 -e "_port=true
// _soft=true" FILE` run from this directory. Ends with the runner's "N passed, N failed" line.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../conformance.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
process.exitCode = await main([
  HERE,
  "--skip-list",
  join(HERE, "skip.json"),
  "--timeout",
  "60",
  ...process.argv.slice(2),
]);
