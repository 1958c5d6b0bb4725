import { groupFleetChanges } from "../../../../src/core/render/fleet-groups.js";
import type { Plan, PlanChange, StorePlan } from "../../../../src/core/plan.js";

function store(code: string, changes: PlanChange[], warnings: string[] = []): StorePlan {
  return { code, address: `c-${code}`, reason: "file-changed", changes, warnings };
}

function templateChange(code: string): PlanChange[] {
  return [
    {
      type: "FOOD_ORDERING",
      op: "create",
      url: `https://new.example.com/${code}`,
      preferred: true,
      source: "partoo-links.yaml:4",
    },
    {
      type: "FOOD_ORDERING",
      op: "delete",
      url: `https://old.example.com/${code}`,
      preferred: true,
      source: "partoo-links.yaml:4",
    },
  ];
}

function plan(stores: StorePlan[]): Plan {
  return {
    mode: "offline",
    stores,
    removedStores: [],
    failedStores: [],
    warnings: [],
    summary: {
      storesToChange: stores.length,
      create: 0,
      update: 0,
      delete: 0,
      unchanged: 0,
      removed: 0,
      failed: 0,
      drift: 0,
    },
  };
}

describe("grouping a plan's fleet-file changes", () => {
  const own: PlanChange = {
    type: "SHOP_ONLINE",
    op: "create",
    url: "https://shop.example.com/c",
    preferred: false,
  };
  const grouped = groupFleetChanges(
    plan([
      store("a", templateChange("a")),
      store("b", templateChange("b")),
      store("c", [...templateChange("c"), own]),
      store("d", templateChange("d"), ["a warning"]),
    ]),
  );

  it("makes one group per fleet file line and type, with counts", () => {
    expect(grouped.groups).toHaveLength(1);
    expect(grouped.groups[0]).toMatchObject({
      source: "partoo-links.yaml:4",
      type: "FOOD_ORDERING",
      counts: { create: 4, update: 0, delete: 4 },
    });
    expect(grouped.groups[0]?.stores.map((entry) => entry.code)).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps store by store only what is left to say", () => {
    expect(grouped.stores.map((entry) => [entry.code, entry.changes.length])).toEqual([
      ["c", 1],
      ["d", 0],
    ]);
  });

  it("leaves a template change of fewer stores than the threshold in their tables", () => {
    const few = groupFleetChanges(
      plan([store("a", templateChange("a")), store("b", templateChange("b"))]),
    );
    expect(few.groups).toEqual([]);
    expect(few.stores.map((entry) => entry.changes.length)).toEqual([2, 2]);
  });
});
