/**
 * What `import` accepts from Partoo before writing it into a store file. Ids, codes, URLs and
 * names come from a server we do not control: each is checked against what it can be (the
 * store schema's patterns), so that no value can add a line, a key or a comment to a file.
 */
import type { LinkType, LiveLinks } from "../core/model.js";
import { placeActionTypes } from "../files/index.js";
import { urlProblem } from "../core/link-url.js";
import { isValidStoreCode, STORE_CODE_RULE } from "../core/store-code.js";
import { quoteExcerpt } from "../core/excerpt.js";

/** The store schema's `business_id` pattern and length. */
const BUSINESS_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** A value from Partoo, quoted and cut short for a message: controls and bidi stay escaped. */
export function quoted(value: string): string {
  return quoteExcerpt(value);
}

/** A code or id from Partoo as it names a line of the report: quoted when it is not plain. */
export function quotedWhat(what: string): string {
  return /^[\x20-\x7e]+$/.test(what) ? what : quoted(what);
}

export function businessIdProblem(id: string): string | undefined {
  if (BUSINESS_ID.test(id)) return undefined;
  return `Partoo returned the business id ${quoted(id)}, which is not an id (1 to 100 of A-Z a-z 0-9 _ -); nothing written for it: report it to Partoo`;
}

export function storeCodeProblem(code: string): string | undefined {
  if (isValidStoreCode(code)) return undefined;
  return `the code ${quoted(code)} cannot be a file name (${STORE_CODE_RULE}); rename it in Partoo or import it with --by-id`;
}

/** The first live URL of a known type that a store file could not hold, said plainly. */
export function liveUrlProblem(live: LiveLinks): string | undefined {
  for (const type of knownTypes(live)) {
    for (const link of live[type] ?? []) {
      if (!link.editable) continue;
      const problem = urlProblem(link.url);
      if (problem !== undefined) {
        return `its live ${type} link ${problem}; fix the link in Partoo first`;
      }
    }
  }
  return undefined;
}

/** The live types a store file can list, in live order. */
export function knownTypes(live: LiveLinks): LinkType[] {
  const known = new Set(placeActionTypes());
  return Object.keys(live).filter((type) => known.has(type));
}

/** Live types the schema does not know (e.g. Google's SOLOPRENEUR_APPOINTMENT): left out of files. */
export function unknownTypes(live: LiveLinks): LinkType[] {
  const known = new Set(placeActionTypes());
  return Object.keys(live)
    .filter((type) => !known.has(type) && (live[type]?.length ?? 0) > 0)
    .sort();
}

/** A type name fit for a comment: Google's style, or nothing. */
export function shownType(type: string): string | undefined {
  return /^[A-Z][A-Z0-9_]{0,63}$/.test(type) ? type : undefined;
}

/**
 * A business name for a comment: line and paragraph separators, controls and format
 * characters (bidi overrides, zero-width) become spaces; at most 100 characters.
 */
export function plainName(name: string): string {
  const plain = name
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 100 ? `${plain.slice(0, 97)}...` : plain;
}
