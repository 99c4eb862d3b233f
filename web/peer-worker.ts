// peer-worker.ts - wasmoon (PUC Lua 5.4 compiled to wasm by another project) in a worker of its own,
// loaded only when the page asks to compare (the "Compare with wasmoon" button), so the page stays
// light and our state is never touched. Each request runs the code once in a fresh wasmoon state,
// with print captured, and answers with the output, the time of the run and any error.
// Invariant: one reply per request, with its id; a failure to load wasmoon is a reply, not a crash.

import { LuaFactory } from "wasmoon";

export interface PeerRequest {
  id: number;
  code: string;
}
export interface PeerReply {
  id: number;
  output: string;
  ms: number;
  error: string | null;
}

const scope = self as unknown as {
  postMessage(message: PeerReply): void;
  onmessage: ((e: MessageEvent<PeerRequest>) => void) | null;
};

/** print as PUC's, writing to the captured output instead of the console. */
const CAPTURE_PRINT = `
local out, tostring, select, concat = __peer_out, tostring, select, table.concat
__peer_out = nil
print = function(...)
  local t = {}
  for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
  out(concat(t, "\\t") .. "\\n")
end
`;

let factory: LuaFactory | null = null;

async function run({ id, code }: PeerRequest): Promise<PeerReply> {
  factory ??= new LuaFactory(new URL("./glue.wasm", import.meta.url).href);
  const engine = await factory.createEngine();
  const out: string[] = [];
  try {
    engine.global.set("__peer_out", (s: string) => void out.push(s));
    engine.doStringSync(CAPTURE_PRINT);
    const t0 = performance.now();
    let error: string | null = null;
    try {
      engine.doStringSync(code);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    return { id, output: out.join(""), ms: performance.now() - t0, error };
  } finally {
    engine.global.close();
  }
}

scope.onmessage = (e) => {
  run(e.data).then(scope.postMessage.bind(scope), (err: unknown) =>
    scope.postMessage({
      id: e.data.id,
      output: "",
      ms: 0,
      error: `wasmoon could not run: ${err instanceof Error ? err.message : String(err)}`,
    }),
  );
};
