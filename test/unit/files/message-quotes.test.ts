/**
 * Messages quote the file only in short, escaped excerpts: whatever a file holds, no message
 * carries more than a few dozen of its characters, and none breaks a line.
 */
import { formatIssue } from "../../../src/files/index.js";
import { parseStoreText } from "../../../src/files/parse-store.js";

const LONG = `S3CRET${"x".repeat(5_000)}`;
const LINK = "https://shop.example.com/a";

const cases: [string, string][] = [
  ["a long scalar instead of a store", `${LONG}\n`],
  ["a long multi-line text", `${LONG}\n  ${LONG}\n`],
  ["a long unknown key", `code: paris-01\nlinks: {}\n${LONG}: 1\n`],
  ["a long unknown type", `code: paris-01\nlinks:\n  ${LONG}: [${LINK}, ${LINK}]\n`],
  [
    "a long type with two preferred links",
    `code: paris-01\nlinks:\n  ${LONG}:\n    - {url: ${LINK}, preferred: true}\n    - {url: ${LINK}/b, preferred: true}\n`,
  ],
  ["a long type without a list", `code: paris-01\nlinks:\n  ${LONG}:\n`],
  ["a long type given a text", `code: paris-01\nlinks:\n  ${LONG}: ${LONG}\n`],
  ["a long code", `code: ${LONG}\nlinks: {}\n`],
  ["a long code with dots", `code: a..${LONG}\nlinks: {}\n`],
  ["a long business_id", `code: paris-01\nbusiness_id: "${LONG}!"\nlinks: {}\n`],
  ["a long numeric code", `code: 1${"0".repeat(5000)}\nlinks: {}\n`],
  [
    "a long URL twice",
    `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ${LINK}/${LONG}\n    - ${LINK}/${LONG}\n`,
  ],
  ["a long bad URL", `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ftp://${LONG}\n`],
  [
    "a long preferred value",
    `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - {url: ${LINK}, preferred: ${LONG}}\n`,
  ],
  ["a long duplicate key", `code: paris-01\nlinks: {}\n${LONG}: 1\n${LONG}: 2\n`],
  ["a long alias name", `code: paris-01\nlinks: *${LONG}\n`],
  ["a long tag", `code: paris-01\nlinks: !${LONG} {}\n`],
  ["a long unterminated quote", `code: paris-01\nlinks: "${LONG}\n`],
  ["a long flow mess", `code: paris-01\nlinks: {${LONG} ${LONG}\n`],
];

describe("a message quoting the file", () => {
  test.each(cases)("stays short with %s", (_name, text) => {
    const lines = parseStoreText(text, "stores/paris-01.yaml", "paris-01").issues.map(formatIssue);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.length).toBeLessThan(400);
      expect(line).not.toContain("x".repeat(100));
      expect(line).not.toContain("\n");
    }
  });
});
