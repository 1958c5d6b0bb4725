/** Problems found in store files, and how they are written for people. */
import { escapeTextValue } from "../core/render/escape.js";

export interface StoreIssue {
  /** Path for messages, relative to the display root (the cwd by default), with `/` separators. */
  file: string;
  line?: number;
  column?: number;
  message: string;
  severity: "error" | "warning";
}

/**
 * `stores/x.yaml:9:9: message`, or `stores/x.yaml: warning: message` for a warning. File names
 * (also quoted in messages) can hold anything: the text escaper keeps the issue on one line.
 */
export function formatIssue(issue: StoreIssue): string {
  const file = escapeTextValue(issue.file);
  const where =
    issue.line === undefined
      ? file
      : `${file}:${issue.line}${issue.column === undefined ? "" : `:${issue.column}`}`;
  return `${where}: ${issue.severity === "warning" ? "warning: " : ""}${escapeTextValue(issue.message)}`;
}

/** Orders issues by file, then line, then column; issues without a position come first. */
export function compareIssues(a: StoreIssue, b: StoreIssue): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

export function hasErrors(issues: readonly StoreIssue[]): boolean {
  return issues.some((issue) => issue.severity === "error");
}
