import { parse } from "yaml";
import { buildImportedStore, type BuiltStore } from "../../../src/importer/build-store.js";
import { countLines, factorImport, renderFleetYaml } from "../../../src/importer/factor-import.js";
import type { LiveLinks } from "../../../src/core/model.js";
import type { Business } from "../../../src/partoo/client.js";
import { seededRandom } from "../../../src/emulator/faults.js";

const NOW = new Date("2026-03-04T05:06:07Z");
const OPTIONS = {
  fleetFile: "partoo-links.yaml",
  schema: "./schemas/config.schema.json",
  date: "2026-03-04",
};

let nextId = 1;
function built(code: string, live: Record<string, [string, boolean, boolean?][]>, byId = false) {
  const links: LiveLinks = Object.fromEntries(
    Object.entries(live).map(([type, urls]) => [
      type,
      urls.map(([url, preferred, editable = true]) => ({ id: nextId++, url, preferred, editable })),
    ]),
  );
  const store = buildImportedStore({
    business: { id: byId ? code : `id${code}`, code, name: code, status: "open" } as Business,
    code,
    businessId: byId ? code : undefined,
    live: links,
    file: `stores/${code}.yaml`,
    now: NOW,
  });
  if ("reason" in store) throw new Error(store.reason);
  return store;
}

const ordering = (code: string): [string, boolean][] => [
  [`https://order.example.com/${code}`, true],
];

describe("factorImport", () => {
  const stores: BuiltStore[] = [
    built("a-01", { FOOD_ORDERING: ordering("a-01") }),
    built("b-01", {
      FOOD_ORDERING: ordering("b-01"),
      APPOINTMENT: [["https://x.example/b", false]],
    }),
    built("c-01", { FOOD_ORDERING: ordering("c-01") }),
    built("d-01", {}),
    built("e-01", { FOOD_ORDERING: [["https://order.example.com/{odd}", true]] }),
  ];
  const factored = factorImport(stores, OPTIONS);

  test("writes the shared list as a default, with the code as {code}", () => {
    expect(factored.fleetText.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./schemas/config.schema.json",
    );
    expect(parse(factored.fleetText)).toEqual({
      defaults: {
        links: { FOOD_ORDERING: [{ url: "https://order.example.com/{code}", preferred: true }] },
      },
    });
  });

  test("leaves each store only what differs: its own lists, and ~ for a default it lacks", () => {
    const linksOf = (code: string) =>
      parse(factored.stores.find((store) => store.code === code)!.text).links;
    expect(linksOf("a-01")).toEqual({});
    expect(linksOf("b-01")).toEqual({ APPOINTMENT: ["https://x.example/b"] });
    expect(linksOf("d-01")).toEqual({ FOOD_ORDERING: null });
    // A brace in a live URL would read as a placeholder: that list stays the store's own.
    expect(linksOf("e-01")).toEqual({
      FOOD_ORDERING: [{ url: "https://order.example.com/{odd}", preferred: true }],
    });
  });

  test("keeps each store's full text for the count, and counts the lines", () => {
    const { lines } = factored.summary;
    expect(lines.before).toBe(stores.reduce((sum, store) => sum + countLines(store.text), 0));
    expect(lines.fleetFile).toBe(countLines(factored.fleetText));
    expect(lines.storeFiles).toBe(
      factored.stores.reduce((sum, store) => sum + countLines(store.text), 0),
    );
    expect(factored.summary).toMatchObject({
      defaults: ["FOOD_ORDERING"],
      templates: 1,
      storeFiles: 5,
    });
    expect(factored.stores[0]!.fullText).toBe(stores[0]!.text);
  });

  test("{code} is the id for stores imported by id, and the file keeps business_id", () => {
    const byId = ["idx", "idy", "idz"].map((code) =>
      built(code, { SHOP_ONLINE: [[`https://shop.example.com/${code}`, false]] }, true),
    );
    const result = factorImport(byId, OPTIONS);
    expect(parse(result.fleetText).defaults.links).toEqual({
      SHOP_ONLINE: ["https://shop.example.com/{code}"],
    });
    expect(parse(result.stores[0]!.text)).toEqual({ code: "idx", business_id: "idx", links: {} });
  });

  test("a URL so long that its template would pass the fleet file's limit stays the store's own", () => {
    const long = (code: string) => `https://x.example.com/${"p".repeat(2048 - 26)}/${code}`;
    const near = ["a-1", "b-1"].map((code) => built(code, { SHOP_ONLINE: [[long(code), true]] }));
    expect(long("a-1")).toHaveLength(2048);
    const result = factorImport(near, OPTIONS);
    expect(result.summary.templates).toBe(0);
    expect(parse(result.stores[0]!.text).links.SHOP_ONLINE).toEqual([
      { url: long("a-1"), preferred: true },
    ]);
  });

  test("nothing shared: an empty defaults mapping", () => {
    const result = factorImport([built("solo", { SHOP_ONLINE: [["https://s.example/1", true]] })], {
      ...OPTIONS,
    });
    expect(parse(result.fleetText)).toEqual({ defaults: { links: {} } });
    expect(result.summary.templates).toBe(0);
  });
});

test("countLines counts a last line without its line break", () => {
  expect(countLines("")).toBe(0);
  expect(countLines("a\n")).toBe(1);
  expect(countLines("a\nb")).toBe(2);
});

test("renderFleetYaml quotes nothing it need not, and reads back as the templates", () => {
  const text = renderFleetYaml(
    new Map([["SHOP_ONLINE", [{ template: "https://s.example/{code}?a=1#x", preferred: false }]]]),
    { schema: "./schemas/config.schema.json", date: "2026-03-04", stores: 1 },
  );
  expect(text).toContain("    SHOP_ONLINE:\n      - https://s.example/{code}?a=1#x\n");
  expect(text).toContain("from the live links of 1 store:");
});

test("whatever the live links, every factored store reads back as its live links", () => {
  // factorImport throws when a thin file would not round-trip: random fleets must never make it.
  const random = seededRandom(15);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const codes = ["a", "a-1", "A.b_c", "store-01", "x9", "paris-01"];
  const shapes = [
    (code: string) => `https://order.example.com/${code}`,
    (code: string) => `https://${code.toLowerCase().replace(/[._]/g, "-")}.example.com/${code}`,
    (code: string) => `https://s.example.com/${code}/${code}?c=${code}#${code}`,
    (code: string) => `https://s.example.com/x${code}y/%${code}`,
    (code: string) => `https://s.example.com/${code.toUpperCase()}`,
    (code: string) => `https://s.example.com/{${code}}`,
    () => "https://s.example.com/same-for-all",
  ];
  for (let round = 0; round < 20; round++) {
    const stores = Array.from({ length: 30 }, (_, n) => {
      const code = `${pick(codes)}${n}`;
      const live: Record<string, [string, boolean, boolean?][]> = {};
      for (const type of ["SHOP_ONLINE", "FOOD_ORDERING", "APPOINTMENT"]) {
        if (random() < 0.2) continue;
        const urls = new Set(
          Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(shapes)(code)),
        );
        live[type] = [...urls].map((url, index) => [
          url,
          index === 0 && random() < 0.5,
          random() < 0.9,
        ]);
      }
      return built(code, live);
    });
    expect(() => factorImport(stores, OPTIONS)).not.toThrow();
  }
});
