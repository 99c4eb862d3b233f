// ext-tables.test.ts - ext.table(), _home/_io proxies: typed keys, nil deletes, #, pairs/next/ipairs,
// identity, copies of Lua tables, unsupported keys and values.
import { beforeEach, describe, expect, it } from "vitest";
import type { LuaPersistent } from "../../host/index.js";
import { evalOk, newEngine } from "./helpers.js";

let lua: LuaPersistent;
beforeEach(async () => {
  lua = await newEngine();
});
const vals = (code: string) => evalOk(lua, code).values;
const err = (code: string) => {
  expect(lua.eval(code)).toBeNull();
  return lua.getLastError();
};

describe("external tables", () => {
  it("keep keys typed as in Lua: 1 and '1' differ, 1.0 is 1, booleans are keys", () => {
    expect(
      vals(`local t = ext.table() t[1] = "int" t["1"] = "str" t[2.0] = "two" t[true] = "yes" t[1.5] = "f"
      return t[1], t["1"], t[2], t[2.0], t[true], t[false], t[1.5], ext.size(t)`),
    ).toEqual(["int", "str", "two", "two", "yes", null, "f", 5]);
  });

  it("delete a key when nil is assigned", () => {
    expect(vals(`local t = ext.table() t.a = 1 t.b = 2 t.a = nil return t.a, ext.size(t), next(t)`)).toEqual([
      null,
      1,
      "b",
      2,
    ]);
  });

  it("give # as a border of the integer keys and ext.size as the count of all entries", () => {
    expect(
      vals(`local t = ext.table() for i = 1, 10 do t[i] = i end t.x = 1 t[5] = nil
      local n = #t return n == 4 or n == 10, ext.size(t)`),
    ).toEqual([true, 10]);
    expect(vals(`local t = ext.table() for i = 1, 100 do t[#t + 1] = i end return #t, t[100]`)).toEqual([100, 100]);
    expect(vals(`local t = ext.table() t.a = 1 return #t`)).toEqual([0]);
  });

  it("iterate every entry with pairs and with next, and the sequence with ipairs", () => {
    expect(
      vals(`local t = ext.table() for i = 1, 5 do t[i] = i * 10 end t.k = "v" t[false] = 0
      local n, sum = 0, 0 for k, v in pairs(t) do n = n + 1 if type(v) == "number" then sum = sum + v end end
      local m, k = 0, nil repeat k = next(t, k) if k ~= nil then m = m + 1 end until k == nil
      local s = 0 for i, v in ipairs(t) do s = s + v end
      return n, sum, m, s, next(ext.table())`),
    ).toEqual([7, 150, 7, 150, null]);
  });

  it("allow clearing entries while traversing, as Lua tables do", () => {
    expect(
      vals(`local t = ext.table() for i = 1, 20 do t["k" .. i] = i end
      for k in pairs(t) do t[k] = nil end return ext.size(t)`),
    ).toEqual([0]);
  });

  it("report an invalid key to next", () => {
    expect(err(`local t = ext.table() t.a = 1 return next(t, "zz")`)).toBe("invalid key to 'next'");
  });

  it("return the same Lua value when the same external table is read twice", () => {
    expect(
      vals(
        `_home.t = {} local a, b = _home.t, _home.t collectgarbage() return a == b, _home.t == _home.t, rawequal(_home, Memory)`,
      ),
    ).toEqual([true, true, true]);
  });

  it("copy stored Lua tables keeping cycles and shared subtables", () => {
    expect(
      vals(`local shared = {v = 1} local t = {a = shared, b = shared, list = {1, 2, 3}} t.self = t
      _home.data = t
      local d = _home.data
      return d.a == d.b, d.self == d, d.self.self.a.v, #d.list, type(d), d.list[3]`),
    ).toEqual([true, true, 1, 3, "table", 3]);
    expect(vals(`local src = {x = 1} _home.c = src src.x = 2 return _home.c.x`)).toEqual([1]); // a copy
  });

  it("store values of any size and binary-safe strings", () => {
    expect(vals(`local s = string.rep("\\0\\255abc", 50000) _home.big = s return #_home.big, _home.big == s`)).toEqual([
      250000,
      true,
    ]);
    expect(
      vals(`local t = ext.table() t["\\0k\\255"] = "\\1\\2" return t["\\0k\\255"] == "\\1\\2", t["\\0k"]`),
    ).toEqual([true, null]);
  });

  it("keep integers, floats and big integers exact", () => {
    expect(
      vals(`local t = ext.table() t.i = 3 t.f = 3.0 t.m = math.maxinteger t.n = -0.0 t.h = 0.1
      return math.type(t.i), math.type(t.f), t.m == math.maxinteger, 1/t.n, t.h`),
    ).toEqual(["integer", "float", true, -Infinity, 0.1]);
  });

  it("reject nil, NaN and table keys with a message naming the problem", () => {
    expect(err(`local t = ext.table() t[nil] = 1`)).toBe("input:1: table index is nil");
    expect(err(`local t = ext.table() t[0/0] = 1`)).toBe("input:1: table index is NaN");
    expect(err(`local t = ext.table() t[{}] = 1`)).toBe(
      "input:1: external table keys must be strings, numbers or booleans (got table)",
    );
    expect(err(`local t = ext.table() t[print] = 1`)).toBe(
      "input:1: external table keys must be strings, numbers or booleans (got function)",
    );
    expect(err(`_home.x = {[{}] = 1}`)).toBe(
      "input:1: external table keys must be strings, numbers or booleans (got table)",
    );
    expect(vals(`local t = ext.table() return t[nil], t[0/0], t[{}]`)).toEqual([null, null, null]); // reads are nil
  });

  it("reject coroutines and userdata as values, naming the type (functions are stored: ext-functions.test.ts)", () => {
    expect(err(`_home.c = coroutine.create(print)`)).toBe("input:1: cannot store a thread in an external table");
    expect(err(`_home.f = io.stdout`)).toBe("input:1: cannot store a FILE* in an external table");
    expect(vals(`return pcall(function() _home.x = {co = coroutine.running()} end)`)).toEqual([
      false,
      "input:1: cannot store a thread in an external table",
    ]);
  });

  it("are tables to Lua: type says table, tostring names them ext.table, raw access reaches the store", () => {
    expect(vals(`local t = ext.table() return type(t), tostring(t):match("^ext%.table: ") ~= nil`)).toEqual([
      "table",
      true,
    ]);
    expect(
      vals(`local t = ext.table() t[1], t[2] = "a", "b"
      rawset(t, 3, "c") rawset(t, "k", 1)
      local n = 0 for _ in pairs(t) do n = n + 1 end
      table.insert(t, "d") table.sort(t, function(a, b) return a > b end)
      return rawget(t, 1), rawget(t, "k"), rawlen(t), #t, n, table.concat(t, ","), rawget(t, "none"), rawequal(rawset(t, "z", 0), t)`),
    ).toEqual(["d", 1, 4, 4, 4, "d,c,b,a", null, true]);
    expect(err(`local t = ext.table() rawset(t, nil, 1)`)).toBe("table index is nil"); // raised in rawset, as lua5.4
    expect(err(`return ext.size({})`)).toBe("input:1: bad argument #1 to 'size' (ext.table expected, got table)");
  });

  it("give the same answers on the typed fast paths and the general path (keys and values at their limits)", () => {
    // integer keys up to 2^53-1 and integral float keys take ext_get_i/ext_set_i; 2^53 and beyond, the general path
    expect(
      vals(`local t = ext.table() t[9007199254740991] = "a" t[9007199254740992] = "b" t[-0.0] = "z"
      t[-9007199254740991] = "m" t[3.0] = "three"
      return t[9007199254740991.0], t[2^53], t[9007199254740992], t[0], math.type(next(t, 9007199254740992)),
        t[-9007199254740991.0], t[3], ext.size(t)`),
    ).toEqual(["a", "b", "b", "z", "integer", "m", "three", 5]);
    // values: floats stay floats, integers beyond 2^53 stay exact, strings of any length and bytes
    expect(
      vals(`local t = ext.table() t.f = 2^53 t.g = 1.5 t.i = 9007199254740993 t.j = math.mininteger t.k = -0.0
      t.s256 = string.rep("x", 256) t.s257 = string.rep("y", 257) t.u = "h\\195\\169llo" t.b = "\\255\\0\\1"
      t.bl = string.rep("\\255", 300) t.e = ""
      return math.type(t.f), t.f == 2^53, t.g, t.i == 9007199254740993, t.j == math.mininteger, 1/t.k,
        t.s256 == string.rep("x", 256), t.s257 == string.rep("y", 257), t.u == "h\\195\\169llo", t.b == "\\255\\0\\1",
        t.bl == string.rep("\\255", 300), t.e`),
    ).toEqual(["float", true, 1.5, true, true, -Infinity, true, true, true, true, true, ""]);
    // string keys: short and long, UTF-8 and not ("\195\191" is ÿ, "\255" is not UTF-8): all distinct
    expect(
      vals(`local t = ext.table() local long = string.rep("k", 41) local short = string.rep("k", 40)
      t[long] = 1 t[short] = 2 t["\\195\\191"] = 3 t["\\255"] = 4 t["\\255\\254"] = 5 t["1"] = 6 t[1] = 7 t[true] = 8
      return t[long], t[short], t["\\195\\191"], t["\\255"], t["\\255\\254"], t["1"], t[1], t[true], ext.size(t)`),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8]);
    // many distinct keys (more than the host's key cache holds: it evicts, re-decodes, and keys that
    // share a slot use their second one), each read back as its own, forwards and backwards, and
    // deletes through the fast path
    expect(
      vals(`local t = ext.table() for i = 1, 5000 do t["key_" .. i] = i end
      local s, bad = 0, 0
      for i = 1, 5000 do local v = t["key_" .. i] s = s + v if v ~= i then bad = bad + 1 end end
      for i = 5000, 1, -1 do if t["key_" .. i] ~= i then bad = bad + 1 end end
      for i = 1, 5000, 2 do t["key_" .. i] = nil end
      return s, bad, ext.size(t), t.key_1, t.key_2`),
    ).toEqual([12502500, 0, 2500, null, 2]);
  });

  it("show their contents when returned to JS", () => {
    expect(vals(`_home.r = {1, 2, {k = "v"}} return _home.r`)).toEqual([[1, 2, { k: "v" }]]);
  });
});
