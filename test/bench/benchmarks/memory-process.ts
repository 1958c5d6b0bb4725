/**
 * Runs `node bin/partoo-links.js …` as a user does, in a process of its own, with
 * memory-probe.js preloaded: the result carries the process's own peak memory and CPU time.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../../../src/package-info.js";
import type { CommandResult, CommandRunner } from "./apply-support.js";
import type { ProcessUsage } from "./memory-probe.js";

const PROBE = fileURLToPath(new URL("./memory-probe.js", import.meta.url));

/**
 * A runner whose processes report their usage through `usageFile` (overwritten by each run).
 * `script`: what the process runs instead of partoo-links (a floor, for comparison).
 */
export function inOwnProcess(
  usageFile: string,
  script = path.join(packageRoot(), "bin", "partoo-links.js"),
): CommandRunner {
  return (argv, { env, cwd }) =>
    new Promise<CommandResult>((resolve, reject) => {
      rmSync(usageFile, { force: true });
      const child = spawn(process.execPath, ["--import", PROBE, script, ...argv], {
        cwd,
        env: { PATH: process.env["PATH"] ?? "", ...env, PARTOO_BENCH_USAGE_FILE: usageFile },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        let usage: ProcessUsage;
        try {
          usage = JSON.parse(readFileSync(usageFile, "utf8")) as ProcessUsage;
        } catch (error) {
          const message = `${path.basename(script)} ${argv[0]} exited with ${code} without reporting its usage: ${stderr.slice(-500)}`;
          reject(new Error(message, { cause: error }));
          return;
        }
        resolve({ code: code ?? -1, stdout, stderr, usage });
      });
    });
}
