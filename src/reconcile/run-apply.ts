/**
 * Applying a fleet: the stores to push go through `applyStore` a few at a time; each one is
 * recorded as soon as Partoo confirmed it. A failed store does not stop the others; the
 * deletion cap, the deadline, a signal, a rejected key or a state that cannot be saved stop
 * starting new stores, and the stores in flight finish. A client that stopped because Partoo
 * cannot be reached at its URL (nothing was confirmed, by construction) ends the run with its
 * one-line error.
 */
import type { LiveLinks, StoreRecord } from "../core/model.js";
import { recordAfterApply, recordAfterFailure } from "../core/record.js";
import type { PartooApi } from "../partoo/client.js";
import {
  PartooAbortedError,
  PartooHttpError,
  PartooNetworkError,
  PartooStoppedError,
  WriteOutcomeUnknownError,
} from "../partoo/errors.js";
import { applyStore, ReadBackMismatchError, type StoreJob } from "./apply-store.js";
import type { StateRecorder } from "./state-recorder.js";
import type { StopReason, StoreOutcome } from "../core/render/apply.js";

export interface ApplyJob extends StoreJob {
  readonly fileHash?: string;
  /** Deletions the files show against the last apply, already counted against the cap. */
  readonly expectedDeletions: number;
}

export interface ApplyRunOptions {
  readonly api: PartooApi;
  readonly recorder: StateRecorder;
  readonly concurrency: number;
  /** --max-deleted-links, and the deletions already reserved by the files (checked before the run). */
  readonly maxDeletedLinks: number;
  readonly reservedDeletions: number;
  /** Epoch ms after which no store is started. */
  readonly deadlineAt?: number;
  readonly signal?: AbortSignal;
  readonly commit?: string;
  /** The files applied have uncommitted changes (recorded with the commit). */
  readonly dirty?: boolean;
  readonly now: () => Date;
  /** Milliseconds, compared with `deadlineAt`; default Date.now. */
  readonly clock?: () => number;
  readonly onStoreDone?: (outcome: StoreOutcome) => void;
}

export interface ApplyRunResult {
  readonly outcomes: readonly StoreOutcome[];
  readonly stoppedBy?: StopReason;
  /** The store that would have passed the deletion cap. */
  readonly capMessage?: string;
}

class DeletionCapError extends Error {}

export async function runApply(
  jobs: readonly ApplyJob[],
  options: ApplyRunOptions,
): Promise<ApplyRunResult> {
  const outcomes = new Map<string, StoreOutcome>();
  let reserved = options.reservedDeletions;
  let stoppedBy: StopReason | undefined;
  let capMessage: string | undefined;
  let unusable: PartooStoppedError | undefined;
  let next = 0;

  const shouldStop = (): boolean => {
    if (stoppedBy !== undefined || unusable !== undefined) return true;
    if (options.signal?.aborted === true) stoppedBy = "signal";
    else if (options.recorder.error !== undefined) stoppedBy = "state";
    else if (
      options.deadlineAt !== undefined &&
      (options.clock ?? Date.now)() >= options.deadlineAt
    )
      stoppedBy = "deadline";
    return stoppedBy !== undefined;
  };

  const finish = (outcome: StoreOutcome, record?: StoreRecord | null): void => {
    outcomes.set(outcome.code, outcome);
    if (record !== undefined) options.recorder.record(outcome.code, record);
    options.onStoreDone?.(outcome);
  };

  const runOne = async (job: ApplyJob): Promise<void> => {
    const gate = (count: number): void => {
      const extra = Math.max(0, count - job.expectedDeletions);
      if (reserved + extra > options.maxDeletedLinks) {
        throw new DeletionCapError(
          `${job.code}: live reads show ${count} links to delete, which would take this run past --max-deleted-links ${options.maxDeletedLinks} (${reserved} already counted); review the plan and raise --max-deleted-links to go on`,
        );
      }
      reserved += extra;
    };
    try {
      const result = await applyStore(options.api, job, gate, options.signal);
      // One literal, not a rest and a spread: the report holds 20,000 of these (issue 18).
      const outcome: StoreOutcome = {
        code: job.code,
        status: result.writes > 0 ? "applied" : "unchanged",
        writes: result.writes,
        created: result.created,
        updated: result.updated,
        deleted: result.deleted,
        unknownOutcomes: result.unknownOutcomes,
        warnings: result.warnings,
      };
      finish(outcome, confirmedRecord(job, result.live, options));
    } catch (error) {
      if (error instanceof DeletionCapError) {
        stoppedBy ??= "deletion-cap";
        capMessage ??= error.message;
        finish({ code: job.code, status: "refused", message: error.message });
        return;
      }
      if (error instanceof PartooAbortedError) {
        finish({ code: job.code, status: "not-started", message: "interrupted" });
        return;
      }
      if (error instanceof PartooStoppedError && error.reason !== "key-refused") {
        unusable ??= error;
        finish({ code: job.code, status: "not-started", message: error.message });
        return;
      }
      if (error instanceof PartooStoppedError) stoppedBy ??= "auth";
      const errorClass = classify(error);
      const message = error instanceof Error ? error.message : String(error);
      finish(
        { code: job.code, status: "failed", errorClass, message },
        recordAfterFailure(job.previous, {
          address: job.address,
          errorClass,
          message,
          now: options.now(),
        }),
      );
    }
  };

  const worker = async (): Promise<void> => {
    while (next < jobs.length && !shouldStop()) {
      const job = jobs[next++]!;
      await runOne(job);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (unusable !== undefined) throw unusable;

  for (const job of jobs) {
    if (!outcomes.has(job.code)) outcomes.set(job.code, { code: job.code, status: "not-started" });
  }
  return {
    outcomes: jobs.map((job) => outcomes.get(job.code)!),
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
    ...(capMessage === undefined ? {} : { capMessage }),
  };
}

/** The record of a confirmed store; a pruned store (no file) leaves the state. */
function confirmedRecord(
  job: ApplyJob,
  live: LiveLinks,
  options: ApplyRunOptions,
): StoreRecord | null {
  if (job.desired === undefined) return null;
  return recordAfterApply({
    desired: job.desired,
    live,
    now: options.now(),
    ...(job.previous === undefined ? {} : { previous: job.previous }),
    ...(job.fileHash === undefined ? {} : { fileHash: job.fileHash }),
    ...(options.commit === undefined ? {} : { commit: options.commit }),
    ...(options.dirty === true ? { dirty: true } : {}),
  });
}

/** The error class recorded in the state: stable, short, greppable. */
function classify(error: unknown): string {
  if (error instanceof PartooStoppedError) return classify(error.cause);
  if (error instanceof PartooHttpError) return `http-${error.status}`;
  if (error instanceof WriteOutcomeUnknownError) return "write-outcome-unknown";
  if (error instanceof PartooNetworkError) return "network";
  if (error instanceof ReadBackMismatchError) return "read-back-mismatch";
  return "internal";
}
