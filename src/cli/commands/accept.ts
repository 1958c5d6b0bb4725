/**
 * `partoo-links accept`: the third remedy for drift, next to re-pushing the files and
 * editing them by hand: rewrites the store files so that they match live (comments and
 * layout kept), and with `--pr` proposes them as one pull request. Never writes to Partoo.
 * The edit itself is src/accept; this file reads, writes and publishes.
 */
import { rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CliIO, Command, CommandContext } from "../command.js";
import {
  apiKey,
  apiUrl,
  apiUrlOption,
  formatOption,
  onlyOption,
  parseFormat,
  parseOnly,
  parseRateLimit,
  rateLimitOption,
  stateOption,
  storesDir,
  storesOption,
  stringOption,
} from "../options.js";
import { appendSummaryIfSet, readLive } from "../fleet.js";
import { UsageError } from "../../errors.js";
import type { DesiredStore } from "../../core/model.js";
import { compareCodes } from "../../core/select.js";
import { formatIssue, parseStoreText } from "../../files/index.js";
import { decodeStoreBytes } from "../../files/decode-text.js";
import {
  displayPath,
  listStoreFiles,
  readBuffer,
  readStoreFile,
} from "../../files/store-directory.js";
import { openStateBackend } from "../../state/open.js";
import { createPartooClient } from "../../partoo/client.js";
import { createGithubClient, githubClientOptionsFromEnv } from "../../github/client.js";
import { publishAcceptPullRequest } from "../../github/accept-pull-request.js";
import { acceptStore } from "../../accept/accept-store.js";
import {
  driftedStores,
  renderAccept,
  renderAcceptMarkdown,
  type AcceptedFile,
  type AcceptReport,
  type AcceptSkip,
} from "../../accept/report.js";

const FORMATS = ["text", "json", "markdown", "github"] as const;
const PR_TITLE = "Accept the live place action links into the store files";

export const acceptCommand: Command = {
  name: "accept",
  summary: "rewrite store files to match live (--drifted or --only); --pr opens a pull request",
  description: `Reads the live links of the stores the last drift found drifted (--drifted) or of the
named stores (--only CODE,…) and rewrites their files so that every managed type matches
live, editing each file in place: comments, key order and the shorthand are kept, links
that are not editable are never written, files with nothing to accept are left as they
are. With --pr, also commits the rewritten files to the branch partoo-links/accept
(started at the default branch's head) and opens one pull request, or updates the one
already open (needs GITHUB_TOKEN with contents: write and pull-requests: write).
A store whose file is invalid or whose live links cannot be read is skipped; the others go on.

Exit codes: 0 ok (also: nothing to accept), 1 error (a store was skipped).`,
  options: {
    ...storesOption,
    ...stateOption,
    ...onlyOption,
    ...formatOption(FORMATS),
    ...apiUrlOption,
    ...rateLimitOption,
    drifted: { type: "boolean", description: "accept the stores the last drift found drifted" },
    pr: {
      type: "boolean",
      description:
        "also commit the files to a branch and open or update one pull request (needs GITHUB_TOKEN, GITHUB_REPOSITORY)",
    },
  },
  run: runAccept,
};

interface Target {
  readonly code: string;
  readonly file: string;
  readonly path: string;
  readonly text: string;
  readonly desired: DesiredStore;
}

