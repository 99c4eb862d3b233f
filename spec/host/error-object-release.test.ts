// error-object-release.test.ts - the last error object does not outlive the call that raised it: the
// module keeps an error in flight in a root slot (errobj), which the end of each outermost entry
// clears, so an error value caught by pcall (a Lua table, a JS object raised by a JS function) is
// garbage once the script dropped it. Found by the js-refs fuzzer (seed 99): a JS object thrown by a
// method and caught by pcall stayed referenced until the next error.
import { describe, expect, it } from "vitest";
import { Lua } from "../../host/index.js";

describe("an error object caught by pcall", () => {
  it("is collected after the call that caught it, a Lua table or a JS object", async () => {
    const L = await Lua.create();
    L.global.set("throwjs", () => {
      throw { code: 7 };
    });
    L.run(`weak = setmetatable({}, {__mode = "v"})
      local ok, e = pcall(error, {})
      weak[1] = e
      local ok2, e2 = pcall(throwjs)
      weak[2] = e2
      assert(type(e2) == "userdata" and e2.code == 7)`);
    expect(L.run("collectgarbage() collectgarbage() return weak[1] == nil, weak[2] == nil")).toEqual([true, true]);
    L.close();
  });

  it("is still the error a later handler sees while it is in flight", async () => {
    const L = await Lua.create();
    // the object travels through __close and a nested pcall inside it before pcall delivers it
    expect(
      L.run(`local obj = {tag = "E"}
        local ok, e = pcall(function()
          local t <close> = setmetatable({}, {__close = function(_, err) pcall(error, "inner") end})
          error(obj)
        end)
        return ok, e == obj, e.tag`),
    ).toEqual([false, true, "E"]);
    L.close();
  });
});
