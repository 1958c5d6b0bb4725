import { renderPlanJson } from "../../../../src/core/render/json.js";
import { escapeText, renderPlanMarkdown } from "../../../../src/core/render/markdown.js";
import { renderPlanText } from "../../../../src/core/render/text.js";
import { summaryLine } from "../../../../src/core/render/describe.js";
import type { Plan, StorePlan } from "../../../../src/core/plan.js";
import { fleetLivePlan, fleetOfflinePlan } from "../fleet-fixture.js";

/** A plan of `count` stores, each with three changes, for folding and cutting. */
function bigPlan(count: number): Plan {
  const stores: StorePlan[] = Array.from({ length: count }, (_, index) => ({
    code: `store-${String(index).padStart(5, "0")}`,
    address: `c-store-${index}`,
    reason: "file-changed",
    changes: [
      {
        type: "SHOP_ONLINE",
        op: "create",
        url: `https://shop.example.com/${index}/new`,
        preferred: true,
      },
      {
        type: "SHOP_ONLINE",
        op: "update",
        url: `https://shop.example.com/${index}/old`,
        preferred: false,
        wasPreferred: true,
        id: index,
      },
      {
        type: "FOOD_TAKEOUT",
        op: "delete",
        url: `https://food.example.com/${index}`,
        preferred: false,
        id: index + 1,
      },
    ],
    warnings: [],
  }));
  return {
    mode: "offline",
    stores,
    removedStores: [],
    failedStores: [],
    warnings: [],
    summary: {
      storesToChange: count,
      create: count,
      update: count,
      delete: count,
      unchanged: 10,
      removed: 0,
      failed: 0,
      drift: 0,
    },
  };
}

describe("the summary line", () => {
  test("reads like Terraform's", () => {
    const plan = bigPlan(3);
    const summary = { ...plan.summary, create: 4, update: 1, delete: 2, unchanged: 27 };
    expect(summaryLine({ ...plan, summary })).toBe(
      "Plan: 3 stores to change: 4 links to create, 1 to update, 2 to delete; 27 unchanged.",
    );
  });

  test("says when there is nothing to do", () => {
    expect(summaryLine(bigPlan(0))).toBe("Plan: no changes; 10 unchanged.");
  });
});

describe("the text rendering", () => {
  test("of an offline plan", () => {
    expect(renderPlanText(fleetOfflinePlan())).toMatchSnapshot();
  });

  test("of a live plan with pruning, failures, drift and warnings", () => {
    expect(renderPlanText(fleetLivePlan(true))).toMatchSnapshot();
  });

  test("is coloured only when told", () => {
    const plain = renderPlanText(fleetLivePlan());
    const coloured = renderPlanText(fleetLivePlan(), { color: true });
    const ESC = "\u001b";
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(`${ESC}[32m+${ESC}[39m https://shop.example.com/c`);
    expect(
      coloured
        .split(ESC)
        .map((part, index) => (index === 0 ? part : part.replace(/^\[\d+m/, "")))
        .join(""),
    ).toBe(plain);
  });
});

describe("the Markdown rendering", () => {
  test("of a live plan: a table per store", () => {
    expect(renderPlanMarkdown(fleetLivePlan())).toMatchSnapshot();
  });

  test("of an offline plan says it is offline", () => {
    expect(renderPlanMarkdown(fleetOfflinePlan())).toMatch(/^> Offline plan\\: /m);
  });

  test("folds each store in <details> when the plan is long", () => {
    const markdown = renderPlanMarkdown(bigPlan(6));
    expect(markdown.match(/<details>/g)).toHaveLength(6);
    expect(markdown).toContain(
      "<details><summary><b>store-00000</b> (c-store-0): file changed: 1 to create, 1 to update, 1 to delete</summary>",
    );
    expect(renderPlanMarkdown(bigPlan(2))).not.toContain("<details>");
  });

  test("stays under GitHub's comment limit and says what it cut", () => {
    const markdown = renderPlanMarkdown(bigPlan(2000));
    expect(markdown.length).toBeLessThanOrEqual(60_000);
    expect(markdown).toMatch(/\*\*Cut here:\*\* \d+ more stores \(\d+ changes\) not shown/);
    const shown = markdown.match(/<details>/g)!.length;
    expect(markdown).toContain(`${2000 - shown} more stores (${(2000 - shown) * 3} changes)`);
    expect(markdown.trimEnd().endsWith("for the full plan.")).toBe(true);
  });

  test("is not cut when it fits", () => {
    const markdown = renderPlanMarkdown(bigPlan(20));
    expect(markdown).not.toContain("Cut here");
    expect(renderPlanMarkdown(bigPlan(20), { maxLength: 2_000 })).toContain("Cut here");
  });

  test("renders URLs literally, even with Markdown or HTML in them, and not as links", () => {
    expect(escapeText("https://x.example/a|b<script>_c_*d*")).toBe(
      "https\\://x.example/a\\|b&lt;script&gt;\\_c\\_\\*d\\*",
    );
  });
});

describe("what the merge keeps and what the last drift found", () => {
  const keeping: StorePlan = {
    code: "lyon-02",
    address: "c-lyon-02",
    reason: "file-changed",
    changes: [
      {
        type: "SHOP_ONLINE",
        op: "update",
        url: "https://shop.example.net/lyon",
        fromUrl: "https://shop.example.com/lyon",
        preferred: true,
        wasPreferred: true,
        id: 4,
      },
    ],
    notEditable: [
      { type: "SHOP_ONLINE", url: "https://partner.example.com/lyon", preferred: false, id: 9 },
    ],
    warnings: [],
  };
  const plan: Plan = { ...bigPlan(0), mode: "live", stores: [keeping] };

  test("the text plan shows the non-editable links a managed type keeps", () => {
    expect(renderPlanText(plan)).toContain(
      "    kept, not editable (owned by someone else; Google shows them too): SHOP_ONLINE https://partner.example.com/lyon\n",
    );
  });

  test("the Markdown plan shows them too", () => {
    expect(renderPlanMarkdown(plan)).toContain(
      "Kept, not editable \\(owned by someone else; Google shows them too\\): `SHOP_ONLINE` https\\://partner.example.com/lyon",
    );
  });

  test("a changed URL reads as the old one becoming the new one, the preferred flag kept", () => {
    expect(renderPlanText(plan)).toContain(
      "~ https://shop.example.com/lyon → https://shop.example.net/lyon (preferred) (id 4)",
    );
    expect(renderPlanMarkdown(plan)).toContain(
      "| ✏️ update | `SHOP_ONLINE` | https\\://shop.example.com/lyon → https\\://shop.example.net/lyon | yes |",
    );
  });

  test("both plans give one line about the stores the last drift found drifted", () => {
    const drifted: Plan = { ...plan, driftedStores: ["a-1", "b-2"] };
    const hint =
      "2 stores drifted since the last apply (a-1, b-2): run apply --repair to restore the files' links, or accept --drifted to keep live's";
    expect(renderPlanText(drifted)).toContain(`! ${hint}\n`);
    expect(renderPlanMarkdown(drifted)).toContain(`> ℹ️ ${escapeText(hint)}\n`);
    expect(renderPlanText(plan)).not.toContain("drifted since");
  });
});

describe("the JSON rendering", () => {
  test("is the plan object itself", () => {
    const plan = fleetLivePlan();
    expect(JSON.parse(renderPlanJson(plan))).toEqual(JSON.parse(JSON.stringify(plan)));
  });
});
