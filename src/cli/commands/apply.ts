/**
 * `partoo-links apply`: pushes the stores to push (SPEC §3, §6) and records each store that
 * Partoo confirmed. The caps are checked on the offline plan before any request.
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
import { loadDesired } from "../desired.js";
import { AppError } from "../../errors.js";
import { selectStoresToPush } from "../../core/select.js";
import { driftedNotPushed } from "../../core/drift-hint.js";
import { annotation } from "../../core/render/annotations.js";
import { applyExitCode, renderApplyMarkdown, type ApplyReport } from "../../core/render/apply.js";
import { renderApplyAs } from "../../core/render/apply-formats.js";
import type { StateBackend } from "../../state/backend.js";
import {
  DEFAULT_MAX_DELETED_LINKS,
  prepareApply,
  resolveCaps,
  type ApplyCaps,
  type PreparedApply,
} from "../../reconcile/prepare-apply.js";
import { runApply, type ApplyRunResult } from "../../reconcile/run-apply.js";
import { StateRecorder } from "../../reconcile/state-recorder.js";
import type { PartooApi } from "../../partoo/client.js";

export const DEFAULT_APPLY_CONCURRENCY = 4;
export { DEFAULT_MAX_DELETED_LINKS };
/** Completed stores are saved at least this often, so a killed run loses little. */
const STATE_FLUSH_MS = 2000;

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
    ...formatOption(),
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
      description:
        "refuse to run when more than N stores are to push (default: the fleet file's caps.max_stores, else no cap)",
    },
    "max-deleted-links": {
      type: "string",
      valueName: "N",
      description: `refuse to delete more than N links in this run (default: the fleet file's caps.max_deleted_links, else ${DEFAULT_MAX_DELETED_LINKS})`,
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
  wholeFleet: true,
};

async function runApplyCommand({ options, io, services }: CommandContext): Promise<number> {
  const started = services.clock();
  const format = parseFormat(options);
  const only = parseOnly(options);
  const repair = options["repair"] === true;
  const prune = options["prune-removed"] === true;
  const run = parseRunOptions(options, started);
  services.partoo.check("apply");
  const caps = resolveCaps(run.caps, (await services.fleet())?.caps);

  const fleet = await loadDesired(services, { only, parseAll: false, repair, command: "apply" });
  const selection = selectStoresToPush(fleet.entries, fleet.state, {
    ...(only ? { only } : {}),
    repair,
    prune,
  });
  const prepared = prepareApply({ ...fleet, selection, prune, caps });
  const drifted = driftedNotPushed(fleet.state, selection);
  const recorder = new StateRecorder(services.state(), STATE_FLUSH_MS);
  // A second SIGINT/SIGTERM ends the process at once: what Partoo confirmed is saved first.
  const unregister = io.beforeForcedExit?.(() => recorder.flush());
  for (const code of prepared.unmanaged) recorder.record(code, null);
  const applied = await services.actions.commit();
  const commit = applied?.sha;
  const { result, requests, rateLimited } = await services.partoo.use(
    "apply",
    (client) =>
      applyJobs(services, client, prepared, recorder, {
        ...run,
        caps,
        commit,
        dirty: applied?.dirty === true,
      }),
    { concurrency: run.concurrency },
  );
  await saveState(recorder, services.state());
  unregister?.();

  const report: ApplyReport = {
    outcomes: result.outcomes,
    unmanaged: prepared.unmanaged,
    ...(result.stoppedBy === undefined ? {} : { stoppedBy: result.stoppedBy }),
    ...(result.capMessage === undefined ? {} : { stopMessage: result.capMessage }),
    requests,
    rateLimited,
    durationMs: services.clock() - started,
    ...(commit === undefined ? {} : { commit }),
    ...(drifted.length === 0 ? {} : { drifted }),
  };
  io.stdout.write(renderApplyAs(format, report, fleet.fileOf));
  await services.actions.appendSummary(() => renderApplyMarkdown(report));
  if (options["comment"] === true) {
    // The stores are applied and recorded: a comment that fails is a warning, not the result.
    await commentResult(services, report).catch((error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      const message = `apply --comment: the result was not commented (${error.message}); the stores were applied and recorded`;
      services.log(`warning: ${message}`);
      if (format === "github") io.stdout.write(annotation("warning", message));
    });
  }
  return applyExitCode(report);
}

interface RunOptions {
  readonly concurrency: number;
  /** The flags only: the fleet file's caps fill in what they leave out (resolveCaps). */
  readonly caps: {
    readonly maxStores: number | undefined;
    readonly maxDeletedLinks: number | undefined;
  };
  /** Epoch ms after which no store is started. */
  readonly deadlineAt: number | undefined;
}

function parseRunOptions(options: CommandContext["options"], started: number): RunOptions {
  const deadline = parseNumberOption(options, "deadline", { min: 0, integer: false });
  return {
    concurrency: parseNumberOption(options, "concurrency", {
      min: 1,
      fallback: DEFAULT_APPLY_CONCURRENCY,
    })!,
    caps: {
      maxStores: parseNumberOption(options, "max-stores", { min: 0 }),
      maxDeletedLinks: parseNumberOption(options, "max-deleted-links", { min: 0 }),
    },
    deadlineAt: deadline === undefined ? undefined : started + deadline * 60_000,
  };
}

/** Runs the jobs with a progress line; returns the result and the client's counters. */
async function applyJobs(
  services: Services,
  client: PartooApi,
  prepared: PreparedApply,
  recorder: StateRecorder,
  run: Omit<RunOptions, "caps"> & {
    readonly caps: ApplyCaps;
    readonly commit: string | undefined;
    readonly dirty: boolean;
  },
): Promise<{ result: ApplyRunResult; requests: number; rateLimited: number }> {
  const progress = services.progress({
    label: "apply",
    total: prepared.jobs.length,
    requests: () => requestCount(client),
  });
  try {
    const result = await runApply(prepared.jobs, {
      api: client,
      recorder,
      concurrency: run.concurrency,
      maxDeletedLinks: run.caps.maxDeletedLinks,
      reservedDeletions: prepared.reservedDeletions,
      ...(run.deadlineAt === undefined ? {} : { deadlineAt: run.deadlineAt }),
      ...(services.signal === undefined ? {} : { signal: services.signal }),
      ...(run.commit === undefined ? {} : { commit: run.commit, dirty: run.dirty }),
      now: services.now,
      clock: services.clock,
      onStoreDone: (outcome) => progress.tick(outcome.status === "failed"),
    });
    return { result, requests: requestCount(client), rateLimited: client.stats.rateLimited };
  } finally {
    progress.stop();
  }
}

function requestCount(client: PartooApi): number {
  return Object.values(client.stats.requests).reduce((sum, n) => sum + n, 0);
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

/** The per-store result on the pull request(s) merged by GITHUB_SHA (SPEC §8). */
async function commentResult(services: Services, report: ApplyReport): Promise<void> {
  const sha = report.commit;
  if (sha === undefined) {
    services.log("apply --comment: no commit known (GITHUB_SHA unset): no comment written");
    return;
  }
  const publisher = await services.publisher("apply --comment");
  const pulls = await publisher.pullRequestsForCommit(sha);
  const merged = pulls.filter((pull) => pull.merged);
  const targets = merged.length > 0 ? merged : pulls;
  if (targets.length === 0) {
    services.log(`apply --comment: no pull request is associated with ${sha.slice(0, 12)}`);
  }
  for (const pull of targets) {
    await publisher.commentOnPullRequest(pull.number, renderApplyMarkdown(report));
    services.log(`Result commented on pull request #${pull.number}`);
  }
}
