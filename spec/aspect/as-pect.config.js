// as-pect.config.js - as-pect 8.1 (the design card's unit-test runner for AssemblyScript) over the
// modules' own invariants: spec/aspect/*.spec.ts, compiled with as-pect.asconfig.json (the project's
// asconfig plus LUA_DEBUG asserts). The modules' host imports (output, files, clocks, external
// tables) are answered with neutral values: the units under test never need a host.
export default {
  entries: ["spec/aspect/**/*.spec.ts"],
  include: [],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    const stub = () => 0;
    const env = new Proxy(
      { memory },
      { get: (target, name) => (name in target ? target[name] : stub), has: () => true },
    );
    return instantiate(binary, createImports({ env }));
  },
  outputBinary: false,
};
