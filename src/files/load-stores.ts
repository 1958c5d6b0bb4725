/**
 * Reads the stores directory into DesiredStores: every `*.yaml` file read, parsed and
 * checked, then the rules across files (one file per code, one store per business_id).
 * Every problem of every file is collected; nothing is thrown for bad files.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DesiredStore } from "../core/model.js";
import { compareIssues, type StoreIssue } from "./issues.js";
import { decodeStoreBytes } from "./decode-text.js";
import { locateField, parseStore } from "./parse-store.js";
import { listStoreFiles, readBuffer, readStoreFile, type StoreEntry } from "./store-directory.js";
import { duplicateIssues, type DeclaredIdentity, type IdentityField } from "./cross-file-rules.js";
import type { Position } from "./yaml-positions.js";

export interface StoreFile {
  /** Path for messages, relative to displayRoot (default: the cwd). */
  file: string;
  /** The file name without .yaml. */
  code: string;
  /** sha256 (hex) of the file's bytes. */
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
}

export interface LoadOptions {
  /** Paths in messages are relative to this directory (default: the cwd). */
  displayRoot?: string;
  /** Read only these codes; a code without a file is not an error here. */
  only?: readonly string[];
  /** Files whose bytes still hash to fileHash are not parsed, only listed in `skipped`. */
  skipUnchanged?: ReadonlyMap<string, { fileHash: string; businessId?: string }>;
}

type Outcome =
  | {
      kind: "parsed";
      file: StoreFile;
      store?: DesiredStore;
      code?: string;
      businessId?: string;
    }
  | { kind: "skipped"; file: StoreFile & { businessId?: string } }
  | { kind: "failed" };

export async function loadStores(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const displayRoot = options.displayRoot ?? process.cwd();
  const only = options.only === undefined ? undefined : new Set(options.only);
  const listing = await listStoreFiles(path.resolve(dir), displayRoot, only);
  const issues: StoreIssue[] = [...listing.issues];

  const buffer = readBuffer();
  const readOne = (entry: StoreEntry): Outcome => {
    const read = readStoreFile(entry, buffer);
    if ("issue" in read) {
      issues.push(read.issue);
      return { kind: "failed" };
    }
    const file: StoreFile = { file: entry.file, code: entry.code, fileHash: read.fileHash };
    const known = options.skipUnchanged?.get(entry.code);
    if (known !== undefined && known.fileHash === read.fileHash) {
      return {
        kind: "skipped",
        file: known.businessId === undefined ? file : { ...file, businessId: known.businessId },
      };
    }
    const decoded = decodeStoreBytes(read.bytes, entry.file);
    if ("issue" in decoded) {
      issues.push(decoded.issue);
      return { kind: "failed" };
    }
    const parsed = parseStore(decoded.text, entry.file, entry.code);
    issues.push(...parsed.issues);
    const outcome: Outcome = { kind: "parsed", file };
    if (parsed.store !== undefined) outcome.store = parsed.store;
    if (parsed.code !== undefined) outcome.code = parsed.code;
    if (parsed.businessId !== undefined) outcome.businessId = parsed.businessId;
    return outcome;
  };
  const outcomes = listing.entries.map(readOne);

  const identities: DeclaredIdentity[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "parsed") {
      identities.push({
        file: outcome.file.file,
        code: outcome.code,
        businessId: outcome.businessId,
      });
    } else if (outcome.kind === "skipped") {
      const { file, code, businessId } = outcome.file;
      identities.push({ file, code, businessId });
    }
  }
  const paths = new Map(listing.entries.map((entry) => [entry.file, entry.path]));
  issues.push(
    ...duplicateIssues(identities, (file, field) => locateInFile(paths.get(file), field)),
  );

  const failedFiles = new Set(
    issues.filter((issue) => issue.severity === "error").map((issue) => issue.file),
  );
  const stores: LoadedStore[] = [];
  const skipped: LoadResult["skipped"] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "failed" || failedFiles.has(outcome.file.file)) continue;
    if (outcome.kind === "skipped") skipped.push(outcome.file);
    else if (outcome.store !== undefined) stores.push({ ...outcome.file, store: outcome.store });
  }
  return { stores, skipped, issues: issues.sort(compareIssues) };
}

/** Where a file declares a field: read and parsed again, which only files in a duplicate need. */
function locateInFile(file: string | undefined, field: IdentityField): Position | undefined {
  if (file === undefined) return undefined;
  try {
    return locateField(readFileSync(file, "utf8"), field);
  } catch {
    return undefined;
  }
}
