/**
 * An offline plan over 10,000 applied stores, 10 of them changed, against the floor: parsing
 * the state document and reading + hashing every store file (floors.ts). Three views:
 * - in process: `main(["plan", …])`, the CLI's code path (state read and checked, unchanged
 *   files hashed and skipped, changed ones parsed, plan built and rendered), after a warm-up,
 *   against the floor loop in a process of its own, also warmed up;
 * - as a process: `node bin/partoo-links.js plan …` as a user runs it, start-up and module
 *   loading included, against `node floors.js` (Node's own start-up included);
 * - with a fleet file: thin store files inheriting from templates (issue 15), in process.
 */
import path from "node:path";
import { main } from "../../../src/cli/main.js";
import type { CliIO } from "../../../src/cli/command.js";
import { registerBenchmark, workRow } from "../harness.js";
import { FLOORS_SCRIPT, READ_AND_HASH, readAndHash } from "./floors.js";
import { inOwnProcess } from "./memory-process.js";
import {
  EXPECTED_SUMMARY,
  PLAN_CHANGED,
  PLAN_STORES,
  sharedPlanFixture,
  type PlanFixture,
} from "./plan-fixture.js";

/** Issue 18, goal 2. */
const MAX_RATIO = 1.2;
const STORES = PLAN_STORES.toLocaleString("en-US");

function planArgs({ dir, state }: PlanFixture): string[] {
  return ["plan", "--stores", dir, "--state", `file:${state}`, "--detailed-exitcode"];
}

function checkPlan(code: number | null, stdout: string, stderr: string): void {
  if (code !== 2 || !stdout.includes(EXPECTED_SUMMARY)) {
    throw new Error(`unexpected plan (exit ${code}): ${stderr}${stdout.slice(-300)}`);
  }
}

async function planInProcess(fixture: PlanFixture): Promise<() => Promise<void>> {
  return async () => {
    let stdout = "";
    let stderr = "";
    const io: CliIO = {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      env: {},
      cwd: fixture.root,
      stdoutIsTTY: false,
      stderrIsTTY: false,
    };
    checkPlan(await main(planArgs(fixture), io), stdout, stderr);
  };
}

async function floorInProcess({ dir, state }: PlanFixture): Promise<() => void> {
  return () => {
    const count = readAndHash(dir, state);
    if (count !== PLAN_STORES) throw new Error(`expected ${PLAN_STORES} files, read ${count}`);
  };
}

/** Runs `script args…` (default: partoo-links) in a process of its own; returns its usage. */
function timedProcess(fixture: PlanFixture, script?: string) {
  const run = inOwnProcess(path.join(fixture.root, `usage-${process.pid}.json`), script);
  return async (args: readonly string[]) => {
    const result = await run(args, { env: {}, cwd: fixture.root });
    const usage = result.usage!;
    return { result, usage: { childCpuMs: usage.cpuMs, childMaxRssBytes: usage.maxRssBytes } };
  };
}

registerBenchmark<PlanFixture>({
  name: `offline plan, ${STORES} applied stores, ${PLAN_CHANGED} changed`,
  // A run is some 200 ms, and 9 of them gave ratios from 0.89× to 1.30× on one build.
  runs: 30,
  maxRatio: MAX_RATIO,
  setup: () => sharedPlanFixture({ thin: false }),
  ours: planInProcess,
  baseline: floorInProcess,
  notes: () => `in process, after a warm-up; baseline: ${READ_AND_HASH}`,
  readme: workRow(
    `offline \`plan\`, ${PLAN_CHANGED} files changed since the last apply`,
    "state parse + read + sha256 per file",
  ),
});

registerBenchmark<PlanFixture>({
  name: `offline plan, ${STORES} applied stores, ${PLAN_CHANGED} changed, as a process`,
  runs: 30,
  maxRatio: MAX_RATIO,
  setup: () => sharedPlanFixture({ thin: false }),
  async ours(fixture) {
    const run = timedProcess(fixture);
    return async () => {
      const { result, usage } = await run(planArgs(fixture));
      checkPlan(result.code, result.stdout, result.stderr);
      return usage;
    };
  },
  async baseline(fixture) {
    const run = timedProcess(fixture, FLOORS_SCRIPT);
    return async () => {
      const { result, usage } = await run(["read-hash", fixture.dir, fixture.state]);
      if (result.code !== 0 || result.stdout.trim() !== String(PLAN_STORES)) {
        throw new Error(`floor failed (exit ${result.code}): ${result.stderr}`);
      }
      return usage;
    };
  },
  notes: () =>
    "node bin/partoo-links.js plan, start-up included; baseline: node running the same floor loop; CPU and peak RSS of those processes",
  readme: workRow(
    `the same, as a process (\`node bin/partoo-links.js plan\`, start-up included)`,
    "the same loop as a process",
  ),
});

registerBenchmark<PlanFixture>({
  name: `offline plan with a fleet file, ${STORES} thin stores, ${PLAN_CHANGED} changed`,
  runs: 30,
  maxRatio: MAX_RATIO,
  setup: () => sharedPlanFixture({ thin: true }),
  ours: planInProcess,
  baseline: floorInProcess,
  notes: () =>
    `stores inherit a default and profile templates ({code}, {city}); in process; baseline: ${READ_AND_HASH}`,
  readme: workRow(
    `offline \`plan\` with a fleet file (thin stores), ${PLAN_CHANGED} changed`,
    "state parse + read + sha256 per file",
  ),
});
