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
  const document = parseDocument(source, {
    version: "1.2",
    schema: "core",
    uniqueKeys: false,
    logLevel: "silent",
  });
  let lines: LineIndex | undefined;
  return links.map(({ type, index, url }) => {
    const { node } = nodeAt(document, ["links", type, index, "url"]);
    // A path that ends early stops at an ancestor: only the URL's own scalar is a position.
    if (!isScalar(node) || node.value !== url || node.range === undefined || node.range === null) {
      return undefined;
    }
    return (lines ??= new LineIndex(source)).at(node.range[0]);
  });
}
