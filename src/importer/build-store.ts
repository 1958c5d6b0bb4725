/**
 * One imported store, from its business and live links: the store file's text, and the state
 * record that says it was applied, so that a live plan right after is empty. Plain data in,
 * plain data out; a business that cannot be imported is a skip with its reason.
 */
import { createHash } from "node:crypto";
import type { DesiredLink, DesiredStore, LiveLinks } from "../core/model.js";
import { planStoreLive } from "../core/diff-live.js";
import { recordAfterApply } from "../core/record.js";
import type { ImportedStore, ImportSkip } from "../core/render/import.js";
import type { Fleet } from "../core/fleet.js";
import { formatIssue, storeFileHash, type LoadedFleet } from "../files/index.js";
import { parseStoreText } from "../files/parse-store.js";
import type { Business } from "../partoo/client.js";
import {
  desiredFromLive,
  renderStoreFile,
  type StoreFileContent,
  type StoreFileHeader,
} from "./store-yaml.js";
import {
  businessIdProblem,
  liveUrlProblem,
  quotedWhat,
  storeCodeProblem,
} from "./partoo-values.js";

/** The store code of a business as the import names its file (undefined: it cannot be one). */
export function importCode(business: Business, byId: boolean): string {
  return byId ? business.id : business.code!;
}

/**
 * Why a business cannot be imported as it is: an id or a code from Partoo that is not what
 * it can be (it would reach a file name or a line of YAML), or undefined when it can.
 */
export function unusableCode(
  business: Business,
  code: string,
  what: string,
): ImportSkip | undefined {
  const invalid = businessIdProblem(business.id) ?? storeCodeProblem(code);
  return invalid === undefined
    ? undefined
    : { what: quotedWhat(what), reason: invalid, error: true };
}

export interface BuildInput {
  readonly business: Business;
  readonly code: string;
  /** Set when the store is addressed by id (--by-id). */
  readonly businessId: string | undefined;
  readonly live: LiveLinks;
  /** The store file as messages show it. */
  readonly file: string;
  readonly now: Date;
  /** The $schema reference written in the file. */
  readonly schema?: string;
  /**
   * The fleet file the file will be read with: a default type the store lacks is written
   * `TYPE: ~`, so that the file means the live links and nothing inherited.
   */
  readonly fleet?: LoadedFleet;
}

/** An imported store with what it was built from: what `import --factor` factors. */
export interface BuiltStore extends ImportedStore {
  /** The store as the full file says it: the live links to match. */
  readonly desired: DesiredStore;
  readonly live: LiveLinks;
  readonly header: StoreFileHeader;
}

export function buildImportedStore(input: BuildInput): BuiltStore | ImportSkip {
  const { business, code, live, file } = input;
  const what = input.businessId === undefined ? code : `business ${business.id}`;
  const badUrl = liveUrlProblem(live);
  if (badUrl !== undefined) return { what, reason: badUrl, error: true };
  const header: StoreFileHeader = {
    businessId: business.id,
    name: business.name,
    date: input.now.toISOString().slice(0, 10),
    live,
    ...(input.schema === undefined ? {} : { schema: input.schema }),
  };
  const own = desiredFromLive(code, input.businessId, live);
  const text = renderStoreFile(withoutInherited(own, input.fleet?.fleet), header);
  // What we write must load back as the same store, or the state would not match the file.
  const parsed = parseStoreText(text, file, code, input.fleet?.fleet);
  const firstError = parsed.issues.find((issue) => issue.severity === "error");
  if (parsed.store === undefined || firstError !== undefined) {
    return {
      what,
      reason: `its live links do not make a valid store file (${firstError ? formatIssue(firstError) : "invalid"}); fix the link in Partoo first`,
      error: true,
    };
  }
  // The file keeps each URL once per type: live with a repeated URL does not match it.
  const left = planStoreLive(parsed.store, undefined, live).changes;
  if (left.length > 0) {
    const first = left[0]!;
    const why = first.duplicate === true ? "is repeated in its type" : `would be ${first.op}d`;
    return {
      what,
      reason: `its live links cannot be written as a file that matches them exactly (${first.type} ${first.url} ${why}); clean it up in Partoo, or import it and run apply`,
      error: true,
    };
  }
  const record = recordAfterApply({
    desired: parsed.store,
    live,
    fileHash: storeFileHash(createHash("sha256").update(text).digest("hex"), input.fleet),
    now: input.now,
  });
  const links = Object.values(parsed.store.links).reduce((sum, list) => sum + list.length, 0);
  return { code, file, text, record, links, desired: parsed.store, live, header };
}

/** The store's own lists, and `~` for each default type of the fleet file it does not have. */
export function withoutInherited(store: DesiredStore, fleet: Fleet | undefined): StoreFileContent {
  const links = new Map<string, readonly DesiredLink[] | null>(Object.entries(store.links));
  for (const type of fleet?.defaults.links.keys() ?? []) {
    if (!links.has(type)) links.set(type, null);
  }
  return { code: store.code, businessId: store.businessId, links };
}
