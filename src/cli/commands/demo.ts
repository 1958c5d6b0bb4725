/**
 * `npm start`: the whole tool on the built-in Partoo emulator, no account needed. Copies the
 * example stores to a scratch directory and runs validate → plan → apply → plan → a manual
 * change in "Partoo" → drift → apply --repair → drift, printing each step.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { CliIO, Command, CommandContext } from "../command.js";
import { startEmulator, type Emulator } from "../../emulator/server.js";
import { packageRoot } from "../../package-info.js";
import { FLEET_FILE } from "../../files/index.js";

const DEMO_KEY = "demo-key-not-a-secret";

interface Step {
  readonly title: string;
  readonly argv?: readonly string[];
  /** The exit codes that mean the step went as it should. */
  readonly expect?: readonly number[];
  readonly act?: (emulator: Emulator) => string;
}

const STEPS: readonly Step[] = [
  { title: "Check the store files", argv: ["validate"], expect: [0] },
  {
    title: "Offline plan: the files against the last apply (none yet)",
    argv: ["plan"],
    expect: [0],
  },
  {
    title: "Live plan: the exact operations, read from Partoo (GET only)",
    argv: ["plan", "--live", "--detailed-exitcode"],
    expect: [2],
  },
  { title: "Apply: push, read back, record", argv: ["apply"], expect: [0] },
  {
    title: "Live plan again: nothing left to do",
    argv: ["plan", "--live", "--refresh", "--detailed-exitcode"],
    expect: [0],
  },
  {
    title: "Someone edits paris-01 in Partoo by hand",
    act: (emulator) => {
      const links = emulator.store.links("c-paris-01") ?? [];
      const ordering = links.find((type) => type.gmb_id === "FOOD_ORDERING")?.urls[0];
      if (ordering !== undefined) emulator.store.removeLink(ordering.id);
      emulator.store.addLink("c-paris-01", "FOOD_ORDERING", {
        id: 9001,
        value: "https://competitor.example.org/paris-01",
        is_preferred: true,
        is_editable: true,
      });
      emulator.store.addLink("c-paris-01", "SHOP_ONLINE", {
        id: 9002,
        value: "https://shop.example.com/paris-01/new-collection",
        is_preferred: false,
        is_editable: true,
      });
      return "replaced the FOOD_ORDERING link (managed) and added a SHOP_ONLINE link (unmanaged)";
    },
  },
  {
    title: "Drift check: the managed change is drift, the unmanaged one is not",
    argv: ["drift"],
    expect: [2],
  },
  { title: "Repair: re-push the stores that drifted", argv: ["apply", "--repair"], expect: [0] },
  { title: "Drift check again: clean", argv: ["drift"], expect: [0] },
];

export const demoCommand: Command = {
  name: "demo",
  hidden: true,
  summary: "run the whole tool on the built-in emulator (npm start)",
  description: `Starts the Partoo emulator with the demo seed, copies the example stores to a scratch
directory, and runs validate, plan, apply, plan, a manual change, drift, apply --repair
and drift again. Needs no account and changes nothing outside the scratch directory.

Exit codes: 0 every step went as expected, 1 otherwise.`,
  options: {
    keep: { type: "boolean", description: "keep the scratch directory and print its path" },
  },
  run: runDemo,
};

async function runDemo({ options, io, services, runCommand }: CommandContext): Promise<number> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "partoo-links-demo-"));
  const emulator = await startEmulator({ port: 0 });
  const env = {
    ...io.env,
    PARTOO_API_KEY: DEMO_KEY,
    PARTOO_API_URL: emulator.baseUrl,
    GITHUB_STEP_SUMMARY: undefined,
  };
  const stepIO: CliIO = { ...io, env, cwd: scratch };
  const say = (text: string): unknown => io.stdout.write(text);
  let failed = 0;
  try {
    await cp(path.join(packageRoot(), "stores"), path.join(scratch, "stores"), { recursive: true });
    // The examples inherit from the fleet file: it sits at the root, beside stores/.
    await cp(path.join(packageRoot(), FLEET_FILE), path.join(scratch, FLEET_FILE));
    say(
      `partoo-links demo: the example stores against the built-in Partoo emulator at ${emulator.baseUrl}\n`,
    );
    for (const [index, step] of STEPS.entries()) {
      say(`\n━━ ${index + 1}/${STEPS.length} ${step.title}\n`);
      if (step.act !== undefined) {
        say(`${step.act(emulator)}\n`);
        continue;
      }
      say(`$ partoo-links ${step.argv!.join(" ")}\n`);
      const code = await runCommand(step.argv!, stepIO);
      const ok = step.expect?.includes(code) ?? code === 0;
      if (!ok) failed++;
      say(`(exit ${code}${ok ? "" : `, expected ${step.expect?.join(" or ")}`})\n`);
    }
    say(
      failed === 0
        ? `\nDemo complete: every step went as expected (${emulator.requests.length} requests to the emulator).\n`
        : `\nDemo finished with ${failed} unexpected results.\n`,
    );
  } finally {
    await emulator.close();
    if (options["keep"] === true) services.log(`Scratch directory kept: ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}
