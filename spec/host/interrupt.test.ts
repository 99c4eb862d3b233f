// interrupt.test.ts - Lua.interrupt({ catchable: true }), lua.c's Ctrl-C (the lua-wasm CLI's first
// SIGINT): the ordinary error "interrupted!" at the next instruction, call or return of the script's
// thread (lua.c's lstop hook), with luaL_error's position (the running function's caller), which
// pcall catches and after which the script goes on; uncaught, the traceback starts at the running
// function, as lua.c's message handler reports it. The uncatchable interrupt() is await.test.ts's.
import { describe, expect, it } from "vitest";
import { Lua, LuaError } from "../../host/index.js";

/** Calls interrupt({ catchable: true }) after `ms`, while the async call pauses. */
function interruptSoon(lua: Lua, ms = 60): Promise<boolean> {
  return new Promise((done) => setTimeout(() => done(lua.interrupt({ catchable: true })), ms));
}

describe("Lua.interrupt({ catchable: true })", () => {
  it("is caught by pcall in a running async call, which then goes on and returns", async () => {
    const lua = await Lua.create();
    const requested = interruptSoon(lua);
    const r = await lua.runAsync(
      "local ok, e = pcall(function () while true do end end)\nlocal n = 0 for i = 1, 3e6 do n = n + 1 end\nreturn ok, e, n",
      { chunkname: "@x.lua" },
    );
    expect(await requested).toBe(true);
    expect(r).toEqual([false, "interrupted!", 3000000]);
  });

  it("uncaught, it ends the call with the caller's position and a traceback from the running function", async () => {
    const lua = await Lua.create();
    void interruptSoon(lua);
    const e = await lua
      .runAsync("local function f()\n  while true do end\nend\nf()\n", { chunkname: "@loop.lua" })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LuaError);
    expect((e as LuaError).message).toBe("loop.lua:4: interrupted!");
    expect((e as LuaError).traceback).toBe(
      "stack traceback:\n\tloop.lua:2: in local 'f'\n\tloop.lua:4: in main chunk\n\t[C]: in ?",
    );
    expect(await lua.run("return 1 + 1")).toEqual([2]); // the state goes on
  });

  it("from a JS function called by Lua, it is raised when that function returns (its return event)", async () => {
    const lua = await Lua.create();
    lua.global.set("stop", () => {
      lua.interrupt({ catchable: true });
    });
    const r = lua.run(
      "local ok, e = pcall(function ()\n  stop()\n  return 'not reached'\nend)\nreturn ok, e",
      "@cb.lua",
    );
    expect(r).toEqual([false, "cb.lua:2: interrupted!"]);
    expect(lua.run("return 'next call runs'")).toEqual(["next call runs"]);
  });

  it("waits for the script's own thread: a coroutine's loop goes on, the error comes at its return", async () => {
    const lua = await Lua.create();
    let printed = "";
    lua.global.set("note", (s: string) => void (printed += s));
    // the coroutine loops until the request has been made (whatever the speed of the loop: the JIT
    // runs it in tens of ms); the request stays pending until the script's own thread is back
    let asked = false;
    lua.global.set("asked", () => asked);
    void interruptSoon(lua, 5).then(() => (asked = true));
    const e = await lua
      .runAsync(
        "local co = coroutine.wrap(function () repeat for i = 1, 1e5 do end until asked() note('co done') end)\n" +
          "co()\nnote('not reached')",
        { chunkname: "@co.lua" },
      )
      .catch((x: unknown) => x);
    // the coroutine ran to its end across pauses; the interrupt fired at the return of wrap's
    // function in the script's thread (lua.c: its hook's return event), positioned at that call
    expect(printed).toBe("co done");
    expect((e as LuaError).message).toBe("co.lua:2: interrupted!");
  });

  it("does nothing when nothing runs, and is not kept for the next call", async () => {
    const lua = await Lua.create();
    expect(lua.interrupt({ catchable: true })).toBe(false);
    expect(await lua.runAsync("local n = 0 for i = 1, 1e6 do n = n + 1 end return n")).toEqual([1000000]);
  });

  it("an uncatchable interrupt() still wins over a pending catchable one", async () => {
    const lua = await Lua.create();
    setTimeout(() => {
      lua.interrupt({ catchable: true });
      lua.interrupt();
    }, 60);
    const e = await lua.runAsync("while true do pcall(function () while true do end end) end").catch((x: unknown) => x);
    expect((e as LuaError).message).toBe("interrupted!");
  });
});
