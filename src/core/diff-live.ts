/**
 * The three-way diff of SPEC §3: desired (the file) × last-applied (the state) × live (GET).
 * Live decides what to send; last-applied only tells where each change comes from.
 *
 * Decisions beyond the spec's words:
 * - Links are matched by URL once normalized (url-compare.ts: a server may rewrite host case,
 *   percent-encoding, a trailing slash…), so a kept link keeps its id and a preferred swap is
 *   two updates. Live differing from the file only by normalization counts as present, with a
 *   warning that says so.
 * - A URL changed in the file is an update of the link it replaces, in place: the POST carries
 *   the old link's id with the new value (pair-links.ts says which link an added URL
 *   replaces). Only links that really go away are deletes. An update never creates, so a POST
 *   whose response is lost and is re-planned from a fresh read cannot duplicate a link: either
 *   the link holds the new value (nothing left to send) or the same update is planned again.
 * - Type names come from outside (live, the state): records are read through `own`, so
 *   `__proto__` or `constructor` is only ever a type, never a property of Object.prototype.
 * - A URL present twice live in one type is kept once (the copy already in the wanted
 *   preferred state, else the first) and the extra copies are deleted.
 * - One preferred link per type: when a non-editable link is preferred and the file wants
 *   another link preferred, both cannot hold. The non-editable link wins (it cannot be
 *   changed, and making ours preferred would demote it implicitly): the file's link is sent
 *   not preferred, with a warning. When the file wants no preferred link, a preferred
 *   non-editable link is simply left as it is.
 */
import {
  businessAddress,
  type AppliedLink,
  type DesiredLink,
  type DesiredStore,
  type LinkType,
  type LiveLink,
  type LiveLinks,
  type StoreRecord,
  type TypeWrite,
  type UrlWrite,
} from "./model.js";
import type { ChangeOrigin, KeptLink, PlanChange } from "./plan.js";
import { comparableAppliedLinks, recordWarnings, type StoreDiff } from "./diff-offline.js";
import { comparableUrl } from "./url-compare.js";
import { own } from "./own-key.js";
import { pairReplacedLinks } from "./pair-links.js";

export interface LiveStoreDiff extends StoreDiff {
  /** The exact body to POST: only the types that differ, each with its complete list. */
  readonly writes: readonly TypeWrite[];
  /** Types with live links that the file never listed and the last apply did not manage. */
  readonly unmanagedTypes: readonly LinkType[];
  /** The non-editable live links of the managed types, kept as they are. */
  readonly notEditable: readonly KeptLink[];
}

/**
 * Desired × last-applied × live for one store. `desired` undefined means the store file was
 * deleted and is being pruned: the types managed at the last apply are cleared.
 */
export function planStoreLive(
  desired: DesiredStore | undefined,
  record: StoreRecord | undefined,
  live: LiveLinks,
): LiveStoreDiff {
  const address = desired === undefined ? (record?.address ?? "") : businessAddress(desired);
  const applied = comparableAppliedLinks(record, address);
  const wanted = desired?.links ?? {};
  const warnings = recordWarnings(record, address);
  const changes: PlanChange[] = [];
  const writes: TypeWrite[] = [];
  const clearedTypes: LinkType[] = [];
  const notEditable: KeptLink[] = [];
  const managed = [...new Set([...Object.keys(wanted), ...Object.keys(applied ?? {})])].sort();
  for (const type of managed) {
    const links = own(wanted, type);
    if (links === undefined) clearedTypes.push(type);
    const result = planTypeLive(
      type,
      links ?? [],
      own(applied, type),
      own(live, type) ?? [],
      warnings,
    );
    changes.push(...result.changes);
    if (result.write !== undefined) writes.push(result.write);
    for (const link of own(live, type) ?? []) {
      if (!link.editable)
        notEditable.push({ type, url: link.url, preferred: link.preferred, id: link.id });
    }
  }
  const managedSet = new Set(managed);
  const unmanagedTypes = Object.keys(live)
    .filter((type) => !managedSet.has(type) && (own(live, type)?.length ?? 0) > 0)
    .sort();
  return { address, changes, writes, clearedTypes, unmanagedTypes, notEditable, warnings };
}

