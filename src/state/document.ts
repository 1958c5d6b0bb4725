/**
 * Reading, checking and writing the state document, whatever backend holds it. A document
 * that is not valid JSON, does not match schemas/state.schema.json or has an unknown version
 * is an error: it is never read as empty, or the next apply would re-push every store.
 *
 * Layout, as serializeStateDocument writes it: the records (one store per line, sorted by
 * code), then the links of each store (one store per line), then a checksum of everything
 * before it. Every plan reads the whole document (7 MB for 10,000 stores), yet an offline plan
 * needs each store's hashes, not its links, which are most of the bytes; parsing them took
 * about half the time of a plan. So when the checksum shows that the text is exactly what
 * partoo-links wrote, the reader parses the records only and keeps the links section as bytes:
 * a store's links are parsed and checked when first read, and those never read are written
 * back as they were. A document whose checksum does not match (edited by hand, reformatted) is
 * parsed and checked in full, like any JSON: the checksum licenses the shortcut, nothing more.
 *
 * Records are checked against the schema when written (those not known to match already), so
 * that no invalid document is ever stored; the fast path then need not check them again.
 */
import { readFileSync } from "node:fs";
import { createHash, hash } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { InputError } from "../errors.js";
import { schemaPath } from "../package-info.js";
import { STATE_VERSION, type StateDocument, type StoreRecord } from "../core/model.js";

type Links = NonNullable<StoreRecord["links"]>;

/** The document as JSON has it: links beside the records, not in them. */
interface WrittenDocument {
  version: number;
  stores: Record<string, StoreRecord>;
  links?: Record<string, Links>;
  checksum?: string;
}

const SCHEMA_ID = "https://partoo-links.dev/schemas/state.schema.json";

interface Validators {
  readonly document: ValidateFunction;
  readonly record: ValidateFunction;
  readonly links: ValidateFunction;
  readonly code: RegExp;
}

let validators: Validators | undefined;

function validator(): Validators {
  if (validators === undefined) {
    const schema = JSON.parse(readFileSync(schemaPath("state.schema.json"), "utf8"));
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    ajv.addSchema(schema);
    validators = {
      document: ajv.getSchema(SCHEMA_ID)!,
      record: ajv.getSchema(`${SCHEMA_ID}#/$defs/storeRecord`)!,
      links: ajv.getSchema(`${SCHEMA_ID}#/$defs/links`)!,
      code: new RegExp(schema.properties.stores.propertyNames.pattern as string, "u"),
    };
  }
  return validators;
}

/**
 * Records known to match the schema: read from a checked document, or checked when written.
 * Writing checks the others, so that a document on disk always matches the schema and the
 * fast path below need not check it again.
 */
const checked = new WeakSet<StoreRecord>();

const HEADER = `{"version":${STATE_VERSION},"stores":{\n`;
const LINKS_SECTION = '\n},\n"links":{\n';
const CHECKSUM_TAIL = /,\n"checksum":"([0-9a-f]{64})"\}\n$/;
const CHECKSUM_TAIL_LENGTH = ',\n"checksum":""}\n'.length + 64;

/** Parses a state document; `source` names where it came from, for messages. */
export function parseStateDocument(input: string | Buffer, source: string): StateDocument {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  return (
    parseWrittenLayout(bytes, source) ??
    parseAnyLayout(typeof input === "string" ? input : input.toString("utf8"), source)
  );
}

