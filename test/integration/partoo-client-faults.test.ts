/** The Partoo client under load and faults, against the emulator: 429, 5xx, lost and slow responses, aborts. */
import {
  PartooAbortedError,
  PartooHttpError,
  PartooNetworkError,
  WriteOutcomeUnknownError,
} from "../../src/partoo/client.js";
import type { TypeWrite } from "../../src/core/model.js";
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

let emu: TestEmulator;

afterEach(async () => {
  await emu?.close();
});

const paris = () =>
  seed(
    seedBusiness("paris-01", {
      SHOP_ONLINE: [{ id: 1, value: "https://shop.example/a", is_preferred: true }],
    }),
  );

const addOne: TypeWrite[] = [
  {
    type: "SHOP_ONLINE",
    urls: [
      { id: 1, value: "https://shop.example/a", is_preferred: true },
      { value: "https://shop.example/new", is_preferred: false },
    ],
  },
];

const shopUrls = (e: TestEmulator) =>
  e.emulator.store
    .links("c-paris-01")
    ?.find((t) => t.gmb_id === "SHOP_ONLINE")
    ?.urls.map((u) => u.value);

const posts = (e: TestEmulator) => e.emulator.requests.filter((entry) => entry.method === "POST");

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: Error) => error,
  );
}

describe("429: the whole client waits Retry-After", () => {
  test("no request reaches the server before Retry-After has elapsed, from any caller", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      retryAfterSeconds: 0.3,
      faults: { rateLimitNext: 1 },
    });
    const lines: string[] = [];
    const others: Promise<unknown>[] = [];
    const client = emu.client({
      logger: (line) => {
        lines.push(line);
        // Other callers start once the client knows of the 429: they must wait too.
        if (others.length === 0)
          others.push(client.getLinks("c-paris-01"), client.searchBusinesses({ code: "paris-01" }));
      },
    });
    await client.getLinks("c-paris-01");
    await Promise.all(others);
    const [limited, ...rest] = emu.emulator.requests;
    expect(limited?.status).toBe(429);
    expect(rest.map((entry) => entry.status)).toEqual([200, 200, 200]);
    for (const entry of rest) expect(entry.time).toBeGreaterThanOrEqual(limited!.time + 300);
    expect(client.stats.rateLimited).toBe(1);
    expect(client.stats.retries).toBe(1);
    expect(client.stats.waitedMs).toBeGreaterThanOrEqual(300);
    expect(lines).toEqual([
      "Partoo GET /business/c-paris-01/place_action_links: 429 rate limited; pausing every request for 0.3 s",
    ]);
  });

  test("a burst of 429s is waited out each time", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      retryAfterSeconds: 0.05,
      faults: { rateLimitNext: 3 },
    });
    const client = emu.client();
    expect(await client.getLinks("c-paris-01")).toHaveProperty("SHOP_ONLINE");
    const times = emu.emulator.requests.map((entry) => entry.time);
    expect(emu.emulator.requests.map((entry) => entry.status)).toEqual([429, 429, 429, 200]);
    times.slice(1).forEach((time, i) => expect(time - times[i]!).toBeGreaterThanOrEqual(50));
  });

  test("a POST that got 429 was not applied: it is sent again and applied once", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      retryAfterSeconds: 0.05,
      faults: { rateLimitNext: 2, methods: ["POST"] },
    });
    await emu.client().setLinks("c-paris-01", addOne);
    expect(posts(emu).map((entry) => entry.status)).toEqual([429, 429, 200]);
    expect(shopUrls(emu)).toEqual(["https://shop.example/a", "https://shop.example/new"]);
  });

  test("too many 429s fail the request with Partoo's status and what to do", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      retryAfterSeconds: 0.01,
      faults: { rateLimitNext: 10 },
    });
    const client = emu.client({ retries: { maxRateLimitWaits: 2 } });
    const error = await rejection(client.getLinks("c-paris-01"));
    expect(error).toBeInstanceOf(PartooHttpError);
    expect(error.message).toMatch(
      /429 Too many requests \(after waiting 2 times\): .*lower --rate-limit/,
    );
    expect(emu.emulator.requests).toHaveLength(3);
  });

  test("a Retry-After longer than allowed fails at once instead of stalling", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      retryAfterSeconds: 600,
      faults: { rateLimitNext: 1 },
    });
    const error = await rejection(
      emu.client({ retries: { maxRetryAfterMs: 60_000 } }).getLinks("c-paris-01"),
    );
    expect(error.message).toMatch(/Retry-After asks for 600 s, more than 60 s/);
    expect(emu.emulator.requests).toHaveLength(1);
  });

  test("an aborted signal stops a request waiting for Retry-After; nothing more is sent", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      retryAfterSeconds: 5,
      faults: { rateLimitNext: 1 },
    });
    const controller = new AbortController();
    const started = Date.now();
    const pending = emu.client().getLinks("c-paris-01", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("SIGINT")), 100);
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(PartooAbortedError);
    expect(error.message).toBe(
      "Partoo GET /business/c-paris-01/place_action_links: not sent, the run was stopped",
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(emu.emulator.requests).toHaveLength(1);
  });
});

