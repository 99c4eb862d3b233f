// run.mjs - compiler listing tests: builds spec/code/harness.ts from the working tree's compiler
// (assembly/compiler and what it imports, as they are on disk) into build/code/harness.wasm, compiles
// every spec/code/*.lua (plus generated hostile inputs) and diffs our `luac -l -l` listing, or our
// error message, against luac5.4's. Addresses (0x...) are normalised. Exit code 1 on any difference.
// Cases: <name>.lua must compile to luac5.4's listing; err_<what>.lua must fail with luac5.4's
// message (err_ files are also left out of the mutation fuzzing, whose seeds should compile).
//   node spec/code/run.mjs [name-filter...]      env: FUZZ=n (n mutated cases instead, SEED=k) LUAC=/usr/bin/luac5.4  LUA=/usr/bin/lua5.4  VERBOSE=1  DUMP=/tmp/dir (write both outputs)
// Invariant: what is tested is the working tree; if the harness does not build, the run fails (one
// failure, with the compiler's errors and the command that reproduces them), never a stand-in.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const LUAC = process.env.LUAC || "/usr/bin/luac5.4";
const LUA = process.env.LUA || "/usr/bin/lua5.4";

/** Prints why nothing could be tested and ends the run as one failure. */
function fatal(why) {
  console.log(why);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

for (const [bin, name] of [
  [LUAC, "LUAC"],
  [LUA, "LUA"],
]) {
  if (!fs.existsSync(bin))
    fatal(`${bin} not found: install Debian's lua5.4 (apt-get install lua5.4) or set ${name}=/path`);
}

// ---- build the harness from the working tree (spec/code/asconfig.json: options and output file)
const ASC = path.join(root, "node_modules", ".bin", "asc");
const BUILD_CMD = "npx asc spec/code/harness.ts --config spec/code/asconfig.json";
if (!fs.existsSync(ASC)) fatal(`${ASC} not found: run npm ci (assemblyscript is a devDependency)`);
const wasmPath = path.join(root, "build", "code", "harness.wasm");
fs.mkdirSync(path.dirname(wasmPath), { recursive: true });
const built = spawnSync(ASC, ["spec/code/harness.ts", "--config", "spec/code/asconfig.json"], {
  cwd: root,
  encoding: "utf8",
});
if (built.status !== 0 || !fs.existsSync(wasmPath)) {
  fatal(
    `${built.stdout}${built.stderr}${built.error ?? ""}\n` +
      `the compiler harness did not build from the working tree (exit ${built.status}); \`${BUILD_CMD}\` reproduces it`,
  );
}
const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));
/** Generated and mutated cases are written here, so luac5.4 reads the same bytes we compile. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "luacode-"));

let inst;
function instantiate() {
  inst = new WebAssembly.Instance(wasmModule, {
    env: {
      abort(msg, file, line, col) {
        throw new Error(`abort at ${line}:${col}`);
      },
      trace() {},
      seed() {
        return 42;
      },
    },
  }).exports;
}
instantiate();

function ourCompile(src, chunkname) {
  const name = Buffer.from(chunkname, "latin1");
  const p = inst.alloc_input(src.length + name.length);
  new Uint8Array(inst.memory.buffer, p, src.length).set(src);
  new Uint8Array(inst.memory.buffer, p + src.length, name.length).set(name);
  const ok = inst.compile(p, src.length, p + src.length, name.length, 1);
  const out = Buffer.from(new Uint8Array(inst.memory.buffer, inst.out_ptr(), inst.out_len())).toString("latin1");
  inst.free_input(p);
  return { ok: ok === 1, out };
}

function luacCompile(dir, file) {
  const r = spawnSync(LUAC, ["-l", "-l", "-p", file], { cwd: dir, encoding: "latin1", maxBuffer: 1 << 28 });
  if (r.status === 0) return { ok: true, out: r.stdout };
  return {
    ok: false,
    out: r.stderr
      .replace(/^luac5\.4: /, "")
      .replace(/^[^:\n]*luac[^:]*: /, "")
      .trimEnd(),
  };
}

const norm = (s) => s.replace(/0x[0-9a-f]+/g, "0xADDR").trimEnd();

function firstDiff(a, b) {
  const la = a.split("\n"),
    lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      const ctx = [];
      for (let j = Math.max(0, i - 3); j < Math.min(Math.max(la.length, lb.length), i + 4); j++) {
        if (la[j] === lb[j]) ctx.push(`   ${la[j]}`);
        else {
          if (lb[j] !== undefined) ctx.push(` - ${lb[j]}`);
          if (la[j] !== undefined) ctx.push(` + ${la[j]}`);
        }
      }
      return `line ${i + 1}:\n${ctx.join("\n")}`;
    }
  }
  return "";
}

// ---- generated hostile inputs (written to the temporary dir so luac5.4 sees the same bytes)
const gen = {
  gen_deep_parens: "x = " + "(".repeat(300) + "1" + ")".repeat(300),
  gen_deep_ok_parens: "x = " + "(".repeat(150) + "1" + ")".repeat(150),
  gen_deep_blocks: "do ".repeat(300) + "end ".repeat(300),
  gen_deep_tables: "x = " + "{".repeat(300) + "}".repeat(300),
  gen_deep_funcs: "return " + "function() return ".repeat(250) + "1" + " end".repeat(250),
  gen_many_locals: Array.from({ length: 300 }, (_, i) => `local v${i} = ${i}`).join("\n"),
  gen_many_upvalues:
    Array.from({ length: 300 }, (_, i) => `local v${i}`)
      .slice(0, 190)
      .join("\n") +
    "\n" +
    "local function f() return " +
    Array.from({ length: 190 }, (_, i) => `v${i}`).join("+") +
    " end",
  gen_too_many_upvalues:
    "local function outer()\n" +
    Array.from({ length: 150 }, (_, i) => `local a${i}`).join(" ") +
    "\nlocal function mid()\n" +
    Array.from({ length: 150 }, (_, i) => `local b${i}`).join(" ") +
    "\nreturn function() return " +
    Array.from({ length: 150 }, (_, i) => `a${i} + b${i}`).join(" + ") +
    " end\nend\nend",
  gen_for_too_long: "for i = 1, 2 do\n" + "x = i\n".repeat(140000) + "end",
  gen_many_registers:
    "local t = {" + Array.from({ length: 300 }, (_, i) => `f(${i}, `).join("") + "1" + ")".repeat(300) + "}",
  gen_big_constructor: "local t = {" + Array.from({ length: 600 }, (_, i) => `${i}, "s${i}"`).join(", ") + "}",
  gen_big_record: "local t = {" + Array.from({ length: 300 }, (_, i) => `k${i} = ${i}.5`).join(", ") + "}",
  gen_many_constants: "local t = {}\n" + Array.from({ length: 400 }, (_, i) => `t.k${i} = "v${i}"`).join("\n"),
  gen_long_jump: "local x = 0\nif x then\n" + "x = x + 1\n".repeat(40000) + "end\nwhile x < 3 do x = x + 1 end",
  gen_long_string_eq: "local a = [==[" + "x".repeat(100) + "]==]\nlocal b = [[" + "x".repeat(100) + "]]\nreturn a == b",
  gen_utf8_big: 'return "\\u{7FFFFFFF}", "\\u{10FFFF}", "\\u{80}"',
  gen_utf8_toobig: 'return "\\u{80000000}"',
  gen_unfinished_long: "x = [==[ abc\n\n",
  gen_unfinished_comment: "--[[ abc\n\n",
  gen_zero_bytes: "x = 1\0 y",
  gen_zero_in_string: 'return "a\0b"',
  gen_high_bytes: "x = \xff",
  gen_shebang: "#!/usr/bin/lua\nreturn 1",
};

function cases() {
  const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith(".lua"))
    .sort();
  const list = files.map((f) => ({ name: f, dir: here, file: f }));
  const gdir = path.join(tmp, "gen");
  fs.mkdirSync(gdir, { recursive: true });
  for (const [k, v] of Object.entries(gen)) {
    fs.writeFileSync(path.join(gdir, k + ".lua"), Buffer.from(v, "latin1"));
    list.push({ name: k + ".lua", dir: gdir, file: k + ".lua" });
  }
  return list;
}

// ---- mutation fuzzing (FUZZ=n): random edits of the committed cases must give luac5.4's result
function mutate(buf, rnd) {
  const b = Buffer.from(buf);
  const n = 1 + Math.floor(rnd() * 4);
  let out = b;
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(rnd() * out.length);
    const r = rnd();
    if (r < 0.4)
      out[pos] = " ()[]{}=.,;:'\"\\-+*/~<>#0123456789abcdefxzpe\n\t\0\xff".charCodeAt(Math.floor(rnd() * 44)) & 255;
    else if (r < 0.7) out = Buffer.concat([out.subarray(0, pos), out.subarray(pos + 1 + Math.floor(rnd() * 8))]);
    else if (r < 0.85) out = out.subarray(0, pos);
    else {
      const q = Math.floor(rnd() * out.length);
      out = Buffer.concat([out.subarray(0, pos), out.subarray(q, q + 20), out.subarray(pos)]);
    }
  }
  return out;
}
function fuzzCases(n) {
  let seed = Number(process.env.SEED || 1234567);
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith(".lua") && !f.startsWith("err_"))
    .sort();
  const fdir = path.join(tmp, "fuzz");
  fs.mkdirSync(fdir, { recursive: true });
  const list = [];
  for (let i = 0; i < n; i++) {
    const f = files[Math.floor(rnd() * files.length)];
    const name = `fuzz_${i}.lua`;
    fs.writeFileSync(path.join(fdir, name), mutate(fs.readFileSync(path.join(here, f)), rnd));
    list.push({ name, dir: fdir, file: name });
  }
  return list;
}

