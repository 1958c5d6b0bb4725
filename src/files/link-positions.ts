/**
 * Where a store file writes given links, for messages about valid files: loading keeps no
 * positions (a fleet of valid files would pay for them), so the few files that need one are
 * read and parsed again here.
 */
import { readFileSync } from "node:fs";
import { isScalar, parseDocument } from "yaml";
import { LineIndex, nodeAt, type Position } from "./yaml-positions.js";

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
  const offsets = links.map(({ url }) => writtenOnce(source, url));
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
 * The offset of `url` when the file writes it once, as a list item or a `url:` value on its
 * own line (the way nearly every file does): found without parsing the file again. Anything
 * else (twice, in a comment, escaped, in a flow mapping) is left to the parser.
 */
function writtenOnce(source: string, url: string): number | undefined {
  const offset = source.indexOf(url);
  if (offset === -1 || source.indexOf(url, offset + 1) !== -1) return undefined;
  const before = source.slice(source.lastIndexOf("\n", offset) + 1, offset);
  if (!/^[ \t]*(?:-[ \t]+)?(?:url[ \t]*:[ \t]+)?["']?$/.test(before)) return undefined;
  const after = source[offset + url.length];
  if (after !== undefined && !/^[\s"'#]$/.test(after)) return undefined;
  // A quoted value's position is its opening quote, as the parser gives it.
  return /["']$/.test(before) ? offset - 1 : offset;
}
