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

type Skipped = LoadResult["skipped"][number];

/** What became of one file. The declared code and business_id feed the checks across files. */
type Outcome =
  | { kind: "loaded"; loaded: LoadedStore }
  | { kind: "invalid"; file: string; code: string | undefined; businessId: string | undefined }
  | { kind: "skipped"; skipped: Skipped }
  | { kind: "unreadable" };

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
      return { kind: "unreadable" };
    }
    const { file, code } = entry;
    const fileHash = read.fileHash;
    const known = options.skipUnchanged?.get(code);
    if (known !== undefined && known.fileHash === fileHash) {
      const skipped: Skipped = { file, code, fileHash };
      if (known.businessId !== undefined) skipped.businessId = known.businessId;
      return { kind: "skipped", skipped };
    }
    const decoded = decodeStoreBytes(read.bytes, file);
    if ("issue" in decoded) {
      issues.push(decoded.issue);
      return { kind: "unreadable" };
    }
    const parsed = parseStore(decoded.text, file, code);
    for (const issue of parsed.issues) issues.push(issue);
    if (parsed.store !== undefined) {
      return { kind: "loaded", loaded: { file, code, fileHash, store: parsed.store } };
    }
    return { kind: "invalid", file, code: parsed.code, businessId: parsed.businessId };
  };
  const outcomes = listing.entries.map(readOne);

  const paths = new Map(listing.entries.map((entry) => [entry.file, entry.path]));
  const locate = (file: string, field: IdentityField) => locateInFile(paths.get(file), field);
  issues.push(...duplicateIssues(outcomes.flatMap(declaredIdentity), locate));

  const failedFiles = new Set(
    issues.filter((issue) => issue.severity === "error").map((issue) => issue.file),
  );
  const stores: LoadedStore[] = [];
  const skipped: Skipped[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "loaded" && !failedFiles.has(outcome.loaded.file)) {
      stores.push(outcome.loaded);
    } else if (outcome.kind === "skipped" && !failedFiles.has(outcome.skipped.file)) {
      skipped.push(outcome.skipped);
    }
  }
  return { stores, skipped, issues: issues.sort(compareIssues) };
}

function declaredIdentity(outcome: Outcome): DeclaredIdentity[] {
  switch (outcome.kind) {
    case "loaded": {
      const { file, store } = outcome.loaded;
      return [{ file, code: store.code, businessId: store.businessId }];
    }
    case "skipped": {
      const { file, code, businessId } = outcome.skipped;
      return [{ file, code, businessId }];
    }
    case "invalid":
      return [outcome];
    case "unreadable":
      return [];
  }
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
