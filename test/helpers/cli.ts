/** Runs the CLI in-process with captured output, as a user would run it. */
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/command.js";
import type { ServiceFactories } from "../../src/cli/services.js";
import { createGithubClient } from "../../src/github/client.js";
import { createPartooClient } from "../../src/partoo/client.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The run's GitHub client as the CLI builds it from the environment, without GitHub's
 * pacing (one write a second), which only slows tests down: every GitHub API in tests is
 * the fake one. The paced default client is tested in github-comments.test.ts, and the
 * Action's tests run the bundle unchanged.
 */
export const TEST_FACTORIES: ServiceFactories = {
  githubClient: (options) => createGithubClient({ ...options, throttle: false }),
};

/**
 * TEST_FACTORIES with Partoo retries that take milliseconds, for tests about what a failing
 * run prints rather than how long it waits before giving up.
 */
export const QUICK_RETRY_FACTORIES: ServiceFactories = {
  ...TEST_FACTORIES,
  partooClient: (options) =>
    createPartooClient({ ...options, retries: { baseDelayMs: 5, maxDelayMs: 20 } }),
};

export async function runCli(
  argv: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    signal?: AbortSignal;
    factories?: ServiceFactories;
  } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await main(argv, io, options.factories ?? TEST_FACTORIES);
  return { code, stdout, stderr };
}