/** One managed type: the changes, and the write that makes live match (when anything differs). */
function planTypeLive(
  type: LinkType,
  wanted: readonly DesiredLink[],
  applied: readonly AppliedLink[] | undefined,
  live: readonly LiveLink[],
  warnings: string[],
): { changes: PlanChange[]; write?: TypeWrite } {
  const fixed = live.filter((link) => !link.editable);
  const fixedByUrl = new Map<string, LiveLink>();
  for (const link of fixed) {
    const key = comparableUrl(link.url);
    if (!fixedByUrl.has(key)) fixedByUrl.set(key, link);
  }
  const editableByUrl = new Map<string, LiveLink[]>();
  for (const link of live) {
    if (!link.editable) continue;
    const key = comparableUrl(link.url);
    const copies = editableByUrl.get(key);
    if (copies === undefined) editableByUrl.set(key, [link]);
    else copies.push(link);
  }
  const honourPreferred = checkPreferredConflict(type, wanted, fixed, warnings);
  const origin = originOf(applied);
  const changes: PlanChange[] = [];
  // Non-editable links are re-sent first, unchanged, whenever the type is sent.
  const urls: UrlWrite[] = fixed.map((link) => ({
    id: link.id,
    value: link.url,
    is_preferred: link.preferred,
  }));
  const kept = new Set<LiveLink>();
  const seen = new Set<string>();
  // The file's links in order: a kept live link, or one to add (created, or replacing one).
  const planned: { link: DesiredLink; preferred: boolean; keep?: LiveLink }[] = [];
  for (const link of wanted) {
    // Store files never list a URL twice in a type (validation); other callers might.
    const key = comparableUrl(link.url);
    if (seen.has(key)) continue;
    seen.add(key);
    const owner = fixedByUrl.get(key);
    if (owner !== undefined) {
      warnings.push(nonEditableWarning(type, link, owner));
      continue;
    }
    const preferred = link.preferred && honourPreferred;
    const copies = editableByUrl.get(key) ?? [];
    const keep =
      copies.find((copy) => copy.url === link.url && copy.preferred === preferred) ??
      copies.find((copy) => copy.preferred === preferred) ??
      copies[0];
    if (keep !== undefined) kept.add(keep);
    planned.push(keep === undefined ? { link, preferred } : { link, preferred, keep });
  }
  const wantedUrls = new Set(wanted.map((link) => comparableUrl(link.url)));
  // Live links that leave, except extra copies of a kept URL: each may be replaced in place.
  const leaving = live.filter(
    (link) => link.editable && !kept.has(link) && !wantedUrls.has(comparableUrl(link.url)),
  );
  const replaced = pairReplacedLinks(
    leaving,
    planned.filter((entry) => entry.keep === undefined),
    (link) => link.url,
    (entry) => entry.link.url,
  );
  const replacing = new Set(replaced.values());
  for (const entry of planned) {
    const { link, preferred, keep } = entry;
    const old = replaced.get(entry);
    if (old !== undefined) {
      changes.push({
        type,
        op: "update",
        url: link.url,
        fromUrl: old.url,
        preferred,
        wasPreferred: old.preferred,
        id: old.id,
        origin: bothOrigins(
          origin(old.url, undefined, old.preferred),
          origin(link.url, link.preferred, undefined),
        ),
      });
      // The id kept, the new value: Partoo updates the link in place.
      urls.push({ id: old.id, value: link.url, is_preferred: preferred });
      continue;
    }
    if (keep === undefined) {
      changes.push({
        type,
        op: "create",
        url: link.url,
        preferred,
        origin: origin(link.url, link.preferred, undefined),
      });
      urls.push({ value: link.url, is_preferred: preferred });
      continue;
    }
    if (keep.url !== link.url) warnings.push(normalizedWarning(type, link.url, keep.url));
    if (keep.preferred !== preferred) {
      changes.push({
        type,
        op: "update",
        url: link.url,
        preferred,
        wasPreferred: keep.preferred,
        id: keep.id,
        origin: origin(link.url, link.preferred, keep.preferred),
      });
    }
    // Partoo's spelling of the URL: re-sending ours would only be rewritten again.
    urls.push({ id: keep.id, value: keep.url, is_preferred: preferred });
  }
  for (const link of live) {
    if (!link.editable || kept.has(link) || replacing.has(link)) continue;
    const duplicate = wantedUrls.has(comparableUrl(link.url));
    changes.push({
      type,
      op: "delete",
      url: link.url,
      preferred: link.preferred,
      id: link.id,
      // An extra copy was added live; the file never asks for two.
      origin: duplicate
        ? applied === undefined
          ? "pending"
          : "drift"
        : origin(link.url, undefined, link.preferred),
      ...(duplicate ? { duplicate: true as const } : {}),
    });
  }
  return changes.length === 0 ? { changes } : { changes, write: { type, urls } };
}

