/**
 * Reading, checking and writing the state document, whatever backend holds it. A document
 * that is not valid JSON, does not match schemas/state.schema.json or has an unknown version
 * is an error: it is never read as empty, or the next apply would re-push every store.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { InputError } from "../errors.js";
import { schemaPath } from "../package-info.js";
import { STATE_VERSION, type StateDocument, type StoreRecord } from "../core/model.js";

let validator: ValidateFunction | undefined;

function validateState(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: false, strict: true }).compile(
    JSON.parse(readFileSync(schemaPath("state.schema.json"), "utf8")),
  );
  return validator;
}

/** Parses a state document; `source` names where it came from, for messages. */
export function parseStateDocument(text: string, source: string): StateDocument {
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
  if (version !== STATE_VERSION) {
    throw new InputError(
      `${source}: state document version ${JSON.stringify(version)} is not supported (this partoo-links reads version ${STATE_VERSION}); upgrade partoo-links or restore a compatible document`,
    );
  }
  const validate = validateState();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? ` at ${first.instancePath}` : "";
    throw new InputError(
      `${source}: the state document is corrupt${where}: ${first?.message ?? "invalid"}; restore it from a backup`,
    );
  }
  return data as StateDocument;
}

/**
 * Stable serialization: stores sorted by code, one store per line. Compact (the document of
 * 10,000 stores is parsed on every run) and still diff-friendly: a run that changes three
 * stores changes three lines of the state branch.
 */
export function serializeStateDocument(document: StateDocument): string {
  const codes = Object.keys(document.stores).sort();
  const lines = codes.map(
    (code, index) =>
      `${JSON.stringify(code)}:${JSON.stringify(document.stores[code])}${index < codes.length - 1 ? "," : ""}`,
  );
  return `{"version":${JSON.stringify(document.version)},"stores":{\n${lines.join("\n")}\n}}\n`;
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
