import { resolvePath } from "../../../src/files/schema-messages.js";

describe("the value at an ajv instancePath", () => {
  test("follows mapping keys as text and array indexes as numbers, ~1 and ~0 decoded", () => {
    const data = { links: { "A/B~C": [{ url: "https://x.example" }] } };
    expect(resolvePath(data, "/links/A~1B~0C/0/url")).toEqual({
      path: ["links", "A/B~C", 0, "url"],
      value: "https://x.example",
    });
    expect(resolvePath(data, "")).toEqual({ path: [], value: data });
  });

  test("never follows a key the mapping does not hold itself", () => {
    expect(resolvePath({}, "/__proto__").value).toBeUndefined();
    expect(resolvePath({ a: {} }, "/a/constructor").value).toBeUndefined();
  });
});
