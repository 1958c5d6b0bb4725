/**
 * Accepting live into one store file: the managed types whose editable live links differ
 * from the file get the live list, written into the file's own text. Pure: text, desired,
 * record and live in; the new text, the edits and any warning out.
 *
 * The text outside the rewritten types is kept byte for byte: each rewritten type is
 * rendered on its own and spliced in at its place, so comments, spacing, quoting and line
 * endings elsewhere stay as they were. When the file's layout does not allow that (a flow
 * mapping, a key not at the start of its line), the whole document is printed by `yaml`,
 * which still keeps comments and key order.
 */
import isDeepEqual from "fast-deep-equal";
import { Document, isMap, parseDocument, YAMLMap, type Pair } from "yaml";
import type {
  DesiredLink,
  DesiredStore,
  LinkType,
  LiveLink,
  LiveLinks,
  StoreRecord,
} from "../core/model.js";
import { planStoreLive } from "../core/diff-live.js";
import { rewriteTypeLinks, type AcceptChange } from "./edit-links.js";

export interface AcceptInput {
  /** The store file as read (a BOM and CRLF line endings are kept). */
  readonly text: string;
  /** The desired store the file stands for (for now: parsed from `text`). */
  readonly desired: DesiredStore;
  readonly record?: StoreRecord | undefined;
  readonly live: LiveLinks;
}

export interface AcceptResult {
  /** The new text; the input text itself when nothing is accepted. */
  readonly text: string;
  /** Empty: the file matches live already and is left as it is. */
  readonly changes: readonly AcceptChange[];
  readonly warnings: readonly string[];
}

const PARSE_OPTIONS = { version: "1.2", schema: "core", uniqueKeys: false } as const;
const PRINT_OPTIONS = { lineWidth: 0 } as const;

export function acceptStore(input: AcceptInput): AcceptResult {
  const { desired, record, live } = input;
  const diff = planStoreLive(desired, record, live);
  if (diff.writes.length === 0) return { text: input.text, changes: [], warnings: [] };

  const bom = input.text.charCodeAt(0) === 0xfeff ? "\uFEFF" : "";
  const source = input.text.slice(bom.length);
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const document = parseDocument(source, PARSE_OPTIONS);
  const links = document.get("links", true);
  if (!isMap(links)) throw new Error(`acceptStore(${desired.code}): the file has no links mapping`);

  const original = new Map(links.items.map((pair) => [keyOf(pair), pair]));
  const types = diff.writes.map((write) => write.type).sort();
  const changes: AcceptChange[] = [];
  for (const type of types) {
    const current = live[type] ?? [];
    const fixed = new Set(current.filter((link) => !link.editable).map((link) => link.url));
    changes.push(...rewriteTypeLinks(document, type, editableTarget(current), fixed));
  }

  const spliced = splice(source, document, links, original, types, eol);
  const text =
    spliced !== undefined && sameLinks(spliced, document) ? spliced : printed(document, eol);
  const warnings: string[] = [];
  const after = parseDocument(text, PARSE_OPTIONS).toJS() as { links?: unknown };
  const left = planStoreLive(
    { ...desired, links: { ...desired.links, ...normalizeTypes(after.links, types) } },
    record,
    live,
  );
  if (left.writes.length > 0) {
    warnings.push(
      `live cannot be written exactly as a file (${left.changes.map((c) => `${c.op} ${c.type} ${c.url}`).join("; ")}); apply will still send that`,
    );
  }
  return { text: bom + text, changes, warnings };
}

/** The editable live links of a type, each URL once (preferred when any copy is), in live order. */
function editableTarget(live: readonly LiveLink[]): DesiredLink[] {
  const byUrl = new Map<string, boolean>();
  for (const link of live) {
    if (!link.editable) continue;
    byUrl.set(link.url, (byUrl.get(link.url) ?? false) || link.preferred);
  }
  return [...byUrl].map(([url, preferred]) => ({ url, preferred }));
}

function keyOf(pair: Pair): string {
  const key = pair.key as { value?: unknown } | null;
  return String(key?.value ?? key);
}

/**
 * The original text with each rewritten type replaced by its new rendering, or undefined
 * when a type cannot be located as a block entry of `links` (then the document is printed).
 */
