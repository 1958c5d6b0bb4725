/** The emulator over HTTP, as any client sees it (plain fetch, no partoo-links client). */
import type { TypeWrite } from "../../src/core/model.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";

/** A POST body as partoo-api.md documents it (the seed's bare array), built here, not by the client. */
function documentedBody(writes: readonly TypeWrite[]): unknown {
  return writes.map((write) => ({ gmb_id: write.type, urls: write.urls }));
}

let emu: TestEmulator;

afterEach(async () => {
  await emu?.close();
});

async function call(
  path: string,
  init: { method?: string; body?: unknown; key?: string | null; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers["x-APIKey"] = init.key ?? TEST_API_KEY;
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const response = await fetch(`${emu.baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

const shopSeed = () =>
  seed(
    seedBusiness("paris-01", {
      SHOP_ONLINE: [{ id: 1, value: "https://shop.example/a", is_preferred: true }],
    }),
    seedBusiness("a/b c", {}, { id: "odd" }),
  );

describe("the emulator", () => {
  test("serves place action links by code and by id", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    const byCode = await call("/business/c-paris-01/place_action_links");
    const byId = await call("/business/id-paris-01/place_action_links");
    expect(byCode.status).toBe(200);
    expect(byCode.body).toEqual({
      place_action_links: [
        {
          gmb_id: "SHOP_ONLINE",
          urls: [{ id: 1, value: "https://shop.example/a", is_preferred: true, is_editable: true }],
        },
      ],
    });
    expect(byId.body).toEqual(byCode.body);
  });

  test("applies a POST and answers success", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    const body = documentedBody([
      {
        type: "SHOP_ONLINE",
        urls: [{ id: 1, value: "https://shop.example/a", is_preferred: false }],
      },
      { type: "FOOD_ORDERING", urls: [{ value: "https://order.example/p", is_preferred: true }] },
    ]);
    const response = await call("/business/c-paris-01/place_action_links", { body });
    expect(response).toMatchObject({ status: 200, body: { status: "success" } });
    expect(emu.emulator.store.links("c-paris-01")?.map((type) => type.gmb_id)).toEqual([
      "SHOP_ONLINE",
      "FOOD_ORDERING",
    ]);
    expect(emu.emulator.requests.at(-1)).toMatchObject({ method: "POST", status: 200, body });
  });

  test("refuses bad bodies with 400 in Partoo's error shape", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    const twoPreferred = documentedBody([
      {
        type: "SHOP_ONLINE",
        urls: [
          { value: "https://a.example/1", is_preferred: true },
          { value: "https://a.example/2", is_preferred: true },
        ],
      },
    ]);
    const response = await call("/business/c-paris-01/place_action_links", { body: twoPreferred });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.json)).toMatch(/More than one preferred link/);
    const malformed = await call("/business/c-paris-01/place_action_links", { body: "{not json" });
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { json: { _schema: ["Invalid JSON body."] } } },
    });
  });

  test("answers 401 without a key or with a wrong one", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    for (const key of [null, "", "wrong-key"]) {
      const response = await call("/business/c-paris-01/place_action_links", { key });
      expect(response).toEqual(
        expect.objectContaining({
          status: 401,
          body: { error: { authentication: "User not authenticated" } },
        }),
      );
    }
  });

  test("accepts any non-empty key when none is configured", async () => {
    emu = await startTestEmulator({ seed: shopSeed(), apiKey: undefined });
    expect((await call("/business/c-paris-01", { key: "anything" })).status).toBe(200);
    expect((await call("/business/c-paris-01", { key: null })).status).toBe(401);
  });

  test("answers 403 to a PROVIDER key addressing a business by code, not by id", async () => {
    emu = await startTestEmulator({ seed: shopSeed(), providerKeys: ["provider-key"] });
    const byCode = await call("/business/c-paris-01/place_action_links", { key: "provider-key" });
    expect(byCode).toMatchObject({
      status: 403,
      body: { error: { authorization: "Operation not allowed" } },
    });
    expect(
      (await call("/business/id-paris-01/place_action_links", { key: "provider-key" })).status,
    ).toBe(200);
  });

  test("answers 404 for an unknown business or route", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    for (const path of [
      "/business/c-nowhere/place_action_links",
      "/business/nope",
      "/stores",
      "/business/c-paris-01/x",
    ]) {
      expect(await call(path)).toMatchObject({
        status: 404,
        body: { error: { json: "Resource not found" } },
      });
    }
  });

  test("decodes the business segment as one unit, an encoded slash included", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    const response = await call(`/business/${encodeURIComponent("c-a/b c")}`);
    expect(response).toMatchObject({ status: 200, body: { id: "odd", code: "a/b c" } });
  });

  test("answers 415 when a POST is not application/json", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    const response = await call("/business/c-paris-01/place_action_links", {
      body: "[]",
      contentType: "text/plain",
    });
    expect(response.status).toBe(415);
    expect(response.body.errors.json).toMatch(/^Unsupported media type "text\/plain"/);
  });

  test("limits each key per rolling window and answers 429 with Retry-After", async () => {
    emu = await startTestEmulator({ seed: shopSeed(), rateLimitPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("/business/c-paris-01")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call("/business/c-paris-01");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
  });

  test("the window can be shortened for tests, the limit scaling with it", async () => {
    emu = await startTestEmulator({
      seed: shopSeed(),
      rateLimitPerMinute: 120,
      rateLimitWindowMs: 500,
    });
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await call("/business/c-paris-01")).status);
    expect(statuses).toEqual([200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect((await call("/business/c-paris-01")).status).toBe(200);
  });

  test("searches by pages, with the statuses asked for as one comma-separated value", async () => {
    const businesses = Array.from({ length: 7 }, (_, i) =>
      seedBusiness(`s-${i}`, {}, { status: i % 2 === 0 ? "open" : "closed" }),
    );
    emu = await startTestEmulator({ seed: seed(...businesses) });
    const open = await call("/business/search?per_page=3");
    expect(open.body).toMatchObject({ page: 1, max_page: 2, count: 4 });
    expect(open.body.businesses).toHaveLength(3);
    const comma = await call("/business/search?per_page=3&page=3&status=open,closed");
    expect(comma.body).toMatchObject({ page: 3, max_page: 3, count: 7 });
    expect(comma.body.businesses.map((b: { code: string }) => b.code)).toEqual(["s-6"]);
    const byCode = await call("/business/search?status=open,closed&code=s-1");
    expect(byCode.body.businesses).toEqual([
      { id: "id-s-1", code: "s-1", name: "s-1", status: "closed" },
    ]);
    expect((await call("/business/search?per_page=101")).status).toBe(400);
    expect((await call("/business/search?status=gone")).status).toBe(400);
  });

  test("a repeated status parameter counts by its first value only, as on a typical server", async () => {
    emu = await startTestEmulator({
      seed: seed(
        seedBusiness("a-open"),
        seedBusiness("b-closed", {}, { status: "closed" }),
        seedBusiness("c-soon", {}, { status: "opening_soon" }),
      ),
    });
    const repeated = await call("/business/search?status=open&status=closed&status=opening_soon");
    expect(repeated.body).toMatchObject({ count: 1 });
    expect(repeated.body.businesses.map((b: { code: string }) => b.code)).toEqual(["a-open"]);
    const comma = await call("/business/search?status=open,closed,opening_soon");
    expect(comma.body).toMatchObject({ count: 3 });
  });

  test("logs every request with method, path, status and time", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    const before = Date.now();
    await call("/business/c-paris-01?x=1");
    await call("/business/c-nowhere");
    expect(emu.emulator.requests).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/v2/business/c-paris-01",
        query: "x=1",
        status: 200,
      }),
      expect.objectContaining({ method: "GET", path: "/v2/business/c-nowhere", status: 404 }),
    ]);
    expect(emu.emulator.requests[0]!.time).toBeGreaterThanOrEqual(before);
    expect(JSON.stringify(emu.emulator.requests)).not.toContain(TEST_API_KEY);
  });

  test("a lost response is applied, then the connection is dropped", async () => {
    emu = await startTestEmulator({ seed: shopSeed(), faults: { loseResponseNext: 1 } });
    const body = documentedBody([
      { type: "FOOD_ORDERING", urls: [{ value: "https://order.example/x", is_preferred: false }] },
    ]);
    await expect(call("/business/c-paris-01/place_action_links", { body })).rejects.toThrow();
    expect(emu.emulator.store.links("c-paris-01")?.map((type) => type.gmb_id)).toContain(
      "FOOD_ORDERING",
    );
    expect(emu.emulator.requests.at(-1)).toMatchObject({ status: 0, fault: "lost-reset" });
  });

  test("faults can be changed while running", async () => {
    emu = await startTestEmulator({ seed: shopSeed() });
    emu.emulator.setFaults({ serverErrorNext: 1, serverErrorStatus: 500 });
    expect((await call("/business/c-paris-01")).status).toBe(500);
    expect((await call("/business/c-paris-01")).status).toBe(200);
    emu.emulator.setFaults({ rateLimitNext: 1 });
    const limited = await call("/business/c-paris-01");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
  });
});
