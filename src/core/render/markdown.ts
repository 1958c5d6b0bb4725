/**
 * The plan as GitHub Markdown (pull-request comment, job summary): a table per store, folded
 * in <details> when the plan is long, and cut with a note before GitHub's comment limit
 * (65,536 characters) so that the comment is never refused.
 */
import type { Plan, PlanChange, StorePlan } from "../plan.js";
import {
  describeOrigin,
  describeReason,
  driftedHint,
  NO_LINK_CHANGES,
  NOT_EDITABLE_NOTE,
  OFFLINE_NOTE,
  plural,
  REMOVED_NOTE,
  storeCounts,
  summaryLine,
} from "./describe.js";
import { escapeHtml, escapeMarkdown, markdownCode as code } from "./escape.js";
import { groupFleetChanges, type FleetGroup } from "./fleet-groups.js";

export interface MarkdownOptions {
  /** The most characters to produce (default 60,000: room under GitHub's 65,536 for a marker and a footer). */
  readonly maxLength?: number;
  /** Heading of the report (default "Partoo links plan"). */
  readonly title?: string;
  /** Where the whole plan can be read, for the note when it is cut. */
  readonly fullPlanHint?: string;
  /** The word that starts the summary line (default "Plan"). */
  readonly label?: string;
}

const FULL_PLAN_HINT = "Run `partoo-links plan` or see the job log for the full plan.";

export const MARKDOWN_MAX_LENGTH = 60_000;
/**
 * The most characters of a report in the job summary: far more than a comment takes, and
 * under GitHub's 1 MiB per step for plain text (appendStepSummary cuts by bytes anyway).
 */
export const SUMMARY_MARKDOWN_MAX_LENGTH = 500_000;
/** Past this many stores or changes, each store's table is folded. */
const FOLD_STORES = 5;
const FOLD_CHANGES = 40;

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const title = options.title ?? "Partoo links plan";
  const head: string[] = [`### ${escapeText(title)} (${plan.mode})`, ""];
  if (plan.mode === "offline") head.push(`> ${escapeText(OFFLINE_NOTE)}`, "");
  head.push(`**${escapeText(summaryLine(plan, options.label))}**`, "");
  if (plan.driftedStores !== undefined && plan.driftedStores.length > 0) {
    head.push(`> ℹ️ ${escapeText(driftedHint(plan.driftedStores))}`, "");
  }
  for (const warning of plan.capWarnings ?? []) head.push(`> ⚠️ ${escapeText(warning)}`, "");
  const grouped = groupFleetChanges(plan);
  const totalChanges = grouped.stores.reduce((sum, store) => sum + store.changes.length, 0);
  const fold = grouped.stores.length > FOLD_STORES || totalChanges > FOLD_CHANGES;
  // A template's store list may not take more than its share of the comment.
  const listBudget = Math.floor(maxLength / 4 / Math.max(grouped.groups.length, 1));
  const blocks: { text: string; store?: StorePlan }[] = [
    ...grouped.groups.map((group) => ({ text: groupBlock(group, listBudget) })),
    ...grouped.stores.map((store) => ({
      text: storeBlock(store, plan.mode === "live", fold),
      store,
    })),
  ];
  blocks.push(...otherBlocks(plan).map((text) => ({ text })));

  let output = `${head.join("\n")}\n`;
  // Room for the note that replaces whatever does not fit (its longest form: every block cut).
  const hint = options.fullPlanHint ?? FULL_PLAN_HINT;
  const reserve = cutNote(blocks, hint).length;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index]!;
    const last = index === blocks.length - 1;
    if (output.length + block.text.length + (last ? 0 : reserve) > maxLength) {
      return output + cutNote(blocks.slice(index), hint);
    }
    output += block.text;
  }
  return output;
}

/** How many stores of a template change are shown with their URLs. */
const GROUP_EXAMPLES = 3;

/** One template change: a line with its counts, a few examples, every store behind <details>. */
function groupBlock(group: FleetGroup, listBudget: number): string {
  const counts = (["create", "update", "delete"] as const)
    .filter((op) => group.counts[op] > 0)
    .map(
      (op) =>
        `${group.counts[op]} ${{ create: "created", update: "updated", delete: "deleted" }[op]}`,
    );
  const line = `${code(group.type)} from ${code(group.source)}: ${plural(group.stores.length, "store")}, ${counts.join(", ")}`;
  const examples = group.stores.slice(0, GROUP_EXAMPLES).map((store) => {
    const changes = store.changes.map(
      (change) =>
        `${OP_SIGNS[change.op]} ${change.fromUrl === undefined ? "" : `${escapeText(change.fromUrl)} → `}${escapeText(change.url)}`,
    );
    return `  - ${code(store.code)}: ${changes.join(", ")}`;
  });
  const codes: string[] = [];
  let used = 0;
  for (const store of group.stores) {
    const item = escapeHtml(store.code);
    if (used + item.length + 2 > listBudget) break;
    codes.push(item);
    used += item.length + 2;
  }
  const more = group.stores.length - codes.length;
  const list = codes.join(", ") + (more > 0 ? `, and ${plural(more, "more store")}` : "");
  return `- ${line}\n${examples.join("\n")}\n\n<details><summary>All ${plural(group.stores.length, "store")} of ${escapeHtml(group.source)}</summary>\n\n${list}\n\n</details>\n\n`;
}

