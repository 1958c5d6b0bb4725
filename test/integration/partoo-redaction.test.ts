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
