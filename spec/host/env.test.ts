// env.test.ts - the `env` option behind os.getenv (the lua_getenv import): none by default, the
// given variables otherwise, kept across re-init; the sandbox removes os.getenv altogether.
import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent } from "../../host/index.js";

const quiet = { stdout: () => {}, stderr: () => {} };

describe("os.getenv", () => {
  it("sees no environment by default", async () => {
    const lua = await Lua.create(quiet);
    expect(lua.run(`return os.getenv("PATH"), os.getenv("HOME")`)).toEqual([null, null]);
    lua.close();
  });

  it("sees the variables of the env option, as UTF-8 strings of any length", async () => {
    const long = "é".repeat(1000);
    const lua = await Lua.create({ ...quiet, env: { LANG: "C", EMPTY: "", LONG: long, UNSET: undefined } });
    expect(lua.run(`return os.getenv("LANG"), os.getenv("EMPTY"), #os.getenv("LONG"), os.getenv("UNSET")`)).toEqual([
      "C",
      "",
      2000,
      null,
    ]);
    expect(lua.run(`return os.getenv("LONG")`)).toEqual([long]);
    expect(lua.run(`return os.getenv("toString"), os.getenv("__proto__")`)).toEqual([null, null]);
    expect(() => lua.run(`return os.getenv()`)).toThrow("bad argument #1 to 'getenv' (string expected, got no value)");
    lua.close();
  });

  it("keeps the env option across init() of a LuaPersistent", async () => {
    const lua = new LuaPersistent({ env: { GREETING: "hi" } });
    await lua.load();
    lua.init();
    expect(lua.eval(`return os.getenv("GREETING")`)?.value).toBe("hi");
    lua.init();
    expect(lua.eval(`return os.getenv("GREETING")`)?.value).toBe("hi");
    lua.close();
  });

  it("is removed by the sandbox", async () => {
    const lua = await Lua.create({ ...quiet, sandbox: true, env: { A: "1" } });
    expect(lua.run(`return os.getenv`)).toEqual([null]);
    lua.close();
  });
});
