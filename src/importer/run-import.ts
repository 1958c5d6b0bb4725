/** The import flow over the Partoo client: find the businesses, read each one's links, build its store. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors.js";
import { codeAddress } from "../core/model.js";
import type { ImportSkip } from "../core/render/import.js";
import type { LoadedFleet } from "../files/index.js";
import { PartooAbortedError, PartooStoppedError, type PartooApi } from "../partoo/client.js";
import { buildImportedStore, importCode, unusableCode, type BuiltStore } from "./build-store.js";
import {
  selectAllBusinesses,
  selectCodeBusinesses,
  type BusinessSelection,
} from "./select-businesses.js";

/** `--all` (codes undefined) or `--code A,B`. */
export async function findBusinesses(
  client: PartooApi,
  codes: readonly string[] | undefined,
  byId: boolean,
): Promise<BusinessSelection> {
  if (codes === undefined) return selectAllBusinesses(await client.searchBusinesses(), byId);
  const found: BusinessSelection[] = [];
  for (const code of [...new Set(codes)]) {
    found.push(selectCodeBusinesses(code, await client.searchBusinesses({ code }), byId));
  }
  return {
    businesses: found.flatMap((selection) => selection.businesses),
    skips: found.flatMap((selection) => selection.skips),
  };
}

export interface ImportStoresOptions {
  /** The stores directory, absolute. */
  readonly dir: string;
  /** A path as messages show it. */
  readonly display: (file: string) => string;
  readonly force: boolean;
  readonly byId: boolean;
  readonly now: () => Date;
  /** The $schema reference of the files (see schema-reference.ts). */
  readonly schema?: string;
  /** The fleet file the written files will be read with (see BuildInput.fleet). */
  readonly fleet?: LoadedFleet;
  readonly signal?: AbortSignal;
  readonly onStore?: (failed: boolean) => void;
}

/** Reads and builds each business's store, one by one; stops early on a signal. */
export async function importStores(
  client: PartooApi,
  businesses: readonly BusinessSelection["businesses"][number][],
  options: ImportStoresOptions,
): Promise<{ imported: BuiltStore[]; skips: ImportSkip[]; notImported: number }> {
  const imported: BuiltStore[] = [];
  const skips: ImportSkip[] = [];
  for (const business of businesses) {
    if (options.signal?.aborted) break;
    let result: BuiltStore | ImportSkip;
    try {
      result = await importOne(client, business, options);
    } catch (error) {
      // Interrupted while reading this one: what was built so far is still written.
      if (error instanceof PartooAbortedError && options.signal?.aborted) break;
      throw error;
    }
    if ("reason" in result) skips.push(result);
    else imported.push(result);
    options.onStore?.("reason" in result);
  }
  return { imported, skips, notImported: businesses.length - imported.length - skips.length };
}

async function importOne(
  client: PartooApi,
  business: BusinessSelection["businesses"][number],
  options: ImportStoresOptions,
): Promise<BuiltStore | ImportSkip> {
  const code = importCode(business, options.byId);
  const what = options.byId ? `business ${business.id}` : code;
  const unusable = unusableCode(business, code, what);
  if (unusable !== undefined) return unusable;
  const filePath = path.join(options.dir, `${code}.yaml`);
  const file = options.display(filePath);
  if (!options.force && (await exists(filePath))) {
    return {
      what,
      reason: `${file} already exists; kept (use --force to overwrite)`,
      error: false,
    };
  }
  const businessId = options.byId ? business.id : undefined;
  let live;
  try {
    const request = options.signal === undefined ? {} : { signal: options.signal };
    live = await client.getLinks(businessId ?? codeAddress(code), request);
  } catch (error) {
    // A stopped client (rejected key, unreachable, wrong URL) concerns every store; any
    // other Partoo error, this one.
    if (error instanceof PartooStoppedError || error instanceof PartooAbortedError) throw error;
    if (!(error instanceof AppError)) throw error;
    return { what, reason: error.message, error: true };
  }
  return buildImportedStore({
    business,
    code,
    businessId,
    live,
    file,
    now: options.now(),
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    ...(options.fleet === undefined ? {} : { fleet: options.fleet }),
  });
}

/** Whether a file is there (a link counts as the file it leads to). */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
