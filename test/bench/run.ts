/**
 * `npm run bench [name…]`: runs the registered benchmarks (all, or those whose name
 * contains one of the arguments) and prints one Markdown table on stdout. To add one,
 * write a module under benchmarks/ that calls registerBenchmark, and import it here.
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
