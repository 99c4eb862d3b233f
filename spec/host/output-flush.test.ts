// output-flush.test.ts - the outputFlush option: when standard output reaches the stdout hook.
// "call" (default) batches a call's output; "print" adds a flush after every print (lua.c's print
// flushes stdout); "line" also flushes at every newline written (C's stdout on a terminal). The CLI
// (cli-parity.test.ts) uses "print" on pipes, so a reader sees each printed line at once.
import { describe, expect, it } from "vitest";
import { Lua } from "../../host/index.js";

async function chunks(outputFlush: "call" | "print" | "line" | undefined, code: string): Promise<string[]> {
  const out: string[] = [];
  const lua = await Lua.create({ stdout: (b) => out.push(new TextDecoder().decode(b)), outputFlush });
  lua.run(code);
  lua.close();
  return out;
}

const CODE = `print(1) io.write("a") io.write("b\\nc") print(2, 3) io.write("d")`;

describe("outputFlush", () => {
  it('"call" (the default) gives the host one piece per call', async () => {
    expect(await chunks(undefined, CODE)).toEqual(["1\nab\nc2\t3\nd"]);
    expect(await chunks("call", CODE)).toEqual(["1\nab\nc2\t3\nd"]);
  });

  it('"print" flushes after each print, io.write waits', async () => {
    expect(await chunks("print", CODE)).toEqual(["1\n", "ab\nc2\t3\n", "d"]);
  });

  it('"line" flushes after each print and each write holding a newline', async () => {
    expect(await chunks("line", CODE)).toEqual(["1\n", "ab\nc", "2\t3\n", "d"]);
  });
});
