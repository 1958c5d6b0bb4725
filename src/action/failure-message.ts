/**
 * The one line a failed step shows as its ::error annotation when the tool printed no
 * error line of its own: with --format json the reasons are inside the report.
 */

const MAX_QUOTED = 300;

interface Failure {
  readonly code?: unknown;
  readonly status?: unknown;
  readonly message?: unknown;
}

export function failureMessage(command: string, exitCode: number, report: string): string {
  if (command === "apply" && exitCode === 3) {
    return "partoo-links apply: stopped by --deadline before every store was pushed; run the workflow again to resume";
  }
  let document: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(report) as unknown;
    if (typeof parsed === "object" && parsed !== null) document = parsed as Record<string, unknown>;
  } catch {
    // No report (the tool failed before writing it): the generic line below.
  }
  const list = (key: string): Failure[] =>
    Array.isArray(document[key])
      ? (document[key] as unknown[]).filter(
          (item): item is Failure => typeof item === "object" && item !== null,
        )
      : [];

  if (command === "validate") {
    const errors = list("errors").length;
    if (errors > 0) {
      return `partoo-links validate: ${errors} error${errors === 1 ? "" : "s"} in the store files, annotated on their lines; fix them`;
    }
  }
  const failed =
    command === "apply"
      ? list("outcomes").filter((o) => o.status === "failed" || o.status === "refused")
      : list("failedStores");
  const first = failed[0];
  if (first !== undefined) {
    const store = typeof first.code === "string" ? `${first.code.slice(0, 100)}: ` : "";
    const reason =
      typeof first.message === "string" ? first.message.slice(0, MAX_QUOTED) : "failed";
    const others = failed.length > 1 ? ` (and ${failed.length - 1} more stores)` : "";
    return `partoo-links ${command}: ${store}${reason}${others}`;
  }
  return `partoo-links ${command} exited ${exitCode}; see the log above and the report`;
}
