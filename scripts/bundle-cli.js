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
    js: 'let __partooRequire; const require = (id) => (__partooRequire ??= process.getBuiltinModule("node:module").createRequire(import.meta.url))(id);',
  },
  // For --debug (bin/partoo-links.js enables them): stack traces name src/ files and lines.
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "eof",
  logLevel: "warning",
  // Less for Node to read and parse at each start (measured: about 1.5 ms of validate's);
  // names stay (error names, stack traces), and --debug maps lines back to src/.
  minifyWhitespace: true,
  minifySyntax: true,
};

// Fewer chunks on the path of validate (and of every command): esbuild makes a chunk of the
// modules reached by each set of lazy import() targets, and the ~60 modules that validate and
// the services load statically fell in some 20 small chunks, each read, resolved and compiled
// by Node (measured: about 20 ms of a 73 ms start). Every other lazy target now imports them
// too, bundle only, and validate.ts and services.ts each other's: they share one set, so one
// chunk. The commands load them anyway; a target loaded later (yaml, the github modules)
// finds them loaded. Targets they reach themselves are left alone (no cycle).
const COMMON = ["src/cli/commands/validate.ts", "src/cli/services.ts"];
// And main.ts imports validate and the services statically, bundle only: validate of one file
// loads 3 files, not 6 (measured: 5 ms of a 57 ms start); --help compiles some 120 kB more,
// in the same chunk, for about 2 ms.
const EAGER = {
  "src/cli/main.ts": { module: "./services.js", name: "createServices" },
  "src/cli/commands/index.ts": { module: "./validate.js", name: "validateCommand" },
};
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

/** `source` with the common modules appended, when `input` is a lazy import() target. */
function withCommonImports(input, source) {
  if (!lazyTargets.has(input)) return source;
  // Never a module that reaches this target: no new cycle.
  const imports = common
    .filter((module) => !reaches.get(module).has(input))
    .map((module) => `import ${JSON.stringify(path.resolve(root, module))};`);
  return imports.length === 0 ? source : `${source}\n${imports.join("\n")}\n`;
}

/** `source` with EAGER's import() made a static import. */
function withEagerImport(input, source) {
  const eager = EAGER[input];
  if (eager === undefined) return source;
  const call = `await import(${JSON.stringify(eager.module)})`;
  if (!source.includes(call)) throw new Error(`${input} no longer has ${call}`);
  // A named import: a namespace object would need esbuild's helpers, in a chunk of their own.
  const header = `import { ${eager.name} as __eager } from ${JSON.stringify(eager.module)};\n`;
  return header + source.replace(call, `{ ${eager.name}: __eager }`);
}

// Node built-ins without their ES module facade: Node makes one for each imported built-in by
// reading every export, lazy getters included, so `import … from "node:fs"` loaded all of
// Node's streams and "node:util" its AbortController (measured: about 4 ms of a start of
// validate). `import path from "node:path"` and `import { a, b as c } from "node:fs"` become
// `const path = process.getBuiltinModule("node:path")` and `const { a, b: c } = …` (Node
// 20.16+; package.json asks for 20.18.1). Our modules only, whose imports prettier formats;
// an import form this does not know fails the build. import() of a built-in stays as it is.
const BUILTIN_IMPORT = /^import\s+(?!type\s)([^;]*?)\s+from\s+"(node:[a-z_/]+)";$/gm;
function withBuiltinsPlain(input, source) {
  return source.replace(BUILTIN_IMPORT, (statement, clause, id) => {
    const module = `process.getBuiltinModule(${JSON.stringify(id)})`;
    const named = /^\{([^}]*)\}$/s.exec(clause);
    if (named !== null) {
      const values = named[1]
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "" && !name.startsWith("type "))
        .map((name) => name.replace(/\s+as\s+/, ": "));
      return values.length === 0 ? "" : `const { ${values.join(", ")} } = ${module};`;
    }
    const binding = /^(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)$/.exec(clause);
    if (binding === null) throw new Error(`${input}: cannot rewrite ${statement}`);
    return `const ${binding[1]} = ${module};`;
  });
}

const sourceTransforms = {
  name: "source-transforms",
  setup(plugin) {
    plugin.onLoad({ filter: /\.ts$/ }, (args) => {
      const input = path.relative(root, args.path).split(path.sep).join("/");
      if (!input.startsWith("src/")) return undefined;
      let source = readFileSync(args.path, "utf8");
      for (const transform of [withEagerImport, withCommonImports, withBuiltinsPlain]) {
        source = transform(input, source);
      }
      return { contents: source, loader: "ts" };
    });
  },
};

await build({ ...options, plugins: [sourceTransforms] });
