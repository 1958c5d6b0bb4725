import { closest, editDistance } from "../../../src/core/suggest.js";

describe("suggestions", () => {
  test.each([
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["same", "same", 0],
    ["plna", "plan", 1],
    ["ca", "abc", 3],
  ])("edit distance of %s and %s is %i", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  test("the closest candidate is suggested for a typo", () => {
    expect(closest("SHOP_ONLIN", ["SHOP_ONLINE", "FOOD_TAKEOUT"])).toBe("SHOP_ONLINE");
  });

  test("two swapped letters are one typo: plna suggests plan", () => {
    expect(closest("plna", ["validate", "plan", "apply", "drift"])).toBe("plan");
    expect(closest("aplpy", ["validate", "plan", "apply", "drift"])).toBe("apply");
  });

  test("nothing is suggested for an unrelated word", () => {
    expect(closest("zzz", ["SHOP_ONLINE", "FOOD_TAKEOUT"])).toBeUndefined();
  });
});
