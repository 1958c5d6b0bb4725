/**
 * The Partoo API as the rest of the program sees it: read and write the place action links
 * of a business, find businesses. Requests, pacing, retries and errors are in transport.ts;
 * Partoo's shapes and routes are in wire.ts. The entry point creates one client per run
 * with the key it read from PARTOO_API_KEY and passes it in.
 */
import { setTimeout as delay } from "node:timers/promises";
import { checkApiBaseUrl } from "../base-url.js";
import type { LiveLinks, TypeWrite } from "../core/model.js";
import { UsageError } from "../errors.js";
import { MIN_SECRET_LENGTH } from "../redact.js";
import { packageVersion } from "../package-info.js";
import { PartooHttpError, redactUrl, type PartooRequestInfo } from "./errors.js";
import type { Sleep } from "./pacer.js";
import { DEFAULT_RETRIES, type RetryOptions } from "./retry.js";
import { DEFAULT_CONCURRENCY, DEFAULT_RATE_LIMIT_PER_MINUTE } from "./defaults.js";
import {
  createTransport,
  type ClientStats,
  type Timeouts,
  type WireRequest,
  type WireResponse,
} from "./transport.js";
import {
  BUSINESS_STATUSES,
  ROUTES,
  WireShapeError,
  checkSearchComplete,
  searchQuery,
  setLinksBody,
  toLiveLinks,
  toSearchPage,
  type Business,
} from "./wire.js";

export type { Business } from "./wire.js";
export type { ClientStats, Timeouts } from "./transport.js";
export type { RetryOptions } from "./retry.js";
export {
  PartooAbortedError,
  PartooHttpError,
  PartooNetworkError,
  PartooStoppedError,
  WriteOutcomeUnknownError,
} from "./errors.js";
export type { PartooStopReason } from "./errors.js";

export interface RequestOptions {
  /**
   * Aborts waiting (pacing, Retry-After, backoff) and the request in flight: a read then fails
   * as aborted, a write as outcome unknown (it may have been applied: read before re-sending).
   */
  readonly signal?: AbortSignal;
}

export interface PartooApi {
  getLinks(address: string, options?: RequestOptions): Promise<LiveLinks>;
  /** Sends the complete list of each given type; types not given are untouched. No writes: no request. */
  setLinks(address: string, writes: readonly TypeWrite[], options?: RequestOptions): Promise<void>;
  /** Every page, every status unless `statuses` narrows it. */
  searchBusinesses(
    filter?: { code?: string; statuses?: readonly string[] },
    options?: RequestOptions,
  ): Promise<Business[]>;
  /** A snapshot of the counters at the time of reading. */
  readonly stats: ClientStats;
  close(): Promise<void>;
}

export interface PartooClientOptions {
  /** e.g. https://api.partoo.co/v2 */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The server's limit in requests per minute (default 300); the client stays under it. Infinity: no pacing. */
  readonly rateLimitPerMinute?: number;
  /** Requests that may leave back to back after an idle time (default 1: evenly spaced). */
  readonly burst?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  readonly timeouts?: Partial<Timeouts>;
  /** One attempt, headers and body together, ends after this (default 60 s). */
  readonly deadlineMs?: number;
  /** A longer response body fails the request (default 8 MiB). */
  readonly maxResponseBytes?: number;
  readonly retries?: Partial<RetryOptions>;
  /** Receives one line per retry or pause (never the key). */
  readonly logger?: (line: string) => void;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  readonly random?: () => number;
}

export { DEFAULT_CONCURRENCY, DEFAULT_RATE_LIMIT_PER_MINUTE };
/** undici checks the headers and body timeouts about every half second: they fire up to ~1 s late. */
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };
/**
 * undici's timeouts are per chunk: a server trickling a byte a second never trips them. This
 * bounds one attempt as a whole; a healthy Partoo answers in well under a second.
 */
export const DEFAULT_DEADLINE_MS = 60_000;
/** The largest body Partoo sends is a search page of 100 businesses: far below this. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** A guard against a server whose max_page never ends. */
const MAX_SEARCH_PAGES = 10_000;

