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
import { driftedNotPushed, withDriftedStores } from "../../core/drift-hint.js";
import { renderPlanJson, SUMMARY_MARKDOWN_MAX_LENGTH } from "../../core/render/index.js";
import { PLAN_COMMENT_MARKER } from "../../github/publisher.js";
import { capWarnings, checkCaps, resolveCaps } from "../../reconcile/prepare-apply.js";
import { checkLinksOptions, checksAllLinks } from "../link-options.js";
import { checkLinksIfAsked } from "../link-issues.js";
import { brokenLinks, type LinkReport } from "../../core/link-report.js";
import {
  renderPlanMarkdownWithLinks,
  renderPlanWithLinks,
  withLinkReport,
} from "../../core/render/links.js";
import { boundHeapGrowth } from "../../heap.js";

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
push; --live: operations to send), 1 error (invalid store files, unreadable stores, a
broken link found by --check-links).

--check-links fetches the URLs that are not in the last-applied state (=all: every URL):
a broken one is an error at its file and line; a redirect to another host or a 429 is a
warning. The results follow the plan (a "Links" section in Markdown).`,
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
    ...checkLinksOptions,
  },
  run: runPlan,
};

async function runPlan({ options, io, services }: CommandContext): Promise<number> {
  const format = parseFormat(options);
  const only = parseOnly(options);
  const live = options["live"] === true;
  const refresh = options["refresh"] === true;
  if (refresh && !live) throw new UsageError("plan --refresh reads live links: add --live");
  // A live plan holds the fleet's requests as an apply does; an offline one is over at once.
  if (live) boundHeapGrowth(io.env["NODE_OPTIONS"]);
  // Check the key and URL before any work, so a live plan fails fast and says why.
  if (live) services.partoo.check("plan --live");
  const fleet = await loadDesired(services, {
    only,
    parseAll: refresh || checksAllLinks(options),
    command: "plan",
  });
  const { state, desired, entries } = fleet;
  const selection = selectStoresToPush(entries, state, {
    ...(only ? { only } : {}),
    prune: options["prune-removed"] === true,
  });
  const built: Plan = !live
    ? buildOfflinePlan({ state, selection, desired })
    : await services.partoo.use("plan --live", async (client) => {
        const codes = new Set(refresh ? entries.map((entry) => entry.code) : []);
        for (const { code } of selection.push) codes.add(code);
        const read = await readLive(services, client, fleet, codes);
        return buildLivePlan({ state, selection, desired, ...read });
      });
  // The merge's apply counts with the same function, on the fleet file's caps or the default.
  const caps = resolveCaps(
    { maxStores: undefined, maxDeletedLinks: undefined },
    (await services.fleet())?.caps,
  );
  const warnings = capWarnings(checkCaps({ state, selection, desired }, caps), caps);
  const withDrift = withDriftedStores(built, driftedNotPushed(state, selection));
  const plan: Plan = warnings.length > 0 ? { ...withDrift, capWarnings: warnings } : withDrift;

  const links = await checkLinksIfAsked(options, services, desired.values(), () =>
    Promise.resolve(state),
  );
  const outFile = stringOption(options, "out");
  if (outFile !== undefined) {
    await services.writeFile(
      services.resolve(outFile),
      renderPlanJson(withLinkReport(plan, links)),
      "write the plan",
    );
  }
  const fileOf = fleet.fileOf;
  io.stdout.write(renderPlanWithLinks(format, plan, links, { color: services.color, fileOf }));
  await services.actions.appendSummary(() =>
    renderPlanMarkdownWithLinks(plan, links, { maxLength: SUMMARY_MARKDOWN_MAX_LENGTH }),
  );
  if (options["comment"] === true) await commentPlan(services, plan, links);
  if (plan.failedStores.length > 0 || (links !== undefined && brokenLinks(links) > 0)) return 1;
  return options["detailed-exitcode"] === true && planHasChanges(plan) ? 2 : 0;
}

/** One plan comment per pull request, updated in place (SPEC §8). */
async function commentPlan(
  services: Services,
  plan: Plan,
  links: LinkReport | undefined,
): Promise<void> {
  const pr = await services.actions.pullRequest("plan --comment");
  const publisher = await services.publisher("plan --comment");
  const result = await publisher.upsertPullRequestComment(
    pr,
    PLAN_COMMENT_MARKER,
    renderPlanMarkdownWithLinks(plan, links),
  );
  services.log(`Plan comment ${result.action} on pull request #${pr}`);
}
