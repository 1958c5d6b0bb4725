/**
 * Builds the one octokit client of a run. The run's services (src/cli/services.ts) call it
 * once, on first use, with values from the environment, and pass the result to both the
 * publisher and the github: state backend, so that they share one throttling queue.
 */
import { Octokit } from "octokit";
import { checkApiBaseUrl } from "../base-url.js";
import { UsageError } from "../errors.js";
import { packageVersion } from "../package-info.js";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** Long enough for a multi-megabyte state blob, short enough that a hung API ends the run. */
const DEFAULT_TIMEOUT_MS = 120_000;

/** Longer rate-limit pauses end the run with a message rather than idle a runner. */
const MAX_RATE_LIMIT_WAIT_S = 300;

export interface GithubClient {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
}

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

export function createGithubClient(options: GithubClientOptions): GithubClient {
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
  const apiUrl = parseApiUrl(options.apiUrl);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const warn = options.log ?? (() => undefined);
  const waitOnce = (
    kind: string,
    retryAfter: number,
    request: RateLimitedRequest,
    retryCount: number,
  ): boolean => {
    if (retryCount >= 1 || retryAfter > MAX_RATE_LIMIT_WAIT_S) return false;
    warn(`GitHub ${kind} hit on ${request.method} ${request.url}; waiting ${retryAfter} s`);
    return true;
  };
  const octokit = new Octokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: `partoo-links/${packageVersion()}`,
    request: { fetch: withTimeout(baseFetch, timeoutMs) },
    retry: { enabled: (options.retries ?? 3) > 0, retries: options.retries ?? 3 },
    throttle: {
      enabled: options.throttle ?? true,
      // Wait once for a short rate-limit pause, otherwise give up with a clear error.
      onRateLimit: (
        retryAfter: number,
        request: RateLimitedRequest,
        _octokit: unknown,
        retryCount: number,
      ) => waitOnce("rate limit", retryAfter, request, retryCount),
      onSecondaryRateLimit: (
        retryAfter: number,
        request: RateLimitedRequest,
        _octokit: unknown,
        retryCount: number,
      ) => waitOnce("secondary rate limit", retryAfter, request, retryCount),
    },
    // Only message strings are forwarded: octokit may pass request objects alongside.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => warn(String(message)),
      error: (message: string) => warn(String(message)),
    },
  });
  return { octokit, owner, repo, apiUrl };
}

/** The route template of a throttled request (e.g. "/repos/{owner}/{repo}/issues"): no secrets. */
interface RateLimitedRequest {
  readonly method: string;
  readonly url: string;
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

function withTimeout(fetch: typeof globalThis.fetch, timeoutMs: number): typeof globalThis.fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}
