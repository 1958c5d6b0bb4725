/**
 * schemas/store.schema.json, the one place that lists the place action types, read once per
 * process on first use. Its validators are generated from it at build time (npm run
 * generate); schema-errors.ts runs them.
 */
import { readFileSync } from "node:fs";
import { schemaPath } from "../package-info.js";

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
