/**
 * Fuzzing the store loader: seeded random mutations of valid store files (in memory with
 * parseStoreText, and as bytes on disk with loadStores) and a corpus of hostile YAML and
 * files. Every case must end as a valid store, or as errors that name the file (and a line
 * and column where there is one): never an exception, a stack trace, a message on two
 * lines, a store that breaks the rules, or a case slower than a second.
 *
 * The seed changes with every run and is printed with any failure; FUZZ_SEED=N replays it.
 * FUZZ_CASES=N runs N random text cases (and a quarter as many byte cases) for a longer hunt.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadStores, placeActionTypes, type StoreIssue } from "../../../src/files/index.js";
import { parseStoreText } from "../../../src/files/parse-store.js";
import type { DesiredStore } from "../../../src/core/model.js";
import { seededRandom } from "../../../src/emulator/faults.js";
import {
  CODE,
  hostileFiles,
  hostileTexts,
  VALID_STORE,
  type ByteCase,
  type TextCase,
} from "../../fixtures/hostile/corpus.js";

const SEED = Number(process.env["FUZZ_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const REPLAY = `FUZZ_SEED=${SEED} npm run test:jest -- test/unit/files/fuzz.test.ts`;
const FILE = `stores/${CODE}.yaml`;
const TEXT_CASES = Number(process.env["FUZZ_CASES"] ?? 2200);
const BYTE_CASES = Math.ceil(TEXT_CASES / 4);
/** Generous: a case takes about 2 ms under jest. */
const RANDOM_TIMEOUT_MS = Math.max(30_000, TEXT_CASES * 20);
const MAX_CASE_MS = 1000;

