/**
 * The result of an apply run, as plain data, and its renderers (text for the terminal,
 * JSON for machines, Markdown for the pull-request comment and the job summary).
 */
import { escapeMarkdown, escapeTextValue } from "./escape.js";
import { driftedHint, firstFew, plural } from "./describe.js";

export type StoreStatus = "applied" | "unchanged" | "failed" | "refused" | "not-started";

export interface StoreOutcome {
  readonly code: string;
  readonly status: StoreStatus;
  readonly created?: number;
  readonly updated?: number;
  readonly deleted?: number;
  /** POSTs sent for this store. */
  readonly writes?: number;
  /** Writes whose response was lost and that were resolved by reading again. */
  readonly unknownOutcomes?: number;
  readonly errorClass?: string;
  readonly message?: string;
  readonly warnings?: readonly string[];
}

export type StopReason = "deadline" | "deletion-cap" | "signal" | "auth" | "state";

export interface ApplyReport {
  readonly outcomes: readonly StoreOutcome[];
  /** Stores whose file was removed: dropped from the state, nothing sent. */
  readonly unmanaged: readonly string[];
  readonly stoppedBy?: StopReason;
  readonly stopMessage?: string;
  readonly requests: number;
  readonly rateLimited: number;
  readonly durationMs: number;
  readonly commit?: string;
  /** Stores the last `drift` found drifted that this run did not push (apply --repair does). */
  readonly drifted?: readonly string[];
}

export interface ApplyTotals {
  readonly applied: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly refused: number;
  readonly notStarted: number;
}

export function applyTotals(report: ApplyReport): ApplyTotals {
  const count = (status: StoreStatus): number =>
    report.outcomes.filter((outcome) => outcome.status === status).length;
  return {
    applied: count("applied"),
    unchanged: count("unchanged"),
    failed: count("failed"),
    refused: count("refused"),
    notStarted: count("not-started"),
  };
}

/** SPEC §5: 0 all applied, 1 any store failed or refused, 3 stopped early by --deadline. */
export function applyExitCode(report: ApplyReport): 0 | 1 | 3 {
  const totals = applyTotals(report);
  if (totals.failed > 0 || totals.refused > 0) return 1;
  if (report.stoppedBy === "deadline") return 3;
  if (report.stoppedBy !== undefined) return 1;
  return 0;
}

const STOP_TEXT: Record<StopReason, string> = {
  deadline: "stopped by --deadline; run apply again to go on where it stopped",
  "deletion-cap": "stopped by --max-deleted-links",
  signal: "interrupted; run apply again to go on where it stopped",
  auth: "stopped: Partoo rejected the API key (401); check PARTOO_API_KEY",
  state: "stopped: the state could not be saved",
};

function changeCounts(outcome: StoreOutcome): string {
  const parts: string[] = [];
  if (outcome.created) parts.push(`${outcome.created} created`);
  if (outcome.updated) parts.push(`${outcome.updated} updated`);
  if (outcome.deleted) parts.push(`${outcome.deleted} deleted`);
  if (outcome.unknownOutcomes) parts.push(`${outcome.unknownOutcomes} lost responses resolved`);
  return parts.join(", ");
}

function summaryLine(report: ApplyReport): string {
  const totals = applyTotals(report);
  const parts = [
    `${totals.applied} applied`,
    `${totals.unchanged} unchanged`,
    `${totals.failed} failed`,
  ];
  if (totals.refused > 0) parts.push(`${totals.refused} refused`);
  if (totals.notStarted > 0) parts.push(`${totals.notStarted} not started`);
  if (report.unmanaged.length > 0) parts.push(`${report.unmanaged.length} no longer managed`);
  const seconds = (report.durationMs / 1000).toFixed(1);
  return `Apply: ${parts.join(", ")} (${report.requests} requests, ${report.rateLimited} rate-limited, ${seconds}s)`;
}

