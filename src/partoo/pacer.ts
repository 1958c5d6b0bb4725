/**
 * Client-wide pacing. Partoo counts requests per minute per organization and answers 429
 * past the limit; it publishes no rate headers, so the client paces itself: requests leave
 * evenly spaced (at most `burst` back to back), slightly under the configured rate so that
 * network jitter between our clock and the server's count never spills over a window edge.
 * A 429 pauses every request of the client, not just the one that met it.
 */

/** Sleeps `ms`; rejects when `signal` aborts. Injected so that tests run on a fake clock. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** We aim at this share of the configured rate (300/min → 285/min). */
export const PACING_HEADROOM = 0.95;

/** How many intervals of timer lateness the schedule absorbs (see takeTurn). */
const CATCH_UP = 1;

export interface PacerOptions {
  /** The server's limit; Infinity disables pacing. */
  readonly requestsPerMinute: number;
  /** How many requests may leave back to back after an idle time (default 1: strictly even). */
  readonly burst?: number;
  readonly now: () => number;
  readonly sleep: Sleep;
}

export interface Pacer {
  /**
   * Waits for this caller's turn and takes it. Turns are given one at a time in call order,
   * one interval apart (after a late timer, two may leave back to back; an idle time
   * or a long stall never causes a catch-up burst). Resolves with the time waited; rejects with the signal's
   * reason when aborted.
   */
  acquire(signal?: AbortSignal): Promise<number>;
  /** Takes a turn if one is due now and nobody waits for one; otherwise takes nothing. */
  tryAcquire(): boolean;
  /** Holds every turn until `until` (a 429's Retry-After). Extends a pause, never shortens it. */
  pauseUntil(until: number): void;
  /** The gap between two turns, in ms. */
  readonly intervalMs: number;
}

export function createPacer(options: PacerOptions): Pacer {
  const { now, sleep } = options;
  const burst = Math.max(1, Math.floor(options.burst ?? 1));
  const intervalMs =
    options.requestsPerMinute === Infinity
      ? 0
      : 60_000 / (options.requestsPerMinute * PACING_HEADROOM);
  // GCRA: `theoretical` is when the next request would be due at the steady rate.
  let theoretical = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  function dueAt(): number {
    return Math.max(pausedUntil, theoretical - (burst - 1) * intervalMs);
  }

  async function takeTurn(signal: AbortSignal | undefined): Promise<void> {
    let slept = false;
    for (;;) {
      signal?.throwIfAborted();
      const time = now();
      const due = dueAt();
      if (time >= due) {
        // A timer that woke us late by up to CATCH_UP intervals keeps the schedule (timers
        // overshoot, more so on a busy machine, which would otherwise cost 10 % or more at high
        // rates): at most CATCH_UP + 1 requests then leave back to back. After an idle time or
        // a longer stall the schedule restarts from now, so nothing catches up in a burst.
        const onSchedule = slept && time - due <= CATCH_UP * intervalMs;
        theoretical = Math.max(theoretical, onSchedule ? due : time) + intervalMs;
        return;
      }
      await sleep(due - time, signal);
      slept = true;
    }
  }

  return {
    intervalMs,
    async acquire(signal) {
      const start = now();
      waiting++;
      const turn = queue.then(() => takeTurn(signal)).finally(() => waiting--);
      queue = turn.catch(() => undefined);
      await raceAbort(turn, signal);
      return now() - start;
    },
    tryAcquire() {
      const time = now();
      if (waiting > 0 || time < dueAt()) return false;
      theoretical = Math.max(theoretical, time) + intervalMs;
      return true;
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until);
      theoretical = Math.max(theoretical, until);
    },
  };
}

/** Rejects as soon as `signal` aborts, without waiting for `promise` (whose turn then skips). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Bounds how many requests are in flight at once; waiters are served in call order. */
export interface Slots {
  acquire(signal?: AbortSignal): Promise<void>;
  /** Takes a slot if one is free and nobody waits for one; otherwise takes nothing. */
  tryAcquire(): boolean;
  release(): void;
}

export function createSlots(limit: number): Slots {
  let free = Math.max(1, Math.floor(limit));
  const waiters: Array<() => void> = [];
  return {
    acquire(signal) {
      if (free > 0 && waiters.length === 0) {
        free--;
        return Promise.resolve();
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = waiters.indexOf(grant);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason);
        };
        waiters.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    tryAcquire() {
      if (free === 0 || waiters.length > 0) return false;
      free--;
      return true;
    },
    release() {
      const next = waiters.shift();
      if (next === undefined) free++;
      else next();
    },
  };
}
