/**
 * Checking many store files on every core: the files are cut into chunks that the main
 * thread and worker threads take in turn, and each outcome is put back at its file's index,
 * so that the caller sees exactly what one thread would have produced, in the same order.
 *
 * This module is also the workers' entry: run as a worker (with WORKER_ROLE in its data) it
 * serves chunks. Workers need it as JavaScript: from dist/ it starts itself; the Action's
 * single-file bundle starts the bundle (src/action/index.ts serves when it is a worker);
 * under ts-jest (TypeScript) there is no worker and every chunk is checked in the main
 * thread. A worker that fails to start, crashes or sends something unexpected is dropped:
 * the main thread checks its chunks itself, and the run goes on. Workers that did their part
 * wait, unref'd, for the next call of the same process.
 */
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import type { Fleet } from "../core/fleet.js";
import { completeOutcomes, loadEntry, type EntryContext, type EntryOutcome } from "./load-entry.js";
import type { Repository } from "./repository.js";
import { readBuffer, type StoreEntry } from "./store-directory.js";

/** In a worker's data: this worker checks store files. */
export const WORKER_ROLE = "partoo-links: store files";

/**
 * On a worker's command line (Worker `argv`): a main thread, whose argv lacks it, knows that
 * it is none without loading node:worker_threads (measured: about 1 ms of a start of validate).
 */
const WORKER_FLAG = "--partoo-links-store-worker";

/** node:worker_threads, loaded when workers are started or a thread may be one. */
function threads(): typeof import("node:worker_threads") {
  return process.getBuiltinModule("node:worker_threads");
}

/** Below this many files, starting a worker costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 400;
/** Files per chunk: small enough to balance the threads, large enough that messages are few. */
const CHUNK_FILES = 200;
/** Workers besides the main thread. */
const MAX_WORKERS = 3;

export interface WorkerOptions {
  /** The JavaScript module a worker starts (default: this module, when it is JavaScript). */
  readonly entry?: URL;
  /** Worker threads besides the main thread (default: one per core but one, at most 3). */
  readonly count?: number;
  /** Fewer files than this are all checked in the main thread. */
  readonly minFiles?: number;
  /**
   * Whether the main thread takes chunks too (default true); false: it checks only those a
   * failed worker leaves (tests make the workers' share certain this way).
   */
  readonly mainThread?: boolean;
}

/** A worker's data: what it is for. */
interface WorkerSetup {
  readonly role: typeof WORKER_ROLE;
}

/** The first message of each call: what every file of it is checked against. */
interface JobRequest {
  readonly job: {
    readonly repository: Repository;
    readonly fleet?: { readonly fleet: Fleet; readonly digest: string };
    readonly hashFiles?: boolean;
  };
}

interface ChunkRequest {
  readonly chunk: number;
  readonly entries: readonly StoreEntry[];
  readonly known: readonly (string | undefined)[];
}

type ChunkReply =
  | { readonly chunk: number; readonly outcomes: EntryOutcome[] }
  | { readonly chunk: number; readonly failed: string };

export interface LoadedEntries {
  /** One per entry, in the entries' order. */
  readonly outcomes: EntryOutcome[];
  /** Threads that checked files, the main thread included. */
  readonly threads: number;
}

/**
 * The outcome of each entry (see loadEntry): in the main thread alone for few files, else
 * also in workers. `known` gives the hash recorded for the entry at an index, when unchanged
 * files are skipped.
 */
