// format.d.mts - types for spec/format.mjs (used by spec/run.ts).
export declare const LUA_DIR: string;
export declare const ERRORS_DIR: string;
export declare function luaCaseText(stdout: Uint8Array, error: string | null): Buffer;
export declare function errorCaseText(error: string | null): Buffer;
export declare function extractMessage(stderr: string, progname: string): string | null;
export interface SpecCase {
  kind: "lua" | "errors";
  area: string;
  name: string;
  path: string;
  expectedPath: string;
}
export declare function listCases(root: string, filters?: string[]): SpecCase[];
