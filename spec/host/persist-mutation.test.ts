// persist-mutation.test.ts - regressions found by the snapshot and saved-state mutation fuzzer
// (spec/fuzz/targets/snapshot-mutation.ts): each mutant is a clear error that leaves the live state
// as it was, never a raw JS exception text or a trap.
import { describe, expect, it } from "vitest";
import { LuaPersistent, type StorageAdapter } from "../../host/index.js";
import { crc32 } from "../../host/persist/format.js";
import { evalOk } from "./helpers.js";

/** A storage whose image the test sets directly. */
function holder(): StorageAdapter & { image: Uint8Array | null } {
  const h = {
    image: null as Uint8Array | null,
    load: async () => h.image,
    save: async (b: Uint8Array) => { h.image = b.slice(); },
    clear: async () => { h.image = null; },
  };
  return h;
}

/** Sets the CRC-32 of bytes 12.. at offset 8, as a valid image has it. */
function withCrc(b: Uint8Array): Uint8Array {
  new DataView(b.buffer, b.byteOffset).setUint32(8, crc32(b.subarray(12)), true);
  return b;
}

async function engineWith(storage: StorageAdapter): Promise<LuaPersistent> {
  const lua = new LuaPersistent({ storage });
  await lua.load();
  lua.init();
  return lua;
}

describe("saved _home images with a valid checksum but a broken payload", () => {
  it("an image truncated inside its table count is 'corrupt (truncated value)', _home unchanged", async () => {
    const s = holder();
    const lua = await engineWith(s);
    evalOk(lua, `_home.v = "saved"`);
    expect(await lua.saveState()).toBe(true);
    evalOk(lua, `_home.v = "live"`);
    for (const n of [12, 13, 14, 15]) {
      s.image = withCrc(s.image!.slice(0, n));
      expect(await lua.loadState()).toBe(false);
      expect(lua.getLastError()).toBe("cannot load state: persisted state is corrupt (truncated value)");
      expect(evalOk(lua, `return _home.v`).value).toBe("live");
      evalOk(lua, `_home.v = "saved"`);
      expect(await lua.saveState()).toBe(true);
      evalOk(lua, `_home.v = "live"`);
    }
  });
});
