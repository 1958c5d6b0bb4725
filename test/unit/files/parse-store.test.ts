import { formatIssue } from "../../../src/files/index.js";
import { parseStoreText } from "../../../src/files/parse-store.js";

const FILE = "stores/paris-01.yaml";
const CODE = "paris-01";

function check(text: string) {
  const result = parseStoreText(text, FILE, CODE);
  return { store: result.store, lines: result.issues.map(formatIssue) };
}

const TYPES =
  "APPOINTMENT, ONLINE_APPOINTMENT, DINING_RESERVATION, FOOD_ORDERING, FOOD_DELIVERY, FOOD_TAKEOUT, SHOP_ONLINE";

describe("parseStoreText on a valid store", () => {
  test("expands the shorthand and defaults preferred to false, keeping the file's order", () => {
    const { store, lines } = check(
      [
        "# yaml-language-server: $schema=../schemas/store.schema.json",
        "code: paris-01",
        "business_id: 5409c35a97bbc544d8e26737",
        "links:",
        "  SHOP_ONLINE:",
        "    - url: https://shop.example.com/paris-01",
        "      preferred: true",
        "    - https://shop.example.com/paris-01/gifts # shorthand",
        "    - url: https://shop.example.com/paris-01/sale",
        "  FOOD_TAKEOUT: []",
        "",
      ].join("\n"),
    );
    expect(lines).toEqual([]);
    expect(store).toEqual({
      code: "paris-01",
      businessId: "5409c35a97bbc544d8e26737",
      links: {
        SHOP_ONLINE: [
          { url: "https://shop.example.com/paris-01", preferred: true },
          { url: "https://shop.example.com/paris-01/gifts", preferred: false },
          { url: "https://shop.example.com/paris-01/sale", preferred: false },
        ],
        FOOD_TAKEOUT: [],
      },
    });
  });

  test("accepts CRLF line endings, a BOM, flow style and an empty links mapping", () => {
    expect(check("\uFEFFcode: paris-01\r\nlinks: {}\r\n").store).toEqual({
      code: "paris-01",
      links: {},
    });
    expect(
      check('{code: "paris-01", links: {SHOP_ONLINE: [https://a.example.com/x]}}').store,
    ).toEqual({
      code: "paris-01",
      links: { SHOP_ONLINE: [{ url: "https://a.example.com/x", preferred: false }] },
    });
  });

  test("reports positions on CRLF files as on LF files", () => {
    const lf = check("code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - http://a.example.com\n");
    const crlf = check(
      "code: paris-01\r\nlinks:\r\n  SHOP_ONLINE:\r\n    - http://a.example.com\r\n",
    );
    expect(crlf.lines).toEqual(lf.lines);
    expect(lf.lines[0]).toMatch(/^stores\/paris-01\.yaml:4:7: /);
  });

  test("accepts an alias that reuses a list", () => {
    const { store, lines } = check(
      "code: paris-01\nlinks:\n  FOOD_ORDERING: &order [https://order.example.com/p]\n  FOOD_TAKEOUT: *order\n",
    );
    expect(lines).toEqual([]);
    expect(store?.links["FOOD_TAKEOUT"]).toEqual([
      { url: "https://order.example.com/p", preferred: false },
    ]);
  });

  test("accepts international host names and non-ASCII paths", () => {
    const { lines } = check(
      "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - https://café.example.com/x\n    - https://example.com/crème?x=1#top\n",
    );
    expect(lines).toEqual([]);
  });
});

