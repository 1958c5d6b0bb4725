/**
 * Sending one request to Partoo the way SPEC §6 asks: a bounded number in flight, paced
 * client-wide, 429 pausing the whole client for Retry-After, reads retried with backoff on
 * 5xx and network errors, and a POST whose outcome is unknown never re-sent. Every failure
 * becomes one of the typed errors of errors.ts; the key never leaves the request header.
 */
import { setMaxListeners } from "node:events";
import { Pool } from "undici";
import { createRedactor } from "../redact.js";
import { attemptSignal, ResponseTooLargeError } from "./bounded.js";
import { createBreaker } from "./breaker.js";
import { createExchange } from "./exchange.js";
import { redactUrl, type PartooRequestInfo, type PartooStoppedError } from "./errors.js";
import {
  createErrorFactory,
  networkErrorCode,
  statusText,
  wasNeverSent,
  type NetworkFailure,
  type Timeouts,
} from "./messages.js";
import { createPacer, createSlots, type Sleep } from "./pacer.js";
import { backoffDelay, parseRetryAfter, type RetryOptions } from "./retry.js";
import { widenYoungGeneration } from "../heap.js";

export type { Timeouts } from "./messages.js";

export interface ClientStats {
  /** Requests sent (retries included), by method. */
  readonly requests: Readonly<Record<string, number>>;
  /** Requests sent again: after a 429, a 5xx or a network error. */
  readonly retries: number;
  /** 429 responses received. */
  readonly rateLimited: number;
  /** Time requests spent waiting before being sent (pacing, Retry-After, backoff), summed over requests. */
  readonly waitedMs: number;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly rateLimitPerMinute: number;
  readonly burst: number;
  readonly concurrency: number;
  readonly timeouts: Timeouts;
  /** One attempt, headers and body together, ends after this (a trickling body too). */
  readonly deadlineMs: number;
  /** A longer response body is cut off and the attempt fails. */
  readonly maxResponseBytes: number;
  readonly retries: RetryOptions;
  readonly userAgent: string;
  readonly logger: ((line: string) => void) | undefined;
  readonly sleep: Sleep;
  readonly now: () => number;
  readonly random: () => number;
}

export interface WireRequest {
  readonly method: "GET" | "POST";
  /** Relative to the base URL, path segments already encoded (see ROUTES). */
  readonly route: string;
  readonly query?: string;
  /** The business address in the route, for messages. */
  readonly address?: string;
  readonly body?: unknown;
  /** Aborts waiting and the request in flight (a POST in flight then has an unknown outcome). */
  readonly signal?: AbortSignal | undefined;
}

export interface WireResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface Transport {
  send(request: WireRequest): Promise<WireResponse>;
  readonly stats: ClientStats;
  close(): Promise<void>;
}

