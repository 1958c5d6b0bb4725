/**
 * When to stop calling Partoo altogether (issue 19): a refused key fails every request the
 * same way, an unreachable host or a base URL without /v2 fails every store the same way.
 * Going on would only print one failure (and its retries) per store for minutes. The breaker
 * watches what the client sees and, once it knows, holds one error that the request which
 * showed it and every later request fail with, without being sent.
 */
import { PartooStoppedError, type PartooHttpError } from "./errors.js";
import { isObject } from "./wire.js";

/** Connection failures in a row, before any answer at all, that mean "unreachable". */
export const UNREACHABLE_AFTER = 4;
/** Businesses in a row that answered 404, before any success, that mean "wrong URL". */
export const WRONG_URL_AFTER = 8;

export interface Breaker {
  /** The error every request now fails with, once tripped. */
  readonly stopped: PartooStoppedError | undefined;
  /** Whether the server ever answered (any status): until then a connection failure may be the URL. */
  readonly reached: boolean;
  /** Throws the stop error when tripped. */
  check(): void;
  /**
   * A response arrived. `error` builds the request's own error (only called for error
   * statuses); the result is the stop error when this response tripped the breaker.
   */
  response(
    status: number,
    body: unknown,
    route: { hasAddress: boolean },
    error: () => PartooHttpError,
  ): PartooStoppedError | undefined;
  /** A request that never reached the server (ECONNREFUSED, ENOTFOUND, connect timeout…). */
  connectFailure(code: string | undefined, cause: unknown): PartooStoppedError | undefined;
}

/** `baseUrl` is shown in messages: it must already be redacted. */
export function createBreaker(baseUrl: string): Breaker {
  let stopped: PartooStoppedError | undefined;
  let answered = false;
  let succeeded = false;
  let connectFailures = 0;
  let notFound = 0;
  const check = `check --api-url / PARTOO_API_URL`;
  const trip = (error: PartooStoppedError) => (stopped ??= error);

  return {
    get stopped() {
      return stopped;
    },
    get reached() {
      return answered;
    },
    check() {
      if (stopped !== undefined) throw stopped;
    },
    response(status, body, route, error) {
      answered = true;
      connectFailures = 0;
      if (status >= 200 && status < 300) {
        succeeded = true;
        notFound = 0;
        return undefined;
      }
      if (status === 401 || (status === 403 && saysUnauthenticated(body))) {
        const cause = error();
        return trip(new PartooStoppedError(cause.message, { reason: "key-refused", cause }));
      }
      if (status !== 404) {
        notFound = 0;
        return undefined;
      }
      if (succeeded) return undefined;
      // A route without a business (the search) never answers 404 at the right URL.
      if (route.hasAddress && ++notFound < WRONG_URL_AFTER) return undefined;
      const what = route.hasAddress
        ? `every store answered 404 (the first ${notFound} read)`
        : "the business search answered 404";
      return trip(
        new PartooStoppedError(
          `Partoo at ${baseUrl}: ${what}: is the URL right? It ends in /v2, e.g. https://api.partoo.co/v2; ${check}`,
          { reason: "wrong-url", cause: error() },
        ),
      );
    },
    connectFailure(code, cause) {
      if (answered || ++connectFailures < UNREACHABLE_AFTER) return undefined;
      return trip(
        new PartooStoppedError(
          `cannot reach Partoo at ${baseUrl} (${code ?? "no connection"}); ${check}, and the network`,
          { reason: "unreachable", cause },
        ),
      );
    },
  };
}

/** A 403 whose error names authentication (not authorization): the key itself was refused. */
function saysUnauthenticated(body: unknown): boolean {
  if (!isObject(body)) return false;
  const root = body["error"] ?? body["errors"];
  return isObject(root) && Object.hasOwn(root, "authentication");
}