describe("5xx and network faults", () => {
  test("a read is retried with backoff on 5xx and then succeeds", async () => {
    emu = await startTestEmulator({ seed: paris(), faults: { serverErrorNext: 2 } });
    const lines: string[] = [];
    const client = emu.client({
      logger: (line) => lines.push(line),
      retries: { baseDelayMs: 20, maxDelayMs: 100 },
    });
    expect(await client.getLinks("c-paris-01")).toHaveProperty("SHOP_ONLINE");
    const [first, second, third] = emu.emulator.requests;
    expect([first?.status, second?.status, third?.status]).toEqual([503, 503, 200]);
    // Equal jitter: at least half of 20 ms, then half of 40 ms.
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(10);
    expect(third!.time - second!.time).toBeGreaterThanOrEqual(20);
    expect(client.stats.retries).toBe(2);
    expect(lines[0]).toMatch(/503 Service Unavailable; retrying in .* \(retry 1 of 3\)/);
  });

  test("a read gives up after the configured retries with the last status", async () => {
    emu = await startTestEmulator({ seed: paris(), faults: { serverErrorNext: 10 } });
    const error = await rejection(
      emu.client({ retries: { maxRetries: 2 } }).getLinks("c-paris-01"),
    );
    expect(error).toBeInstanceOf(PartooHttpError);
    expect((error as PartooHttpError).status).toBe(503);
    expect(error.message).toMatch(
      /503 Service temporarily unavailable \(after 2 retries\): Partoo is failing; try again later$/,
    );
    expect(emu.emulator.requests).toHaveLength(3);
  });

  test("a 5xx on a POST is an unknown outcome and is never sent again", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      faults: { serverErrorNext: 1, methods: ["POST"] },
    });
    const error = await rejection(emu.client().setLinks("c-paris-01", addOne));
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error.message).toBe(
      "Partoo POST /business/c-paris-01/place_action_links: outcome unknown (503 Service Unavailable after the request was sent); the links may or may not have changed: read them again before sending anything else",
    );
    expect((error.cause as PartooHttpError).status).toBe(503);
    expect(posts(emu)).toHaveLength(1);
  });

  test.each(["reset", "502"] as const)(
    "a POST applied whose response is lost (%s) is an unknown outcome, sent once, and the change is there",
    async (how) => {
      emu = await startTestEmulator({
        seed: paris(),
        faults: { loseResponseNext: 1, loseResponseAs: how },
      });
      const error = await rejection(emu.client().setLinks("c-paris-01", addOne));
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      expect(posts(emu)).toHaveLength(1);
      expect(shopUrls(emu)).toEqual(["https://shop.example/a", "https://shop.example/new"]);
    },
  );

  test("a read whose connection is reset is retried", async () => {
    emu = await startTestEmulator({ seed: paris() });
    const client = emu.client();
    await client.getLinks("c-paris-01");
    // Drop every open connection under the client's feet.
    emu.emulator.setFaults({ slowNext: 1, slowMs: 5_000 });
    const pending = client.getLinks("c-paris-01");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await emu.emulator.close();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(PartooNetworkError);
    expect(client.stats.requests.GET).toBeGreaterThan(2);
  });

  test("a slow read times out and is retried", async () => {
    // undici checks these timeouts every ~0.5 s: the slow response must be much slower than that.
    emu = await startTestEmulator({ seed: paris(), faults: { slowNext: 1, slowMs: 5_000 } });
    const client = emu.client({ timeouts: { headersMs: 100 } });
    expect(await client.getLinks("c-paris-01")).toHaveProperty("SHOP_ONLINE");
    expect(client.stats).toMatchObject({ requests: { GET: 2 }, retries: 1 });
  });

  test("a slow read that keeps timing out says how long it waited", async () => {
    emu = await startTestEmulator({ seed: paris(), faults: { slowNext: 5, slowMs: 5_000 } });
    const client = emu.client({ timeouts: { headersMs: 100 }, retries: { maxRetries: 1 } });
    const error = await rejection(client.getLinks("c-paris-01"));
    expect(error).toBeInstanceOf(PartooNetworkError);
    expect(error.message).toMatch(
      /: 127\.0\.0\.1:\d+: no response within 0\.1 s \(headers timeout\) \(after 1 retry\); try again later$/,
    );
  });

  test("a slow POST times out: unknown outcome, sent once, and it was applied", async () => {
    emu = await startTestEmulator({
      seed: paris(),
      faults: { slowNext: 1, slowMs: 5_000, methods: ["POST"] },
    });
    const error = await rejection(
      emu.client({ timeouts: { headersMs: 100 } }).setLinks("c-paris-01", addOne),
    );
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(error.message).toMatch(
      /outcome unknown \(no response within 0\.1 s \(headers timeout\)\)/,
    );
    expect(posts(emu)).toHaveLength(1);
    expect(shopUrls(emu)).toContain("https://shop.example/new");
  });

  test("a POST that could not connect was never sent: it is retried, not reported as unknown", async () => {
    emu = await startTestEmulator({ seed: paris() });
    const client = emu.client({ retries: { maxRetries: 1 } });
    await emu.emulator.close();
    const error = await rejection(client.setLinks("c-paris-01", addOne));
    expect(error).toBeInstanceOf(PartooNetworkError);
    expect(error.message).toMatch(/connection refused \(ECONNREFUSED\) \(after 1 retry\)/);
    expect(client.stats.requests).toEqual({ POST: 2 });
  });
});
