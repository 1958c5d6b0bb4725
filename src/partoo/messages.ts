/**
 * The one-line messages of the client's errors: Partoo's own message read from its error
 * body, what to do for each status, what happened on the network, and the factory that
 * turns a failed request into one of the typed errors of errors.ts.
 */
import { STATUS_CODES } from "node:http";
import {
  PartooAbortedError,
  PartooHttpError,
  PartooNetworkError,
  WriteOutcomeUnknownError,
  type PartooRequestInfo,
} from "./errors.js";
import { isObject } from "./wire.js";
import { codeOfAddress } from "../core/model.js";

/**
 * Partoo's message from an error body: `{"error": …}` or `{"errors": …}`, where the value may
 * be a string or nested objects and lists (`{"json": {"0": {"urls": ["…"]}}}`). The first
 * level names a category (json, authentication, authorization) and is dropped; deeper keys
 * become a dotted path in front of their message.
 */
export function partooMessage(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const root = body["error"] ?? body["errors"];
  if (root === undefined || root === null) return undefined;
  const parts: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (parts.length >= 5) return;
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, path));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    } else if (value !== null && value !== undefined && String(value).trim() !== "") {
      parts.push(path ? `${path}: ${String(value)}` : String(value));
    }
  };
  if (isObject(root)) {
    for (const value of Object.values(root)) walk(value, "");
  } else {
    walk(root, "");
  }
  const text = parts.join("; ").replace(/\s+/g, " ").trim();
  if (text === "") return undefined;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * DOCUMENTED (by Google): the codes Partoo may pass on in a 400 when Google refuses a link,
 * each with what to do in plain words. How Partoo spells them in its error body is not
 * documented: a code found anywhere in the message counts.
 */
const GOOGLE_HINTS: ReadonlyMap<string, (type: string, file: string) => string> = new Map([
  [
    "INVALID_LOCATION_CATEGORY",
    (type, file) => `Google refuses ${type} for this store's category; remove it from ${file}`,
  ],
  [
    "TOO_MANY_VALUES",
    (type, file) =>
      `Google refuses this many links of ${type} for one store; keep fewer in ${file}`,
  ],
  [
    "INVALID_URL",
    (type, file) =>
      `Google refuses a URL of ${type} (links must lead to a page of the merchant or of this store); fix it in ${file}`,
  ],
  [
    "URL_PROVIDER_NOT_ALLOWED",
    (type, file) =>
      `Google does not accept this provider's links for ${type}; use another URL in ${file}`,
  ],
  [
    "LINK_ALREADY_EXISTS",
    (type, file) =>
      `Google already has this link of ${type} for the store (perhaps from another provider); remove it from ${file} or from the other source`,
  ],
  [
    "SCALABLE_DEEP_LINK_INVALID_MULTIPLICITY",
    (type, file) =>
      `Google allows one link per domain in ${type}; keep one link per host in ${file}`,
  ],
  [
    "UNVERIFIED_LOCATION",
    (_type, file) =>
      `Google refuses links for a store not verified on Google Business Profile; verify it in Google, then apply ${file} again`,
  ],
]);

export const GOOGLE_ERROR_CODES: readonly string[] = [...GOOGLE_HINTS.keys()];

export interface GoogleRefusal {
  readonly code: string;
  /** The type refused, when the message names one of the types sent (or only one was sent). */
  readonly type?: string;
}

/** Google's refusal in a 400 body, if the message carries one of its codes. */
export function googleRefusalOf(
  body: unknown,
  sentTypes: readonly string[] = [],
): GoogleRefusal | undefined {
  const message = partooMessage(body);
  if (message === undefined) return undefined;
  const named = (word: string) => new RegExp(`(?<![A-Z0-9_])${word}(?![A-Z0-9_])`).test(message);
  const code = GOOGLE_ERROR_CODES.find(named);
  if (code === undefined) return undefined;
  const type = sentTypes.find(named) ?? (sentTypes.length === 1 ? sentTypes[0] : undefined);
  return type === undefined ? { code } : { code, type };
}

/** What to do about a refusal of Google's, naming the store file. */
export function googleRefusalHint(refusal: GoogleRefusal, file = "the store file"): string {
  const hint = GOOGLE_HINTS.get(refusal.code)!;
  return `${refusal.code}: ${hint(refusal.type ?? "one of the types sent", file)}`;
}

/**
 * A POST refused by Google, said for one store: the code, the type and the store file in
 * the one-line message, so that every renderer shows it as it is. Other errors pass through.
 */
export function nameGoogleRefusal(
  error: unknown,
  context: { readonly types: readonly string[]; readonly file?: string },
): unknown {
  if (!(error instanceof PartooHttpError) || error.status !== 400) return error;
  const refusal = googleRefusalOf(error.response.body, context.types);
  if (refusal === undefined) return error;
  const what = refusal.type === undefined ? "a link" : refusal.type;
  return new PartooHttpError(
    `Partoo ${error.request.method} ${error.request.path}: 400 Google refused ${what}: ${googleRefusalHint(refusal, context.file)}`,
    {
      request: error.request,
      response: error.response,
      ...(error.partooMessage === undefined ? {} : { partooMessage: error.partooMessage }),
      cause: error,
    },
  );
}

