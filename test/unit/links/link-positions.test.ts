import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { locateLinks } from "../../../src/files/link-positions.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "partoo-links-positions-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(lines: readonly string[]): string {
  const target = path.join(root, "paris-01.yaml");
  writeFileSync(target, `\ufeff${lines.join("\r\n")}\r\n`);
  return target;
}

const A = "https://shop.example.com/a";
const B = "https://shop.example.com/b";

describe("where a store file writes a link", () => {
  test("a URL written once, shorthand, after url: or quoted, is found where it starts", () => {
    const target = file([
      "code: paris-01",
      "links:",
      "  SHOP_ONLINE:",
      `    - url: ${A}`,
      "      preferred: true",
      `    - "${B}" # the gifts page`,
    ]);
    expect(
      locateLinks(target, [
        { type: "SHOP_ONLINE", index: 1, url: B },
        { type: "SHOP_ONLINE", index: 0, url: A },
      ]),
    ).toEqual([
      { line: 6, column: 7 },
      { line: 4, column: 12 },
    ]);
  });

  test("a URL also named in a comment or in another type, or in a flow mapping, is found by parsing", () => {
    const target = file([
      "code: paris-01",
      `# was ${A} until March`,
      "links:",
      "  SHOP_ONLINE:",
      `    - {url: ${A}, preferred: true}`,
      "  FOOD_ORDERING:",
      `    - ${A}`,
    ]);
    expect(
      locateLinks(target, [
        { type: "SHOP_ONLINE", index: 0, url: A },
        { type: "FOOD_ORDERING", index: 0, url: A },
      ]),
    ).toEqual([
      { line: 5, column: 13 },
      { line: 7, column: 7 },
    ]);
  });

  test("a link the file does not write (inherited) or an unreadable file has no position", () => {
    const target = file([
      "code: paris-01",
      "links:",
      "  SHOP_ONLINE:",
      `    - ${A}`,
      `    - ${A}/x`,
    ]);
    expect(locateLinks(target, [{ type: "FOOD_ORDERING", index: 0, url: B }])).toEqual([undefined]);
    expect(locateLinks(path.join(root, "missing.yaml"), [{ type: "X", index: 0, url: A }])).toEqual(
      [undefined],
    );
  });
});
