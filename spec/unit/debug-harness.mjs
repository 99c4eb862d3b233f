// debug-harness.mjs - compares the messages of assembly/vm/debug.ts with lua5.4 on code compiled
// by luac5.4 (so it checks the symbolic execution independently of our compiler).
// Build and run:
//   node_modules/.bin/asc spec/unit/debug-harness.ts --config spec/unit/asconfig.debug.json
//   node spec/unit/debug-harness.mjs build/unit/debug-harness.wasm [case.lua ...]
// For each case: lua5.4 runs it and prints "file:LINE: message"; luac5.4 compiles it; the harness
// stops a synthetic frame at each instruction of that line that can raise (all registers nil) and
// raises. The message of the last such instruction must equal lua5.4's; a match on an earlier
// instruction of the line, or one differing only in the operand's type name (the harness cannot
// know runtime types), is counted apart. The final line is "N passed (...), N failed".
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cases = [
  // index
  "local x\nlocal y = x.field",
  "local y = undefinedglobal.z",
  "local t = {}\nlocal y = t.a.b",
  "local t = {}\nlocal y = t[1].b",
  "local t = {}\nlocal k = 'key'\nlocal y = t[k].b",
  "local t = {}\nlocal y = t.a[1]",
  "local t = {}\nlocal k\nlocal y = t[k .. 'x'].b",
  "t = {}\nlocal y = t.a.b",
  "local u\nfunction f() return u.x end\nf()",
  "local u\nfunction f() return u[1] end\nf()",
  "local u = {}\nfunction f() return u.a.b end\nf()",
  "local x\nx.y = 1",
  "local x = {}\nx.y.z = 1",
  "gx.y = 1",
  "local _ENV = {}\nlocal y = gg.h",
  "local e = {}\nlocal y = e._ENV.x.y",
  "local _ENV = {z = {}}\nlocal y = z._ENV.k",
  "local s\nlocal y = s:method()",
  "local t = {}\nt:meth()",
  "local t = {}\nlocal m = 'name'\nlocal y = t[m]()",
  "local a = {}\nlocal y = a.b.c.d",
  "local t = setmetatable({}, {__name = 'MyType'})\nlocal y = t.x.y",
  // call
  "local f\nf()",
  "nofunc()",
  "local t = {}\nt.x()",
  "local t = {}\nt:x()",
  "local t = {}\nt[1]()",
  "local u\nfunction g() u() end\ng()",
  "local u\nfunction g() return u() end\ng()",
  "local t = {}\nlocal y = ('x')()",
  "local a, b\nlocal y = (a or b)()",
  "local t = {{}}\nt[1][2]()",
  "local t = {}\nlocal y = #t.x",
  "local t = {}\nlocal y = -t.x",
  "local t = {}\nlocal y = t.x + 1",
  "local t = {}\nlocal y = 1 + t.x",
  "local t = {}\nlocal y = t.x * 2.5",
  "local t = {}\nlocal y = t.x + t.y",
  "local x\nlocal y = x + 1",
  "local y = gz + 1",
  "local u\nfunction h() return u + 1 end\nh()",
  "local t = {}\nlocal y = t.x .. 'a'",
  "local x, z\nlocal y = x .. z",
  "local y = gcat .. 'a'",
  "local y = gnum // 10",
  // more symbolic execution
  "local a = {}\nif a then a = nil end\nlocal y = a.x",
  "local t = {}\nlocal v = t.x\nif v then v = 1 end\nlocal z = v.w",
  "local t = {}\nfor i = 1, 2 do local y = t.q.w end",
  "local t = {}\nfor k, v in pairs({1}) do local y = v.w end",
  "local t = {}\nlocal y = t.x\nlocal z = y.w",
  "local t = {}\nlocal a, b = t.x, t.y\nlocal z = b.w",
  "local a = 'str'\nlocal b = a\nlocal y = b.x.y",
  "function gf() end\nlocal y = gf().x",
  "local t = {}\nlocal y = t.x.y.z",
  "local t = {}\nlocal y = t['a b'].z",
  "local t = {}\nlocal y = t[1.5].z",
  "local t = {}\nlocal y = t[true].z",
  "local mt = {}\nlocal y = math.nothing.x",
  "local y = string.nothing.x",
];

const wasm = process.argv[2];
if (process.argv.length > 3) {
  // Lua files given: use them as the cases
  cases.length = 0;
  for (const f of process.argv.slice(3)) cases.push(readFileSync(f, "utf8").replace(/\n$/, ""));
}
const mod = await WebAssembly.instantiate(readFileSync(wasm), {
  env: {
    abort() {
      throw new Error("abort");
    },
  },
});
const ex = mod.instance.exports;
const mem = () => new Uint8Array(ex.memory.buffer);
const dir = mkdtempSync(join(tmpdir(), "dbgh-"));
const dec = new TextDecoder();
let pass = 0,
  fail = 0,
  loose = 0,
  typeonly = 0;
const typeless = (m) => m.replace(/ an? [\w ]+? value/, " a <type> value");

for (const [idx, src] of cases.entries()) {
  const file = join(dir, `c${idx}.lua`);
  writeFileSync(file, src + "\n");
  const r = spawnSync("lua5.4", [file], { encoding: "utf8" });
  const m = /^lua5\.4: (.*)$/m.exec(r.stderr);
  if (!m) {
    console.log(`case ${idx}: lua5.4 did not fail`);
    fail++;
    continue;
  }
  const expected = m[1];
  const line = Number(/^[^:]*:(\d+):/.exec(expected)?.[1] ?? -1);
  if (spawnSync("luac5.4", ["-o", file + "c", file]).status !== 0) {
    console.log(`case ${idx}: luac5.4 failed`);
    fail++;
    continue;
  }
  const bin = readFileSync(file + "c");
  mem().set(bin, ex.inbuf.value);
  const main = ex.t_load(bin.length);
  // collect protos in DFS order, then candidates on the error line
  const protos = [];
  (function walk(p) {
    protos.push(p);
    for (let i = 0; ; i++) {
      const s = ex.t_sub(p, i);
      if (!s) break;
      walk(s);
    }
  })(main);
  const got = [];
  const linfo = (p, pc) => {
    const li = new DataView(ex.memory.buffer).getUint32(p + 56, true);
    return li ? new DataView(ex.memory.buffer).getInt32(li + pc * 4, true) : -1;
  };
  for (const p of protos) {
    for (let pc = 0; pc < ex.t_sizecode(p); pc++) {
      if (linfo(p, pc) !== line) continue;
      const n = ex.t_error(p, pc);
      if (n < 0) continue;
      got.push(dec.decode(mem().slice(ex.outbuf.value, ex.outbuf.value + n)).replace(/^.*?:/, `${file}:`));
    }
  }
  const pick = got[got.length - 1];
  const exp = expected.replace(/^.*?:/, `${file}:`);
  if (pick === exp) pass++;
  else if (got.includes(exp))
    loose++; // an earlier instruction of the line fails in lua5.4
  else if (got.map(typeless).includes(typeless(exp)))
    typeonly++; // operand was not nil in lua5.4
  else {
    fail++;
    console.log(
      `case ${idx}: ${JSON.stringify(src)}\n  lua5.4: ${exp}\n  ours:   ${pick}\n  all:    ${JSON.stringify(got)}`,
    );
  }
}
console.log(
  `${pass + loose + typeonly} passed (${loose} on an earlier instruction of the line, ${typeonly} with another operand type), ${fail} failed`,
);
