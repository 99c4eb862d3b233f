// worker.ts - the playground's Lua host: one persistent Lua state, made with the package's public API
// (Lua.create, IndexedDBStorage, snapshot/restore), inside a Web Worker so that a long run never
// freezes the page. It serves the page's requests (protocol.ts) one at a time: runs code from the
// editor or the REPL, streams output while Lua runs, saves _home to IndexedDB after every run,
// takes and restores snapshots, changes budgets, resets; after each request it describes the state
// (inspect.lua's trees, memory figures). A run is an async call, so it can be interrupted.
// Invariant: requests are served in order, one at a time, and each gets exactly one reply carrying
// its id, also when it fails; the Lua state survives every failure, an interrupt included, except a
// terminated worker (the page's last resort when a run does not hear the interrupt), after which the
// next worker starts from the last saved _home.

import { compileLua, IndexedDBStorage, Lua, LuaError, LuaOpaque, type LuaValue } from "lua-wasm-persistent";
import INSPECT from "./inspect.lua";
import type {
  Interrupt,
  Memory,
  Reply,
  Request,
  RunError,
  Settings,
  StateView,
  Trees,
  WorkerMessage,
} from "./protocol.js";

/** The IndexedDB database that holds the autosaved _home (the page's "reset" clears it). */
const DATABASE = "lua-wasm-playground";
/** The memory budget of the state: a phone has little to spare. */
const MEMORY_LIMIT = 128 * 1024 * 1024;
/** Output forwarded per run before the rest is dropped (a runaway print loop must not flood the page). */
const MAX_OUTPUT = 4 * 1024 * 1024;

const scope = self as unknown as {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Request | Interrupt>) => void) | null;
};

const storage = new IndexedDBStorage({ database: DATABASE });
let module: WebAssembly.Module | null = null;
let lua: Lua | null = null;
let settings: Settings = { instructionLimit: 0, timeoutMs: 0 };
/** inspect.lua with the standard global names filled in (set at init). */
let inspectSource = "";
/** The last save of _home. */
let saved: StateView["saved"] = null;

// ==== Output ====

/** Finalizers of a state being replaced (close) may print: that output is not the user's run. */
let muted = false;
let outBytes = 0;
const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function emit(stream: "stdout" | "stderr", bytes: Uint8Array): void {
  if (muted) return;
  if (outBytes > MAX_OUTPUT) return;
  outBytes += bytes.length;
  // stream: true keeps a UTF-8 sequence cut between two flushes whole
  let text = decoders[stream].decode(bytes, { stream: true });
  if (outBytes > MAX_OUTPUT) text += `\n[output truncated: more than ${MAX_OUTPUT} bytes in one run]\n`;
  if (text !== "") post({ type: "out", stream, text });
}

function endOutput(): void {
  for (const stream of ["stdout", "stderr"] as const) {
    const rest = decoders[stream].decode();
    if (rest !== "" && !muted) post({ type: "out", stream, text: rest });
  }
  outBytes = 0;
}

// ==== The state ====

async function create(s: Settings): Promise<Lua> {
  return Lua.create({
    wasm: module ?? undefined,
    storage,
    memoryLimit: MEMORY_LIMIT,
    instructionLimit: s.instructionLimit,
    timeoutMs: s.timeoutMs,
    stdout: (b) => emit("stdout", b),
    stderr: (b) => emit("stderr", b),
    onReset: (e) => emit("stderr", new TextEncoder().encode(`${e.message}\n`)),
  });
}

function live(): Lua {
  if (lua === null) throw new Error("the Lua state is not created yet");
  return lua;
}

function closeQuietly(old: Lua): void {
  muted = true;
  try {
    old.close();
  } catch {
    // a finalizer that fails while the old state closes is no concern of the new one
  } finally {
    muted = false;
  }
}

/** The global names of a fresh state, as a Lua table constructor for inspect.lua. */
function standardNames(l: Lua): string {
  const [names] = l.run(
    "local t = {} for k in next, _G do if type(k) == 'string' then t[#t + 1] = string.format('[%q] = true', k) end end return table.concat(t, ', ')",
    "=playground",
  );
  return `{ ${String(names)} }`;
}

