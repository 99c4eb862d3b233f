// filestorage-kill.ts - crash safety of FileStorage (host/persist/file.ts): a child process saves a
// large _home (several MB: strings, a nested table, a stored closure with an upvalue) generation after
// generation through `new LuaPersistent({ storage: new FileStorage(path) })` + `saveState()`, and is
// killed with SIGKILL at a random moment of one of its saves. The next child is a fresh process that
// loads the file and checks it holds generation `committed` (the last save the killed child saw
// complete) or `started` (the one being saved when it died), with every entry exactly as that
// generation wrote it; it also lists the directory after its load, which must hold nothing but the
// state file (stale temporary files of killed writers removed).
//
//   npm run fuzz -- --target filestorage-kill [--iterations N | --minutes N] [--seed S] [--mb N]
//   tsx spec/fuzz/targets/filestorage-kill.ts --short      (15 kills, fixed seed)
//
// One case = one kill and the check that follows it. Ends with "N passed, N failed".
// Invariant: a failure is a lost or torn save, a failed load, a leftover temporary file, or a child
// that misbehaves (hangs past the watchdog, exits by itself, prints an error).

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { rng, writeLine } from "../lib.js";

const SELF = fileURLToPath(import.meta.url);
const ENTRIES = 1000; // _home.data[1..ENTRIES]

// ==== the content of generation g (the child writes it in Lua, verify() recomputes it in JS) ====

/** The Lua code that replaces _home with generation g; entry length `len` bytes. */
function writerCode(g: number, len: number): string {
  return `
    local g, len = ${g}, ${len}
    local d = {}
    for i = 1, ${ENTRIES} do
      local head = g .. ":" .. i .. ":"
      d[i] = head .. string.rep(string.char(65 + (g + i) % 26), len - #head)
    end
    local n = g
    _home.gen = nil                        -- gen goes last: any torn write shows as a mismatch
    _home.data = d
    _home.meta = { gen = g, nested = { deep = { g * 3 } }, z = "a\\0b" }
    _home.counter = function() n = n + 1 return n end
    _home.gen = g`;
}

/** Everything a fresh state reads back, to compare with the expected content. */
const READER = `
  local out = { gen = _home.gen, n = 0, bad = nil }
  local d = _home.data
  if d == nil then return out end
  for k, v in pairs(d) do out.n = out.n + 1 end
  out.meta = _home.meta.gen .. "/" .. _home.meta.nested.deep[1] .. "/" .. #_home.meta.z
  out.counter = _home.counter()
  for i = 1, ${ENTRIES} do
    local head = out.gen .. ":" .. i .. ":"
    local want = head .. string.rep(string.char(65 + (out.gen + i) % 26), #d[i] - #head)
    if d[i] ~= want then out.bad = i break end
  end
  out.len = #d[1]
  return out`;

// ==== child: load + verify, then save generations until killed ====

async function child(path: string, len: number): Promise<void> {
  const say = (o: object): void => {
    writeLine(JSON.stringify(o));
  }; // synchronous: survives the kill
  const { LuaPersistent, FileStorage } = await import("../../../host/index.js");
  const lua = new LuaPersistent({ storage: new FileStorage(path) });
  await lua.load();
  lua.init();
  const loaded = await lua.loadState();
  const loadErr = lua.getLastError();
  const files = readdirSync(join(path, ".."));
  let gen = 0;
  if (loaded) {
    const r = lua.eval(READER);
    if (!r) {
      say({ t: "loaded", ok: false, why: `reader failed: ${lua.getLastError()}`, files });
      return;
    }
    const o = r.value as { gen: number; n: number; bad?: number; meta?: string; counter?: number; len?: number };
    gen = o.gen;
    const why =
      typeof o.gen !== "number"
        ? "no generation"
        : o.n !== ENTRIES
          ? `${o.n} entries`
          : o.bad !== undefined && o.bad !== null
            ? `entry ${o.bad} differs`
            : o.len !== len
              ? `entry length ${o.len}`
              : o.meta !== `${o.gen}/${o.gen * 3}/3`
                ? `meta ${o.meta}`
                : o.counter !== o.gen + 1
                  ? `counter ${o.counter}`
                  : null;
    say({ t: "loaded", ok: why === null, why, gen, files });
    if (why !== null) return;
  } else {
    say({ t: "loaded", ok: loadErr === null, why: loadErr, gen: 0, files });
    if (loadErr !== null) return;
  }
  for (let g = gen + 1; ; g++) {
    if (!lua.eval(writerCode(g, len))) {
      say({ t: "error", why: lua.getLastError() });
      return;
    }
    say({ t: "saving", g });
    const t0 = performance.now();
    if (!(await lua.saveState())) {
      say({ t: "error", why: lua.getLastError() });
      return;
    }
    say({ t: "saved", g, ms: performance.now() - t0 });
  }
}

// ==== parent ====

interface Msg {
  t: string;
  ok?: boolean;
  why?: string | null;
  gen?: number;
  g?: number;
  ms?: number;
  files?: string[];
}

