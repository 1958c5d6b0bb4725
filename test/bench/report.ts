/**
 * What a benchmark run prints: one Markdown table of every benchmark (its times, its
 * baseline's, the ratio, its goals met or missed), and with `--readme` the rows of the
 * README's performance tables, so that the README quotes one run and is easy to regenerate.
 */
import type { BenchmarkResult, Goal, ReadmeRow } from "./harness.js";

export interface RunInfo {
  /** os.loadavg() at the start and at the end, "1 / 5 / 15 min". */
  readonly startedLoad: string;
  readonly endedLoad: string;
  readonly cores: number;
}

export function milliseconds(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

/** A time for the README: 0.27 s, 1.8 s. */
export function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function ratio(ours: number, baseline: number): string {
  return `${(ours / baseline).toFixed(2)}×`;
}

function describeGoal({ goal, measured, met }: Goal): string {
  return `${goal}: ${measured} ${met ? "met" : "**MISSED**"}`;
}

function machine(run: RunInfo): string {
  return `${run.cores} cores; load average (1 / 5 / 15 min) ${run.startedLoad} at the start, ${run.endedLoad} at the end`;
}

export function renderTable(results: readonly BenchmarkResult[], run: RunInfo): string {
  const rows = results.map((result) => {
    const { ours, baseline } = result;
    return [
      result.name,
      milliseconds(ours.medianMs),
      baseline ? milliseconds(baseline.medianMs) : "–",
      baseline ? ratio(ours.medianMs, baseline.medianMs) : "–",
      baseline ? ratio(ours.cpuMedianMs, baseline.cpuMedianMs) : "–",
      result.goals.map(describeGoal).join("; ") || "–",
      result.notes,
    ].map(cell);
  });
  const goals = results.flatMap((result) => result.goals);
  const missed = goals.filter((goal) => !goal.met).length;
  return [
    `Medians; ratios against the baseline measured in the same run. Machine: ${machine(run)}.`,
    "",
    "| benchmark | ours | baseline | ratio | CPU ratio | goals | notes |",
    "|---|---:|---:|---:|---:|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    `Goals: ${goals.length - missed} met, ${missed} missed.`,
    "",
  ].join("\n");
}

const README_TABLES: Record<ReadmeRow["table"], { title: string; header: readonly string[] }> = {
  work: {
    title: "Work on this machine",
    header: ["on 10,000 stores", "time", "against the bare loop"],
  },
  memory: { title: "Memory", header: ["command", "peak memory"] },
  sync: {
    title: "How long a sync takes",
    header: ["stores to push", "requests", "at 300 requests/min"],
  },
};

/** The README's performance tables, from the rows the benchmarks of this run gave. */
export function renderReadmeTables(results: readonly BenchmarkResult[], run: RunInfo): string {
  const rows = results.flatMap((result) => result.readme);
  const sections = Object.entries(README_TABLES).flatMap(([table, { title, header }]) => {
    const cells = rows.filter((row) => row.table === table).map((row) => row.cells.map(cell));
    if (cells.length === 0) return [];
    return [
      `#### ${title}`,
      "",
      `| ${header.join(" | ")} |`,
      `|${header.map(() => "---").join("|")}|`,
      ...cells.map((row) => `| ${row.join(" | ")} |`),
      "",
    ];
  });
  return [
    `README rows (\`npm run bench -- --readme\`; machine: ${machine(run)}):`,
    "",
    ...sections,
  ].join("\n");
}
