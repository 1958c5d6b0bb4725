/**
 * What a GitHub client needs, checked without loading octokit: a command that needs GitHub
 * fails up front on a missing token or repository, and one that does not never loads it.
 */
import { checkApiBaseUrl } from "../base-url.js";
import { UsageError } from "../errors.js";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

export interface GithubClientOptions {
  /** GITHUB_TOKEN. Sent as a header only; never printed. */
  readonly token: string | undefined;
  /** GITHUB_REPOSITORY, "owner/repo". */
  readonly repository: string | undefined;
  /** GITHUB_API_URL; default https://api.github.com. */
  readonly apiUrl?: string | undefined;
  /** What needs GitHub, for messages, e.g. "plan --comment". */
  readonly purpose?: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Retries of 5xx and network failures (octokit's retry plugin); default 3. */
  readonly retries?: number;
  /**
   * GitHub's recommended pacing (writes one per second, waits on rate limits) through
   * octokit's throttling plugin; default true. Tests against the fake server turn it off.
   */
  readonly throttle?: boolean;
  readonly timeoutMs?: number;
  /** Warnings from octokit (rate limits, retries); default: dropped. */
  readonly log?: (message: string) => void;
}

/** The options `createGithubClient` needs, read from an environment (GitHub Actions' variable names). */
export function githubClientOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Pick<GithubClientOptions, "token" | "repository" | "apiUrl"> {
  return {
    token: env["GITHUB_TOKEN"],
    repository: env["GITHUB_REPOSITORY"],
    apiUrl: env["GITHUB_API_URL"],
  };
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** The token, repository and API URL of `options`, checked; throws a UsageError naming what to set. */
export function checkGithubAccess(options: GithubClientOptions): {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
} {
  const purpose = options.purpose ?? "this command";
  const token = options.token?.trim();
  if (!token) {
    throw new UsageError(
      `${purpose} calls the GitHub API: set GITHUB_TOKEN, e.g. "env: GITHUB_TOKEN: \${{ github.token }}" in the workflow step`,
    );
  }
  const repository = options.repository?.trim() ?? "";
  const [owner, repo, ...rest] = repository.split("/");
  if (
    owner === undefined ||
    repo === undefined ||
    rest.length > 0 ||
    !OWNER.test(owner) ||
    !REPO.test(repo)
  ) {
    throw new UsageError(
      `GITHUB_REPOSITORY ${JSON.stringify(repository)}: expected "owner/repo" (GitHub Actions sets it); set it when running ${purpose} outside Actions`,
    );
  }
  return { token, owner, repo, apiUrl: parseApiUrl(options.apiUrl) };
}

function parseApiUrl(raw: string | undefined): string {
  const value = raw?.trim() || DEFAULT_GITHUB_API_URL;
  const checked = checkApiBaseUrl(value, "GITHUB_API_URL", DEFAULT_GITHUB_API_URL);
  const url = new URL(checked);
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(
      "GITHUB_API_URL: credentials in the URL are not supported; use GITHUB_TOKEN",
    );
  }
  return checked;
}
