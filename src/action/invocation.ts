/**
 * What the Action runs: its inputs and the triggering event turned into the tool's command
 * line (SPEC §9). Pure: the caller reads the inputs, the environment and the event file.
 */
import { ArgsSyntaxError, splitArgs } from "./split-args.js";

export const ACTION_COMMANDS = ["validate", "plan", "apply", "drift", "accept"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export interface ActionInputs {
  readonly command: string;
  readonly args: string;
  readonly partooApiKey: string;
  readonly stores: string;
  readonly state: string;
  readonly config: string;
}

export interface EventContext {
  /** GITHUB_EVENT_NAME: pull_request, push, schedule, workflow_dispatch, … */
  readonly name: string;
  /** The parsed GITHUB_EVENT_PATH document (untrusted: every field is checked before use). */
  readonly payload: unknown;
  /** GITHUB_REPOSITORY, owner/name. */
  readonly repository: string;
  /** GITHUB_REF_NAME: the branch of a push or a manual run. */
  readonly refName: string;
}

export interface Invocation {
  readonly command: ActionCommand;
  /** The tool's argv: the command, the flags the event calls for, then the `args` input. */
  readonly argv: readonly string[];
  /** Whether the tool gets the Partoo key (never on a pull request from a fork). */
  readonly passApiKey: boolean;
  /** Lines for the log saying what the event decided. */
  readonly notes: readonly string[];
}

/** A wrong input: the one line the step fails with. */
export class ActionInputError extends Error {}

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);
/** Flags that need a key or a writable token, dropped on a pull request from a fork. */
const FORK_DROPPED_FLAGS = ["--live", "--refresh", "--comment", "--check-links"];
const STATE_COMMANDS = new Set<ActionCommand>(["plan", "apply", "drift", "accept"]);

export function buildInvocation(inputs: ActionInputs, event: EventContext): Invocation {
  const command = parseCommand(inputs.command);
  let userArgs: string[];
  try {
    userArgs = splitArgs(inputs.args);
  } catch (error) {
    if (error instanceof ArgsSyntaxError) throw new ActionInputError(error.message);
    throw error;
  }
  const notes: string[] = [];
  const flags: string[] = [];
  const hasKey = inputs.partooApiKey !== "";
  let passApiKey = hasKey;
  const add = (...words: string[]) => {
    if (!hasFlag(userArgs, words[0]!)) flags.push(...words);
  };

  if (inputs.stores !== "") add("--stores", inputs.stores);
  if (inputs.state !== "" && STATE_COMMANDS.has(command)) add("--state", inputs.state);
  if (inputs.config !== "") add("--config", inputs.config);
  // The JSON document is the `report` output; the job summary carries the Markdown.
  add("--format", "json");

  const pullRequest = PULL_REQUEST_EVENTS.has(event.name);
  switch (command) {
    case "plan":
      if (pullRequest && isFromFork(event)) {
        passApiKey = false;
        const dropped = userArgs.filter((word) => FORK_DROPPED_FLAGS.includes(flagName(word)));
        userArgs = userArgs.filter((word) => !FORK_DROPPED_FLAGS.includes(flagName(word)));
        notes.push(
          `pull request from a fork: offline plan in the job summary only, no comment (its token is read-only and it gets no secrets)${dropped.length > 0 ? `; ignored ${dropped.join(" ")}` : ""}`,
        );
        add("--detailed-exitcode");
      } else {
        if (pullRequest) add("--comment");
        add("--detailed-exitcode");
        if (hasKey) add("--live");
        notes.push(
          `${pullRequest ? "pull request" : event.name}: ${hasKey ? "live" : "offline"} plan${pullRequest ? ", commented on the pull request" : ""}`,
        );
      }
      break;
    case "apply": {
      if (pullRequest) {
        throw new ActionInputError(
          `command apply runs on a push to the default branch or by hand, never on ${event.name}: use command plan in pull request workflows`,
        );
      }
      const defaultBranch = defaultBranchOf(event);
      if (defaultBranch !== undefined && event.refName !== "" && event.refName !== defaultBranch) {
        throw new ActionInputError(
          `command apply pushes the files of the default branch ${defaultBranch} only, and this run is on ${event.refName}: run it from ${defaultBranch}`,
        );
      }
      if (event.name === "push") {
        add("--comment");
        notes.push(
          "push to the default branch: apply, result commented on the merged pull request",
        );
      }
      break;
    }
    case "drift":
      if (event.name === "schedule" || event.name === "workflow_dispatch") {
        add("--issue");
        notes.push(`${event.name}: drift, the drift issue opened, updated or closed`);
      }
      break;
    case "validate":
    case "accept":
      break;
  }
  return { command, argv: [command, ...flags, ...userArgs], passApiKey, notes };
}

function parseCommand(value: string): ActionCommand {
  const command = value.trim();
  if ((ACTION_COMMANDS as readonly string[]).includes(command)) return command as ActionCommand;
  throw new ActionInputError(
    `input command: ${command === "" ? "missing" : `unknown command "${command.slice(0, 40)}"`}; use one of ${ACTION_COMMANDS.join(", ")}`,
  );
}

/** `--live` for `--live`, `--live=…` and `--format` for `--format=json`. */
function flagName(word: string): string {
  const equals = word.indexOf("=");
  return word.startsWith("--") && equals !== -1 ? word.slice(0, equals) : word;
}

function hasFlag(words: readonly string[], flag: string): boolean {
  return words.some((word) => flagName(word) === flag);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function fullName(repo: unknown): string | undefined {
  const name = record(repo)?.["full_name"];
  return typeof name === "string" ? name : undefined;
}

/**
 * A pull request whose head is another repository (or a deleted one). When the payload says
 * nothing, it is treated as a fork: the cautious side, since a fork gets no secrets.
 */
export function isFromFork(event: EventContext): boolean {
  const pull = record(record(event.payload)?.["pull_request"]);
  const head = fullName(record(pull?.["head"])?.["repo"]);
  const base = fullName(record(pull?.["base"])?.["repo"]) ?? event.repository;
  return head === undefined || head !== base;
}

function defaultBranchOf(event: EventContext): string | undefined {
  const branch = record(record(event.payload)?.["repository"])?.["default_branch"];
  return typeof branch === "string" && branch !== "" ? branch : undefined;
}
