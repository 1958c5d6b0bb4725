/**
 * Pacing at a configured limit: the emulator allows N requests per minute counted over a
 * short rolling window (the strictest way a server can count), and `apply --rate-limit N`
 * runs about five seconds of work against it. What matters: the share of N the run used
 * (measured by the emulator, from the first request to the last), and that no request met
 * a 429.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { startEmulator, type Emulator } from "../../../src/emulator/server.js";
import { generateStoresInTempDir } from "../generate-stores.js";
import { goal, registerBenchmark, type ReadmeRow } from "../harness.js";
import { staleSeed, withExtraLink, writeStores } from "./apply-fleet-fixture.js";
import {
  appendRun,
  busiestWindow,
  nextRunIndex,
  readRuns,
  requestsDuring,
  requireEmulator,
  runApply,
  type AppliedRun,
} from "./apply-support.js";

/** The limit, per minute, of both the emulator and the client. */
const PER_MINUTE = 6000;
/** The emulator counts over 2 s windows: 200 requests per window. */
const WINDOW_MS = 2000;
/** 160 stores × 3 requests at 6,000/min: about 5 s of work. */
const STORES = 160;
/**
 * The pacer aims at 95 % of the limit; a run's measured share is a little lower (the last
 * responses' latency, the machine's other work), so 90 % is the floor of "paced at 95 %".
 */
const MIN_SHARE = 0.9;

interface PacingContext {
  readonly root: string;
  readonly dirs: readonly string[];
  readonly apiUrl: string;
  readonly metrics: string;
  readonly counter: string;
}

let emulator: Emulator | undefined;

registerBenchmark<PacingContext>({
  name: `pacing: apply --rate-limit ${PER_MINUTE.toLocaleString("en-US")} against a limit of ${PER_MINUTE.toLocaleString("en-US")}/min counted over ${WINDOW_MS / 1000} s windows`,
  runs: 1,
  rounds: 1,
  async setup() {
    const { dir, stores } = await generateStoresInTempDir(STORES);
    const root = path.dirname(dir);
    const other = path.join(root, "stores-extra");
    await writeStores(
      other,
      stores.map((store) => withExtraLink(store, "extra")),
    );
    emulator = await startEmulator({
      seed: staleSeed(stores),
      rateLimitPerMinute: PER_MINUTE,
      rateLimitWindowMs: WINDOW_MS,
    });
    return {
      root,
      dirs: [dir, other],
      apiUrl: emulator.baseUrl,
      metrics: path.join(root, "runs.jsonl"),
      counter: path.join(root, "run-index"),
    };
  },
  async teardown({ root }) {
    await emulator?.close();
    await rm(root, { recursive: true, force: true });
  },
  async ours(context) {
    return async () => {
      const index = nextRunIndex(context.counter);
      const state = path.join(context.root, `state-${index}.json`);
      const dir = context.dirs[index % context.dirs.length]!;
      const run = await runApply(
        [
          ...["--stores", dir, "--state", `file:${state}`, "--rate-limit", String(PER_MINUTE)],
          // Each store deletes the link set by hand, or the previous run's extra link.
          ...["--max-deleted-links", String(STORES)],
        ],
        { apiUrl: context.apiUrl, cwd: context.root, expected: { applied: STORES, failed: 0 } },
      );
      appendRun(context.metrics, run);
    };
  },
  notes(context) {
    const { runs, share, rateLimited } = measuredPacing(context);
    const windowLimit = (PER_MINUTE * WINDOW_MS) / 60_000;
    const shown = runs
      .map(
        (run) =>
          `${run.requests} requests in ${(run.spanMs / 1000).toFixed(1)} s = ${(run.share * 100).toFixed(1)} % of the limit, busiest window ${run.busiest}/${windowLimit}`,
      )
      .join("; ");
    return [
      `${runs.length} runs of ${STORES} stores (GET + POST + GET each, default concurrency); ${shown}`,
      goal(
        `share of the limit used ≥ ${MIN_SHARE * 100} %`,
        `${(share * 100).toFixed(1)} %`,
        share >= MIN_SHARE,
      ),
      goal("0 answers 429", String(rateLimited), rateLimited === 0),
    ];
  },
  readme(context) {
    const { runs, share } = measuredPacing(context);
    const perStore = Math.max(...runs.map((run) => run.requests)) / STORES;
    return SYNC_ROWS.map(([stores, label]): ReadmeRow => {
      const requests = Math.round(stores * perStore);
      const minutes = requests / (DEFAULT_RATE_LIMIT * share);
      return {
        table: "sync",
        cells: [label, requests.toLocaleString("en-US"), durationAt(minutes)],
      };
    });
  },
});

/** What the README's "How long a sync takes" shows: stores to push at the default limit. */
const SYNC_ROWS: readonly [number, string][] = [
  [100, "100 (1 % of 10,000)"],
  [1_000, "1,000"],
  [10_000, "10,000 (a first sync)"],
  [28_500, "28,500"],
];
const DEFAULT_RATE_LIMIT = 300;

function durationAt(minutes: number): string {
  if (minutes < 1.5) return "about 1 minute";
  if (minutes < 120) return `about ${Math.round(minutes)} minutes`;
  return `about ${(minutes / 60).toFixed(1)} hours`;
}

/** Each run's requests, as the emulator saw them, and the share of the limit they used. */
function measuredPacing(context: PacingContext) {
  const server = requireEmulator(emulator);
  const runs = readRuns<AppliedRun>(context.metrics).map((run) => {
    const entries = requestsDuring(server.requests, run);
    const spanMs = entries.at(-1)!.time - entries[0]!.time;
    const perMinute = ((entries.length - 1) / spanMs) * 60_000;
    return {
      requests: entries.length,
      spanMs,
      share: perMinute / PER_MINUTE,
      rateLimited: entries.filter((entry) => entry.status === 429).length,
      busiest: busiestWindow(entries, WINDOW_MS),
    };
  });
  const share = Math.min(...runs.map((run) => run.share));
  const rateLimited = runs.reduce((sum, run) => sum + run.rateLimited, 0);
  return { runs, share, rateLimited };
}
