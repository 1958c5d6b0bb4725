/**
 * Peak memory of partoo-links itself: `validate` and `plan` of 10,000 stores (a fleet never
 * applied: every store in the plan, the largest plan there is), and `apply` of 20,000 stores
 * never applied against the emulator without pacing (every store read, written, read back and
 * recorded, the state saved as the run goes), each run as a user runs it,
 * `node bin/partoo-links.js …` in a process of its own. The time in the table is the wall
 * time of that whole process, start-up included.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { startEmulator, type Emulator } from "../../../src/emulator/server.js";
import { generateStoresInTempDir } from "../generate-stores.js";
import { goal, median, megabytes, registerBenchmark } from "../harness.js";
import {
  FLEET_SIZE as STORES,
  privateRoot,
  sharedFleet,
  staleSeed,
  withExtraLink,
  writeStores,
} from "./apply-fleet-fixture.js";
import {
  appendRun,
  formatCount,
  nextRunIndex,
  readRuns,
  runApply,
  type AppliedRun,
} from "./apply-support.js";
import type { ProcessUsage } from "./memory-probe.js";
import { inOwnProcess } from "./memory-process.js";

const MAX_PEAK_RSS_BYTES = 300 * 1024 * 1024;
/** Issue 18: an apply of 20,000 stores peaks under 200 MB. */
const APPLY_STORES = 20_000;
const MAX_APPLY_PEAK_RSS_BYTES = 200 * 1024 * 1024;

interface MemoryContext {
  readonly root: string;
  readonly dir: string;
  readonly metrics: string;
}

interface ProcessRun extends ProcessUsage {
  readonly stdoutBytes: number;
}

function registerMemoryBenchmark(
  name: string,
  readmeLabel: string,
  args: (context: MemoryContext) => readonly string[],
): void {
  registerBenchmark<MemoryContext>({
    name,
    runs: 1,
    rounds: 1,
    async setup() {
      const { dir } = await sharedFleet();
      const root = await privateRoot();
      return { root, dir, metrics: path.join(root, "runs.jsonl") };
    },
    async teardown({ root }) {
      await rm(root, { recursive: true, force: true });
    },
    async ours(context) {
      const run = inOwnProcess(path.join(context.root, `usage-${process.pid}.json`));
      return async () => {
        const result = await run(args(context), { env: {}, cwd: context.root });
        if (result.code !== 0 || result.usage === undefined) {
          throw new Error(`${name}: exit ${result.code}: ${result.stderr.slice(-500)}`);
        }
        appendRun(context.metrics, { ...result.usage, stdoutBytes: result.stdout.length });
        return { childCpuMs: result.usage.cpuMs, childMaxRssBytes: result.usage.maxRssBytes };
      };
    },
    notes(context) {
      const runs = readRuns<ProcessRun>(context.metrics);
      const peak = Math.max(...runs.map((run) => run.maxRssBytes));
      const cpu = median(runs.map((run) => run.cpuMs));
      const stdout = (runs[0]?.stdoutBytes ?? 0) / 1024 / 1024;
      return [
        `${runs.length} runs of the partoo-links process (the warm-up included): CPU ${Math.round(cpu)} ms`,
        goal(
          `peak RSS < ${megabytes(MAX_PEAK_RSS_BYTES)}`,
          megabytes(peak),
          peak < MAX_PEAK_RSS_BYTES,
        ),
        `stdout ${stdout.toFixed(1)} MB`,
        "time, CPU and peak RSS of the partoo-links process:",
      ];
    },
    readme(context) {
      const peak = Math.max(...readRuns<ProcessRun>(context.metrics).map((run) => run.maxRssBytes));
      return [{ table: "memory", cells: [readmeLabel, megabytes(peak)] }];
    },
  });
}

registerMemoryBenchmark(
  `memory: partoo-links validate, ${formatCount(STORES)} stores`,
  "`validate`",
  ({ dir }) => ["validate", "--stores", dir],
);

registerMemoryBenchmark(
  `memory: partoo-links plan, ${formatCount(STORES)} stores never applied`,
  "`plan`, all 10,000 stores in the plan",
  ({ root, dir }) => ["plan", "--stores", dir, "--state", `file:${path.join(root, "none.json")}`],
);

// --- apply of 20,000 stores: the state saved as the run goes, the document growing to 14 MB ---

interface ApplyMemoryContext {
  readonly root: string;
  /** Two versions of the fleet: each run changes every store the run before applied. */
  readonly dirs: readonly string[];
  readonly apiUrl: string;
  readonly metrics: string;
  readonly counter: string;
}

let applyEmulator: Emulator | undefined;

registerBenchmark<ApplyMemoryContext>({
  name: `memory: partoo-links apply, ${formatCount(APPLY_STORES)} stores never applied (no pacing)`,
  runs: 1,
  rounds: 1,
  async setup() {
    const { dir, stores } = await generateStoresInTempDir(APPLY_STORES);
    const root = path.dirname(dir);
    const other = path.join(root, "stores-extra");
    await writeStores(
      other,
      stores.map((store) => withExtraLink(store, "extra")),
    );
    applyEmulator = await startEmulator({ seed: staleSeed(stores), rateLimitPerMinute: Infinity });
    return {
      root,
      dirs: [dir, other],
      apiUrl: applyEmulator.baseUrl,
      metrics: path.join(root, "runs.jsonl"),
      counter: path.join(root, "run-index"),
    };
  },
  async teardown({ root }) {
    await applyEmulator?.close();
    await rm(root, { recursive: true, force: true });
  },
  async ours(context) {
    const runner = inOwnProcess(path.join(context.root, `usage-${process.pid}.json`));
    return async () => {
      const index = nextRunIndex(context.counter);
      const state = path.join(context.root, `state-${index}.json`);
      const args = ["--stores", context.dirs[index % 2]!, "--state", `file:${state}`];
      const run = await runApply(
        [
          ...args,
          ...["--rate-limit", "1000000000", "--concurrency", "16"],
          // Each store deletes the link set by hand, or the previous run's extra link.
          ...["--max-deleted-links", String(2 * APPLY_STORES)],
        ],
        {
          apiUrl: context.apiUrl,
          cwd: context.root,
          runner,
          expected: { applied: APPLY_STORES, failed: 0 },
        },
      );
      appendRun(context.metrics, run);
      await rm(state, { force: true });
    };
  },
  notes(context) {
    const runs = readRuns<AppliedRun>(context.metrics);
    const usage = runs.flatMap((run) => run.usage ?? []);
    const peak = Math.max(...usage.map((run) => run.maxRssBytes));
    const seconds = runs.map((run) => ((run.endedAt - run.startedAt) / 1000).toFixed(1));
    return [
      `${runs.length} runs of the partoo-links process: ${seconds.join(", ")} s, CPU ${usage.map((run) => (run.cpuMs / 1000).toFixed(1)).join(", ")} s`,
      goal(
        `peak RSS < ${megabytes(MAX_APPLY_PEAK_RSS_BYTES)}`,
        megabytes(peak),
        peak < MAX_APPLY_PEAK_RSS_BYTES,
      ),
      "the bench process that started it:",
    ];
  },
  readme(context) {
    const usage = readRuns<AppliedRun>(context.metrics).flatMap((run) => run.usage ?? []);
    const peak = Math.max(...usage.map((run) => run.maxRssBytes));
    return [
      {
        table: "memory",
        cells: [`\`apply\`, all ${formatCount(APPLY_STORES)} stores pushed`, megabytes(peak)],
      },
    ];
  },
});
