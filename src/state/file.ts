/**
 * The `file:PATH` state backend: one JSON document on the local disk, written atomically
 * (temporary file in the same directory, fsync, rename), so that a crash leaves either the
 * old or the new document, never half of one.
 *
 * Two runs may share one file: each save takes the lock next to it (file-lock.ts), re-reads
 * the document if another run replaced it, merges its records and writes, so no run loses
 * another's records. Within the process, updates are serialized and coalesced. While the
 * file on disk is one this backend wrote or checked, a save streams it into the new file
 * with the changed stores' lines replaced (layout-merge.ts): recording store after store in
 * a 20,000-store fleet neither re-validates nor re-serializes the whole document each time,
 * nor holds it in memory.
 *
 * The document is never read or replaced through a symbolic link: a link could make a run
 * read a file elsewhere, or replace the link with a plain file. Such a path is refused.
 */
import { constants, type BigIntStats } from "node:fs";
import { lstat, mkdir, open, realpath, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import { emptyState, type StateDocument, type StoreRecord } from "../core/model.js";
import type { StateBackend } from "./backend.js";
import {
  encodeStoreChanges,
  isInWrittenLayout,
  mergeStoreChanges,
  parseStateDocument,
  serializeStateDocument,
} from "./document.js";
import { withFileLock } from "./file-lock.js";
import { writeFileAtomicallyFrom, type WritePieces } from "./atomic-write.js";
import { LayoutMerger, LayoutMismatchError, type EncodedChange } from "./layout-merge.js";
import { findGitWorkTree, isWithin } from "../files/repository.js";

type Changes = Readonly<Record<string, StoreRecord | null>>;

/** The file as this backend last saw it. */
interface Snapshot {
  /** Identity of the file it was read from or written to; undefined: no file. */
  readonly identity: string | undefined;
  /** The document read; undefined after a write (read again only if asked for). */
  readonly document: StateDocument | undefined;
  /** The file is a document checked and laid out as partoo-links writes it: saves merge into it. */
  readonly mergeable: boolean;
}

/** Bytes read from the document at a time while a save merges into it. */
const MERGE_CHUNK_BYTES = 1 << 20;

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
  let waiters: { resolve(): void; reject(error: unknown): void }[] = [];
  let flushing = false;

  let directoryChecked: Promise<void> | undefined;

  /** The document on disk now, read and checked unless this backend already holds it. */
  async function current(): Promise<StateDocument> {
    await (directoryChecked ??= checkDirectory(filePath, description));
    const identity = await fileIdentity(filePath, description);
    if (cached?.document !== undefined && cached.identity === identity) return cached.document;
    if (identity === undefined) {
      cached = { identity, document: emptyState(), mergeable: false };
      return cached.document!;
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
    const document = parseStateDocument(bytes, description);
    cached = { identity, document, mergeable: isInWrittenLayout(document) };
    return document;
  }

  async function write(changes: Changes): Promise<void> {
    await (directoryChecked ??= checkDirectory(filePath, description));
    // A path that cannot be a file (a link, a file as its directory) says so before mkdir.
    await fileIdentity(filePath, description);
    await makeDirectory(filePath, description);
    const encoded = encodeStoreChanges(changes);
    await withFileLock(filePath, lockOptions, async () => {
      // Under the lock: a document another run saved meanwhile is re-read and merged onto.
      for (let attempt = 1; ; attempt++) {
        const identity = await fileIdentity(filePath, description);
        const known = cached !== undefined && cached.identity === identity && cached.mergeable;
        const document = known ? undefined : await current();
        const mergeable = document === undefined || isInWrittenLayout(document);
        if (identity !== undefined && mergeable && attempt <= 2) {
          if (await mergeIntoFile(filePath, identity, encoded)) break;
          // The file changed under the lock (edited in place): read and checked again.
          cached = undefined;
          continue;
        }
        const base = document ?? (await current());
        const text = serializeStateDocument(mergeStoreChanges(base, changes));
        await writeAtomicallyFrom(filePath, description, (pieces) => pieces([Buffer.from(text)]));
        break;
      }
      const identity = await fileIdentity(filePath, description);
      cached = { identity, document: undefined, mergeable: true };
    });
  }

  /**
   * Writes the document at `identity` with `changes` merged in, line by line (layout-merge.ts).
   * False, with nothing written, when the file is no longer that document in that layout.
   */
  async function mergeIntoFile(
    file: string,
    identity: string,
    changes: Map<string, EncodedChange | null>,
  ): Promise<boolean> {
    let source: FileHandle;
    try {
      source = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      throw unreadable(description, error);
    }
    try {
      const info = await source.stat({ bigint: true });
      if (identityOf(info) !== identity) return false;
      const merger = new LayoutMerger(changes, Number(info.size));
      await writeAtomicallyFrom(file, description, async (writePieces) => {
        // Two buffers, in turn: the merger's output refers to the chunk it was given, and is
        // written before the next read; only a line cut at the chunk's end is still read
        // from it, by the next push (which copies it). A fresh buffer per chunk left some
        // 14 MB of dead buffers per save of a 20,000-store document until V8 collected them.
        const buffers = [
          Buffer.allocUnsafe(MERGE_CHUNK_BYTES),
          Buffer.allocUnsafe(MERGE_CHUNK_BYTES),
        ];
        for (let turn = 0; ; turn ^= 1) {
          const chunk = buffers[turn]!;
          const { bytesRead } = await readChunk(source, chunk, description);
          if (bytesRead === 0) break;
          await writePieces(merger.push(chunk.subarray(0, bytesRead)));
        }
        await writePieces(merger.end());
      });
      return true;
    } catch (error) {
      if (error instanceof LayoutMismatchError) return false;
      throw error;
    } finally {
      await source.close();
    }
  }

  async function flush(): Promise<void> {
    flushing = true;
    while (pending.size > 0) {
      const batch = Object.fromEntries(pending);
      const batchWaiters = waiters;
      pending = new Map();
      waiters = [];
      try {
        await write(batch);
        for (const waiter of batchWaiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batchWaiters) waiter.reject(error);
      }
    }
    flushing = false;
  }

  return {
    description,
    read: current,
    async update(changes) {
      if (Object.keys(changes).length === 0) {
        await current();
        return;
      }
      return new Promise<void>((resolve, reject) => {
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
    return identityOf(info);
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unreadable(description, error);
  }
}

function identityOf(info: BigIntStats): string {
  return `${info.ino}:${info.size}:${info.mtimeNs}`;
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

/** Writes through writeFileAtomicallyFrom; a file system error becomes one clear message. */
async function writeAtomicallyFrom(
  filePath: string,
  description: string,
  fill: (write: WritePieces) => Promise<void>,
): Promise<void> {
  try {
    await writeFileAtomicallyFrom(filePath, fill);
  } catch (error) {
    if (error instanceof InputError || error instanceof LayoutMismatchError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${description}: cannot write the state document (${reason}); check that its directory is writable`,
      { cause: error },
    );
  }
}

async function readChunk(
  handle: FileHandle,
  chunk: Buffer,
  description: string,
): Promise<{ bytesRead: number }> {
  try {
    return await handle.read(chunk, 0, chunk.length, null);
  } catch (error) {
    throw unreadable(description, error);
  }
}

function unreadable(description: string, error: unknown): InputError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InputError(
    `${description}: cannot read the state document (${reason}); check its permissions, or restore it from a backup`,
    { cause: error },
  );
}
