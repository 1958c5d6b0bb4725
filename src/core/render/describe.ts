/** Wording shared by the renderers, so that text and Markdown say the same thing. */
import type { ChangeOrigin, Plan, StorePlan, StoreReason } from "../plan.js";
import { countChanges } from "../plan.js";

const REASONS: Record<StoreReason, string> = {
  "never-applied": "never applied",
  "file-changed": "file changed",
  "last-apply-failed": "last apply failed",
  drifted: "marked as drifted (--repair)",
  only: "selected with --only",
  pruned: "store file deleted, pruned: its managed types are cleared",
  refresh: "drift: live differs from the files; apply --only with this code repairs it",
};

export function describeReason(reason: StoreReason): string {
  return REASONS[reason];
}

const ORIGINS: Record<ChangeOrigin, string> = {
  pending: "pending",
  drift: "drift",
  both: "pending + drift",
};

export function describeOrigin(origin: ChangeOrigin): string {
  return ORIGINS[origin];
}

export const OFFLINE_NOTE =
  "Offline plan: the store files compared with the last-applied state. Live links were not read, so drift and links added by others are not shown; run with --live for the exact operations.";

export const NO_LINK_CHANGES =
  "no link changes against the last-applied state; apply reconciles it against live";

export const REMOVED_NOTE =
  "these stores become unmanaged: nothing is sent and their state entries are dropped at the next apply (apply --prune-removed clears their links instead)";

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** "Plan: 3 stores to change: 4 links to create, 1 to update, 2 to delete; 27 unchanged." */
export function summaryLine(plan: Plan, label = "Plan"): string {
  const { summary } = plan;
  const parts: string[] = [];
  if (summary.storesToChange === 0 && summary.failed > 0) {
    // Never "no changes" when stores could not be read: nobody knows what they hold.
    parts.push(
      `${label}: incomplete, ${plural(summary.failed, "store")} could not be read; ${summary.unchanged} read and unchanged`,
    );
  } else if (summary.storesToChange === 0) {
    parts.push(`${label}: no changes; ${summary.unchanged} unchanged`);
  } else {
    parts.push(
      `${label}: ${plural(summary.storesToChange, "store")} to change: ${plural(summary.create, "link")} to create, ${summary.update} to update, ${summary.delete} to delete; ${summary.unchanged} unchanged`,
    );
  }
  if (plan.mode === "live" && summary.drift > 0) {
    parts.push(`${plural(summary.drift, "change")} from live drift`);
  }
  const pruned = plan.removedStores.filter((store) => store.pruned).length;
  const unmanaged = plan.removedStores.length - pruned;
  if (unmanaged > 0)
    parts.push(`${plural(unmanaged, "store file")} removed (unmanaged from now on)`);
  if (pruned > 0) parts.push(`${plural(pruned, "removed store")} pruned`);
  if (summary.failed > 0 && summary.storesToChange > 0) {
    parts.push(`${plural(summary.failed, "store")} could not be read`);
  }
  return `${parts.join("; ")}.`;
}

/** How many names a one-line list shows before "and N more". */
export const FIRST_FEW = 5;

/** "a, b, c, d, e and 114 more": a long list of names kept to one line. */
export function firstFew(names: readonly string[], max = FIRST_FEW): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * "2 stores drifted since the last apply (a, b): …": the stores the last `drift` found
 * drifted and that this run does not repair.
 */
export function driftedHint(codes: readonly string[]): string {
  return `${plural(codes.length, "store")} drifted since the last apply (${firstFew(codes)}): run apply --repair to restore the files' links, or accept --drifted to keep live's`;
}

/** Before the non-editable links a plan keeps: why a reviewer should care. */
export const NOT_EDITABLE_NOTE =
  "kept, not editable (owned by someone else; Google shows them too)";

/** "2 to create, 1 to delete" for one store. */
export function storeCounts(store: StorePlan): string {
  const counts = countChanges(store.changes);
  const parts = (["create", "update", "delete"] as const)
    .filter((op) => counts[op] > 0)
    .map((op) => `${counts[op]} to ${op}`);
  return parts.length === 0 ? "no link changes" : parts.join(", ");
}

export function preferredWord(preferred: boolean): string {
  return preferred ? "preferred" : "not preferred";
}
