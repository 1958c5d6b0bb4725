/**
 * A small benchmark harness. A benchmark times "ours" (the code path the CLI uses) against a
 * "baseline" (the simplest thing that does the same job), each side in a fresh Node process
 * so that its peak memory is its own and neither warms the other's caches. Register more
 * with registerBenchmark() from a module imported by run.ts; the run prints one Markdown table.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

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
  /** Peak resident set size of the process so far, in bytes. */
  readonly peakRssBytes: number;
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
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await fn();
    runsMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuRunsMs.push((used.user + used.system) / 1000);
  }
  return {
    medianMs: median(runsMs),
    runsMs,
    cpuMedianMs: median(cpuRunsMs),
    cpuRunsMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
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
  /** Extra words for the notes column. */
  notes?(context: Context): string;
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
  readonly notes: string;
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
  const filters = argv.filter((arg) => !arg.startsWith("-"));
  const selected = registry.filter(
    (benchmark) =>
      filters.length === 0 || filters.some((filter) => benchmark.name.includes(filter)),
  );
  const results: BenchmarkResult[] = [];
  for (const benchmark of selected) results.push(await runOne(benchmark));
  process.stdout.write(renderTable(results));
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
    const notes = [
      benchmark.notes?.(context),
      baseline === undefined
        ? `CPU ${milliseconds(ours.cpuMedianMs)}`
        : `CPU ${milliseconds(ours.cpuMedianMs)} vs ${milliseconds(baseline.cpuMedianMs)} (${(ours.cpuMedianMs / baseline.cpuMedianMs).toFixed(2)}×)`,
      `peak RSS ours ${megabytes(ours.peakRssBytes)}${baseline ? `, baseline ${megabytes(baseline.peakRssBytes)}` : ""}`,
      verdict(benchmark, ours, baseline),
    ].filter((note) => note !== undefined && note !== "");
    return {
      name: benchmark.name,
      ours,
      ...(baseline === undefined ? {} : { baseline }),
      notes: notes.join("; "),
    };
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

function verdict(benchmark: Benchmark<never>, ours: Measurement, baseline?: Measurement): string {
  const checks: string[] = [];
  if (benchmark.maxRatio !== undefined && baseline !== undefined) {
    const ok = ours.medianMs / baseline.medianMs <= benchmark.maxRatio;
    checks.push(`ratio target ≤ ${benchmark.maxRatio}× ${ok ? "met" : "MISSED"}`);
  }
  if (benchmark.maxPeakRssBytes !== undefined) {
    const ok = ours.peakRssBytes < benchmark.maxPeakRssBytes;
    checks.push(`memory target < ${megabytes(benchmark.maxPeakRssBytes)} ${ok ? "met" : "MISSED"}`);
  }
  return checks.join(", ");
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

function milliseconds(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

export function renderTable(results: readonly BenchmarkResult[]): string {
  const rows = results.map((result) => [
    result.name,
    milliseconds(result.ours.medianMs),
    result.baseline ? milliseconds(result.baseline.medianMs) : "–",
    result.baseline ? `${(result.ours.medianMs / result.baseline.medianMs).toFixed(2)}×` : "–",
    result.notes.replace(/\|/g, "\\|"),
  ]);
  return [
    "| benchmark | ours median | baseline median | ratio | notes |",
    "|---|---:|---:|---:|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
  ].join("\n");
}
