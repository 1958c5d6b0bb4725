import {
  selectAllBusinesses,
  selectCodeBusinesses,
} from "../../../src/importer/select-businesses.js";
import { buildImportedStore, unusableCode } from "../../../src/importer/build-store.js";
import type { Business } from "../../../src/partoo/client.js";
import type { LiveLinks } from "../../../src/core/model.js";

const business = (id: string, code: string | null, name = "Shop"): Business =>
  ({ id, code, name, status: "open" }) as Business;
const NOW = new Date("2026-03-04T05:06:07Z");

describe("choosing the businesses to import", () => {
  test("--all takes each code once; shared codes are errors, missing codes notices", () => {
    const { businesses, skips } = selectAllBusinesses(
      [
        business("2", "b"),
        business("1", "a"),
        business("3", "dup"),
        business("4", "dup"),
        business("5", null),
      ],
      false,
    );
    expect(businesses.map((b) => b.code)).toEqual(["a", "b"]);
    expect(skips).toEqual([
      {
        what: "business 5 (Shop)",
        reason: expect.stringMatching(/^has no store code/),
        error: false,
      },
      {
        what: "dup",
        reason: expect.stringMatching(/^2 businesses have this code \(3, 4\)/),
        error: true,
      },
    ]);
  });

  test("--all --by-id takes every business, sorted by id", () => {
    const { businesses, skips } = selectAllBusinesses(
      [business("2", "x"), business("1", "x")],
      true,
    );
    expect(businesses.map((b) => b.id)).toEqual(["1", "2"]);
    expect(skips).toEqual([]);
  });

  test("--code needs exactly one business with exactly that code", () => {
    expect(selectCodeBusinesses("a", [business("1", "ab")], false).skips[0]!.reason).toBe(
      "no business has this code (any status)",
    );
    expect(
      selectCodeBusinesses("a", [business("1", "a"), business("2", "a")], false).skips,
    ).toHaveLength(1);
    expect(
      selectCodeBusinesses("a", [business("1", "a"), business("2", "a")], true).businesses,
    ).toHaveLength(2);
  });
});

describe("building an imported store", () => {
  const live: LiveLinks = {
    SHOP_ONLINE: [
      { id: 1, url: "https://shop.example.com/a", preferred: true, editable: true },
      { id: 2, url: "https://partner.example.net/a", preferred: false, editable: false },
    ],
  };

  test("writes the editable links and a record that matches live", () => {
    const built = buildImportedStore({
      business: business("b1", "paris-01", "Paris"),
      code: "paris-01",
      businessId: undefined,
      live,
      file: "stores/paris-01.yaml",
      now: NOW,
    });
    if ("reason" in built) throw new Error(built.reason);
    expect(built.text).toContain("code: paris-01\n");
    expect(built.text).toContain("# Imported from Partoo on 2026-03-04: business b1 (Paris).");
    expect(built.text).not.toContain("partner.example.net");
    expect(built.links).toBe(1);
    expect(built.record.address).toBe("c-paris-01");
    expect(built.record.appliedAt).toBe(NOW.toISOString());
    expect(built.record.links).toEqual({
      SHOP_ONLINE: [{ id: 1, url: "https://shop.example.com/a", preferred: true }],
    });
  });

  test("a URL repeated in a type is a skip that names it", () => {
    const twice: LiveLinks = {
      FOOD_ORDERING: [
        { id: 1, url: "https://order.example.com/a", preferred: false, editable: true },
        { id: 2, url: "https://order.example.com/a", preferred: false, editable: true },
      ],
    };
    const built = buildImportedStore({
      business: business("b1", "a"),
      code: "a",
      businessId: undefined,
      live: twice,
      file: "stores/a.yaml",
      now: NOW,
    });
    expect(built).toEqual({
      what: "a",
      reason: expect.stringContaining(
        "(FOOD_ORDERING https://order.example.com/a is repeated in its type)",
      ),
      error: true,
    });
  });

  test.each(["bad/code", "..", "-x", "a..b", "x".repeat(101), ""])(
    "the code %j cannot be a file name",
    (code) => {
      expect(unusableCode(business("b1", code), code, code)?.error).toBe(true);
    },
  );
  test("a plain code can", () => {
    expect(
      unusableCode(business("b1", "paris-01.v2_x"), "paris-01.v2_x", "paris-01"),
    ).toBeUndefined();
  });
});
