/**
 * What an apply run will do, decided before any request from plain data: the jobs (one per
 * store to push), the deletions the files already show (counted against the cap), and the
 * stores that become unmanaged. Past a cap nothing is sent (SPEC §5).
 */
import { AppError } from "../errors.js";
import type { DesiredStore, StateDocument } from "../core/model.js";
import { storeAddress } from "../core/model.js";
import type { Selection } from "../core/select.js";
import { buildOfflinePlan } from "../core/build-plan.js";
import { countChanges } from "../core/plan.js";
import type { ApplyJob } from "./run-apply.js";

/** A cap refused the run before anything was sent. */
export class CapExceededError extends AppError {}

export const DEFAULT_MAX_DELETED_LINKS = 100;

/** Where a cap's value comes from, for the messages that name it. */
export type CapSource = "flag" | "fleet" | "default";

export interface ApplyCaps {
  /** --max-stores; undefined: no cap. */
  readonly maxStores: number | undefined;
  /** --max-deleted-links. */
  readonly maxDeletedLinks: number;
  /** Unset: given as flags. */
  readonly sources?: { readonly maxStores: CapSource; readonly maxDeletedLinks: CapSource };
}

/**
 * A flag wins over the fleet file's `caps:` (reviewed in the same pull request, so a large
 * reviewed change can raise its own cap), which wins over the default.
 */
export function resolveCaps(
  flags: { readonly maxStores: number | undefined; readonly maxDeletedLinks: number | undefined },
  fleet: { readonly maxStores?: number; readonly maxDeletedLinks?: number } | undefined,
): ApplyCaps {
  const pick = <T>(flag: T | undefined, fromFleet: T | undefined, fallback: T) =>
    flag !== undefined
      ? { value: flag, source: "flag" as const }
      : fromFleet !== undefined
        ? { value: fromFleet, source: "fleet" as const }
        : { value: fallback, source: "default" as const };
  const stores = pick(flags.maxStores, fleet?.maxStores, undefined);
  const deleted = pick(flags.maxDeletedLinks, fleet?.maxDeletedLinks, DEFAULT_MAX_DELETED_LINKS);
  return {
    maxStores: stores.value,
    maxDeletedLinks: deleted.value,
    sources: { maxStores: stores.source, maxDeletedLinks: deleted.source },
  };
}

export interface CapCheckInput {
  readonly state: StateDocument;
  readonly selection: Selection;
  readonly desired: ReadonlyMap<string, DesiredStore>;
}

export interface CapCheck {
  /** Deletions the files show against the last apply, per store with any. */
  readonly expected: ReadonlyMap<string, number>;
  readonly reservedDeletions: number;
  /** What a cap refuses; empty when the run may go on. */
  readonly exceeded: readonly {
    readonly cap: "max-stores" | "max-deleted-links";
    readonly count: number;
    readonly limit: number;
  }[];
}

/**
 * The caps, on what the files show against the last apply. apply refuses on it before any
 * request; plan calls the same function to warn that the merge's apply will refuse.
 */
export function checkCaps(input: CapCheckInput, caps: ApplyCaps): CapCheck {
  const { state, selection, desired } = input;
  const offline = buildOfflinePlan({ state, selection, desired });
  const expected = new Map(
    offline.stores.map((store) => [store.code, countChanges(store.changes).delete]),
  );
  const reservedDeletions = [...expected.values()].reduce((sum, count) => sum + count, 0);
  const exceeded: CapCheck["exceeded"][number][] = [];
  if (caps.maxStores !== undefined && selection.push.length > caps.maxStores) {
    exceeded.push({ cap: "max-stores", count: selection.push.length, limit: caps.maxStores });
  }
  if (reservedDeletions > caps.maxDeletedLinks) {
    exceeded.push({
      cap: "max-deleted-links",
      count: reservedDeletions,
      limit: caps.maxDeletedLinks,
    });
  }
  return { expected, reservedDeletions, exceeded };
}

const SOURCE_WORDS: Record<CapSource, string> = {
  flag: "",
  fleet: " (the fleet file's caps)",
  default: " (the default)",
};

/** The plan's warning for each cap the merge's apply will hit. */
export function capWarnings(check: CapCheck, caps: ApplyCaps): string[] {
  return check.exceeded.map(({ cap, count, limit }) => {
    const source = caps.sources?.[cap === "max-stores" ? "maxStores" : "maxDeletedLinks"];
    const from = source === undefined ? "" : SOURCE_WORDS[source];
    const what = cap === "max-stores" ? `pushes ${count} stores` : `deletes ${count} links`;
    return `this change ${what}; the sync's --${cap} is ${limit}${from}, so it will stop before sending anything: raise caps.${cap === "max-stores" ? "max_stores" : "max_deleted_links"} in the fleet file if the change is meant`;
  });
}

export interface PrepareApplyInput {
  readonly state: StateDocument;
  readonly selection: Selection;
  readonly desired: ReadonlyMap<string, DesiredStore>;
  readonly fileHashes: ReadonlyMap<string, string>;
  /** The store file of a code, as messages name it (the hint of a refusal of Google's). */
  readonly fileOf: (code: string) => string | undefined;
  /** --prune-removed: removed stores are pushed (to clear them), not dropped. */
  readonly prune: boolean;
  readonly caps: ApplyCaps;
}

export interface PreparedApply {
  readonly jobs: readonly ApplyJob[];
  /** Deletions the files show against the last apply, reserved against the cap. */
  readonly reservedDeletions: number;
  /** Removed stores that become unmanaged: their records are dropped, nothing is sent. */
  readonly unmanaged: readonly string[];
}

export function prepareApply(input: PrepareApplyInput): PreparedApply {
  const { state, selection, desired, caps } = input;
  // Past a cap, nothing is sent.
  const { expected, reservedDeletions, exceeded } = checkCaps(input, caps);
  const first = exceeded[0];
  if (first?.cap === "max-stores") {
    throw new CapExceededError(
      `${first.count} stores to push, more than --max-stores ${first.limit}${capFrom(caps, "maxStores")}; nothing was sent. Review "partoo-links plan" and raise --max-stores to go on`,
    );
  }
  if (first?.cap === "max-deleted-links") {
    throw new CapExceededError(
      `the store files delete ${first.count} links, more than --max-deleted-links ${first.limit}${capFrom(caps, "maxDeletedLinks")}; nothing was sent. Review "partoo-links plan" and raise --max-deleted-links to go on`,
    );
  }
  const jobs: ApplyJob[] = selection.push.map(({ code }) => {
    const store = desired.get(code);
    const previous = Object.hasOwn(state.stores, code) ? state.stores[code] : undefined;
    const fileHash = input.fileHashes.get(code);
    const file = input.fileOf(code);
    // One literal, optional fields set after: spreads made each of 20,000 jobs a slow object.
    const job: { -readonly [K in keyof ApplyJob]: ApplyJob[K] } = {
      code,
      address: storeAddress(code, store, previous),
      desired: store,
      previous,
      expectedDeletions: expected.get(code) ?? 0,
    };
    if (file !== undefined) job.file = file;
    if (fileHash !== undefined) job.fileHash = fileHash;
    return job;
  });
  // A removed store becomes unmanaged: nothing is sent, its entry is dropped (unless pruned).
  return { jobs, reservedDeletions, unmanaged: input.prune ? [] : [...selection.removed] };
}

function capFrom(caps: ApplyCaps, cap: "maxStores" | "maxDeletedLinks"): string {
  const source = caps.sources?.[cap];
  return source === undefined ? "" : SOURCE_WORDS[source];
}
