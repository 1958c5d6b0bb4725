/**
 * Runs tasks with a bound overall and a smaller bound per host, so that a fleet linking 5,000
 * pages of one merchant site never hits that site with more than a couple of requests at once.
 */

export interface HostScheduler {
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
}

export function createHostScheduler(limits: {
  readonly concurrency: number;
  readonly perHost: number;
}): HostScheduler {
  /** Waiting tasks by host: a finished task scans the hosts that wait, not every task. */
  const waiting = new Map<string, (() => void)[]>();
  const running = new Map<string, number>();
  let active = 0;

  const pump = () => {
    for (const [host, queue] of waiting) {
      if (active >= limits.concurrency) return;
      while (queue.length > 0 && active < limits.concurrency) {
        if ((running.get(host) ?? 0) >= limits.perHost) break;
        active++;
        running.set(host, (running.get(host) ?? 0) + 1);
        queue.shift()!();
      }
      if (queue.length === 0) waiting.delete(host);
    }
  };

  return {
    run<T>(host: string, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          task()
            .then(resolve, reject)
            .finally(() => {
              active--;
              const left = running.get(host)! - 1;
              if (left === 0) running.delete(host);
              else running.set(host, left);
              pump();
            });
        };
        const queue = waiting.get(host);
        if (queue === undefined) waiting.set(host, [start]);
        else queue.push(start);
        pump();
      });
    },
  };
}
