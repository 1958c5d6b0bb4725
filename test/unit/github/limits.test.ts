import { GITHUB_BODY_LIMIT, fitMarkdown } from "../../../src/github/limits.js";

test("a text under the limit is returned unchanged", () => {
  const text = "x".repeat(GITHUB_BODY_LIMIT);
  expect(fitMarkdown(text, { limit: GITHUB_BODY_LIMIT })).toBe(text);
});

test("a text over the limit is cut at a line break with a note saying why", () => {
  const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  const fitted = fitMarkdown(text, { limit: 400, hint: "see the job summary" });
  expect(fitted.length).toBeLessThanOrEqual(400);
  expect(fitted.startsWith("line 0\nline 1\n")).toBe(true);
  expect(fitted).toMatch(
    /\nline \d+\n\n> \*\*Truncated:\*\* the full text is 789 characters, over GitHub's limit of 400; see the job summary\.\n$/,
  );
});

test("an open code fence is closed before the note", () => {
  const text = [
    "intro",
    "~~~text",
    ...Array.from({ length: 200 }, (_, i) => `row ${i}`),
    "~~~",
  ].join("\n");
  const fitted = fitMarkdown(text, { limit: 500 });
  expect(fitted.match(/^~~~/gm)).toEqual(["~~~", "~~~"]);
  expect(fitted.indexOf("~~~\n\n> **Truncated:**")).toBeGreaterThan(0);
});

test("a cut never splits a character made of two code units", () => {
  const text = "😀".repeat(1000);
  const fitted = fitMarkdown(text, { limit: 301 });
  expect(fitted.length).toBeLessThanOrEqual(301);
  expect(fitted).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
});

test("a limit in bytes counts multi-byte characters", () => {
  const text = "é".repeat(1000);
  const bytes = (value: string) => Buffer.byteLength(value, "utf8");
  const fitted = fitMarkdown(text, { limit: 1000, measure: bytes, unit: "bytes" });
  expect(bytes(fitted)).toBeLessThanOrEqual(1000);
  expect(fitted).toContain("the full text is 2,000 bytes, over GitHub's limit of 1,000");
});
