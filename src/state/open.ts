/** Turns a `--state SPEC` into a state backend: `file:PATH` or `github:BRANCH`. */
import path from "node:path";
import { UsageError } from "../errors.js";
import type { StateBackend } from "./backend.js";
import { createFileStateBackend } from "./file.js";
import { checkStateBranch, createGithubStateBackend } from "./github.js";
import { createGithubClient, githubClientOptionsFromEnv } from "../github/client.js";

export const DEFAULT_STATE = "file:.partoo/state.json";

export interface OpenStateContext {
  /** Relative file: paths are resolved against it. */
  readonly cwd: string;
  /** The environment (github: reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

type Opener = (target: string, spec: string, context: OpenStateContext) => StateBackend;

/**
 * The backends by scheme. Extension point: a new backend is one entry here, taking the text
 * after the colon and the context.
 */
export const stateOpeners: Readonly<Record<string, Opener>> = {
  file: (target, spec, context) => {
    if (target === "") {
      throw new UsageError(`--state ${spec}: give a path, e.g. --state ${DEFAULT_STATE}`);
    }
    return createFileStateBackend(path.resolve(context.cwd, target), { description: spec });
  },
  github: (target, spec, context) => {
    const branch = checkStateBranch(target);
    const client = createGithubClient({
      ...githubClientOptionsFromEnv(context.env),
      purpose: `--state ${spec}`,
    });
    return createGithubStateBackend({
      octokit: client.octokit,
      owner: client.owner,
      repo: client.repo,
      branch,
    });
  },
};

/** `spec` undefined: the default. `env` is the process environment (only github: reads it). */
export function openStateBackend(
  spec: string | undefined,
  cwd: string,
  env: Readonly<Record<string, string | undefined>> = {},
): StateBackend {
  const context: OpenStateContext = { cwd, env };
  const value = spec ?? DEFAULT_STATE;
  const colon = value.indexOf(":");
  const scheme = colon > 0 ? value.slice(0, colon) : "";
  const opener = stateOpeners[scheme];
  if (opener === undefined || !Object.hasOwn(stateOpeners, scheme)) {
    const hint = colon > 0 ? `unknown state backend "${scheme}"` : "no backend given";
    throw new UsageError(
      `--state ${value}: ${hint}; use file:PATH or github:BRANCH (default ${DEFAULT_STATE})`,
    );
  }
  return opener(value.slice(colon + 1), value, context);
}
