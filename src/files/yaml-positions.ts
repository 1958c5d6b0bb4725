/**
 * From a path in the parsed value (["links", "SHOP_ONLINE", 0, "url"]) back to the YAML
 * node it came from, and from a text offset to a line and column. Only files with
 * problems pay for this.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isScalar,
  isSeq,
  type Document,
  type Node,
} from "yaml";

export type ValuePath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

/** Line and column (1-based; columns in UTF-16 units, as editors count) of text offsets. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      this.starts.push(i + 1);
    }
  }

  at(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

/** Line and column of one offset, for a file that has no LineIndex (cheap near the top). */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** A mapping key as the parsed value spells it (yaml stringifies non-string keys). */
export function keyName(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function deref(document: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

/**
 * The node at `path` and the key it sits under. When the path goes further than the
 * document (a missing key), the deepest node found stands in for it.
 */
export function nodeAt(
  document: Document,
  path: ValuePath,
): { node: unknown; key: Node | undefined } {
  let node: unknown = document.contents;
  let key: Node | undefined;
  for (const segment of path) {
    const current = deref(document, node);
    if (isMap(current)) {
      // yaml stringifies a key that is a collection (`? [a]`) in its own way: when no
      // scalar key matches, such a key is the one meant. (Never stringified here: the text
      // of nested collection keys doubles with each level.)
      const pair =
        current.items.find(
          (item) => !isCollection(item.key) && keyName(item.key) === String(segment),
        ) ?? current.items.find((item) => !isScalar(item.key));
      if (pair === undefined) break;
      key = isNode(pair.key) ? pair.key : undefined;
      node = pair.value ?? undefined;
      if (node === undefined) break;
    } else if (isSeq(current) && typeof segment === "number") {
      const item: unknown = current.items[segment];
      if (item === undefined) break;
      key = undefined;
      node = item;
    } else {
      break;
    }
  }
  return { node, key };
}

/**
 * The offset of the node at `path`: its key when `target` is "key" (or when the value is
 * empty, as in `SHOP_ONLINE:`), otherwise its value.
 */
export function offsetOf(document: Document, path: ValuePath, target: "key" | "value"): number {
  const { node, key } = nodeAt(document, path);
  const emptyValue = isScalar(node) && node.value === null && node.source === "";
  if (key?.range && (target === "key" || emptyValue || node === undefined)) return key.range[0];
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : 0;
}

/** The text of the scalar at `path` as the file spells it. */
export function sourceOf(document: Document, path: ValuePath): string | undefined {
  const { node } = nodeAt(document, path);
  return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
}
