/**
 * `apply` under injected faults: 429 bursts, 5xx on reads and writes, writes applied whose
 * response is lost, and the emulator's own rate limit. The fleet must converge with exactly
 * the links of the files, never a duplicate, and record a store only once Partoo confirmed it.
 * Faults that the CLI's default backoff would make slow run through runApply with a client
 * whose retries take milliseconds.
 */
import { StateRecorder } from "../../src/reconcile/state-recorder.js";
import { runApply, type ApplyJob } from "../../src/reconcile/run-apply.js";
import { createFileStateBackend } from "../../src/state/file.js";
import type { DesiredStore, StateDocument } from "../../src/core/model.js";
import type { PartooApi } from "../../src/partoo/client.js";
import type { RequestLogEntry } from "../../src/emulator/server.js";
import { seededRandom } from "../../src/emulator/faults.js";
import {
  addBusinesses,
  codeOf,
  codes,
  liveMismatches,
  startFleet,
  url,
  type Fleet,
  type FileLinks,
} from "./apply-fleet.js";

let fleet: Fleet;

afterEach(async () => {
  await fleet?.close();
});

/** `count` stores to apply, each adding two links next to one already live. */
async function fleetToApply(count: number, options: Parameters<typeof startFleet>[0] = {}) {
  fleet = await startFleet(options);
  const names = codes(count);
  addBusinesses(fleet, names, (code) => ({ SHOP_ONLINE: [{ value: url(code) }] }));
  for (const code of names) {
    await fleet.writeStore(code, {
      SHOP_ONLINE: [{ url: url(code), preferred: true }, url(code, "/gifts")],
      FOOD_TAKEOUT: [url(code, "/takeout")],
    });
  }
  return names;
}

