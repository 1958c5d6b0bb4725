/**
 * One HTTP exchange with Partoo: the request with the key in its header, under one deadline
 * for headers and body together (see bounded.ts), its body read up to the size cap, redacted
 * of the key and parsed. What went wrong is returned as data, for transport.ts to decide
 * whether to retry.
 */
import type { Pool } from "undici";
import { redactDeep } from "../redact.js";
import { AttemptAbort, readBounded, ResponseTooLargeError, type DeadlineError } from "./bounded.js";
import { networkErrorCode } from "./messages.js";
import { API_KEY_HEADER } from "./wire.js";

export type Attempt =
  | { kind: "response"; status: number; body: unknown; retryAfter?: string; bodyError?: unknown }
  | { kind: "network"; error: unknown; code: string | undefined }
  /** The caller's signal (or the client's end) aborted the request while it was in flight. */
  | { kind: "aborted"; reason: unknown };

export interface ExchangeOptions {
  readonly pool: Pool;
  /** The base URL's path, e.g. /v2, prefixed to every request path. */
  readonly basePath: string;
  readonly apiKey: string;
  readonly userAgent: string;
  readonly deadlineMs: number;
  readonly maxResponseBytes: number;
  readonly scrub: (text: string) => string;
  /** Aborted when the client stops or closes. */
  readonly lifetime: AbortSignal;
}

export interface ExchangeRequest {
  readonly method: "GET" | "POST";
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
}

export function createExchange(options: ExchangeOptions) {
  const { pool, apiKey, scrub } = options;
  return async function exchange(request: ExchangeRequest, path: string): Promise<Attempt> {
    const headers: Record<string, string> = {
      [API_KEY_HEADER]: apiKey,
      accept: "application/json",
      "user-agent": options.userAgent,
    };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const deadline = new AttemptAbort(options.deadlineMs, [request.signal, options.lifetime]);
    const interrupted = (error: unknown): Exclude<Attempt, { kind: "response" }> => {
      if (deadline.timedOut()) {
        return { kind: "network", error: deadline.reason as DeadlineError, code: undefined };
      }
      if (deadline.aborted) return { kind: "aborted", reason: deadline.reason };
      return { kind: "network", error, code: networkErrorCode(error) };
    };
    try {
      let response;
      try {
        response = await pool.request({
          method: request.method,
          path: `${options.basePath}${path}`,
          headers,
          body: request.body === undefined ? null : JSON.stringify(request.body),
          signal: deadline,
        });
      } catch (error) {
        return interrupted(error);
      }
      const retryAfter = response.headers["retry-after"];
      const result: Attempt = { kind: "response", status: response.statusCode, body: undefined };
      if (typeof retryAfter === "string") result.retryAfter = retryAfter;
      try {
        const text = await readBounded(
          response.body,
          options.maxResponseBytes,
          response.headers["content-length"],
        );
        // Redacted before parsing, and after it when \u escapes could have hidden a key.
        const parsed = parseBody(scrub(text));
        result.body = text.includes("\\u") ? redactDeep(parsed, scrub) : parsed;
      } catch (error) {
        const failed = interrupted(error);
        if (failed.kind === "aborted") return failed;
        result.bodyError = error instanceof ResponseTooLargeError ? error : failed.error;
      }
      return result;
    } finally {
      deadline.dispose();
    }
  };
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
  }
}
