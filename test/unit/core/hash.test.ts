import {
  businessIdFromAddress,
  canonicalDesiredStore,
  hashDesiredStore,
} from "../../../src/core/hash.js";
import { businessAddress, storeAddress } from "../../../src/core/model.js";
import { A, B, store, want } from "./plan-fixtures.js";

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

describe("the c-{code} address rule", () => {
  test("a store without business_id is addressed as c-{code}, one with it by its id", () => {
    expect(businessAddress({ code: "paris-01" })).toBe("c-paris-01");
    expect(businessAddress({ code: "paris-01", businessId: "abc" })).toBe("abc");
  });

  test("an address is read back as a business id only when it is not the c-{code} of the store", () => {
    expect(businessIdFromAddress("paris-01", "c-paris-01")).toBeUndefined();
    expect(businessIdFromAddress("paris-01", "c-paris-011")).toBe("c-paris-011");
    expect(businessIdFromAddress("paris-01", "xc-paris-01")).toBe("xc-paris-01");
    expect(businessIdFromAddress("paris-01", "c-lyon-01")).toBe("c-lyon-01");
  });

  test("a store without a file is addressed as its record says, else by code", () => {
    expect(storeAddress("paris-01", undefined, { address: "abc" })).toBe("abc");
    expect(storeAddress("paris-01", undefined, undefined)).toBe("c-paris-01");
    expect(storeAddress("paris-01", { code: "paris-01" }, { address: "abc" })).toBe("c-paris-01");
  });
});
