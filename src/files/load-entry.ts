/**
 * The work on one store file: read, hash, and unless its bytes are unchanged, decode, parse
 * and check it. The same function runs in the main thread and in the worker threads
 * (store-workers.ts): its outcome is plain data, copied between threads as it is.
 */
import type { Fleet } from "../core/fleet.js";
import type { StoreIssue } from "./issues.js";
import { decodeStoreBytes } from "./decode-text.js";
import { checkStoreFast, type ParsedStore } from "./check-store-fast.js";
import { readStoreFile, type StoreEntry } from "./store-directory.js";
import type { Repository } from "./repository.js";
import { nodeCrypto } from "../node-crypto.js";

export type EntryOutcome =
  /** The file could not be read or decoded. */
  | { readonly issue: StoreIssue }
  /** Its bytes still hash to the known hash: not parsed. */
  | { readonly unchanged: true; readonly fileHash: string }
  | { readonly fileHash: string; readonly parsed: ParsedStore };

/** An outcome, or a decoded file the fast path left to the full parse (see completeOutcomes). */
export type PendingOutcome =
  EntryOutcome | { readonly fileHash: string; readonly fullParse: string };

export interface EntryContext {
  /** Reused for every file a thread reads (see readBuffer). */
  readonly buffer: Buffer;
  readonly repository: Repository;
  /** The fleet file the stores inherit from, and the digest of its bytes. */
  readonly fleet?: { readonly fleet: Fleet; readonly digest: string };
  /** false: no file is hashed and every fileHash is "" (see LoadOptions.hashFiles). */
  readonly hashFiles?: boolean;
}

/** StoreFile.fileHash, from the sha256 of the file's bytes and the fleet file it inherits from. */
export function storeFileHash(
  bytesHash: string,
  fleet: { readonly digest: string } | undefined,
): string {
  return fleet === undefined
    ? bytesHash
    : nodeCrypto().hash("sha256", `${fleet.digest}:${bytesHash}`);
}

/** `knownHash`: the file hash recorded for this store, when unchanged files are skipped. */
export function loadEntry(
  entry: StoreEntry,
  context: EntryContext,
  knownHash: string | undefined,
): PendingOutcome {
  const read = readStoreFile(entry, context.buffer, context.repository);
  if ("issue" in read) return { issue: read.issue };
  const { fleet } = context;
  const fileHash =
    context.hashFiles === false
      ? ""
      : storeFileHash(nodeCrypto().hash("sha256", read.bytes), fleet);
  if (knownHash !== undefined && knownHash === fileHash) return { unchanged: true, fileHash };
  const decoded = decodeStoreBytes(read.bytes, entry.file);
  if ("issue" in decoded) return { issue: decoded.issue };
  let parsed: ParsedStore | undefined;
  try {
    parsed = checkStoreFast(decoded.text, entry.code, fleet?.fleet);
  } catch {
    // The full path checks the file again, and reports whatever went wrong on it.
  }
  return parsed === undefined ? { fileHash, fullParse: decoded.text } : { fileHash, parsed };
}

/**
 * Every outcome complete: files that need the full parse get it, in the thread that read
 * them. The yaml library loads here, and only when a file needs it.
 */
export async function completeOutcomes(
  entries: readonly StoreEntry[],
  outcomes: readonly PendingOutcome[],
  fleet: Fleet | undefined,
): Promise<EntryOutcome[]> {
  if (!outcomes.some((outcome) => "fullParse" in outcome)) return outcomes as EntryOutcome[];
  const { parseStoreFully } = await import("./parse-store.js");
  return outcomes.map((outcome, index) => {
    if (!("fullParse" in outcome)) return outcome;
    const { file, code } = entries[index]!;
    return {
      fileHash: outcome.fileHash,
      parsed: parseStoreFully(outcome.fullParse, file, code, fleet),
    };
  });
}
