// main.ts - the playground page: wires the editor, the output log, the REPL, the budget fields, the
// state buttons (snapshot download/restore, reset), the inspector, the memory panel and the examples
// menu to the Lua worker (client.ts). The editor's text, the settings and the REPL history are kept
// in localStorage; the Lua state's _home is kept by the worker in IndexedDB.
// Invariant: one user action (run, REPL entry, snapshot, restore, reset) at a time; every failure
// is shown on the page (status line or output), never left as an uncaught error.

import "./style.css";
import { formatBytes, MemoryChart } from "./chart.js";
import { LuaClient, StoppedError } from "./client.js";
import { createEditor } from "./editor.js";
import { EXAMPLES } from "./examples.js";
import { renderTree } from "./inspector.js";
import type { PeerReply, PeerRequest } from "./peer-worker.js";
import type { Memory, Reply, Settings, StateView } from "./protocol.js";

const KEY = { code: "lua-playground:code", settings: "lua-playground:settings", history: "lua-playground:history" };
const MAX_OUTPUT_CHARS = 400_000;
const MAX_HISTORY = 200;
const STATS_EVERY_MS = 2000;

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
}

const ui = {
  examples: $<HTMLSelectElement>("examples"),
  run: $<HTMLButtonElement>("run"),
  stop: $<HTMLButtonElement>("stop"),
  compare: $<HTMLButtonElement>("compare"),
  status: $("status"),
  output: $("output"),
  clear: $<HTMLButtonElement>("clear-output"),
  repl: $<HTMLFormElement>("repl"),
  replInput: $<HTMLTextAreaElement>("repl-input"),
  replPrompt: $("repl-prompt"),
  instructionLimit: $<HTMLInputElement>("instruction-limit"),
  timeout: $<HTMLInputElement>("timeout"),
  download: $<HTMLButtonElement>("download"),
  upload: $<HTMLInputElement>("upload"),
  reset: $<HTMLButtonElement>("reset"),
  saved: $("saved"),
  trees: { home: $("tree-home"), io: $("tree-io"), globals: $("tree-globals") },
  mem: { lua: $("mem-lua"), host: $("mem-host"), pages: $("mem-pages"), limit: $("mem-limit") },
  chart: $<HTMLCanvasElement>("mem-chart"),
};

// ==== Small helpers ====

function load<T>(key: string, fallback: T): T {
  try {
    const s = localStorage.getItem(key);
    return s === null ? fallback : (JSON.parse(s) as T);
  } catch {
    return fallback;
  }
}

function store(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the page works without it
  }
}