const OP_SIGNS = { create: "➕", update: "✏️", delete: "➖" } as const;

function storeBlock(store: StorePlan, live: boolean, fold: boolean): string {
  const reason = describeReason(store.reason);
  const body: string[] = [];
  if (store.changes.length === 0) {
    body.push(`_${escapeText(NO_LINK_CHANGES)}_`);
  } else {
    const header = live
      ? ["Change", "Type", "URL", "Preferred", "Origin"]
      : ["Change", "Type", "URL", "Preferred"];
    body.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
    for (const change of store.changes) body.push(changeRow(change, store, live));
  }
  if (store.unmanagedTypes !== undefined && store.unmanagedTypes.length > 0) {
    body.push("", `Unmanaged, left as they are: ${store.unmanagedTypes.map(code).join(", ")}`);
  }
  if (store.notEditable !== undefined && store.notEditable.length > 0) {
    const links = store.notEditable.map(
      (link) => `${code(link.type)} ${escapeText(link.url)}${link.preferred ? " (preferred)" : ""}`,
    );
    body.push("", `${escapeText(capitalize(NOT_EDITABLE_NOTE))}: ${links.join(", ")}`);
  }
  if (store.warnings.length > 0) {
    body.push("", ...store.warnings.map((warning) => `> ⚠️ ${escapeText(warning)}  `));
  }
  if (!fold) {
    const heading = `${code(store.code)} (${escapeText(store.address)}): ${escapeText(reason)}`;
    return `#### ${heading}\n\n${body.join("\n")}\n\n`;
  }
  // Markdown is not rendered inside <summary>: HTML only there.
  const summary = `<b>${escapeHtml(store.code)}</b> (${escapeHtml(store.address)}): ${escapeHtml(reason)}: ${escapeHtml(storeCounts(store))}`;
  return `<details><summary>${summary}</summary>\n\n${body.join("\n")}\n\n</details>\n\n`;
}

function changeRow(change: PlanChange, store: StorePlan, live: boolean): string {
  const cleared = store.clearedTypes?.includes(change.type) === true ? " (cleared)" : "";
  const preferred =
    change.op === "update" &&
    (change.fromUrl === undefined || change.wasPreferred !== change.preferred)
      ? `${yesNo(change.wasPreferred === true)} → ${yesNo(change.preferred)}`
      : yesNo(change.preferred);
  // A changed URL is updated in place: the old URL, then the new one.
  const url =
    change.fromUrl === undefined
      ? escapeText(change.url)
      : `${escapeText(change.fromUrl)} → ${escapeText(change.url)}`;
  const op = { create: "➕ create", update: "✏️ update", delete: "➖ delete" }[change.op];
  const cells = [
    op + (change.duplicate === true ? " (extra copy)" : ""),
    `${code(change.type)}${cleared}`,
    url,
    preferred,
  ];
  if (live) cells.push(change.origin === undefined ? "" : describeOrigin(change.origin));
  return `| ${cells.join(" | ")} |`;
}

function otherBlocks(plan: Plan): string[] {
  const blocks: string[] = [];
  const removed = plan.removedStores.filter((store) => !store.pruned);
  if (removed.length > 0) {
    const lines = removed.map(
      (store) =>
        `- ${code(store.code)} (${escapeText(store.address)}): managed ${store.managedTypes.length > 0 ? store.managedTypes.map(code).join(", ") : "no types"}`,
    );
    blocks.push(`**Store files deleted**: ${escapeText(REMOVED_NOTE)}.\n\n${lines.join("\n")}\n\n`);
  }
  if (plan.failedStores.length > 0) {
    const lines = plan.failedStores.map(
      (failure) =>
        `- ${code(failure.code)} (${escapeText(failure.address)}): ${escapeText(failure.message)}`,
    );
    blocks.push(`**Could not read the live links of:**\n\n${lines.join("\n")}\n\n`);
  }
  if (plan.warnings.length > 0) {
    const lines = plan.warnings.map(
      (warning) => `- ${code(warning.code)}: ${escapeText(warning.message)}`,
    );
    blocks.push(`**Warnings:**\n\n${lines.join("\n")}\n\n`);
  }
  return blocks;
}

function cutNote(rest: readonly { store?: StorePlan }[], hint: string): string {
  if (rest.length === 0) return "";
  const stores = rest.filter((block) => block.store !== undefined);
  const changes = stores.reduce((sum, block) => sum + block.store!.changes.length, 0);
  const what =
    stores.length > 0
      ? `${plural(stores.length, "more store")} (${plural(changes, "change")})`
      : "the rest of the plan";
  return `> ✂️ **Cut here:** ${what} not shown, to stay under GitHub's comment size limit. ${hint}\n`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

/**
 * Text that must render literally in Markdown, in table cells too: the one strict Markdown
 * escaper (escape.ts), under the name the other renderers import.
 */
export function escapeText(text: string): string {
  return escapeMarkdown(text);
}
