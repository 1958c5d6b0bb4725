/** The outcome of validating the store files, rendered as text, JSON or GitHub annotations. */
import { formatIssue, type StoreIssue } from "./issues.js";
import type { LoadResult } from "./load-stores.js";

export interface ValidationReport {
  /** Store files checked. */
  readonly files: number;
  readonly issues: readonly StoreIssue[];
}

export function validationReport(result: LoadResult): ValidationReport {
  const failed = new Set(
    result.issues.filter((issue) => issue.severity === "error").map((issue) => issue.file),
  );
  return {
    files: result.stores.length + result.skipped.length + failed.size,
    issues: result.issues,
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
    const failed = new Set(errors.map((issue) => issue.file)).size;
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
  const lines = report.issues.map((issue) => {
    const properties = [`file=${escapeProperty(issue.file)}`];
    if (issue.line !== undefined) properties.push(`line=${issue.line}`);
    if (issue.column !== undefined) properties.push(`col=${issue.column}`);
    return `::${issue.severity} ${properties.join(",")}::${escapeData(issue.message)}`;
  });
  return [...lines, validationSummary(report)].join("\n") + "\n";
}

/** GitHub's escaping of a workflow command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** GitHub's escaping of a workflow command's property value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
