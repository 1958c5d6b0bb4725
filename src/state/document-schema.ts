/**
 * What a state document may hold: schemas/state.schema.json compiled once, the checks of a
 * whole document, of one record's fields and of one store's links, and the upgrade from
 * version 1. Every check reports one line: where in the document, what, and what to do.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { InputError } from "../errors.js";
import { schemaPath } from "../package-info.js";
import { STATE_VERSION, type StoreRecord } from "../core/model.js";

export type Links = NonNullable<StoreRecord["links"]>;

/** The document as JSON has it: links beside the records, not in them. */
export interface WrittenDocument {
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

/** Compiled on first use: a compiled schema, not state (every document is checked alike). */
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
 * Reads any JSON layout (edited by hand, reformatted, version 1): parsed and checked in full,
 * the links put back into their records.
 */
export function parseAnyLayout(text: string, source: string): Record<string, StoreRecord> {
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
  return stores;
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

export function checkAgainstSchema(data: unknown, source: string): void {
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

function describe(check: ValidateFunction): string {
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
      `${source}: the state document is corrupt at /stores: the code ${JSON.stringify(code.slice(0, 40))} does not match ${codePattern.source}; restore it from a backup`,
    );
  }
  if (!checkFields(record)) {
    const first = checkFields.errors?.[0];
    throw new InputError(
      `${source}: the state document is corrupt at /stores/${code}${first?.instancePath ?? ""}: ${first?.message ?? "invalid"}; restore it from a backup`,
    );
  }
}
