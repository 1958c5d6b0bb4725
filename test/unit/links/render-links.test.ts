import type { LinkReport } from "../../../src/core/link-report.js";
import {
  linksSummary,
  renderLinksAnnotations,
  renderLinksMarkdown,
  renderPlanMarkdownWithLinks,
} from "../../../src/core/render/links.js";
import type { Plan } from "../../../src/core/plan.js";

const report: LinkReport = {
  scope: "changed",
  checked: 3,
  findings: [
    {
      file: "stores/paris-01.yaml",
      line: 7,
      column: 9,
      url: "https://shop.example.com/gone",
      severity: "error",
      message:
        'SHOP_ONLINE link 2 "https://shop.example.com/gone" is broken: answered 404 Not Found',
    },
    {
      file: "stores/lyon-01.yaml",
      line: 5,
      column: 9,
      url: "https://a.example.com/x",
      severity: "warning",
      message: "redirects | to *another* host",
    },
  ],
};

const emptyPlan: Plan = {
  mode: "offline",
  stores: [],
  removedStores: [],
  failedStores: [],
  warnings: [],
  summary: {
    storesToChange: 0,
    create: 0,
    update: 0,
    delete: 0,
    unchanged: 1,
    removed: 0,
    failed: 0,
    drift: 0,
  },
};

describe("the Links section", () => {
  test("says how many URLs were checked and how many are broken", () => {
    expect(linksSummary(report)).toBe(
      "3 URLs checked (new or changed since the last apply): 1 broken, 1 warning",
    );
    expect(linksSummary({ scope: "all", checked: 1, findings: [] })).toBe(
      "1 URL checked: none broken",
    );
  });

  test("is a Markdown table of the findings, with the file's text escaped", () => {
    expect(renderLinksMarkdown(report)).toBe(
      [
        "#### Links",
        "",
        "❌ **3 URLs checked (new or changed since the last apply): 1 broken, 1 warning**",
        "",
        "| file | line | | problem |",
        "|---|---:|---|---|",
        '| `stores/paris-01.yaml` | 7 | ❌ | SHOP\\_ONLINE link 2 "https\\://shop.example.com/gone" is broken\\: answered 404 Not Found |',
        "| `stores/lyon-01.yaml` | 5 | ⚠️ | redirects \\| to \\*another\\* host |",
        "",
      ].join("\n"),
    );
  });

  test("shows a few rows and says how many more there are", () => {
    expect(renderLinksMarkdown(report, 1)).toContain("\n…and 1 more (see the job log).\n");
  });

  test("follows the plan, and the two stay within the plan's length limit", () => {
    const markdown = renderPlanMarkdownWithLinks(emptyPlan, report, { maxLength: 2000 });
    expect(markdown.indexOf("#### Links")).toBeGreaterThan(
      markdown.indexOf("### Partoo links plan"),
    );
    expect(markdown.length).toBeLessThanOrEqual(2000);
    expect(renderPlanMarkdownWithLinks(emptyPlan, undefined)).not.toContain("Links");
  });

  test("becomes one annotation per finding on its file and line", () => {
    expect(renderLinksAnnotations(report).split("\n")[0]).toBe(
      '::error file=stores/paris-01.yaml,line=7,col=9,title=partoo-links link check::SHOP_ONLINE link 2 "https://shop.example.com/gone" is broken: answered 404 Not Found',
    );
  });
});
