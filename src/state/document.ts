/**
 * Reading and writing the state document, whatever backend holds it. A document that is not
 * valid JSON, does not match schemas/state.schema.json or has an unknown version is an error:
 * it is never read as empty, or the next apply would re-push every store.
 *
 * What a read gives is plain data. Read through the fast path (document-layout.ts), records
 * come without their links; `withLinks` loads the links of the stores a command will use,
 * explicitly, and that is where corrupt links are reported. A record spread or copied
 * without its links keeps its stored links when written. The document carries, as one
 * non-enumerable property, where it came from (the links section, the records known to match
 * the schema), so that writes skip what was checked and leave unread links as they were.
 */
import { STATE_VERSION, type StateDocument, type StoreRecord } from "../core/model.js";
import {
  LinksSection,
  linksEntry,
  parseWrittenLayout,
  recordEntry,
  serializeLayout,
} from "./document-layout.js";
import type { EncodedChange } from "./layout-merge.js";
import {
  checkRecordFields,
  checkRecordForWrite,
  parseAnyLayout,
  parseLinks,
} from "./document-schema.js";

/** Where a document was read from: per document, never shared between documents read apart. */
class StoredSource {
  /** Records known to match the schema: read and checked, loaded, or checked when written. */
  readonly known = new WeakSet<StoreRecord>();

  constructor(
    readonly source: string,
    readonly links: LinksSection | undefined,
  ) {}
}

const STORED = Symbol("partoo-links.stored-source");

function storedSource(document: StateDocument): StoredSource | undefined {
  return (document as { [STORED]?: StoredSource })[STORED];
}

function withSource(document: StateDocument, source: StoredSource): StateDocument {
  // Not enumerable: documents still compare, spread and print as their data.
  Object.defineProperty(document, STORED, { value: source, enumerable: false });
  return document;
}

/**
 * Parses a state document; `source` names where it came from, for messages. Records read
 * through the fast path are checked field by field (a checksum anyone can recompute proves
 * nothing), their links only when loaded.
 */
export function parseStateDocument(input: string | Buffer, source: string): StateDocument {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const written = parseWrittenLayout(bytes);
  if (written !== undefined) {
    const stored = new StoredSource(source, written.links);
    for (const code in written.stores) {
      const record = written.stores[code];
      checkRecordFields(code, record, source);
      stored.known.add(record as StoreRecord);
    }
    const stores = written.stores as Record<string, StoreRecord>;
    return withSource({ version: STATE_VERSION, stores }, stored);
  }
  const text = typeof input === "string" ? input : input.toString("utf8");
  const stores = parseAnyLayout(text, source);
  const stored = new StoredSource(source, undefined);
  for (const code in stores) stored.known.add(stores[code]!);
  return withSource({ version: STATE_VERSION, stores }, stored);
}

/** The document with the links of every store loaded: for tools and tests that read it all. */
export function parseWholeStateDocument(input: string | Buffer, source: string): StateDocument {
  const document = parseStateDocument(input, source);
  return withLinks(document, Object.keys(document.stores));
}

/**
 * The document with the links of `codes` loaded (codes without a record are ignored). Throws
 * an InputError naming the store when its stored links are corrupt. Returns `document` itself
 * when nothing had to be loaded.
 */
export function withLinks(document: StateDocument, codes: Iterable<string>): StateDocument {
  const stored = storedSource(document);
  if (stored?.links === undefined) return document;
  let stores: Record<string, StoreRecord> | undefined;
  for (const code of codes) {
    if (!Object.hasOwn(document.stores, code)) continue;
    const record = document.stores[code]!;
    if (record.links !== undefined) continue;
    const text = stored.links.text(code);
    if (text === undefined) continue;
    const loaded: StoreRecord = { ...record, links: parseLinks(text, stored.source, code) };
    stored.known.add(loaded);
    (stores ??= { ...document.stores })[code] = loaded;
  }
  return stores === undefined
    ? document
    : withSource({ version: document.version, stores }, stored);
}

/** Stable serialization (see document-layout.ts). Refuses a record that does not match the schema. */
export function serializeStateDocument(document: StateDocument): string {
  const stored = storedSource(document);
  return serializeLayout(document.stores, (code, record) => {
    if (stored === undefined || !stored.known.has(record)) {
      checkRecordForWrite(code, record);
      stored?.known.add(record);
    }
    if (record.links !== undefined) return JSON.stringify(record.links);
    // Applied, links not loaded: the links it was read with, as they were.
    if (record.hash === undefined || stored?.links === undefined) return undefined;
    stored.links.indexAll();
    return stored.links.text(code);
  });
}

/** Applies `changes` (null removes a store's entry) on top of `document`. */
export function mergeStoreChanges(
  document: StateDocument,
  changes: Readonly<Record<string, StoreRecord | null>>,
): StateDocument {
  const stores: Record<string, StoreRecord> = { ...document.stores };
  for (const [code, record] of Object.entries(changes)) {
    if (record === null) delete stores[code];
    else stores[code] = record;
  }
  const source = storedSource(document) ?? new StoredSource("", undefined);
  return withSource({ version: document.version, stores }, source);
}

/**
 * Whether the document was read through the fast path: its bytes are a document as
 * partoo-links writes it, which a save may merge changes into line by line (layout-merge.ts).
 */
export function isInWrittenLayout(document: StateDocument): boolean {
  return storedSource(document)?.links !== undefined;
}

/**
 * `changes` as the lines a merge writes (layout-merge.ts), with the rules of
 * serializeStateDocument: a record that does not match the schema is refused, and one
 * without its links keeps the links it has in the document when it was applied.
 */
export function encodeStoreChanges(
  changes: Readonly<Record<string, StoreRecord | null>>,
): Map<string, EncodedChange | null> {
  const encoded = new Map<string, EncodedChange | null>();
  for (const [code, record] of Object.entries(changes)) {
    if (record === null) {
      encoded.set(code, null);
      continue;
    }
    checkRecordForWrite(code, record);
    const links =
      record.links !== undefined
        ? linksEntry(code, JSON.stringify(record.links))
        : record.hash === undefined
          ? undefined
          : "keep";
    encoded.set(code, { record: recordEntry(code, record), links });
  }
  return encoded;
}
