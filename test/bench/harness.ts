/**
 * A small benchmark harness. A benchmark times "ours" (the code path the CLI uses) against a
 * "baseline" (the simplest thing that does the same job), each side in a fresh Node process
 * so that its peak memory is its own and neither warms the other's caches. Register more
 * with registerBenchmark() from a module imported by run.ts; the run prints one Markdown table.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { milliseconds, renderReadmeTables, renderTable, seconds } from "./report.js";

export interface Measurement {
  /** Median wall time of the timed runs, in milliseconds. */
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /**
   * Median CPU time (user + system) of the timed runs, in milliseconds: steadier than wall
   * time on a machine that other work keeps busy.
   */
  readonly cpuMedianMs: number;
  readonly cpuRunsMs: readonly number[];
  /** Peak resident set size of the process so far (of the timed child processes, if any), in bytes. */
  readonly peakRssBytes: number;
}

/**
 * What a timed function may return when its work ran in a process of its own: that
 * process's CPU time, counted instead of this process's (which only waited).
 */
export interface ChildUsage {
  readonly childCpuMs: number;
  readonly childMaxRssBytes: number;
}

function childUsage(result: unknown): ChildUsage | undefined {
  const usage = result as Partial<ChildUsage> | null | undefined;
  return typeof usage?.childCpuMs === "number" && typeof usage.childMaxRssBytes === "number"
    ? (usage as ChildUsage)
    : undefined;
}

/** Times `fn` `runs` times after `warmup` untimed runs; returns the median and the peak RSS. */
export async function measure(
  fn: () => unknown,
  runs: number,
  { warmup = 1 }: { warmup?: number } = {},
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await fn();
  const runsMs: number[] = [];
  const cpuRunsMs: number[] = [];
  let childPeakRssBytes = 0;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await fn();
    runsMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    const child = childUsage(result);
    cpuRunsMs.push(child?.childCpuMs ?? (used.user + used.system) / 1000);
    if (child !== undefined)
      childPeakRssBytes = Math.max(childPeakRssBytes, child.childMaxRssBytes);
  }
  return {
    medianMs: median(runsMs),
    runsMs,
    cpuMedianMs: median(cpuRunsMs),
    cpuRunsMs,
    peakRssBytes: childPeakRssBytes || process.resourceUsage().maxRSS * 1024,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Side = "ours" | "baseline";

export interface Benchmark<Context = unknown> {
  readonly name: string;
  /** Timed runs per side (default 6), spread over the rounds. */
  readonly runs?: number;
  /**
   * Processes per side (default 3). Rounds alternate ours and baseline, so that a change in
   * the machine's load during the run weighs on both sides alike; each process makes one
   * untimed warm-up run first.
   */
  readonly rounds?: number;
  /** Largest acceptable ours/baseline ratio, shown in the notes. */
  readonly maxRatio?: number;
  /** Largest acceptable peak RSS of "ours", in bytes. */
  readonly maxPeakRssBytes?: number;
  /** Runs once, in the parent process. The context must survive JSON (it is passed to the children). */
  setup(): Promise<Context>;
  teardown?(context: Context): Promise<void>;
  /** Returns the function to time; what it builds before returning is not timed. */
  ours(context: Context): Promise<() => unknown>;
  baseline?(context: Context): Promise<() => unknown>;
  /** Extra words for the notes column, and goals of the benchmark's own (see goal()). */
  notes?(context: Context): string | readonly Note[];
  /** The rows this benchmark gives the README's tables (report.ts), from its result. */
  readme?(context: Context, result: BenchmarkResult): readonly ReadmeRow[];
}

/** A goal of a benchmark: what it must reach, what it measured, and whether that is enough. */
export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export type Note = string | Goal | undefined;

export function goal(what: string, measured: string, met: boolean): Goal {
  return { goal: what, measured, met };
}

/** A row of the README's "Work on this machine": the median time, and the ratio to the baseline. */
export function workRow(
  label: string,
  against: string,
): (context: unknown, result: BenchmarkResult) => readonly ReadmeRow[] {
  return (_context, result) => {
    const time = seconds(result.ours.medianMs);
    const ratio = result.baseline
      ? `${(result.ours.medianMs / result.baseline.medianMs).toFixed(2)}× `
      : "";
    return [{ table: "work", cells: [label, time, `${ratio}${against}`] }];
  };
}

/** A row of one of the README's tables ("work", "memory", "sync"): its cells, in order. */
export interface ReadmeRow {
  readonly table: "work" | "memory" | "sync";
  readonly cells: readonly string[];
}

const registry: Benchmark<never>[] = [];

export function registerBenchmark<Context>(benchmark: Benchmark<Context>): void {
  registry.push(benchmark as unknown as Benchmark<never>);
}

export function registeredBenchmarks(): readonly Benchmark[] {
  return registry as unknown as readonly Benchmark[];
}

export interface BenchmarkResult {
  readonly name: string;
  readonly ours: Measurement;
  readonly baseline?: Measurement;
  readonly goals: readonly Goal[];
  readonly notes: string;
  readonly readme: readonly ReadmeRow[];
}

const CHILD_FLAG = "--bench-child";
const CONTEXT_ENV = "PARTOO_BENCH_CONTEXT";

/**
 * The entry point of run.ts. In the parent: runs the benchmarks whose name contains one of
 * `filters` (all when none), and prints the table. In a child: measures one side of one.
 */
export async function runBenchmarks(argv: readonly string[]): Promise<void> {
  if (argv[0] === CHILD_FLAG) {
    const [, name, side, runs] = argv;
    const benchmark = registry.find((candidate) => candidate.name === name);
    const prepare = side === "ours" ? benchmark?.ours : benchmark?.baseline;
    if (benchmark === undefined || prepare === undefined) throw new Error(`no ${side} for ${name}`);
    const fn = await prepare(JSON.parse(process.env[CONTEXT_ENV] ?? "null") as never);
    const measurement = await measure(fn, Number(runs));
    process.stdout.write(`${JSON.stringify(measurement)}\n`);
    return;
  }
  const { filters, json, readme } = parseBenchArgs(argv);
  const selected = registry.filter(
    (benchmark) =>
      filters.length === 0 || filters.some((filter) => benchmark.name.includes(filter)),
  );
  const startedLoad = loadAverage();
  const results: BenchmarkResult[] = [];
  for (const benchmark of selected) results.push(await runOne(benchmark));
  const run = { startedLoad, endedLoad: loadAverage(), cores: os.availableParallelism() };
  process.stdout.write(renderTable(results, run));
  if (readme) process.stdout.write(`\n${renderReadmeTables(results, run)}`);
  if (json !== undefined) writeFileSync(json, `${JSON.stringify({ ...run, results }, null, 1)}\n`);
}

/** `[name filter…] [--readme] [--json FILE]`. */
function parseBenchArgs(argv: readonly string[]) {
  const filters: string[] = [];
  let json: string | undefined;
  let readme = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--readme") readme = true;
    else if (arg === "--json") json = argv[++i];
    else if (arg.startsWith("-"))
      throw new Error(`unknown option ${arg}: use [NAME…] [--readme] [--json FILE]`);
    else filters.push(arg);
  }
  return { filters, json, readme };
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" / ");
}

