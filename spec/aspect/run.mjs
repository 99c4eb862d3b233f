// run.mjs - the as-pect unit tests (spec/aspect/*.spec.ts, as-pect 8.1): each spec file is compiled
// by as-pect with spec/aspect/as-pect.asconfig.json from the working tree's assembly/ sources and
// run; the per-file "Pass: N / M" lines of as-pect's summary reporter are summed into the closing
// line "N passed, N failed" that scripts/test.mjs adds up.
//   node spec/aspect/run.mjs [--test REGEX] [--group REGEX]   (passed on to as-pect)
// Invariant: a spec file that does not compile, or a run that ends without a summary for every file,
// counts as a failure, never as a pass.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const ASP = join(ROOT, "node_modules", ".bin", "asp");

if (!existsSync(ASP)) {
  console.log(`${ASP} not found: run npm ci (@as-pect/cli is a devDependency)`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const specs = readdirSync(HERE).filter((f) => f.endsWith(".spec.ts"));
const r = spawnSync(
  ASP,
  [
    "--config",
    "spec/aspect/as-pect.config.js",
    "--as-config",
    "spec/aspect/as-pect.asconfig.json",
    "--no-logo",
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 },
);
const out = (r.stdout ?? "") + (r.stderr ?? "");
// eslint-disable-next-line no-control-regex
const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
// as-pect prints the whole module text when a file fails to compile: show the errors only
process.stdout.write(
  plain
    .split("\n")
    .filter((l) => !/^\s*\(|^\s{2,}[a-z]/.test(l))
    .join("\n"),
);
let passed = 0;
let failed = 0;
let files = 0;
for (const m of plain.matchAll(/^[✔✖❌] (\S+\.spec\.ts)\s+Pass: (\d+) \/ (\d+)/gm)) {
  files++;
  passed += Number(m[2]);
  failed += Number(m[3]) - Number(m[2]);
}
if (files < specs.length || r.status !== 0) {
  const missing = Math.max(specs.length - files, 1);
  console.log(`\nas-pect: exit ${r.status}, ${files} of ${specs.length} spec files reported`);
  if (failed === 0 || files < specs.length) failed += missing;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
