/**
 * What the emulator knows of Partoo, taken from ../shared/partoo-api.md and written here on
 * purpose instead of imported from src/partoo/: the emulator is a second opinion on the
 * documentation, not an echo of the client (lint forbids the import). Where the document
 * says a shape is an assumption, the emulator accepts only the documented form (or the
 * assumed one when told to) and answers anything else as the real server most likely would.
 */

/** Documented: every request carries this header (Node lower-cases header names). */
export const KEY_HEADER = "x-apikey";

/**
 * The statuses the search filter knows. Documented: `open` (the default), `closed`,
 * `opening_soon`, `temporarily_closed` (one crawl spells `closed_temporarily`).
 */
export const DOCUMENTED_STATUSES: readonly string[] = [
  "open",
  "closed",
  "opening_soon",
  "temporarily_closed",
];
export const DEFAULT_STATUS_FILTER = "open";

/** Documented: 30 per page by default; `per_page` up to 100 for sibling searches. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

/** Documented types (Partoo's examples, Google's PlaceActionType enum minus SOLOPRENEUR_APPOINTMENT). */
export const DOCUMENTED_TYPES: readonly string[] = [
  "APPOINTMENT",
  "ONLINE_APPOINTMENT",
  "DINING_RESERVATION",
  "FOOD_ORDERING",
  "FOOD_DELIVERY",
  "FOOD_TAKEOUT",
  "SHOP_ONLINE",
];

/** Documented by Google: the codes Partoo may pass on in a 400. */
export const GOOGLE_ERROR_CODES: readonly string[] = [
  "INVALID_URL",
  "TOO_MANY_VALUES",
  "INVALID_LOCATION_CATEGORY",
  "URL_PROVIDER_NOT_ALLOWED",
  "LINK_ALREADY_EXISTS",
  "SCALABLE_DEEP_LINK_INVALID_MULTIPLICITY",
  "UNVERIFIED_LOCATION",
];

/**
 * The POST body. The seed document shows a bare JSON array ("array", the default); sibling
 * endpoints suggest `{"place_action_links": [...]}` ("wrapped", an assumption the emulator
 * can be told to hold instead). Never both: a client must match one of them exactly.
 */
export type BodyShape = "array" | "wrapped";
const WRAPPED_KEY = "place_action_links";

/** The list inside a POST body, or undefined when the body has another shape (a 400). */
export function bodyList(body: unknown, shape: BodyShape): unknown[] | undefined {
  if (shape === "array") return Array.isArray(body) ? body : undefined;
  if (!isRecord(body) || !Object.hasOwn(body, WRAPPED_KEY)) return undefined;
  const list = body[WRAPPED_KEY];
  return Array.isArray(list) ? list : undefined;
}

/**
 * The `status` filter as a typical server reads it: the first `status` parameter only
 * (a repeated parameter is not documented), split on commas; absent means `open`.
 */
export function statusFilter(params: URLSearchParams): string[] {
  const first = params.get("status");
  if (first === null) return [DEFAULT_STATUS_FILTER];
  return first.split(",").map((status) => status.trim());
}

/** A business as search and GET /business/{id} return it. */
export interface WireBusiness {
  readonly id: string;
  readonly code: string | null;
  readonly name: string;
  readonly status: string;
}

/** One link as GET place_action_links returns it. */
export interface WireUrl {
  readonly id: number;
  readonly value: string;
  readonly is_preferred: boolean;
  readonly is_editable: boolean;
}

export interface WireTypeLinks {
  readonly gmb_id: string;
  readonly urls: readonly WireUrl[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
