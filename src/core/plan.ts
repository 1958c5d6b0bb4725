/**
 * The plan: one plain, JSON-ready object that `plan` and `drift` build and every renderer
 * (text, JSON, Markdown) reads. Its JSON form is described by schemas/plan.schema.json.
 */
import type { LinkType, TypeWrite } from "./model.js";

export type PlanMode = "offline" | "live";
export type ChangeOp = "create" | "update" | "delete";

/**
 * Where a change comes from, known only when live was read: `pending` the files changed
 * since the last apply (or the store was never applied), `drift` someone changed the live
 * links since the last apply, `both` the two at once on the same link.
 */
export type ChangeOrigin = "pending" | "drift" | "both";

export interface PlanChange {
  readonly type: LinkType;
  readonly op: ChangeOp;
  readonly url: string;
  /** create/update: whether the link is preferred afterwards; delete: whether it was. */
  readonly preferred: boolean;
  /** update: whether it was preferred before. */
  readonly wasPreferred?: boolean;
  /**
   * update: the URL this link had, when the update changes it (Partoo keeps the id and
   * takes the new value; see pair-links.ts for which removed URL an added one replaces).
   */
  readonly fromUrl?: string;
  /** update/delete: the Partoo id of the link (live plans: read live; offline: last applied). */
  readonly id?: number;
  /** Live plans only. */
  readonly origin?: ChangeOrigin;
  /** A delete that removes an extra copy of a URL that is kept once. */
  readonly duplicate?: true;
  /** The type is inherited from the fleet file: the line of its list, "partoo-links.yaml:4". */
  readonly source?: string;
}

/**
 * Why a store is in the plan: the rule of SPEC §3 that selected it for the next apply
 * (`only`, `drifted` and `pruned` come from apply's --only, --repair and --prune-removed),
 * or `refresh` for a store read live only because of plan --refresh (apply pushes it only
 * with --only or --repair).
 */
export type StoreReason =
  | "never-applied"
  | "file-changed"
  | "last-apply-failed"
  | "drifted"
  | "only"
  | "pruned"
  | "refresh";

export interface StorePlan {
  readonly code: string;
  /** The business path segment: a business id or c-{code}. */
  readonly address: string;
  readonly reason: StoreReason;
  /** Grouped by type (sorted), each type in file order, deletes last. */
  readonly changes: readonly PlanChange[];
  /** Live plans: the exact body to POST, only the types that differ. */
  readonly writes?: readonly TypeWrite[];
  /** Types managed at the last apply and gone from the file: cleared. */
  readonly clearedTypes?: readonly LinkType[];
  /** Live plans: types with live links that the file never listed (never touched). */
  readonly unmanagedTypes?: readonly LinkType[];
  /**
   * Live plans: the links Partoo marks not editable in the managed types, kept as they are
   * (and re-sent unchanged when their type is sent): Google shows them next to the file's.
   */
  readonly notEditable?: readonly KeptLink[];
  readonly warnings: readonly string[];
}

/** A live link kept as it is. */
export interface KeptLink {
  readonly type: LinkType;
  readonly url: string;
  readonly preferred: boolean;
  readonly id: number;
}

/** A store that has a state entry but no file any more. */
export interface RemovedStore {
  readonly code: string;
  readonly address: string;
  /** true with --prune-removed: its managed types are cleared; otherwise it only becomes unmanaged. */
  readonly pruned: boolean;
  /** The types managed at its last apply. */
  readonly managedTypes: readonly LinkType[];
}

/** A store whose live links could not be read (live plans). */
export interface StoreFailure {
  readonly code: string;
  readonly address: string;
  readonly message: string;
}

export interface PlanSummary {
  /** Stores listed in `stores`. */
  readonly storesToChange: number;
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  /** Stores with a file and nothing to do. */
  readonly unchanged: number;
  readonly removed: number;
  readonly failed: number;
  /** Live plans: changes whose origin is drift or both. */
  readonly drift: number;
}

export interface Plan {
  readonly mode: PlanMode;
  /** Only stores with changes (offline: stores to push, see buildOfflinePlan). Sorted by code. */
  readonly stores: readonly StorePlan[];
  readonly removedStores: readonly RemovedStore[];
  readonly failedStores: readonly StoreFailure[];
  /** Warnings about stores that are not listed in `stores` (live plans: stores already in sync). */
  readonly warnings: readonly StoreWarning[];
  /** The caps the merge's apply will hit, worded for the reviewer (the plan command adds them). */
  readonly capWarnings?: readonly string[];
  readonly summary: PlanSummary;
  /**
   * plan: stores the last `drift` found drifted that this plan leaves as they are (sorted);
   * apply --repair re-pushes them, accept --drifted takes live's links into the files.
   */
  readonly driftedStores?: readonly string[];
}

export interface StoreWarning {
  readonly code: string;
  readonly message: string;
}

/** Counts of one store's changes, for summaries. */
export function countChanges(changes: readonly PlanChange[]): {
  create: number;
  update: number;
  delete: number;
} {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const change of changes) counts[change.op]++;
  return counts;
}

/**
 * Whether the plan calls for action, as `plan --detailed-exitcode` reports it (exit 2):
 * offline, any store to push; live, any operation to send to Partoo. A removed store that is
 * not pruned sends nothing and does not count.
 */
export function planHasChanges(plan: Plan): boolean {
  if (plan.mode === "offline") return plan.stores.length > 0;
  return plan.stores.some((store) => (store.writes?.length ?? 0) > 0);
}