/** Runs one child until it is killed (or misbehaves); resolves with what it reported. */
function runChild(
  path: string,
  len: number,
  plan: { nth: number; frac: number },
  avgMs: () => number,
  watchdogMs: number,
): Promise<{
  msgs: Msg[];
  killedAt: number | null;
  stderr: string;
  code: number | null;
  signal: string | null;
  hung: boolean;
}> {
  return new Promise((done) => {
    const c: ChildProcess = spawn(process.execPath, [...process.execArgv, SELF, "--child", path, String(len)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const msgs: Msg[] = [];
    let buf = "",
      stderr = "",
      savings = 0,
      killedAt: number | null = null,
      hung = false;
    const watchdog = setTimeout(() => {
      hung = true;
      c.kill("SIGKILL");
    }, watchdogMs);
    c.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let m: Msg;
        try {
          m = JSON.parse(line) as Msg;
        } catch {
          m = { t: "garbage", why: line };
        }
        msgs.push(m);
        if (m.t === "saving" && savings++ === plan.nth) {
          const delay = plan.frac * avgMs();
          setTimeout(() => {
            killedAt = m.g!;
            c.kill("SIGKILL");
          }, delay);
        }
      }
    });
    c.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    c.on("close", (code, signal) => {
      clearTimeout(watchdog);
      done({ msgs, killedAt, stderr, code, signal, hung });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === "--child") {
    await child(argv[1], Number(argv[2]));
    return;
  }
  const short = argv.includes("--short");
  const seed = Number(opt("--seed") ?? 20261206);
  const minutes = opt("--minutes") !== undefined ? Number(opt("--minutes")) : null;
  const iterations = Number(opt("--iterations") ?? (short ? 15 : minutes !== null ? Infinity : 200));
  const mb = Number(opt("--mb") ?? (short ? 2 : 4));
  const len = Math.floor((mb * 1024 * 1024) / ENTRIES);
  const rand = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), "lwp-kill-"));
  const path = join(dir, "state.bin");
  const deadline = minutes !== null ? Date.now() + minutes * 60_000 : Infinity;
  console.log(
    `filestorage-kill: seed ${seed}, _home ≈ ${mb} MB (${ENTRIES} × ${len} B), ${Number.isFinite(iterations) ? iterations : "∞"} kills${minutes !== null ? `, ${minutes} min` : ""}, dir ${dir}`,
  );

  let committed = 0,
    started = 0; // generations: last save seen complete, last one begun
  let passed = 0,
    failed = 0,
    landedNew = 0,
    landedOld = 0,
    killedOutside = 0,
    tempsLeft = 0;
  const durations: number[] = [];
  const avgMs = (): number =>
    durations.length ? durations.slice(-20).reduce((a, b) => a + b, 0) / Math.min(20, durations.length) : 200;
  const t0 = Date.now();
  const fail = (why: string): void => {
    failed++;
    console.log(`FAIL kill ${passed + failed}: ${why}`);
  };

  for (let k = 0; k < iterations && Date.now() < deadline; k++) {
    // kill during the child's 1st, 2nd or 3rd save, at a uniform moment of a typical save (+10%)
    const plan = { nth: Math.floor(rand() * 3), frac: rand() * 1.1 };
    const r = await runChild(path, len, plan, avgMs, 120_000);
    if (readdirSync(dir).some((f) => f !== "state.bin")) tempsLeft++; // killed mid-write: the next load must remove it
    const loaded = r.msgs.find((m) => m.t === "loaded");
    const problems: string[] = [];
    if (r.hung) problems.push("child hung (watchdog)");
    if (r.signal !== "SIGKILL" || r.killedAt === null)
      problems.push(`child ended by itself (code ${r.code}, signal ${r.signal}) ${r.stderr.slice(0, 500)}`);
    if (!loaded) problems.push(`no load report ${r.stderr.slice(0, 500)}`);
    else {
      if (!loaded.ok) problems.push(`load: ${loaded.why}`);
      const g = loaded.gen ?? -1;
      if (g !== committed && g !== started)
        problems.push(`loaded generation ${g}, expected ${committed} (saved) or ${started} (being saved)`);
      else if (g === started && started !== committed) landedNew++;
      else if (k > 0) landedOld++;
      const others = (loaded.files ?? []).filter((f) => f !== "state.bin");
      if (others.length) problems.push(`files left after load: ${others.join(", ")}`);
    }
    for (const m of r.msgs) if (m.t === "error" || m.t === "garbage") problems.push(`child: ${m.why}`);
    if (problems.length) fail(problems.join("; "));
    else passed++;
    // what the killed child did: the generation it found (the base of its saves), saves it
    // completed, and the one it died in
    if (loaded && typeof loaded.gen === "number" && loaded.ok) committed = started = loaded.gen;
    for (const m of r.msgs) {
      if (m.t === "saving") started = m.g!;
      if (m.t === "saved") {
        committed = m.g!;
        durations.push(m.ms!);
      }
    }
    if (started === committed) killedOutside++; // the kill fell between saves (after "saved")
    if ((k + 1) % 10 === 0 || k + 1 === iterations) {
      console.log(
        `  ${k + 1} kills, ${((Date.now() - t0) / 1000).toFixed(1)} s, save ≈ ${avgMs().toFixed(0)} ms, landed old ${landedOld} / new ${landedNew}, temp files left by kills ${tempsLeft}`,
      );
    }
  }
  // the last killed child's save must also load in a fresh process, and leave no temporary file
  const last = await runChild(path, len, { nth: 0, frac: 0 }, () => 0, 120_000);
  const lm = last.msgs.find((m) => m.t === "loaded");
  if (!lm || !lm.ok || (lm.gen !== committed && lm.gen !== started) || (lm.files ?? []).some((f) => f !== "state.bin"))
    fail(`final load: ${JSON.stringify(lm)}`);
  else passed++;
  const secs = (Date.now() - t0) / 1000;
  console.log(
    `filestorage-kill: ${passed + failed - 1} kills in ${secs.toFixed(1)} s; lost saves ${failed}; state after kill: previous ${landedOld}, new ${landedNew}; kills between saves ${killedOutside}; kills that left a temporary file ${tempsLeft} (all removed by the next load); last generation ${committed}`,
  );
  if (failed === 0) rmSync(dir, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
