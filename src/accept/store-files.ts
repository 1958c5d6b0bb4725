/**
 * The file system side of accept: reading the named store files (a missing or invalid one
 * is skipped with its reason). Writing goes through the services' atomic writer.
 */
import { formatIssue } from "../files/index.js";
import { parseStoreText } from "../files/parse-store.js";
import { decodeStoreBytes } from "../files/decode-text.js";
import {
  displayPath,
  listStoreFiles,
  readBuffer,
  readStoreFile,
} from "../files/store-directory.js";
import { storesRepository } from "../files/load-stores.js";
import type { StoreFileTarget } from "./accept-stores.js";
import type { Fleet } from "../core/fleet.js";
import type { AcceptSkip } from "./report.js";

export async function readStoreTargets(
  dir: string,
  displayRoot: string,
  codes: readonly string[],
  log: (line: string) => void,
  /** The fleet file the stores inherit from: an inherited type is accepted into the file. */
  fleet?: Fleet,
): Promise<{ targets: StoreFileTarget[]; skipped: AcceptSkip[] }> {
  // Listing the directory (never joining a code to a path) keeps hostile codes inside it.
  // The same confinement as every other reader: no link out of the repository is followed.
  const repository = storesRepository(dir, displayRoot);
  const listing = await listStoreFiles(dir, displayRoot, new Set(codes), repository);
  for (const issue of listing.issues) log(formatIssue(issue));
  const found = new Set(listing.entries.map((entry) => entry.code));
  const skipped: AcceptSkip[] = codes
    .filter((code) => !found.has(code))
    .map((code) => ({
      code,
      reason: `no store file ${code}.yaml in ${displayPath(displayRoot, dir)}`,
    }));
  const buffer = readBuffer();
  const targets: StoreFileTarget[] = [];
  for (const entry of listing.entries) {
    const read = readStoreFile(entry, buffer, repository);
    const decoded = "issue" in read ? read : decodeStoreBytes(read.bytes, entry.file);
    if ("issue" in decoded) {
      skipped.push({ code: entry.code, reason: formatIssue(decoded.issue) });
      continue;
    }
    const parsed = parseStoreText(decoded.text, entry.file, entry.code, fleet);
    if (parsed.store === undefined || parsed.issues.some((issue) => issue.severity === "error")) {
      for (const issue of parsed.issues) log(formatIssue(issue));
      skipped.push({
        code: entry.code,
        reason: `${entry.file} is invalid (errors above); fix it and run accept again`,
      });
      continue;
    }
    const { code, file } = entry;
    targets.push({ code, file, path: entry.path, text: decoded.text, desired: parsed.store });
  }
  return { targets, skipped };
}
