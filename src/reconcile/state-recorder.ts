/**
 * Saves store records as stores complete, in batches: every completed store is written
 * within `flushIntervalMs` (longer after slow saves, below), so a crash or a kill loses at
 * most the last batch, and a re-run re-reads those stores live and records them without
 * sending anything again.
 *
 * A save that takes long spaces the next ones out (SAVE_TIME_FACTOR): on GitHub each save is
 * a commit (five API calls, four of them writes that octokit spaces a second apart, and the
 * whole document uploaded), and saving back to back through a long sync would exhaust the
 * token's 1,000 requests and GitHub's 500 content-creating requests per hour.
 */
import type { StoreRecord } from "../core/model.js";
import type { StateBackend } from "../state/backend.js";

/** The next save waits at least this many times as long as the last one took (≤ 10 % busy saving). */
export const SAVE_TIME_FACTOR = 10;
/** …but never longer than this: a kill loses at most this much work's records. */
export const MAX_FLUSH_INTERVAL_MS = 5 * 60_000;

export class StateRecorder {
  private pending: Record<string, StoreRecord | null> = {};
  private pendingCount = 0;
  private lastFlush: number;
  private intervalMs: number;
  private flushing: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly backend: StateBackend,
    private readonly flushIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastFlush = now();
    this.intervalMs = flushIntervalMs;
  }

  /** The first error met while saving, if any: the run should stop starting stores. */
  get error(): unknown {
    return this.failure;
  }

  record(code: string, record: StoreRecord | null): void {
    this.pending[code] = record;
    this.pendingCount++;
    if (this.now() - this.lastFlush >= this.intervalMs) void this.flush().catch(() => {});
  }

  /** Writes what is pending; resolves when everything recorded so far is saved. Throws on failure. */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .catch(() => {})
      .then(async () => {
        if (this.pendingCount === 0) return;
        const batch = this.pending;
        this.pending = {};
        this.pendingCount = 0;
        const started = (this.lastFlush = this.now());
        try {
          await this.backend.update(batch);
          const took = this.now() - started;
          this.intervalMs = Math.max(
            this.flushIntervalMs,
            Math.min(MAX_FLUSH_INTERVAL_MS, SAVE_TIME_FACTOR * took),
          );
        } catch (error) {
          // Keep the batch so that a later flush can still save it.
          this.pending = { ...batch, ...this.pending };
          this.pendingCount = Object.keys(this.pending).length;
          this.failure ??= error;
          throw error;
        }
      });
    return this.flushing;
  }
}
