/** Writing a store file from live links, as `import` does: the same format users write by hand. */
import { Document } from "yaml";
import type { DesiredLink, DesiredStore, LinkType, LiveLinks } from "../core/model.js";
import { knownTypes, plainName, shownType, unknownTypes } from "./partoo-values.js";

/**
 * The desired store that matches live: every editable link of the types a store file can
 * list, by type, in live order, each URL once. Types with only non-editable links stay
 * unmanaged (not listed), and so do types the schema does not know.
 */
export function desiredFromLive(
  code: string,
  businessId: string | undefined,
  live: LiveLinks,
): DesiredStore {
  // Null prototype: a type name is only ever a key.
  const links = Object.create(null) as Record<LinkType, DesiredLink[]>;
  for (const type of knownTypes(live).sort()) {
    const seen = new Set<string>();
    const editable: DesiredLink[] = [];
    for (const link of live[type] ?? []) {
      if (!link.editable || seen.has(link.url)) continue;
      seen.add(link.url);
      editable.push({ url: link.url, preferred: link.preferred });
    }
    if (editable.length > 0) links[type] = editable;
  }
  return businessId === undefined ? { code, links } : { code, businessId, links };
}

export interface StoreFileHeader {
  readonly businessId: string;
  readonly name: string;
  readonly date: string;
  /** The live links, to name in a note the types left out because the schema does not know them. */
  readonly live?: LiveLinks;
  /** The store schema, relative to the file (default ../schemas/store.schema.json). */
  readonly schema?: string;
  /** The fleet file a thin file inherits from (import --factor), as the comment names it. */
  readonly fleetFile?: string;
}

/** What a store file lists: per type, its links, or null (`TYPE: ~`) to inherit nothing. */
export interface StoreFileContent {
  readonly code: string;
  readonly businessId?: string | undefined;
  readonly links: ReadonlyMap<LinkType, readonly DesiredLink[] | null>;
}

/**
 * The YAML text of a store file: types by name, preferred links in full, others in the
 * shorthand. Every byte goes through the yaml library's serializer, the comments too: a
 * value from Partoo can never start a line, a key or a comment of its own.
 */
export function renderStoreFile(store: StoreFileContent, header: StoreFileHeader): string {
  const links = new Map(
    [...store.links]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, list]) => [type, list === null ? null : linkItems(list)]),
  );
  const content = new Map<string, unknown>([["code", store.code]]);
  if (store.businessId !== undefined) content.set("business_id", store.businessId);
  content.set("links", links);
  const document = new Document(content);
  const comments = [
    ` yaml-language-server: $schema=${header.schema ?? "../schemas/store.schema.json"}`,
    ` Imported from Partoo on ${header.date}: business ${header.businessId} (${plainName(header.name)}).`,
    ...(header.fleetFile === undefined
      ? [" Types not listed here are left as they are on Partoo."]
      : [
          ` Types not listed here: from the defaults of ${header.fleetFile}, else left as they are on Partoo.`,
        ]),
  ];
  const unknown = header.live === undefined ? [] : unknownTypes(header.live);
  if (unknown.length > 0) {
    const named = unknown.map(shownType).filter((type) => type !== undefined);
    const others = unknown.length - named.length;
    const list = [...named, ...(others > 0 ? [`${others} more`] : [])].join(", ");
    comments.push(
      ` Partoo also has ${list}, which partoo-links does not know: left out, kept as they are.`,
    );
  }
  // On the mapping, not the document: the comment sits right above `code:`, as in hand-written files.
  if (document.contents !== null) document.contents.commentBefore = comments.join("\n");
  return document.toString(YAML_OUTPUT);
}

/** How files are written: no folding of long URLs, `~` for a type that inherits nothing. */
export const YAML_OUTPUT = { lineWidth: 0, nullStr: "~" } as const;

/** A list as a file spells it: preferred links in full, others in the shorthand. */
export function linkItems(
  list: readonly { readonly url: string; readonly preferred: boolean }[],
): (string | { url: string; preferred: true })[] {
  return list.map((link) => (link.preferred ? { url: link.url, preferred: true } : link.url));
}