/** The fleet converged: live matches every file, no duplicate, every store recorded as ok. */
async function expectConverged(names: readonly string[]): Promise<StateDocument> {
  expect(liveMismatches(fleet)).toEqual([]);
  const state = await fleet.state();
  expect(Object.keys(state.stores).sort()).toEqual([...names].sort());
  for (const code of names) expect(state.stores[code]!.lastAttempt?.status).toBe("ok");
  return state;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** The jobs apply would build for these stores (never applied, or as the state says). */
function jobsFor(names: readonly string[], state: StateDocument): ApplyJob[] {
  return names.map((code) => {
    const links = fleet.files.get(code)!;
    return {
      code,
      address: `c-${code}`,
      desired: desiredStore(code, links),
      previous: state.stores[code],
      expectedDeletions: 0,
    };
  });
}

function desiredStore(code: string, links: FileLinks): DesiredStore {
  return {
    code,
    links: Object.fromEntries(
      Object.entries(links).map(([type, list]) => [
        type,
        list.map((link) =>
          typeof link === "string"
            ? { url: link, preferred: false }
            : { url: link.url, preferred: link.preferred === true },
        ),
      ]),
    ),
  };
}

async function applyDirect(api: PartooApi, names: readonly string[]) {
  const recorder = new StateRecorder(createFileStateBackend(fleet.statePath), 0);
  const result = await runApply(jobsFor(names, await fleet.state()), {
    api,
    recorder,
    concurrency: 4,
    maxDeletedLinks: 100,
    reservedDeletions: 0,
    now: () => new Date(),
  });
  await recorder.flush();
  return result;
}

describe("apply under 429 bursts", () => {
  const retryAfterMs = 400;

  test("sends no request before Retry-After has elapsed, and converges", async () => {
    const names = await fleetToApply(4, {
      retryAfterSeconds: retryAfterMs / 1000,
      faults: { rateLimitNext: 2 },
    });
    const result = await fleet.run(["apply", "--concurrency", "1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(14 requests, 2 rate-limited,");
    const log = fleet.requests();
    const limited = log.filter((entry) => entry.status === 429);
    expect(limited).toHaveLength(2);
    for (const entry of limited) {
      const next = log[log.indexOf(entry) + 1]!;
      expect(next.time - entry.endTime!).toBeGreaterThanOrEqual(retryAfterMs);
    }
    expect(result.stderr).toContain("429 rate limited; pausing every request for 0.4 s");
    await expectConverged(names);
    expect(countBy(fleet.postedCodes())).toEqual(Object.fromEntries(names.map((c) => [c, 1])));
  });

  test("pauses the whole client: only requests already in flight arrive during the pause", async () => {
    const names = await fleetToApply(8, {
      retryAfterSeconds: retryAfterMs / 1000,
      faults: { rateLimitNext: 1, latencyMs: 20 },
    });
    const result = await fleet.run(["apply", "--concurrency", "4"]);
    expect(result.code).toBe(0);
    const log = fleet.requests();
    const [limited] = log.filter((entry) => entry.status === 429);
    const during = log.filter(
      (entry) =>
        entry.time > limited!.endTime! && entry.time < limited!.endTime! + retryAfterMs - 5,
    );
    // At most the three other requests that had left before the 429 came back.
    expect(during.length).toBeLessThanOrEqual(3);
    await expectConverged(names);
    expect(fleet.requests("POST")).toHaveLength(names.length);
  });
});

describe("apply under 5xx and lost responses", () => {
  test("5xx on reads are retried and the fleet converges with one POST per store", async () => {
    const names = await fleetToApply(4, {
      faults: { serverErrorNext: 3, methods: ["GET"] },
    });
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(0);
    expect(fleet.requests("GET").filter((entry) => entry.status === 503)).toHaveLength(3);
    await expectConverged(names);
    expect(countBy(fleet.postedCodes())).toEqual(Object.fromEntries(names.map((c) => [c, 1])));
  });

  test("a 5xx on a write is not re-sent as is: live is read again and only what is missing is sent", async () => {
    const names = await fleetToApply(3, {
      faults: { serverErrorNext: 2, methods: ["POST"] },
    });
    const result = await fleet.run(["apply", "--concurrency", "1"]);
    expect(result.code).toBe(0);
    // The first store's first two writes fail before Partoo applies them.
    const posts = fleet.requests("POST");
    expect(posts.map((entry) => entry.status)).toEqual([503, 503, 200, 200, 200]);
    // Each POST follows a fresh read of the store's links.
    for (const post of posts) {
      const before = fleet.requests()[fleet.requests().indexOf(post) - 1]!;
      expect(`${before.method} ${before.path}`).toBe(`GET ${post.path}`);
    }
    expect(result.stdout).toContain(
      `✓ ${names[0]}: applied (2 created, 1 updated, 2 lost responses resolved)`,
    );
    await expectConverged(names);
  });

  test.each(["reset", "502"] as const)(
    "a write applied whose response is lost (%s) is never sent again and creates no duplicate",
    async (as) => {
      const names = await fleetToApply(5, {
        faults: { loseResponseNext: 3, loseResponseAs: as },
      });
      const result = await fleet.run(["apply"]);
      expect(result.code).toBe(0);
      expect(
        fleet.requests("POST").filter((entry) => entry.fault?.startsWith("lost")),
      ).toHaveLength(3);
      // One POST per store: the lost ones were confirmed by reading again.
      expect(countBy(fleet.postedCodes())).toEqual(Object.fromEntries(names.map((c) => [c, 1])));
      expect(result.stdout.match(/1 lost responses resolved/g)).toHaveLength(3);
      await expectConverged(names);
    },
  );

  test("a store whose writes keep failing fails alone after a bounded number of writes", async () => {
    const names = await fleetToApply(1, {
      faults: { serverErrorRate: 1, methods: ["POST"] },
    });
    // Another store, already as its file wants: it needs no write and is recorded.
    addBusinesses(fleet, ["fine-01"], (code) => ({ SHOP_ONLINE: [{ value: url(code) }] }));
    await fleet.writeStore("fine-01", { SHOP_ONLINE: [url("fine-01")] });
    const result = await fleet.run(["apply"]);
    expect(result.code).toBe(1);
    expect(fleet.requests("POST").filter((e) => codeOf(e.path) === names[0])).toHaveLength(3);
    const state = await fleet.state();
    expect(state.stores[names[0]!]).toMatchObject({
      lastAttempt: { status: "failed", errorClass: "read-back-mismatch" },
    });
    expect(state.stores[names[0]!]!.hash).toBeUndefined();
    // The reason given is Partoo's failure, not a guess.
    expect(result.stdout).toMatch(
      new RegExp(`✗ ${names[0]}: failed: .*after 3 writes .*the last write failed: .*503`),
    );
    expect(state.stores["fine-01"]!.lastAttempt?.status).toBe("ok");
    expect(liveMismatches(fleet, [names[0]!])).toHaveLength(2);
  });
});

describe("apply records a store only once Partoo confirmed it", () => {
  test("a write applied whose read-back fails leaves the store unrecorded; the next run confirms it without writing", async () => {
    let failReads = false;
    const names = await fleetToApply(1, {
      faults: { loseResponseNext: 1 },
      onRequest: (entry: RequestLogEntry) => {
        // Once the POST's response is lost, Partoo stops answering reads for a while.
        if (entry.fault === "lost-reset" && !failReads) {
          failReads = true;
          fleet.emu.emulator.setFaults({ serverErrorRate: 1, methods: ["GET"] });
        }
      },
    });
    const [code] = names;
    const first = await applyDirect(fleet.emu.client(), names);
    expect(first.outcomes).toEqual([
      expect.objectContaining({ code, status: "failed", errorClass: "http-503" }),
    ]);
    const recorded = (await fleet.state()).stores[code!]!;
    expect(recorded.hash).toBeUndefined();
    expect(recorded.links).toBeUndefined();
    expect(recorded.lastAttempt).toMatchObject({ status: "failed", errorClass: "http-503" });
    // The write was applied all the same.
    expect(liveMismatches(fleet)).toEqual([]);

    fleet.emu.emulator.setFaults({});
    fleet.emu.emulator.clearRequests();
    const second = await fleet.run(["apply"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`= ${code}: unchanged (live already matched)`);
    expect(fleet.requests().map((entry) => entry.method)).toEqual(["GET"]);
    await expectConverged(names);
  });

  test("a write that times out is resolved by reading again, without a duplicate", async () => {
    const names = await fleetToApply(2, {
      faults: { slowNext: 1, slowMs: 1500, methods: ["POST"] },
    });
    const client = fleet.emu.client({ timeouts: { headersMs: 200 } });
    const result = await applyDirect(client, names);
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(["applied", "applied"]);
    expect(result.outcomes.map((outcome) => outcome.unknownOutcomes).sort()).toEqual([0, 1]);
    expect(fleet.requests("POST")).toHaveLength(2);
    await expectConverged(names);
  });

  test("5xx bursts on every kind of request still converge with no duplicate", async () => {
    const names = await fleetToApply(10, {
      faults: { serverErrorRate: 0.3, loseResponseRate: 0.3 },
      random: seededRandom(7),
    });
    const client = fleet.emu.client({ retries: { maxRetries: 6 } });
    let result = await applyDirect(client, names);
    // A store can still fail when its writes keep failing; the next run finishes it.
    for (let run = 0; run < 3 && result.outcomes.some((o) => o.status === "failed"); run++) {
      result = await applyDirect(client, names);
    }
    expect(result.outcomes.every((outcome) => outcome.status !== "failed")).toBe(true);
    expect(fleet.requests().filter((entry) => entry.fault !== undefined).length).toBeGreaterThan(5);
    await expectConverged(names);
  });
});

describe("apply pacing", () => {
  test("causes no 429 when --rate-limit is the server's limit, even counted in short windows", async () => {
    // 2,400 per minute counted over rolling 1.5 s windows: at most 60 requests in any 1.5 s.
    const names = await fleetToApply(30, { rateLimitPerMinute: 2400, rateLimitWindowMs: 1500 });
    const started = Date.now();
    const result = await fleet.run(["apply", "--rate-limit", "2400", "--concurrency", "8"]);
    const elapsed = Date.now() - started;
    expect(result.code).toBe(0);
    expect(fleet.requests().filter((entry) => entry.status === 429)).toEqual([]);
    expect(result.stdout).toContain("(90 requests, 0 rate-limited,");
    // 90 requests at 2,400/min less the headroom: they were spread, not sent in a burst.
    expect(elapsed).toBeGreaterThan(2000);
    const times = fleet.requests().map((entry) => entry.time);
    const busiest = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1500).length),
    );
    expect(busiest).toBeLessThanOrEqual(60);
    await expectConverged(names);
  });
});
