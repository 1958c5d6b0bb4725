/** The emulator's routes under /v2, and the business search (pure functions over the store's data). */
import {
  DEFAULT_PER_PAGE,
  DOCUMENTED_STATUSES,
  MAX_PER_PAGE,
  statusFilter,
  type WireBusiness,
} from "./api-doc.js";

export interface Route {
  readonly name: "search" | "business" | "links";
  readonly methods: readonly string[];
  readonly address?: string;
}

/** Routes under /v2; the business segment is split before decoding, so an encoded "/" stays in it. */
export function matchRoute(pathname: string): Route | undefined {
  if (!pathname.startsWith("/v2/")) return undefined;
  const parts = pathname.slice("/v2/".length).split("/");
  if (parts[0] !== "business" || parts.length < 2 || parts.length > 3) return undefined;
  if (parts.length === 2 && parts[1] === "search") return { name: "search", methods: ["GET"] };
  let address: string;
  try {
    address = decodeURIComponent(parts[1]!);
  } catch {
    return undefined;
  }
  if (address === "") return undefined;
  if (parts.length === 2) return { name: "business", methods: ["GET"], address };
  if (parts[2] === "place_action_links")
    return { name: "links", methods: ["GET", "POST"], address };
  return undefined;
}

export function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = params.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * GET /business/search: `page`, `per_page` (default 30, at most 100), `code`, and `status`
 * (one comma-separated value, default open; of a repeated parameter only the first value
 * counts, as on a typical server), answered in Partoo's page shape.
 */
export function searchBusinesses(
  businesses: readonly WireBusiness[],
  query: string,
): { status: number; body: unknown } {
  const params = new URLSearchParams(query);
  const page = integerParam(params, "page", 1);
  const perPage = integerParam(params, "per_page", DEFAULT_PER_PAGE);
  const wanted = statusFilter(params);
  const problems: Record<string, string[]> = {};
  if (page === undefined || page < 1) problems["page"] = ["Must be greater than or equal to 1."];
  if (perPage === undefined || perPage < 1 || perPage > MAX_PER_PAGE) {
    problems["per_page"] = [`Must be between 1 and ${MAX_PER_PAGE}.`];
  }
  if (wanted.some((status) => !DOCUMENTED_STATUSES.includes(status))) {
    problems["status"] = [`Must be one of: ${DOCUMENTED_STATUSES.join(", ")}.`];
  }
  if (page === undefined || perPage === undefined || Object.keys(problems).length > 0) {
    return { status: 400, body: { error: { json: problems } } };
  }
  const code = params.get("code");
  const matching = businesses.filter(
    (business) => wanted.includes(business.status) && (code === null || business.code === code),
  );
  return {
    status: 200,
    body: {
      page,
      max_page: Math.max(1, Math.ceil(matching.length / perPage)),
      count: matching.length,
      businesses: matching.slice((page - 1) * perPage, page * perPage),
    },
  };
}
