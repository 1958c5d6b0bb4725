/**
 * schemas/store.schema.json, the one place that lists the place action types, read once per
 * process on first use. Its validators are generated from it at build time (npm run
 * generate): a fast one that stops at the first error for the common case of a valid file,
 * and one that collects every error, from the schema with its refs inlined.
 */
import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import { schemaPath } from "../package-info.js";
import { validateStoreFast } from "../generated/store-fast.js";
import { validateStoreFull } from "../generated/store-full.js";

export const STORE_SCHEMA_FILE = "store.schema.json";

interface StoreSchema {
  $defs: { placeActionType: { enum: string[] } } & Record<string, unknown>;
}

let schema: StoreSchema | undefined;

export function storeSchema(): StoreSchema {
  schema ??= JSON.parse(readFileSync(schemaPath(STORE_SCHEMA_FILE), "utf8")) as StoreSchema;
  return schema;
}

/** The place action types a store file may list, in the schema's order. */
export function placeActionTypes(): readonly string[] {
  return storeSchema().$defs.placeActionType.enum;
}

/** Every schema error of `data`, or an empty list when it is valid. */
export function schemaErrors(data: unknown): readonly ErrorObject[] {
  if (validateStoreFast(data)) return [];
  validateStoreFull(data);
  return validateStoreFull.errors ?? [];
}
