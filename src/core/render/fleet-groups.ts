/**
 * A template edit in the fleet file changes every store that inherits it: in a pull-request
 * comment, one line per template (with a count and a few examples) reads better than a
 * table per store. This groups a plan's inherited changes by the fleet file line they come
 * from; what is left is shown store by store as before. Pure.
 */
import type { ChangeOp, Plan, PlanChange, StorePlan } from "../plan.js";

/** Fewer stores than this changed by one template are shown store by store. */
export const MIN_GROUP_STORES = 3;

export interface FleetGroup {
  /** "partoo-links.yaml:4" */
  readonly source: string;
  readonly type: string;
  /** The stores it changes, in plan order, with their changes of that type. */
  readonly stores: readonly { readonly code: string; readonly changes: readonly PlanChange[] }[];
  readonly counts: Readonly<Record<ChangeOp, number>>;
}

export interface GroupedPlan {
  readonly groups: readonly FleetGroup[];
  /** The stores with changes of their own (their grouped changes left out), in plan order. */
  readonly stores: readonly StorePlan[];
}

export function groupFleetChanges(plan: Plan, minStores = MIN_GROUP_STORES): GroupedPlan {
  const bySource = new Map<
    string,
    { source: string; type: string; stores: Map<string, PlanChange[]> }
  >();
  for (const store of plan.stores) {
    for (const change of store.changes) {
      if (change.source === undefined) continue;
      const key = `${change.source}\0${change.type}`;
      let group = bySource.get(key);
      if (group === undefined) {
        group = { source: change.source, type: change.type, stores: new Map() };
        bySource.set(key, group);
      }
      const list = group.stores.get(store.code) ?? [];
      list.push(change);
      group.stores.set(store.code, list);
    }
  }
  const groups: FleetGroup[] = [];
  const grouped = new Set<string>();
  for (const [key, group] of bySource) {
    if (group.stores.size < minStores) continue;
    grouped.add(key);
    const counts = { create: 0, update: 0, delete: 0 };
    const stores = [...group.stores].map(([code, changes]) => {
      for (const change of changes) counts[change.op]++;
      return { code, changes };
    });
    groups.push({ source: group.source, type: group.type, stores, counts });
  }
  const isGrouped = (change: PlanChange) =>
    change.source !== undefined && grouped.has(`${change.source}\0${change.type}`);
  const stores = plan.stores.flatMap((store) => {
    if (!store.changes.some(isGrouped)) return [store];
    const changes = store.changes.filter((change) => !isGrouped(change));
    // A store that only a template changes is shown in the group alone, unless it has more to say.
    const more = store.warnings.length > 0 || (store.unmanagedTypes?.length ?? 0) > 0;
    return changes.length > 0 || more ? [{ ...store, changes }] : [];
  });
  return { groups, stores };
}
