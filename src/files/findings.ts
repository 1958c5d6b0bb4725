/** A problem located by its path in the parsed value, before it is given a line and column. */
import type { ValuePath } from "./yaml-positions.js";
import { quoteExcerpt } from "../core/excerpt.js";

/** Looks into the file for messages that quote it. */
export interface SourceLookup {
  /** The line of the node at `path`. */
  lineOf(path: ValuePath, target: "key" | "value"): number;
  /** The text of the scalar at `path` as written in the file, when it is a scalar. */
  sourceOf(path: ValuePath): string | undefined;
}

export interface Finding {
  readonly path: ValuePath;
  /** Point at the key (unknown keys) or at the value (bad values). */
  readonly target: "key" | "value";
  /** A function when the message quotes the file ("lines 7 and 9"). */
  readonly message: string | ((source: SourceLookup) => string);
  /** Default "error"; a warning leaves the file valid. */
  readonly severity?: "warning";
}

/** How a value is named in a message: "empty", "the number 5", "a list", … */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (typeof value === "string") return `the text ${quoteExcerpt(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "SHOP_ONLINE link 2" for ["links", "SHOP_ONLINE", 1]. */
export function linkLabel(type: string, index: number): string {
  return `${typeLabel(type)} link ${index + 1}`;
}

/**
 * A type as messages name it: as written when it looks like one (SHOP_ONLINE), else quoted
 * short, since the rules also run on the lists of keys that are no type at all.
 */
export function typeLabel(type: string): string {
  return /^[A-Za-z_]{1,40}$/.test(type) ? type : quoteExcerpt(type, 40);
}
