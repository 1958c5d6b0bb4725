/**
 * What a new user trips over first: a tab in the indentation (YAML forbids it, and then
 * misreads the lines around it) and a file saved as UTF-16 by a Windows editor.
 */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatIssue, loadStores } from "../../../src/files/index.js";
import { parseStoreText } from "../../../src/files/parse-store.js";

const FILE = "stores/paris-01.yaml";

function lines(text: string): string[] {
  return parseStoreText(text, FILE, "paris-01").issues.map(formatIssue);
}

const TAB = "a tab is used for indentation; indent with spaces";

describe("a tab in the indentation", () => {
  test.each([
    [
      "before a list item",
      "code: paris-01\nlinks:\n  SHOP_ONLINE:\n\t- https://shop.example.com/a\n  FOOD_TAKEOUT: []\n",
      [4],
    ],
    ["before a key", "code: paris-01\nlinks:\n\tSHOP_ONLINE: []\n", [3]],
    [
      "after spaces",
      "code: paris-01\nlinks:\n  SHOP_ONLINE:\n  \t- https://shop.example.com/a\n",
      [4],
    ],
    [
      "before a link's second key",
      "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - url: https://shop.example.com/a\n\t  preferred: true\n",
      [5],
    ],
    ["at the top", "\tcode: paris-01\nlinks: {}\n", [1]],
    ["inside a flow mapping", "code: paris-01\nlinks: {\n\tSHOP_ONLINE: []\n}\n", [3]],
    [
      "on several lines",
      "code: paris-01\nlinks:\n\tSHOP_ONLINE:\n\t\t- https://shop.example.com/a\n\tFOOD_TAKEOUT: []\n",
      [3, 4, 5],
    ],
  ])("is reported first and alone, %s", (_name, text, tabLines) => {
    const reported = lines(text);
    expect(reported).toEqual(
      tabLines.map((line) =>
        expect.stringMatching(
          new RegExp(
            `^${FILE}:${line}:\\d+: ${TAB}( \\(errors it causes further on are not listed\\))?$`,
          ),
        ),
      ),
    );
  });

  test("more than five lines with tabs end with a count", () => {
    const text = `code: paris-01\nlinks:\n  SHOP_ONLINE:\n${"\t- https://shop.example.com/a\n".repeat(9)}`;
    const reported = lines(text);
    expect(reported).toHaveLength(6);
    expect(reported[5]).toMatch(/4 more lines indented with tabs from here on/);
  });

  test("a tab after the indentation, or in a comment, is fine", () => {
    expect(
      lines(
        "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    -\thttps://shop.example.com/a # a\tcomment\n\t# an indented comment\n",
      ),
    ).toEqual([]);
  });

  test("says the other errors are left out only when there were some", () => {
    expect(lines("code: paris-01\nlinks:\n\tSHOP_ONLINE: []\n")).toEqual([`${FILE}:3:1: ${TAB}`]);
    expect(
      lines("code: paris-01\nlinks:\n  SHOP_ONLINE:\n\t- https://shop.example.com/a\n"),
    ).toEqual([`${FILE}:4:1: ${TAB} (errors it causes further on are not listed)`]);
  });

  test("a file with a tab and another error elsewhere shows the tab", () => {
    expect(lines("code: paris-01\nlinks:\n\tSHOP_ONLINE: []\nbroken: [\n")[0]).toContain(TAB);
  });
});

describe("a file saved as UTF-16", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "partoo-utf16-"));
    mkdirSync(path.join(root, "stores"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const text = "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - https://shop.example.com/café\n";
  const bigEndian = (value: string) => Buffer.from(value, "utf16le").swap16();

  test.each([
    [
      "little-endian without a byte order mark",
      Buffer.from(text, "utf16le"),
      "(little-endian, without a byte order mark)",
    ],
    [
      "big-endian without a byte order mark",
      bigEndian(text),
      "(big-endian, without a byte order mark)",
    ],
    ["little-endian with a byte order mark", Buffer.from(`\ufeff${text}`, "utf16le"), ""],
    ["big-endian with a byte order mark", bigEndian(`\ufeff${text}`), ""],
    ["little-endian, a single short line", Buffer.from("code: x\n", "utf16le"), "(little-endian"],
  ])("is named as UTF-16, not binary: %s", async (_name, bytes, detail) => {
    writeFileSync(path.join(root, "stores", "paris-01.yaml"), bytes);
    const { issues } = await loadStores(path.join(root, "stores"), { displayRoot: root });
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^stores\/paris-01\.yaml: the file is UTF-16 text.*; save it as UTF-8$/,
      ),
    ]);
    expect(formatIssue(issues[0]!)).toContain(detail);
  });

  test("a binary file with NUL bytes is still binary", async () => {
    writeFileSync(
      path.join(root, "stores", "paris-01.yaml"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0, 0]),
    );
    const { issues } = await loadStores(path.join(root, "stores"), { displayRoot: root });
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(/contains NUL bytes, so it is binary/),
    ]);
  });
});