type Random = () => number;
const int = (random: Random, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

/** Valid store files in the styles people write (each checked to be valid first). */
const BASES = [
  VALID_STORE,
  `# yaml-language-server: $schema=../schemas/store.schema.json
code: ${CODE}                  # the store code
business_id: 5409c35a97bbc544d8e26737
links:
  SHOP_ONLINE:
    - url: https://shop.example.com/${CODE}
      preferred: true
    - https://shop.example.com/${CODE}/gifts?ref=gbp&utm=1#top
  FOOD_TAKEOUT: []
  DINING_RESERVATION:
    - "https://book.example.com/r/${CODE}"
    - 'https://book.example.com/r/${CODE}/groups'
`,
  `{code: ${CODE}, links: {SHOP_ONLINE: [https://a.example/x, {url: "https://a.example/y", preferred: true}], APPOINTMENT: []}}\n`,
  `code: "${CODE}"\r\nlinks:\r\n  FOOD_ORDERING:\r\n  - url: https://order.example.com/${CODE}\r\n    preferred: false\r\n`,
  `code: ${CODE}\nlinks:\n  SHOP_ONLINE: &shared\n    - https://xn--caf-dma.example/${CODE}/été\n    - https://shop.example.com:8443/${CODE}/%E2%82%AC\n  ONLINE_APPOINTMENT: *shared\n`,
  `code: ${CODE}\nlinks: {}\n`,
  `code: ${CODE}\nlinks:\n  FOOD_DELIVERY:\n    - url: >-\n        https://deliver.example.com/${CODE}\n      preferred: true\n`,
];

const SIGNIFICANT = [..."-:{}[]&*!|>'\"#%@,?~=\t\n\r"];
// Characters that trip up parsers, editors and terminals (lone surrogates included), a colour code.
const ODD_TEXT = [
  ..."\udfff\ufeff\0\u2028\u2029\u0085\u200b\u202e\ud800\ufffe\uffff\u0301😀𝔘éßİ\u007f\\",
  "\u001b[31m",
];
const NUMBERS = [
  ..."1e400 -1e400 99999999999999999999999999999 0x7fffffffffffffffffff .inf -.Inf .nan".split(" "),
  ..."0o777 1_000 -0 1e-400 123456789012345678901234567890.5 0b101".split(" "),
];
const KEYS = [
  ..."code links url preferred business_id SHOP_ONLINE FOOD_TAKEOUT shop_online".split(" "),
  ...'__proto__ constructor prototype << toString hasOwnProperty ""'.split(" "),
  "? x",
  "&a k",
];

/** One random change to a text: what people, editors and attackers do to YAML. */
const MUTATORS: ((text: string, random: Random) => string)[] = [
  (text, random) => splice(text, random, 1, pick(random, [...SIGNIFICANT, ...ODD_TEXT, "a", " "])),
  (text, random) => splice(text, random, int(random, 1, 12), ""),
  (text, random) =>
    splice(
      text,
      random,
      0,
      Array.from({ length: int(random, 1, 3) }, () => pick(random, SIGNIFICANT)).join(""),
    ),
  (text, random) => editLines(text, random, (lines, i) => lines.splice(i, 0, lines[i]!)),
  (text, random) =>
    editLines(text, random, (lines, i) => {
      const line = lines[i]!;
      const choice = int(random, 0, 3);
      lines[i] =
        choice === 0
          ? " ".repeat(int(random, 1, 4)) + line
          : choice === 1
            ? line.replace(/^ {1,4}/, "")
            : choice === 2
              ? line.replace(/^ +/, "\t")
              : line.trimStart();
    }),
  (text, random) => text.slice(0, int(random, 0, text.length)),
  (text, random) => splice(text, random, 0, pick(random, ODD_TEXT)),
  (text, random) => (random() < 0.5 ? `\ufeff${text}` : splice(text, random, 0, "\ufeff")),
  (text, random) => splice(text, random, 0, "\0".repeat(int(random, 1, 3))),
  (text, random) => replaceWord(text, random, pick(random, NUMBERS)),
  (text, random) =>
    splice(
      text,
      random,
      0,
      // A very long line, now and then past the size limit.
      pick(random, ["a", "/", "%", "[", "é", " "]).repeat(
        random() < 0.05 ? 300_000 : int(random, 1000, 5000),
      ),
    ),
  (text, random) =>
    editLines(text, random, (lines, i) => {
      const j = int(random, 0, lines.length - 1);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }),
  (text, random) => text.replace(/[A-Za-z_]+(?=:)/, () => pick(random, KEYS)),
  (text, random) =>
    text.replace(new RegExp(CODE, "g"), () =>
      pick(random, ["fuzz-02", "fuzz..01", "-x", "12", "~", ""]),
    ),
  (text, random) => {
    const start = int(random, 0, text.length);
    return (
      text.slice(0, start) +
      text.slice(start, start + int(random, 1, 40)).repeat(int(random, 2, 200)) +
      text.slice(start)
    );
  },
];

function splice(text: string, random: Random, remove: number, insert: string): string {
  const at = int(random, 0, text.length);
  return text.slice(0, at) + insert + text.slice(at + remove);
}

function editLines(
  text: string,
  random: Random,
  edit: (lines: string[], i: number) => void,
): string {
  const lines = text.split("\n");
  edit(lines, int(random, 0, lines.length - 1));
  return lines.join("\n");
}

function replaceWord(text: string, random: Random, word: string): string {
  const words = [...text.matchAll(/[A-Za-z0-9_.-]+/g)];
  if (words.length === 0) return text + word;
  const found = pick(random, words);
  return text.slice(0, found.index) + word + text.slice(found.index + found[0].length);
}

/** The random generator of case `index`: each case replays on its own from the seed. */
const caseRandom = (index: number) => seededRandom((SEED ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0);

function mutate(random: Random): string {
  let text = pick(random, BASES);
  for (let n = int(random, 1, 4); n > 0; n--) text = pick(random, MUTATORS)(text, random);
  return text;
}

/** Whole-file problems, which have no line to point at. */
const WHOLE_FILE = /^the file (is empty|is [\d,]+ KiB, over|is UTF-16|contains NUL bytes)/;
const TYPES = new Set(placeActionTypes());
// eslint-disable-next-line no-control-regex -- control characters are what is checked
const URL_SHAPE = /^https:\/\/[^\s\u0000-\u001f\u007f/?#@:]+/;
const LONE_SURROGATE = /\p{Cs}/u;

/** What every outcome must satisfy, whatever the input; returns the broken rules. */
function outcomeProblems(
  input: string,
  store: DesiredStore | undefined,
  issues: readonly StoreIssue[],
  ms: number,
): string[] {
  const problems: string[] = [];
  if (ms > MAX_CASE_MS) problems.push(`took ${Math.round(ms)} ms`);
  const errors = issues.filter((issue) => issue.severity === "error");
  if (store === undefined && errors.length === 0) problems.push("neither a store nor an error");
  if (store !== undefined && errors.length > 0) problems.push("a store and errors");
  const lines = input.split("\n").length;
  for (const issue of issues) {
    const { message } = issue;
    const where = `${JSON.stringify(message.slice(0, 160))}`;
    if (issue.file !== FILE) problems.push(`issue names ${issue.file}: ${where}`);
    if (message.trim() === "") problems.push("an empty message");
    if (/[\r\n]/.test(message)) problems.push(`a message on several lines: ${where}`);
    if (message.includes("    at ") || /\bat .*\.[jt]s:\d+/.test(message)) {
      problems.push(`a stack trace: ${where}`);
    }
    if (/internal error|bug in partoo-links/.test(message))
      problems.push(`an internal error: ${where}`);
    if (issue.line === undefined) {
      if (issue.severity === "error" && !WHOLE_FILE.test(message))
        problems.push(`no line: ${where}`);
    } else if (!Number.isInteger(issue.line) || issue.line < 1 || issue.line > lines + 1) {
      problems.push(`line ${issue.line} of ${lines}: ${where}`);
    }
    if (issue.line !== undefined && !(Number.isInteger(issue.column) && issue.column! >= 1)) {
      problems.push(`column ${issue.column}: ${where}`);
    }
  }
  if (store !== undefined) problems.push(...storeProblems(store));
  return problems;
}

/** A store the loader accepts keeps the rules of SPEC §2. */
function storeProblems(store: DesiredStore): string[] {
  const problems: string[] = [];
  if (store.code !== CODE) problems.push(`accepted code ${JSON.stringify(store.code)}`);
  for (const [type, links] of Object.entries(store.links)) {
    if (!TYPES.has(type)) problems.push(`accepted type ${JSON.stringify(type)}`);
    if (links.filter((link) => link.preferred).length > 1) problems.push(`${type}: two preferred`);
    if (new Set(links.map((link) => link.url)).size !== links.length)
      problems.push(`${type}: a URL twice`);
    for (const { url } of links) {
      if (!URL_SHAPE.test(url) || url.length > 2048 || LONE_SURROGATE.test(url)) {
        problems.push(`accepted URL ${JSON.stringify(url.slice(0, 100))}`);
      }
    }
  }
  return problems;
}

function parseTimed(text: string): {
  store?: DesiredStore;
  issues: StoreIssue[];
  ms: number;
  thrown?: unknown;
} {
  const started = performance.now();
  try {
    const result = parseStoreText(text, FILE, CODE);
    return { ...result, ms: performance.now() - started };
  } catch (thrown) {
    return { issues: [], ms: performance.now() - started, thrown };
  }
}

/** One line per broken case, with what replays it. */
function report(label: string, input: string, problems: readonly string[]): string {
  return `seed ${SEED}, ${label}: ${problems.join("; ")} (input ${JSON.stringify(input.slice(0, 120))}${input.length > 120 ? `… ${input.length} chars` : ""})`;
}

function expectationProblems(
  expected: TextCase | ByteCase,
  store: DesiredStore | undefined,
  issues: readonly StoreIssue[],
): string[] {
  if (expected.expect === "valid") {
    return store === undefined
      ? [`expected a store, got ${JSON.stringify(issues.map((i) => i.message))}`]
      : [];
  }
  if (store !== undefined) return ["expected errors, got a store"];
  const first = issues.find((issue) => issue.severity === "error");
  if (
    expected.message !== undefined &&
    !issues.some((issue) => expected.message!.test(issue.message))
  ) {
    return [
      `expected an error matching ${expected.message}, got ${JSON.stringify(first?.message.slice(0, 200))}`,
    ];
  }
  return [];
}

let workDir: string;
let storesDir: string;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "partoo-fuzz-"));
  storesDir = path.join(workDir, "stores");
  await mkdir(storesDir);
  // Compile the validators before any case is timed.
  parseStoreText("code: x\nlinks: {SHOP_ONLINE: [1]}\n", "x.yaml", "x");
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

afterEach(() => {
  // No input may reach Object.prototype (`__proto__`, `constructor` keys).
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
});

/** Writes the bytes as the only store file and loads the directory. */
async function loadTimed(bytes: Buffer) {
  await writeFile(path.join(storesDir, `${CODE}.yaml`), bytes);
  const started = performance.now();
  try {
    const result = await loadStores(storesDir, { displayRoot: workDir });
    return { ...result, ms: performance.now() - started };
  } catch (thrown) {
    return { stores: [], issues: [], ms: performance.now() - started, thrown };
  }
}

describe(`the store loader under fuzzing (seed ${SEED}; replay with ${REPLAY})`, () => {
  test("every base store is valid, so that mutations start from a store", () => {
    for (const base of BASES) expect(parseTimed(base).issues).toEqual([]);
  });

  test(
    "random mutations of valid store files end as a store or as located one-line errors, fast",
    () => {
      const failures: string[] = [];
      let slowest = 0;
      for (let index = 0; index < TEXT_CASES; index++) {
        const text = mutate(caseRandom(index));
        const { store, issues, ms, thrown } = parseTimed(text);
        slowest = Math.max(slowest, ms);
        const problems =
          thrown === undefined
            ? outcomeProblems(text, store, issues, ms)
            : [`threw ${String(thrown)}`];
        if (problems.length > 0) failures.push(report(`text case ${index}`, text, problems));
      }
      expect(failures.slice(0, 10)).toEqual([]);
      expect(slowest).toBeLessThan(MAX_CASE_MS);
    },
    RANDOM_TIMEOUT_MS,
  );

  test(
    "random byte-level damage read from disk ends as a store or as located errors",
    async () => {
      const failures: string[] = [];
      for (let index = 0; index < BYTE_CASES; index++) {
        const random = caseRandom(TEXT_CASES + index);
        const bytes = damageBytes(Buffer.from(mutate(random), "utf8"), random);
        const { stores, issues, ms, thrown } = await loadTimed(bytes);
        const text = bytes.toString("utf8");
        const problems =
          thrown === undefined
            ? outcomeProblems(text, stores[0]?.store, issues, ms)
            : [`threw ${String(thrown)}`];
        if (problems.length > 0) failures.push(report(`byte case ${index}`, text, problems));
      }
      expect(failures.slice(0, 10)).toEqual([]);
    },
    RANDOM_TIMEOUT_MS,
  );

  test.each(hostileTexts().map((hostile) => [hostile.name, hostile] as const))(
    "hostile YAML: %s",
    (_, hostile) => {
      const { store, issues, ms, thrown } = parseTimed(hostile.text);
      expect(thrown).toBeUndefined();
      const problems = [
        ...outcomeProblems(hostile.text, store, issues, ms),
        ...expectationProblems(hostile, store, issues),
      ];
      expect(problems.length === 0 ? [] : [report(hostile.name, hostile.text, problems)]).toEqual(
        [],
      );
    },
  );

  test.each(hostileFiles().map((hostile) => [hostile.name, hostile] as const))(
    "hostile file: %s",
    async (_, hostile) => {
      const { stores, issues, ms, thrown } = await loadTimed(hostile.bytes);
      expect(thrown).toBeUndefined();
      const text = hostile.bytes.toString("utf8");
      const problems = [
        ...outcomeProblems(text, stores[0]?.store, issues, ms),
        ...expectationProblems(hostile, stores[0]?.store, issues),
      ];
      expect(problems.length === 0 ? [] : [report(hostile.name, text, problems)]).toEqual([]);
    },
  );
});

/** Byte-level damage: bytes that are not UTF-8, other encodings, NULs, truncation. */
function damageBytes(bytes: Buffer, random: Random): Buffer {
  const at = int(random, 0, bytes.length);
  const insert = (extra: number[]) =>
    Buffer.concat([bytes.subarray(0, at), Buffer.from(extra), bytes.subarray(at)]);
  switch (int(random, 0, 7)) {
    case 0: {
      const copy = Buffer.from(bytes);
      for (let n = int(random, 1, 4); n > 0 && copy.length > 0; n--)
        copy[int(random, 0, copy.length - 1)] = int(random, 0, 255);
      return copy;
    }
    case 1:
      return insert(
        pick(random, [
          [0xc3],
          [0xc0, 0xaf],
          [0xed, 0xa0, 0x80],
          [0xf4, 0x90, 0x80, 0x80],
          [0xff],
          [0xfe],
          [0x80],
        ]),
      );
    case 2:
      return bytes.subarray(0, at);
    case 3:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 4:
      return Buffer.from(`${random() < 0.5 ? "\ufeff" : ""}${bytes.toString("utf8")}`, "utf16le");
    case 5:
      return insert([0]);
    case 6:
      return Buffer.from(bytes.toString("utf8"), "latin1");
    default:
      return bytes;
  }
}
