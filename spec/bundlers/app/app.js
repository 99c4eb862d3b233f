// app.js - the tiny application every bundler test builds (spec/bundlers/run.mjs): a Lua state with
// its _home kept in IndexedDB; each page load counts one more visit. Takes the library's exports as
// an argument so that the same code serves the bundled apps (which import the package by name) and
// the CDN page (which imports dist/host/index.js by path).
// Invariant: window.result is set once per page load (or window.resultError with the reason).

export async function visit({ LuaPersistent, IndexedDBStorage }, wasm) {
  const name = location.pathname.split("/")[1]; // one database per app: they share the test's origin
  const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: `bundler-test-${name}` }) });
  await lua.load(wasm); // undefined: the module the package locates with new URL(..., import.meta.url)
  if (!lua.init()) throw new Error(lua.getLastError());
  const loaded = await lua.loadState();
  const r = lua.eval(`
    _home.visits = (_home.visits or 0) + 1
    print("hello from " .. _VERSION, _home.visits)
    return _home.visits, 6 * 7, string.format("%5.2f", math.pi)
  `);
  if (!r) throw new Error(lua.getLastError());
  if (!(await lua.saveState())) throw new Error(lua.getLastError());
  return { loaded, values: r.values, output: r.output };
}

export function report(promise) {
  promise.then(
    (r) => (window.result = r),
    (e) => (window.resultError = String(e?.stack ?? e)),
  );
}