// Each case: the file's text, then every issue expected, formatted, in order.
const invalid: [string, string, string[]][] = [
  [
    "an empty file",
    "",
    [`${FILE}: the file is empty; a store file needs code and links, e.g. code: paris-01`],
  ],
  [
    "a file of comments only",
    "# nothing yet\n",
    [`${FILE}: the file is empty; a store file needs code and links, e.g. code: paris-01`],
  ],
  [
    "a document that is a list",
    "- a\n- b\n",
    [
      `${FILE}:1:1: a store file must be a mapping with code and links, not a list; start it with code: paris-01`,
    ],
  ],
  ["a missing code", "links: {}\n", [`${FILE}:1:1: code is missing; add code: paris-01`]],
  [
    "missing links",
    "code: paris-01\n",
    [
      `${FILE}:1:1: links is missing; add links: with the place action types to manage (links: {} manages none)`,
    ],
  ],
  [
    "an unknown top-level key, with a suggestion",
    "code: paris-01\nlinks: {}\nbusiness-id: x\n",
    [
      `${FILE}:3:1: unknown key "business-id" (did you mean "business_id"?); a store has code, business_id, profile, vars and links`,
    ],
  ],
  [
    "a __proto__ key",
    "code: paris-01\nlinks: {}\n__proto__: {polluted: true}\n",
    [
      `${FILE}:3:1: unknown key "__proto__"; a store has code, business_id, profile, vars and links`,
    ],
  ],
  [
    "a code that is a number",
    "code: 123\nlinks: {}\n",
    [
      `${FILE}:1:7: code must be text, but YAML reads 123 as a number; put it in quotes: code: "123"`,
    ],
  ],
  [
    "a code with a slash",
    "code: a/b\nlinks: {}\n",
    [
      `${FILE}:1:7: code "a/b" may only contain letters, digits, ".", "_" and "-", starting with a letter or digit; use the store code from Partoo`,
    ],
  ],
  ["a code with ..", "code: a..b\nlinks: {}\n", [`${FILE}:1:7: code "a..b" must not contain ".."`]],
  [
    "a code over 100 characters",
    `code: ${"a".repeat(101)}\nlinks: {}\n`,
    [`${FILE}:1:7: code is 101 characters long; at most 100 are allowed`],
  ],
  [
    "a code that differs from the file name",
    "code: paris-02\nlinks: {}\n",
    [
      `${FILE}:1:7: code "paris-02" does not match the file name paris-01.yaml; rename the file to paris-02.yaml or write code: paris-01`,
    ],
  ],
  [
    "a business_id that YAML reads as a number",
    "code: paris-01\nbusiness_id: 5409e35\nlinks: {}\n",
    [
      `${FILE}:2:14: business_id must be text, but YAML reads 5409e35 as a number; put it in quotes: business_id: "5409e35"`,
    ],
  ],
  [
    "a business_id with a space",
    "code: paris-01\nbusiness_id: 'a b'\nlinks: {}\n",
    [
      `${FILE}:2:14: business_id "a b" is not a Partoo business id (letters, digits, "_" and "-"); copy it from Partoo`,
    ],
  ],
  [
    "empty links",
    "code: paris-01\nlinks:\n",
    [
      `${FILE}:2:1: links is empty; list place action types under it, or write links: {} to manage none`,
    ],
  ],
  [
    "links written as a list",
    "code: paris-01\nlinks:\n  - SHOP_ONLINE\n",
    [`${FILE}:3:3: links must be a mapping of place action types (e.g. SHOP_ONLINE:), not a list`],
  ],
  [
    "unknown place action types",
    "code: paris-01\nlinks:\n  shop_online: []\n  FOOD_TAKEAWAY: []\n",
    [
      `${FILE}:3:3: unknown place action type "shop_online" (did you mean "SHOP_ONLINE"?); use one of ${TYPES}`,
      `${FILE}:4:3: unknown place action type "FOOD_TAKEAWAY"; use one of ${TYPES}`,
    ],
  ],
  [
    "a merge key (not YAML 1.2)",
    "code: paris-01\nlinks:\n  <<: {SHOP_ONLINE: []}\n",
    [`${FILE}:3:3: unknown place action type "<<"; use one of ${TYPES}`],
  ],
  [
    "a type given a bare URL",
    "code: paris-01\nlinks:\n  SHOP_ONLINE: https://a.example.com\n",
    [
      `${FILE}:3:16: SHOP_ONLINE must be a list of links; write the URL on the next line as "- https://a.example.com"`,
    ],
  ],
  [
    "links of the wrong shape",
    [
      "code: paris-01",
      "links:",
      "  SHOP_ONLINE:",
      "    - 42",
      "    - url: 5",
      "    - url: https://a.example.com",
      "      preferred: yes",
      "    - preferred: true",
      "    - url: https://b.example.com",
      "      prefered: true",
      "",
    ].join("\n"),
    [
      `${FILE}:4:7: SHOP_ONLINE link 1 must be a URL or a mapping with url and preferred, not the number 42`,
      `${FILE}:5:12: SHOP_ONLINE link 2: url must be an https:// URL, not the number 5`,
      `${FILE}:7:18: SHOP_ONLINE link 3: preferred must be true or false, not the text "yes"`,
      `${FILE}:8:7: SHOP_ONLINE link 4 has no url; add url: https://…`,
      `${FILE}:10:7: unknown key "prefered" in SHOP_ONLINE link 5 (did you mean "preferred"?); a link has url and preferred`,
    ],
  ],
  [
    "two preferred links in a type",
    [
      "code: paris-01",
      "links:",
      "  SHOP_ONLINE:",
      "    - url: https://shop.example.com/a",
      "      preferred: true",
      "    - url: https://shop.example.com/b",
      "      preferred: true",
      "",
    ].join("\n"),
    [`${FILE}:7:7: SHOP_ONLINE has two preferred links (lines 5 and 7); keep one`],
  ],
  [
    "three preferred links in a type",
    "code: paris-01\nlinks:\n  APPOINTMENT:\n    - {url: https://a.example.com, preferred: true}\n    - {url: https://b.example.com, preferred: true}\n    - {url: https://c.example.com, preferred: true}\n",
    [`${FILE}:5:36: APPOINTMENT has 3 preferred links (lines 4, 5 and 6); keep one`],
  ],
  [
    "the same URL twice in a type, even with another case of host",
    "code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - https://shop.example.com/x\n    - url: https://SHOP.example.com/x\n",
    [
      `${FILE}:5:12: SHOP_ONLINE lists "https://SHOP.example.com/x" twice (lines 4 and 5); remove one`,
    ],
  ],
  [
    "every error of the file, not just the first",
    "code: paris-02\nlinks:\n  SHOP_ONLINE:\n    - http://a.example.com\n  FOOD_TAKEOUT:\nextra: 1\n",
    [
      `${FILE}:1:7: code "paris-02" does not match the file name paris-01.yaml; rename the file to paris-02.yaml or write code: paris-01`,
      `${FILE}:4:7: SHOP_ONLINE link 1: URL "http://a.example.com" uses http://; links must use https://, e.g. "https://a.example.com"`,
      `${FILE}:6:1: unknown key "extra"; a store has code, business_id, profile, vars and links`,
    ],
  ],
  [
    "a YAML syntax error",
    "code: paris-01\nlinks:\n  SHOP_ONLINE: [https://a.example.com\n",
    [
      `${FILE}:4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; check the indentation, colons and quotes here`,
    ],
  ],
  [
    "an unclosed quote",
    "code: 'paris-01\nlinks: {}\n",
    [`${FILE}:3:1: invalid YAML: Missing closing 'quote; add it`],
  ],
  [
    "tabs used for indentation",
    "code: paris-01\nlinks:\n\tSHOP_ONLINE: []\n",
    [`${FILE}:3:1: a tab is used for indentation; indent with spaces`],
  ],
  [
    "duplicate keys, at every level",
    "code: paris-01\nlinks:\n  SHOP_ONLINE: []\n  SHOP_ONLINE: []\ncode: paris-01\n",
    [
      `${FILE}:4:3: "SHOP_ONLINE" appears twice in the same mapping (first on line 3); keep one`,
      `${FILE}:5:1: "code" appears twice in the same mapping (first on line 1); keep one`,
    ],
  ],
  [
    "two documents in one file",
    "code: paris-01\nlinks: {}\n---\ncode: paris-02\nlinks: {}\n",
    [
      `${FILE}:3:1: a second YAML document starts here; a store file holds one store: move it to a file of its own`,
    ],
  ],
  [
    "a custom tag",
    "code: paris-01\nlinks: !custom {}\n",
    [`${FILE}:2:8: tag "!custom" is not allowed in a store file; remove it`],
  ],
  [
    "a standard tag",
    "code: !!str paris-01\nlinks: {}\n",
    [
      `${FILE}:1:7: tag !!str is not allowed in a store file; remove it (quote the value to make it text)`,
    ],
  ],
  [
    "an alias to no anchor",
    "code: *nope\nlinks: {}\n",
    [`${FILE}:1:7: alias *nope refers to no anchor; define &nope before it`],
  ],
  [
    "more aliases than the limit",
    `code: &c paris-01\nlinks: {}\nx: [${Array.from({ length: 21 }, () => "*c").join(", ")}]\n`,
    [`${FILE}:3:85: more than 20 aliases (*name) in one file; write the values out instead`],
  ],
  [
    "an alias bomb",
    "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c]\n",
    [
      `${FILE}:2:8: the aliases of this file expand to too much data (Excessive alias count indicates a resource exhaustion attack); write the values out instead`,
    ],
  ],
  [
    "a collection used as a key",
    "code: paris-01\n? [a]\n: b\nlinks: {}\n",
    [
      `${FILE}:2:3: a list is used as a key; keys in a store file are plain text, such as links or SHOP_ONLINE`,
    ],
  ],
];

