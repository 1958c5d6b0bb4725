/**
 * The normalized desired store and its hash. The hash is what the state remembers of the
 * last applied file: two files that mean the same thing (same code, address, types and
 * links in the same order) hash the same, whatever their YAML spelling, comments or key order.
 */
import { createHash } from "node:crypto";
import { isCodeAddress, type DesiredLink, type DesiredStore, type LinkType } from "./model.js";

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

/** The `business_id` a file must have set for `address` to be its address (see businessAddress). */
export function businessIdFromAddress(code: string, address: string): string | undefined {
  return isCodeAddress(code, address) ? undefined : address;
}
