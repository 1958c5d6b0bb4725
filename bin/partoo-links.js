#!/usr/bin/env node
// Runs the bundled CLI (dist/bundle/, built by `npm run build`; scripts/bundle-cli.js).

// Node 22+ caches the compiled code of the bundle between runs; Node 20 has no such cache.
// (getBuiltinModule, not an import: an imported built-in costs a start its ES module facade.)
process.getBuiltinModule("node:module").enableCompileCache?.();
// --debug prints stack traces: through the bundle's source maps they name src/ files.
if (process.argv.includes("--debug")) process.setSourceMapsEnabled(true);
const { main } = await import("../dist/bundle/main.mjs");

process.exitCode = await main(process.argv.slice(2));
