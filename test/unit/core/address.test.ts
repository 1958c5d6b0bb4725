import { codeAddress, codeOfAddress, isCodeAddress } from "../../../src/core/model.js";

describe("a store's address on Partoo", () => {
  test("is c- and the code, and reads back to the code", () => {
    expect(codeAddress("paris-01")).toBe("c-paris-01");
    expect(codeOfAddress(codeAddress("paris-01"))).toBe("paris-01");
    expect(isCodeAddress("paris-01", "c-paris-01")).toBe(true);
  });

  test("has no code when it is a business id", () => {
    expect(codeOfAddress("5409c35a97bbc544d8e26737")).toBeUndefined();
    expect(isCodeAddress("paris-01", "5409c35a97bbc544d8e26737")).toBe(false);
  });
});