function parseAnyLayout(text: string, source: string): StateDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${source}: the state document is not valid JSON (${(error as Error).message}); restore it from a backup or from git, or delete it to re-import with "partoo-links import"`,
      { cause: error },
    );
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InputError(
      `${source}: the state document is not a JSON object; restore it from a backup`,
    );
  }
  if (version === 1) upgradeFromVersion1(data as Record<string, unknown>);
  else if (version !== STATE_VERSION) {
    throw new InputError(
      `${source}: state document version ${JSON.stringify(version)} is not supported (this partoo-links reads versions 1 and ${STATE_VERSION}); upgrade partoo-links or restore a compatible document`,
    );
  }
  checkAgainstSchema(data, source);
  const { stores, links = {} } = data as WrittenDocument;
  for (const [code, storeLinks] of Object.entries(links)) {
    const record = Object.hasOwn(stores, code) ? (stores[code] as { links?: Links }) : undefined;
    if (record === undefined) {
      throw new InputError(
        `${source}: the state document is corrupt at /links/${code}: links of a store that has no record; restore it from a backup`,
      );
    }
    record.links = storeLinks;
  }
  for (const code in stores) checked.add(stores[code]!);
  return { version: STATE_VERSION, stores };
}

/**
 * Version 1 kept each store's links in its record, and had no checksum. Read as version 2
 * (the links moved beside the records); the next save writes version 2. Anything that is not
 * the expected shape is left for the schema check to report.
 */
function upgradeFromVersion1(data: Record<string, unknown>): void {
  data["version"] = STATE_VERSION;
  const stores = data["stores"];
  if (typeof stores !== "object" || stores === null || Array.isArray(stores)) return;
  const links: [string, unknown][] = [];
  for (const [code, record] of Object.entries(stores)) {
    if (typeof record !== "object" || record === null || !Object.hasOwn(record, "links")) continue;
    links.push([code, (record as { links: unknown }).links]);
    delete (record as { links?: unknown }).links;
  }
  // fromEntries defines own properties: a code such as __proto__ stays data (and is refused).
  data["links"] = Object.fromEntries(links);
}

/**
 * The fast path: the document as serializeStateDocument wrote it, its checksum matching.
 * Undefined for any other bytes, which parseAnyLayout then reads (and explains, if corrupt).
 */
function parseWrittenLayout(bytes: Buffer, source: string): StateDocument | undefined {
  const bodyLength = bytes.length - CHECKSUM_TAIL_LENGTH;
  if (bodyLength <= 0) return undefined;
  const tail = CHECKSUM_TAIL.exec(bytes.toString("latin1", bodyLength));
  if (tail === null || hash("sha256", bytes.subarray(0, bodyLength)) !== tail[1]) return undefined;
  if (bytes.toString("latin1", 0, HEADER.length) !== HEADER) return undefined;
  // No line of the records section starts with `}`: the first `\n},\n"links"` ends it.
  const split = bytes.indexOf(LINKS_SECTION, HEADER.length, "latin1");
  if (split === -1 || bytes.toString("latin1", bodyLength - 2, bodyLength) !== "\n}") {
    return undefined;
  }
  // The records section alone is a JSON object, parsed as is. It is not checked against
  // the schema again: it was when written, and the checksum shows it has not changed since.
  let stores: Record<string, StoreRecord>;
  try {
    stores = JSON.parse(bytes.toString("utf8", HEADER.length - 2, split + 2)) as typeof stores;
  } catch {
    return undefined;
  }
  const section: LinksSection = {
    source,
    bytes: bytes.subarray(split + LINKS_SECTION.length, bodyLength - 2),
  };
  for (const code in stores) {
    const record = stores[code]!;
    Object.defineProperty(record, "links", DEFERRED_LINKS);
    deferred.set(record, { section, code });
  }
  return { version: STATE_VERSION, stores };
}

/** The links section of a document read through the fast path. */
interface LinksSection {
  readonly source: string;
  /** One `"code":{…}` per line, commas between lines. */
  readonly bytes: Buffer;
  /** Where each store's links are in `bytes`, built when a whole document is written. */
  index?: Map<string, Line>;
}

/** The records whose links were not read yet: where to find them. */
const deferred = new WeakMap<
  StoreRecord,
  { readonly section: LinksSection; readonly code: string }
>();

/**
 * The `links` property of a record read through the fast path: parsed and checked on first
 * read, then a plain property. One shared descriptor, so that every such record keeps the
 * same hidden class and the code reading the hashes of 10,000 records stays fast.
 */
const DEFERRED_LINKS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: StoreRecord): Links | undefined {
    const raw = deferredLinksText(this);
    const links = raw === undefined ? undefined : parseLinks(raw, deferred.get(this)!);
    settleLinks(this, links);
    checked.add(this);
    return links;
  },
  set(this: StoreRecord, links: Links | undefined) {
    settleLinks(this, links);
  },
};

function settleLinks(record: StoreRecord, links: Links | undefined): void {
  deferred.delete(record);
  checked.delete(record);
  Object.defineProperty(record, "links", {
    value: links,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** The JSON text of a deferred record's links; undefined when it has none (or is not deferred). */
function deferredLinksText(record: StoreRecord): string | undefined {
  const entry = deferred.get(record);
  if (entry === undefined) return undefined;
  const { section, code } = entry;
  const at =
    section.index?.get(code) ?? (section.index ? undefined : findLine(section.bytes, code));
  return at === undefined ? undefined : section.bytes.toString("utf8", at.start, at.end);
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;

interface Line {
  readonly code: string;
  /** Where the links' JSON starts and ends. */
  readonly start: number;
  readonly end: number;
  /** Where the next line starts. */
  readonly next: number;
}

/** The line that starts at `start`: `"code":{…}`, then a comma on all lines but the last. */
function lineAt(bytes: Buffer, start: number): Line {
  let next = bytes.indexOf(NEWLINE, start);
  if (next === -1) next = bytes.length;
  const end = bytes[next - 1] === COMMA ? next - 1 : next;
  // Codes are plain ASCII without quotes (the schema's propertyNames).
  const close = bytes.indexOf('":', start + 1, "latin1");
  const code = close === -1 || close > end ? "" : bytes.toString("latin1", start + 1, close);
  return { code, start: close + 2, end, next: next + 1 };
}

/**
 * Binary search of the section, whose lines are sorted by code: an offline plan reads the
 * links of a handful of stores, and need not index 10,000 lines for them.
 */
function findLine(bytes: Buffer, code: string): Line | undefined {
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = middle === 0 ? 0 : bytes.lastIndexOf(NEWLINE, middle - 1) + 1;
    const line = lineAt(bytes, start);
    if (line.code === code) return line;
    if (line.code < code) low = line.next;
    else high = start;
  }
  return undefined;
}

function indexLinksSection(bytes: Buffer): Map<string, Line> {
  const index = new Map<string, Line>();
  for (let start = 0; start < bytes.length;) {
    const line = lineAt(bytes, start);
    index.set(line.code, line);
    start = line.next;
  }
  return index;
}

function parseLinks(
  raw: string,
  { section: { source }, code }: { section: LinksSection; code: string },
): Links {
  const at = `/links/${code}`;
  let links: unknown;
  try {
    links = JSON.parse(raw);
  } catch (error) {
    throw new InputError(
      `${source}: the state document is corrupt at ${at}: not valid JSON; restore it from a backup`,
      { cause: error },
    );
  }
  const check = validator().links;
  if (!check(links)) {
    const first = check.errors?.[0];
    throw new InputError(
      `${source}: the state document is corrupt at ${at}${first?.instancePath ?? ""}: ${first?.message ?? "invalid"}; restore it from a backup`,
    );
  }
  return links as Links;
}

function checkAgainstSchema(data: unknown, source: string): void {
  const check = validator().document;
  if (!check(data)) {
    const first = check.errors?.[0];
    const where = first?.instancePath ? ` at ${first.instancePath}` : "";
    throw new InputError(
      `${source}: the state document is corrupt${where}: ${first?.message ?? "invalid"}; restore it from a backup`,
    );
  }
}

/**
 * A record without its links, in the order written. Read field by field (not spread), so
 * that links not read yet stay unread; JSON.stringify leaves out the fields that are unset.
 */
function withoutLinks(record: StoreRecord): Omit<StoreRecord, "links"> {
  return {
    address: record.address,
    hash: record.hash,
    fileHash: record.fileHash,
    commit: record.commit,
    appliedAt: record.appliedAt,
    lastAttempt: record.lastAttempt,
    drift: record.drift,
  } as Omit<StoreRecord, "links">;
}

/**
 * Stable serialization (see the layout above). Compact, since every run reads it, and still
 * diff-friendly: a run that changes three stores changes their lines and the checksum.
 */
export function serializeStateDocument(document: StateDocument): string {
  const codes = Object.keys(document.stores).sort();
  const records: string[] = [];
  const links: string[] = [];
  for (const code of codes) {
    const record = document.stores[code]!;
    if (!checked.has(record) && !deferred.has(record)) checkRecord(code, record);
    const key = JSON.stringify(code);
    records.push(`${key}:${JSON.stringify(withoutLinks(record))}`);
    const entry = deferred.get(record);
    if (entry !== undefined) entry.section.index ??= indexLinksSection(entry.section.bytes);
    const text = entry !== undefined ? deferredLinksText(record) : JSON.stringify(record.links);
    if (text !== undefined) links.push(`${key}:${text}`);
  }
  // Hashed part by part: hashing the whole text at once would copy all of it once more.
  const parts = [HEADER, records.join(",\n"), LINKS_SECTION, links.join(",\n"), "\n}"];
  const checksum = createHash("sha256");
  for (const part of parts) checksum.update(part);
  return `${parts.join("")},\n"checksum":"${checksum.digest("hex")}"}\n`;
}

/**
 * Refuses to write a record that does not match the schema. Only partoo-links writes records,
 * so one that does not match is a bug (a plain Error, reported as such), caught before it is
 * stored rather than when the next run reads it.
 */
function checkRecord(code: string, record: StoreRecord): void {
  const { links, ...rest } = record;
  const { record: checkRest, links: checkLinks, code: codePattern } = validator();
  const problem = !codePattern.test(code)
    ? `the code does not match ${codePattern.source}`
    : !checkRest(rest)
      ? describe(checkRest)
      : links !== undefined && !checkLinks(links)
        ? `links: ${describe(checkLinks)}`
        : undefined;
  if (problem !== undefined) {
    throw new Error(`refusing to write an invalid state record for store ${code}: ${problem}`);
  }
  checked.add(record);
}

function describe(check: ValidateFunction): string {
  const first = check.errors?.[0];
  return `${first?.instancePath || "/"} ${first?.message ?? "invalid"}`;
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
  return { version: document.version, stores };
}
