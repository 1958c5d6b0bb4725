/**
 * Partoo's own shapes (partoo-api.md) and their mapping to the model, in one place: the
 * routes, the body of the POST, the query of the search, and every assumption the client
 * makes about the API. The emulator does not build on this module (it reads partoo-api.md
 * on its own), so a client that drifts from the documentation fails its tests.
 */
import type { LinkType, LiveLink, LiveLinks, TypeWrite } from "../core/model.js";
import { AppError } from "../errors.js";

/** One link as GET place_action_links returns it. */
export interface WireUrl {
  readonly id: number;
  readonly value: string;
  readonly is_preferred: boolean;
  readonly is_editable: boolean;
}

/** One type as GET place_action_links returns it. */
export interface WireTypeLinks {
  readonly gmb_id: string;
  readonly urls: readonly WireUrl[];
}

/** One URL of a POST: no `id` creates, an existing `id` keeps or updates. */
export interface WireUrlWrite {
  readonly id?: number;
  readonly value: string;
  readonly is_preferred: boolean;
}

export interface WireTypeWrite {
  readonly gmb_id: string;
  readonly urls: readonly WireUrlWrite[];
}

/** A business as search and GET /business/{id} return it (only the fields we use). */
export interface Business {
  readonly id: string;
  /** The store code; Partoo lets a business have none. */
  readonly code: string | null;
  readonly name: string;
  readonly status: string;
}

export interface SearchPage {
  readonly page: number;
  readonly maxPage: number;
  readonly count: number;
  readonly businesses: readonly Business[];
}

/*
 * Every assumption the client makes about the wire lives below, marked DOCUMENTED (in
 * partoo-api.md, from Partoo's or Google's reference) or ASSUMED (to confirm with a sandbox
 * key, see the README's "Against the real API"). Settling one is a one-line change here.
 */

/** DOCUMENTED: routes relative to the base URL (which ends in /v2); `c-{code}` or an id as the segment. */
export const ROUTES = {
  search: "/business/search",
  links: (address: string) => `/business/${encodeURIComponent(address)}/place_action_links`,
} as const;

/** DOCUMENTED: the key travels in this header. */
export const API_KEY_HEADER = "x-APIKey";

/**
 * DOCUMENTED: the search's `status` filter defaults to `open` and takes several values as
 * ONE comma-separated parameter (`status=open,opening_soon`); a repeated parameter is read
 * by its first value only, which would silently leave out every closed store.
 * ASSUMED: these four are every status (the 2021 OpenAPI source had only open and closed;
 * one crawl spells `closed_temporarily`).
 */
export const BUSINESS_STATUSES = ["open", "closed", "opening_soon", "temporarily_closed"] as const;
export const ALL_STATUSES_FILTER = BUSINESS_STATUSES.join(",");

/** ASSUMED: the largest page the business search serves (documented for sibling searches). */
export const SEARCH_PER_PAGE = 100;

/**
 * ASSUMED (partoo-api.md, POST body): the seed document shows a bare JSON array; sibling
 * endpoints wrap their list in an object. Flip to "wrapped" to send
 * `{"place_action_links": [...]}` (and start the emulator with `bodyShape: "wrapped"`).
 */
export const SET_LINKS_BODY_SHAPE: "array" | "wrapped" = "array";
export const SET_LINKS_BODY_KEY = "place_action_links";

/** The body of POST place_action_links: the one place its shape is decided. */
export function setLinksBody(writes: readonly TypeWrite[]): unknown {
  const list: WireTypeWrite[] = writes.map((write) => ({
    gmb_id: write.type,
    urls: write.urls.map((url) =>
      url.id === undefined
        ? { value: url.value, is_preferred: url.is_preferred }
        : { id: url.id, value: url.value, is_preferred: url.is_preferred },
    ),
  }));
  return SET_LINKS_BODY_SHAPE === "array" ? list : { [SET_LINKS_BODY_KEY]: list };
}

/** The list inside a body `setLinksBody` built (for reading a sent body back, as tests do). */
export function setLinksBodyList(body: unknown): unknown[] | undefined {
  if (SET_LINKS_BODY_SHAPE === "array") return Array.isArray(body) ? body : undefined;
  if (!isObject(body)) return undefined;
  const list = body[SET_LINKS_BODY_KEY];
  return Array.isArray(list) ? list : undefined;
}

/** The query of one search page: every status in one comma-separated `status` unless narrowed. */
export function searchQuery(filter: {
  code?: string;
  statuses: readonly string[];
  page: number;
}): string {
  const params = new URLSearchParams();
  params.set("page", String(filter.page));
  params.set("per_page", String(SEARCH_PER_PAGE));
  if (filter.code !== undefined) params.set("code", filter.code);
  params.set("status", filter.statuses.join(","));
  return params.toString();
}

