/**
 * A save that costs what changed: the new document is the current one, read chunk by chunk
 * in the written layout (document-layout.ts), with the lines of the changed stores replaced,
 * inserted or dropped. The lines of the other stores are copied as bytes, a run of them at a
 * time, never parsed or serialized again, so a save of a 20,000-store document holds a chunk
 * and the changed lines in memory, not the document three times over as strings.
 *
 * The input is read through to its checksum, which must match: bytes that are not exactly a
 * document partoo-links wrote end the merge with a LayoutMismatchError (the caller then
 * parses the document as any other and reports what is wrong), and nothing is kept of it.
 * Pure: the caller reads and writes the bytes (file.ts from disk, the github: backend from
 * the blob in memory).
 */
import { createHash, type Hash } from "node:crypto";
import { STATE_VERSION } from "../core/model.js";

/** A changed store, encoded: its record entry, and what becomes of its links entry. */
export interface EncodedChange {
  /** `"code":{…}`; undefined: the store leaves the document. */
  readonly record: string | undefined;
  /** `"code":{…}`; "keep": the links entry it has now, if any; undefined: none. */
  readonly links: string | "keep" | undefined;
}

export class LayoutMismatchError extends Error {
  constructor(what: string) {
    super(`not a state document in the written layout: ${what}`);
    this.name = "LayoutMismatchError";
  }
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;
const QUOTE = 0x22;
const HEADER_LINE = `{"version":${STATE_VERSION},"stores":{`;
const LINKS_LINE = '"links":{';
const CHECKSUM_LINE = /^"checksum":"([0-9a-f]{64})"\}$/;
/** `,\n"checksum":"<64 hex>"}\n`: what follows the hashed body. */
const TAIL_LENGTH = ',\n"checksum":""}\n'.length + 64;
const SEPARATOR = Buffer.from(",\n");

type Section = "header" | "records" | "links-header" | "links" | "checksum" | "end";

/** Input bytes copied to the output as they are: one run of consecutive unchanged entries. */
interface Run {
  readonly chunk: Buffer;
  readonly start: number;
  end: number;
}

export class LayoutMerger {
  readonly #codes: readonly string[];
  readonly #changes: ReadonlyMap<string, EncodedChange | null>;
  readonly #bodyLength: number;
  readonly #inputHash: Hash = createHash("sha256");
  readonly #outputHash: Hash = createHash("sha256");
  #hashed = 0;
  #section: Section = "header";
  /** The next changed code of the section not yet written. */
  #next = 0;
  #first = true;
  #previousCode = "";
  #run: Run | undefined;
  #carry: Buffer | undefined;
  #out: Buffer[] = [];
  #changed = false;

