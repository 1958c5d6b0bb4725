/**
 * apply on 10,000 stores against the emulator, as the merge workflow runs it (the CLI, with a
 * file state), without pacing so that the client's own cost shows: a first sync where every
 * store needs a write, a run where nothing changed, and a pull request that changed 1 % of
 * the stores, the last one against the script a user would otherwise write (POST every store
 * on every merge). Requests are counted by the emulator.
 */
import { copyFile, rm } from "node:fs/promises";
import path from "node:path";
import { startEmulator, type Emulator } from "../../../src/emulator/server.js";
import { goal, megabytes, registerBenchmark, type Note } from "../harness.js";
import { seconds as readmeSeconds } from "../report.js";
import {
  FLEET_SIZE as STORES,
  privateRoot,
  sharedAppliedFleet,
  sharedFleet,
  staleSeed,
  withExtraLink,
  writeStores,
} from "./apply-fleet-fixture.js";
import { postEveryStore } from "./apply-script.js";
import {
  appendRun,
  formatCount,
  nextRunIndex,
  readRuns,
  requireEmulator,
  runApply,
  trafficDuring,
  type AppliedRun,
  type CommandRunner,
  type Traffic,
} from "./apply-support.js";
import { inOwnProcess } from "./memory-process.js";

const CHANGED = STORES / 100;
const CONCURRENCY = 16;
/** No pacing: the emulator counts nothing, and the client's limit is out of reach. */
const UNPACED = ["--rate-limit", "1000000000", "--concurrency", String(CONCURRENCY)];
/** The default --rate-limit, Partoo's documented limit. */
const PER_MINUTE = 300;
const MAX_REQUESTS_PER_CHANGED_STORE = 3;
const MAX_PEAK_RSS_BYTES = 200 * 1024 * 1024;
/** Issue 18: the first sync of 10,000 stores, unpaced, within 20 s on a 2-core machine. */
const MAX_FIRST_SYNC_MS = 20_000;

interface FleetContext {
  /** This benchmark's own directory: state files, run records. */
  readonly root: string;
  /** Store directories to alternate between: each differs from the one before in every store it changes. */
  readonly dirs: readonly string[];
  /** The state at the start of each run; undefined: never applied (a fresh file per run). */
  readonly state: string | undefined;
  readonly apiUrl: string;
  readonly metrics: string;
  readonly counter: string;
}

function fleetContext(
  root: string,
  dirs: readonly string[],
  state: string | undefined,
  emulator: Emulator,
): FleetContext {
  return {
    root,
    dirs,
    state,
    apiUrl: emulator.baseUrl,
    metrics: path.join(root, "runs.jsonl"),
    counter: path.join(root, "run-index"),
  };
}

/** The next directory of the alternation, for the script baselines. */
function nextDir(context: FleetContext): string {
  return context.dirs[nextRunIndex(context.counter) % context.dirs.length]!;
}

/** One apply run of the alternation; the state starts as `context.state` each time. */
async function applyNext(
  context: FleetContext,
  expected: Partial<AppliedRun["totals"]>,
  { extraArgs = [], runner }: { extraArgs?: readonly string[]; runner?: CommandRunner } = {},
): Promise<void> {
  const index = nextRunIndex(context.counter);
  const state = path.join(context.root, `state-${index}.json`);
  if (context.state !== undefined) await copyFile(context.state, state);
  const dir = context.dirs[index % context.dirs.length]!;
  const run = await runApply(
    ["--stores", dir, "--state", `file:${state}`, ...UNPACED, ...extraArgs],
    { apiUrl: context.apiUrl, cwd: context.root, expected, ...(runner ? { runner } : {}) },
  );
  appendRun(context.metrics, run);
  await rm(state, { force: true });
}

/** What the emulator received during each run of ours (warm-up included: each does the same work). */
function trafficOf(context: FleetContext, emulator: Emulator | undefined): Traffic[] {
  const server = requireEmulator(emulator);
  return readRuns<AppliedRun>(context.metrics).map((run) => trafficDuring(server, run));
}

function describeRequests(traffic: readonly Traffic[]): string {
  const worst = traffic.reduce((a, b) => (b.requests > a.requests ? b : a));
  const methods = Object.entries(worst.byMethod)
    .map(([method, count]) => `${formatCount(count)} ${method}`)
    .join(" + ");
  return `${formatCount(worst.requests)} requests (${methods || "none"})`;
}