/** Whether the file's preferred link can be honoured next to the non-editable links. */
function checkPreferredConflict(
  type: LinkType,
  wanted: readonly DesiredLink[],
  fixed: readonly LiveLink[],
  warnings: string[],
): boolean {
  const fixedPreferred = fixed.find((link) => link.preferred);
  const wantedPreferred = wanted.find((link) => link.preferred);
  if (fixedPreferred === undefined || wantedPreferred === undefined) return true;
  if (comparableUrl(fixedPreferred.url) === comparableUrl(wantedPreferred.url)) return true;
  warnings.push(
    `${type}: the file marks ${wantedPreferred.url} preferred, but the non-editable link ${fixedPreferred.url} (owned by someone else) is preferred and cannot be changed; ${wantedPreferred.url} is kept not preferred`,
  );
  return false;
}

function normalizedWarning(type: LinkType, file: string, live: string): string {
  return `${type}: Partoo holds ${live} where the file says ${file}: the same URL once normalized (host case, percent-encoding, trailing slash, Unicode form), so it counts as present and is not sent again; write it as Partoo does to silence this warning`;
}

function nonEditableWarning(type: LinkType, link: DesiredLink, owner: LiveLink): string {
  const base = `${type}: ${link.url} is a non-editable link (owned by someone else): it counts as present and is left as it is`;
  if (owner.preferred === link.preferred) return base;
  return `${base} (${owner.preferred ? "preferred" : "not preferred"}, where the file says ${link.preferred ? "preferred" : "not preferred"})`;
}

/** The origin of an update that replaces one URL by another: the two URLs' origins together. */
function bothOrigins(removed: ChangeOrigin, added: ChangeOrigin): ChangeOrigin {
  return removed === added ? removed : "both";
}

/**
 * Where a change on one URL comes from, comparing its state (absent, or its preferred flag)
 * in the file, at the last apply and live. Without a last apply for the type, everything the
 * file implies is pending.
 */
function originOf(
  applied: readonly AppliedLink[] | undefined,
): (url: string, inFile: boolean | undefined, inLive: boolean | undefined) => ChangeOrigin {
  if (applied === undefined) return () => "pending";
  const last = new Map(applied.map((link) => [comparableUrl(link.url), link.preferred]));
  return (url, inFile, inLive) => {
    const before = last.get(comparableUrl(url));
    const fileChanged = inFile !== before;
    const liveChanged = inLive !== before;
    if (fileChanged && liveChanged) return "both";
    if (fileChanged) return "pending";
    // Neither changed on this URL: a non-editable link changed around it, which is drift too.
    return "drift";
  };
}
