/**
 * The Action at run time: reads the inputs and the event, runs the CLI's `main` in-process
 * with the argv and environment the event calls for, and turns its exit code into the step's
 * outputs and outcome (SPEC §9). This is the Action's entry point and error boundary.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { main } from "../cli/main.js";
import { failureMessage } from "./failure-message.js";
import {
  ActionInputError,
  buildInvocation,
  type EventContext,
  type Invocation,
} from "./invocation.js";

type CliIO = NonNullable<Parameters<typeof main>[1]>;
type Env = Readonly<Record<string, string | undefined>>;

const PROGRAM_PREFIX = "partoo-links: ";

export async function runAction(env: Env, cwdFallback: string): Promise<number> {
  // Masked before anything else can print them.
  const apiKey = core.getInput("partoo-api-key");
  const token = core.getInput("github-token");
  if (apiKey !== "") core.setSecret(apiKey);
  if (token !== "") core.setSecret(token);

  let invocation: Invocation;
  try {
    invocation = buildInvocation(
      {
        command: core.getInput("command"),
        args: core.getInput("args"),
        partooApiKey: apiKey,
        stores: core.getInput("stores"),
        state: core.getInput("state"),
        config: core.getInput("config"),
      },
      await readEvent(env),
    );
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    core.setOutput("exit-code", "1");
    core.setOutput("changes", "false");
    core.setFailed(`partoo-links action: ${error.message}`);
    return 1;
  }

  const workspace = env["GITHUB_WORKSPACE"] || cwdFallback;
  const cwd = path.resolve(workspace, core.getInput("working-directory") || ".");
  for (const note of invocation.notes) core.info(`partoo-links action: ${note}`);
  core.info(`partoo-links action: running partoo-links ${invocation.argv.join(" ")}`);

  const run = await runCli(
    invocation,
    toolEnv(env, invocation.passApiKey ? apiKey : "", token),
    cwd,
  );
  const reportDir = await mkdtemp(path.join(env["RUNNER_TEMP"] || tmpdir(), "partoo-links-"));
  const report = path.join(reportDir, `${invocation.command}-report.json`);
  await writeFile(report, run.stdout);

  core.setOutput("exit-code", String(run.code));
  core.setOutput("changes", String(run.code === 2));
  core.setOutput("report", report);
  if (invocation.command === "validate")
    annotateValidation(run.stdout, path.relative(workspace, cwd));
  if (run.code !== 0 && run.code !== 2) {
    core.setFailed(run.lastError ?? failureMessage(invocation.command, run.code, run.stdout));
  }
  return run.code;
}

/** The tool's environment: the runner's, less the Action's inputs, plus the key and token. */
function toolEnv(env: Env, apiKey: string, token: string): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("INPUT_")) result[name] = value;
  }
  delete result["PARTOO_API_KEY"];
  if (apiKey !== "") result["PARTOO_API_KEY"] = apiKey;
  if (token !== "") result["GITHUB_TOKEN"] = token;
  return result;
}

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  /** The tool's last one-line error ("partoo-links: …"), for the step's ::error annotation. */
  readonly lastError: string | undefined;
}

async function runCli(invocation: Invocation, env: Env, cwd: string): Promise<CliRun> {
  let stdout = "";
  let lastError: string | undefined;
  let pending = "";
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\npartoo-links: ${signal} received, finishing the stores in flight…\n`);
    controller.abort(new Error(signal));
    process.once(signal, () => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const io: CliIO = {
    stdout: {
      write(chunk: string) {
        stdout += chunk;
        return process.stdout.write(chunk);
      },
    },
    stderr: {
      write(chunk: string) {
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line.startsWith(PROGRAM_PREFIX)) lastError = line;
        return process.stderr.write(chunk);
      },
    },
    env,
    cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    signal: controller.signal,
  };
  try {
    const code = await main(invocation.argv, io);
    if (pending.startsWith(PROGRAM_PREFIX)) lastError = pending;
    return { code, stdout, lastError };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function readEvent(env: Env): Promise<EventContext> {
  const file = env["GITHUB_EVENT_PATH"];
  let payload: unknown = {};
  if (file) {
    // The tool reports an unreadable event file itself when a flag needs it.
    payload = await readFile(file, "utf8")
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => ({}));
  }
  return {
    name: env["GITHUB_EVENT_NAME"] ?? "",
    payload,
    repository: env["GITHUB_REPOSITORY"] ?? "",
    refName: env["GITHUB_REF_NAME"] ?? "",
  };
}

interface ValidationEntry {
  file?: unknown;
  line?: unknown;
  column?: unknown;
  message?: unknown;
}

/** Validation problems as annotations on their file and line, from the JSON report. */
function annotateValidation(json: string, prefix: string): void {
  let report: { errors?: unknown; warnings?: unknown };
  try {
    report = JSON.parse(json) as typeof report;
  } catch {
    return;
  }
  const annotate = (entries: unknown, emit: typeof core.error) => {
    if (!Array.isArray(entries)) return;
    for (const entry of entries as ValidationEntry[]) {
      if (typeof entry.message !== "string" || typeof entry.file !== "string") continue;
      emit(entry.message, {
        file: path.join(prefix, entry.file),
        ...(typeof entry.line === "number" ? { startLine: entry.line } : {}),
        ...(typeof entry.column === "number" ? { startColumn: entry.column } : {}),
      });
    }
  };
  annotate(report.errors, core.error);
  annotate(report.warnings, core.warning);
}