function minutesAt(requests: number): string {
  return `${(requests / PER_MINUTE).toFixed(1)} min`;
}

async function removeAll(root: string, emulator: Emulator | undefined): Promise<void> {
  await emulator?.close();
  await rm(root, { recursive: true, force: true });
}

// --- a first sync: every store needs a write ---

let firstSyncEmulator: Emulator | undefined;

registerBenchmark<FleetContext>({
  name: `apply ${formatCount(STORES)} stores, all changed (no pacing, ${CONCURRENCY} in flight)`,
  runs: 1,
  rounds: 1,
  async setup() {
    const { dir, stores } = await sharedFleet();
    const root = await privateRoot();
    const other = path.join(root, "stores-extra");
    await writeStores(
      other,
      stores.map((store) => withExtraLink(store, "extra")),
    );
    firstSyncEmulator = await startEmulator({
      seed: staleSeed(stores),
      rateLimitPerMinute: Infinity,
    });
    return fleetContext(root, [dir, other], undefined, firstSyncEmulator);
  },
  teardown: ({ root }) => removeAll(root, firstSyncEmulator),
  async ours(context) {
    // Each store deletes the link set by hand (from the second run: the previous run's extra link).
    const extraArgs = ["--max-deleted-links", String(2 * STORES)];
    const expected = { applied: STORES, failed: 0 };
    let calls = 0;
    return () =>
      // The first call, the harness's untimed warm-up, runs partoo-links in a process of its
      // own, for the peak memory of partoo-links alone; the timed calls run it in this process,
      // so that the CPU time the harness reports is the CLI's.
      calls++ === 0
        ? applyNext(context, expected, {
            extraArgs,
            runner: inOwnProcess(path.join(context.root, "usage.json")),
          })
        : applyNext(context, expected, { extraArgs });
  },
  async baseline(context) {
    return async () => {
      const options = { apiUrl: context.apiUrl, concurrency: CONCURRENCY, confirm: true };
      await postEveryStore(nextDir(context), options);
    };
  },
  notes(context) {
    const runs = readRuns<AppliedRun>(context.metrics);
    const traffic = trafficOf(context, firstSyncEmulator);
    const perStore = Math.max(...traffic.map((t) => t.requests)) / STORES;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    // Where the time goes: reading the files, the requests, saving the state and the report.
    const phases = runs
      .map((run, i) => {
        const t = traffic[i]!;
        return `${seconds(t.firstAt - run.startedAt)} + ${seconds(t.lastAt - t.firstAt)} + ${seconds(run.endedAt - t.lastAt)} s`;
      })
      .join(", ");
    const durations = runs.map((run) => run.endedAt - run.startedAt);
    const slowest = Math.max(...durations);
    const own = runs.flatMap((run) => run.usage ?? []);
    const peak = Math.max(...own.map((usage) => usage.maxRssBytes));
    const ownNotes: Note[] =
      own.length === 0
        ? ["no run in a process of its own: peak memory of partoo-links alone unknown"]
        : [
            `partoo-links apply as its own process: CPU ${own.map((u) => seconds(u.cpuMs)).join(", ")} s`,
            goal(
              `partoo-links apply peak RSS < ${megabytes(MAX_PEAK_RSS_BYTES)}`,
              megabytes(peak),
              peak < MAX_PEAK_RSS_BYTES,
            ),
          ];
    return [
      `ours: the CLI on never-applied stores whose live links all differ; baseline: a bare script sending the same requests (yaml parse per file, GET + POST + GET, ${CONCURRENCY} in flight)`,
      describeRequests(traffic),
      perChangedStoreGoal(perStore),
      `at ${PER_MINUTE} requests/min: ${minutesAt(perStore * STORES)} (${Math.round(PER_MINUTE / perStore)} stores/min)`,
      `runs ${durations.map(seconds).join(", ")} s`,
      goal(
        `slowest unpaced apply < ${seconds(MAX_FIRST_SYNC_MS)} s`,
        `${seconds(slowest)} s`,
        slowest < MAX_FIRST_SYNC_MS,
      ),
      `per run, before the first request + requests + after the last: ${phases}`,
      ...ownNotes,
      "in-process, bench harness included:",
    ];
  },
  readme(context, result) {
    const own = readRuns<AppliedRun>(context.metrics).flatMap((run) => run.usage ?? []);
    const peak = Math.max(...own.map((usage) => usage.maxRssBytes));
    return [
      {
        table: "work",
        cells: [
          `\`apply\`, all 10,000 changed, no pacing (${CONCURRENCY} in flight, local emulator)`,
          readmeSeconds(result.ours.medianMs),
          `${ratioTo(result)} a bare script sending the same requests`,
        ],
      },
      ...(own.length === 0
        ? []
        : [
            {
              table: "memory" as const,
              cells: ["`apply`, all 10,000 stores pushed", megabytes(peak)],
            },
          ]),
    ];
  },
});

