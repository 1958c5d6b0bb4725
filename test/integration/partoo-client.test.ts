/** The Partoo client against the emulator: reads, writes, search, connections and error messages. */
import { createServer } from "node:net";
import {
  createPartooClient,
  PartooHttpError,
  PartooNetworkError,
  PartooStoppedError,
} from "../../src/partoo/client.js";
import { setLinksBody } from "../../src/partoo/wire.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  testClientOptions,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";

let emu: TestEmulator;

afterEach(async () => {
  await emu?.close();
});

const paris = () =>
  seedBusiness("paris-01", {
    SHOP_ONLINE: [
      { id: 11, value: "https://shop.example/paris", is_preferred: true },
      { id: 12, value: "https://shop.example/paris/gifts" },
    ],
    FOOD_TAKEOUT: [{ id: 13, value: "https://partner.example/paris", is_editable: false }],
  });

/** Max number of requests the emulator was serving at the same time. */
function maxInFlight(entries: readonly { time: number; endTime?: number }[]): number {
  const events = entries.flatMap(
    (e) =>
      [
        [e.time, 1],
        [e.endTime ?? e.time, -1],
      ] as const,
  );
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of events) max = Math.max(max, (current += delta));
  return max;
}

describe("the Partoo client reads and writes links", () => {
  test("reads the live links of a business by code and by id, mapped to the model", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    const expected = {
      SHOP_ONLINE: [
        { id: 11, url: "https://shop.example/paris", preferred: true, editable: true },
        { id: 12, url: "https://shop.example/paris/gifts", preferred: false, editable: true },
      ],
      FOOD_TAKEOUT: [
        { id: 13, url: "https://partner.example/paris", preferred: false, editable: false },
      ],
    };
    expect(await client.getLinks("c-paris-01")).toEqual(expected);
    expect(await client.getLinks("id-paris-01")).toEqual(expected);
  });

  test("reads a type returned with urls: [] the same as an absent type", async () => {
    const business = seedBusiness("x", { SHOP_ONLINE: [] });
    emu = await startTestEmulator({ seed: seed(business), emptyTypes: "keep" });
    expect(await emu.client().getLinks("c-x")).toEqual({});
  });

  test("writes per type: creates, updates, deletes, leaves other types alone", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    const writes = [
      {
        type: "SHOP_ONLINE",
        urls: [
          { id: 12, value: "https://shop.example/paris/gifts", is_preferred: true },
          { value: "https://shop.example/paris/new", is_preferred: false },
        ],
      },
    ];
    await client.setLinks("c-paris-01", writes);
    const live = await client.getLinks("c-paris-01");
    expect(live["SHOP_ONLINE"]?.map(({ url, preferred }) => ({ url, preferred }))).toEqual([
      { url: "https://shop.example/paris/gifts", preferred: true },
      { url: "https://shop.example/paris/new", preferred: false },
    ]);
    expect(live["SHOP_ONLINE"]?.[0]?.id).toBe(12);
    expect(live["FOOD_TAKEOUT"]).toHaveLength(1);
    const post = emu.emulator.requests.find((entry) => entry.method === "POST");
    expect(post?.body).toEqual(setLinksBody(writes));
    expect(post?.path).toBe("/v2/business/c-paris-01/place_action_links");
  });

  test("clears a type sent with no urls", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    await client.setLinks("c-paris-01", [{ type: "SHOP_ONLINE", urls: [] }]);
    expect(Object.keys(await client.getLinks("c-paris-01"))).toEqual(["FOOD_TAKEOUT"]);
  });

  test("sends nothing when there is nothing to write", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    await emu.client().setLinks("c-paris-01", []);
    expect(emu.emulator.requests).toEqual([]);
  });

  test("encodes an address with unsafe characters as one path segment", async () => {
    emu = await startTestEmulator({
      seed: seed(seedBusiness("a/b c?d#e", { SHOP_ONLINE: ["https://x.example"] })),
    });
    const live = await emu.client().getLinks("c-a/b c?d#e");
    expect(live["SHOP_ONLINE"]).toHaveLength(1);
    expect(emu.emulator.requests[0]?.path).toBe(
      "/v2/business/c-a%2Fb%20c%3Fd%23e/place_action_links",
    );
  });

  test("searches every page and every status, 100 per page", async () => {
    const statuses = ["open", "closed", "opening_soon", "temporarily_closed"];
    const businesses = Array.from({ length: 230 }, (_, i) =>
      seedBusiness(`store-${i}`, {}, { status: statuses[i % 4]! }),
    );
    emu = await startTestEmulator({ seed: seed(...businesses) });
    const found = await emu.client().searchBusinesses();
    expect(found).toHaveLength(230);
    expect(new Set(found.map((b) => b.status))).toEqual(new Set(statuses));
    const queries = emu.emulator.requests.map((entry) => new URLSearchParams(entry.query));
    expect(queries.map((q) => q.get("page"))).toEqual(["1", "2", "3"]);
    for (const query of queries) {
      expect(query.get("per_page")).toBe("100");
      expect(query.getAll("status")).toEqual([statuses.join(",")]);
    }
  });

  test("searches by code, narrowed to the statuses asked for", async () => {
    emu = await startTestEmulator({
      seed: seed(
        seedBusiness("dup", {}, { id: "a", status: "closed" }),
        seedBusiness("dup", {}, { id: "b" }),
        seedBusiness("other"),
      ),
    });
    const client = emu.client();
    expect((await client.searchBusinesses({ code: "dup" })).map((b) => b.id)).toEqual(["a", "b"]);
    expect(
      (await client.searchBusinesses({ code: "dup", statuses: ["open"] })).map((b) => b.id),
    ).toEqual(["b"]);
  });

  test("reuses kept-alive connections instead of opening one per request", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    for (let i = 0; i < 30; i++) await client.getLinks("c-paris-01");
    const connections = emu.emulator.requests.map((entry) => entry.connection);
    // undici's pool may alternate between two idle connections; what matters is that they are reused.
    expect(new Set(connections).size).toBeLessThanOrEqual(2);
  });

  test("keeps at most `concurrency` requests in flight", async () => {
    emu = await startTestEmulator({ seed: seed(paris()), faults: { latencyMs: 40 } });
    const client = emu.client({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => client.getLinks("c-paris-01")));
    expect(maxInFlight(emu.emulator.requests)).toBe(3);
  });

  test("can be closed twice", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    await client.getLinks("c-paris-01");
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
  });

  test("counts requests by method, and the time spent waiting for the pacer", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client({ rateLimitPerMinute: 600 });
    await client.getLinks("c-paris-01");
    await client.setLinks("c-paris-01", [{ type: "SHOP_ONLINE", urls: [] }]);
    await client.getLinks("c-paris-01");
    const { waitedMs, ...counts } = client.stats;
    expect(counts).toEqual({ requests: { GET: 2, POST: 1 }, retries: 0, rateLimited: 0 });
    // Two gaps of 60,000 / (600 × 0.95) ms, less the time the requests themselves took.
    expect(waitedMs).toBeGreaterThan(150);
    expect(waitedMs).toBeLessThan(300);
  });
});