function setStatus(text: string, error = false): void {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", error);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs an async UI action; its failure is shown, never left unhandled. */
function act(fn: () => Promise<void>): void {
  fn().catch((e: unknown) => {
    if (e instanceof StoppedError) return; // the stop itself says what happened
    setStatus(`Error: ${message(e)}`, true);
  });
}

// ==== Output ====

/** Appends text to the log (merged with the previous piece of the same kind), kept scrolled down. */
function append(text: string, cls = ""): void {
  const out = ui.output;
  const atEnd = out.scrollHeight - out.scrollTop - out.clientHeight < 40;
  const last = out.lastElementChild;
  if (last instanceof HTMLSpanElement && last.className === cls) last.append(text);
  else out.append(Object.assign(document.createElement("span"), { className: cls, textContent: text }));
  let total = out.textContent?.length ?? 0;
  while (total > MAX_OUTPUT_CHARS && out.firstChild) {
    total -= out.firstChild.textContent?.length ?? 0;
    out.firstChild.remove();
  }
  if (atEnd) out.scrollTop = out.scrollHeight;
}

/** Starts a new line in the log unless it already ends with one. */
function newline(): void {
  const t = ui.output.textContent ?? "";
  if (t !== "" && !t.endsWith("\n")) append("\n");
}

function note(text: string): void {
  newline();
  append(`${text}\n`, "note");
}

// ==== Settings ====

const defaults: Settings = { instructionLimit: 0, timeoutMs: 0 };

function readSettings(): Settings {
  const n = (input: HTMLInputElement) => {
    const v = Math.floor(Number(input.value));
    return Number.isFinite(v) && v > 0 ? v : 0;
  };
  return { instructionLimit: n(ui.instructionLimit), timeoutMs: n(ui.timeout) };
}

function showSettings(s: Settings): void {
  ui.instructionLimit.value = s.instructionLimit > 0 ? String(s.instructionLimit) : "";
  ui.timeout.value = s.timeoutMs > 0 ? String(s.timeoutMs) : "";
}

async function applySettings(): Promise<void> {
  const s = readSettings();
  store(KEY.settings, s);
  const r = await client.request({ type: "settings", settings: s });
  if (r.type !== "result") return;
  showView(r.view);
  if (!r.ok) setStatus(r.error ?? "the settings were not applied", true);
  else setStatus(`Settings applied: ${describeSettings(s)}.`);
}

function describeSettings(s: Settings): string {
  const limit =
    s.instructionLimit > 0 ? `${s.instructionLimit.toLocaleString("en")} instructions` : "no instruction limit";
  const timeout = s.timeoutMs > 0 ? `timeout ${s.timeoutMs} ms` : "no timeout";
  return `${limit}, ${timeout}`;
}

// ==== State view: inspector, memory, persistence ====

const chart = new MemoryChart(ui.chart);

function showMemory(m: Memory): void {
  ui.mem.lua.textContent = formatBytes(m.lua_memory_used);
  ui.mem.host.textContent = formatBytes(m.host_bytes);
  ui.mem.pages.textContent = `${m.wasm_pages} pages (${formatBytes(m.total)})`;
  ui.mem.limit.textContent = formatBytes(m.memory_limit);
  chart.add(m);
}

function showView(v: StateView): void {
  const why = v.treesError ?? "";
  renderTree(ui.trees.home, v.trees?.home ?? null, why);
  renderTree(ui.trees.io, v.trees?.io ?? null, why);
  renderTree(ui.trees.globals, v.trees?.globals ?? null, why);
  showMemory(v.memory);
  if (v.saved === null) ui.saved.textContent = "_home: not saved yet.";
  else if ("at" in v.saved)
    ui.saved.textContent = `_home saved to IndexedDB at ${new Date(v.saved.at).toLocaleTimeString()}.`;
  else ui.saved.textContent = `_home could not be saved: ${v.saved.error}`;
}

// ==== The worker ====

let ready = false;
/** A user action (run, entry, snapshot, restore, reset) is in progress. */
let running = false;

const client = new LuaClient({
  output: (stream, text) => append(text, stream === "stderr" ? "err" : ""),
  failed: (msg) => setStatus(msg, true),
});

function setRunning(on: boolean): void {
  running = on;
  ui.run.disabled = on || !ready;
  ui.compare.disabled = on || !ready;
  ui.stop.disabled = !on;
  for (const b of [ui.download, ui.reset, ui.upload]) b.disabled = on || !ready;
  ui.output.setAttribute("aria-busy", String(on));
}

function readyText(r: Extract<Reply, { type: "ready" }>): string {
  if (r.loadError) return `Ready. The saved _home could not be loaded (${r.loadError}); starting empty.`;
  return r.restored ? "Ready. _home restored from IndexedDB." : "Ready. Nothing saved yet: _home is empty.";
}

async function start(): Promise<void> {
  const r = await client.start(readSettings());
  ready = true;
  setRunning(false);
  showView(r.view);
  setStatus(readyText(r), r.loadError !== null);
}

// ==== Running code ====

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

function showDone(r: Extract<Reply, { type: "done" }>, mode: "editor" | "repl"): void {
  showView(r.view);
  if (r.incomplete) return;
  const e = r.error;
  if (e) {
    newline();
    append(`${e.message}\n${e.traceback ? e.traceback + "\n" : ""}`, "err");
    if (mode === "editor") editor.markError(e.line);
    const where = e.line !== null && mode === "editor" ? ` (line ${e.line})` : "";
    setStatus(`${e.kind} error${where} after ${formatMs(r.ms)}`, true);
    return;
  }
  if (r.values.length > 0) {
    newline();
    append(`⇒ ${r.values.join(", ")}\n`, "values");
  }
  setStatus(`Ran in ${formatMs(r.ms)}.`);
}

async function run(code: string, mode: "editor" | "repl"): Promise<boolean> {
  if (running || !ready) return false;
  setRunning(true);
  setStatus("Running…");
  if (mode === "editor") {
    editor.markError(null);
    note(`▶ run ${new Date().toLocaleTimeString()}`);
  } else {
    newline();
    append(`${ui.replPrompt.textContent} ${code.replace(/\n/g, "\n>> ")}\n`, "echo");
  }
  try {
    const r = await client.request({ type: "run", code, mode });
    if (r.type === "done") {
      if (mode === "editor") lastRun = { code, ms: r.ms };
      showDone(r, mode);
      return !r.incomplete;
    }
    if (r.type === "result" && r.error) setStatus(r.error, true);
    return true;
  } catch (e) {
    if (e instanceof StoppedError) return true;
    throw e;
  } finally {
    setRunning(false);
  }
}

async function stop(): Promise<void> {
  if (!running) return;
  if (peer.busy) {
    peer.terminate();
    return;
  }
  setStatus("Stopping…");
  ready = false;
  const r = await client.stop(readSettings());
  ready = true;
  setRunning(false);
  if (r === null) {
    note("■ Interrupted: globals, closures and _home are kept.");
    setStatus("Interrupted. The state is kept.");
    return;
  }
  note(
    "■ Stopped: the worker running Lua was terminated and a new one started from the last autosaved _home. " +
      "Globals and closures outside _home are gone.",
  );
  showView(r.view);
  setStatus(`Stopped. ${readyText(r)}`);
}

// ==== Comparing with wasmoon (another Lua 5.4 in wasm, in a worker loaded on first use) ====

/** The last run of the editor's code (to show its time beside wasmoon's). */
let lastRun: { code: string; ms: number } | null = null;

const peer = {
  worker: null as Worker | null,
  nextId: 1,
  waiting: null as { id: number; ok(r: PeerReply): void; ko(e: Error): void } | null,
  get busy(): boolean {
    return this.waiting !== null;
  },
  run(code: string): Promise<PeerReply> {
    if (!this.worker) {
      const w = new Worker(new URL("./peer-worker.js", import.meta.url), { type: "module", name: "wasmoon" });
      w.onmessage = (e: MessageEvent<PeerReply>) => {
        if (this.waiting?.id !== e.data.id) return;
        this.waiting.ok(e.data);
        this.waiting = null;
      };
      w.onerror = (e) => {
        e.preventDefault();
        this.fail(new Error(`wasmoon could not be loaded: ${e.message || "worker error"}`));
      };
      this.worker = w;
    }
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((ok, ko) => {
      this.waiting = { id, ok, ko };
      worker.postMessage({ id, code } satisfies PeerRequest);
    });
  },
  fail(e: Error): void {
    this.worker?.terminate();
    this.worker = null;
    const w = this.waiting;
    this.waiting = null;
    w?.ko(e);
  },
  terminate(): void {
    this.fail(new StoppedError("wasmoon stopped"));
  },
};

async function compare(): Promise<void> {
  if (running || !ready) return;
  const code = editor.text();
  setRunning(true);
  setStatus("Running in wasmoon…");
  note("▶ wasmoon (PUC Lua 5.4 in wasm), in a fresh state");
  try {
    const r = await peer.run(code);
    if (r.output) append(r.output);
    if (r.error) {
      newline();
      append(`${r.error}\n`, "err");
    }
    const ours = lastRun?.code === code ? ` · this library: ${formatMs(lastRun.ms)} (its last run)` : "";
    setStatus(`wasmoon: ${r.error ? "error after" : "ran in"} ${formatMs(r.ms)}${ours}.`, r.error !== null);
  } catch (e) {
    if (e instanceof StoppedError) {
      note("■ Stopped wasmoon.");
      setStatus("Stopped wasmoon.");
      return;
    }
    throw e;
  } finally {
    setRunning(false);
  }
}

// ==== Editor and REPL ====

const editor = createEditor($("editor"), load(KEY.code, EXAMPLES[0].code), {
  run: () => act(async () => void (await run(editor.text(), "editor"))),
  change: (text) => store(KEY.code, text),
});

const history: string[] = load(KEY.history, []);
let historyAt = history.length;
/** The entry being typed when the user went up into the history. */
let draft = "";

function setReplText(text: string): void {
  ui.replInput.value = text;
  ui.replInput.rows = Math.min(8, text.split("\n").length);
  ui.replInput.setSelectionRange(text.length, text.length);
}

async function submitRepl(): Promise<void> {
  const code = ui.replInput.value;
  if (code.trim() === "" || running) return;
  setReplText("");
  const complete = await run(code, "repl");
  if (!complete) {
    // lua.c's continuation: the entry is incomplete, keep it and let the user go on
    ui.replPrompt.textContent = ">>";
    setReplText(code + "\n");
    ui.replInput.focus();
    return;
  }
  ui.replPrompt.textContent = ">";
  if (history[history.length - 1] !== code) history.push(code);
  history.splice(0, Math.max(0, history.length - MAX_HISTORY));
  store(KEY.history, history);
  historyAt = history.length;
  ui.replInput.focus();
}

ui.repl.addEventListener("submit", (e) => {
  e.preventDefault();
  act(submitRepl);
});

ui.replInput.addEventListener("keydown", (e) => {
  const input = ui.replInput;
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    act(submitRepl);
  } else if (e.key === "ArrowUp" && !input.value.slice(0, input.selectionStart).includes("\n")) {
    if (historyAt === 0) return;
    if (historyAt === history.length) draft = input.value;
    e.preventDefault();
    setReplText(history[--historyAt]);
  } else if (e.key === "ArrowDown" && !input.value.slice(input.selectionEnd).includes("\n")) {
    if (historyAt >= history.length) return;
    e.preventDefault();
    historyAt++;
    setReplText(historyAt === history.length ? draft : history[historyAt]);
  }
});