function splice(
  source: string,
  document: Document,
  links: YAMLMap,
  original: ReadonlyMap<string, Pair>,
  types: readonly LinkType[],
  eol: string,
): string | undefined {
  if (links.flow === true || links.items.length === 0) return undefined;
  const edits: { start: number; end: number; text: string }[] = [];
  const added: Pair[] = [];
  for (const type of types) {
    const pair = original.get(type);
    if (pair === undefined) {
      added.push(links.items.find((item) => keyOf(item) === type)!);
      continue;
    }
    const place = blockEntry(source, pair);
    if (place === undefined) return undefined;
    const text = renderPair(document, pair, place.indent, eol, indentsSeq(source, pair, place));
    edits.push({ ...place, text: source[place.end - 1] === "\n" ? text : text.trimEnd() });
  }
  if (added.length > 0) {
    // New types go after the last entry of `links`, at the indentation of its first key.
    const first = blockEntry(source, links.items[0]!);
    const last = [...original.values()].at(-1);
    const lastPlace = last === undefined ? undefined : blockEntry(source, last);
    if (first === undefined || lastPlace === undefined) return undefined;
    const at = lastPlace.end;
    const lead = source[at - 1] === "\n" ? "" : eol;
    const text = added.map((pair) => renderPair(document, pair, first.indent, eol)).join("");
    edits.push({ start: at, end: at, text: lead + text });
  }
  let result = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/** From the start of the key's line to the end of its value, when the key starts its line. */
function blockEntry(
  source: string,
  pair: Pair,
): { start: number; end: number; indent: number } | undefined {
  const key = pair.key as { range?: [number, number, number] } | null;
  const value = pair.value as { range?: [number, number, number] } | null;
  const keyStart = key?.range?.[0];
  const end = value?.range?.[2];
  if (keyStart === undefined || end === undefined) return undefined;
  const start = source.lastIndexOf("\n", keyStart - 1) + 1;
  if (!/^ *$/.test(source.slice(start, keyStart))) return undefined;
  return { start, end, indent: keyStart - start };
}

/** One `TYPE: list` entry alone, indented as in the file (comments above the key stay in place). */
function renderPair(
  document: Document,
  pair: Pair,
  indent: number,
  eol: string,
  indentSeq = true,
): string {
  const key = pair.key as { commentBefore?: string | null; spaceBefore?: boolean } | null;
  const saved = { commentBefore: key?.commentBefore, spaceBefore: key?.spaceBefore };
  if (key !== null && original(pair)) {
    key.commentBefore = null;
    key.spaceBefore = false;
  }
  try {
    const alone = new Document(null, PARSE_OPTIONS);
    const map = new YAMLMap(document.schema);
    map.items = [pair];
    alone.contents = map;
    const pad = " ".repeat(indent);
    return alone
      .toString({ ...PRINT_OPTIONS, indentSeq })
      .split("\n")
      .map((line) => (line === "" ? line : pad + line))
      .join(eol);
  } finally {
    if (key !== null && original(pair)) Object.assign(key, saved);
  }
}

/** Whether the file indents the list's dashes under its key (`links:` lists may sit at the key's column). */
function indentsSeq(source: string, pair: Pair, place: { start: number; indent: number }): boolean {
  const value = pair.value as { range?: [number, number, number]; flow?: boolean } | null;
  const dash = value?.range?.[0];
  if (dash === undefined || value?.flow === true) return true;
  return dash - (source.lastIndexOf("\n", dash - 1) + 1) > place.indent;
}

/** Whether the pair comes from the file (its comments above are outside the spliced range). */
function original(pair: Pair): boolean {
  return (pair.key as { range?: unknown } | null)?.range !== undefined;
}

function printed(document: Document, eol: string): string {
  const text = document.toString(PRINT_OPTIONS);
  return eol === "\n" ? text : text.replace(/\r?\n/g, eol);
}

/** Whether the spliced text says what the edited document says (else the document is printed). */
function sameLinks(text: string, document: Document): boolean {
  const spliced = parseDocument(text, PARSE_OPTIONS);
  return spliced.errors.length === 0 && isDeepEqual(spliced.toJS(), document.toJS());
}

/** The given types of a parsed `links` value, as DesiredLinks. */
function normalizeTypes(
  links: unknown,
  types: readonly LinkType[],
): Record<LinkType, DesiredLink[]> {
  const result: Record<LinkType, DesiredLink[]> = {};
  const record = (typeof links === "object" && links !== null ? links : {}) as Record<
    string,
    unknown
  >;
  for (const type of types) {
    const list = Array.isArray(record[type]) ? (record[type] as unknown[]) : [];
    result[type] = list.map((item) =>
      typeof item === "string"
        ? { url: item, preferred: false }
        : {
            url: String((item as { url?: unknown }).url),
            preferred: (item as { preferred?: unknown }).preferred === true,
          },
    );
  }
  return result;
}
