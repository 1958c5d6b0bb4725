/**
 * Reads the fleet file (SPEC §2a): `partoo-links.yaml` in the working directory, or the file
 * `--config` names. A missing default file means no fleet file; a missing named one is an error.
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import type { Fleet } from "../core/fleet.js";
import { decodeStrictly, tooLargeIssue } from "./decode-text.js";
import { MAX_FILE_BYTES } from "./limits.js";
import { findRepository, readRegularFileInside } from "./repository.js";
import type { StoreIssue } from "./issues.js";
import { displayPath } from "./store-directory.js";
import { nodeCrypto } from "../node-crypto.js";

export interface LoadedFleet {
  readonly fleet: Fleet;
  /** sha256 of the file's bytes: a store's desired state depends on them. */
  readonly digest: string;
  readonly caps?: { readonly maxStores?: number; readonly maxDeletedLinks?: number };
}

export interface FleetLoad {
  /** Undefined when there is no fleet file (or it has errors). */
  readonly loaded?: LoadedFleet;
  readonly issues: readonly StoreIssue[];
}

/** The fleet file's default name, in the working directory. */
export const FLEET_FILE = "partoo-links.yaml";

/**
 * `config`: the --config value (relative to `cwd`), or undefined for the default file.
 * Paths in messages are relative to `displayRoot`.
 */
export async function loadFleet(
  config: string | undefined,
  cwd: string,
  displayRoot = cwd,
): Promise<FleetLoad> {
  const file = path.resolve(cwd, config ?? FLEET_FILE);
  const shown = displayPath(displayRoot, file);
  try {
    await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && config === undefined) return { issues: [] };
    const message = code === "ENOENT" ? "no such file; check --config" : undefined;
    if (message !== undefined) return { issues: [{ file: shown, severity: "error", message }] };
  }
  // A pull request controls this file: a link out of the repository is refused, never read.
  const read = readRegularFileInside(file, findRepository(cwd, cwd), {
    maxBytes: MAX_FILE_BYTES,
    tooLarge: (size) => tooLargeIssue(shown, size).message,
  });
  if ("problem" in read) {
    const hint = config === undefined ? "" : "; check --config";
    return { issues: [{ file: shown, severity: "error", message: `${read.problem}${hint}` }] };
  }
  const bytes = Buffer.from(read.bytes);
  const decoded = decodeStrictly(bytes, shown);
  if ("issue" in decoded) return { issues: [decoded.issue] };
  // The yaml library loads only when there is a fleet file to parse.
  const { parseFleetText } = await import("./parse-fleet.js");
  const parsed = parseFleetText(decoded.text, shown);
  if (parsed.fleet === undefined) return { issues: parsed.issues };
  return {
    loaded: {
      fleet: parsed.fleet,
      digest: nodeCrypto().hash("sha256", bytes),
      ...(parsed.caps === undefined ? {} : { caps: parsed.caps }),
    },
    issues: parsed.issues,
  };
}
