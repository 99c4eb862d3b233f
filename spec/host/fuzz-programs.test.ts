// fuzz-programs.test.ts - mutated spec programs (random cuts, splices and hostile insertions: deep
// recursion, yields, huge strings, infinite loops, hooks, division by zero...) run under small
// budgets: whatever happens must be a Lua error or a result, never an internal error (a wasm trap),
// and the state must still evaluate code afterwards. Deterministic (fixed seeds).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lua, LuaError } from "../../host/index.js";

const ROOT = new URL("../lua/", import.meta.url).pathname;
const files: string[] = [];
for (const area of readdirSync(ROOT).sort()) {
  for (const f of readdirSync(join(ROOT, area)).sort()) if (f.endsWith(".lua")) files.push(join(area, f));
}
const INSERTS = [
  " end ",
  " ( ",
  " ) ",
  "{",
  "}",
  " nil ",
  " 1e308 ",
  " -1 ",
  " ..",
  " # ",
  " not ",
  " local x <close> = ",
  " coroutine.yield() ",
  " error({}) ",
  " setmetatable({}, {__index = function(t,k) return t[k] end}) ",
  " string.rep('x', 1e7) ",
  " pcall(",
  " goto l ",
  " ::l:: ",
  " return ",
  " , ",
  "[[",
  "]]",
  " 0x7fffffffffffffff ",
  " // 0 ",
  " % 0 ",
  " collectgarbage() ",
  " while true do end ",
  " load(string.dump(print)) ",
];

function mutate(src: string, rnd: () => number): string {
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const pos = Math.floor(rnd() * src.length);
    const r = rnd();
    if (r < 0.4) src = src.slice(0, pos) + INSERTS[Math.floor(rnd() * INSERTS.length)] + src.slice(pos);
    else if (r < 0.7) src = src.slice(0, pos) + src.slice(pos + 1 + Math.floor(rnd() * 20));
    else {
      const p2 = Math.floor(rnd() * src.length);
      src = src.slice(0, pos) + src.slice(p2, p2 + 30) + src.slice(pos);
    }
  }
  return src;
}

describe("mutated programs", () => {
  for (const seed of [11, 12]) {
    it(`never trap and leave the state usable (seed ${seed}, 120 programs)`, async () => {
      let s = seed;
      const rnd = () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648;
      };
      const problems: string[] = [];
      for (let i = 0; i < 120; i++) {
        const file = files[Math.floor(rnd() * files.length)];
        const src = mutate(readFileSync(join(ROOT, file), "latin1"), rnd);
        const lua = await Lua.create({
          stdout: () => {},
          stderr: () => {},
          instructionLimit: 1_000_000,
          memoryLimit: 64 << 20,
        });
        try {
          lua.run(src, "@" + file);
        } catch (e) {
          if (!(e instanceof LuaError)) problems.push(`${file}: non-Lua error ${String(e)}`);
          else if (e.kind === "internal") problems.push(`${file}: internal error ${e.message}`);
        }
        lua.run("debug.sethook()"); // a script may leave a failing hook installed
        try {
          expect(lua.run("return 1 + 1")).toEqual([2]);
        } catch (e) {
          problems.push(`${file}: unusable after: ${String(e)}`);
        }
        lua.close();
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
