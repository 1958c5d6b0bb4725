import { hashDesiredStore } from "../../../src/core/hash.js";
import {
  recordAfterApply,
  recordAfterFailure,
  recordDriftCheck,
} from "../../../src/core/record.js";
import { planStoreOffline } from "../../../src/core/diff-offline.js";
import { A, B, C, applied, live, recordOf, store, want } from "./plan-fixtures.js";

const now = new Date("2024-06-01T12:00:00.000Z");

describe("the record of a confirmed apply", () => {
  test("holds the desired hash, the file hash, the commit, the time and every link's live id", () => {
    const desired = store({ SHOP_ONLINE: want(`${A}*`, B), FOOD_TAKEOUT: [] });
    const record = recordAfterApply({
      desired,
      live: { SHOP_ONLINE: live(`11:${B}`, `10:${A}*`), FOOD_DELIVERY: live(`12:${C}`) },
      fileHash: "f".repeat(64),
      commit: "abc123",
      now,
    });
    expect(record).toEqual({
      address: "c-paris-01",
      hash: hashDesiredStore(desired),
      fileHash: "f".repeat(64),
      links: { SHOP_ONLINE: applied(`10:${A}*`, `11:${B}`), FOOD_TAKEOUT: [] },
      commit: "abc123",
      appliedAt: "2024-06-01T12:00:00.000Z",
      lastAttempt: { status: "ok", at: "2024-06-01T12:00:00.000Z" },
    });
  });

  test("keeps the file's preferred flags where a non-editable link overrides them", () => {
    const desired = store({ SHOP_ONLINE: want(`${A}*`) });
    const record = recordAfterApply({
      desired,
      live: { SHOP_ONLINE: live(`5:${C}*!`, `10:${A}`) },
      now,
    });
    expect(record.links).toEqual({ SHOP_ONLINE: applied(`10:${A}*`) });
    // So the next offline plan sees no change for an unchanged file.
    expect(planStoreOffline(desired, record).changes).toEqual([]);
  });

  test("records the id of a non-editable link that holds a desired URL", () => {
    const record = recordAfterApply({
      desired: store({ SHOP_ONLINE: want(A) }),
      live: { SHOP_ONLINE: live(`5:${A}!`) },
      now,
    });
    expect(record.links).toEqual({ SHOP_ONLINE: applied(`5:${A}`) });
  });

  test("refuses live links that do not match the file yet", () => {
    expect(() =>
      recordAfterApply({ desired: store({ SHOP_ONLINE: want(A) }), live: {}, now }),
    ).toThrow(/live does not match the file yet/);
  });

  test("refuses live links that still hold a type the file no longer manages", () => {
    const before = store({ SHOP_ONLINE: want(A), FOOD_TAKEOUT: want(B) });
    const previous = recordOf(before, {
      SHOP_ONLINE: applied(`1:${A}`),
      FOOD_TAKEOUT: applied(`2:${B}`),
    });
    const desired = store({ SHOP_ONLINE: want(A) });
    const stale = { SHOP_ONLINE: live(`1:${A}`), FOOD_TAKEOUT: live(`2:${B}`) };
    expect(() => recordAfterApply({ desired, previous, live: stale, now })).toThrow();
    const cleared = recordAfterApply({
      desired,
      previous,
      live: { SHOP_ONLINE: live(`1:${A}`) },
      now,
    });
    expect(Object.keys(cleared.links!)).toEqual(["SHOP_ONLINE"]);
  });
});

describe("the record of a failed attempt", () => {
  const failure = {
    address: "c-paris-01",
    errorClass: "PartooHttpError:400",
    message: "INVALID_URL",
    now,
  };

  test("keeps the last confirmed apply and marks the attempt failed", () => {
    const desired = store({ SHOP_ONLINE: want(A) });
    const previous = recordOf(desired, { SHOP_ONLINE: applied(`1:${A}`) });
    expect(recordAfterFailure(previous, failure)).toEqual({
      ...previous,
      lastAttempt: {
        status: "failed",
        at: "2024-06-01T12:00:00.000Z",
        errorClass: "PartooHttpError:400",
        message: "INVALID_URL",
      },
    });
  });

  test("of a store never applied holds only its address and the attempt", () => {
    expect(recordAfterFailure(undefined, failure)).toEqual({
      address: "c-paris-01",
      lastAttempt: expect.objectContaining({ status: "failed" }),
    });
  });
});

test("a drift check records its outcome and time", () => {
  expect(recordDriftCheck({ address: "c-x" }, true, now)).toEqual({
    address: "c-x",
    drift: { checkedAt: "2024-06-01T12:00:00.000Z", drifted: true },
  });
});
