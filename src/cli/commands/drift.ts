/**
 * `partoo-links drift`: reads the live links of the stores that have a file and compares them
 * with the files, in their managed types. Never writes to Partoo; records in the state which
 * stores drifted, so that `apply --repair` re-pushes them.
 */
import type { Command, CommandContext } from "../command.js";
import type { Services } from "../services.js";
import {
  apiUrlOption,
  formatOption,
  onlyOption,
  parseFormat,
  parseNumberOption,
  parseOnly,
  rateLimitOption,
  stateOption,
  storesOption,
} from "../options.js";
import { loadDesired, readLive } from "../desired.js";
import { selectStoresToPush } from "../../core/select.js";
import { buildLivePlan } from "../../core/build-plan.js";
import type { Plan } from "../../core/plan.js";
import { chooseStoresToCheck, driftCheckRecords, storeHasDrift } from "../../core/drift.js";
import { plural } from "../../core/render/describe.js";
import {
  renderPlanAs,
  renderPlanMarkdown,
  SUMMARY_MARKDOWN_MAX_LENGTH,
} from "../../core/render/index.js";

const TITLE = "Partoo links drift";
const ISSUE_TITLE = "Place action links differ from the store files";

export const driftCommand: Command = {
  name: "drift",
  summary: "compare the live links of managed stores with the files; changes nothing",
  description: `Reads the live links of every store that has a file (or --only, or a --sample of the
stores checked longest ago) and reports the differences in their managed types: drift
(live changed since the last apply) or pending (the file changed and was not applied).
Unmanaged types and links that are not editable are listed as such, not as drift.
Records in the state which stores drifted ("apply --repair" re-pushes them).

Exit codes: 0 live matches the files, 2 any difference, 1 error.`,
  options: {
    ...storesOption,
    ...stateOption,
    ...onlyOption,
    ...formatOption(),
    ...apiUrlOption,
    ...rateLimitOption,
    sample: {
      type: "string",
      valueName: "N",
      description: "check only N stores, those checked longest ago first",
    },
    issue: {
      type: "boolean",
      description: "open, update or close the drift issue (needs GITHUB_TOKEN, GITHUB_REPOSITORY)",
    },
  },
  run: runDrift,
  wholeFleet: true,
};

async function runDrift({ options, io, services }: CommandContext): Promise<number> {
  const format = parseFormat(options);
  const only = parseOnly(options);
  const sample = parseNumberOption(options, "sample", { min: 1 });
  services.partoo.check("drift");
  // Every store is compared with its file, so every file is parsed.
  const fleet = await loadDesired(services, { only, parseAll: true, command: "drift" });
  const { state, entries, desired } = fleet;
  const selection = selectStoresToPush(entries, state, only ? { only } : {});
  const codes = chooseStoresToCheck(
    entries.map((entry) => entry.code),
    state,
    sample,
  );
  const plan = await services.partoo.use("drift", async (client) => {
    const read = await readLive(services, client, fleet, codes);
    const built = countCheckedOnly(buildLivePlan({ state, selection, desired, ...read }), codes);
    const checks = driftCheckRecords(state, built, read.live.keys(), services.now());
    if (Object.keys(checks).length > 0) await services.state().update(checks);
    return built;
  });

  io.stdout.write(
    renderPlanAs(format, plan, {
      color: services.color,
      title: TITLE,
      label: "Drift",
      level: "warning",
      fileOf: fleet.fileOf,
      describe: (store) =>
        `${store.code} ${storeHasDrift(store) ? "drifted" : "has changes pending"} (${plural(store.changes.length, "difference")})`,
    }),
  );
  await services.actions.appendSummary(() =>
    renderPlanMarkdown(plan, {
      title: TITLE,
      label: "Drift",
      maxLength: SUMMARY_MARKDOWN_MAX_LENGTH,
    }),
  );
  if (options["issue"] === true) await syncIssue(services, plan);
  if (plan.failedStores.length > 0) return 1;
  return plan.stores.length > 0 ? 2 : 0;
}

/**
 * Drift knows only the stores it read: with --sample 5 of 300, "unchanged" counts the 5 read
 * and matching, never the 295 not checked this time.
 */
function countCheckedOnly(plan: Plan, checked: readonly string[]): Plan {
  const unchanged = checked.length - plan.stores.length - plan.failedStores.length;
  return { ...plan, summary: { ...plan.summary, unchanged: Math.max(0, unchanged) } };
}

async function syncIssue(services: Services, plan: Plan): Promise<void> {
  const publisher = await services.publisher("drift --issue");
  const drifting = plan.stores.length > 0;
  const result = await publisher.syncDriftIssue({
    drifting,
    title: ISSUE_TITLE,
    body: renderPlanMarkdown(plan, {
      title: TITLE,
      label: "Drift",
      fullPlanHint: "See the job summary of the Drift run for the full report.",
    }),
    resolvedComment: "Live links match the store files again: closing.",
  });
  const where = result.issue === undefined ? "" : ` (#${result.issue.number})`;
  services.log(`Drift issue: ${result.action}${where}`);
}
