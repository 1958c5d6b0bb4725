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
  $defs: { placeActionType: { enum: string[] } };
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
  return new Ajv2020({ allErrors, strict: true }).compile(storeSchema());
}

/** Every schema error of `data`, or an empty list when it is valid. */
export function schemaErrors(data: unknown): readonly ErrorObject[] {
  fastValidator ??= compile(false);
  if (fastValidator(data)) return [];
  fullValidator ??= compile(true);
  fullValidator(data);
  return fullValidator.errors ?? [];
}
