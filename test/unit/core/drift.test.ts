import {
  chooseStoresToCheck,
  driftCheckRecords,
  isDriftChange,
  storeHasDrift,
} from "../../../src/core/drift.js";
import type { StateDocument } from "../../../src/core/model.js";
import type { Plan, PlanChange, StorePlan } from "../../../src/core/plan.js";

const change = (origin?: PlanChange["origin"]): PlanChange => ({
  type: "SHOP_ONLINE",
  op: "create",
  url: "https://shop.example.com/a",
  preferred: false,
  ...(origin === undefined ? {} : { origin }),
});
const storePlan = (code: string, ...changes: PlanChange[]): StorePlan => ({
  code,
  address: `c-${code}`,
  reason: "refresh",
  changes,
  warnings: [],
});

describe("the drift predicate", () => {
  test("a change from drift, or from drift and the file at once, is drift; pending is not", () => {
    expect(
      [change("drift"), change("both"), change("pending"), change()].map(isDriftChange),
    ).toEqual([true, true, false, false]);
    expect(storeHasDrift(storePlan("a", change("pending"), change("both")))).toBe(true);
    expect(storeHasDrift(storePlan("a", change("pending")))).toBe(false);
  });
});

describe("choosing the stores to check", () => {
  const state: StateDocument = {
    version: 2,
    stores: {
      a: { address: "c-a", drift: { checkedAt: "2026-01-03T00:00:00Z", drifted: false } },
      b: { address: "c-b", drift: { checkedAt: "2026-01-01T00:00:00Z", drifted: false } },
      c: { address: "c-c" },
    },
  };
  test("every store, sorted by code, without a sample or with a sample past the fleet", () => {
    expect(chooseStoresToCheck(["c", "a", "b"], state, undefined)).toEqual(["a", "b", "c"]);
    expect(chooseStoresToCheck(["c", "a", "b"], state, 5)).toEqual(["a", "b", "c"]);
  });
  test("a sample takes the never checked first, then those checked longest ago", () => {
    expect(chooseStoresToCheck(["a", "b", "c", "d"], state, 2)).toEqual(["c", "d"]);
    expect(chooseStoresToCheck(["a", "b", "c"], state, 2)).toEqual(["b", "c"]);
    expect(chooseStoresToCheck(["a", "b"], state, 1)).toEqual(["b"]);
  });
  test("a code named like an object property is only a code", () => {
    expect(chooseStoresToCheck(["constructor", "a"], state, 1)).toEqual(["constructor"]);
  });
});

describe("the records of a drift check", () => {
  test("mark each applied store read live as drifted or not, at the time given", () => {
    const now = new Date("2026-02-01T00:00:00Z");
    const state: StateDocument = {
      version: 2,
      stores: {
        a: { address: "c-a", hash: "h" },
        b: { address: "c-b", hash: "h" },
        never: { address: "c-never" },
      },
    };
    const plan = { stores: [storePlan("a", change("drift")), storePlan("b", change("pending"))] };
    const records = driftCheckRecords(state, plan as unknown as Plan, ["a", "b", "never"], now);
    expect(records).toEqual({
      a: { address: "c-a", hash: "h", drift: { checkedAt: now.toISOString(), drifted: true } },
      b: { address: "c-b", hash: "h", drift: { checkedAt: now.toISOString(), drifted: false } },
    });
  });
});
