import { runCli } from "../helpers/cli.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";

let emu: TestEmulator;
afterEach(() => emu?.close());

const doctor = (env: Record<string, string>, ...argv: string[]) =>
  runCli(["doctor", ...argv], { env });

describe("partoo-links doctor", () => {
  test("confirms the key, the search, the status filter, one business and the role, with GET only", async () => {
    emu = await startTestEmulator({
      seed: seed(
        seedBusiness("a-01", { SHOP_ONLINE: ["https://shop.example.com/a"] }),
        seedBusiness("b-01", {}, { status: "closed" }),
        seedBusiness("c-01", {}, { status: "opening_soon" }),
      ),
    });
    const result = await doctor(emu.env);
    expect(result.stdout).toBe(
      [
        "✓ key and search: the key is accepted; every page of the search adds up to its count (3 businesses)",
        "✓ status filter: one comma-separated status brings every status (open 1, closed 1, opening_soon 1)",
        "✓ business: the links of id-a-01 read by id (SHOP_ONLINE)",
        "✓ role: stores can be addressed by code (c-{code})",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(0);
    expect(emu.emulator.requests.every((entry) => entry.method === "GET")).toBe(true);
  });

  test("warns when every business is open, names unknown types and a PROVIDER key's limit", async () => {
    emu = await startTestEmulator({
      providerKeys: ["provider-key"],
      seed: seed(seedBusiness("a-01", { SOLOPRENEUR_APPOINTMENT: ["https://solo.example.com/a"] })),
    });
    const result = await doctor({ ...emu.env, PARTOO_API_KEY: "provider-key" }, "--format", "json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).checks).toEqual([
      expect.objectContaining({ name: "key and search", result: "ok" }),
      expect.objectContaining({ name: "status filter", result: "warning" }),
      {
        name: "business",
        result: "ok",
        detail:
          "the links of id-a-01 read by id (SOLOPRENEUR_APPOINTMENT (unknown to the schema, left unmanaged))",
      },
      expect.objectContaining({
        name: "role",
        result: "warning",
        detail: expect.stringContaining("business_id"),
      }),
    ]);
  });

  test("a refused key fails in one line, without the key", async () => {
    emu = await startTestEmulator();
    const result = await doctor({ ...emu.env, PARTOO_API_KEY: "wrong-key-123456" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ key and search: Partoo GET \/business\/search.*: 401 .*PARTOO_API_KEY\n$/,
    );
    expect(result.stdout + result.stderr).not.toContain("wrong-key-123456");
    expect(result.stdout + result.stderr).not.toContain(TEST_API_KEY);
  });
});
