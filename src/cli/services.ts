/**
 * The services of one run, built once by the entry point from the environment and the
 * options, and handed to every command in its context. Nothing else reads the environment,
 * the clock or builds a client: a command is glue over these and the pure core, and a new
 * entry point (the GitHub Action) or a test substitutes any of them through `factories`.
 * The adapters (undici, octokit) are loaded when first used: an offline plan never loads them.
 */
import { mkdir, writeFile as writeNewFile } from "node:fs/promises";
import path from "node:path";
import type { CliIO, OptionValues } from "./io.js";
import {
  apiKey,
  apiUrl,
  parseRateLimit,
  storesDir,
  stringOption,
  DEFAULT_STATE_SPEC,
} from "./options.js";
import { fsError } from "./fs-errors.js";
import { startProgress, type Progress, type ProgressOptions } from "./progress.js";
import { displayPath } from "../files/store-directory.js";
import { formatIssue, hasErrors, loadFleet, type LoadedFleet } from "../files/index.js";
import { InputError } from "../errors.js";
// Types only: the clients load undici and octokit, imported when a run first needs them.
import type { PartooApi, PartooClientOptions } from "../partoo/client.js";
import type { GithubClient } from "../github/client.js";
import {
  checkGithubAccess,
  githubClientOptionsFromEnv,
  type GithubClientOptions,
} from "../github/client-options.js";
import type { GithubPublisher } from "../github/publisher.js";
import { openedOnFirstUse, type StateBackend } from "../state/backend.js";
import { openStateBackend } from "../state/open.js";
import {
  writeFileAtomically,
  writeFilesTogether,
  type WriteTogetherOptions,
} from "../state/atomic-write.js";

export interface PartooAccess {
  /** Checks PARTOO_API_KEY and the API URL now, so that a command fails before any work. */
  check(purpose: string): void;
  /** Opens a client, runs `work` with it and closes it, whatever happens. */
  use<T>(
    purpose: string,
    work: (client: PartooApi) => Promise<T>,
    options?: { readonly concurrency?: number },
  ): Promise<T>;
}

/** Where GitHub Actions tells a run about itself. */
export interface ActionsContext {
  /** Appends a report to the job summary when GITHUB_STEP_SUMMARY is set (SPEC §8). */
  appendSummary(markdown: () => string): Promise<void>;
  /** The pull request of GITHUB_EVENT_PATH. */
  pullRequest(purpose: string): Promise<number>;
  /**
   * GITHUB_SHA (never dirty), else the HEAD of the working copy, if any, and whether the
   * store files or the fleet file have changes not committed there.
   */
  commit(): Promise<{ readonly sha: string; readonly dirty: boolean } | undefined>;
  /** The checkout of the repository: GITHUB_WORKSPACE, else the working directory. */
  readonly workspace: string;
}

