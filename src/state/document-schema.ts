/**
 * What a state document may hold: schemas/state.schema.json (its validators generated from
 * it at build time: npm run generate), the checks of a whole document, of one record's fields
 * and of one store's links, and the upgrade from version 1. Every check reports one line:
 * where in the document, what, and what to do.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { schemaPath } from "../package-info.js";
import { STATE_VERSION, type StoreRecord } from "../core/model.js";
import {
  validateStateDocument,
  validateStateLinks,
  validateStateRecord,
  type GeneratedValidator,
} from "../generated/state.js";

export type Links = NonNullable<StoreRecord["links"]>;

/** The document as JSON has it: links beside the records, not in them. */
export interface WrittenDocument {
  version: number;
  stores: Record<string, StoreRecord>;
  links?: Record<string, Links>;
  checksum?: string;
}

interface Validators {
  readonly document: GeneratedValidator;
  readonly record: GeneratedValidator;
  readonly links: GeneratedValidator;
  readonly code: RegExp;
  /** The schema itself, to name what a oneOf allows. */
  readonly schema: unknown;
}

/** Read on first use: the schema, not state (every document is checked alike). */
let validators: Validators | undefined;

function validator(): Validators {
  if (validators === undefined) {
    const schema = JSON.parse(readFileSync(schemaPath("state.schema.json"), "utf8"));
    validators = {
      document: validateStateDocument,
      record: validateStateRecord,
      links: validateStateLinks,
      code: new RegExp(schema.properties.stores.propertyNames.pattern as string, "u"),
      schema,
    };
  }
  return validators;
}

/**
 * Reads any JSON layout (edited by hand, reformatted, version 1): parsed and checked in full,
 * the links put back into their records.
 */
export function parseAnyLayout(text: string, source: string): Record<string, StoreRecord> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { where, what } = describeJsonError(text, error as Error);
    throw new InputError(
      `${source}: the state document is not valid JSON${where} (${what}); ${recoveryAdvice(source)}`,
      { cause: error },
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InputError(
      `${source}: the state document is not a JSON object; ${recoveryAdvice(source)}`,
    );
  }
  const version = (data as { version?: unknown }).version;
  if (version === 1) upgradeFromVersion1(data as Record<string, unknown>);
  else if (version === undefined) {
    throw new InputError(
      `${source}: the state document has no "version": it was not written by partoo-links (which writes {"version": ${STATE_VERSION}, "stores": {…}}); ${recoveryAdvice(source)}`,
    );
  } else if (version !== STATE_VERSION) {
    throw new InputError(
      `${source}: state document version ${shownValue(version)} is not supported (this partoo-links reads versions 1 and ${STATE_VERSION}); upgrade partoo-links, or ${recoveryAdvice(source)}`,
    );
  }
  checkAgainstSchema(data, source);
  const { stores, links = {} } = data as WrittenDocument;
  for (const [code, storeLinks] of Object.entries(links)) {
    const record = Object.hasOwn(stores, code) ? (stores[code] as { links?: Links }) : undefined;
    if (record === undefined) {
      throw new InputError(
        `${source}: the state document is corrupt at /links/${code}: links of a store that has no record; ${recoveryAdvice(source)}`,
      );
    }
    record.links = storeLinks;
  }
  return stores;
}

/**
 * What to do about a document that cannot be read, by backend. The file: default sits in the
 * git-ignored .partoo/, so git has no copy of it; the github: document has the branch history.
 */
export function recoveryAdvice(source: string): string {
  const branch = /^github:([^\s]+)/.exec(source)?.[1];
  if (branch !== undefined) {
    return `restore an earlier version from the history of branch ${branch} (git log origin/${branch}), or delete the branch to start over (the next apply reads every store live and sends only what differs)`;
  }
  return "restore it from a backup, or delete it to start over (the next apply reads every store live and sends only what differs)";
}

/** JSON.parse's message, without the excerpt of the text it quotes (it may span lines), and the line:column. */
function describeJsonError(text: string, error: Error): { where: string; what: string } {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  const token = /^Unexpected token '(.)'/u.exec(error.message)?.[1];
  const what =
    token !== undefined
      ? `unexpected character ${shownValue(token)}`
      : error.message
          .replace(/ in JSON at position \d+.*$/s, "")
          .replace(/ at position \d+.*$/s, "")
          .split("\n", 1)[0]!
          .replace(/^./, (first) => first.toLowerCase());
  if (position === undefined) return { where: "", what };
  const before = text.slice(0, Number(position));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return { where: ` at line ${line}, column ${column}`, what };
}

