/**
 * What a link check found, as plain data: the plan's renderers show it (a "Links" section,
 * annotations) and validate lists its findings among the store files' problems.
 */

export interface LinkFinding {
  /** The store file, as messages show it. */
  readonly file: string;
  /** Where the URL is written; absent when it cannot be found in the file. */
  readonly line?: number;
  readonly column?: number;
  readonly url: string;
  /** error: the link is broken; warning: it works but deserves a look (another host, 429). */
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface LinkReport {
  /** changed: the URLs not in the last-applied state; all: every URL of the files. */
  readonly scope: "changed" | "all";
  /** Distinct URLs fetched. */
  readonly checked: number;
  /** Sorted by file, line and column. */
  readonly findings: readonly LinkFinding[];
}

export function brokenLinks(report: LinkReport): number {
  return report.findings.filter((finding) => finding.severity === "error").length;
}
