/**
 * What `accept` did, as one plain object, and its renderers (text, JSON, Markdown for the
 * job summary and the pull request, GitHub annotations). Pure.
 */
import type { StateDocument } from "../core/model.js";
import { compareCodes } from "../core/select.js";
import { annotation } from "../core/render/annotations.js";
import { escapeText } from "../core/render/markdown.js";
import { plural } from "../core/render/describe.js";
import type { AcceptChange } from "./edit-links.js";

export interface AcceptedFile {
  readonly code: string;
  /** As messages show it, e.g. stores/paris-01.yaml. */
  readonly file: string;
  readonly changes: readonly AcceptChange[];
  readonly warnings: readonly string[];
}

export interface AcceptSkip {
  readonly code: string;
  readonly reason: string;
}

export interface AcceptPullRequest {
  readonly action: "opened" | "updated";
  readonly number: number;
  readonly url: string;
}

export interface AcceptReport {
  /** Files rewritten, sorted by code. */
  readonly accepted: readonly AcceptedFile[];
  /** Stores whose file already matched live: left byte for byte. */
  readonly unchanged: readonly string[];
  /** Stores not accepted (invalid file, live not readable): each is an error. */
  readonly skipped: readonly AcceptSkip[];
  readonly pullRequest?: AcceptPullRequest;
  /** Set when there was nothing to select: why. */
  readonly nothing?: string;
}

export type AcceptFormat = "text" | "json" | "markdown" | "github";

/**
 * The stores the last `drift` recorded as drifted, or why there are none: no drift check
 * recorded at all asks for one.
 */
export function driftedStores(state: StateDocument): { codes: string[] } | { nothing: string } {
  const records = Object.entries(state.stores);
  if (!records.some(([, record]) => record.drift !== undefined)) {
    return { nothing: "nothing to accept; run drift first" };
  }
  const codes = records
    .filter(([, record]) => record.drift?.drifted === true)
    .map(([code]) => code)
    .sort(compareCodes);
  return codes.length > 0
    ? { codes }
    : { nothing: "nothing to accept: the last drift found every store matching live" };
}

const VERBS: Record<AcceptChange["op"], { sign: string; text: string; markdown: string }> = {
  add: { sign: "+", text: "added", markdown: "➕ add" },
  remove: { sign: "-", text: "removed", markdown: "➖ remove" },
  prefer: { sign: "~", text: "now preferred", markdown: "✏️ preferred" },
  unprefer: { sign: "~", text: "no longer preferred", markdown: "✏️ not preferred" },
};

export function summarizeAccept(report: AcceptReport): string {
  if (report.nothing !== undefined) return `Accept: ${report.nothing}.`;
  return `Accept: ${plural(report.accepted.length, "store file")} rewritten to match live, ${report.unchanged.length} already matching, ${plural(report.skipped.length, "store")} skipped.`;
}

export function renderAcceptText(report: AcceptReport): string {
  const lines: string[] = [];
  for (const store of report.accepted) {
    lines.push(`~ ${store.file}: ${plural(store.changes.length, "edit")}`);
    for (const change of store.changes) {
      const verb = VERBS[change.op];
      const flag = change.op === "add" && change.preferred ? ", preferred" : "";
      lines.push(`    ${verb.sign} ${change.type} ${change.url} (${verb.text}${flag})`);
    }
    for (const warning of store.warnings) lines.push(`    ! ${warning}`);
  }
  for (const skip of report.skipped) lines.push(`✗ ${skip.code}: ${skip.reason}`);
  if (report.pullRequest !== undefined) {
    const { action, number, url } = report.pullRequest;
    lines.push(`Pull request #${number} ${action}: ${url}`);
  }
  lines.push(summarizeAccept(report));
  return `${lines.join("\n")}\n`;
}

export function renderAcceptJson(report: AcceptReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The report as the pull request and the job summary show it, in the plan comment's layout. */
export function renderAcceptMarkdown(report: AcceptReport): string {
  const parts = [
    "### Partoo links accept",
    "",
    "These store files are rewritten to match the live links on Partoo (links that are not editable are never written). Merging records the change; the next apply only reads these stores.",
    "",
    `**${escapeText(summarizeAccept(report))}**`,
    "",
  ];
  for (const store of report.accepted) {
    parts.push(`#### \`${store.code}\` (${escapeText(store.file)})`, "");
    parts.push("| Change | Type | URL | Preferred |", "|---|---|---|---|");
    for (const change of store.changes) {
      const cells = [
        VERBS[change.op].markdown,
        `\`${change.type.replace(/`/g, "'")}\``,
        escapeText(change.url),
        change.preferred ? "yes" : "no",
      ];
      parts.push(`| ${cells.join(" | ")} |`);
    }
    for (const warning of store.warnings) parts.push("", `> ⚠️ ${escapeText(warning)}  `);
    parts.push("");
  }
  if (report.skipped.length > 0) {
    parts.push("**Skipped:**", "");
    for (const skip of report.skipped) {
      parts.push(`- \`${skip.code.replace(/`/g, "'")}\`: ${escapeText(skip.reason)}`);
    }
    parts.push("");
  }
  return `${parts.join("\n")}\n`;
}

export function renderAccept(format: AcceptFormat, report: AcceptReport): string {
  switch (format) {
    case "json":
      return renderAcceptJson(report);
    case "markdown":
      return renderAcceptMarkdown(report);
    case "github":
      return (
        renderAcceptText(report) +
        report.skipped
          .map((skip) =>
            annotation("error", `${skip.code}: ${skip.reason}`, { title: "partoo-links accept" }),
          )
          .join("")
      );
    default:
      return renderAcceptText(report);
  }
}
