/** Which links of the desired state a run fetches (SPEC §5): pure. */
import type { DesiredStore, StateDocument } from "../core/model.js";
import { urlIdentity } from "../core/link-url.js";

/** One link of one store file, by where the file lists it. */
export interface LinkTarget {
  readonly code: string;
  readonly type: string;
  /** Its position in the type's list (0-based), as the file orders it. */
  readonly index: number;
  readonly url: string;
}

/**
 * Every link when `state` is undefined (--check-links=all); otherwise the links whose URL the
 * store's last-applied record does not hold, in any type: a URL already applied was checked
 * when it was added, and moving it to another type does not change where it leads.
 */
export function selectLinksToCheck(
  stores: Iterable<DesiredStore>,
  state: StateDocument | undefined,
): LinkTarget[] {
  const targets: LinkTarget[] = [];
  for (const store of stores) {
    const applied = state === undefined ? undefined : appliedUrls(state, store.code);
    for (const [type, links] of Object.entries(store.links)) {
      links.forEach((link, index) => {
        if (applied?.has(urlIdentity(link.url)) !== true) {
          targets.push({ code: store.code, type, index, url: link.url });
        }
      });
    }
  }
  return targets;
}

function appliedUrls(state: StateDocument, code: string): Set<string> {
  const urls = new Set<string>();
  const record = Object.hasOwn(state.stores, code) ? state.stores[code] : undefined;
  for (const links of Object.values(record?.links ?? {})) {
    for (const link of links) urls.add(urlIdentity(link.url));
  }
  return urls;
}
