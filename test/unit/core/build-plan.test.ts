import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { planHasChanges } from "../../../src/core/plan.js";
import { buildLivePlan, buildOfflinePlan } from "../../../src/core/build-plan.js";
import { selectStoresToPush } from "../../../src/core/select.js";
import { schemaPath } from "../../../src/package-info.js";
import { fleetLivePlan, fleetOfflinePlan, fleetState } from "./fleet-fixture.js";
import { show } from "./plan-fixtures.js";

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync(schemaPath("plan.schema.json"), "utf8")),
);

describe("the offline plan", () => {
  const plan = fleetOfflinePlan();

  test("lists the stores to push with the changes the files imply", () => {
    expect(
      plan.stores.map((store) => ({
        code: store.code,
        reason: store.reason,
        changes: store.changes.map(show),
      })),
    ).toEqual([
      {
        code: "bordeaux-06",
        reason: "file-changed",
        changes: ["delete FOOD_TAKEOUT https://shop.example.com/c #9"],
      },
      // Its last apply failed: listed without link changes, apply reconciles it against live.
      { code: "lille-04", reason: "last-apply-failed", changes: [] },
      {
        code: "lyon-02",
        reason: "never-applied",
        changes: ["create SHOP_ONLINE https://shop.example.com/a*"],
      },
      {
        code: "paris-01",
        reason: "file-changed",
        changes: [
          "update SHOP_ONLINE https://shop.example.com/a #1",
          "update SHOP_ONLINE https://shop.example.com/b* #2",
          "create SHOP_ONLINE https://shop.example.com/c",
        ],
      },
    ]);
  });

  test("says that a deleted store file makes its store unmanaged", () => {
    expect(plan.removedStores).toEqual([
      {
        code: "old-05",
        address: "c-old-05",
        pruned: false,
        managedTypes: ["FOOD_TAKEOUT", "SHOP_ONLINE"],
      },
    ]);
  });

  test("counts the changes and the unchanged stores", () => {
    expect(plan.summary).toEqual({
      storesToChange: 4,
      create: 2,
      update: 2,
      delete: 1,
      unchanged: 1,
      removed: 1,
      failed: 0,
      drift: 0,
    });
    expect(planHasChanges(plan)).toBe(true);
  });

  test("with pruning, clears the managed types of a deleted store file", () => {
    const pruned = fleetOfflinePlan(true);
    expect(pruned.stores.find((store) => store.code === "old-05")?.changes.map(show)).toEqual([
      "delete FOOD_TAKEOUT https://shop.example.com/b #7",
      "delete SHOP_ONLINE https://shop.example.com/a #6",
    ]);
    expect(pruned.removedStores[0]?.pruned).toBe(true);
    expect(pruned.summary.unchanged).toBe(1);
  });

  test("is valid against the plan schema", () => {
    expect(validate(JSON.parse(JSON.stringify(plan)))).toBe(true);
    expect(validate(JSON.parse(JSON.stringify(fleetOfflinePlan(true))))).toBe(true);
  });

  test("of an unchanged fleet has no changes", () => {
    const state = { version: 2 as const, stores: { "nice-03": fleetState.stores["nice-03"]! } };
    const entries = [{ code: "nice-03", hash: state.stores["nice-03"].hash! }];
    const empty = buildOfflinePlan({
      state,
      selection: selectStoresToPush(entries, state),
      desired: new Map(),
    });
    expect(empty.stores).toEqual([]);
    expect(empty.summary.unchanged).toBe(1);
    expect(planHasChanges(empty)).toBe(false);
  });
});

describe("the live plan", () => {
  const plan = fleetLivePlan();

  test("gives the exact operations, with their origin", () => {
    expect(
      Object.fromEntries(plan.stores.map((store) => [store.code, store.changes.map(show)])),
    ).toEqual({
      "bordeaux-06": ["delete FOOD_TAKEOUT https://shop.example.com/c #9 pending"],
      "lyon-02": [
        "delete FOOD_TAKEOUT https://shop.example.com/d #32 pending",
        "update SHOP_ONLINE https://shop.example.com/a #30 was https://shop.example.com/b pending",
      ],
      "paris-01": [
        "update SHOP_ONLINE https://shop.example.com/a #1 pending",
        "update SHOP_ONLINE https://shop.example.com/b* #2 pending",
        "create SHOP_ONLINE https://shop.example.com/c pending",
        "delete SHOP_ONLINE https://shop.example.com/b #20 duplicate drift",
      ],
    });
  });

  test("carries the writes, the unmanaged types and the warnings", () => {
    const paris = plan.stores.find((store) => store.code === "paris-01")!;
    expect(paris.writes).toEqual([
      {
        type: "SHOP_ONLINE",
        urls: [
          { id: 1, value: "https://shop.example.com/a", is_preferred: false },
          { id: 2, value: "https://shop.example.com/b", is_preferred: true },
          { value: "https://shop.example.com/c", is_preferred: false },
        ],
      },
    ]);
    expect(paris.unmanagedTypes).toEqual(["FOOD_DELIVERY"]);
    const lyon = plan.stores.find((store) => store.code === "lyon-02")!;
    expect(lyon.warnings).toEqual([expect.stringContaining("is kept not preferred")]);
  });

  test("lists the non-editable links kept in the managed types", () => {
    const lyon = plan.stores.find((store) => store.code === "lyon-02")!;
    expect(lyon.notEditable).toEqual([
      { type: "SHOP_ONLINE", url: "https://shop.example.com/c", preferred: true, id: 31 },
    ]);
    expect(plan.stores.find((store) => store.code === "paris-01")!.notEditable).toBeUndefined();
  });

  test("lists stores that could not be read, and counts drift", () => {
    expect(plan.failedStores.map((failure) => failure.code)).toEqual(["lille-04"]);
    expect(plan.summary).toMatchObject({ storesToChange: 3, failed: 1, unchanged: 1, drift: 1 });
    expect(planHasChanges(plan)).toBe(true);
  });

  test("leaves out a store whose live links already match", () => {
    const state = { version: 2 as const, stores: {} };
    const store = {
      code: "x",
      links: { SHOP_ONLINE: [{ url: "https://x.example/1", preferred: false }] },
    };
    const plan = buildLivePlan({
      state,
      selection: selectStoresToPush([{ code: "x", hash: "h" }], state),
      desired: new Map([["x", store]]),
      live: new Map([
        [
          "x",
          {
            SHOP_ONLINE: [{ id: 1, url: "https://x.example/1", preferred: false, editable: true }],
          },
        ],
      ]),
    });
    expect(plan.stores).toEqual([]);
    expect(plan.summary.unchanged).toBe(1);
    expect(planHasChanges(plan)).toBe(false);
  });

  test("is valid against the plan schema", () => {
    expect(validate(JSON.parse(JSON.stringify(plan)))).toBe(true);
    expect(validate.errors ?? null).toBeNull();
  });
});