describe("parseStoreText reports, with file, line and column,", () => {
  test("a type with no list is unmanaged, with a warning when nothing would be inherited", () => {
    const { store, issues } = parseStoreText(
      "code: paris-01\nlinks:\n  FOOD_TAKEOUT:\n  SHOP_ONLINE: []\n",
      FILE,
      "paris-01",
    );
    expect(store).toEqual({ code: "paris-01", links: { SHOP_ONLINE: [] } });
    expect(issues.map(formatIssue)).toEqual([
      `${FILE}:3:3: warning: FOOD_TAKEOUT: ~ leaves the type unmanaged, and there is no fleet file to inherit it from; write FOOD_TAKEOUT: [] to keep it managed and empty, or remove the line`,
    ]);
  });

  test.each(invalid)("%s", (_name, text, expected) => {
    const { store, lines } = check(text);
    expect(lines).toEqual(expected);
    expect(store).toBeUndefined();
  });
});

// URLs: [value, message after "SHOP_ONLINE link 1: "]
const badUrls: [string, string][] = [
  [
    "http://shop.example.com/x",
    'URL "http://shop.example.com/x" uses http://; links must use https://, e.g. "https://shop.example.com/x"',
  ],
  [
    "javascript:alert(1)",
    'URL "javascript:alert(1)" uses the javascript: scheme; links must be https:// web addresses',
  ],
  [
    "ftp://example.com/x",
    'URL "ftp://example.com/x" uses the ftp: scheme; links must be https:// web addresses',
  ],
  [
    "shop/paris-01",
    'URL "shop/paris-01" is not absolute; write the full address, e.g. "https://shop/paris-01"',
  ],
  [
    "//cdn.example.com/x",
    'URL "//cdn.example.com/x" is not absolute; write the full address, e.g. "https://cdn.example.com/x"',
  ],
  [
    "www.example.com/x",
    'URL "www.example.com/x" is not absolute; write the full address, e.g. "https://www.example.com/x"',
  ],
  [
    "https://shop.example.com/a b",
    'URL "https://shop.example.com/a b" contains whitespace; encode spaces as %20 and remove line breaks',
  ],
  [
    "https://user:secret@example.com/",
    'URL "https://***@example.com/" contains a user name or password; remove the part before @',
  ],
  ["https://1.2.3.999/", 'URL "https://1.2.3.999/" is not a valid address; check it in a browser'],
  [
    "https://example.com:99999/",
    'URL "https://example.com:99999/" is not a valid address; check it in a browser',
  ],
  ["https://", 'URL "https://" is not a valid address; check it in a browser'],
  [
    `https://example.com/${"a".repeat(2030)}`,
    "URL is 2,050 characters long, over the limit of 2,048; use a shorter URL",
  ],
];

