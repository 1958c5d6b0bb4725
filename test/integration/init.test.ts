/**
 * `partoo-links init [DIR]`: a new stores repository that validates, whose workflows use the
 * Action and pass the workflow schema, and that never overwrites anything.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { packageRoot } from "../../src/package-info.js";
import { CHECKOUT_ACTION } from "../../src/cli/commands/init-templates.js";

const VALIDATOR = path.join(packageRoot(), "node_modules", ".bin", "action-validator");

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) names.push(...(await listFiles(path.join(dir, entry.name), name)));
    else names.push(name);
  }
  return names.sort();
}

describe("init writes a new stores repository", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "partoo-init-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("into DIR: stores, fleet file, schemas, three workflows, .gitignore and a README", async () => {
    const result = await runCli(["init", "repo"], { cwd: dir });
    expect(result.code).toBe(0);
    const repo = path.join(dir, "repo");
    expect(await listFiles(repo)).toEqual([
      ".github/workflows/drift.yml",
      ".github/workflows/plan.yml",
      ".github/workflows/sync.yml",
      ".gitignore",
      "README.md",
      "partoo-links.yaml",
      ...(await readdir(path.join(packageRoot(), "schemas")))
        .filter((name) => name.endsWith(".schema.json"))
        .map((name) => `schemas/${name}`)
        .sort(),
      "stores/example-01.yaml",
    ]);
    // The copies are the package's schemas, byte for byte.
    expect(await readFile(path.join(repo, "schemas", "store.schema.json"), "utf8")).toBe(
      await readFile(path.join(packageRoot(), "schemas", "store.schema.json"), "utf8"),
    );
    expect(result.stdout).toContain("README.md");
  });

  test("what it writes passes validate", async () => {
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const validated = await runCli(["validate"], { cwd: dir });
    expect(validated.stderr).toBe("");
    expect(validated.stdout).toBe("1 store file valid\n");
    expect(validated.code).toBe(0);
  });

  test("the fleet file has the shape of SPEC §2a and inherits nothing yet", async () => {
    await runCli(["init"], { cwd: dir });
    const text = await readFile(path.join(dir, "partoo-links.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./schemas/config.schema.json",
    );
    expect(parse(text)).toEqual({ defaults: { links: {} }, profiles: {} });
  });

  test("the workflows use the Action named by --action, never a copy of the tool", async () => {
    await runCli(["init", "--action", "acme/partoo-links@v3"], { cwd: dir });
    for (const name of ["plan", "sync", "drift"]) {
      const text = await readFile(path.join(dir, ".github", "workflows", `${name}.yml`), "utf8");
      const workflow = parse(text) as {
        jobs: Record<string, { steps: { uses?: string; run?: string }[]; environment?: string }>;
      };
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const uses = steps.map((step) => step.uses).filter((u) => u !== undefined);
      expect(uses).toContain("acme/partoo-links@v3");
      expect(new Set(uses)).toEqual(
        new Set(["acme/partoo-links@v3", CHECKOUT_ACTION.split(" ")[0]]),
      );
      // No shell step: nothing can fetch a same-named package from a registry.
      expect(steps.every((step) => step.run === undefined)).toBe(true);
      expect(text).not.toMatch(/npx|npm /);
    }
  });

  test("the write key is only used by jobs in the environment partoo", async () => {
    await runCli(["init"], { cwd: dir });
    for (const name of ["plan", "sync", "drift"]) {
      const workflow = parse(
        await readFile(path.join(dir, ".github", "workflows", `${name}.yml`), "utf8"),
      ) as { jobs: Record<string, { environment?: string }> };
      for (const [id, job] of Object.entries(workflow.jobs)) {
        const usesWriteKey = JSON.stringify(job).includes("secrets.PARTOO_API_KEY");
        expect([id, usesWriteKey ? job.environment : "partoo"]).toEqual([id, "partoo"]);
      }
    }
  });

  test.each([
    ["a file", "partoo-links.yaml"],
    ["a workflow", ".github/workflows/plan.yml"],
    ["a store", "stores/example-01.yaml"],
  ])("never overwrites %s: the error names it and nothing is written", async (_, existing) => {
    await mkdir(path.dirname(path.join(dir, existing)), { recursive: true });
    await writeFile(path.join(dir, existing), "mine\n");
    const result = await runCli(["init"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(existing);
    expect(result.stderr).toContain("nothing was written");
    expect(await readFile(path.join(dir, existing), "utf8")).toBe("mine\n");
    expect((await listFiles(dir)).filter((name) => name !== existing)).toEqual([]);
  });

  test("a dangling symlink where it would write counts as existing", async () => {
    await symlink(path.join(dir, "nowhere"), path.join(dir, "README.md"));
    const result = await runCli(["init"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("README.md");
    expect(existsSync(path.join(dir, "nowhere"))).toBe(false);
  });

  test.each(["acme", "acme/partoo-links", "acme/x@v1\n  run: curl", "a b/c@v1", "@v1"])(
    "refuses --action %j in one line",
    async (action) => {
      const result = await runCli(["init", "--action", action], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  test("a DIR that is a file is a one-line error", async () => {
    await writeFile(path.join(dir, "file"), "x");
    const result = await runCli(["init", "file"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^partoo-links: file\/[^:]+: cannot write a file of the new repository \((ENOTDIR|EEXIST)\)[^\n]*\n$/,
    );
  });

  test("two directories are one argument too many", async () => {
    const result = await runCli(["init", "a", "b"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unexpected argument "b"');
  });

  const validator = existsSync(VALIDATOR) ? test : test.skip;
  if (!existsSync(VALIDATOR)) {
    console.warn(`skipped: ${VALIDATOR} is missing (npm ci installs @action-validator/cli)`);
  }
  validator("its workflows and this repository's own pass action-validator", async () => {
    await runCli(["init"], { cwd: dir });
    const own = path.join(packageRoot(), ".github", "workflows");
    const files = [
      ...(await readdir(path.join(dir, ".github", "workflows"))).map((name) =>
        path.join(dir, ".github", "workflows", name),
      ),
      ...(await readdir(own)).map((name) => path.join(own, name)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      await expect(promisify(execFile)(VALIDATOR, [file])).resolves.toBeDefined();
    }
    // And it does reject a broken workflow, so the check above can fail.
    const broken = path.join(dir, "broken.yml");
    await writeFile(broken, "on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n");
    await expect(promisify(execFile)(VALIDATOR, [broken])).rejects.toBeDefined();
  });
});
