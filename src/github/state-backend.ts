/**
 * `--state github:BRANCH`: the state document as `state.json` on a dedicated branch, read and
 * written through the Git data API (refs, commits, trees, blobs; the contents API stops at
 * 1 MB). Every write is a compare-and-swap on the branch head: a commit whose parent is the
 * head that was read, then a ref update without force. When another run moved the branch in
 * between, the newest document is read again and the same changes merged on top of it, so
 * two runs never lose each other's records. It implements the state port of src/state/ and
 * uses the run's one GitHub client, which the services pass in.
 */
import { isUtf8 } from "node:buffer";
import type { StateDocument, StoreRecord } from "../core/model.js";
import { emptyState } from "../core/model.js";
import { AppError, InputError } from "../errors.js";
import type { StateBackend } from "../state/backend.js";
import { checkStateBranch } from "../state/open.js";
import {
  encodeStoreChanges,
  isInWrittenLayout,
  mergeStoreChanges,
  parseStateDocument,
  serializeStateDocument,
} from "../state/document.js";
import { mergeLayoutBytes, type EncodedChange } from "../state/layout-merge.js";
import type { GithubClient } from "./client.js";
import { callGithub, requestStatus, type GithubAction } from "./errors.js";

export const STATE_FILE = "state.json";
const READ = "contents: read";
const WRITE = "contents: write";
const DEFAULT_MAX_ATTEMPTS = 10;

type Changes = Readonly<Record<string, StoreRecord | null>>;

export interface GithubStateBackendOptions {
  /** The run's one GitHub client, shared with the publisher (one throttling queue). */
  readonly client: GithubClient;
  readonly branch: string;
  /** Compare-and-swap attempts before giving up; default 10. */
  readonly maxAttempts?: number;
  /** For tests: the pause between attempts and its jitter. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** The head of the branch: its commit and that commit's tree. */
interface Head {
  readonly commit: string;
  readonly tree: string;
}

interface Snapshot {
  readonly head: Head | undefined;
  /** The document at `head`; parsed from `bytes` only when read (after a write of ours). */
  document: StateDocument | undefined;
  /** Its bytes when they are in the written layout: a save merges into them line by line. */
  readonly bytes: Buffer | undefined;
}

interface Pending {
  readonly changes: Changes;
  resolve(): void;
  reject(error: unknown): void;
}

export function createGithubStateBackend(options: GithubStateBackendOptions): StateBackend {
  return new GithubStateBackend(options);
}

class GithubStateBackend implements StateBackend {
  readonly description: string;
  readonly #options: GithubStateBackendOptions;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  /** The last document read or written, with the head it belongs to: a read at the same head reuses it. */
  #latest: Snapshot | undefined;
  #queue: Pending[] = [];
  #writing = false;

  constructor(options: GithubStateBackendOptions) {
    checkStateBranch(options.branch);
    this.description = `github:${options.branch}`;
    this.#options = options;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
  }

  async read(): Promise<StateDocument> {
    const snapshot = await this.#load();
    // Our own bytes, written from checked records: parsed as any document read.
    snapshot.document ??= parseStateDocument(snapshot.bytes!, this.#source(snapshot.head!));
    return snapshot.document;
  }

  /**
   * Calls made while a commit is in flight are merged into the next commit: concurrent
   * stores cost one commit, not one each (GitHub paces content writes).
   */
  update(changes: Changes): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ changes, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    // Let the callers of this tick join the first batch.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0);
      const changes: Record<string, StoreRecord | null> = {};
      for (const pending of batch) Object.assign(changes, pending.changes);
      try {
        await this.#write(changes);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.#writing = false;
  }

  async #write(changes: Changes): Promise<void> {
    const encoded = encodeStoreChanges(changes);
    for (let attempt = 1; ; attempt++) {
      const snapshot = await this.#load();
      const next = mergedBytes(snapshot, changes, encoded);
      if (next === undefined) return;
      const written = await this.#commit(snapshot.head, next, Object.keys(changes));
      if (written !== undefined) {
        this.#latest = { head: written, document: undefined, bytes: next };
        return;
      }
      if (attempt >= this.#maxAttempts) {
        throw new AppError(
          `${this.description}: could not record the state after ${attempt} attempts, the branch kept moving (other runs writing at the same time); run again, nothing is lost`,
        );
      }
      // Full jitter, so that racing runs do not retry in lockstep.
      await this.#sleep(Math.round(this.#random() * Math.min(2000, 50 * 2 ** attempt)));
    }
  }

  async #load(): Promise<Snapshot> {
    const commit = await this.#readHeadCommit();
    if (commit === undefined) return { head: undefined, document: emptyState(), bytes: undefined };
    if (this.#latest?.head?.commit === commit) return this.#latest;
    const { client, branch } = this.#options;
    const { octokit, owner, repo } = client;
    const { data } = await this.#call(
      { what: `reading commit ${commit.slice(0, 7)} of branch ${branch}`, permission: READ },
      () => octokit.rest.git.getCommit({ owner, repo, commit_sha: commit }),
    );
    const head = { commit, tree: data.tree.sha };
    const snapshot = await this.#readDocument(head);
    this.#latest = snapshot;
    return snapshot;
  }

