// engine.test.ts - the seed-compatible LuaPersistent API against the built module: results, output,
// errors, persistence, memory statistics and the 64 KiB IO buffer limits.
import { beforeAll, describe, expect, it } from "vitest";
import { LuaOpaque, type LuaPersistent } from "../../host/index.js";
import { evalOk, newEngine } from "./helpers.js";

let lua: LuaPersistent;
beforeAll(async () => {
  lua = await newEngine();
});

describe("eval results", () => {
  it("returns the first value, all values and the captured output", () => {
    const r = evalOk(lua, `print("hi", 1) return 1, "two", nil, true`);
    expect(r.value).toBe(1);
    expect(r.values).toEqual([1, "two", null, true]);
    expect(r.output).toBe("hi\t1\n");
  });

  it("returns value null and no values when the chunk returns nothing", () => {
    const r = evalOk(lua, "local x = 1");
    expect(r.values).toEqual([]);
    expect(r.value).toBeNull();
    expect(r.output).toBe("");
  });

  it("returns integers as numbers and floats as numbers", () => {
    expect(evalOk(lua, "return 7 // 2, 7 / 2, 2^53").values).toEqual([3, 3.5, 2 ** 53]);
  });

  it("returns integers beyond 2^53 as bigint, exactly", () => {
    expect(evalOk(lua, "return math.maxinteger, math.mininteger, (1 << 53) + 1").values).toEqual([
      2n ** 63n - 1n,
      -(2n ** 63n),
      2n ** 53n + 1n,
    ]);
  });

  it("returns strings decoded as UTF-8, embedded zeros included", () => {
    expect(evalOk(lua, `return "héllo", "a\\0b"`).values).toEqual(["héllo", "a\0b"]);
  });

  it("returns sequences as arrays and other tables as objects", () => {
    const r = evalOk(lua, `return {10, 20, 30}, {x = 1, y = "two"}, {}, {[1] = "a", [3] = "c"}`);
    expect(r.values).toEqual([[10, 20, 30], { x: 1, y: "two" }, {}, { 1: "a", 3: "c" }]);
  });

  it("returns nested tables, keeping cycles and shared subtables as the same JS object", () => {
    const r = evalOk(lua, `local s = {1} local t = {a = s, b = s} t.self = t return t`);
    const t = r.value as Record<string, unknown>;
    expect(t.self).toBe(t);
    expect(t.a).toBe(t.b);
    expect(t.a).toEqual([1]);
  });

  it("returns functions as opaque values showing their tostring text", () => {
    const [f, g] = evalOk(lua, "return print, function() end").values;
    expect(f).toBeInstanceOf(LuaOpaque);
    expect((f as LuaOpaque).type).toBe("function");
    expect(String(f)).toMatch(/^function: /);
    expect(String(g)).toMatch(/^function: /);
  });
});

describe("errors", () => {
  it("returns null and gives the exact Lua message through getLastError", () => {
    expect(lua.eval("local t = nil; return t.x")).toBeNull();
    expect(lua.getLastError()).toBe("input:1: attempt to index a nil value (local 't')");
  });

  it("reports the kind, status and traceback of the last error", () => {
    expect(lua.eval(`error("boom")`)).toBeNull();
    const e = lua.getLastLuaError()!;
    expect(e.message).toBe("input:1: boom");
    expect(e.kind).toBe("runtime");
    expect(e.status).toBe(2);
    expect(e.traceback).toMatch(/^stack traceback:\n\t/);
  });

  it("reports syntax errors with status 3 and Lua's wording", () => {
    expect(lua.eval("x = = 1")).toBeNull();
    expect(lua.getLastError()).toBe("input:1: unexpected symbol near '='");
    expect(lua.getLastLuaError()!.kind).toBe("syntax");
  });

  it("reports a non-string error value as lua.c does", () => {
    expect(lua.eval("error({})")).toBeNull();
    expect(lua.getLastError()).toBe("(error object is a table value)");
  });

  it("clears the last error after a success", () => {
    lua.eval("error('x')");
    evalOk(lua, "return 1");
    expect(lua.getLastError()).toBeNull();
  });

  it("keeps output printed before an error out of the next result", () => {
    lua.eval(`print("lost") error("x")`);
    expect(evalOk(lua, "return 1").output).toBe("");
  });

  it("catches errors inside pcall without disturbing the state", () => {
    const r = evalOk(lua, `return pcall(error, "caught")`);
    expect(r.values).toEqual([false, "caught"]);
    expect(evalOk(lua, "return 2").value).toBe(2);
  });
});