// ==== Running user code: async calls ====
// runAsync() pauses a long run every ~15 ms: its output so far reaches the host then (so it streams
// as it is printed), and this worker's event loop runs, so an Interrupt message reaches interrupt()
// and the run ends with the error "interrupted!", the state intact. A builtin that never pauses (a
// sort whose comparator loops) does not hear it: the page then terminates this worker (client.ts).

function exec(l: Lua, code: string, chunkname: string): Promise<LuaValue[]> {
  return l.runAsync(code, { chunkname });
}

// ==== Describing the state ====

function memory(l: Lua): Memory {
  const m = l.memoryStats();
  return {
    lua_memory_used: m.lua_memory_used,
    wasm_pages: m.wasm_pages,
    total: m.total,
    host_bytes: m.host_bytes,
    memory_limit: m.memory_limit,
  };
}

function view(): StateView {
  const l = live();
  let trees: Trees | null = null;
  let treesError: string | undefined;
  try {
    const [json] = l.run(inspectSource, "=inspector");
    trees = JSON.parse(String(json)) as Trees;
  } catch (e) {
    treesError = `the inspector could not run: ${e instanceof Error ? e.message : String(e)}`;
  }
  return { trees, treesError, memory: memory(l), saved };
}

async function save(): Promise<void> {
  try {
    await live().saveState();
    saved = { at: Date.now() };
  } catch (e) {
    saved = { error: e instanceof Error ? e.message : String(e) };
  }
}

// ==== Running code ====

/** A value returned to JS, written as Lua would show it (as far as the JS value tells). */
function show(v: LuaValue): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return "function";
  if (v instanceof LuaOpaque) return v.text;
  if (v instanceof Uint8Array) return `"${new TextDecoder().decode(v)}"`;
  return "table";
}

/** The editor line an error points at: from "input:N:" in the message, else in the traceback. */
function errorLine(message: string, traceback: string, chunk: string): number | null {
  const m = new RegExp(`^${chunk}:(\\d+):`).exec(message) ?? new RegExp(`\\b${chunk}:(\\d+):`).exec(traceback);
  return m ? Number(m[1]) : null;
}

function runError(e: unknown, chunk: string): RunError {
  if (e instanceof LuaError)
    return { message: e.message, traceback: e.traceback, kind: e.kind, line: errorLine(e.message, e.traceback, chunk) };
  return { message: e instanceof Error ? e.message : String(e), traceback: "", kind: "host", line: null };
}

/** lua.c's rule: a syntax error at the end of the input means more lines may complete it. */
function incomplete(e: unknown): boolean {
  return e instanceof LuaError && e.kind === "syntax" && e.message.endsWith("<eof>");
}

/**
 * A REPL entry as lua.c runs one: first as an expression list whose values are printed with the
 * global print, then, if that does not compile, as a statement.
 */
async function runRepl(l: Lua, line: string): Promise<{ values: LuaValue[]; incomplete: boolean }> {
  const expr = line.replace(/[\s;]+$/, "");
  if (expr !== "") {
    const printing = `(function(...) if select("#", ...) > 0 then print(...) end end)(${expr}\n)`;
    try {
      await exec(l, printing, "=stdin");
      return { values: [], incomplete: false };
    } catch (e) {
      if (!(e instanceof LuaError && e.kind === "syntax")) throw e;
    }
  }
  try {
    return { values: await exec(l, line, "=stdin"), incomplete: false };
  } catch (e) {
    if (incomplete(e)) return { values: [], incomplete: true };
    throw e;
  }
}

async function run(id: number, code: string, mode: "editor" | "repl"): Promise<Reply> {
  const l = live();
  const chunk = mode === "repl" ? "stdin" : "input";
  let values: LuaValue[] = [];
  let error: RunError | null = null;
  let more = false;
  const t0 = performance.now();
  try {
    if (mode === "repl") ({ values, incomplete: more } = await runRepl(l, code));
    else values = await exec(l, code, "=input");
  } catch (e) {
    error = runError(e, chunk);
  }
  const ms = performance.now() - t0;
  endOutput();
  if (!more) await save();
  return { type: "done", id, ok: error === null, values: values.map(show), error, incomplete: more, ms, view: view() };
}

