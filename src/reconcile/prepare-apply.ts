/**
 * What an apply run will do, decided before any request from plain data: the jobs (one per
 * store to push), the deletions the files already show (counted against the cap), and the
 * stores that become unmanaged. Past a cap nothing is sent (SPEC §5).
 */
import { AppError } from "../errors.js";
import type { DesiredStore, StateDocument } from "../core/model.js";
import { storeAddress } from "../core/model.js";
import type { Selection } from "../core/select.js";
import { buildOfflinePlan } from "../core/build-plan.js";
import { countChanges } from "../core/plan.js";
import type { ApplyJob } from "./run-apply.js";

/** A cap refused the run before anything was sent. */
export class CapExceededError extends AppError {}

export interface ApplyCaps {
  /** --max-stores; undefined: no cap. */
  readonly maxStores: number | undefined;
  /** --max-deleted-links. */
  readonly maxDeletedLinks: number;
}

export interface PrepareApplyInput {
  readonly state: StateDocument;
  readonly selection: Selection;
  readonly desired: ReadonlyMap<string, DesiredStore>;
  readonly fileHashes: ReadonlyMap<string, string>;
  /** The store file of a code, as messages name it (the hint of a refusal of Google's). */
  readonly fileOf: (code: string) => string | undefined;
  /** --prune-removed: removed stores are pushed (to clear them), not dropped. */
  readonly prune: boolean;
  readonly caps: ApplyCaps;
}

export interface PreparedApply {
  readonly jobs: readonly ApplyJob[];
  /** Deletions the files show against the last apply, reserved against the cap. */
  readonly reservedDeletions: number;
  /** Removed stores that become unmanaged: their records are dropped, nothing is sent. */
  readonly unmanaged: readonly string[];
}

export function prepareApply(input: PrepareApplyInput): PreparedApply {
  const { state, selection, desired, caps } = input;
  // The caps, on what the files show against the last apply: past one, nothing is sent.
  const offline = buildOfflinePlan({ state, selection, desired });
  const expected = new Map(
    offline.stores.map((store) => [store.code, countChanges(store.changes).delete]),
  );
  const reservedDeletions = [...expected.values()].reduce((sum, count) => sum + count, 0);
  if (caps.maxStores !== undefined && selection.push.length > caps.maxStores) {
    throw new CapExceededError(
      `${selection.push.length} stores to push, more than --max-stores ${caps.maxStores}; nothing was sent. Review "partoo-links plan" and raise --max-stores to go on`,
    );
  }
  if (reservedDeletions > caps.maxDeletedLinks) {
    throw new CapExceededError(
      `the store files delete ${reservedDeletions} links, more than --max-deleted-links ${caps.maxDeletedLinks}; nothing was sent. Review "partoo-links plan" and raise --max-deleted-links to go on`,
    );
  }
  const jobs: ApplyJob[] = selection.push.map(({ code }) => {
    const store = desired.get(code);
    const previous = Object.hasOwn(state.stores, code) ? state.stores[code] : undefined;
    const fileHash = input.fileHashes.get(code);
    const file = input.fileOf(code);
    return {
      ...(file === undefined ? {} : { file }),
      code,
      address: storeAddress(code, store, previous),
      desired: store,
      previous,
      expectedDeletions: expected.get(code) ?? 0,
      ...(fileHash === undefined ? {} : { fileHash }),
    };
  });
  // A removed store becomes unmanaged: nothing is sent, its entry is dropped (unless pruned).
  return { jobs, reservedDeletions, unmanaged: input.prune ? [] : [...selection.removed] };
}
