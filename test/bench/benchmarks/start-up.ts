/**
 * Start-up: `partoo-links --help` and `validate` of one file, each a fresh Node process,
 * against a bare `node -e 0`. Goal (issue 18): within 1.5× the bare start.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../../src/package-info.js";
import { registerBenchmark, type ChildUsage } from "../harness.js";
import { inOwnProcess } from "./memory-process.js";

interface Context {
  root: string;
  bin: string;
}

/** Runs `node script args…` in a process of its own; returns that process's CPU and peak memory. */
function starter(root: string, script: string) {
  const run = inOwnProcess(path.join(root, `usage-${process.pid}.json`), script);
  return async (args: readonly string[]): Promise<ChildUsage> => {
    const result = await run(args, { env: {}, cwd: root });
    if (result.code !== 0)
      throw new Error(`node ${script} ${args.join(" ")} exited ${result.code}`);
    return { childCpuMs: result.usage!.cpuMs, childMaxRssBytes: result.usage!.maxRssBytes };
  };
}

const bare = async ({ root }: Context) => {
  const start = starter(root, "-e");
  return () => start(["0"]);
};

async function setup(): Promise<Context> {
  const root = await mkdtemp(path.join(os.tmpdir(), "partoo-links-start-"));
  await writeFile(
    path.join(root, "paris-1.yaml"),
    "code: paris-1\nlinks:\n  FOOD_ORDERING:\n    - https://order.example.com/paris-1\n",
  );
  return { root, bin: path.join(packageRoot(), "bin", "partoo-links.js") };
}

async function teardown({ root }: Context): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

registerBenchmark<Context>({
  name: "start-up: --help",
  // A start is some 50 ms and its wall time is noisy: many runs, for steady medians.
  runs: 40,
  maxRatio: 1.5,
  setup,
  teardown,
  async ours({ root, bin }) {
    const start = starter(root, bin);
    return () => start(["--help"]);
  },
  baseline: bare,
  notes: () => "baseline: node -e 0; CPU and peak RSS of those processes",
});

registerBenchmark<Context>({
  name: "start-up: validate of one file",
  runs: 40,
  maxRatio: 1.5,
  setup,
  teardown,
  async ours({ root, bin }) {
    const start = starter(root, bin);
    return () => start(["validate", "--stores", root]);
  },
  baseline: bare,
  notes: () => "baseline: node -e 0; CPU and peak RSS of those processes",
});
