/**
 * The offline diff: desired (the file) against last-applied (the state), per store. It shows
 * what the files changed since the last confirmed apply; it cannot know live drift, nor
 * links someone else added, nor the ids of links still to be created. A URL changed in the
 * file is an update of the link it replaces, as in the live diff (pair-links.ts).
 */
import {
  businessAddress,
  type AppliedLink,
  type DesiredStore,
  type LinkType,
  type StoreRecord,
} from "./model.js";
import type { PlanChange } from "./plan.js";
import { own } from "./own-key.js";
import { pairReplacedLinks } from "./pair-links.js";

export interface StoreDiff {
  readonly address: string;
  readonly changes: readonly PlanChange[];
  /** Types managed at the last apply and gone from the file (or every type, for a pruned store). */
  readonly clearedTypes: readonly LinkType[];
  readonly warnings: readonly string[];
}

/**
 * The links of the last confirmed apply that the desired store can be compared with, or
 * undefined when there are none: never applied, or the file now addresses another business
 * (its recorded links and ids belong to the old one).
 */
export function comparableAppliedLinks(
  record: StoreRecord | undefined,
  address: string,
): Readonly<Record<LinkType, readonly AppliedLink[]>> | undefined {
  if (record?.hash === undefined || record.address !== address) return undefined;
  return record.links ?? {};
}

/** Warnings that depend only on the record: a changed address, a failed last attempt. */
export function recordWarnings(record: StoreRecord | undefined, address: string): string[] {
  const warnings: string[] = [];
  if (record?.hash !== undefined && record.address !== address) {
    warnings.push(
      `now addressed as ${address} (was ${record.address} at the last apply): compared as never applied; the links of ${record.address} are left as they are`,
    );
  }
  const failed = lastFailureWarning(record);
  if (failed !== undefined) warnings.push(failed);
  return warnings;
}

/**
 * "the last apply failed (…)": true of the record the run started from, stale once the store
 * is applied, so apply leaves it out of a store it confirmed.
 */
export function lastFailureWarning(record: StoreRecord | undefined): string | undefined {
  if (record?.lastAttempt?.status !== "failed") return undefined;
  const attempt = record.lastAttempt;
  return `the last apply failed (${attempt.at}): ${attempt.errorClass}: ${attempt.message}`;
}

/**
 * Desired × last-applied. `desired` undefined means the store file was deleted and is being
 * pruned: every type managed at the last apply is cleared.
 */
export function planStoreOffline(
  desired: DesiredStore | undefined,
  record: StoreRecord | undefined,
): StoreDiff {
  const address = desired === undefined ? (record?.address ?? "") : businessAddress(desired);
  const applied = comparableAppliedLinks(record, address) ?? {};
  const wanted = desired?.links ?? {};
  const changes: PlanChange[] = [];
  const clearedTypes: LinkType[] = [];
  const types = [...new Set([...Object.keys(wanted), ...Object.keys(applied)])].sort();
  for (const type of types) {
    const last = own(applied, type) ?? [];
    const links = own(wanted, type);
    if (links === undefined) clearedTypes.push(type);
    const lastByUrl = new Map(last.map((link) => [link.url, link]));
    const wantedUrls = new Set((links ?? []).map((link) => link.url));
    // A URL changed in the file replaces a link that leaves: an update that keeps its id.
    const replaced = pairReplacedLinks(
      last.filter((link) => !wantedUrls.has(link.url)),
      (links ?? []).filter((link) => !lastByUrl.has(link.url)),
      (link) => link.url,
      (link) => link.url,
    );
    const replacing = new Set(replaced.values());
    for (const link of links ?? []) {
      const before = lastByUrl.get(link.url) ?? replaced.get(link);
      if (before === undefined) {
        changes.push({ type, op: "create", url: link.url, preferred: link.preferred });
      } else if (before.url !== link.url || before.preferred !== link.preferred) {
        changes.push({
          type,
          op: "update",
          url: link.url,
          ...(before.url === link.url ? {} : { fromUrl: before.url }),
          preferred: link.preferred,
          wasPreferred: before.preferred,
          id: before.id,
        });
      }
    }
    for (const link of last) {
      if (!wantedUrls.has(link.url) && !replacing.has(link)) {
        changes.push({ type, op: "delete", url: link.url, preferred: link.preferred, id: link.id });
      }
    }
  }
  return { address, changes, clearedTypes, warnings: recordWarnings(record, address) };
}
