// string.spec.ts - object/string.ts in isolation: short strings (up to LUAI_MAXSHORTLEN bytes) are
// interned, so equal bytes give the same object; long strings are not, and compare by bytes; the
// intern table grows and still finds every string; the hash depends on every byte and on the seed;
// embedded zeros are part of the string.
import {
  luaS_init, luaS_new, luaS_newlstr, luaS_hash, luaS_hashlongstr, luaS_eqstr, l_strcmp, getstr, tsslen,
  strtcount, strtsz, isshrstr,
} from "../../assembly/object/string";
import { LUAI_MAXSHORTLEN } from "../../assembly/luaconf";

const BUF: usize = memory.data(256);
function bytes(n: i32, c: u8): usize { memory.fill(BUF, c, <usize>n); return BUF; }

describe("interning", () => {
  beforeAll(() => { luaS_init(); });

  it("gives the same object for the same short string", () => {
    expect(luaS_new("hello")).toBe(luaS_new("hel" + "lo"));
    expect(luaS_new("hello")).not.toBe(luaS_new("hellO"));
  });

  it("interns up to LUAI_MAXSHORTLEN bytes and no longer", () => {
    const a = luaS_newlstr(bytes(LUAI_MAXSHORTLEN, 120), LUAI_MAXSHORTLEN);
    expect(isshrstr(a)).toBe(true);
    expect(luaS_newlstr(bytes(LUAI_MAXSHORTLEN, 120), LUAI_MAXSHORTLEN)).toBe(a);
    const b = luaS_newlstr(bytes(LUAI_MAXSHORTLEN + 1, 120), LUAI_MAXSHORTLEN + 1);
    const c = luaS_newlstr(bytes(LUAI_MAXSHORTLEN + 1, 120), LUAI_MAXSHORTLEN + 1);
    expect(isshrstr(b)).toBe(false);
    expect(b).not.toBe(c);
    expect(luaS_eqstr(b, c)).toBe(true);
  });

  it("keeps embedded zeros and a terminating zero after the bytes", () => {
    store<u8>(BUF, 97); store<u8>(BUF, 0, 1); store<u8>(BUF, 98, 2);
    const s = luaS_newlstr(BUF, 3);
    expect(tsslen(s)).toBe(3);
    expect(load<u8>(getstr(s), 1)).toBe(0);
    expect(load<u8>(getstr(s), 3)).toBe(0);
    expect(luaS_newlstr(BUF, 3)).toBe(s);
    expect(luaS_newlstr(BUF, 1)).not.toBe(s);               // "a" is another string
  });

  it("grows the intern table and still finds every string", () => {
    const before = strtsz();
    const n = before * 3;
    const first = new Array<usize>(n);
    for (let i = 0; i < n; i++) first[i] = luaS_new("key-" + i.toString());
    expect(strtsz()).toBeGreaterThan(before);
    expect(strtcount()).toBeGreaterThanOrEqual(n);
    for (let i = 0; i < n; i++) expect(luaS_new("key-" + i.toString())).toBe(first[i]);
  });
});

describe("hashing and comparison", () => {
  it("hashes every byte, under the seed", () => {
    const a = bytes(32, 65);
    const h = luaS_hash(a, 32, 7);
    expect(luaS_hash(a, 32, 7)).toBe(h);
    store<u8>(BUF, 66, 31);                                  // change the last byte
    expect(luaS_hash(BUF, 32, 7)).not.toBe(h);
    expect(luaS_hash(BUF, 32, 8)).not.toBe(luaS_hash(BUF, 32, 7));
  });

  it("hashes a long string once, on demand, as its bytes say", () => {
    const s = luaS_newlstr(bytes(100, 122), 100);
    const t = luaS_newlstr(bytes(100, 122), 100);
    expect(luaS_hashlongstr(s)).toBe(luaS_hashlongstr(t));
    expect(luaS_hashlongstr(s)).toBe(luaS_hashlongstr(s));
  });

  it("orders strings bytewise, shorter prefix first (l_strcmp)", () => {
    expect(l_strcmp(luaS_new("a"), luaS_new("b"))).toBeLessThan(0);
    expect(l_strcmp(luaS_new("ab"), luaS_new("a"))).toBeGreaterThan(0);
    expect(l_strcmp(luaS_new("same"), luaS_new("same"))).toBe(0);
    store<u8>(BUF, 0); store<u8>(BUF, 1, 1);
    const z = luaS_newlstr(BUF, 2);                           // "\0\1" sorts after "" and before "a"
    expect(l_strcmp(z, luaS_new(""))).toBeGreaterThan(0);
    expect(l_strcmp(z, luaS_new("a"))).toBeLessThan(0);
  });
});
