/**
 * Saves store records as stores complete, in batches: every completed store is written
 * within `flushIntervalMs`, so a crash or a kill loses at most the last batch, and a re-run
 * re-reads those stores live and records them without sending anything again.
 */
import type { StoreRecord } from "../core/model.js";
import type { StateBackend } from "../state/backend.js";

export class StateRecorder {
  private pending: Record<string, StoreRecord | null> = {};
  private pendingCount = 0;
  private lastFlush: number;
  private flushing: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly backend: StateBackend,
    private readonly flushIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastFlush = now();
  }

  /** The first error met while saving, if any: the run should stop starting stores. */
  get error(): unknown {
    return this.failure;
  }

  record(code: string, record: StoreRecord | null): void {
    this.pending[code] = record;
    this.pendingCount++;
    if (this.now() - this.lastFlush >= this.flushIntervalMs) void this.flush().catch(() => {});
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
        this.lastFlush = this.now();
        try {
          await this.backend.update(batch);
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