export function createTransport(options: TransportOptions): Transport {
  const { apiKey, timeouts, retries, now, sleep } = options;
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const host = base.host;
  const pool = new Pool(base.origin, {
    connections: options.concurrency,
    pipelining: 1,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 30_000,
  });
  const slots = createSlots(options.concurrency);
  const pacer = createPacer({
    requestsPerMinute: options.rateLimitPerMinute,
    burst: options.burst,
    now,
    sleep,
  });
  const counters = {
    requests: {} as Record<string, number>,
    retries: 0,
    rateLimited: 0,
    waitedMs: 0,
  };
  const scrub = createRedactor([apiKey]);
  const log = (line: string) => options.logger?.(scrub(line));
  const errors = createErrorFactory({ host, timeouts, scrub });
  const breaker = createBreaker(redactUrl(`${base.origin}${basePath}`));
  // Aborted when the client stops (breaker) or closes: every wait and request ends at once.
  const lifetime = new AbortController();
  // Every request waiting for a slot or its turn listens to it: many at once is normal.
  setMaxListeners(0, lifetime.signal);
  const exchange = createExchange({
    pool,
    basePath,
    apiKey,
    userAgent: options.userAgent,
    deadlineMs: options.deadlineMs,
    maxResponseBytes: options.maxResponseBytes,
    scrub,
    lifetime: lifetime.signal,
  });
  let closing: Promise<void> | undefined;

  /**
   * The request as errors and logs show it. Its redacted URL is built only when read (by an
   * error or a log line): parsing a URL for each of 30,000 requests cost 3 % of an apply.
   */
  function describe(request: WireRequest): PartooRequestInfo {
    const path = request.route + (request.query ? `?${request.query}` : "");
    let url: string | undefined;
    const info: { -readonly [K in keyof PartooRequestInfo]: PartooRequestInfo[K] } = {
      method: request.method,
      path,
      get url() {
        return (url ??= redactUrl(`${base.origin}${basePath}${path}`));
      },
    };
    if (request.address !== undefined) info.address = request.address;
    return info;
  }

  async function waitFor<T>(
    promise: Promise<T>,
    request: WireRequest,
    info: PartooRequestInfo,
  ): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      if (request.signal?.aborted) throw errors.aborted(info, request.signal.reason);
      breaker.check();
      if (lifetime.signal.aborted) throw errors.aborted(info, lifetime.signal.reason);
      throw error;
    }
  }

  async function attempt(request: WireRequest, info: PartooRequestInfo) {
    await takeTurn(request, info);
    try {
      // The breaker may have tripped while this request waited for its turn.
      breaker.check();
      counters.requests[request.method] = (counters.requests[request.method] ?? 0) + 1;
      return await exchange(request, info.path);
    } finally {
      slots.release();
    }
  }

  /**
   * Takes a slot, then a turn of the pacer. A request that need not wait (the usual case when
   * unpaced) makes no signal and adds no listener: at 60,000 requests in a few seconds, each
   * one's were promoted to the old generation and inflated peak RSS (issue 18).
   */
  async function takeTurn(request: WireRequest, info: PartooRequestInfo): Promise<void> {
    const stopped = request.signal?.aborted === true || lifetime.signal.aborted;
    const hasSlot = !stopped && slots.tryAcquire();
    if (hasSlot && pacer.tryAcquire()) return;
    const waits =
      request.signal === undefined
        ? { signal: lifetime.signal, dispose: () => undefined }
        : attemptSignal(undefined, [request.signal, lifetime.signal]);
    try {
      if (!hasSlot) await waitFor(slots.acquire(waits.signal), request, info);
      try {
        counters.waitedMs += await waitFor(pacer.acquire(waits.signal), request, info);
      } catch (error) {
        slots.release();
        throw error;
      }
    } finally {
      waits.dispose();
    }
  }

  async function backOff(
    request: WireRequest,
    info: PartooRequestInfo,
    retry: number,
    why: string,
    quietUntilReached = false,
  ) {
    const delay = backoffDelay(retry, retries, options.random);
    // Before any answer, retry lines would only precede the breaker's one line (or a success).
    if (breaker.reached || !quietUntilReached) {
      log(
        `Partoo ${info.method} ${info.path}: ${why}; retrying in ${seconds(delay)} (retry ${retry + 1} of ${retries.maxRetries})`,
      );
    }
    counters.retries++;
    const start = now();
    const wait = attemptSignal(undefined, [request.signal, lifetime.signal]);
    try {
      await waitFor(sleep(delay, wait.signal), request, info);
    } finally {
      wait.dispose();
      counters.waitedMs += now() - start;
    }
  }

  async function send(request: WireRequest): Promise<WireResponse> {
    // Requests in flight keep their objects alive a while: a young generation to fit them.
    widenYoungGeneration();
    const info = describe(request);
    const isRead = request.method === "GET";
    const route = { hasAddress: request.address !== undefined };
    let failures = 0;
    let rateLimits = 0;
    for (;;) {
      breaker.check();
      const result = await attempt(request, info);
      let failure: NetworkFailure;
      if (result.kind === "aborted") {
        breaker.check();
        if (isRead || lifetime.signal.aborted) throw errors.aborted(info, result.reason);
        throw errors.outcomeUnknown(
          info,
          "the run was stopped while it was in flight",
          result.reason,
        );
      }
      if (result.kind === "network") {
        failure = result;
        if (wasNeverSent(failure.code)) {
          stopIf(breaker.connectFailure(failure.code, errors.network(info, failure)));
        }
      } else {
        const { status, body } = result;
        stopIf(
          breaker.response(status, body, route, () =>
            errors.http(info, status, body, retriedNote(failures)),
          ),
        );
        if (status === 429) {
          rateLimits++;
          await rateLimited(info, result, rateLimits);
          continue;
        }
        if (status >= 200 && status < 300) {
          // A POST that got its 2xx status was applied, even if its body was then lost.
          if (result.bodyError === undefined || !isRead) return { status, body };
          failure = { error: result.bodyError, code: networkErrorCode(result.bodyError) };
        } else if (status >= 500 && !isRead) {
          const cause = errors.http(info, status, body);
          throw errors.outcomeUnknown(
            info,
            `${status} ${statusText(status)} after the request was sent`,
            cause,
          );
        } else if (status >= 500 && failures < retries.maxRetries) {
          await backOff(request, info, failures++, `${status} ${statusText(status)}`);
          continue;
        } else {
          throw errors.http(info, status, body, retriedNote(failures));
        }
      }
      const what = errors.what(failure);
      // Only a request that never left this machine can be sent again when it is a POST.
      const sentPost = !isRead && !(result.kind === "network" && wasNeverSent(failure.code));
      if (sentPost) throw errors.outcomeUnknown(info, what, errors.network(info, failure));
      if (failures >= retries.maxRetries || failure.error instanceof ResponseTooLargeError) {
        throw errors.network(info, failure, retriedNote(failures));
      }
      const connectFailure = result.kind === "network" && wasNeverSent(failure.code);
      await backOff(request, info, failures++, what, connectFailure);
    }
  }

  /** The breaker tripped: every wait and request in flight ends now, with its error. */
  function stopIf(stopped: PartooStoppedError | undefined): void {
    if (stopped === undefined) return;
    lifetime.abort(stopped);
    throw stopped;
  }

  /** A 429 was not applied: wait Retry-After with the whole client paused, then send again (even a POST). */
  async function rateLimited(
    info: PartooRequestInfo,
    result: { status: number; body: unknown; retryAfter?: string },
    count: number,
  ): Promise<void> {
    counters.rateLimited++;
    if (count > retries.maxRateLimitWaits) {
      throw errors.http(
        info,
        429,
        result.body,
        ` (after waiting ${retries.maxRateLimitWaits} times)`,
      );
    }
    const wait =
      parseRetryAfter(result.retryAfter, now()) ??
      Math.max(1000, backoffDelay(count - 1, retries, options.random));
    if (wait > retries.maxRetryAfterMs) {
      const note = ` (Retry-After asks for ${seconds(wait)}, more than ${seconds(retries.maxRetryAfterMs)})`;
      throw errors.http(info, 429, result.body, note);
    }
    // Paused before the line is logged: a request made from then on waits too.
    pacer.pauseUntil(now() + wait);
    log(
      `Partoo ${info.method} ${info.path}: 429 rate limited; pausing every request for ${seconds(wait)}`,
    );
    counters.retries++;
  }

  return {
    send,
    get stats(): ClientStats {
      return { ...counters, requests: { ...counters.requests } };
    },
    close: () => {
      // Requests still waiting or in flight belong to a run that is over: end them now.
      lifetime.abort(new Error("the Partoo client was closed"));
      return (closing ??= pool.close().then(() => undefined));
    },
  };
}

function retriedNote(retries: number): string {
  return retries === 0 ? "" : ` (after ${retries} ${retries === 1 ? "retry" : "retries"})`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
