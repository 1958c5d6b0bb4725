import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadDemoSeed, parseSeed, readSeedFile } from "../../../src/emulator/seed.js";
import { packageRoot } from "../../../src/package-info.js";

/** Every temporary directory made here, removed after the suite. */
const temporary: string[] = [];
afterAll(() => Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))));

async function seedFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "partoo-seed-"));
  temporary.push(dir);
  const file = path.join(dir, "seed.json");
  await writeFile(file, text);
  return file;
}

describe("the seed document", () => {
  test("fills in defaults and ignores keys Partoo returns besides the seed's", () => {
    const seed = parseSeed({
      businesses: [
        {
          id: "b1",
          code: "paris-01",
          city: "Paris",
          place_action_links: [{ gmb_id: "SHOP_ONLINE", urls: [{ value: "https://a.example" }] }],
        },
      ],
    });
    expect(seed.businesses[0]).toEqual({
      id: "b1",
      code: "paris-01",
      name: "paris-01",
      status: "open",
      place_action_links: [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [{ value: "https://a.example", is_preferred: false, is_editable: true }],
        },
      ],
    });
  });

  test.each<[string, unknown, string]>([
    ["no businesses list", { stores: [] }, "businesses: expected"],
    [
      "a business without id",
      { businesses: [{ code: "x" }] },
      "businesses[0].id: expected a non-empty string",
    ],
    [
      "the same id twice",
      { businesses: [{ id: "a" }, { id: "a" }] },
      "businesses[1].id: business id a appears twice",
    ],
    [
      "an unknown status",
      { businesses: [{ id: "a", status: "gone" }] },
      "businesses[0].status: expected one of open",
    ],
    [
      "a link id that is not an integer",
      {
        businesses: [
          { id: "a", place_action_links: [{ gmb_id: "X", urls: [{ id: 1.5, value: "u" }] }] },
        ],
      },
      "businesses[0].place_action_links[0].urls[0].id: expected a positive integer",
    ],
    [
      "a link id used twice",
      {
        businesses: [
          { id: "a", place_action_links: [{ gmb_id: "X", urls: [{ id: 1, value: "u" }] }] },
          { id: "b", place_action_links: [{ gmb_id: "X", urls: [{ id: 1, value: "v" }] }] },
        ],
      },
      "link id 1 appears twice",
    ],
  ])("a seed with %s names the field", (_, data, message) => {
    expect(() => parseSeed(data)).toThrow(message);
  });

  test("a seed file that is not JSON is a one-line error with line and column", async () => {
    const file = await seedFile('{\n  "businesses": [\n    { "id": "a", }\n  ]\n}\n');
    const error = await readSeedFile(file, "seed.json").catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^seed\.json:3:\d+: the seed file is not valid JSON/);
    expect((error as Error).message).not.toContain("\n");
  });

  test("a seed file with a bad field is a one-line error naming file and field", async () => {
    const file = await seedFile('{"businesses": [{"id": 5, "status": "gone"}]}');
    await expect(readSeedFile(file, "seed.json")).rejects.toThrow(
      /^seed\.json: businesses\[0\]\.status: expected one of/,
    );
  });

  test("a missing seed file says so", async () => {
    await expect(readSeedFile("/nonexistent/seed.json", "seed.json")).rejects.toThrow(
      "seed.json: cannot read the seed file (ENOENT); check the path given to --seed",
    );
  });

  test("the built-in demo seed has a business for every example store, and one unmanaged", async () => {
    const seed = await loadDemoSeed();
    const codes = seed.businesses.map((business) => business.code);
    const examples = (await readdir(path.join(packageRoot(), "stores")))
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => name.slice(0, -".yaml".length));
    expect(codes).toEqual(expect.arrayContaining(examples));
    expect(
      codes.filter((code) => code === null || code === undefined || !examples.includes(code))
        .length,
    ).toBeGreaterThan(0);
    expect(seed.businesses.find((business) => business.code === "lille-01")?.id).toBe(
      "5409c35a97bbc544d8e26737",
    );
  });
});
