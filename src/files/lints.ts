/**
 * Offline lints of validate (warnings): link patterns that Google refuses or drops after
 * Partoo accepted them (partoo-api.md): two links of one type on one host ("one link per
 * domain per type"), and one URL shared by several stores ("a page per location").
 */
import path from "node:path";
import type { DesiredStore } from "../core/model.js";
import type { StoreIssue } from "./issues.js";
import type { LinkRef, locateLinks as LocateLinksFunction, StoreLinks } from "./link-positions.js";
import { quoteUrl, urlIdentity } from "../core/link-url.js";
import type { Position } from "./yaml-positions.js";

type LocateLinks = typeof LocateLinksFunction;

/** Files named in the warning about a shared URL, besides the one it is on. */
const SHARED_FILES_SHOWN = 3;

export interface LintedStore {
  /** The store file as messages show it, relative to the display root. */
  readonly file: string;
  readonly store: DesiredStore;
}

interface Place extends LinkRef {
  readonly file: string;
}

interface Lint {
  readonly at: Place;
  /** Links the message names by position. */
  readonly refs: readonly Place[];
  readonly message: (position: (place: Place) => Position | undefined) => string;
}

/** The lints of every store, each placed on its file, line and column. */
export async function lintStoreLinks(
  stores: readonly LintedStore[],
  displayRoot: string,
): Promise<StoreIssue[]> {
  const lints = [...stores.flatMap(sameHostLints), ...sharedUrlLints(stores)];
  if (lints.length === 0) return [];
  // Placing a lint may parse its file with yaml: loaded only when there is one to place.
  const { locateLinks } = await import("./link-positions.js");
  const linksOf = new Map(stores.map(({ file, store }) => [file, store.links]));
  const positions = locateAll(lints, displayRoot, linksOf, locateLinks);
  const position = (place: Place) => positions.get(place.file)?.get(keyOf(place));
  return lints.map((lint) => ({
    file: lint.at.file,
    ...position(lint.at),
    severity: "warning",
    message: lint.message(position),
  }));
}

/** Google allows one link per domain per type; a leading www. does not make another domain. */
function sameHostLints({ file, store }: LintedStore): Lint[] {
  const lints: Lint[] = [];
  for (const [type, links] of Object.entries(store.links)) {
    if (links.length < 2) continue;
    const byHost = new Map<string, Place[]>();
    links.forEach((link, index) => {
      const host = hostOf(link.url);
      if (host === undefined) return;
      const place = { file, type, index, url: link.url };
      const group = byHost.get(host);
      if (group === undefined) byHost.set(host, [place]);
      else group.push(place);
    });
    for (const [host, group] of byHost) {
      if (group.length < 2) continue;
      lints.push({
        at: group[1]!,
        refs: group,
        message: (position) => {
          const lines = group.map((place) => position(place)?.line);
          const where = lines.every((line) => line !== undefined)
            ? ` (lines ${listed(lines)})`
            : "";
          return `${type} has ${group.length} links on ${host}${where}; Google allows one link per domain per type and drops the others: keep one`;
        },
      });
    }
  }
  return lints;
}

/** One warning per shared URL, on its first store, naming a few of the others. */
function sharedUrlLints(stores: readonly LintedStore[]): Lint[] {
  const users = new Map<string, Place[]>();
  for (const { file, store } of stores) {
    const seen = new Set<string>();
    for (const [type, links] of Object.entries(store.links)) {
      links.forEach((link, index) => {
        const identity = urlIdentity(link.url);
        if (seen.has(identity)) return;
        seen.add(identity);
        const place = { file, type, index, url: link.url };
        const group = users.get(identity);
        if (group === undefined) users.set(identity, [place]);
        else group.push(place);
      });
    }
  }
  const lints: Lint[] = [];
  for (const group of users.values()) {
    if (group.length < 2) continue;
    const shown = group.slice(1, 1 + SHARED_FILES_SHOWN);
    const more = group.length - 1 - shown.length;
    lints.push({
      at: group[0]!,
      refs: [group[0]!, ...shown],
      message: (position) => {
        const where = (place: Place) => {
          const line = position(place)?.line;
          return line === undefined ? place.file : `${place.file}:${line}`;
        };
        const others = `${shown.map(where).join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
        return `${quoteUrl(group[0]!.url)} is used by ${group.length} store files (also ${others}); Google wants a page for each location: give each store its own URL`;
      },
    });
  }
  return lints;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return undefined;
  }
}

function keyOf(place: LinkRef): string {
  return `${place.type}\u0000${place.index}`;
}

/** Each file named by a lint is parsed once, for all its positions. */
function locateAll(
  lints: readonly Lint[],
  displayRoot: string,
  linksOf: ReadonlyMap<string, StoreLinks>,
  locateLinks: LocateLinks,
): Map<string, Map<string, Position | undefined>> {
  const wanted = new Map<string, Map<string, Place>>();
  for (const lint of lints) {
    for (const place of [lint.at, ...lint.refs]) {
      let refs = wanted.get(place.file);
      if (refs === undefined) wanted.set(place.file, (refs = new Map()));
      refs.set(keyOf(place), place);
    }
  }
  const positions = new Map<string, Map<string, Position | undefined>>();
  for (const [file, refs] of wanted) {
    const places = [...refs.values()];
    const found = locateLinks(path.resolve(displayRoot, file), places, linksOf.get(file) ?? {});
    positions.set(file, new Map(places.map((place, index) => [keyOf(place), found[index]])));
  }
  return positions;
}

/** "7 and 9", "7, 9 and 11". */
function listed(items: readonly unknown[]): string {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
