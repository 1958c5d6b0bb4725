/** The Partoo client against hostile servers on loopback: trickling, silent, huge answers, and interrupts. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import {
  createPartooClient,
  PartooAbortedError,
  PartooNetworkError,
  WriteOutcomeUnknownError,
  type PartooApi,
  type PartooClientOptions,
} from "../../src/partoo/client.js";
import { testClientOptions } from "../helpers/emulator.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;
let client: PartooApi | undefined;
const sockets = new Set<Socket>();
const timers = new Set<NodeJS.Timeout>();
let requests = 0;

afterEach(async () => {
  for (const timer of timers) clearInterval(timer);
  timers.clear();
  await client?.close();
  client = undefined;
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  requests = 0;
});

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    handler(req, res);
  });
  server.on("connection", (socket) => sockets.add(socket));
  const port = await new Promise<number>((resolve) =>
    server!.listen(0, "127.0.0.1", () => resolve((server!.address() as { port: number }).port)),
  );
  return `http://127.0.0.1:${port}/v2`;
}

function connect(baseUrl: string, overrides: Partial<PartooClientOptions> = {}): PartooApi {
  client = createPartooClient(
    testClientOptions(baseUrl, { retries: { maxRetries: 0 }, ...overrides }),
  );
  return client;
}

/** Sends the headers, then one byte every `everyMs`, forever: undici's per-chunk timeouts never fire. */
const trickle =
  (everyMs: number): Handler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write("[");
    const timer = setInterval(() => res.write(" "), everyMs);
    timers.add(timer);
    res.on("close", () => clearInterval(timer));
  };

async function timed<T>(promise: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const start = Date.now();
  const error = await promise.then(
    () => new Error("expected a failure"),
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - start };
}

describe("every request has a total deadline", () => {
  test("a body trickling one byte at a time ends at the deadline, not when the server stops", async () => {
    const url = await serve(trickle(50));
    const api = connect(url, { deadlineMs: 600 });
    const { error, ms } = await timed(api.getLinks("c-paris-01"));
    expect(error).toBeInstanceOf(PartooNetworkError);
    expect((error as Error).message).toBe(
      "Partoo GET /business/c-paris-01/place_action_links: " +
        `${new URL(url).host}: no complete response within 0.6 s (deadline); try again later`,
    );
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(3_000);
  });

  test("a server that sends headers and never a body ends at the deadline", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.flushHeaders();
    });
    const { error, ms } = await timed(connect(url, { deadlineMs: 400 }).getLinks("c-x"));
    expect((error as Error).message).toMatch(/no complete response within 0\.4 s \(deadline\)/);
    expect(ms).toBeLessThan(3_000);
  });

  test("a server that never answers at all ends at the deadline", async () => {
    const url = await serve(() => undefined);
    const api = connect(url, { deadlineMs: 400, timeouts: { headersMs: 60_000 } });
    const { error, ms } = await timed(api.getLinks("c-x"));
    expect((error as Error).message).toMatch(/\(deadline\)/);
    expect(ms).toBeLessThan(3_000);
  });

  test("a read that hits the deadline is retried, and each attempt has its own deadline", async () => {
    const url = await serve(trickle(50));
    const api = connect(url, { deadlineMs: 300, retries: { maxRetries: 2 } });
    const { error, ms } = await timed(api.getLinks("c-x"));
    expect((error as Error).message).toMatch(/\(deadline\) \(after 2 retries\)/);
    expect(requests).toBe(3);
    expect(ms).toBeLessThan(5_000);
  });

  test("a POST that hits the deadline has an unknown outcome and is never re-sent", async () => {
    const url = await serve(() => undefined);
    const api = connect(url, {
      deadlineMs: 300,
      timeouts: { headersMs: 60_000 },
      retries: { maxRetries: 3 },
    });
    const { error } = await timed(api.setLinks("c-x", [{ type: "SHOP_ONLINE", urls: [] }]));
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).toMatch(/outcome unknown \(no complete response within/);
    expect(requests).toBe(1);
  });
});

describe("a response body is read up to a size cap", () => {
  test("a huge body sent in chunks is cut off at the cap and not retried", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = "x".repeat(64 * 1024);
      const timer = setInterval(() => res.write(chunk), 1);
      timers.add(timer);
      res.on("close", () => clearInterval(timer));
    });
    const api = connect(url, { maxResponseBytes: 1024 * 1024, retries: { maxRetries: 3 } });
    const { error, ms } = await timed(api.getLinks("c-x"));
    expect(error).toBeInstanceOf(PartooNetworkError);
    expect((error as Error).message).toMatch(
      /: the response is larger than 1 MiB and was cut off; try again later$/,
    );
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(3_000);
  });

  test("a body whose declared length is over the cap is refused before it is read", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "50000000" });
      res.write("[");
    });
    const { error } = await timed(connect(url, { maxResponseBytes: 4096 }).getLinks("c-x"));
    expect((error as Error).message).toMatch(/larger than 4 KiB and was cut off/);
  });

  test("an error status with a huge body is still reported by its status", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { json: "y".repeat(20_000) } }));
    });
    const { error } = await timed(connect(url, { maxResponseBytes: 4096 }).getLinks("c-x"));
    expect((error as Error).message).toBe(
      "Partoo GET /business/c-x/place_action_links: 400 Bad Request: Partoo refused the request",
    );
  });
});

describe("the caller's signal cancels requests in flight", () => {
  test("a read in flight ends at once when the signal aborts", async () => {
    const url = await serve(trickle(50));
    const api = connect(url, { deadlineMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("SIGTERM")), 200);
    const { error, ms } = await timed(api.getLinks("c-x", { signal: controller.signal }));
    expect(error).toBeInstanceOf(PartooAbortedError);
    expect(ms).toBeLessThan(2_000);
  });

  test("a write in flight that the signal aborts has an unknown outcome", async () => {
    const url = await serve(() => undefined);
    const api = connect(url, { deadlineMs: 60_000, retries: { maxRetries: 3 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("SIGINT")), 200);
    const { error, ms } = await timed(
      api.setLinks("c-x", [{ type: "SHOP_ONLINE", urls: [] }], { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).toMatch(/the run was stopped while it was in flight/);
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(2_000);
  });

  test("closing the client ends the requests still in flight", async () => {
    const url = await serve(trickle(50));
    const api = connect(url, { deadlineMs: 60_000 });
    const pending = timed(api.getLinks("c-x"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await api.close();
    const { error, ms } = await pending;
    expect(error).toBeInstanceOf(PartooAbortedError);
    expect(ms).toBeLessThan(2_000);
  });
});
