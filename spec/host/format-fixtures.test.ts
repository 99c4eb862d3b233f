// format-fixtures.test.ts - data saved by earlier releases keeps loading. spec/fixtures/formats holds a
// _home image, a whole-state snapshot and a string.dump chunk per release that wrote a format
// (generate.ts); each is loaded with the current build and the state it carries is checked in Lua.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lua, LuaPersistent, MemoryStorage } from "../../host/index.js";

const dir = join(import.meta.dirname, "../fixtures/formats");
const lua = (name: string) => readFileSync(join(dir, name), "utf8");
const fixtures = (prefix: string) => readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(".bin"));

describe("saved formats of earlier releases", () => {
  it("has a fixture of each format", () => {
    expect(fixtures("home-").length).toBeGreaterThan(0);
    expect(fixtures("snapshot-").length).toBeGreaterThan(0);
    expect(fixtures("dump-").length).toBeGreaterThan(0);
  });

  for (const file of fixtures("home-")) {
    it(`loads the _home image ${file} with its tables, shared subtables, cycles and closures`, async () => {
      const storage = new MemoryStorage();
      await storage.save(new Uint8Array(readFileSync(join(dir, file))));
      const engine = new LuaPersistent({ storage });
      await engine.load();
      engine.init();
      expect(await engine.loadState()).toBe(true);
      expect(engine.eval(lua("check-home.lua"), "@check-home.lua")?.value ?? engine.getLastError()).toBe("ok");
      engine.close();
    });
  }

  for (const file of fixtures("snapshot-")) {
    it(`restores the snapshot ${file} with globals, metatables, a suspended coroutine and _home`, async () => {
      const engine = new LuaPersistent();
      await engine.load();
      engine.init();
      expect(engine.restore(new Uint8Array(readFileSync(join(dir, file)))) || engine.getLastError()).toBe(true);
      expect(engine.eval(lua("check-state.lua"), "@check-state.lua")?.value ?? engine.getLastError()).toBe("ok");
      engine.close();
    });
  }

  for (const file of fixtures("dump-")) {
    it(`loads the binary chunk ${file} written by string.dump`, async () => {
      const engine = await Lua.create();
      engine.global.set("chunk", new Uint8Array(readFileSync(join(dir, file))));
      expect(engine.run(lua("check-dump.lua"), "@check-dump.lua")).toEqual(["ok"]);
      engine.close();
    });
  }
});
