/**
 * Which businesses an import takes: codes are not unique in Partoo, and a store file is named
 * by its code, so a code shared by several businesses cannot be imported by code.
 */
import { compareCodes } from "../core/select.js";
import type { ImportSkip } from "../core/render/import.js";
import type { Business } from "../partoo/client.js";
import { plainName, quotedWhat } from "./partoo-values.js";

export interface BusinessSelection {
  readonly businesses: readonly Business[];
  readonly skips: readonly ImportSkip[];
}

/** `--all`: every business with a code of its own (with `byId`: every business), sorted. */
export function selectAllBusinesses(
  businesses: readonly Business[],
  byId: boolean,
): BusinessSelection {
  if (byId)
    return { businesses: [...businesses].sort((a, b) => compareCodes(a.id, b.id)), skips: [] };
  const skips: ImportSkip[] = [];
  const byCode = new Map<string, Business[]>();
  for (const business of businesses) {
    if (business.code === null || business.code === "") {
      skips.push({
        what: quotedWhat(`business ${business.id} (${plainName(business.name)})`),
        reason: "has no store code; import it with --by-id, or give it a code in Partoo",
        error: false,
      });
      continue;
    }
    byCode.set(business.code, [...(byCode.get(business.code) ?? []), business]);
  }
  const unique: Business[] = [];
  for (const [code, matches] of byCode) {
    if (matches.length === 1) unique.push(matches[0]!);
    else skips.push(ambiguous(code, matches));
  }
  return { businesses: unique.sort((a, b) => compareCodes(a.code!, b.code!)), skips };
}

/** `--code X`: exactly one business must have the code (with `byId`: all that have it). */
export function selectCodeBusinesses(
  code: string,
  found: readonly Business[],
  byId: boolean,
): BusinessSelection {
  const matches = found.filter((business) => business.code === code);
  if (matches.length === 0) {
    return {
      businesses: [],
      skips: [{ what: code, reason: "no business has this code (any status)", error: true }],
    };
  }
  if (matches.length > 1 && !byId) return { businesses: [], skips: [ambiguous(code, matches)] };
  return { businesses: matches, skips: [] };
}

function ambiguous(code: string, matches: readonly Business[]): ImportSkip {
  return {
    what: code,
    reason: `${matches.length} businesses have this code (${matches.map((b) => quotedWhat(b.id)).join(", ")}); import them with --by-id, or make the codes unique in Partoo`,
    error: true,
  };
}
