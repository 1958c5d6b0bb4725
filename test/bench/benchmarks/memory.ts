/**
 * Peak memory of partoo-links itself on 10,000 stores: `validate`, and `plan` of a fleet never
 * applied (every store in the plan: the largest plan there is), each run as a user runs it,
 * `node bin/partoo-links.js …` in a process of its own (apply: see apply-fleet.ts). The time
 * in the table is the wall time of that whole process, start-up included.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { goal, median, megabytes, registerBenchmark } from "../harness.js";
import { FLEET_SIZE as STORES, privateRoot, sharedFleet } from "./apply-fleet-fixture.js";
import { appendRun, formatCount, readRuns } from "./apply-support.js";
import type { ProcessUsage } from "./memory-probe.js";
import { inOwnProcess } from "./memory-process.js";

const MAX_PEAK_RSS_BYTES = 300 * 1024 * 1024;

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
