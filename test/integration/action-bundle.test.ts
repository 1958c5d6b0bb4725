/**
 * The committed build of the Action is what `npm run bundle` makes from the sources, byte
 * for byte, and action.yml declares exactly the inputs and outputs of SPEC §9.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-info.js";

const root = packageRoot();
const run = promisify(execFile);

describe("the Action's committed build and metadata", () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(path.join(tmpdir(), "partoo-bundle-"));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  test("dist-action/index.js is tracked by git and equals a fresh bundle (run npm run bundle)", async () => {
    const { stdout } = await run("git", ["ls-files", "--error-unmatch", "dist-action/index.js"], {
      cwd: root,
    });
    expect(stdout.trim()).toBe("dist-action/index.js");
    const fresh = path.join(temp, "index.js");
    await run(process.execPath, [path.join(root, "esbuild.config.js"), "--outfile", fresh], {
      cwd: root,
    });
    const [built, committed] = await Promise.all([
      readFile(fresh),
      readFile(path.join(root, "dist-action", "index.js")),
    ]);
    // A message, not a 3 MB diff, when they differ.
    const same = built.equals(committed);
    expect(same ? "fresh" : "stale: run npm run bundle and commit dist-action/index.js").toBe(
      "fresh",
    );
  }, 120_000);

  test("action.yml is a node24 JavaScript action with SPEC §9's inputs and outputs", async () => {
    const action = parse(await readFile(path.join(root, "action.yml"), "utf8")) as {
      inputs: Record<string, { required?: boolean; default?: string }>;
      outputs: Record<string, unknown>;
      runs: Record<string, string>;
    };
    expect(action.runs).toEqual({ using: "node24", main: "dist-action/index.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(
      [
        "args",
        "command",
        "config",
        "github-token",
        "partoo-api-key",
        "state",
        "stores",
        "working-directory",
      ].sort(),
    );
    expect(action.inputs["command"]!.required).toBe(true);
    expect(action.inputs).toMatchObject({
      "github-token": { default: "${{ github.token }}" },
      stores: { default: "stores" },
      state: { default: "github:partoo-state" },
    });
    expect(Object.keys(action.outputs).sort()).toEqual(["changes", "exit-code", "report"]);
  });

  const validator = path.join(root, "node_modules", ".bin", "action-validator");
  (existsSync(validator) ? test : test.skip)(
    "action.yml passes action-validator (its schema stops at node20: checked with node20 put in)",
    async () => {
      const text = await readFile(path.join(root, "action.yml"), "utf8");
      expect(text).toMatch(/^ {2}using: node24$/m);
      const copy = path.join(temp, "action.yml");
      await writeFile(copy, text.replace(/^ {2}using: node24$/m, "  using: node20"));
      await expect(run(validator, [copy])).resolves.toBeDefined();
      await writeFile(copy, text.replace(/^ {2}using: node24$/m, "  using: node20\n  mian: x"));
      await expect(run(validator, [copy])).rejects.toBeDefined();
    },
  );
});
