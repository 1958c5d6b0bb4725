// Builds the Action's committed single-file runtime: `npm run bundle` writes dist-action/index.js.
// `node esbuild.config.js --outfile FILE` writes it elsewhere (the freshness test compares bytes).
// The output depends only on the sources and the lock file: same input, same bytes.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
export const ACTION_BUNDLE = "dist-action/index.js";

const flag = process.argv.indexOf("--outfile");
const outfile = flag === -1 ? ACTION_BUNDLE : process.argv[flag + 1];
if (outfile === undefined) throw new Error("--outfile needs a file name");

await build({
  absWorkingDir: root,
  entryPoints: ["src/action/index.ts"],
  outfile: path.resolve(outfile),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies inlined into an ES module still call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __partooCreateRequire } from "node:module"; const require = __partooCreateRequire(import.meta.url);',
  },
  legalComments: "eof",
  sourcemap: false,
  logLevel: "warning",
});
