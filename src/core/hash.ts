/**
 * The normalized desired store and its hash. The hash is what the state remembers of the
 * last applied file: two files that mean the same thing (same code, address, types and
 * links in the same order) hash the same, whatever their YAML spelling, comments or key order.
 */
import { createHash } from "node:crypto";
import type { DesiredLink, DesiredStore, LinkType, StoreRecord } from "./model.js";

/**
 * The canonical form of a desired store: types sorted by name, links in file order, every
 * link spelled `{url, preferred}`, no `businessId` key when the file sets none. Its JSON is
 * what gets hashed, so its shape must stay stable across releases.
 */
export function canonicalDesiredStore(store: DesiredStore): DesiredStore {
  const links: Record<LinkType, DesiredLink[]> = {};
  for (const type of Object.keys(store.links).sort()) {
    links[type] = (store.links[type] ?? []).map((link) => ({
      url: link.url,
      preferred: link.preferred === true,
    }));
  }
  return store.businessId === undefined
    ? { code: store.code, links }
    : { code: store.code, businessId: store.businessId, links };
}

/** sha256 (hex) of the canonical JSON of the store. */
export function hashDesiredStore(store: DesiredStore): string {
  return createHash("sha256")
    .update(JSON.stringify(canonicalDesiredStore(store)))
    .digest("hex");
}

/**
 * The desired store a state record was applied from, rebuilt from its links, when that is
 * exact (the rebuilt store hashes to the recorded hash). Lets drift and refreshes work on
 * stores whose file bytes did not change without parsing the file again. Undefined when the
 * record cannot tell (never applied, or written by an older normalization).
 */
export function desiredFromRecord(code: string, record: StoreRecord): DesiredStore | undefined {
  if (record.hash === undefined || record.links === undefined) return undefined;
  const links: Record<LinkType, DesiredLink[]> = {};
  for (const [type, applied] of Object.entries(record.links)) {
    links[type] = applied.map((link) => ({ url: link.url, preferred: link.preferred }));
  }
  const businessId = businessIdFromAddress(code, record.address);
  const store: DesiredStore =
    businessId === undefined ? { code, links } : { code, businessId, links };
  return hashDesiredStore(store) === record.hash ? store : undefined;
}

/** The `business_id` a file must have set for `address` to be its address (see businessAddress). */
export function businessIdFromAddress(code: string, address: string): string | undefined {
  const byCode =
    address.length === code.length + 2 && address.startsWith("c-") && address.endsWith(code);
  return byCode ? undefined : address;
}
