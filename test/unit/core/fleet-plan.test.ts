import { buildLivePlan, buildOfflinePlan } from "../../../src/core/build-plan.js";
import { hashDesiredStore } from "../../../src/core/hash.js";
import type { DesiredStore, StateDocument } from "../../../src/core/model.js";
import { selectStoresToPush } from "../../../src/core/select.js";
import { renderPlanText } from "../../../src/core/render/text.js";
import { renderPlanMarkdown } from "../../../src/core/render/markdown.js";
import { applied, recordOf, want } from "./plan-fixtures.js";

const ORDER = "FOOD_ORDERING";
const SHOP = "SHOP_ONLINE";
const SOURCE = "partoo-links.yaml:4";

/** A store that inherits FOOD_ORDERING from line 4 and has a SHOP_ONLINE link of its own. */
function inheriting(code: string, domain: string): DesiredStore {
  return {
    code,
    links: {
      [ORDER]: want(`https://${domain}/${code}*`),
      [SHOP]: want(`https://shop.example.com/${code}`),
    },
    origins: { [ORDER]: SOURCE },
  };
}

/** `count` stores applied with the old ordering domain, their files now on the new one. */
function templateEdit(count: number) {
  const codes = Array.from({ length: count }, (_, index) => `s-${String(index).padStart(4, "0")}`);
  const state: StateDocument = {
    version: 2,
    stores: Object.fromEntries(
      codes.map((code, index) => [
        code,
        recordOf(inheriting(code, "old.example.com"), {
          [ORDER]: applied(`${index * 2 + 1}:https://old.example.com/${code}*`),
          [SHOP]: applied(`${index * 2 + 2}:https://shop.example.com/${code}`),
        }),
      ]),
    ),
  };
  const desired = new Map(codes.map((code) => [code, inheriting(code, "new.example.com")]));
  const entries = [...desired.values()].map((store) => ({
    code: store.code,
    hash: hashDesiredStore(store),
  }));
  return { codes, state, desired, selection: selectStoresToPush(entries, state, {}) };
}

describe("plans of a fleet file's template edit", () => {
  test("every change of an inherited type says which fleet file line it comes from", () => {
    const plan = buildOfflinePlan(templateEdit(2));
    const changes = plan.stores.flatMap((store) => store.changes);
    expect(changes.map((change) => [change.op, change.type, change.source])).toEqual([
      // A domain change is an update in place of each store's link (issue 19 item 5).
      ["update", ORDER, SOURCE],
      ["update", ORDER, SOURCE],
    ]);
  });

  test("a change of a type the store lists itself has no source", () => {
    const edit = templateEdit(1);
    const own: DesiredStore = {
      ...inheriting("s-0000", "old.example.com"),
      links: { ...inheriting("s-0000", "old.example.com").links, [SHOP]: [] },
    };
    const plan = buildOfflinePlan({ ...edit, desired: new Map([["s-0000", own]]) });
    expect(plan.stores[0]!.changes).toEqual([
      expect.not.objectContaining({ source: expect.anything() }),
    ]);
    expect(plan.stores[0]!.changes[0]!.type).toBe(SHOP);
  });

  test("the live plan sets the source too", () => {
    const edit = templateEdit(1);
    const live = new Map([
      [
        "s-0000",
        {
          [ORDER]: [
            { id: 1, url: "https://old.example.com/s-0000", preferred: true, editable: true },
          ],
          [SHOP]: [
            { id: 2, url: "https://shop.example.com/s-0000", preferred: false, editable: true },
          ],
        },
      ],
    ]);
    const plan = buildLivePlan({ ...edit, live });
    expect(plan.stores[0]!.changes.map((change) => change.source)).toEqual([SOURCE]);
  });

  test("the text plan says (from partoo-links.yaml:4) after each inherited change", () => {
    const text = renderPlanText(buildOfflinePlan(templateEdit(1)));
    expect(text).toContain(
      `~ https://old.example.com/s-0000 → https://new.example.com/s-0000 (preferred) (from ${SOURCE})`,
    );
  });

  test("the Markdown plan shows a template edit as one line, examples and every store folded", () => {
    const markdown = renderPlanMarkdown(buildOfflinePlan(templateEdit(221)));
    expect(markdown).toContain(
      "- `FOOD_ORDERING` from partoo-links.yaml\\:4: 221 stores, 221 updated",
    );
    expect(markdown).toContain(
      "  - `s-0000`: ✏️ https\\://old.example.com/s-0000 → https\\://new.example.com/s-0000",
    );
    expect(markdown).toContain(
      "<details><summary>All 221 stores of partoo-links.yaml&#58;4</summary>",
    );
    expect(markdown).toContain("s-0220");
    // The stores that only the template changes get no table of their own.
    expect(markdown).not.toContain("<b>s-0001</b>");
  });

  test("a fleet-wide edit of 10,000 stores stays under the comment limit, the list cut with a count", () => {
    const markdown = renderPlanMarkdown(buildOfflinePlan(templateEdit(10_000)));
    expect(markdown.length).toBeLessThan(60_000);
    expect(markdown).toContain("10000 stores, 10000 updated");
    expect(markdown).toMatch(/, and \d+ more stores\n/);
  });
});
