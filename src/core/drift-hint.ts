/** Which stores the last `drift` found drifted that a plan or an apply leaves as they are. */
import type { StateDocument } from "./model.js";
import type { Plan } from "./plan.js";
import type { Selection } from "./select.js";

/**
 * The stores with a file, not pushed by this run, whose record says the last drift check
 * found them drifted. Applying a store replaces its record, which drops the mark; a store
 * pushed anyway (file changed, --repair, --only) is reconciled against live, so it is left out.
 */
export function driftedNotPushed(state: StateDocument, selection: Selection): string[] {
  return selection.unchanged.filter(
    (code) => Object.hasOwn(state.stores, code) && state.stores[code]?.drift?.drifted === true,
  );
}

/** The plan with its drifted stores noted (left as it is when there are none). */
export function withDriftedStores(plan: Plan, drifted: readonly string[]): Plan {
  return drifted.length === 0 ? plan : { ...plan, driftedStores: drifted };
}
