// ext-sandbox.test.ts - the metatable behind _home, _io and ext.table() is out of Lua's reach (issue
// #10 item 9): getmetatable and debug.getmetatable answer nil, setmetatable and debug.setmetatable
// refuse, the registry does not hold it, a handler caught through a hook cannot be misused, and every
// write reaches the store (and the saved state), also after a snapshot restore.
import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent, MemoryStorage } from "../../host/index.js";
import { evalOk, newEngine } from "./helpers.js";

const vals = (lua: LuaPersistent, code: string) => evalOk(lua, code).values;
const MSG = "cannot change the metatable of an external table";

describe("external tables have no metatable Lua can reach", () => {
  it("getmetatable answers nil for _home, _io, Memory and ext.table(), as for a plain table", async () => {
    const lua = await newEngine();
    expect(
      vals(lua, "return getmetatable(_home), getmetatable(_io), getmetatable(Memory), getmetatable(ext.table())"),
    ).toEqual([null, null, null, null]);
  });

  it("the issue's attack fails and later writes reach the store and the saved state", async () => {
    const storage = new MemoryStorage();
    const lua = new LuaPersistent({ storage, sandbox: true });
    await lua.load();
    lua.init();
    expect(
      vals(lua, "return pcall(function() getmetatable(_home).__newindex = function(t, k, v) spy = v end end)"),
    ).toEqual([false, "input:1: attempt to index a nil value"]);
    evalOk(lua, "_home.k = 'stored' _io.k = 'io'");
    expect(vals(lua, "return spy, _home.k, _io.k")).toEqual([null, "stored", "io"]);
    expect(await lua.saveState()).toBe(true);
    const fresh = new LuaPersistent({ storage });
    await fresh.load();
    fresh.init();
    expect(await fresh.loadState()).toBe(true);
    expect(vals(fresh, "return _home.k")).toEqual(["stored"]);
  });

  it("setmetatable on an external table is a clear error", async () => {
    const lua = await newEngine();
    expect(lua.eval("setmetatable(_home, {})")).toBeNull();
    expect(lua.getLastError()).toBe(`input:1: ${MSG}`);
    expect(vals(lua, "return pcall(setmetatable, ext.table(), nil)")).toEqual([false, MSG]);
    expect(vals(lua, "local t = setmetatable({}, {__index = _home}) _home.z = 3 return t.z")).toEqual([3]);
  });

  it("debug.getmetatable answers nil and debug.setmetatable refuses, with or without a table", async () => {
    const lua = await newEngine();
    expect(vals(lua, "return debug.getmetatable(_home), debug.getmetatable(ext.table())")).toEqual([null, null]);
    expect(vals(lua, "return pcall(debug.setmetatable, _home, {__newindex = print})")).toEqual([false, MSG]);
    expect(vals(lua, "return pcall(debug.setmetatable, _io, nil)")).toEqual([false, MSG]);
    expect(vals(lua, "_io.after = 1 return _io.after, ext.size(_io)")).toEqual([1, 1]);
  });

  it("the registry holds no metatable of external tables (debug.getregistry)", async () => {
    const lua = await newEngine();
    expect(
      vals(
        lua,
        `local reg, found = debug.getregistry(), {}
      local function scan(t, depth, path)
        for k, v in next, t do
          if type(v) == "table" then
            if rawget(v, "__name") == "ext.table" or rawget(v, "__newindex") ~= nil then found[#found + 1] = path .. tostring(k) end
            if depth < 2 then scan(v, depth + 1, path .. tostring(k) .. ".") end
          end
        end
      end
      scan(reg, 0, "")
      return reg._EXTMT, #found, table.concat(found, " ")`,
      ),
    ).toEqual([null, 0, ""]);
  });

  it("nothing reachable with the debug library (globals, registry, metatables of every type, upvalues, user values) is that metatable", async () => {
    const lua = await newEngine();
    expect(
      vals(
        lua,
        `local seen, queue, found, n = {}, {}, 0, 0
      local function push(v) if v ~= nil and (type(v) == "table" or type(v) == "function" or type(v) == "userdata") and not seen[v] then seen[v] = true queue[#queue + 1] = v end end
      local co = coroutine.create(function() end)
      push(_G) push(debug.getregistry()) push(_home) push(_io) push(ext.table()) push(co)
      for _, v in ipairs({"", 1, true, print, co}) do push(debug.getmetatable(v)) end
      local i = 1
      while i <= #queue do
        local v = queue[i] i = i + 1 n = n + 1
        push(debug.getmetatable(v))
        if type(v) == "table" then
          if rawget(v, "__name") == "ext.table" then found = found + 1 end
          for k, x in next, v do push(k) push(x) end
        elseif type(v) == "function" then
          for u = 1, 255 do local name, x = debug.getupvalue(v, u) if name == nil then break end push(x) end
        else
          for u = 1, 16 do local x, ok = debug.getuservalue(v, u) if not ok then break end push(x) end
        end
      end
      return found, n > 100`,
      ),
    ).toEqual([0, true]);
  });

  it("a handler caught through a call hook rejects anything but an external table (no trap)", async () => {
    const lua = await newEngine();
    const [n, ...rest] = vals(
      lua,
      `local seen = {}
      debug.sethook(function()
        local info = debug.getinfo(2, "fS")
        if info and info.what == "C" then seen[#seen + 1] = info.func end
      end, "c")
      _home.x = 1 local _ = _home.x local _ = #_home for _ in pairs(_home) do end
      debug.sethook()
      local bad = 0
      for _, f in ipairs(seen) do
        for _, arg in ipairs({5, "s", io.stdout, {}, true}) do
          local ok = pcall(f, arg, 1, 2)
          if ok and f ~= pairs and f ~= next then bad = bad + 1 end
        end
      end
      return #seen, bad, _home.x`,
    );
    expect(n).toBeGreaterThan(0);
    expect(rest).toEqual([0, 1]);
    expect(vals(lua, "return 1 + 1")).toEqual([2]);
  });

  it("rawget, rawset and rawlen reach the store as indexing does (counted, no metatable to bypass); rawequal compares identity", async () => {
    const lua = await newEngine();
    const before = lua.getMemoryStats().host_bytes;
    expect(vals(lua, "rawset(_home, 'k', string.rep('x', 10000)) return #rawget(_home, 'k'), #_home.k")).toEqual([
      10000, 10000,
    ]);
    expect(lua.getMemoryStats().host_bytes - before).toBeGreaterThanOrEqual(10000);
    expect(vals(lua, "_io[1], _io[2] = 'a', 'b' return rawlen(_io), rawequal(rawset(_io, 3, 'c'), _io), #_io")).toEqual(
      [2, true, 3],
    );
    expect(vals(lua, "return rawequal(_home, Memory), rawequal(_home, _io)")).toEqual([true, false]);
  });

  it("the proxies keep their behaviour: tostring, type errors, #, pairs", async () => {
    const lua = await newEngine();
    expect(
      vals(
        lua,
        `local t = ext.table() t[1] = 'a' t[2] = 'b'
      local n = 0 for _ in pairs(t) do n = n + 1 end
      return tostring(t):match("^ext%.table: ") ~= nil, #t, n, select(2, pcall(string.rep, t))`,
      ),
    ).toEqual([true, 2, 2, "bad argument #1 to 'string.rep' (string expected, got ext.table)"]);
  });

  it("stays sealed after a snapshot restore", async () => {
    const L = await Lua.create();
    L.run("_home.v = 'before' T = ext.table() T.x = 1");
    const snap = L.snapshot();
    const L2 = await Lua.create();
    L2.restore(snap);
    expect(
      L2.run(`return getmetatable(_home), getmetatable(T), debug.getmetatable(T), debug.getregistry()._EXTMT,
      pcall(setmetatable, T, {})`),
    ).toEqual([null, null, null, null, false, MSG]);
    expect(L2.run("T.y = 2 _home.w = 'after' return T.x, T.y, _home.v, _home.w")).toEqual([1, 2, "before", "after"]);
  });
});
