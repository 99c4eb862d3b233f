// native-names.test.ts - the stable names of natives (assembly/lib/natives.ts) come from the
// libraries' tables as lua_init left them, although the names are only built at the first snapshot
// or stored function: a script that empties or replaces library tables before that changes nothing
// (the snapshot is the same as one whose names were built first), and a restore finds every native.
import { describe, expect, it } from "vitest";
import { Lua } from "../../host/index.js";

/** Keeps a reference to every native reachable from _G and the registry (depth 3), plus iterators. */
const KEEP = `
local keep, seen = {}, {}
local function grab(t, depth)
  if depth > 3 or seen[t] then return end
  seen[t] = true
  for _, v in pairs(t) do
    if type(v) == "function" then keep[#keep + 1] = v
    elseif type(v) == "table" then grab(v, depth + 1) end
  end
end
grab(_G, 0)
grab(debug.getregistry(), 0)
grab(getmetatable(""), 1)
keep[#keep + 1] = ipairs({})
keep[#keep + 1] = string.gmatch("a b", "%a")
fmt, concat, floor, upper, lines = string.format, table.concat, math.floor, ("").upper, io.lines
_G.keep = keep
return #keep`;

/** Empties, removes and replaces library tables and metatables, the paths names are made of. */
const VANDALISE = `
string.format = nil
_G.table = nil
debug.getregistry()._LOADED.table = nil
math.floor = function() end
getmetatable("").__index = {}
_G.io = nil
debug.setmetatable(nil, {})
for k in pairs(package.loaded) do package.loaded[k] = nil end`;

describe("names of natives", () => {
  it("come from the libraries as opened, whatever a script did to them before the first snapshot", async () => {
    const late = await Lua.create({ deterministic: true });
    expect(late.run(KEEP)[0]).toBeGreaterThan(150);
    late.run(VANDALISE);
    const lateSnap = late.snapshot(); // the names are built now, from the record lua_init made

    const early = await Lua.create({ deterministic: true });
    early.run(KEEP);
    early.snapshot(); // the names are built here, over the untouched libraries
    early.run(VANDALISE);
    expect(Buffer.from(lateSnap).equals(Buffer.from(early.snapshot()))).toBe(true);

    const back = await Lua.create();
    back.restore(lateSnap);
    expect(back.run(`return fmt("%03d", 7), concat({"a", "b"}, ","), floor(2.5), upper("x"), #keep`)).toEqual([
      "007",
      "a,b",
      2,
      "X",
      late.run("return #keep")[0],
    ]);
    for (const l of [late, early, back]) l.close();
  });

  it("of a state that was vandalised before its first restore still find every native", async () => {
    const a = await Lua.create();
    const n = a.run(KEEP)[0];
    const snap = a.snapshot();
    const b = await Lua.create();
    b.run(VANDALISE); // b's names must still be those of its libraries as opened
    b.restore(snap);
    expect(b.run(`return fmt("%03d", 7), concat({"a", "b"}, ","), floor(2.5), upper("x"), #keep`)).toEqual([
      "007",
      "a,b",
      2,
      "X",
      n,
    ]);
    for (const l of [a, b]) l.close();
  });
});
