/**
 * `partoo-links apply`: pushes the stores to push (SPEC §3, §6) and records each store that
 * Partoo confirmed. The caps are checked on the offline plan before any request.
 */
import type { Command, CommandContext, CliIO } from "../command.js";
import {
  apiKey,
  apiUrl,
  apiUrlOption,
  formatOption,
  onlyOption,
  parseFormat,
  parseNumberOption,
  parseOnly,
  parseRateLimit,
  rateLimitOption,
  stateOption,
  storesOption,
  stringOption,
} from "../options.js";
import {
  addressOf,
  appendSummaryIfSet,
  checkOnly,
  currentCommit,
  loadDesired,
  storeFileOf,
} from "../fleet.js";
import { annotation } from "../../core/render/annotations.js";
import { startProgress } from "../progress.js";
import { AppError } from "../../errors.js";
import { selectStoresToPush } from "../../core/select.js";
import { buildOfflinePlan } from "../../core/build-plan.js";
import { countChanges } from "../../core/plan.js";
import {
  applyExitCode,
  renderApplyJson,
  renderApplyMarkdown,
  renderApplyText,
  type ApplyReport,
} from "../../core/render/apply.js";
import type { StateBackend } from "../../state/backend.js";
import { openStateBackend } from "../../state/open.js";
import { createPartooClient } from "../../partoo/client.js";
import { runApply, type ApplyJob } from "../../reconcile/run-apply.js";
import { StateRecorder } from "../../reconcile/state-recorder.js";
import { createGithubClient, githubClientOptionsFromEnv } from "../../github/client.js";
import { createGithubPublisher } from "../../github/publisher.js";

const FORMATS = ["text", "json", "markdown", "github"] as const;
export const DEFAULT_APPLY_CONCURRENCY = 4;
export const DEFAULT_MAX_DELETED_LINKS = 100;
/** Completed stores are saved at least this often, so a killed run loses little. */
const STATE_FLUSH_MS = 2000;

export class CapExceededError extends AppError {}

export const applyCommand: Command = {
  name: "apply",
  summary: "push the stores whose file changed (or never applied, or failed) and record them",
  description: `Pushes the stores to push: those whose file changed since their last confirmed apply,
those never applied, and those whose last apply failed (with --only: the named stores,
even unchanged; with --repair: also the stores the last drift found drifted). For each:
read live, send only the types that differ, read back and confirm, then record it.

Exit codes: 0 all applied, 1 any store failed or refused (or a cap was reached),
3 stopped early by --deadline (run again to resume).`,
  options: {
    ...storesOption,
    ...stateOption,
    ...onlyOption,
    ...formatOption(FORMATS),
    ...apiUrlOption,
    concurrency: {
      type: "string",
      valueName: "N",
      description: `stores in flight at once (default ${DEFAULT_APPLY_CONCURRENCY})`,
    },
    ...rateLimitOption,
    "max-stores": {
      type: "string",
      valueName: "N",
      description: "refuse to run when more than N stores are to push (default: no cap)",
    },
    "max-deleted-links": {
      type: "string",
      valueName: "N",
      description: `refuse to delete more than N links in this run (default ${DEFAULT_MAX_DELETED_LINKS})`,
    },
    "prune-removed": {
      type: "boolean",
      description: "clear the managed links of stores whose file was deleted",
    },
    repair: {
      type: "boolean",
      description: "also re-push the stores the last drift found drifted",
    },
    deadline: {
      type: "string",
      valueName: "MINUTES",
      description: "stop starting stores after this many minutes (may be fractional); exit 3",
    },
    comment: {
      type: "boolean",
      description: "comment the result on the pull request(s) of GITHUB_SHA",
    },
  },
  run: runApplyCommand,
};

