/**
 * `npm run bench [-- name… --readme --json FILE]`: runs the registered benchmarks (all, or
 * those whose name contains one of the names) and prints one Markdown table on stdout;
 * `--readme` also prints the README's performance tables from the same run (report.ts),
 * `--json FILE` writes every result. To add a benchmark, write a module under benchmarks/
 * that calls registerBenchmark, and import it here.
 */
import { runBenchmarks } from "./harness.js";
import "./benchmarks/start-up.js";
import "./benchmarks/validate-stores.js";
import "./benchmarks/validate-fleet.js";
import "./benchmarks/plan-offline.js";
import "./benchmarks/apply-fleet.js";
import "./benchmarks/pacing.js";
import "./benchmarks/memory.js";

await runBenchmarks(process.argv.slice(2));
