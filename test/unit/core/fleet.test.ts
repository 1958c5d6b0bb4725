import { readFileSync } from "node:fs";
import {
  compileTemplate,
  expandStore,
  fillTemplate,
  type Fleet,
  type StoreInput,
  type TemplateList,
} from "../../../src/core/fleet.js";
import type { DesiredLink } from "../../../src/core/model.js";

const noProblem = () => undefined;

function list(line: number, ...templates: (string | [string, boolean])[]): TemplateList {
  return {
    line,
    column: 5,
    links: templates.map((item, index) => {
      const [template, preferred] = typeof item === "string" ? [item, false] : item;
      return { template, preferred, line: line + 1 + index, column: 11 };
    }),
  };
}

const fleet: Fleet = {
  file: "partoo-links.yaml",
  defaults: {
    links: new Map([["FOOD_ORDERING", list(3, ["https://order.example.com/{code}", true])]]),
  },
  profiles: new Map([
    [
      "restaurant",
      {
        line: 8,
        column: 3,
        links: new Map([
          ["DINING_RESERVATION", list(10, "https://book.example.com/{city}/{code}")],
          ["FOOD_ORDERING", list(13, "https://resto.example.com/order?store={code}")],
        ]),
      },
    ],
  ]),
};

function store(overrides: Partial<StoreInput> = {}): StoreInput {
  return {
    code: "paris-01",
    vars: new Map(),
    links: new Map<string, DesiredLink[] | null>(),
    ...overrides,
  };
}

