/**
 * What plan, apply and drift share: reading the store files against the state (with the
 * fast path for unchanged files), checking --only, and reading live links a few at a time.
 */
import { execFile } from "node:child_process";
import type { CliIO, CommandContext } from "./command.js";
import { storesDir } from "./options.js";
import { startProgress } from "./progress.js";
import { AppError, InputError, UsageError } from "../errors.js";
import {
  businessAddress,
  type DesiredStore,
  type LiveLinks,
  type StateDocument,
} from "../core/model.js";
import { hashDesiredStore } from "../core/hash.js";
import { unchangedFileCandidates, type DesiredEntry } from "../core/select.js";
import type { StoreFailure } from "../core/plan.js";
import { formatIssue, hasErrors, loadStores } from "../files/index.js";
import { displayPath } from "../files/store-directory.js";
import { appendStepSummary } from "../github/step-summary.js";
import { PartooAbortedError, PartooStoppedError, type PartooApi } from "../partoo/client.js";

/** Live reads in flight at once; the client paces them under the rate limit anyway. */
export const READ_WORKERS = 4;

/**
 * Reads the state and the store files, the two at once: the directory is listed while the
 * state is read and parsed. A file whose bytes did not change since its last confirmed apply
 * is not parsed again (its hash is the recorded one), unless every store must be parsed.
 */
export async function loadDesired(
  options: CommandContext["options"],
  io: CliIO,
  readState: Promise<StateDocument>,
  {
    only,
    parseAll,
    repair = false,
    command,
  }: { only: readonly string[] | undefined; parseAll: boolean; repair?: boolean; command: string },
): Promise<{
  state: StateDocument;
  entries: DesiredEntry[];
  desired: Map<string, DesiredStore>;
  /** sha256 of the bytes of each parsed file. */
  fileHashes: Map<string, string>;
}> {
  const loading = loadStores(storesDir(options, io.cwd), {
    displayRoot: io.cwd,
    ...(only === undefined ? {} : { only }),
    ...(parseAll
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
  for (const issue of result.issues) io.stderr.write(`${formatIssue(issue)}\n`);
  if (hasErrors(result.issues)) {
    const files = new Set(result.issues.filter((i) => i.severity === "error").map((i) => i.file));
    throw new InputError(
      `${files.size === 1 ? "1 store file is" : `${files.size} store files are`} invalid (errors above); fix them and run ${command} again`,
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
  return { state, entries, desired, fileHashes };
}

/** The store file of each code that has one, as messages and annotations show it. */
export function storeFileOf(
  options: CommandContext["options"],
  io: CliIO,
  entries: readonly DesiredEntry[],
): (code: string) => string | undefined {
  const dir = displayPath(io.cwd, storesDir(options, io.cwd));
  const withFile = new Set(entries.map((entry) => entry.code));
  return (code) => (withFile.has(code) ? `${dir === "." ? "" : `${dir}/`}${code}.yaml` : undefined);
}

export function checkOnly(
  only: readonly string[] | undefined,
  entries: readonly DesiredEntry[],
  state: StateDocument,
): void {
  if (only === undefined) return;
  const known = new Set(entries.map((entry) => entry.code));
  const unknown = only.filter((code) => !known.has(code) && state.stores[code] === undefined);
  if (unknown.length > 0) {
    throw new UsageError(
      `--only ${unknown.join(",")}: no store file and no state entry for ${unknown.length === 1 ? "this code" : "these codes"}; check the spelling`,
    );
  }
}

export function addressOf(code: string, desired: Map<string, DesiredStore>, state: StateDocument) {
  const store = desired.get(code);
  return store === undefined
    ? (state.stores[code]?.address ?? `c-${code}`)
    : businessAddress(store);
}

/** GETs the live links of each target, a few at a time, with a progress line on a terminal. */
export async function readLive(
  client: PartooApi,
  targets: readonly { code: string; address: string }[],
  io: CliIO,
  workers = READ_WORKERS,
): Promise<{ live: Map<string, LiveLinks>; failures: StoreFailure[] }> {
  const live = new Map<string, LiveLinks>();
  const failures: StoreFailure[] = [];
  const progress = startProgress({
    stream: io.stderr,
    isTTY: io.stderrIsTTY,
    label: "Reading live links",
    total: targets.length,
    requests: () => client.stats.requests["GET"] ?? 0,
  });
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const target = targets[next++]!;
      try {
        live.set(
          target.code,
          await client.getLinks(target.address, io.signal ? { signal: io.signal } : {}),
        );
      } catch (error) {
        // A stopped client (bad key, unreachable, wrong URL) or an interruption stops
        // everything; other errors concern one store.
        if (!(error instanceof AppError) || error instanceof PartooAbortedError) throw error;
        if (error instanceof PartooStoppedError) throw error;
        failures.push({ ...target, message: error.message });
        progress.tick(true);
        continue;
      }
      progress.tick(false);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(workers, targets.length) }, worker));
  } finally {
    progress.stop();
  }
  return { live, failures };
}

/** Appends a report to the job summary when GITHUB_STEP_SUMMARY is set (SPEC §8). */
export async function appendSummaryIfSet(io: CliIO, markdown: () => string): Promise<void> {
  const file = io.env["GITHUB_STEP_SUMMARY"];
  if (file !== undefined && file !== "") await appendStepSummary(file, markdown());
}

/** The commit being applied: GITHUB_SHA in Actions, else the HEAD of the working copy, if any. */
export async function currentCommit(io: CliIO): Promise<string | undefined> {
  const fromEnv = io.env["GITHUB_SHA"]?.trim();
  if (fromEnv) return fromEnv;
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "HEAD"], { cwd: io.cwd, timeout: 5000 }, (error, stdout) => {
      const sha = stdout.trim();
      resolve(error === null && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined);
    });
  });
}

/** Whether colour may be used on stdout: a terminal, and NO_COLOR unset. */
export function useColor(io: CliIO): boolean {
  const noColor = io.env["NO_COLOR"] !== undefined && io.env["NO_COLOR"] !== "";
  return io.stdoutIsTTY && !noColor;
}
