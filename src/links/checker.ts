/**
 * The link checker of a run: one fetch per distinct URL, bounded concurrency overall and per
 * host, one HTTP agent whose sockets are destroyed at the end (a server that never answers
 * must not keep the process alive).
 */
import { Agent, type Dispatcher } from "undici";
import { AppError } from "../errors.js";
import { fetchLink, type LinkOutcome } from "./fetch-link.js";
import { createHostScheduler } from "./scheduler.js";

export const LINK_CONCURRENCY = 8;
export const LINK_CONCURRENCY_PER_HOST = 2;
export const MAX_REDIRECTS = 5;

export interface LinkCheckerOptions {
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly concurrency?: number;
  readonly perHost?: number;
  readonly maxRedirects?: number;
  /** Tests pass an agent that trusts their certificate; otherwise one is made and closed here. */
  readonly dispatcher?: Dispatcher;
  readonly signal?: AbortSignal;
}

export interface LinkChecker {
  /** The outcome of a URL; a URL asked for twice is fetched once. */
  check(url: string): Promise<LinkOutcome>;
  /** How many distinct URLs were fetched. */
  readonly fetched: number;
  close(): Promise<void>;
}

export function createLinkChecker(options: LinkCheckerOptions): LinkChecker {
  const owned = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connections: options.perHost ?? LINK_CONCURRENCY_PER_HOST,
    });
  const scheduler = createHostScheduler({
    concurrency: options.concurrency ?? LINK_CONCURRENCY,
    perHost: options.perHost ?? LINK_CONCURRENCY_PER_HOST,
  });
  const outcomes = new Map<string, Promise<LinkOutcome>>();
  const fetchOptions = {
    dispatcher,
    userAgent: options.userAgent,
    timeoutMs: options.timeoutMs,
    maxRedirects: options.maxRedirects ?? MAX_REDIRECTS,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };

  const check = (url: string): Promise<LinkOutcome> => {
    const parsed = new URL(url);
    parsed.hash = "";
    const key = parsed.href;
    let outcome = outcomes.get(key);
    if (outcome === undefined) {
      outcome = scheduler.run(parsed.host, async () => {
        if (isAborted(options.signal)) throw interrupted(options.signal?.reason);
        try {
          return await fetchLink(key, fetchOptions);
        } catch (error) {
          if (isAborted(options.signal)) throw interrupted(error);
          throw error;
        }
      });
      outcomes.set(key, outcome);
    }
    return outcome;
  };

  return {
    check,
    get fetched() {
      return outcomes.size;
    },
    async close() {
      if (owned) await dispatcher.destroy();
    },
  };
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function interrupted(cause: unknown): AppError {
  return new AppError("link check interrupted; run again to check the links", { cause });
}
