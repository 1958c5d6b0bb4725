import { parseFleetText } from "../../../src/files/parse-fleet.js";
import { formatIssue } from "../../../src/files/issues.js";
import { parseStoreText } from "../../../src/files/parse-store.js";

const FILE = "partoo-links.yaml";

function messages(text: string): string[] {
  return parseFleetText(text, FILE).issues.map(formatIssue);
}

describe("the fleet file", () => {
  it("reads defaults and profiles with the position of each type and template", () => {
    const text = [
      "# yaml-language-server: $schema=./schemas/config.schema.json",
      "defaults:",
      "  links:",
      "    FOOD_ORDERING:",
      "      - url: https://order.example.com/{code}",
      "        preferred: true",
      "profiles:",
      "  restaurant:",
      "    links:",
      "      DINING_RESERVATION:",
      "        - https://book.example.com/{city}/{code}",
      "caps:",
      "  max_deleted_links: 500",
      "",
    ].join("\n");
    const parsed = parseFleetText(text, FILE);
    expect(parsed.issues).toEqual([]);
    expect(parsed.caps).toEqual({ maxDeletedLinks: 500 });
    expect(parsed.fleet?.defaults.links.get("FOOD_ORDERING")).toEqual({
      line: 4,
      column: 5,
      links: [
        { template: "https://order.example.com/{code}", preferred: true, line: 5, column: 14 },
      ],
    });
    const restaurant = parsed.fleet?.profiles.get("restaurant");
    expect(restaurant?.line).toBe(8);
    expect(restaurant?.links.get("DINING_RESERVATION")?.links[0]).toEqual({
      template: "https://book.example.com/{city}/{code}",
      preferred: false,
      line: 11,
      column: 11,
    });
  });

  it("is an empty fleet when the file holds nothing", () => {
    const parsed = parseFleetText("# nothing yet\n", FILE);
    expect(parsed.issues).toEqual([]);
    expect(parsed.fleet?.defaults.links.size).toBe(0);
  });

  it("reports unknown keys with the closest known one, at their line", () => {
    expect(messages("default:\n  links: {}\n")).toEqual([
      'partoo-links.yaml:1:1: unknown key "default" (did you mean "defaults"?); the fleet file may hold defaults, profiles, caps',
    ]);
    expect(messages("defaults:\n  link: {}\n")[0]).toMatch(
      /^partoo-links\.yaml:2:3: unknown key "link" \(did you mean "links"\?\)/,
    );
    expect(messages("defaults:\n  links:\n    SHOP_ONLNE: []\n")[0]).toMatch(
      /^partoo-links\.yaml:3:5: unknown place action type "SHOP_ONLNE" \(did you mean "SHOP_ONLINE"\?\)/,
    );
    expect(
      messages("defaults:\n  links:\n    SHOP_ONLINE:\n      - urls: https://x.example.com\n")[0],
    ).toMatch(/^partoo-links\.yaml:4:9: unknown key "urls" \(did you mean "url"\?\)/);
  });

  it("reports a template that is not an https URL", () => {
    expect(
      messages("defaults:\n  links:\n    SHOP_ONLINE:\n      - http://x.example.com/{code}\n")[0],
    ).toMatch(
      /^partoo-links\.yaml:4:9: the text "http:\/\/x\.example\.com\/\{code\}" is not a URL template/,
    );
  });

  it("reports two preferred templates and a repeated template in one type", () => {
    const text = [
      "defaults:",
      "  links:",
      "    SHOP_ONLINE:",
      "      - url: https://a.example.com/{code}",
      "        preferred: true",
      "      - url: https://b.example.com/{code}",
      "        preferred: true",
      "      - https://a.example.com/{code}",
      "",
    ].join("\n");
    expect(messages(text)).toEqual([
      "partoo-links.yaml:6:14: SHOP_ONLINE of defaults has 2 preferred links (lines 4, 6); keep one",
      'partoo-links.yaml:8:9: SHOP_ONLINE of defaults lists "https://a.example.com/{code}" twice (lines 4 and 8); remove one',
    ]);
  });

  it("reports YAML errors, duplicate keys and tags with their position", () => {
    expect(messages("defaults:\n  links: {}\ndefaults: {}\n")[0]).toMatch(
      /^partoo-links\.yaml:3:1: "defaults" appears twice/,
    );
    expect(messages("defaults: [\n")[0]).toMatch(/^partoo-links\.yaml:\d+:\d+: /);
    expect(messages("defaults: !!binary aGVsbG8=\n")[0]).toMatch(/^partoo-links\.yaml:1:11: /);
  });

  it("reports wrong types and values on one line each", () => {
    const found = messages("caps:\n  max_stores: -1\nprofiles:\n  'bad name':\n    links: {}\n");
    expect(found).toHaveLength(2);
    for (const line of found) expect(line).not.toContain("\n");
  });
});

