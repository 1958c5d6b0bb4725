/**
 * The adapters load only when a command uses them: an offline plan, validate and --help never
 * load undici or octokit (issue 18). Checked on the compiled modules, whose static imports are
 * what Node loads (a `{ type X }` import still loads its module); dynamic imports are skipped.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureCliBuilt } from "../helpers/build-cli.js";
import { packageRoot } from "../../src/package-info.js";

const STATIC_IMPORT = /^(?:import|export)\s(?!type\s)(?:[^;"']*?\sfrom\s)?\s*["']([^"']+)["']/gm;

/** The packages reached from `entry` through static imports only. */
function packagesLoaded(entry: string): Set<string> {
  return walk(entry).packages;
}

/** The packages and the modules of ours (absolute paths) reached through static imports. */
function walk(entry: string): { packages: Set<string>; modules: Set<string> } {
  const packages = new Set<string>();
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(STATIC_IMPORT)) {
      if (!specifier!.startsWith(".")) {
        packages.add(specifier!.replace(/^((?:@[^/]+\/)?[^/]+).*$/, "$1"));
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier!);
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return { packages, modules: seen };
}

const built = (module: string) => path.join(packageRoot(), "dist", "src", module);

beforeAll(() => ensureCliBuilt(), 120_000);

test.each(["cli/main.js", "cli/services.js", "cli/commands/plan.js", "cli/commands/validate.js"])(
  "%s loads neither undici nor octokit before a command asks for them",
  (module) => {
    const loaded = packagesLoaded(built(module));
    expect(loaded.has("undici")).toBe(false);
    expect(loaded.has("octokit")).toBe(false);
  },
);

test("the walk sees the adapters where they are imported", () => {
  expect(packagesLoaded(built("partoo/client.js"))).toContain("undici");
  expect(packagesLoaded(built("github/client.js"))).toContain("octokit");
  expect(packagesLoaded(built("cli/commands/plan.js"))).toContain("yaml");
});

test("validate loads neither the state document's code nor its validator until it reads the state", () => {
  const modules = walk(built("cli/commands/validate.js")).modules;
  for (const module of walk(built("cli/services.js")).modules) modules.add(module);
  expect(
    [...modules].filter((file) => /state\/(file|document)|generated\/state/.test(file)),
  ).toEqual([]);
  expect(walk(built("state/file.js")).modules).toContain(built("generated/state.js"));
});