// ==== Buttons and menus ====

ui.run.addEventListener("click", () => act(async () => void (await run(editor.text(), "editor"))));
ui.stop.addEventListener("click", () => act(stop));
ui.compare.addEventListener("click", () => act(compare));
ui.clear.addEventListener("click", () => ui.output.replaceChildren());

for (const ex of EXAMPLES) ui.examples.append(new Option(ex.title, ex.id));
ui.examples.addEventListener("change", () =>
  act(async () => {
    const ex = EXAMPLES.find((x) => x.id === ui.examples.value);
    if (!ex) return;
    editor.setText(ex.code);
    editor.focus();
    // an example runs under its own budgets (none unless it says), so one never inherits another's
    const current = readSettings();
    const wanted: Settings = { instructionLimit: 0, timeoutMs: 0, ...ex.settings };
    if (JSON.stringify(wanted) !== JSON.stringify(current)) {
      showSettings(wanted);
      await applySettings();
      setStatus(`Example "${ex.title}" changed the settings: ${describeSettings(wanted)}.`);
    }
  }),
);

for (const input of [ui.instructionLimit, ui.timeout]) input.addEventListener("change", () => act(applySettings));

ui.download.addEventListener("click", () =>
  act(async () => {
    const r = await client.request({ type: "snapshot" });
    if (r.type !== "snapshot") return;
    if (!r.bytes) {
      setStatus(`No snapshot: ${r.error}`, true);
      return;
    }
    const url = URL.createObjectURL(
      new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
    );
    const a = Object.assign(document.createElement("a"), { href: url, download: snapshotName() });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setStatus(`Snapshot downloaded (${formatBytes(r.bytes.length)}).`);
  }),
);

