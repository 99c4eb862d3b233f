// node.ts - the package's entry under the "node" export condition (package.json "exports"): the
// public API of index.ts, with Node's built-ins registered first (platform-node.ts), so files, the
// bundled module's path and FileStorage work in every Node >= 20. Browsers and bundlers building for
// them get index.ts instead, which imports no `node:` module. No logic lives here.

import "./platform-node.js";
export * from "./index.js";
