// snapshot.test.ts - whole-state snapshots: snapshot() in one instance, restore() in a FRESH one, and
// the state continues exactly (globals, cycles, metatables, shared upvalues, suspended coroutines,
// external tables, natives by name, file handles); corrupted, truncated and foreign snapshots are a
// clear "bad snapshot: ..." error that leaves the current state working.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent, SnapshotError } from "../../host/index.js";
import { crc32 } from "../../host/persist/format.js";
import { evalOk, newEngine } from "./helpers.js";

const vals = (lua: LuaPersistent, code: string) => evalOk(lua, code).values;

/** Snapshot `src` and restore it into a brand-new engine. */
async function roundTrip(src: LuaPersistent): Promise<LuaPersistent> {
  const snap = src.snapshot();
  if (snap === null) throw new Error(`snapshot failed: ${src.getLastError()}`);
  const dst = await newEngine();
  if (!dst.restore(snap)) throw new Error(`restore failed: ${dst.getLastError()}`);
  return dst;
}

describe("snapshot round trips through a fresh instance", () => {
  it("keeps globals, binary strings, cycles, shared subtables and metatables", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      s = "bin\\0ary\\255" .. string.rep("x", 100)
      t = {1, 2.5, "three", [true] = false, [-7] = math.mininteger, nested = {deep = {deeper = "yes"}}}
      t.self = t
      shared = {}
      t.a, t.b = shared, shared
      t[shared] = "key is a table"
      v = setmetatable({}, {__index = function(_, k) return "idx:" .. k end, __add = function() return 42 end,
        __tostring = function() return "V!" end})
      weak = setmetatable({}, {__mode = "k"})
      big = {} for i = 1, 1000 do big[i] = i * i end big.x = "y"`,
    );
    const b = await roundTrip(a);
    expect(
      vals(
        b,
        `return s == "bin\\0ary\\255" .. string.rep("x", 100), #s, t[1], t[2], t[3], t[true], t[-7] == math.mininteger,
      t.nested.deep.deeper, t.self == t, t.a == t.b, t[t.a], v.foo, v + 1, tostring(v), getmetatable(weak).__mode,
      #big, big[1000], big.x, math.type(t[1]), math.type(t[2])`,
      ),
    ).toEqual([
      true,
      108,
      1,
      2.5,
      "three",
      false,
      true,
      "yes",
      true,
      true,
      "key is a table",
      "idx:foo",
      42,
      "V!",
      "k",
      1000,
      1000000,
      "y",
      "integer",
      "float",
    ]);
  });

  it("keeps closures with shared upvalues shared", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      local count = 0
      function inc(n) count = count + (n or 1) return count end
      function get() return count end
      function mk() local x = 0 return function() x = x + 1 return x end, function() return x end end
      bump, peek = mk()
      bump() bump()
      inc(5)`,
    );
    const b = await roundTrip(a);
    expect(vals(b, `inc() inc(10) bump() return get(), peek(), debug.getinfo(inc, "S").short_src`)).toEqual([
      16,
      3,
      "input",
    ]);
    // upvalueid identity: the two closures still share one upvalue
    expect(
      vals(
        b,
        `return debug.upvalueid(inc, 1) == debug.upvalueid(get, 1), debug.upvalueid(bump, 1) == debug.upvalueid(peek, 1)`,
      ),
    ).toEqual([true, true]);
  });

  it("resumes a coroutine suspended in the middle of a loop, as if nothing happened", async () => {
    const program = `
      co = coroutine.create(function(a, b)
        local acc = {}
        local total = a + b
        for i = 1, 6 do
          local ok, v = pcall(function() return coroutine.yield(i, total) end)
          total = total + (v or 0)
          acc[#acc + 1] = i .. ":" .. total
        end
        return table.concat(acc, " "), total
      end)
      r = {}
      r[#r + 1] = select(3, coroutine.resume(co, 1, 2))`;
    const rest = `for k = 1, 10 do local res = {coroutine.resume(co, k * 10)} r[#r + 1] = tostring(res[2]) .. "/" .. tostring(res[3]) end
      return table.concat(r, ","), coroutine.status(co)`;
    const a = await newEngine();
    evalOk(a, program);
    evalOk(a, `coroutine.resume(co, 5) coroutine.resume(co, 6)`);
    const b = await roundTrip(a);
    const expected = vals(a, rest);
    expect(vals(b, rest)).toEqual(expected);
    expect(expected[1]).toBe("dead");
  });

  it("keeps open upvalues of a suspended coroutine linked to its stack slot", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      co = coroutine.wrap(function()
        local x = 1
        getx = function() return x end
        setx = function(v) x = v end
        while true do x = x + coroutine.yield(x) end
      end)
      co(0) co(10)`,
    );
    const b = await roundTrip(a);
    expect(vals(b, `local before = getx() setx(100) local r = co(1) return before, r, getx()`)).toEqual([11, 101, 101]);
  });

  it("keeps to-be-closed variables of a suspended coroutine", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      log = {}
      co = coroutine.create(function()
        local h <close> = setmetatable({}, {__close = function() log[#log + 1] = "closed" end})
        coroutine.yield(1)
        log[#log + 1] = "body end"
      end)
      coroutine.resume(co)`,
    );
    const b = await roundTrip(a);
    expect(vals(b, `coroutine.resume(co) return table.concat(log, ","), coroutine.status(co)`)).toEqual([
      "body end,closed",
      "dead",
    ]);
    const c = await roundTrip(a);
    expect(vals(c, `return coroutine.close(co), table.concat(log, ",")`)).toEqual([true, "closed"]);
  });

  it("keeps several to-be-closed variables in order, innermost closed first, with slots between them", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      log = {}
      local function closer(name) return setmetatable({}, {__close = function() log[#log + 1] = name end}) end
      co = coroutine.create(function()
        local a <close> = closer("a")
        local gap1, gap2 = 1, 2
        do
          local b <close> = closer("b")
          local gap3 = 3
          local c <close> = closer("c")
          coroutine.yield(gap1 + gap2 + gap3)
          log[#log + 1] = "inner end"
        end
        coroutine.yield("between")
      end)
      coroutine.resume(co)`,
    );
    const b = await roundTrip(a);
    expect(vals(b, `local _, v = coroutine.resume(co) return v, table.concat(log, ",")`)).toEqual([
      "between",
      "inner end,c,b",
    ]);
    expect(vals(b, `coroutine.resume(co) return table.concat(log, ","), coroutine.status(co)`)).toEqual([
      "inner end,c,b,a",
      "dead",
    ]);
    const c = await roundTrip(a);
    expect(vals(c, `return coroutine.close(co), table.concat(log, ",")`)).toEqual([true, "c,b,a"]);
  });

  it("records natives by name: library functions, iterators, wrap, gmatch, random state", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      p, fmt, ins = print, string.format, table.insert
      local iter, st, i0 = ipairs({"a", "b", "c"})
      it = {iter, st, i0}
      gm = string.gmatch("one two three four", "%a+")
      gm()
      w = coroutine.wrap(function() for i = 1, 5 do coroutine.yield(i) end end)
      w()
      math.randomseed(42)
      math.random()`,
    );
    const b = await roundTrip(a);
    const check = `local i, v = it[1](it[2], 1)
      return p == print, fmt("%05.1f|%s", 3.14159, "x"), i, v, gm(), gm(), w(), w(), math.random(1, 1000000), math.random(1, 1000000)`;
    expect(vals(b, check)).toEqual(vals(a, check));
    expect(vals(b, `return p == print, fmt == string.format, ins == table.insert`)).toEqual([true, true, true]);
  });

  it("brings back external tables and their contents, _home and _io", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      _home.user = {name = "ann", tags = {"x", "y"}}
      _home.count = 3
      keep = ext.table()
      keep.a = 1
      keep.sub = {deep = true}
      _io.output = "out"`,
    );
    const b = await roundTrip(a);
    expect(
      vals(
        b,
        `return _home.user.name, _home.user.tags[2], _home.count, keep.a, keep.sub.deep, ext.size(keep), _io.output,
      _home == Memory, _home.user == _home.user`,
      ),
    ).toEqual(["ann", "y", 3, 1, true, 2, "out", true, true]);
    // new external tables get fresh ids: no clash with restored ones
    expect(vals(b, `local n = ext.table() n.z = 9 return keep.a, n.z, ext.size(keep)`)).toEqual([1, 9, 2]);
    expect(b.getTableInfo().home).toBe(2);
  });

  it("restores file handles: standard files work, open files come back closed", async () => {
    const a = await newEngine();
    evalOk(a, `f = io.open("/data.txt", "w") f:write("hello") out = io.stdout`);
    const b = await roundTrip(a);
    expect(vals(b, `return io.type(f), io.type(out), out == io.stdout, pcall(f.write, f, "x")`)).toEqual([
      "closed file",
      "file",
      true,
      false,
      "attempt to use a closed file",
    ]);
    expect(evalOk(b, `io.write("still writes") print("!")`).output).toBe("still writes!\n");
  });

  it("works with the typed API: JS functions stay callable after restore into the same Lua", async () => {
    const L = await Lua.create({ stdout: () => {} });
    L.global.set("twice", (x: number) => 2 * x);
    L.run(`function f(x) return twice(x) + 1 end  state = {n = 1}`);
    const snap = L.snapshot();
    L.run(`state.n = 99`);
    L.restore(snap);
    expect(L.run(`return f(20), state.n`)).toEqual([41, 1]);
    const L2 = await Lua.create({ stdout: () => {} });
    L2.restore(snap);
    expect(L2.run(`return state.n, pcall(f, 1)`)[0]).toBe(1);
    L.close();
    L2.close();
  });

  it("restores a snapshot taken by another build of the module (natives by name, not index)", async () => {
    const debugWasm = new URL("../../build/lua-debug.wasm", import.meta.url);
    if (!existsSync(debugWasm)) return;
    const a = new LuaPersistent();
    await a.load(debugWasm.pathname);
    expect(a.init()).toBe(true);
    evalOk(
      a,
      `co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(string.rep("a", i)) end end) co()
      t = setmetatable({}, {__index = string}) g = string.gmatch("a1b2", "%d")`,
    );
    const b = await roundTrip(a);
    expect(vals(b, `return co(), co(), t.upper("x"), g(), g()`)).toEqual(["aa", "aaa", "X", "1", "2"]);
  });

  it("snapshots and restores a 10 MB state (timing printed)", async () => {
    const a = await newEngine();
    evalOk(
      a,
      `
      data = {}
      for i = 1, 60000 do
        data[i] = {id = i, name = "item" .. i, tags = {i % 7, i % 11}, f = function() return i end}
      end
      blob = string.rep("0123456789", 200000)`,
    );
    const used = a.getMemoryStats().lua_memory_used;
    expect(used).toBeGreaterThan(10e6);
    let t0 = performance.now();
    const snap = a.snapshot()!;
    const tSnap = performance.now() - t0;
    const b = await newEngine();
    t0 = performance.now();
    expect(b.restore(snap)).toBe(true);
    const tRestore = performance.now() - t0;
    console.log(
      `10 MB state: lua_memory_used ${(used / 1e6).toFixed(1)} MB, snapshot ${(snap.length / 1e6).toFixed(1)} MB ` +
        `in ${tSnap.toFixed(0)} ms, restore in ${tRestore.toFixed(0)} ms`,
    );
    expect(vals(b, `return #data, data[12345].name, data[59999].tags[2], data[777].f(), #blob`)).toEqual([
      60000,
      "item12345",
      59999 % 11,
      777,
      2000000,
    ]);
  });

  it("is refused from inside a running call (snapshots are taken between calls)", async () => {
    const L = await Lua.create({ stdout: () => {} });
    L.global.set("snap", () => L.snapshot());
    expect(L.run(`return pcall(snap)`)).toEqual([
      false,
      expect.stringMatching(/cannot take a snapshot while a call is running/),
    ]);
    expect(L.snapshot().length).toBeGreaterThan(100); // and works again afterwards
    L.close();
  });

  it("restores a snapshot of a state that never ran anything", async () => {
    const L = await Lua.create({ stdout: () => {} });
    const snap = L.snapshot();
    const L2 = await Lua.create({ stdout: () => {} });
    L2.restore(snap);
    expect(L2.run(`return type(print), 1 + 1`)).toEqual(["function", 2]);
  });

  it("restores a state whose module tables were removed from the registry (the fresh ones stand in)", async () => {
    const L = await Lua.create({ stdout: () => {} });
    L.run(`x = 42 local r = debug.getregistry() r["FILE*"] = nil r._CHUNKCACHE = nil r._HOSTREFS = {}`);
    const L2 = await Lua.create({ stdout: () => {} });
    L2.restore(L.snapshot());
    expect(L2.run(`return x, io.write("") == io.stdout, load("return 7")()`)).toEqual([42, true, 7]);
  });

  it("refuses, clearly and with the state intact, a registry whose main thread or globals entry was replaced", async () => {
    for (const [code, what] of [
      ["debug.getregistry()[1] = nil", "entry 1 is not the main thread"],
      ["debug.getregistry()[1] = 5", "entry 1 is not the main thread"],
      ["debug.getregistry()[2] = {}", "entry 2 is not the global table"],
      ['debug.getregistry()["FILE*"] = 1', "entry FILE* is not a table"],
    ]) {
      const L = await Lua.create({ stdout: () => {} });
      L.run(`kept = "yes" ${code}`);
      expect(() => L.snapshot()).toThrow(SnapshotError);
      expect(() => L.snapshot()).toThrow(`cannot snapshot: the registry's ${what}`);
      expect(L.run(`return kept`)).toEqual(["yes"]);
    }
  });
});

