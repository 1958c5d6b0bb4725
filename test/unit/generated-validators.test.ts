/**
 * The committed validators of src/generated/ are what `npm run generate` makes from
 * schemas/*.json, byte for byte, and they judge data exactly as ajv compiling the schemas
 * at run time did (same options, same errors: the messages are built from them).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv";
import { packageRoot, schemaPath } from "../../src/package-info.js";
import { validateStoreFast } from "../../src/generated/store-fast.js";
import { validateStoreFull } from "../../src/generated/store-full.js";
import { validateConfig } from "../../src/generated/config.js";
import {
  validateStateDocument,
  validateStateLinks,
  validateStateRecord,
} from "../../src/generated/state.js";
import type { GeneratedValidator } from "../../src/generated/state.js";

const root = packageRoot();
const generatedDir = path.join(root, "src", "generated");
const run = promisify(execFile);

const readSchema = async (name: string) => JSON.parse(await readFile(schemaPath(name), "utf8"));

test("src/generated/ equals a fresh npm run generate (run it and commit src/generated/)", async () => {
  const temp = await mkdtemp(path.join(tmpdir(), "partoo-validators-"));
  try {
    await run(process.execPath, [
      path.join(root, "scripts", "generate-validators.js"),
      "--out",
      temp,
    ]);
    const [fresh, committed] = await Promise.all([readdir(temp), readdir(generatedDir)]);
    expect(committed.sort()).toEqual(fresh.sort());
    for (const file of fresh) {
      const [built, kept] = await Promise.all([
        readFile(path.join(temp, file), "utf8"),
        readFile(path.join(generatedDir, file), "utf8"),
      ]);
      // A message, not a 60 kB diff, when they differ.
      expect(built === kept ? `${file}: fresh` : `${file}: stale: run npm run generate`).toBe(
        `${file}: fresh`,
      );
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}, 60_000);

test("the generated code loads nothing at run time but its own runtime.ts", async () => {
  for (const file of await readdir(generatedDir)) {
    const text = await readFile(path.join(generatedDir, file), "utf8");
    const sources = [...text.matchAll(/^(?:import|export) .* from "([^"]+)";$/gm)].map(
      (match) => match[1],
    );
    expect([...new Set(sources)]).toEqual(file === "runtime.ts" ? ["ajv"] : ["./runtime.js"]);
    if (file === "runtime.ts") expect(text).toMatch(/^import type \{ ErrorObject \} from "ajv";$/m);
    expect(text).not.toMatch(/\brequire\(/);
  }
});

const LONG = "x".repeat(2100);
const storeSamples: unknown[] = [
  { code: "paris-01", links: { SHOP_ONLINE: ["https://shop.example.com/p"] } },
  { code: "paris-01", links: { SHOP_ONLINE: [{ url: "https://a.example/x", preferred: true }] } },
  { code: "paris-01", business_id: "abc", profile: "shop", vars: { city: "paris" }, links: {} },
  { code: "paris-01", links: { FOOD_ORDERING: null, SHOP_ONLINE: [] } },
  {},
  [],
  "text",
  null,
  { code: "", links: {} },
  { code: "a..b", links: {} },
  { code: "😀".repeat(60), links: {} },
  { code: "paris-01", links: { SHOP_ONLNE: [] }, extra: 1 },
  { code: "paris-01", links: { SHOP_ONLINE: [{ url: `https://e.example/${LONG}` }, 3, {}] } },
  { code: "paris-01", links: { SHOP_ONLINE: [{ url: "http://e.example", preferred: "yes" }] } },
  { code: "paris-01", links: { SHOP_ONLINE: [{ link: "https://e.example" }] }, vars: { a: 1 } },
  { code: 5, business_id: "", profile: "-x", links: "none" },
];

/** What the messages are built from: every field of every error, in order. */
const errorsOf = (validate: GeneratedValidator | Ajv2020ValidateFunction, data: unknown) => {
  const valid = validate(data);
  return { valid, errors: (validate.errors ?? []) as ErrorObject[] };
};
type Ajv2020ValidateFunction = ReturnType<Ajv2020["compile"]>;

describe("the generated validators judge as ajv.compile does with the same options", () => {
  test("store, first error only (the fast check of a valid file)", async () => {
    const compiled = new Ajv2020({ allErrors: false, strict: true }).compile(
      await readSchema("store.schema.json"),
    );
    for (const sample of storeSamples) {
      expect(errorsOf(validateStoreFast, sample)).toEqual(errorsOf(compiled, sample));
    }
  });

  test("store, every error (from the schema with its refs inlined)", async () => {
    const { inlineRefs } = (await import(path.join(root, "scripts", "generate-validators.js"))) as {
      inlineRefs: (schema: unknown, defs: unknown) => object;
    };
    const schema = await readSchema("store.schema.json");
    const compiled = new Ajv2020({ allErrors: true, strict: true }).compile(
      inlineRefs(schema, schema.$defs),
    );
    let invalid = 0;
    for (const sample of storeSamples) {
      const expected = errorsOf(compiled, sample);
      if (!expected.valid) invalid++;
      expect(errorsOf(validateStoreFull, sample)).toEqual(expected);
    }
    expect(invalid).toBeGreaterThan(8);
  });

  test("fleet file, every error", async () => {
    const compiled = new Ajv2020({ allErrors: true, strict: true }).compile(
      await readSchema("config.schema.json"),
    );
    const samples: unknown[] = [
      { defaults: { links: { SHOP_ONLINE: ["https://e.example/{code}"] } } },
      { profiles: { r: { links: { DINING_RESERVATION: [{ url: "https://b.example/{code}" }] } } } },
      { caps: { max_stores: 10, max_deleted_links: -1 }, defaults: { link: {} } },
      { profiles: { "-bad": {} }, extra: true },
      [],
      null,
    ];
    for (const sample of samples) {
      expect(errorsOf(validateConfig, sample)).toEqual(errorsOf(compiled, sample));
    }
  });

  test("state document, record and links, first error only", async () => {
    const schema = await readSchema("state.schema.json");
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    ajv.addSchema(schema);
    const record = {
      address: { by: "code" },
      desiredHash: "a".repeat(64),
      lastAttempt: { status: "weird" },
    };
    const links = { SHOP_ONLINE: [{ id: 1, url: "https://e.example", preferred: false }] };
    const cases: [GeneratedValidator, string, unknown[]][] = [
      [
        validateStateDocument,
        schema.$id,
        [{ version: 2, stores: {} }, { version: 2, stores: { "a b": {} } }, { stores: 1 }],
      ],
      [validateStateRecord, `${schema.$id}#/$defs/storeRecord`, [record, {}, { extra: 1 }]],
      [validateStateLinks, `${schema.$id}#/$defs/links`, [links, { SHOP_ONLINE: [{}] }, []]],
    ];
    for (const [generated, id, samples] of cases) {
      const compiled = ajv.getSchema(id)!;
      for (const sample of samples) {
        expect(errorsOf(generated, sample)).toEqual(errorsOf(compiled, sample));
      }
    }
  });
});