describe("the Partoo client's error messages", () => {
  async function failure(promise: Promise<unknown>): Promise<PartooHttpError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PartooHttpError);
    return error as PartooHttpError;
  }

  test("401: the key was refused, check PARTOO_API_KEY; the client stops", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const stopped = await emu
      .client({ apiKey: "wrong-key-123456" })
      .getLinks("c-paris-01")
      .catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(PartooStoppedError);
    expect((stopped as PartooStoppedError).reason).toBe("key-refused");
    const error = (stopped as PartooStoppedError).cause as PartooHttpError;
    expect(error).toBeInstanceOf(PartooHttpError);
    expect(error.status).toBe(401);
    expect((stopped as Error).message).toBe(error.message);
    expect(error.message).toBe(
      "Partoo GET /business/c-paris-01/place_action_links: 401 User not authenticated: the API key was refused; check PARTOO_API_KEY",
    );
    expect(error.exitCode).toBe(1);
  });

  test("403 on a code: set business_id in the store file", async () => {
    emu = await startTestEmulator({ seed: seed(paris()), providerKeys: ["provider-key-1"] });
    const error = await failure(emu.client({ apiKey: "provider-key-1" }).getLinks("c-paris-01"));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(
      /^Partoo GET \/business\/c-paris-01\/place_action_links: 403 Operation not allowed: the key's role cannot do this.*set business_id in the store file/,
    );
  });

  test("404: no business with that code, or that id", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    const byCode = await failure(client.getLinks("c-paris-99"));
    expect(byCode.message).toBe(
      "Partoo GET /business/c-paris-99/place_action_links: 404 Resource not found: no business with code paris-99; check the code or set business_id",
    );
    const byId = await failure(client.getLinks("5409c35a97bbc544d8e26737"));
    expect(byId.message).toMatch(
      /404 Resource not found: no business with id 5409c35a97bbc544d8e26737; check business_id/,
    );
    expect(byId.request).toEqual({
      method: "GET",
      url: `${emu.baseUrl}/business/5409c35a97bbc544d8e26737/place_action_links`,
      path: "/business/5409c35a97bbc544d8e26737/place_action_links",
      address: "5409c35a97bbc544d8e26737",
    });
    expect(byId.response).toEqual({ status: 404, body: { error: { json: "Resource not found" } } });
  });

  test("400: Partoo's own message, flattened to one line, and no retry", async () => {
    emu = await startTestEmulator({ seed: seed(paris()) });
    const client = emu.client();
    const error = await failure(
      client.setLinks("c-paris-01", [
        {
          type: "SHOP_ONLINE",
          urls: [
            { value: "https://a.example/1", is_preferred: true },
            { value: "https://a.example/2", is_preferred: true },
          ],
        },
      ]),
    );
    expect(error.status).toBe(400);
    expect(error.partooMessage).toMatch(/More than one preferred link for SHOP_ONLINE/);
    expect(error.message).toMatch(
      /^Partoo POST \/business\/c-paris-01\/place_action_links: 400 .*More than one preferred.*: Partoo refused these links/,
    );
    expect(error.message).not.toContain("\n");
    expect(client.stats.requests).toEqual({ POST: 1 });
  });

  test("415: a bug in partoo-links, with Partoo's errors message", async () => {
    // Our client always sends JSON; a server that still refuses it shows how 415 reads.
    const server = createServerAnswering(415, {
      errors: { json: 'Unsupported media type "application/json".' },
    });
    const port = await listen(server);
    const client = createPartooClient(testClientOptions(`http://127.0.0.1:${port}/v2`));
    try {
      const error = await failure(client.setLinks("c-x", [{ type: "SHOP_ONLINE", urls: [] }]));
      expect(error.message).toMatch(/415 Unsupported media type .*this is a bug in partoo-links/);
    } finally {
      await client.close();
      server.close();
    }
  });

  test("a response that is not in the documented shape is a clear error", async () => {
    const server = createServerAnswering(200, { links: [] });
    const port = await listen(server);
    const client = createPartooClient(testClientOptions(`http://127.0.0.1:${port}/v2`));
    try {
      const error = await failure(client.getLinks("c-x"));
      expect(error.message).toMatch(
        /200 but the response is not in the documented shape \(place_action_links: expected a list\)/,
      );
    } finally {
      await client.close();
      server.close();
    }
  });

  test("a host that refuses connections is a network error naming the host, after retries", async () => {
    const port = await freePort();
    const client = createPartooClient(
      testClientOptions(`http://127.0.0.1:${port}/v2`, { retries: { maxRetries: 2 } }),
    );
    try {
      const error = await client.getLinks("c-paris-01").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartooNetworkError);
      expect((error as PartooNetworkError).host).toBe(`127.0.0.1:${port}`);
      expect((error as Error).message).toBe(
        `Partoo GET /business/c-paris-01/place_action_links: 127.0.0.1:${port}: connection refused (ECONNREFUSED) (after 2 retries); check --api-url or PARTOO_API_URL, and the network`,
      );
      expect(client.stats.requests).toEqual({ GET: 3 });
    } finally {
      await client.close();
    }
  });

  test("refuses an empty key or one that cannot be sent in a header, without echoing it", () => {
    expect(() => createPartooClient({ baseUrl: "http://127.0.0.1:1/v2", apiKey: "" })).toThrow(
      /PARTOO_API_KEY is empty/,
    );
    const error = (() => {
      try {
        createPartooClient({ baseUrl: "http://127.0.0.1:1/v2", apiKey: `${TEST_API_KEY}\n` });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/cannot be sent in a header/);
    expect(error?.message).not.toContain(TEST_API_KEY);
  });
});

import { createServer as createHttpServer, type Server } from "node:http";

function createServerAnswering(status: number, body: unknown): Server {
  return createHttpServer((req, res) => {
    req.resume();
    req.on("end", () =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body)),
    );
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    });
  });
}

/** A port nobody listens on: open one, note it, close it. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
