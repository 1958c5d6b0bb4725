/**
 * Which stores the next apply pushes, decided from the state document alone (SPEC §3, last
 * rule), never from git history: a cancelled or failed run loses nothing, because its stores
 * still differ from their last confirmed apply next time.
 */
import type { StateDocument, StoreRecord } from "./model.js";
import type { StoreReason } from "./plan.js";
import { businessIdFromAddress } from "./hash.js";

/** A store that has a file, as far as selection needs to know it. */
export interface DesiredEntry {
  readonly code: string;
  /** hashDesiredStore of the file; for a file skipped as unchanged, the recorded hash. */
  readonly hash: string;
}

export interface SelectOptions {
  /** apply/plan --only: limit to these codes, and reconcile them against live even if unchanged. */
  readonly only?: readonly string[];
  /** apply --repair: also push the stores that drift marked as drifted. */
  readonly repair?: boolean;
  /** apply --prune-removed: push the removed stores, to clear their managed types. */
  readonly prune?: boolean;
}

export interface PushDecision {
  readonly code: string;
  readonly reason: StoreReason;
}

export interface Selection {
  /** Stores to push, sorted by code; removed stores appear here (reason "pruned") only with prune. */
  readonly push: readonly PushDecision[];
  /** Codes in the state with no file (within --only), sorted: they become unmanaged, or are pruned. */
  readonly removed: readonly string[];
  /** Codes with a file and nothing to push, sorted. */
  readonly unchanged: readonly string[];
}

/** Why `record` must be pushed for a file hashing to `hash`, or undefined when it need not be. */
export function pushReason(
  hash: string,
  record: StoreRecord | undefined,
  options: { only?: boolean; repair?: boolean } = {},
): StoreReason | undefined {
  if (record?.hash === undefined) return "never-applied";
  if (record.hash !== hash) return "file-changed";
  if (record.lastAttempt?.status === "failed") return "last-apply-failed";
  if (options.repair === true && record.drift?.drifted === true) return "drifted";
  if (options.only === true) return "only";
  return undefined;
}

export function selectStoresToPush(
  entries: Iterable<DesiredEntry>,
  state: StateDocument,
  options: SelectOptions = {},
): Selection {
  const only = options.only === undefined ? undefined : new Set(options.only);
  const flags = { only: only !== undefined, repair: options.repair === true };
  const push: PushDecision[] = [];
  const unchanged: string[] = [];
  const withFile = new Set<string>();
  let recorded = 0;
  for (const entry of entries) {
    if (only !== undefined && !only.has(entry.code)) continue;
    const first = !withFile.has(entry.code);
    withFile.add(entry.code);
    const record = Object.hasOwn(state.stores, entry.code) ? state.stores[entry.code] : undefined;
    if (record !== undefined && first) recorded++;
    const reason = pushReason(entry.hash, record, flags);
    if (reason === undefined) unchanged.push(entry.code);
    else push.push({ code: entry.code, reason });
  }
  const codes = Object.keys(state.stores);
  // Every record has a file (the usual case): nothing was removed.
  const removed =
    only === undefined && recorded === codes.length
      ? []
      : codes.filter((code) => !withFile.has(code) && (only === undefined || only.has(code)));
  if (options.prune === true) {
    for (const code of removed) push.push({ code, reason: "pruned" });
  }
  return {
    push: push.sort((a, b) => compareCodes(a.code, b.code)),
    removed: removed.sort(compareCodes),
    unchanged: unchanged.sort(compareCodes),
  };
}

/** What the state remembers of a file: enough to skip it while its bytes are unchanged. */
export interface UnchangedFile {
  readonly fileHash: string;
  readonly businessId?: string;
}

export interface UnchangedFiles {
  get(code: string): UnchangedFile | undefined;
}

/**
 * The files that need not be parsed again (loadStores' skipUnchanged): stores whose last
 * apply was confirmed and that no option forces to be reconciled. A skipped file whose bytes
 * still match `fileHash` is known to hash to the recorded hash. Looked up file by file rather
 * than built for the whole state: a large fleet pays one lookup per file at each plan.
 */
export function unchangedFileCandidates(
  state: StateDocument,
  options: { only?: readonly string[]; repair?: boolean } = {},
): UnchangedFiles {
  const only = options.only === undefined ? undefined : new Set(options.only);
  const stores = state.stores;
  return {
    get(code) {
      const record: StoreRecord | undefined = stores[code];
      if (record === undefined || !Object.hasOwn(stores, code)) return undefined;
      if (record.hash === undefined || record.fileHash === undefined) return undefined;
      if (record.lastAttempt?.status === "failed") return undefined;
      if (options.repair === true && record.drift?.drifted === true) return undefined;
      if (only?.has(code) === true) return undefined;
      const businessId = businessIdFromAddress(code, record.address);
      return businessId === undefined
        ? { fileHash: record.fileHash }
        : { fileHash: record.fileHash, businessId };
    },
  };
}

/** Code order used everywhere in plans: plain code-unit order, stable across locales. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The codes of `only` that have neither a store file nor a state entry (a typo, most likely). */
export function unknownCodes(
  only: readonly string[],
  entries: readonly DesiredEntry[],
  state: StateDocument,
): string[] {
  const known = new Set(entries.map((entry) => entry.code));
  return only.filter((code) => !known.has(code) && !Object.hasOwn(state.stores, code));
}