describe("parseStoreText explains a bad URL", () => {
  test.each(badUrls)("%s", (url, message) => {
    for (const written of [`- ${JSON.stringify(url)}`, `- url: ${JSON.stringify(url)}`]) {
      const { lines } = check(`code: paris-01\nlinks:\n  SHOP_ONLINE:\n    ${written}\n`);
      const column = written.startsWith("- url") ? 12 : 7;
      expect(lines).toEqual([`${FILE}:4:${column}: SHOP_ONLINE link 1: ${message}`]);
    }
  });

  test("accepts a URL of exactly 2,048 characters, a port and a query", () => {
    const long = `https://example.com/${"a".repeat(2048 - 20)}`;
    expect(long).toHaveLength(2048);
    const { lines } = check(
      `code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ${long}\n    - https://example.com:8443/x?a=1&b=2#c\n`,
    );
    expect(lines).toEqual([]);
  });

  test("an empty URL", () => {
    expect(check("code: paris-01\nlinks:\n  SHOP_ONLINE:\n    - ''\n").lines).toEqual([
      `${FILE}:4:7: SHOP_ONLINE link 1: URL is empty; give an https:// URL or remove the link`,
    ]);
  });
});

describe("parseStoreText on hostile input", () => {
  test("nesting too deep for the parser is an error, not a crash", () => {
    const { lines } = check(`code: ${"[".repeat(20000)}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines[0]).toMatch(/^stores\/paris-01\.yaml:1:\d+: /);
  });

  test("lists at most five YAML errors, then how many more there are", () => {
    const { lines } = check("a: [\nb: {\nc: '\n".repeat(20));
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(
      /: \d+ more YAML errors from here on; fix the ones above and run again$/,
    );
  });

  test("text longer than the file size limit is refused unparsed", () => {
    const { lines } = check(`code: paris-01\n# ${"x".repeat(300 * 1024)}\n`);
    expect(lines).toEqual([
      `${FILE}: the file is 301 KiB, over the 256 KiB limit for a store file; a store file holds one store, check that this is the right file`,
    ]);
  });
});