describe("bad snapshots are clear errors and leave the current state untouched", () => {
  async function victim(): Promise<LuaPersistent> {
    const lua = await newEngine();
    evalOk(lua, `marker = "alive" function still() return marker end`);
    return lua;
  }
  function expectIntact(lua: LuaPersistent): void {
    expect(vals(lua, `return still()`)).toEqual(["alive"]);
  }
  async function sample(): Promise<Uint8Array> {
    const a = await newEngine();
    evalOk(
      a,
      `
      t = {1, 2, 3, s = "str", nested = {x = {y = {}}}} t.nested.x.y.back = t
      co = coroutine.create(function(n) for i = 1, n do coroutine.yield(i) end end) coroutine.resume(co, 10)
      local up = 0 function f() up = up + 1 return up end
      _home.k = {v = 1}`,
    );
    return a.snapshot()!;
  }

  it("foreign bytes", async () => {
    const lua = await victim();
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode("not a snapshot at all"),
      new Uint8Array(5000).fill(7),
    ]) {
      expect(lua.restore(bytes)).toBe(false);
      expect(lua.getLastError()).toMatch(/^bad snapshot: /);
      expectIntact(lua);
    }
    const L = await Lua.create({ stdout: () => {} });
    expect(() => L.restore(new Uint8Array([1, 2, 3]))).toThrow(SnapshotError);
    expect(() => L.restore(new Uint8Array([1, 2, 3]))).toThrow(/^bad snapshot: /);
  });

  it("natives whose upvalues were replaced (debug.setupvalue) are refused by their library's check", async () => {
    const cases: [string, string][] = [
      [`x = string.gmatch("abc", "%a") debug.setupvalue(x, 3, 1000)`, "bad gmatch iterator"],
      [`x = string.gmatch("abc", "%a") debug.setupvalue(x, 1, {})`, "bad gmatch iterator"],
      [`debug.setupvalue(math.random, 1, {})`, "bad random state"],
      [`x = coroutine.wrap(function() end) debug.setupvalue(x, 1, 5)`, "bad coroutine.wrap function"],
      [`debug.setupvalue(require, 1, 5)`, "bad package function"],
      [`debug.setupvalue(package.searchers[2], 1, "x")`, "bad package function"],
      [`x = io.lines("/f.txt") debug.setupvalue(x, 2, 7)`, "bad io.lines iterator"],
      [`x = io.lines("/f.txt") debug.setupvalue(x, 1, {})`, "bad io.lines iterator"],
    ];
    for (const [corrupt, message] of cases) {
      const a = await newEngine();
      evalOk(a, `local f = io.open("/f.txt", "w") f:write("line\\n") f:close() ${corrupt}`);
      const snap = a.snapshot()!;
      const lua = await victim();
      expect(lua.restore(snap)).toBe(false);
      expect(lua.getLastError()).toBe(`bad snapshot: ${message}`);
      expectIntact(lua);
    }
    const L = await Lua.create({ stdout: () => {} });
    L.global.set("jsfn", (x: number) => x);
    L.run(`debug.setupvalue(jsfn, 1, "not an id")`);
    const snap = L.snapshot();
    const L2 = await Lua.create({ stdout: () => {} });
    expect(() => L2.restore(snap)).toThrow("bad snapshot: bad host function");
    L.close();
    L2.close();
  });

  it("truncated at every 1/100 of its length", async () => {
    const snap = await sample();
    const lua = await victim();
    for (let k = 0; k < 100; k++) {
      const cut = Math.floor((snap.length * k) / 100);
      expect(lua.restore(snap.subarray(0, cut))).toBe(false);
      expect(lua.getLastError()).toMatch(/^bad snapshot: /);
    }
    expectIntact(lua);
  });

  it("random byte flips (caught by the checksum)", async () => {
    const snap = await sample();
    const lua = await victim();
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 200; k++) {
      const bad = snap.slice();
      const n = 1 + rnd(4);
      for (let j = 0; j < n; j++) bad[rnd(bad.length)] ^= 1 + rnd(255);
      if (bad.every((b, i) => b === snap[i])) continue;
      expect(lua.restore(bad)).toBe(false);
      expect(lua.getLastError()).toMatch(/^bad snapshot: /);
    }
    expectIntact(lua);
  });

  it("hostile input with a valid checksum never traps: every count, index and tag is checked", async () => {
    const snap = await sample();
    const lua = await victim();
    let seed = 777;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let rejected = 0;
    for (let k = 0; k < 400; k++) {
      const bad = snap.slice();
      const n = 1 + rnd(3);
      for (let j = 0; j < n; j++) {
        const pos = 12 + rnd(bad.length - 12);
        bad[pos] = rnd(4) === 0 ? 0xff : bad[pos] ^ (1 << rnd(8));
      }
      new DataView(bad.buffer).setUint32(8, crc32(bad.subarray(12)), true);
      const ok = lua.restore(bad);
      if (!ok) {
        rejected++;
        expect(lua.getLastError()).toMatch(/^bad snapshot: /);
      }
      expect(vals(lua, `return 1 + 1`)).toEqual([2]);
      if (!ok) expectIntact(lua);
      else {
        expect(lua.restore(snap)).toBe(true);
        lua.eval(`marker = "alive" function still() return marker end`);
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
