/**
 * A store's schema errors, from the validators generated from schemas/store.schema.json at
 * build time (npm run generate): a fast one that stops at the first error for the common
 * case of a valid file, and one that collects every error, from the schema with its refs
 * inlined. A module of its own so that the full validator (90 kB) loads with the full parse
 * only, not with store-schema.ts, which the fast path and the index reach.
 */
import type { ErrorObject } from "ajv";
import { validateStoreFast } from "../generated/store-fast.js";
import { validateStoreFull } from "../generated/store-full.js";

/** Every schema error of `data`, or an empty list when it is valid. */
export function schemaErrors(data: unknown): readonly ErrorObject[] {
  if (validateStoreFast(data)) return [];
  validateStoreFull(data);
  return validateStoreFull.errors ?? [];
}