function snapshotName(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `lua-state-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.lwps`;
}

ui.upload.addEventListener("change", () =>
  act(async () => {
    const file = ui.upload.files?.[0];
    ui.upload.value = "";
    if (!file || running) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    setRunning(true);
    try {
      const r = await client.request({ type: "restore", bytes });
      if (r.type !== "result") return;
      showView(r.view);
      if (r.ok) {
        note(`■ State restored from ${file.name}.`);
        setStatus(`Restored ${file.name}.`);
      } else setStatus(`Not restored: ${r.error}`, true);
    } finally {
      setRunning(false);
    }
  }),
);

ui.reset.addEventListener("click", () =>
  act(async () => {
    if (running) return;
    if (!confirm("Reset the Lua state? Globals and _home are cleared, and the saved _home is deleted.")) return;
    setRunning(true);
    try {
      const r = await client.request({ type: "reset" });
      if (r.type !== "result") return;
      showView(r.view);
      if (r.ok) {
        note("■ State reset: fresh globals, empty _home, nothing saved.");
        setStatus("State reset.");
      } else setStatus(`Reset: ${r.error}`, true);
    } finally {
      setRunning(false);
    }
  }),
);

// memory over time: a sample whenever the worker is idle
setInterval(() => {
  if (!ready || running) return;
  client
    .request({ type: "stats" })
    .then((r) => {
      if (r.type === "stats") showMemory(r.memory);
    })
    .catch(() => {
      // the worker was replaced meanwhile: the next tick asks the new one
    });
}, STATS_EVERY_MS);

addEventListener("resize", () => chart.draw());

showSettings({ ...defaults, ...load<Partial<Settings>>(KEY.settings, {}) });
act(start);
