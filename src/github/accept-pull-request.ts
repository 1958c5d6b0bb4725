/**
 * The accept pull request, through GitHub's Git data API (no local git needed): the
 * rewritten files committed on a tree based on the default branch head's tree (every other
 * file kept), on one branch that starts at that head, and one open pull request from that
 * branch, updated on the next run instead of opening another.
 */
import type { GithubClient } from "./client.js";
import { callGithub, githubError, requestStatus } from "./errors.js";
import { GITHUB_BODY_LIMIT, fitMarkdown } from "./limits.js";
import { sameLogin, tokenLogin } from "./identity.js";
import { AppError } from "../errors.js";

export const ACCEPT_BRANCH = "partoo-links/accept";

const CONTENTS_READ = "contents: read";
const CONTENTS_WRITE = "contents: write";
const PULLS_READ = "pull-requests: read";
const PULLS_WRITE = "pull-requests: write";
/** The author of pull requests opened with the token of a workflow run. */

export interface RepositoryFile {
  /** From the repository root, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

export interface AcceptPullRequestInput {
  readonly files: readonly RepositoryFile[];
  readonly title: string;
  /** Markdown; cut under GitHub's limit with a note. */
  readonly body: string;
  readonly commitMessage: string;
  readonly branch?: string;
}

export interface AcceptPullRequestResult {
  readonly action: "opened" | "updated";
  readonly number: number;
  readonly url: string;
  readonly commit: string;
}

interface OpenPull {
  readonly number: number;
  readonly html_url: string;
  readonly user: { readonly login: string } | null;
}

export async function publishAcceptPullRequest(
  client: GithubClient,
  input: AcceptPullRequestInput,
): Promise<AcceptPullRequestResult> {
  const { octokit, owner, repo } = client;
  const branch = input.branch ?? ACCEPT_BRANCH;
  for (const file of input.files) checkPath(file.path);
  const base = await callGithub(
    { what: "reading the repository's default branch", permission: CONTENTS_READ },
    () => octokit.rest.repos.get({ owner, repo }),
  );
  const defaultBranch = base.data.default_branch;
  const head = await callGithub(
    { what: `reading the head of ${defaultBranch}`, permission: CONTENTS_READ },
    () => octokit.rest.git.getRef({ owner, repo, ref: `heads/${defaultBranch}` }),
  );
  const parent = head.data.object.sha;
  const parentCommit = await callGithub(
    { what: `reading commit ${parent}`, permission: CONTENTS_READ },
    () => octokit.rest.git.getCommit({ owner, repo, commit_sha: parent }),
  );

  // Before writing anything: an open pull request of this branch by someone else is theirs.
  const existing = await findOpenPull(client, branch);

  const write = {
    what: `committing the accepted store files to ${branch}`,
    permission: CONTENTS_WRITE,
  };
  // The contents go inline in the tree: one request however many files (GitHub stores each
  // as a blob, UTF-8, so a BOM and CRLF line endings are kept).
  const tree = input.files.map((file) => ({
    path: file.path,
    mode: "100644" as const,
    type: "blob" as const,
    content: file.content,
  }));
  const newTree = await callGithub(write, () =>
    octokit.rest.git.createTree({ owner, repo, base_tree: parentCommit.data.tree.sha, tree }),
  );
  const commit = await callGithub(write, () =>
    octokit.rest.git.createCommit({
      owner,
      repo,
      message: input.commitMessage,
      tree: newTree.data.sha,
      parents: [parent],
    }),
  );
  await pointBranch(client, branch, commit.data.sha);

  const body = fitMarkdown(input.body, {
    limit: GITHUB_BODY_LIMIT,
    hint: "the complete report is in the job summary of the accept run",
  });
  if (existing !== undefined) {
    await callGithub(
      { what: `updating pull request #${existing.number}`, permission: PULLS_WRITE },
      () =>
        octokit.rest.pulls.update({
          owner,
          repo,
          pull_number: existing.number,
          title: input.title,
          body,
        }),
    );
    return {
      action: "updated",
      number: existing.number,
      url: existing.html_url,
      commit: commit.data.sha,
    };
  }
  const opening = { what: `opening a pull request from ${branch}`, permission: PULLS_WRITE };
  let opened;
  try {
    opened = await octokit.rest.pulls.create({
      owner,
      repo,
      head: branch,
      base: defaultBranch,
      title: input.title,
      body,
    });
  } catch (error) {
    throw actionsMayNotOpen(error, branch) ?? githubError(error, opening);
  }
  return {
    action: "opened",
    number: opened.data.number,
    url: opened.data.html_url,
    commit: commit.data.sha,
  };
}

/**
 * The open pull request from `branch` opened by this token's user (GitHub Actions' bot when
 * the token cannot say who it is). One opened by someone else stops the run: its branch is
 * not ours to overwrite.
 */
async function findOpenPull(client: GithubClient, branch: string): Promise<OpenPull | undefined> {
  const { octokit, owner, repo } = client;
  const pulls = (await callGithub(
    { what: `listing the open pull requests of ${branch}`, permission: PULLS_READ },
    () =>
      octokit.paginate(octokit.rest.pulls.list, {
        owner,
        repo,
        state: "open",
        head: `${owner}:${branch}`,
        per_page: 100,
      }),
  )) as OpenPull[];
  if (pulls.length === 0) return undefined;
  const author = await tokenLogin(client);
  const ours = pulls.find((pull) => sameLogin(pull.user?.login, author));
  if (ours !== undefined) return ours;
  const other = pulls[0]!;
  throw new AppError(
    `GitHub: pull request #${other.number} from ${branch} was opened by ${other.user?.login ?? "someone else"}, not by ${author}; close it or delete the branch ${branch}, then run accept --pr again`,
  );
}

/** Creates the branch at `sha`, or moves it there: each run starts again from the default head. */
async function pointBranch(client: GithubClient, branch: string, sha: string): Promise<void> {
  const { octokit, owner, repo } = client;
  const action = {
    what: `pointing branch ${branch} at the new commit`,
    permission: CONTENTS_WRITE,
  };
  let exists = true;
  try {
    await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
  } catch (error) {
    if (requestStatus(error) !== 404) throw githubError(error, action);
    exists = false;
  }
  if (exists) {
    await callGithub(action, () =>
      octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true }),
    );
  } else {
    await callGithub(action, () =>
      octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha }),
    );
  }
}

/**
 * The repository setting that keeps workflow tokens from opening pull requests answers 403
 * too, though the job has pull-requests: write: say which switch to turn.
 */
function actionsMayNotOpen(error: unknown, branch: string): AppError | undefined {
  if (requestStatus(error) !== 403) return undefined;
  const message = (error as { response?: { data?: { message?: unknown } } }).response?.data
    ?.message;
  if (typeof message !== "string" || !/not permitted to create/i.test(message)) return undefined;
  return new AppError(
    `GitHub: opening a pull request from ${branch}: GitHub Actions may not open pull requests in this repository (403); enable "Allow GitHub Actions to create and approve pull requests" in Settings → Actions → General, or run with a token that may; the branch ${branch} holds the accepted files`,
    { cause: error },
  );
}

/** A path inside the repository: relative, `/` separators, no `..`. */
function checkPath(path: string): void {
  if (
    path === "" ||
    path.startsWith("/") ||
    path.split("/").some((part) => part === ".." || part === "")
  ) {
    throw new AppError(
      `accept --pr: ${path} is not inside the repository; run partoo-links from the repository (its stores directory inside it)`,
    );
  }
}
