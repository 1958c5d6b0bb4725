import { expandStore, type Fleet, type TemplateList } from "../../../src/core/fleet.js";
import { factorFleet, templateOf } from "../../../src/core/factor.js";
import type { DesiredLink } from "../../../src/core/model.js";

type Links = Map<string, DesiredLink[]>;

function links(entries: Record<string, (string | [string, boolean])[]>): Links {
  return new Map(
    Object.entries(entries).map(([type, urls]) => [
      type,
      urls.map((item) =>
        typeof item === "string"
          ? { url: item, preferred: false }
          : { url: item[0], preferred: item[1] },
      ),
    ]),
  );
}

/** The fleet the factoring describes, as the fleet file would give it to the core. */
function asFleet(defaults: ReturnType<typeof factorFleet>["defaults"]): Fleet {
  const lists = new Map<string, TemplateList>();
  for (const [type, entries] of defaults) {
    lists.set(type, {
      line: 1,
      column: 1,
      links: entries.map((entry) => ({ ...entry, line: 1, column: 1 })),
    });
  }
  return { file: "partoo-links.yaml", defaults: { links: lists }, profiles: new Map() };
}

describe("templateOf", () => {
  it("writes {code} where the code stands alone after the host", () => {
    expect(templateOf("https://x.example.com/stores/paris-01?s=paris-01", "paris-01")).toBe(
      "https://x.example.com/stores/{code}?s={code}",
    );
    expect(templateOf("https://paris-01.example.com/paris-01", "paris-01")).toBe(
      "https://paris-01.example.com/{code}",
    );
    expect(templateOf("https://x.example.com/cat/a", "a")).toBe("https://x.example.com/cat/{code}");
    expect(templateOf("https://x.example.com/other", "paris-01")).toBe(
      "https://x.example.com/other",
    );
  });
});

describe("factorFleet", () => {
  const fleet = new Map<string, Links>();
  for (let n = 1; n <= 6; n++) {
    const code = `s-0${n}`;
    fleet.set(
      code,
      links({
        FOOD_ORDERING: [[`https://order.example.com/${code}`, true]],
        ...(n <= 2 ? { SHOP_ONLINE: [`https://shop.example.com/special-${n}`] } : {}),
      }),
    );
  }
  fleet.set("odd-1", links({ FOOD_ORDERING: ["https://elsewhere.example.com/x"] }));
  fleet.set("none-1", links({ APPOINTMENT: [] }));

  const factored = factorFleet(fleet);

  it("makes the pattern most stores share a default", () => {
    expect([...factored.defaults]).toEqual([
      ["FOOD_ORDERING", [{ template: "https://order.example.com/{code}", preferred: true }]],
    ]);
  });

  it("leaves in each store file only what differs, and stops the default where a store has none", () => {
    expect(factored.stores.get("s-03")).toEqual(new Map());
    expect(factored.stores.get("s-01")).toEqual(
      new Map([["SHOP_ONLINE", [{ url: "https://shop.example.com/special-1", preferred: false }]]]),
    );
    expect(factored.stores.get("odd-1")).toEqual(
      new Map([["FOOD_ORDERING", [{ url: "https://elsewhere.example.com/x", preferred: false }]]]),
    );
    expect(factored.stores.get("none-1")).toEqual(
      new Map<string, DesiredLink[] | null>([
        ["APPOINTMENT", []],
        ["FOOD_ORDERING", null],
      ]),
    );
  });

  it("expands back to exactly the links it was given, for every store", () => {
    const asFleetFile = asFleet(factored.defaults);
    for (const [code, original] of fleet) {
      const expansion = expandStore(
        { code, vars: new Map(), links: factored.stores.get(code)! },
        asFleetFile,
        () => undefined,
      );
      expect(expansion.store?.links).toEqual(Object.fromEntries(original));
    }
  });

  it("shares nothing below the threshold, and never a list holding braces", () => {
    const few = new Map<string, Links>([
      ["a", links({ SHOP_ONLINE: ["https://s.example.com/a"] })],
      ["b", links({ SHOP_ONLINE: ["https://t.example.com/b"] })],
      ["c", links({ SHOP_ONLINE: ["https://u.example.com/c"] })],
    ]);
    expect(factorFleet(few).defaults.size).toBe(0);
    const braces = new Map<string, Links>([
      ["a", links({ SHOP_ONLINE: ["https://s.example.com/{x}/a"] })],
      ["b", links({ SHOP_ONLINE: ["https://s.example.com/{x}/b"] })],
    ]);
    const keptBraces = factorFleet(braces);
    expect(keptBraces.defaults.size).toBe(0);
    // Such a list is not shared, and not lost either: it stays in the store file.
    expect(keptBraces.stores.get("a")).toEqual(braces.get("a"));
    expect(factorFleet(fleet, { maxTemplateLength: 20 }).defaults.size).toBe(0);
  });
});
