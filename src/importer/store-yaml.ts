/** Writing a store file from live links, as `import` does: the same format users write by hand. */
import { stringify } from "yaml";
import type { DesiredLink, DesiredStore, LinkType, LiveLinks } from "../core/model.js";

/**
 * The desired store that matches live: every editable link, by type, in live order, each
 * URL once. Types with only non-editable links stay unmanaged (not listed).
 */
export function desiredFromLive(
  code: string,
  businessId: string | undefined,
  live: LiveLinks,
): DesiredStore {
  const links: Record<LinkType, DesiredLink[]> = {};
  for (const type of Object.keys(live).sort()) {
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
}

/** The YAML text of a store file: preferred links in full, others in the shorthand. */
export function renderStoreYaml(store: DesiredStore, header: StoreFileHeader): string {
  const document: Record<string, unknown> = { code: store.code };
  if (store.businessId !== undefined) document["business_id"] = store.businessId;
  document["links"] = Object.fromEntries(
    Object.entries(store.links).map(([type, links]) => [
      type,
      links.map((link) => (link.preferred ? { url: link.url, preferred: true } : link.url)),
    ]),
  );
  const name = header.name.replace(/[\r\n]+/g, " ");
  return [
    "# yaml-language-server: $schema=../schemas/store.schema.json",
    `# Imported from Partoo on ${header.date}: business ${header.businessId} (${name}).`,
    "# Types not listed here are left as they are on Partoo.",
    stringify(document, { lineWidth: 0 }),
  ].join("\n");
}
