/** The state records that apply and drift write: pure functions of what they observed, and `now`. */
import {
  businessAddress,
  type AppliedLink,
  type DesiredStore,
  type LinkType,
  type LiveLinks,
  type StoreRecord,
} from "./model.js";
import { hashDesiredStore } from "./hash.js";
import { planStoreLive } from "./diff-live.js";
import { sameUrl } from "./url-compare.js";

export interface AppliedStore {
  readonly desired: DesiredStore;
  /** The record before this apply: its managed types that left the file must be cleared live. */
  readonly previous?: StoreRecord;
  /** The live links read back after the writes (or read before, when nothing had to be sent). */
  readonly live: LiveLinks;
  /** sha256 of the store file's bytes, so that an unchanged file is not parsed next time. */
  readonly fileHash?: string;
  readonly commit?: string;
  /** The files applied were not all committed in `commit`. */
  readonly dirty?: boolean;
  readonly now: Date;
}

/**
 * The record of a confirmed apply: the desired hash, and every desired link with the id it
 * has live. The links keep the file's preferred flags (not live's) so that the next offline
 * plan compares the file with the file, even where a non-editable link overrode a flag.
 *
 * Throws when live does not match the desired store yet: confirm with
 * `planStoreLive(desired, previous, live).writes.length === 0` first.
 */
export function recordAfterApply(applied: AppliedStore): StoreRecord {
  const { desired, live, now } = applied;
  const remaining = planStoreLive(desired, applied.previous, live);
  if (remaining.writes.length > 0) {
    throw new Error(
      `recordAfterApply(${desired.code}): live does not match the file yet (${remaining.changes.length} changes left)`,
    );
  }
  const links: Record<LinkType, AppliedLink[]> = {};
  for (const [type, wanted] of Object.entries(desired.links)) {
    const present = live[type] ?? [];
    links[type] = wanted.map((link) => {
      // Ours first; a non-editable link with the same URL counts as present (SPEC §3).
      const match =
        present.find((candidate) => candidate.editable && sameUrl(candidate.url, link.url)) ??
        present.find((candidate) => sameUrl(candidate.url, link.url));
      if (match === undefined) {
        throw new Error(`recordAfterApply(${desired.code}): ${type} ${link.url} is not live`);
      }
      return { id: match.id, url: link.url, preferred: link.preferred };
    });
  }
  const at = now.toISOString();
  // Fields set in order rather than spread in: a spread made each record a slow object, and
  // an apply holds 20,000 of them until they are saved (issue 18).
  const record: { -readonly [K in keyof StoreRecord]: StoreRecord[K] } = {
    address: businessAddress(desired),
    hash: hashDesiredStore(desired),
  };
  if (applied.fileHash !== undefined) record.fileHash = applied.fileHash;
  record.links = links;
  if (applied.commit !== undefined) record.commit = applied.commit;
  if (applied.commit !== undefined && applied.dirty === true) record.dirty = true;
  record.appliedAt = at;
  record.lastAttempt = { status: "ok", at };
  return record;
}

/**
 * The record after a failed attempt: the last confirmed apply is kept as it was (it is still
 * what Partoo last confirmed), only the outcome changes, so the store is pushed again next run.
 */
export function recordAfterFailure(
  previous: StoreRecord | undefined,
  failure: { address: string; errorClass: string; message: string; now: Date },
): StoreRecord {
  const lastAttempt = {
    status: "failed" as const,
    at: failure.now.toISOString(),
    errorClass: failure.errorClass,
    message: failure.message,
  };
  return previous === undefined
    ? { address: failure.address, lastAttempt }
    : { ...previous, lastAttempt };
}

/** The record after `drift` compared the store with live. */
export function recordDriftCheck(record: StoreRecord, drifted: boolean, now: Date): StoreRecord {
  return { ...record, drift: { checkedAt: now.toISOString(), drifted } };
}