async function runAccept({ options, io }: CommandContext): Promise<number> {
  const format = parseFormat(options, FORMATS);
  const only = parseOnly(options);
  const drifted = options["drifted"] === true;
  if ((only === undefined) === !drifted) {
    throw new UsageError(
      "accept: give either --drifted (the stores the last drift found drifted) or --only CODE[,CODE…]",
    );
  }
  const connection = { apiKey: apiKey(io.env, "accept"), baseUrl: apiUrl(options, io.env) };
  const backend = openStateBackend(stringOption(options, "state"), io.cwd, io.env);
  const state = await backend.read();
  const chosen = only === undefined ? driftedStores(state) : { codes: [...new Set(only)] };
  if ("nothing" in chosen) {
    const report: AcceptReport = {
      accepted: [],
      unchanged: [],
      skipped: [],
      nothing: chosen.nothing,
    };
    io.stdout.write(renderAccept(format, report));
    return 0;
  }

  const skipped: AcceptSkip[] = [];
  const targets = await readTargets(options, io, chosen.codes, skipped);
  const client = createPartooClient({
    ...connection,
    rateLimitPerMinute: parseRateLimit(options),
    logger: (line) => io.stderr.write(`${line}\n`),
  });
  let read;
  try {
    read = await readLive(
      client,
      targets.map(({ code, desired }) => ({ code, address: desired.businessId ?? `c-${code}` })),
      io,
    );
  } finally {
    await client.close();
  }
  for (const failure of read.failures)
    skipped.push({ code: failure.code, reason: failure.message });

  const accepted: (AcceptedFile & { path: string; text: string })[] = [];
  const unchanged: string[] = [];
  for (const target of targets) {
    const live = read.live.get(target.code);
    if (live === undefined) continue;
    const result = acceptStore({ ...target, record: state.stores[target.code], live });
    if (result.changes.length === 0) {
      unchanged.push(target.code);
      continue;
    }
    // What is written must load back as a valid store file, or it is not written at all.
    const check = parseStoreText(result.text, target.file, target.code);
    const error = check.issues.find((issue) => issue.severity === "error");
    if (error !== undefined) {
      skipped.push({
        code: target.code,
        reason: `its live links do not make a valid store file (${formatIssue(error)}); fix the link in Partoo first`,
      });
      continue;
    }
    const { code, file, path: filePath } = target;
    accepted.push({
      code,
      file,
      path: filePath,
      text: result.text,
      changes: result.changes,
      warnings: result.warnings,
    });
  }
  for (const store of accepted) await writeAtomically(store.path, store.text);

  let report: AcceptReport = {
    accepted: accepted.map(({ code, file, changes, warnings }) => ({
      code,
      file,
      changes,
      warnings,
    })),
    unchanged: unchanged.sort(compareCodes),
    skipped: skipped.sort((a, b) => compareCodes(a.code, b.code)),
  };
  if (options["pr"] === true && accepted.length > 0) {
    const root = await repositoryRoot(storesDir(options, io.cwd), io);
    const pull = await publishAcceptPullRequest(
      createGithubClient({
        ...githubClientOptionsFromEnv(io.env),
        purpose: "accept --pr",
        log: (line) => io.stderr.write(`${line}\n`),
      }),
      {
        files: accepted.map((store) => ({
          path: displayPath(root, store.path),
          content: store.text,
        })),
        title: PR_TITLE,
        body: renderAcceptMarkdown(report),
        commitMessage: `Accept the live links of ${accepted.map((store) => store.code).join(", ")}\n\nRewritten by partoo-links accept from the links live on Partoo.`,
      },
    );
    report = {
      ...report,
      pullRequest: { action: pull.action, number: pull.number, url: pull.url },
    };
  }
  io.stdout.write(renderAccept(format, report));
  await appendSummaryIfSet(io, () => renderAcceptMarkdown(report));
  return report.skipped.length > 0 ? 1 : 0;
}

/** The named stores' files, parsed; a missing or invalid file is skipped with its reason. */
async function readTargets(
  options: CommandContext["options"],
  io: CliIO,
  codes: readonly string[],
  skipped: AcceptSkip[],
): Promise<Target[]> {
  const dir = storesDir(options, io.cwd);
  // Listing the directory (never joining a code to a path) keeps hostile codes inside it.
  const listing = await listStoreFiles(dir, io.cwd, new Set(codes));
  const found = new Set(listing.entries.map((entry) => entry.code));
  for (const code of codes) {
    if (!found.has(code)) {
      skipped.push({ code, reason: `no store file ${code}.yaml in ${displayPath(io.cwd, dir)}` });
    }
  }
  const buffer = readBuffer();
  const targets: Target[] = [];
  for (const entry of listing.entries) {
    const read = readStoreFile(entry, buffer);
    const decoded = "issue" in read ? read : decodeStoreBytes(read.bytes, entry.file);
    if ("issue" in decoded) {
      skipped.push({ code: entry.code, reason: formatIssue(decoded.issue) });
      continue;
    }
    const parsed = parseStoreText(decoded.text, entry.file, entry.code);
    const error = parsed.issues.find((issue) => issue.severity === "error");
    if (parsed.store === undefined || error !== undefined) {
      for (const issue of parsed.issues) io.stderr.write(`${formatIssue(issue)}\n`);
      skipped.push({
        code: entry.code,
        reason: `${entry.file} is invalid (errors above); fix it and run accept again`,
      });
      continue;
    }
    targets.push({
      code: entry.code,
      file: entry.file,
      path: entry.path,
      text: decoded.text,
      desired: parsed.store,
    });
  }
  return targets;
}

/** The repository the stores directory is in: the nearest directory with `.git`, else GITHUB_WORKSPACE, else the cwd. */
async function repositoryRoot(dir: string, io: CliIO): Promise<string> {
  for (let current = dir; ; current = path.dirname(current)) {
    if (await exists(path.join(current, ".git"))) return current;
    if (path.dirname(current) === current) break;
  }
  return path.resolve(io.cwd, io.env["GITHUB_WORKSPACE"] ?? io.cwd);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A file is replaced whole or not at all: a failed run never leaves half a store file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
