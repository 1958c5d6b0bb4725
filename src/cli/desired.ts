/**
 * What plan, apply and drift share: reading the store files against the state (with the fast
 * path for unchanged files) into plain data, and reading live links with a progress line.
 */
import type { Services } from "./services.js";
import { InputError, UsageError } from "../errors.js";
import { storeAddress, type DesiredStore, type StateDocument } from "../core/model.js";
import { hashDesiredStore } from "../core/hash.js";
import { unchangedFileCandidates, unknownCodes, type DesiredEntry } from "../core/select.js";
import { formatIssue, hasErrors, loadStores } from "../files/index.js";
import type { PartooApi } from "../partoo/client.js";
import { readLiveLinks, type LiveRead } from "../reconcile/read-live.js";
import { withLinks } from "../state/document.js";

/** The desired state of the fleet against the last-applied state. */
export interface Fleet {
  readonly state: StateDocument;
  readonly entries: readonly DesiredEntry[];
  /** The parsed stores (files skipped as unchanged are not here). */
  readonly desired: ReadonlyMap<string, DesiredStore>;
  /** sha256 of the bytes of each parsed file. */
  readonly fileHashes: ReadonlyMap<string, string>;
  /** The store file of a code that has one, as messages and annotations show it. */
  fileOf(code: string): string | undefined;
  /** The Partoo address of a store (see storeAddress). */
  addressOf(code: string): string;
}

export interface LoadOptions {
  readonly only: readonly string[] | undefined;
  /** Parse every file, even those unchanged since their last apply (drift, --refresh). */
  readonly parseAll: boolean;
  readonly repair?: boolean;
  /** For messages, e.g. "plan". */
  readonly command: string;
}

/**
 * Reads the state and the store files, the two at once: the directory is listed while the
 * state is read and parsed. A file whose bytes did not change since its last confirmed apply
 * is not parsed again (its hash is the recorded one), unless every store must be parsed.
 * Codes of --only that have neither a file nor a record are a usage error.
 */
export async function loadDesired(services: Services, options: LoadOptions): Promise<Fleet> {
  const { only, repair = false } = options;
  const readState = services.state().read();
  const fleet = await services.fleet();
  const loading = loadStores(services.storesDir, {
    displayRoot: services.cwd,
    ...(fleet === undefined ? {} : { fleet }),
    ...(only === undefined ? {} : { only }),
    ...(options.parseAll
      ? {}
      : {
          skipUnchanged: readState.then((state) =>
            unchangedFileCandidates(state, { ...(only ? { only } : {}), repair }),
          ),
        }),
  });
  // A state that cannot be read is reported first, whatever else fails: awaited below.
  loading.catch(() => undefined);
  const state = await readState;
  const result = await loading;
  for (const issue of result.issues) services.log(formatIssue(issue));
  if (hasErrors(result.issues)) {
    const files =
      result.invalidFiles ??
      new Set(result.issues.filter((i) => i.severity === "error").map((i) => i.file));
    throw new InputError(
      `${files.size === 1 ? "1 store file is" : `${files.size} store files are`} invalid (errors above); fix them and run ${options.command} again`,
    );
  }
  const entries: DesiredEntry[] = [];
  const desired = new Map<string, DesiredStore>();
  const fileHashes = new Map<string, string>();
  for (const loaded of result.stores) {
    fileHashes.set(loaded.code, loaded.fileHash);
    entries.push({ code: loaded.code, hash: hashDesiredStore(loaded.store) });
    desired.set(loaded.code, loaded.store);
  }
  for (const skipped of result.skipped) {
    // Skipped only when the record has a hash (see unchangedFileCandidates).
    entries.push({ code: skipped.code, hash: state.stores[skipped.code]?.hash ?? "" });
  }
  if (only !== undefined) {
    const unknown = unknownCodes(only, entries, state);
    if (unknown.length > 0) {
      throw new UsageError(
        `--only ${unknown.join(",")}: no store file and no state entry for ${unknown.length === 1 ? "this code" : "these codes"}; check the spelling`,
      );
    }
  }
  const dir = services.display(services.storesDir);
  // Every code of a large fleet passes here at each plan: no set of them is built unless a
  // record lacks a file, or a message asks for the file of a store that was not parsed.
  let withFile: ReadonlySet<string> | undefined;
  const hasFile = (code: string) =>
    desired.has(code) || (withFile ??= new Set(entries.map((entry) => entry.code))).has(code);
  // The core gets plain records: the links of every store it may plan are loaded here, where
  // corrupt ones are reported. Files skipped as unchanged are never planned: not loaded.
  const removed = codesWithoutFile(state, entries, hasFile);
  const planned = withLinks(state, [...desired.keys(), ...removed]);
  return {
    state: planned,
    entries,
    desired,
    fileHashes,
    fileOf: (code) => (hasFile(code) ? `${dir === "." ? "" : `${dir}/`}${code}.yaml` : undefined),
    addressOf: (code) =>
      storeAddress(
        code,
        desired.get(code),
        Object.hasOwn(planned.stores, code) ? planned.stores[code] : undefined,
      ),
  };
}

/**
 * The codes of the state that no entry has. Entries come one per store file, whose names are
 * unique: when as many entries have a record as there are records, every record has one.
 */
function codesWithoutFile(
  state: StateDocument,
  entries: readonly DesiredEntry[],
  hasFile: (code: string) => boolean,
): string[] {
  const codes = Object.keys(state.stores);
  let recorded = 0;
  for (const { code } of entries) if (Object.hasOwn(state.stores, code)) recorded++;
  return recorded === codes.length ? [] : codes.filter((code) => !hasFile(code));
}

/** GETs the live links of `codes`, a few at a time, with a progress line on a terminal. */
export async function readLive(
  services: Services,
  client: PartooApi,
  fleet: Fleet,
  codes: Iterable<string>,
): Promise<LiveRead> {
  const targets = [...codes].map((code) => ({ code, address: fleet.addressOf(code) }));
  const progress = services.progress({
    label: "Reading live links",
    total: targets.length,
    requests: () => client.stats.requests["GET"] ?? 0,
  });
  try {
    return await readLiveLinks(client, targets, {
      ...(services.signal === undefined ? {} : { signal: services.signal }),
      onRead: (failed) => progress.tick(failed),
    });
  } finally {
    progress.stop();
  }
}
