/**
 * What the apply, pacing and memory benchmarks add to the harness. The harness times a
 * function in a child process and returns only times and memory; these benchmarks also need
 * what the run did (requests, 429s, the CLI's own peak memory). The child appends one JSON
 * line per run to a file named in the context, and `notes()` in the parent reads it back.
 * Requests are counted where Partoo would count them: in the emulator's log (the emulator
 * runs in the parent), over the time span of each run.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Emulator, RequestLogEntry } from "../../../src/emulator/server.js";
import type { ApplyTotals } from "../../../src/core/render/apply.js";
import { runCli } from "../../helpers/cli.js";
import type { ProcessUsage } from "./memory-probe.js";

export const BENCH_API_KEY = "bench-key";

export interface RunSpan {
  /** Date.now() just before the command started and just after it returned. */
  readonly startedAt: number;
  readonly endedAt: number;
}

export function appendRun(file: string, run: object): void {
  appendFileSync(file, `${JSON.stringify(run)}\n`);
}

export function readRuns<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as T);
}

/** 0, 1, 2, … across every process of a benchmark (the harness runs several): picks a variant. */
export function nextRunIndex(counterFile: string): number {
  const index = existsSync(counterFile) ? Number(readFileSync(counterFile, "utf8")) : 0;
  writeFileSync(counterFile, String(index + 1));
  return index;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak memory and CPU time of the command's own process, when it had one. */
  readonly usage?: ProcessUsage;
}

/** Runs `partoo-links …argv`: in this process (the default), or in one of its own (memory-process.ts). */
export type CommandRunner = (
  argv: readonly string[],
  options: { env: Record<string, string>; cwd: string },
) => Promise<CommandResult>;

export const inThisProcess: CommandRunner = (argv, options) => runCli(argv, options);

export interface AppliedRun extends RunSpan {
  readonly code: number;
  readonly usage?: ProcessUsage;
  readonly totals: ApplyTotals;
  /** What the client counted (the emulator's count is the reference). */
  readonly clientRequests: number;
  readonly clientRateLimited: number;
}

/**
 * `partoo-links apply … --format json` against the emulator at `apiUrl`; throws, with the end
 * of the output, when the totals are not `expected`.
 */
export async function runApply(
  args: readonly string[],
  {
    apiUrl,
    cwd,
    expected,
    runner = inThisProcess,
  }: { apiUrl: string; cwd: string; expected: Partial<ApplyTotals>; runner?: CommandRunner },
): Promise<AppliedRun> {
  const startedAt = Date.now();
  const result = await runner(["apply", ...args, "--format", "json"], {
    env: { PARTOO_API_KEY: BENCH_API_KEY, PARTOO_API_URL: apiUrl },
    cwd,
  });
  const endedAt = Date.now();
  const report = parseReport(result);
  for (const [key, value] of Object.entries(expected)) {
    if (report.totals[key as keyof ApplyTotals] !== value) {
      throw new Error(
        `apply ${args.join(" ")}: expected ${key} ${value}, got ${JSON.stringify(report.totals)} (exit ${result.code}): ${result.stderr.slice(-500)}`,
      );
    }
  }
  return {
    startedAt,
    endedAt,
    code: result.code,
    totals: report.totals,
    clientRequests: report.requests,
    clientRateLimited: report.rateLimited,
    ...(result.usage === undefined ? {} : { usage: result.usage }),
  };
}

function parseReport(result: CommandResult): {
  totals: ApplyTotals;
  requests: number;
  rateLimited: number;
} {
  try {
    return JSON.parse(result.stdout) as {
      totals: ApplyTotals;
      requests: number;
      rateLimited: number;
    };
  } catch {
    throw new Error(
      `apply printed no JSON report (exit ${result.code}): ${result.stderr.slice(-500)}`,
    );
  }
}

export interface Traffic {
  readonly requests: number;
  readonly byMethod: Readonly<Record<string, number>>;
  readonly rateLimited: number;
  /** Arrival of the first and the last request, Date.now() of the emulator. */
  readonly firstAt: number;
  readonly lastAt: number;
}

/** The requests the emulator received during `span`. */
export function trafficDuring(emulator: Emulator, span: RunSpan): Traffic {
  const entries = requestsDuring(emulator.requests, span);
  const byMethod: Record<string, number> = {};
  for (const entry of entries) byMethod[entry.method] = (byMethod[entry.method] ?? 0) + 1;
  return {
    requests: entries.length,
    byMethod,
    rateLimited: entries.filter((entry) => entry.status === 429).length,
    firstAt: entries[0]?.time ?? span.startedAt,
    lastAt: entries.at(-1)?.time ?? span.startedAt,
  };
}

export function requestsDuring(log: readonly RequestLogEntry[], span: RunSpan): RequestLogEntry[] {
  return log.filter((entry) => entry.time >= span.startedAt && entry.time <= span.endedAt);
}

/** The most requests that arrived within any `windowMs` (a rolling window, as the emulator counts). */
export function busiestWindow(entries: readonly RequestLogEntry[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < entries.length; last++) {
    while (entries[last]!.time - entries[first]!.time >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** The emulator a benchmark's setup started: it exists in the parent only, where notes() run. */
export function requireEmulator(emulator: Emulator | undefined): Emulator {
  if (emulator === undefined) throw new Error("the emulator is started by setup, in the parent");
  return emulator;
}
