import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../../helpers/cli.js";
import { parseCheckLinks } from "../../../src/cli/link-options.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "partoo-links-check-options-"));
  mkdirSync(path.join(root, "stores"));
  writeFileSync(
    path.join(root, "stores", "paris-01.yaml"),
    "code: paris-01\nlinks:\n  SHOP_ONLINE: []\n",
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("--check-links and --link-timeout", () => {
  test("--check-links takes no value or =all, and --link-timeout seconds", () => {
    expect(parseCheckLinks({})).toBeUndefined();
    expect(parseCheckLinks({ "check-links": "" })).toEqual({ scope: "changed", timeoutMs: 10_000 });
    expect(parseCheckLinks({ "check-links": "all", "link-timeout": "2.5" })).toEqual({
      scope: "all",
      timeoutMs: 2500,
    });
  });

  test("a bare --check-links followed by another flag leaves that flag alone", async () => {
    const result = await runCli(["validate", "--check-links", "--format", "json"], { cwd: root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, files: 1 });
    expect(result.stderr).toBe(
      "Link check: no URL new or changed since the last apply, nothing to fetch\n",
    );
  });

  test.each([
    [
      ["--check-links", "--link-timeout", "0"],
      "--link-timeout 0: expected a number of seconds above 0 and at most 600, e.g. --link-timeout 10",
    ],
    [["--link-timeout", "5"], "--link-timeout applies to the link check: add --check-links"],
    [
      ["--check-links", "all"],
      'validate: unexpected argument "all"; run "partoo-links validate --help"',
    ],
  ])("validate %j is refused in one line", async (flags, message) => {
    const result = await runCli(["validate", ...flags], { cwd: root });
    expect(result).toEqual({ code: 1, stdout: "", stderr: `partoo-links: ${message}\n` });
  });

  test("the help shows the optional value", async () => {
    const result = await runCli(["plan", "--help"], { cwd: root });
    expect(result.stdout).toMatch(/\n {2}--check-links\[=all\] +fetch the URLs/);
    expect(result.stdout).toMatch(/\n {2}--link-timeout SECONDS +with --check-links/);
  });
});
