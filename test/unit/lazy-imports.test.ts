/**
 * The adapters load only when a command uses them: an offline plan, validate and --help never
 * load undici or octokit, and yaml loads only for a file the fast reader leaves to it (issue 18). Checked on the compiled modules, whose static imports are
 * what Node loads (a `{ type X }` import still loads its module); dynamic imports are skipped.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ensureCliBuilt } from "../helpers/build-cli.js";
import { storeYaml } from "../bench/generate-stores.js";
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

test.each(["cli/commands/plan.js", "cli/commands/validate.js", "files/store-workers.js"])(
  "%s loads yaml only when a file needs the full parse",
  (module) => {
    expect(packagesLoaded(built(module)).has("yaml")).toBe(false);
  },
);

test.each(["cli/commands/validate.js", "files/store-workers.js"])(
  "%s loads node:worker_threads only to start or serve workers",
  (module) => {
    expect(packagesLoaded(built(module)).has("node:worker_threads")).toBe(false);
  },
);

/**
 * What `partoo-links validate` loads in `dir`: every module URL Node resolved, in order. Run
 * from the compiled modules (dist/src), not the bin's bundle, where yaml is inside a chunk.
 */
async function modulesResolvedByValidate(dir: string): Promise<string[]> {
  const log = path.join(dir, "resolved.log");
  const hook = path.join(dir, "hook.mjs");
  await writeFile(
    hook,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}
`,
  );
  const register = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(new URL(`file://${hook}`).href)});`;
  await writeFile(log, "");
  const main = new URL(`file://${built("cli/main.js")}`).href;
  const run = `import { main } from ${JSON.stringify(main)}; process.exitCode = await main(["validate"]);`;
  await promisify(execFile)(
    process.execPath,
    ["--import", register, "--input-type=module", "--eval", run],
    { cwd: dir },
  ).catch((error: unknown) => error);
  return (await readFile(log, "utf8")).split("\n").filter((line) => line !== "");
}

test("validate of plain stores without a fleet file never loads yaml nor the full store validator; a bad file does", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "partoo-links-lazy-"));
  try {
    await mkdir(path.join(dir, "stores"));
    // One link per host and type: no lint to place, which would parse its file.
    for (const code of ["lyon-01", "paris-01", "nice-01"]) {
      const store = {
        code,
        links: { SHOP_ONLINE: [{ url: `https://shop.example.com/${code}`, preferred: true }] },
      };
      await writeFile(path.join(dir, "stores", `${code}.yaml`), storeYaml(store));
    }
    const yamlModules = (urls: string[]) =>
      urls.filter((url) => url.includes("/node_modules/yaml/"));
    const fullValidator = (urls: string[]) =>
      urls.some((url) => url.endsWith("/generated/store-full.js"));
    const plain = await modulesResolvedByValidate(dir);
    expect(plain.some((url) => url.endsWith("/files/check-store-fast.js"))).toBe(true);
    expect(yamlModules(plain)).toEqual([]);
    expect(fullValidator(plain)).toBe(false);
    // validate runs no git: the module that starts processes is not loaded either.
    expect(plain).not.toContain("node:child_process");
    await writeFile(path.join(dir, "stores", "bad-01.yaml"), "code: bad-01\nlinks: [\n");
    const bad = await modulesResolvedByValidate(dir);
    expect(yamlModules(bad).length).toBeGreaterThan(0);
    expect(fullValidator(bad)).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);

test("the walk sees the adapters where they are imported", () => {
  expect(packagesLoaded(built("partoo/client.js"))).toContain("undici");
  expect(packagesLoaded(built("github/client.js"))).toContain("octokit");
  expect(packagesLoaded(built("files/parse-store.js"))).toContain("yaml");
});

test("validate loads neither the state document's code nor its validator until it reads the state", () => {
  const modules = walk(built("cli/commands/validate.js")).modules;
  for (const module of walk(built("cli/services.js")).modules) modules.add(module);
  expect(
    [...modules].filter((file) => /state\/(file|document)|generated\/state/.test(file)),
  ).toEqual([]);
  expect(walk(built("state/file.js")).modules).toContain(built("generated/state.js"));
});

test("the bin's validate of one file creates no stdout stream and loads no node:crypto", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "partoo-links-lazy-"));
  try {
    const store = {
      code: "lyon-01",
      links: { SHOP_ONLINE: [{ url: "https://shop.example.com/lyon-01", preferred: false }] },
    };
    await writeFile(path.join(dir, "lyon-01.yaml"), storeYaml(store));
    // A CommonJS preload: it imports nothing that would load these modules itself.
    const preload = path.join(dir, "modules.cjs");
    const list = path.join(dir, "modules.txt");
    await writeFile(
      preload,
      `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));`,
    );
    const bin = path.join(packageRoot(), "bin", "partoo-links.js");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--require", preload, bin, "validate", "--stores", dir],
      { cwd: dir },
    );
    expect(stdout).toBe("1 store file valid\n");
    const loaded = (await readFile(list, "utf8")).split("\n");
    expect(loaded).toContain("NativeModule fs");
    for (const module of ["crypto", "net", "tty", "stream"]) {
      expect(loaded).not.toContain(`NativeModule ${module}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
