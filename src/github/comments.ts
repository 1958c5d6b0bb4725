/** Pull-request comments: the plan comment upserted (its own author's, holding the marker), the apply result, and PRs of a commit. */
import { UsageError } from "../errors.js";
import type { GithubClient } from "./client.js";
import { callGithub, requestStatus } from "./errors.js";
import { sameLogin, tokenLogin } from "./identity.js";
import { GITHUB_BODY_LIMIT, fitMarkdown } from "./limits.js";
import type { CommentResult, PullRequestRef } from "./types.js";

const WRITE = "pull-requests: write";
const READ = "pull-requests: read";
const MARKER = /^<!--[^\n]*-->$/;

interface MarkedComment {
  readonly id: number;
  readonly url: string;
  readonly author: string | undefined;
}

function checkPullRequest(pullRequest: number): void {
  if (!Number.isSafeInteger(pullRequest) || pullRequest < 1) {
    throw new UsageError(`pull request ${pullRequest}: expected a pull request number`);
  }
}

function fitBody(body: string): string {
  return fitMarkdown(body, { limit: GITHUB_BODY_LIMIT });
}

export async function upsertPullRequestComment(
  client: GithubClient,
  pullRequest: number,
  marker: string,
  body: string,
): Promise<CommentResult> {
  checkPullRequest(pullRequest);
  // A programming error, not a user's: the marker is a constant of the caller.
  if (!MARKER.test(marker)) throw new Error(`not a hidden HTML comment marker: ${marker}`);
  const text = fitBody(body.startsWith(marker) ? body : `${marker}\n${body}`);
  const marked = await ownComments(client, await findMarkedComments(client, pullRequest, marker));
  const newest = marked.at(-1);
  const { octokit, owner, repo } = client;
  if (newest === undefined) {
    const { data } = await callGithub(
      { what: `commenting the plan on pull request #${pullRequest}`, permission: WRITE },
      () =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: pullRequest, body: text }),
    );
    return { action: "created", id: data.id, url: data.html_url, deleted: [] };
  }
  const { data } = await callGithub(
    { what: `updating comment ${newest.id} on pull request #${pullRequest}`, permission: WRITE },
    () => octokit.rest.issues.updateComment({ owner, repo, comment_id: newest.id, body: text }),
  );
  // Duplicates come from older versions or two runs racing; keep only the newest. They are
  // all this token's own: a comment by anyone else is never edited or deleted.
  const deleted: number[] = [];
  for (const duplicate of marked.slice(0, -1)) {
    await callGithub(
      {
        what: `deleting duplicate comment ${duplicate.id} on pull request #${pullRequest}`,
        permission: WRITE,
      },
      async () => {
        try {
          await octokit.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
        } catch (error) {
          // Already deleted by a concurrent run: that is the outcome wanted.
          if (requestStatus(error) !== 404) throw error;
        }
      },
    );
    deleted.push(duplicate.id);
  }
  return { action: "updated", id: data.id, url: data.html_url, deleted };
}

/**
 * The comments written by the token's own identity. Anyone can write the marker: it only
 * tells the plan comment apart from the other comments of the same author. Whom the token
 * acts as is asked only when there is a marked comment to check.
 */
async function ownComments(
  client: GithubClient,
  marked: readonly MarkedComment[],
): Promise<MarkedComment[]> {
  if (marked.length === 0) return [];
  const login = await tokenLogin(client);
  return marked.filter((comment) => sameLogin(comment.author, login));
}

/** Every comment whose body starts with the marker, oldest first, across all pages. */
async function findMarkedComments(
  client: GithubClient,
  pullRequest: number,
  marker: string,
): Promise<MarkedComment[]> {
  const { octokit, owner, repo } = client;
  return callGithub(
    { what: `reading the comments of pull request #${pullRequest}`, permission: READ },
    async () => {
      const marked: MarkedComment[] = [];
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: pullRequest,
        per_page: 100,
      });
      for await (const { data } of pages) {
        for (const comment of data) {
          if (comment.body?.trimStart().startsWith(marker)) {
            marked.push({ id: comment.id, url: comment.html_url, author: comment.user?.login });
          }
        }
      }
      return marked.sort((a, b) => a.id - b.id);
    },
  );
}

export async function commentOnPullRequest(
  client: GithubClient,
  pullRequest: number,
  body: string,
): Promise<CommentResult> {
  checkPullRequest(pullRequest);
  const { octokit, owner, repo } = client;
  const { data } = await callGithub(
    { what: `commenting on pull request #${pullRequest}`, permission: WRITE },
    () =>
      octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: pullRequest,
        body: fitBody(body),
      }),
  );
  return { action: "created", id: data.id, url: data.html_url, deleted: [] };
}

export async function pullRequestsForCommit(
  client: GithubClient,
  sha: string,
): Promise<PullRequestRef[]> {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) {
    throw new UsageError(`GITHUB_SHA ${JSON.stringify(sha)}: not a commit SHA`);
  }
  const { octokit, owner, repo } = client;
  const pulls = await callGithub(
    { what: `finding the pull requests of commit ${sha.slice(0, 12)}`, permission: READ },
    () =>
      octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
        owner,
        repo,
        commit_sha: sha,
        per_page: 100,
      }),
  );
  return pulls
    .map((pull) => ({
      number: pull.number,
      title: pull.title,
      state: pull.state,
      merged: pull.merged_at !== null && pull.merged_at !== undefined,
      url: pull.html_url,
    }))
    .sort((a, b) => a.number - b.number);
}