  #source(head: Head): string {
    return `${this.description} (${STATE_FILE} at ${head.commit.slice(0, 7)})`;
  }

  async #readHeadCommit(): Promise<string | undefined> {
    const { client, branch } = this.#options;
    const { octokit, owner, repo } = client;
    return this.#call({ what: `reading branch ${branch}`, permission: READ }, async () => {
      try {
        const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
        return data.object.sha;
      } catch (error) {
        if (requestStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }

  async #readDocument(head: Head): Promise<Snapshot> {
    const { client, branch } = this.#options;
    const { octokit, owner, repo } = client;
    const source = this.#source(head);
    const { data: tree } = await this.#call(
      { what: `reading the tree of branch ${branch}`, permission: READ },
      () => octokit.rest.git.getTree({ owner, repo, tree_sha: head.tree }),
    );
    const entry = tree.tree.find((item) => item.path === STATE_FILE);
    if (entry?.type !== "blob" || entry.sha === undefined) {
      throw new InputError(
        `${this.description}: branch ${branch} has no ${STATE_FILE} at ${head.commit.slice(0, 7)}; restore it from the branch history, or delete the branch to start from an empty state`,
      );
    }
    const blobSha = entry.sha;
    const bytes = await this.#call(
      { what: `reading ${STATE_FILE} on branch ${branch}`, permission: READ },
      async () => {
        // Parsed here: octokit's JSON parser overflows its stack on blobs of several MB.
        const response = await octokit.rest.git.getBlob({
          owner,
          repo,
          file_sha: blobSha,
          request: { parseSuccessResponseBody: false },
        });
        const raw = await new Response(response.data as unknown as ReadableStream).text();
        return decodeBlob(raw);
      },
    );
    // Checked, not decoded: the parser reads the bytes and decodes only what it needs.
    if (!isUtf8(bytes)) {
      throw new InputError(
        `${source}: the state document is not UTF-8 text; restore it from the branch history`,
      );
    }
    const document = parseStateDocument(bytes, source);
    return { head, document, bytes: isInWrittenLayout(document) ? bytes : undefined };
  }

  /** Creates blob, tree and commit on top of `head` and moves the branch; undefined on a lost race. */
  async #commit(head: Head | undefined, bytes: Buffer, codes: string[]): Promise<Head | undefined> {
    const { client, branch } = this.#options;
    const { octokit, owner, repo } = client;
    const action = { what: `writing ${STATE_FILE} to branch ${branch}`, permission: WRITE };
    const { data: blob } = await this.#call(action, () =>
      octokit.rest.git.createBlob({
        owner,
        repo,
        content: bytes.toString("utf8"),
        encoding: "utf-8",
      }),
    );
    const { data: tree } = await this.#call(action, () =>
      octokit.rest.git.createTree({
        owner,
        repo,
        // Other files someone keeps on the branch (a README) stay.
        ...(head === undefined ? {} : { base_tree: head.tree }),
        tree: [{ path: STATE_FILE, mode: "100644", type: "blob", sha: blob.sha }],
      }),
    );
    const { data: commit } = await this.#call(action, () =>
      octokit.rest.git.createCommit({
        owner,
        repo,
        message: commitMessage(codes),
        tree: tree.sha,
        parents: head === undefined ? [] : [head.commit],
      }),
    );
    const moved = await this.#call(action, async () => {
      try {
        if (head === undefined) {
          await octokit.rest.git.createRef({
            owner,
            repo,
            ref: `refs/heads/${branch}`,
            sha: commit.sha,
          });
        } else {
          await octokit.rest.git.updateRef({
            owner,
            repo,
            ref: `heads/${branch}`,
            sha: commit.sha,
            force: false,
          });
        }
        return true;
      } catch (error) {
        if (isLostRace(error)) return false;
        throw error;
      }
    });
    return moved ? { commit: commit.sha, tree: tree.sha } : undefined;
  }

  #call<T>(action: GithubAction, call: () => Promise<T>): Promise<T> {
    return callGithub({ ...action, what: `${this.description}: ${action.what}` }, call);
  }
}

/**
 * The document at `snapshot` with `changes`: merged line by line into its bytes when they are
 * in the written layout, else the whole document written anew (an older or hand-edited one).
 * Undefined when that is the document as it is (nothing to commit).
 */
function mergedBytes(
  snapshot: Snapshot,
  changes: Changes,
  encoded: Map<string, EncodedChange | null>,
): Buffer | undefined {
  if (snapshot.bytes !== undefined) {
    const { bytes, changed } = mergeLayoutBytes(snapshot.bytes, encoded);
    return changed ? bytes : undefined;
  }
  const document = snapshot.document ?? emptyState();
  const text = serializeStateDocument(mergeStoreChanges(document, changes));
  if (text === serializeStateDocument(document)) return undefined;
  return Buffer.from(text);
}

/** The bytes of a blob from the blobs API's JSON answer (base64, wrapped like GitHub does). */
function decodeBlob(raw: string): Buffer {
  let blob: { content?: unknown; encoding?: unknown };
  try {
    blob = JSON.parse(raw) as typeof blob;
  } catch (error) {
    throw new AppError(
      "GitHub answered a blob request with something that is not JSON; try again",
      {
        cause: error,
      },
    );
  }
  if (typeof blob.content !== "string") {
    throw new AppError("GitHub answered a blob request without content; try again");
  }
  return Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8");
}

/** 422 "Update is not a fast forward" or "Reference already exists": another run moved the branch. */
function isLostRace(error: unknown): boolean {
  if (requestStatus(error) !== 422) return false;
  return /not a fast.forward|already exists/i.test((error as Error).message);
}

function commitMessage(codes: readonly string[]): string {
  const shown = codes.slice(0, 20).join(", ");
  const more = codes.length > 20 ? ` and ${codes.length - 20} more` : "";
  return `partoo-links: record ${codes.length} store${codes.length === 1 ? "" : "s"}\n\n${shown}${more}\n`;
}
