/** The outcome of validating the store files, rendered as text, JSON or GitHub annotations. */
import { formatIssue, type StoreIssue } from "./issues.js";
import { annotation } from "../core/render/annotations.js";
import { escapeMarkdown, markdownCode } from "../core/render/escape.js";
import type { LoadResult } from "./load-stores.js";

export interface ValidationReport {
  /** Store files checked. */
  readonly files: number;
  readonly issues: readonly StoreIssue[];
  /** Files found invalid (default: the files with an error). */
  readonly invalidFiles?: number;
}

export function validationReport(result: LoadResult): ValidationReport {
  const failed =
    result.invalidFiles ??
    new Set(result.issues.filter((issue) => issue.severity === "error").map((issue) => issue.file));
  return {
    files: result.stores.length + result.skipped.length + failed.size,
    issues: result.issues,
    invalidFiles: failed.size,
  };
}

export function isValid(report: ValidationReport): boolean {
  return report.issues.every((issue) => issue.severity !== "error");
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** "6 store files valid", "3 errors in 2 of 6 files", with the warnings counted when there are any. */
export function validationSummary(report: ValidationReport): string {
  const errors = report.issues.filter((issue) => issue.severity === "error");
  const warnings = report.issues.length - errors.length;
  const warned = warnings > 0 ? `, ${plural(warnings, "warning")}` : "";
  if (errors.length > 0) {
    const failed = report.invalidFiles ?? new Set(errors.map((issue) => issue.file)).size;
    return `${plural(errors.length, "error")} in ${failed} of ${plural(report.files, "file")}${warned}`;
  }
  if (report.files === 0)
    return `no store files found (store files are named <code>.yaml)${warned}`;
  return `${plural(report.files, "store file")} valid${warned}`;
}

export function renderValidationText(report: ValidationReport): string {
  return [...report.issues.map(formatIssue), validationSummary(report)].join("\n") + "\n";
}

export function renderValidationJson(report: ValidationReport): string {
  const entry = ({ file, line, column, message }: StoreIssue) => ({ file, line, column, message });
  const document = {
    valid: isValid(report),
    files: report.files,
    errors: report.issues.filter((issue) => issue.severity === "error").map(entry),
    warnings: report.issues.filter((issue) => issue.severity === "warning").map(entry),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** One workflow command per issue (GitHub shows them on the file and line), then the summary. */
export function renderValidationGithub(report: ValidationReport): string {
  const lines = report.issues.map((issue) =>
    annotation(issue.severity, issue.message, {
      file: issue.file,
      ...(issue.line === undefined ? {} : { line: issue.line }),
      ...(issue.column === undefined ? {} : { column: issue.column }),
    }),
  );
  return `${lines.join("")}${validationSummary(report)}\n`;
}

/** A job summary or pull request comment: the summary, then a table of the problems. */
export function renderValidationMarkdown(report: ValidationReport, maxRows = 300): string {
  const mark = isValid(report) ? "✅" : "❌";
  const lines = [
    "### partoo-links validate",
    "",
    `${mark} **${escapeMarkdown(validationSummary(report))}**`,
  ];
  if (report.issues.length > 0) {
    lines.push("", "| file | line | severity | problem |", "|---|---:|---|---|");
    for (const issue of report.issues.slice(0, maxRows)) {
      const where = issue.line === undefined ? "" : `${issue.line}:${issue.column ?? 1}`;
      lines.push(
        `| ${markdownCode(issue.file)} | ${where} | ${issue.severity} | ${escapeMarkdown(issue.message)} |`,
      );
    }
    const hidden = report.issues.length - maxRows;
    if (hidden > 0) lines.push("", `…and ${hidden} more (see the job log).`);
  }
  return `${lines.join("\n")}\n`;
}
