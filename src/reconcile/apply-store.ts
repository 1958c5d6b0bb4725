/**
 * Applying one store (SPEC §6): read live, send only the types that differ, read back and
 * confirm. A POST whose outcome is unknown is never re-sent as is: the next round reads live
 * again and re-plans, so only what is still missing is sent and no link is ever duplicated.
 */
import type { DesiredStore, LiveLinks, StoreRecord } from "../core/model.js";
import { planStoreLive } from "../core/diff-live.js";
import { lastFailureWarning } from "../core/diff-offline.js";
import { countChanges } from "../core/plan.js";
import type { PartooApi, RequestOptions } from "../partoo/client.js";
import { WriteOutcomeUnknownError } from "../partoo/errors.js";
import { nameGoogleRefusal } from "../partoo/messages.js";

/** Write rounds per store: the first write, and re-plans after unknown outcomes or mismatches. */
export const MAX_WRITE_ROUNDS = 3;

export interface StoreJob {
  readonly code: string;
  readonly address: string;
  /** undefined: the file was removed and --prune-removed clears its managed types. */
  readonly desired: DesiredStore | undefined;
  readonly previous: StoreRecord | undefined;
  /** The store file as shown to the user, named in the hint of a refusal of Google's. */
  readonly file?: string;
}

export interface StoreApplyResult {
  /** The live links confirmed to match the file. */
  readonly live: LiveLinks;
  /** POSTs sent (0: live already matched). */
  readonly writes: number;
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  /** Write outcomes that were unknown and resolved by reading again. */
  readonly unknownOutcomes: number;
  readonly warnings: readonly string[];
}

/** Asked before each POST: may this store delete `count` more links than expected? Throws if not. */
export type DeletionGate = (count: number) => void;

/** Live still differs from the file after every write round: recorded as a failed attempt. */
export class ReadBackMismatchError extends Error {
  /** `lastWrite`: the last write's outcome was unknown (5xx, timeout), the likelier reason. */
  constructor(code: string, remaining: number, lastWrite?: WriteOutcomeUnknownError) {
    const reason =
      lastWrite === undefined
        ? "Partoo may be refusing a link silently, check the store in Partoo"
        : `the last write failed: ${lastWrite.cause instanceof Error ? lastWrite.cause.message : lastWrite.message}`;
    super(
      `${code}: live links still differ from the file after ${MAX_WRITE_ROUNDS} writes (${remaining} changes left); ${reason}`,
      lastWrite === undefined ? undefined : { cause: lastWrite },
    );
    this.name = "ReadBackMismatchError";
  }
}

export async function applyStore(
  api: PartooApi,
  job: StoreJob,
  gateDeletions: DeletionGate,
  signal?: AbortSignal,
): Promise<StoreApplyResult> {
  // The signal stops a store only until its first write is sent: after that, Partoo may have
  // changed, so the store is read back and confirmed (and recorded) like any other.
  let options: RequestOptions = signal === undefined ? {} : { signal };
  let live = await api.getLinks(job.address, options);
  const totals = { writes: 0, created: 0, updated: 0, deleted: 0, unknownOutcomes: 0 };
  let warnings: readonly string[] = [];
  let lastUnknown: WriteOutcomeUnknownError | undefined;
  const staleFailure = lastFailureWarning(job.previous);
  for (let round = 0; ; round++) {
    const diff = planStoreLive(job.desired, job.previous, live);
    // The store is being applied: the warning that its last apply failed is no news then.
    if (round === 0) warnings = diff.warnings.filter((warning) => warning !== staleFailure);
    if (diff.writes.length === 0) return { live, ...totals, warnings };
    if (round === MAX_WRITE_ROUNDS) {
      throw new ReadBackMismatchError(job.code, diff.changes.length, lastUnknown);
    }
    if (round === 0) {
      // What the store needed: later rounds only finish the same changes.
      const counts = countChanges(diff.changes);
      gateDeletions(counts.delete);
      Object.assign(totals, {
        created: counts.create,
        updated: counts.update,
        deleted: counts.delete,
      });
    }
    try {
      await api.setLinks(job.address, diff.writes, options);
      lastUnknown = undefined;
    } catch (error) {
      if (!(error instanceof WriteOutcomeUnknownError)) {
        const types = diff.writes.map((write) => write.type);
        throw nameGoogleRefusal(error, {
          types,
          ...(job.file === undefined ? {} : { file: job.file }),
        });
      }
      lastUnknown = error;
      totals.unknownOutcomes++;
    }
    options = {};
    totals.writes++;
    // Read back: confirms the write, or shows what an unknown outcome left to do.
    live = await api.getLinks(job.address, options);
  }
}
