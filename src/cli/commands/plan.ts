/**
 * `partoo-links plan`: what the next apply would change. Offline by default (the store files
 * against the last-applied state: no key, no network); `--live` also reads the live links
 * (GET only) and shows the exact operations and any drift.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CliIO, Command, CommandContext } from "../command.js";
import {
  apiKey,
  apiUrl,
  apiUrlOption,
  parseRateLimit,
  rateLimitOption,
  formatOption,
  onlyOption,
  parseFormat,
  parseOnly,
  stateOption,
  storesOption,
  stringOption,
} from "../options.js";
import {
  addressOf,
  appendSummaryIfSet,
  checkOnly,
  loadDesired,
  readLive,
  storeFileOf,
  useColor,
} from "../fleet.js";
import { InputError, UsageError } from "../../errors.js";
import { selectStoresToPush } from "../../core/select.js";
import { buildLivePlan, buildOfflinePlan } from "../../core/build-plan.js";
import { planHasChanges, type Plan } from "../../core/plan.js";
import { renderPlanJson, SUMMARY_MARKDOWN_MAX_LENGTH } from "../../core/render/index.js";
import { openStateBackend } from "../../state/open.js";
import { createPartooClient } from "../../partoo/client.js";
import { createGithubClient, githubClientOptionsFromEnv } from "../../github/client.js";
import { createGithubPublisher, PLAN_COMMENT_MARKER } from "../../github/publisher.js";
import { pullRequestFromEvent } from "../../github/event.js";
import { checkLinksOptions, checksAllLinks } from "../../links/options.js";
import { checkLinksIfAsked } from "../../links/run-link-check.js";
import { brokenLinks, type LinkReport } from "../../core/link-report.js";
import {
  renderPlanMarkdownWithLinks,
  renderPlanWithLinks,
  withLinkReport,
} from "../../core/render/links.js";

const FORMATS = ["text", "json", "markdown", "github"] as const;

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
    ...formatOption(FORMATS),
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

async function runPlan({ options, io }: CommandContext): Promise<number> {
  const format = parseFormat(options, FORMATS);
  const only = parseOnly(options);
  const live = options["live"] === true;
  const refresh = options["refresh"] === true;
  const prune = options["prune-removed"] === true;
  if (refresh && !live) throw new UsageError("plan --refresh reads live links: add --live");
  // Check the key and URL before any work, so a live plan fails fast and says why.
  const connection = live
    ? { apiKey: apiKey(io.env, "plan --live"), baseUrl: apiUrl(options, io.env) }
    : undefined;

  const backend = openStateBackend(stringOption(options, "state"), io.cwd, io.env);
  const { state, entries, desired } = await loadDesired(options, io, backend.read(), {
    only,
    parseAll: refresh || checksAllLinks(options),
    command: "plan",
  });
  const selection = selectStoresToPush(entries, state, { ...(only ? { only } : {}), prune });
  checkOnly(only, entries, state);

  let plan: Plan;
  if (connection === undefined) {
    plan = buildOfflinePlan({ state, selection, desired });
  } else {
    const client = createPartooClient({
      ...connection,
      rateLimitPerMinute: parseRateLimit(options),
      logger: (line) => io.stderr.write(`${line}\n`),
    });
    try {
      const codes = new Set(refresh ? entries.map((entry) => entry.code) : []);
      for (const { code } of selection.push) codes.add(code);
      const targets = [...codes].map((code) => ({
        code,
        address: addressOf(code, desired, state),
      }));
      const read = await readLive(client, targets, io);
      plan = buildLivePlan({ state, selection, desired, live: read.live, failures: read.failures });
    } finally {
      await client.close();
    }
  }

  const links = await checkLinksIfAsked(options, io, desired.values(), () =>
    Promise.resolve(state),
  );
  const outFile = stringOption(options, "out");
  if (outFile !== undefined) {
    await writeOut(path.resolve(io.cwd, outFile), outFile, withLinkReport(plan, links));
  }
  const fileOf = storeFileOf(options, io, entries);
  io.stdout.write(renderPlanWithLinks(format, plan, links, { color: useColor(io), fileOf }));
  await appendSummaryIfSet(io, () =>
    renderPlanMarkdownWithLinks(plan, links, { maxLength: SUMMARY_MARKDOWN_MAX_LENGTH }),
  );
  if (options["comment"] === true) await commentPlan(io, plan, links);
  if (plan.failedStores.length > 0 || (links !== undefined && brokenLinks(links) > 0)) return 1;
  return options["detailed-exitcode"] === true && planHasChanges(plan) ? 2 : 0;
}

async function writeOut(file: string, shown: string, plan: Plan): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderPlanJson(plan));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `--out ${shown}: cannot write the plan (${reason}); choose a writable path`,
      {
        cause: error,
      },
    );
  }
}

/** One plan comment per pull request, updated in place (SPEC §8). */
async function commentPlan(io: CliIO, plan: Plan, links: LinkReport | undefined): Promise<void> {
  const pr = await pullRequestFromEvent(io.env["GITHUB_EVENT_PATH"], "plan --comment");
  const client = createGithubClient({
    ...githubClientOptionsFromEnv(io.env),
    purpose: "plan --comment",
    log: (line) => io.stderr.write(`${line}\n`),
  });
  const publisher = createGithubPublisher(client);
  const result = await publisher.upsertPullRequestComment(
    pr,
    PLAN_COMMENT_MARKER,
    renderPlanMarkdownWithLinks(plan, links),
  );
  io.stderr.write(`Plan comment ${result.action} on pull request #${pr}\n`);
}
