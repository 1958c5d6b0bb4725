/**
 * validate of 10,000 thin store files that inherit their links from a fleet file (issue 15):
 * `partoo-links validate` as the CLI runs it, every store expanded from the templates
 * (compiled once per template, not per store), against the floor on the same files: read,
 * yaml parse and ajv check of each (floors.ts).
 */
import { main } from "../../../src/cli/main.js";
import type { CliIO } from "../../../src/cli/command.js";
import { registerBenchmark, workRow } from "../harness.js";
import { PARSE_AND_CHECK, parseAndCheck } from "./floors.js";
import { PLAN_STORES, sharedPlanFixture, type PlanFixture } from "./plan-fixture.js";

registerBenchmark<PlanFixture>({
  name: `validate with a fleet file, ${PLAN_STORES.toLocaleString("en-US")} thin stores`,
  runs: 6,
  maxRatio: 1.2,
  setup: () => sharedPlanFixture({ thin: true }),
  async ours({ root, dir }) {
    return async () => {
      let stderr = "";
      const io: CliIO = {
        stdout: { write: () => true },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        env: {},
        cwd: root,
        stdoutIsTTY: false,
        stderrIsTTY: false,
      };
      const code = await main(["validate", "--stores", dir], io);
      if (code !== 0) throw new Error(`validate exited ${code}: ${stderr.slice(-300)}`);
    };
  },
  async baseline({ dir }) {
    const check = parseAndCheck(dir);
    return () => {
      if (check() !== PLAN_STORES) throw new Error("generated stores should all be valid");
    };
  },
  notes: () => `the CLI's validate in process, after a warm-up; baseline: ${PARSE_AND_CHECK}`,
  readme: workRow(
    "`validate` with a fleet file (thin stores, links expanded from templates)",
    "read + `yaml` parse + ajv check per file",
  ),
});