export async function loadEntries(
  entries: readonly StoreEntry[],
  context: Omit<EntryContext, "buffer">,
  known: (index: number) => string | undefined,
  options: WorkerOptions = {},
): Promise<LoadedEntries> {
  const buffer = readBuffer();
  const inThread: EntryContext = { ...context, buffer };
  const count = workerCount(entries.length, options);
  const entry = count === 0 ? undefined : workerEntry(options);
  const fleet = context.fleet?.fleet;
  if (entry === undefined) {
    const pending = entries.map((item, index) => loadEntry(item, inThread, known(index)));
    return { outcomes: await completeOutcomes(entries, pending, fleet), threads: 1 };
  }
  const chunks: number[] = [];
  for (let start = 0; start < entries.length; start += CHUNK_FILES) chunks.push(start);
  const outcomes: EntryOutcome[] = new Array<EntryOutcome>(entries.length);
  const request = (chunk: number): ChunkRequest => {
    const start = chunks[chunk]!;
    const slice = entries.slice(start, start + CHUNK_FILES);
    return { chunk, entries: slice, known: slice.map((_, index) => known(start + index)) };
  };
  // A file that needs the full parse gets it with its chunk, so that threads stay balanced.
  const checkInThread = async (chunk: number) => {
    const { entries: slice, known: hashes } = request(chunk);
    const pending = slice.map((item, index) => loadEntry(item, inThread, hashes[index]));
    (await completeOutcomes(slice, pending, fleet)).forEach((outcome, index) => {
      outcomes[chunks[chunk]! + index] = outcome;
    });
  };

  let next = 0;
  const takeChunk = (): number | undefined => (next < chunks.length ? next++ : undefined);
  const job: JobRequest = {
    job: {
      repository: { root: context.repository.root },
      ...(context.fleet === undefined ? {} : { fleet: context.fleet }),
      ...(context.hashFiles === undefined ? {} : { hashFiles: context.hashFiles }),
    },
  };
  let usedWorkers = 0;
  // Checked after the workers are done, in this function (not in an event handler of theirs),
  // so that anything thrown ends where it would without workers.
  const failed: number[] = [];
  const workers = Array.from({ length: count }, () =>
    runWorker(entry, job, takeChunk, request, (chunk, result) => {
      if ("failed" in result) {
        failed.push(chunk);
        return;
      }
      result.outcomes.forEach((outcome, index) => (outcomes[chunks[chunk]! + index] = outcome));
    }).then((served) => {
      if (served) usedWorkers++;
    }),
  );
  // The main thread takes chunks too, yielding between them so that idle workers get theirs.
  while (options.mainThread !== false) {
    const chunk = takeChunk();
    if (chunk === undefined) break;
    await checkInThread(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workers);
  for (const chunk of failed) await checkInThread(chunk);
  // Every worker failed before taking them all: the rest is the main thread's.
  for (let chunk = takeChunk(); chunk !== undefined; chunk = takeChunk())
    await checkInThread(chunk);
  return { outcomes, threads: 1 + usedWorkers };
}

function workerCount(files: number, options: WorkerOptions): number {
  if (files < (options.minFiles ?? MIN_FILES_FOR_WORKERS)) return 0;
  // node:os on first use: validate of a few files never asks, and loading it costs a start.
  const cores = process.getBuiltinModule("node:os").availableParallelism();
  const byCores = Math.min(MAX_WORKERS, cores - 1);
  return Math.max(0, Math.min(options.count ?? byCores, Math.ceil(files / CHUNK_FILES) - 1));
}

/** This module, when it runs as JavaScript (dist/, the Action's bundle); else none. */
function workerEntry(options: WorkerOptions): URL | undefined {
  const entry = options.entry ?? new URL(import.meta.url);
  if (entry.protocol !== "file:" || !/\.m?js$/.test(entry.pathname)) return undefined;
  return existsSync(fileURLToPath(entry)) ? entry : undefined;
}

/**
 * Workers kept between calls, by entry: a process that checks the files again (the demo,
 * the benchmarks) skips their start and their warm-up. Unref'd, they never keep it alive.
 */
const idleWorkers = new Map<string, Worker[]>();

function acquireWorker(entry: URL): Worker | undefined {
  const idle = idleWorkers.get(entry.href)?.pop();
  if (idle !== undefined) {
    idle.ref();
    return idle;
  }
  try {
    // The worker's output is its own messages: a stray line must not reach the report. No
    // flags of the main thread's command line: `node --input-type=module -e …` would fail it.
    const setup: WorkerSetup = { role: WORKER_ROLE };
    const worker = new (threads().Worker)(entry, {
      workerData: setup,
      argv: [WORKER_FLAG],
      stdout: true,
      stderr: true,
      execArgv: [],
    });
    worker.once("exit", () => {
      const list = idleWorkers.get(entry.href) ?? [];
      if (list.includes(worker)) list.splice(list.indexOf(worker), 1);
    });
    return worker;
  } catch {
    return undefined;
  }
}

function releaseWorker(entry: URL, worker: Worker): void {
  worker.unref();
  const list = idleWorkers.get(entry.href) ?? [];
  list.push(worker);
  idleWorkers.set(entry.href, list);
}

/**
 * One worker: takes chunks until none is left. Resolves true when it checked at least one.
 * A chunk it had when it failed is reported as failed (checked in the main thread then).
 */
function runWorker(
  entry: URL,
  job: JobRequest,
  takeChunk: () => number | undefined,
  request: (chunk: number) => ChunkRequest,
  done: (chunk: number, reply: ChunkReply) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = acquireWorker(entry);
    if (worker === undefined) {
      resolve(false);
      return;
    }
    let current: number | undefined;
    let files = 0;
    let served = false;
    let finished = false;
    const finish = (failure?: string) => {
      if (finished) return;
      finished = true;
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (failure === undefined) releaseWorker(entry, worker);
      else {
        if (current !== undefined) done(current, { chunk: current, failed: failure });
        void worker.terminate();
      }
      resolve(served);
    };
    const send = () => {
      current = takeChunk();
      if (current === undefined) {
        finish();
        return;
      }
      const message = request(current);
      files = message.entries.length;
      worker.postMessage(message);
    };
    const onMessage = (reply: ChunkReply) => {
      if (finished) return;
      const expected =
        reply !== null &&
        typeof reply === "object" &&
        reply.chunk === current &&
        ("failed" in reply || (Array.isArray(reply.outcomes) && reply.outcomes.length === files));
      if (!expected) {
        finish("unexpected message");
        return;
      }
      if (!("failed" in reply)) served = true;
      done(reply.chunk, reply);
      send();
    };
    const onError = (error: unknown) =>
      finish(error instanceof Error ? error.message : String(error));
    const onExit = (code: number) => finish(`exited with code ${code}`);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    // Messages wait for a worker that is still starting.
    worker.postMessage(job);
    send();
  });
}

