/**
 * Writing a file so that a crash leaves either the old or the new text, never half of one:
 * a temporary file in the same directory, fsync, rename, then fsync of the directory.
 * Errors are the file system's own (with `code`); callers turn them into their message.
 */
import { mkdir, mkdtemp, open, rename, rm, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { nodeCrypto } from "../node-crypto.js";

export async function writeFileAtomically(filePath: string, text: string): Promise<void> {
  await writeFileAtomicallyFrom(filePath, (write) => write([Buffer.from(text, "utf8")]));
}

/** Writes bytes in order: all of them, whatever the platform's limit on one write. */
export type WritePieces = (pieces: readonly Buffer[]) => Promise<void>;

/**
 * The same, for a file written piece by piece: `fill` writes the pieces as they are ready.
 * If it throws, the temporary file is removed and `filePath` is left as it was.
 */
export async function writeFileAtomicallyFrom(
  filePath: string,
  fill: (write: WritePieces) => Promise<void>,
): Promise<void> {
  const dir = path.dirname(filePath);
  const temp = path.join(
    dir,
    `.${path.basename(filePath)}.${process.pid}.${nodeCrypto().randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, "wx");
    try {
      await fill((pieces) => writeAll(handle, pieces));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Gathered writes, a bounded number of pieces at a time, resumed after a partial write. */
async function writeAll(handle: FileHandle, pieces: readonly Buffer[]): Promise<void> {
  const MAX_PIECES = 512;
  for (let at = 0; at < pieces.length; at += MAX_PIECES) {
    let batch = pieces.slice(at, at + MAX_PIECES).filter((piece) => piece.length > 0);
    while (batch.length > 0) {
      let { bytesWritten } = await handle.writev(batch);
      while (batch.length > 0 && bytesWritten >= batch[0]!.length) {
        bytesWritten -= batch[0]!.length;
        batch = batch.slice(1);
      }
      if (bytesWritten > 0) batch = [batch[0]!.subarray(bytesWritten), ...batch.slice(1)];
    }
  }
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
    // The file is written; only its durability across a power loss is weaker here.
  }
}

/** How many files are written and synced at once by writeFilesTogether. */
const PARALLEL_WRITES = 8;

export interface WriteTogetherOptions {
  /** Runs once every file is staged, before the first is renamed into place. */
  readonly beforeRenames?: () => Promise<void>;
}

/**
 * Writes many files into `dir` so that a failure while writing (a full disk, a permission)
 * changes none of them: each is written and synced into a staging directory inside `dir`
 * (a dotfile, which readers of store files ignore), then all are renamed into place, which
 * cannot fail half-written. The staging directory is removed whatever happens.
 */
export async function writeFilesTogether(
  dir: string,
  files: readonly { readonly name: string; readonly text: string }[],
  options: WriteTogetherOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const staging = await mkdtemp(path.join(dir, ".partoo-write-"));
  try {
    for (let start = 0; start < files.length; start += PARALLEL_WRITES) {
      await Promise.all(
        files.slice(start, start + PARALLEL_WRITES).map(async ({ name, text }) => {
          const handle = await open(path.join(staging, name), "wx");
          try {
            await handle.writeFile(text, "utf8");
            await handle.sync();
          } finally {
            await handle.close();
          }
        }),
      );
    }
    await options.beforeRenames?.();
    for (const { name } of files) await rename(path.join(staging, name), path.join(dir, name));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await syncDirectory(dir);
}
