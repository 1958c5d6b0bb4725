/**
 * Runs the Action as GitHub's runner does: the tracked files of this repository copied to a
 * directory of their own (so no node_modules is within reach), runs.main of action.yml
 * started under Node 24, the inputs as INPUT_* variables with action.yml's defaults, the
 * outputs read back from the GITHUB_OUTPUT file.
 */
import { execFile, spawn } from "node:child_process";
import { copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-info.js";

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string };
}

/** Copies every file git tracks (as in the work tree) into `dest`; returns action.yml parsed. */
export async function copyTrackedFiles(dest: string): Promise<ActionYml> {
  const root = packageRoot();
  const { stdout } = await promisify(execFile)("git", ["ls-files", "-z"], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const name of stdout.split("\0").filter((n) => n !== "")) {
    const from = path.join(root, name);
    // A tracked file deleted in the work tree is not part of what would be pushed.
    if (!(await stat(from).catch(() => undefined))?.isFile()) continue;
    await mkdir(path.dirname(path.join(dest, name)), { recursive: true });
    await copyFile(from, path.join(dest, name));
  }
  return parse(await readFile(path.join(dest, "action.yml"), "utf8")) as ActionYml;
}

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface RunActionOptions {
  readonly node: string;
  readonly actionDir: string;
  readonly action: ActionYml;
  readonly workspace: string;
  /** Scratch directory for GITHUB_OUTPUT, the event file and RUNNER_TEMP. */
  readonly temp: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly event: { readonly name: string; readonly payload: unknown };
  /** The step's env: and the runner's GITHUB_* variables. */
  readonly env: Readonly<Record<string, string>>;
  readonly githubToken: string;
}

let runs = 0;

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const id = ++runs;
  const outputFile = path.join(options.temp, `output-${id}.txt`);
  const eventFile = path.join(options.temp, `event-${id}.json`);
  await writeFile(outputFile, "");
  await writeFile(eventFile, JSON.stringify(options.event.payload));
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(options.action.inputs)) {
    // The runner evaluates expressions in defaults; github.token is the only one used.
    const fallback = (spec.default ?? "").replace("${{ github.token }}", options.githubToken);
    inputs[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = options.inputs[name] ?? fallback;
  }
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: options.temp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.event.name,
    RUNNER_TEMP: options.temp,
    ...options.env,
    ...inputs,
  };
  const main = path.join(options.actionDir, options.action.runs.main);
  return new Promise((resolve, reject) => {
    const child = spawn(options.node, [main], { cwd: options.workspace, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      void readFile(outputFile, "utf8").then((text) =>
        resolve({ code, stdout, stderr, outputs: parseOutputs(text) }),
      );
    });
  });
}

/** The GITHUB_OUTPUT file: `name<<DELIMITER\nvalue\nDELIMITER\n` entries (and name=value lines). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end === -1) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} is never closed`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}
