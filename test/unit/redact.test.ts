import {
  createRedactor,
  cutRedacted,
  MIN_SECRET_LENGTH,
  redactDeep,
  REDACTED,
  secretsFromEnv,
  stripUrlCredentials,
} from "../../src/redact.js";

/** Keys of several shapes: plain, with JSON-special characters, with URL-special ones, the shortest allowed. */
const KEYS = [
  "pk-test-SECRET-7f3a9c2e5b8d4f61",
  'k"ey\\with/slash+plus=equals',
  "abc/def?ghi&jkl=mno#pqr%stu!*'()",
  "abcdefgh",
  "ghs_SECRETtokenDoNotLeak0123456789abcdef",
];

describe("a secret is redacted by value", () => {
  test.each(KEYS)("as is, wherever it stands (%s)", (key) => {
    const redact = createRedactor([key]);
    for (const text of [key, `x${key}y`, `${key} and ${key}`, `line\n${key}\n`]) {
      expect(redact(text)).not.toContain(key);
      expect(redact(text)).toContain(REDACTED);
    }
    expect(redact("nothing secret here")).toBe("nothing secret here");
  });

  test.each(KEYS)("JSON-escaped, also with escaped slashes (%s)", (key) => {
    const redact = createRedactor([key]);
    const json = JSON.stringify({ error: { json: `bad key ${key}` } });
    const phpStyle = json.replace(/\//g, "\\/");
    for (const text of [json, phpStyle]) {
      const clean = redact(text);
      expect(clean).toContain(REDACTED);
      expect(JSON.parse(clean.replace(REDACTED, "")).error.json).not.toContain(key);
    }
  });

  test.each(KEYS)("percent-encoded, in upper or lower hex, strict or not (%s)", (key) => {
    const redact = createRedactor([key]);
    const uri = encodeURIComponent(key);
    const strict = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    const forms = [
      uri,
      uri.toLowerCase(),
      strict,
      strict.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase()),
      new URLSearchParams({ key }).toString().slice("key=".length),
    ];
    for (const form of forms) {
      const clean = redact(`https://api.example/v2/x?api_key=${form}&page=2`);
      expect(decodeURIComponent(clean.replace(/\+/g, " "))).not.toContain(key);
      expect(clean).toContain("&page=2");
    }
  });

  test.each(KEYS)("base64 and base64url, at every alignment (%s)", (key) => {
    const redact = createRedactor([key]);
    for (const prefix of ["", "a", "ab", "abc", "user:"]) {
      for (const suffix of ["", "z", "zz", ":rest"]) {
        const raw = Buffer.from(`${prefix}${key}${suffix}`);
        for (const encoded of [raw.toString("base64"), raw.toString("base64url")]) {
          const clean = redact(`Authorization: Basic ${encoded}`);
          expect(clean).toContain(REDACTED);
          const decoded = Buffer.from(clean.replace(REDACTED, "AAAA"), "base64").toString("latin1");
          expect(decoded).not.toContain(key.slice(3, -3));
        }
      }
    }
  });

  test("several secrets at once, the longer first when one contains the other", () => {
    const redact = createRedactor(["abcdefgh", "abcdefgh-long-token", undefined, ""]);
    expect(redact("t=abcdefgh-long-token k=abcdefgh")).toBe(`t=${REDACTED} k=${REDACTED}`);
  });

  test("no secret: the text is unchanged", () => {
    expect(createRedactor([undefined, ""])("abc")).toBe("abc");
  });

  test("the shortest key the client accepts is long enough not to mangle words", () => {
    expect(MIN_SECRET_LENGTH).toBeGreaterThanOrEqual(8);
  });
});

describe("a cut never leaves the start of a secret behind", () => {
  const key = "pk-test-SECRET-7f3a9c2e5b8d4f61";
  const redact = createRedactor([key]);
  test.each([280, 290, 295, 297, 299])("a secret at position %i of a 300-character cut", (at) => {
    const text = `${"x".repeat(at)}${key}${"y".repeat(100)}`;
    const cut = cutRedacted(text, 300, redact);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).not.toContain(key.slice(0, 6));
  });
});

describe("parsed JSON is redacted in every string and key", () => {
  test("nested values, lists and keys", () => {
    const key = "pk-test-SECRET-7f3a9c2e5b8d4f61";
    const value = JSON.parse(
      `{"error":{"json":{"0":["\\u0070k-test-SECRET-7f3a9c2e5b8d4f61"]},"${key}":1},"n":3}`,
    ) as unknown;
    const clean = redactDeep(value, createRedactor([key]));
    expect(JSON.stringify(clean)).not.toContain(key);
    expect(JSON.stringify(clean)).toContain('"n":3');
  });

  test("a key named __proto__ stays a plain key", () => {
    const clean = redactDeep(JSON.parse('{"__proto__":{"x":1}}'), (t) => t) as Record<
      string,
      unknown
    >;
    expect(Object.keys(clean)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });
});

describe("credentials in URLs are stripped before a URL is echoed", () => {
  test.each([
    ["https://user:pass@api.example/v2", "https://api.example/v2"],
    ["http://x-access-token:ghs_abc@github.example/api", "http://github.example/api"],
    ["https://only-user@api.example", "https://api.example"],
    ["https://u:p@ss@api.example/v2?x=1", "https://api.example/v2?x=1"],
    ["not a url https://a:b@c.example and ftp://d:e@f", "not a url https://c.example and ftp://f"],
    ["https://api.example/v2/a@b", "https://api.example/v2/a@b"],
  ])("%s", (input, expected) => {
    expect(stripUrlCredentials(input)).toBe(expected);
  });
});

test("the secrets come from the environment's key and token, blanks ignored", () => {
  expect(
    secretsFromEnv({ PARTOO_API_KEY: " k1-0123456 ", GITHUB_TOKEN: "", PATH: "/bin" }),
  ).toEqual(["k1-0123456"]);
});
