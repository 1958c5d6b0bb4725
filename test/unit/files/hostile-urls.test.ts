/**
 * URLs that read as one address and lead to another: invisible and reordering characters are
 * errors at the link's line, hosts that mix scripts are warnings with the real (punycode)
 * form, and the schema editors see agrees with the checks.
 */
import { readFileSync } from "node:fs";
import { formatIssue } from "../../../src/files/index.js";
import { parseStoreText } from "../../../src/files/parse-store.js";
import { urlProblem, urlWarning, MAX_URL_LENGTH } from "../../../src/core/link-url.js";
import { STORE_CODE_MAX_LENGTH, STORE_CODE_PATTERN } from "../../../src/core/store-code.js";
import { schemaPath } from "../../../src/package-info.js";

const FILE = "stores/paris-01.yaml";

function check(url: string) {
  // Double-quoted YAML, with every non-ASCII character as an escape: the file is plain ASCII.
  const escaped = JSON.stringify(url).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const text = `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ${escaped}\n`;
  const result = parseStoreText(text, FILE, "paris-01");
  return { store: result.store, issues: result.issues, lines: result.issues.map(formatIssue) };
}

const invisible: [string, string, string][] = [
  [
    "a right-to-left override",
    "https://shop.example.com/\u202Egpj.exe",
    "U+202E (RIGHT-TO-LEFT OVERRIDE)",
  ],
  [
    "a left-to-right embedding",
    "https://shop.example.com/a\u202Ab",
    "U+202A (LEFT-TO-RIGHT EMBEDDING)",
  ],
  [
    "a pop directional formatting",
    "https://shop.example.com/a\u202Cb",
    "U+202C (POP DIRECTIONAL FORMATTING)",
  ],
  ["a right-to-left isolate", "https://shop.example.com/\u2067x", "U+2067 (RIGHT-TO-LEFT ISOLATE)"],
  [
    "a pop directional isolate",
    "https://shop.example.com/x\u2069",
    "U+2069 (POP DIRECTIONAL ISOLATE)",
  ],
  ["a zero-width space", "https://shop.example.com/pa\u200Bris", "U+200B (ZERO WIDTH SPACE)"],
  ["a zero-width joiner", "https://shop.example.com/\u200Dx", "U+200D (ZERO WIDTH JOINER)"],
  [
    "a zero-width space in the host",
    "https://shop\u200B.example.com/",
    "U+200B (ZERO WIDTH SPACE)",
  ],
  [
    "a byte order mark",
    "https://shop.example.com/\uFEFFx",
    "U+FEFF (ZERO WIDTH NO-BREAK SPACE (byte order mark))",
  ],
  ["a right-to-left mark", "https://shop.example.com/\u200Fx", "U+200F (RIGHT-TO-LEFT MARK)"],
];

const controls: [string, string, string][] = [
  ["a C1 control (CSI)", "https://shop.example.com/a\u009Bb", "U+009B"],
  ["a C1 control (NEL) in the host", "https://shop\u0085.example.com/", "U+0085"],
  ["ESC", "https://shop.example.com/\u001B[31m", "U+001B"],
  ["DEL", "https://shop.example.com/a\u007Fb", "U+007F"],
  ["NUL", "https://shop.example.com/a\u0000b", "U+0000"],
];

describe("a URL with invisible or reordering characters", () => {
  test.each(invisible)("is an error at the link's line: %s", (_name, url, named) => {
    const { store, issues, lines } = check(url);
    expect(store).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", line: 4, column: 7 });
    expect(lines[0]).toContain(`contains ${named}`);
    expect(lines[0]).toContain("remove it");
    // The character is shown as an escape, never printed as itself.
    expect(lines[0]).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
  });

  test.each(controls)("is an error at the link's line: %s", (_name, url, named) => {
    const { store, lines } = check(url);
    expect(store).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^stores\/paris-01\.yaml:4:7: SHOP_ONLINE link 1: URL /);
    expect(lines[0]).toContain(named);
    // eslint-disable-next-line no-control-regex -- what must not be printed
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  test("says at which character it is", () => {
    expect(urlProblem("https://a.example.com/\u202Ex")).toContain("at character 23");
  });
});

const mixed: [string, string, string, string][] = [
  [
    "Latin and Cyrillic",
    "https://p\u0430ypal.com/login",
    "Latin and Cyrillic",
    "xn--pypal-4ve.com",
  ],
  ["Cyrillic and Latin", "https://\u0430pple.com/", "Cyrillic and Latin", "xn--pple-43d.com"],
  ["Latin and Greek", "https://g\u03BFogle.com/", "Latin and Greek", "xn--gogle-rce.com"],
  ["in a subdomain only", "https://sh\u043Ep.example.com/x", "Latin and Cyrillic", "xn--shp-"],
  [
    "written in punycode",
    "https://xn--pypal-4ve.com/login",
    "Latin and Cyrillic",
    "xn--pypal-4ve.com",
  ],
];

const singleScript: [string, string][] = [
  ["ASCII", "https://shop.example.com/paris-01"],
  ["German", "https://bücher.example.de/"],
  ["all Cyrillic", "https://\u043F\u0440\u0438\u043C\u0435\u0440.\u0440\u0444/"],
  ["Japanese (Han, kana and Latin)", "https://\u6771\u4EAC\u30B7\u30E7\u30C3\u30D7abc.jp/"],
  ["Greek", "https://\u03B5\u03BB\u03BB\u03AC\u03B4\u03B1.gr/"],
  [
    "Cyrillic in the path only",
    "https://shop.example.com/\u043C\u0430\u0433\u0430\u0437\u0438\u043D",
  ],
];

describe("a host that mixes scripts", () => {
  test.each(mixed)("is a warning with its real form: %s", (_name, url, scripts, ascii) => {
    const { store, issues, lines } = check(url);
    // Valid: a warning does not make the file invalid, so validate still exits 0.
    expect(store?.links["SHOP_ONLINE"]).toEqual([{ url, preferred: false }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "warning", line: 4, column: 7 });
    expect(lines[0]).toMatch(/^stores\/paris-01\.yaml:4:7: warning: SHOP_ONLINE link 1: host /);
    expect(lines[0]).toContain(`mixes ${scripts} letters`);
    expect(lines[0]).toContain(ascii);
  });

  test.each(singleScript)("is fine when each name has one script: %s", (_name, url) => {
    expect(urlWarning(url)).toBeUndefined();
    expect(check(url).lines).toEqual([]);
  });
});

describe("schemas/store.schema.json and the checks agree", () => {
  const schema = JSON.parse(readFileSync(schemaPath("store.schema.json"), "utf8"));
  const urlPattern = new RegExp(schema.$defs.url.pattern, "u");

  test("on what a code is: one definition, mirrored by the schema", () => {
    expect(schema.properties.code.pattern).toBe(STORE_CODE_PATTERN);
    expect(schema.properties.code.maxLength).toBe(STORE_CODE_MAX_LENGTH);
    expect(schema.$defs.url.maxLength).toBe(MAX_URL_LENGTH);
  });

  test.each([...invisible, ...controls].map(([name, url]) => [name, url]))(
    "the schema refuses it too (editors show it): %s",
    (_name, url) => {
      expect(urlPattern.test(url)).toBe(false);
      expect(urlProblem(url)).toBeDefined();
    },
  );
});
