/**
 * Start-up: `partoo-links --help` and `validate` of one file, each a fresh Node process,
 * against a bare `node -e 0`. Goal (issue 18): within 1.5× the bare start.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../../src/package-info.js";
import { registerBenchmark } from "../harness.js";

interface Context {
  root: string;
  bin: string;
}

function run(args: readonly string[], expectedStatus: number): void {
  const result = spawnSync(process.execPath, args, { stdio: "ignore" });
  if (result.status !== expectedStatus) {
    throw new Error(`node ${args.join(" ")} exited ${String(result.status)}`);
  }
}

const bare = async () => () => run(["-e", "0"], 0);

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
  runs: 10,
  maxRatio: 1.5,
  setup,
  teardown,
  ours:
    async ({ bin }) =>
    () =>
      run([bin, "--help"], 0),
  baseline: bare,
  notes: () => "baseline: node -e 0",
});

registerBenchmark<Context>({
  name: "start-up: validate of one file",
  runs: 10,
  maxRatio: 1.5,
  setup,
  teardown,
  ours:
    async ({ bin, root }) =>
    () =>
      run([bin, "validate", "--stores", root], 0),
  baseline: bare,
  notes: () => "baseline: node -e 0",
});
