/** Retry timing: exponential backoff with jitter, and reading Retry-After. Pure functions. */

export interface RetryOptions {
  /** How many times a read (or a POST that never left) is retried after 5xx or a network error. */
  readonly maxRetries: number;
  /** The first backoff; each retry doubles it, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** How many 429s one request may meet before it fails. */
  readonly maxRateLimitWaits: number;
  /** A Retry-After longer than this fails the request instead of stalling the run. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRIES: RetryOptions = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRateLimitWaits: 5,
  maxRetryAfterMs: 5 * 60_000,
};

/**
 * The delay before retry number `retry` (0-based): an exponential step, of which a random
 * half is kept ("equal jitter"), so that clients that failed together do not retry together
 * while each still waits at least half the step.
 */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return step / 2 + random() * (step / 2);
}

/**
 * Retry-After as milliseconds from `now`: delta-seconds (fractions accepted) or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its month ("Wed, 21 Oct 2015 07:28:00 GMT"); a bare "-5" is no date.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
