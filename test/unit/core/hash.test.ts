import {
  canonicalDesiredStore,
  desiredFromRecord,
  hashDesiredStore,
} from "../../../src/core/hash.js";
import { A, B, applied, recordOf, store, want } from "./plan-fixtures.js";

describe("the desired store hash", () => {
  test("is a sha256 hex digest", () => {
    expect(hashDesiredStore(store({ SHOP_ONLINE: want(A) }))).toMatch(/^[0-9a-f]{64}$/);
  });

  test("does not depend on the order of the types", () => {
    const one = store({ SHOP_ONLINE: want(A), FOOD_TAKEOUT: want(B) });
    const two = store({ FOOD_TAKEOUT: want(B), SHOP_ONLINE: want(A) });
    expect(hashDesiredStore(one)).toBe(hashDesiredStore(two));
  });

  test("changes with the order of the links, a preferred flag, a type or the business id", () => {
    const base = hashDesiredStore(store({ SHOP_ONLINE: want(A, B) }));
    const others = [
      store({ SHOP_ONLINE: want(B, A) }),
      store({ SHOP_ONLINE: want(`${A}*`, B) }),
      store({ SHOP_ONLINE: want(A, B), FOOD_TAKEOUT: [] }),
      store({ SHOP_ONLINE: want(A, B) }, { businessId: "abc" }),
      store({ SHOP_ONLINE: want(A, B) }, { code: "lyon-02" }),
    ];
    for (const other of others) expect(hashDesiredStore(other)).not.toBe(base);
  });

  test("the canonical form sorts types and keeps only url and preferred", () => {
    const messy = {
      code: "paris-01",
      links: { Z_TYPE: [{ url: A, preferred: true, extra: 1 }], A_TYPE: [] },
    };
    const canonical = canonicalDesiredStore(messy);
    expect(JSON.stringify(canonical)).toBe(
      `{"code":"paris-01","links":{"A_TYPE":[],"Z_TYPE":[{"url":"${A}","preferred":true}]}}`,
    );
  });
});

describe("the desired store rebuilt from a state record", () => {
  test("is the store that was applied when the record hashes to it", () => {
    const desired = store({ SHOP_ONLINE: want(`${A}*`, B) }, { businessId: "abc" });
    const record = recordOf(desired, { SHOP_ONLINE: applied(`1:${A}*`, `2:${B}`) });
    expect(desiredFromRecord("paris-01", record)).toEqual(desired);
  });

  test("is unknown when the record's links do not hash to its hash", () => {
    const desired = store({ SHOP_ONLINE: want(`${A}*`, B) });
    const record = recordOf(desired, { SHOP_ONLINE: applied(`1:${A}*`) });
    expect(desiredFromRecord("paris-01", record)).toBeUndefined();
    expect(desiredFromRecord("paris-01", { address: "c-paris-01" })).toBeUndefined();
  });
});