/**
 * DOCUMENTED: `count` is the number of businesses the filter matches, over `max_page` pages.
 * Fewer businesses than `count` after every page means an inventory with holes: a clear
 * error, never a partial fleet used as if it were whole.
 */
export function checkSearchComplete(found: number, count: number, pages: number): void {
  if (found >= count) return;
  throw new AppError(
    `Partoo GET ${ROUTES.search}: the search counts ${count} businesses but its ${pages} ${pages === 1 ? "page lists" : "pages list"} only ${found}; the inventory is incomplete, so nothing was used: try again, and report it if it persists`,
  );
}

/** A response that does not have the documented shape; `path` says where. */
export class WireShapeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: expected ${expected}`);
    this.name = "WireShapeError";
  }
}

/**
 * GET place_action_links → LiveLinks. A type with `urls: []` and an absent type are the
 * same (whether Partoo returns empty types is not documented); a type listed twice is merged.
 * Types the schema does not know (Google's SOLOPRENEUR_APPOINTMENT, …) are kept: they are
 * unmanaged, shown as such, and never dropped.
 * ASSUMPTION: a link without `is_editable` is editable, one without `is_preferred` is not
 * preferred (both fields are documented as always present).
 */
export function toLiveLinks(body: unknown): LiveLinks {
  const types = isObject(body) ? body["place_action_links"] : undefined;
  if (!Array.isArray(types)) throw new WireShapeError("place_action_links", "a list");
  // Type names come from outside (`__proto__`, `constructor`): a map, never a plain object.
  const live = new Map<LinkType, LiveLink[]>();
  types.forEach((entry: unknown, i) => {
    const at = `place_action_links[${i}]`;
    if (!isObject(entry) || typeof entry["gmb_id"] !== "string") {
      throw new WireShapeError(`${at}.gmb_id`, "a string");
    }
    const urls = entry["urls"] ?? [];
    if (!Array.isArray(urls)) throw new WireShapeError(`${at}.urls`, "a list");
    const links = urls.map((url: unknown, j) => toLiveLink(url, `${at}.urls[${j}]`));
    if (links.length === 0) return;
    const type = entry["gmb_id"];
    live.set(type, [...(live.get(type) ?? []), ...links]);
  });
  return liveRecord(live);
}

function toLiveLink(url: unknown, at: string): LiveLink {
  if (!isObject(url)) throw new WireShapeError(at, "an object");
  const { id, value, is_preferred: preferred, is_editable: editable } = url;
  if (typeof id !== "number" || !Number.isInteger(id)) {
    throw new WireShapeError(`${at}.id`, "an integer");
  }
  if (typeof value !== "string") throw new WireShapeError(`${at}.value`, "a string");
  if (preferred !== undefined && typeof preferred !== "boolean") {
    throw new WireShapeError(`${at}.is_preferred`, "a boolean");
  }
  if (editable !== undefined && typeof editable !== "boolean") {
    throw new WireShapeError(`${at}.is_editable`, "a boolean");
  }
  return { id, url: value, preferred: preferred ?? false, editable: editable ?? true };
}

/** GET /business/{id}, or one entry of a search page → Business. */
function toBusiness(body: unknown, at = "business"): Business {
  if (!isObject(body)) throw new WireShapeError(at, "an object");
  const { id, code, name, status } = body;
  if ((typeof id !== "string" && typeof id !== "number") || id === "") {
    throw new WireShapeError(`${at}.id`, "a string");
  }
  if (code !== undefined && code !== null && typeof code !== "string") {
    throw new WireShapeError(`${at}.code`, "a string or null");
  }
  return {
    id: String(id),
    code: typeof code === "string" ? code : null,
    name: typeof name === "string" ? name : "",
    status: typeof status === "string" ? status : "",
  };
}

export function toSearchPage(body: unknown): SearchPage {
  if (!isObject(body)) throw new WireShapeError("search", "an object");
  const { page, max_page: maxPage, count, businesses } = body;
  if (!Array.isArray(businesses)) throw new WireShapeError("businesses", "a list");
  for (const [name, value] of [
    ["page", page],
    ["max_page", maxPage],
    ["count", count],
  ] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new WireShapeError(name, "a whole number");
    }
  }
  return {
    page: page as number,
    maxPage: maxPage as number,
    count: count as number,
    businesses: businesses.map((business: unknown, i) => toBusiness(business, `businesses[${i}]`)),
  };
}

/** A null-prototype record: any type name is only a key, never a path to Object.prototype. */
export function liveRecord(entries: Iterable<[LinkType, readonly LiveLink[]]>): LiveLinks {
  const record = Object.create(null) as Record<LinkType, readonly LiveLink[]>;
  for (const [type, links] of entries) record[type] = links;
  return record;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
