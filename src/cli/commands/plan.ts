/**
 * `partoo-links plan`: what the next apply would change. Offline by default (the store files
 * against the last-applied state: no key, no network); `--live` also reads the live links
 * (GET only) and shows the exact operations and any drift.
 */
import type { Command, CommandContext } from "../command.js";
import type { Services } from "../services.js";
import {
  apiUrlOption,
  formatOption,
  onlyOption,
  parseFormat,
  parseOnly,
  rateLimitOption,
  stateOption,
  storesOption,
  stringOption,
} from "../options.js";
import { loadDesired, readLive } from "../desired.js";
import { UsageError } from "../../errors.js";
import { selectStoresToPush } from "../../core/select.js";
import { buildLivePlan, buildOfflinePlan } from "../../core/build-plan.js";
import { planHasChanges, type Plan } from "../../core/plan.js";
import { renderPlanAs, renderPlanJson, renderPlanMarkdown } from "../../core/render/index.js";
import { PLAN_COMMENT_MARKER } from "../../github/publisher.js";

/** The job summary takes up to 1 MiB; the plan is cut well below, with a note. */
const SUMMARY_MAX_LENGTH = 500_000;

export const planCommand: Command = {
  name: "plan",
  summary: "show what apply would change (offline; --live also reads Partoo, GET only)",
  description: `Compares the store files with the last-applied state and lists the stores to push
and their link changes. Offline by default: no API key, no network.
With --live, also reads the live links of the stores to push (of every store with
--refresh) and shows the exact operations to send, and any drift.

--format github prints the plan, then one annotation per store on its file (shown on the
pull request's diff).

Exit codes: 0 ok; with --detailed-exitcode: 0 no changes, 2 changes (offline: stores to
push; --live: operations to send), 1 error (invalid store files, unreadable stores).`,
  options: {
    ...storesOption,
    ...stateOption,
    ...onlyOption,
    ...formatOption(),
    live: {
      type: "boolean",
      description: "also read the live links (GET only; needs PARTOO_API_KEY)",
    },
    refresh: {
      type: "boolean",
      description: "with --live: read every store, not only those to push",
    },
    "prune-removed": {
      type: "boolean",
      description:
        "preview apply --prune-removed: clear the links of stores whose file was deleted",
    },
    "detailed-exitcode": {
      type: "boolean",
      description: "exit 0 when there are no changes, 2 when there are, 1 on error",
    },
    out: { type: "string", valueName: "FILE", description: "also write the plan as JSON to FILE" },
    comment: {
      type: "boolean",
      description:
        "upsert the plan as one comment on the pull request of GITHUB_EVENT_PATH (needs GITHUB_TOKEN, GITHUB_REPOSITORY)",
    },
    ...apiUrlOption,
    ...rateLimitOption,
  },
  run: runPlan,
};

async function runPlan({ options, io, services }: CommandContext): Promise<number> {
  const format = parseFormat(options);
  const only = parseOnly(options);
  const live = options["live"] === true;
  const refresh = options["refresh"] === true;
  if (refresh && !live) throw new UsageError("plan --refresh reads live links: add --live");
  // Check the key and URL before any work, so a live plan fails fast and says why.
  if (live) services.partoo.check("plan --live");
  const fleet = await loadDesired(services, { only, parseAll: refresh, command: "plan" });
  const { state, desired, entries } = fleet;
  const selection = selectStoresToPush(entries, state, {
    ...(only ? { only } : {}),
    prune: options["prune-removed"] === true,
  });
  const plan: Plan = !live
    ? buildOfflinePlan({ state, selection, desired })
    : await services.partoo.use("plan --live", async (client) => {
        const codes = new Set(refresh ? entries.map((entry) => entry.code) : []);
        for (const { code } of selection.push) codes.add(code);
        const read = await readLive(services, client, fleet, codes);
        return buildLivePlan({ state, selection, desired, ...read });
      });

  const outFile = stringOption(options, "out");
  if (outFile !== undefined) {
    await services.writeFile(services.resolve(outFile), renderPlanJson(plan), "write the plan");
  }
  io.stdout.write(renderPlanAs(format, plan, { color: services.color, fileOf: fleet.fileOf }));
  await services.actions.appendSummary(() =>
    renderPlanMarkdown(plan, { maxLength: SUMMARY_MAX_LENGTH }),
  );
  if (options["comment"] === true) await commentPlan(services, plan);
  if (plan.failedStores.length > 0) return 1;
  return options["detailed-exitcode"] === true && planHasChanges(plan) ? 2 : 0;
}

/** One plan comment per pull request, updated in place (SPEC §8). */
async function commentPlan(services: Services, plan: Plan): Promise<void> {
  const pr = await services.actions.pullRequest("plan --comment");
  const result = await services
    .publisher("plan --comment")
    .upsertPullRequestComment(pr, PLAN_COMMENT_MARKER, renderPlanMarkdown(plan));
  services.log(`Plan comment ${result.action} on pull request #${pr}`);
}
