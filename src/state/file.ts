/**
 * The `file:PATH` state backend: one JSON document on the local disk, written atomically
 * (temporary file in the same directory, fsync, rename), so that a crash leaves either the
 * old or the new document, never half of one.
 *
 * Two runs may share one file: each save takes the lock next to it (file-lock.ts), re-reads
 * the document if another run replaced it, merges its records and writes, so no run loses
 * another's records. Within the process, updates are serialized and coalesced, and the
 * document is kept in memory while the file on disk is the one this backend wrote, so that
 * recording store after store in a 10,000-store fleet does not re-read and re-validate the
 * whole document each time.
 *
 * The document is never read or replaced through a symbolic link: a link could make a run
 * read a file elsewhere, or replace the link with a plain file. Such a path is refused.
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, realpath } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import { emptyState, type StateDocument, type StoreRecord } from "../core/model.js";
import type { StateBackend } from "./backend.js";
import { mergeStoreChanges, parseStateDocument, serializeStateDocument } from "./document.js";
import { withFileLock } from "./file-lock.js";
import { writeFileAtomically } from "./atomic-write.js";
import { findGitWorkTree, isWithin } from "../files/repository.js";

type Changes = Readonly<Record<string, StoreRecord | null>>;

interface Snapshot {
  readonly document: StateDocument;
  /** Identity of the file it was read from or written to; undefined: no file. */
  readonly identity: string | undefined;
}

export interface FileStateOptions {
  /** How the file is named in messages (default: `file:` and the path). */
  readonly description?: string;
  /** How long a save waits for another run's save before failing (default 10 s). */
  readonly lockWaitMs?: number;
  /** Told when a lock left by a run that died is removed (default: standard error). */
  readonly warn?: (message: string) => void;
}

export function createFileStateBackend(
  filePath: string,
  options: FileStateOptions = {},
): StateBackend {
  const description = options.description ?? `file:${filePath}`;
  const lockOptions = {
    description,
    ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
    warn: options.warn ?? ((message: string) => void process.stderr.write(`${message}\n`)),
  };
  let cached: Snapshot | undefined;
  let pending = new Map<string, StoreRecord | null>();
  let waiters: { resolve(document: StateDocument): void; reject(error: unknown): void }[] = [];
  let flushing = false;

  let directoryChecked: Promise<void> | undefined;

  async function current(): Promise<Snapshot> {
    await (directoryChecked ??= checkDirectory(filePath, description));
    const identity = await fileIdentity(filePath, description);
    if (cached !== undefined && cached.identity === identity) return cached;
    if (identity === undefined) {
      cached = { document: emptyState(), identity };
      return cached;
    }
    let bytes: Buffer;
    try {
      // The bytes, not text: the parser decodes only the part it needs (see document.ts).
      // O_NOFOLLOW: checked not to be a link above, and not followed if one was swapped in.
      const handle = await open(filePath, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        bytes = await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw unreadable(description, error);
    }
    cached = { document: parseStateDocument(bytes, description), identity };
    return cached;
  }

  async function write(changes: Changes): Promise<StateDocument> {
    await (directoryChecked ??= checkDirectory(filePath, description));
    // A path that cannot be a file (a link, a file as its directory) says so before mkdir.
    await fileIdentity(filePath, description);
    await makeDirectory(filePath, description);
    return withFileLock(filePath, lockOptions, async () => {
      // Under the lock: a document another run saved meanwhile is re-read and merged onto.
      const document = mergeStoreChanges((await current()).document, changes);
      await writeAtomically(filePath, serializeStateDocument(document), description);
      cached = { document, identity: await fileIdentity(filePath, description) };
      return document;
    });
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
    const info = await lstat(filePath, { bigint: true });
    if (info.isSymbolicLink()) {
      throw new InputError(
        `${description}: the state document is a symbolic link; partoo-links neither reads nor replaces the state through a link (it could lead anywhere): point --state at the real file, e.g. --state file:PATH`,
      );
    }
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

/**
 * Inside a git work tree, the document's directory must resolve inside it too: a `.partoo`
 * that a pull request turned into a link must not make the merge's run write elsewhere.
 */
async function checkDirectory(filePath: string, description: string): Promise<void> {
  const dir = path.dirname(filePath);
  const workTree = findGitWorkTree(dir);
  if (workTree === undefined) return;
  let real: string;
  let realTree: string;
  try {
    [real, realTree] = await Promise.all([realpath(dir), realpath(workTree)]);
  } catch {
    return; // Not there yet: created below, inside the work tree.
  }
  if (!isWithin(realTree, real)) {
    throw new InputError(
      `${description}: the state document's directory is a symbolic link that leads outside the repository; point --state at the real file, e.g. --state file:PATH`,
    );
  }
}

async function makeDirectory(filePath: string, description: string): Promise<void> {
  try {
    await mkdir(path.dirname(filePath), { recursive: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${description}: cannot write the state document (${reason}); check that its directory is writable`,
      { cause: error },
    );
  }
}

async function writeAtomically(filePath: string, text: string, description: string) {
  try {
    await writeFileAtomically(filePath, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${description}: cannot write the state document (${reason}); check that its directory is writable`,
      { cause: error },
    );
  }
}

function unreadable(description: string, error: unknown): InputError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InputError(
    `${description}: cannot read the state document (${reason}); check its permissions, or restore it from a backup`,
    { cause: error },
  );
}
