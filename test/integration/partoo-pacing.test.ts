/**
 * Pacing against the emulator's rate limit. N is 2,400/min (one request every 25 ms): a few
 * seconds hold over a hundred requests while a busy machine's timer delays stay small next
 * to the interval. The emulator counts over rolling 2.5-second windows (100 requests each),
 * far stricter than Partoo's minute, so that any burst would show.
 */
import { seed, seedBusiness, startTestEmulator, type TestEmulator } from "../helpers/emulator.js";
import type { PartooApi } from "../../src/partoo/client.js";

const N = 2_400;
const WINDOW_MS = 2_500;

let emu: TestEmulator;

afterEach(async () => {
  await emu?.close();
});

/** Keeps `workers` callers reading links until `ms` have passed; returns the elapsed time. */
async function keepBusy(client: PartooApi, ms: number, workers = 4): Promise<number> {
  const start = Date.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() - start < ms) await client.getLinks("c-paris-01");
    }),
  );
  return Date.now() - start;
}

/** The most requests that arrived within any `span` ms. */
function densest(times: readonly number[], span: number): number {
  let best = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= span) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

describe("pacing", () => {
  test("work paced at N per minute gets no 429 and uses at least 80 % of N", async () => {
    emu = await startTestEmulator({
      seed: seed(seedBusiness("paris-01")),
      rateLimitPerMinute: N,
      rateLimitWindowMs: WINDOW_MS,
    });
    const client = emu.client({ rateLimitPerMinute: N, concurrency: 4 });
    const elapsed = await keepBusy(client, 3_000);
    const requests = emu.emulator.requests;
    const perMinute = (requests.length / elapsed) * 60_000;
    const times = requests.map((entry) => entry.time);
    const report = {
      limitPerMinute: N,
      requests: requests.length,
      elapsedMs: elapsed,
      achievedPerMinute: Math.round(perMinute),
      utilization: Math.round((perMinute / N) * 1000) / 10,
      rateLimited: requests.filter((entry) => entry.status === 429).length,
      densestIn100ms: densest(times, 100),
      densestInWindow: densest(times, WINDOW_MS),
    };
    if (process.env["PACING_REPORT"]) process.stderr.write(`pacing: ${JSON.stringify(report)}\n`);
    expect(report.rateLimited).toBe(0);
    expect(client.stats.rateLimited).toBe(0);
    expect(perMinute).toBeGreaterThanOrEqual(0.8 * N);
    expect(perMinute).toBeLessThanOrEqual(N);
    // Evenly spaced: ~4 per 100 ms at this rate, a few back to back after a late timer;
    // an unpaced client puts dozens in 100 ms.
    expect(report.densestIn100ms).toBeLessThanOrEqual(8);
    expect(report.densestInWindow).toBeLessThanOrEqual((N * WINDOW_MS) / 60_000);
  });

  test("an unpaced client trips the emulator's limit: the limit is real", async () => {
    emu = await startTestEmulator({
      seed: seed(seedBusiness("paris-01")),
      rateLimitPerMinute: 600,
      rateLimitWindowMs: WINDOW_MS,
      retryAfterSeconds: 0.05,
    });
    const client = emu.client({
      rateLimitPerMinute: Infinity,
      retries: { maxRateLimitWaits: 1_000 },
    });
    await keepBusy(client, 500);
    expect(client.stats.rateLimited).toBeGreaterThan(0);
  });
});
