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
      locateLinks(
        target,
        [
          { type: "SHOP_ONLINE", index: 1, url: B },
          { type: "SHOP_ONLINE", index: 0, url: A },
        ],
        { SHOP_ONLINE: [{ url: A }, { url: B }] },
      ),
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
      locateLinks(
        target,
        [
          { type: "SHOP_ONLINE", index: 0, url: A },
          { type: "FOOD_ORDERING", index: 0, url: A },
        ],
        { SHOP_ONLINE: [{ url: A }], FOOD_ORDERING: [{ url: A }] },
      ),
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
    const inherited = { type: "FOOD_ORDERING", index: 0, url: B };
    const listed = { SHOP_ONLINE: [{ url: A }, { url: `${A}/x` }], FOOD_ORDERING: [{ url: B }] };
    expect(locateLinks(target, [inherited], listed)).toEqual([undefined]);
    expect(locateLinks(path.join(root, "missing.yaml"), [inherited], listed)).toEqual([undefined]);
  });

  test("a URL the store lists in two types is placed by the order of its listings", () => {
    const target = file([
      "code: paris-01",
      "links:",
      "  SHOP_ONLINE:",
      `    - ${A}/gifts`,
      `    - url: ${A}`,
      "  FOOD_ORDERING:",
      `    - ${A}`,
    ]);
    const listed = {
      SHOP_ONLINE: [{ url: `${A}/gifts` }, { url: A }],
      FOOD_ORDERING: [{ url: A }],
    };
    const refs = [
      { type: "FOOD_ORDERING", index: 0, url: A },
      { type: "SHOP_ONLINE", index: 1, url: A },
    ];
    const expected = [
      { line: 7, column: 7 },
      { line: 5, column: 12 },
    ];
    expect(locateLinks(target, refs, listed)).toEqual(expected);
    // Listed once more than written (inherited from elsewhere): the parser decides, the same.
    expect(locateLinks(target, refs, { ...listed, FOOD_TAKEOUT: [{ url: A }] })).toEqual(expected);
  });
});
