/**
 * schemas/store.schema.json, the one place that lists the place action types. It is read
 * and compiled once per process, on first use: a fast validator that stops at the first
 * error for the common case of a valid file, and one that collects every error, compiled
 * only when some file is invalid.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import { schemaPath } from "../package-info.js";

export const STORE_SCHEMA_FILE = "store.schema.json";

interface StoreSchema {
  $defs: { placeActionType: { enum: string[] } } & Record<string, unknown>;
}

let schema: StoreSchema | undefined;
let fastValidator: ValidateFunction | undefined;
let fullValidator: ValidateFunction | undefined;

export function storeSchema(): StoreSchema {
  schema ??= JSON.parse(readFileSync(schemaPath(STORE_SCHEMA_FILE), "utf8")) as StoreSchema;
  return schema;
}

/** The place action types a store file may list, in the schema's order. */
export function placeActionTypes(): readonly string[] {
  return storeSchema().$defs.placeActionType.enum;
}

function compile(allErrors: boolean): ValidateFunction {
  // With allErrors, ajv copies the errors gathered so far after each call of a $ref'd schema:
  // quadratic in the bad links of a file (a minute for 100,000). Inlined, they are appended.
  const schema = storeSchema();
  const source = allErrors ? (inlineRefs(schema, schema.$defs) as StoreSchema) : schema;
  return new Ajv2020({ allErrors, strict: true }).compile(source);
}

/** The schema with each local `$ref` to `#/$defs/…` replaced by a copy of the definition (refs in a cycle are kept). */
function inlineRefs(node: unknown, defs: Record<string, unknown>, inside: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, defs, inside));
  if (typeof node !== "object" || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== "$defs") copy[key] = inlineRefs(value, defs, inside);
  }
  const ref = copy["$ref"];
  const name = typeof ref === "string" && ref.startsWith("#/$defs/") ? ref.slice(8) : undefined;
  if (name === undefined || !(name in defs) || inside.includes(name)) {
    if ("$defs" in node) copy["$defs"] = (node as { $defs: unknown }).$defs;
    return copy;
  }
  delete copy["$ref"];
  const target = inlineRefs(defs[name], defs, [...inside, name]) as Record<string, unknown>;
  return { ...target, ...copy };
}

/** Every schema error of `data`, or an empty list when it is valid. */
export function schemaErrors(data: unknown): readonly ErrorObject[] {
  fastValidator ??= compile(false);
  if (fastValidator(data)) return [];
  fullValidator ??= compile(true);
  fullValidator(data);
  return fullValidator.errors ?? [];
}
