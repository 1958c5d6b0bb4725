/** Small builders for plan tables: stores, records and live links in a few characters. */
import type {
  AppliedLink,
  DesiredLink,
  DesiredStore,
  LiveLink,
  LiveLinks,
  StoreRecord,
} from "../../../src/core/model.js";
import type { PlanChange } from "../../../src/core/plan.js";
import { hashDesiredStore } from "../../../src/core/hash.js";

export const A = "https://shop.example.com/a";
export const B = "https://shop.example.com/b";
export const C = "https://shop.example.com/c";
export const D = "https://shop.example.com/d";

/** "url" or "url*" (preferred). */
export function want(...urls: string[]): DesiredLink[] {
  return urls.map((url) =>
    url.endsWith("*") ? { url: url.slice(0, -1), preferred: true } : { url, preferred: false },
  );
}

export function store(
  links: Readonly<Record<string, readonly DesiredLink[]>>,
  extra: { code?: string; businessId?: string } = {},
): DesiredStore {
  const code = extra.code ?? "paris-01";
  return extra.businessId === undefined
    ? { code, links }
    : { code, businessId: extra.businessId, links };
}

/** Applied links from "id:url" or "id:url*". */
export function applied(...entries: string[]): AppliedLink[] {
  return entries.map((entry) => {
    const [id, ...rest] = entry.split(":");
    const url = rest.join(":");
    return url.endsWith("*")
      ? { id: Number(id), url: url.slice(0, -1), preferred: true }
      : { id: Number(id), url, preferred: false };
  });
}

/** The record of a confirmed apply of `desired`, with its links as given. */
export function recordOf(
  desired: DesiredStore,
  links: Record<string, AppliedLink[]>,
  extra: Partial<StoreRecord> = {},
): StoreRecord {
  return {
    address: desired.businessId ?? `c-${desired.code}`,
    hash: hashDesiredStore(desired),
    links,
    appliedAt: "2024-05-01T10:00:00.000Z",
    lastAttempt: { status: "ok", at: "2024-05-01T10:00:00.000Z" },
    ...extra,
  };
}

/**
 * Live links from "id:url", with suffixes: "*" preferred, "!" non-editable (in that order:
 * "3:https://x*!" is a preferred non-editable link).
 */
export function live(...entries: string[]): LiveLink[] {
  return entries.map((entry) => {
    const [id, ...rest] = entry.split(":");
    let url = rest.join(":");
    const editable = !url.endsWith("!");
    if (!editable) url = url.slice(0, -1);
    const preferred = url.endsWith("*");
    if (preferred) url = url.slice(0, -1);
    return { id: Number(id), url, preferred, editable };
  });
}

export function liveLinks(links: Record<string, LiveLink[]>): LiveLinks {
  return links;
}

/**
 * A change in one line: "create SHOP_ONLINE https://…/a* pending" ("*": preferred afterwards);
 * an update that changes the URL: "update SHOP_ONLINE https://…/b #1 was https://…/a pending".
 */
export function show(change: PlanChange): string {
  const parts = [
    change.op,
    change.type,
    `${change.url}${change.preferred && change.op !== "delete" ? "*" : ""}`,
  ];
  if (change.id !== undefined) parts.push(`#${change.id}`);
  if (change.fromUrl !== undefined) parts.push(`was ${change.fromUrl}`);
  if (change.duplicate === true) parts.push("duplicate");
  if (change.origin !== undefined) parts.push(change.origin);
  return parts.join(" ");
}
