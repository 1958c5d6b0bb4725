import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli } from "../../helpers/cli.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "partoo-links-lints-"));
  mkdirSync(path.join(root, "stores"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(code: string, lines: readonly string[]): void {
  writeFileSync(
    path.join(root, "stores", `${code}.yaml`),
    [`code: ${code}`, ...lines, ""].join("\n"),
  );
}

/** A store with one link of its own, and `shared` as a second type's link. */
function storeSharing(code: string, shared: string): void {
  write(code, [
    "links:",
    "  SHOP_ONLINE:",
    `    - https://shop.example.com/${code}`,
    "  FOOD_ORDERING:",
    `    - ${shared}`,
  ]);
}

describe("validate's link lints (offline, warnings)", () => {
  test("two links of one type on one host are one warning at the second, naming both lines", async () => {
    write("paris-01", [
      "links:",
      "  SHOP_ONLINE:",
      "    - url: https://shop.example.com/paris-01",
      "      preferred: true",
      "    - https://WWW.shop.example.com/paris-01/gifts",
      "  FOOD_ORDERING:",
      "    - https://shop.example.com/paris-01/menu",
    ]);
    const result = await runCli(["validate"], { cwd: root });
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout:
        "stores/paris-01.yaml:6:7: warning: SHOP_ONLINE has 2 links on shop.example.com (lines 4 and 6); Google allows one link per domain per type and drops the others: keep one\n" +
        "1 store file valid, 1 warning\n",
    });
  });

  test("links of one type on different hosts, or of different types on one host, are fine", async () => {
    write("paris-01", [
      "links:",
      "  SHOP_ONLINE:",
      "    - https://shop.example.com/paris-01",
      "    - https://gifts.example.com/paris-01",
      "  FOOD_ORDERING:",
      "    - https://shop.example.com/paris-01/menu",
    ]);
    expect(await runCli(["validate"], { cwd: root })).toEqual({
      code: 0,
      stderr: "",
      stdout: "1 store file valid\n",
    });
  });

  test("one URL shared by several stores is one warning, with the count and a few of the files", async () => {
    const shared = "https://order.example.com/menu";
    for (const code of ["a-01", "b-01", "c-01", "d-01", "e-01", "f-01"]) storeSharing(code, shared);
    storeSharing("g-01", "https://order.example.com/g-01");
    const result = await runCli(["validate"], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `stores/a-01.yaml:6:7: warning: "${shared}" is used by 6 store files (also stores/b-01.yaml:6, stores/c-01.yaml:6, stores/d-01.yaml:6 and 2 more); Google wants a page for each location: give each store its own URL\n` +
        "7 store files valid, 1 warning\n",
    );
  });

  test("--strict makes the warnings fail, and --format github prints them as ::warning annotations", async () => {
    storeSharing("a-01", "https://order.example.com/menu");
    storeSharing("b-01", "https://order.example.com/menu");
    expect((await runCli(["validate", "--strict"], { cwd: root })).code).toBe(1);
    const github = await runCli(["validate", "--format", "github"], { cwd: root });
    expect(github.code).toBe(0);
    expect(github.stdout).toMatch(
      /^::warning file=stores\/a-01\.yaml,line=6,col=7::"https:\/\/order\.example\.com\/menu" is used by 2 store files \(also stores\/b-01\.yaml:6\);/,
    );
  });

  test("a file with errors is not linted: its errors come first", async () => {
    storeSharing("a-01", "https://order.example.com/menu");
    write("b-01", ["links:", "  FOOD_ORDERING:", "    - http://order.example.com/menu"]);
    const result = await runCli(["validate"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain("warning");
  });
});