/** A worker's side: checks each chunk it is sent and sends the outcomes back. */
export function serveStoreFiles(): void {
  if (!isStoreWorker()) return;
  const port = threads().parentPort;
  if (port === null) return;
  const buffer = readBuffer();
  let context: EntryContext | undefined;
  // The main thread sends a worker its next chunk only after the reply to the last one.
  port.on("message", async (message: JobRequest | ChunkRequest) => {
    if ("job" in message) {
      context = { buffer, ...message.job };
      return;
    }
    const { chunk, entries, known } = message;
    let reply: ChunkReply;
    try {
      const job = context;
      if (job === undefined) throw new Error("a chunk came before its job");
      const pending = entries.map((item, index) => loadEntry(item, job, known[index]));
      reply = { chunk, outcomes: await completeOutcomes(entries, pending, job.fleet?.fleet) };
    } catch (error) {
      reply = { chunk, failed: error instanceof Error ? error.message : String(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      // An outcome that cannot be copied: the main thread checks the chunk itself.
      port.postMessage({ chunk, failed: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** Whether this thread is a worker started to check store files. */
export function isStoreWorker(): boolean {
  if (!process.argv.includes(WORKER_FLAG)) return false;
  const { isMainThread, workerData } = threads();
  return !isMainThread && (workerData as Partial<WorkerSetup> | null)?.role === WORKER_ROLE;
}

// The entry of a worker started from dist/ (the Action's bundle imports this module to serve).
if (isStoreWorker()) serveStoreFiles();