/** What to do about an HTTP error status: the last part of the one-line message. */
export function httpErrorHint(
  status: number,
  request: Pick<PartooRequestInfo, "method" | "address">,
): string | undefined {
  const code = request.address === undefined ? undefined : codeOfAddress(request.address);
  switch (status) {
    case 400:
      return request.method === "POST"
        ? "Partoo refused these links; check the types and URLs in the store file (one preferred link per type, no URL twice)"
        : "Partoo refused the request";
    case 401:
      return "the API key was refused; check PARTOO_API_KEY";
    case 403:
      return code !== undefined
        ? "the key's role cannot do this (a PROVIDER key cannot address a store by its code): set business_id in the store file, or use an ORG_ADMIN, GROUP_MANAGER or BUSINESS_MANAGER key"
        : "the key's role cannot do this; use a key with access to this business";
    case 404:
      if (code !== undefined)
        return `no business with code ${code}; check the code or set business_id`;
      if (request.address !== undefined) {
        return `no business with id ${request.address}; check business_id in the store file`;
      }
      return "check the API URL (--api-url or PARTOO_API_URL)";
    case 415:
      return "Partoo refused the request's Content-Type; this is a bug in partoo-links, please report it";
    case 429:
      return "Partoo's rate limit; lower --rate-limit or try again later";
    default:
      return status >= 500 ? "Partoo is failing; try again later" : undefined;
  }
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? "HTTP error";
}

/** The error codes that mean the request never left this machine: safe to send again, even a POST. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export function networkErrorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown } | null)?.code;
  if (typeof direct === "string") return direct;
  // Node's happy-eyeballs connect reports an AggregateError of per-address errors.
  const first = (error as { errors?: unknown[] } | null)?.errors?.[0];
  const nested = (first as { code?: unknown } | undefined)?.code;
  return typeof nested === "string" ? nested : undefined;
}

export function wasNeverSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** "connection refused", "no response within 30 s", … for a network error code. */
export function describeNetworkFailure(
  code: string | undefined,
  error: unknown,
  timeouts: Timeouts,
): string {
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (ECONNREFUSED)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host not found (${code})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `network unreachable (${code})`;
    case "UND_ERR_CONNECT_TIMEOUT":
      return `no connection within ${seconds(timeouts.connectMs)} (connect timeout)`;
    case "UND_ERR_HEADERS_TIMEOUT":
      return `no response within ${seconds(timeouts.headersMs)} (headers timeout)`;
    case "UND_ERR_BODY_TIMEOUT":
      return `the response stalled for ${seconds(timeouts.bodyMs)} (body timeout)`;
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
      return `the connection was closed before a complete response (${code})`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return code === undefined ? message : `${message} (${code})`;
    }
  }
}

export interface Timeouts {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
}

export interface NetworkFailure {
  readonly error: unknown;
  readonly code: string | undefined;
}

/** Builds the client's errors; every message goes through `scrub` (the key never shows). */
export function createErrorFactory(context: {
  host: string;
  timeouts: Timeouts;
  scrub: (text: string) => string;
}) {
  const { host, timeouts, scrub } = context;
  const start = (info: PartooRequestInfo) => `Partoo ${info.method} ${info.path}`;
  const what = (failure: NetworkFailure) =>
    scrub(describeNetworkFailure(failure.code, failure.error, timeouts));
  return {
    http(info: PartooRequestInfo, status: number, body: unknown, note = "", cause?: unknown) {
      const message = partooMessage(body);
      const google = status === 400 ? googleRefusalOf(body) : undefined;
      const hint = google === undefined ? httpErrorHint(status, info) : googleRefusalHint(google);
      const text = `${start(info)}: ${status} ${message ?? statusText(status)}${note}${hint ? `: ${hint}` : ""}`;
      return new PartooHttpError(scrub(text), {
        request: info,
        response: { status, body },
        ...(message === undefined ? {} : { partooMessage: scrub(message) }),
        cause,
      });
    },
    network(info: PartooRequestInfo, failure: NetworkFailure, note = "") {
      const todo = wasNeverSent(failure.code)
        ? "check --api-url or PARTOO_API_URL, and the network"
        : "try again later";
      return new PartooNetworkError(`${start(info)}: ${host}: ${what(failure)}${note}; ${todo}`, {
        host,
        ...(failure.code === undefined ? {} : { code: failure.code }),
        request: info,
        cause: failure.error,
      });
    },
    outcomeUnknown(info: PartooRequestInfo, happened: string, cause: unknown) {
      return new WriteOutcomeUnknownError(
        `${start(info)}: outcome unknown (${happened}); the links may or may not have changed: read them again before sending anything else`,
        { request: info, cause },
      );
    },
    aborted(info: PartooRequestInfo, reason: unknown) {
      return new PartooAbortedError(`${start(info)}: not sent, the run was stopped`, {
        request: info,
        cause: reason,
      });
    },
    /** "connection refused (ECONNREFUSED)", "no response within 30 s (headers timeout)", … */
    what,
  };
}
