/**
 * The errors of the Partoo client. Each carries a one-line message (what was asked of
 * Partoo, what went wrong, what to do), the request with a redacted URL, and `cause`.
 * Modelled on octokit's RequestError. The API key travels in a header and headers are
 * never copied into an error; messages and bodies are also scrubbed of the key in case a
 * server echoes it.
 */
import { AppError } from "../errors.js";
import { createRedactor } from "../redact.js";

export interface PartooRequestInfo {
  readonly method: string;
  /** The full URL with credentials and secret-looking query values removed. */
  readonly url: string;
  /** The route relative to the base URL, as shown in messages, e.g. /business/c-paris-01. */
  readonly path: string;
  /** The business address (`c-{code}` or an id) when the route has one. */
  readonly address?: string;
}

export interface PartooResponseInfo {
  readonly status: number;
  /** Parsed JSON when the body was JSON, else its text (scrubbed of the key). */
  readonly body: unknown;
}

/** Partoo answered with an error status (or a 2xx whose body is not what was documented). */
export class PartooHttpError extends AppError {
  readonly status: number;
  /** Partoo's own message, from `error` or `errors`, flattened to one line. */
  readonly partooMessage: string | undefined;
  readonly request: PartooRequestInfo;
  readonly response: PartooResponseInfo;

  constructor(
    message: string,
    fields: {
      request: PartooRequestInfo;
      response: PartooResponseInfo;
      partooMessage?: string;
      cause?: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.status = fields.response.status;
    this.partooMessage = fields.partooMessage;
    this.request = fields.request;
    this.response = fields.response;
  }
}

/** No HTTP response: the host could not be reached, the connection broke, or it timed out. */
export class PartooNetworkError extends AppError {
  readonly host: string;
  /** The system or undici error code, e.g. ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT. */
  readonly code: string | undefined;
  readonly request: PartooRequestInfo;

  constructor(
    message: string,
    fields: { host: string; code?: string; request: PartooRequestInfo; cause: unknown },
  ) {
    super(message, { cause: fields.cause });
    this.host = fields.host;
    this.code = fields.code;
    this.request = fields.request;
  }
}

/**
 * A POST was sent and we cannot know whether Partoo applied it (timeout, reset, 5xx).
 * It is never re-sent as is: creates are not idempotent. Read the links again and re-plan.
 * `cause` is the PartooHttpError or PartooNetworkError that was met.
 */
export class WriteOutcomeUnknownError extends AppError {
  readonly request: PartooRequestInfo;

  constructor(message: string, fields: { request: PartooRequestInfo; cause: unknown }) {
    super(message, { cause: fields.cause });
    this.request = fields.request;
  }
}

/**
 * The caller's signal (or closing the client) stopped a request while it waited (pacing,
 * Retry-After, backoff), or a read in flight: nothing was changed. A write stopped in
 * flight is a WriteOutcomeUnknownError instead.
 */
export class PartooAbortedError extends AppError {
  readonly request: PartooRequestInfo;

  constructor(message: string, fields: { request: PartooRequestInfo; cause: unknown }) {
    super(message, { cause: fields.cause });
    this.request = fields.request;
  }
}

/**
 * Why a client stopped: the key was refused, the API cannot be reached at its URL, or the
 * URL answers 404 for every business (no /v2?).
 */
export type PartooStopReason = "key-refused" | "unreachable" | "wrong-url";

/**
 * The client stopped for good: the request that showed it and every later one fail with
 * this one error, without a request being sent, so that a command reports one line instead
 * of one failure (and retries) per store. `cause` is the error that tripped it.
 */
export class PartooStoppedError extends AppError {
  readonly reason: PartooStopReason;

  constructor(message: string, fields: { reason: PartooStopReason; cause: unknown }) {
    super(message, { cause: fields.cause });
    this.reason = fields.reason;
  }
}

/** Removes the key, in any of its encoded forms, from a text bound for a message or a log line. */
export function scrubSecret(text: string, secret: string): string {
  return createRedactor([secret])(text);
}

const SECRET_QUERY = /key|token|secret|password|signature|auth/i;

export function redactUrl(raw: string): string {
  const url = new URL(raw);
  url.username = "";
  url.password = "";
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_QUERY.test(name)) url.searchParams.set(name, "REDACTED");
  }
  return url.toString();
}
