// chromium.mjs - finding (or installing) the headless Chromium that the browser runners drive with
// playwright-core, and launching it: Debian's `chromium` by default, CHROMIUM=path for another.
// Invariant: a missing browser is reported as an Error with the reason and what to do, never skipped.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function findChromium() {
  const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p) => existsSync(p)) ?? null;
}

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/**
 * The Chromium executable: $CHROMIUM, else /usr/bin/chromium(-browser), else installed with apt-get
 * when running as root. Throws an Error saying why when there is none.
 */
export function chromiumPath() {
  let path = findChromium();
  let note = "could not be installed: installing needs root and apt-get";
  if (!path && !process.env.CHROMIUM) {
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    if (isRoot && hasCommand("apt-get")) {
      note = "`apt-get install -y chromium` did not provide it";
      console.log("Chromium not found: installing it with apt-get (apt-get install -y chromium)");
      const r = spawnSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq chromium"], {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
        timeout: 15 * 60_000,
      });
      if (r.status !== 0) console.log(`apt-get install chromium failed (exit ${r.status ?? r.signal})`);
      path = findChromium();
    }
  }
  if (path) return path;
  throw new Error(
    process.env.CHROMIUM
      ? `CHROMIUM=${process.env.CHROMIUM} does not exist`
      : `Chromium is not installed (looked for /usr/bin/chromium, /usr/bin/chromium-browser) and ${note}; ` +
          "install it with `apt-get install chromium` or set CHROMIUM=/path/to/chromium",
  );
}

/** Launches Chromium headless with a persistent profile (so IndexedDB survives a page reload). */
export async function launchChromium(profileDir) {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    throw new Error(`playwright-core cannot be imported (${e.message}): run npm ci`, { cause: e });
  }
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
  });
}
