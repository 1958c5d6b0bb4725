/**
 * Preloaded into a partoo-links process (`node --import …/memory-probe.js bin/partoo-links.js …`)
 * by the memory benchmarks: when the process exits, writes its own peak resident memory and
 * CPU time to the file named by PARTOO_BENCH_USAGE_FILE. Not imported by run.ts.
 */
import { writeFileSync } from "node:fs";

export interface ProcessUsage {
  readonly maxRssBytes: number;
  readonly cpuMs: number;
}

const target = process.env["PARTOO_BENCH_USAGE_FILE"];
if (target !== undefined && target !== "") {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const measured: ProcessUsage = {
      maxRssBytes: usage.maxRSS * 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    };
    writeFileSync(target, JSON.stringify(measured));
  });
}
