/**
 * Rewrites one type's list of links inside a parsed store document (the `yaml` package's
 * Document API), keeping what a reviewer wrote around it: the nodes of links that stay are
 * reused with their comments and their form (shorthand or `{url, preferred}`); only links
 * that come or go, and `preferred` flags that change, are touched. Pure.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document } from "yaml";
import type { DesiredLink, LinkType } from "../core/model.js";

/** A file edit, as the accept report lists it: a link added, removed, or its flag changed. */
export interface AcceptChange {
  readonly type: LinkType;
  readonly op: "add" | "remove" | "prefer" | "unprefer";
  readonly url: string;
  readonly preferred: boolean;
}

type Item = YAMLSeq["items"][number];

/**
 * Makes `links.<type>` hold exactly `target` (each URL once), adding the type at the end of
 * `links` when the file does not list it (a type that was cleared, or one inherited from the
 * fleet file). `keep` names URLs whose entries stay even though `target` lacks them (links
 * that are live but not editable: a file entry equal to one counts as present).
 */
export function rewriteTypeLinks(
  document: Document,
  type: LinkType,
  target: readonly DesiredLink[],
  keep: ReadonlySet<string> = new Set(),
): AcceptChange[] {
  const links = document.get("links", true);
  if (!isMap(links)) throw new Error("rewriteTypeLinks: the document has no links mapping");
  const existing = links.get(type, true);
  if (!isSeq(existing)) {
    links.add(new Pair(new Scalar(type), newSeq(document, target)));
    return target.map((link) => change(type, link.preferred ? "prefer" : "add", link));
  }
  const wanted = new Map(target.map((link) => [link.url, link]));
  const changes: AcceptChange[] = [];
  const items: Item[] = [];
  const present = new Set<string>();
  for (const item of existing.items) {
    const url = itemUrl(item);
    const link = url === undefined ? undefined : wanted.get(url);
    if (url === undefined || present.has(url) || (link === undefined && !keep.has(url))) {
      if (url !== undefined && !present.has(url))
        changes.push(change(type, "remove", { url, preferred: itemPreferred(item) }));
      continue;
    }
    present.add(url);
    if (link === undefined || itemPreferred(item) === link.preferred) {
      items.push(item);
      continue;
    }
    items.push(withPreferred(document, item, link));
    changes.push(change(type, link.preferred ? "prefer" : "unprefer", link));
  }
  for (const link of target) {
    if (present.has(link.url)) continue;
    items.push(newItem(document, link));
    changes.push(change(type, "add", link));
  }
  const wasEmpty = existing.items.length === 0;
  existing.items = items;
  // `[]` grows into a block list, which is how store files list links; a list that empties
  // becomes `[]` (a block list cannot be empty).
  if (items.length === 0) existing.flow = true;
  else if (existing.flow === true && (wasEmpty || items.some(isMap))) existing.flow = false;
  return changes;
}

function change(
  type: LinkType,
  op: AcceptChange["op"],
  link: { url: string; preferred: boolean },
): AcceptChange {
  return { type, op, url: link.url, preferred: link.preferred };
}

function itemUrl(item: Item): string | undefined {
  if (isScalar(item)) return typeof item.value === "string" ? item.value : undefined;
  if (isMap(item)) {
    const url = item.get("url");
    return typeof url === "string" ? url : undefined;
  }
  return undefined;
}

function itemPreferred(item: Item): boolean {
  return isMap(item) && item.get("preferred") === true;
}

/** The same entry with another flag: shorthand when not preferred, `{url, preferred: true}` when it is. */
function withPreferred(document: Document, item: Item, link: DesiredLink): Item {
  if (isMap(item) && link.preferred) {
    item.set("preferred", true);
    return item;
  }
  if (isMap(item)) {
    const url = item.get("url", true);
    const shorthand = isScalar(url) ? url : new Scalar(link.url);
    shorthand.commentBefore = item.commentBefore ?? shorthand.commentBefore ?? null;
    shorthand.comment = shorthand.comment ?? item.comment ?? null;
    shorthand.spaceBefore = item.spaceBefore ?? false;
    return shorthand;
  }
  const full = newItem(document, link);
  if (isScalar(item)) {
    full.commentBefore = item.commentBefore ?? null;
    full.spaceBefore = item.spaceBefore ?? false;
    const url = full.get("url", true);
    if (isScalar(url)) {
      if (item.type !== undefined) url.type = item.type;
      url.comment = item.comment ?? null;
    }
  }
  return full;
}

/** A link as a person writes it: the bare URL, or `{url, preferred: true}` for the preferred one. */
function newItem(document: Document, link: DesiredLink): YAMLMap & Scalar {
  const node = link.preferred
    ? document.createNode({ url: link.url, preferred: true })
    : document.createNode(link.url);
  if (isMap(node)) node.flow = false;
  return node as YAMLMap & Scalar;
}

function newSeq(document: Document, target: readonly DesiredLink[]): YAMLSeq {
  const seq = new YAMLSeq(document.schema);
  seq.items = target.map((link) => newItem(document, link));
  seq.flow = target.length === 0;
  return seq;
}