// ==== Requests ====

async function init(id: number, s: Settings): Promise<Reply> {
  settings = s;
  module = await compileLua(new URL("./lua.wasm", import.meta.url));
  lua = await create(s);
  inspectSource = INSPECT.replace("--[[STANDARD]] {}", standardNames(lua));
  let restored = false;
  let loadError: string | null = null;
  try {
    restored = await lua.loadState();
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
  }
  return { type: "ready", id, restored, loadError, view: view() };
}

/** New budgets: a new state with them, holding a snapshot of the current one (the state goes on). */
async function changeSettings(id: number, s: Settings): Promise<Reply> {
  const old = live();
  const budgetsChanged = s.instructionLimit !== settings.instructionLimit || s.timeoutMs !== settings.timeoutMs;
  if (budgetsChanged) {
    let next: Lua | null = null;
    try {
      const bytes = old.snapshot();
      next = await create(s);
      next.restore(bytes);
    } catch (e) {
      if (next) closeQuietly(next);
      const error = `the budgets were not changed: ${e instanceof Error ? e.message : String(e)}`;
      return { type: "result", id, ok: false, error, view: view() };
    }
    lua = next;
    closeQuietly(old);
  }
  settings = s;
  return { type: "result", id, ok: true, error: null, view: view() };
}

async function restore(id: number, bytes: Uint8Array): Promise<Reply> {
  try {
    live().restore(bytes);
  } catch (e) {
    return { type: "result", id, ok: false, error: e instanceof Error ? e.message : String(e), view: view() };
  }
  await save();
  return { type: "result", id, ok: true, error: null, view: view() };
}

/** A fresh state, an empty _home, and nothing saved. */
async function reset(id: number): Promise<Reply> {
  const old = live();
  lua = await create(settings);
  closeQuietly(old);
  let error: string | null = null;
  try {
    await lua.clearPersistedState();
    saved = null;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  return { type: "result", id, ok: error === null, error, view: view() };
}

function snapshot(id: number): { reply: Reply; transfer: Transferable[] } {
  try {
    const bytes = live().snapshot();
    return { reply: { type: "snapshot", id, bytes, error: null }, transfer: [bytes.buffer] };
  } catch (e) {
    return {
      reply: { type: "snapshot", id, bytes: null, error: e instanceof Error ? e.message : String(e) },
      transfer: [],
    };
  }
}

async function serve(req: Request): Promise<void> {
  let reply: Reply;
  let transfer: Transferable[] = [];
  try {
    switch (req.type) {
      case "init":
        reply = await init(req.id, req.settings);
        break;
      case "run":
        reply = await run(req.id, req.code, req.mode);
        break;
      case "settings":
        reply = await changeSettings(req.id, req.settings);
        break;
      case "snapshot":
        ({ reply, transfer } = snapshot(req.id));
        break;
      case "restore":
        reply = await restore(req.id, req.bytes);
        break;
      case "reset":
        reply = await reset(req.id);
        break;
      case "stats":
        reply = { type: "stats", id: req.id, memory: memory(live()) };
        break;
    }
  } catch (e) {
    // a bug of this file or a failure to create the state: the page shows it and can reload
    const error = `worker: ${e instanceof Error ? e.message : String(e)}`;
    reply = { type: "result", id: req.id, ok: false, error, view: lua ? view() : emptyView() };
  }
  post(reply, transfer);
}

function emptyView(): StateView {
  return {
    trees: null,
    treesError: "no Lua state",
    memory: { lua_memory_used: 0, wasm_pages: 0, total: 0, host_bytes: 0, memory_limit: 0 },
    saved,
  };
}

let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === "interrupt") {
    // not queued: the run to stop is the request being served (it pauses now and then for this)
    lua?.interrupt();
    return;
  }
  queue = queue.then(() => serve(m));
};