export interface Services {
  /** The working directory: relative paths in options are resolved against it. */
  readonly cwd: string;
  /** The stores directory of --stores, absolute. */
  readonly storesDir: string;
  /** A path given in an option, resolved against the working directory. */
  resolve(file: string): string;
  /** A path as messages show it: relative to the working directory. */
  display(file: string): string;
  readonly partoo: PartooAccess;
  /**
   * The one GitHub client of the run, created on first use; the github: state and the
   * publisher share it. Rejects (GITHUB_TOKEN or GITHUB_REPOSITORY missing) before any request.
   */
  github(purpose: string): Promise<GithubClient>;
  publisher(purpose: string): Promise<GithubPublisher>;
  /** The state backend of --state, opened on first use (github:'s client on its first read or write). */
  state(): StateBackend;
  /**
   * The fleet file of --config (default partoo-links.yaml, when present), read once; an
   * invalid one is an error after its problems are logged. Undefined: no fleet file.
   */
  fleet(): Promise<LoadedFleet | undefined>;
  readonly actions: ActionsContext;
  /**
   * Writes a file atomically; any file-system error becomes one line naming the path. With
   * `overwrite: false` (init: never overwrite a file) an existing file is that error instead.
   */
  writeFile(
    file: string,
    text: string,
    what: string,
    options?: { readonly overwrite?: boolean },
  ): Promise<void>;
  /**
   * Writes files into `dir` all or none, as far as a failure while writing goes (see
   * writeFilesTogether); errors as writeFile's.
   */
  writeFiles(
    dir: string,
    files: readonly { readonly name: string; readonly text: string }[],
    what: string,
    options?: WriteTogetherOptions,
  ): Promise<void>;
  /** Creates a directory (and its parents) unless it exists; errors as writeFile's. */
  makeDirectory(dir: string, what: string): Promise<void>;
  now(): Date;
  /** Milliseconds, for durations and deadlines. */
  clock(): number;
  /** A line on stderr: progress, retries, notices. */
  log(line: string): void;
  /** A progress line on stderr for a long run (see progress.ts). */
  progress(options: Omit<ProgressOptions, "stream" | "isTTY">): Progress;
  /** Whether stdout may be coloured: a terminal, and NO_COLOR unset. */
  readonly color: boolean;
  readonly signal?: AbortSignal;
}

/** What a test or another entry point may substitute. */
export interface ServiceFactories {
  readonly partooClient?: (options: PartooClientOptions) => PartooApi;
  readonly githubClient?: (options: GithubClientOptions) => GithubClient;
  readonly now?: () => Date;
  readonly clock?: () => number;
}

