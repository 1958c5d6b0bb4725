/**
 * Checking one URL the way a customer's browser would reach it: HEAD first (no body), GET
 * when HEAD is refused, redirects followed by hand (each hop is seen, at most a few), the
 * whole check under one deadline, and the body never read. A merchant's server is hostile
 * input: only its status code and Location header are used, never its text.
 */
import { STATUS_CODES } from "node:http";
import { request, type Dispatcher } from "undici";

export type LinkOutcome =
  /** The final answer is a success (2xx, 304). */
  | { readonly kind: "ok"; readonly finalUrl: string }
  /** 4xx/5xx (but 429), a network, DNS or TLS failure, a timeout, a bad redirect. */
  | { readonly kind: "broken"; readonly finalUrl: string; readonly reason: string }
  /** 429: the server asks to slow down; the link is not known to be broken. */
  | { readonly kind: "throttled"; readonly finalUrl: string };

export interface FetchLinkOptions {
  readonly dispatcher: Dispatcher;
  readonly userAgent: string;
  /** The whole check (HEAD, GET fallback, redirects) ends within this time. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** The run's signal: aborting it stops the check with an error, not a verdict. */
  readonly signal?: AbortSignal;
}

type Method = "HEAD" | "GET";

export async function fetchLink(url: string, options: FetchLinkOptions): Promise<LinkOutcome> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let current = withoutFragment(url);
  let method: Method = "HEAD";
  let redirects = 0;
  for (;;) {
    let answer: { status: number; location: string | undefined };
    try {
      answer = await send(current, method, options, signal);
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      if (deadline.aborted) {
        return broken(current, `no complete answer within ${seconds(options.timeoutMs)}`);
      }
      const failure = describeFailure(error);
      // Some servers drop the connection on HEAD instead of answering it.
      if (method === "HEAD" && failure.retryWithGet) {
        method = "GET";
        continue;
      }
      return broken(current, failure.reason);
    }
    const { status, location } = answer;
    if (status >= 300 && status < 400 && status !== 304) {
      const next = redirectTarget(current, status, location);
      if (typeof next !== "string") return broken(current, next.reason);
      if (++redirects > options.maxRedirects) {
        return broken(current, `more than ${options.maxRedirects} redirects`);
      }
      current = next;
      continue;
    }
    if (status === 429) return { kind: "throttled", finalUrl: current };
    if (status >= 400) {
      // HEAD is refused or mishandled by many servers (405, 501, or a 403/404 from a
      // firewall or a router that only knows GET): only a GET's answer condemns a link.
      if (method === "HEAD") {
        method = "GET";
        continue;
      }
      return broken(current, `answered ${describeStatus(status)}`);
    }
    return { kind: "ok", finalUrl: current };
  }
}

async function send(
  url: string,
  method: Method,
  options: FetchLinkOptions,
  signal: AbortSignal,
): Promise<{ status: number; location: string | undefined }> {
  const response = await request(url, {
    method,
    dispatcher: options.dispatcher,
    signal,
    headers: {
      "user-agent": options.userAgent,
      accept: "text/html,application/xhtml+xml,*/*;q=0.8",
    },
  });
  // The status and headers are the answer: the body is never downloaded.
  response.body.on("error", () => undefined);
  response.body.destroy();
  const location = response.headers["location"];
  return {
    status: response.statusCode,
    location: Array.isArray(location) ? location[0] : location,
  };
}

function redirectTarget(
  current: string,
  status: number,
  location: string | undefined,
): string | { reason: string } {
  if (location === undefined || location.trim() === "") {
    return { reason: `answered ${describeStatus(status)} without saying where to (no Location)` };
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return { reason: `answered ${describeStatus(status)} towards an invalid address` };
  }
  if (next.protocol !== "https:" && next.protocol !== "http:") {
    return { reason: `redirects to a ${next.protocol} address, which is not a web page` };
  }
  return withoutFragment(next.href);
}

/** The fragment is never sent; the credentials of a URL are never followed or shown. */
function withoutFragment(url: string): string {
  const parsed = new URL(url);
  parsed.hash = "";
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

function broken(finalUrl: string, reason: string): LinkOutcome {
  return { kind: "broken", finalUrl, reason };
}

export function describeStatus(status: number): string {
  const text = STATUS_CODES[status];
  return text === undefined ? `HTTP ${status}` : `${status} ${text}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO|HOSTNAME|ALTNAME/;

/** A network failure in words, from its code only (the error's text may quote the server). */
export function describeFailure(error: unknown): { reason: string; retryWithGet: boolean } {
  const code = errorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return { reason: "connection refused (ECONNREFUSED)", retryWithGet: false };
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return { reason: `host name not found (DNS, ${code})`, retryWithGet: false };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return { reason: `network unreachable (${code})`, retryWithGet: false };
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return { reason: `connection closed by the server (${code})`, retryWithGet: true };
    case undefined:
      return { reason: "could not be fetched", retryWithGet: false };
  }
  if (TLS_CODE.test(code)) return { reason: `TLS failed (${code})`, retryWithGet: false };
  if (code.startsWith("HPE_")) {
    return { reason: `the answer is not valid HTTP (${code})`, retryWithGet: true };
  }
  return { reason: `could not be fetched (${code})`, retryWithGet: false };
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z0-9_]{2,60}$/.test(code)) return code;
    // Node's happy-eyeballs connect reports an AggregateError of per-address errors.
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = nested ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}
