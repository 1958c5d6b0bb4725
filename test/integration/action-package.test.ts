/**
 * The npm package: `npm pack` makes a tarball that installs into an empty directory, where
 * the bin runs `validate` against the schemas inside the package (not the repository's), and
 * the demo on the examples inside it.
 * The install is --offline: it needs npm's cache to hold the dependencies' metadata, which
 * .ci/run warms before npm test; without it the test says so and is skipped.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ensureCliBuilt } from "../helpers/build-cli.js";
import { packageRoot } from "../../src/package-info.js";

const run = promisify(execFile);
const root = packageRoot();

describe("the npm package", () => {
  let temp: string;
  let tarball: string;
  let files: string[];

  beforeAll(async () => {
    await ensureCliBuilt();
    temp = await mkdtemp(path.join(tmpdir(), "partoo-pack-"));
    // dist/ is built above: no prepare step needed to pack it.
    const { stdout } = await run(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", temp],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(temp, packed!.filename);
    files = packed!.files.map((file) => file.path);
  }, 180_000);

  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  test("holds the bin, the bundled CLI and the schemas, the demo's examples, and neither sources, tests, the compiled modules nor the Action", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "bin/partoo-links.js",
        "dist/bundle/main.mjs",
        // For --debug's stack traces.
        "dist/bundle/main.mjs.map",
        "schemas/store.schema.json",
        "schemas/state.schema.json",
        "schemas/plan.schema.json",
        "package.json",
        "README.md",
        // What the demo reads from the package.
        "stores/paris-01.yaml",
        "partoo-links.yaml",
      ]),
    );
    expect(
      files.filter((file) => /^(src|test|dist\/test|dist\/src|dist-action)\//.test(file)),
    ).toEqual([]);
  });

  test("installs into an empty directory, where the bin validates store files", async () => {
    const project = path.join(temp, "empty");
    await mkdir(path.join(project, "stores"), { recursive: true });
    try {
      await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], {
        cwd: project,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const text = String((error as { stderr?: string }).stderr ?? error);
      if (text.includes("ENOTCACHED")) {
        console.warn(
          "skipped: npm's cache lacks the dependencies (.ci/run warms it before npm test)",
        );
        return;
      }
      throw error;
    }
    expect(await readdir(path.join(project, "node_modules", "partoo-links", "schemas"))).toEqual(
      expect.arrayContaining(["store.schema.json"]),
    );
    await writeFile(
      path.join(project, "stores", "paris-01.yaml"),
      "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - https://shop.example.com/paris-01\n",
    );
    // npx finds the installed bin: --no-install, so it could never fetch another package.
    const npx = (args: string[]) =>
      run("npx", ["--no-install", "partoo-links", ...args], { cwd: project });
    const valid = await npx(["validate"]);
    expect(valid.stdout).toBe("1 store file valid\n");
    // The schema checks (from the package's own schemas) do run.
    await writeFile(path.join(project, "stores", "lyon-01.yaml"), "code: lyon-01\nlinkz: {}\n");
    await expect(npx(["validate"])).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining("linkz"),
    });
    // The demo runs from the installed package: its examples and fleet file are inside it.
    const demo = await npx(["demo"]);
    expect(demo.stdout).toContain("Demo complete: every step went as expected");
  }, 120_000);
});
