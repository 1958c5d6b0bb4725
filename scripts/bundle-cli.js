// Bundles the CLI that bin/partoo-links.js runs (issue 18): `npm run build` writes
// dist/bundle/main.mjs and its chunks. Node then reads and compiles a few files where it
// resolved some 60 modules of ours and 74 of yaml one by one, the main cost of a start.
// Code splitting keeps every lazy import() (commands, services, undici, octokit, the link
// checker, the github modules) a chunk of its own, loaded only when a command uses it.
// Dependencies are bundled in: measured, a start of `validate` took 98 ms with them inside
// and 136 ms with node_modules left external (bare `node -e 0`: 42 ms).
// The store-file workers start the chunk that holds src/files/store-workers.ts (its
// import.meta.url), whose top level serves when it runs in a worker.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CLI_BUNDLE_DIR = "dist/bundle";

const flag = process.argv.indexOf("--outdir");
const outdir = path.resolve(root, flag === -1 ? CLI_BUNDLE_DIR : process.argv[flag + 1]);
// Chunk names carry a hash: old ones would pile up.
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts" },
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  // .mjs: Node knows each file is an ES module by its name, without looking for the
  // package.json that says so, once per file (measured: 2-4 ms of a start of validate).
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies inlined into an ES module still call require() for Node built-ins.
  // Made on the first call: every chunk gets the banner, and creating a require in each of
  // the ~25 chunks a start loads cost about 0.2 ms apiece, for none that validate calls.
  banner: {
    js: 'import { createRequire as __partooCreateRequire } from "node:module"; let __partooRequire; const require = (id) => (__partooRequire ??= __partooCreateRequire(import.meta.url))(id);',
  },
  // For --debug (bin/partoo-links.js enables them): stack traces name src/ files and lines.
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "eof",
  logLevel: "warning",
});
