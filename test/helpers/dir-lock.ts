/**
 * A lock between jest workers: a directory, created atomically. One left by a killed worker
 * is taken over once it is older than `staleMs`.
 */
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

export async function withDirectoryLock<T>(
  lock: string,
  staleMs: number,
  work: () => Promise<T>,
): Promise<T> {
  await mkdir(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = await stat(lock).catch(() => undefined);
      if (held !== undefined && Date.now() - held.mtimeMs > staleMs) {
        await rm(lock, { recursive: true, force: true });
      } else {
        await delay(200);
      }
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
