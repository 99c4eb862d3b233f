// pty.ts - runs a command on a pseudo-terminal for the CLI tests (through python3's pty module, as
// Node has none): the keystrokes are written one group at a time with a pause after each, and the
// terminal's bytes come back with the way the process ended. Tests that need it are skipped where
// python3 (with pty) is missing.
import { spawnSync } from "node:child_process";

const DRIVER = `
import json, os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:3])
pause = float(sys.argv[3])
out = b""
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try: out += os.read(fd, 4096)
            except OSError: return
pump(1.5)
for keys in json.loads(sys.stdin.read()):
    os.write(fd, keys.encode()); pump(pause)
pump(0.3)
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.stdout.write("\\nSTATUS %s\\n" % (("signal %d" % os.WTERMSIG(st)) if os.WIFSIGNALED(st) else ("exit %d" % os.WEXITSTATUS(st))))
`;

/** Whether python3 with its pty module is there. */
export const havePty = spawnSync("python3", ["-c", "import pty"]).status === 0;

/**
 * Runs `node script` on a pseudo-terminal, types each string of `keys` and waits `pause` seconds after
 * it; returns the terminal's output followed by a line "STATUS exit N" or "STATUS signal N".
 */
export function onPty(script: string, keys: string[], pause: number): string {
  return spawnSync("python3", ["-c", DRIVER, process.execPath, script, String(pause)], {
    input: JSON.stringify(keys),
    encoding: "utf8",
  }).stdout;
}

/** Terminal output without escape sequences and carriage returns (readline draws its own). */
export function plainText(out: string): string {
  const ESC = String.fromCharCode(27);
  return out.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, "g"), "").replace(/\r/g, "");
}
