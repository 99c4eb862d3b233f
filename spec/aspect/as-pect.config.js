// as-pect.config.js - as-pect 8.1 (the design card's unit-test runner for AssemblyScript) over the
// modules' own invariants: spec/aspect/*.spec.ts, compiled with as-pect.asconfig.json (the project's
// asconfig plus LUA_DEBUG asserts). The modules' host imports (output, files, clocks, external
// tables) are answered with neutral values: the units under test never need a host.
export default {
  entries: ["spec/aspect/**/*.spec.ts"],
  include: [],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    // as-pect supplies abort, trace and seed; every other env import is a host function of the
    // module (sys/imports.ts), answered 0 ("nothing", "refused")
    const env = { memory };
    for (const imp of WebAssembly.Module.imports(new WebAssembly.Module(binary))) {
      if (imp.module === "env" && imp.kind === "function" && !["abort", "trace", "seed"].includes(imp.name))
        env[imp.name] = () => 0;
    }
    // the module's abort never returns: its hosts throw (host/loader.ts), as-pect only records the
    // message, so throw after it (then `expect(fn).toThrow()` sees an abort as the host would)
    const imports = createImports({ env });
    const record = imports.env.abort;
    imports.env.abort = (...args) => {
      record(...args);
      throw new WebAssembly.RuntimeError("abort");
    };
    return instantiate(binary, imports);
  },
  outputBinary: false,
};
