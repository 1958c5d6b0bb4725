import { planStoreOffline } from "../../../src/core/diff-offline.js";
import type { DesiredStore, StoreRecord } from "../../../src/core/model.js";
import { A, B, C, applied, recordOf, show, store, want } from "./plan-fixtures.js";

const S = "SHOP_ONLINE";
const T = "FOOD_TAKEOUT";
const O = "FOOD_ORDERING";
const NEW_A = A.replace("shop.example.com", "shop.example.net");
const NEW_B = B.replace("shop.example.com", "shop.example.net");

const lastApplied = store({ [S]: want(`${A}*`, B), [T]: want(C) });
const lastRecord = recordOf(lastApplied, {
  [S]: applied(`1:${A}*`, `2:${B}`),
  [T]: applied(`3:${C}`),
});

const rows: [string, DesiredStore | undefined, StoreRecord | undefined, string[]][] = [
  [
    "a store never applied: every link of the file is created",
    store({ [S]: want(`${A}*`, B), [T]: [] }),
    undefined,
    [`create ${S} ${A}*`, `create ${S} ${B}`],
  ],
  ["an unchanged file: no changes", lastApplied, lastRecord, []],
  [
    "links added, removed and re-preferred, by URL, with the last-applied ids",
    store({ [S]: want(A, `${B}*`, C), [T]: want(C) }),
    lastRecord,
    [`update ${S} ${A} #1`, `update ${S} ${B}* #2`, `create ${S} ${C}`],
  ],
  [
    "a type removed from the file: its last-applied links are deleted",
    store({ [S]: want(`${A}*`, B) }),
    lastRecord,
    [`delete ${T} ${C} #3`],
  ],
  [
    "a URL moved between two types: deleted from one, created in the other",
    store({ [S]: want(`${A}*`), [O]: want(B), [T]: want(C) }),
    lastRecord,
    [`create ${O} ${B}`, `delete ${S} ${B} #2`],
  ],
  [
    "a URL changed in the file: an update of the link it replaces, keeping its id",
    store({ [S]: want(`${NEW_A}*`, NEW_B), [T]: want(C) }),
    lastRecord,
    [`update ${S} ${NEW_A}* #1 was ${A}`, `update ${S} ${NEW_B} #2 was ${B}`],
  ],
  [
    "more links leave than arrive: the rest are deleted",
    store({ [S]: want(`${NEW_A}*`), [T]: want(C) }),
    lastRecord,
    [`update ${S} ${NEW_A}* #1 was ${A}`, `delete ${S} ${B} #2`],
  ],
  [
    "a deleted store file, pruned: every last-applied link is deleted",
    undefined,
    lastRecord,
    [`delete ${T} ${C} #3`, `delete ${S} ${A} #1`, `delete ${S} ${B} #2`],
  ],
  [
    "a store whose last apply failed: compared with its last confirmed apply",
    lastApplied,
    {
      ...lastRecord,
      lastAttempt: {
        status: "failed",
        at: "2024-05-02T00:00:00.000Z",
        errorClass: "E",
        message: "m",
      },
    },
    [],
  ],
  [
    "a store that now addresses another business: compared as never applied",
    store({ [S]: want(`${A}*`, B), [T]: want(C) }, { businessId: "abc123" }),
    lastRecord,
    [`create ${T} ${C}`, `create ${S} ${A}*`, `create ${S} ${B}`],
  ],
];

describe("the offline diff (desired against last-applied)", () => {
  test.each(rows)("%s", (_name, desired, record, expected) => {
    expect(planStoreOffline(desired, record).changes.map(show)).toEqual(expected);
  });

  test("it never claims an origin: live is unknown", () => {
    const diff = planStoreOffline(store({ [S]: want(C) }), lastRecord);
    expect(diff.changes.length).toBeGreaterThan(0);
    for (const change of diff.changes) expect(change.origin).toBeUndefined();
  });

  test("a type removed from the file is listed as cleared", () => {
    expect(planStoreOffline(store({ [S]: want(`${A}*`, B) }), lastRecord).clearedTypes).toEqual([
      T,
    ]);
  });

  test("a failed last apply and a changed address are explained in warnings", () => {
    const failed: StoreRecord = {
      ...lastRecord,
      lastAttempt: {
        status: "failed",
        at: "2024-05-02T00:00:00.000Z",
        errorClass: "PartooHttpError:400",
        message: "INVALID_URL",
      },
    };
    expect(planStoreOffline(lastApplied, failed).warnings).toEqual([
      "the last apply failed (2024-05-02T00:00:00.000Z): PartooHttpError:400: INVALID_URL",
    ]);
    const moved = planStoreOffline(store(lastApplied.links, { businessId: "abc123" }), lastRecord);
    expect(moved.address).toBe("abc123");
    expect(moved.warnings[0]).toMatch(/^now addressed as abc123 \(was c-paris-01/);
  });
});