describe("fleet expansion", () => {
  it("gives every store the defaults' types with its code filled in", () => {
    const result = expandStore(store(), fleet, noProblem);
    expect(result.store?.links).toEqual({
      FOOD_ORDERING: [{ url: "https://order.example.com/paris-01", preferred: true }],
    });
    expect(result.store?.origins).toEqual({ FOOD_ORDERING: "partoo-links.yaml:3" });
  });

  it("lets the profile's list win over the defaults' for a type, never merged", () => {
    const result = expandStore(
      store({
        profile: { name: "restaurant", line: 2, column: 10 },
        vars: new Map([["city", "paris"]]),
      }),
      fleet,
      noProblem,
    );
    expect(result.store?.links).toEqual({
      FOOD_ORDERING: [{ url: "https://resto.example.com/order?store=paris-01", preferred: false }],
      DINING_RESERVATION: [{ url: "https://book.example.com/paris/paris-01", preferred: false }],
    });
    expect(result.store?.origins).toEqual({
      FOOD_ORDERING: "partoo-links.yaml:13",
      DINING_RESERVATION: "partoo-links.yaml:10",
    });
  });

  it("lets the store's own list win, and null stop inheriting", () => {
    const own = [{ url: "https://own.example.com/x", preferred: false }];
    const result = expandStore(
      store({
        profile: { name: "restaurant", line: 2, column: 10 },
        links: new Map<string, DesiredLink[] | null>([
          ["FOOD_ORDERING", own],
          ["DINING_RESERVATION", null],
        ]),
      }),
      fleet,
      noProblem,
    );
    expect(result.store?.links).toEqual({ FOOD_ORDERING: own });
    expect(result.store?.origins).toBeUndefined();
  });

  it("percent-encodes values in the path and query", () => {
    const filled = fillTemplate(
      "https://x.example.com/{city}/p?q={city}#{city}",
      store({ vars: new Map([["city", "a b/c?d&e#é"]]) }),
    );
    const encoded = encodeURIComponent("a b/c?d&e#é");
    expect(filled).toEqual({ url: `https://x.example.com/${encoded}/p?q=${encoded}#${encoded}` });
  });

  it("puts a host value as it is, and refuses one that would end the host", () => {
    const input = (city: string) => store({ vars: new Map([["city", city]]) });
    expect(fillTemplate("https://{city}.example.com/{code}", input("lyon"))).toEqual({
      url: "https://lyon.example.com/paris-01",
    });
    for (const hostile of ["evil.com/", "a@b", "x:1", "a b", "", "a?b", "-x"]) {
      expect(fillTemplate("https://{city}.example.com/", input(hostile))).toEqual({
        badHost: "city",
      });
    }
  });

  it("names the fleet file's line when a store cannot fill a placeholder", () => {
    const result = expandStore(
      store({ profile: { name: "restaurant", line: 2, column: 10 } }),
      fleet,
      noProblem,
    );
    expect(result.problems).toEqual([
      {
        at: { name: "restaurant", line: 2, column: 10 },
        message: expect.stringMatching(
          /^DINING_RESERVATION from partoo-links\.yaml:11:11: this store has no value for \{city\}; add vars/,
        ),
      },
    ]);
  });

  it("refuses {business_id} for a store that has none", () => {
    const withId: Fleet = {
      ...fleet,
      defaults: {
        links: new Map([["SHOP_ONLINE", list(3, "https://s.example.com/{business_id}")]]),
      },
    };
    expect(expandStore(store(), withId, noProblem).problems?.[0]?.message).toMatch(
      /no value for \{business_id\}/,
    );
    expect(expandStore(store({ businessId: "b1" }), withId, noProblem).store?.links).toEqual({
      SHOP_ONLINE: [{ url: "https://s.example.com/b1", preferred: false }],
    });
  });

  it("reports an unknown profile with the ones the fleet file defines", () => {
    const result = expandStore(
      store({ profile: { name: "resto", line: 4, column: 10 } }),
      fleet,
      noProblem,
    );
    expect(result.problems?.[0]).toEqual({
      at: { name: "resto", line: 4, column: 10 },
      message:
        'profile "resto" is not in partoo-links.yaml (it defines restaurant); fix the name or add the profile there',
    });
  });

  it("reports a profile without a fleet file", () => {
    const result = expandStore(
      store({ profile: { name: "restaurant", line: 4, column: 10 } }),
      undefined,
      noProblem,
    );
    expect(result.problems?.[0]?.message).toMatch(/needs a fleet file/);
  });

  it("reports an expansion that the URL rule refuses, and two templates giving one URL", () => {
    const bad = expandStore(store(), fleet, (url) =>
      url.includes("paris") ? "too parisian" : undefined,
    );
    expect(bad.problems?.[0]?.message).toBe(
      "FOOD_ORDERING from partoo-links.yaml:4:11: expands to an invalid URL: too parisian",
    );
    const twice: Fleet = {
      ...fleet,
      defaults: {
        links: new Map([
          ["SHOP_ONLINE", list(3, "https://s.example.com/{a}", "https://s.example.com/{b}")],
        ]),
      },
    };
    const same = expandStore(
      store({
        vars: new Map([
          ["a", "x"],
          ["b", "x"],
        ]),
      }),
      twice,
      noProblem,
    );
    expect(same.problems?.[0]?.message).toMatch(/lines 4 and 5 both expand to/);
  });

  it("compiles each template once, whatever the number of stores", () => {
    const template = "https://order.example.com/{code}?t={code}";
    expect(compileTemplate(template)).toBe(compileTemplate(template));
    expect(compileTemplate(template).names).toEqual(["code", "code"]);
  });

  it("is a store's own links without a fleet file", () => {
    const own = [{ url: "https://own.example.com/x", preferred: true }];
    const result = expandStore(
      store({
        links: new Map<string, DesiredLink[] | null>([
          ["SHOP_ONLINE", own],
          ["FOOD_TAKEOUT", null],
        ]),
      }),
      undefined,
      noProblem,
    );
    expect(result.store).toEqual({ code: "paris-01", links: { SHOP_ONLINE: own } });
  });
});

describe("config schema", () => {
  it("lists the same place action types as the store schema", () => {
    const read = (name: string) => JSON.parse(readFileSync(`schemas/${name}`, "utf8"));
    expect(read("config.schema.json").$defs.placeActionType.enum).toEqual(
      read("store.schema.json").$defs.placeActionType.enum,
    );
  });
});