export function renderApplyText(report: ApplyReport): string {
  const lines: string[] = [];
  for (const outcome of report.outcomes) {
    switch (outcome.status) {
      case "applied":
        lines.push(`✓ ${outcome.code}: applied (${changeCounts(outcome) || "confirmed"})`);
        break;
      case "unchanged":
        lines.push(`= ${outcome.code}: unchanged (live already matched)`);
        break;
      case "failed":
        lines.push(
          `✗ ${outcome.code}: failed: ${withoutCode(outcome, outcome.message ?? outcome.errorClass ?? "unknown error")}`,
        );
        break;
      case "refused":
        lines.push(
          `✗ ${outcome.code}: refused: ${withoutCode(outcome, outcome.message ?? "cap reached")}`,
        );
        break;
      case "not-started":
        // Listed once below: after an interrupt they may be most of the fleet.
        break;
    }
    for (const warning of outcome.warnings ?? []) lines.push(`  ! ${warning}`);
  }
  const notStarted = notStartedCodes(report);
  if (notStarted.length > 0) lines.push(`… ${notStartedLine(notStarted)}`);
  for (const code of report.unmanaged) {
    lines.push(
      `- ${code}: store file removed; no longer managed (nothing sent, state entry dropped)`,
    );
  }
  if (report.stoppedBy !== undefined) {
    lines.push(report.stopMessage ?? STOP_TEXT[report.stoppedBy]);
  }
  if ((report.drifted?.length ?? 0) > 0) lines.push(`! ${driftedHint(report.drifted!)}`);
  lines.push(summaryLine(report));
  // Messages quote Partoo and URLs: each line is made safe for a terminal and a workflow log.
  return `${lines.map(escapeTextValue).join("\n")}\n`;
}

export function renderApplyJson(report: ApplyReport): string {
  return `${JSON.stringify({ ...report, totals: applyTotals(report), exitCode: applyExitCode(report) }, null, 2)}\n`;
}

const MARKDOWN_STATUS: Record<StoreStatus, string> = {
  applied: "✅ applied",
  unchanged: "➖ unchanged",
  failed: "❌ failed",
  refused: "⛔ refused",
  "not-started": "⏸️ not started",
};

/** Markdown for the merged pull request's comment and the job summary. Rows past `maxRows` are folded into a count. */
export function renderApplyMarkdown(report: ApplyReport, maxRows = 300): string {
  const lines = ["### partoo-links apply", ""];
  if (report.commit !== undefined) lines.push(`Commit \`${report.commit.slice(0, 12)}\``, "");
  lines.push(summaryLine(report), "");
  if (report.stoppedBy !== undefined) {
    lines.push(`> ${escapeCell(report.stopMessage ?? STOP_TEXT[report.stoppedBy])}`, "");
  }
  // Failures first: they are what a reader needs to act on.
  const order: StoreStatus[] = ["failed", "refused", "applied"];
  const rows = order.flatMap((status) => report.outcomes.filter((o) => o.status === status));
  const shown = rows.slice(0, maxRows);
  if (shown.length > 0) {
    lines.push("| store | result | details |", "| --- | --- | --- |");
    for (const outcome of shown) {
      const details =
        outcome.status === "applied"
          ? changeCounts(outcome)
          : withoutCode(outcome, outcome.message ?? "");
      lines.push(
        `| \`${outcome.code}\` | ${MARKDOWN_STATUS[outcome.status]} | ${escapeCell(details)} |`,
      );
    }
    const hidden = rows.length - shown.length;
    if (hidden > 0) lines.push("", `…and ${hidden} more stores (see the job log).`);
  }
  const notStarted = notStartedCodes(report);
  if (notStarted.length > 0) {
    lines.push("", `⏸️ ${escapeCell(notStartedLine(notStarted))}`);
  }
  if ((report.drifted?.length ?? 0) > 0) {
    lines.push("", `> ℹ️ ${escapeCell(driftedHint(report.drifted!))}`);
  }
  if (report.unmanaged.length > 0) {
    lines.push(
      "",
      `No longer managed (file removed): ${report.unmanaged.map((c) => `\`${c}\``).join(", ")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function notStartedCodes(report: ApplyReport): string[] {
  return report.outcomes
    .filter((outcome) => outcome.status === "not-started")
    .map((outcome) => outcome.code);
}

/** "119 stores not started: a, b, c, d, e and 114 more". */
function notStartedLine(codes: readonly string[]): string {
  return `${plural(codes.length, "store")} not started: ${firstFew(codes)}`;
}

/** Messages that start with the store's code already stand on the store's line. */
export function withoutCode(outcome: StoreOutcome, message: string): string {
  const prefix = `${outcome.code}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** Messages quote Partoo and URLs: the one strict Markdown escaper, table cells included. */
function escapeCell(text: string): string {
  return escapeMarkdown(text);
}
