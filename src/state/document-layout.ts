/**
 * The bytes of a state document as partoo-links writes them: the records (one store per line,
 * sorted by code), then the links of each store (one store per line), then a checksum of
 * everything before it. Every plan reads the whole document (7 MB for 10,000 stores), yet an
 * offline plan needs each store's hashes, not its links, which are most of the bytes; parsing
 * them took about half the time of a plan. So when the checksum shows that the text is exactly
 * what partoo-links wrote, the records alone are parsed and the links section is kept as bytes,
 * for the links of a store to be parsed when asked for and those never asked for to be written
 * back as they were. Any other text is read as plain JSON (document-schema.ts): the checksum
 * licenses the shortcut, nothing more.
 */
import { createHash, hash } from "node:crypto";
import { STATE_VERSION, type StoreRecord } from "../core/model.js";

const HEADER = `{"version":${STATE_VERSION},"stores":{\n`;
const LINKS_SECTION = '\n},\n"links":{\n';
const CHECKSUM_TAIL = /,\n"checksum":"([0-9a-f]{64})"\}\n$/;
const CHECKSUM_TAIL_LENGTH = ',\n"checksum":""}\n'.length + 64;
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

/** The links section of a document read through the fast path: one `"code":{…}` per line. */
export class LinksSection {
  readonly #bytes: Buffer;
  /** Where each store's links are, built when a whole document is written. */
  #index: Map<string, Line> | undefined;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** The JSON text of a store's links; undefined when it has none. */
  text(code: string): string | undefined {
    const at = this.#index ? this.#index.get(code) : this.#find(code);
    return at === undefined ? undefined : this.#bytes.toString("utf8", at.start, at.end);
  }

  /** Before reading every store's links (a save): one pass instead of a search per store. */
  indexAll(): void {
    if (this.#index !== undefined) return;
    const index = new Map<string, Line>();
    for (let start = 0; start < this.#bytes.length;) {
      const line = this.#lineAt(start);
      index.set(line.code, line);
      start = line.next;
    }
    this.#index = index;
  }

  /** The line that starts at `start`: `"code":{…}`, then a comma on all lines but the last. */
  #lineAt(start: number): Line {
    const bytes = this.#bytes;
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
  #find(code: string): Line | undefined {
    const bytes = this.#bytes;
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const start = middle === 0 ? 0 : bytes.lastIndexOf(NEWLINE, middle - 1) + 1;
      const line = this.#lineAt(start);
      if (line.code === code) return line;
      if (line.code < code) low = line.next;
      else high = start;
    }
    return undefined;
  }
}

/**
 * The fast path: the records of a document as serializeLayout wrote it, its checksum matching,
 * and its links section as bytes. Undefined for any other bytes. The records are not checked
 * here (see document.ts).
 */
export function parseWrittenLayout(
  bytes: Buffer,
): { stores: Record<string, unknown>; links: LinksSection } | undefined {
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
  let stores: unknown;
  try {
    stores = JSON.parse(bytes.toString("utf8", HEADER.length - 2, split + 2));
  } catch {
    return undefined;
  }
  if (typeof stores !== "object" || stores === null || Array.isArray(stores)) return undefined;
  const links = new LinksSection(bytes.subarray(split + LINKS_SECTION.length, bodyLength - 2));
  return { stores: stores as Record<string, unknown>, links };
}

/**
 * A record without its links, in the order written. JSON.stringify leaves out the fields
 * that are unset.
 */
function withoutLinks(record: StoreRecord): Omit<StoreRecord, "links"> {
  return {
    address: record.address,
    hash: record.hash,
    fileHash: record.fileHash,
    commit: record.commit,
    dirty: record.dirty,
    appliedAt: record.appliedAt,
    lastAttempt: record.lastAttempt,
    drift: record.drift,
  } as Omit<StoreRecord, "links">;
}

/** A store's line of the records section, without the comma that separates it from the next. */
export function recordEntry(code: string, record: StoreRecord): string {
  return `${JSON.stringify(code)}:${JSON.stringify(withoutLinks(record))}`;
}

/** A store's line of the links section, given the JSON text of its links. */
export function linksEntry(code: string, linksText: string): string {
  return `${JSON.stringify(code)}:${linksText}`;
}

/**
 * The layout above. Compact, since every run reads it, and still diff-friendly: a run that
 * changes three stores changes their lines and the checksum. `linksText` gives the JSON of a
 * store's links (undefined: none).
 */
export function serializeLayout(
  stores: Readonly<Record<string, StoreRecord>>,
  linksText: (code: string, record: StoreRecord) => string | undefined,
): string {
  const codes = Object.keys(stores).sort();
  const records: string[] = [];
  const links: string[] = [];
  for (const code of codes) {
    const record = stores[code]!;
    records.push(recordEntry(code, record));
    const text = linksText(code, record);
    if (text !== undefined) links.push(linksEntry(code, text));
  }
  // Hashed part by part: hashing the whole text at once would copy all of it once more.
  const parts = [HEADER, records.join(",\n"), LINKS_SECTION, links.join(",\n"), "\n}"];
  const checksum = createHash("sha256");
  for (const part of parts) checksum.update(part);
  return `${parts.join("")},\n"checksum":"${checksum.digest("hex")}"}\n`;
}
