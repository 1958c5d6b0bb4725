import { escapeUnsafe, quoteExcerpt } from "../../../src/core/excerpt.js";

describe("quoteExcerpt", () => {
  test("quotes short plain text as JSON does", () => {
    expect(quoteExcerpt("paris-01")).toBe('"paris-01"');
    expect(quoteExcerpt('say "hi"')).toBe('"say \\"hi\\""');
  });

  test("cuts long text to a short excerpt, never splitting a character", () => {
    const quoted = quoteExcerpt("😀".repeat(100), 10);
    expect(quoted).toBe(`"${"😀".repeat(9)}…"`);
    expect(quoteExcerpt("x".repeat(10_000))).toHaveLength(62);
  });

  test.each([
    [
      "a URL's user and password",
      "https://x-access-token:ghs_abc@github.com/",
      '"https://***@github.com/"',
    ],
    ["a GitHub token", "token ghp_0123456789abcdefABCDEF", '"token ghp_***"'],
    ["a fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghij", '"github_pat_***"'],
    ["a password line", "password=hunter2 and more", '"password=*** and more"'],
    ["an API key", "PARTOO_API_KEY: pk-live-123", '"PARTOO_API_KEY: ***"'],
    ["a private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow", '"-----BEGIN …"'],
  ])("masks %s", (_name, text, quoted) => {
    expect(quoteExcerpt(text)).toBe(quoted);
  });

  test.each([
    ["a line break", "a\nb", '"a\\nb"'],
    ["ESC", "a\u001b[31mb", '"a\\u001b[31mb"'],
    ["a C1 control", "a\u009bb", '"a\\u009bb"'],
    ["a bidi override", "a\u202eb", '"a\\u202eb"'],
    ["an isolate", "a\u2066b", '"a\\u2066b"'],
    ["a zero-width space", "a\u200bb", '"a\\u200bb"'],
    ["a byte order mark", "a\ufeffb", '"a\\ufeffb"'],
    ["a line separator", "a\u2028b", '"a\\u2028b"'],
  ])("shows %s as an escape", (_name, text, quoted) => {
    expect(quoteExcerpt(text)).toBe(quoted);
  });

  test("escapeUnsafe leaves ordinary text, accents and other scripts alone", () => {
    expect(escapeUnsafe("café Москва 東京")).toBe("café Москва 東京");
  });
});
