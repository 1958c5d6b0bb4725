/**
 * The fast reader against the yaml library: on thousands of generated store texts, in the
 * shapes people and `import` write and mutated into odd ones, whenever the reader is sure its
 * value is exactly yaml's (and yaml found nothing wrong with the text). FAST_SEED=N replays.
 */
import { parseDocument } from "yaml";
import { NOT_SURE, readStoreFast } from "../../../src/files/fast-store-reader.js";
import { PARSE_OPTIONS } from "../../../src/files/parse-store.js";
import { seededRandom } from "../../../src/emulator/faults.js";

const SEED = Number(process.env["FAST_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env["FAST_CASES"] ?? 6000);

/** What the full path accepts as a document, as JavaScript; undefined when yaml objects. */
function yamlValue(text: string): { value: unknown } | undefined {
  const document = parseDocument(text, { ...PARSE_OPTIONS, uniqueKeys: true });
  if (document.errors.length > 0 || document.warnings.length > 0) return undefined;
  return { value: document.toJS() };
}

const VALUES = [
  "https://shop.example.com/paris-01",
  "https://shop.example.com/a#frag",
  "https://shop.example.com/a #frag",
  "https://x.example.com/a?b=c&d=e",
  "https://x.example.com/a:b",
  "https://x.example.com/a: b",
  "https://x.example.com/é/ü",
  "https://x.example.com/a,b",
  "https://x.example.com/[a]",
  "https://x.example.com/{code}",
  "paris-01",
  "5409c35a97bbc544d8e26737",
  "0x1F",
  "0o17",
  "1e3",
  "1.5",
  "12",
  "-1",
  "+1",
  ".5",
  ".inf",
  "-.inf",
  ".nan",
  "2001-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "12:30",
  "1_000",
  "true",
  "True",
  "TRUE",
  "tRUE",
  "false",
  "False",
  "FALSE",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "null",
  "Null",
  "NULL",
  "nULL",
  "~",
  "",
  "[]",
  "{}",
  "[a]",
  "{a: b}",
  "'quoted'",
  "'it''s'",
  '"double"',
  '"with \\" escape"',
  '"tab\\t"',
  "'a' b",
  '"a"b',
  "'#not comment'",
  "a #comment",
  "a#b",
  "a # c # d",
  "&anchor x",
  "*alias",
  "!tag x",
  "!!str 1",
  "|",
  ">",
  "|-",
  "- x",
  "? x",
  ": x",
  "@x",
  "`x`",
  "%x",
  ",x",
  "x,",
  "x:",
  "x: y",
  "a  b",
  "  padded",
  "✓ ok",
  "\u00a0nbsp",
  "emoji 😀",
  "\u2028",
  "café",
  "---",
  "...",
  "<<",
  "=",
  "a'b",
  'a"b',
];
const KEYS = [
  "code",
  "business_id",
  "links",
  "profile",
  "vars",
  "url",
  "preferred",
  "SHOP_ONLINE",
  "FOOD_TAKEOUT",
  "city",
  "a.b",
  "a-b",
  "_x",
  "1abc",
  "123",
  "true",
  "null",
  "~",
  "__proto__",
  "'quoted'",
  '"dq"',
  "? k",
  "<<",
  "x y",
  "é",
];

function storeText(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const lines: string[] = [];
  if (random() < 0.3) lines.push("# yaml-language-server: $schema=../schemas/store.schema.json");
  if (random() < 0.1) lines.push("---");
  lines.push(`code: ${random() < 0.8 ? "paris-01" : pick(VALUES)}`);
  if (random() < 0.3) lines.push(`business_id: ${random() < 0.5 ? '"5409c35a"' : pick(VALUES)}`);
  if (random() < 0.2) lines.push(`profile: ${pick(VALUES)}`, "vars:", `  city: ${pick(VALUES)}`);
  lines.push(random() < 0.1 ? "links: # the links" : "links:");
  const types = 1 + Math.floor(random() * 3);
  const step = random() < 0.8 ? 2 : 1 + Math.floor(random() * 4);
  const pad = " ".repeat(step);
  for (let t = 0; t < types; t++) {
    const type = random() < 0.7 ? pick(["SHOP_ONLINE", "FOOD_TAKEOUT", "APPOINTMENT"]) : pick(KEYS);
    const form = random();
    if (form < 0.15) {
      lines.push(`${pad}${type}: ${pick(["[]", "~", "null", "[] # kept empty", "{}", ""])}`);
      continue;
    }
    lines.push(`${pad}${type}:`);
    const seqPad = random() < 0.2 ? pad : pad + pad;
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
      const url = random() < 0.6 ? `https://s.example.com/${t}/${i}` : pick(VALUES);
      if (random() < 0.5) lines.push(`${seqPad}- ${url}${random() < 0.2 ? "   # shorthand" : ""}`);
      else {
        lines.push(`${seqPad}- url: ${url}`);
        if (random() < 0.6)
          lines.push(`${seqPad}  preferred: ${pick(["true", "false", ...VALUES])}`);
      }
    }
  }
  if (random() < 0.1) lines.push("# the end");
  return lines.join("\n") + (random() < 0.9 ? "\n" : "");
}

const ODD = [
  "\t",
  "\r",
  "\r\n",
  " ",
  "#",
  ":",
  "-",
  "'",
  '"',
  "&",
  "*",
  "!",
  "|",
  ">",
  "[",
  "]",
  "{",
  "}",
  ",",
  "?",
  "%",
  "@",
  "`",
  "~",
  "\n",
  "\u00a0",
  "\ufeff",
  "\u0085",
  "\u2028",
  "é",
  "\0",
];

function mutate(text: string, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const lines = text.split("\n");
  const at = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 7)) {
    case 0: {
      const position = Math.floor(random() * (text.length + 1));
      return text.slice(0, position) + pick(ODD) + text.slice(position);
    }
    case 1: {
      const position = Math.floor(random() * text.length);
      return text.slice(0, position) + text.slice(position + 1);
    }
    case 2:
      lines.splice(at, 0, lines[at] ?? "");
      return lines.join("\n");
    case 3:
      lines[at] = (random() < 0.5 ? " " : "") + (lines[at] ?? "").replace(/^ /, "");
      return lines.join("\n");
    case 4:
      return text.replace(/\n/g, "\r\n");
    case 5:
      lines[at] = `${lines[at] ?? ""}${pick(["  ", " # c", "#c", " ", ":"])}`;
      return lines.join("\n");
    default:
      lines.splice(at, 0, pick(["---", "...", "%YAML 1.2", "  # indented comment", "", "   "]));
      return lines.join("\n");
  }
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