async function runApplyCommand({ options, io }: CommandContext): Promise<number> {
  const started = Date.now();
  const format = parseFormat(options, FORMATS);
  const only = parseOnly(options);
  const repair = options["repair"] === true;
  const prune = options["prune-removed"] === true;
  const concurrency = parseNumberOption(options, "concurrency", {
    min: 1,
    fallback: DEFAULT_APPLY_CONCURRENCY,
  })!;
  const rateLimit = parseRateLimit(options);
  const maxStores = parseNumberOption(options, "max-stores", { min: 0 });
  const maxDeletedLinks = parseNumberOption(options, "max-deleted-links", {
    min: 0,
    fallback: DEFAULT_MAX_DELETED_LINKS,
  })!;
  const deadline = parseNumberOption(options, "deadline", { min: 0, integer: false });
  const connection = { apiKey: apiKey(io.env, "apply"), baseUrl: apiUrl(options, io.env) };

  const backend = openStateBackend(stringOption(options, "state"), io.cwd, io.env);
  const { state, entries, desired, fileHashes } = await loadDesired(options, io, backend.read(), {
    only,
    parseAll: false,
    repair,
    command: "apply",
  });
  checkOnly(only, entries, state);
  const selection = selectStoresToPush(entries, state, {
    ...(only ? { only } : {}),
    repair,
    prune,
  });

  // The caps, on what the files show against the last apply: past one, nothing is sent.
  const offline = buildOfflinePlan({ state, selection, desired });
  const expected = new Map(
    offline.stores.map((store) => [store.code, countChanges(store.changes).delete]),
  );
  const reserved = [...expected.values()].reduce((sum, count) => sum + count, 0);
  if (maxStores !== undefined && selection.push.length > maxStores) {
    throw new CapExceededError(
      `${selection.push.length} stores to push, more than --max-stores ${maxStores}; nothing was sent. Review "partoo-links plan" and raise --max-stores to go on`,
    );
  }
  if (reserved > maxDeletedLinks) {
    throw new CapExceededError(
      `the store files delete ${reserved} links, more than --max-deleted-links ${maxDeletedLinks}; nothing was sent. Review "partoo-links plan" and raise --max-deleted-links to go on`,
    );
  }

  const jobs: ApplyJob[] = selection.push.map(({ code }) => {
    const store = desired.get(code);
    const previous = state.stores[code];
    const fileHash = fileHashes.get(code);
    return {
      code,
      address: addressOf(code, desired, state),
      desired: store,
      previous,
      expectedDeletions: expected.get(code) ?? 0,
      ...(fileHash === undefined ? {} : { fileHash }),
    };
  });

  const recorder = new StateRecorder(backend, STATE_FLUSH_MS);
  // A removed store becomes unmanaged: nothing is sent, its entry is dropped (unless pruned).
  const unmanaged = prune ? [] : [...selection.removed];
  for (const code of unmanaged) recorder.record(code, null);

  const commit = await currentCommit(io);
  const client = createPartooClient({
    ...connection,
    rateLimitPerMinute: rateLimit,
    concurrency,
    logger: (line) => io.stderr.write(`${line}\n`),
  });
  const progress = startProgress({
    stream: io.stderr,
    isTTY: io.stderrIsTTY,
    label: "apply",
    total: jobs.length,
    requests: () => Object.values(client.stats.requests).reduce((sum, n) => sum + n, 0),
  });
  let result;
  try {
    result = await runApply(jobs, {
      api: client,
      recorder,
      concurrency,
      maxDeletedLinks,
      reservedDeletions: reserved,
      ...(deadline === undefined ? {} : { deadlineAt: started + deadline * 60_000 }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      ...(commit === undefined ? {} : { commit }),
      now: () => new Date(),
      onStoreDone: (outcome) => progress.tick(outcome.status === "failed"),
    });
  } finally {
    progress.stop();
    await client.close();
  }
  await saveState(recorder, backend);

  const stats = client.stats;
  const report: ApplyReport = {
    outcomes: result.outcomes,
    unmanaged,
    ...(result.stoppedBy === undefined ? {} : { stoppedBy: result.stoppedBy }),
    ...(result.capMessage === undefined ? {} : { stopMessage: result.capMessage }),
    requests: Object.values(stats.requests).reduce((sum, n) => sum + n, 0),
    rateLimited: stats.rateLimited,
    durationMs: Date.now() - started,
    ...(commit === undefined ? {} : { commit }),
  };
  io.stdout.write(render(report, format, storeFileOf(options, io, entries)));
  await appendSummaryIfSet(io, () => renderApplyMarkdown(report));
  if (options["comment"] === true) await commentResult(io, report);
  return applyExitCode(report);
}

/** Saves what is left to save; a state that cannot be saved is an error of its own. */
async function saveState(recorder: StateRecorder, backend: StateBackend): Promise<void> {
  try {
    await recorder.flush();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      `${backend.description}: the results of this run could not be saved (${reason}); the stores applied will be re-read and recorded by the next run, without sending anything again`,
      { cause: error },
    );
  }
}

function render(
  report: ApplyReport,
  format: (typeof FORMATS)[number],
  fileOf: (code: string) => string | undefined,
): string {
  switch (format) {
    case "json":
      return renderApplyJson(report);
    case "markdown":
      return renderApplyMarkdown(report);
    case "text":
      return renderApplyText(report);
    case "github":
      return renderApplyText(report) + githubAnnotations(report, fileOf);
  }
}

/** Failed stores as workflow error annotations, so they show on the run's page. */
function githubAnnotations(
  report: ApplyReport,
  fileOf: (code: string) => string | undefined,
): string {
  return report.outcomes
    .filter((outcome) => outcome.status === "failed" || outcome.status === "refused")
    .map((outcome) => {
      const file = fileOf(outcome.code);
      return annotation("error", `${outcome.code}: ${outcome.message ?? outcome.status}`, {
        ...(file === undefined ? {} : { file }),
        title: "partoo-links apply",
      });
    })
    .join("");
}

/** The per-store result on the pull request(s) merged by GITHUB_SHA (SPEC §8). */
async function commentResult(io: CliIO, report: ApplyReport): Promise<void> {
  const sha = report.commit;
  if (sha === undefined) {
    io.stderr.write("apply --comment: no commit known (GITHUB_SHA unset): no comment written\n");
    return;
  }
  const publisher = createGithubPublisher(
    createGithubClient({ ...githubClientOptionsFromEnv(io.env), purpose: "apply --comment" }),
  );
  const pulls = await publisher.pullRequestsForCommit(sha);
  const merged = pulls.filter((pull) => pull.merged);
  const targets = merged.length > 0 ? merged : pulls;
  if (targets.length === 0) {
    io.stderr.write(`apply --comment: no pull request is associated with ${sha.slice(0, 12)}\n`);
  }
  for (const pull of targets) {
    await publisher.commentOnPullRequest(pull.number, renderApplyMarkdown(report));
    io.stderr.write(`Result commented on pull request #${pull.number}\n`);
  }
}