describe("store files with a fleet file", () => {
  const fleetText = [
    "defaults:",
    "  links:",
    "    FOOD_ORDERING:",
    "      - url: https://order.example.com/{code}",
    "        preferred: true",
    "profiles:",
    "  restaurant:",
    "    links:",
    "      DINING_RESERVATION:",
    "        - https://book.example.com/{city}/{code}",
    "",
  ].join("\n");
  const fleet = parseFleetText(fleetText, FILE).fleet!;
  const parse = (text: string) => parseStoreText(text, "stores/lyon-01.yaml", "lyon-01", fleet);

  it("expand into the desired links, with where each inherited type comes from", () => {
    const { store, issues } = parse(
      "code: lyon-01\nprofile: restaurant\nvars:\n  city: Lyon Centre\nlinks: {}\n",
    );
    expect(issues).toEqual([]);
    expect(store).toEqual({
      code: "lyon-01",
      links: {
        FOOD_ORDERING: [{ url: "https://order.example.com/lyon-01", preferred: true }],
        DINING_RESERVATION: [
          { url: "https://book.example.com/Lyon%20Centre/lyon-01", preferred: false },
        ],
      },
      origins: { FOOD_ORDERING: "partoo-links.yaml:3", DINING_RESERVATION: "partoo-links.yaml:9" },
    });
  });

  it("report a placeholder the store cannot fill at its profile line, naming the fleet file's line", () => {
    const { store, issues } = parse("code: lyon-01\nprofile: restaurant\nlinks: {}\n");
    expect(store).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      "stores/lyon-01.yaml:2:10: DINING_RESERVATION from partoo-links.yaml:10:11: this store has no value for {city}; add vars: {city: …} to this file, or give it its own DINING_RESERVATION list",
    ]);
  });

  it("report an unknown profile at its line", () => {
    const { issues } = parse("code: lyon-01\nlinks: {}\nprofile: restaurnt\n");
    expect(issues.map(formatIssue)).toEqual([
      'stores/lyon-01.yaml:3:10: profile "restaurnt" is not in partoo-links.yaml (it defines restaurant); fix the name or add the profile there',
    ]);
  });

  it("let ~ stop a type that the defaults give", () => {
    const { store, issues } = parse("code: lyon-01\nlinks:\n  FOOD_ORDERING: ~\n");
    expect(issues).toEqual([]);
    expect(store).toEqual({ code: "lyon-01", links: {} });
  });

  it("refuse vars named after the built-in placeholders, and values that are not text", () => {
    const { issues } = parse("code: lyon-01\nvars:\n  code: x\n  n: 5\nlinks: {}\n");
    expect(issues.map(formatIssue)).toEqual([
      "stores/lyon-01.yaml:3:3: vars.code: {code} is filled from the store's own code; remove it from vars",
      "stores/lyon-01.yaml:4:6: vars.n must be text, not the number 5; put it in quotes",
    ]);
  });
});
