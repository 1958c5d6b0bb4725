import { checkApiBaseUrl } from "../../src/base-url.js";

describe("an API base URL", () => {
  test("is an http(s) URL, kept without its trailing slashes", () => {
    expect(checkApiBaseUrl("https://api.partoo.co/v2//", "--api-url", "E")).toBe(
      "https://api.partoo.co/v2",
    );
    expect(checkApiBaseUrl("http://127.0.0.1:4010/v2", "--api-url", "E")).toBe(
      "http://127.0.0.1:4010/v2",
    );
  });

  test.each(["not a url", "ftp://files.example/v2", "file:///etc/passwd"])(
    "%s is refused in one line naming where it came from, without credentials",
    (raw) => {
      expect(() => checkApiBaseUrl(raw, "GITHUB_API_URL", "https://api.github.com")).toThrow(
        /^GITHUB_API_URL .*: (not a URL; expected e\.g\.|expected an http\(s\) URL, e\.g\.) https:\/\/api\.github\.com$/,
      );
    },
  );

  test("never shows the credentials of a refused URL", () => {
    expect(() => checkApiBaseUrl("ftp://user:s3cret@x.example", "--api-url", "E")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret") }),
    );
  });
});
