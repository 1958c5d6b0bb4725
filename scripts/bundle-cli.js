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
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CLI_BUNDLE_DIR = "dist/bundle";

const flag = process.argv.indexOf("--outdir");
const outdir = path.resolve(root, flag === -1 ? CLI_BUNDLE_DIR : process.argv[flag + 1]);
// Chunk names carry a hash: old ones would pile up.
rmSync(outdir, { recursive: true, force: true });

const options = {
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
  // the chunks a start loads cost about 0.2 ms apiece, for none that validate calls.
  banner: {
    js: 'import { createRequire as __partooCreateRequire } from "node:module"; let __partooRequire; const require = (id) => (__partooRequire ??= __partooCreateRequire(import.meta.url))(id);',
  },
  // For --debug (bin/partoo-links.js enables them): stack traces name src/ files and lines.
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "eof",
  logLevel: "warning",
};

// Fewer chunks on the path of validate (and of every command): esbuild makes a chunk of the
// modules reached by each set of lazy import() targets, and the ~60 modules that validate and
// the services load statically fell in some 20 small chunks, each read, resolved and compiled
// by Node (measured: about 20 ms of a 73 ms start). Every other lazy target now imports them
// too, bundle only, and validate.ts and services.ts each other's: they share one set, so one
// chunk (two: those main.ts loads for --help). validate of one file loads 6 files, not 25.
// The commands load them anyway; a target loaded later (yaml, the github modules) finds them
// loaded. Targets they reach themselves are left alone (no cycle).
const COMMON = ["src/cli/commands/validate.ts", "src/cli/services.ts"];
const graph = (await build({ ...options, write: false, metafile: true, sourcemap: false })).metafile
  .inputs;
/** The modules `from` reaches through static imports, itself included. */
function staticClosure(from) {
  const reached = new Set(from);
  for (const queue = [...from]; queue.length > 0;) {
    for (const { path: target, kind } of graph[queue.pop()]?.imports ?? []) {
      if (kind !== "import-statement" || !(target in graph) || reached.has(target)) continue;
      reached.add(target);
      queue.push(target);
    }
  }
  return reached;
}
// The roots stay chunks of their own; what they load goes in the common chunk.
const common = [...staticClosure(COMMON)].filter((input) => !COMMON.includes(input));
const reaches = new Map(common.map((input) => [input, staticClosure([input])]));
const lazyTargets = new Set(
  Object.values(graph).flatMap(({ imports }) =>
    imports.filter((i) => i.kind === "dynamic-import" && i.path in graph).map((i) => i.path),
  ),
);
const commonChunk = {
  name: "common-chunk",
  setup(plugin) {
    plugin.onLoad({ filter: /\.ts$/ }, (args) => {
      const input = path.relative(root, args.path).split(path.sep).join("/");
      if (!lazyTargets.has(input)) return undefined;
      // Never a module that reaches this target: no new cycle.
      const imports = common
        .filter((module) => !reaches.get(module).has(input))
        .map((module) => `import ${JSON.stringify(path.resolve(root, module))};`);
      if (imports.length === 0) return undefined;
      return {
        contents: `${readFileSync(args.path, "utf8")}\n${imports.join("\n")}\n`,
        loader: "ts",
      };
    });
  },
};

await build({ ...options, plugins: [commonChunk] });
