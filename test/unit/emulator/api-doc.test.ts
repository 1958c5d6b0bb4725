import { bodyList, statusFilter } from "../../../src/emulator/api-doc.js";
import { normalizeLikeServer } from "../../../src/emulator/normalize-url.js";
import { EmulatorStore } from "../../../src/emulator/store.js";
import { parseSeed } from "../../../src/emulator/seed.js";
import { seed, seedBusiness } from "../../helpers/emulator.js";

describe("the emulator reads partoo-api.md on its own", () => {
  test("status is one comma-separated value, open by default, a repeated one read by its first value", () => {
    expect(statusFilter(new URLSearchParams(""))).toEqual(["open"]);
    expect(statusFilter(new URLSearchParams("status=open,closed"))).toEqual(["open", "closed"]);
    expect(statusFilter(new URLSearchParams("status=closed&status=open"))).toEqual(["closed"]);
  });

  test("a POST body has exactly one shape", () => {
    const list = [{ gmb_id: "SHOP_ONLINE", urls: [] }];
    expect(bodyList(list, "array")).toBe(list);
    expect(bodyList({ place_action_links: list }, "array")).toBeUndefined();
    expect(bodyList({ place_action_links: list }, "wrapped")).toBe(list);
    expect(bodyList(list, "wrapped")).toBeUndefined();
    expect(bodyList(JSON.parse('{"__proto__": []}'), "wrapped")).toBeUndefined();
  });

  test.each([
    ["https://Shop.Example.com/a/", "https://shop.example.com/a"],
    ["https://shop.example.com:443/a", "https://shop.example.com/a"],
    ["https://shop.example.com/caf%c3%a9", "https://shop.example.com/caf%C3%A9"],
    ["https://shop.example.com/cafe\u0301", "https://shop.example.com/caf%C3%A9"],
    ["https://shop.example.com/", "https://shop.example.com/"],
  ])("a normalizing server stores %s as %s", (sent, stored) => {
    expect(normalizeLikeServer(sent)).toBe(stored);
  });

  test("a business can be made to refuse a type with one of Google's codes", () => {
    const store = new EmulatorStore(seed(seedBusiness("lyon-02")));
    const body = [
      { gmb_id: "FOOD_DELIVERY", urls: [{ value: "https://o.example/x", is_preferred: false }] },
    ];
    store.refuseType("c-lyon-02", "FOOD_DELIVERY", "INVALID_LOCATION_CATEGORY");
    expect(store.applyWrite("c-lyon-02", body)).toEqual([
      {
        path: [0, "gmb_id"],
        message:
          "INVALID_LOCATION_CATEGORY: Google refused the place action type FOOD_DELIVERY for this location.",
      },
    ]);
    expect(store.links("c-lyon-02")).toEqual([]);
    // Clearing a refused type is no link to refuse.
    expect(store.applyWrite("c-lyon-02", [{ gmb_id: "FOOD_DELIVERY", urls: [] }])).toEqual([]);
    store.refuseType("c-lyon-02", "FOOD_DELIVERY", undefined);
    expect(store.applyWrite("c-lyon-02", body)).toEqual([]);
  });

  test("the seed's google_refusals names Google's codes only", () => {
    const refusing = seedBusiness(
      "lyon-02",
      {},
      { google_refusals: { FOOD_DELIVERY: "TOO_MANY_VALUES" } },
    );
    expect(parseSeed(seed(refusing)).businesses[0]?.google_refusals).toEqual({
      FOOD_DELIVERY: "TOO_MANY_VALUES",
    });
    const wrong = seedBusiness("lyon-02", {}, { google_refusals: { FOOD_DELIVERY: "NOPE" } });
    expect(() => parseSeed(seed(wrong))).toThrow(
      /google_refusals\.FOOD_DELIVERY: expected one of INVALID_URL/,
    );
  });
});
