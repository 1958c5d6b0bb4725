/**
 * The files `import --factor` replaces, checked before and after it writes. A fleet file's
 * defaults reach every store file of the directory: one the import does not write would
 * silently inherit them, so the factored import owns the whole directory.
 *
 * Order of writing (see the command): the thin store files are staged; the old fleet file,
 * if any, is removed; the store files are renamed into place; then the new fleet file is
 * written, then the state. A fleet file therefore only ever sits beside the store files it
 * was made for; a crash in between leaves store files and no fleet file, nothing recorded,
 * and `import --all --factor --force` writes them all again.
 */
import { rm } from "node:fs/promises";
import { AppError } from "../errors.js";
import { recordAfterApply } from "../core/record.js";
import { hashDesiredStore } from "../core/hash.js";
import type { StoreRecord } from "../core/model.js";
import { formatIssue, loadFleet, loadStores, storesRepository } from "../files/index.js";
import { listStoreFiles } from "../files/store-directory.js";
import type { BuiltStore } from "./build-store.js";
import { exists } from "./run-import.js";

export interface FactorTargets {
  /** The stores directory, absolute. */
  readonly storesDir: string;
  /** The fleet file, absolute, and as messages show it. */
  readonly fleetFile: string;
  readonly shownFleetFile: string;
  /** The --config value, for the loader (undefined: the default file). */
  readonly config: string | undefined;
  readonly cwd: string;
  readonly force: boolean;
}

/** Before any request: an existing fleet file or store file is replaced only with --force. */
export async function checkFactorTargets(targets: FactorTargets): Promise<void> {
  if (targets.force) return;
  if (await exists(targets.fleetFile)) {
    throw new AppError(
      `${targets.shownFleetFile} already exists; import --factor writes a new fleet file: add --force to replace it (its defaults and profiles are lost), or write another with --config FILE`,
    );
  }
  const files = await storeFilesIn(targets);
  if (files.length > 0) {
    throw new AppError(
      `${describeFiles(files)} already in the stores directory; import --factor writes every store file anew: add --force to replace them, or import into an empty directory`,
    );
  }
}

/** Removes the fleet file being replaced (--force), if there is one. */
export async function removeFleetFile(targets: FactorTargets): Promise<void> {
  await rm(targets.fleetFile, { force: true });
}

/** After reading: a store file the import will not write would inherit the new defaults. */
export async function checkNoOtherStoreFiles(
  targets: FactorTargets,
  written: ReadonlySet<string>,
): Promise<void> {
  const others = (await storeFilesIn(targets)).filter((entry) => !written.has(entry.code));
  if (others.length > 0) {
    throw new AppError(
      `import --factor: ${describeFiles(others)} not imported now (no business with that code, or skipped) and would inherit the new defaults of ${targets.shownFleetFile}; nothing written: move them out of the stores directory, or import without --factor`,
    );
  }
}

/**
 * After writing: reads the files back through the loader, as plan will, and records each
 * store with the hashes the loader computes. A store that does not load back as its live
 * links is not recorded: the run fails naming it.
 */
export async function recordFactored(
  targets: FactorTargets,
  stores: readonly BuiltStore[],
  now: Date,
): Promise<Record<string, StoreRecord>> {
  const { loaded: fleet, issues: fleetIssues } = await loadFleet(targets.config, targets.cwd);
  const loaded = await loadStores(targets.storesDir, {
    displayRoot: targets.cwd,
    only: stores.map((store) => store.code),
    ...(fleet === undefined ? {} : { fleet }),
  });
  const firstError = [...fleetIssues, ...loaded.issues].find((i) => i.severity === "error");
  const byCode = new Map(loaded.stores.map((store) => [store.code, store]));
  const records: Record<string, StoreRecord> = {};
  for (const store of stores) {
    const read = byCode.get(store.code);
    if (read === undefined || hashDesiredStore(read.store) !== hashDesiredStore(store.desired)) {
      const why = firstError === undefined ? "it means other links" : formatIssue(firstError);
      throw new AppError(
        `import --factor: ${store.file} does not read back as its live links (${why}); nothing recorded in the state: run import --all --factor --force again`,
      );
    }
    records[store.code] = recordAfterApply({
      desired: read.store,
      live: store.live,
      fileHash: read.fileHash,
      now,
    });
  }
  return records;
}

async function storeFilesIn(targets: FactorTargets) {
  try {
    const repository = storesRepository(targets.storesDir, targets.cwd);
    return (await listStoreFiles(targets.storesDir, targets.cwd, undefined, repository)).entries;
  } catch (error) {
    // No stores directory yet: nothing to replace.
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === "ENOENT") return [];
    throw error;
  }
}

function describeFiles(files: readonly { readonly file: string }[]): string {
  const shown = files
    .slice(0, 3)
    .map((entry) => entry.file)
    .join(", ");
  if (files.length === 1) return `${shown} is`;
  return `${files.length} store files (${shown}${files.length > 3 ? ", …" : ""}) are`;
}
