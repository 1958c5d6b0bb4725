/**
 * The emulated Partoo rate limit: at most N requests per rolling window per API key
 * (Partoo documents 300 per minute). Rolling windows are the strictest kind a server can
 * count with: a client that passes them passes fixed windows too.
 */
export class RollingRateLimit {
  readonly limit: number;
  readonly #windowMs: number;
  readonly #seen = new Map<string, number[]>();

  /** `perMinute` requests per minute, counted over windows of `windowMs` (the limit scales with it). */
  constructor(perMinute: number, windowMs = 60_000) {
    this.#windowMs = windowMs;
    this.limit =
      perMinute === Infinity ? Infinity : Math.max(1, Math.floor((perMinute * windowMs) / 60_000));
  }

  /** Counts a request at `now`; undefined when allowed, else the ms until one will be. Refused requests do not count. */
  take(key: string, now: number): number | undefined {
    if (this.limit === Infinity) return undefined;
    const times = this.#seen.get(key) ?? [];
    while (times.length > 0 && times[0]! <= now - this.#windowMs) times.shift();
    this.#seen.set(key, times);
    if (times.length >= this.limit) return times[0]! + this.#windowMs - now;
    times.push(now);
    return undefined;
  }
}