export function createServices(
  io: CliIO,
  options: OptionValues,
  factories: ServiceFactories = {},
): Services {
  const env = io.env;
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  const now = factories.now ?? (() => new Date());
  const clock = factories.clock ?? Date.now;
  let github: Promise<GithubClient> | undefined;
  let state: StateBackend | undefined;
  let fleet: Promise<LoadedFleet | undefined> | undefined;

  const partooOptions = (purpose: string): PartooClientOptions => ({
    apiKey: apiKey(env, purpose),
    baseUrl: apiUrl(options, env),
    rateLimitPerMinute: parseRateLimit(options),
    logger: log,
  });
  const openGithub = (purpose: string): Promise<GithubClient> => {
    const githubOptions: GithubClientOptions = { ...githubClientOptionsFromEnv(env), purpose, log };
    if (factories.githubClient !== undefined) {
      return Promise.resolve(factories.githubClient(githubOptions));
    }
    // Checked now, so that a command fails before any work; octokit is loaded meanwhile.
    checkGithubAccess(githubOptions);
    const opened = import("../github/client.js").then((module) =>
      module.createGithubClient(githubOptions),
    );
    // Awaited by whoever uses it; a failure is theirs to report, not an unhandled rejection.
    opened.catch(() => undefined);
    return opened;
  };
  const sharedGithub = (purpose: string): Promise<GithubClient> => {
    github ??= openGithub(purpose);
    return github;
  };

  return {
    cwd: io.cwd,
    storesDir: storesDir(options, io.cwd),
    resolve: (file) => path.resolve(io.cwd, file),
    display: (file) => displayPath(io.cwd, file),
    partoo: {
      check: (purpose) => void partooOptions(purpose),
      async use(purpose, work, extra = {}) {
        const create =
          factories.partooClient ?? (await import("../partoo/client.js")).createPartooClient;
        const client = create({
          ...partooOptions(purpose),
          ...(extra.concurrency === undefined ? {} : { concurrency: extra.concurrency }),
        });
        try {
          return await work(client);
        } finally {
          await client.close();
        }
      },
    },
    github: sharedGithub,
    async publisher(purpose) {
      const [client, { createGithubPublisher }] = await Promise.all([
        sharedGithub(purpose),
        import("../github/publisher.js"),
      ]);
      return createGithubPublisher(client);
    },
    state() {
      const spec = stringOption(options, "state") ?? DEFAULT_STATE_SPEC;
      state ??= openStateBackend(spec, {
        cwd: io.cwd,
        github: (branch) =>
          openedOnFirstUse(`github:${branch}`, async () => {
            const [client, { createGithubStateBackend }] = await Promise.all([
              sharedGithub(`--state ${spec}`),
              import("../github/state-backend.js"),
            ]);
            return createGithubStateBackend({ client, branch });
          }),
      });
      return state;
    },
    fleet() {
      fleet ??= loadFleet(stringOption(options, "config"), io.cwd).then(({ loaded, issues }) => {
        for (const issue of issues) log(formatIssue(issue));
        if (hasErrors(issues)) {
          throw new InputError(
            `${issues[0]?.file ?? "the fleet file"} is invalid (errors above); fix it and run again`,
          );
        }
        return loaded;
      });
      return fleet;
    },
    actions: {
      async appendSummary(markdown) {
        const file = env["GITHUB_STEP_SUMMARY"];
        if (file === undefined || file === "") return;
        const { appendStepSummary } = await import("../github/step-summary.js");
        await appendStepSummary(file, markdown());
      },
      async pullRequest(purpose) {
        const { pullRequestFromEvent } = await import("../github/event.js");
        return pullRequestFromEvent(env["GITHUB_EVENT_PATH"], purpose);
      },
      commit: () =>
        currentCommit(env["GITHUB_SHA"], io.cwd, [
          storesDir(options, io.cwd),
          path.resolve(io.cwd, stringOption(options, "config") ?? "partoo-links.yaml"),
        ]),
      workspace: path.resolve(io.cwd, env["GITHUB_WORKSPACE"] ?? "."),
    },
    async writeFile(file, text, what, { overwrite = true } = {}) {
      try {
        if (overwrite) await writeFileAtomically(file, text);
        else {
          await mkdir(path.dirname(file), { recursive: true });
          await writeNewFile(file, text, { flag: "wx" });
        }
      } catch (error) {
        throw fsError(shownPath(io.cwd, file), what, error);
      }
    },
    async writeFiles(dir, files, what, together) {
      try {
        await writeFilesTogether(dir, files, together);
      } catch (error) {
        throw fsError(shownPath(io.cwd, dir), what, error);
      }
    },
    async makeDirectory(dir, what) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw fsError(shownPath(io.cwd, dir), what, error);
      }
    },
    now,
    clock,
    log,
    progress: (progress) =>
      startProgress({ ...progress, stream: io.stderr, isTTY: io.stderrIsTTY }),
    color: io.stdoutIsTTY && !(env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== ""),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };
}

/** A path in a message: relative to the working directory when inside it, else absolute. */
function shownPath(cwd: string, file: string): string {
  const shown = displayPath(cwd, file);
  return shown.startsWith("../") ? path.resolve(file) : shown;
}

/** The commit being applied: GITHUB_SHA in Actions, else the HEAD of the working copy, if any. */
async function currentCommit(
  fromEnv: string | undefined,
  cwd: string,
  applied: readonly string[],
): Promise<{ sha: string; dirty: boolean } | undefined> {
  const sha = fromEnv?.trim();
  // In Actions the checkout is the commit: nothing there is edited by hand.
  if (sha) return { sha, dirty: false };
  const head = (await git(cwd, ["rev-parse", "HEAD"]))?.trim();
  if (head === undefined || !/^[0-9a-f]{40}$/.test(head)) return undefined;
  // Modified, staged, untracked or ignored applied files: HEAD alone is not what was applied.
  const status = await git(cwd, ["status", "--porcelain", "--ignored", "--", ...applied]);
  // Unknown (the files lie outside this repository): no commit describes them.
  if (status === undefined) return undefined;
  return { sha: head, dirty: status.trim() !== "" };
}

// node:child_process loads on first use: validate and an offline plan never run git.
async function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  const { execFile } = await import("node:child_process");
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 5000 }, (error, stdout) =>
      resolve(error === null ? stdout : undefined),
    );
  });
}
