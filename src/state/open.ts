/**
 * Turns a `--state SPEC` into a state backend: `file:PATH` here, `github:BRANCH` through the
 * opener the caller passes in (the GitHub backend lives in src/github/ and needs the run's
 * one GitHub client, which only the entry point builds).
 */
import path from "node:path";
import { UsageError } from "../errors.js";
import { didYouMean } from "../core/suggest.js";
import { openedOnFirstUse, type StateBackend } from "./backend.js";

/** The --state of every command that reads or writes the state. */
export const DEFAULT_STATE_SPEC = "file:.partoo/state.json";

export interface OpenStateContext {
  /** Relative file: paths are resolved against it. */
  readonly cwd: string;
  /** Opens `github:BRANCH`, given a branch name already checked; absent: github: is refused. */
  readonly github?: (branch: string) => StateBackend;
}

/** `spec` undefined: the default. */
export function openStateBackend(
  spec: string | undefined,
  context: OpenStateContext,
): StateBackend {
  const value = spec ?? DEFAULT_STATE_SPEC;
  const colon = value.indexOf(":");
  const scheme = colon > 0 ? value.slice(0, colon) : "";
  const target = value.slice(colon + 1);
  if (scheme === "file") {
    if (target === "") {
      throw new UsageError(`--state ${value}: give a path, e.g. --state ${DEFAULT_STATE_SPEC}`);
    }
    const file = path.resolve(context.cwd, target);
    return openedOnFirstUse(value, async () =>
      (await import("./file.js")).createFileStateBackend(file, { description: value }),
    );
  }
  if (scheme === "github") {
    const branch = checkStateBranch(target);
    if (context.github === undefined) {
      throw new UsageError(
        `--state ${value}: the GitHub backend is not available here; use file:PATH`,
      );
    }
    return context.github(branch);
  }
  if (colon > 0) {
    const known = didYouMean(scheme, ["file", "github"]);
    throw new UsageError(
      `--state ${value}: unknown state backend "${scheme}"${known}; use file:PATH or github:BRANCH (default ${DEFAULT_STATE_SPEC})`,
    );
  }
  throw new UsageError(`--state ${value}: no backend given; ${guessBackend(value)}`);
}

/** What a bare `--state X` most likely meant: a path looks like one, a name may be either. */
function guessBackend(value: string): string {
  const looksLikePath = /[./\\]/.test(value) || value === "";
  return looksLikePath
    ? `did you mean --state file:${value}? (or github:BRANCH for a branch)`
    : `did you mean --state file:${value} (a file) or --state github:${value} (a branch)?`;
}

/**
 * Checks a branch name the way `git check-ref-format --branch` would (the common rules).
 * Throws a UsageError naming the flag.
 */
export function checkStateBranch(branch: string): string {
  if (branch === "") {
    throw new UsageError("--state github:: give a branch name, e.g. --state github:partoo-state");
  }
  const invalid =
    branch === "" ||
    branch === "@" ||
    branch.startsWith("-") ||
    branch.startsWith("/") ||
    branch.endsWith("/") ||
    branch.endsWith(".") ||
    branch.endsWith(".lock") ||
    branch.includes("..") ||
    branch.includes("//") ||
    branch.includes("@{") ||
    branch.split("/").some((part) => part.startsWith(".")) ||
    // Space and the characters git forbids in ref names, then control characters.
    /[ ~^:?*[\\]/.test(branch) ||
    [...branch].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
  if (invalid) {
    throw new UsageError(
      `--state github:${branch}: not a valid branch name; use e.g. github:partoo-state`,
    );
  }
  return branch;
}