  /** `inputLength`: the size of the whole input, for the checksum at its end. */
  constructor(changes: ReadonlyMap<string, EncodedChange | null>, inputLength: number) {
    this.#changes = changes;
    this.#codes = [...changes.keys()].sort();
    this.#bodyLength = inputLength - TAIL_LENGTH;
    if (this.#bodyLength <= 0) throw new LayoutMismatchError("too short");
  }

  /** Whether the output differs from the input (known after `end`). */
  get changed(): boolean {
    return this.#changed;
  }

  /** Takes the next bytes of the input; returns the output that is ready. Keep `chunk` unchanged until written. */
  push(chunk: Buffer): Buffer[] {
    const body = Math.min(chunk.length, Math.max(0, this.#bodyLength - this.#hashed));
    this.#inputHash.update(chunk.subarray(0, body));
    this.#hashed += body;
    let start = 0;
    if (this.#carry !== undefined) {
      // A line across chunks: joined, so that it is copied (or replaced) whole.
      const end = chunk.indexOf(NEWLINE);
      const line = Buffer.concat([this.#carry, end === -1 ? chunk : chunk.subarray(0, end)]);
      this.#carry = undefined;
      if (end === -1) {
        this.#carry = line;
        return this.#take();
      }
      this.#line(line, 0, line.length);
      start = end + 1;
    }
    for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.#line(chunk, start, end);
      start = end + 1;
    }
    if (start < chunk.length) this.#carry = chunk.subarray(start);
    this.#flushRun();
    return this.#take();
  }

  /** After the last chunk: the rest of the output, checksum included. */
  end(): Buffer[] {
    if (this.#carry !== undefined) throw new LayoutMismatchError("no line break at the end");
    if (this.#section !== "end") throw new LayoutMismatchError("cut short");
    const tail = `,\n"checksum":"${this.#outputHash.digest("hex")}"}\n`;
    this.#out.push(Buffer.from(tail));
    return this.#take();
  }

  #line(data: Buffer, start: number, end: number): void {
    switch (this.#section) {
      case "header":
        this.#expect(data, start, end, HEADER_LINE, "records");
        this.#emit(Buffer.from(`${HEADER_LINE}\n`));
        return;
      case "links-header":
        this.#expect(data, start, end, LINKS_LINE, "links");
        this.#emit(Buffer.from(`\n},\n${LINKS_LINE}\n`));
        return;
      case "records":
      case "links":
        this.#entry(data, start, end);
        return;
      case "checksum": {
        const match = CHECKSUM_LINE.exec(data.toString("latin1", start, end));
        if (match === null || match[1] !== this.#inputHash.digest("hex")) {
          throw new LayoutMismatchError("the checksum does not match");
        }
        this.#section = "end";
        return;
      }
      case "end":
        throw new LayoutMismatchError("text after the checksum");
    }
  }

  #expect(data: Buffer, start: number, end: number, line: string, next: Section): void {
    if (data.toString("latin1", start, end) !== line) {
      throw new LayoutMismatchError(`expected ${line}`);
    }
    this.#section = next;
  }

  /** One line of the records or links section: `"code":{…},`, `},` (the end) or empty (none). */
  #entry(data: Buffer, start: number, end: number): void {
    if (end === start) return;
    if (end - start === 2 && data[start] === 0x7d && data[start + 1] === COMMA) {
      this.#insertUpTo(undefined);
      this.#flushRun();
      if (this.#section === "records") {
        this.#section = "links-header";
      } else {
        this.#emit(Buffer.from("\n}"));
        this.#section = "checksum";
      }
      this.#next = 0;
      this.#first = true;
      this.#previousCode = "";
      return;
    }
    const entryEnd = data[end - 1] === COMMA ? end - 1 : end;
    const close = data.indexOf(QUOTE, start + 1);
    if (data[start] !== QUOTE || close === -1 || data[close + 1] !== 0x3a || close >= entryEnd) {
      throw new LayoutMismatchError("a line that is not an entry");
    }
    // Codes are plain ASCII without quotes (the schema's propertyNames).
    const code = data.toString("latin1", start + 1, close);
    if (code <= this.#previousCode) throw new LayoutMismatchError("entries out of order");
    this.#previousCode = code;
    this.#insertUpTo(code);
    if (!this.#changes.has(code)) {
      this.#copy(data, start, entryEnd);
      return;
    }
    this.#next++;
    const change = this.#changes.get(code)!;
    const replacement = this.#section === "records" ? change?.record : change?.links;
    if (replacement === "keep") {
      this.#copy(data, start, entryEnd);
      return;
    }
    this.#changed ||=
      replacement === undefined || data.toString("utf8", start, entryEnd) !== replacement;
    if (replacement !== undefined) this.#add(Buffer.from(replacement));
  }

  /** Writes the new entries of the changed codes that sort before `code` (all left: undefined). */
  #insertUpTo(code: string | undefined): void {
    for (; this.#next < this.#codes.length; this.#next++) {
      const next = this.#codes[this.#next]!;
      if (code !== undefined && next >= code) return;
      const change = this.#changes.get(next);
      const entry = this.#section === "records" ? change?.record : change?.links;
      if (entry === undefined || entry === "keep") continue;
      this.#changed = true;
      this.#add(Buffer.from(entry));
    }
  }

  /** An unchanged entry: extends the run when it directly follows it in the input. */
  #copy(data: Buffer, start: number, end: number): void {
    const run = this.#run;
    if (run !== undefined && run.chunk === data && run.end + SEPARATOR.length === start) {
      run.end = end;
      return;
    }
    this.#flushRun();
    if (!this.#first) this.#emit(SEPARATOR);
    this.#first = false;
    this.#run = { chunk: data, start, end };
  }

  #add(entry: Buffer): void {
    this.#flushRun();
    if (!this.#first) this.#emit(SEPARATOR);
    this.#first = false;
    this.#emit(entry);
  }

  #flushRun(): void {
    if (this.#run === undefined) return;
    const { chunk, start, end } = this.#run;
    this.#run = undefined;
    this.#emit(chunk.subarray(start, end));
  }

  #emit(bytes: Buffer): void {
    this.#outputHash.update(bytes);
    this.#out.push(bytes);
  }

  #take(): Buffer[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/** The whole input at once (a document already in memory): the merged bytes. */
export function mergeLayoutBytes(
  input: Buffer,
  changes: ReadonlyMap<string, EncodedChange | null>,
): { bytes: Buffer; changed: boolean } {
  const merger = new LayoutMerger(changes, input.length);
  const pieces = [...merger.push(input), ...merger.end()];
  return { bytes: Buffer.concat(pieces), changed: merger.changed };
}
