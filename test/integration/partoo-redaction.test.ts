/** The API key never appears in an error (message, stack, JSON, inspection, causes) or a log line. */
import { createServer, type Server } from "node:http";
import { inspect } from "node:util";
import { createPartooClient, type PartooApi } from "../../src/partoo/client.js";
import {
  seed,
  seedBusiness,
  startTestEmulator,
  testClientOptions,
  TEST_API_KEY,
  type TestEmulator,
} from "../helpers/emulator.js";

let emu: TestEmulator;
let echo: Server | undefined;

afterEach(async () => {
  await emu?.close();
  echo?.close();
  echo = undefined;
});

function everythingAbout(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const e = current as Error;
    parts.push(String(e), e.message ?? "", e.stack ?? "", JSON.stringify(e) ?? "");
    current = e.cause;
  }
  parts.push(inspect(error, { depth: null, showHidden: true }));
  return parts.join("\n");
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("the API key stays secret", () => {
  test("in every kind of error and in the log lines", async () => {
    emu = await startTestEmulator({
      seed: seed(seedBusiness("paris-01", { SHOP_ONLINE: ["https://shop.example/a"] })),
      providerKeys: [`${TEST_API_KEY}-provider`],
      retryAfterSeconds: 0.01,
    });
    const lines: string[] = [];
    const make = (overrides = {}): PartooApi =>
      emu.client({ logger: (line: string) => lines.push(line), ...overrides });
    const client = make({ retries: { maxRetries: 1, maxRateLimitWaits: 1 } });
    const errors: unknown[] = [];
    errors.push(await errorOf(make({ apiKey: `${TEST_API_KEY}-wrong` }).getLinks("c-paris-01")));
    errors.push(await errorOf(make({ apiKey: `${TEST_API_KEY}-provider` }).getLinks("c-paris-01")));
    errors.push(await errorOf(client.getLinks("c-nowhere")));
    errors.push(await errorOf(client.setLinks("c-paris-01", [{ type: "TELEPORT", urls: [] }])));
    emu.emulator.setFaults({ serverErrorNext: 5 });
    errors.push(await errorOf(client.getLinks("c-paris-01")));
    emu.emulator.setFaults({ rateLimitNext: 5 });
    errors.push(await errorOf(client.getLinks("c-paris-01")));
    emu.emulator.setFaults({ loseResponseNext: 1 });
    errors.push(await errorOf(client.setLinks("c-paris-01", [{ type: "SHOP_ONLINE", urls: [] }])));
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    errors.push(await errorOf(client.getLinks("c-paris-01", { signal: controller.signal })));
    await emu.emulator.close();
    errors.push(await errorOf(client.getLinks("c-paris-01")));

    expect(errors).toHaveLength(9);
    expect(lines.length).toBeGreaterThan(0);
    for (const error of errors) expect(everythingAbout(error)).not.toContain(TEST_API_KEY);
    expect(lines.join("\n")).not.toContain(TEST_API_KEY);
  });

  test("even when a server echoes the key back in its error body", async () => {
    echo = createServer((req, res) => {
      req.resume();
      const key = String(req.headers["x-apikey"]);
      res
        .writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { json: `bad key ${key}` } }));
    });
    const port = await new Promise<number>((resolve) =>
      echo!.listen(0, "127.0.0.1", () => resolve((echo!.address() as { port: number }).port)),
    );
    const client = createPartooClient(testClientOptions(`http://127.0.0.1:${port}/v2`));
    try {
      const error = await errorOf(client.getLinks("c-x"));
      const text = everythingAbout(error);
      expect(text).toContain("bad key [REDACTED]");
      expect(text).not.toContain(TEST_API_KEY);
    } finally {
      await client.close();
    }
  });
});

describe("the key is redacted in whatever form a server echoes it", () => {
  async function echoing(body: (key: string) => string, status = 400): Promise<string> {
    echo = createServer((req, res) => {
      req.resume();
      res
        .writeHead(status, { "content-type": "application/json" })
        .end(body(String(req.headers["x-apikey"])));
    });
    const port = await new Promise<number>((resolve) =>
      echo!.listen(0, "127.0.0.1", () => resolve((echo!.address() as { port: number }).port)),
    );
    return `http://127.0.0.1:${port}/v2`;
  }

  const unicodeEscaped = (key: string) =>
    [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

  test.each([
    [
      "JSON with \\u escapes",
      (key: string) => `{"error":{"json":"bad key ${unicodeEscaped(key)}"}}`,
    ],
    [
      "percent-encoded",
      (key: string) => JSON.stringify({ error: { json: `see /x?k=${encodeURIComponent(key)}` } }),
    ],
    [
      "percent-encoded, lower hex",
      (key: string) =>
        JSON.stringify({
          error: { json: encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()) },
        }),
    ],
    [
      "base64",
      (key: string) =>
        JSON.stringify({ error: { json: `Basic ${Buffer.from(`u:${key}`).toString("base64")}` } }),
    ],
    [
      "base64url",
      (key: string) =>
        JSON.stringify({ error: { json: Buffer.from(`ab${key}`).toString("base64url") } }),
    ],
    ["an HTML page", (key: string) => `<html><body>key=${key}</body></html>`],
    ["in a key of the error object", (key: string) => JSON.stringify({ error: { [key]: "no" } })],
    [
      "\\u-escaped, straddling the 300-character cut",
      (key: string) => `{"error":{"json":"${"x".repeat(292)}${unicodeEscaped(key)}"}}`,
    ],
    [
      "straddling the 300-character cut",
      (key: string) =>
        JSON.stringify({ error: { json: `${"x".repeat(290)}${key}${"y".repeat(50)}` } }),
    ],
  ])("%s", async (_name, body) => {
    const url = await echoing(body);
    // A plain key, and one with characters that JSON and URLs escape.
    for (const key of [TEST_API_KEY, 'pk/te"st+SECRET%&=?#7f3a\\9c']) {
      const client = createPartooClient(testClientOptions(url, { apiKey: key }));
      try {
        const error = await errorOf(client.getLinks("c-x"));
        const text = everythingAbout(error);
        expect(text).toContain("c-x");
        expect(text).not.toContain(key);
        expect(text).not.toContain(key.slice(0, 8));
        expect(text).not.toContain(encodeURIComponent(key).slice(0, 12));
        expect(text).not.toContain(Buffer.from(key).toString("base64").slice(0, 16));
      } finally {
        await client.close();
      }
    }
  });
});

describe("keys too short to redact are refused", () => {
  test.each(["abc", "k", "1234567"])("%s", (key) => {
    const error = (() => {
      try {
        createPartooClient(testClientOptions("http://127.0.0.1:1/v2", { apiKey: key }));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe(
      `PARTOO_API_KEY is ${key.length} characters long; Partoo keys are longer (at least 8): copy the key again from Partoo`,
    );
  });

  test("a key of 8 characters is accepted", async () => {
    const client = createPartooClient(
      testClientOptions("http://127.0.0.1:1/v2", { apiKey: "12345678" }),
    );
    await client.close();
  });
});
