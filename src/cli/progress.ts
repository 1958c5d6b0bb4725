/**
 * Progress of a long run on stderr: a live line redrawn in place on a terminal, a plain line
 * every few seconds elsewhere (CI logs), nothing for short runs.
 */
export interface ProgressCounts {
  done: number;
  failed: number;
}

export interface Progress {
  /** One more store finished. */
  tick(failed: boolean): void;
  /** Clears the live line; prints nothing else. */
  stop(): void;
}

export interface ProgressOptions {
  readonly stream: { write(chunk: string): unknown };
  readonly isTTY: boolean;
  readonly label: string;
  readonly total: number;
  /** Requests sent so far, shown when known. */
  readonly requests?: () => number;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export function startProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const counts: ProgressCounts = { done: 0, failed: 0 };
  let drawn = false;
  const line = (): string => {
    const parts = [`${options.label}: ${counts.done}/${options.total} stores`];
    if (counts.failed > 0) parts.push(`${counts.failed} failed`);
    if (options.requests !== undefined) parts.push(`${options.requests()} requests`);
    const elapsed = now() - started;
    if (counts.done > 0 && counts.done < options.total) {
      const remaining = (elapsed / counts.done) * (options.total - counts.done);
      parts.push(`ETA ${formatDuration(remaining)}`);
    }
    return parts.join(" · ");
  };
  const draw = (): void => {
    if (options.isTTY) {
      options.stream.write(`\r\x1b[K${line()}`);
      drawn = true;
    } else {
      options.stream.write(`${line()}\n`);
    }
  };
  const timer =
    options.total > 0
      ? setInterval(draw, options.intervalMs ?? (options.isTTY ? 250 : 5000))
      : undefined;
  timer?.unref();
  return {
    tick(failed) {
      counts.done++;
      if (failed) counts.failed++;
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (drawn) options.stream.write("\r\x1b[K");
    },
  };
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
