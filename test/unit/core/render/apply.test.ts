import {
  applyExitCode,
  applyTotals,
  renderApplyJson,
  renderApplyMarkdown,
  renderApplyText,
  type ApplyReport,
  type StopReason,
  type StoreOutcome,
} from "../../../../src/core/render/apply.js";
import { renderApplyAs } from "../../../../src/core/render/apply-formats.js";

const applied: StoreOutcome = {
  code: "paris-01",
  status: "applied",
  created: 2,
  updated: 1,
  deleted: 0,
  writes: 2,
  unknownOutcomes: 1,
  warnings: ["SHOP_ONLINE: https://partner.example.com is a non-editable link"],
};
const unchanged: StoreOutcome = { code: "lyon-02", status: "unchanged", writes: 0 };
const failed: StoreOutcome = {
  code: "nice-03",
  status: "failed",
  errorClass: "http-400",
  message: "Partoo POST /business/c-nice-03/place_action_links: 400 | bad URL",
};
const refused: StoreOutcome = {
  code: "lille-04",
  status: "refused",
  message: "lille-04: live reads show 3 links to delete",
};
const notStarted: StoreOutcome = { code: "rennes-05", status: "not-started" };

function report(outcomes: StoreOutcome[], extra: Partial<ApplyReport> = {}): ApplyReport {
  return { outcomes, unmanaged: [], requests: 7, rateLimited: 0, durationMs: 1234, ...extra };
}

describe("the exit code of apply", () => {
  test("is 0 when every store was applied or already matched", () => {
    expect(applyExitCode(report([applied, unchanged]))).toBe(0);
    expect(applyExitCode(report([]))).toBe(0);
  });

  test("is 1 when any store failed or was refused", () => {
    expect(applyExitCode(report([applied, failed]))).toBe(1);
    expect(
      applyExitCode(report([applied, refused, notStarted], { stoppedBy: "deletion-cap" })),
    ).toBe(1);
  });

  test("is 3 when --deadline stopped the run and nothing failed", () => {
    expect(applyExitCode(report([applied, notStarted], { stoppedBy: "deadline" }))).toBe(3);
  });

  test("is 1, not 3, when the deadline stopped a run in which a store failed", () => {
    expect(applyExitCode(report([failed, notStarted], { stoppedBy: "deadline" }))).toBe(1);
  });

  test.each<StopReason>(["signal", "auth", "state", "deletion-cap"])(
    "is 1 when the run was stopped by %s",
    (stoppedBy) => {
      expect(applyExitCode(report([applied, notStarted], { stoppedBy }))).toBe(1);
    },
  );
});

test("the totals count each status", () => {
  expect(applyTotals(report([applied, unchanged, failed, refused, notStarted, unchanged]))).toEqual(
    {
      applied: 1,
      unchanged: 2,
      failed: 1,
      refused: 1,
      notStarted: 1,
    },
  );
});

describe("the text report", () => {
  test("shows one line per store, its warnings, removed stores, the stop and a summary", () => {
    const text = renderApplyText(
      report([applied, unchanged, failed, refused, notStarted], {
        unmanaged: ["old-09"],
        stoppedBy: "deletion-cap",
        stopMessage: "lille-04 would pass --max-deleted-links 5",
        rateLimited: 2,
      }),
    );
    expect(text).toBe(
      [
        "✓ paris-01: applied (2 created, 1 updated, 1 lost responses resolved)",
        "  ! SHOP_ONLINE: https://partner.example.com is a non-editable link",
        "= lyon-02: unchanged (live already matched)",
        `✗ nice-03: failed: ${failed.message}`,
        `✗ lille-04: refused: ${refused.message!.replace("lille-04: ", "")}`,
        "… 1 store not started: rennes-05",
        "- old-09: store file removed; no longer managed (nothing sent, state entry dropped)",
        "lille-04 would pass --max-deleted-links 5",
        "Apply: 1 applied, 1 unchanged, 1 failed, 1 refused, 1 not started, 1 no longer managed (7 requests, 2 rate-limited, 1.2s)",
        "",
      ].join("\n"),
    );
  });

  test("explains how to resume after a deadline, and falls back to the error class", () => {
    const text = renderApplyText(
      report([{ code: "x-1", status: "failed", errorClass: "network" }, notStarted], {
        stoppedBy: "deadline",
      }),
    );
    expect(text).toContain("✗ x-1: failed: network\n");
    expect(text).toContain("stopped by --deadline; run apply again to go on where it stopped\n");
  });

  test("after an interrupt, the stores not started are one line: a count and the first few", () => {
    const waiting = Array.from({ length: 119 }, (_, i): StoreOutcome => ({
      code: `s-${String(i + 1).padStart(3, "0")}`,
      status: "not-started",
    }));
    const text = renderApplyText(report([applied, ...waiting], { stoppedBy: "signal" }));
    expect(text).toContain(
      "… 119 stores not started: s-001, s-002, s-003, s-004, s-005 and 114 more\n",
    );
    expect(text).not.toContain("s-006");
    expect(text.split("\n").length).toBeLessThan(10);
    const markdown = renderApplyMarkdown(report(waiting, { stoppedBy: "signal" }));
    expect(markdown).toContain(
      "119 stores not started\\: s-001, s-002, s-003, s-004, s-005 and 114 more",
    );
    expect(markdown).not.toContain("s-006");
  });

  test("hints at the stores the last drift found drifted and this run left as they are", () => {
    const value = report([unchanged], { drifted: ["lyon-02", "paris-01"] });
    expect(renderApplyText(value)).toContain(
      "! 2 stores drifted since the last apply (lyon-02, paris-01): run apply --repair to restore the files' links, or accept --drifted to keep live's\n",
    );
    expect(renderApplyMarkdown(value)).toContain("2 stores drifted since the last apply");
    expect(renderApplyText(report([unchanged]))).not.toContain("drifted");
  });

  test("says 'confirmed' for a store applied with no link change counted", () => {
    const text = renderApplyText(report([{ code: "a-1", status: "applied", writes: 1 }]));
    expect(text).toContain("✓ a-1: applied (confirmed)\n");
    expect(text).toContain("Apply: 1 applied, 0 unchanged, 0 failed (7 requests");
  });
});

