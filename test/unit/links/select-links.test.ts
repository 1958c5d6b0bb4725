import { emptyState, type DesiredStore, type StateDocument } from "../../../src/core/model.js";
import { selectLinksToCheck } from "../../../src/links/select-links.js";

const paris: DesiredStore = {
  code: "paris-01",
  links: {
    SHOP_ONLINE: [
      { url: "https://shop.example.com/paris-01", preferred: true },
      { url: "https://shop.example.com/paris-01/new", preferred: false },
    ],
    FOOD_ORDERING: [{ url: "https://order.example.com/paris-01", preferred: false }],
  },
};
const lyon: DesiredStore = {
  code: "lyon-01",
  links: { SHOP_ONLINE: [{ url: "https://shop.example.com/lyon-01", preferred: false }] },
};

const applied: StateDocument = {
  version: 2,
  stores: {
    "paris-01": {
      address: "c-paris-01",
      hash: "h",
      links: {
        SHOP_ONLINE: [{ id: 1, url: "https://SHOP.example.com/paris-01", preferred: true }],
        // Applied in another type: moving a URL between types does not change where it leads.
        FOOD_DELIVERY: [{ id: 2, url: "https://order.example.com/paris-01", preferred: false }],
      },
    },
  },
};

describe("which links a check fetches", () => {
  test("the URLs the last-applied record of the store does not hold, in any type", () => {
    expect(selectLinksToCheck([paris, lyon], applied)).toEqual([
      {
        code: "paris-01",
        type: "SHOP_ONLINE",
        index: 1,
        url: "https://shop.example.com/paris-01/new",
      },
      { code: "lyon-01", type: "SHOP_ONLINE", index: 0, url: "https://shop.example.com/lyon-01" },
    ]);
  });

  test("every URL of a store never applied, and every URL of every store without a state (=all)", () => {
    expect(selectLinksToCheck([paris], emptyState())).toHaveLength(3);
    expect(selectLinksToCheck([paris, lyon], undefined)).toHaveLength(4);
  });
});
