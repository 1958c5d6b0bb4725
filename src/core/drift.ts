/** What `drift` decides: which stores to check, whether a store drifted, and what it records. */
import type { StateDocument, StoreRecord } from "./model.js";
import type { Plan, PlanChange, StorePlan } from "./plan.js";
import { recordDriftCheck } from "./record.js";
import { compareCodes } from "./select.js";

/** Whether a change comes from live drift (live changed since the last apply), alone or with a file change. */
export function isDriftChange(change: PlanChange): boolean {
  return change.origin === "drift" || change.origin === "both";
}

/** Whether a store's differences include drift. */
export function storeHasDrift(store: StorePlan): boolean {
  return store.changes.some(isDriftChange);
}

/**
 * The stores to check, sorted by code: all of them, or with `sample` the N checked longest
 * ago (never checked first), so that a sample a day covers the fleet in turn.
 */
export function chooseStoresToCheck(
  codes: readonly string[],
  state: StateDocument,
  sample: number | undefined,
): string[] {
  const sorted = [...codes].sort(compareCodes);
  if (sample === undefined || sample >= sorted.length) return sorted;
  const checkedAt = (code: string): string =>
    (Object.hasOwn(state.stores, code) ? state.stores[code]?.drift?.checkedAt : undefined) ?? "";
  return sorted
    .sort((a, b) => compareCodes(checkedAt(a), checkedAt(b)))
    .slice(0, sample)
    .sort(compareCodes);
}

/**
 * The records a drift check writes: for every store read live that was applied before, whether
 * it drifted and when it was checked. Stores never applied have no last apply to drift from.
 */
export function driftCheckRecords(
  state: StateDocument,
  plan: Plan,
  checked: Iterable<string>,
  now: Date,
): Record<string, StoreRecord> {
  const drifted = new Set(plan.stores.filter(storeHasDrift).map((store) => store.code));
  const changes: Record<string, StoreRecord> = {};
  for (const code of checked) {
    const record = Object.hasOwn(state.stores, code) ? state.stores[code] : undefined;
    if (record?.hash === undefined) continue;
    changes[code] = recordDriftCheck(record, drifted.has(code), now);
  }
  return changes;
}