describe("persistent state", () => {
  it("keeps globals across evals", () => {
    evalOk(lua, "counter = 41");
    expect(evalOk(lua, "counter = counter + 1 return counter").value).toBe(42);
  });

  it("keeps closures and their upvalues across evals", () => {
    evalOk(lua, "local n = 0 function bump() n = n + 1 return n end");
    evalOk(lua, "bump()");
    expect(evalOk(lua, "return bump()").value).toBe(2);
  });

  it("stays usable after an error", () => {
    evalOk(lua, "kept = 'yes'");
    lua.eval("error('fail')");
    expect(evalOk(lua, "return kept").value).toBe("yes");
  });
});

describe("memory statistics", () => {
  it("reports real numbers consistent with the wasm memory", () => {
    const s = lua.getMemoryStats();
    expect(s.io_buffer_size).toBe(65536);
    expect(Number.isInteger(s.wasm_pages) && s.wasm_pages >= 1).toBe(true);
    expect(s.total).toBe(s.wasm_pages * 65536);
    expect(s.lua_memory_used).toBeGreaterThan(0);
    expect(s.lua_memory_used).toBeLessThan(s.total);
    expect(s.used).toBe(s.lua_memory_used);
    expect(s.free).toBe(s.total - s.used);
  });

  it("agrees with collectgarbage('count')", () => {
    const kb = evalOk(lua, "collectgarbage() return collectgarbage('count')").value as number;
    const bytes = lua.getMemoryStats().lua_memory_used;
    expect(Math.abs(bytes - kb * 1024)).toBeLessThan(64 * 1024);
  });

  it("frees garbage: 300 evals allocating tables do not grow the heap", () => {
    lua.collectGarbage();
    const before = lua.getMemoryStats().lua_memory_used;
    for (let i = 0; i < 300; i++) evalOk(lua, "local t = {} for j = 1, 100 do t[j] = {j} end");
    lua.collectGarbage();
    expect(lua.getMemoryStats().lua_memory_used - before).toBeLessThan(64 * 1024);
  });
});

describe("IO buffer limits", () => {
  it("delivers output larger than 64 KiB completely and in order", () => {
    const r = evalOk(lua, `for i = 1, 20000 do print(string.format("line %05d", i)) end`);
    const lines = r.output.split("\n");
    expect(r.output.length).toBe(20000 * 11);
    expect(lines[0]).toBe("line 00001");
    expect(lines[19999]).toBe("line 20000");
  });

  it("delivers a single string longer than the buffer", () => {
    const r = evalOk(lua, `io.write(string.rep("ab", 100000))`);
    expect(r.output).toBe("ab".repeat(100000));
  });

  it("compiles and runs source longer than 64 KiB", () => {
    const body = Array.from({ length: 12000 }, (_, i) => `x = ${i}`).join("\n");
    expect(body.length).toBeGreaterThan(65536);
    expect(evalOk(lua, `${body}\nreturn x`).value).toBe(11999);
  });

  it("keeps a multi-byte UTF-8 character split across source chunks intact", () => {
    const pad = "-".repeat(65535); // "é" straddles the first 64 KiB chunk boundary
    expect(evalOk(lua, `--${pad}\nreturn "é"`).value).toBe("é");
  });
});
