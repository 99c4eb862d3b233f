// deterministic.test.ts - the `deterministic` option: the same code and inputs give the same outputs
// and the same instruction counts in every fresh instance; time, clock and math.random's seed come
// from the host; table.sort never draws on the clocks.
import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent } from "../../host/index.js";

const SCRIPT = `
  local out = {}
  local t = {}
  for i = 1, 3000 do t[i] = math.random(1, 1000000) end
  local cmp = 0
  table.sort(t, function(a, b) cmp = cmp + 1 return a < b end)
  out[#out + 1] = cmp
  local keys = {}
  local mixed = {10, 20, x = 1, y = 2, [3.5] = "f", [true] = "b", z = {}}
  for k in pairs(mixed) do keys[#keys + 1] = tostring(k) end
  out[#out + 1] = table.concat(keys, " ")
  out[#out + 1] = tostring({}) .. " " .. tostring(function() end) .. " " .. tostring(coroutine.create(print))
  out[#out + 1] = os.time() .. " " .. os.clock() .. " " .. os.date("!%Y-%m-%d %H:%M:%S")
  out[#out + 1] = math.random() .. " " .. math.random(1 << 40)
  collectgarbage()
  out[#out + 1] = tostring({}) .. " " .. collectgarbage("count")
  return table.concat(out, "\\n")`;

async function run(options: ConstructorParameters<typeof LuaPersistent>[0]): Promise<string> {
  const lua = new LuaPersistent(options);
  await lua.load();
  expect(lua.init()).toBe(true);
  const r = lua.eval(SCRIPT);
  if (r === null) throw new Error(lua.getLastError()!);
  return r.value as string;
}

/** The smallest instruction limit under which `code` succeeds in a fresh deterministic instance. */
async function instructionCount(code: string): Promise<number> {
  let lo = 1,
    hi = 1 << 24;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const L = await Lua.create({ deterministic: true, instructionLimit: mid, stdout: () => {} });
    let ok = true;
    try {
      L.run(code);
    } catch {
      ok = false;
    }
    L.close();
    if (ok) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

describe("deterministic mode", () => {
  it("gives byte-identical outputs in two fresh instances", async () => {
    const a = await run({ deterministic: true });
    const b = await run({ deterministic: true });
    expect(a).toBe(b);
    expect(a.split("\n")[3]).toBe("0 0.0 1970-01-01 00:00:00"); // the default clocks are stuck at 0
  });

  it("prints the same tostring({}) in two fresh instances", async () => {
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const L = await Lua.create({ deterministic: true, stdout: () => {} });
      texts.push(L.run(`return tostring({}), tostring(print), tostring(function() end)`).join(" "));
      L.close();
    }
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).toMatch(
      /^table: 0x[0-9a-f]+ builtin: 0x[0-9a-f]+ function: 0x[0-9a-f]+$|^table: 0x[0-9a-f]+ function: /,
    );
  });

  it("counts the same number of instructions on every run", async () => {
    const code = `local t = {} for i = 1, 500 do t[i] = math.random(1000) end table.sort(t) local s = 0 for _, v in ipairs(t) do s = s + v end return s`;
    const n1 = await instructionCount(code);
    const n2 = await instructionCount(code);
    expect(n1).toBe(n2);
    expect(n1).toBeGreaterThan(1000);
  });

  it("takes time and clock from the host", async () => {
    let ticks = 0;
    const L = await Lua.create({
      deterministic: true,
      now: () => 1_700_000_000_000,
      clock: () => ++ticks / 4,
      stdout: () => {},
    });
    expect(L.run(`return os.time(), os.clock(), os.clock(), os.date("!%Y-%m-%d", os.time())`)).toEqual([
      1_700_000_000,
      0.25,
      0.5,
      "2023-11-14",
    ]);
    L.close();
  });

  it("seeds math.random from randomSeed: same seed, same sequence; another seed, another sequence", async () => {
    const seq = async (seed: number | bigint) => {
      const L = await Lua.create({ deterministic: true, randomSeed: seed, stdout: () => {} });
      const r = L.run(`local t = {} for i = 1, 8 do t[i] = math.random(1, 1 << 30) end return table.concat(t, ",")`)[0];
      L.close();
      return r;
    };
    expect(await seq(7)).toBe(await seq(7));
    expect(await seq(7)).not.toBe(await seq(8));
    expect(await seq(123n)).toBe(await seq(123));
    // the same as seeding by hand
    const L = await Lua.create({ stdout: () => {} });
    expect(
      L.run(
        `math.randomseed(7) local t = {} for i = 1, 8 do t[i] = math.random(1, 1 << 30) end return table.concat(t, ",")`,
      )[0],
    ).toBe(await seq(7));
    L.close();
  });

  it("keeps its settings after a restore", async () => {
    const L = await Lua.create({ deterministic: true, now: () => 86_400_000, stdout: () => {} });
    L.run(`x = 1`);
    L.restore(L.snapshot());
    expect(L.run(`return x, os.time()`)).toEqual([1, 86400]);
    L.close();
  });
});
