/**
 * The fast reader against the yaml library: on thousands of generated store texts, in the
 * shapes people and `import` write and mutated into odd ones, whenever the reader is sure its
 * value is exactly yaml's (and yaml found nothing wrong with the text). FAST_SEED=N replays.
 */
import { parseDocument } from "yaml";
import { NOT_SURE, readStoreFast } from "../../../src/files/fast-store-reader.js";
import { PARSE_OPTIONS } from "../../../src/files/parse-store.js";
import { seededRandom } from "../../../src/emulator/faults.js";
import { mutate, storeText } from "../../fixtures/store-texts.js";

const SEED = Number(process.env["FAST_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env["FAST_CASES"] ?? 6000);

/** What the full path accepts as a document, as JavaScript; undefined when yaml objects. */
function yamlValue(text: string): { value: unknown } | undefined {
  const document = parseDocument(text, { ...PARSE_OPTIONS, uniqueKeys: true });
  if (document.errors.length > 0 || document.warnings.length > 0) return undefined;
  return { value: document.toJS() };
}

test(`the fast reader gives yaml's value whenever it is sure (FAST_SEED=${SEED})`, () => {
  const random = seededRandom(SEED);
  let sure = 0;
  for (let index = 0; index < CASES; index++) {
    let text = storeText(random);
    for (let m = Math.floor(random() * 3); m > 0; m--) text = mutate(text, random);
    const fast = readStoreFast(text);
    if (fast === NOT_SURE) continue;
    sure++;
    const full = yamlValue(text);
    // A failure prints the text: the reader was sure where yaml disagrees.
    expect({ text, value: full?.value }).toStrictEqual({ text, value: fast });
  }
  // Many generated files stay ordinary: the reader must take a good share of them.
  expect(sure).toBeGreaterThan(CASES / 10);
});

test.each([
  ["a tab", "code: a\nlinks:\n\tX: []\n"],
  ["a duplicate key", "code: a\ncode: b\nlinks: {}\n"],
  ["an anchor and an alias", "code: &c a\nlinks:\n  X:\n    - *c\n"],
  ["a second document", "code: a\nlinks: {}\n---\ncode: b\n"],
  ["a block scalar", "code: |\n  a\nlinks: {}\n"],
  ["a multi-line plain scalar", "code: a\n  b\nlinks: {}\n"],
  ["a flow mapping with content", "code: a\nlinks: {X: []}\n"],
  ["a number", "code: 12\nlinks: {}\n"],
  ["an escape", 'code: "a\\tb"\nlinks: {}\n'],
  ["a tag", "code: !!str a\nlinks: {}\n"],
  ["a lone CR", "code: a\rlinks: {}\n"],
  ["an empty file", ""],
  ["a list at the top", "- a\n"],
  ["uneven indentation", "links:\n  X: []\n   Y: []\n"],
])("the fast reader is not sure of %s", (_, text) => {
  expect(readStoreFast(text)).toBe(NOT_SURE);
});

test("the fast reader reads the forms store files use", () => {
  const text = [
    "# yaml-language-server: $schema=../schemas/store.schema.json",
    "code: paris-01   # the code",
    'business_id: "5409c35a97bbc544d8e26737"',
    "links:",
    "  SHOP_ONLINE:",
    "    - url: https://shop.example.com/paris-01#top",
    "      preferred: true",
    "    - https://shop.example.com/paris-01/gifts   # shorthand",
    "  FOOD_TAKEOUT: [] # managed, kept empty",
    "  FOOD_ORDERING: ~",
    "  APPOINTMENT:",
    "  - 'https://book.example.com/a'",
    "",
  ].join("\r\n");
  expect(readStoreFast(text)).toStrictEqual({
    code: "paris-01",
    business_id: "5409c35a97bbc544d8e26737",
    links: {
      SHOP_ONLINE: [
        { url: "https://shop.example.com/paris-01#top", preferred: true },
        "https://shop.example.com/paris-01/gifts",
      ],
      FOOD_TAKEOUT: [],
      FOOD_ORDERING: null,
      APPOINTMENT: ["https://book.example.com/a"],
    },
  });
});

test("the fast reader takes linear time on long runs of spaces", () => {
  const line = `code: a${" ".repeat(4000)}b\n`;
  const started = performance.now();
  readStoreFast(line.repeat(60));
  expect(performance.now() - started).toBeLessThan(200);
});