const defaultSleep: Sleep = (ms, signal) =>
  delay(ms, undefined, signal === undefined ? undefined : { signal });

export function createPartooClient(options: PartooClientOptions): PartooApi {
  checkKey(options.apiKey);
  const baseUrl = checkBaseUrl(options.baseUrl);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const transport = createTransport({
    baseUrl,
    apiKey: options.apiKey,
    rateLimitPerMinute: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    burst: options.burst ?? 1,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    timeouts,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    retries: { ...DEFAULT_RETRIES, ...options.retries },
    userAgent: `partoo-links/${packageVersion()}`,
    logger: options.logger,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  });

  /** Sends, then maps the body; a body that is not in the documented shape is a clear error. */
  async function read<T>(request: WireRequest, map: (body: unknown) => T): Promise<T> {
    const response = await transport.send(request);
    try {
      return map(response.body);
    } catch (error) {
      if (!(error instanceof WireShapeError)) throw error;
      throw unexpectedShape(request, response, error, baseUrl);
    }
  }

  return {
    getLinks(address, requestOptions = {}) {
      const route = ROUTES.links(checkAddress(address));
      return read({ method: "GET", route, address, signal: requestOptions.signal }, toLiveLinks);
    },
    async setLinks(address, writes, requestOptions = {}) {
      const route = ROUTES.links(checkAddress(address));
      if (writes.length === 0) return;
      const body = setLinksBody(writes);
      await transport.send({ method: "POST", route, address, body, signal: requestOptions.signal });
    },
    async searchBusinesses(filter = {}, requestOptions = {}) {
      const statuses = filter.statuses ?? BUSINESS_STATUSES;
      const found = new Map<string, Business>();
      let count = 0;
      let pages = 0;
      for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
        const query = searchQuery({
          ...(filter.code === undefined ? {} : { code: filter.code }),
          statuses,
          page,
        });
        const result = await read(
          { method: "GET", route: ROUTES.search, query, signal: requestOptions.signal },
          toSearchPage,
        );
        // Pages may shift while we walk them (a business added meanwhile): keep each id once.
        for (const business of result.businesses) found.set(business.id, business);
        count = Math.max(count, result.count);
        pages = page;
        if (page >= result.maxPage || result.businesses.length === 0) break;
      }
      checkSearchComplete(found.size, count, pages);
      return [...found.values()];
    },
    get stats() {
      return transport.stats;
    },
    close: () => transport.close(),
  };
}

function unexpectedShape(
  request: WireRequest,
  response: WireResponse,
  error: WireShapeError,
  baseUrl: string,
): PartooHttpError {
  const path = request.route + (request.query ? `?${request.query}` : "");
  const info: PartooRequestInfo = {
    method: request.method,
    url: redactUrl(`${baseUrl}${path}`),
    path,
    ...(request.address === undefined ? {} : { address: request.address }),
  };
  return new PartooHttpError(
    `Partoo ${request.method} ${path}: ${response.status} but the response is not in the documented shape (${error.message}); the API may have changed: please report it`,
    { request: info, response, cause: error },
  );
}

function checkKey(key: string): void {
  // Never echo the key: it may be a real one pasted wrongly.
  if (key === "") throw new UsageError("PARTOO_API_KEY is empty; set it to your Partoo API key");
  if (key.length < MIN_SECRET_LENGTH) {
    // A short value cannot be redacted by value without mangling ordinary words.
    throw new UsageError(
      `PARTOO_API_KEY is ${key.length} characters long; Partoo keys are longer (at least ${MIN_SECRET_LENGTH}): copy the key again from Partoo`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError(
      "PARTOO_API_KEY contains spaces or characters that cannot be sent in a header; copy the key again from Partoo",
    );
  }
}

function checkBaseUrl(raw: string): string {
  return checkApiBaseUrl(raw, "Partoo API URL", "https://api.partoo.co/v2");
}

function checkAddress(address: string): string {
  if (address === "") throw new TypeError("a business address is an id or c-{code}, never empty");
  return address;
}
