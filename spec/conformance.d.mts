// conformance.d.mts - types for spec/conformance.mjs (used by spec/tools/conformance.test.ts).
export declare const DEFAULT_SKIP_LIST: string;
export declare const TIER_ONE: string[];
export declare const EXPECTED_RETURNS: Record<string, { value: number } | { global: string } | { yields: string[] }>;
export declare const USAGE: string;
export declare class UsageError extends Error {}
export interface ConformanceOptions {
  dir: string | null;
  files: string[];
  json: string | null;
  timeout: number;
  jobs: number;
  skipList: string;
  noSkip: boolean;
  tier1: boolean;
  hard: boolean;
  wasm: string | null;
  maxOutput: number;
  quiet: boolean;
  help: boolean;
  /** JIT threshold (0 with --jit or --jit-stress), or null: the JIT off. */
  jit: number | null;
  /** --jit-stress N: compiled code exits to the interpreter every N instructions (0: off). */
  jitStress: number;
}
export declare function parseArgs(argv: string[]): ConformanceOptions;
export declare function readSkipList(path: string, hard?: boolean): Map<string, string>;
export interface HardBlock {
  from: string;
  to: string;
  reason: string;
}
export declare function readHardBlocks(path: string): Map<string, HardBlock[]>;
export declare function cutBlocks(source: Uint8Array, cuts: HardBlock[]): Buffer;
export declare function selectFiles(dir: string, names: string[], tier1: boolean): string[];
export declare function firstErrorLine(message: string, traceback?: string): string;
export interface ValueInfo {
  type: string;
  value?: unknown;
  text?: string;
}
export type Outcome =
  | {
      kind: "result";
      ok: boolean;
      values?: ValueInfo[];
      globals?: Record<string, ValueInfo>;
      error?: { message: string; traceback?: string; kind?: string };
      seconds?: number;
    }
  | { kind: "timeout"; seconds: number }
  | { kind: "flood"; bytes: number }
  | { kind: "crash"; code: number | null; signal: string | null; stderr: string }
  | { kind: "missing" };
export type Status = "PASS" | "FAIL" | "TIMEOUT" | "SKIP";
export declare function classify(
  outcome: Outcome,
  file: string,
): { status: Exclude<Status, "SKIP">; error: string | null };
export interface FileResult {
  file: string;
  status: Status;
  seconds: number;
  error?: string | null;
  reason?: string;
  /** What hard mode cut out of the file, with the reasons. */
  note?: string;
  outputTail?: string;
}
export declare function formatLine(r: FileResult, width?: number): string;
export interface Summary {
  total: number;
  passed: number;
  failed: number;
  timedOut: number;
  skipped: number;
  /** Under --jit: the threshold, stress period, and what the files compiled. */
  jit?: JitSummary;
}
export interface JitSummary {
  threshold: number;
  stress: number;
  compiles: number;
  ms: number;
  files: number;
}
export declare function jitLine(j: JitSummary): string;
export declare function summarize(results: FileResult[]): Summary;
export declare function summaryLines(s: Summary): string[];
export declare function jsonReport(
  run: { date: string; dir: string; wasm: string; timeout: number },
  results: FileResult[],
): {
  tool: string;
  summary: Summary;
  files: Array<{ file: string; status: Status; seconds: number; error?: string; reason?: string }>;
  [k: string]: unknown;
};
export declare function runFile(
  dir: string,
  file: string,
  opts: { timeout: number; maxOutput: number; wasm?: string | null; hard?: boolean; cuts?: HardBlock[] },
): Promise<{ outcome: Outcome; seconds: number; outputTail: string }>;
export declare function main(argv: string[], log?: (line: string) => void): Promise<number>;
