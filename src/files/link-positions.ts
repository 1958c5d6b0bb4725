/**
 * Where a store file writes given links, for messages about valid files: loading keeps no
 * positions (a fleet of valid files would pay for them), so the few files that need one are
 * read again here, and parsed again only when the text alone cannot say.
 */
import { readFileSync } from "node:fs";
import { isScalar, parseDocument } from "yaml";
import { LineIndex, nodeAt, type Position } from "./yaml-positions.js";

/** The store's links as loaded, in the file's order: the text is trusted only when it agrees. */
export type StoreLinks = Readonly<Record<string, readonly { readonly url: string }[]>>;

export interface LinkRef {
  readonly type: string;
  readonly index: number;
  readonly url: string;
}

/**
 * The position of each link's URL in the file at `absolutePath`, in the order given;
 * undefined for a link the file does not write there (an inherited one) or an unreadable file.
 */
export function locateLinks(
  absolutePath: string,
  links: readonly LinkRef[],
  listed: StoreLinks,
): (Position | undefined)[] {
  let text: string;
  try {
    text = readFileSync(absolutePath, "utf8");
  } catch {
    return links.map(() => undefined);
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let lines: LineIndex | undefined;
  const at = (offset: number) => (lines ??= new LineIndex(source)).at(offset);
  const offsets = links.map((link) => writtenOffset(source, link, listed));
  if (offsets.every((offset) => offset !== undefined)) return offsets.map(at);
  const document = parseDocument(source, {
    version: "1.2",
    schema: "core",
    uniqueKeys: false,
    logLevel: "silent",
  });
  return links.map(({ type, index, url }, position) => {
    const known = offsets[position];
    if (known !== undefined) return at(known);
    const { node } = nodeAt(document, ["links", type, index, "url"]);
    // A path that ends early stops at an ancestor: only the URL's own scalar is a position.
    if (!isScalar(node) || node.value !== url || node.range === undefined || node.range === null) {
      return undefined;
    }
    return at(node.range[0]);
  });
}

/**
 * The offset of a link's URL when the text shows it plainly: each time the store lists the
 * URL, the file writes it as a whole value, a list item or a `url:` value on its own line
 * (the way nearly every file does), so the n-th listing is the n-th time it is written. A
 * longer URL it starts (a subpage) does not count. Anything else (a URL inherited, escaped,
 * in a flow mapping) is left to the parser.
 */
function writtenOffset(source: string, link: LinkRef, listed: StoreLinks) {
  const written = plainOccurrences(source, link.url);
  let nth = -1;
  let count = 0;
  for (const [type, links] of Object.entries(listed)) {
    links.forEach(({ url }, index) => {
      if (url !== link.url) return;
      if (type === link.type && index === link.index) nth = count;
      count++;
    });
  }
  return nth !== -1 && written.length === count ? written[nth] : undefined;
}

function plainOccurrences(source: string, url: string): number[] {
  const offsets: number[] = [];
  for (let offset = source.indexOf(url); offset !== -1; offset = source.indexOf(url, offset + 1)) {
    const after = source[offset + url.length];
    if (after !== undefined && !/^[\s"'#]$/.test(after)) continue;
    const before = source.slice(source.lastIndexOf("\n", offset) + 1, offset);
    if (!/^[ \t]*(?:-[ \t]+)?(?:url[ \t]*:[ \t]+)?["']?$/.test(before)) continue;
    // A quoted value's position is its opening quote, as the parser gives it.
    offsets.push(/["']$/.test(before) ? offset - 1 : offset);
  }
  return offsets;
}
