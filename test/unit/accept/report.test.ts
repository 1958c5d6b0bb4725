import {
  driftedStores,
  renderAccept,
  renderAcceptMarkdown,
  type AcceptReport,
} from "../../../src/accept/report.js";
import type { StateDocument, StoreRecord } from "../../../src/core/model.js";

const checked = (drifted: boolean): StoreRecord => ({
  address: "c-x",
  hash: "h",
  drift: { checkedAt: "2026-01-01T00:00:00.000Z", drifted },
});

function state(stores: Record<string, StoreRecord>): StateDocument {
  return { version: 2, stores };
}

const REPORT: AcceptReport = {
  accepted: [
    {
      code: "paris-01",
      file: "stores/paris-01.yaml",
      changes: [
        {
          type: "SHOP_ONLINE",
          op: "add",
          url: "https://shop.example.com/a_b*c|d",
          preferred: true,
        },
        {
          type: "SHOP_ONLINE",
          op: "remove",
          url: "https://shop.example.com/<gifts>",
          preferred: false,
        },
      ],
      warnings: [],
    },
  ],
  unchanged: ["lyon-01"],
  skipped: [{ code: "lille-01", reason: "stores/lille-01.yaml is invalid (errors above)" }],
};

describe("driftedStores", () => {
  test("asks for a drift check when none was ever recorded", () => {
    expect(driftedStores(state({ a: { address: "c-a", hash: "h" } }))).toEqual({
      nothing: "nothing to accept; run drift first",
    });
  });

  test("lists the stores the last drift found drifted, sorted", () => {
    expect(
      driftedStores(state({ "b-2": checked(true), "a-1": checked(false), "a-10": checked(true) })),
    ).toEqual({ codes: ["a-10", "b-2"] });
  });

  test("says when the last drift found nothing drifted", () => {
    expect(driftedStores(state({ a: checked(false) }))).toEqual({
      nothing: expect.stringMatching(/^nothing to accept: the last drift found/),
    });
  });
});

describe("accept report", () => {
  test("the text lists each edit, each skipped store and a summary", () => {
    expect(renderAccept("text", REPORT)).toBe(
      [
        "~ stores/paris-01.yaml: 2 edits",
        "    + SHOP_ONLINE https://shop.example.com/a_b*c|d (added, preferred)",
        "    - SHOP_ONLINE https://shop.example.com/<gifts> (removed)",
        "✗ lille-01: stores/lille-01.yaml is invalid (errors above)",
        "Accept: 1 store file rewritten to match live, 1 already matching, 1 store skipped.",
        "",
      ].join("\n"),
    );
  });

  test("the Markdown escapes URLs from live, in the plan comment's table", () => {
    const markdown = renderAcceptMarkdown(REPORT);
    expect(markdown).toContain("| Change | Type | URL | Preferred |");
    expect(markdown).toContain(
      "| ➕ add | `SHOP_ONLINE` | https\\://shop.example.com/a\\_b\\*c\\|d | yes |",
    );
    expect(markdown).toContain("https\\://shop.example.com/&lt;gifts&gt;");
    expect(markdown).not.toContain("<gifts>");
  });

  test("--format github adds an error annotation per skipped store", () => {
    expect(renderAccept("github", REPORT)).toMatch(
      /::error title=partoo-links accept::lille-01: stores\/lille-01.yaml is invalid/,
    );
  });
});