/**
 * The one listed difference from luac5.4 (Debian's 5.4.4): Lua 5.4.8 removes a block's variables
 * before emitting the CLOSE of a `break`, so such locals end one instruction earlier in the debug
 * info ("locals" section: same name and start pc, end pc one less). We follow 5.4.8 (the official
 * suite's locals.lua depends on it); the bytecode itself must still be identical.
 */
function onlyEndpc548(ours, want) {
  const x = ours.split("\n"),
    y = want.split("\n");
  if (x.length !== y.length) return false;
  let differs = false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    const m = /^\t(\d+)\t(.+)\t(\d+)\t(\d+)$/.exec(x[i]),
      n = /^\t(\d+)\t(.+)\t(\d+)\t(\d+)$/.exec(y[i]);
    if (!m || !n || m[1] !== n[1] || m[2] !== n[2] || m[3] !== n[3] || Number(m[4]) !== Number(n[4]) - 1) return false;
    let j = i; // the line must be inside a "locals (N)" section
    while (j > 0 && !/^locals \(/.test(x[j])) j--;
    if (!/^locals \(/.test(x[j])) return false;
    differs = true;
  }
  return differs;
}

const filters = process.argv.slice(2);
let passed = 0,
  failed = 0;
const all = process.env.FUZZ ? fuzzCases(Number(process.env.FUZZ)) : cases();
for (const c of all) {
  if (filters.length && !filters.some((f) => c.name.includes(f))) continue;
  const src = fs.readFileSync(path.join(c.dir, c.file));
  const want = luacCompile(c.dir, c.file);
  let got;
  try {
    got = ourCompile(src, "@" + c.file);
  } catch (e) {
    got = { ok: false, out: `TRAP: ${e.message}` };
    instantiate();
  }
  const a = norm(got.out),
    b = norm(want.out);
  if (process.env.DUMP) {
    fs.writeFileSync(`${process.env.DUMP}/ours_${c.name}.txt`, a + "\n");
    fs.writeFileSync(`${process.env.DUMP}/want_${c.name}.txt`, b + "\n");
  }
  if (got.ok === want.ok && a === b) {
    passed++;
    if (process.env.VERBOSE) console.log(`ok   ${c.name}`);
    continue;
  }
  if (got.ok && want.ok && onlyEndpc548(a, b)) {
    passed++;
    if (process.env.VERBOSE) console.log(`ok   ${c.name} (5.4.8 local end pcs)`);
    continue;
  }
  failed++;
  console.log(`FAIL ${c.name} (ours ${got.ok ? "compiled" : "error"}, luac5.4 ${want.ok ? "compiled" : "error"})`);
  if (!want.ok || !got.ok) console.log(`  want: ${b.slice(0, 300)}\n  got:  ${a.slice(0, 300)}`);
  else console.log(firstDiff(a, b));
}
// ---- chunk names (luaO_chunkid) against lua5.4's load(src, name) messages
const chunkCases = [
  ["x = = 1", "=input"],
  ["x = = 1", "=" + "n".repeat(80)],
  ["x = = 1", "@" + "d/".repeat(50) + "f.lua"],
  ["x = = 1", "@short.lua"],
  ["x = = 1", null],
  ["local a\nx = = 1", null],
  ["x = = 1 -- " + "c".repeat(60), null],
  ["x = 'unfinished", "=stdin"],
  ["x = = 1", "=" + "n".repeat(59)],
  ["x = = 1", "=" + "n".repeat(60)],
  ["x = = 1", "@" + "p".repeat(59)],
  ["x = = 1", "@" + "p".repeat(60)],
  ["x = = 1" + " ".repeat(37), null],
  ["x = = 1" + " ".repeat(38), null],
  ["x = = 1", ""],
];
if (!process.env.FUZZ && !filters.length)
  for (const [src, name] of chunkCases) {
    const luaName = name === null ? "nil" : JSON.stringify(name);
    const r = spawnSync(LUA, ["-e", `local f, e = load(${JSON.stringify(src)}, ${luaName}) io.write(e)`], {
      encoding: "latin1",
    });
    let got;
    try {
      got = ourCompile(Buffer.from(src, "latin1"), name === null ? src : name).out;
    } catch (e) {
      got = `TRAP: ${e.message}`;
      instantiate();
    }
    if (got === r.stdout) passed++;
    else {
      failed++;
      console.log(`FAIL chunkname ${JSON.stringify(name)}\n  want: ${r.stdout}\n  got:  ${got}`);
    }
  }

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
