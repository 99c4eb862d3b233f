// platform.ts - the Node built-ins the host uses (node:fs for the bundled module and for fs: "node",
// node:fs/promises for FileStorage), reached without any `import` of a `node:` module, so that no
// bundler building for a browser sees one (package.json "exports": the browser and default entry,
// index.ts, reaches only modules like this one).
// Where they come from, first found: the modules the package's node entry registered (node.ts, the
// "node" condition, imports platform-node.ts, which imports them statically: any Node >= 20); else
// process.getBuiltinModule (Node >= 20.16, a plain call that no bundler follows), for code that
// imports index.ts directly in Node (the CLI's bundle does register; tests and tools need not); else
// none: a browser, where the callers report what needs Node.
// Invariant: this file and every module index.ts reaches have no static or dynamic import of a
// `node:` module (spec/bundlers checks the browser bundles for the string).

/** The subset of Node's built-ins the host calls. */
export interface NodeModules {
  fs: typeof import("node:fs");
  fsp: typeof import("node:fs/promises");
}

let registered: NodeModules | null = null;

/** Called once by platform-node.ts (the node entry); later registrations replace it (same modules). */
export function registerNodeModules(m: NodeModules): void {
  registered = m;
}

type GetBuiltin = (id: string) => unknown;

/** Node's built-ins, or null outside Node (or in a Node older than 20.16 without the node entry). */
export function nodeModules(): NodeModules | null {
  if (registered !== null) return registered;
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return null;
  const get: GetBuiltin = (id) => proc.getBuiltinModule!(id);
  registered = { fs: get("node:fs") as NodeModules["fs"], fsp: get("node:fs/promises") as NodeModules["fsp"] };
  return registered;
}

/** Node's built-ins for `what`, or an Error saying that it needs Node. */
export function requireNodeModules(what: string): NodeModules {
  const m = nodeModules();
  if (m === null)
    throw new Error(
      `${what} needs Node's file system: it is not available here (a browser, or a Node older than 20.16 ` +
        `that loaded the package's browser entry instead of its "node" export condition)`,
    );
  return m;
}
