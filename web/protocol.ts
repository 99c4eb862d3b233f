// protocol.ts - the messages between the playground page (main.ts, client.ts) and its Lua worker
// (worker.ts). Types only: both sides import them, neither imports the other.
// Invariant: every Request carries an id and gets exactly one Reply with that id; Output messages
// carry no id and belong to the request being served (the worker serves one at a time); an Interrupt
// carries no id and gets no reply (the run it stops replies, with its error).

/** Per-call budgets, as the library's instructionLimit / timeoutMs options (0 or absent: none). */
export interface Budgets {
  instructionLimit: number;
  timeoutMs: number;
}

/** What the page's settings fields hold. */
export type Settings = Budgets;

/** One node of an inspector tree: a key and its value, described by Lua itself (inspect.lua). */
export interface TreeNode {
  /** The key as Lua source: `name`, `[1]`, `["a b"]` (empty for a root). */
  k: string;
  /** type(value), or "ext" for an external table. */
  t: string;
  /** A short description of the value: `"text"`, `3.0`, `function (input:3)`, `table (2 entries)`. */
  v: string;
  /** Children of a table, in key order (absent for other values or past the depth limit). */
  c?: TreeNode[];
  /** Children left out (past the per-table or total limit). */
  more?: number;
}

export interface Trees {
  home: TreeNode;
  io: TreeNode;
  globals: TreeNode;
}

/** The library's getMemoryStats() figures the page shows. */
export interface Memory {
  lua_memory_used: number;
  wasm_pages: number;
  total: number;
  host_bytes: number;
  memory_limit: number;
}

/** What the page shows after every request: inspector trees, memory, persistence status. */
export interface StateView {
  trees: Trees | null;
  /** Why the trees are missing (the inspector itself failed, e.g. a tiny instruction limit). */
  treesError?: string;
  memory: Memory;
  /** The last save of _home to IndexedDB: its time (ms since the epoch), or its error. */
  saved: { at: number } | { error: string } | null;
}

export interface RunError {
  message: string;
  traceback: string;
  /** LuaError.kind: syntax, runtime, memory, limit, internal. */
  kind: string;
  /** The line of the editor's chunk the error points at (from the message or the traceback). */
  line: number | null;
}

export type Request =
  | { type: "init"; id: number; settings: Settings }
  | { type: "run"; id: number; code: string; mode: "editor" | "repl" }
  | { type: "settings"; id: number; settings: Settings }
  | { type: "snapshot"; id: number }
  | { type: "restore"; id: number; bytes: Uint8Array }
  | { type: "reset"; id: number }
  | { type: "stats"; id: number };

export type Reply =
  | {
      type: "ready";
      id: number;
      /** True when _home was loaded from IndexedDB. */
      restored: boolean;
      /** A problem loading the saved _home (the state then starts with an empty _home). */
      loadError: string | null;
      view: StateView;
    }
  | {
      type: "done";
      id: number;
      ok: boolean;
      /** The values the chunk returned, described as Lua values (editor mode). */
      values: string[];
      error: RunError | null;
      /** REPL mode: the input is incomplete (ends inside a statement); nothing ran. */
      incomplete: boolean;
      ms: number;
      view: StateView;
    }
  | { type: "snapshot"; id: number; bytes: Uint8Array | null; error: string | null }
  | { type: "result"; id: number; ok: boolean; error: string | null; view: StateView }
  | { type: "stats"; id: number; memory: Memory };

/** Sent while a run is in progress, outside the request queue: stop it with interrupt(). No reply. */
export interface Interrupt {
  type: "interrupt";
}

/** Output produced while a run is in progress. */
export interface Output {
  type: "out";
  stream: "stdout" | "stderr";
  text: string;
}

export type WorkerMessage = Reply | Output;
