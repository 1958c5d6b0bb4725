/**
 * Fault injection for the emulator: latency, slow responses, 5xx, 429 bursts, and POSTs
 * that are applied but whose response is lost. Each fault is either "the next N matching
 * requests" (exact, for tests) or a probability drawn from a seeded PRNG (reproducible
 * demos). Settable at start, by `emulator.setFaults(...)` at run time, and by CLI flags.
 */

export interface Faults {
  /** Every response is delayed by this many ms, plus up to `latencyJitterMs`. */
  readonly latencyMs?: number;
  readonly latencyJitterMs?: number;
  /** The next N matching requests answer `slowMs` late (default 10 s): client timeouts. A POST is applied first. */
  readonly slowNext?: number;
  readonly slowMs?: number;
  /** 5xx (`serverErrorStatus`, default 503) before the request is processed: nothing is applied. */
  readonly serverErrorRate?: number;
  readonly serverErrorNext?: number;
  readonly serverErrorStatus?: number;
  /** 429 with Retry-After before the request is processed (a burst from other clients of the key). */
  readonly rateLimitRate?: number;
  readonly rateLimitNext?: number;
  /** A POST that succeeds is applied, then its response is lost: the socket is destroyed, or a 502 is sent. */
  readonly loseResponseRate?: number;
  readonly loseResponseNext?: number;
  readonly loseResponseAs?: "reset" | "502";
  /** The methods the faults hit (default: every method). */
  readonly methods?: readonly string[];
}

export type EarlyFault =
  { readonly kind: "rate-limit" } | { readonly kind: "server-error"; readonly status: number };

export class FaultInjector {
  #faults: Faults;
  #counters = { slowNext: 0, serverErrorNext: 0, rateLimitNext: 0, loseResponseNext: 0 };
  readonly #random: () => number;

  constructor(faults: Faults = {}, random: () => number = Math.random) {
    this.#random = random;
    this.#faults = {};
    this.set(faults);
  }

  /** Replaces every fault setting (and the "next N" counters). */
  set(faults: Faults): void {
    for (const [name, value] of Object.entries(faults)) {
      if (typeof value === "number" && (!Number.isFinite(value) || value < 0)) {
        throw new RangeError(`fault ${name}: expected a number of at least 0, got ${value}`);
      }
      if (name.endsWith("Rate") && typeof value === "number" && value > 1) {
        throw new RangeError(`fault ${name}: expected a probability between 0 and 1, got ${value}`);
      }
    }
    this.#faults = { ...faults };
    this.#counters = {
      slowNext: faults.slowNext ?? 0,
      serverErrorNext: faults.serverErrorNext ?? 0,
      rateLimitNext: faults.rateLimitNext ?? 0,
      loseResponseNext: faults.loseResponseNext ?? 0,
    };
  }

  /** The settings, with the "next N" counters as they stand now. */
  get current(): Faults {
    return { ...this.#faults, ...this.#counters };
  }

  #applies(method: string): boolean {
    return this.#faults.methods === undefined || this.#faults.methods.includes(method);
  }

  /** Consumes one of the next-N counter, or draws against the rate. */
  #hit(
    counter: "slowNext" | "serverErrorNext" | "rateLimitNext" | "loseResponseNext",
    rate = 0,
  ): boolean {
    if (this.#counters[counter] > 0) {
      this.#counters[counter]--;
      return true;
    }
    return rate > 0 && this.#random() < rate;
  }

  /** A fault that answers before the request is processed, if any. */
  early(method: string): EarlyFault | undefined {
    if (!this.#applies(method)) return undefined;
    if (this.#hit("rateLimitNext", this.#faults.rateLimitRate)) return { kind: "rate-limit" };
    if (this.#hit("serverErrorNext", this.#faults.serverErrorRate)) {
      return { kind: "server-error", status: this.#faults.serverErrorStatus ?? 503 };
    }
    return undefined;
  }

  /** For a POST that was just applied: lose its response, and how. */
  loseResponse(method: string): "reset" | "502" | undefined {
    if (method !== "POST" || !this.#applies(method)) return undefined;
    return this.#hit("loseResponseNext", this.#faults.loseResponseRate)
      ? (this.#faults.loseResponseAs ?? "reset")
      : undefined;
  }

  /** How long to hold this response, and whether it is one of the "slow" ones. */
  delay(method: string): { ms: number; slow: boolean } {
    if (!this.#applies(method)) return { ms: 0, slow: false };
    const { latencyMs = 0, latencyJitterMs = 0 } = this.#faults;
    const jitter = latencyJitterMs > 0 ? this.#random() * latencyJitterMs : 0;
    const slow = this.#hit("slowNext");
    return { ms: latencyMs + jitter + (slow ? (this.#faults.slowMs ?? 10_000) : 0), slow };
  }
}

/** A small seeded PRNG (mulberry32): the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
