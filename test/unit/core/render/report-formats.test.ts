/** The apply and import reports in each --format, as snapshots: a change in wording shows in review. */
import { renderApplyAs } from "../../../../src/core/render/apply-formats.js";
import type { ApplyReport } from "../../../../src/core/render/apply.js";
import {
  importExitCode,
  renderImportAs,
  type ImportReport,
} from "../../../../src/core/render/import.js";
import { OUTPUT_FORMATS } from "../../../../src/core/render/formats.js";

const applyReport: ApplyReport = {
  outcomes: [
    { code: "lille-01", status: "applied", created: 2, updated: 1, deleted: 1, writes: 1 },
    {
      code: "lyon-01",
      status: "unchanged",
      warnings: ["SHOP_ONLINE https://x.example.com is not editable"],
    },
    {
      code: "nice-01",
      status: "failed",
      errorClass: "http-400",
      message: "nice-01: Partoo refused the links (400): url | invalid",
    },
    { code: "paris-01", status: "refused", message: "would pass --max-deleted-links 1" },
    { code: "rome-01", status: "not-started" },
  ],
  unmanaged: ["gone-01"],
  stoppedBy: "deletion-cap",
  stopMessage: "paris-01: live reads show 3 links to delete; raise --max-deleted-links to go on",
  requests: 9,
  rateLimited: 1,
  durationMs: 1234,
  commit: "0123456789abcdef0123456789abcdef01234567",
};

const importReport: ImportReport = {
  imported: [
    {
      code: "paris-01",
      file: "stores/paris-01.yaml",
      text: "code: paris-01\n",
      record: { address: "c-paris-01" },
      links: 2,
    },
  ],
  skips: [
    {
      what: "business 5 (Pop-up)",
      reason: "has no store code; import it with --by-id",
      error: false,
    },
    { what: "dup", reason: "2 businesses have this code (a | b)", error: true },
  ],
  dir: "stores",
};

const factoredReport: ImportReport = {
  ...importReport,
  factor: {
    fleetFile: "partoo-links.yaml",
    defaults: ["FOOD_ORDERING", "SHOP_ONLINE"],
    templates: 3,
    storeFiles: 1,
    lines: { before: 12, fleetFile: 4, storeFiles: 5 },
  },
};

const fileOf = (code: string): string | undefined =>
  code === "rome-01" ? undefined : `stores/${code}.yaml`;

describe.each(OUTPUT_FORMATS)("--format %s", (format) => {
  test("of an apply report", () => {
    expect(renderApplyAs(format, applyReport, fileOf)).toMatchSnapshot();
  });
  test("of an import report", () => {
    expect(renderImportAs(format, importReport)).toMatchSnapshot();
  });
  test("of a factored import report", () => {
    expect(renderImportAs(format, factoredReport)).toMatchSnapshot();
  });
});

test("the github format annotates the failed and refused stores on their files", () => {
  const text = renderApplyAs("github", applyReport, fileOf);
  expect(text).toContain("::error file=stores/nice-01.yaml,title=partoo-links apply::nice-01: ");
  expect(text).toContain("::error file=stores/paris-01.yaml,title=partoo-links apply::paris-01: ");
  expect(text).not.toContain("::error file=stores/lille-01.yaml");
});

test("a factored import says how many lines the fleet shrank by, or grew by", () => {
  expect(renderImportAs("text", factoredReport)).toContain(
    "Factored: 12 lines of store files became 9 (fleet file 4, 1 store file 5): 3 fewer (25%)\n",
  );
  const grown = { ...factoredReport.factor!, lines: { before: 5, fleetFile: 4, storeFiles: 5 } };
  expect(renderImportAs("text", { ...factoredReport, factor: grown })).toContain(
    "became 9 (fleet file 4, 1 store file 5): 4 more, as few stores share little\n",
  );
  expect(JSON.parse(renderImportAs("json", factoredReport)).factor.lines).toEqual({
    before: 12,
    fleetFile: 4,
    storeFiles: 5,
    after: 9,
    saved: 3,
    percent: 25,
  });
});

test("import exits 1 only when a skip is an error", () => {
  expect(importExitCode(importReport)).toBe(1);
  expect(importExitCode({ ...importReport, skips: [importReport.skips[0]!] })).toBe(0);
});
