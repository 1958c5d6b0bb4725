/**
 * The link check in the plan's renderings: a "Links" section after the plan (text,
 * Markdown), annotations on the store files (github), a `links` member (JSON). Without a
 * link report, each rendering is the plan's own.
 */
import { brokenLinks, type LinkFinding, type LinkReport } from "../link-report.js";
import type { Plan } from "../plan.js";
import { annotation } from "./annotations.js";
import { escapeTextValue, markdownCode } from "./escape.js";
import { plural } from "./describe.js";
import { renderPlanAs, type PlanFormat } from "./index.js";
import {
  escapeText,
  MARKDOWN_MAX_LENGTH,
  renderPlanMarkdown,
  type MarkdownOptions,
} from "./markdown.js";

/** Rows of the Markdown table; the rest is in the job log. */
const MARKDOWN_ROWS = 20;

/** The plan with its link report, as the JSON document (and --out) carry it. */
export function withLinkReport(plan: Plan, links: LinkReport | undefined): Plan {
  return links === undefined ? plan : Object.assign({}, plan, { links });
}

export function renderPlanWithLinks(
  format: PlanFormat,
  plan: Plan,
  links: LinkReport | undefined,
  options: Parameters<typeof renderPlanAs>[2],
): string {
  if (links === undefined) return renderPlanAs(format, plan, options);
  switch (format) {
    case "json":
      return renderPlanAs(format, withLinkReport(plan, links), options);
    case "markdown":
      return renderPlanMarkdownWithLinks(
        plan,
        links,
        options.title ? { title: options.title } : {},
      );
    case "text":
      return `${renderPlanAs(format, plan, options)}\n${renderLinksText(links)}`;
    case "github":
      return `${renderPlanAs(format, plan, options)}\n${renderLinksText(links)}${renderLinksAnnotations(links)}`;
  }
}

/** The plan's Markdown, then its Links section, the two within the plan's length limit. */
export function renderPlanMarkdownWithLinks(
  plan: Plan,
  links: LinkReport | undefined,
  options: MarkdownOptions = {},
): string {
  if (links === undefined) return renderPlanMarkdown(plan, options);
  const section = `\n${renderLinksMarkdown(links)}`;
  const maxLength = (options.maxLength ?? MARKDOWN_MAX_LENGTH) - section.length;
  return renderPlanMarkdown(plan, { ...options, maxLength }) + section;
}

/** "14 URLs checked (new or changed since the last apply): 1 broken, 2 warnings". */
export function linksSummary(report: LinkReport): string {
  const which = report.scope === "all" ? "" : " (new or changed since the last apply)";
  const broken = brokenLinks(report);
  const warnings = report.findings.length - broken;
  const counts =
    report.findings.length === 0
      ? "none broken"
      : [
          ...(broken > 0 ? [`${broken} broken`] : []),
          ...(warnings > 0 ? [plural(warnings, "warning")] : []),
        ].join(", ");
  return `${plural(report.checked, "URL")} checked${which}: ${counts}`;
}

export function renderLinksText(report: LinkReport): string {
  const lines = [`Links: ${linksSummary(report)}`];
  for (const finding of report.findings) lines.push(`  ${formatFinding(finding)}`);
  return `${lines.join("\n")}\n`;
}

export function renderLinksMarkdown(report: LinkReport, maxRows = MARKDOWN_ROWS): string {
  const mark = brokenLinks(report) > 0 ? "❌" : report.findings.length > 0 ? "⚠️" : "✅";
  // The summary is counts in this program's own words: nothing to escape.
  const lines = ["#### Links", "", `${mark} **${linksSummary(report)}**`];
  if (report.findings.length > 0) {
    lines.push("", "| file | line | | problem |", "|---|---:|---|---|");
    for (const finding of report.findings.slice(0, maxRows)) {
      const where = finding.line === undefined ? "" : `${finding.line}`;
      const icon = finding.severity === "error" ? "❌" : "⚠️";
      lines.push(
        `| ${markdownCode(finding.file)} | ${where} | ${icon} | ${escapeText(finding.message)} |`,
      );
    }
    const hidden = report.findings.length - maxRows;
    if (hidden > 0) lines.push("", `…and ${hidden} more (see the job log).`);
  }
  return `${lines.join("\n")}\n`;
}

/** One annotation per finding, on the file and line of its URL. */
export function renderLinksAnnotations(report: LinkReport): string {
  return report.findings
    .map((finding) =>
      annotation(finding.severity, finding.message, {
        file: finding.file,
        ...(finding.line === undefined ? {} : { line: finding.line }),
        ...(finding.column === undefined ? {} : { column: finding.column }),
        title: "partoo-links link check",
      }),
    )
    .join("");
}

function formatFinding(finding: LinkFinding): string {
  const where =
    finding.line === undefined
      ? finding.file
      : `${finding.file}:${finding.line}${finding.column === undefined ? "" : `:${finding.column}`}`;
  return escapeTextValue(
    `${where}: ${finding.severity === "warning" ? "warning: " : ""}${finding.message}`,
  );
}
