/** Assembles the plan of a whole fleet from the per-store diffs. */
import { storeAddress, type DesiredStore, type LiveLinks, type StateDocument } from "./model.js";
import { isDriftChange } from "./drift.js";
import type {
  Plan,
  PlanChange,
  RemovedStore,
  StoreFailure,
  StorePlan,
  StoreReason,
  StoreWarning,
} from "./plan.js";
import { countChanges } from "./plan.js";
import type { Selection } from "./select.js";
import { compareCodes } from "./select.js";
import { planStoreOffline, type StoreDiff } from "./diff-offline.js";
import { planStoreLive } from "./diff-live.js";

export interface BuildPlanInput {
  readonly state: StateDocument;
  readonly selection: Selection;
  /** The parsed desired store of every store to push that has a file, and of every store read live. */
  readonly desired: ReadonlyMap<string, DesiredStore>;
}

export interface BuildLivePlanInput extends BuildPlanInput {
  /** The live links read, by code: the stores to push, plus any others read (--refresh). */
  readonly live: ReadonlyMap<string, LiveLinks>;
  /** Stores whose live links could not be read. */
  readonly failures?: readonly StoreFailure[];
}

/**
 * Desired × last-applied for the stores to push. A store to push is listed even when its
 * links did not change against the last apply (never applied with only empty types, a failed
 * last apply, a changed business_id or link order): apply will reconcile it against live.
 * A pruned store is listed when it has links to clear.
 */
export function buildOfflinePlan(input: BuildPlanInput): Plan {
  const stores: StorePlan[] = [];
  for (const { code, reason } of input.selection.push) {
    const desired = desiredFor(input, code, reason);
    const diff = withSources(planStoreOffline(desired, input.state.stores[code]), desired);
    if (reason === "pruned" && diff.changes.length === 0) continue;
    stores.push(storePlan(code, reason, diff));
  }
  return assemble("offline", input, stores, [], []);
}

/**
 * Desired × last-applied × live for every store read live. Only stores with operations to
 * send are listed: a store to push whose live links already match needs none.
 */
export function buildLivePlan(input: BuildLivePlanInput): Plan {
  const reasons = new Map(input.selection.push.map((entry) => [entry.code, entry.reason]));
  const stores: StorePlan[] = [];
  const warnings: StoreWarning[] = [];
  const codes = [...input.live.keys()].sort(compareCodes);
  for (const code of codes) {
    const reason = reasons.get(code) ?? "refresh";
    const desired = desiredFor(input, code, reason);
    const diff = withSources(
      planStoreLive(desired, input.state.stores[code], input.live.get(code)!),
      desired,
    );
    if (diff.changes.length === 0) {
      warnings.push(...diff.warnings.map((message) => ({ code, message })));
      continue;
    }
    stores.push({
      ...storePlan(code, reason, diff),
      writes: diff.writes,
      ...(diff.unmanagedTypes.length > 0 ? { unmanagedTypes: diff.unmanagedTypes } : {}),
      ...(diff.notEditable.length > 0 ? { notEditable: diff.notEditable } : {}),
    });
  }
  const failures = [...(input.failures ?? [])].sort((a, b) => compareCodes(a.code, b.code));
  return assemble("live", input, stores, failures, warnings);
}

function desiredFor(
  input: BuildPlanInput,
  code: string,
  reason: StoreReason,
): DesiredStore | undefined {
  if (reason === "pruned") return undefined;
  const desired = input.desired.get(code);
  // The command parses every store it plans; a missing one is a wiring bug, not user input.
  if (desired === undefined) throw new Error(`buildPlan: no desired store for ${code}`);
  return desired;
}

/**
 * Every change of a type the store inherits from the fleet file says where it comes from,
 * so that renderers can name the template line and group a fleet-wide edit.
 */
function withSources<T extends StoreDiff>(diff: T, desired: DesiredStore | undefined): T {
  const origins = desired?.origins;
  if (origins === undefined) return diff;
  const changes = diff.changes.map((change) => {
    const source = Object.hasOwn(origins, change.type) ? origins[change.type] : undefined;
    return source === undefined ? change : { ...change, source };
  });
  return { ...diff, changes };
}

function storePlan(code: string, reason: StoreReason, diff: StoreDiff): StorePlan {
  return {
    code,
    address: diff.address,
    reason,
    changes: diff.changes,
    ...(diff.clearedTypes.length > 0 ? { clearedTypes: diff.clearedTypes } : {}),
    warnings: diff.warnings,
  };
}

function assemble(
  mode: Plan["mode"],
  input: BuildPlanInput,
  stores: StorePlan[],
  failedStores: StoreFailure[],
  warnings: StoreWarning[],
): Plan {
  const pruned = new Set(
    input.selection.push.filter((entry) => entry.reason === "pruned").map((entry) => entry.code),
  );
  const removed = new Set(input.selection.removed);
  const removedStores: RemovedStore[] = input.selection.removed.map((code) => {
    const record = input.state.stores[code];
    return {
      code,
      address: storeAddress(code, undefined, record),
      pruned: pruned.has(code),
      managedTypes: Object.keys(record?.links ?? {}).sort(),
    };
  });
  const allChanges: PlanChange[] = stores.flatMap((store) => store.changes);
  const counts = countChanges(allChanges);
  const withFile = input.selection.unchanged.length + input.selection.push.length - pruned.size;
  const listedWithFile = stores.filter((store) => !removed.has(store.code)).length;
  const failedWithFile = failedStores.filter((failure) => !removed.has(failure.code)).length;
  return {
    mode,
    stores,
    removedStores,
    failedStores,
    warnings,
    summary: {
      storesToChange: stores.length,
      ...counts,
      unchanged: withFile - listedWithFile - failedWithFile,
      removed: removedStores.length,
      failed: failedStores.length,
      drift: allChanges.filter(isDriftChange).length,
    },
  };
}