/** A value from the document in a message: JSON, short, on one line. */
function shownValue(value: unknown): string {
  const text = (JSON.stringify(value) ?? String(value)).replace(
    // Invisible and direction-changing characters would make the line read as something else.
    /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
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

/** One store's links from their JSON text, checked against the schema. */
export function parseLinks(raw: string, source: string, code: string): Links {
  const at = `/links/${code}`;
  let links: unknown;
  try {
    links = JSON.parse(raw);
  } catch (error) {
    throw new InputError(
      `${source}: the state document is corrupt at ${at}: not valid JSON; ${recoveryAdvice(source)}`,
      { cause: error },
    );
  }
  const check = validator().links;
  if (!check(links)) {
    throw new InputError(
      `${source}: the state document is corrupt${schemaProblem(check.errors, links, at)}; ${recoveryAdvice(source)}`,
    );
  }
  return links as Links;
}

export function checkAgainstSchema(data: unknown, source: string): void {
  const check = validator().document;
  if (!check(data)) {
    throw new InputError(
      `${source}: the state document is corrupt${schemaProblem(check.errors, data)}; ${recoveryAdvice(source)}`,
    );
  }
}

/**
 * ` at /stores/x/lastAttempt/status: is "weird", expected "ok" or "failed"`: ajv's first
 * error in words, with the value found (every const of a oneOf at that place is named).
 */
export function schemaProblem(
  errors: GeneratedValidator["errors"],
  data: unknown,
  prefix = "",
): string {
  const first = errors?.[0];
  if (first === undefined) return ": invalid";
  const path = `${prefix}${first.instancePath}`;
  const where = path === "" ? "" : ` at ${path}`;
  const found = `is ${shownValue(valueAt(data, first.instancePath))}`;
  const params = first.params as Record<string, unknown>;
  switch (first.keyword) {
    case "const": {
      const allowed = alternatives(first.schemaPath) ?? [params["allowedValue"]];
      return `${where}: ${found}, expected ${allowed.map(shownValue).join(" or ")}`;
    }
    case "additionalProperties":
      return `${where}: unknown field ${shownValue(params["additionalProperty"])}`;
    case "required":
      return `${where}: the field ${shownValue(params["missingProperty"])} is missing`;
    case "type":
      return `${where}: ${found}, expected ${String(params["type"])}`;
    case "propertyNames":
      return `${where}: a key is not a store code`;
    default:
      return `${where}: ${first.message ?? "invalid"}`;
  }
}

/**
 * The constants every branch of a oneOf allows for one field (`#/$defs/attempt/oneOf/0/
 * properties/status/const`: "ok" or "failed"): ajv stops at the first branch's.
 */
function alternatives(schemaPath: string): unknown[] | undefined {
  const match = /^#(.*)\/oneOf\/\d+\/properties\/([^/]+)\/const$/.exec(schemaPath);
  if (match === null) return undefined;
  const oneOf = valueAt(validator().schema, `${match[1]}/oneOf`);
  if (!Array.isArray(oneOf)) return undefined;
  const values = oneOf.map((branch) => valueAt(branch, `/properties/${match[2]}/const`));
  return values.every((value) => value !== undefined) ? values : undefined;
}

/** The value at a JSON pointer (ajv's instancePath), or undefined. */
function valueAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Refuses to write a record that does not match the schema. Only partoo-links writes records,
 * so one that does not match is a bug (a plain Error, reported as such), caught before it is
 * stored rather than when the next run reads it.
 */
export function checkRecordForWrite(code: string, record: StoreRecord): void {
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
}

function describe(check: GeneratedValidator): string {
  const first = check.errors?.[0];
  return `${first?.instancePath || "/"} ${first?.message ?? "invalid"}`;
}

/**
 * The cheap check of a record read through the fast path (issue: anyone can recompute a
 * sha256): its code and its fields, not its links, which are checked when loaded.
 */
export function checkRecordFields(code: string, record: unknown, source: string): void {
  const { record: checkFields, code: codePattern } = validator();
  if (!codePattern.test(code)) {
    throw new InputError(
      `${source}: the state document is corrupt at /stores: the code ${JSON.stringify(code.slice(0, 40))} does not match ${codePattern.source}; ${recoveryAdvice(source)}`,
    );
  }
  if (!checkFields(record)) {
    throw new InputError(
      `${source}: the state document is corrupt${schemaProblem(checkFields.errors, record, `/stores/${code}`)}; ${recoveryAdvice(source)}`,
    );
  }
}