async function runOne(benchmark: Benchmark<never>): Promise<BenchmarkResult> {
  process.stderr.write(`bench: ${benchmark.name}: setting up…\n`);
  const context = await benchmark.setup();
  try {
    const rounds = benchmark.rounds ?? 3;
    const runs = Math.max(1, Math.ceil((benchmark.runs ?? 6) / rounds));
    const sides: Side[] = benchmark.baseline === undefined ? ["ours"] : ["ours", "baseline"];
    const measured: Record<Side, Measurement[]> = { ours: [], baseline: [] };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        process.stderr.write(`bench: ${benchmark.name}: ${side}, round ${round + 1}/${rounds}…\n`);
        measured[side].push(await measureInChild(benchmark.name, side, runs, context));
      }
    }
    const ours = combine(measured.ours);
    const baseline = measured.baseline.length > 0 ? combine(measured.baseline) : undefined;
    const own = benchmark.notes?.(context);
    const notes: Note[] = typeof own === "string" ? [own] : [...(own ?? [])];
    notes.push(
      baseline === undefined
        ? `CPU ${milliseconds(ours.cpuMedianMs)}`
        : `CPU ${milliseconds(ours.cpuMedianMs)} vs ${milliseconds(baseline.cpuMedianMs)} (${(ours.cpuMedianMs / baseline.cpuMedianMs).toFixed(2)}×)`,
      `peak RSS ours ${megabytes(ours.peakRssBytes)}${baseline ? `, baseline ${megabytes(baseline.peakRssBytes)}` : ""}`,
    );
    const goals = [
      ...limitGoals(benchmark, ours, baseline),
      ...notes.filter((note): note is Goal => typeof note === "object"),
    ];
    const words = notes.filter((note): note is string => typeof note === "string" && note !== "");
    const result = {
      name: benchmark.name,
      ours,
      ...(baseline === undefined ? {} : { baseline }),
      goals,
      // A note ending in ":" introduces the next one.
      notes: words.join("; ").replace(/:; /g, ": "),
      readme: [],
    };
    return { ...result, readme: benchmark.readme?.(context, result) ?? [] };
  } finally {
    await benchmark.teardown?.(context);
  }
}

/** All the timed runs of several processes: their median, and the largest peak RSS. */
function combine(measurements: readonly Measurement[]): Measurement {
  const runsMs = measurements.flatMap((measurement) => measurement.runsMs);
  const cpuRunsMs = measurements.flatMap((measurement) => measurement.cpuRunsMs);
  return {
    medianMs: median(runsMs),
    runsMs,
    cpuMedianMs: median(cpuRunsMs),
    cpuRunsMs,
    peakRssBytes: Math.max(...measurements.map((measurement) => measurement.peakRssBytes)),
  };
}

/** The goals every benchmark may set: a ratio to its baseline, a peak memory. */
function limitGoals(
  benchmark: Benchmark<never>,
  ours: Measurement,
  baseline?: Measurement,
): Goal[] {
  const goals: Goal[] = [];
  if (benchmark.maxRatio !== undefined && baseline !== undefined) {
    const ratio = ours.medianMs / baseline.medianMs;
    goals.push(
      goal(
        `≤ ${benchmark.maxRatio}× the baseline`,
        `${ratio.toFixed(2)}×`,
        ratio <= benchmark.maxRatio,
      ),
    );
  }
  if (benchmark.maxPeakRssBytes !== undefined) {
    goals.push(
      goal(
        `peak RSS < ${megabytes(benchmark.maxPeakRssBytes)}`,
        megabytes(ours.peakRssBytes),
        ours.peakRssBytes < benchmark.maxPeakRssBytes,
      ),
    );
  }
  return goals;
}

function measureInChild(
  name: string,
  side: Side,
  runs: number,
  context: unknown,
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [process.argv[1]!, CHILD_FLAG, name, side, String(runs)],
      {
        env: { ...process.env, [CONTEXT_ENV]: JSON.stringify(context) },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = output.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`bench ${name} (${side}) exited with ${code}`));
      else resolve(JSON.parse(last) as Measurement);
    });
  });
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
