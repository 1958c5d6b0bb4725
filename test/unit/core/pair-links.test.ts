import { pairReplacedLinks } from "../../../src/core/pair-links.js";

const same = (url: string): string => url;

/** The pairs as "removed → added", in the order of the added list. */
function pairs(removed: string[], added: string[]): string[] {
  const found = pairReplacedLinks(removed, added, same, same);
  return added.filter((url) => found.has(url)).map((url) => `${found.get(url)} → ${url}`);
}

describe("which removed link a changed URL replaces", () => {
  test("a domain change pairs the links of the same path, whatever their order", () => {
    expect(
      pairs(
        ["https://old.example/a", "https://old.example/b"],
        ["https://new.example/b", "https://new.example/a"],
      ),
    ).toEqual([
      "https://old.example/b → https://new.example/b",
      "https://old.example/a → https://new.example/a",
    ]);
  });

  test("a path change pairs the links of the same host before the others", () => {
    expect(
      pairs(
        ["https://a.example/x", "https://b.example/y"],
        ["https://b.example/z", "https://a.example/w"],
      ),
    ).toEqual([
      "https://b.example/y → https://b.example/z",
      "https://a.example/x → https://a.example/w",
    ]);
  });

  test("the rest pair by position, and the surplus of either side stays unpaired", () => {
    expect(
      pairs(
        ["https://a.example/1", "https://b.example/2", "https://c.example/3"],
        ["https://d.example/4"],
      ),
    ).toEqual(["https://a.example/1 → https://d.example/4"]);
    expect(pairs(["https://a.example/1"], ["https://d.example/4", "https://e.example/5"])).toEqual([
      "https://a.example/1 → https://d.example/4",
    ]);
  });

  test("values that do not parse as URLs are paired by position, never crash", () => {
    expect(pairs(["not a url", "https://a.example/1"], ["::", "https://a.example/2"])).toEqual([
      "not a url → ::",
      "https://a.example/1 → https://a.example/2",
    ]);
  });

  test("nothing removed or nothing added: no pair", () => {
    expect(pairs([], ["https://a.example/1"])).toEqual([]);
    expect(pairs(["https://a.example/1"], [])).toEqual([]);
  });
});
