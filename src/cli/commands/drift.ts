/**
 * `partoo-links drift`: reads the live links of the stores that have a file and compares them
 * with the files, in their managed types. Never writes to Partoo; records in the state which
 * stores drifted, so that `apply --repair` re-pushes them.
 */
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
  parseNumberOption,
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
  storeFileOf,
  readLive,
  useColor,
} from "../fleet.js";
import { compareCodes, selectStoresToPush } from "../../core/select.js";
import { buildLivePlan } from "../../core/build-plan.js";
import type { Plan, StorePlan } from "../../core/plan.js";
import type { StateDocument, StoreRecord } from "../../core/model.js";
import { recordDriftCheck } from "../../core/record.js";
import { plural } from "../../core/render/describe.js";
import {
  renderPlanAs,
  renderPlanMarkdown,
  SUMMARY_MARKDOWN_MAX_LENGTH,
} from "../../core/render/index.js";
import { openStateBackend } from "../../state/open.js";
import { createPartooClient } from "../../partoo/client.js";
import { createGithubClient, githubClientOptionsFromEnv } from "../../github/client.js";
import { createGithubPublisher } from "../../github/publisher.js";

const FORMATS = ["text", "json", "markdown", "github"] as const;
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
    ...formatOption(FORMATS),
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
};

async function runDrift({ options, io }: CommandContext): Promise<number> {
  const format = parseFormat(options, FORMATS);
  const only = parseOnly(options);
  const sample = parseNumberOption(options, "sample", { min: 1 });
  const connection = { apiKey: apiKey(io.env, "drift"), baseUrl: apiUrl(options, io.env) };
  const backend = openStateBackend(stringOption(options, "state"), io.cwd, io.env);
  // Every store is compared with its file, so every file is parsed.
  const { state, entries, desired } = await loadDesired(options, io, backend.read(), {
    only,
    parseAll: true,
    command: "drift",
  });
  checkOnly(only, entries, state);
  const selection = selectStoresToPush(entries, state, only ? { only } : {});
  const codes = chooseStores(
    entries.map((entry) => entry.code),
    state,
    sample,
  );

  const client = createPartooClient({
    ...connection,
    rateLimitPerMinute: parseRateLimit(options),
    logger: (line) => io.stderr.write(`${line}\n`),
  });
  let plan: Plan;
  try {
    const targets = codes.map((code) => ({ code, address: addressOf(code, desired, state) }));
    const read = await readLive(client, targets, io);
    plan = buildLivePlan({ state, selection, desired, live: read.live, failures: read.failures });
    await recordChecks(backend, state, plan, [...read.live.keys()]);
  } finally {
    await client.close();
  }

  io.stdout.write(
    renderPlanAs(format, plan, {
      color: useColor(io),
      title: TITLE,
      label: "Drift",
      level: "warning",
      fileOf: storeFileOf(options, io, entries),
      describe: (store) =>
        `${store.code} ${hasDrift(store) ? "drifted" : "has changes pending"} (${plural(store.changes.length, "difference")})`,
    }),
  );
  await appendSummaryIfSet(io, () =>
    renderPlanMarkdown(plan, {
      title: TITLE,
      label: "Drift",
      maxLength: SUMMARY_MARKDOWN_MAX_LENGTH,
    }),
  );
  if (options["issue"] === true) await syncIssue(io, plan);
  if (plan.failedStores.length > 0) return 1;
  return plan.stores.length > 0 ? 2 : 0;
}

/** The stores to check: all, or a sample of those checked longest ago (never checked first). */
export function chooseStores(
  codes: readonly string[],
  state: StateDocument,
  sample: number | undefined,
): string[] {
  const sorted = [...codes].sort(compareCodes);
  if (sample === undefined || sample >= sorted.length) return sorted;
  const checkedAt = (code: string): string => state.stores[code]?.drift?.checkedAt ?? "";
  return sorted
    .sort((a, b) => (checkedAt(a) < checkedAt(b) ? -1 : checkedAt(a) > checkedAt(b) ? 1 : 0))
    .slice(0, sample)
    .sort(compareCodes);
}

/** Whether a store's differences include drift (live changed since the last apply). */
export function hasDrift(store: StorePlan): boolean {
  return store.changes.some((change) => change.origin === "drift" || change.origin === "both");
}

async function recordChecks(
  backend: ReturnType<typeof openStateBackend>,
  state: StateDocument,
  plan: Plan,
  checked: readonly string[],
): Promise<void> {
  const drifted = new Set(plan.stores.filter(hasDrift).map((store) => store.code));
  const now = new Date();
  const changes: Record<string, StoreRecord> = {};
  for (const code of checked) {
    const record = state.stores[code];
    // Only applied stores have a last apply to drift from.
    if (record?.hash === undefined) continue;
    changes[code] = recordDriftCheck(record, drifted.has(code), now);
  }
  if (Object.keys(changes).length > 0) await backend.update(changes);
}

async function syncIssue(io: CliIO, plan: Plan): Promise<void> {
  const publisher = createGithubPublisher(
    createGithubClient({ ...githubClientOptionsFromEnv(io.env), purpose: "drift --issue" }),
  );
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
  io.stderr.write(`Drift issue: ${result.action}${where}\n`);
}
