/**
 * A plan for a GitHub Actions log (`--format github`): the text plan, then one workflow
 * annotation per store, put on its store file so that a pull request shows it on the diff.
 */
import type { Plan, StorePlan } from "../plan.js";
import { annotation, type AnnotationLevel } from "./annotations.js";
import { describeReason, storeCounts } from "./describe.js";
import { renderPlanText } from "./text.js";

export interface GithubOptions {
  /** "Plan" (default) or "Drift": the summary line's label and the annotations' title. */
  readonly label?: string;
  /** The level of a store's annotation: notice for a plan, warning for drift. */
  readonly level?: AnnotationLevel;
  /** The store file of a code, as the pull request shows it; undefined for none. */
  readonly fileOf: (code: string) => string | undefined;
  /** One store's annotation text (default: its reason and counts). */
  readonly describe?: (store: StorePlan) => string;
}

export function renderPlanGithub(plan: Plan, options: GithubOptions): string {
  const label = options.label ?? "Plan";
  const title = `partoo-links ${label.toLowerCase()}`;
  const place = (code: string) => {
    const file = options.fileOf(code);
    return file === undefined ? { title } : { file, title };
  };
  const describe =
    options.describe ??
    ((store: StorePlan) => `${store.code}: ${describeReason(store.reason)}: ${storeCounts(store)}`);
  const lines: string[] = [];
  for (const store of plan.stores) {
    lines.push(annotation(options.level ?? "notice", describe(store), place(store.code)));
    for (const warning of store.warnings) {
      lines.push(annotation("warning", `${store.code}: ${warning}`, place(store.code)));
    }
  }
  for (const warning of plan.warnings) {
    lines.push(annotation("warning", `${warning.code}: ${warning.message}`, place(warning.code)));
  }
  for (const failure of plan.failedStores) {
    lines.push(annotation("error", `${failure.code}: ${failure.message}`, place(failure.code)));
  }
  return renderPlanText(plan, { color: false, label }) + lines.join("");
}
