/**
 * Turns octokit's RequestError into one-line messages a workflow author can act on. The
 * message is built from the status, the route and GitHub's own `message` only: never from
 * the request options or headers, so the token cannot leak even where a proxy echoes them.
 */
import { AppError } from "../errors.js";
import { stripUrlCredentials } from "../redact.js";

/** What a GitHub call was doing, for the message, and the workflow permission it needs. */
export interface GithubAction {
  /** e.g. "updating the plan comment on pull request #12" */
  readonly what: string;
  /** e.g. "pull-requests: write" */
  readonly permission: string;
}

/** A GitHub call that failed; `status` is 0 when GitHub could not be reached. */
export class GithubApiError extends AppError {
  readonly status: number;

  constructor(message: string, status: number, cause: unknown) {
    super(message, { cause });
    this.status = status;
  }
}

/** The parts of octokit's RequestError this module reads (duck-typed: no instanceof across copies). */
interface RequestErrorLike {
  readonly name: string;
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly method?: string; readonly url?: string };
  readonly response?: {
    readonly status?: number;
    readonly headers?: Readonly<Record<string, string | undefined>>;
    readonly data?: unknown;
  };
  readonly cause?: unknown;
}

export function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    error instanceof Error &&
    error.name === "HttpError" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

export function requestStatus(error: unknown): number | undefined {
  return isRequestError(error) ? (error.response === undefined ? 0 : error.status) : undefined;
}

/** Token shapes GitHub issues (classic, fine-grained, app, OAuth), and credentials after an auth scheme. */
const TOKENS =
  /\b(?:gh[opsur]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})|\b((?:token|bearer|basic)\s+)[\w.=:+/-]{16,}/gi;

/**
 * GitHub never echoes credentials; a proxy in front of GitHub Enterprise might. Tokens are
 * recognised here by their shape and in URLs (x-access-token:…@); the entry point also
 * redacts the token by value from everything the program prints.
 */
export function redactGithubText(text: string): string {
  return stripUrlCredentials(text).replace(
    TOKENS,
    (_match, scheme: string | undefined) => `${scheme ?? ""}[REDACTED]`,
  );
}

/** GitHub's `message` field, else octokit's message; one line, bounded, without credentials. */
function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data;
  const raw =
    typeof data === "object" &&
    data !== null &&
    typeof (data as { message?: unknown }).message === "string"
      ? (data as { message: string }).message
      : error.message;
  const line = redactGithubText(raw.replace(/\s+/g, " ").trim());
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** "GET /repos/o/r/issues": the path only, never the query or the headers. */
function route(error: RequestErrorLike): string {
  const method = error.request?.method ?? "";
  let path: string;
  try {
    path = new URL(error.request?.url ?? "").pathname;
  } catch {
    path = "";
  }
  return `${method} ${path}`.trim();
}

function origin(error: RequestErrorLike): string {
  try {
    return new URL(error.request?.url ?? "").origin;
  } catch {
    return "the GitHub API";
  }
}

function isRateLimited(error: RequestErrorLike): boolean {
  return (
    error.response?.headers?.["x-ratelimit-remaining"] === "0" ||
    /rate limit/i.test(githubMessage(error))
  );
}

/**
 * Maps an error thrown by an octokit call to a GithubApiError. AppErrors pass through;
 * anything else is a bug and is returned unchanged for the error boundary to report.
 */
export function githubError(error: unknown, action: GithubAction): unknown {
  const context = `GitHub: ${action.what}`;
  if (error instanceof Error && error.name === "AbortError") {
    return new GithubApiError(`${context}: cancelled before GitHub answered`, 0, error);
  }
  if (error instanceof AppError || !isRequestError(error)) return error;
  const detail = githubMessage(error);
  if (error.response === undefined) {
    return new GithubApiError(
      `${context}: cannot reach ${origin(error)} (${detail}); check GITHUB_API_URL and the network, then run again`,
      0,
      error,
    );
  }
  const status = error.status;
  let message: string;
  if (status === 401) {
    message = `${context}: the token was rejected (401 ${detail}); check that GITHUB_TOKEN holds a valid token, e.g. "env: GITHUB_TOKEN: \${{ github.token }}" in the workflow step`;
  } else if ((status === 403 || status === 429) && isRateLimited(error)) {
    message = `${context}: GitHub's API rate limit was hit (${status} ${detail}); wait for it to reset and run again`;
  } else if (status === 403) {
    message = `${context}: permission denied (403 ${detail}); the workflow job needs "permissions: ${action.permission}" (on pull requests from forks the token is read-only)`;
  } else if (status === 404) {
    message = `${context}: not found (404 at ${route(error)}); check GITHUB_REPOSITORY and that the token can access the repository with "${action.permission}"`;
  } else if (status >= 500) {
    message = `${context}: GitHub answered ${status} (${detail}); try again later`;
  } else {
    message = `${context}: GitHub refused the request (${status} ${detail} at ${route(error)})`;
  }
  return new GithubApiError(message, status, error);
}

/** Runs one octokit call and maps its failure. */
export async function callGithub<T>(action: GithubAction, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw githubError(error, action);
  }
}
