import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../../helpers/cli.js";
import { packageRoot } from "../../../src/package-info.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "partoo-links-validate-"));
  mkdirSync(path.join(root, "stores"));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, content: string): void {
  writeFileSync(path.join(root, "stores", name), content);
}

const valid = (code: string) =>
  `# yaml-language-server: $schema=../schemas/store.schema.json\ncode: ${code}\nlinks:\n  SHOP_ONLINE:\n    - url: https://shop.example.com/${code}\n      preferred: true\n`;

const twoPreferred = [
  "code: paris-01",
  "links:",
  "  SHOP_ONLINE:",
  "    - url: https://shop.example.com/a",
  "      preferred: true",
  "    - url: https://shop.example.com/b",
  "      preferred: true",
  "",
].join("\n");

function writeInvalidSet(): void {
  write("lyon-01.yaml", valid("lyon-01"));
  write("nice-01.yaml", valid("nice-01"));
  write("paris-01.yaml", twoPreferred);
  write("rennes-01.yaml", "code: rennes-02\nlinks:\n  SHOP_ONLNE: []\n");
}

describe("partoo-links validate", () => {
  test("exits 0 and says how many files are valid", async () => {
    write("lyon-01.yaml", valid("lyon-01"));
    write("paris-01.yaml", valid("paris-01"));
    const result = await runCli(["validate"], { cwd: root });
    expect(result).toEqual({ code: 0, stdout: "2 store files valid\n", stderr: "" });
  });

  test("exits 1 and prints every error on its own line, relative to the cwd, then a summary", async () => {
    writeInvalidSet();
    const result = await runCli(["validate"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual([
      "stores/paris-01.yaml:7:7: SHOP_ONLINE has two preferred links (lines 5 and 7); keep one",
      'stores/rennes-01.yaml:1:7: code "rennes-02" does not match the file name rennes-01.yaml; rename the file to rennes-02.yaml or write code: rennes-01',
      'stores/rennes-01.yaml:3:3: unknown place action type "SHOP_ONLNE" (did you mean "SHOP_ONLINE"?); use one of APPOINTMENT, ONLINE_APPOINTMENT, DINING_RESERVATION, FOOD_ORDERING, FOOD_DELIVERY, FOOD_TAKEOUT, SHOP_ONLINE',
      "3 errors in 2 of 4 files",
      "",
    ]);
  });

  test("--stores takes a directory relative to the cwd, and paths are shown from the cwd", async () => {
    mkdirSync(path.join(root, "config", "shops"), { recursive: true });
    writeFileSync(path.join(root, "config", "shops", "paris-01.yaml"), "code: paris-01\n");
    const result = await runCli(["validate", "--stores", "config/shops"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^config\/shops\/paris-01\.yaml:1:1: links is missing/);
  });

  test("--format json prints one machine-readable document", async () => {
    writeInvalidSet();
    const result = await runCli(["validate", "--format", "json"], { cwd: root });
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ valid: false, files: 4, warnings: [] });
    expect(document.errors).toHaveLength(3);
    expect(document.errors[0]).toEqual({
      file: "stores/paris-01.yaml",
      line: 7,
      column: 7,
      message: "SHOP_ONLINE has two preferred links (lines 5 and 7); keep one",
    });
  });

  test("--format json on valid files", async () => {
    write("paris-01.yaml", valid("paris-01"));
    const result = await runCli(["validate", "--format", "json"], { cwd: root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ valid: true, files: 1, errors: [], warnings: [] });
  });

  test("--format github prints workflow annotations at file, line and column", async () => {
    writeInvalidSet();
    write("lille-01.yml", valid("lille-01"));
    const result = await runCli(["validate", "--format", "github"], { cwd: root });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "::warning file=stores/lille-01.yml::ignored: store files end in .yaml; rename it to lille-01.yaml",
    );
    expect(lines[1]).toBe(
      "::error file=stores/paris-01.yaml,line=7,col=7::SHOP_ONLINE has two preferred links (lines 5 and 7); keep one",
    );
    expect(lines.filter((line) => line.startsWith("::error "))).toHaveLength(3);
    expect(lines.at(-1)).toBe("3 errors in 2 of 4 files, 1 warning");
  });

  test("--format markdown prints a report for a job summary", async () => {
    writeInvalidSet();
    const result = await runCli(["validate", "--format", "markdown"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^### partoo-links validate\n\n❌ \*\*3 errors in 2 of 4 files\*\*\n/,
    );
    expect(result.stdout).toContain(
      "| `stores/paris-01.yaml` | 7:7 | error | SHOP\\_ONLINE has two preferred links \\(lines 5 and 7\\); keep one |",
    );
  });

  test("warnings alone do not fail validation", async () => {
    write("paris-01.yaml", valid("paris-01"));
    write("lyon-01.yml", valid("lyon-01"));
    const result = await runCli(["validate"], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "stores/lyon-01.yml: warning: ignored: store files end in .yaml; rename it to lyon-01.yaml\n1 store file valid, 1 warning\n",
    );
  });

  test("a missing stores directory is a one-line error", async () => {
    const result = await runCli(["validate", "--stores", "nowhere"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "partoo-links: nowhere: no such directory; run partoo-links from your repository root or pass --stores DIR\n",
    );
  });

  test("an unknown format is a usage error with a suggestion", async () => {
    const result = await runCli(["validate", "--format", "jsn"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'partoo-links: --format jsn: unknown format (did you mean "json"?); use one of text, json, markdown, github\n',
    );
  });

  test("hostile files are reported, never crash the run", async () => {
    write("a-01.yaml", "\0\u0001binary");
    write("b-01.yaml", `code: ${"[".repeat(5000)}`);
    write("c-01.yaml", "code: c-01\nlinks: {}\n__proto__: {admin: true}\n");
    write(
      "d-01.yaml",
      "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c]\n",
    );
    write("e-01.yaml", "code: e-01\nlinks: !!js/function 'function () {}'\n");
    const result = await runCli(["validate"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toMatch(/internal error|\n\s+at /);
    for (const file of ["a-01", "b-01", "c-01", "d-01", "e-01"]) {
      expect(result.stdout).toContain(`stores/${file}.yaml`);
    }
    expect(result.stdout.trim().split("\n").at(-1)).toMatch(/ errors in 5 of 5 files$/);
  });

  test("the example stores shipped with the package are valid (Google's link lints may warn)", async () => {
    const result = await runCli(["validate"], { cwd: packageRoot() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^(stores\/\S+: warning: .*\n)*\d store files valid(, \d+ warnings?)?\n$/,
    );
  });
});
