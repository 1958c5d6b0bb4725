import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { formatIssue, loadFleet, loadStores, placeActionTypes } from "../../../src/files/index.js";
import { packageRoot, schemaPath } from "../../../src/package-info.js";

const schema = JSON.parse(readFileSync(schemaPath("store.schema.json"), "utf8"));
const storesDir = path.join(packageRoot(), "stores");

describe("schemas/store.schema.json", () => {
  test("lists the place action types once, as the enum of the keys of links", () => {
    expect(placeActionTypes()).toEqual([
      "APPOINTMENT",
      "ONLINE_APPOINTMENT",
      "DINING_RESERVATION",
      "FOOD_ORDERING",
      "FOOD_DELIVERY",
      "FOOD_TAKEOUT",
      "SHOP_ONLINE",
    ]);
    // The per-type entries only add hover help: they must name exactly the same types.
    expect(Object.keys(schema.properties.links.properties)).toEqual(placeActionTypes());
  });

  test("compiles in strict mode and accepts its own examples", () => {
    const ajv = new Ajv2020({ strict: true });
    ajv.addSchema(schema);
    const check = (pointer: string, example: unknown) => {
      const validate = ajv.getSchema(`${schema.$id}#${pointer}`);
      expect(validate?.(example)).toBe(true);
    };
    for (const example of schema.properties.code.examples) check("/properties/code", example);
    for (const example of schema.properties.business_id.examples) {
      check("/properties/business_id", example);
    }
    for (const example of schema.properties.links.examples) check("/properties/links", example);
    for (const example of schema.$defs.linkList.examples) check("/$defs/linkList", example);
    for (const example of schema.$defs.url.examples) check("/$defs/url", example);
  });

  test("gives every property a description for editors' hover help", () => {
    const described = [
      schema.properties.code,
      schema.properties.business_id,
      schema.properties.links,
      ...Object.values(schema.properties.links.properties),
      schema.$defs.linkObject.properties.preferred,
      schema.$defs.url,
    ];
    for (const property of described) expect(property.description).toEqual(expect.any(String));
  });
});

describe("the example stores", () => {
  const files = readdirSync(storesDir).filter((name) => name.endsWith(".yaml"));

  /** The examples as every command reads them: with the fleet file at the repository root. */
  async function loadExamples() {
    const fleet = await loadFleet(undefined, packageRoot());
    expect(fleet.issues.map(formatIssue)).toEqual([]);
    return loadStores(storesDir, {
      displayRoot: packageRoot(),
      ...(fleet.loaded === undefined ? {} : { fleet: fleet.loaded }),
    });
  }

  test("are between 4 and 6, and all valid with the fleet file", async () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.length).toBeLessThanOrEqual(6);
    const result = await loadExamples();
    expect(result.issues.filter((issue) => issue.severity === "error").map(formatIssue)).toEqual(
      [],
    );
    expect(result.stores.map((loaded) => `${loaded.code}.yaml`)).toEqual(files.sort());
  });

  test.each(files)("%s starts with the yaml-language-server modeline", (name) => {
    const text = readFileSync(path.join(storesDir, name), "utf8");
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../schemas/store.schema.json",
    );
  });

  test("show a restaurant, a retailer, a salon and a store addressed by business_id", async () => {
    const stores = (await loadExamples()).stores.map(({ store }) => ({
      links: store.links,
      business_id: store.businessId,
    }));
    const has = (
      predicate: (store: { links: object; business_id: string | undefined }) => boolean,
    ) => stores.some(predicate);
    expect(
      has((store) =>
        ["FOOD_ORDERING", "FOOD_TAKEOUT", "FOOD_DELIVERY", "DINING_RESERVATION"].every(
          (type) => type in store.links,
        ),
      ),
    ).toBe(true);
    expect(has((store) => "SHOP_ONLINE" in store.links)).toBe(true);
    expect(has((store) => "APPOINTMENT" in store.links)).toBe(true);
    expect(has((store) => store.business_id !== undefined)).toBe(true);
  });
});
