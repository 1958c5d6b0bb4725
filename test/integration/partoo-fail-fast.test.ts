/**
 * Every command that calls Partoo stops within seconds, with one line and exit 1, when the
 * key is refused, the API cannot be reached, or the URL answers 404 for every store
 * (issue 19), on a 300-store fleet against the emulator.
 */
import { createServer, type Server } from "node:http";
import { addBusinesses, codes, startFleet, url, type Fleet } from "./apply-fleet.js";

const STORES = 300;
let fleet: Fleet;
let notFound: Server | undefined;
let notFoundHits = 0;

beforeAll(async () => {
  fleet = await startFleet();
  addBusinesses(fleet, codes(STORES));
  for (const code of codes(STORES)) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
});

afterAll(async () => {
  await fleet.close();
  await new Promise<void>((resolve) => (notFound ? notFound.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  fleet.emu.emulator.clearRequests();
  notFoundHits = 0;
});

/** A server that answers 404 in Partoo's shape to everything: a base URL that lacks /v2. */
async function everythingNotFound(): Promise<string> {
  notFound ??= createServer((req, res) => {
    notFoundHits++;
    req.resume();
    res
      .writeHead(404, { "content-type": "application/json" })
      .end(JSON.stringify({ error: { json: "Resource not found" } }));
  });
  if (!notFound.listening) {
    await new Promise<void>((resolve) => notFound!.listen(0, "127.0.0.1", () => resolve()));
  }
  return `http://127.0.0.1:${(notFound.address() as { port: number }).port}`;
}

// Paced as in production (fleet.run would not pace them): at 600,000 a minute, four
// requests leave before the first answer.
const PRODUCTION_PACE = ["--rate-limit", "300"];
const COMMANDS: readonly (readonly string[])[] = [
  ["drift", ...PRODUCTION_PACE],
  ["plan", "--live", "--refresh", ...PRODUCTION_PACE],
  ["apply", ...PRODUCTION_PACE],
  ["import", "--all", ...PRODUCTION_PACE],
];

async function runTimed(args: readonly string[], env: Record<string, string>) {
  const start = Date.now();
  const result = await fleet.run(args, { env });
  return { ...result, ms: Date.now() - start };
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

describe("a key Partoo refuses", () => {
  test.each(COMMANDS)(
    "%s stops at the first 401: no request after it, no retry line, exit 1",
    async (...args) => {
      const result = await runTimed(args, { PARTOO_API_KEY: "pk-wrong-0123456789abcdef" });
      expect(result.code).toBe(1);
      const requests = fleet.requests();
      const first = requests.find((entry) => entry.status === 401);
      expect(first).toBeDefined();
      const after = requests.filter((entry) => entry.time > first!.endTime!);
      expect(after).toEqual([]);
      expect(requests.length).toBeLessThanOrEqual(4);
      expect(result.stderr).not.toMatch(/retrying|destroyed/i);
      expect(result.ms).toBeLessThan(5_000);
      if (args[0] === "apply") {
        expect(result.stdout).toContain(
          "stopped: Partoo rejected the API key (401); check PARTOO_API_KEY",
        );
      } else {
        expect(lines(result.stderr)).toEqual([
          expect.stringMatching(
            /^partoo-links: Partoo GET \/business\/\S+: 401 User not authenticated: the API key was refused; check PARTOO_API_KEY$/,
          ),
        ]);
      }
    },
  );
});

describe("an API nobody answers at", () => {
  test.each(COMMANDS)("%s says it cannot reach Partoo, within seconds, exit 1", async (...args) => {
    const result = await runTimed(args, { PARTOO_API_URL: "http://127.0.0.1:1/v2" });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      "partoo-links: cannot reach Partoo at http://127.0.0.1:1/v2 (ECONNREFUSED); check --api-url / PARTOO_API_URL, and the network",
    ]);
    expect(result.stdout).not.toMatch(/no changes/);
    expect(result.ms).toBeLessThan(5_000);
  });
});

describe("a base URL where every store answers 404", () => {
  test.each(COMMANDS)(
    "%s asks whether the URL is right, within seconds, exit 1",
    async (...args) => {
      const base = await everythingNotFound();
      const result = await runTimed(args, { PARTOO_API_URL: base });
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^partoo-links: Partoo at ${base}/: (every store answered 404 \\(the first 8 read\\)|the business search answered 404): is the URL right\\? It ends in /v2, e\\.g\\. https://api\\.partoo\\.co/v2; check --api-url / PARTOO_API_URL$`,
          ),
        ),
      ]);
      expect(notFoundHits).toBeLessThanOrEqual(args[0] === "import" ? 1 : 8);
      expect(result.ms).toBeLessThan(5_000);
    },
  );

  test("the emulator's own root, without /v2, is detected the same way", async () => {
    const base = fleet.emu.baseUrl.replace(/\/v2$/, "");
    const result = await runTimed(["drift", ...PRODUCTION_PACE], { PARTOO_API_URL: base });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/every store answered 404 .*: is the URL right\?/);
    expect(fleet.requests().length).toBe(8);
  });
});

describe("a few stores that answer 404 among many", () => {
  test("are per-store failures, and the summary never says no changes", async () => {
    const missing = ["ghost-1", "ghost-2"];
    for (const code of missing) await fleet.writeStore(code, { SHOP_ONLINE: [url(code)] });
    try {
      const result = await fleet.run(
        ["drift", "--only", missing.join(","), ...PRODUCTION_PACE],
        {},
      );
      expect(result.code).toBe(1);
      expect(result.stdout).not.toMatch(/no changes/);
      expect(result.stdout).toMatch(
        /Drift: incomplete, 2 stores could not be read; 0 read and unchanged\./,
      );
    } finally {
      for (const code of missing) await fleet.removeStore(code);
    }
  });
});