/** The goal of every apply benchmark: 3 requests per changed store at most. */
function perChangedStoreGoal(perStore: number): Note {
  return goal(
    `≤ ${MAX_REQUESTS_PER_CHANGED_STORE} requests per changed store`,
    perStore.toFixed(2),
    perStore <= MAX_REQUESTS_PER_CHANGED_STORE,
  );
}

function ratioTo(result: { ours: { medianMs: number }; baseline?: { medianMs: number } }): string {
  return result.baseline === undefined
    ? ""
    : `${(result.ours.medianMs / result.baseline.medianMs).toFixed(2)}×`;
}

// --- an applied fleet: nothing changed, then 1 % changed ---

let unchangedEmulator: Emulator | undefined;

registerBenchmark<FleetContext>({
  name: `apply ${formatCount(STORES)} applied stores, none changed`,
  runs: 3,
  rounds: 1,
  async setup() {
    const { dir, seed, state } = await sharedAppliedFleet();
    unchangedEmulator = await startEmulator({ seed, rateLimitPerMinute: Infinity });
    return fleetContext(await privateRoot(), [dir], state, unchangedEmulator);
  },
  teardown: ({ root }) => removeAll(root, unchangedEmulator),
  async ours(context) {
    return () => applyNext(context, { applied: 0, unchanged: 0, failed: 0 });
  },
  notes(context) {
    const traffic = trafficOf(context, unchangedEmulator);
    const most = Math.max(...traffic.map((t) => t.requests));
    return [`${traffic.length} runs`, goal("0 requests", String(most), most === 0)];
  },
  readme: (_context, result) => [
    {
      table: "work",
      cells: ["`apply`, nothing changed", readmeSeconds(result.ours.medianMs), "(0 requests)"],
    },
  ],
});

let changedEmulator: Emulator | undefined;

registerBenchmark<FleetContext>({
  name: `apply ${formatCount(STORES)} applied stores, ${formatCount(CHANGED)} changed (1 %) vs POST every store`,
  runs: 1,
  rounds: 1,
  async setup() {
    const { stores, seed, state } = await sharedAppliedFleet();
    changedEmulator = await startEmulator({ seed, rateLimitPerMinute: Infinity });
    const root = await privateRoot();
    // Two pull requests changing the same 1 %: every run differs from the one before it.
    const tags = ["pr-a", "pr-b"];
    const dirs = tags.map((tag) => path.join(root, `stores-${tag}`));
    for (const [i, tag] of tags.entries()) {
      await writeStores(
        dirs[i]!,
        stores.map((store, index) => (index % 100 === 0 ? withExtraLink(store, tag) : store)),
      );
    }
    return fleetContext(root, dirs, state, changedEmulator);
  },
  teardown: ({ root }) => removeAll(root, changedEmulator),
  async ours(context) {
    return () => applyNext(context, { applied: CHANGED, unchanged: 0, failed: 0 });
  },
  async baseline(context) {
    return async () => {
      const options = { apiUrl: context.apiUrl, concurrency: CONCURRENCY, confirm: false };
      await postEveryStore(nextDir(context), options);
    };
  },
  notes(context) {
    const traffic = trafficOf(context, changedEmulator);
    const most = Math.max(...traffic.map((t) => t.requests));
    const perStore = most / CHANGED;
    return [
      `baseline: a script that POSTs every store (read + yaml parse per file, ${CONCURRENCY} in flight)`,
      `ours sent ${describeRequests(traffic)} for ${CHANGED} changed stores, 0 for the ${formatCount(STORES - CHANGED)} unchanged`,
      perChangedStoreGoal(perStore),
      `the script sends ${formatCount(STORES)} POSTs (${formatCount(2 * STORES)} if it reads first): ${Math.round(STORES / most)}× ours`,
      `at ${PER_MINUTE} requests/min: ours ${minutesAt(most)}, the script ${minutesAt(STORES)}`,
    ];
  },
});