describe("the JSON report", () => {
  test("is the report with its totals and exit code", () => {
    const value = report([applied, failed], { commit: "a".repeat(40) });
    const parsed = JSON.parse(renderApplyJson(value));
    expect(parsed).toEqual({
      ...JSON.parse(JSON.stringify(value)),
      totals: { applied: 1, unchanged: 0, failed: 1, refused: 0, notStarted: 0 },
      exitCode: 1,
    });
  });
});

describe("the Markdown report", () => {
  test("lists failures first, leaves out unchanged stores, and escapes table cells", () => {
    const markdown = renderApplyMarkdown(
      report([applied, unchanged, failed, notStarted], {
        commit: "0123456789abcdef0123",
        unmanaged: ["old-09", "old-10"],
        stoppedBy: "deadline",
      }),
    );
    expect(markdown).toBe(
      [
        "### partoo-links apply",
        "",
        "Commit `0123456789ab`",
        "",
        "Apply: 1 applied, 1 unchanged, 1 failed, 1 not started, 2 no longer managed (7 requests, 0 rate-limited, 1.2s)",
        "",
        "> stopped by --deadline; run apply again to go on where it stopped",
        "",
        "| store | result | details |",
        "| --- | --- | --- |",
        "| `nice-03` | ❌ failed | Partoo POST /business/c-nice-03/place\\_action\\_links\\: 400 \\| bad URL |",
        "| `paris-01` | ✅ applied | 2 created, 1 updated, 1 lost responses resolved |",
        "",
        "⏸️ 1 store not started\\: rennes-05",
        "",
        "No longer managed (file removed): `old-09`, `old-10`",
        "",
      ].join("\n"),
    );
  });

  test("folds the rows past the limit into a count", () => {
    const outcomes = Array.from({ length: 5 }, (_, i): StoreOutcome => ({
      code: `s-${i}`,
      status: "applied",
      created: 1,
    }));
    const markdown = renderApplyMarkdown(report(outcomes), 3);
    expect(markdown.match(/✅ applied/g)).toHaveLength(3);
    expect(markdown).toContain("…and 2 more stores (see the job log).");
  });

  test("has no table when every store was unchanged", () => {
    const markdown = renderApplyMarkdown(report([unchanged]));
    expect(markdown).not.toContain("| store |");
    expect(markdown).toContain("Apply: 0 applied, 1 unchanged, 0 failed");
  });
});

describe("the GitHub annotations of apply", () => {
  test("name each failed or refused store once, on its file", () => {
    const text = renderApplyAs("github", report([applied, failed, refused]), (code) =>
      code === "lille-04" ? "stores/lille-04.yaml" : undefined,
    );
    const annotations = text.split("\n").filter((line) => line.startsWith("::error"));
    expect(annotations).toEqual([
      expect.stringMatching(/^::error title=partoo-links apply::nice-03: Partoo POST /),
      "::error file=stores/lille-04.yaml,title=partoo-links apply::lille-04: live reads show 3 links to delete",
    ]);
  });
});
