import type { StoreIssue } from "../../../src/files/index.js";
import {
  renderValidationGithub,
  renderValidationJson,
  renderValidationMarkdown,
  renderValidationText,
  validationSummary,
} from "../../../src/files/render-validation.js";
import { annotation, escapeData, escapeProperty } from "../../../src/core/render/annotations.js";

const error = (file: string, line: number | undefined, message: string): StoreIssue => ({
  file,
  ...(line === undefined ? {} : { line, column: 3 }),
  message,
  severity: "error",
});
const warning: StoreIssue = {
  file: "stores/x.yml",
  message: "ignored: store files end in .yaml; rename it to x.yaml",
  severity: "warning",
};

describe("validation summary", () => {
  test.each([
    [{ files: 6, issues: [] }, "6 store files valid"],
    [{ files: 1, issues: [] }, "1 store file valid"],
    [{ files: 6, issues: [warning] }, "6 store files valid, 1 warning"],
    [{ files: 0, issues: [] }, "no store files found (store files are named <code>.yaml)"],
    [
      {
        files: 6,
        issues: [error("a.yaml", 1, "x"), error("a.yaml", 2, "y"), error("b.yaml", 1, "z")],
      },
      "3 errors in 2 of 6 files",
    ],
    [{ files: 1, issues: [error("a.yaml", 1, "x"), warning] }, "1 error in 1 of 1 file, 1 warning"],
  ])("%j reads %s", (report, summary) => {
    expect(validationSummary(report)).toBe(summary);
  });
});

describe("validation renderers", () => {
  const report = {
    files: 2,
    issues: [
      error("stores/a,b.yaml", 9, "SHOP_ONLINE has two preferred links (lines 7 and 9); keep one"),
      error("stores/c.yaml", undefined, "100% wrong\r\nreally"),
      warning,
    ],
  };

  test("text prints one issue per line, then the summary", () => {
    expect(renderValidationText(report)).toBe(
      [
        "stores/a,b.yaml:9:3: SHOP_ONLINE has two preferred links (lines 7 and 9); keep one",
        "stores/c.yaml: 100% wrong really",
        "stores/x.yml: warning: ignored: store files end in .yaml; rename it to x.yaml",
        "2 errors in 2 of 2 files, 1 warning",
        "",
      ].join("\n"),
    );
  });

  test("json prints a machine document", () => {
    expect(JSON.parse(renderValidationJson(report))).toEqual({
      valid: false,
      files: 2,
      errors: [
        {
          file: "stores/a,b.yaml",
          line: 9,
          column: 3,
          message: "SHOP_ONLINE has two preferred links (lines 7 and 9); keep one",
        },
        { file: "stores/c.yaml", message: "100% wrong\r\nreally" },
      ],
      warnings: [{ file: "stores/x.yml", message: warning.message }],
    });
  });

  test("github prints escaped workflow annotations, then the summary", () => {
    expect(renderValidationGithub(report).split("\n")).toEqual([
      "::error file=stores/a%2Cb.yaml,line=9,col=3::SHOP_ONLINE has two preferred links (lines 7 and 9); keep one",
      "::error file=stores/c.yaml::100%25 wrong%0D%0Areally",
      "::warning file=stores/x.yml::ignored: store files end in .yaml; rename it to x.yaml",
      "2 errors in 2 of 2 files, 1 warning",
      "",
    ]);
  });

  test("escape % \\r \\n in data, and also : and , in properties", () => {
    expect(escapeData("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad:e,f");
    expect(escapeProperty("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad%3Ae%2Cf");
  });

  test("an annotation carries its place and title, escaped", () => {
    expect(annotation("notice", "a: b", { file: "s/a,b.yaml", title: "x: y" })).toBe(
      "::notice file=s/a%2Cb.yaml,title=x%3A y::a: b\n",
    );
    expect(annotation("error", "50%")).toBe("::error::50%25\n");
  });

  test("markdown prints the summary, then a table of the problems with Markdown escaped", () => {
    expect(renderValidationMarkdown(report).split("\n")).toEqual([
      "### partoo-links validate",
      "",
      "❌ **2 errors in 2 of 2 files, 1 warning**",
      "",
      "| file | line | severity | problem |",
      "|---|---:|---|---|",
      "| stores/a,b.yaml | 9:3 | error | SHOP\\_ONLINE has two preferred links \\(lines 7 and 9\\); keep one |",
      "| `stores/c.yaml` |  | error | 100% wrong really |",
      "| `stores/x.yml` |  | warning | ignored\\: store files end in .yaml; rename it to x.yaml |",
      "",
    ]);
    expect(renderValidationMarkdown({ files: 3, issues: [] })).toBe(
      "### partoo-links validate\n\n✅ **3 store files valid**\n",
    );
    const many = {
      files: 9,
      issues: Array.from({ length: 5 }, (_, i) => error(`s/${i}.yaml`, 1, "x")),
    };
    const cut = renderValidationMarkdown(many, 2).trimEnd().split("\n");
    expect(cut.at(-1)).toBe("…and 3 more (see the job log).");
    expect(cut.filter((line) => line.startsWith("| `s/"))).toHaveLength(2);
  });
});
