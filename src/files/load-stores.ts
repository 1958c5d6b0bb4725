/**
 * Reads the stores directory into DesiredStores: every `*.yaml` file read, parsed and
 * checked, then the rules across files (one file per code, one store per business_id).
 * Every problem of every file is collected; nothing is thrown for bad files.
 */
import path from "node:path";
import type { DesiredStore } from "../core/model.js";
import type { UnchangedFiles } from "../core/select.js";
import { compareIssues, type StoreIssue } from "./issues.js";
import { decodeStoreBytes } from "./decode-text.js";
import { listStoreFiles, readBuffer, readStoreFile, type StoreEntry } from "./store-directory.js";
import { loadEntries, type WorkerOptions } from "./store-workers.js";
import { findRepository, isWithin, repositoryAt, type Repository } from "./repository.js";
import { DeclaredIdentities, type IdentityField } from "./cross-file-rules.js";
import type { Position } from "./yaml-positions.js";
import type { LoadedFleet } from "./load-fleet.js";

export interface StoreFile {
  /** Path for messages, relative to displayRoot (default: the cwd). */
  file: string;
  /** The file name without .yaml. */
  code: string;
  /**
   * sha256 (hex) of the file's bytes; with a fleet file, of the fleet file's digest and
   * that hash, since the store's desired state depends on both.
   */
  fileHash: string;
}

export interface LoadedStore extends StoreFile {
  store: DesiredStore;
}

export interface LoadResult {
  /** Parsed and valid (a file with only warnings is valid). */
  stores: LoadedStore[];
  /** Bytes unchanged (see skipUnchanged), not parsed. */
  skipped: (StoreFile & { businessId?: string })[];
  /** Errors and warnings, sorted by file and line. A file with errors is in neither list. */
  issues: StoreIssue[];
  /**
   * Every invalid file: those with an error, and every file of a duplicate code or
   * business_id (reported once, on the first file of each group).
   */
  invalidFiles?: ReadonlySet<string>;
  /** Threads that checked the files (workers for a large fleet, see store-workers.ts). */
  threads?: number;
}

export interface LoadOptions {
  /** Paths in messages are relative to this directory (default: the cwd). */
  displayRoot?: string;
  /** Read only these codes; a code without a file is not an error here. */
  only?: readonly string[];
  /**
   * Files whose bytes still hash to fileHash are not parsed, only listed in `skipped`. May be
   * a promise (of the state being read): the directory is listed meanwhile.
   */
  skipUnchanged?: UnchangedFiles | Promise<UnchangedFiles>;
  /**
   * The directory store files must lie in, links followed (default: the git work tree that
   * holds the stores directory; outside git, the display root when it holds the stores
   * directory, else the stores directory itself).
   */
  repositoryRoot?: string;
  /** The fleet file the stores inherit from (SPEC §2a). */
  fleet?: LoadedFleet;
  /**
   * Worker threads for a large fleet; false: the main thread only. Used when every file is
   * parsed (no skipUnchanged): hashing alone is too quick to gain from them.
   */
  workers?: WorkerOptions | false;
  /**
   * false: the files are not hashed and every fileHash is "". For validate, which records
   * nothing: node:crypto alone costs a start about 4 ms. Not with skipUnchanged.
   */
  hashFiles?: boolean;
}

/** The repository of a stores directory, as LoadOptions.repositoryRoot describes its default. */
export function storesRepository(dir: string, displayRoot: string): Repository {
  const resolved = path.resolve(dir);
  const root = path.resolve(displayRoot);
  return findRepository(resolved, isWithin(root, resolved) ? root : resolved);
}

type Skipped = LoadResult["skipped"][number];

export async function loadStores(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const displayRoot = options.displayRoot ?? process.cwd();
  const only = options.only === undefined ? undefined : new Set(options.only);
  const repository =
    options.repositoryRoot === undefined
      ? storesRepository(dir, displayRoot)
      : repositoryAt(options.repositoryRoot);
  const fleet = options.fleet;
  const [listing, skipUnchanged] = await Promise.all([
    listStoreFiles(path.resolve(dir), displayRoot, only, repository),
    options.skipUnchanged,
  ]);
  const issues: StoreIssue[] = [...listing.issues];

  // Looked up once per file: what the state remembers of it serves the hash check and,
  // for a file skipped as unchanged, its business_id.
  const remembered = skipUnchanged && listing.entries.map(({ code }) => skipUnchanged.get(code));
  const { outcomes, threads } = await loadEntries(
    listing.entries,
    {
      repository,
      ...(fleet === undefined ? {} : { fleet }),
      ...(options.hashFiles === false && skipUnchanged === undefined ? { hashFiles: false } : {}),
    },
    (index) => remembered?.[index]?.fileHash,
    skipUnchanged !== undefined || options.workers === false ? { count: 0 } : options.workers,
  );
  // In the files' order, whichever thread checked them: the report reads as from one thread.
  const identities = new DeclaredIdentities();
  const loaded: LoadedStore[] = [];
  const skipped: Skipped[] = [];
  listing.entries.forEach(({ file, code }, index) => {
    const outcome = outcomes[index]!;
    if ("issue" in outcome) {
      issues.push(outcome.issue);
      return;
    }
    const { fileHash } = outcome;
    if ("unchanged" in outcome) {
      const businessId = remembered?.[index]?.businessId;
      skipped.push(
        businessId === undefined ? { file, code, fileHash } : { file, code, fileHash, businessId },
      );
      identities.add(file, code, businessId);
      return;
    }
    const { parsed } = outcome;
    for (const issue of parsed.issues) issues.push(issue);
    if (parsed.store !== undefined) {
      loaded.push({ file, code, fileHash, store: parsed.store });
      identities.add(file, parsed.store.code, parsed.store.businessId);
    } else {
      identities.add(file, parsed.code, parsed.businessId);
    }
  });

  let byFile: Map<string, StoreEntry> | undefined;
  let buffer: Buffer | undefined;
  // Locating a field parses with positions: the yaml library loads only for a duplicate.
  const { locateField } = identities.anyShared()
    ? await import("./parse-store.js")
    : { locateField: undefined };
  const shared = identities.issues((file, field) => {
    if (locateField === undefined) return undefined;
    byFile ??= new Map(listing.entries.map((entry) => [entry.file, entry]));
    buffer ??= readBuffer();
    return locateInFile(byFile.get(file), field, buffer, repository, locateField);
  });
  issues.push(...shared.issues);
  const failedFiles = new Set(shared.files);
  for (const issue of issues) if (issue.severity === "error") failedFiles.add(issue.file);
  const valid = (item: StoreFile) => !failedFiles.has(item.file);
  return {
    stores: failedFiles.size === 0 ? loaded : loaded.filter(valid),
    skipped: failedFiles.size === 0 ? skipped : skipped.filter(valid),
    issues: issues.sort(compareIssues),
    invalidFiles: failedFiles,
    threads,
  };
}

/** Where a file declares a field: read and parsed again, which only files in a duplicate need. */
function locateInFile(
  entry: StoreEntry | undefined,
  field: IdentityField,
  buffer: Buffer,
  repository: Repository,
  locateField: (text: string, field: IdentityField) => Position | undefined,
): Position | undefined {
  if (entry === undefined) return undefined;
  const read = readStoreFile(entry, buffer, repository);
  if ("issue" in read) return undefined;
  const decoded = decodeStoreBytes(read.bytes, entry.file);
  if ("issue" in decoded) return undefined;
  try {
    return locateField(decoded.text, field);
  } catch {
    return undefined;
  }
}
