/**
 * The `file:PATH` state backend: one JSON document on the local disk, written atomically
 * (temporary file in the same directory, fsync, rename), so that a crash leaves either the
 * old or the new document, never half of one.
 *
 * Meant for one process at a time (the github: backend handles concurrent runs). Within the
 * process, updates are serialized and coalesced, and the document is kept in memory while
 * the file on disk is the one this backend wrote, so that recording store after store in a
 * 10,000-store fleet does not re-read and re-validate the whole document each time.
 */
import { mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { InputError } from "../errors.js";
import { emptyState, type StateDocument, type StoreRecord } from "../core/model.js";
import type { StateBackend } from "./backend.js";
import { mergeStoreChanges, parseStateDocument, serializeStateDocument } from "./document.js";

type Changes = Readonly<Record<string, StoreRecord | null>>;

interface Snapshot {
  readonly document: StateDocument;
  /** Identity of the file it was read from or written to; undefined: no file. */
  readonly identity: string | undefined;
}

export interface FileStateOptions {
  /** How the file is named in messages (default: `file:` and the path). */
  readonly description?: string;
}

export function createFileStateBackend(
  filePath: string,
  options: FileStateOptions = {},
): StateBackend {
  const description = options.description ?? `file:${filePath}`;
  let cached: Snapshot | undefined;
  let pending = new Map<string, StoreRecord | null>();
  let waiters: { resolve(document: StateDocument): void; reject(error: unknown): void }[] = [];
  let flushing = false;

  async function current(): Promise<Snapshot> {
    const identity = await fileIdentity(filePath, description);
    if (cached !== undefined && cached.identity === identity) return cached;
    if (identity === undefined) {
      cached = { document: emptyState(), identity };
      return cached;
    }
    let bytes: Buffer;
    try {
      // The bytes, not text: the parser decodes only the part it needs (see document.ts).
      bytes = await readFile(filePath);
    } catch (error) {
      throw unreadable(description, error);
    }
    cached = { document: parseStateDocument(bytes, description), identity };
    return cached;
  }

  async function write(changes: Changes): Promise<StateDocument> {
    const document = mergeStoreChanges((await current()).document, changes);
    await writeAtomically(filePath, serializeStateDocument(document), description);
    cached = { document, identity: await fileIdentity(filePath, description) };
    return document;
  }

  async function flush(): Promise<void> {
    flushing = true;
    while (pending.size > 0) {
      const batch = Object.fromEntries(pending);
      const batchWaiters = waiters;
      pending = new Map();
      waiters = [];
      try {
        const document = await write(batch);
        for (const waiter of batchWaiters) waiter.resolve(document);
      } catch (error) {
        for (const waiter of batchWaiters) waiter.reject(error);
      }
    }
    flushing = false;
  }

  return {
    description,
    async read() {
      return (await current()).document;
    },
    async update(changes) {
      if (Object.keys(changes).length === 0) return (await current()).document;
      return new Promise<StateDocument>((resolve, reject) => {
        for (const [code, record] of Object.entries(changes)) pending.set(code, record);
        waiters.push({ resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

/** Inode, size and modification time: changes whenever anyone replaces or edits the file. */
async function fileIdentity(filePath: string, description: string): Promise<string | undefined> {
  try {
    const info = await stat(filePath, { bigint: true });
    if (!info.isFile()) {
      throw new InputError(
        `${description}: the state document path is not a file; point --state at a JSON file`,
      );
    }
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unreadable(description, error);
  }
}

async function writeAtomically(filePath: string, text: string, description: string) {
  const dir = path.dirname(filePath);
  const temp = path.join(
    dir,
    `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${description}: cannot write the state document (${reason}); check that its directory is writable`,
      { cause: error },
    );
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable. Not every platform can open a directory: best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The document is written; only its durability across a power loss is weaker here.
  }
}

function unreadable(description: string, error: unknown): InputError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InputError(
    `${description}: cannot read the state document (${reason}); check its permissions, or restore it from a backup`,
    { cause: error },
  );
}
