/**
 * Everything partoo-links publishes on GitHub, behind one narrow interface: commands depend
 * on GithubPublisher, tests substitute it or point the real one at a fake server.
 */
import type { GithubClient } from "./client.js";
import {
  commentOnPullRequest,
  pullRequestsForCommit,
  upsertPullRequestComment,
} from "./comments.js";
import { syncDriftIssue } from "./drift-issue.js";
import type { CommentResult, DriftIssueReport, DriftIssueResult, PullRequestRef } from "./types.js";

export type {
  CommentResult,
  DriftIssueReport,
  DriftIssueResult,
  IssueRef,
  PullRequestRef,
} from "./types.js";

/**
 * The hidden marker that tells the plan comment apart from the other comments written by
 * the token's own identity. Anyone can write it: alone it identifies nothing.
 */
export const PLAN_COMMENT_MARKER = "<!-- partoo-links:plan -->";

/** The label of the drift issue; only an issue the token's own identity opened counts. */
export const DRIFT_ISSUE_LABEL = "partoo-drift";

export interface GithubPublisher {
  /**
   * One comment per pull request: among the comments written by the token's own identity
   * (`github-actions[bot]` for GITHUB_TOKEN, else the authenticated user), the one holding
   * `marker`, updated in place; created when absent. Older duplicates of that identity are
   * deleted; a comment by anyone else is never updated or deleted, marker or not.
   * The body is cut under GitHub's size limit with a note.
   */
  upsertPullRequestComment(
    pullRequest: number,
    marker: string,
    body: string,
  ): Promise<CommentResult>;
  /** A new comment (e.g. the result of an apply), cut under GitHub's size limit. */
  commentOnPullRequest(pullRequest: number, body: string): Promise<CommentResult>;
  /** The pull requests associated with a commit (for a merge commit: the merged one). */
  pullRequestsForCommit(sha: string): Promise<PullRequestRef[]>;
  /** Opens, updates or closes the one open issue labelled partoo-drift that the token's identity opened. */
  syncDriftIssue(report: DriftIssueReport): Promise<DriftIssueResult>;
}

export function createGithubPublisher(client: GithubClient): GithubPublisher {
  return {
    upsertPullRequestComment: (pullRequest, marker, body) =>
      upsertPullRequestComment(client, pullRequest, marker, body),
    commentOnPullRequest: (pullRequest, body) => commentOnPullRequest(client, pullRequest, body),
    pullRequestsForCommit: (sha) => pullRequestsForCommit(client, sha),
    syncDriftIssue: (report) => syncDriftIssue(client, DRIFT_ISSUE_LABEL, report),
  };
}
