/**
 * Builds the one octokit client of a run. The run's services (src/cli/services.ts) call it
 * once, on first use, with values from the environment, and pass the result to both the
 * publisher and the github: state backend, so that they share one throttling queue.
 */
import { Octokit } from "octokit";
import { checkGithubAccess, type GithubClientOptions } from "./client-options.js";
import { packageVersion } from "../package-info.js";

export {
  DEFAULT_GITHUB_API_URL,
  githubClientOptionsFromEnv,
  type GithubClientOptions,
} from "./client-options.js";

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

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const { token, owner, repo, apiUrl } = checkGithubAccess(options);
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

function withTimeout(fetch: typeof globalThis.fetch, timeoutMs: number): typeof globalThis.fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}
