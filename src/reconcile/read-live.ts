/** Reading the live links of many stores, a few at a time (the client paces them anyway). */
import type { LiveLinks } from "../core/model.js";
import type { StoreFailure } from "../core/plan.js";
import { AppError } from "../errors.js";
import type { PartooApi } from "../partoo/client.js";
import { PartooAbortedError, PartooStoppedError } from "../partoo/errors.js";

/** Live reads in flight at once; the client paces them under the rate limit anyway. */
export const READ_WORKERS = 4;

export interface LiveTarget {
  readonly code: string;
  readonly address: string;
}

export interface LiveRead {
  readonly live: Map<string, LiveLinks>;
  readonly failures: StoreFailure[];
}

/**
 * GETs the live links of each target. A store whose read fails is listed in `failures` and
 * the others go on; a rejected key or an interruption stops everything (thrown).
 */
export async function readLiveLinks(
  client: PartooApi,
  targets: readonly LiveTarget[],
  options: {
    readonly signal?: AbortSignal;
    readonly workers?: number;
    readonly onRead?: (failed: boolean) => void;
  } = {},
): Promise<LiveRead> {
  const live = new Map<string, LiveLinks>();
  const failures: StoreFailure[] = [];
  const request = options.signal === undefined ? {} : { signal: options.signal };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const target = targets[next++]!;
      try {
        live.set(target.code, await client.getLinks(target.address, request));
      } catch (error) {
        // A stopped client (bad key, unreachable, wrong URL) or an interruption stops
        // everything; other errors concern one store.
        if (!(error instanceof AppError) || error instanceof PartooAbortedError) throw error;
        if (error instanceof PartooStoppedError) throw error;
        failures.push({ ...target, message: error.message });
        options.onRead?.(true);
        continue;
      }
      options.onRead?.(false);
    }
  };
  const workers = Math.min(options.workers ?? READ_WORKERS, targets.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return { live, failures };
}
