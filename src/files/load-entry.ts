/**
 * The work on one store file: read, hash, and unless its bytes are unchanged, decode, parse
 * and check it. The same function runs in the main thread and in the worker threads
 * (store-workers.ts): its outcome is plain data, copied between threads as it is.
 */
import { hash } from "node:crypto";
import type { Fleet } from "../core/fleet.js";
import type { StoreIssue } from "./issues.js";
import { decodeStoreBytes } from "./decode-text.js";
import { parseStore, type ParsedStore } from "./parse-store.js";
import { readStoreFile, type StoreEntry } from "./store-directory.js";
import type { Repository } from "./repository.js";

export type EntryOutcome =
  /** The file could not be read or decoded. */
  | { readonly issue: StoreIssue }
  /** Its bytes still hash to the known hash: not parsed. */
  | { readonly unchanged: true; readonly fileHash: string }
  | { readonly fileHash: string; readonly parsed: ParsedStore };

export interface EntryContext {
  /** Reused for every file a thread reads (see readBuffer). */
  readonly buffer: Buffer;
  readonly repository: Repository;
  /** The fleet file the stores inherit from, and the digest of its bytes. */
  readonly fleet?: { readonly fleet: Fleet; readonly digest: string };
}

/** StoreFile.fileHash, from the sha256 of the file's bytes and the fleet file it inherits from. */
export function storeFileHash(
  bytesHash: string,
  fleet: { readonly digest: string } | undefined,
): string {
  return fleet === undefined ? bytesHash : hash("sha256", `${fleet.digest}:${bytesHash}`);
}

/** `knownHash`: the file hash recorded for this store, when unchanged files are skipped. */
export function loadEntry(
  entry: StoreEntry,
  context: EntryContext,
  knownHash: string | undefined,
): EntryOutcome {
  const read = readStoreFile(entry, context.buffer, context.repository);
  if ("issue" in read) return { issue: read.issue };
  const { fleet } = context;
  const fileHash = storeFileHash(read.fileHash, fleet);
  if (knownHash !== undefined && knownHash === fileHash) return { unchanged: true, fileHash };
  const decoded = decodeStoreBytes(read.bytes, entry.file);
  if ("issue" in decoded) return { issue: decoded.issue };
  return { fileHash, parsed: parseStore(decoded.text, entry.file, entry.code, fleet?.fleet) };
}
