/**
 * The plain data every part of the program exchanges. Pure types: the store files produce
 * DesiredStore, the Partoo client produces LiveLinks, the state backends hold StateDocument,
 * and the planner (core) turns the three into a plan.
 */

/** A place action type (`gmb_id`), e.g. "SHOP_ONLINE". The list of known ones lives in the JSON Schema. */
export type LinkType = string;

/** A link as a store file wants it. */
export interface DesiredLink {
  readonly url: string;
  readonly preferred: boolean;
}

/**
 * The normalized desired state of one store. Every type in `links` is managed, including
 * those with an empty list (managed and kept empty). Links keep the file's order.
 */
export interface DesiredStore {
  readonly code: string;
  readonly businessId?: string;
  readonly links: Readonly<Record<LinkType, readonly DesiredLink[]>>;
  /** The types inherited from the fleet file, with where: "partoo-links.yaml:4". Not hashed. */
  readonly origins?: Readonly<Record<LinkType, string>>;
}

/** A link as Partoo holds it. */
export interface LiveLink {
  readonly id: number;
  readonly url: string;
  readonly preferred: boolean;
  /** false: owned by someone else; never changed or deleted, re-sent unchanged. */
  readonly editable: boolean;
}

/** The live links of one business, by type. A type absent here has no links. */
export type LiveLinks = Readonly<Record<LinkType, readonly LiveLink[]>>;

/** One URL entry of a POST body, in Partoo's own shape. No `id`: create. With `id`: keep/update. */
export interface UrlWrite {
  readonly id?: number;
  readonly value: string;
  readonly is_preferred: boolean;
}

/** The complete list of links one type must hold after a POST (Partoo replaces per type). */
export interface TypeWrite {
  readonly type: LinkType;
  readonly urls: readonly UrlWrite[];
}

/**
 * How a store is addressed on Partoo: its `business_id` when the file sets one,
 * otherwise `c-{code}`. The client URL-encodes it as one path segment.
 */
export function businessAddress(store: Pick<DesiredStore, "code" | "businessId">): string {
  return store.businessId ?? codeAddress(store.code);
}

/** Partoo's address of a business by its store code (the one place that spells the rule). */
export function codeAddress(code: string): string {
  return `c-${code}`;
}

/** The store code in a `c-{code}` address; undefined for a business id (24 hex digits). */
export function codeOfAddress(address: string): string | undefined {
  const prefix = codeAddress("");
  return address.startsWith(prefix) ? address.slice(prefix.length) : undefined;
}

/** Whether `address` is the `c-{code}` address of `code`, not a business id. */
export function isCodeAddress(code: string, address: string): boolean {
  return address === codeAddress(code);
}

/**
 * The address of a store: from its file when it has one, else the one its record was
 * applied with, else `c-{code}`.
 */
export function storeAddress(
  code: string,
  desired: Pick<DesiredStore, "code" | "businessId"> | undefined,
  record: Pick<StoreRecord, "address"> | undefined,
): string {
  if (desired !== undefined) return businessAddress(desired);
  return record?.address ?? codeAddress(code);
}

/** A link recorded in the state as applied and confirmed. */
export interface AppliedLink {
  readonly id: number;
  readonly url: string;
  readonly preferred: boolean;
}

/** The outcome of the last attempt to apply a store. */
export type AttemptOutcome =
  | { readonly status: "ok"; readonly at: string }
  | {
      readonly status: "failed";
      readonly at: string;
      /** e.g. "http-400", "write-outcome-unknown", "network", "read-back-mismatch" (see run-apply.ts). */
      readonly errorClass: string;
      readonly message: string;
    };

/** What the state remembers of one store (the last-applied view of SPEC §3). */
export interface StoreRecord {
  /** The path segment used for this business: a business id or `c-{code}`. */
  readonly address: string;
  /** Hash of the normalized desired store last applied and confirmed; absent if never applied. */
  readonly hash?: string;
  /** Hash of the store file's bytes at that apply, so that an unchanged file is not parsed again. */
  readonly fileHash?: string;
  /** The managed types at the last confirmed apply, with the links and their Partoo ids. */
  readonly links?: Readonly<Record<LinkType, readonly AppliedLink[]>>;
  /** The git commit that was applied, when known. */
  readonly commit?: string;
  /** The files applied had uncommitted changes: `commit` alone does not describe them. */
  readonly dirty?: true;
  /** When the last confirmed apply happened (ISO 8601). */
  readonly appliedAt?: string;
  readonly lastAttempt?: AttemptOutcome;
  /** Set by `drift`: whether live differed from the last-applied links, and when it was checked. */
  readonly drift?: { readonly checkedAt: string; readonly drifted: boolean };
}

export const STATE_VERSION = 2;

/** The state document (schemas/state.schema.json). */
export interface StateDocument {
  readonly version: typeof STATE_VERSION;
  readonly stores: Readonly<Record<string, StoreRecord>>;
}

export function emptyState(): StateDocument {
  return { version: STATE_VERSION, stores: {} };
}
