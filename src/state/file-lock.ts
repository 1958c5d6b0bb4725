/**
 * The lock of a `file:` state document: `PATH.lock`, next to it, held while one save reads
 * the document, merges its records and writes it back. Two runs on one file (two terminals,
 * an overlapping cron job) then take turns on each save instead of one overwriting the
 * other's records, as the github: backend does with compare-and-swap.
 *
 * The lock is created whole and atomically (written to a temporary file, then hard-linked to
 * its name, which fails when the name exists) and holds the pid, the host and the time, so
 * that a lock left by a run that died is recognised: its pid is gone on this host, or it is
 * far older than any save takes. Such a lock is removed, and said so.
 */
import { constants } from "node:fs";
import { link, open, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { InputError } from "../errors.js";
import { quoteExcerpt } from "../core/excerpt.js";

/** How long a save waits for another run's save by default. */
export const LOCK_WAIT_MS = 10_000;
/** A lock older than this is stale, whoever holds it: a save takes well under a second. */
export const STALE_LOCK_MS = 120_000;

export interface LockOptions {
  /** The state document's name in messages (e.g. "file:.partoo/state.json"). */
  readonly description: string;
  readonly waitMs?: number;
  readonly staleMs?: number;
  /** Told when a stale lock is removed. */
  readonly warn: (message: string) => void;
  /** The clock, for tests. */
  readonly now?: () => number;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

export function lockPath(filePath: string): string {
  return `${filePath}.lock`;
}

/** Runs `action` while holding the lock of `filePath`. */
export async function withFileLock<T>(
  filePath: string,
  options: LockOptions,
  action: () => Promise<T>,
): Promise<T> {
  const token = await acquire(filePath, options);
  try {
    return await action();
  } finally {
    await release(lockPath(filePath), token);
  }
}

async function acquire(filePath: string, options: LockOptions): Promise<string> {
  const lock = lockPath(filePath);
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? LOCK_WAIT_MS);
  const token = randomBytes(8).toString("hex");
  for (let attempt = 0; ; attempt++) {
    if (await create(lock, token, options.description)) return token;
    const holder = await readHolder(lock);
    if (holder === "gone") continue;
    const stale = staleReason(holder, now(), options.staleMs ?? STALE_LOCK_MS);
    if (stale !== undefined) {
      // Removed only if it is still the same lock: another waiter may have replaced it.
      const again = await readHolder(lock);
      if (again !== "gone" && sameHolder(again, holder)) {
        await unlink(lock).catch(() => undefined);
        options.warn(
          `${options.description}: removed the lock ${lock} left by ${describeHolder(holder)}, ${stale}`,
        );
      }
      continue;
    }
    if (now() >= deadline) {
      throw new InputError(
        `${options.description}: the state document is locked by another run (${describeHolder(holder)}; lock file ${lock}); wait for that run to finish and run again, or delete the lock file if no partoo-links run uses this state`,
      );
    }
    await delay(Math.min(250, 20 * 2 ** Math.min(attempt, 4)) + Math.random() * 20);
  }
}

/** Creates the lock whole; false when it exists already. */
async function create(lock: string, token: string, description: string): Promise<boolean> {
  const holder: Holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token,
  };
  const temp = path.join(path.dirname(lock), `.${path.basename(lock)}.${token}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(holder)}\n`, { flag: "wx" });
    try {
      await link(temp, lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${description}: cannot create the lock ${lock} (${reason}); check that the state document's directory is writable`,
      { cause: error },
    );
  }
}

/**
 * Who holds the lock, "gone" when it vanished meanwhile. A lock that cannot be read as one
 * (edited, or made by something else) is judged by its age alone. Never followed if it is a
 * link, and never quoted: only its checked fields are shown.
 */
async function readHolder(lock: string): Promise<Holder | { readonly mtimeMs: number } | "gone"> {
  let text: string;
  let mtimeMs: number;
  try {
    const handle = await open(
      lock,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      mtimeMs = (await handle.stat()).mtimeMs;
      const buffer = Buffer.alloc(1024);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    return { mtimeMs: 0 };
  }
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (
      Number.isSafeInteger(value.pid) &&
      typeof value.host === "string" &&
      typeof value.since === "string" &&
      !Number.isNaN(Date.parse(value.since)) &&
      typeof value.token === "string"
    ) {
      return value as Holder;
    }
  } catch {
    // Not a lock of ours: judged by its age.
  }
  return { mtimeMs };
}

function isHolder(value: Holder | { readonly mtimeMs: number }): value is Holder {
  return "pid" in value;
}

function sameHolder(a: Holder | { mtimeMs: number }, b: Holder | { mtimeMs: number }): boolean {
  if (isHolder(a) && isHolder(b)) return a.token === b.token;
  return !isHolder(a) && !isHolder(b) && a.mtimeMs === b.mtimeMs;
}

function staleReason(
  holder: Holder | { readonly mtimeMs: number },
  now: number,
  staleMs: number,
): string | undefined {
  const since = isHolder(holder) ? Date.parse(holder.since) : holder.mtimeMs;
  if (isHolder(holder) && holder.host === hostname() && !isAlive(holder.pid)) {
    return "which is no longer running";
  }
  if (now - since > staleMs) {
    return `more than ${Math.round(staleMs / 1000)} s ago (a save takes under a second)`;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describeHolder(holder: Holder | { readonly mtimeMs: number }): string {
  if (!isHolder(holder)) return "an unknown process";
  const host = holder.host === hostname() ? "this host" : `host ${quoteExcerpt(holder.host, 40)}`;
  return `pid ${holder.pid} on ${host} since ${new Date(Date.parse(holder.since)).toISOString()}`;
}

async function release(lock: string, token: string): Promise<void> {
  const holder = await readHolder(lock);
  // A lock judged stale and taken over by another run is no longer ours to remove.
  if (holder !== "gone" && isHolder(holder) && holder.token === token) {
    await unlink(lock).catch(() => undefined);
  }
}
